/* book.c: orders and tracking records into the compact book, and the book back into order text. */
#include "book.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "splice.h"
#include "strmap.h"
#include "units.h"

void
book_init(struct book *b, struct stock *st)
{
	memset(b, 0, sizeof *b);
	b->st = st;
	/* Never NULL, so that an empty range of them is still a valid pointer. */
	b->allocs = xmalloc((b->allocs_cap = 1024) * sizeof *b->allocs);
	b->ref_links = xmalloc((b->ref_links_cap = 256) * sizeof *b->ref_links);
	b->lines = xmalloc((b->lines_cap = 1024) * sizeof *b->lines);
	b->orders = xmalloc((b->orders_cap = 1024) * sizeof *b->orders);
}

uint32_t
book_new_allocs(struct book *b, const struct alloc *a, uint32_t n)
{
	uint32_t first = (uint32_t)b->nallocs;

	b->allocs =
	    xgrow(b->allocs, &b->allocs_cap, b->nallocs + n, sizeof *b->allocs, 1024);
	if (n)
		memcpy(b->allocs + first, a, n * sizeof *a);
	b->nallocs += n;
	return first;
}

static uint32_t
intern_str(struct intern *t, const json_t *v)
{
	return json_is_string(v)
	    ? intern_id(t, json_string_value(v), json_string_length(v))
	    : intern_id(t, "", 0);
}

/* The existing allocations of a line (line number i + 1 in messages) into the pool. */
/* Check one existing allocation entry into a; false with err. */
static bool
read_entry(const struct book *b, const json_t *e, size_t i, size_t k, struct alloc *a,
    struct buf *err)
{
	const json_t *loc = json_object_get(e, "location");

	if (!json_is_string(loc)) {
		buf_printf(
		    err, "lines[%zu].allocated[%zu] has no location", i + 1, k + 1);
		return false;
	}
	a->loc =
	    intern_find(&b->st->locs, json_string_value(loc), json_string_length(loc));
	if (a->loc == INTERN_NONE) {
		buf_printf(err,
		    "lines[%zu].allocated[%zu]: location \"%s\" is not in the locations "
		    "file",
		    i + 1, k + 1, json_string_value(loc));
		return false;
	}
	if (!stock_count(e, "qty", -1, &a->qty) || a->qty <= 0) {
		buf_printf(err, "lines[%zu].allocated[%zu].qty is not a whole number > 0",
		    i + 1, k + 1);
		return false;
	}
	return true;
}

/* The existing allocations of a line (line number i + 1 in messages) into the pool. */
static bool
read_allocated(
    struct book *b, const json_t *arr, size_t i, struct line *l, struct buf *err)
{
	struct alloc stack[64], *a = stack;
	const json_t *e;
	size_t k, n = json_array_size(arr);
	int64_t total = 0;
	bool ok = true;

	l->alloc_first = (uint32_t)b->nallocs;
	l->nalloc = 0;
	if (!arr)
		return true;
	if (!json_is_array(arr)) {
		buf_printf(
		    err, "lines[%zu].allocated is not a list of {location, qty}", i + 1);
		return false;
	}
	if (n > sizeof stack / sizeof stack[0])
		a = xmalloc(n * sizeof *a);
	json_array_foreach(arr, k, e) {
		if (!(ok = read_entry(b, e, i, k, &a[k], err)))
			break;
		total += a[k].qty;
	}
	if (ok && total > units_open(l->qty, l->shipped, false)) {
		buf_printf(err,
		    "lines[%zu]: %lld units allocated, but only %lld are left to ship",
		    i + 1, (long long)total,
		    (long long)units_open(l->qty, l->shipped, false));
		ok = false;
	}
	if (ok) {
		l->nalloc = (uint32_t)n;
		l->alloc_first = book_new_allocs(b, a, l->nalloc);
	}
	if (a != stack)
		free(a);
	return ok;
}

static bool
read_line(struct book *b, const json_t *j, size_t i, bool order_done, struct line *l,
    struct buf *err)
{
	const json_t *sku = json_object_get(j, "sku"),
		     *id = json_object_get(j, "line_id");
	const json_t *style = json_object_get(j, "style"),
		     *color = json_object_get(j, "color");
	char pos[24];

