/*
 * split_stage.c: oms-split as a stage. Each order is planned as it comes,
 * as if no shipment of it were in the stream, and its plan kept in a
 * second spool. Orders are kept under their order_id as exports, their
 * shipments and split warnings as members; when the stream ends each
 * order meets the records that belong to it, and only an order that has
 * some is planned again, with them. The replay writes each order with its
 * plan's records after it and gives its pick rows to the tickets.
 */
#include "split_stage.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "outfile.h"
#include "schema.h"
#include "split.h"
#include "stage.h"
#include "stock.h"

/* What a member of an order's key is (its tag). */
enum member { M_SHIPMENT = 1, M_WARNING, M_TRACKING };

/*
 * An order's tag: the place of its first plan in the plans spool, and a
 * bit for a plan that broke the law.
 */
#define TAG_BROKEN (UINT64_C(1) << 63)
#define NO_PLAN (TAG_BROKEN - 1) /* the plan made nothing */

/*
 * The head of a plan in the plans spool: its records, then its pick rows,
 * then its void rows, then what it told.
 */
struct plan_head {
	uint64_t recs_len, picks_len, voids_len, told_len; /* told: split_out.told */
	int64_t nrecs, released, held, units_released, units_held, shipped, cancelled;
	uint32_t warned, notified; /* no hidden padding: every byte written is set */
};

struct counts {
	long orders, released_orders, released, held, shipped, cancelled, warnings,
	    notices;
	int64_t units_released, units_held;
};

struct split_stage {
	const struct split_config *c;
	struct stock st;
	struct split_rules rules;
	struct split_ctx ctx;
	struct manifest man, voids; /* the pick tickets, and what to pull from them */
	struct spool plans;
	struct split_out out;
	struct counts n;
	bool broken; /* a plan broke the law: nothing is written */
	struct buf plan, err;
};

/* The pick tickets' folder, and its void folder beside them. */
static bool
open_manifests(struct split_stage *ss, struct buf *err)
{
	struct buf dir = {0};
	bool ok;

	if (!manifest_open(&ss->man, ss->c->manifest_dir, ss->c->manifest_format, err))
		return false;
	buf_printf(&dir, "%s/" MANIFEST_VOID_DIR, ss->c->manifest_dir);
	ok = manifest_open(&ss->voids, dir.p, MANIFEST_VOID, err);
	buf_free(&dir);
	return ok;
}

/* Every reference file, the manifest folder and the plans spool, before any record is read. */
static bool
load_references(void *self, struct buf *err)
{
	struct split_stage *ss = self;
	const struct split_config *c = ss->c;
	const char *fault = getenv("OMS_SPLIT_FAULT");

	if (c->locations && !stock_load(&ss->st, c->locations, NULL, NULL, err))
		return false;
	if (!split_rules_read(c->rules, &ss->rules, err))
		return false;
	if (c->manifest_dir && !open_manifests(ss, err))
		return false;
	ss->ctx.rules = &ss->rules;
	ss->ctx.st = c->locations ? &ss->st : NULL;
	ss->ctx.picks = c->manifest_dir != NULL;
	ss->ctx.as_of = cli_as_of(c->common);
	ss->ctx.fault_units = fault && strcmp(fault, "units") == 0;
	return spool_open(&ss->plans, err);
}

/* Keep the plan in ss->out; its place, or NO_PLAN when it has nothing. */
static uint64_t
save_plan(struct split_stage *ss, struct stage *sg)
{
	const struct split_out *o = &ss->out;
	struct plan_head h = {o->recs.len, o->picks.len, o->voids.len, o->told.len,
	    o->nrecs, o->released, o->held, o->units_released, o->units_held, o->shipped,
	    o->cancelled, o->warned, o->notified};
	struct spool_rec r = {0};
	uint64_t place;

	if (o->recs.len == 0 && o->picks.len == 0 && o->voids.len == 0 &&
	    o->told.len == 0)
		return NO_PLAN;
	buf_reset(&ss->plan);
	buf_add(&ss->plan, (const char *)&h, sizeof h);
	buf_add(&ss->plan, o->recs.p, o->recs.len);
	buf_add(&ss->plan, o->picks.p, o->picks.len);
	buf_add(&ss->plan, o->voids.p, o->voids.len);
	buf_add(&ss->plan, o->told.p, o->told.len);
	r.text = ss->plan.p;
	r.n = ss->plan.len;
	if ((place = spool_add(&ss->plans, &r)) == SPOOL_FAILED) {
		stage_io_failed(sg);
		return NO_PLAN;
	}
	return place;
}

