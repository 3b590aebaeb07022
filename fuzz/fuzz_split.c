/*
 * fuzz_split.c: one allocated order and the records of the stream that
 * belong to it (its shipments, earlier warnings and the confirmations
 * oms-allocate resolved to it), split as oms-split would. Checked: every
 * record made is JSON with a "type", in normal form, in split's order
 * (held new shipments, the shipment_changed warning, the earlier
 * shipments rewritten and shipments of its own, released new ones, then
 * the split_shipment, shipped and shipment_cancelled notices); what
 * became of each earlier record (kept, made again, rewritten, or a
 * confirmation consumed, only one oms-allocate applied and only into a
 * shipped shipment that holds what it said); a shipped shipment's units
 * are its lines', a cancelled one keeps its lines and has a reason; the
 * units law per line and location for an open order, and no unit on two
 * live shipments; new shipments numbered on from every other one and
 * taking no id allocation.tracked confirms; the warning made exactly when
 * shipped shipments carry more than lines.shipped; one shipped notice per
 * shipment shipped in this run, one shipment_cancelled notice per order
 * with cancellations; the counts; the holds of the rules; the pick rows
 * one per line of each released shipment still open after the run, the
 * void rows one per line of each shipment cancelled in this run, and the
 * pick tickets and void lists written; and a run on the output gives the
 * output again.
 *
 * Input: a control byte, then NDJSON. Control bits: 1 check allocations
 * against a small locations.csv; 2|4 pick preset split rules; 8 write the
 * pick tickets and void lists (16: tickets in ShipStation's layout); 32
 * make no pick or void rows. The
 * first object with no "type" is a rules file (its "split" section
 * replaces the preset); the first order with an order_id is the order;
 * after it, its shipments (with a shipment_id), shipment_changed notices
 * and tracking records with its order_id are the earlier records, as
 * oms-split hands them over. Records are coerced as the NDJSON reader
 * coerces them; everything else is ignored.
 */
#include <dirent.h>
#include <inttypes.h>
#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "date.h"
#include "harness.h"
#include "json.h"
#include "outfile.h"
#include "pick.h"
#include "schema.h"
#include "split.h"
#include "stock.h"

#define MAX_EARLIER 64
/* The day of the run (2026-11-26): shipments of orders whose start_ship is later are held. */
#define FUZZ_AS_OF 20783

static char locations[] = "/tmp/fuzz-split-loc-XXXXXX";
static char mandir[] = "/tmp/fuzz-split-man-XXXXXX";
/* The folder of the void lists, inside mandir. */
static char voiddir[sizeof mandir + sizeof MANIFEST_VOID_DIR + 1];
static struct stock st;

static void
cleanup(void)
{
	unlink(locations);
	rmdir(voiddir);
	rmdir(mandir);
}

static void
setup(void)
{
	static const char text[] =
	    "location,kind,country,region,priority,channels,max_orders,max_units\n"
	    "A,warehouse,US,NJ,3,,,\n"
	    "B,3pl,US,CA,1,dtc|marketplace,,\n"
	    "C,store,US,NY,2,dtc,,\n"
	    "NYC/SOHO,store,US,NY,2,,,\n";
	static bool done;
	struct buf err = {0};
	int fd;

	if (done)
		return;
	done = true;
	fd = mkstemp(locations);
	if (fd < 0 || write(fd, text, strlen(text)) != (ssize_t)strlen(text))
		abort();
	close(fd);
	if (!stock_load(&st, locations, NULL, NULL, &err) || !mkdtemp(mandir)) {
		fprintf(stderr, "fuzz_split setup: %s\n", err.p ? err.p : "mkdtemp");
		abort();
	}
	snprintf(voiddir, sizeof voiddir, "%s/" MANIFEST_VOID_DIR, mandir);
	buf_free(&err);
	atexit(cleanup);
}

static void
fail(const char *what, const struct buf *recs)
{
	fprintf(stderr, "fuzz_split: %s\n", what);
	if (recs && recs->p)
		fprintf(stderr, "records made:\n%s", recs->p);
	abort();
}

/*
 * A record oms-split hands split_order with its order (split_stage.c's
 * take): a shipment with a shipment_id, an earlier warning, or a
 * confirmation (tracking) oms-allocate resolved to the order.
 */
static bool
belongs(const json_t *rec, const char *order_id)
{
	return fuzz_is(rec, "order_id", order_id) &&
	    ((fuzz_is(rec, "type", "shipment") && fuzz_str(rec, "shipment_id")) ||
		fuzz_is(rec, "type", "tracking") ||
		(fuzz_is(rec, "type", "notice") &&
		    fuzz_is(rec, "kind", SPLIT_WARNING_KIND)));
}

static bool
tracked(const json_t *order, const char *id)
{
	const json_t *t;
	size_t i;

	json_array_foreach(
	    json_object_get(json_object_get(order, "allocation"), "tracked"), i, t) {
		if (json_is_string(t) && strcmp(json_string_value(t), id) == 0)
			return true;
	}
	return false;
}

static int64_t
int_of(const json_t *j, const char *key)
{
	const json_t *v = json_object_get(j, key);

	return json_is_integer(v) ? json_integer_value(v) : -1;
}

/* The highest shipment number read (split.c's SEQ_MAX). */
#define SEQ_MAX INT64_C(1000000000000000)

/* A shipment's number as the semantics give it: its seq, or its id's /N, whichever is larger. */
static int64_t
seq_of(const json_t *ship)
{
	const char *id = fuzz_str(ship, "shipment_id"),
		   *slash = id ? strrchr(id, '/') : NULL;
	int64_t seq = int_of(ship, "seq"), n = 0;

	if (seq > SEQ_MAX)
		seq = 0;
	if (slash && slash[1]) {
		char *e;
		long long v = strtoll(slash + 1, &e, 10);

		n = *e || v < 0 || v > SEQ_MAX ? 0 : v;
	}
	return seq > n ? seq : n;
}

/* The records of out->recs, each parsed and checked; NULL-terminated array. */
static json_t **
parse_recs(const struct split_out *out)
{
	json_t **recs = xcalloc((size_t)out->nrecs + 1, sizeof *recs);
	const char *p = out->recs.p, *end = p ? p + out->recs.len : p;
	struct buf err = {0};
	long n = 0;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		json_t *rec;

		if (!nl)
			fail("records made do not end with a newline", &out->recs);
		if (n == out->nrecs)
			fail("more records made than nrecs", &out->recs);
		buf_reset(&err);
		if (!(rec = jp_parse(p, (size_t)(nl - p), &err)) || !json_is_object(rec))
			fail("a record made is not a JSON object", &out->recs);
		if (json_is_array(json_object_get(rec, "lines")) &&
		    json_array_size(json_object_get(rec, "lines")) == 0) {
			/*
			 * The held shipment that stands for a held order has "lines":[],
			 * as oms-split(1) shows it, though normal form drops an empty array.
			 */
			json_t *copy = json_deep_copy(rec);

			json_object_del(copy, "lines");
			fuzz_check_record(copy);
			json_decref(copy);
		} else {
			fuzz_check_record(rec);
		}
		recs[n++] = rec;
		p = nl + 1;
	}
	if (n != out->nrecs)
		fail("fewer records made than nrecs", &out->recs);
	buf_free(&err);
	return recs;
}

