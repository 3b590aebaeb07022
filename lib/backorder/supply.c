/* supply.c: supply.csv loaded whole, checked row by row, and ordered earliest first per SKU. */
#include "supply.h"

#include <stdlib.h>
#include <string.h>

#include "date.h"
#include "refcsv.h"

const char *
supply_kind_name(uint32_t kind)
{
	return kind == SUPPLY_PRODUCTION ? "production" : "po";
}

/* The trimmed text of a cell, its length in *n. */
static const char *
cell(const struct refcsv *r, size_t i, size_t *n)
{
	const char *s = ref_cell(r, i);

	*n = strlen(s);
	return trim_span(s, n);
}

static bool
parse_kind(const char *s, size_t n, enum supply_kind *kind)
{
	if (n == 2 && memcmp(s, "po", 2) == 0)
		*kind = SUPPLY_PO;
	else if (n == 10 && memcmp(s, "production", 10) == 0)
		*kind = SUPPLY_PRODUCTION;
	else
		return false;
	return true;
}

/* The location of a row: named in s->locs, and found in st when there is one. */
static bool
row_location(struct supplies *s, const struct refcsv *r, const struct stock *st,
    struct supply *row, struct buf *err)
{
	size_t n;
	const char *loc = cell(r, 5, &n);

	row->loc = row->stock_loc = INTERN_NONE;
	if (n == 0)
		return true;
	row->loc = intern_id(&s->locs, loc, n);
	if (!st)
		return true;
	if ((row->stock_loc = intern_find(&st->locs, loc, n)) == INTERN_NONE) {
		buf_printf(err, "%s:%ld: location \"%.*s\" is not in the locations file",
		    r->path, r->row.line, (int)n, loc);
		return false;
	}
	return true;
}

/* When a row's units can ship, and whether it is late (told on stderr); false past year 9999. */
static bool
row_eta(const struct refcsv *r, const struct supply_calendar *cal, struct supply *row,
    const char *id, struct buf *err)
{
	int32_t from = row->expected;

	if (row->expected < cal->as_of) {
		char due[DATE_TEXT_MAX], now[DATE_TEXT_MAX];

		row->late = true;
		from = cal->as_of;
		warnmsg("%s:%ld: %s was expected %s, before %s: it still counts, as "
			"arriving %s",
		    r->path, r->row.line, id, date_format(row->expected, due),
		    date_format(cal->as_of, now), now);
	}
	row->eta = shipby_business_days(cal->days, from, cal->receiving_days);
	if (row->eta > date_from_civil(9999, 12, 31)) {
		buf_printf(err, "%s:%ld: %s: its units would ship after 9999-12-31",
		    r->path, r->row.line, id);
		return false;
	}
	return true;
}

static bool
supply_row(struct supplies *s, const struct refcsv *r, struct intern *skus,
    const struct stock *st, const struct supply_calendar *cal, size_t *cap,
    struct buf *err)
{
	struct supply row = {0};
	size_t idn, kn, skun, dn;
	const char *id = cell(r, 0, &idn), *kind = cell(r, 1, &kn),
		   *sku = cell(r, 2, &skun), *date = cell(r, 4, &dn);

	if (idn == 0 || skun == 0) {
		buf_printf(err, "%s:%ld: %s is empty", r->path, r->row.line,
		    idn == 0 ? "supply_id" : "sku");
		return false;
	}
	if (!parse_kind(kind, kn, &row.kind)) {
		buf_printf(err, "%s:%ld: kind \"%.*s\" is not po or production", r->path,
		    r->row.line, (int)kn, kind);
		return false;
	}
	/* qty is required: an empty cell is no count (-1). */
	if (!stock_parse_count(ref_cell(r, 3), -1, &row.qty) || row.qty < 0) {
		buf_printf(err,
		    "%s:%ld: qty \"%s\" is not a whole number from 0 to 10^12", r->path,
		    r->row.line, ref_cell(r, 3));
		return false;
	}
	if (date_parse(date, dn, &row.expected) != TS_OK) {
		buf_printf(err,
		    "%s:%ld: expected_date \"%.*s\" is not a date (YYYY-MM-DD)", r->path,
		    r->row.line, (int)dn, date);
		return false;
	}
	if (!row_location(s, r, st, &row, err))
		return false;
	row.left = row.qty;
	row.line = r->row.line;
	row.id = intern_id(&s->ids, id, idn);
	row.sku = intern_id(skus, sku, skun);
	if (!row_eta(r, cal, &row, intern_name(&s->ids, row.id), err))
		return false;
	s->late += row.late;
	s->v = xgrow(s->v, cap, s->n + 1, sizeof *s->v, 256);
	s->v[s->n++] = row;
	return true;
}

