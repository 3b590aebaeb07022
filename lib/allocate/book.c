/* book.c: orders and tracking records into the compact book, and the book back into order text. */
#include "book.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "schema.h"
#include "splice.h"
#include "strmap.h"
#include "units.h"
#include "writer.h"

/* oref_book.find_id: the live occurrence of an order_id. */
static uint32_t
oref_find_id(void *ctx, const char *s, size_t n)
{
	struct book *b = ctx;
	uint32_t k = intern_find(&b->ids, s, n);

	return k == INTERN_NONE ? OREF_NONE : b->latest[k];
}

/* oref_book.index: the live orders that have a channel's number. */
static void
oref_index(void *ctx, struct orderref *r)
{
	struct book *b = ctx;

	for (size_t i = 0; i < b->norders; i++)
		if (!b->orders[i].superseded)
			oref_index_add(r, b->orders[i].ref_key, (uint32_t)i);
}

/* oref_book.read: an order's reference fields, from its text read back. */
static bool
oref_read(void *ctx, uint32_t at, struct oref_order *out)
{
	struct book *b = ctx;
	const struct order *o = &b->orders[at];

	json_decref(b->oref_rec);
	b->oref_rec = NULL;
	buf_reset(&b->tmp);
	if (!b->fetch(b->fetch_ctx, o->text_at, o->text_len, &b->text) ||
	    !(b->oref_rec = jp_parse(b->text.p, b->text.len, &b->tmp)))
		return false;
	oref_order_of(b->oref_rec, out);
	return true;
}

