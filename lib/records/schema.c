/* schema.c: the one table of record fields every reader, writer and check works from. */
#include "schema.h"

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "json.h"

/* A field with its name's length, so lookups need no strlen. */
#define F(name, kind, sub)                                                               \
	{                                                                                \
		name, sizeof(name) - 1, kind, sub                                        \
	}

static const struct field customer_f[] = {
    F("id", FK_STR, NULL),
    F("email", FK_STR, NULL),
    F("name", FK_STR, NULL),
    F("company", FK_STR, NULL),
    {NULL, 0, 0, NULL},
};

static const struct field address_f[] = {
    F("name", FK_STR, NULL),
    F("company", FK_STR, NULL),
    F("line1", FK_STR, NULL),
    F("line2", FK_STR, NULL),
    F("city", FK_STR, NULL),
    F("region", FK_STR, NULL),
    F("postal_code", FK_STR, NULL),
    F("country", FK_STR, NULL),
    F("phone", FK_STR, NULL),
    {NULL, 0, 0, NULL},
};

static const struct field payment_f[] = {
    F("status", FK_STR, NULL),
    F("terms", FK_STR, NULL),
    {NULL, 0, 0, NULL},
};

static const struct field totals_f[] = {
    F("subtotal", FK_MONEY, NULL),
    F("discount", FK_MONEY, NULL),
    F("shipping", FK_MONEY, NULL),
    F("tax", FK_MONEY, NULL),
    F("total", FK_MONEY, NULL),
    {NULL, 0, 0, NULL},
};

static const struct field allocation_f[] = {
    F("status", FK_STR, NULL),
    F("reason", FK_STR, NULL),
    F("tracked", FK_JSON, NULL),
    F("trace", FK_JSON, NULL),
    {NULL, 0, 0, NULL},
};

static const struct field order_line_f[] = {
    F("line_id", FK_STR, NULL),
    F("sku", FK_STR, NULL),
    F("title", FK_STR, NULL),
    F("style", FK_STR, NULL),
    F("color", FK_STR, NULL),
    F("size", FK_STR, NULL),
    F("upc", FK_STR, NULL),
    F("qty", FK_INT, NULL),
    F("unit_price", FK_MONEY, NULL),
    F("discount", FK_MONEY, NULL),
    F("tax", FK_MONEY, NULL),
    F("preorder", FK_BOOL, NULL),
    F("requires_shipping", FK_BOOL, NULL),
    F("cancelled", FK_BOOL, NULL),
    F("case_pack", FK_INT, NULL),
    F("distribution", FK_JSON, NULL),
    F("allocated", FK_JSON, NULL),
    F("backordered", FK_INT, NULL),
    F("case_remainder", FK_INT, NULL),
    F("shipped", FK_INT, NULL),
    F("returned", FK_INT, NULL),
    {NULL, 0, 0, NULL},
};

static const struct field order_f[] = {
    F("order_id", FK_STR, NULL),
    F("channel", FK_STR, NULL),
    F("source", FK_STR, NULL),
    F("channel_order_id", FK_STR, NULL),
    F("global_id", FK_STR, NULL),
    F("status", FK_STR, NULL),
    F("customer", FK_OBJ, customer_f),
    F("placed_at", FK_TS, NULL),
    F("ship_by", FK_DATE, NULL),
    F("start_ship", FK_DATE, NULL),
    F("cancel_after", FK_DATE, NULL),
    F("priority", FK_INT, NULL),
    F("ship_complete", FK_BOOL, NULL),
    F("service", FK_STR, NULL),
    F("ship_to", FK_OBJ, address_f),
    F("currency", FK_STR, NULL),
    F("payment", FK_OBJ, payment_f),
    F("totals", FK_OBJ, totals_f),
    F("allocation", FK_OBJ, allocation_f),
    F("lines", FK_ROWS, order_line_f),
    {NULL, 0, 0, NULL},
};

static const struct field tracking_line_f[] = {
    F("line_id", FK_STR, NULL),
    F("sku", FK_STR, NULL),
    F("qty", FK_INT, NULL),
    {NULL, 0, 0, NULL},
};

