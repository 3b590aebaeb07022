/*
 * orderref_test.c: lib/records/orderref.h's contract, checked without a
 * framework, on a book of a few orders: every spelling of a reference,
 * shipment ids, ambiguity, conflicts, a source no order has, keys that
 * share a hash but not a text, and the index built only when a number is
 * needed. Prints "unit: orderref N checks ok", or each failed check
 * (file:line and the expression) and exits 1.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "orderref.h"

/* ---- A book of orders as the resolver sees it ---- */

struct fake_order {
	const char *order_id, *source, *coid;
	uint64_t key;
};

struct fake_book {
	struct fake_order *orders;
	size_t n;
	int indexed; /* times the resolver asked for the index */
	uint32_t unreadable; /* an order read fails for, or OREF_NONE */
	/* A candidate filed under another's key, as a hash collision would. */
	uint32_t collide_order, collide_with;
};

static struct oref_text
txt(const char *s)
{
	return (struct oref_text){s, s ? strlen(s) : 0};
}

static uint32_t
fake_find_id(void *ctx, const char *s, size_t n)
{
	struct fake_book *fb = ctx;

	for (size_t i = 0; i < fb->n; i++)
		if (strlen(fb->orders[i].order_id) == n &&
		    memcmp(fb->orders[i].order_id, s, n) == 0)
			return (uint32_t)i;
	return OREF_NONE;
}

static void
fake_index(void *ctx, struct orderref *r)
{
	struct fake_book *fb = ctx;

	fb->indexed++;
	for (size_t i = 0; i < fb->n; i++)
		oref_index_add(r, fb->orders[i].key, (uint32_t)i);
	if (fb->collide_order != OREF_NONE)
		oref_index_add(r, fb->orders[fb->collide_with].key, fb->collide_order);
}

static bool
fake_read(void *ctx, uint32_t at, struct oref_order *out)
{
	struct fake_book *fb = ctx;

	if (at == fb->unreadable)
		return false;
	out->order_id = txt(fb->orders[at].order_id);
	out->source = txt(fb->orders[at].source);
	out->channel_order_id = txt(fb->orders[at].coid);
	return true;
}

static void
open_book(struct orderref *r, struct fake_book *fb, struct fake_order *orders, size_t n)
{
	struct oref_book ops = {fake_find_id, fake_index, fake_read, fb};

	memset(fb, 0, sizeof *fb);
	fb->orders = orders;
	fb->n = n;
	fb->unreadable = fb->collide_order = OREF_NONE;
	oref_init(r, &ops);
	for (size_t i = 0; i < n; i++) {
		struct oref_text src = txt(orders[i].source), coid = txt(orders[i].coid);

		orders[i].key = oref_order_key(r, &src, &coid);
	}
}

/* A reference from its four fields (NULL: absent). */
static struct oref_ref
ref(const char *order_id, const char *shipment_id, const char *source, const char *coid)
{
	return (struct oref_ref){txt(order_id), txt(shipment_id), txt(source), txt(coid)};
}

static char last_err[512];

/* Resolve rf: the result; *order and the shipment id (or "-") when found. */
static enum oref_result
resolve(struct orderref *r, struct oref_ref rf, uint32_t *order, char *ship, size_t size)
{
	struct oref_match m;
	struct buf err = {0};
	enum oref_result res = oref_resolve(r, &rf, &m, &err);

	snprintf(last_err, sizeof last_err, "%s", err.p ? err.p : "");
	buf_free(&err);
	*order = OREF_NONE;
	snprintf(ship, size, "-");
	if (res == OREF_FOUND) {
		*order = m.order;
		if (m.shipment_id.s)
			snprintf(
			    ship, size, "%.*s", (int)m.shipment_id.n, m.shipment_id.s);
	}
	return res;
}

/* Does rf resolve to order `want` naming shipment `want_ship` ("-": none)? */
static bool
finds(struct orderref *r, struct oref_ref rf, uint32_t want, const char *want_ship)
{
	uint32_t got;
	char ship[128];
	bool ok = resolve(r, rf, &got, ship, sizeof ship) == OREF_FOUND && got == want &&
	    strcmp(ship, want_ship) == 0;

	if (!ok)
		fprintf(stderr, "  got order %u shipment %s (%s)\n", got, ship, last_err);
	return ok;
}

static enum oref_result
result_of(struct orderref *r, struct oref_ref rf)
{
	uint32_t got;
	char ship[128];

	return resolve(r, rf, &got, ship, sizeof ship);
}

