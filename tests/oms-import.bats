#!/usr/bin/env bats
# oms-import: canonical order records in, checked and normalised records out.

setup() { load helpers/common; }

ONE_LINE='[{"sku":"TEE-M","qty":1,"unit_price":"10.00"}]'
order() { # order ID [FIELDS [LINES]]: one order record; FIELDS override the defaults
	jq -nc --arg id "$1" --argjson f "{${2:-}}" --argjson lines "${3:-$ONE_LINE}" \
		'{type:"order",order_id:$id,channel:"dtc",currency:"USD"} + $f + {lines:$lines}'
}

@test "--help prints the usage on stdout and exits 0" {
	run -0 --separate-stderr oms-import --help
	assert_line --index 0 "usage: oms-import [-h] [-i format] [-o format] [-O file] [--ack file]"
	assert_output --partial "--map FILE"
	assert_equal "$stderr" ""
}

@test "--version prints the version" {
	run -0 oms-import --version
	assert_output "oms-import 0.1.0"
}

@test "an unknown option is a usage error (2)" {
	run -2 --separate-stderr oms-import --frobnicate
	assert_output ""
	assert_equal "${stderr_lines[1]}" "usage: oms-import [-h] [-i format] [-o format] [-O file] [--ack file]"
}

@test "a bad --input-format or --as-of value is a usage error" {
	run -2 --separate-stderr oms-import -i xml /dev/null
	assert_equal "$stderr" 'oms-import: --input-format: unknown format "xml" (ndjson, csv or tsv)'
	run -2 --separate-stderr oms-import --as-of 2026-02-30 /dev/null
	assert_equal "$stderr" 'oms-import: --as-of: "2026-02-30" is not a real date or time'
	run -2 --separate-stderr oms-import --tz Mars/Olympus /dev/null
	assert_equal "$stderr" 'oms-import: --tz: unknown time zone "Mars/Olympus"'
}

@test "a missing file is status 2 and nothing is written, even after good inputs" {
	run -2 --separate-stderr oms-import "$FIX/import/orders.ndjson" "$BATS_TEST_TMPDIR/nope.ndjson"
	assert_output ""
	assert_equal "$stderr" "oms-import: $BATS_TEST_TMPDIR/nope.ndjson: No such file or directory"
}

@test "empty input gives empty output and status 0" {
	run -0 --separate-stderr oms-import < /dev/null
	assert_output ""
	assert_equal "$stderr" ""
	: > "$BATS_TEST_TMPDIR/empty.csv"
	run -0 oms-import -o csv "$BATS_TEST_TMPDIR/empty.csv"
	assert_output ""
}

@test "happy path: orders are normalised, other records pass through unchanged" {
	run -0 --separate-stderr oms-import "$FIX/import/orders.ndjson"
	assert_output "$(cat "$FIX/import/orders.expected")"
	assert_equal "$stderr" ""
}

@test "normal form: UTC, upper-case codes, money digits per currency, trimmed SKUs, defaults" {
	run -0 oms-import "$FIX/import/orders.ndjson"
	# -05:00 and +0900 offsets become UTC; a date alone is midnight UTC.
	assert_line --index 0 --partial '"placed_at":"2026-11-20T14:03:00Z"'
	assert_line --index 2 --partial '"placed_at":"2026-11-21T14:30:00Z"'
	assert_line --index 3 --partial '"placed_at":"2026-11-18T00:00:00Z"'
	assert_line --index 0 --partial '"country":"CA"},"currency":"CAD"'
	assert_line --index 0 --partial '"line_id":"1","sku":"TEE-CREW-BLK-M","qty":2,"unit_price":"24.50"'
	assert_line --index 0 --partial '"customer":{"id":"zoe.martin@example.com"'
	assert_line --index 0 --partial '"status":"open"'
	assert_line --index 2 --partial '"status":"cancelled"'
	assert_line --index 2 --partial '"unit_price":"5400"'
	assert_line --index 3 --partial '"unit_price":"9.500","case_pack":6'
	assert_line --index 3 --partial '"ship_complete":true'
}

