/*
 * backorder.h: backordered lines matched to supply in the ranking of
 * oms-allocate, and the backorder records and ETA notices made of them.
 */
#ifndef OMS_BACKORDER_H
#define OMS_BACKORDER_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "intern.h"
#include "rank.h"
#include "shipby.h"
#include "stock.h"
#include "supply.h"
#include "util.h"

#define BO_NONE UINT32_MAX
#define BO_NO_DAY INT32_MIN

/* The backorder section of rules.json, and the allocate section's ranking. */
struct bo_rules {
	struct rank rank; /* allocate.sort: one rules file, one order */
	struct shipby days; /* holidays: backorder.holidays, else import.holidays */
	int receiving_days; /* backorder.receiving_days, default 0 */
};

/* A unit of supply promised to a line. */
struct bo_take {
	int64_t qty;
	uint32_t supply; /* index in supplies.v */
};

/*
 * A line of an open order waiting for supply: its backordered units, or,
 * before its order's ship window, all its open units.
 */
struct bo_line {
	int64_t qty; /* backordered, or open before the window */
	int64_t covered; /* of them, promised supply */
	uint32_t order; /* index in backorders.orders */
	uint32_t sku; /* in backorders.skus */
	uint32_t line; /* its index in the order's lines */
	uint32_t first, ntakes; /* its takes */
	/* The latest eta of its takes; BO_NO_DAY without. */
	int32_t eta;
	/*
	 * The day it can ship: its eta, not before the order's start_ship,
	 * and for a ship-complete order the day its last line can;
	 * BO_NO_DAY when that is not known.
	 */
	int32_t ship;
	uint32_t
	    attr[3]; /* its style, color and size in backorders.attrs; BO_NONE: none */
	bool preorder; /* sold as a pre-order */
	bool
	    unserved; /* its SKU has supply, but none at a location serving its channel */
};

/* An open order with lines waiting for supply. */
struct bo_order {
	struct rank_vals rv;
	uint64_t id; /* offset of its order_id in backorders.ids */
	uint32_t channel; /* in backorders.channels; BO_NONE: none */
	uint32_t
	    stock_channel; /* the same in the locations' channels; INTERN_NONE: none */
	uint32_t first, n; /* its lines */
	/*
	 * When its units are needed: ship_by, start_ship or the day placed;
	 * start_ship before its window.
	 */
	int32_t needed;
	bool live; /* false once a later export of the order superseded it */
	bool ship_complete;
	/*
	 * Before its ship window (allocation.status not_yet): oms-allocate
	 * reserved nothing yet, so all its open units are demand.
	 */
	bool not_yet;
};

/* One SKU of demand no supply covers. */
struct bo_short {
	int64_t units;
	int64_t orders;
	uint32_t sku;
	/* The earliest day needed; BO_NO_DAY when no order says. */
	int32_t needed;
	uint32_t first, n; /* its channels in backorders.short_channels */
	uint32_t attr[3]; /* style, color, size of its first line that names each */
};

/* Earlier backorder records (--previous): the eta of each order's line. */
struct bo_previous {
	struct intern keys; /* order_id, NUL, line_id */
	int32_t *eta; /* per key; BO_NO_DAY for none */
	int64_t *covered; /* per key: the units its supply covered */
	size_t cap;
};

struct backorders {
	const struct bo_rules *rules;
	const struct stock *st; /* the locations bo_match was given, or NULL */
	struct bo_order *orders;
	struct bo_line *lines;
	struct bo_take *takes;
	struct bo_short *shorts;
	uint32_t *short_channels;
	size_t norders, nlines, ntakes, nshorts, nshort_channels;
	size_t ocap, lcap, tcap, scap, sccap;
	struct buf ids; /* order ids, each with its NUL */
	struct intern skus, channels, attrs;
	int64_t
	    units; /* waiting over the book, bounded so no sum of units can overflow */
};

/* The most units the waiting lines of one run may add up to. */
#define BO_UNITS_MAX INT64_C(1000000000000000000)

/* What reading an order gave. */
enum bo_read { BO_NOTHING, BO_ADDED, BO_REJECTED };

/*
 * Load the rules file at path (NULL: defaults): the backorder section
 * (receiving_days, holidays) and allocate's sort. False with err.
 */
bool bo_rules_load(const char *path, struct bo_rules *r, struct buf *err);
/* Release the rules. */
void bo_rules_free(struct bo_rules *r);

/* Start with no orders, ranking by rules. */
void bo_init(struct backorders *b, const struct bo_rules *rules);

/*
 * Take an order record: an open order's backordered lines, or, when its
 * allocation.status is not_yet, its lines with open units, are added as
 * order *index. BO_REJECTED with the reason in err when a backordered
 * count cannot be read or passes the line's qty less its shipped (or those
 * cannot be read), a waiting line has no sku or no line_id, two have one
 * line_id, or the run's waiting units would pass BO_UNITS_MAX.
 */
enum bo_read bo_add_order(
    struct backorders *b, const json_t *order, uint32_t *index, struct buf *err);

/*
 * Promise supply to the lines of the live orders: SKU by SKU, lines in the
 * ranking of the rules (then in the order's line order), each to the
 * earliest supply with units left that may serve it (a supply at a
 * location of st serves only the channels that location serves). Then
 * gather the shortfall per SKU.
 */
void bo_match(struct backorders *b, struct supplies *sup, const struct stock *st);

/*
 * The laws: no supply promised past its qty, no line past its backordered
 * units, and every line in the ranking (no later-ranked line of a SKU has
 * a supply an earlier one waiting for the same SKU could have used). True
 * when they hold; else false with the first breach in err.
 */
bool bo_check(const struct backorders *b, const struct supplies *sup, struct buf *err);

/* Counts for --stats and the records made. */
struct bo_counts {
	long records, notices, at_risk, changed;
	int64_t units, po_units, production_units, unsourced_units, preorder_units,
	    not_yet_units;
};

/*
 * Write the backorder records and notices of live order index (whose
 * record is order) to out, NDJSON, a line each. With prev, only lines new
 * since then or whose eta changed are told to the customer; the lines of
 * an order before its window are told nothing.
 */
void bo_write_order(const struct backorders *b, const struct supplies *sup,
    uint32_t index, const json_t *order, const struct bo_previous *prev, struct buf *out,
    struct bo_counts *n);

/*
 * Write the shortfall CSV (sku,style,color,size,units,orders,
 * earliest_needed,channels), a row per SKU, by SKU. False on a write error.
 */
bool bo_write_shortfall(const struct backorders *b, FILE *f);

/* Release the orders, lines and what was made of them. */
void bo_free(struct backorders *b);

/*
 * Read --previous: the backorder records among an NDJSON stream (other
 * records are skipped). False with "file:line: reason" in err.
 */
bool bo_previous_load(struct bo_previous *p, const char *path, struct buf *err);
/* Release what --previous held. */
void bo_previous_free(struct bo_previous *p);

#endif
