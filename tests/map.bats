#!/usr/bin/env bats
# oms-import --map: any CSV export onto order records through a JSON column map.

setup() { load helpers/common; }

M="$BATS_TEST_DIRNAME/fixtures/map"

@test "a JOOR-style export: rows grouped by PO, constants, prefix, dates and local times to UTC" {
	run -0 --separate-stderr oms-import --stats --map "$M/joor.json" "$M/joor.csv"
	assert_output "$(cat "$M/joor.expected")"
	assert_equal "$stderr" "oms-import: stats: in=2 passed=0 out=2 rejected=0 consumed=0 created=0 orders=2 lines=3 units=30 merged=0"
}

@test "the mapped orders round-trip through the canonical CSV" {
	run -0 sh -c "oms-import --map '$M/joor.json' '$M/joor.csv' | oms-import -o csv | oms-import"
	assert_output "$(cat "$M/joor.expected")"
}

map_with() { # a minimal map with a timestamp format, in the given zone
	jq -n --arg tz "$1" '{timezone:$tz,timestamp_format:"%m/%d/%Y %H:%M",
		fields:{order_id:"PO",channel:{value:"dtc"},placed_at:"When","lines.sku":"SKU","lines.qty":"Units"}}' |
		tmpfile map.json
}

@test "DST: a repeated hour is its first occurrence, a skipped hour lands after the gap" {
	m=$(map_with America/New_York)
	f=$(printf '%s\n' PO,When,SKU,Units 'A,11/01/2026 01:30,S,1' 'B,11/01/2026 02:00,S,1' \
		'C,03/08/2026 02:30,S,1' 'D,03/08/2026 01:59,S,1' 'E,07/04/2026 12:00,S,1' | tmpfile dst.csv)
	run -0 sh -c "oms-import --map '$m' '$f' | jq -r '.order_id + \" \" + .placed_at'"
	assert_output "$(printf '%s\n' 'A 2026-11-01T05:30:00Z' 'B 2026-11-01T07:00:00Z' \
		'C 2026-03-08T07:30:00Z' 'D 2026-03-08T06:59:00Z' 'E 2026-07-04T16:00:00Z')"
}

@test "the same wall time in another zone; the answer does not depend on row order" {
	m=$(map_with Asia/Kolkata)
	f=$(printf '%s\n' PO,When,SKU,Units 'A,11/20/2026 09:00,S,1' | tmpfile in.csv)
	run -0 sh -c "oms-import --map '$m' '$f' | jq -r .placed_at"
	assert_output "2026-11-20T03:30:00Z"
	m=$(map_with America/New_York)
	f=$(printf '%s\n' PO,When,SKU,Units 'X,07/04/2026 12:00,S,1' 'A,11/01/2026 01:30,S,1' | tmpfile in2.csv)
	run -0 sh -c "oms-import --map '$m' '$f' | jq -r .placed_at | tail -1"
	assert_output "2026-11-01T05:30:00Z"
}

@test "a value that does not match the map's date format rejects its order" {
	m=$(map_with America/New_York)
	f=$(printf '%s\n' PO,When,SKU,Units 'A,2026-11-20 10:00,S,1' 'B,11/20/2026 10:00,S,1' | tmpfile in.csv)
	run -1 --separate-stderr oms-import --rejects /dev/null --map "$m" "$f"
	assert_output --partial '"order_id":"B"'
	assert_equal "$stderr" "oms-import: $f:2: placed_at \"2026-11-20 10:00\" does not match the format \"%m/%d/%Y %H:%M\""
}

@test "map errors stop before anything is read (2)" {
	bad() { printf '%s' "$1" | tmpfile bad.json; }
	run -2 --separate-stderr oms-import --map "$(bad '{"fields":{"order_id":"PO"},"colour":1}')" "$M/joor.csv"
	assert_equal "$stderr" "oms-import: --map: $BATS_TEST_TMPDIR/bad.json: unknown key \"colour\""
	run -2 --separate-stderr oms-import --map "$(bad '{"fields":{"order_id":"PO","lines.colour":"C"}}')" "$M/joor.csv"
	assert_equal "$stderr" "oms-import: --map: $BATS_TEST_TMPDIR/bad.json: \"lines.colour\" is not a field of an order record"
	run -2 --separate-stderr oms-import --map "$(bad '{"fields":{"channel":{"value":"dtc"}}}')" "$M/joor.csv"
	assert_equal "$stderr" "oms-import: --map: $BATS_TEST_TMPDIR/bad.json: the map must fill \"order_id\", which groups rows into records"
	run -2 --separate-stderr oms-import --map "$(bad '{"timezone":"Europe/Atlantis","fields":{"order_id":"PO"}}')" "$M/joor.csv"
	assert_equal "$stderr" "oms-import: --map: $BATS_TEST_TMPDIR/bad.json: unknown time zone \"Europe/Atlantis\""
	run -2 --separate-stderr oms-import --map "$(bad '{"fields":{"order_id":{"column":"PO","value":"x"}}}')" "$M/joor.csv"
	assert_equal "$stderr" "oms-import: --map: $BATS_TEST_TMPDIR/bad.json: field \"order_id\" needs one of \"column\" or \"value\""
	run -2 --separate-stderr oms-import --map "$(bad '{"fields":')" "$M/joor.csv"
	assert_equal "$stderr" "oms-import: --map: $BATS_TEST_TMPDIR/bad.json:1: unexpected token near end of file"
	run -2 --separate-stderr oms-import --map "$BATS_TEST_TMPDIR/none.json" "$M/joor.csv"
	assert_output ""
}

