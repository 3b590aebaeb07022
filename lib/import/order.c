/* order.c: what makes an order usable, and its one normal form. */
#include "order.h"

#include <ctype.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "codes.h"
#include "date.h"
#include "money.h"
#include "schema.h"
#include "strmap.h"
#include "window.h"

static const char *const channels[] = {"dtc", "marketplace", "wholesale", "b2b", NULL};
static const char *const statuses[] = {"open", "cancelled", "closed", NULL};

static bool
one_of(const char *s, const char *const *list)
{
	for (; *list; list++)
		if (strcmp(s, *list) == 0)
			return true;
	return false;
}

bool
order_channel_known(const char *name)
{
	return one_of(name, channels);
}

static void
set_case(json_t *obj, const char *key, int (*conv)(int))
{
	json_t *v = json_object_get(obj, key);
	const char *p;
	char *s;

	if (!json_is_string(v))
		return;
	for (p = json_string_value(v); *p && conv((unsigned char)*p) == *p; p++)
		;
	if (!*p)
		return; /* already in that case: nothing to allocate */
	s = xstrdup(json_string_value(v));
	for (char *q = s; *q; q++)
		*q = (char)conv((unsigned char)*q);
	json_string_set_nocheck(v, s);
	free(s);
}

/* Replace a text value only when it changes. */
static void
set_text(json_t *obj, const char *key, json_t *v, const char *text)
{
	if (strcmp(json_string_value(v), text) != 0)
		json_object_set_new(obj, key, json_string(text));
}

static bool
check_ts(json_t *obj, const char *key, const struct order_norm *opt, struct buf *err)
{
	json_t *v = json_object_get(obj, key);
	char out[TS_TEXT_MAX];
	int64_t secs;
	enum ts_err e;

	if (!v)
		return true;
	e = ts_parse(json_string_value(v), json_string_length(v), opt->tz, &secs);
	if (e != TS_OK) {
		buf_printf(
		    err, "%s \"%s\" %s", key, json_string_value(v), ts_strerror(e));
		return false;
	}
	set_text(obj, key, v, ts_format(secs, out));
	return true;
}

static bool
check_date(json_t *obj, const char *key, int32_t *days, struct buf *err)
{
	json_t *v = json_object_get(obj, key);
	enum ts_err e;

	if (!v)
		return true;
	e = date_parse(json_string_value(v), json_string_length(v), days);
	if (e != TS_OK) {
		buf_printf(err, "%s \"%s\" %s", key, json_string_value(v),
		    e == TS_SYNTAX ? "is not a date (YYYY-MM-DD)" : ts_strerror(e));
		return false;
	}
	return true;
}

/*
 * Rewrite a money field in the currency's digits; it must not be negative.
 * Messages name it as prefix[index].key, or prefix.key when index is 0.
 */
static bool
check_money(json_t *obj, const char *key, const char *prefix, size_t index, int digits,
    struct buf *err)
{
	json_t *v = json_object_get(obj, key);
	char out[MONEY_TEXT_MAX];
	enum money_err e;
	int64_t m;

	if (!v)
		return true;
	e = money_parse(json_string_value(v), json_string_length(v), digits, &m);
	if (e == MONEY_OK && m >= 0) {
		set_text(obj, key, v, money_format(m, digits, out));
		return true;
	}
	if (index)
		buf_printf(err, "%s[%zu].%s", prefix, index, key);
	else
		buf_printf(err, "%s.%s", prefix, key);
	buf_printf(err, " \"%s\" %s", json_string_value(v),
	    e != MONEY_OK ? money_strerror(e, digits) : "is negative");
	return false;
}

static bool
has_money(json_t *order)
{
	json_t *lines = json_object_get(order, "lines"), *line;
	size_t i;

	if (json_object_get(order, "totals"))
		return true;
	json_array_foreach(lines, i, line)
		if (json_object_get(line, "unit_price") ||
		    json_object_get(line, "discount") || json_object_get(line, "tax"))
			return true;
	return false;
}

