#!/usr/bin/env bats
# The apparel rules over several nights (issue 16): each night oms-allocate
# then oms-split run on the book the night before left, with that night's
# inventory and date, as examples/nightly.sh does. Every expectation is worked
# out by hand in the comment above it.
#
# The brand: one wholesale channel (size runs, a hold policy for partial
# orders) and dtc. Locations: EWR (priority 1, every channel, at most 1 order
# and 10 units a run) and LAX (priority 2, no limit). The HOOD style in Black
# comes in S, M and L.

setup() {
	load helpers/common
	D=$BATS_TEST_TMPDIR
	printf '%s\n' location,kind,country,region,priority,channels,max_orders,max_units \
		EWR,warehouse,US,NJ,1,,1,10 LAX,warehouse,US,CA,2,,, > "$D/locations.csv"
	printf '%s\n' sku,upc,style,color,size,size_index,case_pack \
		HOOD-S,,HOOD,Black,S,1, HOOD-M,,HOOD,Black,M,2, HOOD-L,,HOOD,Black,L,3, \
		TEE-M,,TEE,White,M,2, > "$D/catalog.csv"
	printf '%s\n' '{"allocate":{"size_run":["wholesale"],"lead_days":7},' \
		' "split":{"partial":{"wholesale":"hold"}}}' > "$D/rules.json"
}

# inventory ROW...: that night's inventory (location,sku,on_hand rows).
inventory() { printf '%s\n' location,sku,on_hand "$@" > "$D/inventory.csv"; }

# night DATE BOOK: allocate and split BOOK as of DATE; the split output in
# $D/night.ndjson and on standard output, the tickets in $D/m.
night() {
	oms-allocate --as-of "$1" --rules "$D/rules.json" --locations "$D/locations.csv" \
		--catalog "$D/catalog.csv" --inventory "$D/inventory.csv" --explain "$2" > "$D/alloc.ndjson" &&
		oms-split --as-of "$1" --rules "$D/rules.json" --locations "$D/locations.csv" \
			--manifest-dir "$D/m" "$D/alloc.ndjson" > "$D/night.ndjson" &&
		cp "$D/night.ndjson" "$D/book.ndjson" && cat "$D/night.ndjson"
}

# What each order's allocation is: "ID STATUS SKU=LOC:QTY ...".
allocs() {
	jq -r 'select(.type == "order") | [.order_id, .allocation.status]
		+ [.lines[] | .sku + "=" + ([.allocated[]? | "\(.location):\(.qty)"] | join(","))] | join(" ")' "$D/night.ndjson"
}
# Each shipment: "ID LOCATION STATUS UNITS", and a held one's reason after " | ".
ships() {
	jq -r 'select(.type == "shipment") | "\(.shipment_id) \(.location // "-") \(.status) \(.units)"
		+ (if .status == "held" or .status == "cancelled" then " | " + .reason else "" end)' "$D/night.ndjson"
}
# The shipment ids on LOCATION's pick ticket, and on its void list.
ticket() { tail -n +2 "$D/m/$1.csv" | cut -d, -f2 | sort -u | paste -sd' '; }
voids() { tail -n +2 "$D/m/void/$1.csv" | cut -d, -f2 | sort -u | paste -sd' '; }

# wholesale ID FIELDS SKU:QTY...: an open wholesale order.
order() {
	local id=$1 ch=$2 f=$3 i=0 lines= a
	shift 3
	for a; do
		i=$((i + 1))
		lines+="${lines:+,}{\"line_id\":\"$i\",\"sku\":\"${a%:*}\",\"qty\":${a#*:},\"unit_price\":\"10.00\"}"
	done
	printf '{"type":"order","order_id":"%s","channel":"%s","status":"open","currency":"USD"%s,"lines":[%s]}\n' \
		"$id" "$ch" "${f:+,$f}" "$lines"
}

