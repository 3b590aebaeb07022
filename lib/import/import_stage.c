/*
 * import_stage.c: oms-import as a stage. Each input is read through its
 * channel's adapter (or --map); each order is completed from the catalog,
 * checked and normalized, and kept under its order_id, so that the last
 * export of an order wins, in its place in the stream; tracking records and
 * return requests are checked and kept as they come; other records pass.
 */
#include "import_stage.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "catalog.h"
#include "date.h"
#include "import_rules.h"
#include "map.h"
#include "order.h"
#include "outfile.h"
#include "schema.h"
#include "stage.h"
#include "stores.h"
#include "strmap.h"
#include "units.h"

struct counts {
	long orders, lines, units, unknown_kept;
	long no_sku; /* lines to ship kept without a SKU */
	long renamed; /* orders whose order_id another global_id had: renamed */
};

/* Everything a run holds besides the stream: reference data and counts. */
struct import {
	const struct import_config *c;
	struct map *map;
	struct catalog *catalog;
	struct import_rules rules;
	struct outfile *ack; /* --ack, or NULL */
	struct import_opts adapter;
	struct order_norm norm, source_norm;
	struct counts n;
	const struct adapter **inputs; /* per input, in order: its adapter, or NULL */
	size_t ninputs;
	struct strmap told; /* titles already warned of as kept without a SKU */
	struct stores stores_seen; /* the global_id of each order_id */
	struct buf tmp;
};

/*
 * Open one input: through the map when there is one, else with the adapter
 * --source names or, failing that, the one its first bytes call for.
 */
static struct source *
open_input(const char *path, void *ctx, struct buf *err)
{
	struct import *in = ctx;
	const struct adapter *a = in->c->source;
	struct import_opts ao = in->adapter;
	struct source s = {0};
	const char *head;

	in->inputs = xrealloc(in->inputs, (in->ninputs + 1) * sizeof *in->inputs);
	in->inputs[in->ninputs++] = NULL; /* the adapter, once known */
	if (in->map)
		return map_open(in->map, path, err);
	if (!source_open_file(&s, path, err))
		return NULL;
	if (in->c->common->in_fmt != FMT_AUTO && !a)
		return rr_from(&s, in->c->common->in_fmt, err);
	if (!a && lr_peek(&s.lr, &head, 1) == 0)
		return rr_from(&s, FMT_AUTO, err); /* empty: no records */
	if (!a && !(a = adapter_detect(&s))) {
		adapter_refuse(&s, path, err);
		source_close_file(&s);
		return NULL;
	}
	/* The rules may give each source its own zone and currency. */
	if (import_rules_zone(&in->rules, a->name))
		ao.tz = import_rules_zone(&in->rules, a->name);
	if (import_rules_currency(&in->rules, a->name))
		ao.currency = import_rules_currency(&in->rules, a->name);
	/* The store: import.stores by the input's name, else --store. */
	ao.store = stores_of(in->rules.stores, path, in->c->store);
	in->inputs[in->ninputs - 1] = a;
	/* The adapter copies s into a source of its own; none of s is kept. */
	/* cppcheck-suppress returnDanglingLifetime */
	return a->open(&s, &ao, err);
}

/*
 * Complete the lines from the catalog; false (with err, and the index of
 * the line at fault in *bad) to reject the order.
 */
static bool
fill_from_catalog(
    struct import *im, const struct rr_item *it, size_t *bad, struct buf *err)
{
	/* Case packs bind the channels the rules name (wholesale and B2B): a web shopper buys one tee. */
	bool case_packs = import_rules_case_packs(
	    &im->rules, json_string_value(json_object_get(it->rec, "channel")));
	json_t *line;
	size_t i;

	if (!im->catalog)
		return true;
	json_array_foreach(json_object_get(it->rec, "lines"), i, line) {
		buf_reset(err);
		if (catalog_fill(im->catalog, line, i + 1, case_packs, err))
			continue;
		*bad = i;
		if (!im->c->keep_unknown_sku || !json_object_get(line, "sku"))
			return false;
		/* --unknown-sku keep: said, counted, and the line goes on as it is. */
		warnmsg("%s:%ld: %s (kept)", it->file, rr_line_of(it, i), err->p);
		im->n.unknown_kept++;
	}
	buf_reset(err);
	return true;
}

