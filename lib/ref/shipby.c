/* shipby.c: the promise date an order gets when its channel sends none. */
#include "shipby.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "date.h"
#include "window.h"

static const char *const rule_keys[] = {
    "channel",
    "service",
    "business_days",
    "cutoff",
    "timezone",
    NULL,
};

static bool
known(const char *k)
{
	for (const char *const *p = rule_keys; *p; p++)
		if (strcmp(*p, k) == 0)
			return true;
	return false;
}

/* "HH:MM" or "HH:MM:SS" to a second of the day. */
static bool
parse_clock(const char *s, int *second)
{
	int h, m, sec = 0;
	char tail;

	if (sscanf(s, "%2d:%2d:%2d%c", &h, &m, &sec, &tail) != 3 &&
	    (sec = 0, sscanf(s, "%2d:%2d%c", &h, &m, &tail) != 2))
		return false;
	if (h < 0 || h > 23 || m < 0 || m > 59 || sec < 0 || sec > 59)
		return false;
	*second = h * 3600 + m * 60 + sec;
	return true;
}

static char *
text_or_null(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);

	return json_is_string(v) ? xstrdup(json_string_value(v)) : NULL;
}

static bool
load_rule(struct shipby_rule *r, json_t *o, size_t i, struct buf *err)
{
	json_t *days = json_object_get(o, "business_days"), *v;
	const char *k;

	json_object_foreach(o, k, v) {
		if (!known(k)) {
			buf_printf(err, "ship_by[%zu]: unknown key \"%s\"", i, k);
			return false;
		}
		if (strcmp(k, "business_days") != 0 && !json_is_string(v)) {
			buf_printf(err, "ship_by[%zu].%s must be text", i, k);
			return false;
		}
	}
	if (!json_is_integer(days) || json_integer_value(days) < 0 ||
	    json_integer_value(days) > 365) {
		buf_printf(err,
		    "ship_by[%zu].business_days must be a whole number from 0 to 365", i);
		return false;
	}
	r->business_days = (int)json_integer_value(days);
	r->channel = text_or_null(o, "channel");
	r->service = text_or_null(o, "service");
	r->zone = text_or_null(o, "timezone");
	if (!r->zone)
		r->zone = xstrdup("UTC");
	r->cutoff = 86400; /* no cut-off: the whole day counts */
	if ((v = json_object_get(o, "cutoff")) &&
	    !parse_clock(json_string_value(v), &r->cutoff)) {
		buf_printf(err, "ship_by[%zu].cutoff \"%s\" is not a time of day (HH:MM)",
		    i, json_string_value(v));
		return false;
	}
	if (!tz_known(r->zone)) {
		buf_printf(err, "ship_by[%zu].timezone \"%s\" is not a known time zone",
		    i, r->zone);
		return false;
	}
	return true;
}

static int
cmp_day(const void *a, const void *b)
{
	int32_t x = *(const int32_t *)a, y = *(const int32_t *)b;

	return (x > y) - (x < y);
}

static bool
load_holidays(struct shipby *s, json_t *days, struct buf *err)
{
	json_t *v;
	size_t i;

	if (!json_is_array(days)) {
		buf_adds(err, "holidays must be an array of dates");
		return false;
	}
	s->holidays = xcalloc(json_array_size(days) + 1, sizeof *s->holidays);
	json_array_foreach(days, i, v) {
		if (!json_is_string(v) ||
		    date_parse(json_string_value(v), json_string_length(v),
			&s->holidays[i]) != TS_OK) {
			buf_printf(
			    err, "holidays[%zu] is not a date (YYYY-MM-DD)", i + 1);
			return false;
		}
		s->nholidays++;
	}
	qsort(s->holidays, s->nholidays, sizeof *s->holidays, cmp_day);
	return true;
}

bool
shipby_load(struct shipby *s, json_t *rules, json_t *holidays, struct buf *err)
{
	json_t *o;
	size_t i;

	memset(s, 0, sizeof *s);
	if (holidays && !load_holidays(s, holidays, err))
		return false;
	if (!rules)
		return true;
	if (!json_is_array(rules)) {
		buf_adds(err, "ship_by must be an array of rules");
		return false;
	}
	s->rules = xcalloc(json_array_size(rules) + 1, sizeof *s->rules);
	json_array_foreach(rules, i, o) {
		if (!json_is_object(o)) {
			buf_printf(err, "ship_by[%zu] is not an object", i);
			return false;
		}
		s->n++;
		if (!load_rule(&s->rules[i], o, i, err))
			return false;
	}
	return true;
}

static bool
business_day(const struct shipby *s, int32_t day)
{
	/* No holidays may mean no array at all: bsearch must not see NULL. */
	return date_weekday(day) < 5 &&
	    (s->nholidays == 0 ||
		!bsearch(&day, s->holidays, s->nholidays, sizeof day, cmp_day));
}

static int32_t
next_business_day(const struct shipby *s, int32_t day)
{
	do
		day++;
	while (!business_day(s, day));
	return day;
}

int32_t
shipby_business_days(const struct shipby *s, int32_t day, int n)
{
	if (!business_day(s, day))
		day = next_business_day(s, day);
	while (n-- > 0)
		day = next_business_day(s, day);
	return day;
}

/* A rule that names the service beats one that names only the channel. */
static const struct shipby_rule *
best_rule(const struct shipby *s, const char *channel, const char *service)
{
	const struct shipby_rule *best = NULL;
	int best_score = -1;

	for (size_t i = 0; i < s->n; i++) {
		const struct shipby_rule *r = &s->rules[i];
		int score = (r->channel != NULL) + 2 * (r->service != NULL);

		if ((r->channel && (!channel || strcmp(r->channel, channel) != 0)) ||
		    (r->service && (!service || strcmp(r->service, service) != 0)))
			continue;
		if (score > best_score) {
			best = r;
			best_score = score;
		}
	}
	return best;
}

bool
shipby_compute(const struct shipby *s, const char *channel, const char *service,
    int64_t placed_at, int32_t *day)
{
	const struct shipby_rule *r = best_rule(s, channel, service);
	int second;

	if (!r || !ts_local(placed_at, r->zone, day, &second))
		return false;
	if (!business_day(s, *day) || second >= r->cutoff)
		*day = next_business_day(s, *day);
	for (int k = 0; k < r->business_days; k++)
		*day = next_business_day(s, *day);
	return true;
}

void
shipby_free(struct shipby *s)
{
	for (size_t i = 0; i < s->n; i++) {
		free(s->rules[i].channel);
		free(s->rules[i].service);
		free(s->rules[i].zone);
	}
	free(s->rules);
	free(s->holidays);
	memset(s, 0, sizeof *s);
}

void
shipby_fill(const struct shipby *s, json_t *order)
{
	json_t *placed = json_object_get(order, "placed_at");
	char text[DATE_TEXT_MAX];
	struct ship_window w;
	int64_t secs;
	int32_t day;

	if (json_object_get(order, "ship_by") || !placed)
		return;
	window_of_order(&w, order, 0);
	if (window_given(&w) ||
	    ts_parse(json_string_value(placed), json_string_length(placed), NULL,
		&secs) != TS_OK)
		return;
	if (shipby_compute(s, json_string_value(json_object_get(order, "channel")),
		json_string_value(json_object_get(order, "service")), secs, &day))
		json_object_set_new(
		    order, "ship_by", json_string(date_format(day, text)));
}
