/* map.c: a JSON map names, for each canonical field, a source column or a constant. */
#define _XOPEN_SOURCE 700 /* strptime */
#include "map.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "csvcols.h"
#include "date.h"
#include "json.h"
#include "outfile.h"
#include "schema.h"

struct target {
	const struct column *col; /* where the value goes */
	char *column; /* source column, or NULL for a constant */
	char *value; /* the constant */
	char *prefix; /* put before the source value */
	char *format; /* strptime format for dates and timestamps */
	char **from, **to; /* the value table: a cell from[i] is to[i] */
	size_t nvalues;
	const char *other; /* to for a cell the table lacks ("*"), or NULL: as is */
	bool is_key; /* one of the fields that group rows into records */
	bool is_service; /* the order's service: names become levels */
};

struct map {
	char *path;
	struct rtype *type;
	char delim;
	char *tz;
	char *date_format, *timestamp_format;
	struct target *t;
	size_t nt;
	size_t nkeys; /* targets that group rows into records */
};

struct map_source {
	const struct map *m;
	long *index; /* per target: column position in this file */
};

static const char *const top_keys[] = {
    "type",
    "delimiter",
    "timezone",
    "date_format",
    "timestamp_format",
    "fields",
    NULL,
};
static const char *const target_keys[] = {
    "column", "value", "prefix", "format", "values", NULL};

static bool
known_key(const char *k, const char *const *list)
{
	for (; *list; list++)
		if (strcmp(k, *list) == 0)
			return true;
	return false;
}

static bool
get_text(json_t *obj, const char *key, char **out, const char *where, struct buf *err)
{
	json_t *v = json_object_get(obj, key);

	if (!v)
		return true;
	if (!json_is_string(v)) {
		buf_printf(err, "%s: \"%s\" must be text", where, key);
		return false;
	}
	*out = xstrdup(json_string_value(v));
	return true;
}

static const struct column *
find_column(struct rtype *t, const char *name)
{
	size_t n;
	const struct column *cols = schema_columns(t, &n);

	for (size_t i = 1; i < n; i++)
		if (cols[i].field && strcmp(cols[i].name, name) == 0)
			return &cols[i];
	return NULL;
}

/*
 * A field's value table ("values": {"NEW": "open", ...}): each key a cell
 * as the export writes it (ASCII case and white space around it aside),
 * each value what the field takes instead; "*" for any other cell, which
 * without it is kept as it is.
 */
static bool
load_values(
    struct map *m, struct target *t, const char *name, json_t *values, struct buf *err)
{
	const char *k;
	json_t *v;

	if (!values)
		return true;
	if (!json_is_object(values)) {
		buf_printf(err,
		    "%s: field \"%s\": \"values\" must be an object of cells and "
		    "the values they stand for",
		    m->path, name);
		return false;
	}
	t->from = xcalloc(json_object_size(values) + 1, sizeof *t->from);
	t->to = xcalloc(json_object_size(values) + 1, sizeof *t->to);
	json_object_foreach(values, k, v) {
		if (!json_is_string(v)) {
			buf_printf(err,
			    "%s: field \"%s\": the value for \"%s\" must be text",
			    m->path, name, k);
			return false;
		}
		t->from[t->nvalues] = xstrdup(k);
		t->to[t->nvalues] = xstrdup(json_string_value(v));
		if (strcmp(k, "*") == 0)
			t->other = t->to[t->nvalues];
		t->nvalues++;
	}
	return true;
}

static bool
load_target(
    struct map *m, struct target *t, const char *name, json_t *spec, struct buf *err)
{
	const char *k;
	json_t *v;