static const struct field tracking_f[] = {
    F("order_id", FK_STR, NULL),
    F("channel_order_id", FK_STR, NULL),
    F("source", FK_STR, NULL),
    F("shipment_id", FK_STR, NULL),
    F("location", FK_STR, NULL),
    F("carrier", FK_STR, NULL),
    F("tracking_number", FK_STR, NULL),
    F("shipped_at", FK_TS, NULL),
    F("lines", FK_ROWS, tracking_line_f),
    {NULL, 0, 0, NULL},
};

static const struct field return_request_line_f[] = {
    F("line_id", FK_STR, NULL),
    F("sku", FK_STR, NULL),
    F("qty", FK_INT, NULL),
    F("reason", FK_STR, NULL),
    F("reason_text", FK_STR, NULL),
    F("condition", FK_STR, NULL),
    F("exchange_sku", FK_STR, NULL),
    {NULL, 0, 0, NULL},
};

static const struct field return_request_f[] = {
    F("return_id", FK_STR, NULL),
    F("order_id", FK_STR, NULL),
    F("channel_order_id", FK_STR, NULL),
    F("source", FK_STR, NULL),
    F("requested_at", FK_TS, NULL),
    F("received_at", FK_TS, NULL),
    F("location", FK_STR, NULL),
    F("lines", FK_ROWS, return_request_line_f),
    {NULL, 0, 0, NULL},
};

static const struct field shipment_line_f[] = {
    F("line_id", FK_STR, NULL),
    F("sku", FK_STR, NULL),
    F("qty", FK_INT, NULL),
    {NULL, 0, 0, NULL},
};

static const struct field shipment_f[] = {
    F("shipment_id", FK_STR, NULL),
    F("order_id", FK_STR, NULL),
    F("channel", FK_STR, NULL),
    F("location", FK_STR, NULL),
    F("service", FK_STR, NULL),
    F("ship_by", FK_DATE, NULL),
    F("ship_to", FK_OBJ, address_f),
    F("seq", FK_INT, NULL),
    F("of", FK_INT, NULL),
    F("status", FK_STR, NULL),
    F("reason", FK_STR, NULL),
    F("carrier", FK_STR, NULL),
    F("tracking_number", FK_STR, NULL),
    F("tracking_url", FK_STR, NULL),
    F("shipped_at", FK_TS, NULL),
    F("units", FK_INT, NULL),
    F("currency", FK_STR, NULL),
    F("value", FK_MONEY, NULL),
    F("lines", FK_ROWS, shipment_line_f),
    {NULL, 0, 0, NULL},
};

static const struct field backorder_f[] = {
    F("order_id", FK_STR, NULL),
    F("line_id", FK_STR, NULL),
    F("sku", FK_STR, NULL),
    F("qty", FK_INT, NULL),
    F("kind", FK_STR, NULL),
    F("eta", FK_DATE, NULL),
    F("supply", FK_JSON, NULL),
    F("at_risk", FK_BOOL, NULL),
    F("reason", FK_STR, NULL),
    F("not_yet", FK_BOOL, NULL),
    {NULL, 0, 0, NULL},
};

static const struct field return_line_f[] = {
    F("line_id", FK_STR, NULL),
    F("sku", FK_STR, NULL),
    F("qty", FK_INT, NULL),
    F("reason", FK_STR, NULL),
    F("condition", FK_STR, NULL),
    F("disposition", FK_STR, NULL),
    F("refund", FK_MONEY, NULL),
    {NULL, 0, 0, NULL},
};

static const struct field return_f[] = {
    F("return_id", FK_STR, NULL),
    F("order_id", FK_STR, NULL),
    F("currency", FK_STR, NULL),
    F("refund_total", FK_MONEY, NULL),
    F("location", FK_STR, NULL),
    F("exchange_order_id", FK_STR, NULL),
    F("lines", FK_ROWS, return_line_f),
    {NULL, 0, 0, NULL},
};

static const struct field adjustment_f[] = {
    F("location", FK_STR, NULL),
    F("sku", FK_STR, NULL),
    F("delta", FK_INT, NULL),
    F("reason", FK_STR, NULL),
    F("ref", FK_STR, NULL),
    {NULL, 0, 0, NULL},
};

static const struct field notice_f[] = {
    F("order_id", FK_STR, NULL),
    F("shipment_id", FK_STR, NULL),
    F("customer", FK_OBJ, customer_f),
    F("kind", FK_STR, NULL),
    F("eta", FK_DATE, NULL),
    F("text", FK_STR, NULL),
    {NULL, 0, 0, NULL},
};