static void
free_recs(json_t **recs)
{
	for (size_t i = 0; recs && recs[i]; i++)
		json_decref(recs[i]);
	free(recs);
}

/* A pick row as pick_encode lays it out (pick.c's struct pick_head). */
struct head {
	struct pick_key k;
	uint32_t len;
	uint32_t pad;
};

/*
 * The one of ships (n) whose shipment_id is id (""; one without, as the
 * NDJSON reader lets a shipment come with no shipment_id), or NULL.
 */
static const json_t *
find_ship(json_t *const *ships, size_t n, const char *id)
{
	for (size_t i = 0; i < n; i++)
		if (fuzz_is(ships[i], "shipment_id", id) ||
		    (!*id && !fuzz_str(ships[i], "shipment_id")))
			return ships[i];
	return NULL;
}

/*
 * Walk the rows of blob (pick rows, or with voids the void rows): each a
 * head and PICK_NCELLS cells ending in NULs, of the order, of one of ships
 * (n) and at its location; a pick row keyed by its service, with no
 * reason; a void row with its shipment's reason and a zero key. The
 * number of rows.
 */
static size_t
walk_rows(const struct buf *blob, const char *order_id, json_t *const *ships, size_t n,
    bool voids, const struct buf *made)
{
	const char *b = blob->p;
	size_t at = 0, rows = 0;

	while (at < blob->len) {
		struct head h;
		const char *cells[PICK_NCELLS], *c;
		const json_t *ship;
		size_t ncells = 0, k;

		if (blob->len - at < sizeof h)
			fail("a pick row is cut short in its head", made);
		memcpy(&h, b + at, sizeof h);
		at += sizeof h;
		if (h.len > blob->len - at || h.len == 0 || b[at + h.len - 1] != '\0')
			fail("a pick row's cells overrun it", made);
		for (c = b + at; c < b + at + h.len; c += strlen(c) + 1) {
			if (ncells == PICK_NCELLS)
				fail("a pick row has too many cells", made);
			cells[ncells++] = c;
		}
		if (ncells != PICK_NCELLS)
			fail("a pick row has too few cells", made);
		if (strcmp(cells[PC_ORDER], order_id) != 0)
			fail("a pick row names another order", made);
		if (!find_ship(ships, n, cells[PC_SHIPMENT]))
			fail(voids ? "a void row names no shipment cancelled in this run"
				   : "a pick row names no open released shipment",
			    made);
		for (ship = NULL, k = 0; !ship && k < n; k++)
			if (find_ship(&ships[k], 1, cells[PC_SHIPMENT]) &&
			    strcmp(cells[PC_LOCATION],
				fuzz_str(ships[k], "location")
				    ? fuzz_str(ships[k], "location")
				    : "") == 0)
				ship = ships[k];
		if (!ship)
			fail("a pick row's location is not its shipment's", made);
		if (voids) {
			if (strcmp(cells[PC_REASON], fuzz_str(ship, "reason")) != 0 ||
			    h.k.speed != 0 || h.k.ship_by != 0 || h.k.priority != 0)
				fail("a void row does not say why its shipment was "
				     "cancelled",
				    made);
		} else {
			if (*cells[PC_REASON])
				fail("a pick row has a reason", made);
			if (h.k.speed !=
			    pick_speed(*cells[PC_SERVICE] ? cells[PC_SERVICE] : NULL))
				fail("a pick row's speed is not its service's", made);
		}
		at += h.len;
		rows++;
	}
	return rows;
}

/*
 * Whether the cell at s[0..n) would be a spreadsheet formula: its text
 * starts with = + - @ tab CR or LF, and it is not a bare negative number
 * (what the guard of csvcell.h leaves of qty and unit_price). An unquoted
 * cell holds no tab or line break.
 */
static bool
starts_formula(const char *s, size_t n)
{
	size_t i = 1;

	if (n > 1 && s[0] == '"')
		return s[1] && strchr("=+-@\t\r\n", s[1]);
	if (n == 0 || !s[0] || !strchr("=+-@", s[0]))
		return false;
	if (s[0] != '-')
		return true;
	while (i < n && ((s[i] >= '0' && s[i] <= '9') || s[i] == '.'))
		i++;
	return i == 1 || (i < n && s[i] != ',' && s[i] != '\n');
}

/*
 * The records of one CSV text, and whether every one has ncells cells and
 * no cell is a formula.
 */
static size_t
csv_records(const char *s, size_t n, size_t ncells, bool *ragged)
{
	size_t recs = 0, cells = 1;
	bool quoted = false;

	*ragged = *ragged || starts_formula(s, n);
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '"')
			quoted = !quoted;
		else if (!quoted && s[i] == ',')
			cells++;
		else if (!quoted && s[i] == '\n') {
			*ragged = *ragged || cells != ncells;
			recs++;
			cells = 1;
		}
		if (!quoted && (s[i] == ',' || s[i] == '\n'))
			*ragged = *ragged || starts_formula(s + i + 1, n - i - 1);
	}
	*ragged = *ragged || quoted || (n && s[n - 1] != '\n');
	return recs;
}

/*
 * Read back and remove the files of format f in dir (tickets, or the void
 * lists): the rows in them (headers aside), the files in *files.
 */
static size_t
read_tickets(const char *dir, enum manifest_format f, size_t *files)
{
	static const char *const header[] = {[MANIFEST_OMS] = "location,shipment_id,",
	    [MANIFEST_SHIPSTATION] = "Order - Number,",
	    [MANIFEST_VOID] = "location,shipment_id,order_id,channel,sku,qty,reason\n"};
	static const size_t ncells[] = {
	    [MANIFEST_OMS] = 24, [MANIFEST_SHIPSTATION] = 20, [MANIFEST_VOID] = 7};
	DIR *d = opendir(dir);
	struct dirent *e;
	struct buf path = {0}, text = {0};
	size_t rows = 0;
	char chunk[4096];

	if (!d)
		fail("manifest dir is gone", NULL);
	*files = 0;
	while ((e = readdir(d))) {
		FILE *fp;
		size_t got, recs;
		bool ragged = false;

		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0 ||
		    strcmp(e->d_name, MANIFEST_VOID_DIR) == 0)
			continue;
		buf_reset(&path);
		buf_printf(&path, "%s/%s", dir, e->d_name);
		if (!(fp = fopen(path.p, "r")))
			fail("a ticket cannot be read", NULL);
		buf_reset(&text);
		while ((got = fread(chunk, 1, sizeof chunk, fp)) > 0)
			buf_add(&text, chunk, got);
		fclose(fp);
		unlink(path.p);
		if (strncmp(text.p ? text.p : "", header[f], strlen(header[f])) != 0)
			fail(
			    "a ticket or void list does not start with its header", NULL);
		recs = csv_records(text.p, text.len, ncells[f], &ragged);
		if (ragged || recs == 0)
			fail("a ticket or void list is not a CSV of whole rows, or a "
			     "cell starts a formula",
			    NULL);
		rows += recs - 1;
		(*files)++;
	}
	closedir(d);
	buf_free(&path);
	buf_free(&text);
	return rows;
}

