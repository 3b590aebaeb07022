#!/usr/bin/env bats
# oms-import, edi850: X12 850 purchase orders in, one order per transaction set; 997s with --ack.

setup() { load helpers/common; }

E="$BATS_TEST_DIRNAME/fixtures/edi850"

# The ids of the orders in the output, one per line.
ids() { jq -r .order_id; }

# A file holding one 850 whose detail is $2 (segments ending in ~): ISA is
# segment 1, ST 3, BEG 4, and the detail starts at 5. Its path is printed.
po850() {
	local detail n po1s
	detail=$(printf '%s' "$2" | tr '~' '\n')
	n=$(printf '%s\n' "$detail" | grep -c .)
	po1s=$(printf '%s\n' "$detail" | grep -c '^PO1\*')
	{
		head -2 "$E/units.850"
		printf '%s\n' 'ST*850*0001~' 'BEG*00*SA*4500090001**20250310~'
		printf '%s~\n' $detail
		printf '%s\n' "CTT*$po1s~" "SE*$((n + 4))*0001~" 'GE*1*530~' 'IEA*1*000000530~'
	} | tmpfile "$1"
}

@test "a department store's 850: ship window, terms, ship-to, lines with UPC, style, color, size, case pack and stores" {
	run -0 --separate-stderr oms-import --stats "$E/halcyon.850"
	assert_output "$(cat "$E/halcyon.expected")"
	assert_equal "$stderr" "oms-import: stats: in=2 passed=0 out=2 rejected=0 consumed=0 created=0 orders=2 lines=6 units=94 merged=0"
}

@test "the 850 is recognised by its ISA, after white space or a byte order mark, and read with --source edi850" {
	f=$({ printf '\xef\xbb\xbf\r\n  '; cat "$E/halcyon.850"; } | tmpfile bom.edi)
	run -0 oms-import "$f"
	assert_output "$(cat "$E/halcyon.expected")"
	run -0 sh -c "oms-import --source edi850 < '$E/halcyon.850'"
	assert_output "$(cat "$E/halcyon.expected")"
}

@test "prices are kept as decimal text and normalised to the cent: 14 -> 14.00, 42.5 -> 42.50" {
	run -0 sh -c "oms-import '$E/halcyon.850' | jq -r '.lines[] | .line_id + \" \" + .unit_price'"
	assert_output "$(printf '%s\n' '1 14.00' '2 14.00' '3 42.50' '4 96.75' '1 39.99' '2 39.99')"
}

@test "the store distribution (SDQ) is a JSON array on its line, and survives a CSV round trip" {
	run -0 sh -c "oms-import '$E/halcyon.850' | head -1 | jq -c '.lines[0].distribution'"
	assert_output '[{"store":"0042","qty":12},{"store":"0107","qty":12}]'
	run -0 sh -c "oms-import '$E/halcyon.850' | oms-import -o csv | oms-import"
	assert_output "$(cat "$E/halcyon.expected")"
}

@test "a prepack line (UOM AS) keeps its pack UPC and its quantity in packs" {
	run -0 sh -c "oms-import '$E/halcyon.850' | head -1 | jq -c '.lines[3] | [.sku, .upc, .qty, .uom, .case_pack]'"
	assert_output '["TEE-PACK-BLK-6","012345678936",10,"AS",1]'
}

@test "two interchanges in one file, each with its own delimiters (~ with CRLF, then | and line ends)" {
	run -0 oms-import "$E/two-interchanges.850"
	assert_output "$(cat "$E/two-interchanges.expected")"
	run -0 sh -c "oms-import '$E/two-interchanges.850' | jq -r '.order_id + \" \" + .status + \" \" + .currency'"
	assert_output "$(printf '%s\n' 'edi850:HALCYONDS:4500012345 open USD' 'edi850:HALCYONDS:4500012346 open USD' \
		'edi850:MERIDIANCO:MC-77810 open CAD' 'edi850:MERIDIANCO:MC-77790 cancelled CAD')"
}

@test "a cancellation (BEG01 01) supersedes the order it cancels" {
	run -0 sh -c "oms-import '$E/halcyon.850' '$E/cancel.850' | jq -r '.order_id + \" \" + .status'"
	assert_output "$(printf '%s\n' 'edi850:HALCYONDS:4500012345 open' 'edi850:HALCYONDS:4500012346 cancelled')"
}

@test "placed_at is the PO date (BEG05) at midnight, in --tz when given" {
	run -0 sh -c "oms-import '$E/halcyon.850' | jq -r .placed_at | head -1"
	assert_output "2025-03-03T00:00:00Z"
	run -0 sh -c "oms-import --tz America/New_York '$E/halcyon.850' | jq -r .placed_at | head -1"
	assert_output "2025-03-03T05:00:00Z"
}

@test "no CUR means US dollars; ITD with a discount reads 2/10 net30" {
	run -0 sh -c "oms-import '$E/halcyon.850' | tail -1 | jq -r '.currency + \" \" + .payment.terms'"
	assert_output "USD 2/10 net30"
}

