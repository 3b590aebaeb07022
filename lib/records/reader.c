/* reader.c: NDJSON and grouped-CSV record sources, format detection, canonical CSV columns. */
#include "reader.h"

#include "csvcell.h"
#include "json.h"
#include "outfile.h"
#include "strmap.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

bool
rfmt_parse(const char *name, enum rfmt *fmt)
{
	if (strcmp(name, "ndjson") == 0 || strcmp(name, "json") == 0 ||
	    strcmp(name, "jsonl") == 0)
		*fmt = FMT_NDJSON;
	else if (strcmp(name, "csv") == 0)
		*fmt = FMT_CSV;
	else if (strcmp(name, "tsv") == 0)
		*fmt = FMT_TSV;
	else
		return false;
	return true;
}

static bool
has_suffix(const char *s, const char *suffix)
{
	size_t n = strlen(s), k = strlen(suffix);

	return n >= k && strcasecmp(s + n - k, suffix) == 0;
}

enum rfmt
rfmt_detect(struct source *s)
{
	const char *p;
	size_t n = lr_peek(&s->lr, &p, 4096), i = 0, tabs = 0, commas = 0;

	while (i < n && (p[i] == ' ' || p[i] == '\t' || p[i] == '\r' || p[i] == '\n'))
		i++;
	if (i < n && p[i] == '{')
		return FMT_NDJSON;
	if (has_suffix(s->name, ".tsv") || has_suffix(s->name, ".tab") ||
	    has_suffix(s->name, ".txt"))
		return FMT_TSV;
	if (has_suffix(s->name, ".csv"))
		return FMT_CSV;
	for (; i < n && p[i] != '\n' && p[i] != '\r'; i++) {
		tabs += p[i] == '\t';
		commas += p[i] == ',';
	}
	return tabs > 0 && commas == 0 ? FMT_TSV : FMT_CSV;
}

bool
source_open_file(struct source *s, const char *path, struct buf *err)
{
	bool is_stdin = strcmp(path, "-") == 0;

	if (!of_input(path, err))
		return false;
	s->name = xstrdup(is_stdin ? "stdin" : path);
	s->f = is_stdin ? stdin : fopen(path, "rb");
	if (!s->f) {
		buf_printf(err, "%s: %s", path, strerror(errno));
		free(s->name);
		s->name = NULL;
		return false;
	}
	s->owns_f = true;
	lr_init(&s->lr, s->f);
	return true;
}

void
source_close_file(struct source *s)
{
	lr_free(&s->lr);
	if (s->f && s->f != stdin && s->owns_f)
		fclose(s->f);
	free(s->name);
}

/* ---- NDJSON ---- */

struct ndjson_source {
	struct source base;
	struct buf why, jerr;
};

static enum rr_status
ndjson_reject(struct ndjson_source *n, struct rr_item *it, const char *line, size_t len,
    const char *fmt, const char *detail)
{
	buf_reset(&n->why);
	buf_printf(&n->why, fmt, detail);
	it->reason = n->why.p;
	it->raw = line;
	it->raw_len = len;
	return RR_REJECT;
}

/* Only spaces and tabs (the line is not NUL-terminated). */
static bool
blank_text(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] != ' ' && s[i] != '\t')
			return false;
	return true;
}