static const char *const order_keys[] = {"order_id", NULL};
static const char *const tracking_keys[] = {
    "order_id",
    "channel_order_id",
    "source",
    "shipment_id",
    "tracking_number",
    NULL,
};
static const char *const return_keys[] = {"return_id", NULL};
static const char *const shipment_keys[] = {"shipment_id", NULL};
static const char *const no_keys[] = {NULL};

static struct rtype types[] = {
    {"order", order_f, order_keys, NULL, NULL, 0},
    {"tracking", tracking_f, tracking_keys, NULL, NULL, 0},
    {"return_request", return_request_f, return_keys, NULL, NULL, 0},
    {"shipment", shipment_f, shipment_keys, NULL, NULL, 0},
    {"backorder", backorder_f, no_keys, NULL, NULL, 0},
    {"return", return_f, return_keys, NULL, NULL, 0},
    {"adjustment", adjustment_f, no_keys, NULL, NULL, 0},
    {"notice", notice_f, no_keys, NULL, NULL, 0},
};

#define NTYPES (sizeof types / sizeof types[0])

struct rtype *
schema_type(const char *name)
{
	for (size_t i = 0; i < NTYPES; i++) {
		struct rtype *t = &types[i];

		if (strcmp(t->name, name) != 0)
			continue;
		for (const struct field *f = t->fields; !t->rows && f->name; f++)
			if (f->kind == FK_ROWS)
				t->rows = f;
		return t;
	}
	return NULL;
}

/*
 * Fields found by name through a small hash table per field list, built on
 * first use: coercing and writing look up every key of every record, and a
 * scan of the list (or a jansson lookup of every field) costs several times
 * more.
 */
struct field_index {
	const struct field *fields;
	const struct field **slots; /* open addressing; NULL is empty */
	size_t mask;
};

static struct field_index **indexes;
static size_t nindexes;
static const struct field_index *last_index; /* lookups come in runs on one list */

/*
 * A field name's place in an index: its length and three of its bytes tell
 * the few dozen names of a list apart well enough, at a fraction of the
 * cost of hashing every byte (this runs for every key of every record).
 */
static size_t
name_hash(const char *name, size_t len)
{
	if (len == 0)
		return 0;
	return len * 0x9E37u ^ (unsigned char)name[0] * 0x2F1u ^
	    (unsigned char)name[len - 1] * 0x61u ^ (unsigned char)name[len / 2] * 7u;
}

static const struct field_index *
index_of(const struct field *fields)
{
	struct field_index *ix;
	size_t n = 0, cap = 8;

	if (last_index && last_index->fields == fields)
		return last_index;
	for (size_t i = 0; i < nindexes; i++)
		if (indexes[i]->fields == fields)
			return last_index = indexes[i];
	for (const struct field *f = fields; f->name; f++)
		n++;
	while (cap < 2 * n)
		cap *= 2;
	ix = xcalloc(1, sizeof *ix);
	ix->fields = fields;
	ix->mask = cap - 1;
	ix->slots = xcalloc(cap, sizeof *ix->slots);
	for (const struct field *f = fields; f->name; f++) {
		size_t at = name_hash(f->name, f->len) & ix->mask;

		while (ix->slots[at])
			at = (at + 1) & ix->mask;
		ix->slots[at] = f;
	}
	indexes = xrealloc(indexes, (nindexes + 1) * sizeof *indexes);
	indexes[nindexes++] = ix;
	return last_index = ix;
}

const struct field *
schema_fieldn(const struct field *fields, const char *name, size_t len)
{
	const struct field_index *ix = index_of(fields);
	const struct field *f;

	for (size_t at = name_hash(name, len) & ix->mask; (f = ix->slots[at]);
	     at = (at + 1) & ix->mask)
		if (f->len == len && memcmp(f->name, name, len) == 0)
			return f;
	return NULL;
}

const struct field *
schema_field(const struct field *fields, const char *name)
{
	return schema_fieldn(fields, name, strlen(name));
}

static void
add_column(struct rtype *t, size_t *cap, const char *prefix, const char *name,
    const struct field *f, const struct field *parent, bool in_rows)
{
	struct column *c;
	struct buf b = {0};

	t->columns = xgrow(t->columns, cap, t->ncolumns + 1, sizeof *t->columns, 32);
	buf_adds(&b, prefix);
	buf_adds(&b, name);
	c = &t->columns[t->ncolumns++];
	c->name = b.p;
	c->field = f;
	c->parent = parent;
	c->in_rows = in_rows;
}

