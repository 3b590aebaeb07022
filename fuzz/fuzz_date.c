/* fuzz_date.c: libFuzzer harness for date and timestamp parsing and their round trips. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "date.h"

static void
date_round_trip(int32_t days)
{
	char text[DATE_TEXT_MAX];
	int32_t back = 0;
	enum ts_err e;

	date_format(days, text);
	e = date_parse(text, strlen(text), &back);
	if (e != TS_OK || back != days) {
		fprintf(stderr, "day %ld printed \"%s\", read back %s %ld\n", (long)days,
		    text, ts_strerror(e), (long)back);
		abort();
	}
}

static void
ts_round_trip(int64_t secs)
{
	char text[TS_TEXT_MAX];
	int64_t back = 0;
	enum ts_err e;

	ts_format(secs, text);
	e = ts_parse(text, strlen(text), NULL, &back);
	if (e != TS_OK || back != secs) {
		fprintf(stderr, "second %lld printed \"%s\", read back %s %lld\n",
		    (long long)secs, text, ts_strerror(e), (long long)back);
		abort();
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const zones[] = {NULL, "UTC", "America/New_York"};
	const char *s = (const char *)data;
	int32_t days;
	int64_t secs;

	if (date_parse(s, size, &days) == TS_OK) {
		int y, m, d;

		date_round_trip(days);
		date_to_civil(days, &y, &m, &d);
		if (date_from_civil(y, m, d) != days)
			abort();
		(void)date_weekday(days);
	}
	for (size_t z = 0; z < sizeof zones / sizeof zones[0]; z++) {
		enum ts_err e = ts_parse(s, size, zones[z], &secs);

		if (e == TS_OK)
			ts_round_trip(secs);
		/* An offset or a zone moves a time by less than two days: only 0000 and 9999 can leave the range. */
		if (e == TS_RANGE && memcmp(s, "0000", 4) != 0 &&
		    memcmp(s, "9999", 4) != 0) {
			fprintf(stderr, "\"%.*s\" out of range\n", (int)size, s);
			abort();
		}
	}
	return 0;
}
