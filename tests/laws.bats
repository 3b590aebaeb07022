#!/usr/bin/env bats
# The laws of the record stream, checked on generated data (bench/gen):
# round trips, idempotence, determinism whatever the chunking, counts add up.

setup() {
	load helpers/common
	G="$BATS_TEST_TMPDIR"
	gen -n 2000 -s 42 > "$G/gen.ndjson"
}

@test "generated orders are already in normal form: importing them changes no byte" {
	run -0 sh -c "oms-import '$G/gen.ndjson' | cmp - '$G/gen.ndjson'"
}

@test "NDJSON to CSV to NDJSON is byte-identical" {
	oms-import -o csv "$G/gen.ndjson" > "$G/gen.csv"
	run -0 sh -c "oms-import '$G/gen.csv' | cmp - '$G/gen.ndjson'"
	[ "$(wc -l < "$G/gen.csv")" -gt 2001 ]	# several rows per order
}

@test "CSV to NDJSON to CSV is byte-identical, and TSV likewise" {
	oms-import -o csv "$G/gen.ndjson" > "$G/a.csv"
	run -0 sh -c "oms-import '$G/a.csv' | oms-import -o csv | cmp - '$G/a.csv'"
	oms-import -o tsv "$G/gen.ndjson" > "$G/a.tsv"
	run -0 sh -c "oms-import '$G/a.tsv' | oms-import -o tsv | cmp - '$G/a.tsv'"
}

@test "idempotent: a second import of the output changes nothing" {
	sed 's/"status":"open",//' "$G/gen.ndjson" > "$G/loose.ndjson"
	oms-import "$G/loose.ndjson" > "$G/once"
	run -0 sh -c "oms-import '$G/once' | cmp - '$G/once'"
}

@test "deterministic whatever the input's size: chunked runs give the same bytes as one run" {
	oms-import "$G/gen.ndjson" > "$G/whole"
	split -l 333 "$G/gen.ndjson" "$G/part."
	for p in "$G"/part.*; do oms-import "$p"; done > "$G/chunked"
	run -0 cmp "$G/whole" "$G/chunked"
	run -0 sh -c "cat '$G/gen.ndjson' | oms-import | cmp - '$G/whole'"
}

@test "money is exact: amounts written loosely come back to the cent" {
	# 24.50 -> 24.5, 10.00 -> 10: every money string loses its trailing zeros.
	sed -E 's/"([0-9]+)\.([0-9]*[1-9])0+"/"\1.\2"/g; s/"([0-9]+)\.0+"/"\1"/g' "$G/gen.ndjson" > "$G/loose.ndjson"
	run -0 sh -c "! cmp -s '$G/loose.ndjson' '$G/gen.ndjson'"
	run -0 sh -c "oms-import '$G/loose.ndjson' | cmp - '$G/gen.ndjson'"
}

@test "timestamps are exact: the same instants written with offsets come back in UTC" {
	# 2026-11-20T14:03:00Z -> 2026-11-20T14:03:00+00:00 and, for one hour, -01:00.
	sed -E 's/"placed_at":"([0-9-]+)T([0-9]{2}):([0-9]{2}:[0-9]{2})Z"/"placed_at":"\1T\2:\3+00:00"/' "$G/gen.ndjson" > "$G/off.ndjson"
	run -0 sh -c "oms-import '$G/off.ndjson' | cmp - '$G/gen.ndjson'"
}

@test "every record is written or rejected: counts add up and match the generator's" {
	gen -n 3000 -s 7 --bad 7 > "$G/bad.ndjson" 2> "$G/gen.err"
	bad=$(sed -E 's/.* ([0-9]+) bad$/\1/' "$G/gen.err")
	[ "$bad" -gt 0 ]
	run -1 --separate-stderr oms-import --stats --rejects "$G/rej" "$G/bad.ndjson"
	out=$(printf '%s\n' "$output" | wc -l)
	assert_equal "$(wc -l < "$G/rej")" "$bad"
	assert_equal "$((out + bad))" 3000
	assert_equal "${stderr_lines[-1]%% orders=*}" "oms-import: stats: in=3000 passed=0 out=$out rejected=$bad consumed=0 created=0"
	# Each reject carries the text as read: fed back alone, it is rejected again.
	run -0 sh -c "jq -r .record '$G/rej' | oms-import -i ndjson --rejects /dev/null 2>/dev/null | wc -l"
	assert_output 0
}

