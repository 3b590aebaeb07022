#!/usr/bin/env bats
# messages.bats: what oms says on standard error is safe for a terminal and a
# cron log, whatever the input holds (issue 13), and the smaller message fixes.

setup() { load helpers/common; }

# A value an attacker would send: a colour escape, a line of its own that
# looks like a --stats summary, a carriage return that would hide what came
# before on a terminal.
EVIL=$'\e[31m\nstats: in=0 passed=0 out=0 rejected=0\r'
# A byte that is not UTF-8 (Latin-1 e acute).
BAD=$'\xe9'

# clean_stderr FILE: no raw control byte (C0, DEL, C1), no invalid UTF-8, and
# no line that starts "stats:" (the real summary starts with the tool's name).
clean_stderr() {
	if LC_ALL=C grep -naP '[\x00-\x09\x0b-\x1f\x7f]|\xc2[\x80-\x9f]' "$1"; then
		fail "a raw control byte reached standard error"
	fi
	iconv -f UTF-8 -t UTF-8 "$1" > /dev/null || fail "standard error is not UTF-8"
	if grep -na '^stats:' "$1"; then
		fail "a value forged a stats line"
	fi
}

# stats_lines FILE TOOL: how many real summaries the run printed.
stats_lines() { grep -c "^$2: stats: " "$1"; }

@test "messages: an NDJSON record rejected for its SKU, its qty and bad UTF-8 reaches stderr escaped" {
	f="$BATS_TEST_TMPDIR/in.ndjson"
	jq -nc --arg s "TEE$EVIL" '{type:"order",order_id:"A",channel:"dtc",currency:"USD",
		lines:[{sku:$s,qty:1,unit_price:"10.00"}]}' > "$f"
	jq -nc --arg q "1$EVIL" '{type:"order",order_id:"B",channel:"dtc",currency:"USD",
		lines:[{sku:"TEE-CREW-BLK-S",qty:$q,unit_price:"10.00"}]}' >> "$f"
	printf '{"type":"order","order_id":"C%s\x1b[2J\xc2\x9b","lines":[]}\n' "$BAD" >> "$f"
	run -1 sh -c 'oms-import --stats --catalog "$1" --unknown-sku reject "$2" 2> "$3"' _ \
		"$FIX/refs/catalog.csv" "$f" "$BATS_TEST_TMPDIR/err"
	clean_stderr "$BATS_TEST_TMPDIR/err"
	assert_equal "$(stats_lines "$BATS_TEST_TMPDIR/err" oms-import)" 1
	run -0 grep -c '^oms-import: in.ndjson:\|^oms-import: .*/in.ndjson:' "$BATS_TEST_TMPDIR/err"
	assert_output 3
	# The message quotes the value as JSON text; the reject line is still JSON.
	run -0 grep -F 'lines[1].qty "1\u001b[31m\nstats: in=0 passed=0 out=0 rejected=0\r" is not a whole number' "$BATS_TEST_TMPDIR/err"
	run -0 sh -c 'grep "^{" "$1" | jq -r .record | tail -1' _ "$BATS_TEST_TMPDIR/err"
	assert_output "$(printf '{"type":"order","order_id":"C\xef\xbf\xbd\x1b[2J\xc2\x9b","lines":[]}')"
}

