/*
 * src_woo.c: WooCommerce orders exported by "Advanced Order Export For
 * WooCommerce", read as order records; the other common layout ("Order
 * Export & Import for WooCommerce", one row per order) is src_woo_oei.c's,
 * told apart by its header when the input is opened.
 */
#include "adapter.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "csvcols.h"
#include "date.h"
#include "schema.h"
#include "woo.h"

/* The columns used, found by name: users add and drop columns in the plugin. */
enum wcol {
	W_NUMBER,
	W_STATUS,
	W_DATE,
	W_BILL_FIRST,
	W_BILL_LAST,
	W_BILL_COMPANY,
	W_EMAIL,
	W_BILL_PHONE,
	W_SHIP_FIRST,
	W_SHIP_LAST,
	W_SHIP_COMPANY,
	W_SHIP_ADDRESS,
	W_SHIP_ADDRESS1,
	W_SHIP_ADDRESS2,
	W_SHIP_CITY,
	W_SHIP_STATE,
	W_SHIP_POSTCODE,
	W_SHIP_COUNTRY,
	W_SHIP_PHONE,
	W_METHOD,
	W_DISCOUNT,
	W_SUBTOTAL,
	W_SHIPPING,
	W_TOTAL,
	W_TAX,
	W_SKU,
	W_ITEM,
	W_ITEM_NAME,
	W_QTY,
	W_QTY_NET,
	W_COST,
	W_CURRENCY,
	W_NCOLS
};

static const char *const wcol_names[W_NCOLS] = {
    [W_NUMBER] = "Order Number",
    [W_STATUS] = "Order Status",
    [W_DATE] = "Order Date",
    [W_BILL_FIRST] = "First Name (Billing)",
    [W_BILL_LAST] = "Last Name (Billing)",
    [W_BILL_COMPANY] = "Company (Billing)",
    [W_EMAIL] = "Email (Billing)",
    [W_BILL_PHONE] = "Phone (Billing)",
    [W_SHIP_FIRST] = "First Name (Shipping)",
    [W_SHIP_LAST] = "Last Name (Shipping)",
    [W_SHIP_COMPANY] = "Company (Shipping)",
    [W_SHIP_ADDRESS] = "Address 1&2 (Shipping)",
    [W_SHIP_ADDRESS1] = "Address 1 (Shipping)",
    [W_SHIP_ADDRESS2] = "Address 2 (Shipping)",
    [W_SHIP_CITY] = "City (Shipping)",
    [W_SHIP_STATE] = "State Code (Shipping)",
    [W_SHIP_POSTCODE] = "Postcode (Shipping)",
    [W_SHIP_COUNTRY] = "Country Code (Shipping)",
    [W_SHIP_PHONE] = "Phone (Shipping)",
    [W_METHOD] = "Shipping Method Title",
    [W_DISCOUNT] = "Cart Discount Amount",
    [W_SUBTOTAL] = "Order Subtotal Amount",
    [W_SHIPPING] = "Order Shipping Amount",
    [W_TOTAL] = "Order Total Amount",
    [W_TAX] = "Order Total Tax Amount",
    [W_SKU] = "SKU",
    [W_ITEM] = "Item #",
    [W_ITEM_NAME] = "Item Name",
    [W_QTY] = "Quantity",
    [W_QTY_NET] = "Quantity (- Refund)",
    [W_COST] = "Item Cost",
    [W_CURRENCY] = "Currency",
};

struct woo {
	char *tz; /* the shop's zone, for Order Date; NULL when not given */
	char *currency; /* the shop's currency: the export has none; or NULL */
	char *store; /* the store named for this input, or NULL */
	long col[W_NCOLS];
	size_t width; /* cells in the header */
	struct buf order; /* the Order Number of the last row */
	long pos; /* the last row's place in that order, from 1 */
};

/* Either layout: Advanced Order Export's, or Order Export & Import's. */
static bool
woo_sniff(const char *head, size_t n)
{
	if (woo_oei_sniff(head, n))
		return true;
	if (!col_in_header(head, n, "Order Number"))
		return false;
	return col_in_header(head, n, "Item #") ||
	    (col_in_header(head, n, "SKU") &&
		(col_in_header(head, n, "Quantity") ||
		    col_in_header(head, n, "Quantity (- Refund)")));
}

