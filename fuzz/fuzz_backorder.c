/*
 * fuzz_backorder.c: oms-backorder's matching, checked from its output. The
 * orders are taken as the tool takes them (coerced as the NDJSON reader
 * coerces them; a later export of an order supersedes an earlier one),
 * matched to supply, the laws checked (bo_check), and every live order's
 * records written. Then, from the records alone: each backorder record is
 * one of the order's backordered lines, in their order, with its qty, no
 * more supply than that, only rows of supply.csv of its SKU (at a location
 * that serves its channel) and no more of any row than it holds; kind,
 * eta (not before the supply comes or start_ship; one for all the lines of
 * a ship-complete order, none while one is short), at_risk and the reason
 * of a line without supply agree with the supply used, the file and the
 * order; notices tell of what the records say; a SKU is short only when
 * none of its supply is left (with no locations file); the shortfall CSV
 * counts the units, orders and channels short. A second run on the output
 * gives the output byte for byte (and the shortfall, but for style, color
 * and size), and a third, with the output as --previous, gives the same
 * backorder records and no notice.
 *
 * Input: a control byte, then text. Control bits: 1 a locations file
 * (supply at a location serves its channels only); 2 the input's lines
 * that mention "backorder" are --previous; 4|8 a preset rules file;
 * 16|32 --as-of; 64 no shortfall check; 128 the text is a supply.csv,
 * loaded alone (it must never crash; when it loads, every row has
 * 0 <= left = qty). Otherwise the text up to the first blank line is
 * supply.csv (its header put before it unless it starts with supply_id;
 * with no blank line, a preset supply), and the rest NDJSON: the first
 * object with no "type" is a rules file; orders are the stream.
 */
#include <csv.h>
#include <inttypes.h>
#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "backorder.h"
#include "csvcell.h"
#include "date.h"
#include "harness.h"
#include "json.h"
#include "outfile.h"
#include "schema.h"
#include "supply.h"

#define DIR_TEMPLATE "/tmp/fuzz-backorder-XXXXXX"

static char dir[sizeof DIR_TEMPLATE];
static struct buf supply_path, rules_path, prev_path, prev2_path;
static struct stock st;
static struct bo_rules preset_rules[4];

static const char supply_header[] = "supply_id,kind,sku,qty,expected_date,location\n";

static const char default_supply[] = "supply_id,kind,sku,qty,expected_date,location\n"
				     "PO-1,po,A,3,2026-12-08,\n"
				     "PO-1,po,B,2,2026-12-08,W\n"
				     "PO-2,po,A,2,2026-12-01,S\n"
				     "MO-1,production,A,5,2026-12-20,\n"
				     "MO-1,production,C,4,2027-01-05,W\n"
				     "PO-3,po,B,1,2026-11-20,L\n";

static const char *const presets[4] = {
    NULL,
    "{\"backorder\":{\"receiving_days\":3,\"holidays\":[\"2026-12-25\","
    "\"2027-01-01\"]},\"allocate\":{\"sort\":[\"ship_by asc\",\"priority "
    "desc\"]}}",
    "{\"backorder\":{\"receiving_days\":365},\"import\":{\"holidays\":["
    "\"2026-12-08\"]},\"allocate\":{\"sort\":[\"cancel_after asc\",\"placed_at "
    "desc\",\"start_ship asc\",\"order_id desc\"]}}",
    "{\"backorder\":{},\"allocate\":{\"sort\":[\"priority asc\"]}}",
};

static void
fail(const char *what, const struct buf *out)
{
	fprintf(stderr, "fuzz_backorder: %s\n", what);
	if (out && out->p)
		fprintf(stderr, "output:\n%s", out->p);
	abort();
}

static void
write_file(const char *path, const char *p, size_t n)
{
	FILE *f = fopen(path, "w");

	if (!f || (n && fwrite(p, 1, n, f) != n) || fclose(f) != 0)
		fail("cannot write a temporary file", NULL);
}

/* A fresh directory for the files of one input, removed with them after it. */
static void
make_dir(void)
{
	memcpy(dir, DIR_TEMPLATE, sizeof dir);
	if (!mkdtemp(dir))
		fail("mkdtemp", NULL);
	buf_reset(&supply_path);
	buf_printf(&supply_path, "%s/supply.csv", dir);
	buf_reset(&rules_path);
	buf_printf(&rules_path, "%s/rules.json", dir);
	buf_reset(&prev_path);
	buf_printf(&prev_path, "%s/previous.ndjson", dir);
	buf_reset(&prev2_path);
	buf_printf(&prev2_path, "%s/previous2.ndjson", dir);
}

static void
remove_dir(void)
{
	unlink(supply_path.p);
	unlink(rules_path.p);
	unlink(prev_path.p);
	unlink(prev2_path.p);
	rmdir(dir);
}

