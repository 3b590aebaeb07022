#!/usr/bin/env bats
# oms-split and the laws (SPEC.md section 5), checked on generated books: three seeds
# of 2000 orders from bench/gen with its reference files, allocated by oms-allocate
# from stock striped over four locations so that orders split, and split with rules
# that use every partial policy and max_shipments (helpers/oms-split-laws.bash).
# The checks are jq and awk over the output and the pick tickets, worked out from the
# input; they share no code with the tool's own self-check.

SEEDS="1 7 42"

setup_file() {
	load helpers/common
	load helpers/oms-allocate-laws
	load helpers/oms-split-laws
	for s in $SEEDS; do split_book "$BATS_FILE_TMPDIR/s$s" "$s"; done
}

setup() {
	load helpers/common
	load helpers/oms-allocate-laws
	load helpers/oms-split-laws
	T=$BATS_TEST_TMPDIR
}

# line_of FILE COND: the number of the first line of FILE whose record meets the jq COND.
line_of() { jq -r "select($2) | input_line_number" "$1" | head -n 1; }
# edit FILE N EXPR: FILE with the record of line N changed by the jq EXPR.
edit() { jq -c --argjson n "$2" "if input_line_number == \$n then $3 else . end" "$1"; }
# lines_not_in A B: the lines of B that are not lines of A.
lines_not_in() { awk -v a="$1" 'BEGIN { while ((getline l < a) > 0) seen[l] = 1 } !($0 in seen)' "$2"; }
# released FILE: the released shipment records of FILE, as they are written.
released() { grep '^{"type":"shipment",.*"status":"released"' "$1"; }
# rx TEXT: TEXT as an extended regular expression that matches it alone.
rx() { printf '%s' "$1" | sed 's/[][\\.*^$+?(){}|]/\\&/g'; }
# excerpt FILE N: the records of FILE up to the first order after line N: whole orders
# with their records, a small stream on which to show that a check bites.
excerpt() { awk -v n="$2" 'NR > n && /^\{"type":"order",/ { exit } 1' "$1"; }

@test "law: an open order's held and released shipments carry its allocated units, line by line and location by location" {
	for s in $SEEDS; do
		d=$BATS_FILE_TMPDIR/s$s
		run -0 check_law "$d/night1.ndjson" fresh
		assert_output ''
		# The units allocated on the open orders, worked out from the input, are those
		# --stats counts as released and held.
		want=$(jq -rs '[.[] | select(.status == "open") | .lines[].allocated[]?.qty] | add' "$d/allocated.ndjson")
		st=$(tail -n 1 "$d/night1.err")
		assert_equal "units $(($(statval units_released "$st") + $(statval units_held "$st")))" "units $want"
		# Not vacuous: orders were allocated from up to four locations.
		run -0 jq -s '[.[] | [.lines[].allocated[]?.location] | unique | length] | max' "$d/allocated.ndjson"
		assert_output 4
	done
	# The check bites: a unit more on a released line (its shipment's units too), a
	# shipment's units that are not its lines', a released shipment gone.
	excerpt "$BATS_FILE_TMPDIR/s42/night1.ndjson" 600 > "$T/small"
	f=$T/small
	n=$(line_of "$f" '.type == "shipment" and .status == "released"')
	IFS=$'\t' read -r id line loc q < <(sed -n "${n}p" "$f" | jq -r '[.order_id, .lines[0].line_id, .location, .lines[0].qty] | @tsv')
	edit "$f" "$n" '.lines[0].qty += 1 | .units += 1' > "$T/broken"
	run -0 check_law "$T/broken" fresh
	assert_line "$id line $line at $loc: $q allocated, $((q + 1)) on held and released shipments"
	assert_line --regexp "^$(rx "$id"): [0-9]+ units allocated, [0-9]+ on held and released shipments$"
	assert_line --regexp "^$(rx "$id")/[0-9]+ line $(rx "$line"): $((q + 1)) units, $q allocated at $(rx "$loc")$"
	edit "$f" "$n" '.units += 1' > "$T/broken"
	run -0 check_law "$T/broken" fresh
	assert_line --regexp "^$(rx "$id")/[0-9]+: units [0-9]+ != [0-9]+ on its lines$"
	sed "${n}d" "$f" > "$T/broken"
	run -0 check_law "$T/broken"
	assert_line "$id line $line at $loc: $q allocated, 0 on held and released shipments"
}

