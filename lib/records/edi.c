/* edi.c: X12 segments out of a byte stream whose delimiters each ISA declares, and the 997 that answers a group. */
#include "edi.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

/* An ISA has 16 elements, each after an element separator. */
#define ISA_ELEMENTS 16
/* How far to look for the end of an ISA before giving up on it. */
#define ISA_SCAN_MAX 512

void
edi_init(struct edi_reader *r, struct lr *lr)
{
	const char *p;

	memset(r, 0, sizeof *r);
	r->lr = lr;
	(void)lr_peek(lr, &p, 3); /* skips a byte order mark */
}

void
edi_free(struct edi_reader *r)
{
	buf_free(&r->text);
	buf_free(&r->els);
	free(r->el);
	r->el = NULL;
}

/* Bytes buffered and not yet taken, reading more when there are none; 0 at the end. */
static size_t
avail(struct edi_reader *r, const char **p)
{
	if (lr_peek(r->lr, p, 1) == 0)
		return 0;
	return r->lr->end - r->lr->start;
}

static void
take(struct edi_reader *r, size_t n)
{
	r->lr->start += n;
}

static bool
is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v';
}

static bool
is_alnum(char c)
{
	return isalnum((unsigned char)c) != 0;
}

static void
skip_space(struct edi_reader *r)
{
	const char *p;
	size_t n, i;

	while ((n = avail(r, &p)) > 0) {
		for (i = 0; i < n && is_space(p[i]); i++)
			;
		take(r, i);
		if (i < n)
			return;
	}
}

/* Add bytes to the segment text, keeping at most EDI_SEG_MAX of them. */
static void
keep(struct edi_reader *r, struct edi_seg *s, const char *p, size_t n)
{
	size_t room = EDI_SEG_MAX - r->text.len;

	if (n > room) {
		s->overlong = true;
		n = room;
	}
	buf_add(&r->text, p, n);
}

/* The segment text up to the terminator, which is taken but not kept. */
static void
read_to(struct edi_reader *r, struct edi_seg *s, char term)
{
	const char *p, *end;
	size_t n;

	while ((n = avail(r, &p)) > 0) {
		end = memchr(p, term, n);
		if (end) {
			keep(r, s, p, (size_t)(end - p));
			take(r, (size_t)(end - p) + 1);
			return;
		}
		keep(r, s, p, n);
		take(r, n);
	}
	s->unterminated = true;
}

/*
 * A byte X12 could use to separate: ASCII (a byte above it is part of a
 * UTF-8 character, never one on its own), not a letter or digit, and
 * printable, except that a terminator may be a line end.
 */
static bool
delim_byte(char c, bool terminator)
{
	unsigned char u = (unsigned char)c;

	if (u >= 0x7F || is_alnum(c))
		return false;
	return u > 0x20 || (terminator && (c == '\n' || c == '\r'));
}

/*
 * Delimiters for input that has shown no ISA yet: the byte after the
 * segment id, and '~' (the usual terminator) if the input holds one.
 */
static void
guess_delims(struct edi_reader *r)
{
	const char *p;
	size_t n = lr_peek(r->lr, &p, 8192), i = 0;

	while (i < n && is_alnum(p[i]))
		i++;
	r->d.elem = i < n && delim_byte(p[i], false) ? p[i] : '*';
	r->d.seg = memchr(p, '~', n) ? '~' : '\n';
	r->d.comp = '>';
	if (r->d.elem == r->d.seg)
		r->d.elem = '*';
	r->known = true;
}

/* Whether the ISA just scanned gives delimiters that can cut the rest. */
static bool
delims_sane(char elem, char comp, char seg)
{
	return delim_byte(elem, false) && delim_byte(comp, false) &&
	    delim_byte(seg, true) && seg != elem && comp != elem && comp != seg;
}

/* Characters in n bytes of UTF-8: every byte but the continuation bytes. */
static size_t
utf8_chars(const char *p, size_t n)
{
	size_t c = 0;

	for (size_t i = 0; i < n; i++)
		c += ((unsigned char)p[i] & 0xC0) != 0x80;
	return c;
}

int
edi_cut(const char *s, int max)
{
	int n = 0, chars = 0;

	while (s[n]) {
		int len = 1;

		while (((unsigned char)s[n + len] & 0xC0) == 0x80)
			len++;
		if (chars++ == max)
			break;
		n += len;
	}
	return n;
}

/*
 * An ISA is found by its fixed shape, not by a terminator not yet known:
 * after its 16th element separator come the component separator and the
 * terminator. It is looked at in the buffer before anything is taken, so
 * a header too broken to show them can still end at the terminator in
 * force (or guessed), flagged, for its interchange to be refused.
 */