/* The rows of an encoded blob (pick_encode). */
static size_t
blob_rows(const struct buf *b)
{
	size_t rows = 0, at = 0;
	struct head h;

	while (at + sizeof h <= b->len) {
		memcpy(&h, b->p + at, sizeof h);
		at += sizeof h + h.len;
		rows++;
	}
	return rows;
}

/*
 * The pick rows and void rows through manifests, as oms-split
 * --manifest-dir writes and commits them: the tickets in mandir, the void
 * lists in its void folder, each location with a ticket having a void
 * list and the other way round.
 */
static void
write_tickets(const struct split_out *out, const struct stock *s, enum manifest_format f)
{
	struct manifest m, v;
	struct buf err = {0};
	size_t files, vfiles, rows = blob_rows(&out->picks),
			      voids = blob_rows(&out->voids);

	if (!manifest_open(&m, mandir, f, &err) ||
	    !manifest_open(&v, voiddir, MANIFEST_VOID, &err))
		fail("manifest_open failed", NULL);
	if (!manifest_add(&m, out->picks.p, out->picks.len) || m.n != rows ||
	    !manifest_add(&v, out->voids.p, out->voids.len) || v.n != voids)
		fail("manifest_add did not take every pick and void row", &out->recs);
	if (!manifest_write(&m, s, &v, &err) || !manifest_write(&v, s, &m, &err)) {
		fprintf(stderr, "manifest_write: %s\n", err.p);
		fail("manifest_write failed", &out->recs);
	}
	if (!of_commit_all(true, &err)) {
		fprintf(stderr, "of_commit_all: %s\n", err.p);
		fail("the tickets did not go in place", &out->recs);
	}
	manifest_free(&m);
	manifest_free(&v);
	if (read_tickets(mandir, f, &files) != rows)
		fail("the tickets do not hold every pick row", &out->recs);
	if (read_tickets(voiddir, MANIFEST_VOID, &vfiles) != voids)
		fail("the void lists do not hold every void row", &out->recs);
	if (files != vfiles)
		fail("a location has a ticket without a void list, or the other way",
		    &out->recs);
	if (s && files < s->locs.n)
		fail("a location of locations.csv got no ticket", &out->recs);
	if (!s && rows + voids == 0 && files != 0)
		fail("tickets written with no rows and no locations", &out->recs);
	buf_free(&err);
}

static long
priority_of(const struct split_ctx *ctx, const char *loc)
{
	uint32_t id =
	    ctx->st && loc ? intern_find(&ctx->st->locs, loc, strlen(loc)) : INTERN_NONE;

	return id == INTERN_NONE ? 0 : ctx->st->loc[id].priority;
}

/* Are a and b the same JSON, both absent counting as the same (json_equal says not)? */
static bool
same_json(const json_t *a, const json_t *b)
{
	return a ? b && json_equal(a, b) : !b;
}

/* Is ship's status a, or b (NULL: none)? */
static bool
is_status(const json_t *ship, const char *a, const char *b)
{
	return fuzz_is(ship, "status", a) || (b && fuzz_is(ship, "status", b));
}

/*
 * A released shipment still to ship (split.c's pending): neither shipped,
 * cancelled nor held, and its id not confirmed in allocation.tracked.
 */
static bool
pending(const json_t *order, const json_t *ship)
{
	const char *sid = fuzz_str(ship, "shipment_id");

	return !is_status(ship, "shipped", "cancelled") &&
	    !fuzz_is(ship, "status", "held") && !(sid && tracked(order, sid));
}

/* The order line a shipment line names (split.c's find_line: by line_id, else SKU; the first), or -1. */
static long
line_of(const json_t *order, const json_t *sl)
{
	const char *id = fuzz_str(sl, "line_id"), *sku = fuzz_str(sl, "sku");
	const json_t *line;
	size_t i;

	if (!id && !sku)
		return -1;
	json_array_foreach(json_object_get(order, "lines"), i, line) {
		if (id ? fuzz_is(line, "line_id", id) : fuzz_is(line, "sku", sku))
			return (long)i;
	}
	return -1;
}

/*
 * The units of a shipment's (or confirmation's) lines per order line, into
 * units[nlines]; false when they cannot be counted (split.c's
 * units_by_line: no lines, a line of no order line, a qty not above 0).
 */
static bool
units_of(const json_t *order, const json_t *ship, int64_t *units, size_t nlines)
{
	const json_t *lines = json_object_get(ship, "lines"), *sl;
	size_t i;

	memset(units, 0, (nlines + 1) * sizeof *units);
	json_array_foreach(lines, i, sl) {
		long line = line_of(order, sl);
		int64_t q;

		if (line < 0 || !stock_count(sl, "qty", 0, &q) || q == 0 ||
		    __builtin_add_overflow(units[line], q, &units[line]))
			return false;
	}
	return json_array_size(lines) > 0;
}

/* Was confirmation t applied to the order's units by oms-allocate (split.c's applied_by_allocate)? */
static bool
applied(const json_t *order, const json_t *t)
{
	const char *id = fuzz_str(t, "shipment_id");

	if (!id)
		id = fuzz_str(t, "tracking_number");
	return !id || tracked(order, id);
}

/* Does shipment s say what confirmation t says of key (t saying nothing: anything goes)? */
static bool
says(const json_t *s, const json_t *t, const char *key)
{
	const char *v = fuzz_str(t, key);

	return !v || fuzz_is(s, key, v);
}

/* Was shipment s (shipped) made of confirmation t: its tracking, location and units? */
static bool
made_of(const json_t *order, const json_t *s, const json_t *t, size_t nlines)
{
	int64_t *a = xcalloc(nlines + 1, sizeof *a), *b = xcalloc(nlines + 1, sizeof *b);
	bool same = says(s, t, "carrier") && says(s, t, "tracking_number") &&
	    says(s, t, "shipped_at") && says(s, t, "location") &&
	    units_of(order, s, a, nlines) && units_of(order, t, b, nlines) &&
	    memcmp(a, b, nlines * sizeof *a) == 0;

	free(a);
	free(b);
	return same;
}

