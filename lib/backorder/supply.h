/* supply.h: supply.csv, the purchase and production orders that will bring stock, by SKU and date. */
#ifndef OMS_SUPPLY_H
#define OMS_SUPPLY_H

#include <stdbool.h>
#include <stdint.h>

#include "intern.h"
#include "shipby.h"
#include "stock.h"
#include "util.h"

enum supply_kind { SUPPLY_PO, SUPPLY_PRODUCTION };

/* One row of supply.csv: units of one SKU expected on a date. */
struct supply {
	int64_t qty; /* as the file says */
	int64_t left; /* not yet promised to an order */
	long line; /* in the file */
	uint32_t id; /* supply_id, in supplies.ids */
	uint32_t sku; /* in the caller's SKU table */
	uint32_t loc; /* the location's name in supplies.locs; INTERN_NONE: none given */
	uint32_t stock_loc; /* the location in the locations file; INTERN_NONE: any */
	int32_t expected; /* day number of expected_date */
	/* The day its units can ship: expected (or --as-of when late) + receiving days. */
	int32_t eta;
	enum supply_kind kind;
	bool late; /* expected before --as-of: counted from --as-of */
};

/* When supply turns into units that can ship. */
struct supply_calendar {
	const struct shipby *days; /* business days: weekends and holidays */
	int receiving_days; /* business days from arrival to ready to ship */
	int32_t as_of; /* today: a late supply is counted as arriving now */
};

struct supplies {
	struct supply *v; /* by SKU, then eta, kind (po first), expected, id, location */
	size_t n;
	struct intern ids, locs;
	uint32_t *first, *count; /* per SKU id below nskus: its rows in v */
	size_t nskus;
	long late; /* rows expected before --as-of */
};

/*
 * Load supply.csv (supply_id,kind,sku,qty,expected_date[,location]). SKUs
 * are numbered in skus; with st (a locations file), a location must be one
 * of it. Each late row is told on standard error and still counts. False
 * with "file:line: reason" in err on the first row that cannot be used
 * (a bad kind, qty or date, an empty id or sku, an unknown location, the
 * same supply_id, SKU and location twice).
 */
bool supply_load(struct supplies *s, const char *path, struct intern *skus,
    const struct stock *st, const struct supply_calendar *cal, struct buf *err);

/* The supply rows of SKU id sku, earliest first (n of them; NULL when none). */
struct supply *supply_of(const struct supplies *s, uint32_t sku, uint32_t *n);

/* "po" or "production". */
const char *supply_kind_name(uint32_t kind);

void supply_free(struct supplies *s);

#endif
