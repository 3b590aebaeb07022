/* stream.h: the record stream of one tool run: inputs, output, rejects, counts, exit status. */
#ifndef OMS_STREAM_H
#define OMS_STREAM_H

#include <jansson.h>
#include <stdbool.h>

#include "cli.h"
#include "outfile.h"
#include "reader.h"
#include "writer.h"

/* Opens one input as a source of records; NULL with a message in err. */
typedef struct source *(*source_opener)(const char *path, void *ctx, struct buf *err);

struct stream_counts {
	long read; /* records (and unreadable texts) taken from the inputs */
	long passed; /* records of types the tool does not work on, written unchanged */
	long out; /* records written, passed ones included */
	long rejected;
	long consumed; /* records absorbed into others */
	long created; /* records the tool made */
};

struct stream {
	const struct oms_opts *o;
	struct source **src;
	int nsrc, cur;
	struct outfile *out, *rej; /* rej NULL: rejects go to standard error */
	struct rw w;
	struct stream_counts n;
	bool stopped; /* --strict met a reject */
	bool failed; /* an input or output failed: exit 2, nothing kept */
	bool broken; /* the tool's self-check found a law broken: exit 3, nothing kept */
	struct buf tmp;
};

/*
 * Open every input (npaths names; none means standard input) with open
 * (NULL opens canonical records in o->in_fmt), then the output and reject
 * files. On failure a message is printed, nothing is created, and the
 * status to exit with (2) is returned; 0 on success.
 */
int stream_open(struct stream *s, const struct oms_opts *o, char **paths, int npaths,
    source_opener open, void *ctx);

/*
 * The next usable record of the inputs into it (it->rec is the caller's to
 * release), rejecting what the readers cannot use on the way. False at the
 * end, after --strict met a reject, or when an input failed.
 */
bool stream_next(struct stream *s, struct rr_item *it);

/*
 * The text to keep of the record of it, to write back later: as it came
 * when it came as JSON, else its normal form (written into tmp). *n is its
 * length; the text is valid until the next record or use of tmp.
 */
const char *stream_text(const struct rr_item *it, struct buf *tmp, size_t *n);

/*
 * Reject a text read from file at line with a reason: said on standard
 * error and written to the rejects. stream_reject is this for a record.
 */
void stream_reject_at(struct stream *s, const char *file, long line, const char *reason,
    const char *raw, size_t raw_len);

/* Tell the source of the record last read what became of it (taken or refused). */
void stream_told(struct stream *s, enum rr_fate fate);

/* The name of input source (0, 1 ... in the order named). */
const char *stream_source_name(const struct stream *s, uint32_t source);

/* Reject the record of it with a reason; printed and written to the rejects. */
void stream_reject(struct stream *s, const struct rr_item *it, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/*
 * stream_reject for one line of the record: the message points at where that
 * line came from (rr_line_of), and the source learns the line (an index
 * from 0) and what was wrong with it (struct rr_verdict).
 */
void stream_reject_line(struct stream *s, const struct rr_item *it, long line,
    enum rr_fate why, const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/*
 * Finish: close the inputs, then put every output of the run in place (the
 * tool's side files too, see of_commit_all) or drop them, print --stats with
 * the tool's own counts (text such as "orders=58 lines=130", or NULL),
 * release everything and return the exit status (0, 1, 2 or 3). The side
 * files must be written by then.
 */
int stream_close(struct stream *s, const char *tool_counts);

#endif
