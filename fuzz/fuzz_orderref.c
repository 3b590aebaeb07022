/*
 * fuzz_orderref.c: any book of orders and any references to them. The
 * input is lines of tab-separated fields: up to 8 orders (order_id, source,
 * channel_order_id), a line "--", then references (order_id, shipment_id,
 * source, channel_order_id; "-" for a field that is absent). Every
 * reference must resolve to an order of the book or be refused with a
 * reason; one that resolves must, written back as oms-allocate writes it
 * (the order's exact order_id and the shipment id found), resolve to the
 * same order and shipment; an ambiguity must name two orders that both
 * have the reference's number.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "orderref.h"

#define MAX_ORDERS 8
#define MAX_FIELD 64

struct fz_order {
	char f[3][MAX_FIELD]; /* order_id, source, channel_order_id */
	bool has[3];
	uint64_t key;
};

struct fz_book {
	struct fz_order o[MAX_ORDERS];
	size_t n;
};

static struct oref_text
field(const struct fz_order *o, int i)
{
	return o->has[i] ? (struct oref_text){o->f[i], strlen(o->f[i])}
			 : (struct oref_text){NULL, 0};
}

static uint32_t
find_id(void *ctx, const char *s, size_t n)
{
	struct fz_book *b = ctx;

	/* The first of an order_id, as a book keeps one live order per id. */
	for (size_t i = 0; i < b->n; i++)
		if (strlen(b->o[i].f[0]) == n && memcmp(b->o[i].f[0], s, n) == 0)
			return (uint32_t)i;
	return OREF_NONE;
}

static void
index_all(void *ctx, struct orderref *r)
{
	struct fz_book *b = ctx;

	for (size_t i = 0; i < b->n; i++)
		oref_index_add(r, b->o[i].key, (uint32_t)i);
}

static bool
read_order(void *ctx, uint32_t at, struct oref_order *out)
{
	struct fz_book *b = ctx;

	if (at >= b->n)
		abort();
	out->order_id = field(&b->o[at], 0);
	out->source = field(&b->o[at], 1);
	out->channel_order_id = field(&b->o[at], 2);
	return true;
}

/* Split line s[0..n) at tabs into up to k fields of out; "-" is absent. */
static size_t
split(const char *s, size_t n, char out[][MAX_FIELD], bool *has, size_t k)
{
	size_t i = 0;

	while (i < k) {
		const char *tab = memchr(s, '\t', n);
		size_t len = tab ? (size_t)(tab - s) : n;
		size_t keep = len < MAX_FIELD - 1 ? len : MAX_FIELD - 1;

		memcpy(out[i], s, keep);
		out[i][keep] = '\0';
		/* A NUL inside would make the text shorter than its bytes: none. */
		has[i] = !(keep == 1 && s[0] == '-') && !memchr(s, '\0', keep);
		i++;
		if (!tab)
			break;
		n -= len + 1;
		s = tab + 1;
	}
	for (size_t j = i; j < k; j++)
		has[j] = false;
	return i;
}

static struct oref_text
text(char *s, bool has)
{
	return has ? (struct oref_text){s, strlen(s)} : (struct oref_text){NULL, 0};
}

static void
check_ref(struct orderref *r, struct fz_book *b, const struct oref_ref *ref)
{
	struct oref_match m, again;
	struct buf err = {0};
	enum oref_result res = oref_resolve(r, ref, &m, &err);
	char ship[2 * MAX_FIELD + 32];
	bool has_ship;

	if (res != OREF_FOUND) {
		if (!err.len)
			abort(); /* a refusal says why */
		buf_free(&err);
		return;
	}
	if (m.order >= b->n)
		abort();
	has_ship = m.shipment_id.s != NULL;
	if (has_ship) {
		if (m.shipment_id.n >= sizeof ship)
			abort();
		memcpy(ship, m.shipment_id.s, m.shipment_id.n);
		ship[m.shipment_id.n] = '\0';
	}
	/* What oms-allocate writes resolves to the same order and shipment. */
	{
		struct oref_ref w = {field(&b->o[m.order], 0),
		    has_ship ? (struct oref_text){ship, strlen(ship)}
			     : (struct oref_text){NULL, 0},
		    ref->source, ref->channel_order_id};

		buf_reset(&err);
		if (oref_resolve(r, &w, &again, &err) != OREF_FOUND ||
		    find_id(b, b->o[m.order].f[0], strlen(b->o[m.order].f[0])) !=
			again.order)
			abort();
		if (has_ship != (again.shipment_id.s != NULL) ||
		    (has_ship &&
			(again.shipment_id.n != strlen(ship) ||
			    memcmp(again.shipment_id.s, ship, strlen(ship)))))
			abort();
	}
	buf_free(&err);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fz_book b;
	struct orderref r;
	struct oref_book ops = {find_id, index_all, read_order, &b};
	const char *p = (const char *)data, *end = p + size;
	bool refs = false;

	memset(&b, 0, sizeof b);
	oref_init(&r, &ops);
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = (size_t)((nl ? nl : end) - p);

		if (!refs && n == 2 && memcmp(p, "--", 2) == 0) {
			refs = true;
		} else if (!refs && b.n < MAX_ORDERS) {
			struct fz_order *o = &b.o[b.n];
			struct oref_text src, coid;

			split(p, n, o->f, o->has, 3);
			/* One live order per order_id, as in a book. */
			if (o->has[0] && o->f[0][0] &&
			    find_id(&b, o->f[0], strlen(o->f[0])) == OREF_NONE) {
				src = field(o, 1);
				coid = field(o, 2);
				o->key = oref_order_key(&r, &src, &coid);
				b.n++;
			}
		} else if (refs) {
			char f[4][MAX_FIELD];
			bool has[4];
			struct oref_ref ref;

			split(p, n, f, has, 4);
			ref.order_id = text(f[0], has[0]);
			ref.shipment_id = text(f[1], has[1]);
			ref.source = text(f[2], has[2]);
			ref.channel_order_id = text(f[3], has[3]);
			check_ref(&r, &b, &ref);
		}
		p += n + (nl != NULL);
	}
	oref_free(&r);
	return 0;
}
