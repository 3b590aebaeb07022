/* shipby.h: ship_by from rules: business days after the order, with a daily cut-off. */
#ifndef OMS_SHIPBY_H
#define OMS_SHIPBY_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "util.h"

struct shipby_rule {
	char *channel; /* NULL: any channel */
	char *service; /* NULL: any service */
	int business_days; /* after the order day */
	int cutoff; /* second of the day; orders at or after it count from the next business day */
	char *zone; /* where the day and the cut-off are */
};

struct shipby {
	struct shipby_rule *rules;
	size_t n;
	int32_t *holidays; /* sorted day numbers */
	size_t nholidays;
};

/*
 * Read the rules (an array of {channel, service, business_days, cutoff,
 * timezone}) and the holidays (an array of dates), either may be NULL.
 * False with a message in err naming the bad value.
 */
bool shipby_load(struct shipby *s, json_t *rules, json_t *holidays, struct buf *err);

/*
 * The ship_by day of an order placed at placed_at (Unix seconds) on channel
 * with service (NULL: none): the most specific rule that matches decides.
 * False when no rule matches.
 */
bool shipby_compute(const struct shipby *s, const char *channel, const char *service,
    int64_t placed_at, int32_t *day);

/*
 * The business day n business days after day (weekends and the holidays
 * are not business days), counting from the first business day on or
 * after day: with n 0, day itself when it is one.
 */
int32_t shipby_business_days(const struct shipby *s, int32_t day, int n);

/*
 * Give an order record in normal form the ship_by the rules compute from
 * its placed_at, when it has none and no ship window of its own
 * (window_given): a window is the order's promise, which rules do not
 * override. Nothing changes when no rule matches.
 */
void shipby_fill(const struct shipby *s, json_t *order);

/* Release the rules. */
void shipby_free(struct shipby *s);

#endif
