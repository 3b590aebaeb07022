/* spool.c: records in a temporary file; their keys' groups found by sorting, not by a table. */
#include "spool.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "strmap.h"

#define RUN_ENTRIES (1u << 16) /* 2 MiB of entries in memory at a time */
#define READ_AHEAD (256u << 10) /* what spool_read reads ahead when reads go in order */

/* Each spooled record: this head, its key, then its text. */
struct spool_head {
	uint32_t textlen, keylen;
	uint64_t tag;
	int64_t line;
	uint32_t source;
	uint32_t meta; /* see pack_meta */
};

/* Role, flags, one_place and part in 32 bits: part gets 26 of them. */
static uint32_t
pack_meta(enum spool_role role, unsigned flags, bool one_place, uint32_t part)
{
	return part << 6 | (uint32_t)one_place << 5 | (flags & 7u) << 2 | (uint32_t)role;
}

static enum spool_role
meta_role(uint32_t meta)
{
	return (enum spool_role)(meta & 3u);
}

static unsigned
meta_flags(uint32_t meta)
{
	return meta >> 2 & 7u;
}

/* A keyed record's entry in the sort: by hash, then place. */
static struct run_entry
keyed_entry(uint64_t hash, uint64_t place, uint64_t tag, uint32_t source, uint32_t meta)
{
	return (struct run_entry){hash, place, {tag, (uint64_t)source << 32 | meta}};
}

static struct spool_entry
entry_of(const struct run_entry *e)
{
	uint32_t meta = (uint32_t)e->carried[1];

	return (struct spool_entry){e->minor, e->carried[0], meta_role(meta),
	    (uint32_t)(e->carried[1] >> 32), meta >> 6, meta >> 5 & 1u};
}

/* MurmurHash3's finaliser mixes FNV-1a's bits. */
uint64_t
spool_key_hash(const char *key, size_t len)
{
	uint64_t h = hash64(key, len);

	h ^= h >> 33;
	h *= UINT64_C(0xff51afd7ed558ccd);
	h ^= h >> 33;
	h *= UINT64_C(0xc4ceb9fe1a85ec53);
	h ^= h >> 33;
	return h;
}

bool
spool_open(struct spool *sp, struct buf *err)
{
	return spool_open_sized(sp, RUN_ENTRIES, err);
}

bool
spool_open_sized(struct spool *sp, size_t run_entries, struct buf *err)
{
	memset(sp, 0, sizeof *sp);
	if (!(sp->f = temp_file_buffered(&sp->f_buf, err)))
		return false;
	sp->hash = spool_key_hash;
	runs_init(&sp->keyed, run_entries);
	runs_init(&sp->fates, run_entries);
	return true;
}

uint64_t
spool_add(struct spool *sp, const struct spool_rec *r)
{
	bool keyed = r->role != SPOOL_PLAIN;
	struct spool_head h = {
	    r->role == SPOOL_VOID ? 0 : (uint32_t)r->n,
	    keyed ? (uint32_t)r->keylen : 0,
	    r->tag,
	    r->line,
	    r->source,
	    pack_meta(r->role, r->flags, r->one_place, r->part),
	};
	uint64_t place = sp->size;
	struct run_entry e;

	if (sp->settled) {
		errno = EINVAL; /* its keys are sorted already */
		return SPOOL_FAILED;
	}
	if (r->n > UINT32_MAX || r->keylen > UINT32_MAX || r->part >= SPOOL_PARTS) {
		errno = EFBIG;
		return SPOOL_FAILED;
	}
	sp->flushed = false;
	if (fwrite(&h, sizeof h, 1, sp->f) != 1 ||
	    (h.keylen && fwrite(r->key, 1, h.keylen, sp->f) != h.keylen) ||
	    (h.textlen && fwrite(r->text, 1, h.textlen, sp->f) != h.textlen))
		return SPOOL_FAILED;
	if (keyed) {
		e = keyed_entry(
		    sp->hash(r->key, r->keylen), place, r->tag, r->source, h.meta);
		if (!runs_add(&sp->keyed, &e))
			return SPOOL_FAILED;
	}
	sp->size += sizeof h + h.keylen + h.textlen;
	return place;
}

