/* money.h: exact money in int64 minor units, parsed from and printed to decimal text. */
#ifndef OMS_MONEY_H
#define OMS_MONEY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum money_err { MONEY_OK = 0, MONEY_EMPTY, MONEY_SYNTAX, MONEY_DECIMALS, MONEY_RANGE };

/* Longest text money_format writes, with its NUL. */
#define MONEY_TEXT_MAX 32

/* True when code is three upper-case ASCII letters. */
bool currency_valid(const char *code);

/* Minor digits of an ISO 4217 code: 0 (JPY), 3 (KWD) or 2 for any other. */
int currency_digits(const char *code);

/*
 * Parse n bytes of decimal text ("-24.5", "1200", "0.125") with at most
 * digits fraction digits (more are allowed only when they are zeros) into
 * minor units; *out is set only on MONEY_OK.
 */
enum money_err money_parse(const char *s, size_t n, int digits, int64_t *out);

/* Write v as decimal text with exactly digits fraction digits; returns out. */
char *money_format(int64_t v, int digits, char out[MONEY_TEXT_MAX]);

/* A short phrase for an error, to follow the quoted value in a message. */
const char *money_strerror(enum money_err e, int digits);

/* *r = a + b, or false when the sum does not fit. */
bool money_add(int64_t a, int64_t b, int64_t *r);
/* *r = a * b, or false when the product does not fit. */
bool money_mul(int64_t a, int64_t b, int64_t *r);

#endif
