#!/usr/bin/env bats
# oms-split: allocated orders into shipments, holds, notices and pick tickets.
#
# Every test is a tiny hand-made allocated book whose right answer is worked out
# by hand in the comment above its assertions. `ships` prints one line per
# shipment, in output order: "ID LOCATION STATUS SEQ/OF UNITS LINE=QTY ...".
#
# Locations ($S/locations.csv): ZRH-DC priority 1, ABQ priority 2, NYC/SOHO 3.
# Every line is priced 10.00 USD unless a test says otherwise.

setup() {
	load helpers/common
	S="$FIX/split"
}

split() { oms-split --locations "$S/locations.csv" "$@"; }

# lines SPEC...: each "SKU:QTY[:LOC=N,LOC=N]" (line_ids 1, 2, ...), priced 10.00.
lines() {
	local i=0 out= sku qty al alloc a
	for a; do
		i=$((i + 1))
		IFS=: read -r sku qty al <<< "$a"
		alloc=$(tr ',' '\n' <<< "$al" |
			awk -F= 'NF == 2 { printf "%s{\"location\":\"%s\",\"qty\":%s}", n++ ? "," : "", $1, $2 }')
		out+="${out:+,}{\"line_id\":\"$i\",\"sku\":\"$sku\",\"qty\":$qty,\"unit_price\":\"10.00\",\"allocated\":[$alloc]}"
	done
	printf '[%s]' "$out"
}

# order ID [FIELDS [LINES]]: one open dtc order, allocated in full unless FIELDS say otherwise.
order() {
	jq -nc --arg id "$1" --argjson f "{${2:-}}" --argjson lines "${3:-$(lines TEE-M:1:ZRH-DC=1)}" \
		'{type:"order",order_id:$id,channel:"dtc",status:"open",service:"standard",
		  ship_by:"2026-11-30",currency:"USD",allocation:{status:"full"}} + $f + {lines:$lines}'
}

