/* stock.c: the reference files of oms-allocate, loaded whole and checked row by row. */
#include "stock.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "refcsv.h"

bool
stock_parse_count(const char *s, int64_t dflt, int64_t *v)
{
	size_t n = strlen(s);
	int64_t x = 0;

	s = trim_span(s, &n);
	if (n == 0) {
		*v = dflt;
		return true;
	}
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9' || (x = x * 10 + (s[i] - '0')) > QTY_MAX)
			return false;
	}
	*v = x;
	return true;
}

/* Intern the trimmed text of cell. */
static uint32_t
intern_cell(struct intern *t, const char *cell)
{
	size_t n = strlen(cell);
	const char *s = trim_span(cell, &n);

	return intern_id(t, s, n);
}

/* Set the channel bits of l from a |-separated list; false past CHANNEL_BITS names. */
static bool
parse_channels(struct stock *st, struct location *l, const char *list)
{
	size_t n = strlen(list);
	const char *s = trim_span(list, &n), *end = s + n;

	l->all_channels = n == 0;
	while (s < end) {
		const char *bar = memchr(s, '|', (size_t)(end - s));
		size_t len = (size_t)((bar ? bar : end) - s);
		const char *name = trim_span(s, &len);
		uint32_t id;

		if (len) {
			id = intern_id(&st->channels, name, len);
			if (id >= CHANNEL_BITS)
				return false;
			l->channels |= UINT64_C(1) << id;
		}
		s = bar ? bar + 1 : end;
	}
	return true;
}

static bool
location_row(struct stock *st, const struct refcsv *r, struct buf *err)
{
	const char *name = ref_cell(r, 0), *kind = ref_cell(r, 1);
	size_t len = strlen(name);
	struct location l = {0};
	int64_t prio;
	uint32_t id;

	name = trim_span(name, &len);
	if (len == 0) {
		buf_printf(err, "%s:%ld: location is empty", r->path, r->row.line);
		return false;
	}
	if (intern_find(&st->locs, name, len) != INTERN_NONE) {
		buf_printf(err, "%s:%ld: location %.*s is listed twice", r->path,
		    r->row.line, (int)len, name);
		return false;
	}
	if (strcmp(kind, "warehouse") != 0 && strcmp(kind, "store") != 0 &&
	    strcmp(kind, "3pl") != 0) {
		buf_printf(err, "%s:%ld: kind \"%s\" is not warehouse, store or 3pl",
		    r->path, r->row.line, kind);
		return false;
	}
	if (!stock_parse_count(ref_cell(r, 4), 0, &prio)) {
		buf_printf(err,
		    "%s:%ld: priority \"%s\" is not a whole number from 0 to 10^12",
		    r->path, r->row.line, ref_cell(r, 4));
		return false;
	}
	for (int c = 6; c <= 7; c++)
		if (!stock_parse_count(
			ref_cell(r, c), -1, c == 6 ? &l.max_orders : &l.max_units)) {
			buf_printf(err,
			    "%s:%ld: %s \"%s\" is not a whole number from 0 to 10^12",
			    r->path, r->row.line, c == 6 ? "max_orders" : "max_units",
			    ref_cell(r, c));
			return false;
		}
	if (!parse_channels(st, &l, ref_cell(r, 5))) {
		buf_printf(err, "%s:%ld: more than %d channel names in locations.csv",
		    r->path, r->row.line, CHANNEL_BITS);
		return false;
	}
	l.priority = (long)prio;
	l.country = intern_cell(&st->places, ref_cell(r, 2));
	l.region = intern_cell(&st->places, ref_cell(r, 3));
	id = intern_id(&st->locs, name, len);
	st->loc = xrealloc(st->loc, (id + 1) * sizeof *st->loc);
	st->loc[id] = l;
	return true;
}

static bool
load_locations(struct stock *st, const char *path, struct buf *err)
{
	static const char *const want[] = {"location", "kind", "country", "region",
	    "priority", "channels", "?max_orders", "?max_units", NULL};
	struct refcsv r;
	bool failed = false, ok = true;

	if (!ref_open(&r, path, want, err))
		return false;
	while (ok && ref_next(&r, &failed, err))
		ok = location_row(st, &r, err);
	ref_close(&r);
	if (ok && !failed && st->locs.n == 0) {
		buf_printf(err, "%s: no locations", path);
		return false;
	}
	return ok && !failed;
}

