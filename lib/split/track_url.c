/* track_url.c: tracking links from per-carrier templates. */
#include "track_url.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* The carriers' public tracking pages, as they take a number in the query. */
static const char *const defaults[][2] = {
    {"UPS", "https://www.ups.com/track?tracknum=" TRACK_URL_NUMBER},
    {"USPS", "https://tools.usps.com/go/TrackConfirmAction?tLabels=" TRACK_URL_NUMBER},
    {"FedEx", "https://www.fedex.com/fedextrack/?trknbr=" TRACK_URL_NUMBER},
    {"DHL",
	"https://www.dhl.com/global-en/home/tracking/"
	"tracking-express.html?submit=1&tracking-id=" TRACK_URL_NUMBER},
};

/* The entry of carrier, or u->n. */
static size_t
find_carrier(const struct track_urls *u, const char *carrier)
{
	size_t i;

	for (i = 0; i < u->n; i++)
		if (strcasecmp(u->carriers[i], carrier) == 0)
			break;
	return i;
}

static void
set_template(struct track_urls *u, const char *carrier, const char *tpl)
{
	size_t i = find_carrier(u, carrier);

	if (i == u->n) {
		u->carriers = xrealloc(u->carriers, (u->n + 1) * sizeof *u->carriers);
		u->templates = xrealloc(u->templates, (u->n + 1) * sizeof *u->templates);
		u->carriers[i] = xstrdup(carrier);
		u->templates[i] = NULL;
		u->n++;
	}
	free(u->templates[i]);
	u->templates[i] = xstrdup(tpl);
}

/* A template holds the placeholder once, or is empty (no link). */
static bool
template_ok(const char *tpl)
{
	const char *at = strstr(tpl, TRACK_URL_NUMBER);

	return !*tpl || (at && !strstr(at + 1, TRACK_URL_NUMBER));
}

bool
track_urls_load(const json_t *obj, struct track_urls *u, struct buf *err)
{
	const char *carrier;
	json_t *v;

	memset(u, 0, sizeof *u);
	for (size_t i = 0; i < sizeof defaults / sizeof defaults[0]; i++)
		set_template(u, defaults[i][0], defaults[i][1]);
	if (!obj)
		return true;
	if (!json_is_object(obj)) {
		buf_adds(
		    err, "tracking_urls: must be an object of carrier: link template");
		return false;
	}
	json_object_foreach((json_t *)obj, carrier, v) {
		if (!*carrier || !json_is_string(v) ||
		    !template_ok(json_string_value(v))) {
			buf_printf(err,
			    "tracking_urls.%s: must be a link holding %s once, or \"\" "
			    "for "
			    "none",
			    carrier, TRACK_URL_NUMBER);
			return false;
		}
		set_template(u, carrier, json_string_value(v));
	}
	return true;
}

static bool
unreserved(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
	    (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' || c == '~';
}

bool
track_url(
    const struct track_urls *u, const char *carrier, const char *number, struct buf *out)
{
	size_t i = carrier ? find_carrier(u, carrier) : u->n;
	const char *tpl, *at;

	if (i == u->n || !number || !*number || !*(tpl = u->templates[i]))
		return false;
	at = strstr(tpl, TRACK_URL_NUMBER);
	buf_add(out, tpl, (size_t)(at - tpl));
	for (const unsigned char *c = (const unsigned char *)number; *c; c++) {
		if (unreserved(*c))
			buf_addc(out, (char)*c);
		else
			buf_printf(out, "%%%02X", *c);
	}
	buf_adds(out, at + strlen(TRACK_URL_NUMBER));
	return true;
}

void
track_urls_free(struct track_urls *u)
{
	for (size_t i = 0; i < u->n; i++) {
		free(u->carriers[i]);
		free(u->templates[i]);
	}
	free(u->carriers);
	free(u->templates);
	memset(u, 0, sizeof *u);
}
