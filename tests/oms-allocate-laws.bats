#!/usr/bin/env bats
# oms-allocate and the laws (SPEC.md section 5), checked on generated books:
# three seeds of 3000 orders from bench/gen with its reference files, plus prepack
# lines, cancelled lines, lines that need no shipping, partly shipped lines and
# lines without a SKU
# (helpers/oms-allocate-laws.bash). The checks are jq and awk over the output, so
# they do not share code, or mistakes, with the tool's own self-check.

SEEDS="1 7 42"

setup_file() {
	load helpers/common
	load helpers/oms-allocate-laws
	for s in $SEEDS; do book "$BATS_FILE_TMPDIR/s$s" "$s"; done
}

setup() {
	load helpers/common
	load helpers/oms-allocate-laws
	T=$BATS_TEST_TMPDIR
}

# half DIR: DIR's inventory with every on_hand halved (kept allocations no longer fit).
half() { awk -F, -v OFS=, 'NR > 1 { $3 = int($3 / 2) } 1' "$1/inventory.csv" > "$T/half.csv"; }

# same A B: byte-identical, or say how many records differ and show the first two.
same() {
	cmp -s "$1" "$2" && return
	local q='[.order_id // .type, .allocation, [.lines[]? | [.allocated, .backordered]]]'
	paste -d '\n' <(jq -c "$q" "$1") <(jq -c "$q" "$2") | awk -v a="$1" -v b="$2" '
		NR % 2 { x = $0; next }
		x != $0 { if (++n <= 2) d = d "\n  < " x "\n  > " $0 }
		END { print a " and " b " differ: " (n ? n " records" : "") (NR % 2 || !n ? " (record count or bytes)" : "") d }'
	return 1
}

@test "conservation: on every line allocated + backordered + case remainder + unallocated = qty - shipped" {
	for s in $SEEDS; do
		d=$BATS_FILE_TMPDIR/s$s
		alloc "$d" "$d/book.ndjson" > "$T/plain"
		alloc "$d" --rules "$d/rules.json" "$d/book.ndjson" > "$T/rules"
		half "$d"
		INV=$T/half.csv alloc "$d" "$T/plain" > "$T/halved"	# kept allocations released
		alloc "$d" --reallocate "$T/rules" > "$T/realloc"
		for f in plain rules halved realloc; do
			run -0 check_conservation "$T/$f"
			assert_output ''
		done
		# The books exercise every status a fresh allocation gives (closed too
		# with some seeds: an order whose lines are cancelled but one shipped unit).
		run -0 sh -c "jq -r '.allocation.status' '$T/rules' | grep -vx closed | LC_ALL=C sort -u | tr '\n' ' '"
		assert_output 'cancelled expired full held none not_yet partial '
	done
	# The check bites: one backordered unit too many is found, named by order and line.
	jq -c 'if input_line_number == 5 then .lines[0].backordered += 1 else . end' "$T/plain" > "$T/broken"
	run -0 check_conservation "$T/broken"
	assert_output --regexp "^$(sed -n 5p "$T/plain" | jq -r .order_id) line 1 .*: allocated [0-9]+ \+ backordered [0-9]+ \+ case remainder [0-9]+ \+ unallocated [0-9]+ != qty"
}

