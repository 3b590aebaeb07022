/* window.c: an order's ship window, from its dates and the rules' lead days. */
#include "window.h"

#include <string.h>

#include "date.h"

static int32_t
rank_day(const struct rank_vals *v, enum rank_field f)
{
	return v->present >> f & 1u ? (int32_t)v->v[f] : WINDOW_NO_DAY;
}

void
window_of_rank(struct ship_window *w, const struct rank_vals *v, int lead_days)
{
	w->start_ship = rank_day(v, RK_START_SHIP);
	w->cancel_after = rank_day(v, RK_CANCEL_AFTER);
	w->ship_by = rank_day(v, RK_SHIP_BY);
	w->lead_days = lead_days;
}

static int32_t
order_day(const json_t *order, const char *key)
{
	const json_t *v = json_object_get(order, key);
	int32_t day;

	if (!json_is_string(v) ||
	    date_parse(json_string_value(v), json_string_length(v), &day) != TS_OK)
		return WINDOW_NO_DAY;
	return day;
}

void
window_of_order(struct ship_window *w, const json_t *order, int lead_days)
{
	w->start_ship = order_day(order, "start_ship");
	w->cancel_after = order_day(order, "cancel_after");
	w->ship_by = order_day(order, "ship_by");
	w->lead_days = lead_days;
}

bool
window_given(const struct ship_window *w)
{
	return w->start_ship != WINDOW_NO_DAY || w->cancel_after != WINDOW_NO_DAY;
}

bool
window_empty(const struct ship_window *w)
{
	return w->start_ship != WINDOW_NO_DAY && w->cancel_after != WINDOW_NO_DAY &&
	    w->start_ship > w->cancel_after;
}

int32_t
window_opens(const struct ship_window *w)
{
	return w->start_ship == WINDOW_NO_DAY ? WINDOW_NO_DAY
					      : w->start_ship - w->lead_days;
}

bool
window_opens_after(const struct ship_window *w, int32_t day)
{
	return w->start_ship != WINDOW_NO_DAY && day < window_opens(w);
}

enum window_stand
window_at(const struct ship_window *w, int32_t day)
{
	if (w->cancel_after != WINDOW_NO_DAY && day > w->cancel_after)
		return WINDOW_EXPIRED;
	return window_opens_after(w, day) ? WINDOW_NOT_YET : WINDOW_OPEN;
}

int32_t
window_due(const struct ship_window *w, const char **which)
{
	int32_t d = WINDOW_NO_DAY;

	if (w->ship_by != WINDOW_NO_DAY) {
		d = w->ship_by;
		*which = "ship_by";
	}
	if (w->cancel_after != WINDOW_NO_DAY &&
	    (d == WINDOW_NO_DAY || w->cancel_after < d)) {
		d = w->cancel_after;
		*which = "cancel_after";
	}
	return d;
}

int32_t
window_needed(const struct ship_window *w, int32_t placed)
{
	if (w->ship_by != WINDOW_NO_DAY)
		return w->ship_by;
	if (w->start_ship != WINDOW_NO_DAY)
		return w->start_ship;
	return placed;
}
