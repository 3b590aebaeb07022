/* src_edi850.c: X12 850 purchase orders (VICS retail) in, one order record per transaction set, 997s out. */
#include "adapter.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "catalog.h"
#include "date.h"
#include "edi.h"
#include "json.h"
#include "money.h"
#include "schema.h"

/*
 * "line" in the items this reader yields is a segment number: segments are
 * counted from 1 in the file, ISA included, as EDI tools number them. An
 * order points at its ST; a reject at the segment where the problem is.
 *
 * Envelope checks (GE and IEA counts) can only be made at the trailers, and
 * a failed one rejects every transaction set the envelope holds; so the
 * items of an interchange are held until its IEA (or the end of the input,
 * or the next ISA) and only then handed out. Memory grows with the size of
 * one interchange, not of the file.
 *
 * A trailer that is missing (a file cut short, a GE never sent) refuses
 * nothing by itself: each set vouches for itself with its SE, and the 997
 * says the trailer was missing (AK905 3). A trailer present with a wrong
 * count or control number refuses all it covers.
 *
 * The 997 answers with what the book holds, so it waits for the tool's
 * verdict on each order handed out (the source's verdict hook): an
 * interchange's acknowledgment is kept, as a struct pending, until every
 * order in it is written or rejected, and written then, in input order.
 *
 * Quantities are units: a line in cases is counted through its PO4 pack, or
 * the catalog's case_pack (oms-import passes the catalog), once the set is
 * read (count_units), as its price is turned into a price for one unit.
 */

/* Color and size come from several places; a lower rank wins (vendor codes first). */
enum { RANK_NONE = 100 };

/* Longest price text kept from a CTP. */
#define PRICE_MAX 24

/*
 * Room for a unit of measure or a price basis (X12 codes of two
 * characters): a longer code is kept whole, or cut where it can no longer
 * read as a known one, so that "CAX" is never taken for "CA".
 */
#define CODE_MAX 8

/*
 * A PO1 line as the 997 and the unit count need it once the set is read:
 * where it is, which elements hold the ids it is found by, and what its
 * quantity and price are counted in.
 */
struct po1_ref {
	long no; /* segment number in the file */
	long pos; /* position in the set, ST being 1 */
	int el_sku, el_upc, el_part; /* element of each id used, 0 for none */
	int el_first; /* element of the first product id (PO107), 0 without */
	json_int_t qty; /* PO102, in the unit of PO103 */
	/* PO103, and PO105 (or CTP09 with a CTP price) */
	char uom[CODE_MAX], basis[CODE_MAX];
	json_int_t pack, inner; /* PO401, PO414; 0 when not sent */
	long po4_no, po4_pos;
	char ctp_price[PRICE_MAX]; /* CTP03, used when PO104 is empty */
	char ctp_basis[CODE_MAX]; /* its CTP09 */
	json_int_t ctp_break; /* its CTP04 quantity break, -1 before any */
	long ctp_no, ctp_pos; /* the CTP segment it is from */
	bool price_ctp; /* unit_price came from the CTP: a problem with it is the CTP's */
};

/*
 * One store quantity of an SDQ, as the unit count needs it: the quantity
 * is in SDQ01's unit, turned into units once the line's pack is known.
 */
struct sdq_qty {
	size_t line; /* index of its PO1 */
	long no, pos; /* its SDQ segment */
	int el; /* the element of the quantity */
	char uom[CODE_MAX]; /* SDQ01 */
};

/* One transaction set being read, ST to SE. */
struct tx {
	long st_no; /* segment number of its ST */
	long nseg; /* segments from ST on, for SE01 */
	char *set_id, *control;
	struct buf raw;
	json_t *rec, *lines, *line; /* line: the PO1 being read, in lines */
	char party; /* N1 loop in force: 'B' buyer, 'S' ship-to, 0 other */
	bool detail; /* a PO1 was seen: PID, PO4, SDQ belong to lines */
	bool beg;
	long po1s;
	int color_rank, size_rank;
	/* The first problem found; the set is rejected with it. */
	bool failed;
	struct buf why;
	long why_no;
	struct edi_ack_set ack;
	char ak3_id[4]; /* the segment in error, for AK301 */
	const struct catalog *catalog; /* --catalog, or NULL */
	struct po1_ref *refs; /* one per PO1 */
	long *line_at; /* the PO1 segment numbers, for rr_item.line_at */
	size_t nrefs, refcap;
	struct sdq_qty *sdq; /* every store quantity of the set, in order */
	size_t nsdq, sdqcap;
	size_t sdq_next; /* the first not yet counted: lines are counted in order */
	char ship010[DATE_TEXT_MAX], deliver002[DATE_TEXT_MAX];
};

struct pending;

/* A transaction set, or a run of stray segments, ready or held. */
struct item {
	enum rr_status st;
	char *json; /* the order as compact JSON: a tenth of the memory of live values */
	char *raw;
	size_t raw_len;
	char *reason;
	long line;
	bool is_set; /* a transaction set (acknowledged in a 997) */
	long group; /* index in the interchange's groups, or -1 */
	char *set_id, *control;
	struct edi_ack_set ack;
	char ak3_id[4];
	struct po1_ref *refs; /* its PO1 lines, for a verdict on one */
	long *line_at;
	size_t nrefs;
	struct pending *pend; /* the 997 waiting for a verdict on it, or NULL */
	size_t slot; /* its place among pend's sets */
};

/* A functional group, GS to GE. */
struct group {
	char *gs[9];
	char ctrl[24]; /* control number of its 997: at most 9 digits */
	long nsets;
	long included; /* GE01, or -1 before (or without) a GE */
	int ak9_code;
	char *why; /* an envelope fault: rejects its sets */
	long why_no;
};

/* An interchange, ISA to IEA; "pseudo" when segments come without an ISA. */
struct ichg {
	bool open, pseudo;
	char *isa[17];
	char *sender; /* ISA06 without its padding */
	struct edi_delims d;
	struct group *groups;
	size_t ngroups, cap;
	bool in_group;
	size_t first; /* its first item in the queue */
	char *why;
	long why_no;
};

/* A transaction set as its 997 will answer it. */
struct ack_slot {
	long group;
	char *set_id, *control;
	struct edi_ack_set ack;
	char ak3_id[4];
};

/*
 * An interchange read to its end whose 997s wait until every order in it
 * has its verdict: the book, not the reader, says what was accepted.
 */
struct pending {
	struct ichg ic; /* its envelope, moved out of the reader */
	struct ack_slot *sets;
	size_t nsets;
	size_t waiting; /* orders with no verdict yet */
	struct pending *next;
};

struct edi_src {
	struct source base;
	struct import_opts o; /* a copy: ack and catalog are used */
	struct edi_reader rd;
	struct ichg ic;
	struct tx tx;
	bool in_tx;
	/* Segments outside any transaction set, reported as one reject per run. */
	struct buf stray;
	long stray_no, stray_n;
	char stray_first[8], stray_last[8];
	/* Items in file order; those before ready may be handed out. */
	struct item *q;
	size_t qhead, qlen, qcap, ready;
	struct item last; /* handed out last; its strings live until the next call */
	long groups_seen; /* for control numbers of groups without a usable GS06 */
	struct pending *acks, *acks_tail; /* in the order of the input */
	bool seen_isa;
	bool eof;
	struct buf text; /* scratch */
};

/* Longest stray run kept as one reject's text. */
#define STRAY_MAX (64u << 10)

static bool
sniff(const char *head, size_t n)
{
	size_t i = 0;

	while (i < n &&
	    (head[i] == ' ' || head[i] == '\t' || head[i] == '\r' || head[i] == '\n'))
		i++;
	head += i;
	n -= i;
	/* ISA01 is two characters, so the element separator shows twice. */
	return n >= 7 && memcmp(head, "ISA", 3) == 0 &&
	    !isalnum((unsigned char)head[3]) && !isspace((unsigned char)head[3]) &&
	    head[6] == head[3];
}

/* ---- values ---- */

/* s without spaces at either end, into out. */
static const char *
trim(const char *s, struct buf *out)
{
	size_t n = strlen(s);

	while (*s == ' ')
		s++, n--;
	while (n > 0 && s[n - 1] == ' ')
		n--;
	buf_reset(out);
	buf_add(out, s, n);
	buf_addc(out, '\0'); /* a buffer holds no text until something is added */
	return out->p;
}

/* Set key to text s (made valid UTF-8); empty text sets nothing. */
static void
set_str(json_t *obj, const char *key, const char *s)
{
	struct buf clean = {0};

	if (!*s)
		return;
	if (utf8_valid(s, strlen(s))) {
		json_object_set_new(obj, key, json_string(s));
		return;
	}
	utf8_sanitize(s, strlen(s), &clean);
	json_object_set_new(obj, key, json_stringn(clean.p, clean.len));
	buf_free(&clean);
}

static json_t *
child(json_t *obj, const char *key)
{
	json_t *c = json_object_get(obj, key);

	if (!c) {
		c = json_object();
		json_object_set_new(obj, key, c);
	}
	return c;
}

/*
 * A whole number from X12 numeric (N0) or decimal (R) text: "12", "12.",
 * "12.00". False for anything else, or beyond a billion units.
 */
static bool
whole(const char *s, json_int_t *out)
{
	json_int_t v = 0;
	size_t i = 0;

	if (!s[0])
		return false;
	for (; s[i] >= '0' && s[i] <= '9'; i++) {
		v = v * 10 + (s[i] - '0');
		if (v > 1000000000)
			return false;
	}
	if (i == 0)
		return false;
	if (s[i] == '.')
		for (i++; s[i] == '0'; i++)
			;
	*out = v;
	return s[i] == '\0';
}

