#!/bin/sh
# examples/nightly.sh: the nightly job of oms, safe to run from cron.
#
#   nightly.sh [--dir DIR] [--drop DIR] [--tracking DIR] [--ref DIR]
#              [--as-of YYYY-MM-DD]
#
# Each option may be given by the environment instead: OMS_DIR, OMS_DROP,
# OMS_TRACKING, OMS_REF, OMS_AS_OF (an option wins). The tools are found on
# PATH.
#
#   --dir DIR       the job's folder, holding book.ndjson (default: .)
#   --drop DIR      the channels' exports of the day (default: DIR/drop)
#   --tracking DIR  the warehouse's shipment confirmations, such as
#                   ShipStation exports (default: DIR/tracking)
#   --ref DIR       the reference files (default: DIR): inventory.csv,
#                   locations.csv and rules.json, and if present
#                   catalog.csv, packs.csv and supply.csv
#   --as-of DATE    today for the date rules (default: today, UTC)
#
# Every file in the drop and tracking folders is read each night (oms-import
# recognises each export from its header); whatever is still there the next
# night is read again, which does no harm: the last export of an order wins,
# and a confirmation already applied is not counted twice.
#
# The stages run one after the other, each into a file of DIR/staging/:
#
#   oms-import     drop/* tracking/*   -> imported.ndjson; split by type into
#                                         orders.ndjson, tracking.ndjson,
#                                         return-requests.ndjson
#   oms-allocate   book-in.ndjson orders.ndjson tracking.ndjson
#                                      -> allocated.ndjson, inventory-out.csv
#   oms-split      allocated.ndjson    -> split.ndjson, manifests/*.csv
#   oms-backorder  split.ndjson        -> backorders.ndjson, shortfall.csv
#                                         (only with supply.csv)
#   then           book.ndjson (the next book), told.ndjson, notices.ndjson,
#                  changed.ndjson
#
# with each stage's rejects in staging/rejects/STAGE.ndjson and its messages
# (its --stats line too) in staging/log/STAGE.log, also copied to standard
# error. staging/book-in.ndjson is the book the night started from.
#
# The night is committed only when every stage ended with status 0 or 1:
# DIR/night.prev/ (the night before last) is removed, DIR/night/ (the last
# night) becomes DIR/night.prev/, DIR/staging/ becomes DIR/night/, and
# night/book.ndjson replaces DIR/book.ndjson (renamed into place). The pick
# tickets are then in DIR/night/manifests/. When a stage ends with any other
# status (2: an input, reference file or output it could not use; 3: a law
# broken), nothing is committed: DIR/book.ndjson, DIR/night/ and
# DIR/night.prev/ are left as they were, DIR/staging/ is left to look at
# (the next run makes it anew), and the script exits with that status.
#
# Exit status: 0 every record used; 1 committed, but a stage rejected some
# records (see night/rejects/); 2 or 3 from the stage that failed, nothing
# committed; 2 also for a usage error, a missing book or a commit that
# failed.
#
# A record oms-allocate or oms-split rejected is not in its output; so that
# no order leaves the book because of one bad line, the orders and
# shipments they rejected are added to the next book as they were read, and
# are rejected again each night until they are mended.
#
# Only one run at a time: DIR/nightly.lock is made for the run and removed
# at its end. A run killed with SIGKILL leaves it; remove it by hand.
# A run stopped between committing the night and replacing the book (a
# power cut) is finished by the next run, before anything else: night/ holds
# no .committed mark until the book is in place.

set -u

me=nightly.sh
die() {	# die STATUS MESSAGE
	printf '%s: %s\n' "$me" "$2" >&2
	exit "$1"
}
usage() {
	die 2 "usage: $me [--dir DIR] [--drop DIR] [--tracking DIR] [--ref DIR] [--as-of YYYY-MM-DD]"
}

dir=${OMS_DIR:-.}
drop=${OMS_DROP:-}
tracking=${OMS_TRACKING:-}
ref=${OMS_REF:-}
as_of=${OMS_AS_OF:-}
while [ $# -gt 0 ]; do
	case $1 in
	--dir | --drop | --tracking | --ref | --as-of)
		[ $# -ge 2 ] || usage
		case $1 in
		--dir) dir=$2 ;;
		--drop) drop=$2 ;;
		--tracking) tracking=$2 ;;
		--ref) ref=$2 ;;
		--as-of) as_of=$2 ;;
		esac
		shift 2
		;;
	-h | --help)
		sed -n '2,/^$/s/^# \{0,1\}//p' "$0"
		exit 0
		;;
	*) usage ;;
	esac