/* The checks' options for a record: its source's zone from the rules, else --tz. */
static const struct order_norm *
source_norm(struct import *im, json_t *rec)
{
	const char *zone = import_rules_zone(
	    &im->rules, json_string_value(json_object_get(rec, "source")));

	im->source_norm = im->norm;
	if (zone)
		im->source_norm.tz = zone;
	return &im->source_norm;
}

/* What a line the catalog could not find was missing, for the source's verdict. */
static enum rr_fate
catalog_miss(json_t *line)
{
	switch (catalog_key_of(line)) {
	case CATALOG_BY_SKU:
		return RR_SKU_UNKNOWN;
	case CATALOG_BY_UPC:
		return RR_UPC_UNKNOWN;
	case CATALOG_BY_PART:
		return RR_PART_UNKNOWN;
	case CATALOG_BY_NOTHING:
		break;
	}
	return RR_NO_ID;
}

/* The column a source reads a line's SKU from, to name it in messages. */
static const char *
sku_column(const struct import *im, const struct stream *s)
{
	static const char *const columns[][2] = {
	    {"shopify", "Lineitem sku"},
	};
	const struct adapter *a =
	    (size_t)s->cur < im->ninputs ? im->inputs[s->cur] : NULL;

	for (size_t i = 0; a && i < sizeof columns / sizeof columns[0]; i++)
		if (strcmp(a->name, columns[i][0]) == 0)
			return columns[i][1];
	return NULL;
}

/* Why the catalog did not give a SKU for title, and what to do, into out. */
static void
why_no_sku(struct import *im, const char *title, struct buf *out)
{
	const struct cat_item *a, *b;

	if (!im->catalog) {
		buf_adds(out, ": kept without a SKU; give --catalog with its title");
		return;
	}
	if (catalog_title(im->catalog, title, &a, &b) == CAT_TITLE_MANY) {
		buf_printf(out,
		    ", and the catalog's titles match two SKUs for it (\"%s\", "
		    "\"%s\"): kept without a SKU",
		    a->sku, b->sku);
		return;
	}
	buf_adds(out, ": kept without a SKU; add its title to the catalog");
}

/*
 * Line i of an order in normal form names no SKU: when it is to be shipped
 * it is counted, and its title told once a run, where it was first met.
 * Lines of an order that ships nothing more (cancelled or closed), cancelled
 * lines and lines that need no shipping need no SKU.
 */
static void
note_skuless(struct import *im, const struct stream *s, const struct rr_item *it,
    const json_t *line, size_t i)
{
	const char *column, *title;

	if (!order_line_to_ship(it->rec, line))
		return;
	im->n.no_sku++;
	/* order_normalize keeps a line to ship without a SKU only with a title. */
	title = json_string_value(json_object_get(line, "title"));
	if (!title || strmap_get(&im->told, title))
		return;
	strmap_put(&im->told, title, (void *)1);
	buf_reset(&im->tmp);
	if ((column = sku_column(im, s)))
		buf_printf(&im->tmp, "%s is empty for \"%s\"", column, title);
	else
		buf_printf(
		    &im->tmp, "lines[%zu].sku is missing for \"%s\"", i + 1, title);
	why_no_sku(im, title, &im->tmp);
	warnmsg("%s:%ld: %s", it->file, rr_line_of(it, i), im->tmp.p);
}

/*
 * A line of whole cases whose quantity is not (18 in cases of 12): the 6
 * left over are never allocated, backordered or promised a date (every
 * tool calls them its case remainder), so the buyer's order is said at
 * once, where it came from, to be mended with the buyer.
 */