static bool
inventory_row(struct stock *st, const struct refcsv *r, size_t *cap, struct buf *err)
{
	const char *name = ref_cell(r, 0), *sku = ref_cell(r, 1);
	size_t len = strlen(name), slen = strlen(sku);
	struct stock_row row = {0};
	uint32_t loc;

	name = trim_span(name, &len);
	sku = trim_span(sku, &slen);
	if ((loc = intern_find(&st->locs, name, len)) == INTERN_NONE) {
		buf_printf(err, "%s:%ld: location \"%.*s\" is not in the locations file",
		    r->path, r->row.line, (int)len, name);
		return false;
	}
	if (slen == 0) {
		buf_printf(err, "%s:%ld: sku is empty", r->path, r->row.line);
		return false;
	}
	/* on_hand is required: an empty cell is no count (-1). */
	if (!stock_parse_count(ref_cell(r, 2), -1, &row.on_hand) || row.on_hand < 0) {
		buf_printf(err,
		    "%s:%ld: on_hand \"%s\" is not a whole number from 0 to 10^12",
		    r->path, r->row.line, ref_cell(r, 2));
		return false;
	}
	if (!stock_parse_count(ref_cell(r, 3), 0, &row.safety)) {
		buf_printf(err,
		    "%s:%ld: safety_stock \"%s\" is not a whole number from 0 to 10^12",
		    r->path, r->row.line, ref_cell(r, 3));
		return false;
	}
	row.loc = loc;
	row.line = r->row.line;
	row.sku = intern_id(&st->skus, sku, slen);
	st->rows = xgrow(st->rows, cap, st->nrows + 1, sizeof *st->rows, 256);
	st->rows[st->nrows++] = row;
	return true;
}

static int
cmp_rows(const void *pa, const void *pb)
{
	const struct stock_row *a = pa, *b = pb;

	if (a->sku != b->sku)
		return a->sku < b->sku ? -1 : 1;
	if (a->loc != b->loc)
		return a->loc < b->loc ? -1 : 1;
	return (a->line > b->line) - (a->line < b->line);
}

/* Group the rows by SKU, refusing a location/SKU pair listed twice. */
static bool
group_rows(struct stock *st, const char *path, struct buf *err)
{
	if (st->nrows)
		qsort(st->rows, st->nrows, sizeof *st->rows, cmp_rows);
	st->sku_cover = st->skus.n;
	st->sku_first = xcalloc(st->sku_cover ? st->sku_cover : 1, sizeof *st->sku_first);
	st->sku_n = xcalloc(st->sku_cover ? st->sku_cover : 1, sizeof *st->sku_n);
	for (size_t i = 0; i < st->nrows; i++) {
		struct stock_row *r = &st->rows[i];
		uint32_t sku = r->sku;

		if (i && r[-1].sku == r->sku && r[-1].loc == r->loc) {
			buf_printf(err,
			    "%s:%ld: %s %s is listed twice (also at line %ld)", path,
			    r->line, intern_name(&st->locs, r->loc),
			    intern_name(&st->skus, sku), r[-1].line);
			return false;
		}
		if (!st->sku_n[sku])
			st->sku_first[sku] = (uint32_t)i;
		st->sku_n[sku]++;
	}
	return true;
}

static bool
load_inventory(struct stock *st, const char *path, struct buf *err)
{
	static const char *const want[] = {
	    "location", "sku", "on_hand", "?safety_stock", NULL};
	struct refcsv r;
	bool failed = false, ok = true;
	size_t cap = 0;

	if (!ref_open(&r, path, want, err))
		return false;
	while (ok && ref_next(&r, &failed, err))
		ok = inventory_row(st, &r, &cap, err);
	ref_close(&r);
	return ok && !failed && group_rows(st, path, err);
}

struct pack_row {
	uint32_t pack;
	struct pack_part part;
	long line;
};

static int
cmp_pack_rows(const void *pa, const void *pb)
{
	const struct pack_row *a = pa, *b = pb;

	if (a->pack != b->pack)
		return a->pack < b->pack ? -1 : 1;
	return (a->line > b->line) - (a->line < b->line);
}

static bool
pack_row(struct stock *st, const struct refcsv *r, struct pack_row *out, struct buf *err)
{
	const char *pack = ref_cell(r, 0), *sku = ref_cell(r, 1);
	size_t plen = strlen(pack), slen = strlen(sku);

	pack = trim_span(pack, &plen);
	sku = trim_span(sku, &slen);
	if (!plen || !slen) {
		buf_printf(err, "%s:%ld: %s is empty", r->path, r->row.line,
		    !plen ? "pack_sku" : "sku");
		return false;
	}
	if (plen == slen && memcmp(pack, sku, plen) == 0) {
		buf_printf(err, "%s:%ld: pack %.*s holds itself", r->path, r->row.line,
		    (int)plen, pack);
		return false;
	}
	if (!stock_parse_count(ref_cell(r, 2), 0, &out->part.qty) || out->part.qty == 0 ||
	    out->part.qty > PACK_MAX) {
		buf_printf(err,
		    "%s:%ld: qty \"%s\" is not a whole number from 1 to 1000000", r->path,
		    r->row.line, ref_cell(r, 2));
		return false;
	}
	out->pack = intern_id(&st->skus, pack, plen);
	out->part.sku = intern_id(&st->skus, sku, slen);
	out->line = r->row.line;
	return true;
}

