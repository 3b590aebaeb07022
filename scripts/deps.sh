#!/bin/sh
# deps.sh: install the Debian packages a make target needs, only when missing.
# Usage: deps.sh build|test|fuzz|bench
set -eu

case "${1:-build}" in
build) pkgs="libjansson-dev libcsv-dev pkg-config tzdata" ;;
test)  pkgs="bats bats-assert bats-support jq valgrind" ;;
fuzz)  pkgs="clang libclang-rt-dev" ;;
bench) pkgs="jq miller time" ;;
*) echo "deps.sh: unknown target $1" >&2; exit 2 ;;
esac

missing=""
for p in $pkgs; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' ||
		missing="$missing $p"
done
[ -z "$missing" ] && exit 0

echo "deps.sh: installing$missing" >&2
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
if ! command -v apt-get >/dev/null 2>&1; then
	echo "deps.sh: please install:$missing" >&2
	exit 2
fi
$sudo apt-get update -qq >&2
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq $missing >&2