static bool
woo_header(void *ctx, const struct cr_row *h, struct buf *err)
{
	struct woo *w = ctx;

	if (!col_find_all(h, wcol_names, W_NCOLS, w->col, err))
		return false;
	w->width = h->n;
	if (w->col[W_NUMBER] < 0) {
		buf_printf(err,
		    "not a WooCommerce order export: the header has no \"%s\" "
		    "column",
		    wcol_names[W_NUMBER]);
		return false;
	}
	return true;
}

static const char *
cell(const struct woo *w, const struct cr_row *r, enum wcol c)
{
	return col_cell(r, w->col[c]);
}

static bool
put_status(const struct woo *w, const struct cr_row *r, json_t *rec, struct buf *err)
{
	if (!col_has(r, w->col[W_STATUS]))
		return true; /* oms-import takes it as open */
	return woo_put_status(cell(w, r, W_STATUS), wcol_names[W_STATUS], rec, err);
}

/* Order Date is the shop's wall-clock time without an offset: read in its zone, written in UTC. */
static bool
put_placed_at(const struct woo *w, const struct cr_row *r, json_t *rec, struct buf *err)
{
	const char *s = cell(w, r, W_DATE);

	if (!col_has(r, w->col[W_DATE]))
		return true;
	return woo_put_placed_at(s, s, wcol_names[W_DATE], w->tz, rec, err);
}

static void
put_ship_to(const struct woo *w, const struct cr_row *r, json_t *rec)
{
	enum wcol line1 = w->col[W_SHIP_ADDRESS] >= 0 ? W_SHIP_ADDRESS : W_SHIP_ADDRESS1;
	enum wcol phone = col_has(r, w->col[W_SHIP_PHONE]) ? W_SHIP_PHONE : W_BILL_PHONE;

	woo_put_name(r, w->col[W_SHIP_FIRST], w->col[W_SHIP_LAST], rec, "ship_to");
	col_put(rec, "ship_to", "company", cell(w, r, W_SHIP_COMPANY));
	col_put(rec, "ship_to", "line1", cell(w, r, line1));
	/* "Address 1&2" already holds the second line. */
	if (line1 == W_SHIP_ADDRESS1)
		col_put(rec, "ship_to", "line2", cell(w, r, W_SHIP_ADDRESS2));
	col_put(rec, "ship_to", "city", cell(w, r, W_SHIP_CITY));
	col_put(rec, "ship_to", "region", cell(w, r, W_SHIP_STATE));
	col_put(rec, "ship_to", "postal_code", col_unguard(cell(w, r, W_SHIP_POSTCODE)));
	col_put(rec, "ship_to", "country", cell(w, r, W_SHIP_COUNTRY));
	col_put(rec, "ship_to", "phone", col_unguard(cell(w, r, phone)));
}

/* The money columns of a row: without a currency none of them can be read. */
static const enum wcol money_cols[] = {
    W_TOTAL, W_SUBTOTAL, W_COST, W_SHIPPING, W_TAX, W_DISCOUNT};

/*
 * The order's currency: the Currency column when the export has it (the
 * plugin leaves it out by default), else the shop's from the rules. An
 * order with money and neither is rejected with the rules to write.
 */
static bool
put_currency(const struct woo *w, const struct cr_row *r, json_t *rec, struct buf *err)
{
	size_t i = 0;

	if (col_has(r, w->col[W_CURRENCY])) {
		col_put(rec, NULL, "currency", cell(w, r, W_CURRENCY));
		return true;
	}
	if (w->currency) {
		col_put(rec, NULL, "currency", w->currency);
		return true;
	}
	while (i < sizeof money_cols / sizeof money_cols[0] &&
	    !col_has(r, w->col[money_cols[i]]))
		i++;
	if (i == sizeof money_cols / sizeof money_cols[0])
		return true; /* nothing to count in it */
	buf_printf(err,
	    "no currency for %s \"%s\": WooCommerce's export has no currency "
	    "column; " WOO_CURRENCY_CURE,
	    wcol_names[money_cols[i]], cell(w, r, money_cols[i]));
	return false;
}

