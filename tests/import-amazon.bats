#!/usr/bin/env bats
# oms-import reading Amazon Seller Central order reports (tab-separated flat files).

setup() {
	load helpers/common
	cd "$FIX/amazon"
}

U27='order-id	order-item-id	purchase-date	payments-date	reporting-date	promise-date	days-past-promise	buyer-email	buyer-name	buyer-phone-number	sku	product-name	quantity-purchased	quantity-shipped	quantity-to-ship	ship-service-level	recipient-name	ship-address-1	ship-address-2	ship-address-3	ship-city	ship-state	ship-postal-code	ship-country	is-business-order	purchase-order-number	price-designation'

unshipped() { # ORDER-ID ITEM-ID SKU QTY [PROMISE-DATE]: one row of the classic 27-column layout
	printf '%s\t%s\t2026-11-23T15:20:00+00:00\t\t\t%s\t\tb@marketplace.amazon.com\tSam Lee\t\t%s\tTee\t%s\t0\t%s\tStandard\tSam Lee\t12 Elm St\t\t\tBoise\tID\t83702\tUS\tfalse\t\t\n' \
		"$1" "$2" "${5:-2026-11-25T07:59:59+00:00}" "$3" "$4" "$4"
}

@test "Unshipped Orders report (41 columns, BOM, CRLF): orders from the header alone" {
	run -0 --separate-stderr oms-import unshipped.txt
	assert_output "$(cat unshipped.expected)"
	assert_equal "$stderr" ""
}

@test "--source amazon reads the same report, from standard input too" {
	run -0 --separate-stderr oms-import --source amazon unshipped.txt
	assert_output "$(cat unshipped.expected)"
	run -0 --separate-stderr sh -c 'oms-import < unshipped.txt'
	assert_output "$(cat unshipped.expected)"
	run -0 --separate-stderr sh -c 'oms-import --source amazon - < unshipped.txt'
	assert_output "$(cat unshipped.expected)"
}

@test "rows of one order-id are one order; its lines keep Amazon's order-item-id" {
	run -0 sh -c "oms-import unshipped.txt | jq -c '[.order_id, [.lines[] | .line_id + \" \" + .sku + \" \" + (.qty|tostring)]]'"
	assert_line --index 0 '["amazon:114-3941689-8772232",["12233017829241 HLC-TEE-CREW-BLK-M 2","12233017829242 HLC-HOOD-OAT-L 1"]]'
	assert_line --index 2 '["amazon:113-7720164-0093318",["22190043811177 HLC-JEAN-SLIM-IND-3230 1","22190043811178 HLC-JEAN-SLIM-IND-3232 1","22190043811179 HLC-BELT-LTH-BRN-M 1"]]'
}

@test "offsets differ within a row: placed_at from +00:00, ship_by the seller's own day of a -08:00 promise" {
	# 2026-11-23T23:59:59-08:00 is still the 23rd where the promise was made.
	run -0 oms-import unshipped.txt
	assert_line --index 0 --partial '"placed_at":"2026-11-20T16:04:11Z","ship_by":"2026-11-23"'
}

@test "service levels, business orders, a third address line, quotes as plain text" {
	run -0 sh -c "oms-import unshipped.txt | jq -r '[.channel, .service, .ship_to.line2 // \"-\"] | @tsv'"
	assert_output "$(printf '%s\n' 'marketplace	standard	Apt 4' 'b2b	next_day	4100 E 3rd Ave, Suite 200' \
		'marketplace	second_day	-' 'marketplace	expedited	-')"
	run -0 oms-import unshipped.txt
	assert_line --index 1 --partial '"purchase_order_number":"PO-7781"'
	assert_line --index 2 --partial '"name":"Dana \"DJ\" Okafor"'
}

@test "All Orders report (LF): status, exact unit prices, line totals, cancelled lines kept" {
	run -0 --separate-stderr oms-import all-orders.txt
	assert_output "$(cat all-orders.expected)"
	assert_equal "$stderr" ""
	# 59.98 for 2 is 29.99 each; 50.00 for 3 does not divide, so the total stays.
	assert_line --index 0 --partial '"qty":2,"unit_price":"29.99","discount":"5.00","tax":"5.40"'
	assert_line --index 0 --partial '"qty":3,"tax":"4.50","item_status":"Shipped","line_total":"50.00","shipping_discount":"4.99"'
	assert_line --index 1 --partial '"status":"cancelled"'
	assert_line --index 2 --partial '"sku":"HLC-JEAN-SLIM-IND-3030","qty":1,"unit_price":"88.00","tax":"7.92","cancelled":true,"item_status":"Cancelled"'
	assert_line --index 3 --partial '"channel":"b2b"'
	assert_line --index 4 --partial '"fulfillment_channel":"Amazon"'
}

