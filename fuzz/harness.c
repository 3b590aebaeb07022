/* harness.c: feed fuzz input to a channel reader from memory, and check what comes out. */
#include "harness.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "order.h"
#include "schema.h"

static void
check_record(const struct adapter *a, json_t *rec, const char *type, const char *key,
    const struct import_opts *opts)
{
	struct order_norm norm = {opts->tz};
	struct buf err = {0};
	json_t *again = json_deep_copy(rec);
	const char *got = json_string_value(json_object_get(rec, "type"));

	if (!got || strcmp(got, type) != 0 ||
	    !json_is_string(json_object_get(rec, key)) ||
	    !schema_coerce(again, schema_type(type), &err) || !json_equal(again, rec)) {
		fprintf(stderr,
		    "%s reader yielded a record not in the schema's form: %s\n", a->name,
		    err.p ? err.p : "coercing changed it");
		abort();
	}
	if (strcmp(type, "order") == 0)
		(void)order_normalize(again, &norm, &err);
	else if (strcmp(type, "tracking") == 0)
		(void)tracking_normalize(again, &norm, &err);
	else
		(void)return_request_normalize(again, &norm, &err);
	json_decref(again);
	buf_free(&err);
}

int
fuzz_adapter(const struct adapter *a, const char *type, const char *key,
    const uint8_t *data, size_t size, const struct import_opts *opts)
{
	char *copy = malloc(size ? size : 1);
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
	s.name = xstrdup("fuzz");
	s.f = f;
	s.owns_f = false;
	lr_init(&s.lr, f);
	/* open takes s over, and releases it when it fails. */
	if ((src = a->open(&s, opts, &err))) {
		while ((st = src->next(src, &it)) != RR_EOF && st != RR_IOERR) {
			if (st != RR_RECORD)
				continue;
			check_record(a, it.rec, type, key, opts);
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