	memset(l, 0, sizeof *l);
	if (!json_is_object(j)) {
		buf_printf(err, "lines[%zu] is not an object", i + 1);
		return false;
	}
	l->idle = json_is_true(json_object_get(j, "cancelled")) ||
	    json_is_false(json_object_get(j, "requires_shipping"));
	/*
	 * A line oms-import kept by its title alone holds its order till the
	 * catalog names the product; one that names nothing is not an order line.
	 */
	l->no_sku = (!json_is_string(sku) || json_string_length(sku) == 0) && !l->idle;
	/* A cancelled or closed order ships nothing more: its lines need no SKU (order.h). */
	if (order_done)
		l->no_sku = false;
	if (l->no_sku && !json_is_string(json_object_get(j, "title"))) {
		buf_printf(err, "lines[%zu] has no sku and no title", i + 1);
		return false;
	}
	if (!json_object_get(j, "qty") || !stock_count(j, "qty", 0, &l->qty)) {
		buf_printf(err,
		    "lines[%zu].qty is missing or not a whole number from 0 to 10^12",
		    i + 1);
		return false;
	}
	if (!stock_count(j, "shipped", 0, &l->shipped) || l->shipped > l->qty) {
		buf_printf(
		    err, "lines[%zu].shipped is not a whole number from 0 to qty", i + 1);
		return false;
	}
	if (!stock_count(j, "case_pack", 0, &l->case_pack)) {
		buf_printf(err,
		    "lines[%zu].case_pack is not a whole number from 0 to 10^12", i + 1);
		return false;
	}
	l->sku = intern_str(&b->st->skus, sku);
	if (json_is_string(id)) {
		l->line_id = intern_id(
		    &b->line_ids, json_string_value(id), json_string_length(id));
	} else {
		snprintf(pos, sizeof pos, "%zu", i + 1);
		l->line_id = intern_id(&b->line_ids, pos, strlen(pos));
	}
	l->group = INTERN_NONE;
	if (json_is_string(style)) {
		buf_reset(&b->tmp);
		buf_add(&b->tmp, json_string_value(style), json_string_length(style));
		buf_addc(&b->tmp, '/');
		if (json_is_string(color))
			buf_add(
			    &b->tmp, json_string_value(color), json_string_length(color));
		l->group = intern_id(&b->groups, b->tmp.p, b->tmp.len);
	}
	return read_allocated(b, json_object_get(j, "allocated"), i, l, err);
}

static bool
read_state(const json_t *rec, struct order *o, struct buf *err)
{
	const char *s = json_string_value(json_object_get(rec, "status"));

	if (!s || strcmp(s, "open") == 0)
		o->state = OS_OPEN;
	else if (strcmp(s, "cancelled") == 0)
		o->state = OS_CANCELLED;
	else if (strcmp(s, "closed") == 0)
		o->state = OS_CLOSED;
	else {
		buf_printf(err, "status \"%s\" is not open, cancelled or closed", s);
		return false;
	}
	return true;
}

/*
 * The decision an allocated order comes with (allocation.status, reason,
 * trace), to be written again when nothing has changed since.
 */
static void
read_decision(struct book *b, const json_t *alloc, struct order *o)
{
	const char *status = json_string_value(json_object_get(alloc, "status"));
	const json_t *reason = json_object_get(alloc, "reason"), *trace;

	o->old_status = AS_UNKNOWN;
	for (int s = 0; status && s < AS_UNKNOWN; s++)
		if (strcmp(status, book_status_name((enum alloc_status)s)) == 0)
			o->old_status = (uint8_t)s;
	if (json_is_string(reason)) {
		o->old_reason_at = b->notes.len;
		buf_add(&b->notes, json_string_value(reason), json_string_length(reason));
		o->old_reason_len = (uint32_t)json_string_length(reason);
	}
	if (json_is_array(trace = json_object_get(alloc, "trace"))) {
		o->old_trace_at = b->notes.len;
		jw_value(&b->notes, trace);
		o->old_trace_len = (uint32_t)(b->notes.len - o->old_trace_at);
	}
}

/*
 * The key tracking uses to find an order by its channel's own number: a
 * hash of "source\x1f1001", 0 for none. A hash and not the text, since few
 * runs need it and every order would carry it; two keys sharing 64 bits is
 * not a risk worth the memory.
 */
