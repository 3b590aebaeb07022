/* date.h: calendar dates as day numbers and RFC 3339 timestamps as Unix seconds, in UTC. */
#ifndef OMS_DATE_H
#define OMS_DATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* "YYYY-MM-DD" and its NUL. */
#define DATE_TEXT_MAX 11
/* "YYYY-MM-DDTHH:MM:SSZ" and its NUL. */
#define TS_TEXT_MAX 21

enum ts_err {
	TS_OK = 0,
	TS_SYNTAX, /* not a date or timestamp at all */
	TS_IMPOSSIBLE, /* well formed, but no such day or time */
	TS_NOZONE, /* a wall-clock time with no offset and no zone to read it in */
	TS_BADZONE, /* the zone given to read it in is not known */
	TS_RANGE /* real, but in UTC before 0000-01-01 or after 9999-12-31 (TS_RANGE_TEXT) */
};

/* The instants a timestamp can name: years 0000..9999 in UTC, as RFC 3339 writes them. */
#define TS_RANGE_TEXT "0000-01-01T00:00:00Z to 9999-12-31T23:59:59Z"

/* Days since 1970-01-01 of a proleptic Gregorian date. */
int32_t date_from_civil(int y, int m, int d);
/* The civil date of a day number. */
void date_to_civil(int32_t days, int *y, int *m, int *d);

/* Parse exactly "YYYY-MM-DD" (n bytes) into a day number. */
enum ts_err date_parse(const char *s, size_t n, int32_t *days);
/* Write a day number as "YYYY-MM-DD"; returns out. */
char *date_format(int32_t days, char out[DATE_TEXT_MAX]);
/* Day of the week of a day number: 0 Monday .. 6 Sunday. */
int date_weekday(int32_t days);
/* Today's date in UTC. */
int32_t date_today(void);

/*
 * Parse a timestamp into Unix seconds: RFC 3339 ("2026-11-20T14:03:00Z",
 * "...T09:03:00-05:00"), also with a space for the T, "-0500" or a space
 * before the offset, and a date alone (midnight). Fractional seconds are
 * dropped. Text without an offset is read as wall-clock time in zone (an
 * IANA name such as "America/New_York"); with zone NULL it is TS_NOZONE,
 * except a date alone, which is then midnight UTC.
 */
enum ts_err ts_parse(const char *s, size_t n, const char *zone, int64_t *secs);
/* Write Unix seconds as "YYYY-MM-DDTHH:MM:SSZ"; returns out. */
char *ts_format(int64_t secs, char out[TS_TEXT_MAX]);

/* The local day and second of the day of Unix seconds in zone; false for an unknown zone. */
bool ts_local(int64_t secs, const char *zone, int32_t *day, int *second);

/* True when zone names a time zone this machine's tz database knows. */
bool tz_known(const char *zone);

/* A short phrase for an error, to follow the quoted value in a message. */
const char *ts_strerror(enum ts_err e);

#endif