/* The locations file and the preset rules, loaded once; their files go at once. */
static void
setup(void)
{
	static const char text[] =
	    "location,kind,country,region,priority,channels,max_orders,max_units\n"
	    "W,warehouse,US,NJ,1,,,\n"
	    "S,store,US,NY,2,dtc,,\n"
	    "L,3pl,US,CA,3,dtc|marketplace,,\n";
	static bool done;
	struct buf err = {0}, path = {0};

	if (done)
		return;
	done = true;
	make_dir();
	buf_printf(&path, "%s/locations.csv", dir);
	write_file(path.p, text, strlen(text));
	if (!stock_load(&st, path.p, NULL, NULL, &err)) {
		fprintf(stderr, "fuzz_backorder setup: %s\n", err.p);
		abort();
	}
	unlink(path.p);
	for (int i = 0; i < 4; i++) {
		if (presets[i])
			write_file(rules_path.p, presets[i], strlen(presets[i]));
		if (!bo_rules_load(
			presets[i] ? rules_path.p : NULL, &preset_rules[i], &err))
			fail("a preset rules file does not load", &err);
	}
	remove_dir();
	buf_free(&err);
	buf_free(&path);
}

/* A non-empty string at key, or NULL (as backorder.c reads them). */
static const char *
text_of(const json_t *j, const char *key)
{
	const char *s = fuzz_str(j, key);

	return s && *s ? s : NULL;
}

static int64_t
int_of(const json_t *j, const char *key)
{
	const json_t *v = json_object_get(j, key);

	return json_is_integer(v) ? json_integer_value(v) : -1;
}

/* A date at key as a day number, or BO_NO_DAY. */
static int32_t
day_of(const json_t *j, const char *key)
{
	const char *s = fuzz_str(j, key);
	int32_t d;

	return s && date_parse(s, strlen(s), &d) == TS_OK ? d : BO_NO_DAY;
}

/* ---- supply, as loaded ---- */

/* One supply row as the file gave it, for the oracle: by names. */
struct srow {
	char *id, *sku, *loc; /* loc NULL: none given */
	int64_t qty, used;
	uint32_t kind;
	int32_t expected;
};

struct snapshot {
	struct srow *v;
	size_t n;
};

/* What supply_load promises of what it loaded: rows left whole, grouped by SKU, earliest first. */
static void
check_supplies(const struct supplies *s, size_t nskus, int32_t as_of)
{
	size_t total = 0;

	if (s->nskus != nskus)
		fail("supplies.nskus is not the number of SKUs", NULL);
	for (size_t i = 0; i < s->n; i++) {
		const struct supply *r = &s->v[i];

		if (r->qty < 0 || r->left < 0 || r->left > r->qty || r->left != r->qty ||
		    r->qty > QTY_MAX)
			fail("a supply row loaded with left outside 0..qty", NULL);
		if (r->sku >= nskus || r->id >= s->ids.n ||
		    (r->loc != INTERN_NONE && r->loc >= s->locs.n))
			fail("a supply row names an unknown sku, id or location", NULL);
		if (r->kind != SUPPLY_PO && r->kind != SUPPLY_PRODUCTION)
			fail("a supply row of no kind", NULL);
		if ((r->late != 0) != (r->expected < as_of) ||
		    r->eta < (r->late ? as_of : r->expected))
			fail(
			    "a supply row ships before it arrives, or is late when it is "
			    "not",
			    NULL);
		if (i &&
		    (s->v[i - 1].sku > r->sku ||
			(s->v[i - 1].sku == r->sku && s->v[i - 1].eta > r->eta)))
			fail("supply rows are not by SKU, then eta", NULL);
	}
	for (uint32_t k = 0; k < nskus; k++) {
		uint32_t n;
		struct supply *rows = supply_of(s, k, &n);

		total += n;
		for (uint32_t j = 0; j < n; j++)
			if (rows[j].sku != k)
				fail("supply_of gives a row of another SKU", NULL);
	}
	if (total != s->n)
		fail("supply_of does not give every row once", NULL);
}

static void
snap(struct snapshot *sn, const struct supplies *s, const struct intern *skus)
{
	sn->v = xcalloc(s->n + 1, sizeof *sn->v);
	sn->n = s->n;
	for (size_t i = 0; i < s->n; i++)
		sn->v[i] = (struct srow){xstrdup(intern_name(&s->ids, s->v[i].id)),
		    xstrdup(intern_name(skus, s->v[i].sku)),
		    s->v[i].loc == INTERN_NONE
			? NULL
			: xstrdup(intern_name(&s->locs, s->v[i].loc)),
		    s->v[i].qty, 0, s->v[i].kind, s->v[i].expected};
}

static void
snap_free(struct snapshot *sn)
{
	for (size_t i = 0; i < sn->n; i++) {
		free(sn->v[i].id);
		free(sn->v[i].sku);
		free(sn->v[i].loc);
	}
	free(sn->v);
}

/* ---- a run, as oms-backorder makes it ---- */

struct entry {
	json_t *rec; /* the order, coerced */
	const char *raw;
	size_t rawlen;
	uint32_t bo; /* BO_NONE: none */
	bool gone; /* superseded by a later export */
	size_t at, len; /* its records in run.recs_of */
};

struct run {
	const struct bo_rules *rules;
	const struct stock *st;
	const char *prev;
	int32_t as_of;
	bool shortfall;
	struct backorders b;
	struct supplies sup;
	struct bo_previous pv;
	struct snapshot sn;
	struct entry *e;
	size_t ne;
	struct buf out; /* live orders, each with its records after it */
	struct buf recs; /* the records only */
	struct buf sf; /* the shortfall CSV */
	struct bo_counts n;
};

