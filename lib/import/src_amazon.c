/* src_amazon.c: Amazon Seller Central order reports (tab-separated flat files) as order records. */
/*
 * Two reports, told apart by their header: Unshipped Orders (order-id,
 * order-item-id, quantity-purchased; the Order Report, which adds prices,
 * reads the same way) and All Orders (amazon-order-id, order-status).
 * Columns are found by name and the others ignored. Lines are split at
 * tabs with no quoting ('"' is text); a line that is UTF-8 is kept, any
 * other is read as Windows-1252. Adjacent rows with the same order id are
 * one order, and a row with another number of fields than the header, a
 * byte neither encoding reads, or order-level values unlike its first
 * row's rejects the whole order, so none is ever written in part.
 *
 * An order: order_id "amazon:<order-id>", source amazon, channel_order_id
 * the order id; channel b2b when is-business-order is true, else
 * marketplace; status cancelled for order-status Cancelled, closed for
 * Shipped or Complete, else open, with order-status kept as the extra
 * "order_status"; placed_at purchase-date as given; ship_by the UTC day of
 * promise-date; service the ship-service-level in snake case (NextDay is
 * next_day); customer and ship_to from the buyer and ship-* columns, with
 * ship-address-3 joined to line 2; extras purchase_order_number,
 * sales_channel and fulfillment_channel. An FBA order (fulfillment-channel
 * Amazon or AFN: Amazon ships it from its own stock) is closed unless it
 * was cancelled, with the extra "fulfilled_by": "amazon", so that it never
 * takes the brand's stock.
 *
 * A line: line_id order-item-id (All Orders has none: oms-import numbers
 * the lines), sku, qty quantity-purchased or quantity, and item-status as
 * the extra "item_status"; a line Amazon cancelled stays, with "cancelled"
 * true, and may have quantity 0.
 * item-price is the line's total: unit_price is total / qty when that is
 * a whole number of minor units, else the extra "line_total" holds it;
 * item-tax is the line's tax, item-promotion-discount its discount
 * (unsigned), and shipping and gift-wrap money, when not zero, extras.
 */

#include "adapter.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "date.h"
#include "money.h"
#include "schema.h"

/*
 * The columns the reader uses, found by name: reports differ by marketplace
 * and over time, so positions mean nothing. Each has up to two names, the
 * Unshipped Orders report's first and the All Orders report's second.
 */
enum col {
	C_ORDER_ID,
	C_ITEM_ID,
	C_PURCHASE_DATE,
	C_PROMISE_DATE,
	C_EMAIL,
	C_BUYER_NAME,
	C_BUYER_PHONE,
	C_SHIP_PHONE,
	C_SKU,
	C_QTY,
	C_SERVICE,
	C_RECIPIENT,
	C_ADDR1,
	C_ADDR2,
	C_ADDR3,
	C_CITY,
	C_STATE,
	C_POSTAL,
	C_COUNTRY,
	C_BUSINESS,
	C_PO_NUMBER,
	C_SALES_CHANNEL,
	C_FULFILLMENT,
	C_ORDER_STATUS,
	C_ITEM_STATUS,
	C_CURRENCY,
	C_ITEM_PRICE,
	C_ITEM_TAX,
	C_ITEM_PROMO,
	C_SHIP_PRICE,
	C_SHIP_TAX,
	C_SHIP_PROMO,
	C_GIFT_PRICE,
	C_GIFT_TAX,
	NCOLS
};

