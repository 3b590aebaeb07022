/* fuzz_shopify.c: libFuzzer harness for the Shopify orders export reader. */
#include "harness.h"

extern const struct adapter adapter_shopify;

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct import_opts opts = {0};
	/* Half the inputs look for the default pre-order tag, half for another. */
	opts.preorder_tag = size % 2 ? "Pre-Order" : NULL;
	return fuzz_adapter(&adapter_shopify, "order", "order_id", data, size, &opts);
}
