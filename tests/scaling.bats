#!/usr/bin/env bats
# scaling.bats: a record twice as big costs about twice the time (issue 13).
#
# Each test generates its input at size n and 2n, times the tool on each
# (the best of 3 runs, in processor time: other work on a busy machine is
# not counted) and fails when the larger takes more than 2.5 times the
# smaller: a cost that grows with the square of the record's size takes 4
# times. An input holds several records of the size, each small enough for
# the processor's caches, so that the ratio measures the algorithm and not
# the memory. A run of the larger past 10 times the smaller (wall clock, and
# a second) is stopped, so a runaway cost fails without waiting for it.
# Sizes are chosen so the smaller run takes about 0.3 s with the normal
# build; they are divided by 4 for the sanitizer build (OMS_BIN naming a
# "san" folder), or by OMS_SCALING_DIV when it is set.
load helpers/common

setup() {
	T=$BATS_TEST_TMPDIR
	DIV=${OMS_SCALING_DIV:-1}
	[[ -z ${OMS_SCALING_DIV:-} && ${OMS_BIN:-} == *san* ]] && DIV=4
	L=$FIX/allocate/locations.csv
}

# size N: N for the build under test.
size() { echo $(($1 / DIV)); }

# best_us LIMIT_US CMD...: the best of 3 runs of CMD (output to $T/timed.out,
# $T/timed.err), in microseconds of processor time (user and system: what
# other work on a busy machine takes is not counted); a run stopped at
# LIMIT_US of the wall clock (0: none) counts as LIMIT_US. A run longer than
# 3 s is not repeated: noise is small beside it.
best_us() {
	local limit=$1 best=0 us secs cpu TIMEFORMAT='%3U %3S'
	shift
	secs=$(printf '%d.%06d' $((limit / 1000000)) $((limit % 1000000)))
	for _ in 1 2 3; do
		if ((limit)); then
			cpu=$({ time timeout "$secs" "$@" > "$T/timed.out" 2> "$T/timed.err"; } 2>&1)
			[ $? -eq 124 ] && cpu="$secs 0.000"
		else
			cpu=$({ time "$@" > "$T/timed.out" 2> "$T/timed.err"; } 2>&1)
		fi
		us=$(awk '{ printf "%d", ($1 + $2) * 1000000 }' <<< "$cpu")
		((limit && us > limit)) && us=$limit
		((best == 0 || us < best)) && best=$us
		((us > 3000000)) && break
	done
	echo "$best"
}

# scales SMALL_CMD... -- LARGE_CMD...: the larger input takes at most 2.5
# times the smaller. A busy machine gets three tries at the pair; a cost that
# grows with the square fails all three.
scales() {
	local small=() ts tl try
	while [[ $1 != -- ]]; do
		small+=("$1")
		shift
	done
	shift
	for try in 1 2 3; do
		ts=$(best_us 0 "${small[@]}")
		tl=$(best_us $((10 * ts + 1000000)) "$@")
		echo "# n: $((ts / 1000)) ms, 2n: $((tl / 1000)) ms, ratio $((100 * tl / ts))%" >&3
		((10 * tl <= 25 * ts)) && return 0
	done
	fail "2n took $((tl / 1000)) ms, n $((ts / 1000)) ms: $((100 * tl / ts))% of it, past 250% three times"
}

# big_orders ORDERS LINES [DUP]: ORDERS orders A1.. of LINES lines each,
# line_ids L1.., SKUs S0..S49; with DUP, the last order's last line repeats
# the line_id L<DUP>.
big_orders() {
	awk -v k="$1" -v n="$2" -v dup="${3:-}" 'BEGIN {
		for (o = 1; o <= k; o++) {
			printf "{\"type\":\"order\",\"order_id\":\"A%d\",\"channel\":\"dtc\",\"lines\":[", o
			for (i = 1; i <= n; i++) {
				id = (o == k && i == n && dup != "") ? dup : i
				printf "%s{\"line_id\":\"L%s\",\"sku\":\"S%d\",\"qty\":1}", (i > 1 ? "," : ""), id, i % 50
			}
			print "]}"
		}
	}'
}