static const char *const col_names[NCOLS][2] = {
    [C_ORDER_ID] = {"order-id", "amazon-order-id"},
    [C_ITEM_ID] = {"order-item-id", NULL},
    [C_PURCHASE_DATE] = {"purchase-date", NULL},
    [C_PROMISE_DATE] = {"promise-date", NULL},
    [C_EMAIL] = {"buyer-email", NULL},
    [C_BUYER_NAME] = {"buyer-name", NULL},
    [C_BUYER_PHONE] = {"buyer-phone-number", NULL},
    [C_SHIP_PHONE] = {"ship-phone-number", NULL},
    [C_SKU] = {"sku", NULL},
    [C_QTY] = {"quantity-purchased", "quantity"},
    [C_SERVICE] = {"ship-service-level", NULL},
    [C_RECIPIENT] = {"recipient-name", NULL},
    [C_ADDR1] = {"ship-address-1", NULL},
    [C_ADDR2] = {"ship-address-2", NULL},
    [C_ADDR3] = {"ship-address-3", NULL},
    [C_CITY] = {"ship-city", NULL},
    [C_STATE] = {"ship-state", NULL},
    [C_POSTAL] = {"ship-postal-code", NULL},
    [C_COUNTRY] = {"ship-country", NULL},
    [C_BUSINESS] = {"is-business-order", NULL},
    [C_PO_NUMBER] = {"purchase-order-number", NULL},
    [C_SALES_CHANNEL] = {"sales-channel", NULL},
    [C_FULFILLMENT] = {"fulfillment-channel", NULL},
    [C_ORDER_STATUS] = {"order-status", NULL},
    [C_ITEM_STATUS] = {"item-status", NULL},
    [C_CURRENCY] = {"currency", NULL},
    [C_ITEM_PRICE] = {"item-price", NULL},
    [C_ITEM_TAX] = {"item-tax", NULL},
    [C_ITEM_PROMO] = {"item-promotion-discount", NULL},
    [C_SHIP_PRICE] = {"shipping-price", NULL},
    [C_SHIP_TAX] = {"shipping-tax", NULL},
    [C_SHIP_PROMO] = {"ship-promotion-discount", NULL},
    [C_GIFT_PRICE] = {"gift-wrap-price", NULL},
    [C_GIFT_TAX] = {"gift-wrap-tax", NULL},
};

/*
 * Money columns that become extra line fields, kept only when not zero; a
 * discount is written without its sign, which varies between reports.
 */
static const struct {
	enum col col;
	const char *key;
	bool discount;
} line_money[] = {
    {C_SHIP_PRICE, "shipping_price", false},
    {C_SHIP_TAX, "shipping_tax", false},
    {C_SHIP_PROMO, "shipping_discount", true},
    {C_GIFT_PRICE, "gift_wrap_price", false},
    {C_GIFT_TAX, "gift_wrap_tax", false},
};

struct amazon {
	const char *tz;
	const char *key_name; /* the header's name for the order id */
	char **names; /* the header's column names */
	long col[NCOLS]; /* position in the header, or -1 */
	size_t ncols;
	bool header_read;
	struct buf text; /* the current line, decoded to UTF-8 */
	struct buf raw; /* the same with its line end: the row as a reject shows it */
	struct buf why; /* what is wrong with the current line */
	char **fbuf; /* its fields, pointing into text */
	size_t fcap;
	char **f; /* the fields of the row being converted */
	size_t nf;
	/* The order being read, and its currency as its rows gave it. */
	struct buf order;
	struct buf currency;
};

/* ---- Bytes to text ---- */

/* Windows-1252 0x80-0x9F as code points; 0 marks the five undefined bytes. */
static const unsigned short cp1252_high[32] = {
    0x20AC,
    0,
    0x201A,
    0x0192,
    0x201E,
    0x2026,
    0x2020,
    0x2021,
    0x02C6,
    0x2030,
    0x0160,
    0x2039,
    0x0152,
    0,
    0x017D,
    0,
    0,
    0x2018,
    0x2019,
    0x201C,
    0x201D,
    0x2022,
    0x2013,
    0x2014,
    0x02DC,
    0x2122,
    0x0161,
    0x203A,
    0x0153,
    0,
    0x017E,
    0x0178,
};

static void
put_utf8(struct buf *out, unsigned cp)
{
	if (cp < 0x80) {
		buf_addc(out, (char)cp);
	} else if (cp < 0x800) {
		buf_addc(out, (char)(0xC0 | cp >> 6));
		buf_addc(out, (char)(0x80 | (cp & 0x3F)));
	} else {
		buf_addc(out, (char)(0xE0 | cp >> 12));
		buf_addc(out, (char)(0x80 | (cp >> 6 & 0x3F)));
		buf_addc(out, (char)(0x80 | (cp & 0x3F)));
	}
}

/*
 * Decode s[0..n) as Windows-1252 into out. A byte it leaves undefined, or a
 * NUL, becomes U+FFFD, so the row can still be told apart but not used: the
 * offset of the first is returned, or n when there is none.
 */
