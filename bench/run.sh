#!/bin/sh
# run.sh: oms-import against jq and mlr, and oms-allocate, oms-split and
# oms-backorder against jq, on the same generated orders: seconds, throughput and
# peak RSS (run by make bench, after bin/ and bench/gen are built).
# Tasks: (a) NDJSON -> NDJSON, (b) CSV -> NDJSON, (c) NDJSON -> CSV, and (d) a
# Shopify orders export (bench/gen -f shopify, 79 columns, one row a line) -> NDJSON,
# against mlr, which runs once on it; (e) oms-allocate --as-of 2026-11-26 on the
# NDJSON orders with the reference files bench/gen --refs writes for them
# (inventory, locations, packs), NDJSON -> NDJSON, against jq -c . on the same
# file (the figure of (a) for the full file), on the full file and on a tenth:
# its wall time over jq's (target at most 0.50) and its peak RSS (target under
# 1 GB, aim 500 MB); (f) oms-split --locations on the orders as (e) allocates them
# (made once: orders-allocated.ndjson and orders-allocated-tenth.ndjson), NDJSON ->
# NDJSON, against jq -c . on the same allocated file, on the full file and on a
# tenth: jq's wall time over its (target at least 2.0) and its peak RSS, which
# should not grow with the input (it streams); and one run of it with
# --manifest-dir (pick tickets to a temporary folder in BENCH_DIR, removed after),
# whose time and peak RSS are reported apart; (g) oms-backorder --as-of
# 2026-11-26 --supply --shortfall on the same allocated files, NDJSON -> NDJSON,
# against jq -c . on them (the figures of (f) when (f) ran), on the full file and
# on a tenth: jq's wall time over its (target at least 2.0) and its peak RSS. The
# supply is the supply.csv bench/gen --refs writes beside the inventory; the
# shortfall goes to a temporary file in BENCH_DIR, removed after.
#
# Environment: BENCH_ORDERS (default 1000000), BENCH_DIR (bench/data), BENCH_SEED
# (1), BENCH_RUNS (3: each command runs this many times, the best wall time
# counts), BENCH_BUDGET (90: no further run of a command once its runs took
# this many seconds), BENCH_MLR_MEMLIMIT (4GiB: GOMEMLIMIT for mlr, whose heap
# otherwise grows with the input until the machine runs out of memory),
# BENCH_ONLY (all: every task; import: (a) to (d); allocate: (e) alone, which
# makes only the NDJSON orders and the reference files if they are not there;
# split: (f) alone, which makes those and the allocated orders if they are not
# there; backorder: (g) alone, which makes the same as split).
set -eu
cd "$(dirname "$0")/.."

N=${BENCH_ORDERS:-1000000}
DIR=${BENCH_DIR:-bench/data}
SEED=${BENCH_SEED:-1}
RUNS=${BENCH_RUNS:-3}
BUDGET=${BENCH_BUDGET:-90}
MLR_MEMLIMIT=${BENCH_MLR_MEMLIMIT:-4GiB}
ONLY=${BENCH_ONLY:-all}
IMPORT=$PWD/bin/oms-import
ALLOCATE=$PWD/bin/oms-allocate
SPLIT=$PWD/bin/oms-split
BACKORDER=$PWD/bin/oms-backorder
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
case $ONLY in
all) do_import=true do_allocate=true do_split=true do_backorder=true ;;
import) do_import=true do_allocate=false do_split=false do_backorder=false ;;
allocate) do_import=false do_allocate=true do_split=false do_backorder=false ;;
split) do_import=false do_allocate=false do_split=true do_backorder=false ;;
backorder) do_import=false do_allocate=false do_split=false do_backorder=true ;;
*) die "BENCH_ONLY \"$ONLY\" is not all, import, allocate, split or backorder" ;;
esac
if [ ! -x "$GEN" ] || { $do_import && [ ! -x "$IMPORT" ]; } ||
	{ $do_allocate && [ ! -x "$ALLOCATE" ]; } ||
	{ $do_split && { [ ! -x "$ALLOCATE" ] || [ ! -x "$SPLIT" ]; }; } ||
	{ $do_backorder && { [ ! -x "$ALLOCATE" ] || [ ! -x "$BACKORDER" ]; }; }; then
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
REFS=$DIR/refs
REFS10=$DIR/refs-tenth
AL=$DIR/orders-allocated.ndjson
AL10=$DIR/orders-allocated-tenth.ndjson
# oms-split's pick tickets, for the one run with --manifest-dir.
MANIFESTS=$DIR/manifests.tmp
# oms-backorder's supply (bench/gen --refs writes it with the inventory: purchase
# orders for most of what is short, production for the pre-order styles), and
# its shortfall, written by each run.
SUP=$REFS/supply.csv
SUP10=$REFS10/supply.csv
SHORT=$DIR/shortfall.tmp
# oms-allocate's date: the generated orders are placed from 2026-11-01 on.
AS_OF=2026-11-26

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