static void
read_isa(struct edi_reader *r, struct edi_seg *s)
{
	const char *p, *end;
	size_t n = lr_peek(r->lr, &p, ISA_SCAN_MAX), i;
	char elem = n > 3 ? p[3] : 0;
	int seps = 0;

	for (i = 3; i < n; i++) {
		if (p[i] != elem)
			continue;
		if (++seps == ISA_ELEMENTS)
			break;
		/*
		 * ISA15 (one character) and then a terminator where ISA16 should
		 * be: the component separator was left out. The terminator is
		 * known by what follows it, a line end or the GS.
		 */
		if (seps == ISA_ELEMENTS - 1 && i + 3 < n && p[i + 2] != elem &&
		    delim_byte(elem, false) && delim_byte(p[i + 2], false) &&
		    (is_space(p[i + 3]) ||
			(i + 5 < n && memcmp(p + i + 3, "GS", 2) == 0 &&
			    p[i + 5] == elem))) {
			/* A component separator for the 997 that clashes with neither. */
			r->d = (struct edi_delims){elem, '>', p[i + 2]};
			if (elem == '>' || p[i + 2] == '>')
				r->d.comp = elem == ':' || p[i + 2] == ':' ? '^' : ':';
			r->known = true;
			s->no_isa16 = true;
			s->isa_len = utf8_chars(p, i + 2) + 1;
			buf_add(&r->text, p, i + 2);
			take(r, i + 3);
			return;
		}
	}
	if (seps == ISA_ELEMENTS && i + 2 < n && delims_sane(elem, p[i + 1], p[i + 2])) {
		r->d = (struct edi_delims){elem, p[i + 1], p[i + 2]};
		r->known = true;
		s->isa_ok = true;
		/* The separator and terminator are one byte each, whatever their value. */
		s->isa_len = utf8_chars(p, i + 1) + 2;
		buf_add(&r->text, p, i + 2);
		take(r, i + 3);
		return;
	}
	if (!r->known)
		guess_delims(r);
	n = lr_peek(r->lr, &p, ISA_SCAN_MAX);
	if ((end = memchr(p, r->d.seg, n))) {
		s->isa_len = utf8_chars(p, (size_t)(end - p) + 1);
		buf_add(&r->text, p, (size_t)(end - p));
		take(r, (size_t)(end - p) + 1);
	} else {
		read_to(r, s, r->d.seg);
		s->isa_len = utf8_chars(r->text.p, r->text.len);
	}
}

/* Cut the text into NUL-terminated elements. */
static void
split(struct edi_reader *r, struct edi_seg *s)
{
	size_t n = 1, k = 0;
	char *q;

	buf_reset(&r->els);
	buf_add(&r->els, r->text.p, r->text.len);
	for (size_t i = 0; i < r->text.len; i++)
		n += r->text.p[i] == r->d.elem;
	if (n > r->elcap) {
		r->elcap = n;
		r->el = xrealloc(r->el, n * sizeof *r->el);
	}
	q = r->els.p;
	r->el[k++] = q;
	for (size_t i = 0; i < r->text.len; i++)
		if (q[i] == r->d.elem) {
			q[i] = '\0';
			r->el[k++] = q + i + 1;
		}
	s->el = r->el;
	s->nel = k;
}

enum edi_status
edi_next(struct edi_reader *r, struct edi_seg *s)
{
	const char *p;
	size_t n;

	/* An empty segment ("~~") says nothing: it is skipped, and not counted. */
	do {
		memset(s, 0, sizeof *s);
		buf_reset(&r->text);
		skip_space(r);
		if ((n = lr_peek(r->lr, &p, 3)) == 0)
			return r->lr->error ? EDI_IOERR : EDI_EOF;
		if (n == 3 && memcmp(p, "ISA", 3) == 0) {
			read_isa(r, s);
		} else {
			if (!r->known)
				guess_delims(r);
			read_to(r, s, r->d.seg);
		}
		if (r->lr->error)
			return EDI_IOERR;
	} while (r->text.len == 0);
	s->text = r->text.p;
	s->len = r->text.len;
	s->no = ++r->segno;
	split(r, s);
	return EDI_SEG;
}

const char *
edi_el(const struct edi_seg *s, size_t i)
{
	return i < s->nel ? s->el[i] : "";
}

bool
edi_is(const struct edi_seg *s, const char *id)
{
	return s->nel > 0 && strcmp(s->el[0], id) == 0;
}

/* ---- 997 ---- */

struct out997 {
	FILE *f;
	struct edi_delims d;
	long nseg; /* segments since ST, for SE01 */
};

/* End a segment; a line break after it keeps the file readable, as wrapped files are. */
static void
seg_end(struct out997 *o)
{
	putc(o->d.seg, o->f);
	if (o->d.seg != '\n')
		putc('\n', o->f);
	o->nseg++;
}

/* Bytes of the UTF-8 character at s, or 0 for a byte that starts none. */
static size_t
utf8_char_len(const char *s)
{
	unsigned char c = (unsigned char)*s;
	size_t len = c < 0x80 ? 1 : c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;

	return strnlen(s, len) == len && utf8_valid(s, len) ? len : 0;
}

/*
 * Write an element text without the delimiters, which X12 cannot escape,
 * control characters, which a reader takes for the space around segments,
 * or bytes that are not UTF-8, each of which becomes a space. A width
 * counts characters, so a UTF-8 name is not cut inside a character.
 */
