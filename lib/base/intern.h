/* intern.h: strings numbered 0, 1, 2... in the order first seen, so records hold small integers. */
#ifndef OMS_INTERN_H
#define OMS_INTERN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util.h"

#define INTERN_NONE UINT32_MAX

struct intern {
	uint32_t *slots; /* id + 1 per slot; 0 is empty */
	uint64_t *hashes; /* per id */
	size_t *at; /* per id: offset of its text in names */
	uint32_t *len; /* per id: its length */
	struct buf names; /* the texts, each followed by a NUL */
	size_t cap, n;
};

/* The id of s[0..n), numbering it when it is new. */
uint32_t intern_id(struct intern *t, const char *s, size_t n);

/* The id of s[0..n), or INTERN_NONE when it was never numbered. */
uint32_t intern_find(const struct intern *t, const char *s, size_t n);

/* The text of id, NUL-terminated; valid until the next intern_id. */
static inline const char *
intern_name(const struct intern *t, uint32_t id)
{
	return t->names.p + t->at[id];
}

/* The length of the text of id. */
static inline size_t
intern_len(const struct intern *t, uint32_t id)
{
	return t->len[id];
}

void intern_free(struct intern *t);

#endif
