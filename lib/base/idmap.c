/* idmap.c: open addressing with linear probing; the table doubles at half full. */
#include "idmap.h"

#include <stdlib.h>
#include <string.h>

#include "util.h"

/* The finaliser of splitmix64: every key bit moves the slot. */
static size_t
slot_of(const struct idmap *m, uint64_t key)
{
	key ^= key >> 30;
	key *= 0xbf58476d1ce4e5b9u;
	key ^= key >> 27;
	key *= 0x94d049bb133111ebu;
	key ^= key >> 31;
	return (size_t)key & (m->cap - 1);
}

static size_t
find(const struct idmap *m, uint64_t key)
{
	size_t i = slot_of(m, key);

	while (m->vals[i] && m->keys[i] != key)
		i = (i + 1) & (m->cap - 1);
	return i;
}

static void
grow(struct idmap *m)
{
	struct idmap old = *m;

	m->cap = old.cap ? old.cap * 2 : 64;
	m->keys = xmalloc(m->cap * sizeof *m->keys);
	m->vals = xcalloc(m->cap, sizeof *m->vals);
	for (size_t i = 0; i < old.cap; i++)
		if (old.vals[i]) {
			size_t k = find(m, old.keys[i]);

			m->keys[k] = old.keys[i];
			m->vals[k] = old.vals[i];
		}
	free(old.keys);
	free(old.vals);
}

bool
idmap_add(struct idmap *m, uint64_t key, uint32_t value)
{
	size_t i;

	if (2 * (m->len + 1) > m->cap)
		grow(m);
	i = find(m, key);
	if (m->vals[i])
		return false;
	m->keys[i] = key;
	m->vals[i] = value + 1;
	m->len++;
	return true;
}

uint32_t
idmap_get(const struct idmap *m, uint64_t key)
{
	size_t i;

	if (!m->cap)
		return IDMAP_NONE;
	i = find(m, key);
	return m->vals[i] ? m->vals[i] - 1 : IDMAP_NONE;
}

void
idmap_free(struct idmap *m)
{
	free(m->keys);
	free(m->vals);
	memset(m, 0, sizeof *m);
}