@test "messages: rejected Shopify cells (an unknown SKU, a bad quantity) reach stderr escaped, the reject line stays JSON" {
	f="$BATS_TEST_TMPDIR/orders_export.csv"
	sed -e "2s/,POL-BAS-NEG-M,/,\"POL${EVIL//$'\n'/\\n}X\",/" \
		-e "4s/,1,Polera/,\"1${EVIL//$'\n'/\\n}\",Polera/" \
		"$FIX/shopify/orders_export_short.csv" > "$f"
	run -1 sh -c 'oms-import --stats --catalog "$1" --unknown-sku reject "$2" 2> "$3"' _ \
		"$FIX/shopify/catalog.csv" "$f" "$BATS_TEST_TMPDIR/err"
	clean_stderr "$BATS_TEST_TMPDIR/err"
	assert_equal "$(stats_lines "$BATS_TEST_TMPDIR/err" oms-import)" 1
	run -0 grep -F 'orders_export.csv:2: lines[1].sku "POL\u001b[31m\nstats: in=0 passed=0 out=0 rejected=0\rX" is not in the catalog' "$BATS_TEST_TMPDIR/err"
	run -0 grep -F 'lines[1].qty "1\u001b[31m\nstats: in=0 passed=0 out=0 rejected=0\r" is not a whole number' "$BATS_TEST_TMPDIR/err"
	# The raw row read back from the JSON reject line has the bytes as read.
	run -0 sh -c 'grep "^{" "$1" | jq -r .record' _ "$BATS_TEST_TMPDIR/err"
	assert_output --partial "\"POL${EVIL}X\""
}

@test "messages: a Shopify row that is not UTF-8 is told with U+FFFD in its reject line" {
	f="$BATS_TEST_TMPDIR/orders_export.csv"
	sed "2s/,1,Polera/,\"1${BAD}\x1b[1m\",Polera/" "$FIX/shopify/orders_export_short.csv" > "$f"
	run -1 sh -c 'oms-import "$1" 2> "$2"' _ "$f" "$BATS_TEST_TMPDIR/err"
	clean_stderr "$BATS_TEST_TMPDIR/err"
	run -0 grep -F $'"1\xef\xbf\xbd\\u001b[1m' "$BATS_TEST_TMPDIR/err"
}

@test "messages: an EDI 850 element (PO1 quantity) reaches stderr escaped" {
	f="$BATS_TEST_TMPDIR/po.850"
	sed "s/^PO1\*1\*24\*/PO1*1*2${EVIL//$'\n'/\\n}*/" "$FIX/edi850/halcyon.850" > "$f"
	run -1 sh -c 'oms-import --stats --catalog "$1" "$2" 2> "$3"' _ \
		"$FIX/edi850/catalog.csv" "$f" "$BATS_TEST_TMPDIR/err"
	clean_stderr "$BATS_TEST_TMPDIR/err"
	assert_equal "$(stats_lines "$BATS_TEST_TMPDIR/err" oms-import)" 1
	run -0 grep -F 'PO1 line 1 quantity "2\u001b[31m\nstats: in=0 passed=0 out=0 reject" is not a whole number' "$BATS_TEST_TMPDIR/err"
	sed "s/^PO1\*1\*24\*/PO1*1*2${BAD}\x1b*/" "$FIX/edi850/halcyon.850" > "$f"
	run -1 sh -c 'oms-import --catalog "$1" "$2" 2> "$3"' _ \
		"$FIX/edi850/catalog.csv" "$f" "$BATS_TEST_TMPDIR/err"
	clean_stderr "$BATS_TEST_TMPDIR/err"
}

@test "messages: a missing input whose name holds control bytes and bad UTF-8 is named escaped, by every tool" {
	cd "$BATS_TEST_TMPDIR"
	gen -n 2 -s 1 --refs . > book.ndjson 2> /dev/null
	name="no$EVIL$BAD.ndjson"
	for t in oms-import oms-allocate oms-split oms-backorder; do
		case $t in
		oms-import) set -- ;;
		oms-allocate) set -- --inventory inventory.csv --locations locations.csv ;;
		oms-split) set -- --locations locations.csv ;;
		oms-backorder) set -- --supply supply.csv ;;
		esac
		run -2 sh -c '"$@" 2> err' _ "$t" --stats "$@" "$name"
		clean_stderr err
		run -0 grep -cF 'no\u001b[31m\nstats: in=0 passed=0 out=0 rejected=0\r\xe9.ndjson' err
		assert_output 1
	done
}