/* X12 type R as money text: digits with at most one decimal point. */
static bool
decimal(const char *s)
{
	size_t digits = strspn(s, "0123456789");

	if (s[digits] == '.')
		digits += strspn(s + digits + 1, "0123456789") + 1;
	return s[digits] == '\0' && digits > 0 && strcmp(s, ".") != 0;
}

/* CCYYMMDD into "YYYY-MM-DD"; false when it is not a real date. */
static bool
x12_date(const char *s, char out[DATE_TEXT_MAX])
{
	int32_t days;

	if (strlen(s) != 8 || strspn(s, "0123456789") != 8)
		return false;
	snprintf(out, DATE_TEXT_MAX, "%.4s-%.2s-%.2s", s, s + 4, s + 6);
	return date_parse(out, 10, &days) == TS_OK;
}

/* ---- the queue of items ---- */

static struct item *
push(struct edi_src *e)
{
	struct item *it;

	/* All handed out: start the queue again (nothing of an open interchange is held). */
	if (e->qhead > 0 && e->qhead == e->qlen) {
		e->qhead = e->qlen = e->ready = 0;
		e->ic.first = 0;
	}
	e->q = xgrow(e->q, &e->qcap, e->qlen + 1, sizeof *e->q, 16);
	it = &e->q[e->qlen++];
	memset(it, 0, sizeof *it);
	it->group = -1;
	/* Outside an interchange nothing waits for a trailer. */
	if (!e->ic.open)
		e->ready = e->qlen;
	return it;
}

static void
item_free(struct item *it)
{
	free(it->json);
	free(it->raw);
	free(it->reason);
	free(it->set_id);
	free(it->control);
	free(it->refs);
	free(it->line_at);
	memset(it, 0, sizeof *it);
}

/* Turn a held order into a reject for a reason outside its transaction set. */
static void
refuse(struct item *it, const char *why, long no)
{
	if (it->st != RR_RECORD)
		return;
	free(it->json);
	it->json = NULL;
	it->st = RR_REJECT;
	it->line = no;
	free(it->reason);
	it->reason = xmalloc(strlen(it->control) + strlen(why) + 32);
	sprintf(it->reason, "transaction %s: %s",
	    *it->control ? it->control : "(no ST02)", why);
	it->ack.accepted = false;
}

/* ---- stray segments ---- */

static void
flush_stray(struct edi_src *e)
{
	struct item *it;
	char why[160];
	int n;

	if (e->stray_n == 0)
		return;
	if (e->stray_n == 1)
		n = snprintf(why, sizeof why, "segment %s is outside any transaction set",
		    e->stray_first);
	else
		n = snprintf(why, sizeof why,
		    "%ld segments, %s to %s, are outside any transaction set", e->stray_n,
		    e->stray_first, e->stray_last);
	if (!e->seen_isa && n > 0 && (size_t)n < sizeof why)
		snprintf(
		    why + n, sizeof why - (size_t)n, " (no ISA before: is this X12?)");
	it = push(e);
	it->st = RR_REJECT;
	it->line = e->stray_no;
	it->reason = xstrdup(why);
	it->raw = xstrndup(e->stray.p ? e->stray.p : "", e->stray.len);
	it->raw_len = e->stray.len;
	buf_reset(&e->stray);
	e->stray_n = 0;
}

/* A segment's id for messages: its first letters and digits, at most 3. */
static void
seg_id(const struct edi_seg *s, char out[8])
{
	size_t i;

	for (i = 0; i < 3 && isalnum((unsigned char)s->el[0][i]); i++)
		out[i] = s->el[0][i];
	out[i] = '\0';
	if (i == 0)
		strcpy(out, "?");
}

static void
add_raw(struct buf *b, const struct edi_seg *s, char term)
{
	buf_add(b, s->text, s->len);
	buf_addc(b, term);
}

static void
stray(struct edi_src *e, const struct edi_seg *s)
{
	if (e->stray_n > 0 && e->stray.len > STRAY_MAX)
		flush_stray(e);
	if (e->stray_n++ == 0) {
		e->stray_no = s->no;
		seg_id(s, e->stray_first);
	}
	seg_id(s, e->stray_last);
	add_raw(&e->stray, s, e->rd.d.seg);
}

/* ---- transaction sets ---- */

/* The transaction's control number for messages. */
static const char *
tx_name(const struct tx *t)
{
	return *t->control ? t->control : "(no ST02)";
}

/* Record the first problem of the set, with the AK5 code that says it in a 997. */
static void
tx_failv(struct tx *t, long no, int ak5, bool prefix, const char *fmt, va_list ap)
{
	va_list again;
	int n;

	if (t->failed)
		return;
	t->failed = true;
	t->why_no = no;
	t->ack.ak5_code = ak5;
	buf_reset(&t->why);
	if (prefix)
		buf_printf(&t->why, "transaction %s: ", tx_name(t));
	va_copy(again, ap);
	n = vsnprintf(NULL, 0, fmt, ap);
	buf_grow(&t->why, (size_t)n + 1);
	vsnprintf(t->why.p + t->why.len, (size_t)n + 1, fmt, again);
	va_end(again);
	t->why.len += (size_t)n;
}

static void __attribute__((format(printf, 4, 5)))
tx_fail(struct tx *t, long no, int ak5, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	tx_failv(t, no, ak5, true, fmt, ap);
	va_end(ap);
}

/* tx_fail for a message that names the transaction itself. */
static void __attribute__((format(printf, 4, 5)))
tx_fail_bare(struct tx *t, long no, int ak5, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	tx_failv(t, no, ak5, false, fmt, ap);
	va_end(ap);
}

/*
 * A problem with one segment (AK3, code 8 "segment has data element
 * errors", or seg_code) and, when el > 0, one of its elements (AK4).
 */
static void
mark(struct tx *t, long no, const char *seg, long pos, int seg_code, int el, int el_code,
    const char *what)
{
	if (t->failed)
		return;
	tx_fail(t, no, 5, "%s", what);
	snprintf(t->ak3_id, sizeof t->ak3_id, "%s", seg);
	t->ack.seg_pos = pos;
	t->ack.seg_code = seg_code;
	t->ack.el_pos = el;
	t->ack.el_code = el_code;
}

/* mark for the segment s being read. */
static bool
el_fail(struct tx *t, const struct edi_seg *s, int seg_code, int el, int el_code,
    const char *what)
{
	mark(t, s->no, s->el[0], t->nseg, seg_code, el, el_code, what);
	return false;
}

/* AK403 codes (element 723) and AK304 codes (element 720). */
enum { EL_MISSING = 1, EL_BAD_CHAR = 6, EL_BAD_CODE = 7, EL_BAD_DATE = 8 };
enum { SEG_MISSING = 3, SEG_ELEMENT_ERRORS = 8 };

static void
tx_start(struct edi_src *e, const struct edi_seg *s)
{
	struct tx *t = &e->tx;

	buf_reset(&t->raw);
	buf_reset(&t->why);
	free(t->set_id);
	free(t->control);
	json_decref(t->rec);
	memset(&t->ack, 0, sizeof t->ack);
	t->ak3_id[0] = '\0';
	t->st_no = s->no;
	t->nseg = 1;
	add_raw(&t->raw, s, e->rd.d.seg);
	t->set_id = xstrdup(edi_el(s, 1));
	t->control = xstrdup(edi_el(s, 2));
	t->rec = json_object();
	t->lines = json_array();
	json_object_set_new(t->rec, "lines", t->lines);
	t->line = NULL;
	t->party = 0;
	t->detail = t->beg = t->failed = false;
	t->po1s = 0;
	t->nrefs = 0;
	t->nsdq = t->sdq_next = 0;
	t->ship010[0] = t->deliver002[0] = '\0';
	t->catalog = e->o.catalog;
	e->in_tx = true;
	if (strcmp(t->set_id, "850") != 0)
		tx_fail(t, s->no, 1,
		    "transaction set \"%s\" is not an 850 purchase order", t->set_id);
	else if (!*t->control)
		tx_fail(t, s->no, 7, "ST has no control number (ST02)");
}

static void
do_beg(struct tx *t, const struct edi_seg *s)
{
	char date[DATE_TEXT_MAX];
	struct buf po = {0};

	if (t->beg)
		return;
	t->beg = true;
	if (!*trim(edi_el(s, 3), &po)) {
		el_fail(t, s, SEG_ELEMENT_ERRORS, 3, EL_MISSING,
		    "BEG has no purchase order number (BEG03)");
	} else if (!*edi_el(s, 5)) {
		el_fail(t, s, SEG_ELEMENT_ERRORS, 5, EL_MISSING,
		    "BEG has no purchase order date (BEG05)");
	} else if (!x12_date(edi_el(s, 5), date)) {
		struct buf why = {0};

		buf_printf(&why, "BEG05 \"%s\" is not a date (CCYYMMDD)", edi_el(s, 5));
		el_fail(t, s, SEG_ELEMENT_ERRORS, 5, EL_BAD_DATE, why.p);
		buf_free(&why);
	} else {
		set_str(t->rec, "channel_order_id", po.p);
		/* A blanket PO's releases share its number: each is an order of its own. */
		if (*trim(edi_el(s, 4), &po))
			set_str(t->rec, "po_release", po.p);
		/* 00 original, 05 replace, 07 duplicate: all stand as open orders. */
		set_str(t->rec, "status",
		    strcmp(edi_el(s, 1), "01") == 0 ? "cancelled" : "open");
		set_str(t->rec, "placed_at", date);
	}
	buf_free(&po);
}

