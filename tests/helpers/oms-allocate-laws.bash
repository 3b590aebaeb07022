# allocate-laws.bash: loaded by tests/allocate-laws.bats: generated books for
# oms-allocate and the checks of the laws (SPEC.md section 5) over its output.
# Every check prints one line per violation (at most 20, then a count) and
# nothing when the law holds, so a test is `run -0 check ...; assert_output ''`.

ASOF=2026-12-01	# mid-season: gen's orders have start_ship and cancel_after on both sides

# book DIR SEED [N]: gen's orders and reference files in DIR, plus DIR/book.ndjson,
# the same orders with what gen does not make: prepack lines (every 7th order),
# cancelled lines (13th), lines that need no shipping (17th), lines partly shipped (11th),
# lines known only by their title, without a SKU (19th: oms-import keeps them);
# and two locations files of our own: DIR/open-locations.csv (every location serves
# every channel, no capacity limit) and DIR/chan-locations.csv (gen's channels, no limit).
book() {
	local d=$1 seed=$2 n=${3:-3000}
	mkdir -p "$d"
	gen -n "$n" -s "$seed" --refs "$d" > "$d/gen.ndjson"
	jq -c --rawfile packs "$d/packs.csv" '
		($packs | split("\n")[1:] | map(select(. != "") | split(",")[0]) | unique) as $pk
		| input_line_number as $n
		| if .type != "order" then . else
			(if $n % 7 == 0 then .lines += [{line_id: "P", sku: $pk[$n % ($pk | length)], qty: (1 + $n % 3)}] else . end)
			| (if $n % 13 == 0 then .lines[0].cancelled = true else . end)
			| (if $n % 17 == 0 then .lines[-1].requires_shipping = false else . end)
			| (if $n % 11 == 0 and .lines[0].qty > 1 then .lines[0].shipped = 1 else . end)
			| (if $n % 19 == 0 then .lines += [{line_id: "T", title: "Maintenance Kit", qty: 1}] else . end)
		  end' "$d/gen.ndjson" > "$d/book.ndjson"
	awk -F, -v OFS=, 'NR == 1 { print; next } { print $1, $2, $3, $4, $5, "", "", "" }' \
		"$d/locations.csv" > "$d/open-locations.csv"
	awk -F, -v OFS=, 'NR == 1 { print; next } { print $1, $2, $3, $4, $5, $6, "", "" }' \
		"$d/locations.csv" > "$d/chan-locations.csv"
	# Rules that turn on everything that holds stock back.
	printf '%s\n' '{"allocate": {"protect": [{"channel": "dtc", "percent": 20}, {"channel": "marketplace", "units": 1}],
		"min_fill": {"wholesale": 50}, "size_run": ["wholesale"], "lead_days": 3}}' > "$d/rules.json"
}

# alloc DIR [ARGS...]: oms-allocate with DIR's reference files (LOCS overrides the
# locations file, INV the inventory file) and a fixed as-of date.
alloc() {
	local d=$1
	shift
	oms-allocate --inventory "${INV:-$d/inventory.csv}" --locations "${LOCS:-$d/locations.csv}" \
		--packs "$d/packs.csv" --catalog "$d/catalog.csv" --as-of "$ASOF" "$@"
}

# Print at most 20 lines of stdin, then how many there were in all.
few() { awk 'NR <= 20 { print } END { if (NR > 20) print "... " NR " violations in all" }'; }

# An open order with a line to ship that names no SKU: oms-allocate holds it whole.
NOSKU='def nosku: (.status // "open") == "open"
	and any(.lines[]; .sku == null and .cancelled != true and .requires_shipping != false);'

