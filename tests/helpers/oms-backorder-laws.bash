# oms-backorder-laws.bash: loaded by tests/oms-backorder-laws.bats after
# helpers/oms-allocate-laws (whose book, alloc, few, statval and ASOF it uses):
# allocated books with many backordered lines, random supply files made from their
# SKUs, and the checks of oms-backorder's laws over its output. The checks are jq
# (and a little awk) over the records, the supply file and the rules; none of them
# shares code with the tool or its self-check. Every check prints one line per
# violation (at most 20, then a count) and nothing when the law holds, so a test is
# `run -0 check ...; assert_output ''`.

# bo_book DIR SEED [N]: book DIR SEED N (N of gen's orders, default 2000), then:
# - before allocation, so that the ranking has ties and gaps to go through: every 9th
#   order a second line of its first line's SKU (line_id D: the line order within an
#   order decides), every 5th placed and due at the same moment as the others of its
#   priority (order_id decides), every 29th without ship_by, every 31st without
#   placed_at, every 43rd without a status (open by default);
# - DIR/bo-inventory.csv: a third of gen's units, so that many lines are backordered;
# - DIR/bo-book.ndjson: the book through oms-allocate, then every 41st order closed
#   and every 47th cancelled with its backordered counts left as they were (they get
#   no backorder record), and after every 97th record a tracking record and an
#   unrelated notice (passed through);
# - DIR/bo-supply.csv: bo_supply's rows for the book's SKUs (SEED);
# - DIR/bo-supply2.csv: the same rows with dates moved: every 3rd row 9 days later,
#   every 5th 12 days earlier (some become late);
# - DIR/bo-supply3.csv: the same rows with other quantities: every 4th row twice as
#   many and one more, every 6th none (lines gain supply, lose it, or get more);
# - DIR/bo-supply-loc.csv: the same rows with DC-EAST's at STORE-SOHO and DC-WEST's at
#   3PL-TORONTO, for --locations DIR/bo-locations.csv: DC-EAST serves every channel,
#   DC-WEST dtc, marketplace and wholesale, 3PL-TORONTO dtc and marketplace,
#   STORE-SOHO dtc;
# - DIR/bo-rules.json: another ranking (ship_by first, placed_at desc), 2 receiving
#   days, and holidays.
bo_book() {
	local d=$1 seed=$2
	book "$d" "$seed" "${3:-2000}"
	jq -c 'input_line_number as $n
		| if .type != "order" then . else
			(if $n % 9 == 0 then .lines += [.lines[0] | .line_id = "D"] else . end)
			| (if $n % 5 == 0 then .placed_at = "2026-11-20T09:00:00Z" | .ship_by = "2026-12-10" else . end)
			| (if $n % 29 == 0 then del(.ship_by) else . end)
			| (if $n % 31 == 0 then del(.placed_at) else . end)
			| (if $n % 43 == 0 then del(.status) else . end)
		  end' "$d/book.ndjson" > "$d/bo-pre.ndjson"
	awk -F, -v OFS=, 'NR > 1 { $3 = int($3 / 3) } 1' "$d/inventory.csv" > "$d/bo-inventory.csv"
	INV=$d/bo-inventory.csv alloc "$d" "$d/bo-pre.ndjson" | jq -c 'input_line_number as $n
		| if .type != "order" then .
		  elif $n % 41 == 0 then .status = "closed"
		  elif $n % 47 == 0 then .status = "cancelled"
		  else . end' | awk '
		{ print }
		NR % 97 == 0 {
			printf "{\"type\":\"tracking\",\"channel_order_id\":\"T%d\",\"source\":\"shopify\",\"carrier\":\"UPS\",\"tracking_number\":\"1Z%08d\",\"shipped_at\":\"2026-11-24T16:20:00Z\",\"lines\":[{\"sku\":\"X\",\"qty\":1}]}\n", NR, NR
			printf "{\"type\":\"notice\",\"order_id\":\"T%d\",\"kind\":\"split_shipment\",\"text\":\"Your order ships in 2 shipments.\"}\n", NR
		}' > "$d/bo-book.ndjson"
	jq -rn --arg a "$ASOF" '$a | strptime("%Y-%m-%d") | mktime as $t
		| range(-90; 150) | "\(.)\t\($t + . * 86400 | strftime("%Y-%m-%d"))"' > "$d/bo-dates.tsv"
	bo_supply "$d/bo-book.ndjson" "$seed" "$d/bo-dates.tsv" > "$d/bo-supply.csv"
	awk -F, -v OFS=, -v datef="$d/bo-dates.tsv" '
		BEGIN { while ((getline l < datef) > 0) { split(l, p, "\t"); off[p[2]] = p[1]; date[p[1]] = p[2] } }
		NR > 1 && NR % 3 == 0 { $5 = date[off[$5] + 9] }
		NR > 1 && NR % 5 == 0 { $5 = date[off[$5] - 12] }
		{ print }' "$d/bo-supply.csv" > "$d/bo-supply2.csv"
	awk -F, -v OFS=, 'NR > 1 && NR % 4 == 0 { $4 = $4 * 2 + 1 } NR > 1 && NR % 6 == 0 { $4 = 0 } 1' \
		"$d/bo-supply.csv" > "$d/bo-supply3.csv"
	sed 's/,DC-EAST$/,STORE-SOHO/; s/,DC-WEST$/,3PL-TORONTO/' "$d/bo-supply.csv" > "$d/bo-supply-loc.csv"
	printf '%s\n' 'location,kind,country,region,priority,channels,max_orders,max_units' \
		'DC-EAST,warehouse,US,NJ,1,,,' 'DC-WEST,warehouse,US,NV,2,dtc|marketplace|wholesale,,' \
		'3PL-TORONTO,3pl,CA,ON,3,dtc|marketplace,,' 'STORE-SOHO,store,US,NY,5,dtc,,' > "$d/bo-locations.csv"
	printf '%s\n' '{"allocate": {"sort": ["ship_by asc", "priority desc", "placed_at desc"]},
		"backorder": {"receiving_days": 2, "holidays": ["2026-12-24", "2026-12-25", "2026-12-31", "2027-01-01"]}}' \
		> "$d/bo-rules.json"
}

