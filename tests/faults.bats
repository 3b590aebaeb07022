#!/usr/bin/env bats
# faults.bats: what each tool does when the world around it fails (issue 13).
load helpers/common

setup_file() {
	D="$BATS_FILE_TMPDIR"
	gen -n 60 -s 3 --refs "$D" > "$D/book.ndjson" 2>/dev/null
	oms-allocate --as-of 2026-11-26 --inventory "$D/inventory.csv" \
		--locations "$D/locations.csv" "$D/book.ndjson" > "$D/allocated.ndjson" 2>/dev/null
	# Can this file system make unnamed files (O_TMPFILE; overlayfs before
	# Linux 6.6 cannot)? Then the tools name them through /proc (a "link").
	UNNAMED=
	if env OMS_FAULT_LOG="$D/probe.log" LD_PRELOAD="$REPO/build/faultshim.so" \
		ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0" \
		oms-import -O "$D/probe.ndjson" /dev/null && grep -qx link "$D/probe.log"; then
		UNNAMED=1
	fi
	export D UNNAMED
}

# tool NAME ARGS...: one of the four tools with the reference files each needs, and ARGS.
tool() {
	local t=$1
	shift
	case $t in
	oms-import) oms-import "$@" "$D/book.ndjson" ;;
	oms-allocate) oms-allocate --as-of 2026-11-26 --inventory "$D/inventory.csv" \
		--locations "$D/locations.csv" "$@" "$D/book.ndjson" ;;
	oms-split) oms-split --locations "$D/locations.csv" "$@" "$D/allocated.ndjson" ;;
	oms-backorder) oms-backorder --as-of 2026-11-26 --supply "$D/supply.csv" \
		"$@" "$D/allocated.ndjson" ;;
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

# ---- outputs that are one another, or an input ----------------------------

# A folder of the test's own to write in (bats keeps its own files in BATS_TEST_TMPDIR).
workdir() { mkdir -p "$BATS_TEST_TMPDIR/w" && cd "$BATS_TEST_TMPDIR/w"; }

# seed FILE...: each file holds "old", so that a replaced one shows.
seed() { for f in "$@"; do printf 'old\n' > "$f"; done; }
untouched() { for f in "$@"; do assert_equal "$(cat "$f")" old; done; }

@test "-O and --rejects naming one file: refused before anything is written, by every tool" {
	workdir
	for t in oms-import oms-allocate oms-split oms-backorder; do
		seed x.ndjson
		ln -sf x.ndjson link.ndjson
		ln -f x.ndjson hard.ndjson
		for other in x.ndjson ./x.ndjson link.ndjson hard.ndjson "$PWD/x.ndjson"; do
			run -2 --separate-stderr sh -c "$(declare -f tool); D='$D'; tool $t -O x.ndjson --rejects $other"
			assert_equal "$stderr" "$t: -O x.ndjson and --rejects $other are the same file: name another"
			assert_output ""
			untouched x.ndjson
		done
	done
	assert_equal "$(ls -A)" "$(printf '%s\n' hard.ndjson link.ndjson x.ndjson)"
}

