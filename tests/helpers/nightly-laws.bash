# nightly-laws.bash: loaded by tests/nightly-laws.bats after helpers/oms-allocate-laws
# and helpers/oms-split-laws (whose split_book, salloc, osplit and few it uses):
# several nights of a generated book, each night's confirmations, recount and order
# changes made here, and the checks of the laws that must hold after every night.
# The checks are jq over the records; none shares code with the tools. Each prints
# one line per violation (at most 20, then a count) and nothing when the law holds.

# The locations split_book stocks, in turn: a confirmation "from another location"
# names the next one.
NL_LOCS='["DC-EAST","DC-WEST","3PL-TORONTO","Overflow #2"]'

# nl_run DIR SEED N NIGHTS: split_book DIR SEED N, then NIGHTS nights, night k in
# DIR/nK/: inventory.csv, changes.ndjson (re-exported orders), confirm.ndjson (the
# confirmations made that day), tracking.ndjson (every confirmation so far: each is
# fed again every night), allocated.ndjson, split.ndjson, tix/ (the tickets, with
# void/), book.ndjson (its orders and shipments, the next night's book), rejects and
# statuses (allocate.status, split.status). Night 1 starts from split_book's orders.
nl_run() {
	local d=$1 seed=$2 n=$3 nights=$4 k prev
	split_book "$d" "$seed" "$n"
	mkdir -p "$d/n0"
	cp "$d/split-inventory.csv" "$d/n0/inventory.csv"
	cp "$d/split-book.ndjson" "$d/n0/book.ndjson"
	: > "$d/n0/tracking.ndjson"
	for ((k = 1; k <= nights; k++)); do
		prev=$d/n$((k - 1))
		mkdir -p "$d/n$k"
		nl_recount "$k" < "$prev/inventory.csv" > "$d/n$k/inventory.csv"
		if ((k > 1)); then
			nl_changes "$k" < "$prev/book.ndjson" > "$d/n$k/changes.ndjson"
			nl_confirm "$k" < "$prev/split.ndjson" > "$d/n$k/confirm.ndjson"
		else
			: > "$d/n$k/changes.ndjson"
			: > "$d/n$k/confirm.ndjson"
		fi
		cat "$prev/tracking.ndjson" "$d/n$k/confirm.ndjson" > "$d/n$k/tracking.ndjson"
		nl_night "$d" "$k" "$d/n$k" "$prev/book.ndjson"
		grep -E '^\{"type":"(order|shipment)",' "$d/n$k/split.ndjson" > "$d/n$k/book.ndjson"
	done
}

# nl_night DIR K OUT BOOK: night K's allocate and split from BOOK into OUT (with
# OUT's inventory, changes and tracking), their statuses and --stats lines beside
# (allocate.stats, split.stats).
nl_night() {
	local d=$1 k=$2 o=$3 book=$4 st
	INV=$o/inventory.csv salloc "$d" --stats --inventory-out "$o/inventory-out.csv" --rejects "$o/rej-allocate.ndjson" \
		-O "$o/allocated.ndjson" "$book" "$o/changes.ndjson" "$o/tracking.ndjson" 2> "$o/allocate.err" && st=0 || st=$?
	echo "$st" > "$o/allocate.status"
	osplit "$d" --stats --manifest-dir "$o/tix" --rejects "$o/rej-split.ndjson" -O "$o/split.ndjson" "$o/allocated.ndjson" \
		2> "$o/split.err" && st=0 || st=$?
	echo "$st" > "$o/split.status"
	grep ': stats: ' "$o/allocate.err" > "$o/allocate.stats"
	grep ': stats: ' "$o/split.err" > "$o/split.stats"
}

