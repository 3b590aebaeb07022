/* refcsv.c: one way to read every reference file, so each loader only says what a row means. */
#include "refcsv.h"

#include "csvcell.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "outfile.h"

bool
ref_open(struct refcsv *r, const char *path, const char *const *want, struct buf *err)
{
	struct cr_row h;

	memset(r, 0, sizeof *r);
	r->path = path;
	if (!of_input(path, err)) {
		ref_close(r);
		return false;
	}
	if (!(r->f = fopen(path, "rb"))) {
		buf_printf(err, "%s: %s", path, strerror(errno));
		ref_close(r);
		return false;
	}
	lr_init(&r->lr, r->f);
	cr_init(&r->cr, &r->lr, ',');
	while (want[r->nwant])
		r->nwant++;
	r->col = xcalloc(r->nwant ? r->nwant : 1, sizeof *r->col);
	if (cr_next(&r->cr, &h) != CR_ROW) {
		buf_printf(err, "%s: no header row", path);
		ref_close(r);
		return false;
	}
	for (size_t i = 0; i < r->nwant; i++) {
		const char *name = want[i] + (want[i][0] == '?');

		struct buf why = {0};

		r->col[i] = cr_header_col(&h, name, &why);
		if (r->col[i] == -2) {
			buf_printf(err, "%s:%ld: %s", path, h.line, why.p);
			buf_free(&why);
			ref_close(r);
			return false;
		}
		if (r->col[i] < 0 && want[i][0] != '?') {
			buf_printf(err, "%s:%ld: the header has no column \"%s\"", path,
			    h.line, name);
			ref_close(r);
			return false;
		}
	}
	r->width = h.n;
	return true;
}

bool
ref_next(struct refcsv *r, bool *failed, struct buf *err)
{
	size_t width = r->width;

	*failed = false;
	switch (cr_next(&r->cr, &r->row)) {
	case CR_ROW:
		if (r->row.n == width)
			return true;
		buf_printf(err, "%s:%ld: row has %zu fields, the header has %zu", r->path,
		    r->row.line, r->row.n, width);
		break;
	case CR_BAD:
		buf_printf(err, "%s:%ld: %s", r->path, r->row.line, r->row.error);
		break;
	case CR_IOERR:
		buf_printf(err, "%s: %s", r->path, strerror(errno ? errno : EIO));
		break;
	case CR_EOF:
		return false;
	}
	*failed = true;
	return false;
}

const char *
ref_cell(const struct refcsv *r, size_t i)
{
	long c = r->col[i];

	return c >= 0 && (size_t)c < r->row.n ? csv_cell_unguard(r->row.fields[c]) : "";
}

void
ref_close(struct refcsv *r)
{
	cr_free(&r->cr);
	lr_free(&r->lr);
	if (r->f)
		fclose(r->f);
	free(r->col);
	memset(r, 0, sizeof *r);
}
