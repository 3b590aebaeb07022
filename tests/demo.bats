#!/usr/bin/env bats
# make demo: the example brand goes through the pipeline clean.

setup() { load helpers/common; }

@test "the demo pipeline runs on the example data with no rejects" {
	run -0 sh "$REPO/examples/pipeline.sh"
	assert_output --partial "  total                         81"
	# Stage 3: the order that ships in two pieces, a held wholesale order, three tickets.
	assert_output --partial "  shopify:1041: Your order #1041 ships in 2 shipments. Shipment 1 of 2: 1 x CHINO-SLIM Navy M. Shipment 2 of 2: 1 x HOOD-PO Black M."
	assert_output --partial "  joor:5512318/1 (EWR-DC): partial policy for wholesale is hold: 36 of 72 units allocated"
	assert_equal "$(ls "$REPO/build/demo/manifests")" "$(printf 'EWR-DC.csv\nLAX-3PL.csv\nNYC-SOHO.csv\nvoid')"
	# Wholesale orders whose stock is reserved (lead_days 7) but whose window
	# opens 11-30 or 12-01 are held, not on the 11-26 tickets.
	assert_output --partial "  joor:5512355/1 (EWR-DC): ship window opens 2026-11-30"
	assert_output --partial "  joor:5512458/1 (EWR-DC): ship window opens 2026-12-01"
	assert_equal "$(jq -r 'select(.type == "order" and (.start_ship // "") > "2026-11-26") | .order_id' \
		"$REPO/build/demo/shipments.ndjson" | grep -c -F -f - "$REPO"/build/demo/manifests/*.csv)" \
		"$(printf '%s\n' "$REPO"/build/demo/manifests/*.csv | sed 's/$/:0/')"
	# The ShipStation confirmations: shopify:1001 shipped in two parcels, each with its
	# tracking number and link, told to the customer one by one; the order is closed.
	assert_output --partial "  shopify:1001/1 (no location): 2 units, UPS 1Z4A7W960344102210"
	assert_output --partial "  shopify:1001/2 (no location): 1 units, USPS 9400111899223855102639"
	assert_output --partial "  Shipment 1 of 2 of your order #1001 has shipped: 2 x TEE-CREW White S. UPS tracking number 1Z4A7W960344102210. Track it at https://www.ups.com/track?tracknum=1Z4A7W960344102210"
	assert_output --partial "  Shipment 2 of 2 of your order #1001 has shipped: 1 x CHINO-SLIM Khaki S. USPS tracking number 9400111899223855102639. Track it at https://tools.usps.com/go/TrackConfirmAction?tLabels=9400111899223855102639"
	assert_equal "$(jq -c 'select(.order_id == "shopify:1001" and .type == "order") | [.status, .fulfillment]' "$REPO/build/demo/shipments.ndjson")" \
		'["closed",{"status":"shipped","units_shipped":3,"shipments":2}]'
	assert_equal "$(grep -c '^{"type":"tracking"' "$REPO/build/demo/shipments.ndjson")" 0
	# Stage 4: a backorder on a PO, a pre-order on production, and the shortfall.
	assert_output --partial "  shopify:1009 (backorder_eta): Part of your order #1009 is on backorder: 1 x TEE-CREW Navy L, expected to ship by 10 December 2026."
	assert_output --partial "  shopify:1021 (preorder_eta): Pre-ordered items in your order #1021: 1 x HOOD-PO Forest M, expected to ship by 12 February 2027."
	# The shortfall counts the wholesale orders before their window (oms-allocate's
	# not_yet) too: joor:5512380 (start_ship 2027-01-04) adds 6 Navy L, a fourth order.
	assert_output --partial "  CHINO-SLIM-NVY-L,CHINO-SLIM,Navy,L,15,4,2026-11-24,dtc|wholesale"
	assert_output --partial "  CHINO-SLIM-KHK-M,CHINO-SLIM,Khaki,M,12,2,2027-01-04,wholesale"
	# 34 records of backordered lines (the Amazon Business order buys by the each,
	# import.case_pack_channels: wholesale only; in cases of 12 its 6 units were
	# promised a date they could never meet), 29 of lines before their window;
	# 41 at risk (12 of them before their window; the 3 pre-orders sold to DTC
	# customers are not at risk against a ship_by meant for stock); 167 units short.
	assert_equal "$(grep -c '"type":"backorder"' "$REPO/build/demo/backorders.ndjson")" 63
	assert_equal "$(grep '"type":"backorder"' "$REPO/build/demo/backorders.ndjson" | grep -c '"not_yet":true')" 29
	assert_equal "$(grep '"type":"backorder"' "$REPO/build/demo/backorders.ndjson" | grep -c '"at_risk":true')" 41
	assert_equal "$(awk -F, 'NR > 1 { n += $5 } END { print n }' "$REPO/build/demo/shortfall.csv")" 167
	assert_equal "$(jq -c 'select(.type == "backorder" and .order_id == "joor:5512380" and .line_id == "1") | [.kind, .eta, .at_risk, .not_yet]' \
		"$REPO/build/demo/backorders.ndjson")" '["backorder","2027-01-14",false,true]'
	run -0 sh -c "oms-import '$REPO/build/demo/book.csv' | cmp - '$REPO/build/demo/book.ndjson'"
}
