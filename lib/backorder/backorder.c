/*
 * backorder.c: backordered lines, and the open lines of orders before
 * their ship window, ranked as oms-allocate ranks orders, promised the
 * earliest supply of their SKU; the records, notices and shortfall made
 * of what was promised.
 */
#include "backorder.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "csvcell.h"
#include "date.h"
#include "json.h"
#include "notice.h"
#include "outfile.h"
#include "rules.h"
#include "schema.h"
#include "units.h"
#include "window.h"
#include "writer.h"

/* A line --previous does not hold: no day number is this high. */
#define BO_UNTOLD INT32_MAX

/* ---- rules ---- */

static bool
read_receiving(json_t *sec, struct bo_rules *r, struct buf *err)
{
	json_t *v = json_object_get(sec, "receiving_days");

	if (!v)
		return true;
	if (!json_is_integer(v) || json_integer_value(v) < 0 ||
	    json_integer_value(v) > 365) {
		buf_adds(err,
		    "backorder: receiving_days must be a whole number from 0 "
		    "to 365");
		return false;
	}
	r->receiving_days = (int)json_integer_value(v);
	return true;
}

bool
bo_rules_load(const char *path, struct bo_rules *r, struct buf *err)
{
	static const char *const keys[] = {"receiving_days", "holidays", NULL};
	json_t *rules = NULL, *sec = NULL, *holidays;
	bool ok;

	memset(r, 0, sizeof *r);
	if (path && !(rules = rules_load(path, err)))
		return false;
	ok = rules_section(rules, "backorder", keys, &sec, err) &&
	    read_receiving(sec, r, err);
	holidays = json_object_get(sec, "holidays");
	if (!holidays)
		holidays = json_object_get(json_object_get(rules, "import"), "holidays");
	ok = ok && shipby_load(&r->days, NULL, holidays, err);
	/* The ranking is allocate's own, so both tools put the same orders first. */
	ok = ok &&
	    rank_parse(json_object_get(json_object_get(rules, "allocate"), "sort"),
		&r->rank, err);
	if (!ok && path)
		buf_printf(err, " in %s", path);
	json_decref(rules);
	return ok;
}

void
bo_rules_free(struct bo_rules *r)
{
	shipby_free(&r->days);
}

/* ---- reading orders ---- */

void
bo_init(struct backorders *b, const struct bo_rules *rules)
{
	memset(b, 0, sizeof *b);
	b->rules = rules;
}

static const char *
str_at(const json_t *j, const char *key)
{
	const char *s = json_string_value(json_object_get(j, key));

	return s && *s ? s : NULL;
}

static uint32_t
intern_str(struct intern *t, const char *s)
{
	return s ? intern_id(t, s, strlen(s)) : BO_NONE;
}

/* How a message names a line: by its line_id, else by its place in the order. */
static void
name_line(const json_t *line, size_t i, struct buf *err)
{
	if (str_at(line, "line_id"))
		buf_printf(err, "line %s: ", str_at(line, "line_id"));
	else
		buf_printf(err, "line #%zu (no line_id): ", i + 1);
}