@test "an output naming an input or a reference file: refused, the input untouched" {
	workdir
	cp "$D/inventory.csv" inv.csv
	cp "$D/book.ndjson" book.ndjson
	run -2 --separate-stderr oms-allocate --as-of 2026-11-26 --inventory inv.csv \
		--locations "$D/locations.csv" -O inv.csv book.ndjson
	assert_equal "$stderr" "oms-allocate: -O inv.csv is a file the run reads (inv.csv): write the output elsewhere"
	cmp inv.csv "$D/inventory.csv"
	run -2 --separate-stderr oms-allocate --as-of 2026-11-26 --inventory inv.csv \
		--locations "$D/locations.csv" --inventory-out inv.csv book.ndjson
	assert_equal "$stderr" "oms-allocate: --inventory-out inv.csv is a file the run reads (inv.csv): write the output elsewhere"
	cmp inv.csv "$D/inventory.csv"
	# The records read, under any name, standard input too.
	for t in oms-import oms-split; do
		run -2 --separate-stderr $t -O book.ndjson ./book.ndjson
		assert_equal "$stderr" "$t: -O book.ndjson is a file the run reads (./book.ndjson): write the output elsewhere"
		run -2 --separate-stderr sh -c "$t --rejects book.ndjson < book.ndjson"
		assert_equal "$stderr" "$t: --rejects book.ndjson is a file the run reads (standard input): write the output elsewhere"
		cmp book.ndjson "$D/book.ndjson"
	done
	# oms-import's --map, --rules, --catalog; oms-backorder's --previous and --supply.
	cp "$D/catalog.csv" cat.csv
	run -2 --separate-stderr oms-import --catalog cat.csv --ack cat.csv book.ndjson
	assert_equal "$stderr" "oms-import: --ack cat.csv is a file the run reads (cat.csv): write the output elsewhere"
	cp "$D/supply.csv" sup.csv
	run -2 --separate-stderr oms-backorder --as-of 2026-11-26 --supply sup.csv --shortfall sup.csv book.ndjson
	assert_equal "$stderr" "oms-backorder: --shortfall sup.csv is a file the run reads (sup.csv): write the output elsewhere"
	cmp sup.csv "$D/supply.csv"
}

@test "a side file naming standard output, /dev/fd/1 or /proc/self/fd/1 while the records go there: refused" {
	workdir
	for name in /dev/stdout /dev/fd/1 /proc/self/fd/1; do
		seed out.ndjson
		run -2 sh -c "oms-allocate --as-of 2026-11-26 --inventory '$D/inventory.csv' --locations '$D/locations.csv' --inventory-out $name '$D/book.ndjson' > out.ndjson 2> err"
		assert_equal "$(cat err)" "oms-allocate: --inventory-out $name and standard output are the same file: name another"
		assert_equal "$(cat out.ndjson)" ""
		run -2 sh -c "oms-split --rejects $name '$D/allocated.ndjson' > out.ndjson 2> err"
		assert_equal "$(cat err)" "oms-split: standard output and --rejects $name are the same file: name another"
	done
	# Into a pipe too: the records and the rejects would interleave.
	run -2 --separate-stderr bash -c "set -o pipefail; oms-split --rejects /dev/stdout '$D/allocated.ndjson' | cat"
	assert_equal "$stderr" "oms-split: standard output and --rejects /dev/stdout are the same file: name another"
	# A terminal or /dev/null keeps nothing, so sharing it is no loss.
	run -0 oms-split -O /dev/null --rejects /dev/null "$D/allocated.ndjson"
}

@test "an output naming a pick ticket of --manifest-dir: refused" {
	workdir
	mkdir m
	run -2 --separate-stderr oms-split --locations "$D/locations.csv" --manifest-dir m \
		-O m/DC-EAST.csv "$D/allocated.ndjson"
	assert_equal "$stderr" "oms-split: -O m/DC-EAST.csv and --manifest-dir m/DC-EAST.csv are the same file: name another"
	assert_equal "$(ls -A m)" "void"
	assert_equal "$(ls -A m/void)" ""
}

@test "--rejects on a full disk: status 2, -O not replaced, nothing left beside it" {
	workdir
	printf '{"type":"order"}\n' | cat "$D/book.ndjson" - > book.ndjson
	seed out.ndjson
	run -2 --separate-stderr oms-import --rejects /dev/full -O out.ndjson book.ndjson
	assert_equal "$stderr" "$(printf '%s\n' \
		'oms-import: book.ndjson:61: order_id is missing' \
		'oms-import: /dev/full: No space left on device')"
	untouched out.ndjson
	assert_equal "$(ls -A)" "$(printf '%s\n' book.ndjson out.ndjson)"
}

# ---- each call on an output failing in turn ----------------------------------

SHIM="$REPO/build/faultshim.so"
EX="$REPO/examples"

