/* catalog.h: catalog.csv: what each SKU is (style, color, size, case pack) and its UPC. */
#ifndef OMS_CATALOG_H
#define OMS_CATALOG_H

#include <jansson.h>
#include <stdbool.h>

#include "strmap.h"
#include "util.h"

struct cat_item {
	char *sku, *upc, *style, *color, *size;
	char *buyer_part; /* a trading partner's own number for the item, or NULL */
	long size_index; /* order within a size run; 0 when not given */
	long case_pack; /* units per case; 0 when not given */
};

struct catalog {
	struct strmap by_sku, by_upc, by_part;
	struct cat_item *items;
	size_t n;
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
 * Complete an order line from the catalog: the SKU from its UPC when it has
 * none, then style, color, size, upc and (when case_pack) case_pack where
 * missing. False, with the reason in err, when the line's SKU, UPC or
 * buyer_part is not in the catalog (catalog_key_of says which was tried).
 */
bool catalog_fill(
    const struct catalog *c, json_t *line, size_t index, bool case_pack, struct buf *err);

/* Release a catalog; NULL is fine. */
void catalog_free(struct catalog *c);

#endif
