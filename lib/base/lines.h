/* lines.h: a buffered reader of physical lines with exact line numbers and a length bound. */
#ifndef OMS_LINES_H
#define OMS_LINES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* Lines longer than this are reported as overlong and skipped. */
#define LINE_MAX_BYTES (4u << 20)

struct lr {
	FILE *f;
	char *buf;
	size_t cap, start, end;
	bool eof, error, started;
	long lineno; /* number of the line last returned, from 1 */
	char head[256]; /* the start of an overlong line */
};

/* Read lines from f (not owned); a UTF-8 BOM at the start is skipped. */
void lr_init(struct lr *r, FILE *f);

/*
 * Return the next line in *line and *len with its terminator ("\n", "\r\n" or a
 * lone "\r") included; valid until the next call. A line longer than
 * LINE_MAX_BYTES sets *overlong and returns only its first bytes. Returns
 * false at end of input or on a read error (then r->error is set).
 */
bool lr_next(struct lr *r, const char **line, size_t *len, bool *overlong);

/* Peek at up to n buffered bytes of the input not yet returned. */
size_t lr_peek(struct lr *r, const char **p, size_t n);

/* Release the buffer; the FILE is the caller's. */
void lr_free(struct lr *r);

/* Length of line without its terminator. */
size_t lr_chomp_len(const char *line, size_t len);

#endif
