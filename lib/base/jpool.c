/*
 * jpool.c: jansson's small blocks from free lists. A record is a few hundred
 * jansson values (strings, objects, their table entries), made and dropped
 * for every record; glibc's malloc and free cost several times more per
 * block than popping and pushing a list (-15% instructions for a Shopify
 * import, measured with callgrind). Blocks of up to 512 bytes come in six
 * sizes, carved from 64 KiB slabs that are kept for the next record, so
 * memory is what the largest records in flight need at once: it stays flat
 * however long the stream. Larger blocks go to malloc.
 */
#include "jpool.h"

#include <jansson.h>
#include <stddef.h>
#include <stdlib.h>

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define JPOOL_OFF 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__)
#define JPOOL_OFF 1
#endif

#ifndef JPOOL_OFF

#define NCLASS 6 /* 16, 32, ... 512 bytes */
#define BIG NCLASS /* the class of a block from malloc */
#define SLAB (64u << 10)

/* Every block starts with this: its class, and room to keep the payload aligned. */
union head {
	unsigned char cls;
	max_align_t align;
};

static void *free_list[NCLASS]; /* each free block's payload holds the next */
static char *slab_at, *slab_end;
static void *slabs; /* every slab, linked through its first bytes, so none is lost */

static size_t
class_size(unsigned c)
{
	return (size_t)16 << c;
}

static unsigned
class_of(size_t n)
{
	unsigned c = 0;

	while (c < NCLASS && class_size(c) < n)
		c++;
	return c;
}

/* A new block of class c from the current slab, or a new slab. */
static union head *
carve(unsigned c)
{
	size_t need = sizeof(union head) + class_size(c);
	union head *h;

	if (!slab_at || (size_t)(slab_end - slab_at) < need) {
		char *s = malloc(SLAB);

		if (!s)
			return NULL;
		*(void **)s = slabs;
		slabs = s;
		slab_at = s + sizeof(union head);
		slab_end = s + SLAB;
	}
	h = (union head *)slab_at;
	slab_at += need;
	return h;
}

static void *
pool_malloc(size_t n)
{
	unsigned c = class_of(n);
	union head *h;

	if (c == BIG) {
		h = malloc(sizeof *h + n);
	} else if (free_list[c]) {
		h = (union head *)free_list[c] - 1;
		free_list[c] = *(void **)free_list[c];
	} else {
		h = carve(c);
	}
	if (!h)
		return NULL;
	h->cls = (unsigned char)c;
	return h + 1;
}

static void
pool_free(void *p)
{
	union head *h;

	if (!p)
		return;
	h = (union head *)p - 1;
	if (h->cls == BIG) {
		free(h);
		return;
	}
	*(void **)p = free_list[h->cls];
	free_list[h->cls] = p;
}

void
jpool_install(void)
{
	json_set_alloc_funcs(pool_malloc, pool_free);
}

#else

void
jpool_install(void)
{
}

#endif
