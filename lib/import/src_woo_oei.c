/* src_woo_oei.c: WooCommerce orders as "Order Export & Import for WooCommerce" writes them, one row per order. */
/*
 * The second common WooCommerce export (FORMATS.md section 7), read by the
 * woocommerce source when its header has order_id, order_number and
 * line_item_1. One row is one order:
 *
 *   order_id,order_number,order_date,status,...,order_currency,
 *   billing_*,shipping_*,shipping_items,...,line_item_1,line_item_2,...
 *
 * each line_item_N holding one product as pipe-separated key:value pairs,
 * name:<title>|product_id:<n>|sku:<sku>|quantity:<n>|total:<money>|tax:<money>
 * (a "|" inside a value that is not followed by key: belongs to the value).
 *
 * An order: order_id "woocommerce:<order_number>" (as the other layout
 * names it: an order exported by either plugin is the same order;
 * "woocommerce:<store>:<order_number>" when the input's store is named),
 * channel_order_id order_number. The order_id column is the shop's own
 * post id, unique only within that shop: it is no global_id, which would
 * tell two shops' orders of one number apart only by chance.
 * channel dtc, source woocommerce, status and payment.status from the slug,
 * placed_at order_date (DD-MM-YYYY HH:MM:SS, or YYYY-MM-DD, the shop's
 * local time: --tz or import.timezone), currency order_currency (else
 * import.currency's woocommerce), totals shipping_total, discount_total,
 * order_total and tax (tax_total plus shipping_tax_total), customer and
 * ship_to from billing_* and shipping_*, service from the first shipping
 * item's method_title through the service table.
 *
 * A line per non-empty line_item_N: line_id N, sku, title name, qty
 * quantity, tax; total (after discounts) becomes unit_price when it divides
 * by qty into whole minor units, else stays whole as the extra
 * "line_total"; a subtotal (before discounts), when given, is what is
 * divided, and subtotal less total the line's discount. Shipping, fee,
 * tax, coupon and refund items are not lines: their money is in the totals.
 */
#include <stdlib.h>
#include <string.h>

#include "csvcols.h"
#include "money.h"
#include "schema.h"
#include "woo.h"

enum ocol {
	O_ID,
	O_NUMBER,
	O_DATE,
	O_STATUS,
	O_CURRENCY,
	O_SHIPPING,
	O_SHIP_TAX,
	O_TAX,
	O_DISCOUNT,
	O_TOTAL,
	O_EMAIL,
	O_BILL_EMAIL,
	O_BILL_FIRST,
	O_BILL_LAST,
	O_BILL_COMPANY,
	O_BILL_PHONE,
	O_SHIP_FIRST,
	O_SHIP_LAST,
	O_SHIP_COMPANY,
	O_SHIP_ADDR1,
	O_SHIP_ADDR2,
	O_SHIP_CITY,
	O_SHIP_STATE,
	O_SHIP_POSTCODE,
	O_SHIP_COUNTRY,
	O_SHIP_PHONE,
	O_SHIPPING_ITEMS,
	O_NCOLS
};

static const char *const ocol_names[O_NCOLS] = {
    [O_ID] = "order_id",
    [O_NUMBER] = "order_number",
    [O_DATE] = "order_date",
    [O_STATUS] = "status",
    [O_CURRENCY] = "order_currency",
    [O_SHIPPING] = "shipping_total",
    [O_SHIP_TAX] = "shipping_tax_total",
    [O_TAX] = "tax_total",
    [O_DISCOUNT] = "discount_total",
    [O_TOTAL] = "order_total",
    [O_EMAIL] = "customer_email",
    [O_BILL_EMAIL] = "billing_email",
    [O_BILL_FIRST] = "billing_first_name",
    [O_BILL_LAST] = "billing_last_name",
    [O_BILL_COMPANY] = "billing_company",
    [O_BILL_PHONE] = "billing_phone",
    [O_SHIP_FIRST] = "shipping_first_name",
    [O_SHIP_LAST] = "shipping_last_name",
    [O_SHIP_COMPANY] = "shipping_company",
    [O_SHIP_ADDR1] = "shipping_address_1",
    [O_SHIP_ADDR2] = "shipping_address_2",
    [O_SHIP_CITY] = "shipping_city",
    [O_SHIP_STATE] = "shipping_state",
    [O_SHIP_POSTCODE] = "shipping_postcode",
    [O_SHIP_COUNTRY] = "shipping_country",
    [O_SHIP_PHONE] = "shipping_phone",
    [O_SHIPPING_ITEMS] = "shipping_items",
};

