/* src_shopify.c: the Shopify admin "Export orders" CSV read as order records. */
#include "adapter.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "csvcols.h"
#include "schema.h"

/*
 * The columns used, found by name: exports of 79, 75 and about 60 columns
 * exist, so any of them but Name and Lineitem quantity may be missing.
 */
enum scol {
	S_NAME,
	S_EMAIL,
	S_FINANCIAL,
	S_FULFILLMENT,
	S_CURRENCY,
	S_SUBTOTAL,
	S_SHIPPING,
	S_TAXES,
	S_TOTAL,
	S_DISCOUNT,
	S_METHOD,
	S_CREATED,
	S_CANCELLED,
	S_TAGS,
	S_QTY,
	S_ITEM,
	S_PRICE,
	S_SKU,
	S_ITEM_DISCOUNT,
	S_BILL_NAME,
	S_BILL_COMPANY,
	S_SHIP_NAME,
	S_SHIP_COMPANY,
	S_SHIP_STREET,
	S_SHIP_ADDRESS1,
	S_SHIP_ADDRESS2,
	S_SHIP_CITY,
	S_SHIP_ZIP,
	S_SHIP_PROVINCE,
	S_SHIP_PROVINCE_NAME,
	S_SHIP_COUNTRY,
	S_SHIP_PHONE,
	S_REQUIRES_SHIPPING,
	S_ID,
	S_NCOLS
};

static const char *const scol_names[S_NCOLS] = {
    [S_NAME] = "Name",
    [S_EMAIL] = "Email",
    [S_FINANCIAL] = "Financial Status",
    [S_FULFILLMENT] = "Fulfillment Status",
    [S_CURRENCY] = "Currency",
    [S_SUBTOTAL] = "Subtotal",
    [S_SHIPPING] = "Shipping",
    [S_TAXES] = "Taxes",
    [S_TOTAL] = "Total",
    [S_DISCOUNT] = "Discount Amount",
    [S_METHOD] = "Shipping Method",
    [S_CREATED] = "Created at",
    [S_CANCELLED] = "Cancelled at",
    [S_TAGS] = "Tags",
    [S_QTY] = "Lineitem quantity",
    [S_ITEM] = "Lineitem name",
    [S_PRICE] = "Lineitem price",
    [S_SKU] = "Lineitem sku",
    [S_ITEM_DISCOUNT] = "Lineitem discount",
    [S_REQUIRES_SHIPPING] = "Lineitem requires shipping",
    [S_BILL_NAME] = "Billing Name",
    [S_BILL_COMPANY] = "Billing Company",
    [S_SHIP_NAME] = "Shipping Name",
    [S_SHIP_COMPANY] = "Shipping Company",
    [S_SHIP_STREET] = "Shipping Street",
    [S_SHIP_ADDRESS1] = "Shipping Address1",
    [S_SHIP_ADDRESS2] = "Shipping Address2",
    [S_SHIP_CITY] = "Shipping City",
    [S_SHIP_ZIP] = "Shipping Zip",
    [S_SHIP_PROVINCE] = "Shipping Province",
    [S_SHIP_PROVINCE_NAME] = "Shipping Province Name",
    [S_SHIP_COUNTRY] = "Shipping Country",
    [S_SHIP_PHONE] = "Shipping Phone",
    [S_ID] = "Id",
};

struct shopify {
	char *tag; /* the tag that marks an order's lines as pre-orders */
	char *store; /* the store named for this input, or NULL */
	long col[S_NCOLS];
	size_t width; /* cells in the header */
	/* The order the last row belonged to, read from its first row. */
	struct buf order;
	long pos; /* the last row's place in that order, from 1 */
	bool preorder;
};

static bool
shopify_sniff(const char *head, size_t n)
{
	return col_in_header(head, n, "Name") &&
	    col_in_header(head, n, "Lineitem quantity");
}

static bool
shopify_header(void *ctx, const struct cr_row *h, struct buf *err)
{
	struct shopify *sh = ctx;

	if (!col_find_all(h, scol_names, S_NCOLS, sh->col, err))
		return false;
	sh->width = h->n;
	if (sh->col[S_NAME] < 0 || sh->col[S_QTY] < 0) {
		buf_printf(err,
		    "not a Shopify orders export: the header has no \"%s\" column",
		    scol_names[sh->col[S_NAME] < 0 ? S_NAME : S_QTY]);
		return false;
	}
	return true;
}

