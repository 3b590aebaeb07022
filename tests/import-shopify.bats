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
		shopify:1043 expedited shopify:1042 - shopify:CA-2002 next_day shopify:CA-2001 standard \
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

# ---------------------------------------------------------------------------
# Stores that sell variants without SKUs (FORMATS.md section 7): nosku.csv has
#   #2005 Dress - M (two SKUs in the catalog), #2004 a SKU line and Maintenance Kit,
#   #2003 cancelled with Travel Pouch, #2002 "DRESS -  red/M" and a Gift Wrap that
#   needs no shipping, #2001 Beige Explorer Hoodie - S, Dress - Red / M and
#   Maintenance Kit again, #2000 the hoodie again.

@test "shopify: lines without a SKU keep their order, with the Lineitem name as title" {
	run -0 --separate-stderr oms-import --stats "$S/nosku.csv"
	assert_equal "$(jq -c '[.order_id, .status, [.lines[] | [.sku, .title]]]' <<< "$output")" "$(cat <<'OUT'
["shopify:2005","open",[[null,"Dress - M"]]]
["shopify:2004","open",[["TEE-CREW-BLK-M",null],[null,"Maintenance Kit"]]]
["shopify:2003","cancelled",[[null,"Travel Pouch"]]]
["shopify:2002","open",[[null,"DRESS -  red/M"],[null,"Gift Wrap"]]]
["shopify:2001","open",[[null,"Beige Explorer Hoodie - S"],[null,"Dress - Red / M"],[null,"Maintenance Kit"]]]
["shopify:2000","open",[[null,"Beige Explorer Hoodie - S"]]]
OUT
)"
	# Once per title, at the row that first had it; none for the cancelled
	# order or the gift wrap; the lines to ship without a SKU are counted.
	assert_equal "$stderr" "oms-import: $S/nosku.csv:2: Lineitem sku is empty for \"Dress - M\": kept without a SKU; give --catalog with its title
oms-import: $S/nosku.csv:4: Lineitem sku is empty for \"Maintenance Kit\": kept without a SKU; give --catalog with its title
oms-import: $S/nosku.csv:6: Lineitem sku is empty for \"DRESS -  red/M\": kept without a SKU; give --catalog with its title
oms-import: $S/nosku.csv:8: Lineitem sku is empty for \"Beige Explorer Hoodie - S\": kept without a SKU; give --catalog with its title
oms-import: $S/nosku.csv:9: Lineitem sku is empty for \"Dress - Red / M\": kept without a SKU; give --catalog with its title
oms-import: stats: in=6 passed=0 out=6 rejected=0 consumed=0 created=0 orders=6 lines=10 units=11 merged=0 no_sku=7"
}

@test "shopify: the catalog's title column resolves a SKU-less line by whole name or by title and variant" {
	run -0 --separate-stderr oms-import --stats --catalog "$S/catalog.csv" "$S/nosku.csv"
	# The whole name (hoodie); title + color / size (dress), folded for case
	# and spaces; "Dress - M" fits two SKUs and resolves nothing.
	assert_equal "$(jq -c '[.order_id, [.lines[] | [.sku, .title, .style, .color, .size]]]' <<< "$output")" "$(cat <<'OUT'
["shopify:2005",[[null,"Dress - M",null,null,null]]]
["shopify:2004",[["TEE-CREW-BLK-M",null,"TEE-CREW","Black","M"],[null,"Maintenance Kit",null,null,null]]]
["shopify:2003",[[null,"Travel Pouch",null,null,null]]]
["shopify:2002",[["DRESS-RED-M","DRESS -  red/M","DRESS","Red","M"],[null,"Gift Wrap",null,null,null]]]
["shopify:2001",[["HOOD-EXP-BEI-S","Beige Explorer Hoodie - S","HOOD-EXP","Beige","S"],["DRESS-RED-M","Dress - Red / M","DRESS","Red","M"],[null,"Maintenance Kit",null,null,null]]]
["shopify:2000",[["HOOD-EXP-BEI-S","Beige Explorer Hoodie - S","HOOD-EXP","Beige","S"]]]
OUT
)"
	assert_equal "$stderr" "oms-import: $S/nosku.csv:2: Lineitem sku is empty for \"Dress - M\", and the catalog's titles match two SKUs for it (\"DRESS-RED-M\", \"DRESS-BLU-M\"): kept without a SKU
oms-import: $S/nosku.csv:4: Lineitem sku is empty for \"Maintenance Kit\": kept without a SKU; add its title to the catalog
oms-import: stats: in=6 passed=0 out=6 rejected=0 consumed=0 created=0 orders=6 lines=10 units=11 merged=0 no_sku=3"
}

