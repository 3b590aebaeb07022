# common.bash: loaded by every test file: assertions, the binaries under test first on PATH.
bats_require_minimum_version 1.5.0
bats_load_library bats-support
bats_load_library bats-assert

REPO="$(cd "$BATS_TEST_DIRNAME/.." && pwd)"
FIX="$REPO/tests/fixtures"
# make check points OMS_BIN at the sanitizer build.
PATH="${OMS_BIN:-$REPO/bin}:$REPO/bench:$PATH"
export PATH REPO FIX

# Write stdin to a file in the test's own temporary folder; print its path.
tmpfile() {
	local f="$BATS_TEST_TMPDIR/$1"
	cat > "$f"
	printf '%s\n' "$f"
}
