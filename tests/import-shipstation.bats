#!/usr/bin/env bats
# oms-import reading ShipStation shipment exports (CSV) into tracking records.

setup() {
	load helpers/common
	cd "$FIX/shipstation"
}

H='Order - Number,Date - Shipped Date,Market - Store Name,Market - Markeplace Name,Shipment - Service,Shipment - Tracking Number,Item - SKU,Item - Qty'

@test "a shipments export (CRLF, quoted newlines): one tracking record per shipment, in UTC" {
	run -0 --separate-stderr oms-import --tz America/Los_Angeles shipments.csv
	assert_output "$(cat shipments.expected)"
	assert_equal "$stderr" ""
}

@test "--source shipstation reads the same export, from standard input too" {
	run -0 --separate-stderr sh -c 'oms-import --source shipstation --tz America/Los_Angeles - < shipments.csv'
	assert_output "$(cat shipments.expected)"
}

@test "a split shipment: one order, two tracking numbers, two records with their own lines" {
	run -0 sh -c "oms-import --tz America/Los_Angeles shipments.csv | jq -c 'select(.channel_order_id == \"1046\") | [.tracking_number, .shipped_at, [.lines[].sku]]'"
	assert_output "$(printf '%s\n' '["1Z999AA10123456784","2026-11-21T23:40:00Z",["HLC-TEE-CREW-BLK-M","HLC-HOOD-OAT-L"]]' \
		'["9400111899223197428490","2026-11-22T18:05:00Z",["HLC-BELT-LTH-BRN-M"]]')"
}

@test "carrier from the service name, ® dropped; source from the marketplace" {
	run -0 sh -c "oms-import --tz America/Los_Angeles shipments.csv | jq -r '[.channel_order_id, .source // \"-\", .carrier // \"-\", .service_name] | @tsv'"
	assert_output "$(printf '%s\n' '1046	shopify	UPS	UPS Ground' '1046	shopify	USPS	USPS Priority Mail' \
		'114-3941689-8772232	amazon	FedEx	FedEx Home Delivery' 'W-2231	woocommerce	DHL	DHL Express Worldwide' \
		'5120	-	-	Local Courier')"
}

@test "12-hour and 24-hour times are both read in the --tz zone" {
	run -0 sh -c "oms-import --tz America/Los_Angeles shipments.csv | jq -r .shipped_at"
	assert_line --index 2 "2026-11-22T17:15:00Z" # 11/22/2026 09:15
	assert_line --index 3 "2026-11-20T20:00:00Z" # 11/20/2026 12:00:00 PM
	run -0 sh -c "oms-import --tz Europe/Berlin shipments.csv | jq -r .shipped_at"
	assert_line --index 3 "2026-11-20T11:00:00Z"
}

@test "without --tz a shipped date cannot be placed in time: each shipment is rejected, asking for it" {
	run -1 --separate-stderr oms-import --rejects "$BATS_TEST_TMPDIR/rej" shipments.csv
	assert_output ""
	assert_equal "${#stderr_lines[@]}" 5
	assert_equal "${stderr_lines[0]}" "oms-import: shipments.csv:2: Date - Shipped Date \"11/21/2026 3:40:00 PM\" has no time zone: give the ShipStation account's with --tz"
	assert_equal "${stderr_lines[2]}" "oms-import: shipments.csv:8: Date - Shipped Date \"11/22/2026 09:15\" has no time zone: give the ShipStation account's with --tz"
	run -0 jq -r .line "$BATS_TEST_TMPDIR/rej"
	assert_output "$(printf '%s\n' 2 6 8 9 10)"
}

@test "the corrected Marketplace spelling, a BOM, LF; bad rows reject their shipment only" {
	run -1 --separate-stderr oms-import --tz America/New_York --rejects "$BATS_TEST_TMPDIR/rej" marketplace.csv
	assert_output "$(cat marketplace.expected)"
	run -0 diff marketplace.rejects "$BATS_TEST_TMPDIR/rej"
	assert_equal "$stderr" "$(printf '%s\n' \
		'oms-import: marketplace.csv:4: Date - Shipped Date "11/31/2026 10:00" is not a real date or time' \
		'oms-import: marketplace.csv:5: Item - Qty "two" is not a whole number' \
		'oms-import: marketplace.csv:8: row at line 8 disagrees with the first row of its record on "shipped_at"' \
		'oms-import: marketplace.csv:9: row has 5 fields, the header has 18')"
}

@test "DST: a repeated hour is its first occurrence; a missing order number is a reject of its own" {
	f=$(printf '%s\n' "$H" '1,11/1/2026 1:30:00 AM,S,Shopify,UPS Ground,1Z1,SKU-A,1' \
		',11/1/2026 9:00 AM,S,Shopify,UPS Ground,1Z2,SKU-B,1' '3,3/8/2026 2:30 AM,S,Shopify,UPS Ground,1Z3,SKU-C,1' | tmpfile dst.csv)
	run -1 --separate-stderr bash -o pipefail -c "oms-import --tz America/New_York --rejects /dev/null '$f' | jq -r '.channel_order_id + \" \" + .shipped_at'"
	assert_output "$(printf '%s\n' '1 2026-11-01T05:30:00Z' '3 2026-03-08T07:30:00Z')"
	assert_equal "$stderr" "oms-import: $f:3: Order - Number is missing"
}

@test "a shipped date in neither ShipStation form is rejected; an ISO one with offset is taken" {
	f=$(printf '%s\n' "$H" '1,2026-11-20 16:00,S,Shopify,UPS,1Z1,A,1' '2,2026-11-20T16:00:00-05:00,S,Shopify,UPS,1Z2,A,1' \
		'3,13:00 11/20/2026,S,Shopify,UPS,1Z3,A,1' '4,11/20/2026 13:00 PM,S,Shopify,UPS,1Z4,A,1' | tmpfile iso.csv)
	run -1 --separate-stderr bash -o pipefail -c "oms-import --tz UTC --rejects /dev/null '$f' | jq -r '.channel_order_id + \" \" + .shipped_at'"
	assert_output "$(printf '%s\n' '1 2026-11-20T16:00:00Z' '2 2026-11-20T21:00:00Z')"
	assert_equal "$stderr" "$(printf '%s\n' \
		"oms-import: $f:4: Date - Shipped Date \"13:00 11/20/2026\" is not a date and time such as 4/2/2021 4:00:00 PM" \
		"oms-import: $f:5: Date - Shipped Date \"11/20/2026 13:00 PM\" is not a date and time such as 4/2/2021 4:00:00 PM")"
}

@test "tracking records round-trip through the canonical CSV, service_name included" {
	run -0 sh -c "oms-import --tz America/Los_Angeles shipments.csv | oms-import -o csv | oms-import"
	assert_output "$(cat shipments.expected)"
}

@test "--source shipstation on a CSV without Order - Number stops with status 2" {
	f=$(printf 'order,sku\n1,A\n' | tmpfile other.csv)
	run -2 --separate-stderr oms-import --source shipstation "$f"
	assert_output ""
	assert_equal "$stderr" "oms-import: $f:1: not a ShipStation shipments export: no \"Order - Number\" column"
}

@test "a header alone is no records" {
	f=$(printf '%s\r\n' "$H" | tmpfile header.csv)
	run -0 --separate-stderr oms-import "$f"
	assert_output ""
	assert_equal "$stderr" ""
}