@test "lines without a SKU: every open order with one is held with the reason, takes nothing, releases what it had" {
	for s in $SEEDS; do
		d=$BATS_FILE_TMPDIR/s$s
		alloc "$d" --rules "$d/rules.json" "$d/book.ndjson" > "$T/rules"
		run -0 check_nosku "$T/rules"
		assert_output ''
		# Not vacuous: many orders are held for it.
		run -0 sh -c "jq -r 'select(.allocation.reason // \"\" | test(\"has no SKU\")) | .order_id' '$T/rules' | wc -l"
		[ "$output" -gt 50 ]
		# Orders that had units lose a line's SKU (every 5th full one): rerun, they are
		# held and their units go back; the laws still hold.
		jq -c 'if .allocation.status == "full" and (.order_id | explode | add) % 5 == 0
			then .lines[0] |= (del(.sku) | .title = "Lost Label") else . end' "$T/rules" > "$T/lost"
		alloc "$d" --rules "$d/rules.json" --inventory-out "$T/lost.inv" "$T/lost" > "$T/relost"
		for c in check_nosku check_conservation; do
			run -0 "$c" "$T/relost"
			assert_output ''
		done
		run -0 check_oversell "$d" "$T/relost" "$T/lost.inv"
		assert_output ''
		run -0 sh -c "jq -r 'select(.allocation.reason == \"line 1 has no SKU: add its title to the catalog\") | .order_id' '$T/relost' | wc -l"
		[ "$output" -gt 20 ]
	done
	# The check bites: a held order given units, or an order with all its SKUs held.
	jq -c 'if .allocation.status == "held" and (.allocation.reason | test("no SKU")) then .lines[0].backordered = 1 else . end' "$T/rules" > "$T/broken"
	run -0 check_nosku "$T/broken"
	assert_output --partial 'held, but holds or backorders units'
	jq -c 'if .allocation.status == "full" then .allocation = {status: "held", reason: "line 1 has no SKU: add its title to the catalog"} else . end' "$T/rules" > "$T/broken"
	run -0 check_nosku "$T/broken"
	assert_output --partial 'but every line to ship has a SKU'
}

@test "no oversell: per location and SKU, units allocated <= on_hand - safety_stock; --inventory-out agrees" {
	for s in $SEEDS; do
		d=$BATS_FILE_TMPDIR/s$s
		alloc "$d" --inventory-out "$T/plain.inv" "$d/book.ndjson" > "$T/plain"
		run -0 check_oversell "$d" "$T/plain" "$T/plain.inv"
		assert_output ''
		alloc "$d" --rules "$d/rules.json" --inventory-out "$T/rules.inv" "$d/book.ndjson" > "$T/rules"
		run -0 check_oversell "$d" "$T/rules" "$T/rules.inv"
		assert_output ''
		# Rerun with half the stock: the kept allocations that no longer fit are released.
		half "$d"
		INV=$T/half.csv alloc "$d" --inventory-out "$T/halved.inv" "$T/plain" > "$T/halved"
		INV=$T/half.csv run -0 check_oversell "$d" "$T/halved" "$T/halved.inv"
		assert_output ''
		# Not vacuous: packs were allocated, and stock ran out somewhere.
		run -0 sh -c "grep -c '\"units\":\[' '$T/plain'"
		[ "$output" -gt 10 ]
		run -0 awk -F, '$6 == 0 && $5 > 0' "$T/halved.inv"
		[ "${#lines[@]}" -gt 100 ]
	done
	# The check bites: a location given more than it has, a pack whose units are wrong,
	# an --inventory-out row that disagrees.
	jq -c '(select(.allocation.status == "full") | .lines[0].allocated[0].qty) |= . + 1000' "$T/plain" > "$T/broken"
	run -0 check_oversell "$d" "$T/broken"
	assert_output --regexp ' units allocated > on_hand '
	sed -E '0,/"units":\[\{"sku":"[^"]*","qty":[0-9]+/s//"units":[{"sku":"X","qty":1/' "$T/plain" > "$T/broken"
	run -0 check_oversell "$d" "$T/broken"
	assert_output --partial 'do not match packs.csv'
	awk -F, -v OFS=, 'NR > 1 && $5 > 0 && !done { $5 = $5 - 1; $6 = $6 + 1; done = 1 } 1' "$T/plain.inv" > "$T/broken.inv"
	run -0 check_oversell "$d" "$T/plain" "$T/broken.inv"
	assert_output --regexp 'allocated [0-9]+ != [0-9]+ in the orders'
}

# idem [--rules FILE]: on every seed, with and without --explain, a second run on the
# output gives the same bytes and the same --inventory-out; says where it does not.
idem() {
	local s d x
	for s in $SEEDS; do
		d=$BATS_FILE_TMPDIR/s$s
		for x in '' --explain; do
			alloc "$d" "$@" $x --inventory-out "$T/1.inv" "$d/book.ndjson" > "$T/1" || echo "seed $s $x: run 1 failed"
			alloc "$d" "$@" $x --inventory-out "$T/2.inv" "$T/1" > "$T/2" || echo "seed $s $x: run 2 failed"
			same "$T/1" "$T/2" | sed "s|^$T/1 and $T/2 differ:|seed $s ${x:-without --explain}: run 1 and run 2 differ in|"
			cmp "$T/1.inv" "$T/2.inv" | sed "s|^|seed $s $x: |"
		done
	done
}