@test "re-importing the output changes nothing (idempotent)" {
	oms-import "$FIX/import/orders.ndjson" > "$BATS_TEST_TMPDIR/once"
	run -0 oms-import "$BATS_TEST_TMPDIR/once"
	assert_output "$(cat "$BATS_TEST_TMPDIR/once")"
}

@test "a bad record is rejected with file, line and reason; the good ones are written (1)" {
	f=$( { order A; order B '' '[{"sku":"X","qty":"two"}]'; order C; } | tmpfile in.ndjson)
	run -1 --separate-stderr oms-import --rejects "$BATS_TEST_TMPDIR/rej" "$f"
	assert_equal "${#lines[@]}" 2
	assert_line --index 0 --partial '"order_id":"A"'
	assert_line --index 1 --partial '"order_id":"C"'
	assert_equal "$stderr" "oms-import: $f:2: lines[1].qty \"two\" is not a whole number"
	assert_equal "$(cat "$BATS_TEST_TMPDIR/rej")" \
		"{\"file\":\"$f\",\"line\":2,\"reason\":\"lines[1].qty \\\"two\\\" is not a whole number\",\"record\":$(order B '' '[{"sku":"X","qty":"two"}]' | jq -Rc .)}"
}

@test "without --rejects the reject object follows its message on stderr" {
	run -1 --separate-stderr oms-import -i ndjson <<< 'not json'
	assert_equal "${stderr_lines[0]}" "oms-import: stdin:1: invalid JSON: unexpected text at column 1"
	assert_equal "${stderr_lines[1]}" '{"file":"stdin","line":1,"reason":"invalid JSON: unexpected text at column 1","record":"not json"}'
}

# Each bad order and the reason it gets; every one is a reject with status 1.
@test "order checks: each problem has a precise reason" {
	while IFS='|' read -r fields lines reason; do
		run -1 --separate-stderr oms-import --rejects /dev/null <<< "$(order X "$fields" "$lines")"
		assert_output ""
		assert_equal "$stderr" "oms-import: stdin:1: $reason"
	done <<'EOF_CASES'
"channel":"retail"||channel "retail" is not dtc, marketplace, wholesale or b2b
"status":"shipped"||status "shipped" is not open, cancelled or closed
|[{"sku":"A","qty":0}]|lines[1].qty 0 is not a positive whole number
|[{"sku":"A","qty":-3}]|lines[1].qty -3 is not a positive whole number
|[{"sku":"A","qty":2.5}]|lines[1].qty 2.5 is not a whole number
|[{"qty":1}]|lines[1] has no sku and no title
|[{"sku":"A"}]|lines[1] has no qty
|[]|order has no lines
|[{"line_id":"1","sku":"A","qty":1},{"line_id":"1","sku":"B","qty":1}]|line_id "1" appears twice
|[{"sku":"A","qty":1,"unit_price":"1.005"}]|lines[1].unit_price "1.005" has more than 2 decimals
|[{"sku":"A","qty":1,"unit_price":"99999999999999999999"}]|lines[1].unit_price "99999999999999999999" is out of range
|[{"sku":"A","qty":1,"unit_price":"12,50"}]|lines[1].unit_price "12,50" is not a decimal amount
|[{"sku":"A","qty":1,"unit_price":12.5}]|lines[1].unit_price 12.5 is not money: write it as a decimal string such as "24.50"
|[{"sku":"A","qty":1,"unit_price":"-1.00"}]|lines[1].unit_price "-1.00" is negative
|[{"sku":"A","qty":2,"shipped":3}]|lines[1].shipped 3 is not between 0 and qty 2
|[{"sku":"A","qty":2,"case_pack":0}]|lines[1].case_pack 0 is not positive
"placed_at":"2026-02-30T10:00:00Z"||placed_at "2026-02-30T10:00:00Z" is not a real date or time
"placed_at":"2026-11-20T25:00:00Z"||placed_at "2026-11-20T25:00:00Z" is not a real date or time
"placed_at":"yesterday"||placed_at "yesterday" is not a date (YYYY-MM-DD) or RFC 3339 timestamp
"placed_at":"2026-11-20T10:00:00"||placed_at "2026-11-20T10:00:00" has no UTC offset and no time zone was given
"ship_by":"2026-13-01"||ship_by "2026-13-01" is not a real date or time
"ship_by":"11/20/2026"||ship_by "11/20/2026" is not a date (YYYY-MM-DD)
"start_ship":"2026-12-10","cancel_after":"2026-12-01"||ship window is empty: start_ship 2026-12-10 is after cancel_after 2026-12-01
"ship_to":{"country":"USA"}||ship_to.country "USA" is not an ISO 3166-1 alpha-2 code
"priority":"high"||priority "high" is not a whole number
"ship_complete":"maybe"||ship_complete "maybe" is not true or false
"customer":"ann"||customer "ann" is not an object
EOF_CASES
}

