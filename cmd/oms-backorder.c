/*
 * oms-backorder: backordered units matched, in the ranking of
 * oms-allocate, to the earliest supply that covers them; a backorder
 * record per line, ETA notices, and the shortfall per SKU.
 *
 * The stream is read once into a spool; each open order with backordered
 * lines leaves a compact entry (its ranking values and lines), every order
 * a pair of hashes of its id. When the stream ends, later exports of an
 * order supersede earlier ones, the lines are matched to supply SKU by SKU
 * in rank order, the laws are checked, and the spool is replayed with
 * each order's backorder records and notices after it. Old backorder
 * records and ETA notices are consumed: they are made again.
 */
/* realpath and strndup: POSIX, but glibc declares realpath only for X/Open. */
#define _XOPEN_SOURCE 700

#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "backorder.h"
#include "cli.h"
#include "json.h"
#include "lastwins.h"
#include "outfile.h"
#include "schema.h"
#include "stream.h"

enum { OPT_LOCATIONS = OPT_TOOL, OPT_PREVIOUS, OPT_RULES, OPT_SHORTFALL, OPT_SUPPLY };

struct opts {
	struct oms_opts common;
	const char *locations, *previous, *rules, *shortfall, *supply;
};

/* A spooled record: its text follows. */
struct spooled {
	uint32_t len;
	uint32_t bo; /* its entry in the backorders, BO_NONE when it has none */
	int64_t line;
	uint32_t order; /* an order record: 1 */
	uint32_t pad;
};

/* An order's id, as two hashes, and its place in the spool. */
struct seen {
	uint64_t h1, at;
	uint32_t h2, pad;
};

struct run {
	const struct opts *o;
	struct bo_rules rules;
	struct backorders b;
	struct supplies sup;
	struct stock st;
	struct bo_previous prev;
	struct outfile *shortfall; /* --shortfall, or NULL */
	FILE *spool;
	char *spool_buf;
	uint64_t spooled;
	struct seen *seen;
	size_t nseen, seen_cap;
	uint64_t *gone; /* places of superseded orders, in order */
	size_t ngone;
	struct stream *s;
	struct bo_counts n;
	long orders;
	struct buf text, err, a, out;
};

static const char usage_text[] =
    "usage: oms-backorder [-h] [-i format] [-O file] [--as-of date]\n"
    "                     [--locations file] [--previous file] [--rejects file]\n"
    "                     [--rules file] [--shortfall file] [--stats] [--strict]\n"
    "                     [--supply file] [--version] [file ...]\n";

static void
usage(FILE *f)
{
	msg_print(f, usage_text);
	if (f == stdout)
		fputs(
		    "\nMatch each backordered unit of the open orders, in the ranking "
		    "of\n"
		    "oms-allocate, to the earliest supply that covers it; write a\n"
		    "backorder record per backordered line, with its eta, after its\n"
		    "order, and ETA notices for the customer.\n\n"
		    "      --supply FILE     supply.csv: purchase orders and production\n"
		    "      --locations FILE  a supply at a location serves only its "
		    "channels\n"
		    "      --rules FILE      backorder: receiving_days, holidays; "
		    "allocate: sort\n"
		    "      --previous FILE   last run's backorder records: notices only "
		    "for\n"
		    "                        new lines and changed etas\n"
		    "      --shortfall FILE  write a CSV row per SKU of demand no supply "
		    "covers\n"
		    "  (output is NDJSON: orders and the other records as they came, "
		    "with\n  backorder records and notices)\n" CLI_OPTIONS_HELP,
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
	case OPT_PREVIOUS:
		o->previous = arg;
		break;
	case OPT_RULES:
		o->rules = arg;
		break;
	case OPT_SHORTFALL:
		o->shortfall = arg;
		break;
	case OPT_SUPPLY:
		o->supply = arg;
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
	    {"previous", required_argument, NULL, OPT_PREVIOUS},
	    {"rules", required_argument, NULL, OPT_RULES},
	    {"shortfall", required_argument, NULL, OPT_SHORTFALL},
	    {"supply", required_argument, NULL, OPT_SUPPLY},
	    {NULL, 0, NULL, 0},
	};
	int status = cli_parse(
	    &o->common, "oms-backorder", argc, argv, longopts, take_option, usage, o);

	if (status >= 0)
		return status;
	if (o->shortfall && strcmp(o->shortfall, "-") == 0) {
		warnmsg("--shortfall: name a file; standard output carries the records");
		return EXIT_USAGE;
	}
	if (!cli_ndjson_only(&o->common, "orders, backorders and notices"))
		return EXIT_USAGE;
	return -1;
}

