/*
 * outfile.h: the files one run writes, and the files it reads, in one place.
 *
 * Every output is written where nobody sees it (an unnamed file in the
 * target's folder, or a hidden named one a signal removes) and goes in
 * place only at the end of the run, all outputs together, when every one
 * of them was written in full. Before anything is written, no output may be
 * another output or a file the run reads.
 */
#ifndef OMS_OUTFILE_H
#define OMS_OUTFILE_H

#include <stdbool.h>
#include <stdio.h>

#include "util.h"

enum of_flags {
	/* Rejects: goes in place even when the run keeps no records. */
	OF_DIAGNOSTIC = 1u << 0,
	/*
	 * A name the tool made itself inside a folder (a pick ticket): the
	 * folder's entry is replaced and never followed, whatever it is.
	 */
	OF_OWN_NAME = 1u << 1
};

struct outfile {
	FILE *f; /* write here; NULL once the file is finished */
	const char *label; /* how messages name it: "-O", "--rejects" */
	char *path; /* the file replaced (a link's target), or NULL for standard output */
	char *tmp; /* the hidden name it has until it goes in place, if any */
	int fd; /* its descriptor, -1 once closed */
	unsigned flags;
	bool in_place; /* a device or FIFO, written where it is */
	bool done; /* flushed and synced: nothing more is written */
	bool failed; /* a write, flush, sync or close failed */
};

/*
 * Note a file the run reads ("-" is standard input), so that no output may
 * be it. False with err when an output already is.
 */
bool of_input(const char *path, struct buf *err);

/*
 * Open an output for the run: path NULL or "-" is standard output. label
 * names it in messages. NULL with err when it cannot be made, or when it
 * is another output of the run or a file the run reads.
 */
struct outfile *of_open(
    const char *label, const char *path, unsigned flags, struct buf *err);

/*
 * Writing is done: flush and sync it now (its errors are reported here), and
 * let its descriptor go when the run holds many (a ticket per location).
 */
bool of_done(struct outfile *o, struct buf *err);

/*
 * End of the run: every output is finished; if every one was written in
 * full, the rejects go in place, and the records and their side files too
 * when keep (a run that stopped or failed keeps no records, but says what it
 * rejected). Either every one of them goes in place or, as far as the file
 * system allows, none does. False with err (the first failure) when
 * something was not written or not put in place.
 */
bool of_commit_all(bool keep, struct buf *err);

/* Drop every output of the run: nothing is replaced, nothing is left. */
void of_abort_all(void);

#endif
