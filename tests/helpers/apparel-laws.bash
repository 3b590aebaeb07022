# apparel-laws.bash: loaded by tests/apparel-laws.bats after helpers/oms-allocate-laws,
# helpers/oms-split-laws and helpers/nightly-laws (whose book, few, nl_recount,
# nl_changes and nl_confirm it uses): generated books that exercise the apparel
# rules of issue 16 (size runs, ship windows with lead days, the partial hold
# policy, location capacity) over several nights, and the checks of the laws that
# must hold after each. The checks are jq and awk over the records and the pick
# tickets; none shares code with the tools. Each prints one line per violation (at
# most 20, then a count) and nothing when the law holds.

# The first night; night k is AP_NIGHT1 + k - 1 days.
AP_NIGHT1=2026-12-01
# The channels that keep size runs whole; the rules (every partial policy).
AP_RUNS='["wholesale","b2b"]'
AP_RULES='{"allocate": {"size_run": ["wholesale", "b2b"], "lead_days": 5},
	"split": {"partial": {"wholesale": "hold", "b2b": {"min_percent": 30}, "marketplace": {"min_value": "25.00"},
		"dtc": "ship"}, "max_shipments": 3}}'

# ap_date K: the date of night K.
ap_date() { jq -rn --arg d "$AP_NIGHT1" --argjson k "$1" '$d | strptime("%Y-%m-%d") | mktime + ($k - 1) * 86400 | strftime("%Y-%m-%d")'; }

# ap_book DIR SEED N: book DIR SEED N (gen's orders with prepacks, cancelled lines,
# lines that need no shipping, lines partly shipped, lines without a SKU), then:
# - DIR/ap-locations.csv: the four locations nightly-laws names, with capacities:
#   DC-EAST (every channel, max_orders 120, full every night, and max_units 2500),
#   DC-WEST (max_units 500, reached), 3PL-TORONTO (not wholesale, max_orders 60,
#   full every night), Overflow #2 (no limit);
# - DIR/ap-inventory.csv: twice gen's units of each SKU, all at one of them in
#   turn, every fifth SKU's spread over the four (runs come from 1 to 4 places);
# - DIR/ap-book.ndjson: every other wholesale order b2b; ship windows rewritten
#   around the nights: every wholesale and b2b order, and every 6th other one,
#   starts from 4 days before night 1 to 8 days after it (by its line number), and
#   ends 20 days after its start; every 13th of them ends on night 1 (it expires
#   from night 2 on);
# - DIR/ap-rules.json: size runs for wholesale and b2b, lead_days 5, every partial
#   policy (wholesale hold), max_shipments 3.
ap_book() {
	local d=$1
	book "$d" "$2" "$3"
	{
		echo 'location,kind,country,region,priority,channels,max_orders,max_units'
		echo 'DC-EAST,warehouse,US,NJ,1,,120,2500'
		echo 'DC-WEST,warehouse,US,NV,2,dtc|marketplace|wholesale|b2b,,500'
		echo '3PL-TORONTO,3pl,CA,ON,3,dtc|marketplace|b2b,60,'
		echo 'Overflow #2,warehouse,US,NJ,2,,,'
	} > "$d/ap-locations.csv"
	stripe_inventory 'DC-EAST,DC-WEST,3PL-TORONTO,Overflow #2' 2 < "$d/inventory.csv" > "$d/ap-inventory.csv"
	jq -c --arg n1 "$AP_NIGHT1" '
		def day($k): $n1 | strptime("%Y-%m-%d") | mktime + $k * 86400 | strftime("%Y-%m-%d");
		input_line_number as $n
		| if .type != "order" then . else
			(if .channel == "wholesale" and $n % 2 == 0 then .channel = "b2b" else . end)
			| if .channel == "wholesale" or .channel == "b2b" or $n % 6 == 0 then
				.start_ship = day($n % 13 - 4)
				| .cancel_after = (if $n % 13 == 0 then day(0) else day($n % 13 + 16) end)
			  else . end
		  end' "$d/book.ndjson" > "$d/ap-book.ndjson"
	printf '%s\n' "$AP_RULES" > "$d/ap-rules.json"
}

