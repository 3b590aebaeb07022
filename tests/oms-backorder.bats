#!/usr/bin/env bats
# oms-backorder: backordered lines matched to supply, records, notices, shortfall.
#
# Every test is a tiny hand-made book whose right answer is worked out by hand
# in the comment above its assertions. `bos` prints one line per backorder
# record, in output order: "ORDER/LINE KIND QTY ETA SUPPLY=QTY... RISK".
#
# --as-of is Friday 2026-11-27 throughout; 2026-12-08 is a Tuesday.

setup() {
	load helpers/common
	AS_OF=2026-11-27
}

bo() { oms-backorder --as-of "$AS_OF" "$@"; }

# lines SPEC...: each "SKU:QTY:BACKORDERED[:pre]" (line_ids 1, 2, ...).
lines() {
	local i=0 out= sku qty back pre a
	for a; do
		i=$((i + 1))
		IFS=: read -r sku qty back pre <<< "$a"
		out+="${out:+,}{\"line_id\":\"$i\",\"sku\":\"$sku\",\"style\":\"${sku%-*}\",\"size\":\"${sku##*-}\",\"qty\":$qty,\"allocated\":[],\"backordered\":$back${pre:+,\"preorder\":true}}"
	done
	printf '[%s]' "$out"
}

# order ID [FIELDS [LINES]]: one open dtc order placed 2026-11-20.
order() {
	jq -nc --arg id "$1" --argjson f "{${2:-}}" --argjson lines "${3:-$(lines TEE-M:1:1)}" \
		'{type:"order",order_id:$id,channel:"dtc",channel_order_id:("#" + $id),status:"open",
		  placed_at:"2026-11-20T10:00:00Z",customer:{id:"c@example.com",name:"C"},
		  allocation:{status:"none"}} + $f + {lines:$lines}'
}

# supply ROW...: a supply.csv of the rows ("id,kind,sku,qty,date[,location]").
supply() {
	{
		echo 'supply_id,kind,sku,qty,expected_date,location'
		printf '%s\n' "$@" | awk -F, 'NF == 5 { $0 = $0 "," } 1'
	} | tmpfile supply.csv
}

