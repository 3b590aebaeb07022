/* stream.c: one home for what every tool does around its records: open, reject, count, finish. */
#include "stream.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"

static struct source *
open_canonical(const char *path, void *ctx, struct buf *err)
{
	const struct oms_opts *o = ctx;

	return rr_open(path, o->in_fmt, err);
}

static void
close_sources(struct stream *s)
{
	for (int i = 0; i < s->nsrc; i++)
		if (s->src[i])
			s->src[i]->close(s->src[i]);
	free(s->src);
	s->src = NULL;
	s->nsrc = 0;
}

int
stream_open(struct stream *s, const struct oms_opts *o, char **paths, int npaths,
    source_opener open, void *ctx)
{
	static char *std_in[] = {"-"};
	int stdin_uses = 0;

	memset(s, 0, sizeof *s);
	s->o = o;
	if (npaths == 0) {
		paths = std_in;
		npaths = 1;
	}
	if (!open) {
		open = open_canonical;
		ctx = (void *)o;
	}
	for (int i = 0; i < npaths; i++)
		stdin_uses += strcmp(paths[i], "-") == 0;
	if (stdin_uses > 1) {
		warnmsg("standard input (-) can be named only once");
		return EXIT_USAGE;
	}
	s->src = xcalloc((size_t)npaths, sizeof *s->src);
	s->nsrc = npaths;
	/* Every input is opened, and CSV headers read, before anything is written. */
	for (int i = 0; i < npaths; i++) {
		buf_reset(&s->tmp);
		if (!(s->src[i] = open(paths[i], ctx, &s->tmp))) {
			warnmsg("%s", s->tmp.p ? s->tmp.p : paths[i]);
			close_sources(s);
			buf_free(&s->tmp);
			return EXIT_USAGE;
		}
	}
	buf_reset(&s->tmp);
	if (!(s->out = of_open("-O", o->output, 0, &s->tmp)) ||
	    (o->rejects &&
		!(s->rej = of_open("--rejects", o->rejects, OF_DIAGNOSTIC, &s->tmp)))) {
		warnmsg("%s", s->tmp.p);
		of_abort_all();
		close_sources(s);
		buf_free(&s->tmp);
		return EXIT_USAGE;
	}
	rw_init(&s->w, s->out->f, o->out_fmt);
	return 0;
}

/* A JSON string of s[0..n), invalid UTF-8 (which JSON cannot hold) as U+FFFD. */
static json_t *
json_text(const char *s, size_t n)
{
	struct buf clean = {0};
	json_t *j;

	if (utf8_valid(s, n))
		return json_stringn(s, n);
	utf8_sanitize(s, n, &clean);
	j = json_stringn(clean.p, clean.len);
	buf_free(&clean);
	return j;
}

/*
 * The reject as one NDJSON line: file, line, reason and the text as read.
 * It goes through msg_escape, on standard error or in a --rejects file
 * (which may be a terminal too): JSON text stays JSON with the same
 * meaning, as only DEL and C1 controls, legal raw in JSON, become \u
 * escapes.
 */
static void
write_reject(struct stream *s, const char *file, long line, const char *reason,
    const char *raw, size_t raw_len)
{
	json_t *r = json_object();
	struct buf text = {0}, safe = {0};

	json_object_set_new(r, "file", json_text(file, strlen(file)));
	json_object_set_new(r, "line", json_integer(line));
	json_object_set_new(r, "reason", json_text(reason, strlen(reason)));
	json_object_set_new(r, "record", json_text(raw, raw_len));
	jw_value(&text, r);
	msg_escape(&safe, text.p, text.len);
	buf_addc(&safe, '\n');
	fwrite(safe.p, 1, safe.len, s->rej ? s->rej->f : stderr);
	buf_free(&safe);
	buf_free(&text);
	json_decref(r);
}

void
stream_reject_at(struct stream *s, const char *file, long line, const char *reason,
    const char *raw, size_t raw_len)
{
	warnmsg("%s:%ld: %s", file, line, reason);
	write_reject(s, file, line, reason, raw ? raw : "", raw ? raw_len : 0);
	s->n.rejected++;
	if (s->o->strict)
		s->stopped = true;
}

