#!/usr/bin/env bats
# Issue 15, "Done when": three nights of a small brand through examples/nightly.sh,
# as a user runs it: the channels' exports in drop/ (tests/fixtures/tracking: Shopify,
# WooCommerce and Amazon, with a Shopify #1041 and a WooCommerce 1041), the
# warehouse's confirmations in tracking/ (ShipStation shipment exports and tracking
# records, each left there and read again every night), the stock counted anew in
# ref/inventory.csv each night. Each night is run twice from the same book; the
# laws are checked on what the nights committed, by jq and awk written here.
#
# The plan of night 1 (2026-12-02), from EWR (priority 1) and LAX:
#   shopify:1041/1 EWR 2 TEE + 1 HOOD   shopify:1042/1 EWR 3 TEE
#   shopify:1043/1 EWR 1 CAP            shopify:1044/1 EWR 2 TEE
#   woocommerce:1041/1 EWR 2 HOOD       woocommerce:1050/1 LAX 2 TEE, /2 EWR 1 CAP
#   amazon:112-0000000-0001041/1 LAX 1 TEE + 2 HOOD
#   amazon:113-0000000-0002222/1 EWR 2 CAP
# Day 1, confirmed for night 2 (2026-12-03):
#   shopify:1041/1      ShipStation, Order - Number the ticket's shipment id
#   amazon:...2222      order_id, lines by SKU, from EWR: exactly its /1
#   woocommerce:1041    "#1041" with source woocommerce: exactly its /1
#   shopify:1042        "1042", no source: 2 of /1's 3 (a partial confirmation)
#   shopify:1044        "shopify:1044": shipped from LAX, not EWR as planned
#   "1041", no source   both 1041s fit: rejected, both named, every night
#   and: LAX's hoodies recounted (5 -> 1: amazon:...1041/1 loses its cover);
#   woocommerce:1050 exported again with 1 TEE instead of 2.
# Day 2, confirmed for night 3 (2026-12-04):
#   shopify:1042/3      ShipStation, the re-planned rest, by its shipment id
#   amazon:...1041/2    ShipStation, the bare Amazon number of "Lowtide on Amazon"
#   shopify:1043        "01043", no source (a leading zero)
#   and: a hoodie back in stock at EWR.

