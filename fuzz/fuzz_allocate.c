/*
 * fuzz_allocate.c: any stream of order and tracking records, allocated over
 * a small fixed stock with every rule on, must pass the self-check (no
 * oversell, units conserved) and every order must splice into valid JSON.
 */
#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "allocate.h"
#include "book.h"
#include "json.h"
#include "outfile.h"
#include "rules.h"
#include "schema.h"
#include "stock.h"

static char locations[] = "/tmp/fuzz-alloc-loc-XXXXXX";
static char inventory[] = "/tmp/fuzz-alloc-inv-XXXXXX";
static char packs[] = "/tmp/fuzz-alloc-packs-XXXXXX";

static void
write_ref(char *path, const char *text)
{
	int fd = mkstemp(path);

	if (fd < 0 || write(fd, text, strlen(text)) != (ssize_t)strlen(text))
		abort();
	close(fd);
}

static void
setup(void)
{
	static bool done;

	if (done)
		return;
	done = true;
	write_ref(locations,
	    "location,kind,country,region,priority,channels,max_orders,max_units\n"
	    "A,warehouse,US,NJ,1,,,\n"
	    "B,3pl,US,CA,2,dtc|marketplace,3,20\n"
	    "C,store,US,NY,3,dtc,2,5\n");
	write_ref(inventory,
	    "location,sku,on_hand,safety_stock\n"
	    "A,S,5,1\nA,M,3,0\nA,L,0,0\nB,S,2,0\nB,M,4,0\nB,L,6,1\n"
	    "C,S,1,0\nC,M,1,0\nC,L,1,0\n");
	write_ref(packs, "pack_sku,sku,qty\nP,S,1\nP,M,2\nP,L,1\n");
}

/* The spooled texts, for book.fetch. */
struct texts {
	struct buf all;
};

static bool
fetch(void *ctx, uint64_t at, size_t n, struct buf *out)
{
	struct texts *t = ctx;

	if (at + n > t->all.len)
		return false;
	buf_reset(out);
	buf_add(out, t->all.p + at, n);
	return true;
}

static void
ignore_reject(void *ctx, const struct track *t, const char *why)
{
	(void)ctx, (void)t, (void)why;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char rules_text[] =
	    "{\"protect\":[{\"channel\":\"wholesale\",\"percent\":30}],"
	    "\"min_fill\":{\"wholesale\":50},\"size_run\":[\"wholesale\"],"
	    "\"lead_days\":2,\"search_limit\":4}";
	struct stock st;
	struct book b;
	struct alloc_rules r;
	struct alloc_opts o = {20000, true, size % 2 == 0};
	struct texts t = {0};
	struct buf err = {0}, out = {0};
	const char *p = (const char *)data, *end = p + size;
	json_t *rules;

	setup();
	if (!stock_load(&st, locations, inventory, packs, &err))
		abort();
	rules = jp_parse(rules_text, strlen(rules_text), &err);
	if (!rules || !alloc_rules_load(rules, &st, &r, &err))
		abort();
	book_init(&b, &st);
	b.fetch = fetch;
	b.fetch_ctx = &t;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = (size_t)((nl ? nl : end) - p);
		json_t *rec = jp_parse(p, n, &err);
		const char *type = json_string_value(json_object_get(rec, "type"));

		buf_reset(&err);
		if (type && strcmp(type, "order") == 0 &&
		    schema_coerce(rec, schema_type("order"), &err)) {
			/* Coercion may change values: keep the text of what the book reads. */
			buf_reset(&out);
			jw_value(&out, rec);
			if (book_add_order(&b, rec, out.p, out.len, t.all.len, &err) >= 0)
				buf_add(&t.all, out.p, out.len);
		} else if (type && strcmp(type, "tracking") == 0 &&
		    schema_coerce(rec, schema_type("tracking"), &err)) {
			book_add_tracking(&b, rec, "fuzz", 1, p, n);
		}
		json_decref(rec);
		p += n + (nl != NULL);
	}
	book_apply_tracking(&b, ignore_reject, NULL);
	allocate_run(&b, &r, &o);
	buf_reset(&err);
	if (!allocate_check(&b, &err)) {
		fprintf(stderr, "self-check: %s\n", err.p);
		abort();
	}
	for (size_t i = 0; i < b.norders; i++) {
		if (!book_live(&b, i))
			continue;
		buf_reset(&out);
		if (!book_render(
			&b, i, t.all.p + b.orders[i].text_at, b.orders[i].text_len, &out))
			abort();
		buf_reset(&err);
		json_t *back = jp_parse(out.p, out.len, &err);

		if (!back)
			abort();
		json_decref(back);
	}
	book_free(&b);
	alloc_rules_free(&r);
	stock_release(&st);
	json_decref(rules);
	buf_free(&t.all);
	buf_free(&err);
	buf_free(&out);
	of_abort_all(); /* the files read are forgotten, as at a run's end */
	schema_free();
	return 0;
}
