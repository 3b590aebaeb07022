/* units.h: a line's open units, counted one way by every tool that holds lines. */
#ifndef OMS_UNITS_H
#define OMS_UNITS_H

#include <stdbool.h>
#include <stdint.h>

/*
 * The units of a line still to ship: qty less shipped, none once shipped
 * reaches qty, and none for an idle line (cancelled, or needing no
 * shipping). A caller that has no idle flag to give, or whose check must
 * see every unit not shipped, passes false. Inline: the tools call it for
 * every line of every order.
 */
static inline int64_t
units_open(int64_t qty, int64_t shipped, bool idle)
{
	return idle || shipped >= qty ? 0 : qty - shipped;
}

#endif
