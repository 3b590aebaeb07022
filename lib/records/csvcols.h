/* csvcols.h: columns of channel exports found by header name, and the value clean-ups the adapters share. */
#ifndef OMS_CSVCOLS_H
#define OMS_CSVCOLS_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "csvrows.h"
#include "util.h"

/*
 * Whether the first line of head (n bytes of comma-separated text, quoted or
 * not) has a column called name; names compare as col_find does.
 */
bool col_in_header(const char *head, size_t n, const char *name);

/* col_in_header for a header whose cells are separated by delim (',' or '\t'). */
bool col_in_header_sep(const char *head, size_t n, char delim, const char *name);

/*
 * The position of the first header cell called name, or -1. Names compare
 * without the white space around them and without regard to ASCII case, so
 * a hand-edited header still reads.
 */
long col_find(const struct cr_row *h, const char *name);

/*
 * col_find for each of names[0..n), into idx[0..n). False, with
 * cr_header_twice's message in err, when the header names one of them twice
 * (as col_find compares names): which cell holds its value is unknown.
 */
bool col_find_all(const struct cr_row *h, const char *const *names, size_t n, long *idx,
    struct buf *err);

/* The cell at position i of r; "" when i is -1 or past the row's end. Borrowed from r. */
const char *col_cell(const struct cr_row *r, long i);

/* True when the cell at position i of r holds more than white space. */
bool col_has(const struct cr_row *r, long i);

/*
 * s without the single leading apostrophe spreadsheets use to keep
 * "02138" or "+1 555..." as text; a pointer into s.
 */
const char *col_unguard(const char *s);

/*
 * Set obj.key (or obj.sub.key when sub is not NULL; sub is created on first
 * use) to the text val, unless val is empty or only white space: a blank
 * cell sets nothing, so a later row of a record never contradicts its first.
 * val must be UTF-8, as every cell of a row read by cr_next is.
 */
void col_put(json_t *obj, const char *sub, const char *key, const char *val);

/*
 * A channel order's order_id into out (replacing its text):
 * "<source>:<store>:<name>" when the input's store is named (store not
 * NULL), else "<source>:<name>". Names repeat across stores of one channel
 * (#1039 in two Shopify stores); a named store keeps its orders apart.
 */
void col_order_id(
    struct buf *out, const char *source, const char *store, const char *name);

/*
 * The service level a channel's shipping method names ("standard",
 * "two_day", "next_day", ...: the built-in names of oms-import(1), and
 * those col_services_load added), matched in any ASCII case, with runs of
 * spaces, hyphens and underscores as one space and without ® and ™; else
 * method as given. The table is built on first use, once per run.
 */
const char *col_service(const char *method);

/* col_service's level for method, or NULL when the table does not know it. */
const char *col_service_level(const char *method);

/*
 * Add the rules' import.services (an object: service name to level, one
 * word) to the service table, over the built-in names; NULL adds nothing.
 * False with a message in err when the object is not of that form.
 */
bool col_services_load(json_t *table, struct buf *err);

/* Release the service table (the next col_service builds the built-in one again). */
void col_services_free(void);

/* Append cell to a grouping key without the white space around it. */
void col_key_add(struct buf *key, const char *cell);

/*
 * True when s is empty or a whole number of digits, spaces around it
 * allowed: a quantity cell that schema coercion can read.
 */
bool col_whole_number(const char *s);

/* True when s, a list separated by commas, has item (spaces around items and ASCII case aside). */
bool col_list_has(const char *s, const char *item);

#endif
