/* stage.c: the driver of every tool: take, settle, check, replay, finish, commit. */
#include "stage.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "outfile.h"
#include "schema.h"

struct stage {
	const struct stage_ops *ops;
	void *self;
	struct stream s;
	struct spool sp;
	bool keep; /* the replay writes: nothing stopped, failed or broke */
	struct buf tmp, err;
};

/* ---- taking ---- */

static uint64_t
spool_it(struct stage *sg, const struct rr_item *it, const char *text, size_t n,
    const struct stage_keep *k, unsigned flags)
{
	struct stream *s = &sg->s;
	struct spool_rec r = {text, n, k->key, k->key ? strlen(k->key) : 0, k->role,
	    k->flags | flags, k->tag, (uint32_t)s->cur, it->part, it->line,
	    s->src[s->cur]->keys_in_one_place};
	uint64_t place = spool_add(&sg->sp, &r);

	if (place == SPOOL_FAILED)
		stage_io_failed(sg);
	return place;
}

uint64_t
stage_keep_text(struct stage *sg, const struct rr_item *it, const char *text, size_t n,
    const struct stage_keep *k)
{
	return spool_it(sg, it, text, n, k, 0);
}

uint64_t
stage_keep(struct stage *sg, const struct rr_item *it, const struct stage_keep *k)
{
	size_t n;
	const char *text = stream_text(it, &sg->tmp, &n);

	return spool_it(sg, it, text, n, k, 0);
}

/* Render rec in the output's format and keep it; a record that cannot be rendered is rejected. */
static void
keep_rendered(struct stage *sg, const struct rr_item *it, json_t *rec, const char *key,
    unsigned flags)
{
	struct stream *s = &sg->s;
	struct stage_keep k = {key, key ? SPOOL_EXPORT : SPOOL_PLAIN, flags, 0};

	buf_reset(&sg->tmp);
	if (!rw_render(&s->w, rec, &sg->tmp)) {
		struct buf text = {0};

		rw_ndjson(rec, &text);
		stream_reject_at(s, it->file, it->line, sg->tmp.p, text.p, text.len);
		buf_free(&text);
		stream_told(s, RR_REFUSED);
		return;
	}
	stream_told(s, RR_TAKEN);
	/* The CSV header belongs to the output, not to the record it came with. */
	if (s->w.head_len)
		fwrite(s->w.line.p, 1, s->w.head_len, s->out->f);
	spool_it(sg, it, s->w.line.p + s->w.head_len, s->w.line.len - s->w.head_len, &k,
	    SPOOL_VERBATIM);
}

void
stage_write_key(struct stage *sg, const struct rr_item *it, json_t *rec, const char *key)
{
	keep_rendered(sg, it, rec, key, 0);
}

void
stage_pass(struct stage *sg, const struct rr_item *it)
{
	keep_rendered(sg, it, it->rec, NULL, SPOOL_PASS);
}

static void
take_all(struct stage *sg)
{
	struct rr_item it;

	while (stream_next(&sg->s, &it)) {
		sg->ops->take(sg->self, sg, &it);
		json_decref(it.rec);
	}
}

/*
 * A stage reading another oms tool's records takes an input that holds no
 * record at all (none usable, none rejected) for the sign of a stage before
 * it that failed, the shell having started this one all the same: written,
 * its empty outputs would replace good ones (every pick ticket a header).
 * So it writes nothing, no records, no side file and no rejects, and the
 * run fails (exit 2), unless --allow-empty says an empty book is meant.
 */
static void
refuse_empty_input(struct stage *sg, int npaths)
{
	struct stream *s = &sg->s;

	if (!sg->ops->reads_tool_output || s->o->allow_empty || s->n.read > 0 ||
	    s->failed || s->stopped)
		return;
	warnmsg("the input%s no records (did the stage before it fail?); nothing "
		"written; --allow-empty writes empty outputs",
	    npaths > 1 ? "s hold" : " holds");
	s->failed = true;
	/*
	 * The rejects too, which a failed run puts in place to say why: there
	 * is nothing to say, and the last run's stay.
	 */
	of_abort_all();
}

