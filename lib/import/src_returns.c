/* src_returns.c: a returns portal's detailed returns CSV (Loop's fields, flattened) as return_request records. */
#include "adapter.h"

#include <stdlib.h>
#include <string.h>

#include "csvcols.h"
#include "date.h"
#include "schema.h"

/*
 * No portal publishes a CSV header, so the export read here is our own
 * flattening of Loop's documented "detailed returns" object: one row per
 * returned line item, the return's fields repeated on each, the line
 * item's fields prefixed "line_items.":
 *
 *   id,order_name,state,created_at,outcome,currency,line_items.sku,
 *   line_items.quantity,line_items.return_reason,
 *   line_items.parent_return_reason,line_items.return_comment,
 *   line_items.exchange_variant (the SKU wanted in exchange)
 *
 * Rows with the same id are one return_request: return_id "returns:<id>",
 * channel_order_id order_name, source shopify (Loop serves Shopify stores),
 * requested_at created_at in UTC, extras state, outcome and currency; a
 * line per row: sku, qty, reason (a code, below), reason_text (the reason
 * as written, or its parent's when it has none), exchange_sku, and the
 * extras parent_reason_text and comment. A file without the quantity
 * column (Loop's detailed returns list itself) has one row per returned
 * unit: each row is a line of qty 1, two units of one SKU two lines.
 */
enum col {
	C_ID,
	C_ORDER,
	C_STATE,
	C_CREATED,
	C_OUTCOME,
	C_CURRENCY,
	C_SKU,
	C_QTY,
	C_REASON,
	C_PARENT,
	C_COMMENT,
	C_EXCHANGE,
	NCOLS
};

static const char *const col_names[NCOLS] = {
    [C_ID] = "id",
    [C_ORDER] = "order_name",
    [C_STATE] = "state",
    [C_CREATED] = "created_at",
    [C_OUTCOME] = "outcome",
    [C_CURRENCY] = "currency",
    [C_SKU] = "line_items.sku",
    [C_QTY] = "line_items.quantity",
    [C_REASON] = "line_items.return_reason",
    [C_PARENT] = "line_items.parent_return_reason",
    [C_COMMENT] = "line_items.return_comment",
    [C_EXCHANGE] = "line_items.exchange_variant",
};

/*
 * Merchants write their own reasons, so they are matched by phrases, in
 * this order, the first match deciding: a phrase matches at the start of a
 * word, in any ASCII case ("stain" finds "Stained" but not "sustainable").
 * Specific complaints come before general ones: "took too long" is late, not
 * too long; "ordered multiple sizes" is a change of mind, not a fit; "didn't
 * like the fit" is a fit but "didn't like it" a change of mind.
 */
static const struct {
	const char *code;
	const char *phrases[24];
} reasons[] = {
    {"wrong_item",
	{"wrong item", "received the wrong", "received wrong", "sent the wrong",
	    "sent wrong", "wrong product", "incorrect item", "not what i ordered",
	    "not the item i ordered", NULL}},
    {"damaged",
	{"damaged", "defective", "broken", "torn", "ripped", "stain", "hole",
	    "arrived dirty", NULL}},
    {"quality",
	{"quality", "pilling", "pilled", "came apart", "fell apart", "seam", "unravel",
	    "shrank", "shrunk", "faded", "cheaply made", "feels cheap", "looks cheap",
	    NULL}},
    {"late",
	{"too late", "arrived late", "late delivery", "took too long", "delayed",
	    "arrived after", "shipping took", NULL}},
    {"too_small",
	{"too small", "runs small", "run small", "too tight", "too short", "size up",
	    "smaller than", NULL}},
    {"too_large",
	{"too large", "too big", "runs large", "run large", "runs big", "too loose",
	    "too long", "size down", "larger than", "bigger than", NULL}},
    {"changed_mind", {"multiple sizes", "ordered multiple", "bracket", NULL}},
    {"fit_other",
	{"didn't fit", "did not fit", "doesn't fit", "does not fit", "fit", "wrong size",
	    "size", "shoulder", "hips", "rise", "inseam", "waist", NULL}},
    {"not_as_pictured",
	{"not as pictured", "not as described", "not as expected", "not what i expected",
	    "different than", "different from", "looks different", "pictured",
	    "described", "photo", NULL}},
    {"changed_mind",
	{"changed my mind", "changed their mind", "changed mind", "change of mind",
	    "no longer", "don't need", "didn't need", "didn't like", "didnt like",
	    "did not like", "don't like", "dont like", "like another", "style", "gift",
	    "unwanted", "not needed", "found a better", "found it cheaper", NULL}},
    {"not_as_pictured", {"color", "colour", "material", "fabric", NULL}},
};

