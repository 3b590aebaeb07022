/* lines.c: physical lines from a FILE in large reads, bounded so one bad line cannot eat memory. */
#include "lines.h"

#include <stdlib.h>
#include <string.h>

#include "util.h"

#define CHUNK (256u << 10)

void
lr_init(struct lr *r, FILE *f)
{
	memset(r, 0, sizeof *r);
	r->f = f;
	r->cap = CHUNK * 2;
	r->buf = xmalloc(r->cap);
}

void
lr_free(struct lr *r)
{
	free(r->buf);
	r->buf = NULL;
}

/* Read more input after what is buffered; false when nothing more came. */
static bool
refill(struct lr *r)
{
	size_t got;

	if (r->eof)
		return false;
	if (r->start > 0) {
		memmove(r->buf, r->buf + r->start, r->end - r->start);
		r->end -= r->start;
		r->start = 0;
	}
	if (r->cap - r->end < CHUNK) {
		r->cap *= 2;
		r->buf = xrealloc(r->buf, r->cap);
	}
	got = fread(r->buf + r->end, 1, r->cap - r->end, r->f);
	r->end += got;
	if (got == 0) {
		r->eof = true;
		r->error = ferror(r->f) != 0;
		return false;
	}
	return true;
}

size_t
lr_peek(struct lr *r, const char **p, size_t n)
{
	while (r->end - r->start < n && refill(r))
		;
	if (!r->started && r->end - r->start >= 3 &&
	    memcmp(r->buf + r->start, "\xEF\xBB\xBF", 3) == 0)
		r->start += 3;
	r->started = true;
	*p = r->buf + r->start;
	return r->end - r->start < n ? r->end - r->start : n;
}

/* Offset just past the terminator of the line at start, or 0 if none yet. */
static size_t
find_end(const struct lr *r, size_t from)
{
	const char *b = r->buf, *nl, *cr;
	size_t lim, i;

	if (from >= r->end)
		return 0;
	/* memchr scans in wide words; a byte loop here was a tenth of a run. */
	nl = memchr(b + from, '\n', r->end - from);
	lim = nl ? (size_t)(nl - b) : r->end;
	cr = memchr(b + from, '\r', lim - from);
	if (!cr)
		return nl ? lim + 1 : 0;
	i = (size_t)(cr - b);
	if (i + 1 < r->end)
		return b[i + 1] == '\n' ? i + 2 : i + 1;
	if (r->eof)
		return i + 1;
	return 0; /* need one more byte to tell */
}

/* Skip the rest of an overlong line, up to and including its terminator. */
static void
skip_rest(struct lr *r)
{
	for (;;) {
		size_t e = find_end(r, r->start);

		if (e) {
			r->start = e;
			return;
		}
		r->start = r->end;
		if (!refill(r))
			return;
	}
}

bool
lr_next(struct lr *r, const char **line, size_t *len, bool *overlong)
{
	const char *unused;
	size_t scanned = 0, e;

	if (!r->started)
		lr_peek(r, &unused, 3);
	*overlong = false;
	for (;;) {
		e = find_end(r, r->start + scanned);
		if (e)
			break;
		scanned = r->end - r->start;
		if (scanned > 0 && r->buf[r->end - 1] == '\r')
			scanned--;
		if (scanned > LINE_MAX_BYTES) {
			/* Keep the head for the reject; the buffer is reused. */
			*overlong = true;
			memcpy(r->head, r->buf + r->start, sizeof r->head);
			skip_rest(r);
			r->lineno++;
			*line = r->head;
			*len = sizeof r->head;
			return true;
		}
		if (!refill(r)) {
			if (r->error || r->end == r->start)
				return false;
			e = r->end; /* last line without a terminator */
			break;
		}
	}
	*line = r->buf + r->start;
	*len = e - r->start;
	if (*len > LINE_MAX_BYTES) {
		*overlong = true;
		*len = sizeof r->head;
	}
	r->start = e;
	r->lineno++;
	return true;
}

size_t
lr_chomp_len(const char *line, size_t len)
{
	while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
		len--;
	return len;
}
