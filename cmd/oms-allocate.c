/* oms-allocate: reserve stock for the open-order book, by rank, across locations, by the apparel rules. */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "allocate.h"
#include "book.h"
#include "catalog.h"
#include "cli.h"
#include "json.h"
#include "outfile.h"
#include "schema.h"
#include "stock.h"
#include "stream.h"

enum {
	OPT_CATALOG = OPT_TOOL,
	OPT_EXPLAIN,
	OPT_INVENTORY,
	OPT_INVENTORY_OUT,
	OPT_LOCATIONS,
	OPT_PACKS,
	OPT_REALLOCATE,
	OPT_RULES
};

struct opts {
	struct oms_opts common;
	const char *catalog, *inventory, *inventory_out, *locations, *packs, *rules;
	bool explain, reallocate;
};

/* Everything a run holds besides the stream. */
struct allocator {
	const struct opts *o;
	struct stock st;
	struct book book;
	struct alloc_rules rules;
	struct catalog *catalog;
	struct outfile *inv_out; /* --inventory-out, or NULL */
	FILE *spool; /* every record, in input order, to be written back */
	char *spool_buf; /* its stdio buffer */
	uint64_t spooled; /* bytes in the spool */
	struct stream stream, *s; /* s: the stream, once open */
	struct buf text, err;
};

/* A spooled record: its text follows; tag says what it is. */
struct spooled {
	uint32_t len;
	uint32_t tag;
};

#define TAG_PASS UINT32_MAX
#define TAG_TRACK 0x80000000u /* | the tracking record's index */

static const char usage_text[] =
    "usage: oms-allocate [-h] [-i format] [-o format] [-O file] [--as-of date]\n"
    "                    [--catalog file] [--explain] --inventory file\n"
    "                    [--inventory-out file] --locations file [--packs file]\n"
    "                    [--reallocate] [--rejects file] [--rules file] [--stats]\n"
    "                    [--strict] [--version] [file ...]\n";

static void
usage(FILE *f)
{
	msg_print(f, usage_text);
	if (f == stdout)
		fputs(
		    "\nReserve stock for every open order of the book, in rank order,\n"
		    "from the fewest locations, by the rules' allocate section; write\n"
		    "every order with its allocation and pass other records through.\n\n"
		    "      --inventory FILE     stock per location and SKU (required)\n"
		    "      --locations FILE     locations, their channels, priority, "
		    "capacity (required)\n"
		    "      --rules FILE         the allocate section: sort, protect, "
		    "min_fill ...\n"
		    "      --packs FILE         prepacks and the sizes in them\n"
		    "      --catalog FILE       style and color for lines without them\n"
		    "      --inventory-out FILE write what is left per location and SKU\n"
		    "      --explain            add allocation.trace: why each decision\n"
		    "      --reallocate         release every earlier allocation "
		    "first\n" CLI_OPTIONS_HELP,
		    f);
}

/* One of oms-allocate's own options. */
static enum cli_result
take_option(void *ctx, int c, const char *arg)
{
	struct opts *o = ctx;

	switch (c) {
	case OPT_CATALOG:
		o->catalog = arg;
		break;
	case OPT_EXPLAIN:
		o->explain = true;
		break;
	case OPT_INVENTORY:
		o->inventory = arg;
		break;
	case OPT_INVENTORY_OUT:
		o->inventory_out = arg;
		break;
	case OPT_LOCATIONS:
		o->locations = arg;
		break;
	case OPT_PACKS:
		o->packs = arg;
		break;
	case OPT_REALLOCATE:
		o->reallocate = true;
		break;
	case OPT_RULES:
		o->rules = arg;
		break;
	default:
		return CLI_NOT_MINE;
	}
	return CLI_OK;
}

/* Parse the command line; returns -1 to go on, or the status to exit with. */
static int
parse_options(int argc, char **argv, struct opts *o)
{
	static const struct option longopts[] = {
	    CLI_LONG,
	    {"catalog", required_argument, NULL, OPT_CATALOG},
	    {"explain", no_argument, NULL, OPT_EXPLAIN},
	    {"inventory", required_argument, NULL, OPT_INVENTORY},
	    {"inventory-out", required_argument, NULL, OPT_INVENTORY_OUT},
	    {"locations", required_argument, NULL, OPT_LOCATIONS},
	    {"packs", required_argument, NULL, OPT_PACKS},
	    {"reallocate", no_argument, NULL, OPT_REALLOCATE},
	    {"rules", required_argument, NULL, OPT_RULES},
	    {NULL, 0, NULL, 0},
	};
	int status = cli_parse(
	    &o->common, "oms-allocate", argc, argv, longopts, take_option, usage, o);

	if (status >= 0)
		return status;
	if (!o->inventory || !o->locations) {
		warnmsg("--inventory and --locations are required");
		usage(stderr);
		return EXIT_USAGE;
	}
	return -1;
}