SHIPS='select(.type == "shipment")
	| [.shipment_id, (.location // "-"), .status, "\(.seq)/\(.of)", (.units | tostring)]
	  + [.lines[] | "\(.line_id)=\(.qty)"]
	| join(" ")'
ships() { jq -r "$SHIPS" <<< "$1"; }
assert_ships() { assert_equal "$(ships "$output")" "$(printf '%s\n' "$@")"; }
reasons() { jq -r 'select(.type == "shipment" and .status == "held") | .reason' <<< "$1"; }
kinds() { jq -r 'select(.type == "notice") | .kind' <<< "$1"; }

# stderr_has TEXT: standard error (run --separate-stderr) holds TEXT.
stderr_has() {
	[[ "$stderr" == *"$1"* ]] || {
		printf 'stderr does not hold: %s\nstderr: %s\n' "$1" "$stderr" >&2
		return 1
	}
}

# The value of KEY in a --stats line.
statval() { sed -n "s/.* $1=\([^ ]*\).*/\1/p" <<< "$2"; }

rules() { printf '{"split": %s}\n' "$1" | tmpfile rules.json; }

# ---- shipments --------------------------------------------------------------

@test "one location: one released shipment after its order, with the order's service, ship_by, ship_to and value" {
	# 2 x 10.00 + 1 x 10.00 at ZRH-DC: one shipment of 3 units worth 30.00, 1 of 1.
	o=$(order shopify:1 '"ship_to":{"name":"Ada","city":"Zurich","country":"CH"},"service":"expedited"' \
		"$(lines TEE-M:2:ZRH-DC=2 TEE-L:1:ZRH-DC=1)")
	run -0 --separate-stderr split <<< "$o"
	assert_equal "${lines[0]}" "$o"
	assert_equal "${#lines[@]}" 2
	assert_equal "${lines[1]}" '{"type":"shipment","shipment_id":"shopify:1/1","order_id":"shopify:1","channel":"dtc","location":"ZRH-DC","service":"expedited","ship_by":"2026-11-30","ship_to":{"name":"Ada","city":"Zurich","country":"CH"},"seq":1,"of":1,"status":"released","units":3,"currency":"USD","value":"30.00","lines":[{"line_id":"1","sku":"TEE-M","qty":2},{"line_id":"2","sku":"TEE-L","qty":1}]}'
	assert_equal "$(kinds "$output")" ""
}

@test "two locations: the one carrying most units is /1; a tie goes to location priority, or the name without --locations" {
	# ABQ carries 3 units, ZRH-DC 1: ABQ is /1 though ZRH-DC comes first by priority.
	run -0 split <<< "$(order o1 '' "$(lines A:3:ABQ=3 B:1:ZRH-DC=1)")"
	assert_ships 'o1/1 ABQ released 1/2 3 1=3' 'o1/2 ZRH-DC released 2/2 1 2=1'
	# 1 unit each: ZRH-DC (priority 1) before ABQ (priority 2)...
	o=$(order o2 '' "$(lines A:1:ABQ=1 B:1:ZRH-DC=1)")
	run -0 split <<< "$o"
	assert_ships 'o2/1 ZRH-DC released 1/2 1 2=1' 'o2/2 ABQ released 2/2 1 1=1'
	# ...and by name without locations.csv, which gives no priority.
	run -0 oms-split <<< "$o"
	assert_ships 'o2/1 ABQ released 1/2 1 1=1' 'o2/2 ZRH-DC released 2/2 1 2=1'
}

@test "a line allocated at two locations ships from both" {
	run -0 split <<< "$(order o1 '' "$(lines A:5:ABQ=2,ZRH-DC=3)")"
	assert_ships 'o1/1 ZRH-DC released 1/2 3 1=3' 'o1/2 ABQ released 2/2 2 1=2'
}

@test "an order in pieces gets a split_shipment notice saying what is in each; one piece gets none" {
	o=$(order shopify:7 '"channel_order_id":"#1007","customer":{"id":"a@x","email":"a@x","name":"Ann"}' \
		'[{"line_id":"1","sku":"TEE-BLK-M","style":"TEE","color":"Black","size":"M","qty":3,"unit_price":"10.00","allocated":[{"location":"ABQ","qty":3}]},
		  {"line_id":"2","sku":"CAP-1","qty":1,"unit_price":"5.00","allocated":[{"location":"ZRH-DC","qty":1}]}]')
	run -0 split <<< "$o"
	assert_equal "${lines[3]}" '{"type":"notice","order_id":"shopify:7","customer":{"id":"a@x","email":"a@x","name":"Ann"},"kind":"split_shipment","text":"Your order #1007 ships in 2 shipments. Shipment 1 of 2: 3 x TEE Black M. Shipment 2 of 2: 1 x CAP-1."}'
	run -0 split <<< "$(order o2)"
	assert_equal "$(kinds "$output")" ""
}

@test "value and currency are left out when a line has no price" {
	run -0 split <<< "$(order o1 '' '[{"line_id":"1","sku":"A","qty":1,"allocated":[{"location":"ABQ","qty":1}]}]')"
	assert_equal "$(jq -c 'select(.type == "shipment") | [.units, .value, .currency]' <<< "$output")" '[1,null,null]'
}

@test "closed and cancelled orders, and open ones with nothing allocated, get no shipment" {
	{
		order c1 '"status":"closed","allocation":{"status":"closed"}' "$(lines A:1)"
		order c2 '"status":"cancelled","allocation":{"status":"cancelled"}' "$(lines A:1)"
		order n1 '"allocation":{"status":"none","reason":"no stock"}' "$(lines A:1)"
	} > "$BATS_TEST_TMPDIR/in"
	run -0 --separate-stderr split --stats "$BATS_TEST_TMPDIR/in"
	assert_equal "$(ships "$output")" ""
	assert_equal "${#lines[@]}" 3
	assert_equal "$(statval orders "$stderr") $(statval released "$stderr") $(statval held "$stderr")" "3 0 0"
	# A partial policy judges what is ready: with nothing allocated there is nothing to hold.
	run -0 split --rules "$(rules '{"partial": {"*": {"min_value": "30.00"}}}')" "$BATS_TEST_TMPDIR/in"
	assert_equal "$(ships "$output")" ""
}

# ---- holds ------------------------------------------------------------------

@test "a ship-complete order that is not complete is held, with how much is allocated" {
	run -0 split <<< "$(order o1 '"ship_complete":true,"allocation":{"status":"partial"}' "$(lines A:2:ABQ=1 B:1)")"
	assert_ships 'o1/1 ABQ held 1/1 1 1=1'
	assert_equal "$(reasons "$output")" "ship complete: 1 of 3 units allocated"
}

@test "orders the allocation held, not yet in their window or expired get a held shipment with no location, saying why" {
	{
		order h1 '"allocation":{"status":"held","reason":"ship complete: 1 of 2 units available"}' "$(lines A:2)"
		order w1 '"allocation":{"status":"not_yet","reason":"ship window opens 2026-12-05"}' "$(lines A:2)"
		order x1 '"allocation":{"status":"expired","reason":"cancel_after 2026-11-20 has passed"}' "$(lines A:2)"
	} > "$BATS_TEST_TMPDIR/in"
	run -0 split "$BATS_TEST_TMPDIR/in"
	assert_ships 'h1/1 - held 1/1 0' 'w1/1 - held 1/1 0' 'x1/1 - held 1/1 0'
	assert_equal "$(reasons "$output")" "$(printf '%s\n' \
		'allocation held: ship complete: 1 of 2 units available' \
		'allocation not_yet: ship window opens 2026-12-05' \
		'allocation expired: cancel_after 2026-11-20 has passed')"
}

@test "a prepack's pick row lists the sizes one pack holds (pack_contents)" {
	# 3 packs of PK at ABQ, exploded by oms-allocate into S 3 and M 6: one
	# pack holds S 1 and M 2. A line that is no pack has the cell empty.
	jq -nc '{type:"order",order_id:"p1",channel:"wholesale",status:"open",service:"standard",
		currency:"USD",allocation:{status:"full"},lines:[
		{line_id:"1",sku:"PK",qty:3,unit_price:"60.00",allocated:[{location:"ABQ",qty:3,
			units:[{sku:"TEE-S",qty:3},{sku:"TEE-M",qty:6}]}]},
		{line_id:"2",sku:"TEE-L",qty:1,unit_price:"20.00",allocated:[{location:"ABQ",qty:1}]}]}' > "$BATS_TEST_TMPDIR/in"
	run -0 split --as-of 2026-11-26 --manifest-dir "$BATS_TEST_TMPDIR/m" "$BATS_TEST_TMPDIR/in"
	assert_equal "$(tail -n +2 "$BATS_TEST_TMPDIR/m/ABQ.csv" | awk -F, '{ print $7 "=" $NF }')" "$(printf '%s\n' 'PK=TEE-S:1 TEE-M:2' 'TEE-L=')"
}

@test "a shipment whose ship window has not opened is held until start_ship, then released; the ticket shows the window" {
	# Stock reserved lead days before start_ship (allocation full) is not
	# picked before it: on 11-29 and 11-30 held, on 12-01 released. A
	# shipment made in the window stays released on a later run.
	order w1 '"channel":"wholesale","start_ship":"2026-12-01","cancel_after":"2026-12-10"' \
		"$(lines A:2:ABQ=2)" > "$BATS_TEST_TMPDIR/in"
	order d1 '' "$(lines B:1:ABQ=1)" >> "$BATS_TEST_TMPDIR/in"
	m=$BATS_TEST_TMPDIR/m
	run -0 split --as-of 2026-11-29 --manifest-dir "$m" "$BATS_TEST_TMPDIR/in"
	assert_ships 'w1/1 ABQ held 1/1 2 1=2' 'd1/1 ABQ released 1/1 1 1=1'
	assert_equal "$(reasons "$output")" "ship window opens 2026-12-01"
	assert_equal "$(cut -d, -f2 "$m/ABQ.csv" | tail -n +2)" "d1/1"
	# The night before, the same; the held shipment is made again, not kept.
	out=$output
	run -0 split --as-of 2026-11-30 <<< "$out"
	assert_equal "$output" "$out"
	run -0 split --as-of 2026-12-01 --manifest-dir "$m" <<< "$output"
	assert_ships 'w1/1 ABQ released 1/1 2 1=2' 'd1/1 ABQ released 1/1 1 1=1'
	assert_equal "$(head -1 "$m/ABQ.csv" | tr , '\n' | tail -3 | paste -sd,)" "start_ship,cancel_after,pack_contents"
	assert_equal "$(grep '^ABQ,w1/1,' "$m/ABQ.csv" | rev | cut -d, -f2-3 | rev)" "2026-12-01,2026-12-10"
	assert_equal "$(grep '^ABQ,d1/1,' "$m/ABQ.csv" | rev | cut -d, -f1-3 | rev)" ",,"
	out=$output
	run -0 split --as-of 2026-12-02 <<< "$out"
	assert_equal "$output" "$out"
}

@test "partial policy: hold waits for the whole order; ship (the default) sends what there is" {
	r=$(rules '{"partial": {"wholesale": "hold"}}')
	{
		order w1 '"channel":"wholesale","allocation":{"status":"partial"}' "$(lines A:5:ABQ=2)"
		order d1 '"allocation":{"status":"partial"}' "$(lines A:5:ABQ=2)"
	} > "$BATS_TEST_TMPDIR/in"
	run -0 split --rules "$r" "$BATS_TEST_TMPDIR/in"
	assert_ships 'w1/1 ABQ held 1/1 2 1=2' 'd1/1 ABQ released 1/1 2 1=2'
	assert_equal "$(reasons "$output")" "partial policy for wholesale is hold: 2 of 5 units allocated"
}

@test "partial policy min_value: the part ready and the rest must each be worth the minimum" {
	r=$(rules '{"partial": {"*": {"min_value": "25.00"}}}')
	{
		# 3 of 5 ready: 30.00 ready, 20.00 left: the rest is under 25.00.
		order a '"allocation":{"status":"partial"}' "$(lines A:5:ABQ=3)"
		# 2 of 6: 20.00 ready: the part ready is under.
		order b '"allocation":{"status":"partial"}' "$(lines A:6:ABQ=2)"
		# 3 of 6: 30.00 and 30.00: it ships.
		order c '"allocation":{"status":"partial"}' "$(lines A:6:ABQ=3)"
	} > "$BATS_TEST_TMPDIR/in"
	run -0 split --rules "$r" "$BATS_TEST_TMPDIR/in"
	assert_ships 'a/1 ABQ held 1/1 3 1=3' 'b/1 ABQ held 1/1 2 1=2' 'c/1 ABQ released 1/1 3 1=3'
	assert_equal "$(reasons "$output")" "$(printf '%s\n' \
		'partial policy for dtc: the rest is worth 20.00 USD, under the minimum 25.00' \
		'partial policy for dtc: the part ready is worth 20.00 USD, under the minimum 25.00')"
}

@test "partial policy min_value is exact in the order's currency, and needs prices" {
	r=$(rules '{"partial": {"dtc": {"min_value": "1000"}}}')
	{
		# JPY has no minor digits: 1000 ready and 1000 left reach 1000 exactly.
		order y '"currency":"JPY","allocation":{"status":"partial"}' \
			'[{"line_id":"1","sku":"A","qty":2,"unit_price":"1000","allocated":[{"location":"ABQ","qty":1}]}]'
		# 999 left is under.
		order z '"currency":"JPY","allocation":{"status":"partial"}' \
			'[{"line_id":"1","sku":"A","qty":1,"unit_price":"1000","allocated":[{"location":"ABQ","qty":1}]},{"line_id":"2","sku":"B","qty":1,"unit_price":"999"}]'
		order u '"allocation":{"status":"partial"}' '[{"line_id":"1","sku":"A","qty":2,"allocated":[{"location":"ABQ","qty":1}]}]'
	} > "$BATS_TEST_TMPDIR/in"
	run -0 split --rules "$r" "$BATS_TEST_TMPDIR/in"
	assert_ships 'y/1 ABQ released 1/1 1 1=1' 'z/1 ABQ held 1/1 1 1=1' 'u/1 ABQ held 1/1 1 1=1'
	assert_equal "$(reasons "$output")" "$(printf '%s\n' \
		'partial policy for dtc: the rest is worth 999 JPY, under the minimum 1000' \
		'partial policy for dtc: minimum value 1000.00, but the order has no prices or currency to judge it')"
}

@test "partial policy min_percent: the part ready and the rest must each be that share of the open units" {
	r=$(rules '{"partial": {"b2b": {"min_percent": 30}}}')
	{
		order a '"channel":"b2b","allocation":{"status":"partial"}' "$(lines A:5:ABQ=1)" # 20% ready
		order b '"channel":"b2b","allocation":{"status":"partial"}' "$(lines A:5:ABQ=2)" # 40% and 60%
		order c '"channel":"b2b","allocation":{"status":"partial"}' "$(lines A:5:ABQ=4)" # 20% left
		order d '"channel":"dtc","allocation":{"status":"partial"}' "$(lines A:5:ABQ=1)" # not b2b: ships
	} > "$BATS_TEST_TMPDIR/in"
	run -0 split --rules "$r" "$BATS_TEST_TMPDIR/in"
	assert_ships 'a/1 ABQ held 1/1 1 1=1' 'b/1 ABQ released 1/1 2 1=2' 'c/1 ABQ held 1/1 4 1=4' 'd/1 ABQ released 1/1 1 1=1'
	assert_equal "$(reasons "$output")" "$(printf '%s\n' \
		'partial policy for b2b: 1 of 5 open units ready, under 30%' \
		'partial policy for b2b: 4 of 5 open units ready would leave 1, under 30%')"
}

@test "more shipments than max_shipments holds them all" {
	r=$(rules '{"max_shipments": 2}')
	run -0 split --rules "$r" <<< "$(order o1 '' "$(lines A:3:ABQ=3 B:2:ZRH-DC=2 C:1:NYC/SOHO=1)")"
	assert_ships 'o1/1 ABQ held 1/3 3 1=3' 'o1/2 ZRH-DC held 2/3 2 2=2' 'o1/3 NYC/SOHO held 3/3 1 3=1'
	assert_equal "$(reasons "$output" | sort -u)" "3 shipments needed, the rules allow 2"
	assert_equal "$(kinds "$output")" ""
	run -0 split --rules "$r" <<< "$(order o2 '' "$(lines A:3:ABQ=3 B:2:ZRH-DC=2)")"
	assert_equal "$(jq -r 'select(.type == "shipment") | .status' <<< "$output" | sort -u)" released
}

@test "rules: unknown keys and bad policies stop the run before anything is read (status 2)" {
	run -2 --separate-stderr split --rules "$(rules '{"max_shipment": 2}')" /dev/null
	assert_equal "$stderr" "oms-split: split: unknown key \"max_shipment\" in $BATS_TEST_TMPDIR/rules.json"
	run -2 --separate-stderr split --rules "$(rules '{"partial": {"dtc": "wait"}}')" /dev/null
	assert_output ""
	stderr_has 'partial.dtc: must be "ship", "hold" or {'
	run -2 --separate-stderr split --rules "$(rules '{"partial": {"dtc": {"min_value": 25}}}')" /dev/null
	stderr_has 'partial.dtc.min_value: not an amount >= 0 as text'
	run -2 --separate-stderr split --rules "$(rules '{"partial": {"dtc": {"min_percent": 101}}}')" /dev/null
	stderr_has 'partial.dtc.min_percent: not a whole number from 0 to 100'
	run -2 --separate-stderr split --rules "$(rules '{"max_shipments": 0}')" /dev/null
	stderr_has 'max_shipments: not a whole number from 1 to 1000000'
}

# ---- idempotence and the next night -----------------------------------------

@test "split on its own output changes nothing, byte for byte, and makes nothing new" {
	{
		order o1 '' "$(lines A:3:ABQ=3 B:1:ZRH-DC=1)"
		order o2 '"ship_complete":true,"allocation":{"status":"partial"}' "$(lines A:2:ABQ=1)"
		order o3 '"allocation":{"status":"not_yet","reason":"window"}' "$(lines A:2)"
	} > "$BATS_TEST_TMPDIR/in"
	split -O "$BATS_TEST_TMPDIR/one" "$BATS_TEST_TMPDIR/in"
	run -0 --separate-stderr split --stats "$BATS_TEST_TMPDIR/one"
	assert_equal "$output" "$(cat "$BATS_TEST_TMPDIR/one")"
	# The two held shipments are made again in place of the old ones; nothing is released.
	assert_equal "$(statval released "$stderr") $(statval held "$stderr") $(statval consumed "$stderr")" "0 2 2"
}

@test "units allocated after a shipment was released make a new shipment, numbered on" {
	# Yesterday: /1 from ABQ with 1 unit. Tonight 2 are allocated at ABQ: 1 more ships as /2.
	o=$(order o1 '"customer":{"id":"c"}' "$(lines A:2:ABQ=2)")
	s='{"type":"shipment","shipment_id":"o1/1","order_id":"o1","location":"ABQ","seq":1,"of":1,"status":"released","units":1,"lines":[{"line_id":"1","sku":"A","qty":1}]}'
	run -0 split <<< "$o"$'\n'"$s"
	# The new one follows its order, with the notice; the old one stays where it was.
	assert_ships 'o1/2 ABQ released 2/2 1 1=1' 'o1/1 ABQ released 1/1 1 1=1'
	assert_equal "${lines[3]}" "$s"
	assert_equal "$(jq -r 'select(.type == "notice") | .text' <<< "$output")" \
		"Your order o1 ships in 2 shipments. Shipment 1 of 2: 1 x A. Shipment 2 of 2: 1 x A."
}

@test "a shipment confirmed shipped (in allocation.tracked) no longer holds units: the rest ships as the next one" {
	# /1 shipped 1 unit (line shipped 1); 1 more allocated at ZRH-DC: /2.
	o=$(order o1 '"allocation":{"status":"full","tracked":["o1/1"]}' \
		'[{"line_id":"1","sku":"A","qty":2,"shipped":1,"unit_price":"10.00","allocated":[{"location":"ZRH-DC","qty":1}]}]')
	s='{"type":"shipment","shipment_id":"o1/1","order_id":"o1","location":"ABQ","seq":1,"of":1,"status":"released","units":1,"lines":[{"line_id":"1","sku":"A","qty":1}]}'
	run -0 split <<< "$s"$'\n'"$o"
	assert_ships 'o1/1 ABQ released 1/1 1 1=1' 'o1/2 ZRH-DC released 2/2 1 1=1'
	# Not tracked: the released /1 is more than the allocation at ABQ (0): it is
	# cancelled, and the unit allocated at ZRH-DC ships as /2.
	run -0 split <<< "$s"$'\n'"$(order o1 '' '[{"line_id":"1","sku":"A","qty":2,"shipped":1,"allocated":[{"location":"ZRH-DC","qty":1}]}]')"
	assert_ships 'o1/1 ABQ cancelled 1/1 1 1=1' 'o1/2 ZRH-DC released 2/2 1 1=1'
	assert_equal "$(kinds "$output")" shipment_cancelled
}

@test "an allocation that no longer covers a released shipment: it is cancelled, its rows go to the void list, and the units are planned anew in the same run" {
	# 3 allocated: ABQ 1, ZRH-DC 2; /1 carries 2 from ABQ, where 1 is left.
	o=$(order o1 '"customer":{"id":"c"}' "$(lines A:3:ABQ=1,ZRH-DC=2)")
	s='{"type":"shipment","shipment_id":"o1/1","order_id":"o1","location":"ABQ","seq":1,"of":1,"status":"released","units":2,"lines":[{"line_id":"1","sku":"A","qty":2}]}'
	run -0 --separate-stderr split --stats --manifest-dir "$BATS_TEST_TMPDIR/m" <<< "$o"$'\n'"$s"
	assert_ships 'o1/1 ABQ cancelled 1/1 2 1=2' 'o1/2 ZRH-DC released 2/3 2 1=2' 'o1/3 ABQ released 3/3 1 1=1'
	assert_equal "$(jq -r 'select(.status == "cancelled") | .reason' <<< "$output")" \
		"re-planned: line 1 (A): 2 released from ABQ, 1 allocated there now"
	assert_equal "$(kinds "$output")" "$(printf '%s\n' split_shipment shipment_cancelled)"
	assert_equal "$(jq -r 'select(.kind == "shipment_cancelled") | [has("customer"), .text] | @tsv' <<< "$output")" \
		"$(printf 'false\t%s' "Order o1: shipment o1/1 from ABQ was cancelled (re-planned: line 1 (A): 2 released from ABQ, 1 allocated there now). Pull it from the pick queue (the void list of --manifest-dir); its units are planned anew.")"
	assert_equal "$(statval cancelled "$stderr") $(statval released "$stderr") $(statval warnings "$stderr")" "1 2 0"
	# The warehouse pulls /1 from ABQ's queue; the new /3 is on ABQ's ticket.
	assert_equal "$(cat "$BATS_TEST_TMPDIR/m/void/ABQ.csv")" "$(printf '%s\n' \
		location,shipment_id,order_id,channel,sku,qty,reason \
		'ABQ,o1/1,o1,dtc,A,2,"re-planned: line 1 (A): 2 released from ABQ, 1 allocated there now"')"
	assert_equal "$(cut -d, -f2 "$BATS_TEST_TMPDIR/m/ABQ.csv" | paste -sd' ')" "shipment_id o1/3"
	assert_equal "$(cat "$BATS_TEST_TMPDIR/m/void/ZRH-DC.csv")" location,shipment_id,order_id,channel,sku,qty,reason
	# Again on its own output: nothing changes, and nothing is left to pull.
	printf '%s\n' "$output" > "$BATS_TEST_TMPDIR/one"
	run -0 split --manifest-dir "$BATS_TEST_TMPDIR/m" "$BATS_TEST_TMPDIR/one"
	assert_equal "$output" "$(cat "$BATS_TEST_TMPDIR/one")"
	assert_equal "$(wc -l < "$BATS_TEST_TMPDIR/m/void/ABQ.csv")" 1
}

@test "a cancelled order's released shipment is cancelled, and nothing new is made" {
	o=$(order o1 '"status":"cancelled","allocation":{"status":"cancelled"}' "$(lines A:1)")
	s='{"type":"shipment","shipment_id":"o1/1","order_id":"o1","location":"ABQ","seq":1,"of":1,"status":"released","units":1,"lines":[{"line_id":"1","sku":"A","qty":1}]}'
	run -0 split <<< "$o"$'\n'"$s"
	assert_ships 'o1/1 ABQ cancelled 1/1 1 1=1'
	assert_equal "$(jq -r 'select(.type == "shipment") | .reason' <<< "$output")" "the order was cancelled"
	assert_equal "$(kinds "$output")" shipment_cancelled
}

@test "of two shipments with one id the later stands; the earlier is consumed" {
	# The later /1 carries 2 units at ABQ, all that is allocated: nothing new, no warning.
	s1='{"type":"shipment","shipment_id":"o1/1","order_id":"o1","location":"ABQ","status":"released","units":1,"lines":[{"line_id":"1","sku":"A","qty":1}]}'
	s2='{"type":"shipment","shipment_id":"o1/1","order_id":"o1","location":"ABQ","status":"released","units":2,"lines":[{"line_id":"1","sku":"A","qty":2}]}'
	run -0 --separate-stderr split --stats <<< "$s1"$'\n'"$(order o1 '' "$(lines A:2:ABQ=2)")"$'\n'"$s2"
	assert_ships 'o1/1 ABQ released null/null 2 1=2'
	assert_equal "$(kinds "$output")" ""
	assert_equal "$(statval consumed "$stderr") $(statval released "$stderr")" "1 0"
}

@test "a held shipment from an earlier run is replaced when the order can ship" {
	h='{"type":"shipment","shipment_id":"o1/1","order_id":"o1","location":"ABQ","seq":1,"of":1,"status":"held","reason":"ship complete: 1 of 2 units allocated","units":1,"lines":[{"line_id":"1","sku":"A","qty":1}]}'
	run -0 --separate-stderr split --stats <<< "$h"$'\n'"$(order o1 '"ship_complete":true' "$(lines A:2:ABQ=2)")"
	assert_ships 'o1/1 ABQ released 1/1 2 1=2'
	assert_equal "$(statval consumed "$stderr") $(statval released "$stderr")" "1 1"
}

@test "the last occurrence of an order wins; its shipments follow it" {
	run -0 --separate-stderr split --stats <<< "$(order o1 '' "$(lines A:1:ABQ=1)")"$'\n'"$(order o1 '' "$(lines A:2:ZRH-DC=2)")"
	assert_equal "$(jq -r '.type' <<< "$output" | paste -sd' ')" "order shipment"
	assert_ships 'o1/1 ZRH-DC released 1/1 2 1=2'
	assert_equal "$(statval consumed "$stderr")" 1
}

@test "records of other types pass through unchanged and in order" {
	t='{"type":"tracking","order_id":"o1","shipment_id":"x","lines":[{"sku":"A","qty":1}]}'
	b='{"type":"backorder","order_id":"o1","line_id":"1","sku":"A","qty":1}'
	run -0 --separate-stderr split --stats <<< "$t"$'\n'"$(order o1)"$'\n'"$b"
	assert_equal "${lines[0]}" "$t"
	assert_equal "${lines[3]}" "$b"
	assert_equal "$(statval passed "$stderr") $(statval created "$stderr") $(statval out "$stderr")" "2 1 4"
}

@test "orders can come as CSV" {
	order o1 '' "$(lines A:3:ABQ=3 B:1:ZRH-DC=1)" | oms-import -o csv > "$BATS_TEST_TMPDIR/in.csv"
	run -0 split "$BATS_TEST_TMPDIR/in.csv"
	assert_ships 'o1/1 ABQ released 1/2 3 1=3' 'o1/2 ZRH-DC released 2/2 1 2=1'
}

# ---- bad input ----------------------------------------------------------------

@test "more allocated than the line has left to ship, or at an unknown location: the order is rejected with why" {
	{
		order a '' '[{"line_id":"1","sku":"A","qty":3,"shipped":2,"allocated":[{"location":"ABQ","qty":2}]}]'
		order b '' "$(lines A:1:MARS=1)"
		order c
	} > "$BATS_TEST_TMPDIR/in"
	run -1 --separate-stderr split --rejects "$BATS_TEST_TMPDIR/rej" "$BATS_TEST_TMPDIR/in"
	assert_ships 'c/1 ZRH-DC released 1/1 1 1=1'
	assert_equal "$stderr" "oms-split: $BATS_TEST_TMPDIR/in:1: line 1: 2 allocated, but only 1 left to ship (qty less shipped)
oms-split: $BATS_TEST_TMPDIR/in:2: line 1: allocated at location \"MARS\", which is not in locations.csv"
	# Without locations.csv any location goes.
	run -1 --separate-stderr oms-split "$BATS_TEST_TMPDIR/in"
	assert_equal "$(ships "$output" | cut -d' ' -f1,2)" "$(printf 'b/1 MARS\nc/1 ZRH-DC')"
}

@test "a shipment naming an order not in the stream, or none, is rejected; the rest goes on" {
	s='{"type":"shipment","shipment_id":"zz/1","order_id":"zz","status":"released","lines":[]}'
	run -1 --separate-stderr split --rejects "$BATS_TEST_TMPDIR/rej" <<< "$s"$'\n''{"type":"shipment","shipment_id":"q"}'$'\n'"$(order o1)"
	assert_ships 'o1/1 ZRH-DC released 1/1 1 1=1'
	assert_equal "$(jq -r '"\(.line): \(.reason)"' "$BATS_TEST_TMPDIR/rej")" \
		"$(printf '%s\n' '2: shipment without an order_id' '1: shipment names order "zz", which is not in the stream')"
}

@test "a rejected order's shipments pass through as they are, not as strays" {
	s='{"type":"shipment","shipment_id":"a/1","order_id":"a","location":"ABQ","status":"released","lines":[]}'
	run -1 --separate-stderr split --rejects "$BATS_TEST_TMPDIR/rej" <<< "$(order a '' "$(lines A:1:MARS=1)")"$'\n'"$s"
	assert_output "$s"
	assert_equal "$(jq -r .reason "$BATS_TEST_TMPDIR/rej")" 'line 1: allocated at location "MARS", which is not in locations.csv'
}

@test "a shipment marked cancelled carries nothing, and its number is not used again" {
	# /2 was called off in the warehouse: the 2 units at ABQ ship as /3.
	s='{"type":"shipment","shipment_id":"o1/2","order_id":"o1","location":"ABQ","seq":2,"of":2,"status":"cancelled","units":2,"lines":[{"line_id":"1","sku":"A","qty":2}]}'
	run -0 split <<< "$(order o1 '' "$(lines A:2:ABQ=2)")"$'\n'"$s"
	assert_ships 'o1/3 ABQ released 3/3 2 1=2' 'o1/2 ABQ cancelled 2/2 2 1=2'
	assert_equal "$(kinds "$output")" ""
}

@test "a number confirmed shipped stays taken, though its shipment record is gone from the book" {
	run -0 oms-split <<< "$(order o:1 '"allocation":{"status":"full","tracked":["o:1/1"]}' \
		'[{"line_id":"1","sku":"A","qty":4,"shipped":2,"allocated":[{"location":"L","qty":2}]}]')"
	assert_ships 'o:1/2 L released 2/2 2 1=2'
	# Run again on its own output: the same bytes, nothing made twice.
	printf '%s\n' "$output" > "$BATS_TEST_TMPDIR/one"
	run -0 oms-split "$BATS_TEST_TMPDIR/one"
	assert_equal "$output" "$(cat "$BATS_TEST_TMPDIR/one")"
}

@test "a released shipment whose units cannot be counted is cancelled, and the units are planned anew" {
	s='{"type":"shipment","shipment_id":"o1/1","order_id":"o1","location":"ABQ","status":"released","lines":[{"line_id":"1","sku":"A","qty":-2}]}'
	run -0 split <<< "$(order o1 '' "$(lines A:4:ABQ=4)")"$'\n'"$s"
	assert_ships 'o1/1 ABQ cancelled null/null null 1=-2' 'o1/2 ABQ released 2/2 4 1=4'
	assert_equal "$(jq -r 'select(.status == "cancelled") | .reason' <<< "$output")" \
		"re-planned: it cannot be counted: lines[1] has no whole qty above 0"
	# No location, or a line the order does not have: the same.
	s='{"type":"shipment","shipment_id":"o1/1","order_id":"o1","status":"released","lines":[{"line_id":"9","sku":"Z","qty":1}]}'
	run -0 split <<< "$(order o1 '' "$(lines A:4:ABQ=4)")"$'\n'"$s"
	assert_equal "$(jq -r 'select(.status == "cancelled") | .reason' <<< "$output")" \
		"re-planned: it cannot be counted: it has no location"
	s='{"type":"shipment","shipment_id":"o1/1","order_id":"o1","location":"ABQ","status":"released","lines":[{"line_id":"9","sku":"Z","qty":1}]}'
	run -0 split <<< "$(order o1 '' "$(lines A:4:ABQ=4)")"$'\n'"$s"
	assert_equal "$(jq -r 'select(.status == "cancelled") | .reason' <<< "$output")" \
		"re-planned: it cannot be counted: lines[1] names no line of the order"
}

@test "shipped shipments that carry more than the order has shipped warn (shipment_changed): only a person can settle that" {
	o=$(order o1 '' '[{"line_id":"1","sku":"A","qty":2,"shipped":1,"unit_price":"10.00","allocated":[{"location":"ZRH-DC","qty":1}]}]')
	s='{"type":"shipment","shipment_id":"o1/1","order_id":"o1","location":"ABQ","seq":1,"of":1,"status":"shipped","tracking_number":"1Z","units":2,"lines":[{"line_id":"1","sku":"A","qty":2}]}'
	run -0 split <<< "$o"$'\n'"$s"
	assert_equal "$(jq -r 'select(.kind == "shipment_changed") | .text' <<< "$output")" \
		"Order o1: the warehouse confirmed more than the book shipped: line 1 (A): 2 on shipped shipments, 1 shipped on the order. Ask the warehouse what left, then mend the book (oms-split(1), Changed orders)."
	# As many as shipped: no warning.
	run -0 split <<< "$o"$'\n'"${s//\"qty\":2/\"qty\":1}"
	assert_equal "$(kinds "$output")" split_shipment
}

@test "orders with an unknown status, or two lines of one name, are rejected" {
	{
		order a '"status":"OPEN"'
		order b '' '[{"line_id":"1","sku":"A","qty":1},{"line_id":"1","sku":"B","qty":1}]'
		order c '' '[{"sku":"A","qty":1},{"sku":"A","qty":2}]'
		order d '' '[{"line_id":"1","sku":"A","qty":1},{"sku":"A","qty":2}]'
		order e '' '[{"qty":1}]'
		order f '' '[{"line_id":"1","sku":"A","qty":1,"allocated":[{"location":"ABQ ","qty":1}]}]'
	} > "$BATS_TEST_TMPDIR/in"
	run -1 --separate-stderr split --rejects "$BATS_TEST_TMPDIR/rej" "$BATS_TEST_TMPDIR/in"
	assert_output ""
	assert_equal "$(jq -r .reason "$BATS_TEST_TMPDIR/rej")" "$(printf '%s\n' \
		'status "OPEN" is not open, closed or cancelled' \
		'two lines are named "1" (line_id, else sku): a shipment could not tell them apart' \
		'two lines are named "A" (line_id, else sku): a shipment could not tell them apart' \
		'two lines are named "A" (line_id, else sku): a shipment could not tell them apart' \
		'line #1 has units to ship but neither line_id nor sku' \
		'line 1: allocated[1] needs a location (no white space at its ends) and a whole qty of at least 1')"
}

@test "when an order's last export is rejected, the one before passes as it was, with nothing new" {
	a=$(order o1 '' "$(lines A:2:ABQ=2)")
	run -1 --separate-stderr split --rejects "$BATS_TEST_TMPDIR/rej" <<< "$a"$'\n'"$(order o1 '"status":"cancelled"' "$(lines A:2:MARS=2)")"
	assert_output "$a"
}

@test "an order met again with its records is read as the reader read it the first time" {
	# "true" is read as true: held on its own, and held still beside an old warning.
	o=$(order o1 '"ship_complete":"true","allocation":{"status":"partial"}' "$(lines A:3:ABQ=1)")
	w='{"type":"notice","order_id":"o1","kind":"shipment_changed","text":"old"}'
	run -0 split <<< "$o"
	assert_equal "$(reasons "$output")" "ship complete: 1 of 3 units allocated"
	run -0 split <<< "$o"$'\n'"$w"
	assert_equal "$(reasons "$output")" "ship complete: 1 of 3 units allocated"
}

@test "a shipment without a shipment_id is rejected" {
	run -1 --separate-stderr split --rejects "$BATS_TEST_TMPDIR/rej" <<< "$(order o1)"$'\n''{"type":"shipment","order_id":"o1","status":"released","lines":[]}'
	assert_equal "$(jq -r .reason "$BATS_TEST_TMPDIR/rej")" "shipment without a shipment_id"
}

@test "a location name too long for a file name is cut, and ends with a hash of the whole" {
	loc=$(printf 'W%.0s' $(seq 300))
	run -0 oms-split --manifest-dir "$BATS_TEST_TMPDIR/m" <<< "$(order o1 '' "$(lines A:1:$loc=1)")"
	f=$(cd "$BATS_TEST_TMPDIR/m" && ls -- *.csv)
	assert_equal "${#f}" 222
	assert_equal "$(sed -n 2p "$BATS_TEST_TMPDIR/m/$f" | cut -d, -f2)" "o1/1"
	# Its void list has the same name, in void/.
	assert_equal "$(cat "$BATS_TEST_TMPDIR/m/void/$f")" location,shipment_id,order_id,channel,sku,qty,reason
}

@test "two order ids of one 64-bit hash stay two orders" {
	# FNV-1a-64 (mixed) gives these two ids the same hash; the second hash tells them apart.
	{
		order o:0abf1ad0894ce6ff '' "$(lines A:2:ABQ=2)"
		order o:4a55dd5d102d826a '' "$(lines B:5:ZRH-DC=5)"
	} > "$BATS_TEST_TMPDIR/in"
	run -0 --separate-stderr split --stats "$BATS_TEST_TMPDIR/in"
	assert_ships 'o:0abf1ad0894ce6ff/1 ABQ released 1/1 2 1=2' 'o:4a55dd5d102d826a/1 ZRH-DC released 1/1 5 1=5'
	assert_equal "$(statval consumed "$stderr")" 0
}

@test "the pick tickets go in place only once the records are written" {
	order o1 > "$BATS_TEST_TMPDIR/in"
	run -2 --separate-stderr sh -c "oms-split --locations '$S/locations.csv' --manifest-dir '$BATS_TEST_TMPDIR/m' '$BATS_TEST_TMPDIR/in' > /dev/full"
	assert_equal "$(ls -A "$BATS_TEST_TMPDIR/m")" "void"
	assert_equal "$(ls -A "$BATS_TEST_TMPDIR/m/void")" ""
	# --strict stopped by a stray shipment: nothing written, no ticket either.
	printf '%s\n' '{"type":"shipment","shipment_id":"zz/1","order_id":"zz","status":"released","lines":[]}' >> "$BATS_TEST_TMPDIR/in"
	run -1 --separate-stderr split --strict --manifest-dir "$BATS_TEST_TMPDIR/m" "$BATS_TEST_TMPDIR/in"
	assert_output ""
	assert_equal "$(ls -A "$BATS_TEST_TMPDIR/m")" "void"
	assert_equal "$(ls -A "$BATS_TEST_TMPDIR/m/void")" ""
}

@test "a self-check that fails writes nothing (status 3)" {
	order o1 > "$BATS_TEST_TMPDIR/in"
	OMS_SPLIT_FAULT=units run -3 --separate-stderr split -O "$BATS_TEST_TMPDIR/out" "$BATS_TEST_TMPDIR/in"
	stderr_has "self-check failed, nothing written"
	assert [ ! -e "$BATS_TEST_TMPDIR/out" ]
	# Nor on standard output: the law is checked before the first record goes out.
	OMS_SPLIT_FAULT=units run -3 --separate-stderr split "$BATS_TEST_TMPDIR/in"
	assert_output ""
}

@test "CSV output is refused: the stream holds several record types" {
	run -2 --separate-stderr split -o csv /dev/null
	stderr_has "the output holds orders, shipments and notices, so it is NDJSON"
}

# ---- pick tickets -------------------------------------------------------------

@test "pick tickets: one CSV per location in pick-queue order: ship_by, service speed, priority, shipment id" {
	{
		order d '"ship_by":"2026-12-01"' "$(lines A:1:ABQ=1)"
		order c '"service":"standard","priority":0' "$(lines A:1:ABQ=1)"
		order b '"service":"standard","priority":5' "$(lines A:1:ABQ=1)"
		order a2 '"service":"next_day"' "$(lines A:1:ABQ=1)"
		order a1 '"service":"next_day"' "$(lines A:1:ABQ=1)"
		order e '' "$(lines A:1:ZRH-DC=1)"
	} > "$BATS_TEST_TMPDIR/in"
	run -0 split --manifest-dir "$BATS_TEST_TMPDIR/m" "$BATS_TEST_TMPDIR/in"
	assert_equal "$(cd "$BATS_TEST_TMPDIR/m" && ls -A)" "$(printf 'ABQ.csv\nNYC%%2FSOHO.csv\nZRH-DC.csv\nvoid')"
	assert_equal "$(cut -d, -f2 "$BATS_TEST_TMPDIR/m/ABQ.csv" | paste -sd' ')" "shipment_id a1/1 a2/1 b/1 c/1 d/1"
	assert_equal "$(cat "$BATS_TEST_TMPDIR/m/NYC%2FSOHO.csv")" "location,shipment_id,order_id,channel,service,ship_by,sku,style,color,size,qty,unit_price,ship_to.name,ship_to.company,ship_to.line1,ship_to.line2,ship_to.city,ship_to.region,ship_to.postal_code,ship_to.country,ship_to.phone,start_ship,cancel_after,pack_contents"
	assert_equal "$(sed -n 2p "$BATS_TEST_TMPDIR/m/ZRH-DC.csv")" "ZRH-DC,e/1,e,dtc,standard,2026-11-30,A,,,,1,10.00,,,,,,,,,,,,"
}

@test "pick tickets hold every open released shipment of the stream, with the order line's style, color and size" {
	o=$(order o1 '"ship_to":{"name":"Bo, Jr.","line1":"1 Main St","city":"Taos","region":"NM","postal_code":"87571","country":"US"}' \
		'[{"line_id":"1","sku":"TEE-M","style":"TEE","color":"Black","size":"M","qty":2,"unit_price":"12.50","allocated":[{"location":"ABQ","qty":2}]}]')
	split -O "$BATS_TEST_TMPDIR/one" <<< "$o"
	# The released shipment is already in the stream: it stays on the ticket.
	run -0 split --manifest-dir "$BATS_TEST_TMPDIR/m" "$BATS_TEST_TMPDIR/one"
	assert_equal "$(sed -n 2p "$BATS_TEST_TMPDIR/m/ABQ.csv")" 'ABQ,o1/1,o1,dtc,standard,2026-11-30,TEE-M,TEE,Black,M,2,12.50,"Bo, Jr.",,1 Main St,,Taos,NM,87571,US,,,,'
	# Confirmed shipped (tracked): off the ticket.
	jq -c 'if .type == "order" then .allocation.tracked = ["o1/1"] | .lines[0].shipped = 2 | .lines[0].allocated = [] else . end' \
		"$BATS_TEST_TMPDIR/one" > "$BATS_TEST_TMPDIR/two"
	run -0 split --manifest-dir "$BATS_TEST_TMPDIR/m" "$BATS_TEST_TMPDIR/two"
	assert_equal "$(wc -l < "$BATS_TEST_TMPDIR/m/ABQ.csv")" 1
}

@test "pick tickets in ShipStation's column layout" {
	o=$(order o1 '"ship_by":"2026-12-04","service":"expedited","ship_to":{"name":"Cy","company":"Acme","line1":"2 Elm","city":"Taos","region":"NM","postal_code":"87571","country":"US","phone":"555"}' \
		'[{"line_id":"1","sku":"TEE-M","style":"TEE","color":"Black","size":"M","qty":2,"unit_price":"12.50","allocated":[{"location":"ABQ","qty":2}]}]')
	run -0 split --manifest-dir "$BATS_TEST_TMPDIR/m" --manifest-format shipstation <<< "$o"
	assert_equal "$(cat "$BATS_TEST_TMPDIR/m/ABQ.csv")" "Order - Number,Custom - Field 1,Custom - Field 2,Carrier - Service Requested,Date - Ship By Date,Item - SKU,Item - Name,Item - Options,Item - Qty,Item - Price,Item - Location,Ship To - Name,Ship To - Company,Ship To - Address 1,Ship To - Address 2,Ship To - City,Ship To - State,Ship To - Postal Code,Ship To - Country,Ship To - Phone
o1/1,o1,dtc,expedited,12/4/2026,TEE-M,TEE,\"Color: Black, Size: M\",2,12.50,ABQ,Cy,Acme,2 Elm,,Taos,NM,87571,US,555"
	run -2 --separate-stderr split --manifest-dir "$BATS_TEST_TMPDIR/m" --manifest-format excel /dev/null
	stderr_has '"excel" is not oms or shipstation'
}

@test "a manifest folder that cannot be written stops the run before anything is written (status 2)" {
	touch "$BATS_TEST_TMPDIR/file"
	order o1 > "$BATS_TEST_TMPDIR/in"
	run -2 --separate-stderr split --manifest-dir "$BATS_TEST_TMPDIR/file/m" -O "$BATS_TEST_TMPDIR/out" "$BATS_TEST_TMPDIR/in"
	assert_equal "$stderr" "oms-split: --manifest-dir $BATS_TEST_TMPDIR/file/m: Not a directory"
	assert [ ! -e "$BATS_TEST_TMPDIR/out" ]
}

@test "a read-only manifest folder stops the run too" {
	[ "$(id -u)" -ne 0 ] || skip "root writes into read-only folders"
	mkdir "$BATS_TEST_TMPDIR/ro" && chmod a-w "$BATS_TEST_TMPDIR/ro"
	order o1 > "$BATS_TEST_TMPDIR/in"
	run -2 --separate-stderr split --manifest-dir "$BATS_TEST_TMPDIR/ro" -O "$BATS_TEST_TMPDIR/out" "$BATS_TEST_TMPDIR/in"
	stderr_has "cannot write there"
	assert [ ! -e "$BATS_TEST_TMPDIR/out" ]
}

# ---- counts -----------------------------------------------------------------

@test "--stats counts orders, shipments released and held, units, notices and the split rate" {
	r=$(rules '{"partial": {"wholesale": "hold"}}')
	{
		order a '' "$(lines A:3:ABQ=3 B:1:ZRH-DC=1)"                                     # 2 released, 4 units, notice
		order b '' "$(lines A:2:ABQ=2)"                                                  # 1 released, 2 units
		order c '"channel":"wholesale","allocation":{"status":"partial"}' "$(lines A:5:ABQ=2)" # 1 held, 2 units
		order d '"status":"closed","allocation":{"status":"closed"}' "$(lines A:1)"       # nothing
	} > "$BATS_TEST_TMPDIR/in"
	run -0 --separate-stderr split --stats --rules "$r" "$BATS_TEST_TMPDIR/in"
	assert_equal "$stderr" "oms-split: stats: in=4 passed=0 out=9 rejected=0 consumed=0 created=5 orders=4 released=3 held=1 shipped=0 cancelled=0 units_released=6 units_held=2 notices=1 warnings=0 split_rate=1.50"
}

# ---- the loop through the warehouse --------------------------------------------

@test "next night: the warehouse's ShipStation export names the shipment: it is shipped with its tracking, and the rest ships as /2 with no warning" {
	t=$BATS_TEST_TMPDIR
	printf 'location,sku,on_hand\nABQ,A,2\n' > "$t/inv1.csv"
	jq -nc '{type:"order",order_id:"shopify:9",channel:"dtc",source:"shopify",status:"open",
		currency:"USD",ship_by:"2026-11-30",lines:[{line_id:"1",sku:"A",qty:3,unit_price:"10.00"}]}' > "$t/book"
	# Night 1: 2 of 3 allocated at ABQ, released as shopify:9/1 on ABQ's ShipStation ticket.
	oms-allocate --locations "$S/locations.csv" --inventory "$t/inv1.csv" "$t/book" > "$t/alloc1"
	split --manifest-dir "$t/m" --manifest-format shipstation -O "$t/night1" "$t/alloc1"
	assert_equal "$(sed -n 2p "$t/m/ABQ.csv" | cut -d, -f1,6,9)" "shopify:9/1,A,2"
	# The day: ShipStation ships it; its export gives the ticket's order number back.
	printf '%s\n' 'Order - Number,Date - Shipped Date,Market - Store Name,Shipment - Service,Shipment - Tracking Number,Item - SKU,Item - Qty' \
		'shopify:9/1,11/27/2026 10:00,Lowtide,UPS Ground,1Z9,A,2' > "$t/shipped.csv"
	oms-import --tz America/New_York "$t/shipped.csv" > "$t/tracking"
	assert_equal "$(jq -c '[.order_id, .shipment_id]' "$t/tracking")" '["shopify:9","shopify:9/1"]'
	# Night 2: 1 more unit came in at ABQ; the book and the confirmation go round again.
	printf 'location,sku,on_hand\nABQ,A,1\n' > "$t/inv2.csv"
	oms-allocate --locations "$S/locations.csv" --inventory "$t/inv2.csv" "$t/night1" "$t/tracking" > "$t/alloc2"
	run -0 split --manifest-dir "$t/m" "$t/alloc2"
	# /1 is shipped with its tracking; the confirmation is consumed into it.
	assert_ships 'shopify:9/1 ABQ shipped 1/1 2 1=2' 'shopify:9/2 ABQ released 2/2 1 1=1'
	assert_equal "$(jq -c 'select(.status == "shipped") | [.carrier, .tracking_number, .tracking_url, .shipped_at]' <<< "$output")" \
		'["UPS","1Z9","https://www.ups.com/track?tracknum=1Z9","2026-11-27T15:00:00Z"]'
	assert_equal "$(jq -c 'select(.type == "tracking")' <<< "$output")" ""
	assert_equal "$(kinds "$output")" "$(printf '%s\n' split_shipment shipped)"
	# Only the new shipment is left to pick.
	assert_equal "$(cut -d, -f2 "$t/m/ABQ.csv" | paste -sd' ')" "shipment_id shopify:9/2"
}

