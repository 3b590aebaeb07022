/* harness.h: the one libFuzzer driver every channel reader's harness calls. */
#ifndef OMS_FUZZ_HARNESS_H
#define OMS_FUZZ_HARNESS_H

#include <stddef.h>
#include <stdint.h>

#include "adapter.h"

/*
 * Read data through reader a with opts, as oms-import would, and abort if
 * a record it yields is not of type, lacks its text key, or is not already
 * in the schema's kinds (coercing a copy must change nothing); oms-import's
 * checks then run on a copy, to catch what they might trip on. Returns 0.
 */
int fuzz_adapter(const struct adapter *a, const char *type, const char *key,
    const uint8_t *data, size_t size, const struct import_opts *opts);

#endif
