/* json.h: a strict, fast JSON parser that builds jansson values, and a compact JSON writer. */
#ifndef OMS_JSON_H
#define OMS_JSON_H

#include <jansson.h>
#include <stddef.h>

#include "util.h"

/*
 * Parse n bytes holding exactly one JSON value (surrounding white space
 * allowed) into a new jansson value, the caller's to release. Strings must
 * be valid UTF-8 without NUL, integers must fit in 64 bits, keys may not
 * repeat within an object. NULL with a message in err on any problem.
 * jansson's own parser reads a byte at a time through a stream; this one
 * scans spans, which makes reading a record stream several times faster.
 */
json_t *jp_parse(const char *s, size_t n, struct buf *err);

/* Append v as compact JSON, object members in their stored order. */
void jw_value(struct buf *out, const json_t *v);

/* Append s[0..n) as a JSON string literal. */
void jw_string(struct buf *out, const char *s, size_t n);

#endif
