/* woo.c: what the two WooCommerce export layouts share (woo.h). */
#include "woo.h"

#include <string.h>
#include <strings.h>

#include "csvcols.h"
#include "date.h"

/* WooCommerce core's statuses, by label (what the plugin writes) or slug. */
static const struct {
	const char *label, *slug, *status, *payment;
} woo_statuses[] = {
    {"Pending payment", "pending", "open", "pending"},
    {"Processing", "processing", "open", "paid"},
    {"On hold", "on-hold", "open", "pending"},
    {"Completed", "completed", "closed", "paid"},
    {"Cancelled", "cancelled", "cancelled", NULL},
    {"Refunded", "refunded", "cancelled", "refunded"},
    {"Failed", "failed", "cancelled", "failed"},
};

#define NSTATUSES (sizeof woo_statuses / sizeof woo_statuses[0])

bool
woo_put_status(const char *text, const char *column, json_t *rec, struct buf *err)
{
	const char *slug = text + (strncasecmp(text, "wc-", 3) == 0 ? 3 : 0);

	for (size_t i = 0; i < NSTATUSES; i++)
		if (strcasecmp(text, woo_statuses[i].label) == 0 ||
		    strcasecmp(slug, woo_statuses[i].slug) == 0) {
			col_put(rec, NULL, "status", woo_statuses[i].status);
			if (woo_statuses[i].payment)
				col_put(
				    rec, "payment", "status", woo_statuses[i].payment);
			return true;
		}
	/* A shop's own status could mean anything: say so rather than guess. */
	buf_printf(err, "%s \"%s\" is not one of WooCommerce's (", column, text);
	for (size_t i = 0; i < NSTATUSES; i++)
		buf_printf(err, "%s%s", i ? ", " : "", woo_statuses[i].label);
	buf_adds(err, ")");
	return false;
}

bool
woo_put_placed_at(const char *given, const char *iso, const char *column, const char *tz,
    json_t *rec, struct buf *err)
{
	char out[TS_TEXT_MAX];
	int64_t secs;
	enum ts_err e = ts_parse(iso, strlen(iso), tz, &secs);

	/* ts_parse takes a date alone as midnight UTC; here it is the shop's midnight. */
	if (e == TS_NOZONE || (e == TS_OK && !tz && strlen(iso) == 10)) {
		buf_printf(err,
		    "%s \"%s\" is the shop's local time: give its time zone "
		    "with --tz (or import.timezone in the rules)",
		    column, given);
		return false;
	}
	if (e != TS_OK) {
		buf_printf(err, "%s \"%s\" %s", column, given, ts_strerror(e));
		return false;
	}
	col_put(rec, NULL, "placed_at", ts_format(secs, out));
	return true;
}

void
woo_put_name(const struct cr_row *r, long first, long last, json_t *obj, const char *sub)
{
	struct buf name = {0};

	buf_adds(&name, col_cell(r, first));
	if (col_has(r, first) && col_has(r, last))
		buf_addc(&name, ' ');
	buf_adds(&name, col_cell(r, last));
	col_put(obj, sub, "name", name.p);
	buf_free(&name);
}
