/*
 * book.h: the open-order book of oms-allocate, held compactly: interned
 * names, integer quantities, one small struct per order and per line, and
 * each order's text left in a spool to be written back with its allocation
 * fields spliced in (splice.h).
 */
#ifndef OMS_BOOK_H
#define OMS_BOOK_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "idmap.h"
#include "intern.h"
#include "orderref.h"
#include "rank.h"
#include "stock.h"
#include "util.h"

/* Units of a line held at one location. */
struct alloc {
	uint32_t loc;
	int64_t qty;
};

struct line {
	uint32_t sku; /* id in stock.skus */
	uint32_t group; /* style/color, id in book.groups; INTERN_NONE without a style */
	uint32_t line_id; /* id in book.line_ids */
	int64_t qty, shipped, case_pack;
	uint32_t alloc_first, nalloc; /* in book.allocs */
	bool
	    idle; /* cancelled, or needs no shipping (a gift card): nothing to allocate */
	bool no_sku; /* to be shipped, but names no SKU: its order is held */
};

enum order_state { OS_OPEN, OS_CANCELLED, OS_CLOSED };

/* The allocation status oms-records(5) names. */
enum alloc_status {
	AS_NONE,
	AS_FULL,
	AS_PARTIAL,
	AS_HELD,
	AS_NOT_YET,
	AS_EXPIRED,
	AS_CANCELLED,
	AS_CLOSED,
	AS_UNKNOWN
};

struct order {
	uint32_t id; /* order_id, in book.ids */
	uint32_t first_line, nlines; /* in book.lines */
	uint32_t channel; /* in stock.channels */
	uint32_t country, region; /* ship_to's, in stock.places */
	uint64_t ref_key; /* oref_order_key: found by its channel's number; 0 for none */
	/* Tracking applied: a list in book.ref_links (one more costs O(1)). */
	uint32_t first_ref, last_ref, nrefs;
	struct rank_vals rank;
	uint64_t text_at; /* where its text is, for book.fetch */
	uint32_t text_len;
	size_t note_at; /* allocation.reason, in book.notes */
	uint32_t note_len;
	uint32_t trace_first, ntrace; /* allocation.trace (--explain), in book.trace */
	/* The decision it came with: status (AS_UNKNOWN: none), reason, trace as JSON. */
	uint8_t old_status;
	uint32_t old_reason_len, old_trace_len;
	size_t old_reason_at, old_trace_at; /* in book.notes */
	bool keep_decision; /* nothing changed since that decision: write it again */
	bool disturbed; /* this run released some of its earlier allocation */
	uint8_t state; /* enum order_state */
	uint8_t status; /* enum alloc_status, once allocated */
	bool ship_complete;
	bool has_allocation; /* the record came with allocation fields */
	bool superseded; /* a later occurrence of its order_id replaced it */
	bool changed; /* it replaced an earlier occurrence with other content */
	bool tracking_indexed; /* its refs, line_ids and SKUs are in book.ti */
	bool no_sku; /* open, and a line to ship names no SKU: held, nothing taken */
	bool closed_now; /* open as read, closed by this run: everything shipped */
	bool works; /* what it holds counts against capacity (allocate.c is_work) */
};

/* One line of an order's --explain trace: text in book.notes. */
struct trace_item {
	uint32_t order;
	uint32_t len;
	size_t at;
};

/* One tracking ref of an order, and the place of the order's next. */
struct ref_link {
	uint32_t id; /* in book.refs */
	uint32_t next; /* in book.ref_links; meaningless after the order's last */
};

/* The lines of one SKU in one order that still ship (not idle). */
struct sku_run {
	uint32_t first, last; /* the first and last, in book.lines */
	/* The lines before it have no units left to ship; INTERN_NONE: past the end. */
	uint32_t left;
	uint32_t pending_left; /* the same, counting the record's pending units */
	uint32_t gen; /* the tracking record pending_left was found for */
};

/*
 * What applying tracking looks up, so that each record costs the same
 * however many lines and confirmations its order has (copying and
 * scanning them took 3.2 GB at 40,000 confirmations). Built for an order
 * when its first tracking record comes.
 */
struct track_index {
	struct idmap refs; /* (order, ref) for each ref it holds */
	struct idmap line_ids; /* (order, line_id) to its first line */
	struct idmap skus; /* (order, SKU) to its run, in runs */
	struct sku_run *runs;
	size_t nruns, runs_cap;
	uint32_t *sku_next; /* per line: the next line of its run, or INTERN_NONE */
	int64_t *pending; /* per line of the order at hand: units shipped by the record */
	uint32_t *touched; /* the lines of the order at hand with units pending */
	size_t ntouched, pending_cap;
	uint32_t gen;
};

/* A tracking record waiting to be applied when the book is whole. */
struct track {
	json_t *rec;
	char *file, *raw;
	size_t raw_len;
	long line;
	bool rejected;
	uint32_t order; /* the live order it resolved to, or OREF_NONE */
	char *shipment_id; /* the shipment it names, resolved (oref_match), or NULL */
};