static size_t
cp1252_decode(const char *s, size_t n, struct buf *out)
{
	size_t bad = n;

	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		unsigned cp = c < 0x80 || c >= 0xA0 ? c : cp1252_high[c - 0x80];

		if (cp == 0) {
			if (bad == n)
				bad = i;
			cp = 0xFFFD;
		}
		put_utf8(out, cp);
	}
	return bad;
}

/*
 * Bring a line to UTF-8 in a->text: kept when it is UTF-8 already (which
 * plain ASCII is), else read as Windows-1252, as EU reports are. A byte
 * neither can read is described in why, naming its column.
 */
static void
decode_line(struct amazon *a, const char *line, size_t len, struct buf *why)
{
	size_t bad, field = 0;

	buf_reset(&a->text);
	buf_grow(&a->text, len + 1);
	if (utf8_valid(line, len)) {
		buf_add(&a->text, line, len);
		return;
	}
	if ((bad = cp1252_decode(line, len, &a->text)) == len || !why)
		return;
	for (size_t i = 0; i < bad; i++)
		field += line[i] == '\t';
	if (line[bad])
		buf_printf(why, "byte 0x%02X", (unsigned char)line[bad]);
	else
		buf_adds(why, "a NUL byte");
	if (field < a->ncols)
		buf_printf(why, " in %s", a->names[field]);
	buf_adds(why, " is neither UTF-8 nor Windows-1252");
}

/* Split a->text at tabs into a->f: no quoting, a '"' is an ordinary byte. */
static void
split_tabs(struct amazon *a)
{
	char *p = a->text.p ? a->text.p : "";

	a->nf = 0;
	for (;;) {
		char *tab = strchr(p, '\t');

		a->fbuf = xgrow(a->fbuf, &a->fcap, a->nf + 1, sizeof *a->fbuf, 64);
		a->fbuf[a->nf++] = p;
		if (!tab)
			break;
		*tab = '\0';
		p = tab + 1;
	}
	a->f = a->fbuf;
}

/* The cell of column c in the current row, trimmed of spaces; "" when absent. */
static const char *
cell(struct amazon *a, enum col c)
{
	char *s, *e;

	if (a->col[c] < 0 || (size_t)a->col[c] >= a->nf)
		return "";
	s = a->f[a->col[c]];
	while (*s == ' ')
		s++;
	for (e = s + strlen(s); e > s && e[-1] == ' ';)
		*--e = '\0';
	return s;
}

/* ---- The header ---- */

static bool
header_has(const char *line, size_t n, const char *name)
{
	size_t k = strlen(name);

	for (size_t i = 0; i < n;) {
		size_t e = i;

		while (e < n && line[e] != '\t')
			e++;
		if (e - i == k && memcmp(line + i, name, k) == 0)
			return true;
		i = e + 1;
	}
	return false;
}

static bool
sniff(const char *head, size_t n)
{
	size_t len = 0;

	while (len < n && head[len] != '\n' && head[len] != '\r')
		len++;
	/* A report without the sku is no order report oms can read: not claimed. */
	return header_has(head, len, "sku") &&
	    ((header_has(head, len, "order-id") &&
		 header_has(head, len, "order-item-id") &&
		 header_has(head, len, "quantity-purchased")) ||
		(header_has(head, len, "amazon-order-id") &&
		    header_has(head, len, "order-status") &&
		    header_has(head, len, "quantity")));
}

static bool
has_column(const struct cr_row *h, const char *name)
{
	for (size_t i = 0; i < h->n; i++)
		if (strcmp(h->fields[i], name) == 0)
			return true;
	return false;
}

/* Learn where the columns are; false with a message when this is no order report. */
static bool
az_header(void *ctx, const struct cr_row *h, struct buf *err)
{
	struct amazon *a = ctx;
	bool known = (has_column(h, "order-id") && has_column(h, "order-item-id") &&
			 has_column(h, "quantity-purchased")) ||
	    (has_column(h, "amazon-order-id") && has_column(h, "order-status"));

	a->header_read = true;
	a->ncols = h->n;
	a->names = xcalloc(h->n ? h->n : 1, sizeof *a->names);
	for (size_t i = 0; i < h->n; i++)
		a->names[i] = xstrdup(h->fields[i]);
	for (int c = 0; c < NCOLS; c++) {
		a->col[c] = -1;
		for (int alt = 0; alt < 2 && a->col[c] < 0 && col_names[c][alt]; alt++) {
			a->col[c] = cr_header_col(h, col_names[c][alt], err);
			if (a->col[c] == -2)
				return false;
			if (a->col[c] >= 0 && c == C_ORDER_ID)
				a->key_name = col_names[c][alt];
		}
	}
	if (!known) {
		buf_printf(err,
		    "not an Amazon order report: the header names neither "
		    "order-id, order-item-id and quantity-purchased nor "
		    "amazon-order-id and order-status");
		return false;
	}
	if (a->col[C_SKU] < 0 || a->col[C_QTY] < 0) {
		buf_printf(err, "the header has no \"%s\" column",
		    a->col[C_SKU] < 0 ? "sku" : "quantity");
		return false;
	}
	return true;
}

