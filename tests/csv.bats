#!/usr/bin/env bats
# The CSV side of the record stream: reading, grouping rows, writing, round trips.

setup() { load helpers/common; }

HEADER='type,order_id,channel,currency,lines.sku,lines.qty'

@test "a hand-written CSV: BOM, CRLF, quoted commas, quotes and newlines, no type column" {
	run -0 --separate-stderr oms-import "$FIX/csv/hand.csv"
	assert_output "$(cat "$FIX/csv/hand.expected")"
	assert_line --index 1 --partial '"line1":"Bâtiment B\r\n3 rue de la Paix"'
	assert_line --index 2 --partial '"line1":"22 \"Oak\" Lane"'
}

@test "CSV to NDJSON to CSV and back is lossless, unknown keys included" {
	oms-import -o csv "$FIX/csv/hand.csv" > "$BATS_TEST_TMPDIR/a.csv"
	oms-import "$BATS_TEST_TMPDIR/a.csv" > "$BATS_TEST_TMPDIR/b.ndjson"
	run -0 diff "$FIX/csv/hand.expected" "$BATS_TEST_TMPDIR/b.ndjson"
	oms-import -o csv "$BATS_TEST_TMPDIR/b.ndjson" > "$BATS_TEST_TMPDIR/c.csv"
	run -0 cmp "$BATS_TEST_TMPDIR/a.csv" "$BATS_TEST_TMPDIR/c.csv"
	grep -v tracking "$FIX/import/orders.expected" > "$BATS_TEST_TMPDIR/o.ndjson"
	run -0 sh -c "oms-import -o csv '$BATS_TEST_TMPDIR/o.ndjson' | oms-import -i csv"
	assert_output "$(cat "$BATS_TEST_TMPDIR/o.ndjson")"
}

@test "the CSV header is the full column set, one row per line, LF line ends" {
	run -0 sh -c "oms-import -o csv '$FIX/csv/hand.csv' | head -1"
	assert_output "type,order_id,channel,source,channel_order_id,global_id,status,customer.id,customer.email,customer.name,customer.company,placed_at,ship_by,start_ship,cancel_after,priority,ship_complete,service,ship_to.name,ship_to.company,ship_to.line1,ship_to.line2,ship_to.city,ship_to.region,ship_to.postal_code,ship_to.country,ship_to.phone,currency,payment.status,payment.terms,totals.subtotal,totals.discount,totals.shipping,totals.tax,totals.total,allocation.status,allocation.reason,allocation.tracked,allocation.trace,lines.line_id,lines.sku,lines.title,lines.style,lines.color,lines.size,lines.upc,lines.qty,lines.unit_price,lines.discount,lines.tax,lines.preorder,lines.requires_shipping,lines.cancelled,lines.case_pack,lines.distribution,lines.allocated,lines.backordered,lines.case_remainder,lines.shipped,lines.returned,lines.extra,extra"
	run -0 sh -c "oms-import -o csv '$FIX/csv/hand.csv' | grep -c '^order,shopify:'"
	assert_output 4
	run -0 sh -c "oms-import -o csv '$FIX/csv/hand.csv' | tr -cd '\r' | wc -c"
	assert_output 1	# only the CR inside the quoted address
}

@test "JSON-valued and unknown fields survive CSV: allocated, extra, lines.extra" {
	rec='{"type":"order","order_id":"A","channel":"dtc","lines":[{"line_id":"1","sku":"S","qty":2,"allocated":[{"location":"WH1","qty":2}],"gift":"yes"}],"customer":{"id":"c1","tier":"gold"},"note":"leave at door"}'
	run -0 sh -c "printf '%s\n' '$rec' | oms-import -o csv | oms-import -i csv"
	assert_output '{"type":"order","order_id":"A","channel":"dtc","status":"open","customer":{"id":"c1","tier":"gold"},"lines":[{"line_id":"1","sku":"S","qty":2,"allocated":[{"location":"WH1","qty":2}],"gift":"yes"}],"note":"leave at door"}'
	run -0 sh -c "printf '%s\n' '$rec' | oms-import -o csv | tail -1"
	assert_output --partial ',"[{""location"":""WH1"",""qty"":2}]",,,,,"{""gift"":""yes""}","{""customer"":{""tier"":""gold""},""note"":""leave at door""}"'
}

