/*
 * oms-split: allocated orders into shipments, one per order and location,
 * released or held by the rules; pick tickets per location; notices for
 * orders that ship in pieces.
 *
 * The stream is read once into a spool. Each order is planned as it comes,
 * as if no shipment of it were in the stream. An entry per order, shipment
 * and warning (its order's key and its place) is sorted in bounded memory
 * (runs.h), which brings each order together with the records that belong
 * to it; only an order that has some is planned again, with them. The
 * spool is then replayed in input order with each order's new records
 * after it. Memory stays flat whatever the stream's size.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "json.h"
#include "lastwins.h"
#include "pick.h"
#include "runs.h"
#include "schema.h"
#include "split.h"
#include "stock.h"
#include "stream.h"

enum { OPT_LOCATIONS = OPT_TOOL, OPT_MANIFEST_DIR, OPT_MANIFEST_FORMAT, OPT_RULES };

struct opts {
	struct oms_opts common;
	const char *locations, *manifest_dir, *rules;
	enum manifest_format manifest_format;
};

/* What a spooled record is; K_REJECTED marks an order that was rejected (not spooled). */
enum kind { K_PASS, K_ORDER, K_SHIPMENT, K_WARNING, K_REJECTED };

/* A spooled record: its text follows. */
struct spooled {
	uint32_t len;
	uint32_t kind;
	int64_t line;
	const char *file; /* the input's name, alive until the stream closes */
};

/* What becomes of a spooled record (run_entry.a of a fate). */
enum fate { F_CONSUME = 1, F_REJECTED, F_INSERT };

/*
 * An index entry: k1 the hash of its order_id, k2 the record's place in the
 * spool, line the place of an order's plan, a its kind (with ENTRY_BROKEN
 * when the plan broke the law) and b a second, independent hash of the
 * order_id, so that two orders whose first hashes collide are told apart.
 */
#define ENTRY_BROKEN 0x100u

/* The head of an order's plan in the gen file: its records, then its pick rows. */
struct gen_head {
	uint64_t recs_len, picks_len, told_len; /* told: split_out.told */
	int64_t nrecs, released, held, units_released, units_held;
	uint32_t warned, notified; /* no hidden padding: every byte written is set */
};

#define NO_GEN UINT64_MAX
#define RUN_ENTRIES (1u << 16)

struct counts {
	long orders, released_orders, released, held, warnings, notices;
	int64_t units_released, units_held;
};

struct splitter {
	const struct opts *o;
	struct stock st;
	struct split_rules rules;
	struct split_ctx ctx;
	struct manifest man;
	FILE *spool, *gen;
	char *spool_buf, *gen_buf; /* their stdio buffers: large, as both are big files */
	uint64_t spooled, genned;
	uint64_t gen_next; /* replay: where the gen file is read next */
	struct runs index, fates;
	struct stream stream, *s;
	struct split_out out;
	struct counts n;
	struct buf text, err, a, b;
};

static const char usage_text[] =
    "usage: oms-split [-h] [-i format] [-O file] [--as-of date] [--locations file]\n"
    "                 [--manifest-dir dir] [--manifest-format oms|shipstation]\n"
    "                 [--rejects file] [--rules file] [--stats] [--strict]\n"
    "                 [--version] [file ...]\n";

static void
usage(FILE *f)
{
	msg_print(f, usage_text);
	if (f == stdout)
		fputs("\nTurn allocated orders into shipments, one per order and "
		      "location,\nreleased or held by the rules' split section; pass "
		      "every record\nthrough, each order followed by its new shipments "
		      "and notices.\n\n"
		      "      --locations FILE       check allocations against the "
		      "locations;\n"
		      "                             their priority orders an order's "
		      "shipments\n"
		      "      --rules FILE           the split section: partial, "
		      "max_shipments\n"
		      "      --manifest-dir DIR     write a pick ticket per location, "
		      "LOCATION.csv\n"
		      "      --manifest-format FMT  oms (default) or shipstation\n"
		      "  (output is NDJSON: a stream of orders, shipments and "
		      "notices)\n" CLI_OPTIONS_HELP,
		    f);
}