setup_file() {
	load helpers/common
	W=$BATS_FILE_TMPDIR
	J=$W/job
	F=$FIX/tracking
	mkdir -p "$J/drop" "$J/tracking" "$J/ref"
	cp "$F/shopify-orders.csv" "$F/woocommerce-orders.csv" "$F/amazon-unshipped.txt" "$J/drop/"
	cp "$F/locations.csv" "$F/rules.json" "$J/ref/"
	: > "$J/book.ndjson"

	# Night 1.
	stock 'EWR TEE-WHT-M 7' 'LAX TEE-WHT-M 10' 'EWR HOOD-BLK-L 3' 'LAX HOOD-BLK-L 5' 'EWR CAP-NVY 4'
	night 1 2026-12-02

	# Day 1.
	shipstation "$J/tracking/shipstation-1202.csv" \
		'shopify:1041/1,12/2/2026 3:10:00 PM,Lowtide Apparel,UPS® Ground,1Z0000000000001041,TEE-WHT-M,2' \
		'shopify:1041/1,12/2/2026 3:10:00 PM,Lowtide Apparel,UPS® Ground,1Z0000000000001041,HOOD-BLK-L,1'
	cat > "$J/tracking/day1.ndjson" <<-'EOF'
		{"type":"tracking","order_id":"amazon:113-0000000-0002222","location":"EWR","carrier":"USPS","tracking_number":"9400100000000000002222","shipped_at":"2026-12-02T16:00:00Z","lines":[{"sku":"CAP-NVY","qty":2}]}
		{"type":"tracking","source":"woocommerce","channel_order_id":"#1041","carrier":"FedEx","tracking_number":"770000001041","shipped_at":"2026-12-02T17:00:00Z","lines":[{"sku":"HOOD-BLK-L","qty":2}]}
		{"type":"tracking","channel_order_id":"1042","location":"EWR","carrier":"UPS","tracking_number":"1Z0000000000001042","shipped_at":"2026-12-02T18:00:00Z","lines":[{"sku":"TEE-WHT-M","qty":2}]}
		{"type":"tracking","channel_order_id":"shopify:1044","location":"LAX","carrier":"UPS","tracking_number":"1Z0000000000001044","shipped_at":"2026-12-02T19:00:00Z","lines":[{"sku":"TEE-WHT-M","qty":2}]}
		{"type":"tracking","channel_order_id":"1041","carrier":"UPS","tracking_number":"1Z00000000000AMBIG","shipped_at":"2026-12-02T20:00:00Z","lines":[{"sku":"TEE-WHT-M","qty":1}]}
	EOF
	# WooCommerce exports 1050 again: 1 T-shirt, not 2.
	sed 's/^\(1050,.*,TEE-WHT-M,1,"Crew Tee - White, M",\)2,/\11,/' "$F/woocommerce-orders.csv" > "$J/drop/woocommerce-orders.csv"

	# Night 2: what left on day 1 is off the shelves, and LAX's hoodies were recounted.
	stock 'EWR TEE-WHT-M 3' 'LAX TEE-WHT-M 8' 'EWR HOOD-BLK-L 0' 'LAX HOOD-BLK-L 1' 'EWR CAP-NVY 2'
	night 2 2026-12-03

	# Day 2.
	shipstation "$J/tracking/shipstation-1203.csv" \
		'shopify:1042/3,12/3/2026 2:00:00 PM,Lowtide Apparel,UPS® Ground,1Z000000000001042B,TEE-WHT-M,1' \
		'112-0000000-0001041,12/3/2026 4:30:00 PM,Lowtide on Amazon,USPS Ground Advantage,9400100000000000001041,TEE-WHT-M,1' \
		'112-0000000-0001041,12/3/2026 4:30:00 PM,Lowtide on Amazon,USPS Ground Advantage,9400100000000000001041,HOOD-BLK-L,1'
	printf '%s\n' '{"type":"tracking","channel_order_id":"01043","carrier":"UPS","tracking_number":"1Z0000000000001043","shipped_at":"2026-12-03T15:00:00Z","lines":[{"sku":"CAP-NVY","qty":1}]}' \
		> "$J/tracking/day2.ndjson"

	# Night 3: a hoodie came back to EWR.
	stock 'EWR TEE-WHT-M 2' 'LAX TEE-WHT-M 7' 'EWR HOOD-BLK-L 1' 'LAX HOOD-BLK-L 0' 'EWR CAP-NVY 1'
	night 3 2026-12-04
}

# stock 'LOCATION SKU ON_HAND'...: the night's ref/inventory.csv.
stock() {
	local row
	{
		echo location,sku,on_hand
		for row; do echo "${row// /,}"; done
	} > "$J/ref/inventory.csv"
}

# shipstation FILE ROW...: a ShipStation shipments export, as its columns are named.
shipstation() {
	local f=$1
	shift
	{
		echo 'Order - Number,Date - Shipped Date,Market - Store Name,Shipment - Service,Shipment - Tracking Number,Item - SKU,Item - Qty'
		printf '%s\n' "$@"
	} > "$f"
}

# night N DATE: run the job; keep the night as $W/nN, its status in $W/nN.status;
# then run it again from the same book and inputs, kept as $W/nN.again.
night() {
	local n=$1 as_of=$2 status
	"$REPO/examples/nightly.sh" --dir "$J" --ref "$J/ref" --as-of "$as_of" 2> "$W/n$n.err" && status=0 || status=$?
	echo "$status" > "$W/n$n.status"
	cp -r "$J/night" "$W/n$n"
	cp "$J/night/book-in.ndjson" "$J/book.ndjson"
	"$REPO/examples/nightly.sh" --dir "$J" --ref "$J/ref" --as-of "$as_of" 2> /dev/null && status=0 || status=$?
	echo "$status" > "$W/n$n.again.status"
	cp -r "$J/night" "$W/n$n.again"
}

setup() {
	load helpers/common
	W=$BATS_FILE_TMPDIR
	FINAL=$W/n3/split.ndjson
}

