#!/usr/bin/env bats
# oms-import with reference files: --catalog, --rules (ship_by), and one record per order.

setup() { load helpers/common; R="$FIX/refs"; }

ONE_LINE='[{"sku":"TEE-CREW-BLK-M","qty":1}]'
order() { # ID [FIELDS [LINES]]
	jq -nc --arg id "$1" --argjson f "{${2:-}}" --argjson lines "${3:-$ONE_LINE}" \
		'{type:"order",order_id:$id,channel:"dtc"} + $f + {lines:$lines}'
}

@test "--catalog: a UPC becomes its SKU; style, color, size, and for wholesale the case pack, are filled" {
	run -0 --separate-stderr oms-import --catalog "$R/catalog.csv" <<< "$(order A '"channel":"wholesale"' '[{"upc":"0012345678929","qty":6},{"sku":"TEE-CREW-BLK-S","qty":1,"color":"Noir"}]')"
	assert_output '{"type":"order","order_id":"A","channel":"wholesale","status":"open","lines":[{"line_id":"1","sku":"HOOD-ZIP-GRY-L","style":"HOOD-ZIP","color":"Heather Grey","size":"L","upc":"0012345678929","qty":6,"case_pack":6},{"line_id":"2","sku":"TEE-CREW-BLK-S","style":"TEE-CREW","color":"Noir","size":"S","upc":"012345678905","qty":1,"case_pack":12}]}'
	# 1 tee in cases of 12: kept, and said (its case remainder is never allocated).
	assert_equal "$stderr" "oms-import: stdin:1: order A line 2: 1 of TEE-CREW-BLK-S is not whole cases of 12: case remainder 1, never allocated"
	# A web shopper buys single units: no case pack on a DTC line.
	run -0 oms-import --catalog "$R/catalog.csv" <<< "$(order B '' '[{"upc":"012345678929","qty":1}]')"
	assert_output '{"type":"order","order_id":"B","channel":"dtc","status":"open","lines":[{"line_id":"1","sku":"HOOD-ZIP-GRY-L","style":"HOOD-ZIP","color":"Heather Grey","size":"L","upc":"012345678929","qty":1}]}'
}

@test "--catalog: an unknown UPC or SKU rejects the order; --unknown-sku keep keeps a known-SKU-less line" {
	run -1 --separate-stderr oms-import --rejects /dev/null --catalog "$R/catalog.csv" <<< "$(order A '' '[{"upc":"999999999999","qty":1}]')"
	assert_equal "$stderr" 'oms-import: stdin:1: lines[1].upc "999999999999" is not in the catalog'
	run -1 --separate-stderr oms-import --rejects /dev/null --catalog "$R/catalog.csv" <<< "$(order A '' '[{"sku":"TEE-CREW-PNK-M","qty":1}]')"
	assert_equal "$stderr" 'oms-import: stdin:1: lines[1].sku "TEE-CREW-PNK-M" is not in the catalog'
	run -0 --separate-stderr oms-import --stats --unknown-sku keep --catalog "$R/catalog.csv" <<< "$(order A '' '[{"sku":"TEE-CREW-PNK-M","qty":1}]')"
	assert_output --partial '"sku":"TEE-CREW-PNK-M","qty":1'
	assert_equal "${stderr_lines[0]}" 'oms-import: stdin:1: lines[1].sku "TEE-CREW-PNK-M" is not in the catalog (kept)'
	assert_equal "${stderr_lines[1]}" 'oms-import: stats: in=1 passed=0 out=1 rejected=0 consumed=0 created=0 orders=1 lines=1 units=1 merged=0 unknown_sku_kept=1'
	run -1 --separate-stderr oms-import --rejects /dev/null --unknown-sku keep --catalog "$R/catalog.csv" <<< "$(order A '' '[{"upc":"999999999999","qty":1}]')"
	assert_equal "$stderr" 'oms-import: stdin:1: lines[1].upc "999999999999" is not in the catalog'
	run -2 --separate-stderr oms-import --unknown-sku maybe /dev/null
	assert_equal "$stderr" 'oms-import: --unknown-sku: "maybe" is not keep or reject'
}