@test "a size run recounted short is released whole, its released shipment cancelled and voided, never shipped in part" {
	# Night 1 (11-26): W wants 4 of each size, EWR (no limit here) has 6 of
	# each: allocated whole, released, on EWR's ticket.
	printf '%s\n' location,kind,country,region,priority,channels,max_orders,max_units \
		EWR,warehouse,US,NJ,1,,, LAX,warehouse,US,CA,2,,, > "$D/locations.csv"
	inventory EWR,HOOD-S,6 EWR,HOOD-M,6 EWR,HOOD-L,6
	order W wholesale '' HOOD-S:4 HOOD-M:4 HOOD-L:4 > "$D/book.ndjson"
	run -0 night 2026-11-26 "$D/book.ndjson"
	assert_equal "$(allocs)" "W full HOOD-S=EWR:4 HOOD-M=EWR:4 HOOD-L=EWR:4"
	assert_equal "$(ships)" "W/1 EWR released 12"
	assert_equal "$(ticket EWR)" "W/1"
	# Night 2: M is recounted to 3 (the 4 of M no longer fit). The run is
	# released whole: S and L give back their 4 too, and the order is held
	# with nothing; its released shipment is cancelled and on the void list.
	inventory EWR,HOOD-S,6 EWR,HOOD-M,3 EWR,HOOD-L,6
	run -0 night 2026-11-27 "$D/book.ndjson"
	assert_equal "$(allocs)" "W held HOOD-S= HOOD-M= HOOD-L="
	assert_equal "$(jq -r 'select(.type == "order") | .allocation.reason' "$D/night.ndjson")" \
		"size run HOOD/Black held: HOOD-M is 1 short"
	assert_equal "$(jq -r 'select(.type == "order") | .allocation.trace[]' "$D/night.ndjson" | head -2)" \
		"$(printf '%s\n' 'released 4 of HOOD-M at EWR: its stock there fell' \
			'size run HOOD/Black released whole: HOOD-M is 4 short')"
	assert_equal "$(ships)" "$(printf '%s\n' \
		'W/2 - held 0 | allocation held: size run HOOD/Black held: HOOD-M is 1 short' \
		'W/1 EWR cancelled 12 | re-planned: line 1 (HOOD-S): 4 released from EWR, 0 allocated there now')"
	assert_equal "$(ticket EWR)" ""
	assert_equal "$(voids EWR)" "W/1"
	# Night 3: M is back to 6: the run is allocated whole again and ships.
	inventory EWR,HOOD-S,6 EWR,HOOD-M,6 EWR,HOOD-L,6
	run -0 night 2026-11-28 "$D/book.ndjson"
	assert_equal "$(allocs)" "W full HOOD-S=EWR:4 HOOD-M=EWR:4 HOOD-L=EWR:4"
	assert_equal "$(ships)" "$(printf '%s\n' \
		'W/2 EWR released 12' \
		'W/1 EWR cancelled 12 | re-planned: line 1 (HOOD-S): 4 released from EWR, 0 allocated there now')"
	assert_equal "$(ticket EWR)" "W/2"
}

@test "oms-split holds a size run allocated in part by anyone else, and releases the rest of the order" {
	# An allocation made by hand (not oms-allocate): HOOD S and L allocated,
	# M not; TEE-M (another run) whole. The order's new shipment is held:
	# nothing of it ships while a run is part-filled.
	jq -nc '{type:"order",order_id:"H",channel:"wholesale",status:"open",currency:"USD",
		allocation:{status:"partial"},lines:[
		{line_id:"1",sku:"HOOD-S",style:"HOOD",color:"Black",qty:2,allocated:[{location:"EWR",qty:2}]},
		{line_id:"2",sku:"HOOD-M",style:"HOOD",color:"Black",qty:2},
		{line_id:"3",sku:"TEE-M",style:"TEE",color:"White",qty:1,allocated:[{location:"EWR",qty:1}]}]}' > "$D/in.ndjson"
	printf '{"split":{"partial":{"wholesale":"ship"}},"allocate":{"size_run":["wholesale"]}}\n' > "$D/r.json"
	run -0 oms-split --as-of 2026-11-26 --rules "$D/r.json" "$D/in.ndjson"
	assert_equal "$(jq -r 'select(.type == "shipment") | "\(.status) | \(.reason)"' <<< "$output")" \
		"held | size run HOOD/Black incomplete: HOOD-M has 0 of 2 units allocated"
	# dtc keeps no runs: the same order ships what it has.
	run -0 oms-split --as-of 2026-11-26 --rules "$D/r.json" <<< "$(jq -c '.channel = "dtc"' "$D/in.ndjson")"
	assert_equal "$(jq -r 'select(.type == "shipment") | .status' <<< "$output")" released
}

