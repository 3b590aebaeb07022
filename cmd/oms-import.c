/*
 * oms-import: channel exports and canonical records in, checked order
 * records out. The options; the engine is lib/import/import_stage.c.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "adapter.h"
#include "cli.h"
#include "date.h"
#include "import_stage.h"
#include "schema.h"
#include "stores.h"

enum {
	OPT_ACK = OPT_TOOL,
	OPT_CATALOG,
	OPT_MAP,
	OPT_RULES,
	OPT_SOURCE,
	OPT_STORE,
	OPT_TZ,
	OPT_UNKNOWN_SKU
};

struct opts {
	struct oms_opts common;
	const char *ack_path, *catalog_path, *map_path, *rules_path;
	const struct adapter *source; /* --source, or NULL to detect */
	const char *store; /* --store: the store of inputs import.stores does not name */
	const char *tz;
	bool keep_unknown_sku;
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
static enum cli_result
take_option(void *ctx, int c, const char *arg)
{
	struct opts *o = ctx;

	switch (c) {
	case OPT_ACK:
		o->ack_path = arg;
		break;
	case OPT_CATALOG:
		o->catalog_path = arg;
		break;
	case OPT_MAP:
		o->map_path = arg;
		break;
	case OPT_RULES:
		o->rules_path = arg;
		break;
	case OPT_UNKNOWN_SKU:
		if (strcmp(arg, "keep") != 0 && strcmp(arg, "reject") != 0) {
			warnmsg("--unknown-sku: \"%s\" is not keep or reject", arg);
			return CLI_BAD;
		}
		o->keep_unknown_sku = strcmp(arg, "keep") == 0;
		break;
	case OPT_SOURCE:
		if (!(o->source = adapter_find(arg))) {
			struct buf names = {0};

			adapter_names(&names);
			warnmsg("--source: unknown source \"%s\" (%s)", arg, names.p);
			buf_free(&names);
			return CLI_BAD;
		}
		break;
	case OPT_STORE:
		if (!stores_name_ok(arg)) {
			warnmsg("--store: \"%s\" is not a store name (letters, digits, "
				"'.', '_' and '-')",
			    arg);
			return CLI_BAD;
		}
		o->store = arg;
		break;
	case OPT_TZ:
		if (!tz_known(arg)) {
			warnmsg("--tz: unknown time zone \"%s\"", arg);
			return CLI_BAD;
		}
		o->tz = arg;
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
	    {"ack", required_argument, NULL, OPT_ACK},
	    {"catalog", required_argument, NULL, OPT_CATALOG},
	    {"map", required_argument, NULL, OPT_MAP},
	    {"rules", required_argument, NULL, OPT_RULES},
	    {"source", required_argument, NULL, OPT_SOURCE},
	    {"store", required_argument, NULL, OPT_STORE},
	    {"tz", required_argument, NULL, OPT_TZ},
	    {"unknown-sku", required_argument, NULL, OPT_UNKNOWN_SKU},
	    {NULL, 0, NULL, 0},
	};

	return cli_parse(
	    &o->common, "oms-import", argc, argv, longopts, take_option, usage, o);
}

int
main(int argc, char **argv)
{
	struct opts o = {0};
	struct import_config c;
	int status;

	if ((status = parse_options(argc, argv, &o)) >= 0)
		return status;
	c = (struct import_config){&o.common, o.ack_path, o.catalog_path, o.map_path,
	    o.rules_path, o.source, o.store, o.tz, o.keep_unknown_sku};
	status = import_stage_run(&c, argv + optind, argc - optind);
	schema_free();
	return status;
}