static uint64_t
alt_key_of(struct book *b, const json_t *source, const json_t *coid)
{
	const char *c;

	if (!json_is_string(source) || !json_is_string(coid))
		return 0;
	c = json_string_value(coid);
	c += *c == '#'; /* Shopify shows #1001; warehouses write 1001 */
	buf_reset(&b->tmp);
	buf_adds(&b->tmp, json_string_value(source));
	buf_addc(&b->tmp, '\x1f');
	buf_adds(&b->tmp, c);
	return hash64(b->tmp.p, b->tmp.len) | 1;
}

/* Add tracking ref id (in book.refs) at the end of o's. */
static void
add_ref(struct book *b, struct order *o, uint32_t id)
{
	uint32_t at = (uint32_t)b->nref_links;

	b->ref_links = xgrow(b->ref_links, &b->ref_links_cap, b->nref_links + 1,
	    sizeof *b->ref_links, 1024);
	b->ref_links[b->nref_links++] = (struct ref_link){id, 0};
	if (o->nrefs)
		b->ref_links[o->last_ref].next = at;
	else
		o->first_ref = at;
	o->last_ref = at;
	o->nrefs++;
}

static bool
read_tracked(struct book *b, const json_t *alloc, struct order *o, struct buf *err)
{
	const json_t *t = json_object_get(alloc, "tracked"), *e;
	size_t i;

	if (!t)
		return true;
	if (!json_is_array(t)) {
		buf_adds(err, "allocation.tracked is not a list of shipment ids");
		return false;
	}
	json_array_foreach(t, i, e) {
		if (!json_is_string(e)) {
			buf_adds(
			    err, "allocation.tracked holds something other than text");
			return false;
		}
		add_ref(b, o, intern_str(&b->refs, e));
	}
	return true;
}

/* A hash of an order's text without its allocation fields: what the channel sent. */
static uint64_t
fingerprint(struct book *b, const char *s, size_t n)
{
	static const struct splice_ops bare = {NULL, NULL, NULL};

	buf_reset(&b->text);
	if (!splice_order(s, n, &bare, &b->text))
		return 0;
	return hash64(b->text.p, b->text.len);
}

/* Is the content of the earlier occurrence old the same as s[0..n)? */
static bool
same_content(struct book *b, const struct order *old, const char *s, size_t n)
{
	uint64_t now = fingerprint(b, s, n);
	struct buf was = {0};
	bool same;

	same = b->fetch(b->fetch_ctx, old->text_at, old->text_len, &was) &&
	    fingerprint(b, was.p, was.len) == now;
	buf_free(&was);
	return same;
}

/*
 * The tracking refs of old and o together (o's own last, without those
 * old has), for o. Old is superseded and never written again: o takes its
 * list over and grows it.
 */
static void
merge_refs(struct book *b, const struct order *old, struct order *o)
{
	struct idmap had = {0};
	uint32_t mine = o->first_ref, n = o->nrefs, r = old->first_ref;

	if (!old->nrefs)
		return;
	o->first_ref = old->first_ref;
	o->last_ref = old->last_ref;
	o->nrefs = old->nrefs;
	if (!n)
		return;
	for (uint32_t i = 0; i < old->nrefs; i++, r = b->ref_links[r].next)
		idmap_add(&had, b->ref_links[r].id, 0);
	for (uint32_t i = 0; i < n; i++, mine = b->ref_links[mine].next)
		if (idmap_get(&had, b->ref_links[mine].id) == IDMAP_NONE)
			add_ref(b, o, b->ref_links[mine].id);
	idmap_free(&had);
}

/*
 * The later occurrence o of an order takes over what the book knows of the
 * earlier one: its applied tracking and shipped units always (units do not
 * come back from the carrier); its allocations too when o carries none of
 * its own and its content is the same.
 */
static void
take_over(
    struct book *b, const struct order *old, struct order *o, const char *s, size_t n)
{
	bool same =
	    !o->has_allocation && old->nlines == o->nlines && same_content(b, old, s, n);
	/* The first of old's lines with each line_id: one pass, not every pair. */
	struct idmap old_lines = {0};

	merge_refs(b, old, o);
	for (uint32_t j = 0; j < old->nlines; j++)
		idmap_add(&old_lines, b->lines[old->first_line + j].line_id,
		    old->first_line + j);
	for (uint32_t i = 0; i < o->nlines; i++) {
		struct line *l = &b->lines[o->first_line + i];
		uint32_t j = idmap_get(&old_lines, l->line_id);
		const struct line *p;

		if (j == IDMAP_NONE)
			continue;
		p = &b->lines[j];
		if (p->shipped > l->shipped)
			l->shipped = p->shipped < l->qty ? p->shipped : l->qty;
		if (same) {
			l->alloc_first = p->alloc_first;
			l->nalloc = p->nalloc;
		}
	}
	idmap_free(&old_lines);
	if (o->has_allocation)
		return;
	o->has_allocation = same && old->has_allocation;
	if (same) {
		o->old_status = old->old_status;
		o->old_reason_at = old->old_reason_at;
		o->old_reason_len = old->old_reason_len;
		o->old_trace_at = old->old_trace_at;
		o->old_trace_len = old->old_trace_len;
	}
	o->changed = !same && old->has_allocation;
}

