/* csvrows.h: RFC 4180 rows through libcsv, fed one physical line at a time for exact line numbers. */
#ifndef OMS_CSVROWS_H
#define OMS_CSVROWS_H

#include <csv.h>
#include <stdbool.h>
#include <stddef.h>

#include "lines.h"
#include "util.h"

struct cr_row {
	char **fields; /* NUL-terminated copies, valid until the next call */
	size_t n;
	long line; /* physical line where the row starts */
	long last_line; /* physical line where it ends */
	const char *raw; /* the row's text as read, terminators included */
	size_t raw_len;
	const char *error; /* set on CR_BAD: what is wrong with the row */
};

enum cr_status { CR_ROW, CR_BAD, CR_EOF, CR_IOERR };

enum cr_stop { CR_DELIM = 1, CR_SPECIAL = 2 };

struct cr {
	struct lr *lr;
	struct csv_parser p;
	struct buf raw, cells, err;
	size_t *offs;
	size_t noffs, capoffs;
	char **ptrs;
	size_t capptrs;
	bool row_done, mid_row, done;
	struct cr *salvage; /* a lenient reader for cr_salvage */
	/* What each byte is to an unquoted field: 0, or one of enum cr_stop. */
	unsigned char stop[256];
	long row_line;
};

/* Read rows from lines of r (not owned), fields separated by delim. */
void cr_init(struct cr *c, struct lr *r, char delim);

/*
 * The next row: CR_ROW with its fields, CR_BAD for a row that cannot be read
 * (bad quoting, an unterminated quote at end of input, invalid UTF-8, a NUL
 * byte, an overlong line) with row->error and its raw text, CR_EOF, or
 * CR_IOERR when reading failed.
 */
enum cr_status cr_next(struct cr *c, struct cr_row *row);

/*
 * Read the fields of a bad row's raw text as well as a lenient parser can,
 * so its record can still be told; row->fields is valid until the next
 * call. False when nothing can be made of it.
 */
bool cr_salvage(struct cr *c, const struct cr_row *bad, struct cr_row *row);

/* Release what the reader holds. */
void cr_free(struct cr *c);

/*
 * The message for a header that names a column twice, at the 0-based
 * positions first and second: `column "name" appears twice in the header
 * (columns 3 and 7)`. A reader refuses such a file (status 2): which of the
 * two holds the value is anybody's guess.
 */
void cr_header_twice(struct buf *err, const char *name, size_t first, size_t second);

/*
 * The position of the header cell that is exactly name, or -1 when there is
 * none; -2, with cr_header_twice's message in err, when two cells are.
 */
long cr_header_col(const struct cr_row *h, const char *name, struct buf *err);

#endif