/* Is an order one bo_add_order must take: open, with an id and a backordered line? */
static bool
wants(const json_t *order)
{
	const char *status = text_of(order, "status");
	const json_t *line;
	size_t i;
	bool any = false;

	if ((status && strcmp(status, "open") != 0) || !text_of(order, "order_id"))
		return false;
	json_array_foreach(json_object_get(order, "lines"), i, line) {
		any = any || int_of(line, "backordered") > 0;
	}
	return any;
}

/* Run over lines (n spans of text): false when a reference file does not load. */
static bool
run(struct run *r, const char *const *line, const size_t *len, size_t n)
{
	struct buf err = {0};
	struct supply_calendar cal = {
	    &r->rules->days, r->rules->receiving_days, r->as_of};
	bool ok = false;

	bo_init(&r->b, r->rules);
	r->e = xcalloc(n + 1, sizeof *r->e);
	if (!supply_load(&r->sup, supply_path.p, &r->b.skus, r->st, &cal, &err))
		goto out;
	check_supplies(&r->sup, r->b.skus.n, r->as_of);
	snap(&r->sn, &r->sup, &r->b.skus);
	/* A --previous that does not load: the run goes on without one. */
	if (r->prev && !bo_previous_load(&r->pv, r->prev, &err)) {
		bo_previous_free(&r->pv);
		r->prev = NULL;
	}
	for (size_t i = 0; i < n; i++) {
		json_t *rec;
		const char *id;
		const struct rtype *t;
		uint32_t bo = BO_NONE;
		enum bo_read got;

		buf_reset(&err);
		rec = jp_parse(line[i], len[i], &err);
		if (!json_is_object(rec) || !text_of(rec, "type") ||
		    !(t = schema_type(fuzz_str(rec, "type"))) ||
		    !schema_coerce(rec, t, &err) || !fuzz_is(rec, "type", "order") ||
		    !(id = text_of(rec, "order_id"))) {
			json_decref(rec);
			continue;
		}
		/*
		 * An order before its window (allocation not_yet) waits with all
		 * its open units: this harness does not model that demand (the
		 * laws of tests/oms-backorder-laws.bats check it), so it reads such
		 * an order as one allocated.
		 */
		if (fuzz_is(json_object_get(rec, "allocation"), "status", "not_yet"))
			json_object_del(json_object_get(rec, "allocation"), "status");
		buf_reset(&err);
		if ((got = bo_add_order(&r->b, rec, &bo, &err)) == BO_REJECTED) {
			json_decref(rec);
			continue;
		}
		if ((got == BO_ADDED) != wants(rec))
			fail(got == BO_ADDED
				? "an order with nothing backordered was taken"
				: "an open order with backordered lines was "
				  "not taken",
			    NULL);
		for (size_t k = 0; k < r->ne; k++)
			if (!r->e[k].gone && fuzz_is(r->e[k].rec, "order_id", id)) {
				r->e[k].gone = true;
				if (r->e[k].bo != BO_NONE)
					r->b.orders[r->e[k].bo].live = 0;
			}
		r->e[r->ne++] = (struct entry){rec, line[i], len[i], bo, false, 0, 0};
	}
	bo_match(&r->b, &r->sup, r->st);
	buf_reset(&err);
	if (!bo_check(&r->b, &r->sup, &err)) {
		fprintf(stderr, "bo_check: %s\n", err.p);
		fail("bo_check found a law broken", NULL);
	}
	for (size_t k = 0; k < r->ne; k++) {
		struct entry *e = &r->e[k];
		size_t before = r->recs.len;

		if (e->gone)
			continue;
		buf_add(&r->out, e->raw, e->rawlen);
		buf_addc(&r->out, '\n');
		if (e->bo == BO_NONE)
			continue;
		bo_write_order(&r->b, &r->sup, e->bo, e->rec, r->prev ? &r->pv : NULL,
		    &r->recs, &r->n);
		e->at = before;
		e->len = r->recs.len - before;
		buf_add(&r->out, r->recs.p + before, e->len);
	}
	if (r->shortfall) {
		char *p = NULL;
		size_t sz = 0;
		FILE *f = open_memstream(&p, &sz);

		if (!f || !bo_write_shortfall(&r->b, f) || fclose(f) != 0)
			fail("bo_write_shortfall failed", NULL);
		buf_add(&r->sf, p, sz);
		free(p);
	}
	ok = true;
out:
	buf_free(&err);
	return ok;
}

static void
run_free(struct run *r)
{
	for (size_t k = 0; k < r->ne; k++)
		json_decref(r->e[k].rec);
	free(r->e);
	bo_free(&r->b);
	supply_free(&r->sup);
	bo_previous_free(&r->pv);
	snap_free(&r->sn);
	buf_free(&r->out);
	buf_free(&r->recs);
	buf_free(&r->sf);
}

/* ---- the oracle ---- */

