/*
 * backorder_stage.c: oms-backorder as a stage. Each open order with
 * waiting lines (backordered, or open before its window) leaves a compact
 * entry (its ranking values and lines) and is kept under its order_id, so
 * that the last export wins. When the stream ends, superseded exports
 * leave the matching, the lines are matched to supply SKU by SKU in rank
 * order, the laws are checked, and each order is written with its
 * backorder records and notices after it.
 * Old backorder records and ETA notices are consumed: they are made again.
 */
#include "backorder_stage.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "backorder.h"
#include "json.h"
#include "outfile.h"
#include "schema.h"
#include "stage.h"

struct backorder_stage {
	const struct bo_config *c;
	struct bo_rules rules;
	struct backorders b;
	struct supplies sup;
	struct stock st;
	struct bo_previous prev;
	struct outfile *shortfall; /* --shortfall, or NULL */
	struct bo_counts n;
	long orders;
	struct buf err, out;
};

/* Every reference file, and the shortfall file, before any record is read. */
static bool
load_references(void *self, struct buf *err)
{
	struct backorder_stage *bs = self;
	const struct bo_config *c = bs->c;
	struct supply_calendar cal;

	if (!bo_rules_load(c->rules, &bs->rules, err))
		return false;
	bo_init(&bs->b, &bs->rules);
	if (c->locations && !stock_load(&bs->st, c->locations, NULL, NULL, err))
		return false;
	cal = (struct supply_calendar){
	    &bs->rules.days, bs->rules.receiving_days, cli_as_of(c->common)};
	if (c->supply &&
	    !supply_load(&bs->sup, c->supply, &bs->b.skus, c->locations ? &bs->st : NULL,
		&cal, err))
		return false;
	if (c->previous && !bo_previous_load(&bs->prev, c->previous, err))
		return false;
	return !c->shortfall ||
	    (bs->shortfall = of_open("--shortfall", c->shortfall, 0, err)) != NULL;
}

static void
take_order(struct backorder_stage *bs, struct stage *sg, const struct rr_item *it)
{
	const char *id = json_string_value(json_object_get(it->rec, "order_id"));
	struct stage_keep k = {id, SPOOL_EXPORT, 0, BO_NONE};
	uint32_t bo = BO_NONE;

	if (!id || !*id) {
		stream_reject(stage_stream(sg), it, "order without an order_id");
		return;
	}
	buf_reset(&bs->err);
	if (bo_add_order(&bs->b, it->rec, &bo, &bs->err) == BO_REJECTED) {
		stream_reject(stage_stream(sg), it, "%s", bs->err.p);
		return;
	}
	k.tag = bo;
	stage_keep(sg, it, &k);
}

/* Records this tool makes: consumed, as they are made again. */
static bool
ours(const json_t *rec, const char *type)
{
	const char *kind = json_string_value(json_object_get(rec, "kind"));

	if (strcmp(type, "backorder") == 0)
		return true;
	return strcmp(type, "notice") == 0 && kind &&
	    (strcmp(kind, "backorder_eta") == 0 || strcmp(kind, "preorder_eta") == 0 ||
		strcmp(kind, "eta_changed") == 0);
}

static void
take(void *self, struct stage *sg, const struct rr_item *it)
{
	static const struct stage_keep pass = {NULL, SPOOL_PLAIN, SPOOL_PASS, BO_NONE};
	struct backorder_stage *bs = self;
	const char *type = json_string_value(json_object_get(it->rec, "type"));

	if (!schema_type(type))
		stream_reject(stage_stream(sg), it, "unknown record type \"%s\"", type);
	else if (strcmp(type, "order") == 0)
		take_order(bs, sg, it);
	else if (ours(it->rec, type))
		stage_consume(sg);
	else
		stage_keep(sg, it, &pass);
}