@test "order checks: missing order_id, channel or currency" {
	run -1 --separate-stderr oms-import <<< '{"type":"order","channel":"dtc","lines":[{"sku":"A","qty":1}]}'
	assert_equal "${stderr_lines[0]}" "oms-import: stdin:1: order_id is missing"
	run -1 --separate-stderr oms-import <<< '{"type":"order","order_id":"X","lines":[{"sku":"A","qty":1}]}'
	assert_equal "${stderr_lines[0]}" 'oms-import: stdin:1: channel "" is not dtc, marketplace, wholesale or b2b'
	run -1 --separate-stderr oms-import <<< '{"type":"order","order_id":"X","channel":"b2b","lines":[{"sku":"A","qty":1,"unit_price":"2.00"}]}'
	assert_equal "${stderr_lines[0]}" "oms-import: stdin:1: currency is missing, and the order has money fields"
	run -1 --separate-stderr oms-import <<< '{"type":"order","order_id":"X","channel":"b2b","currency":"dollars","lines":[{"sku":"A","qty":1}]}'
	assert_equal "${stderr_lines[0]}" 'oms-import: stdin:1: currency "DOLLARS" is not an ISO 4217 code'
}

@test "malformed records: not JSON, not an object, no type, unknown type, duplicate keys" {
	f=$(printf '%s\n' '{"type":"order",' '[1,2]' '{"order_id":"A"}' '{"type":"ordr","order_id":"A"}' \
		'{"type":"order","type":"order"}' | tmpfile bad.ndjson)
	run -1 --separate-stderr oms-import --rejects /dev/null "$f"
	assert_output ""
	assert_equal "${stderr_lines[0]}" "oms-import: $f:1: invalid JSON: expected a key at end of line"
	assert_equal "${stderr_lines[1]}" "oms-import: $f:2: record is not a JSON object"
	assert_equal "${stderr_lines[2]}" "oms-import: $f:3: record has no \"type\""
	assert_equal "${stderr_lines[3]}" "oms-import: $f:4: unknown record type \"ordr\""
	assert_equal "${stderr_lines[4]}" "oms-import: $f:5: invalid JSON: duplicate key \"type\""
}

@test "blank lines are skipped and line numbers stay exact; CRLF and a BOM are fine" {
	f=$( { printf '\xef\xbb\xbf'; order A | sed 's/$/\r/'; printf '\r\n   \n'; order B '' '[{"sku":"X","qty":0}]'; } | tmpfile crlf.ndjson)
	run -1 --separate-stderr oms-import --rejects /dev/null "$f"
	assert_line --index 0 --partial '"order_id":"A"'
	assert_equal "$stderr" "oms-import: $f:4: lines[1].qty 0 is not a positive whole number"
}

@test "NUL bytes and invalid UTF-8 are rejected; the reject keeps the text with U+FFFD" {
	f=$( { order A; printf '{"type":"order","order_id":"B\xff"}\n'; printf '{"type":"order",\0}\n'; order C; } | tmpfile enc.ndjson)
	run -1 --separate-stderr oms-import --rejects "$BATS_TEST_TMPDIR/rej" "$f"
	assert_equal "${#lines[@]}" 2
	assert_equal "${stderr_lines[0]}" "oms-import: $f:2: invalid JSON: invalid UTF-8 in string at column 31"
	assert_equal "${stderr_lines[1]}" "oms-import: $f:3: line contains a NUL byte"
	run jq -r .record "$BATS_TEST_TMPDIR/rej"
	assert_line --index 0 '{"type":"order","order_id":"B�"}'
}