/* ---- One row into order fields ---- */

static void
set_text(json_t *obj, const char *key, const char *val)
{
	if (*val)
		json_object_set_new(obj, key, json_string(val));
}

/* Set parent.key, making the parent object only when there is a value. */
static void
set_in(json_t *rec, const char *parent, const char *key, const char *val)
{
	json_t *o;

	if (!*val)
		return;
	if (!(o = json_object_get(rec, parent))) {
		o = json_object();
		json_object_set_new(rec, parent, o);
	}
	set_text(o, key, val);
}

/* "NextDay" -> "next_day", "Standard" -> "standard": oms service names. */
static void
service_name(const char *level, struct buf *out)
{
	for (const char *p = level; *p; p++) {
		unsigned char c = (unsigned char)*p;

		if (c >= 'A' && c <= 'Z') {
			if (p > level && p[-1] >= 'a' && p[-1] <= 'z')
				buf_addc(out, '_');
			buf_addc(out, (char)(c - 'A' + 'a'));
		} else if (c == ' ' || c == '-') {
			buf_addc(out, '_');
		} else {
			buf_addc(out, (char)c);
		}
	}
}

/* promise-date as the UTC day it falls on, after applying its offset. */
static bool
ship_by(struct amazon *a, json_t *rec, struct buf *err)
{
	const char *s = cell(a, C_PROMISE_DATE);
	char day[DATE_TEXT_MAX];
	int64_t secs;
	enum ts_err e;

	if (!*s)
		return true;
	if ((e = ts_parse(s, strlen(s), a->tz, &secs)) != TS_OK) {
		buf_printf(err, "promise-date \"%s\" %s", s, ts_strerror(e));
		return false;
	}
	/*
	 * The promise is a day where the seller is: the date as written with
	 * its own offset (23:59:59-08:00 is that day, not the next in UTC).
	 */
	memcpy(day, s, DATE_TEXT_MAX - 1);
	day[DATE_TEXT_MAX - 1] = '\0';
	json_object_set_new(rec, "ship_by", json_string(day));
	return true;
}

/*
 * FBA: Amazon ships the order from its own stock ("Amazon", or "AFN" in the
 * API's words), so it is none of the brand's warehouses' to allocate.
 */
static bool
fulfilled_by_amazon(struct amazon *a)
{
	const char *fc = cell(a, C_FULFILLMENT);

	return strcasecmp(fc, "Amazon") == 0 || strcasecmp(fc, "AFN") == 0;
}