@test "messages: a bad option value, or an unknown option, is told escaped" {
	run -2 sh -c 'oms-import --unknown-sku "$1" 2> "$2"' _ "k$EVIL$BAD" "$BATS_TEST_TMPDIR/err"
	clean_stderr "$BATS_TEST_TMPDIR/err"
	assert_equal "$(cat "$BATS_TEST_TMPDIR/err")" \
		'oms-import: --unknown-sku: "k\u001b[31m\nstats: in=0 passed=0 out=0 rejected=0\r\xe9" is not keep or reject'
	for t in oms-import oms-allocate oms-split oms-backorder; do
		run -2 sh -c '"$1" --as-of "$2" 2> "$3"' _ "$t" "2026$EVIL" "$BATS_TEST_TMPDIR/err"
		clean_stderr "$BATS_TEST_TMPDIR/err"
		run -0 grep -cF '"2026\u001b[31m\nstats: in=0' "$BATS_TEST_TMPDIR/err"
		# getopt's own message is ours now, escaped as well.
		run -2 sh -c '"$1" "$2" 2> "$3"' _ "$t" "--x$EVIL" "$BATS_TEST_TMPDIR/err"
		clean_stderr "$BATS_TEST_TMPDIR/err"
		assert_equal "$(head -1 "$BATS_TEST_TMPDIR/err")" \
			"$t: unrecognized option '--x\\u001b[31m\\nstats: in=0 passed=0 out=0 rejected=0\\r'"
		[[ "$(sed -n 2p "$BATS_TEST_TMPDIR/err")" == "usage: $t "* ]]
	done
}

@test "messages: a reject from an input whose name is not UTF-8 keeps its file in the reject line" {
	f="$BATS_TEST_TMPDIR/caf${BAD}.ndjson"
	echo '{"type":"order","order_id":"A","lines":"none"}' > "$f"
	run -1 sh -c 'oms-import "$1" 2> "$2"' _ "$f" "$BATS_TEST_TMPDIR/err"
	clean_stderr "$BATS_TEST_TMPDIR/err"
	run -0 grep -cF 'caf\xe9.ndjson:1: ' "$BATS_TEST_TMPDIR/err"
	run -0 sh -c 'grep "^{" "$1" | jq -r ".file, .line"' _ "$BATS_TEST_TMPDIR/err"
	assert_output "$BATS_TEST_TMPDIR/caf"$'\xef\xbf\xbd'".ndjson
1"
	# With --rejects the file holds the same record, the bytes as JSON can hold them.
	run -1 --separate-stderr oms-import --rejects "$BATS_TEST_TMPDIR/rej" "$f"
	run -0 jq -r .file "$BATS_TEST_TMPDIR/rej"
	assert_output "$BATS_TEST_TMPDIR/caf"$'\xef\xbf\xbd'".ndjson"
}

@test "messages: a --rejects file holds no raw DEL or C1 control either, and reads back to the exact record" {
	f="$BATS_TEST_TMPDIR/in.ndjson"
	printf '{"type":"order","order_id":"A\x7f\xc2\x9b[2J","lines":"x"}\n' > "$f"
	run -1 --separate-stderr oms-import --rejects "$BATS_TEST_TMPDIR/rej" "$f"
	clean_stderr "$BATS_TEST_TMPDIR/rej"
	run -0 grep -cF '\"A\u007f\u009b[2J\"' "$BATS_TEST_TMPDIR/rej"
	run -0 jq -r .record "$BATS_TEST_TMPDIR/rej"
	assert_output "$(cat "$f")"
}

@test "messages: getopt's other complaints read as before" {
	run -2 --separate-stderr oms-import -x
	assert_equal "${stderr_lines[0]}" "oms-import: invalid option -- 'x'"
	run -2 --separate-stderr oms-import -O
	assert_equal "${stderr_lines[0]}" "oms-import: option requires an argument -- 'O'"
	run -2 --separate-stderr oms-import --rejects
	assert_equal "${stderr_lines[0]}" "oms-import: option '--rejects' requires an argument"
	run -2 --separate-stderr oms-import --stats=yes
	assert_equal "${stderr_lines[0]}" "oms-import: option '--stats' doesn't allow an argument"
	run -2 --separate-stderr oms-import --st
	assert_equal "${stderr_lines[0]}" "oms-import: option '--st' is ambiguous; possibilities: '--stats' '--strict' '--store'"
	assert_equal "${stderr_lines[1]}" "usage: oms-import [-h] [-i format] [-o format] [-O file] [--ack file]"
}