long
book_add_order(
    struct book *b, json_t *rec, const char *s, size_t n, uint64_t at, struct buf *err)
{
	const json_t *id = json_object_get(rec, "order_id"),
		     *lines = json_object_get(rec, "lines");
	const json_t *to = json_object_get(rec, "ship_to"),
		     *alloc = json_object_get(rec, "allocation");
	struct order o = {.old_status = AS_UNKNOWN};
	size_t keep_lines = b->nlines, keep_allocs = b->nallocs,
	       keep_refs = b->nref_links;
	size_t seen;

	if (!json_is_string(id) || json_string_length(id) == 0) {
		buf_adds(err, "order has no order_id");
		return -1;
	}
	if (!json_is_array(lines) || json_array_size(lines) == 0) {
		buf_adds(err, "order has no lines");
		return -1;
	}
	if (!read_state(rec, &o, err))
		return -1;
	o.first_line = (uint32_t)b->nlines;
	o.nlines = (uint32_t)json_array_size(lines);
	for (size_t i = 0; i < o.nlines; i++) {
		b->lines =
		    xgrow(b->lines, &b->lines_cap, b->nlines + 1, sizeof *b->lines, 1024);
		if (!read_line(b, json_array_get(lines, i), i, o.state != OS_OPEN,
			&b->lines[b->nlines], err))
			goto undo;
		b->nlines++;
	}
	if (alloc && !read_tracked(b, alloc, &o, err))
		goto undo;
	read_decision(b, alloc, &o);
	/* An allocation member, or allocated units on a line: allocate wrote this before. */
	o.has_allocation = alloc != NULL;
	for (size_t i = o.first_line; i < b->nlines; i++) {
		o.has_allocation |= b->lines[i].nalloc > 0;
		o.no_sku |= o.state == OS_OPEN && b->lines[i].no_sku;
	}
	seen = b->ids.n;
	o.id = intern_str(&b->ids, id);
	seen = o.id < seen;
	o.channel = intern_str(&b->st->channels, json_object_get(rec, "channel"));
	o.country = intern_str(&b->st->places, json_object_get(to, "country"));
	o.region = intern_str(&b->st->places, json_object_get(to, "region"));
	o.alt_key = alt_key_of(
	    b, json_object_get(rec, "source"), json_object_get(rec, "channel_order_id"));
	o.ship_complete = json_is_true(json_object_get(rec, "ship_complete"));
	rank_vals_of(rec, &o.rank);
	o.text_at = at;
	o.text_len = (uint32_t)n;
	b->latest = xgrow(b->latest, &b->latest_cap, o.id + 1, sizeof *b->latest, 1024);
	if (seen) {
		b->orders[b->latest[o.id]].superseded = true;
		take_over(b, &b->orders[b->latest[o.id]], &o, s, n);
	}
	b->orders =
	    xgrow(b->orders, &b->orders_cap, b->norders + 1, sizeof *b->orders, 1024);
	b->latest[o.id] = (uint32_t)b->norders;
	b->orders[b->norders] = o;
	return (long)b->norders++;
undo:
	b->nlines = keep_lines;
	b->nallocs = keep_allocs;
	b->nref_links = keep_refs;
	return -1;
}

void
book_add_tracking(struct book *b, json_t *rec, const char *file, long line,
    const char *raw, size_t raw_len)
{
	struct track *t;

	b->tracks =
	    xgrow(b->tracks, &b->tracks_cap, b->ntracks + 1, sizeof *b->tracks, 1024);
	t = &b->tracks[b->ntracks++];
	memset(t, 0, sizeof *t);
	t->rec = json_incref(rec);
	t->file = xstrdup(file);
	t->line = line;
	t->raw = xstrndup(raw ? raw : "", raw ? raw_len : 0);
	t->raw_len = raw ? raw_len : 0;
}

