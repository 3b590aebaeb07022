/* csvcols.c: columns of channel exports found by header name, and the value clean-ups the adapters share. */
#include "csvcols.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

/* Whether s[0..n), white space around it aside, is name in any ASCII case. */
static bool
name_is(const char *s, size_t n, const char *name)
{
	while (n > 0 && isspace((unsigned char)*s)) {
		s++;
		n--;
	}
	while (n > 0 && isspace((unsigned char)s[n - 1]))
		n--;
	return n == strlen(name) && strncasecmp(s, name, n) == 0;
}

/*
 * One cell of a header line starting at *p (before end), cells separated by
 * delim: its text goes to cell, quotes removed and "" undone. Returns false
 * at the end of the line.
 */
static bool
next_head_cell(const char **p, const char *end, char delim, struct buf *cell)
{
	const char *s = *p;

	buf_reset(cell);
	buf_adds(cell, "");
	if (s >= end || *s == '\n' || *s == '\r')
		return false;
	if (*s == '"') {
		for (s++; s < end; s++) {
			if (*s == '"' && s + 1 < end && s[1] == '"')
				buf_addc(cell, *++s);
			else if (*s == '"')
				break;
			else
				buf_addc(cell, *s);
		}
		if (s < end)
			s++; /* the closing quote */
	}
	while (s < end && *s != delim && *s != '\n' && *s != '\r')
		buf_addc(cell, *s++);
	if (s < end && *s == delim)
		s++;
	*p = s;
	return true;
}

bool
col_in_header_sep(const char *head, size_t n, char delim, const char *name)
{
	const char *p = head, *end = head + n;
	struct buf cell = {0};
	bool found = false;

	while (!found && next_head_cell(&p, end, delim, &cell))
		found = name_is(cell.p, cell.len, name);
	buf_free(&cell);
	return found;
}

bool
col_in_header(const char *head, size_t n, const char *name)
{
	return col_in_header_sep(head, n, ',', name);
}

long
col_find(const struct cr_row *h, const char *name)
{
	for (size_t i = 0; i < h->n; i++)
		if (name_is(h->fields[i], strlen(h->fields[i]), name))
			return (long)i;
	return -1;
}

void
col_find_all(const struct cr_row *h, const char *const *names, size_t n, long *idx)
{
	for (size_t i = 0; i < n; i++)
		idx[i] = col_find(h, names[i]);
}

const char *
col_cell(const struct cr_row *r, long i)
{
	return i >= 0 && (size_t)i < r->n ? r->fields[i] : "";
}

static bool
blank(const char *s)
{
	while (isspace((unsigned char)*s))
		s++;
	return *s == '\0';
}

bool
col_has(const struct cr_row *r, long i)
{
	return !blank(col_cell(r, i));
}

const char *
col_unguard(const char *s)
{
	return *s == '\'' ? s + 1 : s;
}

void
col_put(json_t *obj, const char *sub, const char *key, const char *val)
{
	json_t *v;

	if (blank(val))
		return;
	/* Rows are checked as UTF-8 when read, so jansson need not check again. */
	v = json_string_nocheck(val);
	if (sub) {
		json_t *o = json_object_get(obj, sub);

		if (!o) {
			o = json_object();
			json_object_set_new_nocheck(obj, sub, o);
		}
		obj = o;
	}
	json_object_set_new_nocheck(obj, key, v);
}

/* Words of a name, lower case, single spaces: "Next-Day  Air" is "next day air". */
static void
words(const char *s, struct buf *out)
{
	bool gap = false;

	buf_reset(out);
	buf_adds(out, "");
	for (; *s; s++) {
		if (isspace((unsigned char)*s) || *s == '-' || *s == '_') {
			gap = out->len > 0;
			continue;
		}
		if (gap)
			buf_addc(out, ' ');
		gap = false;
		buf_addc(out, (char)tolower((unsigned char)*s));
	}
}

const char *
col_service(const char *method)
{
	/* Only names that cannot mean anything else; a carrier's own product stays as it is. */
	static const struct {
		const char *name, *level;
	} known[] = {
	    {"standard", "standard"},
	    {"standard shipping", "standard"},
	    {"expedited", "expedited"},
	    {"expedited shipping", "expedited"},
	    {"express", "expedited"},
	    {"express shipping", "expedited"},
	    {"next day", "next_day"},
	    {"next day shipping", "next_day"},
	    {"overnight", "next_day"},
	    {"overnight shipping", "next_day"},
	};
	struct buf w = {0};
	const char *level = method;

	words(method, &w);
	for (size_t i = 0; i < sizeof known / sizeof known[0]; i++)
		if (strcmp(w.p, known[i].name) == 0)
			level = known[i].level;
	buf_free(&w);
	return level;
}

bool
col_list_has(const char *s, const char *item)
{
	if (blank(item))
		return false; /* an empty item would match an empty place in the list */
	while (*s) {
		size_t n = strcspn(s, ",");

		if (name_is(s, n, item))
			return true;
		s += n;
		if (*s == ',')
			s++;
	}
	return false;
}

void
col_key_add(struct buf *key, const char *cell)
{
	size_t n = strlen(cell);

	cell = trim_span(cell, &n);
	buf_add(key, cell, n);
}

bool
col_whole_number(const char *s)
{
	while (*s == ' ')
		s++;
	while (*s >= '0' && *s <= '9')
		s++;
	while (*s == ' ')
		s++;
	return *s == '\0';
}