/*
 * DTM dates: the ship window and cancel date go straight into the order;
 * a requested ship date (010) and a requested delivery date (002) are kept
 * aside, for ship_by when the order has no window (complete_order).
 */
static void
do_dtm(struct tx *t, const struct edi_seg *s)
{
	static const char *const quals[][2] = {
	    {"037", "start_ship"}, /* ship not before */
	    {"038", "ship_by"}, /* ship no later */
	    {"001", "cancel_after"}, {"010", NULL}, /* requested ship */
	    {"002", NULL}, /* delivery requested */
	};
	char date[DATE_TEXT_MAX];

	for (size_t i = 0; i < sizeof quals / sizeof quals[0]; i++) {
		if (strcmp(edi_el(s, 1), quals[i][0]) != 0 || !*edi_el(s, 2))
			continue;
		if (x12_date(edi_el(s, 2), date)) {
			if (quals[i][1])
				set_str(t->rec, quals[i][1], date);
			else
				memcpy(quals[i][0][1] == '1' ? t->ship010 : t->deliver002,
				    date, DATE_TEXT_MAX);
		} else {
			struct buf why = {0};

			buf_printf(&why, "DTM*%s date \"%s\" is not a date (CCYYMMDD)",
			    quals[i][0], edi_el(s, 2));
			el_fail(t, s, SEG_ELEMENT_ERRORS, 2, EL_BAD_DATE, why.p);
			buf_free(&why);
		}
	}
}

/*
 * Terms: ITD07 net days as "net60"; a discount (ITD03 percent within ITD05
 * days) in front as "2/10 net30"; else the description in ITD12.
 */
static void
do_itd(struct tx *t, const struct edi_seg *s)
{
	struct buf terms = {0};

	/* A discount of nothing ("0", "0.00", or no percent at all) is no discount. */
	if (strspn(edi_el(s, 3), "0.") < strlen(edi_el(s, 3)) && *edi_el(s, 5))
		buf_printf(&terms, "%s/%s ", edi_el(s, 3), edi_el(s, 5));
	if (*edi_el(s, 7))
		buf_printf(&terms, "net%s", edi_el(s, 7));
	else if (*edi_el(s, 12))
		buf_printf(&terms, "%s", edi_el(s, 12));
	if (terms.len && terms.p[terms.len - 1] != ' ')
		set_str(child(t->rec, "payment"), "terms", terms.p);
	buf_free(&terms);
}

static void
do_n1(struct tx *t, const struct edi_seg *s)
{
	const char *who = edi_el(s, 1);
	json_t *o;

	t->party = 0;
	if (strcmp(who, "BY") == 0) {
		t->party = 'B';
		o = child(t->rec, "customer");
		set_str(o, "company", edi_el(s, 2));
		set_str(o, "id", edi_el(s, 4));
	} else if (strcmp(who, "ST") == 0) {
		t->party = 'S';
		o = child(t->rec, "ship_to");
		set_str(o, "name", edi_el(s, 2));
		/* The buyer's number for the store or DC, needed again on the ASN. */
		set_str(o, "id", edi_el(s, 4));
	}
}

static void
do_n3(struct tx *t, const struct edi_seg *s)
{
	json_t *to;

	if (t->party != 'S')
		return;
	to = child(t->rec, "ship_to");
	if (!json_object_get(to, "line1")) {
		set_str(to, "line1", edi_el(s, 1));
		set_str(to, "line2", edi_el(s, 2));
	} else if (!json_object_get(to, "line2")) {
		set_str(to, "line2", edi_el(s, 1));
	}
}

static void
do_n4(struct tx *t, const struct edi_seg *s)
{
	json_t *to;

	if (t->party != 'S')
		return;
	to = child(t->rec, "ship_to");
	set_str(to, "city", edi_el(s, 1));
	set_str(to, "region", edi_el(s, 2));
	set_str(to, "postal_code", edi_el(s, 3));
	set_str(to, "country", edi_el(s, 4));
}

/* PER*BD: the buyer's name, and an e-mail address among its contacts. */
static void
do_per(struct tx *t, const struct edi_seg *s)
{
	json_t *c;

	if (strcmp(edi_el(s, 1), "BD") != 0)
		return;
	c = child(t->rec, "customer");
	set_str(c, "name", edi_el(s, 2));
	for (size_t i = 3; i + 1 < s->nel; i += 2)
		if (strcmp(edi_el(s, i), "EM") == 0)
			set_str(c, "email", edi_el(s, i + 1));
}

/*
 * Size text that says the item has none. "ONE SIZE" and "OS" are not among
 * them: they are the size one-size items are sold and labelled in.
 */
static bool
no_size(const char *v)
{
	static const char *const none[] = {
	    "NO SIZE", "NOSIZE", "NO-SIZE", "N/S", "N/A", "NONE", NULL};
	size_t n = strlen(v);

	v = trim_span(v, &n);
	for (size_t i = 0; none[i]; i++)
		if (strlen(none[i]) == n && strncasecmp(v, none[i], n) == 0)
			return true;
	return false;
}

static void
set_ranked(struct tx *t, const char *key, const char *v, int rank)
{
	int *cur = strcmp(key, "color") == 0 ? &t->color_rank : &t->size_rank;

	if (cur == &t->size_rank && no_size(v))
		return;
	if (*v && rank < *cur) {
		*cur = rank;
		set_str(t->line, key, v);
	}
}

/* The first of the qualifiers in prefs (in that order) that the line has, its element in *el. */
static const char *
pick_id(const struct edi_seg *s, const char *const *prefs, int *el)
{
	for (; *prefs; prefs++)
		for (size_t i = 6; i + 1 < s->nel; i += 2)
			if (strcmp(s->el[i], *prefs) == 0 && *s->el[i + 1]) {
				*el = (int)i + 1;
				return s->el[i + 1];
			}
	*el = 0;
	return "";
}

/*
 * The product qualifier/id pairs from PO106 on. The SKU is the brand's own
 * number (SK, VN, VP); a GTIN (UP, UK, UI, EN, UA) and a buyer's number
 * (BP, IN, CB) are resolved into one through the catalog by oms-import.
 */
static void
po1_ids(struct tx *t, const struct edi_seg *s, struct po1_ref *ref)
{
	static const char *const skus[] = {"SK", "VN", "VP", NULL};
	/* UA is a case code: the unit's own numbers first. */
	static const char *const upcs[] = {"UP", "UK", "UI", "EN", "UA", NULL};
	static const char *const parts[] = {"BP", "IN", "CB", NULL};
	static const char *const styles[] = {"VA", "IT", NULL};
	const char *sku, *upc, *part, *style;
	int el_style;

	for (size_t i = 6; i + 1 < s->nel; i += 2) {
		const char *q = s->el[i], *v = s->el[i + 1];

		if (strcmp(q, "VE") == 0)
			set_ranked(t, "color", v, 1);
		else if (strcmp(q, "BO") == 0)
			set_ranked(t, "color", v, 2);
		else if (strcmp(q, "SZ") == 0)
			set_ranked(t, "size", v, 1);
		else if (strcmp(q, "IZ") == 0)
			set_ranked(t, "size", v, 2);
	}
	ref->el_first = s->nel > 7 ? 7 : 0;
	sku = pick_id(s, skus, &ref->el_sku);
	upc = pick_id(s, upcs, &ref->el_upc);
	part = pick_id(s, parts, &ref->el_part);
	style = pick_id(s, styles, &el_style);
	set_str(t->line, "upc", upc);
	set_str(t->line, "buyer_part", part);
	set_str(t->line, "style", style);
	/*
	 * A vendor style number names every size and color of the style, so it
	 * stands for the SKU only on a line that has nothing else to find the
	 * item by.
	 */
	if (!*sku && *style && !*upc && !*part && !json_object_get(t->line, "color") &&
	    !json_object_get(t->line, "size")) {
		sku = style;
		ref->el_sku = el_style;
	}
	set_str(t->line, "sku", sku);
}

/* The line's name in messages: PO101, or its place. */
static const char *
line_name(const struct tx *t)
{
	return json_string_value(json_object_get(t->line, "line_id"));
}

/*
 * A line must name its item in a way this run can resolve: the brand's own
 * number, or, with --catalog, a GTIN or a buyer's number to look up.
 */
static void
check_ids(struct tx *t, const struct edi_seg *s, const struct po1_ref *ref)
{
	struct buf why = {0};

	if (ref->el_sku)
		return;
	if (!ref->el_upc && !ref->el_part) {
		buf_printf(&why,
		    "PO1 line %s has no product id the brand can use "
		    "(SK, VN, VP, a UPC or a buyer's number)",
		    line_name(t));
		if (ref->el_first)
			el_fail(t, s, SEG_ELEMENT_ERRORS, 6, EL_BAD_CODE, why.p);
		else
			el_fail(t, s, SEG_ELEMENT_ERRORS, 7, EL_MISSING, why.p);
	} else if (!t->catalog && ref->el_upc) {
		buf_printf(&why, "PO1 line %s: only UPC %s: give --catalog", line_name(t),
		    s->el[ref->el_upc]);
		el_fail(t, s, SEG_ELEMENT_ERRORS, ref->el_upc, EL_BAD_CODE, why.p);
	} else if (!t->catalog) {
		buf_printf(&why,
		    "PO1 line %s: only buyer's number %s (%s): give --catalog with a "
		    "buyer_part column",
		    line_name(t), s->el[ref->el_part], s->el[ref->el_part - 1]);
		el_fail(t, s, SEG_ELEMENT_ERRORS, ref->el_part, EL_BAD_CODE, why.p);
	}
	buf_free(&why);
}