/* The order-level fields of a row; every row of an order repeats them. */
static bool
order_fields(struct amazon *a, json_t *rec, const char *id, struct buf *err)
{
	struct buf t = {0};
	const char *st = cell(a, C_ORDER_STATUS), *a2 = cell(a, C_ADDR2),
		   *a3 = cell(a, C_ADDR3), *phone = cell(a, C_SHIP_PHONE);

	json_object_set_new(rec, "type", json_string("order"));
	buf_printf(&t, "amazon:%s", id);
	json_object_set_new(rec, "order_id", json_string(t.p));
	json_object_set_new(rec, "channel",
	    json_string(
		strcasecmp(cell(a, C_BUSINESS), "true") == 0 ? "b2b" : "marketplace"));
	json_object_set_new(rec, "source", json_string("amazon"));
	json_object_set_new(rec, "channel_order_id", json_string(id));
	/* The All Orders report says where an order stands; a shipped one is done. */
	if (strcasecmp(st, "Cancelled") == 0 || strcasecmp(st, "Canceled") == 0)
		json_object_set_new(rec, "status", json_string("cancelled"));
	else if (strcasecmp(st, "Shipped") == 0 || strcasecmp(st, "Complete") == 0 ||
	    fulfilled_by_amazon(a))
		json_object_set_new(rec, "status", json_string("closed"));
	if (fulfilled_by_amazon(a))
		json_object_set_new(rec, "fulfilled_by", json_string("amazon"));
	set_text(rec, "order_status", st);
	set_in(rec, "customer", "email", cell(a, C_EMAIL));
	set_in(rec, "customer", "name", cell(a, C_BUYER_NAME));
	set_text(rec, "placed_at", cell(a, C_PURCHASE_DATE));
	buf_reset(&t);
	service_name(cell(a, C_SERVICE), &t);
	set_text(rec, "service", t.p ? t.p : "");
	set_in(rec, "ship_to", "name", cell(a, C_RECIPIENT));
	set_in(rec, "ship_to", "line1", cell(a, C_ADDR1));
	/* oms has two address lines: the third joins the second. */
	buf_reset(&t);
	buf_printf(&t, "%s%s%s", a2, *a2 && *a3 ? ", " : "", a3);
	set_in(rec, "ship_to", "line2", t.p);
	set_in(rec, "ship_to", "city", cell(a, C_CITY));
	set_in(rec, "ship_to", "region", cell(a, C_STATE));
	set_in(rec, "ship_to", "postal_code", cell(a, C_POSTAL));
	set_in(rec, "ship_to", "country", cell(a, C_COUNTRY));
	set_in(rec, "ship_to", "phone", *phone ? phone : cell(a, C_BUYER_PHONE));
	set_text(rec, "currency", cell(a, C_CURRENCY));
	set_text(rec, "purchase_order_number", cell(a, C_PO_NUMBER));
	set_text(rec, "sales_channel", cell(a, C_SALES_CHANNEL));
	set_text(rec, "fulfillment_channel", cell(a, C_FULFILLMENT));
	buf_free(&t);
	return ship_by(a, rec, err);
}

/* Money in column c as minor units; *given is false when the cell is empty. */
static bool
money_cell(
    struct amazon *a, enum col c, int digits, int64_t *v, bool *given, struct buf *err)
{
	const char *s = cell(a, c);
	enum money_err e;

	*given = *s != '\0';
	if (!*given)
		return true;
	if (!*a->currency.p) {
		buf_printf(
		    err, "%s \"%s\" is given without a currency", col_names[c][0], s);
		return false;
	}
	e = money_parse(s, strlen(s), digits, v);
	if (e == MONEY_OK && *v == INT64_MIN)
		e = MONEY_RANGE; /* a discount is written without its sign */
	if (e != MONEY_OK) {
		buf_printf(
		    err, "%s \"%s\" %s", col_names[c][0], s, money_strerror(e, digits));
		return false;
	}
	return true;
}

static void
set_money(json_t *obj, const char *key, int64_t v, int digits)
{
	char out[MONEY_TEXT_MAX];

	json_object_set_new(obj, key, json_string(money_format(v, digits, out)));
}

/* A whole number of units, or -1 when the text is not one. */
static long long
units(const char *s)
{
	long long n = 0;

	if (!*s)
		return -1;
	for (; *s; s++) {
		if (*s < '0' || *s > '9' || n > 100000000)
			return -1;
		n = n * 10 + (*s - '0');
	}
	return n;
}

/*
 * item-price is the line total: the unit price is kept only when the total
 * divides into whole minor units, else the total goes in "line_total".
 */
static bool
line_money_fields(struct amazon *a, json_t *line, struct buf *err)
{
	const char *cur = a->currency.p;
	int digits = currency_digits(cur);
	long long qty = units(cell(a, C_QTY));
	int64_t v;
	bool given;

	if (!money_cell(a, C_ITEM_PRICE, digits, &v, &given, err))
		return false;
	if (given && qty > 0 && v % qty == 0)
		set_money(line, "unit_price", v / qty, digits);
	else if (given)
		set_money(line, "line_total", v, digits);
	if (!money_cell(a, C_ITEM_TAX, digits, &v, &given, err))
		return false;
	if (given)
		set_money(line, "tax", v, digits);
	/* The sign of promotion discounts varies between reports. */
	if (!money_cell(a, C_ITEM_PROMO, digits, &v, &given, err))
		return false;
	if (given && v != 0)
		set_money(line, "discount", v < 0 ? -v : v, digits);
	for (size_t i = 0; i < sizeof line_money / sizeof line_money[0]; i++) {
		if (!money_cell(a, line_money[i].col, digits, &v, &given, err))
			return false;
		if (given && v != 0)
			set_money(line, line_money[i].key,
			    line_money[i].discount && v < 0 ? -v : v, digits);
	}
	return true;
}