/* ---- The checks ---- */

static void
test_spellings(void)
{
	struct fake_order orders[] = {
	    {"shopify:1041", "shopify", "#1041", 0},
	    {"shopify:1042", "shopify", "#1042", 0},
	    {"amazon:113-4567890-1234567", "amazon", "113-4567890-1234567", 0},
	    {"edi850:NORDSTROM:4500012345", "edi850", "4500012345", 0},
	};
	struct fake_book fb;
	struct orderref r;

	open_book(&r, &fb, orders, 4);
	/* An exact order_id needs no index. */
	CHECK(finds(&r, ref("shopify:1041", NULL, NULL, NULL), 0, "-"));
	CHECK(finds(&r, ref("edi850:NORDSTROM:4500012345", NULL, NULL, NULL), 3, "-"));
	CHECK(finds(&r, ref("shopify:1041/2", NULL, NULL, NULL), 0, "shopify:1041/2"));
	CHECK(finds(&r, ref(NULL, "shopify:1041/2", NULL, NULL), 0, "shopify:1041/2"));
	CHECK(finds(&r, ref(" shopify:1041 ", NULL, NULL, NULL), 0, "-"));
	CHECK(fb.indexed == 0);
	/* The channel's number, every spelling. */
	CHECK(finds(&r, ref(NULL, NULL, "shopify", "1041"), 0, "-"));
	CHECK(finds(&r, ref(NULL, NULL, "shopify", "#1041"), 0, "-"));
	CHECK(finds(&r, ref(NULL, NULL, NULL, "1041"), 0, "-"));
	CHECK(finds(&r, ref(NULL, NULL, NULL, " 1041 "), 0, "-"));
	CHECK(finds(&r, ref(NULL, NULL, NULL, "# 1041"), 0, "-"));
	CHECK(finds(&r, ref(NULL, NULL, NULL, "01041"), 0, "-"));
	CHECK(finds(&r, ref(NULL, NULL, NULL, "#0001042"), 1, "-"));
	CHECK(finds(&r, ref(NULL, NULL, NULL, "shopify:1042"), 1, "-"));
	CHECK(finds(&r, ref(NULL, NULL, NULL, "shopify:#01042"), 1, "-"));
	CHECK(finds(&r, ref("1041", NULL, NULL, NULL), 0, "-"));
	CHECK(finds(&r, ref(NULL, NULL, "amazon", "113-4567890-1234567"), 2, "-"));
	CHECK(finds(&r, ref(NULL, NULL, NULL, "4500012345"), 3, "-"));
	CHECK(fb.indexed == 1);
	/* With a shipment number: the shipment id as oms-split writes it. */
	CHECK(finds(&r, ref(NULL, NULL, NULL, "1041/2"), 0, "shopify:1041/2"));
	CHECK(finds(&r, ref(NULL, NULL, "shopify", "#1041/02"), 0, "shopify:1041/2"));
	CHECK(finds(&r, ref(NULL, "1042/1", NULL, NULL), 1, "shopify:1042/1"));
	CHECK(finds(&r, ref("1041/3", NULL, NULL, NULL), 0, "shopify:1041/3"));
	CHECK(finds(&r, ref(NULL, NULL, NULL, "shopify:1041/3"), 0, "shopify:1041/3"));
	/* A shipment_id beside the order_id: its spelling settled, or kept as it is. */
	CHECK(finds(&r, ref("shopify:1041", "1041/2", NULL, NULL), 0, "shopify:1041/2"));
	CHECK(finds(&r, ref("shopify:1041", " SS-77 ", NULL, NULL), 0, "SS-77"));
	/* A source no order has (a warehouse) is no filter. */
	CHECK(finds(&r, ref(NULL, NULL, "ShipStation EWR", "1041"), 0, "-"));
	/* order_id first: a channel_order_id beside it does not matter. */
	CHECK(finds(&r, ref("shopify:1042", NULL, NULL, "1041"), 1, "-"));
	CHECK(fb.indexed == 1);
	oref_free(&r);
}