# check_counts OUT: law 5 for night OUT's two stages: in + passed + created = out +
# rejected + consumed; out is the records written, rejected the rejects file's; and
# oms-split's shipped and cancelled are the shipments of its output that became so
# tonight (those that were not so in its input).
check_counts() {
	local o=$1 tool st want
	for tool in allocate split; do
		st=$(cat "$o/$tool.stats")
		[ $(($(statval in "$st") + $(statval passed "$st") + $(statval created "$st"))) -eq \
			$(($(statval out "$st") + $(statval rejected "$st") + $(statval consumed "$st"))) ] ||
			echo "$tool: in + passed + created != out + rejected + consumed: $st"
		want=$(wc -l < "$o/$([ $tool = allocate ] && echo allocated || echo split).ndjson")
		[ "$(statval out "$st")" -eq "$want" ] || echo "$tool: out=$(statval out "$st"), $want records written"
		want=$(cat "$o/rej-$tool.ndjson" 2> /dev/null | wc -l)
		[ "$(statval rejected "$st")" -eq "$want" ] || echo "$tool: rejected=$(statval rejected "$st"), $want in its rejects"
	done
	st=$(cat "$o/split.stats")
	for status in shipped cancelled; do
		want=$(jq -rn --arg s "$status" --slurpfile in "$o/allocated.ndjson" --slurpfile out "$o/split.ndjson" '
			($in | map(select(.type == "shipment" and .status == $s) | .shipment_id)) as $before
			| [$out[] | select(.type == "shipment" and .status == $s and ((.shipment_id | IN($before[])) | not))] | length')
		[ "$(statval "$status" "$st")" -eq "$want" ] || echo "split: $status=$(statval "$status" "$st"), $want shipments became $status"
	done
}

# nl_recount K < INVENTORY: the night's count: from night 2 on, every 9th row (a
# row of its own each night) holds half what it held.
nl_recount() {
	awk -F, -v OFS=, -v k="$1" 'NR > 1 && k > 1 && (NR + 4 * k) % 9 == 0 { $3 = int($3 / 2) } 1'
}

# nl_changes K < BOOK: the channels export a few open orders again, as a channel
# knows them (without what the tools added): every 40th one with one unit more (or,
# every other time, one less, where the line has it left) on its first line to ship,
# and every 40th, 20 further on, cancelled.
nl_changes() {
	jq -c --argjson k "$1" 'select(.type == "order" and (.status // "open") == "open")' |
		jq -cs --argjson k "$1" '
		to_entries[] | .key as $i | .value
		| del(.allocation, .fulfillment) | .lines |= map(del(.allocated, .backordered))
		| if ($i + 7 * $k) % 40 == 0 then
			([.lines | to_entries[] | select(.value.cancelled != true and .value.requires_shipping != false) | .key][0]) as $l
			| if $l == null then empty
			  elif ($i / 40 | floor) % 2 == 1 and .lines[$l].qty > (.lines[$l].shipped // 0) + 1 then .lines[$l].qty -= 1
			  else .lines[$l].qty += 1 end
		  elif ($i + 7 * $k) % 40 == 20 then .status = "cancelled"
		  else empty end'
}

# nl_confirm K < SPLIT: the day's confirmations, of the released shipments of the
# last night still to ship (of an open order, not confirmed), the i-th of them by i:
#   0  by shipment_id alone (as a ShipStation export of the tickets names it)
#   1  by order_id, from its location, exactly its lines
#   2  by channel_order_id and source, exactly its lines, no location
#   3  by channel_order_id without source: "#" dropped, a leading zero added to a
#      number of digits alone
#   4  in part, by shipment_id: the first line alone, one unit less when it has more
#   5  by order_id, exactly its lines, from another location than planned
#   6  by "source:number" as channel_order_id, exactly its lines
#   7-9 not confirmed
# each with a carrier in turn and tracking number T<K>-<i>.
nl_confirm() {
	jq -cs --argjson k "$1" --argjson locs "$NL_LOCS" '
		(map(select(.type == "order")) | map({key: .order_id, value: .}) | from_entries) as $o
		| [.[] | select(.type == "shipment" and .status == "released") | . as $s | $o[.order_id] as $ord
			| select($ord != null and ($ord.status // "open") == "open"
				and (($ord.allocation.tracked // []) | index([$s.shipment_id]) | not))]
		| to_entries[] | .key as $i | .value as $s | $o[$s.order_id] as $ord
		| ($i % 10) as $m
		| ($ord.channel_order_id // "") as $cn
		| {type: "tracking"} + (
			if $m == 0 or $m == 4 then {shipment_id: $s.shipment_id}
			elif $m == 1 then {order_id: $s.order_id, location: $s.location}
			elif $m == 5 then {order_id: $s.order_id,
				location: $locs[(($locs | index($s.location)) + 1) % ($locs | length)]}
			elif $m == 2 and $cn != "" and $ord.source then {source: $ord.source, channel_order_id: $cn}
			elif $m == 3 and $cn != "" then {channel_order_id: ($cn | ltrimstr("#") | if test("^[0-9]+$") then "0" + . else . end)}
			elif $m == 6 and $cn != "" and $ord.source then {channel_order_id: "\($ord.source):\($cn | ltrimstr("#"))"}
			else null end)
		| select(.shipment_id or .order_id or .channel_order_id)
		| . + {carrier: (["UPS", "USPS", "FedEx", "DHL"][$i % 4]), tracking_number: "T\($k)-\($i)",
			shipped_at: "2026-12-0\($k)T15:00:00Z",
			lines: (if $m == 4 then [$s.lines[0] | {line_id, sku, qty: (if .qty > 1 then .qty - 1 else .qty end)}]
				else [$s.lines[] | {line_id, sku, qty}] end)}'
}

# What the checks share: orders by id; shipments by order; whether a released
# shipment is live ($strict: every released one; else, as oms-split(1) documents it,
# one still to ship: of an order not closed, not in its allocation.tracked); a
# line's units on a list of shipments, per location or in all.
NL_DEFS='
def orders: map(select(.type == "order")) | map({key: .order_id, value: .}) | from_entries;
def ships: map(select(.type == "shipment")) | group_by(.order_id) | map({key: .[0].order_id, value: .}) | from_entries;
def live($o): .status == "released" and ($strict or (($o.status // "open") != "closed"
	and (.shipment_id as $id | ($o.allocation.tracked // []) | index([$id]) | not)));
def units($l): [.[] | .lines[]? | select(.line_id == $l) | .qty] | add // 0;
def at($l): [.[] | .location as $loc | .lines[]? | select(.line_id == $l) | {key: ($loc // "-"), value: .qty}]
	| reduce .[] as $c ({}; .[$c.key] += $c.value);
def idle($o): (($o.allocation.status // "") | IN("not_yet", "expired", "cancelled", "closed"))
	or ($o.status // "open") != "open" or .cancelled == true or .requires_shipping == false
	or any($o.lines[]; .sku == null and .cancelled != true and .requires_shipping != false);
'

# nl_jq FILE STRICT PROGRAM [ARGS...]: PROGRAM over FILE slurped, with $strict.
nl_jq() {
	local f=$1 strict=$2 prog=$3
	shift 3
	jq -rs --argjson strict "$strict" "$@" "$NL_DEFS orders as \$o | ships as \$s | $prog" "$f" | few
}

# Law (shipped): per line of every order, the units on its shipped shipments are
# the units shipped since the channel's export (lines.shipped less the shipped of
# BASE, the orders as the channels gave them first), and every shipped shipment has
# a carrier and a tracking number.
NL_SHIPPED='($base[0]) as $b | $o[] | . as $ord | ($s[.order_id] // []) as $mine
	| ([$mine[] | select(.status == "shipped")]) as $sh
	| (.lines[] | .line_id as $l | ((.shipped // 0) - ($b[$ord.order_id][$l] // 0)) as $want | ($sh | units($l)) as $got
		| select($got != $want) | "\($ord.order_id) line \($l): \($got) on shipped shipments, \($want) shipped since the export"),
	  ($sh[] | select((.carrier // "") == "" or (.tracking_number // "") == "") | "\(.shipment_id): shipped, no carrier or tracking number")'
check_shipped() {
	nl_jq "$1" false "$NL_SHIPPED" --slurpfile base <(jq -c 'select(.type == "order")
		| {(.order_id): ([.lines[] | {key: .line_id, value: (.shipped // 0)}] | from_entries)}' "$2" | jq -cs 'add')
}

# Law (live): per line and location of every order, the units on its live released
# and held shipments are the units allocated there.
NL_LIVE='$o[] | . as $ord | ($s[.order_id] // []) as $mine
	| ([$mine[] | select(live($ord) or .status == "held")]) as $l
	| .lines[] | .line_id as $lid
	| ([.allocated[]? | {key: .location, value: .qty}] | reduce .[] as $c ({}; .[$c.key] += $c.value)) as $a
	| ($l | at($lid)) as $on
	| (($a | keys) + ($on | keys)) | unique[] | select($a[.] != $on[.])
	| "\($ord.order_id) line \($lid) at \(.): \($a[.] // 0) allocated, \($on[.] // 0) on live released and held shipments"'
check_live() { nl_jq "$1" "${2:-false}" "$NL_LIVE"; }

# Law (sum): per line of every order, shipped + units on live released and held
# shipments + unallocated = qty, where unallocated is backordered plus the case
# remainder (units that make no whole case), or qty - shipped on a line that gets
# no allocation (its order not open or not in its window, holding a line without
# a SKU; the line cancelled or needing no shipping).
NL_SUM='$o[] | . as $ord | ($s[.order_id] // []) as $mine
	| ([$mine[] | select(live($ord) or .status == "held")]) as $l
	| .lines[] | .line_id as $lid | (.shipped // 0) as $sh | ($l | units($lid)) as $on
	| (if idle($ord) then .qty - $sh else (.backordered // 0) + (.case_remainder // 0) end) as $u
	| select($sh + $on + $u != .qty or $u < 0)
	| "\($ord.order_id) line \($lid): shipped \($sh) + \($on) on live shipments + \($u) unallocated != qty \(.qty)"'
check_sum() { nl_jq "$1" "${2:-false}" "$NL_SUM"; }

# Law (tracking never lost): every tracking number in ALLOCATED... (oms-allocate's
# outputs: the confirmations it applied, with their order) is on exactly one shipped
# shipment of FILE, of that order; every shipped shipment's number is one of those.
NL_TRACKED='([$fed[] | select(.type == "tracking" and .order_id)] | unique_by([.tracking_number, .order_id])) as $t
	| ([.[] | select(.type == "shipment" and .status == "shipped")] | group_by(.tracking_number)
		| map({key: .[0].tracking_number, value: .}) | from_entries) as $by
	| ($t[] | . as $x | ($by[.tracking_number] // []) as $m
		| select(($m | length) != 1 or $m[0].order_id != $x.order_id)
		| "\(.tracking_number) (\(.order_id)): on \($m | length) shipped shipments \([$m[].shipment_id])"),
	  ($by | keys[] | select(. as $n | any($t[]; .tracking_number == $n) | not) | "\(.): on a shipped shipment, never fed")'
check_tracked() {
	local f=$1
	shift
	nl_jq "$f" false "$NL_TRACKED" --slurpfile fed <(cat "$@")
}

# Law (notices once): over SPLIT... (every night's output), one notice of kind
# shipped per shipped shipment of FILE (the last night), naming its tracking
# number, and none for any other shipment.
NL_NOTICES='([$all[] | select(.type == "notice" and .kind == "shipped")] | group_by(.shipment_id)
		| map({key: .[0].shipment_id, value: .}) | from_entries) as $n
	| ([.[] | select(.type == "shipment" and .status == "shipped")]) as $sh
	| ($sh[] | . as $x | ($n[.shipment_id] // []) as $m
		| (select(($m | length) != 1) | "\(.shipment_id): \($m | length) shipped notices"),
		  ($m[0] // empty | select(.text | contains($x.tracking_number) | not) | "\($x.shipment_id): its notice does not name \($x.tracking_number)")),
	  ($n | keys[] | select(. as $id | any($sh[]; .shipment_id == $id) | not) | "\(.): a shipped notice, and no shipped shipment")'
check_notices_once() {
	local f=$1
	shift
	nl_jq "$f" false "$NL_NOTICES" --slurpfile all <(cat "$@")
}

# check_void OUT PREV DIR: the void lists of DIR/void/ hold one row per line of each
# shipment the night cancelled (cancelled in OUT, released in PREV, the night
# before), at its location, and no other row.
check_void() {
	local out=$1 prev=$2 dir=$3
	diff <(jq -rs --slurpfile prev "$prev" '
			([$prev[] | select(.type == "shipment" and .status == "released") | .shipment_id]) as $was
			| .[] | select(.type == "shipment" and .status == "cancelled" and (.shipment_id | IN($was[])))
			| .location as $l | .shipment_id as $id | .lines[] | "\($l),\($id),\(.sku),\(.qty)"' "$out" | LC_ALL=C sort) \
		<(for f in "$dir"/void/*.csv; do tail -n +2 "$f"; done | cut -d, -f1,2,5,6 | LC_ALL=C sort) |
		sed -n 's/^< /missing void row: /p; s/^> /void row of no shipment cancelled tonight: /p' | few
}