done

# Absolute paths: the stages run inside the staging folder.
absolute() {
	case $1 in
	/*) printf '%s\n' "$1" ;;
	*) printf '%s/%s\n' "$PWD" "$1" ;;
	esac
}
[ -d "$dir" ] || die 2 "$dir: no such folder (--dir)"
dir=$(absolute "$dir")
drop=$(absolute "${drop:-$dir/drop}")
tracking=$(absolute "${tracking:-$dir/tracking}")
ref=$(absolute "${ref:-$dir}")
staging=$dir/staging
night=$dir/night

# ---- one run at a time ---------------------------------------------------------
mkdir "$dir/nightly.lock" 2>/dev/null ||
	die 2 "$dir/nightly.lock exists: another run is going, or one was killed (remove it)"
trap 'rmdir "$dir/nightly.lock" 2>/dev/null' EXIT
trap 'exit 2' HUP INT TERM

# ---- committing ----------------------------------------------------------------
# The book last: it holds the shipments whose pick tickets are in night/, so
# it never moves on without them. .committed marks a night whose book is in
# place.
commit_book() {
	cp "$night/book.ndjson" "$dir/.book.ndjson.new" &&
		mv "$dir/.book.ndjson.new" "$dir/book.ndjson" &&
		: >"$night/.committed"
}
commit() {
	rm -rf "$dir/night.prev" || return
	if [ -d "$night" ]; then
		mv "$night" "$dir/night.prev" || return
	fi
	mv "$staging" "$night" && commit_book
}

# A commit that stopped before the book was replaced is finished first.
if [ -d "$night" ] && [ ! -e "$night/.committed" ]; then
	printf '%s: the last commit stopped before the book was replaced: finishing it\n' "$me" >&2
	commit_book || die 2 "cannot replace $dir/book.ndjson"
fi

[ -f "$dir/book.ndjson" ] ||
	die 2 "$dir/book.ndjson: no book (the first night, make it empty: : > book.ndjson)"
for f in inventory.csv locations.csv rules.json; do
	[ -f "$ref/$f" ] || die 2 "$ref/$f: missing (--ref)"
done

# shellcheck disable=SC2015 # either failing stops the run
rm -rf "$staging" && mkdir -p "$staging/rejects" "$staging/log" ||
	die 2 "cannot make $staging"
cd "$staging" || die 2 "cannot enter $staging"
# The book this night starts from, under a name of the night's own (a hard
# link where it can be: the book is replaced by a rename, never rewritten).
ln "$dir/book.ndjson" book-in.ndjson 2>/dev/null || cp "$dir/book.ndjson" book-in.ndjson ||
	die 2 "cannot copy $dir/book.ndjson"

# ---- stages --------------------------------------------------------------------
rejected=0 # did a stage end with status 1?

# stage NAME COMMAND...: run a stage, its messages in log/NAME.log and on
# standard error; on a status other than 0 or 1, stop with it, nothing
# committed.
stage() {
	name=$1
	shift
	"$@" 2>"log/$name.log"
	status=$?
	cat "log/$name.log" >&2
	case $status in
	0) ;;
	1) rejected=1 ;;
	*)
		printf '%s: %s ended with status %d: nothing committed; the previous night stays (%s is left to look at)\n' \
			"$me" "$name" "$status" "$staging" >&2
		exit "$status"
		;;
	esac
}

# The optional reference files, each an option of one word or nothing,
# expanded as ${opt:+"$opt"} (a path may hold blanks).
as_of_opt=${as_of:+--as-of=$as_of}
catalog_opt=
packs_opt=
[ -f "$ref/catalog.csv" ] && catalog_opt=--catalog=$ref/catalog.csv
[ -f "$ref/packs.csv" ] && packs_opt=--packs=$ref/packs.csv

# The exports, as positional parameters (none: nothing to import today).
set --
for f in "$drop"/* "$tracking"/*; do
	[ -f "$f" ] && set -- "$@" "$f"
done
if [ $# -gt 0 ]; then
	stage import oms-import --stats ${as_of_opt:+"$as_of_opt"} --rules "$ref/rules.json" \
		${catalog_opt:+"$catalog_opt"} --rejects rejects/import.ndjson -O imported.ndjson "$@"
else
	: >imported.ndjson
fi

# pick PATTERN: the records of imported.ndjson whose type matches (oms-import
# writes normal form, "type" first); -v for the others. No match is no error.
pick() {
	grep "$@" imported.ndjson
	[ $? -le 1 ]
}
{ pick -E '^\{"type":"tracking",' >tracking.ndjson &&
	pick -E '^\{"type":"return_request",' >return-requests.ndjson &&
	pick -Ev '^\{"type":"(tracking|return_request)",' >orders.ndjson; } ||
	die 2 "cannot sort imported.ndjson by type"

# The book, then the day's orders (the last of an order wins), then the
# confirmations.
stage allocate oms-allocate --stats ${as_of_opt:+"$as_of_opt"} --inventory "$ref/inventory.csv" \
	--locations "$ref/locations.csv" --rules "$ref/rules.json" \
	${catalog_opt:+"$catalog_opt"} ${packs_opt:+"$packs_opt"} \
	--inventory-out inventory-out.csv --rejects rejects/allocate.ndjson \
	-O allocated.ndjson book-in.ndjson orders.ndjson tracking.ndjson

stage split oms-split --stats ${as_of_opt:+"$as_of_opt"} --locations "$ref/locations.csv" --rules "$ref/rules.json" \
	--manifest-dir manifests --rejects rejects/split.ndjson \
	-O split.ndjson allocated.ndjson

# What the customers were told last night: only new lines and changed dates
# are told again.
if [ -f "$ref/supply.csv" ]; then
	set --
	[ -f "$night/told.ndjson" ] && set -- --previous "$night/told.ndjson"
	stage backorder oms-backorder --stats ${as_of_opt:+"$as_of_opt"} --supply "$ref/supply.csv" \
		--locations "$ref/locations.csv" --rules "$ref/rules.json" "$@" \
		--shortfall shortfall.csv --rejects rejects/backorder.ndjson \
		-O backorders.ndjson split.ndjson
	last=backorders.ndjson
else
	last=split.ndjson
fi

# ---- what the night keeps ------------------------------------------------------
# kept_rejects STAGE INPUT...: the orders and shipments STAGE rejected from
# its inputs, as they were read (the rejects name each by file and line).
kept_rejects() {
	name=$1
	shift
	for input; do
		sed -n "s/^{\"file\":\"$input\",\"line\":\\([0-9]*\\),.*/\\1/p" "rejects/$name.ndjson" |
			awk 'NR == FNR { want[$1]; next } FNR in want' - "$input"
	done | grep -E '^\{"type":"(order|shipment)",'
	[ $? -le 1 ]
}

