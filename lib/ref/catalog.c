/* catalog.c: the catalog held in memory, indexed by SKU, by UPC and by folded title. */
#include "catalog.h"

#include <ctype.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "refcsv.h"

/* UPC-A, EAN-13 and GTIN-14 of one product differ only by leading zeros. */
static const char *
upc_key(const char *upc)
{
	while (upc[0] == '0' && upc[1])
		upc++;
	return upc;
}

static char *
dup_or_null(const char *s)
{
	return *s ? xstrdup(s) : NULL;
}

static bool
parse_count(const char *s, long *v)
{
	char *end;

	if (!*s) {
		*v = 0;
		return true;
	}
	errno = 0;
	*v = strtol(s, &end, 10);
	return !errno && !*end && *v > 0;
}

/* The maps hold positions, not pointers: the table moves as it grows. */
static void *
position(size_t i)
{
	return (void *)(uintptr_t)(i + 1);
}

static const struct cat_item *
at(const struct catalog *c, void *pos)
{
	return pos ? &c->items[(uintptr_t)pos - 1] : NULL;
}

void
catalog_fold_title(const char *title, struct buf *out)
{
	bool space = false; /* white space met since the last character kept */

	buf_reset(out);
	buf_adds(out, ""); /* a text even for an empty title */
	for (const unsigned char *p = (const unsigned char *)title; *p; p++) {
		if (isspace(*p)) {
			space = true;
			continue;
		}
		if (space && out->len && *p != '/' && out->p[out->len - 1] != '/')
			buf_addc(out, ' ');
		space = false;
		buf_addc(out, (char)(*p < 0x80 ? tolower(*p) : *p));
	}
}

/* Let the folded text in c->key name item pos; a second item makes it ambiguous. */
static void
add_title_key(struct catalog *c, size_t pos)
{
	void *v = strmap_get(&c->by_title, c->key.p);
	struct cat_title *t;

	if (v) {
		t = &c->titles[(uintptr_t)v - 1];
		if (t->first != pos + 1 && !t->second)
			t->second = pos + 1;
		return;
	}
	c->titles =
	    xgrow(c->titles, &c->titles_cap, c->ntitles + 1, sizeof *c->titles, 256);
	c->titles[c->ntitles] = (struct cat_title){pos + 1, 0};
	strmap_put(&c->by_title, c->key.p, position(c->ntitles++));
}

/* "<title> - <variant>", folded, names item pos. */
static void
add_variant(struct catalog *c, size_t pos, const char *a, const char *b)
{
	const struct cat_item *it = &c->items[pos];
	struct buf name = {0};

	buf_printf(&name, "%s - %s", it->title, a);
	if (b)
		buf_printf(&name, " / %s", b);
	catalog_fold_title(name.p, &c->key);
	add_title_key(c, pos);
	buf_free(&name);
}

/*
 * The names a Shopify line may give item pos: the title alone (the whole
 * "Hoodie - S" name, or a product of one variant), then the title with its
 * size, its color, or both in either order, as Shopify joins options.
 */
static void
index_title(struct catalog *c, size_t pos)
{
	const struct cat_item *it = &c->items[pos];

	catalog_fold_title(it->title, &c->key);
	add_title_key(c, pos);
	if (it->size)
		add_variant(c, pos, it->size, NULL);
	if (it->color)
		add_variant(c, pos, it->color, NULL);
	if (it->size && it->color) {
		add_variant(c, pos, it->color, it->size);
		add_variant(c, pos, it->size, it->color);
	}
}

static bool
load_row(struct catalog *c, const struct refcsv *r, struct buf *err)
{
	struct cat_item *it = &c->items[c->n];
	const char *sku = ref_cell(r, 0), *upc = ref_cell(r, 1);

	if (!*sku) {
		buf_printf(err, "%s:%ld: sku is empty", r->path, r->row.line);
		return false;
	}
	if (!parse_count(ref_cell(r, 5), &it->size_index)) {
		buf_printf(err,
		    "%s:%ld: size_index \"%s\" is not a positive whole number", r->path,
		    r->row.line, ref_cell(r, 5));
		return false;
	}
	if (!parse_count(ref_cell(r, 6), &it->case_pack)) {
		buf_printf(err, "%s:%ld: case_pack \"%s\" is not a positive whole number",
		    r->path, r->row.line, ref_cell(r, 6));
		return false;
	}
	if (catalog_sku(c, sku)) {
		buf_printf(
		    err, "%s:%ld: sku \"%s\" appears twice", r->path, r->row.line, sku);
		return false;
	}
	if (*upc && catalog_upc(c, upc)) {
		buf_printf(
		    err, "%s:%ld: upc \"%s\" appears twice", r->path, r->row.line, upc);
		return false;
	}
	/* One buyer's number for two items could not tell an order line which. */
	if (*ref_cell(r, 7) && catalog_part(c, ref_cell(r, 7))) {
		buf_printf(err, "%s:%ld: buyer_part \"%s\" appears twice", r->path,
		    r->row.line, ref_cell(r, 7));
		return false;
	}
	it->sku = xstrdup(sku);
	it->upc = dup_or_null(upc);
	it->style = dup_or_null(ref_cell(r, 2));
	it->color = dup_or_null(ref_cell(r, 3));
	it->size = dup_or_null(ref_cell(r, 4));
	it->buyer_part = dup_or_null(ref_cell(r, 7));
	it->title = dup_or_null(ref_cell(r, 8));
	strmap_put(&c->by_sku, it->sku, position(c->n));
	if (it->upc)
		strmap_put(&c->by_upc, upc_key(it->upc), position(c->n));
	if (it->buyer_part)
		strmap_put(&c->by_part, it->buyer_part, position(c->n));
	if (it->title)
		index_title(c, c->n);
	c->n++;
	return true;
}