# What the checks share: the final book's orders and shipments by order, a line's
# units on shipments of a status, the tickets' rows.
DEFS='
def orders: map(select(.type == "order")) | map({key: .order_id, value: .}) | from_entries;
def ships: map(select(.type == "shipment")) | group_by(.order_id) | map({key: .[0].order_id, value: .}) | from_entries;
def on($st; $l): [.[] | select(.status == $st) | .lines[] | select(.line_id == $l) | .qty] | add // 0;
'

# ---- the nights ran as a user sees them -------------------------------------

@test "the nights: committed, status 1 only for the ambiguous 1041, which is rejected naming both orders" {
	assert_equal "$(cat "$W/n1.status") $(cat "$W/n2.status") $(cat "$W/n3.status")" "0 1 1"
	for n in 2 3; do
		run -0 jq -r '.reason' "$W/n$n/rejects/allocate.ndjson"
		assert_output 'order reference "1041" matches shopify:1041 and woocommerce:1041: give its source or order_id'
		grep -q 1Z00000000000AMBIG "$W/n$n/rejects/allocate.ndjson"
		for s in import split; do [ ! -s "$W/n$n/rejects/$s.ndjson" ]; done
	done
	# Nothing of it was applied anywhere.
	run -1 grep -l 1Z00000000000AMBIG "$W"/n3/split.ndjson "$W"/n3/book.ndjson
}

@test "every spelling of the order reaches its order, and the shipment it names" {
	# The confirmations as oms-allocate wrote them on the night each was first read.
	got=$( { jq -r 'select(.type == "tracking") | [.tracking_number, .order_id, .shipment_id // "-"] | @tsv' "$W/n2/allocated.ndjson"
		jq -r 'select(.type == "tracking") | [.tracking_number, .order_id, .shipment_id // "-"] | @tsv' "$W/n3/allocated.ndjson"; } |
		LC_ALL=C sort -u)
	want=$(printf '%s\t%s\t%s\n' \
		1Z0000000000001041 shopify:1041 shopify:1041/1 \
		1Z0000000000001042 shopify:1042 - \
		1Z000000000001042B shopify:1042 shopify:1042/3 \
		1Z0000000000001043 shopify:1043 - \
		1Z0000000000001044 shopify:1044 - \
		770000001041 woocommerce:1041 - \
		9400100000000000001041 amazon:112-0000000-0001041 - \
		9400100000000000002222 amazon:113-0000000-0002222 - | LC_ALL=C sort)
	assert_equal "$got" "$want"
}

