/*
 * fuzz_split.c: one allocated order and the records of the stream that
 * belong to it (its shipments and earlier warnings), split as oms-split
 * would: every record made must be JSON with a "type", in normal form;
 * the units law must hold; the counts must match the shipments made; new
 * shipments must be numbered on from the kept ones and take no id that
 * allocation.tracked confirms as shipped; the pick rows must decode into
 * one row per line of every open released shipment, and write as pick
 * tickets; and a run on the output must give the output again.
 *
 * Input: a control byte, then NDJSON. Control bits: 1 check allocations
 * against a small locations.csv; 2|4 pick preset split rules; 8 write the
 * pick tickets (16: in ShipStation's layout); 32 make no pick rows. The
 * first object with no "type" is a rules file (its "split" section
 * replaces the preset); the first order with an order_id is the order;
 * after it, its shipments and shipment_changed notices are the earlier
 * records, as oms-split hands them over. Records are coerced as the
 * NDJSON reader coerces them; everything else is ignored.
 */
#include <dirent.h>
#include <inttypes.h>
#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness.h"
#include "json.h"
#include "outfile.h"
#include "pick.h"
#include "schema.h"
#include "split.h"
#include "stock.h"

#define MAX_EARLIER 64

static char locations[] = "/tmp/fuzz-split-loc-XXXXXX";
static char mandir[] = "/tmp/fuzz-split-man-XXXXXX";
static struct stock st;

