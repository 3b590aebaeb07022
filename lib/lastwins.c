/* lastwins.c: a spool and a hash table of offsets; keys are checked against the spool on a hash match. */
#include "lastwins.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "strmap.h"

struct lw_slot {
	uint64_t hash;
	uint64_t at; /* spool offset + 1 of the latest record with the key; 0: empty */
};

/* Each spooled record: this header, its key, then its text. */
struct lw_head {
	uint32_t keylen, textlen;
	uint64_t hash;
	uint8_t keyed;
};

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

static void
grow(struct lastwins *w)
{
	struct lw_slot *old = w->slots;
	size_t oldcap = w->cap;

	w->cap = oldcap ? oldcap * 2 : 1024;
	w->slots = xcalloc(w->cap, sizeof *w->slots);
	for (size_t i = 0; i < oldcap; i++) {
		size_t j;

		if (!old[i].at)
			continue;
		for (j = old[i].hash & (w->cap - 1); w->slots[j].at;
		     j = (j + 1) & (w->cap - 1))
			;
		w->slots[j] = old[i];
	}
	free(old);
}

/* Whether the record spooled at offset at - 1 has this key. */
static bool
same_key(struct lastwins *w, uint64_t at, const char *key, size_t keylen)
{
	struct lw_head h;

	buf_reset(&w->tmp);
	buf_grow(&w->tmp, keylen);
	w->moved = true;
	/* A hash match is rare but for true repeats; the spool is read back then only. */
	if (fflush(w->spool) != 0 || fseeko(w->spool, (off_t)(at - 1), SEEK_SET) != 0 ||
	    fread(&h, sizeof h, 1, w->spool) != 1 || h.keylen != keylen ||
	    fread(w->tmp.p, 1, keylen, w->spool) != keylen)
		return false;
	return memcmp(w->tmp.p, key, keylen) == 0;
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
		if (2 * (w->len + 1) > w->cap)
			grow(w);
		for (i = h.hash & (w->cap - 1); w->slots[i].at;
		     i = (i + 1) & (w->cap - 1))
			if (w->slots[i].hash == h.hash &&
			    same_key(w, w->slots[i].at, key, keylen)) {
				superseded = true;
				break;
			}
	}
	/* Back to the end only after a key was read back: a seek flushes the buffer. */
	if (w->moved && fseeko(w->spool, (off_t)w->size, SEEK_SET) != 0) {
		*failed = true;
		return false;
	}
	w->moved = false;
	if (fwrite(&h, sizeof h, 1, w->spool) != 1 ||
	    fwrite(key ? key : "", 1, h.keylen, w->spool) != h.keylen ||
	    fwrite(text, 1, n, w->spool) != n) {
		*failed = true;
		return false;
	}
	if (key) {
		w->len += !superseded;
		w->superseded += superseded;
		w->slots[i].hash = h.hash;
		w->slots[i].at = w->size + 1;
	}
	w->size += sizeof h + h.keylen + n;
	return superseded;
}

/* Whether the record with this hash spooled at offset at - 1 is its key's latest. */
static bool
latest(const struct lastwins *w, uint64_t hash, uint64_t at)
{
	for (size_t i = hash & (w->cap - 1); w->slots[i].at; i = (i + 1) & (w->cap - 1))
		if (w->slots[i].hash == hash && w->slots[i].at == at)
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
