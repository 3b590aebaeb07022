/* src_shipstation.c: ShipStation shipment CSV exports as tracking records, one per shipment. */
/*
 * The export has one row per item per shipment, the shipment's values
 * repeated on each: rows with the same Order - Number and Shipment -
 * Tracking Number make one tracking record, and must agree on them.
 * A record: channel_order_id the order number as given (a Shopify one may
 * lack its '#'); or, when the number is an oms-split shipment id (an
 * order_id, '/', a number: the pick tickets give it as the order number),
 * order_id and shipment_id, so the confirmation names its shipment; source shopify, amazon or woocommerce when the marketplace
 * (or else the store) name says so, tracking_number, carrier UPS, FedEx,
 * USPS or DHL by how Shipment - Service begins, that service as the extra
 * "service_name" without ® and ™ and, when the service table of
 * oms-import(1) knows that name, its level as the extra "service"; shipped_at from Date - Shipped Date
 * ("4/2/2021 4:00:00 AM" or "4/2/2021 16:00") read in the --tz zone, as
 * the export has none, and a line per row: sku Item - SKU, qty Item - Qty.
 */

#include "adapter.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "csvcols.h"
#include "date.h"
#include "schema.h"

enum col {
	C_ORDER,
	C_TRACKING,
	C_SERVICE,
	C_SHIPPED,
	C_STORE,
	C_MARKET,
	C_MARKET2,
	C_SKU,
	C_QTY,
	NCOLS
};

static const char *const col_names[NCOLS] = {
    [C_ORDER] = "Order - Number",
    [C_TRACKING] = "Shipment - Tracking Number",
    [C_SERVICE] = "Shipment - Service",
    [C_SHIPPED] = "Date - Shipped Date",
    [C_STORE] = "Market - Store Name",
    /* ShipStation's own spelling, and the corrected one some exports use. */
    [C_MARKET] = "Market - Markeplace Name",
    [C_MARKET2] = "Market - Marketplace Name",
    [C_SKU] = "Item - SKU",
    [C_QTY] = "Item - Qty",
};

struct shipstation {
	const char *tz;
	long col[NCOLS];
	size_t ncols;
};

/* Carriers by how ShipStation's service names begin (after ® and ™ go). */
static const struct {
	const char *prefix, *carrier;
} carriers[] = {
    {"UPS", "UPS"},
    {"FedEx", "FedEx"},
    {"USPS", "USPS"},
    {"DHL", "DHL"},
    /* USPS services are also listed under their own names. */
    {"Priority Mail", "USPS"},
    {"First Class", "USPS"},
    {"First-Class", "USPS"},
    {"Ground Advantage", "USPS"},
    {"Parcel Select", "USPS"},
    {"Media Mail", "USPS"},
};

/* Marketplaces oms has readers for: the tracking record names its source. */
static const char *const sources[] = {"shopify", "amazon", "woocommerce", NULL};

static bool
sniff(const char *head, size_t n)
{
	/*
	 * A shipments export names its tracking numbers; without them it is
	 * some other ShipStation export (orders), not claimed.
	 */
	return col_in_header(head, n, col_names[C_ORDER]) &&
	    col_in_header(head, n, col_names[C_TRACKING]);
}

static bool
ss_header(void *ctx, const struct cr_row *h, struct buf *err)
{
	struct shipstation *ss = ctx;

	if (!col_find_all(h, col_names, NCOLS, ss->col, err))
		return false;
	ss->ncols = h->n;
	if (ss->col[C_ORDER] < 0) {
		buf_printf(err, "not a ShipStation shipments export: no \"%s\" column",
		    col_names[C_ORDER]);
		return false;
	}
	return true;
}

/* Text without ® and ™, white space runs made single: "UPS® Ground" is "UPS Ground". */
static void
plain_service(const char *s, struct buf *out)
{
	buf_adds(out, "");
	while (*s == ' ')
		s++;
	for (; *s; s++) {
		if (strncmp(s, "\xC2\xAE", 2) == 0 ||
		    strncmp(s, "\xE2\x84\xA2", 3) == 0) {
			s += s[0] == '\xC2' ? 1 : 2;
			continue;
		}
		if (*s == ' ' && (out->len == 0 || out->p[out->len - 1] == ' '))
			continue;
		buf_addc(out, *s);
	}
	while (out->len > 0 && out->p[out->len - 1] == ' ')
		out->p[--out->len] = '\0';
}

