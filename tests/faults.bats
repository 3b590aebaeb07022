#!/usr/bin/env bats
# faults.bats: what each tool does when the world around it fails (issue 13).
load helpers/common

setup_file() {
	D="$BATS_FILE_TMPDIR"
	gen -n 60 -s 3 --refs "$D" > "$D/book.ndjson" 2>/dev/null
	oms-allocate --as-of 2026-11-26 --inventory "$D/inventory.csv" \
		--locations "$D/locations.csv" "$D/book.ndjson" > "$D/allocated.ndjson" 2>/dev/null
	export D
}

# tool ARGS...: the four tools with the reference files each needs.
tool() {
	case $1 in
	oms-import) oms-import "$D/book.ndjson" ;;
	oms-allocate) oms-allocate --as-of 2026-11-26 --inventory "$D/inventory.csv" \
		--locations "$D/locations.csv" "$D/book.ndjson" ;;
	oms-split) oms-split --locations "$D/locations.csv" "$D/allocated.ndjson" ;;
	oms-backorder) oms-backorder --as-of 2026-11-26 --supply "$D/supply.csv" \
		"$D/allocated.ndjson" ;;
	esac
}

# A closed standard output was the next descriptor a tool opened (its spool):
# the records went into a temporary file and the tool said 0.
@test "standard output closed: every tool stops with status 2 and says so" {
	for t in oms-import oms-allocate oms-split oms-backorder; do
		run -2 --separate-stderr sh -c "$(declare -f tool); D='$D'; tool $t >&-"
		assert_equal "$stderr" "$t: standard output: Bad file descriptor"
	done
}

@test "standard input closed: a tool reading it stops with status 2 and says so" {
	run -2 --separate-stderr sh -c "oms-import <&-"
	assert_equal "$stderr" "oms-import: stdin: Bad file descriptor"
	run -2 --separate-stderr sh -c "oms-allocate --as-of 2026-11-26 --inventory '$D/inventory.csv' --locations '$D/locations.csv' <&-"
	assert_equal "$stderr" "oms-allocate: stdin: Bad file descriptor"
	assert_output ""
	run -2 --separate-stderr sh -c "oms-split --locations '$D/locations.csv' <&-"
	assert_equal "$stderr" "oms-split: stdin: Bad file descriptor"
}