/* The live order a tracking record names, or NULL. */
static struct order *
tracked_order(struct book *b, const json_t *rec)
{
	const json_t *id = json_object_get(rec, "order_id");
	uint64_t key;
	size_t lo = 0, hi = b->nby_alt;
	uint32_t k;

	if (json_is_string(id)) {
		k = intern_find(&b->ids, json_string_value(id), json_string_length(id));
		return k == INTERN_NONE ? NULL : &b->orders[b->latest[k]];
	}
	key = alt_key_of(
	    b, json_object_get(rec, "source"), json_object_get(rec, "channel_order_id"));
	while (key && lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (b->by_alt[mid].key < key)
			lo = mid + 1;
		else
			hi = mid;
	}
	return key && lo < b->nby_alt && b->by_alt[lo].key == key
	    ? &b->orders[b->by_alt[lo].order]
	    : NULL;
}

static int
cmp_alt(const void *pa, const void *pb)
{
	const struct alt_index *a = pa, *b = pb;

	if (a->key != b->key)
		return a->key < b->key ? -1 : 1;
	return (a->order > b->order) - (a->order < b->order);
}

/* Index the live orders by alt_key, for tracking that names the channel's number. */
static void
index_alt_keys(struct book *b)
{
	b->by_alt = xmalloc((b->norders + 1) * sizeof *b->by_alt);
	b->nby_alt = 0;
	for (size_t i = 0; i < b->norders; i++)
		if (!b->orders[i].superseded && b->orders[i].alt_key)
			b->by_alt[b->nby_alt++] =
			    (struct alt_index){b->orders[i].alt_key, (uint32_t)i};
	qsort(b->by_alt, b->nby_alt, sizeof *b->by_alt, cmp_alt);
}

/* The tracking's identity: its shipment id, else its tracking number, else its text. */
static uint32_t
tracking_ref(struct book *b, const struct track *t)
{
	const json_t *v = json_object_get(t->rec, "shipment_id");
	char hex[32];

	if (!json_is_string(v))
		v = json_object_get(t->rec, "tracking_number");
	if (json_is_string(v))
		return intern_str(&b->refs, v);
	snprintf(hex, sizeof hex, "text:%016llx",
	    (unsigned long long)hash64(t->raw, t->raw_len));
	return intern_id(&b->refs, hex, strlen(hex));
}

/*
 * Index the live order at oi for its tracking records: its refs, its lines
 * by line_id (the first of each), and the lines that ship of each SKU.
 */
static void
index_for_tracking(struct book *b, uint32_t oi)
{
	struct track_index *ti = &b->ti;
	struct order *o = &b->orders[oi];
	uint32_t r = o->first_ref;

	for (uint32_t i = 0; i < o->nrefs; i++, r = b->ref_links[r].next)
		idmap_add(&ti->refs, idmap_key(oi, b->ref_links[r].id), 0);
	for (uint32_t at = o->first_line; at < o->first_line + o->nlines; at++) {
		const struct line *l = &b->lines[at];
		uint64_t key = idmap_key(oi, l->sku);
		uint32_t k;

		idmap_add(&ti->line_ids, idmap_key(oi, l->line_id), at);
		ti->sku_next[at] = INTERN_NONE;
		/* A cancelled line ships nothing: the units are the live line's. */
		if (l->idle)
			continue;
		if ((k = idmap_get(&ti->skus, key)) != IDMAP_NONE) {
			ti->sku_next[ti->runs[k].last] = at;
			ti->runs[k].last = at;
			continue;
		}
		ti->runs =
		    xgrow(ti->runs, &ti->runs_cap, ti->nruns + 1, sizeof *ti->runs, 1024);
		ti->runs[ti->nruns] = (struct sku_run){at, at, at, at, 0};
		idmap_add(&ti->skus, key, (uint32_t)ti->nruns++);
	}
	o->tracking_indexed = true;
}

/* Units of line at (in book.lines, of o) left to ship, less those pending. */
static int64_t
units_left(const struct book *b, const struct order *o, uint32_t at)
{
	const struct line *l = &b->lines[at];

	return units_open(l->qty, l->shipped, false) - b->ti.pending[at - o->first_line];
}

/*
 * The line of o (at oi, indexed) a tracking line names: by line_id, else
 * the first of its SKU with units left, else the first of its SKU.
 */
