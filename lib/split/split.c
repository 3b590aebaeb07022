/*
 * split.c: one order's shipments. The units allocated at each location,
 * less what open released shipments already carry there, make a new
 * shipment per location; the rules decide whether the new ones are
 * released or held. Released shipments are never made twice: when the
 * allocation no longer covers them, the order gets a warning instead.
 */
#include "split.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "date.h"
#include "idmap.h"
#include "json.h"
#include "money.h"
#include "notice.h"
#include "pick.h"
#include "rules.h"
#include "schema.h"
#include "strmap.h"
#include "track_url.h"
#include "units.h"
#include "window.h"
#include "writer.h"

/* ---- rules ---- */

bool
split_rules_load(json_t *section, struct split_rules *r, struct buf *err)
{
	json_t *max = json_object_get(section, "max_shipments");

	memset(r, 0, sizeof *r);
	if (max &&
	    (!json_is_integer(max) || json_integer_value(max) < 1 ||
		json_integer_value(max) > 1000000)) {
		buf_adds(err, "max_shipments: not a whole number from 1 to 1000000");
		return false;
	}
	r->max_shipments = max ? (long)json_integer_value(max) : 0;
	return track_urls_load(
		   json_object_get(section, "tracking_urls"), &r->urls, err) &&
	    partial_rules_load(json_object_get(section, "partial"), &r->partial, err);
}

/* The keys split_rules_load reads, and no other. */
static const char *const split_keys[] = {
    "max_shipments", "partial", "tracking_urls", NULL};

/*
 * The channels whose size runs ship whole: the rules' allocate.size_run, a
 * list of channel names (oms-allocate checks it against its channels).
 */
static bool
load_size_run(const json_t *list, struct split_rules *r, struct buf *err)
{
	const json_t *v;
	size_t i;

	if (!list)
		return true;
	if (!json_is_array(list)) {
		buf_adds(err, "allocate.size_run: must be a list of channels");
		return false;
	}
	r->size_run = xcalloc(json_array_size(list) + 1, sizeof *r->size_run);
	json_array_foreach(list, i, v) {
		if (!json_is_string(v)) {
			buf_printf(
			    err, "allocate.size_run[%zu]: not a channel name", i + 1);
			return false;
		}
		r->size_run[r->nsize_run++] = xstrdup(json_string_value(v));
	}
	return true;
}

bool
split_rules_of(json_t *rules, struct split_rules *r, struct buf *err)
{
	json_t *sec;

	return rules_section(rules, "split", split_keys, &sec, err) &&
	    split_rules_load(sec, r, err) &&
	    load_size_run(
		json_object_get(json_object_get(rules, "allocate"), "size_run"), r, err);
}

bool
split_rules_read(const char *path, struct split_rules *r, struct buf *err)
{
	json_t *rules = NULL;
	bool ok;

	memset(r, 0, sizeof *r);
	if (path && !(rules = rules_load(path, err)))
		return false;
	ok = split_rules_of(rules, r, err);
	if (!ok && path)
		buf_printf(err, " in %s", path);
	json_decref(rules);
	return ok;
}

void
split_rules_free(struct split_rules *r)
{
	partial_rules_free(&r->partial);
	track_urls_free(&r->urls);
	for (size_t i = 0; i < r->nsize_run; i++)
		free(r->size_run[i]);
	free(r->size_run);
	memset(r, 0, sizeof *r);
}

/* ---- reading an order ---- */

static const char *
str_of(const json_t *j, const char *key)
{
	return json_string_value(json_object_get(j, key));
}

/* The units a line has left to ship, or -1 when its counts are not usable. */
static int64_t
line_open(const json_t *line)
{
	int64_t qty, shipped;

	if (!stock_count(line, "qty", 0, &qty) ||
	    !stock_count(line, "shipped", 0, &shipped))
		return -1;
	return units_open(qty, shipped, schema_line_idle(line));
}

/*
 * The units of a line that can ship: those left to ship less its case
 * remainder (oms-allocate's case_remainder: units that make no whole case
 * and are never allocated), so that the rules judge an order complete
 * without them; -1 when its counts are not usable.
 */
static int64_t
line_fillable(const json_t *line)
{
	int64_t open = line_open(line), rest;

	if (open <= 0 || !stock_count(line, "case_remainder", 0, &rest))
		return open;
	return units_fillable(open, rest);
}

static const char *
line_name(const json_t *line, size_t i, char tmp[32])
{
	const char *id = str_of(line, "line_id");

	if (id)
		return id;
	snprintf(tmp, 32, "#%zu", i + 1);
	return tmp;
}