@test "an unusable catalog stops the run with status 2 before anything is written" {
	bad() { printf '%s\n' "$@" | tmpfile cat.csv; }
	run -2 --separate-stderr oms-import --catalog "$(bad upc,style 1,T)" "$FIX/import/orders.ndjson"
	assert_output ""
	assert_equal "$stderr" "oms-import: $BATS_TEST_TMPDIR/cat.csv:1: the header has no column \"sku\""
	run -2 --separate-stderr oms-import --catalog "$(bad sku,upc A,1 B,2 A,3)" /dev/null
	assert_equal "$stderr" "oms-import: $BATS_TEST_TMPDIR/cat.csv:4: sku \"A\" appears twice"
	run -2 --separate-stderr oms-import --catalog "$(bad sku,case_pack A,six)" /dev/null
	assert_equal "$stderr" "oms-import: $BATS_TEST_TMPDIR/cat.csv:2: case_pack \"six\" is not a positive whole number"
	run -2 --separate-stderr oms-import --catalog "$(bad sku,upc A,1 B)" /dev/null
	assert_equal "$stderr" "oms-import: $BATS_TEST_TMPDIR/cat.csv:3: row has 1 fields, the header has 2"
	run -2 --separate-stderr oms-import --catalog "$BATS_TEST_TMPDIR/none.csv" /dev/null
	assert_equal "$stderr" "oms-import: $BATS_TEST_TMPDIR/none.csv: No such file or directory"
}

@test "--rules: ship_by in business days after the order, with a cut-off, weekends and holidays" {
	{
		order fri-late '"placed_at":"2026-11-20T20:00:00Z"'        # Fri 15:00 NY, after 14:00
		order wed-early '"placed_at":"2026-11-25T15:00:00Z"'       # Wed 10:00 NY; Thu is a holiday
		order sat '"placed_at":"2026-11-21T15:00:00Z"'             # Saturday
		order nd-morning '"placed_at":"2026-11-23T15:00:00Z","service":"next_day"'
		order nd-late '"placed_at":"2026-11-23T18:00:00Z","service":"next_day"'
		order given '"placed_at":"2026-11-20T20:00:00Z","ship_by":"2026-12-01"'
		order ws '"channel":"wholesale","placed_at":"2026-11-20T23:30:00Z"'  # UTC: no cut-off
		order mkt '"channel":"marketplace","placed_at":"2026-11-20T20:00:00Z"' # no rule
		order window '"channel":"wholesale","placed_at":"2026-11-20T23:30:00Z","start_ship":"2027-02-01"' # its own promise
	} > "$BATS_TEST_TMPDIR/in.ndjson"
	run -0 sh -c "oms-import --rules '$FIX/refs/rules.json' '$BATS_TEST_TMPDIR/in.ndjson' | jq -r '.order_id + \" \" + (.ship_by // \"-\")'"
	assert_output "$(printf '%s\n' 'fri-late 2026-11-25' 'wed-early 2026-11-30' 'sat 2026-11-25' \
		'nd-morning 2026-11-23' 'nd-late 2026-11-24' 'given 2026-12-01' 'ws 2026-11-30' 'mkt -' 'window -')"
}

@test "an unusable rules file stops the run with status 2" {
	bad() { printf '%s' "$1" | tmpfile rules.json; }
	run -2 --separate-stderr oms-import --rules "$(bad '{"imports":{}}')" /dev/null
	assert_equal "$stderr" "oms-import: $BATS_TEST_TMPDIR/rules.json: unknown section \"imports\""
	run -2 --separate-stderr oms-import --rules "$(bad '{"import":{"shipby":[]}}')" /dev/null
	assert_equal "$stderr" "oms-import: import: unknown key \"shipby\" in $BATS_TEST_TMPDIR/rules.json"
	run -2 --separate-stderr oms-import --rules "$(bad '{"import":{"ship_by":[{"business_days":1,"cutoff":"2pm"}]}}')" /dev/null
	assert_equal "$stderr" "oms-import: ship_by[0].cutoff \"2pm\" is not a time of day (HH:MM) in $BATS_TEST_TMPDIR/rules.json"
	run -2 --separate-stderr oms-import --rules "$(bad '{"import":{"ship_by":[{"business_days":1,"timezone":"Mars/Base"}]}}')" /dev/null
	assert_equal "$stderr" "oms-import: ship_by[0].timezone \"Mars/Base\" is not a known time zone in $BATS_TEST_TMPDIR/rules.json"
	run -2 --separate-stderr oms-import --rules "$(bad '{"import":{"holidays":["25/12"]}}')" /dev/null
	assert_equal "$stderr" "oms-import: holidays[1] is not a date (YYYY-MM-DD) in $BATS_TEST_TMPDIR/rules.json"
}

