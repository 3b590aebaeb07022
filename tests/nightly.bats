#!/usr/bin/env bats
# examples/nightly.sh, the nightly job, and the pipe of oms(7): a night is
# committed whole or not at all, and a failed stage never empties the pick
# tickets, the book or the stock left of the night before.
#
# The job's folder is made from the example brand (examples/): the channel
# exports in drop/, the ShipStation confirmations in tracking/, the
# reference files in ref/, and an empty book for the first night.

setup() {
	load helpers/common
	E="$REPO/examples"
	J="$BATS_TEST_TMPDIR/the job" # a blank in every path the job is given
	NIGHTLY="$REPO/examples/nightly.sh"
	mkdir -p "$J/drop" "$J/tracking" "$J/ref"
	cp "$E"/exports/shopify-orders.csv "$E"/exports/woocommerce-orders.csv \
		"$E"/exports/amazon-unshipped.txt "$E"/exports/nordstrom-850.edi \
		"$E"/exports/returns.csv "$E"/orders/dtc-marketplace.ndjson "$J/drop/"
	cp "$E"/exports/shipstation-shipments.csv "$J/tracking/"
	cp "$E"/inventory.csv "$E"/locations.csv "$E"/rules.json "$E"/catalog.csv \
		"$E"/packs.csv "$E"/supply.csv "$J/ref/"
	: > "$J/book.ndjson"
}

night() { # night AS_OF [OPTION...]: run the job on $J
	local as_of=$1
	shift
	"$NIGHTLY" --dir "$J" --ref "$J/ref" --as-of "$as_of" "$@"
}

# snapshot: the committed files, with their mtimes long past; untouched
# checks their bytes and mtimes.
COMMITTED='book.ndjson night/manifests/EWR-DC.csv night/manifests/LAX-3PL.csv night/manifests/NYC-SOHO.csv night/inventory-out.csv night/book.ndjson night/told.ndjson night/shortfall.csv night.prev/book.ndjson night.prev/manifests/EWR-DC.csv'
snapshot() {
	local f
	for f in $COMMITTED; do
		[ -e "$J/$f" ] || fail "$f was not committed"
		touch -d '2020-01-02 03:04:05' "$J/$f"
	done
	mkdir "$BATS_TEST_TMPDIR/was"
	(cd "$J" && cp -p --parents $COMMITTED "$BATS_TEST_TMPDIR/was/")
	(cd "$J" && find book.ndjson night night.prev | sort) > "$BATS_TEST_TMPDIR/was.list"
}
untouched() {
	local f
	for f in $COMMITTED; do
		cmp "$J/$f" "$BATS_TEST_TMPDIR/was/$f" || fail "$f was rewritten"
		[ "$(stat -c %Y "$J/$f")" = "$(stat -c %Y "$BATS_TEST_TMPDIR/was/$f")" ] ||
			fail "$f has a new mtime"
	done
	assert_equal "$(cd "$J" && find book.ndjson night night.prev | sort)" "$(cat "$BATS_TEST_TMPDIR/was.list")"
}