/*
 * Where consumed confirmation t went: into a shipment shipped in this run
 * (shipped_now, nshipped) that holds what it said, or, applied already,
 * into a shipped shipment with its tracking number, kept or shipped now.
 */
static bool
consumed_into(const json_t *order, const json_t *t, json_t *const *earlier, size_t n,
    const bool *drop, json_t *const *shipped_now, size_t nshipped, size_t nlines)
{
	const char *number = fuzz_str(t, "tracking_number");

	for (size_t r = 0; r < nshipped; r++)
		if (made_of(order, shipped_now[r], t, nlines) ||
		    (number && fuzz_is(shipped_now[r], "tracking_number", number)))
			return true;
	for (size_t k = 0; number && k < n; k++)
		if (!drop[k] && fuzz_is(earlier[k], "type", "shipment") &&
		    fuzz_is(earlier[k], "status", "shipped") &&
		    fuzz_is(earlier[k], "tracking_number", number))
			return true;
	return false;
}

/* Units at a location of an order line: allocated there, and on shipments to ship from there. */
struct cell {
	size_t line;
	const char *loc;
	int64_t alloc, ships;
};

struct cells {
	struct cell *v;
	size_t n;
};

static struct cell *
cell_at(struct cells *c, size_t line, const char *loc)
{
	for (size_t i = 0; i < c->n; i++)
		if (c->v[i].line == line && strcmp(c->v[i].loc, loc) == 0)
			return &c->v[i];
	c->v = xrealloc(c->v, (c->n + 1) * sizeof *c->v);
	c->v[c->n] = (struct cell){line, loc, 0, 0};
	return &c->v[c->n++];
}

/* Put a shipment still to ship (or new) in the cells, and its units per line in live. */
static void
count_open(struct cells *c, const json_t *order, const json_t *ship, int64_t *live,
    size_t nlines, const struct buf *made)
{
	int64_t *units = xcalloc(nlines + 1, sizeof *units);
	const char *loc = fuzz_str(ship, "location");

	if (!loc || !*loc || !units_of(order, ship, units, nlines))
		fail("a shipment to ship after the run cannot be counted", made);
	for (size_t i = 0; i < nlines; i++) {
		cell_at(c, i, loc)->ships += units[i];
		live[i] += units[i];
	}
	free(units);
}

/* The rank of a record made: what comes before what (split.c's split_order). */
enum rank {
	R_HELD,
	R_WARNING,
	R_CHANGED,
	R_RELEASED,
	R_SPLIT,
	R_SHIPPED,
	R_CANCELLED,
	R_NONE
};

static enum rank
rank_of(const json_t *rec)
{
	if (fuzz_is(rec, "type", "notice")) {
		if (fuzz_is(rec, "kind", SPLIT_WARNING_KIND))
			return R_WARNING;
		if (fuzz_is(rec, "kind", "split_shipment"))
			return R_SPLIT;
		if (fuzz_is(rec, "kind", "shipped"))
			return R_SHIPPED;
		if (fuzz_is(rec, "kind", SPLIT_CANCELLED_KIND))
			return R_CANCELLED;
		return R_NONE;
	}
	if (!fuzz_is(rec, "type", "shipment"))
		return R_NONE;
	if (fuzz_is(rec, "status", "held"))
		return R_HELD;
	if (fuzz_is(rec, "status", "released"))
		return R_RELEASED;
	if (is_status(rec, "shipped", "cancelled"))
		return R_CHANGED;
	return R_NONE;
}

/* Is shipment s (a record made, rank R_CHANGED or new) numbered id/seq? */
static bool
numbered(const json_t *s, const char *id, struct buf *tmp)
{
	buf_reset(tmp);
	buf_printf(tmp, "%s/%" PRId64, id, int_of(s, "seq"));
	return fuzz_is(s, "shipment_id", tmp->p);
}

/* The units of a shipment's lines, each a whole number above 0: false when one is not. */
static bool
sum_lines(const json_t *s, int64_t *units)
{
	const json_t *sl;
	size_t i;

	*units = 0;
	json_array_foreach(json_object_get(s, "lines"), i, sl) {
		int64_t q = int_of(sl, "qty");

		if (q < 1 || q > QTY_MAX)
			return false;
		*units += q;
	}
	return true;
}

/*
 * The units of line l that can ship: left to ship (qty less shipped, none
 * for a cancelled line or one needing no shipping) less its case_remainder.
 */
static int64_t
fillable_of(const json_t *l)
{
	int64_t qty = int_of(l, "qty"), shipped = int_of(l, "shipped"),
		rest = int_of(l, "case_remainder"), open;

	if (qty <= 0 || shipped >= qty || json_is_true(json_object_get(l, "cancelled")) ||
	    json_is_false(json_object_get(l, "requires_shipping")))
		return 0;
	open = qty - (shipped > 0 ? shipped : 0);
	return rest > 0 ? (rest < open ? open - rest : 0) : open;
}

/* Does line l have all it can: every unit that can ship allocated? */
static bool
line_whole(const json_t *l)
{
	int64_t alloc = 0;
	const json_t *a;
	size_t k;

	json_array_foreach(json_object_get(l, "allocated"), k, a)
		alloc += int_of(a, "qty");
	return alloc >= fillable_of(l);
}

/* Does a line hold allocated units? */
static bool
line_holds(const json_t *l)
{
	const json_t *a;
	size_t k;

	json_array_foreach(json_object_get(l, "allocated"), k, a)
		if (int_of(a, "qty") > 0)
			return true;
	return false;
}

/*
 * The size-run rule, worked out pairwise (fuzz orders are small): a channel
 * of allocate.size_run with a style and color some line holds units of
 * while another of its lines is not whole.
 */
static bool
part_of_run(const struct split_rules *r, const json_t *order)
{
	const char *channel = fuzz_str(order, "channel");
	const json_t *a, *b, *lines = json_object_get(order, "lines");
	bool keeps = false;
	size_t i, j;

	for (size_t c = 0; channel && c < r->nsize_run; c++)
		keeps |= strcmp(r->size_run[c], channel) == 0;
	if (!keeps)
		return false;
	json_array_foreach(lines, i, a) {
		const char *style = fuzz_str(a, "style"), *color = fuzz_str(a, "color");

		if (!style || !*style || line_whole(a))
			continue;
		json_array_foreach(lines, j, b) {
			const char *bs = fuzz_str(b, "style"), *bc = fuzz_str(b, "color");

			if (bs && strcmp(bs, style) == 0 &&
			    strcmp(bc ? bc : "", color ? color : "") == 0 &&
			    line_holds(b))
				return true;
		}
	}
	return false;
}