/* A new PO1 line's reference, in both of the set's arrays. */
static struct po1_ref *
new_ref(struct tx *t, const struct edi_seg *s)
{
	struct po1_ref *ref;

	if (t->nrefs == t->refcap) {
		t->refcap = t->refcap ? t->refcap * 2 : 8;
		t->refs = xrealloc(t->refs, t->refcap * sizeof *t->refs);
		t->line_at = xrealloc(t->line_at, t->refcap * sizeof *t->line_at);
	}
	t->line_at[t->nrefs] = s->no;
	ref = &t->refs[t->nrefs++];
	memset(ref, 0, sizeof *ref);
	ref->no = s->no;
	ref->pos = t->nseg;
	ref->ctp_break = -1;
	return ref;
}

static void
do_po1(struct tx *t, const struct edi_seg *s)
{
	json_int_t qty;
	char id[24];
	struct buf why = {0};
	struct po1_ref *ref;

	t->detail = true;
	t->po1s++;
	t->line = json_object();
	json_array_append_new(t->lines, t->line);
	ref = new_ref(t, s);
	t->color_rank = t->size_rank = RANK_NONE;
	snprintf(id, sizeof id, "%ld", t->po1s);
	set_str(t->line, "line_id", *edi_el(s, 1) ? edi_el(s, 1) : id);
	if (!*edi_el(s, 2)) {
		buf_printf(&why, "PO1 line %s has no quantity (PO102)", line_name(t));
		el_fail(t, s, SEG_ELEMENT_ERRORS, 2, EL_MISSING, why.p);
	} else if (!whole(edi_el(s, 2), &qty)) {
		buf_printf(&why, "PO1 line %s quantity \"%.*s\" is not a whole number",
		    line_name(t), edi_cut(edi_el(s, 2), 40), edi_el(s, 2));
		el_fail(t, s, SEG_ELEMENT_ERRORS, 2, EL_BAD_CHAR, why.p);
	} else if (*edi_el(s, 4) && !decimal(edi_el(s, 4))) {
		buf_printf(&why,
		    "PO1 line %s unit price \"%.*s\" is not a decimal number",
		    line_name(t), edi_cut(edi_el(s, 4), 40), edi_el(s, 4));
		el_fail(t, s, SEG_ELEMENT_ERRORS, 4, EL_BAD_CHAR, why.p);
	} else {
		ref->qty = qty;
		snprintf(ref->uom, sizeof ref->uom, "%s", edi_el(s, 3));
		snprintf(ref->basis, sizeof ref->basis, "%s", edi_el(s, 5));
		json_object_set_new(t->line, "qty", json_integer(qty));
		set_str(t->line, "uom", edi_el(s, 3));
		set_str(t->line, "unit_price", edi_el(s, 4));
		po1_ids(t, s, ref);
		check_ids(t, s, ref);
	}
	buf_free(&why);
}

/* PID*F: free-form descriptions of the line's item (element 750 codes). */
static void
do_pid(struct tx *t, const struct edi_seg *s)
{
	const char *code = edi_el(s, 2), *text = edi_el(s, 5);

	if (!t->line || strcmp(edi_el(s, 1), "F") != 0)
		return;
	if (strcmp(code, "73") == 0)
		set_ranked(t, "color", text, 3);
	else if (strcmp(code, "75") == 0)
		set_ranked(t, "color", text, 4);
	else if (strcmp(code, "74") == 0)
		set_ranked(t, "size", text, 3);
	else if (strcmp(code, "91") == 0)
		set_ranked(t, "size", text, 4);
	else if (strcmp(code, "08") == 0 && !json_object_get(t->line, "description"))
		set_str(t->line, "description", text);
}

/* PO4: the pack (PO401, units or inner packs a case) and the inner pack (PO414). */
static void
do_po4(struct tx *t, const struct edi_seg *s)
{
	struct po1_ref *ref;
	json_int_t pack = 0, inner = 0;
	struct buf why = {0};
	int bad = 0;

	if (!t->line || t->nrefs == 0 || (!*edi_el(s, 1) && !*edi_el(s, 14)))
		return;
	ref = &t->refs[t->nrefs - 1];
	if (*edi_el(s, 1) && (!whole(edi_el(s, 1), &pack) || pack == 0))
		bad = 1;
	else if (*edi_el(s, 14) && (!whole(edi_el(s, 14), &inner) || inner == 0))
		bad = 14;
	if (bad) {
		buf_printf(&why, "PO4 %s \"%.*s\" is not a %swhole number",
		    bad == 1 ? "pack" : "inner pack (PO414)",
		    edi_cut(edi_el(s, (size_t)bad), 40), edi_el(s, (size_t)bad),
		    strspn(edi_el(s, (size_t)bad), "0.") == strlen(edi_el(s, (size_t)bad))
			? "positive "
			: "");
		el_fail(t, s, SEG_ELEMENT_ERRORS, bad, EL_BAD_CHAR, why.p);
		buf_free(&why);
		return;
	}
	ref->pack = pack;
	ref->inner = inner;
	ref->po4_no = s->no;
	ref->po4_pos = t->nseg;
}

/*
 * CTP: a price where PO104 has none. Only purchase prices count (not a
 * resale or suggested retail price); with quantity breaks (CTP04), the
 * price of the largest break the line's quantity reaches.
 */
static void
do_ctp(struct tx *t, const struct edi_seg *s)
{
	static const char *const buying[] = {
	    "", "UCP", "CON", "NET", "WHL", "QTE", "CAT", "PRP", "DIS", NULL};
	struct po1_ref *ref;
	json_int_t brk = 0;
	bool ok = false;

	if (!t->line || t->nrefs == 0 || !*edi_el(s, 3))
		return;
	ref = &t->refs[t->nrefs - 1];
	for (size_t i = 0; buying[i] && !ok; i++)
		ok = strcmp(edi_el(s, 2), buying[i]) == 0;
	if (!ok || !decimal(edi_el(s, 3)) || strlen(edi_el(s, 3)) >= PRICE_MAX)
		return;
	if (*edi_el(s, 4) && !whole(edi_el(s, 4), &brk))
		return;
	if (brk > ref->qty || brk <= ref->ctp_break)
		return;
	ref->ctp_break = brk;
	ref->ctp_no = s->no;
	ref->ctp_pos = t->nseg;
	snprintf(ref->ctp_price, sizeof ref->ctp_price, "%s", edi_el(s, 3));
	snprintf(ref->ctp_basis, sizeof ref->ctp_basis, "%s", edi_el(s, 9));
}

/* Keep where a store quantity is and what it counts, for count_sdq. */
static void
note_sdq(struct tx *t, const struct edi_seg *s, int el)
{
	struct sdq_qty *q;

	t->sdq = xgrow(t->sdq, &t->sdqcap, t->nsdq + 1, sizeof *t->sdq, 8);
	q = &t->sdq[t->nsdq++];
	q->line = t->nrefs - 1;
	q->no = s->no;
	q->pos = t->nseg;
	q->el = el;
	snprintf(q->uom, sizeof q->uom, "%s", edi_el(s, 1));
}

/*
 * SDQ: store/quantity pairs from SDQ03 on, added to the line's
 * distribution; count_sdq turns them into units.
 */
static void
do_sdq(struct tx *t, const struct edi_seg *s)
{
	json_t *dist;
	json_int_t qty;

	if (!t->line || t->nrefs == 0)
		return;
	if (!(dist = json_object_get(t->line, "distribution"))) {
		dist = json_array();
		json_object_set_new(t->line, "distribution", dist);
	}
	for (size_t i = 3; i + 1 < s->nel; i += 2) {
		json_t *d;

		if (!*s->el[i] && !*s->el[i + 1])
			continue;
		if (!*s->el[i] || !whole(s->el[i + 1], &qty)) {
			struct buf why = {0};

			buf_printf(&why,
			    "SDQ store \"%s\" quantity \"%s\" is not a whole number",
			    s->el[i], s->el[i + 1]);
			el_fail(t, s, SEG_ELEMENT_ERRORS, (int)i + 1, EL_BAD_CHAR, why.p);
			buf_free(&why);
			return;
		}
		d = json_object();
		set_str(d, "store", s->el[i]);
		json_object_set_new(d, "qty", json_integer(qty));
		json_array_append_new(dist, d);
		note_sdq(t, s, (int)i + 1);
	}
}

static void
do_ctt(struct tx *t, const struct edi_seg *s)
{
	json_int_t n;

	if (!whole(edi_el(s, 1), &n) || n != t->po1s) {
		struct buf why = {0};

		buf_printf(&why, "CTT01 says %s line items, the transaction has %ld",
		    edi_el(s, 1), t->po1s);
		el_fail(t, s, SEG_ELEMENT_ERRORS, 1, 0, why.p);
		buf_free(&why);
	}
}