@test "one order of many lines: oms-import's repeated line_id check is linear (was every pair)" {
	local n
	# Orders of 2,500 and 5,000 lines: of 10,000 and 20,000 the larger no longer
	# fitted the caches of a shared build machine (3.2 times, the code linear).
	n=$(size 2500)
	big_orders 128 "$n" 7 > "$T/n.ndjson"
	big_orders 128 $((2 * n)) 7 > "$T/2n.ndjson"
	scales oms-import "$T/n.ndjson" -- oms-import "$T/2n.ndjson"
	# Every line of the first 127 comes out; the repeat in the last is still found.
	run -1 --separate-stderr oms-import "$T/2n.ndjson"
	assert_equal "$(jq -s -c 'map(.lines | length) | unique + [length]' <<< "$output")" "[$((2 * n)),127]"
	assert_equal "${stderr%%$'\n'*}" "oms-import: $T/2n.ndjson:128: line_id \"L7\" appears twice"
}

# edi850 POS LINES: 850 purchase orders 1..POS of LINES PO1 lines each,
# each line split over two stores (SDQ).
edi850() {
	awk -v k="$1" -v n="$2" 'BEGIN {
		print "ISA*00*          *00*          *ZZ*HALCYONDS      *ZZ*NORTHWINDTH    *250303*0915*U*00401*000000417*0*P*>~"
		print "GS*PO*HALCYONDS*NORTHWINDTH*20250303*0915*417*X*004010VICS~"
		for (p = 1; p <= k; p++) {
			printf "ST*850*%04d~\n", p
			printf "BEG*00*SA*%d**20250303~\n", p
			print "CUR*BY*USD~"
			print "N1*ST*HALCYON DC 0600*92*0600~"
			print "N4*SECAUCUS*NJ*07094*US~"
			for (i = 1; i <= n; i++) {
				printf "PO1*%d*2*EA*14.00*PE*VN*SKU-%d~\n", i, i
				print "SDQ*EA*92*0042*1*0107*1~"
			}
			printf "CTT*%d~\n", n
			printf "SE*%d*%04d~\n", 2 * n + 7, p
		}
		printf "GE*%d*417~\n", k
		print "IEA*1*000000417~"
	}'
}

@test "EDI 850s of many lines: oms-import reads each in linear time (was every pair)" {
	local n
	n=$(size 2500)
	edi850 16 "$n" > "$T/n.850"
	edi850 16 $((2 * n)) > "$T/2n.850"
	scales oms-import "$T/n.850" -- oms-import "$T/2n.850"
	run -0 --separate-stderr oms-import "$T/2n.850"
	assert_equal "$(jq -s -c 'map(.lines | length) | unique + [length]' <<< "$output")" "[$((2 * n)),16]"
	assert_equal "$(jq -s -c '.[-1].lines[-1] | [.line_id, .sku, .qty, .distribution]' <<< "$output")" \
		"[\"$((2 * n))\",\"SKU-$((2 * n))\",2,[{\"store\":\"0042\",\"qty\":1},{\"store\":\"0107\",\"qty\":1}]]"
}

# wide COLUMNS SEP: a record CSV (or TSV) of one order whose header has
# COLUMNS unknown columns between its known ones; the last unknown one has
# a value.
wide() {
	awk -v n="$1" -v s="$2" 'BEGIN {
		printf "order_id%schannel%slines.sku", s, s
		for (i = 1; i <= n; i++)
			printf "%sx%d", s, i
		printf "%slines.qty\nA%sdtc%sS1", s, s, s
		for (i = 1; i < n; i++)
			printf "%s", s
		printf "%slast%s3\n", s, s
	}'
}

@test "a CSV header of many columns: oms-import finds its columns in linear time (was every pair)" {
	local n
	n=$(size 25000)
	wide "$n" , > "$T/n.csv"
	wide $((2 * n)) , > "$T/2n.csv"
	scales oms-import $(printf "$T/n.csv %.0s" {1..16}) -- oms-import $(printf "$T/2n.csv %.0s" {1..16})
	run -0 --separate-stderr oms-import "$T/2n.csv"
	assert_equal "$(jq -c "[.order_id, .lines[0].sku, .lines[0].qty, .x$((2 * n))]" <<< "$output")" '["A","S1",3,"last"]'
	# A column named twice is still refused, however wide the header.
	sed '1s/$/,x1/; 2s/$/,/' "$T/2n.csv" > "$T/twice.csv"
	run -2 --separate-stderr oms-import "$T/twice.csv"
	assert_equal "$stderr" "oms-import: $T/twice.csv:1: column \"x1\" appears twice in the header (columns 4 and $((2 * n + 5)))"
}

