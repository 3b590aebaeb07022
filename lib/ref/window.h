/*
 * window.h: an order's ship window, worked out in one place: from its own
 * dates (start_ship, cancel_after, ship_by) and the rules' lead days, the
 * days it opens and closes, and where a day (--as-of) stands in it.
 */
#ifndef OMS_WINDOW_H
#define OMS_WINDOW_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "rank.h"

/* No such day: a date the order does not give. */
#define WINDOW_NO_DAY INT32_MIN

struct ship_window {
	/* The order's own dates as day numbers, WINDOW_NO_DAY when not given. */
	int32_t start_ship, cancel_after, ship_by;
	int lead_days; /* stock is taken this many days before start_ship */
};

/* Where a day stands in a window. */
enum window_stand {
	WINDOW_NOT_YET, /* before it opens */
	WINDOW_OPEN,
	WINDOW_EXPIRED /* after cancel_after */
};

/* The window of an order from its ranking values (rank_vals_of), with lead_days. */
void window_of_rank(struct ship_window *w, const struct rank_vals *v, int lead_days);

/*
 * The window of an order record, from its dates (each one present must be
 * a date, as order_normalize has checked), with lead_days.
 */
void window_of_order(struct ship_window *w, const json_t *order, int lead_days);

/*
 * Does the order give a window of its own (start_ship or cancel_after, as
 * a wholesale order does)? It is the order's promise: rules compute no
 * ship_by over it.
 */
bool window_given(const struct ship_window *w);

/* A window that closes before it opens: start_ship after cancel_after. */
bool window_empty(const struct ship_window *w);

/* The day the window opens (start_ship less the lead days); WINDOW_NO_DAY: always open. */
int32_t window_opens(const struct ship_window *w);

/* Does the window open after day? Never when it has no start_ship. */
bool window_opens_after(const struct ship_window *w, int32_t day);

/*
 * Where day (--as-of) stands: expired once cancel_after has passed, else
 * not yet before the window opens, else open.
 */
enum window_stand window_at(const struct ship_window *w, int32_t day);

/*
 * The last day to ship: the earlier of ship_by and cancel_after, with
 * *which naming it ("ship_by" or "cancel_after"); WINDOW_NO_DAY, *which
 * untouched, without either.
 */
int32_t window_due(const struct ship_window *w, const char **which);

/*
 * The day the order's units are needed: ship_by, else start_ship, else
 * placed (the day it was placed, or WINDOW_NO_DAY).
 */
int32_t window_needed(const struct ship_window *w, int32_t placed);

#endif