static void
header_segment(struct tx *t, const struct edi_seg *s)
{
	if (edi_is(s, "BEG"))
		do_beg(t, s);
	else if (edi_is(s, "CUR") && strcmp(edi_el(s, 1), "BY") == 0)
		set_str(t->rec, "currency", edi_el(s, 2));
	else if (edi_is(s, "ITD"))
		do_itd(t, s);
	else if (edi_is(s, "DTM"))
		do_dtm(t, s);
	else if (edi_is(s, "N1"))
		do_n1(t, s);
	else if (edi_is(s, "N3"))
		do_n3(t, s);
	else if (edi_is(s, "N4"))
		do_n4(t, s);
	else if (edi_is(s, "PER"))
		do_per(t, s);
}

/* One segment inside ST..SE (not the ST). */
static void
tx_segment(struct edi_src *e, const struct edi_seg *s)
{
	struct tx *t = &e->tx;

	t->nseg++;
	add_raw(&t->raw, s, e->rd.d.seg);
	if (t->failed)
		return;
	if (s->overlong) {
		tx_fail(t, s->no, 5, "segment %ld is longer than %u bytes", s->no,
		    EDI_SEG_MAX);
		return;
	}
	if (!utf8_valid(s->text, s->len)) {
		el_fail(t, s, SEG_ELEMENT_ERRORS, 0, 0,
		    "a segment holds bytes that are not UTF-8 text");
		return;
	}
	if (edi_is(s, "PO1"))
		do_po1(t, s);
	else if (edi_is(s, "PID"))
		do_pid(t, s);
	else if (edi_is(s, "PO4"))
		do_po4(t, s);
	else if (edi_is(s, "CTP"))
		do_ctp(t, s);
	else if (edi_is(s, "SDQ"))
		do_sdq(t, s);
	else if (edi_is(s, "CTT"))
		do_ctt(t, s);
	else if (!t->detail)
		header_segment(t, s);
	/* Line-level N1, DTM, SLN and the like are not kept. */
}

/* The order's identity and defaults, once all its segments are read. */
static void
complete_order(struct edi_src *e, struct tx *t)
{
	struct buf id = {0}, tmp = {0};
	const char *sender = e->ic.sender && *e->ic.sender ? e->ic.sender : "";
	const char *release;
	json_t *cust;

	if (!*sender && e->ic.ngroups > 0)
		sender = trim(e->ic.groups[e->ic.ngroups - 1].gs[2], &tmp);
	buf_printf(&id, "edi850:%s:%s", sender,
	    json_string_value(json_object_get(t->rec, "channel_order_id")));
	if ((release = json_string_value(json_object_get(t->rec, "po_release"))))
		buf_printf(&id, ":%s", release);
	/*
	 * Without a ship window, the requested ship date (010) is the day to
	 * ship by; else the requested delivery date (002), the last day it
	 * could still ship on: the 850 does not say how long the way is.
	 */
	if (!json_object_get(t->rec, "ship_by") && !json_object_get(t->rec, "start_ship"))
		set_str(t->rec, "ship_by", *t->ship010 ? t->ship010 : t->deliver002);
	set_str(t->rec, "type", "order");
	set_str(t->rec, "order_id", id.p);
	set_str(t->rec, "channel", "wholesale");
	set_str(t->rec, "source", "edi850");
	cust = child(t->rec, "customer");
	if (!json_object_get(cust, "id"))
		set_str(cust, "id", sender);
	/* An 850 without CUR is priced in US dollars, as VICS guides assume. */
	if (!json_object_get(t->rec, "currency"))
		set_str(t->rec, "currency", "USD");
	buf_free(&id);
	buf_free(&tmp);
}

/* ---- units and unit prices ---- */

/* Units of measure in which PO102 counts cases of PO4's pack. */
static bool
is_case(const char *uom)
{
	return strcmp(uom, "CA") == 0 || strcmp(uom, "PK") == 0 || strcmp(uom, "BX") == 0;
}

/*
 * How many units a price with basis of unit price (PO105, element 639) is
 * for: the codes per each, per dozen, per hundred, per thousand; any other
 * (UM, none, catalog, contract...) prices one of the line's unit, per_uom
 * units.
 */
static json_int_t
price_units(const char *basis, json_int_t per_uom)
{
	static const struct {
		char code[3];
		json_int_t units;
	} bases[] = {
	    {"PE", 1},
	    {"WE", 1},
	    {"QE", 1},
	    {"TE", 1},
	    {"LE", 1},
	    {"RE", 1},
	    {"PD", 12},
	    {"WD", 12},
	    {"TD", 12},
	    {"LD", 12},
	    {"RD", 12},
	    {"HP", 100},
	    {"WC", 100},
	    {"TC", 100},
	    {"LC", 100},
	    {"QH", 100},
	    {"RC", 100},
	    {"TP", 1000},
	    {"WM", 1000},
	    {"TM", 1000},
	    {"LM", 1000},
	    {"QS", 1000},
	    {"RM", 1000},
	};

	for (size_t i = 0; i < sizeof bases / sizeof bases[0]; i++)
		if (strcmp(basis, bases[i].code) == 0)
			return bases[i].units;
	return per_uom;
}

/*
 * Decimal text divided by n, exactly, in minor units of a currency with
 * digits minor digits; false when the quotient is not a whole number of
 * them (or the text is too long to work with).
 */
static bool
divide_price(const char *text, json_int_t n, int digits, int64_t *out)
{
	int64_t v = 0, den = n, num;
	size_t i = 0, frac = 0, last = 0;

	for (; text[i] >= '0' && text[i] <= '9'; i++) {
		if (v > 100000000000000)
			return false;
		v = v * 10 + (text[i] - '0');
	}
	if (text[i] == '.')
		for (i++; text[i] >= '0' && text[i] <= '9'; i++) {
			frac++;
			if (text[i] != '0')
				last = frac;
		}
	/* Trailing zeros of the fraction say nothing: 12.50 is 125 tenths. */
	if (last > 6)
		return false;
	for (size_t k = 0, d = strcspn(text, ".") + 1; k < last; k++) {
		if (v > 100000000000000)
			return false;
		v = v * 10 + (text[d + k] - '0');
		den *= 10;
	}
	num = v;
	for (int k = 0; k < digits; k++)
		num *= 10;
	if (num % den != 0)
		return false;
	*out = num / den;
	return true;
}

/* Most units a line, a pack or a store may count: oms-allocate's bound with room. */
#define UNITS_MAX 1000000000

/*
 * The units in a line's PO4 pack (PO401, times PO414 inner packs when
 * sent) in *pack, 0 without one. Beyond a billion units the set is refused
 * at the PO4, for every line alike: a pack that big is a wrong element.
 */
static bool
po4_pack(struct tx *t, const struct po1_ref *ref, const char *name, json_int_t *pack)
{
	struct buf why = {0};

	*pack = 0;
	if (!ref->pack)
		return true;
	/* Each is at most a billion (whole): the product fits in 64 bits. */
	*pack = ref->pack * (ref->inner ? ref->inner : 1);
	if (*pack <= UNITS_MAX)
		return true;
	buf_printf(&why,
	    "PO1 line %s: PO4 pack %" JSON_INTEGER_FORMAT
	    " of inner packs (PO414) of %" JSON_INTEGER_FORMAT
	    " is more than a billion units",
	    name, ref->pack, ref->inner);
	mark(t, ref->po4_no, "PO4", ref->po4_pos, SEG_ELEMENT_ERRORS, 14, EL_BAD_CODE,
	    why.p);
	buf_free(&why);
	return false;
}

/* The catalog's word for the id it looked a line up by, and that id's element. */
static const char *
looked_up_by(json_t *line, const struct po1_ref *ref, const char **key, int *el)
{
	switch (catalog_key_of(line)) {
	case CATALOG_BY_SKU:
		*key = "sku";
		*el = ref->el_sku;
		return "SKU";
	case CATALOG_BY_UPC:
		*key = "upc";
		*el = ref->el_upc ? ref->el_upc : ref->el_part;
		return "UPC";
	case CATALOG_BY_PART:
	case CATALOG_BY_NOTHING:
		break;
	}
	*key = "buyer_part";
	*el = ref->el_part;
	return "buyer's number";
}

/*
 * Units in one case of a line counted in cases, in *per: its PO4 pack, or
 * the catalog's case_pack. False, the set refused, when neither says: an
 * item the catalog does not hold is refused for that, at its id, as
 * oms-import would refuse it.
 */
static bool
case_units(struct tx *t, const struct po1_ref *ref, json_t *line, const char *name,
    json_int_t pack, json_int_t *per)
{
	const struct cat_item *it = t->catalog ? catalog_find(t->catalog, line) : NULL;
	struct buf why = {0};
	const char *what, *key, *id;
	int el;

	*per = pack ? pack : it && it->case_pack ? it->case_pack : 0;
	if (*per)
		return true;
	if (t->catalog && !it) {
		what = looked_up_by(line, ref, &key, &el);
		id = json_string_value(json_object_get(line, key));
		buf_printf(&why,
		    "PO1 line %s counts cases (%s) of an unknown size: no PO4 pack, "
		    "and its %s \"%s\" is not in the catalog",
		    name, ref->uom, what, id ? id : "");
		mark(t, ref->no, "PO1", ref->pos, SEG_ELEMENT_ERRORS, el, EL_BAD_CODE,
		    why.p);
	} else {
		buf_printf(&why,
		    "PO1 line %s counts cases (%s) of an unknown size: no PO4 pack, "
		    "and %s",
		    name, ref->uom,
		    t->catalog ? "no case_pack for it in the catalog"
			       : "no --catalog to find one in");
		mark(t, ref->no, "PO4", ref->pos + 1, SEG_MISSING, 0, 0, why.p);
	}
	buf_free(&why);
	return false;
}