@test "a 10 MB line is rejected without eating memory; the next record is read" {
	f="$BATS_TEST_TMPDIR/big.ndjson"
	{ printf '{"type":"order","order_id":"'; head -c 10000000 /dev/zero | tr '\0' x; printf '"}\n'; order B; } > "$f"
	run -1 --separate-stderr oms-import --rejects /dev/null "$f"
	assert_output --partial '"order_id":"B"'
	assert_equal "$stderr" "oms-import: $f:1: line is longer than 4 MiB"
}

@test "--strict stops at the first reject with status 1 and -O is not created" {
	f=$( { order A; order B '' '[]'; order C; } | tmpfile in.ndjson)
	run -1 --separate-stderr oms-import --strict --rejects /dev/null -O "$BATS_TEST_TMPDIR/out" "$f"
	assert_equal "$stderr" "oms-import: $f:2: order has no lines"
	assert [ ! -e "$BATS_TEST_TMPDIR/out" ]
	run ls -A "$BATS_TEST_TMPDIR"
	refute_output --partial ".out."
}

@test "-O through a symbolic link replaces the file it names and keeps the link" {
	mkdir "$BATS_TEST_TMPDIR/d"
	echo old > "$BATS_TEST_TMPDIR/d/2026-11-27.ndjson"
	ln -s d/2026-11-27.ndjson "$BATS_TEST_TMPDIR/book.ndjson"
	run -0 oms-import -O "$BATS_TEST_TMPDIR/book.ndjson" "$FIX/import/orders.ndjson"
	assert [ -L "$BATS_TEST_TMPDIR/book.ndjson" ]
	assert_equal "$(cat "$BATS_TEST_TMPDIR/d/2026-11-27.ndjson")" "$(cat "$FIX/import/orders.expected")"
	run ls -A "$BATS_TEST_TMPDIR" "$BATS_TEST_TMPDIR/d"
	refute_output --partial ".ndjson."
}

@test "-O writes the file atomically and leaves no temporary file behind" {
	echo old > "$BATS_TEST_TMPDIR/book.ndjson"
	run -0 oms-import -O "$BATS_TEST_TMPDIR/book.ndjson" "$FIX/import/orders.ndjson"
	assert_output ""
	assert_equal "$(cat "$BATS_TEST_TMPDIR/book.ndjson")" "$(cat "$FIX/import/orders.expected")"
	run ls -A "$BATS_TEST_TMPDIR"
	assert_output "book.ndjson"
}

@test "-O into a folder that cannot be written is status 2 and the old file is kept" {
	[ "$(id -u)" -ne 0 ] || skip "root can write anywhere"
	mkdir "$BATS_TEST_TMPDIR/ro" && chmod 555 "$BATS_TEST_TMPDIR/ro"
	run -2 --separate-stderr oms-import -O "$BATS_TEST_TMPDIR/ro/out" "$FIX/import/orders.ndjson"
	assert_equal "$stderr" "oms-import: $BATS_TEST_TMPDIR/ro/out: cannot create a file beside it: Permission denied"
}

@test "-O into a missing folder is status 2 and nothing is read or written" {
	run -2 --separate-stderr oms-import -O "$BATS_TEST_TMPDIR/no/such/out" "$FIX/import/orders.ndjson"
	assert_equal "$stderr" "oms-import: $BATS_TEST_TMPDIR/no/such/out: cannot create a file beside it: No such file or directory"
	assert_output ""
}

@test "a full disk is status 2, not a silent truncation" {
	[ -w /dev/full ] || skip "no /dev/full"
	run -2 --separate-stderr sh -c "oms-import '$FIX/import/orders.ndjson' > /dev/full"
	assert_equal "$stderr" "oms-import: standard output: No space left on device"
}

@test "--stats counts add up: in + passed + created = out + rejected + consumed" {
	f=$( { cat "$FIX/import/orders.ndjson"; order B '' '[]'; echo '{'; } | tmpfile in.ndjson)
	run -1 --separate-stderr oms-import --stats --rejects /dev/null "$f"
	assert_equal "${stderr_lines[2]}" "oms-import: stats: in=6 passed=0 out=4 rejected=2 consumed=0 created=0 orders=3 lines=4 units=17 merged=0"
}