static int
cmp_text(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The texts at key of the lines (those with one), sorted; their number in *k. */
static const char **
sorted_texts(const json_t *lines, const char *key, size_t *k)
{
	const char **t = xcalloc(json_array_size(lines) + 1, sizeof *t);
	const json_t *line;
	size_t i;

	*k = 0;
	json_array_foreach(lines, i, line) {
		if ((t[*k] = str_of(line, key)))
			(*k)++;
	}
	if (*k > 1)
		qsort(t, *k, sizeof *t, cmp_text);
	return t;
}

/*
 * Shipment lines name order lines by line_id, else by SKU (the first line
 * of that SKU): two lines of one line_id, or a line without one whose SKU
 * another line has, would be told apart by nobody. The name given twice,
 * or NULL.
 */
static const char *
twice_named(const json_t *lines)
{
	size_t nids, nskus, i;
	const char **ids = sorted_texts(lines, "line_id", &nids);
	const char **skus = sorted_texts(lines, "sku", &nskus), *dup = NULL;
	const json_t *line;

	for (i = 1; !dup && i < nids; i++)
		if (strcmp(ids[i - 1], ids[i]) == 0)
			dup = ids[i];
	json_array_foreach(lines, i, line) {
		const char *sku = str_of(line, "sku");
		const char **at;

		if (dup || str_of(line, "line_id") || !sku)
			continue;
		at = bsearch(&sku, skus, nskus, sizeof *skus, cmp_text);
		if ((at > skus && strcmp(at[-1], sku) == 0) ||
		    (at + 1 < skus + nskus && strcmp(at[1], sku) == 0))
			dup = sku;
	}
	free(ids);
	free(skus);
	return dup;
}

/* A name with white space at an end: a shipment's copy of it would be trimmed. */
static bool
untrimmed(const char *s)
{
	size_t n = strlen(s);

	return n && (strchr(" \t\r\n", s[0]) || strchr(" \t\r\n", s[n - 1]));
}

static bool
known_status(const char *status)
{
	return !status || strcmp(status, "open") == 0 || strcmp(status, "closed") == 0 ||
	    strcmp(status, "cancelled") == 0;
}

bool
split_check(const struct split_ctx *ctx, json_t *order, struct buf *err)
{
	const json_t *lines = json_object_get(order, "lines"), *line;
	int64_t total = 0; /* open units: bounded, so percentages of it stay in 64 bits */
	const char *dup;
	size_t i;
	char tmp[32];

	if (lines && !json_is_array(lines)) {
		buf_adds(err, "lines is not a list");
		return false;
	}
	if (!known_status(str_of(order, "status"))) {
		buf_printf(err, "status \"%s\" is not open, closed or cancelled",
		    str_of(order, "status") ? str_of(order, "status") : "?");
		return false;
	}
	if ((dup = twice_named(lines))) {
		buf_printf(err,
		    "two lines are named \"%s\" (line_id, else sku): a shipment could "
		    "not "
		    "tell them apart",
		    dup);
		return false;
	}
	json_array_foreach(lines, i, line) {
		const json_t *allocated = json_object_get(line, "allocated"), *a;
		int64_t open = line_open(line), sum = 0;
		size_t k;

		if (open < 0) {
			int64_t qty;
			const char *key =
			    stock_count(line, "qty", 0, &qty) ? "shipped" : "qty";
			struct buf value = {0};

			jw_value(&value, json_object_get(line, key));
			buf_printf(err,
			    "line %s: %s %s is not a whole number from 0 to 10^12",
			    line_name(line, i, tmp), key, value.p);
			buf_free(&value);
			return false;
		}
		if (allocated && !json_is_null(allocated) && !json_is_array(allocated)) {
			buf_printf(err, "line %s: allocated is not a list",
			    line_name(line, i, tmp));
			return false;
		}
		json_array_foreach(allocated, k, a) {
			const char *loc = str_of(a, "location");
			int64_t q;

			if (!loc || !*loc || untrimmed(loc) ||
			    !stock_count(a, "qty", 0, &q) || q == 0) {
				buf_printf(err,
				    "line %s: allocated[%zu] needs a location (no white "
				    "space at its ends) and a whole qty of at least 1",
				    line_name(line, i, tmp), k + 1);
				return false;
			}
			if (ctx->st &&
			    intern_find(&ctx->st->locs, loc, strlen(loc)) ==
				INTERN_NONE) {
				buf_printf(err,
				    "line %s: allocated at location \"%s\", which is not "
				    "in "
				    "locations.csv",
				    line_name(line, i, tmp), loc);
				return false;
			}
			sum += q;
		}
		if ((open > 0 || sum > 0) && !str_of(line, "line_id") &&
		    !str_of(line, "sku")) {
			buf_printf(err,
			    "line %s has units to ship but neither line_id nor sku",
			    line_name(line, i, tmp));
			return false;
		}
		if ((total += open) > QTY_MAX) {
			buf_adds(err, "more than 10^12 units open on the order");
			return false;
		}
		if (sum > open) {
			buf_printf(err,
			    "line %s: %" PRId64 " allocated, but only %" PRId64
			    " left to ship (qty less shipped)",
			    line_name(line, i, tmp), sum, open);
			return false;
		}
	}
	return true;
}

/* ---- the plan of one order ---- */

struct sline {
	const json_t *j;
	const char *id, *sku;
	int64_t open, alloc;
	int64_t price; /* unit price in minor units; -1 unknown */
};

/* Units of one line at one location: allocated now, and on open released shipments. */
struct cell {
	uint32_t loc, line;
	int64_t alloc, rel, add;
	uint32_t next; /* the next cell of its location, in plan.cells */
};

/* A location of the order, and the new shipment it may get. */
struct sloc {
	const char *name;
	long priority;
	int64_t units; /* new units there */
	long seq; /* of its new shipment; 0 none */
	uint32_t first_cell, last_cell; /* its cells, in the order they came */
};

/* Where a shipment of the stream stands. */
enum ship_state { SHIP_RELEASED, SHIP_SHIPPED, SHIP_CANCELLED };

/* A shipment of the stream that belongs to the order. */
struct earlier_ship {
	const json_t *j; /* as it came */
	json_t *now; /* what it became in this run (shipped, cancelled), or NULL */
	size_t at; /* among the earlier records */
	const char *id, *location;
	long seq;
	enum ship_state state;
	bool open; /* released, not confirmed shipped, on an order not closed */
	bool placed; /* its units are counted in the cells (place_released) */
	bool
	    pending; /* released, not confirmed: still in a pick queue, whatever its order */
};

/* A confirmation of the stream that belongs to the order. */
struct strack {
	const json_t *j;
	size_t at; /* among the earlier records */
};

struct plan {
	const struct split_ctx *ctx;
	json_t *order;
	const char *id, *channel, *status, *currency;
	int digits;
	struct sline *lines;
	size_t nlines, caplines;
	struct cell *cells;
	size_t ncells, capcells;
	struct sloc *locs;
	size_t nlocs, caplocs;
	/*
	 * Lookups that cost the same however big the order: cells by
	 * (location, line); locations, lines (by line_id, by SKU) and
	 * confirmed shipment ids by the hash of their name, to the first of
	 * that hash (find_name checks the name there).
	 */
	struct idmap cell_of, loc_of, line_of_id, line_of_sku, tracked_of;
	struct earlier_ship *ships;
	size_t nships, capships;
	struct strack *tracks;
	size_t ntracks, captracks;
	/* Shipments that became shipped, or cancelled, in this run, in the order they did. */
	json_t **shipped, **cancelled;
	size_t nshipped, capshipped, ncancelled, capcancelled;
	int64_t open, alloc; /* the order's open and allocated units */
	long released_before, max_seq;
	struct buf why, text;
	struct buf pack; /* a pick row's pack_contents */
};

#define GROW(arr, n, cap)                                                                \
	do {                                                                             \
		if ((n) == (cap)) {                                                      \
			(cap) = (cap) ? 2 * (cap) : 8;                                   \
			(arr) = xrealloc((arr), (cap) * sizeof *(arr));                  \
		}                                                                        \
	} while (0)

static uint64_t
name_key(const char *name)
{
	return hash64(name, strlen(name));
}

/*
 * The first index of name, or IDMAP_NONE: m maps name_key to the first
 * index of that key, and name_at(ctx, i) is the name at i (NULL for none).
 * Indexes 0..n-1 are scanned only when two names share a key.
 */
static uint32_t
find_name(const struct idmap *m, const char *name, size_t n,
    const char *(*name_at)(const void *ctx, size_t i), const void *ctx)
{
	uint32_t i = idmap_get(m, name_key(name));
	const char *s;

	if (i == IDMAP_NONE)
		return IDMAP_NONE;
	if ((s = name_at(ctx, i)) && strcmp(s, name) == 0)
		return i;
	for (i = 0; i < n; i++)
		if ((s = name_at(ctx, i)) && strcmp(s, name) == 0)
			return i;
	return IDMAP_NONE;
}

static const char *
loc_name_at(const void *ctx, size_t i)
{
	return ((const struct plan *)ctx)->locs[i].name;
}

static uint32_t
loc_index(struct plan *p, const char *name)
{
	uint32_t i = find_name(&p->loc_of, name, p->nlocs, loc_name_at, p);

	if (i != IDMAP_NONE)
		return i;
	i = (uint32_t)p->nlocs;
	GROW(p->locs, p->nlocs, p->caplocs);
	p->locs[i] = (struct sloc){name, 0, 0, 0, UINT32_MAX, UINT32_MAX};
	idmap_add(&p->loc_of, name_key(name), i);
	if (p->ctx->st) {
		uint32_t id = intern_find(&p->ctx->st->locs, name, strlen(name));

		if (id != INTERN_NONE)
			p->locs[i].priority = p->ctx->st->loc[id].priority;
	}
	p->nlocs++;
	return i;
}

static struct cell *
cell_at(struct plan *p, uint32_t loc, uint32_t line)
{
	uint32_t i = idmap_get(&p->cell_of, idmap_key(loc, line));
	struct sloc *l = &p->locs[loc];

	if (i != IDMAP_NONE)
		return &p->cells[i];
	i = (uint32_t)p->ncells;
	GROW(p->cells, p->ncells, p->capcells);
	p->cells[i] = (struct cell){loc, line, 0, 0, 0, UINT32_MAX};
	idmap_add(&p->cell_of, idmap_key(loc, line), i);
	if (l->first_cell == UINT32_MAX)
		l->first_cell = i;
	else
		p->cells[l->last_cell].next = i;
	l->last_cell = i;
	return &p->cells[p->ncells++];
}

static int64_t
price_of(const struct plan *p, const json_t *line)
{
	const char *s = str_of(line, "unit_price");
	int64_t v;

	if (!s || !p->currency || money_parse(s, strlen(s), p->digits, &v) != MONEY_OK ||
	    v < 0)
		return -1;
	return v;
}

/* The order's lines and where their units are allocated (split_check passed). */
static void
read_order(struct plan *p)
{
	const json_t *line;
	size_t i;

	json_array_foreach(json_object_get(p->order, "lines"), i, line) {
		const json_t *a;
		struct sline *l;
		size_t k;

		GROW(p->lines, p->nlines, p->caplines);
		l = &p->lines[p->nlines];
		*l = (struct sline){line, str_of(line, "line_id"), str_of(line, "sku"),
		    line_fillable(line), 0, price_of(p, line)};
		json_array_foreach(json_object_get(line, "allocated"), k, a) {
			int64_t q;

			stock_count(a, "qty", 0, &q);
			cell_at(
			    p, loc_index(p, str_of(a, "location")), (uint32_t)p->nlines)
			    ->alloc += q;
			l->alloc += q;
		}
		if (l->id)
			idmap_add(&p->line_of_id, name_key(l->id), (uint32_t)p->nlines);
		if (l->sku)
			idmap_add(&p->line_of_sku, name_key(l->sku), (uint32_t)p->nlines);
		p->open += l->open;
		p->alloc += l->alloc;
		p->nlines++;
	}
}

static const char *
line_id_at(const void *ctx, size_t i)
{
	return ((const struct plan *)ctx)->lines[i].id;
}

static const char *
line_sku_at(const void *ctx, size_t i)
{
	return ((const struct plan *)ctx)->lines[i].sku;
}

/* The order line a shipment line names (by line_id, else by SKU; the first), or -1. */
static long
find_line(const struct plan *p, const json_t *sl)
{
	const char *id = str_of(sl, "line_id"), *sku = str_of(sl, "sku");
	uint32_t i;

	if (id)
		i = find_name(&p->line_of_id, id, p->nlines, line_id_at, p);
	else if (sku)
		i = find_name(&p->line_of_sku, sku, p->nlines, line_sku_at, p);
	else
		return -1;
	return i == IDMAP_NONE ? -1 : (long)i;
}

/* The highest shipment number read; far past any order's shipments, and exact in a long. */
#define SEQ_MAX 1000000000000000L

/* The number after the last '/' of a shipment id, or 0. */
static long
id_seq(const char *id)
{
	const char *slash = id ? strrchr(id, '/') : NULL;
	char *end;
	long v;

	if (!slash || !slash[1])
		return 0;
	v = strtol(slash + 1, &end, 10);
	return *end || v < 0 || v > SEQ_MAX ? 0 : v;
}

/* A shipment's number: its seq, or the one its id ends with, whichever is larger. */
static long
ship_seq(const json_t *ship, const char *id)
{
	const json_t *seq = json_object_get(ship, "seq");
	long s = json_is_integer(seq) && json_integer_value(seq) > 0 &&
		json_integer_value(seq) <= SEQ_MAX
	    ? (long)json_integer_value(seq)
	    : 0;
	long from_id = id_seq(id);

	return s > from_id ? s : from_id;
}

/* Is id one of this order's shipment ids (order_id, '/', a number)? */
static bool
own_id(const struct plan *p, const char *id)
{
	size_t n = strlen(p->id);

	return strncmp(id, p->id, n) == 0 && id[n] == '/' && id_seq(id) > 0;
}

/*
 * Numbers confirmed shipped stay taken even when their shipment records are
 * gone from the stream: a new shipment never reuses one.
 */
static const json_t *
tracked_list(const struct plan *p)
{
	return json_object_get(json_object_get(p->order, "allocation"), "tracked");
}

/* ... and index them for tracked. */
static void
tracked_numbers(struct plan *p)
{
	const json_t *t;
	size_t i;

	json_array_foreach(tracked_list(p), i, t) {
		const char *id = json_string_value(t);

		if (!id)
			continue;
		idmap_add(&p->tracked_of, name_key(id), (uint32_t)i);
		if (own_id(p, id) && id_seq(id) > p->max_seq)
			p->max_seq = id_seq(id);
	}
}

static const char *
tracked_at(const void *ctx, size_t i)
{
	return json_string_value(json_array_get(tracked_list(ctx), i));
}

/* Is shipment id confirmed shipped (tracked_numbers indexed them)? */
static bool
tracked(const struct plan *p, const char *id)
{
	return find_name(&p->tracked_of, id, json_array_size(tracked_list(p)), tracked_at,
		   p) != IDMAP_NONE;
}

/* A shipment id and where it stands among the earlier records. */
struct named {
	const char *id;
	size_t at;
};

static int
cmp_named(const void *a, const void *b)
{
	const struct named *x = a, *y = b;
	int c = strcmp(x->id, y->id);

	return c ? c : x->at < y->at ? -1 : x->at > y->at;
}

/* Of two shipments with one id the later stands: mark the earlier ones in drop (sorting, not pairs). */
static void
drop_superseded(json_t *const *earlier, size_t n, bool *drop)
{
	struct named *v = xcalloc(n + 1, sizeof *v);
	size_t k = 0;

	for (size_t i = 0; i < n; i++) {
		const char *id = str_of(earlier[i], "shipment_id");

		if (id && strcmp(str_of(earlier[i], "type"), "shipment") == 0)
			v[k++] = (struct named){id, i};
	}
	if (k > 1)
		qsort(v, k, sizeof *v, cmp_named);
	for (size_t i = 0; i + 1 < k; i++)
		if (strcmp(v[i].id, v[i + 1].id) == 0)
			drop[v[i].at] = true;
	free(v);
}

static enum ship_state
state_of(const char *status)
{
	if (status && strcmp(status, "shipped") == 0)
		return SHIP_SHIPPED;
	if (status && strcmp(status, "cancelled") == 0)
		return SHIP_CANCELLED;
	return SHIP_RELEASED;
}

/* A shipment as it stands now: rewritten in this run, or as it came. */
static const json_t *
ship_now(const struct earlier_ship *s)
{
	return s->now ? s->now : s->j;
}

/*
 * Make n what shipment s is now. Its id and location are read from n from
 * then on: they pointed into the record n replaces, which is let go.
 */
static void
set_now(struct earlier_ship *s, json_t *n)
{
	const char *id = json_string_value(json_object_get(n, "shipment_id"));

	s->id = id ? id : "";
	s->location = json_string_value(json_object_get(n, "location"));
	json_decref(s->now);
	s->now = n;
}

/*
 * The earlier records: warnings and held shipments are made again; of two
 * shipments with one id the later stands; released, shipped and cancelled
 * ones stay, and the open ones hold their units where they are;
 * confirmations wait to be applied (apply_tracking).
 */
static void
read_earlier(struct plan *p, json_t *const *earlier, size_t n, struct split_out *out)
{
	/* A closed order shipped everything; on any other, what is not confirmed may still go. */
	bool may_ship = !p->status || strcmp(p->status, "closed") != 0;

	out->drop = xrealloc(out->drop, (n ? n : 1) * sizeof *out->drop);
	out->ndrop = n;
	memset(out->drop, 0, n * sizeof *out->drop);
	drop_superseded(earlier, n, out->drop);
	tracked_numbers(p);
	for (size_t i = 0; i < n; i++) {
		const json_t *e = earlier[i];
		const char *type = str_of(e, "type"), *id = str_of(e, "shipment_id");
		const char *status = str_of(e, "status");
		struct earlier_ship *s;

		if (strcmp(type, "tracking") == 0) {
			GROW(p->tracks, p->ntracks, p->captracks);
			p->tracks[p->ntracks++] = (struct strack){e, i};
			continue;
		}
		out->drop[i] = out->drop[i] || strcmp(type, "shipment") != 0 ||
		    (status && strcmp(status, "held") == 0);
		if (out->drop[i])
			continue;
		GROW(p->ships, p->nships, p->capships);
		s = &p->ships[p->nships++];
		*s =
		    (struct earlier_ship){e, NULL, i, id ? id : "", str_of(e, "location"),
			ship_seq(e, id), state_of(status), false, false, false};
		/* A shipment confirmed by its id before shipments carried tracking is done too. */
		s->pending = s->state == SHIP_RELEASED && !(id && tracked(p, id));
		s->open = s->pending && may_ship;
		/* Numbers stay taken, a cancelled shipment's too. */
		if (s->seq > p->max_seq)
			p->max_seq = s->seq;
		p->released_before += s->state != SHIP_CANCELLED;
	}
}

/* ---- writing ---- */

static void
add_record(struct split_out *out, json_t *rec)
{
	rw_ndjson(rec, &out->recs);
	buf_addc(&out->recs, '\n');
	out->nrecs++;
	json_decref(rec);
}

static void
set_str(json_t *o, const char *key, const char *v)
{
	if (v)
		json_object_set_new(o, key, json_string(v));
}

/* A shipment line's units as shown to people: 0 when they cannot be counted (the plan warns). */
static int64_t
shown_qty(const json_t *sl)
{
	int64_t q;

	return stock_count(sl, "qty", 0, &q) ? q : 0;
}

/* A rules amount (ten-thousandths) as the currency writes it: no zeros past its digits. */
static void
minimum_text(const struct plan *p, int64_t v4, char out[MONEY_TEXT_MAX])
{
	size_t n;

	money_format(v4, 4, out);
	n = strlen(out);
	for (int d = 4; d > p->digits && out[n - 1] == '0'; d--)
		out[--n] = '\0';
	if (out[n - 1] == '.')
		out[--n] = '\0';
}

/* The value of qty units of line at unit price; false when unknown or too large. */
static bool
line_value(const struct sline *l, int64_t qty, int64_t *v)
{
	return l->price >= 0 && money_mul(l->price, qty, v);
}

/*
 * The sizes one pack of a prepack line holds, as oms-allocate exploded its
 * allocation at loc ("units": the sizes of all its packs there), for the
 * warehouse to check the pack: "TEE-S:1 TEE-M:2"; "" for a line that is no
 * pack.
 */
static const char *
pack_contents(const json_t *line, const char *loc, struct buf *b)
{
	const json_t *a, *u;
	size_t i, k;

	buf_reset(b);
	buf_adds(b, "");
	/* No pack is exploded into units: a line of one SKU looks no further. */
	if (!json_object_get(
		json_array_get(json_object_get(line, "allocated"), 0), "units"))
		return b->p;
	json_array_foreach(json_object_get(line, "allocated"), i, a) {
		const json_t *n = json_object_get(a, "qty");
		int64_t packs = json_is_integer(n) ? json_integer_value(n) : 0;

		if (packs <= 0 || !loc || !str_of(a, "location") ||
		    strcmp(str_of(a, "location"), loc) != 0)
			continue;
		json_array_foreach(json_object_get(a, "units"), k, u) {
			const json_t *q = json_object_get(u, "qty");

			if (!str_of(u, "sku") || !json_is_integer(q))
				continue;
			buf_printf(b, "%s%s:%" PRId64, b->len ? " " : "",
			    str_of(u, "sku"), (int64_t)json_integer_value(q) / packs);
		}
		break;
	}
	return b->p;
}

/* Pick rows of a shipment: one per line, keyed by ship_by, service and priority. */
static void
add_picks(struct plan *p, struct split_out *out, const json_t *ship)
{
	const json_t *to = json_object_get(ship, "ship_to"), *sl, *prio;
	const char *cells[PICK_NCELLS] = {0};
	struct pick_key k;
	const char *ship_by = str_of(ship, "ship_by");
	size_t i;

	if (!p->ctx->picks)
		return;
	prio = json_object_get(p->order, "priority");
	k.priority = json_is_integer(prio) ? json_integer_value(prio) : 0;
	k.speed = pick_speed(str_of(ship, "service"));
	if (!ship_by || date_parse(ship_by, strlen(ship_by), &k.ship_by) != TS_OK)
		k.ship_by = INT32_MAX;
	cells[PC_LOCATION] = str_of(ship, "location");
	cells[PC_SHIPMENT] = str_of(ship, "shipment_id");
	cells[PC_ORDER] = p->id;
	cells[PC_CHANNEL] = p->channel;
	cells[PC_SERVICE] = str_of(ship, "service");
	cells[PC_SHIP_BY] = ship_by;
	cells[PC_NAME] = str_of(to, "name");
	cells[PC_COMPANY] = str_of(to, "company");
	cells[PC_LINE1] = str_of(to, "line1");
	cells[PC_LINE2] = str_of(to, "line2");
	cells[PC_CITY] = str_of(to, "city");
	cells[PC_REGION] = str_of(to, "region");
	cells[PC_POSTAL] = str_of(to, "postal_code");
	cells[PC_COUNTRY] = str_of(to, "country");
	cells[PC_PHONE] = str_of(to, "phone");
	cells[PC_START_SHIP] = str_of(p->order, "start_ship");
	cells[PC_CANCEL_AFTER] = str_of(p->order, "cancel_after");
	json_array_foreach(json_object_get(ship, "lines"), i, sl) {
		long line = find_line(p, sl);
		const json_t *ol = line >= 0 ? p->lines[line].j : NULL;
		char qty[24];

		snprintf(qty, sizeof qty, "%" PRId64, shown_qty(sl));
		cells[PC_SKU] = str_of(sl, "sku");
		cells[PC_STYLE] = str_of(ol, "style");
		cells[PC_COLOR] = str_of(ol, "color");
		cells[PC_SIZE] = str_of(ol, "size");
		cells[PC_PRICE] = str_of(ol, "unit_price");
		cells[PC_QTY] = qty;
		cells[PC_PACK] = pack_contents(ol, cells[PC_LOCATION], &p->pack);
		pick_encode(&out->picks, &k, cells);
	}
}

/* ---- shipment lines ---- */

/*
 * The units of lines (a shipment's or a confirmation's) per order line,
 * into units[p->nlines]; false, with why, when a line names no line of
 * the order or its qty is not a whole number above 0.
 */
static bool
units_by_line(const struct plan *p, const json_t *lines, int64_t *units, struct buf *why)
{
	const json_t *sl;
	size_t i;

	memset(units, 0, (p->nlines + 1) * sizeof *units);
	json_array_foreach(lines, i, sl) {
		long line = find_line(p, sl);
		int64_t q;

		if (line < 0) {
			buf_printf(why, "lines[%zu] names no line of the order", i + 1);
			return false;
		}
		if (!stock_count(sl, "qty", 0, &q) || q == 0 ||
		    __builtin_add_overflow(units[line], q, &units[line])) {
			buf_printf(why, "lines[%zu] has no whole qty above 0", i + 1);
			return false;
		}
	}
	return json_array_size(lines) > 0 || (buf_adds(why, "it has no lines"), false);
}

/* What a shipment's lines are worth, added up as they are written. */
struct ship_sum {
	int64_t units, value;
	bool priced, fits;
};

/* Append qty units of order line l to the shipment lines, counted in sum. */
static void
add_ship_line(json_t *lines, const struct sline *l, int64_t qty, struct ship_sum *sum)
{
	json_t *sl = json_object();
	int64_t v;

	set_str(sl, "line_id", l->id);
	set_str(sl, "sku", l->sku);
	json_object_set_new(sl, "qty", json_integer(qty));
	json_array_append_new(lines, sl);
	sum->units += qty;
	if (l->price < 0)
		sum->priced = false;
	else if (!line_value(l, qty, &v) || !money_add(sum->value, v, &sum->value))
		sum->fits = false;
}

/*
 * Set the shipment's units, and its value and currency when every line is
 * priced; a value too large to hold is told in out->told.
 */
static void
set_sum(struct plan *p, struct split_out *out, json_t *s, const struct ship_sum *sum)
{
	char money[MONEY_TEXT_MAX];

	json_object_set_new(s, "units", json_integer(sum->units));
	json_object_del(s, "currency");
	json_object_del(s, "value");
	if (sum->priced && sum->fits) {
		set_str(s, "currency", p->currency);
		money_format(sum->value, p->digits, money);
		set_str(s, "value", money);
	} else if (sum->priced) {
		/* Unpriced lines leave the value out as documented; this must be said. */
		buf_printf(&out->told,
		    "order \"%s\": shipment %s is worth more than %s %s, the most an "
		    "amount can be: its value and currency are left out\n",
		    p->id, str_of(s, "shipment_id"),
		    money_format(INT64_MAX, p->digits, money), p->currency);
	}
}

/* Set the shipment's lines to units[] per order line, in the order's line order. */
static void
set_lines(struct plan *p, struct split_out *out, json_t *s, const int64_t *units)
{
	json_t *lines = json_array();
	struct ship_sum sum = {0, 0, p->currency != NULL, true};

	for (size_t i = 0; i < p->nlines; i++)
		if (units[i] > 0)
			add_ship_line(lines, &p->lines[i], units[i], &sum);
	json_object_set_new(s, "lines", lines);
	set_sum(p, out, s, &sum);
}

static void cancel_ship(
    struct plan *p, struct split_out *out, struct earlier_ship *s, const char *why);

/* Count a shipment's units[] per line at its location as released (sign 1), or take them back (-1). */
static void
move_units(struct plan *p, struct earlier_ship *s, const int64_t *units, int sign)
{
	uint32_t loc = loc_index(p, s->location);

	for (size_t i = 0; i < p->nlines; i++)
		if (units[i] > 0)
			cell_at(p, loc, (uint32_t)i)->rel += sign * units[i];
}

/*
 * The units of open released shipments, put where they are. One that
 * cannot be read (no location, a line the order does not have, a qty that
 * is not a whole number) is cancelled, with why: its units cannot be
 * counted, so they are planned anew.
 */
static void
place_released(struct plan *p, struct split_out *out)
{
	int64_t *units = xcalloc(p->nlines + 1, sizeof *units);

	for (size_t k = 0; k < p->nships; k++) {
		struct earlier_ship *s = &p->ships[k];

		if (!s->open)
			continue;
		buf_reset(&p->why);
		buf_adds(&p->why, "re-planned: it cannot be counted: ");
		if (!s->location || !*s->location)
			buf_adds(&p->why, "it has no location");
		else if (units_by_line(
			     p, json_object_get(s->j, "lines"), units, &p->why)) {
			move_units(p, s, units, 1);
			s->placed = true;
			continue;
		}
		cancel_ship(p, out, s, p->why.p);
	}
	free(units);
}

/* A new shipment record's head: whose, from where, numbered seq of of. */
static json_t *
shipment_head(struct plan *p, const char *location, long seq, long of)
{
	json_t *s = json_object();
	char id_seq_text[24];

	snprintf(id_seq_text, sizeof id_seq_text, "/%ld", seq);
	buf_reset(&p->text);
	buf_adds(&p->text, p->id);
	buf_adds(&p->text, id_seq_text);
	set_str(s, "type", "shipment");
	set_str(s, "shipment_id", p->text.p);
	set_str(s, "order_id", p->id);
	set_str(s, "channel", p->channel);
	set_str(s, "location", location);
	set_str(s, "service", str_of(p->order, "service"));
	set_str(s, "ship_by", str_of(p->order, "ship_by"));
	if (json_object_get(p->order, "ship_to"))
		json_object_set(s, "ship_to", json_object_get(p->order, "ship_to"));
	json_object_set_new(s, "seq", json_integer(seq));
	json_object_set_new(s, "of", json_integer(of));
	return s;
}

/* The shipment record of location loc (NULL: a hold with no location) with its new units. */
static json_t *
make_shipment(struct plan *p, struct split_out *out, const struct sloc *loc, long seq,
    long of, const char *held)
{
	json_t *s = shipment_head(p, loc ? loc->name : NULL, seq, of),
	       *lines = json_array();
	struct ship_sum sum = {0, 0, p->currency != NULL, true};

	set_str(s, "status", held ? "held" : "released");
	set_str(s, "reason", held);
	for (uint32_t c = loc ? loc->first_cell : UINT32_MAX; c != UINT32_MAX;
	     c = p->cells[c].next)
		if (p->cells[c].add > 0)
			add_ship_line(
			    lines, &p->lines[p->cells[c].line], p->cells[c].add, &sum);
	json_object_set_new(s, "lines", lines);
	set_sum(p, out, s, &sum);
	return s;
}

/* ---- confirmations and cancellations ---- */

/* Rows the warehouse pulls from a location's queue: one per line of a cancelled shipment. */
static void
add_voids(struct plan *p, struct split_out *out, const json_t *ship, const char *why)
{
	const char *cells[PICK_NCELLS] = {0};
	struct pick_key k = {0, 0, 0};
	const json_t *sl;
	size_t i;

	if (!p->ctx->picks)
		return;
	cells[PC_LOCATION] = str_of(ship, "location");
	cells[PC_SHIPMENT] = str_of(ship, "shipment_id");
	cells[PC_ORDER] = p->id;
	cells[PC_CHANNEL] = p->channel;
	cells[PC_REASON] = why;
	json_array_foreach(json_object_get(ship, "lines"), i, sl) {
		char qty[24];

		snprintf(qty, sizeof qty, "%" PRId64, shown_qty(sl));
		cells[PC_SKU] = str_of(sl, "sku");
		cells[PC_QTY] = qty;
		pick_encode(&out->voids, &k, cells);
	}
}

/*
 * Cancel shipment s, saying why: its units leave the cells, to be planned
 * anew, and its rows go to the void list when it was on a ticket.
 */
static void
cancel_ship(
    struct plan *p, struct split_out *out, struct earlier_ship *s, const char *why)
{
	json_t *c = json_deep_copy(ship_now(s));

	set_str(c, "status", "cancelled");
	set_str(c, "reason", why);
	if (s->placed) {
		int64_t *units = xcalloc(p->nlines + 1, sizeof *units);
		struct buf ignored = {0};

		if (units_by_line(p, json_object_get(s->j, "lines"), units, &ignored))
			move_units(p, s, units, -1);
		buf_free(&ignored);
		free(units);
	}
	if (s->pending)
		add_voids(p, out, c, why);
	set_now(s, c);
	GROW(p->cancelled, p->ncancelled, p->capcancelled);
	p->cancelled[p->ncancelled++] = c;
	s->state = SHIP_CANCELLED;
	s->open = s->placed = s->pending = false;
	p->released_before--;
	out->cancelled++;
}

/* Does shipment s carry units of order line line? */
static bool
carries(const struct plan *p, const struct earlier_ship *s, uint32_t line)
{
	const json_t *sl;
	size_t i;

	json_array_foreach(json_object_get(ship_now(s), "lines"), i, sl)
		if (find_line(p, sl) == (long)line)
			return true;
	return false;
}

/* The placed shipment with the highest number at location loc carrying line, or NULL. */
static struct earlier_ship *
last_placed_at(struct plan *p, uint32_t loc, uint32_t line)
{
	struct earlier_ship *best = NULL;

	for (size_t k = 0; k < p->nships; k++) {
		struct earlier_ship *s = &p->ships[k];

		if (s->placed && loc_index(p, s->location) == loc &&
		    carries(p, s, line) && (!best || s->seq > best->seq))
			best = s;
	}
	return best;
}

/*
 * Cancel what the allocation no longer covers: at each location and line
 * where open released shipments carry more than is allocated, the latest
 * of them go until the rest fit. Their units are planned anew.
 */
static void
cancel_uncovered(struct plan *p, struct split_out *out)
{
	struct buf why = {0};

	for (size_t c = 0; c < p->ncells; c++) {
		while (p->cells[c].rel > p->cells[c].alloc) {
			const struct cell *cl = &p->cells[c];
			const struct sline *l = &p->lines[cl->line];
			struct earlier_ship *s = last_placed_at(p, cl->loc, cl->line);

			if (!s)
				break;
			buf_reset(&why);
			buf_printf(&why,
			    "re-planned: line %s (%s): %" PRId64
			    " released from %s, %" PRId64 " allocated there now",
			    l->id ? l->id : "?", l->sku ? l->sku : "no sku", cl->rel,
			    p->locs[cl->loc].name, cl->alloc);
			cancel_ship(p, out, s, why.p);
		}
	}
	buf_free(&why);
}

/*
 * Cancel every shipment of the order still in a pick queue, saying why: the
 * order was cancelled, or closed with everything shipped (a confirmation
 * that shipped otherwise than planned, or the channel, closed it).
 */
static void
cancel_all(struct plan *p, struct split_out *out, const char *why)
{
	for (size_t k = 0; k < p->nships; k++)
		if (p->ships[k].pending)
			cancel_ship(p, out, &p->ships[k], why);
}

/*
 * Was confirmation t applied to the order's units by oms-allocate (its
 * shipment id, else its tracking number, is in allocation.tracked)? One
 * that was not must not make a shipment shipped: the units would stay
 * allocated and be shipped again.
 */
static bool
applied_by_allocate(const struct plan *p, const json_t *t)
{
	const char *id = str_of(t, "shipment_id");

	if (!id)
		id = str_of(t, "tracking_number");
	return !id || tracked(p, id);
}

/* The order's shipment named id, or NULL. */
static struct earlier_ship *
ship_named(struct plan *p, const char *id)
{
	for (size_t k = 0; k < p->nships; k++)
		if (strcmp(p->ships[k].id, id) == 0)
			return &p->ships[k];
	return NULL;
}

static bool
same_text(const char *a, const char *b)
{
	return a && b && strcmp(a, b) == 0;
}

/* The order's shipped shipment with tracking number number, or NULL. */
static struct earlier_ship *
shipped_with_number(struct plan *p, const char *number)
{
	for (size_t k = 0; k < p->nships; k++)
		if (p->ships[k].state == SHIP_SHIPPED &&
		    same_text(str_of(ship_now(&p->ships[k]), "tracking_number"), number))
			return &p->ships[k];
	return NULL;
}

/*
 * The first open released shipment that confirmation t (with units[] per
 * line) ships exactly: the same units of the same lines, from the same
 * location when t names one. NULL when none does.
 */
static struct earlier_ship *
released_matching(struct plan *p, const json_t *t, const int64_t *units)
{
	const char *loc = str_of(t, "location");
	int64_t *other = xcalloc(p->nlines + 1, sizeof *other);
	struct earlier_ship *found = NULL;
	struct buf ignored = {0};

	for (size_t k = 0; k < p->nships && !found; k++) {
		struct earlier_ship *s = &p->ships[k];

		if (s->pending && (!loc || same_text(s->location, loc)) &&
		    units_by_line(p, json_object_get(s->j, "lines"), other, &ignored) &&
		    memcmp(units, other, p->nlines * sizeof *units) == 0)
			found = s;
		buf_reset(&ignored);
	}
	buf_free(&ignored);
	free(other);
	return found;
}

/* The confirmation's carrier, tracking number and link, ship time and location onto shipment s. */
static void
put_tracking(struct plan *p, json_t *s, const json_t *t)
{
	const char *carrier = str_of(t, "carrier"),
		   *number = str_of(t, "tracking_number");

	set_str(s, "status", "shipped");
	json_object_del(s, "reason");
	set_str(s, "location", str_of(t, "location"));
	set_str(s, "carrier", carrier);
	set_str(s, "tracking_number", number);
	buf_reset(&p->text);
	if (track_url(&p->ctx->rules->urls, carrier, number, &p->text))
		set_str(s, "tracking_url", p->text.p);
	set_str(s, "shipped_at", str_of(t, "shipped_at"));
}

/* Shipment s shipped as confirmation t says (units[] per line): what shipped is its lines now. */
static void
ship_it(struct plan *p, struct split_out *out, struct earlier_ship *s, const json_t *t,
    const int64_t *units)
{
	json_t *n = json_deep_copy(ship_now(s));

	put_tracking(p, n, t);
	set_lines(p, out, n, units);
	set_now(s, n);
	p->released_before += s->state == SHIP_CANCELLED;
	s->state = SHIP_SHIPPED;
	s->open = s->pending = false;
	GROW(p->shipped, p->nshipped, p->capshipped);
	p->shipped[p->nshipped++] = n;
	out->shipped++;
}

/*
 * A confirmation that matches no shipment: the warehouse shipped otherwise
 * than planned, and what it shipped is a shipment of its own, numbered by
 * the shipment id it names when that is the order's and free, else next.
 */
static void
own_shipment(struct plan *p, struct split_out *out, const json_t *t, const int64_t *units)
{
	const char *sid = str_of(t, "shipment_id");
	long seq = sid && own_id(p, sid) ? id_seq(sid) : p->max_seq + 1;
	json_t *n;

	if (seq > p->max_seq)
		p->max_seq = seq;
	n = shipment_head(p, str_of(t, "location"), seq, seq);
	GROW(p->ships, p->nships, p->capships);
	p->ships[p->nships] = (struct earlier_ship){NULL, n, SIZE_MAX,
	    str_of(n, "shipment_id"), NULL, seq, SHIP_RELEASED, false, false, false};
	ship_it(p, out, &p->ships[p->nships++], t, units);
	p->released_before++;
}

/*
 * Apply the order's confirmations that oms-allocate applied to its units:
 * each names a shipment (shipment_id), or is matched to the released one
 * it ships exactly, or is a shipment of its own; that shipment is shipped
 * with its tracking, and the confirmation is consumed into it. One already
 * applied (the same tracking number on a shipped shipment) is consumed;
 * another number for a shipment shipped already passes through.
 */
static void
apply_tracking(struct plan *p, struct split_out *out)
{
	int64_t *units = xcalloc(p->nlines + 1, sizeof *units);
	struct buf ignored = {0};

	for (size_t i = 0; i < p->ntracks; i++) {
		const json_t *t = p->tracks[i].j;
		const char *sid = str_of(t, "shipment_id"),
			   *num = str_of(t, "tracking_number");
		struct earlier_ship *s = sid ? ship_named(p, sid) : NULL;

		buf_reset(&ignored);
		if (!applied_by_allocate(p, t) ||
		    !units_by_line(p, json_object_get(t, "lines"), units, &ignored))
			continue;
		if (!s && num)
			s = shipped_with_number(p, num);
		if (s && s->state == SHIP_SHIPPED) {
			if (same_text(str_of(ship_now(s), "tracking_number"), num))
				out->drop[p->tracks[i].at] = true;
			continue;
		}
		if (!s && !sid)
			s = released_matching(p, t, units);
		if (s)
			ship_it(p, out, s, t, units);
		else
			own_shipment(p, out, t, units);
		out->drop[p->tracks[i].at] = true;
	}
	buf_free(&ignored);
	free(units);
}

/*
 * Do the shipped shipments carry more units of a line than the order has
 * shipped? Then the warehouse and the book disagree about what left, which
 * only a person can settle: why in t.
 */
static bool
shipped_beyond_book(struct plan *p, struct buf *t)
{
	int64_t *sum = xcalloc(p->nlines + 1, sizeof *sum),
		*units = xcalloc(p->nlines + 1, sizeof *units);
	struct buf ignored = {0};
	bool beyond = false;

	for (size_t k = 0; k < p->nships; k++) {
		if (p->ships[k].state != SHIP_SHIPPED ||
		    !units_by_line(p, json_object_get(ship_now(&p->ships[k]), "lines"),
			units, &ignored))
			continue;
		for (size_t i = 0; i < p->nlines; i++)
			sum[i] += units[i];
	}
	for (size_t i = 0; i < p->nlines; i++) {
		const struct sline *l = &p->lines[i];
		int64_t shipped;

		if (!stock_count(l->j, "shipped", 0, &shipped) || sum[i] <= shipped)
			continue;
		buf_printf(t,
		    " line %s (%s): %" PRId64 " on shipped shipments, %" PRId64
		    " shipped on the order;",
		    l->id ? l->id : "?", l->sku ? l->sku : "no sku", sum[i], shipped);
		beyond = true;
	}
	buf_free(&ignored);
	free(sum);
	free(units);
	return beyond;
}

/* ---- holds ---- */

/*
 * Add qty units of l at its price to *sum; false when l has no price. A sum
 * past the largest amount stays at INT64_MAX: it is past any minimum.
 */
static bool
add_value(const struct sline *l, int64_t qty, int64_t *sum)
{
	int64_t v;

	if (l->price < 0)
		return false;
	if (!line_value(l, qty, &v) || !money_add(*sum, v, sum))
		*sum = INT64_MAX;
	return true;
}

/* Value of the units ready now (add) and of the units not allocated; false when unpriced. */
static bool
part_values(const struct plan *p, int64_t *ready, int64_t *rest)
{
	*ready = *rest = 0;
	for (size_t c = 0; c < p->ncells; c++) {
		const struct cell *cl = &p->cells[c];

		if (cl->add > 0 && !add_value(&p->lines[cl->line], cl->add, ready))
			return false;
	}
	for (size_t i = 0; i < p->nlines; i++) {
		const struct sline *l = &p->lines[i];

		if (l->open > l->alloc && !add_value(l, l->open - l->alloc, rest))
			return false;
	}
	return true;
}

/* Does amount (minor units) reach min (ten-thousandths)? Exact: scaled, never divided. */
static bool
reaches(const struct plan *p, int64_t amount, int64_t min)
{
	int64_t scaled = amount;

	for (int d = p->digits; d < 4; d++)
		if (!money_mul(scaled, 10, &scaled))
			return true;
	return scaled >= min;
}

static const char *
channel_name(const struct plan *p)
{
	return p->channel ? p->channel : "this channel";
}

/* Why the minimum policy holds the order, into p->why; false when it may ship. */
static bool
under_minimum(struct plan *p, const struct partial_policy *pol, int64_t ready_units)
{
	int64_t rest_units = p->open - p->alloc, ready, rest;
	char a[MONEY_TEXT_MAX], m[MONEY_TEXT_MAX];

	if (pol->min_percent >= 0) {
		if (ready_units * 100 < pol->min_percent * p->open) {
			buf_printf(&p->why,
			    "partial policy for %s: %" PRId64 " of %" PRId64
			    " open units ready, under %d%%",
			    channel_name(p), ready_units, p->open, pol->min_percent);
			return true;
		}
		if (rest_units * 100 < pol->min_percent * p->open) {
			buf_printf(&p->why,
			    "partial policy for %s: %" PRId64 " of %" PRId64
			    " open units ready would leave %" PRId64 ", under %d%%",
			    channel_name(p), ready_units, p->open, rest_units,
			    pol->min_percent);
			return true;
		}
	}
	if (pol->min_value < 0)
		return false;
	minimum_text(p, pol->min_value, m);
	if (!part_values(p, &ready, &rest)) {
		buf_printf(&p->why,
		    "partial policy for %s: minimum value %s, but the order has no "
		    "prices or currency to judge it",
		    channel_name(p), m);
		return true;
	}
	if (!reaches(p, ready, pol->min_value) || !reaches(p, rest, pol->min_value)) {
		bool short_ready = !reaches(p, ready, pol->min_value);

		money_format(short_ready ? ready : rest, p->digits, a);
		buf_printf(&p->why,
		    "partial policy for %s: the %s is worth %s %s, under the minimum %s",
		    channel_name(p), short_ready ? "part ready" : "rest", a, p->currency,
		    m);
		return true;
	}
	return false;
}

/*
 * Is the order's ship window still shut on the day of the run? Stock is
 * reserved lead days before start_ship (oms-allocate), but nothing is
 * picked before it: the shipment waits, held, and is released on that day.
 * Why into p->why.
 */
static bool
window_not_open(struct plan *p)
{
	struct ship_window w;
	char day[DATE_TEXT_MAX];

	window_of_order(&w, p->order, 0);
	if (!window_opens_after(&w, p->ctx->as_of))
		return false;
	buf_printf(&p->why, "ship window opens %s", date_format(w.start_ship, day));
	return true;
}

/* Does the order's channel ship its size runs whole (allocate.size_run)? */
static bool
keeps_runs(const struct plan *p)
{
	for (size_t i = 0; p->channel && i < p->ctx->rules->nsize_run; i++)
		if (strcmp(p->ctx->rules->size_run[i], p->channel) == 0)
			return true;
	return false;
}

/* Does the line have every unit it can: all it has open, less its case remainder? */
static bool
line_whole(const struct sline *l)
{
	return l->alloc >= l->open;
}

/* The size run of a line (its style and color, the style's length first); false without a style. */
static bool
run_key(const struct sline *l, struct buf *key)
{
	const char *style = str_of(l->j, "style"), *color = str_of(l->j, "color");

	if (!style || !*style)
		return false;
	buf_reset(key);
	buf_printf(key, "%zu:%s%s", strlen(style), style, color ? color : "");
	return true;
}

/*
 * Would the order ship part of a size run? A run (a style and color) that
 * holds units while one of its sizes lacks some is held whole: oms-allocate
 * keeps runs whole, so this guards against allocations made otherwise.
 * Why into p->why, naming the first size short.
 */
static bool
run_incomplete(struct plan *p)
{
	struct strmap holds = {0};
	struct buf key = {0};
	bool broken = false;
	static char yes;

	if (!keeps_runs(p))
		return false;
	for (size_t i = 0; i < p->nlines; i++)
		if (p->lines[i].alloc > 0 && run_key(&p->lines[i], &key))
			strmap_put(&holds, key.p, &yes);
	for (size_t i = 0; !broken && i < p->nlines; i++) {
		const struct sline *l = &p->lines[i];

		if (line_whole(l) || !run_key(l, &key) || !strmap_get(&holds, key.p))
			continue;
		broken = true;
		buf_printf(&p->why,
		    "size run %s/%s incomplete: %s has %" PRId64 " of %" PRId64
		    " units allocated",
		    str_of(l->j, "style"),
		    str_of(l->j, "color") ? str_of(l->j, "color") : "",
		    l->sku ? l->sku : l->id, l->alloc, l->open);
	}
	strmap_free(&holds, NULL);
	buf_free(&key);
	return broken;
}

/* Why the order's new shipments are held, into p->why; false when they go. */
static bool
hold_reason(struct plan *p, long nnew, int64_t new_units)
{
	const json_t *alloc = json_object_get(p->order, "allocation");
	const char *st = str_of(alloc, "status"), *why = str_of(alloc, "reason");

	buf_reset(&p->why);
	if (st &&
	    (strcmp(st, "held") == 0 || strcmp(st, "not_yet") == 0 ||
		strcmp(st, "expired") == 0)) {
		buf_printf(
		    &p->why, "allocation %s%s%s", st, why ? ": " : "", why ? why : "");
		return true;
	}
	/* The other rules judge what is ready to go: with nothing new, nothing to hold. */
	if (nnew == 0)
		return false;
	if (run_incomplete(p))
		return true;
	if (p->alloc < p->open) {
		const struct partial_policy *pol =
		    partial_policy_of(&p->ctx->rules->partial, p->channel);

		if (json_is_true(json_object_get(p->order, "ship_complete"))) {
			buf_printf(&p->why,
			    "ship complete: %" PRId64 " of %" PRId64 " units allocated",
			    p->alloc, p->open);
			return true;
		}
		if (pol->kind == PARTIAL_HOLD) {
			buf_printf(&p->why,
			    "partial policy for %s is hold: %" PRId64 " of %" PRId64
			    " units allocated",
			    channel_name(p), p->alloc, p->open);
			return true;
		}
		if (pol->kind == PARTIAL_MIN && under_minimum(p, pol, new_units))
			return true;
	}
	if (p->ctx->rules->max_shipments > 0 &&
	    p->released_before + nnew > p->ctx->rules->max_shipments) {
		buf_printf(&p->why, "%ld shipments needed, the rules allow %ld",
		    p->released_before + nnew, p->ctx->rules->max_shipments);
		return true;
	}
	/* Last: a shipment ready but for the day would go on that day. */
	return window_not_open(p);
}

/* ---- notices ---- */

static json_t *
notice(const struct plan *p, const char *kind, const char *text, bool to_customer)
{
	return notice_new(p->order, p->id, kind, text, to_customer);
}

/* One shipment's items for the customer's text. */
static void
describe_shipment(struct plan *p, struct buf *b, const json_t *ship)
{
	const json_t *sl;
	size_t i;

	json_array_foreach(json_object_get(ship, "lines"), i, sl) {
		long line = find_line(p, sl);

		buf_adds(b, i ? ", " : "");
		notice_item(b, line >= 0 ? p->lines[line].j : sl, str_of(sl, "sku"),
		    shown_qty(sl));
	}
}

/* "Your order #1001 ships in 2 shipments. Shipment 1 of 2: ..." over every released one. */
static void
split_notice(struct plan *p, struct split_out *out, json_t *const *made, long nmade)
{
	const char *shown = str_of(p->order, "channel_order_id");
	long total = p->released_before + nmade, k = 0;
	struct buf t = {0};

	buf_printf(
	    &t, "Your order %s ships in %ld shipments.", shown ? shown : p->id, total);
	for (size_t s = 0; s < p->nships; s++) {
		if (p->ships[s].state == SHIP_CANCELLED)
			continue;
		buf_printf(&t, " Shipment %ld of %ld: ", ++k, total);
		describe_shipment(p, &t, ship_now(&p->ships[s]));
		buf_addc(&t, '.');
	}
	for (long s = 0; s < nmade; s++) {
		buf_printf(&t, " Shipment %ld of %ld: ", ++k, total);
		describe_shipment(p, &t, made[s]);
		buf_addc(&t, '.');
	}
	add_record(out, notice(p, "split_shipment", t.p, true));
	out->notified = true;
	buf_free(&t);
}

/*
 * "Shipment 2 of 3 of your order #1001 has shipped: ..." for a shipment
 * that shipped in this run; live is the order's shipments that are not
 * cancelled or held, in numbers before n->seq counted in before.
 */
static void
shipped_notice(
    struct plan *p, struct split_out *out, const json_t *n, long before, long live)
{
	const char *shown = str_of(p->order, "channel_order_id");
	const char *carrier = str_of(n, "carrier"),
		   *number = str_of(n, "tracking_number");
	const char *url = str_of(n, "tracking_url");
	struct buf t = {0};
	json_t *rec;

	if (live > 1)
		buf_printf(&t,
		    "Shipment %ld of %ld of your order %s has shipped: ", before + 1,
		    live, shown ? shown : p->id);
	else
		buf_printf(&t, "Your order %s has shipped: ", shown ? shown : p->id);
	describe_shipment(p, &t, n);
	buf_addc(&t, '.');
	if (carrier || number)
		buf_printf(&t, " %s%s%s%s.", carrier ? carrier : "",
		    carrier && number ? " " : "", number ? "tracking number " : "",
		    number ? number : "");
	if (url)
		buf_printf(&t, " Track it at %s", url);
	rec = notice(p, "shipped", t.p, true);
	set_str(rec, "shipment_id", str_of(n, "shipment_id"));
	add_record(out, rec);
	buf_free(&t);
}

/* The live shipments of the order numbered below seq (not cancelled, not held). */
static long
live_before(const struct plan *p, long seq)
{
	long n = 0;

	for (size_t k = 0; k < p->nships; k++)
		n += p->ships[k].state != SHIP_CANCELLED && p->ships[k].seq < seq;
	return n;
}

/* A shipped notice for each shipment that shipped in this run, counting the new released ones. */
static void
shipped_notices(struct plan *p, struct split_out *out)
{
	long live = p->released_before + out->released;

	for (size_t i = 0; i < p->nshipped; i++) {
		const json_t *n = p->shipped[i];
		const json_t *seq = json_object_get(n, "seq");

		shipped_notice(p, out, n,
		    live_before(
			p, json_is_integer(seq) ? (long)json_integer_value(seq) : 0),
		    live);
	}
}

/* For operations: the shipments cancelled in this run, to be pulled from the pick queues. */
static void
cancelled_notice(struct plan *p, struct split_out *out)
{
	struct buf t = {0};

	if (p->ncancelled == 0)
		return;
	buf_printf(&t, "Order %s:", p->id);
	for (size_t k = 0; k < p->ncancelled; k++) {
		const json_t *c = p->cancelled[k];
		const char *loc = str_of(c, "location");

		buf_printf(&t, " shipment %s from %s was cancelled (%s);",
		    str_of(c, "shipment_id"), loc ? loc : "no location",
		    str_of(c, "reason"));
	}
	t.p[t.len - 1] = '.';
	buf_adds(&t,
	    " Pull it from the pick queue (the void list of --manifest-dir); its "
	    "units are planned anew.");
	add_record(out, notice(p, SPLIT_CANCELLED_KIND, t.p, false));
	buf_free(&t);
}

/* The warning for shipped shipments the order's shipped units do not cover. */
static void
change_warning(struct plan *p, struct split_out *out, const struct buf *lines)
{
	struct buf t = {0};

	buf_printf(&t, "Order %s: the warehouse confirmed more than the book shipped:%s",
	    p->id, lines->p);
	t.p[t.len - 1] = '.';
	buf_adds(&t,
	    " Ask the warehouse what left, then mend the book (oms-split(1), Changed "
	    "orders).");
	add_record(out, notice(p, SPLIT_WARNING_KIND, t.p, false));
	out->warned = true;
	buf_free(&t);
}

/* ---- the run ---- */

static int
cmp_new(const void *a, const void *b)
{
	const struct sloc *x = *(const struct sloc *const *)a,
			  *y = *(const struct sloc *const *)b;

	if (x->units != y->units)
		return x->units > y->units ? -1 : 1;
	if (x->priority != y->priority)
		return x->priority < y->priority ? -1 : 1;
	return strcmp(x->name, y->name);
}

/*
 * Make the new shipments (none when nothing is new), held or released. The
 * held ones are written now; the released ones are given back in *made
 * (*nmade of them) for split_order to write after the shipments that
 * changed, so that a run on its own output writes them in the same place.
 */
static void
make_new(struct plan *p, struct split_out *out, json_t ***made, long *nmade)
{
	struct sloc **order = xcalloc(p->nlocs + 1, sizeof *order);
	long nnew = 0;
	int64_t units = 0;
	bool held;

	*made = xcalloc(p->nlocs + 1, sizeof **made);
	*nmade = 0;
	for (size_t c = 0; c < p->ncells; c++) {
		struct cell *cl = &p->cells[c];

		cl->add = cl->alloc - cl->rel;
		p->locs[cl->loc].units += cl->add;
		units += cl->add;
	}
	for (size_t i = 0; i < p->nlocs; i++)
		if (p->locs[i].units > 0)
			order[nnew++] = &p->locs[i];
	qsort(order, (size_t)nnew, sizeof *order, cmp_new);
	held = hold_reason(p, nnew, units);
	if (nnew == 0 && held && !out->ships) {
		/* Nothing to pick, but the rule that holds the order still shows. */
		add_record(out,
		    make_shipment(
			p, out, NULL, p->max_seq + 1, p->max_seq + 1, p->why.p));
		out->held++;
	}
	for (long i = 0; i < nnew; i++) {
		json_t *s = make_shipment(p, out, order[i], p->max_seq + 1 + i,
		    p->max_seq + nnew, held ? p->why.p : NULL);

		if (held) {
			out->held++;
			out->units_held += order[i]->units;
			add_record(out, s);
			continue;
		}
		out->released++;
		out->units_released += order[i]->units;
		out->ships = true;
		add_picks(p, out, s);
		(*made)[(*nmade)++] = s;
	}
	free(order);
}

/* Write the released new shipments, and tell the customer when the order now ships in pieces. */
static void
write_made(struct plan *p, struct split_out *out, json_t **made, long nmade)
{
	for (long i = 0; i < nmade; i++)
		add_record(out, json_incref(made[i]));
	if (nmade > 0 && p->released_before + nmade > 1)
		split_notice(p, out, made, nmade);
	for (long i = 0; i < nmade; i++)
		json_decref(made[i]);
	free(made);
}

/* The law, checked: open released units and new units together are the allocated units. */
static bool
units_add_up(const struct plan *p, const struct split_out *out)
{
	int64_t rel = 0;

	for (size_t c = 0; c < p->ncells; c++)
		rel += p->cells[c].rel;
	return rel + out->units_released + out->units_held + p->ctx->fault_units ==
	    p->alloc;
}

static int
cmp_seq(const void *a, const void *b)
{
	const struct earlier_ship *x = *(const struct earlier_ship *const *)a,
				  *y = *(const struct earlier_ship *const *)b;

	return (x->seq > y->seq) - (x->seq < y->seq);
}

/* The shipments that changed in this run, in number order, each in place of the one it was. */
static void
write_changed(struct plan *p, struct split_out *out)
{
	struct earlier_ship **v = xcalloc(p->nships + 1, sizeof *v);
	size_t n = 0;

	for (size_t k = 0; k < p->nships; k++)
		if (p->ships[k].now)
			v[n++] = &p->ships[k];
	qsort(v, n, sizeof *v, cmp_seq);
	for (size_t i = 0; i < n; i++) {
		if (v[i]->at != SIZE_MAX)
			out->drop[v[i]->at] = true;
		add_record(out, json_incref(v[i]->now));
	}
	free(v);
}

static void
plan_free(struct plan *p)
{
	for (size_t k = 0; k < p->nships; k++)
		json_decref(p->ships[k].now);
	free(p->lines);
	free(p->cells);
	free(p->locs);
	free(p->ships);
	free(p->tracks);
	free(p->shipped);
	free(p->cancelled);
	idmap_free(&p->cell_of);
	idmap_free(&p->loc_of);
	idmap_free(&p->line_of_id);
	idmap_free(&p->line_of_sku);
	idmap_free(&p->tracked_of);
	buf_free(&p->why);
	buf_free(&p->pack);
	buf_free(&p->text);
	free(p);
}

void
split_order(const struct split_ctx *ctx, json_t *order, json_t *const *earlier,
    size_t nearlier, struct split_out *out)
{
	struct plan *p = xcalloc(1, sizeof *p);
	struct buf beyond = {0};
	json_t **made = NULL;
	long nmade = 0;
	bool open, cancelled;

	p->ctx = ctx;
	p->order = order;
	p->id = str_of(order, "order_id");
	p->channel = str_of(order, "channel");
	p->status = str_of(order, "status");
	p->currency = str_of(order, "currency");
	p->digits = p->currency ? currency_digits(p->currency) : 2;
	open = !p->status || strcmp(p->status, "open") == 0;
	cancelled = !open && strcmp(p->status, "cancelled") == 0;
	read_order(p);
	read_earlier(p, earlier, nearlier, out);
	apply_tracking(p, out);
	place_released(p, out);
	if (cancelled)
		cancel_all(p, out, "the order was cancelled");
	else if (!open)
		cancel_all(p, out, "the order is closed: everything shipped");
	else
		cancel_uncovered(p, out);
	for (size_t s = 0; s < p->nships && open; s++) {
		if (p->ships[s].placed) {
			out->ships = true;
			add_picks(p, out, p->ships[s].j);
		}
	}
	/*
	 * What is made again on every run (held shipments, the warning) comes
	 * first: a run on this output writes it before the records that stay.
	 */
	if (open)
		make_new(p, out, &made, &nmade);
	if ((open || cancelled) && shipped_beyond_book(p, &beyond))
		change_warning(p, out, &beyond);
	write_changed(p, out);
	write_made(p, out, made, nmade);
	shipped_notices(p, out);
	cancelled_notice(p, out);
	if (open && !units_add_up(p, out))
		out->broken = true;
	buf_free(&beyond);
	plan_free(p);
}

void
split_out_reset(struct split_out *out)
{
	buf_reset(&out->recs);
	buf_reset(&out->picks);
	buf_reset(&out->told);
	out->ndrop = 0;
	buf_reset(&out->voids);
	out->nrecs = out->released = out->held = out->shipped = out->cancelled = 0;
	out->units_released = out->units_held = 0;
	out->ships = out->warned = out->notified = out->broken = false;
}

void
split_out_free(struct split_out *out)
{
	buf_free(&out->recs);
	buf_free(&out->picks);
	buf_free(&out->told);
	buf_free(&out->voids);
	free(out->drop);
	memset(out, 0, sizeof *out);
}
