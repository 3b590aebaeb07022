#!/usr/bin/env bats
# Issue 15: the laws over several nights, on generated books (two seeds of 1500 orders
# from bench/gen, allocated from stock striped over four locations and split with
# every partial policy, as tests/oms-split-laws.bats makes them). Each night after
# the first: the warehouse confirms a deterministic part of the shipments released
# the night before, in every spelling the resolver knows (by shipment id; by order_id,
# exactly or from another location; by the channel's number with and without source,
# "#" dropped and a leading zero added, or as "source:number"; in part), and every
# confirmation of the nights before is fed again; some stock is recounted; some
# orders come again changed or cancelled (helpers/nightly-laws.bash). After each
# night the laws are checked by jq written here, sharing no code with the tools, and
# each check is shown to bite.

SEEDS="5 23"
NIGHTS=3

setup_file() {
	load helpers/common
	load helpers/oms-allocate-laws
	load helpers/oms-split-laws
	load helpers/nightly-laws
	for s in $SEEDS; do nl_run "$BATS_FILE_TMPDIR/s$s" "$s" 1500 "$NIGHTS"; done
}

setup() {
	load helpers/common
	load helpers/oms-allocate-laws
	load helpers/oms-split-laws
	load helpers/nightly-laws
	T=$BATS_TEST_TMPDIR
	D=$BATS_FILE_TMPDIR/s${SEEDS%% *} # the seed the checks are shown to bite on
	LAST=$D/n$NIGHTS/split.ndjson
}

# outputs DIR K WHAT: the files WHAT (allocated.ndjson, split.ndjson) of nights 1..K.
outputs() {
	local j
	for ((j = 1; j <= $2; j++)); do printf '%s\n' "$1/n$j/$3"; done
}
# line_of FILE COND: the number of the first line of FILE whose record meets the jq COND.
line_of() { jq -r "select($2) | input_line_number" "$1" | head -n 1; }
# edit FILE N EXPR: FILE with the record of line N changed by the jq EXPR.
edit() { jq -c --argjson n "$2" "if input_line_number == \$n then $3 else . end" "$1"; }
# field FILE N EXPR: the jq EXPR of the record of line N of FILE, raw.
field() { sed -n "$2p" "$1" | jq -r "$3"; }

@test "the nights ran: every stage ended 0 or 1, and the only rejects are confirmations of more units than a changed order has left" {
	for s in $SEEDS; do
		for ((k = 1; k <= NIGHTS; k++)); do
			o=$BATS_FILE_TMPDIR/s$s/n$k
			[ "$(cat "$o/split.status")" = 0 ]
			[ ! -s "$o/rej-split.ndjson" ]
			case $(cat "$o/allocate.status") in 0 | 1) ;; *) fail "seed $s night $k: oms-allocate $(cat "$o/allocate.status")" ;; esac
			run -0 jq -r --slurpfile ch <(cat "$BATS_FILE_TMPDIR/s$s"/n*/changes.ndjson) '
				($ch | map(.order_id)) as $changed
				| ((.reason | capture("^[0-9]+ units of .* shipped, but line .* of (?<o>[^ ]*) has [0-9]+ left to ship$"))? // {}) as $c
				| select($c.o == null or ($changed | index([$c.o]) | not))
				| .reason' "$o/rej-allocate.ndjson"
			assert_output ''
		done
	done
	# Not vacuous, night 2 of the first seed: each spelling was applied, shipments were
	# re-planned into the void lists, orders closed.
	run -0 jq -r 'select(.type == "tracking") | .tracking_number | select(startswith("T2-")) | ltrimstr("T2-") | tonumber % 10' "$D/n2/allocated.ndjson"
	assert_equal "$(LC_ALL=C sort -u <<< "$output" | paste -sd' ')" '0 1 2 3 4 5 6'
	[ "$(grep -c '"status":"cancelled"' "$D/n2/split.ndjson")" -gt 50 ]
	[ "$(cat "$D"/n2/tix/void/*.csv | grep -vc '^location,')" -gt 20 ]
	[ "$(grep -c '^{"type":"order",.*"status":"closed"' "$D/n$NIGHTS/split.ndjson")" -gt 300 ]
	[ "$(grep -c '"status":"shipped"' "$LAST")" -gt 900 ]
	# A recount, changed orders and cancelled ones every night after the first.
	[ "$(jq -c 'select(.status == "cancelled")' "$D/n2/changes.ndjson" | wc -l)" -gt 10 ]
	! cmp -s "$D/n1/inventory.csv" "$D/n2/inventory.csv"
}