@test "--as-of: the day the ship windows are judged by, today by default; a date that is not real is status 2" {
	# A's window opens 2027-02-01: held before, released on the day. B past
	# its cancel_after was oms-allocate's to judge (it releases the stock):
	# oms-split ships what is allocated.
	{
		order A '"start_ship":"2027-02-01","cancel_after":"2027-02-15"'
		order B '"cancel_after":"2026-01-01"' "$(lines TEE-M:2:ZRH-DC=1)"
	} > "$BATS_TEST_TMPDIR/in.ndjson"
	run -0 --separate-stderr split --stats "$BATS_TEST_TMPDIR/in.ndjson"
	today=$output today_err=$stderr
	run -0 --separate-stderr split --stats --as-of "$(date -u +%F)" "$BATS_TEST_TMPDIR/in.ndjson"
	assert_equal "$output" "$today"
	assert_equal "$stderr" "$today_err"
	for d in 2020-01-01 2026-11-26 2027-01-31; do
		run -0 split --as-of "$d" "$BATS_TEST_TMPDIR/in.ndjson"
		assert_ships 'A/1 ZRH-DC held 1/1 1 1=1' 'B/1 ZRH-DC released 1/1 1 1=1'
	done
	for d in 2027-02-01 2031-12-31; do
		run -0 split --as-of "$d" "$BATS_TEST_TMPDIR/in.ndjson"
		assert_ships 'A/1 ZRH-DC released 1/1 1 1=1' 'B/1 ZRH-DC released 1/1 1 1=1'
	done
	run -2 --separate-stderr split --as-of 2026-13-01 "$BATS_TEST_TMPDIR/in.ndjson"
	assert_output ""
	assert_equal "$stderr" 'oms-split: --as-of: "2026-13-01" is not a real date or time'
}