struct catalog *
catalog_load(const char *path, struct buf *err)
{
	static const char *const cols[] = {
	    "sku",
	    "?upc",
	    "?style",
	    "?color",
	    "?size",
	    "?size_index",
	    "?case_pack",
	    "?buyer_part",
	    "?title",
	    NULL,
	};
	struct catalog *c = xcalloc(1, sizeof *c);
	struct refcsv r;
	size_t cap = 0;
	bool failed = false;

	if (!ref_open(&r, path, cols, err)) {
		catalog_free(c);
		return NULL;
	}
	while (ref_next(&r, &failed, err)) {
		c->items = xgrow(c->items, &cap, c->n + 1, sizeof *c->items, 256);
		memset(&c->items[c->n], 0, sizeof c->items[c->n]);
		if (!load_row(c, &r, err)) {
			failed = true;
			break;
		}
	}
	ref_close(&r);
	if (failed) {
		catalog_free(c);
		return NULL;
	}
	return c;
}

const struct cat_item *
catalog_sku(const struct catalog *c, const char *sku)
{
	return at(c, strmap_get(&c->by_sku, sku));
}

const struct cat_item *
catalog_upc(const struct catalog *c, const char *upc)
{
	return at(c, strmap_get(&c->by_upc, upc_key(upc)));
}

const struct cat_item *
catalog_part(const struct catalog *c, const char *part)
{
	return at(c, strmap_get(&c->by_part, part));
}

enum catalog_key
catalog_key_of(json_t *line)
{
	if (json_object_get(line, "sku"))
		return CATALOG_BY_SKU;
	if (json_object_get(line, "upc"))
		return CATALOG_BY_UPC;
	if (json_object_get(line, "buyer_part"))
		return CATALOG_BY_PART;
	return CATALOG_BY_NOTHING;
}

const struct cat_item *
catalog_find(const struct catalog *c, json_t *line)
{
	const char *sku = json_string_value(json_object_get(line, "sku"));
	const char *upc = json_string_value(json_object_get(line, "upc"));
	const char *part = json_string_value(json_object_get(line, "buyer_part"));
	const struct cat_item *it = NULL;

	if (sku)
		return catalog_sku(c, sku);
	if (upc)
		it = catalog_upc(c, upc);
	return it || !part ? it : catalog_part(c, part);
}

enum cat_title_match
catalog_title(struct catalog *c, const char *title, const struct cat_item **it,
    const struct cat_item **other)
{
	void *v;
	const struct cat_title *t;

	*it = *other = NULL;
	if (!c->ntitles)
		return CAT_TITLE_NONE;
	catalog_fold_title(title, &c->key);
	if (!(v = strmap_get(&c->by_title, c->key.p)))
		return CAT_TITLE_NONE;
	t = &c->titles[(uintptr_t)v - 1];
	*it = &c->items[t->first - 1];
	if (!t->second)
		return CAT_TITLE_ONE;
	*other = &c->items[t->second - 1];
	return CAT_TITLE_MANY;
}

static void
fill_text(json_t *line, const char *key, const char *value)
{
	if (value && !json_object_get(line, key))
		json_object_set_new(line, key, json_string(value));
}

bool
catalog_fill(
    struct catalog *c, json_t *line, size_t index, bool case_pack, struct buf *err)
{
	const char *sku = json_string_value(json_object_get(line, "sku"));
	const char *upc = json_string_value(json_object_get(line, "upc"));
	const char *part = json_string_value(json_object_get(line, "buyer_part"));
	const char *title = json_string_value(json_object_get(line, "title"));
	const struct cat_item *it = NULL, *other;

	if (sku || upc || part)
		it = catalog_find(c, line);
	/*
	 * None: a gift card or a tip (nothing to look up), or a line that only
	 * its title names. Unresolved, it is left without a SKU; whether it
	 * may be is the order checks' to say (order.h).
	 */
	else if (json_is_false(json_object_get(line, "requires_shipping")) || !title ||
	    catalog_title(c, title, &it, &other) != CAT_TITLE_ONE)
		return true;
	if (!it) {
		if (sku)
			buf_printf(err, "lines[%zu].sku \"%s\" is not in the catalog",
			    index, sku);
		else if (upc && part)
			buf_printf(err,
			    "lines[%zu].upc \"%s\" and buyer_part \"%s\" are not in the "
			    "catalog",
			    index, upc, part);
		else if (upc)
			buf_printf(err, "lines[%zu].upc \"%s\" is not in the catalog",
			    index, upc);
		else
			buf_printf(err,
			    "lines[%zu].buyer_part \"%s\" is not in the catalog", index,
			    part);
		return false;
	}
	fill_text(line, "sku", it->sku);
	fill_text(line, "style", it->style);
	fill_text(line, "color", it->color);
	fill_text(line, "size", it->size);
	fill_text(line, "upc", it->upc);
	if (case_pack && it->case_pack && !json_object_get(line, "case_pack"))
		json_object_set_new(line, "case_pack", json_integer(it->case_pack));
	return true;
}

void
catalog_free(struct catalog *c)
{
	if (!c)
		return;
	strmap_free(&c->by_sku, NULL);
	strmap_free(&c->by_upc, NULL);
	strmap_free(&c->by_part, NULL);
	strmap_free(&c->by_title, NULL);
	free(c->titles);
	buf_free(&c->key);
	for (size_t i = 0; i < c->n; i++) {
		free(c->items[i].sku);
		free(c->items[i].upc);
		free(c->items[i].style);
		free(c->items[i].color);
		free(c->items[i].size);
		free(c->items[i].buyer_part);
		free(c->items[i].title);
	}
	free(c->items);
	free(c);
}
