/*
 * oms-backorder: backordered units, and the open units of orders before
 * their window, matched in the ranking of oms-allocate to the earliest
 * supply that covers them; a backorder record per line, ETA notices, and
 * the shortfall per SKU. The options;
 * the engine is lib/backorder/backorder_stage.c.
 */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backorder_stage.h"
#include "cli.h"

struct opts {
	struct oms_opts common;
	struct bo_config c;
};

static const char usage_text[] =
    "usage: oms-backorder [-h] [-i format] [-O file] [--allow-empty] [--as-of date]\n"
    "                     [--locations file] [--previous file] [--rejects file]\n"
    "                     [--rules file] [--shortfall file] [--stats] [--strict]\n"
    "                     [--supply file] [--version] [file ...]\n";

static void
usage(FILE *f)
{
	msg_print(f, usage_text);
	if (f == stdout)
		fputs(
		    "\nMatch each backordered unit of the open orders, and each open "
		    "unit\n"
		    "of those before their ship window (allocation not_yet), in the\n"
		    "ranking of oms-allocate, to the earliest supply that covers it;\n"
		    "write a backorder record per waiting line, with its eta, after\n"
		    "its order, and ETA notices for the customer.\n\n"
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
		    "with\n  backorder records and notices)\n" CLI_ALLOW_EMPTY_HELP
			CLI_OPTIONS_HELP,
		    f);
}

/* oms-backorder's own options. */
static const struct cli_option options[] = {
    CLI_ALLOW_EMPTY(struct opts),
    {"locations", CLI_TEXT, offsetof(struct opts, c.locations), NULL},
    {"previous", CLI_TEXT, offsetof(struct opts, c.previous), NULL},
    {"rules", CLI_TEXT, offsetof(struct opts, c.rules), NULL},
    {"shortfall", CLI_TEXT, offsetof(struct opts, c.shortfall), NULL},
    {"supply", CLI_TEXT, offsetof(struct opts, c.supply), NULL},
    {NULL, CLI_TEXT, 0, NULL},
};

static int
parse_options(int argc, char **argv, struct opts *o)
{
	int status =
	    cli_parse(&o->common, "oms-backorder", argc, argv, options, o, usage);

	if (status >= 0)
		return status;
	if (o->c.shortfall && strcmp(o->c.shortfall, "-") == 0) {
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
	int status;

	if ((status = parse_options(argc, argv, &o)) >= 0)
		return status;
	o.c.common = &o.common;
	return bo_stage_run(&o.c, argv + optind, argc - optind);
}
