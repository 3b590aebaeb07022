/*
 * spool_test.c: lib/stream/spool.h's contract, checked without a framework: round
 * trips by place, the replay, last wins under forced hash collisions, split
 * parts, members, void exports, a stage's own group callback, sorted runs
 * merged from disk, and I/O failures. Prints "unit: spool N checks ok", or
 * each failed check (file:line and the expression) and exits 1.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "spool.h"

static void
open_spool(struct spool *sp, size_t run_entries)
{
	struct buf err = {0};

	if (!(run_entries ? spool_open_sized(sp, run_entries, &err)
			  : spool_open(sp, &err))) {
		fprintf(
		    stderr, "spool_test: %s\n", err.p ? err.p : "cannot open a spool");
		exit(1);
	}
	buf_free(&err);
}

/* ---- What a test spools, and the model of what the replay must give ---- */

/* A record as the tests describe it; key is an index into the test's keys. */
struct rec {
	enum spool_role role;
	int key; /* -1: none (SPOOL_PLAIN) */
	uint32_t source, part;
	long line;
	bool one_place;
	/* Filled in: */
	uint64_t place;
	enum spool_fate fate; /* the model's */
	int64_t aux; /* the model's (not checked for SPOOL_SUPERSEDED) */
};

/* A record's text: its line and key, so that a mix-up shows. */
static size_t
text_of(const struct rec *r, const char *const *keys, char *out, size_t size)
{
	int n = snprintf(out, size, "{\"line\":%ld,\"key\":\"%s\"}", r->line,
	    r->key >= 0 ? keys[r->key] : "");

	return (size_t)n;
}

static uint64_t
tag_of(const struct rec *r)
{
	return (uint64_t)r->line * 1000003u + 17u;
}

static uint64_t
add_rec(struct spool *sp, struct rec *r, const char *const *keys)
{
	char text[256];
	struct spool_rec sr = {0};

	sr.n = text_of(r, keys, text, sizeof text);
	sr.text = text;
	if (r->key >= 0) {
		sr.key = keys[r->key];
		sr.keylen = strlen(keys[r->key]);
	}
	sr.role = r->role;
	sr.tag = tag_of(r);
	sr.source = r->source;
	sr.part = r->part;
	sr.line = r->line;
	sr.one_place = r->one_place;
	return r->place = spool_add(sp, &sr);
}

/* Spool v[0..n) in order: one check for them all. */
static void
add_all(struct spool *sp, struct rec *v, size_t n, const char *const *keys)
{
	size_t i = 0;

	while (i < n && add_rec(sp, &v[i], keys) != SPOOL_FAILED)
		i++;
	CHECK(i == n);
}

/* Two exports from one place of an input that keeps a key in one place. */
static bool
model_joined(const struct rec *earlier, const struct rec *later)
{
	return later->one_place && later->source == earlier->source &&
	    later->part == earlier->part;
}

/*
 * The contract, said another way than spool_last_wins says it: per key,
 * the exports (not void ones) in order; an export joined to the one before
 * or after it is a part naming that one's line (the one before first);
 * else a later export supersedes it; else it is kept. Members, void
 * records and plain ones are kept. nkeys bounds the key indexes.
 */
static void
model_settle(struct rec *v, size_t n, int nkeys, long *superseded, long *parts)
{
	long *prev_export = xmalloc((size_t)nkeys * sizeof *prev_export);
	long *next = xmalloc(n * sizeof *next), *prev = xmalloc(n * sizeof *prev);

	for (int k = 0; k < nkeys; k++)
		prev_export[k] = -1;
	for (size_t i = 0; i < n; i++) {
		next[i] = prev[i] = -1;
		if (v[i].role != SPOOL_EXPORT)
			continue;
		prev[i] = prev_export[v[i].key];
		if (prev[i] >= 0)
			next[prev[i]] = (long)i;
		prev_export[v[i].key] = (long)i;
	}
	*superseded = *parts = 0;
	for (size_t i = 0; i < n; i++) {
		struct rec *r = &v[i];
		bool jp = prev[i] >= 0 && model_joined(&v[prev[i]], r);
		bool jn = next[i] >= 0 && model_joined(r, &v[next[i]]);

		r->fate = SPOOL_KEEP;
		r->aux = SPOOL_NO_AUX;
		if (r->role != SPOOL_EXPORT)
			continue;
		if (jp || jn) {
			r->fate = SPOOL_PART;
			r->aux = v[jp ? prev[i] : next[i]].line;
			++*parts;
		} else if (next[i] >= 0) {
			r->fate = SPOOL_SUPERSEDED;
			++*superseded;
		}
	}
	free(prev_export);
	free(next);
	free(prev);
}

/* ---- The replay, collected ---- */

struct seen {
	uint64_t place, tag;
	enum spool_role role;
	enum spool_fate fate;
	int64_t aux;
	unsigned flags;
	uint32_t source;
	long line;
	char *key, *text;
	size_t keylen, n;
};

struct replayed {
	struct seen *v;
	size_t n, cap;
};

static char *
copy_bytes(const char *p, size_t n)
{
	char *c = xmalloc(n + 1);

	if (n)
		memcpy(c, p, n);
	c[n] = '\0';
	return c;
}

static bool
collect(void *ctx, const struct spool_item *it)
{
	struct replayed *r = ctx;

	r->v = xgrow(r->v, &r->cap, r->n + 1, sizeof *r->v, 64);
	r->v[r->n++] = (struct seen){it->place, it->tag, it->role, it->fate, it->aux,
	    it->flags, it->source, it->line, copy_bytes(it->key, it->keylen),
	    copy_bytes(it->text, it->n), it->keylen, it->n};
	return true;
}

static void
replayed_free(struct replayed *r)
{
	for (size_t i = 0; i < r->n; i++) {
		free(r->v[i].key);
		free(r->v[i].text);
	}
	free(r->v);
	memset(r, 0, sizeof *r);
}

static bool
replay(struct spool *sp, struct replayed *r)
{
	memset(r, 0, sizeof *r);
	return spool_replay(sp, collect, r);
}

/* The replayed record at place, or NULL. */
static const struct seen *
seen_at(const struct replayed *r, uint64_t place)
{
	for (size_t i = 0; i < r->n; i++)
		if (r->v[i].place == place)
			return &r->v[i];
	return NULL;
}

/*
 * The replay against the model: every record but void ones, in input
 * order, with its text, key, tag, line, source and the model's fate and
 * aux. Returns the mismatches (the first few printed).
 */