static struct line *
tracked_line(struct book *b, uint32_t oi, const json_t *tl)
{
	struct track_index *ti = &b->ti;
	const struct order *o = &b->orders[oi];
	const json_t *id = json_object_get(tl, "line_id"),
		     *sku = json_object_get(tl, "sku");
	struct sku_run *run;
	uint32_t k, at;

	if (json_is_string(id)) {
		k = intern_find(
		    &b->line_ids, json_string_value(id), json_string_length(id));
		at = k == INTERN_NONE ? IDMAP_NONE
				      : idmap_get(&ti->line_ids, idmap_key(oi, k));
		return at == IDMAP_NONE ? NULL : &b->lines[at];
	}
	if (!json_is_string(sku))
		return NULL;
	k = intern_find(&b->st->skus, json_string_value(sku), json_string_length(sku));
	k = k == INTERN_NONE ? IDMAP_NONE : idmap_get(&ti->skus, idmap_key(oi, k));
	if (k == IDMAP_NONE)
		return NULL;
	run = &ti->runs[k];
	/* Shipped units never come back: a line with none left stays passed. */
	while (run->left != INTERN_NONE &&
	    units_open(b->lines[run->left].qty, b->lines[run->left].shipped, false) <= 0)
		run->left = ti->sku_next[run->left];
	/* Nor do the units this record ships, while it is being read. */
	if (run->gen != ti->gen) {
		run->gen = ti->gen;
		run->pending_left = run->left;
	}
	while (
	    run->pending_left != INTERN_NONE && units_left(b, o, run->pending_left) <= 0)
		run->pending_left = ti->sku_next[run->pending_left];
	return &b->lines[run->pending_left != INTERN_NONE ? run->pending_left
							  : run->first];
}

/* Take n shipped units off a line's allocations: at loc first, then the others in order. */
static void
ship_from_allocs(struct book *b, struct line *l, uint32_t loc, int64_t n)
{
	struct alloc *a = &b->allocs[l->alloc_first];
	uint32_t k = 0;

	for (int pass = 0; pass < 2; pass++)
		for (uint32_t i = 0; i < l->nalloc && n > 0; i++) {
			int64_t take;

			if (pass == 0 && a[i].loc != loc)
				continue;
			take = a[i].qty < n ? a[i].qty : n;
			a[i].qty -= take;
			n -= take;
		}
	for (uint32_t i = 0; i < l->nalloc; i++)
		if (a[i].qty > 0)
			a[k++] = a[i];
	l->nalloc = k;
}

/* Forget the units pending: only the lines that have some are visited. */
static void
clear_pending(struct track_index *ti)
{
	for (size_t i = 0; i < ti->ntouched; i++)
		ti->pending[ti->touched[i]] = 0;
	ti->ntouched = 0;
}

/*
 * Which lines a tracking record ships, and how many units each, into
 * book.ti.pending (per line of o, the order at oi) and the lines that
 * have some, in order, into book.ti.touched; NULL, or why it cannot be
 * applied.
 */
static const char *
shipped_units(struct book *b, const struct track *t, uint32_t oi, struct buf *why)
{
	struct track_index *ti = &b->ti;
	const struct order *o = &b->orders[oi];
	const json_t *lines = json_object_get(t->rec, "lines"), *tl;
	size_t i;

	if (!json_array_size(lines))
		return "names no lines shipped";
	json_array_foreach(lines, i, tl) {
		struct line *l = tracked_line(b, oi, tl);
		uint32_t k;
		int64_t q;

		if (!l || !stock_count(tl, "qty", -1, &q) || q <= 0) {
			buf_printf(why, "lines[%zu] names no line of %s, or has no units",
			    i + 1, intern_name(&b->ids, o->id));
			return why->p;
		}
		k = (uint32_t)(l - &b->lines[o->first_line]);
		if (!ti->pending[k])
			ti->touched[ti->ntouched++] = k;
		ti->pending[k] += q;
	}
	/* The first line in the order's own order is the one named. */
	if (ti->ntouched > 1)
		qsort(ti->touched, ti->ntouched, sizeof *ti->touched, cmp_u32);
	/* A closed order is done: its confirmations are recorded, their units counted already. */
	for (size_t n = 0; n < ti->ntouched && o->state != OS_CLOSED; n++) {
		uint32_t k = ti->touched[n];
		const struct line *l = &b->lines[o->first_line + k];

		int64_t open = units_open(l->qty, l->shipped, false);

		if (ti->pending[k] > open) {
			buf_printf(why,
			    "%" PRId64
			    " units of %s shipped, but line %s of %s has %" PRId64
			    " left to ship",
			    ti->pending[k], intern_name(&b->st->skus, l->sku),
			    intern_name(&b->line_ids, l->line_id),
			    intern_name(&b->ids, o->id), open);
			return why->p;
		}
	}
	if (o->state == OS_CLOSED)
		clear_pending(ti);
	return NULL;
}

