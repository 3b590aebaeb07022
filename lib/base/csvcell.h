/* csvcell.h: a cell of every CSV oms writes, kept from being a spreadsheet formula; the guard undone on reading. */
#ifndef OMS_CSVCELL_H
#define OMS_CSVCELL_H

#include <stdbool.h>
#include <stddef.h>

#include "util.h"

/*
 * The guard rule (OWASP "CSV Injection"), for every CSV and TSV oms writes:
 * a text cell that begins with zero or more ' and then one of = + - @ tab,
 * carriage return or line feed gets one more ' in front, and is quoted.
 * Reading oms's own files (record CSV/TSV, reference files) undoes it: a
 * cell that begins with one or more ' and then a trigger loses one ', so
 * what oms writes it reads back exactly. Numbers are never guarded.
 */

/*
 * Append s[0..n) to out as one text cell: guarded as above, and quoted
 * when guarded or when it holds a comma, quote, tab or line break.
 */
void csv_cell(struct buf *out, const char *s, size_t n);

/*
 * Append s[0..n), which is not text but a number or a JSON value written
 * by oms, as one cell: never guarded, quoted when it needs to be.
 */
void csv_cell_plain(struct buf *out, const char *s, size_t n);

/*
 * A cell of a numeric column whose value comes as text (qty, unit_price):
 * a plain decimal number (-5, 24.50) is written as it is so the column
 * stays numeric; anything else is a text cell (csv_cell).
 */
void csv_cell_number(struct buf *out, const char *s, size_t n);

/*
 * A cell read from oms's own CSV or TSV with the guard undone: s itself,
 * or s + 1 when s begins with one or more ' and then a trigger. Never
 * used on channels' files: a ' there is the channel's own.
 */
const char *csv_cell_unguard(const char *s);

#endif
