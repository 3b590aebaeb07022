/* csvcols.c: columns of channel exports found by header name, and the value clean-ups the adapters share. */
#include "csvcols.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "strmap.h"

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

bool
col_find_all(const struct cr_row *h, const char *const *names, size_t n, long *idx,
    struct buf *err)
{
	for (size_t i = 0; i < n; i++) {
		const char *name = names[i];

		idx[i] = col_find(h, name);
		for (size_t c = (size_t)idx[i] + 1; idx[i] >= 0 && c < h->n; c++)
			if (name_is(h->fields[c], strlen(h->fields[c]), name)) {
				cr_header_twice(err, name, (size_t)idx[i], c);
				return false;
			}
	}
	return true;
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

/*
 * Service names as carriers and stores write them, and the service level
 * each means (the levels oms-split orders by speed). Only names that cannot
 * mean anything else: a carrier product not listed stays as it is.
 */
static const struct {
	const char *name, *level;
} builtin_services[] = {
    {"same day", "same_day"},
    {"same day delivery", "same_day"},
    {"next day", "next_day"},
    {"next day shipping", "next_day"},
    {"next day air", "next_day"},
    {"next day air saver", "next_day"},
    {"ups next day air", "next_day"},
    {"ups next day air saver", "next_day"},
    {"ups next day air early", "next_day"},
    {"overnight", "next_day"},
    {"overnight shipping", "next_day"},
    {"priority overnight", "next_day"},
    {"standard overnight", "next_day"},
    {"fedex priority overnight", "next_day"},
    {"fedex standard overnight", "next_day"},
    {"priority mail express", "next_day"},
    {"usps priority mail express", "next_day"},
    {"2nd day air", "two_day"},
    {"ups 2nd day air", "two_day"},
    {"second day", "two_day"},
    {"second day air", "two_day"},
    {"two day", "two_day"},
    {"two day shipping", "two_day"},
    {"2 day", "two_day"},
    {"2 day shipping", "two_day"},
    {"2day", "two_day"},
    {"fedex 2day", "two_day"},
    {"expedited", "expedited"},
    {"expedited shipping", "expedited"},
    {"express", "expedited"},
    {"express shipping", "expedited"},
    {"3 day select", "expedited"},
    {"ups 3 day select", "expedited"},
    {"fedex express saver", "expedited"},
    {"priority mail", "expedited"},
    {"usps priority mail", "expedited"},
    {"standard", "standard"},
    {"standard shipping", "standard"},
    {"free shipping", "standard"},
    {"free standard shipping", "standard"},
    {"flat rate", "standard"},
    {"ground", "standard"},
    {"ground shipping", "standard"},
    {"ups ground", "standard"},
    {"fedex ground", "standard"},
    {"fedex home delivery", "standard"},
    {"ground advantage", "standard"},
    {"usps ground advantage", "standard"},
    {"first class", "standard"},
    {"first class mail", "standard"},
    {"first class package", "standard"},
    {"usps first class mail", "standard"},
    {"parcel select", "standard"},
    {"usps parcel select", "standard"},
    {"economy", "economy"},
    {"economy shipping", "economy"},
    {"media mail", "economy"},
    {"usps media mail", "economy"},
    {"smartpost", "economy"},
    {"fedex smartpost", "economy"},
    {"surepost", "economy"},
    {"ups surepost", "economy"},
};

/* The table in use: the built-in names, then the rules' (which win). */
static struct strmap services;
static bool services_built;

/* Names longer than this are no service name anyone writes: never matched. */
#define SERVICE_KEY_MAX 128

/*
 * A name as the table keys it, into out: lower-case ASCII, words apart by
 * one space (white space, '-' and '_' separate words), ® and ™ dropped:
 * "UPS® Next-Day  Air" is "ups next day air". False when it is too long.
 */
static bool
service_key(const char *s, char out[SERVICE_KEY_MAX])
{
	size_t n = 0;
	bool gap = false;

	for (; *s; s++) {
		/* The first byte alone rules out (R) and (TM) for plain text. */
		if ((*s == '\xC2' && s[1] == '\xAE') ||
		    (*s == '\xE2' && s[1] == '\x84' && s[2] == '\xA2')) {
			s += s[0] == '\xC2' ? 1 : 2;
			continue;
		}
		if (isspace((unsigned char)*s) || *s == '-' || *s == '_') {
			gap = n > 0;
			continue;
		}
		if (n + 2 >= SERVICE_KEY_MAX)
			return false;
		if (gap)
			out[n++] = ' ';
		gap = false;
		out[n++] = (char)tolower((unsigned char)*s);
	}
	out[n] = '\0';
	return true;
}

/* Put one name in the table, its level copied: the table owns it. */
static void
service_put(const char *name, const char *level)
{
	char key[SERVICE_KEY_MAX];

	if (service_key(name, key))
		free(strmap_put(&services, key, xstrdup(level)));
}

static void
services_build(void)
{
	if (services_built)
		return;
	for (size_t i = 0; i < sizeof builtin_services / sizeof builtin_services[0]; i++)
		service_put(builtin_services[i].name, builtin_services[i].level);
	services_built = true;
}

bool
col_services_load(json_t *table, struct buf *err)
{
	const char *k;
	json_t *v;

	services_build();
	if (table && !json_is_object(table)) {
		buf_adds(err, "import.services is an object of service names and levels");
		return false;
	}
	json_object_foreach(table, k, v) {
		char key[SERVICE_KEY_MAX];

		if (!json_is_string(v) || json_string_length(v) == 0 ||
		    strcspn(json_string_value(v), " \t\n") != json_string_length(v)) {
			buf_printf(err,
			    "import.services.%s is not a service level (one word, "
			    "like \"next_day\")",
			    k);
			return false;
		}
		if (!service_key(k, key) || !*key) {
			buf_printf(err, "import.services: \"%s\" is no service name", k);
			return false;
		}
		service_put(k, json_string_value(v));
	}
	return true;
}

void
col_services_free(void)
{
	strmap_free(&services, free);
	memset(&services, 0, sizeof services);
	services_built = false;
}

const char *
col_service_level(const char *method)
{
	char key[SERVICE_KEY_MAX];

	services_build();
	return service_key(method, key) ? strmap_get(&services, key) : NULL;
}

const char *
col_service(const char *method)
{
	const char *level = col_service_level(method);

	return level ? level : method;
}

void
col_order_id(struct buf *out, const char *source, const char *store, const char *name)
{
	buf_reset(out);
	if (store)
		buf_printf(out, "%s:%s:%s", source, store, name);
	else
		buf_printf(out, "%s:%s", source, name);
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
