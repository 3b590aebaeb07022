/* import_rules.c: the rules' import section, read and checked in one place. */
#include "import_rules.h"

#include <string.h>

#include "codes.h"
#include "csvcols.h"
#include "date.h"
#include "order.h"
#include "rules.h"
#include "stores.h"

/* The keys of the import section, and no other. */
static const char *const import_keys[] = {
    "case_pack_channels",
    "currency",
    "holidays",
    "preorder_tag",
    "services",
    "ship_by",
    "stores",
    "timezone",
    NULL,
};

/* Without rules, case packs bind wholesale and B2B orders. */
static const char *const default_case_pack_channels[] = {"wholesale", "b2b"};

/* Each value of a per-source object must be text that ok accepts. */
static bool
check_by_source(json_t *by_source, bool (*ok)(const char *), const char *what,
    const char *path, struct buf *err)
{
	const char *k;
	json_t *v;

	json_object_foreach(by_source, k, v) {
		if (!json_is_string(v) || !ok(json_string_value(v))) {
			buf_printf(err, "%s: import.%s.%s is not a known %s", path, what,
			    k,
			    strcmp(what, "timezone") == 0 ? "time zone"
							  : "ISO 4217 currency");
			return false;
		}
	}
	return true;
}

/* import.stores: an object from input file name patterns to store names. */
static bool
read_stores(struct import_rules *r, json_t *stores, const char *path, struct buf *err)
{
	const char *pattern;
	json_t *name;

	if (!stores)
		return true;
	if (!json_is_object(stores)) {
		buf_printf(err,
		    "%s: import.stores is an object from file name patterns to store "
		    "names",
		    path);
		return false;
	}
	json_object_foreach(stores, pattern, name) {
		if (!json_is_string(name) || !stores_name_ok(json_string_value(name))) {
			buf_printf(err,
			    "%s: import.stores.%s is not a store name (letters, "
			    "digits, '.', '_' and '-')",
			    path, pattern);
			return false;
		}
	}
	r->stores = stores;
	return true;
}

/* import.case_pack_channels: order channels, each named once; none is allowed. */
static bool
read_case_pack_channels(
    struct import_rules *r, json_t *list, const char *path, struct buf *err)
{
	json_t *v;
	size_t i, k;

	if (!list)
		return true;
	if (!json_is_array(list)) {
		buf_printf(err,
		    "%s: import.case_pack_channels is a list of order channels "
		    "(dtc, marketplace, wholesale, b2b)",
		    path);
		return false;
	}
	r->ncase_pack_channels = 0;
	json_array_foreach(list, i, v) {
		const char *name = json_string_value(v);

		if (!name || !order_channel_known(name)) {
			buf_printf(err,
			    "%s: import.case_pack_channels[%zu] is not an order "
			    "channel (dtc, marketplace, wholesale, b2b)",
			    path, i + 1);
			return false;
		}
		for (k = 0; k < r->ncase_pack_channels; k++)
			if (strcmp(r->case_pack_channels[k], name) == 0)
				break;
		if (k < r->ncase_pack_channels) {
			buf_printf(err,
			    "%s: import.case_pack_channels names \"%s\" twice", path,
			    name);
			return false;
		}
		r->case_pack_channels[r->ncase_pack_channels++] = name;
	}
	return true;
}

/* The import section sec of the rules file at path, past its keys' check. */
static bool
read_section(struct import_rules *r, json_t *sec, const char *path, struct buf *err)
{
	json_t *tag;

	r->zones = json_object_get(sec, "timezone");
	r->currencies = json_object_get(sec, "currency");
	tag = json_object_get(sec, "preorder_tag");
	if ((r->zones && !json_is_object(r->zones)) ||
	    (r->currencies && !json_is_object(r->currencies)) ||
	    (tag && !json_is_string(tag))) {
		buf_printf(err,
		    "%s: import.timezone and import.currency are objects by source, "
		    "import.preorder_tag is text",
		    path);
		return false;
	}
	r->preorder_tag = json_string_value(tag);
	if (!read_stores(r, json_object_get(sec, "stores"), path, err))
		return false;
	if (!check_by_source(r->zones, tz_known, "timezone", path, err) ||
	    !check_by_source(r->currencies, currency_known, "currency", path, err))
		return false;
	if (!read_case_pack_channels(
		r, json_object_get(sec, "case_pack_channels"), path, err))
		return false;
	/* Service names to levels, over the built-in ones: the table is built here, once. */
	if (!col_services_load(json_object_get(sec, "services"), err) ||
	    !shipby_load(&r->shipby, json_object_get(sec, "ship_by"),
		json_object_get(sec, "holidays"), err)) {
		buf_printf(err, " in %s", path);
		return false;
	}
	return true;
}

bool
import_rules_read(const char *path, struct import_rules *r, struct buf *err)
{
	json_t *sec;

	memset(r, 0, sizeof *r);
	for (size_t i = 0;
	     i < sizeof default_case_pack_channels / sizeof default_case_pack_channels[0];
	     i++)
		r->case_pack_channels[r->ncase_pack_channels++] =
		    default_case_pack_channels[i];
	if (!path)
		return true;
	if (!(r->file = rules_load(path, err)))
		return false;
	if (!rules_section(r->file, "import", import_keys, &sec, err)) {
		buf_printf(err, " in %s", path);
		return false;
	}
	return !sec || read_section(r, sec, path, err);
}

static const char *
by_source(const json_t *table, const char *source)
{
	return source ? json_string_value(json_object_get(table, source)) : NULL;
}

const char *
import_rules_zone(const struct import_rules *r, const char *source)
{
	return by_source(r->zones, source);
}

const char *
import_rules_currency(const struct import_rules *r, const char *source)
{
	return by_source(r->currencies, source);
}

bool
import_rules_case_packs(const struct import_rules *r, const char *channel)
{
	for (size_t i = 0; channel && i < r->ncase_pack_channels; i++)
		if (strcmp(r->case_pack_channels[i], channel) == 0)
			return true;
	return false;
}

void
import_rules_free(struct import_rules *r)
{
	shipby_free(&r->shipby);
	col_services_free();
	json_decref(r->file);
	memset(r, 0, sizeof *r);
}