@test "import.case_pack_channels: only the channels named take the catalog's case pack, and oms-allocate rounds only those" {
	tee='[{"sku":"TEE-CREW-BLK-S","qty":1}]'
	b2b=$(printf '%s' '{"import":{"case_pack_channels":["b2b"]}}' | tmpfile b2b.json)
	# Named: a B2B line takes the catalog's case pack of 12.
	run -0 --separate-stderr oms-import --rules "$b2b" --catalog "$R/catalog.csv" <<< "$(order B '"channel":"b2b"' "$tee")"
	assert_output --partial '"qty":1,"case_pack":12}'
	# Not named: a wholesale line does not (without the rules it would, as above).
	run -0 --separate-stderr oms-import --rules "$b2b" --catalog "$R/catalog.csv" <<< "$(order W '"channel":"wholesale"' "$tee")"
	refute_output --partial 'case_pack'
	# An empty list: no channel buys in cases.
	none=$(printf '%s' '{"import":{"case_pack_channels":[]}}' | tmpfile none.json)
	run -0 --separate-stderr oms-import --rules "$none" --catalog "$R/catalog.csv" <<< "$(order B '"channel":"b2b"' "$tee")"
	refute_output --partial 'case_pack'
	# Through oms-allocate: 12 wanted, a case of 6, 10 on hand. With the case
	# pack the line gets one case (6); without it, 10 units.
	printf '%s\n' sku,upc,style,color,size,size_index,case_pack TEE-M,,TEE,Black,M,3,6 > "$BATS_TEST_TMPDIR/cat.csv"
	printf '%s\n' location,sku,on_hand EWR,TEE-M,10 > "$BATS_TEST_TMPDIR/inv.csv"
	W=$(order W '"channel":"wholesale","status":"open"' '[{"line_id":"1","sku":"TEE-M","qty":12}]')
	allocated() {
		oms-import "$@" --catalog "$BATS_TEST_TMPDIR/cat.csv" <<< "$W" |
			oms-allocate --locations "$FIX/allocate/locations.csv" --inventory "$BATS_TEST_TMPDIR/inv.csv" |
			jq -r '.lines[0] | "\(.allocated[0].qty)/\(.backordered)"'
	}
	run -0 allocated
	assert_output '6/6'
	run -0 allocated --rules "$b2b"
	assert_output '10/2'
}

@test "import.case_pack_channels: anything but a list of order channels, each once, stops the run with status 2" {
	bad() { printf '%s' "$1" | tmpfile rules.json; }
	run -2 --separate-stderr oms-import --rules "$(bad '{"import":{"case_pack_channels":"b2b"}}')" /dev/null
	assert_output ""
	assert_equal "$stderr" "oms-import: $BATS_TEST_TMPDIR/rules.json: import.case_pack_channels is a list of order channels (dtc, marketplace, wholesale, b2b)"
	run -2 --separate-stderr oms-import --rules "$(bad '{"import":{"case_pack_channels":["b2b","retail"]}}')" /dev/null
	assert_equal "$stderr" "oms-import: $BATS_TEST_TMPDIR/rules.json: import.case_pack_channels[2] is not an order channel (dtc, marketplace, wholesale, b2b)"
	run -2 --separate-stderr oms-import --rules "$(bad '{"import":{"case_pack_channels":[null]}}')" /dev/null
	assert_equal "$stderr" "oms-import: $BATS_TEST_TMPDIR/rules.json: import.case_pack_channels[1] is not an order channel (dtc, marketplace, wholesale, b2b)"
	run -2 --separate-stderr oms-import --rules "$(bad '{"import":{"case_pack_channels":["b2b","b2b"]}}')" /dev/null
	assert_equal "$stderr" "oms-import: $BATS_TEST_TMPDIR/rules.json: import.case_pack_channels names \"b2b\" twice"
}

