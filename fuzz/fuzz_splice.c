/*
 * fuzz_splice.c: the splice of an order's owned fields against jansson: any
 * JSON object, spliced, must read back as the same object with only the
 * owned fields (allocation; lines' allocated, backordered, shipped) changed.
 */
#include <jansson.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "schema.h"
#include "splice.h"

static void
put_order(void *ctx, struct buf *out)
{
	(void)ctx;
	buf_adds(out, "\"allocation\":{\"status\":\"full\"}");
}

static void
put_line(void *ctx, size_t i, struct buf *out)
{
	(void)ctx;
	if (i % 2 == 0)
		buf_printf(out, "\"allocated\":[],\"backordered\":%zu", i);
}

/* Remove the owned fields from a copy of v. */
static json_t *
bare(json_t *v)
{
	json_t *c = json_deep_copy(v), *lines, *line;
	size_t i;

	json_object_del(c, "allocation");
	lines = json_object_get(c, "lines");
	json_array_foreach(lines, i, line) {
		json_object_del(line, "allocated");
		json_object_del(line, "backordered");
		json_object_del(line, "shipped");
	}
	return c;
}

/* Would splice_order read this object? Lines must be an array of objects. */
static bool
splicable(json_t *v)
{
	json_t *lines = json_object_get(v, "lines"), *line;
	size_t i;

	if (!lines)
		return true;
	if (!json_is_array(lines))
		return true; /* kept as any other member */
	json_array_foreach(lines, i, line)
		if (!json_is_object(line))
			return false;
	return true;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct buf err = {0}, out = {0};
	struct splice_ops none = {NULL, NULL, NULL}, some = {put_order, put_line, NULL};
	json_t *in = jp_parse((const char *)data, size, &err), *back, *b1, *b2;

	if (in && json_is_object(in) && splicable(in)) {
		const struct splice_ops *ops[] = {&none, &some};

		for (int k = 0; k < 2; k++) {
			buf_reset(&out);
			if (!splice_order((const char *)data, size, ops[k], &out))
				abort();
			buf_reset(&err);
			if (!(back = jp_parse(out.p, out.len, &err)))
				abort();
			b1 = bare(in);
			b2 = bare(back);
			if (!json_equal(b1, b2))
				abort();
			if (k == 1 && !json_object_get(back, "allocation"))
				abort();
			json_decref(b1);
			json_decref(b2);
			json_decref(back);
		}
	}
	json_decref(in);
	buf_free(&err);
	buf_free(&out);
	schema_free();
	return 0;
}