static enum cli_result
take_option(void *ctx, int c, const char *arg)
{
	struct opts *o = ctx;

	switch (c) {
	case OPT_LOCATIONS:
		o->locations = arg;
		break;
	case OPT_MANIFEST_DIR:
		o->manifest_dir = arg;
		break;
	case OPT_MANIFEST_FORMAT:
		if (!manifest_format_parse(arg, &o->manifest_format)) {
			warnmsg(
			    "--manifest-format: \"%s\" is not oms or shipstation", arg);
			return CLI_BAD;
		}
		break;
	case OPT_RULES:
		o->rules = arg;
		break;
	default:
		return CLI_NOT_MINE;
	}
	return CLI_OK;
}

static int
parse_options(int argc, char **argv, struct opts *o)
{
	static const struct option longopts[] = {
	    CLI_LONG,
	    {"locations", required_argument, NULL, OPT_LOCATIONS},
	    {"manifest-dir", required_argument, NULL, OPT_MANIFEST_DIR},
	    {"manifest-format", required_argument, NULL, OPT_MANIFEST_FORMAT},
	    {"rules", required_argument, NULL, OPT_RULES},
	    {NULL, 0, NULL, 0},
	};
	int status = cli_parse(
	    &o->common, "oms-split", argc, argv, longopts, take_option, usage, o);

	if (status >= 0)
		return status;
	if (!cli_ndjson_only(&o->common, "orders, shipments and notices"))
		return EXIT_USAGE;
	return -1;
}

/* Every reference file and the manifest folder, before any record is read. */
static bool
load_references(struct splitter *sp, struct buf *err)
{
	const struct opts *o = sp->o;

	if (o->locations && !stock_load(&sp->st, o->locations, NULL, NULL, err))
		return false;
	if (!split_rules_read(o->rules, &sp->rules, err))
		return false;
	if (o->manifest_dir &&
	    !manifest_open(&sp->man, o->manifest_dir, o->manifest_format, err))
		return false;
	if (!(sp->spool = temp_file_buffered(&sp->spool_buf, err)) ||
	    !(sp->gen = temp_file_buffered(&sp->gen_buf, err)))
		return false;
	sp->ctx.rules = &sp->rules;
	sp->ctx.st = o->locations ? &sp->st : NULL;
	sp->ctx.picks = o->manifest_dir != NULL;
	sp->ctx.fault_units =
	    getenv("OMS_SPLIT_FAULT") && strcmp(getenv("OMS_SPLIT_FAULT"), "units") == 0;
	runs_init(&sp->index, RUN_ENTRIES);
	runs_init(&sp->fates, RUN_ENTRIES);
	return true;
}

static void
io_failed(struct splitter *sp)
{
	warnmsg("temporary file: %s", strerror(errno ? errno : EIO));
	sp->s->failed = true;
}

/* Spool a record; its place, or UINT64_MAX after an I/O error. */
static uint64_t
spool(struct splitter *sp, enum kind k, const struct rr_item *it, const char *text,
    size_t n)
{
	struct spooled h = {(uint32_t)n, k, it->line, it->file};
	uint64_t at = sp->spooled;

	if (fwrite(&h, sizeof h, 1, sp->spool) != 1 ||
	    fwrite(text, 1, n, sp->spool) != n) {
		io_failed(sp);
		return UINT64_MAX;
	}
	sp->spooled += sizeof h + n;
	return at;
}

/* fwrite of n bytes; an empty buffer (p may be NULL) writes nothing. */
static bool
write_all(FILE *f, const void *p, size_t n)
{
	return n == 0 || fwrite(p, 1, n, f) == n;
}

/* Write the plan in sp->out to the gen file; its place, or NO_GEN when it has nothing. */
static uint64_t
save_plan(struct splitter *sp)
{
	const struct split_out *o = &sp->out;
	struct gen_head h = {o->recs.len, o->picks.len, o->told.len, o->nrecs,
	    o->released, o->held, o->units_released, o->units_held, o->warned,
	    o->notified};
	uint64_t at = sp->genned;

	if (o->recs.len == 0 && o->picks.len == 0 && o->told.len == 0)
		return NO_GEN;
	if (!write_all(sp->gen, &h, sizeof h) ||
	    !write_all(sp->gen, o->recs.p, o->recs.len) ||
	    !write_all(sp->gen, o->picks.p, o->picks.len) ||
	    !write_all(sp->gen, o->told.p, o->told.len)) {
		io_failed(sp);
		return NO_GEN;
	}
	sp->genned += sizeof h + o->recs.len + o->picks.len + o->told.len;
	return at;
}