@test "idempotent: a second run on the output changes no byte, with and without --explain" {
	run -0 idem
	assert_output ''
}

@test "idempotent with protect, min_fill, size_run and lead_days, with and without --explain" {
	run -0 idem --rules "$BATS_FILE_TMPDIR/s1/rules.json"
	assert_output ''
}

@test "deterministic: the same input gives the same bytes, in one file, two files or on stdin" {
	for s in $SEEDS; do
		d=$BATS_FILE_TMPDIR/s$s
		for rules in no yes; do
			r=()
			[ $rules = no ] || r=(--rules "$d/rules.json")
			alloc "$d" "${r[@]}" --stats --inventory-out "$T/1.inv" "$d/book.ndjson" > "$T/1" 2> "$T/1.err"
			alloc "$d" "${r[@]}" --stats --inventory-out "$T/2.inv" "$d/book.ndjson" > "$T/2" 2> "$T/2.err"
			run same "$T/1" "$T/2"
			assert_success
			run -0 cmp "$T/1.inv" "$T/2.inv"
			run -0 cmp "$T/1.err" "$T/2.err"
			head -n 1234 "$d/book.ndjson" > "$T/head"
			tail -n +1235 "$d/book.ndjson" > "$T/tail"
			alloc "$d" "${r[@]}" --stats --inventory-out "$T/3.inv" "$T/head" "$T/tail" > "$T/3" 2> "$T/3.err"
			run same "$T/1" "$T/3"
			assert_success
			run -0 cmp "$T/1.inv" "$T/3.inv"
			run -0 cmp "$T/1.err" "$T/3.err"
			alloc "$d" "${r[@]}" -O "$T/4" < "$d/book.ndjson"
			run same "$T/1" "$T/4"
			assert_success
		done
	done
}

@test "ranking: no order holds units of an SKU at a location while a higher-ranked order it could serve is short" {
	for s in $SEEDS; do
		d=$BATS_FILE_TMPDIR/s$s
		# Fresh book, default rules, no capacity limits: every location serves every
		# channel, then gen's channel lists.
		for l in open chan; do
			LOCS=$d/$l-locations.csv alloc "$d" "$d/book.ndjson" > "$T/$l"
			run -0 check_ranking "$d/$l-locations.csv" "$d/packs.csv" "$T/$l"
			assert_output ''
		done
		# Not vacuous: many SKUs ran out, and orders were left short of them.
		run -0 sh -c "jq -r 'select(.allocation.status == \"partial\") | .order_id' '$T/open' | wc -l"
		[ "$output" -gt 50 ]
	done
	# The check bites: with the priorities turned upside down, the output breaks the ranking.
	jq -c 'if .priority then .priority = -.priority else . end' "$T/open" > "$T/broken"
	run -0 check_ranking "$d/open-locations.csv" "$d/packs.csv" "$T/broken"
	assert_output --regexp 'holds units while .* is [0-9]+ short'
}

