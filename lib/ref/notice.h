/* notice.h: notice records, for the customer or for operations, and how they name an item. */
#ifndef OMS_NOTICE_H
#define OMS_NOTICE_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "util.h"

/*
 * A notice about the order (with the order's customer when to_customer)
 * of kind with text; the caller's to release.
 */
json_t *notice_new(const json_t *order, const char *order_id, const char *kind,
    const char *text, bool to_customer);

/* "2 x Crew Tee Navy M" for qty units of a line (its SKU when it has no style). */
void notice_item(struct buf *b, const json_t *line, const char *sku, int64_t qty);

/* A date as people read it: "10 December 2026". */
void notice_date(struct buf *b, int32_t day);

#endif