static const char *
carrier_of(const char *service)
{
	for (size_t i = 0; i < sizeof carriers / sizeof carriers[0]; i++)
		if (strncasecmp(
			service, carriers[i].prefix, strlen(carriers[i].prefix)) == 0)
			return carriers[i].carrier;
	return NULL;
}

/* The oms source a marketplace or store name stands for, or NULL. */
static const char *
source_of(const char *name)
{
	size_t n = strlen(name);

	for (const char *const *src = sources; *src; src++) {
		size_t k = strlen(*src);

		for (size_t i = 0; i + k <= n; i++)
			if (strncasecmp(name + i, *src, k) == 0)
				return *src;
	}
	return NULL;
}

/* Digits from *p into *v, at least one and at most max; false if none. */
static bool
number(const char **p, int max, int *v)
{
	int k = 0;

	*v = 0;
	while (k < max && **p >= '0' && **p <= '9') {
		*v = *v * 10 + (*(*p)++ - '0');
		k++;
	}
	return k > 0;
}

/*
 * "4/2/2021 4:00:00 AM" or "4/2/2021 16:00" as ISO wall-clock text
 * ("2021-04-02T04:00:00"); false when it is neither.
 */
static bool
us_datetime(const char *s, struct buf *iso)
{
	int mo, d, y, h, mi, sec = 0;

	if (!number(&s, 2, &mo) || *s++ != '/' || !number(&s, 2, &d) || *s++ != '/' ||
	    !number(&s, 4, &y) || y < 1000 || *s++ != ' ' || !number(&s, 2, &h) ||
	    *s++ != ':' || !number(&s, 2, &mi))
		return false;
	if (*s == ':' && (s++, !number(&s, 2, &sec)))
		return false;
	while (*s == ' ')
		s++;
	if (strcasecmp(s, "AM") == 0 || strcasecmp(s, "PM") == 0) {
		if (h < 1 || h > 12)
			return false;
		h = h % 12 + (strcasecmp(s, "PM") == 0 ? 12 : 0);
	} else if (*s) {
		return false;
	}
	buf_printf(iso, "%04d-%02d-%02dT%02d:%02d:%02d", y, mo, d, h, mi, sec);
	return true;
}

/* Date - Shipped Date in UTC; it carries no zone, so it is read in --tz. */
static bool
shipped_at(const struct shipstation *ss, const char *s, json_t *rec, struct buf *err)
{
	struct buf iso = {0};
	char out[TS_TEXT_MAX];
	int64_t secs;
	enum ts_err e;
	bool ok = true;

	if (!*s)
		return true;
	if (!us_datetime(s, &iso))
		buf_adds(&iso, s); /* perhaps ISO 8601 already */
	e = ts_parse(iso.p, iso.len, ss->tz, &secs);
	if (e == TS_NOZONE) {
		buf_printf(err,
		    "%s \"%s\" has no time zone: give the ShipStation account's with "
		    "--tz",
		    col_names[C_SHIPPED], s);
		ok = false;
	} else if (e == TS_SYNTAX) {
		buf_printf(err,
		    "%s \"%s\" is not a date and time such as 4/2/2021 4:00:00 PM",
		    col_names[C_SHIPPED], s);
		ok = false;
	} else if (e != TS_OK) {
		buf_printf(err, "%s \"%s\" %s", col_names[C_SHIPPED], s, ts_strerror(e));
		ok = false;
	} else {
		json_object_set_new(rec, "shipped_at", json_string(ts_format(secs, out)));
	}
	buf_free(&iso);
	return ok;
}

/*
 * The order number: a channel's own, or the shipment id oms-split gave the
 * order on its pick ticket ("shopify:1001/2": an order_id with a source
 * prefix, '/', the shipment's number), which names order and shipment.
 */
