/*
 * oms-split: allocated orders into shipments, one per order and location,
 * released or held by the rules; pick tickets per location; notices for
 * orders that ship in pieces. The options; the engine is
 * lib/split/split_stage.c.
 */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "pick.h"
#include "split_stage.h"

struct opts {
	struct oms_opts common;
	struct split_config c;
};

static const char usage_text[] =
    "usage: oms-split [-h] [-i format] [-O file] [--allow-empty] [--as-of date]\n"
    "                 [--locations file] [--manifest-dir dir]\n"
    "                 [--manifest-format oms|shipstation] [--rejects file]\n"
    "                 [--rules file] [--stats] [--strict] [--version] [file ...]\n";

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
		      "notices)\n" CLI_ALLOW_EMPTY_HELP CLI_OPTIONS_HELP,
		    f);
}

/* --manifest-format: oms or shipstation. */
static bool
take_manifest_format(void *opts, const char *arg)
{
	struct opts *o = opts;

	if (manifest_format_parse(arg, &o->c.manifest_format))
		return true;
	warnmsg("--manifest-format: \"%s\" is not oms or shipstation", arg);
	return false;
}

/* oms-split's own options. */
static const struct cli_option options[] = {
    CLI_ALLOW_EMPTY(struct opts),
    {"locations", CLI_TEXT, offsetof(struct opts, c.locations), NULL},
    {"manifest-dir", CLI_TEXT, offsetof(struct opts, c.manifest_dir), NULL},
    {"manifest-format", CLI_TEXT, 0, take_manifest_format},
    {"rules", CLI_TEXT, offsetof(struct opts, c.rules), NULL},
    {NULL, CLI_TEXT, 0, NULL},
};

static int
parse_options(int argc, char **argv, struct opts *o)
{
	int status = cli_parse(&o->common, "oms-split", argc, argv, options, o, usage);

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
	int status;

	if ((status = parse_options(argc, argv, &o)) >= 0)
		return status;
	o.c.common = &o.common;
	return split_stage_run(&o.c, argv + optind, argc - optind);
}