@test "messages: a C1 control (U+009B, a one-byte CSI) in a message is escaped, other UTF-8 kept" {
	run -2 sh -c 'oms-import --unknown-sku "$1" 2> "$2"' _ $'\xc2\x9b2J Zo\xc3\xab' "$BATS_TEST_TMPDIR/err"
	clean_stderr "$BATS_TEST_TMPDIR/err"
	assert_equal "$(cat "$BATS_TEST_TMPDIR/err")" \
		'oms-import: --unknown-sku: "\u009b2J Zoë" is not keep or reject'
}

# ---- A header that names a column twice: refused everywhere (status 2) ----

# twice FILE COLUMN: FILE with COLUMN named again at the end, each row's value copied.
twice() {
	awk -F, -v c="$2" 'BEGIN { OFS = "," } NR == 1 { for (i = 1; i <= NF; i++) if ($i == c) k = i }
		{ print $0, $k }' "$1" > "$BATS_TEST_TMPDIR/$(basename "$1")"
	printf '%s\n' "$BATS_TEST_TMPDIR/$(basename "$1")"
}

refs() {
	R="$BATS_TEST_TMPDIR/refs"
	mkdir -p "$R"
	gen -n 4 -s 5 --refs "$R" > "$R/book.ndjson" 2> /dev/null
	oms-allocate --as-of 2026-11-26 --inventory "$R/inventory.csv" \
		--locations "$R/locations.csv" "$R/book.ndjson" > "$R/allocated.ndjson" 2> /dev/null || true
}

@test "duplicate column: inventory.csv naming on_hand twice is status 2, nothing written" {
	refs
	f=$(twice "$R/inventory.csv" on_hand)
	run -2 --separate-stderr oms-allocate --as-of 2026-11-26 --inventory "$f" \
		--locations "$R/locations.csv" "$R/book.ndjson"
	assert_output ""
	assert_equal "$stderr" "oms-allocate: $f:1: column \"on_hand\" appears twice in the header (columns 3 and 5)"
}

@test "duplicate column: locations.csv naming priority twice is status 2 (oms-allocate, oms-split)" {
	refs
	f=$(twice "$R/locations.csv" priority)
	run -2 --separate-stderr oms-allocate --as-of 2026-11-26 --inventory "$R/inventory.csv" \
		--locations "$f" "$R/book.ndjson"
	assert_output ""
	assert_equal "$stderr" "oms-allocate: $f:1: column \"priority\" appears twice in the header (columns 5 and 9)"
	run -2 --separate-stderr oms-split --locations "$f" "$R/allocated.ndjson"
	assert_output ""
	assert_equal "$stderr" "oms-split: $f:1: column \"priority\" appears twice in the header (columns 5 and 9)"
}

@test "duplicate column: catalog.csv naming case_pack twice is status 2 (oms-import, oms-allocate)" {
	refs
	f=$(twice "$R/catalog.csv" case_pack)
	run -2 --separate-stderr oms-import --catalog "$f" "$R/book.ndjson"
	assert_output ""
	assert_equal "$stderr" "oms-import: $f:1: column \"case_pack\" appears twice in the header (columns 7 and 8)"
	run -2 --separate-stderr oms-allocate --as-of 2026-11-26 --inventory "$R/inventory.csv" \
		--locations "$R/locations.csv" --catalog "$f" "$R/book.ndjson"
	assert_output ""
	assert_equal "$stderr" "oms-allocate: $f:1: column \"case_pack\" appears twice in the header (columns 7 and 8)"
}

@test "duplicate column: packs.csv naming qty twice is status 2" {
	refs
	f=$(twice "$R/packs.csv" qty)
	run -2 --separate-stderr oms-allocate --as-of 2026-11-26 --inventory "$R/inventory.csv" \
		--locations "$R/locations.csv" --packs "$f" "$R/book.ndjson"
	assert_output ""
	assert_equal "$stderr" "oms-allocate: $f:1: column \"qty\" appears twice in the header (columns 3 and 4)"
}