@test "TSV in and out" {
	run -0 sh -c "oms-import -o tsv '$FIX/csv/hand.csv' > '$BATS_TEST_TMPDIR/x.tsv' && oms-import '$BATS_TEST_TMPDIR/x.tsv'"
	assert_output "$(cat "$FIX/csv/hand.expected")"
	run -0 sh -c "head -1 '$BATS_TEST_TMPDIR/x.tsv' | cut -f1-3"
	assert_output "$(printf 'type\torder_id\tchannel')"
}

@test "format detection: { means NDJSON whatever the name; -i forces" {
	cp "$FIX/import/orders.ndjson" "$BATS_TEST_TMPDIR/orders.csv"
	run -0 oms-import "$BATS_TEST_TMPDIR/orders.csv"
	assert_output "$(cat "$FIX/import/orders.expected")"
	run -2 --separate-stderr oms-import -i csv "$BATS_TEST_TMPDIR/orders.csv"
	assert_output ""
	assert_equal "$stderr" "oms-import: $BATS_TEST_TMPDIR/orders.csv:1: header malformed quoting (a quote inside an unquoted field, or text after a closing quote)"
}

@test "a bad cell rejects its whole order, with the line of the bad row" {
	f=$(printf '%s\n' "$HEADER" order,A,dtc,USD,S1,1 order,A,dtc,USD,S2,two order,A,dtc,USD,S3,1 order,B,dtc,USD,S1,1 | tmpfile bad.csv)
	run -1 --separate-stderr oms-import --rejects "$BATS_TEST_TMPDIR/rej" "$f"
	assert_output --partial '"order_id":"B"'
	assert_equal "${#lines[@]}" 1
	assert_equal "$stderr" "oms-import: $f:3: lines.qty \"two\" is not a whole number"
	run jq -c '[.line, .record]' "$BATS_TEST_TMPDIR/rej"
	assert_output '[3,"order,A,dtc,USD,S1,1\norder,A,dtc,USD,S2,two\norder,A,dtc,USD,S3,1\n"]'
}

@test "a later row that disagrees with the first row of its order rejects the order" {
	f=$(printf '%s\n' "$HEADER" order,A,dtc,USD,S1,1 order,A,dtc,EUR,S2,1 order,A,,,S3,1 | tmpfile conflict.csv)
	run -1 --separate-stderr oms-import --rejects /dev/null "$f"
	assert_output ""
	assert_equal "$stderr" "oms-import: $f:3: row at line 3 disagrees with the first row of its record on \"currency\""
	f=$(printf '%s\n' order_id,channel,customer.id,lines.sku,lines.qty A,dtc,c1,S1,1 A,dtc,c2,S2,1 | tmpfile nested.csv)
	run -1 --separate-stderr oms-import --rejects /dev/null "$f"
	assert_equal "$stderr" "oms-import: $f:3: row at line 3 disagrees with the first row of its record on \"customer.id\""
	# Empty cells on later rows are fine: they repeat nothing.
	f=$(printf '%s\n' "$HEADER" order,A,dtc,USD,S1,1 order,A,,,S2,1 | tmpfile blanks.csv)
	run -0 oms-import "$f"
	assert_output --partial '"lines":[{"line_id":"1","sku":"S1","qty":1},{"line_id":"2","sku":"S2","qty":1}]'
}

@test "rows with too many or too few fields are rejected with their order" {
	f=$(printf '%s\n' "$HEADER" order,A,dtc,USD,S1,1,extra order,B,dtc,USD,S1 order,C,dtc,USD,S1,1 | tmpfile count.csv)
	run -1 --separate-stderr oms-import --rejects /dev/null "$f"
	assert_output --partial '"order_id":"C"'
	assert_equal "${stderr_lines[0]}" "oms-import: $f:2: row has 7 fields, the header has 6"
	assert_equal "${stderr_lines[1]}" "oms-import: $f:3: row has 5 fields, the header has 6"
}

@test "an unterminated quote at end of file is rejected with the line it starts on" {
	f=$(printf '%s\n' "$HEADER" order,A,dtc,USD,S1,1 'order,B,dtc,USD,"S1,1' 'more text' | tmpfile quote.csv)
	run -1 --separate-stderr oms-import --rejects /dev/null "$f"
	assert_output --partial '"order_id":"A"'
	assert_equal "$stderr" "oms-import: $f:3: unterminated quoted field at end of input"
}