# bo_supply BOOK SEED DATES: a supply.csv for the SKUs of BOOK's backordered lines (and
# a few of its other SKUs), made at random from SEED (DATES: day offsets from $ASOF and
# their dates). Per SKU: none at all (about one
# in eight); else 1 to 4 rows, po or production, qty from 0 to about 70% of the SKU's
# backordered units (so that several rows together often cover it, one rarely),
# expected from 25 days before $ASOF (late: counted from --as-of) to 70 after, at no
# location, DC-EAST or DC-WEST. Ids come from small pools, so that one PO or
# production run brings several SKUs; now and then a row has a twin (the same id and
# SKU at another location, the same date), or a rival (another id, the same kind and
# date: the id decides). The rows are shuffled.
bo_supply() {
	jq -r 'select(.type == "order") | .lines[] | [.sku, (.backordered // 0)] | @tsv' "$1" |
		awk -F'\t' '{ d[$1] += $2 } END { for (s in d) print s "\t" d[s] }' | LC_ALL=C sort |
		awk -F'\t' -v seed="$2" -v datef="$3" '
		function row(id, kind, q, off, loc, twin) {
			if ((id, sku) in seen && !twin) return 0
			seen[id, sku] = 1
			printf "%.8f\t%s,%s,%s,%d,%s,%s\n", rand(), id, kind, sku, q, date[off], loc
			return 1
		}
		BEGIN {
			srand(seed)
			while ((getline l < datef) > 0) { split(l, p, "\t"); date[p[1]] = p[2] }
			split(",DC-EAST,DC-WEST", L, ",")
		}
		$2 == 0 && rand() >= 0.02 { next }
		{
			sku = $1
			if (rand() < 0.125) next
			nr = 1 + int(rand() * 4)
			for (k = 0; k < nr; k++) {
				kind = rand() < 0.6 ? "po" : "production"
				id = sprintf("%s-%03d", kind == "po" ? "PO" : "PR", int(rand() * 60))
				q = int(rand() * ($2 * 0.7 + 2))
				off = int(rand() * 96) - 25
				loc = L[1 + int(rand() * 3)]
				made = row(id, kind, q, off, loc)
				r = rand()
				if (r < 0.08 && made) row(id, kind, int(rand() * ($2 + 2)), off, loc == "" ? "DC-WEST" : "", 1)
				else if (r < 0.18) row(sprintf("%s-%03d", kind == "po" ? "PO" : "PR", 60 + int(rand() * 40)), kind, 1 + int(rand() * ($2 + 1)), off, loc)
			}
		}' | LC_ALL=C sort -t "$(printf '\t')" -k1,1 | cut -f2- | { echo 'supply_id,kind,sku,qty,expected_date,location'; cat; }
}

# obo DIR [ARGS...]: oms-backorder with DIR's supply file and the fixed as-of date.
obo() {
	local d=$1
	shift
	oms-backorder --as-of "$ASOF" --supply "${SUP:-$d/bo-supply.csv}" "$@"
}

