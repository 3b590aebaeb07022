#!/bin/sh
# identity.sh: the sha256 of every output of every tool on generated books,
# so that a change meant to alter no output (a restructuring) can prove it:
# run it before and after and compare the two lists (`make identity`).
#
#   bench/identity.sh [ORDERS [SEED]]    default 100000 orders, seed 7
#
# The books (their sums are listed too): canonical NDJSON with every 500th
# record bad, the same orders as a Shopify export, and names that start
# spreadsheet formulas.
# Every stage writes its side files too: the 997s, the inventory left, the
# pick tickets in both layouts, the shortfall, and each run's rejects.
set -eu
cd "$(dirname "$0")/.."
root=$PWD

N=${1:-100000}
SEED=${2:-7}
BIN=${OMS_BIN:-$root/bin}
GEN=$root/bench/gen
AS_OF=2026-11-26
[ -x "$BIN/oms-import" ] && [ -x "$GEN" ] || {
	echo "identity: build first: make all bench/gen" >&2
	exit 2
}
w=$(mktemp -d)
trap 'rm -rf "$w"' EXIT
# Every file is named from inside the folder: a reject names its file, and
# the folder's name changes from run to run.
cd "$w"

# run NAME CMD...: CMD with its rejects in NAME.rej; its status is kept too.
run() {
	name=$1
	shift
	status=0
	"$@" --rejects "$name.rej" 2>/dev/null || status=$?
	echo "$status" > "$name.status"
}

"$GEN" -n "$N" -s "$SEED" --bad 500 --refs refs > book.ndjson 2>/dev/null
"$GEN" -n "$N" -s "$SEED" -f shopify > shopify.csv 2>/dev/null
"$GEN" -n "$((N / 10))" -s "$SEED" --formulas > formulas.ndjson 2>/dev/null
R=refs

run import "$BIN/oms-import" -O imported.ndjson book.ndjson
run import-csv "$BIN/oms-import" -o csv -O imported.csv book.ndjson formulas.ndjson
run import-back "$BIN/oms-import" -i csv -O imported-back.ndjson imported.csv
run import-shopify "$BIN/oms-import" --catalog "$R/catalog.csv" -O shopify.ndjson shopify.csv
run import-850 "$BIN/oms-import" --catalog "$root/examples/catalog.csv" --ack 997.edi \
	-O 850.ndjson "$root/examples/exports/nordstrom-850.edi"
A="--as-of $AS_OF --inventory $R/inventory.csv --locations $R/locations.csv --packs $R/packs.csv"
# shellcheck disable=SC2086
run allocate "$BIN/oms-allocate" $A --explain --inventory-out left.csv \
	-O allocated.ndjson imported.ndjson
mkdir tickets tickets-ss
run split "$BIN/oms-split" --locations "$R/locations.csv" --manifest-dir tickets \
	-O split.ndjson allocated.ndjson
run split-ss "$BIN/oms-split" --locations "$R/locations.csv" --manifest-dir tickets-ss \
	--manifest-format shipstation -O split-ss.ndjson allocated.ndjson
run backorder "$BIN/oms-backorder" --as-of "$AS_OF" --supply "$R/supply.csv" \
	--locations "$R/locations.csv" --shortfall shortfall.csv \
	-O backorders.ndjson split.ndjson

find . -type f | LC_ALL=C sort | xargs sha256sum
