/*
 * spool.h: a stage's records held in a temporary file until its stream
 * ends; one record format, read back by place; the one rule that settles
 * which records of a key are written (the last export wins); one replay in
 * input order.
 */
#ifndef OMS_SPOOL_H
#define OMS_SPOOL_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "runs.h"
#include "util.h"

/*
 * What a record is to its key. Records with a key are grouped by it
 * (exactly, byte for byte: hashes only find the candidates) when the
 * stream ends, each group in stream order.
 */
enum spool_role {
	SPOOL_PLAIN, /* no key: written as it is */
	SPOOL_EXPORT, /* an export of its key (an order): the last one wins */
	SPOOL_MEMBER, /* belongs to its key (a shipment of the order); supersedes nothing */
	SPOOL_VOID, /* an export the stage rejected: has a place in time, no text */
};

/* What becomes of a record at the replay. */
enum spool_fate {
	SPOOL_KEEP, /* written */
	SPOOL_SUPERSEDED, /* a later export of its key replaced it: consumed */
	SPOOL_PART, /* a part of a record split in one input: rejected */
	SPOOL_CONSUMED, /* absorbed by the stage into another record */
	SPOOL_REJECTED, /* rejected by the stage when the stream was settled */
};

/* Flags of a spooled record. */
#define SPOOL_PASS 1u /* a record the stage does not work on: written unchanged */
#define SPOOL_VERBATIM 2u /* its text is the output's bytes, line end and all */

/* The aux of a record given no fate. */
#define SPOOL_NO_AUX INT64_MIN

/* A record to spool. */
struct spool_rec {
	const char
	    *text; /* NDJSON without its line end, or (SPOOL_VERBATIM) output bytes */
	size_t n;
	const char *key; /* role SPOOL_PLAIN: none */
	size_t keylen;
	enum spool_role role;
	unsigned flags;
	uint64_t tag; /* the stage's own: given back at the settle and the replay */
	uint32_t source; /* the input it came from */
	uint32_t
	    part; /* which file of several joined into that input: below SPOOL_PARTS */
	long line; /* where it starts there: 0 or more */
	/*
	 * The input holds each key in one place: an export of the key again
	 * from the same input and part is a second part of one record, and
	 * neither part is whole (spool_last_wins).
	 */
	bool one_place;
};

/* A keyed record as the settle sees it. */
struct spool_entry {
	uint64_t place; /* where it is in the spool: also its order in the stream */
	uint64_t tag;
	enum spool_role role;
	uint32_t source, part;
	bool one_place;
};

/* A record read back. */
struct spool_item {
	uint64_t place, tag;
	enum spool_role role;
	enum spool_fate fate;
	int64_t aux; /* what the fate carries: the other part's line; the stage's value */
	unsigned flags;
	uint32_t source;
	long line;
	const char *key, *text; /* valid until the next read */
	size_t keylen, n;
};

struct spool {
	/* The hash of keys: spool_key_hash; tests set one that collides. */
	uint64_t (*hash)(const char *key, size_t len);
	FILE *f;
	char *f_buf; /* its stdio buffer */
	uint64_t size; /* bytes spooled so far */
	bool flushed; /* nothing written since the last flush, for reads by place */
	struct runs keyed; /* per keyed record: its key's hash, its place, its entry */
	struct runs fates; /* per record not simply kept: its place, fate, aux */
	uint64_t nfates; /* fates given */
	bool settled, fates_merged;
	long superseded, parts; /* records given those fates: exact after spool_replay */
	struct buf body; /* the last record read: its key, then its text */
	struct buf window; /* spool_read's read-ahead: bytes from window_at */
	uint64_t window_at, read_end; /* read_end: where the last read ended */
};

#define SPOOL_FAILED UINT64_MAX
#define SPOOL_PARTS (UINT32_C(1) << 26) /* parts of one input told apart */

/*
 * A key's 64-bit hash: FNV-1a with its bits mixed, so that keys differing
 * only at the end spread over all 64 bits.
 */
uint64_t spool_key_hash(const char *key, size_t len);

/* Start with an empty spool (in TMPDIR); false with a message in err. */
bool spool_open(struct spool *sp, struct buf *err);

/*
 * spool_open, sorting run_entries keyed records (32 bytes each) in memory
 * at a time: tests make it small to see the sorted runs on disk merged.
 */
bool spool_open_sized(struct spool *sp, size_t run_entries, struct buf *err);

/*
 * Spool r, before spool_settle; its place, or SPOOL_FAILED with errno when
 * the spool cannot be written (the spool is then of no more use: stop),
 * EFBIG for a text or key of 4 GiB or more or a part past SPOOL_PARTS,
 * EINVAL after spool_settle.
 */
uint64_t spool_add(struct spool *sp, const struct spool_rec *r);

/* Read the record at place back into *it (fate SPOOL_KEEP); false on an I/O error. */
bool spool_read(struct spool *sp, uint64_t place, struct spool_item *it);

/* The line the record at place came from, or -1 on an I/O error. */
long spool_line(struct spool *sp, uint64_t place);

/*
 * Give the record at place a fate, with aux for the replay; false with
 * errno on an I/O error, or EINVAL once spool_settle has returned (call it
 * from the group function). A record has one fate: the first given.
 */
bool spool_set_fate(struct spool *sp, uint64_t place, enum spool_fate f, int64_t aux);

/*
 * The rule for the exports of one key, g[0..n) in stream order: each is
 * superseded by the next (SPOOL_SUPERSEDED), except that two exports from
 * one place of an input that keeps its keys in one place are both parts
 * (SPOOL_PART, aux the other's line) and leave the key void until another
 * export comes. Members are left alone. A void export (one the stage
 * rejected) stands for nothing: the export before it is still the last.
 * Returns the index in g of the export that wins, or -1 when none does;
 * false in *failed on an I/O error.
 */
long spool_last_wins(
    struct spool *sp, const struct spool_entry *g, size_t n, bool *failed);

/*
 * Called for each key with its records g[0..n) in stream order; it gives
 * fates with spool_set_fate (or spool_last_wins) and may read records
 * back. It returns false to stop (after an error it has reported).
 */
typedef bool (*spool_group_fn)(
    void *ctx, struct spool *sp, const struct spool_entry *g, size_t n);

/*
 * Settle once, when every record is spooled: each key's records, grouped
 * exactly, go to group (NULL: spool_last_wins alone). False when group
 * stopped, or with errno on an I/O error.
 */
bool spool_settle(struct spool *sp, spool_group_fn group, void *ctx);

/*
 * Called for each record but void ones, in input order, with its fate; it
 * returns false to stop (after an error it has reported).
 */
typedef bool (*spool_item_fn)(void *ctx, const struct spool_item *it);

/* Replay the spool after spool_settle; false when each stopped, or with errno on an I/O error. */
bool spool_replay(struct spool *sp, spool_item_fn each, void *ctx);

/* Remove the temporary files and release the memory. */
void spool_close(struct spool *sp);

#endif
