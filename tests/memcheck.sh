#!/bin/sh
# memcheck.sh: every binary under valgrind on good, bad and generated input;
# any error or leak fails (run by make memcheck).
set -u
cd "$(dirname "$0")/.."
PATH="$PWD/bin:$PWD/bench:$PATH"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0

vg() {
	if ! valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite,indirect \
		"$@" > /dev/null 2> "$tmp/vg.log"; then
		if grep -q '==[0-9]*==' "$tmp/vg.log"; then
			echo "memcheck: FAIL: $*"
			cat "$tmp/vg.log"
			fails=$((fails + 1))
			return
		fi
	fi
	echo "memcheck: ok: $*"
}

gen -n 300 -s 3 --bad 7 > "$tmp/gen.ndjson" 2>/dev/null
gen -n 300 -s 3 2>/dev/null | oms-import -o csv > "$tmp/gen.csv"
printf 'a,"b\n' > "$tmp/unterminated.csv"
for f in tests/fixtures/import/*.ndjson tests/fixtures/csv/*.csv "$tmp/gen.ndjson" \
	"$tmp/gen.csv" "$tmp/unterminated.csv"; do
	vg oms-import --stats --rejects /dev/null "$f"
	vg oms-import -o csv --rejects /dev/null "$f"
done
vg oms-import --map tests/fixtures/map/joor.json tests/fixtures/map/joor.csv
vg oms-import --strict -O "$tmp/out" "$tmp/gen.ndjson"
vg oms-import --help
vg oms-import --map /nonexistent.json /dev/null

# The channel readers on their own fixtures: 850s whose 997s wait for the
# book's verdicts, case units and buyer numbers; stores and lines without a
# SKU; both WooCommerce layouts; Loop's returns; FBA; value maps and services.
F=tests/fixtures
vg oms-import --catalog $F/edi850/buyer-catalog.csv --ack "$tmp/997" --rejects /dev/null \
	$F/edi850/late.850 $F/edi850/units.850 $F/edi850/halcyon.850
vg oms-import --rejects /dev/null $F/edi850/late.850 $F/edi850/cut.850
vg oms-import --catalog $F/shopify/catalog.csv $F/shopify/nosku.csv $F/shopify/store-us.csv \
	$F/shopify/store-eu.csv $F/shopify/store-us-later.csv
vg oms-import --store us $F/shopify/store-us.csv $F/shopify/store-us-later.csv
vg oms-import --tz America/New_York --rejects /dev/null $F/woocommerce/oei.csv $F/woocommerce/orders.csv
vg oms-import $F/returns/per-unit.csv $F/amazon/fba.txt
vg oms-import --rejects /dev/null --map $F/map/faire.json $F/map/faire.csv

# oms-allocate: a generated book with scarce stock, every rule on, tracking,
# a rerun on its own output (kept allocations and traces), and bad references.
gen -n 400 -s 5 --refs "$tmp/refs" > "$tmp/book.ndjson" 2>/dev/null
cat > "$tmp/rules.json" <<'RULES'
{"allocate": {"protect": [{"channel": "dtc", "percent": 10}], "min_fill": {"wholesale": 60},
  "size_run": ["wholesale"], "lead_days": 5, "search_limit": 3}}
RULES
A="--as-of 2026-11-26 --inventory $tmp/refs/inventory.csv --locations $tmp/refs/locations.csv --packs $tmp/refs/packs.csv"
vg oms-allocate $A --rules "$tmp/rules.json" --explain --stats --inventory-out "$tmp/left.csv" \
	"$tmp/book.ndjson" examples/exports/shipstation-shipments.csv
oms-allocate $A --explain "$tmp/book.ndjson" > "$tmp/allocated.ndjson" 2>/dev/null
vg oms-allocate $A --explain "$tmp/allocated.ndjson" "$tmp/book.ndjson"
vg oms-allocate $A --reallocate -o csv "$tmp/allocated.ndjson"
vg oms-allocate $A --rejects /dev/null "$tmp/gen.ndjson"
vg oms-allocate --inventory /nonexistent.csv --locations "$tmp/refs/locations.csv" /dev/null
# Outputs that fail, or are refused, after some were made (issue 13).
vg oms-allocate $A --inventory-out "$tmp/left2.csv" -O "$tmp/out2" /nonexistent.ndjson
vg oms-allocate $A --inventory-out "$tmp/left2.csv" -O "$tmp/left2.csv" "$tmp/book.ndjson"
vg oms-allocate $A --rejects /dev/full -O "$tmp/out2" "$tmp/gen.ndjson"
vg oms-allocate --help

# oms-split: the allocated book with every policy, pick tickets in both layouts,
# a rerun on its own output (released shipments met again), and bad input.
cat > "$tmp/split.json" <<'RULES'
{"split": {"partial": {"wholesale": "hold", "marketplace": {"min_value": "40.00"},
  "b2b": {"min_percent": 30}}, "max_shipments": 2}}
RULES
S="--locations $tmp/refs/locations.csv --rules $tmp/split.json"
vg oms-split $S --stats --manifest-dir "$tmp/m1" "$tmp/allocated.ndjson"
oms-split $S "$tmp/allocated.ndjson" > "$tmp/split.ndjson" 2>/dev/null
vg oms-split $S --manifest-dir "$tmp/m2" --manifest-format shipstation "$tmp/split.ndjson"
vg oms-split --rejects /dev/null "$tmp/gen.ndjson" "$tmp/split.ndjson" "$tmp/allocated.ndjson"
vg oms-split --manifest-dir /nonexistent/dir /dev/null
vg oms-split --help

# oms-backorder: the demo's shipments against the example supply, locations and
# rules, with --shortfall and --stats; a rerun on its own output as --previous;
# late supply; the generated book with a supply of its own SKUs (some at
# locations, some late); and bad supply, previous and shortfall files.
[ -f build/demo/shipments.ndjson ] || sh examples/pipeline.sh > /dev/null 2>&1
demo=build/demo/shipments.ndjson
B="--as-of 2026-11-26 --supply examples/supply.csv --locations examples/locations.csv --rules examples/rules.json"
vg oms-backorder $B --stats --shortfall "$tmp/short.csv" "$demo"
oms-backorder $B "$demo" > "$tmp/backorders.ndjson" 2>/dev/null
vg oms-backorder $B --previous "$tmp/backorders.ndjson" --shortfall "$tmp/short2.csv" --stats \
	"$tmp/backorders.ndjson"
vg oms-backorder --as-of 2027-01-20 --supply examples/supply.csv --previous "$tmp/backorders.ndjson" \
	"$demo"
awk -F, 'NR > 1 && NR % 7 == 0 {
	printf "%s-%d,%s,%s,%d,2026-%02d-%02d,%s\n", NR % 2 ? "PO" : "MO", NR % 5,
	    NR % 2 ? "po" : "production", $2, NR % 9, 10 + NR % 3, 1 + NR % 28,
	    NR % 3 ? $1 : ""
}' "$tmp/refs/inventory.csv" | sort -t, -k1,1 -k3,3 -k6,6 -u > "$tmp/supply-rows.csv"
{ echo "supply_id,kind,sku,qty,expected_date,location"; cat "$tmp/supply-rows.csv"; } > "$tmp/supply.csv"
vg oms-backorder --as-of 2026-11-26 --supply "$tmp/supply.csv" --locations "$tmp/refs/locations.csv" \
	--stats --shortfall "$tmp/short3.csv" "$tmp/allocated.ndjson" "$tmp/split.ndjson"
vg oms-backorder --rejects /dev/null --supply "$tmp/supply.csv" "$tmp/gen.ndjson" "$tmp/allocated.ndjson"
printf 'supply_id,kind,sku,qty,expected_date\nPO-1,po,A,2,2026-12-01\nPO-2,po,B,x,2026-12-01\n' \
	> "$tmp/bad-supply.csv"
vg oms-backorder --supply "$tmp/bad-supply.csv" "$demo"
printf 'supply_id,kind,sku,qty,expected_date,location\nPO-1,po,A,2,2026-12-01,Nowhere\n' \
	> "$tmp/nowhere-supply.csv"
vg oms-backorder --supply "$tmp/nowhere-supply.csv" --locations examples/locations.csv "$demo"
printf 'supply_id,kind,sku,qty,expected_date\nPO-1,po,A,2,2026-12-01\nPO-1,po,A,3,2026-12-02\n' \
	> "$tmp/twin-supply.csv"
vg oms-backorder --supply "$tmp/twin-supply.csv" "$demo"
printf 'supply_id,kind,sku\nPO-1,po,A\n' > "$tmp/short-header.csv"
vg oms-backorder --supply "$tmp/short-header.csv" "$demo"
vg oms-backorder --supply "$tmp/unterminated.csv" "$demo"
vg oms-backorder --supply /nonexistent.csv "$demo"
printf '{"type":"backorder","order_id":"o","line_id":"1","eta":"soon"}\n' > "$tmp/bad-previous.ndjson"
vg oms-backorder $B --previous "$tmp/bad-previous.ndjson" "$demo"
vg oms-backorder $B --previous "$tmp/gen.csv" "$demo"
vg oms-backorder $B --shortfall /nonexistent/dir/short.csv "$demo"
vg oms-backorder --rules /nonexistent.json /dev/null
vg oms-backorder --help

# The C unit tests of lib/ (built by make memcheck into build/unit).
for t in build/unit/*_test; do
	[ -x "$t" ] && vg "$t"
done

[ "$fails" -eq 0 ] || { echo "memcheck: $fails failed"; exit 1; }
echo "memcheck: clean"