@test "All Orders: order-status Shipped and Complete close the order, others leave it open" {
	run -0 sh -c "oms-import all-orders.txt | jq -r '.order_status + \" \" + .status'"
	assert_output "$(printf '%s\n' 'Shipped closed' 'Cancelled cancelled' 'Shipped closed' 'Pending open' 'Shipped closed')"
}

@test "a Windows-1252 report is decoded; a byte 1252 leaves undefined rejects its order" {
	run -1 --separate-stderr oms-import --rejects "$BATS_TEST_TMPDIR/rej" cp1252.txt
	assert_output "$(cat cp1252.expected)"
	assert_line --index 0 --partial '"name":"Jürgen Müller"},"placed_at"'
	assert_line --index 0 --partial '"line1":"Hauptstraße 12","city":"München"'
	assert_line --index 1 --partial '"name":"José Peña"'
	assert_line --index 1 --partial '"line2":"c/o Hôtel Élysée","city":"Köln"'
	assert_equal "$stderr" "oms-import: cp1252.txt:6: byte 0x81 in ship-address-1 is neither UTF-8 nor Windows-1252"
	run -0 diff cp1252.rejects "$BATS_TEST_TMPDIR/rej"
	# The reject holds the order's rows as UTF-8, ready to mend and read again.
	run -0 jq -r .record "$BATS_TEST_TMPDIR/rej"
	assert_output --partial "Renée Faßbinder		HLC-POLO-NVY-M	Halcyon T-Shirt – Schwarz / M"
	assert_output --partial "Garten�weg 3"
}

@test "bad rows reject their own orders only: field counts, disagreeing rows, bad dates, a cut-off end" {
	# The row without an order-id (line 8) may continue the order above it, so it takes that order with it.
	run -1 --separate-stderr oms-import --rejects "$BATS_TEST_TMPDIR/rej" bad-rows.txt
	assert_output "$(cat bad-rows.expected)"
	run -0 diff bad-rows.rejects "$BATS_TEST_TMPDIR/rej"
	assert_equal "$stderr" "$(printf '%s\n' \
		'oms-import: bad-rows.txt:5: row has 26 fields, the header has 27' \
		'oms-import: bad-rows.txt:8: order-id is missing' \
		'oms-import: bad-rows.txt:10: row at line 10 disagrees with the first row of its record on "service"' \
		'oms-import: bad-rows.txt:11: promise-date "soon" is not a date (YYYY-MM-DD) or RFC 3339 timestamp' \
		'oms-import: bad-rows.txt:15: row has 12 fields, the header has 27')"
}

@test "a rejected order takes all its rows with it, before and after the bad one" {
	oms-import --rejects "$BATS_TEST_TMPDIR/rej" bad-rows.txt > /dev/null || true
	run -0 jq -r 'select(.line == 5) | .record | split("\n") | map(split("\t")[1]) | join(" ")' "$BATS_TEST_TMPDIR/rej"
	assert_output "20000000000021 20000000000022 20000000000023 "
}

@test "a file cut off in the middle of an order: that order is rejected whole, never written half" {
	run -0 sh -c "oms-import --rejects /dev/null bad-rows.txt 2>/dev/null | grep -c 114-0000007 || true"
	assert_output 0
	oms-import --rejects "$BATS_TEST_TMPDIR/rej" bad-rows.txt > /dev/null || true
	run -0 jq -r 'select(.line == 15) | .record | split("\n") | length' "$BATS_TEST_TMPDIR/rej"
	assert_output 3
	# Cut at the end of a line instead, the order is as complete as the file says.
	head -n 14 bad-rows.txt > "$BATS_TEST_TMPDIR/cut.txt"
	run -1 bash -o pipefail -c "oms-import --rejects /dev/null '$BATS_TEST_TMPDIR/cut.txt' 2>/dev/null | jq -r 'select(.order_id == \"amazon:114-0000007-7000007\") | .lines | length'"
	assert_output 2
}

