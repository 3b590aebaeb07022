/* json.c: JSON text to jansson values and back, by spans rather than by bytes. */
#include "json.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Deep enough for any record; a bound so hostile input cannot exhaust the stack. */
#define JP_MAX_DEPTH 256

struct jp {
	const char *start, *p, *end;
	int depth;
	struct buf *err;
	struct buf tmp; /* unescaped strings and keys */
};

static json_t *parse_value(struct jp *j);

static void
fail(struct jp *j, const char *what)
{
	if (j->err->len)
		return;
	if (j->p >= j->end)
		buf_printf(j->err, "%s at end of line", what);
	else
		buf_printf(
		    j->err, "%s at column %zu", what, (size_t)(j->p - j->start) + 1);
}

static void
skip_space(struct jp *j)
{
	while (j->p < j->end &&
	    (*j->p == ' ' || *j->p == '\t' || *j->p == '\n' || *j->p == '\r'))
		j->p++;
}

static int
hex4(const char *s)
{
	int v = 0;

	for (int i = 0; i < 4; i++) {
		char c = s[i];

		v <<= 4;
		if (c >= '0' && c <= '9')
			v |= c - '0';
		else if (c >= 'a' && c <= 'f')
			v |= c - 'a' + 10;
		else if (c >= 'A' && c <= 'F')
			v |= c - 'A' + 10;
		else
			return -1;
	}
	return v;
}