/* An order: checked, planned as if nothing of it were in the stream yet, kept. */
static void
take_order(struct split_stage *ss, struct stage *sg, const struct rr_item *it,
    const char *order_id)
{
	struct stage_keep k = {order_id, SPOOL_EXPORT, 0, 0};

	buf_reset(&ss->err);
	if (!split_check(&ss->ctx, it->rec, &ss->err)) {
		stream_reject(stage_stream(sg), it, "%s", ss->err.p);
		/* Its shipments are not strays: they pass through as they are. */
		k.role = SPOOL_VOID;
		stage_keep_text(sg, it, "", 0, &k);
		return;
	}
	split_out_reset(&ss->out);
	split_order(&ss->ctx, it->rec, NULL, 0, &ss->out);
	k.tag = save_plan(ss, sg) | (ss->out.broken ? TAG_BROKEN : 0);
	stage_keep(sg, it, &k);
}

/* Is rec a split warning about an order? */
static bool
is_warning(const json_t *rec)
{
	const char *kind = json_string_value(json_object_get(rec, "kind"));

	return kind && strcmp(kind, SPLIT_WARNING_KIND) == 0;
}

static void
take(void *self, struct stage *sg, const struct rr_item *it)
{
	struct split_stage *ss = self;
	const char *type = json_string_value(json_object_get(it->rec, "type"));
	const char *order_id = json_string_value(json_object_get(it->rec, "order_id"));
	struct stage_keep k = {NULL, SPOOL_PLAIN, SPOOL_PASS, 0};

	if (!schema_type(type)) {
		stream_reject(stage_stream(sg), it, "unknown record type \"%s\"", type);
		return;
	}
	if (strcmp(type, "order") == 0 || strcmp(type, "shipment") == 0) {
		if (!order_id || !*order_id) {
			stream_reject(
			    stage_stream(sg), it, "%s without an order_id", type);
			return;
		}
		if (strcmp(type, "order") == 0) {
			take_order(ss, sg, it, order_id);
			return;
		}
		if (!json_string_value(json_object_get(it->rec, "shipment_id"))) {
			stream_reject(
			    stage_stream(sg), it, "shipment without a shipment_id");
			return;
		}
		k = (struct stage_keep){order_id, SPOOL_MEMBER, SPOOL_PASS, M_SHIPMENT};
	} else if (strcmp(type, "notice") == 0 && order_id && is_warning(it->rec)) {
		k = (struct stage_keep){order_id, SPOOL_MEMBER, SPOOL_PASS, M_WARNING};
	} else if (strcmp(type, "tracking") == 0 && order_id && *order_id) {
		/* Resolved by oms-allocate: its order ships it, and it may be consumed. */
		k = (struct stage_keep){order_id, SPOOL_MEMBER, SPOOL_PASS, M_TRACKING};
	}
	stage_keep(sg, it, &k);
}

/* ---- settling: each order with the records that belong to it ---- */

/* Parse the kept record at place; NULL after an error (reported). */
static json_t *
parse_at(struct stage *sg, uint64_t place)
{
	struct spool_item it;

	if (spool_read(stage_spool(sg), place, &it))
		return stage_parse(sg, &it);
	stage_io_failed(sg);
	return NULL;
}

static bool
fate(struct stage *sg, uint64_t place, enum spool_fate f, int64_t aux)
{
	if (spool_set_fate(stage_spool(sg), place, f, aux))
		return true;
	stage_io_failed(sg);
	return false;
}

