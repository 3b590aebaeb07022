#!/bin/sh
# examples/pipeline.sh: the oms demo on the example brand in examples/.
#
# Run by `make demo` from the repository root, but works from any directory:
# it finds the repository from its own path. Everything it writes goes to
# build/demo/. It stops with a non-zero status when a stage fails or rejects
# anything: the example data is meant to be clean, so a reject is a bug in the
# data or in a tool.
#
# Stages (the ones marked "planned" are added as the tools are written):
#   1. oms-import      channel exports -> the order book (NDJSON and CSV),
#                      tracking and return requests, a 997 for the EDI 850
#   2. oms-allocate    the book and the confirmations -> every order with its
#                      allocation and why; what stock is left per location
#   3. oms-split       allocated orders -> shipments per order and location,
#                      held ones with why, split notices, a pick ticket per
#                      location
#   4. oms-backorder   backordered lines -> ETAs from the POs and production,
#                      at-risk flags, ETA notices, the shortfall per SKU
#   5. oms-returns     planned
#   6. oms-report      planned

set -u

here=$(CDPATH='' cd -- "$(dirname -- "$0")" && pwd -P) || exit 2
root=$(dirname -- "$here")
cd "$root" || exit 2

PATH=$root/bin:$PATH
export PATH

AS_OF=2026-11-26	# the demo's "today": dates in the data are relative to it
ex=examples
out=build/demo

fail() {
	printf 'pipeline.sh: %s\n' "$*" >&2
	exit 1
}