static enum rr_status
ndjson_next(struct source *s, struct rr_item *it)
{
	struct ndjson_source *n = (struct ndjson_source *)s;
	const char *line;
	size_t len;
	bool overlong;
	json_t *rec, *type;
	struct rtype *t;

	for (;;) {
		if (!lr_next(&s->lr, &line, &len, &overlong)) {
			if (!s->lr.error)
				return RR_EOF;
			it->reason = strerror(errno ? errno : EIO);
			return RR_IOERR;
		}
		it->file = s->name;
		it->line = s->lr.lineno;
		len = lr_chomp_len(line, len);
		if (overlong)
			return ndjson_reject(
			    n, it, line, len, "%s", "line is longer than 4 MiB");
		if (!blank_text(line, len))
			break;
	}
	if (memchr(line, '\0', len))
		return ndjson_reject(n, it, line, len, "%s", "line contains a NUL byte");
	rec = jp_parse(line, len, &n->jerr);
	if (!rec)
		return ndjson_reject(n, it, line, len, "invalid JSON: %s", n->jerr.p);
	if (!json_is_object(rec)) {
		json_decref(rec);
		return ndjson_reject(
		    n, it, line, len, "%s", "record is not a JSON object");
	}
	type = json_object_get(rec, "type");
	if (!json_is_string(type) || json_string_length(type) == 0) {
		json_decref(rec);
		return ndjson_reject(n, it, line, len, "%s", "record has no \"type\"");
	}
	if ((t = schema_type(json_string_value(type))) &&
	    !schema_coerce(rec, t, &n->why)) {
		json_decref(rec);
		it->reason = n->why.p;
		it->raw = line;
		it->raw_len = len;
		return RR_REJECT;
	}
	it->rec = rec;
	it->raw = line;
	it->raw_len = len;
	return RR_RECORD;
}

static void
ndjson_close(struct source *s)
{
	struct ndjson_source *n = (struct ndjson_source *)s;

	source_close_file(s);
	buf_free(&n->why);
	buf_free(&n->jerr);
	free(n);
}

long
rr_line_of(const struct rr_item *it, size_t i)
{
	return it->line_at && i < it->nline_at ? it->line_at[i] : it->line;
}

/* ---- Grouped CSV rows ---- */

struct ready {
	enum rr_status st;
	json_t *rec;
	char *raw;
	size_t raw_len;
	char *reason;
	long line;
	unsigned part;
	long *line_at; /* each row's line, when every row became one of rows_name */
	size_t nline_at;
};

#define QUEUE_MAX 4

struct grouped {
	struct source base;
	struct cr cr;
	const struct grouped_ops *ops;
	void *ctx;
	/* The record being assembled from adjacent rows. */
	json_t *rec;
	struct buf key, raw, why;
	long line, why_line;
	long *row_at; /* the line of each row added to the record */
	size_t nrow_at, caprow_at;
	bool open, poisoned;
	struct ready q[QUEUE_MAX];
	int qhead, qlen;
	struct ready last; /* the item handed out last; freed on the next call */
	bool eof;
	char *ioerr;
	struct buf head; /* the header row as read, to know it again */
	unsigned part; /* how many times it came again: files joined by cat */
};

static void
enqueue(struct grouped *g, enum rr_status st, json_t *rec, const char *raw,
    size_t raw_len, const char *reason, long line)
{
	struct ready *r = &g->q[(g->qhead + g->qlen++) % QUEUE_MAX];

	r->st = st;
	r->rec = rec;
	r->raw = xstrndup(raw ? raw : "", raw ? raw_len : 0);
	r->raw_len = raw ? raw_len : 0;
	r->reason = reason ? xstrdup(reason) : NULL;
	r->line = line;
	r->part = g->part;
	r->line_at = NULL;
	r->nline_at = 0;
}

static void
poison(struct grouped *g, long line, const char *why)
{
	if (g->poisoned)
		return;
	g->poisoned = true;
	g->why_line = line;
	buf_reset(&g->why);
	buf_adds(&g->why, why);
}

/* Hand on the assembled record, or its reject when any row was bad. */
static void
close_group(struct grouped *g)
{
	struct buf why = {0};

	if (!g->open)
		return;
	if (!g->poisoned && g->ops->finish && !g->ops->finish(g->ctx, g->rec, &why))
		poison(g, g->line, why.p);
	buf_free(&why);
	if (g->poisoned) {
		json_decref(g->rec);
		enqueue(g, RR_REJECT, NULL, g->raw.p, g->raw.len, g->why.p, g->why_line);
	} else {
		json_t *rows =
		    g->ops->rows_name ? json_object_get(g->rec, g->ops->rows_name) : NULL;

		enqueue(g, RR_RECORD, g->rec, g->raw.p, g->raw.len, NULL, g->line);
		/* finish may have merged or dropped rows: then no line is told apart. */
		if (g->nrow_at > 0 && json_array_size(rows) == g->nrow_at) {
			struct ready *r = &g->q[(g->qhead + g->qlen - 1) % QUEUE_MAX];

			r->line_at = xmalloc(g->nrow_at * sizeof *r->line_at);
			memcpy(r->line_at, g->row_at, g->nrow_at * sizeof *r->line_at);
			r->nline_at = g->nrow_at;
		}
	}
	g->nrow_at = 0;
	g->rec = NULL;
	g->open = false;
	g->poisoned = false;
}