/* Before reading by place: what stdio holds goes to the file. */
static bool
flush_for_reads(struct spool *sp)
{
	if (!sp->flushed) {
		if (fflush(sp->f) != 0)
			return false;
		sp->flushed = true;
	}
	return true;
}

/* n bytes at place: pread, as a seek would throw away the write buffer; flushed first. */
static bool
read_at(struct spool *sp, uint64_t place, void *p, size_t n)
{
	return flush_for_reads(sp) &&
	    pread(fileno(sp->f), p, n, (off_t)place) == (ssize_t)n;
}

/* Make b hold n bytes (and a terminator) for a read. */
static char *
room(struct buf *b, size_t n)
{
	buf_reset(b);
	buf_grow(b, n);
	b->len = n;
	b->p[n] = '\0';
	return b->p;
}

/* A record's head into *it; its key and text, one after the other, are in sp->body. */
static void
item_of(
    struct spool *sp, uint64_t place, const struct spool_head *h, struct spool_item *it)
{
	*it = (struct spool_item){place, h->tag, meta_role(h->meta), SPOOL_KEEP,
	    SPOOL_NO_AUX, meta_flags(h->meta), h->source, (long)h->line, sp->body.p,
	    sp->body.p + h->keylen, h->keylen, h->textlen};
}

/*
 * Bytes [place, place + n) from the read-ahead window, when it holds them:
 * the spool is only ever appended to, so what the window read stays true.
 */
static bool
from_window(const struct spool *sp, uint64_t place, void *p, size_t n)
{
	if (place < sp->window_at || place + n > sp->window_at + sp->window.len)
		return false;
	memcpy(p, sp->window.p + (place - sp->window_at), n);
	return true;
}

/* Read ahead from place: a read that follows the last one is likely followed in turn. */
static bool
fill_window(struct spool *sp, uint64_t place)
{
	ssize_t got;

	buf_reset(&sp->window);
	buf_grow(&sp->window, READ_AHEAD);
	got = pread(fileno(sp->f), sp->window.p, READ_AHEAD, (off_t)place);
	if (got < 0)
		return false;
	sp->window.len = (size_t)got;
	sp->window_at = place;
	return true;
}

/*
 * n bytes at place for spool_read: from the window, or through it when the
 * reads go in order (a replay's plans), else exactly (a group's records).
 */
static bool
read_record_bytes(struct spool *sp, uint64_t place, void *p, size_t n)
{
	if (from_window(sp, place, p, n))
		return true;
	if (place == sp->read_end && n <= READ_AHEAD / 2 && flush_for_reads(sp) &&
	    fill_window(sp, place) && from_window(sp, place, p, n))
		return true;
	return read_at(sp, place, p, n);
}

bool
spool_read(struct spool *sp, uint64_t place, struct spool_item *it)
{
	struct spool_head h;
	size_t n;

	if (!read_record_bytes(sp, place, &h, sizeof h))
		return false;
	sp->read_end = place + sizeof h;
	n = (size_t)h.keylen + h.textlen;
	if (!read_record_bytes(sp, place + sizeof h, room(&sp->body, n), n))
		return false;
	sp->read_end = place + sizeof h + n;
	item_of(sp, place, &h, it);
	return true;
}

long
spool_line(struct spool *sp, uint64_t place)
{
	struct spool_head h;

	return read_at(sp, place, &h, sizeof h) ? (long)h.line : -1;
}

/*
 * Count a fate given (by 1), or take it back (by -1) when the replay finds
 * that an earlier fate of its record holds.
 */
static void
count_fate(struct spool *sp, enum spool_fate f, long by)
{
	if (f == SPOOL_SUPERSEDED)
		sp->superseded += by;
	else if (f == SPOOL_PART)
		sp->parts += by;
}

