/* fuzz_shopify.c: libFuzzer harness for the Shopify orders export reader. */
#include <stdlib.h>
#include <string.h>

#include "catalog.h"
#include "harness.h"

extern const struct adapter adapter_shopify;

/*
 * The folding that matches line titles to the catalog's: idempotent, and
 * its result has no space at either end, none doubled, none around '/'.
 */
static void
check_fold(const uint8_t *data, size_t size)
{
	char *title = xstrndup((const char *)data, size);
	struct buf once = {0}, twice = {0};

	catalog_fold_title(title, &once);
	catalog_fold_title(once.p, &twice);
	if (strcmp(once.p, twice.p) != 0 || strstr(once.p, "  ") ||
	    strstr(once.p, " /") || strstr(once.p, "/ ") ||
	    (once.len && (once.p[0] == ' ' || once.p[once.len - 1] == ' ')))
		abort();
	buf_free(&once);
	buf_free(&twice);
	free(title);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct import_opts opts = {0};
	/* Half the inputs look for the default pre-order tag, half for another. */
	opts.preorder_tag = size % 2 ? "Pre-Order" : NULL;
	/* A third come from a named store: shopify:<store>:<name>. */
	opts.store = size % 3 == 0 ? "us-east" : NULL;
	check_fold(data, size);
	return fuzz_adapter(&adapter_shopify, "order", "order_id", data, size, &opts);
}