/* The records of one order's span, each parsed: a NULL-ended array. */
static json_t **
parse_span(const char *p, size_t n, const struct buf *out)
{
	json_t **v = xcalloc(n / 2 + 2, sizeof *v);
	const char *end = p + n;
	struct buf err = {0};
	size_t k = 0;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		json_error_t jerr;
		json_t *rec, *strict;

		if (!nl)
			fail("a record does not end with a newline", out);
		buf_reset(&err);
		if (!(rec = jp_parse(p, (size_t)(nl - p), &err)) || !json_is_object(rec))
			fail("a record written is not a JSON object", out);
		if (!(strict = json_loadb(
			  p, (size_t)(nl - p), JSON_REJECT_DUPLICATES, &jerr)) ||
		    !json_equal(strict, rec))
			fail("a record written is not JSON as jansson reads it", out);
		json_decref(strict);
		fuzz_check_record(rec);
		v[k++] = rec;
		p = nl + 1;
	}
	buf_free(&err);
	return v;
}

static void
free_recs(json_t **v)
{
	for (size_t i = 0; v && v[i]; i++)
		json_decref(v[i]);
	free(v);
}

/* The row of supply id of sku at loc (NULL: none given), or NULL: the file has one at most. */
static struct srow *
supply_row(struct snapshot *sn, const char *id, const char *sku, const char *loc)
{
	for (size_t i = 0; i < sn->n; i++)
		if (strcmp(sn->v[i].id, id) == 0 && strcmp(sn->v[i].sku, sku) == 0 &&
		    (loc ? sn->v[i].loc && strcmp(sn->v[i].loc, loc) == 0
			 : !sn->v[i].loc))
			return &sn->v[i];
	return NULL;
}

/* Short units of a SKU, seen in the records: units, orders, channels. */
struct short_sku {
	const char *sku;
	int64_t units, orders;
	const char *last_order;
	const char **channels;
	size_t nchannels;
};

static struct short_sku *
short_of(struct short_sku **v, size_t *n, const char *sku)
{
	for (size_t i = 0; i < *n; i++)
		if (strcmp((*v)[i].sku, sku) == 0)
			return &(*v)[i];
	*v = xrealloc(*v, (*n + 1) * sizeof **v);
	(*v)[*n] = (struct short_sku){sku, 0, 0, NULL, NULL, 0};
	return &(*v)[(*n)++];
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static int
cmp_short(const void *a, const void *b)
{
	return strcmp(
	    ((const struct short_sku *)a)->sku, ((const struct short_sku *)b)->sku);
}

/* The cells of the shortfall CSV, by libcsv. */
struct cells {
	struct buf text;
	size_t at[16], n;
	bool bad;
	json_t *rows; /* array of arrays of strings */
};

static void
on_cell(void *s, size_t len, void *data)
{
	struct cells *c = data;

	if (c->n == 16) {
		c->bad = true;
		return;
	}
	c->at[c->n++] = c->text.len;
	buf_add(&c->text, s ? s : "", s ? len : 0);
	buf_addc(&c->text, '\0');
}

static void
on_row(int term, void *data)
{
	struct cells *c = data;
	json_t *row = json_array();

	(void)term;
	for (size_t i = 0; i < c->n; i++)
		json_array_append_new(row, json_string(c->text.p + c->at[i]));
	json_array_append_new(c->rows, row);
	c->n = 0;
	buf_reset(&c->text);
}

/* The shortfall CSV read by libcsv: an array of rows, each an array of cells. */
static json_t *
shortfall_rows(const struct buf *sf)
{
	struct csv_parser p;
	struct cells c = {{0}, {0}, 0, false, json_array()};

	if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL) != 0)
		abort();
	if (csv_parse(&p, sf->p ? sf->p : "", sf->len, on_cell, on_row, &c) != sf->len ||
	    csv_fini(&p, on_cell, on_row, &c) != 0 || c.bad)
		fail("the shortfall is not CSV", sf);
	csv_free(&p);
	buf_free(&c.text);
	return c.rows;
}

static void
check_shortfall(const struct run *r, struct short_sku *sh, size_t nsh)
{
	json_t *rows = shortfall_rows(&r->sf);
	const json_t *row;
	size_t i, k = 0;

	if (nsh)
		qsort(sh, nsh, sizeof *sh, cmp_short);
	for (i = 0; i < nsh && sh[i].units == 0;)
		i++;
	json_array_foreach(rows, k, row) {
		char units[32], orders[32];
		struct buf chans = {0};

		if (json_array_size(row) != 8)
			fail("a shortfall row has not 8 cells", &r->sf);
		/* Text cells are guarded (csvcell.h); units and orders are counts. */
		for (size_t j = 0; j < 8; j++) {
			const char *t = json_string_value(json_array_get(row, j));

			if (j != 4 && j != 5 && *t && strchr("=+-@\t\r\n", *t))
				fail("a shortfall cell starts a formula", &r->sf);
		}
		if (k == 0) {
			if (strcmp(json_string_value(json_array_get(row, 0)), "sku") != 0)
				fail("the shortfall has no header", &r->sf);
			continue;
		}
		while (i < nsh && sh[i].units == 0)
			i++;
		if (i == nsh)
			fail("a shortfall row for a SKU with nothing short", &r->sf);
		snprintf(units, sizeof units, "%" PRId64, sh[i].units);
		snprintf(orders, sizeof orders, "%" PRId64, sh[i].orders);
		if (sh[i].nchannels)
			qsort(sh[i].channels, sh[i].nchannels, sizeof *sh[i].channels,
			    cmp_str);
		for (size_t j = 0; j < sh[i].nchannels; j++)
			if (j == 0 ||
			    strcmp(sh[i].channels[j], sh[i].channels[j - 1]) != 0)
				buf_printf(&chans, "%s%s", chans.len ? "|" : "",
				    sh[i].channels[j]);
		if (strcmp(csv_cell_unguard(json_string_value(json_array_get(row, 0))),
			sh[i].sku) != 0)
			fail("the shortfall's SKUs are not those short, by name", &r->sf);
		if (strcmp(json_string_value(json_array_get(row, 4)), units) != 0)
			fail("the shortfall's units are not the units without supply",
			    &r->sf);
		if (strcmp(json_string_value(json_array_get(row, 5)), orders) != 0)
			fail("the shortfall's orders are not the orders short", &r->sf);
		if (strcmp(csv_cell_unguard(json_string_value(json_array_get(row, 7))),
			chans.p ? chans.p : "") != 0)
			fail("the shortfall's channels are not those of the orders short",
			    &r->sf);
		buf_free(&chans);
		i++;
	}
	while (i < nsh && sh[i].units == 0)
		i++;
	if (i != nsh || json_array_size(rows) == 0)
		fail("a SKU short has no shortfall row", &r->sf);
	json_decref(rows);
}

