/* writer.c: canonical key order for NDJSON, one row per line for CSV, unknown keys kept. */
#include "writer.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "csvcell.h"
#include "json.h"
#include "schema.h"

void
rw_init(struct rw *w, FILE *f, enum rfmt fmt)
{
	memset(w, 0, sizeof *w);
	w->f = f;
	w->fmt = fmt == FMT_AUTO ? FMT_NDJSON : fmt;
	w->delim = w->fmt == FMT_TSV ? '\t' : ',';
}

void
rw_free(struct rw *w)
{
	buf_free(&w->line);
}

static void
dump_key(const char *k, struct buf *out, bool *first)
{
	if (!*first)
		buf_addc(out, ',');
	*first = false;
	jw_string(out, k, strlen(k));
	buf_addc(out, ':');
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/*
 * Keys of obj not among fields (nor "type" at the top), sorted; the caller
 * frees the array. known is how many of fields obj has, or -1 to count.
 */
static const char **
unknown_keys(json_t *obj, const struct field *fields, bool top, long known, size_t *n)
{
	const char **keys = NULL, *k;
	size_t cap = 0;
	json_t *v;

	*n = 0;
	if (known < 0) {
		known = 0;
		for (const struct field *f = fields; f && f->name; f++)
			known += json_object_getn(obj, f->name, f->len) != NULL;
	}
	if (top)
		known += json_object_get(obj, "type") != NULL;
	if ((size_t)known == json_object_size(obj))
		return NULL;
	json_object_foreach(obj, k, v) {
		if ((top && strcmp(k, "type") == 0) ||
		    (fields && schema_field(fields, k)))
			continue;
		keys = xgrow(keys, &cap, *n + 1, sizeof *keys, 8);
		keys[(*n)++] = k;
	}
	qsort(keys, *n, sizeof *keys, cmp_str);
	return keys;
}

static void dump_object(
    json_t *obj, const struct field *fields, bool top, struct buf *out, bool first);

static void
dump_field(const struct field *f, json_t *v, struct buf *out)
{
	if (f->kind == FK_OBJ && json_is_object(v)) {
		buf_addc(out, '{');
		dump_object(v, f->sub, false, out, true);
		buf_addc(out, '}');
	} else if (f->kind == FK_ROWS && json_is_array(v)) {
		buf_addc(out, '[');
		for (size_t i = 0; i < json_array_size(v); i++) {
			json_t *row = json_array_get(v, i);

			if (i)
				buf_addc(out, ',');
			if (json_is_object(row)) {
				buf_addc(out, '{');
				dump_object(row, f->sub, false, out, true);
				buf_addc(out, '}');
			} else {
				jw_value(out, row);
			}
		}
		buf_addc(out, ']');
	} else {
		jw_value(out, v);
	}
}

/* A member of an object being written, with its place in the output. */
struct member {
	const struct field *f; /* NULL for a key the schema does not know */
	const char *key;
	json_t *v;
};

/* Known fields in schema order, then unknown keys by name. */
static bool
member_before(const struct member *a, const struct member *b)
{
	if (a->f && b->f)
		return a->f < b->f;
	if (a->f || b->f)
		return a->f != NULL;
	return strcmp(a->key, b->key) < 0;
}

static int
cmp_member(const void *a, const void *b)
{
	return member_before(a, b) ? -1 : member_before(b, a) ? 1 : 0;
}

/*
 * Insertion sort for the usual small object that is close to schema order
 * already; qsort for a big one, which insertion would make quadratic.
 */
static void
sort_members(struct member *m, size_t n)
{
	if (n > 32) {
		qsort(m, n, sizeof *m, cmp_member);
		return;
	}
	for (size_t i = 1; i < n; i++) {
		struct member x = m[i];
		size_t j = i;

		for (; j > 0 && member_before(&x, &m[j - 1]); j--)
			m[j] = m[j - 1];
		m[j] = x;
	}
}

/* The members of obj: known fields in schema order, then the rest sorted. */
static void
dump_object(
    json_t *obj, const struct field *fields, bool top, struct buf *out, bool first)
{
	struct member stack[64], *m = stack;
	size_t n = 0, len;
	const char *key;
	json_t *v;

	if (json_object_size(obj) > sizeof stack / sizeof stack[0])
		m = xmalloc(json_object_size(obj) * sizeof *m);
	json_object_keylen_foreach(obj, key, len, v)
	{
		if (top && len == 4 && memcmp(key, "type", 4) == 0)
			continue;
		m[n].f = fields ? schema_fieldn(fields, key, len) : NULL;
		m[n].key = key;
		m[n++].v = v;
	}
	sort_members(m, n);
	for (size_t i = 0; i < n; i++) {
		if (!m[i].f) {
			dump_key(m[i].key, out, &first);
			jw_value(out, m[i].v);
			continue;
		}
		if (!first)
			buf_addc(out, ',');
		first = false;
		buf_addc(out, '"');
		buf_add(
		    out, m[i].f->name, m[i].f->len); /* schema names need no escaping */
		buf_add(out, "\":", 2);
		dump_field(m[i].f, m[i].v, out);
	}
	if (m != stack)
		free(m);
}

void
rw_ndjson(json_t *rec, struct buf *out)
{
	json_t *type = json_object_get(rec, "type");
	struct rtype *t =
	    json_is_string(type) ? schema_type(json_string_value(type)) : NULL;
	bool first = true;

	buf_addc(out, '{');
	if (type) {
		dump_key("type", out, &first);
		jw_value(out, type);
	}
	dump_object(rec, t ? t->fields : NULL, true, out, first);
	buf_addc(out, '}');
}

/* ---- CSV ---- */

/*
 * One cell: text as it is (guarded, csvcell.h), numbers and booleans as
 * written in JSON, and anything else as compact JSON; as_json writes every
 * value as JSON text, as a JSON-valued field needs so that a string comes
 * back a string. JSON text never starts a formula but as a negative number,
 * which stays a number: only text is guarded.
 */
static void
csv_value(struct buf *out, json_t *v, bool as_json)
{
	char tmp[32];

	if (!v)
		return;
	if (json_is_string(v) && !as_json) {
		csv_cell(out, json_string_value(v), json_string_length(v));
	} else if (json_is_integer(v)) {
		snprintf(tmp, sizeof tmp, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
		buf_adds(out, tmp);
	} else if (json_is_true(v)) {
		buf_adds(out, "true");
	} else if (json_is_false(v)) {
		buf_adds(out, "false");
	} else {
		struct buf j = {0};

		jw_value(&j, v);
		csv_cell_plain(out, j.p, j.len);
		buf_free(&j);
	}
}

/* Unknown keys of obj, and unknown keys of its known objects, as one object. */
static json_t *
extras_of(json_t *obj, const struct field *fields, bool top)
{
	json_t *extra = NULL;
	const char **keys;
	size_t n;

	keys = unknown_keys(obj, fields, top, -1, &n);
	for (size_t i = 0; i < n; i++) {
		if (!extra)
			extra = json_object();
		json_object_set(extra, keys[i], json_object_get(obj, keys[i]));
	}
	free(keys);
	for (const struct field *f = fields; f->name; f++) {
		json_t *sub = json_object_getn(obj, f->name, f->len), *se;

		if (f->kind != FK_OBJ || !json_is_object(sub))
			continue;
		keys = unknown_keys(sub, f->sub, false, -1, &n);
		for (size_t i = 0; i < n; i++) {
			if (!extra)
				extra = json_object();
			se = json_object_get(extra, f->name);
			if (!se) {
				se = json_object();
				json_object_set_new(extra, f->name, se);
			}
			json_object_set(se, keys[i], json_object_get(sub, keys[i]));
		}
		free(keys);
	}
	return extra;
}

static void
csv_extra(struct buf *out, json_t *obj, const struct field *fields, bool top)
{
	json_t *extra = obj ? extras_of(obj, fields, top) : NULL;

	if (extra) {
		struct buf j = {0};

		buf_addc(&j, '{');
		dump_object(extra, NULL, false, &j, true);
		buf_addc(&j, '}');
		csv_cell_plain(out, j.p, j.len);
		buf_free(&j);
		json_decref(extra);
	}
}

static void
csv_row(struct rw *w, json_t *rec, json_t *row)
{
	size_t n;
	const struct column *cols = schema_columns(w->csv_type, &n);

	for (size_t i = 0; i < n; i++) {
		const struct column *c = &cols[i];
		json_t *holder = c->in_rows ? row : rec;

		if (i)
			buf_addc(&w->line, w->delim);
		if (i == 0) {
			csv_value(&w->line, json_object_get(rec, "type"), false);
			continue;
		}
		if (!holder)
			continue;
		if (!c->field) {
			csv_extra(&w->line, holder,
			    c->in_rows ? w->csv_type->rows->sub : w->csv_type->fields,
			    !c->in_rows);
			continue;
		}
		if (c->parent)
			holder = json_object_get(holder, c->parent->name);
		csv_value(&w->line,
		    json_object_getn(holder, c->field->name, c->field->len),
		    c->field->kind == FK_JSON);
	}
	buf_addc(&w->line, '\n');
}

static void
csv_header(struct rw *w)
{
	size_t n;
	const struct column *cols = schema_columns(w->csv_type, &n);

	for (size_t i = 0; i < n; i++) {
		if (i)
			buf_addc(&w->line, w->delim);
		buf_adds(&w->line, cols[i].name);
	}
	buf_addc(&w->line, '\n');
}

static bool
write_csv_record(struct rw *w, json_t *rec, struct buf *err)
{
	const char *tname = json_string_value(json_object_get(rec, "type"));
	struct rtype *t = tname ? schema_type(tname) : NULL;
	json_t *rows;

	if (!t) {
		buf_printf(err, "a record of type \"%s\" cannot be written as CSV",
		    tname ? tname : "");
		return false;
	}
	if (!w->csv_type) {
		w->csv_type = t;
		csv_header(w);
		w->head_len = w->line.len;
	} else if (w->csv_type != t) {
		buf_printf(err,
		    "a CSV output holds one record type (%s); this record is a %s",
		    w->csv_type->name, t->name);
		return false;
	}
	rows = t->rows ? json_object_get(rec, t->rows->name) : NULL;
	if (json_array_size(rows) == 0)
		csv_row(w, rec, NULL);
	for (size_t i = 0; i < json_array_size(rows); i++)
		csv_row(w, rec, json_array_get(rows, i));
	return true;
}

bool
rw_write(struct rw *w, json_t *rec, struct buf *err)
{
	if (!rw_render(w, rec, err))
		return false;
	if (w->line.len)
		fwrite(w->line.p, 1, w->line.len, w->f);
	return true;
}

bool
rw_render(struct rw *w, json_t *rec, struct buf *err)
{
	bool ok = true;

	buf_reset(&w->line);
	w->head_len = 0;
	if (w->fmt == FMT_NDJSON) {
		rw_ndjson(rec, &w->line);
		buf_addc(&w->line, '\n');
	} else {
		ok = write_csv_record(w, rec, err);
	}
	return ok;
}