# ap_run DIR SEED N NIGHTS: ap_book DIR SEED N, then NIGHTS nights, night k in
# DIR/nK/ as nightly-laws' nl_run makes them (inventory.csv recounted by
# nl_recount, changes.ndjson by nl_changes and the day's confirmations by
# nl_confirm from night 2 on, tracking.ndjson every confirmation so far), plus
# date (the night's date). Night 1 starts from ap-book.ndjson. DC-EAST confirms
# nothing: its work stays, kept, and the windows that open over the nights put
# it over its max_orders.
ap_run() {
	local d=$1 seed=$2 n=$3 nights=$4 k prev
	ap_book "$d" "$seed" "$n"
	mkdir -p "$d/n0"
	cp "$d/ap-inventory.csv" "$d/n0/inventory.csv"
	cp "$d/ap-book.ndjson" "$d/n0/book.ndjson"
	: > "$d/n0/tracking.ndjson"
	: > "$d/n0/split.ndjson"
	for ((k = 1; k <= nights; k++)); do
		prev=$d/n$((k - 1))
		mkdir -p "$d/n$k"
		ap_date "$k" > "$d/n$k/date"
		nl_recount "$k" < "$prev/inventory.csv" > "$d/n$k/inventory.csv"
		if ((k > 1)); then
			nl_changes "$k" < "$prev/book.ndjson" > "$d/n$k/changes.ndjson"
			jq -c 'select(.type != "shipment" or .location != "DC-EAST")' "$prev/split.ndjson" |
				nl_confirm "$k" > "$d/n$k/confirm.ndjson"
		else
			: > "$d/n$k/changes.ndjson"
			: > "$d/n$k/confirm.ndjson"
		fi
		cat "$prev/tracking.ndjson" "$d/n$k/confirm.ndjson" > "$d/n$k/tracking.ndjson"
		ap_night "$d" "$d/n$k" "$prev/book.ndjson"
		grep -E '^\{"type":"(order|shipment)",' "$d/n$k/split.ndjson" > "$d/n$k/book.ndjson"
	done
}

# ap_night DIR OUT BOOK: the night of OUT (its date, inventory, changes and
# tracking): oms-allocate --explain then oms-split, as of the night's date, from
# BOOK into OUT: allocated.ndjson, inventory-out.csv, split.ndjson, tix/, rejects,
# statuses (allocate.status, split.status) and --stats lines.
ap_night() {
	local d=$1 o=$2 book=$3 day st
	day=$(cat "$o/date")
	oms-allocate --as-of "$day" --explain --rules "$d/ap-rules.json" --locations "$d/ap-locations.csv" \
		--inventory "$o/inventory.csv" --packs "$d/packs.csv" --catalog "$d/catalog.csv" \
		--stats --inventory-out "$o/inventory-out.csv" --rejects "$o/rej-allocate.ndjson" \
		-O "$o/allocated.ndjson" "$book" "$o/changes.ndjson" "$o/tracking.ndjson" 2> "$o/allocate.err" && st=0 || st=$?
	echo "$st" > "$o/allocate.status"
	ap_split "$d" "$day" --stats --manifest-dir "$o/tix" --rejects "$o/rej-split.ndjson" -O "$o/split.ndjson" \
		"$o/allocated.ndjson" 2> "$o/split.err" && st=0 || st=$?
	echo "$st" > "$o/split.status"
	grep ': stats: ' "$o/allocate.err" > "$o/allocate.stats" || true
	grep ': stats: ' "$o/split.err" > "$o/split.stats" || true
}

# ap_split DIR DATE [ARGS...]: oms-split with the book's locations and rules, as of DATE.
ap_split() {
	local d=$1 day=$2
	shift 2
	oms-split --as-of "$day" --rules "$d/ap-rules.json" --locations "$d/ap-locations.csv" "$@"
}