/* Order money columns: an order with any of them needs a currency. */
static const enum ocol money_cols[] = {
    O_TOTAL, O_SHIPPING, O_TAX, O_SHIP_TAX, O_DISCOUNT};

#define NMONEY (sizeof money_cols / sizeof money_cols[0])

struct oei {
	char *tz; /* the shop's zone, for order_date; NULL when not given */
	char *currency; /* from the rules, for exports without order_currency */
	char *store; /* the store named for this input, or NULL */
	long col[O_NCOLS];
	size_t width; /* cells in the header */
	long *items; /* positions of the line_item_N columns */
	char **item_ids; /* their N, as text: the line_id */
	size_t nitems;
};

/* At most this many key:value pairs of an item are read; later ones are meta data. */
#define PAIRS_MAX 32

/* One packed item, its pairs as spans of the cell. */
struct packed {
	const char *key[PAIRS_MAX], *val[PAIRS_MAX];
	size_t klen[PAIRS_MAX], vlen[PAIRS_MAX];
	size_t n;
};

bool
woo_oei_sniff(const char *head, size_t n)
{
	return col_in_header(head, n, "order_id") &&
	    col_in_header(head, n, "order_number") &&
	    col_in_header(head, n, "line_item_1");
}

/* N when name is line_item_N (N digits), else NULL. */
static const char *
line_item_number(const char *name)
{
	const char *p = name + strlen("line_item_");

	if (strncmp(name, "line_item_", strlen("line_item_")) != 0 || !*p)
		return NULL;
	for (const char *d = p; *d; d++)
		if (*d < '0' || *d > '9')
			return NULL;
	return p;
}

static bool
oei_header(void *ctx, const struct cr_row *h, struct buf *err)
{
	struct oei *w = ctx;

	if (!col_find_all(h, ocol_names, O_NCOLS, w->col, err))
		return false;
	w->width = h->n;
	if (w->col[O_NUMBER] < 0 && w->col[O_ID] < 0) {
		buf_adds(err,
		    "not a WooCommerce order export: the header has neither "
		    "order_number nor order_id");
		return false;
	}
	w->items = xcalloc(h->n ? h->n : 1, sizeof *w->items);
	w->item_ids = xcalloc(h->n ? h->n : 1, sizeof *w->item_ids);
	for (size_t i = 0; i < h->n; i++) {
		const char *num = line_item_number(h->fields[i]);

		if (num) {
			w->items[w->nitems] = (long)i;
			w->item_ids[w->nitems++] = xstrdup(num);
		}
	}
	return true;
}

static const char *
cell(const struct oei *w, const struct cr_row *r, enum ocol c)
{
	return col_cell(r, w->col[c]);
}

