/* catalog.h: catalog.csv: what each SKU is (style, color, size, case pack, title) and its UPC. */
#ifndef OMS_CATALOG_H
#define OMS_CATALOG_H

#include <jansson.h>
#include <stdbool.h>

#include "strmap.h"
#include "util.h"

struct cat_item {
	char *sku, *upc, *style, *color, *size, *title;
	char *buyer_part; /* a trading partner's own number for the item, or NULL */
	long size_index; /* order within a size run; 0 when not given */
	long case_pack; /* units per case; 0 when not given */
};

/* The items a folded title names: first, and second when it names two (ambiguous). */
struct cat_title {
	size_t first, second; /* item positions + 1; second 0 when it names one */
};

struct catalog {
	struct strmap by_sku, by_upc, by_part;
	struct strmap by_title; /* folded title -> position + 1 in titles */
	struct cat_item *items;
	size_t n;
	struct cat_title *titles;
	size_t ntitles, titles_cap;
	struct buf key; /* scratch for folding titles */
};

/* What a line's title resolves to in the catalog. */
enum cat_title_match {
	CAT_TITLE_NONE, /* no title of the catalog folds to it */
	CAT_TITLE_ONE, /* one SKU: *it */
	CAT_TITLE_MANY /* two SKUs or more (*it and *other): it resolves nothing */
};

/* Load catalog.csv; NULL with a message in err when any row is unusable. */
struct catalog *catalog_load(const char *path, struct buf *err);

/* The item with this SKU, or NULL. */
const struct cat_item *catalog_sku(const struct catalog *c, const char *sku);

/* The item with this UPC (EAN-13 and GTIN-14 forms with leading zeros match), or NULL. */
const struct cat_item *catalog_upc(const struct catalog *c, const char *upc);

/* The item with this buyer's part number (catalog column buyer_part), or NULL. */
const struct cat_item *catalog_part(const struct catalog *c, const char *part);

/* Which of a line's ids the catalog looks it up by: the first it has of these. */
enum catalog_key {
	CATALOG_BY_SKU,
	CATALOG_BY_UPC, /* and, when the UPC is not found, buyer_part */
	CATALOG_BY_PART,
	CATALOG_BY_NOTHING
};
enum catalog_key catalog_key_of(json_t *line);

/* The item a line names (by sku, else upc, else buyer_part), or NULL. */
const struct cat_item *catalog_find(const struct catalog *c, json_t *line);

/*
 * Fold a product title for matching into out (replacing its text): ASCII
 * letters in lower case, runs of white space as one space, none at either
 * end nor around '/'. "Dress -  Red/M" and "dress - red / m" fold alike.
 */
void catalog_fold_title(const char *title, struct buf *out);

/*
 * The SKU a Shopify-style line name ("Hoodie - S", "Dress - Red / M")
 * resolves to through the catalog's title column (oms-import(1) gives the
 * rules); *it and, when ambiguous, *other are set to the items it names.
 */
enum cat_title_match catalog_title(struct catalog *c, const char *title,
    const struct cat_item **it, const struct cat_item **other);

/*
 * Complete an order line from the catalog: the SKU from its UPC, its
 * buyer_part or else its title, when it has none, then style, color, size,
 * upc and (when case_pack) case_pack where missing. False, with the reason
 * in err, when the line's SKU, UPC or buyer_part is not in the catalog
 * (catalog_key_of says which was tried). A line with neither whose
 * title resolves to no one SKU is left as it is (true): oms-import keeps it
 * without a SKU and says why (catalog_title).
 */
bool catalog_fill(
    struct catalog *c, json_t *line, size_t index, bool case_pack, struct buf *err);

/* Release a catalog; NULL is fine. */
void catalog_free(struct catalog *c);

#endif
