/* order.h: checks and normal form of order records (oms-records(5), "order"). */
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
 * e-mail where missing. False with the first problem in err.
 */
bool order_normalize(json_t *order, const struct order_norm *opt, struct buf *err);

#endif