static enum kind
entry_kind(const struct run_entry *e)
{
	return (enum kind)(e->a & 0xffu);
}

static void
index_add(struct splitter *sp, const char *order_id, enum kind k, uint64_t at,
    uint64_t gen, bool broken)
{
	size_t n = strlen(order_id);
	struct run_entry e = {lw_key_hash(order_id, n), at, (int64_t)gen,
	    k | (broken ? ENTRY_BROKEN : 0), lw_key_hash2(order_id, n)};

	if (at != UINT64_MAX && !runs_add(&sp->index, &e))
		io_failed(sp);
}

/* An order: checked, planned as if nothing of it were in the stream yet, spooled. */
static void
take_order(struct splitter *sp, const struct rr_item *it, const char *order_id)
{
	const char *text;
	uint64_t gen;
	size_t n;

	buf_reset(&sp->err);
	if (!split_check(&sp->ctx, it->rec, &sp->err)) {
		stream_reject(sp->s, it, "%s", sp->err.p);
		/* Its shipments are not strays: they pass through as they are. */
		index_add(sp, order_id, K_REJECTED, sp->spooled, NO_GEN, false);
		return;
	}
	split_out_reset(&sp->out);
	split_order(&sp->ctx, it->rec, NULL, 0, &sp->out);
	gen = save_plan(sp);
	text = stream_text(it, &sp->text, &n);
	index_add(
	    sp, order_id, K_ORDER, spool(sp, K_ORDER, it, text, n), gen, sp->out.broken);
}

static void
take_record(struct splitter *sp, const struct rr_item *it)
{
	const char *type = json_string_value(json_object_get(it->rec, "type"));
	const char *order_id = json_string_value(json_object_get(it->rec, "order_id"));
	const char *text;
	enum kind k = K_PASS;
	size_t n;

	if (!schema_type(type)) {
		stream_reject(sp->s, it, "unknown record type \"%s\"", type);
		return;
	}
	if (strcmp(type, "order") == 0 || strcmp(type, "shipment") == 0) {
		if (!order_id || !*order_id) {
			stream_reject(sp->s, it, "%s without an order_id", type);
			return;
		}
		if (strcmp(type, "order") == 0) {
			take_order(sp, it, order_id);
			return;
		}
		if (!json_string_value(json_object_get(it->rec, "shipment_id"))) {
			stream_reject(sp->s, it, "shipment without a shipment_id");
			return;
		}
		k = K_SHIPMENT;
	} else if (strcmp(type, "notice") == 0 && order_id &&
	    json_string_value(json_object_get(it->rec, "kind")) &&
	    strcmp(json_string_value(json_object_get(it->rec, "kind")),
		SPLIT_WARNING_KIND) == 0) {
		k = K_WARNING;
	}
	text = stream_text(it, &sp->text, &n);
	if (k == K_PASS)
		spool(sp, k, it, text, n);
	else
		index_add(sp, order_id, k, spool(sp, k, it, text, n), NO_GEN, false);
}

/* ---- settling: each order with the records that belong to it ---- */

static bool
read_at(FILE *f, uint64_t at, void *p, size_t n)
{
	return fflush(f) == 0 && pread(fileno(f), p, n, (off_t)at) == (ssize_t)n;
}

/* The spooled record at at: its head into *h, its text into out. */
static bool
read_spooled(struct splitter *sp, uint64_t at, struct spooled *h, struct buf *out)
{
	if (!read_at(sp->spool, at, h, sizeof *h))
		return false;
	buf_reset(out);
	buf_grow(out, h->len);
	if (!read_at(sp->spool, at + sizeof *h, out->p, h->len))
		return false;
	out->len = h->len;
	out->p[h->len] = '\0';
	return true;
}

static void
fate(struct splitter *sp, uint64_t at, enum fate f, uint64_t gen)
{
	struct run_entry e = {at, 0, (int64_t)gen, f, 0};

	if (!runs_add(&sp->fates, &e))
		io_failed(sp);
}