/*
 * The reason of a line with no supply: none of its SKU is planned, or none
 * is left for it (with no locations file, no location stands in the way).
 */
static void
check_unsourced(const struct run *r, const json_t *line, const char *reason)
{
	const char *sku = text_of(line, "sku");
	struct buf planned = {0}, left = {0};
	bool any = false;

	for (size_t j = 0; j < r->sn.n; j++)
		any = any || strcmp(r->sn.v[j].sku, sku) == 0;
	if (json_is_true(json_object_get(line, "preorder"))) {
		buf_adds(&planned, "sold as a pre-order; ");
		buf_adds(&left, "sold as a pre-order; ");
	}
	buf_printf(&planned, "no supply of %s is planned", sku);
	buf_printf(&left, "no supply of %s is left for it", sku);
	if ((strncmp(reason, planned.p, planned.len) == 0) == any)
		fail(any ? "a line says no supply of its SKU is planned, but some is"
			 : "a line with no supply of its SKU planned says otherwise",
		    &r->out);
	if (any && !r->st && strncmp(reason, left.p, left.len) != 0)
		fail("a line with supply of its SKU planned, all taken, does not say "
		     "none is left",
		    &r->out);
	buf_free(&planned);
	buf_free(&left);
}

/* Check the records of one live order e against its lines; tally supply used and short. */
static void
check_order(struct run *r, const struct entry *e, struct short_sku **sh, size_t *nsh)
{
	json_t **recs = parse_span(r->recs.p + e->at, e->len, &r->out);
	const json_t *lines = json_object_get(e->rec, "lines"), *line;
	const char *id = fuzz_str(e->rec, "order_id"),
		   *channel = text_of(e->rec, "channel");
	int32_t deadline = day_of(e->rec, "ship_by"), ca = day_of(e->rec, "cancel_after");
	int32_t start = day_of(e->rec, "start_ship"), all = BO_NO_DAY;
	int32_t eta_of[2] = {BO_NO_DAY, BO_NO_DAY}; /* backorder, preorder */
	bool told[2] = {false, false}, whole = true, first = true,
	     complete = json_is_true(json_object_get(e->rec, "ship_complete"));
	size_t i, k = 0;

	if (ca != BO_NO_DAY && (deadline == BO_NO_DAY || ca < deadline))
		deadline = ca;
	json_array_foreach(lines, i, line) {
		const json_t *rec = recs[k], *u;
		const char *kind;
		int64_t q = int_of(line, "backordered"), sum = 0;
		int32_t eta = BO_NO_DAY, latest = BO_NO_DAY, arrives = BO_NO_DAY,
			line_due;
		bool po = false;
		size_t j;

		if (q <= 0)
			continue;
		k++;
		if (!rec || !fuzz_is(rec, "type", "backorder"))
			fail("a backordered line has no backorder record", &r->out);
		if (!fuzz_is(rec, "order_id", id) ||
		    !fuzz_is(rec, "line_id", text_of(line, "line_id")) ||
		    !fuzz_is(rec, "sku", text_of(line, "sku")))
			fail("a backorder record is not its line's (order_id, line_id, "
			     "sku)",
			    &r->out);
		if (int_of(rec, "qty") != q)
			fail("a backorder record's qty is not the line's backordered",
			    &r->out);
		if (!json_is_array(json_object_get(rec, "supply")) ||
		    !json_is_boolean(json_object_get(rec, "at_risk")) ||
		    !text_of(rec, "reason") || !(kind = text_of(rec, "kind")))
			fail("a backorder record lacks supply, at_risk, reason or kind",
			    &r->out);
		json_array_foreach(json_object_get(rec, "supply"), j, u) {
			const char *sid = text_of(u, "supply_id"),
				   *loc = text_of(u, "location");
			int64_t uq = int_of(u, "qty");
			struct srow *row;

			if (!sid || uq < 1 ||
			    json_object_size(u) !=
				2 + (json_object_get(u, "location") != NULL))
				fail("a supply used is not a supply_id, a location and a "
				     "qty of units",
				    &r->out);
			if (!(row = supply_row(&r->sn, sid, text_of(line, "sku"), loc)))
				fail("a backorder record uses supply of another SKU or "
				     "none at all",
				    &r->out);
			po = po || row->kind == SUPPLY_PO;
			if (row->expected > arrives)
				arrives = row->expected;
			if ((row->used += uq) > row->qty)
				fail("more of a supply promised than it holds", &r->out);
			if (loc && r->st &&
			    !stock_serves(&st, intern_find(&st.locs, loc, strlen(loc)),
				channel
				    ? intern_find(&st.channels, channel, strlen(channel))
				    : INTERN_NONE))
				fail("supply at a location promised to a channel it does "
				     "not serve",
				    &r->out);
			sum += uq;
		}
		if (sum > q)
			fail("a backorder record uses more supply than its qty", &r->out);
		/*
		 * The day it ships: when its supply comes, not before start_ship;
		 * none without supply. A ship-complete order's lines share one,
		 * and have none while a line is short (checked below).
		 */
		eta = day_of(rec, "eta");
		if ((eta != BO_NO_DAY) != (text_of(rec, "eta") != NULL))
			fail("a backorder record's eta is not a date", &r->out);
		if (!complete && (sum > 0) != (eta != BO_NO_DAY))
			fail("a backorder record has an eta without supply, or none with",
			    &r->out);
		if (eta != BO_NO_DAY &&
		    (sum == 0 || eta < arrives || (start != BO_NO_DAY && eta < start)))
			fail("a backorder record's eta is before its supply comes, or "
			     "before start_ship",
			    &r->out);
		whole = whole && sum == q;
		if (complete && !first && eta != all)
			fail("the lines of a ship-complete order do not share one eta",
			    &r->out);
		if (complete) {
			all = eta;
			first = false;
		}
		if (sum == 0 ? strcmp(kind, "unsourced") != 0
			     : strcmp(kind,
				   json_is_true(json_object_get(line, "preorder")) || !po
				       ? "preorder"
				       : "backorder") != 0)
			fail("a backorder record's kind is not what its supply makes it",
			    &r->out);
		if (sum == 0)
			check_unsourced(r, line, text_of(rec, "reason"));
		/* A pre-order line is bound by cancel_after alone, not ship_by. */
		line_due =
		    json_is_true(json_object_get(line, "preorder")) ? ca : deadline;
		if (json_is_true(json_object_get(rec, "at_risk")) !=
		    (line_due != BO_NO_DAY &&
			(sum < q || eta == BO_NO_DAY || eta > line_due)))
			fail("a backorder record's at_risk is not its deadline's",
			    &r->out);
		if (eta != BO_NO_DAY) {
			int w = strcmp(kind, "preorder") == 0;

			told[w] = true;
			latest = eta_of[w];
			eta_of[w] = latest == BO_NO_DAY || eta > latest ? eta : latest;
		}
		if (sum < q) {
			struct short_sku *s = short_of(sh, nsh, text_of(line, "sku"));

			s->units += q - sum;
			s->orders += !s->last_order || strcmp(s->last_order, id) != 0;
			s->last_order = id;
			if (channel) {
				s->channels = xrealloc(s->channels,
				    (s->nchannels + 1) * sizeof *s->channels);
				s->channels[s->nchannels++] = channel;
			}
		} else {
			(void)short_of(sh, nsh, text_of(line, "sku"));
		}
	}
	if (k == 0)
		fail("an order taken has no backordered line", &r->out);
	if (complete && whole != (all != BO_NO_DAY))
		fail("a ship-complete order has an eta while a line is short, or none "
		     "when all are covered",
		    &r->out);
	/* The notices: backorder_eta, preorder_eta, eta_changed, each at most once, in that order. */
	{
		static const char *const kinds[] = {
		    "backorder_eta", "preorder_eta", "eta_changed"};
		int at = 0;

		for (; recs[k]; k++) {
			const json_t *nt = recs[k];

			if (!fuzz_is(nt, "type", "notice") ||
			    !fuzz_is(nt, "order_id", id))
				fail("after an order's backorder records, a record that "
				     "is "
				     "not its notice",
				    &r->out);
			while (at < 3 && !fuzz_is(nt, "kind", kinds[at]))
				at++;
			if (at == 3)
				fail("notices of an unknown kind, or out of order",
				    &r->out);
			if (!text_of(nt, "text"))
				fail("a notice without text", &r->out);
			if (!r->prev) {
				if (at == 2)
					fail("eta_changed without --previous", &r->out);
				if (!told[at] || day_of(nt, "eta") != eta_of[at])
					fail("a notice's eta is not the latest of the "
					     "lines "
					     "it tells of",
					    &r->out);
				told[at] = false;
			}
			at++;
		}
		if (!r->prev && (told[0] || told[1]))
			fail("a line with supply was not told of in a notice", &r->out);
	}
	free_recs(recs);
}

