/*
 * allocate.c: one allocation run. Orders are taken in rank order; each one
 * first sets what it may take of each line (its need, less what the rules
 * forbid), then looks for the fewest eligible locations that can give it
 * (singles, then pairs, then triples, in order of preference), and takes it.
 */
#include "allocate.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csvcell.h"
#include "date.h"
#include "rules.h"
#include "units.h"
#include "window.h"

/* ---- rules ---- */

static bool
whole_in(const json_t *v, long lo, long hi, long *out)
{
	if (!json_is_integer(v) || json_integer_value(v) < lo ||
	    json_integer_value(v) > hi)
		return false;
	*out = (long)json_integer_value(v);
	return true;
}

static uint32_t
channel_id(struct stock *st, const char *name)
{
	return intern_id(&st->channels, name, strlen(name));
}

static bool
load_protect(const json_t *list, struct stock *st, struct alloc_rules *r, struct buf *err)
{
	const json_t *e;
	size_t i;

	if (!json_is_array(list)) {
		buf_adds(err,
		    "protect: must be a list of {\"channel\", \"units\" or \"percent\"}");
		return false;
	}
	r->protect = xcalloc(json_array_size(list) + 1, sizeof *r->protect);
	json_array_foreach(list, i, e) {
		const json_t *ch = json_object_get(e, "channel");
		const json_t *units = json_object_get(e, "units"),
			     *pct = json_object_get(e, "percent");
		struct protect_rule *p;
		uint32_t id;
		long v = 0;

		if (!json_is_object(e) || !json_is_string(ch) || (!units) == (!pct) ||
		    json_object_size(e) != 2) {
			buf_printf(err,
			    "protect[%zu]: needs \"channel\" and one of \"units\" or "
			    "\"percent\", nothing else",
			    i + 1);
			return false;
		}
		if (units && !whole_in(units, 0, 1000000000, &v)) {
			buf_printf(
			    err, "protect[%zu].units: not a whole number >= 0", i + 1);
			return false;
		}
		if (pct && !whole_in(pct, 0, 100, &v)) {
			buf_printf(err,
			    "protect[%zu].percent: not a whole number from 0 to 100",
			    i + 1);
			return false;
		}
		/* Entries for one channel add up, and its usage is counted once. */
		id = channel_id(st, json_string_value(ch));
		for (p = r->protect; p < r->protect + r->nprotect && p->channel != id;
		     p++)
			;
		if (p == r->protect + r->nprotect) {
			r->nprotect++;
			p->channel = id;
		}
		if (units)
			p->units += v;
		else if ((p->percent += (int)v) > 100)
			p->percent = 100;
	}
	return true;
}

static bool
load_min_fill(const json_t *obj, struct stock *st, struct alloc_rules *r, struct buf *err)
{
	const char *name;
	const json_t *v;
	long pct;

	if (!json_is_object(obj)) {
		buf_adds(err, "min_fill: must be an object of channel: percent");
		return false;
	}
	json_object_foreach((json_t *)obj, name, v) {
		uint32_t id = channel_id(st, name);

		if (!whole_in(v, 0, 100, &pct)) {
			buf_printf(
			    err, "min_fill.%s: not a whole number from 0 to 100", name);
			return false;
		}
		if (id >= r->nchannels) {
			r->min_fill =
			    xrealloc(r->min_fill, (id + 1) * sizeof *r->min_fill);
			memset(r->min_fill + r->nchannels, 0,
			    (id + 1 - r->nchannels) * sizeof *r->min_fill);
			r->nchannels = id + 1;
		}
		r->min_fill[id] = (int)pct;
	}
	return true;
}

static bool
load_size_run(
    const json_t *list, struct stock *st, struct alloc_rules *r, struct buf *err)
{
	const json_t *e;
	size_t i;

	if (!json_is_array(list)) {
		buf_adds(err, "size_run: must be a list of channels");
		return false;
	}
	json_array_foreach(list, i, e) {
		uint32_t id;

		if (!json_is_string(e)) {
			buf_printf(err, "size_run[%zu]: not a channel name", i + 1);
			return false;
		}
		if ((id = channel_id(st, json_string_value(e))) >= CHANNEL_BITS) {
			buf_printf(err, "size_run: more than %d channels", CHANNEL_BITS);
			return false;
		}
		r->size_run |= UINT64_C(1) << id;
	}
	return true;
}

bool
alloc_rules_load(
    const json_t *sec, struct stock *st, struct alloc_rules *r, struct buf *err)
{
	const json_t *v;
	long n;

	memset(r, 0, sizeof *r);
	r->search_limit = 2000;
	r->case_pack = true;
	if (!rank_parse(sec ? json_object_get(sec, "sort") : NULL, &r->rank, err))
		return false;
	if (!sec)
		return true;
	if ((v = json_object_get(sec, "search_limit"))) {
		if (!whole_in(v, 1, 100000000, &r->search_limit)) {
			buf_adds(
			    err, "search_limit: not a whole number from 1 to 100000000");
			return false;
		}
	}
	if ((v = json_object_get(sec, "case_pack"))) {
		if (!json_is_boolean(v)) {
			buf_adds(err, "case_pack: must be true or false");
			return false;
		}
		r->case_pack = json_is_true(v);
	}
	if ((v = json_object_get(sec, "lead_days"))) {
		if (!whole_in(v, 0, 3650, &n)) {
			buf_adds(err, "lead_days: not a whole number from 0 to 3650");
			return false;
		}
		r->lead_days = (int)n;
	}
	return (!(v = json_object_get(sec, "protect")) || load_protect(v, st, r, err)) &&
	    (!(v = json_object_get(sec, "min_fill")) || load_min_fill(v, st, r, err)) &&
	    (!(v = json_object_get(sec, "size_run")) || load_size_run(v, st, r, err));
}

bool
alloc_rules_read(
    const char *path, struct stock *st, struct alloc_rules *r, struct buf *err)
{
	/* The keys alloc_rules_load reads, and no other. */
	static const char *const keys[] = {"case_pack", "lead_days", "min_fill",
	    "protect", "search_limit", "size_run", "sort", NULL};
	json_t *rules = NULL, *sec = NULL;
	bool ok;

	if (path && !(rules = rules_load(path, err)))
		return false;
	/*
	 * The split section's partial policy too: work it holds back does not
	 * count against capacity. oms-split checks the rest of its section.
	 */
	ok = rules_section(rules, "allocate", keys, &sec, err) &&
	    alloc_rules_load(sec, st, r, err) &&
	    partial_rules_load(
		json_object_get(json_object_get(rules, "split"), "partial"), &r->partial,
		err);
	if (!ok && path)
		buf_printf(err, " in %s", path);
	json_decref(rules);
	return ok;
}

void
alloc_rules_free(struct alloc_rules *r)
{
	for (size_t i = 0; i < r->nprotect; i++)
		free(r->protect[i].used);
	free(r->protect);
	free(r->min_fill);
	partial_rules_free(&r->partial);
	memset(r, 0, sizeof *r);
}

/* ---- one run ---- */

/* What an order wants of one of its lines while it is being allocated. */
struct want {
	struct line *l;
	const struct pack_part *parts; /* the stock units one unit of the line takes */
	uint32_t nparts;
	struct pack_part single; /* parts of a line that is no pack */
	int64_t pieces; /* stock units in one unit of the line */
	int64_t mult; /* the line is taken in multiples of this (its case pack) */
	int64_t need, kept, target;
	/*
	 * 1 + where in u->held the rule that zeroed the target starts (a rule
	 * is told up to the next "; "); 0: no rule held the line back.
	 */
	size_t held_at;
};

