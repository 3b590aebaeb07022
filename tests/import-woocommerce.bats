#!/usr/bin/env bats
# oms-import reading WooCommerce orders as "Advanced Order Export For WooCommerce" writes them.

setup() { load helpers/common; }

W="$BATS_TEST_DIRNAME/fixtures/woocommerce"
# The export carries no currency: the shop's comes from the rules.
USD="$BATS_TEST_DIRNAME/fixtures/woocommerce/rules-usd.json"

@test "woocommerce: the default export is recognised from its header and read into orders" {
	run -0 --separate-stderr oms-import --stats --tz America/New_York --rules "$USD" "$W/orders.csv"
	assert_output "$(cat "$W/orders.expected")"
	assert_equal "$stderr" "oms-import: stats: in=6 passed=0 out=6 rejected=0 consumed=0 created=0 orders=6 lines=8 units=11 merged=0"
}

@test "woocommerce: --source woocommerce, and the zone from the rules instead of --tz" {
	r=$(printf '%s\n' '{"import":{"currency":{"woocommerce":"USD"},"timezone":{"woocommerce":"America/New_York"}}}' | tmpfile rules.json)
	cp "$W/orders.csv" "$BATS_TEST_TMPDIR/export.txt"
	run -0 --separate-stderr oms-import --source woocommerce --rules "$r" "$BATS_TEST_TMPDIR/export.txt"
	assert_output "$(cat "$W/orders.expected")"
	assert_equal "$stderr" ""
}

CURE='WooCommerce'"'"'s export has no currency column; give the shop'"'"'s in the rules (--rules) as {"import":{"currency":{"woocommerce":"USD"}}}, with its ISO 4217 code'

@test "woocommerce: without a currency every order with money is rejected, not guessed, saying how to give one" {
	run -1 --separate-stderr oms-import --stats --tz America/New_York --rejects "$BATS_TEST_TMPDIR/rej" "$W/orders.csv"
	assert_output ""
	assert_equal "${stderr_lines[0]}" "oms-import: $W/orders.csv:2: no currency for Order Total Amount \"84.35\": $CURE"
	assert_equal "${stderr_lines[6]}" "oms-import: stats: in=6 passed=0 out=0 rejected=6 consumed=0 created=0 orders=0 lines=0 units=0 merged=0"
	# CRLF inside 5120's quoted note does not shift the line numbers.
	run jq -r '.line' "$BATS_TEST_TMPDIR/rej"
	assert_output "$(printf '%s\n' 2 8 9 11 12 13)"
	# The JSON the message gives is rules oms-import reads.
	r=$(printf '%s\n' '{"import":{"currency":{"woocommerce":"USD"}}}' | tmpfile rules.json)
	run -0 sh -c "oms-import --tz America/New_York --rules '$r' '$W/orders.csv' | jq -r .currency | sort -u"
	assert_output "USD"
	# An order without money needs no currency.
	f=$(printf '%s\r\n' '"Order Number",SKU,Quantity' '901,TEE-M,2' | tmpfile nomoney.csv)
	run -0 oms-import "$f"
}

@test "woocommerce: a Currency column, when the export has one, is the order's currency" {
	f=$(printf '%s\r\n' '"Order Number",Currency,"Order Total Amount",SKU,Quantity,"Item Cost"' '901,EUR,50.00,TEE-M,2,25.00' '902,,10.00,TEE-S,1,10.00' | tmpfile cur.csv)
	run -1 --separate-stderr oms-import --rejects /dev/null "$f"
	assert_output --partial '"order_id":"woocommerce:901"'
	assert_output --partial '"currency":"EUR"'
	assert_equal "$stderr" "oms-import: $f:3: no currency for Order Total Amount \"10.00\": $CURE"
	r=$(printf '%s\n' '{"import":{"currency":{"woocommerce":"USD"}}}' | tmpfile rules.json)
	run -0 sh -c "oms-import --rules '$r' '$f' | jq -r .currency"
	assert_output "$(printf '%s\n' EUR USD)"
}