@test "blank lines are skipped and line numbers still count them; a NUL byte rejects its order" {
	f=$(
		{ printf '%s\n' "$U27"; unshipped 114-1 11 HLC-TEE-S 1; printf '\n\n'
		  unshipped 114-2 21 HLC-TEE-M 1 | sed 's/Sam Lee/Sam\x00Lee/'; unshipped 114-3 31 HLC-TEE-L 1; } | tmpfile nul.txt
	)
	run -1 --separate-stderr bash -o pipefail -c "oms-import --rejects /dev/null '$f' | jq -r .order_id"
	assert_output "$(printf '%s\n' amazon:114-1 amazon:114-3)"
	assert_equal "$stderr" "oms-import: $f:5: a NUL byte in buyer-name is neither UTF-8 nor Windows-1252"
}

@test "a promise-date without offset is read in --tz, and rejected without it" {
	f=$({ printf '%s\n' "$U27"; unshipped 114-1 11 HLC-TEE-S 1 2026-11-25T22:00:00; } | tmpfile tz.txt)
	run -0 sh -c "oms-import --tz America/Los_Angeles '$f' | jq -r .ship_by"
	assert_output 2026-11-25
	run -1 --separate-stderr oms-import --rejects /dev/null "$f"
	assert_output ""
	assert_equal "$stderr" "oms-import: $f:2: promise-date \"2026-11-25T22:00:00\" has no UTC offset and no time zone was given"
}

@test "an item-price that is not money, or has no currency, rejects its order" {
	h='amazon-order-id	purchase-date	order-status	sku	quantity	currency	item-price'
	f=$(printf '%s\n' "$h" 'A1	2026-11-20T10:00:00Z	Shipped	S1	1	USD	12.5x' 'A2	2026-11-20T10:00:00Z	Shipped	S1	1		12.50' \
		'A3	2026-11-20T10:00:00Z	Shipped	S1	1	JPY	1200' | tmpfile price.txt)
	run -1 --separate-stderr bash -o pipefail -c "oms-import --rejects /dev/null '$f' | jq -c '[.order_id, .currency, .lines[0].unit_price]'"
	assert_output '["amazon:A3","JPY","1200"]'
	assert_equal "${stderr_lines[0]}" "oms-import: $f:2: item-price \"12.5x\" is not a decimal amount"
	assert_equal "${stderr_lines[1]}" "oms-import: $f:3: item-price \"12.50\" is given without a currency"
}

@test "a cancelled line written with quantity 0 is kept, marked cancelled; other lines need units" {
	h='amazon-order-id	purchase-date	order-status	sku	item-status	quantity'
	f=$(printf '%s\n' "$h" 'A1	2026-11-20T10:00:00Z	Shipped	S1	Shipped	1' 'A1	2026-11-20T10:00:00Z	Shipped	S2	Cancelled	0' \
		'A2	2026-11-20T10:00:00Z	Shipped	S1	Shipped	0' | tmpfile zero.txt)
	run -1 --separate-stderr oms-import --rejects /dev/null "$f"
	assert_output --partial '{"line_id":"2","sku":"S2","qty":0,"cancelled":true,"item_status":"Cancelled"}'
	assert_equal "$stderr" "oms-import: $f:4: lines[1].qty 0 is not a positive whole number"
}

@test "orders from a report round-trip through the canonical CSV, and re-import unchanged" {
	run -0 sh -c "oms-import all-orders.txt unshipped.txt | oms-import -o csv | oms-import"
	assert_output "$(cat all-orders.expected unshipped.expected)"
	run -0 sh -c "oms-import unshipped.txt | oms-import"
	assert_output "$(cat unshipped.expected)"
}

@test "a header alone is no orders; an empty input with --source amazon too" {
	f=$(printf '%s\r\n' "$U27" | tmpfile header.txt)
	run -0 --separate-stderr oms-import "$f"
	assert_output ""
	assert_equal "$stderr" ""
	run -0 --separate-stderr oms-import --source amazon < /dev/null
	assert_output ""
	assert_equal "$stderr" ""
}

@test "--source amazon on a file that is not an order report stops with status 2" {
	f=$(printf 'order_id,sku\nA,S\n' | tmpfile orders.csv)
	run -2 --separate-stderr oms-import --source amazon "$f"
	assert_output ""
	assert_equal "$stderr" "oms-import: $f:1: not an Amazon order report: the header names neither order-id, order-item-id and quantity-purchased nor amazon-order-id and order-status"
	f=$(printf 'amazon-order-id\torder-status\tquantity\nA\tShipped\t1\n' | tmpfile nosku.txt)
	run -2 --separate-stderr oms-import --source amazon "$f"
	assert_equal "$stderr" "oms-import: $f:1: the header has no \"sku\" column"
	# Without --source a report that lacks the sku is not taken for one.
	run -2 --separate-stderr oms-import "$f"
	assert_output ""
	assert_equal "$stderr" "oms-import: $f: not a format oms-import knows (edi850, shopify, amazon, woocommerce, shipstation, returns, oms); name one with --source, or describe its columns with --map"
}