	if (!(t->col = find_column(m->type, name))) {
		buf_printf(err, "%s: \"%s\" is not a field of a%s %s record", m->path,
		    name, strchr("aeiou", m->type->name[0]) ? "n" : "", m->type->name);
		return false;
	}
	if (json_is_string(spec)) {
		t->column = xstrdup(json_string_value(spec));
		return true;
	}
	if (!json_is_object(spec)) {
		buf_printf(err, "%s: field \"%s\" must be a column name or an object",
		    m->path, name);
		return false;
	}
	json_object_foreach(spec, k, v)
		if (!known_key(k, target_keys)) {
			buf_printf(err, "%s: field \"%s\": unknown key \"%s\"", m->path,
			    name, k);
			return false;
		}
	if (!get_text(spec, "column", &t->column, m->path, err) ||
	    !get_text(spec, "value", &t->value, m->path, err) ||
	    !get_text(spec, "prefix", &t->prefix, m->path, err) ||
	    !get_text(spec, "format", &t->format, m->path, err))
		return false;
	if (!t->column == !t->value) {
		buf_printf(err, "%s: field \"%s\" needs one of \"column\" or \"value\"",
		    m->path, name);
		return false;
	}
	if (!load_values(m, t, name, json_object_get(spec, "values"), err))
		return false;
	if (t->format && t->col->field->kind != FK_DATE && t->col->field->kind != FK_TS) {
		buf_printf(err,
		    "%s: field \"%s\" is not a date or timestamp; \"format\" does not "
		    "apply",
		    m->path, name);
		return false;
	}
	return true;
}

static bool
load_fields(struct map *m, json_t *fields, struct buf *err)
{
	const char *k;
	json_t *v;

	if (!json_is_object(fields) || json_object_size(fields) == 0) {
		buf_printf(err,
		    "%s: \"fields\" must be an object naming the fields to fill",
		    m->path);
		return false;
	}
	m->t = xcalloc(json_object_size(fields), sizeof *m->t);
	json_object_foreach(fields, k, v) {
		struct target *t = &m->t[m->nt++];

		if (!load_target(m, t, k, v, err))
			return false;
		t->is_service = strcmp(m->type->name, "order") == 0 && !t->col->in_rows &&
		    !t->col->parent && strcmp(t->col->field->name, "service") == 0;
		for (const char *const *key = m->type->keys; *key; key++)
			if (!t->col->in_rows && !t->col->parent &&
			    strcmp(t->col->field->name, *key) == 0)
				t->is_key = true;
		m->nkeys += t->is_key;
	}
	if (m->nkeys == 0 && m->type->keys[0]) {
		buf_printf(err,
		    "%s: the map must fill \"%s\", which groups rows into records",
		    m->path, m->type->keys[0]);
		return false;
	}
	return true;
}

static bool
load_options(struct map *m, json_t *j, struct buf *err)
{
	char *type = NULL, *delim = NULL;
	bool ok;

	if (!get_text(j, "type", &type, m->path, err) ||
	    !get_text(j, "delimiter", &delim, m->path, err) ||
	    !get_text(j, "timezone", &m->tz, m->path, err) ||
	    !get_text(j, "date_format", &m->date_format, m->path, err) ||
	    !get_text(j, "timestamp_format", &m->timestamp_format, m->path, err)) {
		free(type);
		free(delim);
		return false;
	}
	m->type = schema_type(type ? type : "order");
	m->delim = delim && strcmp(delim, "\\t") == 0 ? '\t' : delim ? delim[0] : ',';
	ok = m->type != NULL &&
	    (!delim || strlen(delim) == 1 || strcmp(delim, "\\t") == 0);
	if (!m->type)
		buf_printf(err, "%s: unknown record type \"%s\"", m->path, type);
	else if (!ok)
		buf_printf(err, "%s: delimiter must be one character", m->path);
	else if (m->tz && !tz_known(m->tz)) {
		buf_printf(err, "%s: unknown time zone \"%s\"", m->path, m->tz);
		ok = false;
	}
	free(type);
	free(delim);
	return ok;
}