@test "two nights on the example brand: status 0, the second night starts from the first's book" {
	run -0 --separate-stderr night 2026-11-26
	[ -s "$J/book.ndjson" ]
	cmp "$J/book.ndjson" "$J/night/book.ndjson"
	[ ! -e "$J/staging" ] && [ ! -e "$J/night.prev" ] && [ ! -e "$J/nightly.lock" ]
	assert_equal "$(ls "$J/night/manifests")" "$(printf 'EWR-DC.csv\nLAX-3PL.csv\nNYC-SOHO.csv\nvoid')"
	# Each stage's rejects (none) and messages kept; the --stats lines on standard error too.
	assert_equal "$(ls "$J/night/rejects")" "$(printf 'allocate.ndjson\nbackorder.ndjson\nimport.ndjson\nsplit.ndjson')"
	for f in "$J"/night/rejects/*.ndjson; do [ ! -s "$f" ]; done
	[[ "$stderr" == *"oms-split: stats: "* ]]
	grep -q 'oms-allocate: stats: ' "$J/night/log/allocate.log"
	# The book: the orders and shipments of oms-split's output, nothing else.
	assert_equal "$(grep -c . "$J/book.ndjson")" \
		"$(grep -cE '^\{"type":"(order|shipment)",' "$J/night/split.ndjson")"
	assert_equal "$(grep -cvE '^\{"type":"(order|shipment)",' "$J/book.ndjson")" 0
	grep -q '^{"type":"shipment",' "$J/book.ndjson"
	# The other records of the day, each in its file.
	[ -s "$J/night/tracking.ndjson" ] && [ -s "$J/night/return-requests.ndjson" ]
	[ -s "$J/night/told.ndjson" ] && [ -s "$J/night/notices.ndjson" ]
	cp -r "$J/night" "$BATS_TEST_TMPDIR/night1"

	run -0 --separate-stderr night 2026-11-27
	# The first night is kept as night.prev, and the second started from its book.
	diff -r "$J/night.prev" "$BATS_TEST_TMPDIR/night1"
	cmp "$J/night/book-in.ndjson" "$J/night.prev/book.ndjson"
	cmp "$J/book.ndjson" "$J/night/book.ndjson"
	# Released shipments fed back with the book are not released again.
	[[ "$(cat "$J/night/log/split.log")" == *" released=0 "* ]]
	# Every shipment of the first night is in the second's book, the same id once.
	assert_equal "$(grep -o '"shipment_id":"[^"]*"' "$J/night.prev/book.ndjson" | sort -u)" \
		"$(grep '^{"type":"shipment",' "$J/book.ndjson" | grep -o '"shipment_id":"[^"]*"' | sort)"
}

@test "a rerun of a night gives the same pick tickets, book and stock, byte for byte" {
	run -0 --separate-stderr night 2026-11-26
	run -0 --separate-stderr night 2026-11-27
	cp -r "$J/night" "$BATS_TEST_TMPDIR/night2"
	# The same night again, from the same book.
	cp "$J/night/book-in.ndjson" "$J/book.ndjson"
	run -0 --separate-stderr night 2026-11-27
	for f in manifests/EWR-DC.csv manifests/LAX-3PL.csv manifests/NYC-SOHO.csv \
		book.ndjson inventory-out.csv allocated.ndjson split.ndjson shortfall.csv; do
		cmp "$J/night/$f" "$BATS_TEST_TMPDIR/night2/$f"
	done
	# And the two nights in another folder: the same tickets.
	J2="$BATS_TEST_TMPDIR/job2"
	mkdir "$J2" && cp -r "$J/drop" "$J/tracking" "$J/ref" "$J2/" && : > "$J2/book.ndjson"
	"$NIGHTLY" --dir "$J2" --ref "$J2/ref" --as-of 2026-11-26 2> /dev/null
	"$NIGHTLY" --dir "$J2" --ref "$J2/ref" --as-of 2026-11-27 2> /dev/null
	diff -r "$J2/night/manifests" "$BATS_TEST_TMPDIR/night2/manifests"
	cmp "$J2/book.ndjson" "$BATS_TEST_TMPDIR/night2/book.ndjson"
}

@test "oms-allocate fails (inventory.csv missing): the previous night stays untouched, status 2" {
	run -0 --separate-stderr night 2026-11-26
	run -0 --separate-stderr night 2026-11-27
	snapshot
	# The job checks the three files it needs are there; a file there but
	# unusable is oms-allocate's to find: a header without on_hand.
	rm "$J/ref/inventory.csv"
	run -2 --separate-stderr night 2026-11-28
	[[ "$stderr" == *"inventory.csv: missing (--ref)"* ]]
	untouched
	printf 'location,sku\n' > "$J/ref/inventory.csv"
	run -2 --separate-stderr night 2026-11-28
	[[ "$stderr" == *"oms-allocate: $J/ref/inventory.csv:1: the header has no column \"on_hand\""* ]]
	[[ "$stderr" == *"nightly.sh: allocate ended with status 2: nothing committed"* ]]
	untouched
	# The staging folder is left to look at; the lock is gone.
	[ -d "$J/staging" ] && [ ! -e "$J/nightly.lock" ]
	[ ! -e "$J/staging/split.ndjson" ] && [ ! -e "$J/staging/manifests" ]
	# Mended, the next night commits, and night.prev is the last good night.
	cp "$E/inventory.csv" "$J/ref/"
	run -0 --separate-stderr night 2026-11-28
	cmp "$J/night.prev/book.ndjson" "$BATS_TEST_TMPDIR/was/night/book.ndjson"
	[ ! -e "$J/staging" ]
}

@test "a later stage failing commits nothing either: oms-backorder on a bad supply.csv" {
	run -0 --separate-stderr night 2026-11-26
	run -0 --separate-stderr night 2026-11-27
	snapshot
	printf 'supply_id,kind\n' > "$J/ref/supply.csv"
	run -2 --separate-stderr night 2026-11-28
	[[ "$stderr" == *"nightly.sh: backorder ended with status 2: nothing committed"* ]]
	# oms-split ran and wrote its tickets into staging, not over the night's.
	[ -d "$J/staging/manifests" ]
	untouched
}

@test "a stage that rejects (status 1) commits the night; a rejected order stays in the book" {
	run -0 --separate-stderr night 2026-11-26
	# An order of the book that oms-allocate rejects: a line with no sku,
	# written into the book by hand.
	printf '%s\n' '{"type":"order","order_id":"test:1","channel":"dtc","status":"open","currency":"USD","lines":[{"line_id":"1","qty":1,"unit_price":"1.00"}]}' >> "$J/book.ndjson"
	run -1 --separate-stderr night 2026-11-27
	[ -s "$J/night/rejects/allocate.ndjson" ]
	grep -q 'lines\[1\] has no sku' "$J/night/rejects/allocate.ndjson"
	# Committed, and the rejected order is in the next book as it was read.
	grep -qx '{"type":"order","order_id":"test:1",.*' "$J/book.ndjson"
	assert_equal "$(grep -c '"order_id":"test:1"' "$J/book.ndjson")" 1
	# It is rejected again the next night, and kept again.
	run -1 --separate-stderr night 2026-11-28
	assert_equal "$(grep -c '"order_id":"test:1"' "$J/book.ndjson")" 1
}

@test "a commit cut short before the book moved is finished by the next run" {
	run -0 --separate-stderr night 2026-11-26
	run -0 --separate-stderr night 2026-11-27
	# As if the power went after staging became night/: the book is the old one.
	cp "$J/night/book-in.ndjson" "$J/book.ndjson"
	rm "$J/night/.committed"
	run -2 --separate-stderr "$NIGHTLY" --dir "$J" --ref "$J/none"
	[[ "$stderr" == *"the last commit stopped before the book was replaced: finishing it"* ]]
	cmp "$J/book.ndjson" "$J/night/book.ndjson"
	[ -e "$J/night/.committed" ]
}

@test "options and environment; one run at a time; no book, no night" {
	run -2 --separate-stderr "$NIGHTLY" --dir "$J" --bogus
	[[ "$stderr" == *"usage: nightly.sh"* ]]
	run -0 "$NIGHTLY" --help
	assert_output --partial 'OMS_DIR, OMS_DROP'
	mkdir "$J/nightly.lock"
	run -2 --separate-stderr night 2026-11-26
	[[ "$stderr" == *"nightly.lock exists"* ]]
	rmdir "$J/nightly.lock"
	rm "$J/book.ndjson"
	run -2 --separate-stderr night 2026-11-26
	[[ "$stderr" == *"book.ndjson: no book"* ]]
	[ ! -e "$J/night" ] && [ ! -e "$J/staging" ]
	# By the environment, from another folder, with relative paths.
	: > "$J/book.ndjson"
	mv "$J/drop" "$J/exports"
	cd "$BATS_TEST_TMPDIR"
	run -0 --separate-stderr env OMS_DIR='the job' OMS_DROP='the job/exports' OMS_REF='the job/ref' OMS_AS_OF=2026-11-26 "$NIGHTLY"
	[ -s "$J/night/manifests/EWR-DC.csv" ]
	# No exports at all: the book alone goes through.
	mkdir "$J/empty"
	run -0 --separate-stderr night 2026-11-27 --drop "$J/empty" --tracking "$J/empty"
	[ ! -s "$J/night/imported.ndjson" ]
}

# ---- the pipe of oms(7) ---------------------------------------------------------

# The script of oms(7)'s "The pipeline", as written: the first literal
# display after that heading, mandoc's \e made a backslash.
man_pipe() {
	awk '/^\.Ss The pipeline/ { on = 1 } on && /^\.Bd -literal/ { lit = 1; next }
	    lit && /^\.Ed/ { exit } lit' "$REPO/man/oms.7" | sed 's/\\e/\\/g'
}

@test "the pipe of oms(7), as written: oms-allocate fails, the pick tickets and the book stay" {
	P="$BATS_TEST_TMPDIR/p"
	mkdir -p "$P/bin"
	man_pipe > "$P/pipe.sh"
	grep -q '| oms-split ' "$P/pipe.sh"
	# oms-report is planned: a stand-in that reads its input.
	printf '#!/bin/sh\ncat > /dev/null\n' > "$P/bin/oms-report" && chmod +x "$P/bin/oms-report"
	cp "$E/exports/shopify-orders.csv" "$P/shopify.csv"
	cp "$E/exports/amazon-unshipped.txt" "$P/amazon.txt"
	cp "$E/exports/nordstrom-850.edi" "$P/nordstrom.850"
	cp "$E/inventory.csv" "$E/locations.csv" "$E/rules.json" "$E/supply.csv" "$P/"
	oms-import --rules "$E/rules.json" "$E/exports/shipstation-shipments.csv" > "$P/tracking.ndjson"
	: > "$P/book.ndjson"
	: > "$P/told.ndjson"
	cd "$P"
	run -0 --separate-stderr env PATH="$P/bin:$PATH" bash pipe.sh
	[ -s book.ndjson ] && [ -s manifests/EWR-DC.csv ]
	for f in book.ndjson manifests/*.csv; do touch -d '2020-01-02 03:04:05' "$f"; cp -p "$f" "$f.was"; done
	mv inventory.csv inventory.gone
	run --separate-stderr env PATH="$P/bin:$PATH" bash pipe.sh
	[ "$status" -ge 2 ]
	[[ "$stderr" == *"oms-split: the input holds no records"* ]]
	for f in book.ndjson manifests/*.csv; do
		[[ "$f" == *.was ]] && continue
		cmp "$f" "$f.was"
		[ "$(stat -c %Y "$f")" = "$(stat -c %Y "$f.was")" ]
	done
}
