/* util.h: die-on-failure allocation, message helpers and a growable buffer. */
#ifndef OMS_UTIL_H
#define OMS_UTIL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

/* Exit statuses shared by every tool (see oms(7)). */
enum { EXIT_OK = 0, EXIT_REJECTS = 1, EXIT_USAGE = 2, EXIT_INVARIANT = 3 };

/* The program name used as the prefix of every message; set once by main. */
extern const char *progname;

/* Allocate like malloc/calloc/realloc/strdup, or print a message and exit 2. */
void *xmalloc(size_t n);
void *xcalloc(size_t nmemb, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);

/* qsort's comparison of two uint32_t, ascending. */
int cmp_u32(const void *pa, const void *pb);

/*
 * Room in the array p, of *cap elements of size bytes, for need of them:
 * its room doubles (from first when it has none) until they fit. Returns
 * the array, moved or not; exits 2 as xrealloc does when memory runs out.
 */
void *xgrow(void *p, size_t *cap, size_t need, size_t size, size_t first);

/*
 * Print "progname: message" and a newline on standard error, the message
 * passed through msg_escape: no value quoted in it can move the cursor,
 * colour the terminal or start a line of its own in a log.
 */
void warnmsg(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* A growable byte buffer, always NUL-terminated once anything was added. */
struct buf {
	char *p;
	size_t len;
	size_t cap;
};

/* Make room for n more bytes; the buffer owns its memory. */
void buf_grow(struct buf *b, size_t n);
/*
 * Append n bytes of s (inline: the writers call it for every value); s may
 * be NULL when n is 0, as an empty buffer's p is.
 */
static inline void
buf_add(struct buf *b, const char *s, size_t n)
{
	if (b->len + n + 1 > b->cap)
		buf_grow(b, n);
	if (n) /* memcpy must not see NULL, even for no bytes */
		memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
}
/* Append a NUL-terminated string. */
void buf_adds(struct buf *b, const char *s);
/* Append one byte. */
static inline void
buf_addc(struct buf *b, char c)
{
	if (b->len + 2 > b->cap)
		buf_grow(b, 1);
	b->p[b->len++] = c;
	b->p[b->len] = '\0';
}
/* Append printf-formatted text. */
void buf_printf(struct buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* buf_printf with its arguments as a va_list (ap is left unused up). */
void buf_vprintf(struct buf *b, const char *fmt, va_list ap)
    __attribute__((format(printf, 2, 0)));
/* Forget the contents but keep the memory. */
void buf_reset(struct buf *b);
/* Release the memory; the buffer may be reused afterwards. */
void buf_free(struct buf *b);

/*
 * A new temporary file in TMPDIR (default /tmp), open for reading and
 * writing and already unlinked, so it goes away with the process however
 * that ends. NULL with a message in err.
 */
FILE *temp_file(struct buf *err);

/*
 * temp_file with a stdio buffer of 1 MiB, for a large file written and read
 * in turn (glibc sizes a buffer it allocates itself by the block size,
 * whatever setvbuf asks). *vbuf is the buffer: free it after fclose.
 */
FILE *temp_file_buffered(char **vbuf, struct buf *err);

/* Narrow s[0..*n) past white space (isspace) at both ends; returns the new start. */
const char *trim_span(const char *s, size_t *n);

/* True when s[0..n) is well-formed UTF-8 without NUL bytes. */
bool utf8_valid(const char *s, size_t n);

/* Append s[0..n) to out with each invalid byte (or NUL) as U+FFFD. */
void utf8_sanitize(const char *s, size_t n, struct buf *out);

/*
 * Append s[0..n) to out as text safe for a terminal and a log line: the one
 * home of the escaping every message on standard error goes through (see
 * oms(7)). Newline, tab, CR, backspace and form feed become \n \t \r \b
 * \f; any other control character (C0, DEL, and C1 U+0080..U+009F) becomes
 * \u00XX, as in JSON; a byte that is not part of valid UTF-8 becomes \xNN.
 * A backslash stands for itself (a message stays readable and a JSON text
 * passes through unchanged); the exact text of a rejected record is in its
 * reject record.
 */
void msg_escape(struct buf *out, const char *s, size_t n);

/* Write text to f line by line, each line through msg_escape (usage texts). */
void msg_print(FILE *f, const char *text);

#endif
