/* fuzz_csv.c: libFuzzer harness for the canonical CSV reader and the CSV and NDJSON writers. */
#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "reader.h"
#include "schema.h"
#include "writer.h"

/* The NDJSON text of every record read must be JSON jansson accepts. */
static void
check_ndjson(json_t *rec)
{
	struct buf out = {0};
	json_error_t jerr;
	json_t *back;

	rw_ndjson(rec, &out);
	back = json_loadb(out.p, out.len, JSON_REJECT_DUPLICATES, &jerr);
	if (!back) {
		fprintf(stderr, "rw_ndjson wrote invalid JSON (%s at %d): %.*s\n",
		    jerr.text, jerr.position, (int)out.len, out.p);
		abort();
	}
	json_decref(back);
	buf_free(&out);
}

/*
 * A record from the reader is already in normal form: its "type" is
 * non-empty text, and a record of a known type passes the schema's checks
 * again unchanged.
 */
static void
check_canonical(json_t *rec)
{
	json_t *type = json_object_get(rec, "type"), *again;
	struct rtype *t;
	struct buf err = {0};

	if (!json_is_string(type) || json_string_length(type) == 0) {
		fprintf(stderr, "record without a text \"type\"\n");
		abort();
	}
	if (!(t = schema_type(json_string_value(type))))
		return;
	again = json_deep_copy(rec);
	if (!schema_coerce(again, t, &err) || !json_equal(again, rec)) {
		fprintf(stderr, "record is not in normal form for its type %s: %s\n",
		    t->name, err.p ? err.p : "coercing changed it");
		abort();
	}
	json_decref(again);
	buf_free(&err);
}

/* Rows are grouped by key, so a CSV record of a keyed type carries one of its keys. */
static void
check_keyed(json_t *rec)
{
	struct rtype *t = schema_type(json_string_value(json_object_get(rec, "type")));

	if (!t || !t->keys[0])
		return;
	for (const char *const *k = t->keys; *k; k++)
		if (json_object_get(rec, *k))
			return;
	fprintf(stderr, "%s record without any of its keys\n", t->name);
	abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *copy = malloc(size ? size : 1), *csv = NULL;
	size_t csv_len = 0;
	struct buf err = {0}, werr = {0};
	struct source *s;
	struct rr_item it;
	enum rr_status st;
	struct rw w;
	FILE *f, *out;

	if (!copy)
		return 0;
	if (size)
		memcpy(copy, data, size);
	f = fmemopen(copy, size, "r");
	out = open_memstream(&csv, &csv_len);
	if (!f || !out) {
		if (f)
			fclose(f);
		if (out)
			fclose(out);
		free(csv);
		free(copy);
		return 0;
	}
	rw_init(&w, out, FMT_CSV);
	s = rr_open_stream(f, "fuzz", FMT_CSV, &err);
	if (s) {
		while ((st = s->next(s, &it)) != RR_EOF && st != RR_IOERR) {
			if (st != RR_RECORD)
				continue;
			check_canonical(it.rec);
			check_keyed(it.rec);
			check_ndjson(it.rec);
			/* False for a second record type: a CSV holds one. */
			buf_reset(&werr);
			(void)rw_write(&w, it.rec, &werr);
			json_decref(it.rec);
		}
		s->close(s);
	}
	rw_free(&w);
	fclose(out);
	fclose(f);
	free(csv);
	free(copy);
	buf_free(&err);
	buf_free(&werr);
	schema_free();
	return 0;
}