static void
put_utf8(struct buf *b, uint32_t cp)
{
	char u[4];
	size_t n;

	if (cp < 0x80) {
		u[0] = (char)cp;
		n = 1;
	} else if (cp < 0x800) {
		u[0] = (char)(0xC0 | cp >> 6);
		u[1] = (char)(0x80 | (cp & 0x3F));
		n = 2;
	} else if (cp < 0x10000) {
		u[0] = (char)(0xE0 | cp >> 12);
		u[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		u[2] = (char)(0x80 | (cp & 0x3F));
		n = 3;
	} else {
		u[0] = (char)(0xF0 | cp >> 18);
		u[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
		u[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
		u[3] = (char)(0x80 | (cp & 0x3F));
		n = 4;
	}
	buf_add(b, u, n);
}

/* One escape after the backslash at j->p; false on a bad one. */
static bool
unescape(struct jp *j)
{
	static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
	const char *hit;
	int cp, lo;

	if (j->p + 1 >= j->end) {
		fail(j, "unterminated string");
		return false;
	}
	if ((hit = strchr(from, j->p[1])) && j->p[1]) {
		buf_addc(&j->tmp, to[hit - from]);
		j->p += 2;
		return true;
	}
	if (j->p[1] != 'u' || j->end - j->p < 6 || (cp = hex4(j->p + 2)) < 0) {
		fail(j, "invalid escape in string");
		return false;
	}
	j->p += 6;
	if (cp >= 0xD800 && cp <= 0xDBFF) {
		if (j->end - j->p < 6 || j->p[0] != '\\' || j->p[1] != 'u' ||
		    (lo = hex4(j->p + 2)) < 0xDC00 || lo > 0xDFFF) {
			fail(j, "unpaired surrogate in string");
			return false;
		}
		cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
		j->p += 6;
	} else if (cp >= 0xDC00 && cp <= 0xDFFF) {
		fail(j, "unpaired surrogate in string");
		return false;
	}
	if (cp == 0) {
		fail(j, "\\u0000 in string");
		return false;
	}
	put_utf8(&j->tmp, (uint32_t)cp);
	return true;
}

/*
 * Scan a string starting at its opening quote. Without escapes it is a span
 * of the input (*s, *n); with them it is decoded into j->tmp.
 */
static bool
scan_string(struct jp *j, const char **s, size_t *n)
{
	const char *run;
	bool escaped = false, high = false;

	j->p++;
	run = j->p;
	for (;;) {
		while (j->p < j->end) {
			unsigned char c = (unsigned char)*j->p;

			if (c == '"' || c == '\\' || c < 0x20)
				break;
			high |= c >= 0x80;
			j->p++;
		}
		if (j->p >= j->end) {
			fail(j, "unterminated string");
			return false;
		}
		if (high && !utf8_valid(run, (size_t)(j->p - run))) {
			fail(j, "invalid UTF-8 in string");
			return false;
		}
		high = false;
		if ((unsigned char)*j->p < 0x20) {
			fail(j, "control character in string");
			return false;
		}
		if (*j->p == '"')
			break;
		if (!escaped) {
			buf_reset(&j->tmp);
			escaped = true;
		}
		buf_add(&j->tmp, run, (size_t)(j->p - run));
		if (!unescape(j))
			return false;
		run = j->p;
	}
	if (escaped) {
		buf_add(&j->tmp, run, (size_t)(j->p - run));
		*s = j->tmp.p;
		*n = j->tmp.len;
	} else {
		*s = run;
		*n = (size_t)(j->p - run);
	}
	j->p++;
	return true;
}

static json_t *
parse_number(struct jp *j)
{
	const char *s = j->p;
	bool neg = false, real = false;
	int64_t v = 0;
	char tmp[64];
	double d;

	if (*j->p == '-') {
		neg = true;
		j->p++;
	}
	if (j->p >= j->end || *j->p < '0' || *j->p > '9') {
		fail(j, "invalid number");
		return NULL;
	}
	if (*j->p == '0' && j->p + 1 < j->end && j->p[1] >= '0' && j->p[1] <= '9') {
		fail(j, "number with a leading zero");
		return NULL;
	}
	while (j->p < j->end && *j->p >= '0' && *j->p <= '9') {
		if (!real &&
		    (__builtin_mul_overflow(v, 10, &v) ||
			__builtin_sub_overflow(v, *j->p - '0', &v)))
			real = true; /* too big for an integer; caught below */
		j->p++;
	}
	if (j->p < j->end && *j->p == '.') {
		real = true;
		if (++j->p >= j->end || *j->p < '0' || *j->p > '9') {
			fail(j, "invalid number");
			return NULL;
		}
		while (j->p < j->end && *j->p >= '0' && *j->p <= '9')
			j->p++;
	}
	if (j->p < j->end && (*j->p == 'e' || *j->p == 'E')) {
		real = true;
		j->p++;
		if (j->p < j->end && (*j->p == '+' || *j->p == '-'))
			j->p++;
		if (j->p >= j->end || *j->p < '0' || *j->p > '9') {
			fail(j, "invalid number");
			return NULL;
		}
		while (j->p < j->end && *j->p >= '0' && *j->p <= '9')
			j->p++;
	}
	if (!real) {
		/* Accumulated as a negative number so INT64_MIN fits. */
		if (!neg && v == INT64_MIN) {
			fail(j, "integer out of range");
			return NULL;
		}
		return json_integer(neg ? v : -v);
	}
	if ((size_t)(j->p - s) >= sizeof tmp) {
		fail(j, "number too long");
		return NULL;
	}
	memcpy(tmp, s, (size_t)(j->p - s));
	tmp[j->p - s] = '\0';
	if (!strpbrk(tmp, ".eE")) {
		j->p = s;
		fail(j, "integer out of range");
		return NULL;
	}
	d = strtod(tmp, NULL);
	if (d - d != 0) { /* infinite: jansson holds finite reals only */
		j->p = s;
		fail(j, "number out of range");
		return NULL;
	}
	return json_real(d);
}

static json_t *
parse_object(struct jp *j)
{
	json_t *obj = json_object();

	j->p++;
	skip_space(j);
	if (j->p < j->end && *j->p == '}') {
		j->p++;
		return obj;
	}
	for (;;) {
		char small[128], *key;
		const char *k;
		size_t kn;
		json_t *v;

		skip_space(j);
		if (j->p >= j->end || *j->p != '"') {
			fail(j, "expected a key");
			break;
		}
		if (!scan_string(j, &k, &kn))
			break;
		/* The value may reuse j->tmp, so the key needs a home of its own. */
		key = kn < sizeof small ? small : xmalloc(kn + 1);
		memcpy(key, k, kn);
		key[kn] = '\0';
		if (json_object_get(obj, key)) {
			buf_printf(j->err, "duplicate key \"%s\"", key);
			v = NULL;
		} else {
			skip_space(j);
			if (j->p < j->end && *j->p == ':') {
				j->p++;
				v = parse_value(j);
			} else {
				fail(j, "expected ':'");
				v = NULL;
			}
		}
		if (v)
			json_object_set_new_nocheck(obj, key, v);
		if (key != small)
			free(key);
		if (!v)
			break;
		skip_space(j);
		if (j->p < j->end && *j->p == ',') {
			j->p++;
			continue;
		}
		if (j->p < j->end && *j->p == '}') {
			j->p++;
			return obj;
		}
		fail(j, "expected ',' or '}'");
		break;
	}
	json_decref(obj);
	return NULL;
}

static json_t *
parse_array(struct jp *j)
{
	json_t *arr = json_array();

	j->p++;
	skip_space(j);
	if (j->p < j->end && *j->p == ']') {
		j->p++;
		return arr;
	}
	for (;;) {
		json_t *v = parse_value(j);

		if (!v)
			break;
		json_array_append_new(arr, v);
		skip_space(j);
		if (j->p < j->end && *j->p == ',') {
			j->p++;
			continue;
		}
		if (j->p < j->end && *j->p == ']') {
			j->p++;
			return arr;
		}
		fail(j, "expected ',' or ']'");
		break;
	}
	json_decref(arr);
	return NULL;
}

static json_t *
parse_word(struct jp *j, const char *word, json_t *v)
{
	size_t n = strlen(word);

	if ((size_t)(j->end - j->p) >= n && memcmp(j->p, word, n) == 0) {
		j->p += n;
		return v;
	}
	fail(j, "unexpected text");
	return NULL;
}

static json_t *
parse_value(struct jp *j)
{
	json_t *v = NULL;
	const char *s;
	size_t n;

	skip_space(j);
	if (j->p >= j->end) {
		fail(j, "expected a value");
		return NULL;
	}
	if (++j->depth > JP_MAX_DEPTH) {
		fail(j, "nested too deeply");
		return NULL;
	}
	switch (*j->p) {
	case '{':
		v = parse_object(j);
		break;
	case '[':
		v = parse_array(j);
		break;
	case '"':
		if (scan_string(j, &s, &n))
			v = json_stringn_nocheck(s, n);
		break;
	case 't':
		v = parse_word(j, "true", json_true());
		break;
	case 'f':
		v = parse_word(j, "false", json_false());
		break;
	case 'n':
		v = parse_word(j, "null", json_null());
		break;
	default:
		if (*j->p == '-' || (*j->p >= '0' && *j->p <= '9'))
			v = parse_number(j);
		else
			fail(j, "unexpected text");
	}
	j->depth--;
	return v;
}

json_t *
jp_parse(const char *s, size_t n, struct buf *err)
{
	struct jp j = {s, s, s + n, 0, err, {0}};
	json_t *v;

	buf_reset(err);
	v = parse_value(&j);
	if (v) {
		skip_space(&j);
		if (j.p < j.end) {
			fail(&j, "unexpected text after the value");
			json_decref(v);
			v = NULL;
		}
	}
	buf_free(&j.tmp);
	return v;
}

void
jw_string(struct buf *out, const char *s, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	size_t run = 0;

	buf_grow(out, n + 2);
	buf_addc(out, '"');
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		char esc[6] = {'\\', 0, 0, 0, 0, 0};
		size_t en = 2;

		if (c >= 0x20 && c != '"' && c != '\\')
			continue;
		buf_add(out, s + run, i - run);
		run = i + 1;
		switch (c) {
		case '"':
			esc[1] = '"';
			break;
		case '\\':
			esc[1] = '\\';
			break;
		case '\b':
			esc[1] = 'b';
			break;
		case '\f':
			esc[1] = 'f';
			break;
		case '\n':
			esc[1] = 'n';
			break;
		case '\r':
			esc[1] = 'r';
			break;
		case '\t':
			esc[1] = 't';
			break;
		default:
			esc[1] = 'u';
			esc[2] = '0';
			esc[3] = '0';
			esc[4] = hex[c >> 4];
			esc[5] = hex[c & 15];
			en = 6;
		}
		buf_add(out, esc, en);
	}
	buf_add(out, s + run, n - run);
	buf_addc(out, '"');
}

static void
put_integer(struct buf *out, json_int_t v)
{
	char tmp[24];
	uint64_t mag = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
	int n = 0;

	do {
		tmp[sizeof tmp - 1 - n++] = (char)('0' + mag % 10);
		mag /= 10;
	} while (mag);
	if (v < 0)
		tmp[sizeof tmp - 1 - n++] = '-';
	buf_add(out, tmp + sizeof tmp - n, (size_t)n);
}

/* Reals in the fewest digits that read back the same, with a point or exponent. */
static void
put_real(struct buf *out, double d)
{
	char tmp[40];

	for (int prec = 15; prec <= 17; prec++) {
		snprintf(tmp, sizeof tmp, "%.*g", prec, d);
		if (strtod(tmp, NULL) == d)
			break;
	}
	buf_adds(out, tmp);
	if (!strpbrk(tmp, ".eEn"))
		buf_adds(out, ".0");
}

void
jw_value(struct buf *out, const json_t *v)
{
	const char *k;
	json_t *m;
	size_t i;
	bool first = true;

	if (!v) {
		buf_adds(out, "null");
		return;
	}
	switch (json_typeof(v)) {
	case JSON_OBJECT:
		buf_addc(out, '{');
		json_object_foreach((json_t *)v, k, m) {
			if (!first)
				buf_addc(out, ',');
			first = false;
			jw_string(out, k, strlen(k));
			buf_addc(out, ':');
			jw_value(out, m);
		}
		buf_addc(out, '}');
		break;
	case JSON_ARRAY:
		buf_addc(out, '[');
		json_array_foreach((json_t *)v, i, m) {
			if (i)
				buf_addc(out, ',');
			jw_value(out, m);
		}
		buf_addc(out, ']');
		break;
	case JSON_STRING:
		jw_string(out, json_string_value(v), json_string_length(v));
		break;
	case JSON_INTEGER:
		put_integer(out, json_integer_value(v));
		break;
	case JSON_REAL:
		put_real(out, json_real_value(v));
		break;
	case JSON_TRUE:
		buf_adds(out, "true");
		break;
	case JSON_FALSE:
		buf_adds(out, "false");
		break;
	case JSON_NULL:
		buf_adds(out, "null");
		break;
	}
}
