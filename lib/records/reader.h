/* reader.h: record sources: NDJSON and canonical CSV files, or any adapter, yielding records with provenance. */
#ifndef OMS_READER_H
#define OMS_READER_H

#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>

#include "csvrows.h"
#include "lines.h"
#include "schema.h"
#include "util.h"

enum rfmt { FMT_AUTO, FMT_NDJSON, FMT_CSV, FMT_TSV };

enum rr_status {
	RR_RECORD, /* it->rec is a record */
	RR_REJECT, /* it->reason says why the text at it->line cannot be used */
	RR_EOF,
	RR_IOERR /* reading failed; it->reason says how */
};

struct rr_item {
	json_t *rec; /* new reference on RR_RECORD: the caller releases it */
	const char *file; /* name for messages ("-" reads as "stdin") */
	long line; /* where the record, or the problem, is */
	const char *raw; /* the record's text as read; valid until the next call */
	size_t raw_len;
	const char *reason; /* on RR_REJECT and RR_IOERR */
	/* Which part of the input: files joined into one count from 0 at each header. */
	unsigned part;
	/*
	 * Where each of the record's lines came from (line_at[i] for lines[i]),
	 * when the source knows (CSV rows, EDI PO1 segments); NULL otherwise.
	 * Valid until the next call.
	 */
	const long *line_at;
	size_t nline_at;
};

/* Where lines[i] of it's record came from: its own line when known, else the record's. */
long rr_line_of(const struct rr_item *it, size_t i);

/* What a tool made of a record a source handed out (struct source's verdict). */
enum rr_fate {
	RR_TAKEN, /* it reached the output (a later record may still replace it) */
	RR_REFUSED, /* rejected by a check of the record as a whole */
	RR_SKU_UNKNOWN, /* rejected: the line's sku is not in the catalog */
	RR_UPC_UNKNOWN, /* rejected: the line's upc is not in the catalog */
	RR_PART_UNKNOWN, /* rejected: the line's buyer_part is not in the catalog */
	RR_NO_ID, /* rejected: the line has nothing to find its item by */
	/* Rejected by the order checks for a value of the line: */
	RR_LINE_QTY, /* its qty */
	RR_LINE_PRICE, /* its unit_price */
	RR_LINE_ID, /* its line_id, which an earlier line has too */
	RR_LINE_OTHER /* another of its values */
};

struct rr_verdict {
	enum rr_fate fate;
	long line; /* the line at fault, an index into lines from 0; -1 for none */
};

/* A source of records; adapters embed it first in their own struct. */
struct source {
	enum rr_status (*next)(struct source *s, struct rr_item *it);
	void (*close)(struct source *s);
	/*
	 * Optional: told what became of the record it handed out last, for a
	 * source that answers its sender (the EDI reader's 997s). The stream
	 * calls it when the record is written or rejected, before the next
	 * call to next; only the first verdict on a record counts.
	 */
	void (*verdict)(struct source *s, const struct rr_verdict *v);
	char *name;
	FILE *f;
	bool owns_f; /* f is closed with the source */
	/*
	 * Records are assembled from adjacent rows (CSV), so a key has one
	 * place in the input: met again further on, it is a stray part.
	 */
	bool keys_in_one_place;
	struct lr lr;
};

/* The format a name asks for ("ndjson", "csv", "tsv"), or FMT_AUTO if none. */
bool rfmt_parse(const char *name, enum rfmt *fmt);

/*
 * Guess the format of an input already opened in s->lr from its first bytes
 * and its name: a first non-blank '{' is NDJSON, a .tsv/.tab/.txt name or a
 * header with tabs and no commas is TSV, anything else CSV.
 */
enum rfmt rfmt_detect(struct source *s);

/* Open path ("-" is standard input) into s: name, FILE, line reader. */
bool source_open_file(struct source *s, const char *path, struct buf *err);
/* Close what source_open_file opened. */
void source_close_file(struct source *s);

/*
 * Open a file of canonical records (oms-records(5)) in format fmt
 * (FMT_AUTO detects it). A CSV header is read and checked at once; NULL and
 * a message in err when the file cannot be opened or its header is unusable.
 */
struct source *rr_open(const char *path, enum rfmt fmt, struct buf *err);

/* rr_open for an input opened by source_open_file, which the new source takes over. */
struct source *rr_from(struct source *opened, enum rfmt fmt, struct buf *err);

/* rr_open for a stream already open (not closed by the source), called name in messages. */
struct source *rr_open_stream(FILE *f, const char *name, enum rfmt fmt, struct buf *err);

/* Turn one CSV row into a record-level object, a row-level object and a grouping key. */
struct grouped_ops {
	/*
	 * Check the header and learn its columns; false with the reason in err
	 * (the caller puts the file and line before it).
	 */
	bool (*header)(void *ctx, const struct cr_row *h, struct buf *err);
	/*
	 * Fill key (rows with the same non-empty key are one record), *rec
	 * (record-level fields, new object) and *row (one element of the
	 * record's rows, new object, or NULL). false with a message in err when
	 * the row is unusable; the key should still be filled when it can be.
	 */
	bool (*convert)(void *ctx, const struct cr_row *r, json_t **rec, json_t **row,
	    struct buf *key, struct buf *err);
	/* After the last row of a record: complete or check it; false with err. */
	bool (*finish)(void *ctx, json_t *rec, struct buf *err);
	/* Release ctx when the source closes (also when opening fails). */
	void (*free_ctx)(void *ctx);
	const char *rows_name; /* the array rows go into ("lines") */
	/*
	 * Optional: read the next row (the header first) from lr instead of
	 * libcsv, for formats it cannot read (tab-separated without quoting).
	 * A bad row may still carry its fields, to tell its record.
	 */
	enum cr_status (*read_row)(void *ctx, struct lr *lr, struct cr_row *row);
};

/*
 * A source of records from CSV rows grouped into records: adjacent rows with
 * the same key make one record; a record-level value on a later row must
 * agree with the first; one bad row rejects its whole record.
 */
struct source *grouped_open(const char *path, char delim, const struct grouped_ops *ops,
    void *ctx, struct buf *err);
/* grouped_open for an input opened by source_open_file, which it takes over. */
struct source *grouped_from(struct source *opened, char delim,
    const struct grouped_ops *ops, void *ctx, struct buf *err);

#endif
