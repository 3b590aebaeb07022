/* util.c: allocation that exits 2 on failure, messages, buffers, UTF-8. */
#include "util.h"

#include <ctype.h>
#include <errno.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

const char *progname = "oms";

static void
out_of_memory(size_t n)
{
	fprintf(stderr, "%s: out of memory allocating %zu bytes\n", progname, n);
	exit(EXIT_USAGE);
}

void *
xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (!p)
		out_of_memory(n);
	return p;
}

void *
xcalloc(size_t nmemb, size_t size)
{
	void *p = calloc(nmemb ? nmemb : 1, size ? size : 1);

	if (!p)
		out_of_memory(nmemb * size);
	return p;
}

void *
xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);

	if (!q)
		out_of_memory(n);
	return q;
}

int
cmp_u32(const void *pa, const void *pb)
{
	uint32_t a = *(const uint32_t *)pa, b = *(const uint32_t *)pb;

	return (a > b) - (a < b);
}

void *
xgrow(void *p, size_t *cap, size_t need, size_t size, size_t first)
{
	size_t n = *cap;

	if (need <= n)
		return p;
	while (n < need) {
		if (n > SIZE_MAX / 2 / size)
			out_of_memory(SIZE_MAX);
		n = n ? n * 2 : first;
	}
	*cap = n;
	return xrealloc(p, n * size);
}

char *
xstrndup(const char *s, size_t n)
{
	char *p = xmalloc(n + 1);

	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *
xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

void
warnmsg(const char *fmt, ...)
{
	struct buf text = {0}, line = {0};
	va_list ap;

	va_start(ap, fmt);
	buf_vprintf(&text, fmt, ap);
	va_end(ap);
	buf_printf(&line, "%s: ", progname);
	msg_escape(&line, text.p, text.len);
	buf_addc(&line, '\n');
	/* One write: a message is never cut by another process's on a shared log. */
	fwrite(line.p, 1, line.len, stderr);
	buf_free(&line);
	buf_free(&text);
}

/* The length of the valid UTF-8 sequence at s[0..n), or 0 when the byte at s starts none. */
static size_t
utf8_seq(const unsigned char *s, size_t n)
{
	size_t len = s[0] >= 0xF0 ? 4 : s[0] >= 0xE0 ? 3 : 2;

	return len <= n && utf8_valid((const char *)s, len) ? len : 0;
}

/* One escape: a control character c as JSON writes it, or a stray byte c as \xNN. */
static void
put_escape(struct buf *out, unsigned char c, bool stray_byte)
{
	static const char hex[] = "0123456789abcdef";
	const char *named = c == '\n' ? "\\n"
	    : c == '\t'               ? "\\t"
	    : c == '\r'               ? "\\r"
	    : c == '\b'               ? "\\b"
	    : c == '\f'               ? "\\f"
				      : NULL;

	if (named && !stray_byte) {
		buf_adds(out, named);
		return;
	}
	buf_adds(out, stray_byte ? "\\x" : "\\u00");
	buf_addc(out, hex[c >> 4]);
	buf_addc(out, hex[c & 15]);
}

void
msg_escape(struct buf *out, const char *str, size_t n)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t run = 0, i = 0;

	buf_grow(out, n);
	while (i < n) {
		unsigned char c = s[i];
		size_t len = 1;
		bool stray = false;

		if (c >= 0x20 && c < 0x7F) {
			i++;
			continue;
		}
		if (c >= 0x80) {
			len = utf8_seq(s + i, n - i);
			/* Printable beyond ASCII; U+0080..U+009F (C2 80..9F) are C1 controls. */
			if (len > 2 || (len == 2 && (c != 0xC2 || s[i + 1] >= 0xA0))) {
				i += len;
				continue;
			}
			stray = len == 0;
			if (len == 2)
				c = s[i + 1];
			else
				len = 1;
		}
		buf_add(out, str + run, i - run);
		put_escape(out, c, stray);
		i += len;
		run = i;
	}
	buf_add(out, str + run, n - run);
}

void
msg_print(FILE *f, const char *text)
{
	struct buf out = {0};

	for (const char *end; *text; text = *end ? end + 1 : end) {
		end = strchr(text, '\n');
		if (!end)
			end = text + strlen(text);
		msg_escape(&out, text, (size_t)(end - text));
		if (*end)
			buf_addc(&out, '\n');
	}
	if (out.len)
		fwrite(out.p, 1, out.len, f);
	buf_free(&out);
}