/* Parse the spooled record at at; NULL after an I/O error (reported). */
static json_t *
parse_at(struct splitter *sp, uint64_t at)
{
	struct spooled h;
	json_t *j;

	if (!read_spooled(sp, at, &h, &sp->a)) {
		io_failed(sp);
		return NULL;
	}
	buf_reset(&sp->err);
	/* Brought to its kinds as the reader brought it when it was read, so it plans the same. */
	if (!(j = jp_parse(sp->a.p, sp->a.len, &sp->err)) ||
	    !schema_coerce(j, schema_type(json_string_value(json_object_get(j, "type"))),
		&sp->err)) {
		warnmsg(
		    "temporary file: a spooled record does not read back: %s", sp->err.p);
		sp->s->failed = true;
		json_decref(j);
		return NULL;
	}
	return j;
}

/* The law broke for an order: nothing is written (status 3). */
static void
self_check_failed(struct splitter *sp)
{
	if (!sp->s->broken)
		warnmsg("self-check failed, nothing written: the shipments of an order "
			"do not carry its allocated units");
	sp->s->broken = true;
}

/* A record that belongs to an order: one of its shipments, or a warning about them. */
static bool
belongs(const struct run_entry *e)
{
	return entry_kind(e) == K_SHIPMENT || entry_kind(e) == K_WARNING;
}

/* Plan an order again with its shipments and warnings (those of group[0..n), in stream order). */
static void
replan(struct splitter *sp, const struct run_entry *order, const struct run_entry *group,
    size_t n)
{
	json_t *o = parse_at(sp, order->k2), **earlier = xcalloc(n + 1, sizeof *earlier);
	size_t ne = 0;

	for (size_t i = 0; o && i < n; i++)
		if (belongs(&group[i]) && !(earlier[ne++] = parse_at(sp, group[i].k2)))
			break;
	if (o && !sp->s->failed) {
		split_out_reset(&sp->out);
		split_order(&sp->ctx, o, earlier, ne, &sp->out);
		if (sp->out.broken)
			self_check_failed(sp);
		fate(sp, order->k2, F_INSERT, save_plan(sp));
		for (size_t i = 0, e = 0; i < n; i++)
			if (belongs(&group[i]) && sp->out.drop[e++])
				fate(sp, group[i].k2, F_CONSUME, 0);
	}
	for (size_t i = 0; i < ne; i++)
		json_decref(earlier[i]);
	free(earlier);
	json_decref(o);
}

/* A shipment whose order is not in the stream: rejected now, skipped in the replay. */
static void
reject_orphan(struct splitter *sp, uint64_t at)
{
	struct rr_item it = {0};
	struct spooled h;
	json_t *j;
	const char *id;

	if (!read_spooled(sp, at, &h, &sp->a)) {
		io_failed(sp);
		return;
	}
	j = jp_parse(sp->a.p, sp->a.len, &sp->err);
	id = json_string_value(json_object_get(j, "order_id"));
	it.file = h.file;
	it.line = h.line;
	it.raw = sp->a.p;
	it.raw_len = sp->a.len;
	stream_reject(sp->s, &it,
	    "shipment names order \"%s\", which is not in the stream", id ? id : "?");
	json_decref(j);
	fate(sp, at, F_REJECTED, 0);
}

/* Settle the records of one order (entries in stream order). */
static void
settle_order(struct splitter *sp, const struct run_entry *g, size_t n)
{
	const struct run_entry *last = NULL, *rejected = NULL;
	bool partners = false;

	for (size_t i = 0; i < n; i++) {
		if (entry_kind(&g[i]) == K_ORDER) {
			/* A later one supersedes it. */
			if (last)
				fate(sp, last->k2, F_CONSUME, 0);
			last = &g[i];
		}
		partners = partners || belongs(&g[i]);
		if (entry_kind(&g[i]) == K_REJECTED)
			rejected = &g[i];
	}
	/* The order's last export was rejected: what came before stays as it was. */
	if (rejected && (!last || rejected->k2 > last->k2))
		return;
	if (!last) {
		for (size_t i = 0; i < n && !sp->s->stopped; i++)
			if (entry_kind(&g[i]) == K_SHIPMENT)
				reject_orphan(sp, g[i].k2);
		return;
	}
	if (!partners && (last->a & ENTRY_BROKEN))
		self_check_failed(sp);
	if (!partners)
		fate(sp, last->k2, F_INSERT, (uint64_t)last->line);
	else
		replan(sp, last, g, n);
}