@test "night 2: the recount, the changed order, the partial confirmation and the one from another location cancel what they uncovered, into the void lists, and plan it anew" {
	run -0 jq -r 'select(.type == "shipment" and .status == "cancelled") | "\(.shipment_id) \(.location): \(.reason)"' "$W/n2/split.ndjson"
	assert_output - <<-'EOF'
		amazon:112-0000000-0001041/1 LAX: re-planned: line 5002 (HOOD-BLK-L): 2 released from LAX, 1 allocated there now
		shopify:1042/1 EWR: re-planned: line 1 (TEE-WHT-M): 3 released from EWR, 1 allocated there now
		shopify:1044/1 EWR: the order is closed: everything shipped
		woocommerce:1050/1 LAX: re-planned: line 1 (TEE-WHT-M): 2 released from LAX, 0 allocated there now
	EOF
	# The rows the warehouse must pull, location by location.
	assert_equal "$(tail -n +2 "$W/n2/manifests/void/EWR.csv" | cut -d, -f2,5,6)" \
		"$(printf '%s\n' shopify:1042/1,TEE-WHT-M,3 shopify:1044/1,TEE-WHT-M,2)"
	assert_equal "$(tail -n +2 "$W/n2/manifests/void/LAX.csv" | cut -d, -f2,5,6)" \
		"$(printf '%s\n' amazon:112-0000000-0001041/1,TEE-WHT-M,1 amazon:112-0000000-0001041/1,HOOD-BLK-L,2 woocommerce:1050/1,TEE-WHT-M,2)"
	# One notice for operations per order.
	run -0 jq -r 'select(.kind == "shipment_cancelled") | [.order_id, has("customer")] | @tsv' "$W/n2/split.ndjson"
	assert_output "$(printf '%s\tfalse\n' amazon:112-0000000-0001041 shopify:1042 shopify:1044 woocommerce:1050)"
	# Planned anew in the same run: the rest on the tickets.
	run -0 jq -r 'select(.type == "shipment" and .status == "released") | .shipment_id' <(grep -vxFf "$W/n1/split.ndjson" "$W/n2/split.ndjson")
	assert_output "$(printf '%s\n' amazon:112-0000000-0001041/2 shopify:1042/3 woocommerce:1050/3)"
	# Night 3 cancels nothing: its void lists are headers alone.
	for f in "$W"/n3/manifests/void/*.csv; do assert_equal "$(wc -l < "$f")" 1; done
}

@test "at the end, every shipped unit is on a shipped shipment that carries its tracking number and link" {
	run -0 jq -rs "$DEFS"'orders as $o | ships as $s | $o[] | . as $ord
		| ($s[.order_id] // []) as $mine
		| (.lines[] | (.shipped // 0) as $sh | .line_id as $lid | ($mine | on("shipped"; $lid)) as $on
			| select($sh != $on) | "\($ord.order_id) line \(.line_id): shipped \($sh), \($on) on shipped shipments"),
		  ($mine[] | select(.status == "shipped")
			| (.tracking_number // "") as $tn
			| select($tn == "" or (.carrier // "") == "" or (.tracking_url // "" | contains($tn) | not))
			| "\(.shipment_id): shipped without its tracking \([.carrier, .tracking_number, .tracking_url])")' "$FINAL"
	assert_output ''
	# Every tracking number oms-allocate applied is on one shipped shipment of its order.
	run -0 jq -rs --slurpfile fin "$FINAL" '[.[] | select(.type == "tracking")] | unique_by(.tracking_number)[] | . as $t
		| [$fin[] | select(.type == "shipment" and .status == "shipped" and .tracking_number == $t.tracking_number and .order_id == $t.order_id)]
		| select(length != 1) | "\($t.tracking_number): on \(length) shipped shipments of \($t.order_id)"' \
		"$W/n2/allocated.ndjson" "$W/n3/allocated.ndjson"
	assert_output ''
	# Not vacuous: eight confirmations, ten units shipped.
	assert_equal "$(jq -s '[.[] | select(.type == "shipment" and .status == "shipped")] | length' "$FINAL")" 8
	assert_equal "$(jq -s '[.[] | select(.type == "order") | .lines[].shipped // 0] | add' "$FINAL")" 15
	# The confirmations were consumed: the book holds orders and shipments only.
	assert_equal "$(grep -cv '^{"type":"\(order\|shipment\)",' "$W/n3/book.ndjson")" 0
}

@test "at the end, every fully shipped order is closed, with fulfillment shipped; the others are open" {
	run -0 jq -r 'select(.type == "order")
		| (all(.lines[]; (.shipped // 0) >= .qty)) as $done
		| select(($done and (.status != "closed" or .fulfillment.status != "shipped"))
			or (($done | not) and (.status != "open" or .fulfillment.status == "shipped")))
		| "\(.order_id): \(.status), fulfillment \(.fulfillment | tojson)"' "$FINAL"
	assert_output ''
	run -0 jq -r 'select(.type == "order") | [.order_id, .status, .fulfillment.status, .fulfillment.units_shipped, .fulfillment.shipments] | @tsv' "$FINAL"
	assert_output - <<-'EOF'
		amazon:112-0000000-0001041	open	partial	2	1
		amazon:113-0000000-0002222	closed	shipped	2	1
		shopify:1041	closed	shipped	3	1
		shopify:1042	closed	shipped	3	2
		shopify:1043	closed	shipped	1	1
		shopify:1044	closed	shipped	2	1
		woocommerce:1041	closed	shipped	2	1
		woocommerce:1050	open	unshipped	0	0
	EOF
}

# Law: per order line, the units on released shipments are the units allocated, and
# with those on shipped shipments no more than the line's qty: no unit is on two live
# shipments. Checked on the final book.
LIVE_LAW='orders as $o | ships as $s | $o[] | . as $ord | ($s[.order_id] // []) as $mine
	| .lines[] | ([.allocated[]?.qty] | add // 0) as $a | .line_id as $lid
	| ($mine | on("released"; $lid)) as $r | ($mine | on("shipped"; $lid)) as $sh
	| (select($r != $a) | "\($ord.order_id) line \(.line_id): \($r) on released shipments, \($a) allocated"),
	  (select($r + $sh > .qty) | "\($ord.order_id) line \(.line_id): \($r) released + \($sh) shipped > qty \(.qty)")'

# The orders still open, and the other records.
OPEN_ONLY='[.[] | select(.type != "order" or .status == "open")]'

@test "at the end, no unit is on two live shipments" {
	run -0 jq -rs "$DEFS $LIVE_LAW" "$FINAL"
	assert_output ''
}

@test "the live-shipment check bites (a released shipment on a closed order; a unit more on a released line)" {
	# On the open orders alone, it holds at the end.
	run -0 jq -rs "$DEFS $OPEN_ONLY | $LIVE_LAW" "$FINAL"
	assert_output ''
	run -0 jq -rs "$DEFS $LIVE_LAW" <(jq -c 'if .shipment_id == "woocommerce:1050/3" then .lines[0].qty += 1 else . end' "$FINAL")
	assert_output --partial 'woocommerce:1050 line 1: 2 on released shipments, 1 allocated'
	run -0 jq -rs "$DEFS $LIVE_LAW" <(grep -v 'woocommerce:1041/1' "$FINAL"; grep 'woocommerce:1041/1' "$W/n1/split.ndjson")
	assert_output --partial 'woocommerce:1041 line 1: 2 on released shipments, 0 allocated'
}

@test "at the end, every open allocated unit is on a ticket, and the tickets hold nothing else" {
	# Released shipments of open orders, per line and location, carry the allocation...
	run -0 jq -rs "$DEFS $OPEN_ONLY | $LIVE_LAW" "$FINAL"
	assert_output ''
	# ...and each of their lines is a row of its location's ticket, no row more.
	want=$(jq -rs "$DEFS"'orders as $o | .[] | select(.type == "shipment" and .status == "released" and $o[.order_id].status == "open")
		| .location as $l | .shipment_id as $id | .lines[] | "\($l),\($id),\(.sku),\(.qty)"' "$FINAL" | LC_ALL=C sort)
	got=$(for f in "$W"/n3/manifests/*.csv; do tail -n +2 "$f"; done | cut -d, -f1,2,7,11 | LC_ALL=C sort)
	assert_equal "$got" "$want"
	# Not vacuous: the open orders' units, three, are on the tickets.
	assert_equal "$(wc -l <<< "$got")" 3
}

@test "no night warns shipment_changed" {
	for n in 1 2 3; do
		run -1 grep -c '"kind":"shipment_changed"' "$W/n$n/split.ndjson"
		[ ! -s "$W/n$n/changed.ndjson" ]
	done
}

@test "each night run again from the same book gives the same bytes: book, stock, tickets, void lists" {
	for n in 1 2 3; do
		assert_equal "$(cat "$W/n$n.again.status")" "$(cat "$W/n$n.status")"
		for f in allocated.ndjson split.ndjson book.ndjson inventory-out.csv notices.ndjson; do
			cmp "$W/n$n/$f" "$W/n$n.again/$f"
		done
		diff -r "$W/n$n/manifests" "$W/n$n.again/manifests"
	done
	# And a stage on its own output changes nothing.
	oms-split --locations "$W/job/ref/locations.csv" --rules "$W/job/ref/rules.json" "$FINAL" > "$BATS_TEST_TMPDIR/again"
	cmp "$FINAL" "$BATS_TEST_TMPDIR/again"
}

@test "one shipped notice per shipped shipment over the three nights, for the customer, with its tracking" {
	run -0 jq -rs --slurpfile fin "$FINAL" '
		[$fin[] | select(.type == "shipment" and .status == "shipped")] as $sh
		| ([.[] | select(.type == "notice" and .kind == "shipped")] | group_by(.shipment_id) | map({key: .[0].shipment_id, value: .}) | from_entries) as $n
		| ($sh[] | . as $s | ($n[.shipment_id] // []) as $m
			| (select(($m | length) != 1) | "\(.shipment_id): \($m | length) shipped notices"),
			  ($m[0] // empty | select((.text | contains($s.tracking_number)) | not) | "\($s.shipment_id): notice without its tracking number"),
			  ($m[0] // empty | select(has("customer") | not) | "\($s.shipment_id): notice for no customer")),
		  ($n | keys[] | select(. as $k | any($sh[]; .shipment_id == $k) | not) | "\(.): a shipped notice, and no shipped shipment")' \
		"$W/n1/split.ndjson" "$W/n2/split.ndjson" "$W/n3/split.ndjson"
	assert_output ''
	# The notices of the nights are those notices.ndjson handed on.
	assert_equal "$(cat "$W"/n[123]/notices.ndjson | grep -c '"kind":"shipped"')" 8
}

@test "a confirmation that ships exactly the released shipment of an order it completes marks that shipment shipped" {
	# The reproduction: one order of 2 units, released from EWR as shopify:7/1, then
	# confirmed (UPS 1Z7) by its order_id, from EWR, with exactly those units.
	t=$BATS_TEST_TMPDIR
	printf 'location,sku,on_hand\nEWR,A,5\n' > "$t/inv.csv"
	printf 'location,kind,country,region,priority,channels,max_orders,max_units\nEWR,warehouse,US,NJ,1,,,\n' > "$t/loc.csv"
	echo '{"type":"order","order_id":"shopify:7","channel":"dtc","source":"shopify","channel_order_id":"#7","status":"open","lines":[{"line_id":"1","sku":"A","qty":2}]}' > "$t/book"
	oms-allocate --locations "$t/loc.csv" --inventory "$t/inv.csv" "$t/book" > "$t/a1"
	oms-split --locations "$t/loc.csv" "$t/a1" > "$t/n1"
	echo '{"type":"tracking","order_id":"shopify:7","location":"EWR","carrier":"UPS","tracking_number":"1Z7","lines":[{"sku":"A","qty":2}]}' > "$t/trk"
	oms-allocate --locations "$t/loc.csv" --inventory "$t/inv.csv" "$t/n1" "$t/trk" > "$t/a2"
	run -0 oms-split --locations "$t/loc.csv" --manifest-dir "$t/m" "$t/a2"
	# Wanted: /1 is the shipped one, and the only shipment.
	assert_equal "$(jq -r 'select(.type == "shipment") | "\(.shipment_id) \(.status) \(.tracking_number)"' <<< "$output")" 'shopify:7/1 shipped 1Z7'
	# and the customer, who gets one parcel, is not told it is "Shipment 2 of 2".
	assert_equal "$(jq -r 'select(.kind == "shipped") | .text' <<< "$output")" \
		'Your order #7 has shipped: 2 x A. UPS tracking number 1Z7. Track it at https://www.ups.com/track?tracknum=1Z7'
	# The same confirmation from another location (the plan differed): /1 is cancelled,
	# its row in EWR's void list.
	echo '{"type":"tracking","order_id":"shopify:7","location":"LAX","carrier":"UPS","tracking_number":"1Z7","lines":[{"sku":"A","qty":2}]}' > "$t/trk"
	printf 'LAX,warehouse,US,CA,2,,,\n' >> "$t/loc.csv"
	oms-allocate --locations "$t/loc.csv" --inventory "$t/inv.csv" "$t/n1" "$t/trk" > "$t/a2"
	run -0 oms-split --locations "$t/loc.csv" --manifest-dir "$t/m" "$t/a2"
	assert_equal "$(jq -r 'select(.type == "shipment") | "\(.shipment_id) \(.status)"' <<< "$output" | sort)" \
		"$(printf 'shopify:7/1 cancelled\nshopify:7/2 shipped')"
	assert_equal "$(tail -n +2 "$t/m/void/EWR.csv" | cut -d, -f2,6)" 'shopify:7/1,2'
}
