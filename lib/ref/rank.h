/* rank.h: the order in which open orders get stock: the sort keys of the rules, shared by every tool that ranks. */
#ifndef OMS_RANK_H
#define OMS_RANK_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "util.h"

enum rank_field {
	RK_PRIORITY,
	RK_SHIP_BY,
	RK_PLACED_AT,
	RK_CANCEL_AFTER,
	RK_START_SHIP,
	RK_NFIELDS,
	RK_ORDER_ID = RK_NFIELDS /* compared as text, always the last tie-break */
};

#define RANK_MAX_KEYS 8

struct rank {
	struct {
		enum rank_field f;
		bool desc;
	} key[RANK_MAX_KEYS + 1]; /* + the order_id tie-break */
	int n;
};

/* An order's values for ranking: dates as day numbers, placed_at as seconds. */
struct rank_vals {
	int64_t v[RK_NFIELDS];
	unsigned present; /* bit per field */
};

/*
 * The ranking a rules "sort" array asks for ("priority desc", "ship_by",
 * ...); NULL gives the default: priority desc, ship_by asc, placed_at asc,
 * order_id asc. False with a message in err on an unknown field or
 * direction. order_id asc ends every ranking that does not name it.
 */
bool rank_parse(const json_t *sort, struct rank *r, struct buf *err);

/* The ranking values of an order record (fields it lacks are absent). */
void rank_vals_of(const json_t *order, struct rank_vals *v);

/*
 * Negative when a ranks before b. A missing value ranks after any present
 * one, whichever the direction; ids break every tie.
 */
int rank_cmp(const struct rank *r, const struct rank_vals *a, const char *id_a,
    const struct rank_vals *b, const char *id_b);

/* The ranking as text ("priority desc, ship_by asc, ..."), for messages. */
void rank_describe(const struct rank *r, struct buf *out);

#endif