@test "several inputs and - for standard input are read in order" {
	order S | oms-import "$FIX/import/orders.ndjson" - > "$BATS_TEST_TMPDIR/out"
	run tail -1 "$BATS_TEST_TMPDIR/out"
	assert_output --partial '"order_id":"S"'
	run -2 --separate-stderr sh -c 'oms-import - - < /dev/null'
	assert_equal "$stderr" "oms-import: standard input (-) can be named only once"
}

@test "country and currency codes must be assigned ones: UK is GB" {
	run -1 --separate-stderr oms-import <<< "$(order X '"ship_to":{"country":"uk"}')"
	assert_equal "${stderr_lines[0]}" 'oms-import: stdin:1: ship_to.country "UK" is not an ISO 3166-1 alpha-2 code'
	run -1 --separate-stderr oms-import <<< "$(order X '"currency":"abc"')"
	assert_equal "${stderr_lines[0]}" 'oms-import: stdin:1: currency "ABC" is not an ISO 4217 code'
	run -0 oms-import <<< "$(order X '"currency":"xof","ship_to":{"country":"sn"}')"
}

@test "unknown keys are kept, numbers in them written in their shortest exact form" {
	run -0 oms-import <<< "$(order X '"z_note":{"b":0.1,"a":1e300,"c":-0.5}')"
	assert_output --partial ',"z_note":{"b":0.1,"a":1e+300,"c":-0.5}}'
}

@test "--rejects - is refused: standard output carries the records" {
	run -2 --separate-stderr oms-import --rejects - /dev/null
	assert_equal "$stderr" "oms-import: --rejects: standard output carries the records; name a file"
}

@test "an input in no known format is status 2, naming the sources and --map" {
	f=$(printf '%s\n' 'colour,size' 'red,M' | tmpfile odd.csv)
	run -2 --separate-stderr oms-import "$f"
	assert_output ""
	assert_equal "$stderr" "oms-import: $f: not a format oms-import knows (edi850, shopify, amazon, woocommerce, shipstation, returns, oms); name one with --source, or describe its columns with --map"
	run -2 --separate-stderr oms-import --source etsy "$f"
	assert_equal "$stderr" 'oms-import: --source: unknown source "etsy" (edi850, shopify, amazon, woocommerce, shipstation, returns, oms)'
	# -i says the input holds oms records, whatever its header.
	run -1 --separate-stderr oms-import -i csv --rejects /dev/null "$f"
	assert_equal "$stderr" "oms-import: $f:2: order_id is missing"
}

@test "-O and --rejects write a device or FIFO in place, never replacing it with a file" {
	mkfifo "$BATS_TEST_TMPDIR/fifo"
	cat "$BATS_TEST_TMPDIR/fifo" > "$BATS_TEST_TMPDIR/got" &
	run -1 --separate-stderr oms-import --rejects "$BATS_TEST_TMPDIR/fifo" -O /dev/null <<< '{"type":"order"}'
	wait
	assert [ -p "$BATS_TEST_TMPDIR/fifo" ]
	assert [ -c /dev/null ]
	run jq -r .reason "$BATS_TEST_TMPDIR/got"
	assert_output "order_id is missing"
}

