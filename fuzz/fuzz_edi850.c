/* fuzz_edi850.c: libFuzzer harness for the X12 850 reader and the 997s it writes. */
#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "adapter.h"
#include "edi.h"
#include "schema.h"

extern const struct adapter adapter_edi850;

/* A record from the reader is an order already in normal form for its type. */
static void
check_record(json_t *rec)
{
	struct rtype *t = schema_type("order");
	struct buf err = {0};
	json_t *again;

	if (!json_is_string(json_object_get(rec, "order_id")) ||
	    !json_is_array(json_object_get(rec, "lines"))) {
		fprintf(stderr, "order without an order_id or lines\n");
		abort();
	}
	again = json_deep_copy(rec);
	if (!schema_coerce(again, t, &err) || !json_equal(again, rec)) {
		fprintf(stderr, "order is not in normal form: %s\n",
		    err.p ? err.p : "coercing changed it");
		abort();
	}
	json_decref(again);
	buf_free(&err);
}

/*
 * Every 997 written reads back with an ISA of 106 characters and right
 * trailer counts; its AK9 counts its AK2s and AK5 A's, and all the 997s
 * accept exactly the orders the harness said the book took.
 */
static void
check_acks(char *text, size_t len, long taken)
{
	FILE *f = fmemopen(text, len, "r");
	struct lr lr;
	struct edi_reader r;
	struct edi_seg s;
	long in_set = 0, sets = 0, ak2 = 0, ak5a = 0, accepted = 0;

	if (!f)
		return;
	lr_init(&lr, f);
	edi_init(&r, &lr);
	while (edi_next(&r, &s) == EDI_SEG) {
		if (edi_is(&s, "ISA") && (!s.isa_ok || s.isa_len != EDI_ISA_LEN)) {
			fprintf(stderr, "997 with a bad ISA: %.*s\n", (int)s.len, s.text);
			abort();
		}
		if (edi_is(&s, "ST")) {
			in_set = 0;
			sets++;
		}
		in_set++;
		if (edi_is(&s, "SE") && strtol(edi_el(&s, 1), NULL, 10) != in_set) {
			fprintf(
			    stderr, "997 SE01 %s, counted %ld\n", edi_el(&s, 1), in_set);
			abort();
		}
		if (edi_is(&s, "GE") && strtol(edi_el(&s, 1), NULL, 10) != sets) {
			fprintf(
			    stderr, "997 GE01 %s, counted %ld\n", edi_el(&s, 1), sets);
			abort();
		}
		if (edi_is(&s, "GE"))
			sets = 0;
		ak2 += edi_is(&s, "AK2");
		ak5a += edi_is(&s, "AK5") && strcmp(edi_el(&s, 1), "A") == 0;
		if (edi_is(&s, "AK9")) {
			if (strtol(edi_el(&s, 3), NULL, 10) != ak2 ||
			    strtol(edi_el(&s, 4), NULL, 10) != ak5a) {
				fprintf(stderr, "AK9 %s/%s, counted %ld/%ld\n",
				    edi_el(&s, 3), edi_el(&s, 4), ak2, ak5a);
				abort();
			}
			accepted += ak5a;
			ak2 = ak5a = 0;
		}
	}
	if (accepted != taken) {
		fprintf(
		    stderr, "997s accept %ld sets, the book took %ld\n", accepted, taken);
		abort();
	}
	edi_free(&r);
	lr_free(&lr);
	fclose(f);
}

static void
run(const uint8_t *data, size_t size, bool with_ack)
{
	char *copy = malloc(size ? size : 1), *ack_text = NULL;
	size_t ack_len = 0;
	struct import_opts opts = {0};
	struct source s = {0}, *src;
	struct buf err = {0};
	struct rr_item it;
	enum rr_status st;
	long nrec = 0, taken = 0;
	FILE *f;

	if (!copy)
		return;
	if (size)
		memcpy(copy, data, size);
	if (!(f = fmemopen(copy, size, "r"))) {
		free(copy);
		return;
	}
	if (with_ack)
		opts.ack = open_memstream(&ack_text, &ack_len);
	s.name = xstrdup("fuzz");
	s.f = f;
	s.owns_f = false;
	lr_init(&s.lr, f);
	src = adapter_edi850.open(&s, &opts, &err);
	if (src) {
		while ((st = src->next(src, &it)) != RR_EOF && st != RR_IOERR) {
			if (st == RR_RECORD) {
				/* Take some, refuse others in every way oms-import can. */
				struct rr_verdict v = {
				    (enum rr_fate)(nrec % (RR_LINE_OTHER + 1)),
				    nrec % 3 - 1};

				check_record(it.rec);
				if (nrec % 7 != 6) /* and sometimes say nothing */
					src->verdict(src, &v);
				taken += nrec % 7 != 6 && v.fate == RR_TAKEN;
				nrec++;
				json_decref(it.rec);
			} else if (!it.reason || !*it.reason ||
			    !utf8_valid(it.reason, strlen(it.reason))) {
				fprintf(stderr, "reject without a reason in UTF-8\n");
				abort();
			}
		}
		src->close(src);
	}
	if (opts.ack) {
		fclose(opts.ack);
		check_acks(ack_text, ack_len, taken);
		free(ack_text);
	}
	fclose(f);
	free(copy);
	buf_free(&err);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	run(data, size, false);
	run(data, size, true);
	schema_free();
	return 0;
}
