#!/bin/sh
# run.sh: oms-import against jq and mlr on the same generated orders: seconds,
# throughput and peak RSS (run by make bench, after bin/ and bench/gen are built).
# Tasks: (a) NDJSON -> NDJSON, (b) CSV -> NDJSON, (c) NDJSON -> CSV, and (d) a
# Shopify orders export (bench/gen -f shopify, 79 columns, one row a line) -> NDJSON,
# against mlr, which runs once on it.
#
# Environment: BENCH_ORDERS (default 1000000), BENCH_DIR (bench/data), BENCH_SEED
# (1), BENCH_RUNS (3: each command runs this many times, the best wall time
# counts), BENCH_BUDGET (90: no further run of a command once its runs took
# this many seconds), BENCH_MLR_MEMLIMIT (4GiB: GOMEMLIMIT for mlr, whose heap
# otherwise grows with the input until the machine runs out of memory).
set -eu
cd "$(dirname "$0")/.."

N=${BENCH_ORDERS:-1000000}
DIR=${BENCH_DIR:-bench/data}
SEED=${BENCH_SEED:-1}
RUNS=${BENCH_RUNS:-3}
BUDGET=${BENCH_BUDGET:-90}
MLR_MEMLIMIT=${BENCH_MLR_MEMLIMIT:-4GiB}
IMPORT=$PWD/bin/oms-import
GEN=$PWD/bench/gen
TIME=/usr/bin/time

die() {
	echo "bench: $*" >&2
	exit 2
}

for v in "$N" "$SEED" "$RUNS" "$BUDGET"; do
	case $v in
	'' | *[!0-9]*)
		die "\"$v\" is not a whole number" \
			"(BENCH_ORDERS, BENCH_SEED, BENCH_RUNS, BENCH_BUDGET)" ;;
	esac
done
[ "$N" -ge 10 ] || die "BENCH_ORDERS must be at least 10"
[ "$RUNS" -ge 1 ] || die "BENCH_RUNS must be at least 1"
if [ ! -x "$IMPORT" ] || [ ! -x "$GEN" ]; then
	die "build first: make all bench/gen"
fi
[ -x "$TIME" ] || die "GNU time is needed at $TIME"
have_jq=false have_mlr=false
command -v jq > /dev/null 2>&1 && have_jq=true
command -v mlr > /dev/null 2>&1 && have_mlr=true

mkdir -p "$DIR"
ND=$DIR/orders.ndjson
CSV=$DIR/orders.csv
N10=$((N / 10))
ND10=$DIR/orders-tenth.ndjson
CSV10=$DIR/orders-tenth.csv
SHOP=$DIR/shopify.csv
SHOP10=$DIR/shopify-tenth.csv

# mb FILE: its size in MB (10^6 bytes).
mb() {
	wc -c < "$1" | awk '{ printf "%.1f", $1 / 1e6 }'
}

# measure LABEL CMD...: sets secs (best wall time), kb (highest peak RSS), runs.
measure() {
	label=$1
	shift
	secs='' kb=0 runs=0 spent=0
	while [ "$runs" -lt "$RUNS" ] && [ "$spent" -lt "$BUDGET" ]; do
		if ! "$TIME" -f '%e %M' -o "$DIR/time.out" "$@" \
			> /dev/null 2> "$DIR/err.out"; then
			cat "$DIR/err.out" "$DIR/time.out" >&2
			die "failed: $*"
		fi
		if [ -s "$DIR/err.out" ]; then
			echo "bench: $label wrote on stderr:" >&2
			head -5 "$DIR/err.out" >&2
		fi
		read -r s k < "$DIR/time.out"
		runs=$((runs + 1))
		spent=$(awk -v a="$spent" -v b="$s" 'BEGIN { printf "%d", a + b }')
		secs=$(awk -v a="$secs" -v b="$s" \
			'BEGIN { print (a == "" || b + 0 < a + 0) ? b : a }')
		[ "$k" -gt "$kb" ] && kb=$k
		echo "bench:   $label, run $runs: $s s, $k KB" >&2
	done
}

# Results are kept as lines "key task tool file secs kb runs" in $DIR/results.
record() {
	echo "$1|$2|$3|$4|$secs|$kb|$runs" >> "$DIR/results"
}

# Generate once per (orders, seed, generator); the CSV is derived by oms-import.
stamp="n=$N seed=$SEED gen=$(cksum < "$GEN" | cut -d' ' -f1)"
if [ -f "$DIR/stamp" ] && [ "$(cat "$DIR/stamp")" = "$stamp" ] && [ -f "$ND" ] &&
	[ -f "$CSV" ] && [ -f "$ND10" ] && [ -f "$CSV10" ] && [ -f "$SHOP" ] &&
	[ -f "$SHOP10" ]; then
	echo "bench: reusing $ND, $CSV and $SHOP ($stamp)" >&2
else
	rm -f "$DIR/stamp"
	echo "bench: generating $N orders into $DIR/" >&2
	"$GEN" -n "$N" -s "$SEED" > "$ND"
	"$IMPORT" -o csv "$ND" > "$CSV"
	"$GEN" -n "$N10" -s "$SEED" > "$ND10"
	"$IMPORT" -o csv "$ND10" > "$CSV10"
	"$GEN" -n "$N" -s "$SEED" -f shopify > "$SHOP"
	"$GEN" -n "$N10" -s "$SEED" -f shopify > "$SHOP10"
	echo "$stamp" > "$DIR/stamp"
