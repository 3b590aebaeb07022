/* lastwins.c: a spool and a hash table of offsets; keys are checked against the spool on a match. */
#include "lastwins.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "strmap.h"

/*
 * A slot is 8 bytes: the top 28 bits of the key's hash, and in the low 36
 * bits the spool offset of the key's latest record, in 16-byte units, + 1
 * (0: empty). A key's home slot is the top bits of its hash as well, so the
 * table doubles without reading any key back from the spool until it has
 * 2^28 slots; the bits past those of the home still tell most neighbours
 * apart without a read (at a million keys, 7 bits: 1 probe in 128 reads).
 */
struct lw_slot {
	uint64_t v;
};

#define AT_BITS 36
#define AT_MASK ((UINT64_C(1) << AT_BITS) - 1)
#define TAG_BITS (64 - AT_BITS)
#define UNIT 16 /* records are spooled at multiples of this */

/* Each spooled record: this header, its key, then its text, then padding to UNIT. */
struct lw_head {
	uint32_t keylen, textlen;
	uint64_t hash;
	int64_t line;
	uint32_t source;
	uint8_t keyed;
	uint8_t dead; /* a void key: nothing is written for it */
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

/*
 * The key's hash, its bits mixed (MurmurHash3's finaliser): homes and tags
 * come from the top bits, where FNV-1a alone differs little between keys
 * that differ only at the end ("shopify:1001", "shopify:1002"), which
 * crowded them into long probe runs.
 */
static uint64_t
key_hash(const char *key, size_t len)
{
	uint64_t h = hash64(key, len);

	h ^= h >> 33;
	h *= UINT64_C(0xff51afd7ed558ccd);
	h ^= h >> 33;
	h *= UINT64_C(0xc4ceb9fe1a85ec53);
	h ^= h >> 33;
	return h;
}

/* The home of a hash in a table of 2^bits slots. */
static size_t
home(uint64_t hash, unsigned bits)
{
	return (size_t)(hash >> (64 - bits));
}

static uint64_t
padded(uint64_t n)
{
	return (n + UNIT - 1) / UNIT * UNIT;
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
 * Read the header (and the key, into w->tmp, when it is keylen bytes long)
 * of the record spooled at unit at - 1, in one read. pread leaves the
 * stream's buffer and position alone, so writing goes on where it was; only
 * what is buffered must reach the file first.
 */
static bool
read_back(struct lastwins *w, uint64_t at, struct lw_head *h, size_t keylen)
{
	size_t n = sizeof *h + keylen;

	if (!w->flushed) {
		if (fflush(w->spool) != 0)
			return false;
		w->flushed = true;
	}
	buf_reset(&w->tmp);
	buf_grow(&w->tmp, n);
	/* A shorter record near the end of the spool reads short: its key differs. */
	if (pread(fileno(w->spool), w->tmp.p, n, (off_t)((at - 1) * UNIT)) <
	    (ssize_t)sizeof *h)
		return false;
	memcpy(h, w->tmp.p, sizeof *h);
	return true;
}

/* Whether the record spooled at unit at - 1 has this key; its header into h. */
static bool
same_key(
    struct lastwins *w, uint64_t at, const char *key, size_t keylen, struct lw_head *h)
{
	return read_back(w, at, h, keylen) && h->keylen == keylen &&
	    memcmp(w->tmp.p + sizeof *h, key, keylen) == 0;
}

/* The home of an occupied slot in a table of 2^bits slots. */
static bool
home_of_slot(struct lastwins *w, const struct lw_slot *s, unsigned bits, size_t *at)
{
	struct lw_head h;

	if (bits <= TAG_BITS) {
		*at = (size_t)(s->v >> AT_BITS >> (TAG_BITS - bits));
		return true;
	}
	if (!read_back(w, slot_at(s), &h, 0))
		return false;
	*at = home(h.hash, bits);
	return true;
}

/* Double the table (or make the first). */
static bool
grow(struct lastwins *w)
{
	struct lw_slot *old = w->slots;
	size_t oldcap = w->cap;

	w->bits = oldcap ? w->bits + 1 : 10;
	w->cap = (size_t)1 << w->bits;
	w->slots = xcalloc(w->cap, sizeof *w->slots);
	for (size_t i = 0; i < oldcap; i++) {
		size_t j;

		if (!slot_at(&old[i]))
			continue;
		if (!home_of_slot(w, &old[i], w->bits, &j)) {
			free(old);
			return false;
		}
		for (; slot_at(&w->slots[j]); j = (j + 1) & (w->cap - 1))
			;
		w->slots[j] = old[i];
	}
	free(old);
	return true;
}

/*
 * The slot of key: the one holding it (its record's header into h), or the
 * empty one where it goes.
 */
static bool
find_slot(struct lastwins *w, const char *key, size_t keylen, uint64_t hash, size_t *at,
    struct lw_head *h, bool *found)
{
	size_t i;

	*found = false;
	if (4 * (w->len + 1) > 3 * w->cap && !grow(w))
		return false;
	for (i = home(hash, w->bits); slot_at(&w->slots[i]); i = (i + 1) & (w->cap - 1))
		if ((w->slots[i].v >> AT_BITS) == tag_of(hash) &&
		    same_key(w, slot_at(&w->slots[i]), key, keylen, h)) {
			*found = true;
			break;
		}
	*at = i;
	return true;
}

static bool
spool(struct lastwins *w, const struct lw_head *h, const char *key, const char *text)
{
	static const char zeros[UNIT];
	size_t whole = sizeof *h + h->keylen + h->textlen;
	size_t pad = padded(whole) - whole;

	w->flushed = false;
	if (fwrite(h, sizeof *h, 1, w->spool) != 1 ||
	    fwrite(key, 1, h->keylen, w->spool) != h->keylen ||
	    fwrite(text, 1, h->textlen, w->spool) != h->textlen ||
	    fwrite(zeros, 1, pad, w->spool) != pad)
		return false;
	w->size += whole + pad;
	return true;
}

enum lw_result
lw_add(struct lastwins *w, const struct lw_rec *r, struct lw_prior *prior)
{
	struct lw_head h, before;
	bool found = false;
	size_t i = 0;
	uint64_t at = w->size / UNIT + 1;
	enum lw_result res = LW_NEW;

	memset(&h, 0, sizeof h); /* padding too: the header is written whole */
	h.keylen = r->key ? (uint32_t)r->keylen : 0;
	h.textlen = (uint32_t)r->n;
	h.keyed = r->key != NULL;
	h.source = r->source;
	h.line = r->line;
	if (at > AT_MASK) /* 1 TiB of spool: far past any day's exports */
		return LW_FAILED;
	if (r->key) {
		h.hash = key_hash(r->key, r->keylen);
		if (!find_slot(w, r->key, r->keylen, h.hash, &i, &before, &found))
			return LW_FAILED;
	}
	if (found) {
		prior->source = before.source;
		prior->line = (long)before.line;
		prior->dead = before.dead;
		prior->at = slot_at(&w->slots[i]);
		res = r->one_place && before.source == r->source ? LW_VOIDS : LW_REPLACES;
	}
	if (res == LW_VOIDS) { /* spooled as a marker that the key is void */
		h.dead = 1;
		h.textlen = 0;
	}
	if (!spool(w, &h, r->key ? r->key : "", r->text))
		return LW_FAILED;
	if (r->key) {
		w->len += !found;
		w->superseded += res == LW_REPLACES && !prior->dead;
		w->slots[i].v = tag_of(h.hash) << AT_BITS | at;
	}
	return res;
}

bool
lw_text(struct lastwins *w, const struct lw_prior *prior, struct buf *out)
{
	struct lw_head h;
	off_t text_at;

	if (!read_back(w, prior->at, &h, 0))
		return false;
	text_at = (off_t)((prior->at - 1) * UNIT + sizeof h + h.keylen);
	buf_reset(out);
	buf_grow(out, h.textlen);
	if (pread(fileno(w->spool), out->p, h.textlen, text_at) != (ssize_t)h.textlen)
		return false;
	out->len = h.textlen;
	out->p[out->len] = '\0';
	return true;
}

/* Whether the record with this hash spooled at unit at - 1 is its key's latest. */
static bool
latest(const struct lastwins *w, uint64_t hash, uint64_t at)
{
	for (size_t i = home(hash, w->bits); slot_at(&w->slots[i]);
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
		size_t n;
		bool keep;

		if (fread(&h, sizeof h, 1, w->spool) != 1)
			return false;
		keep = !h.keyed || (!h.dead && latest(w, h.hash, at / UNIT + 1));
		n = padded(sizeof h + h.keylen + h.textlen) - sizeof h;
		buf_reset(&w->tmp);
		buf_grow(&w->tmp, n);
		if (fread(w->tmp.p, 1, n, w->spool) != n)
			return false;
		if (keep && fwrite(w->tmp.p + h.keylen, 1, h.textlen, out) != h.textlen)
			return false;
		at += sizeof h + n;
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