# ---- confirmations ------------------------------------------------------------

# trk ORDER TRACKING-NUMBER LINES [FIELDS]: a confirmation as oms-allocate writes it.
trk() {
	jq -nc --arg o "$1" --arg n "$2" --argjson l "$3" --argjson f "{${4:-}}" \
		'{type:"tracking",order_id:$o,carrier:"UPS",tracking_number:$n,shipped_at:"2026-11-27T15:00:00Z",lines:$l} + $f'
}
# rel ID LOC LINE QTY: a released shipment of one line.
rel() {
	jq -nc --arg id "$1" --arg loc "$2" --arg l "$3" --argjson q "$4" \
		'{type:"shipment",shipment_id:$id,order_id:($id | sub("/[0-9]+$"; "")),location:$loc,
		  seq:($id | sub(".*/"; "") | tonumber),of:1,status:"released",units:$q,lines:[{line_id:$l,sku:"A",qty:$q}]}'
}

@test "a confirmation without a shipment id ships the released shipment it matches exactly (lines, units, location); one not applied by oms-allocate passes through" {
	# Allocated 2 at ABQ, 1 shipped now (oms-allocate applied 1Z1: shipped 2, nothing allocated).
	o=$(order o1 '"customer":{"id":"c"},"allocation":{"status":"full","tracked":["1Z1"]}' \
		'[{"line_id":"1","sku":"A","qty":2,"shipped":2,"unit_price":"10.00","allocated":[]}]')
	run -0 --separate-stderr split --stats <<< "$o"$'\n'"$(rel o1/1 ABQ 1 2)"$'\n'"$(trk o1 1Z1 '[{"sku":"A","qty":2}]' '"location":"ABQ"')"
	assert_ships 'o1/1 ABQ shipped 1/1 2 1=2'
	assert_equal "$(jq -r 'select(.type == "tracking")' <<< "$output")" ""
	assert_equal "$(jq -r 'select(.kind == "shipped") | [.shipment_id, .customer.id, .text] | @tsv' <<< "$output")" \
		"$(printf 'o1/1\tc\t%s' 'Your order o1 has shipped: 2 x A. UPS tracking number 1Z1. Track it at https://www.ups.com/track?tracknum=1Z1')"
	assert_equal "$(statval shipped "$stderr") $(statval consumed "$stderr")" "1 2"
	# From another location, or other units: no match; a shipment of its own.
	run -0 split <<< "$o"$'\n'"$(rel o1/1 ABQ 1 2)"$'\n'"$(trk o1 1Z1 '[{"sku":"A","qty":2}]' '"location":"ZRH-DC"')"
	assert_ships 'o1/1 ABQ cancelled 1/1 2 1=2' 'o1/2 ZRH-DC shipped 2/2 2 1=2'
	# Not in allocation.tracked: oms-allocate has not applied it, so nothing ships.
	run -0 split <<< "$(order o1 '' "$(lines A:2:ABQ=2)")"$'\n'"$(rel o1/1 ABQ 1 2)"$'\n'"$(trk o1 1Z1 '[{"sku":"A","qty":2}]')"
	assert_ships 'o1/1 ABQ released 1/1 2 1=2'
	assert_equal "$(jq -r 'select(.type == "tracking") | .tracking_number' <<< "$output")" 1Z1
}