fi

: > "$DIR/results"
echo "bench: (a) NDJSON -> NDJSON" >&2
measure oms-import "$IMPORT" "$ND"
record a "(a) NDJSON -> NDJSON" oms-import "$ND"
if $have_jq; then
	measure jq jq -c . "$ND"
	record jq "" "jq -c ." "$ND"
fi
echo "bench: (b) CSV -> NDJSON" >&2
measure oms-import "$IMPORT" "$CSV"
record b "(b) CSV -> NDJSON" oms-import "$CSV"
if $have_mlr; then
	measure mlr env GOMEMLIMIT="$MLR_MEMLIMIT" mlr --icsv --ojson cat "$CSV"
	record mlr "" "mlr --icsv --ojson" "$CSV"
fi
echo "bench: (c) NDJSON -> CSV" >&2
measure oms-import "$IMPORT" -o csv "$ND"
record c "(c) NDJSON -> CSV" oms-import "$ND"
echo "bench: (d) Shopify CSV -> NDJSON" >&2
measure oms-import "$IMPORT" "$SHOP"
record d "(d) Shopify -> NDJSON" oms-import "$SHOP"
saved_runs=$RUNS
RUNS=1
if $have_mlr; then
	measure mlr env GOMEMLIMIT="$MLR_MEMLIMIT" mlr --icsv --ojson cat "$SHOP"
	record mlrd "" "mlr --icsv --ojson" "$SHOP"
fi

# The same conversions on a tenth of the orders, once, for peak RSS.
measure "oms-import, N/10" "$IMPORT" "$ND10"
record a10 "" "" "$ND10"
measure "oms-import, N/10" "$IMPORT" "$CSV10"
record b10 "" "" "$CSV10"
measure "oms-import, N/10" "$IMPORT" -o csv "$ND10"
record c10 "" "" "$ND10"
measure "oms-import, N/10" "$IMPORT" "$SHOP10"
record d10 "" "" "$SHOP10"
RUNS=$saved_runs

# Sizes go in as fields of the results, then awk prints the table.
while IFS='|' read -r key task tool file s k r; do
	echo "$key|$task|$tool|$(mb "$file")|$s|$k|$r"
done < "$DIR/results" > "$DIR/results.mb"

echo
echo "oms bench: $N orders (seed $SEED) on $(nproc 2> /dev/null || echo '?') CPUs;" \
	"best wall time of up to $RUNS runs (fewer once a command has used ${BUDGET}s)"
jq_v=$(jq --version 2> /dev/null || echo 'no jq')
mlr_v=$(mlr --version 2> /dev/null || echo 'no mlr')
echo "orders.ndjson $(mb "$ND") MB, orders.csv $(mb "$CSV") MB," \
	"shopify.csv $(mb "$SHOP") MB (MB = 10^6 bytes);" \
	"$jq_v, $mlr_v (GOMEMLIMIT=$MLR_MEMLIMIT; one mlr run on shopify.csv)"
echo
awk -F'|' -v n="$N" -v n10="$N10" '
function row(task, tool, size, s, k, r) {
	if (s + 0 < 0.01)
		s = 0.01
	printf "%-22s %-20s %9s %5d %9.2f %8.1f %10.0f %9.1f\n", task, tool, size, r,
	    s, size / s, n / s, k / 1024
}
{
	key[NR] = $1; task[$1] = $2; tool[$1] = $3; size[$1] = $4
	secs[$1] = $5; kb[$1] = $6; runs[$1] = $7
}
END {
	printf "%-22s %-20s %9s %5s %9s %8s %10s %9s\n", "task", "tool", "input MB",
	    "runs", "seconds", "MB/s", "orders/s", "RSS MB"
	for (i = 1; i <= NR; i++) {
		k = key[i]
		if (k ~ /10$/)
			continue
		row(task[k], tool[k], size[k], secs[k], kb[k], runs[k])
	}
	print ""
	print "throughput ratios (same input, higher favours oms-import):"
	if ("jq" in secs)
		printf "  oms-import / jq   NDJSON -> NDJSON  %6.2fx\n",
		    secs["jq"] / secs["a"]
	else
		print "  oms-import / jq   (jq not installed)"
	if ("mlr" in secs)
		printf "  oms-import / mlr  CSV -> JSON       %6.2fx\n",
		    secs["mlr"] / secs["b"]
	else
		print "  oms-import / mlr  (mlr not installed)"
	if ("mlrd" in secs)
		printf "  oms-import / mlr  Shopify -> JSON   %6.2fx\n",
		    secs["mlrd"] / secs["d"]
	print ""
	printf "oms-import peak RSS, %d orders vs %d:\n", n10, n
	printf "  NDJSON -> NDJSON  %6.1f MB vs %6.1f MB\n", kb["a10"] / 1024,
	    kb["a"] / 1024
	printf "  CSV -> NDJSON     %6.1f MB vs %6.1f MB\n", kb["b10"] / 1024,
	    kb["b"] / 1024
	printf "  NDJSON -> CSV     %6.1f MB vs %6.1f MB\n", kb["c10"] / 1024,
	    kb["c"] / 1024
	printf "  Shopify -> NDJSON %6.1f MB vs %6.1f MB\n", kb["d10"] / 1024,
	    kb["d"] / 1024
}' "$DIR/results.mb"
rm -f "$DIR/time.out" "$DIR/err.out" "$DIR/results" "$DIR/results.mb"
