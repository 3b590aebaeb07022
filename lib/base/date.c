/* date.c: exact civil-date arithmetic and RFC 3339 parsing; local time via the tz database. */
#include "date.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

/* Era-based conversion (400-year cycles) so every year 0..9999 is exact. */
int32_t
date_from_civil(int y, int m, int d)
{
	int era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

void
date_to_civil(int32_t days, int *y, int *m, int *d)
{
	int32_t z = days + 719468;
	int era = (z >= 0 ? z : z - 146096) / 146097;
	int doe = z - era * 146097;
	int yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int mp = (5 * doy + 2) / 153;

	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = yoe + era * 400 + (*m <= 2);
}

static int
days_in_month(int y, int m)
{
	static const int dim[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

	return m == 2 && leap ? 29 : dim[m - 1];
}

/* Read exactly k decimal digits at s; -1 when any is not a digit. */
static int
digits(const char *s, int k)
{
	int v = 0;

	for (int i = 0; i < k; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

/* Parse "YYYY-MM-DD" at the start of s; 10 bytes must be there. */
static enum ts_err
civil_parse(const char *s, int *y, int *m, int *d)
{
	*y = digits(s, 4);
	*m = digits(s + 5, 2);
	*d = digits(s + 8, 2);
	if (*y < 0 || *m < 0 || *d < 0 || s[4] != '-' || s[7] != '-')
		return TS_SYNTAX;
	if (*m < 1 || *m > 12 || *d < 1 || *d > days_in_month(*y, *m))
		return TS_IMPOSSIBLE;
	return TS_OK;
}

enum ts_err
date_parse(const char *s, size_t n, int32_t *days)
{
	int y, m, d;
	enum ts_err e;

	if (n != 10)
		return TS_SYNTAX;
	if ((e = civil_parse(s, &y, &m, &d)) != TS_OK)
		return e;
	*days = date_from_civil(y, m, d);
	return TS_OK;
}

/* Write v (0 <= v < 10^n) as exactly n digits. */
static void
put_digits(char *out, int v, int n)
{
	while (n-- > 0) {
		out[n] = (char)('0' + v % 10);
		v /= 10;
	}
}

/* "YYYY-MM-DD" without its NUL; years are in 0..9999 by construction. */
static void
put_civil(char *out, int32_t days)
{
	int y, m, d;

	date_to_civil(days, &y, &m, &d);
	put_digits(out, y, 4);
	out[4] = '-';
	put_digits(out + 5, m, 2);
	out[7] = '-';
	put_digits(out + 8, d, 2);
}

char *
date_format(int32_t days, char out[DATE_TEXT_MAX])
{
	put_civil(out, days);
	out[10] = '\0';
	return out;
}

int
date_weekday(int32_t days)
{
	/* 1970-01-01 was a Thursday (3 when Monday is 0). */
	int w = (int)((days % 7 + 7 + 3) % 7);

	return w;
}

int32_t
date_today(void)
{
	time_t now = time(NULL);

	return (int32_t)(now / 86400 - (now % 86400 < 0));
}

bool
tz_known(const char *zone)
{
	const char *dir = getenv("TZDIR");
	char path[PATH_MAX];
	struct stat st;

	if (!zone || !*zone || zone[0] == '/' || strstr(zone, ".."))
		return false;
	if (strcmp(zone, "UTC") == 0)
		return true;
	snprintf(
	    path, sizeof path, "%s/%s", dir && *dir ? dir : "/usr/share/zoneinfo", zone);
	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/* Only years 0000..9999 can be written back as RFC 3339. */
static bool
ts_in_range(int64_t secs)
{
	return secs >= (int64_t)date_from_civil(0, 1, 1) * 86400 &&
	    secs < (int64_t)date_from_civil(10000, 1, 1) * 86400;
}

/*
 * Make zone the one localtime and mktime use. glibc silently reads an
 * unknown TZ as UTC, hence tz_known first; TZ is switched only when the
 * zone changes, since tzset re-reads the zone file.
 */
static bool
use_zone(const char *zone)
{
	static char current[256];

	if (strcmp(current, zone) == 0)
		return true;
	if (strlen(zone) >= sizeof current || !tz_known(zone))
		return false;
	strcpy(current, zone);
	setenv("TZ", zone, 1);
	tzset();
	return true;
}

bool
ts_local(int64_t secs, const char *zone, int32_t *day, int *second)
{
	time_t t = (time_t)secs;
	struct tm tm;

	if (!use_zone(zone) || !localtime_r(&t, &tm))
		return false;
	*day = date_from_civil(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
	*second = tm.tm_hour * 3600 + tm.tm_min * 60 + tm.tm_sec;
	return true;
}

/* mktime for one reading of the wall clock; true when it names that very wall time. */
static bool
try_reading(const struct tm *wall, int isdst, time_t *t)
{
	struct tm tm = *wall, back;

	tm.tm_isdst = isdst;
	*t = mktime(&tm);
	if (*t == (time_t)-1 || !localtime_r(t, &back))
		return false;
	return back.tm_year == wall->tm_year && back.tm_mon == wall->tm_mon &&
	    back.tm_mday == wall->tm_mday && back.tm_hour == wall->tm_hour &&
	    back.tm_min == wall->tm_min && back.tm_sec == wall->tm_sec;
}

/*
 * Wall-clock time in a named zone to Unix seconds. Both readings (standard and
 * daylight time) are tried so the answer never depends on mktime's memory
 * of earlier calls: a time that occurs twice (clocks going back) is its
 * first occurrence; a time that never occurs (clocks going forward) is
 * read with the offset from before the change, landing after the gap.
 */
static enum ts_err
local_to_utc(const char *zone, int y, int mo, int d, int h, int mi, int s, int64_t *secs)
{
	struct tm wall = {0};
	time_t t0, t1;
	bool ok0, ok1;

	if (!use_zone(zone))
		return TS_BADZONE;
	wall.tm_year = y - 1900;
	wall.tm_mon = mo - 1;
	wall.tm_mday = d;
	wall.tm_hour = h;
	wall.tm_min = mi;
	wall.tm_sec = s;
	ok0 = try_reading(&wall, 0, &t0);
	ok1 = try_reading(&wall, 1, &t1);
	if (ok0 && ok1)
		*secs = t0 < t1 ? t0 : t1;
	else if (ok0 || ok1)
		*secs = ok0 ? t0 : t1;
	else if (t0 != (time_t)-1 || t1 != (time_t)-1)
		*secs = t0 == (time_t)-1 ? t1
		    : t1 == (time_t)-1   ? t0
					 : (t0 > t1 ? t0 : t1);
	else
		return TS_IMPOSSIBLE;
	return ts_in_range(*secs) ? TS_OK : TS_RANGE;
}

/* Parse an offset ("Z", "+05:30", "-0500", "+05") filling *off in seconds. */
static enum ts_err
offset_parse(const char *s, size_t n, int *off)
{
	int h, m = 0, sign;

	if (n == 1 && (s[0] == 'Z' || s[0] == 'z')) {
		*off = 0;
		return TS_OK;
	}
	if (n < 3 || (s[0] != '+' && s[0] != '-'))
		return TS_SYNTAX;
	sign = s[0] == '-' ? -1 : 1;
	if ((h = digits(s + 1, 2)) < 0)
		return TS_SYNTAX;
	if (n == 6 && s[3] == ':')
		m = digits(s + 4, 2);
	else if (n == 5)
		m = digits(s + 3, 2);
	else if (n != 3)
		return TS_SYNTAX;
	if (m < 0)
		return TS_SYNTAX;
	if (h > 23 || m > 59)
		return TS_IMPOSSIBLE;
	*off = sign * (h * 3600 + m * 60);
	return TS_OK;
}

enum ts_err
ts_parse(const char *s, size_t n, const char *zone, int64_t *secs)
{
	int y, mo, d, h = 0, mi = 0, sec = 0, off = 0;
	size_t i = 10;
	enum ts_err e;
	bool has_offset = false;

	if (n < 10)
		return TS_SYNTAX;
	if ((e = civil_parse(s, &y, &mo, &d)) != TS_OK)
		return e;
	if (n > 10) {
		if (n < 16 || (s[10] != 'T' && s[10] != 't' && s[10] != ' ') ||
		    s[13] != ':')
			return TS_SYNTAX;
		h = digits(s + 11, 2);
		mi = digits(s + 14, 2);
		i = 16;
		if (i < n && s[i] == ':') {
			if (n < 19 || (sec = digits(s + 17, 2)) < 0)
				return TS_SYNTAX;
			i = 19;
			if (i < n && (s[i] == '.' || s[i] == ',')) {
				size_t k = ++i;

				while (i < n && s[i] >= '0' && s[i] <= '9')
					i++;
				if (i == k)
					return TS_SYNTAX;
			}
		}
		if (h < 0 || mi < 0)
			return TS_SYNTAX;
		if (h > 23 || mi > 59 || sec > 59)
			return TS_IMPOSSIBLE;
		if (i < n && s[i] == ' ')
			i++;
		if (i < n) {
			if ((e = offset_parse(s + i, n - i, &off)) != TS_OK)
				return e;
			has_offset = true;
		}
	}
	if (!has_offset) {
		/* A date alone names a day: midnight UTC unless a zone is given. */
		if (!zone && n == 10)
			zone = "UTC";
		if (!zone)
			return TS_NOZONE;
		if (strcmp(zone, "UTC") != 0)
			return local_to_utc(zone, y, mo, d, h, mi, sec, secs);
	}
	*secs =
	    (int64_t)date_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + sec - off;
	return ts_in_range(*secs) ? TS_OK : TS_RANGE;
}

char *
ts_format(int64_t secs, char out[TS_TEXT_MAX])
{
	int64_t days = secs / 86400 - (secs % 86400 < 0);
	int rem = (int)(secs - days * 86400);

	put_civil(out, (int32_t)days);
	out[10] = 'T';
	put_digits(out + 11, rem / 3600, 2);
	out[13] = ':';
	put_digits(out + 14, rem / 60 % 60, 2);
	out[16] = ':';
	put_digits(out + 17, rem % 60, 2);
	out[19] = 'Z';
	out[20] = '\0';
	return out;
}

const char *
ts_strerror(enum ts_err e)
{
	switch (e) {
	case TS_OK:
		return "is valid";
	case TS_SYNTAX:
		return "is not a date (YYYY-MM-DD) or RFC 3339 timestamp";
	case TS_IMPOSSIBLE:
		return "is not a real date or time";
	case TS_NOZONE:
		return "has no UTC offset and no time zone was given";
	case TS_BADZONE:
		return "cannot be read: the time zone is not known";
	case TS_RANGE:
		return "is out of range: in UTC it is not within " TS_RANGE_TEXT;
	}
	return "is invalid";
}
