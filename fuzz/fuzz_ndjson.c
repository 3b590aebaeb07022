/* fuzz_ndjson.c: libFuzzer harness for the NDJSON reader and the NDJSON writer's output. */
#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "reader.h"
#include "schema.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *copy;
	struct buf err = {0};
	struct source *s;
	struct rr_item it;
	enum rr_status st;
	FILE *f;

	if (!(f = fuzz_open(data, size, &copy)))
		return 0;
	s = rr_open_stream(f, "fuzz", FMT_NDJSON, &err);
	if (s) {
		while ((st = s->next(s, &it)) != RR_EOF && st != RR_IOERR) {
			if (st != RR_RECORD)
				continue;
			fuzz_check_record(it.rec);
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
