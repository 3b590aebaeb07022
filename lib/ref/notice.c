/* notice.c: the one shape of notices and of the items they name. */
#include "notice.h"

#include <inttypes.h>

#include "date.h"

static const char *
str_at(const json_t *j, const char *key)
{
	return json_string_value(json_object_get(j, key));
}

json_t *
notice_new(const json_t *order, const char *order_id, const char *kind, const char *text,
    bool to_customer)
{
	json_t *n = json_object(), *customer = json_object_get(order, "customer");

	json_object_set_new(n, "type", json_string("notice"));
	json_object_set_new(n, "order_id", json_string(order_id));
	if (to_customer && customer)
		json_object_set(n, "customer", customer);
	json_object_set_new(n, "kind", json_string(kind));
	json_object_set_new(n, "text", json_string(text));
	return n;
}

void
notice_item(struct buf *b, const json_t *line, const char *sku, int64_t qty)
{
	const char *style = str_at(line, "style");

	buf_printf(b, "%" PRId64 " x ", qty);
	if (!style) {
		buf_adds(b, sku ? sku : "item");
		return;
	}
	buf_adds(b, style);
	if (str_at(line, "color"))
		buf_printf(b, " %s", str_at(line, "color"));
	if (str_at(line, "size"))
		buf_printf(b, " %s", str_at(line, "size"));
}

void
notice_date(struct buf *b, int32_t day)
{
	static const char *const months[] = {"January", "February", "March", "April",
	    "May", "June", "July", "August", "September", "October", "November",
	    "December"};
	int y, m, d;

	date_to_civil(day, &y, &m, &d);
	buf_printf(b, "%d %s %d", d, months[m - 1], y);
}