static long
mismatches(const struct replayed *got, const struct rec *v, size_t n,
    const char *const *keys, const char *what)
{
	long bad = 0;
	size_t j = 0;
	char text[256];

	for (size_t i = 0; i < n; i++) {
		const struct rec *r = &v[i];
		const struct seen *s = j < got->n ? &got->v[j] : NULL;
		size_t tn = text_of(r, keys, text, sizeof text);
		const char *key = r->key >= 0 ? keys[r->key] : "";
		bool ok;

		if (r->role == SPOOL_VOID)
			continue;
		j++;
		ok = s && s->place == r->place && s->role == r->role &&
		    s->fate == r->fate &&
		    (r->fate == SPOOL_SUPERSEDED || s->aux == r->aux) &&
		    s->tag == tag_of(r) && s->line == r->line && s->source == r->source &&
		    s->n == tn && memcmp(s->text, text, tn) == 0 &&
		    s->keylen == strlen(key) && memcmp(s->key, key, s->keylen) == 0;
		if (!ok && bad++ < 5)
			fprintf(stderr,
			    "%s: record %zu (line %ld, key '%s'): want fate %d aux %lld, "
			    "got %s fate %d aux %lld line %ld\n",
			    what, i, r->line, key, (int)r->fate, (long long)r->aux,
			    s ? "" : "nothing:", s ? (int)s->fate : -1,
			    s ? (long long)s->aux : 0, s ? s->line : -1);
	}
	if (j != got->n) {
		fprintf(
		    stderr, "%s: %zu records replayed, %zu wanted\n", what, got->n, j);
		bad++;
	}
	return bad;
}

/*
 * Spool v, settle with last wins alone, replay, and compare with the
 * model, the counters too.
 */
static void
check_last_wins(struct spool *sp, struct rec *v, size_t n, const char *const *keys,
    int nkeys, const char *what)
{
	struct replayed got;
	long superseded, parts;

	add_all(sp, v, n, keys);
	model_settle(v, n, nkeys, &superseded, &parts);
	CHECK(spool_settle(sp, NULL, NULL));
	CHECK(replay(sp, &got));
	CHECK(mismatches(&got, v, n, keys, what) == 0);
	CHECK(sp->superseded == superseded);
	CHECK(sp->parts == parts);
	replayed_free(&got);
}

/* ---- Round trips by place ---- */

struct entry_want {
	size_t n;
	struct spool_entry e[4];
	int calls;
};

/* The settle gives each keyed record's entry back as it was spooled. */
static bool
group_entries(void *ctx, struct spool *sp, const struct spool_entry *g, size_t n)
{
	struct entry_want *w = ctx;

	(void)sp;
	w->calls++;
	for (size_t i = 0; i < n; i++) {
		bool found = false;

		for (size_t k = 0; k < w->n; k++) {
			const struct spool_entry *e = &w->e[k];

			if (e->place != g[i].place)
				continue;
			found = true;
			CHECK(g[i].tag == e->tag);
			CHECK(g[i].role == e->role);
			CHECK(g[i].source == e->source);
			CHECK(g[i].part == e->part);
			CHECK(g[i].one_place == e->one_place);
		}
		CHECK(found);
	}
	return true;
}

static void
check_item(struct spool *sp, uint64_t place, const struct spool_rec *r)
{
	struct spool_item it;
	bool is_void = r->role == SPOOL_VOID;
	size_t keylen = r->role == SPOOL_PLAIN ? 0 : r->keylen;

	if (!CHECK(spool_read(sp, place, &it)))
		return;
	CHECK(it.place == place);
	CHECK(it.tag == r->tag);
	CHECK(it.role == r->role);
	CHECK(it.fate == SPOOL_KEEP);
	CHECK(it.aux == SPOOL_NO_AUX);
	CHECK(it.flags == r->flags);
	CHECK(it.source == r->source);
	CHECK(it.line == r->line);
	CHECK(it.keylen == keylen);
	CHECK(memcmp(it.key, r->key ? r->key : "", keylen) == 0);
	CHECK(it.n == (is_void ? 0 : r->n));
	CHECK(is_void || memcmp(it.text, r->text, r->n) == 0);
	CHECK(spool_line(sp, place) == r->line);
}

static void
test_round_trip(void)
{
	static const char nul_text[] = "a\0b\nc\"d";
	size_t big_n = (size_t)1 << 20;
	char *big = xmalloc(big_n);
	struct spool sp;
	struct spool_rec r[6] = {
	    {"plain one", 9, NULL, 0, SPOOL_PLAIN, SPOOL_PASS, 1, 0, 0, 1, false},
	    {"{\"order\":\"ORD-1\"}", 17, "ORD-1", 5, SPOOL_EXPORT, SPOOL_VERBATIM,
		UINT64_C(0xdeadbeefcafebabe), UINT32_MAX, (1u << 26) - 1, 123456789,
		true},
	    {"", 0, "ORD-1", 5, SPOOL_MEMBER, SPOOL_PASS | SPOOL_VERBATIM, 0, 3, 2, 7,
		false},
	    {"not kept", 8, "ORD-2", 5, SPOOL_VOID, 0, UINT64_MAX, 1, 1, 8, true},
	    {NULL, 0, "BIG", 3, SPOOL_EXPORT, 0, 42, 2, 0, 9, false},
	    {nul_text, sizeof nul_text - 1, "ignored", 7, SPOOL_PLAIN, 0, 5, 0, 0, 10,
		false},
	};
	uint64_t place[6];
	struct entry_want want = {0};

	for (size_t i = 0; i < big_n; i++)
		big[i] = (char)('a' + i * 7 % 26);
	r[4].text = big;
	r[4].n = big_n;
	open_spool(&sp, 0);
	for (size_t i = 0; i < 6; i++) {
		place[i] = spool_add(&sp, &r[i]);
		CHECK(place[i] != SPOOL_FAILED);
		CHECK(i == 0 || place[i] > place[i - 1]);
		/* Read back at once: the write buffer is flushed for it. */
		check_item(&sp, place[i], &r[i]);
		if (r[i].role != SPOOL_PLAIN)
			want.e[want.n++] = (struct spool_entry){place[i], r[i].tag,
			    r[i].role, r[i].source, r[i].part, r[i].one_place};
	}
	CHECK(place[0] == 0);
	for (size_t i = 6; i-- > 0;)
		check_item(&sp, place[i], &r[i]);
	CHECK(spool_settle(&sp, group_entries, &want));
	CHECK(want.calls == 3); /* ORD-1, ORD-2, BIG */
	check_item(&sp, place[4], &r[4]);
	spool_close(&sp);
	free(big);
}

/* ---- The replay ---- */

