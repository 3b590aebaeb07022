/* fuzz_ndjson.c: libFuzzer harness for the NDJSON reader and the NDJSON writer's output. */
#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "reader.h"
#include "schema.h"
#include "writer.h"

/*
 * What the writer prints must always be JSON that jansson accepts, and it
 * must read back as the very record that was written (the writer borrows
 * the record and only orders its keys).
 */
static void
check_written(json_t *rec)
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
	if (!json_equal(rec, back)) {
		fprintf(stderr, "rw_ndjson text reads back differently: %.*s\n",
		    (int)out.len, out.p);
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

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* A copy, so the harness never hands libFuzzer's const data to stdio. */
	char *copy = malloc(size ? size : 1);
	struct buf err = {0};
	struct source *s;
	struct rr_item it;
	enum rr_status st;
	FILE *f;

	if (!copy)
		return 0;
	if (size)
		memcpy(copy, data, size);
	f = fmemopen(copy, size, "r");
	if (!f) {
		free(copy);
		return 0;
	}
	s = rr_open_stream(f, "fuzz", FMT_NDJSON, &err);
	if (s) {
		while ((st = s->next(s, &it)) != RR_EOF && st != RR_IOERR) {
			if (st != RR_RECORD)
				continue;
			check_canonical(it.rec);
			check_written(it.rec);
			json_decref(it.rec);
		}
		s->close(s);
	}
	fclose(f);
	free(copy);
	buf_free(&err);
	schema_free();
	return 0;
}