@test "tracking and return requests are checked too: an order named, UTC times, lines with units, reason codes" {
	f=$(printf '%s\n' \
		'{"type":"tracking","order_id":"A","shipped_at":"2026-11-21 09:00:00 -0500","lines":[{"sku":"S","qty":"2"}]}' \
		'{"type":"tracking","tracking_number":"1Z","lines":[{"sku":"S","qty":1}]}' \
		'{"type":"tracking","order_id":"A","lines":[{"qty":1}]}' \
		'{"type":"return_request","return_id":"R1","channel_order_id":"#1001","requested_at":"2026-11-25T10:00:00Z","lines":[{"sku":"S","qty":1,"reason":"Too_Small"}]}' \
		'{"type":"return_request","return_id":"R2","order_id":"A","lines":[{"sku":"S","qty":1,"reason":"meh"}]}' \
		'{"type":"return_request","order_id":"A","lines":[{"sku":"S","qty":1}]}' \
		'{"type":"return_request","return_id":"R3","order_id":"A","lines":[{"sku":"S","qty":0}]}' | tmpfile ev.ndjson)
	run -1 --separate-stderr oms-import --rejects /dev/null "$f"
	assert_line --index 0 '{"type":"tracking","order_id":"A","shipped_at":"2026-11-21T14:00:00Z","lines":[{"sku":"S","qty":2}]}'
	assert_line --index 1 '{"type":"return_request","return_id":"R1","channel_order_id":"#1001","requested_at":"2026-11-25T10:00:00Z","lines":[{"sku":"S","qty":1,"reason":"too_small"}]}'
	assert_equal "${#lines[@]}" 2
	assert_equal "${stderr_lines[0]}" "oms-import: $f:2: names no order: give order_id or channel_order_id"
	assert_equal "${stderr_lines[1]}" "oms-import: $f:3: lines[1] names no sku or line_id"
	assert_equal "${stderr_lines[2]}" "oms-import: $f:5: lines[1].reason \"meh\" is not one of too_small, too_large, fit_other, not_as_pictured, quality, damaged, wrong_item, late, changed_mind, other"
	assert_equal "${stderr_lines[3]}" "oms-import: $f:6: return_id is missing"
	assert_equal "${stderr_lines[4]}" "oms-import: $f:7: lines[1].qty is not a positive whole number"
}

KNOWN="not a format oms-import knows (edi850, shopify, amazon, woocommerce, shipstation, returns, oms); name one with --source, or describe its columns with --map"

@test "detection: a header starting order_id is oms records only with the channel column" {
	f=$(printf '%s\n' 'order_id,channel,lines.sku,lines.qty' 'A,dtc,TEE-M,1' | tmpfile oms.csv)
	run -0 --separate-stderr oms-import "$f"
	assert_output '{"type":"order","order_id":"A","channel":"dtc","status":"open","lines":[{"line_id":"1","sku":"TEE-M","qty":1}]}'
	f=$(printf 'order_id\tchannel\tlines.sku\tlines.qty\nA\tdtc\tTEE-M\t1\n' | tmpfile oms.tsv)
	run -0 --separate-stderr oms-import "$f"
	assert_output '{"type":"order","order_id":"A","channel":"dtc","status":"open","lines":[{"line_id":"1","sku":"TEE-M","qty":1}]}'
	# A shop's export whose first column is order_id is not taken for records
	# (it was, and every order was rejected for its empty channel).
	f=$(printf '%s\n' 'order_id,order_date,status,sku,qty' '7,2025-03-01,processing,TEE-M,1' | tmpfile shop.csv)
	run -2 --separate-stderr oms-import "$f"
	assert_output ""
	assert_equal "$stderr" "oms-import: $f: $KNOWN (it has an order_id column but no channel column, which every order in oms records needs)"
	# -i csv still says the input is oms records, whatever its header.
	run -1 --separate-stderr oms-import -i csv --rejects /dev/null "$f"
	assert_equal "$stderr" "oms-import: $f:2: channel \"\" is not dtc, marketplace, wholesale or b2b"
}

@test "detection: ShipStation's Orders grid and a one-column line_items export are refused, saying what they are" {
	f=$(printf '%s\r\n' '"Order #","Order Date","Ship To Name",Items,"Order Total"' '1051,11/20/2026,Ana Ruiz,2,58.00' | tmpfile grid.csv)
	run -2 --separate-stderr oms-import "$f"
	assert_output ""
	assert_equal "$stderr" "oms-import: $f: $KNOWN (it looks like ShipStation's Orders grid export (one row per order), not its shipments export: export shipments, or describe it with --map)"
	# A ShipStation export with items but no tracking numbers is not a shipments export.
	f=$(printf '%s\r\n' '"Order - Number","Item - SKU","Item - Qty"' '1051,TEE-M,1' | tmpfile notrack.csv)
	run -2 --separate-stderr oms-import "$f"
	assert_equal "$stderr" "oms-import: $f: $KNOWN"
	f=$(printf '%s\n' 'order_id,order_number,date,status,line_items' '88,1088,2025-03-01,processing,"sku:TEE-M|quantity:1"' | tmpfile skyverge.csv)
	run -2 --separate-stderr oms-import "$f"
	assert_equal "$stderr" "oms-import: $f: $KNOWN (it looks like a WooCommerce export with all line items in one line_items column, which oms-import does not read: describe it with --map, or export with \"Order Export & Import for WooCommerce\" (line_item_1, line_item_2, ...))"
}

