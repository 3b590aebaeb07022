/* split.h: one allocated order into shipments: from where, released or held, and what to tell whom. */
#ifndef OMS_SPLIT_H
#define OMS_SPLIT_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "partial.h"
#include "stock.h"
#include "track_url.h"
#include "util.h"

/* The rules' split section. */
struct split_rules {
	struct partial_rules partial; /* what a partial order does, per channel */
	char **size_run; /* channels whose size runs ship whole (allocate.size_run) */
	size_t nsize_run;
	long max_shipments; /* per order; 0: no limit */
	struct track_urls urls; /* tracking links by carrier */
};

/* Load the split section (NULL: the defaults); false with a message in err. */
bool split_rules_load(json_t *section, struct split_rules *r, struct buf *err);
/*
 * The split section of rules, a rules file already loaded (NULL: none):
 * its keys checked against the ones this section knows, then
 * split_rules_load. False with a message in err.
 */
bool split_rules_of(json_t *rules, struct split_rules *r, struct buf *err);
/*
 * Read the split section of the rules file at path (NULL: no file, the
 * defaults), checked as split_rules_of does. False with a message in err
 * naming the file.
 */
bool split_rules_read(const char *path, struct split_rules *r, struct buf *err);
void split_rules_free(struct split_rules *r);

struct split_ctx {
	const struct split_rules *rules;
	const struct stock *st; /* locations.csv, or NULL: any name goes */
	bool picks; /* make pick rows (for --manifest-dir) */
	/*
	 * The day of the run (--as-of): a shipment whose order's ship window
	 * (start_ship) has not opened is held until that day.
	 */
	int32_t as_of;
	bool fault_units; /* test hook: the self-check sees one unit too many */
};

/* The notice kind of the warning written when shipped shipments contradict the order. */
#define SPLIT_WARNING_KIND "shipment_changed"
/* The notice kind, for operations, of shipments cancelled and planned anew. */
#define SPLIT_CANCELLED_KIND "shipment_cancelled"

/* What split_order makes of one order. */
struct split_out {
	struct buf recs; /* new records, NDJSON, one a line: shipments then notices */
	struct buf picks; /* pick rows of open released shipments (pick.h) */
	struct buf told; /* for standard error, a line each, without file:line */
	struct buf voids; /* rows to pull from the pick queues (pick.h, PC_REASON) */
	bool *drop; /* per earlier record given: true when it is replaced */
	size_t ndrop;
	long nrecs; /* records in recs */
	long released, held; /* new shipments */
	long shipped,
	    cancelled; /* shipments that shipped, or were cancelled, in this run */
	int64_t units_released, units_held;
	bool ships; /* the order has open released shipments after this run */
	bool warned; /* a SPLIT_WARNING_KIND notice was made */
	bool notified; /* a split_shipment notice was made */
	bool
	    broken; /* the self-check failed: shipment units differ from allocated units */
};

/*
 * Check an order split can work on: every line's allocation at known
 * locations (when ctx->st is given), whole positive quantities, no more
 * allocated than the line has left to ship. False with the reason in err.
 */
bool split_check(const struct split_ctx *ctx, json_t *order, struct buf *err);

/*
 * Plan order's shipments (after split_check passed), given the records of
 * the stream that belong to it: its shipments and earlier warnings
 * (nearlier of them, in stream order). Released shipments stay and count;
 * held ones and warnings are made again; new shipments take the units
 * allocated beyond the open released ones. The result is appended to out,
 * which the caller resets between orders.
 */
void split_order(const struct split_ctx *ctx, json_t *order, json_t *const *earlier,
    size_t nearlier, struct split_out *out);

void split_out_reset(struct split_out *out);
void split_out_free(struct split_out *out);

#endif