@test "counts add up: in + passed = out + rejected + consumed; demanded = allocated + backordered + unallocated" {
	d=$BATS_FILE_TMPDIR/s7
	# The book, a notice before every 100th order (30), its first 60 orders once more
	# before it (consumed), 5 orders without lines (rejected), 10 trackings of one unit
	# and 1 tracking of an unknown order (rejected).
	{
		head -n 60 "$d/book.ndjson"
		jq -c 'if input_line_number % 100 == 0 then {type: "notice", n: input_line_number}, . else . end' "$d/book.ndjson"
		for i in 1 2 3 4 5; do printf '{"type":"order","order_id":"BAD-%s","channel":"dtc","status":"open","lines":[]}\n' "$i"; done
		jq -c 'select(.status == "open" and (.lines[0] | .cancelled != true and .requires_shipping != false
				and .qty > (.shipped // 0) and (.sku | test("PPK") | not)))
			| {type: "tracking", order_id, shipment_id: "S-\(.order_id)", carrier: "ups",
			   tracking_number: "1Z\(input_line_number)", lines: [{sku: .lines[0].sku, qty: 1}]}' "$d/book.ndjson" | head -n 10
		echo '{"type":"tracking","order_id":"NOPE","shipment_id":"N1","lines":[{"sku":"TEE-CREW-BLK-M","qty":1}]}'
	} > "$T/in"
	run -1 --separate-stderr alloc "$d" --stats --rejects "$T/rej" "$T/in"
	printf '%s\n' "$output" > "$T/out"
	s=${stderr_lines[-1]}
	assert_equal "$(wc -l < "$T/rej")" 6
	assert_equal "$(statval rejected "$s")" 6
	assert_equal "$(statval consumed "$s")" 60
	assert_equal "$(statval out "$s")" "$(wc -l < "$T/out")"
	assert_equal "$(grep -c '"type":"tracking"' "$T/out")" 10
	assert_equal "$(wc -l < "$T/out")" $((3000 + 30 + 10))
	assert_equal $(($(statval in "$s") + $(statval passed "$s"))) \
		$(($(statval out "$s") + $(statval rejected "$s") + $(statval consumed "$s")))
	assert_equal $(($(statval in "$s") + $(statval passed "$s"))) "$(wc -l < "$T/in")"
	# Units: overall and per channel; channels add up to the whole; and they are the
	# sums over the orders written (unallocated: the open units of not_yet and expired
	# orders, and of orders held for a line without a SKU).
	chans=$(grep -o ' [a-z_]*\.demanded=' <<< "$s" | sed 's/^ //; s/\.demanded=//' | tr '\n' ' ')
	[ -n "$chans" ]
	for k in demanded allocated backordered unallocated; do
		total=0
		for c in $chans; do total=$((total + $(statval "$c\\.$k" "$s"))); done
		assert_equal "$k $total" "$k $(statval "$k" "$s")"
	done
	for c in '' $chans; do
		p=${c:+$c\\.}
		assert_equal "${c}demanded $(statval "${p}demanded" "$s")" \
			"${c}demanded $(($(statval "${p}allocated" "$s") + $(statval "${p}backordered" "$s") + $(statval "${p}unallocated" "$s")))"
		want=$(jq -rs --arg c "$c" "$NOSKU"'[.[] | select(.type == "order" and ($c == "" or .channel == $c)
				and (.allocation.status | IN("cancelled", "closed") | not))
			| .allocation.status as $st | nosku as $nosku
			| .lines[] | select(.cancelled != true and .requires_shipping != false)
			| {d: (.qty - (.shipped // 0)), a: ([.allocated[].qty] | add // 0), b: .backordered,
			   u: (if ($st | IN("not_yet", "expired")) or $nosku then .qty - (.shipped // 0) else (.case_remainder // 0) end)}]
			| "demanded=\(map(.d) | add) allocated=\(map(.a) | add) backordered=\(map(.b) | add) unallocated=\(map(.u) | add)"' "$T/out")
		assert_equal "${c:-all} $(for k in demanded allocated backordered unallocated; do printf '%s=%s ' $k "$(statval "$p$k" "$s")"; done)" \
			"${c:-all} $want "
	done
}

@test "self-check: an injected oversell or lost unit stops the run with status 3 and writes nothing" {
	d=$BATS_FILE_TMPDIR/s1
	mkdir "$T/w"
	OMS_ALLOCATE_FAULT=oversell run -3 --separate-stderr alloc "$d" "$d/book.ndjson"
	assert_output ''
	assert_equal "${#stderr_lines[@]}" 1
	assert_regex "$stderr" '^oms-allocate: self-check failed, nothing written: oversold: [0-9]+ units of .* allocated at '
	# Units that a line does not account for break the other law.
	OMS_ALLOCATE_FAULT=conservation run -3 --separate-stderr alloc "$d" "$d/book.ndjson"
	assert_output ''
	assert_regex "$stderr" 'self-check failed, nothing written: .* line .*: allocated [0-9]+ \+ backordered -?[0-9]+ does not account for'
	OMS_ALLOCATE_FAULT=oversell run -3 --separate-stderr alloc "$d" -O "$T/w/out" --inventory-out "$T/w/inv" "$d/book.ndjson"
	assert_output ''
	assert_regex "$stderr" 'self-check failed'
	[ ! -e "$T/w/out" ] && [ ! -e "$T/w/inv" ]
	# -O and --inventory-out that already exist are left as they were.
	echo before > "$T/w/out"
	echo before > "$T/w/inv"
	OMS_ALLOCATE_FAULT=oversell run -3 --separate-stderr alloc "$d" -O "$T/w/out" --inventory-out "$T/w/inv" "$d/book.ndjson"
	assert_equal "$(cat "$T/w/out" "$T/w/inv")" "$(printf 'before\nbefore')"
	[ "$(ls -A "$T/w")" = "$(printf 'inv\nout')" ]	# no temporary file left behind
	# Without the fault the same run passes its self-check.
	run -0 --separate-stderr alloc "$d" -O "$T/w/out" --inventory-out "$T/w/inv" "$d/book.ndjson"
	[ -s "$T/w/out" ] && [ -s "$T/w/inv" ]
}

@test "last occurrence wins across runs: a re-import of unchanged orders keeps every allocation" {
	d=$BATS_FILE_TMPDIR/s42
	alloc "$d" "$d/book.ndjson" > "$T/allocated.ndjson"
	# The allocated book, then the same orders as imported afresh (no allocation fields).
	run -0 --separate-stderr alloc "$d" --stats "$T/allocated.ndjson" "$d/book.ndjson"
	assert_equal "$(statval consumed "${stderr_lines[-1]}")" 3000
	printf '%s\n' "$output" > "$T/again"
	run same "$T/allocated.ndjson" "$T/again"
	assert_success
}

@test "last occurrence wins across runs: a changed order in the re-import is allocated anew, the others keep theirs" {
	d=$BATS_FILE_TMPDIR/s42
	export LOCS=$d/open-locations.csv
	# Without ship_complete, so that no order is held: held orders are the idempotence tests' business.
	jq -c 'del(.ship_complete)' "$d/book.ndjson" > "$T/book.ndjson"
	alloc "$d" --inventory-out "$T/1.inv" "$T/book.ndjson" > "$T/allocated.ndjson"
	# One more unit on a line whose SKU is still in stock, of an order that got all it
	# asked for, none of whose SKUs any order is short of.
	x=$(jq -rs --slurpfile packs <(awk -F, 'NR > 1 { print "\"" $1 "\"" }' "$d/packs.csv") \
		--rawfile inv "$T/1.inv" '
		($inv | split("\n")[1:] | map(split(",") | select(length == 6 and (.[5] | tonumber) > 0) | .[1])) as $left
		| ([.[] | .lines[] | select(.backordered > 0) | .sku] | unique) as $short
		| [.[] | select(.allocation.status == "full"
			and all(.lines[]; (.sku | IN($short[]) | not) and (.sku | IN($packs[]) | not)
				and (.case_pack // 1) <= 1 and .cancelled != true and .requires_shipping != false
				and (.shipped // 0) == 0)
			and (.lines[0].sku | IN($left[])))][0].order_id' "$T/allocated.ndjson")
	[ -n "$x" ] && [ "$x" != null ]
	jq -c --arg x "$x" 'if .order_id == $x then .lines[0].qty += 1 else . end' "$T/book.ndjson" > "$T/changed.ndjson"
	run -0 --separate-stderr alloc "$d" "$T/allocated.ndjson" "$T/changed.ndjson"
	printf '%s\n' "$output" > "$T/again"
	# Every other order is byte for byte what it was.
	grep -vF "\"order_id\":\"$x\"" "$T/allocated.ndjson" > "$T/others.1"
	grep -vF "\"order_id\":\"$x\"" "$T/again" > "$T/others.2"
	[ "$(wc -l < "$T/others.2")" -eq 2999 ]
	run same "$T/others.1" "$T/others.2"
	assert_success
	# The changed one was allocated anew: all of its new quantity.
	run -0 jq -c --arg x "$x" 'select(.order_id == $x) | [.allocation.status, (.lines[] | .qty - ([.allocated[].qty] | add // 0))]' "$T/again"
	assert_output "$(jq -c --arg x "$x" 'select(.order_id == $x) | ["full", (.lines[] | 0)]' "$T/allocated.ndjson")"
	run -0 jq -r --arg x "$x" 'select(.order_id == $x) | [.lines[0].allocated[].qty] | add' "$T/again"
	assert_output "$(jq -r --arg x "$x" 'select(.order_id == $x) | .lines[0].qty + 1' "$T/allocated.ndjson")"
}