@test "woocommerce: Order Date without --tz is rejected with the reason and the cure" {
	run -1 --separate-stderr oms-import --rules "$USD" --rejects "$BATS_TEST_TMPDIR/rej" "$W/orders.csv"
	assert_output ""
	assert_equal "${stderr_lines[0]}" "oms-import: $W/orders.csv:2: Order Date \"2025-03-11 21:14\" is the shop's local time: give its time zone with --tz (or import.timezone in the rules)"
	assert_equal "$(wc -l < "$BATS_TEST_TMPDIR/rej")" 6
	# A date alone is the shop's midnight, not UTC's: it needs the zone too.
	f=$(printf '%s\r\n' '"Order Number","Order Date",SKU,Quantity' '903,2025-03-11,TEE-M,1' | tmpfile day.csv)
	run -1 --separate-stderr oms-import --rejects /dev/null "$f"
	assert_equal "$stderr" "oms-import: $f:2: Order Date \"2025-03-11\" is the shop's local time: give its time zone with --tz (or import.timezone in the rules)"
	run -0 sh -c "oms-import --tz America/Los_Angeles '$f' | jq -r .placed_at"
	assert_output "2025-03-11T07:00:00Z"
}

@test "woocommerce: the shop's local Order Date becomes UTC on either side of DST" {
	run -0 sh -c "oms-import --tz America/New_York --rules '$USD' '$W/orders.csv' | jq -r '[.order_id, .placed_at] | @tsv'"
	# EDT (-4) from 9 March 2025, EST (-5) before.
	assert_output "$(printf '%s\t%s\n' woocommerce:5120 2025-03-12T01:14:00Z woocommerce:5119 2025-03-09T04:50:00Z \
		woocommerce:5118 2025-03-08T14:02:00Z woocommerce:5117 2025-03-07T19:20:00Z \
		woocommerce:5116 2025-03-06T13:45:00Z woocommerce:5115 2025-03-06T00:30:00Z)"
	run -0 sh -c "oms-import --tz Europe/London --rules '$USD' '$W/orders.csv' | jq -r .placed_at | head -1"
	assert_output "2025-03-11T21:14:00Z"
}

@test "woocommerce: order status labels become open, closed or cancelled, with the payment status" {
	run -0 sh -c "oms-import --tz America/New_York --rules '$USD' '$W/orders.csv' | jq -r '[.order_id, .status, .payment.status // \"-\"] | @tsv'"
	assert_output "$(printf '%s\t%s\t%s\n' woocommerce:5120 open paid woocommerce:5119 closed paid \
		woocommerce:5118 cancelled refunded woocommerce:5117 cancelled - \
		woocommerce:5116 open pending woocommerce:5115 open pending)"
}

@test "woocommerce: order totals and item costs are kept to the cent" {
	run -0 sh -c "oms-import --tz America/New_York --rules '$USD' '$W/orders.csv' | jq -r '[.order_id, .currency, .totals.subtotal, .totals.discount, .totals.shipping, .totals.tax, .totals.total] | @tsv'"
	assert_output "$(printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' \
		woocommerce:5120 USD 72.00 0.00 6.95 5.40 84.35 \
		woocommerce:5119 USD 129.00 12.90 0.00 8.36 124.46 \
		woocommerce:5118 USD 99.00 0.00 0.00 0.00 99.00 \
		woocommerce:5117 USD 25.00 0.00 6.95 0.00 31.95 \
		woocommerce:5116 USD 78.00 0.00 6.95 5.85 90.80 \
		woocommerce:5115 USD 75.00 0.00 0.00 0.00 75.00)"
	run -0 sh -c "oms-import --tz America/New_York --rules '$USD' '$W/orders.csv' | jq -r '.order_id as \$o | .lines[] | [\$o, .line_id, .sku, .qty, .unit_price] | map(tostring) | @tsv'"
	assert_output "$(printf '%s\t%s\t%s\t%s\t%s\n' \
		woocommerce:5120 1 WC-TEE-ORG-S 2 25.00 woocommerce:5120 2 WC-CAP-NVY-OS 1 22.00 \
		woocommerce:5119 1 WC-JKT-DEN-M 1 129.00 \
		woocommerce:5118 1 WC-SWT-CRM-L 1 64.00 woocommerce:5118 2 WC-SCF-WOL-OS 1 35.00 \
		woocommerce:5117 1 WC-TEE-ORG-M 1 25.00 woocommerce:5116 1 WC-PNT-CHN-30 1 78.00 \
		woocommerce:5115 1 WC-TEE-ORG-L 3 25.00)"
}

