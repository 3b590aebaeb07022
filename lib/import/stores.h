/* stores.h: orders of several stores of one channel in one run: store names, and ids kept apart by global_id. */
#ifndef OMS_STORES_H
#define OMS_STORES_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "util.h"

/*
 * The global_id (hashed) each order_id was first seen with: 16 bytes a
 * slot, at most half full, for the orders that carry a global_id. Hashes,
 * not the texts: two ids sharing 64 bits is not a risk worth the memory.
 */
struct stores {
	struct stores_slot *slots;
	size_t cap, n;
};

/*
 * Is s usable as a store name, which goes into order ids
 * (shopify:<store>:<name>): letters, digits, '.', '_' and '-', not empty?
 */
bool stores_name_ok(const char *s);

/*
 * The store of the input at path: the name under the first key of
 * patterns (an object from fnmatch(3) patterns to names) that matches
 * path or its last part, else fallback (which may be NULL). Borrowed.
 */
const char *stores_of(const json_t *patterns, const char *path, const char *fallback);

/*
 * Keep two stores' orders of one order_id apart: the first order_id seen
 * with a global_id keeps it; an order with the same order_id and another
 * global_id is another store's, and gets "<order_id>@<global_id>" in
 * renamed (replacing its text) and true. An order seen again with the same
 * global_id keeps its id (false), so the later export replaces it.
 */
bool stores_rename(
    struct stores *t, const char *order_id, const char *global_id, struct buf *renamed);

/* Release the table; it may be used again afterwards. */
void stores_free(struct stores *t);

#endif
