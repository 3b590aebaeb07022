/* rank.c: sort keys parsed once, compared without allocating. */
#include "rank.h"

#include <string.h>

#include "date.h"

static const char *const field_names[] = {
    [RK_PRIORITY] = "priority",
    [RK_SHIP_BY] = "ship_by",
    [RK_PLACED_AT] = "placed_at",
    [RK_CANCEL_AFTER] = "cancel_after",
    [RK_START_SHIP] = "start_ship",
    [RK_ORDER_ID] = "order_id",
};

static bool
add_key(struct rank *r, const char *text, struct buf *err)
{
	size_t n = strlen(text), name_len;
	const char *s = trim_span(text, &n), *sp;
	int f;

	sp = memchr(s, ' ', n);
	name_len = sp ? (size_t)(sp - s) : n;
	for (f = 0; f <= RK_ORDER_ID; f++)
		if (strlen(field_names[f]) == name_len &&
		    memcmp(field_names[f], s, name_len) == 0)
			break;
	if (f > RK_ORDER_ID) {
		buf_printf(err,
		    "sort: \"%s\" is not a sort key (priority, ship_by, placed_at, "
		    "cancel_after, start_ship, order_id)",
		    text);
		return false;
	}
	if (r->n == RANK_MAX_KEYS + (f == RK_ORDER_ID)) {
		buf_printf(err, "sort: at most %d keys", RANK_MAX_KEYS);
		return false;
	}
	r->key[r->n].f = (enum rank_field)f;
	r->key[r->n].desc = false;
	if (sp) {
		size_t dlen = n - name_len;
		const char *dir = trim_span(sp, &dlen);

		if (dlen == 4 && memcmp(dir, "desc", 4) == 0) {
			r->key[r->n].desc = true;
		} else if (!(dlen == 3 && memcmp(dir, "asc", 3) == 0)) {
			buf_printf(
			    err, "sort: \"%s\": the direction is asc or desc", text);
			return false;
		}
	}
	r->n++;
	return true;
}

bool
rank_parse(const json_t *sort, struct rank *r, struct buf *err)
{
	static const char *const dflt[] = {
	    "priority desc", "ship_by asc", "placed_at asc", "order_id asc"};
	size_t i;
	const json_t *k;

	memset(r, 0, sizeof *r);
	if (!sort) {
		for (i = 0; i < sizeof dflt / sizeof dflt[0]; i++)
			add_key(r, dflt[i], err);
		return true;
	}
	if (!json_is_array(sort) || json_array_size(sort) == 0) {
		buf_adds(err, "sort: must be a non-empty array of \"key [asc|desc]\"");
		return false;
	}
	json_array_foreach(sort, i, k) {
		if (!json_is_string(k)) {
			buf_adds(err, "sort: every key must be a string");
			return false;
		}
		if (!add_key(r, json_string_value(k), err))
			return false;
	}
	for (int j = 0; j < r->n; j++)
		if (r->key[j].f == RK_ORDER_ID)
			return true;
	return add_key(r, "order_id asc", err);
}

static void
put_date(const json_t *order, const char *name, enum rank_field f, struct rank_vals *v)
{
	const char *s = json_string_value(json_object_get(order, name));
	int32_t day;

	if (s && date_parse(s, strlen(s), &day) == TS_OK) {
		v->v[f] = day;
		v->present |= 1u << f;
	}
}

void
rank_vals_of(const json_t *order, struct rank_vals *v)
{
	const json_t *p = json_object_get(order, "priority");
	const char *placed = json_string_value(json_object_get(order, "placed_at"));
	int64_t secs;

	memset(v, 0, sizeof *v);
	/* Without a priority an order has the default, 0: it is not "missing". */
	v->v[RK_PRIORITY] = json_is_integer(p) ? json_integer_value(p) : 0;
	v->present = 1u << RK_PRIORITY;
	put_date(order, "ship_by", RK_SHIP_BY, v);
	put_date(order, "cancel_after", RK_CANCEL_AFTER, v);
	put_date(order, "start_ship", RK_START_SHIP, v);
	if (placed && ts_parse(placed, strlen(placed), NULL, &secs) == TS_OK) {
		v->v[RK_PLACED_AT] = secs;
		v->present |= 1u << RK_PLACED_AT;
	}
}

int
rank_cmp(const struct rank *r, const struct rank_vals *a, const char *id_a,
    const struct rank_vals *b, const char *id_b)
{
	for (int i = 0; i < r->n; i++) {
		enum rank_field f = r->key[i].f;
		/*
		 * ints, not bools: GCC 12.2 at -O2 (tree-vrp) drops this
		 * comparison when these are bools (tests/allocate.bats ranking).
		 */
		int has_a, has_b, c;

		if (f == RK_ORDER_ID) {
			if ((c = strcmp(id_a, id_b)) != 0)
				return r->key[i].desc ? -c : c;
			continue;
		}
		has_a = (int)(a->present >> f & 1u);
		has_b = (int)(b->present >> f & 1u);
		if (has_a != has_b)
			return has_b - has_a;
		if (!has_a || a->v[f] == b->v[f])
			continue;
		c = a->v[f] < b->v[f] ? -1 : 1;
		return r->key[i].desc ? -c : c;
	}
	return strcmp(id_a, id_b);
}

void
rank_describe(const struct rank *r, struct buf *out)
{
	for (int i = 0; i < r->n; i++)
		buf_printf(out, "%s%s %s", i ? ", " : "", field_names[r->key[i].f],
		    r->key[i].desc ? "desc" : "asc");
}
