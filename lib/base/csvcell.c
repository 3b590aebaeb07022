/* csvcell.c: the guard against spreadsheet formulas, written in one place and undone in one place. */
#include "csvcell.h"

#include <string.h>

/*
 * What makes a spreadsheet read a cell as a formula (OWASP's list: = + - @,
 * tab, carriage return, and line feed since 2025).
 */
static bool
formula_start(char c)
{
	return c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r' ||
	    c == '\n';
}

/* Whether the text s[0..n) is guarded when written as a text cell. */
static bool
guarded(const char *s, size_t n)
{
	size_t i = 0;

	while (i < n && s[i] == '\'')
		i++;
	return i < n && formula_start(s[i]);
}

static bool
needs_quotes(const char *s, size_t n)
{
	return memchr(s, ',', n) || memchr(s, '"', n) || memchr(s, '\n', n) ||
	    memchr(s, '\r', n) || memchr(s, '\t', n);
}

/* s[0..n) in double quotes, with a ' first when guard, quotes doubled. */
static void
quoted(struct buf *out, const char *s, size_t n, bool guard)
{
	buf_addc(out, '"');
	if (guard)
		buf_addc(out, '\'');
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '"')
			buf_addc(out, '"');
		buf_addc(out, s[i]);
	}
	buf_addc(out, '"');
}

void
csv_cell_plain(struct buf *out, const char *s, size_t n)
{
	if (needs_quotes(s, n))
		quoted(out, s, n, false);
	else
		buf_add(out, s, n);
}

void
csv_cell(struct buf *out, const char *s, size_t n)
{
	if (guarded(s, n))
		quoted(out, s, n, true);
	else
		csv_cell_plain(out, s, n);
}

/* A plain decimal number: an optional minus, digits, and decimals after a point. */
static bool
plain_number(const char *s, size_t n)
{
	size_t i = n && s[0] == '-', digits = 0;

	while (i < n && s[i] >= '0' && s[i] <= '9')
		i++, digits++;
	if (digits && i < n && s[i] == '.') {
		size_t point = ++i;

		while (i < n && s[i] >= '0' && s[i] <= '9')
			i++;
		if (i == point)
			return false;
	}
	return digits && i == n;
}

void
csv_cell_number(struct buf *out, const char *s, size_t n)
{
	if (plain_number(s, n))
		buf_add(out, s, n);
	else
		csv_cell(out, s, n);
}

const char *
csv_cell_unguard(const char *s)
{
	size_t i = 0;

	while (s[i] == '\'')
		i++;
	return i && formula_start(s[i]) ? s + 1 : s;
}
