/*
 * check.h: the checks of the C unit tests, without a framework. Each test
 * program includes it once: CHECK(e) counts a check and prints the failed
 * ones (file:line and the expression); check_report(name) prints
 * "unit: NAME N checks ok", or how many failed, and is main's status.
 */
#ifndef OMS_UNIT_CHECK_H
#define OMS_UNIT_CHECK_H

#include <stdbool.h>
#include <stdio.h>

static long checks, failures;

#define CHECK(e) check_at((e), #e, __FILE__, __LINE__)

static bool
check_at(bool ok, const char *expr, const char *file, int line)
{
	checks++;
	if (!ok) {
		failures++;
		fprintf(stderr, "%s:%d: check failed: %s\n", file, line, expr);
	}
	return ok;
}

static int
check_report(const char *name)
{
	if (failures) {
		fprintf(stderr, "unit: %s %ld of %ld checks FAILED\n", name, failures,
		    checks);
		return 1;
	}
	printf("unit: %s %ld checks ok\n", name, checks);
	return 0;
}

#endif