void
book_init(struct book *b, struct stock *st)
{
	static const struct oref_book ops = {oref_find_id, oref_index, oref_read, NULL};
	struct oref_book mine = ops;

	memset(b, 0, sizeof *b);
	b->st = st;
	mine.ctx = b;
	oref_init(&b->oref, &mine);
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
	l->idle = schema_line_idle(j);
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

/*
 * A hash of an order's text without the fields oms-allocate writes
 * (allocation, fulfillment, the lines' allocated, backordered and
 * shipped): what the channel sent. With as_open, its status counts as
 * "open".
 */
static uint64_t
fingerprint(struct book *b, const char *s, size_t n, bool as_open)
{
	struct splice_ops bare = {NULL, NULL, NULL, as_open ? "open" : NULL};

	buf_reset(&b->text);
	if (!splice_order(s, n, &bare, &b->text))
		return 0;
	return hash64(b->text.p, b->text.len);
}

/*
 * Is the content of the earlier occurrence old the same as s[0..n)? An
 * order oms-allocate closed (or the channel did) and then exported again
 * as open is the same order: a closed old one compares as open.
 */
static bool
same_content(struct book *b, const struct order *old, const char *s, size_t n)
{
	bool as_open = old->state == OS_CLOSED;
	uint64_t now = fingerprint(b, s, n, as_open);
	struct buf was = {0};
	bool same;

	same = b->fetch(b->fetch_ctx, old->text_at, old->text_len, &was) &&
	    fingerprint(b, was.p, was.len, as_open) == now;
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
	struct oref_order names;
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
	oref_order_of(rec, &names);
	o.ref_key = oref_order_key(&b->oref, &names.source, &names.channel_order_id);
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
	t->order = OREF_NONE;
}

/*
 * A hash of a tracking record in normal form without the order_id and
 * shipment_id this tool writes into it: the same record before and after
 * a run has the same hash, so applying the output again counts it once.
 */
static uint64_t
content_hash(struct book *b, const json_t *rec)
{
	json_t *bare = json_deep_copy(rec);

	json_object_del(bare, "order_id");
	json_object_del(bare, "shipment_id");
	buf_reset(&b->tmp);
	rw_ndjson(bare, &b->tmp);
	json_decref(bare);
	return hash64(b->tmp.p, b->tmp.len);
}

/*
 * The tracking's identity: the shipment it names (as resolved: the same
 * shipment in any spelling), else its tracking number, else its content.
 */
static uint32_t
tracking_ref(struct book *b, const struct track *t)
{
	const json_t *v = json_object_get(t->rec, "tracking_number");
	char hex[32];

	if (t->shipment_id)
		return intern_id(&b->refs, t->shipment_id, strlen(t->shipment_id));
	if (json_is_string(v))
		return intern_str(&b->refs, v);
	snprintf(
	    hex, sizeof hex, "text:%016llx", (unsigned long long)content_hash(b, t->rec));
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

/* The live order a tracking record names, into t (order, shipment_id); false with why. */
static bool
resolve_order(struct book *b, struct track *t, struct buf *why)
{
	struct oref_ref ref;
	struct oref_match m;

	oref_ref_of(t->rec, &ref);
	if (oref_resolve(&b->oref, &ref, &m, why) != OREF_FOUND)
		return false;
	t->order = m.order;
	if (m.shipment_id.s)
		t->shipment_id = xstrndup(m.shipment_id.s, m.shipment_id.n);
	return true;
}

/* Check then apply one tracking record; NULL, or why it cannot be applied. */
static const char *
apply_one(struct book *b, struct track *t, struct buf *why)
{
	struct track_index *ti = &b->ti;
	const json_t *locv = json_object_get(t->rec, "location");
	struct order *o;
	uint32_t oi, ref, loc = INTERN_NONE;
	const char *no;

	if (!resolve_order(b, t, why))
		return why->p;
	oi = t->order;
	o = &b->orders[oi];
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

/* Units shipped on o's lines; whether every line is shipped or idle. */
static int64_t
units_shipped(const struct book *b, const struct order *o, bool *all_done)
{
	int64_t n = 0;

	*all_done = true;
	for (uint32_t i = 0; i < o->nlines; i++) {
		const struct line *l = &b->lines[o->first_line + i];

		n += l->shipped;
		if (!l->idle && l->shipped < l->qty)
			*all_done = false;
	}
	return n;
}

void
book_fulfillment(const struct book *b, const struct order *o, struct fulfillment *f)
{
	bool all_done;
	int64_t n = units_shipped(b, o, &all_done);

	f->status = n == 0 ? "unshipped" : all_done ? "shipped" : "partial";
	f->units_shipped = n + b->fault_units;
	f->shipments = o->nrefs;
}

void
book_close_shipped(struct book *b)
{
	for (size_t i = 0; i < b->norders; i++) {
		struct order *o = &b->orders[i];
		bool all_done;

		if (o->superseded || o->state != OS_OPEN ||
		    units_shipped(b, o, &all_done) == 0 || !all_done)
			continue;
		o->state = OS_CLOSED;
		o->closed_now = true;
		o->no_sku = false; /* a closed order ships nothing more */
	}
}

/*
 * Append the decimal text of n: the book writes several numbers for each
 * order and line, and printf's parsing of its format showed in the profile.
 */
static void
put_int(struct buf *out, int64_t n)
{
	char d[24], *p = d + sizeof d;
	uint64_t u = n < 0 ? 0 - (uint64_t)n : (uint64_t)n;

	do
		*--p = (char)('0' + u % 10);
	while (u /= 10);
	if (n < 0)
		*--p = '-';
	buf_add(out, p, (size_t)(d + sizeof d - p));
}

/* "fulfillment":{"status":..,"units_shipped":..,"shipments":..} */
static void
render_fulfillment(const struct book *b, const struct order *o, struct buf *out)
{
	struct fulfillment f;

	book_fulfillment(b, o, &f);
	buf_adds(out, "\"fulfillment\":{\"status\":\"");
	buf_adds(out, f.status);
	buf_adds(out, "\",\"units_shipped\":");
	put_int(out, f.units_shipped);
	buf_adds(out, ",\"shipments\":");
	put_int(out, f.shipments);
	buf_addc(out, '}');
}

/*
 * "fulfillment":{..},"allocation":{"status":..,"reason":..,"tracked":[..],
 * "trace":[..]}: the order's members oms-allocate owns, in this order,
 * where splice_order puts them (before lines).
 */
static void
render_allocation(void *ctx, struct buf *out)
{
	struct render_ctx *r = ctx;
	const struct book *b = r->b;
	const struct order *o = r->o;

	render_fulfillment(b, o, out);
	buf_adds(out, ",\"allocation\":{\"status\":\"");
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
	buf_adds(out, ",\"qty\":");
	put_int(out, a->qty);
	if (parts) {
		buf_adds(out, ",\"units\":[");
		for (uint32_t p = 0; p < nparts; p++) {
			buf_adds(out, p ? ",{\"sku\":" : "{\"sku\":");
			jw_string(out, intern_name(&b->st->skus, parts[p].sku),
			    intern_len(&b->st->skus, parts[p].sku));
			buf_adds(out, ",\"qty\":");
			put_int(out, parts[p].qty * a->qty);
			buf_addc(out, '}');
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
	int64_t rest;

	if (i >= r->o->nlines)
		return;
	buf_adds(out, "\"allocated\":[");
	for (uint32_t k = 0; k < l->nalloc; k++) {
		if (k)
			buf_addc(out, ',');
		render_entry(r->b, l, &r->b->allocs[l->alloc_first + k], out);
	}
	buf_adds(out, "],\"backordered\":");
	put_int(out, book_backordered(r->b, r->o, l));
	if ((rest = book_case_remainder(r->b, r->o, l))) {
		buf_adds(out, ",\"case_remainder\":");
		put_int(out, rest);
	}
	if (l->shipped) {
		buf_adds(out, ",\"shipped\":");
		put_int(out, l->shipped);
	}
}

bool
book_render(struct book *b, size_t i, const char *s, size_t n, struct buf *out)
{
	struct render_ctx r = {b, &b->orders[i]};
	struct splice_ops ops = {render_allocation, render_line, &r,
	    b->orders[i].closed_now ? "closed" : NULL};

	return splice_order(s, n, &ops, out);
}

/* Does rec's member key hold exactly the text s? */
static bool
says(const json_t *rec, const char *key, const char *s, size_t n)
{
	const json_t *v = json_object_get(rec, key);

	return json_is_string(v) && json_string_length(v) == n &&
	    memcmp(json_string_value(v), s, n) == 0;
}

bool
book_render_tracking(struct book *b, size_t i, struct buf *out)
{
	const struct track *t = &b->tracks[i];
	const json_t *type = json_object_get(t->rec, "type"), *v;
	const char *id, *k;
	size_t idn;

	if (t->order == OREF_NONE)
		return false;
	id = intern_name(&b->ids, b->orders[t->order].id);
	idn = intern_len(&b->ids, b->orders[t->order].id);
	if (says(t->rec, "order_id", id, idn) &&
	    (!t->shipment_id ||
		says(t->rec, "shipment_id", t->shipment_id, strlen(t->shipment_id))))
		return false;
	/* type, order_id and shipment_id first, as oms-records(5) lists them; the rest as they came. */
	buf_adds(out, "{\"type\":");
	jw_value(out, type);
	buf_adds(out, ",\"order_id\":");
	jw_string(out, id, idn);
	if (t->shipment_id) {
		buf_adds(out, ",\"shipment_id\":");
		jw_string(out, t->shipment_id, strlen(t->shipment_id));
	}
	json_object_foreach((json_t *)t->rec, k, v) {
		if (strcmp(k, "type") == 0 || strcmp(k, "order_id") == 0 ||
		    (t->shipment_id && strcmp(k, "shipment_id") == 0))
			continue;
		buf_addc(out, ',');
		jw_string(out, k, strlen(k));
		buf_addc(out, ':');
		jw_value(out, v);
	}
	buf_addc(out, '}');
	return true;
}

int64_t
book_case_remainder(const struct book *b, const struct order *o, const struct line *l)
{
	if (!b->case_packs || o->state != OS_OPEN)
		return 0;
	return units_case_remainder(
	    units_open(l->qty, l->shipped, l->idle) - book_allocated(b, l), l->case_pack);
}

int64_t
book_backordered(const struct book *b, const struct order *o, const struct line *l)
{
	return book_waits(o, l) ? 0
				: units_open(l->qty, l->shipped, false) -
		book_case_remainder(b, o, l) - book_allocated(b, l);
}

void
book_free(struct book *b)
{
	for (size_t i = 0; i < b->ntracks; i++) {
		json_decref(b->tracks[i].rec);
		free(b->tracks[i].file);
		free(b->tracks[i].raw);
		free(b->tracks[i].shipment_id);
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
	oref_free(&b->oref);
	json_decref(b->oref_rec);
	free(b->trace);
	buf_free(&b->notes);
	buf_free(&b->tmp);
	buf_free(&b->text);
	memset(b, 0, sizeof *b);
}