/*
 * Units in one of the SDQ's unit of measure (SDQ01) on a line with per
 * units in one of its PO103 unit and a PO4 pack of pack units: none, or
 * the line's own unit, is per; a case (CA, PK, BX) is the line's case;
 * a dozen is 12; each (EA), and any other code, is one unit, as it is in
 * PO103. 0 for cases of an unknown size.
 */
static json_int_t
sdq_units(const struct po1_ref *ref, const char *uom, json_int_t per, json_int_t pack)
{
	if (!*uom || strcmp(uom, ref->uom) == 0)
		return per;
	if (is_case(uom))
		return is_case(ref->uom) ? per : pack;
	if (strcmp(uom, "DZ") == 0)
		return 12;
	return 1;
}

/*
 * The store quantities of line i in units, like its qty; the set is
 * refused at the SDQ when they add up to more than the line's units.
 */
static bool
count_sdq(struct tx *t, size_t i, json_t *line, const char *name, json_int_t per,
    json_int_t pack, json_int_t units)
{
	const struct po1_ref *ref = &t->refs[i];
	json_t *dist = json_object_get(line, "distribution");
	json_int_t sum = 0, n, f;
	size_t k = 0;
	struct buf why = {0};

	/*
	 * The quantities are in line order: each line takes its own run once,
	 * past those of lines that were not counted.
	 */
	while (t->sdq_next < t->nsdq && t->sdq[t->sdq_next].line < i)
		t->sdq_next++;
	for (; t->sdq_next < t->nsdq && t->sdq[t->sdq_next].line == i; t->sdq_next++) {
		const struct sdq_qty *q = &t->sdq[t->sdq_next];
		json_t *d;

		d = json_array_get(dist, k++);
		n = json_integer_value(json_object_get(d, "qty"));
		if (!(f = sdq_units(ref, q->uom, per, pack))) {
			buf_printf(&why,
			    "PO1 line %s: SDQ counts cases (%s) of an unknown size: "
			    "no PO4 pack",
			    name, q->uom);
			mark(t, q->no, "SDQ", q->pos, SEG_ELEMENT_ERRORS, 1, EL_BAD_CODE,
			    why.p);
			break;
		}
		/* n and f are at most a billion each: n * f fits in 64 bits. */
		if ((sum += n * f) > units) {
			buf_printf(&why,
			    "PO1 line %s: its stores (SDQ) get %" JSON_INTEGER_FORMAT
			    " units or more, the line has %" JSON_INTEGER_FORMAT,
			    name, sum, units);
			mark(t, q->no, "SDQ", q->pos, SEG_ELEMENT_ERRORS, q->el,
			    EL_BAD_CODE, why.p);
			break;
		}
		json_object_set_new(d, "qty", json_integer(n * f));
	}
	buf_free(&why);
	return !t->failed;
}

/*
 * The line's price as a price for one unit, divided exactly; PO104, or
 * where it is empty the CTP, whose segment is then the one named.
 */
static void
unit_price(struct tx *t, struct po1_ref *ref, json_t *line, const char *name,
    json_int_t per, const char *cur, int digits)
{
	const char *price = json_string_value(json_object_get(line, "unit_price"));
	const char *basis = ref->basis;
	struct buf why = {0};
	char text[MONEY_TEXT_MAX];
	int64_t minor;

	if (!price && *ref->ctp_price) {
		price = ref->ctp_price;
		ref->price_ctp = true;
		if (*ref->ctp_basis)
			basis = ref->ctp_basis;
	}
	if (!price)
		return;
	if (price_units(basis, per) == 1) {
		set_str(line, "unit_price", price);
		return;
	}
	if (divide_price(price, price_units(basis, per), digits, &minor)) {
		set_str(line, "unit_price", money_format(minor, digits, text));
		return;
	}
	buf_printf(&why,
	    "PO1 line %s: price %s for %" JSON_INTEGER_FORMAT
	    " units makes no unit price in whole %s %s",
	    name, price, price_units(basis, per),
	    digits == 0       ? "1"
		: digits == 3 ? "0.001"
			      : "0.01",
	    cur);
	if (ref->price_ctp)
		mark(t, ref->ctp_no, "CTP", ref->ctp_pos, SEG_ELEMENT_ERRORS, 3,
		    EL_BAD_CODE, why.p);
	else
		mark(t, ref->no, "PO1", ref->pos, SEG_ELEMENT_ERRORS, 4, EL_BAD_CODE,
		    why.p);
	buf_free(&why);
}

/*
 * Count a line in units: PO102 times the units in its PO103 (a case's PO4
 * pack, from the catalog when the 850 has no PO4, or 12 a dozen), its
 * store quantities alike, and its price as a price for one unit. An
 * assortment (AS) stays counted in packs: packs.csv explodes it in
 * allocation. Unit codes are compared whole: an unknown one counts units.
 */
static void
count_line(struct tx *t, size_t i, const char *cur, int digits)
{
	struct po1_ref *ref = &t->refs[i];
	json_t *line = json_array_get(t->lines, i);
	const char *name = json_string_value(json_object_get(line, "line_id"));
	json_int_t pack, per = 1, units;
	struct buf why = {0};

	if (!po4_pack(t, ref, name, &pack))
		return;
	if (pack)
		json_object_set_new(line, "case_pack", json_integer(pack));
	if (is_case(ref->uom)) {
		if (!case_units(t, ref, line, name, pack, &per))
			return;
		if (!pack)
			json_object_set_new(line, "case_pack", json_integer(per));
	} else if (strcmp(ref->uom, "DZ") == 0) {
		per = 12;
	}
	if (per > UNITS_MAX || (units = ref->qty * per) > UNITS_MAX) {
		buf_printf(&why,
		    "PO1 line %s: %" JSON_INTEGER_FORMAT " %s of %" JSON_INTEGER_FORMAT
		    " units is more than a billion units",
		    name, ref->qty, ref->uom, per);
		mark(t, ref->no, "PO1", ref->pos, SEG_ELEMENT_ERRORS, 2, EL_BAD_CODE,
		    why.p);
		buf_free(&why);
		return;
	}
	json_object_set_new(line, "qty", json_integer(units));
	if (count_sdq(t, i, line, name, per, pack, units))
		unit_price(t, ref, line, name, per, cur, digits);
}

static void
count_units(struct tx *t)
{
	const char *cur = json_string_value(json_object_get(t->rec, "currency"));
	int digits = currency_digits(cur ? cur : "USD");

	for (size_t i = 0; i < t->nrefs && !t->failed; i++)
		count_line(t, i, cur ? cur : "USD", digits);
}

/* The set is over (SE read, or cut off): queue its order or its reject. */
static void
tx_finish(struct edi_src *e, const struct edi_seg *se)
{
	struct tx *t = &e->tx;
	struct item *it;

	e->in_tx = false;
	if (se && !t->failed) {
		if (!t->beg)
			el_fail(t, se, SEG_MISSING, 0, 0,
			    "the transaction has no BEG segment");
		else if (t->po1s == 0)
			el_fail(
			    t, se, SEG_MISSING, 0, 0, "the transaction has no PO1 line");
		if (t->failed)
			strcpy(t->ak3_id, !t->beg ? "BEG" : "PO1");
	}
	if (!e->ic.in_group && !t->failed)
		tx_fail(t, t->st_no, 0,
		    "it is not inside a functional group (no GS before it)");
	if (!t->failed) {
		complete_order(e, t);
		count_units(t);
	}
	it = push(e);
	it->is_set = true;
	it->group = e->ic.in_group ? (long)e->ic.ngroups - 1 : -1;
	it->set_id = t->set_id;
	it->control = t->control;
	t->set_id = t->control = NULL;
	it->raw = xstrndup(t->raw.p ? t->raw.p : "", t->raw.len);
	it->raw_len = t->raw.len;
	it->refs = t->refs;
	it->line_at = t->line_at;
	it->nrefs = t->nrefs;
	t->refs = NULL;
	t->line_at = NULL;
	t->nrefs = t->refcap = 0;
	if (!t->failed) {
		struct buf err = {0};

		if (schema_coerce(t->rec, schema_type("order"), &err)) {
			it->st = RR_RECORD;
			buf_reset(&e->text);
			jw_value(&e->text, t->rec);
			it->json = xstrndup(e->text.p, e->text.len);
			it->line = t->st_no;
			it->ack = t->ack;
			it->ack.accepted = true;
			buf_free(&err);
			return;
		}
		tx_fail(t, t->st_no, 5, "%s", err.p);
		buf_free(&err);
	}
	it->ack = t->ack;
	memcpy(it->ak3_id, t->ak3_id, sizeof it->ak3_id);
	it->st = RR_REJECT;
	it->line = t->why_no;
	it->reason = xstrdup(t->why.p);
	it->ack.accepted = false;
}

/* Forget an earlier problem: a broken structure is the better reason. */
static void
tx_unfail(struct tx *t)
{
	t->failed = false;
	memset(&t->ack, 0, sizeof t->ack);
	t->ak3_id[0] = '\0';
}

/* A set that ends without its SE: at a header or trailer of the envelope, or at the end of the file. */
static void
tx_cut(struct edi_src *e, const struct edi_seg *s)
{
	if (!e->in_tx)
		return;
	tx_unfail(&e->tx);
	if (s) {
		char id[8];

		seg_id(s, id);
		tx_fail(
		    &e->tx, s->no, 2, "no SE before the %s at segment %ld", id, s->no);
	} else {
		tx_fail_bare(&e->tx, e->tx.st_no, 2, "file ends inside transaction %s",
		    tx_name(&e->tx));
	}
	tx_finish(e, NULL);
}