/* ---- settling ---- */

static bool
group(void *ctx, struct spool *sp, const struct spool_entry *g, size_t n)
{
	struct stage *sg = ctx;
	bool failed;

	if (sg->ops->group)
		return sg->ops->group(sg->self, sg, g, n) && !stage_stopped(sg);
	spool_last_wins(sp, g, n, &failed);
	if (failed)
		stage_io_failed(sg);
	return !failed;
}

/*
 * Each key's records settled; a part of a record split in one input is
 * rejected at the replay but counted now, so that --strict writes nothing.
 */
static bool
settle_keys(struct stage *sg)
{
	if (!spool_settle(&sg->sp, group, sg)) {
		if (!stage_stopped(sg))
			stage_io_failed(sg);
		return false;
	}
	if (sg->sp.parts && sg->s.o->strict)
		sg->s.stopped = true;
	return true;
}

/* ---- the replay ---- */

/*
 * Both parts of a record whose rows are split in one input are rejected:
 * neither is the whole record. A third part finds the key void already and
 * names the second.
 */
static void
reject_part(struct stage *sg, const struct spool_item *it)
{
	stage_reject_item(sg, it,
	    "\"%.*s\" has rows here and at line %ld, with other records between: "
	    "neither part is whole, both are rejected (sort the rows by it)",
	    (int)it->keylen, it->key, (long)it->aux);
}

static bool
replay_one(void *ctx, const struct spool_item *it)
{
	struct stage *sg = ctx;

	switch (it->fate) {
	case SPOOL_PART:
		reject_part(sg, it);
		return true;
	case SPOOL_SUPERSEDED:
	case SPOOL_CONSUMED:
		sg->s.n.consumed += sg->keep;
		return true;
	case SPOOL_REJECTED:
		return true;
	case SPOOL_KEEP:
		break;
	}
	if (!sg->keep)
		return true;
	if (sg->ops->replay)
		return sg->ops->replay(sg->self, sg, it) && !sg->s.failed;
	return stage_write(sg, it);
}

/* Write every kept record in input order; when nothing is kept, still name the parts. */
static void
replay_all(struct stage *sg)
{
	if (!spool_replay(&sg->sp, replay_one, sg) && !sg->s.failed)
		stage_io_failed(sg);
}

/* Write a record's NDJSON text in the output's format. */
static bool
write_text(struct stage *sg, const char *text, size_t n)
{
	struct stream *s = &sg->s;
	json_t *rec;

	if (s->o->out_fmt != FMT_CSV && s->o->out_fmt != FMT_TSV) {
		fwrite(text, 1, n, s->out->f);
		fputc('\n', s->out->f);
		return true;
	}
	buf_reset(&sg->err);
	if (!(rec = jp_parse(text, n, &sg->err)) || !rw_write(&s->w, rec, &sg->err)) {
		warnmsg("cannot write a record: %s", sg->err.p);
		s->failed = true;
	}
	json_decref(rec);
	return !s->failed;
}

static void
count_written(struct stage *sg, const struct spool_item *it)
{
	sg->s.n.out++;
	sg->s.n.passed += (it->flags & SPOOL_PASS) != 0;
}

bool
stage_write(struct stage *sg, const struct spool_item *it)
{
	count_written(sg, it);
	if (it->flags & SPOOL_VERBATIM) {
		fwrite(it->text, 1, it->n, sg->s.out->f);
		return true;
	}
	return write_text(sg, it->text, it->n);
}

bool
stage_write_text(
    struct stage *sg, const struct spool_item *it, const char *text, size_t n)
{
	count_written(sg, it);
	return write_text(sg, text, n);
}

bool
stage_insert(struct stage *sg, const char *lines, size_t len, long n)
{
	fwrite(lines, 1, len, sg->s.out->f);
	sg->s.n.out += n;
	sg->s.n.created += n;
	return true;
}

