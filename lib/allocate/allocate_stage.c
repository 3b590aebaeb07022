/*
 * allocate_stage.c: oms-allocate as a stage. Every order goes into the
 * compact book (book.h), its text kept in the spool; the book settles
 * which export of an order is live (it takes over what an earlier export
 * shipped and was allocated) and holds the tracking records until the
 * book is whole. Then the book is allocated, the laws checked, and each
 * record written back in input order, orders with their allocation.
 */
#include "allocate_stage.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "allocate.h"
#include "book.h"
#include "catalog.h"
#include "json.h"
#include "outfile.h"
#include "schema.h"
#include "stage.h"
#include "stock.h"

/* What a kept record is: an order's tag is its index in the book. */
#define TAG_PASS UINT64_MAX
#define TAG_TRACK (UINT64_C(1) << 32) /* | the tracking record's index */

struct alloc_stage {
	const struct alloc_config *c;
	struct stock st;
	struct book book;
	struct alloc_rules rules;
	struct catalog *catalog;
	struct outfile *inv_out; /* --inventory-out, or NULL */
	struct stage *sg; /* while the stage runs: the book's fetch reads its spool */
	struct buf text, err;
};

/* book.fetch: the text of an order kept earlier, at its place in the spool. */
static bool
fetch(void *ctx, uint64_t at, size_t n, struct buf *out)
{
	struct alloc_stage *as = ctx;
	struct spool_item it;

	if (!spool_read(stage_spool(as->sg), at, &it) || it.n != n)
		return false;
	buf_reset(out);
	buf_add(out, it.text, it.n);
	return true;
}

/* Every reference file, before any record is read: one that cannot be used stops the run. */
static bool
load_references(void *self, struct buf *err)
{
	struct alloc_stage *as = self;
	const struct alloc_config *c = as->c;

	if (!stock_load(&as->st, c->locations, c->inventory, c->packs, err) ||
	    !alloc_rules_read(c->rules, &as->st, &as->rules, err))
		return false;
	if (c->catalog && !(as->catalog = catalog_load(c->catalog, err)))
		return false;
	if (c->inventory_out &&
	    !(as->inv_out = of_open("--inventory-out", c->inventory_out, 0, err)))
		return false;
	book_init(&as->book, &as->st);
	as->book.fetch = fetch;
	as->book.fetch_ctx = as;
	return true;
}

/* Style and color from the catalog for lines without them: size runs group by them. */
static void
fill_groups(struct alloc_stage *as, json_t *order)
{
	json_t *line;
	size_t i;

	json_array_foreach(json_object_get(order, "lines"), i, line) {
		const struct cat_item *c;
		const char *sku = json_string_value(json_object_get(line, "sku"));

		if (!sku || !(c = catalog_sku(as->catalog, sku)))
			continue;
		if (c->style && *c->style && !json_object_get(line, "style"))
			json_object_set_new(line, "style", json_string(c->style));
		if (c->color && *c->color && !json_object_get(line, "color"))
			json_object_set_new(line, "color", json_string(c->color));
	}
}

/* Does the output hold orders only (CSV or TSV)? */
static bool
csv_out(struct stage *sg)
{
	int f = stage_stream(sg)->o->out_fmt;

	return f == FMT_CSV || f == FMT_TSV;
}

static void
take_order(struct alloc_stage *as, struct stage *sg, const struct rr_item *it)
{
	struct stage_keep k = {NULL, SPOOL_PLAIN, 0, 0};
	uint64_t place = stage_spool(sg)->size;
	const char *text;
	size_t n;
	long idx;

	/* The text first: the catalog's style and color only group, they are not written. */
	text = stream_text(it, &as->text, &n);
	if (as->catalog)
		fill_groups(as, it->rec);
	buf_reset(&as->err);
	if ((idx = book_add_order(&as->book, it->rec, text, n, place, &as->err)) < 0) {
		stream_reject(stage_stream(sg), it, "%s", as->err.p);
		return;
	}
	k.tag = (uint64_t)idx;
	stage_keep_text(sg, it, text, n, &k);
}