# faulted OUTPUTS... -- TOOL ARGS...: run the tool (as tool does) once to count
# the calls on its outputs, then again with each write, flush, fsync, link
# (the naming of an unnamed file), rename and close failing in turn: each must
# exit 2, replace none of OUTPUTS (seeded) and leave no file beside them.
faulted() {
	local outs=() op n i before log="$BATS_TEST_TMPDIR/calls"
	while [ "$1" != -- ]; do outs+=("$1"); shift; done
	shift
	seed "${outs[@]}"
	before=$(ls -AR)
	rm -f "$log"
	run env OMS_FAULT_LOG="$log" LD_PRELOAD="$SHIM" "$@"
	[ "$status" -le 1 ] || fail "the run without a fault exited $status: $output"
	for f in "${outs[@]}"; do
		[ "$(cat "$f")" != old ] || fail "$f was not written by the run without a fault"
	done
	for op in write flush fsync link rename close; do
		n=$(grep -cx "$op" "$log" || true)
		if [ "$op" != link ] || { [ -z "${OMS_NO_TMPFILE:-}" ] && [ -n "$UNNAMED" ]; }; then
			[ "$n" -ge 1 ] || fail "$op: no call on the outputs"
		fi
		for ((i = 1; i <= n; i++)); do
			seed "${outs[@]}"
			run env OMS_FAULT="$op:$i" LD_PRELOAD="$SHIM" "$@"
			[ "$status" -eq 2 ] || fail "$op $i of $n: status $status: $output"
			for f in "${outs[@]}"; do
				[ "$(cat "$f")" = old ] || fail "$op $i of $n: $f was replaced"
			done
			[ "$(ls -AR)" = "$before" ] || fail "$op $i of $n: left $(ls -AR)"
		done
	done
}

fault_every_tool() {
	export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0"
	workdir
	mkdir m
	faulted out.ndjson rej.ndjson ack.edi -- oms-import --catalog "$EX/catalog.csv" \
		--ack ack.edi --rejects rej.ndjson -O out.ndjson "$EX/exports/nordstrom-850.edi"
	faulted out.ndjson rej.ndjson left.csv -- oms-allocate --as-of 2026-11-26 \
		--inventory "$D/inventory.csv" --locations "$D/locations.csv" \
		--inventory-out left.csv --rejects rej.ndjson -O out.ndjson "$D/book.ndjson"
	mkdir m/void
	faulted out.ndjson rej.ndjson m/DC-EAST.csv m/DC-WEST.csv m/3PL-TORONTO.csv m/STORE-SOHO.csv \
		m/void/DC-EAST.csv m/void/DC-WEST.csv m/void/3PL-TORONTO.csv m/void/STORE-SOHO.csv \
		-- oms-split --locations "$D/locations.csv" --manifest-dir m \
		--rejects rej.ndjson -O out.ndjson "$D/allocated.ndjson"
	faulted out.ndjson rej.ndjson short.csv -- oms-backorder --as-of 2026-11-26 \
		--supply "$D/supply.csv" --shortfall short.csv --rejects rej.ndjson \
		-O out.ndjson "$D/allocated.ndjson"
}

@test "each write, flush, fsync, link, rename and close of an output failing: status 2, nothing replaced, nothing left" {
	fault_every_tool
}

@test "the same where files cannot be made unnamed (hidden named files instead)" {
	export OMS_NO_TMPFILE=1
	fault_every_tool
}

# ---- files left behind, and files reached through links ----------------------