static bool
check_header(json_t *o, const struct order_norm *opt, struct buf *err)
{
	json_t *v;
	struct ship_window w = {WINDOW_NO_DAY, WINDOW_NO_DAY, WINDOW_NO_DAY, 0};

	if (!json_is_string(json_object_get(o, "order_id"))) {
		buf_adds(err, "order_id is missing");
		return false;
	}
	set_case(o, "channel", tolower);
	v = json_object_get(o, "channel");
	if (!v || !order_channel_known(json_string_value(v))) {
		buf_printf(err,
		    "channel \"%s\" is not dtc, marketplace, wholesale or b2b",
		    v ? json_string_value(v) : "");
		return false;
	}
	set_case(o, "status", tolower);
	v = json_object_get(o, "status");
	if (v && strcmp(json_string_value(v), "canceled") == 0)
		json_object_set_new(o, "status", json_string("cancelled"));
	else if (!v)
		json_object_set_new(o, "status", json_string("open"));
	v = json_object_get(o, "status");
	if (!one_of(json_string_value(v), statuses)) {
		buf_printf(err, "status \"%s\" is not open, cancelled or closed",
		    json_string_value(v));
		return false;
	}
	if (!check_ts(o, "placed_at", opt, err) ||
	    !check_date(o, "ship_by", &w.ship_by, err) ||
	    !check_date(o, "start_ship", &w.start_ship, err) ||
	    !check_date(o, "cancel_after", &w.cancel_after, err))
		return false;
	if (window_empty(&w)) {
		buf_printf(err,
		    "ship window is empty: start_ship %s is after cancel_after %s",
		    json_string_value(json_object_get(o, "start_ship")),
		    json_string_value(json_object_get(o, "cancel_after")));
		return false;
	}
	return true;
}

static bool
check_party(json_t *o, struct buf *err)
{
	json_t *cust = json_object_get(o, "customer");
	json_t *to = json_object_get(o, "ship_to");
	json_t *country = json_object_get(to, "country");

	if (cust && !json_object_get(cust, "id") && json_object_get(cust, "email")) {
		/* A copy: set_case changes the value in place. */
		json_object_set_new(
		    cust, "id", json_copy(json_object_get(cust, "email")));
		set_case(cust, "id", tolower);
	}
	if (country) {
		const char *c;

		set_case(to, "country", toupper);
		c = json_string_value(json_object_get(to, "country"));
		if (!country_known(c)) {
			buf_printf(err,
			    "ship_to.country \"%s\" is not an ISO 3166-1 alpha-2 code",
			    c);
			return false;
		}
	}
	return true;
}

static bool
check_totals(json_t *o, int digits, struct buf *err)
{
	static const char *const keys[] = {
	    "subtotal", "discount", "shipping", "tax", "total"};
	json_t *totals = json_object_get(o, "totals");

	for (size_t i = 0; totals && i < sizeof keys / sizeof keys[0]; i++)
		if (!check_money(totals, keys[i], "totals", 0, digits, err))
			return false;
	return true;
}

static bool
check_count(json_t *line, const char *key, size_t index, json_int_t max, struct buf *err)
{
	json_t *v = json_object_get(line, key);
	json_int_t n;

	if (!v)
		return true;
	n = json_integer_value(v);
	if (n < 0 || n > max) {
		buf_printf(err,
		    "lines[%zu].%s %" JSON_INTEGER_FORMAT
		    " is not between 0 and qty %" JSON_INTEGER_FORMAT,
		    index, key, n, max);
		return false;
	}
	return true;
}

bool
order_line_to_ship(const json_t *order, const json_t *line)
{
	const char *status = json_string_value(json_object_get(order, "status"));

	/* A cancelled or closed order ships nothing more; no status is open. */
	return (!status || strcmp(status, "open") == 0) && !schema_line_idle(line);
}

/*
 * The money fields of a line, in the currency's digits; the one that
 * fails in *key.
 */
static bool
check_line_money(
    json_t *line, size_t index, int digits, const char **key, struct buf *err)
{
	static const char *const keys[] = {"unit_price", "discount", "tax"};

	for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
		if (!check_money(line, keys[i], "lines", index, digits, err)) {
			*key = keys[i];
			return false;
		}
	return true;
}

