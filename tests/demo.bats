#!/usr/bin/env bats
# make demo: the example brand goes through the pipeline clean.

setup() { load helpers/common; }

@test "the demo pipeline runs on the example data with no rejects" {
	run -0 sh "$REPO/examples/pipeline.sh"
	assert_output --partial "  total                         80"
	run -0 sh -c "oms-import '$REPO/build/demo/book.csv' | cmp - '$REPO/build/demo/book.ndjson'"
}