static void
test_replay_default(void)
{
	static const char *const keys[] = {"A", "B", "C", "D"};
	struct rec v[] = {
	    {SPOOL_PLAIN, -1, 0, 0, 1, false, 0, 0, 0},
	    {SPOOL_EXPORT, 0, 0, 0, 2, false, 0, 0, 0},
	    {SPOOL_MEMBER, 0, 0, 0, 3, false, 0, 0, 0},
	    {SPOOL_VOID, 1, 0, 0, 4, false, 0, 0, 0},
	    {SPOOL_EXPORT, 2, 1, 0, 5, true, 0, 0, 0},
	    {SPOOL_PLAIN, -1, 1, 0, 6, false, 0, 0, 0},
	    {SPOOL_MEMBER, 3, 1, 0, 7, false, 0, 0, 0},
	};
	struct spool sp;
	struct replayed got;
	size_t n = sizeof v / sizeof *v;

	open_spool(&sp, 0);
	check_last_wins(&sp, v, n, keys, 4, "replay");
	spool_close(&sp);

	/* Each record but the void one, in order, kept, with no aux. */
	open_spool(&sp, 0);
	add_all(&sp, v, n, keys);
	CHECK(spool_settle(&sp, NULL, NULL));
	CHECK(replay(&sp, &got));
	CHECK(got.n == n - 1);
	for (size_t i = 0, j = 0; i < n && j < got.n; i++) {
		if (v[i].role == SPOOL_VOID)
			continue;
		CHECK(got.v[j].place == v[i].place);
		CHECK(got.v[j].line == v[i].line);
		CHECK(got.v[j].fate == SPOOL_KEEP);
		CHECK(got.v[j].aux == SPOOL_NO_AUX);
		j++;
	}
	CHECK(seen_at(&got, v[3].place) == NULL);
	CHECK(sp.superseded == 0 && sp.parts == 0);
	replayed_free(&got);
	spool_close(&sp);
}

/* ---- Last wins ---- */

static void
test_last_wins(void)
{
	static const char *const keys[] = {"A", "B"};
	struct rec v[] = {
	    {SPOOL_EXPORT, 0, 0, 0, 1, false, 0, 0, 0},
	    {SPOOL_EXPORT, 1, 0, 0, 2, false, 0, 0, 0},
	    {SPOOL_PLAIN, -1, 0, 0, 3, false, 0, 0, 0},
	    {SPOOL_EXPORT, 0, 0, 0, 4, false, 0, 0, 0},
	    {SPOOL_PLAIN, -1, 0, 0, 5, false, 0, 0, 0},
	    {SPOOL_EXPORT, 0, 1, 0, 6, false, 0, 0, 0},
	    {SPOOL_PLAIN, -1, 0, 0, 7, false, 0, 0, 0},
	};
	struct spool sp;
	struct replayed got;

	open_spool(&sp, 0);
	add_all(&sp, v, 7, keys);
	CHECK(spool_settle(&sp, NULL, NULL));
	CHECK(replay(&sp, &got));
	CHECK(got.n == 7);
	CHECK(seen_at(&got, v[0].place)->fate == SPOOL_SUPERSEDED);
	CHECK(seen_at(&got, v[3].place)->fate == SPOOL_SUPERSEDED);
	CHECK(seen_at(&got, v[5].place)->fate == SPOOL_KEEP);
	CHECK(seen_at(&got, v[5].place)->aux == SPOOL_NO_AUX);
	CHECK(seen_at(&got, v[1].place)->fate == SPOOL_KEEP);
	CHECK(seen_at(&got, v[2].place)->fate == SPOOL_KEEP);
	CHECK(sp.superseded == 2);
	CHECK(sp.parts == 0);
	replayed_free(&got);
	spool_close(&sp);

	open_spool(&sp, 0);
	check_last_wins(&sp, v, 7, keys, 2, "last wins");
	spool_close(&sp);
}

/* ---- Forced hash collisions ---- */

static uint64_t
hash_constant(const char *key, size_t len)
{
	(void)key;
	(void)len;
	return 7;
}

/* "A1" and "A10" collide; other keys hash as usual. */
static uint64_t
hash_two(const char *key, size_t len)
{
	if ((len == 2 && memcmp(key, "A1", 2) == 0) ||
	    (len == 3 && memcmp(key, "A10", 3) == 0))
		return 99;
	return spool_key_hash(key, len);
}

static void
test_collisions(void)
{
	static const char *const keys[] = {"A", "B", "A1", "A10", "", "A100"};
	struct rec v[] = {
	    {SPOOL_EXPORT, 2, 0, 0, 1, false, 0, 0, 0},
	    {SPOOL_EXPORT, 3, 0, 0, 2, false, 0, 0, 0},
	    {SPOOL_EXPORT, 4, 0, 0, 3, false, 0, 0, 0},
	    {SPOOL_EXPORT, 0, 0, 0, 4, false, 0, 0, 0},
	    {SPOOL_PLAIN, -1, 0, 0, 5, false, 0, 0, 0},
	    {SPOOL_EXPORT, 3, 0, 0, 6, false, 0, 0, 0},
	    {SPOOL_EXPORT, 1, 0, 0, 7, false, 0, 0, 0},
	    {SPOOL_EXPORT, 4, 0, 0, 8, false, 0, 0, 0},
	    {SPOOL_MEMBER, 2, 0, 0, 9, false, 0, 0, 0},
	    {SPOOL_EXPORT, 5, 0, 0, 10, false, 0, 0, 0},
	    {SPOOL_EXPORT, 2, 1, 0, 11, false, 0, 0, 0},
	    {SPOOL_EXPORT, 4, 0, 0, 12, false, 0, 0, 0},
	    {SPOOL_EXPORT, 0, 1, 0, 13, false, 0, 0, 0},
	};
	size_t n = sizeof v / sizeof *v;
	uint64_t (*hashes[])(const char *, size_t) = {
	    spool_key_hash, hash_constant, hash_two};
	const char *what[] = {
	    "collisions: none", "collisions: all keys", "collisions: two keys"};
	struct spool sp;
	struct replayed got;

	for (size_t h = 0; h < 3; h++) {
		open_spool(&sp, 0);
		sp.hash = hashes[h];
		check_last_wins(&sp, v, n, keys, 6, what[h]);
		spool_close(&sp);
	}
	/* Distinct keys are never merged: each key's last export is kept. */
	open_spool(&sp, 0);
	sp.hash = hash_constant;
	add_all(&sp, v, n, keys);
	CHECK(spool_settle(&sp, NULL, NULL));
	CHECK(replay(&sp, &got));
	CHECK(seen_at(&got, v[12].place)->fate == SPOOL_KEEP); /* A */
	CHECK(seen_at(&got, v[6].place)->fate == SPOOL_KEEP); /* B */
	CHECK(seen_at(&got, v[10].place)->fate == SPOOL_KEEP); /* A1 */
	CHECK(seen_at(&got, v[5].place)->fate == SPOOL_KEEP); /* A10 */
	CHECK(seen_at(&got, v[11].place)->fate == SPOOL_KEEP); /* "" */
	CHECK(seen_at(&got, v[9].place)->fate == SPOOL_KEEP); /* A100 */
	CHECK(seen_at(&got, v[8].place)->fate == SPOOL_KEEP); /* A1's member */
	CHECK(seen_at(&got, v[0].place)->fate == SPOOL_SUPERSEDED);
	CHECK(seen_at(&got, v[2].place)->fate == SPOOL_SUPERSEDED);
	CHECK(seen_at(&got, v[7].place)->fate == SPOOL_SUPERSEDED);
	CHECK(seen_at(&got, v[1].place)->fate == SPOOL_SUPERSEDED);
	CHECK(seen_at(&got, v[3].place)->fate == SPOOL_SUPERSEDED);
	CHECK(sp.superseded == 5);
	replayed_free(&got);
	spool_close(&sp);
}

