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

/* A record to spool. */
struct lw_rec {
	const char *key; /* NULL: never superseded */
	size_t keylen;
	const char *text;
	size_t n;
	uint32_t source; /* the input it came from */
	long line; /* where it starts there */
	/*
	 * The input holds each key in one place: the key again from the same
	 * input means two parts of one record, neither whole.
	 */
	bool one_place;
};

/* The record a key had before: where it came from, whether it was void. */
struct lw_prior {
	uint32_t source;
	long line;
	bool dead;
	uint64_t at; /* for lw_text */
};

enum lw_result {
	LW_NEW, /* no earlier record had the key */
	LW_REPLACES, /* the record supersedes the key's earlier one (*prior) */
	/*
	 * A one_place input gave the key again: the record is not spooled, and
	 * the key is void (nothing is written for it) until a record from
	 * another input comes. *prior is the earlier part.
	 */
	LW_VOIDS,
	LW_FAILED /* the spool cannot be written */
};

/* Spool r; *prior is filled for LW_REPLACES and LW_VOIDS. */
enum lw_result lw_add(struct lastwins *w, const struct lw_rec *r, struct lw_prior *prior);

/* The text spooled for the record prior names, into out; false on an I/O error. */
bool lw_text(struct lastwins *w, const struct lw_prior *prior, struct buf *out);

/* Write the surviving records to out, in the order they came; false on an I/O error. */
bool lw_replay(struct lastwins *w, FILE *out);

/* Remove the spool and release the table. */
void lw_close(struct lastwins *w);

#endif
