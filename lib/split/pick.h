/* pick.h: pick rows, one per shipment line, and the per-location pick tickets (manifests) they make. */
#ifndef OMS_PICK_H
#define OMS_PICK_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "outfile.h"
#include "stock.h"
#include "util.h"

/* The cells of a pick row, in the order they are kept. */
enum pick_cell {
	PC_LOCATION,
	PC_SHIPMENT,
	PC_ORDER,
	PC_CHANNEL,
	PC_SERVICE,
	PC_SHIP_BY,
	PC_SKU,
	PC_STYLE,
	PC_COLOR,
	PC_SIZE,
	PC_QTY,
	PC_PRICE,
	PC_NAME,
	PC_COMPANY,
	PC_LINE1,
	PC_LINE2,
	PC_CITY,
	PC_REGION,
	PC_POSTAL,
	PC_COUNTRY,
	PC_PHONE,
	PC_START_SHIP, /* the wholesale ship window, for the warehouse to see */
	PC_CANCEL_AFTER,
	PC_PACK, /* a prepack's sizes, one pack's worth: "SKU:QTY SKU:QTY" */
	PC_REASON, /* a void row's: why its shipment was cancelled */
	PICK_NCELLS
};

/* What orders the pick queue: ship_by, then service speed, then priority (higher first). */
struct pick_key {
	int32_t ship_by; /* day number; INT32_MAX when none */
	int32_t speed; /* pick_speed */
	int64_t priority;
};

/* How soon a service must go: 0 same day ... 5 economy; unknown ones rank as standard. */
int pick_speed(const char *service);

/* Append a row (cells[PICK_NCELLS], NULL for empty) to b, in the form pick_add reads. */
void pick_encode(struct buf *b, const struct pick_key *k, const char *const *cells);

/*
 * The layout of the files: pick tickets in oms's columns or ShipStation's,
 * or the void lists (the rows of cancelled shipments to pull from a queue).
 */
enum manifest_format { MANIFEST_OMS, MANIFEST_SHIPSTATION, MANIFEST_VOID };

/* The pick rows of a run, to be written as one CSV per location. */
struct manifest {
	char *dir;
	enum manifest_format format;
	FILE *rows; /* the rows' text, in a temporary file */
	uint64_t size;
	struct pick_ref *refs; /* one per row, sorted when written */
	size_t n, cap;
	struct buf ids; /* location and shipment id of each row, for sorting */
};

/* Parse a --manifest-format name; false when unknown. */
bool manifest_format_parse(const char *name, enum manifest_format *f);

/*
 * Make sure dir is a folder this run can write into (creating it when it
 * is missing), before any record is read. False with a message in err.
 */
bool manifest_open(
    struct manifest *m, const char *dir, enum manifest_format f, struct buf *err);

/* Take the rows encoded in blob (pick_encode). false on an I/O error. */
bool manifest_add(struct manifest *m, const char *blob, size_t n);

/* The folder, inside the tickets', of the void lists. */
#define MANIFEST_VOID_DIR "void"

/*
 * Write one CSV per location in pick-queue order, each beside its place:
 * every location of st (NULL: only those with rows) and of also's rows
 * (NULL: none) gets its file, empty ones a header alone. False with a
 * message in err. The files are outputs of the run (outfile.h): they go in
 * place with its records, each replacing its folder entry (a link there is
 * replaced, never followed).
 */
bool manifest_write(
    struct manifest *m, const struct stock *st, struct manifest *also, struct buf *err);
/* Release m. */
void manifest_free(struct manifest *m);

#endif
