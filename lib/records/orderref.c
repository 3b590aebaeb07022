/* orderref.c: order references in every spelling a channel or a warehouse uses, resolved exactly. */
#include "orderref.h"

#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "strmap.h"

void
oref_init(struct orderref *r, const struct oref_book *book)
{
	memset(r, 0, sizeof *r);
	r->book = *book;
}

static struct oref_text
text_of(const json_t *v)
{
	struct oref_text t = {NULL, 0};

	if (json_is_string(v)) {
		t.s = json_string_value(v);
		t.n = json_string_length(v);
	}
	return t;
}

void
oref_ref_of(const json_t *rec, struct oref_ref *ref)
{
	ref->order_id = text_of(json_object_get(rec, "order_id"));
	ref->shipment_id = text_of(json_object_get(rec, "shipment_id"));
	ref->source = text_of(json_object_get(rec, "source"));
	ref->channel_order_id = text_of(json_object_get(rec, "channel_order_id"));
}

void
oref_order_of(const json_t *rec, struct oref_order *o)
{
	o->order_id = text_of(json_object_get(rec, "order_id"));
	o->source = text_of(json_object_get(rec, "source"));
	o->channel_order_id = text_of(json_object_get(rec, "channel_order_id"));
}

static struct oref_text
trimmed(struct oref_text t)
{
	if (t.s)
		t.s = trim_span(t.s, &t.n);
	return t;
}

static bool
same_text(struct oref_text a, struct oref_text b)
{
	return a.n == b.n && (a.n == 0 || memcmp(a.s, b.s, a.n) == 0);
}

static bool
all_digits(struct oref_text t)
{
	for (size_t i = 0; i < t.n; i++)
		if (t.s[i] < '0' || t.s[i] > '9')
			return false;
	return t.n > 0;
}

/* An all-digit number without the leading zeros a channel drops ("0" stays "0"). */
static struct oref_text
without_zeros(struct oref_text t)
{
	if (all_digits(t))
		while (t.n > 1 && t.s[0] == '0') {
			t.s++;
			t.n--;
		}
	return t;
}

/*
 * A channel's number as compared: trimmed, without a leading '#', without
 * leading zeros when all digits. With src (a reference, not an order's own
 * number), a "<source>:" prefix naming a source orders have is taken off
 * into *src.
 */
static struct oref_text
number_of(const struct orderref *r, struct oref_text t, struct oref_text *src)
{
	const char *colon;

	t = trimmed(t);
	if (src && t.n && (colon = memchr(t.s, ':', t.n)) &&
	    intern_find(&r->sources, t.s, (size_t)(colon - t.s)) != INTERN_NONE) {
		src->s = t.s;
		src->n = (size_t)(colon - t.s);
		t.n -= (size_t)(colon + 1 - t.s);
		t.s = colon + 1;
		t = trimmed(t);
	}
	if (t.n && t.s[0] == '#') {
		t.s++;
		t.n--;
		t = trimmed(t);
	}
	return without_zeros(t);
}

static uint64_t
number_key(struct oref_text num)
{
	return num.n ? hash64(num.s, num.n) | 1 : 0;
}

uint64_t
oref_order_key(
    struct orderref *r, const struct oref_text *source, const struct oref_text *coid)
{
	if (source && source->s)
		intern_id(&r->sources, source->s, source->n);
	return coid && coid->s ? number_key(number_of(r, *coid, NULL)) : 0;
}

void
oref_index_add(struct orderref *r, uint64_t key, uint32_t order)
{
	if (!key)
		return;
	r->cands = xgrow(r->cands, &r->cands_cap, r->ncands + 1, sizeof *r->cands, 1024);
	r->cands[r->ncands++] = (struct oref_cand){key, order};
}

static int
cmp_cand(const void *pa, const void *pb)
{
	const struct oref_cand *a = pa, *b = pb;

	if (a->key != b->key)
		return a->key < b->key ? -1 : 1;
	return (a->order > b->order) - (a->order < b->order);
}