/*
 * True when every value of sub is also in whole, nested objects compared
 * key by key; otherwise where names the first that is not ("ship_to.city").
 */
static bool
agrees(json_t *sub, json_t *whole, struct buf *where)
{
	const char *k;
	json_t *v;

	json_object_foreach(sub, k, v) {
		json_t *w = json_object_get(whole, k);
		size_t mark = where->len;

		if (mark)
			buf_addc(where, '.');
		buf_adds(where, k);
		if (!w)
			return false;
		if (json_is_object(v) && json_is_object(w)) {
			if (!agrees(v, w, where))
				return false;
		} else if (!json_equal(v, w)) {
			return false;
		}
		where->len = mark;
		if (where->p)
			where->p[mark] = '\0';
	}
	return true;
}

static void
add_row(struct grouped *g, json_t *row, long line)
{
	json_t *rows;

	if (!row || json_object_size(row) == 0 || !g->ops->rows_name) {
		json_decref(row);
		return;
	}
	rows = json_object_get(g->rec, g->ops->rows_name);
	if (!json_is_array(rows)) {
		rows = json_array();
		json_object_set_new(g->rec, g->ops->rows_name, rows);
	}
	json_array_append_new(rows, row);
	if (g->nrow_at == g->caprow_at) {
		g->caprow_at = g->caprow_at ? 2 * g->caprow_at : 8;
		g->row_at = xrealloc(g->row_at, g->caprow_at * sizeof *g->row_at);
	}
	g->row_at[g->nrow_at++] = line;
}

static void
start_group(struct grouped *g, const struct cr_row *r, json_t *rec, json_t *row)
{
	g->open = true;
	g->poisoned = false;
	g->rec = rec;
	g->line = r->line;
	g->nrow_at = 0;
	buf_reset(&g->raw);
	buf_add(&g->raw, r->raw, r->raw_len);
	add_row(g, row, r->line);
}

/* A row of the open record: its record-level values must agree with the first row's. */
static void
join_group(struct grouped *g, const struct cr_row *r, json_t *rec, json_t *row)
{
	struct buf where = {0};

	buf_add(&g->raw, r->raw, r->raw_len);
	if (!g->poisoned && !agrees(rec, g->rec, &where)) {
		struct buf m = {0};

		buf_printf(&m,
		    "row at line %ld disagrees with the first row of its record on "
		    "\"%s\"",
		    r->line, where.p);
		poison(g, r->line, m.p);
		buf_free(&m);
	}
	buf_free(&where);
	json_decref(rec);
	if (!g->poisoned)
		add_row(g, row, r->line);
	else
		json_decref(row);
}

/* One row into the record it belongs to; bad_reason marks a row that was unreadable. */
static void
take_row(struct grouped *g, const struct cr_row *r, const char *bad_reason)
{
	struct buf key = {0}, err = {0};
	json_t *rec = NULL, *row = NULL;
	bool ok = g->ops->convert(g->ctx, r, &rec, &row, &key, &err);
	/*
	 * A row that should name its record but does not (ok is false) most
	 * likely continues the open one, so it rejects that one with it.
	 */
	bool same = g->open &&
	    (key.len > 0 ? g->key.len == key.len && memcmp(g->key.p, key.p, key.len) == 0
			 : !ok);

	if (!same) {
		close_group(g);
		buf_reset(&g->key);
		buf_add(&g->key, key.p ? key.p : "", key.len);
	}
	if (!rec)
		rec = json_object();
	if (same) {
		if (bad_reason) /* before join_group looks for disagreements */
			poison(g, r->line, bad_reason);
		join_group(g, r, rec, row);
	} else {
		start_group(g, r, rec, row);
	}
	if (!ok || bad_reason)
		poison(g, r->line, bad_reason ? bad_reason : err.p);
	if (key.len == 0 && !same)
		close_group(g); /* rows without a key are records of their own */
	buf_free(&key);
	buf_free(&err);
}

