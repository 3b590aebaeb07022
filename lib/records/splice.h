/*
 * splice.h: rewrite the fields one tool owns in an order's JSON text and keep
 * every other byte as it came, so a stage that changes a few fields does not
 * re-encode the whole record.
 */
#ifndef OMS_SPLICE_H
#define OMS_SPLICE_H

#include <stdbool.h>
#include <stddef.h>

#include "util.h"

/*
 * What goes in place of the owned fields: each callback appends members
 * ("key":value pairs joined by commas, nothing before the first or after
 * the last) to out, or nothing. NULL callbacks write nothing, which gives
 * the order without the owned fields.
 */
struct splice_ops {
	/* The order's own owned members (allocation). */
	void (*order_members)(void *ctx, struct buf *out);
	/* The owned members of line i (allocated, backordered, case_remainder, shipped). */
	void (*line_members)(void *ctx, size_t i, struct buf *out);
	void *ctx;
	/*
	 * When not NULL, the order's status: the value of its "status" member
	 * is replaced (the member keeps its place), or the member is added
	 * before the inserted ones when the order has none.
	 */
	const char *status;
};

/*
 * Append to out the order text s[0..n) (one JSON object, already known to
 * be valid) with its owned members removed and the callbacks' members put
 * where oms-records(5) places them: fulfillment and allocation before lines; allocated,
 * backordered and shipped before returned. Members the callbacks do not own
 * keep their bytes and their order. False (out unchanged) when s is not an
 * object of the expected shape.
 */
bool splice_order(const char *s, size_t n, const struct splice_ops *ops, struct buf *out);

#endif
