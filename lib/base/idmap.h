/* idmap.h: a hash map from 64-bit keys to 32-bit values, for lookups among the book's numbers. */
#ifndef OMS_IDMAP_H
#define OMS_IDMAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define IDMAP_NONE UINT32_MAX

struct idmap {
	uint64_t *keys;
	uint32_t *vals; /* value + 1 per slot; 0 is empty */
	size_t cap, len;
};

/* Two 32-bit numbers as one key (an order and one of its names, say). */
static inline uint64_t
idmap_key(uint32_t hi, uint32_t lo)
{
	return (uint64_t)hi << 32 | lo;
}

/*
 * Store value (less than IDMAP_NONE) under key when key is new: true. A key
 * already there keeps its value: false.
 */
bool idmap_add(struct idmap *m, uint64_t key, uint32_t value);

/* The value stored under key, or IDMAP_NONE. */
uint32_t idmap_get(const struct idmap *m, uint64_t key);

/* Release the map; it may be used again, empty. */
void idmap_free(struct idmap *m);

#endif