/* Tell the source of the record last read what became of it, if it asks. */
static void
tell_source(struct stream *s, enum rr_fate fate, long line)
{
	struct rr_verdict v = {fate, line};

	if (s->cur < s->nsrc && s->src[s->cur]->verdict)
		s->src[s->cur]->verdict(s->src[s->cur], &v);
}

void
stream_told(struct stream *s, enum rr_fate fate)
{
	tell_source(s, fate, -1);
}

const char *
stream_source_name(const struct stream *s, uint32_t source)
{
	return source < (uint32_t)s->nsrc ? s->src[source]->name : "-";
}

bool
stream_next(struct stream *s, struct rr_item *it)
{
	while (!s->stopped && !s->failed && s->cur < s->nsrc) {
		struct source *src = s->src[s->cur];

		memset(it, 0, sizeof *it);
		it->file = src->name;
		switch (src->next(src, it)) {
		case RR_RECORD:
			s->n.read++;
			return true;
		case RR_REJECT:
			s->n.read++;
			stream_reject_at(
			    s, it->file, it->line, it->reason, it->raw, it->raw_len);
			break;
		case RR_EOF:
			s->cur++;
			break;
		case RR_IOERR:
			warnmsg("%s: read error: %s", it->file, it->reason);
			s->failed = true;
			break;
		}
	}
	return false;
}

/* Reject it at line (its own, or that of one of its lines), with the reason from fmt. */
static void
reject_v(
    struct stream *s, const struct rr_item *it, long line, const char *fmt, va_list ap)
{
	struct buf why = {0};

	buf_vprintf(&why, fmt, ap);
	stream_reject_at(s, it->file, line, why.p, it->raw, it->raw_len);
	buf_free(&why);
}

void
stream_reject(struct stream *s, const struct rr_item *it, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	reject_v(s, it, it->line, fmt, ap);
	va_end(ap);
	tell_source(s, RR_REFUSED, -1);
}

void
stream_reject_line(struct stream *s, const struct rr_item *it, long line,
    enum rr_fate why, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	reject_v(s, it, line >= 0 ? rr_line_of(it, (size_t)line) : it->line, fmt, ap);
	va_end(ap);
	tell_source(s, why, line);
}

static void
print_stats(struct stream *s, const char *tool_counts)
{
	const struct stream_counts *n = &s->n;

	warnmsg("stats: in=%ld passed=%ld out=%ld rejected=%ld consumed=%ld "
		"created=%ld%s%s",
	    n->read - n->passed, n->passed, n->out, n->rejected, n->consumed, n->created,
	    tool_counts && *tool_counts ? " " : "", tool_counts ? tool_counts : "");
}

int
stream_close(struct stream *s, const char *tool_counts)
{
	bool keep;
	int status;

	keep = !s->failed && !s->stopped && !s->broken;
	/* A source's last words (an 850's 997) are written as it closes. */
	close_sources(s);
	buf_reset(&s->tmp);
	if (!of_commit_all(keep, &s->tmp)) {
		warnmsg("%s", s->tmp.p);
		s->failed = true;
	}
	if (s->o->stats)
		print_stats(s, tool_counts);
	status = s->failed  ? EXIT_USAGE
	    : s->broken     ? EXIT_INVARIANT
	    : s->n.rejected ? EXIT_REJECTS
			    : EXIT_OK;
	rw_free(&s->w);
	buf_free(&s->tmp);
	return status;
}

const char *
stream_text(const struct rr_item *it, struct buf *tmp, size_t *n)
{
	const char *p = it->raw;
	size_t len = it->raw_len;

	while (len && (*p == ' ' || *p == '\t'))
		p++, len--;
	if (len && *p == '{') {
		*n = len;
		return p;
	}
	buf_reset(tmp);
	rw_ndjson(it->rec, tmp);
	*n = tmp->len;
	return tmp->p;
}