static void
put_el(struct out997 *o, const char *s, size_t width)
{
	size_t n = 0, len;

	putc(o->d.elem, o->f);
	for (; s && *s && (!width || n < width); s += len ? len : 1, n++) {
		unsigned char c = (unsigned char)*s;

		len = utf8_char_len(s);
		if (len > 1)
			fwrite(s, 1, len, o->f);
		else if (len == 0 || c < 0x20 || c == 0x7F ||
		    c == (unsigned char)o->d.elem || c == (unsigned char)o->d.seg ||
		    c == (unsigned char)o->d.comp)
			putc(' ', o->f);
		else
			putc(c, o->f);
	}
	for (; n < width; n++)
		putc(' ', o->f);
}

static void
put_num(struct out997 *o, long v)
{
	fprintf(o->f, "%c%ld", o->d.elem, v);
}

/* ISA elements are of fixed width; the ack echoes what it can and pads the rest. */
static void
write_isa(struct out997 *o, const struct edi_ack_group *g)
{
	char ctrl[10];

	snprintf(ctrl, sizeof ctrl, "%09ld", strtol(g->ctrl, NULL, 10));
	fputs("ISA", o->f);
	put_el(o, "00", 2);
	put_el(o, "", 10);
	put_el(o, "00", 2);
	put_el(o, "", 10);
	put_el(o, g->isa[7], 2); /* the input's receiver sends the ack */
	put_el(o, g->isa[8], 15);
	put_el(o, g->isa[5], 2);
	put_el(o, g->isa[6], 15);
	put_el(o, g->isa[9], 6);
	put_el(o, g->isa[10], 4);
	put_el(o, g->isa[11] && *g->isa[11] ? g->isa[11] : "U", 1);
	put_el(o, g->isa[12] && *g->isa[12] ? g->isa[12] : "00401", 5);
	put_el(o, ctrl, 9);
	put_el(o, "0", 1);
	put_el(o, g->isa[15] && *g->isa[15] ? g->isa[15] : "P", 1);
	fprintf(o->f, "%c%c", o->d.elem, o->d.comp);
	seg_end(o);
}

static void
write_set(struct out997 *o, const struct edi_ack_set *a)
{
	fputs("AK2", o->f);
	put_el(o, a->set_id, 0);
	put_el(o, a->control, 0);
	seg_end(o);
	if (a->seg_id) {
		fputs("AK3", o->f);
		put_el(o, a->seg_id, 0);
		put_num(o, a->seg_pos);
		put_el(o, "", 0);
		put_num(o, a->seg_code);
		seg_end(o);
		if (a->el_pos > 0) {
			fputs("AK4", o->f);
			put_num(o, a->el_pos);
			put_el(o, "", 0);
			put_num(o, a->el_code);
			seg_end(o);
		}
	}
	fputs("AK5", o->f);
	put_el(o, a->accepted ? "A" : "R", 0);
	if (a->ak5_code)
		put_num(o, a->ak5_code);
	seg_end(o);
}

/* AK901: all accepted (E when the group itself had a fault), some (P) or none (R). */
static const char *
group_verdict(const struct edi_ack_group *g, long accepted)
{
	if (g->envelope_bad || accepted == 0)
		return "R";
	if ((size_t)accepted < g->nsets)
		return "P";
	return g->ak9_code ? "E" : "A";
}

void
edi_write_997(FILE *f, const struct edi_ack_group *g)
{
	struct out997 o = {f, g->d, 0};
	long accepted = 0;

	for (size_t i = 0; i < g->nsets; i++)
		accepted += g->sets[i].accepted;
	write_isa(&o, g);
	fputs("GS", f);
	put_el(&o, "FA", 0);
	put_el(&o, g->gs[3], 0);
	put_el(&o, g->gs[2], 0);
	put_el(&o, g->gs[4], 0);
	put_el(&o, g->gs[5], 0);
	put_el(&o, g->ctrl, 0);
	put_el(&o, "X", 0);
	put_el(&o, g->gs[8], 0);
	seg_end(&o);
	o.nseg = 0;
	fputs("ST", f);
	put_el(&o, "997", 0);
	put_el(&o, "0001", 0);
	seg_end(&o);
	fputs("AK1", f);
	put_el(&o, g->gs[1], 0);
	put_el(&o, g->gs[6], 0);
	seg_end(&o);
	for (size_t i = 0; i < g->nsets; i++)
		write_set(&o, &g->sets[i]);
	fputs("AK9", f);
	put_el(&o, group_verdict(g, accepted), 0);
	put_num(&o, g->included >= 0 ? g->included : (long)g->nsets);
	put_num(&o, (long)g->nsets);
	put_num(&o, accepted);
	if (g->ak9_code)
		put_num(&o, g->ak9_code);
	seg_end(&o);
	fputs("SE", f);
	put_num(&o, o.nseg + 1);
	put_el(&o, "0001", 0);
	seg_end(&o);
	fputs("GE", f);
	put_num(&o, 1);
	put_el(&o, g->ctrl, 0);
	seg_end(&o);
	fputs("IEA", f);
	put_num(&o, 1);
	fprintf(f, "%c%09ld", o.d.elem, strtol(g->ctrl, NULL, 10));
	seg_end(&o);
}