json_t *
stage_parse(struct stage *sg, const struct spool_item *it)
{
	json_t *j;

	buf_reset(&sg->err);
	if (!(j = jp_parse(it->text, it->n, &sg->err)) ||
	    !schema_coerce(j, schema_type(json_string_value(json_object_get(j, "type"))),
		&sg->err)) {
		warnmsg(
		    "temporary file: a spooled record does not read back: %s", sg->err.p);
		stage_fail(sg);
		json_decref(j);
		return NULL;
	}
	return j;
}

void
stage_consume(struct stage *sg)
{
	sg->s.n.consumed++;
}

/* ---- the rest ---- */

struct stream *
stage_stream(struct stage *sg)
{
	return &sg->s;
}

struct spool *
stage_spool(struct stage *sg)
{
	return &sg->sp;
}

const char *
stage_source_name(struct stage *sg, uint32_t source)
{
	return stream_source_name(&sg->s, source);
}

void
stage_reject_item(struct stage *sg, const struct spool_item *it, const char *fmt, ...)
{
	va_list ap;

	buf_reset(&sg->err);
	va_start(ap, fmt);
	buf_vprintf(&sg->err, fmt, ap);
	va_end(ap);
	stream_reject_at(&sg->s, stage_source_name(sg, it->source), it->line, sg->err.p,
	    it->text, it->n);
}

void
stage_fail(struct stage *sg)
{
	sg->s.failed = true;
}

void
stage_io_failed(struct stage *sg)
{
	if (!sg->s.failed)
		warnmsg("temporary file: %s", strerror(errno ? errno : EIO));
	sg->s.failed = true;
}

bool
stage_stopped(const struct stage *sg)
{
	return sg->s.stopped || sg->s.failed;
}

long
stage_superseded(const struct stage *sg)
{
	return sg->sp.superseded;
}

/* The stream through the stage, once its references are loaded: the exit status. */
static int
run_stream(struct stage *sg, const struct oms_opts *o, char **paths, int npaths,
    source_opener open, void *open_ctx)
{
	const struct stage_ops *ops = sg->ops;
	struct stream *s = &sg->s;
	struct buf counts = {0};
	bool settled = false;
	int status;

	if ((status = stream_open(s, o, paths, npaths, open, open_ctx)) != 0)
		return status;
	if (!spool_open(&sg->sp, &sg->err)) {
		warnmsg("%s", sg->err.p);
		s->failed = true;
	}
	if (!s->failed)
		take_all(sg);
	refuse_empty_input(sg, npaths);
	if (!s->failed && !s->stopped)
		settled = settle_keys(sg);
	if (settled && !s->stopped && ops->settle && !ops->settle(sg->self, sg))
		s->broken = !s->failed;
	sg->keep = !s->failed && !s->stopped && !s->broken;
	if (settled && !s->failed)
		replay_all(sg);
	sg->keep = sg->keep && !s->failed && !s->stopped;
	if (sg->keep && ops->finish && !ops->finish(sg->self, sg))
		s->failed = true;
	if (o->stats && !s->failed && ops->counts)
		ops->counts(sg->self, sg, &counts);
	status = stream_close(s, counts.p);
	spool_close(&sg->sp);
	buf_free(&counts);
	return status;
}

int
stage_run(const struct stage_ops *ops, void *self, const struct oms_opts *o, char **paths,
    int npaths, source_opener open, void *open_ctx)
{
	struct stage sg;
	int status;

	memset(&sg, 0, sizeof sg);
	sg.ops = ops;
	sg.self = self;
	if (ops->load && !ops->load(self, &sg.err)) {
		warnmsg("%s", sg.err.p);
		status = EXIT_USAGE;
	} else {
		status = run_stream(&sg, o, paths, npaths, open, open_ctx);
	}
	/* Outputs not committed by now (a run that never opened its stream) go. */
	of_abort_all();
	if (ops->release)
		ops->release(self);
	schema_free(); /* loaded as the records were coerced */
	buf_free(&sg.tmp);
	buf_free(&sg.err);
	return status;
}