@test "lines keyed on the UPC alone get their SKU from --catalog" {
	run -0 sh -c "oms-import --catalog '$E/catalog.csv' '$E/upc-only.850' | jq -c '[.lines[] | [.sku, .color, .size]]'"
	assert_output '[["TEE-CREW-BLK-M","001","3"],["TEE-CREW-BLK-L","BLK","L"]]'
}

@test "a wrong SE01 rejects only its transaction set; the others are imported (1)" {
	run -1 --separate-stderr oms-import --rejects "$BATS_TEST_TMPDIR/rej" "$E/bad-se-count.850"
	assert_equal "$(printf '%s\n' "$output" | ids)" "$(printf '%s\n' edi850:HALCYONDS:4500012350 edi850:HALCYONDS:4500012352)"
	assert_equal "$stderr" "oms-import: $E/bad-se-count.850:28: transaction 0002: SE01 says 12 segments, the transaction has 13"
	run -0 jq -r '[.line, .reason, (.record | startswith("ST*850*0002~BEG*00*SA*4500012346**20250303~")), (.record | endswith("CTT*2~SE*12*0002~"))] | @tsv' "$BATS_TEST_TMPDIR/rej"
	assert_output "$(printf '28\ttransaction 0002: SE01 says 12 segments, the transaction has 13\ttrue\ttrue')"
}

@test "a file without an ISA is not recognised (2); read as edi850, its transaction sets are rejected (1)" {
	run -2 --separate-stderr oms-import "$E/no-isa.850"
	assert_output ""
	assert_equal "$stderr" "oms-import: $E/no-isa.850: not a format oms-import knows (edi850, shopify, amazon, woocommerce, shipstation, returns, oms); name one with --source, or describe its columns with --map"
	run -1 --separate-stderr oms-import --rejects /dev/null --source edi850 "$E/no-isa.850"
	assert_output ""
	assert_equal "$stderr" "oms-import: $E/no-isa.850:1: transaction 0001: its interchange has no ISA header"
}

@test "an ISA shorter than 106 characters rejects the sets of its interchange" {
	f=$(sed '1s/HALCYONDS      /HALCYONDS/' "$E/halcyon.850" | tmpfile short-isa.850)
	run -1 --separate-stderr oms-import --rejects /dev/null "$f"
	assert_output ""
	assert_equal "$stderr" "$(printf '%s\n' \
		"oms-import: $f:1: transaction 0001: its ISA is 100 characters long, not 106" \
		"oms-import: $f:1: transaction 0002: its ISA is 100 characters long, not 106")"
}

@test "a PO1 without a quantity rejects its transaction set" {
	run -1 --separate-stderr oms-import --rejects /dev/null "$E/po1-no-qty.850"
	assert_equal "$(printf '%s\n' "$output" | ids)" "edi850:HALCYONDS:4500012370"
	assert_equal "$stderr" "oms-import: $E/po1-no-qty.850:27: transaction 0002: PO1 line 3 has no quantity (PO102)"
}

@test "a file cut off inside a transaction set rejects that set; the complete ones are imported" {
	run -1 --separate-stderr oms-import --rejects "$BATS_TEST_TMPDIR/rej" "$E/cut.850"
	assert_equal "$(printf '%s\n' "$output" | ids)" "$(printf '%s\n' edi850:HALCYONDS:4500012380 edi850:HALCYONDS:4500012381)"
	assert_equal "$stderr" "oms-import: $E/cut.850:29: file ends inside transaction 0003"
	run -0 jq -r .record "$BATS_TEST_TMPDIR/rej"
	assert_output "ST*850*0003~BEG*00*SA*4500012382**20250303~ITD*08*3*2**10**30~DTM*037*20250320~DTM*001*20250410~N1*BY*HALCYON DEPARTMENT STORES*9*007987654~PO1*1*8*EA*39~"
}

@test "a wrong GE01 count rejects every transaction set of the group" {
	run -1 --separate-stderr oms-import --rejects /dev/null "$E/bad-ge-count.850"
	assert_output ""
	assert_equal "$stderr" "$(printf '%s\n' \
		"oms-import: $E/bad-ge-count.850:29: transaction 0001: GE01 says 3 transaction sets, group 417 has 2" \
		"oms-import: $E/bad-ge-count.850:29: transaction 0002: GE01 says 3 transaction sets, group 417 has 2")"
}

@test "wrong IEA01, GE02, SE02 and CTT01 values reject what they cover" {
	f=$(sed 's/^IEA\*1\*/IEA*2*/' "$E/halcyon.850" | tmpfile iea.850)
	run -1 --separate-stderr oms-import --rejects /dev/null "$f"
	assert_equal "${stderr_lines[0]}" "oms-import: $f:50: transaction 0001: IEA01 says 2 functional groups, interchange 000000417 has 1"
	f=$(sed 's/^GE\*2\*417/GE*2*418/' "$E/halcyon.850" | tmpfile ge.850)
	run -1 --separate-stderr oms-import --rejects /dev/null "$f"
	assert_equal "${stderr_lines[1]}" "oms-import: $f:49: transaction 0002: GE02 \"418\" does not match GS06 \"417\""
	f=$(sed 's/^SE\*13\*0002/SE*13*0003/' "$E/halcyon.850" | tmpfile se.850)
	run -1 --separate-stderr oms-import --rejects /dev/null "$f"
	assert_equal "$stderr" "oms-import: $f:48: transaction 0002: SE02 \"0003\" does not match ST02 \"0002\""
	f=$(sed 's/^CTT\*4/CTT*5/' "$E/halcyon.850" | tmpfile ctt.850)
	run -1 --separate-stderr oms-import --rejects /dev/null "$f"
	assert_equal "$stderr" "oms-import: $f:34: transaction 0001: CTT01 says 5 line items, the transaction has 4"
}