/* Every reference file, and the shortfall file, before any record is read. */
static bool
load_references(struct run *r, struct buf *err)
{
	const struct opts *o = r->o;
	struct supply_calendar cal;

	if (!bo_rules_load(o->rules, &r->rules, err))
		return false;
	bo_init(&r->b, &r->rules);
	if (o->locations && !stock_load(&r->st, o->locations, NULL, NULL, err))
		return false;
	cal = (struct supply_calendar){
	    &r->rules.days, r->rules.receiving_days, cli_as_of(&o->common)};
	if (o->supply &&
	    !supply_load(
		&r->sup, o->supply, &r->b.skus, o->locations ? &r->st : NULL, &cal, err))
		return false;
	if (o->previous && !bo_previous_load(&r->prev, o->previous, err))
		return false;
	if (o->shortfall &&
	    !(r->shortfall = of_open("--shortfall", o->shortfall, 0, err)))
		return false;
	return (r->spool = temp_file_buffered(&r->spool_buf, err)) != NULL;
}

static void
io_failed(struct run *r)
{
	warnmsg("temporary file: %s", strerror(errno ? errno : EIO));
	r->s->failed = true;
}

static void
spool(struct run *r, const struct rr_item *it, uint32_t bo, bool order)
{
	size_t n;
	const char *text = stream_text(it, &r->text, &n);
	struct spooled h = {(uint32_t)n, bo, it->line, order, 0};

	if (fwrite(&h, sizeof h, 1, r->spool) != 1 || fwrite(text, 1, n, r->spool) != n) {
		io_failed(r);
		return;
	}
	r->spooled += sizeof h + n;
}

static void
saw_order(struct run *r, const char *id)
{
	size_t n = strlen(id);

	if (r->nseen == r->seen_cap) {
		r->seen_cap = r->seen_cap ? 2 * r->seen_cap : 4096;
		r->seen = xrealloc(r->seen, r->seen_cap * sizeof *r->seen);
	}
	r->seen[r->nseen++] =
	    (struct seen){lw_key_hash(id, n), r->spooled, lw_key_hash2(id, n), 0};
}

