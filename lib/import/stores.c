/* stores.c: store names by input, and a compact table of the global id each order_id came with. */
#include "stores.h"

#include <ctype.h>
#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>

#include "spool.h"

struct stores_slot {
	uint64_t id; /* hash of order_id, never 0; 0 is an empty slot */
	uint64_t gid; /* hash of the global_id it was first seen with */
};

bool
stores_name_ok(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && !strchr("._-", *s))
			return false;
	return true;
}

const char *
stores_of(const json_t *patterns, const char *path, const char *fallback)
{
	const char *base = strrchr(path, '/'), *pattern;
	json_t *name;

	base = base ? base + 1 : path;
	/* jansson keeps an object's keys in the order read: the first match wins. */
	json_object_foreach((json_t *)patterns, pattern, name) {
		if (fnmatch(pattern, path, 0) == 0 || fnmatch(pattern, base, 0) == 0)
			return json_string_value(name);
	}
	return fallback;
}

/* Room for one more entry, the table at most half full. */
static void
grow(struct stores *t)
{
	struct stores_slot *old = t->slots;
	size_t old_cap = t->cap;

	if (2 * (t->n + 1) <= t->cap)
		return;
	t->cap = t->cap ? t->cap * 2 : 1024;
	t->slots = xcalloc(t->cap, sizeof *t->slots);
	for (size_t i = 0; i < old_cap; i++) {
		size_t k = old[i].id & (t->cap - 1);

		if (!old[i].id)
			continue;
		while (t->slots[k].id)
			k = (k + 1) & (t->cap - 1);
		t->slots[k] = old[i];
	}
	free(old);
}

/*
 * The global id first seen with the order_id hashed as id: *gid is set to
 * it when the order_id was seen (true), or stored as its first (false).
 */
static bool
first_gid(struct stores *t, uint64_t id, uint64_t *gid)
{
	size_t k;

	grow(t);
	for (k = id & (t->cap - 1); t->slots[k].id; k = (k + 1) & (t->cap - 1))
		if (t->slots[k].id == id) {
			*gid = t->slots[k].gid;
			return true;
		}
	t->slots[k] = (struct stores_slot){id, *gid};
	t->n++;
	return false;
}

bool
stores_rename(
    struct stores *t, const char *order_id, const char *global_id, struct buf *renamed)
{
	uint64_t h = spool_key_hash(global_id, strlen(global_id)), first = h;

	if (!first_gid(t, spool_key_hash(order_id, strlen(order_id)) | 1, &first) ||
	    first == h)
		return false;
	buf_reset(renamed);
	buf_printf(renamed, "%s@%s", order_id, global_id);
	return true;
}

void
stores_free(struct stores *t)
{
	free(t->slots);
	t->slots = NULL;
	t->cap = t->n = 0;
}