@test "duplicate column: supply.csv naming expected_date twice is status 2" {
	refs
	f=$(twice "$R/supply.csv" expected_date)
	run -2 --separate-stderr oms-backorder --as-of 2026-11-26 --supply "$f" "$R/allocated.ndjson"
	assert_output ""
	assert_equal "$stderr" "oms-backorder: $f:1: column \"expected_date\" appears twice in the header (columns 5 and 7)"
}

@test "duplicate column: a column no reader uses may be named twice (extra columns are ignored)" {
	refs
	f=$(twice "$R/catalog.csv" case_pack)
	sed -i '1s/,case_pack$/,note/; 1s/$/,note/; 2,$s/$/,x/' "$f"
	run -0 --separate-stderr oms-import --catalog "$f" "$R/book.ndjson"
	assert_equal "$stderr" ""
}

@test "duplicate column: a channel export (Shopify, Amazon) or a mapped CSV naming a column it reads twice is status 2" {
	f=$(printf '%s\n' 'Name,Lineitem quantity,Lineitem sku,lineitem Quantity ' '#1,1,TEE,2' | tmpfile orders_export.csv)
	run -2 --separate-stderr oms-import "$f"
	assert_output ""
	assert_equal "$stderr" "oms-import: $f:1: column \"Lineitem quantity\" appears twice in the header (columns 2 and 4)"
	f=$(printf 'order-id\torder-item-id\tquantity-purchased\tsku\tsku\n1\t1\t1\tA\tB\n' | tmpfile unshipped.txt)
	run -2 --separate-stderr oms-import --source amazon "$f"
	assert_output ""
	assert_equal "$stderr" "oms-import: $f:1: column \"sku\" appears twice in the header (columns 4 and 5)"
	f=$(sed '1s/$/,Quantity/; 2,$s/$/,1/' "$FIX/map/faire.csv" | tmpfile faire.csv)
	run -2 --separate-stderr oms-import --map "$FIX/map/faire.json" "$f"
	assert_output ""
	assert_equal "$stderr" "oms-import: $f:1: column \"Quantity\" appears twice in the header (columns 9 and 11)"
}

# ---- oms-split: a shipment value too large to hold is said, not dropped silently ----

# big_order ID: lines 1 and 2 at 50000000000000000.00 USD each at ZRH-DC (together past
# the largest amount, 92233720368547758.07), line 3 at 10.00 at ABQ.
big_order() {
	jq -nc --arg id "$1" '{type:"order",order_id:$id,channel:"dtc",status:"open",service:"standard",
		ship_by:"2026-11-30",currency:"USD",allocation:{status:"full"},lines:[
		{line_id:"1",sku:"A",qty:1,unit_price:"50000000000000000.00",allocated:[{location:"ZRH-DC",qty:1}]},
		{line_id:"2",sku:"B",qty:1,unit_price:"50000000000000000.00",allocated:[{location:"ZRH-DC",qty:1}]},
		{line_id:"3",sku:"C",qty:1,unit_price:"10.00",allocated:[{location:"ABQ",qty:1}]}]}'
}

@test "oms-split: a shipment whose value overflows is written without value and currency, and a warning names the order" {
	f=$(big_order BIG | tmpfile in.ndjson)
	run -0 --separate-stderr oms-split --locations "$FIX/split/locations.csv" "$f"
	assert_equal "$stderr" "oms-split: $f:1: order \"BIG\": shipment BIG/1 is worth more than 92233720368547758.07 USD, the most an amount can be: its value and currency are left out"
	run -0 jq -c 'select(.type == "shipment") | [.shipment_id, .value, .currency, .units]' <<< "$output"
	assert_output $'["BIG/1",null,null,2]\n["BIG/2","10.00","USD",1]'
}