static void
take(void *self, struct stage *sg, const struct rr_item *it)
{
	struct alloc_stage *as = self;
	const char *type = json_string_value(json_object_get(it->rec, "type"));
	struct stage_keep k = {NULL, SPOOL_PLAIN, SPOOL_PASS, TAG_PASS};

	as->sg = sg;
	if (strcmp(type, "order") == 0) {
		take_order(as, sg, it);
		return;
	}
	if (strcmp(type, "tracking") == 0) {
		book_add_tracking(
		    &as->book, it->rec, it->file, it->line, it->raw, it->raw_len);
		k.tag = TAG_TRACK | (as->book.ntracks - 1);
	} else if (!schema_type(type)) {
		stream_reject(stage_stream(sg), it, "unknown record type \"%s\"", type);
		return;
	} else if (csv_out(sg)) {
		stream_reject(stage_stream(sg), it,
		    "a CSV output holds orders only: write NDJSON to keep this %s record",
		    type);
		return;
	}
	stage_keep(sg, it, &k);
}

static void
reject_tracking(void *ctx, const struct track *t, const char *why)
{
	struct stage *sg = ctx;
	struct rr_item it = {0};

	it.file = t->file;
	it.line = t->line;
	it.raw = t->raw;
	it.raw_len = t->raw_len;
	stream_reject(stage_stream(sg), &it, "%s", why);
}

/*
 * A test hook for the self-check, so that tests can see a broken law stop
 * the output (status 3): OMS_ALLOCATE_FAULT=oversell counts one unit less on
 * hand where units are allocated, =conservation adds units to an allocation
 * that its line does not have, =fulfillment counts one unit too many in
 * every fulfillment, =close (before allocation) closes the first open order
 * with units left to ship. Nothing else reads it.
 */
static void
inject_close_fault(struct book *b)
{
	const char *f = getenv("OMS_ALLOCATE_FAULT");

	if (!f || strcmp(f, "close") != 0)
		return;
	for (size_t i = 0; i < b->norders; i++) {
		struct order *o = &b->orders[i];

		if (book_live(b, i) && o->state == OS_OPEN && o->nlines &&
		    b->lines[o->first_line].shipped < b->lines[o->first_line].qty &&
		    !b->lines[o->first_line].idle) {
			o->state = OS_CLOSED;
			o->closed_now = true;
			return;
		}
	}
}

static void
inject_fault(struct book *b)
{
	const char *f = getenv("OMS_ALLOCATE_FAULT");

	if (f && strcmp(f, "fulfillment") == 0)
		b->fault_units = 1;

	if (f && strcmp(f, "oversell") == 0) {
		for (size_t i = 0; i < b->st->nrows; i++)
			if (b->st->rows[i].allocated > 0) {
				b->st->rows[i].on_hand =
				    b->st->rows[i].safety + b->st->rows[i].allocated - 1;
				return;
			}
	}
	if (f && strcmp(f, "conservation") == 0)
		for (size_t i = 0; i < b->nlines; i++)
			if (b->lines[i].nalloc) {
				b->allocs[b->lines[i].alloc_first].qty +=
				    b->lines[i].qty + 1;
				return;
			}
}

/* The book is whole: tracking applied, stock allocated, the laws checked. */
static bool
settle(void *self, struct stage *sg)
{
	struct alloc_stage *as = self;
	struct alloc_opts ao = {
	    cli_as_of(as->c->common), as->c->explain, as->c->reallocate};

	book_apply_tracking(&as->book, reject_tracking, sg);
	if (stage_stopped(sg))
		return true;
	book_close_shipped(&as->book);
	inject_close_fault(&as->book);
	allocate_run(&as->book, &as->rules, &ao);
	inject_fault(&as->book);
	buf_reset(&as->err);
	if (!allocate_check(&as->book, &as->err)) {
		warnmsg("self-check failed, nothing written: %s", as->err.p);
		return false;
	}
	return true;
}