# Generate once per (orders, seed, generator), and only what the tasks that run
# need; the CSV is derived by oms-import. $DIR/stamp names what the files in
# $DIR were made from: when it does not match, they go, and each is made again
# as a task needs it, under a temporary name renamed once whole, so a file that
# is there is whole and current.
# The generator is named by its sources, not its binary: a build in another
# folder (other debug paths) writes the same bytes.
stamp="n=$N seed=$SEED gen=$(cat bench/gen.c lib/base/date.c lib/base/date.h | cksum | cut -d' ' -f1)"
if [ -f "$DIR/stamp" ] && [ "$(cat "$DIR/stamp")" = "$stamp" ]; then
	echo "bench: reusing what is in $DIR/ ($stamp)" >&2
else
	rm -f "$DIR/stamp" "$ND" "$CSV" "$ND10" "$CSV10" "$SHOP" "$SHOP10" \
		"$REFS/stamp" "$REFS10/stamp" "$DIR/allocated.stamp" "$AL" "$AL10"
	echo "$stamp" > "$DIR/stamp"
fi

# produce FILE CMD...: unless FILE is there, CMD's output becomes FILE.
produce() {
	file=$1
	shift
	if [ ! -f "$file" ]; then
		echo "bench: making $file" >&2
		"$@" > "$file.tmp"
		mv "$file.tmp" "$file"
	fi
}

# refs DIR COUNT: unless DIR has them (its stamp matches), the reference files
# bench/gen --refs writes after COUNT orders of the seed (its stock is sized by
# their demand, so each orders file has its own); the orders are those already
# in $ND or $ND10, which the stamp says came from the same bench/gen.
refs() {
	if [ ! -f "$1/stamp" ] || [ "$(cat "$1/stamp")" != "$stamp" ]; then
		echo "bench: making $1/ (reference files for $2 orders)" >&2
		rm -f "$1/stamp"
		"$GEN" -n "$2" -s "$SEED" --refs "$1" > /dev/null
		echo "$stamp" > "$1/stamp"
	fi
}

produce "$ND" "$GEN" -n "$N" -s "$SEED"
produce "$ND10" "$GEN" -n "$N10" -s "$SEED"
if $do_import; then
	produce "$CSV" "$IMPORT" -o csv "$ND"
	produce "$CSV10" "$IMPORT" -o csv "$ND10"
	produce "$SHOP" "$GEN" -n "$N" -s "$SEED" -f shopify
	produce "$SHOP10" "$GEN" -n "$N10" -s "$SEED" -f shopify
fi
if $do_allocate || $do_split || $do_backorder; then
	refs "$REFS" "$N"
	refs "$REFS10" "$N10"
fi