@test "malformed quoting rejects the whole order of that row; reading goes on" {
	f=$(printf '%s\n' "$HEADER" order,A,dtc,USD,S1,1 'order,A,dtc,USD,S"2,1' order,A,dtc,USD,S3,1 order,B,dtc,USD,S1,1 | tmpfile q.csv)
	run -1 --separate-stderr oms-import --rejects "$BATS_TEST_TMPDIR/rej" "$f"
	assert_equal "${#lines[@]}" 1
	assert_line --index 0 --partial '"order_id":"B"'
	assert_equal "$stderr" "oms-import: $f:3: malformed quoting (a quote inside an unquoted field, or text after a closing quote)"
	run jq -r .record "$BATS_TEST_TMPDIR/rej"
	assert_output "$(printf '%s\n' order,A,dtc,USD,S1,1 'order,A,dtc,USD,S"2,1' order,A,dtc,USD,S3,1)"
}

@test "invalid UTF-8 in a row rejects its order whole, even from the first row" {
	f=$(printf '%s\n' "$HEADER" order,A,dtc,USD,S1,1 $'order,B,dtc,USD,S\xff,1' order,B,dtc,USD,S2,1 order,C,dtc,USD,S1,1 | tmpfile utf.csv)
	run -1 --separate-stderr oms-import --rejects /dev/null "$f"
	assert_equal "${#lines[@]}" 2
	assert_line --index 0 --partial '"order_id":"A"'
	assert_line --index 1 --partial '"order_id":"C"'
	assert_equal "$stderr" "oms-import: $f:3: row is not valid UTF-8"
}

@test "a row without an order_id inside an order rejects that order whole, never half of it" {
	f=$(printf '%s\n' "$HEADER" order,A,dtc,USD,S1,1 $'order,,dtc,USD,S\xff,1' order,A,dtc,USD,S2,1 order,B,dtc,USD,S1,1 | tmpfile lost.csv)
	run -1 --separate-stderr oms-import --rejects "$BATS_TEST_TMPDIR/rej" "$f"
	assert_output --partial '"order_id":"B"'
	assert_equal "${#lines[@]}" 1
	assert_equal "$stderr" "oms-import: $f:3: row is not valid UTF-8"
	run jq -r .record "$BATS_TEST_TMPDIR/rej"
	assert_line --index 2 order,A,dtc,USD,S2,1
	f=$(printf '%s\n' "$HEADER" order,A,dtc,USD,S1,1 order,,,,S2,1 order,B,dtc,USD,S1,1 | tmpfile blank.csv)
	run -1 --separate-stderr oms-import --rejects /dev/null "$f"
	assert_equal "${#lines[@]}" 1
	assert_equal "$stderr" "oms-import: $f:3: order_id is missing"
	# With no order open, such a row is a reject of its own.
	f=$(printf '%s\n' "$HEADER" order,,dtc,USD,S1,1 order,B,dtc,USD,S1,1 | tmpfile first.csv)
	run -1 --separate-stderr oms-import --rejects /dev/null "$f"
	assert_line --index 0 --partial '"order_id":"B"'
	assert_equal "$stderr" "oms-import: $f:2: order_id is missing"
}

@test "NUL bytes in CSV are rejected with their order" {
	f=$(printf '%s\n' "$HEADER" order,A,dtc,USD,S1,1 order,B,dtc,USD,SX,1 order,C,dtc,USD,S1,1 | tr 'X' '\0' | tmpfile nul.csv)
	run -1 --separate-stderr oms-import --rejects /dev/null "$f"
	assert_equal "${#lines[@]}" 2
	assert_equal "$stderr" "oms-import: $f:3: row contains a NUL byte"
}

@test "a duplicate column in the header is status 2 before anything is written" {
	f=$(printf '%s\n' 'order_id,channel,order_id' A,dtc,A | tmpfile dup.csv)
	run -2 --separate-stderr oms-import "$FIX/csv/hand.csv" "$f"
	assert_output ""
	assert_equal "$stderr" "oms-import: $f:1: column \"order_id\" appears twice in the header (columns 1 and 3)"
}

