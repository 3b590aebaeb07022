/* fuzz_shipstation.c: libFuzzer harness for the ShipStation shipments reader. */
#include "harness.h"

extern const struct adapter adapter_shipstation;

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct import_opts opts = {0};
	/* Half the inputs read wall-clock times in a zone, half have none. */
	opts.tz = size % 2 ? "America/New_York" : NULL;
	return fuzz_adapter(
	    &adapter_shipstation, "tracking", "channel_order_id", data, size, &opts);
}