/* The order-level values of a row; the plugin repeats them on every row of an order. */
static bool
order_of(const struct woo *w, const struct cr_row *r, json_t *rec, struct buf *err)
{
	const char *number = cell(w, r, W_NUMBER);
	struct buf id = {0};

	col_order_id(&id, "woocommerce", w->store, number);
	col_put(rec, NULL, "type", "order");
	col_put(rec, NULL, "order_id", id.p);
	buf_free(&id);
	col_put(rec, NULL, "channel", "dtc");
	col_put(rec, NULL, "source", "woocommerce");
	col_put(rec, NULL, "channel_order_id", number);
	col_put(rec, "customer", "email", cell(w, r, W_EMAIL));
	woo_put_name(r, w->col[W_BILL_FIRST], w->col[W_BILL_LAST], rec, "customer");
	col_put(rec, "customer", "company", cell(w, r, W_BILL_COMPANY));
	col_put(rec, NULL, "service", col_service(cell(w, r, W_METHOD)));
	put_ship_to(w, r, rec);
	if (!put_currency(w, r, rec, err))
		return false;
	col_put(rec, "totals", "subtotal", cell(w, r, W_SUBTOTAL));
	col_put(rec, "totals", "discount", cell(w, r, W_DISCOUNT));
	col_put(rec, "totals", "shipping", cell(w, r, W_SHIPPING));
	col_put(rec, "totals", "tax", cell(w, r, W_TAX));
	col_put(rec, "totals", "total", cell(w, r, W_TOTAL));
	return put_status(w, r, rec, err) && put_placed_at(w, r, rec, err);
}

/* The row's product, or NULL for a row without one (a coupon row, an order without lines). */
static json_t *
line_of(const struct woo *w, const struct cr_row *r)
{
	enum wcol qty = w->col[W_QTY] >= 0 ? W_QTY : W_QTY_NET;
	json_t *line;

	if (!col_has(r, w->col[W_SKU]) && !col_has(r, w->col[W_ITEM]) &&
	    !col_has(r, w->col[qty]) && !col_has(r, w->col[W_ITEM_NAME]))
		return NULL;
	line = json_object();
	col_put(line, NULL, "line_id", cell(w, r, W_ITEM));
	col_put(line, NULL, "sku", cell(w, r, W_SKU));
	col_put(line, NULL, "qty", cell(w, r, qty));
	col_put(line, NULL, "unit_price", cell(w, r, W_COST));
	return line;
}

/* Count the rows of the order being read, to name a bad line by its place. */
static void
track_order(struct woo *w, const struct buf *key)
{
	if (w->order.len != key->len || memcmp(w->order.p, key->p, key->len) != 0) {
		buf_reset(&w->order);
		buf_add(&w->order, key->p, key->len);
		w->pos = 0;
	}
	w->pos++;
}

static bool
woo_convert(void *ctx, const struct cr_row *r, json_t **rec, json_t **row,
    struct buf *key, struct buf *err)
{
	struct woo *w = ctx;
	struct rtype *order = schema_type("order");
	struct buf where = {0};
	bool ok;

	if (!col_has(r, w->col[W_NUMBER])) {
		buf_adds(err, "Order Number is missing");
		return false;
	}
	buf_adds(key, cell(w, r, W_NUMBER));
	track_order(w, key);
	if (r->n != w->width) {
		buf_printf(err, "row has %zu fields, the header has %zu", r->n, w->width);
		return false;
	}
	*rec = json_object();
	if (!order_of(w, r, *rec, err))
		return false;
	*row = line_of(w, r);
	buf_printf(&where, "lines[%ld]", w->pos);
	ok = schema_coerce(*rec, order, err) &&
	    (!*row || schema_coerce_fields(*row, order->rows->sub, where.p, err));
	buf_free(&where);
	return ok;
}

static void
woo_free(void *ctx)
{
	struct woo *w = ctx;

	free(w->tz);
	free(w->currency);
	free(w->store);
	buf_free(&w->order);
	free(w);
}

static const struct grouped_ops woo_ops = {
    .header = woo_header,
    .convert = woo_convert,
    .free_ctx = woo_free,
    .rows_name = "lines",
};

static struct source *
woo_open(struct source *opened, const struct import_opts *o, struct buf *err)
{
	struct woo *w;
	const char *head;
	size_t n = lr_peek(&opened->lr, &head, 8192);

	if (woo_oei_sniff(head, n))
		return woo_oei_open(opened, o, err);
	w = xcalloc(1, sizeof *w);
	w->tz = o && o->tz ? xstrdup(o->tz) : NULL;
	w->currency = o && o->currency ? xstrdup(o->currency) : NULL;
	w->store = o && o->store ? xstrdup(o->store) : NULL;
	return grouped_from(opened, ',', &woo_ops, w, err);
}

const struct adapter adapter_woocommerce = {
    "woocommerce",
    "WooCommerce orders (Advanced Order Export, or Order Export & Import, CSV)",
    woo_sniff,
    woo_open,
};