/* By the second hash, then in stream order. */
static int
cmp_second(const void *a, const void *b)
{
	const struct run_entry *x = a, *y = b;

	if (x->b != y->b)
		return x->b < y->b ? -1 : 1;
	return x->k2 < y->k2 ? -1 : x->k2 > y->k2;
}

/* Settle the records of one first hash: one order, unless two ids collide there. */
static void
settle_group(struct splitter *sp, struct run_entry *g, size_t n)
{
	size_t from = 0;

	for (size_t i = 1; i < n; i++)
		if (g[i].b != g[0].b) {
			qsort(g, n, sizeof *g, cmp_second);
			break;
		}
	for (size_t i = 1; i <= n; i++)
		if (i == n || g[i].b != g[from].b) {
			settle_order(sp, g + from, i - from);
			from = i;
		}
}

static bool
settle(struct splitter *sp)
{
	struct run_entry e, *g = NULL;
	size_t n = 0, cap = 0;
	bool failed = false;

	if (!runs_merge(&sp->index)) {
		io_failed(sp);
		return false;
	}
	while (!sp->s->failed && !sp->s->stopped && runs_next(&sp->index, &e, &failed)) {
		if (n && g[0].k1 != e.k1) {
			settle_group(sp, g, n);
			n = 0;
		}
		if (n == cap) {
			cap = cap ? 2 * cap : 16;
			g = xrealloc(g, cap * sizeof *g);
		}
		g[n++] = e;
	}
	if (n && !sp->s->failed && !sp->s->stopped)
		settle_group(sp, g, n);
	free(g);
	if (failed)
		io_failed(sp);
	if (!sp->s->failed && !runs_merge(&sp->fates))
		io_failed(sp);
	return !sp->s->failed;
}

/* ---- replay ---- */

static void
emit(struct splitter *sp, const char *text, size_t n)
{
	sp->s->n.out++;
	fwrite(text, 1, n, sp->s->out->f);
	fputc('\n', sp->s->out->f);
}

/* Write an order's plan after it, and count it. */
static void
insert_plan(struct splitter *sp, uint64_t gen, const struct spooled *order)
{
	struct gen_head h;
	struct counts *c = &sp->n;
	size_t len;

	c->orders++;
	if (gen == NO_GEN)
		return;
	/* Plans were written in input order, so most are read in turn; a replan is sought. */
	if ((gen != sp->gen_next && fseeko(sp->gen, (off_t)gen, SEEK_SET) != 0) ||
	    fread(&h, sizeof h, 1, sp->gen) != 1) {
		io_failed(sp);
		return;
	}
	len = (size_t)(h.recs_len + h.picks_len + h.told_len);
	buf_reset(&sp->b);
	buf_grow(&sp->b, len);
	if (fread(sp->b.p, 1, len, sp->gen) != len) {
		io_failed(sp);
		return;
	}
	sp->b.len = len;
	sp->b.p[len] = '\0';
	sp->gen_next = gen + sizeof h + len;
	fwrite(sp->b.p, 1, h.recs_len, sp->s->out->f);
	/* Told once, with the plan that is kept: a replanned order's first plan is not. */
	for (char *t = sp->b.p + h.recs_len + h.picks_len, *nl;
	     (nl = strchr(t, '\n')) != NULL; t = nl + 1) {
		*nl = '\0';
		warnmsg("%s:%ld: %s", order->file, (long)order->line, t);
	}
	sp->s->n.out += h.nrecs;
	sp->s->n.created += h.nrecs;
	if (sp->o->manifest_dir &&
	    !manifest_add(&sp->man, sp->b.p + h.recs_len, h.picks_len))
		io_failed(sp);
	c->released_orders += h.released > 0;
	c->released += h.released;
	c->held += h.held;
	c->units_released += h.units_released;
	c->units_held += h.units_held;
	c->warnings += h.warned;
	c->notices += h.notified;
}

/* The next spooled record, read in order. */
static bool
read_next(struct splitter *sp, struct spooled *h, struct buf *out)
{
	if (fread(h, sizeof *h, 1, sp->spool) != 1)
		return false;
	buf_reset(out);
	buf_grow(out, h->len);
	if (fread(out->p, 1, h->len, sp->spool) != h->len)
		return false;
	out->len = h->len;
	out->p[h->len] = '\0';
	return true;
}