/* The last export of an order wins: the entries of the others leave the matching. */
static bool
group(void *self, struct stage *sg, const struct spool_entry *g, size_t n)
{
	struct backorder_stage *bs = self;
	bool failed;
	long won = spool_last_wins(stage_spool(sg), g, n, &failed);

	if (failed) {
		stage_io_failed(sg);
		return false;
	}
	for (size_t i = 0; i < n; i++)
		if ((long)i != won && g[i].tag != BO_NONE)
			bs->b.orders[g[i].tag].live = 0;
	return true;
}

/* Test hook: break the law the self-check guards, to see it caught. */
static void
fault(struct backorder_stage *bs)
{
	const char *f = getenv("OMS_BACKORDER_FAULT");

	if (f && strcmp(f, "oversupply") == 0 && bs->b.ntakes)
		bs->b.takes[0].qty++;
}

static bool
settle(void *self, struct stage *sg)
{
	struct backorder_stage *bs = self;

	(void)sg;
	bo_match(&bs->b, &bs->sup, bs->c->locations ? &bs->st : NULL);
	fault(bs);
	buf_reset(&bs->err);
	if (!bo_check(&bs->b, &bs->sup, &bs->err)) {
		warnmsg("self-check failed, nothing written: %s", bs->err.p);
		return false;
	}
	return true;
}

/* The backorder records and notices of live order bo, whose text it holds. */
static bool
insert_records(struct backorder_stage *bs, struct stage *sg, const struct spool_item *it)
{
	json_t *order = stage_parse(sg, it);
	long before = bs->n.records;

	if (!order)
		return false;
	buf_reset(&bs->out);
	bo_write_order(&bs->b, &bs->sup, (uint32_t)it->tag, order,
	    bs->c->previous ? &bs->prev : NULL, &bs->out, &bs->n);
	json_decref(order);
	return stage_insert(sg, bs->out.p, bs->out.len, bs->n.records - before);
}

static bool
replay(void *self, struct stage *sg, const struct spool_item *it)
{
	struct backorder_stage *bs = self;

	bs->orders += it->role == SPOOL_EXPORT;
	if (!stage_write(sg, it))
		return false;
	return it->tag == BO_NONE || insert_records(bs, sg, it);
}

static bool
finish(void *self, struct stage *sg)
{
	struct backorder_stage *bs = self;

	(void)sg;
	if (!bs->shortfall || bo_write_shortfall(&bs->b, bs->shortfall->f))
		return true;
	warnmsg("%s: %s", bs->c->shortfall, strerror(errno ? errno : EIO));
	return false;
}

/* --stats: lines, units by what covers them, at risk, notices. */
static void
counts(void *self, struct stage *sg, struct buf *out)
{
	const struct backorder_stage *bs = self;
	const struct bo_counts *c = &bs->n;

	(void)sg;
	buf_printf(out,
	    "orders=%ld backorders=%ld units=%" PRId64 " po=%" PRId64
	    " production=%" PRId64 " unsourced=%" PRId64 " preorder=%" PRId64
	    " not_yet=%" PRId64
	    " at_risk=%ld notices=%ld eta_changed=%ld late_supply=%ld",
	    bs->orders, c->records - c->notices, c->units, c->po_units,
	    c->production_units, c->unsourced_units, c->preorder_units, c->not_yet_units,
	    c->at_risk, c->notices, c->changed, bs->sup.late);
}

/* Release what the stage holds. */
static void
release(void *self)
{
	struct backorder_stage *bs = self;

	bo_free(&bs->b);
	bo_rules_free(&bs->rules);
	supply_free(&bs->sup);
	stock_release(&bs->st);
	bo_previous_free(&bs->prev);
	buf_free(&bs->err);
	buf_free(&bs->out);
}

int
bo_stage_run(const struct bo_config *c, char **paths, int npaths)
{
	static const struct stage_ops ops = {
	    load_references, take, group, settle, replay, finish, counts, release, true};
	struct backorder_stage bs = {0};

	bs.c = c;
	return stage_run(&ops, &bs, c->common, paths, npaths, NULL, NULL);
}
