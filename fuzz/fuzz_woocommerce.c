/* fuzz_woocommerce.c: libFuzzer harness for the WooCommerce order export reader. */
#include "harness.h"

extern const struct adapter adapter_woocommerce;

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct import_opts opts = {0};
	/* Half the inputs have a zone and a currency, half have neither. */
	opts.tz = size % 2 ? "America/New_York" : NULL;
	opts.currency = size % 2 ? "USD" : NULL;
	return fuzz_adapter(&adapter_woocommerce, "order", "order_id", data, size, &opts);
}