/* The candidates of key: the first at its place in r->cands, or r->ncands. */
static size_t
first_of(struct orderref *r, uint64_t key)
{
	size_t lo = 0, hi;

	if (!r->indexed) {
		r->indexed = true;
		r->book.index(r->book.ctx, r);
		if (r->ncands)
			qsort(r->cands, r->ncands, sizeof *r->cands, cmp_cand);
	}
	hi = r->ncands;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (r->cands[mid].key < key)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* A reference text split at a trailing "/<digits>": the base and the number; false when none. */
static bool
split_seq(struct oref_text t, struct oref_text *base, struct oref_text *seq)
{
	size_t i = t.n;

	while (i > 0 && t.s[i - 1] >= '0' && t.s[i - 1] <= '9')
		i--;
	if (i == t.n || i < 2 || t.s[i - 1] != '/')
		return false;
	*base = trimmed((struct oref_text){t.s, i - 1});
	*seq = (struct oref_text){t.s + i, t.n - i};
	return base->n > 0;
}

/* What resolving one text found: the order, its order_id (in r->base) and a shipment number. */
struct found {
	uint32_t order;
	struct oref_text seq; /* s NULL: no shipment named */
};

/* Append t as a JSON string: the reference as written, quoted. */
static void
quoted(struct buf *out, struct oref_text t)
{
	jw_string(out, t.s, t.n);
}

static enum oref_result
unknown(struct buf *err, struct oref_text what)
{
	buf_adds(err, "order reference ");
	quoted(err, what);
	buf_adds(err, " names no order");
	return OREF_UNKNOWN;
}

/*
 * The order whose channel number is num, from source src when orders have
 * that source, else from any; what (the reference as written) names it in
 * err.
 */
static enum oref_result
by_number(struct orderref *r, struct oref_text num, struct oref_text src,
    struct oref_text what, struct found *f, struct buf *err)
{
	uint64_t key = number_key(num);
	bool by_source = src.s && intern_find(&r->sources, src.s, src.n) != INTERN_NONE;
	struct oref_order o;

	f->order = OREF_NONE;
	if (!key)
		return unknown(err, what);
	for (size_t i = first_of(r, key); i < r->ncands && r->cands[i].key == key; i++) {
		uint32_t at = r->cands[i].order;

		if (at == f->order || !r->book.read(r->book.ctx, at, &o))
			continue;
		if (by_source && !same_text(trimmed(o.source), src))
			continue;
		if (!same_text(number_of(r, o.channel_order_id, NULL), num))
			continue;
		if (f->order == OREF_NONE) {
			f->order = at;
			buf_reset(&r->base);
			buf_add(&r->base, o.order_id.s, o.order_id.n);
			continue;
		}
		buf_adds(err, "order reference ");
		quoted(err, what);
		buf_printf(err, " matches %s and ", r->base.p);
		buf_add(err, o.order_id.s, o.order_id.n);
		buf_adds(err, ": give its source or order_id");
		return OREF_AMBIGUOUS;
	}
	return f->order == OREF_NONE ? unknown(err, what) : OREF_FOUND;
}

/* The order of exact order_id t, its text kept in r->base. */
static bool
by_id(struct orderref *r, struct oref_text t, struct found *f)
{
	if (!t.n || (f->order = r->book.find_id(r->book.ctx, t.s, t.n)) == OREF_NONE)
		return false;
	buf_reset(&r->base);
	buf_add(&r->base, t.s, t.n);
	return true;
}

/*
 * Resolve one text of a reference: an exact order_id, an order_id with a
 * shipment number, else a channel's number (with or without a shipment
 * number) from source src.
 */
static enum oref_result
resolve_text(struct orderref *r, struct oref_text t, struct oref_text src,
    struct found *f, struct buf *err)
{
	struct oref_text base, seq, num, psrc = src;
	bool has_seq;
	enum oref_result res;

	f->seq.s = NULL;
	/* The order_id as it is, then without the spaces a person may add. */
	if (by_id(r, t, f))
		return OREF_FOUND;
	t = trimmed(t);
	if (by_id(r, t, f))
		return OREF_FOUND;
	has_seq = split_seq(t, &base, &seq);
	if (has_seq && by_id(r, base, f)) {
		f->seq = seq;
		return OREF_FOUND;
	}
	num = number_of(r, t, &psrc);
	res = by_number(r, num, psrc, t, f, err);
	if (res != OREF_UNKNOWN || !has_seq)
		return res;
	buf_reset(err);
	psrc = src;
	num = number_of(r, base, &psrc);
	if ((res = by_number(r, num, psrc, t, f, err)) == OREF_FOUND)
		f->seq = seq;
	return res;
}

/* Is ship "<id>/<digits>" (white space after), the shipment number into *seq? */
static bool
own_shipment(struct oref_text ship, struct oref_text id, struct oref_text *seq)
{
	struct oref_text rest;

	if (ship.n < id.n + 2 || memcmp(ship.s, id.s, id.n) != 0 || ship.s[id.n] != '/')
		return false;
	rest = trimmed((struct oref_text){ship.s + id.n + 1, ship.n - id.n - 1});
	if (!all_digits(rest) || rest.s != ship.s + id.n + 1)
		return false;
	*seq = rest;
	return true;
}

/*
 * A shipment_id beside an order_id: the shipment number it gives when it
 * is one of that order's, OREF_CONFLICT when it is another order's. One
 * not spelled as an order's shipment is no order reference at all.
 */
static enum oref_result
check_shipment(struct orderref *r, struct oref_text ship, struct oref_text src,
    struct found *f, struct buf *err)
{
	struct oref_text base, seq;
	struct found g;
	struct buf id = {0}, none = {0};

	/* Spelled with the order's own order_id: as oms-allocate writes it. */
	if (own_shipment(ship, (struct oref_text){r->base.p, r->base.len}, &f->seq))
		return OREF_FOUND;
	ship = trimmed(ship);
	if (!split_seq(ship, &base, &seq))
		return OREF_FOUND;
	buf_add(&id, r->base.p, r->base.len);
	if (resolve_text(r, ship, src, &g, &none) == OREF_FOUND && g.seq.s) {
		if (g.order != f->order) {
			buf_adds(err, "shipment_id ");
			quoted(err, ship);
			buf_printf(err, " is of %s, not of %s", r->base.p, id.p);
			buf_free(&id);
			buf_free(&none);
			return OREF_CONFLICT;
		}
		f->seq = g.seq;
	}
	buf_reset(&r->base);
	buf_add(&r->base, id.p, id.len);
	buf_free(&id);
	buf_free(&none);
	return OREF_FOUND;
}

enum oref_result
oref_resolve(
    struct orderref *r, const struct oref_ref *ref, struct oref_match *m, struct buf *err)
{
	struct oref_text primary = ref->order_id;
	struct found f;
	enum oref_result res;

	if (!primary.s)
		primary = ref->shipment_id.s ? ref->shipment_id : ref->channel_order_id;
	if (!primary.s) {
		buf_adds(err,
		    "names no order: it has no order_id, shipment_id or "
		    "channel_order_id");
		return OREF_UNKNOWN;
	}
	if ((res = resolve_text(r, primary, ref->source, &f, err)) != OREF_FOUND)
		return res;
	if (ref->shipment_id.s && primary.s != ref->shipment_id.s &&
	    (res = check_shipment(r, ref->shipment_id, ref->source, &f, err)) !=
		OREF_FOUND)
		return res;
	m->order = f.order;
	buf_reset(&r->ship);
	m->shipment_id = (struct oref_text){NULL, 0};
	if (f.seq.s) {
		buf_add(&r->ship, r->base.p, r->base.len);
		buf_addc(&r->ship, '/');
		f.seq = without_zeros(f.seq);
		buf_add(&r->ship, f.seq.s, f.seq.n);
	} else if (ref->shipment_id.s) {
		struct oref_text s = trimmed(ref->shipment_id);

		buf_add(&r->ship, s.s, s.n);
	} else {
		return OREF_FOUND;
	}
	m->shipment_id = (struct oref_text){r->ship.p ? r->ship.p : "", r->ship.len};
	return OREF_FOUND;
}

void
oref_free(struct orderref *r)
{
	intern_free(&r->sources);
	free(r->cands);
	buf_free(&r->base);
	buf_free(&r->ship);
	memset(r, 0, sizeof *r);
}
