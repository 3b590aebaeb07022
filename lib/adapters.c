/* adapters.c: the table of channel export readers, in the order they are tried. */
#include "adapter.h"

#include <string.h>

extern const struct adapter adapter_edi850, adapter_shopify, adapter_amazon,
    adapter_woocommerce, adapter_shipstation, adapter_returns;

static bool
oms_sniff(const char *head, size_t n)
{
	size_t i = 0, line;

	while (i < n &&
	    (head[i] == ' ' || head[i] == '\t' || head[i] == '\r' || head[i] == '\n'))
		i++;
	if (i < n && head[i] == '{')
		return true;
	/* A canonical CSV header names its columns as oms-records(5) does. */
	for (line = i; line < n && head[line] != '\n' && head[line] != '\r'; line++)
		;
	return (line - i >= 5 && memcmp(head + i, "type", 4) == 0 &&
		   (head[i + 4] == ',' || head[i + 4] == '\t')) ||
	    (line - i >= 9 && memcmp(head + i, "order_id", 8) == 0 &&
		(head[i + 8] == ',' || head[i + 8] == '\t'));
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
