/* order.h: checks and normal form of the records oms-import writes: order, tracking, return_request. */
#ifndef OMS_ORDER_H
#define OMS_ORDER_H

#include <jansson.h>
#include <stdbool.h>

#include "util.h"

struct order_norm {
	const char *tz; /* zone for timestamps without an offset, or NULL */
};

/*
 * Check an order (brought to its kinds, its text trimmed, by schema_coerce)
 * and put it in normal form in place: status defaulting to open, UTC
 * timestamps, upper-case country and currency, money in the currency's
 * minor digits, line ids by position where missing, customer id from the
 * e-mail where missing. A line needs a sku, or a title to be resolved by
 * later (oms-allocate holds its order), unless it is cancelled, needs no
 * shipping or its order is cancelled. False with the first problem in err.
 */
bool order_normalize(json_t *order, const struct order_norm *opt, struct buf *err);

/* Where order_normalize found its problem: in a line, or in the order as a whole. */
struct order_fault {
	long line; /* index into lines from 0; -1 for the order as a whole */
	/* The line's key at fault ("qty", "unit_price", "line_id" when repeated), or NULL. */
	const char *key;
};

/* Is name an order channel: dtc, marketplace, wholesale or b2b? */
bool order_channel_known(const char *name);

/*
 * Whether line of order is still to be shipped, and so needs a SKU: its
 * order is open, and the line is neither cancelled nor one that needs no
 * shipping (a gift card, a tip).
 */
bool order_line_to_ship(const json_t *order, const json_t *line);

/*
 * order_normalize that also says, in *at, where the problem was: a source
 * that answers its sender (an 850's 997) names the line and its element.
 */
bool order_normalize_at(
    json_t *order, const struct order_norm *opt, struct buf *err, struct order_fault *at);

/*
 * Check a tracking record: it names an order, its shipped_at becomes UTC,
 * and every line names a line or SKU and has units. False with err.
 */
bool tracking_normalize(json_t *t, const struct order_norm *opt, struct buf *err);

/*
 * Check a return request: return_id, an order, UTC times, lines as for
 * tracking, and reasons among the codes of oms-records(5). False with err.
 */
bool return_request_normalize(json_t *r, const struct order_norm *opt, struct buf *err);

#endif
