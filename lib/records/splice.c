/* splice.c: a scanner over JSON that is already valid: it finds members and skips values. */
#include "splice.h"

#include <string.h>

#include "json.h"
#include "schema.h"

static const char *
skip_space(const char *s, const char *end)
{
	while (s < end && (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r'))
		s++;
	return s;
}

/* Past the string starting at its opening quote s, or NULL. */
static const char *
skip_string(const char *s, const char *end)
{
	for (s++; s < end;) {
		const char *q = memchr(s, '"', (size_t)(end - s));
		const char *b = q;

		if (!q)
			return NULL;
		/* A quote after an odd number of backslashes is part of the text. */
		while (b > s && b[-1] == '\\')
			b--;
		if ((q - b) % 2 == 0)
			return q + 1;
		s = q + 1;
	}
	return NULL;
}

/* The bytes a container scan stops at: quotes and brackets. */
static const unsigned char stops[256] = {
    ['"'] = 1, ['{'] = 2, ['['] = 2, ['}'] = 3, [']'] = 3};

/* Past the value at s (no leading space), or NULL. */
static const char *
skip_value(const char *s, const char *end)
{
	int depth = 0;

	if (s >= end)
		return NULL;
	if (*s == '"')
		return skip_string(s, end);
	if (*s != '{' && *s != '[') {
		while (s < end && *s != ',' && *s != '}' && *s != ']' && *s != ' ' &&
		    *s != '\t' && *s != '\n' && *s != '\r')
			s++;
		return s;
	}
	while (s < end) {
		switch (stops[(unsigned char)*s]) {
		case 0:
			s++;
			break;
		case 1:
			if (!(s = skip_string(s, end)))
				return NULL;
			break;
		case 2:
			depth++;
			s++;
			break;
		default:
			s++;
			if (--depth == 0)
				return s;
		}
	}
	return NULL;
}

/* One member of an object: its key (unescaped) and where it starts and ends. */
struct member {
	const char *key, *start, *value, *end;
	size_t keylen;
	char decoded[64]; /* the key, when it was written with escapes */
};

static int
hex_digit(char c)
{
	return c >= '0' && c <= '9' ? c - '0'
	    : c >= 'a' && c <= 'f'  ? c - 'a' + 10
	    : c >= 'A' && c <= 'F'  ? c - 'A' + 10
				    : -1;
}

/* The byte a JSON short escape (\n, \", \/ ...) stands for. */
static char
short_escape(char c)
{
	switch (c) {
	case 'b':
		return '\b';
	case 'f':
		return '\f';
	case 'n':
		return '\n';
	case 'r':
		return '\r';
	case 't':
		return '\t';
	default:
		return c; /* \" \\ \/ stand for themselves */
	}
}

/*
 * A key written with escapes ("allocat\u0065d") is the same key to a JSON
 * reader: decode it for comparing. Only ASCII can name a field of ours, so
 * anything else decodes to a byte no field has; a long key stays as written.
 */
static void
decode_key(struct member *m)
{
	const char *s = m->key, *end = m->key + m->keylen;
	size_t n = 0;

	if (!memchr(s, '\\', m->keylen))
		return;
	for (; s < end && n < sizeof m->decoded; n++) {
		int v = 0;

		if (*s != '\\') {
			m->decoded[n] = *s++;
			continue;
		}
		if (end - s >= 6 && s[1] == 'u') {
			for (int k = 2; k < 6; k++)
				v = hex_digit(s[k]) < 0 || v < 0
				    ? -1
				    : v * 16 + hex_digit(s[k]);
			m->decoded[n] = v > 0 && v < 0x80 ? (char)v : (char)0xff;
			s += 6;
		} else {
			m->decoded[n] = s + 1 < end ? short_escape(s[1]) : '\\';
			s += 2;
		}
	}
	if (s < end)
		return;
	m->key = m->decoded;
	m->keylen = n;
}

/*
 * The next member of an object at *at (just past '{' or a member); false
 * at the closing brace (*at then points past it) or on bad text (*at NULL).
 * Inline: it is the loop of every splice, and two callers kept the
 * compiler from inlining it (1% of oms-allocate's time).
 */
static inline bool
next_member(const char **at, const char *end, struct member *m)
{
	const char *s = skip_space(*at, end);

	if (s < end && *s == ',')
		s = skip_space(s + 1, end);
	if (s < end && *s == '}') {
		*at = s + 1;
		return false;
	}
	if (s >= end || *s != '"' || !(m->end = skip_string(s, end)))
		goto bad;
	m->start = s;
	m->key = s + 1;
	m->keylen = (size_t)(m->end - s - 2);
	decode_key(m);
	s = skip_space(m->end, end);
	if (s >= end || *s != ':')
		goto bad;
	m->value = skip_space(s + 1, end);
	if (!(m->end = skip_value(m->value, end)))
		goto bad;
	*at = m->end;
	return true;
bad:
	*at = NULL;
	return false;
}

static bool
key_is(const struct member *m, const char *name)
{
	return m->keylen == strlen(name) && memcmp(m->key, name, m->keylen) == 0;
}

/* Where a member sorts among fields: its field, or past every field when unknown. */
static const struct field *
place_of(const struct field *fields, const struct member *m, const struct field *past)
{
	const struct field *f = schema_fieldn(fields, m->key, m->keylen);

	return f ? f : past;
}

/* Add a member's text (or inserted members) to out, a comma first unless it is the first. */
static void
put_piece(struct buf *out, bool *first, const char *s, size_t n)
{
	if (!n)
		return;
	if (!*first)
		buf_addc(out, ',');
	buf_add(out, s, n);
	*first = false;
}

struct object_plan {
	const struct field *fields, *anchor, *past;
	const char *const *owned; /* NULL-terminated member names to drop */
	const char *status; /* the value of a "status" member, or NULL: as it is */
};

static bool
owned(const struct object_plan *p, const struct member *m)
{
	/* The first byte first: most members are no owned one. */
	for (const char *const *o = p->owned; *o; o++)
		if (m->keylen && m->key[0] == **o && key_is(m, *o))
			return true;
	return false;
}

/* Emit the inserted members (from ins) once, before the first member that sorts after anchor. */
static void
maybe_insert(const struct object_plan *p, const struct member *m, const struct buf *ins,
    bool *done, bool *first, struct buf *out)
{
	if (*done ||
	    (m && (key_is(m, "type") || place_of(p->fields, m, p->past) <= p->anchor)))
		return;
	put_piece(out, first, ins->p ? ins->p : "", ins->len);
	*done = true;
}

static bool splice_lines(
    const char *s, const char *end, const struct splice_ops *ops, struct buf *out);

static const char *const order_owned[] = {"fulfillment", "allocation", NULL};
static const char *const line_owned[] = {
    "allocated", "backordered", "case_remainder", "shipped", NULL};

/*
 * Rewrite the object at s..end (s at '{') by plan; lines (when not NULL)
 * rewrites the member "lines". ins holds the members to insert.
 */
static bool
splice_object(const char *s, const char *end, const struct object_plan *p,
    const struct buf *ins, const struct splice_ops *lines, struct buf *out)
{
	const char *at = s + 1;
	bool first = true, done = false;
	struct member m;

	buf_addc(out, '{');
	while (next_member(&at, end, &m)) {
		if (owned(p, &m))
			continue;
		maybe_insert(p, &m, ins, &done, &first, out);
		if (p->status && key_is(&m, "status")) {
			put_piece(out, &first, m.start, (size_t)(m.value - m.start));
			jw_string(out, p->status, strlen(p->status));
			continue;
		}
		if (lines && key_is(&m, "lines") && *m.value == '[') {
			if (!first)
				buf_addc(out, ',');
			first = false;
			buf_add(out, m.start, (size_t)(m.value - m.start));
			if (!splice_lines(m.value, m.end, lines, out))
				return false;
			continue;
		}
		put_piece(out, &first, m.start, (size_t)(m.end - m.start));
	}
	if (!at)
		return false;
	maybe_insert(p, NULL, ins, &done, &first, out);
	buf_addc(out, '}');
	return true;
}

static const struct field *
order_fields(void)
{
	return schema_type("order")->fields;
}

static bool
splice_lines(
    const char *s, const char *end, const struct splice_ops *ops, struct buf *out)
{
	const struct field *lf = schema_field(order_fields(), "lines")->sub;
	struct object_plan plan = {
	    lf, schema_field(lf, "shipped"), NULL, line_owned, NULL};
	struct buf ins = {0};
	const char *at = skip_space(s + 1, end);
	bool ok = true;

	/* Any field pointer past the table sorts after every known one. */
	for (plan.past = lf; plan.past->name; plan.past++)
		;
	buf_addc(out, '[');
	for (size_t i = 0; ok && at < end && *at != ']'; i++) {
		const char *e = skip_value(at, end);

		if (i)
			buf_addc(out, ',');
		buf_reset(&ins);
		if (ops->line_members)
			ops->line_members(ops->ctx, i, &ins);
		if (!e || *at != '{') {
			ok = false;
			break;
		}
		ok = splice_object(at, e, &plan, &ins, NULL, out);
		at = skip_space(e, end);
		if (at < end && *at == ',')
			at = skip_space(at + 1, end);
	}
	buf_free(&ins);
	if (ok)
		buf_addc(out, ']');
	return ok && at < end && *at == ']';
}

/* Has the object at s..end (s at '{') a member named key? */
static bool
has_member(const char *s, const char *end, const char *key)
{
	const char *at = s + 1;
	struct member m;

	while (next_member(&at, end, &m))
		if (key_is(&m, key))
			return true;
	return false;
}

bool
splice_order(const char *s, size_t n, const struct splice_ops *ops, struct buf *out)
{
	const struct field *of = order_fields();
	struct object_plan plan = {
	    of, schema_field(of, "allocation"), NULL, order_owned, ops->status};
	const char *end = s + n;
	size_t mark = out->len;
	struct buf ins = {0};
	bool ok;

	for (plan.past = of; plan.past->name; plan.past++)
		;
	s = skip_space(s, end);
	/* An order without a status gets it with the inserted members. */
	if (ops->status && s < end && *s == '{' && !has_member(s, end, "status")) {
		buf_adds(&ins, "\"status\":");
		jw_string(&ins, ops->status, strlen(ops->status));
	}
	if (ops->order_members) {
		size_t had = ins.len;

		if (had)
			buf_addc(&ins, ',');
		ops->order_members(ops->ctx, &ins);
		if (had && ins.len == had + 1)
			ins.len = had; /* the callback added nothing */
	}
	ok = s < end && *s == '{' && splice_object(s, end, &plan, &ins, ops, out);
	buf_free(&ins);
	if (!ok) {
		out->len = mark;
		if (out->p)
			out->p[mark] = '\0';
	}
	return ok;
}
