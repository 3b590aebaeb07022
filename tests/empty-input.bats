#!/usr/bin/env bats
# A failed stage never empties good outputs: oms-allocate, oms-split and
# oms-backorder read another oms tool's records, and an input that holds no
# record at all is the sign of a stage before them that failed. They write
# nothing then (no records, no -O file, no side file) and exit 2, unless
# --allow-empty. oms-import, whose empty channel export is a normal day,
# takes it as ever.
#
# Each test makes a night's good outputs from the example brand, dates them
# in the past, and runs the tool again on an empty input with the same
# outputs named: they must keep their bytes and their mtime.

setup() {
	load helpers/common
	E="$REPO/examples"
	W="$BATS_TEST_TMPDIR"
	AS_OF=2026-11-26
	oms-import --as-of "$AS_OF" -O "$W/book.ndjson" "$E/orders/dtc-marketplace.ndjson"
}

alloc() {
	oms-allocate --as-of "$AS_OF" --inventory "$E/inventory.csv" \
		--locations "$E/locations.csv" --rules "$E/rules.json" "$@"
}
split() {
	oms-split --as-of "$AS_OF" --locations "$E/locations.csv" --rules "$E/rules.json" "$@"
}
bo() {
	oms-backorder --as-of "$AS_OF" --supply "$E/supply.csv" \
		--locations "$E/locations.csv" --rules "$E/rules.json" "$@"
}

# good FILE...: the night's outputs, with an mtime long past, and a copy of
# each (FILE.was) to compare with.
good() {
	local f
	for f; do
		[ -s "$f" ] || fail "$f was not written"
		touch -d '2020-01-02 03:04:05' "$f"
		cp -p "$f" "$f.was"
	done
}

# untouched FILE...: each has the bytes and the mtime it had.
untouched() {
	local f
	for f; do
		cmp "$f" "$f.was" || fail "$f was rewritten"
		[ "$(stat -c %Y "$f")" = "$(stat -c %Y "$f.was")" ] || fail "$f has a new mtime"
	done
}

# rewritten FILE...: each was written again (an mtime of today).
rewritten() {
	local f
	for f; do
		[ "$(stat -c %Y "$f")" != "$(stat -c %Y "$f.was")" ] || fail "$f was not written"
	done
}

refused() {
	assert_output ''
	[[ "$stderr" == *": the input holds no records (did the stage before it fail?); nothing written; --allow-empty writes empty outputs"* ]] ||
		fail "no refusal on standard error: $stderr"
}

# Three empty inputs: nothing at all, blank lines, and standard input at its end.
empty_inputs() {
	: > "$W/empty.ndjson"
	printf '\n  \n\r\n\t\n' > "$W/blank.ndjson"
}

@test "oms-allocate on an empty input writes nothing and exits 2: records, --inventory-out kept" {
	alloc --inventory-out "$W/inv.csv" -O "$W/alloc.ndjson" "$W/book.ndjson"
	good "$W/inv.csv" "$W/alloc.ndjson"
	empty_inputs
	for input in "$W/empty.ndjson" "$W/blank.ndjson" -; do
		run -2 --separate-stderr alloc --inventory-out "$W/inv.csv" -O "$W/alloc.ndjson" "$input" < /dev/null
		refused
		untouched "$W/inv.csv" "$W/alloc.ndjson"
	done
	# The rejects of the last run stay too: there is nothing to say.
	printf '{"type":"order",\n' > "$W/bad.ndjson"
	alloc --rejects "$W/rej.ndjson" "$W/bad.ndjson" > /dev/null 2>&1 || true
	good "$W/rej.ndjson"
	run -2 --separate-stderr alloc --rejects "$W/rej.ndjson" --inventory-out "$W/inv.csv" < /dev/null
	refused
	untouched "$W/rej.ndjson" "$W/inv.csv"
	# To standard output: nothing there either, and the side file kept.
	run -2 --separate-stderr alloc --inventory-out "$W/inv.csv" < /dev/null
	refused
	untouched "$W/inv.csv"
	# Two inputs, both empty.
	run -2 --separate-stderr alloc --inventory-out "$W/inv.csv" "$W/empty.ndjson" "$W/blank.ndjson"
	[[ "$stderr" == *": the inputs hold no records (did the stage before it fail?)"* ]]
	untouched "$W/inv.csv"
}