struct map *
map_load(const char *path, struct buf *err)
{
	json_error_t jerr;
	json_t *j, *v;
	struct map *m;
	const char *k;

	if (!of_input(path, err))
		return NULL;
	if (!(j = json_load_file(path, JSON_REJECT_DUPLICATES, &jerr))) {
		buf_printf(err, "%s:%d: %s", path, jerr.line, jerr.text);
		return NULL;
	}
	m = xcalloc(1, sizeof *m);
	m->path = xstrdup(path);
	if (!json_is_object(j)) {
		buf_printf(err, "%s: a map is a JSON object", path);
		goto fail;
	}
	json_object_foreach(j, k, v)
		if (!known_key(k, top_keys)) {
			buf_printf(err, "%s: unknown key \"%s\"", path, k);
			goto fail;
		}
	if (!load_options(m, j, err) ||
	    !load_fields(m, json_object_get(j, "fields"), err))
		goto fail;
	json_decref(j);
	return m;
fail:
	json_decref(j);
	map_free(m);
	return NULL;
}

void
map_free(struct map *m)
{
	if (!m)
		return;
	for (size_t i = 0; i < m->nt; i++) {
		free(m->t[i].column);
		free(m->t[i].value);
		free(m->t[i].prefix);
		free(m->t[i].format);
		for (size_t v = 0; v < m->t[i].nvalues; v++) {
			free(m->t[i].from[v]);
			free(m->t[i].to[v]);
		}
		free(m->t[i].from);
		free(m->t[i].to);
	}
	free(m->t);
	free(m->path);
	free(m->tz);
	free(m->date_format);
	free(m->timestamp_format);
	free(m);
}

static bool
map_header(void *ctx, const struct cr_row *h, struct buf *err)
{
	struct map_source *ms = ctx;
	const struct map *m = ms->m;

	ms->index = xcalloc(m->nt ? m->nt : 1, sizeof *ms->index);
	for (size_t i = 0; i < m->nt; i++) {
		ms->index[i] = -1;
		if (!m->t[i].column)
			continue;
		ms->index[i] = cr_header_col(h, m->t[i].column, err);
		if (ms->index[i] == -2)
			return false;
		if (ms->index[i] < 0) {
			buf_printf(err,
			    "column \"%s\" (for %s in %s) is not in the header",
			    m->t[i].column, m->t[i].col->name, m->path);
			return false;
		}
	}
	return true;
}

/* Rewrite a date or timestamp read with a strptime format as ISO text. */
static bool
reformat(const struct map *m, const struct target *t, const char *in, struct buf *out,
    struct buf *err)
{
	const char *fmt = t->format;
	enum fkind kind = t->col->field->kind;
	struct tm tm = {0};
	const char *end;
	int64_t secs;
	char ts[TS_TEXT_MAX];
	enum ts_err e;