@test "a record type that cannot share the CSV output is rejected, not lost" {
	run -1 --separate-stderr oms-import -o csv --rejects /dev/null "$FIX/import/orders.ndjson"
	assert_equal "$stderr" "oms-import: $FIX/import/orders.ndjson:2: a CSV output holds one record type (order); this record is a tracking"
	assert_equal "$(printf '%s\n' "$output" | cut -d, -f2 | sort -u | tr '\n' ' ')" "amazon:113-4567890-1234567 edi850:NORDSTROM:4500012345 order_id shopify:1001 "
}

@test "rows of other record types group by their own keys" {
	f=$(printf '%s\n' 'type,order_id,tracking_number,lines.sku,lines.qty' tracking,A,1Z1,S1,1 tracking,A,1Z1,S2,2 tracking,A,1Z2,S3,1 | tmpfile trk.csv)
	run -0 oms-import "$f"
	assert_line --index 0 '{"type":"tracking","order_id":"A","tracking_number":"1Z1","lines":[{"sku":"S1","qty":1},{"sku":"S2","qty":2}]}'
	assert_line --index 1 '{"type":"tracking","order_id":"A","tracking_number":"1Z2","lines":[{"sku":"S3","qty":1}]}'
}

@test "the extra column holds only keys without a column of their own, never the type" {
	f=$(printf '%s\n' 'type,order_id,channel,lines.sku,lines.qty,extra' \
		'order,A,dtc,S,1,"{""type"":""adjustment""}"' \
		'order,B,dtc,S,1,"{""channel"":""b2b""}"' \
		'order,C,dtc,S,1,"{""customer"":{""email"":""x@y.z""}}"' \
		'order,D,dtc,S,1,"{""customer"":{""tier"":""gold""},""note"":""hi""}"' | tmpfile extra.csv)
	run -1 --separate-stderr oms-import --rejects /dev/null "$f"
	assert_output '{"type":"order","order_id":"D","channel":"dtc","status":"open","customer":{"tier":"gold"},"lines":[{"line_id":"1","sku":"S","qty":1}],"note":"hi"}'
	assert_equal "${stderr_lines[0]}" "oms-import: $f:2: extra sets \"type\", which has a column of its own"
	assert_equal "${stderr_lines[1]}" "oms-import: $f:3: extra sets \"channel\", which has a column of its own"
	assert_equal "${stderr_lines[2]}" "oms-import: $f:4: extra sets \"customer.email\", which has a column of its own"
}

@test "a record interrupted by a bad row of another starts afresh with all its values (fuzz find)" {
	f=$(printf '%s\n' order_id,channel,lines.sku,lines.qty A,dtc,S1,1 r,dtc,S2 B,dtc,S3,1 | tmpfile stale.csv)
	run -1 --separate-stderr oms-import --rejects /dev/null "$f"
	assert_line --index 0 '{"type":"order","order_id":"A","channel":"dtc","status":"open","lines":[{"line_id":"1","sku":"S1","qty":1}]}'
	assert_line --index 1 '{"type":"order","order_id":"B","channel":"dtc","status":"open","lines":[{"line_id":"1","sku":"S3","qty":1}]}'
	assert_equal "$stderr" "oms-import: $f:3: row has 3 fields, the header has 4"
	# A again after the bad row is a second part of A: neither part passes as A.
	f=$(printf '%s\n' order_id,channel,lines.sku,lines.qty A,dtc,S1,1 r,dtc,S2 A,dtc,S3,1 | tmpfile stale.csv)
	run -1 --separate-stderr oms-import --rejects /dev/null "$f"
	assert_output ''
	assert_equal "${stderr_lines[2]}" "oms-import: $f:4: \"A\" has rows here and at line 2, with other records between: neither part is whole, both are rejected (sort the rows by it)"
}

@test "a key cell of white space is no key, and ' A ' groups with 'A' (fuzz find)" {
	f=$(printf 'order_id,channel,lines.sku,lines.qty\n"\n",dtc,S,1\nA,dtc,S1,1\n" A ",dtc,S2,1\n' | tmpfile blank.csv)
	run -1 --separate-stderr oms-import --rejects /dev/null "$f"
	assert_output '{"type":"order","order_id":"A","channel":"dtc","status":"open","lines":[{"line_id":"1","sku":"S1","qty":1},{"line_id":"2","sku":"S2","qty":1}]}'
	assert_equal "$stderr" "oms-import: $f:2: order_id is missing"
}
