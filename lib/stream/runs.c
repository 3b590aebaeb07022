/* runs.c: sorted runs of fixed-size entries in one temporary file, merged through a heap. */
#include "runs.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util.h"

#define CURSOR_ENTRIES 128 /* read a run back 4 KiB at a time */

struct run_cursor {
	uint64_t at, end; /* next entry to read from the file, and the run's end */
	struct run_entry buf[CURSOR_ENTRIES];
	size_t n, i; /* entries in buf, and the current one */
};

static int
cmp_entry(const struct run_entry *x, const struct run_entry *y)
{
	if (x->major != y->major)
		return x->major < y->major ? -1 : 1;
	if (x->minor != y->minor)
		return x->minor < y->minor ? -1 : 1;
	return 0;
}

static int
cmp_void(const void *x, const void *y)
{
	return cmp_entry(x, y);
}

void
runs_init(struct runs *r, size_t cap)
{
	memset(r, 0, sizeof *r);
	r->cap = cap ? cap : 1;
	r->buf = xmalloc(r->cap * sizeof *r->buf);
}

/* Sort what is in memory and write it as the next run. */
static bool
spill(struct runs *r)
{
	struct buf err = {0};

	if (!r->f && !(r->f = temp_file(&err))) {
		buf_free(&err);
		return false;
	}
	qsort(r->buf, r->n, sizeof *r->buf, cmp_void);
	if (fwrite(r->buf, sizeof *r->buf, r->n, r->f) != r->n)
		return false;
	r->ends = xrealloc(r->ends, (r->nruns + 1) * sizeof *r->ends);
	r->ends[r->nruns] = (r->nruns ? r->ends[r->nruns - 1] : 0) + r->n;
	r->nruns++;
	r->n = 0;
	return true;
}

bool
runs_add(struct runs *r, const struct run_entry *e)
{
	if (r->n == r->cap && !spill(r))
		return false;
	r->buf[r->n++] = *e;
	return true;
}

/* Refill a cursor from its run; false at the run's end or on an error. */
static bool
refill(struct runs *r, struct run_cursor *c, bool *failed)
{
	size_t want =
	    c->end - c->at < CURSOR_ENTRIES ? (size_t)(c->end - c->at) : CURSOR_ENTRIES;
	ssize_t got;

	if (want == 0)
		return false;
	got = pread(
	    fileno(r->f), c->buf, want * sizeof *c->buf, (off_t)(c->at * sizeof *c->buf));
	if (got != (ssize_t)(want * sizeof *c->buf)) {
		*failed = true;
		return false;
	}
	c->at += want;
	c->n = want;
	c->i = 0;
	return true;
}

static bool
heap_less(const struct runs *r, size_t x, size_t y)
{
	const struct run_cursor *a = &r->cur[r->heap[x]], *b = &r->cur[r->heap[y]];
	int c = cmp_entry(&a->buf[a->i], &b->buf[b->i]);

	return c < 0 || (c == 0 && r->heap[x] < r->heap[y]); /* earlier runs first */
}

static void
heap_down(struct runs *r, size_t i)
{
	for (;;) {
		size_t least = i, l = 2 * i + 1, rt = 2 * i + 2, t;

		if (l < r->nheap && heap_less(r, l, least))
			least = l;
		if (rt < r->nheap && heap_less(r, rt, least))
			least = rt;
		if (least == i)
			return;
		t = r->heap[i];
		r->heap[i] = r->heap[least];
		r->heap[least] = t;
		i = least;
	}
}

bool
runs_merge(struct runs *r)
{
	bool failed = false;

	if (!r->f) { /* everything stayed in memory */
		qsort(r->buf, r->n, sizeof *r->buf, cmp_void);
		r->next = 0;
		return true;
	}
	if (r->n && !spill(r))
		return false;
	if (fflush(r->f) != 0)
		return false;
	free(r->buf); /* the runs are read back through the cursors */
	r->buf = NULL;
	r->cur = xcalloc(r->nruns, sizeof *r->cur);
	r->heap = xmalloc(r->nruns * sizeof *r->heap);
	for (size_t i = 0; i < r->nruns; i++) {
		r->cur[i].at = i ? r->ends[i - 1] : 0;
		r->cur[i].end = r->ends[i];
		if (refill(r, &r->cur[i], &failed))
			r->heap[r->nheap++] = i;
		else if (failed)
			return false;
	}
	for (size_t i = r->nheap; i-- > 0;)
		heap_down(r, i);
	return true;
}

bool
runs_next(struct runs *r, struct run_entry *e, bool *failed)
{
	struct run_cursor *c;

	*failed = false;
	if (!r->f) {
		if (r->next == r->n)
			return false;
		*e = r->buf[r->next++];
		return true;
	}
	if (r->nheap == 0)
		return false;
	c = &r->cur[r->heap[0]];
	*e = c->buf[c->i++];
	if (c->i == c->n && !refill(r, c, failed)) {
		if (*failed)
			return false;
		r->heap[0] = r->heap[--r->nheap];
	}
	heap_down(r, 0);
	return true;
}

void
runs_free(struct runs *r)
{
	if (r->f)
		fclose(r->f);
	free(r->buf);
	free(r->ends);
	free(r->cur);
	free(r->heap);
	memset(r, 0, sizeof *r);
}
