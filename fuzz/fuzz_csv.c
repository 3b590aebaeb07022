/*
 * fuzz_csv.c: libFuzzer harness for the canonical CSV reader and the CSV and
 * NDJSON writers; every text a record holds must come back through the
 * formula guard (csvcell.h) exactly, and never start a formula on the way.
 */
#include <csv.h>
#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csvcell.h"
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

struct one_cell {
	struct buf text;
	size_t fields;
};

static void
on_cell(void *s, size_t len, void *data)
{
	struct one_cell *c = data;

	c->fields++;
	buf_reset(&c->text);
	buf_add(&c->text, s ? s : "", s ? len : 0);
	buf_addc(&c->text, '\0');
}

static int
no_space(unsigned char c)
{
	(void)c;
	return 0;
}

/*
 * s[0..n) written by csv_cell and read back by libcsv, with comma or tab
 * between cells: one cell, not starting a formula, and csv_cell_unguard
 * gives s again.
 */
static void
check_cell(const char *s, size_t n, char delim)
{
	struct buf cell = {0};
	struct one_cell c = {{0}, 0};
	struct csv_parser p;
	const char *back;

	if (n == 0 || memchr(s, '\0', n))
		return; /* an empty cell is no row to libcsv */
	csv_cell(&cell, s, n);
	buf_addc(&cell, '\n');
	if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL) != 0)
		abort();
	csv_set_delim(&p, (unsigned char)delim);
	csv_set_space_func(&p, no_space); /* blanks are the cell's own */
	if (csv_parse(&p, cell.p, cell.len, on_cell, NULL, &c) != cell.len ||
	    csv_fini(&p, on_cell, NULL, &c) != 0 || c.fields != 1) {
		fprintf(stderr, "csv_cell wrote no single cell: %.*s\n", (int)cell.len,
		    cell.p);
		abort();
	}
	if (c.text.p[0] && strchr("=+-@\t\r\n", c.text.p[0])) {
		fprintf(stderr, "csv_cell left a formula: %s\n", c.text.p);
		abort();
	}
	back = csv_cell_unguard(c.text.p);
	if (strlen(back) != n || memcmp(back, s, n) != 0) {
		fprintf(
		    stderr, "the guard is not undone: %s for %.*s\n", back, (int)n, s);
		abort();
	}
	csv_free(&p);
	buf_free(&c.text);
	buf_free(&cell);
}

/* check_cell on every text in v, keys included. */
static void
check_texts(json_t *v)
{
	const char *k;
	json_t *e;
	size_t i;

	if (json_is_string(v)) {
		check_cell(json_string_value(v), json_string_length(v), ',');
		check_cell(json_string_value(v), json_string_length(v), '\t');
	} else if (json_is_object(v)) {
		json_object_foreach(v, k, e) {
			check_cell(k, strlen(k), ',');
			check_texts(e);
		}
	} else if (json_is_array(v)) {
		json_array_foreach(v, i, e)
			check_texts(e);
	}
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

	check_cell((const char *)data, size, ',');
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
			check_texts(it.rec);
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