/*
 * The holds of oms-split(1), worked out again for an open order without a
 * warning: whether its new shipments (recs) are held, and the held one
 * with no location standing for a held order. nkept: its released
 * shipments in the stream, nopen: those still to ship. min_value is not
 * worked out: either way goes when only it could hold.
 */
static void
check_rules(const struct split_ctx *ctx, const json_t *order, json_t *const *recs,
    size_t nkept, size_t nopen, const struct buf *made)
{
	const json_t *alloc = json_object_get(order, "allocation"), *line, *a;
	const char *ast = fuzz_str(alloc, "status"),
		   *channel = fuzz_str(order, "channel");
	const struct split_rules *r = ctx->rules;
	const struct partial_policy *pol = partial_policy_of(&r->partial, channel);
	const json_t *prev = NULL;
	int64_t open = 0, allocated = 0, ready = 0;
	long nnew = 0, nheld = 0, nplace = 0;
	bool held, maybe = false;
	size_t i, k;

	json_array_foreach(json_object_get(order, "lines"), i, line) {
		open += fillable_of(line);
		json_array_foreach(json_object_get(line, "allocated"), k, a)
			allocated += int_of(a, "qty");
	}
	for (size_t j = 0; recs[j]; j++) {
		const json_t *s = recs[j];

		if (!fuzz_is(s, "type", "shipment") ||
		    is_status(s, "shipped", "cancelled"))
			continue;
		nheld += fuzz_is(s, "status", "held");
		if (!fuzz_str(s, "location")) {
			nplace++;
			continue;
		}
		nnew++;
		ready += int_of(s, "units");
		/* Most units first, then location priority, then name. */
		if (prev &&
		    (int_of(prev, "units") < int_of(s, "units") ||
			(int_of(prev, "units") == int_of(s, "units") &&
			    (priority_of(ctx, fuzz_str(prev, "location")) >
				    priority_of(ctx, fuzz_str(s, "location")) ||
				(priority_of(ctx, fuzz_str(prev, "location")) ==
					priority_of(ctx, fuzz_str(s, "location")) &&
				    strcmp(fuzz_str(prev, "location"),
					fuzz_str(s, "location")) >= 0)))))
			fail(
			    "new shipments are not in the order of units, priority, name",
			    made);
		prev = s;
	}
	if (ast &&
	    (strcmp(ast, "held") == 0 || strcmp(ast, "not_yet") == 0 ||
		strcmp(ast, "expired") == 0)) {
		held = true;
		if (nplace != (nnew == 0 && nopen == 0))
			fail("the held shipment standing for a held order is missing or "
			     "out of place",
			    made);
		if (nnew + nplace == 0)
			return;
	} else if (nplace) {
		fail("a shipment with no location for an order its allocation does not "
		     "hold",
		    made);
	} else if (nnew == 0) {
		return;
	} else if (part_of_run(r, order)) {
		held = true;
	} else if (allocated < open &&
	    (json_is_true(json_object_get(order, "ship_complete")) ||
		pol->kind == PARTIAL_HOLD)) {
		held = true;
	} else if (allocated < open && pol->kind == PARTIAL_MIN &&
	    pol->min_percent >= 0 &&
	    (ready * 100 < pol->min_percent * open ||
		(open - allocated) * 100 < pol->min_percent * open)) {
		held = true;
	} else {
		const char *start = fuzz_str(order, "start_ship");
		int32_t day;

		/* Last, the ship window: not before start_ship. */
		held = (r->max_shipments > 0 && (long)nkept + nnew > r->max_shipments) ||
		    (start && date_parse(start, strlen(start), &day) == TS_OK &&
			day > ctx->as_of);
		maybe = !held && allocated < open && pol->kind == PARTIAL_MIN &&
		    pol->min_value >= 0;
	}
	if (!maybe && (nheld != 0) != held)
		fail(held ? "new shipments released that the rules hold"
			  : "new shipments held that no rule holds",
		    made);
}

/* What check_plan works out of a plan, shared by its parts. */
struct tally {
	const struct split_out *out;
	json_t *order;
	const char *id;
	json_t *const *earlier, *const *recs; /* given (n of them), and made */
	size_t n, nlines;
	bool open;
	bool *superseded, *rewritten; /* per earlier record */
	int64_t *live, *shipped, *units; /* per order line: to ship, shipped, scratch */
	int64_t max_seq; /* the highest number of the shipments not new */
	json_t **picked, **voided, **shipped_now;
	size_t npicked, nvoided, nshipped, rows, voids, nopen;
	long nlive, ncancelled, released,
	    held; /* nlive: shipments neither new nor cancelled */
	struct cells cells;
	struct buf tmp;
};

/* Add shipment s's units per line to t->shipped, when they can be counted. */
static void
tally_shipped(struct tally *t, const json_t *s)
{
	if (units_of(t->order, s, t->units, t->nlines))
		for (size_t l = 0; l < t->nlines; l++)
			t->shipped[l] += t->units[l];
}

/* An earlier shipment record the one made rewrites (rec), as index into earlier, or -1. */
static long
rewrite_of(const struct tally *t, const json_t *rec)
{
	for (size_t i = 0; i < t->n; i++)
		if (fuzz_is(t->earlier[i], "type", "shipment") && !t->superseded[i] &&
		    !fuzz_is(t->earlier[i], "status", "held") &&
		    fuzz_is(t->earlier[i], "shipment_id", fuzz_str(rec, "shipment_id")))
			return (long)i;
	return -1;
}

/* A shipment made shipped or cancelled: an earlier one rewritten, or shipped of its own. */
static void
tally_changed(struct tally *t, json_t *rec)
{
	const struct buf *made = &t->out->recs;
	long i = rewrite_of(t, rec);
	const json_t *was = i < 0 ? NULL : t->earlier[i];
	int64_t sum;

	if (was) {
		if (!t->out->drop[i] || t->rewritten[i])
			fail("an earlier shipment rewritten is kept too, or rewritten "
			     "twice",
			    made);
		t->rewritten[i] = true;
		if (fuzz_is(was, "status", "shipped"))
			fail("a shipped shipment was rewritten", made);
		if (fuzz_is(was, "status", "cancelled") &&
		    fuzz_is(rec, "status", "cancelled"))
			fail("a cancelled shipment was cancelled again", made);
	} else if (!fuzz_is(rec, "status", "shipped") || !numbered(rec, t->id, &t->tmp) ||
	    int_of(rec, "of") != int_of(rec, "seq")) {
		fail("a changed shipment is neither an earlier one nor a shipped one "
		     "of its own numbered id/seq of seq",
		    made);
	}
	if (seq_of(rec) > t->max_seq)
		t->max_seq = seq_of(rec);
	if (fuzz_is(rec, "status", "cancelled")) {
		const char *why = fuzz_str(rec, "reason");

		if (!why || !*why)
			fail("a cancelled shipment has no reason", made);
		if (!same_json(
			json_object_get(rec, "lines"), json_object_get(was, "lines")))
			fail("a cancelled shipment does not keep its lines", made);
		if (!pending(t->order, was))
			fail("a shipment that was not in a queue was cancelled", made);
		t->ncancelled++;
		t->voided[t->nvoided++] = rec;
		t->voids += json_array_size(json_object_get(rec, "lines"));
		return;
	}
	if (!sum_lines(rec, &sum) || sum != int_of(rec, "units") || sum == 0)
		fail("a shipped shipment's units are not the sum of its lines", made);
	t->nlive++;
	t->shipped_now[t->nshipped++] = rec;
	tally_shipped(t, rec);
}

