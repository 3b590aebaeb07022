/* stock.h: locations.csv, inventory.csv and packs.csv: where stock is, how much, and who may take it. */
#ifndef OMS_STOCK_H
#define OMS_STOCK_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "intern.h"
#include "util.h"

/*
 * The largest count oms-allocate takes: units on a line or on hand, and
 * capacity; units per prepack at most PACK_MAX. Their products and sums
 * stay far inside 64 bits.
 */
#define QTY_MAX INT64_C(1000000000000)
#define PACK_MAX INT64_C(1000000)

/* Channels a location may serve are bits; a channel past the last bit is served only by "all". */
#define CHANNEL_BITS 64

struct location {
	uint32_t country, region; /* ids in stock.places */
	long priority; /* lower first */
	uint64_t channels; /* bit per channel id; all_channels when the list was empty */
	bool all_channels;
	int64_t max_orders, max_units; /* capacity per run; -1 is none */
	/* What this run holds there: open orders with an allocation, and their units. */
	int64_t orders, units;
};

/* One location's stock of one SKU. */
struct stock_row {
	uint32_t loc, sku;
	int64_t on_hand, safety;
	int64_t allocated; /* units held there by open orders */
	int64_t
	    trial; /* units an order is trying to take, while it looks for locations */
	long line; /* in inventory.csv */
};

/* One size of a prepack. */
struct pack_part {
	uint32_t sku;
	int64_t qty;
};

struct stock {
	struct intern locs, skus, channels, places;
	struct location *loc; /* by location id */
	struct stock_row *rows; /* grouped by SKU, each group by location id */
	size_t nrows;
	uint32_t *sku_first, *sku_n; /* per SKU id below sku_cover: its rows */
	size_t sku_cover;
	struct pack_part *parts;
	uint32_t *pack_first, *pack_n; /* per SKU id below pack_cover; n 0: not a pack */
	size_t pack_cover;
};

/*
 * Load locations.csv, then inventory.csv and packs.csv (each NULL: none).
 * False with "file:line: reason" in err on the first unusable row.
 */
bool stock_load(struct stock *st, const char *locations, const char *inventory,
    const char *packs, struct buf *err);

/* The stock rows of SKU id sku (n of them; NULL when nobody stocks it). */
struct stock_row *stock_rows(const struct stock *st, uint32_t sku, uint32_t *n);

/* The row of sku at location loc, or NULL. */
struct stock_row *stock_row_at(const struct stock *st, uint32_t sku, uint32_t loc);

/* Units of the row free to allocate now. */
static inline int64_t
stock_avail(const struct stock_row *r)
{
	int64_t cap = r->on_hand - r->safety;

	return (cap > 0 ? cap : 0) - r->allocated;
}

/* The sizes of pack SKU sku (n of them), or NULL when it is no pack. */
const struct pack_part *stock_pack(const struct stock *st, uint32_t sku, uint32_t *n);

/*
 * The stock units one unit of SKU sku takes: a pack's sizes, or the SKU
 * itself (written into *single). n of them.
 */
const struct pack_part *stock_parts(
    const struct stock *st, uint32_t sku, struct pack_part *single, uint32_t *n);

/* May location loc serve channel (an id in st->channels)? */
bool stock_serves(const struct stock *st, uint32_t loc, uint32_t channel);

/* A whole number from 0 to QTY_MAX in the text s (spaces around allowed); empty gives dflt. */
bool stock_parse_count(const char *s, int64_t dflt, int64_t *v);

/* A count (whole, 0 to QTY_MAX) at key of obj, or dflt when absent; false when it is something else. */
bool stock_count(const json_t *obj, const char *key, int64_t dflt, int64_t *v);

/* Release everything st holds. */
void stock_release(struct stock *st);

#endif