@test "detection: the refused grid export can still be read through --map" {
	f=$(printf '%s\r\n' '"Order #","Order Date","Ship To Name",SKU,Qty' '1051,11/20/2026,Ana Ruiz,TEE-M,2' | tmpfile grid.csv)
	m=$(printf '%s' '{"date_format":"%m/%d/%Y","fields":{"order_id":{"column":"Order #","prefix":"shipstation:"},"channel":{"value":"dtc"},"ship_to.name":"Ship To Name","lines.sku":"SKU","lines.qty":"Qty"}}' | tmpfile grid.json)
	run -0 --separate-stderr oms-import --map "$m" "$f"
	assert_output '{"type":"order","order_id":"shipstation:1051","channel":"dtc","status":"open","ship_to":{"name":"Ana Ruiz"},"lines":[{"line_id":"1","sku":"TEE-M","qty":2}]}'
}

# service names as a store writes them, one order each (WooCommerce's default layout)
services_csv() {
	local i=0
	printf '%s\r\n' '"Order Number","Shipping Method Title",SKU,Quantity'
	for s; do
		i=$((i + 1))
		printf '%s,"%s",TEE-M,1\r\n' "$i" "$s"
	done
}

@test "import.services: built-in service names become levels; an unknown one stays as it is" {
	f=$(services_csv 'Ground' 'UPS Next Day Air®' 'Standard Shipping' 'Free Shipping' '2nd Day Air' \
		'Priority Mail Express' 'USPS Priority Mail' 'ups  GROUND' 'Next-Day_Air' 'FedEx SmartPost' \
		'Pigeon Post' | tmpfile svc.csv)
	run -0 sh -c "oms-import '$f' | jq -r .service"
	assert_output "$(printf '%s\n' standard next_day standard standard two_day next_day expedited \
		standard next_day economy 'Pigeon Post')"
}

@test "import.services: the rules' names, matched without case, ® or ™ and extra spaces, win over the built-in ones" {
	r=$(printf '%s\n' '{"import":{"services":{"UPS Next Day Air":"next_day_am","Pigeon Post":"economy","ground":"two_day"}}}' | tmpfile rules.json)
	f=$(services_csv 'UPS® Next Day Air™' 'ups   next day air' 'PIGEON POST' 'Ground' 'Standard Shipping' | tmpfile svc.csv)
	run -0 sh -c "oms-import --rules '$r' '$f' | jq -r .service"
	assert_output "$(printf '%s\n' next_day_am next_day_am economy two_day standard)"
}

@test "import.services: a table that is not names to one-word levels stops before reading (2)" {
	f=$(services_csv Ground | tmpfile svc.csv)
	r=$(printf '%s\n' '{"import":{"services":["Ground"]}}' | tmpfile list.json)
	run -2 --separate-stderr oms-import --rules "$r" "$f"
	assert_equal "$stderr" "oms-import: import.services is an object of service names and levels in $r"
	r=$(printf '%s\n' '{"import":{"services":{"Ground":"next day"}}}' | tmpfile words.json)
	run -2 --separate-stderr oms-import --rules "$r" "$f"
	assert_equal "$stderr" "oms-import: import.services.Ground is not a service level (one word, like \"next_day\") in $r"
	r=$(printf '%s\n' '{"import":{"services":{"®":"next_day"}}}' | tmpfile empty.json)
	run -2 --separate-stderr oms-import --rules "$r" "$f"
	assert_equal "$stderr" "oms-import: import.services: \"®\" is no service name in $r"
}
