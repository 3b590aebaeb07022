/* harness.h: the one libFuzzer driver every channel reader's harness calls. */
#ifndef OMS_FUZZ_HARNESS_H
#define OMS_FUZZ_HARNESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>
#include <stdio.h>

#include "adapter.h"

/*
 * The input as a stream: a copy of data (libFuzzer's bytes are const) in
 * *copy, read through fmemopen. NULL when it cannot be made; the caller
 * fcloses the stream and frees *copy.
 */
FILE *fuzz_open(const uint8_t *data, size_t size, char **copy);

/*
 * Abort unless a record a reader yielded is in normal form (a non-empty
 * text "type"; coercing a copy of a known type changes nothing) and its
 * NDJSON text is JSON that reads back as the very same record.
 */
void fuzz_check_record(json_t *rec);

/*
 * Read data through reader a with opts, as oms-import would, and abort if
 * a record it yields is not of type, lacks its text key, or is not already
 * in the schema's kinds (coercing a copy must change nothing); oms-import's
 * checks then run on a copy, to catch what they might trip on. Returns 0.
 */
int fuzz_adapter(const struct adapter *a, const char *type, const char *key,
    const uint8_t *data, size_t size, const struct import_opts *opts);

/* The text at key of j, or NULL. */
const char *fuzz_str(const json_t *j, const char *key);

/* Is the text at key of j v? */
bool fuzz_is(const json_t *j, const char *key, const char *v);

#endif
