# oms-split-laws.bash: loaded by tests/oms-split-laws.bats after helpers/oms-allocate-laws
# (whose book, alloc, few and statval it uses): allocated books for oms-split and
# the checks of its laws over its output. The checks are jq and awk over the records
# and the pick tickets; none of them shares code with the tool's own self-check.
# Every check prints one line per violation (at most 20, then a count) and nothing
# when the law holds, so a test is `run -0 check ...; assert_output ''`.

# The stocked locations of a split book, in the order the inventory stripes them.
SPLIT_LOCS='DC-EAST,DC-WEST,3PL-TORONTO,Overflow #2'

# split_book DIR SEED [N]: book DIR SEED N (N of gen's orders, default 2000, with
# prepacks, cancelled lines, lines that need no shipping and lines partly shipped),
# then what oms-split needs to have something to split:
# - DIR/split-locations.csv: gen's three locations serving every channel, "Overflow #2"
#   (priority 2, as DC-WEST: a tie that goes by name; its ticket's name is escaped)
#   and ".returns" (no stock: its ticket is a header alone; a leading dot is escaped);
# - DIR/split-inventory.csv: each SKU's units all at one location, in turn, and every
#   fifth SKU's spread over the four, so that orders are allocated from 1 to 4 places;
# - DIR/split-book.ndjson: the prepack lines priced, every other wholesale order b2b,
#   every 19th order's last line without a price, every 23rd order without a
#   currency, every 29th without ship_by, every 31st same_day and every 37th by a
#   service no one knows;
# - DIR/split-rules.json: every partial policy, and max_shipments 2;
# - DIR/allocated.ndjson: the book through oms-allocate with those references;
# - DIR/night1.ndjson: oms-split on it, with its pick tickets in DIR/tix1 and
#   --stats in DIR/night1.err.
# stripe_inventory LOCS TIMES: an inventory (location,sku,on_hand on standard
# input) made again over the comma-separated LOCS: each SKU's units, times
# TIMES, at one of them in turn, every fifth SKU's spread over all of them.
stripe_inventory() {
	awk -F, -v OFS=, -v locs="$1" -v times="$2" '
		NR > 1 { if (!($2 in t)) sku[n++] = $2; t[$2] += $3 }
		END {
			print "location,sku,on_hand,safety_stock"
			nl = split(locs, L, ",")
			for (i = 0; i < n; i++)
				for (j = 1; j <= nl; j++) {
					s = sku[i]
					if (i % 5 == 4) q = int(t[s] / nl) + (j == 1 ? t[s] % nl : 0)
					else q = i % nl == j - 1 ? t[s] : 0
					print L[j], s, times * q, 0
				}
		}'
}

split_book() {
	local d=$1
	book "$d" "$2" "${3:-2000}"
	{
		awk -F, -v OFS=, 'NR == 1 { print; next } { print $1, $2, $3, $4, $5, "", "", "" }' "$d/locations.csv"
		echo 'Overflow #2,warehouse,US,NJ,2,,,'
		echo '.returns,store,US,CA,5,,,'
	} > "$d/split-locations.csv"
	stripe_inventory "$SPLIT_LOCS" 1 < "$d/inventory.csv" > "$d/split-inventory.csv"
	jq -c 'input_line_number as $n | .currency as $c
		| if .type != "order" then . else
			.lines |= map(if .line_id == "P" then .unit_price = (if $c == "JPY" then "7200" else "72.00" end) else . end)
			| (if .channel == "wholesale" and $n % 2 == 0 then .channel = "b2b" else . end)
			| (if $n % 19 == 0 then del(.lines[-1].unit_price) else . end)
			| (if $n % 23 == 0 then del(.currency) else . end)
			| (if $n % 29 == 0 then del(.ship_by) else . end)
			| (if $n % 31 == 0 then .service = "same_day" else . end)
			| (if $n % 37 == 0 then .service = "white_glove" else . end)
		  end' "$d/book.ndjson" > "$d/split-book.ndjson"
	printf '%s\n' '{"split": {"partial": {"wholesale": "hold", "marketplace": {"min_value": "25.00"},
		"b2b": {"min_percent": 30}, "dtc": "ship"}, "max_shipments": 2}}' > "$d/split-rules.json"
	salloc "$d" "$d/split-book.ndjson" > "$d/allocated.ndjson"
	osplit "$d" --stats --manifest-dir "$d/tix1" "$d/allocated.ndjson" > "$d/night1.ndjson" 2> "$d/night1.err"
}