/* One allocation of the book: what every order's allocation reads and reuses. */
struct allocating {
	struct book *b;
	struct stock *st;
	struct alloc_rules *r;
	const struct alloc_opts *o;
	uint32_t *last_taker; /* per SKU id: 1 + the order that last took units */
	uint32_t *seen; /* per location: the last pass (stamp) that met it */
	uint32_t stamp;
	uint64_t hold_partial; /* per channel id: split.partial holds a partial order */
	size_t nfull; /* locations at capacity met by this order */
	int64_t *stock_total; /* per SKU id: on_hand less safety stock, every location */
	size_t nsku;
	/* The order being allocated. */
	struct want *w;
	size_t nw, w_cap;
	uint32_t *elig; /* eligible location ids, best first */
	size_t nelig, maxparts;
	struct stock_row **rowp; /* [(line * maxparts + part) * nelig + j] */
	int64_t *cap; /* [line * nelig + j]: what j alone could give the line */
	int64_t *take; /* [line * nelig + j] */
	int64_t *units_left; /* per j: max_units less what is held there */
	int64_t *trial_units; /* per j */
	uint32_t *set, *combo;
	size_t scratch_cap;
	const char *how; /* how the last sourcing chose its locations */
	struct buf held; /* why a rule held units back */
	struct buf text;
};

