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
[ "$fails" -eq 0 ] || { echo "memcheck: $fails failed"; exit 1; }
echo "memcheck: clean"