void
buf_grow(struct buf *b, size_t n)
{
	size_t need = b->len + n + 1;

	if (need <= b->cap)
		return;
	if (b->cap == 0)
		b->cap = 256;
	while (b->cap < need)
		b->cap *= 2;
	b->p = xrealloc(b->p, b->cap);
}

void
buf_adds(struct buf *b, const char *s)
{
	buf_add(b, s, strlen(s));
}

void
buf_printf(struct buf *b, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	buf_vprintf(b, fmt, ap);
	va_end(ap);
}

void
buf_vprintf(struct buf *b, const char *fmt, va_list ap)
{
	va_list again;
	int n;

	va_copy(again, ap);
	n = vsnprintf(NULL, 0, fmt, ap);
	if (n >= 0) {
		buf_grow(b, (size_t)n);
		vsnprintf(b->p + b->len, (size_t)n + 1, fmt, again);
		b->len += (size_t)n;
	}
	va_end(again);
}

void
buf_reset(struct buf *b)
{
	b->len = 0;
	if (b->p)
		b->p[0] = '\0';
}

void
buf_free(struct buf *b)
{
	free(b->p);
	b->p = NULL;
	b->len = b->cap = 0;
}

bool
utf8_valid(const char *str, size_t n)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0;

	while (i < n) {
		unsigned char c;
		size_t need;
		uint32_t cp;
		uint64_t w;

		/* Eight bytes at a time while they are ASCII without a NUL: most text is. */
		for (; i + 8 <= n; i += 8) {
			memcpy(&w, s + i, 8);
			if ((w | ((w - 0x0101010101010101u) & ~w)) & 0x8080808080808080u)
				break;
		}
		if (i >= n)
			break;
		c = s[i];
		if (c == 0)
			return false;
		if (c < 0x80) {
			i++;
			continue;
		}
		if (c >= 0xC2 && c <= 0xDF) {
			need = 1;
			cp = c & 0x1F;
		} else if (c >= 0xE0 && c <= 0xEF) {
			need = 2;
			cp = c & 0x0F;
		} else if (c >= 0xF0 && c <= 0xF4) {
			need = 3;
			cp = c & 0x07;
		} else {
			return false;
		}
		if (i + need >= n)
			return false;
		for (size_t k = 1; k <= need; k++) {
			if ((s[i + k] & 0xC0) != 0x80)
				return false;
			cp = (cp << 6) | (s[i + k] & 0x3F);
		}
		/* Overlong forms, surrogates and values past U+10FFFF. */
		if ((need == 2 && cp < 0x800) || (need == 3 && cp < 0x10000) ||
		    cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
			return false;
		i += need + 1;
	}
	return true;
}

void
utf8_sanitize(const char *s, size_t n, struct buf *out)
{
	buf_grow(out, n);
	for (size_t i = 0; i < n;) {
		size_t k = 1;

		while (k <= 4 && i + k <= n && !utf8_valid(s + i, k))
			k++;
		if (k <= 4 && i + k <= n) {
			buf_add(out, s + i, k);
			i += k;
		} else {
			buf_adds(out, "\xEF\xBF\xBD");
			i++;
		}
	}
}

const char *
trim_span(const char *s, size_t *n)
{
	while (*n > 0 && isspace((unsigned char)s[0])) {
		s++;
		(*n)--;
	}
	while (*n > 0 && isspace((unsigned char)s[*n - 1]))
		(*n)--;
	return s;
}

FILE *
temp_file(struct buf *err)
{
	const char *dir = getenv("TMPDIR");
	struct buf path = {0};
	FILE *f = NULL;
	int fd;

	if (!dir || !*dir)
		dir = "/tmp";
	buf_printf(&path, "%s/oms-tmp.XXXXXX", dir);
	if ((fd = mkstemp(path.p)) < 0 || unlink(path.p) != 0 ||
	    !(f = fdopen(fd, "w+b"))) {
		buf_printf(err, "cannot create a temporary file in %s: %s", dir,
		    strerror(errno));
		if (fd >= 0)
			close(fd);
	}
	buf_free(&path);
	return f;
}

#define TEMP_BUFSIZE (1u << 20)

FILE *
temp_file_buffered(char **vbuf, struct buf *err)
{
	FILE *f = temp_file(err);

	*vbuf = NULL;
	if (f) {
		*vbuf = xmalloc(TEMP_BUFSIZE);
		setvbuf(f, *vbuf, _IOFBF, TEMP_BUFSIZE);
	}
	return f;
}