# salloc DIR [ARGS...]: oms-allocate with the split book's references (INV overrides the inventory).
salloc() {
	local d=$1
	shift
	INV=${INV:-$d/split-inventory.csv} LOCS=$d/split-locations.csv alloc "$d" "$@"
}

# osplit DIR [ARGS...]: oms-split with the split book's locations and rules.
osplit() {
	local d=$1
	shift
	oms-split --as-of "$ASOF" --locations "$d/split-locations.csv" --rules "$d/split-rules.json" "$@"
}

# What the checks share, over the slurped records: an order's open units and units
# allocated; records by order_id; the orders (the last occurrence), the orders warned
# (shipment_changed), the shipments; whether a released shipment is unconfirmed (not
# in allocation.tracked, on an order that is not closed); whether a shipment carries
# units now (held, or released and unconfirmed); an order's allocated units and a
# list of shipments' units by "line L at LOCATION"; the location priorities of $locs.
SPLIT_DEFS='
def open_units: if .cancelled == true or .requires_shipping == false then 0
	else [(.qty - (.shipped // 0)), 0] | max end;
def fill_units: [open_units - (.case_remainder // 0), 0] | max;
def alloc_units: [.allocated[]?.qty] | add // 0;
def is_open: (.status // "open") == "open";
def byorder(f): [.[] | select(f)] | group_by(.order_id) | map({key: .[0].order_id, value: .}) | from_entries;
def orders: byorder(.type == "order") | to_entries | map(.value |= .[-1]) | from_entries;
def warned: byorder(.type == "notice" and .kind == "shipment_changed");
def ships: byorder(.type == "shipment");
def unconfirmed($o): .status == "released" and ($o.status // "open") != "closed"
	and (.shipment_id as $id | ($o.allocation.tracked // []) | index([$id]) | not);
def counts($o): .status == "held" or unconfirmed($o);
def cells: reduce .[] as $c ({}; .[$c.key] += $c.value);
def alloc_cells: [.lines[] | .line_id as $l | .allocated[]? | {key: "line \($l) at \(.location)", value: .qty}] | cells;
def ship_cells: [.[] | .location as $loc | .lines[]? | {key: "line \(.line_id) at \($loc)", value: .qty}] | cells;
def prio($locs): $locs | split("\n")[1:] | map(select(. != "") | split(",") | {key: .[0], value: (.[4] | tonumber)}) | from_entries;
'
# The checks below run with $orders, $warned, $ships, $prio and $fresh bound.
SPLIT_BIND='orders as $orders | warned as $warned | ships as $ships | prio($locs) as $prio |'

# split_check FILE LOCATIONS FRESH PROGRAM...: the PROGRAMs over FILE, in one jq run.
split_check() {
	local f=$1 locs=$2 fresh=$3 p prog=
	shift 3
	for p; do prog+="${prog:+, }($p)"; done
	jq -rs --rawfile locs "$locs" --argjson fresh "$fresh" "$SPLIT_DEFS $SPLIT_BIND $prog" "$f" | few
}

# Law: for every open order, per line and location,
# the units on its held and unconfirmed released shipments are the units allocated
# there, and so are their totals; a shipment's units are the sum of its lines'; every
# shipment names an order of the stream. Fresh (a first run): every line of a released
# shipment carries the line's whole allocation at the shipment's location.
SPLIT_LAW='(.[] | select(.type == "shipment") | ([.lines[]?.qty] | add // 0) as $u
		| (select(.units != $u) | "\(.shipment_id): units \(.units) != \($u) on its lines"),
		  (select($orders[.order_id] == null) | "\(.shipment_id): order \(.order_id) is not in the stream")),
	($orders[] | select(is_open) | . as $o
		| alloc_cells as $a
		| [$ships[$o.order_id][]? | select(counts($o))] as $mine
		| ($mine | ship_cells) as $s
		| ((($a | keys) + ($s | keys)) | unique[] | select($a[.] != $s[.])
			| "\($o.order_id) \(.): \($a[.] // 0) allocated, \($s[.] // 0) on held and released shipments"),
		  (([$a[]] | add // 0) as $ta | ([$mine[].units] | add // 0) as $ts | select($ta != $ts)
			| "\($o.order_id): \($ta) units allocated, \($ts) on held and released shipments"),
		  (select($fresh) | $mine[] | select(.status == "released") | . as $sh | .lines[]
			| select(.qty != $a["line \(.line_id) at \($sh.location)"])
			| "\($sh.shipment_id) line \(.line_id): \(.qty) units, \($a["line \(.line_id) at \($sh.location)"] // 0) allocated at \($sh.location)"))'
check_law() { split_check "$1" /dev/null "$([ "${2:-}" = fresh ] && echo true || echo false)" "$SPLIT_LAW"; }

# Cover: every shipment is released or shipped without a reason, held with one, or
# cancelled; every open order that has units
# allocated has shipments; one whose allocation is held, not_yet or expired has a held
# shipment that says so.
SPLIT_COVER='(.[] | select(.type == "shipment")
		| select(if .status == "released" or .status == "shipped" then has("reason")
			elif .status == "held" then (.reason // "") == "" else .status != "cancelled" end)
		| "\(.shipment_id): status \(.status | tojson), reason \(.reason | tojson)"),
	($orders[] | select(is_open) | . as $o
		| [$ships[.order_id][]? | select(counts($o))] as $mine
		| ([.lines[] | alloc_units] | add // 0) as $a
		| (select($a > 0 and ($mine | length) == 0) | "\(.order_id): \($a) units allocated and no shipment"),
		  (.allocation.status as $st | select($st == "held" or $st == "not_yet" or $st == "expired")
			| select(any($mine[]; .status == "held" and (.reason | startswith("allocation \($st)"))) | not)
			| "\(.order_id): allocation \($st), and no held shipment says so"))'
check_cover() { split_check "$1" /dev/null false "$SPLIT_COVER"; }

# Ids: shipment ids are unique and <order_id>/<seq>; an order's seqs are 1..n; every
# shipment and notice of an order follows it with only records of that order between.
# Fresh: every shipment of an order has of = n, and by seq they go by units desc,
# then location priority (locations.csv), then location name.
SPLIT_IDS='([.[] | select(.type == "shipment") | .shipment_id] | group_by(.)[] | select(length > 1)
		| "\(.[0]): \(length) shipments have this id"),
	(.[] | select(.type == "shipment" and .shipment_id != "\(.order_id)/\(.seq)")
		| "\(.shipment_id): not <order_id>/<seq> (\(.order_id), \(.seq))"),
	(reduce .[] as $r ({at: null, bad: []};
		if $r.type == "order" then .at = $r.order_id
		elif ($r.type == "shipment" or $r.type == "notice") and $r.order_id != null and $r.order_id != .at
		then .bad += ["\($r.shipment_id // $r.kind) of \($r.order_id) follows \(.at)"] else . end) | .bad[]),
	($ships | to_entries[] | .key as $id | (.value | sort_by(.seq)) as $s
		| (select([$s[].seq] != [range(1; ($s | length) + 1)]) | "\($id): seqs \([$s[].seq])"),
		  (select($fresh) | (select(any($s[]; .of != ($s | length))) | "\($id): of \([$s[].of]) for \($s | length) shipments"),
			(range(1; $s | length) as $i | $s[$i - 1] as $x | $s[$i] as $y
			 | select([-$x.units, $prio[$x.location], $x.location] > [-$y.units, $prio[$y.location], $y.location])
			 | "\($id): \($x.shipment_id) (\($x.units) at \($x.location)) before \($y.shipment_id) (\($y.units) at \($y.location))")))'
check_ids() { split_check "$1" "$2" "$([ "${3:-}" = fresh ] && echo true || echo false)" "$SPLIT_IDS"; }

# Warnings: exactly the orders (open or cancelled) whose shipped shipments carry more
# units of a line than the order has shipped have a shipment_changed notice, one,
# which names every such line and no customer. A cancelled order has no released
# shipment still to ship: oms-split cancelled them.
SPLIT_WARN='($orders[] | select(.status == "open" or .status == "cancelled" or .status == null) | . as $o
		| ([$ships[$o.order_id][]? | select(.status == "shipped") | .lines[] | {key: .line_id, value: .qty}] | cells) as $sent
		| [$o.lines[] | select(($sent[.line_id] // 0) > (.shipped // 0))
			| "line \(.line_id) (\(.sku)): \($sent[.line_id]) on shipped shipments, \(.shipped // 0) shipped on the order"] as $over
		| ($warned[$o.order_id] // []) as $got
		| (select($o.status == "cancelled") | $ships[$o.order_id][]? | select(unconfirmed($o))
			| "\($o.order_id): cancelled, and \(.shipment_id) is still released"),
		  (if ($over | length) == 0 then
			(select($got != []) | "\($o.order_id): warned, but its shipped shipments are all on the book")
		  elif ($got | length) != 1 then "\($o.order_id): \($got | length) warnings, want 1 for \($over)"
		  else $got[0] as $n
			| (select($n | has("customer")) | "\($o.order_id): the warning names the customer"),
			  (select($n.text | startswith("Order \($o.order_id): the warehouse confirmed more than the book shipped:") | not)
				| "\($o.order_id): warning text \($n.text)"),
			  ($over[] | select(. as $t | $n.text | contains($t) | not) | "\($o.order_id): the warning does not say \(.)")
		  end)),
	($warned | keys[] | select($orders[.] == null) | "\(.): warned, and not in the stream")'
check_warnings() { split_check "$1" /dev/null false "$SPLIT_WARN"; }

# check_stream FILE LOCATIONS: law, cover, ids and warnings, for a run on a stream
# that held shipments already (nothing fresh about it).
check_stream() { split_check "$1" "$2" false "$SPLIT_LAW" "$SPLIT_COVER" "$SPLIT_IDS" "$SPLIT_WARN"; }

# check_notices OUT [IN]: the split_shipment notices of the run (the records of OUT
# that are not in its input IN) are for exactly the orders that got a released
# shipment in the run and have more than one released in all, one each, with the
# order's customer, naming the order as the customer knows it and as many shipments
# as it has released.
SPLIT_NOTICES='($new | map(select(.type == "shipment" and .status == "released") | {key: .shipment_id, value: true}) | from_entries) as $made
	| ($new | byorder(.type == "notice" and .kind == "split_shipment")) as $got
	| $orders[] | . as $o
	| ([$ships[.order_id][]? | select(.status == "released" and $made[.shipment_id])] | length) as $now
	| ([$ships[.order_id][]? | select(.status == "released")] | length) as $all
	| ($got[.order_id] // []) as $n
	| if $now > 0 and $all > 1 then
		if ($n | length) != 1 then "\(.order_id): \($now) of \($all) released shipments made now, \($n | length) notices"
		else $n[0]
			| (select(.text | startswith("Your order \($o.channel_order_id // $o.order_id) ships in \($all) shipments.") | not)
				| "\($o.order_id): notice \(.text)"),
			  (select([.text | scan(" Shipment [0-9]+ of [0-9]+: ")] | length != $all) | "\($o.order_id): notice \(.text)"),
			  (select(.customer != $o.customer) | "\($o.order_id): notice for \(.customer | tojson), not the customer")
		end
	  else select($n != []) | "\(.order_id): \($n | length) notices, \($now) of \($all) released shipments made now" end'
check_notices() {
	local t=${BATS_TEST_TMPDIR:-/tmp}/notices.$$
	awk -v old="${2:-/dev/null}" 'BEGIN { while ((getline l < old) > 0) seen[l] = 1 } !($0 in seen)' "$1" > "$t"
	jq -rs --slurpfile new "$t" "$SPLIT_DEFS orders as \$orders | ships as \$ships | $SPLIT_NOTICES" "$1" | few
	rm -f "$t"
}

# check_model ALLOCATED OUT LOCATIONS RULES: a first run on ALLOCATED, worked out here
# from the orders and the rules, record for record. After each open order: one
# shipment per location with units allocated, ordered as the ids law says, with the
# order's channel, service, ship_by and ship_to, the lines allocated there, units,
# and currency and value when the order has a currency and every line a price; all
# held, with the first reason that applies (allocation held/not_yet/expired, ship
# complete, the channel's partial policy: hold, min_percent, min_value; max_shipments;
# all but the first only when something is ready), or all released; a held shipment
# with no location and no lines when the allocation holds the order and nothing is
# allocated; then, when more than one is released, the split_shipment notice, with
# the order's customer. Shipment fields come in the documented order. A reason is
# checked for the pieces it must name (the rule, the channel, the counts or amounts
# that decided it), not for its wording; a notice's text likewise, for the order as
# the customer knows it, the count, and each shipment's items in order.
SPLIT_MODEL='
def digits: if . == "JPY" or . == "KRW" then 0 else 2 end;
def cents: if . == null then null else split(".") as $p | ($p[0] | tonumber) * 100 + ((($p[1] // "") + "00")[0:2] | tonumber) end;
def money($d): if $d == 0 then "\(. / 100 | floor)" else "\(. / 100 | floor).\("\(100 + . % 100)"[1:])" end;
def minimum($d): if $d == 0 and . % 100 == 0 then "\(. / 100 | floor)" else money(2) end;
def item: if .style then [.style, .color, .size] | map(select(. != null)) | join(" ") else .sku // "item" end;
def compact: with_entries(select(.value != null));
prio($locs) as $prio | ($rules[0].split) as $r
| ($out | byorder(.order_id != null and .type != "order")) as $made
| $in[] | select(.type == "order") | . as $o
| ($o.currency | if . then digits else 2 end) as $dg
| (if is_open then
	[.lines[] | {line_id, sku, item: item, price: (if $o.currency then .unit_price | cents else null end),
		priced: ($o.currency != null and .unit_price != null), o: fill_units, a: alloc_units, at: [.allocated[]?]}] as $ls
	| ([$ls[].o] | add // 0) as $open
	| ([$ls[].a] | add // 0) as $alloc
	| ([$ls | to_entries[] | .key as $i | .value.at[] | {loc: .location, i: $i, q: .qty}] | group_by(.loc)
		| map({loc: .[0].loc, lines: (group_by(.i) | map($ls[.[0].i] + {qty: (map(.q) | add)} | {line_id, sku, qty, price, item}))}
			| .units = ([.lines[].qty] | add))
		| sort_by([-.units, $prio[.loc], .loc])) as $locs
	| ($locs | length) as $n
	| ([$ls[] | select(.a > 0 or .o > .a) | .priced] | all) as $priced
	| ([$locs[].lines[] | .qty * (.price // 0)] | add // 0) as $ready
	| ([$ls[] | select(.o > .a) | (.o - .a) * (.price // 0)] | add // 0) as $rest
	| ($r.partial[$o.channel] // $r.partial["*"] // "ship") as $pol
	| ($o.channel // "this channel") as $ch
	| (if ($pol | type) == "object" then $pol.min_value | cents else null end) as $min
	| ($min | if . then minimum($dg) else null end) as $mt
	| (if ($pol | type) != "object" then null
	   elif $pol.min_percent != null and $alloc * 100 < $pol.min_percent * $open
	   then ["partial policy for \($ch)", "\($alloc)", "\($open)", "\($pol.min_percent)%"]
	   elif $pol.min_percent != null and ($open - $alloc) * 100 < $pol.min_percent * $open
	   then ["partial policy for \($ch)", "\($open - $alloc)", "\($open)", "\($pol.min_percent)%"]
	   elif $min == null then null
	   elif ($priced | not) then ["partial policy for \($ch)", $mt, "no prices"]
	   elif $ready < $min then ["partial policy for \($ch)", "part ready", "\($ready | money($dg)) \($o.currency)", $mt]
	   elif $rest < $min then ["partial policy for \($ch)", "rest", "\($rest | money($dg)) \($o.currency)", $mt]
	   else null end) as $minimum
	| $o.allocation.status as $st
	| (if $st == "held" or $st == "not_yet" or $st == "expired"
	   then ["allocation \($st)\(if $o.allocation.reason then ": \($o.allocation.reason)" else "" end)"]
	   elif $n == 0 then null
	   elif $alloc < $open and $o.ship_complete == true then ["ship complete", "\($alloc) of \($open)"]
	   elif $alloc < $open and $pol == "hold" then ["partial policy for \($ch) is hold", "\($alloc) of \($open)"]
	   elif $alloc < $open and $minimum != null then $minimum
	   elif $r.max_shipments != null and $n > $r.max_shipments then ["\($n) shipments", "\($r.max_shipments)"]
	   elif ($o.start_ship // "") > $asof then ["ship window opens \($o.start_ship)"]
	   else null end) as $held
	| def ship($i; $of; $l): {type: "shipment", shipment_id: "\($o.order_id)/\($i)", order_id: $o.order_id,
		channel: $o.channel, location: $l.loc, service: $o.service, ship_by: $o.ship_by, ship_to: $o.ship_to,
		seq: $i, of: $of, status: (if $held then "held" else "released" end), reason: $held, units: ($l.units // 0)}
		+ (if $o.currency != null and all($l.lines[]?; .price != null)
		   then {currency: $o.currency, value: ([$l.lines[]? | .qty * .price] | add // 0 | money($dg))} else {} end)
		+ {lines: [$l.lines[]? | {line_id, sku, qty}]} | compact;
	  (if $n == 0 and $held then [ship(1; 1; {})] else [range(0; $n) as $i | ship($i + 1; $n; $locs[$i])] end) as $s
	| ([$s[] | select(.status == "released")] | length) as $nr
	| $s + (if $nr > 1 then [{type: "notice", order_id: $o.order_id, customer: $o.customer, kind: "split_shipment",
		text: (["\($o.channel_order_id // $o.order_id)", "\($nr) shipments"]
			+ [range(0; $nr) as $k | "Shipment \($k + 1) of \($nr): \([$locs[$k].lines[] | "\(.qty) x \(.item)"] | join(", "))."])} | compact]
		else [] end)
  else [] end) as $want
| [($made[$o.order_id] // [])[] | . as $x
	| if .reason and all($want[]?.reason[]?; . as $p | $x.reason | contains($p)) then .reason = ([$want[] | .reason // empty][0]) else . end
	| if .text and .kind == "split_shipment" and all($want[-1].text[]?; . as $p | $x.text | contains($p)) then .text = $want[-1].text else . end] as $got
| (select($got != $want) | "\($o.order_id): made \($got | map(.shipment_id // .kind)), want \($want | map(.shipment_id // .kind)); first difference: "
	+ ([range(0; [($got | length), ($want | length)] | max) | select($got[.] != $want[.]) | "\($got[.] | tojson) != \($want[.] | tojson)"][0])),
  ($got[] | select(.type == "shipment") | keys_unsorted as $k
	| ["type", "shipment_id", "order_id", "channel", "location", "service", "ship_by", "ship_to", "seq", "of",
		"status", "reason", "units", "currency", "value", "lines"] as $doc
	| select($k != [$doc[] | select(IN($k[]))]) | "\(.shipment_id): fields in the order \($k)")'
check_model() {
	jq -rn --slurpfile in "$1" --slurpfile out "$2" --rawfile locs "$3" --slurpfile rules "$4" \
		--arg asof "$ASOF" "$SPLIT_DEFS $SPLIT_MODEL" | few
}

# ticket_name LOCATION: the file name of a location's pick ticket (bytes other than
# A-Za-z0-9._- and a leading dot as %XX).
ticket_name() {
	printf '%s\n' "$1" | LC_ALL=C awk '
		BEGIN { for (i = 1; i < 256; i++) ord[sprintf("%c", i)] = i }
		{
			out = ""
			for (i = 1; i <= length($0); i++) {
				c = substr($0, i, 1)
				if (c ~ /[A-Za-z0-9_-]/ || (c == "." && i > 1)) out = out c
				else out = out sprintf("%%%02X", ord[c])
			}
			print out ".csv"
		}'
}

OMS_TICKET_HEADER='location,shipment_id,order_id,channel,service,ship_by,sku,style,color,size,qty,unit_price,ship_to.name,ship_to.company,ship_to.line1,ship_to.line2,ship_to.city,ship_to.region,ship_to.postal_code,ship_to.country,ship_to.phone,start_ship,cancel_after,pack_contents'

# What the tickets should hold: one row per line of every unconfirmed released
# shipment of an open order, as its first 12 cells and the line's
# place in its shipment, tab-separated; and the orders' priorities, "ID TAB P".
TICKET_ROWS='.[] | select(.type == "shipment") | . as $s | $orders[.order_id] as $o
	| select($o != null and ($o | is_open) and unconfirmed($o))
	| range(0; .lines | length) as $i | .lines[$i] as $l
	| ([$o.lines[] | select(if $l.line_id then .line_id == $l.line_id else .sku == $l.sku end)][0]) as $ol
	| [$s.location, $s.shipment_id, $o.order_id, $o.channel, $s.service, $s.ship_by, $l.sku,
	   $ol.style, $ol.color, $ol.size, $l.qty, $ol.unit_price, $i + 1] | map(. // "" | tostring) | join("\t")'
PRIORITIES='select(.type == "order") | "\(.order_id)\t\(.priority // 0)"'

# check_tickets FILE DIR LOCATIONS: DIR holds a ticket for each location of LOCATIONS
# (and of the shipments) and no other file; each has the header, and its rows are
# the lines of the open released shipments at its location, a shipment's lines in
# their order; the rows go by ship_by (none last), service speed, order priority
# desc, shipment id (checked with sort -c on the keys taken from the rows).
check_tickets() {
	local f=$1 dir=$2 locs=$3 t=${BATS_TEST_TMPDIR:-/tmp}/tickets.$$ loc name
	jq -rs "$SPLIT_DEFS orders as \$orders | warned as \$warned | $TICKET_ROWS" "$f" | LC_ALL=C sort > "$t.want"
	jq -r "$PRIORITIES" "$f" > "$t.prio"
	: > "$t.got"
	: > "$t.names"
	: > "$t.err"
	{ awk -F, 'NR > 1 { print $1 }' "$locs"; cut -f1 "$t.want"; } | LC_ALL=C sort -u > "$t.locs"
	while IFS= read -r loc; do
		name=$(ticket_name "$loc")
		printf '%s\n' "$name" >> "$t.names"
		if [ ! -f "$dir/$name" ]; then
			echo "$loc: no ticket $dir/$name"
			continue
		fi
		head -n 1 "$dir/$name" | grep -qxF "$OMS_TICKET_HEADER" || echo "$name: header $(head -n 1 "$dir/$name")"
		# The cells up to unit_price hold no comma or quote in these books; the address may.
		tail -n +2 "$dir/$name" | awk -F, -v OFS='\t' -v loc="$loc" -v name="$name" -v err="$t.err" '
			$1 != loc { print name ":" NR + 1 ": location " $1 >> err }
			{ print $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, ++n[$2] }' >> "$t.got"
		tail -n +2 "$dir/$name" | LC_ALL=C awk -F, -v OFS='\t' -v pf="$t.prio" '
			BEGIN {
				while ((getline l < pf) > 0) { split(l, p, "\t"); prio[p[1]] = p[2] }
				n = split("same_day 0 next_day 1 overnight 1 two_day 2 second_day 2 expedited 3 priority 3 standard 4 economy 5", s, " ")
				for (i = 1; i < n; i += 2) speed[s[i]] = s[i + 1]
			}
			{ print ($6 == "" ? "~" : $6), ($5 in speed ? speed[$5] : 4), -prio[$3], $2 }' > "$t.keys"
		LC_ALL=C sort -c -s -t "$(printf '\t')" -k1,1 -k2,2n -k3,3n -k4,4 "$t.keys" 2>&1 |
			sed "s|^sort: [^:]*:\([0-9]*\): disorder: |$name: row \1 out of pick-queue order: |"
	done < "$t.locs"
	cat "$t.err"
	ls -A "$dir" | grep -vx void | LC_ALL=C sort | comm -23 - <(LC_ALL=C sort "$t.names") | sed 's/^/stray file among the tickets: /'
	LC_ALL=C sort "$t.got" | diff "$t.want" - | sed -n 's/^< /missing row: /p; s/^> /extra row: /p' | few
	rm -f "$t".*
}
