/* refcsv.h: reference files (catalog.csv, inventory.csv ...): CSV with named columns, all or nothing. */
#ifndef OMS_REFCSV_H
#define OMS_REFCSV_H

#include <stdbool.h>
#include <stdio.h>

#include "csvrows.h"
#include "lines.h"
#include "util.h"

struct refcsv {
	const char *path;
	FILE *f;
	struct lr lr;
	struct cr cr;
	long *col; /* per wanted column: its position, or -1 */
	size_t nwant;
	size_t width; /* the header's number of fields */
	struct cr_row row; /* the current row */
};

/*
 * Open a reference file and find the wanted columns in its header (NULL
 * terminated; a name starting with '?' is optional). False with a message
 * in err, and nothing left open, when the file cannot be read or a required
 * column is missing.
 */
bool ref_open(
    struct refcsv *r, const char *path, const char *const *want, struct buf *err);

/*
 * The next row into r->row; false at the end. A row that cannot be read, or
 * has another number of fields than the header, is an error: *failed is set
 * and err says where and why.
 */
bool ref_next(struct refcsv *r, bool *failed, struct buf *err);

/*
 * The cell of wanted column i in the current row; "" when the column is
 * absent. Reference files are oms's own: the guard against formulas that
 * oms writes (csvcell.h) is undone, so --inventory-out reads back.
 */
const char *ref_cell(const struct refcsv *r, size_t i);

/* Close the file and release the reader. */
void ref_close(struct refcsv *r);

#endif