struct book {
	struct stock *st;
	bool case_packs; /* lines are allocated in whole cases (rules: case_pack) */
	/* Read back the text of an earlier occurrence (placed at, n bytes long) into out. */
	bool (*fetch)(void *ctx, uint64_t at, size_t n, struct buf *out);
	void *fetch_ctx;
	struct intern ids, line_ids, groups, refs;
	struct order *orders; /* every occurrence, in input order */
	size_t norders, orders_cap;
	uint32_t *latest; /* per order_id id: its last occurrence */
	size_t latest_cap;
	struct line *lines;
	size_t nlines, lines_cap;
	struct alloc *allocs;
	size_t nallocs, allocs_cap;
	struct ref_link *ref_links; /* tracking refs of the orders */
	size_t nref_links, ref_links_cap;
	struct orderref oref; /* tracking references to live orders */
	json_t *oref_rec; /* the order the resolver last read back */
	struct track *tracks;
	size_t ntracks, tracks_cap;
	struct track_index ti;
	struct buf notes; /* reasons and trace texts */
	struct trace_item *trace;
	size_t ntrace, trace_cap;
	struct buf tmp, text;
	int64_t fault_units; /* a test hook: units every fulfillment miscounts */
};

void book_init(struct book *b, struct stock *st);

/*
 * Add one order record (rec, already coerced) whose text is s[0..n), to be
 * found again at at through book.fetch: the
 * index of its occurrence, or -1 with the reason in err (the record is to
 * be rejected). A later occurrence of an order_id supersedes the earlier,
 * taking over its shipped units, its applied tracking and, when its content
 * is the same and it carries no allocation of its own, its allocations.
 */
long book_add_order(
    struct book *b, json_t *rec, const char *s, size_t n, uint64_t at, struct buf *err);

/* Keep a tracking record (rec is borrowed and kept) to apply when the book is whole. */
void book_add_tracking(struct book *b, json_t *rec, const char *file, long line,
    const char *raw, size_t raw_len);

/*
 * Apply every tracking record to its order; each one that cannot be applied
 * (no such order, line or SKU, more units than are left to ship) is marked
 * rejected, with the reason passed to reject_fn.
 */
void book_apply_tracking(struct book *b,
    void (*reject_fn)(void *ctx, const struct track *t, const char *why), void *ctx);

/*
 * Close every live open order whose lines are all shipped or idle, with at
 * least one unit shipped: it is done (closed_now).
 */
void book_close_shipped(struct book *b);

/* What an order's fulfillment says: "fulfillment" in oms-records(5). */
struct fulfillment {
	const char *status; /* "unshipped", "partial" or "shipped" */
	int64_t units_shipped; /* the lines' shipped */
	uint32_t shipments; /* confirmations applied (allocation.tracked) */
};

/* The fulfillment of order o as the book now has it. */
void book_fulfillment(const struct book *b, const struct order *o, struct fulfillment *f);

/*
 * Append tracking record i with the order_id and shipment_id it resolved
 * to (type, order_id, shipment_id first, then its other members as they
 * came): false (out unchanged) when it says them already and is to be
 * written as it came, or resolved to no order.
 */
bool book_render_tracking(struct book *b, size_t i, struct buf *out);

/* Append allocation entries for a line; returns the index of the first. */
uint32_t book_new_allocs(struct book *b, const struct alloc *a, uint32_t n);

/* The live occurrence of an order (not superseded), by index. */
static inline bool
book_live(const struct book *b, size_t i)
{
	return !b->orders[i].superseded;
}

/*
 * Append the text of order i (its occurrence's text s[0..n)) with its
 * allocation fields as the book now has them. False when the text does not
 * have the shape of an order.
 */
bool book_render(struct book *b, size_t i, const char *s, size_t n, struct buf *out);

/* Units allocated on line l, at every location. */
int64_t book_allocated(const struct book *b, const struct line *l);

/*
 * Are line l's open units unallocated rather than backordered: an order
 * outside its window, cancelled or closed, held for a line without a SKU,
 * or an idle line?
 */
bool book_waits(const struct order *o, const struct line *l);

/*
 * The case remainder of line l of order o: of its open units not allocated
 * (kept ones are whole cases, less what shipped since), those that make no
 * whole case, never allocated nor backordered; 0 for an order not open or
 * when lines are not allocated in cases.
 */
int64_t book_case_remainder(
    const struct book *b, const struct order *o, const struct line *l);

/* Units of line l of order o waiting for stock: 0 when the order is not to be allocated now. */
int64_t book_backordered(
    const struct book *b, const struct order *o, const struct line *l);

/* The name oms-records(5) gives a status ("full", "not_yet" ...). */
const char *book_status_name(enum alloc_status s);

void book_free(struct book *b);

#endif