static const char *
cell(const struct shopify *sh, const struct cr_row *r, enum scol c)
{
	return col_cell(r, sh->col[c]);
}

/*
 * Status comes from the first row, the only one that carries Cancelled at
 * and Fulfillment Status. A fulfilled order is closed: all of it has left,
 * so there is nothing to allocate; a partly fulfilled one stays open.
 */
static const char *
status_of(const struct shopify *sh, const struct cr_row *r)
{
	if (col_has(r, sh->col[S_CANCELLED]))
		return "cancelled";
	if (strcasecmp(cell(sh, r, S_FULFILLMENT), "fulfilled") == 0)
		return "closed";
	return "open";
}

static void
put_ship_to(const struct shopify *sh, const struct cr_row *r, json_t *rec)
{
	/* Street is Address1 and Address2 joined: only for layouts without them. */
	enum scol line1 = sh->col[S_SHIP_ADDRESS1] >= 0 ? S_SHIP_ADDRESS1 : S_SHIP_STREET;
	enum scol region =
	    col_has(r, sh->col[S_SHIP_PROVINCE]) ? S_SHIP_PROVINCE : S_SHIP_PROVINCE_NAME;

	col_put(rec, "ship_to", "name", cell(sh, r, S_SHIP_NAME));
	col_put(rec, "ship_to", "company", cell(sh, r, S_SHIP_COMPANY));
	col_put(rec, "ship_to", "line1", cell(sh, r, line1));
	col_put(rec, "ship_to", "line2", cell(sh, r, S_SHIP_ADDRESS2));
	col_put(rec, "ship_to", "city", cell(sh, r, S_SHIP_CITY));
	col_put(rec, "ship_to", "region", cell(sh, r, region));
	col_put(rec, "ship_to", "postal_code", col_unguard(cell(sh, r, S_SHIP_ZIP)));
	col_put(rec, "ship_to", "country", cell(sh, r, S_SHIP_COUNTRY));
	col_put(rec, "ship_to", "phone", col_unguard(cell(sh, r, S_SHIP_PHONE)));
}

/* The values that follow from the order's Name, set from its first row. */
static void
put_identity(const struct shopify *sh, const struct cr_row *r, json_t *rec)
{
	const char *name = cell(sh, r, S_NAME);
	struct buf id = {0};

	col_order_id(&id, "shopify", sh->store, name + (name[0] == '#'));
	col_put(rec, NULL, "type", "order");
	col_put(rec, NULL, "order_id", id.p);
	col_put(rec, NULL, "channel", "dtc");
	col_put(rec, NULL, "source", "shopify");
	col_put(rec, NULL, "channel_order_id", name);
	/* Id, on the first row only, is unique across every Shopify store. */
	col_put(rec, NULL, "global_id", cell(sh, r, S_ID));
	col_put(rec, NULL, "status", status_of(sh, r));
	buf_free(&id);
}

/*
 * The order-level values this row has. Later rows of an order leave most of
 * them blank, and a blank sets nothing, so they agree with the first row;
 * what they do carry is checked against it.
 */
static json_t *
order_of(const struct shopify *sh, const struct cr_row *r, bool first)
{
	json_t *rec = json_object();

	if (first)
		put_identity(sh, r, rec);
	col_put(rec, "customer", "email", cell(sh, r, S_EMAIL));
	col_put(rec, "customer", "name",
	    cell(sh, r, col_has(r, sh->col[S_BILL_NAME]) ? S_BILL_NAME : S_SHIP_NAME));
	col_put(rec, "customer", "company", cell(sh, r, S_BILL_COMPANY));
	col_put(rec, NULL, "placed_at", cell(sh, r, S_CREATED));
	col_put(rec, NULL, "service", col_service(cell(sh, r, S_METHOD)));
	put_ship_to(sh, r, rec);
	col_put(rec, NULL, "currency", cell(sh, r, S_CURRENCY));
	col_put(rec, "payment", "status", cell(sh, r, S_FINANCIAL));
	col_put(rec, "totals", "subtotal", cell(sh, r, S_SUBTOTAL));
	col_put(rec, "totals", "discount", cell(sh, r, S_DISCOUNT));
	col_put(rec, "totals", "shipping", cell(sh, r, S_SHIPPING));
	col_put(rec, "totals", "tax", cell(sh, r, S_TAXES));
	col_put(rec, "totals", "total", cell(sh, r, S_TOTAL));
	return rec;
}

