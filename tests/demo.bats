#!/usr/bin/env bats
# make demo: the example brand goes through the pipeline clean.

setup() { load helpers/common; }

@test "the demo pipeline runs on the example data with no rejects" {
	run -0 sh "$REPO/examples/pipeline.sh"
	assert_output --partial "  total                         81"
	# Stage 3: the order that ships in two pieces, a held wholesale order, three tickets.
	assert_output --partial "  shopify:1041: Your order #1041 ships in 2 shipments. Shipment 1 of 2: 1 x CHINO-SLIM Navy M. Shipment 2 of 2: 1 x HOOD-PO Black M."
	assert_output --partial "  joor:5512318/1 (EWR-DC): partial policy for wholesale is hold: 36 of 72 units allocated"
	assert_equal "$(ls "$REPO/build/demo/manifests")" "$(printf 'EWR-DC.csv\nLAX-3PL.csv\nNYC-SOHO.csv')"
	run -0 sh -c "oms-import '$REPO/build/demo/book.csv' | cmp - '$REPO/build/demo/book.ndjson'"
}
