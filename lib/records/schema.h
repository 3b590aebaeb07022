/* schema.h: the record types of oms-records(5): field order, value kinds, CSV columns. */
#ifndef OMS_SCHEMA_H
#define OMS_SCHEMA_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "util.h"

enum fkind {
	FK_STR, /* text */
	FK_INT, /* whole number */
	FK_BOOL, /* true or false */
	FK_MONEY, /* decimal text in the record's currency */
	FK_DATE, /* YYYY-MM-DD */
	FK_TS, /* RFC 3339 timestamp in UTC */
	FK_OBJ, /* object with known fields (sub); CSV: dotted columns */
	FK_ROWS, /* array of objects (sub); CSV: one row per element */
	FK_JSON /* any JSON value; CSV: compact JSON text in one cell */
};

/* A field of a record or of a nested object; arrays of them end with name NULL. */
struct field {
	const char *name;
	size_t len; /* strlen(name) */
	enum fkind kind;
	const struct field *sub;
};

/* One CSV column of a record type, in header order. */
struct column {
	char *name; /* "ship_to.city", "lines.qty", "extra" */
	const struct field *field; /* NULL for the extra columns */
	const struct field *parent; /* the FK_OBJ field holding it, or NULL */
	bool in_rows; /* a column of the FK_ROWS elements */
};

struct rtype {
	const char *name;
	const struct field *fields; /* "type" is implied and not listed */
	const char *const *keys; /* fields whose equal values group CSV rows */
	const struct field *rows; /* the FK_ROWS field, or NULL */
	struct column *columns; /* built on first use */
	size_t ncolumns;
};

/* The record type called name, or NULL when oms does not know it. */
struct rtype *schema_type(const char *name);

/* The field called name among fields, or NULL. */
const struct field *schema_field(const struct field *fields, const char *name);

/* schema_field for a name of len bytes, not necessarily NUL-terminated. */
const struct field *schema_fieldn(
    const struct field *fields, const char *name, size_t len);

/* The CSV columns of t, built once; the schema owns them. */
const struct column *schema_columns(struct rtype *t, size_t *n);

/*
 * Bring the known fields of rec (a record of type t) to their kinds: numbers
 * and booleans written as text become JSON numbers and booleans, text loses
 * white space at either end, null and empty values are removed, and a value of the wrong kind is an error
 * described in err (e.g. lines[2].qty "two" is not a whole number). Unknown
 * fields are left as they are. Returns false on the first error.
 */
bool schema_coerce(json_t *rec, const struct rtype *t, struct buf *err);

/* schema_coerce for one object with the given fields; prefix names it in messages. */
bool schema_coerce_fields(
    json_t *obj, const struct field *fields, const char *prefix, struct buf *err);

/* Release the columns built by schema_columns. */
void schema_free(void);

/*
 * Does an order line ship nothing: cancelled, or needing no shipping (a
 * gift card)? Every tool reads it so: such a line has no units open.
 */
bool schema_line_idle(const json_t *line);

#endif