@test "the Order Report layout reads as Unshipped, with prices: yen have no minor digits" {
	run -0 --separate-stderr oms-import order-report.txt
	assert_output "$(cat order-report.expected)"
	# 7470 yen for 3 is 2490 each; the ship-to phone wins over the buyer's.
	assert_output --partial '"placed_at":"2026-11-19T16:02:03Z"'
	assert_output --partial '"phone":"03-1234-5678"},"currency":"JPY"'
	assert_output --partial '"qty":3,"unit_price":"2490","discount":"300","tax":"679"'
}

promo_row() { # ITEM-ID DISCOUNT [COLUMN VALUE]: an Order Report row that only adds a promotion to an item
	awk -F'\t' -v OFS='\t' -v item="$1" -v disc="$2" -v col="${3:-}" -v val="${4:-}" '
		NR == 1 { for (i = 1; i <= NF; i++) at[$i] = i; next }
		NR == 2 {
			id = $at["order-id"]
			for (i = 1; i <= NF; i++) $i = ""
			$at["order-id"] = id; $at["order-item-id"] = item
			$at["item-promotion-discount"] = disc; $at["item-promotion-id"] = "PROMO2"
			if (col != "") $at[col] = val
			print
		}' order-report.txt
}

@test "an item's promotions split over further rows (sku and quantity blank) add to its line's discount" {
	f=$({ cat order-report.txt; promo_row 61877421098765 -200; promo_row 61877421098765 150; } | tmpfile promos.txt)
	run -0 --separate-stderr oms-import --stats "$f"
	# 300 + 200 + 150 yen, whatever the sign each report writes them with; still one line.
	assert_output --partial '"qty":3,"unit_price":"2490","discount":"650","tax":"679"'
	assert_equal "$(jq '.lines | length' <<< "$output")" 1
	assert_equal "$stderr" "oms-import: stats: in=1 passed=0 out=1 rejected=0 consumed=0 created=0 orders=1 lines=1 units=3 merged=0"
}

@test "a promotion row for an item the order does not have, or with more than promotions, rejects the order" {
	f=$({ cat order-report.txt; promo_row 999 -200; } | tmpfile orphan.txt)
	run -1 --separate-stderr oms-import --rejects /dev/null "$f"
	assert_output ''
	assert_equal "$stderr" "oms-import: $f:2: lines[2] has neither sku nor quantity, and no row before it has its order-item-id"
	f=$({ cat order-report.txt; promo_row 61877421098765 -200 item-tax 10; } | tmpfile taxed.txt)
	run -1 --separate-stderr oms-import --rejects /dev/null "$f"
	assert_output ''
	assert_equal "$stderr" "oms-import: $f:2: lines[2] only adds promotions to its item, yet gives tax"
}

@test "FBA: All Orders rows Amazon fulfils are closed, fulfilled_by amazon, and never take warehouse stock" {
	run -0 sh -c "oms-import fba.txt | jq -r '[.order_id, .status, .fulfilled_by // \"-\"] | @tsv'"
	assert_output "$(printf '%s\t%s\t%s\n' amazon:113-5500001-0000001 closed amazon \
		amazon:113-5500002-0000002 closed amazon amazon:113-5500003-0000003 open - \
		amazon:113-5500004-0000004 cancelled amazon)"
	# 6 TEE-M at EWR: the FBA orders (3 and 4 units) would take them all; the
	# merchant-fulfilled order's 2 are the only units allocated.
	inv=$(printf '%s\n' location,sku,on_hand,safety_stock EWR,TEE-M,6,0 | tmpfile inv.csv)
	run -0 sh -c "oms-import fba.txt | oms-allocate --as-of 2026-11-24 --locations '$FIX/allocate/locations.csv' --inventory '$inv' --inventory-out '$BATS_TEST_TMPDIR/left.csv' | jq -r '[.order_id, .allocation.status, (.lines[0].allocated | length)] | map(tostring) | @tsv'"
	assert_output "$(printf '%s\t%s\t%s\n' amazon:113-5500001-0000001 closed 0 \
		amazon:113-5500002-0000002 closed 0 amazon:113-5500003-0000003 full 1 \
		amazon:113-5500004-0000004 cancelled 0)"
	run cat "$BATS_TEST_TMPDIR/left.csv"
	assert_line --index 1 "EWR,TEE-M,6,0,2,4"
}