@test "a TSV header of many columns: oms-allocate finds its columns in linear time" {
	local n
	n=$(size 25000)
	wide "$n" $'\t' > "$T/n.tsv"
	wide $((2 * n)) $'\t' > "$T/2n.tsv"
	scales oms-allocate -i tsv --locations "$L" --inventory "$FIX/allocate/inventory.csv" $(printf "$T/n.tsv %.0s" {1..16}) -- \
		oms-allocate -i tsv --locations "$L" --inventory "$FIX/allocate/inventory.csv" $(printf "$T/2n.tsv %.0s" {1..16})
	run -0 --separate-stderr oms-allocate -i tsv --locations "$L" --inventory "$FIX/allocate/inventory.csv" "$T/2n.tsv"
	assert_equal "$(jq -c "[.order_id, .lines[0].sku, .lines[0].qty, .x$((2 * n))]" <<< "$output")" '["A","S1",3,"last"]'
}

# confirmations ORDERS N: orders A1.. of one line of a million units, each
# with N confirmations of one unit, by line_id.
confirmations() {
	awk -v k="$1" -v n="$2" 'BEGIN {
		for (o = 1; o <= k; o++) {
			printf "{\"type\":\"order\",\"order_id\":\"A%d\",\"channel\":\"dtc\",\"lines\":[{\"line_id\":\"1\",\"sku\":\"S1\",\"qty\":1000000}]}\n", o
			for (i = 1; i <= n; i++)
				printf "{\"type\":\"tracking\",\"order_id\":\"A%d\",\"shipment_id\":\"A%d/%d\",\"lines\":[{\"line_id\":\"1\",\"qty\":1}]}\n", o, o, i
		}
	}'
}

@test "many confirmations of one order: oms-allocate takes each in constant time (copied the tracked list each time)" {
	local n
	n=$(size 10000)
	printf 'location,sku,on_hand\nEWR,S1,5\n' > "$T/inventory.csv"
	confirmations 8 "$n" > "$T/n.ndjson"
	confirmations 8 $((2 * n)) > "$T/2n.ndjson"
	scales oms-allocate --locations "$L" --inventory "$T/inventory.csv" "$T/n.ndjson" -- \
		oms-allocate --locations "$L" --inventory "$T/inventory.csv" "$T/2n.ndjson"
	# Every confirmation counted once, in order; a second run adds nothing.
	oms-allocate --locations "$L" --inventory "$T/inventory.csv" "$T/2n.ndjson" > "$T/out"
	run -0 --separate-stderr oms-allocate --locations "$L" --inventory "$T/inventory.csv" "$T/out"
	assert_equal "$(jq -s -c 'map(select(.type == "order") | [.lines[0].shipped, (.allocation.tracked | length), .allocation.tracked[0], .allocation.tracked[-1]]) | .[-1] + [length]' <<< "$output")" \
		"[$((2 * n)),$((2 * n)),\"A8/1\",\"A8/$((2 * n))\",8]"
	assert_equal "$(jq -s -c 'map(select(.type == "order") | .lines[0].shipped) | unique' <<< "$output")" "[$((2 * n))]"
}

