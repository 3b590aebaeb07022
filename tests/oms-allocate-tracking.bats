#!/usr/bin/env bats
# oms-allocate and the order reference resolver (lib/records/orderref.h):
# tracking in every spelling a channel or a warehouse uses, written back with
# the order_id (and shipment_id) it resolved to; ambiguity rejected; orders
# that close; the fulfillment summary; idempotence on the output.
#
# Inventory ($FIX/allocate/inventory.csv): EWR TEE-M 8 available, LAX TEE-M 5,
# EWR TEE-L 1.

setup() {
	load helpers/common
	A="$FIX/allocate"
}

alloc() { oms-allocate --locations "$A/locations.csv" --inventory "$A/inventory.csv" "$@"; }

TEE_M_2='[{"line_id":"1","sku":"TEE-M","qty":2}]'

# order ID SOURCE NUMBER [LINES]: an open dtc order (default: TEE-M 2).
order() {
	jq -nc --arg id "$1" --arg src "$2" --arg num "$3" --argjson lines "${4:-$TEE_M_2}" \
		'{type:"order",order_id:$id,channel:"dtc",source:$src,channel_order_id:$num,status:"open",lines:$lines}'
}

# trk FIELDS [QTY]: a confirmation shipping QTY (1) TEE-M; FIELDS name the order.
trk() {
	jq -nc --argjson f "{$1}" --argjson q "${2:-1}" \
		'{type:"tracking"} + $f + {location:"EWR",carrier:"ups",tracking_number:"1ZTEST",lines:[{sku:"TEE-M",qty:$q}]}'
}

# The orders "ID shipped status" and the tracking records "order_id shipment_id".
ORDERS='select(.type == "order") | "\(.order_id) \(.lines[0].shipped // 0) \(.status)"'
TRACKS='select(.type == "tracking") | "\(.order_id) \(.shipment_id // "-")"'

@test "resolver: each spelling finds the order once and the tracking is written with its order_id" {
	# shopify:1041 is #1041 at Shopify; each spelling ships 1 of its 2 TEE-M.
	o=$(order shopify:1041 shopify '#1041')
	while IFS='|' read -r fields ship; do
		f=$( { echo "$o"; trk "$fields"; } | tmpfile in.ndjson)
		run -0 --separate-stderr alloc "$f"
		assert_equal "$stderr" ""
		assert_equal "$(jq -r "$ORDERS" <<< "$output")" "shopify:1041 1 open"
		assert_equal "$(jq -r "$TRACKS" <<< "$output")" "shopify:1041 $ship"
	done <<-'EOF'
		"order_id":"shopify:1041"|-
		"source":"shopify","channel_order_id":"1041"|-
		"channel_order_id":"#1041"|-
		"channel_order_id":" 1041 "|-
		"channel_order_id":"shopify:1041"|-
		"channel_order_id":"01041"|-
		"source":"shopify","channel_order_id":"#01041"|-
		"source":"ShipStation EWR","channel_order_id":"1041"|-
		"order_id":"1041"|-
		"order_id":"shopify:1041/2"|shopify:1041/2
		"shipment_id":"shopify:1041/2"|shopify:1041/2
		"channel_order_id":"1041/2"|shopify:1041/2
		"channel_order_id":"#1041/02"|shopify:1041/2
		"order_id":"shopify:1041","shipment_id":"1041/2"|shopify:1041/2
		"order_id":"shopify:1041","shipment_id":"SS-77"|SS-77
	EOF
}

@test "resolver: a shipment named in two spellings is applied once" {
	o=$(order shopify:1041 shopify '#1041')
	f=$( { echo "$o"; trk '"shipment_id":"shopify:1041/1"'; trk '"channel_order_id":"1041/1"'; } | tmpfile in.ndjson)
	run -0 alloc "$f"
	assert_equal "$(jq -r "$ORDERS" <<< "$output")" "shopify:1041 1 open"
	assert_equal "$(jq -c 'select(.type == "order") | .allocation.tracked' <<< "$output")" '["shopify:1041/1"]'
	# Both are written, as the shipment they name.
	assert_equal "$(jq -r "$TRACKS" <<< "$output")" "$(printf 'shopify:1041 shopify:1041/1\nshopify:1041 shopify:1041/1')"
}

