/* runs.h: fixed-size entries sorted in bounded memory: sorted runs in a temporary file, merged. */
#ifndef OMS_RUNS_H
#define OMS_RUNS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/*
 * An entry: ordered by major, then minor; what it carries is its user's
 * (spool.c packs its named entries into it).
 */
struct run_entry {
	uint64_t major, minor;
	uint64_t carried[2];
};

struct run_cursor;

struct runs {
	struct run_entry *buf; /* entries not yet written: up to cap */
	size_t n, cap;
	FILE *f; /* the sorted runs, one after another; NULL until the first */
	uint64_t *ends; /* where each run ends, in entries */
	size_t nruns;
	/* Merging: a cursor per run, in a heap by their current entries. */
	struct run_cursor *cur;
	size_t *heap, nheap;
	size_t next; /* merging what stayed in memory: the next entry of buf */
};

/*
 * Start empty; memory is cap entries (32 bytes each) while adding, and a
 * few kilobytes a run while merging. false only if memory runs out.
 */
void runs_init(struct runs *r, size_t cap);

/* Add an entry; false with errno when a run cannot be written. */
bool runs_add(struct runs *r, const struct run_entry *e);

/* Stop adding and start taking the entries back in order; false on an I/O error. */
bool runs_merge(struct runs *r);

/* The next entry in order into *e; false at the end, or on an I/O error (*failed set). */
bool runs_next(struct runs *r, struct run_entry *e, bool *failed);

/* Release everything, the temporary file included. */
void runs_free(struct runs *r);

#endif