# lines_and_confirmations ORDERS N: orders A1.. of N lines of one SKU, each
# of one unit, and N confirmations of one unit each: the first half names
# the second half's lines by line_id, the second half names only the SKU.
lines_and_confirmations() {
	awk -v k="$1" -v n="$2" 'BEGIN {
		for (o = 1; o <= k; o++) {
			printf "{\"type\":\"order\",\"order_id\":\"A%d\",\"channel\":\"dtc\",\"lines\":[", o
			for (i = 1; i <= n; i++)
				printf "%s{\"line_id\":\"L%d\",\"sku\":\"S1\",\"qty\":1}", (i > 1 ? "," : ""), i
			print "]}"
			for (i = 1; i <= n; i++) {
				l = i <= n / 2 ? "\"line_id\":\"L" (n / 2 + i) "\"" : "\"sku\":\"S1\""
				printf "{\"type\":\"tracking\",\"order_id\":\"A%d\",\"shipment_id\":\"A%d/%d\",\"lines\":[{%s,\"qty\":1}]}\n", o, o, i, l
			}
		}
	}'
}

@test "many confirmations of an order of many lines: oms-allocate finds each line in constant time" {
	local n
	n=$(size 5000)
	printf 'location,sku,on_hand\nEWR,S1,5\n' > "$T/inventory.csv"
	lines_and_confirmations 8 "$n" > "$T/n.ndjson"
	lines_and_confirmations 8 $((2 * n)) > "$T/2n.ndjson"
	scales oms-allocate --locations "$L" --inventory "$T/inventory.csv" "$T/n.ndjson" -- \
		oms-allocate --locations "$L" --inventory "$T/inventory.csv" "$T/2n.ndjson"
	# Each line shipped once: those named, then the SKU's from the first.
	run -0 --separate-stderr oms-allocate --locations "$L" --inventory "$T/inventory.csv" "$T/2n.ndjson"
	assert_equal "$(jq -s -c 'map(select(.type == "order") | [(.lines | map(.shipped) | unique), (.allocation.tracked | length)]) | unique + [length]' <<< "$output")" \
		"[[[1],$((2 * n))],8]"
}

@test "an order exported twice: oms-allocate matches its lines in linear time (was every pair)" {
	local n
	n=$(size 20000)
	{ big_orders 4 "$n"; big_orders 4 "$n"; } > "$T/n.ndjson"
	{ big_orders 4 $((2 * n)); big_orders 4 $((2 * n)); } > "$T/2n.ndjson"
	scales oms-allocate --locations "$L" --inventory "$FIX/allocate/inventory.csv" "$T/n.ndjson" -- \
		oms-allocate --locations "$L" --inventory "$FIX/allocate/inventory.csv" "$T/2n.ndjson"
	run -0 --separate-stderr oms-allocate --locations "$L" --inventory "$FIX/allocate/inventory.csv" "$T/2n.ndjson"
	assert_equal "$(jq -s -c 'map(.lines | length)' <<< "$output")" "[$((2 * n)),$((2 * n)),$((2 * n)),$((2 * n))]"
}

# spread ORDERS N: orders A1.. of N lines, each line allocated at a
# location of its own.
spread() {
	awk -v k="$1" -v n="$2" 'BEGIN {
		for (o = 1; o <= k; o++) {
			printf "{\"type\":\"order\",\"order_id\":\"A%d\",\"channel\":\"dtc\",\"lines\":[", o
			for (i = 1; i <= n; i++)
				printf "%s{\"line_id\":\"L%d\",\"sku\":\"S%d\",\"qty\":1,\"allocated\":[{\"location\":\"W%d\",\"qty\":1}]}", (i > 1 ? "," : ""), i, i, i
			print "]}"
		}
	}'
}

@test "an order of many lines over many locations: oms-split plans it in linear time (was every pair)" {
	local n
	n=$(size 1250)
	spread 32 "$n" > "$T/n.ndjson"
	spread 32 $((2 * n)) > "$T/2n.ndjson"
	scales oms-split "$T/n.ndjson" -- oms-split "$T/2n.ndjson"
	# One shipment per location, each with its own line; run again, nothing new.
	oms-split "$T/2n.ndjson" > "$T/out"
	assert_equal "$(jq -s -c 'map(select(.type == "shipment")) | [length, all(.location[1:] == .lines[0].line_id[1:] and (.lines | length) == 1)]' "$T/out")" \
		"[$((64 * n)),true]"
	run -0 --separate-stderr oms-split "$T/out"
	assert_equal "$(jq -s -c 'map(select(.type == "shipment")) | [length, (map(.status) | unique)]' <<< "$output")" "[$((64 * n)),[\"released\"]]"
}