@test "oms-allocate --allow-empty writes its outputs from an empty input" {
	alloc --inventory-out "$W/inv.csv" -O "$W/alloc.ndjson" "$W/book.ndjson"
	good "$W/inv.csv" "$W/alloc.ndjson"
	run -0 --separate-stderr alloc --allow-empty --inventory-out "$W/inv.csv" -O "$W/alloc.ndjson" < /dev/null
	assert_output ''
	assert_equal "$stderr" ''
	rewritten "$W/inv.csv" "$W/alloc.ndjson"
	[ ! -s "$W/alloc.ndjson" ]
	# Nothing allocated: what is left is the whole inventory, one row each.
	assert_equal "$(wc -l < "$W/inv.csv")" "$(wc -l < "$E/inventory.csv")"
}

@test "oms-split on an empty input writes nothing and exits 2: records and pick tickets kept" {
	alloc -O "$W/alloc.ndjson" "$W/book.ndjson"
	split --manifest-dir "$W/m" -O "$W/split.ndjson" "$W/alloc.ndjson"
	good "$W"/m/*.csv "$W/split.ndjson"
	ls -A "$W/m" > "$W/tickets.was"
	[ "$(wc -l < "$W/tickets.was")" -ge 3 ] # a ticket per location (and its copy)
	empty_inputs
	for input in "$W/empty.ndjson" "$W/blank.ndjson" -; do
		run -2 --separate-stderr split --manifest-dir "$W/m" -O "$W/split.ndjson" "$input" < /dev/null
		refused
		untouched "$W"/m/*.csv "$W/split.ndjson"
	done
	# The ShipStation layout too, and nothing new in the folder; the rejects kept.
	cp -p "$W/split.ndjson" "$W/rej.ndjson" && cp -p "$W/rej.ndjson" "$W/rej.ndjson.was"
	run -2 --separate-stderr split --manifest-dir "$W/m" --manifest-format shipstation \
		--rejects "$W/rej.ndjson" < /dev/null
	untouched "$W/rej.ndjson"
	refused
	untouched "$W"/m/*.csv
	assert_equal "$(ls -A "$W/m")" "$(cat "$W/tickets.was")"
}

@test "oms-split --allow-empty writes the pick tickets empty" {
	alloc -O "$W/alloc.ndjson" "$W/book.ndjson"
	split --manifest-dir "$W/m" -O "$W/split.ndjson" "$W/alloc.ndjson"
	good "$W"/m/*.csv "$W/split.ndjson"
	run -0 --separate-stderr split --allow-empty --manifest-dir "$W/m" -O "$W/split.ndjson" < /dev/null
	assert_equal "$stderr" ''
	rewritten "$W"/m/*.csv "$W/split.ndjson"
	[ ! -s "$W/split.ndjson" ]
	for f in "$W"/m/*.csv; do
		assert_equal "$(wc -l < "$f")" 1 # the header alone
	done
}

@test "oms-backorder on an empty input writes nothing and exits 2: records and --shortfall kept" {
	alloc -O "$W/alloc.ndjson" "$W/book.ndjson"
	split -O "$W/split.ndjson" "$W/alloc.ndjson"
	bo --shortfall "$W/short.csv" -O "$W/bo.ndjson" "$W/split.ndjson"
	good "$W/short.csv" "$W/bo.ndjson"
	empty_inputs
	for input in "$W/empty.ndjson" "$W/blank.ndjson" -; do
		run -2 --separate-stderr bo --shortfall "$W/short.csv" -O "$W/bo.ndjson" "$input" < /dev/null
		refused
		untouched "$W/short.csv" "$W/bo.ndjson"
	done
	# The rejects of the last run stay (any good file stands in for them).
	cp -p "$W/bo.ndjson" "$W/rej.ndjson" && cp -p "$W/rej.ndjson" "$W/rej.ndjson.was"
	run -2 --separate-stderr bo --previous "$W/bo.ndjson" --shortfall "$W/short.csv" \
		--rejects "$W/rej.ndjson" < /dev/null
	refused
	untouched "$W/short.csv" "$W/rej.ndjson"
}

@test "oms-backorder --allow-empty writes the shortfall empty" {
	alloc -O "$W/alloc.ndjson" "$W/book.ndjson"
	split -O "$W/split.ndjson" "$W/alloc.ndjson"
	bo --shortfall "$W/short.csv" -O "$W/bo.ndjson" "$W/split.ndjson"
	good "$W/short.csv" "$W/bo.ndjson"
	run -0 --separate-stderr bo --allow-empty --shortfall "$W/short.csv" -O "$W/bo.ndjson" < /dev/null
	assert_equal "$stderr" ''
	rewritten "$W/short.csv" "$W/bo.ndjson"
	[ ! -s "$W/bo.ndjson" ]
	assert_equal "$(wc -l < "$W/short.csv")" 1 # the header alone
}

@test "an input of rejects alone is not empty: read, rejected, written (status 1)" {
	alloc -O "$W/alloc.ndjson" "$W/book.ndjson"
	split --manifest-dir "$W/m" "$W/alloc.ndjson" > /dev/null
	good "$W"/m/*.csv
	# A record that cannot be read is a record the stream read: the stage
	# before wrote something, and the reject says what.
	printf '{"type":"order",\n' > "$W/bad.ndjson"
	run -1 --separate-stderr split --manifest-dir "$W/m" "$W/bad.ndjson"
	[[ "$stderr" != *"holds no records"* ]]
	rewritten "$W"/m/*.csv
	run -1 --separate-stderr alloc "$W/bad.ndjson"
	[[ "$stderr" != *"holds no records"* ]]
	run -1 --separate-stderr bo "$W/bad.ndjson"
	[[ "$stderr" != *"holds no records"* ]]
}

@test "a CSV input with its header alone holds no records" {
	alloc -O "$W/alloc.ndjson" "$W/book.ndjson"
	oms-import -o csv "$W/book.ndjson" | head -1 > "$W/header.csv"
	[ -s "$W/header.csv" ]
	run -2 --separate-stderr alloc -i csv "$W/header.csv"
	refused
}

@test "oms-import takes an empty channel export as a normal day (no --allow-empty)" {
	empty_inputs
	run -0 --separate-stderr oms-import -O "$W/imported.ndjson" "$W/empty.ndjson"
	assert_equal "$stderr" ''
	[ -e "$W/imported.ndjson" ]
	[ ! -s "$W/imported.ndjson" ]
	run -0 --separate-stderr oms-import < /dev/null
	assert_equal "$stderr" ''
	run -2 --separate-stderr oms-import --allow-empty < /dev/null
	[[ "$stderr" == *"unrecognized option '--allow-empty'"* ]]
}

@test "--help of the three stages names --allow-empty" {
	for tool in oms-allocate oms-split oms-backorder; do
		run -0 "$tool" --help
		assert_output --partial '[--allow-empty]'
		assert_output --partial '--allow-empty        an input with no record writes empty outputs'
	done
}

@test "the pipe: oms-allocate fails, oms-split after it keeps the pick tickets" {
	alloc -O "$W/alloc.ndjson" "$W/book.ndjson"
	split --manifest-dir "$W/m" "$W/alloc.ndjson" > /dev/null
	good "$W"/m/*.csv
	# No --inventory file: oms-allocate exits 2 having written nothing.
	run --separate-stderr bash -c 'set -o pipefail
		oms-allocate --inventory "$1/none.csv" --locations "$2/locations.csv" "$1/book.ndjson" |
		oms-split --locations "$2/locations.csv" --manifest-dir "$1/m" > /dev/null
		echo "${PIPESTATUS[*]}"' sh "$W" "$E"
	assert_output '2 2'
	[[ "$stderr" == *"oms-split: the input holds no records"* ]]
	untouched "$W"/m/*.csv
}
