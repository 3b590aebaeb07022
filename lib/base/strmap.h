/* strmap.h: a hash map from text keys to pointers, for reference data held in memory. */
#ifndef OMS_STRMAP_H
#define OMS_STRMAP_H

#include <stddef.h>
#include <stdint.h>

struct strmap {
	struct strmap_slot *slots;
	size_t cap, len;
};

/* 64-bit FNV-1a of n bytes: the one hash of oms, stable across runs. */
uint64_t hash64(const char *s, size_t n);

/* The value stored under key, or NULL. */
void *strmap_get(const struct strmap *m, const char *key);

/* Store value under key (copied); returns the value it replaces, or NULL. */
void *strmap_put(struct strmap *m, const char *key, void *value);

/* Call fn on every value (in no particular order), then release the map. */
void strmap_free(struct strmap *m, void (*fn)(void *value));

#endif