# What the checks share. Dates as day numbers (days since 1970-01-01, a Thursday);
# business days Monday to Friday but $hol's holidays; a supply row's eta: its expected
# date, or $asof when that is earlier, moved to a business day, plus $recv business
# days; the supply rows of a CSV file (these have no quoted cells); the rules'
# receiving days, holidays and ranking (default: priority desc, ship_by asc,
# placed_at asc, order_id asc); an order's ranking key: per sort key, a missing
# value after every present one, priority 0 when not a whole number, then order_id;
# each backorder record with the order it follows.
BO_DEFS='
def day: strptime("%Y-%m-%d") | mktime / 86400 | floor;
def dayof: if type == "string" and test("^[0-9]{4}-[0-9]{2}-[0-9]{2}$") then day else null end;
def ymd: . * 86400 | strftime("%Y-%m-%d");
def words: . * 86400 | strftime("%-d %B %Y");
def is_open: (.status // "open") == "open";
def closed($hol): ((. + 4) % 7) as $w | $w == 0 or $w == 6 or $hol["\(.)"] != null;
def next_open($hol): . + 1 | until(closed($hol) | not; . + 1);
def eta_from($asof; $recv; $hol): [., $asof] | max | (if closed($hol) then next_open($hol) else . end)
	| reduce range(0; $recv) as $_ (.; next_open($hol));
def recv($rules): $rules.backorder.receiving_days // 0;
def hols($rules): ($rules.backorder.holidays // $rules.import.holidays // []) | map({key: "\(day)", value: true}) | from_entries;
def sort_keys($rules): ($rules.allocate.sort // ["priority desc", "ship_by asc", "placed_at asc", "order_id asc"])
	| map(split(" ") | {f: .[0], desc: (.[1] == "desc")});
def supply_rows($csv; $asof; $rules): recv($rules) as $recv | hols($rules) as $hol
	| $csv | split("\n") | .[1:] | to_entries | map(select(.value != "") | .key as $k | .value | split(",")
	| {id: .[0], kind: .[1], sku: .[2], qty: (.[3] | tonumber), expected: (.[4] | day), loc: (.[5] // ""), line: ($k + 2)}
	| .late = (.expected < $asof) | .eta = (.expected | eta_from($asof; $recv; $hol)));
def rank_val($f): if $f == "priority" then (.priority | if type == "number" and . == floor then . else 0 end)
	elif $f == "placed_at" then (.placed_at | if type == "string" then (try fromdateiso8601 catch null) else null end)
	else .[$f] | dayof end;
def rank_key($keys): . as $o | [$keys[] | . as $k
	| if $k.f == "order_id" then $o.order_id
	  else ($o | rank_val($k.f)) as $v | if $v == null then [1, 0] elif $k.desc then [0, -$v] else [0, $v] end end]
	+ [$o.order_id];
def deadline: [(.ship_by, .cancel_after) | dayof | select(. != null)] | min;
# An order before its ship window, as oms-allocate found it: all its open units wait.
def not_yet: .allocation.status == "not_yet";
# waiting($o): the units of a line of order $o that wait for supply: its backordered,
# or before the window its qty less shipped and its case remainder (never allocated),
# none for a cancelled line or one that
# needs no shipping.
def waiting($o): if ($o | not_yet)
	then (if .cancelled == true or .requires_shipping == false then 0
		else [(.qty // 0) - (.shipped // 0) - (.case_remainder // 0), 0] | max end)
	else (.backordered // 0) end;
# line_deadline($o): a pre-order line is bound by cancel_after alone, any other by
# the earlier of ship_by and cancel_after.
def line_deadline($o): if .preorder == true then $o.cancel_after | dayof else $o | deadline end;
# needed: when an order wants its units: before its window start_ship; else ship_by,
# else start_ship, else the day it was placed.
def needed: (if not_yet then .start_ship | dayof else null end) // (.ship_by | dayof) // (.start_ship | dayof)
	// (.placed_at | if type == "string" then .[0:10] | dayof else null end);
# ship_days($o): for the lines of one order (each with eta, the latest eta of its
# supplies or null, and covered, qty), .ship: the eta; for a ship-complete order
# the latest eta of them all, or null while one has units without supply; never
# before the start_ship of the order (or the business day after it).
def ship_days($o; $hol): ($o.start_ship | dayof | if . != null and closed($hol) then next_open($hol) else . end) as $start
	| (all(.[]; .covered == .qty)) as $whole
	| ([.[] | .eta | select(. != null)] | max) as $all
	| map(.ship = (if $o.ship_complete == true then (if $whole then $all else null end) else .eta end)
		| if .ship != null and $start != null and $start > .ship then .ship = $start else . end);
def item: "\(.qty) x \(if .style then [.style, .color, .size] | map(select(. != null)) | join(" ") else .sku end)";
def with_orders: reduce .[] as $r ({o: null, v: []};
	if $r.type == "order" then .o = $r elif $r.type == "backorder" then .v += [{o: .o, r: $r}] else . end) | .v;
'

# bo_jq [jq options...] PROGRAM: jq -rn with BO_DEFS and $asof bound, violations through few.
bo_jq() {
	local p=${*: -1}
	jq -rn "${@:1:$#-1}" --argjson asof "$(jq -n --arg a "$ASOF" '$a | strptime("%Y-%m-%d") | mktime / 86400 | floor')" \
		"$BO_DEFS $p" | few
}

# bo_check_supply OUT SUPPLY: no supply is promised past its qty: per supply_id and
# SKU, the units the backorder records of OUT take from it are at most its qty in SUPPLY
# (a twin at another location adds its qty); every supply the records name is in
# SUPPLY for the record's SKU, and every promise is of a unit or more.
BO_SUPPLY='($csv | split("\n")[1:] | map(select(. != "") | split(",")) | group_by([.[0], .[2]])
		| map({key: "\(.[0][0]) \(.[0][2])", value: (map(.[3] | tonumber) | add)}) | from_entries) as $cap
	| [$out[] | select(.type == "backorder") | .sku as $s | .supply[] | {k: "\(.supply_id) \($s)", q: .qty}] as $used
	| ($used[] | select(.q < 1) | "\(.k): a promise of \(.q)"),
	  ($used | group_by(.k)[] | (map(.q) | add) as $u | .[0].k as $k
		| select($cap[$k] == null or $u > $cap[$k]) | "\($k): \($u) promised of \($cap[$k] // "none")")'
bo_check_supply() { bo_jq --slurpfile out "$1" --rawfile csv "$2" "$BO_SUPPLY"; }

# bo_check_lines OUT: after each order come exactly one backorder record per line
# with units waiting (backordered > 0, or before the window open units) when the
# order is open (no status is open), none otherwise, in line order, each with the
# line's line_id, sku and waiting units as qty, and not_yet true exactly when the
# order is before its window; a
# record's promises add up to its qty at most. Every backorder record and ETA notice
# comes right after its order: only that order's backorder records, then its
# notices, between them.
BO_LINES='(reduce $out[] as $r ({o: null, v: {}, seq: []};
		if $r.type == "order" then .o = $r.order_id | .seq += [$r]
		elif $r.type == "backorder" then .v[.o // "(none)"] += [$r] else . end)) as $w
	| ($w.v["(none)"] // [] | select(length > 0) | "\(length) backorder records before any order"),
	  ($w.seq[] | . as $o
		| [if is_open then .lines[] | waiting($o) as $q | select($q > 0)
			| {order_id: $o.order_id, line_id, sku, qty: $q, not_yet: (if $o | not_yet then true else null end)} else empty end] as $want
		| [($w.v[$o.order_id] // [])[] | {order_id, line_id, sku, qty, not_yet}] as $got
		| select($got != $want) | "\($o.order_id) (\($o.status // "no status")): records \($got | tojson), want \($want | tojson)"),
	  ($out[] | select(.type == "backorder") | ([.supply[].qty] | add // 0) as $s
		| select($s > .qty) | "\(.order_id) line \(.line_id): \($s) promised of \(.qty)"),
	  (foreach $out[] as $r ({p: null};
		{p: (if $r.type == "backorder" then "b" elif $r.type == "notice" and ($r.kind | IN("backorder_eta", "preorder_eta", "eta_changed")) then "n"
		     elif $r.type == "order" then "o" else "x" end), id: $r.order_id, q: .p, qid: .id, r: $r};
		select((.p == "b" and (.q == "o" or .q == "b") and .id == .qid) or (.p == "n" and (.q == "b" or .q == "n") and .id == .qid)
			or .p == "o" or .p == "x" | not)
		| "\(.r.type) \(.r.kind // .r.line_id) of \(.r.order_id) follows a \({o: "order", b: "backorder", n: "notice", x: "record"}[.q // "x"]) of \(.qid)"))'
bo_check_lines() { bo_jq --slurpfile out "$1" "$BO_LINES"; }

# bo_check_kinds OUT SUPPLY [RULES]: each record's kind, eta and at_risk follow from
# the supplies it names (found by supply_id and SKU in SUPPLY, with their eta under RULES)
# and its order: no supply: unsourced, no eta; else preorder when the line was sold as
# a pre-order or every supply it names is production, backorder otherwise, and eta the
# latest eta of those supplies; at_risk when the order has a ship_by or cancel_after
# (a pre-order line: a cancel_after) and the earlier of them is before the eta or
# some units have no supply. A record that takes a late supply says so in its
# reason, one before its window says it is not yet due. Keys in the documented order.
BO_KINDS='supply_rows($csv; $asof; $rules[0] // {}) as $rows
	| ($rows | map({key: "\(.id) \(.sku)", value: .}) | from_entries) as $row
	| def line_eta: . as $r | [.supply[] | $row["\(.supply_id) \($r.sku)"] | .eta] | max;
	  ($out | with_orders | group_by(.r.order_id) | map(.[0].o as $o
		| [.[].r | {key: .line_id, eta: line_eta, covered: ([.supply[].qty] | add // 0), qty}]
		| ship_days($o; hols($rules[0] // {})) | map({key: "\($o.order_id)\u0000\(.key)", value: .ship})) | add // [] | from_entries) as $ships
	| $out | with_orders[] | .o as $o | .r | . as $r
	| ([$o.lines[] | select(.line_id == $r.line_id)][0]) as $line
	| [.supply[] | $row["\(.supply_id) \($r.sku)"]] as $used
	| ([.supply[].qty] | add // 0) as $covered
	| (if $used == [] then "unsourced" elif $line.preorder == true or all($used[]; .kind == "production") then "preorder" else "backorder" end) as $kind
	| $ships["\($o.order_id)\u0000\($r.line_id)"] as $ship
	| (if $ship == null then null else $ship | ymd end) as $eta
	| ($line | line_deadline($o)) as $dl
	| ($dl != null and ($covered < $r.qty or $ship == null or $ship > $dl)) as $risk
	| "\(.order_id) line \(.line_id)" as $at
	| (select(any($used[]; . == null)) | "\($at): a supply not in the file: \(.supply | tojson)"),
	  (select(.kind != $kind) | "\($at): kind \(.kind), want \($kind)"),
	  (select(.eta != $eta) | "\($at): eta \(.eta), want \($eta)"),
	  (select(.at_risk != $risk) | "\($at): at_risk \(.at_risk), want \($risk)"),
	  (select(any($used[]; .late) and (.reason | test("late") | not)) | "\($at): a late supply, and the reason does not say so: \(.reason)"),
	  (select(($o | not_yet) and (.reason | startswith("not yet due") | not)) | "\($at): before its window, and the reason does not say so: \(.reason)"),
	  (keys_unsorted | select(. != ["type", "order_id", "line_id", "sku", "qty", "kind"] + (if $eta then ["eta"] else [] end)
			+ ["supply", "at_risk", "reason"] + (if $o | not_yet then ["not_yet"] else [] end))
		| "\($at): keys \(.)")'
bo_check_kinds() { bo_jq --slurpfile out "$1" --rawfile csv "$2" --slurpfile rules "${3:-/dev/null}" "$BO_KINDS"; }

# The model: the matching worked out here from the input, the supply file, the rules
# and the locations, and the records that follow from it. The open orders' lines with
# units waiting (backordered, or before the window open), SKU by SKU; a SKU's lines by
# their order's ranking key, then their
# place in the order; a SKU's supply rows by eta, po before production, expected date,
# supply_id, location (none first), line in the file; each line in turn takes what is
# left of the rows in that order until it is covered, but for a row at a location of
# $serves (location: its channels, [] for all; {} without --locations) that does not
# serve the order's channel. The records come after their order, in the order of the
# input, each line's in line order.
BO_MATCH='def matched($in; $csv; $rules; $serves):
	sort_keys($rules) as $keys
	| supply_rows($csv; $asof; $rules)
	| sort_by([.sku, .eta, (if .kind == "po" then 0 else 1 end), .expected, .id, .loc, .line])
	| map(.left = .qty) | group_by(.sku) | map({key: .[0].sku, value: .}) | from_entries
	| . as $by
	| [$in | to_entries[] | .key as $n | .value | select(.type == "order" and is_open) | . as $o
		| rank_key($keys) as $k
		| .lines | to_entries[] | (.value | waiting($o)) as $q | select($q > 0)
		| {n: $n, k: $k, i: .key, dl: (.value | line_deadline($o)), ch: $o.channel,
		   o: {ship_complete: $o.ship_complete, start_ship: $o.start_ship},
		   order_id: $o.order_id, line_id: .value.line_id, sku: .value.sku,
		   qty: $q, pre: (.value.preorder == true), not_yet: ($o | not_yet)}]
	| group_by(.sku)
	| map(sort_by([.k, .i])
		| reduce .[] as $l ({s: ($by[.[0].sku] // []), v: []};
			reduce range(0; .s | length) as $j (.need = $l.qty | .takes = [];
				if .need > 0 and .s[$j].left > 0
					and ($serves[.s[$j].loc] // [] | . == [] or index([$l.ch]) != null)
				then ([.need, .s[$j].left] | min) as $t
					| .s[$j].left -= $t | .need -= $t | .takes += [.s[$j] + {take: $t}]
				else . end)
			| .v += [$l + {takes: .takes, covered: ($l.qty - .need)}])
		| .v)
	| add // [] | map(.eta = (if .takes == [] then null else [.takes[].eta] | max end))
	| group_by(.n) | map(ship_days(.[0].o; hols($rules))) | add // [] | sort_by([.n, .i]);
def record: .ship as $eta
	| {order_id, line_id, sku, qty,
	   kind: (if .takes == [] then "unsourced" elif .pre or all(.takes[]; .kind == "production") then "preorder" else "backorder" end)}
	+ (if $eta then {eta: ($eta | ymd)} else {} end)
	+ {supply: [.takes[] | {supply_id: .id} + (if .loc != "" then {location: .loc} else {} end) + {qty: .take}],
	   at_risk: (.dl != null and (.covered < .qty or $eta == null or $eta > .dl))}
	+ (if .not_yet then {not_yet: true} else {} end);
'
BO_MODEL='[matched($in; $csv; $rules[0] // {}; $serves)[] | record] as $want
	| [$out[] | select(.type == "backorder") | del(.type, .reason)] as $got
	| (select(($got | length) != ($want | length)) | "\($got | length) records, want \($want | length)"),
	  ([range(0; [($got | length), ($want | length)] | max) | select($got[.] != $want[.])
		| "record \(. + 1): \($got[.] | tojson) != \($want[.] | tojson)"] | .[0:20][])'
# bo_check_model IN OUT SUPPLY [RULES [LOCATIONS]]: the records of OUT are the
# model's for the run of IN with SUPPLY, RULES and LOCATIONS, one for one, in order.
bo_check_model() {
	local serves='{}'
	[ -z "${5:-}" ] || serves=$(awk -F, 'NR > 1 { print $1 "\t" $6 }' "$5" |
		jq -Rn '[inputs | split("\t") | {key: .[0], value: (.[1] | if . == "" then [] else split("|") end)}] | from_entries')
	bo_jq --slurpfile in "$1" --slurpfile out "$2" --rawfile csv "$3" --slurpfile rules "${4:-/dev/null}" \
		--argjson serves "$serves" "$BO_MATCH $BO_MODEL"
}

# bo_check_notices OUT [PREVIOUS]: the ETA notices of a run, worked out from its
# backorder records and those of PREVIOUS (none: every line is new; a record there of a
# line before its window was never told). Lines before their window are told nothing.
# After an order's
# backorder records, at most three notices, in this order: backorder_eta for its new
# lines with supply that are not pre-orders, preorder_eta for its new lines with
# supply that are, eta_changed for the lines PREVIOUS holds whose eta (or having
# none) or units with supply are not those told then. Each has the order's customer,
# eta the latest eta among its lines, and a text that names the order as the
# customer knows it, then ": ", its lines in order ("Q x STYLE COLOR SIZE", Q the
# units covered when some are, "(N more: no date yet)" for the rest), lines in a row
# that share a date and the date told before listed together with ", " and the date
# phrase once after them, "; " between groups, a full stop. The date phrase: "no date
# for now: ..." (and "(was DATE)" when a date was told); "expected to ship by DATE"
# for a new line, one told no date, or one told this date; else "now DATE (was
# DATE)". No other notice of those kinds.
BO_NOTICES='($prev | map(select(.type == "backorder" and .not_yet != true)
		| {key: "\(.order_id)\u0000\(.line_id)", value: {eta: (.eta // "none"), cov: ([.supply[].qty] | add // 0)}})
		| from_entries) as $was
	| def body($items): reduce $items[] as $x ([];
		if length > 0 and .[-1].key == [$x.when, $x.was] then .[-1].texts += [$x.text]
		else . + [{key: [$x.when, $x.was], texts: [$x.text], when: $x.when, was: $x.was}] end)
		| map((.texts | join(", "))
			+ (if .when == null then ", no date for now: we will write when there is one"
				+ (if .was != "untold" and .was != "none" then " (was \(.was | day | words))" else "" end)
			   elif .was == "untold" or .was == "none" or .was == .when then ", expected to ship by \(.when | day | words)"
			   else ", now \(.when | day | words) (was \(.was | day | words))" end))
		| ": " + join("; ") + ".";
	  def told($kind; $items): if $items == [] then empty else
		{type: "notice", order_id: .order_id} + (if .customer then {customer} else {} end)
		+ {kind: $kind, eta: ([$items[].when | select(.)] | max), body: body($items)}
		| if .eta == null then del(.eta) else . end end;
	  (reduce $out[] as $r ({o: null, v: {}, seq: []};
		if $r.type == "order" then .o = $r.order_id | .seq += [$r]
		elif $r.type == "backorder" then .v[.o].r += [$r]
		elif $r.type == "notice" and ($r.kind | IN("backorder_eta", "preorder_eta", "eta_changed")) then .v[.o // "(none)"].n += [$r]
		else . end)) as $w
	| ($w.v["(none)"].n // [] | select(length > 0) | "\(length) ETA notices before any order"),
	  ($w.seq[] | . as $o | ($w.v[.order_id] // {}) as $v
		| [($v.r // [])[] | select(.not_yet != true) | . as $r | ([$o.lines[] | select(.line_id == $r.line_id)][0]) as $line
			| ($was["\(.order_id)\u0000\(.line_id)"] // {eta: "untold"}) as $before
			| ([.supply[].qty] | add // 0) as $cov
			| {kind, when: .eta, was: $before.eta, new: ($before.eta == "untold" or $before.eta == "none"),
			   changed: ($before.eta != "untold" and $before.eta != "none" and ($before.eta != (.eta // "none") or $before.cov != $cov)),
			   text: (($line + {qty: (if .eta then $cov else .qty end)} | item)
				+ (if .eta and $cov < .qty then " (\(.qty - $cov) more: no date yet)" else "" end))}] as $lines
		| ($o.channel_order_id // $o.order_id) as $shown
		| [($o | told("backorder_eta"; [$lines[] | select(.new and .when and .kind != "preorder")])),
		   ($o | told("preorder_eta"; [$lines[] | select(.new and .when and .kind == "preorder")])),
		   ($o | told("eta_changed"; [$lines[] | select(.changed)]))] as $want
		| ($v.n // []) as $got
		| select(($got | length) != ($want | length) or any(range(0; $want | length); . as $i
			| ($got[$i] | del(.text)) != ($want[$i] | del(.body))
			  or ($got[$i].text | endswith($want[$i].body) | not)
			  or ($got[$i].text[0:($got[$i].text | length) - ($want[$i].body | length)] | contains($shown) | not)))
		| "\($o.order_id): notices \($got | tojson), want \($want | tojson) (body: the text after the opening)")'
bo_check_notices() { bo_jq --slurpfile out "$1" --slurpfile prev "${2:-/dev/null}" "$BO_NOTICES"; }

# bo_check_shortfall OUT SHORTFALL: the --shortfall file is the header and one row per
# SKU whose records have units without supply, by SKU: style, color and size of the
# first waiting line of the SKU that names each; units, the sum over its records
# of qty less the units promised; orders, the orders with such units; earliest_needed,
# the earliest of those orders' needed (start_ship for an order before its window, else
# ship_by, else start_ship, else the day placed); channels,
# theirs, sorted, once each, joined by |.
BO_SHORT='[$out | with_orders[] | .o as $o | .r | . as $r
		| {sku, o: $o, line: ([$o.lines[] | select(.line_id == $r.line_id)][0]),
		   short: (.qty - ([.supply[].qty] | add // 0))}] as $all
	| (["sku,style,color,size,units,orders,earliest_needed,channels"]
	  + [$all | group_by(.sku)[] | . as $g | map(select(.short > 0)) | select(length > 0)
		| [.[0].sku, ([$g[].line.style | select(.)][0] // ""), ([$g[].line.color | select(.)][0] // ""),
		   ([$g[].line.size | select(.)][0] // ""), ([.[].short] | add),
		   ([.[].o.order_id] | unique | length), ([.[].o | needed | select(.)] | min | if . then ymd else "" end),
		   ([.[].o.channel | select(.)] | unique | join("|"))] | map(tostring) | join(",")]) as $want
	| ($csv | rtrimstr("\n") | split("\n")) as $got
	| (select(($got | length) != ($want | length)) | "\($got | length) lines, want \($want | length)"),
	  ([range(0; [($got | length), ($want | length)] | max) | select($got[.] != $want[.])
		| "line \(. + 1): \($got[.] // "none") != \($want[.] // "none")"] | .[0:20][])'
bo_check_shortfall() { bo_jq --slurpfile out "$1" --rawfile csv "$2" "$BO_SHORT"; }

# bo_check_stats IN OUT SUPPLY ERR [PREVIOUS]: the --stats line in ERR of the run of IN
# with SUPPLY (and PREVIOUS as --previous) that wrote OUT, against counts worked out
# from the files: in + passed, the records of IN; out, the records of OUT; created,
# its backorder records and ETA notices; consumed, those of IN; rejected 0; orders;
# backorders; units, their qty; po and production, the units they take from supplies
# of each kind; unsourced, their units without supply; preorder, the qty of the
# preorder records; not_yet, the qty of the records before their window; at_risk;
# notices; eta_changed, the lines of OUT (not before their window) that PREVIOUS holds
# (as told: not before their window)
# with another eta (or none) or other units with supply; late_supply, the rows of SUPPLY expected before --as-of. And
# in + passed + created = out + rejected + consumed.
BO_STATS='supply_rows($csv; $asof; {}) as $rows
	| ($rows | map({key: "\(.id) \(.sku)", value: .kind}) | from_entries) as $kind
	| [$out[] | select(.type == "backorder")] as $b
	| [$out[] | select(.type == "notice" and (.kind | IN("backorder_eta", "preorder_eta", "eta_changed")))] as $n
	| def ours: [.[] | select(.type == "backorder" or (.type == "notice" and (.kind | IN("backorder_eta", "preorder_eta", "eta_changed"))))] | length;
	  {in_passed: ($in | length), out: ($out | length), created: ($out | ours), consumed: ($in | ours), rejected: 0,
	   orders: ([$out[] | select(.type == "order")] | length), backorders: ($b | length),
	   units: ([$b[].qty] | add // 0),
	   po: ([$b[] | .sku as $s | .supply[] | select($kind["\(.supply_id) \($s)"] == "po") | .qty] | add // 0),
	   production: ([$b[] | .sku as $s | .supply[] | select($kind["\(.supply_id) \($s)"] == "production") | .qty] | add // 0),
	   unsourced: ([$b[] | .qty - ([.supply[].qty] | add // 0)] | add // 0),
	   preorder: ([$b[] | select(.kind == "preorder") | .qty] | add // 0),
	   not_yet: ([$b[] | select(.not_yet == true) | .qty] | add // 0),
	   at_risk: ([$b[] | select(.at_risk)] | length), notices: ($n | length),
	   eta_changed: (($prev | map(select(.type == "backorder" and .not_yet != true) | {key: "\(.order_id)\u0000\(.line_id)", value: [(.eta // "none"), ([.supply[].qty] | add // 0)]})
			| from_entries) as $was
		| [$b[] | select(.not_yet != true) | $was["\(.order_id)\u0000\(.line_id)"] as $e
			| select($e != null and $e[0] != "none" and $e != [(.eta // "none"), ([.supply[].qty] | add // 0)])] | length),
	   late_supply: ([$rows[] | select(.late)] | length)}
	| to_entries[] | "\(.key)=\(.value)"'
bo_check_stats() {
	local st k v got line
	st=$(grep ': stats: ' "$4" | tail -n 1)
	[ -n "$st" ] || { echo "no stats line in $4"; return; }
	jq -rn --slurpfile in "$1" --slurpfile out "$2" --rawfile csv "$3" --slurpfile prev "${5:-/dev/null}" \
		--argjson asof "$(jq -n --arg a "$ASOF" '$a | strptime("%Y-%m-%d") | mktime / 86400 | floor')" "$BO_DEFS $BO_STATS" |
		while IFS='=' read -r k v; do
			if [ "$k" = in_passed ]; then
				got=$(($(statval in "$st") + $(statval passed "$st")))
			else
				got=$(statval "$k" "$st")
			fi
			[ "$got" = "$v" ] || echo "$k: the stats say ${got:-nothing}, want $v"
		done
	[ $(($(statval in "$st") + $(statval passed "$st") + $(statval created "$st"))) = \
		$(($(statval out "$st") + $(statval rejected "$st") + $(statval consumed "$st"))) ] ||
		echo "in + passed + created != out + rejected + consumed: $st"
}

# bo_strip FILE: FILE without its backorder records and ETA notices, byte for byte.
bo_strip() {
	grep -v -E '^\{"type":"backorder",|^\{"type":"notice",.*"kind":"(backorder_eta|preorder_eta|eta_changed)","(eta|text)":' "$1"
}

# bo_slim FILE: FILE with its orders cut down to the fields the checks read (the other
# records as they are): the checks parse it faster, and see the same.
bo_slim() {
	jq -c 'if .type == "order" then {type, order_id, channel, channel_order_id, status, customer, priority,
		placed_at, ship_by, start_ship, cancel_after, ship_complete, allocation: {status: .allocation.status},
		lines: [.lines[] | {line_id, sku, style, color, size, preorder, qty, shipped, cancelled, requires_shipping, backordered, case_remainder}
			| with_entries(select(.value != null))]}
		| with_entries(select(.value != null)) else . end' "$1"
}

# bo_check_demand IN OUT SHORTFALL ERR: every unit of demand is either promised supply
# or in the shortfall. Demand is worked out from IN alone (the last occurrence of each
# open order: its lines' backordered units, or before its window their open units);
# per SKU it equals the units the records of OUT promise from supply plus the units of
# the SKU's row of SHORTFALL (none without a row); and the --stats line in ERR adds up
# the same: units, the demand; not_yet, the demand before its window; po + production,
# the units promised; unsourced, the shortfall's units.
BO_DEMAND='(reduce ($in[] | select(.type == "order")) as $o ({}; .[$o.order_id] = $o) | [.[] | select(is_open)]) as $open
	| [$open[] | . as $o | .lines[] | {sku, q: waiting($o), ny: ($o | not_yet)} | select(.q > 0)] as $d
	| ($d | group_by(.sku) | map({key: .[0].sku, value: (map(.q) | add)}) | from_entries) as $demand
	| ([$out[] | select(.type == "backorder") | {sku, q: ([.supply[].qty] | add // 0)}]
		| group_by(.sku) | map({key: .[0].sku, value: (map(.q) | add)}) | from_entries) as $promised
	| ($csv | split("\n")[1:] | map(select(. != "") | split(",")) | map({key: .[0], value: (.[4] | tonumber)}) | from_entries) as $short
	| ([$demand, $promised, $short] | map(keys[]) | unique[]
		| select(($demand[.] // 0) != ($promised[.] // 0) + ($short[.] // 0))
		| "\(.): demand \($demand[.] // 0) != promised \($promised[.] // 0) + short \($short[.] // 0)"),
	  ({units: ([$d[].q] | add // 0), not_yet: ([$d[] | select(.ny) | .q] | add // 0),
	    promised: ([$promised[]] | add // 0), unsourced: ([$short[]] | add // 0)} | to_entries[] | "stat \(.key)=\(.value)")'
bo_check_demand() {
	local st k v got line
	st=$(grep ': stats: ' "$4" | tail -n 1)
	[ -n "$st" ] || { echo "no stats line in $4"; return; }
	bo_jq --slurpfile in "$1" --slurpfile out "$2" --rawfile csv "$3" "$BO_DEMAND" |
		while IFS= read -r line; do
			case $line in
			"stat "*)
				line=${line#stat } k=${line%%=*} v=${line#*=}
				if [ "$k" = promised ]; then
					got=$(($(statval po "$st") + $(statval production "$st")))
				else
					got=$(statval "$k" "$st")
				fi
				[ "$got" = "$v" ] || echo "$k: the stats say ${got:-nothing}, want $v"
				;;
			*) echo "$line" ;;
			esac
		done
}