BOS='select(.type == "backorder")
	| ["\(.order_id)/\(.line_id)", .kind, (.qty | tostring), (.eta // "-")]
	  + [.supply[] | "\(.supply_id)=\(.qty)"]
	  + [if .at_risk then "risk" else "ok" end]
	| join(" ")'
bos() { jq -r "$BOS" <<< "$1"; }
assert_bos() { assert_equal "$(bos "$output")" "$(printf '%s\n' "$@")"; }
notices() { jq -r 'select(.type == "notice") | "\(.order_id) \(.kind) \(.eta // "-")"' <<< "$1"; }

stderr_has() {
	[[ "$stderr" == *"$1"* ]] || {
		printf 'stderr does not hold: %s\nstderr: %s\n' "$1" "$stderr" >&2
		return 1
	}
}

statval() { sed -n "s/.* $1=\([^ ]*\).*/\1/p" <<< "$2"; }

rules() { printf '%s\n' "$1" | tmpfile rules.json; }

# ---- kinds -------------------------------------------------------------------

@test "a line a purchase order covers is a backorder, eta the PO's date" {
	# 3 backordered, PO-1 brings 10 on Tuesday 12-08, no receiving days: eta 12-08.
	s=$(supply PO-1,po,TEE-M,10,2026-12-08)
	run -0 --separate-stderr bo --supply "$s" <(order A '' "$(lines TEE-M:5:3)")
	assert_bos 'A/1 backorder 3 2026-12-08 PO-1=3 ok'
	assert_equal "$(jq -r 'select(.type == "backorder") | .reason' <<< "$output")" \
		'covered by PO-1 (po, 3 expected 2026-12-08)'
}

@test "receiving days are business days: weekends and the backorder holidays are skipped" {
	# PO on Friday 12-04 + 2 receiving days: Mon 12-07 is a holiday, so Tue 12-08, Wed 12-09.
	s=$(supply PO-1,po,TEE-M,10,2026-12-04)
	r=$(rules '{"backorder":{"receiving_days":2,"holidays":["2026-12-07"]}}')
	run -0 --separate-stderr bo --supply "$s" --rules "$r" <(order A)
	assert_bos 'A/1 backorder 1 2026-12-09 PO-1=1 ok'
	# Without the holiday: Mon 12-07, Tue 12-08.
	r=$(rules '{"backorder":{"receiving_days":2}}')
	run -0 --separate-stderr bo --supply "$s" --rules "$r" <(order A)
	assert_bos 'A/1 backorder 1 2026-12-08 PO-1=1 ok'
}

@test "holidays come from the import section when backorder has none" {
	# Arrival on Saturday 12-05 counts from Monday 12-07, a holiday: Tuesday 12-08.
	s=$(supply PO-1,po,TEE-M,10,2026-12-05)
	r=$(rules '{"import":{"holidays":["2026-12-07"]}}')
	run -0 --separate-stderr bo --supply "$s" --rules "$r" <(order A)
	assert_bos 'A/1 backorder 1 2026-12-08 PO-1=1 ok'
}

@test "a line sold as a pre-order is a preorder even when a PO covers it" {
	s=$(supply PO-1,po,TEE-M,10,2026-12-08)
	run -0 --separate-stderr bo --supply "$s" <(order A '' "$(lines TEE-M:2:2:pre)")
	assert_bos 'A/1 preorder 2 2026-12-08 PO-1=2 ok'
	assert_equal "$(notices "$output")" 'A preorder_eta 2026-12-08'
	assert_equal "$(jq -r 'select(.type == "notice") | .text' <<< "$output")" \
		'Pre-ordered items in your order #A: 2 x TEE M, expected to ship by 8 December 2026.'
}

@test "a line covered only by production is a preorder; by a PO and production, a backorder" {
	# B is ranked after A (order_id): A takes PO-1's 2 and MO-1's 1, B takes MO-1's 4.
	s=$(supply PO-1,po,TEE-M,2,2026-12-08 MO-1,production,TEE-M,50,2027-02-10)
	f=$( { order A '' "$(lines TEE-M:3:3)"; order B '' "$(lines TEE-M:4:4)"; } | tmpfile in.ndjson)
	run -0 --separate-stderr bo --supply "$s" "$f"
	assert_bos 'A/1 backorder 3 2027-02-10 PO-1=2 MO-1=1 ok' 'B/1 preorder 4 2027-02-10 MO-1=4 ok'
}

@test "a line nothing covers is unsourced: no eta, no supply, no customer notice" {
	s=$(supply PO-1,po,TEE-L,10,2026-12-08)
	run -0 --separate-stderr bo --supply "$s" <(order A '' "$(lines TEE-M:2:2)")
	assert_bos 'A/1 unsourced 2 - ok'
	assert_equal "$(notices "$output")" ''
	assert_equal "$(jq -r 'select(.type == "backorder") | .reason' <<< "$output")" \
		'no supply of TEE-M is planned'
}

@test "without --supply every backordered line is unsourced" {
	run -0 --separate-stderr bo <(order A '' "$(lines TEE-M:2:2)")
	assert_bos 'A/1 unsourced 2 - ok'
}

# ---- matching ----------------------------------------------------------------

@test "a line takes several supplies, earliest first; its eta is the latest of them" {
	# 10 backordered: PO-A (12-08) has 6, PO-B (12-15) the other 4, PO-C (12-22) none.
	s=$(supply PO-C,po,TEE-M,50,2026-12-22 PO-B,po,TEE-M,10,2026-12-15 PO-A,po,TEE-M,6,2026-12-08)
	run -0 --separate-stderr bo --supply "$s" <(order A '' "$(lines TEE-M:10:10)")
	assert_bos 'A/1 backorder 10 2026-12-15 PO-A=6 PO-B=4 ok'
	assert_equal "$(jq -r 'select(.type == "backorder") | .reason' <<< "$output")" \
		'covered by PO-A (po, 6 expected 2026-12-08) and PO-B (po, 4 expected 2026-12-15)'
}

@test "one PO over several SKUs covers each of them" {
	s=$(supply PO-1,po,TEE-S,2,2026-12-08 PO-1,po,TEE-M,2,2026-12-08)
	run -0 --separate-stderr bo --supply "$s" <(order A '' "$(lines TEE-S:1:1 TEE-M:2:2)")
	assert_bos 'A/1 backorder 1 2026-12-08 PO-1=1 ok' 'A/2 backorder 2 2026-12-08 PO-1=2 ok'
}

@test "the earliest supply goes to the highest-ranked order, by the allocate sort" {
	# 3 units on PO-1 (12-08), then MO-1 (2027-02-10). Default ranking: priority
	# desc, so P (priority 5, placed last) is served first, then A, then B.
	s=$(supply PO-1,po,TEE-M,3,2026-12-08 MO-1,production,TEE-M,9,2027-02-10)
	f=$( {
		order A '' "$(lines TEE-M:2:2)"
		order B '' "$(lines TEE-M:2:2)"
		order P '"priority":5,"placed_at":"2026-11-25T00:00:00Z"' "$(lines TEE-M:2:2)"
	} | tmpfile in.ndjson)
	run -0 --separate-stderr bo --supply "$s" "$f"
	assert_bos 'A/1 backorder 2 2027-02-10 PO-1=1 MO-1=1 ok' 'B/1 preorder 2 2027-02-10 MO-1=2 ok' \
		'P/1 backorder 2 2026-12-08 PO-1=2 ok'
	# The rules' allocate sort by placed_at alone: A and B (11-20) before P (11-25).
	r=$(rules '{"allocate":{"sort":["placed_at asc"]}}')
	run -0 --separate-stderr bo --supply "$s" --rules "$r" "$f"
	assert_bos 'A/1 backorder 2 2026-12-08 PO-1=2 ok' 'B/1 backorder 2 2027-02-10 PO-1=1 MO-1=1 ok' \
		'P/1 preorder 2 2027-02-10 MO-1=2 ok'
}

@test "with --locations a supply at a location serves only that location's channels" {
	# PO-W lands at the wholesale-only WHS (earlier), PO-D at DC (any channel).
	l=$(printf '%s\n' location,kind,country,region,priority,channels \
		WHS,warehouse,US,NJ,1,wholesale DC,warehouse,US,NJ,2, | tmpfile locations.csv)
	s=$(supply PO-W,po,TEE-M,10,2026-12-01,WHS PO-D,po,TEE-M,10,2026-12-08,DC)
	f=$( { order A '' "$(lines TEE-M:2:2)"; order W '"channel":"wholesale"' "$(lines TEE-M:3:3)"; } | tmpfile in.ndjson)
	run -0 --separate-stderr bo --supply "$s" --locations "$l" "$f"
	assert_bos 'A/1 backorder 2 2026-12-08 PO-D=2 ok' 'W/1 backorder 3 2026-12-01 PO-W=3 ok'
	# With PO-D gone, A has no supply it may take, and the reason says why.
	s2=$(supply PO-W,po,TEE-M,10,2026-12-01,WHS)
	run -0 --separate-stderr bo --supply "$s2" --locations "$l" <(order A)
	assert_equal "$(jq -r 'select(.type == "backorder") | .reason' <<< "$output")" \
		'no supply of TEE-M is at a location that serves dtc'
	# Without --locations a location binds nothing: A takes the earlier PO-W.
	run -0 --separate-stderr bo --supply "$s" "$f"
	assert_bos 'A/1 backorder 2 2026-12-01 PO-W=2 ok' 'W/1 backorder 3 2026-12-01 PO-W=3 ok'
}

@test "a line partly covered says how many have no supply" {
	s=$(supply PO-1,po,TEE-M,4,2026-12-08)
	run -0 --separate-stderr bo --supply "$s" <(order A '' "$(lines TEE-M:10:10)")
	assert_bos 'A/1 backorder 10 2026-12-08 PO-1=4 ok'
	assert_equal "$(jq -r 'select(.type == "backorder") | .reason' <<< "$output")" \
		'4 of 10 covered by PO-1 (po, 4 expected 2026-12-08); 6 have no supply'
	assert_equal "$(jq -r 'select(.type == "notice") | .text' <<< "$output")" \
		'Part of your order #A is on backorder: 4 x TEE M (6 more: no date yet), expected to ship by 8 December 2026.'
}

@test "a ship-complete order ships when its last line can; not before start_ship" {
	s=$(supply PO-1,po,TEE-S,10,2026-12-08 PO-2,po,TEE-M,10,2026-12-15)
	f=$( {
		order C '"ship_complete":true' "$(lines TEE-S:1:1 TEE-M:1:1)"
		order S '"start_ship":"2026-12-10"' "$(lines TEE-S:1:1 TEE-M:1:1)"
		order W '"start_ship":"2026-12-12"' "$(lines TEE-S:1:1)"
		order N '"ship_complete":true,"ship_by":"2026-12-31"' "$(lines TEE-S:1:1 TEE-L:1:1)"
	} | tmpfile in.ndjson)
	run -0 --separate-stderr bo --supply "$s" "$f"
	# C: both lines on 12-15. S: TEE-S waits for its window, 12-10; W's window
	# opens on Saturday 12-12, so Monday 12-14. N: TEE-L has no supply, so
	# neither line has a day, and both are at risk.
	assert_bos 'C/1 backorder 1 2026-12-15 PO-1=1 ok' 'C/2 backorder 1 2026-12-15 PO-2=1 ok' \
		'S/1 backorder 1 2026-12-10 PO-1=1 ok' 'S/2 backorder 1 2026-12-15 PO-2=1 ok' \
		'W/1 backorder 1 2026-12-14 PO-1=1 ok' \
		'N/1 backorder 1 - PO-1=1 risk' 'N/2 unsourced 1 - risk'
	assert_equal "$(jq -r 'select(.type == "backorder") | .reason' <<< "$output" | sed -n '1p;3p;5p;6p')" "$(printf '%s\n' \
		'covered by PO-1 (po, 1 expected 2026-12-08); ship complete: ships with the order'"'"'s last line, 2026-12-15' \
		'covered by PO-1 (po, 1 expected 2026-12-08); not before start_ship 2026-12-10' \
		'covered by PO-1 (po, 1 expected 2026-12-08); not before start_ship 2026-12-12' \
		'covered by PO-1 (po, 1 expected 2026-12-08); ship complete: the order waits for units no supply covers; ship_by 2026-12-31 cannot be met')"
	# N is told nothing: it has no day to tell.
	assert_equal "$(notices "$output")" "$(printf '%s\n' 'C backorder_eta 2026-12-15' 'S backorder_eta 2026-12-15' 'W backorder_eta 2026-12-14')"
}

@test "a supply row's location is named with its supply_id" {
	s=$(supply PO-1,po,TEE-M,1,2026-12-08,EWR PO-1,po,TEE-M,1,2026-12-09,LAX)
	run -0 --separate-stderr bo --supply "$s" <(order A '' "$(lines TEE-M:2:2)")
	assert_equal "$(jq -c 'select(.type == "backorder") | .supply' <<< "$output")" \
		'[{"supply_id":"PO-1","location":"EWR","qty":1},{"supply_id":"PO-1","location":"LAX","qty":1}]'
	assert_equal "$(jq -r 'select(.type == "backorder") | .reason' <<< "$output")" \
		'covered by PO-1 at EWR (po, 1 expected 2026-12-08) and PO-1 at LAX (po, 1 expected 2026-12-09)'
}

# ---- at risk -----------------------------------------------------------------

@test "at risk when the eta falls after ship_by or cancel_after, or units have no supply" {
	s=$(supply PO-1,po,TEE-M,10,2026-12-08)
	f=$( {
		order A '"ship_by":"2026-12-07"'
		order B '"ship_by":"2026-12-08"'
		order C '"ship_by":"2026-12-31","cancel_after":"2026-12-04"'
		order D '"ship_by":"2026-12-31"' "$(lines TEE-L:1:1)"
		order E '' "$(lines TEE-L:1:1)"
	} | tmpfile in.ndjson)
	run -0 --separate-stderr bo --supply "$s" "$f"
	assert_bos 'A/1 backorder 1 2026-12-08 PO-1=1 risk' 'B/1 backorder 1 2026-12-08 PO-1=1 ok' \
		'C/1 backorder 1 2026-12-08 PO-1=1 risk' 'D/1 unsourced 1 - risk' 'E/1 unsourced 1 - ok'
	assert_equal "$(jq -r 'select(.type == "backorder" and .order_id == "C") | .reason' <<< "$output")" \
		'covered by PO-1 (po, 1 expected 2026-12-08); eta 2026-12-08 is after cancel_after 2026-12-04'
	assert_equal "$(jq -r 'select(.type == "backorder" and .order_id == "D") | .reason' <<< "$output")" \
		'no supply of TEE-L is planned; ship_by 2026-12-31 cannot be met'
}

@test "a late PO still covers, counted from --as-of, and the record and stderr say so" {
	# Expected 11-20, before 11-27: counted as arriving 11-27 (a Friday), + 1 day: Mon 11-30.
	s=$(supply PO-1,po,TEE-M,10,2026-11-20)
	r=$(rules '{"backorder":{"receiving_days":1}}')
	run -0 --separate-stderr bo --supply "$s" --rules "$r" <(order A)
	assert_bos 'A/1 backorder 1 2026-11-30 PO-1=1 ok'
	assert_equal "$(jq -r 'select(.type == "backorder") | .reason' <<< "$output")" \
		'covered by PO-1 (po, 1 expected 2026-11-20, late: ships 2026-11-30 at the earliest)'
	stderr_has "supply.csv:2: PO-1 was expected 2026-11-20, before 2026-11-27: it still counts, as arriving 2026-11-27"
}

# ---- demand before its window ---------------------------------------------------

# NOT_YET: the allocation oms-allocate gives an order before its ship window.
NOT_YET='"channel":"wholesale","allocation":{"status":"not_yet","reason":"stock is reserved from 2026-12-07 (start_ship 2026-12-14 less 7 lead days)"}'

@test "an order before its window: its open units are demand, not before start_ship, at risk only past its deadline" {
	# W opens Monday 12-14, cancel_after 12-31; oms-allocate reserved nothing and
	# backordered nothing. Its open units: line 1, 8 less 2 shipped = 6; line 2, 4;
	# line 3 is cancelled and line 4 needs no shipping: no demand. PO-1 brings TEE-M
	# on Tuesday 12-08, before the window: eta 12-14, in time. PO-2 brings TEE-S on
	# 2027-01-05, after cancel_after 12-31: at risk.
	s=$(supply PO-1,po,TEE-M,10,2026-12-08 PO-2,po,TEE-S,10,2027-01-05)
	f=$(order W "$NOT_YET"',"start_ship":"2026-12-14","cancel_after":"2026-12-31"' '[
		{"line_id":"1","sku":"TEE-M","qty":8,"shipped":2,"allocated":[],"backordered":0},
		{"line_id":"2","sku":"TEE-S","qty":4,"allocated":[],"backordered":0},
		{"line_id":"3","sku":"TEE-L","qty":5,"cancelled":true,"allocated":[],"backordered":0},
		{"line_id":"4","sku":"GIFT-BOX","qty":3,"requires_shipping":false,"allocated":[],"backordered":0}]' | tmpfile in.ndjson)
	run -0 --separate-stderr bo --stats --supply "$s" "$f"
	assert_bos 'W/1 backorder 6 2026-12-14 PO-1=6 ok' 'W/2 backorder 4 2027-01-05 PO-2=4 risk'
	assert_equal "$(jq -c 'select(.type == "backorder") | .not_yet' <<< "$output" | tr '\n' ' ')" 'true true '
	assert_equal "$(jq -r 'select(.type == "backorder") | .reason' <<< "$output")" "$(printf '%s\n' \
		'not yet due (start_ship 2026-12-14): projected on supply alone, stock on hand may cover it when its window opens; covered by PO-1 (po, 6 expected 2026-12-08); not before start_ship 2026-12-14' \
		'not yet due (start_ship 2026-12-14): projected on supply alone, stock on hand may cover it when its window opens; covered by PO-2 (po, 4 expected 2027-01-05); eta 2027-01-05 is after cancel_after 2026-12-31')"
	# Nothing is late yet, and stock may cover it: the customer is told nothing.
	assert_equal "$(notices "$output")" ''
	stderr_has 'backorders=2 units=10 po=10 production=0 unsourced=0 preorder=0 not_yet=10 at_risk=1 notices=0 '
	# The order itself passes through as it came.
	assert_equal "$(head -n 1 <<< "$output")" "$(cat "$f")"
}

@test "an order before its window with no supply: unsourced, at risk, in the shortfall from its start_ship" {
	# N opens 12-14 (its ship_by, 12-20, is later: start_ship is when its units are
	# first wanted) and wants 5 TEE-L; D, backordered, wants 2 by 12-18. No TEE-L is
	# planned: 7 short over 2 orders, needed from 12-14.
	f=$( {
		order N "$NOT_YET"',"start_ship":"2026-12-14","ship_by":"2026-12-20","cancel_after":"2026-12-31"' \
			'[{"line_id":"1","sku":"TEE-L","style":"TEE","size":"L","qty":5,"allocated":[],"backordered":0}]'
		order D '"ship_by":"2026-12-18"' "$(lines TEE-L:2:2)"
	} | tmpfile in.ndjson)
	run -0 --separate-stderr bo --shortfall "$BATS_TEST_TMPDIR/short.csv" "$f"
	assert_bos 'N/1 unsourced 5 - risk' 'D/1 unsourced 2 - risk'
	assert_equal "$(jq -r 'select(.type == "backorder" and .order_id == "N") | .reason' <<< "$output")" \
		'not yet due (start_ship 2026-12-14): projected on supply alone, stock on hand may cover it when its window opens; no supply of TEE-L is planned; ship_by 2026-12-20 cannot be met'
	assert_equal "$(cat "$BATS_TEST_TMPDIR/short.csv")" "$(printf '%s\n' \
		'sku,style,color,size,units,orders,earliest_needed,channels' \
		'TEE-L,TEE,,L,7,2,2026-12-14,dtc|wholesale')"
	# Without cancel_after or ship_by nothing dates it: in the shortfall, not at risk.
	f=$(order N "$NOT_YET"',"start_ship":"2026-12-14"' \
		'[{"line_id":"1","sku":"TEE-L","qty":5,"allocated":[],"backordered":0}]' | tmpfile in2.ndjson)
	run -0 --separate-stderr bo --shortfall "$BATS_TEST_TMPDIR/short.csv" "$f"
	assert_bos 'N/1 unsourced 5 - ok'
	assert_equal "$(sed -n 2p "$BATS_TEST_TMPDIR/short.csv")" 'TEE-L,,,,5,1,2026-12-14,wholesale'
}

@test "demand before its window takes supply in the same ranking as backordered units" {
	# 4 TEE-M on PO-1 (12-08), then MO-1 (2027-02-10). P, before its window, has
	# priority 5 and is served first: 3 units of PO-1; A, backordered, gets the last
	# of PO-1 and one of MO-1. With placed_at first, A (placed 11-20) goes first.
	s=$(supply PO-1,po,TEE-M,4,2026-12-08 MO-1,production,TEE-M,9,2027-02-10)
	f=$( {
		order A '' "$(lines TEE-M:2:2)"
		order P "$NOT_YET"',"priority":5,"placed_at":"2026-11-25T00:00:00Z","start_ship":"2026-12-14"' \
			'[{"line_id":"1","sku":"TEE-M","qty":3,"allocated":[],"backordered":0}]'
	} | tmpfile in.ndjson)
	run -0 --separate-stderr bo --supply "$s" "$f"
	assert_bos 'A/1 backorder 2 2027-02-10 PO-1=1 MO-1=1 ok' 'P/1 backorder 3 2026-12-14 PO-1=3 ok'
	run -0 --separate-stderr bo --supply "$s" --rules "$(rules '{"allocate":{"sort":["placed_at asc"]}}')" "$f"
	assert_bos 'A/1 backorder 2 2026-12-08 PO-1=2 ok' 'P/1 backorder 3 2027-02-10 PO-1=2 MO-1=1 ok'
}

@test "--previous: a record made before the window was never told; once backordered, its line is told as news" {
	s=$(supply PO-1,po,TEE-M,10,2026-12-08)
	f=$(order W "$NOT_YET"',"start_ship":"2026-12-14"' \
		'[{"line_id":"1","sku":"TEE-M","qty":3,"allocated":[],"backordered":0}]' | tmpfile in.ndjson)
	bo --supply "$s" "$f" > "$BATS_TEST_TMPDIR/last.ndjson"
	assert_equal "$(bos "$(cat "$BATS_TEST_TMPDIR/last.ndjson")")" 'W/1 backorder 3 2026-12-14 PO-1=3 ok'
	# The window opened; oms-allocate found no stock and backordered the 3 units.
	f=$(order W '"channel":"wholesale","allocation":{"status":"none"},"start_ship":"2026-12-14"' "$(lines TEE-M:3:3)" | tmpfile in2.ndjson)
	run -0 --separate-stderr bo --supply "$s" --previous "$BATS_TEST_TMPDIR/last.ndjson" "$f"
	assert_bos 'W/1 backorder 3 2026-12-14 PO-1=3 ok'
	assert_equal "$(jq -c 'select(.type == "backorder") | .not_yet' <<< "$output")" 'null'
	assert_equal "$(jq -r 'select(.type == "notice") | "\(.kind): \(.text)"' <<< "$output")" \
		'backorder_eta: Part of your order #W is on backorder: 3 x TEE M, expected to ship by 14 December 2026.'
}

@test "an order before its window whose open lines cannot be used is rejected with its line" {
	f=$( {
		order A "$NOT_YET" '[{"line_id":"1","qty":2,"allocated":[],"backordered":0}]'
		order B "$NOT_YET" '[{"sku":"TEE-M","qty":2,"allocated":[],"backordered":0}]'
		order C "$NOT_YET" '[{"line_id":"1","sku":"TEE-M","allocated":[],"backordered":0}]'
		order D "$NOT_YET" '[{"line_id":"1","qty":2,"cancelled":true},{"line_id":"2","sku":"TEE-M","qty":2,"shipped":2}]'
	} | tmpfile in.ndjson)
	run -1 --separate-stderr bo "$f"
	# D has no open units: it passes, with no record.
	assert_equal "$(jq -r '.order_id' <<< "$output" | tr '\n' ' ')" 'D '
	stderr_has 'in.ndjson:1: line 1: 2 open before its ship window, but no sku'
	stderr_has 'in.ndjson:2: line #1 (no line_id): 2 open before its ship window, but no line_id'
	stderr_has 'in.ndjson:3: line 1: before its ship window, but qty (none) cannot be counted'
}

# ---- pre-orders ------------------------------------------------------------------

@test "a pre-order has its own promise: ship_by does not bind it, cancel_after does" {
	# All four on one DTC order due 11-20, long past; PO-1 brings TEE-M on 12-08.
	# Line 1, a pre-order: eta 12-08, not at risk. Line 2, sold in stock: at risk.
	# Line 3, a pre-order nothing covers: no date, but nothing dates it either.
	s=$(supply PO-1,po,TEE-M,10,2026-12-08)
	run -0 --separate-stderr bo --supply "$s" <(order A '"ship_by":"2026-11-20"' "$(lines TEE-M:1:1:pre TEE-M:1:1 TEE-L:1:1:pre)")
	assert_bos 'A/1 preorder 1 2026-12-08 PO-1=1 ok' 'A/2 backorder 1 2026-12-08 PO-1=1 risk' 'A/3 unsourced 1 - ok'
	assert_equal "$(jq -r 'select(.type == "backorder" and .line_id == "1") | .reason' <<< "$output")" \
		'sold as a pre-order; covered by PO-1 (po, 1 expected 2026-12-08)'
	# With cancel_after 12-05 the pre-order's eta misses it, and the one with no
	# supply cannot be met: both at risk, named by cancel_after, not ship_by.
	run -0 --separate-stderr bo --supply "$s" <(order A '"ship_by":"2026-11-20","cancel_after":"2026-12-05"' "$(lines TEE-M:1:1:pre TEE-L:1:1:pre)")
	assert_bos 'A/1 preorder 1 2026-12-08 PO-1=1 risk' 'A/2 unsourced 1 - risk'
	assert_equal "$(jq -r 'select(.type == "backorder") | .reason' <<< "$output")" "$(printf '%s\n' \
		'sold as a pre-order; covered by PO-1 (po, 1 expected 2026-12-08); eta 2026-12-08 is after cancel_after 2026-12-05' \
		'sold as a pre-order; no supply of TEE-L is planned; cancel_after 2026-12-05 cannot be met')"
}

# ---- notices -----------------------------------------------------------------

@test "one notice per order and kind, in plain text, with the latest eta" {
	# Lines with the same date share it: S and XS on 12-08, then M on 12-15.
	s=$(supply PO-1,po,TEE-S,10,2026-12-08 PO-1,po,TEE-XS,10,2026-12-08 PO-2,po,TEE-M,10,2026-12-15 \
		MO-1,production,TEE-L,10,2027-02-10)
	run -0 --separate-stderr bo --supply "$s" <(order A '' "$(lines TEE-S:1:1 TEE-XS:1:1 TEE-M:2:2 TEE-L:1:1)")
	assert_equal "$(notices "$output")" "$(printf '%s\n' 'A backorder_eta 2026-12-15' 'A preorder_eta 2027-02-10')"
	assert_equal "$(jq -r 'select(.kind == "backorder_eta") | .text' <<< "$output")" \
		'Part of your order #A is on backorder: 1 x TEE S, 1 x TEE XS, expected to ship by 8 December 2026; 2 x TEE M, expected to ship by 15 December 2026.'
	assert_equal "$(jq -r 'select(.kind == "preorder_eta") | .text' <<< "$output")" \
		'Part of your order #A is still being made: 1 x TEE L, expected to ship by 10 February 2027.'
	assert_equal "$(jq -c 'select(.kind == "preorder_eta") | .customer' <<< "$output")" '{"id":"c@example.com","name":"C"}'
	# Records and notices follow their order, in this order.
	assert_equal "$(jq -r '.type' <<< "$output" | tr '\n' ' ')" 'order backorder backorder backorder backorder notice notice '
}

@test "--previous: nothing new, no notice; a changed eta, eta_changed; a new line, backorder_eta" {
	s=$(supply PO-1,po,TEE-S,10,2026-12-08 PO-2,po,TEE-M,10,2026-12-15)
	f=$(order A '' "$(lines TEE-S:1:1 TEE-M:1:1)" | tmpfile in.ndjson)
	bo --supply "$s" "$f" > "$BATS_TEST_TMPDIR/last.ndjson"
	run -0 --separate-stderr bo --supply "$s" --previous "$BATS_TEST_TMPDIR/last.ndjson" "$f"
	assert_equal "$(notices "$output")" ''
	# PO-2 slips a week; a third line is backordered too.
	s=$(supply PO-1,po,TEE-S,10,2026-12-08 PO-2,po,TEE-M,10,2026-12-22 PO-3,po,TEE-L,1,2026-12-09)
	f=$(order A '' "$(lines TEE-S:1:1 TEE-M:1:1 TEE-L:1:1)" | tmpfile in.ndjson)
	run -0 --separate-stderr --separate-stderr bo --stats --supply "$s" --previous "$BATS_TEST_TMPDIR/last.ndjson" "$f"
	assert_equal "$(notices "$output")" "$(printf '%s\n' 'A backorder_eta 2026-12-09' 'A eta_changed 2026-12-22')"
	assert_equal "$(jq -r 'select(.kind == "eta_changed") | .text' <<< "$output")" \
		'An update on the ship dates of your order #A: 1 x TEE M, now 22 December 2026 (was 15 December 2026).'
	assert_equal "$(statval eta_changed "$stderr")" 1
}

@test "--previous: a line that lost its supply is told there is no date for now" {
	s=$(supply PO-1,po,TEE-M,10,2026-12-08)
	f=$(order A | tmpfile in.ndjson)
	bo --supply "$s" "$f" > "$BATS_TEST_TMPDIR/last.ndjson"
	run -0 --separate-stderr bo --previous "$BATS_TEST_TMPDIR/last.ndjson" "$f"
	assert_equal "$(jq -r 'select(.type == "notice") | "\(.kind): \(.text)"' <<< "$output")" \
		'eta_changed: An update on the ship dates of your order #A: 1 x TEE M, no date for now: we will write when there is one (was 8 December 2026).'
}

@test "--previous: a line that had no date and now has one is told it as news" {
	f=$(order A | tmpfile in.ndjson)
	bo "$f" > "$BATS_TEST_TMPDIR/last.ndjson"
	run -0 --separate-stderr bo --supply "$(supply PO-1,po,TEE-M,5,2026-12-08)" \
		--previous "$BATS_TEST_TMPDIR/last.ndjson" "$f"
	assert_equal "$(notices "$output")" 'A backorder_eta 2026-12-08'
}

@test "--previous: more units covered on the same date is told too" {
	f=$(order A '' "$(lines TEE-M:5:5)" | tmpfile in.ndjson)
	bo --supply "$(supply PO-1,po,TEE-M,2,2026-12-08)" "$f" > "$BATS_TEST_TMPDIR/last.ndjson"
	run -0 --separate-stderr bo --supply "$(supply PO-1,po,TEE-M,5,2026-12-08)" \
		--previous "$BATS_TEST_TMPDIR/last.ndjson" "$f"
	assert_equal "$(jq -r 'select(.type == "notice") | "\(.kind): \(.text)"' <<< "$output")" \
		'eta_changed: An update on the ship dates of your order #A: 5 x TEE M, expected to ship by 8 December 2026.'
}

@test "--shortfall - is refused: standard output carries the records" {
	run -2 --separate-stderr bo --shortfall - <(order A)
	assert_output ''
	stderr_has '--shortfall: name a file'
	# Nor the file the records go to, under another name.
	run -2 --separate-stderr bo --shortfall "$BATS_TEST_TMPDIR/out" -O "$BATS_TEST_TMPDIR/out" <(order A)
	stderr_has 'are the same file'
	cd "$BATS_TEST_TMPDIR"
	run -2 --separate-stderr bo --shortfall ./new.ndjson -O new.ndjson <(order A)
	stderr_has 'are the same file'
	assert [ ! -e new.ndjson ]
}

@test "--shortfall leaves nothing behind when an input cannot be read" {
	mkdir "$BATS_TEST_TMPDIR/out"
	run -2 --separate-stderr bo --shortfall "$BATS_TEST_TMPDIR/out/short.csv" "$BATS_TEST_TMPDIR/none.ndjson"
	run ls -A "$BATS_TEST_TMPDIR/out"
	assert_output ''
}

@test "--shortfall cells are CSV: a channel with a comma or quote is quoted" {
	run -0 --separate-stderr bo --shortfall "$BATS_TEST_TMPDIR/short.csv" <(order A '"channel":"we,\"ird"')
	assert_equal "$(sed -n 2p "$BATS_TEST_TMPDIR/short.csv")" 'TEE-M,TEE,,M,1,1,2026-11-20,"we,""ird"'
}

@test "--previous that cannot be read stops the run before any record" {
	local rec want
	while IFS='|' read -r rec want; do
		p=$(printf '%s\n' "$rec" | tmpfile prev.ndjson)
		run -2 --separate-stderr bo --previous "$p" <(order A)
		assert_output ''
		stderr_has "prev.ndjson:1: $want"
	done <<- 'EOF'
	{"type":"backorder","order_id":"A","line_id":"1","eta":"soon"}|eta "soon" is not a date (YYYY-MM-DD)
	{"type":"backorder","order_id":"A","line_id":"1","eta":20261208}|eta 20261208 is not a date (YYYY-MM-DD)
	{"type":"backorder","order_id":"A","line_id":"1","supply":"lots"}|supply is not an array of {supply_id, qty}
	{"type":"backorder","order_id":"A","line_id":1}|a backorder record needs order_id and line_id as text
	EOF
	run -2 --separate-stderr bo --previous "$BATS_TEST_TMPDIR/none.ndjson" <(order A)
	stderr_has 'none.ndjson: No such file or directory'
}

# ---- shortfall ---------------------------------------------------------------

@test "--shortfall: a row per SKU of demand no supply covers, by SKU" {
	# TEE-M: 4 on PO-1, A wants 3 (ranked first), B 5 (1 covered): 4 short over B, C.
	# TEE-S: none planned, W wants 6. TEE-L: covered.
	s=$(supply PO-1,po,TEE-M,4,2026-12-08 PO-2,po,TEE-L,9,2026-12-08)
	f=$( {
		order A '"ship_by":"2026-12-01"' "$(lines TEE-M:3:3 TEE-L:1:1)"
		order B '"ship_by":"2026-12-03"' "$(lines TEE-M:5:2)"
		order C '"channel":"b2b","ship_by":"2026-12-02"' "$(lines TEE-M:2:2)"
		order W '"channel":"wholesale","start_ship":"2026-12-10"' "$(lines TEE-S:6:6)"
	} | tmpfile in.ndjson)
	run -0 --separate-stderr bo --supply "$s" --shortfall "$BATS_TEST_TMPDIR/short.csv" "$f"
	assert_equal "$(cat "$BATS_TEST_TMPDIR/short.csv")" "$(printf '%s\n' \
		'sku,style,color,size,units,orders,earliest_needed,channels' \
		'TEE-M,TEE,,M,3,2,2026-12-02,b2b|dtc' \
		'TEE-S,TEE,,S,6,1,2026-12-10,wholesale')"
}

@test "--shortfall is written only when the records are" {
	echo old > "$BATS_TEST_TMPDIR/short.csv"
	run -3 --separate-stderr env OMS_BACKORDER_FAULT=oversupply oms-backorder --as-of "$AS_OF" \
		--supply "$(supply PO-1,po,TEE-M,10,2026-12-08)" --shortfall "$BATS_TEST_TMPDIR/short.csv" <(order A)
	assert_output ''
	stderr_has 'self-check failed, nothing written'
	assert_equal "$(cat "$BATS_TEST_TMPDIR/short.csv")" old
}

# ---- the stream ----------------------------------------------------------------

@test "orders without backorders and other records pass through untouched, in order" {
	f=$( {
		printf '%s\n' '{"type":"order", "order_id":"X","status":"open","lines":[{"line_id":"1","sku":"TEE-M","qty":1,"backordered":0}]}'
		printf '%s\n' '{"type":"tracking","order_id":"X","tracking_number":"1Z"}'
		order C '"status":"cancelled"'
		order D '"status":"closed"'
	} | tmpfile in.ndjson)
	run -0 --separate-stderr bo "$f"
	assert_equal "$output" "$(cat "$f")"
}

@test "old backorder records and ETA notices are consumed and made again: a rerun changes nothing" {
	s=$(supply PO-1,po,TEE-M,10,2026-12-08)
	f=$( { order A; echo '{"type":"notice","order_id":"A","kind":"split_shipment","text":"x"}'; order B; } | tmpfile in.ndjson)
	bo --supply "$s" "$f" > "$BATS_TEST_TMPDIR/once.ndjson"
	run -0 --separate-stderr bo --stats --supply "$s" "$BATS_TEST_TMPDIR/once.ndjson"
	assert_equal "$output" "$(cat "$BATS_TEST_TMPDIR/once.ndjson")"
	# 2 records and 2 notices consumed, made again; the split notice passes.
	assert_equal "$(statval consumed "$stderr")" 4
	assert_equal "$(statval created "$stderr")" 4
	assert_equal "$(statval passed "$stderr")" 1
}

@test "the last export of an order wins; the earlier one is consumed" {
	s=$(supply PO-1,po,TEE-M,10,2026-12-08)
	f=$( { order Z; order A '' "$(lines TEE-M:5:5)"; order B; order A '' "$(lines TEE-M:2:2)"; } | tmpfile in.ndjson)
	run -0 --separate-stderr bo --stats --supply "$s" "$f"
	assert_bos 'Z/1 backorder 1 2026-12-08 PO-1=1 ok' 'B/1 backorder 1 2026-12-08 PO-1=1 ok' \
		'A/1 backorder 2 2026-12-08 PO-1=2 ok'
	assert_equal "$(jq -c 'select(.type == "order") | [.order_id, .lines[0].backordered]' <<< "$output" | tr -d '\n')" \
		'["Z",1]["B",1]["A",2]'
	assert_equal "$(statval consumed "$stderr")" 1
}

@test "an order whose backordered cannot be used is rejected with its line and reason" {
	f=$( {
		order A '' '[{"line_id":"1","sku":"TEE-M","qty":1,"backordered":"two"}]'
		order B '' '[{"line_id":"1","sku":"TEE-M","qty":4,"shipped":2,"backordered":3}]'
		order C '' '[{"line_id":"1","qty":1,"backordered":1}]'
		order E '' '[{"line_id":"1","sku":"TEE-M","qty":1,"backordered":1},{"line_id":"1","sku":"TEE-S","qty":1,"backordered":1}]'
		order F '' '[{"line_id":"1","sku":"TEE-M","qty":1,"backordered":0},{"sku":"TEE-M","shipped":1,"backordered":1}]'
		order D
	} | tmpfile in.ndjson)
	run -1 --separate-stderr bo "$f"
	assert_equal "$(jq -r '.order_id' <<< "$output" | sort -u | tr '\n' ' ')" 'D '
	stderr_has 'in.ndjson:1: lines[1].backordered "two" is not a whole number'
	stderr_has 'in.ndjson:2: line 1: 3 backordered, but qty 4 less shipped 2 leaves 2'
	stderr_has 'in.ndjson:3: line 1: 1 backordered, but no sku'
	stderr_has 'in.ndjson:4: line_id "1" is on two backordered lines'
	stderr_has 'in.ndjson:5: line #2 (no line_id): 1 backordered, but no line_id'
	f=$(order G '' '[{"line_id":"1","sku":"TEE-M","backordered":1}]' | tmpfile in2.ndjson)
	run -1 --separate-stderr bo "$f"
	stderr_has 'in2.ndjson:1: line 1: 1 backordered, but qty (none) cannot be counted'
}

@test "--stats counts lines, units by what covers them, at risk and notices" {
	s=$(supply PO-1,po,TEE-M,3,2026-12-08 MO-1,production,TEE-S,2,2027-02-10)
	f=$(order A '"ship_by":"2026-12-01"' "$(lines TEE-M:5:5 TEE-S:2:2 TEE-L:1:1)" | tmpfile in.ndjson)
	run -0 --separate-stderr bo --stats --supply "$s" "$f"
	stderr_has 'orders=1 backorders=3 units=8 po=3 production=2 unsourced=3 preorder=2 not_yet=0 at_risk=3 notices=2 eta_changed=0 late_supply=0'
}

@test "--help, --version, an unknown option, a missing input, an empty input" {
	run -0 --separate-stderr oms-backorder --help
	assert_output --partial 'usage: oms-backorder'
	run -0 --separate-stderr oms-backorder --version
	assert_output --partial 'oms-backorder'
	run -2 --separate-stderr oms-backorder --supplies x
	run -2 --separate-stderr oms-backorder "$BATS_TEST_TMPDIR/none.ndjson"
	stderr_has 'none.ndjson'
	# An empty input is the sign of a failed stage before (tests/empty-input.bats).
	run -2 --separate-stderr oms-backorder < /dev/null
	assert_output ''
	run -0 --separate-stderr oms-backorder --allow-empty < /dev/null
	assert_output ''
}

@test "orders read from CSV get the same records as from NDJSON" {
	s=$(supply PO-1,po,TEE-M,3,2026-12-08)
	f=$( { order A '' "$(lines TEE-M:5:5)"; order B '' "$(lines TEE-M:2:1 TEE-S:1:1)"; } | tmpfile in.ndjson)
	oms-import -o csv "$f" > "$BATS_TEST_TMPDIR/in.csv"
	run -0 --separate-stderr bo --supply "$s" "$f"
	want=$(grep -v '"type":"order"' <<< "$output")
	run -0 --separate-stderr bo --supply "$s" -i csv "$BATS_TEST_TMPDIR/in.csv"
	assert_equal "$(grep -v '"type":"order"' <<< "$output")" "$want"
}

@test "more than 10^18 backordered units in one run are refused, not summed past 2^63" {
	# 1001 orders of 1000 lines of 10^12 units: the last order would pass 10^18.
	f=$(awk 'BEGIN { for (i = 1; i <= 1001; i++) {
		printf "{\"type\":\"order\",\"order_id\":\"O%d\",\"lines\":[", i
		for (j = 1; j <= 1000; j++)
			printf "%s{\"line_id\":\"%d\",\"sku\":\"T\",\"qty\":1000000000000,\"backordered\":1000000000000}", (j > 1 ? "," : ""), j
		print "]}" } }' | tmpfile in.ndjson)
	run -1 --separate-stderr bo --stats --rejects /dev/null -O /dev/null "$f"
	stderr_has "in.ndjson:1001: the run's backordered units pass 10^18"
	stderr_has "rejected=1 "
	stderr_has "units=1000000000000000000 "
}

@test "-o csv is refused: the output holds several record types" {
	run -2 --separate-stderr bo -o csv <(order A)
	stderr_has 'NDJSON'
}

# ---- bad supply ------------------------------------------------------------------

@test "a supply file that cannot be used stops the run before any record (exit 2)" {
	local row want
	while IFS='|' read -r row want; do
		s=$(supply PO-0,po,TEE-M,1,2026-12-08 "$row")
		run -2 --separate-stderr bo --supply "$s" <(order A)
		assert_output ''
		stderr_has "supply.csv:3: $want"
	done <<- 'EOF'
	PO-1,po,TEE-M,-3,2026-12-08|qty "-3" is not a whole number from 0 to 10^12
	PO-1,po,TEE-M,two,2026-12-08|qty "two" is not a whole number from 0 to 10^12
	PO-1,transfer,TEE-M,3,2026-12-08|kind "transfer" is not po or production
	PO-1,po,TEE-M,3,2026-12-32|expected_date "2026-12-32" is not a date (YYYY-MM-DD)
	,po,TEE-M,3,2026-12-08|supply_id is empty
	PO-0,po,TEE-M,3,2026-12-20|PO-0 TEE-M is listed twice (also at line 2)
	EOF
	# 9999-12-31 is a Friday: two receiving days later is past any date.
	s=$(supply PO-0,po,TEE-M,1,2026-12-08 PO-9,po,TEE-M,3,9999-12-31)
	run -2 --separate-stderr bo --supply "$s" --rules "$(rules '{"backorder":{"receiving_days":2}}')" <(order A)
	stderr_has "supply.csv:3: PO-9: its units would ship after 9999-12-31"
}

@test "an unknown location in the supply file is refused with --locations" {
	l=$(printf '%s\n' location,kind,country,region,priority,channels DC,warehouse,US,NJ,1, | tmpfile locations.csv)
	s=$(supply PO-1,po,TEE-M,3,2026-12-08,LAX)
	run -2 --separate-stderr bo --supply "$s" --locations "$l" <(order A)
	stderr_has 'supply.csv:2: location "LAX" is not in the locations file'
}

@test "the same PO at two locations for one SKU is two rows, not a duplicate" {
	s=$(supply PO-1,po,TEE-M,1,2026-12-08,A PO-1,po,TEE-M,1,2026-12-09,B)
	run -0 --separate-stderr bo --supply "$s" <(order A '' "$(lines TEE-M:2:2)")
	assert_bos 'A/1 backorder 2 2026-12-09 PO-1=1 PO-1=1 ok'
}

@test "an unknown key in the backorder rules is refused" {
	r=$(rules '{"backorder":{"receiving":2}}')
	run -2 --separate-stderr bo --rules "$r" <(order A)
	stderr_has 'backorder: unknown key "receiving"'
}