@test "--as-of: taken and checked, and nothing oms-import writes depends on it (ship_by counts from placed_at)" {
	{
		order dtc '"placed_at":"2026-11-20T15:00:00Z"'
		order past '"channel":"wholesale","placed_at":"2026-01-05T10:00:00Z","start_ship":"2026-01-10","cancel_after":"2026-01-20"'
		order future '"channel":"wholesale","placed_at":"2026-11-20T10:00:00Z","start_ship":"2027-02-01"'
	} > "$BATS_TEST_TMPDIR/in.ndjson"
	run -0 --separate-stderr oms-import --stats --rules "$FIX/refs/rules.json" "$BATS_TEST_TMPDIR/in.ndjson"
	today=$output today_err=$stderr
	assert_line --index 0 --partial '"ship_by":"2026-11-24"'
	for d in 2020-01-01 2026-11-26 2031-12-31; do
		run -0 --separate-stderr oms-import --stats --as-of "$d" --rules "$FIX/refs/rules.json" "$BATS_TEST_TMPDIR/in.ndjson"
		assert_equal "$output" "$today"
		assert_equal "$stderr" "$today_err"
	done
}

@test "one source of truth: an order seen twice comes out once, the later export winning, in its place" {
	order A '"service":"standard"' > "$BATS_TEST_TMPDIR/monday.ndjson"
	order B >> "$BATS_TEST_TMPDIR/monday.ndjson"
	order A '"service":"expedited"' > "$BATS_TEST_TMPDIR/tuesday.ndjson"
	order C >> "$BATS_TEST_TMPDIR/tuesday.ndjson"
	run -0 --separate-stderr oms-import --stats "$BATS_TEST_TMPDIR/monday.ndjson" "$BATS_TEST_TMPDIR/tuesday.ndjson"
	assert_equal "${#lines[@]}" 3
	assert_line --index 0 --partial '"order_id":"B"'
	assert_line --index 1 --partial '"order_id":"A","channel":"dtc","status":"open","service":"expedited"'
	assert_line --index 2 --partial '"order_id":"C"'
	assert_equal "$stderr" "oms-import: stats: in=4 passed=0 out=3 rejected=0 consumed=1 created=0 orders=4 lines=4 units=4 merged=1"
	# The same in CSV, and the output is already one record per order.
	run -0 sh -c "oms-import -o csv '$BATS_TEST_TMPDIR/monday.ndjson' '$BATS_TEST_TMPDIR/tuesday.ndjson' | oms-import | cut -c1-40"
	assert_equal "${#lines[@]}" 3
}

@test "one source of truth on generated data: re-importing overlapping exports keeps every order once" {
	gen -n 3000 -s 5 > "$BATS_TEST_TMPDIR/all.ndjson"
	head -2000 "$BATS_TEST_TMPDIR/all.ndjson" > "$BATS_TEST_TMPDIR/a"
	tail -n +1001 "$BATS_TEST_TMPDIR/all.ndjson" > "$BATS_TEST_TMPDIR/b"
	run -0 --separate-stderr oms-import --stats "$BATS_TEST_TMPDIR/a" "$BATS_TEST_TMPDIR/b"
	assert_equal "${stderr}" "oms-import: stats: in=4000 passed=0 out=3000 rejected=0 consumed=1000 created=0 orders=4000 lines=$(( $(jq '.lines|length' "$BATS_TEST_TMPDIR/a" "$BATS_TEST_TMPDIR/b" | paste -sd+ | bc) )) units=$(jq '[.lines[].qty]|add' "$BATS_TEST_TMPDIR/a" "$BATS_TEST_TMPDIR/b" | paste -sd+ | bc) merged=1000"
	# Every order once: the first 1000 in their place, then the 2000 of b.
	printf '%s\n' "$output" > "$BATS_TEST_TMPDIR/out"
	run -0 cmp "$BATS_TEST_TMPDIR/out" "$BATS_TEST_TMPDIR/all.ndjson"
}