/*
 * An unreadable row rejects the record it belongs to: its fields are read
 * again by a lenient parser to tell which record that is, so no record is
 * ever written without one of its rows.
 */
static void
take_bad_row(struct grouped *g, const struct cr_row *r)
{
	struct cr_row fields;

	if (r->fields && r->n) { /* a row reader that could still split it */
		take_row(g, r, r->error);
		return;
	}
	if (!g->ops->read_row && cr_salvage(&g->cr, r, &fields)) {
		take_row(g, &fields, r->error);
		return;
	}
	close_group(g);
	enqueue(g, RR_REJECT, NULL, r->raw, r->raw_len, r->error, r->line);
}

static void
fill_item(struct grouped *g, struct rr_item *it)
{
	struct ready *r = &g->q[g->qhead];

	free(g->last.raw);
	free(g->last.reason);
	free(g->last.line_at);
	g->last = *r;
	g->qhead = (g->qhead + 1) % QUEUE_MAX;
	g->qlen--;
	it->file = g->base.name;
	it->line = r->line;
	it->rec = r->rec;
	it->raw = r->raw;
	it->raw_len = r->raw_len;
	it->reason = r->reason;
	it->part = r->part;
	it->line_at = r->line_at;
	it->nline_at = r->nline_at;
}

/*
 * A row that repeats the header starts another file joined to this one (cat
 * a.csv b.csv): it is not a record, and the rows after it are a new part.
 */
static bool
is_header_again(const struct grouped *g, const struct cr_row *r)
{
	const char *raw = r->raw;
	size_t n = lr_chomp_len(r->raw, r->raw_len);

	if (n >= 3 && memcmp(raw, "\xEF\xBB\xBF", 3) == 0) { /* the joined file's BOM */
		raw += 3;
		n -= 3;
	}
	return g->head.len > 0 && n == g->head.len && memcmp(raw, g->head.p, n) == 0;
}

/* The next row, from the ops' own row reader or from libcsv. */
static enum cr_status
next_row(struct grouped *g, struct cr_row *r)
{
	if (g->ops->read_row)
		return g->ops->read_row(g->ctx, &g->base.lr, r);
	return cr_next(&g->cr, r);
}

static enum rr_status
grouped_next(struct source *s, struct rr_item *it)
{
	struct grouped *g = (struct grouped *)s;
	struct cr_row r;

	while (g->qlen == 0 && !g->eof) {
		switch (next_row(g, &r)) {
		case CR_ROW:
			if (is_header_again(g, &r)) {
				close_group(g);
				g->part++;
				break;
			}
			take_row(g, &r, NULL);
			break;
		case CR_BAD:
			take_bad_row(g, &r);
			break;
		case CR_EOF:
			close_group(g);
			g->eof = true;
			break;
		case CR_IOERR:
			g->eof = true;
			it->file = s->name;
			it->line = s->lr.lineno;
			it->reason = strerror(errno ? errno : EIO);
			return RR_IOERR;
		}
	}
	if (g->qlen == 0)
		return RR_EOF;
	fill_item(g, it);
	return g->last.st;
}

static void
grouped_close(struct source *s)
{
	struct grouped *g = (struct grouped *)s;

	json_decref(g->rec);
	while (g->qlen > 0) {
		struct ready *r = &g->q[g->qhead];

		json_decref(r->rec);
		free(r->raw);
		free(r->reason);
		free(r->line_at);
		g->qhead = (g->qhead + 1) % QUEUE_MAX;
		g->qlen--;
	}
	free(g->last.raw);
	free(g->last.reason);
	free(g->last.line_at);
	free(g->row_at);
	if (g->ops->free_ctx)
		g->ops->free_ctx(g->ctx);
	buf_free(&g->key);
	buf_free(&g->raw);
	buf_free(&g->why);
	buf_free(&g->head);
	cr_free(&g->cr);
	source_close_file(s);
	free(g);
}

