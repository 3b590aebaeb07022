/*
 * oms-backorder: backordered units matched, in the ranking of
 * oms-allocate, to the earliest supply that covers them; a backorder
 * record per line, ETA notices, and the shortfall per SKU. The options;
 * the engine is lib/backorder_stage.c.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backorder_stage.h"
#include "cli.h"
#include "schema.h"

enum { OPT_LOCATIONS = OPT_TOOL, OPT_PREVIOUS, OPT_RULES, OPT_SHORTFALL, OPT_SUPPLY };

struct opts {
	struct oms_opts common;
	const char *locations, *previous, *rules, *shortfall, *supply;
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

int
main(int argc, char **argv)
{
	struct opts o = {0};
	struct bo_config c;
	int status;

	if ((status = parse_options(argc, argv, &o)) >= 0)
		return status;
	c = (struct bo_config){
	    &o.common, o.locations, o.previous, o.rules, o.shortfall, o.supply};
	status = bo_stage_run(&c, argv + optind, argc - optind);
	schema_free();
	return status;
}