@test "rules: a source's zone reads its wall-clock times; bad zones and currencies stop the run (2)" {
	r=$(printf '%s' '{"import":{"timezone":{"oms":"Asia/Tokyo"}}}' | tmpfile zone.json)
	run -0 sh -c "oms-import --rules '$r' | jq -r .placed_at" <<< "$(order A '"source":"oms","placed_at":"2026-11-20 09:00:00"')"
	assert_output "2026-11-20T00:00:00Z"
	r=$(printf '%s' '{"import":{"timezone":{"woocommerce":"Mars/Base"}}}' | tmpfile bad.json)
	run -2 --separate-stderr oms-import --rules "$r" /dev/null
	assert_equal "$stderr" "oms-import: $r: import.timezone.woocommerce is not a known time zone"
	r=$(printf '%s' '{"import":{"currency":{"woocommerce":"dollars"}}}' | tmpfile bad2.json)
	run -2 --separate-stderr oms-import --rules "$r" /dev/null
	assert_equal "$stderr" "oms-import: $r: import.currency.woocommerce is not a known ISO 4217 currency"
}

@test "the spool goes to TMPDIR, and a TMPDIR that cannot be written is status 2" {
	run -2 --separate-stderr env TMPDIR="$BATS_TEST_TMPDIR/none" oms-import /dev/null
	assert_equal "$stderr" "oms-import: cannot create a temporary file in $BATS_TEST_TMPDIR/none: No such file or directory"
	run -0 env TMPDIR="$BATS_TEST_TMPDIR" oms-import "$FIX/import/orders.ndjson"
}

@test "rows of one order apart in a CSV: both parts rejected with their lines, never one part passed as the order" {
	csv=$(tmpfile split.csv <<-'CSV'
		type,order_id,channel,placed_at,currency,lines.line_id,lines.sku,lines.qty
		order,A1,dtc,2026-11-01T10:00:00Z,USD,1,TEE-M,1
		order,B2,dtc,2026-11-01T10:00:00Z,USD,1,TEE-L,2
		order,A1,dtc,2026-11-01T10:00:00Z,USD,2,TEE-S,1
		order,C3,dtc,2026-11-01T10:00:00Z,USD,1,TEE-S,1
		order,A1,dtc,2026-11-01T10:00:00Z,USD,3,TEE-XL,1
	CSV
	)
	run -1 --separate-stderr oms-import --stats --rejects "$BATS_TEST_TMPDIR/rej" "$csv"
	assert_equal "${#lines[@]}" 2
	assert_line --index 0 --partial '"order_id":"B2"'
	assert_line --index 1 --partial '"order_id":"C3"'
	assert_equal "${stderr_lines[3]}" "oms-import: stats: in=5 passed=0 out=2 rejected=3 consumed=0 created=0 orders=5 lines=5 units=6 merged=0"
	run -0 jq -r '"\(.line) \(.reason)"' "$BATS_TEST_TMPDIR/rej"
	# Rejected once the whole input is read, in the order of the parts.
	assert_line --index 0 '2 "A1" has rows here and at line 4, with other records between: neither part is whole, both are rejected (sort the rows by it)'
	assert_line --index 1 '4 "A1" has rows here and at line 2, with other records between: neither part is whole, both are rejected (sort the rows by it)'
	assert_line --index 2 '6 "A1" has rows here and at line 4, with other records between: neither part is whole, both are rejected (sort the rows by it)'
	# Each part's reject carries the record as it was imported.
	run -0 jq -r 'select(.line == 2) | .record | fromjson | .lines[0].sku' "$BATS_TEST_TMPDIR/rej"
	assert_output "TEE-M"
	# A later export of the order is whole: it wins, and nothing was consumed.
	order A1 > "$BATS_TEST_TMPDIR/later.ndjson"
	run -1 --separate-stderr oms-import --stats --rejects /dev/null "$csv" "$BATS_TEST_TMPDIR/later.ndjson"
	assert_equal "${#lines[@]}" 3
	assert_line --index 2 --partial '"order_id":"A1"'
	assert_equal "${stderr_lines[3]}" "oms-import: stats: in=6 passed=0 out=3 rejected=3 consumed=0 created=0 orders=6 lines=6 units=7 merged=0"
}

