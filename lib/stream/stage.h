/*
 * stage.h: one tool run as a stage on the record stream. The stream reads
 * the inputs, the spool holds every record until the stream ends, and the
 * stage (the tool's engine) says what each record is, what becomes of the
 * whole book, and what follows each record written. The driver keeps the
 * counts, the exit status and the order of things:
 *
 *   take each record -> settle each key's records (the last export wins)
 *   -> settle the book (self-check: exit 3) -> replay in input order,
 *   each kept record written, then what the stage adds after it
 *   -> finish (side files) -> commit every output, or none.
 *
 * Miller's mapper is the model: a stage is a few functions and its own
 * state; a new tool is one more stage, with no spool or replay of its own.
 */
#ifndef OMS_STAGE_H
#define OMS_STAGE_H

#include <jansson.h>
#include <stdbool.h>

#include "cli.h"
#include "spool.h"
#include "stream.h"

struct stage;

struct stage_ops {
	/*
	 * Load the references (and open the side files), before any input is
	 * opened; false with a message in err: exit 2, nothing written. NULL:
	 * none.
	 */
	bool (*load)(void *self, struct buf *err);
	/*
	 * A usable record of the stream (it->rec is the driver's): keep it
	 * (stage_keep, stage_write_key), count it consumed, or reject it.
	 */
	void (*take)(void *self, struct stage *sg, const struct rr_item *it);
	/*
	 * The records of one key, in stream order (spool_group_fn): NULL
	 * leaves them to spool_last_wins. False to stop (reported).
	 */
	bool (*group)(
	    void *self, struct stage *sg, const struct spool_entry *g, size_t n);
	/*
	 * Every record is in and each key settled: work on the book and check
	 * the laws. False when a law is broken (said on standard error):
	 * nothing is written, exit 3. NULL: nothing to do.
	 */
	bool (*settle)(void *self, struct stage *sg);
	/*
	 * A record kept, in input order: write it (stage_write) or its new text,
	 * or consume it, then add what follows it (stage_insert). False to stop
	 * (reported). NULL: each kept record is written as it was spooled.
	 */
	bool (*replay)(void *self, struct stage *sg, const struct spool_item *it);
	/* After the replay: the side files. False when one fails (reported). NULL: none. */
	bool (*finish)(void *self, struct stage *sg);
	/* --stats: the stage's own counts, as "orders=58 lines=130". NULL: none. */
	void (*counts)(void *self, struct stage *sg, struct buf *out);
	/* Release what the stage holds, loaded or not (it starts zeroed). NULL: nothing. */
	void (*release)(void *self);
	/*
	 * The stage reads another oms tool's records: an input with no record
	 * at all is the sign of a failed stage before it, refused unless
	 * --allow-empty (false for oms-import, whose empty export is a normal day).
	 */
	bool reads_tool_output;
};

/*
 * Run a stage over the inputs paths[0..npaths) (none: standard input),
 * opened with open (NULL: canonical records in o->in_fmt): load, take,
 * settle, replay, finish, commit, release. Returns the exit status (0, 1,
 * 2 or 3).
 *
 * open NULL says the inputs are another oms tool's records: when they hold
 * no record at all (none read, none rejected), the sign of a stage before
 * this one that failed, nothing is written (no records, no side file, no
 * --rejects) and the status is 2, unless o->allow_empty (--allow-empty). A
 * stage with an opener of its own (oms-import) takes an empty input as it
 * comes.
 */
int stage_run(const struct stage_ops *ops, void *self, const struct oms_opts *o,
    char **paths, int npaths, source_opener open, void *open_ctx);

/* ---- for the stage's functions ---- */

/* What a record kept is to the stage. */
struct stage_keep {
	const char *key; /* role SPOOL_PLAIN: NULL */
	enum spool_role role;
	unsigned flags; /* SPOOL_PASS: a record the stage does not work on */
	uint64_t tag; /* the stage's own */
};

/*
 * Keep the record of it, as it came (stream_text), to be replayed: its
 * place in the spool, or SPOOL_FAILED (reported; the run fails).
 */
uint64_t stage_keep(
    struct stage *sg, const struct rr_item *it, const struct stage_keep *k);

/* stage_keep with another text for the record (NDJSON, without a line end). */
uint64_t stage_keep_text(struct stage *sg, const struct rr_item *it, const char *text,
    size_t n, const struct stage_keep *k);

/*
 * Render rec (borrowed; from or standing for it) in the output's format
 * and keep it under key (NULL: none; an export of the key otherwise), the
 * last export of a key winning. A record that cannot be rendered is
 * rejected.
 */
void stage_write_key(
    struct stage *sg, const struct rr_item *it, json_t *rec, const char *key);

/* stage_write_key of it->rec unchanged and unkeyed: a record the stage does not work on. */
void stage_pass(struct stage *sg, const struct rr_item *it);

/* Write the kept record it as it was spooled, in the output's format. */
bool stage_write(struct stage *sg, const struct spool_item *it);

/* Write text (NDJSON, without a line end) in place of the kept record it. */
bool stage_write_text(
    struct stage *sg, const struct spool_item *it, const char *text, size_t n);

/* Write n records the stage made (NDJSON lines, each with its line end) after a record. */
bool stage_insert(struct stage *sg, const char *lines, size_t len, long n);

/*
 * The kept record it parsed and brought to its type's kinds, as the reader
 * brought it when it was read, so that it reads the same; NULL (said, and
 * the run fails) when it does not read back. The caller's to release.
 */
json_t *stage_parse(struct stage *sg, const struct spool_item *it);

/* A record taken or replayed is absorbed into others (or made again). */
void stage_consume(struct stage *sg);

/* The stream: for rejects (stream_reject) and the inputs' names. */
struct stream *stage_stream(struct stage *sg);

/* The spool: for reading records back by place. */
struct spool *stage_spool(struct stage *sg);

/* The name of input source (struct spool_item.source). */
const char *stage_source_name(struct stage *sg, uint32_t source);

/* Reject a spooled record (it) at the settle or the replay, with a reason. */
void stage_reject_item(struct stage *sg, const struct spool_item *it, const char *fmt,
    ...) __attribute__((format(printf, 3, 4)));

/* The run fails (exit 2, nothing kept), after the stage said why. */
void stage_fail(struct stage *sg);

/* A temporary file failed (errno): said once; the run fails, exit 2. */
void stage_io_failed(struct stage *sg);

/* Has the run stopped (--strict met a reject) or failed? */
bool stage_stopped(const struct stage *sg);

/* How many records a later export of their key replaced (after the settle). */
long stage_superseded(const struct stage *sg);

#endif