@test "shopify: a title that is not the catalog's, even by one word, resolves nothing" {
	f=$(printf '%s\n' 'Name,Currency,Created at,Lineitem quantity,Lineitem name,Lineitem sku' \
		'#1,EUR,2026-11-20 10:00:00 +0100,1,Dress - Green / M,' \
		'#1,,2026-11-20 10:00:00 +0100,1,Beige Explorer Hoodie,' \
		'#1,,2026-11-20 10:00:00 +0100,1,Crew Tee - M / Black,' | tmpfile t.csv)
	run -0 --separate-stderr oms-import --catalog "$S/catalog.csv" "$f"
	assert_equal "$(jq -c '[.lines[] | .sku]' <<< "$output")" '[null,null,"TEE-CREW-BLK-M"]'
	assert_equal "${#stderr_lines[@]}" 2
}

@test "shopify: a SKU-less open order is held by oms-allocate; split and backorder pass it" {
	inv=$(printf '%s\n' location,sku,on_hand,safety_stock EWR,HOOD-EXP-BEI-S,5,0 EWR,DRESS-RED-M,5,0 \
		EWR,TEE-CREW-BLK-M,5,0 | tmpfile inv.csv)
	run -0 sh -c "oms-import --catalog '$S/catalog.csv' '$S/nosku.csv' 2>/dev/null |
		oms-allocate --as-of 2026-11-21 --locations '$FIX/allocate/locations.csv' --inventory '$inv' > '$BATS_TEST_TMPDIR/a.ndjson' &&
		oms-split --as-of 2026-11-21 < '$BATS_TEST_TMPDIR/a.ndjson' > '$BATS_TEST_TMPDIR/s.ndjson' &&
		oms-backorder --as-of 2026-11-21 < '$BATS_TEST_TMPDIR/s.ndjson' > '$BATS_TEST_TMPDIR/b.ndjson'"
	assert_equal "$(jq -r '[.order_id, .allocation.status, .allocation.reason // "-"] | @tsv' "$BATS_TEST_TMPDIR/a.ndjson")" "$(printf '%s\t%s\t%s\n' \
		shopify:2005 held 'line 1 has no SKU: add its title to the catalog' \
		shopify:2004 held 'line 2 has no SKU: add its title to the catalog' \
		shopify:2003 cancelled - \
		shopify:2002 full - \
		shopify:2001 held 'line 3 has no SKU: add its title to the catalog' \
		shopify:2000 full -)"
	# The held orders take no stock: only #2002's and #2000's units are allocated.
	assert_equal "$(jq -s '[.[].lines[].allocated // [] | .[].qty] | add' "$BATS_TEST_TMPDIR/a.ndjson")" 2
	# Held orders ship nothing; every order comes through each stage.
	assert_equal "$(jq -r 'select(.type == "shipment") | [.order_id, .status] | @tsv' "$BATS_TEST_TMPDIR/s.ndjson")" "$(printf '%s\t%s\n' \
		shopify:2005 held shopify:2004 held shopify:2002 released shopify:2001 held shopify:2000 released)"
	assert_equal "$(jq -r 'select(.type == "order") | .order_id' "$BATS_TEST_TMPDIR/b.ndjson" | wc -l)" 6
	assert_equal "$(jq -r 'select(.type == "backorder")' "$BATS_TEST_TMPDIR/b.ndjson")" ""
}

# ---------------------------------------------------------------------------
# Two stores never merge (FORMATS.md section 7): store-us.csv has #1040 and #1039
# (Id 5800000001039), store-eu.csv #1039 (Id 6900000001039) and #1038;
# store-us-later.csv exports the US #1039 again with 3 units instead of 2.

@test "shopify: Id is kept as the order's global_id" {
	run -0 sh -c "oms-import '$S/store-us.csv' | jq -r '[.order_id, .global_id] | @tsv'"
	assert_output "$(printf '%s\t%s\n' shopify:1040 5800000001040 shopify:1039 5800000001039)"
}

@test "shopify: two stores in one run without store names: both #1039 kept, the later renamed, and told how to name stores" {
	run -0 --separate-stderr oms-import --stats "$S/store-us.csv" "$S/store-eu.csv"
	assert_equal "$(jq -r '[.order_id, .global_id, .currency] | @tsv' <<< "$output")" "$(printf '%s\t%s\t%s\n' \
		shopify:1040 5800000001040 USD shopify:1039 5800000001039 USD \
		shopify:1039@6900000001039 6900000001039 EUR shopify:1038 6900000001038 EUR)"
	assert_equal "$stderr" "oms-import: $S/store-eu.csv:2: order_id \"shopify:1039\" is already an order with another global_id: this one (global_id \"6900000001039\") is kept as \"shopify:1039@6900000001039\"; to keep stores apart, name each input's store (import.stores in the rules, or --store)
oms-import: stats: in=4 passed=0 out=4 rejected=0 consumed=0 created=0 orders=4 lines=4 units=5 merged=0 renamed=1"
}