/* The texts the ordering compares, reached through a file-scope pointer as qsort has no context. */
static const struct supplies *sorting;

static int
cmp_text(const struct intern *t, uint32_t a, uint32_t b)
{
	if (a == b)
		return 0;
	if (a == INTERN_NONE || b == INTERN_NONE)
		return a == INTERN_NONE ? -1 : 1;
	return strcmp(intern_name(t, a), intern_name(t, b));
}

/* By SKU, then earliest to ship, bought before made, expected, id, location, line. */
static int
cmp_supply(const void *pa, const void *pb)
{
	const struct supply *a = pa, *b = pb;
	int c;

	if (a->sku != b->sku)
		return a->sku < b->sku ? -1 : 1;
	if (a->eta != b->eta)
		return a->eta < b->eta ? -1 : 1;
	if (a->kind != b->kind)
		return a->kind < b->kind ? -1 : 1;
	if (a->expected != b->expected)
		return a->expected < b->expected ? -1 : 1;
	if ((c = cmp_text(&sorting->ids, a->id, b->id)) != 0 ||
	    (c = cmp_text(&sorting->locs, a->loc, b->loc)) != 0)
		return c;
	return (a->line > b->line) - (a->line < b->line);
}

/* By SKU, id and location, so that a row given twice sits next to its twin. */
static int
cmp_identity(const void *pa, const void *pb)
{
	const struct supply *a = *(const struct supply *const *)pa,
			    *b = *(const struct supply *const *)pb;

	if (a->sku != b->sku)
		return a->sku < b->sku ? -1 : 1;
	if (a->id != b->id)
		return a->id < b->id ? -1 : 1;
	if (a->loc != b->loc)
		return a->loc < b->loc ? -1 : 1;
	return (a->line > b->line) - (a->line < b->line);
}

/* One PO has many SKUs: only the same supply_id, SKU and location twice is a duplicate. */
static bool
refuse_twins(const struct supplies *s, const char *path, const struct intern *skus,
    struct buf *err)
{
	const struct supply **by = xcalloc(s->n + 1, sizeof *by);
	bool ok = true;

	for (size_t i = 0; i < s->n; i++)
		by[i] = &s->v[i];
	if (s->n)
		qsort(by, s->n, sizeof *by, cmp_identity);
	for (size_t i = 1; ok && i < s->n; i++) {
		const struct supply *a = by[i - 1], *b = by[i];

		if (a->sku == b->sku && a->id == b->id && a->loc == b->loc) {
			buf_printf(err,
			    "%s:%ld: %s %s%s%s is listed twice (also at line %ld)", path,
			    b->line, intern_name(&s->ids, b->id),
			    intern_name(skus, b->sku),
			    b->loc == INTERN_NONE ? "" : " at ",
			    b->loc == INTERN_NONE ? "" : intern_name(&s->locs, b->loc),
			    a->line);
			ok = false;
		}
	}
	free(by);
	return ok;
}

static void
group_by_sku(struct supplies *s, size_t nskus)
{
	sorting = s;
	if (s->n)
		qsort(s->v, s->n, sizeof *s->v, cmp_supply);
	sorting = NULL;
	s->nskus = nskus;
	s->first = xcalloc(nskus + 1, sizeof *s->first);
	s->count = xcalloc(nskus + 1, sizeof *s->count);
	for (size_t i = 0; i < s->n; i++) {
		if (!s->count[s->v[i].sku])
			s->first[s->v[i].sku] = (uint32_t)i;
		s->count[s->v[i].sku]++;
	}
}

bool
supply_load(struct supplies *s, const char *path, struct intern *skus,
    const struct stock *st, const struct supply_calendar *cal, struct buf *err)
{
	static const char *const want[] = {
	    "supply_id", "kind", "sku", "qty", "expected_date", "?location", NULL};
	struct refcsv r;
	bool failed = false, ok = true;
	size_t cap = 0;

	memset(s, 0, sizeof *s);
	if (!ref_open(&r, path, want, err))
		return false;
	while (ok && ref_next(&r, &failed, err))
		ok = supply_row(s, &r, skus, st, cal, &cap, err);
	ref_close(&r);
	if (!ok || failed || !refuse_twins(s, path, skus, err))
		return false;
	group_by_sku(s, skus->n);
	return true;
}

struct supply *
supply_of(const struct supplies *s, uint32_t sku, uint32_t *n)
{
	if (sku >= s->nskus || !s->count[sku]) {
		*n = 0;
		return NULL;
	}
	*n = s->count[sku];
	return &s->v[s->first[sku]];
}

void
supply_free(struct supplies *s)
{
	free(s->v);
	free(s->first);
	free(s->count);
	intern_free(&s->ids);
	intern_free(&s->locs);
	memset(s, 0, sizeof *s);
}