/* Room for the pending units of an order of n lines. */
static void
pending_room(struct track_index *ti, uint32_t n)
{
	if (n <= ti->pending_cap)
		return;
	free(ti->pending);
	free(ti->touched);
	ti->pending_cap = n;
	ti->pending = xcalloc(n, sizeof *ti->pending);
	ti->touched = xmalloc(n * sizeof *ti->touched);
}

/* Check then apply one tracking record; NULL, or why it cannot be applied. */
static const char *
apply_one(struct book *b, struct track *t, struct buf *why)
{
	struct track_index *ti = &b->ti;
	const json_t *locv = json_object_get(t->rec, "location");
	struct order *o = tracked_order(b, t->rec);
	uint32_t oi, ref, loc = INTERN_NONE;
	const char *no;

	if (!o)
		return "names no order in the stream";
	oi = (uint32_t)(o - b->orders);
	if (!o->tracking_indexed)
		index_for_tracking(b, oi);
	ref = tracking_ref(b, t);
	if (idmap_get(&ti->refs, idmap_key(oi, ref)) != IDMAP_NONE)
		return NULL; /* applied in an earlier run */
	if (json_is_string(locv))
		loc = intern_find(
		    &b->st->locs, json_string_value(locv), json_string_length(locv));
	pending_room(ti, o->nlines);
	ti->gen++;
	if ((no = shipped_units(b, t, oi, why))) {
		clear_pending(ti);
		return no;
	}
	for (size_t n = 0; n < ti->ntouched; n++) {
		uint32_t k = ti->touched[n];
		struct line *l = &b->lines[o->first_line + k];

		l->shipped += ti->pending[k];
		ship_from_allocs(b, l, loc, ti->pending[k]);
	}
	clear_pending(ti);
	add_ref(b, o, ref);
	idmap_add(&ti->refs, idmap_key(oi, ref), 0);
	return NULL;
}

void
book_apply_tracking(struct book *b,
    void (*reject_fn)(void *ctx, const struct track *t, const char *why), void *ctx)
{
	struct buf why = {0};

	if (b->ntracks) {
		index_alt_keys(b);
		b->ti.sku_next = xmalloc((b->nlines + 1) * sizeof *b->ti.sku_next);
	}
	for (size_t i = 0; i < b->ntracks; i++) {
		const char *no;

		buf_reset(&why);
		if ((no = apply_one(b, &b->tracks[i], &why))) {
			b->tracks[i].rejected = true;
			reject_fn(ctx, &b->tracks[i], no);
		}
	}
	buf_free(&why);
}

bool
book_waits(const struct order *o, const struct line *l)
{
	return o->status == AS_NOT_YET || o->status == AS_EXPIRED ||
	    o->status == AS_CANCELLED || o->status == AS_CLOSED || o->no_sku || l->idle;
}

int64_t
book_allocated(const struct book *b, const struct line *l)
{
	int64_t n = 0;

	for (uint32_t k = 0; k < l->nalloc; k++)
		n += b->allocs[l->alloc_first + k].qty;
	return n;
}

struct render_ctx {
	struct book *b;
	const struct order *o;
};

static const char *const status_names[] = {
    [AS_NONE] = "none",
    [AS_FULL] = "full",
    [AS_PARTIAL] = "partial",
    [AS_HELD] = "held",
    [AS_NOT_YET] = "not_yet",
    [AS_EXPIRED] = "expired",
    [AS_CANCELLED] = "cancelled",
    [AS_CLOSED] = "closed",
};

const char *
book_status_name(enum alloc_status s)
{
	return status_names[s];
}