@test "woocommerce: names from First and Last Name; quoted commas stay in the address" {
	run -0 oms-import --tz America/New_York --rules "$USD" "$W/orders.csv"
	assert_line --index 0 --partial '"customer":{"id":"dana.oneil@example.com","email":"Dana.ONeil@Example.com","name":"Dana O'"'"'Neil"}'
	assert_line --index 0 --partial '"ship_to":{"name":"Dana O'"'"'Neil","line1":"400 Congress Ave, Unit 12","city":"Austin","region":"TX","postal_code":"78701","country":"US","phone":"512-555-0147"}'
	assert_line --index 1 --partial '"name":"Renée Åkesson","line1":"Götgatan 14","city":"Stockholm","postal_code":"118 46","country":"SE"'
	assert_line --index 4 --partial '"customer":{"id":"theo@brandt-studio.example","email":"theo@brandt-studio.example","name":"Theo Brandt","company":"Brandt Studio"}'
}

@test "woocommerce: a BOM, Quantity (- Refund) and no Item # column: found by name, lines by place" {
	run -0 --separate-stderr oms-import --tz America/New_York --rules "$USD" "$W/orders-bom.csv"
	assert_output "$(cat "$W/orders-bom.expected")"
	assert_equal "$stderr" ""
	# The shipping phone, when the export has it, wins over the billing one.
	assert_line --index 0 --partial '"phone":"512-555-0199"'
}

@test "woocommerce: rows that disagree, a shop's own status and bad UTF-8 each reject their order" {
	run -1 --separate-stderr oms-import --tz America/New_York --rules "$USD" --rejects "$BATS_TEST_TMPDIR/rej" "$W/bad.csv"
	assert_equal "$(jq -r .order_id <<< "$output")" "$(printf '%s\n' woocommerce:5120 woocommerce:5119 woocommerce:5117)"
	assert_equal "${stderr_lines[0]}" "oms-import: $W/bad.csv:10: row at line 10 disagrees with the first row of its record on \"totals.total\""
	assert_equal "${stderr_lines[1]}" "oms-import: $W/bad.csv:12: Order Status \"Awaiting pickup\" is not one of WooCommerce's (Pending payment, Processing, On hold, Completed, Cancelled, Refunded, Failed)"
	assert_equal "${stderr_lines[2]}" "oms-import: $W/bad.csv:13: row is not valid UTF-8"
	assert_equal "${#stderr_lines[@]}" 3
	# The rejected 5118 keeps both its rows.
	run jq -j 'select(.line == 10) | .record' "$BATS_TEST_TMPDIR/rej"
	assert_output "$(sed -n 9,10p "$W/bad.csv")"
}

@test "woocommerce: a file cut off inside an order rejects that whole order; the others are written" {
	run -1 --separate-stderr oms-import --tz America/New_York --rules "$USD" --rejects "$BATS_TEST_TMPDIR/rej" "$W/truncated.csv"
	assert_equal "$(jq -r .order_id <<< "$output")" "$(printf '%s\n' woocommerce:5120 woocommerce:5119)"
	assert_equal "$stderr" "oms-import: $W/truncated.csv:10: unterminated quoted field at end of input"
	run jq -j .record "$BATS_TEST_TMPDIR/rej"
	assert_output "$(tail -n +9 "$W/truncated.csv")"
}

@test "woocommerce: detected by Order Number with Item #, or with SKU and Quantity" {
	f=$(printf '%s\r\n' '"Order Number",SKU,Quantity' '901,TEE-M,2' '901,TEE-L,1' | tmpfile min.csv)
	run -0 --separate-stderr oms-import "$f"
	assert_output '{"type":"order","order_id":"woocommerce:901","channel":"dtc","source":"woocommerce","channel_order_id":"901","status":"open","lines":[{"line_id":"1","sku":"TEE-M","qty":2},{"line_id":"2","sku":"TEE-L","qty":1}]}'
	assert_equal "$stderr" ""
	f=$(printf '%s\r\n' '"Order Number","Item #","Item Name"' '902,1,Tee' | tmpfile item.csv)
	run -1 --separate-stderr oms-import --rejects /dev/null "$f"
	assert_equal "$stderr" "oms-import: $f:2: lines[1] has no sku and no title"
}

