/* rules.c: the rules file's shape; the meaning of each section lives with its tool. */
#include "rules.h"

#include <string.h>

#include "outfile.h"

static const char *const sections[] = {
    "import",
    "allocate",
    "split",
    "backorder",
    "returns",
    "report",
    NULL,
};

static bool
listed(const char *k, const char *const *list)
{
	for (; *list; list++)
		if (strcmp(*list, k) == 0)
			return true;
	return false;
}

json_t *
rules_load(const char *path, struct buf *err)
{
	json_error_t jerr;
	json_t *r, *v;
	const char *k;

	if (!of_input(path, err))
		return NULL;
	if (!(r = json_load_file(path, JSON_REJECT_DUPLICATES, &jerr))) {
		/* jansson gives no line (-1) when the file cannot be opened at all. */
		if (jerr.line > 0)
			buf_printf(err, "%s:%d: %s", path, jerr.line, jerr.text);
		else
			buf_printf(err, "%s: %s", path, jerr.text);
		return NULL;
	}
	if (!json_is_object(r)) {
		buf_printf(
		    err, "%s: rules are a JSON object with a section per tool", path);
		json_decref(r);
		return NULL;
	}
	json_object_foreach(r, k, v) {
		if (!listed(k, sections) || !json_is_object(v)) {
			buf_printf(err,
			    listed(k, sections) ? "%s: section \"%s\" must be an object"
						: "%s: unknown section \"%s\"",
			    path, k);
			json_decref(r);
			return NULL;
		}
	}
	return r;
}

bool
rules_section(json_t *rules, const char *name, const char *const *allowed,
    json_t **section, struct buf *err)
{
	const char *k;
	json_t *v;

	*section = rules ? json_object_get(rules, name) : NULL;
	if (!*section)
		return true;
	json_object_foreach(*section, k, v) {
		if (!listed(k, allowed)) {
			buf_printf(err, "%s: unknown key \"%s\"", name, k);
			return false;
		}
	}
	return true;
}

bool
rules_read_section(const char *path, const char *name, const char *const *allowed,
    rules_reader read, void *ctx, struct buf *err)
{
	json_t *rules = NULL, *sec = NULL;
	bool ok;

	if (path && !(rules = rules_load(path, err)))
		return false;
	ok = rules_section(rules, name, allowed, &sec, err) && read(sec, ctx, err);
	if (!ok && path)
		buf_printf(err, " in %s", path);
	json_decref(rules);
	return ok;
}