/* Read the header row; an empty input has none and yields no records. */
static bool
read_header(struct grouped *g, struct buf *err)
{
	struct cr_row h;
	struct buf why = {0};

	switch (next_row(g, &h)) {
	case CR_ROW:
		buf_add(&g->head, h.raw, lr_chomp_len(h.raw, h.raw_len));
		if (g->ops->header(g->ctx, &h, &why))
			return true;
		buf_printf(err, "%s:%ld: %s", g->base.name, h.line, why.p);
		buf_free(&why);
		return false;
	case CR_BAD:
		buf_printf(err, "%s:%ld: header %s", g->base.name, h.line, h.error);
		return false;
	case CR_EOF:
		g->eof = true;
		return true;
	case CR_IOERR:
		buf_printf(err, "%s: %s", g->base.name, strerror(errno ? errno : EIO));
		return false;
	}
	return false;
}

struct source *
grouped_from(struct source *opened, char delim, const struct grouped_ops *ops, void *ctx,
    struct buf *err)
{
	struct grouped *g = xcalloc(1, sizeof *g);

	g->base = *opened;
	g->base.next = grouped_next;
	g->base.close = grouped_close;
	g->base.keys_in_one_place = true;
	g->ops = ops;
	g->ctx = ctx;
	/* The line reader moved into g; point the row reader at its new home. */
	cr_init(&g->cr, &g->base.lr, delim);
	if (!read_header(g, err)) {
		grouped_close(&g->base);
		return NULL;
	}
	return &g->base;
}

struct source *
grouped_open(const char *path, char delim, const struct grouped_ops *ops, void *ctx,
    struct buf *err)
{
	struct source s = {0};

	if (!source_open_file(&s, path, err)) {
		if (ops->free_ctx)
			ops->free_ctx(ctx);
		return NULL;
	}
	return grouped_from(&s, delim, ops, ctx, err);
}

/* ---- Canonical CSV: the columns of oms-records(5) ---- */

enum colrole { COL_SKIP, COL_TYPE, COL_FIELD, COL_EXTRA, COL_UNKNOWN };

struct colmap {
	enum colrole role;
	const struct column *col;
	const char *name; /* key for COL_UNKNOWN */
	const struct field *level; /* for COL_EXTRA: the fields beside it */
	bool in_rows;
};

struct typemap {
	struct rtype *t;
	struct colmap *cols;
};

struct canon {
	char **names;
	size_t ncols;
	long type_col;
	struct typemap maps[16];
	size_t nmaps;
};

static bool
canon_header(void *ctx, const struct cr_row *h, struct buf *err)
{
	struct canon *c = ctx;
	/* The names seen so far: one pass, however wide the header. */
	struct strmap seen = {0};
	bool ok = true;

	c->ncols = h->n;
	c->names = xcalloc(h->n + 1, sizeof *c->names);
	c->type_col = -1;
	for (size_t i = 0; i < h->n; i++) {
		c->names[i] = xstrdup(h->fields[i]);
		/* Each name keeps its position + 1, so a repeat names both places. */
		void *first = *c->names[i]
		    ? strmap_put(&seen, c->names[i], (void *)(uintptr_t)(i + 1))
		    : NULL;

		if (first) {
			cr_header_twice(
			    err, c->names[i], (size_t)(uintptr_t)first - 1, i);
			ok = false;
			break;
		}
		if (strcmp(c->names[i], "type") == 0)
			c->type_col = (long)i;
	}
	strmap_free(&seen, NULL);
	return ok;
}