static void
se_check(struct edi_src *e, const struct edi_seg *s)
{
	struct tx *t = &e->tx;
	json_int_t n;

	if (!whole(edi_el(s, 1), &n)) {
		tx_unfail(t);
		tx_fail(t, s->no, 4, "SE01 \"%s\" is not a segment count", edi_el(s, 1));
	} else if (n != t->nseg) {
		tx_unfail(t);
		tx_fail(t, s->no, 4,
		    "SE01 says %" JSON_INTEGER_FORMAT
		    " segments, the transaction has %ld",
		    n, t->nseg);
	} else if (strcmp(edi_el(s, 2), t->control) != 0) {
		tx_unfail(t);
		tx_fail(t, s->no, 3, "SE02 \"%s\" does not match ST02 \"%s\"",
		    edi_el(s, 2), t->control);
	}
}

/* ---- envelopes ---- */

static void
ichg_free(struct ichg *ic)
{
	for (size_t i = 0; i < 17; i++)
		free(ic->isa[i]);
	for (size_t g = 0; g < ic->ngroups; g++) {
		for (size_t i = 0; i < 9; i++)
			free(ic->groups[g].gs[i]);
		free(ic->groups[g].why);
	}
	free(ic->groups);
	free(ic->sender);
	free(ic->why);
	memset(ic, 0, sizeof *ic);
}

static void
ichg_fault(struct ichg *ic, long no, const char *why)
{
	if (ic->why)
		return;
	ic->why = xstrdup(why);
	ic->why_no = no;
}

static void
ichg_open(struct edi_src *e, const struct edi_seg *s)
{
	struct ichg *ic = &e->ic;
	struct buf tmp = {0};

	ic->open = true;
	ic->first = e->qlen;
	ic->d = e->rd.d;
	e->seen_isa = true;
	for (size_t i = 0; i < 17; i++)
		ic->isa[i] = xstrdup(edi_el(s, i));
	ic->sender = xstrdup(trim(edi_el(s, 6), &tmp));
	if (s->no_isa16) {
		ichg_fault(ic, s->no,
		    "its ISA has no ISA16 (the component element separator) before "
		    "the segment terminator");
	} else if (!s->isa_ok) {
		ichg_fault(ic, s->no,
		    "its ISA is not a complete interchange header (16 elements, "
		    "then the segment terminator)");
	} else if (s->isa_len != EDI_ISA_LEN) {
		buf_reset(&tmp);
		buf_printf(&tmp, "its ISA is %zu characters long, not %d", s->isa_len,
		    EDI_ISA_LEN);
		ichg_fault(ic, s->no, tmp.p);
	}
	buf_free(&tmp);
}

/* Segments of an interchange whose ISA is missing are read, then refused. */
static void
ensure_ichg(struct edi_src *e, const struct edi_seg *s)
{
	if (e->ic.open)
		return;
	e->ic.open = e->ic.pseudo = true;
	e->ic.first = e->qlen;
	e->ic.d = e->rd.d;
	ichg_fault(&e->ic, s->no, "its interchange has no ISA header");
}

static void
group_open(struct edi_src *e, const struct edi_seg *s)
{
	struct ichg *ic = &e->ic;
	struct group *g;
	const char *ctrl = edi_el(s, 6);
	size_t digits = strspn(ctrl, "0123456789");

	ic->groups = xgrow(ic->groups, &ic->cap, ic->ngroups + 1, sizeof *ic->groups, 4);
	g = &ic->groups[ic->ngroups++];
	memset(g, 0, sizeof *g);
	for (size_t i = 0; i < 9; i++)
		g->gs[i] = xstrdup(edi_el(s, i));
	g->included = -1;
	e->groups_seen++;
	/*
	 * The 997 answering this group takes the group's GS06 as its own
	 * ISA13 and GS06 (numbers the sender chose once per group, so unique
	 * toward that sender), or the group's place in the file when GS06 is
	 * not 1 to 9 digits.
	 */
	if (digits > 0 && digits <= 9 && !ctrl[digits])
		snprintf(g->ctrl, sizeof g->ctrl, "%s", ctrl);
	else
		snprintf(g->ctrl, sizeof g->ctrl, "%ld", e->groups_seen % 1000000000);
	ic->in_group = true;
}