[ -x bin/oms-import ] || fail "bin/oms-import is missing: run make first"
mkdir -p "$out" || fail "cannot create $out"
# Outputs of an earlier run go first, so nothing stale can pass for new.
rm -f "$out"/*.ndjson "$out"/*.csv "$out"/*.log "$out"/*.edi "$out"/manifests/*.csv

# stage NAME COMMAND...: run COMMAND with its standard error in $out/NAME.log.
# It must exit 0, say nothing but its --stats line, and reject nothing.
stage() {
	name=$1
	shift
	"$@" 2>"$out/$name.log"
	status=$?
	if [ "$status" -ne 0 ]; then
		cat "$out/$name.log" >&2
		fail "$name: exit status $status from: $*"
	fi
	if grep -v ': stats: ' "$out/$name.log" | grep -q .; then
		cat "$out/$name.log" >&2
		fail "$name: unexpected diagnostics (see above)"
	fi
	if [ -s "$out/rejects-$name.ndjson" ]; then
		fail "$name: rejected records in $out/rejects-$name.ndjson"
	fi
	rm -f "$out/rejects-$name.ndjson"	# empty: nothing was rejected
}

# ---- stage 1: oms-import ----------------------------------------------------
# DTC (Shopify) and marketplace (Amazon) orders, already canonical NDJSON.
stage import-dtc-marketplace \
	oms-import --stats --as-of "$AS_OF" \
	--rejects "$out/rejects-import-dtc-marketplace.ndjson" \
	-O "$out/dtc-marketplace.ndjson" "$ex/orders/dtc-marketplace.ndjson"

# Wholesale orders from a JOOR flat export, read through a column map.
stage import-joor \
	oms-import --stats --as-of "$AS_OF" --map "$ex/maps/joor.json" \
	--rejects "$out/rejects-import-joor.ndjson" \
	-O "$out/joor-wholesale.ndjson" "$ex/orders/joor-wholesale.csv"

# The channels' own exports, in one run: each is recognised from its header
# (or, for the 850, its ISA). The catalog gives the 850's UPC-only lines
# their SKUs; the rules give ship_by to orders that come without one, and
# the zone and currency of the exports that carry none. The 850 is answered
# with a 997.
stage import-exports \
	oms-import --stats --as-of "$AS_OF" \
	--catalog "$ex/catalog.csv" --rules "$ex/rules.json" \
	--ack "$out/ack-997.edi" \
	--rejects "$out/rejects-import-exports.ndjson" \
	-O "$out/exports.ndjson" \
	"$ex/exports/shopify-orders.csv" "$ex/exports/woocommerce-orders.csv" \
	"$ex/exports/amazon-unshipped.txt" "$ex/exports/nordstrom-850.edi" \
	"$ex/exports/shipstation-shipments.csv" "$ex/exports/returns.csv"

# The exports hold three record types. Orders join the book; shipment
# confirmations and return requests go to their own files for the stages
# that use them. oms-import writes normal form, "type" first, so the type
# is at the start of each line.
pick() {	# pick TYPE FILE: the records of TYPE in FILE
	grep "^{\"type\":\"$1\"," "$2"
	[ $? -le 1 ] # grep is 1 when none matched: an empty pick is no error
}
if ! pick tracking "$out/exports.ndjson" >"$out/tracking.ndjson" ||
	! pick return_request "$out/exports.ndjson" >"$out/return-requests.ndjson"; then
	fail "cannot split $out/exports.ndjson"
fi
others=$(grep -Ecv '^[{]"type":"(order|tracking|return_request)",' "$out/exports.ndjson")
[ "$others" -eq 0 ] || fail "$out/exports.ndjson: $others records of another type"

# The order book: every channel in one stream (written whole, then renamed).
if ! { cat "$out/dtc-marketplace.ndjson" "$out/joor-wholesale.ndjson" &&
	pick order "$out/exports.ndjson"; } >"$out/book.ndjson.tmp" ||
	! mv "$out/book.ndjson.tmp" "$out/book.ndjson"; then
	fail "cannot write $out/book.ndjson"
fi

# The same book as CSV (one row per order line), for a spreadsheet.
stage book-csv \
	oms-import --stats --as-of "$AS_OF" -o csv \
	--rejects "$out/rejects-book-csv.ndjson" \
	-O "$out/book.csv" "$out/book.ndjson"

# The CSV must read back to the same records, byte for byte.
oms-import -i csv "$out/book.csv" | cmp -s - "$out/book.ndjson" ||
	fail "$out/book.csv does not read back to $out/book.ndjson"

# ---- stage 2: oms-allocate ---------------------------------------------------
# Reserve stock for the open orders, by rank, across the three locations, by
# the rules' allocate section (examples/rules.json): 2 units of each SKU kept
# for the web shop, wholesale size runs whole and filled to at least 50%,
# wholesale windows opening 7 days before start_ship. The shipment
# confirmations mark units shipped; --explain says why for every order.
stage allocate \
	oms-allocate --stats --as-of "$AS_OF" --explain \
	--inventory "$ex/inventory.csv" --locations "$ex/locations.csv" \
	--catalog "$ex/catalog.csv" --packs "$ex/packs.csv" \
	--rules "$ex/rules.json" --inventory-out "$out/inventory-left.csv" \
	--rejects "$out/rejects-allocate.ndjson" \
	-O "$out/allocated.ndjson" "$out/book.ndjson" "$out/tracking.ndjson"

# Allocating its own output again changes nothing, byte for byte.
oms-allocate --as-of "$AS_OF" --explain \
	--inventory "$ex/inventory.csv" --locations "$ex/locations.csv" \
	--catalog "$ex/catalog.csv" --packs "$ex/packs.csv" --rules "$ex/rules.json" \
	"$out/allocated.ndjson" | cmp -s - "$out/allocated.ndjson" ||
	fail "a second oms-allocate changed $out/allocated.ndjson"

# ---- stage 3: oms-split -------------------------------------------------------
# A shipment per order and location. The rules' split section holds wholesale
# orders until they are complete, ships a partial marketplace order only when
# the part ready and the rest are each worth 30.00, and allows at most three
# shipments an order. A pick ticket per location, in pick-queue order.
stage split \
	oms-split --stats --as-of "$AS_OF" \
	--locations "$ex/locations.csv" --rules "$ex/rules.json" \
	--manifest-dir "$out/manifests" \
	--rejects "$out/rejects-split.ndjson" \
	-O "$out/shipments.ndjson" "$out/allocated.ndjson"

# Splitting its own output again makes nothing new, byte for byte.
oms-split --as-of "$AS_OF" --locations "$ex/locations.csv" --rules "$ex/rules.json" \
	"$out/shipments.ndjson" | cmp -s - "$out/shipments.ndjson" ||
	fail "a second oms-split changed $out/shipments.ndjson"

# ---- stage 4: oms-backorder -------------------------------------------------
# What could not be allocated waits for supply: the purchase orders and the
# production order of examples/supply.csv, promised in the allocate ranking,
# each ready to ship 2 business days after it lands (the rules' backorder
# section; holidays from the import section). A backorder record per line,
# ETA notices for the customers, and what no supply covers, per SKU.
stage backorder \
	oms-backorder --stats --as-of "$AS_OF" --supply "$ex/supply.csv" \
	--locations "$ex/locations.csv" --rules "$ex/rules.json" \
	--shortfall "$out/shortfall.csv" \
	--rejects "$out/rejects-backorder.ndjson" \
	-O "$out/backorders.ndjson" "$out/shipments.ndjson"

# Its own output again gives the same bytes; with it as --previous, no customer
# is told anything new.
oms-backorder --as-of "$AS_OF" --supply "$ex/supply.csv" --locations "$ex/locations.csv" \
	--rules "$ex/rules.json" "$out/backorders.ndjson" | cmp -s - "$out/backorders.ndjson" ||
	fail "a second oms-backorder changed $out/backorders.ndjson"
told=$(oms-backorder --as-of "$AS_OF" --supply "$ex/supply.csv" --locations "$ex/locations.csv" \
	--rules "$ex/rules.json" --previous "$out/backorders.ndjson" "$out/backorders.ndjson" |
	grep -c '"kind":"\(backorder_eta\|preorder_eta\|eta_changed\)"')
[ "$told" -eq 0 ] || fail "oms-backorder --previous told $told customers again"

# ---- stage 5: oms-returns (planned) -----------------------------------------
# Return requests against the closed (shipped) orders: refunds, restock, exchanges.
# oms-returns --stats --as-of "$AS_OF" --rules "$ex/rules.json" \
#	-O "$out/returns.ndjson" "$out/backorders.ndjson" "$out/return-requests.ndjson"

# ---- stage 6: oms-report (planned) ------------------------------------------
# The views people work from.
# oms-report open --as-of "$AS_OF" "$out/returns.ndjson"
# oms-report ar --as-of "$AS_OF" --payments "$ex/payments.csv" "$out/returns.ndjson"

# ---- summary ----------------------------------------------------------------
# count FILE: its records, one a line.
count() {
	wc -l <"$1" | tr -d ' '
}

echo "oms demo: the example brand, as of $AS_OF"
echo
if command -v jq >/dev/null 2>&1; then
	jq -rs '
	    map(select(.type == "order")) as $o
	    | def row($channel; $source; $os): [$channel, $source, ($os | length),
	        ($os | map(select(.status == "open")) | length),
	        ($os | map(select(.status == "cancelled")) | length),
	        ($os | map(select(.status == "closed")) | length),
	        ([$os[].lines[].qty] | add // 0),
	        ([$os[] | select(.status == "open") | .lines[].qty] | add // 0)];
	    (["channel", "source", "orders", "open", "cancelled", "closed", "units", "open_units"]),
	    ($o | group_by([.channel, .source])[] | row(.[0].channel; .[0].source; .)),
	    row("total"; ""; $o)
	    | @tsv' "$out/book.ndjson" |
		awk -F '\t' '{ printf "  %-12s %-12s %6s %5s %10s %7s %6s %11s\n", $1, $2, $3, $4, $5, $6, $7, $8 }' ||
		fail "the summary failed"
else
	echo "  (jq is not installed: no per-channel summary; $(count "$out/book.ndjson") orders)"
fi
echo
echo "other records from the exports:"
printf '  %-15s %4s  %s\n' \
	tracking "$(count "$out/tracking.ndjson")" "shipment confirmations (ShipStation)" \
	return_request "$(count "$out/return-requests.ndjson")" "return requests (returns portal)"
echo
echo "997 acknowledgment of the 850 ($out/ack-997.edi):"
sed -n '1,9s/^/  /p' "$out/ack-997.edi"
echo "  ..."
echo
if command -v jq >/dev/null 2>&1; then
	echo "allocation (oms-allocate --explain): orders by status"
	jq -rs '
	    map(select(.type == "order")) as $o
	    | ($o | map(.allocation.status) | unique) as $st
	    | (["channel"] + $st),
	      ($o | group_by(.channel)[] | . as $g
	        | [$g[0].channel] + [$st[] as $s | $g | map(select(.allocation.status == $s)) | length])
	    | @tsv' "$out/allocated.ndjson" |
		awk -F '\t' '{ printf "  %-12s", $1; for (i = 2; i <= NF; i++) printf " %9s", $i; print "" }' ||
		fail "the allocation summary failed"
	echo
	echo "why, for a few of them (allocation.reason and allocation.trace):"
	jq -r 'select(.type == "order" and (.order_id == "shopify:1009" or
	        .order_id == "joor:5512318" or .order_id == "edi850:NORDSTROM:7718233" or
	        .order_id == "joor:5512380"))
	    | "  \(.order_id) (\(.channel)): \(.allocation.status)\(if .allocation.reason then ": " + .allocation.reason else "" end)",
	      (.allocation.trace // [] | .[] | "      - \(.)")' "$out/allocated.ndjson" ||
		fail "the allocation summary failed"
	echo
fi
if command -v jq >/dev/null 2>&1; then
	echo "shipments (oms-split): by channel and status"
	jq -rs '
	    map(select(.type == "shipment")) | group_by([.channel, .status])[]
	    | [.[0].channel, .[0].status, length, (map(.units) | add)] | @tsv' "$out/shipments.ndjson" |
		awk -F '\t' 'BEGIN { printf "  %-12s %-9s %9s %6s\n", "channel", "status", "shipments", "units" }
		    { printf "  %-12s %-9s %9s %6s\n", $1, $2, $3, $4 }' ||
		fail "the shipment summary failed"
	echo
	echo "held, and why:"
	jq -r 'select(.type == "shipment" and .status == "held")
	    | "  \(.shipment_id) (\(.location // "no location")): \(.reason)"' "$out/shipments.ndjson" ||
		fail "the shipment summary failed"
	echo
	echo "shipped (the ShipStation confirmations, applied into shipments):"
	jq -r 'select(.type == "shipment" and .status == "shipped")
	    | "  \(.shipment_id) (\(.location // "no location")): \(.units) units, \(.carrier) \(.tracking_number)"' \
		"$out/shipments.ndjson" || fail "the shipment summary failed"
	echo
	echo "what the customers are told when a shipment leaves (shipped notices), for shopify:1001:"
	jq -r 'select(.type == "notice" and .kind == "shipped" and .order_id == "shopify:1001") | "  \(.text)"' \
		"$out/shipments.ndjson" || fail "the shipment summary failed"
	echo
	echo "orders in pieces (split_shipment notices):"
	jq -r 'select(.type == "notice" and .kind == "split_shipment") | "  \(.order_id): \(.text)"' \
		"$out/shipments.ndjson" || fail "the shipment summary failed"
	echo
fi
if command -v jq >/dev/null 2>&1; then
	# not_yet: of them, lines of orders before their ship window (projected on supply).
	echo "backorders (oms-backorder): lines and units by kind"
	jq -rs '
	    map(select(.type == "backorder")) | group_by(.kind)[]
	    | [.[0].kind, length, (map(.qty) | add), (map(select(.at_risk)) | length),
	       (map(select(.not_yet)) | length)] | @tsv' \
		"$out/backorders.ndjson" |
		awk -F '\t' 'BEGIN { printf "  %-10s %6s %6s %8s %8s\n", "kind", "lines", "units", "at_risk", "not_yet" }
		    { printf "  %-10s %6s %6s %8s %8s\n", $1, $2, $3, $4, $5 }' ||
		fail "the backorder summary failed"
	echo
	echo "what the customers are told, for a few of them:"
	jq -r 'select(.type == "notice" and (.kind == "backorder_eta" or .kind == "preorder_eta")
	        and (.order_id == "shopify:1009" or .order_id == "shopify:1021" or .order_id == "joor:5512318"))
	    | "  \(.order_id) (\(.kind)): \(.text)"' "$out/backorders.ndjson" ||
		fail "the backorder summary failed"
	echo
fi
echo "shortfall: demand no supply covers, what to buy or make next ($out/shortfall.csv):"
sed 's/^/  /' "$out/shortfall.csv"
echo
echo "pick tickets ($out/manifests/), in pick-queue order:"
for f in "$out"/manifests/*.csv; do
	printf '  %-14s %3s rows; first: %s\n' "$(basename "$f" .csv)" "$(($(count "$f") - 1))" \
		"$(sed -n 2p "$f" | cut -d, -f2,5,6,7,11)"
done
echo
echo "stats:"
for name in import-dtc-marketplace import-joor import-exports book-csv allocate split backorder; do
	printf '  %-23s %s\n' "$name" "$(sed -n 's/^oms-[a-z]*: stats: //p' "$out/$name.log")"
done
echo
echo "files:"
printf '  %-34s %s\n' \
	"$out/book.ndjson" "the order book, one order per line ($(count "$out/book.ndjson") orders)" \
	"$out/book.csv" "the same book as CSV, one row per order line ($(($(count "$out/book.csv") - 1)) rows)" \
	"$out/dtc-marketplace.ndjson" "Shopify and Amazon orders, normalised" \
	"$out/joor-wholesale.ndjson" "JOOR wholesale orders, read through $ex/maps/joor.json" \
	"$out/exports.ndjson" "the channel exports of $ex/exports/, imported" \
	"$out/tracking.ndjson" "their shipment confirmations" \
	"$out/return-requests.ndjson" "their return requests" \
	"$out/ack-997.edi" "the X12 997 answering $ex/exports/nordstrom-850.edi" \
	"$out/allocated.ndjson" "every order with its allocation, reason and trace" \
	"$out/inventory-left.csv" "what is left per location and SKU after allocation" \
	"$out/shipments.ndjson" "the allocated book with each order's shipments and notices" \
	"$out/manifests/*.csv" "a pick ticket per location, in pick-queue order" \
	"$out/backorders.ndjson" "the book with backorder records and ETA notices" \
	"$out/shortfall.csv" "demand no supply covers, per SKU" \
	"$out/*.log" "each stage's standard error"