bool
spool_set_fate(struct spool *sp, uint64_t place, enum spool_fate f, int64_t aux)
{
	/* minor: the order given, so that a place's first fate comes first. */
	struct run_entry e = {place, sp->nfates++, {f, (uint64_t)aux}};

	if (sp->fates_merged) {
		errno = EINVAL; /* the replay reads them in order already */
		return false;
	}
	count_fate(sp, f, 1);
	return runs_add(&sp->fates, &e);
}

/* Two exports from the same place of one input. */
static bool
same_origin(const struct spool_entry *a, const struct spool_entry *b)
{
	return a->source == b->source && a->part == b->part;
}

long
spool_last_wins(struct spool *sp, const struct spool_entry *g, size_t n, bool *failed)
{
	long last = -1;
	bool dead = false;

	*failed = false;
	for (size_t i = 0; i < n && !*failed; i++) {
		const struct spool_entry *e = &g[i];

		if (e->role != SPOOL_EXPORT)
			continue;
		if (last < 0) {
			last = (long)i;
			continue;
		}
		if (e->one_place && same_origin(e, &g[last])) {
			long here = spool_line(sp, e->place),
			     there = spool_line(sp, g[last].place);

			*failed = here < 0 || there < 0 ||
			    !spool_set_fate(sp, e->place, SPOOL_PART, there) ||
			    (!dead &&
				!spool_set_fate(sp, g[last].place, SPOOL_PART, here));
			dead = true;
		} else {
			*failed = !dead &&
			    !spool_set_fate(sp, g[last].place, SPOOL_SUPERSEDED, 0);
			dead = false;
		}
		last = (long)i;
	}
	return dead || *failed ? -1 : last;
}

/* A keyed record of one hash, with its key read back to tell keys apart. */
struct candidate {
	struct spool_entry e;
	size_t key_at, keylen; /* in the settle's key buffer */
	const char *keys; /* that buffer, for the comparison */
};

static bool
same_key(const struct candidate *a, const struct candidate *b)
{
	return a->keylen == b->keylen &&
	    memcmp(a->keys + a->key_at, b->keys + b->key_at, a->keylen) == 0;
}

/* By key, then place. */
static int
cmp_candidate(const void *pa, const void *pb)
{
	const struct candidate *a = pa, *b = pb;
	size_t n = a->keylen < b->keylen ? a->keylen : b->keylen;
	int c = memcmp(a->keys + a->key_at, b->keys + b->key_at, n);

	if (c == 0 && a->keylen != b->keylen)
		c = a->keylen < b->keylen ? -1 : 1;
	return c ? c : (a->e.place > b->e.place) - (a->e.place < b->e.place);
}

/* What the settle holds: the records of the hash at hand. */
struct settling {
	struct spool *sp;
	spool_group_fn group;
	void *ctx;
	struct candidate *c;
	struct spool_entry *g;
	size_t n, cap, gcap;
	struct buf keys;
};

/* Read back the key of each candidate; false on an I/O error. */
static bool
read_keys(struct settling *s)
{
	struct spool_head h;

	buf_reset(&s->keys);
	for (size_t i = 0; i < s->n; i++) {
		uint64_t place = s->c[i].e.place;

		if (!read_at(s->sp, place, &h, sizeof h))
			return false;
		buf_grow(&s->keys, h.keylen);
		if (!read_at(s->sp, place + sizeof h, s->keys.p + s->keys.len, h.keylen))
			return false;
		s->c[i].key_at = s->keys.len;
		s->c[i].keylen = h.keylen;
		s->keys.len += h.keylen;
	}
	for (size_t i = 0; i < s->n; i++)
		s->c[i].keys = s->keys.p;
	return true;
}

