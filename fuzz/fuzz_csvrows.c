/*
 * fuzz_csvrows.c: libFuzzer harness that holds the CSV row reader to libcsv.
 * cr_next splits most rows itself; every row it gives must have exactly the
 * fields a fresh strict libcsv parser finds in the row's own text. The first
 * byte picks the delimiter (comma, tab or semicolon).
 */
#include <csv.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csvrows.h"
#include "harness.h"
#include "lines.h"

/* The fields libcsv finds, as offsets into one buffer. */
struct fields {
	struct buf text;
	size_t start[4096], n;
	bool overflow, row_done;
};

static void
on_field(void *s, size_t len, void *data)
{
	struct fields *f = data;

	if (f->row_done)
		return;
	if (f->n == sizeof f->start / sizeof f->start[0]) {
		f->overflow = true;
		return;
	}
	f->start[f->n++] = f->text.len;
	buf_add(&f->text, s, len);
	buf_addc(&f->text, '\0');
}

static void
on_row(int term, void *data)
{
	(void)term;
	((struct fields *)data)->row_done = true;
}

static void
check_row(const struct cr_row *row, char delim)
{
	struct csv_parser p;
	struct fields *f = calloc(1, sizeof *f);

	if (!f || csv_init(&p, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL) != 0)
		abort();
	csv_set_delim(&p, (unsigned char)delim);
	if (csv_parse(&p, row->raw, row->raw_len, on_field, on_row, f) != row->raw_len ||
	    csv_fini(&p, on_field, on_row, f) != 0) {
		fprintf(stderr, "cr_next gave a row libcsv refuses: %.*s\n",
		    (int)row->raw_len, row->raw);
		abort();
	}
	if (!f->overflow) {
		if (f->n != row->n) {
			fprintf(stderr, "cr_next: %zu fields, libcsv: %zu, in %.*s\n",
			    row->n, f->n, (int)row->raw_len, row->raw);
			abort();
		}
		for (size_t i = 0; i < f->n; i++)
			if (strcmp(row->fields[i], f->text.p + f->start[i]) != 0) {
				fprintf(stderr,
				    "field %zu: cr_next \"%s\", libcsv \"%s\", in %.*s\n",
				    i, row->fields[i], f->text.p + f->start[i],
				    (int)row->raw_len, row->raw);
				abort();
			}
	}
	csv_free(&p);
	buf_free(&f->text);
	free(f);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char delims[] = {',', '\t', ';'};
	char *copy, delim;
	struct lr lr;
	struct cr cr;
	struct cr_row row;
	enum cr_status st;
	FILE *f;

	if (size == 0)
		return 0;
	delim = delims[data[0] % sizeof delims];
	if (!(f = fuzz_open(data + 1, size - 1, &copy)))
		return 0;
	lr_init(&lr, f);
	cr_init(&cr, &lr, delim);
	while ((st = cr_next(&cr, &row)) != CR_EOF && st != CR_IOERR)
		if (st == CR_ROW)
			check_row(&row, delim);
	cr_free(&cr);
	lr_free(&lr);
	fclose(f);
	free(copy);
	return 0;
}