@test "shipped: per line, the units on shipped shipments are those shipped since the export, each with its tracking" {
	for s in $SEEDS; do
		for ((k = 1; k <= NIGHTS; k++)); do
			run -0 check_shipped "$BATS_FILE_TMPDIR/s$s/n$k/split.ndjson" "$BATS_FILE_TMPDIR/s$s/split-book.ndjson"
			assert_output ''
		done
	done
	# The check bites: a unit more on a shipped line; a shipped shipment without its number.
	n=$(line_of "$LAST" '.type == "shipment" and .status == "shipped"')
	id=$(field "$LAST" "$n" .order_id) l=$(field "$LAST" "$n" .lines[0].line_id)
	edit "$LAST" "$n" '.lines[0].qty += 1' > "$T/broken"
	run -0 check_shipped "$T/broken" "$D/split-book.ndjson"
	assert_line --partial "$id line $l: "
	assert_output --partial ' on shipped shipments, '
	edit "$LAST" "$n" 'del(.tracking_number)' > "$T/broken"
	run -0 check_shipped "$T/broken" "$D/split-book.ndjson"
	assert_output "$(field "$LAST" "$n" .shipment_id): shipped, no carrier or tracking number"
}

@test "live: per line and location, the units on live released and held shipments are the units allocated" {
	for s in $SEEDS; do
		for ((k = 1; k <= NIGHTS; k++)); do
			run -0 check_live "$BATS_FILE_TMPDIR/s$s/n$k/split.ndjson"
			assert_output ''
		done
	done
	# The check bites: a released shipment of an open order gone, one unit more on another.
	sid=$(jq -rs '(map(select(.type == "order" and .status == "open") | .order_id)) as $open
		| [.[] | select(.type == "shipment" and .status == "released" and (.order_id | IN($open[])))][0].shipment_id' "$LAST")
	n=$(line_of "$LAST" ".shipment_id == \"$sid\"")
	id=$(field "$LAST" "$n" .order_id) l=$(field "$LAST" "$n" .lines[0].line_id) loc=$(field "$LAST" "$n" .location)
	q=$(field "$LAST" "$n" .lines[0].qty)
	sed "${n}d" "$LAST" > "$T/broken"
	run -0 check_live "$T/broken"
	assert_line --partial "$id line $l at $loc: "
	edit "$LAST" "$n" '.lines[0].qty += 1' > "$T/broken"
	run -0 check_live "$T/broken"
	assert_line --regexp "^.* line .* at .*: [0-9]+ allocated, [0-9]+ on live released and held shipments$"
	assert_output --partial "$id line $l at $loc: "
}

@test "live, strictly: no released shipment is left standing on a closed order (no unit on two live shipments)" {
	for s in $SEEDS; do
		for ((k = 1; k <= NIGHTS; k++)); do
			run -0 check_live "$BATS_FILE_TMPDIR/s$s/n$k/split.ndjson" true
			assert_output ''
		done
	done
}

@test "sum: per line, shipped + live released + held + unallocated = qty" {
	for s in $SEEDS; do
		for ((k = 1; k <= NIGHTS; k++)); do
			run -0 check_sum "$BATS_FILE_TMPDIR/s$s/n$k/split.ndjson"
			assert_output ''
		done
	done
	# The check bites: a unit more backordered on an open order's line; a unit shipped
	# that no shipment carries.
	n=$(line_of "$LAST" '.type == "order" and .status == "open" and .allocation.status == "full"
		and .lines[0].cancelled != true and .lines[0].requires_shipping != false')
	id=$(field "$LAST" "$n" .order_id) l=$(field "$LAST" "$n" .lines[0].line_id)
	edit "$LAST" "$n" '.lines[0].backordered = 1' > "$T/broken"
	run -0 check_sum "$T/broken"
	assert_line --regexp "^$id line $l: shipped [0-9]+ \+ [0-9]+ on live shipments \+ [0-9]+ unallocated != qty [0-9]+$"
	edit "$LAST" "$n" '.lines[0].shipped = (.lines[0].shipped // 0) + 1' > "$T/broken"
	run -0 check_sum "$T/broken"
	assert_line --partial "$id line $l: shipped "
}

@test "tracking numbers are never lost: each applied is on exactly one shipped shipment of its order, night after night" {
	for s in $SEEDS; do
		for ((k = 1; k <= NIGHTS; k++)); do
			run -0 check_tracked "$BATS_FILE_TMPDIR/s$s/n$k/split.ndjson" $(outputs "$BATS_FILE_TMPDIR/s$s" "$k" allocated.ndjson)
			assert_output ''
		done
		# Every confirmation fed was applied but those the first test names.
		o=$BATS_FILE_TMPDIR/s$s/n$NIGHTS
		assert_equal "$(($(wc -l < "$o/tracking.ndjson") - $(wc -l < "$o/rej-allocate.ndjson")))" \
			"$(grep -c '^{"type":"tracking",' "$o/allocated.ndjson")"
	done
	# The check bites: a shipped shipment's number lost, and one on two shipments.
	n=$(line_of "$LAST" '.type == "shipment" and .status == "shipped"')
	tn=$(field "$LAST" "$n" .tracking_number) id=$(field "$LAST" "$n" .order_id)
	edit "$LAST" "$n" '.tracking_number = "LOST"' > "$T/broken"
	run -0 check_tracked "$T/broken" $(outputs "$D" "$NIGHTS" allocated.ndjson)
	assert_line "$tn ($id): on 0 shipped shipments []"
	assert_line "LOST: on a shipped shipment, never fed"
	{ cat "$LAST"; sed -n "${n}p" "$LAST" | jq -c '.shipment_id += "9"'; } > "$T/broken"
	run -0 check_tracked "$T/broken" $(outputs "$D" "$NIGHTS" allocated.ndjson)
	assert_output --partial "$tn ($id): on 2 shipped shipments"
}

@test "notices: one shipped notice per shipped shipment over all the nights, naming its tracking number" {
	for s in $SEEDS; do
		for ((k = 1; k <= NIGHTS; k++)); do
			run -0 check_notices_once "$BATS_FILE_TMPDIR/s$s/n$k/split.ndjson" $(outputs "$BATS_FILE_TMPDIR/s$s" "$k" split.ndjson)
			assert_output ''
		done
	done
	# The check bites: a night's output read twice (every notice twice), the last night's
	# notices gone, a notice for a shipment that did not ship.
	run -0 check_notices_once "$LAST" $(outputs "$D" "$NIGHTS" split.ndjson) "$D/n2/split.ndjson"
	assert_line --regexp '^.*/[0-9]+: 2 shipped notices$'
	run -0 check_notices_once "$LAST" $(outputs "$D" $((NIGHTS - 1)) split.ndjson)
	assert_line --regexp '^.*/[0-9]+: 0 shipped notices$'
	jq -c 'select(.kind == "shipped") | .shipment_id = "X/1"' "$D/n2/split.ndjson" | head -n 1 > "$T/extra"
	run -0 check_notices_once "$LAST" $(outputs "$D" "$NIGHTS" split.ndjson) "$T/extra"
	assert_line 'X/1: a shipped notice, and no shipped shipment'
}

@test "tickets: every live released shipment of an open order is on its location's ticket, in pick-queue order, and nothing else" {
	for s in $SEEDS; do
		d=$BATS_FILE_TMPDIR/s$s
		for ((k = 1; k <= NIGHTS; k++)); do
			run -0 check_tickets "$d/n$k/split.ndjson" "$d/n$k/tix" "$d/split-locations.csv"
			assert_output ''
		done
	done
	# The check bites: a row gone from a ticket.
	cp -r "$D/n$NIGHTS/tix" "$T/tix"
	f=$T/tix/DC-EAST.csv
	row=$(sed -n 2p "$f")
	sed -i 2d "$f"
	run -0 check_tickets "$LAST" "$T/tix" "$D/split-locations.csv"
	assert_output --partial "missing row: $(cut -d, -f1-3 <<< "$row" | tr , '\t')"
}

@test "void lists: each night, a row per line of every shipment it cancelled that was on a ticket, and no other" {
	for s in $SEEDS; do
		d=$BATS_FILE_TMPDIR/s$s
		for ((k = 2; k <= NIGHTS; k++)); do
			run -0 check_void "$d/n$k/split.ndjson" "$d/n$((k - 1))/split.ndjson" "$d/n$k/tix"
			assert_output ''
		done
	done
	# The check bites: a row gone, a row of no shipment cancelled.
	cp -r "$D/n2/tix" "$T/tix"
	f=$(grep -l . "$T"/tix/void/*.csv | while read -r f; do [ "$(wc -l < "$f")" -gt 1 ] && echo "$f"; done | head -n 1)
	row=$(sed -n 2p "$f")
	sed -i 2d "$f"
	run -0 check_void "$D/n2/split.ndjson" "$D/n1/split.ndjson" "$T/tix"
	assert_output "missing void row: $(cut -d, -f1,2,5,6 <<< "$row")"
	printf '%s\n' "$row" 'DC-EAST,zz:1/1,zz:1,dtc,X,1,stale' >> "$f"
	run -0 check_void "$D/n2/split.ndjson" "$D/n1/split.ndjson" "$T/tix"
	assert_output 'void row of no shipment cancelled tonight: DC-EAST,zz:1/1,X,1'
}

@test "counts add up every night (law 5): in + passed + created = out + rejected + consumed, with confirmations consumed into shipments" {
	for s in $SEEDS; do
		for ((k = 1; k <= NIGHTS; k++)); do
			run -0 check_counts "$BATS_FILE_TMPDIR/s$s/n$k"
			assert_output ''
		done
	done
	# Not vacuous: oms-split consumed confirmations and shipped and cancelled shipments.
	st=$(cat "$D/n$NIGHTS/split.stats")
	[ "$(statval consumed "$st")" -gt 100 ]
	[ "$(statval shipped "$st")" -gt 100 ]
	[ "$(statval cancelled "$st")" -gt 0 ]
	# The check bites: a count that does not add up, a record more than counted.
	cp -r "$D/n$NIGHTS" "$T/n"
	sed -i 's/ consumed=\([0-9]*\)/ consumed=1\1/' "$T/n/split.stats"
	run -0 check_counts "$T/n"
	assert_output --partial 'split: in + passed + created != out + rejected + consumed: '
	cp "$D/n$NIGHTS/split.stats" "$T/n/split.stats"
	sed -n 1p "$T/n/allocated.ndjson" >> "$T/n/allocated.ndjson"
	run -0 check_counts "$T/n"
	assert_output --regexp '^allocate: out=[0-9]+, [0-9]+ records written$'
}

@test "no night warns shipment_changed: every confirmation is one the book can hold" {
	for s in $SEEDS; do
		run -1 grep -l '"kind":"shipment_changed"' "$BATS_FILE_TMPDIR/s$s"/n*/split.ndjson
	done
}

@test "idempotent: each stage on its own output gives the same bytes, and each night run again the same night" {
	for s in $SEEDS; do
		d=$BATS_FILE_TMPDIR/s$s
		for ((k = 1; k <= NIGHTS; k++)); do
			o=$d/n$k
			INV=$o/inventory.csv salloc "$d" "$o/allocated.ndjson" > "$T/a"
			cmp "$T/a" "$o/allocated.ndjson"
			rm -rf "$T/tix"
			osplit "$d" --manifest-dir "$T/tix" "$o/split.ndjson" > "$T/s"
			cmp "$T/s" "$o/split.ndjson"
			diff -r -x void "$T/tix" "$o/tix"
			# Nothing is cancelled the second time: the void lists are headers alone.
			for f in "$T"/tix/void/*.csv; do assert_equal "$(wc -l < "$f")" 1; done
			# The night again, from its book and inputs.
			rm -rf "$T/re" && mkdir "$T/re"
			cp "$o/inventory.csv" "$o/changes.ndjson" "$o/tracking.ndjson" "$T/re/"
			nl_night "$d" "$k" "$T/re" "$d/n$((k - 1))/book.ndjson" 2> /dev/null
			cmp "$T/re/allocated.ndjson" "$o/allocated.ndjson"
			cmp "$T/re/split.ndjson" "$o/split.ndjson"
			cmp "$T/re/inventory-out.csv" "$o/inventory-out.csv"
			diff -r "$T/re/tix" "$o/tix"
		done
	done
}