/* Check a run's output. */
static void
check_run(struct run *r)
{
	struct short_sku *sh = NULL;
	size_t nsh = 0;

	for (size_t k = 0; k < r->ne; k++) {
		const struct entry *e = &r->e[k];

		if (e->gone)
			continue;
		if (e->bo == BO_NONE) {
			if (e->len)
				fail("records made for an order not taken", &r->out);
			continue;
		}
		check_order(r, e, &sh, &nsh);
	}
	/* With no locations file, any supply serves any line: a SKU is short only when it is spent. */
	if (!r->st)
		for (size_t i = 0; i < nsh; i++) {
			int64_t left = 0;

			if (!sh[i].units)
				continue;
			for (size_t j = 0; j < r->sn.n; j++)
				if (strcmp(r->sn.v[j].sku, sh[i].sku) == 0)
					left += r->sn.v[j].qty - r->sn.v[j].used;
			if (left)
				fail("a line short of a SKU whose supply is not spent",
				    &r->out);
		}
	if (r->shortfall)
		check_shortfall(r, sh, nsh);
	/* --previous finds a line by order_id and line_id: two lines cannot share them. */
	for (size_t k = 0; k < r->ne; k++) {
		const json_t *lines = json_object_get(r->e[k].rec, "lines"), *a, *b;
		size_t i, j;

		if (r->e[k].gone || r->e[k].bo == BO_NONE)
			continue;
		json_array_foreach(lines, i, a) {
			json_array_foreach(lines, j, b) {
				if (j < i && int_of(a, "backordered") > 0 &&
				    int_of(b, "backordered") > 0 &&
				    strcmp(text_of(a, "line_id"),
					text_of(b, "line_id")) == 0)
					fail("an order taken has two backordered "
					     "lines with one line_id",
					    &r->out);
			}
		}
	}
	for (size_t i = 0; i < nsh; i++)
		free(sh[i].channels);
	free(sh);
}