/* The winner of each key, by the index of its group. */
struct wins {
	long won[4]; /* by key index, read from the group's first record */
};

static bool
group_wins(void *ctx, struct spool *sp, const struct spool_entry *g, size_t n)
{
	struct wins *w = ctx;
	struct spool_item it;
	bool failed;

	if (!CHECK(spool_read(sp, g[0].place, &it)) || !CHECK(it.keylen == 1))
		return false;
	w->won[it.key[0] - 'A'] = spool_last_wins(sp, g, n, &failed);
	CHECK(!failed);
	return true;
}

/* ---- Split parts ---- */

static void
test_parts(void)
{
	static const char *const keys[] = {"A", "B", "C", "D"};
	struct rec v[] = {
	    {SPOOL_EXPORT, 0, 1, 0, 10, true, 0, 0, 0}, /* 0: A, part */
	    {SPOOL_EXPORT, 1, 1, 0, 11, true, 0, 0, 0}, /* 1: B between */
	    {SPOOL_EXPORT, 0, 1, 0, 12, true, 0, 0, 0}, /* 2: A's second part */
	    {SPOOL_EXPORT, 0, 1, 0, 13, true, 0, 0, 0}, /* 3: A's third part */
	    {SPOOL_EXPORT, 2, 1, 0, 14, true, 0, 0, 0}, /* 4: C in part 0 */
	    {SPOOL_EXPORT, 0, 2, 0, 20, true, 0, 0, 0}, /* 5: A from another source */
	    {SPOOL_EXPORT, 2, 1, 1, 21, true, 0, 0, 0}, /* 6: C in part 1 */
	    {SPOOL_EXPORT, 3, 1, 0, 30, true, 0, 0, 0}, /* 7: D */
	    {SPOOL_EXPORT, 3, 1, 0, 31, false, 0, 0, 0}, /* 8: D again, not one place */
	};
	size_t n = sizeof v / sizeof *v;
	struct spool sp;
	struct replayed got;
	const struct seen *s;

	open_spool(&sp, 0);
	add_all(&sp, v, n, keys);
	CHECK(spool_settle(&sp, NULL, NULL));
	CHECK(replay(&sp, &got));
	s = seen_at(&got, v[0].place);
	CHECK(s->fate == SPOOL_PART && s->aux == 12);
	s = seen_at(&got, v[2].place);
	CHECK(s->fate == SPOOL_PART && s->aux == 10);
	s = seen_at(&got, v[3].place);
	CHECK(s->fate == SPOOL_PART && s->aux == 12); /* the third names the second */
	s = seen_at(&got, v[5].place);
	CHECK(s->fate == SPOOL_KEEP && s->aux == SPOOL_NO_AUX); /* revived */
	CHECK(seen_at(&got, v[1].place)->fate == SPOOL_KEEP);
	CHECK(seen_at(&got, v[4].place)->fate == SPOOL_SUPERSEDED); /* another part */
	CHECK(seen_at(&got, v[6].place)->fate == SPOOL_KEEP);
	CHECK(seen_at(&got, v[7].place)->fate == SPOOL_SUPERSEDED);
	CHECK(seen_at(&got, v[8].place)->fate == SPOOL_KEEP);
	CHECK(sp.parts == 3);
	CHECK(sp.superseded == 2);
	replayed_free(&got);
	spool_close(&sp);

	/* The rule's answer: no winner while a key is in parts; the reviver wins. */
	for (size_t cut = 0; cut < 2; cut++) {
		struct wins w = {{-2, -2, -2, -2}};

		open_spool(&sp, 0);
		add_all(&sp, v, cut ? 5 : n, keys); /* cut: before A's revival */
		CHECK(spool_settle(&sp, group_wins, &w));
		CHECK(w.won[0] == (cut ? -1 : 3)); /* A: 10, 12, 13 parts; 20 wins */
		CHECK(w.won[1] == 0);
		CHECK(w.won[2] == (cut ? 0 : 1));
		CHECK(w.won[3] == (cut ? -2 : 1)); /* D: not spooled when cut */
		spool_close(&sp);
	}

	/* The same through the model, and with every key colliding. */
	for (int h = 0; h < 2; h++) {
		open_spool(&sp, 0);
		if (h)
			sp.hash = hash_constant;
		check_last_wins(&sp, v, n, keys, 4, h ? "parts, colliding" : "parts");
		spool_close(&sp);
	}
}

/* ---- Members ---- */

struct roles_seen {
	int calls_a, calls_m;
	long won_a, won_m;
};

/* Key A's group and key M's group, told apart by their first record's key. */
static bool
group_members(void *ctx, struct spool *sp, const struct spool_entry *g, size_t n)
{
	static const enum spool_role a[] = {
	    SPOOL_MEMBER, SPOOL_EXPORT, SPOOL_MEMBER, SPOOL_EXPORT, SPOOL_MEMBER};
	struct roles_seen *rs = ctx;
	struct spool_item it;
	bool failed;

	if (!CHECK(spool_read(sp, g[0].place, &it)))
		return false;
	if (it.keylen == 1 && it.key[0] == 'A') {
		rs->calls_a++;
		if (CHECK(n == 5))
			for (size_t i = 0; i < n; i++) {
				CHECK(g[i].role == a[i]);
				CHECK(i == 0 || g[i].place > g[i - 1].place);
			}
		rs->won_a = spool_last_wins(sp, g, n, &failed);
	} else {
		rs->calls_m++;
		CHECK(n == 2 && g[0].role == SPOOL_MEMBER && g[1].role == SPOOL_MEMBER);
		rs->won_m = spool_last_wins(sp, g, n, &failed);
	}
	CHECK(!failed);
	return true;
}

