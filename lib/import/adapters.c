/* adapters.c: the table of channel export readers, in the order they are tried. */
#include "adapter.h"

#include <string.h>

#include "csvcols.h"

extern const struct adapter adapter_edi850, adapter_shopify, adapter_amazon,
    adapter_woocommerce, adapter_shipstation, adapter_returns;

/*
 * A canonical CSV or TSV header names its columns as oms-records(5) does:
 * "type" first (records of any type), or "order_id" first (orders) with the
 * channel every order needs. A header that only starts with order_id is some
 * other shop's export (WooCommerce plugins write one) and is not claimed.
 */
static bool
oms_sniff(const char *head, size_t n)
{
	size_t i = 0, line;

	while (i < n &&
	    (head[i] == ' ' || head[i] == '\t' || head[i] == '\r' || head[i] == '\n'))
		i++;
	if (i < n && head[i] == '{')
		return true;
	for (line = i; line < n && head[line] != '\n' && head[line] != '\r'; line++)
		;
	if (line - i >= 5 && memcmp(head + i, "type", 4) == 0 &&
	    (head[i + 4] == ',' || head[i + 4] == '\t'))
		return true;
	return line - i >= 9 && memcmp(head + i, "order_id", 8) == 0 &&
	    (head[i + 8] == ',' || head[i + 8] == '\t') &&
	    col_in_header_sep(head + i, line - i, head[i + 8], "channel");
}

static struct source *
oms_open(struct source *opened, const struct import_opts *o, struct buf *err)
{
	(void)o;
	return rr_from(opened, FMT_AUTO, err);
}

static const struct adapter adapter_oms = {
    "oms",
    "oms records (NDJSON, CSV or TSV)",
    oms_sniff,
    oms_open,
};

/* Specific formats first; oms records last, as the most general. */
static const struct adapter *const adapters[] = {
    &adapter_edi850,
    &adapter_shopify,
    &adapter_amazon,
    &adapter_woocommerce,
    &adapter_shipstation,
    &adapter_returns,
    &adapter_oms,
};

#define NADAPTERS (sizeof adapters / sizeof adapters[0])

const struct adapter *
adapter_find(const char *name)
{
	for (size_t i = 0; i < NADAPTERS; i++)
		if (strcmp(adapters[i]->name, name) == 0)
			return adapters[i];
	return NULL;
}

const struct adapter *
adapter_detect(struct source *opened)
{
	const char *head;
	size_t n = lr_peek(&opened->lr, &head, 8192);

	for (size_t i = 0; i < NADAPTERS; i++)
		if (adapters[i]->sniff(head, n))
			return adapters[i];
	return NULL;
}

void
adapter_names(struct buf *out)
{
	for (size_t i = 0; i < NADAPTERS; i++)
		buf_printf(out, "%s%s", i ? ", " : "", adapters[i]->name);
}

/*
 * Exports oms-import knows it cannot read, by columns their headers always
 * have: the refusal says what the file looks like and what to do instead.
 */
static const struct {
	const char *cols[3];
	const char *hint;
} unreadable[] = {
    {{"Order #", "Items", NULL},
	"it looks like ShipStation's Orders grid export (one row per order), "
	"not its shipments export: export shipments, or describe it with --map"},
    {{"order_id", "order_number", "line_items"},
	"it looks like a WooCommerce export with all line items in one "
	"line_items column, which oms-import does not read: describe it with "
	"--map, or export with \"Order Export & Import for WooCommerce\" "
	"(line_item_1, line_item_2, ...)"},
    {{"order_id", NULL, NULL},
	"it has an order_id column but no channel column, which every order in "
	"oms records needs"},
};

void
adapter_refuse(struct source *opened, const char *path, struct buf *err)
{
	const char *head;
	size_t n = lr_peek(&opened->lr, &head, 8192);

	buf_printf(err, "%s: not a format oms-import knows (", path);
	adapter_names(err);
	buf_adds(err, "); name one with --source, or describe its columns with --map");
	for (size_t i = 0; i < sizeof unreadable / sizeof unreadable[0]; i++) {
		bool all = true;

		for (size_t c = 0; all && c < 3 && unreadable[i].cols[c]; c++)
			all = col_in_header(head, n, unreadable[i].cols[c]);
		if (all) {
			buf_printf(err, " (%s)", unreadable[i].hint);
			return;
		}
	}
}
