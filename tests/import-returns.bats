#!/usr/bin/env bats
# oms-import reading a returns portal's detailed returns export (Loop's fields, flattened) into return requests.

setup() {
	load helpers/common
	cd "$FIX/returns"
}

H='id,order_name,created_at,line_items.sku,line_items.quantity,line_items.return_reason,line_items.parent_return_reason'

@test "a detailed returns export: one return_request per return id, its rows as lines" {
	run -0 --separate-stderr oms-import returns.csv
	assert_output "$(cat returns.expected)"
	assert_equal "$stderr" ""
}

@test "--source returns reads the same export, from standard input too" {
	run -0 --separate-stderr sh -c 'oms-import --source returns - < returns.csv'
	assert_output "$(cat returns.expected)"
}

@test "every reason code, from the reason picked or, when it says nothing, its parent" {
	run -0 sh -c "oms-import returns.csv | jq -r '.lines[] | [.sku, .reason, .reason_text] | @tsv'"
	assert_output "$(cat <<-'EOF'
		HLC-JEAN-SLIM-IND-3230	too_small	Too small
		HLC-JEAN-SLIM-IND-3232	too_small	Runs small
		HLC-BELT-LTH-BRN-M	too_large	Too big
		HLC-TEE-CREW-BLK-M	fit_other	Other
		HLC-HOOD-OAT-L	not_as_pictured	Color different than pictured
		HLC-HOOD-OAT-M	quality	Seam came apart after one wash
		HLC-POLO-NVY-L	damaged	Arrived damaged
		HLC-POLO-NVY-M	wrong_item	Received the wrong item
		HLC-TEE-CREW-WHT-S	late	Arrived too late
		HLC-TEE-CREW-WHT-M	changed_mind	I like another style more
		HLC-TEE-CREW-WHT-L	changed_mind	Ordered multiple sizes
		HLC-SOCK-3PK-GRY-OS	other	Zipper sticks
		HLC-SOCK-3PK-BLK-OS	other	Other
		EOF
	)"
}

@test "reason phrases: Shopify's labels, whole-word matches, specific before general" {
	f=$(
		n=0
		{ echo "$H"; while IFS='|' read -r child parent want; do
			n=$((n + 1))
			printf '%s,#1,2026-11-27T10:00:00Z,SKU-%s,1,"%s","%s"\n' "$n" "$want" "$child" "$parent"
		done; } <<-'EOF' | tmpfile reasons.csv
			Size was too small||too_small
			Size was too large||too_large
			Color||not_as_pictured
			Damaged or defective||damaged
			Item not as described||not_as_pictured
			Style||changed_mind
			Customer changed their mind||changed_mind
			Received the wrong item||wrong_item
			Unknown||other
			Has a hole in the whole sleeve||damaged
			Sustainable cotton felt thin||other
			Bought for an outfit, not needed||changed_mind
			Shipping took too long||late
			The shorts were too long||too_large
			Didn't like the fit||fit_other
			Didn't like the color||changed_mind
			Found it cheaper elsewhere||changed_mind
			Wrong size||fit_other
			Received the wrong size||wrong_item
			Pilling after one wear||quality
			STAINED||damaged
			Rise too low||fit_other
			Runs large||too_large
			Too tight||too_small
			|Didn’t fit|fit_other
			Other|Too small|too_small
		EOF
	)
	run -0 sh -c "oms-import '$f' | jq -r '.lines[0] | (.sku | ltrimstr(\"SKU-\")) + \" \" + .reason'"
	for l in "${lines[@]}"; do
		read -r want got <<< "$l"
		assert_equal "$got" "$want"
	done
	assert_equal "${#lines[@]}" 26
}

