/* harness.c: feed fuzz input to a channel reader from memory, and check what comes out. */
#include "harness.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "order.h"
#include "schema.h"
#include "writer.h"

FILE *
fuzz_open(const uint8_t *data, size_t size, char **copy)
{
	FILE *f;

	if (!(*copy = malloc(size ? size : 1)))
		return NULL;
	if (size)
		memcpy(*copy, data, size);
	if (!(f = fmemopen(*copy, size, "r"))) {
		free(*copy);
		*copy = NULL;
	}
	return f;
}

/* The writer only orders keys: its text must read back as the record. */
static void
check_written(json_t *rec)
{
	struct buf out = {0};
	json_error_t jerr;
	json_t *back;

	rw_ndjson(rec, &out);
	back = json_loadb(out.p, out.len, JSON_REJECT_DUPLICATES, &jerr);
	if (!back || !json_equal(rec, back)) {
		fprintf(stderr,
		    "rw_ndjson text does not read back as the record (%s): %.*s\n",
		    back ? "differs" : jerr.text, (int)out.len, out.p);
		abort();
	}
	json_decref(back);
	buf_free(&out);
}

void
fuzz_check_record(json_t *rec)
{
	json_t *type = json_object_get(rec, "type"), *again;
	struct rtype *t;
	struct buf err = {0};

	if (!json_is_string(type) || json_string_length(type) == 0) {
		fprintf(stderr, "record without a text \"type\"\n");
		abort();
	}
	if ((t = schema_type(json_string_value(type)))) {
		again = json_deep_copy(rec);
		if (!schema_coerce(again, t, &err) || !json_equal(again, rec)) {
			fprintf(stderr,
			    "record is not in normal form for its type %s: %s\n", t->name,
			    err.p ? err.p : "coercing changed it");
			abort();
		}
		json_decref(again);
		buf_free(&err);
	}
	check_written(rec);
}

static void
check_record(const struct adapter *a, json_t *rec, const char *type, const char *key,
    const struct import_opts *opts)
{
	struct order_norm norm = {opts->tz};
	struct buf err = {0};
	json_t *again;
	const char *got = json_string_value(json_object_get(rec, "type"));

	if (!got || strcmp(got, type) != 0 ||
	    !json_is_string(json_object_get(rec, key))) {
		fprintf(stderr, "%s reader yielded a record that is not a keyed %s\n",
		    a->name, type);
		abort();
	}
	fuzz_check_record(rec);
	/* Normalising must never crash, whatever it makes of the record. */
	again = json_deep_copy(rec);
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
	char *copy;
	struct buf err = {0};
	struct source s = {0}, *src;
	struct rr_item it;
	enum rr_status st;
	FILE *f;

	if (!(f = fuzz_open(data, size, &copy)))
		return 0;
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

const char *
fuzz_str(const json_t *j, const char *key)
{
	return json_string_value(json_object_get(j, key));
}

bool
fuzz_is(const json_t *j, const char *key, const char *v)
{
	const char *s = fuzz_str(j, key);

	return s && strcmp(s, v) == 0;
}