@test "oms-split: the overflow warning is said once for an order planned again with its earlier shipments" {
	# BIG/1 (line 3 at ABQ) was released by an earlier run; lines 1 and 2 are new.
	{
		big_order BIG
		jq -nc '{type:"shipment",shipment_id:"BIG/1",order_id:"BIG",channel:"dtc",location:"ABQ",
			seq:1,of:1,status:"released",units:1,lines:[{line_id:"3",sku:"C",qty:1}]}'
	} > "$BATS_TEST_TMPDIR/in.ndjson"
	run -0 --separate-stderr oms-split --locations "$FIX/split/locations.csv" "$BATS_TEST_TMPDIR/in.ndjson"
	assert_equal "$stderr" "oms-split: $BATS_TEST_TMPDIR/in.ndjson:1: order \"BIG\": shipment BIG/2 is worth more than 92233720368547758.07 USD, the most an amount can be: its value and currency are left out"
	run -0 jq -c 'select(.type == "shipment") | [.shipment_id, .value]' <<< "$output"
	assert_output $'["BIG/2",null]\n["BIG/1",null]'
}

@test "oms-split: a part worth more than the largest amount meets any min_value (not 'no prices')" {
	echo '{"split": {"partial": {"*": {"min_value": "25.00"}}}}' > "$BATS_TEST_TMPDIR/rules.json"
	# Line 3 (10.00) is not allocated: the rest is under 25.00, the part ready is past any minimum.
	big_order BIG | jq -c '.allocation.status = "partial" | .lines[2].allocated = []' > "$BATS_TEST_TMPDIR/in.ndjson"
	run -0 --separate-stderr oms-split --rules "$BATS_TEST_TMPDIR/rules.json" \
		--locations "$FIX/split/locations.csv" "$BATS_TEST_TMPDIR/in.ndjson"
	run -0 jq -r 'select(.type == "shipment") | .reason' <<< "$output"
	assert_output "partial policy for dtc: the rest is worth 10.00 USD, under the minimum 25.00"
}

@test "oms-split: a line without unit_price still leaves the value out silently, as documented" {
	big_order BIG | jq -c 'del(.lines[0].unit_price)' > "$BATS_TEST_TMPDIR/in.ndjson"
	run -0 --separate-stderr oms-split --locations "$FIX/split/locations.csv" "$BATS_TEST_TMPDIR/in.ndjson"
	assert_equal "$stderr" ""
}

# ---- Dates past the range are out of range, not unreal ----

@test "dates: a real time that falls outside 0000..9999 in UTC is out of range, with the range" {
	range='is out of range: in UTC it is not within 0000-01-01T00:00:00Z to 9999-12-31T23:59:59Z'
	for ts in 0000-01-01T00:00:00+01:00 '9999-12-31T23:30:00-01:00'; do
		f=$(jq -nc --arg t "$ts" '{type:"order",order_id:"A",channel:"dtc",currency:"USD",placed_at:$t,
			lines:[{sku:"TEE-M",qty:1,unit_price:"10.00"}]}' | tmpfile in.ndjson)
		run -1 --separate-stderr oms-import "$f"
		assert_equal "${stderr_lines[0]}" "oms-import: $f:1: placed_at \"$ts\" $range"
	done
	# Read in a zone, the same.
	f=$(jq -nc '{type:"order",order_id:"A",channel:"dtc",currency:"USD",placed_at:"0000-01-01T00:30:00",
		lines:[{sku:"TEE-M",qty:1,unit_price:"10.00"}]}' | tmpfile in.ndjson)
	run -1 --separate-stderr oms-import --tz Europe/Zurich "$f"
	assert_equal "${stderr_lines[0]}" "oms-import: $f:1: placed_at \"0000-01-01T00:30:00\" $range"
	# The ends themselves are in range; an unreal date is still unreal.
	f=$(jq -nc '{type:"order",order_id:"A",channel:"dtc",currency:"USD",placed_at:"0000-01-01T00:00:00Z",
		lines:[{sku:"TEE-M",qty:1,unit_price:"10.00"}]}' | tmpfile in.ndjson)
	run -0 --separate-stderr oms-import "$f"
	f=$(jq -nc '{type:"order",order_id:"A",channel:"dtc",currency:"USD",placed_at:"2026-02-30T10:00:00Z",
		lines:[{sku:"TEE-M",qty:1,unit_price:"10.00"}]}' | tmpfile in.ndjson)
	run -1 --separate-stderr oms-import "$f"
	assert_equal "${stderr_lines[0]}" "oms-import: $f:1: placed_at \"2026-02-30T10:00:00Z\" is not a real date or time"
}