static void
test_members(void)
{
	static const char *const keys[] = {"A", "M"};
	struct rec v[] = {
	    {SPOOL_MEMBER, 0, 0, 0, 1, false, 0, 0, 0},
	    {SPOOL_EXPORT, 0, 0, 0, 2, true, 0, 0, 0},
	    {SPOOL_MEMBER, 1, 0, 0, 3, false, 0, 0, 0},
	    {SPOOL_MEMBER, 0, 0, 0, 4, true, 0, 0, 0},
	    {SPOOL_EXPORT, 0, 1, 0, 5, true, 0, 0, 0},
	    {SPOOL_MEMBER, 1, 0, 0, 6, false, 0, 0, 0},
	    {SPOOL_MEMBER, 0, 0, 0, 7, false, 0, 0, 0},
	};
	size_t n = sizeof v / sizeof *v;
	struct roles_seen rs = {0, 0, -2, -2};
	struct spool sp;
	struct replayed got;

	open_spool(&sp, 0);
	add_all(&sp, v, n, keys);
	CHECK(spool_settle(&sp, group_members, &rs));
	CHECK(rs.calls_a == 1 && rs.calls_m == 1);
	CHECK(rs.won_a == 3); /* A's last export, index 3 of its group */
	CHECK(rs.won_m == -1); /* members only: no export wins */
	CHECK(replay(&sp, &got));
	CHECK(got.n == n);
	for (size_t i = 0; i < n; i++)
		CHECK(seen_at(&got, v[i].place)->fate ==
		    (i == 1 ? SPOOL_SUPERSEDED : SPOOL_KEEP));
	CHECK(sp.superseded == 1);
	replayed_free(&got);
	spool_close(&sp);

	open_spool(&sp, 0);
	check_last_wins(&sp, v, n, keys, 2, "members");
	spool_close(&sp);
}

/* ---- Void exports: an order rejected in its last export ---- */

static void
test_void(void)
{
	static const char *const keys[] = {"A", "B", "C", "D"};
	struct rec v[] = {
	    {SPOOL_EXPORT, 0, 0, 0, 10, false, 0, 0, 0}, /* A: wins */
	    {SPOOL_VOID, 1, 0, 0, 11, false, 0, 0, 0}, /* B: void first */
	    {SPOOL_VOID, 0, 0, 0, 12, false, 0, 0, 0}, /* A: rejected last export */
	    {SPOOL_EXPORT, 2, 0, 0, 13, false, 0, 0, 0}, /* C: superseded */
	    {SPOOL_EXPORT, 1, 0, 0, 14, false, 0, 0, 0}, /* B: wins */
	    {SPOOL_VOID, 2, 0, 0, 15, false, 0, 0, 0}, /* C */
	    {SPOOL_VOID, 3, 0, 0, 16, false, 0, 0, 0}, /* D: void only */
	    {SPOOL_EXPORT, 2, 0, 0, 17, false, 0, 0, 0}, /* C: wins */
	};
	size_t n = sizeof v / sizeof *v;
	struct wins w = {{-2, -2, -2, -2}};
	struct spool sp;
	struct replayed got;

	open_spool(&sp, 0);
	add_all(&sp, v, n, keys);
	CHECK(spool_settle(&sp, group_wins, &w));
	CHECK(w.won[0] == 0);
	CHECK(w.won[1] == 1);
	CHECK(w.won[2] == 2);
	CHECK(w.won[3] == -1);
	CHECK(replay(&sp, &got));
	CHECK(got.n == 4);
	CHECK(seen_at(&got, v[0].place)->fate == SPOOL_KEEP);
	CHECK(seen_at(&got, v[3].place)->fate == SPOOL_SUPERSEDED);
	CHECK(seen_at(&got, v[4].place)->fate == SPOOL_KEEP);
	CHECK(seen_at(&got, v[7].place)->fate == SPOOL_KEEP);
	for (size_t i = 0; i < n; i++)
		if (v[i].role == SPOOL_VOID)
			CHECK(seen_at(&got, v[i].place) == NULL);
	replayed_free(&got);
	spool_close(&sp);

	open_spool(&sp, 0);
	check_last_wins(&sp, v, n, keys, 4, "void");
	spool_close(&sp);
}

/* ---- A stage's own group callback ---- */

enum { CUSTOM_KEYS = 3 };

struct custom {
	int calls[CUSTOM_KEYS];
	size_t want_n[CUSTOM_KEYS];
	bool stop; /* return false at the first group */
};

static bool
group_custom(void *ctx, struct spool *sp, const struct spool_entry *g, size_t n)
{
	struct custom *c = ctx;
	struct spool_item it;
	int k;
	bool failed;

	if (c->stop)
		return false;
	/* The line says the key in this test: X 1.., Y 101.., Z 201. */
	k = (int)(spool_line(sp, g[0].place) / 100);
	if (!CHECK(k >= 0 && k < CUSTOM_KEYS))
		return false;
	c->calls[k]++;
	CHECK(n == c->want_n[k]);
	for (size_t i = 0; i < n; i++) {
		CHECK(i == 0 || g[i].place > g[i - 1].place);
		CHECK(spool_line(sp, g[i].place) / 100 == k);
		CHECK(spool_read(sp, g[i].place, &it) && it.keylen == 1 &&
		    it.key[0] == 'X' + k);
	}
	switch (k) {
	case 0: /* consumed into the last, which is rejected; a second fate is ignored */
		CHECK(spool_set_fate(sp, g[0].place, SPOOL_CONSUMED, 111));
		CHECK(spool_set_fate(sp, g[0].place, SPOOL_REJECTED, 222));
		CHECK(spool_set_fate(sp, g[n - 1].place, SPOOL_REJECTED, -7));
		break;
	case 1: /* the rule, then a fate for the winner */
		CHECK(spool_last_wins(sp, g, n, &failed) == (long)n - 1 && !failed);
		CHECK(spool_set_fate(sp, g[n - 1].place, SPOOL_CONSUMED, INT64_MAX));
		CHECK(spool_set_fate(
		    sp, g[0].place, SPOOL_REJECTED, 5)); /* already superseded */
		break;
	default: /* left alone: all kept */
		break;
	}
	return true;
}