@test "a bad date, quantity or pack, a missing PO number, BEG, SE or GS, or a set that is not an 850 rejects the set" {
	check() { # SED-EXPRESSION MESSAGE
		f=$(sed "$1" "$E/halcyon.850" | tmpfile bad.850)
		run -1 --separate-stderr oms-import --rejects /dev/null "$f"
		assert_equal "$stderr" "oms-import: $f:$2"
	}
	check 's/^DTM\*001\*20250405/DTM*001*20250431/' '11: transaction 0001: DTM*001 date "20250431" is not a date (CCYYMMDD)'
	check 's/^BEG\*00\*SA\*4500012346\*\*20250303/BEG*00*SA*4500012346**250303/' '37: transaction 0002: BEG05 "250303" is not a date (CCYYMMDD)'
	check 's/^BEG\*00\*SA\*4500012346/BEG*00*SA*/' '37: transaction 0002: BEG has no purchase order number (BEG03)'
	check 's/^BEG\*00\*SA\*4500012346.*/REF*IA*77~/' '48: transaction 0002: the transaction has no BEG segment'
	check 's/^ST\*850\*0002/ST*860*0002/' '36: transaction 0002: transaction set "860" is not an 850 purchase order'
	check 's/^SE\*13\*0002/XX*1/' '49: transaction 0002: no SE before the GE at segment 49'
	check 's/^PO1\*1\*24\*/PO1*1*2.5*/' '17: transaction 0001: PO1 line 1 quantity "2.5" is not a whole number'
	check 's/^PO4\*6/PO4*SIX/' '27: transaction 0001: PO4 pack "SIX" is not a whole number'
	f=$(sed '/^GS\*/d' "$E/halcyon.850" | tmpfile nogs.850)
	run -1 --separate-stderr oms-import --rejects /dev/null "$f"
	assert_equal "$stderr" "$(printf '%s\n' \
		"oms-import: $f:2: transaction 0001: it is not inside a functional group (no GS before it)" \
		"oms-import: $f:35: transaction 0002: it is not inside a functional group (no GS before it)" \
		"oms-import: $f:48: segment GE is outside any transaction set")"
}

@test "segments outside any transaction set are one reject, and a non-X12 file read as edi850 is too" {
	f=$(sed 's/^GE\*2\*417/REF*DP*1~NTE*GEN*HELLO~GE*2*417/' "$E/halcyon.850" | tmpfile stray.850)
	run -1 --separate-stderr oms-import --rejects /dev/null "$f"
	assert_equal "$(printf '%s\n' "$output" | wc -l)" 2
	assert_equal "$stderr" "oms-import: $f:49: 2 segments, REF to NTE, are outside any transaction set"
	run -1 --separate-stderr oms-import --rejects /dev/null --source edi850 "$FIX/map/joor.csv"
	assert_output ""
	assert_equal "$stderr" "oms-import: $FIX/map/joor.csv:1: 4 segments, PO to PO, are outside any transaction set (no ISA before: is this X12?)"
}

@test "an empty input, or only white space, gives no records (0)" {
	run -0 --separate-stderr oms-import --source edi850 /dev/null
	assert_output ""
	assert_equal "$stderr" ""
	f=$(printf '\n\r\n  \n' | tmpfile blank.850)
	run -0 oms-import --source edi850 "$f"
	assert_output ""
}

@test "--ack writes one 997 per group, from the receiver back to the sender, in the input's separators" {
	run -0 oms-import --ack "$BATS_TEST_TMPDIR/ack.997" "$E/halcyon.850"
	assert_equal "$(cat "$BATS_TEST_TMPDIR/ack.997")" "$(cat "$E/halcyon.997")"
	run -0 oms-import --ack "$BATS_TEST_TMPDIR/ack2.997" "$E/two-interchanges.850"
	assert_equal "$(cat "$BATS_TEST_TMPDIR/ack2.997")" "$(cat "$E/two-interchanges.997")"
}

@test "--ack: rejected sets are AK5 R with the X12 error code, the group AK9 P or R" {
	for f in bad-se-count po1-no-qty cut bad-ge-count; do
		run -1 oms-import --rejects /dev/null --ack "$BATS_TEST_TMPDIR/$f.997" "$E/$f.850"
		assert_equal "$(cat "$BATS_TEST_TMPDIR/$f.997")" "$(cat "$E/$f.997")"
	done
	run -0 grep -c '^AK' "$BATS_TEST_TMPDIR/bad-se-count.997"
	assert_output 8
	run -0 grep -e '^AK5\*R' -e '^AK9' "$BATS_TEST_TMPDIR/bad-se-count.997"
	assert_output "$(printf '%s\n' 'AK5*R*4~' 'AK9*P*3*3*2~')"
}