/* Columns of a field list: objects flattened with dots, rows prefixed. */
static void
add_fields(struct rtype *t, size_t *cap, const struct field *fields, const char *prefix,
    bool in_rows)
{
	for (const struct field *f = fields; f->name; f++) {
		if (f->kind == FK_ROWS) {
			t->rows = f;
			continue;
		}
		if (f->kind != FK_OBJ) {
			add_column(t, cap, prefix, f->name, f, NULL, in_rows);
			continue;
		}
		for (const struct field *s = f->sub; s->name; s++) {
			struct buf p = {0};

			buf_printf(&p, "%s%s.", prefix, f->name);
			add_column(t, cap, p.p, s->name, s, f, in_rows);
			buf_free(&p);
		}
	}
}

const struct column *
schema_columns(struct rtype *t, size_t *n)
{
	if (!t->columns) {
		size_t cap = 0;

		add_column(t, &cap, "", "type", NULL, NULL, false);
		add_fields(t, &cap, t->fields, "", false);
		if (t->rows) {
			struct buf p = {0};

			buf_printf(&p, "%s.", t->rows->name);
			add_fields(t, &cap, t->rows->sub, p.p, true);
			add_column(t, &cap, p.p, "extra", NULL, NULL, true);
			buf_free(&p);
		}
		add_column(t, &cap, "", "extra", NULL, NULL, false);
	}
	*n = t->ncolumns;
	return t->columns;
}

void
schema_free(void)
{
	for (size_t i = 0; i < NTYPES; i++) {
		for (size_t c = 0; c < types[i].ncolumns; c++)
			free(types[i].columns[c].name);
		free(types[i].columns);
		types[i].columns = NULL;
		types[i].ncolumns = 0;
	}
	for (size_t i = 0; i < nindexes; i++) {
		free(indexes[i]->slots);
		free(indexes[i]);
	}
	free(indexes);
	indexes = NULL;
	nindexes = 0;
	last_index = NULL;
}

/* Parse a whole number written as text; false unless all of s is one. */
static bool
parse_int(const char *s, json_int_t *v)
{
	char *end;
	long long x;

	if (!*s || (s[0] != '-' && s[0] != '+' && (s[0] < '0' || s[0] > '9')))
		return false;
	errno = 0;
	x = strtoll(s, &end, 10);
	if (errno || *end)
		return false;
	*v = x;
	return true;
}

/*
 * Where a value sits, for messages only: a chain from the value up to the
 * record, turned into text ("lines[2].qty") only when something is wrong.
 */
struct path {
	const struct path *up;
	const char *name;
	size_t index; /* from 1 within an array; 0 for an object member */
};

static void
path_text(const struct path *p, struct buf *out)
{
	if (!p)
		return;
	path_text(p->up, out);
	if (p->up)
		buf_addc(out, '.');
	buf_adds(out, p->name);
	if (p->index)
		buf_printf(out, "[%zu]", p->index);
}

/* Say what is wrong with the value v at p. */
static void
describe(struct buf *err, const struct path *p, const json_t *v, const char *what)
{
	buf_reset(err);
	path_text(p, err);
	buf_addc(err, ' ');
	jw_value(err, v);
	buf_printf(err, " %s", what);
}