static void
cleanup(void)
{
	unlink(locations);
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

/* A record oms-split hands split_order with its order: a shipment or an earlier warning. */
static bool
belongs(const json_t *rec, const char *order_id)
{
	return fuzz_is(rec, "order_id", order_id) &&
	    (fuzz_is(rec, "type", "shipment") ||
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
 * Walk the pick rows: each a head and PICK_NCELLS cells ending in NULs, of
 * the order, of one of the open released shipments (picked, npicked),
 * keyed by its service. The number of rows.
 */
static size_t
walk_picks(const struct split_out *out, const char *order_id, json_t *const *picked,
    size_t npicked)
{
	const char *b = out->picks.p;
	size_t at = 0, rows = 0;

	while (at < out->picks.len) {
		struct head h;
		const char *cells[PICK_NCELLS], *c;
		const json_t *ship;
		size_t ncells = 0, k;

		if (out->picks.len - at < sizeof h)
			fail("a pick row is cut short in its head", &out->recs);
		memcpy(&h, b + at, sizeof h);
		at += sizeof h;
		if (h.len > out->picks.len - at || h.len == 0 ||
		    b[at + h.len - 1] != '\0')
			fail("a pick row's cells overrun it", &out->recs);
		for (c = b + at; c < b + at + h.len; c += strlen(c) + 1) {
			if (ncells == PICK_NCELLS)
				fail("a pick row has too many cells", &out->recs);
			cells[ncells++] = c;
		}
		if (ncells != PICK_NCELLS)
			fail("a pick row has too few cells", &out->recs);
		if (strcmp(cells[PC_ORDER], order_id) != 0)
			fail("a pick row names another order", &out->recs);
		if (!find_ship(picked, npicked, cells[PC_SHIPMENT]))
			fail("a pick row names no open released shipment", &out->recs);
		for (ship = NULL, k = 0; !ship && k < npicked; k++)
			if (find_ship(&picked[k], 1, cells[PC_SHIPMENT]) &&
			    strcmp(cells[PC_LOCATION],
				fuzz_str(picked[k], "location")
				    ? fuzz_str(picked[k], "location")
				    : "") == 0)
				ship = picked[k];
		if (!ship)
			fail("a pick row's location is not its shipment's", &out->recs);
		if (h.k.speed !=
		    pick_speed(*cells[PC_SERVICE] ? cells[PC_SERVICE] : NULL))
			fail("a pick row's speed is not its service's", &out->recs);
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

/* Read back and remove the tickets in mandir: the rows in them (headers aside). */
static size_t
read_tickets(enum manifest_format f, size_t *files)
{
	DIR *d = opendir(mandir);
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

		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		buf_reset(&path);
		buf_printf(&path, "%s/%s", mandir, e->d_name);
		if (!(fp = fopen(path.p, "r")))
			fail("a ticket cannot be read", NULL);
		buf_reset(&text);
		while ((got = fread(chunk, 1, sizeof chunk, fp)) > 0)
			buf_add(&text, chunk, got);
		fclose(fp);
		unlink(path.p);
		if (strncmp(text.p ? text.p : "",
			f == MANIFEST_OMS ? "location,shipment_id," : "Order - Number,",
			f == MANIFEST_OMS ? 21 : 15) != 0)
			fail("a ticket does not start with its header", NULL);
		recs =
		    csv_records(text.p, text.len, f == MANIFEST_OMS ? 21 : 20, &ragged);
		if (ragged || recs == 0)
			fail("a ticket is not a CSV of whole rows, or a cell starts a "
			     "formula",
			    NULL);
		rows += recs - 1;
		(*files)++;
	}
	closedir(d);
	buf_free(&path);
	buf_free(&text);
	return rows;
}

/* The pick rows through a manifest, as oms-split --manifest-dir writes and commits them. */
static void
write_tickets(const struct split_out *out, const struct stock *s, enum manifest_format f,
    size_t rows)
{
	struct manifest m;
	struct buf err = {0};
	size_t files, back;

	if (!manifest_open(&m, mandir, f, &err))
		fail("manifest_open failed", NULL);
	if (!manifest_add(&m, out->picks.p, out->picks.len) || m.n != rows)
		fail("manifest_add did not take every pick row", &out->recs);
	if (!manifest_write(&m, s, &err)) {
		fprintf(stderr, "manifest_write: %s\n", err.p);
		fail("manifest_write failed", &out->recs);
	}
	if (!of_commit_all(true, &err)) {
		fprintf(stderr, "of_commit_all: %s\n", err.p);
		fail("the tickets did not go in place", &out->recs);
	}
	manifest_free(&m);
	back = read_tickets(f, &files);
	if (back != rows)
		fail("the tickets do not hold every pick row", &out->recs);
	if (s && files < s->locs.n)
		fail("a location of locations.csv got no ticket", &out->recs);
	if (!s && rows == 0 && files != 0)
		fail("tickets written with no rows and no locations", &out->recs);
	buf_free(&err);
}

/* The units of a shipment's lines: their qty, when it is one. */
static int64_t
line_units(const json_t *ship)
{
	const json_t *sl;
	int64_t units = 0;
	size_t i;

	json_array_foreach(json_object_get(ship, "lines"), i, sl) {
		if (int_of(sl, "qty") > 0 && int_of(sl, "qty") <= QTY_MAX)
			units += int_of(sl, "qty");
	}
	return units;
}

/* Does the order have any units allocated? */
static bool
allocates(const json_t *order)
{
	const json_t *line;
	size_t i;

	json_array_foreach(json_object_get(order, "lines"), i, line) {
		if (json_array_size(json_object_get(line, "allocated")))
			return true;
	}
	return false;
}

static long
priority_of(const struct split_ctx *ctx, const char *loc)
{
	uint32_t id =
	    ctx->st && loc ? intern_find(&ctx->st->locs, loc, strlen(loc)) : INTERN_NONE;

	return id == INTERN_NONE ? 0 : ctx->st->loc[id].priority;
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
	const struct partial_policy *pol = &r->fallback;
	const json_t *prev = NULL;
	int64_t open = 0, allocated = 0, ready = 0;
	long nnew = 0, nheld = 0, nplace = 0;
	bool held, maybe = false;
	size_t i, k;

	json_array_foreach(json_object_get(order, "lines"), i, line) {
		int64_t qty = int_of(line, "qty"), shipped = int_of(line, "shipped");

		if (qty > 0 && shipped < qty &&
		    !json_is_true(json_object_get(line, "cancelled")) &&
		    !json_is_false(json_object_get(line, "requires_shipping")))
			open += qty - (shipped > 0 ? shipped : 0);
		json_array_foreach(json_object_get(line, "allocated"), k, a)
			allocated += int_of(a, "qty");
	}
	for (size_t c = 0; channel && c < r->nchannels; c++)
		if (strcmp(r->channels[c], channel) == 0)
			pol = &r->policy[c];
	for (size_t j = 0; recs[j]; j++) {
		const json_t *s = recs[j];

		if (!fuzz_is(s, "type", "shipment"))
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
		maybe =
		    allocated < open && pol->kind == PARTIAL_MIN && pol->min_value >= 0;
		held = r->max_shipments > 0 && (long)nkept + nnew > r->max_shipments;
	}
	if (!maybe && (nheld != 0) != held)
		fail(held ? "new shipments released that the rules hold"
			  : "new shipments held that no rule holds",
		    made);
}

/*
 * Check a plan of order against the records it was given (earlier, n, of
 * which out->drop tells what stays) and what it made (recs): the counts,
 * each shipment, and the pick rows.
 */
static void
check_plan(const struct split_ctx *ctx, json_t *order, json_t *const *earlier, size_t n,
    const struct split_out *out, json_t *const *recs)
{
	const char *id = fuzz_str(order, "order_id"), *status = fuzz_str(order, "status");
	bool open = !status || strcmp(status, "open") == 0;
	json_t **picked = xcalloc(n + (size_t)out->nrecs + 1, sizeof *picked);
	size_t npicked = 0, rows = 0, made = 0, nkept = 0, nopen;
	long released = 0, held = 0, warned = 0, notified = 0, of = -1;
	int64_t units_released = 0, units_held = 0, kept_max_seq = 0, max_new_seq = 0;
	int64_t kept_units = 0;
	struct buf ship_id = {0};

	if (out->ndrop != n)
		fail("out.ndrop is not the number of earlier records", &out->recs);
	if (out->broken)
		fail("the units law is broken (out.broken)", &out->recs);
	/* Kept: released shipments, which stay; their ids are taken. */
	for (size_t i = 0; i < n; i++) {
		const char *sid = fuzz_str(earlier[i], "shipment_id");

		if (out->drop[i])
			continue;
		if (!fuzz_is(earlier[i], "type", "shipment") ||
		    fuzz_is(earlier[i], "status", "held"))
			fail("a warning or held shipment was kept", &out->recs);
		if (seq_of(earlier[i]) > kept_max_seq)
			kept_max_seq = seq_of(earlier[i]);
		/* One the warehouse called off carries nothing; only its number stays taken. */
		if (fuzz_is(earlier[i], "status", "cancelled"))
			continue;
		nkept++;
		if (!(sid && tracked(order, sid)))
			kept_units += line_units(earlier[i]);
		for (size_t k = i + 1; sid && k < n; k++)
			if (!out->drop[k] && fuzz_is(earlier[k], "shipment_id", sid))
				fail(
				    "two kept shipments share a shipment_id", &out->recs);
		if (open && !out->warned && !(sid && tracked(order, sid))) {
			rows += json_array_size(json_object_get(earlier[i], "lines"));
			picked[npicked++] = earlier[i];
		}
	}
	nopen = npicked;
	for (size_t r = 0; recs[r]; r++) {
		const json_t *rec = recs[r], *sl;
		const char *sid = fuzz_str(rec, "shipment_id");
		int64_t units = 0;
		size_t i;

		if (!fuzz_is(rec, "order_id", id))
			fail("a record made names another order", &out->recs);
		if (fuzz_is(rec, "type", "notice")) {
			if (fuzz_is(rec, "kind", SPLIT_WARNING_KIND))
				warned++;
			else if (fuzz_is(rec, "kind", "split_shipment"))
				notified++;
			else
				fail("a notice of an unknown kind", &out->recs);
			continue;
		}
		if (!fuzz_is(rec, "type", "shipment"))
			fail("a record made is neither a shipment nor a notice",
			    &out->recs);
		made++;
		if (!sid)
			fail("a new shipment has no shipment_id", &out->recs);
		/* A dropped earlier one may give its id back; a kept one may not. */
		for (size_t k = 0; k < n; k++)
			if (!out->drop[k] && fuzz_is(earlier[k], "shipment_id", sid))
				fail("a new shipment takes the shipment_id of a kept one",
				    &out->recs);
		if (find_ship((json_t *const *)recs, r, sid))
			fail("two new shipments share a shipment_id", &out->recs);
		if (tracked(order, sid))
			fail("a new shipment takes a shipment_id that "
			     "allocation.tracked confirms as shipped",
			    &out->recs);
		buf_reset(&ship_id);
		buf_printf(&ship_id, "%s/%" PRId64, id, int_of(rec, "seq"));
		if (strcmp(sid, ship_id.p) != 0 || int_of(rec, "seq") <= kept_max_seq)
			fail("a new shipment is not numbered on from the kept ones",
			    &out->recs);
		if (of < 0)
			of = int_of(rec, "of");
		if (of != int_of(rec, "of"))
			fail("new shipments disagree on \"of\"", &out->recs);
		if (int_of(rec, "seq") > max_new_seq)
			max_new_seq = int_of(rec, "seq");
		json_array_foreach(json_object_get(rec, "lines"), i, sl) {
			int64_t q = int_of(sl, "qty");

			if (q < 1)
				fail("a new shipment line has no units", &out->recs);
			units += q;
		}
		if (units != int_of(rec, "units"))
			fail("a shipment's units are not the sum of its lines",
			    &out->recs);
		if (!fuzz_str(rec, "location") && units != 0)
			fail("a shipment with units has no location", &out->recs);
		if (fuzz_is(rec, "status", "released")) {
			if (units == 0)
				fail("a released shipment carries nothing", &out->recs);
			released++;
			units_released += units;
			rows += json_array_size(json_object_get(rec, "lines"));
			picked[npicked++] = (json_t *)rec;
		} else if (fuzz_is(rec, "status", "held") && fuzz_str(rec, "reason")) {
			held++;
			units_held += units;
		} else {
			fail("a shipment is neither released nor held with a reason",
			    &out->recs);
		}
	}
	if (released != out->released || held != out->held ||
	    units_released != out->units_released || units_held != out->units_held)
		fail("released/held counts differ from the shipments made", &out->recs);
	if (made && of != max_new_seq)
		fail("\"of\" is not the number of the order's last shipment", &out->recs);
	if (released && held)
		fail("an order's new shipments do not share one status", &out->recs);
	if (warned != out->warned || notified != out->notified || warned + notified > 1)
		fail("notice flags differ from the notices made", &out->recs);
	if (warned && made)
		fail("a warned order got new shipments", &out->recs);
	if (!open && made)
		fail("an order that is not open got new shipments", &out->recs);
	if (notified != (released > 0 && nkept + (size_t)released > 1))
		fail("a split notice is missing, or made for an order not in pieces",
		    &out->recs);
	if (open && !warned)
		check_rules(ctx, order, recs, nkept, nopen, &out->recs);
	if (notified) {
		const char *shown = fuzz_str(order, "channel_order_id");

		buf_reset(&ship_id);
		buf_printf(&ship_id,
		    "Your order %s ships in %zu shipments. Shipment 1 of %zu: ",
		    shown ? shown : id, nkept + (size_t)released,
		    nkept + (size_t)released);
		for (size_t r = 0; recs[r]; r++)
			if (fuzz_is(recs[r], "kind", "split_shipment") &&
			    strncmp(fuzz_str(recs[r], "text"), ship_id.p, ship_id.len) !=
				0)
				fail("the split notice does not count the shipments",
				    &out->recs);
	}
	if (status && strcmp(status, "cancelled") == 0 && !warned && !allocates(order) &&
	    kept_units > 0)
		fail("a cancelled order with a released shipment still to ship got no "
		     "warning",
		    &out->recs);
	if (!ctx->picks && out->picks.len)
		fail("pick rows made though the plan was asked for none", &out->recs);
	if (ctx->picks && walk_picks(out, id, picked, npicked) != rows)
		fail("pick rows are not one per line of each open released shipment",
		    &out->recs);
	free(picked);
	buf_free(&ship_id);
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
    "\"max_shipments\":2}}",
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
	ctx = (struct split_ctx){
	    .rules = &sr, .st = ctl & 1 ? &st : NULL, .picks = !(ctl & 32)};
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
	if (ctl & 8) {
		size_t rows = 0, at = 0;
		struct head h;

		while (at + sizeof h <= out.picks.len) {
			memcpy(&h, out.picks.p + at, sizeof h);
			at += sizeof h + h.len;
			rows++;
		}
		write_tickets(
		    &out, ctx.st, ctl & 16 ? MANIFEST_SHIPSTATION : MANIFEST_OMS, rows);
	}
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