/* A value as a message shows it: "two", -3, an array ... */
static void
quote_value(const json_t *v, struct buf *err)
{
	if (json_is_string(v))
		buf_printf(err, "\"%s\"", json_string_value(v));
	else if (json_is_integer(v))
		buf_printf(err, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
	else if (json_is_real(v))
		buf_printf(err, "%g", json_real_value(v));
	else
		buf_adds(err,
		    json_is_true(v)             ? "true"
			: json_is_false(v)      ? "false"
			: json_is_null(v) || !v ? "null"
			: json_is_array(v)      ? "an array"
						: "an object");
}

/* Append ", but KEY VALUE cannot be counted" for a line's count (VALUE quoted, or "(none)"). */
static void
say_uncounted(const json_t *line, const char *key, struct buf *err)
{
	buf_printf(err, ", but %s ", key);
	if (json_object_get(line, key))
		quote_value(json_object_get(line, key), err);
	else
		buf_adds(err, "(none)");
	buf_adds(err, " cannot be counted");
}

/* A line's backordered units, checked; -1 (with err) when they cannot be used. */
static int64_t
backordered_of(const json_t *line, size_t i, struct buf *err)
{
	int64_t q, qty, shipped;
	bool qty_ok;

	if (!stock_count(line, "backordered", 0, &q)) {
		name_line(line, i, err);
		buf_adds(err, "backordered ");
		quote_value(json_object_get(line, "backordered"), err);
		buf_adds(err, " is not a whole number from 0 to 10^12");
		return -1;
	}
	if (q == 0)
		return 0;
	if (!str_at(line, "sku") || !str_at(line, "line_id")) {
		name_line(line, i, err);
		buf_printf(err, "%" PRId64 " backordered, but no %s", q,
		    str_at(line, "sku") ? "line_id" : "sku");
		return -1;
	}
	/* Shipped units are no longer waiting: backordered cannot pass qty - shipped. */
	qty_ok = stock_count(line, "qty", -1, &qty) && qty >= 0;
	if (!qty_ok || !stock_count(line, "shipped", 0, &shipped)) {
		const char *bad = qty_ok ? "shipped" : "qty";

		name_line(line, i, err);
		buf_printf(err, "%" PRId64 " backordered", q);
		say_uncounted(line, bad, err);
		return -1;
	}
	if (q > units_open(qty, shipped, false)) {
		name_line(line, i, err);
		buf_printf(err,
		    "%" PRId64 " backordered, but qty %" PRId64 " less shipped %" PRId64
		    " leaves %" PRId64,
		    q, qty, shipped, qty - shipped);
		return -1;
	}
	return q;
}

/*
 * The units of a line of an order before its ship window: oms-allocate
 * reserves nothing for it yet, so all its open units (units_open, the
 * count every tool shares) wait, but for its case remainder (units that
 * make no whole case are never allocated, so never promised); -1 (with
 * err) when they cannot be used.
 */
static int64_t
open_before_window(const json_t *line, size_t i, struct buf *err)
{
	int64_t qty, shipped, open, rest;
	bool qty_ok;

	if (schema_line_idle(line))
		return 0;
	qty_ok = stock_count(line, "qty", -1, &qty) && qty >= 0;
	if (!qty_ok || !stock_count(line, "shipped", 0, &shipped)) {
		const char *bad = qty_ok ? "shipped" : "qty";

		name_line(line, i, err);
		buf_adds(err, "before its ship window");
		say_uncounted(line, bad, err);
		return -1;
	}
	if (!stock_count(line, "case_remainder", 0, &rest))
		rest = 0;
	open = units_fillable(units_open(qty, shipped, false), rest);
	if (open > 0 && (!str_at(line, "sku") || !str_at(line, "line_id"))) {
		name_line(line, i, err);
		buf_printf(err, "%" PRId64 " open before its ship window, but no %s",
		    open, str_at(line, "sku") ? "line_id" : "sku");
		return -1;
	}
	return open;
}

/* Is the order before its ship window, as oms-allocate found it? */
static bool
order_not_yet(const json_t *order)
{
	const char *st = str_at(json_object_get(order, "allocation"), "status");

	return st && strcmp(st, "not_yet") == 0;
}

/* The ship window of an order: backorder takes no lead days (its start_ship is the customer's). */
static void
window_of(const struct bo_order *o, struct ship_window *w)
{
	window_of_rank(w, &o->rv, 0);
}

/*
 * When an order's units are needed: ship_by, else start_ship, else the day
 * it was placed; before its window, its start_ship, the first day it may
 * ship (a ship_by before it cannot be the day its units are wanted).
 */
static int32_t
needed_of(const struct bo_order *o)
{
	struct ship_window w;
	int32_t placed = BO_NO_DAY;

	window_of(o, &w);
	if (o->not_yet && w.start_ship != BO_NO_DAY)
		return w.start_ship;
	if (o->rv.present >> RK_PLACED_AT & 1u) {
		int64_t s = o->rv.v[RK_PLACED_AT];

		placed = (int32_t)((s >= 0 ? s : s - 86399) / 86400);
	}
	return window_needed(&w, placed);
}

static const char *const attr_names[] = {"style", "color", "size"};

static void
add_line(struct backorders *b, const json_t *line, size_t i, int64_t q)
{
	struct bo_line *l;

	b->lines = xgrow(b->lines, &b->lcap, b->nlines + 1, sizeof *b->lines, 1024);
	l = &b->lines[b->nlines++];
	memset(l, 0, sizeof *l);
	l->qty = q;
	l->order = (uint32_t)b->norders;
	l->sku = intern_str(&b->skus, str_at(line, "sku"));
	l->line = (uint32_t)i;
	l->eta = l->ship = BO_NO_DAY;
	l->preorder = json_is_true(json_object_get(line, "preorder"));
	for (int k = 0; k < 3; k++)
		l->attr[k] = intern_str(&b->attrs, str_at(line, attr_names[k]));
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/*
 * A backorder record names its line by line_id, and --previous finds it so:
 * two backordered lines of an order with one line_id cannot be told apart.
 */
static bool
line_ids_unique(const json_t *lines, const int64_t *back, struct buf *err)
{
	size_t n = json_array_size(lines), k = 0;
	const char **ids = xcalloc(n + 1, sizeof *ids);
	bool ok = true;

	for (size_t i = 0; i < n; i++)
		if (back[i] > 0)
			ids[k++] = str_at(json_array_get(lines, i), "line_id");
	qsort(ids, k, sizeof *ids, cmp_str);
	for (size_t i = 1; ok && i < k; i++)
		if (strcmp(ids[i - 1], ids[i]) == 0) {
			buf_printf(
			    err, "line_id \"%s\" is on two backordered lines", ids[i]);
			ok = false;
		}
	free(ids);
	return ok;
}

/*
 * Each line's waiting units into back: its backordered units, or before
 * the window (not_yet) its open units; how many lines wait, or -1 (with
 * err) when one cannot be used.
 */
static long
read_waiting(struct backorders *b, const json_t *lines, bool not_yet, int64_t *back,
    struct buf *err)
{
	const json_t *line;
	int64_t units = b->units;
	size_t i;
	long nback = 0;

	json_array_foreach(lines, i, line) {
		/* backordered is checked even before the window: a bad one is still bad. */
		if ((back[i] = backordered_of(line, i, err)) < 0)
			return -1;
		if (not_yet && (back[i] = open_before_window(line, i, err)) < 0)
			return -1;
		nback += back[i] > 0;
		if ((units += back[i]) > BO_UNITS_MAX) {
			buf_printf(err, "the run's backordered units pass 10^18");
			return -1;
		}
	}
	if (nback > 1 && !line_ids_unique(lines, back, err))
		return -1;
	b->units = units;
	return nback;
}

static void
add_order(
    struct backorders *b, const json_t *order, const char *id, long nback, bool not_yet)
{
	struct bo_order *o;

	b->orders = xgrow(b->orders, &b->ocap, b->norders + 1, sizeof *b->orders, 1024);
	o = &b->orders[b->norders];
	memset(o, 0, sizeof *o);
	rank_vals_of(order, &o->rv);
	o->id = b->ids.len;
	buf_add(&b->ids, id, strlen(id) + 1);
	o->channel = intern_str(&b->channels, str_at(order, "channel"));
	o->stock_channel = INTERN_NONE;
	o->first = (uint32_t)b->nlines;
	o->n = (uint32_t)nback;
	o->live = true;
	o->ship_complete = json_is_true(json_object_get(order, "ship_complete"));
	o->not_yet = not_yet;
	o->needed = needed_of(o);
}

enum bo_read
bo_add_order(struct backorders *b, const json_t *order, uint32_t *index, struct buf *err)
{
	const char *status = str_at(order, "status"), *id = str_at(order, "order_id");
	const json_t *lines = json_object_get(order, "lines");
	bool not_yet = order_not_yet(order);
	int64_t *back;
	long nback;

	if ((status && strcmp(status, "open") != 0) || !id || !json_is_array(lines))
		return BO_NOTHING;
	back = xcalloc(json_array_size(lines) + 1, sizeof *back);
	nback = read_waiting(b, lines, not_yet, back, err);
	if (nback > 0) {
		add_order(b, order, id, nback, not_yet);
		for (size_t i = 0; i < json_array_size(lines); i++)
			if (back[i] > 0)
				add_line(b, json_array_get(lines, i), i, back[i]);
		*index = (uint32_t)b->norders++;
	}
	free(back);
	return nback < 0 ? BO_REJECTED : nback ? BO_ADDED : BO_NOTHING;
}

/* ---- matching ---- */

static const char *
order_id(const struct backorders *b, uint32_t o)
{
	return b->ids.p + b->orders[o].id;
}

/* qsort has no context: the backorders being sorted, and each order's place in the ranking. */
static const struct backorders *sorting;
static const uint32_t *rank_pos;

static int
cmp_rank(const void *pa, const void *pb)
{
	uint32_t a = *(const uint32_t *)pa, b = *(const uint32_t *)pb;

	return rank_cmp(&sorting->rules->rank, &sorting->orders[a].rv,
	    order_id(sorting, a), &sorting->orders[b].rv, order_id(sorting, b));
}

/* By SKU, then the order's rank, then the line's place in the order. */
static int
cmp_demand(const void *pa, const void *pb)
{
	const struct bo_line *a = &sorting->lines[*(const uint32_t *)pa],
			     *b = &sorting->lines[*(const uint32_t *)pb];

	if (a->sku != b->sku)
		return a->sku < b->sku ? -1 : 1;
	if (rank_pos[a->order] != rank_pos[b->order])
		return rank_pos[a->order] < rank_pos[b->order] ? -1 : 1;
	return (a->line > b->line) - (a->line < b->line);
}

/* The live lines in the order they are served: SKU, rank, line; n of them. */
static uint32_t *
demand_in_rank(const struct backorders *b, size_t *n)
{
	uint32_t *ranked = xcalloc(b->norders + 1, sizeof *ranked),
		 *pos = xcalloc(b->norders + 1, sizeof *pos),
		 *lines = xcalloc(b->nlines + 1, sizeof *lines);
	size_t nr = 0;

	for (uint32_t o = 0; o < b->norders; o++)
		if (b->orders[o].live)
			ranked[nr++] = o;
	sorting = b;
	if (nr)
		qsort(ranked, nr, sizeof *ranked, cmp_rank);
	for (size_t r = 0; r < nr; r++)
		pos[ranked[r]] = (uint32_t)r;
	*n = 0;
	for (uint32_t l = 0; l < b->nlines; l++)
		if (b->orders[b->lines[l].order].live)
			lines[(*n)++] = l;
	rank_pos = pos;
	if (*n)
		qsort(lines, *n, sizeof *lines, cmp_demand);
	sorting = NULL;
	rank_pos = NULL;
	free(ranked);
	free(pos);
	return lines;
}

/*
 * Supply at a location of the locations file serves that location's
 * channels only. Orders are told apart by their channel's slot: its id
 * among the locations' channels, one past them for any other (or none),
 * and a single slot when there is no locations file.
 */
static uint32_t
nslots(const struct backorders *b)
{
	return b->st ? (uint32_t)b->st->channels.n + 1 : 1;
}

static uint32_t
slot_of(const struct backorders *b, const struct bo_order *o)
{
	if (!b->st)
		return 0;
	return o->stock_channel == INTERN_NONE ? (uint32_t)b->st->channels.n
					       : o->stock_channel;
}

/* May supply s serve the orders of slot? */
static bool
serves_slot(const struct backorders *b, const struct supply *s, uint32_t slot)
{
	return !b->st || s->stock_loc == INTERN_NONE ||
	    stock_serves(
		b->st, s->stock_loc, slot == b->st->channels.n ? INTERN_NONE : slot);
}

/* The channel of each live order among the locations' channels, found once. */
static void
find_stock_channels(struct backorders *b)
{
	for (size_t o = 0; b->st && o < b->norders; o++) {
		uint32_t ch = b->orders[o].channel;
		const char *name = ch == BO_NONE ? NULL : intern_name(&b->channels, ch);

		b->orders[o].stock_channel = name
		    ? intern_find(&b->st->channels, name, strlen(name))
		    : INTERN_NONE;
	}
}

static void
take(struct backorders *b, struct bo_line *l, struct supply *s, uint32_t si)
{
	int64_t q = l->qty - l->covered < s->left ? l->qty - l->covered : s->left;

	b->takes = xgrow(b->takes, &b->tcap, b->ntakes + 1, sizeof *b->takes, 1024);
	b->takes[b->ntakes++] = (struct bo_take){q, si};
	l->ntakes++;
	l->covered += q;
	s->left -= q;
	if (s->eta > l->eta)
		l->eta = s->eta;
}

/* Does any supply row of the line's SKU serve its slot at all? */
static bool
any_serves(const struct backorders *b, const struct supply *s, uint32_t ns, uint32_t slot)
{
	for (uint32_t j = 0; j < ns; j++)
		if (serves_slot(b, &s[j], slot))
			return true;
	return false;
}

/*
 * The matching's state per SKU and slot: where the rows it may still use
 * begin (those before are empty, or serve other channels: neither
 * changes), and whether any row serves it at all (0 not known yet, 1, 2 no).
 */
struct cursors {
	uint32_t *open;
	uint8_t *serves;
};

static void
serve_line(
    struct backorders *b, struct supplies *sup, struct cursors *c, struct bo_line *l)
{
	uint32_t ns, slot = slot_of(b, &b->orders[l->order]);
	struct supply *s = supply_of(sup, l->sku, &ns);
	size_t k = (size_t)l->sku * nslots(b) + slot;
	uint32_t *at = ns ? &c->open[k] : NULL;

	l->first = (uint32_t)b->ntakes;
	if (!ns)
		return;
	for (uint32_t j = *at; j < ns && l->covered < l->qty; j++)
		if (s[j].left > 0 && serves_slot(b, &s[j], slot))
			take(b, l, &s[j], (uint32_t)(&s[j] - sup->v));
	while (*at < ns && (s[*at].left == 0 || !serves_slot(b, &s[*at], slot)))
		(*at)++;
	if (l->ntakes == 0) {
		if (!c->serves[k])
			c->serves[k] = any_serves(b, s, ns, slot) ? 1 : 2;
		l->unserved = c->serves[k] == 2;
	}
}

/*
 * The day each line of a live order can ship: its eta, not before the
 * order's start_ship; for a ship-complete order, the day its last line
 * can, and no day while a line has units without supply.
 */
static void
ship_days(struct backorders *b)
{
	for (size_t o = 0; o < b->norders; o++) {
		const struct bo_order *ord = &b->orders[o];
		int32_t all = BO_NO_DAY;
		struct ship_window w;
		bool whole = true;

		if (!ord->live)
			continue;
		window_of(ord, &w);
		for (uint32_t i = ord->first; i < ord->first + ord->n; i++) {
			const struct bo_line *l = &b->lines[i];

			whole = whole && l->covered == l->qty;
			if (l->ntakes && (all == BO_NO_DAY || l->eta > all))
				all = l->eta;
		}
		for (uint32_t i = ord->first; i < ord->first + ord->n; i++) {
			struct bo_line *l = &b->lines[i];

			l->ship = !ord->ship_complete ? (l->ntakes ? l->eta : BO_NO_DAY)
			    : whole                   ? all
						      : BO_NO_DAY;
			/* The window opens on start_ship, or the business day after it. */
			if (l->ship != BO_NO_DAY && window_opens_after(&w, l->ship))
				l->ship = shipby_business_days(
				    &b->rules->days, window_opens(&w), 0);
		}
	}
}

static int
cmp_channel_name(const void *pa, const void *pb)
{
	uint32_t a = *(const uint32_t *)pa, b = *(const uint32_t *)pb;

	return strcmp(
	    intern_name(&sorting->channels, a), intern_name(&sorting->channels, b));
}

/* Channels ch[0..n) by name, each once; how many are left. */
static uint32_t
unique_channels(const struct backorders *b, uint32_t *ch, uint32_t n)
{
	uint32_t k = 0;

	sorting = b;
	qsort(ch, n, sizeof *ch, cmp_channel_name);
	sorting = NULL;
	for (uint32_t i = 0; i < n; i++)
		if (k == 0 || ch[i] != ch[k - 1])
			ch[k++] = ch[i];
	return k;
}

/* The shortfall of one SKU, from its live lines (in rank order) lines[0..n). */
static void
add_short(struct backorders *b, const uint32_t *lines, size_t n)
{
	struct bo_short sh = {
	    0, 0, b->lines[lines[0]].sku, BO_NO_DAY, 0, 0, {BO_NONE, BO_NONE, BO_NONE}};
	uint32_t first_line[3] = {UINT32_MAX, UINT32_MAX, UINT32_MAX};
	uint32_t last_order = BO_NONE;

	sh.first = (uint32_t)b->nshort_channels;
	for (size_t i = 0; i < n; i++) {
		const struct bo_line *l = &b->lines[lines[i]];
		const struct bo_order *o = &b->orders[l->order];

		/* Style, color, size: of the first line in the stream that names each. */
		for (int k = 0; k < 3; k++)
			if (l->attr[k] != BO_NONE && lines[i] < first_line[k]) {
				first_line[k] = lines[i];
				sh.attr[k] = l->attr[k];
			}
		if (l->covered == l->qty)
			continue;
		sh.units += l->qty - l->covered;
		sh.orders += l->order != last_order;
		last_order = l->order;
		if (o->needed != BO_NO_DAY &&
		    (sh.needed == BO_NO_DAY || o->needed < sh.needed))
			sh.needed = o->needed;
		if (o->channel != BO_NONE) {
			b->short_channels = xgrow(b->short_channels, &b->sccap,
			    b->nshort_channels + 1, sizeof *b->short_channels, 1024);
			b->short_channels[b->nshort_channels++] = o->channel;
		}
	}
	if (!sh.units)
		return;
	sh.n = (uint32_t)(b->nshort_channels - sh.first);
	if (sh.n)
		sh.n = unique_channels(b, b->short_channels + sh.first, sh.n);
	b->nshort_channels = sh.first + sh.n;
	b->shorts = xgrow(b->shorts, &b->scap, b->nshorts + 1, sizeof *b->shorts, 1024);
	b->shorts[b->nshorts++] = sh;
}

static int
cmp_short(const void *pa, const void *pb)
{
	const struct bo_short *a = pa, *b = pb;

	return strcmp(
	    intern_name(&sorting->skus, a->sku), intern_name(&sorting->skus, b->sku));
}

void
bo_match(struct backorders *b, struct supplies *sup, const struct stock *st)
{
	size_t n, from = 0, ncur;
	uint32_t *lines;
	struct cursors c;

	b->st = st;
	find_stock_channels(b);
	lines = demand_in_rank(b, &n);
	ncur = (sup->nskus + 1) * (size_t)nslots(b);
	c.open = xcalloc(ncur, sizeof *c.open);
	c.serves = xcalloc(ncur, 1);
	for (size_t i = 0; i < n; i++)
		serve_line(b, sup, &c, &b->lines[lines[i]]);
	free(c.open);
	free(c.serves);
	ship_days(b);
	for (size_t i = 1; i <= n; i++)
		if (i == n || b->lines[lines[i]].sku != b->lines[lines[from]].sku) {
			add_short(b, lines + from, i - from);
			from = i;
		}
	free(lines);
	sorting = b;
	if (b->nshorts)
		qsort(b->shorts, b->nshorts, sizeof *b->shorts, cmp_short);
	sorting = NULL;
}

/* ---- the laws ---- */

static bool
check_supply(const struct backorders *b, const struct supplies *sup, struct buf *err)
{
	int64_t *used = xcalloc(sup->n + 1, sizeof *used);
	bool ok = true;

	for (size_t l = 0; ok && l < b->nlines; l++) {
		const struct bo_line *ln = &b->lines[l];
		int64_t sum = 0;

		for (uint32_t t = ln->first; t < ln->first + ln->ntakes; t++) {
			used[b->takes[t].supply] += b->takes[t].qty;
			sum += b->takes[t].qty;
		}
		if (sum != ln->covered || ln->covered > ln->qty) {
			buf_printf(err,
			    "order %s line %u: %" PRId64 " promised of %" PRId64
			    " backordered",
			    order_id(b, ln->order), ln->line + 1, sum, ln->qty);
			ok = false;
		}
	}
	for (size_t s = 0; ok && s < sup->n; s++)
		if (used[s] > sup->v[s].qty ||
		    used[s] != sup->v[s].qty - sup->v[s].left) {
			buf_printf(err, "%s (%s): %" PRId64 " promised of %" PRId64,
			    intern_name(&sup->ids, sup->v[s].id),
			    intern_name(&b->skus, sup->v[s].sku), used[s], sup->v[s].qty);
			ok = false;
		}
	free(used);
	return ok;
}

/*
 * Walk each SKU's lines in rank order. The rows a line could use but passed
 * by (before the last it took, or all of them when it went short) were
 * empty then, so no later-ranked line may have any of them. Per slot, the
 * rows below bound[slot] that serve it are so closed.
 */
static bool
check_ranking(const struct backorders *b, const struct supplies *sup, struct buf *err)
{
	size_t n;
	uint32_t *lines = demand_in_rank(b, &n), k = nslots(b);
	uint32_t *bound = xcalloc(k, sizeof *bound);
	bool ok = true;

	for (size_t i = 0; ok && i < n; i++) {
		const struct bo_line *l = &b->lines[lines[i]];
		uint32_t ns, last = 0, slot = slot_of(b, &b->orders[l->order]);
		const struct supply *s = supply_of(sup, l->sku, &ns);
		size_t base = s ? (size_t)(s - sup->v) : 0;

		if (i == 0 || l->sku != b->lines[lines[i - 1]].sku)
			memset(bound, 0, k * sizeof *bound);
		for (uint32_t t = l->first; ok && t < l->first + l->ntakes; t++) {
			uint32_t j = (uint32_t)(b->takes[t].supply - base);

			for (uint32_t c = 0; ok && c < k; c++)
				if (j < bound[c] && serves_slot(b, &s[j], c)) {
					buf_printf(err,
					    "order %s line %u has %s, which an order "
					    "ranked before it waits for",
					    order_id(b, l->order), l->line + 1,
					    intern_name(&sup->ids, s[j].id));
					ok = false;
				}
			if (j > last)
				last = j;
		}
		if (l->covered < l->qty)
			last = ns;
		if (last > bound[slot])
			bound[slot] = last;
	}
	free(bound);
	free(lines);
	return ok;
}

bool
bo_check(const struct backorders *b, const struct supplies *sup, struct buf *err)
{
	return check_supply(b, sup, err) && check_ranking(b, sup, err);
}

/* ---- records and notices ---- */

enum bo_kind { KIND_BACKORDER, KIND_PREORDER, KIND_UNSOURCED };

static const char *const kind_names[] = {"backorder", "preorder", "unsourced"};

static enum bo_kind
kind_of(const struct backorders *b, const struct supplies *sup, const struct bo_line *l)
{
	bool po = false;

	if (l->ntakes == 0)
		return KIND_UNSOURCED;
	for (uint32_t t = l->first; t < l->first + l->ntakes; t++)
		po = po || sup->v[b->takes[t].supply].kind == SUPPLY_PO;
	return l->preorder || !po ? KIND_PREORDER : KIND_BACKORDER;
}

/*
 * The last day a line may ship: the earlier of its order's ship_by and
 * cancel_after, BO_NO_DAY without either. A pre-order has its own promise:
 * ship_by is the channel's promise for items in stock, which a pre-order
 * was never sold against, and the record holds no date the customer was
 * promised instead; so only cancel_after, the day the order dies, binds it.
 */
static int32_t
deadline_of(const struct backorders *b, const struct bo_line *l, const char **which)
{
	struct ship_window w;

	window_of(&b->orders[l->order], &w);
	if (l->preorder)
		w.ship_by = BO_NO_DAY;
	return window_due(&w, which);
}

/* Units short of supply, no day to ship, or a day past the deadline miss it. */
static bool
at_risk(const struct bo_line *l, int32_t deadline)
{
	return deadline != BO_NO_DAY &&
	    (l->covered < l->qty || l->ship == BO_NO_DAY || l->ship > deadline);
}

/* "PO-1 at EWR-DC (po, 3 expected 2026-12-08)" for each supply a line takes. */
static void
describe_takes(const struct backorders *b, const struct supplies *sup,
    const struct bo_line *l, struct buf *r)
{
	char d1[DATE_TEXT_MAX], d2[DATE_TEXT_MAX];

	if (l->covered < l->qty)
		buf_printf(r, "%" PRId64 " of %" PRId64 " ", l->covered, l->qty);
	buf_adds(r, "covered by ");
	for (uint32_t t = l->first; t < l->first + l->ntakes; t++) {
		const struct supply *s = &sup->v[b->takes[t].supply];

		buf_printf(r, "%s%s", t > l->first ? " and " : "",
		    intern_name(&sup->ids, s->id));
		if (s->loc != INTERN_NONE)
			buf_printf(r, " at %s", intern_name(&sup->locs, s->loc));
		buf_printf(r, " (%s, %" PRId64 " expected %s", supply_kind_name(s->kind),
		    b->takes[t].qty, date_format(s->expected, d1));
		if (s->late)
			buf_printf(r, ", late: ships %s at the earliest",
			    date_format(s->eta, d2));
		buf_addc(r, ')');
	}
	if (l->covered < l->qty)
		buf_printf(r, "; %" PRId64 " %s no supply", l->qty - l->covered,
		    l->qty - l->covered == 1 ? "has" : "have");
}

/* Why a line ships when it does: the order's other lines, or its window. */
static void
describe_ship_day(const struct backorders *b, const struct bo_line *l,
    const struct bo_order *o, struct buf *r)
{
	int32_t last = l->eta;
	struct ship_window w;
	char d[DATE_TEXT_MAX];

	if (!l->ntakes)
		return;
	if (l->ship == BO_NO_DAY) {
		buf_adds(
		    r, "; ship complete: the order waits for units no supply covers");
		return;
	}
	for (uint32_t i = o->first; o->ship_complete && i < o->first + o->n; i++)
		if (b->lines[i].eta > last)
			last = b->lines[i].eta;
	if (last > l->eta)
		buf_printf(r, "; ship complete: ships with the order's last line, %s",
		    date_format(last, d));
	window_of(o, &w);
	if (l->ship > last)
		buf_printf(r, "; not before start_ship %s", date_format(w.start_ship, d));
}

/*
 * Why a line of an order before its window has a record at all: it is not
 * backordered, oms-allocate has not tried to reserve its stock yet. It is
 * projected on supply alone, as oms-backorder reads no inventory, so its
 * record is the worst case: stock on hand may still cover it.
 */
static void
describe_not_yet(const struct bo_order *o, struct buf *r)
{
	struct ship_window w;
	char d[DATE_TEXT_MAX];

	window_of(o, &w);
	buf_adds(r, "not yet due");
	if (w.start_ship != BO_NO_DAY)
		buf_printf(r, " (start_ship %s)", date_format(w.start_ship, d));
	buf_adds(r,
	    ": projected on supply alone, stock on hand may cover it when "
	    "its window opens; ");
}

static void
describe_line(const struct backorders *b, const struct supplies *sup,
    const struct bo_line *l, const struct bo_order *o, struct buf *r)
{
	const char *which = NULL, *sku = intern_name(&b->skus, l->sku);
	int32_t deadline = deadline_of(b, l, &which);
	char d1[DATE_TEXT_MAX], d2[DATE_TEXT_MAX];
	uint32_t ns;

	buf_reset(r);
	if (o->not_yet)
		describe_not_yet(o, r);
	if (l->preorder)
		buf_adds(r, "sold as a pre-order; ");
	if (l->ntakes)
		describe_takes(b, sup, l, r);
	else if (!supply_of(sup, l->sku, &ns))
		buf_printf(r, "no supply of %s is planned", sku);
	else if (l->unserved)
		buf_printf(r, "no supply of %s is at a location that serves %s", sku,
		    o->channel == BO_NONE ? "orders without a channel"
					  : intern_name(&b->channels, o->channel));
	else
		buf_printf(r, "no supply of %s is left for it", sku);
	describe_ship_day(b, l, o, r);
	if (at_risk(l, deadline)) {
		if (l->ship != BO_NO_DAY && l->ship > deadline)
			buf_printf(r, "; eta %s is after %s %s", date_format(l->ship, d1),
			    which, date_format(deadline, d2));
		else
			buf_printf(
			    r, "; %s %s cannot be met", which, date_format(deadline, d2));
	}
}

static void
add_record(struct buf *out, json_t *rec, struct bo_counts *n)
{
	rw_ndjson(rec, out);
	buf_addc(out, '\n');
	json_decref(rec);
	n->records++;
}

/* The supplies a line takes: [{supply_id, location, qty}]. */
static json_t *
supply_used(
    const struct backorders *b, const struct supplies *sup, const struct bo_line *l)
{
	json_t *used = json_array();

	for (uint32_t t = l->first; t < l->first + l->ntakes; t++) {
		const struct supply *s = &sup->v[b->takes[t].supply];
		json_t *u = json_object();

		json_object_set_new(
		    u, "supply_id", json_string(intern_name(&sup->ids, s->id)));
		if (s->loc != INTERN_NONE)
			json_object_set_new(
			    u, "location", json_string(intern_name(&sup->locs, s->loc)));
		json_object_set_new(u, "qty", json_integer(b->takes[t].qty));
		json_array_append_new(used, u);
	}
	return used;
}

static json_t *
backorder_record(const struct backorders *b, const struct supplies *sup,
    const struct bo_line *l, const json_t *line, struct buf *why)
{
	const struct bo_order *o = &b->orders[l->order];
	json_t *r = json_object();
	const char *which = NULL;
	char d[DATE_TEXT_MAX];

	json_object_set_new(r, "type", json_string("backorder"));
	json_object_set_new(r, "order_id", json_string(order_id(b, l->order)));
	json_object_set_new(r, "line_id", json_string(str_at(line, "line_id")));
	json_object_set_new(r, "sku", json_string(intern_name(&b->skus, l->sku)));
	json_object_set_new(r, "qty", json_integer(l->qty));
	json_object_set_new(r, "kind", json_string(kind_names[kind_of(b, sup, l)]));
	if (l->ship != BO_NO_DAY)
		json_object_set_new(r, "eta", json_string(date_format(l->ship, d)));
	json_object_set_new(r, "supply", supply_used(b, sup, l));
	json_object_set_new(
	    r, "at_risk", json_boolean(at_risk(l, deadline_of(b, l, &which))));
	describe_line(b, sup, l, o, why);
	json_object_set_new(r, "reason", json_string(why->p));
	/* Only before the window: the records of backordered lines stay as they were. */
	if (o->not_yet)
		json_object_set_new(r, "not_yet", json_true());
	return r;
}

/*
 * The lines one notice tells of, and the latest eta among them. Items that
 * share a date phrase are listed together, the phrase once after them.
 */
struct tell {
	struct buf text;
	int32_t eta;
	int nitems;
	/* The open phrase's day (BO_NO_DAY: none) and the day told before. */
	int32_t when, was;
	int unsold; /* items not sold as pre-orders */
};

/* " (was 10 December 2026)" when a day was told before. */
static void
tell_was(struct tell *t)
{
	if (t->was == BO_UNTOLD || t->was == BO_NO_DAY || t->was == t->when)
		return;
	buf_adds(&t->text, " (was ");
	notice_date(&t->text, t->was);
	buf_addc(&t->text, ')');
}

/* Close the open group of items with its date phrase. */
static void
tell_when(struct tell *t)
{
	if (!t->nitems)
		return;
	if (t->when == BO_NO_DAY) {
		buf_adds(&t->text, ", no date for now: we will write when there is one");
	} else if (t->was == BO_UNTOLD || t->was == BO_NO_DAY || t->was == t->when) {
		buf_adds(&t->text, ", expected to ship by ");
		notice_date(&t->text, t->when);
	} else {
		buf_adds(&t->text, ", now ");
		notice_date(&t->text, t->when);
	}
	tell_was(t);
}

static void
tell_item(struct tell *t, const json_t *line, const struct backorders *b,
    const struct bo_line *l, int32_t was)
{
	t->unsold += !l->preorder;
	if (t->nitems && l->ship == t->when && was == t->was) {
		buf_adds(&t->text, ", ");
	} else {
		tell_when(t);
		buf_adds(&t->text, t->nitems ? "; " : ": ");
	}
	t->nitems++;
	t->when = l->ship;
	t->was = was;
	notice_item(&t->text, line, intern_name(&b->skus, l->sku),
	    l->ship != BO_NO_DAY ? l->covered : l->qty);
	if (l->ship != BO_NO_DAY && l->covered < l->qty)
		buf_printf(
		    &t->text, " (%" PRId64 " more: no date yet)", l->qty - l->covered);
	if (l->ship != BO_NO_DAY && l->ship > t->eta)
		t->eta = l->ship;
}

static void
send(const json_t *order, const char *id, const char *kind, const char *opening,
    struct tell *t, struct buf *out, struct bo_counts *n)
{
	const char *shown = str_at(order, "channel_order_id");
	struct buf text = {0};
	json_t *rec;
	char d[DATE_TEXT_MAX];

	if (t->nitems) {
		tell_when(t);
		buf_printf(&text, opening, shown ? shown : id);
		buf_add(&text, t->text.p, t->text.len);
		buf_addc(&text, '.');
		rec = notice_new(order, id, kind, text.p, true);
		if (t->eta != BO_NO_DAY)
			json_object_set_new(
			    rec, "eta", json_string(date_format(t->eta, d)));
		add_record(out, rec, n);
		n->notices++;
	}
	buf_free(&text);
	buf_free(&t->text);
}

/* How --previous knows a line: its order_id, a NUL, its line_id. */
static void
previous_key(struct buf *key, const char *id, const char *line_id)
{
	buf_reset(key);
	buf_add(key, id, strlen(id) + 1);
	buf_adds(key, line_id);
}

/*
 * The day told before: BO_UNTOLD when the line was not told of, else its
 * eta or BO_NO_DAY; *covered the units that had supply then.
 */
static int32_t
told_before(const struct bo_previous *prev, const char *id, const char *line_id,
    struct buf *key, int64_t *covered)
{
	uint32_t k;

	previous_key(key, id, line_id);
	k = intern_find(&prev->keys, key->p, key->len);
	*covered = k == INTERN_NONE ? 0 : prev->covered[k];
	return k == INTERN_NONE ? BO_UNTOLD : prev->eta[k];
}

static void
count_line(const struct backorders *b, const struct supplies *sup,
    const struct bo_line *l, enum bo_kind kind, struct bo_counts *n)
{
	const char *which = NULL;

	n->units += l->qty;
	n->unsourced_units += l->qty - l->covered;
	n->at_risk += at_risk(l, deadline_of(b, l, &which));
	for (uint32_t t = l->first; t < l->first + l->ntakes; t++) {
		if (sup->v[b->takes[t].supply].kind == SUPPLY_PO)
			n->po_units += b->takes[t].qty;
		else
			n->production_units += b->takes[t].qty;
	}
	if (kind == KIND_PREORDER)
		n->preorder_units += l->qty;
	if (b->orders[l->order].not_yet)
		n->not_yet_units += l->qty;
}

void
bo_write_order(const struct backorders *b, const struct supplies *sup, uint32_t index,
    const json_t *order, const struct bo_previous *prev, struct buf *out,
    struct bo_counts *n)
{
	const struct bo_order *o = &b->orders[index];
	const json_t *lines = json_object_get(order, "lines");
	const char *id = order_id(b, index);
	struct tell back = {{0}, BO_NO_DAY, 0, BO_NO_DAY, BO_UNTOLD, 0}, pre = back,
		    changed = back;
	struct buf why = {0}, key = {0};

	for (uint32_t i = o->first; i < o->first + o->n; i++) {
		const struct bo_line *l = &b->lines[i];
		const json_t *line = json_array_get(lines, l->line);
		enum bo_kind kind = kind_of(b, sup, l);
		int64_t had = 0;
		int32_t was = prev
		    ? told_before(prev, id, str_at(line, "line_id"), &key, &had)
		    : BO_UNTOLD;

		add_record(out, backorder_record(b, sup, l, line, &why), n);
		count_line(b, sup, l, kind, n);
		/*
		 * Demand before its window is a projection for the brand, not
		 * news for the customer: nothing is late, and stock on hand may
		 * yet cover it. The customer hears of it once it is backordered.
		 */
		if (o->not_yet)
			continue;
		/* A line never told a day is told its first one as news, not as a change. */
		if (was == BO_UNTOLD || was == BO_NO_DAY) {
			if (l->ship != BO_NO_DAY)
				tell_item(kind == KIND_PREORDER ? &pre : &back, line, b,
				    l, BO_UNTOLD);
		} else if (was != l->ship || had != l->covered) {
			tell_item(&changed, line, b, l, was);
			n->changed++;
		}
	}
	send(order, id, "backorder_eta", "Part of your order %s is on backorder", &back,
	    out, n);
	/* Lines covered only by production were not all sold as pre-orders. */
	send(order, id, "preorder_eta",
	    pre.unsold ? "Part of your order %s is still being made"
		       : "Pre-ordered items in your order %s",
	    &pre, out, n);
	send(order, id, "eta_changed", "An update on the ship dates of your order %s",
	    &changed, out, n);
	buf_free(&why);
	buf_free(&key);
}

/* ---- shortfall ---- */

static void
cell_text(struct buf *row, const char *s, bool last)
{
	csv_cell(row, s ? s : "", s ? strlen(s) : 0);
	buf_addc(row, last ? '\n' : ',');
}

static const char *
attr(const struct backorders *b, const struct bo_short *sh, int k)
{
	return sh->attr[k] == BO_NONE ? NULL : intern_name(&b->attrs, sh->attr[k]);
}

bool
bo_write_shortfall(const struct backorders *b, FILE *f)
{
	struct buf row = {0}, channels = {0};
	char d[DATE_TEXT_MAX];
	bool ok;

	buf_adds(&row, "sku,style,color,size,units,orders,earliest_needed,channels\n");
	for (size_t i = 0; i < b->nshorts; i++) {
		const struct bo_short *sh = &b->shorts[i];

		cell_text(&row, intern_name(&b->skus, sh->sku), false);
		for (int k = 0; k < 3; k++)
			cell_text(&row, attr(b, sh, k), false);
		buf_printf(&row, "%" PRId64 ",%" PRId64 ",%s,", sh->units, sh->orders,
		    sh->needed == BO_NO_DAY ? "" : date_format(sh->needed, d));
		buf_reset(&channels);
		for (uint32_t c = 0; c < sh->n; c++)
			buf_printf(&channels, "%s%s", c ? "|" : "",
			    intern_name(&b->channels, b->short_channels[sh->first + c]));
		cell_text(&row, channels.p, true);
	}
	ok = fwrite(row.p, 1, row.len, f) == row.len;
	buf_free(&row);
	buf_free(&channels);
	return ok;
}

void
bo_free(struct backorders *b)
{
	free(b->orders);
	free(b->lines);
	free(b->takes);
	free(b->shorts);
	free(b->short_channels);
	buf_free(&b->ids);
	intern_free(&b->skus);
	intern_free(&b->channels);
	intern_free(&b->attrs);
	memset(b, 0, sizeof *b);
}

/* ---- --previous ---- */

static bool
previous_record(struct bo_previous *p, const json_t *r, struct buf *key, struct buf *err)
{
	const char *id = str_at(r, "order_id"), *line = str_at(r, "line_id");
	const json_t *eta = json_object_get(r, "eta"),
		     *supply = json_object_get(r, "supply"), *u;
	int32_t day = BO_NO_DAY;
	int64_t covered = 0, q;
	size_t i;
	uint32_t k;

	if (!id || !line) {
		buf_printf(err, "a backorder record needs order_id and line_id as text");
		return false;
	}
	if (eta && !json_is_null(eta) &&
	    (!json_is_string(eta) ||
		date_parse(json_string_value(eta), json_string_length(eta), &day) !=
		    TS_OK)) {
		buf_adds(err, "eta ");
		quote_value(eta, err);
		buf_adds(err, " is not a date (YYYY-MM-DD)");
		return false;
	}
	if (supply && !json_is_array(supply)) {
		buf_adds(err, "supply is not an array of {supply_id, qty}");
		return false;
	}
	json_array_foreach(supply, i, u) {
		if (!stock_count(u, "qty", -1, &q) || q < 0 ||
		    __builtin_add_overflow(covered, q, &covered)) {
			buf_printf(err, "supply[%zu].qty is not a whole number", i + 1);
			return false;
		}
	}
	/* A record of a line before its window was never told to the customer. */
	if (json_is_true(json_object_get(r, "not_yet")))
		return true;
	previous_key(key, id, line);
	k = intern_id(&p->keys, key->p, key->len);
	if (k >= p->cap) {
		p->cap = p->cap ? 2 * p->cap : 1024;
		p->eta = xrealloc(p->eta, p->cap * sizeof *p->eta);
		p->covered = xrealloc(p->covered, p->cap * sizeof *p->covered);
	}
	p->eta[k] = day;
	p->covered[k] = covered;
	return true;
}

bool
bo_previous_load(struct bo_previous *p, const char *path, struct buf *err)
{
	FILE *f;
	char *text = NULL;
	size_t cap = 0;
	ssize_t len;
	long lineno = 0;
	struct buf key = {0}, why = {0};
	bool ok = true;

	memset(p, 0, sizeof *p);
	if (!of_input(path, err))
		return false;
	if (!(f = fopen(path, "r"))) {
		buf_printf(err, "%s: %s", path, strerror(errno));
		return false;
	}
	while (ok && (len = getline(&text, &cap, f)) >= 0) {
		json_t *r;
		size_t n = (size_t)len;
		const char *s = trim_span(text, &n);

		lineno++;
		if (n == 0)
			continue;
		buf_reset(&why);
		if (!(r = jp_parse(s, n, &why))) {
			buf_printf(err, "%s:%ld: invalid JSON: %s", path, lineno, why.p);
			ok = false;
		} else if (str_at(r, "type") &&
		    strcmp(str_at(r, "type"), "backorder") == 0 &&
		    !previous_record(p, r, &key, &why)) {
			buf_printf(err, "%s:%ld: %s", path, lineno, why.p);
			ok = false;
		}
		json_decref(r);
	}
	if (ok && ferror(f)) {
		buf_printf(err, "%s: %s", path, strerror(errno ? errno : EIO));
		ok = false;
	}
	fclose(f);
	free(text);
	buf_free(&key);
	buf_free(&why);
	return ok;
}

void
bo_previous_free(struct bo_previous *p)
{
	intern_free(&p->keys);
	free(p->eta);
	free(p->covered);
	memset(p, 0, sizeof *p);
}
