/*
 * partial.h: what a partially allocated order does with what it has, per
 * channel: the rules' split.partial. oms-split holds or releases by it;
 * oms-allocate reads it too, so that work held by it does not count against
 * a location's capacity.
 */
#ifndef OMS_PARTIAL_H
#define OMS_PARTIAL_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "util.h"

enum partial_kind {
	PARTIAL_SHIP, /* ship what is allocated now */
	PARTIAL_HOLD, /* wait until the order is complete */
	PARTIAL_MIN /* ship when the part and the rest each reach a minimum */
};

struct partial_policy {
	enum partial_kind kind;
	int64_t min_value; /* in ten-thousandths of the order's currency; -1: none */
	int min_percent; /* of the order's open units; -1: none */
};

/* The policies of the named channels, and the one for the others. */
struct partial_rules {
	struct partial_policy fallback; /* channels not named ("*" names it) */
	char **channels; /* named channels, each with its policy */
	struct partial_policy *policy;
	size_t nchannels;
};

/*
 * Read the split section's "partial" object (NULL: every channel ships what
 * it has). False with a message in err; r is to be freed either way.
 */
bool partial_rules_load(const json_t *partial, struct partial_rules *r, struct buf *err);

/* The policy of channel (NULL: the fallback). */
const struct partial_policy *partial_policy_of(
    const struct partial_rules *r, const char *channel);

void partial_rules_free(struct partial_rules *r);

#endif