@test "a confirmation naming part of a shipment ships that part; the rest ships anew; fed again it changes nothing" {
	# 3 allocated at ABQ on /1; 2 shipped under /1 (oms-allocate: shipped 2, 1 left at ABQ).
	o=$(order o1 '"channel_order_id":"#1","allocation":{"status":"full","tracked":["o1/1"]}' \
		'[{"line_id":"1","sku":"A","qty":3,"shipped":2,"unit_price":"10.00","allocated":[{"location":"ABQ","qty":1}]}]')
	t=$(trk o1 1Z1 '[{"line_id":"1","qty":2}]' '"shipment_id":"o1/1","location":"ABQ"')
	run -0 split <<< "$o"$'\n'"$(rel o1/1 ABQ 1 3)"$'\n'"$t"
	assert_ships 'o1/1 ABQ shipped 1/1 2 1=2' 'o1/2 ABQ released 2/2 1 1=1'
	assert_equal "$(jq -r 'select(.status == "shipped") | .value' <<< "$output")" 20.00
	assert_equal "$(jq -r 'select(.kind == "shipped") | .text' <<< "$output")" \
		"Shipment 1 of 2 of your order #1 has shipped: 2 x A. UPS tracking number 1Z1. Track it at https://www.ups.com/track?tracknum=1Z1"
	# Its own output, with the same confirmation again: the same bytes.
	printf '%s\n' "$output" "$t" > "$BATS_TEST_TMPDIR/again"
	run -0 --separate-stderr split --stats "$BATS_TEST_TMPDIR/again"
	assert_equal "$output" "$(head -n -1 "$BATS_TEST_TMPDIR/again")"
	assert_equal "$(statval consumed "$stderr") $(statval shipped "$stderr")" "1 0"
	# Another number for the shipped /1: passed through, nothing changes.
	printf '%s\n' "$(head -n -1 "$BATS_TEST_TMPDIR/again")" "${t//1Z1/1Z2}" > "$BATS_TEST_TMPDIR/other"
	run -0 split "$BATS_TEST_TMPDIR/other"
	assert_equal "$output" "$(cat "$BATS_TEST_TMPDIR/other")"
}