/* Plan an order again with its shipments and warnings (the members of g[0..n)). */
static bool
replan(struct split_stage *ss, struct stage *sg, const struct spool_entry *order,
    const struct spool_entry *g, size_t n)
{
	json_t *o = parse_at(sg, order->place),
	       **earlier = xcalloc(n + 1, sizeof *earlier);
	size_t ne = 0;
	bool ok = o != NULL;

	for (size_t i = 0; ok && i < n; i++)
		if (g[i].role == SPOOL_MEMBER &&
		    !(earlier[ne++] = parse_at(sg, g[i].place)))
			ok = false;
	if (ok) {
		split_out_reset(&ss->out);
		split_order(&ss->ctx, o, earlier, ne, &ss->out);
		ss->broken = ss->broken || ss->out.broken;
		ok = fate(sg, order->place, SPOOL_KEEP, (int64_t)save_plan(ss, sg));
		for (size_t i = 0, e = 0; ok && i < n; i++)
			if (g[i].role == SPOOL_MEMBER && ss->out.drop[e++])
				ok = fate(sg, g[i].place, SPOOL_CONSUMED, 0);
	}
	for (size_t i = 0; i < ne; i++)
		json_decref(earlier[i]);
	free(earlier);
	json_decref(o);
	return ok;
}

/* A shipment whose order is not in the stream: rejected now, skipped in the replay. */
static bool
reject_orphan(struct stage *sg, uint64_t place)
{
	struct spool_item it;
	struct buf err = {0};
	json_t *j;
	const char *id;

	if (!spool_read(stage_spool(sg), place, &it)) {
		stage_io_failed(sg);
		return false;
	}
	j = jp_parse(it.text, it.n, &err);
	buf_free(&err);
	id = json_string_value(json_object_get(j, "order_id"));
	stage_reject_item(sg, &it,
	    "shipment names order \"%s\", which is not in the stream", id ? id : "?");
	json_decref(j);
	return fate(sg, place, SPOOL_REJECTED, 0);
}

/* Was the key's last export rejected? Then what came before stays as it was. */
static bool
last_export_void(const struct spool_entry *g, size_t n, long won)
{
	for (size_t i = n; i-- > 0;)
		if (g[i].role == SPOOL_VOID)
			return won < 0 || g[i].place > g[won].place;
	return false;
}

/* The records of one order, in stream order. */
static bool
group(void *self, struct stage *sg, const struct spool_entry *g, size_t n)
{
	struct split_stage *ss = self;
	bool failed, members = false;
	long won = spool_last_wins(stage_spool(sg), g, n, &failed);

	if (failed) {
		stage_io_failed(sg);
		return false;
	}
	if (last_export_void(g, n, won))
		return true;
	for (size_t i = 0; i < n; i++)
		members = members || g[i].role == SPOOL_MEMBER;
	if (won < 0) {
		for (size_t i = 0; i < n && !stage_stopped(sg); i++)
			if (g[i].tag == M_SHIPMENT && !reject_orphan(sg, g[i].place))
				return false;
		return true;
	}
	if (members)
		return replan(ss, sg, &g[won], g, n);
	ss->broken = ss->broken || (g[won].tag & TAG_BROKEN);
	return fate(sg, g[won].place, SPOOL_KEEP, (int64_t)(g[won].tag & ~TAG_BROKEN));
}

/* The law broke for an order: nothing is written (status 3). */
static bool
settle(void *self, struct stage *sg)
{
	struct split_stage *ss = self;

	(void)sg;
	if (ss->broken)
		warnmsg("self-check failed, nothing written: the shipments of an order "
			"do not carry its allocated units");
	return !ss->broken;
}

/* ---- replay ---- */

static void
count_plan(struct counts *c, const struct plan_head *h)
{
	c->released_orders += h->released > 0;
	c->released += h->released;
	c->held += h->held;
	c->shipped += h->shipped;
	c->cancelled += h->cancelled;
	c->units_released += h->units_released;
	c->units_held += h->units_held;
	c->warnings += h->warned;
	c->notices += h->notified;
}