@test "shopify: the same store exported twice: the later export of an order wins, renamed or not" {
	run -0 --separate-stderr oms-import --stats "$S/store-us.csv" "$S/store-eu.csv" "$S/store-us-later.csv" "$S/store-eu.csv"
	assert_equal "$(jq -r '[.order_id, .lines[0].qty] | @tsv' <<< "$output")" "$(printf '%s\t%s\n' \
		shopify:1040 1 shopify:1039 3 shopify:1039@6900000001039 1 shopify:1038 1)"
	assert_equal "${stderr_lines[-1]}" "oms-import: stats: in=7 passed=0 out=4 rejected=0 consumed=3 created=0 orders=7 lines=7 units=10 merged=3 renamed=2"
	assert_equal "${stderr_lines[1]}" "oms-import: 2 orders in all shared an order_id with an order of another global_id, and were renamed so"
}

@test "shopify: the names are stable: the same inputs give the same order ids in every run" {
	run -0 sh -c "oms-import '$S/store-us.csv' '$S/store-eu.csv' 2>/dev/null | jq -r .order_id"
	first=$output
	run -0 sh -c "oms-import '$S/store-us.csv' '$S/store-eu.csv' 2>/dev/null | jq -r .order_id"
	assert_equal "$output" "$first"
	# A canonical record of #1039 without a global_id is the same order again: it replaces it.
	run -0 sh -c "oms-import '$S/store-us.csv' '$S/store-eu.csv' 2>/dev/null | jq -c 'select(.order_id == \"shopify:1039\") | del(.global_id) | .lines[0].qty = 5' > '$BATS_TEST_TMPDIR/again.ndjson'
		oms-import '$S/store-us.csv' '$S/store-eu.csv' '$BATS_TEST_TMPDIR/again.ndjson' 2>/dev/null | jq -r '[.order_id, .lines[0].qty] | @tsv'"
	assert_output "$(printf '%s\t%s\n' shopify:1040 1 shopify:1039@6900000001039 1 shopify:1038 1 shopify:1039 5)"
}

@test "shopify: import.stores names each input's store by file name: shopify:<store>:<name>, nothing renamed" {
	rules=$(printf '%s' '{"import": {"stores": {"store-us*.csv": "us", "*/store-eu.csv": "eu"}}}' | tmpfile rules.json)
	run -0 --separate-stderr oms-import --stats --rules "$rules" "$S/store-us.csv" "$S/store-eu.csv" "$S/store-us-later.csv"
	assert_equal "$(jq -r '[.order_id, .lines[0].qty] | @tsv' <<< "$output")" "$(printf '%s\t%s\n' \
		shopify:us:1040 1 shopify:eu:1039 1 shopify:eu:1038 1 shopify:us:1039 3)"
	assert_equal "$stderr" "oms-import: stats: in=5 passed=0 out=4 rejected=0 consumed=1 created=0 orders=5 lines=5 units=8 merged=1"
	# --store names the inputs no pattern names.
	run -0 sh -c "oms-import --rules '$rules' --store ca '$S/store-us.csv' '$S/orders_export_75.csv' | jq -r .order_id"
	assert_output "$(printf '%s\n' shopify:us:1040 shopify:us:1039 shopify:ca:CA-2002 shopify:ca:CA-2001)"
}

@test "shopify: a store name must be one word of letters, digits, '.', '_' and '-' (2)" {
	run -2 --separate-stderr oms-import --store 'us east' "$S/store-us.csv"
	assert_output ""
	assert_equal "$stderr" "oms-import: --store: \"us east\" is not a store name (letters, digits, '.', '_' and '-')"
	rules=$(printf '%s' '{"import": {"stores": {"us.csv": "us:east"}}}' | tmpfile rules.json)
	run -2 --separate-stderr oms-import --rules "$rules" "$S/store-us.csv"
	assert_equal "$stderr" "oms-import: $rules: import.stores.us.csv is not a store name (letters, digits, '.', '_' and '-')"
	rules=$(printf '%s' '{"import": {"stores": ["us"]}}' | tmpfile rules.json)
	run -2 --separate-stderr oms-import --rules "$rules" "$S/store-us.csv"
	assert_equal "$stderr" "oms-import: $rules: import.stores is an object from file name patterns to store names"
}