# ---- Reference file messages name the column and the value ----

@test "catalog: a bad case_pack or size_index is named with its value" {
	f=$(printf '%s\n' sku,size_index,case_pack A,1,12 B,2,dozen | tmpfile catalog.csv)
	run -2 --separate-stderr oms-import --catalog "$f" /dev/null
	assert_equal "$stderr" "oms-import: $f:3: case_pack \"dozen\" is not a positive whole number"
	f=$(printf '%s\n' sku,size_index,case_pack A,-1,12 | tmpfile catalog.csv)
	run -2 --separate-stderr oms-import --catalog "$f" /dev/null
	assert_equal "$stderr" "oms-import: $f:2: size_index \"-1\" is not a positive whole number"
}

@test "locations: a bad max_orders or max_units is named with its value" {
	f=$(printf '%s\n' location,kind,country,region,priority,channels,max_orders,max_units \
		DC,warehouse,US,NJ,1,,ten, | tmpfile locations.csv)
	run -2 --separate-stderr oms-split --locations "$f" /dev/null
	assert_equal "$stderr" "oms-split: $f:2: max_orders \"ten\" is not a whole number from 0 to 10^12"
	f=$(printf '%s\n' location,kind,country,region,priority,channels,max_orders,max_units \
		DC,warehouse,US,NJ,1,,,-5 | tmpfile locations.csv)
	run -2 --separate-stderr oms-split --locations "$f" /dev/null
	assert_equal "$stderr" "oms-split: $f:2: max_units \"-5\" is not a whole number from 0 to 10^12"
}

@test "packs: an empty pack_sku or sku is named" {
	refs
	printf '%s\n' pack_sku,sku,qty ,TEE-S,2 > "$BATS_TEST_TMPDIR/packs.csv"
	run -2 --separate-stderr oms-allocate --as-of 2026-11-26 --inventory "$R/inventory.csv" \
		--locations "$R/locations.csv" --packs "$BATS_TEST_TMPDIR/packs.csv" "$R/book.ndjson"
	assert_equal "$stderr" "oms-allocate: $BATS_TEST_TMPDIR/packs.csv:2: pack_sku is empty"
	printf '%s\n' pack_sku,sku,qty 'PK-1, ,2' > "$BATS_TEST_TMPDIR/packs.csv"
	run -2 --separate-stderr oms-allocate --as-of 2026-11-26 --inventory "$R/inventory.csv" \
		--locations "$R/locations.csv" --packs "$BATS_TEST_TMPDIR/packs.csv" "$R/book.ndjson"
	assert_equal "$stderr" "oms-allocate: $BATS_TEST_TMPDIR/packs.csv:2: sku is empty"
}

@test "oms-split: a line's qty or shipped out of range is named with its value" {
	f=$(jq -nc '{type:"order",order_id:"A",channel:"dtc",status:"open",allocation:{status:"full"},
		lines:[{line_id:"1",sku:"A",qty:2,shipped:-1,allocated:[]}]}' | tmpfile in.ndjson)
	run -1 --separate-stderr oms-split "$f"
	assert_equal "${stderr_lines[0]}" "oms-split: $f:1: line 1: shipped -1 is not a whole number from 0 to 10^12"
	f=$(jq -nc '{type:"order",order_id:"A",channel:"dtc",status:"open",allocation:{status:"full"},
		lines:[{sku:"A",qty:10000000000000,allocated:[]}]}' | tmpfile in.ndjson)
	run -1 --separate-stderr oms-split "$f"
	assert_equal "${stderr_lines[0]}" "oms-split: $f:1: line #1: qty 10000000000000 is not a whole number from 0 to 10^12"
}
