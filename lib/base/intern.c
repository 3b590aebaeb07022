/* intern.c: open addressing over ids; the texts live end to end in one buffer. */
#include "intern.h"

#include <stdlib.h>
#include <string.h>

#include "strmap.h"

static size_t
slot_of(const struct intern *t, const char *s, size_t n, uint64_t h)
{
	size_t i = h & (t->cap - 1);

	for (;; i = (i + 1) & (t->cap - 1)) {
		uint32_t id = t->slots[i];

		if (!id)
			return i;
		id--;
		if (t->hashes[id] == h && t->len[id] == n &&
		    memcmp(t->names.p + t->at[id], s, n) == 0)
			return i;
	}
}

static void
grow(struct intern *t)
{
	size_t old = t->cap;
	uint32_t *slots = t->slots;

	t->cap = old ? old * 2 : 256;
	t->slots = xcalloc(t->cap, sizeof *t->slots);
	for (size_t i = 0; i < old; i++) {
		uint32_t id = slots[i];
		size_t j;

		if (!id)
			continue;
		for (j = t->hashes[id - 1] & (t->cap - 1); t->slots[j];
		     j = (j + 1) & (t->cap - 1))
			;
		t->slots[j] = id;
	}
	free(slots);
	t->hashes = xrealloc(t->hashes, t->cap / 2 * sizeof *t->hashes);
	t->at = xrealloc(t->at, t->cap / 2 * sizeof *t->at);
	t->len = xrealloc(t->len, t->cap / 2 * sizeof *t->len);
}

uint32_t
intern_find(const struct intern *t, const char *s, size_t n)
{
	uint32_t id;

	if (!t->cap)
		return INTERN_NONE;
	id = t->slots[slot_of(t, s, n, hash64(s, n))];
	return id ? id - 1 : INTERN_NONE;
}

uint32_t
intern_id(struct intern *t, const char *s, size_t n)
{
	uint64_t h = hash64(s, n);
	size_t i;

	if (2 * (t->n + 1) > t->cap)
		grow(t);
	i = slot_of(t, s, n, h);
	if (t->slots[i])
		return t->slots[i] - 1;
	t->hashes[t->n] = h;
	t->at[t->n] = t->names.len;
	t->len[t->n] = (uint32_t)n;
	buf_add(&t->names, s, n);
	buf_addc(&t->names, '\0');
	t->slots[i] = (uint32_t)++t->n;
	return (uint32_t)(t->n - 1);
}

void
intern_free(struct intern *t)
{
	free(t->slots);
	free(t->hashes);
	free(t->at);
	free(t->len);
	buf_free(&t->names);
	memset(t, 0, sizeof *t);
}