/* Whether s (before end) starts a pair: a key of [a-z0-9_] and a colon. */
static bool
pair_start(const char *s, const char *end, size_t *klen)
{
	const char *p = s;

	while (p < end &&
	    ((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_'))
		p++;
	if (p == s || p >= end || *p != ':')
		return false;
	*klen = (size_t)(p - s);
	return true;
}

/* Split an item (n bytes) into its pairs; a "|" not followed by key: is the value's own. */
static void
packed_parse(const char *s, size_t n, struct packed *p)
{
	const char *end = s + n, *seg = s;
	size_t klen;

	p->n = 0;
	while (seg <= end) {
		const char *bar = memchr(seg, '|', (size_t)(end - seg));
		const char *stop = bar ? bar : end;

		if (pair_start(seg, stop, &klen)) {
			if (p->n == PAIRS_MAX)
				return;
			p->key[p->n] = seg;
			p->klen[p->n] = klen;
			p->val[p->n] = seg + klen + 1;
			p->vlen[p->n] = (size_t)(stop - (seg + klen + 1));
			p->n++;
		} else if (p->n > 0) {
			p->vlen[p->n - 1] = (size_t)(stop - p->val[p->n - 1]);
		}
		if (!bar)
			break;
		seg = bar + 1;
	}
}

/* The value of key in p, copied to out (emptied first); false when absent. */
static bool
packed_get(const struct packed *p, const char *key, struct buf *out)
{
	size_t k = strlen(key);

	buf_reset(out);
	buf_adds(out, "");
	for (size_t i = 0; i < p->n; i++)
		if (p->klen[i] == k && memcmp(p->key[i], key, k) == 0) {
			size_t n = p->vlen[i];
			const char *v = trim_span(p->val[i], &n);

			buf_add(out, v, n);
			return n > 0;
		}
	return false;
}

static void
put_people(const struct oei *w, const struct cr_row *r, json_t *rec)
{
	enum ocol email = col_has(r, w->col[O_EMAIL]) ? O_EMAIL : O_BILL_EMAIL;
	enum ocol phone = col_has(r, w->col[O_SHIP_PHONE]) ? O_SHIP_PHONE : O_BILL_PHONE;

	col_put(rec, "customer", "email", cell(w, r, email));
	woo_put_name(r, w->col[O_BILL_FIRST], w->col[O_BILL_LAST], rec, "customer");
	col_put(rec, "customer", "company", cell(w, r, O_BILL_COMPANY));
	woo_put_name(r, w->col[O_SHIP_FIRST], w->col[O_SHIP_LAST], rec, "ship_to");
	col_put(rec, "ship_to", "company", cell(w, r, O_SHIP_COMPANY));
	col_put(rec, "ship_to", "line1", cell(w, r, O_SHIP_ADDR1));
	col_put(rec, "ship_to", "line2", cell(w, r, O_SHIP_ADDR2));
	col_put(rec, "ship_to", "city", cell(w, r, O_SHIP_CITY));
	col_put(rec, "ship_to", "region", cell(w, r, O_SHIP_STATE));
	col_put(rec, "ship_to", "postal_code", col_unguard(cell(w, r, O_SHIP_POSTCODE)));
	col_put(rec, "ship_to", "country", cell(w, r, O_SHIP_COUNTRY));
	col_put(rec, "ship_to", "phone", col_unguard(cell(w, r, phone)));
}

/* The service level of the first shipping item's method_title. */
static void
put_service(const struct oei *w, const struct cr_row *r, json_t *rec)
{
	const char *items = cell(w, r, O_SHIPPING_ITEMS);
	const char *next = strstr(items, "||"); /* items are separated by "||" */
	struct packed p;
	struct buf title = {0};

	packed_parse(items, next ? (size_t)(next - items) : strlen(items), &p);
	if (packed_get(&p, "method_title", &title))
		col_put(rec, NULL, "service", col_service(title.p));
	buf_free(&title);
}

/* order_date: DD-MM-YYYY HH:MM:SS (or ISO) in the shop's zone, written in UTC. */
static bool
put_placed_at(const struct oei *w, const struct cr_row *r, json_t *rec, struct buf *err)
{
	const char *s = cell(w, r, O_DATE);
	struct buf iso = {0};
	bool ok;

	if (!col_has(r, w->col[O_DATE]))
		return true;
	/* "11-03-2025 21:14:05" is day, month, year: made "2025-03-11 21:14:05". */
	if (strlen(s) >= 10 && s[2] == '-' && s[5] == '-')
		buf_printf(&iso, "%.4s-%.2s-%.2s%s", s + 6, s + 3, s, s + 10);
	else
		buf_adds(&iso, s);
	ok = woo_put_placed_at(s, iso.p, ocol_names[O_DATE], w->tz, rec, err);
	buf_free(&iso);
	return ok;
}

/* Money text in minor units; false with a message naming where it was. */
static bool
money_of(const char *s, int digits, const char *where, const char *what, int64_t *v,
    struct buf *err)
{
	size_t n = strlen(s);
	enum money_err e;

	s = trim_span(s, &n);
	if ((e = money_parse(s, n, digits, v)) != MONEY_OK) {
		buf_printf(err, "%s%s%s \"%.*s\" %s", where, *what ? " " : "", what,
		    (int)n, s, money_strerror(e, digits));
		return false;
	}
	return true;
}

static void
put_money(json_t *obj, const char *sub, const char *key, int64_t v, int digits)
{
	char text[MONEY_TEXT_MAX];

	col_put(obj, sub, key, money_format(v, digits, text));
}

/* totals.tax: WooCommerce keeps the cart's tax and the shipping's apart. */
static bool
put_tax(
    const struct oei *w, const struct cr_row *r, int digits, json_t *rec, struct buf *err)
{
	int64_t cart = 0, ship = 0, sum;

	if (!col_has(r, w->col[O_TAX]) && !col_has(r, w->col[O_SHIP_TAX]))
		return true;
	if ((col_has(r, w->col[O_TAX]) &&
		!money_of(
		    cell(w, r, O_TAX), digits, ocol_names[O_TAX], "", &cart, err)) ||
	    (col_has(r, w->col[O_SHIP_TAX]) &&
		!money_of(cell(w, r, O_SHIP_TAX), digits, ocol_names[O_SHIP_TAX], "",
		    &ship, err)))
		return false;
	if (!money_add(cart, ship, &sum)) {
		buf_printf(err, "%s and %s are too large", ocol_names[O_TAX],
		    ocol_names[O_SHIP_TAX]);
		return false;
	}
	put_money(rec, "totals", "tax", sum, digits);
	return true;
}

/* A whole number of units from text, or -1. */
static long long
whole(const char *s)
{
	if (!col_whole_number(s) || strspn(s, " ") == strlen(s))
		return -1;
	return strtoll(s, NULL, 10);
}

/*
 * The line's money: unit_price from the subtotal (before discounts) or
 * else the total, when qty divides it into whole minor units (else the
 * extra "line_total" keeps it whole), a discount when the subtotal is
 * more than the total, and the tax.
 */
static bool
put_line_money(const struct packed *p, long long qty, int digits, const char *where,
    json_t *line, struct buf *err)
{
	struct buf t = {0};
	int64_t total = 0, sub = 0, tax;
	bool has_total, has_sub, ok = false;

	if ((has_total = packed_get(p, "total", &t)) &&
	    !money_of(t.p, digits, where, "total", &total, err))
		goto out;
	if ((has_sub = packed_get(p, "subtotal", &t)) &&
	    !money_of(t.p, digits, where, "subtotal", &sub, err))
		goto out;
	if (!has_sub)
		sub = total;
	if ((has_total || has_sub) && qty > 0 && sub % qty == 0)
		put_money(line, NULL, "unit_price", sub / qty, digits);
	else if (has_total || has_sub)
		put_money(line, NULL, "line_total", sub, digits);
	if (has_sub && has_total && sub > total)
		put_money(line, NULL, "discount", sub - total, digits);
	if (packed_get(p, "tax", &t)) {
		if (!money_of(t.p, digits, where, "tax", &tax, err))
			goto out;
		put_money(line, NULL, "tax", tax, digits);
	}
	ok = true;
out:
	buf_free(&t);
	return ok;
}

/* One line_item_N cell as a line; an empty one is no line. */
static bool
put_line(const struct oei *w, const struct cr_row *r, size_t i, int digits, json_t *lines,
    struct buf *err)
{
	const char *item = col_cell(r, w->items[i]);
	struct packed p;
	struct buf v = {0}, where = {0};
	json_t *line;
	long long qty;
	bool ok = true;

	if (!col_has(r, w->items[i]))
		return true;
	packed_parse(item, strlen(item), &p);
	line = json_object();
	col_put(line, NULL, "line_id", w->item_ids[i]);
	if (packed_get(&p, "sku", &v))
		col_put(line, NULL, "sku", v.p);
	if (packed_get(&p, "name", &v))
		col_put(line, NULL, "title", v.p);
	packed_get(&p, "quantity", &v);
	col_put(line, NULL, "qty", v.p); /* the checks name a bad one */
	qty = whole(v.p);
	buf_printf(&where, "line_item_%s", w->item_ids[i]);
	ok = put_line_money(&p, qty, digits, where.p, line, err);
	json_array_append_new(lines, line);
	buf_free(&v);
	buf_free(&where);
	return ok;
}

/*
 * Where the row first has money, as "<column> \"<value>\"" into out; false
 * when neither the order nor a line has any.
 */
static bool
first_money(const struct oei *w, const struct cr_row *r, struct buf *out)
{
	for (size_t i = 0; i < NMONEY; i++)
		if (col_has(r, w->col[money_cols[i]])) {
			buf_printf(out, "%s \"%s\"", ocol_names[money_cols[i]],
			    cell(w, r, money_cols[i]));
			return true;
		}
	for (size_t i = 0; i < w->nitems; i++)
		if (strstr(col_cell(r, w->items[i]), "total:")) {
			buf_printf(out, "line_item_%s", w->item_ids[i]);
			return true;
		}
	return false;
}

/* The order's currency and its minor digits; false when it has money and none. */
static bool
put_currency(const struct oei *w, const struct cr_row *r, json_t *rec, int *digits,
    struct buf *err)
{
	const char *cur =
	    col_has(r, w->col[O_CURRENCY]) ? cell(w, r, O_CURRENCY) : w->currency;
	struct buf money = {0};

	*digits = 2;
	if (cur) {
		col_put(rec, NULL, "currency", cur);
		*digits = currency_digits(cur);
		return true;
	}
	if (!first_money(w, r, &money))
		return true;
	buf_printf(err,
	    "no currency for %s: the export's order_currency is empty or missing; "
	    "" WOO_CURRENCY_CURE,
	    money.p);
	buf_free(&money);
	return false;
}

static bool
order_of(const struct oei *w, const struct cr_row *r, const char *number, json_t *rec,
    struct buf *err)
{
	struct buf id = {0};
	json_t *lines = json_array();
	int digits;
	bool ok;

	col_order_id(&id, "woocommerce", w->store, number);
	col_put(rec, NULL, "type", "order");
	col_put(rec, NULL, "order_id", id.p);
	buf_free(&id);
	col_put(rec, NULL, "channel", "dtc");
	col_put(rec, NULL, "source", "woocommerce");
	col_put(rec, NULL, "channel_order_id", number);
	put_people(w, r, rec);
	put_service(w, r, rec);
	col_put(rec, "totals", "shipping", cell(w, r, O_SHIPPING));
	col_put(rec, "totals", "discount", cell(w, r, O_DISCOUNT));
	col_put(rec, "totals", "total", cell(w, r, O_TOTAL));
	json_object_set_new(rec, "lines", lines);
	if (!put_currency(w, r, rec, &digits, err) || !put_tax(w, r, digits, rec, err) ||
	    (col_has(r, w->col[O_STATUS]) &&
		!woo_put_status(cell(w, r, O_STATUS), ocol_names[O_STATUS], rec, err)) ||
	    !put_placed_at(w, r, rec, err))
		return false;
	ok = true;
	for (size_t i = 0; ok && i < w->nitems; i++)
		ok = put_line(w, r, i, digits, lines, err);
	if (json_array_size(lines) == 0)
		json_object_del(rec, "lines");
	return ok;
}

static bool
oei_convert(void *ctx, const struct cr_row *r, json_t **rec, json_t **row,
    struct buf *key, struct buf *err)
{
	struct oei *w = ctx;
	enum ocol num = col_has(r, w->col[O_NUMBER]) ? O_NUMBER : O_ID;

	*row = NULL; /* the lines are all in the row: the record holds them */
	col_key_add(key, cell(w, r, num));
	if (key->len == 0) {
		/* One row is one order: a row without its number is a reject of its own. */
		buf_printf(key, "\x1eline %ld", r->line);
		buf_adds(err, "order_number is missing");
		return false;
	}
	if (r->n != w->width) {
		buf_printf(err, "row has %zu fields, the header has %zu", r->n, w->width);
		return false;
	}
	*rec = json_object();
	return order_of(w, r, cell(w, r, num), *rec, err) &&
	    schema_coerce(*rec, schema_type("order"), err);
}

static void
oei_free(void *ctx)
{
	struct oei *w = ctx;

	free(w->tz);
	free(w->currency);
	free(w->store);
	for (size_t i = 0; i < w->nitems; i++)
		free(w->item_ids[i]);
	free(w->item_ids);
	free(w->items);
	free(w);
}

static const struct grouped_ops oei_ops = {
    .header = oei_header,
    .convert = oei_convert,
    .free_ctx = oei_free,
    .rows_name = "lines",
};

struct source *
woo_oei_open(struct source *opened, const struct import_opts *o, struct buf *err)
{
	struct oei *w = xcalloc(1, sizeof *w);

	w->tz = o && o->tz ? xstrdup(o->tz) : NULL;
	w->currency = o && o->currency ? xstrdup(o->currency) : NULL;
	w->store = o && o->store ? xstrdup(o->store) : NULL;
	return grouped_from(opened, ',', &oei_ops, w, err);
}