@test "a bad CSV row rejects its whole order; all other orders come through intact" {
	# Every 50th order gets a marked quantity, which becomes "lots" in the CSV.
	jq -c 'if input_line_number % 50 == 0 then .lines[-1].qty = 987654 else . end' \
		"$G/gen.ndjson" > "$G/marked.ndjson"
	oms-import -o csv "$G/marked.ndjson" | sed 's/,987654,/,lots,/' > "$G/b.csv"
	run -1 --separate-stderr oms-import --rejects "$G/rej" "$G/b.csv"
	assert_equal "$(wc -l < "$G/rej")" 40
	assert_equal "${stderr_lines[0]##*csv:[0-9]*: }" 'lines.qty "lots" is not a whole number'
	# What came out is exactly every other order, whole and unchanged.
	printf '%s\n' "$output" > "$G/good"
	run -0 sh -c "awk 'NR % 50 != 0' '$G/gen.ndjson' | cmp - '$G/good'"
}

# Two stores' exports share order ids (two seeds of gen overlap in hundreds of
# ids), each order with its store's global_id: nothing may merge, every
# order comes out once, and the output is a fixed point of oms-import.
@test "two stores never merge: every order of both comes out once, renamed ones counted, a second import changes nothing" {
	gen -n 2000 -s 7 > "$G/other.ndjson"
	jq -c '.global_id = "a-" + .order_id' "$G/gen.ndjson" > "$G/a.ndjson"
	jq -c '.global_id = "b-" + .order_id' "$G/other.ndjson" > "$G/b.ndjson"
	shared=$(comm -12 <(jq -r .order_id "$G/a.ndjson" | sort) <(jq -r .order_id "$G/b.ndjson" | sort) | wc -l)
	[ "$shared" -gt 100 ]
	run -0 --separate-stderr oms-import --stats "$G/a.ndjson" "$G/b.ndjson" "$G/a.ndjson"
	printf '%s\n' "$output" > "$G/both"
	# a.ndjson read again is the same store's later export: it replaces, not adds.
	assert_regex "$stderr" "out=4000 .*renamed=$shared"
	run -0 sh -c "jq -r .global_id '$G/both' | sort | uniq -d | wc -l"
	assert_output 0
	run -0 sh -c "jq -r .order_id '$G/both' | sort | uniq -d | wc -l"
	assert_output 0
	run -0 sh -c "oms-import '$G/both' | cmp - '$G/both'"
}

# Lines without a SKU (kept by title) never cost an order, and each one still
# to ship is counted.
@test "lines without a SKU: every order is kept, no_sku counts the open ones' lines to ship, a second import changes nothing" {
	jq -c 'if (input_line_number % 5 == 0) then .lines[0] |= (del(.sku) | .title = "Mystery item " + (input_line_number % 3 | tostring)) else . end' \
		"$G/gen.ndjson" > "$G/nosku.ndjson"
	want=$(jq -s '[.[] | select(.status == "open") | .lines[] | select((has("sku") | not) and .cancelled != true and .requires_shipping != false)] | length' "$G/nosku.ndjson")
	[ "$want" -gt 50 ]
	run -0 --separate-stderr oms-import --stats "$G/nosku.ndjson"
	printf '%s\n' "$output" > "$G/once"
	assert_regex "$stderr" "out=2000 .*no_sku=$want"
	run -0 sh -c "oms-import '$G/once' | cmp - '$G/once'"
}