/* The row's line item, or NULL for the single row of an order without lines. */
static json_t *
line_of(const struct shopify *sh, const struct cr_row *r)
{
	json_t *line;
	char id[24];

	if (!col_has(r, sh->col[S_QTY]) && !col_has(r, sh->col[S_SKU]) &&
	    !col_has(r, sh->col[S_ITEM]) && !col_has(r, sh->col[S_PRICE]))
		return NULL;
	/* Shopify exports no line id: the row's place in its order is stable. */
	snprintf(id, sizeof id, "%ld", sh->pos);
	line = json_object();
	col_put(line, NULL, "line_id", id);
	col_put(line, NULL, "sku", cell(sh, r, S_SKU));
	/*
	 * Stores that sell variants without SKUs name them only here
	 * ("Hoodie - S"): the catalog's title column can resolve them.
	 */
	if (!col_has(r, sh->col[S_SKU]))
		col_put(line, NULL, "title", cell(sh, r, S_ITEM));
	col_put(line, NULL, "qty", cell(sh, r, S_QTY));
	col_put(line, NULL, "unit_price", cell(sh, r, S_PRICE));
	col_put(line, NULL, "discount", cell(sh, r, S_ITEM_DISCOUNT));
	if (sh->preorder)
		col_put(line, NULL, "preorder", "true");
	/* Gift cards and tips: kept with the order's money, never picked. */
	if (strcmp(cell(sh, r, S_REQUIRES_SHIPPING), "false") == 0)
		col_put(line, NULL, "requires_shipping", "false");
	return line;
}

/* Follow the order the rows belong to; Tags, like every order-level cell, is on its first row. */
static bool
track_order(struct shopify *sh, const struct cr_row *r, const struct buf *key)
{
	bool first =
	    sh->order.len != key->len || memcmp(sh->order.p, key->p, key->len) != 0;

	if (first) {
		buf_reset(&sh->order);
		buf_add(&sh->order, key->p, key->len);
		sh->pos = 0;
		sh->preorder = col_list_has(cell(sh, r, S_TAGS), sh->tag);
	}
	sh->pos++;
	return first;
}

static bool
shopify_convert(void *ctx, const struct cr_row *r, json_t **rec, json_t **row,
    struct buf *key, struct buf *err)
{
	struct shopify *sh = ctx;
	struct rtype *order = schema_type("order");
	struct buf where = {0};
	bool first, ok;

	if (!col_has(r, sh->col[S_NAME])) {
		buf_adds(err, "Name is missing");
		return false;
	}
	buf_adds(key, cell(sh, r, S_NAME));
	first = track_order(sh, r, key);
	if (r->n != sh->width) {
		buf_printf(
		    err, "row has %zu fields, the header has %zu", r->n, sh->width);
		return false;
	}
	*rec = order_of(sh, r, first);
	*row = line_of(sh, r);
	buf_printf(&where, "lines[%ld]", sh->pos);
	ok = schema_coerce(*rec, order, err) &&
	    (!*row || schema_coerce_fields(*row, order->rows->sub, where.p, err));
	buf_free(&where);
	return ok;
}

/*
 * The identity is set from an order's first row only. A record that starts
 * at a later row (its first was lost to an unreadable line) has none, and
 * must not pass as the whole order.
 */
static bool
shopify_finish(void *ctx, json_t *rec, struct buf *err)
{
	(void)ctx;
	if (json_object_get(rec, "order_id"))
		return true;
	buf_adds(err, "the first row of this order could not be read");
	return false;
}

static void
shopify_free(void *ctx)
{
	struct shopify *sh = ctx;

	free(sh->tag);
	free(sh->store);
	buf_free(&sh->order);
	free(sh);
}

static const struct grouped_ops shopify_ops = {
    .header = shopify_header,
    .convert = shopify_convert,
    .finish = shopify_finish,
    .free_ctx = shopify_free,
    .rows_name = "lines",
};

static struct source *
shopify_open(struct source *opened, const struct import_opts *o, struct buf *err)
{
	struct shopify *sh = xcalloc(1, sizeof *sh);

	sh->tag = xstrdup(o && o->preorder_tag ? o->preorder_tag : "pre-order");
	sh->store = o && o->store ? xstrdup(o->store) : NULL;
	return grouped_from(opened, ',', &shopify_ops, sh, err);
}

const struct adapter adapter_shopify = {
    "shopify",
    "Shopify orders export (CSV)",
    shopify_sniff,
    shopify_open,
};