/* The counts of a line that may not exceed its qty; the one that fails in *key. */
static bool
check_line_counts(
    json_t *line, size_t index, json_int_t qty, const char **key, struct buf *err)
{
	static const char *const keys[] = {"shipped", "backordered", "returned"};

	for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
		if (!check_count(line, keys[i], index, qty, err)) {
			*key = keys[i];
			return false;
		}
	return true;
}

/*
 * One line of order, index from 1; messages call it lines[index], and
 * *key names the value at fault.
 */
static bool
check_line(json_t *line, size_t index, int digits, const json_t *order, const char **key,
    struct buf *err)
{
	json_int_t qty;
	json_t *v;

	if (!json_object_get(line, "line_id")) {
		char id[24];

		snprintf(id, sizeof id, "%zu", index);
		json_object_set_new(line, "line_id", json_string(id));
	}
	/*
	 * A line without a SKU is kept when its title names the product (the
	 * brand can add it to the catalog; oms-allocate holds the order till
	 * then), or when it is never shipped (a gift card, a tip, a cancelled
	 * line, any line of a cancelled or closed order).
	 * A line that names nothing at all could never be resolved.
	 */
	if (!json_object_get(line, "sku") && !json_object_get(line, "title") &&
	    order_line_to_ship(order, line)) {
		buf_printf(err, "lines[%zu] has no sku and no title", index);
		*key = "sku";
		return false;
	}
	*key = "qty";
	if (!(v = json_object_get(line, "qty"))) {
		buf_printf(err, "lines[%zu] has no qty", index);
		return false;
	}
	qty = json_integer_value(v);
	/* A cancelled line is kept for the record and may have no units left. */
	if (qty < 0 || (qty == 0 && !json_is_true(json_object_get(line, "cancelled")))) {
		buf_printf(err,
		    "lines[%zu].qty %" JSON_INTEGER_FORMAT
		    " is not a positive whole number",
		    index, qty);
		return false;
	}
	*key = "case_pack";
	v = json_object_get(line, "case_pack");
	if (v && json_integer_value(v) <= 0) {
		buf_printf(err,
		    "lines[%zu].case_pack %" JSON_INTEGER_FORMAT " is not positive",
		    index, json_integer_value(v));
		return false;
	}
	return check_line_counts(line, index, qty, key, err) &&
	    check_line_money(line, index, digits, key, err);
}

/*
 * The line_ids of an order's lines so far, so that a repeat is found in one
 * pass whatever the number of lines (comparing every pair took 34 s on an
 * order of 40,000 lines): open addressing, on the stack for a small order.
 */
struct seen_ids {
	const json_t **slots; /* a line's line_id; NULL is empty */
	size_t mask;
	const json_t *small[32];
};

static void
seen_init(struct seen_ids *s, size_t nlines)
{
	size_t cap = sizeof s->small / sizeof s->small[0];

	while (cap < 2 * nlines)
		cap *= 2;
	s->mask = cap - 1;
	if (cap == sizeof s->small / sizeof s->small[0]) {
		memset(s->small, 0, sizeof s->small);
		s->slots = s->small;
	} else
		s->slots = xcalloc(cap, sizeof *s->slots);
}

/* Note id; false when an earlier line had the same. */
static bool
seen_add(struct seen_ids *s, const json_t *id)
{
	size_t i = hash64(json_string_value(id), json_string_length(id)) & s->mask;

	for (; s->slots[i]; i = (i + 1) & s->mask)
		if (json_equal(s->slots[i], id))
			return false;
	s->slots[i] = id;
	return true;
}

static void
seen_free(struct seen_ids *s)
{
	if (s->slots != s->small)
		free(s->slots);
}

/* The lines of o; the one at fault, and its key, in *at. */
static bool
check_lines(json_t *o, int digits, struct order_fault *at, struct buf *err)
{
	json_t *lines = json_object_get(o, "lines"), *line;
	struct seen_ids seen;
	bool ok = true;
	size_t i;

	if (json_array_size(lines) == 0) {
		buf_adds(err, "order has no lines");
		return false;
	}
	seen_init(&seen, json_array_size(lines));
	json_array_foreach(lines, i, line) {
		const json_t *id;

		at->line = (long)i;
		if (!(ok = check_line(line, i + 1, digits, o, &at->key, err)))
			break;
		/* The second of the two is the one at fault: the first stood alone. */
		at->key = "line_id";
		id = json_object_get(line, "line_id");
		if (!(ok = seen_add(&seen, id))) {
			buf_printf(
			    err, "line_id \"%s\" appears twice", json_string_value(id));
			break;
		}
	}
	seen_free(&seen);
	if (ok) {
		at->line = -1;
		at->key = NULL;
	}
	return ok;
}