	if (!fmt)
		fmt = kind == FK_DATE ? m->date_format : m->timestamp_format;
	if (!fmt || (kind != FK_DATE && kind != FK_TS)) {
		buf_adds(out, in);
		if (kind != FK_TS || !m->tz)
			return true;
		/* An ISO timestamp without an offset is read in the map's zone. */
		e = ts_parse(out->p, out->len, m->tz, &secs);
		if (e == TS_OK) {
			buf_reset(out);
			buf_adds(out, ts_format(secs, ts));
		}
		return true;
	}
	end = strptime(in, fmt, &tm);
	if (!end || *end) {
		buf_printf(err, "%s \"%s\" does not match the format \"%s\"",
		    t->col->name, in, fmt);
		return false;
	}
	if (kind == FK_DATE) {
		buf_printf(
		    out, "%04d-%02d-%02d", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
		return true;
	}
	buf_printf(out, "%04d-%02d-%02dT%02d:%02d:%02d", tm.tm_year + 1900, tm.tm_mon + 1,
	    tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
	if (!m->tz)
		return true;
	if ((e = ts_parse(out->p, out->len, m->tz, &secs)) != TS_OK) {
		buf_printf(err, "%s \"%s\" %s", t->col->name, in, ts_strerror(e));
		return false;
	}
	buf_reset(out);
	buf_adds(out, ts_format(secs, ts));
	return true;
}

static json_t *
child(json_t *parent, const char *name)
{
	json_t *o = json_object_get(parent, name);

	if (!o) {
		o = json_object();
		json_object_set_new(parent, name, o);
	}
	return o;
}

/* A cell through the target's value table: what it stands for, or itself. */
static const char *
translate(const struct target *t, const char *cell)
{
	size_t n = strlen(cell);
	const char *s = trim_span(cell, &n);

	if (!t->nvalues)
		return cell;
	for (size_t i = 0; i < t->nvalues; i++)
		if (strlen(t->from[i]) == n && strncasecmp(t->from[i], s, n) == 0)
			return t->to[i];
	return t->other ? t->other : cell;
}

/* The value a target takes from a cell: translated, prefixed, dates rewritten, JSON parsed. */
static json_t *
target_value(const struct map *m, const struct target *t, const char *cell,
    struct buf *val, struct buf *err)
{
	struct buf jerr = {0};
	json_t *v;

	buf_reset(val);
	if (t->prefix)
		buf_adds(val, t->prefix);
	cell = translate(t, cell);
	if (t->is_service)
		cell = col_service(cell);
	if (!reformat(m, t, cell, val, err))
		return NULL;
	if (t->col->field->kind != FK_JSON)
		return json_string(val->p);
	if (!(v = jp_parse(val->p, val->len, &jerr)))
		buf_printf(err, "%s is not valid JSON: %s", t->col->name, jerr.p);
	buf_free(&jerr);
	return v;
}

static bool
map_convert(void *ctx, const struct cr_row *r, json_t **rec, json_t **row,
    struct buf *key, struct buf *err)
{
	struct map_source *ms = ctx;
	const struct map *m = ms->m;
	struct buf val = {0}, spare = {0};
	bool ok = true;

	*rec = json_object();
	json_object_set_new(*rec, "type", json_string(m->type->name));
	*row = m->type->rows ? json_object() : NULL;
	/* Every target is read, even after an error, so the key is whole. */
	for (size_t i = 0; i < m->nt; i++) {
		const struct target *t = &m->t[i];
		const char *cell = t->value;
		json_t *holder = t->col->in_rows ? *row : *rec, *v;

		if (t->column)
			cell = ms->index[i] < (long)r->n ? r->fields[ms->index[i]] : "";
		if (!*cell)
			continue;
		if (!(v = target_value(m, t, cell, &val, ok ? err : &spare))) {
			ok = false;
			continue;
		}
		if (t->is_key) {
			size_t n = val.len;
			const char *part = trim_span(val.p, &n);

			if (n) { /* trimmed as the value will be */
				buf_addc(key, '\x1f');
				buf_add(key, part, n);
			}
		}
		if (t->col->parent)
			holder = child(holder, t->col->parent->name);
		json_object_set_new(holder, t->col->field->name, v);
	}
	buf_free(&val);
	buf_free(&spare);
	if (ok && m->type->keys[0] && key->len == 0) {
		buf_printf(err, "%s is missing", m->type->keys[0]);
		ok = false;
	}
	return ok && schema_coerce(*rec, m->type, err) &&
	    (!*row ||
		schema_coerce_fields(*row, m->type->rows->sub, m->type->rows->name, err));
}

static void
map_source_free(void *ctx)
{
	struct map_source *ms = ctx;

	free(ms->index);
	free(ms);
}

static const struct grouped_ops map_ops = {
    .header = map_header,
    .convert = map_convert,
    .free_ctx = map_source_free,
    .rows_name = "lines",
};

struct source *
map_open(const struct map *m, const char *path, struct buf *err)
{
	struct source opened = {0};
	struct map_source *ms;

	if (!source_open_file(&opened, path, err))
		return NULL;
	/* Records already in oms form can come in the same run. */
	if (rfmt_detect(&opened) == FMT_NDJSON)
		return rr_from(&opened, FMT_NDJSON, err);
	ms = xcalloc(1, sizeof *ms);
	ms->m = m;
	return grouped_from(&opened, m->delim, &map_ops, ms, err);
}