/* The records made: of the order, in split's order, and the shipments that changed among them. */
static void
tally_made(struct tally *t)
{
	enum rank rank = R_HELD;

	for (size_t r = 0; t->recs[r]; r++) {
		json_t *rec = t->recs[r];
		enum rank rk = rank_of(rec);

		if (!fuzz_is(rec, "order_id", t->id))
			fail("a record made names another order", &t->out->recs);
		if (rk == R_NONE)
			fail("a record made is of no kind split makes", &t->out->recs);
		if (rk < rank)
			fail("records made out of order: held shipments, warning, "
			     "changed shipments, released ones, then notices",
			    &t->out->recs);
		rank = rk;
		if (fuzz_is(rec, "type", "shipment") && !fuzz_str(rec, "shipment_id"))
			fail("a shipment made has no shipment_id", &t->out->recs);
		if (rk == R_CHANGED)
			tally_changed(t, rec);
	}
}

/* What became of each earlier record, and each shipment shipped now made of a confirmation. */
static void
tally_earlier(struct tally *t)
{
	const bool *drop = t->out->drop;
	const struct buf *made = &t->out->recs;

	for (size_t i = 0; i < t->n; i++) {
		json_t *e = t->earlier[i];
		const char *sid = fuzz_str(e, "shipment_id");

		if (fuzz_is(e, "type", "tracking")) {
			if (drop[i] && !applied(t->order, e))
				fail("a confirmation oms-allocate did not apply was "
				     "consumed",
				    made);
			if (drop[i] &&
			    !consumed_into(t->order, e, t->earlier, t->n, drop,
				t->shipped_now, t->nshipped, t->nlines))
				fail("a confirmation consumed is in no shipped shipment",
				    made);
			continue;
		}
		if (!fuzz_is(e, "type", "shipment") || fuzz_is(e, "status", "held") ||
		    t->superseded[i]) {
			if (!drop[i])
				fail("a warning, held or superseded shipment was kept",
				    made);
			continue;
		}
		if (t->rewritten[i])
			continue;
		if (drop[i])
			fail("an earlier shipment dropped with nothing in its place",
			    made);
		if (seq_of(e) > t->max_seq)
			t->max_seq = seq_of(e);
		for (size_t k = i + 1; k < t->n; k++)
			if (!drop[k] && fuzz_is(t->earlier[k], "type", "shipment") &&
			    fuzz_is(t->earlier[k], "shipment_id", sid))
				fail("two kept shipments share a shipment_id", made);
		if (fuzz_is(e, "status", "cancelled"))
			continue;
		t->nlive++;
		if (fuzz_is(e, "status", "shipped"))
			tally_shipped(t, e);
		if (!pending(t->order, e))
			continue;
		if (!t->open)
			fail(
			    "an order that is not open keeps a released shipment to ship",
			    made);
		count_open(&t->cells, t->order, e, t->live, t->nlines, made);
		t->nopen++;
		t->rows += json_array_size(json_object_get(e, "lines"));
		t->picked[t->npicked++] = e;
	}
	for (size_t r = 0; r < t->nshipped; r++) {
		bool of_one = false;

		for (size_t i = 0; i < t->n && !of_one; i++)
			of_one = drop[i] && fuzz_is(t->earlier[i], "type", "tracking") &&
			    made_of(
				t->order, t->shipped_now[r], t->earlier[i], t->nlines);
		if (!of_one)
			fail("a shipment shipped in this run is made of no confirmation "
			     "consumed",
			    made);
	}
}

/* The new shipments, held or released, numbered on from every other one. */
static void
tally_new(struct tally *t)
{
	const struct split_out *out = t->out;
	const struct buf *made = &out->recs;
	int64_t units_released = 0, units_held = 0, max_new_seq = 0, of = -1;

	for (size_t r = 0; t->recs[r]; r++) {
		json_t *rec = t->recs[r];
		const char *sid = fuzz_str(rec, "shipment_id");
		enum rank rk = rank_of(rec);
		int64_t sum;

		if (rk != R_HELD && rk != R_RELEASED)
			continue;
		for (size_t i = 0; i < t->n; i++)
			if (!out->drop[i] && fuzz_is(t->earlier[i], "type", "shipment") &&
			    fuzz_is(t->earlier[i], "shipment_id", sid))
				fail("a new shipment takes the shipment_id of a kept one",
				    made);
		if (find_ship(t->recs, r, sid))
			fail("a new shipment shares a shipment_id with another made",
			    made);
		if (tracked(t->order, sid))
			fail("a new shipment takes a shipment_id that "
			     "allocation.tracked confirms as shipped",
			    made);
		if (!numbered(rec, t->id, &t->tmp) || int_of(rec, "seq") <= t->max_seq)
			fail("a new shipment is not numbered on from every other one",
			    made);
		if (of < 0)
			of = int_of(rec, "of");
		if (of != int_of(rec, "of"))
			fail("new shipments disagree on \"of\"", made);
		if (int_of(rec, "seq") > max_new_seq)
			max_new_seq = int_of(rec, "seq");
		if (!sum_lines(rec, &sum) || sum != int_of(rec, "units"))
			fail("a new shipment's units are not the sum of its lines, each "
			     "above 0",
			    made);
		if (!fuzz_str(rec, "location") && sum != 0)
			fail("a shipment with units has no location", made);
		if (rk == R_RELEASED) {
			if (sum == 0)
				fail("a released shipment carries nothing", made);
			t->released++;
			units_released += sum;
			t->rows += json_array_size(json_object_get(rec, "lines"));
			t->picked[t->npicked++] = rec;
		} else {
			if (!fuzz_str(rec, "reason"))
				fail("a held shipment has no reason", made);
			t->held++;
			units_held += sum;
		}
		if (sum)
			count_open(&t->cells, t->order, rec, t->live, t->nlines, made);
	}
	if (t->released != out->released || t->held != out->held ||
	    units_released != out->units_released || units_held != out->units_held)
		fail("released/held counts differ from the shipments made", made);
	if (t->released + t->held && of != max_new_seq)
		fail("\"of\" is not the number of the order's last shipment", made);
	if (t->released && t->held)
		fail("an order's new shipments do not share one status", made);
	if (!t->open && t->released + t->held)
		fail("an order that is not open got new shipments", made);
}