static void
test_custom_group(void)
{
	static const char *const keys[] = {"X", "Y", "Z"};
	struct rec v[] = {
	    {SPOOL_EXPORT, 0, 0, 0, 1, false, 0, 0, 0},
	    {SPOOL_EXPORT, 1, 0, 0, 101, false, 0, 0, 0},
	    {SPOOL_MEMBER, 0, 0, 0, 2, false, 0, 0, 0},
	    {SPOOL_EXPORT, 2, 0, 0, 201, false, 0, 0, 0},
	    {SPOOL_PLAIN, -1, 0, 0, 300, false, 0, 0, 0},
	    {SPOOL_EXPORT, 1, 0, 0, 102, false, 0, 0, 0},
	    {SPOOL_EXPORT, 0, 0, 0, 3, false, 0, 0, 0},
	    {SPOOL_EXPORT, 1, 0, 0, 103, false, 0, 0, 0},
	};
	size_t n = sizeof v / sizeof *v;
	struct custom c = {{0}, {3, 3, 1}, false};
	struct spool sp;
	struct replayed got;
	const struct seen *s;

	/* In memory; every key colliding; runs of 2 entries, a place's fates in two runs. */
	for (int h = 0; h < 3; h++) {
		memset(c.calls, 0, sizeof c.calls);
		open_spool(&sp, h == 2 ? 2 : 0);
		if (h)
			sp.hash = hash_constant;
		add_all(&sp, v, n, keys);
		CHECK(spool_settle(&sp, group_custom, &c));
		for (int k = 0; k < CUSTOM_KEYS; k++)
			CHECK(c.calls[k] == 1);
		CHECK(replay(&sp, &got));
		CHECK(got.n == n);
		s = seen_at(&got, v[0].place);
		CHECK(s->fate == SPOOL_CONSUMED && s->aux == 111);
		s = seen_at(&got, v[6].place);
		CHECK(s->fate == SPOOL_REJECTED && s->aux == -7);
		CHECK(seen_at(&got, v[2].place)->fate == SPOOL_KEEP);
		CHECK(seen_at(&got, v[1].place)->fate == SPOOL_SUPERSEDED);
		CHECK(seen_at(&got, v[5].place)->fate == SPOOL_SUPERSEDED);
		s = seen_at(&got, v[7].place);
		CHECK(s->fate == SPOOL_CONSUMED && s->aux == INT64_MAX);
		s = seen_at(&got, v[3].place);
		CHECK(s->fate == SPOOL_KEEP && s->aux == SPOOL_NO_AUX);
		CHECK(seen_at(&got, v[4].place)->fate == SPOOL_KEEP);
		replayed_free(&got);
		spool_close(&sp);
	}

	/* A group that stops stops the settle. */
	c.stop = true;
	open_spool(&sp, 0);
	add_all(&sp, v, n, keys);
	CHECK(!spool_settle(&sp, group_custom, &c));
	spool_close(&sp);
}

/*
 * After the replay the counters count the fates that hold: a record
 * rejected by the stage and then superseded by the rule is rejected, not
 * superseded.
 */
static bool
group_reject_then_rule(void *ctx, struct spool *sp, const struct spool_entry *g, size_t n)
{
	bool failed;

	(void)ctx;
	CHECK(spool_set_fate(sp, g[0].place, SPOOL_REJECTED, 1));
	spool_last_wins(sp, g, n, &failed);
	return !failed;
}

static void
test_counters_count_fates_that_hold(void)
{
	static const char *const keys[] = {"A"};
	struct rec v[] = {
	    {SPOOL_EXPORT, 0, 0, 0, 1, false, 0, 0, 0},
	    {SPOOL_EXPORT, 0, 0, 0, 2, false, 0, 0, 0},
	};
	struct spool sp;
	struct replayed got;

	open_spool(&sp, 0);
	add_all(&sp, v, 2, keys);
	CHECK(spool_settle(&sp, group_reject_then_rule, NULL));
	CHECK(replay(&sp, &got));
	CHECK(seen_at(&got, v[0].place)->fate == SPOOL_REJECTED);
	CHECK(sp.superseded == 0);
	replayed_free(&got);
	spool_close(&sp);
}

/* ---- Flat memory: the runs on disk ---- */

enum { BIG_RECORDS = 10000, BIG_KEYS = 2000 };

static uint32_t
lcg(uint32_t *s)
{
	*s = *s * 1664525u + 1013904223u;
	return *s >> 8;
}

/* Few buckets for 2,000 keys: every group has to be told apart by its keys. */
static uint64_t
hash_mod16(const char *key, size_t len)
{
	return spool_key_hash(key, len) % 16;
}

struct key_counts {
	int *calls;
	size_t *want_n;
	long bad;
};

/* Each key once, with all its records; the key read back from the record. */
static bool
group_count(void *ctx, struct spool *sp, const struct spool_entry *g, size_t n)
{
	struct key_counts *kc = ctx;
	struct spool_item it;
	bool failed;
	long k;

	if (!spool_read(sp, g[0].place, &it) || it.keylen < 2 || it.key[0] != 'K') {
		kc->bad++;
		return false;
	}
	k = strtol(it.key + 1, NULL, 10);
	if (k < 0 || k >= BIG_KEYS || ++kc->calls[k] != 1 || kc->want_n[k] != n)
		kc->bad++;
	for (size_t i = 1; i < n; i++)
		if (g[i].place <= g[i - 1].place)
			kc->bad++;
	spool_last_wins(sp, g, n, &failed);
	return !failed;
}