@test "--ack: an interchange without an ISA has no one to answer, and gets no 997" {
	run -1 oms-import --rejects /dev/null --source edi850 --ack "$BATS_TEST_TMPDIR/none.997" "$E/no-isa.850"
	assert_equal "$(wc -c < "$BATS_TEST_TMPDIR/none.997")" 0
}

@test "--strict with --ack: a run stopped at a reject writes no 997 and no output" {
	run -1 --separate-stderr oms-import --strict --rejects /dev/null --source edi850 \
		--ack "$BATS_TEST_TMPDIR/ack.997" -O "$BATS_TEST_TMPDIR/out" "$FIX/edi850/bad-se-count.850"
	assert [ ! -e "$BATS_TEST_TMPDIR/ack.997" ]
	assert [ ! -e "$BATS_TEST_TMPDIR/out" ]
}

@test "releases of a blanket PO (BEG04) are orders of their own; a release sent again replaces itself" {
	f=$(sed -e 's/BEG\*00\*SA\*4500012345\*\*/BEG*00*BK*4500012345*001*/' \
		-e 's/BEG\*00\*SA\*4500012346\*\*/BEG*00*BK*4500012345*002*/' "$E/halcyon.850" | tmpfile blanket.850)
	run -0 sh -c "oms-import '$f' | jq -r '[.order_id, .channel_order_id, .po_release] | @tsv'"
	assert_output "$(printf '%s\t%s\t%s\n' edi850:HALCYONDS:4500012345:001 4500012345 001 edi850:HALCYONDS:4500012345:002 4500012345 002)"
	g=$(sed 's/BEG\*00\*SA\*4500012346\*\*/BEG*00*BK*4500012345*001*/; s/BEG\*00\*SA\*4500012345\*\*/BEG*00*BK*4500012345*001*/' "$E/halcyon.850" | tmpfile again.850)
	run -0 --separate-stderr oms-import --stats "$g"
	assert_equal "${#lines[@]}" 1
	assert_equal "$stderr" "oms-import: stats: in=2 passed=0 out=1 rejected=0 consumed=1 created=0 orders=2 lines=6 units=94 merged=1"
}

@test "--ack: the 997 says what the book holds: sets refused after the reader (UPC or ids not in the catalog, an order check) are AK5 R" {
	run -1 --separate-stderr oms-import --catalog "$E/buyer-catalog.csv" --rejects /dev/null \
		--ack "$BATS_TEST_TMPDIR/late.997" "$E/late.850"
	assert_equal "$(printf '%s\n' "$output" | ids)" "$(printf '%s\n' edi850:HALCYONDS:4500020001 edi850:HALCYONDS:4500020005)"
	assert_equal "$(cat "$BATS_TEST_TMPDIR/late.997")" "$(cat "$E/late.997")"
	# Each late reject points at its PO1 segment, an order-level one at the ST.
	assert_equal "$stderr" "$(printf '%s\n' \
		"oms-import: $E/late.850:14: lines[2].upc \"099999999990\" is not in the catalog" \
		"oms-import: $E/late.850:20: transaction 0003: PO1 line 1 has no product id the brand can use (SK, VN, VP, a UPC or a buyer's number)" \
		"oms-import: $E/late.850:23: currency \"XYZ\" is not an ISO 4217 code" \
		"oms-import: $E/late.850:41: lines[1].sku \"NW-NOPE\" is not in the catalog" \
		"oms-import: $E/late.850:47: lines[1].buyer_part \"HAL-9999\" is not in the catalog")"
}

@test "--ack: an order kept with --unknown-sku keep, or replaced by a later export of its PO, was accepted" {
	run -1 oms-import --catalog "$E/buyer-catalog.csv" --unknown-sku keep --rejects /dev/null \
		--ack "$BATS_TEST_TMPDIR/keep.997" "$E/late.850"
	run -0 grep -e '^AK2' -e '^AK5' -e '^AK9' "$BATS_TEST_TMPDIR/keep.997"
	assert_equal "$(printf '%s\n' "${lines[@]}" | sed -n '11,12p;15p')" "$(printf '%s\n' 'AK2*850*0006~' 'AK5*A~' 'AK9*P*7*7*3~')"
	g=$(sed 's/BEG\*00\*SA\*4500012346\*\*/BEG*00*SA*4500012345**/' "$E/halcyon.850" | tmpfile again.850)
	run -0 oms-import --ack "$BATS_TEST_TMPDIR/again.997" "$g"
	assert_equal "${#lines[@]}" 1
	assert_equal "$(cat "$BATS_TEST_TMPDIR/again.997")" "$(cat "$E/halcyon.997")"
}