struct returns {
	const char *tz;
	long col[NCOLS];
	size_t ncols;
};

static bool
sniff(const char *head, size_t n)
{
	/* id groups the rows into returns: a header without it is not claimed. */
	return col_in_header(head, n, col_names[C_ID]) &&
	    col_in_header(head, n, col_names[C_ORDER]) &&
	    (col_in_header(head, n, col_names[C_REASON]) ||
		col_in_header(head, n, col_names[C_SKU]));
}

static bool
ret_header(void *ctx, const struct cr_row *h, struct buf *err)
{
	struct returns *rs = ctx;

	if (!col_find_all(h, col_names, NCOLS, rs->col, err))
		return false;
	rs->ncols = h->n;
	if (rs->col[C_ID] < 0) {
		buf_adds(err, "not a detailed returns export: no \"id\" column");
		return false;
	}
	return true;
}

/* Lower-case ASCII, with the typographic apostrophe (U+2019) as '. */
static void
fold(const char *s, struct buf *out)
{
	buf_adds(out, "");
	for (; *s; s++) {
		if (strncmp(s, "\xE2\x80\x99", 3) == 0) {
			buf_addc(out, '\'');
			s += 2;
		} else {
			buf_addc(
			    out, *s >= 'A' && *s <= 'Z' ? (char)(*s - 'A' + 'a') : *s);
		}
	}
}

static bool
word_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
	    (unsigned char)c >= 0x80;
}

/* Whether phrase begins a word of text (both folded). */
static bool
has_phrase(const char *text, const char *phrase)
{
	size_t k = strlen(phrase);

	if (k == 0)
		return false;
	for (const char *p = text; (p = strstr(p, phrase)); p++)
		if (p == text || !word_char(p[-1]))
			return true;
	return false;
}

/* The canonical code for a merchant's reason text, or NULL when none fits. */
static const char *
reason_code(const char *text)
{
	struct buf f = {0};
	const char *code = NULL;

	fold(text, &f);
	for (size_t i = 0; !code && i < sizeof reasons / sizeof reasons[0]; i++)
		for (const char *const *ph = reasons[i].phrases; *ph; ph++)
			if (has_phrase(f.p, *ph)) {
				code = reasons[i].code;
				break;
			}
	buf_free(&f);
	return code;
}

/*
 * A line's reason: from the reason the customer picked, else from its
 * parent in the merchant's tree ("Other" under "Didn't fit"), else other.
 */
static void
line_reason(const struct returns *rs, const struct cr_row *r, json_t *row)
{
	const char *child = col_cell(r, rs->col[C_REASON]);
	const char *parent = col_cell(r, rs->col[C_PARENT]), *code;

	if (!(code = reason_code(child)) && !(code = reason_code(parent)))
		code = "other";
	if (col_has(r, rs->col[C_REASON]) || col_has(r, rs->col[C_PARENT]))
		json_object_set_new(row, "reason", json_string(code));
	col_put(row, NULL, "reason_text", col_has(r, rs->col[C_REASON]) ? child : parent);
}