# killed SIGNAL: start oms-import on a FIFO, stop it with SIGNAL while it reads,
# and see that nothing but the seeded output is left in the folder.
killed() {
	local sig=$1 pid fd tries=0
	rm -f in.fifo
	mkfifo in.fifo
	seed out.ndjson
	oms-import -O out.ndjson --rejects rej.ndjson in.fifo 2>/dev/null &
	pid=$!
	exec {fd}> in.fifo
	gen -n 3000 -s 1 >&"$fd"
	# The run is on once it holds its two outputs (and the FIFO) in this folder.
	while [ "$(ls -l /proc/"$pid"/fd 2>/dev/null | grep -c "$PWD/")" -lt 3 ] && [ $tries -lt 500 ]; do
		sleep 0.02
		tries=$((tries + 1))
	done
	[ $tries -lt 500 ] || fail "the run did not open its outputs in 10 s"
	kill -"$sig" "$pid"
	wait "$pid" || true
	exec {fd}>&-
	# Hidden named files cannot outlive SIGKILL: only unnamed ones can promise that.
	if [ "$sig" = KILL ] && [ -z "$UNNAMED" ]; then
		rm -f .out.ndjson.* .rej.ndjson.*
	fi
	untouched out.ndjson
	assert_equal "$(ls -A)" "$(printf '%s\n' in.fifo out.ndjson)"
}

@test "killed while writing (TERM, HUP, KILL): nothing is left beside the outputs (KILL: where files can be unnamed)" {
	workdir
	for sig in TERM HUP KILL; do
		killed "$sig"
	done
}

@test "killed where files cannot be made unnamed: the signal removes the hidden ones" {
	export LD_PRELOAD="$SHIM" OMS_NO_TMPFILE=1
	export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0"
	workdir
	for sig in TERM HUP; do
		killed "$sig"
	done
}

@test "oms-allocate --inventory-out with an input it cannot open: nothing made, nothing left" {
	workdir
	for named in "" 1; do
		run -2 --separate-stderr env ${named:+LD_PRELOAD=$SHIM OMS_NO_TMPFILE=1} \
			ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0" \
			oms-allocate --as-of 2026-11-26 --inventory "$D/inventory.csv" \
			--locations "$D/locations.csv" --inventory-out left.csv -O out.ndjson no-such.ndjson
		assert_equal "$stderr" "oms-allocate: no-such.ndjson: No such file or directory"
		assert_equal "$(ls -A)" ""
	done
}

@test "a link planted in --manifest-dir is replaced, never followed" {
	workdir
	mkdir m
	seed outside.csv
	ln -s "$PWD/outside.csv" m/DC-EAST.csv
	run -0 oms-split --locations "$D/locations.csv" --manifest-dir m -O /dev/null "$D/allocated.ndjson"
	untouched outside.csv
	assert [ ! -L m/DC-EAST.csv ]
	assert_equal "$(head -c 8 m/DC-EAST.csv)" "location"
}

@test "-O naming a link: the link stays one, the file it names is written (a dangling one too)" {
	workdir
	mkdir sub
	ln -s sub/real.ndjson out.ndjson
	ln -s out.ndjson chain.ndjson
	run -0 oms-import -O chain.ndjson "$D/book.ndjson"
	assert [ -L out.ndjson ]
	assert [ -L chain.ndjson ]
	cmp sub/real.ndjson <(oms-import "$D/book.ndjson")
	# A loop of links is refused, not followed forever.
	ln -s loop2 loop1
	ln -s loop1 loop2
	run -2 --separate-stderr oms-import -O loop1 "$D/book.ndjson"
	assert_equal "$stderr" "oms-import: loop1: Too many levels of symbolic links"
}

@test "a ticket per location for 1,500 locations under ulimit -n 256: every one written" {
	workdir
	mkdir m
	{
		cat "$D/locations.csv"
		for ((i = 0; i < 1496; i++)); do echo "L$i,warehouse,US,NJ,$((i + 10)),,,"; done
	} > locs.csv
	run -0 --separate-stderr bash -c "ulimit -n 256; oms-split --locations locs.csv --manifest-dir m -O /dev/null '$D/allocated.ndjson'"
	assert_equal "$(ls m/*.csv | wc -l)" 1500
	assert_equal "$(ls m/void/*.csv | wc -l)" 1500
	assert_equal "$(ls -A m m/void | grep -c '^\.')" 0
}
