/* money.c: decimal money text to int64 minor units and back, never through floating point. */
#include "money.h"

#include <stdio.h>
#include <string.h>

/* ISO 4217 codes whose minor unit is not 2 (the 2026 list). */
static const struct {
	const char code[4];
	int digits;
} odd_currencies[] = {
    {"BHD", 3},
    {"BIF", 0},
    {"CLF", 4},
    {"CLP", 0},
    {"DJF", 0},
    {"GNF", 0},
    {"IQD", 3},
    {"ISK", 0},
    {"JOD", 3},
    {"JPY", 0},
    {"KMF", 0},
    {"KRW", 0},
    {"KWD", 3},
    {"LYD", 3},
    {"OMR", 3},
    {"PYG", 0},
    {"RWF", 0},
    {"TND", 3},
    {"UGX", 0},
    {"UYI", 0},
    {"UYW", 4},
    {"VND", 0},
    {"VUV", 0},
    {"XAF", 0},
    {"XOF", 0},
    {"XPF", 0},
};

bool
currency_valid(const char *code)
{
	if (!code || strlen(code) != 3)
		return false;
	for (int i = 0; i < 3; i++)
		if (code[i] < 'A' || code[i] > 'Z')
			return false;
	return true;
}

int
currency_digits(const char *code)
{
	for (size_t i = 0; i < sizeof odd_currencies / sizeof odd_currencies[0]; i++)
		if (strcmp(odd_currencies[i].code, code) == 0)
			return odd_currencies[i].digits;
	return 2;
}

bool
money_add(int64_t a, int64_t b, int64_t *r)
{
	return !__builtin_add_overflow(a, b, r);
}

bool
money_mul(int64_t a, int64_t b, int64_t *r)
{
	return !__builtin_mul_overflow(a, b, r);
}

enum money_err
money_parse(const char *s, size_t n, int digits, int64_t *out)
{
	size_t i = 0;
	bool neg = false, any = false;
	int64_t v = 0;
	int frac = 0;

	if (n == 0)
		return MONEY_EMPTY;
	if (s[0] == '-' || s[0] == '+') {
		neg = s[0] == '-';
		i++;
	}
	/* Accumulate as a negative number so INT64_MIN's magnitude fits. */
	for (; i < n && s[i] >= '0' && s[i] <= '9'; i++) {
		any = true;
		if (!money_mul(v, 10, &v) || !money_add(v, -(s[i] - '0'), &v))
			return MONEY_RANGE;
	}
	if (i < n && s[i] == '.') {
		i++;
		for (; i < n && s[i] >= '0' && s[i] <= '9'; i++) {
			any = true;
			if (frac == digits) {
				if (s[i] != '0')
					return MONEY_DECIMALS;
				continue;
			}
			frac++;
			if (!money_mul(v, 10, &v) || !money_add(v, -(s[i] - '0'), &v))
				return MONEY_RANGE;
		}
	}
	if (i != n || !any)
		return MONEY_SYNTAX;
	for (; frac < digits; frac++)
		if (!money_mul(v, 10, &v))
			return MONEY_RANGE;
	if (!neg) {
		if (v == INT64_MIN)
			return MONEY_RANGE;
		v = -v;
	}
	*out = v;
	return MONEY_OK;
}

char *
money_format(int64_t v, int digits, char out[MONEY_TEXT_MAX])
{
	char tmp[MONEY_TEXT_MAX];
	/* Work on the magnitude as unsigned so INT64_MIN prints correctly. */
	uint64_t mag = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
	int len = 0, o = 0;

	do {
		tmp[len++] = (char)('0' + mag % 10);
		mag /= 10;
	} while (mag > 0 || len <= digits);
	if (v < 0)
		out[o++] = '-';
	while (len > 0) {
		if (len == digits)
			out[o++] = '.';
		out[o++] = tmp[--len];
	}
	out[o] = '\0';
	return out;
}

const char *
money_strerror(enum money_err e, int digits)
{
	static char msg[64];

	switch (e) {
	case MONEY_OK:
		return "is valid";
	case MONEY_EMPTY:
		return "is empty";
	case MONEY_SYNTAX:
		return "is not a decimal amount";
	case MONEY_DECIMALS:
		snprintf(msg, sizeof msg, "has more than %d decimal%s", digits,
		    digits == 1 ? "" : "s");
		return msg;
	case MONEY_RANGE:
		return "is out of range";
	}
	return "is invalid";
}
