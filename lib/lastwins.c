/* lastwins.c: a spool of records, and their keys' fates settled by sorting, not by a table. */
#include "lastwins.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "strmap.h"

#define UNIT 16 /* records are spooled at multiples of this */
#define RUN_ENTRIES (1u << 16) /* 2 MiB of entries in memory at a time */

/* Each spooled record: this header, its key, then its text, then padding to UNIT. */
struct lw_head {
	uint32_t keylen, textlen;
	uint64_t hash;
	int64_t line;
	uint32_t source, part;
	uint8_t keyed;
};

/* What becomes of a record that is not written (run_entry.a of a fate). */
enum fate { FATE_SUPERSEDED = 1, FATE_PART };

/* MurmurHash3's finaliser mixes FNV-1a's bits. */
uint64_t
lw_key_hash(const char *key, size_t len)
{
	uint64_t h = hash64(key, len);

	h ^= h >> 33;
	h *= UINT64_C(0xff51afd7ed558ccd);
	h ^= h >> 33;
	h *= UINT64_C(0xc4ceb9fe1a85ec53);
	h ^= h >> 33;
	return h;
}

uint32_t
lw_key_hash2(const char *key, size_t len)
{
	uint32_t h = 2166136261u;

	while (len--) {
		h ^= (unsigned char)key[len];
		h *= 16777619u;
	}
	return h;
}

static uint64_t
padded(uint64_t n)
{
	return (n + UNIT - 1) / UNIT * UNIT;
}

bool
lw_open(struct lastwins *w, struct buf *err)
{
	memset(w, 0, sizeof *w);
	if (!(w->spool = temp_file_buffered(&w->spool_buf, err)))
		return false;
	runs_init(&w->index, RUN_ENTRIES);
	return true;
}

bool
lw_add(struct lastwins *w, const struct lw_rec *r)
{
	static const char zeros[UNIT];
	struct lw_head h;
	size_t whole, pad;
	struct run_entry e;

	memset(&h, 0, sizeof h); /* padding too: the header is written whole */
	h.keylen = r->key ? (uint32_t)r->keylen : 0;
	h.textlen = (uint32_t)r->n;
	h.keyed = r->key != NULL;
	h.hash = r->key ? lw_key_hash(r->key, r->keylen) : 0;
	h.line = r->line;
	h.source = r->source;
	h.part = r->part;
	whole = sizeof h + h.keylen + h.textlen;
	pad = padded(whole) - whole;
	w->flushed = false;
	if (fwrite(&h, sizeof h, 1, w->spool) != 1 ||
	    fwrite(r->key ? r->key : "", 1, h.keylen, w->spool) != h.keylen ||
	    fwrite(r->text, 1, h.textlen, w->spool) != h.textlen ||
	    fwrite(zeros, 1, pad, w->spool) != pad)
		return false;
	if (r->key) {
		e.k1 = h.hash;
		e.k2 = w->size / UNIT;
		e.line = r->line;
		e.a = r->source;
		e.b = r->part << 1 | r->one_place;
		if (!runs_add(&w->index, &e))
			return false;
	}
	w->size += whole + pad;
	return true;
}

/* The key of the record spooled at unit u, into out. */
static bool
key_at(struct lastwins *w, uint64_t u, struct buf *out)
{
	struct lw_head h;

	if (!w->flushed) {
		if (fflush(w->spool) != 0)
			return false;
		w->flushed = true;
	}
	if (pread(fileno(w->spool), &h, sizeof h, (off_t)(u * UNIT)) != (ssize_t)sizeof h)
		return false;
	buf_reset(out);
	buf_grow(out, h.keylen);
	if (pread(fileno(w->spool), out->p, h.keylen, (off_t)(u * UNIT + sizeof h)) !=
	    (ssize_t)h.keylen)
		return false;
	out->len = h.keylen;
	out->p[out->len] = '\0';
	return true;
}

/*
 * One key's chain while its hash's entries come by: the latest record so
 * far, and whether the key is void (its latest record is a rejected part).
 */
struct chain {
	struct run_entry last;
	bool dead;
	struct buf key; /* read from the spool only when another key shares the hash */
	bool key_read;
};

static bool
fate(struct lastwins *w, uint64_t unit, enum fate f, long other_line)
{
	struct run_entry e = {unit, 0, other_line, f, 0};

	return runs_add(&w->fates, &e);
}

