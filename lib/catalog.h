/* catalog.h: catalog.csv: what each SKU is (style, color, size, case pack) and its UPC. */
#ifndef OMS_CATALOG_H
#define OMS_CATALOG_H

#include <jansson.h>
#include <stdbool.h>

#include "strmap.h"
#include "util.h"

struct cat_item {
	char *sku, *upc, *style, *color, *size;
	long size_index; /* order within a size run; 0 when not given */
	long case_pack; /* units per case; 0 when not given */
};

struct catalog {
	struct strmap by_sku, by_upc;
	struct cat_item *items;
	size_t n;
};

/* Load catalog.csv; NULL with a message in err when any row is unusable. */
struct catalog *catalog_load(const char *path, struct buf *err);

/* The item with this SKU, or NULL. */
const struct cat_item *catalog_sku(const struct catalog *c, const char *sku);

/* The item with this UPC (EAN-13 and GTIN-14 forms with leading zeros match), or NULL. */
const struct cat_item *catalog_upc(const struct catalog *c, const char *upc);

/*
 * Complete an order line from the catalog: the SKU from its UPC when it has
 * none, then style, color, size, upc and (when case_pack) case_pack where
 * missing. False, with the reason in err, when the line's SKU or UPC is not
 * in the catalog.
 */
bool catalog_fill(
    const struct catalog *c, json_t *line, size_t index, bool case_pack, struct buf *err);

/* Release a catalog; NULL is fine. */
void catalog_free(struct catalog *c);

#endif