bool
order_normalize(json_t *o, const struct order_norm *opt, struct buf *err)
{
	struct order_fault at;

	return order_normalize_at(o, opt, err, &at);
}

bool
order_normalize_at(
    json_t *o, const struct order_norm *opt, struct buf *err, struct order_fault *at)
{
	json_t *cur;
	int digits = 2;

	at->line = -1;
	at->key = NULL;
	buf_reset(err);
	if (!check_header(o, opt, err) || !check_party(o, err))
		return false;
	set_case(o, "currency", toupper);
	cur = json_object_get(o, "currency");
	if (cur) {
		if (!currency_known(json_string_value(cur))) {
			buf_printf(err, "currency \"%s\" is not an ISO 4217 code",
			    json_string_value(cur));
			return false;
		}
		digits = currency_digits(json_string_value(cur));
	} else if (has_money(o)) {
		buf_adds(err, "currency is missing, and the order has money fields");
		return false;
	}
	return check_totals(o, digits, err) && check_lines(o, digits, at, err);
}

/* The lines of a tracking or return record: each names a line or SKU and has units. */
static bool
check_event_lines(json_t *rec, const char *what, struct buf *err)
{
	json_t *lines = json_object_get(rec, "lines"), *line;
	size_t i;

	if (json_array_size(lines) == 0) {
		buf_printf(err, "%s has no lines", what);
		return false;
	}
	json_array_foreach(lines, i, line) {
		json_t *qty = json_object_get(line, "qty");

		if (!json_object_get(line, "sku") && !json_object_get(line, "line_id")) {
			buf_printf(err, "lines[%zu] names no sku or line_id", i + 1);
			return false;
		}
		if (!qty || json_integer_value(qty) <= 0) {
			buf_printf(
			    err, "lines[%zu].qty is not a positive whole number", i + 1);
			return false;
		}
	}
	return true;
}

static bool
names_order(json_t *rec, struct buf *err)
{
	if (json_object_get(rec, "order_id") || json_object_get(rec, "channel_order_id"))
		return true;
	buf_adds(err, "names no order: give order_id or channel_order_id");
	return false;
}

bool
tracking_normalize(json_t *t, const struct order_norm *opt, struct buf *err)
{
	buf_reset(err);
	return names_order(t, err) && check_ts(t, "shipped_at", opt, err) &&
	    check_event_lines(t, "tracking", err);
}

static const char *const reasons[] = {
    "too_small",
    "too_large",
    "fit_other",
    "not_as_pictured",
    "quality",
    "damaged",
    "wrong_item",
    "late",
    "changed_mind",
    "other",
    NULL,
};

bool
return_request_normalize(json_t *r, const struct order_norm *opt, struct buf *err)
{
	json_t *line;
	size_t i;

	buf_reset(err);
	if (!json_object_get(r, "return_id")) {
		buf_adds(err, "return_id is missing");
		return false;
	}
	if (!names_order(r, err) || !check_ts(r, "requested_at", opt, err) ||
	    !check_ts(r, "received_at", opt, err) ||
	    !check_event_lines(r, "return_request", err))
		return false;
	json_array_foreach(json_object_get(r, "lines"), i, line) {
		json_t *reason;

		set_case(line, "reason", tolower);
		reason = json_object_get(line, "reason");
		if (reason && !one_of(json_string_value(reason), reasons)) {
			buf_printf(err,
			    "lines[%zu].reason \"%s\" is not one of too_small, "
			    "too_large, "
			    "fit_other, not_as_pictured, quality, damaged, wrong_item, "
			    "late, "
			    "changed_mind, other",
			    i + 1, json_string_value(reason));
			return false;
		}
	}
	return true;
}