@test "the raw text stays: reason_text, the parent's, the comment, the exchange SKU" {
	run -0 oms-import returns.csv
	assert_line --index 0 --partial '{"sku":"HLC-JEAN-SLIM-IND-3232","qty":1,"reason":"too_small","reason_text":"Runs small","exchange_sku":"HLC-JEAN-SLIM-IND-3432","comment":"Trop petit — la taille au-dessus, s’il vous plaît","parent_reason_text":"Didn’t fit"}'
	assert_line --index 5 --partial '"reason":"other","reason_text":"Other"}],"currency":"CAD","outcome":"store credit","state":"needs review"}'
}

@test "created_at becomes requested_at in UTC; a time without offset is read in --tz" {
	run -1 --separate-stderr oms-import --tz America/New_York --rejects "$BATS_TEST_TMPDIR/rej" bad.csv
	assert_output "$(cat bad.expected)"
	assert_line --index 1 --partial '"requested_at":"2026-11-28T14:30:00Z"'
	run -0 diff bad.rejects "$BATS_TEST_TMPDIR/rej"
	run -1 --separate-stderr oms-import --rejects /dev/null bad.csv
	assert_equal "${stderr_lines[0]}" 'oms-import: bad.csv:3: created_at "2026-11-28 09:30" has no UTC offset and no time zone was given'
}

@test "bad rows (BOM, CRLF): a fractional quantity, two orders on one return, no id" {
	run -1 --separate-stderr oms-import --tz UTC --rejects /dev/null bad.csv
	assert_equal "$stderr" "$(printf '%s\n' \
		'oms-import: bad.csv:4: line_items.quantity "1.5" is not a whole number' \
		'oms-import: bad.csv:6: row at line 6 disagrees with the first row of its record on "channel_order_id"' \
		'oms-import: bad.csv:7: id is missing')"
}

@test "return requests round-trip through the canonical CSV" {
	run -0 sh -c "oms-import returns.csv | oms-import -o csv | oms-import"
	assert_output "$(cat returns.expected)"
}

@test "--source returns on a CSV without an id column stops with status 2" {
	f=$(printf 'order_name,line_items.return_reason\n#1,Too small\n' | tmpfile noid.csv)
	run -2 --separate-stderr oms-import --source returns "$f"
	assert_output ""
	assert_equal "$stderr" "oms-import: $f:1: not a detailed returns export: no \"id\" column"
	# Without --source a header without the id is not taken for a returns export.
	run -2 --separate-stderr oms-import "$f"
	assert_output ""
	assert_equal "$stderr" "oms-import: $f: not a format oms-import knows (edi850, shopify, amazon, woocommerce, shipstation, returns, oms); name one with --source, or describe its columns with --map"
}

@test "a header alone is no records" {
	f=$(printf '%s\n' "$H" | tmpfile header.csv)
	run -0 --separate-stderr oms-import "$f"
	assert_output ""
	assert_equal "$stderr" ""
}

@test "Loop's own list has no quantity column: each row is one returned unit, a line of qty 1" {
	run -0 --separate-stderr oms-import --stats per-unit.csv
	assert_equal "$stderr" "oms-import: stats: in=2 passed=0 out=2 rejected=0 consumed=0 created=0 orders=0 lines=0 units=0 merged=0"
	run -0 sh -c "oms-import per-unit.csv | jq -r '.return_id as \$r | .lines[] | [\$r, .sku, .qty, .reason] | map(tostring) | @tsv'"
	# Two units of one SKU stay two lines: each has its own reason.
	assert_output "$(printf '%s\t%s\t%s\t%s\n' returns:52001 HLC-TEE-CREW-BLK-M 1 too_small \
		returns:52001 HLC-TEE-CREW-BLK-M 1 changed_mind returns:52001 HLC-HOOD-OAT-L 1 too_large \
		returns:52002 HLC-JEAN-SLIM-IND-3230 1 too_small)"
	# With the column, an empty quantity is still no quantity: not taken for 1.
	f=$(printf '%s\n' "$H" '9,#1,2026-11-27T15:04:05Z,TEE-M,,Too small,' | tmpfile emptyqty.csv)
	run -1 --separate-stderr oms-import --rejects /dev/null "$f"
	assert_output ""
}
