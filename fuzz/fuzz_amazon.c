/* fuzz_amazon.c: libFuzzer harness for the Amazon order report reader. */
#include "harness.h"

extern const struct adapter adapter_amazon;

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct import_opts opts = {0};
	/* Half the inputs read wall-clock times in a zone, half have none. */
	opts.tz = size % 2 ? "America/New_York" : NULL;
	return fuzz_adapter(&adapter_amazon, "order", "order_id", data, size, &opts);
}
