/* lastwins.h: "the last occurrence wins" over a whole stream, in compact memory. */
#ifndef OMS_LASTWINS_H
#define OMS_LASTWINS_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "util.h"

/*
 * Records are spooled, as the bytes they will be written as, to a temporary
 * file; memory holds only a table of 8-byte slots (a piece of the key's
 * hash, the spool offset), at most three quarters full: 8 to 16 bytes a
 * distinct key. At the end the spool is replayed in order, each keyed
 * record written only if no later one had its key.
 */
struct lastwins {
	FILE *spool;
	uint64_t size; /* bytes spooled so far */
	struct lw_slot *slots;
	size_t cap, len;
	unsigned bits; /* cap is 2^bits */
	long superseded;
	bool flushed; /* nothing written since the last flush, for read-backs */
	struct buf tmp;
};

/* Start with an empty spool (in TMPDIR); false with a message in err. */
bool lw_open(struct lastwins *w, struct buf *err);

/*
 * Spool text (n bytes) under key (keylen bytes; NULL: never superseded).
 * Returns true when it supersedes an earlier record with that key. False
 * with *failed set when the spool cannot be written.
 */
bool lw_add(struct lastwins *w, const char *key, size_t keylen, const char *text,
    size_t n, bool *failed);

/* Write the surviving records to out, in the order they came; false on an I/O error. */
bool lw_replay(struct lastwins *w, FILE *out);

/* Remove the spool and release the table. */
void lw_close(struct lastwins *w);

#endif