static void
test_runs_on_disk(void)
{
	static char names[BIG_KEYS][16];
	static const char *keys[BIG_KEYS];
	struct rec *v = xmalloc(BIG_RECORDS * sizeof *v);
	uint32_t seed = 14;
	long superseded, parts;
	struct spool sp;
	struct key_counts kc = {
	    xcalloc(BIG_KEYS, sizeof *kc.calls), xcalloc(BIG_KEYS, sizeof *kc.want_n), 0};

	for (int k = 0; k < BIG_KEYS; k++) {
		snprintf(
		    names[k], sizeof names[k], "K%u", (unsigned)k); /* K1, K10, K100... */
		keys[k] = names[k];
	}
	for (size_t i = 0; i < BIG_RECORDS; i++) {
		uint32_t r = lcg(&seed) % 100;
		struct rec *e = &v[i];

		memset(e, 0, sizeof *e);
		e->role = SPOOL_EXPORT;
		e->key = (int)(lcg(&seed) % BIG_KEYS);
		e->source = lcg(&seed) % 2;
		e->part = lcg(&seed) % 2;
		e->line = (long)i + 1;
		e->one_place = lcg(&seed) % 3 == 0;
		if (r < 6)
			e->role = SPOOL_PLAIN, e->key = -1;
		else if (r < 14)
			e->role = SPOOL_MEMBER;
		else if (r < 20)
			e->role = SPOOL_VOID;
		if (e->key >= 0)
			kc.want_n[e->key]++;
	}
	model_settle(v, BIG_RECORDS, BIG_KEYS, &superseded, &parts);
	/* The data exercise the rule: many superseded, some parts. */
	CHECK(superseded > 3000 && parts > 100);

	/* In memory, then in runs of 4 entries, then with 16 hashes. */
	for (int how = 0; how < 3; how++) {
		static const char *what[] = {
		    "in memory", "runs on disk", "runs, 16 hashes"};

		open_spool(&sp, how ? 4 : 0);
		if (how == 2)
			sp.hash = hash_mod16;
		check_last_wins(&sp, v, BIG_RECORDS, keys, BIG_KEYS, what[how]);
		if (how)
			CHECK(sp.keyed.nruns > 1000);
		spool_close(&sp);
	}

	/* A group callback over runs on disk sees each key once, whole. */
	open_spool(&sp, 4);
	sp.hash = hash_mod16;
	add_all(&sp, v, BIG_RECORDS, keys);
	CHECK(spool_settle(&sp, group_count, &kc));
	CHECK(kc.bad == 0);
	for (int k = 0; k < BIG_KEYS; k++)
		if (kc.want_n[k] && kc.calls[k] != 1)
			kc.bad++;
	CHECK(kc.bad == 0);
	CHECK(sp.superseded == superseded && sp.parts == parts);
	spool_close(&sp);
	free(kc.calls);
	free(kc.want_n);
	free(v);
}

/*
 * Few keys, inputs read one after another, each of parts joined, half of
 * them keeping keys in one place: long chains of parts and revivals, every
 * key colliding, in runs of 3 entries; three seeds.
 */
static void
test_few_keys(void)
{
	enum { RECORDS = 1500, KEYS = 20 };
	static const char *const keys[KEYS] = {"", "a", "ab", "abc", "b", "ba", "c", "ca",
	    "cab", "d", "e", "f", "g", "h", "i", "j", "k", "l", "m", "n"};
	struct rec v[RECORDS];
	long superseded, parts;
	struct spool sp;
	char what[32];

	for (uint32_t seed = 1; seed <= 3; seed++) {
		uint32_t s = seed;

		for (size_t i = 0; i < RECORDS; i++) {
			struct rec *e = &v[i];
			uint32_t r = lcg(&s) % 100;

			memset(e, 0, sizeof *e);
			e->role = r < 5 ? SPOOL_VOID
			    : r < 12    ? SPOOL_MEMBER
					: SPOOL_EXPORT;
			e->key = (int)(lcg(&s) % KEYS);
			e->source = (uint32_t)(i / 500);
			e->part = (uint32_t)(i / 100 % 3);
			e->line = (long)(i % 500) + 1;
			e->one_place = e->source != 1;
		}
		model_settle(v, RECORDS, KEYS, &superseded, &parts);
		CHECK(superseded > 100 && parts > 100);
		open_spool(&sp, 3);
		sp.hash = hash_constant;
		snprintf(what, sizeof what, "few keys, seed %u", (unsigned)seed);
		check_last_wins(&sp, v, RECORDS, keys, KEYS, what);
		spool_close(&sp);
	}
}

/* ---- Reading back during the replay ---- */

struct reader {
	struct spool *sp;
	uint64_t first;
	long n, bad;
};

/* A replay hook that reads another record back before it looks at its own. */
static bool
read_during(void *ctx, const struct spool_item *it)
{
	struct reader *r = ctx;
	uint64_t place = it->place;
	long line = it->line;
	struct spool_item other;

	if (!spool_read(r->sp, r->first, &other) || other.line != 1)
		r->bad++;
	/* it's key and text are gone with that read; the rest is its own. */
	if (it->place != place || it->line != line || spool_line(r->sp, place) != line)
		r->bad++;
	r->n++;
	return true;
}

static void
test_read_during_replay(void)
{
	static const char *const keys[] = {"A", "B"};
	struct rec v[] = {
	    {SPOOL_EXPORT, 0, 0, 0, 1, false, 0, 0, 0},
	    {SPOOL_PLAIN, -1, 0, 0, 2, false, 0, 0, 0},
	    {SPOOL_EXPORT, 1, 0, 0, 3, false, 0, 0, 0},
	    {SPOOL_EXPORT, 0, 0, 0, 4, false, 0, 0, 0},
	};
	struct spool sp;
	struct reader r = {&sp, 0, 0, 0};

	open_spool(&sp, 0);
	add_all(&sp, v, 4, keys);
	r.first = v[0].place;
	CHECK(spool_settle(&sp, NULL, NULL));
	CHECK(spool_replay(&sp, read_during, &r));
	CHECK(r.n == 4 && r.bad == 0);
	spool_close(&sp);
}

/* ---- Settling twice ---- */

static bool
group_never(void *ctx, struct spool *sp, const struct spool_entry *g, size_t n)
{
	(void)sp;
	(void)g;
	(void)n;
	++*(int *)ctx;
	return false;
}

static void
test_settle_twice(void)
{
	static const char *const keys[] = {"A"};
	struct rec v[] = {
	    {SPOOL_EXPORT, 0, 0, 0, 1, false, 0, 0, 0},
	    {SPOOL_EXPORT, 0, 0, 0, 2, false, 0, 0, 0},
	};
	int calls = 0;
	struct spool sp;
	struct replayed got;

	open_spool(&sp, 0);
	add_all(&sp, v, 2, keys);
	CHECK(spool_settle(&sp, NULL, NULL));
	CHECK(spool_settle(&sp, group_never, &calls));
	CHECK(calls == 0);
	CHECK(sp.superseded == 1);
	CHECK(replay(&sp, &got));
	CHECK(got.n == 2 && got.v[0].fate == SPOOL_SUPERSEDED &&
	    got.v[1].fate == SPOOL_KEEP);
	replayed_free(&got);
	spool_close(&sp);
}

/* ---- I/O failures ---- */

static bool
collect_stop(void *ctx, const struct spool_item *it)
{
	(void)it;
	return ++*(int *)ctx < 2;
}