/* "allocation":{"status":..,"reason":..,"tracked":[..],"trace":[..]} */
static void
render_allocation(void *ctx, struct buf *out)
{
	struct render_ctx *r = ctx;
	const struct book *b = r->b;
	const struct order *o = r->o;

	buf_adds(out, "\"allocation\":{\"status\":\"");
	buf_adds(out, status_names[o->status]);
	buf_addc(out, '"');
	if (o->note_len) {
		buf_adds(out, ",\"reason\":");
		jw_string(out, b->notes.p + o->note_at, o->note_len);
	}
	if (o->nrefs) {
		uint32_t link = o->first_ref;

		buf_adds(out, ",\"tracked\":[");
		for (uint32_t i = 0; i < o->nrefs; i++, link = b->ref_links[link].next) {
			uint32_t id = b->ref_links[link].id;

			if (i)
				buf_addc(out, ',');
			jw_string(
			    out, intern_name(&b->refs, id), intern_len(&b->refs, id));
		}
		buf_addc(out, ']');
	}
	if (o->keep_decision) {
		if (o->old_trace_len) {
			buf_adds(out, ",\"trace\":");
			buf_add(out, b->notes.p + o->old_trace_at, o->old_trace_len);
		}
	} else if (o->ntrace) {
		buf_adds(out, ",\"trace\":[");
		for (uint32_t i = 0; i < o->ntrace; i++) {
			const struct trace_item *t = &b->trace[o->trace_first + i];

			if (i)
				buf_addc(out, ',');
			jw_string(out, b->notes.p + t->at, t->len);
		}
		buf_addc(out, ']');
	}
	buf_addc(out, '}');
}

static void
render_entry(
    const struct book *b, const struct line *l, const struct alloc *a, struct buf *out)
{
	uint32_t nparts;
	const struct pack_part *parts = stock_pack(b->st, l->sku, &nparts);

	buf_adds(out, "{\"location\":");
	jw_string(
	    out, intern_name(&b->st->locs, a->loc), intern_len(&b->st->locs, a->loc));
	buf_printf(out, ",\"qty\":%lld", (long long)a->qty);
	if (parts) {
		buf_adds(out, ",\"units\":[");
		for (uint32_t p = 0; p < nparts; p++) {
			buf_adds(out, p ? ",{\"sku\":" : "{\"sku\":");
			jw_string(out, intern_name(&b->st->skus, parts[p].sku),
			    intern_len(&b->st->skus, parts[p].sku));
			buf_printf(
			    out, ",\"qty\":%lld}", (long long)(parts[p].qty * a->qty));
		}
		buf_addc(out, ']');
	}
	buf_addc(out, '}');
}

static void
render_line(void *ctx, size_t i, struct buf *out)
{
	struct render_ctx *r = ctx;
	const struct line *l = &r->b->lines[r->o->first_line + i];
	if (i >= r->o->nlines)
		return;
	buf_adds(out, "\"allocated\":[");
	for (uint32_t k = 0; k < l->nalloc; k++) {
		if (k)
			buf_addc(out, ',');
		render_entry(r->b, l, &r->b->allocs[l->alloc_first + k], out);
	}
	buf_printf(
	    out, "],\"backordered\":%lld", (long long)book_backordered(r->b, r->o, l));
	if (l->shipped)
		buf_printf(out, ",\"shipped\":%lld", (long long)l->shipped);
}

bool
book_render(struct book *b, size_t i, const char *s, size_t n, struct buf *out)
{
	struct render_ctx r = {b, &b->orders[i]};
	struct splice_ops ops = {render_allocation, render_line, &r};

	return splice_order(s, n, &ops, out);
}

int64_t
book_backordered(const struct book *b, const struct order *o, const struct line *l)
{
	return book_waits(o, l)
	    ? 0
	    : units_open(l->qty, l->shipped, false) - book_allocated(b, l);
}

void
book_free(struct book *b)
{
	for (size_t i = 0; i < b->ntracks; i++) {
		json_decref(b->tracks[i].rec);
		free(b->tracks[i].file);
		free(b->tracks[i].raw);
	}
	free(b->tracks);
	intern_free(&b->ids);
	intern_free(&b->line_ids);
	intern_free(&b->groups);
	intern_free(&b->refs);
	free(b->orders);
	free(b->latest);
	free(b->lines);
	free(b->allocs);
	free(b->ref_links);
	idmap_free(&b->ti.refs);
	idmap_free(&b->ti.line_ids);
	idmap_free(&b->ti.skus);
	free(b->ti.runs);
	free(b->ti.sku_next);
	free(b->ti.pending);
	free(b->ti.touched);
	free(b->by_alt);
	free(b->trace);
	buf_free(&b->notes);
	buf_free(&b->tmp);
	buf_free(&b->text);
	memset(b, 0, sizeof *b);
}