@test "resolver: a number two sources share is ambiguous without its source, rejected naming both" {
	s=$(order shopify:1041 shopify '#1041')
	w=$(order woocommerce:1041 woocommerce '1041')
	for fields in '"channel_order_id":"1041"' '"channel_order_id":"#1041"' '"source":"ShipStation","channel_order_id":"1041"'; do
		f=$( { echo "$s"; echo "$w"; trk "$fields"; } | tmpfile in.ndjson)
		run -1 --separate-stderr alloc "$f"
		assert_equal "${stderr%%$'\n'*}" "oms-allocate: $f:3: order reference \"$(jq -r .channel_order_id <<< "{$fields}")\" matches shopify:1041 and woocommerce:1041: give its source or order_id"
		# Nothing applied, the tracking not written.
		assert_equal "$(jq -r "$ORDERS" <<< "$output")" "$(printf 'shopify:1041 0 open\nwoocommerce:1041 0 open')"
		assert_equal "$(jq -r "$TRACKS" <<< "$output")" ""
	done
	# Its source, or the order_id, settles it.
	f=$( { echo "$s"; echo "$w"; trk '"source":"woocommerce","channel_order_id":"1041"'; trk '"channel_order_id":"shopify:1041"'; } | tmpfile in.ndjson)
	run -0 alloc "$f"
	assert_equal "$(jq -r "$ORDERS" <<< "$output")" "$(printf 'shopify:1041 1 open\nwoocommerce:1041 1 open')"
	assert_equal "$(jq -r "$TRACKS" <<< "$output")" "$(printf 'woocommerce:1041 -\nshopify:1041 -')"
}

@test "resolver: names no order, or a shipment_id of another order: rejected, nothing applied" {
	# woocommerce is a source orders have: its number 1041 is not shopify's.
	a=$(order shopify:1041 shopify '#1041')
	b=$(order shopify:1042 shopify '#1042')
	w=$(order woocommerce:2000 woocommerce '2000')
	while IFS='|' read -r fields msg; do
		f=$( { echo "$a"; echo "$b"; echo "$w"; trk "$fields"; } | tmpfile in.ndjson)
		run -1 --separate-stderr alloc "$f"
		assert_equal "${stderr%%$'\n'*}" "oms-allocate: $f:4: $msg"
		assert_equal "$(jq -r "$ORDERS" <<< "$output")" "$(printf 'shopify:1041 0 open\nshopify:1042 0 open\nwoocommerce:2000 0 open')"
	done <<-'EOF'
		"channel_order_id":"9999"|order reference "9999" names no order
		"source":"woocommerce","channel_order_id":"1041"|order reference "1041" names no order
		"order_id":"NOPE"|order reference "NOPE" names no order
		"channel_order_id":"1041-A"|order reference "1041-A" names no order
		"order_id":"shopify:1041","shipment_id":"shopify:1042/1"|shipment_id "shopify:1042/1" is of shopify:1042, not of shopify:1041
		"carrier":"ups"|names no order: it has no order_id, shipment_id or channel_order_id
	EOF
}

@test "resolver: leading zeros are dropped only from an all-digit number" {
	o=$(order amazon:X amazon 'A-01041')
	f=$( { echo "$o"; trk '"channel_order_id":"A-1041"'; } | tmpfile in.ndjson)
	run -1 alloc "$f"
	f=$( { echo "$o"; trk '"channel_order_id":"A-01041"'; } | tmpfile in.ndjson)
	run -0 alloc "$f"
	assert_equal "$(jq -r "$TRACKS" <<< "$output")" "amazon:X -"
}