@test "--strict: parts of a split record stop the run and are named; a reject as the input is read stops it before they are settled" {
	csv=$(tmpfile split-strict.csv <<-'CSV'
		type,order_id,channel,placed_at,currency,lines.line_id,lines.sku,lines.qty
		order,A1,dtc,2026-11-01T10:00:00Z,USD,1,TEE-M,1
		order,B2,dtc,2026-11-01T10:00:00Z,USD,1,TEE-L,2
		order,A1,dtc,2026-11-01T10:00:00Z,USD,2,TEE-S,1
	CSV
	)
	# The parts are found when the input ends: both are named, nothing is written.
	run -1 --separate-stderr oms-import --strict --rejects "$BATS_TEST_TMPDIR/rej" "$csv"
	assert_output ''
	run -0 jq -r '.line' "$BATS_TEST_TMPDIR/rej"
	assert_output $'2\n4'
	# A reject as the input is read stops the run there: the parts read
	# before it are not settled, so the first reject is the only one.
	bad=$(tmpfile split-strict-bad.csv <<-'CSV'
		type,order_id,channel,placed_at,currency,lines.line_id,lines.sku,lines.qty
		order,A1,dtc,2026-11-01T10:00:00Z,USD,1,TEE-M,1
		order,B2,dtc,2026-11-01T10:00:00Z,USD,1,TEE-L,2
		order,A1,dtc,2026-11-01T10:00:00Z,USD,2,TEE-S,1
		order,Z9,dtc,2026-11-01T10:00:00Z,USD,1,TEE-M,0
	CSV
	)
	run -1 --separate-stderr oms-import --strict --stats --rejects "$BATS_TEST_TMPDIR/rej" "$bad"
	assert_output ''
	# --stats counts what was written: nothing, as the run stopped.
	assert_equal "${stderr_lines[1]}" "oms-import: stats: in=4 passed=0 out=0 rejected=1 consumed=0 created=0 orders=3 lines=3 units=4 merged=0"
	run -0 jq -r '.line' "$BATS_TEST_TMPDIR/rej"
	assert_output '5'
}

@test "an order twice in one NDJSON file is an update, not a split: the later line wins" {
	{ order A '"service":"standard"'; order B; order A '"service":"expedited"'; } > "$BATS_TEST_TMPDIR/in.ndjson"
	run -0 --separate-stderr oms-import --stats "$BATS_TEST_TMPDIR/in.ndjson"
	assert_equal "${#lines[@]}" 2
	assert_line --index 1 --partial '"service":"expedited"'
	assert_equal "$stderr" "oms-import: stats: in=3 passed=0 out=2 rejected=0 consumed=1 created=0 orders=3 lines=3 units=3 merged=1"
}

