/*
 * oms-allocate: reserve stock for the open-order book, by rank, across
 * locations, by the apparel rules. The options; the engine is
 * lib/allocate_stage.c.
 */
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>

#include "allocate_stage.h"
#include "cli.h"
#include "schema.h"

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

int
main(int argc, char **argv)
{
	struct opts o = {0};
	struct alloc_config c;
	int status;

	if ((status = parse_options(argc, argv, &o)) >= 0)
		return status;
	c = (struct alloc_config){&o.common, o.catalog, o.inventory, o.inventory_out,
	    o.locations, o.packs, o.rules, o.explain, o.reallocate};
	status = alloc_stage_run(&c, argv + optind, argc - optind);
	schema_free();
	return status;
}
