/* track_url.h: a carrier's tracking link for a tracking number, from a template per carrier. */
#ifndef OMS_TRACK_URL_H
#define OMS_TRACK_URL_H

#include <jansson.h>
#include <stdbool.h>

#include "util.h"

/* The placeholder a template holds once, where the tracking number goes. */
#define TRACK_URL_NUMBER "{tracking_number}"

/* Templates by carrier: the defaults (UPS, USPS, FedEx, DHL), then the rules'. */
struct track_urls {
	char **carriers, **templates; /* an empty template: no link for that carrier */
	size_t n;
};

/*
 * The defaults, overridden and extended by obj (the split section's
 * tracking_urls, NULL for none): carrier name to a template holding
 * TRACK_URL_NUMBER once, or "" for no link. False with a message in err.
 */
bool track_urls_load(const json_t *obj, struct track_urls *u, struct buf *err);

/*
 * Append the link for number shipped by carrier (compared without regard
 * to case) to out; false, with nothing appended, when the carrier has no
 * template. The number is percent-encoded (RFC 3986 unreserved bytes stay).
 */
bool track_url(
    const struct track_urls *u, const char *carrier, const char *number, struct buf *out);

void track_urls_free(struct track_urls *u);

#endif