@test "closing: every unit shipped closes the order; fulfillment says shipped" {
	o=$(order shopify:1041 shopify '#1041')
	f=$( { echo "$o"; trk '"channel_order_id":"1041/1"' 2; } | tmpfile in.ndjson)
	run -0 alloc "$f"
	assert_equal "$(jq -c 'select(.type == "order") | [.status, .fulfillment, .allocation.status, .lines[0].allocated, .lines[0].backordered, .lines[0].shipped]' <<< "$output")" \
		'["closed",{"status":"shipped","units_shipped":2,"shipments":1},"closed",[],0,2]'
	# The status keeps its place; fulfillment and allocation come before lines.
	assert_output --partial '"status":"closed","fulfillment":{"status":"shipped","units_shipped":2,"shipments":1},"allocation":{"status":"closed","tracked":["shopify:1041/1"]},"lines":'
}

@test "closing: partial shipments leave it open; the last one closes it; a cancelled line needs no shipping" {
	o=$(order shopify:1041 shopify '#1041' '[{"line_id":"1","sku":"TEE-M","qty":2},{"line_id":"2","sku":"TEE-L","qty":1,"cancelled":true}]')
	f=$( { echo "$o"; trk '"shipment_id":"shopify:1041/1"'; } | tmpfile in.ndjson)
	run -0 alloc "$f"
	echo "$output" > "$BATS_TEST_TMPDIR/night1"
	assert_equal "$(jq -c 'select(.type == "order") | [.status, .fulfillment]' <<< "$output")" '["open",{"status":"partial","units_shipped":1,"shipments":1}]'
	f=$( { cat "$BATS_TEST_TMPDIR/night1"; trk '"shipment_id":"shopify:1041/2"'; } | tmpfile in2.ndjson)
	run -0 alloc "$f"
	assert_equal "$(jq -c 'select(.type == "order") | [.status, .fulfillment]' <<< "$output")" '["closed",{"status":"shipped","units_shipped":2,"shipments":2}]'
}

@test "closing: an order with nothing shipped stays as it is; fulfillment on every order" {
	o=$(order A shopify '#1' '[{"line_id":"1","sku":"TEE-M","qty":2,"cancelled":true}]')
	c=$(jq -c '.order_id = "C" | .status = "cancelled"' <<< "$(order C shopify '#2')")
	f=$( { echo "$o"; echo "$c"; } | tmpfile in.ndjson)
	run -0 alloc "$f"
	assert_equal "$(jq -c '[.order_id, .status, .fulfillment.status, .fulfillment.units_shipped]' <<< "$output")" \
		"$(printf '%s\n' '["A","open","unshipped",0]' '["C","cancelled","unshipped",0]')"
}

@test "idempotent: the same confirmations again, and the output again, change nothing byte for byte" {
	a=$(order shopify:1041 shopify '#1041')
	b=$(order shopify:1042 shopify '#1042')
	t1=$(trk '"channel_order_id":"1041"' 2)
	t2=$(trk '"source":"shopify","channel_order_id":"#1042/1"')
	f=$( { echo "$a"; echo "$b"; echo "$t1"; echo "$t2"; } | tmpfile in.ndjson)
	run -0 alloc "$f"
	echo "$output" > "$BATS_TEST_TMPDIR/out1"
	# Its output again: byte-identical.
	run -0 alloc "$BATS_TEST_TMPDIR/out1"
	assert_equal "$output" "$(cat "$BATS_TEST_TMPDIR/out1")"
	# The same confirmations fed again, as the warehouse sent them: the orders do not change.
	f=$( { cat "$BATS_TEST_TMPDIR/out1"; echo "$t1"; echo "$t2"; } | tmpfile in2.ndjson)
	run -0 alloc "$f"
	assert_equal "$(jq -c 'select(.type == "order")' <<< "$output")" "$(jq -c 'select(.type == "order")' "$BATS_TEST_TMPDIR/out1")"
	# ... and each is written as it was the first time.
	assert_equal "$(jq -c 'select(.type == "tracking")' <<< "$output" | sort -u)" "$(jq -c 'select(.type == "tracking")' "$BATS_TEST_TMPDIR/out1" | sort -u)"
}