@test "a column the map names but the file lacks is status 2, naming both" {
	f=$(printf '%s\n' 'PO Number,SKU' 'P1,S' | tmpfile short.csv)
	run -2 --separate-stderr oms-import --map "$M/joor.json" "$f"
	assert_output ""
	assert_equal "$stderr" "oms-import: $f:1: column \"Account #\" (for customer.id in $M/joor.json) is not in the header"
}

@test "NDJSON inputs in a --map run are read as oms records" {
	run -0 oms-import --map "$M/joor.json" "$M/joor.csv" "$FIX/import/orders.ndjson"
	assert_equal "${#lines[@]}" 6
	assert_line --index 2 --partial '"order_id":"shopify:1001"'
}

@test "a JSON-valued field is parsed from its cell; format applies to dates only" {
	m=$(jq -n '{fields:{order_id:"PO",channel:{value:"wholesale"},"lines.sku":"SKU","lines.qty":"Units","lines.distribution":"SDQ"}}' | tmpfile m.json)
	f=$(printf '%s\n' PO,SKU,Units,SDQ 'P1,S,12,"[{""store"":""0042"",""qty"":12}]"' 'P2,S,1,[oops' | tmpfile sdq.csv)
	run -1 --separate-stderr oms-import --rejects /dev/null --map "$m" "$f"
	assert_output --partial '"lines":[{"line_id":"1","sku":"S","qty":12,"distribution":[{"store":"0042","qty":12}]}]'
	assert_equal "$stderr" "oms-import: $f:3: lines.distribution is not valid JSON: unexpected text at column 2"
	m=$(jq -n '{fields:{order_id:{column:"PO",format:"%Y"},channel:{value:"dtc"}}}' | tmpfile f.json)
	run -2 --separate-stderr oms-import --map "$m" "$f"
	assert_equal "$stderr" "oms-import: --map: $m: field \"order_id\" is not a date or timestamp; \"format\" does not apply"
}

@test "mapped tracking rows group by every key the map fills" {
	m=$(jq -n '{type:"tracking",fields:{order_id:"Order",tracking_number:"Tracking","lines.sku":"SKU","lines.qty":"Qty"}}' | tmpfile t.json)
	f=$(printf '%s\n' Order,Tracking,SKU,Qty A,1Z1,S1,1 A,1Z1,S2,1 A,1Z2,S3,1 | tmpfile t.csv)
	run -0 oms-import --map "$m" "$f"
	assert_equal "${#lines[@]}" 2
	assert_line --index 1 '{"type":"tracking","order_id":"A","tracking_number":"1Z2","lines":[{"sku":"S3","qty":1}]}'
}

@test "value tables: a Faire-like Order State becomes a status; service names become levels" {
	run -1 --separate-stderr oms-import --rejects "$BATS_TEST_TMPDIR/rej" --map "$M/faire.json" "$M/faire.csv"
	run -0 jq -r '[.order_id, .status, .service] | @tsv' <<< "$output"
	# " shipped " matches SHIPPED: case and white space around a cell aside.
	assert_output "$(printf '%s\t%s\t%s\n' faire:G4JWGQ7J94 open standard \
		faire:H7KP2M3X81 cancelled two_day faire:J9RT5N2W44 closed 'Faire Freight')"
	# A state the table does not know is passed as it is, and the status check rejects it.
	assert_equal "$(jq -c '[.file, .line, .reason]' "$BATS_TEST_TMPDIR/rej")" '["'"$M"'/faire.csv",6,"status \"pending_retailer_confirmation\" is not open, cancelled or closed"]'
}

@test "value tables: \"*\" gives any other cell its value; bad tables stop before reading (2)" {
	m=$(jq '.fields.status.values["*"] = "open"' "$M/faire.json" | tmpfile star.json)
	run -0 sh -c "oms-import --map '$m' '$M/faire.csv' | jq -r '.order_id + \" \" + .status'"
	assert_output "$(printf '%s\n' 'faire:G4JWGQ7J94 open' 'faire:H7KP2M3X81 cancelled' \
		'faire:J9RT5N2W44 closed' 'faire:K2LM8Q1Z07 open')"
	m=$(jq '.fields.status.values = ["NEW"]' "$M/faire.json" | tmpfile list.json)
	run -2 --separate-stderr oms-import --map "$m" "$M/faire.csv"
	assert_equal "$stderr" "oms-import: --map: $m: field \"status\": \"values\" must be an object of cells and the values they stand for"
	m=$(jq '.fields.status.values.NEW = 1' "$M/faire.json" | tmpfile num.json)
	run -2 --separate-stderr oms-import --map "$m" "$M/faire.csv"
	assert_equal "$stderr" "oms-import: --map: $m: field \"status\": the value for \"NEW\" must be text"
}

@test "a mapped service goes through import.services too" {
	r=$(printf '%s\n' '{"import":{"services":{"Faire Freight":"standard"}}}' | tmpfile rules.json)
	run -0 sh -c "oms-import --rejects /dev/null --rules '$r' --map '$M/faire.json' '$M/faire.csv' 2>/dev/null | jq -r .service"
	assert_output "$(printf '%s\n' standard two_day standard)"
}