/* created_at in UTC; Loop writes it with Z, anything else is read in --tz. */
static bool
requested_at(const struct returns *rs, const char *s, json_t *rec, struct buf *err)
{
	char out[TS_TEXT_MAX];
	int64_t secs;
	enum ts_err e;

	if (!*s)
		return true;
	if ((e = ts_parse(s, strlen(s), rs->tz, &secs)) != TS_OK) {
		buf_printf(err, "created_at \"%s\" %s", s, ts_strerror(e));
		return false;
	}
	json_object_set_new(rec, "requested_at", json_string(ts_format(secs, out)));
	return true;
}

static bool
ret_convert(void *ctx, const struct cr_row *r, json_t **rec, json_t **row,
    struct buf *key, struct buf *err)
{
	struct returns *rs = ctx;
	struct buf id = {0};
	const struct rtype *t = schema_type("return_request");

	col_key_add(key, col_cell(r, rs->col[C_ID]));
	*rec = json_object();
	*row = json_object();
	if (key->len == 0) {
		/* Every row repeats its return's id: one without is a reject of its own. */
		buf_printf(key, "\x1eline %ld", r->line);
		buf_adds(err, "id is missing");
		return false;
	}
	if (r->n != rs->ncols) {
		buf_printf(
		    err, "row has %zu fields, the header has %zu", r->n, rs->ncols);
		return false;
	}
	json_object_set_new(*rec, "type", json_string("return_request"));
	buf_printf(&id, "returns:%.*s", (int)key->len, key->p);
	json_object_set_new(*rec, "return_id", json_string(id.p));
	buf_free(&id);
	col_put(*rec, NULL, "channel_order_id", col_cell(r, rs->col[C_ORDER]));
	/* Loop serves Shopify stores: order_name is a Shopify order's name. */
	json_object_set_new(*rec, "source", json_string("shopify"));
	col_put(*rec, NULL, "state", col_cell(r, rs->col[C_STATE]));
	col_put(*rec, NULL, "outcome", col_cell(r, rs->col[C_OUTCOME]));
	col_put(*rec, NULL, "currency", col_cell(r, rs->col[C_CURRENCY]));
	if (!requested_at(rs, col_cell(r, rs->col[C_CREATED]), *rec, err))
		return false;
	col_put(*row, NULL, "sku", col_cell(r, rs->col[C_SKU]));
	if (!col_whole_number(col_cell(r, rs->col[C_QTY]))) {
		buf_printf(err, "%s \"%s\" is not a whole number", col_names[C_QTY],
		    col_cell(r, rs->col[C_QTY]));
		return false;
	}
	/*
	 * Loop's own list has no quantity: each of its rows is one returned
	 * unit, and stays a line of its own (each unit has its own reason).
	 */
	col_put(
	    *row, NULL, "qty", rs->col[C_QTY] < 0 ? "1" : col_cell(r, rs->col[C_QTY]));
	line_reason(rs, r, *row);
	if (col_has(r, rs->col[C_REASON]))
		col_put(*row, NULL, "parent_reason_text", col_cell(r, rs->col[C_PARENT]));
	col_put(*row, NULL, "comment", col_cell(r, rs->col[C_COMMENT]));
	col_put(*row, NULL, "exchange_sku", col_cell(r, rs->col[C_EXCHANGE]));
	return schema_coerce(*rec, t, err) &&
	    schema_coerce_fields(*row, t->rows->sub, "lines", err);
}

static const struct grouped_ops ret_ops = {
    .header = ret_header,
    .convert = ret_convert,
    .free_ctx = free, /* nothing inside it is owned */
    .rows_name = "lines",
};

static struct source *
open_returns(struct source *opened, const struct import_opts *o, struct buf *err)
{
	struct returns *rs = xcalloc(1, sizeof *rs);

	rs->tz = o ? o->tz : NULL;
	return grouped_from(opened, ',', &ret_ops, rs, err);
}

const struct adapter adapter_returns = {
    "returns",
    "returns portal detailed returns export (CSV, Loop's fields): return requests",
    sniff,
    open_returns,
};