@test "product ids: VP is the SKU; BP, IN, CB through the catalog's buyer_part; UK, UI, EN, UA as UPCs; SK before VN before VP" {
	run -0 sh -c "oms-import --catalog '$E/buyer-catalog.csv' '$E/late.850' 2>/dev/null | jq -c '[.lines[] | [.sku, .buyer_part, .upc]]'"
	assert_line --index 1 '[["NW-TEE-WHT-L","HAL-1002","012345678912"],["NW-TEE-WHT-M",null,"012345678905"]]'
	for q in IN CB; do
		f=$(sed "s/\*BP\*HAL-1002/*$q*HAL-1002/" "$E/late.850" | tmpfile "$q.850")
		run -0 sh -c "oms-import --catalog '$E/buyer-catalog.csv' --rejects /dev/null '$f' 2>/dev/null | jq -c '[.lines[0] | .sku, .buyer_part]'"
		assert_line --index 1 '["NW-TEE-WHT-L","HAL-1002"]'
	done
	for q in UK UI EN UA; do
		f=$(sed "s/\*UP\*012345678912/*$q*00012345678912/" "$E/late.850" | tmpfile "$q.850")
		run -0 sh -c "oms-import --catalog '$E/buyer-catalog.csv' --rejects /dev/null '$f' 2>/dev/null | jq -r '.lines[1].sku'"
		assert_line --index 0 'NW-TEE-WHT-L'
	done
	f=$(sed 's/PO1\*1\*12\*EA\*9.50\*PE\*VP\*NW-TEE-WHT-M/PO1*1*12*EA*9.50*PE*VP*C*VN*B*SK*A/' "$E/late.850" | tmpfile order.850)
	run -0 sh -c "oms-import --catalog '$E/buyer-catalog.csv' --unknown-sku keep --rejects /dev/null '$f' 2>/dev/null | head -1 | jq -r '.lines[0].sku'"
	assert_output "A"
}

@test "a line with only a UPC or a buyer's number and no --catalog is rejected at its PO1, saying so" {
	run -1 --separate-stderr oms-import --rejects /dev/null --ack "$BATS_TEST_TMPDIR/nocat.997" "$E/late.850"
	# VP names the item without a catalog; BP beside it is kept as buyer_part.
	assert_equal "$(printf '%s\n' "$output" | ids)" edi850:HALCYONDS:4500020006
	assert_equal "${stderr_lines[0]}" "oms-import: $E/late.850:7: transaction 0001: PO1 line 2: only UPC 012345678912: give --catalog"
	assert_equal "${stderr_lines[4]}" "oms-import: $E/late.850:33: transaction 0005: PO1 line 1: only buyer's number HAL-1002 (BP): give --catalog with a buyer_part column"
	run -0 sed -n '5,8p' "$BATS_TEST_TMPDIR/nocat.997"
	assert_output "$(printf '%s\n' 'AK2*850*0001~' 'AK3*PO1*5**8~' 'AK4*7**7~' 'AK5*R*5~')"
}

@test "quantities are units: cases (PO4 pack times PO414 inner pack), dozens; prices per case or dozen become unit prices; CTP where PO104 is empty" {
	run -1 --separate-stderr oms-import --rejects /dev/null "$E/units.850"
	run -0 sh -c "oms-import --rejects /dev/null '$E/units.850' 2>/dev/null | head -1 | jq -c '.lines[] | [.sku, .qty, .uom, .case_pack, .unit_price]'"
	assert_output "$(printf '%s\n' \
		'["NW-TEE-WHT-M",144,"CA",144,"1.00"]' \
		'["NW-TEE-WHT-L",72,"CA",36,"6.00"]' \
		'["NW-SOCK-BLK",12,"DZ",null,"5.00"]' \
		'["NW-CAP-NVY",5,"EA",null,"12.50"]' \
		'["NW-BEANIE-RED",3,"EA",null,"8.00"]' \
		'["NW-SCARF-RED",3,"EA",null,"8.00"]' \
		'["NW-TOTE-NAT",3,"EA",null,"8.00"]')"
}

@test "a case line without a PO4 pack takes the catalog's case_pack, or is rejected; a case price that does not divide exactly is rejected" {
	run -1 --separate-stderr oms-import --rejects /dev/null --ack "$BATS_TEST_TMPDIR/u.997" "$E/units.850"
	assert_equal "$stderr" "$(printf '%s\n' \
		"oms-import: $E/units.850:36: transaction 0003: PO1 line 1 counts cases (CA) of an unknown size: no PO4 pack, and no --catalog to find one in" \
		"oms-import: $E/units.850:42: transaction 0004: PO1 line 1: price 10.00 for 144 units makes no unit price in whole 0.01 USD")"
	run -0 grep -A2 'AK2\*850\*000[34]' "$BATS_TEST_TMPDIR/u.997"
	assert_output "$(printf '%s\n' 'AK2*850*0003~' 'AK3*PO4*5**3~' 'AK5*R*5~' 'AK2*850*0004~' 'AK3*PO1*4**8~' 'AK4*4**7~')"
	run -0 sh -c "oms-import --catalog '$E/buyer-catalog.csv' --rejects /dev/null '$E/units.850' 2>/dev/null | jq -c 'select(.channel_order_id == \"4500030003\") | .lines[0] | [.qty, .case_pack, .unit_price]'"
	assert_output '[24,12,"9.50"]'
	f=$(sed 's/VP\*NW-TEE-WHT-M$/VP*NW-TEE-WHT-L~/; s/PO1\*1\*2\*CA\*114.00\*UM\*VP\*NW-TEE-WHT-M/PO1*1*2*CA*114.00*UM*VP*NW-TEE-WHT-L/' "$E/units.850" | tmpfile nopack.850)
	run -1 --separate-stderr oms-import --catalog "$E/buyer-catalog.csv" --rejects /dev/null "$f"
	assert_equal "${stderr_lines[1]}" "oms-import: $f:36: transaction 0003: PO1 line 1 counts cases (CA) of an unknown size: no PO4 pack, and no case_pack for it in the catalog"
	f=$(sed 's/PO1\*1\*1\*CA\*144.00\*\*VP/PO1*1*1*CA*144.00*PE*VP/' "$E/units.850" | tmpfile each.850)
	run -0 sh -c "oms-import --rejects /dev/null '$f' 2>/dev/null | jq -r '.lines[0].unit_price' | head -1"
	assert_output "144.00"
}