@test "split rows on generated data: moving one row of an order away rejects exactly that order" {
	gen -n 400 -s 11 | oms-import -o csv > "$BATS_TEST_TMPDIR/all.csv"
	# The first order with two or more rows: move its second row to the end.
	id=$(awk -F, 'NR > 1 { n[$2]++; if (n[$2] == 2) { print $2; exit } }' "$BATS_TEST_TMPDIR/all.csv")
	[ -n "$id" ]
	at=$(awk -F, -v id="$id" '$2 == id { c++; if (c == 2) { print NR; exit } }' "$BATS_TEST_TMPDIR/all.csv")
	{ sed "${at}d" "$BATS_TEST_TMPDIR/all.csv"; sed -n "${at}p" "$BATS_TEST_TMPDIR/all.csv"; } > "$BATS_TEST_TMPDIR/moved.csv"
	run -1 --separate-stderr oms-import --rejects "$BATS_TEST_TMPDIR/rej" "$BATS_TEST_TMPDIR/moved.csv"
	oms-import "$BATS_TEST_TMPDIR/all.csv" | jq -c --arg id "$id" 'select(.order_id != $id)' > "$BATS_TEST_TMPDIR/want"
	printf '%s\n' "$output" > "$BATS_TEST_TMPDIR/got"
	run -0 cmp "$BATS_TEST_TMPDIR/got" "$BATS_TEST_TMPDIR/want"
	run -0 jq -r .reason "$BATS_TEST_TMPDIR/rej"
	assert_equal "${#lines[@]}" 2
	assert_line --index 0 --partial "\"$id\" has rows here"
}

@test "CSV files joined with cat: a row that repeats the header starts the next file, whose orders win as a later export" {
	head='type,order_id,channel,placed_at,currency,lines.line_id,lines.sku,lines.qty'
	printf '%s\n' "$head" 'order,A1,dtc,2026-11-01T10:00:00Z,USD,1,TEE-M,1' 'order,B2,dtc,2026-11-01T10:00:00Z,USD,1,TEE-L,2' > "$BATS_TEST_TMPDIR/mon.csv"
	# The second file from a spreadsheet: a BOM, and CRLF line ends.
	{ printf '\357\273\277'; printf '%s\r\n' "$head" 'order,A1,dtc,2026-11-01T10:00:00Z,USD,1,TEE-M,3' 'order,C3,dtc,2026-11-01T10:00:00Z,USD,1,TEE-S,1'; } > "$BATS_TEST_TMPDIR/tue.csv"
	run -0 --separate-stderr sh -c "cat '$BATS_TEST_TMPDIR/mon.csv' '$BATS_TEST_TMPDIR/tue.csv' | oms-import --stats"
	assert_equal "${#lines[@]}" 3
	assert_line --index 0 --partial '"order_id":"B2"'
	assert_line --index 1 --partial '"order_id":"A1","channel":"dtc","status":"open","placed_at":"2026-11-01T10:00:00Z","currency":"USD","lines":[{"line_id":"1","sku":"TEE-M","qty":3}]'
	assert_line --index 2 --partial '"order_id":"C3"'
	assert_equal "$stderr" "oms-import: stats: in=4 passed=0 out=3 rejected=0 consumed=1 created=0 orders=4 lines=4 units=7 merged=1"
	# Two Shopify exports joined the same way read as two exports.
	run -0 --separate-stderr sh -c "cat '$FIX/shopify/orders_export.csv' '$FIX/shopify/orders_export.csv' | oms-import --stats"
	assert_equal "$stderr" "oms-import: stats: in=8 passed=0 out=4 rejected=0 consumed=4 created=0 orders=8 lines=14 units=20 merged=4"
}

@test "one source of truth past memory: 140,000 keyed records (three sorted runs) keep every order once" {
	gen -n 100000 -s 7 > "$BATS_TEST_TMPDIR/all.ndjson"
	head -70000 "$BATS_TEST_TMPDIR/all.ndjson" > "$BATS_TEST_TMPDIR/a"
	tail -n +30001 "$BATS_TEST_TMPDIR/all.ndjson" > "$BATS_TEST_TMPDIR/b"
	oms-import --stats -O "$BATS_TEST_TMPDIR/out" "$BATS_TEST_TMPDIR/a" "$BATS_TEST_TMPDIR/b" 2> "$BATS_TEST_TMPDIR/err"
	run -0 cut -d' ' -f1-8,12 "$BATS_TEST_TMPDIR/err"
	assert_output "oms-import: stats: in=140000 passed=0 out=100000 rejected=0 consumed=40000 created=0 merged=40000"
	run -0 cmp "$BATS_TEST_TMPDIR/out" "$BATS_TEST_TMPDIR/all.ndjson"
}