@test "cover: every order with units allocated has shipments, held ones say why, and a held allocation shows" {
	for s in $SEEDS; do
		d=$BATS_FILE_TMPDIR/s$s
		run -0 check_cover "$d/night1.ndjson"
		assert_output ''
	done
	# Not vacuous: every allocation status that holds is there, and holds with
	# nothing allocated show as a shipment with no location.
	run -0 sh -c "cat $BATS_FILE_TMPDIR/s*/allocated.ndjson | jq -r '.allocation.status' | LC_ALL=C sort -u | tr '\n' ' '"
	assert_output 'cancelled closed expired full held none not_yet partial '
	run -0 sh -c "cat $BATS_FILE_TMPDIR/s*/night1.ndjson | jq -c 'select(.type == \"shipment\" and .location == null and .units == 0 and .lines == [])' | wc -l"
	[ "$output" -gt 100 ]
	# The check bites: a held shipment without its reason, a released one with one,
	# the only shipment of a not_yet order gone.
	excerpt "$BATS_FILE_TMPDIR/s7/night1.ndjson" 600 > "$T/small"
	f=$T/small
	n=$(line_of "$f" '.type == "shipment" and .status == "held" and .location != null')
	edit "$f" "$n" 'del(.reason)' > "$T/broken"
	run -0 check_cover "$T/broken"
	assert_output --regexp '^[^ ]+: status "held", reason null$'
	n=$(line_of "$f" '.type == "shipment" and .status == "released"')
	edit "$f" "$n" '.reason = "why not"' > "$T/broken"
	run -0 check_cover "$T/broken"
	assert_output --regexp '^[^ ]+: status "released", reason "why not"$'
	n=$(line_of "$f" '.type == "shipment" and (.reason // "" | startswith("allocation not_yet"))')
	id=$(sed -n "${n}p" "$f" | jq -r .order_id)
	sed "${n}d" "$f" > "$T/broken"
	run -0 check_cover "$T/broken"
	assert_output "$id: allocation not_yet, and no held shipment says so"
}

@test "rules: each order's new shipments and notice are what its allocation and the split rules make of it" {
	for s in $SEEDS; do
		d=$BATS_FILE_TMPDIR/s$s
		run -0 check_model "$d/allocated.ndjson" "$d/night1.ndjson" "$d/split-locations.csv" "$d/split-rules.json"
		assert_output ''
		# The orders themselves pass through byte for byte, in their order.
		run -0 cmp <(grep '^{"type":"order",' "$d/night1.ndjson") "$d/allocated.ndjson"
	done
	# Not vacuous: partial orders of every channel, held and released as their policy
	# says; orders held by max_shipments; the split book exercises them all.
	for s in $SEEDS; do
		jq -r 'select(.allocation.status == "partial") | "P\t\(.order_id)\t\(.channel)"' "$BATS_FILE_TMPDIR/s$s/allocated.ndjson"
		jq -r 'select(.type == "shipment" and .location) | "S\t\(.order_id)\t\(.status)"' "$BATS_FILE_TMPDIR/s$s/night1.ndjson"
	done > "$T/partial"
	run -0 sh -c "awk -F'\t' '\$1 == \"P\" { ch[\$2] = \$3 } \$1 == \"S\" && (\$2 in ch) { print ch[\$2], \$3 }' '$T/partial' | LC_ALL=C sort -u | tr '\n' ,"
	for want in 'b2b held' 'b2b released' 'dtc released' 'marketplace held' 'marketplace released' 'wholesale held'; do
		assert_output --partial "$want,"
	done
	refute_output --partial 'wholesale released'
	run -0 sh -c "cat $BATS_FILE_TMPDIR/s*/night1.ndjson | jq -c 'select(.type == \"shipment\" and .of > 2 and .status == \"held\")' | wc -l"
	[ "$output" -gt 50 ]
	# Other rules on a book of ship_complete partial orders: ship complete holds; a
	# fallback policy "*" with both minimums; max_shipments 3.
	d=$BATS_FILE_TMPDIR/s7
	jq -c 'if .allocation.status == "partial" and (.order_id | explode | add) % 3 == 0 then .ship_complete = true else . end' \
		"$d/allocated.ndjson" > "$T/complete.ndjson"
	printf '%s\n' '{"split": {"partial": {"*": {"min_value": "40.00", "min_percent": 20}, "dtc": "ship",
		"wholesale": "hold"}, "max_shipments": 3}}' > "$T/rules.json"
	oms-split --as-of "$ASOF" --locations "$d/split-locations.csv" --rules "$T/rules.json" "$T/complete.ndjson" > "$T/out"
	run -0 check_model "$T/complete.ndjson" "$T/out" "$d/split-locations.csv" "$T/rules.json"
	assert_output ''
	run -0 sh -c "jq -r 'select(.type == \"shipment\") | .reason // empty' '$T/out' | grep -c 'ship complete'"
	[ "$output" -gt 10 ]
	# The check bites: another reason, another value, fields out of their order.
	excerpt "$d/night1.ndjson" 600 > "$T/small"
	grep '^{"type":"order",' "$T/small" > "$T/small.in"
	f=$T/small
	n=$(line_of "$f" '.type == "shipment" and .status == "held" and .location != null')
	edit "$f" "$n" '.reason = "held for no reason"' > "$T/broken"
	run -0 check_model "$T/small.in" "$T/broken" "$d/split-locations.csv" "$d/split-rules.json"
	assert_output --regexp '^[^ ]+: made .*first difference: .*held for no reason'
	n=$(line_of "$f" '.type == "shipment" and .status == "released" and .value')
	edit "$f" "$n" '.value = "0.01"' > "$T/broken"
	run -0 check_model "$T/small.in" "$T/broken" "$d/split-locations.csv" "$d/split-rules.json"
	assert_output --regexp '^[^ ]+: made .*"value":"0.01"'
	edit "$f" "$n" 'del(.units) + {units: .units}' > "$T/broken"
	run -0 check_model "$T/small.in" "$T/broken" "$d/split-locations.csv" "$d/split-rules.json"
	assert_output --regexp '^[^ ]+: fields in the order \[.*"lines","units"\]$'
}