@test "idempotent: a closed order exported again by its channel, without allocation, is the same order" {
	o=$(order shopify:1041 shopify '#1041')
	f=$( { echo "$o"; trk '"channel_order_id":"1041"' 2; } | tmpfile in.ndjson)
	run -0 alloc "$f"
	echo "$output" > "$BATS_TEST_TMPDIR/out1"
	closed=$(jq -c 'select(.type == "order")' "$BATS_TEST_TMPDIR/out1")
	# The nightly book, then the channel's export of the same order (open, nothing allocated).
	f=$( { cat "$BATS_TEST_TMPDIR/out1"; echo "$o"; } | tmpfile in2.ndjson)
	run -0 alloc "$f"
	assert_equal "$(jq -c 'select(.type == "order")' <<< "$output")" "$closed"
	assert_equal "$(jq -c 'select(.type == "order") | .status' <<< "$output")" '"closed"'
}

@test "self-check: a closed order with units left, or a fulfillment that miscounts, is status 3 and nothing written" {
	o=$(order shopify:1041 shopify '#1041')
	f=$( { echo "$o"; trk '"channel_order_id":"1041"'; } | tmpfile in.ndjson)
	OMS_ALLOCATE_FAULT=close run -3 --separate-stderr alloc "$f"
	assert_equal "$output" ""
	assert_equal "$stderr" "oms-allocate: self-check failed, nothing written: shopify:1041: closed with 1 units left to ship"
	OMS_ALLOCATE_FAULT=fulfillment run -3 --separate-stderr alloc "$f"
	assert_equal "$output" ""
	assert_equal "$stderr" "oms-allocate: self-check failed, nothing written: shopify:1041: fulfillment counts 2 units shipped, its lines 1"
	run -0 alloc "$f"
}

@test "closing: an order without a status member gets status closed just before fulfillment" {
	o=$(order shopify:1041 shopify '#1041' | jq -c 'del(.status)')
	f=$( { echo "$o"; trk '"channel_order_id":"1041"' 2; } | tmpfile in.ndjson)
	run -0 alloc "$f"
	echo "$output" > "$BATS_TEST_TMPDIR/out1"
	assert_output --partial '"channel_order_id":"#1041","status":"closed","fulfillment":{"status":"shipped","units_shipped":2,"shipments":1},"allocation":'
	run -0 alloc "$BATS_TEST_TMPDIR/out1"
	assert_equal "$output" "$(cat "$BATS_TEST_TMPDIR/out1")"
}

@test "a confirmation with neither shipment_id nor tracking_number counts once: on the output again, and fed again as it came" {
	t=$(jq -nc '{type:"tracking",channel_order_id:"1041",source:"shopify",location:"EWR",carrier:"ups",lines:[{sku:"TEE-M",qty:1}]}')
	f=$( { order shopify:1041 shopify '#1041'; echo "$t"; } | tmpfile in.ndjson)
	alloc "$f" > "$BATS_TEST_TMPDIR/once"
	assert_equal "$(jq -r "$ORDERS" "$BATS_TEST_TMPDIR/once")" "shopify:1041 1 open"
	# oms-allocate wrote the order_id into it; its identity is the same.
	run -0 alloc "$BATS_TEST_TMPDIR/once"
	assert_equal "$output" "$(cat "$BATS_TEST_TMPDIR/once")"
	run -0 alloc "$BATS_TEST_TMPDIR/once" <(echo "$t")
	assert_equal "$(jq -r "$ORDERS" <<< "$output")" "shopify:1041 1 open"
}
