/* writer.h: records out as NDJSON or CSV, keys in the fixed order of oms-records(5). */
#ifndef OMS_WRITER_H
#define OMS_WRITER_H

#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>

#include "reader.h"
#include "util.h"

struct rw {
	FILE *f;
	enum rfmt fmt;
	char delim;
	struct rtype *csv_type; /* the one record type of a CSV output */
	const char *csv_type_name;
	struct buf line;
	size_t head_len; /* w->line starts with the CSV header, this long */
};

/* Write records to f (not owned) in fmt (FMT_AUTO means NDJSON). */
void rw_init(struct rw *w, FILE *f, enum rfmt fmt);

/*
 * Write one record (borrowed). False with a message in err when the record
 * cannot go into this output: a CSV output holds one known record type.
 */
bool rw_write(struct rw *w, json_t *rec, struct buf *err);

/*
 * rw_write without the writing: the record's bytes (with the CSV header
 * before the first) are left in w->line.
 */
bool rw_render(struct rw *w, json_t *rec, struct buf *err);

/* Append the NDJSON text of rec, without newline, to out. */
void rw_ndjson(json_t *rec, struct buf *out);

/* Release what the writer holds; the FILE is the caller's to flush and close. */
void rw_free(struct rw *w);

#endif