static json_t *
integer_text(const json_t *v)
{
	char tmp[32];

	snprintf(tmp, sizeof tmp, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
	return json_string(tmp);
}

static bool coerce_object(
    json_t *obj, const struct field *fields, const struct path *up, struct buf *err);

/* Text without white space at either end; NULL when it has none to lose. */
static json_t *
trimmed(const json_t *v)
{
	const char *s = json_string_value(v);
	size_t n = json_string_length(v), a = 0;

	if (n == 0 ||
	    (!isspace((unsigned char)s[0]) && !isspace((unsigned char)s[n - 1])))
		return NULL;
	while (a < n && isspace((unsigned char)s[a]))
		a++;
	while (n > a && isspace((unsigned char)s[n - 1]))
		n--;
	return json_stringn_nocheck(s + a, n - a);
}

static bool
coerce_rows(json_t *v, const struct field *f, const struct path *at, struct buf *err)
{
	for (size_t i = 0; i < json_array_size(v); i++) {
		json_t *row = json_array_get(v, i);
		struct path p = {at->up, f->name, i + 1};

		if (!json_is_object(row)) {
			describe(err, &p, row, "is not an object");
			return false;
		}
		if (!coerce_object(row, f->sub, &p, err))
			return false;
	}
	return true;
}

/*
 * Bring one value to its kind. *replace is set to a new value when it must
 * be swapped, *drop when it is empty and must go.
 */
static bool
coerce_value(const struct field *f, json_t *v, const struct path *at, json_t **replace,
    bool *drop, struct buf *err)
{
	json_int_t n;

	*replace = NULL;
	*drop = json_is_null(v) || (json_is_string(v) && json_string_length(v) == 0);
	if (*drop)
		return true;
	switch (f->kind) {
	case FK_STR:
		if (json_is_integer(v))
			*replace = integer_text(v);
		else if (!json_is_string(v))
			break;
		else if ((*replace = trimmed(v)) && json_string_length(*replace) == 0)
			*drop = true;
		return true;
	case FK_INT:
		if (json_is_integer(v))
			return true;
		if (json_is_string(v) && parse_int(json_string_value(v), &n)) {
			*replace = json_integer(n);
			return true;
		}
		describe(err, at, v, "is not a whole number");
		return false;
	case FK_BOOL:
		if (json_is_boolean(v))
			return true;
		if (json_is_string(v)) {
			const char *s = json_string_value(v);

			if (strcasecmp(s, "true") == 0 || strcmp(s, "1") == 0)
				*replace = json_true();
			else if (strcasecmp(s, "false") == 0 || strcmp(s, "0") == 0)
				*replace = json_false();
			if (*replace)
				return true;
		}
		describe(err, at, v, "is not true or false");
		return false;
	case FK_MONEY:
		if (json_is_integer(v))
			*replace = integer_text(v);
		else if (!json_is_string(v)) {
			describe(err, at, v,
			    "is not money: write it as a decimal string such as "
			    "\"24.50\"");
			return false;
		}
		return true;
	case FK_DATE:
	case FK_TS:
		if (json_is_string(v))
			return true;
		break;
	case FK_OBJ:
		if (!json_is_object(v)) {
			describe(err, at, v, "is not an object");
			return false;
		}
		if (!coerce_object(v, f->sub, at, err))
			return false;
		*drop = json_object_size(v) == 0;
		return true;
	case FK_ROWS:
		if (!json_is_array(v)) {
			describe(err, at, v, "is not an array");
			return false;
		}
		if (!coerce_rows(v, f, at, err))
			return false;
		*drop = json_array_size(v) == 0;
		return true;
	case FK_JSON:
		return true;
	}
	describe(err, at, v, "is not text");
	return false;
}

/*
 * The members of obj are visited, not the fields of the list: a record has
 * few of the fields its type allows. The first error is therefore the
 * first bad member in the record's own order.
 */
static bool
coerce_object(
    json_t *obj, const struct field *fields, const struct path *up, struct buf *err)
{
	const char *key;
	size_t len;
	json_t *v, *replace;
	void *next;

	json_object_keylen_foreach_safe(obj, next, key, len, v)
	{
		const struct field *f = schema_fieldn(fields, key, len);
		struct path at = {up, key, 0};
		bool drop;

		if (!f)
			continue;
		if (!coerce_value(f, v, &at, &replace, &drop, err))
			return false;
		if (drop) {
			json_decref(replace);
			json_object_deln(obj, f->name, f->len);
		} else if (replace) {
			json_object_setn_new_nocheck(obj, f->name, f->len, replace);
		}
	}
	return true;
}

bool
schema_coerce_fields(
    json_t *obj, const struct field *fields, const char *prefix, struct buf *err)
{
	struct path top = {NULL, prefix, 0};

	return coerce_object(obj, fields, prefix && *prefix ? &top : NULL, err);
}

bool
schema_coerce(json_t *rec, const struct rtype *t, struct buf *err)
{
	return coerce_object(rec, t->fields, NULL, err);
}

bool
schema_line_idle(const json_t *line)
{
	return json_is_true(json_object_get(line, "cancelled")) ||
	    json_is_false(json_object_get(line, "requires_shipping"));
}
