#!/usr/bin/env bats
# oms-import reading Shopify's "Export orders" CSV: columns by name, rows grouped by Name.

setup() { load helpers/common; }

S="$BATS_TEST_DIRNAME/fixtures/shopify"

@test "shopify: a 79-column export is recognised from its header and read into orders" {
	run -0 --separate-stderr oms-import --stats "$S/orders_export.csv"
	assert_output "$(cat "$S/orders_export.expected")"
	assert_equal "$stderr" "oms-import: stats: in=4 passed=0 out=4 rejected=0 consumed=0 created=0 orders=4 lines=7 units=10 merged=0"
}

@test "shopify: --source shopify reads the same export whatever its name" {
	cp "$S/orders_export.csv" "$BATS_TEST_TMPDIR/export.txt"
	run -0 --separate-stderr oms-import --source shopify "$BATS_TEST_TMPDIR/export.txt"
	assert_output "$(cat "$S/orders_export.expected")"
	assert_equal "$stderr" ""
}

@test "shopify: order totals, unit prices and line discounts are kept to the cent" {
	run -0 sh -c "oms-import '$S/orders_export.csv' | jq -r '[.order_id, .currency, .totals.subtotal, .totals.discount, .totals.shipping, .totals.tax, .totals.total] | @tsv'"
	assert_output "$(printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' \
		shopify:1045 USD 142.00 0.00 8.00 8.88 158.88 \
		shopify:1044 USD 120.00 0.00 0.00 0.00 120.00 \
		shopify:1043 USD 128.70 14.30 12.00 10.30 151.00 \
		shopify:1042 USD 84.00 0.00 5.00 0.00 89.00)"
	run -0 sh -c "oms-import '$S/orders_export.csv' | jq -r '.order_id as \$o | .lines[] | [\$o, .line_id, .sku, .qty, .unit_price, .discount] | map(tostring) | @tsv'"
	assert_output "$(printf '%s\t%s\t%s\t%s\t%s\t%s\n' \
		shopify:1045 1 TEE-CREW-BLK-M 2 28.00 0.00 \
		shopify:1045 2 HOOD-ZIP-HTR-L 1 68.00 0.00 \
		shopify:1045 3 SOCK-3PK-WHT-OS 1 18.00 0.00 \
		shopify:1044 1 DRESS-WRAP-NVY-S 1 120.00 0.00 \
		shopify:1043 1 JEAN-SLIM-IND-32 1 98.00 9.80 \
		shopify:1043 2 BELT-LTHR-BRN-M 1 45.00 4.50 \
		shopify:1042 1 TEE-CREW-WHT-L 3 28.00 0.00)"
}

@test "shopify: a currency without minor units (CLP) keeps whole amounts" {
	run -0 sh -c "oms-import '$S/orders_export_short.csv' | jq -r '[.order_id, .totals.subtotal, .totals.shipping, .totals.total, .lines[0].unit_price] | @tsv'"
	assert_output "$(printf '%s\t%s\t%s\t%s\t%s\n' shopify:3011 69980 4990 74970 19990 shopify:3010 19990 0 19990 19990)"
}

@test "shopify: Created at offsets that change at DST inside one file become UTC" {
	run -0 sh -c "oms-import '$S/orders_export.csv' | jq -r '[.order_id, .placed_at] | @tsv'"
	# -0500 after the change back on 1 November, -0400 before it.
	assert_output "$(printf '%s\t%s\n' shopify:1045 2026-11-03T14:15:22Z shopify:1044 2026-10-30T22:02:11Z \
		shopify:1043 2026-10-28T15:40:02Z shopify:1042 2026-10-28T01:04:58Z)"
}

@test "shopify: Cancelled at makes an order cancelled, fulfilled closed, anything else open" {
	run -0 sh -c "oms-import '$S/orders_export.csv' | jq -r '[.order_id, .status, .payment.status] | @tsv'"
	assert_output "$(printf '%s\t%s\t%s\n' shopify:1045 open paid shopify:1044 cancelled refunded \
		shopify:1043 closed paid shopify:1042 closed refunded)"
}

@test "shopify: the spreadsheet apostrophe is taken off numeric zips and phones only" {
	run -0 sh -c "oms-import '$S/orders_export.csv' '$S/orders_export_75.csv' | jq -r '[.order_id, .ship_to.postal_code, .ship_to.phone] | map(. // \"-\") | @tsv'"
	assert_output "$(printf '%s\t%s\t%s\n' shopify:1045 02138 '+1 617-555-0142' shopify:1044 10115 '+49 30 5555 0199' \
		shopify:1043 98101 - shopify:1042 150-0001 '+81 3-5555-0100' \
		shopify:CA-2002 'H3B 1K9' 514-555-0188 shopify:CA-2001 'M5K 1A1' -)"
}