static bool
convert_row(
    struct amazon *a, const char *id, json_t **rec, json_t **line, struct buf *err)
{
	*rec = json_object();
	*line = json_object();
	if (!order_fields(a, *rec, id, err))
		return false;
	set_text(*line, "line_id", cell(a, C_ITEM_ID));
	set_text(*line, "sku", cell(a, C_SKU));
	set_text(*line, "qty", cell(a, C_QTY));
	set_text(*line, "item_status", cell(a, C_ITEM_STATUS));
	/* A line Amazon cancelled (often with quantity 0) stays, marked so. */
	if (strcasecmp(cell(a, C_ITEM_STATUS), "Cancelled") == 0 ||
	    strcasecmp(cell(a, C_ITEM_STATUS), "Canceled") == 0)
		json_object_set_new(*line, "cancelled", json_true());
	return line_money_fields(a, *line, err);
}

/* ---- Rows into orders ---- */

/*
 * The row's text for a reject, in UTF-8 so it can be mended and read again,
 * with its own line end.
 */
static void
keep_raw(struct buf *raw, const struct buf *text, const char *line, size_t len)
{
	size_t body = lr_chomp_len(line, len);

	buf_add(raw, text->p ? text->p : "", text->len);
	buf_add(raw, line + body, len - body);
}

static bool
blank(const char *line, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (line[i] != ' ' && line[i] != '\t')
			return false;
	return true;
}

/*
 * The next line that is not blank, decoded and split at tabs: libcsv would
 * take a '"' for a quote, which Amazon reports never use. A line that
 * cannot be decoded is a bad row that still has its fields, so the order it
 * belongs to is rejected whole.
 */
static enum cr_status
az_read_row(void *ctx, struct lr *lr, struct cr_row *row)
{
	struct amazon *a = ctx;
	const char *line;
	size_t len, body;
	bool overlong;

	do {
		if (!lr_next(lr, &line, &len, &overlong))
			return lr->error ? CR_IOERR : CR_EOF;
		body = lr_chomp_len(line, len);
	} while (!overlong && blank(line, body));
	buf_reset(&a->why);
	decode_line(a, line, body, a->header_read ? &a->why : NULL);
	if (overlong) {
		buf_reset(&a->why);
		buf_adds(&a->why, "line is longer than 4 MiB");
	}
	buf_reset(&a->raw);
	keep_raw(&a->raw, &a->text, line, len);
	split_tabs(a); /* cuts a->text up, so the raw text is kept first */
	row->fields = a->f;
	row->n = a->nf;
	row->line = row->last_line = lr->lineno;
	row->raw = a->raw.p;
	row->raw_len = a->raw.len;
	row->error = a->why.len ? a->why.p : NULL;
	return a->why.len ? CR_BAD : CR_ROW;
}

/*
 * The currency money on this row is in: its own, or, on a row that leaves
 * it blank (one that only adds promotions to an item), its order's.
 */
static void
follow_currency(struct amazon *a, const char *id)
{
	if (strcmp(a->order.p ? a->order.p : "", id) != 0) {
		buf_reset(&a->order);
		buf_adds(&a->order, id);
		buf_reset(&a->currency);
	}
	if (*cell(a, C_CURRENCY)) {
		buf_reset(&a->currency);
		buf_adds(&a->currency, cell(a, C_CURRENCY));
	}
	buf_adds(&a->currency, ""); /* never NULL */
}

/* The earlier line of lines (before index end) whose line_id is id, or NULL. */
static json_t *
item_line(json_t *lines, size_t end, json_t *id)
{
	for (size_t i = 0; id && i < end; i++) {
		json_t *l = json_array_get(lines, i);

		if (json_equal(json_object_get(l, "line_id"), id))
			return l;
	}
	return NULL;
}

