/* oms-import: channel exports and canonical records in, checked order records out. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "adapter.h"
#include "cli.h"
#include "date.h"
#include "map.h"
#include "order.h"
#include "schema.h"
#include "stream.h"

enum { OPT_MAP = OPT_TOOL, OPT_SOURCE, OPT_TZ };

struct opts {
	struct oms_opts common;
	const char *map_path;
	const struct adapter *source; /* --source, or NULL to detect */
	const char *tz;
};

/* What opening an input needs: the options and the loaded map. */
struct inputs {
	const struct opts *o;
	const struct map *map;
	struct import_opts adapter;
};

struct counts {
	long orders, lines, units;
};

static const char usage_text[] =
    "usage: oms-import [-h] [-i format] [-o format] [-O file] [--as-of date]\n"
    "                  [--map file] [--rejects file] [--source name] [--stats]\n"
    "                  [--strict] [--tz zone] [--version] [file ...]\n";

static void
usage(FILE *f)
{
	fputs(usage_text, f);
	if (f == stdout)
		fputs("\nRead orders (NDJSON, CSV, or any CSV through --map), check them "
		      "and\n"
		      "write them in normal form.\n\n"
		      "      --map FILE           read CSV inputs through the column map "
		      "FILE\n"
		      "      --tz ZONE            read timestamps without an offset in "
		      "ZONE\n" CLI_OPTIONS_HELP,
		    f);
}

/* Parse the command line; returns -1 to go on, or the status to exit with. */
static int
parse_options(int argc, char **argv, struct opts *o)
{
	static const struct option longopts[] = {
	    CLI_LONG,
	    {"map", required_argument, NULL, OPT_MAP},
	    {"source", required_argument, NULL, OPT_SOURCE},
	    {"tz", required_argument, NULL, OPT_TZ},
	    {NULL, 0, NULL, 0},
	};
	int c;

	cli_init(&o->common, "oms-import", argv);
	while ((c = getopt_long(argc, argv, CLI_SHORT, longopts, NULL)) != -1) {
		switch (cli_common(&o->common, c, optarg)) {
		case CLI_OK:
			continue;
		case CLI_BAD:
			return EXIT_USAGE;
		case CLI_WANTS_HELP:
			usage(stdout);
			return EXIT_OK;
		case CLI_WANTS_VERSION:
			return EXIT_OK;
		case CLI_NOT_MINE:
			break;
		}
		switch (c) {
		case OPT_MAP:
			o->map_path = optarg;
			break;
		case OPT_SOURCE:
			if (!(o->source = adapter_find(optarg))) {
				struct buf names = {0};

				adapter_names(&names);
				warnmsg("--source: unknown source \"%s\" (%s)", optarg, names.p);
				buf_free(&names);
				return EXIT_USAGE;
			}
			break;
		case OPT_TZ:
			if (!tz_known(optarg)) {
				warnmsg("--tz: unknown time zone \"%s\"", optarg);
				return EXIT_USAGE;
			}
			o->tz = optarg;
			break;
		default:
			usage(stderr);
			return EXIT_USAGE;
		}
	}
	return -1;
}

/*
 * Open one input: through the map when there is one, else with the adapter
 * --source names or, failing that, the one its first bytes call for.
 */
static struct source *
open_input(const char *path, void *ctx, struct buf *err)
{
	struct inputs *in = ctx;
	const struct adapter *a = in->o->source;
	struct source s = {0};
	const char *head;

	if (in->map)
		return map_open(in->map, path, err);
	if (!source_open_file(&s, path, err))
		return NULL;
	if (in->o->common.in_fmt != FMT_AUTO && !a)
		return rr_from(&s, in->o->common.in_fmt, err);
	if (!a && lr_peek(&s.lr, &head, 1) == 0)
		return rr_from(&s, FMT_AUTO, err); /* empty: no records */
	if (!a && !(a = adapter_detect(&s))) {
		buf_printf(err, "%s: not a format oms-import knows (", path);
		adapter_names(err);
		buf_adds(err, "); name one with --source, or describe its columns with --map");
		source_close_file(&s);
		return NULL;
	}
	return a->open(&s, &in->adapter, err);
}

/* Check and normalise one order; it is written, or rejected with the reason. */
static void
import_order(
    struct stream *s, struct rr_item *it, const struct order_norm *norm, struct counts *n)
{
	struct buf err = {0};
	json_t *lines, *line;
	size_t i;

	if (!order_normalize(it->rec, norm, &err)) {
		stream_reject(s, it, "%s", err.p);
		buf_free(&err);
		return;
	}
	buf_free(&err);
	lines = json_object_get(it->rec, "lines");
	n->orders++;
	n->lines += (long)json_array_size(lines);
	json_array_foreach(lines, i, line)
		n->units += (long)json_integer_value(json_object_get(line, "qty"));
	stream_write(s, it, it->rec);
}

static void
import_record(
    struct stream *s, struct rr_item *it, const struct order_norm *norm, struct counts *n)
{
	const char *type = json_string_value(json_object_get(it->rec, "type"));

	if (strcmp(type, "order") == 0)
		import_order(s, it, norm, n);
	else if (schema_type(type))
		stream_pass(s, it);
	else
		stream_reject(s, it, "unknown record type \"%s\"", type);
}

int
main(int argc, char **argv)
{
	struct opts o = {0};
	struct stream s;
	struct rr_item it;
	struct counts n = {0};
	struct order_norm norm;
	struct map *map = NULL;
	struct inputs in = {0};
	struct buf err = {0};
	char tool_counts[128];
	int status;

	if ((status = parse_options(argc, argv, &o)) >= 0)
		return status;
	if (o.map_path && !(map = map_load(o.map_path, &err))) {
		warnmsg("--map: %s", err.p);
		buf_free(&err);
		return EXIT_USAGE;
	}
	norm.tz = o.tz;
	in.o = &o;
	in.map = map;
	in.adapter.tz = o.tz;
	status = stream_open(&s, &o.common, argv + optind, argc - optind, open_input, &in);
	if (status == 0) {
		while (stream_next(&s, &it)) {
			import_record(&s, &it, &norm, &n);
			json_decref(it.rec);
		}
		snprintf(tool_counts, sizeof tool_counts,
		    "orders=%ld lines=%ld units=%ld", n.orders, n.lines, n.units);
		status = stream_close(&s, tool_counts);
	}
	map_free(map);
	schema_free();
	buf_free(&err);
	return status;
}
