/* fuzz_money.c: libFuzzer harness for exact money parsing, printing and checked arithmetic. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "money.h"

/* money_format's text must parse back, with the same digits, to v. */
static void
round_trip(int64_t v, int digits)
{
	char text[MONEY_TEXT_MAX];
	int64_t back = 0;
	enum money_err e;

	money_format(v, digits, text);
	if (strlen(text) >= MONEY_TEXT_MAX)
		abort();
	e = money_parse(text, strlen(text), digits, &back);
	if (e != MONEY_OK || back != v) {
		fprintf(stderr,
		    "money %lld (digits %d) printed \"%s\", read back %s %lld\n",
		    (long long)v, digits, text, money_strerror(e, digits),
		    (long long)back);
		abort();
	}
}

/* Checked sums and products agree with wide arithmetic and never trip UBSan. */
static void
arithmetic(int64_t a, int64_t b)
{
	int64_t r;
	__int128 wide;

	wide = (__int128)a + b;
	if (money_add(a, b, &r) != (wide >= INT64_MIN && wide <= INT64_MAX) ||
	    (money_add(a, b, &r) && r != (int64_t)wide))
		abort();
	wide = (__int128)a * b;
	if (money_mul(a, b, &r) != (wide >= INT64_MIN && wide <= INT64_MAX) ||
	    (money_mul(a, b, &r) && r != (int64_t)wide))
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const int digits[] = {0, 2, 3};
	static const int64_t edges[] = {0, 1, -1, 100, INT64_MAX, INT64_MIN};
	const char *s = (const char *)data;
	int64_t v[3], raw = 0;
	bool ok[3];

	for (int d = 0; d < 3; d++) {
		ok[d] = money_parse(s, size, digits[d], &v[d]) == MONEY_OK;
		if (!ok[d])
			continue;
		round_trip(v[d], digits[d]);
		for (size_t k = 0; k < sizeof edges / sizeof edges[0]; k++)
			arithmetic(v[d], edges[k]);
		for (int e = 0; e <= d; e++)
			if (ok[e])
				arithmetic(v[d], v[e]);
	}
	/* Any int64 at all must print and read back, at every precision. */
	if (size >= sizeof raw) {
		memcpy(&raw, data, sizeof raw);
		for (int d = 0; d < 3; d++)
			round_trip(raw, digits[d]);
		for (int d = 0; d < 3; d++)
			if (ok[d])
				arithmetic(raw, v[d]);
	}
	return 0;
}