/* Write an order's plan after it, and count it. */
static bool
insert_plan(struct split_stage *ss, struct stage *sg, uint64_t place,
    const struct spool_item *order)
{
	struct spool_item p;
	struct plan_head h;
	const char *recs, *picks, *voids, *told, *end, *nl;

	ss->n.orders++;
	if (place == NO_PLAN)
		return true;
	if (!spool_read(&ss->plans, place, &p)) {
		stage_io_failed(sg);
		return false;
	}
	memcpy(&h, p.text, sizeof h);
	recs = p.text + sizeof h;
	stage_insert(sg, recs, h.recs_len, h.nrecs);
	/* Told once, with the plan that is kept: a replanned order's first plan is not. */
	picks = recs + h.recs_len;
	voids = picks + h.picks_len;
	told = voids + h.voids_len;
	end = told + h.told_len;
	for (; (nl = memchr(told, '\n', (size_t)(end - told))) != NULL; told = nl + 1)
		warnmsg("%s:%ld: %.*s", stage_source_name(sg, order->source), order->line,
		    (int)(nl - told), told);
	if (ss->c->manifest_dir &&
	    (!manifest_add(&ss->man, picks, h.picks_len) ||
		!manifest_add(&ss->voids, voids, h.voids_len))) {
		stage_io_failed(sg);
		return false;
	}
	count_plan(&ss->n, &h);
	return true;
}

static bool
replay(void *self, struct stage *sg, const struct spool_item *it)
{
	if (!stage_write(sg, it))
		return false;
	return it->role != SPOOL_EXPORT || it->aux == SPOOL_NO_AUX ||
	    insert_plan(self, sg, (uint64_t)it->aux, it);
}

static bool
finish(void *self, struct stage *sg)
{
	struct split_stage *ss = self;

	(void)sg;
	if (!ss->c->manifest_dir)
		return true;
	buf_reset(&ss->err);
	/* Every location with a ticket has a void list, so none is left from an earlier run. */
	if (manifest_write(&ss->man, ss->ctx.st, &ss->voids, &ss->err) &&
	    manifest_write(&ss->voids, ss->ctx.st, &ss->man, &ss->err))
		return true;
	warnmsg("%s", ss->err.p);
	return false;
}

/* --stats: orders, shipments made and held, units, and the split rate. */
static void
counts(void *self, struct stage *sg, struct buf *out)
{
	const struct counts *c = &((const struct split_stage *)self)->n;

	(void)sg;
	buf_printf(out,
	    "orders=%ld released=%ld held=%ld shipped=%ld cancelled=%ld "
	    "units_released=%" PRId64 " units_held=%" PRId64
	    " notices=%ld warnings=%ld split_rate=",
	    c->orders, c->released, c->held, c->shipped, c->cancelled, c->units_released,
	    c->units_held, c->notices, c->warnings);
	/* Shipments per order, over the orders that had shipments released now. */
	if (c->released_orders)
		buf_printf(out, "%ld.%02ld", c->released / c->released_orders,
		    c->released * 100 / c->released_orders % 100);
	else
		buf_adds(out, "-");
}

/* Release what the stage holds. */
static void
release(void *self)
{
	struct split_stage *ss = self;

	spool_close(&ss->plans);
	manifest_free(&ss->man);
	manifest_free(&ss->voids);
	split_out_free(&ss->out);
	split_rules_free(&ss->rules);
	stock_release(&ss->st);
	buf_free(&ss->plan);
	buf_free(&ss->err);
}

int
split_stage_run(const struct split_config *c, char **paths, int npaths)
{
	static const struct stage_ops ops = {
	    load_references, take, group, settle, replay, finish, counts, release, true};
	struct split_stage ss = {0};

	ss.c = c;
	return stage_run(&ops, &ss, c->common, paths, npaths, NULL, NULL);
}