@test "shopify: quoted commas and line breaks stay inside their cells" {
	run -0 oms-import "$S/orders_export.csv"
	# #1045's first row spans three lines (Notes, Note Attributes): still one row.
	assert_line --index 0 --partial '"line1":"12 Brattle St","line2":"Apt 3","city":"Cambridge"'
	assert_line --index 2 --partial '"company":"Lee & Sons, LLC","line1":"Suite 400, 88 Pine St"'
	assert_line --index 1 --partial '"name":"Zoë Müller-Łukasiewicz"'
	assert_line --index 3 --partial '"name":"山田 花子","line1":"神宮前 1-2-3","line2":"ハイツ 201"'
}

@test "shopify: the pre-order tag marks every line of its order, in any case" {
	run -0 sh -c "oms-import '$S/orders_export.csv' | jq -r '[.order_id, (.lines | map(.preorder // false) | tostring)] | @tsv'"
	# #1045 is tagged Pre-Order; #1042's pre-order-waitlist is another tag.
	assert_output "$(printf '%s\t%s\n' shopify:1045 '[true,true,true]' shopify:1044 '[false]' \
		shopify:1043 '[false,false]' shopify:1042 '[false]')"
}

@test "shopify: the rules' import.preorder_tag replaces the default tag" {
	r=$(printf '%s\n' '{"import":{"preorder_tag":"Pre-Order-Waitlist"}}' | tmpfile rules.json)
	run -0 sh -c "oms-import --rules '$r' '$S/orders_export.csv' | jq -r '[.order_id, (.lines | map(.preorder // false) | tostring)] | @tsv'"
	assert_output "$(printf '%s\t%s\n' shopify:1045 '[false,false,false]' shopify:1044 '[false]' \
		shopify:1043 '[false,false]' shopify:1042 '[true]')"
}

@test "shopify: shipping methods that name a service level become it; others stay as given" {
	run -0 sh -c "oms-import '$S/orders_export.csv' '$S/orders_export_75.csv' '$S/orders_export_short.csv' | jq -r '[.order_id, .service // \"-\"] | @tsv'"
	assert_output "$(printf '%s\t%s\n' shopify:1045 standard shopify:1044 'International Priority (DHL)' \
		shopify:1043 expedited shopify:1042 - shopify:CA-2002 next_day shopify:CA-2001 'UPS® Ground' \
		shopify:3011 'Despacho a domicilio' shopify:3010 -)"
}

@test "shopify: the older 75-column layout reads the same way" {
	run -0 --separate-stderr oms-import "$S/orders_export_75.csv"
	assert_output "$(cat "$S/orders_export_75.expected")"
	assert_equal "$stderr" ""
}

@test "shopify: a short 61-column layout without Cancelled at or Phone reads, POS orders too" {
	run -0 --separate-stderr oms-import "$S/orders_export_short.csv"
	assert_output "$(cat "$S/orders_export_short.expected")"
	assert_equal "$stderr" ""
	# The POS order has no e-mail and no address: no customer, no ship_to.
	assert_line --index 1 --partial '"order_id":"shopify:3010","channel":"dtc","source":"shopify","channel_order_id":"#3010","global_id":"4123000003010","status":"closed","placed_at"'
}

@test "shopify: a BOM and CRLF line ends change nothing" {
	f="$BATS_TEST_TMPDIR/crlf.csv"
	{ printf '\xef\xbb\xbf'; sed 's/$/\r/' "$S/orders_export.csv"; } > "$f"
	run -0 --separate-stderr oms-import "$f"
	assert_output "$(cat "$S/orders_export.expected")"
	assert_equal "$stderr" ""
}

@test "shopify: columns are found by name in any order; unknown ones are ignored" {
	f=$(printf '%s\n' 'Lineitem sku,Fit Notes,Lineitem quantity,Created at,Currency,Name,Lineitem price,Total' \
		'TEE-M,"runs small, size up",2,2026-07-01 10:00:00 +0200,EUR,#77,20.00,40.00' \
		'TEE-L,,1,2026-07-01 10:00:00 +0200,,#77,20.00,' | tmpfile odd.csv)
	run -0 --separate-stderr oms-import "$f"
	assert_output '{"type":"order","order_id":"shopify:77","channel":"dtc","source":"shopify","channel_order_id":"#77","status":"open","placed_at":"2026-07-01T08:00:00Z","currency":"EUR","totals":{"total":"40.00"},"lines":[{"line_id":"1","sku":"TEE-M","qty":2,"unit_price":"20.00"},{"line_id":"2","sku":"TEE-L","qty":1,"unit_price":"20.00"}]}'
	assert_equal "$stderr" ""
}

