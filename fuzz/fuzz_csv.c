/* fuzz_csv.c: libFuzzer harness for the canonical CSV reader and the CSV and NDJSON writers. */
#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "reader.h"
#include "schema.h"
#include "writer.h"

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
	char *copy, *csv = NULL;
	size_t csv_len = 0;
	struct buf err = {0}, werr = {0};
	struct source *s;
	struct rr_item it;
	enum rr_status st;
	struct rw w;
	FILE *f, *out;

	if (!(f = fuzz_open(data, size, &copy)))
		return 0;
	if (!(out = open_memstream(&csv, &csv_len))) {
		fclose(f);
		free(copy);
		return 0;
	}
	rw_init(&w, out, FMT_CSV);
	s = rr_open_stream(f, "fuzz", FMT_CSV, &err);
	if (s) {
		while ((st = s->next(s, &it)) != RR_EOF && st != RR_IOERR) {
			if (st != RR_RECORD)
				continue;
			fuzz_check_record(it.rec);
			check_keyed(it.rec);
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