static void tracef(struct allocating *u, size_t oi, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
tracef(struct allocating *u, size_t oi, const char *fmt, ...)
{
	struct book *b = u->b;
	size_t at = b->notes.len;
	va_list ap;
	int n;

	if (!u->o->explain)
		return;
	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	buf_grow(&b->notes, (size_t)n + 1);
	va_start(ap, fmt);
	vsnprintf(b->notes.p + at, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->notes.len += (size_t)n;
	b->trace = xgrow(b->trace, &b->trace_cap, b->ntrace + 1, sizeof *b->trace, 1024);
	b->trace[b->ntrace++] = (struct trace_item){(uint32_t)oi, (uint32_t)n, at};
}

/* Set the order's status and reason (printf-style; NULL for none). */
static void set_status(struct allocating *u, struct order *o, enum alloc_status s,
    const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static void
set_status(
    struct allocating *u, struct order *o, enum alloc_status s, const char *fmt, ...)
{
	struct buf *notes = &u->b->notes;
	va_list ap;
	int n;

	o->status = (uint8_t)s;
	o->note_len = 0;
	if (!fmt)
		return;
	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	buf_grow(notes, (size_t)n + 1);
	o->note_at = notes->len;
	va_start(ap, fmt);
	vsnprintf(notes->p + notes->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	notes->len += (size_t)n;
	o->note_len = (uint32_t)n;
}

static const char *
sku_name(const struct allocating *u, uint32_t sku)
{
	return intern_name(&u->st->skus, sku);
}

static const char *
loc_name(const struct allocating *u, uint32_t loc)
{
	return intern_name(&u->st->locs, loc);
}

static void
release(struct book *b, const struct order *o)
{
	for (uint32_t i = 0; i < o->nlines; i++)
		b->lines[o->first_line + i].nalloc = 0;
}

/*
 * Hold an order with a line to ship that names no SKU: no stock can be
 * chosen for it, and shipping the rest would split what the customer
 * ordered together. The reason says how to mend it: the catalog's title
 * column (oms-import(1)) gives the line its SKU at the next import.
 */
static void
held_for_no_sku(struct allocating *u, size_t oi)
{
	struct book *b = u->b;
	struct order *o = &b->orders[oi];
	const struct line *l = &b->lines[o->first_line];

	while (!l->no_sku)
		l++;
	set_status(u, o, AS_HELD, "line %s has no SKU: add its title to the catalog",
	    intern_name(&b->line_ids, l->line_id));
	tracef(u, oi, "held: line %s has no SKU", intern_name(&b->line_ids, l->line_id));
}

/*
 * Decide what becomes of an order before any stock moves: cancelled,
 * closed, outside its ship window, or open with its earlier allocations
 * kept or released. True when it is to be allocated.
 */
static bool
settle_order(struct allocating *u, size_t oi)
{
	struct book *b = u->b;
	struct order *o = &b->orders[oi];
	char d1[DATE_TEXT_MAX], d2[DATE_TEXT_MAX];
	struct ship_window w;
	enum window_stand stand;

	if (o->state != OS_OPEN) {
		release(b, o);
		set_status(
		    u, o, o->state == OS_CANCELLED ? AS_CANCELLED : AS_CLOSED, NULL);
		return false;
	}
	window_of_rank(&w, &o->rank, u->r->lead_days);
	stand = window_at(&w, u->o->as_of);
	if (stand == WINDOW_EXPIRED) {
		release(b, o);
		set_status(u, o, AS_EXPIRED, "cancel_after %s has passed",
		    date_format(w.cancel_after, d1));
		return false;
	}
	if (o->no_sku) {
		release(b, o);
		held_for_no_sku(u, oi);
		return false;
	}
	if (stand == WINDOW_NOT_YET) {
		release(b, o);
		if (w.lead_days)
			set_status(u, o, AS_NOT_YET,
			    "stock is reserved from %s (start_ship %s less %d lead "
			    "days)",
			    date_format(window_opens(&w), d1),
			    date_format(w.start_ship, d2), w.lead_days);
		else
			set_status(u, o, AS_NOT_YET, "ship window opens %s",
			    date_format(window_opens(&w), d1));
		return false;
	}
	o->disturbed = o->changed;
	if (u->o->reallocate && o->has_allocation) {
		release(b, o);
		o->disturbed = true;
		tracef(u, oi, "released: --reallocate starts from nothing");
	} else if (o->changed) {
		release(b, o);
		tracef(u, oi, "released: the order changed since it was allocated");
	}
	for (uint32_t i = 0; i < o->nlines; i++)
		if (b->lines[o->first_line + i].idle)
			b->lines[o->first_line + i].nalloc = 0;
	return true;
}

/* Does the order hold units at loc already? */
static bool
holds_at(const struct book *b, const struct order *o, uint32_t loc)
{
	for (uint32_t i = 0; i < o->nlines; i++) {
		const struct line *l = &b->lines[o->first_line + i];

		for (uint32_t k = 0; k < l->nalloc; k++)
			if (b->allocs[l->alloc_first + k].loc == loc)
				return true;
	}
	return false;
}

/* Count units of sku the order's channel now holds against its protections. */
static void
use_protection(struct allocating *u, uint32_t channel, uint32_t sku, int64_t n)
{
	for (size_t p = 0; p < u->r->nprotect; p++)
		if (u->r->protect[p].channel == channel)
			u->r->protect[p].used[sku] += n;
}

/* ---- case remainders ---- */

/*
 * Name the order's case remainders into out (empty when it has none), the
 * way every tool names them: "case remainder: 6 of SKU (case pack 12)".
 */
static void
tell_remainders(const struct allocating *u, const struct order *o, struct buf *out)
{
	buf_reset(out);
	for (uint32_t i = 0; i < o->nlines; i++) {
		const struct line *l = &u->b->lines[o->first_line + i];

		int64_t rest = book_case_remainder(u->b, o, l);

		if (!rest)
			continue;
		buf_printf(out, "%s%" PRId64 " of %s (case pack %" PRId64 ")",
		    out->len ? ", " : "case remainder, never allocated: ", rest,
		    sku_name(u, l->sku), l->case_pack);
	}
}

/* The units of a line of o that can be allocated: its open units less its case remainder. */
static int64_t
fillable(const struct allocating *u, const struct order *o, const struct line *l)
{
	return units_open(l->qty, l->shipped, l->idle) - book_case_remainder(u->b, o, l);
}

/* ---- capacity: the work a location is asked to ship ---- */

/* Stock units in one unit of a line made of parts (a prepack's sizes, or the SKU itself). */
static int64_t
parts_pieces(const struct pack_part *parts, uint32_t n)
{
	int64_t pieces = 0;

	for (uint32_t p = 0; p < n; p++)
		pieces += parts[p].qty;
	return pieces;
}

/* Stock units in one unit of the line (a prepack holds several). */
static int64_t
line_pieces(const struct allocating *u, const struct line *l)
{
	struct pack_part single;
	uint32_t np;
	const struct pack_part *parts = stock_parts(u->st, l->sku, &single, &np);

	return parts_pieces(parts, np);
}

/* Is the order's ship window still shut on the day of the run (lead days aside)? */
static bool
before_window(const struct allocating *u, const struct order *o)
{
	struct ship_window w;

	window_of_rank(&w, &o->rank, 0);
	return window_opens_after(&w, u->o->as_of);
}

/* Does split.partial hold a partial order of channel until it is whole? */
static bool
holds_partial(const struct allocating *u, uint32_t channel)
{
	if (channel < CHANNEL_BITS)
		return u->hold_partial >> channel & 1;
	return partial_policy_of(&u->r->partial, intern_name(&u->st->channels, channel))
		   ->kind == PARTIAL_HOLD;
}

/*
 * Does what the order holds count against its locations' capacity? Only
 * work a location is asked to ship: not stock reserved ahead of a ship
 * window (oms-split holds it until start_ship), nor a partial order that
 * its channel's split.partial policy "hold" keeps back until it is whole.
 */
static bool
is_work(const struct allocating *u, const struct order *o)
{
	int64_t open = 0, have = 0;

	if (before_window(u, o))
		return false;
	if (!holds_partial(u, o->channel))
		return true;
	for (uint32_t i = 0; i < o->nlines; i++) {
		const struct line *l = &u->b->lines[o->first_line + i];

		open += fillable(u, o, l);
		have += book_allocated(u->b, l);
	}
	return have >= open;
}

/*
 * Count the order's work, once it is work: each location it holds units at
 * gets one order and the stock units it holds there.
 */
static void
count_if_work(struct allocating *u, struct order *o)
{
	if (o->works || !is_work(u, o))
		return;
	o->works = true;
	u->stamp++;
	for (uint32_t i = 0; i < o->nlines; i++) {
		const struct line *l = &u->b->lines[o->first_line + i];
		int64_t pieces = line_pieces(u, l);

		for (uint32_t e = 0; e < l->nalloc; e++) {
			const struct alloc *a = &u->b->allocs[l->alloc_first + e];

			u->st->loc[a->loc].units += a->qty * pieces;
			if (u->seen[a->loc] != u->stamp) {
				u->seen[a->loc] = u->stamp;
				u->st->loc[a->loc].orders++;
			}
		}
	}
}

/* Stock units the order holds at loc that are not yet counted as work. */
static int64_t
uncounted_at(const struct allocating *u, const struct order *o, uint32_t loc)
{
	int64_t n = 0;

	if (o->works)
		return 0;
	for (uint32_t i = 0; i < o->nlines; i++) {
		const struct line *l = &u->b->lines[o->first_line + i];

		for (uint32_t e = 0; e < l->nalloc; e++)
			if (u->b->allocs[l->alloc_first + e].loc == loc)
				n += u->b->allocs[l->alloc_first + e].qty *
				    line_pieces(u, l);
	}
	return n;
}

/* ---- size runs kept whole ---- */

/* A line is allocated in multiples of this: its case pack, under the rule. */
static int64_t
line_mult(const struct allocating *u, const struct line *l)
{
	return u->r->case_pack && l->case_pack > 1 ? l->case_pack : 1;
}

/* Units the line still lacks, in whole cases (the rest is never allocated). */
static int64_t
line_short(const struct allocating *u, const struct line *l)
{
	int64_t left =
	    l->idle ? 0 : units_open(l->qty, l->shipped, false) - book_allocated(u->b, l);

	return left / line_mult(u, l) * line_mult(u, l);
}

/* Does the order's channel keep its size runs whole (rules: size_run)? */
static bool
keeps_runs(const struct allocating *u, const struct order *o)
{
	return o->channel < CHANNEL_BITS && (u->r->size_run >> o->channel & 1);
}

/* Give back what the lines of group g kept, saying why: short lacks units. */
static void
release_run(struct allocating *u, size_t oi, uint32_t g, const struct line *short_line)
{
	struct order *o = &u->b->orders[oi];

	tracef(u, oi, "size run %s released whole: %s is %" PRId64 " short",
	    intern_name(&u->b->groups, g), sku_name(u, short_line->sku),
	    line_short(u, short_line));
	for (uint32_t i = 0; i < o->nlines; i++) {
		struct line *l = &u->b->lines[o->first_line + i];
		struct pack_part single;
		uint32_t np;
		const struct pack_part *parts;

		if (l->group != g)
			continue;
		parts = stock_parts(u->st, l->sku, &single, &np);
		for (uint32_t e = 0; e < l->nalloc; e++) {
			const struct alloc *a = &u->b->allocs[l->alloc_first + e];

			for (uint32_t p = 0; p < np; p++) {
				stock_row_at(u->st, parts[p].sku, a->loc)->allocated -=
				    a->qty * parts[p].qty;
				use_protection(
				    u, o->channel, parts[p].sku, -a->qty * parts[p].qty);
			}
		}
		l->nalloc = 0;
	}
	o->disturbed = true;
}

/*
 * A size run holds what it kept only while it is whole: when a recount
 * took units from one size (its stock fell) or an earlier run left it
 * part-filled, the run is released whole, to be allocated again whole or
 * not at all in the order's turn.
 */
static void
release_broken_runs(struct allocating *u, size_t oi)
{
	const struct order *o = &u->b->orders[oi];
	const struct line *lines = &u->b->lines[o->first_line];

	if (!keeps_runs(u, o))
		return;
	for (uint32_t i = 0; i < o->nlines; i++) {
		if (lines[i].group == INTERN_NONE || !lines[i].nalloc)
			continue;
		for (uint32_t j = 0; j < o->nlines; j++)
			if (lines[j].group == lines[i].group &&
			    line_short(u, &lines[j])) {
				release_run(u, oi, lines[i].group, &lines[j]);
				break;
			}
	}
}

/* Stock units the order takes at loc in this turn (u->take). */
static int64_t
taken_at(const struct allocating *u, uint32_t loc)
{
	int64_t n = 0;

	for (size_t j = 0; j < u->nelig; j++)
		if (u->elig[j] == loc)
			for (size_t i = 0; i < u->nw; i++)
				n += u->take[i * u->nelig + j] * u->w[i].pieces;
	return n;
}

/* Would the order be whole with what it takes in this turn? */
static bool
whole_with_takes(const struct allocating *u, const struct order *o)
{
	for (size_t i = 0; i < u->nw; i++) {
		int64_t got = book_allocated(u->b, u->w[i].l);

		for (size_t j = 0; j < u->nelig; j++)
			got += u->take[i * u->nelig + j];
		if (got < fillable(u, o, u->w[i].l))
			return false;
	}
	return true;
}

/*
 * May the order take what it found? An order that holds units it does not
 * count (a partial order held by split.partial "hold") counts them all once
 * it is whole: when its takes would make it whole and a location where it
 * holds units has no room left for them (orders ranked before it filled
 * it), it takes nothing and stays held, so completing an order never puts
 * a location over its capacity. Said in the order's reason.
 */
static bool
room_to_complete(struct allocating *u, size_t oi)
{
	const struct order *o = &u->b->orders[oi];

	if (o->works || before_window(u, o) || !whole_with_takes(u, o))
		return true;
	for (uint32_t i = 0; i < o->nlines; i++) {
		const struct line *l = &u->b->lines[o->first_line + i];

		for (uint32_t e = 0; e < l->nalloc; e++) {
			uint32_t loc = u->b->allocs[l->alloc_first + e].loc;
			const struct location *c = &u->st->loc[loc];
			bool orders = c->max_orders >= 0 && c->orders >= c->max_orders;

			if (!orders &&
			    !(c->max_units >= 0 &&
				c->units + uncounted_at(u, o, loc) + taken_at(u, loc) >
				    c->max_units))
				continue;
			size_t from = u->held.len ? u->held.len + 2 : 0;

			if (u->held.len)
				buf_adds(&u->held, "; ");
			buf_printf(&u->held,
			    "capacity: whole, it would put %s over its %" PRId64 " %s",
			    loc_name(u, loc), orders ? c->max_orders : c->max_units,
			    orders ? "orders (max_orders)" : "units (max_units)");
			tracef(u, oi, "%s", u->held.p + from);
			return false;
		}
	}
	return true;
}

/*
 * Take the kept allocations of an order into the stock, in rank order: an
 * entry the location can no longer hold (its stock fell) is released.
 */
static void
keep_allocations(struct allocating *u, size_t oi)
{
	struct book *b = u->b;
	struct order *o = &b->orders[oi];
	int64_t kept = 0;

	for (uint32_t i = 0; i < o->nlines; i++) {
		struct line *l = &b->lines[o->first_line + i];
		struct alloc *a = &b->allocs[l->alloc_first];
		struct pack_part single;
		uint32_t np, k = 0;
		const struct pack_part *parts = stock_parts(u->st, l->sku, &single, &np);
		int64_t room = units_open(l->qty, l->shipped, false);

		for (uint32_t e = 0; e < l->nalloc; e++) {
			bool fits = true;

			/* Units shipped from elsewhere leave less of the line to hold. */
			if (a[e].qty > room)
				a[e].qty = room;
			if (a[e].qty <= 0)
				continue;
			room -= a[e].qty;

			for (uint32_t p = 0; p < np && fits; p++) {
				struct stock_row *r =
				    stock_row_at(u->st, parts[p].sku, a[e].loc);

				fits = r && stock_avail(r) >= a[e].qty * parts[p].qty;
			}
			if (!fits) {
				tracef(u, oi,
				    "released %" PRId64
				    " of %s at %s: its stock there fell",
				    a[e].qty, sku_name(u, l->sku), loc_name(u, a[e].loc));
				o->disturbed = true;
				continue;
			}
			for (uint32_t p = 0; p < np; p++) {
				stock_row_at(u->st, parts[p].sku, a[e].loc)->allocated +=
				    a[e].qty * parts[p].qty;
				use_protection(
				    u, o->channel, parts[p].sku, a[e].qty * parts[p].qty);
			}
			kept += a[e].qty;
			a[k++] = a[e];
		}
		l->nalloc = k;
	}
	release_broken_runs(u, oi);
	o->works = false;
	count_if_work(u, o);
	if (kept)
		tracef(u, oi, "kept %" PRId64 " units allocated in an earlier run", kept);
}

/* ---- the order being allocated ---- */

static void
grow_scratch(struct allocating *u)
{
	size_t need = u->nw * u->maxparts * u->nelig + u->nw * u->nelig + u->nelig + 1;

	if (need <= u->scratch_cap)
		return;
	u->scratch_cap = need * 2;
	u->rowp = xrealloc(u->rowp, u->scratch_cap * sizeof *u->rowp);
	u->cap = xrealloc(u->cap, u->scratch_cap * sizeof *u->cap);
	u->take = xrealloc(u->take, u->scratch_cap * sizeof *u->take);
	u->units_left = xrealloc(u->units_left, u->scratch_cap * sizeof *u->units_left);
	u->trial_units =
	    xrealloc(u->trial_units, u->scratch_cap * sizeof *u->trial_units);
	u->set = xrealloc(u->set, u->scratch_cap * sizeof *u->set);
	u->elig = xrealloc(u->elig, u->scratch_cap * sizeof *u->elig);
	u->combo = xrealloc(u->combo, u->scratch_cap * sizeof *u->combo);
}

/* The lines of order o as wants: what each still needs, in what multiples. */
static void
build_wants(struct allocating *u, const struct order *o)
{
	u->nw = 0;
	u->maxparts = 1;
	if (o->nlines > u->w_cap) {
		u->w_cap = o->nlines * 2;
		u->w = xrealloc(u->w, u->w_cap * sizeof *u->w);
	}
	for (uint32_t i = 0; i < o->nlines; i++) {
		struct want *w = &u->w[u->nw++];

		memset(w, 0, sizeof *w);
		w->l = &u->b->lines[o->first_line + i];
		w->parts = stock_parts(u->st, w->l->sku, &w->single, &w->nparts);
		w->pieces = parts_pieces(w->parts, w->nparts);
		w->mult = line_mult(u, w->l);
		w->kept = book_allocated(u->b, w->l);
		w->need = w->l->idle
		    ? 0
		    : units_open(w->l->qty, w->l->shipped, false) - w->kept;
		if (w->nparts > u->maxparts)
			u->maxparts = w->nparts;
	}
}

/* Location a before b for this order: ship-to region, then country, then priority, then name. */
static int
prefer(const struct allocating *u, const struct order *o, uint32_t a, uint32_t b)
{
	const struct location *la = &u->st->loc[a], *lb = &u->st->loc[b];
	int ra = la->country == o->country && la->region == o->region;
	int rb = lb->country == o->country && lb->region == o->region;

	if (ra != rb)
		return rb - ra;
	if ((la->country == o->country) != (lb->country == o->country))
		return la->country == o->country ? -1 : 1;
	if (la->priority != lb->priority)
		return la->priority < lb->priority ? -1 : 1;
	return strcmp(loc_name(u, a), loc_name(u, b));
}

/* Units of want w location index j can give now, less what a trial took. */
static int64_t
can_give(const struct allocating *u, size_t i, size_t j, bool trial)
{
	const struct want *w = &u->w[i];
	int64_t n = INT64_MAX;

	for (uint32_t p = 0; p < w->nparts; p++) {
		struct stock_row *r = u->rowp[(i * u->maxparts + p) * u->nelig + j];
		int64_t free_units = r ? stock_avail(r) - (trial ? r->trial : 0) : 0;
		int64_t k = free_units > 0 ? free_units / w->parts[p].qty : 0;

		if (k < n)
			n = k;
	}
	if (u->units_left[j] != INT64_MAX) {
		int64_t room = u->units_left[j] - (trial ? u->trial_units[j] : 0);
		int64_t k = room > 0 ? room / w->pieces : 0;

		if (k < n)
			n = k;
	}
	return n / w->mult * w->mult;
}

/*
 * The locations that may serve the order, best first, with what each could
 * give each line. Locations that would serve but are full are named in the
 * trace.
 */
/* Is loc kept from this order by its capacity? Said in the trace. */
static bool
full_up(struct allocating *u, size_t oi, uint32_t loc)
{
	const struct location *l = &u->st->loc[loc];
	const struct order *o = &u->b->orders[oi];
	/* An order counted there already adds none; one not yet counted would. */
	bool orders = l->max_orders >= 0 && l->orders >= l->max_orders &&
	    !(o->works && holds_at(u->b, o, loc));

	if (!orders && !(l->max_units >= 0 && l->units >= l->max_units))
		return false;
	/* A few by name; a network of full stores would swamp the trace. */
	if (++u->nfull <= 3)
		tracef(u, oi, "%s not used: it has its %" PRId64 " %s", loc_name(u, loc),
		    orders ? l->max_orders : l->max_units,
		    orders ? "orders (max_orders)" : "units (max_units)");
	return true;
}

static const struct allocating *prefer_run; /* qsort has no context argument in C11 */
static const struct order *prefer_order;

static int
cmp_prefer(const void *a, const void *b)
{
	return prefer(
	    prefer_run, prefer_order, *(const uint32_t *)a, *(const uint32_t *)b);
}

/*
 * The locations that may serve the order, best first, with what each could
 * give each line: those stocking something it needs, found through its
 * SKUs' rows, so a network of hundreds of stores costs only where the
 * SKUs are. Locations that would serve but are full are named in the trace.
 */
static void
find_eligible(struct allocating *u, size_t oi)
{
	const struct order *o = &u->b->orders[oi];
	uint32_t nloc = (uint32_t)u->st->locs.n;
	/* Stock reserved ahead of its window is no work of today's: no capacity. */
	bool limited = !before_window(u, o);

	u->nelig = nloc;
	grow_scratch(u);
	u->nelig = 0;
	u->nfull = 0;
	u->stamp++;
	for (size_t i = 0; i < u->nw; i++)
		for (uint32_t p = 0; p < u->w[i].nparts && u->w[i].need; p++) {
			uint32_t n;
			const struct stock_row *r =
			    stock_rows(u->st, u->w[i].parts[p].sku, &n);

			for (uint32_t k = 0; k < n; k++) {
				uint32_t loc = r[k].loc;

				if (u->seen[loc] == u->stamp || stock_avail(&r[k]) <= 0 ||
				    !stock_serves(u->st, loc, o->channel))
					continue;
				u->seen[loc] = u->stamp;
				if (!limited || !full_up(u, oi, loc))
					u->elig[u->nelig++] = loc;
			}
		}
	if (u->nfull > 3)
		tracef(u, oi, "%zu more locations not used: at their capacity",
		    u->nfull - 3);
	prefer_run = u;
	prefer_order = o;
	qsort(u->elig, u->nelig, sizeof *u->elig, cmp_prefer);
	grow_scratch(u);
	for (size_t j = 0; j < u->nelig; j++) {
		const struct location *l = &u->st->loc[u->elig[j]];

		u->units_left[j] = limited && l->max_units >= 0
		    ? l->max_units - l->units - uncounted_at(u, o, u->elig[j])
		    : INT64_MAX;
		for (size_t i = 0; i < u->nw; i++)
			for (size_t p = 0; p < u->maxparts; p++)
				u->rowp[(i * u->maxparts + p) * u->nelig + j] =
				    p < u->w[i].nparts
				    ? stock_row_at(
					  u->st, u->w[i].parts[p].sku, u->elig[j])
				    : NULL;
	}
	for (size_t i = 0; i < u->nw; i++)
		for (size_t j = 0; j < u->nelig; j++)
			u->cap[i * u->nelig + j] = can_give(u, i, j, false);
}

/* Units of sku protected for channels other than channel: out of its reach. */
static int64_t
protected_from(const struct allocating *u, uint32_t channel, uint32_t sku)
{
	int64_t n = 0;

	for (size_t p = 0; p < u->r->nprotect; p++) {
		const struct protect_rule *pr = &u->r->protect[p];
		int64_t keep;

		if (pr->channel == channel)
			continue;
		keep = pr->units + u->stock_total[sku] * pr->percent / 100;
		if (keep > pr->used[sku])
			n += keep - pr->used[sku];
	}
	return n;
}

/* Units of sku free now, every location. */
static int64_t
network_free(const struct allocating *u, uint32_t sku)
{
	uint32_t n;
	struct stock_row *r = stock_rows(u->st, sku, &n);
	int64_t total = 0;

	for (uint32_t i = 0; i < n; i++)
		total += stock_avail(&r[i]);
	return total;
}

/* Units of sku the wants before want i mean to take (their targets so far). */
static int64_t
planned(const struct allocating *u, size_t i, uint32_t sku)
{
	int64_t n = 0;

	for (size_t k = 0; k < i; k++)
		for (uint32_t p = 0; p < u->w[k].nparts; p++)
			if (u->w[k].parts[p].sku == sku)
				n += u->w[k].target * u->w[k].parts[p].qty;
	return n;
}

/* Targets: what each line may take at most from the eligible locations, by its multiples. */
static void
set_targets(struct allocating *u, size_t oi)
{
	const struct order *o = &u->b->orders[oi];

	for (size_t i = 0; i < u->nw; i++) {
		struct want *w = &u->w[i];
		int64_t sum = 0, lim = INT64_MAX;

		for (size_t j = 0; j < u->nelig; j++)
			sum += u->cap[i * u->nelig + j];
		for (uint32_t p = 0; p < w->nparts && u->r->nprotect; p++) {
			uint32_t sku = w->parts[p].sku;
			int64_t kept = protected_from(u, o->channel, sku);
			/* The order's earlier lines of the same size draw on the same budget. */
			int64_t room = network_free(u, sku) - kept - planned(u, i, sku);
			int64_t k = room > 0 ? room / w->parts[p].qty : 0;

			if (k < lim)
				lim = k;
			if (kept > 0 && k < w->need && k < sum)
				tracef(u, oi,
				    "%s: %" PRId64 " units protected for other channels",
				    sku_name(u, sku), kept);
		}
		if (lim < sum)
			sum = lim / w->mult * w->mult;
		w->target =
		    sum < w->need ? sum / w->mult * w->mult : w->need / w->mult * w->mult;
		if (w->mult > 1 && w->need % w->mult)
			tracef(u, oi,
			    "%s: taken in cases of %" PRId64 "; case remainder %" PRId64
			    ", never allocated",
			    sku_name(u, w->l->sku), w->mult, w->need % w->mult);
	}
}

/* What a line can have at most: its need in whole cases (the rest is never allocated). */
static int64_t
whole_cases(const struct want *w)
{
	return w->need / w->mult * w->mult;
}

/* Zero the targets of every want for which pick says so. */
static bool
zero_targets(struct allocating *u,
    bool (*pick)(const struct allocating *u, size_t i, const void *arg), const void *arg)
{
	bool changed = false;

	for (size_t i = 0; i < u->nw; i++)
		if (pick(u, i, arg) && u->w[i].target) {
			u->w[i].target = 0;
			changed = true;
		}
	return changed;
}

/* The lines pick chooses are held back by the rule told at u->held's end (at). */
static void
mark_held(struct allocating *u,
    bool (*pick)(const struct allocating *u, size_t i, const void *arg), const void *arg,
    size_t at)
{
	for (size_t i = 0; i < u->nw; i++)
		if (pick(u, i, arg))
			u->w[i].held_at = at + 1;
}

static bool
in_group(const struct allocating *u, size_t i, const void *arg)
{
	return u->w[i].l->group == *(const uint32_t *)arg;
}

static bool
any_want(const struct allocating *u, size_t i, const void *arg)
{
	(void)u, (void)i, (void)arg;
	return true;
}

/*
 * Apply the all-or-nothing rules to got (per want: what it would get): a
 * size run short of any size, a ship-complete order short of anything, an
 * order under its channel's minimum fill. True when a target was zeroed; the
 * rule is told in u->held.
 */
static bool
enforce(struct allocating *u, size_t oi, const int64_t *got)
{
	const struct order *o = &u->b->orders[oi];
	int64_t open = 0, have = 0, total_got = 0;
	bool changed = false;
	int pct = o->channel < u->r->nchannels ? u->r->min_fill[o->channel] : 0;

	if (keeps_runs(u, o))
		for (size_t i = 0; i < u->nw; i++) {
			uint32_t g = u->w[i].l->group;

			if (g == INTERN_NONE || got[i] >= whole_cases(&u->w[i]))
				continue;
			if (zero_targets(u, in_group, &g)) {
				size_t from = u->held.len ? u->held.len + 2 : 0;

				changed = true;
				if (u->held.len)
					buf_adds(&u->held, "; ");
				mark_held(u, in_group, &g, from);
				buf_printf(&u->held,
				    "size run %s held: %s is %" PRId64 " short",
				    intern_name(&u->b->groups, g),
				    sku_name(u, u->w[i].l->sku), u->w[i].need - got[i]);
				tracef(u, oi, "%s", u->held.p + from);
			}
		}
	for (size_t i = 0; i < u->nw; i++) {
		int64_t g = u->w[i].target < got[i] ? u->w[i].target : got[i];

		open += fillable(u, o, u->w[i].l);
		have += u->w[i].kept + g;
		total_got += g;
	}
	if (o->ship_complete && have < open && total_got > 0 &&
	    zero_targets(u, any_want, NULL)) {
		buf_reset(&u->held);
		mark_held(u, any_want, NULL, 0);
		buf_printf(&u->held,
		    "ship_complete: %" PRId64 " of %" PRId64 " units available", have,
		    open);
		tracef(u, oi, "%s", u->held.p);
		return true;
	}
	if (pct && have * 100 < (int64_t)pct * open && total_got > 0 &&
	    zero_targets(u, any_want, NULL)) {
		buf_reset(&u->held);
		mark_held(u, any_want, NULL, 0);
		buf_printf(&u->held, "min_fill: %" PRId64 "%% available, %s needs %d%%",
		    open ? have * 100 / open : 0,
		    intern_name(&u->st->channels, o->channel), pct);
		tracef(u, oi, "%s", u->held.p);
		return true;
	}
	return changed;
}

/*
 * Share the targets out over the locations set[0..n) (indexes into elig), in
 * that order, into u->take. Returns the units taken; *covered tells whether
 * every target was met.
 */
static int64_t
distribute(struct allocating *u, const uint32_t *set, size_t n, bool *covered)
{
	int64_t total = 0;

	/* Only the set's rows: a trial touches nothing else. */
	for (size_t s = 0; s < n; s++) {
		for (size_t k = set[s]; k < u->nw * u->maxparts * u->nelig; k += u->nelig)
			if (u->rowp[k])
				u->rowp[k]->trial = 0;
		u->trial_units[set[s]] = 0;
	}
	memset(u->take, 0, u->nw * u->nelig * sizeof *u->take);
	*covered = true;
	for (size_t i = 0; i < u->nw; i++) {
		struct want *w = &u->w[i];
		int64_t rem = w->target;

		for (size_t s = 0; s < n && rem > 0; s++) {
			size_t j = set[s];
			int64_t x = can_give(u, i, j, true);

			if (x > rem)
				x = rem / w->mult * w->mult;
			if (x <= 0)
				continue;
			for (uint32_t p = 0; p < w->nparts; p++)
				u->rowp[(i * u->maxparts + p) * u->nelig + j]->trial +=
				    x * w->parts[p].qty;
			u->trial_units[j] += x * w->pieces;
			u->take[i * u->nelig + j] = x;
			rem -= x;
			total += x;
		}
		if (rem > 0)
			*covered = false;
	}
	return total;
}

/* Could set[0..n) cover every target, counting each location's stock as its own? */
static bool
may_cover(const struct allocating *u, const uint32_t *set, size_t n)
{
	for (size_t i = 0; i < u->nw; i++) {
		int64_t sum = 0;

		for (size_t s = 0; s < n && sum < u->w[i].target; s++)
			sum += u->cap[i * u->nelig + set[s]];
		if (sum < u->w[i].target)
			return false;
	}
	return true;
}

/* The next combination of k out of m in lexicographic order; false after the last. */
static bool
next_combo(uint32_t *c, size_t k, size_t m)
{
	size_t i = k;

	while (i > 0 && c[i - 1] == m - k + i - 1)
		i--;
	if (i == 0)
		return false;
	c[i - 1]++;
	for (size_t j = i; j < k; j++)
		c[j] = c[j - 1] + 1;
	return true;
}

/*
 * Greedy cover: add the location that gives the most units more, ties to
 * the better one, until none adds anything. Leaves its takes in u->take.
 */
static size_t
greedy(struct allocating *u)
{
	size_t n = 0;
	int64_t have = 0;
	bool covered;

	for (;;) {
		size_t best = SIZE_MAX;
		int64_t best_units = have;

		for (size_t j = 0; j < u->nelig; j++) {
			bool used = false;
			int64_t got;

			for (size_t s = 0; s < n; s++)
				used |= u->set[s] == j;
			if (used)
				continue;
			u->set[n] = (uint32_t)j;
			if ((got = distribute(u, u->set, n + 1, &covered)) > best_units) {
				best = j;
				best_units = got;
			}
		}
		if (best == SIZE_MAX)
			break;
		u->set[n++] = (uint32_t)best;
		have = best_units;
	}
	/* The chosen locations give in order of preference, as an exact set does. */
	qsort(u->set, n, sizeof *u->set, cmp_u32);
	distribute(u, u->set, n, &covered);
	return n;
}

/* Name the locations of set[0..n) joined by " + ". */
static void
set_names(struct allocating *u, size_t n, struct buf *out)
{
	buf_reset(out);
	for (size_t s = 0; s < n; s++) {
		if (s)
			buf_adds(out, " + ");
		buf_adds(out, loc_name(u, u->elig[u->set[s]]));
	}
}

/*
 * Find the fewest locations covering every target: singles, pairs, triples
 * ... in lexicographic order of preference; the first that covers wins.
 * Past the search limit, or when none covers, greedy. Leaves the takes in
 * u->take and the set in u->set; returns its size.
 */
static size_t
source(struct allocating *u)
{
	long tries = 0;
	bool covered;

	for (size_t k = 1; k <= u->nelig; k++) {
		for (size_t s = 0; s < k; s++)
			u->combo[s] = (uint32_t)s;
		do {
			if (++tries > u->r->search_limit) {
				u->how = "taken greedily, past the search limit";
				return greedy(u);
			}
			if (!may_cover(u, u->combo, k))
				continue;
			distribute(u, u->combo, k, &covered);
			if (covered) {
				memcpy(u->set, u->combo, k * sizeof *u->set);
				u->how = k == 1
				    ? "one location covers the order"
				    : "the fewest locations that cover the order";
				return k;
			}
		} while (next_combo(u->combo, k, u->nelig));
	}
	u->how = "no set of locations covers everything; taken greedily";
	return greedy(u);
}

/*
 * Move the takes into the stock and onto the lines (after their kept
 * entries); an order already counted as work counts them against capacity.
 */
static void
commit(struct allocating *u, size_t oi)
{
	struct book *b = u->b;
	struct order *o = &b->orders[oi];
	struct alloc *merged = xmalloc((u->nelig + 1) * sizeof *merged);
	size_t merged_cap = u->nelig + 1;

	for (size_t j = 0; j < u->nelig; j++) {
		bool any = false;

		for (size_t i = 0; i < u->nw; i++)
			any |= u->take[i * u->nelig + j] > 0;
		if (any && o->works && !holds_at(b, o, u->elig[j]))
			u->st->loc[u->elig[j]].orders++;
	}
	for (size_t i = 0; i < u->nw; i++) {
		struct want *w = &u->w[i];
		struct line *l = w->l;
		uint32_t n = 0;

		if (l->nalloc + u->nelig + 1 > merged_cap) {
			merged_cap = l->nalloc + u->nelig + 1;
			merged = xrealloc(merged, merged_cap * sizeof *merged);
		}
		for (uint32_t k = 0; k < l->nalloc; k++)
			merged[n++] = b->allocs[l->alloc_first + k];
		for (size_t s = 0; s < u->nelig; s++) {
			int64_t x = u->take[i * u->nelig + s];
			uint32_t loc = u->elig[s], k;

			if (x <= 0)
				continue;
			for (uint32_t p = 0; p < w->nparts; p++) {
				u->rowp[(i * u->maxparts + p) * u->nelig + s]
				    ->allocated += x * w->parts[p].qty;
				use_protection(
				    u, o->channel, w->parts[p].sku, x * w->parts[p].qty);
				u->last_taker[w->parts[p].sku] = (uint32_t)oi + 1;
			}
			if (o->works)
				u->st->loc[loc].units += x * w->pieces;
			for (k = 0; k < n && merged[k].loc != loc; k++)
				;
			if (k == n)
				merged[n++] = (struct alloc){loc, 0};
			merged[k].qty += x;
		}
		l->alloc_first = book_new_allocs(b, merged, n);
		l->nalloc = n;
	}
	free(merged);
}

/*
 * A line a rule held back with some of its stock left (too little to fill
 * it): the rule left it, told up to the next "; " of u->held.
 */
static void
explain_held(
    struct allocating *u, size_t oi, const struct want *w, int64_t back, uint32_t sku)
{
	const char *rule = u->held.p + w->held_at - 1, *end = strstr(rule, "; ");

	tracef(u, oi,
	    "%s: %" PRId64 " short; the %" PRId64 " of %s left are held back by %.*s",
	    sku_name(u, w->l->sku), back, network_free(u, sku), sku_name(u, sku),
	    (int)(end ? (size_t)(end - rule) : strlen(rule)), rule);
}

/*
 * Say why a line is short: who took the last units of the size it lacks (a
 * pack lacks one of its sizes), or that no location has any left.
 */
static void
explain_line(struct allocating *u, size_t oi, const struct want *w, int64_t back)
{
	for (uint32_t p = 0; p < w->nparts; p++) {
		uint32_t sku = w->parts[p].sku;
		uint32_t taker = sku < u->nsku ? u->last_taker[sku] : 0;

		/* Stock that is there but was not taken: a rule said why already. */
		if (network_free(u, sku) >= back * w->parts[p].qty)
			continue;
		if (w->held_at && network_free(u, sku))
			explain_held(u, oi, w, back, sku);
		else if (taker && taker - 1 != oi)
			tracef(u, oi,
			    "%s: %" PRId64
			    " short; the last units of %s went to %s, ranked higher",
			    sku_name(u, w->l->sku), back, sku_name(u, sku),
			    intern_name(&u->b->ids, u->b->orders[taker - 1].id));
		else if (!network_free(u, sku))
			tracef(u, oi, "%s: %" PRId64 " short; no location has any %s",
			    sku_name(u, w->l->sku), back, sku_name(u, sku));
		else
			tracef(u, oi,
			    "%s: %" PRId64 " short; the %" PRId64
			    " of %s left are out of its reach (channels, capacity or "
			    "protection)",
			    sku_name(u, w->l->sku), back, network_free(u, sku),
			    sku_name(u, sku));
		return;
	}
	if (w->nparts > 1)
		tracef(u, oi,
		    "%s: %" PRId64
		    " short; no one location has every size of a whole pack",
		    sku_name(u, w->l->sku), back);
}

/* Say, for each line left short, how short and who took the last units. */
static void
explain_short(struct allocating *u, size_t oi, struct buf *shorts)
{
	const struct order *o = &u->b->orders[oi];
	int listed = 0, more = 0;

	buf_reset(shorts);
	for (size_t i = 0; i < u->nw; i++) {
		const struct line *l = u->w[i].l;
		int64_t back = book_backordered(u->b, o, l);

		if (back <= 0)
			continue;
		if (listed < 3)
			buf_printf(shorts, "%s%s %" PRId64, listed ? ", " : "",
			    sku_name(u, l->sku), back);
		else
			more++;
		listed++;
		explain_line(u, oi, &u->w[i], back);
	}
	if (more)
		buf_printf(shorts, " and %d more", more);
}

/* The status and reason of an open order once its stock is taken. */
static void
conclude(struct allocating *u, size_t oi)
{
	struct order *o = &u->b->orders[oi];
	int64_t open = 0, have = 0;

	for (size_t i = 0; i < u->nw; i++) {
		const struct line *l = u->w[i].l;

		open += fillable(u, o, l);
		have += book_allocated(u->b, l);
	}
	o->status = AS_FULL;
	if (have == open) {
		tell_remainders(u, o, &u->text);
		set_status(u, o, AS_FULL, u->text.len ? "%s" : NULL, u->text.p);
		return;
	}
	explain_short(u, oi, &u->text);
	if (u->held.len && have == 0)
		set_status(u, o, AS_HELD, "%s", u->held.p);
	else if (have > 0)
		set_status(u, o, AS_PARTIAL,
		    "%" PRId64 " of %" PRId64 " units; short: %s%s%s", have, open,
		    u->text.p, u->held.len ? "; " : "", u->held.len ? u->held.p : "");
	else
		set_status(u, o, AS_NONE, "nothing allocated; short: %s", u->text.p);
}

/* full, partial, or nothing allocated (held or none): what a status says of the units. */
static int
status_class(int s)
{
	return s == AS_FULL ? 0 : s == AS_PARTIAL ? 1 : 2;
}

/*
 * An order that got nothing new, lost nothing, and comes with a decision of
 * the same kind keeps that decision's status, reason and trace: they told
 * why at its turn, before later orders' kept units were counted in, and a
 * rerun must change nothing.
 */
static void
keep_decision(struct allocating *u, size_t oi, int64_t taken)
{
	struct order *o = &u->b->orders[oi];

	if (taken || !o->has_allocation || o->disturbed || o->old_status == AS_UNKNOWN ||
	    status_class(o->old_status) != status_class(o->status))
		return;
	o->status = o->old_status;
	o->note_at = o->old_reason_at;
	o->note_len = o->old_reason_len;
	/* With --explain, a decision that came without a trace gets this run's. */
	o->keep_decision = u->o->explain && o->old_trace_len;
	if (!u->o->explain)
		o->ntrace = 0;
}

/* Allocate one open order in its turn. */
static void
allocate_order(struct allocating *u, size_t oi)
{
	const struct order *o = &u->b->orders[oi];
	int64_t got[256], *g = got, taken = 0;
	size_t nset = 0;
	bool any;

	buf_reset(&u->held);
	build_wants(u, o);
	find_eligible(u, oi);
	set_targets(u, oi);
	if (u->nw > sizeof got / sizeof got[0])
		g = xmalloc(u->nw * sizeof *g);
	for (size_t i = 0; i < u->nw; i++)
		g[i] = u->w[i].target;
	enforce(u, oi, g);
	memset(u->take, 0, u->nw * u->nelig * sizeof *u->take);
	/* The rules may zero a group that sourcing could not fill whole: then source again. */
	for (int round = 0; round <= (int)u->nw + 1; round++) {
		any = false;
		for (size_t i = 0; i < u->nw; i++)
			any |= u->w[i].target > 0;
		if (!any) {
			memset(u->take, 0, u->nw * u->nelig * sizeof *u->take);
			break;
		}
		nset = source(u);
		for (size_t i = 0; i < u->nw; i++) {
			g[i] = 0;
			for (size_t j = 0; j < u->nelig; j++)
				g[i] += u->take[i * u->nelig + j];
		}
		if (!enforce(u, oi, g))
			break;
	}
	if (!room_to_complete(u, oi)) {
		memset(u->take, 0, u->nw * u->nelig * sizeof *u->take);
		/* A new reason: the one it came with no longer tells why. */
		u->b->orders[oi].disturbed = true;
	}
	for (size_t k = 0; k < u->nw * u->nelig; k++)
		taken += u->take[k];
	if (taken) {
		set_names(u, nset, &u->text);
		tracef(u, oi, "%s: %s", u->text.p, u->how);
	}
	commit(u, oi);
	/* Completed in this run: what it holds becomes work now. */
	count_if_work(u, &u->b->orders[oi]);
	conclude(u, oi);
	keep_decision(u, oi, taken);
	if (g != got)
		free(g);
}

/* ---- the run ---- */

static struct allocating *sort_run; /* qsort has no context argument in C11 */

static int
cmp_rank(const void *pa, const void *pb)
{
	const struct book *b = sort_run->b;
	const struct order *a = &b->orders[*(const uint32_t *)pa];
	const struct order *c = &b->orders[*(const uint32_t *)pb];

	return rank_cmp(&sort_run->r->rank, &a->rank, intern_name(&b->ids, a->id),
	    &c->rank, intern_name(&b->ids, c->id));
}

static int
cmp_trace(const void *pa, const void *pb)
{
	const struct trace_item *a = pa, *b = pb;

	if (a->order != b->order)
		return a->order < b->order ? -1 : 1;
	return (a->at > b->at) - (a->at < b->at);
}

/* Gather each order's trace lines, written phase by phase, under the order. */
static void
index_trace(struct book *b)
{
	if (b->ntrace)
		qsort(b->trace, b->ntrace, sizeof *b->trace, cmp_trace);
	for (size_t i = 0; i < b->ntrace; i++) {
		struct order *o = &b->orders[b->trace[i].order];

		if (!o->ntrace)
			o->trace_first = (uint32_t)i;
		o->ntrace++;
	}
}

static void
run_start(struct allocating *u, struct book *b, struct alloc_rules *r,
    const struct alloc_opts *o)
{
	memset(u, 0, sizeof *u);
	u->b = b;
	u->st = b->st;
	u->r = r;
	u->o = o;
	for (uint32_t c = 0; c < b->st->channels.n && c < CHANNEL_BITS; c++)
		if (partial_policy_of(&r->partial, intern_name(&b->st->channels, c))
			->kind == PARTIAL_HOLD)
			u->hold_partial |= UINT64_C(1) << c;
	u->nsku = b->st->skus.n;
	u->last_taker = xcalloc(u->nsku + 1, sizeof *u->last_taker);
	u->seen = xcalloc(b->st->locs.n + 1, sizeof *u->seen);
	u->stock_total = xcalloc(u->nsku + 1, sizeof *u->stock_total);
	for (uint32_t s = 0; s < u->nsku; s++) {
		uint32_t n;
		struct stock_row *row = stock_rows(b->st, s, &n);

		for (uint32_t i = 0; i < n; i++)
			u->stock_total[s] += stock_avail(&row[i]);
	}
	for (size_t p = 0; p < r->nprotect; p++)
		r->protect[p].used = xcalloc(u->nsku + 1, sizeof *r->protect[p].used);
}

static void
run_end(struct allocating *u)
{
	free(u->last_taker);
	free(u->seen);
	free(u->stock_total);
	free(u->w);
	free(u->elig);
	free(u->rowp);
	free(u->cap);
	free(u->take);
	free(u->units_left);
	free(u->trial_units);
	free(u->set);
	free(u->combo);
	buf_free(&u->held);
	buf_free(&u->text);
}

void
allocate_run(struct book *b, struct alloc_rules *r, const struct alloc_opts *o)
{
	struct allocating u;
	uint32_t *order = xmalloc((b->norders + 1) * sizeof *order);
	size_t n = 0;

	b->case_packs = r->case_pack;
	run_start(&u, b, r, o);
	for (size_t i = 0; i < b->norders; i++) {
		if (!book_live(b, i))
			continue;
		if (settle_order(&u, i))
			order[n++] = (uint32_t)i;
	}
	sort_run = &u;
	qsort(order, n, sizeof *order, cmp_rank);
	sort_run = NULL;
	for (size_t k = 0; k < n; k++)
		keep_allocations(&u, order[k]);
	for (size_t k = 0; k < n; k++)
		allocate_order(&u, order[k]);
	if (o->explain)
		index_trace(b);
	free(order);
	run_end(&u);
}

/* ---- laws, counts, what is left ---- */

/*
 * The order's fulfillment against its lines: the units shipped are the
 * lines' shipped; "shipped" leaves no unit to ship, "unshipped" has none
 * shipped; an order this run closed has nothing left to ship. False with
 * the breach in err.
 */
static bool
check_fulfillment(const struct book *b, const struct order *o, struct buf *err)
{
	const char *id = intern_name(&b->ids, o->id);
	struct fulfillment f;
	int64_t shipped = 0, left = 0;

	book_fulfillment(b, o, &f);
	for (uint32_t i = 0; i < o->nlines; i++) {
		const struct line *l = &b->lines[o->first_line + i];

		shipped += l->shipped;
		if (!l->idle)
			left += units_open(l->qty, l->shipped, false);
	}
	if (f.units_shipped != shipped) {
		buf_printf(err,
		    "%s: fulfillment counts %" PRId64
		    " units shipped, its lines %" PRId64,
		    id, f.units_shipped, shipped);
		return false;
	}
	if (o->closed_now && left > 0) {
		buf_printf(
		    err, "%s: closed with %" PRId64 " units left to ship", id, left);
		return false;
	}
	if ((strcmp(f.status, "shipped") == 0 && left > 0) ||
	    (strcmp(f.status, "unshipped") == 0 && shipped > 0)) {
		buf_printf(err,
		    "%s: fulfillment \"%s\" with %" PRId64 " units shipped and %" PRId64
		    " left",
		    id, f.status, shipped, left);
		return false;
	}
	return true;
}

bool
allocate_check(const struct book *b, struct buf *err)
{
	const struct stock *st = b->st;
	int64_t *held = xcalloc(st->nrows + 1, sizeof *held);
	bool ok = true;

	for (size_t oi = 0; oi < b->norders && ok; oi++) {
		const struct order *o = &b->orders[oi];

		if (!book_live(b, oi))
			continue;
		for (uint32_t i = 0; i < o->nlines && ok; i++) {
			const struct line *l = &b->lines[o->first_line + i];
			int64_t alloc = 0, back = book_backordered(b, o, l),
				open = units_open(l->qty, l->shipped, false);
			bool waits = book_waits(o, l);
			struct pack_part single;
			uint32_t np;
			const struct pack_part *parts =
			    stock_parts(st, l->sku, &single, &np);
			for (uint32_t k = 0; k < l->nalloc; k++) {
				const struct alloc *a = &b->allocs[l->alloc_first + k];

				alloc += a->qty;
				for (uint32_t p = 0; p < np && ok; p++) {
					const struct stock_row *r =
					    stock_row_at(st, parts[p].sku, a->loc);

					if (!r || a->qty <= 0) {
						buf_printf(err,
						    "%s line %s: units at %s, which has "
						    "no %s",
						    intern_name(&b->ids, o->id),
						    intern_name(&b->line_ids, l->line_id),
						    intern_name(&st->locs, a->loc),
						    intern_name(&st->skus, parts[p].sku));
						ok = false;
					} else {
						held[r - st->rows] +=
						    a->qty * parts[p].qty;
					}
				}
			}
			/*
			 * Conservation: allocated + backordered + case remainder +
			 * unallocated = qty - shipped.
			 */
			if (ok &&
			    (alloc < 0 || back < 0 || alloc + back > open ||
				(!waits &&
				    alloc + back + book_case_remainder(b, o, l) !=
					open) ||
				(waits && alloc))) {
				buf_printf(err,
				    "%s line %s: allocated %" PRId64
				    " + backordered %" PRId64
				    " does not account for the %" PRId64
				    " units left to ship",
				    intern_name(&b->ids, o->id),
				    intern_name(&b->line_ids, l->line_id), alloc, back,
				    open);
				ok = false;
			}
		}
		if (ok)
			ok = check_fulfillment(b, o, err);
	}
	for (size_t i = 0; i < st->nrows && ok; i++) {
		const struct stock_row *r = &st->rows[i];
		int64_t cap = r->on_hand - r->safety;

		if (held[i] > (cap > 0 ? cap : 0)) {
			buf_printf(err,
			    "oversold: %" PRId64
			    " units of %s allocated at %s, which has %" PRId64
			    " on hand less %" PRId64 " safety stock",
			    held[i], intern_name(&st->skus, r->sku),
			    intern_name(&st->locs, r->loc), r->on_hand, r->safety);
			ok = false;
		}
	}
	free(held);
	return ok;
}

struct channel_units *
allocate_units(const struct book *b, size_t *n)
{
	struct channel_units *c;

	*n = b->st->channels.n;
	c = xcalloc(*n + 1, sizeof *c);
	for (size_t oi = 0; oi < b->norders; oi++) {
		const struct order *o = &b->orders[oi];
		struct channel_units *u = &c[o->channel];

		if (!book_live(b, oi) || o->state != OS_OPEN)
			continue;
		u->orders++;
		for (uint32_t i = 0; i < o->nlines; i++) {
			const struct line *l = &b->lines[o->first_line + i];
			int64_t open = units_open(l->qty, l->shipped, l->idle);
			int64_t alloc = book_allocated(b, l),
				back = book_backordered(b, o, l);

			u->demanded += open;
			u->allocated += alloc;
			u->backordered += back;
			u->unallocated += open - alloc - back;
		}
	}
	return c;
}

struct inv_key {
	const struct stock *st;
	const struct stock_row *r;
};

static int
cmp_inv(const void *pa, const void *pb)
{
	const struct inv_key *a = pa, *b = pb;
	int c = strcmp(
	    intern_name(&a->st->locs, a->r->loc), intern_name(&b->st->locs, b->r->loc));

	return c ? c
		 : strcmp(intern_name(&a->st->skus, a->r->sku),
		       intern_name(&b->st->skus, b->r->sku));
}

bool
allocate_write_inventory(const struct stock *st, FILE *f)
{
	struct inv_key *k = xmalloc((st->nrows + 1) * sizeof *k);
	struct buf row = {0};

	for (size_t i = 0; i < st->nrows; i++)
		k[i] = (struct inv_key){st, &st->rows[i]};
	if (st->nrows)
		qsort(k, st->nrows, sizeof *k, cmp_inv);
	fputs("location,sku,on_hand,safety_stock,allocated,available\n", f);
	for (size_t i = 0; i < st->nrows; i++) {
		const struct stock_row *r = k[i].r;

		buf_reset(&row);
		csv_cell(
		    &row, intern_name(&st->locs, r->loc), intern_len(&st->locs, r->loc));
		buf_addc(&row, ',');
		csv_cell(
		    &row, intern_name(&st->skus, r->sku), intern_len(&st->skus, r->sku));
		buf_printf(&row, ",%" PRId64 ",%" PRId64 ",%" PRId64 ",%" PRId64 "\n",
		    r->on_hand, r->safety, r->allocated, stock_avail(r));
		fwrite(row.p, 1, row.len, f);
	}
	buf_free(&row);
	free(k);
	return !ferror(f);
}
