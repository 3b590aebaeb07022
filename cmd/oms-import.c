/*
 * oms-import: channel exports and canonical records in, checked order
 * records out. The options; the engine is lib/import/import_stage.c.
 */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "adapter.h"
#include "cli.h"
#include "date.h"
#include "import_stage.h"
#include "stores.h"

struct opts {
	struct oms_opts common;
	struct import_config c;
};

static const char usage_text[] =
    "usage: oms-import [-h] [-i format] [-o format] [-O file] [--ack file]\n"
    "                  [--as-of date] [--catalog file] [--map file]\n"
    "                  [--rejects file] [--rules file] [--source name] [--stats]\n"
    "                  [--store name] [--strict] [--tz zone]\n"
    "                  [--unknown-sku keep|reject]\n"
    "                  [--version] [file ...]\n";

static void
usage(FILE *f)
{
	msg_print(f, usage_text);
	if (f == stdout)
		fputs("\nRead channel exports (Shopify, Amazon, EDI 850, WooCommerce,\n"
		      "ShipStation, returns portals), oms records, or any CSV through\n"
		      "--map; check them and write them in normal form, one record per\n"
		      "order (the last export of an order wins).\n\n"
		      "      --ack FILE           write X12 997 acknowledgments for EDI "
		      "input\n"
		      "      --catalog FILE       SKUs from UPCs, buyer parts, titles; "
		      "style, size...\n"
		      "      --map FILE           read CSV inputs through the column map "
		      "FILE\n"
		      "      --rules FILE         the import section: ship_by, zones, "
		      "stores...\n"
		      "      --source NAME        read every input as NAME's export "
		      "format\n"
		      "      --store NAME         the store of inputs import.stores "
		      "does not name\n"
		      "      --tz ZONE            read timestamps without an offset in "
		      "ZONE\n"
		      "      --unknown-sku WHAT   reject (default) or keep lines not in "
		      "the catalog\n" CLI_OPTIONS_HELP,
		    f);
}

/* One of oms-import's own options. */
/* --unknown-sku keep or reject. */
static bool
take_unknown_sku(void *opts, const char *arg)
{
	struct opts *o = opts;

	if (strcmp(arg, "keep") != 0 && strcmp(arg, "reject") != 0) {
		warnmsg("--unknown-sku: \"%s\" is not keep or reject", arg);
		return false;
	}
	o->c.keep_unknown_sku = strcmp(arg, "keep") == 0;
	return true;
}

/* --source: one of the adapters. */
static bool
take_source(void *opts, const char *arg)
{
	struct opts *o = opts;
	struct buf names = {0};

	if ((o->c.source = adapter_find(arg)))
		return true;
	adapter_names(&names);
	warnmsg("--source: unknown source \"%s\" (%s)", arg, names.p);
	buf_free(&names);
	return false;
}

/* --store: a store name. */
static bool
take_store(void *opts, const char *arg)
{
	struct opts *o = opts;

	if (stores_name_ok(arg)) {
		o->c.store = arg;
		return true;
	}
	warnmsg("--store: \"%s\" is not a store name (letters, digits, "
		"'.', '_' and '-')",
	    arg);
	return false;
}

/* --tz: a known time zone. */
static bool
take_tz(void *opts, const char *arg)
{
	struct opts *o = opts;

	if (tz_known(arg)) {
		o->c.tz = arg;
		return true;
	}
	warnmsg("--tz: unknown time zone \"%s\"", arg);
	return false;
}

/* oms-import's own options. */
static const struct cli_option options[] = {
    {"ack", CLI_TEXT, offsetof(struct opts, c.ack_path), NULL},
    {"catalog", CLI_TEXT, offsetof(struct opts, c.catalog_path), NULL},
    {"map", CLI_TEXT, offsetof(struct opts, c.map_path), NULL},
    {"rules", CLI_TEXT, offsetof(struct opts, c.rules_path), NULL},
    {"source", CLI_TEXT, 0, take_source},
    {"store", CLI_TEXT, 0, take_store},
    {"tz", CLI_TEXT, 0, take_tz},
    {"unknown-sku", CLI_TEXT, 0, take_unknown_sku},
    {NULL, CLI_TEXT, 0, NULL},
};

/* Parse the command line; returns -1 to go on, or the status to exit with. */
static int
parse_options(int argc, char **argv, struct opts *o)
{

	return cli_parse(&o->common, "oms-import", argc, argv, options, o, usage);
}

int
main(int argc, char **argv)
{
	struct opts o = {0};
	int status;

	if ((status = parse_options(argc, argv, &o)) >= 0)
		return status;
	o.c.common = &o.common;
	return import_stage_run(&o.c, argv + optind, argc - optind);
}