static void
take_order(struct run *r, const struct rr_item *it)
{
	const char *id = json_string_value(json_object_get(it->rec, "order_id"));
	uint32_t bo = BO_NONE;

	if (!id || !*id) {
		stream_reject(r->s, it, "order without an order_id");
		return;
	}
	buf_reset(&r->err);
	if (bo_add_order(&r->b, it->rec, &bo, &r->err) == BO_REJECTED) {
		stream_reject(r->s, it, "%s", r->err.p);
		return;
	}
	saw_order(r, id);
	spool(r, it, bo, true);
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
take_record(struct run *r, const struct rr_item *it)
{
	const char *type = json_string_value(json_object_get(it->rec, "type"));

	if (!schema_type(type)) {
		stream_reject(r->s, it, "unknown record type \"%s\"", type);
		return;
	}
	if (strcmp(type, "order") == 0)
		take_order(r, it);
	else if (ours(it->rec, type))
		r->s->n.consumed++;
	else
		spool(r, it, BO_NONE, false);
}

/* ---- settling ---- */

static int
cmp_seen(const void *pa, const void *pb)
{
	const struct seen *a = pa, *b = pb;

	if (a->h1 != b->h1)
		return a->h1 < b->h1 ? -1 : 1;
	if (a->h2 != b->h2)
		return a->h2 < b->h2 ? -1 : 1;
	return (a->at > b->at) - (a->at < b->at);
}

static int
cmp_place(const void *pa, const void *pb)
{
	uint64_t a = *(const uint64_t *)pa, b = *(const uint64_t *)pb;

	return (a > b) - (a < b);
}

/* n bytes at at of the spool, flushed first: pread, as a seek would refill the 1 MiB buffer. */
static bool
read_at(FILE *f, uint64_t at, void *p, size_t n)
{
	return fflush(f) == 0 && pread(fileno(f), p, n, (off_t)at) == (ssize_t)n;
}

/* An order's id and place, read back from the spool. */
struct named {
	char *id;
	uint64_t at;
};

static int
cmp_named(const void *pa, const void *pb)
{
	const struct named *a = pa, *b = pb;
	int c = strcmp(a->id, b->id);

	return c ? c : (a->at > b->at) - (a->at < b->at);
}

/* The order_id of the order spooled at at, the caller's to free; NULL after an I/O error. */
static char *
spooled_id(struct run *r, uint64_t at)
{
	struct spooled h;
	json_t *j;
	char *id = NULL;

	if (!read_at(r->spool, at, &h, sizeof h))
		return NULL;
	buf_reset(&r->a);
	buf_grow(&r->a, h.len);
	if (!read_at(r->spool, at + sizeof h, r->a.p, h.len))
		return NULL;
	r->a.len = h.len;
	buf_reset(&r->err);
	if ((j = jp_parse(r->a.p, r->a.len, &r->err)))
		id = xstrdup(json_string_value(json_object_get(j, "order_id")));
	json_decref(j);
	return id;
}

/*
 * Orders whose ids hash alike, g[0..n): read their ids back, so that two
 * ids that only collide are never taken for one. Of each id, all but the
 * last are superseded.
 */
static bool
settle_alike(struct run *r, const struct seen *g, size_t n)
{
	struct named *v = xcalloc(n, sizeof *v);
	bool ok = true;

	for (size_t i = 0; ok && i < n; i++) {
		v[i].at = g[i].at;
		ok = (v[i].id = spooled_id(r, g[i].at)) != NULL;
	}
	if (ok) {
		qsort(v, n, sizeof *v, cmp_named);
		for (size_t i = 0; i + 1 < n; i++)
			if (strcmp(v[i].id, v[i + 1].id) == 0)
				r->gone[r->ngone++] = v[i].at;
	}
	for (size_t i = 0; i < n; i++)
		free(v[i].id);
	free(v);
	return ok;
}

/* The last export of an order wins: the places of the earlier ones. */
static bool
find_superseded(struct run *r)
{
	bool ok = true;

	if (r->nseen)
		qsort(r->seen, r->nseen, sizeof *r->seen, cmp_seen);
	r->gone = xcalloc(r->nseen + 1, sizeof *r->gone);
	for (size_t i = 0, j; ok && i < r->nseen; i = j) {
		for (j = i + 1; j < r->nseen && r->seen[j].h1 == r->seen[i].h1 &&
		     r->seen[j].h2 == r->seen[i].h2;
		     j++)
			;
		if (j - i > 1)
			ok = settle_alike(r, r->seen + i, j - i);
	}
	if (r->ngone)
		qsort(r->gone, r->ngone, sizeof *r->gone, cmp_place);
	free(r->seen);
	r->seen = NULL;
	return ok;
}

/* The entries of superseded orders leave the matching. */
static bool
drop_superseded(struct run *r)
{
	struct spooled h;

	if (fflush(r->spool) != 0)
		return false;
	for (size_t i = 0; i < r->ngone; i++) {
		if (!read_at(r->spool, r->gone[i], &h, sizeof h))
			return false;
		if (h.bo != BO_NONE)
			r->b.orders[h.bo].live = 0;
	}
	return true;
}

/* Test hook: break the law the self-check guards, to see it caught. */
static void
fault(struct run *r)
{
	const char *f = getenv("OMS_BACKORDER_FAULT");

	if (f && strcmp(f, "oversupply") == 0 && r->b.ntakes)
		r->b.takes[0].qty++;
}

static bool
settle(struct run *r)
{
	if (!find_superseded(r) || !drop_superseded(r)) {
		io_failed(r);
		return false;
	}
	bo_match(&r->b, &r->sup, r->o->locations ? &r->st : NULL);
	fault(r);
	buf_reset(&r->err);
	if (!bo_check(&r->b, &r->sup, &r->err)) {
		warnmsg("self-check failed, nothing written: %s", r->err.p);
		r->s->broken = true;
		return false;
	}
	return true;
}

/* ---- replay ---- */

static void
emit(struct run *r, const char *text, size_t n)
{
	r->s->n.out++;
	fwrite(text, 1, n, r->s->out->f);
	fputc('\n', r->s->out->f);
}

/* The backorder records and notices of live order bo, whose text is in r->a. */
static void
insert_records(struct run *r, uint32_t bo)
{
	json_t *order;
	long before = r->n.records;

	buf_reset(&r->err);
	/* Brought to its kinds as the reader brought it, so it reads the same. */
	if (!(order = jp_parse(r->a.p, r->a.len, &r->err)) ||
	    !schema_coerce(order, schema_type("order"), &r->err)) {
		warnmsg(
		    "temporary file: a spooled order does not read back: %s", r->err.p);
		r->s->failed = true;
		json_decref(order);
		return;
	}
	buf_reset(&r->out);
	bo_write_order(
	    &r->b, &r->sup, bo, order, r->o->previous ? &r->prev : NULL, &r->out, &r->n);
	fwrite(r->out.p, 1, r->out.len, r->s->out->f);
	r->s->n.out += r->n.records - before;
	r->s->n.created += r->n.records - before;
	json_decref(order);
}

static bool
read_next(struct run *r, struct spooled *h)
{
	if (fread(h, sizeof *h, 1, r->spool) != 1)
		return false;
	buf_reset(&r->a);
	buf_grow(&r->a, h->len);
	if (fread(r->a.p, 1, h->len, r->spool) != h->len)
		return false;
	r->a.len = h->len;
	r->a.p[h->len] = '\0';
	return true;
}

static void
replay(struct run *r)
{
	struct stream *s = r->s;
	struct spooled h;
	size_t g = 0;

	if (fflush(r->spool) != 0 || fseek(r->spool, 0, SEEK_SET) != 0) {
		io_failed(r);
		return;
	}
	for (uint64_t at = 0; at < r->spooled && !s->failed; at += sizeof h + h.len) {
		if (!read_next(r, &h)) {
			io_failed(r);
			break;
		}
		if (g < r->ngone && r->gone[g] == at) {
			g++;
			s->n.consumed++;
			continue;
		}
		if (!h.order)
			s->n.passed++;
		else
			r->orders++;
		emit(r, r->a.p, r->a.len);
		if (h.bo != BO_NONE)
			insert_records(r, h.bo);
	}
}

/* --stats: lines, units by what covers them, at risk, notices. */
static void
tool_counts(const struct run *r, struct buf *out)
{
	const struct bo_counts *c = &r->n;

	buf_printf(out,
	    "orders=%ld backorders=%ld units=%" PRId64 " po=%" PRId64
	    " production=%" PRId64 " unsourced=%" PRId64 " preorder=%" PRId64
	    " at_risk=%ld notices=%ld eta_changed=%ld late_supply=%ld",
	    r->orders, c->records - c->notices, c->units, c->po_units,
	    c->production_units, c->unsourced_units, c->preorder_units, c->at_risk,
	    c->notices, c->changed, r->sup.late);
}

static bool
write_shortfall(struct run *r)
{
	if (!r->o->shortfall)
		return true;
	if (!bo_write_shortfall(&r->b, r->shortfall->f)) {
		warnmsg("%s: %s", r->o->shortfall, strerror(errno ? errno : EIO));
		return false;
	}
	return true;
}

static int
run(struct run *r, int argc, char **argv)
{
	struct stream *s = r->s;
	struct rr_item it;
	struct buf counts = {0};
	int status;

	if ((status = stream_open(s, &r->o->common, argv, argc, NULL, NULL)) != 0)
		return status;
	while (stream_next(s, &it)) {
		take_record(r, &it);
		json_decref(it.rec);
	}
	if (!s->failed && !s->stopped && settle(r))
		replay(r);
	if (!s->failed && !s->stopped && !s->broken && !write_shortfall(r))
		s->failed = true;
	if (r->o->common.stats && !s->failed)
		tool_counts(r, &counts);
	/* The shortfall goes in place only with the records. */
	status = stream_close(s, counts.p);
	buf_free(&counts);
	return status;
}

int
main(int argc, char **argv)
{
	struct opts o = {0};
	struct run r = {0};
	struct stream stream = {0};
	int status;

	if ((status = parse_options(argc, argv, &o)) >= 0)
		return status;
	r.o = &o;
	r.s = &stream;
	if (!load_references(&r, &r.err)) {
		warnmsg("%s", r.err.p);
		of_abort_all();
		status = EXIT_USAGE;
	} else {
		status = run(&r, argc - optind, argv + optind);
	}
	if (r.spool)
		fclose(r.spool);
	free(r.spool_buf);
	free(r.seen);
	free(r.gone);
	bo_free(&r.b);
	bo_rules_free(&r.rules);
	supply_free(&r.sup);
	stock_release(&r.st);
	bo_previous_free(&r.prev);
	schema_free();
	buf_free(&r.text);
	buf_free(&r.err);
	buf_free(&r.a);
	buf_free(&r.out);
	return status;
}