@test "woocommerce: --source woocommerce on another format says which column is missing (2)" {
	run -2 --separate-stderr oms-import --source woocommerce "$FIX/shopify/orders_export.csv"
	assert_output ""
	assert_equal "$stderr" "oms-import: $FIX/shopify/orders_export.csv:1: not a WooCommerce order export: the header has no \"Order Number\" column"
}

@test "woocommerce: the imported orders round-trip through the canonical CSV unchanged" {
	run -0 sh -c "oms-import --tz America/New_York --rules '$USD' '$W/orders.csv' | oms-import -o csv | oms-import"
	assert_output "$(cat "$W/orders.expected")"
}

# "Order Export & Import for WooCommerce": one row per order, line_item_N columns.
OEI_H='order_id,order_number,order_date,status,order_total,order_currency,shipping_items,line_item_1,line_item_2'

@test "woocommerce (Order Export & Import): one row per order, recognised from its header" {
	run -0 --separate-stderr oms-import --stats --tz America/New_York "$W/oei.csv"
	assert_output "$(cat "$W/oei.expected")"
	assert_equal "$stderr" "oms-import: stats: in=4 passed=0 out=4 rejected=0 consumed=0 created=0 orders=4 lines=6 units=9 merged=0"
	# The same source: --source woocommerce, and the rules' zone for it, read it too.
	r=$(printf '%s\n' '{"import":{"timezone":{"woocommerce":"America/New_York"}}}' | tmpfile rules.json)
	run -0 --separate-stderr oms-import --source woocommerce --rules "$r" "$W/oei.csv"
	assert_output "$(cat "$W/oei.expected")"
}

@test "woocommerce (Order Export & Import): order_number names the order; order_id, the shop's post id, is no global_id" {
	run -0 sh -c "oms-import --tz America/New_York '$W/oei.csv' | jq -r '[.order_id, .channel_order_id, .global_id // \"-\", .status, .payment.status // \"-\", .placed_at] | @tsv'"
	# DD-MM-YYYY in the shop's zone: EDT (-4) from 9 March 2025, EST (-5) before.
	assert_output "$(printf '%s\t%s\t%s\t%s\t%s\t%s\n' \
		woocommerce:1042 1042 - open paid 2025-03-12T01:14:05Z \
		woocommerce:1041 1041 - closed paid 2025-03-09T05:50:00Z \
		woocommerce:1040 1040 - cancelled refunded 2025-03-08T14:02:00Z \
		woocommerce:1039 1039 - open pending 2025-03-07T19:20:00Z)"
}

# Two shops number their orders alike, and a default shop's post id is its
# order number too: only the stores the user names keep them apart.
@test "woocommerce: two shops' order 1042 stay two orders when their stores are named, in either layout" {
	cp "$W/oei.csv" "$BATS_TEST_TMPDIR/shop-a.csv"
	cp "$W/oei.csv" "$BATS_TEST_TMPDIR/shop-b.csv"
	cp "$W/orders.csv" "$BATS_TEST_TMPDIR/adv-b.csv"
	printf '%s\n' '{"import": {"stores": {"shop-a.csv": "a", "shop-b.csv": "b", "adv-b.csv": "b"},' \
		'"currency": {"woocommerce": "USD"}, "timezone": {"woocommerce": "America/New_York"}}}' > "$BATS_TEST_TMPDIR/rules.json"
	cd "$BATS_TEST_TMPDIR"
	run -0 --separate-stderr oms-import --stats --rules rules.json shop-a.csv shop-b.csv
	assert_equal "$(printf '%s\n' "$output" | jq -r .order_id | sort | tr '\n' ' ')" \
		"woocommerce:a:1039 woocommerce:a:1040 woocommerce:a:1041 woocommerce:a:1042 woocommerce:b:1039 woocommerce:b:1040 woocommerce:b:1041 woocommerce:b:1042 "
	assert_regex "$stderr" 'out=8 .*merged=0'
	run -0 sh -c "oms-import --rules rules.json adv-b.csv | jq -r .order_id | cut -d: -f1,2 | sort -u"
	assert_output "woocommerce:b"
}