@test "a window opening over three nights: reserved ahead, held, then on the ticket the day it opens" {
	# lead_days 7; W starts 11-30 and has every size. 11-22: before its stock
	# is reserved (not_yet). 11-23 (start less 7): reserved at EWR, held by
	# oms-split until 11-30, and it takes no capacity: D, ranked lower, still
	# gets EWR (1 order a run). 11-30: released, on EWR's ticket.
	printf '%s\n' location,kind,country,region,priority,channels,max_orders,max_units \
		EWR,warehouse,US,NJ,1,,1, LAX,warehouse,US,CA,2,,, > "$D/locations.csv"
	inventory EWR,HOOD-S,6 EWR,HOOD-M,6 EWR,HOOD-L,6 EWR,TEE-M,5 LAX,TEE-M,5
	{
		order W wholesale '"priority":9,"start_ship":"2026-11-30","cancel_after":"2026-12-10"' HOOD-S:2 HOOD-M:2 HOOD-L:2
		order D dtc '"ship_by":"2026-11-24"' TEE-M:1
	} > "$D/book.ndjson"
	run -0 night 2026-11-22 "$D/book.ndjson"
	assert_equal "$(allocs)" "$(printf '%s\n' 'W not_yet HOOD-S= HOOD-M= HOOD-L=' 'D full TEE-M=EWR:1')"
	assert_equal "$(ships)" "$(printf '%s\n' \
		'W/1 - held 0 | allocation not_yet: stock is reserved from 2026-11-23 (start_ship 2026-11-30 less 7 lead days)' \
		'D/1 EWR released 1')"
	run -0 night 2026-11-23 "$D/book.ndjson"
	assert_equal "$(allocs)" "$(printf '%s\n' 'W full HOOD-S=EWR:2 HOOD-M=EWR:2 HOOD-L=EWR:2' 'D full TEE-M=EWR:1')"
	assert_equal "$(ships)" "$(printf '%s\n' 'W/1 EWR held 6 | ship window opens 2026-11-30' 'D/1 EWR released 1')"
	assert_equal "$(ticket EWR)" "D/1"
	# A new dtc order E on 11-29: EWR's one order is D's (still to ship), so
	# E goes to LAX; W, held, takes none of it.
	order E dtc '' TEE-M:1 >> "$D/book.ndjson"
	run -0 night 2026-11-29 "$D/book.ndjson"
	assert_equal "$(allocs)" "$(printf '%s\n' 'W full HOOD-S=EWR:2 HOOD-M=EWR:2 HOOD-L=EWR:2' 'D full TEE-M=EWR:1' 'E full TEE-M=LAX:1')"
	assert_equal "$(ships)" "$(printf '%s\n' 'W/1 EWR held 6 | ship window opens 2026-11-30' 'D/1 EWR released 1' 'E/1 LAX released 1')"
	run -0 night 2026-11-30 "$D/book.ndjson"
	assert_equal "$(ships)" "$(printf '%s\n' 'W/1 EWR released 6' 'D/1 EWR released 1' 'E/1 LAX released 1')"
	assert_equal "$(ticket EWR)" "D/1 W/1"
	assert_equal "$(head -1 "$D/m/EWR.csv" | rev | cut -d, -f2-3 | rev)" "start_ship,cancel_after"
	assert_equal "$(grep -m1 '^EWR,W/1,' "$D/m/EWR.csv" | rev | cut -d, -f2-3 | rev)" "2026-11-30,2026-12-10"
}

@test "a case remainder: warned at import, never allocated nor promised, and the order ships what it can" {
	# W orders 18 of TEE-M in cases of 12 (the catalog's pack). Import warns
	# where the line is. With plenty of stock: 12 allocated, 6 the case
	# remainder, not backordered; the order is full, so the wholesale hold
	# policy releases it (it held it forever as "12 of 18"); oms-backorder
	# makes no record and promises no date for the 6.
	printf '%s\n' sku,upc,style,color,size,size_index,case_pack TEE-M,,TEE,White,M,2,12 > "$D/catalog.csv"
	inventory LAX,TEE-M,100
	order W wholesale '"placed_at":"2026-11-20T10:00:00Z"' TEE-M:18 > "$D/in.ndjson"
	run -0 --separate-stderr oms-import --catalog "$D/catalog.csv" "$D/in.ndjson"
	assert_equal "$stderr" "oms-import: $D/in.ndjson:1: order W line 1: 18 of TEE-M is not whole cases of 12: case remainder 6, never allocated"
	printf '%s\n' "$output" > "$D/book.ndjson"
	run -0 night 2026-11-26 "$D/book.ndjson"
	assert_equal "$(allocs)" "W full TEE-M=LAX:12"
	assert_equal "$(jq -c 'select(.type == "order") | [.allocation.reason, .lines[0].backordered, .lines[0].case_remainder]' "$D/night.ndjson")" \
		'["case remainder, never allocated: 6 of TEE-M (case pack 12)",0,6]'
	assert_equal "$(ships)" "W/1 LAX released 12"
	printf '%s\n' supply_id,kind,sku,qty,expected_date TEST-PO,po,TEE-M,50,2026-12-05 > "$D/supply.csv"
	run -0 oms-backorder --as-of 2026-11-26 --supply "$D/supply.csv" "$D/night.ndjson"
	assert_equal "$(jq -c 'select(.type == "backorder")' <<< "$output")" ""
	# The next night the same: still 12 on the shipment, still 6 left over.
	run -0 night 2026-11-27 "$D/book.ndjson"
	assert_equal "$(ships)" "W/1 LAX released 12"
}