/*
 * The shortfall of a run on the output is that of the run: but for style,
 * color and size, taken from the first line in the stream that names them,
 * which may be of an export a later one superseded (oms-backorder(1)).
 */
static void
same_shortfall(const struct buf *a, const struct buf *b)
{
	static const size_t cols[] = {0, 4, 5, 6, 7};
	json_t *ra = shortfall_rows(a), *rb = shortfall_rows(b);
	bool same = json_array_size(ra) == json_array_size(rb);

	for (size_t i = 0; same && i < json_array_size(ra); i++)
		for (size_t c = 0; c < sizeof cols / sizeof cols[0]; c++)
			same = same &&
			    json_equal(json_array_get(json_array_get(ra, i), cols[c]),
				json_array_get(json_array_get(rb, i), cols[c]));
	if (!same) {
		fprintf(stderr, "second run's shortfall:\n%.*s", (int)b->len,
		    b->p ? b->p : "");
		fail("a second run on the output gives another shortfall", a);
	}
	json_decref(ra);
	json_decref(rb);
}

/* The lines of text[0..n), as spans. */
static size_t
split_lines(const char *p, size_t n, const char ***line, size_t **len)
{
	const char *end = p ? p + n : p;
	size_t k = 0;

	*line = xcalloc(n + 1, sizeof **line);
	*len = xcalloc(n + 1, sizeof **len);
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));

		(*line)[k] = p;
		(*len)[k++] = (size_t)((nl ? nl : end) - p);
		p = nl ? nl + 1 : end;
	}
	return k;
}

/* The backorder records of run a, and nothing else, are the records of run b. */
static void
same_records(const struct run *a, const struct run *b)
{
	struct buf want = {0}, err = {0};
	const char **l;
	size_t *n, k = split_lines(a->recs.p, a->recs.len, &l, &n);

	for (size_t i = 0; i < k; i++) {
		json_t *j = jp_parse(l[i], n[i], &err);

		if (fuzz_is(j, "type", "backorder")) {
			buf_add(&want, l[i], n[i]);
			buf_addc(&want, '\n');
		}
		json_decref(j);
	}
	if (b->recs.len != want.len ||
	    (want.len && memcmp(want.p, b->recs.p, want.len) != 0)) {
		fprintf(stderr, "with the output as --previous:\n%.*s", (int)b->recs.len,
		    b->recs.p ? b->recs.p : "");
		fail("with its own output as --previous, a run tells notices or makes "
		     "other records",
		    &a->out);
	}
	buf_free(&want);
	buf_free(&err);
	free(l);
	free(n);
}

/* --previous of the first run: the input's lines that mention backorder. */
static bool
previous_of(const char *const *line, const size_t *len, size_t n)
{
	struct buf t = {0};

	for (size_t i = 0; i < n; i++) {
		struct buf one = {0};

		buf_add(&one, line[i], len[i]);
		if (strstr(one.p, "backorder")) {
			buf_add(&t, line[i], len[i]);
			buf_addc(&t, '\n');
		}
		buf_free(&one);
	}
	write_file(prev_path.p, t.p, t.len);
	buf_free(&t);
	return true;
}

/* The first blank line of text[0..n): its first newline, or NULL. */
static const char *
blank_line(const char *text, size_t n)
{
	for (size_t i = 0; i + 1 < n; i++)
		if (text[i] == '\n' && text[i + 1] == '\n')
			return text + i;
	return NULL;
}

