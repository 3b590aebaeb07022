/*
 * pick.c: pick rows and the pick tickets. Rows wait in a temporary file;
 * memory holds one small reference a row (its queue key and where its
 * text is), and the references are sorted into pick-queue order per
 * location when the tickets are written.
 */
#include "pick.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "csvcell.h"
#include "date.h"
#include "outfile.h"
#include "strmap.h"

/* Bytes of a ticket's name kept before the hash, leaving room in NAME_MAX (255) for the rest. */
#define TICKET_NAME_MAX 200

/* A row as pick_encode writes it: this head, then its cells, each ended by a NUL. */
struct pick_head {
	struct pick_key k;
	uint32_t len;
	uint32_t pad;
};

struct pick_ref {
	struct pick_key k;
	uint64_t at; /* the row's cells in m->rows */
	uint32_t len;
	size_t names; /* offset in m->ids of its location, then its shipment id */
	const char *loc, *id; /* set once every row is in, for sorting */
	size_t seq; /* input order: lines of one shipment stay in order */
};

int
pick_speed(const char *service)
{
	static const struct {
		const char *name;
		int speed;
	} speeds[] = {
	    {"same_day", 0},
	    {"next_day", 1},
	    {"overnight", 1},
	    {"two_day", 2},
	    {"second_day", 2},
	    {"expedited", 3},
	    {"priority", 3},
	    {"standard", 4},
	    {"economy", 5},
	};

	for (size_t i = 0; service && i < sizeof speeds / sizeof speeds[0]; i++)
		if (strcmp(speeds[i].name, service) == 0)
			return speeds[i].speed;
	return 4;
}

void
pick_encode(struct buf *b, const struct pick_key *k, const char *const *cells)
{
	struct pick_head h = {*k, 0, 0};
	size_t at = b->len;

	buf_add(b, (const char *)&h, sizeof h);
	for (int i = 0; i < PICK_NCELLS; i++) {
		buf_adds(b, cells[i] ? cells[i] : "");
		buf_addc(b, '\0');
	}
	h.len = (uint32_t)(b->len - at - sizeof h);
	memcpy(b->p + at, &h, sizeof h);
}

bool
manifest_format_parse(const char *name, enum manifest_format *f)
{
	if (strcmp(name, "oms") == 0)
		*f = MANIFEST_OMS;
	else if (strcmp(name, "shipstation") == 0)
		*f = MANIFEST_SHIPSTATION;
	else
		return false;
	return true;
}

bool
manifest_open(
    struct manifest *m, const char *dir, enum manifest_format f, struct buf *err)
{
	struct buf probe = {0};
	int fd;

	memset(m, 0, sizeof *m);
	if (mkdir(dir, 0777) != 0 && errno != EEXIST) {
		buf_printf(err, "--manifest-dir %s: %s", dir, strerror(errno));
		return false;
	}
	/* Writable is proven by writing: permissions alone do not tell (root, read-only mounts). */
	buf_printf(&probe, "%s/.oms-split-XXXXXX", dir);
	if ((fd = mkstemp(probe.p)) < 0) {
		buf_printf(err, "--manifest-dir %s: cannot write there: %s", dir,
		    strerror(errno));
		buf_free(&probe);
		return false;
	}
	close(fd);
	unlink(probe.p);
	buf_free(&probe);
	if (!(m->rows = temp_file(err)))
		return false;
	m->dir = xstrdup(dir);
	m->format = f;
	return true;
}

bool
manifest_add(struct manifest *m, const char *blob, size_t n)
{
	size_t at = 0;

	while (at + sizeof(struct pick_head) <= n) {
		struct pick_head h;
		struct pick_ref *r;
		const char *cells;

		memcpy(&h, blob + at, sizeof h);
		cells = blob + at + sizeof h;
		if (m->n == m->cap) {
			m->cap = m->cap ? 2 * m->cap : 1024;
			m->refs = xrealloc(m->refs, m->cap * sizeof *m->refs);
		}
		r = &m->refs[m->n];
		*r = (struct pick_ref){h.k, m->size, h.len, m->ids.len, NULL, NULL, m->n};
		/* The location and the shipment id are the first two cells. */
		buf_adds(&m->ids, cells);
		buf_addc(&m->ids, '\0');
		buf_adds(&m->ids, cells + strlen(cells) + 1);
		buf_addc(&m->ids, '\0');
		if (fwrite(cells, 1, h.len, m->rows) != h.len)
			return false;
		m->size += h.len;
		m->n++;
		at += sizeof h + h.len;
	}
	return true;
}

