/* csvrows.c: libcsv driven line by line; fields copied out because libcsv reuses its buffer. */
#include "csvrows.h"

#include <stdlib.h>
#include <string.h>

#define CR_OPTIONS (CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL)

static void
parser_start(struct cr *c, char delim)
{
	if (csv_init(&c->p, CR_OPTIONS) != 0) {
		warnmsg("out of memory starting the CSV parser");
		exit(EXIT_USAGE);
	}
	csv_set_delim(&c->p, (unsigned char)delim);
}

void
cr_init(struct cr *c, struct lr *r, char delim)
{
	memset(c, 0, sizeof *c);
	c->lr = r;
	parser_start(c, delim);
	c->stop[(unsigned char)delim] = CR_DELIM;
	c->stop['"'] = CR_SPECIAL;
	c->stop['\r'] = CR_SPECIAL;
}

void
cr_free(struct cr *c)
{
	if (c->salvage) {
		cr_free(c->salvage);
		free(c->salvage);
	}
	csv_free(&c->p);
	buf_free(&c->raw);
	buf_free(&c->cells);
	buf_free(&c->err);
	free(c->offs);
	free(c->ptrs);
}

/* A field's text goes into the row's cells in pieces: start, add..., end. */
static void
cell_start(struct cr *c)
{
	c->offs = xgrow(c->offs, &c->capoffs, c->noffs + 1, sizeof *c->offs, 64);
	c->offs[c->noffs++] = c->cells.len;
}

static void
cell_add(struct cr *c, const char *s, size_t len)
{
	buf_add(&c->cells, s, len); /* no NUL: lines are checked as UTF-8 first */
}

static void
cell_end(struct cr *c)
{
	buf_addc(&c->cells, '\0');
}

static void
on_field(void *s, size_t len, void *data)
{
	struct cr *c = data;

	if (c->row_done)
		return; /* a salvaged row ends at its first row end */
	cell_start(c);
	cell_add(c, s, len);
	cell_end(c);
}

static void
on_row(int term, void *data)
{
	struct cr *c = data;

	(void)term;
	c->row_done = true;
}

/* Start over after a bad row: a new parser, no partial fields. */
static void
reset_row(struct cr *c)
{
	unsigned char delim = csv_get_delim(&c->p);

	csv_free(&c->p);
	parser_start(c, (char)delim);
	c->noffs = 0;
	buf_reset(&c->cells);
	c->mid_row = false;
}

static enum cr_status
bad(struct cr *c, struct cr_row *row, const char *why)
{
	buf_reset(&c->err);
	buf_adds(&c->err, why);
	row->error = c->err.p;
	row->line = c->row_line;
	row->last_line = c->lr->lineno;
	row->raw = c->raw.p ? c->raw.p : "";
	row->raw_len = c->raw.len;
	row->fields = NULL;
	row->n = 0;
	reset_row(c);
	return CR_BAD;
}

static enum cr_status
finish_row(struct cr *c, struct cr_row *row)
{
	if (c->noffs + 1 > c->capptrs) {
		c->capptrs = c->noffs + 16;
		c->ptrs = xrealloc(c->ptrs, c->capptrs * sizeof *c->ptrs);
	}
	for (size_t i = 0; i < c->noffs; i++)
		c->ptrs[i] = c->cells.p + c->offs[i];
	c->ptrs[c->noffs] = NULL;
	row->fields = c->ptrs;
	row->n = c->noffs;
	row->line = c->row_line;
	row->last_line = c->lr->lineno;
	row->raw = c->raw.p;
	row->raw_len = c->raw.len;
	row->error = NULL;
	c->row_done = false;
	c->mid_row = false;
	return CR_ROW;
}

/* libcsv's default: spaces and tabs around an unquoted field are not part of it. */
static bool
csv_space(char ch, char delim)
{
	return (ch == ' ' || ch == '\t') && ch != delim;
}

/*
 * A quoted field from *p (its opening quote) to the closing one, "" read as
 * one quote, into the row's cells. False when the line ends inside it (the
 * field goes on to the next line) or the closing quote is followed by more
 * than white space before the delimiter: libcsv's cases.
 */
static bool
split_quoted(struct cr *c, const char **p, const char *end, char delim)
{
	const char *s = *p + 1, *q;

	cell_start(c);
	while ((q = memchr(s, '"', (size_t)(end - s)))) {
		cell_add(c, s, (size_t)(q - s));
		if (q + 1 < end && q[1] == '"') {
			cell_add(c, "\"", 1);
			s = q + 2;
			continue;
		}
		for (s = q + 1; s < end && csv_space(*s, delim); s++)
			;
		*p = s;
		cell_end(c);
		return s == end || *s == delim;
	}
	return false;
}

/* An unquoted field from *p up to the delimiter, trimmed; false at a quote or a carriage return in it. */
static bool
split_unquoted(struct cr *c, const char **p, const char *end, char delim)
{
	const char *s = *p, *e = s;

	while (e < end && !c->stop[(unsigned char)*e])
		e++;
	if (e < end && c->stop[(unsigned char)*e] == CR_SPECIAL)
		return false;
	*p = e;
	while (e > s && csv_space(e[-1], delim))
		e--;
	cell_start(c);
	cell_add(c, s, (size_t)(e - s));
	cell_end(c);
	return true;
}