@test "ids: <order_id>/<seq>, seq 1..of, unique, by units, then location priority, then name" {
	for s in $SEEDS; do
		d=$BATS_FILE_TMPDIR/s$s
		run -0 check_ids "$d/night1.ndjson" "$d/split-locations.csv" fresh
		assert_output ''
	done
	# Not vacuous: ties in units went by priority, and ties in priority by name
	# (DC-WEST and "Overflow #2" are both priority 2).
	run -0 sh -c "cat $BATS_FILE_TMPDIR/s*/night1.ndjson | jq -rs '
		[.[] | select(.type == \"shipment\")] | group_by(.order_id)[] | sort_by(.seq) as \$s
		| range(1; \$s | length) as \$i | select(\$s[\$i - 1].units == \$s[\$i].units)
		| \"\(\$s[\$i - 1].location) > \(\$s[\$i].location)\"' | LC_ALL=C sort | uniq -c | awk '{ \$1 = \"\"; print }' | tr '\n' ','"
	assert_output --partial ' DC-EAST > DC-WEST,'
	assert_output --partial ' DC-WEST > Overflow #2,'
	# The check bites: /1 and /2 swapped where /1 had more units, an id twice, an id
	# that is not <order_id>/<seq>.
	excerpt "$BATS_FILE_TMPDIR/s1/night1.ndjson" 600 > "$T/small"
	f=$T/small
	n=$(jq -r 'select(.type == "shipment") | [input_line_number, .order_id, .seq, .of, .units] | @tsv' "$f" |
		awk -F'\t' '$3 == 2 && $4 == 2 && p[2] == $2 && p[3] == 1 && p[5] > $5 { print p[1]; exit } { split($0, p, "\t") }')
	id=$(sed -n "${n}p" "$f" | jq -r .order_id)
	jq -c --argjson n "$n" 'if input_line_number == $n or input_line_number == $n + 1
		then .seq = 3 - .seq | .shipment_id = "\(.order_id)/\(.seq)" else . end' "$f" > "$T/broken"
	run -0 check_ids "$T/broken" "$BATS_FILE_TMPDIR/s1/split-locations.csv" fresh
	assert_output --regexp "^$(rx "$id"): $(rx "$id")/1 \([0-9]+ at [^)]*\) before $(rx "$id")/2 \([0-9]+ at [^)]*\)$"
	sed "${n}p" "$f" > "$T/broken"
	run -0 check_ids "$T/broken" "$BATS_FILE_TMPDIR/s1/split-locations.csv"
	assert_line "$id/1: 2 shipments have this id"
	assert_line "$id: seqs [1,1,2]"
	edit "$f" "$n" '.shipment_id = "\(.order_id)/7"' > "$T/broken"
	run -0 check_ids "$T/broken" "$BATS_FILE_TMPDIR/s1/split-locations.csv"
	assert_output "$id/7: not <order_id>/<seq> ($id, 1)"
}

@test "deterministic: the same bytes from two runs, from two files, from stdin, cut between an order and its shipments" {
	for s in $SEEDS; do
		d=$BATS_FILE_TMPDIR/s$s
		osplit "$d" --stats "$d/allocated.ndjson" > "$T/1" 2> "$T/1.err"
		osplit "$d" --stats "$d/allocated.ndjson" > "$T/2" 2> "$T/2.err"
		run -0 cmp "$T/1" "$T/2"
		run -0 cmp "$T/1.err" "$T/2.err"
		head -n 777 "$d/allocated.ndjson" > "$T/a"
		tail -n +778 "$d/allocated.ndjson" > "$T/b"
		osplit "$d" --stats "$T/a" "$T/b" > "$T/3" 2> "$T/3.err"
		run -0 cmp "$T/1" "$T/3"
		run -0 cmp "$T/1.err" "$T/3.err"
		osplit "$d" -O "$T/4" < "$d/allocated.ndjson"
		run -0 cmp "$T/1" "$T/4"
		# A stream with shipments, cut after an order, before its shipments.
		n=$(awk 'NR > 1000 && p ~ /^\{"type":"order",/ && /^\{"type":"shipment",/ { print NR - 1; exit } { p = $0 }' "$d/night1.ndjson")
		head -n "$n" "$d/night1.ndjson" > "$T/a"
		tail -n +$((n + 1)) "$d/night1.ndjson" > "$T/b"
		osplit "$d" "$T/a" "$T/b" > "$T/5"
		run -0 cmp "$d/night1.ndjson" "$T/5"
		# Every shipment before every order: the same records, in another order.
		grep '^{"type":"shipment",' "$d/night1.ndjson" > "$T/a"
		grep -v '^{"type":"shipment",' "$d/night1.ndjson" > "$T/b"
		osplit "$d" "$T/a" "$T/b" > "$T/6"
		run -0 cmp <(LC_ALL=C sort "$d/night1.ndjson") <(LC_ALL=C sort "$T/6")
	done
}

@test "idempotent: oms-split on its own output gives the same bytes and the same pick tickets" {
	for s in $SEEDS; do
		d=$BATS_FILE_TMPDIR/s$s
		osplit "$d" "$d/night1.ndjson" > "$T/1"
		run -0 cmp "$d/night1.ndjson" "$T/1"
		rm -rf "$T/tix"
		osplit "$d" --manifest-dir "$T/tix" "$d/night1.ndjson" > "$T/2"
		run -0 cmp "$d/night1.ndjson" "$T/2"
		run -0 diff -r "$d/tix1" "$T/tix"
		# ShipStation tickets too (on one seed, for time); the format does not change the records.
		[ "$s" = 1 ] || continue
		rm -rf "$T/ss1" "$T/ss2"
		osplit "$d" --manifest-format shipstation --manifest-dir "$T/ss1" "$d/allocated.ndjson" > "$T/3"
		osplit "$d" --manifest-format shipstation --manifest-dir "$T/ss2" "$T/3" > "$T/4"
		run -0 cmp "$T/3" "$T/4"
		run -0 cmp "$d/night1.ndjson" "$T/3"
		run -0 diff -r "$T/ss1" "$T/ss2"
	done
}

@test "next night, nothing changed: oms-allocate and oms-split give back the same bytes, no shipment twice, no warning" {
	for s in $SEEDS; do
		d=$BATS_FILE_TMPDIR/s$s
		rm -rf "$T/tix"
		salloc "$d" "$d/night1.ndjson" > "$T/a2"
		osplit "$d" --stats --manifest-dir "$T/tix" "$T/a2" > "$T/n2" 2> "$T/n2.err"
		run -0 cmp "$d/night1.ndjson" "$T/n2"
		run -0 diff -r "$d/tix1" "$T/tix"
		run -0 sh -c "jq -r 'select(.type == \"shipment\") | .shipment_id' '$T/n2' | LC_ALL=C sort | uniq -d"
		assert_output ''
		# Only the held shipments were made again: nothing released, no notice, no warning.
		st=$(tail -n 1 "$T/n2.err")
		held=$(grep -c '^{"type":"shipment",.*"status":"held"' "$T/n2")
		assert_equal "$(statval created "$st") $(statval held "$st") $(statval consumed "$st")" "$held $held $held"
		assert_equal "$(statval released "$st") $(statval notices "$st") $(statval warnings "$st")" "0 0 0"
	done
}

@test "next night, with confirmations: each confirmed shipment is shipped with its tracking, the others pass unchanged, the laws hold" {
	for s in $SEEDS; do
		d=$BATS_FILE_TMPDIR/s$s
		# The warehouses confirm every third released shipment, all of it, and of the
		# next ones those of more than a unit on their first line, less one unit.
		released "$d/night1.ndjson" | awk 'NR % 3 == 1' | jq -c '{type: "tracking", order_id, shipment_id, location,
			carrier: "UPS", tracking_number: "1Z\(.shipment_id)", lines: [.lines[] | {line_id, qty}]}' > "$T/trk"
		released "$d/night1.ndjson" | awk 'NR % 3 == 2' | jq -c 'select(.lines[0].qty > 1) | {type: "tracking", order_id,
			shipment_id, location, carrier: "UPS", tracking_number: "1Z\(.shipment_id)",
			lines: [{line_id: .lines[0].line_id, qty: (.lines[0].qty - 1)}]}' >> "$T/trk"
		salloc "$d" "$d/night1.ndjson" "$T/trk" > "$T/a3"
		rm -rf "$T/tix"
		osplit "$d" --manifest-dir "$T/tix" "$T/a3" > "$T/n3"
		run -0 check_stream "$T/n3" "$d/split-locations.csv"
		assert_output ''
		# The shipments no confirmation names pass as they came.
		run -0 lines_not_in "$T/n3" <(released "$d/night1.ndjson" | grep -vFf <(jq -r '"\"shipment_id\":\"\(.shipment_id)\""' "$T/trk"))
		assert_output ''
		# Each confirmed one is shipped, with the confirmation's lines, carrier,
		# tracking number and link; the confirmations are consumed into them.
		run -0 jq -rn --slurpfile t "$T/trk" --slurpfile o "$T/n3" '
			($o | map(select(.type == "shipment")) | map({key: .shipment_id, value: .}) | from_entries) as $s
			| $t[] | $s[.shipment_id] as $x
			| select($x.status != "shipped" or $x.tracking_number != .tracking_number or $x.carrier != "UPS"
				or $x.tracking_url != "https://www.ups.com/track?tracknum=\(.tracking_number | @uri)"
				or ($x.lines | map({line_id, qty})) != .lines)
			| "\(.shipment_id): \($x | tojson)"'
		assert_output ''
		run -1 grep -q '^{"type":"tracking"' "$T/n3"
		run -1 grep -q '"kind":"shipment_changed"' "$T/n3"
		# One shipped notice per confirmation, to the order's customer, with its number.
		run -0 jq -rs --slurpfile t "$T/trk" '
			(map(select(.type == "order")) | map({key: .order_id, value: .}) | from_entries) as $o
			| (map(select(.kind == "shipped")) | group_by(.shipment_id) | map({key: .[0].shipment_id, value: .}) | from_entries) as $n
			| ($t[] | . as $c | ($n[.shipment_id] // []) as $m
				| select(($m | length) != 1 or ($m[0].text | contains($c.tracking_number) | not)
					or $m[0].customer != $o[$c.order_id].customer)
				| "\(.shipment_id): \($m | length) shipped notices"),
			  (($n | length) as $k | select($k != ($t | length)) | "\($k) shipped notices for \($t | length) confirmations")' "$T/n3"
		assert_output ''
		# Not vacuous: every confirmation was applied, their rows left the tickets, and
		# what a shipment confirmed in part left behind was released anew.
		run -0 jq -rs '[.[] | .allocation.tracked[]?] | length' "$T/a3"
		assert_output "$(wc -l < "$T/trk")"
		[ "$(cat "$T/tix"/*.csv | wc -l)" -lt "$(cat "$d/tix1"/*.csv | wc -l)" ]
		[ "$(lines_not_in "$d/night1.ndjson" "$T/n3" | grep -c '"status":"released"')" -gt 10 ]
		# The notices and the tickets (on one seed, for time): shipments made for the
		# units the confirmations left in stock told with the ones released before.
		[ "$s" = 7 ] || continue
		run -0 check_tickets "$T/n3" "$T/tix" "$d/split-locations.csv"
		assert_output ''
		# And the run is idempotent, on its output and with the confirmations fed again.
		osplit "$d" "$T/n3" > "$T/n3.again"
		run -0 cmp "$T/n3" "$T/n3.again"
		salloc "$d" "$T/n3" "$T/trk" > "$T/a3.again"
		osplit "$d" "$T/a3.again" > "$T/n3.again"
		run -0 cmp "$T/n3" "$T/n3.again"
	done
}

@test "next night, stock halved, orders cancelled and closed, confirmations without ids: shipments the allocation lost, or of orders cancelled or closed, are cancelled and planned anew, confirmations match their shipments, no warning" {
	for s in $SEEDS; do
		d=$BATS_FILE_TMPDIR/s$s
		awk -F, -v OFS=, 'NR > 1 { $3 = int($3 / 2) } 1' "$d/split-inventory.csv" > "$T/half.csv"
		# Of the orders with released shipments, every 10th is cancelled, every 10th (5 on) closed.
		jq -rs '[.[] | select(.type == "shipment" and .status == "released") | .order_id] | unique
			| to_entries[] | select(.key % 10 == 0 or .key % 10 == 5) | "\(.value)\t\(if .key % 10 == 0 then "cancelled" else "closed" end)"' \
			"$d/night1.ndjson" > "$T/status"
		jq -Rn '[inputs | split("\t") | {key: .[0], value: .[1]}] | from_entries' "$T/status" > "$T/status.json"
		jq -c --slurpfile m "$T/status.json" '$m[0] as $m | if .type == "order" and $m[.order_id] then .status = $m[.order_id] else . end' \
			"$d/night1.ndjson" > "$T/changed"
		# Every 7th released shipment of the open orders is confirmed under its tracking
		# number only: oms-split finds the shipment by its location and lines.
		released "$d/night1.ndjson" | awk 'NR % 7 == 3' | jq -c --slurpfile m "$T/status.json" 'select($m[0][.order_id] == null)
			| {type: "tracking", order_id, location, carrier: "UPS", tracking_number: "1Z\(.shipment_id)", lines: [.lines[] | {line_id, qty}]}' > "$T/trk"
		INV=$T/half.csv salloc "$d" "$T/changed" "$T/trk" > "$T/a4"
		rm -rf "$T/tix"
		osplit "$d" --manifest-dir "$T/tix" "$T/a4" > "$T/n4"
		run -0 check_stream "$T/n4" "$d/split-locations.csv"
		assert_output ''
		if [ "$s" = 42 ]; then	# on one seed, for time
			run -0 check_tickets "$T/n4" "$T/tix" "$d/split-locations.csv"
			assert_output ''
		fi
		run -1 grep -q '"kind":"shipment_changed"' "$T/n4"
		# Each confirmation shipped the released shipment of its lines, with its number.
		run -0 jq -rn --slurpfile t "$T/trk" --slurpfile o "$T/n4" '
			($o | map(select(.type == "shipment" and .status == "shipped")) | map({key: .tracking_number, value: .}) | from_entries) as $s
			| $t[] | select($s[.tracking_number].shipment_id != (.tracking_number | ltrimstr("1Z"))) | "\(.tracking_number): \($s[.tracking_number] | tojson)"'
		assert_output ''
		# A shipment cancelled now was released the night before, is cancelled with a
		# reason, and its lines are the void rows of its location; no other is.
		jq -c 'select(.type == "shipment" and .status == "cancelled")' "$T/n4" > "$T/cancelled"
		run -0 jq -rn --slurpfile c "$T/cancelled" --slurpfile m "$T/status.json" --rawfile before <(released "$d/night1.ndjson") '
			($before | split("\n") | map(select(. != "") | fromjson | {key: .shipment_id, value: .}) | from_entries) as $b
			| $c[] | select($b[.shipment_id] == null or ($b[.shipment_id] | del(.status)) != del(.status, .reason)
				or ((.reason | startswith("re-planned: line ")) or (.reason == "the order was cancelled" and $m[0][.order_id] == "cancelled")
					or (.reason == "the order is closed: everything shipped" and $m[0][.order_id] == "closed")) == false)
			| "\(.shipment_id): \(.reason)"'
		assert_output ''
		run -0 cmp <(jq -r '.location as $l | .shipment_id as $s | .lines[] | "\($l),\($s),\(.sku),\(.qty)"' "$T/cancelled" | LC_ALL=C sort) \
			<(tail -q -n +2 "$T/tix"/void/*.csv | cut -d, -f1,2,5,6 | LC_ALL=C sort)
		# Not vacuous: open orders lost shipments to the recount, and cancelled and
		# closed orders all theirs still in a queue.
		run -0 sh -c "jq -rs '(map(select(.type == \"shipment\" and .status == \"cancelled\")) | map(.order_id) | unique) as \$c
			| [.[] | select(.type == \"order\" and (.order_id | IN(\$c[]))) | .status] | group_by(.) | map(\"\(.[0]) \(length)\") | .[]' '$T/n4'"
		assert_line --regexp '^cancelled [1-9][0-9]*$'
		assert_line --regexp '^open [1-9][0-9]+$'
		assert_line --regexp '^closed [1-9][0-9]*$'
		run -0 jq -r --slurpfile m "$T/status.json" 'select(.type == "shipment" and .status == "released" and $m[0][.order_id] != null) | .shipment_id' "$T/n4"
		assert_output ''
		[ "$(wc -l < "$T/trk")" -gt 10 ]
		# And again on its own output: nothing changes, nothing is left to pull.
		[ "$s" = 1 ] || continue
		rm -rf "$T/tix2"
		osplit "$d" --manifest-dir "$T/tix2" "$T/n4" > "$T/n5"
		run -0 cmp "$T/n4" "$T/n5"
		assert_equal "$(tail -q -n +2 "$T/tix2"/void/*.csv | wc -l)" 0
	done
	# The check bites: a warning where nothing contradicts the book, a cancelled
	# order's shipment left released.
	excerpt "$T/n4" 1500 > "$T/small"
	id=$(jq -r 'select(.type == "shipment" and .status == "released") | .order_id' "$T/small" | head -n 1)
	{ cat "$T/small"; printf '{"type":"notice","order_id":"%s","kind":"shipment_changed","text":"x"}\n' "$id"; } > "$T/broken"
	run -0 check_warnings "$T/broken"
	assert_output "$id: warned, but its shipped shipments are all on the book"
	n=$(line_of "$T/small" '.type == "shipment" and .status == "cancelled" and .reason == "the order was cancelled"')
	sid=$(sed -n "${n}p" "$T/small" | jq -r .shipment_id)
	edit "$T/small" "$n" '.status = "released" | del(.reason)' > "$T/broken"
	run -0 check_warnings "$T/broken"
	assert_output --regexp ": cancelled, and $(rx "$sid") is still released$"
}

@test "counts add up: in + passed + created = out + rejected + consumed; released, held and notices are the records'" {
	d=$BATS_FILE_TMPDIR/s7
	# Stale held shipments (before the orders) of 10 orders that get released ones now
	# (consumed), the first 60 orders once more before the book (consumed), a notice
	# of no order before every 100th (passed), stale warnings for 5 orders (consumed),
	# 5 shipments of orders not in the stream, 2 records of no known type, 1 shipment
	# without an order_id (rejected).
	{
		released "$d/night1.ndjson" | awk 'NR % 50 == 0' | head -n 10 |
			jq -c '.status = "held" | .reason = "stale" | .location = "DC-EAST"'
		head -n 60 "$d/allocated.ndjson"
		jq -c 'if input_line_number % 100 == 0 then {type: "notice", kind: "info", text: "n\(input_line_number)"}, . else . end' \
			"$d/allocated.ndjson"
		jq -c 'select(.type == "order") | {type: "notice", order_id, kind: "shipment_changed", text: "stale"}' "$d/allocated.ndjson" | head -n 5
		for i in 1 2 3 4 5; do printf '{"type":"shipment","shipment_id":"NOPE-%s/1","order_id":"NOPE-%s","status":"released","units":0,"lines":[]}\n' "$i" "$i"; done
		echo '{"type":"parcel","order_id":"X"}'
		echo '{"type":"pallet"}'
		echo '{"type":"shipment","shipment_id":"S/1","status":"released","units":0,"lines":[]}'
	} > "$T/in"
	run -1 --separate-stderr osplit "$d" --stats --rejects "$T/rej" "$T/in"
	printf '%s\n' "$output" > "$T/out"
	st=${stderr_lines[-1]}
	assert_equal "$(wc -l < "$T/rej")" 8
	assert_equal "$(statval rejected "$st")" 8
	assert_equal "$(statval consumed "$st")" $((10 + 60 + 5))
	assert_equal "$(statval passed "$st")" 20
	assert_equal $(($(statval in "$st") + $(statval passed "$st"))) "$(wc -l < "$T/in")"
	assert_equal "$(statval out "$st")" "$(wc -l < "$T/out")"
	assert_equal "$(statval orders "$st")" 2000
	run -0 jq -s '[.[] | select(.type == "shipment" or .kind == "split_shipment" or .kind == "shipment_changed")] | length' "$T/out"
	assert_equal "$(statval created "$st")" "$output"
	assert_equal $(($(statval in "$st") + $(statval passed "$st") + $(statval created "$st"))) \
		$(($(statval out "$st") + $(statval rejected "$st") + $(statval consumed "$st")))
	# Released, held, their units, notices, warnings and the split rate are the records'.
	want=$(jq -rs '[.[] | select(.type == "shipment")] as $s | [$s[] | select(.status == "released")] as $r
		| [$s[] | select(.status == "held")] as $h | ($r | map(.order_id) | unique | length) as $ro
		| "released=\($r | length) held=\($h | length) units_released=\([$r[].units] | add) units_held=\([$h[].units] | add)"
		+ " notices=\([.[] | select(.kind == "split_shipment")] | length) warnings=\([.[] | select(.kind == "shipment_changed")] | length)"
		+ " split_rate=\($r | length / $ro | floor).\(("0" + ($r | length * 100 / $ro | floor % 100 | tostring))[-2:])"' "$T/out")
	assert_equal "$(for k in released held units_released units_held notices warnings split_rate; do printf '%s=%s ' $k "$(statval "$k" "$st")"; done)" "$want "
	# The stale records were replaced, not added to: the shipments are those of a clean run.
	run -0 check_ids "$T/out" "$d/split-locations.csv" fresh
	assert_output ''
	run -0 cmp <(grep -v '"kind":"info"' "$T/out") "$d/night1.ndjson"
	# Notices exactly for the orders with more than one released shipment made in the run.
	run -0 check_notices "$T/out"
	assert_output ''
	[ "$(statval notices "$st")" -gt 50 ]
	# The notices check bites: one gone, one too many.
	excerpt "$T/out" 600 > "$T/small"
	n=$(line_of "$T/small" '.kind == "split_shipment"')
	id=$(sed -n "${n}p" "$T/small" | jq -r .order_id)
	sed "${n}d" "$T/small" > "$T/broken"
	run -0 check_notices "$T/broken"
	assert_output --regexp "^$(rx "$id"): [0-9]+ of [0-9]+ released shipments made now, 0 notices$"
	n=$(line_of "$T/small" '.type == "shipment" and .of == 1 and .status == "released"')
	id=$(sed -n "${n}p" "$T/small" | jq -r .order_id)
	sed "${n}a {\"type\":\"notice\",\"order_id\":\"$id\",\"kind\":\"split_shipment\",\"text\":\"x\"}" "$T/small" > "$T/broken"
	run -0 check_notices "$T/broken"
	assert_output "$id: 1 notices, 1 of 1 released shipments made now"
}

@test "pick tickets: a ticket per location, its rows the lines of the open released shipments there, in pick-queue order" {
	for s in $SEEDS; do
		d=$BATS_FILE_TMPDIR/s$s
		run -0 check_tickets "$d/night1.ndjson" "$d/tix1" "$d/split-locations.csv"
		assert_output ''
		# The location with no stock has a header alone; the escaped names are there.
		assert_equal "$(cat "$d/tix1/%2Ereturns.csv")" "$OMS_TICKET_HEADER"
		[ "$(wc -l < "$d/tix1/Overflow%20%232.csv")" -gt 100 ]
		# Not vacuous: rows without ship_by, same_day ones and a service no one knows.
		run -0 sh -c "cat '$d/tix1'/*.csv | awk -F, '\$6 == \"\" { a++ } \$5 == \"same_day\" { b++ } \$5 == \"white_glove\" { c++ } END { print (a > 0), (b > 0), (c > 0) }'"
		assert_output '1 1 1'
		# ShipStation's layout: the same rows, in the same order.
		rm -rf "$T/ss"
		osplit "$d" --manifest-format shipstation --manifest-dir "$T/ss" "$d/allocated.ndjson" > /dev/null
		run -0 diff <(cd "$d/tix1" && ls) <(cd "$T/ss" && ls)
		for f in "$d/tix1"/*.csv; do
			run -0 cmp <(tail -n +2 "$f" | cut -d, -f2) <(tail -n +2 "$T/ss/${f##*/}" | cut -d, -f1)
			run -0 head -n 1 "$T/ss/${f##*/}"
			assert_output --partial 'Order - Number,'
		done
	done
	# The check bites: two rows of two shipments swapped, a row gone, a stray file.
	d=$BATS_FILE_TMPDIR/s1
	cp -r "$d/tix1" "$T/broken"
	n=$(awk -F, 'NR > 2 && $2 != p { print NR - 1; exit } { p = $2 }' "$d/tix1/DC-EAST.csv")
	awk -v n="$n" 'NR == n { held = $0; next } NR == n + 1 { print; print held; next } 1' "$d/tix1/DC-EAST.csv" > "$T/broken/DC-EAST.csv"
	sed -i 2d "$T/broken/DC-WEST.csv"
	echo x > "$T/broken/old.csv"
	run -0 check_tickets "$d/night1.ndjson" "$T/broken" "$d/split-locations.csv"
	assert_line --regexp "^DC-EAST.csv: row $n out of pick-queue order: "
	assert_line 'stray file among the tickets: old.csv'
	assert_line --regexp '^missing row: DC-WEST	'
	assert_equal "${#lines[@]}" 3
}

@test "self-check: OMS_SPLIT_FAULT=units stops the run with status 3, and nothing is written to -O or the tickets" {
	d=$BATS_FILE_TMPDIR/s42
	mkdir "$T/w"
	OMS_SPLIT_FAULT=units run -3 --separate-stderr osplit "$d" -O "$T/w/out" --manifest-dir "$T/w/tix" "$d/allocated.ndjson"
	assert_output ''
	assert_equal "${#stderr_lines[@]}" 1
	assert_regex "$stderr" '^oms-split: self-check failed, nothing written'
	[ ! -e "$T/w/out" ]
	[ "$(ls -A "$T/w/tix")" = void ]
	[ -z "$(ls -A "$T/w/tix/void")" ]
	# What -O and the tickets held already stays as it was, and no temporary file is left.
	echo before > "$T/w/out"
	echo before > "$T/w/tix/DC-EAST.csv"
	OMS_SPLIT_FAULT=units run -3 --separate-stderr osplit "$d" -O "$T/w/out" --manifest-dir "$T/w/tix" "$d/night1.ndjson"
	assert_equal "$(cat "$T/w/out" "$T/w/tix/DC-EAST.csv")" "$(printf 'before\nbefore')"
	[ "$(ls -A "$T/w" | tr '\n' ' ')" = 'out tix ' ]
	[ "$(ls -A "$T/w/tix" | paste -sd' ')" = "DC-EAST.csv void" ]
	# Without the fault the same run passes its self-check.
	run -0 osplit "$d" -O "$T/w/out" --manifest-dir "$T/w/tix" "$d/night1.ndjson"
	run -0 cmp "$T/w/out" "$d/night1.ndjson"
	run -0 diff -r "$T/w/tix" "$d/tix1"
}

@test "self-check: OMS_SPLIT_FAULT=units writes nothing to standard output either" {
	d=$BATS_FILE_TMPDIR/s42
	# As oms-allocate: the records that failed the check are not written, not even in part.
	status=0
	OMS_SPLIT_FAULT=units osplit "$d" "$d/allocated.ndjson" > "$T/out" 2> "$T/err" || status=$?
	assert_equal "status $status" 'status 3'
	assert_regex "$(cat "$T/err")" '^oms-split: self-check failed, nothing written'
	assert_equal "standard output: $(wc -l < "$T/out") lines" 'standard output: 0 lines'
}