@test "DTM 010 (requested ship), else 002 (delivery requested) is ship_by when there is no 037/038 window; ITD without a discount is netN" {
	run -0 sh -c "oms-import --rejects /dev/null '$E/units.850' 2>/dev/null | jq -r '[.ship_by, .payment.terms] | @tsv'"
	assert_output "$(printf '%s\t%s\n' 2025-03-20 net30 2025-03-25 net30)"
	f=$(sed 's/^DTM\*001\*20250405/DTM*010*20250301/; s/^DTM\*001\*20250410/DTM*010*20250301/' "$E/halcyon.850" | tmpfile window.850)
	run -0 sh -c "oms-import '$f' | jq -r '.ship_by // \"none\"'"
	assert_output "$(printf '%s\n' 2025-03-29 none)"
	f=$(sed 's/^ITD\*08\*3\*2\*\*10\*\*30/ITD*08*3*0.00**0**30/' "$E/halcyon.850" | tmpfile itd.850)
	run -0 sh -c "oms-import '$f' | tail -1 | jq -r .payment.terms"
	assert_output "net30"
}

@test "NO SIZE, NOSIZE, N/S and N/A sizes are no size; ONE SIZE is a size" {
	run -0 sh -c "oms-import --rejects /dev/null '$E/units.850' 2>/dev/null | head -1 | jq -c '[.lines[4:][] | .size]'"
	assert_output '[null,null,"ONE SIZE"]'
	for s in NOSIZE 'n/a' ' No Size '; do
		f=$(sed "s|IZ\*NO SIZE|IZ*$s|" "$E/units.850" | tmpfile size.850)
		run -0 sh -c "oms-import --rejects /dev/null '$f' 2>/dev/null | head -1 | jq -c '.lines[4].size'"
		assert_output 'null'
	done
}

@test "EDI counts characters: an ISA with a UTF-8 name is 106 characters; quoted text is cut between characters; a missing ISA16 is named" {
	f=$(sed '1s/HALCYONDS      \*ZZ/HALCYONDSÉÉÉÉÉÉ*ZZ/' "$E/halcyon.850" | tmpfile utf8.850)
	run -0 oms-import --ack "$BATS_TEST_TMPDIR/utf8.997" "$f"
	assert_equal "${#lines[@]}" 2
	run -0 sh -c "head -1 '$BATS_TEST_TMPDIR/utf8.997' | tr -d '\n' | wc -m"
	assert_output 106
	f=$(sed 's/^GE\*2\*417/GE*xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxéé*417/' "$E/halcyon.850" | tmpfile ge.850)
	run -1 --separate-stderr oms-import --rejects /dev/null "$f"
	assert_equal "${stderr_lines[0]}" "oms-import: $f:49: transaction 0001: GE01 \"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxé\" is not a count of transaction sets"
	f=$(sed '1s/\*P\*>~/*P~/' "$E/halcyon.850" | tmpfile noisa16.850)
	run -1 --separate-stderr oms-import --rejects /dev/null "$f"
	assert_equal "$stderr" "$(printf '%s\n' \
		"oms-import: $f:1: transaction 0001: its ISA has no ISA16 (the component element separator) before the segment terminator" \
		"oms-import: $f:1: transaction 0002: its ISA has no ISA16 (the component element separator) before the segment terminator")"
}