static struct colmap *
canon_map(struct canon *c, struct rtype *t)
{
	struct typemap *m;
	size_t ncols, plen;
	const struct column *cols;
	const char *rows = t->rows ? t->rows->name : NULL;

	for (size_t i = 0; i < c->nmaps; i++)
		if (c->maps[i].t == t)
			return c->maps[i].cols;
	cols = schema_columns(t, &ncols);
	rows = t->rows ? t->rows->name : NULL;
	plen = rows ? strlen(rows) : 0;
	m = &c->maps[c->nmaps++];
	m->t = t;
	m->cols = xcalloc(c->ncols, sizeof *m->cols);
	for (size_t i = 0; i < c->ncols; i++) {
		struct colmap *cm = &m->cols[i];
		const char *name = c->names[i];

		cm->role = COL_UNKNOWN;
		cm->name = name;
		if (!*name) {
			cm->role = COL_SKIP;
			continue;
		}
		if ((long)i == c->type_col) {
			cm->role = COL_TYPE;
			continue;
		}
		for (size_t k = 0; k < ncols; k++)
			if (strcmp(cols[k].name, name) == 0) {
				cm->col = &cols[k];
				cm->in_rows = cols[k].in_rows;
				cm->role = cols[k].field ? COL_FIELD : COL_EXTRA;
				cm->level = cols[k].in_rows ? t->rows->sub : t->fields;
				break;
			}
		if (cm->role == COL_UNKNOWN && rows && strncmp(name, rows, plen) == 0 &&
		    name[plen] == '.' && name[plen + 1]) {
			cm->in_rows = true;
			cm->name = name + plen + 1;
		}
	}
	return m->cols;
}

static json_t *
child_object(json_t *parent, const char *name)
{
	json_t *o = json_object_get(parent, name);

	if (!json_is_object(o)) {
		o = json_object();
		json_object_set_new(parent, name, o);
	}
	return o;
}

/*
 * Merge an extra-column object into target. It holds only keys that have no
 * column of their own (as the writer puts them there), and unknown keys of
 * known objects ({"customer":{"tier":"gold"}}); anything else would let one
 * cell contradict another, or change the record's type.
 */
static bool
merge_extra(
    json_t *target, json_t *extra, const struct field *fields, bool top, struct buf *err)
{
	const char *k, *sk;
	json_t *v, *sv;

	json_object_foreach(extra, k, v) {
		const struct field *f = schema_field(fields, k);

		if ((top && strcmp(k, "type") == 0) || (f && f->kind != FK_OBJ) ||
		    (f && !json_is_object(v))) {
			buf_printf(
			    err, "extra sets \"%s\", which has a column of its own", k);
			return false;
		}
		if (!f) {
			json_object_set(target, k, v);
			continue;
		}
		json_object_foreach(v, sk, sv) {
			if (schema_field(f->sub, sk)) {
				buf_printf(err,
				    "extra sets \"%s.%s\", which has a column of its own",
				    k, sk);
				return false;
			}
			json_object_set(child_object(target, k), sk, sv);
		}
	}
	return true;
}

static bool
set_cell(const struct colmap *cm, json_t *target, const char *cell, struct buf *err)
{
	struct buf jerr = {0};
	json_t *v;
	bool ok;

	/* Text cells come back with the writer's guard undone; JSON text has none. */
	if (cm->role == COL_UNKNOWN) {
		json_object_set_new(
		    target, cm->name, json_string_nocheck(csv_cell_unguard(cell)));
		return true;
	}
	if (cm->role == COL_FIELD && cm->col->field->kind != FK_JSON) {
		if (cm->col->parent)
			target = child_object(target, cm->col->parent->name);
		json_object_set_new_nocheck(target, cm->col->field->name,
		    json_string_nocheck(csv_cell_unguard(cell)));
		return true;
	}
	v = jp_parse(cell, strlen(cell), &jerr);
	if (!v) {
		buf_printf(err, "%s is not valid JSON: %s", cm->col->name, jerr.p);
		buf_free(&jerr);
		return false;
	}
	buf_free(&jerr);
	if (cm->role == COL_EXTRA) {
		if (!json_is_object(v)) {
			json_decref(v);
			buf_printf(err, "%s is not a JSON object", cm->col->name);
			return false;
		}
		ok = merge_extra(target, v, cm->level, !cm->in_rows, err);
		json_decref(v);
		return ok;
	}
	if (cm->col->parent)
		target = child_object(target, cm->col->parent->name);
	json_object_set_new(target, cm->col->field->name, v);
	return true;
}

