/* woo.h: what the two WooCommerce export layouts share (woo.c), and the second layout (src_woo_oei.c). */
#ifndef OMS_WOO_H
#define OMS_WOO_H

#include <jansson.h>
#include <stdbool.h>

#include "adapter.h"
#include "csvrows.h"

/*
 * Set rec's status (and payment.status) from a WooCommerce status, its
 * label ("On hold") or its slug ("on-hold", "wc-on-hold"), any ASCII case;
 * false with a message naming column when it is none of WooCommerce's own.
 */
bool woo_put_status(const char *text, const char *column, json_t *rec, struct buf *err);

/*
 * Set rec's placed_at from iso, the shop's wall-clock time ("2025-03-11
 * 21:14", no offset) read in zone tz and written in UTC; given is the value
 * as the export wrote it, and column its name, for messages. False with a
 * message (saying how to give the zone when there is none).
 */
bool woo_put_placed_at(const char *given, const char *iso, const char *column,
    const char *tz, json_t *rec, struct buf *err);

/*
 * Set obj's sub.name (sub NULL: obj's name) to "First Last" from the cells
 * at columns first and last of r, either possibly missing.
 */
void woo_put_name(
    const struct cr_row *r, long first, long last, json_t *obj, const char *sub);

/* The rules that give a WooCommerce shop's currency, for messages. */
#define WOO_CURRENCY_CURE                                                                \
	"give the shop's in the rules (--rules) as "                                     \
	"{\"import\":{\"currency\":{\"woocommerce\":\"USD\"}}}, with its ISO 4217 "      \
	"code"

/* Whether head is "Order Export & Import for WooCommerce"'s layout. */
bool woo_oei_sniff(const char *head, size_t n);

/* Read that layout (one row per order, line_item_N columns): adapter open. */
struct source *woo_oei_open(
    struct source *opened, const struct import_opts *o, struct buf *err);

#endif