static void
test_rejects(void)
{
	struct fake_order orders[] = {
	    {"shopify:1041", "shopify", "#1041", 0},
	    {"woocommerce:1041", "woocommerce", "1041", 0},
	    {"shopify:1042", "shopify", "#1042", 0},
	    {"amazon:A", "amazon", "A-01041", 0},
	};
	struct fake_book fb;
	struct orderref r;

	open_book(&r, &fb, orders, 4);
	CHECK(result_of(&r, ref(NULL, NULL, NULL, "1041")) == OREF_AMBIGUOUS);
	CHECK(strcmp(last_err,
		  "order reference \"1041\" matches shopify:1041 and "
		  "woocommerce:1041: give its source or order_id") == 0);
	CHECK(result_of(&r, ref(NULL, NULL, NULL, "#01041/2")) == OREF_AMBIGUOUS);
	CHECK(result_of(&r, ref(NULL, NULL, "ShipStation", "1041")) == OREF_AMBIGUOUS);
	CHECK(finds(&r, ref(NULL, NULL, "woocommerce", "#1041"), 1, "-"));
	CHECK(finds(&r, ref(NULL, NULL, NULL, "woocommerce:1041"), 1, "-"));
	CHECK(finds(&r, ref("woocommerce:1041", NULL, NULL, NULL), 1, "-"));
	/* A source orders have filters: amazon has no 1042. */
	CHECK(result_of(&r, ref(NULL, NULL, "amazon", "1042")) == OREF_UNKNOWN);
	CHECK(strcmp(last_err, "order reference \"1042\" names no order") == 0);
	CHECK(result_of(&r, ref(NULL, NULL, NULL, "9999")) == OREF_UNKNOWN);
	CHECK(result_of(&r, ref(NULL, NULL, NULL, "  ")) == OREF_UNKNOWN);
	CHECK(result_of(&r, ref(NULL, NULL, NULL, "#")) == OREF_UNKNOWN);
	CHECK(result_of(&r, ref(NULL, NULL, NULL, NULL)) == OREF_UNKNOWN);
	CHECK(strcmp(last_err,
		  "names no order: it has no order_id, shipment_id or "
		  "channel_order_id") == 0);
	/* Leading zeros go only from a number of digits alone. */
	CHECK(result_of(&r, ref(NULL, NULL, NULL, "A-1041")) == OREF_UNKNOWN);
	CHECK(finds(&r, ref(NULL, NULL, NULL, "A-01041"), 3, "-"));
	/* A shipment_id of another order beside the order_id. */
	CHECK(result_of(&r, ref("shopify:1041", "shopify:1042/1", NULL, NULL)) ==
	    OREF_CONFLICT);
	CHECK(strcmp(last_err,
		  "shipment_id \"shopify:1042/1\" is of shopify:1042, "
		  "not of shopify:1041") == 0);
	CHECK(result_of(&r, ref("shopify:1042", "1042/1", NULL, NULL)) == OREF_FOUND);
	oref_free(&r);
}

static void
test_exact_keys(void)
{
	struct fake_order orders[] = {
	    {"shopify:1041", "shopify", "#1041", 0},
	    {"shopify:2041", "shopify", "#2041", 0},
	    {"shopify:3041", "shopify", "#3041", 0},
	};
	struct fake_book fb;
	struct orderref r;

	/* 2041 filed under 1041's key, as if their hashes were equal: not a match. */
	open_book(&r, &fb, orders, 3);
	fb.collide_order = 1;
	fb.collide_with = 0;
	CHECK(finds(&r, ref(NULL, NULL, NULL, "1041"), 0, "-"));
	CHECK(finds(&r, ref(NULL, NULL, NULL, "2041"), 1, "-"));
	oref_free(&r);
	/* Only the colliding order under the key: nothing found. */
	open_book(&r, &fb, orders, 3);
	fb.collide_order = 1;
	fb.collide_with = 0;
	fb.unreadable = 0;
	CHECK(result_of(&r, ref(NULL, NULL, NULL, "1041")) == OREF_UNKNOWN);
	/* An order that cannot be read back is no candidate. */
	CHECK(finds(&r, ref(NULL, NULL, NULL, "3041"), 2, "-"));
	oref_free(&r);
	/* An order without a number has no key. */
	{
		struct orderref r2;
		struct oref_text none = txt(NULL), blank = txt(" # ");

		open_book(&r2, &fb, orders, 0);
		CHECK(oref_order_key(&r2, &none, &none) == 0);
		CHECK(oref_order_key(&r2, &none, &blank) == 0);
		struct oref_text a = txt("#01041"), b = txt(" 1041"), c = txt("1041 ");

		CHECK(oref_order_key(&r2, &none, &a) == oref_order_key(&r2, &none, &b));
		CHECK(oref_order_key(&r2, &none, &c) == oref_order_key(&r2, &none, &b));
		oref_free(&r2);
	}
}

int
main(void)
{
	test_spellings();
	test_rejects();
	test_exact_keys();
	return check_report("orderref");
}