static void
note_case_remainder(const struct rr_item *it, const json_t *line, size_t i)
{
	int64_t pack = json_integer_value(json_object_get(line, "case_pack"));
	int64_t qty, shipped, rest;
	const char *sku;

	if (pack <= 1) /* most lines: no case, one lookup */
		return;
	qty = json_integer_value(json_object_get(line, "qty"));
	shipped = json_integer_value(json_object_get(line, "shipped"));
	rest = units_case_remainder(units_open(qty, shipped, false), pack);
	sku = json_string_value(json_object_get(line, "sku"));
	if (rest <= 0 || !order_line_to_ship(it->rec, line))
		return;
	warnmsg("%s:%ld: order %s line %s: %" PRId64
		" of %s is not whole cases of %" PRId64 ": case remainder %" PRId64
		", never allocated",
	    it->file, rr_line_of(it, i),
	    json_string_value(json_object_get(it->rec, "order_id")),
	    json_string_value(json_object_get(line, "line_id")),
	    units_open(qty, shipped, false), sku ? sku : "its item", pack, rest);
}

/*
 * Two stores give one order_id (#1039 in both) to two orders: their
 * global_ids differ. The first keeps it; a later one is renamed
 * <order_id>@<global_id>, the same in every run over the same inputs, so
 * that neither replaces the other. The same order exported again (the
 * same global_id, or none) keeps the id and replaces the earlier as ever.
 */
static void
keep_stores_apart(struct import *im, const struct rr_item *it)
{
	json_t *gid = json_object_get(it->rec, "global_id");
	const char *id = json_string_value(json_object_get(it->rec, "order_id"));

	if (!json_is_string(gid) ||
	    !stores_rename(&im->stores_seen, id, json_string_value(gid), &im->tmp))
		return;
	if (!im->n.renamed++)
		warnmsg("%s:%ld: order_id \"%s\" is already an order with another "
			"global_id: this one (global_id \"%s\") is kept as \"%s\"; "
			"to keep stores apart, name each input's store "
			"(import.stores in the rules, or --store)",
		    it->file, it->line, id, json_string_value(gid), im->tmp.p);
	json_object_set_new(it->rec, "order_id", json_string(im->tmp.p));
}

/* Which value of a line the order checks refused, for the source's verdict. */
static enum rr_fate
line_fault(const char *key)
{
	if (strcmp(key, "qty") == 0)
		return RR_LINE_QTY;
	if (strcmp(key, "unit_price") == 0)
		return RR_LINE_PRICE;
	if (strcmp(key, "line_id") == 0)
		return RR_LINE_ID;
	return RR_LINE_OTHER;
}

/* Check and complete one order; it is written under its order_id, or rejected. */
static void
import_order(struct import *im, struct stage *sg, const struct rr_item *it)
{
	struct stream *s = stage_stream(sg);
	struct buf err = {0};
	struct order_fault at;
	json_t *lines, *line;
	size_t i, bad = 0;

	if (!fill_from_catalog(im, it, &bad, &err)) {
		line = json_array_get(json_object_get(it->rec, "lines"), bad);
		stream_reject_line(s, it, (long)bad, catalog_miss(line), "%s", err.p);
		buf_free(&err);
		return;
	}
	if (!order_normalize_at(it->rec, source_norm(im, it->rec), &err, &at)) {
		/* A line at fault is named where it is: an 850's PO1, a CSV row. */
		if (at.line >= 0 && at.key)
			stream_reject_line(
			    s, it, at.line, line_fault(at.key), "%s", err.p);
		else
			stream_reject(s, it, "%s", err.p);
		buf_free(&err);
		return;
	}
	buf_free(&err);
	keep_stores_apart(im, it);
	shipby_fill(&im->rules.shipby, it->rec);
	lines = json_object_get(it->rec, "lines");
	im->n.orders++;
	im->n.lines += (long)json_array_size(lines);
	json_array_foreach(lines, i, line) {
		im->n.units += (long)json_integer_value(json_object_get(line, "qty"));
		if (!json_object_get(line, "sku"))
			note_skuless(im, s, it, line, i);
		note_case_remainder(it, line, i);
	}
	stage_write_key(
	    sg, it, it->rec, json_string_value(json_object_get(it->rec, "order_id")));
}