@test "a confirmation of a cancelled shipment ships it after all; the shipment made in its place is re-planned" {
	# /1 (ABQ 2) was cancelled, /2 (ZRH-DC 2) released in its place; then ABQ ships /1.
	o=$(order o1 '"allocation":{"status":"full","tracked":["o1/1"]}' \
		'[{"line_id":"1","sku":"A","qty":2,"shipped":2,"unit_price":"10.00","allocated":[]}]')
	c=$(rel o1/1 ABQ 1 2 | jq -c '.status = "cancelled" | .reason = "re-planned"')
	run -0 split <<< "$o"$'\n'"$c"$'\n'"$(rel o1/2 ZRH-DC 1 2)"$'\n'"$(trk o1 1Z1 '[{"line_id":"1","qty":2}]' '"shipment_id":"o1/1"')"
	assert_ships 'o1/1 ABQ shipped 1/1 2 1=2' 'o1/2 ZRH-DC cancelled 2/1 2 1=2'
}

@test "split.tracking_urls: a carrier's link template, the number percent-encoded; \"\" for none; a bad template is refused" {
	o=$(order o1 '"allocation":{"status":"full","tracked":["X 1/2"]}' \
		'[{"line_id":"1","sku":"A","qty":1,"shipped":1,"unit_price":"10.00","allocated":[]}]')
	t=$(trk o1 'X 1/2' '[{"line_id":"1","qty":1}]' '"carrier":"ontrac"')
	run -0 split --rules "$(rules '{"tracking_urls": {"OnTrac": "https://t.example/?n={tracking_number}&x=1"}}')" <<< "$o"$'\n'"$t"
	assert_equal "$(jq -r 'select(.type == "shipment") | .tracking_url' <<< "$output")" "https://t.example/?n=X%201%2F2&x=1"
	run -0 split --rules "$(rules '{"tracking_urls": {"UPS": ""}}')" <<< "$o"$'\n'"${t//ontrac/UPS}"
	assert_equal "$(jq -c 'select(.type == "shipment") | [.carrier, has("tracking_url")]' <<< "$output")" '["UPS",false]'
	assert_equal "$(jq -r 'select(.kind == "shipped") | .text' <<< "$output")" "Your order o1 has shipped: 1 x A. UPS tracking number X 1/2."
	run -2 --separate-stderr split --rules "$(rules '{"tracking_urls": {"UPS": "https://ups.example/"}}')" <<< "$o"
	assert_equal "$stderr" "oms-split: tracking_urls.UPS: must be a link holding {tracking_number} once, or \"\" for none in $BATS_TEST_TMPDIR/rules.json"
}

