/*
 * orderref.h: the one place that resolves an order reference, for every
 * tool that joins a record (tracking, return request, shipment) to an
 * order. A record names its order by any of:
 *
 *   - its exact order_id ("shopify:1041");
 *   - a shipment id, the order_id and '/' and a number ("shopify:1041/2",
 *     as oms-split writes it on a pick ticket and a warehouse sends it back
 *     as the order number), in order_id, shipment_id or channel_order_id;
 *   - the channel's own number in any of its spellings ("#1041", "1041",
 *     " 1041 ", "shopify:1041", "01041" where a channel drops leading zeros
 *     of an all-digit number, and any of those with "/2"), with its source,
 *     or, without one or with a source no order has (a warehouse's name),
 *     across every source.
 *
 * Two orders that fit are an ambiguity, rejected with both named, never a
 * guess. Texts are compared exactly: a hash only finds the candidates,
 * whose fields are read back to confirm them.
 *
 * The tool keeps its orders; the resolver asks about them through struct
 * oref_book and keeps no more than an 8-byte key per order, which the tool
 * stores, and an index of them built the first time a reference needs a
 * channel's number.
 */
#ifndef OMS_ORDERREF_H
#define OMS_ORDERREF_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "intern.h"
#include "util.h"

/* No order. */
#define OREF_NONE UINT32_MAX

/* A text of a record or order: NULL when it has none. */
struct oref_text {
	const char *s;
	size_t n;
};

/* What a record names its order by. */
struct oref_ref {
	struct oref_text order_id, shipment_id, source, channel_order_id;
};

/* The fields of an order that confirm a candidate. */
struct oref_order {
	struct oref_text order_id, source, channel_order_id;
};

struct orderref;

/* What the resolver asks the tool about its orders (numbered by the tool). */
struct oref_book {
	/* The order whose order_id is exactly s[0..n), or OREF_NONE. */
	uint32_t (*find_id)(void *ctx, const char *s, size_t n);
	/*
	 * Call oref_index_add for every order a channel's number may find,
	 * with the key oref_order_key gave it. Called once, the first time a
	 * reference needs a number.
	 */
	void (*index)(void *ctx, struct orderref *r);
	/*
	 * The fields of order (into out, valid until the next call); false
	 * when they cannot be read, and the order is then no candidate.
	 */
	bool (*read)(void *ctx, uint32_t order, struct oref_order *out);
	void *ctx;
};

struct oref_cand {
	uint64_t key;
	uint32_t order;
};

struct orderref {
	struct oref_book book;
	struct intern sources; /* every source an order has */
	struct oref_cand *cands; /* sorted by key once indexed */
	size_t ncands, cands_cap;
	bool indexed;
	struct buf base, ship; /* the order_id found, and the shipment id it names */
};

/* Ready r to resolve references to the orders book describes (copied). */
void oref_init(struct orderref *r, const struct oref_book *book);

/*
 * The key an order with this source and channel_order_id (either may be
 * NULL) is found by through its channel's number: 0 when it has no
 * number. The source is noted as one orders have. Costs one hash.
 */
uint64_t oref_order_key(
    struct orderref *r, const struct oref_text *source, const struct oref_text *coid);

/* Index order under key (from oref_order_key; 0 is ignored): for book.index only. */
void oref_index_add(struct orderref *r, uint64_t key, uint32_t order);

enum oref_result {
	OREF_FOUND,
	OREF_UNKNOWN, /* names no order */
	OREF_AMBIGUOUS, /* fits two orders or more */
	OREF_CONFLICT /* its fields name two different orders */
};

/* The order a reference resolved to. */
struct oref_match {
	uint32_t order;
	/*
	 * The shipment it names: "<order_id>/<n>" when a field gave a shipment
	 * number of that order (n without leading zeros), else its own
	 * shipment_id (trimmed); s NULL when neither. Valid until the next
	 * oref_resolve.
	 */
	struct oref_text shipment_id;
};

/*
 * Resolve ref. The order is named by order_id, else shipment_id, else
 * channel_order_id (with source); a shipment_id beside an order_id must
 * name the same order, or the reference is a conflict. OREF_FOUND fills m;
 * anything else says why in err ("order reference \"1041\" matches
 * shopify:1041 and woocommerce:1041: give its source or order_id").
 */
enum oref_result oref_resolve(struct orderref *r, const struct oref_ref *ref,
    struct oref_match *m, struct buf *err);

/* The reference fields of a record (borrowed from rec). */
void oref_ref_of(const json_t *rec, struct oref_ref *ref);

/* The reference fields of an order record (borrowed from rec). */
void oref_order_of(const json_t *rec, struct oref_order *o);

void oref_free(struct orderref *r);

#endif
