#!/usr/bin/env bats
# oms-import on what identifies an order and a line besides the SKU: lines known
# only by their title, and the channel's global_id from canonical records and --map.

setup() { load helpers/common; }

S="$BATS_TEST_DIRNAME/fixtures/shopify"

# order ID LINES [FIELDS]: one open dtc order in canonical NDJSON.
order() {
	jq -nc --arg id "$1" --argjson lines "$2" --argjson f "{${3:-}}" \
		'{type:"order",order_id:$id,channel:"dtc"} + $f + {lines:$lines}'
}

@test "canonical: a line with a title and no sku is kept, with a message that names the title" {
	f=$( { order A '[{"sku":"TEE-CREW-BLK-M","qty":1},{"title":"Maintenance Kit","qty":1}]'
		order B '[{"title":"Maintenance Kit","qty":2}]'; } | tmpfile in.ndjson)
	run -0 --separate-stderr oms-import --stats "$f"
	assert_equal "$(jq -c '[.order_id, [.lines[] | [.sku, .title]]]' <<< "$output")" '["A",[["TEE-CREW-BLK-M",null],[null,"Maintenance Kit"]]]
["B",[[null,"Maintenance Kit"]]]'
	assert_equal "$stderr" "oms-import: $f:1: lines[2].sku is missing for \"Maintenance Kit\": kept without a SKU; give --catalog with its title
oms-import: stats: in=2 passed=0 out=2 rejected=0 consumed=0 created=0 orders=2 lines=3 units=4 merged=0 no_sku=2"
}

@test "canonical: a line to ship with neither sku nor title is rejected; cancelled and non-shipping ones are not" {
	run -1 --separate-stderr oms-import --rejects /dev/null <<< "$(order A '[{"qty":1}]')"
	assert_equal "$stderr" 'oms-import: stdin:1: lines[1] has no sku and no title'
	# Also with a catalog: there is nothing to look it up by.
	run -1 --separate-stderr oms-import --rejects /dev/null --catalog "$S/catalog.csv" <<< "$(order A '[{"qty":1}]')"
	assert_equal "$stderr" 'oms-import: stdin:1: lines[1] has no sku and no title'
	run -0 --separate-stderr oms-import --catalog "$S/catalog.csv" <<< "$(order A '[{"qty":1,"cancelled":true},{"qty":1,"requires_shipping":false},{"sku":"TEE-CREW-BLK-M","qty":1}]')"
	assert_equal "$stderr" ""
	run -0 --separate-stderr oms-import <<< "$(order A '[{"qty":1},{"title":"Travel Pouch","qty":1}]' '"status":"cancelled"')"
	assert_equal "$stderr" ""
	assert_output --partial '"status":"cancelled"'
}

@test "canonical: a closed order's SKU-less lines are kept without a word: nothing is left to ship" {
	run -0 --separate-stderr oms-import --stats <<< "$(order A '[{"title":"Maintenance Kit","qty":1}]' '"status":"closed"')"
	assert_equal "$stderr" "oms-import: stats: in=1 passed=0 out=1 rejected=0 consumed=0 created=0 orders=1 lines=1 units=1 merged=0"
}

@test "canonical: the catalog's title resolves a line; --unknown-sku still governs SKUs not in the catalog" {
	run -0 --separate-stderr oms-import --catalog "$S/catalog.csv" <<< "$(order A '[{"title":"dress - RED / m","qty":1}]')"
	assert_equal "$(jq -c '.lines[0] | [.sku, .style, .color, .size]' <<< "$output")" '["DRESS-RED-M","DRESS","Red","M"]'
	assert_equal "$stderr" ""
	run -1 --separate-stderr oms-import --rejects /dev/null --catalog "$S/catalog.csv" <<< "$(order A '[{"sku":"NOPE","title":"Dress - Red / M","qty":1}]')"
	assert_equal "$stderr" 'oms-import: stdin:1: lines[1].sku "NOPE" is not in the catalog'
	run -0 --separate-stderr oms-import --unknown-sku keep --catalog "$S/catalog.csv" <<< "$(order A '[{"sku":"NOPE","qty":1}]')"
	assert_equal "$stderr" 'oms-import: stdin:1: lines[1].sku "NOPE" is not in the catalog (kept)'
}

@test "catalog: a title column cell may be empty; two rows with one title make it ambiguous, not an error" {
	cat=$(printf '%s\n' sku,title,size A,Tee,S B,Tee,M C,,L D,Cap, E,Cap, | tmpfile catalog.csv)
	run -0 --separate-stderr oms-import --catalog "$cat" <<< "$( order A '[{"title":"Tee - S","qty":1},{"title":"Tee - m","qty":1},{"title":"Tee","qty":1},{"title":"Cap","qty":1}]')"
	assert_equal "$(jq -c '[.lines[].sku]' <<< "$output")" '["A","B",null,null]'
	assert_equal "$stderr" "oms-import: stdin:1: lines[3].sku is missing for \"Tee\", and the catalog's titles match two SKUs for it (\"A\", \"B\"): kept without a SKU
oms-import: stdin:1: lines[4].sku is missing for \"Cap\", and the catalog's titles match two SKUs for it (\"D\", \"E\"): kept without a SKU"
}

@test "canonical: two records of one order_id with different global_ids are two orders; the same global_id replaces" {
	f=$( { order A '[{"sku":"S","qty":1}]' '"global_id":"g1"'
		order A '[{"sku":"S","qty":2}]' '"global_id":"g2"'
		order A '[{"sku":"S","qty":3}]' '"global_id":"g1"'; } | tmpfile in.ndjson)
	run -0 --separate-stderr oms-import --stats "$f"
	assert_equal "$(jq -r '[.order_id, .global_id, .lines[0].qty] | @tsv' <<< "$output")" "$(printf '%s\t%s\t%s\n' A@g2 g2 2 A g1 3)"
	assert_equal "${stderr_lines[0]}" "oms-import: $f:2: order_id \"A\" is already an order with another global_id: this one (global_id \"g2\") is kept as \"A@g2\"; to keep stores apart, name each input's store (import.stores in the rules, or --store)"
}

@test "--map may fill global_id from a column; one order_id, two global_ids are two orders" {
	map=$(printf '%s' '{"type":"order","fields":{"order_id":{"column":"Number","prefix":"faire:"},"channel":{"value":"wholesale"},"global_id":"Order Id","lines.sku":"SKU","lines.qty":"Qty"}}' | tmpfile map.json)
	f=$(printf '%s\n' 'Number,Order Id,SKU,Qty' '77,bo_1,S1,1' '78,bo_2,S2,1' '77,bo_3,S2,1' | tmpfile in.csv)
	run -0 --separate-stderr oms-import --map "$map" "$f"
	assert_equal "$(jq -r '[.order_id, .global_id] | @tsv' <<< "$output")" "$(printf '%s\t%s\n' faire:77 bo_1 faire:78 bo_2 faire:77@bo_3 bo_3)"
}