static bool
call_group(struct settling *s, size_t from, size_t to)
{
	bool failed;

	s->g = xgrow(s->g, &s->gcap, to - from, sizeof *s->g, 16);
	for (size_t i = from; i < to; i++)
		s->g[i - from] = s->c[i].e;
	if (s->group)
		return s->group(s->ctx, s->sp, s->g, to - from);
	spool_last_wins(s->sp, s->g, to - from, &failed);
	return !failed;
}

/*
 * The records of one hash: one key, unless keys collide there, which only
 * reading them back can tell. The records come in place order.
 */
static bool
settle_hash(struct settling *s)
{
	size_t from = 0;

	if (s->n == 1)
		return call_group(s, 0, 1);
	if (!read_keys(s))
		return false;
	qsort(s->c, s->n, sizeof *s->c, cmp_candidate);
	for (size_t i = 1; i <= s->n; i++)
		if (i == s->n || !same_key(&s->c[i], &s->c[from])) {
			if (!call_group(s, from, i))
				return false;
			from = i;
		}
	return true;
}

bool
spool_settle(struct spool *sp, spool_group_fn group, void *ctx)
{
	struct settling s = {sp, group, ctx, NULL, NULL, 0, 0, 0, {0}};
	struct run_entry e;
	uint64_t hash = 0;
	bool failed = false, ok = true;

	if (sp->settled)
		return true;
	sp->settled = true;
	if (!runs_merge(&sp->keyed))
		return false;
	while (ok && runs_next(&sp->keyed, &e, &failed)) {
		if (s.n && e.major != hash) {
			ok = settle_hash(&s);
			s.n = 0;
		}
		hash = e.major;
		s.c = xgrow(s.c, &s.cap, s.n + 1, sizeof *s.c, 16);
		s.c[s.n++] = (struct candidate){entry_of(&e), 0, 0, NULL};
	}
	if (ok && !failed && s.n)
		ok = settle_hash(&s);
	free(s.c);
	free(s.g);
	buf_free(&s.keys);
	sp->fates_merged = true;
	return ok && !failed && runs_merge(&sp->fates);
}

/* The next record in order into *it; false at the end or on an I/O error (errno set). */
static bool
read_next(struct spool *sp, uint64_t place, struct spool_item *it)
{
	struct spool_head h;
	size_t n;

	if (fread(&h, sizeof h, 1, sp->f) != 1 ||
	    (n = (size_t)h.keylen + h.textlen,
		fread(room(&sp->body, n), 1, n, sp->f) != n)) {
		if (!ferror(sp->f))
			errno = EIO; /* cut short */
		return false;
	}
	item_of(sp, place, &h, it);
	return true;
}

bool
spool_replay(struct spool *sp, spool_item_fn each, void *ctx)
{
	struct run_entry fate;
	bool have, failed = false;
	struct spool_item it;

	if (fflush(sp->f) != 0 || fseeko(sp->f, 0, SEEK_SET) != 0)
		return false;
	sp->flushed = true;
	have = runs_next(&sp->fates, &fate, &failed);
	for (uint64_t place = 0; !failed && place < sp->size;
	     place += sizeof(struct spool_head) + it.keylen + it.n) {
		if (!read_next(sp, place, &it))
			return false;
		if (have && fate.major == place) {
			it.fate = (enum spool_fate)fate.carried[0];
			it.aux = (int64_t)fate.carried[1];
			/* The first fate holds: later ones are skipped and uncounted. */
			while ((have = runs_next(&sp->fates, &fate, &failed)) &&
			    fate.major == place)
				count_fate(sp, (enum spool_fate)fate.carried[0], -1);
		}
		if (it.role != SPOOL_VOID && !each(ctx, &it))
			return false;
	}
	return !failed;
}

void
spool_close(struct spool *sp)
{
	if (sp->f)
		fclose(sp->f);
	free(sp->f_buf);
	runs_free(&sp->keyed);
	runs_free(&sp->fates);
	buf_free(&sp->body);
	buf_free(&sp->window);
	memset(sp, 0, sizeof *sp);
}
