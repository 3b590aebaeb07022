/*
 * import_rules.h: the rules' import section, its keys beside their parser:
 * per-source time zones and currencies, the pre-order tag, stores by file
 * name, service names, ship_by rules and holidays, and the channels whose
 * orders buy in case packs.
 */
#ifndef OMS_IMPORT_RULES_H
#define OMS_IMPORT_RULES_H

#include <jansson.h>
#include <stdbool.h>

#include "shipby.h"
#include "util.h"

/* The most channels case_pack_channels can name: every order channel once. */
#define IMPORT_CASE_PACK_MAX 4

struct import_rules {
	json_t *file; /* the whole rules file, which the values below borrow */
	json_t *zones, *currencies; /* objects by source name, or NULL */
	json_t *stores; /* file name patterns to store names, or NULL */
	const char *preorder_tag; /* or NULL */
	struct shipby shipby;
	/* Channels whose lines are rounded and checked in case packs. */
	const char *case_pack_channels[IMPORT_CASE_PACK_MAX];
	size_t ncase_pack_channels;
};

/*
 * Read the import section of the rules file at path (NULL: no file, the
 * defaults), every key and value checked; it also loads the services
 * table of csvcols.h. False with a message in err naming the file.
 */
bool import_rules_read(const char *path, struct import_rules *r, struct buf *err);

/* The time zone the rules give source (an adapter's name), or NULL. */
const char *import_rules_zone(const struct import_rules *r, const char *source);

/* The currency the rules give source, or NULL. */
const char *import_rules_currency(const struct import_rules *r, const char *source);

/*
 * Are the lines of an order on channel (NULL: none) sold in case packs,
 * to be rounded and checked against the catalog's case_pack? By default
 * wholesale and b2b: a web shopper buys one tee.
 */
bool import_rules_case_packs(const struct import_rules *r, const char *channel);

/* Release the rules and the services table; r may be all zeros. */
void import_rules_free(struct import_rules *r);

#endif