static void
replay(struct splitter *sp)
{
	struct stream *s = sp->s;
	struct run_entry next;
	bool have = false, failed = false;
	struct spooled h;

	if (fflush(sp->spool) != 0 || fseek(sp->spool, 0, SEEK_SET) != 0 ||
	    fflush(sp->gen) != 0 || fseek(sp->gen, 0, SEEK_SET) != 0) {
		io_failed(sp);
		return;
	}
	have = runs_next(&sp->fates, &next, &failed);
	for (uint64_t at = 0; at < sp->spooled && !s->failed && !s->stopped;
	     at += sizeof h + h.len) {
		enum fate f = have && next.k1 == at ? (enum fate)next.a : 0;
		uint64_t gen = f ? (uint64_t)next.line : 0;

		if (!read_next(sp, &h, &sp->a)) {
			io_failed(sp);
			break;
		}
		if (f)
			have = runs_next(&sp->fates, &next, &failed);
		if (f == F_CONSUME) {
			s->n.consumed++;
		} else if (f == F_REJECTED) {
			continue; /* rejected when the stream was settled */
		} else {
			if (h.kind != K_ORDER)
				s->n.passed++;
			emit(sp, sp->a.p, sp->a.len);
			if (f == F_INSERT)
				insert_plan(sp, gen, &h);
		}
	}
	if (failed)
		io_failed(sp);
}

/* --stats: orders, shipments made and held, units, and the split rate. */
static void
tool_counts(const struct splitter *sp, struct buf *out)
{
	const struct counts *c = &sp->n;

	buf_printf(out,
	    "orders=%ld released=%ld held=%ld units_released=%" PRId64
	    " units_held=%" PRId64 " notices=%ld warnings=%ld split_rate=",
	    c->orders, c->released, c->held, c->units_released, c->units_held, c->notices,
	    c->warnings);
	/* Shipments per order, over the orders that had shipments released now. */
	if (c->released_orders)
		buf_printf(out, "%ld.%02ld", c->released / c->released_orders,
		    c->released * 100 / c->released_orders % 100);
	else
		buf_adds(out, "-");
}

static int
run(struct splitter *sp, int argc, char **argv)
{
	struct stream *s = &sp->stream;
	struct rr_item it;
	struct buf counts = {0};
	int status;

	if ((status = stream_open(s, &sp->o->common, argv, argc, NULL, NULL)) != 0)
		return status;
	sp->s = s;
	while (stream_next(s, &it)) {
		take_record(sp, &it);
		json_decref(it.rec);
	}
	if (!s->failed && !s->stopped && settle(sp) && !s->stopped && !s->broken)
		replay(sp);
	if (sp->o->manifest_dir && !s->failed && !s->stopped && !s->broken) {
		buf_reset(&sp->err);
		if (!manifest_write(&sp->man, sp->ctx.st, &sp->err)) {
			warnmsg("%s", sp->err.p);
			s->failed = true;
		}
	}
	if (sp->o->common.stats && !s->failed)
		tool_counts(sp, &counts);
	/* The tickets go in place with the records: the book says what was released. */
	status = stream_close(s, counts.p);
	buf_free(&counts);
	return status;
}

int
main(int argc, char **argv)
{
	struct opts o = {0};
	struct splitter sp = {0};
	int status;

	if ((status = parse_options(argc, argv, &o)) >= 0)
		return status;
	sp.o = &o;
	if (!load_references(&sp, &sp.err)) {
		warnmsg("%s", sp.err.p);
		status = EXIT_USAGE;
	} else {
		status = run(&sp, argc - optind, argv + optind);
	}
	if (sp.spool)
		fclose(sp.spool);
	if (sp.gen)
		fclose(sp.gen);
	free(sp.spool_buf);
	free(sp.gen_buf);
	runs_free(&sp.index);
	runs_free(&sp.fates);
	manifest_free(&sp.man);
	split_out_free(&sp.out);
	split_rules_free(&sp.rules);
	stock_release(&sp.st);
	schema_free();
	buf_free(&sp.text);
	buf_free(&sp.err);
	buf_free(&sp.a);
	buf_free(&sp.b);
	return status;
}