# The next night's book: the orders and shipments of oms-split's output. The
# tracking records are not kept: oms-split applies each into its shipment
# (shipped, carrier, tracking number and link: issue 15, T3) and consumes
# it, and oms-allocate lists it in the order's allocation.tracked, so a
# confirmation read again is not counted twice and nothing is lost. Held
# shipments, notices and warnings are made again every night.
{ grep -E '^\{"type":"(order|shipment)",' split.ndjson
	[ $? -le 1 ] &&
		kept_rejects allocate book-in.ndjson orders.ndjson &&
		kept_rejects split allocated.ndjson; } >book.ndjson ||
	die 2 "cannot write $staging/book.ndjson"

# The backorder records, for the next night's --previous; the notices for
# the customers; the shipments that need a person.
# shellcheck disable=SC2015 # any of them failing stops the run
{ grep '^{"type":"backorder",' "$last" >told.ndjson
	[ $? -le 1 ]; } &&
	{ grep '^{"type":"notice",' "$last" | grep -v '"kind":"shipment_changed"' >notices.ndjson
		[ $? -le 1 ]; } &&
	{ grep '^{"type":"notice",.*"kind":"shipment_changed"' "$last" >changed.ndjson
		[ $? -le 1 ]; } ||
	die 2 "cannot write the notices in $staging"

cd "$dir" || die 2 "cannot enter $dir"
commit || die 2 "the commit of $staging failed: see $dir/night and $dir/night.prev"
exit "$rejected"