@test "--ack: a separator byte that is not ASCII refuses the interchange; a control character in an id is a space in the 997's 106-character ISA" {
	f=$(sed '1s/\*P\*>~/*P*\xbe~/' "$E/halcyon.850" | tmpfile high-byte.850)
	run -1 --separate-stderr oms-import --rejects /dev/null --ack "$BATS_TEST_TMPDIR/high.997" "$f"
	assert_output ""
	assert_equal "${stderr_lines[0]}" "oms-import: $f:1: transaction 0001: its ISA is not a complete interchange header (16 elements, then the segment terminator)"
	run -0 sh -c "head -1 '$BATS_TEST_TMPDIR/high.997' | LC_ALL=C grep -c '^ISA\*.*\*P\*>~\$'"
	assert_output 1
	f=$(sed '1s/\*ZZ\*HALCYONDS      \*/*ZZ*HALC\x01YONDS     */' "$E/halcyon.850" | tmpfile control.850)
	run -0 oms-import --ack "$BATS_TEST_TMPDIR/control.997" "$f"
	run -0 head -1 "$BATS_TEST_TMPDIR/control.997"
	assert_output "ISA*00*          *00*          *ZZ*NORTHWINDTH    *ZZ*HALC YONDS     *250303*0915*U*00401*000000417*0*P*>~"
}

@test "a PO4 pack beyond a billion units is refused at its PO4 on any line, not only on case lines" {
	f=$(po850 bigpack.850 'PO1*1*2*EA*5.00*PE*VP*A1~PO4*1000000000*************1000000000~')
	run -1 --separate-stderr oms-import --rejects /dev/null --ack "$BATS_TEST_TMPDIR/p.997" "$f"
	assert_output ''
	assert_equal "$stderr" "oms-import: $f:6: transaction 0001: PO1 line 1: PO4 pack 1000000000 of inner packs (PO414) of 1000000000 is more than a billion units"
	run -0 sed -n '5,8p' "$BATS_TEST_TMPDIR/p.997"
	assert_output "$(printf '%s\n' 'AK2*850*0001~' 'AK3*PO4*4**8~' 'AK4*14**7~' 'AK5*R*5~')"
	# A pack of a billion is still a pack.
	f=$(po850 pack.850 'PO1*1*2*EA*5.00*PE*VP*A1~PO4*1000*************1000000~')
	run -0 --separate-stderr sh -c "oms-import '$f' | jq -c '.lines[0] | [.qty, .case_pack]'"
	assert_output '[2,1000000000]'
	# 2 units are no whole pack: a case remainder, said where it came from.
	assert_equal "$stderr" "oms-import: $f:5: order edi850:HALCYONDS:4500090001 line 1: 2 of A1 is not whole cases of 1000000000: case remainder 2, never allocated"
}

@test "SDQ store quantities are counted in units like qty (SDQ01 says their unit); more than the line's units refuses the set at the SDQ" {
	f=$(po850 sdq.850 'PO1*1*5*CA*24.00**VP*A1~PO4*12~SDQ*CA*92*0101*2*0102*3~')
	run -0 sh -c "oms-import '$f' | jq -c '.lines[0] | [.qty, .distribution]'"
	assert_output '[60,[{"store":"0101","qty":24},{"store":"0102","qty":36}]]'
	# SDQ01 EA: units already; DZ: twelve; none: the line's own unit.
	f=$(po850 sdq-ea.850 'PO1*1*5*CA*24.00**VP*A1~PO4*12~SDQ*EA*92*0101*20*0102*40~SDQ*DZ*92*0103*0~SDQ**92*0104*0~')
	run -0 sh -c "oms-import '$f' | jq -c '[.lines[0].distribution[].qty]'"
	assert_output '[20,40,0,0]'
	f=$(po850 sdq-pk.850 'PO1*1*60*EA*2.00**VP*A1~PO4*12~SDQ*CA*92*0101*2*0102*3~')
	run -0 sh -c "oms-import '$f' | jq -c '[.lines[0].distribution[].qty]'"
	assert_output '[24,36]'
	f=$(po850 sdq-over.850 'PO1*1*5*CA*24.00**VP*A1~PO4*12~SDQ*CA*92*0101*2~SDQ*CA*92*0102*3*0103*1~')
	run -1 --separate-stderr oms-import --rejects /dev/null --ack "$BATS_TEST_TMPDIR/s.997" "$f"
	assert_equal "$stderr" "oms-import: $f:8: transaction 0001: PO1 line 1: its stores (SDQ) get 72 units or more, the line has 60"
	run -0 sed -n '5,8p' "$BATS_TEST_TMPDIR/s.997"
	assert_output "$(printf '%s\n' 'AK2*850*0001~' 'AK3*SDQ*6**8~' 'AK4*6**7~' 'AK5*R*5~')"
	f=$(po850 sdq-nopack.850 'PO1*1*60*EA*2.00**VP*A1~SDQ*CA*92*0101*2~')
	run -1 --separate-stderr oms-import --rejects /dev/null "$f"
	assert_equal "$stderr" "oms-import: $f:6: transaction 0001: PO1 line 1: SDQ counts cases (CA) of an unknown size: no PO4 pack"
}