/* book.fetch: the text of an order spooled earlier. */
static bool
fetch(void *ctx, uint64_t at, size_t n, struct buf *out)
{
	struct allocator *a = ctx;

	buf_reset(out);
	buf_grow(out, n);
	if (fflush(a->spool) != 0 ||
	    pread(fileno(a->spool), out->p, n, (off_t)at) != (ssize_t)n)
		return false;
	out->len = n;
	out->p[n] = '\0';
	return true;
}

/* Every reference file, before any record is read: one that cannot be used stops the run. */
static bool
load_references(struct allocator *a, struct buf *err)
{
	const struct opts *o = a->o;

	if (!stock_load(&a->st, o->locations, o->inventory, o->packs, err) ||
	    !alloc_rules_read(o->rules, &a->st, &a->rules, err))
		return false;
	if (o->catalog && !(a->catalog = catalog_load(o->catalog, err)))
		return false;
	if (o->inventory_out &&
	    !(a->inv_out = of_open("--inventory-out", o->inventory_out, 0, err)))
		return false;
	if (!(a->spool = temp_file_buffered(&a->spool_buf, err)))
		return false;
	book_init(&a->book, &a->st);
	a->book.fetch = fetch;
	a->book.fetch_ctx = a;
	return true;
}

static void
spool(struct allocator *a, uint32_t tag, const char *text, size_t n)
{
	struct spooled h = {(uint32_t)n, tag};

	if (fwrite(&h, sizeof h, 1, a->spool) != 1 || fwrite(text, 1, n, a->spool) != n) {
		warnmsg("temporary file: %s", strerror(errno ? errno : EIO));
		a->s->failed = true;
	}
	a->spooled += sizeof h + n;
}

/* Style and color from the catalog for lines without them: size runs group by them. */
static void
fill_groups(struct allocator *a, json_t *order)
{
	json_t *line;
	size_t i;

	json_array_foreach(json_object_get(order, "lines"), i, line) {
		const struct cat_item *c;
		const char *sku = json_string_value(json_object_get(line, "sku"));

		if (!sku || !(c = catalog_sku(a->catalog, sku)))
			continue;
		if (c->style && *c->style && !json_object_get(line, "style"))
			json_object_set_new(line, "style", json_string(c->style));
		if (c->color && *c->color && !json_object_get(line, "color"))
			json_object_set_new(line, "color", json_string(c->color));
	}
}

static void
take_record(struct allocator *a, const struct rr_item *it)
{
	const char *type = json_string_value(json_object_get(it->rec, "type"));
	const char *text;
	size_t n;
	long idx;

	if (strcmp(type, "order") == 0) {
		/* The text first: the catalog's style and color only group, they are not written. */
		text = stream_text(it, &a->text, &n);
		if (a->catalog)
			fill_groups(a, it->rec);
		buf_reset(&a->err);
		idx = book_add_order(&a->book, it->rec, text, n,
		    a->spooled + sizeof(struct spooled), &a->err);
		if (idx < 0)
			stream_reject(a->s, it, "%s", a->err.p);
		else
			spool(a, (uint32_t)idx, text, n);
	} else if (strcmp(type, "tracking") == 0) {
		book_add_tracking(
		    &a->book, it->rec, it->file, it->line, it->raw, it->raw_len);
		text = stream_text(it, &a->text, &n);
		spool(a, TAG_TRACK | (uint32_t)(a->book.ntracks - 1), text, n);
	} else if (!schema_type(type)) {
		stream_reject(a->s, it, "unknown record type \"%s\"", type);
	} else if (a->o->common.out_fmt == FMT_CSV || a->o->common.out_fmt == FMT_TSV) {
		stream_reject(a->s, it,
		    "a CSV output holds orders only: write NDJSON to keep this %s record",
		    type);
	} else {
		text = stream_text(it, &a->text, &n);
		spool(a, TAG_PASS, text, n);
	}
}

static void
reject_tracking(void *ctx, const struct track *t, const char *why)
{
	struct allocator *a = ctx;
	struct rr_item it = {0};

	it.file = t->file;
	it.line = t->line;
	it.raw = t->raw;
	it.raw_len = t->raw_len;
	stream_reject(a->s, &it, "%s", why);
}

/* Write one record's text to the output, in the output's format. */
static void
emit(struct allocator *a, const char *text, size_t n)
{
	struct stream *s = a->s;
	json_t *rec;

	s->n.out++;
	if (s->o->out_fmt != FMT_CSV && s->o->out_fmt != FMT_TSV) {
		fwrite(text, 1, n, s->out->f);
		fputc('\n', s->out->f);
		return;
	}
	buf_reset(&a->err);
	if (!(rec = jp_parse(text, n, &a->err)) || !rw_write(&s->w, rec, &a->err)) {
		warnmsg("cannot write a record: %s", a->err.p);
		s->failed = true;
	}
	json_decref(rec);
}

