/* allocate.h: the rules of the allocate section and one allocation run over the whole book. */
#ifndef OMS_ALLOCATE_H
#define OMS_ALLOCATE_H

#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>

#include "book.h"
#include "partial.h"
#include "rank.h"
#include "stock.h"
#include "util.h"

/*
 * Keep units of each SKU for one channel: a number plus a share of the
 * SKU's stock (entries of one channel add up into one rule).
 */
struct protect_rule {
	uint32_t channel; /* in stock.channels */
	int64_t units;
	int percent;
	int64_t *used; /* per SKU id: units the channel holds */
};

struct alloc_rules {
	struct rank rank;
	long search_limit; /* location sets tried per order before going greedy */
	struct protect_rule *protect;
	size_t nprotect;
	int *min_fill; /* per channel id below nchannels: percent, 0 for none */
	uint64_t size_run; /* bit per channel id */
	size_t nchannels;
	bool case_pack;
	int lead_days;
	/* The rules' split.partial: work it holds back is not counted against capacity. */
	struct partial_rules partial;
};

/*
 * Read the allocate section (NULL: defaults), checking every key and value;
 * channel names are numbered in st. False with a message in err.
 */
bool alloc_rules_load(
    const json_t *section, struct stock *st, struct alloc_rules *r, struct buf *err);

/*
 * Read the allocate section of the rules file at path (NULL: no file, the
 * defaults): its keys checked against the ones this section knows, then
 * alloc_rules_load. False with a message in err naming the file.
 */
bool alloc_rules_read(
    const char *path, struct stock *st, struct alloc_rules *r, struct buf *err);

void alloc_rules_free(struct alloc_rules *r);

struct alloc_opts {
	int32_t as_of;
	bool explain, reallocate;
};

/* Units by channel, for --stats. */
struct channel_units {
	int64_t orders, demanded, allocated, backordered, unallocated;
};

/*
 * Allocate the book: release what must go, keep what may stay, then give
 * stock to every open order in rank order. Every live order gets a status,
 * a reason and (with explain) a trace.
 */
void allocate_run(struct book *b, struct alloc_rules *r, const struct alloc_opts *o);

/*
 * Check the laws on the book as allocated: per line, allocated + backordered
 * + unallocated = qty - shipped; per location and SKU, the units allocated to
 * open orders never exceed on_hand - safety_stock; per order, its
 * fulfillment counts the lines' shipped units and says shipped only when
 * nothing is left to ship, and an order this run closed has nothing left
 * to ship. False with the first breach in err.
 */
bool allocate_check(const struct book *b, struct buf *err);

/* Units per channel (by channel id, n of them, the caller's to free). */
struct channel_units *allocate_units(const struct book *b, size_t *n);

/* Write what is left per location and SKU as CSV (sorted by location, then SKU). */
bool allocate_write_inventory(const struct stock *st, FILE *f);

#endif
