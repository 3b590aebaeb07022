/* fuzz_returns.c: libFuzzer harness for the returns portal reader. */
#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "adapter.h"
#include "schema.h"

extern const struct adapter adapter_returns;

/* What the reader yields is a return request in the schema's kinds, ready for oms-import's checks. */
static void
check_record(json_t *rec)
{
	struct rtype *t = schema_type("return_request");
	struct buf err = {0};
	json_t *again = json_deep_copy(rec);

	if (!json_is_string(json_object_get(rec, "type")) ||
	    strcmp(json_string_value(json_object_get(rec, "type")), "return_request") !=
		0 ||
	    !json_is_string(json_object_get(rec, "return_id")) ||
	    !schema_coerce(again, t, &err) || !json_equal(again, rec)) {
		fprintf(stderr,
		    "returns reader yielded a record not in the schema's form: %s\n",
		    err.p ? err.p : "coercing changed it");
		abort();
	}
	json_decref(again);
	buf_free(&err);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *copy = malloc(size ? size : 1);
	struct import_opts opts = {0};
	struct buf err = {0};
	struct source s = {0}, *src;
	struct rr_item it;
	enum rr_status st;
	FILE *f;

	if (!copy)
		return 0;
	if (size)
		memcpy(copy, data, size);
	if (!(f = fmemopen(copy, size, "r"))) {
		free(copy);
		return 0;
	}
	/* Half the inputs read wall-clock times in a zone, half have none. */
	opts.tz = size % 2 ? "America/New_York" : NULL;
	s.name = xstrdup("fuzz");
	s.f = f;
	s.owns_f = false;
	lr_init(&s.lr, f);
	if ((src = adapter_returns.open(&s, &opts, &err))) {
		while ((st = src->next(src, &it)) != RR_EOF && st != RR_IOERR) {
			if (st != RR_RECORD) {
				if (!it.reason || (!it.raw && it.raw_len)) {
					fprintf(
					    stderr, "reject without a reason or text\n");
					abort();
				}
				continue;
			}
			check_record(it.rec);
			json_decref(it.rec);
		}
		src->close(src);
	}
	fclose(f);
	free(copy);
	buf_free(&err);
	schema_free();
	return 0;
}