static int32_t
as_of_preset(unsigned k)
{
	static const int ymd[4][3] = {
	    {2026, 11, 26}, {2027, 1, 20}, {1970, 1, 1}, {2100, 2, 28}};

	return date_from_civil(ymd[k][0], ymd[k][1], ymd[k][2]);
}

static void
supply_alone(const uint8_t *data, size_t size, const struct bo_rules *rules,
    int32_t as_of, const struct stock *stock)
{
	struct supply_calendar cal = {&rules->days, rules->receiving_days, as_of};
	struct intern skus = {0};
	struct supplies s;
	struct buf err = {0};

	write_file(supply_path.p, (const char *)data, size);
	if (supply_load(&s, supply_path.p, &skus, stock, &cal, &err)) {
		check_supplies(&s, skus.n, as_of);
		if (err.len)
			fail("supply_load succeeded with an error message", NULL);
	} else if (!err.len) {
		fail("supply_load failed without saying why", NULL);
	}
	supply_free(&s);
	intern_free(&skus);
	buf_free(&err);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data + 1, *nd, *blank, **line = NULL;
	size_t ntext, nlines, *len = NULL;
	struct bo_rules fuzzed = {0};
	const struct bo_rules *rules;
	struct run r1 = {0}, r2 = {0}, r3 = {0};
	struct buf err = {0};
	uint8_t ctl;
	bool own_rules = false;

	if (size == 0)
		return 0;
	setup();
	make_dir();
	ctl = data[0];
	ntext = size - 1;
	rules = &preset_rules[ctl >> 2 & 3];
	if (ctl & 128) {
		supply_alone(data + 1, ntext, rules, as_of_preset(ctl >> 4 & 3),
		    ctl & 1 ? &st : NULL);
		goto done;
	}
	/* The supply: up to the first blank line. */
	blank = blank_line(text, ntext);
	if (blank) {
		size_t n = (size_t)(blank - text) + 1;
		struct buf t = {0};

		if (n < 9 || memcmp(text, "supply_id", 9) != 0)
			buf_adds(&t, supply_header);
		buf_add(&t, text, n);
		write_file(supply_path.p, t.p, t.len);
		buf_free(&t);
		nd = blank + 2;
	} else {
		write_file(supply_path.p, default_supply, strlen(default_supply));
		nd = text;
	}
	nlines = split_lines(nd, (size_t)(text + ntext - nd), &line, &len);
	/* The first object with no "type" is a rules file. */
	for (size_t i = 0; i < nlines; i++) {
		json_t *j;

		buf_reset(&err);
		if (!(j = jp_parse(line[i], len[i], &err)))
			continue;
		if (json_is_object(j) && !json_object_get(j, "type")) {
			write_file(rules_path.p, line[i], len[i]);
			buf_reset(&err);
			if (!bo_rules_load(rules_path.p, &fuzzed, &err)) {
				json_decref(j);
				bo_rules_free(&fuzzed);
				goto done;
			}
			own_rules = true;
			rules = &fuzzed;
			json_decref(j);
			break;
		}
		json_decref(j);
	}

	r1 = (struct run){.rules = rules,
	    .st = ctl & 1 ? &st : NULL,
	    .prev = ctl & 2 && previous_of(line, len, nlines) ? prev_path.p : NULL,
	    .as_of = as_of_preset(ctl >> 4 & 3),
	    .shortfall = !(ctl & 64)};
	if (!run(&r1, line, len, nlines))
		goto done;
	check_run(&r1);

	/* Again on the output: the same output, byte for byte. */
	{
		const char **l2;
		size_t *n2, k2 = split_lines(r1.out.p, r1.out.len, &l2, &n2);

		r2 = (struct run){.rules = r1.rules,
		    .st = r1.st,
		    .prev = r1.prev,
		    .as_of = r1.as_of,
		    .shortfall = r1.shortfall};
		if (!run(&r2, l2, n2, k2))
			fail("a second run does not load what the first loaded", &r1.out);
		if (r2.out.len != r1.out.len ||
		    (r1.out.len && memcmp(r1.out.p, r2.out.p, r1.out.len) != 0)) {
			fprintf(stderr, "second run:\n%.*s", (int)r2.out.len,
			    r2.out.p ? r2.out.p : "");
			fail("a second run on the output gives another output", &r1.out);
		}
		if (r1.shortfall)
			same_shortfall(&r1.sf, &r2.sf);

		/* With the output as --previous: the same backorder records, no notice. */
		write_file(prev2_path.p, r1.out.p ? r1.out.p : "", r1.out.len);
		r3 = (struct run){.rules = r1.rules,
		    .st = r1.st,
		    .prev = prev2_path.p,
		    .as_of = r1.as_of,
		    .shortfall = false};
		if (!run(&r3, l2, n2, k2) || !r3.prev)
			fail("the output does not load as --previous", &r1.out);
		check_run(&r3);
		same_records(&r1, &r3);
		free(l2);
		free(n2);
	}
done:
	remove_dir();
	run_free(&r1);
	run_free(&r2);
	run_free(&r3);
	if (own_rules)
		bo_rules_free(&fuzzed);
	free(line);
	free(len);
	buf_free(&err);
	of_abort_all(); /* the files read are forgotten, as at a run's end */
	schema_free();
	return 0;
}