/* Pick-queue order, within a location. */
static int
cmp_pick(const void *a, const void *b)
{
	const struct pick_ref *x = a, *y = b;
	int c = strcmp(x->loc, y->loc);

	if (c)
		return c;
	if (x->k.ship_by != y->k.ship_by)
		return x->k.ship_by < y->k.ship_by ? -1 : 1;
	if (x->k.speed != y->k.speed)
		return x->k.speed < y->k.speed ? -1 : 1;
	if (x->k.priority != y->k.priority)
		return x->k.priority > y->k.priority ? -1 : 1;
	if ((c = strcmp(x->id, y->id)))
		return c;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/*
 * The file of a location: its name, with bytes a file name cannot safely
 * hold as %XX; a name too long for a file (with the temporary name's
 * additions) is cut, and ends with a hash of the whole so it stays its own.
 */
static void
ticket_path(struct buf *path, const char *dir, const char *loc)
{
	size_t start;

	buf_reset(path);
	buf_printf(path, "%s/", dir);
	start = path->len;
	for (const unsigned char *c = (const unsigned char *)loc; *c; c++) {
		if (path->len - start > TICKET_NAME_MAX) {
			buf_printf(path, "~%016" PRIx64, hash64(loc, strlen(loc)));
			break;
		}
		bool plain = (*c >= 'A' && *c <= 'Z') || (*c >= 'a' && *c <= 'z') ||
		    (*c >= '0' && *c <= '9') || *c == '-' || *c == '_' ||
		    (*c == '.' && c != (const unsigned char *)loc);

		if (plain)
			buf_addc(path, (char)*c);
		else
			buf_printf(path, "%%%02X", *c);
	}
	buf_adds(path, ".csv");
}

static const char *const oms_header =
    "location,shipment_id,order_id,channel,service,ship_by,sku,style,color,size,qty,"
    "unit_price,ship_to.name,ship_to.company,ship_to.line1,ship_to.line2,ship_to.city,"
    "ship_to.region,ship_to.postal_code,ship_to.country,ship_to.phone,start_ship,"
    "cancel_after,pack_contents\n";

/* ShipStation's "Category - Field" names for the same cells (FORMATS.md 5.1). */
static const char *const shipstation_header =
    "Order - Number,Custom - Field 1,Custom - Field 2,Carrier - Service Requested,"
    "Date - Ship By Date,Item - SKU,Item - Name,Item - Options,Item - Qty,Item - Price,"
    "Item - Location,Ship To - Name,Ship To - Company,Ship To - Address 1,"
    "Ship To - Address 2,Ship To - City,Ship To - State,Ship To - Postal Code,"
    "Ship To - Country,Ship To - Phone\n";

static const char *const void_header =
    "location,shipment_id,order_id,channel,sku,qty,reason\n";

static void
cell(struct buf *out, const char *s, bool first)
{
	if (!first)
		buf_addc(out, ',');
	csv_cell(out, s, strlen(s));
}

/* A cell of a numeric column (qty, unit price): a number stays one, unguarded. */
static void
number_cell(struct buf *out, const char *s)
{
	buf_addc(out, ',');
	csv_cell_number(out, s, strlen(s));
}

/* One row in ShipStation's layout: M/D/YYYY dates, the style as the name, color and size as options. */
static void
shipstation_row(struct buf *out, const char **c)
{
	static const int tail[] = {PC_LOCATION, PC_NAME, PC_COMPANY, PC_LINE1, PC_LINE2,
	    PC_CITY, PC_REGION, PC_POSTAL, PC_COUNTRY, PC_PHONE};
	struct buf t = {0};
	int32_t day;
	int y, mo, d;

	cell(out, c[PC_SHIPMENT], true);
	cell(out, c[PC_ORDER], false);
	cell(out, c[PC_CHANNEL], false);
	cell(out, c[PC_SERVICE], false);
	buf_adds(&t, "");
	if (date_parse(c[PC_SHIP_BY], strlen(c[PC_SHIP_BY]), &day) == TS_OK) {
		date_to_civil(day, &y, &mo, &d);
		buf_printf(&t, "%d/%d/%d", mo, d, y);
	}
	cell(out, t.p, false);
	cell(out, c[PC_SKU], false);
	cell(out, *c[PC_STYLE] ? c[PC_STYLE] : c[PC_SKU], false);
	buf_reset(&t);
	if (*c[PC_COLOR])
		buf_printf(&t, "Color: %s", c[PC_COLOR]);
	if (*c[PC_SIZE])
		buf_printf(&t, "%sSize: %s", t.len ? ", " : "", c[PC_SIZE]);
	buf_adds(&t, "");
	cell(out, t.p, false);
	number_cell(out, c[PC_QTY]);
	number_cell(out, c[PC_PRICE]);
	for (size_t i = 0; i < sizeof tail / sizeof tail[0]; i++)
		cell(out, c[tail[i]], false);
	buf_addc(out, '\n');
	buf_free(&t);
}

/* Append the row of r, read back from the rows file, in m's layout. */
static bool
format_row(
    struct manifest *m, const struct pick_ref *r, struct buf *text, struct buf *out)
{
	const char *c[PICK_NCELLS];
	const char *p;

	buf_reset(text);
	buf_grow(text, r->len);
	if (pread(fileno(m->rows), text->p, r->len, (off_t)r->at) != (ssize_t)r->len)
		return false;
	text->len = r->len;
	p = text->p;
	for (int i = 0; i < PICK_NCELLS; i++, p += strlen(p) + 1)
		c[i] = p;
	if (m->format == MANIFEST_SHIPSTATION) {
		shipstation_row(out, c);
		return true;
	}
	if (m->format == MANIFEST_VOID) {
		static const int cols[] = {PC_LOCATION, PC_SHIPMENT, PC_ORDER, PC_CHANNEL,
		    PC_SKU, PC_QTY, PC_REASON};

		for (size_t i = 0; i < sizeof cols / sizeof cols[0]; i++) {
			if (cols[i] == PC_QTY)
				number_cell(out, c[cols[i]]);
			else
				cell(out, c[cols[i]], i == 0);
		}
		buf_addc(out, '\n');
		return true;
	}
	for (int i = 0; i < PC_REASON; i++) {
		if (i == PC_QTY || i == PC_PRICE)
			number_cell(out, c[i]);
		else
			cell(out, c[i], i == 0);
	}
	buf_addc(out, '\n');
	return true;
}

/* Write one location's ticket, rows [from, to) of the sorted refs, beside its file (not yet in place). */
static bool
write_ticket(struct manifest *m, const char *loc, size_t from, size_t to, struct buf *err)
{
	struct outfile *f;
	struct buf path = {0}, text = {0}, row = {0};
	bool ok;

	ticket_path(&path, m->dir, loc);
	if (!(f = of_open("--manifest-dir", path.p, OF_OWN_NAME, err))) {
		buf_free(&path);
		return false;
	}
	fputs(m->format == MANIFEST_SHIPSTATION ? shipstation_header
		: m->format == MANIFEST_VOID    ? void_header
						: oms_header,
	    f->f);
	ok = true;
	for (size_t i = from; ok && i < to; i++) {
		buf_reset(&row);
		ok = format_row(m, &m->refs[i], &text, &row) &&
		    fwrite(row.p, 1, row.len, f->f) == row.len;
	}
	if (!ok)
		buf_printf(err, "%s: %s", path.p, strerror(errno ? errno : EIO));
	/* Done with it: a run of many locations must not hold a descriptor each. */
	ok = ok && of_done(f, err);
	buf_free(&path);
	buf_free(&text);
	buf_free(&row);
	return ok;
}

static int
cmp_name(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Point each row's reference at its location and shipment id, for sorting. */
static void
name_refs(struct manifest *m)
{
	for (size_t i = 0; i < m->n; i++) {
		m->refs[i].loc = m->ids.p + m->refs[i].names;
		m->refs[i].id = m->refs[i].loc + strlen(m->refs[i].loc) + 1;
	}
}

bool
manifest_write(
    struct manifest *m, const struct stock *st, struct manifest *also, struct buf *err)
{
	size_t nst = st ? st->locs.n : 0, nalso = also ? also->n : 0, nnames = 0, r = 0;
	const char **names = xcalloc(nst + m->n + nalso + 1, sizeof *names);
	bool ok = true;

	if (fflush(m->rows) != 0) {
		buf_printf(err, "temporary file: %s", strerror(errno));
		free(names);
		return false;
	}
	name_refs(m);
	if (also)
		name_refs(also);
	if (m->n)
		qsort(m->refs, m->n, sizeof *m->refs, cmp_pick);
	/* Every location of locations.csv gets its ticket, so none is left from an earlier run. */
	for (size_t i = 0; i < nst; i++)
		names[nnames++] = intern_name(&st->locs, (uint32_t)i);
	for (size_t i = 0; i < m->n; i++)
		if (i == 0 || strcmp(m->refs[i].loc, m->refs[i - 1].loc) != 0)
			names[nnames++] = m->refs[i].loc;
	for (size_t i = 0; i < nalso; i++)
		names[nnames++] = also->refs[i].loc;
	if (nnames)
		qsort(names, nnames, sizeof *names, cmp_name);
	for (size_t i = 0; ok && i < nnames; i++) {
		size_t from = r;

		if (i > 0 && strcmp(names[i], names[i - 1]) == 0)
			continue;
		while (r < m->n && strcmp(m->refs[r].loc, names[i]) == 0)
			r++;
		ok = write_ticket(m, names[i], from, r, err);
	}
	free(names);
	return ok;
}

void
manifest_free(struct manifest *m)
{
	if (m->rows)
		fclose(m->rows);
	free(m->refs);
	free(m->dir);
	buf_free(&m->ids);
	memset(m, 0, sizeof *m);
}