# The allocated orders of (f) and (g) are oms-allocate's output on those orders and
# reference files: $DIR/allocated.stamp names them and oms-allocate's sources
# (all of lib/, which may remake them when they need not be, never the other way).
# When it does not match, they go and are made again, as the files above are.
if $do_split || $do_backorder; then
	astamp="$stamp as-of=$AS_OF allocate=$(export LC_ALL=C
		cat cmd/oms-allocate.c lib/*/*.c lib/*/*.h | cksum | cut -d' ' -f1)"
	if [ ! -f "$DIR/allocated.stamp" ] ||
		[ "$(cat "$DIR/allocated.stamp")" != "$astamp" ]; then
		rm -f "$DIR/allocated.stamp" "$AL" "$AL10"
		echo "$astamp" > "$DIR/allocated.stamp"
	fi
	produce "$AL" "$ALLOCATE" --as-of "$AS_OF" --inventory "$REFS/inventory.csv" \
		--locations "$REFS/locations.csv" --packs "$REFS/packs.csv" "$ND"
	produce "$AL10" "$ALLOCATE" --as-of "$AS_OF" --inventory "$REFS10/inventory.csv" \
		--locations "$REFS10/locations.csv" --packs "$REFS10/packs.csv" "$ND10"
fi

# allocate LABEL REFS FILE: measure oms-allocate on FILE with the reference files in REFS.
allocate() {
	measure "$1" "$ALLOCATE" --as-of "$AS_OF" --inventory "$2/inventory.csv" \
		--locations "$2/locations.csv" --packs "$2/packs.csv" "$3"
}

: > "$DIR/results"
if $do_import; then
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
fi
if $do_allocate; then
	# jq on the full file is the figure of (a) when (a) ran; on the tenth it
	# is timed here, best of RUNS like oms-allocate, since the ratio counts there too.
	echo "bench: (e) oms-allocate, NDJSON -> NDJSON" >&2
	allocate oms-allocate "$REFS" "$ND"
	record e "(e) allocate" oms-allocate "$ND"
	if $have_jq && ! $do_import; then
		measure jq jq -c . "$ND"
		record jq "" "jq -c ." "$ND"
	fi
	allocate "oms-allocate, N/10" "$REFS10" "$ND10"
	record e10 "(e) allocate, N/10" oms-allocate "$ND10"
	if $have_jq; then
		measure "jq, N/10" jq -c . "$ND10"
		record jq10 "" "jq -c ." "$ND10"
	fi
fi