@test "shopify: an order's rows are rejected together when a later row contradicts the first" {
	f=$(printf '%s\n' 'Name,Email,Currency,Lineitem quantity,Lineitem sku' \
		'#9,a@example.com,USD,1,TEE-M' '#9,b@example.com,,1,TEE-L' '#8,c@example.com,USD,1,TEE-S' | tmpfile clash.csv)
	run -1 --separate-stderr oms-import --rejects /dev/null "$f"
	assert_output --partial '"order_id":"shopify:8"'
	assert_equal "${#lines[@]}" 1
	assert_equal "$stderr" "oms-import: $f:3: row at line 3 disagrees with the first row of its record on \"customer.email\""
}

@test "shopify: a file cut off inside an order rejects that whole order; the others are written" {
	run -1 --separate-stderr oms-import --rejects "$BATS_TEST_TMPDIR/rej" "$S/truncated.csv"
	assert_equal "$(jq -r .order_id <<< "$output")" "$(printf '%s\n' shopify:1044 shopify:1043)"
	assert_equal "$stderr" "oms-import: $S/truncated.csv:9: unterminated quoted field at end of input"
	# The reject carries every row of #1045, from line 5 to the end, for fixing.
	run jq -j .record "$BATS_TEST_TMPDIR/rej"
	assert_output "$(tail -n +5 "$S/truncated.csv")"
}

@test "shopify: a row without a Name rejects the order it sits in" {
	run -1 --separate-stderr oms-import --stats --rejects "$BATS_TEST_TMPDIR/rej" "$S/noname.csv"
	assert_equal "$(jq -r .order_id <<< "$output")" "$(printf '%s\n' shopify:1045 shopify:1042)"
	assert_equal "${stderr_lines[0]}" "oms-import: $S/noname.csv:8: Name is missing"
	assert_equal "${stderr_lines[1]}" "oms-import: stats: in=3 passed=0 out=2 rejected=1 consumed=0 created=0 orders=2 lines=4 units=7 merged=0"
	# Both rows of #1043, the one with its Name and the one without.
	run jq -j .record "$BATS_TEST_TMPDIR/rej"
	assert_output "$(sed -n 7,8p "$S/noname.csv")"
}

@test "shopify: a row that is not UTF-8 rejects its order; the reject shows U+FFFD" {
	run -1 --separate-stderr oms-import --rejects "$BATS_TEST_TMPDIR/rej" "$S/latin1.csv"
	assert_equal "$(jq -r .order_id <<< "$output")" "$(printf '%s\n' shopify:1043 shopify:1042)"
	assert_equal "$stderr" "oms-import: $S/latin1.csv:4: row is not valid UTF-8"
	run jq -r .record "$BATS_TEST_TMPDIR/rej"
	assert_output --partial ',M�nchen,'
	assert_output --partial '#1044,'
}

@test "shopify: --source shopify on another format says which column is missing (2)" {
	run -2 --separate-stderr oms-import --source shopify "$FIX/woocommerce/orders.csv"
	assert_output ""
	assert_equal "$stderr" "oms-import: $FIX/woocommerce/orders.csv:1: not a Shopify orders export: the header has no \"Name\" column"
}

@test "shopify: an empty file or a header alone gives no orders" {
	: > "$BATS_TEST_TMPDIR/empty.csv"
	run -0 --separate-stderr oms-import --source shopify "$BATS_TEST_TMPDIR/empty.csv"
	assert_output ""
	assert_equal "$stderr" ""
	head -1 "$S/orders_export.csv" > "$BATS_TEST_TMPDIR/header.csv"
	run -0 --separate-stderr oms-import "$BATS_TEST_TMPDIR/header.csv"
	assert_output ""
	assert_equal "$stderr" ""
}

@test "shopify: the imported orders round-trip through the canonical CSV unchanged" {
	run -0 sh -c "oms-import '$S/orders_export.csv' '$S/orders_export_75.csv' '$S/orders_export_short.csv' | oms-import -o csv | oms-import"
	assert_output "$(cat "$S/orders_export.expected" "$S/orders_export_75.expected" "$S/orders_export_short.expected")"
}

@test "a gift card line (no SKU, needs no shipping) stays with its order, marked, and is not looked up" {
	f=$(printf '%s\n' 'Name,Email,Currency,Created at,Lineitem quantity,Lineitem price,Lineitem sku,Lineitem requires shipping' \
		'#2001,a@b.co,USD,2026-11-20 10:00:00 -0500,1,25.00,TEE-CREW-BLK-M,true' \
		'#2001,a@b.co,,2026-11-20 10:00:00 -0500,1,50.00,,false' | tmpfile gift.csv)
	run -0 oms-import --catalog "$FIX/refs/catalog.csv" "$f"
	assert_output --partial '"lines":[{"line_id":"1","sku":"TEE-CREW-BLK-M","style":"TEE-CREW","color":"Black","size":"M","upc":"012345678912","qty":1,"unit_price":"25.00"},{"line_id":"2","qty":1,"unit_price":"50.00","requires_shipping":false}]'
}