static void group_fault(struct group *g, long no, int ak9, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void
group_fault(struct group *g, long no, int ak9, const char *fmt, ...)
{
	va_list ap;
	char why[256];

	va_start(ap, fmt);
	vsnprintf(why, sizeof why, fmt, ap);
	va_end(ap);
	g->why = xstrdup(why);
	g->why_no = no;
	g->ak9_code = ak9;
}

/* The group ends: at its GE (checked), or without one (ge NULL). */
static void
group_close(struct edi_src *e, const struct edi_seg *ge)
{
	struct group *g = &e->ic.groups[e->ic.ngroups - 1];
	json_int_t n;

	e->ic.in_group = false;
	if (!ge) {
		g->ak9_code = 3; /* functional group trailer missing */
		return;
	}
	if (!whole(edi_el(ge, 1), &n))
		group_fault(g, ge->no, 5,
		    "GE01 \"%.*s\" is not a count of transaction sets",
		    edi_cut(edi_el(ge, 1), 40), edi_el(ge, 1));
	else if ((g->included = (long)n) != g->nsets)
		group_fault(g, ge->no, 5,
		    "GE01 says %ld transaction sets, group %.*s has %ld", g->included,
		    edi_cut(g->gs[6], 20), g->gs[6], g->nsets);
	else if (strcmp(edi_el(ge, 2), g->gs[6]) != 0)
		group_fault(g, ge->no, 4, "GE02 \"%.*s\" does not match GS06 \"%.*s\"",
		    edi_cut(edi_el(ge, 2), 20), edi_el(ge, 2), edi_cut(g->gs[6], 20),
		    g->gs[6]);
}

static void
iea_check(struct edi_src *e, const struct edi_seg *s)
{
	struct ichg *ic = &e->ic;
	struct buf why = {0};
	json_int_t n;

	if (!whole(edi_el(s, 1), &n) || n != (json_int_t)ic->ngroups)
		buf_printf(&why,
		    "IEA01 says %.*s functional groups, interchange %.*s has %zu",
		    edi_cut(edi_el(s, 1), 20), edi_el(s, 1),
		    edi_cut(ic->isa[13] ? ic->isa[13] : "", 20),
		    ic->isa[13] ? ic->isa[13] : "", ic->ngroups);
	else if (ic->isa[13] && strcmp(edi_el(s, 2), ic->isa[13]) != 0)
		buf_printf(&why, "IEA02 \"%.*s\" does not match ISA13 \"%.*s\"",
		    edi_cut(edi_el(s, 2), 20), edi_el(s, 2), edi_cut(ic->isa[13], 20),
		    ic->isa[13]);
	if (why.len)
		ichg_fault(ic, s->no, why.p);
	buf_free(&why);
}

/* The 997 of group gi of an interchange whose sets all have their verdicts. */
static void
ack_group(struct edi_src *e, const struct pending *p, size_t gi)
{
	const struct ichg *ic = &p->ic;
	const struct group *g = &ic->groups[gi];
	struct edi_ack_group a = {0};
	struct edi_ack_set *sets = xcalloc(p->nsets + 1, sizeof *sets);
	size_t n = 0;

	for (size_t i = 0; i < p->nsets; i++) {
		const struct ack_slot *sl = &p->sets[i];

		if (sl->group != (long)gi)
			continue;
		sets[n] = sl->ack;
		sets[n].set_id = sl->set_id;
		sets[n].control = sl->control;
		sets[n].seg_id = sl->ak3_id[0] ? sl->ak3_id : NULL;
		n++;
	}
	a.d = ic->d;
	for (size_t i = 0; i < 17; i++)
		a.isa[i] = ic->isa[i];
	for (size_t i = 0; i < 9; i++)
		a.gs[i] = g->gs[i];
	a.ctrl = g->ctrl;
	a.included = g->included;
	a.ak9_code = g->ak9_code;
	a.envelope_bad = g->why || ic->why;
	a.sets = sets;
	a.nsets = n;
	edi_write_997(e->o.ack, &a);
	free(sets);
}

static void
pending_free(struct pending *p)
{
	for (size_t i = 0; i < p->nsets; i++) {
		free(p->sets[i].set_id);
		free(p->sets[i].control);
	}
	free(p->sets);
	ichg_free(&p->ic);
	free(p);
}

/* Write the 997s of the interchanges at the head of the queue that have all their verdicts. */
static void
flush_acks(struct edi_src *e)
{
	while (e->acks && e->acks->waiting == 0) {
		struct pending *p = e->acks;

		for (size_t g = 0; g < p->ic.ngroups; g++)
			ack_group(e, p, g);
		if (!(e->acks = p->next))
			e->acks_tail = NULL;
		pending_free(p);
	}
}

/*
 * What the book made of an order decides its AK5: taken, or refused, and
 * then, for a line at fault, an AK3 for its PO1 (segment has data element
 * errors) and an AK4 for the element: the product id the catalog does not
 * hold, or the value the order checks refused (PO101 for a repeated line
 * id, PO102 for a qty, PO104 for a price; CTP03 for a price from a CTP).
 * A refusal with no segment to name is AK5 R 5, one or more segments in
 * error: the set's data, not its envelope, was at fault.
 */
static void
settle_item(struct item *it, const struct rr_verdict *v)
{
	struct pending *p = it->pend;
	struct ack_slot *sl;
	const struct po1_ref *ref;
	int el = 0;

	if (!p)
		return;
	it->pend = NULL;
	p->waiting--;
	sl = &p->sets[it->slot];
	sl->ack.accepted = v->fate == RR_TAKEN;
	if (v->fate == RR_TAKEN)
		return;
	sl->ack.ak5_code = 5;
	if (v->line < 0 || (size_t)v->line >= it->nrefs)
		return;
	ref = &it->refs[v->line];
	switch (v->fate) {
	case RR_SKU_UNKNOWN:
		el = ref->el_sku;
		break;
	case RR_UPC_UNKNOWN:
		el = ref->el_upc ? ref->el_upc : ref->el_part;
		break;
	case RR_PART_UNKNOWN:
		el = ref->el_part;
		break;
	case RR_NO_ID:
		el = ref->el_first ? 6 : 7;
		break;
	case RR_LINE_ID:
		el = 1;
		break;
	case RR_LINE_QTY:
		el = 2;
		break;
	case RR_LINE_PRICE:
		el = ref->price_ctp ? 3 : 4;
		break;
	case RR_TAKEN:
	case RR_REFUSED:
	case RR_LINE_OTHER:
		break;
	}
	if (v->fate == RR_LINE_PRICE && ref->price_ctp) {
		strcpy(sl->ak3_id, "CTP");
		sl->ack.seg_pos = ref->ctp_pos;
	} else {
		strcpy(sl->ak3_id, "PO1");
		sl->ack.seg_pos = ref->pos;
	}
	sl->ack.seg_code = SEG_ELEMENT_ERRORS;
	sl->ack.el_pos = el;
	sl->ack.el_code =
	    v->fate == RR_NO_ID && !ref->el_first ? EL_MISSING : EL_BAD_CODE;
}

static void
edi850_verdict(struct source *src, const struct rr_verdict *v)
{
	struct edi_src *e = (struct edi_src *)src;

	settle_item(&e->last, v);
	flush_acks(e);
}

/*
 * Keep the interchange's acknowledgment until its orders have their
 * verdicts; the rejects of the reader are settled already.
 */
static void
hold_acks(struct edi_src *e)
{
	struct pending *p = xcalloc(1, sizeof *p);
	size_t n = 0;

	p->ic = e->ic;
	memset(&e->ic, 0, sizeof e->ic);
	p->sets = xcalloc(e->qlen - p->ic.first + 1, sizeof *p->sets);
	for (size_t i = p->ic.first; i < e->qlen; i++) {
		struct item *it = &e->q[i];
		struct ack_slot *sl = &p->sets[n];

		if (!it->is_set || it->group < 0)
			continue;
		sl->group = it->group;
		sl->set_id = xstrdup(it->set_id);
		sl->control = xstrdup(it->control);
		sl->ack = it->ack;
		memcpy(sl->ak3_id, it->ak3_id, sizeof sl->ak3_id);
		if (it->st == RR_RECORD) {
			it->pend = p;
			it->slot = n;
			p->waiting++;
		}
		n++;
	}
	p->nsets = n;
	if (e->acks_tail)
		e->acks_tail->next = p;
	else
		e->acks = p;
	e->acks_tail = p;
	flush_acks(e);
}

/* The interchange is over: apply its envelope faults, acknowledge, release its items. */
static void
ichg_close(struct edi_src *e)
{
	struct ichg *ic = &e->ic;

	if (!ic->open)
		return;
	for (size_t i = ic->first; i < e->qlen; i++) {
		struct item *it = &e->q[i];

		if (!it->is_set)
			continue;
		if (it->group >= 0 && ic->groups[it->group].why)
			refuse(
			    it, ic->groups[it->group].why, ic->groups[it->group].why_no);
		if (ic->why)
			refuse(it, ic->why, ic->why_no);
	}
	e->ready = e->qlen;
	/* Without an ISA there is no one to address an acknowledgment to. */
	if (e->o.ack && !ic->pseudo && ic->ngroups > 0)
		hold_acks(e);
	else
		ichg_free(ic);
}

/* ---- the source ---- */

static void
take_segment(struct edi_src *e, const struct edi_seg *s)
{
	bool envelope = edi_is(s, "ISA") || edi_is(s, "IEA") || edi_is(s, "GS") ||
	    edi_is(s, "GE") || edi_is(s, "ST");

	if (!envelope) {
		if (!e->in_tx) {
			stray(e, s);
			return;
		}
		tx_segment(e, s);
		if (edi_is(s, "SE")) {
			se_check(e, s);
			tx_finish(e, s);
		}
		return;
	}
	tx_cut(e, s);
	flush_stray(e);
	if (edi_is(s, "ST")) {
		ensure_ichg(e, s);
		if (e->ic.in_group)
			e->ic.groups[e->ic.ngroups - 1].nsets++;
		tx_start(e, s);
	} else if (edi_is(s, "GE")) {
		if (e->ic.in_group)
			group_close(e, s);
		else
			stray(e, s);
	} else if (edi_is(s, "GS")) {
		if (e->ic.in_group)
			group_close(e, NULL);
		ensure_ichg(e, s);
		group_open(e, s);
	} else if (!e->ic.open && edi_is(s, "IEA")) {
		stray(e, s);
	} else {
		if (e->ic.in_group)
			group_close(e, NULL);
		if (edi_is(s, "IEA"))
			iea_check(e, s);
		ichg_close(e);
		if (edi_is(s, "ISA"))
			ichg_open(e, s);
	}
}

static void
finish_input(struct edi_src *e)
{
	tx_cut(e, NULL);
	flush_stray(e);
	if (e->ic.in_group)
		group_close(e, NULL);
	ichg_close(e);
	e->eof = true;
}

/* Messages quote what the input holds, cut short at times: keep them UTF-8. */
static void
clean_reason(struct item *it)
{
	struct buf clean = {0};

	if (!it->reason || utf8_valid(it->reason, strlen(it->reason)))
		return;
	utf8_sanitize(it->reason, strlen(it->reason), &clean);
	free(it->reason);
	it->reason = xstrndup(clean.p ? clean.p : "", clean.len);
	buf_free(&clean);
}

static enum rr_status
edi850_next(struct source *src, struct rr_item *it)
{
	struct edi_src *e = (struct edi_src *)src;
	struct edi_seg s;
	/* A record the tool neither wrote nor rejected did not reach the book. */
	static const struct rr_verdict none = {RR_REFUSED, -1};

	settle_item(&e->last, &none);
	flush_acks(e);
	item_free(&e->last);
	while (e->qhead >= e->ready && !e->eof) {
		switch (edi_next(&e->rd, &s)) {
		case EDI_SEG:
			take_segment(e, &s);
			break;
		case EDI_EOF:
			finish_input(e);
			break;
		case EDI_IOERR:
			e->eof = true;
			it->file = src->name;
			it->line = e->rd.segno;
			it->reason = strerror(errno ? errno : EIO);
			return RR_IOERR;
		}
	}
	if (e->qhead >= e->ready)
		return RR_EOF;
	e->last = e->q[e->qhead++];
	clean_reason(&e->last);
	it->file = src->name;
	it->line = e->last.line;
	if (e->last.st == RR_RECORD) {
		buf_reset(&e->text);
		/* It was written by jw_value a moment ago: it cannot fail to parse. */
		if (!(it->rec = jp_parse(e->last.json, strlen(e->last.json), &e->text))) {
			e->last.st = RR_REJECT;
			e->last.reason = xstrdup(e->text.p ? e->text.p : "bad JSON");
		}
	}
	it->raw = e->last.raw;
	it->raw_len = e->last.raw_len;
	it->reason = e->last.reason;
	it->line_at = e->last.line_at;
	it->nline_at = e->last.nrefs;
	return e->last.st;
}

static void
edi850_close(struct source *src)
{
	struct edi_src *e = (struct edi_src *)src;
	static const struct rr_verdict none = {RR_REFUSED, -1};

	/*
	 * Orders never handed out (a run stopped early, which writes no 997
	 * file) did not reach the book either.
	 */
	settle_item(&e->last, &none);
	for (size_t i = e->qhead; i < e->qlen; i++)
		settle_item(&e->q[i], &none);
	flush_acks(e);
	for (size_t i = e->qhead; i < e->qlen; i++)
		item_free(&e->q[i]);
	free(e->q);
	item_free(&e->last);
	json_decref(e->tx.rec);
	free(e->tx.set_id);
	free(e->tx.control);
	free(e->tx.refs);
	free(e->tx.line_at);
	free(e->tx.sdq);
	buf_free(&e->tx.raw);
	buf_free(&e->tx.why);
	ichg_free(&e->ic);
	buf_free(&e->stray);
	buf_free(&e->text);
	edi_free(&e->rd);
	source_close_file(src);
	free(e);
}

static struct source *
open_edi850(struct source *opened, const struct import_opts *o, struct buf *err)
{
	struct edi_src *e = xcalloc(1, sizeof *e);

	(void)err;
	e->base = *opened;
	e->base.next = edi850_next;
	e->base.close = edi850_close;
	e->base.verdict = edi850_verdict;
	if (o)
		e->o = *o;
	edi_init(&e->rd, &e->base.lr);
	return &e->base;
}

const struct adapter adapter_edi850 = {
    "edi850", "X12 850 purchase orders", sniff, open_edi850};
