/* lastwins.h: "the last occurrence wins" over a whole stream, in flat memory. */
#ifndef OMS_LASTWINS_H
#define OMS_LASTWINS_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "runs.h"
#include "util.h"

/*
 * Records are spooled, as the bytes they will be written as, to a temporary
 * file, and each keyed one leaves an entry (its key's hash, its place) to be
 * sorted in bounded memory (runs.h). When the stream ends, the entries come
 * back grouped by key, which settles the fate of each record: superseded by
 * a later one, or a stray part (below). Then the spool is replayed in order
 * and the others are written. Memory stays the same whatever the number of
 * records or keys; the temporary files take the records' size and 32 bytes
 * a keyed record.
 */
struct lastwins {
	FILE *spool;
	char *spool_buf; /* its stdio buffer */
	uint64_t size; /* bytes spooled so far */
	struct runs index; /* per keyed record: hash, place, origin, line */
	struct runs fates; /* per record not to be written: place, fate */
	bool settled;
	long superseded; /* records a later one with their key replaced */
	long parts; /* records rejected as parts of a record split in one input */
	bool flushed; /* nothing written since the last flush, for read-backs */
	struct buf tmp, key;
};

/* A record to spool. */
struct lw_rec {
	const char *key; /* NULL: never superseded */
	size_t keylen;
	const char *text;
	size_t n;
	uint32_t source; /* the input it came from */
	uint32_t part; /* which file of several joined into that input */
	long line; /* where it starts there */
	/*
	 * The input holds each key in one place: the key again from the same
	 * input (and part) means two parts of one record, neither whole. Both
	 * are rejected, and the key is void until another input gives it.
	 */
	bool one_place;
};

/* A record rejected as a part: where it is, where the other part is, its text. */
struct lw_part {
	uint32_t source;
	long line, other_line;
	const char *key, *text;
	size_t keylen, n;
};

/*
 * A key's 64-bit hash: FNV-1a with its bits mixed, so that keys differing
 * only at the end spread over all 64 bits.
 */
uint64_t lw_key_hash(const char *key, size_t len);

/*
 * A second hash of a key, unrelated to lw_key_hash (FNV-1a in 32 bits over
 * the bytes from last to first), to tell apart keys whose first hashes collide.
 */
uint32_t lw_key_hash2(const char *key, size_t len);

/* Start with an empty spool (in TMPDIR); false with a message in err. */
bool lw_open(struct lastwins *w, struct buf *err);

/* Spool r; false with errno when the spool cannot be written. */
bool lw_add(struct lastwins *w, const struct lw_rec *r);

/* Decide every record's fate (once; later calls do nothing); false on an I/O error. */
bool lw_settle(struct lastwins *w);

/*
 * Replay the spool after lw_settle: the records to keep are written to out
 * (none when out is NULL), and part_fn is called for each part rejected.
 * false on an I/O error.
 */
bool lw_replay(struct lastwins *w, FILE *out,
    void (*part_fn)(void *ctx, const struct lw_part *p), void *ctx);

/* Remove the temporary files and release the memory. */
void lw_close(struct lastwins *w);

#endif