/* A later record e of a chain's key: the chain's latest is superseded, or both are parts. */
static bool
follow(struct lastwins *w, struct chain *c, const struct run_entry *e)
{
	bool one_place = e->b & 1;
	bool same_origin = e->a == c->last.a && e->b >> 1 == c->last.b >> 1;

	if (one_place && same_origin) {
		if (!fate(w, e->k2, FATE_PART, (long)c->last.line))
			return false;
		w->parts++;
		if (!c->dead) {
			if (!fate(w, c->last.k2, FATE_PART, (long)e->line))
				return false;
			w->parts++;
		}
		c->dead = true;
	} else {
		if (!c->dead) {
			if (!fate(w, c->last.k2, FATE_SUPERSEDED, 0))
				return false;
			w->superseded++;
		}
		c->dead = false;
	}
	c->last = *e;
	return true;
}

/* The chain of e's key among the n chains of its hash, or NULL when it starts one. */
static struct chain *
chain_of(struct lastwins *w, struct chain *chains, size_t n, const struct run_entry *e,
    bool *failed)
{
	*failed = !key_at(w, e->k2, &w->key);
	for (size_t i = 0; !*failed && i < n; i++) {
		struct chain *c = &chains[i];

		if (!c->key_read) {
			if (!key_at(w, c->last.k2, &c->key)) {
				*failed = true;
				break;
			}
			c->key_read = true;
		}
		if (c->key.len == w->key.len &&
		    memcmp(c->key.p, w->key.p, w->key.len) == 0)
			return c;
	}
	return NULL;
}

bool
lw_settle(struct lastwins *w)
{
	struct chain *chains = NULL;
	size_t n = 0, cap = 0;
	struct run_entry e;
	bool failed = false, ok = true;

	if (w->settled)
		return true;
	w->settled = true;
	runs_init(&w->fates, RUN_ENTRIES);
	if (!runs_merge(&w->index))
		return false;
	while (ok && runs_next(&w->index, &e, &failed)) {
		struct chain *c = NULL;

		if (n && e.k1 == chains[0].last.k1) {
			/* Another record of this hash: almost always the same key. */
			c = chain_of(w, chains, n, &e, &failed);
			if (failed)
				break;
		} else {
			for (size_t i = 0; i < n; i++)
				buf_free(&chains[i].key);
			n = 0;
		}
		if (c) {
			ok = follow(w, c, &e);
			continue;
		}
		if (n == cap) {
			cap = cap ? 2 * cap : 4;
			chains = xrealloc(chains, cap * sizeof *chains);
		}
		memset(&chains[n], 0, sizeof chains[n]);
		chains[n].last = e;
		if (n > 0) { /* its key was just read */
			buf_add(&chains[n].key, w->key.p, w->key.len);
			chains[n].key_read = true;
		}
		n++;
	}
	for (size_t i = 0; i < n; i++)
		buf_free(&chains[i].key);
	free(chains);
	return ok && !failed && runs_merge(&w->fates);
}

bool
lw_replay(struct lastwins *w, FILE *out,
    void (*part_fn)(void *ctx, const struct lw_part *p), void *ctx)
{
	struct run_entry next;
	bool have, failed = false;
	uint64_t at = 0;
	struct lw_head h;

	if (fflush(w->spool) != 0 || fseeko(w->spool, 0, SEEK_SET) != 0)
		return false;
	have = runs_next(&w->fates, &next, &failed);
	while (!failed && at < w->size) {
		size_t n;

		if (fread(&h, sizeof h, 1, w->spool) != 1)
			return false;
		n = padded(sizeof h + h.keylen + h.textlen) - sizeof h;
		buf_reset(&w->tmp);
		buf_grow(&w->tmp, n);
		if (fread(w->tmp.p, 1, n, w->spool) != n)
			return false;
		if (have && next.k1 == at / UNIT) {
			if (next.a == FATE_PART) {
				struct lw_part p = {h.source, (long)h.line,
				    (long)next.line, w->tmp.p, w->tmp.p + h.keylen,
				    h.keylen, h.textlen};

				part_fn(ctx, &p);
			}
			have = runs_next(&w->fates, &next, &failed);
		} else if (out &&
		    fwrite(w->tmp.p + h.keylen, 1, h.textlen, out) != h.textlen) {
			return false;
		}
		at += sizeof h + n;
	}
	return !failed;
}

void
lw_close(struct lastwins *w)
{
	if (w->spool)
		fclose(w->spool);
	free(w->spool_buf);
	runs_free(&w->index);
	runs_free(&w->fates);
	buf_free(&w->tmp);
	buf_free(&w->key);
	memset(w, 0, sizeof *w);
}