if $do_split; then
	# jq runs here on the allocated files, not the orders of (a) and (e):
	# oms-split's figures are against jq on its own input.
	echo "bench: (f) oms-split, allocated NDJSON -> NDJSON" >&2
	measure oms-split "$SPLIT" --locations "$REFS/locations.csv" "$AL"
	record f "(f) split" oms-split "$AL"
	if $have_jq; then
		measure "jq, allocated" jq -c . "$AL"
		record jqf "" "jq -c ." "$AL"
	fi
	measure "oms-split, N/10" "$SPLIT" --locations "$REFS10/locations.csv" "$AL10"
	record f10 "(f) split, N/10" oms-split "$AL10"
	if $have_jq; then
		measure "jq, allocated N/10" jq -c . "$AL10"
		record jqf10 "" "jq -c ." "$AL10"
	fi

	# Once with pick tickets, which hold a row a shipment line in memory.
	saved_runs=$RUNS
	RUNS=1
	rm -rf "$MANIFESTS"
	measure "oms-split --manifest-dir" "$SPLIT" --locations "$REFS/locations.csv" \
		--manifest-dir "$MANIFESTS" "$AL"
	record fm "(f) split, manifests" oms-split "$AL"
	# Each ticket is a header line, then its rows.
	set -- "$MANIFESTS"/*.csv
	tickets="$# tickets, $(($(cat "$@" | wc -l) - $#)) rows"
	rm -rf "$MANIFESTS"
	RUNS=$saved_runs
fi

if $do_backorder; then
	# jq on the allocated files is the figure of (f) when (f) ran; else it is
	# timed here, under the same keys.
	echo "bench: (g) oms-backorder, allocated NDJSON -> NDJSON" >&2
	measure oms-backorder "$BACKORDER" --as-of "$AS_OF" --supply "$SUP" \
		--shortfall "$SHORT" "$AL"
	record g "(g) backorder" oms-backorder "$AL"
	short=$(($(wc -l < "$SHORT") - 1))
	if $have_jq && ! $do_split; then
		measure "jq, allocated" jq -c . "$AL"
		record jqf "" "jq -c ." "$AL"
	fi
	measure "oms-backorder, N/10" "$BACKORDER" --as-of "$AS_OF" --supply "$SUP10" \
		--shortfall "$SHORT" "$AL10"
	record g10 "(g) backorder, N/10" oms-backorder "$AL10"
	short10=$(($(wc -l < "$SHORT") - 1))
	if $have_jq && ! $do_split; then
		measure "jq, allocated N/10" jq -c . "$AL10"
		record jqf10 "" "jq -c ." "$AL10"
	fi
	rm -f "$SHORT"
fi

# Sizes go in as fields of the results, then awk prints the table.
while IFS='|' read -r key task tool file s k r; do
	echo "$key|$task|$tool|$(mb "$file")|$s|$k|$r"
done < "$DIR/results" > "$DIR/results.mb"

echo
echo "oms bench ($ONLY): $N orders (seed $SEED) on $(nproc 2> /dev/null || echo '?') CPUs;" \
	"best wall time of up to $RUNS runs (fewer once a command has used ${BUDGET}s)"
jq_v=$(jq --version 2> /dev/null || echo 'no jq')
mlr_v=$(mlr --version 2> /dev/null || echo 'no mlr')
if $do_import; then
	echo "orders.ndjson $(mb "$ND") MB, orders.csv $(mb "$CSV") MB," \
		"shopify.csv $(mb "$SHOP") MB (MB = 10^6 bytes);" \
		"$jq_v, $mlr_v (GOMEMLIMIT=$MLR_MEMLIMIT; one mlr run on shopify.csv)"
else
	echo "orders.ndjson $(mb "$ND") MB (MB = 10^6 bytes); $jq_v"
fi
if $do_allocate; then
	echo "oms-allocate --as-of $AS_OF with the inventory, locations and packs" \
		"of $REFS/ ($N orders) and $REFS10/ ($N10)"
fi
if $do_split; then
	echo "orders-allocated.ndjson $(mb "$AL") MB, orders-allocated-tenth.ndjson" \
		"$(mb "$AL10") MB (oms-allocate --as-of $AS_OF);" \
		"oms-split --locations $REFS/locations.csv (and $REFS10/)"
elif $do_backorder; then
	echo "orders-allocated.ndjson $(mb "$AL") MB, orders-allocated-tenth.ndjson" \
		"$(mb "$AL10") MB (oms-allocate --as-of $AS_OF)"
fi
# supply_rows FILE: "R rows for S SKUs" of a supply.csv.
supply_rows() {
	awk -F, 'NR > 1 { r++; if (!($3 in s)) { s[$3]; n++ } }
		END { printf "%d rows for %d SKUs", r, n }' "$1"
}
if $do_backorder; then
	echo "oms-backorder --as-of $AS_OF --supply $SUP ($(supply_rows "$SUP"))" \
		"and $SUP10 ($(supply_rows "$SUP10")); --shortfall:" \
		"$short SKUs short, $short10 for the tenth"
fi
echo
awk -F'|' -v n="$N" -v n10="$N10" -v tickets="${tickets:-}" '
function row(task, tool, size, s, k, r, orders) {
	if (s + 0 < 0.01)
		s = 0.01
	printf "%-22s %-20s %9s %5d %9.2f %8.1f %10.0f %9.1f\n", task, tool, size, r,
	    s, size / s, orders / s, k / 1024
}
# secs of a key, at least the 0.01 s that GNU time can tell.
function t(k) {
	return secs[k] + 0 < 0.01 ? 0.01 : secs[k]
}
# verdict on an oms-allocate / jq ratio: the target is at most 0.50.
function vs_jq(e, j) {
	if (!(e in secs))
		return
	if (!(j in secs)) {
		printf "  %-20s (jq not installed)\n", file[e]
		return
	}
	printf "  %-20s %8.2f s / %8.2f s = %5.2f  %s\n", file[e], secs[e],
	    secs[j], t(e) / t(j), t(e) / t(j) <= 0.5 ? "(met)" : "(missed)"
}
# verdict on a jq / oms-split or oms-backorder ratio: the target is at least 2.0.
function vs_split(f, j) {
	if (!(f in secs))
		return
	if (!(j in secs)) {
		printf "  %-30s (jq not installed)\n", file[f]
		return
	}
	printf "  %-30s %8.2f s / %8.2f s = %5.2fx  %s\n", file[f], secs[j],
	    secs[f], t(j) / t(f), (t(j) / t(f) >= 2 ? "(met)" : "(missed)")
}
function mb(k) {
	return kb[k] / 1024
}
function rss(k) {
	return mb(k) >= 1000 ? "(over 1 GB)" : mb(k) > 500 ? "(under 1 GB)" : \
	    "(under 500 MB)"
}
{
	key[NR] = $1; task[$1] = $2; tool[$1] = $3; size[$1] = $4
	secs[$1] = $5; kb[$1] = $6; runs[$1] = $7
	file[$1] = ($1 ~ /^(f|g|jqf)/ ? "orders-allocated" : "orders") \
	    ($1 ~ /10$/ ? "-tenth" : "") ".ndjson"
}
END {
	printf "%-22s %-20s %9s %5s %9s %8s %10s %9s\n", "task", "tool", "input MB",
	    "runs", "seconds", "MB/s", "orders/s", "RSS MB"
	for (i = 1; i <= NR; i++) {
		k = key[i]
		if (tool[k] == "")
			continue
		row(task[k], tool[k], size[k], secs[k], kb[k], runs[k],
		    k ~ /10$/ ? n10 : n)
	}
	if ("a" in secs) {
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
	}
	if ("e" in secs) {
		print ""
		print "oms-allocate wall time / jq -c . on the same file (target <= 0.50):"
		vs_jq("e10", "jq10")
		vs_jq("e", "jq")
		print ""
		printf "oms-allocate peak RSS (target under 1 GB, aim 500 MB):\n"
		printf "  %-20s %8d orders %8.1f MB  %s\n", file["e10"], n10, mb("e10"),
		    rss("e10")
		printf "  %-20s %8d orders %8.1f MB  %s\n", file["e"], n, mb("e"),
		    rss("e")
	}
	if ("f" in secs) {
		print ""
		print "jq -c . wall time / oms-split on the same allocated file" \
		    " (target >= 2.0):"
		vs_split("f10", "jqf10")
		vs_split("f", "jqf")
		print ""
		print "oms-split peak RSS (flat: the same for a tenth of the orders):"
		printf "  %-30s %8d orders %8.1f MB\n", file["f10"], n10, mb("f10")
		printf "  %-30s %8d orders %8.1f MB  (%.2fx the tenth)\n", file["f"],
		    n, mb("f"), kb["f"] / (kb["f10"] > 0 ? kb["f10"] : 1)
		print ""
		print "oms-split --manifest-dir, one run on " file["fm"] " (" tickets "):"
		printf "  %8.2f s (%.2fx the run without), %8.1f MB peak RSS\n",
		    secs["fm"], t("fm") / t("f"), mb("fm")
	}
	if ("g" in secs) {
		print ""
		print "jq -c . wall time / oms-backorder on the same allocated file" \
		    " (target >= 2.0):"
		vs_split("g10", "jqf10")
		vs_split("g", "jqf")
		print ""
		print "oms-backorder peak RSS:"
		printf "  %-30s %8d orders %8.1f MB\n", file["g10"], n10, mb("g10")
		printf "  %-30s %8d orders %8.1f MB  (%.2fx the tenth)\n", file["g"],
		    n, mb("g"), kb["g"] / (kb["g10"] > 0 ? kb["g10"] : 1)
	}
}' "$DIR/results.mb"
rm -f "$DIR/time.out" "$DIR/err.out" "$DIR/results" "$DIR/results.mb" "$SHORT"
