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

/*
 * The case remainder of a line: of its units left to allocate (open, less
 * those allocated in whole cases already), those that make no whole case
 * of case_pack (18 in cases of 12: 6). A wholesale line is
 * allocated in whole cases, so these units are never allocated, never
 * backordered and never promised a date: every tool names them so
 * (oms-records(5) case_remainder) and judges an order complete without them.
 */
static inline int64_t
units_case_remainder(int64_t left, int64_t case_pack)
{
	return left > 0 && case_pack > 1 ? left % case_pack : 0;
}

/*
 * The units of a line that can be allocated or shipped: open less its case
 * remainder, none when the remainder (as a record gives it) is all of them.
 */
static inline int64_t
units_fillable(int64_t open, int64_t remainder)
{
	return remainder <= 0 ? open : remainder < open ? open - remainder : 0;
}

#endif