/* A part of a grouping key, trimmed as the value itself will be; empty adds nothing. */
static void
add_key_part(struct buf *key, const char *cell)
{
	size_t n;

	cell = csv_cell_unguard(cell);
	n = strlen(cell);
	cell = trim_span(cell, &n);
	if (n) {
		buf_addc(key, '\x1f');
		buf_add(key, cell, n);
	}
}

static bool
canon_convert(void *ctx, const struct cr_row *r, json_t **rec, json_t **row,
    struct buf *key, struct buf *err)
{
	struct canon *c = ctx;
	const char *tname = c->type_col >= 0 && (size_t)c->type_col < r->n
	    ? csv_cell_unguard(r->fields[c->type_col])
	    : "order";
	struct rtype *t;
	struct colmap *cm;

	if (!*tname)
		tname = "order";
	*rec = json_object();
	json_object_set_new(*rec, "type", json_string(tname));
	if (!(t = schema_type(tname))) {
		buf_printf(err, "unknown record type \"%s\"", tname);
		return false;
	}
	cm = canon_map(c, t);
	buf_adds(key, tname);
	for (const char *const *k = t->keys; *k; k++)
		for (size_t i = 0; i < c->ncols && i < r->n; i++)
			if (cm[i].role == COL_FIELD && !cm[i].in_rows &&
			    !cm[i].col->parent && strcmp(cm[i].col->field->name, *k) == 0)
				add_key_part(key, r->fields[i]);
	if (key->len == strlen(tname))
		buf_reset(key); /* no key at all: a record of its own */
	if (t->keys[0] && key->len == 0) {
		buf_printf(err, "%s is missing", t->keys[0]);
		return false;
	}
	if (r->n != c->ncols) {
		buf_printf(err, "row has %zu fields, the header has %zu", r->n, c->ncols);
		return false;
	}
	*row = t->rows ? json_object() : NULL;
	for (size_t i = 0; i < r->n; i++) {
		if (!*r->fields[i] || cm[i].role == COL_SKIP || cm[i].role == COL_TYPE)
			continue;
		if (!set_cell(
			&cm[i], cm[i].in_rows && *row ? *row : *rec, r->fields[i], err))
			return false;
	}
	if (!schema_coerce(*rec, t, err))
		return false;
	return !*row || schema_coerce_fields(*row, t->rows->sub, t->rows->name, err);
}

static void
canon_free(void *ctx)
{
	struct canon *c = ctx;

	for (size_t i = 0; c->names && i < c->ncols; i++)
		free(c->names[i]);
	free(c->names);
	for (size_t i = 0; i < c->nmaps; i++)
		free(c->maps[i].cols);
	free(c);
}

static const struct grouped_ops canon_ops = {
    .header = canon_header,
    .convert = canon_convert,
    .free_ctx = canon_free,
    .rows_name = "lines",
};

struct source *
rr_open(const char *path, enum rfmt fmt, struct buf *err)
{
	struct source s = {0};

	if (!source_open_file(&s, path, err))
		return NULL;
	return rr_from(&s, fmt, err);
}

struct source *
rr_open_stream(FILE *f, const char *name, enum rfmt fmt, struct buf *err)
{
	struct source s = {0};

	s.name = xstrdup(name);
	s.f = f;
	lr_init(&s.lr, f);
	return rr_from(&s, fmt, err);
}

struct source *
rr_from(struct source *opened, enum rfmt fmt, struct buf *err)
{
	struct source s = *opened;
	struct canon *c;

	if (fmt == FMT_AUTO)
		fmt = rfmt_detect(&s);
	if (fmt == FMT_NDJSON) {
		struct ndjson_source *n = xcalloc(1, sizeof *n);

		n->base = s;
		n->base.next = ndjson_next;
		n->base.close = ndjson_close;
		return &n->base;
	}
	c = xcalloc(1, sizeof *c);
	return grouped_from(&s, fmt == FMT_TSV ? '\t' : ',', &canon_ops, c, err);
}