/*
 * A row that is all on one line, split here: nearly every line of a real
 * export is one, and a tight loop costs a fraction of libcsv's
 * byte-at-a-time callbacks. Fields come out as libcsv gives them (quotes
 * removed, "" undone, white space around unquoted fields trimmed). False,
 * with nothing kept, for any line libcsv must read: a quoted field that
 * goes on to the next line, bad quoting (libcsv's message is the one
 * given), a carriage return outside quotes, or only white space (no row).
 */
static bool
split_line(struct cr *c, const char *line, size_t len)
{
	char delim = (char)csv_get_delim(&c->p);
	const char *p = line, *end = line + lr_chomp_len(line, len);

	while (p < end && csv_space(*p, delim))
		p++;
	if (p == end)
		return false;
	for (;;) {
		while (p < end && csv_space(*p, delim))
			p++;
		if (!(p < end && *p == '"' ? split_quoted(c, &p, end, delim)
					   : split_unquoted(c, &p, end, delim))) {
			c->noffs = 0;
			buf_reset(&c->cells);
			return false;
		}
		if (p == end)
			break;
		p++; /* the delimiter */
	}
	c->row_done = true;
	return true;
}

static bool
blank(const char *s, size_t n)
{
	return lr_chomp_len(s, n) == 0;
}

enum cr_status
cr_next(struct cr *c, struct cr_row *row)
{
	const char *line;
	size_t len;
	bool overlong;

	if (c->done)
		return CR_EOF;
	c->noffs = 0;
	buf_reset(&c->cells);
	while (lr_next(c->lr, &line, &len, &overlong)) {
		if (!c->mid_row) {
			if (blank(line, len))
				continue;
			buf_reset(&c->raw);
			c->row_line = c->lr->lineno;
		}
		c->mid_row = true;
		buf_add(&c->raw, line, len);
		if (overlong)
			return bad(c, row, "line is longer than 4 MiB");
		if (c->raw.len > LINE_MAX_BYTES)
			return bad(c, row, "row is longer than 4 MiB");
		if (!utf8_valid(line, len))
			return bad(c, row,
			    memchr(line, '\0', len) ? "row contains a NUL byte"
						    : "row is not valid UTF-8");
		if (c->raw.len == len && split_line(c, line, len))
			return finish_row(c, row);
		if (csv_parse(&c->p, line, len, on_field, on_row, c) != len)
			return bad(c, row,
			    csv_error(&c->p) == CSV_EPARSE
				? "malformed quoting (a quote inside an unquoted field, "
				  "or text after a closing quote)"
				: csv_strerror(csv_error(&c->p)));
		if (c->row_done)
			return finish_row(c, row);
	}
	if (c->lr->error)
		return CR_IOERR;
	c->done = true;
	if (!c->mid_row)
		return CR_EOF;
	if (csv_fini(&c->p, on_field, on_row, c) != 0)
		return bad(c, row, "unterminated quoted field at end of input");
	if (c->row_done)
		return finish_row(c, row);
	return CR_EOF;
}

bool
cr_salvage(struct cr *c, const struct cr_row *bad, struct cr_row *row)
{
	struct cr *s = c->salvage;

	if (!bad->raw_len)
		return false;
	if (!s) {
		s = c->salvage = xcalloc(1, sizeof *s);
		if (csv_init(&s->p, CSV_APPEND_NULL) != 0)
			return false;
	}
	csv_set_delim(&s->p, csv_get_delim(&c->p));
	s->noffs = 0;
	s->row_done = false;
	buf_reset(&s->cells);
	/* Up to the first row end; a lenient parser takes stray quotes as text. */
	csv_parse(&s->p, bad->raw, bad->raw_len, on_field, on_row, s);
	if (!s->row_done)
		csv_fini(&s->p, on_field, on_row, s);
	csv_fini(&s->p, NULL, NULL, NULL);
	if (s->noffs == 0)
		return false;
	if (s->noffs + 1 > s->capptrs) {
		s->capptrs = s->noffs + 16;
		s->ptrs = xrealloc(s->ptrs, s->capptrs * sizeof *s->ptrs);
	}
	for (size_t i = 0; i < s->noffs; i++)
		s->ptrs[i] = s->cells.p + s->offs[i];
	s->ptrs[s->noffs] = NULL;
	*row = *bad;
	row->fields = s->ptrs;
	row->n = s->noffs;
	return true;
}

void
cr_header_twice(struct buf *err, const char *name, size_t first, size_t second)
{
	buf_printf(err, "column \"%s\" appears twice in the header (columns %zu and %zu)",
	    name, first + 1, second + 1);
}

long
cr_header_col(const struct cr_row *h, const char *name, struct buf *err)
{
	long at = -1;

	for (size_t c = 0; c < h->n; c++) {
		if (strcmp(h->fields[c], name) != 0)
			continue;
		if (at >= 0) {
			cr_header_twice(err, name, (size_t)at, c);
			return -2;
		}
		at = (long)c;
	}
	return at;
}
