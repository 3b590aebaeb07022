/* outfile.h: output written to a temporary file in the target's folder and renamed into place. */
#ifndef OMS_OUTFILE_H
#define OMS_OUTFILE_H

#include <stdbool.h>
#include <stdio.h>

#include "util.h"

struct outfile {
	FILE *f;
	char *path; /* the final name, or NULL for standard output */
	char *tmp; /* the temporary file being written */
};

/* Open path for writing ("-" or NULL is standard output); false with err. */
bool of_open(struct outfile *o, const char *path, struct buf *err);

/* Flush, check, and move the file into place; false with err when it failed. */
bool of_commit(struct outfile *o, struct buf *err);

/* Drop what was written: the temporary file is removed, the target untouched. */
void of_abort(struct outfile *o);

#endif