# ap_alloc DIR OUT [ARGS...]: oms-allocate as night OUT ran it, on ARGS.
ap_alloc() {
	local d=$1 o=$2
	shift 2
	oms-allocate --as-of "$(cat "$o/date")" --explain --rules "$d/ap-rules.json" --locations "$d/ap-locations.csv" \
		--inventory "$o/inventory.csv" --packs "$d/packs.csv" --catalog "$d/catalog.csv" "$@"
}

# What the checks share, over slurped records: a line's open units and units
# allocated; the units a run needs of a line (its open units less a case
# remainder); a line's size run, "style/color", from its own style and color, or
# the catalog's ($cat, by SKU) when it has no style; the orders (last occurrence)
# and shipments by order; whether a released shipment is live (of an open order,
# not confirmed yet); whether an order's allocation is work on day $day under the
# rules ($r, the rules file slurped).
AP_DEFS='
def open_u: if .cancelled == true or .requires_shipping == false then 0 else [(.qty - (.shipped // 0)), 0] | max end;
def alloc_u: [.allocated[]?.qty] | add // 0;
def need: open_u as $o | (.case_pack // 1) as $c | if $c > 1 then $o - ($o % $c) else $o end;
def run($cat): if (.style // "") != "" then "\(.style)/\(.color // "")"
	else ($cat[.sku // ""] // {}) as $c | if ($c.style // "") != "" then "\($c.style)/\($c.color // "")" else null end end;
def is_open: (.status // "open") == "open";
def orders: map(select(.type == "order")) | map({key: .order_id, value: .}) | from_entries;
def ships: map(select(.type == "shipment")) | group_by(.order_id) | map({key: .[0].order_id, value: .}) | from_entries;
def live($o): .status == "released" and ($o | is_open)
	and (.shipment_id as $id | ($o.allocation.tracked // []) | index([$id]) | not);
def keeps_runs: .channel as $c | $runs | index([$c]) != null;
def policy: .channel as $c | $r[0].split.partial as $p | $p[$c] // $p["*"] // "ship";
def work($day): is_open and ((.allocation.status // "") | IN("full", "partial"))
	and ((.start_ship // "") == "" or .start_ship <= $day)
	and ((.allocation.status == "partial" and policy == "hold") | not);
'

# ap_cat DIR: the catalog as a JSON object, SKU -> {style, color}.
ap_cat() {
	awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
		{ printf "{\"%s\":{\"style\":\"%s\",\"color\":\"%s\"}}\n", $c["sku"], $c["style"], $c["color"] }' "$1/catalog.csv" |
		jq -cs add
}

# Law (size runs whole at allocate): for every open order of a channel that keeps
# runs, each run (the lines of one style and color with units open) either holds
# no unit, or each of its lines holds at least what the run needs of it.
AP_RUN_ALLOC='orders[] | select(is_open and keeps_runs) | . as $o
	| [.lines[] | select(open_u > 0) | {r: run($cat), sku, line_id, a: alloc_u, n: need}] | map(select(.r != null))
	| group_by(.r)[] | select(any(.[]; .a > 0))
	| (map(select(.a > 0))[0]) as $has
	| .[] | select(.a < .n)
	| "\($o.order_id) run \(.r): line \(.line_id) (\(.sku)) has \(.a) of \(.n) allocated while line \($has.line_id) (\($has.sku)) holds \($has.a)"'
check_runs_alloc() { ap_jq "$1" "$2" "$AP_RUN_ALLOC"; }

# Law (size runs whole at split): no live released shipment of an order of a
# channel that keeps runs carries a unit of a run that is not whole in the order's
# allocation, and no run is on released shipments in part: every line of a run
# that has units on them, and units open, holds what the run needs of it. (The
# units of a run need not all be on released shipments: when the warehouse
# shipped part of a line, the rest may be held by a partial policy.)
AP_RUN_SPLIT='orders as $os | ships as $ss | $os[] | select(is_open and keeps_runs) | . as $o
	| [($ss[.order_id] // [])[] | select(live($o))] as $rel
	| ([$rel[].lines[] | {key: .line_id, value: .qty}] | reduce .[] as $c ({}; .[$c.key] += $c.value)) as $on
	| [.lines[] | select(open_u > 0) | {r: run($cat), sku, line_id, a: alloc_u, n: need, on: ($on[.line_id] // 0)}]
	| map(select(.r != null)) | group_by(.r)[] | select(any(.[]; .on > 0))
	| (map(select(.on > 0))[0]) as $x
	| .[] | select(.a < .n)
	| "\($o.order_id) run \(.r): line \(.line_id) (\(.sku)) has \(.a) of \(.n) allocated, \(.on) on released shipments, while line \($x.line_id) (\($x.sku)) has \($x.on) on released shipments"'
check_runs_split() { ap_jq "$1" "$2" "$AP_RUN_SPLIT"; }

# ap_jq FILE DIR PROGRAM [ARGS...]: PROGRAM over FILE slurped, with $cat (DIR's
# catalog), $runs and $r (DIR's rules, slurped) bound.
ap_jq() {
	local f=$1 d=$2 prog=$3
	shift 3
	jq -rs --argjson cat "$(ap_cat "$d")" --argjson runs "$AP_RUNS" --slurpfile r "$d/ap-rules.json" "$@" \
		"$AP_DEFS $prog" "$f" | few
}

# Law (no release before the window): every shipment released (whatever became
# of its order since) belongs to an order whose start_ship, if any, is on or
# before the night's date; no shipment is held for a window that has opened.
AP_WINDOW='orders as $os | .[] | select(.type == "shipment") | . as $s | $os[.order_id] as $o
	| (select(.status == "released" and ($o.start_ship // "") > $day)
		| "\(.shipment_id): released on \($day), its order starts \($o.start_ship)"),
	  (select(.status == "held" and ((.reason // "") | startswith("ship window opens")))
		| select(($o.start_ship // "") <= $day or .reason != "ship window opens \($o.start_ship)")
		| "\(.shipment_id): held (\(.reason)) on \($day), its order starts \($o.start_ship // "-")")'
# check_window DIR FILE DAY TIX: the law over FILE, and over the pick tickets of TIX:
# every row's start_ship and cancel_after (the cells before the last, which is
# pack_contents) are dates or empty, its order's, and start_ship is on or before DAY.
check_window() {
	local d=$1 f=$2 day=$3 tix=$4 t
	ap_jq "$f" "$d" "$AP_WINDOW" --arg day "$day"
	t=${BATS_TEST_TMPDIR:-/tmp}/window.$$
	jq -r 'select(.type == "order") | [.order_id, .start_ship // "", .cancel_after // ""] | @tsv' "$f" > "$t"
	local x
	for x in "$tix"/*.csv; do
		# The order_id (3rd cell), the two dates and pack_contents hold no comma or
		# quote; the address may.
		awk -F, -v day="$day" -v of="$t" -v name="${x##*/}" '
			BEGIN { while ((getline l < of) > 0) { split(l, p, "\t"); ss[p[1]] = p[2]; ca[p[1]] = p[3] } }
			NR == 1 { if ($(NF - 2) != "start_ship" || $(NF - 1) != "cancel_after" || $NF != "pack_contents")
					print name ": header ends " $(NF - 2) "," $(NF - 1) "," $NF; next }
			{
				s = $(NF - 2); c = $(NF - 1); where = name ":" NR " (" $2 ")"
				if (s !~ /^([0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9])?$/ || c !~ /^([0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9])?$/)
					print where ": start_ship,cancel_after " s "," c " are not dates"
				else if (!($3 in ss)) print where ": order " $3 " is not in the stream"
				else if (s != ss[$3] || c != ca[$3]) print where ": start_ship,cancel_after " s "," c ", the order has " ss[$3] "," ca[$3]
				if (s > day) print where ": on the ticket on " day ", starts " s
			}' "$x"
	done | few
	rm -f "$t"
}

# Law (capacity): per location with max_orders or max_units (DIR's locations),
# the work there on the night's date DAY (allocation entries of orders that are
# work: open, full or partial, start_ship absent or on or before DAY, and not
# partial under a hold policy) counts its distinct orders and its stock units (a
# pack entry's units). Held work (a window not open, a hold policy) is never
# counted, and new allocations never push a location over; it may go over only
# when kept work becomes work (a window opens, a held order is made whole). So:
# - over max_orders, every order of its work held units there the night before
#   (PREV, the previous night's book): no order new to it;
# - over max_units, no line of its work holds more units there than it held the
#   night before.
# (An order that holds units at a location full of orders may take more there:
# it adds no order, oms-allocate(1) "Each order in turn".)
AP_CAPACITY='($locs | split("\n")[1:] | map(select(. != "") | split(",")
		| {key: .[0], value: {mo: (.[6] // "" | if . == "" then null else tonumber end),
			mu: (.[7] // "" | if . == "" then null else tonumber end)}}) | from_entries) as $lim
	| ($prev | orders) as $po
	| def before($o; $l; $loc): [$po[$o].lines[]? | select($l == null or .line_id == $l) | .allocated[]?
		| select(.location == $loc) | .qty] | add // 0;
	[orders[] | select(work($day)) | . as $o | .lines[] | .line_id as $l | .allocated[]?
		| {o: $o.order_id, l: $l, loc: .location, q: .qty, u: (if .units then [.units[].qty] | add else .qty end)}]
	| . as $e
	| $lim | to_entries[] | select(.value.mo != null or .value.mu != null) | .key as $loc | .value as $m
	| [$e[] | select(.loc == $loc)] as $at
	| ([$at[].o] | unique) as $os | ([$at[].u] | add // 0) as $u
	| "\($day) \($loc): \($os | length) orders (max_orders \($m.mo // "-")), \($u) units (max_units \($m.mu // "-"))" as $head
	| (select($m.mo != null and ($os | length) > $m.mo) | $os[] | select(before(.; null; $loc) == 0)
		| "\($head), and \(.) is new there: it held nothing there the night before"),
	  (select($m.mu != null and $u > $m.mu) | $at[] | . as $x | before($x.o; $x.l; $loc) as $was | select($x.q > $was)
		| "\($head), and \($x.o) line \($x.l) holds \($x.q) there, \($was) the night before")'
# check_capacity DIR FILE DAY PREV [LOCATIONS]: the law over FILE.
check_capacity() {
	ap_jq "$2" "$1" "$AP_CAPACITY" --arg day "$3" --slurpfile prev "$4" --rawfile locs "${5:-$1/ap-locations.csv}"
}

# ap_load DIR FILE DAY: per location of DIR's locations, TAB-separated: its name,
# max_orders, max_units ("-" for none), the orders and units of its work in FILE on DAY, and the
# orders and units of every allocation there of an open order (work or not).
AP_LOAD='[orders[] | select(is_open) | . as $o | .lines[] | .allocated[]?
		| {o: $o.order_id, w: ($o | work($day)), loc: .location, u: (if .units then [.units[].qty] | add else .qty end)}] as $e
	| $locs | split("\n")[1:][] | select(. != "") | split(",") | .[0] as $loc
	| [$e[] | select(.loc == $loc)] as $at | [$at[] | select(.w)] as $w
	| [$loc, (.[6] // "" | if . == "" then "-" else . end), (.[7] // "" | if . == "" then "-" else . end), ([$w[].o] | unique | length), ([$w[].u] | add // 0),
		([$at[].o] | unique | length), ([$at[].u] | add // 0)] | map(tostring) | @tsv'
ap_load() { ap_jq "$2" "$1" "$AP_LOAD" --arg day "$3" --rawfile locs "$1/ap-locations.csv"; }
