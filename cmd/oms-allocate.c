/*
 * oms-allocate: reserve stock for the open-order book, by rank, across
 * locations, by the apparel rules. The options; the engine is
 * lib/allocate/allocate_stage.c.
 */
#include <stddef.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>

#include "allocate_stage.h"
#include "cli.h"

struct opts {
	struct oms_opts common;
	struct alloc_config c;
};

static const char usage_text[] =
    "usage: oms-allocate [-h] [-i format] [-o format] [-O file] [--allow-empty]\n"
    "                    [--as-of date] [--catalog file] [--explain]\n"
    "                    --inventory file [--inventory-out file] --locations file\n"
    "                    [--packs file] [--reallocate] [--rejects file]\n"
    "                    [--rules file] [--stats] [--strict] [--version] [file ...]\n";

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
		    "first\n" CLI_ALLOW_EMPTY_HELP CLI_OPTIONS_HELP,
		    f);
}

/* oms-allocate's own options. */
static const struct cli_option options[] = {
    CLI_ALLOW_EMPTY(struct opts),
    {"catalog", CLI_TEXT, offsetof(struct opts, c.catalog), NULL},
    {"explain", CLI_FLAG, offsetof(struct opts, c.explain), NULL},
    {"inventory", CLI_TEXT, offsetof(struct opts, c.inventory), NULL},
    {"inventory-out", CLI_TEXT, offsetof(struct opts, c.inventory_out), NULL},
    {"locations", CLI_TEXT, offsetof(struct opts, c.locations), NULL},
    {"packs", CLI_TEXT, offsetof(struct opts, c.packs), NULL},
    {"reallocate", CLI_FLAG, offsetof(struct opts, c.reallocate), NULL},
    {"rules", CLI_TEXT, offsetof(struct opts, c.rules), NULL},
    {NULL, CLI_TEXT, 0, NULL},
};

/* Parse the command line; returns -1 to go on, or the status to exit with. */
static int
parse_options(int argc, char **argv, struct opts *o)
{
	int status = cli_parse(&o->common, "oms-allocate", argc, argv, options, o, usage);

	if (status >= 0)
		return status;
	if (!o->c.inventory || !o->c.locations) {
		warnmsg("--inventory and --locations are required");
		usage(stderr);
		return EXIT_USAGE;
	}
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
	return alloc_stage_run(&o.c, argv + optind, argc - optind);
}