@test "a closed order's released shipments not shipped are cancelled (pulled from the queue); a confirmation that completes an order still ships the one it matches" {
	o=$(order o1 '"status":"closed","allocation":{"status":"closed","tracked":["1Z1"]}' \
		'[{"line_id":"1","sku":"A","qty":2,"shipped":2,"unit_price":"10.00","allocated":[]}]')
	# Confirmed exactly: /1 ships, nothing else changes.
	run -0 split --manifest-dir "$BATS_TEST_TMPDIR/m" <<< "$o"$'\n'"$(rel o1/1 ABQ 1 2)"$'\n'"$(trk o1 1Z1 '[{"sku":"A","qty":2}]')"
	assert_ships 'o1/1 ABQ shipped 1/1 2 1=2'
	assert_equal "$(wc -l < "$BATS_TEST_TMPDIR/m/void/ABQ.csv")" 1
	# Shipped otherwise (from ZRH-DC): a shipment of its own, and /1 leaves the queue.
	run -0 split --manifest-dir "$BATS_TEST_TMPDIR/m" <<< "$o"$'\n'"$(rel o1/1 ABQ 1 2)"$'\n'"$(trk o1 1Z1 '[{"sku":"A","qty":2}]' '"location":"ZRH-DC"')"
	assert_ships 'o1/1 ABQ cancelled 1/1 2 1=2' 'o1/2 ZRH-DC shipped 2/2 2 1=2'
	assert_equal "$(jq -r 'select(.status == "cancelled") | .reason' <<< "$output")" "the order is closed: everything shipped"
	assert_equal "$(tail -n 1 "$BATS_TEST_TMPDIR/m/void/ABQ.csv")" "ABQ,o1/1,o1,dtc,A,2,the order is closed: everything shipped"
	assert_equal "$(jq -r 'select(.kind == "shipped") | .text' <<< "$output")" "Your order o1 has shipped: 2 x A. UPS tracking number 1Z1. Track it at https://www.ups.com/track?tracknum=1Z1"
}

@test "confirmations that match no shipment: two make two shipments of their own; the same one twice makes one" {
	o=$(order o1 '"allocation":{"status":"full","tracked":["1Z1","1Z2"]}' \
		'[{"line_id":"1","sku":"A","qty":3,"shipped":2,"unit_price":"10.00","allocated":[{"location":"ABQ","qty":1}]}]')
	t1=$(trk o1 1Z1 '[{"line_id":"1","qty":1}]' '"location":"ZRH-DC"')
	t2=$(trk o1 1Z2 '[{"line_id":"1","qty":1}]' '"location":"ZRH-DC"')
	run -0 split <<< "$o"$'\n'"$t1"$'\n'"$t2"$'\n'"$t1"
	assert_ships 'o1/1 ZRH-DC shipped 1/1 1 1=1' 'o1/2 ZRH-DC shipped 2/2 1 1=1' 'o1/3 ABQ released 3/3 1 1=1'
	assert_equal "$(jq -r 'select(.type == "shipment") | .tracking_number // "-"' <<< "$output" | paste -sd' ')" "1Z1 1Z2 -"
	assert_equal "$(jq -c 'select(.type == "tracking")' <<< "$output")" ""
}