/* A shipment confirmation or a return request: checked, then written. */
static void
import_event(struct import *im, struct stage *sg, const struct rr_item *it,
    bool (*check)(json_t *, const struct order_norm *, struct buf *))
{
	struct buf err = {0};

	if (check(it->rec, source_norm(im, it->rec), &err))
		stage_write_key(sg, it, it->rec, NULL);
	else
		stream_reject(stage_stream(sg), it, "%s", err.p);
	buf_free(&err);
}

static void
import_record(void *self, struct stage *sg, const struct rr_item *it)
{
	struct import *im = self;
	const char *type = json_string_value(json_object_get(it->rec, "type"));

	if (strcmp(type, "order") == 0)
		import_order(im, sg, it);
	else if (strcmp(type, "tracking") == 0 || strcmp(type, "return_request") == 0)
		import_event(im, sg, it,
		    type[0] == 't' ? tracking_normalize : return_request_normalize);
	else if (schema_type(type))
		stage_pass(sg, it);
	else
		stream_reject(stage_stream(sg), it, "unknown record type \"%s\"", type);
}

/* Map, catalog, rules and the acknowledgment file, before any input is read. */
static bool
load_references(void *self, struct buf *err)
{
	struct import *im = self;
	const struct import_config *o = im->c;

	if (o->map_path) {
		struct buf why = {0};

		if (!(im->map = map_load(o->map_path, &why)))
			buf_printf(err, "--map: %s", why.p);
		buf_free(&why);
		if (!im->map)
			return false;
	}
	if (o->catalog_path && !(im->catalog = catalog_load(o->catalog_path, err)))
		return false;
	im->adapter.catalog = im->catalog;
	if (!import_rules_read(o->rules_path, &im->rules, err))
		return false;
	im->adapter.preorder_tag = im->rules.preorder_tag;
	if (o->ack_path) {
		if (!(im->ack = of_open("--ack", o->ack_path, 0, err)))
			return false;
		im->adapter.ack = im->ack->f;
		im->adapter.ack_name = o->ack_path;
	}
	im->norm.tz = o->tz;
	im->adapter.tz = o->tz;
	return true;
}

static void
release(void *self)
{
	struct import *im = self;

	map_free(im->map);
	catalog_free(im->catalog);
	import_rules_free(&im->rules);
	free(im->inputs);
	strmap_free(&im->told, NULL);
	stores_free(&im->stores_seen);
	buf_free(&im->tmp);
}

/* Every record is in: say how many orders were renamed apart. */
static bool
import_settle(void *self, struct stage *sg)
{
	struct import *im = self;

	(void)sg;
	if (im->n.renamed > 1)
		warnmsg("%ld orders in all shared an order_id with an order of "
			"another global_id, and were renamed so",
		    im->n.renamed);
	return true;
}

/* --stats: orders, lines, units, exports merged, and what was kept though odd. */
static void
import_counts(void *self, struct stage *sg, struct buf *out)
{
	struct import *im = self;

	buf_printf(out, "orders=%ld lines=%ld units=%ld merged=%ld", im->n.orders,
	    im->n.lines, im->n.units, stage_superseded(sg));
	if (im->n.unknown_kept)
		buf_printf(out, " unknown_sku_kept=%ld", im->n.unknown_kept);
	if (im->n.no_sku)
		buf_printf(out, " no_sku=%ld", im->n.no_sku);
	if (im->n.renamed)
		buf_printf(out, " renamed=%ld", im->n.renamed);
}

int
import_stage_run(const struct import_config *c, char **paths, int npaths)
{
	static const struct stage_ops ops = {load_references, import_record, NULL,
	    import_settle, NULL, NULL, import_counts, release, false};
	struct import im = {0};

	im.c = c;
	/* The 997s go in place with the records (stream_close), or not at all. */
	return stage_run(&ops, &im, c->common, paths, npaths, open_input, &im);
}
