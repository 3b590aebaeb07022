/* lastwins.c: a spool and a hash table of offsets; keys are checked against the spool on a match. */
#include "lastwins.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "strmap.h"

/*
 * A slot is 8 bytes: the top 24 bits of the key's hash, to pass over most
 * other keys without reading the spool, and in the low 40 bits the spool
 * offset + 1 of the latest record with the key (0: empty).
 */
struct lw_slot {
	uint64_t v;
};

#define AT_BITS 40
#define AT_MASK ((UINT64_C(1) << AT_BITS) - 1)

/* Each spooled record: this header, its key, then its text. */
struct lw_head {
	uint32_t keylen, textlen;
	uint64_t hash;
	uint8_t keyed;
};

static uint64_t
tag_of(uint64_t hash)
{
	return hash >> AT_BITS;
}

static uint64_t
slot_at(const struct lw_slot *s)
{
	return s->v & AT_MASK;
}

bool
lw_open(struct lastwins *w, struct buf *err)
{
	const char *dir = getenv("TMPDIR");
	struct buf path = {0};
	int fd;

	memset(w, 0, sizeof *w);
	buf_printf(&path, "%s/oms-spool.XXXXXX", dir && *dir ? dir : "/tmp");
	/* Unlinked at once: the spool goes away with the process, however it ends. */
	if ((fd = mkstemp(path.p)) < 0 || unlink(path.p) != 0 ||
	    !(w->spool = fdopen(fd, "w+b"))) {
		buf_printf(err, "cannot create a temporary file in %s: %s",
		    dir && *dir ? dir : "/tmp", strerror(errno));
		if (fd >= 0)
			close(fd);
		buf_free(&path);
		return false;
	}
	buf_free(&path);
	setvbuf(w->spool, NULL, _IOFBF, 1u << 20);
	return true;
}

/*
 * Read the header (and key, into w->tmp) of the record spooled at offset
 * at - 1. pread leaves the stream's buffer and position alone, so writing
 * goes on where it was; only what is buffered must reach the file first.
 */
static bool
read_back(struct lastwins *w, uint64_t at, struct lw_head *h, bool with_key)
{
	int fd = fileno(w->spool);

	if (!w->flushed) {
		if (fflush(w->spool) != 0)
			return false;
		w->flushed = true;
	}
	if (pread(fd, h, sizeof *h, (off_t)(at - 1)) != (ssize_t)sizeof *h)
		return false;
	if (!with_key)
		return true;
	buf_reset(&w->tmp);
	buf_grow(&w->tmp, h->keylen);
	return pread(fd, w->tmp.p, h->keylen, (off_t)(at - 1 + sizeof *h)) ==
	    (ssize_t)h->keylen;
}

/* Whether the record spooled at offset at - 1 has this key. */
static bool
same_key(struct lastwins *w, uint64_t at, const char *key, size_t keylen)
{
	struct lw_head h;

	return read_back(w, at, &h, true) && h.keylen == keylen &&
	    memcmp(w->tmp.p, key, keylen) == 0;
}

/*
 * Double the table. A slot keeps only part of the hash, so each key's home
 * is read back from the spool: growing is rare (log n times).
 */
static bool
grow(struct lastwins *w)
{
	struct lw_slot *old = w->slots;
	size_t oldcap = w->cap;

	w->cap = oldcap ? oldcap * 2 : 1024;
	w->slots = xcalloc(w->cap, sizeof *w->slots);
	for (size_t i = 0; i < oldcap; i++) {
		struct lw_head h;
		size_t j;

		if (!slot_at(&old[i]))
			continue;
		if (!read_back(w, slot_at(&old[i]), &h, false)) {
			free(old);
			return false;
		}
		for (j = h.hash & (w->cap - 1); slot_at(&w->slots[j]);
		     j = (j + 1) & (w->cap - 1))
			;
		w->slots[j] = old[i];
	}
	free(old);
	return true;
}

/* The slot of key: the one holding it, or the empty one where it goes. */
static bool
find_slot(struct lastwins *w, const char *key, size_t keylen, uint64_t hash, size_t *at,
    bool *found)
{
	size_t i;

	*found = false;
	if (4 * (w->len + 1) > 3 * w->cap && !grow(w))
		return false;
	for (i = hash & (w->cap - 1); slot_at(&w->slots[i]); i = (i + 1) & (w->cap - 1))
		if ((w->slots[i].v >> AT_BITS) == tag_of(hash) &&
		    same_key(w, slot_at(&w->slots[i]), key, keylen)) {
			*found = true;
			break;
		}
	*at = i;
	return true;
}

bool
lw_add(struct lastwins *w, const char *key, size_t keylen, const char *text, size_t n,
    bool *failed)
{
	struct lw_head h;
	bool superseded = false;
	size_t i = 0;

	memset(&h, 0, sizeof h); /* padding too: the header is written whole */
	h.keylen = key ? (uint32_t)keylen : 0;
	h.textlen = (uint32_t)n;
	h.keyed = key != NULL;
	*failed = false;
	if (key) {
		h.hash = hash64(key, keylen);
		if (!find_slot(w, key, keylen, h.hash, &i, &superseded)) {
			*failed = true;
			return false;
		}
	}
	if (w->size + 1 > AT_MASK) { /* 1 TiB of spool: far past any day's exports */
		*failed = true;
		return false;
	}
	w->flushed = false;
	if (fwrite(&h, sizeof h, 1, w->spool) != 1 ||
	    fwrite(key ? key : "", 1, h.keylen, w->spool) != h.keylen ||
	    fwrite(text, 1, n, w->spool) != n) {
		*failed = true;
		return false;
	}
	if (key) {
		w->len += !superseded;
		w->superseded += superseded;
		w->slots[i].v = tag_of(h.hash) << AT_BITS | (w->size + 1);
	}
	w->size += sizeof h + h.keylen + n;
	return superseded;
}

/* Whether the record with this hash spooled at offset at - 1 is its key's latest. */
static bool
latest(const struct lastwins *w, uint64_t hash, uint64_t at)
{
	for (size_t i = hash & (w->cap - 1); slot_at(&w->slots[i]);
	     i = (i + 1) & (w->cap - 1))
		if (slot_at(&w->slots[i]) == at)
			return true;
	return false;
}

bool
lw_replay(struct lastwins *w, FILE *out)
{
	uint64_t at = 0;
	struct lw_head h;

	if (fflush(w->spool) != 0 || fseeko(w->spool, 0, SEEK_SET) != 0)
		return false;
	while (at < w->size) {
		bool keep;

		if (fread(&h, sizeof h, 1, w->spool) != 1)
			return false;
		keep = !h.keyed || latest(w, h.hash, at + 1);
		buf_reset(&w->tmp);
		buf_grow(&w->tmp, (size_t)h.keylen + h.textlen);
		if (fread(w->tmp.p, 1, (size_t)h.keylen + h.textlen, w->spool) !=
		    (size_t)h.keylen + h.textlen)
			return false;
		if (keep && fwrite(w->tmp.p + h.keylen, 1, h.textlen, out) != h.textlen)
			return false;
		at += sizeof h + h.keylen + h.textlen;
	}
	return true;
}

void
lw_close(struct lastwins *w)
{
	if (w->spool)
		fclose(w->spool);
	free(w->slots);
	buf_free(&w->tmp);
	memset(w, 0, sizeof *w);
}