/*
 * The units law of an open order: released shipments to ship and new ones
 * carry what is allocated, per line and location; and no unit is on two
 * live shipments (what shipped and what is to go fit in the line) unless
 * the order is warned. Whether shipped shipments carry more of a line than
 * lines.shipped (a warning is due).
 */
static bool
check_units(struct tally *t)
{
	const json_t *line;
	bool beyond = false;
	size_t i;

	json_array_foreach(json_object_get(t->order, "lines"), i, line) {
		const json_t *a;
		size_t k;
		int64_t q, done;

		json_array_foreach(json_object_get(line, "allocated"), k, a)
			if (t->open)
				cell_at(&t->cells, i, fuzz_str(a, "location"))->alloc +=
				    int_of(a, "qty");
		if (stock_count(line, "shipped", 0, &done) && t->shipped[i] > done)
			beyond = true;
		if (t->open && !t->out->warned && stock_count(line, "qty", 0, &q) &&
		    stock_count(line, "shipped", 0, &done) &&
		    t->shipped[i] + t->live[i] > (q > done ? q : done))
			fail("a unit is on two live shipments: shipped and still to "
			     "ship carry more than the line",
			    &t->out->recs);
	}
	for (size_t c = 0; t->open && c < t->cells.n; c++)
		if (t->cells.v[c].alloc != t->cells.v[c].ships)
			fail("the units law fails: released to ship and new units are "
			     "not the allocated ones at a line and location",
			    &t->out->recs);
	return beyond;
}

/*
 * The notices: a warning when one is due (beyond) on an open or cancelled
 * order, a split notice counting the shipments, one shipped notice per
 * shipment shipped now, one shipment_cancelled notice when any was
 * cancelled, and none for operations to the customer.
 */
static void
check_notices(struct tally *t, bool beyond, bool cancelled)
{
	const struct split_out *out = t->out;
	const struct buf *made = &out->recs;
	long warned = 0, notified = 0, notes = 0, cancel_notes = 0;
	size_t nrecs = (size_t)out->nrecs;

	for (size_t r = 0; t->recs[r]; r++) {
		const json_t *rec = t->recs[r];
		const char *sid = fuzz_str(rec, "shipment_id");
		enum rank rk = rank_of(rec);

		warned += rk == R_WARNING;
		notified += rk == R_SPLIT;
		cancel_notes += rk == R_CANCELLED;
		notes += rk == R_SHIPPED;
		if (rk == R_SHIPPED &&
		    (!sid || !find_ship(t->shipped_now, t->nshipped, sid) ||
			find_ship(t->recs + r + 1, nrecs - r - 1, sid)))
			fail("a shipped notice for no shipment shipped in this run, or "
			     "two for one",
			    made);
		if ((rk == R_WARNING || rk == R_CANCELLED) &&
		    json_object_get(rec, "customer"))
			fail("a notice for operations goes to the customer", made);
	}
	if (warned != out->warned || notified != out->notified || warned > 1 ||
	    notified > 1)
		fail("notice flags differ from the notices made", made);
	if (warned != ((t->open || cancelled) && beyond))
		fail(warned ? "a warning with no shipped shipment beyond the book"
			    : "shipped shipments beyond the book but no warning",
		    made);
	if ((size_t)notes != t->nshipped || out->shipped != (long)t->nshipped)
		fail("not one shipped notice per shipment shipped in this run", made);
	if (out->cancelled != t->ncancelled || cancel_notes != (t->ncancelled > 0))
		fail("not one shipment_cancelled notice for an order with "
		     "cancellations",
		    made);
	if (notified != (t->released > 0 && t->nlive + t->released > 1))
		fail("a split notice is missing, or made for an order not in pieces",
		    made);
	if (notified) {
		const char *shown = fuzz_str(t->order, "channel_order_id");
		long total = t->nlive + t->released;

		buf_reset(&t->tmp);
		buf_printf(&t->tmp,
		    "Your order %s ships in %ld shipments. Shipment 1 of %ld: ",
		    shown ? shown : t->id, total, total);
		for (size_t r = 0; t->recs[r]; r++)
			if (fuzz_is(t->recs[r], "kind", "split_shipment") &&
			    strncmp(fuzz_str(t->recs[r], "text"), t->tmp.p, t->tmp.len) !=
				0)
				fail("the split notice does not count the shipments",
				    made);
	}
}

/*
 * Check a plan of order against the records it was given (earlier, n, of
 * which out->drop tells what stays) and what it made (recs): their order,
 * each record made, what became of each earlier one, the units law, the
 * notices, the counts, the holds, the pick rows and the void rows.
 */
static void
check_plan(const struct split_ctx *ctx, json_t *order, json_t *const *earlier, size_t n,
    const struct split_out *out, json_t *const *recs)
{
	const char *status = fuzz_str(order, "status");
	size_t nlines = json_array_size(json_object_get(order, "lines")),
	       nrecs = (size_t)out->nrecs;
	struct tally t = {.out = out,
	    .order = order,
	    .id = fuzz_str(order, "order_id"),
	    .earlier = earlier,
	    .recs = recs,
	    .n = n,
	    .nlines = nlines,
	    .open = !status || strcmp(status, "open") == 0,
	    .superseded = xcalloc(n + 1, sizeof *t.superseded),
	    .rewritten = xcalloc(n + 1, sizeof *t.rewritten),
	    .live = xcalloc(nlines + 1, sizeof *t.live),
	    .shipped = xcalloc(nlines + 1, sizeof *t.shipped),
	    .units = xcalloc(nlines + 1, sizeof *t.units),
	    .picked = xcalloc(n + nrecs + 1, sizeof *t.picked),
	    .voided = xcalloc(nrecs + 1, sizeof *t.voided),
	    .shipped_now = xcalloc(nrecs + 1, sizeof *t.shipped_now)};
	bool beyond;

	if (out->ndrop != n)
		fail("out.ndrop is not the number of earlier records", &out->recs);
	if (out->broken)
		fail("the units law is broken (out.broken)", &out->recs);
	/* Of two shipments with one id the later stands. */
	for (size_t i = 0; i < n; i++)
		for (size_t k = i + 1; k < n && !t.superseded[i]; k++)
			t.superseded[i] = fuzz_is(earlier[i], "type", "shipment") &&
			    fuzz_is(earlier[k], "type", "shipment") &&
			    fuzz_is(earlier[k], "shipment_id",
				fuzz_str(earlier[i], "shipment_id"));
	tally_made(&t);
	tally_earlier(&t);
	tally_new(&t);
	beyond = check_units(&t);
	check_notices(&t, beyond, status && strcmp(status, "cancelled") == 0);
	if (t.open)
		check_rules(ctx, order, recs, (size_t)t.nlive, t.nopen, &out->recs);
	if (!ctx->picks && (out->picks.len || out->voids.len))
		fail("pick or void rows made though the plan was asked for none",
		    &out->recs);
	if (ctx->picks &&
	    walk_rows(&out->picks, t.id, t.picked, t.npicked, false, &out->recs) !=
		t.rows)
		fail("pick rows are not one per line of each open released shipment",
		    &out->recs);
	if (ctx->picks &&
	    walk_rows(&out->voids, t.id, t.voided, t.nvoided, true, &out->recs) !=
		t.voids)
		fail("void rows are not one per line of each shipment cancelled in "
		     "this run",
		    &out->recs);
	free(t.cells.v);
	free(t.live);
	free(t.shipped);
	free(t.units);
	free(t.superseded);
	free(t.rewritten);
	free(t.picked);
	free(t.voided);
	free(t.shipped_now);
	buf_free(&t.tmp);
}

