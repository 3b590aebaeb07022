/* fuzz_returns.c: libFuzzer harness for the returns-portal export reader. */
#include "harness.h"

extern const struct adapter adapter_returns;

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct import_opts opts = {0};
	/* Half the inputs read wall-clock times in a zone, half have none. */
	opts.tz = size % 2 ? "America/New_York" : NULL;
	return fuzz_adapter(
	    &adapter_returns, "return_request", "return_id", data, size, &opts);
}