/* Add the discount key of more (a continuation row's line) to the item's line. */
static bool
add_discount(json_t *item, json_t *more, const char *key, int digits, struct buf *err)
{
	const char *extra = json_string_value(json_object_get(more, key));
	const char *had = json_string_value(json_object_get(item, key));
	char out[MONEY_TEXT_MAX];
	int64_t x, y = 0;

	if (!extra)
		return true;
	if (money_parse(extra, strlen(extra), digits, &x) != MONEY_OK ||
	    (had && money_parse(had, strlen(had), digits, &y) != MONEY_OK) ||
	    !money_add(x, y, &x)) {
		buf_printf(err, "the item's %s and its further rows' do not add up", key);
		return false;
	}
	json_object_set_new(item, key, json_string(money_format(x, digits, out)));
	return true;
}

/*
 * Amazon splits an item over several rows when its promotions do not fit on
 * one: the later rows leave sku and quantity blank and carry the item's id
 * and more discounts. Those are added to the item's line, and the rows
 * leave no line of their own; anything else on them is an error.
 */
static bool
az_finish(void *ctx, json_t *rec, struct buf *err)
{
	json_t *lines = json_object_get(rec, "lines");
	const char *cur = json_string_value(json_object_get(rec, "currency"));
	int digits = currency_digits(cur ? cur : "");

	(void)ctx;
	for (size_t i = 0; i < json_array_size(lines);) {
		json_t *more = json_array_get(lines, i), *item, *id, *v;
		const char *k;

		if (json_object_get(more, "sku") || json_object_get(more, "qty")) {
			i++;
			continue;
		}
		id = json_object_get(more, "line_id");
		if (!(item = item_line(lines, i, id))) {
			buf_printf(err,
			    "lines[%zu] has neither sku nor quantity, and no row before "
			    "it "
			    "has its order-item-id",
			    i + 1);
			return false;
		}
		json_object_foreach(more, k, v) {
			if (strcmp(k, "line_id") == 0)
				continue;
			if (strcmp(k, "discount") != 0 &&
			    strcmp(k, "shipping_discount") != 0) {
				buf_printf(err,
				    "lines[%zu] only adds promotions to its item, yet "
				    "gives "
				    "%s",
				    i + 1, k);
				return false;
			}
			if (!add_discount(item, more, k, digits, err))
				return false;
		}
		json_array_remove(lines, i);
	}
	return true;
}

static bool
az_convert(void *ctx, const struct cr_row *r, json_t **rec, json_t **row, struct buf *key,
    struct buf *err)
{
	struct amazon *a = ctx;
	struct rtype *order = schema_type("order");
	const char *id;

	a->f = r->fields;
	a->nf = r->n;
	id = cell(a, C_ORDER_ID);
	buf_adds(key, id);
	if (!*id) {
		buf_printf(err, "%s is missing", a->key_name);
		return false;
	}
	follow_currency(a, id);
	if (r->n != a->ncols) {
		buf_printf(err, "row has %zu fields, the header has %zu", r->n, a->ncols);
		return false;
	}
	return convert_row(a, id, rec, row, err) && schema_coerce(*rec, order, err) &&
	    schema_coerce_fields(*row, order->rows->sub, "lines", err);
}

static void
az_free(void *ctx)
{
	struct amazon *a = ctx;

	buf_free(&a->text);
	buf_free(&a->raw);
	buf_free(&a->why);
	buf_free(&a->order);
	buf_free(&a->currency);
	free(a->fbuf);
	for (size_t i = 0; a->names && i < a->ncols; i++)
		free(a->names[i]);
	free(a->names);
	free(a);
}

static const struct grouped_ops az_ops = {
    .header = az_header,
    .convert = az_convert,
    .finish = az_finish,
    .free_ctx = az_free,
    .rows_name = "lines",
    .read_row = az_read_row,
};

static struct source *
open_amazon(struct source *opened, const struct import_opts *o, struct buf *err)
{
	struct amazon *a = xcalloc(1, sizeof *a);

	a->tz = o ? o->tz : NULL;
	return grouped_from(opened, '\t', &az_ops, a, err);
}

const struct adapter adapter_amazon = {
    "amazon",
    "Amazon Unshipped Orders and All Orders reports (tab-separated)",
    sniff,
    open_amazon,
};