# check_conservation FILE: on every line of every order,
# allocated + backordered + case_remainder + unallocated = qty - shipped, where
# unallocated is qty - shipped on an order not_yet, expired, cancelled or closed,
# an order with a line to ship without a SKU, a cancelled line or a line that
# needs no shipping, else 0; no count is negative; a line in cases (case_pack > 1,
# the rules' case_pack left true) has a remainder under one case and backorders
# whole cases, and any other line has no remainder.
CONSERVE=$NOSKU'select(.type == "order")
	| .order_id as $id | .allocation.status as $st | nosku as $nosku
	| if ($st | IN("full", "partial", "none", "held", "not_yet", "expired", "cancelled", "closed") | not)
	  then "\($id): allocation.status \($st | tojson)" else
	  .lines[]
	  | (.qty - (.shipped // 0)) as $open
	  | ([.allocated[]?.qty] | add // 0) as $a
	  | (.backordered // 0) as $b
	  | (.case_remainder // 0) as $r
	  | (.case_pack // 1) as $cp
	  | (if ($st | IN("not_yet", "expired", "cancelled", "closed")) or $nosku or .cancelled == true
		or .requires_shipping == false then $open - $r else 0 end) as $u
	  | select($a + $b + $r + $u != $open or $b < 0 or $r < 0 or any(.allocated[]?; .qty <= 0)
		or (if $cp > 1 then $r >= $cp or $b % $cp != 0 else $r != 0 end))
	  | "\($id) line \(.line_id) (\($st)): allocated \($a) + backordered \($b) + case remainder \($r) + unallocated \($u) != qty \(.qty) - shipped \(.shipped // 0), or not in whole cases of \($cp)"
	  end'
check_conservation() { jq -r "$CONSERVE" "$1" | few; }

# check_oversell DIR FILE [INVOUT]: per location and SKU, the units allocated in FILE
# (pack lines expanded through DIR/packs.csv) never exceed max(0, on_hand - safety_stock)
# of DIR/inventory.csv (or INV); each pack entry's units are its packs' components;
# INVOUT (--inventory-out) has every inventory row, in order, with
# allocated = the sum from the orders and available = max(0, on_hand - safety) - allocated.
ENTRIES='select(.type == "order") | .order_id as $id | .lines[] | .sku as $sku | .allocated[]?
	| [$id, .location, $sku, .qty, ((.units // []) | map("\(.sku):\(.qty)") | join("|"))] | @tsv'
check_oversell() {
	local d=$1 f=$2 invout=${3:-/dev/null}
	jq -r "$ENTRIES" "$f" | LC_ALL=C awk -F'\t' -v invf="${INV:-$d/inventory.csv}" -v packf="$d/packs.csv" -v outf="$invout" '
		function limit(k) { return (k in onh) ? (onh[k] > ss[k] ? onh[k] - ss[k] : 0) : 0 }
		BEGIN {
			FS = "\t"
			while ((getline l < packf) > 0) {
				split(l, p, ",")
				if (p[1] == "pack_sku") continue
				npc[p[1]]++; pc[p[1], npc[p[1]]] = p[2]; pq[p[1], npc[p[1]]] = p[3]
			}
			while ((getline l < invf) > 0) {
				split(l, p, ",")
				if (p[1] == "location") continue
				k = p[1] SUBSEP p[2]; onh[k] = p[3]; ss[k] = p[4] + 0; ninv++
			}
		}
		{
			id = $1; loc = $2; sku = $3; q = $4
			if (sku in npc) {
				nu = split($5, u, "|"); delete want
				for (i = 1; i <= npc[sku]; i++) {
					want[pc[sku, i]] = q * pq[sku, i]
					used[loc SUBSEP pc[sku, i]] += q * pq[sku, i]
				}
				if (nu != npc[sku]) print id ": pack " sku " at " loc ": units " $5 " are not its " npc[sku] " components"
				for (i = 1; i <= nu; i++) {
					split(u[i], cq, ":")
					if (want[cq[1]] != cq[2]) print id ": pack " sku " x" q " at " loc ": units " $5 " do not match packs.csv"
				}
			} else used[loc SUBSEP sku] += q
		}
		END {
			for (k in used) if (used[k] > limit(k)) {
				split(k, p, SUBSEP)
				print p[1] " " p[2] ": " used[k] " units allocated > on_hand " (onh[k] + 0) " - safety " (ss[k] + 0)
			}
			if (outf == "/dev/null") exit
			n = 0
			while ((getline l < outf) > 0) {
				if (++n == 1) {
					if (l != "location,sku,on_hand,safety_stock,allocated,available") print outf ": header " l
					continue
				}
				split(l, p, ","); k = p[1] SUBSEP p[2]; seen[k] = 1
				if (!(k in onh)) print outf ":" n ": " p[1] " " p[2] " is not in the inventory"
				if (n > 2 && !(p[1] > ploc || p[1] == ploc && p[2] > psku)) print outf ":" n ": " p[1] " " p[2] " after " ploc " " psku
				ploc = p[1]; psku = p[2]
				if (p[3] != onh[k] || p[4] != ss[k]) print outf ":" n ": on_hand/safety " p[3] "/" p[4] " != inventory " onh[k] "/" ss[k]
				if (p[5] != used[k] + 0) print outf ":" n ": " p[1] " " p[2] " allocated " p[5] " != " used[k] + 0 " in the orders"
				if (p[6] != limit(k) - p[5] || p[6] < 0) print outf ":" n ": " p[1] " " p[2] " available " p[6] " != " limit(k) " - " p[5]
			}
			if (n - 1 != ninv) print outf ": " n - 1 " rows for " ninv " inventory rows"
			for (k in used) if (!(k in seen)) { split(k, p, SUBSEP); print outf ": no row for " p[1] " " p[2] " (" used[k] " allocated)" }
		}' | few
}

# check_ranking LOCATIONS PACKS FILE: on a fresh book allocated with default rules,
# no order holds units of an SKU at a location while a higher-ranked order that the
# location may serve is short of that SKU. Rank: priority desc, ship_by asc,
# placed_at asc, order_id asc, a missing value last. Holdings are the allocation
# entries (a pack entry holds its units' SKUs). Short: backordered > 0 on a line of
# an order with status full, partial or none that is not ship_complete, the line not
# a pack and not case_pack > 1 (those are all or nothing). Linear: per SKU and
# location, the lowest-ranked holder must rank above the highest-ranked short order.
RANKED='[.[] | select(.type == "order")]
	| sort_by([(.priority == null), -(.priority // 0), (.ship_by == null), (.ship_by // ""), .placed_at, .order_id])
	| to_entries[] | .key as $r | .value as $o | $o.lines[]
	| (.sku as $sku | .allocated[]? | .location as $loc
		| (.units // [{sku: $sku}])[] | ["H", $r, .sku, $loc, $o.order_id, ""]),
	  (select(.backordered > 0 and ($o.allocation.status | IN("full", "partial", "none"))
		and $o.ship_complete != true and (.case_pack // 1) <= 1 and (.sku | IN($packs[]) | not))
		| ["S", $r, .sku, $o.channel, $o.order_id, .backordered])
	| @tsv'
check_ranking() {
	local locs=$1 packs=$2 f=$3
	jq -rs --argjson packs "$(awk -F, 'NR > 1 { print $1 }' "$packs" | jq -R . | jq -s 'unique')" "$RANKED" "$f" |
		awk -F'\t' -v locf="$locs" '
		BEGIN {
			while ((getline l < locf) > 0) {
				split(l, p, ",")
				if (p[1] != "location") { nloc++; loc[nloc] = p[1]; chans[nloc] = "|" p[6] "|" }
			}
		}
		$1 == "H" { k = $3 SUBSEP $4; if (!(k in hr) || $2 + 0 > hr[k]) { hr[k] = $2 + 0; hid[k] = $5 } }
		$1 == "S" {
			for (i = 1; i <= nloc; i++) if (chans[i] == "||" || index(chans[i], "|" $4 "|")) {
				k = $3 SUBSEP loc[i]
				if (!(k in sr) || $2 + 0 < sr[k]) { sr[k] = $2 + 0; sid[k] = $5; sbo[k] = $6 }
			}
		}
		END {
			for (k in hr) if ((k in sr) && hr[k] > sr[k]) {
				split(k, p, SUBSEP)
				print p[1] " at " p[2] ": " hid[k] " (rank " hr[k] ") holds units while " sid[k] " (rank " sr[k] ") is " sbo[k] " short"
			}
		}' | few
}

# statval KEY STATSLINE: the value of KEY in a --stats line.
statval() { sed -n "s/.* $1=\([^ ]*\).*/\1/p" <<< "$2"; }

# check_nosku FILE: every open order with a line to ship and no SKU is held (or
# expired: its window closed first) with the reason naming its first such line,
# and holds no units; no other order is held for that reason.
NOSKU_CHECK=$NOSKU'select(.type == "order")
	| .order_id as $id | .allocation as $al
	| ([.lines[] | select(.sku == null and .cancelled != true and .requires_shipping != false)][0].line_id) as $l
	| ("line \($l) has no SKU: add its title to the catalog") as $why
	| if nosku then
		if $al.status == "expired" then empty
		elif $al.status != "held" or $al.reason != $why then "\($id): \($al | tojson), not held: \($why)"
		elif any(.lines[]; (.allocated // []) != [] or (.backordered // 0) != 0) then "\($id): held, but holds or backorders units"
		else empty end
	  elif ($al.reason // "" | test("has no SKU")) then "\($id): \($al.reason) but every line to ship has a SKU"
	  else empty end'
check_nosku() { jq -r "$NOSKU_CHECK" "$1" | few; }