static void
test_io_failures(void)
{
	static const char *const keys[] = {"A"};
	struct rec v[] = {
	    {SPOOL_EXPORT, 0, 0, 0, 1, false, 0, 0, 0},
	    {SPOOL_PLAIN, -1, 0, 0, 2, false, 0, 0, 0},
	    {SPOOL_EXPORT, 0, 0, 0, 3, false, 0, 0, 0},
	};
	struct spool sp;
	struct replayed got;
	struct spool_item it;
	int calls = 0, ro;

	/* Nothing past the end; a replay cut short by its callback stops. */
	open_spool(&sp, 0);
	add_all(&sp, v, 3, keys);
	CHECK(!spool_read(&sp, sp.size, &it));
	CHECK(spool_line(&sp, sp.size) == -1);
	CHECK(spool_settle(&sp, NULL, NULL));
	CHECK(!spool_replay(&sp, collect_stop, &calls));
	CHECK(calls == 2);
	spool_close(&sp);

	/* No temporary file: false with a message; a spool whose runs cannot spill. */
	{
		const char *dir = getenv("TMPDIR");
		char *saved = dir ? xstrdup(dir) : NULL;
		struct buf err = {0};

		setenv("TMPDIR", "/nonexistent/oms-unit", 1);
		CHECK(!spool_open(&sp, &err));
		CHECK(err.p && strstr(err.p, "/nonexistent/oms-unit"));
		spool_close(&sp);
		buf_free(&err);
		if (saved)
			setenv("TMPDIR", saved, 1);
		else
			unsetenv("TMPDIR");
		open_spool(&sp, 1);
		setenv("TMPDIR", "/nonexistent/oms-unit", 1);
		CHECK(add_rec(&sp, &v[0], keys) != SPOOL_FAILED);
		CHECK(
		    add_rec(&sp, &v[2], keys) == SPOOL_FAILED); /* the first run spills */
		if (saved)
			setenv("TMPDIR", saved, 1);
		else
			unsetenv("TMPDIR");
		free(saved);
		spool_close(&sp);
	}

	/* An empty spool settles and replays nothing. */
	open_spool(&sp, 0);
	CHECK(spool_settle(&sp, NULL, NULL));
	CHECK(replay(&sp, &got) && got.n == 0);
	replayed_free(&got);
	spool_close(&sp);

	/* A spool truncated under it: the replay fails with EIO. */
	open_spool(&sp, 0);
	add_all(&sp, v, 3, keys);
	CHECK(spool_settle(&sp, NULL, NULL));
	CHECK(fflush(sp.f) == 0 && ftruncate(fileno(sp.f), (off_t)sp.size - 3) == 0);
	errno = 0;
	CHECK(!replay(&sp, &got));
	CHECK(errno == EIO);
	CHECK(got.n == 2); /* the records before the cut were replayed */
	replayed_free(&got);
	spool_close(&sp);

	/* A spool that cannot be written: reads and the replay fail. */
	open_spool(&sp, 0);
	add_all(&sp, v, 1, keys);
	ro = open("/dev/null", O_RDONLY);
	CHECK(ro >= 0 && dup2(ro, fileno(sp.f)) >= 0);
	if (ro >= 0)
		close(ro);
	CHECK(!spool_read(&sp, v[0].place, &it));
	CHECK(spool_line(&sp, v[0].place) == -1);
	CHECK(!replay(&sp, &got));
	replayed_free(&got);
	spool_close(&sp);
}

/* A settled spool takes no more records or fates; a part or text too big is refused. */
static void
test_refused_after_settle(void)
{
	struct spool sp;
	struct spool_rec r = {0};

	open_spool(&sp, 0);
	r.text = "{}";
	r.n = 2;
	r.key = "A";
	r.keylen = 1;
	r.role = SPOOL_EXPORT;
	r.part = SPOOL_PARTS;
	errno = 0;
	CHECK(spool_add(&sp, &r) == SPOOL_FAILED && errno == EFBIG);
	r.part = SPOOL_PARTS - 1;
	CHECK(spool_add(&sp, &r) == 0);
	CHECK(spool_settle(&sp, NULL, NULL));
	errno = 0;
	CHECK(spool_add(&sp, &r) == SPOOL_FAILED && errno == EINVAL);
	errno = 0;
	CHECK(!spool_set_fate(&sp, 0, SPOOL_CONSUMED, 0) && errno == EINVAL);
	spool_close(&sp);
}

/*
 * Reads in order go through the read-ahead window: records read back in
 * order, then records added after the window was read, then out of order,
 * and one larger than the window, all come back whole.
 */
static void
test_read_ahead(void)
{
	struct spool sp;
	struct spool_rec r = {0};
	struct spool_item it;
	uint64_t place[3000];
	char text[64];
	static char big[300000];
	bool ok = true;

	open_spool(&sp, 0);
	for (int i = 0; i < 3000; i++) {
		if (i == 2000) { /* read the first 2000 in order before adding the rest */
			for (int j = 0; j < 2000; j++)
				ok = ok && spool_read(&sp, place[j], &it) &&
				    (long)it.tag == j;
			CHECK(ok);
		}
		r.n = (size_t)snprintf(text, sizeof text, "{\"n\":%d}", i);
		r.text = text;
		r.tag = (uint64_t)i;
		place[i] = spool_add(&sp, &r);
	}
	for (int j = 1990; j < 3000; j++)
		ok = ok && spool_read(&sp, place[j], &it) && (long)it.tag == j &&
		    it.n == (size_t)snprintf(text, sizeof text, "{\"n\":%d}", j) &&
		    memcmp(it.text, text, it.n) == 0;
	CHECK(ok);
	for (int j = 2999; j >= 0; j -= 7)
		ok = ok && spool_read(&sp, place[j], &it) && (long)it.tag == j;
	CHECK(ok);
	memset(big, 'x', sizeof big);
	r.text = big;
	r.n = sizeof big;
	r.tag = 7;
	place[0] = spool_add(&sp, &r);
	CHECK(spool_read(&sp, place[2999], &it) && it.tag == 2999);
	CHECK(spool_read(&sp, place[0], &it) && it.n == sizeof big && it.text[0] == 'x' &&
	    it.text[sizeof big - 1] == 'x');
	spool_close(&sp);
}

int
main(void)
{
	test_round_trip();
	test_replay_default();
	test_last_wins();
	test_collisions();
	test_parts();
	test_members();
	test_void();
	test_custom_group();
	test_counters_count_fates_that_hold();
	test_runs_on_disk();
	test_few_keys();
	test_read_during_replay();
	test_settle_twice();
	test_refused_after_settle();
	test_read_ahead();
	test_io_failures();
	return check_report("spool");
}
