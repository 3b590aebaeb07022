/*
 * oms-split: allocated orders into shipments, one per order and location,
 * released or held by the rules; pick tickets per location; notices for
 * orders that ship in pieces. The options; the engine is
 * lib/split_stage.c.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "pick.h"
#include "schema.h"
#include "split_stage.h"

enum { OPT_LOCATIONS = OPT_TOOL, OPT_MANIFEST_DIR, OPT_MANIFEST_FORMAT, OPT_RULES };

struct opts {
	struct oms_opts common;
	const char *locations, *manifest_dir, *rules;
	enum manifest_format manifest_format;
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

int
main(int argc, char **argv)
{
	struct opts o = {0};
	struct split_config c;
	int status;

	if ((status = parse_options(argc, argv, &o)) >= 0)
		return status;
	c = (struct split_config){
	    &o.common, o.locations, o.manifest_dir, o.rules, o.manifest_format};
	status = split_stage_run(&c, argv + optind, argc - optind);
	schema_free();
	return status;
}