/*
 * Run split_order on its own output: the records after the order (tail:
 * what it made, then the earlier records it kept) handed over again must
 * come out the same.
 */
static void
check_again(const struct split_ctx *ctx, json_t *order, json_t *const *tail, size_t ntail,
    struct split_out *out)
{
	json_t **earlier = xcalloc(ntail + 1, sizeof *earlier), **recs;
	size_t *from = xcalloc(ntail + 1, sizeof *from), n = 0, k = 0;
	const char *id = fuzz_str(order, "order_id");

	for (size_t i = 0; i < ntail; i++)
		if (belongs(tail[i], id)) {
			from[n] = i;
			earlier[n++] = tail[i];
		}
	split_out_reset(out);
	split_order(ctx, order, earlier, n, out);
	recs = parse_recs(out);
	check_plan(ctx, order, earlier, n, out, recs);
	/* What comes out after the order: the new records, then the tail less what was dropped. */
	for (size_t r = 0; recs[r]; r++, k++)
		if (k >= ntail || !json_equal(recs[r], tail[k]))
			fail("a second run on the output does not give the output again",
			    &out->recs);
	for (size_t i = 0, e = 0; i < ntail; i++) {
		if (e < n && from[e] == i && out->drop[e++])
			continue;
		if (k >= ntail || !json_equal(tail[i], tail[k]))
			fail("a second run on the output does not give the output again",
			    &out->recs);
		k++;
	}
	if (k != ntail)
		fail("a second run on the output does not give the output again",
		    &out->recs);
	free_recs(recs);
	free(earlier);
	free(from);
}

/* The preset split rules of control bits 2|4. */
static const char *const presets[] = {
    NULL,
    "{\"split\":{\"partial\":{\"*\":\"hold\",\"dtc\":\"ship\"}}}",
    "{\"split\":{\"partial\":{\"*\":{\"min_percent\":30},\"b2b\":\"hold\"},"
    "\"max_shipments\":2},\"allocate\":{\"size_run\":[\"dtc\",\"wholesale\"]}}",
    "{\"split\":{\"partial\":{\"dtc\":{\"min_value\":\"25.00\"},"
    "\"*\":{\"min_value\":\"10\",\"min_percent\":20}},\"max_shipments\":1}}",
};

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *p = (const char *)data + 1, *end = (const char *)data + size, *preset;
	json_t *order = NULL, *rules = NULL, *earlier[MAX_EARLIER];
	json_t **recs, **tail;
	struct split_rules sr = {0};
	struct split_ctx ctx;
	struct split_out out = {0}, alone = {0};
	struct buf err = {0};
	size_t n = 0, ntail = 0;
	uint8_t ctl;

	if (size == 0)
		return 0;
	setup();
	ctl = data[0];
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t len = (size_t)((nl ? nl : end) - p);
		json_t *rec;
		const char *type;
		const struct rtype *t;

		buf_reset(&err);
		rec = jp_parse(p, len, &err);
		p += len + (nl != NULL);
		if (!json_is_object(rec)) {
			json_decref(rec);
			continue;
		}
		type = fuzz_str(rec, "type");
		if (!type && !rules) {
			rules = rec;
			continue;
		}
		/* As the NDJSON reader gives them: known types in normal form. */
		if (!type || !*type || !(t = schema_type(type)) ||
		    !schema_coerce(rec, t, &err)) {
			json_decref(rec);
			continue;
		}
		if (!order) {
			const char *id = fuzz_str(rec, "order_id");

			if (strcmp(type, "order") == 0 && id && *id)
				order = rec;
			else
				json_decref(rec);
			continue;
		}
		if (n < MAX_EARLIER && belongs(rec, fuzz_str(order, "order_id")))
			earlier[n++] = rec;
		else
			json_decref(rec);
	}
	if (!rules && (preset = presets[(ctl >> 1) & 3]))
		rules = jp_parse(preset, strlen(preset), &err);
	buf_reset(&err);
	if (!order || !split_rules_of(rules, &sr, &err))
		goto done;
	ctx = (struct split_ctx){.rules = &sr,
	    .st = ctl & 1 ? &st : NULL,
	    .picks = !(ctl & 32),
	    .as_of = FUZZ_AS_OF};
	buf_reset(&err);
	if (!split_check(&ctx, order, &err))
		goto done;

	/* The plan oms-split makes of an order as it comes, with nothing of it seen yet. */
	split_order(&ctx, order, NULL, 0, &alone);
	recs = parse_recs(&alone);
	check_plan(&ctx, order, NULL, 0, &alone, recs);
	free_recs(recs);

	/* With the records that belong to it. */
	split_order(&ctx, order, earlier, n, &out);
	recs = parse_recs(&out);
	check_plan(&ctx, order, earlier, n, &out, recs);
	if (ctl & 8)
		write_tickets(
		    &out, ctx.st, ctl & 16 ? MANIFEST_SHIPSTATION : MANIFEST_OMS);
	/* The stream after the order: what was made, then the earlier records kept. */
	tail = xcalloc((size_t)out.nrecs + n + 1, sizeof *tail);
	for (size_t r = 0; recs[r]; r++)
		tail[ntail++] = json_incref(recs[r]);
	for (size_t i = 0; i < n; i++)
		if (!out.drop[i])
			tail[ntail++] = json_incref(earlier[i]);
	check_again(&ctx, order, tail, ntail, &out);
	for (size_t i = 0; i < ntail; i++)
		json_decref(tail[i]);
	free(tail);
	free_recs(recs);
done:
	split_rules_free(&sr);
	split_out_free(&out);
	split_out_free(&alone);
	for (size_t i = 0; i < n; i++)
		json_decref(earlier[i]);
	json_decref(order);
	json_decref(rules);
	buf_free(&err);
	of_abort_all(); /* the files read are forgotten, as at a run's end */
	schema_free();
	return 0;
}