/* Every record in input order: orders with their allocation, tracking unless rejected. */
static bool
replay(void *self, struct stage *sg, const struct spool_item *it)
{
	struct alloc_stage *as = self;

	if (it->tag == TAG_PASS)
		return stage_write(sg, it);
	if (it->tag & TAG_TRACK) {
		size_t t = (size_t)(it->tag & ~TAG_TRACK);

		if (as->book.tracks[t].rejected)
			return true;
		if (csv_out(sg)) {
			stage_consume(sg);
			return true;
		}
		/* With the order_id and shipment_id it resolved to, for oms-split. */
		buf_reset(&as->text);
		if (!book_render_tracking(&as->book, t, &as->text))
			return stage_write(sg, it);
		return stage_write_text(sg, it, as->text.p, as->text.len);
	}
	if (!book_live(&as->book, it->tag)) {
		stage_consume(sg);
		return true;
	}
	buf_reset(&as->text);
	if (!book_render(&as->book, it->tag, it->text, it->n, &as->text)) {
		warnmsg("cannot splice an order's text");
		stage_fail(sg);
		return false;
	}
	return stage_write_text(sg, it, as->text.p, as->text.len);
}

static bool
finish(void *self, struct stage *sg)
{
	struct alloc_stage *as = self;

	(void)sg;
	if (!as->inv_out || allocate_write_inventory(&as->st, as->inv_out->f))
		return true;
	warnmsg("%s: %s", as->c->inventory_out, strerror(errno ? errno : EIO));
	return false;
}

/* --stats counts: the book's units, then by channel (sorted by name). */
static void
counts(void *self, struct stage *sg, struct buf *out)
{
	struct alloc_stage *as = self;
	size_t n, *order;
	struct channel_units *c = allocate_units(&as->book, &n), all = {0};

	(void)sg;
	for (size_t i = 0; i < n; i++) {
		all.orders += c[i].orders;
		all.demanded += c[i].demanded;
		all.allocated += c[i].allocated;
		all.backordered += c[i].backordered;
		all.unallocated += c[i].unallocated;
	}
	order = xmalloc((n + 1) * sizeof *order);
	for (size_t i = 0; i < n; i++) {
		size_t j = i;

		for (; j > 0 &&
		     strcmp(intern_name(&as->st.channels, (uint32_t)order[j - 1]),
			 intern_name(&as->st.channels, (uint32_t)i)) > 0;
		     j--)
			order[j] = order[j - 1];
		order[j] = i;
	}
	for (size_t k = 0; k <= n; k++) {
		const struct channel_units *u = k == 0 ? &all : &c[order[k - 1]];
		const char *name =
		    k == 0 ? "" : intern_name(&as->st.channels, (uint32_t)order[k - 1]);
		const char *dot = k == 0 ? "" : ".";

		/* An order without a channel is counted under "unknown". */
		if (k && !*name)
			name = "unknown";

		if (k && !u->orders)
			continue;
		buf_printf(out,
		    "%s%s%sorders=%" PRId64 " %s%sdemanded=%" PRId64
		    " %s%sallocated=%" PRId64 " %s%sbackordered=%" PRId64
		    " %s%sunallocated=%" PRId64 " %s%sfill=",
		    k ? " " : "", name, dot, u->orders, name, dot, u->demanded, name, dot,
		    u->allocated, name, dot, u->backordered, name, dot, u->unallocated,
		    name, dot);
		if (u->demanded)
			buf_printf(out, "%" PRId64 ".%" PRId64 "%%",
			    u->allocated * 1000 / u->demanded / 10,
			    u->allocated * 1000 / u->demanded % 10);
		else
			buf_adds(out, "-");
	}
	free(order);
	free(c);
}

/* Release what the stage holds. */
static void
release(void *self)
{
	struct alloc_stage *as = self;

	book_free(&as->book);
	alloc_rules_free(&as->rules);
	stock_release(&as->st);
	catalog_free(as->catalog);
	buf_free(&as->text);
	buf_free(&as->err);
}

int
alloc_stage_run(const struct alloc_config *c, char **paths, int npaths)
{
	static const struct stage_ops ops = {
	    load_references, take, NULL, settle, replay, finish, counts, release, true};
	struct alloc_stage as = {0};

	as.c = c;
	return stage_run(&ops, &as, c->common, paths, npaths, NULL, NULL);
}
