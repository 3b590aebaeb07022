/* strmap.c: open addressing with linear probing; the table doubles at half full. */
#include "strmap.h"

#include <stdlib.h>
#include <string.h>

#include "util.h"

struct strmap_slot {
	char *key;
	uint64_t hash;
	void *value;
};

uint64_t
hash64(const char *s, size_t n)
{
	uint64_t h = 0xcbf29ce484222325u;

	for (size_t i = 0; i < n; i++) {
		h ^= (unsigned char)s[i];
		h *= 0x100000001b3u;
	}
	return h;
}

static struct strmap_slot *
find(const struct strmap *m, const char *key, uint64_t h)
{
	size_t i = h & (m->cap - 1);

	while (m->slots[i].key &&
	    (m->slots[i].hash != h || strcmp(m->slots[i].key, key) != 0))
		i = (i + 1) & (m->cap - 1);
	return &m->slots[i];
}

void *
strmap_get(const struct strmap *m, const char *key)
{
	struct strmap_slot *s;

	if (!m->cap)
		return NULL;
	s = find(m, key, hash64(key, strlen(key)));
	return s->key ? s->value : NULL;
}

static void
grow(struct strmap *m)
{
	struct strmap old = *m;

	m->cap = old.cap ? old.cap * 2 : 64;
	m->slots = xcalloc(m->cap, sizeof *m->slots);
	for (size_t i = 0; i < old.cap; i++)
		if (old.slots[i].key)
			*find(m, old.slots[i].key, old.slots[i].hash) = old.slots[i];
	free(old.slots);
}

void *
strmap_put(struct strmap *m, const char *key, void *value)
{
	uint64_t h = hash64(key, strlen(key));
	struct strmap_slot *s;
	void *before;

	if (2 * (m->len + 1) > m->cap)
		grow(m);
	s = find(m, key, h);
	if (s->key) {
		before = s->value;
		s->value = value;
		return before;
	}
	s->key = xstrdup(key);
	s->hash = h;
	s->value = value;
	m->len++;
	return NULL;
}

void
strmap_free(struct strmap *m, void (*fn)(void *value))
{
	for (size_t i = 0; i < m->cap; i++)
		if (m->slots[i].key) {
			if (fn)
				fn(m->slots[i].value);
			free(m->slots[i].key);
		}
	free(m->slots);
	memset(m, 0, sizeof *m);
}