@test "a line refused by the order checks points at its PO1, and the 997 names PO1 and its element (PO104 price, PO101 repeated id, PO102 qty)" {
	f=$(po850 price.850 'PO1*1*2*EA*1.00*PE*VP*A1~PO1*2*2*EA*1.005*PE*VP*A2~')
	run -1 --separate-stderr oms-import --rejects /dev/null --ack "$BATS_TEST_TMPDIR/a.997" "$f"
	assert_equal "$stderr" "oms-import: $f:6: lines[2].unit_price \"1.005\" has more than 2 decimals"
	run -0 sed -n '5,8p' "$BATS_TEST_TMPDIR/a.997"
	assert_output "$(printf '%s\n' 'AK2*850*0001~' 'AK3*PO1*4**8~' 'AK4*4**7~' 'AK5*R*5~')"
	f=$(po850 twice.850 'PO1*1*2*EA*1.00*PE*VP*A1~PID*F*08***TEE~PO1*1*2*EA*1.00*PE*VP*A2~')
	run -1 --separate-stderr oms-import --rejects /dev/null --ack "$BATS_TEST_TMPDIR/b.997" "$f"
	assert_equal "$stderr" "oms-import: $f:7: line_id \"1\" appears twice"
	run -0 sed -n '5,8p' "$BATS_TEST_TMPDIR/b.997"
	assert_output "$(printf '%s\n' 'AK2*850*0001~' 'AK3*PO1*5**8~' 'AK4*1**7~' 'AK5*R*5~')"
	f=$(po850 zero.850 'PO1*1*0*EA*1.00*PE*VP*A1~')
	run -1 --separate-stderr oms-import --rejects /dev/null --ack "$BATS_TEST_TMPDIR/c.997" "$f"
	assert_equal "$stderr" "oms-import: $f:5: lines[1].qty 0 is not a positive whole number"
	run -0 sed -n '5,8p' "$BATS_TEST_TMPDIR/c.997"
	assert_output "$(printf '%s\n' 'AK2*850*0001~' 'AK3*PO1*3**8~' 'AK4*2**7~' 'AK5*R*5~')"
	# A price read from a CTP is the CTP's: its segment and CTP03.
	f=$(po850 ctp.850 'PO1*1*2*EA**PE*VP*A1~CTP**UCP*1.005~')
	run -1 --separate-stderr oms-import --rejects /dev/null --ack "$BATS_TEST_TMPDIR/d.997" "$f"
	run -0 sed -n '6,7p' "$BATS_TEST_TMPDIR/d.997"
	assert_output "$(printf '%s\n' 'AK3*CTP*4**8~' 'AK4*3**7~')"
}

@test "a CTP price that does not divide into a unit price names the CTP and its CTP03" {
	f=$(po850 ctp.850 'PO1*1*1*CA***VP*A1~PO4*10~CTP**UCP*12.34~')
	run -1 --separate-stderr oms-import --rejects /dev/null --ack "$BATS_TEST_TMPDIR/c.997" "$f"
	assert_equal "$stderr" "oms-import: $f:7: transaction 0001: PO1 line 1: price 12.34 for 10 units makes no unit price in whole 0.01 USD"
	run -0 sed -n '5,8p' "$BATS_TEST_TMPDIR/c.997"
	assert_output "$(printf '%s\n' 'AK2*850*0001~' 'AK3*CTP*5**8~' 'AK4*3**7~' 'AK5*R*5~')"
}

@test "units of measure and price bases are compared whole: CAX is no case, PEX no price per each" {
	f=$(po850 cax.850 'PO1*1*2*CAX*5.00*PE*VP*A1~PO4*12~')
	run -0 --separate-stderr sh -c "oms-import '$f' | jq -c '.lines[0] | [.qty, .uom, .unit_price]'"
	assert_output '[2,"CAX","5.00"]'
	f=$(po850 pex.850 'PO1*1*2*CA*24.00*PEX*VP*A1~PO4*12~')
	run -0 sh -c "oms-import '$f' | jq -c '.lines[0] | [.qty, .unit_price]'"
	assert_output '[24,"2.00"]'
	f=$(po850 pe.850 'PO1*1*2*CA*24.00*PE*VP*A1~PO4*12~')
	run -0 sh -c "oms-import '$f' | jq -c '.lines[0] | [.qty, .unit_price]'"
	assert_output '[24,"24.00"]'
}

@test "a case line whose item the catalog does not hold is refused for that, at its id" {
	f=$(po850 nosku.850 'PO1*1*2*CA*24.00**VP*NW-NOPE~')
	run -1 --separate-stderr oms-import --catalog "$E/buyer-catalog.csv" --rejects /dev/null --ack "$BATS_TEST_TMPDIR/n.997" "$f"
	assert_equal "$stderr" "oms-import: $f:5: transaction 0001: PO1 line 1 counts cases (CA) of an unknown size: no PO4 pack, and its SKU \"NW-NOPE\" is not in the catalog"
	run -0 sed -n '5,8p' "$BATS_TEST_TMPDIR/n.997"
	assert_output "$(printf '%s\n' 'AK2*850*0001~' 'AK3*PO1*3**8~' 'AK4*7**7~' 'AK5*R*5~')"
	f=$(po850 noupc.850 'PO1*1*2*CA*24.00**UP*099999999990~')
	run -1 --separate-stderr oms-import --catalog "$E/buyer-catalog.csv" --rejects /dev/null "$f"
	assert_equal "$stderr" "oms-import: $f:5: transaction 0001: PO1 line 1 counts cases (CA) of an unknown size: no PO4 pack, and its UPC \"099999999990\" is not in the catalog"
}