@test "woocommerce (Order Export & Import): packed line items to exact money; other items are not lines" {
	run -0 sh -c "oms-import --tz America/New_York '$W/oei.csv' | jq -r '.order_id as \$o | .lines[] | [\$o, .line_id, .sku, .title, .qty, .unit_price // \"-\", .line_total // \"-\", .discount // \"-\", .tax] | map(tostring) | @tsv'"
	# 3 for 50.00 is no whole number of cents: the line total stays whole.
	# A subtotal before the coupon is the price; less the total, the discount.
	# "Tee | Organic 3-pack": a | not followed by key: belongs to the name.
	assert_output "$(printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' \
		woocommerce:1042 1 WC-TEE-ORG-S 'Organic Tee - S' 2 25.00 - - 4.13 \
		woocommerce:1042 2 WC-CAP-NVY-OS 'Wool Cap' 1 22.00 - - 1.27 \
		woocommerce:1041 1 WC-JKT-DEN-M 'Denim Jacket - M' 1 129.00 - 12.90 0.00 \
		woocommerce:1041 2 WC-TEE-3PK 'Tee | Organic 3-pack' 3 - 50.00 - 0.00 \
		woocommerce:1040 1 WC-SWT-CRM-L 'Cream Sweater - L' 1 64.00 - - 0.00 \
		woocommerce:1039 1 WC-TEE-ORG-M 'Organic Tee - M' 1 25.00 - - 0.00)"
	# Cart tax and shipping tax together; the shipping item's title as a service level.
	run -0 sh -c "oms-import --tz America/New_York '$W/oei.csv' | jq -r '[.order_id, .totals.shipping, .totals.tax, .totals.total, .service // \"-\"] | @tsv'"
	assert_output "$(printf '%s\t%s\t%s\t%s\t%s\n' woocommerce:1042 6.95 5.97 84.92 next_day \
		woocommerce:1041 0.00 0.00 166.10 standard woocommerce:1040 0.00 0.00 64.00 - \
		woocommerce:1039 6.95 0.00 33.95 standard)"
}

@test "woocommerce (Order Export & Import): a slug, a date, money or a currency it cannot read rejects its order only" {
	f=$(printf '%s\r\n' "$OEI_H" \
		'1,1001,01-03-2025 10:00:00,awaiting-pickup,10.00,USD,,name:Tee|sku:T|quantity:1|total:10.00,' \
		'2,1002,31-02-2025 10:00:00,processing,10.00,USD,,name:Tee|sku:T|quantity:1|total:10.00,' \
		'3,1003,01-03-2025 10:00:00,processing,10.00,USD,,name:Tee|sku:T|quantity:1|total:ten,' \
		'4,1004,01-03-2025 10:00:00,processing,10.00,,,name:Tee|sku:T|quantity:1|total:10.00,' \
		'5,1005,01-03-2025 10:00:00,wc-processing,20.00,USD,,name:Tee|sku:T|quantity:1|total:10.00,name:Cap|sku:C|quantity:1|total:10.00' | tmpfile bad.csv)
	run -1 --separate-stderr oms-import --tz UTC --rejects /dev/null "$f"
	assert_equal "$(jq -r .order_id <<< "$output")" "woocommerce:1005"
	assert_equal "${stderr_lines[0]}" "oms-import: $f:2: status \"awaiting-pickup\" is not one of WooCommerce's (Pending payment, Processing, On hold, Completed, Cancelled, Refunded, Failed)"
	assert_equal "${stderr_lines[1]}" "oms-import: $f:3: order_date \"31-02-2025 10:00:00\" is not a real date or time"
	assert_equal "${stderr_lines[2]}" "oms-import: $f:4: line_item_1 total \"ten\" is not a decimal amount"
	assert_equal "${stderr_lines[3]}" "oms-import: $f:5: no currency for order_total \"10.00\": the export's order_currency is empty or missing; give the shop's in the rules (--rules) as {\"import\":{\"currency\":{\"woocommerce\":\"USD\"}}}, with its ISO 4217 code"
	assert_equal "${#stderr_lines[@]}" 4
	# Without --tz the shop's local time is refused, with the cure.
	run -1 --separate-stderr oms-import --rejects /dev/null "$f"
	assert_equal "${stderr_lines[4]}" "oms-import: $f:6: order_date \"01-03-2025 10:00:00\" is the shop's local time: give its time zone with --tz (or import.timezone in the rules)"
}

@test "woocommerce (Order Export & Import): the imported orders round-trip through the canonical CSV" {
	run -0 sh -c "oms-import --tz America/New_York '$W/oei.csv' | oms-import -o csv | oms-import"
	assert_output "$(cat "$W/oei.expected")"
}