/* Replay the spool: every record in input order, orders with their allocation. */
static void
replay(struct allocator *a)
{
	struct stream *s = a->s;
	struct buf rec = {0};
	struct spooled h;

	if (fflush(a->spool) != 0 || fseek(a->spool, 0, SEEK_SET) != 0) {
		warnmsg("temporary file: %s", strerror(errno ? errno : EIO));
		s->failed = true;
		return;
	}
	while (!s->failed && fread(&h, sizeof h, 1, a->spool) == 1) {
		buf_reset(&rec);
		buf_grow(&rec, h.len);
		if (fread(rec.p, 1, h.len, a->spool) != h.len) {
			warnmsg("temporary file: cut short");
			s->failed = true;
			break;
		}
		rec.len = h.len;
		if (h.tag == TAG_PASS) {
			s->n.passed++;
			emit(a, rec.p, rec.len);
		} else if (h.tag & TAG_TRACK) {
			if (a->book.tracks[h.tag & ~TAG_TRACK].rejected)
				continue;
			if (s->o->out_fmt == FMT_CSV || s->o->out_fmt == FMT_TSV) {
				s->n.consumed++;
				continue;
			}
			s->n.passed++;
			emit(a, rec.p, rec.len);
		} else if (!book_live(&a->book, h.tag)) {
			s->n.consumed++;
		} else {
			buf_reset(&a->text);
			if (!book_render(&a->book, h.tag, rec.p, rec.len, &a->text)) {
				warnmsg("cannot splice an order's text");
				s->failed = true;
				break;
			}
			emit(a, a->text.p, a->text.len);
		}
	}
	if (ferror(a->spool)) {
		warnmsg("temporary file: %s", strerror(errno ? errno : EIO));
		s->failed = true;
	}
	buf_free(&rec);
}

/* --stats counts: the book's units, then by channel (sorted by name). */
static void
tool_counts(struct allocator *a, struct buf *out)
{
	size_t n, *order;
	struct channel_units *c = allocate_units(&a->book, &n), all = {0};

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
		     strcmp(intern_name(&a->st.channels, (uint32_t)order[j - 1]),
			 intern_name(&a->st.channels, (uint32_t)i)) > 0;
		     j--)
			order[j] = order[j - 1];
		order[j] = i;
	}
	for (size_t k = 0; k <= n; k++) {
		const struct channel_units *u = k == 0 ? &all : &c[order[k - 1]];
		const char *name =
		    k == 0 ? "" : intern_name(&a->st.channels, (uint32_t)order[k - 1]);
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

/*
 * A test hook for the self-check, so that tests can see a broken law stop
 * the output (status 3): OMS_ALLOCATE_FAULT=oversell counts one unit less on
 * hand where units are allocated, =conservation adds units to an allocation
 * that its line does not have. Nothing else reads it.
 */
static void
inject_fault(struct book *b)
{
	const char *f = getenv("OMS_ALLOCATE_FAULT");

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

static void
finish(struct allocator *a, const struct alloc_opts *ao)
{
	struct stream *s = a->s;

	book_apply_tracking(&a->book, reject_tracking, a);
	if (s->stopped)
		return;
	allocate_run(&a->book, &a->rules, ao);
	inject_fault(&a->book);
	buf_reset(&a->err);
	if (!allocate_check(&a->book, &a->err)) {
		warnmsg("self-check failed, nothing written: %s", a->err.p);
		s->broken = true;
		return;
	}
	replay(a);
	if (a->inv_out && !s->failed &&
	    !allocate_write_inventory(&a->st, a->inv_out->f)) {
		warnmsg("%s: %s", a->o->inventory_out, strerror(errno ? errno : EIO));
		s->failed = true;
	}
}

static int
run(struct allocator *a, int argc, char **argv)
{
	struct alloc_opts ao = {
	    cli_as_of(&a->o->common), a->o->explain, a->o->reallocate};
	struct stream *s = &a->stream;
	struct rr_item it;
	struct buf counts = {0};
	int status;

	if ((status = stream_open(s, &a->o->common, argv, argc, NULL, NULL)) != 0)
		return status;
	a->s = s;
	while (stream_next(s, &it)) {
		take_record(a, &it);
		json_decref(it.rec);
	}
	if (!s->failed && !s->stopped)
		finish(a, &ao);
	if (a->o->common.stats && !s->failed)
		tool_counts(a, &counts);
	/* --inventory-out goes in place with the records, or not at all. */
	status = stream_close(s, counts.p);
	buf_free(&counts);
	return status;
}

int
main(int argc, char **argv)
{
	struct opts o = {0};
	struct allocator a = {0};
	int status;

	if ((status = parse_options(argc, argv, &o)) >= 0)
		return status;
	a.o = &o;
	if (!load_references(&a, &a.err)) {
		warnmsg("%s", a.err.p);
		of_abort_all();
		status = EXIT_USAGE;
	} else {
		status = run(&a, argc - optind, argv + optind);
	}
	if (a.spool)
		fclose(a.spool);
	free(a.spool_buf);
	book_free(&a.book);
	alloc_rules_free(&a.rules);
	stock_release(&a.st);
	catalog_free(a.catalog);
	schema_free();
	buf_free(&a.text);
	buf_free(&a.err);
	return status;
}