static void
order_number(const char *num, json_t *rec)
{
	const char *slash = strrchr(num, '/'), *colon = strchr(num, ':');
	size_t digits = slash ? strspn(slash + 1, "0123456789") : 0;

	if (colon && slash && colon < slash && digits > 0 && !slash[1 + digits]) {
		json_object_set_new(
		    rec, "order_id", json_stringn(num, (size_t)(slash - num)));
		json_object_set_new(rec, "shipment_id", json_string(num));
		return;
	}
	col_put(rec, NULL, "channel_order_id", num);
}

/* The record-level fields of a row: the same on every item row of a shipment. */
static bool
shipment_fields(
    const struct shipstation *ss, const struct cr_row *r, json_t *rec, struct buf *err)
{
	const char *market = col_cell(r, ss->col[C_MARKET]), *src;
	struct buf service = {0};

	if (!col_has(r, ss->col[C_MARKET]))
		market = col_cell(r, ss->col[C_MARKET2]);
	json_object_set_new(rec, "type", json_string("tracking"));
	order_number(col_cell(r, ss->col[C_ORDER]), rec);
	/* The marketplace names the platform; a store name may too. */
	if ((src = source_of(market)) || (src = source_of(col_cell(r, ss->col[C_STORE]))))
		json_object_set_new(rec, "source", json_string(src));
	col_put(rec, NULL, "tracking_number", col_cell(r, ss->col[C_TRACKING]));
	plain_service(col_cell(r, ss->col[C_SERVICE]), &service);
	if (carrier_of(service.p))
		json_object_set_new(rec, "carrier", json_string(carrier_of(service.p)));
	col_put(rec, NULL, "service_name", service.p);
	/* The level, when the service table knows the name ("UPS Ground" is standard). */
	if (col_service_level(service.p))
		col_put(rec, NULL, "service", col_service_level(service.p));
	buf_free(&service);
	return shipped_at(ss, col_cell(r, ss->col[C_SHIPPED]), rec, err);
}

/* One row per item per shipment: rows group by order number and tracking number. */
static bool
ss_convert(void *ctx, const struct cr_row *r, json_t **rec, json_t **row, struct buf *key,
    struct buf *err)
{
	struct shipstation *ss = ctx;

	if (col_has(r, ss->col[C_ORDER])) {
		col_key_add(key, col_cell(r, ss->col[C_ORDER]));
		buf_addc(key, '\x1f');
		col_key_add(key, col_cell(r, ss->col[C_TRACKING]));
	}
	*rec = json_object();
	*row = json_object();
	if (key->len == 0) {
		/* Every row repeats its order's number: one without is a reject of its own. */
		buf_printf(key, "\x1eline %ld", r->line);
		buf_printf(err, "%s is missing", col_names[C_ORDER]);
		return false;
	}
	if (r->n != ss->ncols) {
		buf_printf(
		    err, "row has %zu fields, the header has %zu", r->n, ss->ncols);
		return false;
	}
	if (!shipment_fields(ss, r, *rec, err))
		return false;
	col_put(*row, NULL, "sku", col_cell(r, ss->col[C_SKU]));
	if (!col_whole_number(col_cell(r, ss->col[C_QTY]))) {
		buf_printf(err, "%s \"%s\" is not a whole number", col_names[C_QTY],
		    col_cell(r, ss->col[C_QTY]));
		return false;
	}
	col_put(*row, NULL, "qty", col_cell(r, ss->col[C_QTY]));
	return schema_coerce(*rec, schema_type("tracking"), err) &&
	    schema_coerce_fields(*row, schema_type("tracking")->rows->sub, "lines", err);
}

static const struct grouped_ops ss_ops = {
    .header = ss_header,
    .convert = ss_convert,
    .free_ctx = free, /* nothing inside it is owned */
    .rows_name = "lines",
};

static struct source *
open_shipstation(struct source *opened, const struct import_opts *o, struct buf *err)
{
	struct shipstation *ss = xcalloc(1, sizeof *ss);

	ss->tz = o ? o->tz : NULL;
	return grouped_from(opened, ',', &ss_ops, ss, err);
}

const struct adapter adapter_shipstation = {
    "shipstation",
    "ShipStation shipments export (CSV): tracking records",
    sniff,
    open_shipstation,
};