/* Index the packs by SKU; a size twice in one pack, or a pack inside a pack, is refused. */
static bool
index_packs(
    struct stock *st, struct pack_row *rows, size_t n, const char *path, struct buf *err)
{
	if (n)
		qsort(rows, n, sizeof *rows, cmp_pack_rows);
	st->pack_cover = st->skus.n;
	st->pack_first =
	    xcalloc(st->pack_cover ? st->pack_cover : 1, sizeof *st->pack_first);
	st->pack_n = xcalloc(st->pack_cover ? st->pack_cover : 1, sizeof *st->pack_n);
	st->parts = xmalloc((n ? n : 1) * sizeof *st->parts);
	for (size_t i = 0; i < n; i++) {
		if (!st->pack_n[rows[i].pack])
			st->pack_first[rows[i].pack] = (uint32_t)i;
		st->pack_n[rows[i].pack]++;
		st->parts[i] = rows[i].part;
		for (size_t j = st->pack_first[rows[i].pack]; j < i; j++)
			if (st->parts[j].sku == rows[i].part.sku) {
				buf_printf(err, "%s:%ld: %s is in pack %s twice", path,
				    rows[i].line,
				    intern_name(&st->skus, rows[i].part.sku),
				    intern_name(&st->skus, rows[i].pack));
				return false;
			}
	}
	for (size_t i = 0; i < n; i++)
		if (rows[i].part.sku < st->pack_cover && st->pack_n[rows[i].part.sku]) {
			buf_printf(err, "%s:%ld: %s is a pack inside pack %s", path,
			    rows[i].line, intern_name(&st->skus, rows[i].part.sku),
			    intern_name(&st->skus, rows[i].pack));
			return false;
		}
	return true;
}

static bool
load_packs(struct stock *st, const char *path, struct buf *err)
{
	static const char *const want[] = {"pack_sku", "sku", "qty", NULL};
	struct pack_row *rows = NULL;
	size_t n = 0, cap = 0;
	struct refcsv r;
	bool failed = false, ok = true;

	if (!ref_open(&r, path, want, err))
		return false;
	while (ok && ref_next(&r, &failed, err)) {
		rows = xgrow(rows, &cap, n + 1, sizeof *rows, 64);
		ok = pack_row(st, &r, &rows[n], err);
		n += ok;
	}
	ref_close(&r);
	ok = ok && !failed && index_packs(st, rows, n, path, err);
	free(rows);
	return ok;
}

bool
stock_load(struct stock *st, const char *locations, const char *inventory,
    const char *packs, struct buf *err)
{
	memset(st, 0, sizeof *st);
	return load_locations(st, locations, err) &&
	    (!inventory || load_inventory(st, inventory, err)) &&
	    (!packs || load_packs(st, packs, err));
}

struct stock_row *
stock_rows(const struct stock *st, uint32_t sku, uint32_t *n)
{
	if (sku >= st->sku_cover || !st->sku_n[sku]) {
		*n = 0;
		return NULL;
	}
	*n = st->sku_n[sku];
	return &st->rows[st->sku_first[sku]];
}

struct stock_row *
stock_row_at(const struct stock *st, uint32_t sku, uint32_t loc)
{
	uint32_t n, lo = 0;
	struct stock_row *r = stock_rows(st, sku, &n);

	/* A SKU's rows are in location order: many stores stock a bestseller. */
	while (lo < n) {
		uint32_t mid = lo + (n - lo) / 2;

		if (r[mid].loc < loc)
			lo = mid + 1;
		else
			n = mid;
	}
	return r && lo < st->sku_n[sku] && r[lo].loc == loc ? &r[lo] : NULL;
}

const struct pack_part *
stock_pack(const struct stock *st, uint32_t sku, uint32_t *n)
{
	if (sku >= st->pack_cover || !st->pack_n[sku]) {
		*n = 0;
		return NULL;
	}
	*n = st->pack_n[sku];
	return &st->parts[st->pack_first[sku]];
}

const struct pack_part *
stock_parts(const struct stock *st, uint32_t sku, struct pack_part *single, uint32_t *n)
{
	const struct pack_part *p = stock_pack(st, sku, n);

	if (p)
		return p;
	single->sku = sku;
	single->qty = 1;
	*n = 1;
	return single;
}

bool
stock_serves(const struct stock *st, uint32_t loc, uint32_t channel)
{
	const struct location *l = &st->loc[loc];

	return l->all_channels ||
	    (channel < CHANNEL_BITS && (l->channels >> channel & 1));
}

void
stock_release(struct stock *st)
{
	intern_free(&st->locs);
	intern_free(&st->skus);
	intern_free(&st->channels);
	intern_free(&st->places);
	free(st->loc);
	free(st->rows);
	free(st->sku_first);
	free(st->sku_n);
	free(st->parts);
	free(st->pack_first);
	free(st->pack_n);
	memset(st, 0, sizeof *st);
}

bool
stock_count(const json_t *obj, const char *key, int64_t dflt, int64_t *v)
{
	const json_t *x = json_object_get(obj, key);

	if (!x) {
		*v = dflt;
		return true;
	}
	if (!json_is_integer(x) || json_integer_value(x) < 0 ||
	    json_integer_value(x) > QTY_MAX)
		return false;
	*v = json_integer_value(x);
	return true;
}
