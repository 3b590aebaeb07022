/* partial.c: the rules' split.partial, per channel. */
#include "partial.h"

#include <string.h>

#include "money.h"

static bool
parse_policy(json_t *v, const char *channel, struct partial_policy *p, struct buf *err)
{
	const char *key;
	json_t *val;

	p->min_value = -1;
	p->min_percent = -1;
	if (json_is_string(v) && strcmp(json_string_value(v), "ship") == 0) {
		p->kind = PARTIAL_SHIP;
		return true;
	}
	if (json_is_string(v) && strcmp(json_string_value(v), "hold") == 0) {
		p->kind = PARTIAL_HOLD;
		return true;
	}
	if (!json_is_object(v) || json_object_size(v) == 0) {
		buf_printf(err,
		    "partial.%s: must be \"ship\", \"hold\" or {\"min_value\": "
		    "\"25.00\", \"min_percent\": 30}",
		    channel);
		return false;
	}
	p->kind = PARTIAL_MIN;
	json_object_foreach(v, key, val) {
		if (strcmp(key, "min_value") == 0) {
			const char *s = json_string_value(val);

			if (!s ||
			    money_parse(s, strlen(s), 4, &p->min_value) != MONEY_OK ||
			    p->min_value < 0) {
				buf_printf(err,
				    "partial.%s.min_value: not an amount >= 0 as text, "
				    "such as "
				    "\"25.00\"",
				    channel);
				return false;
			}
		} else if (strcmp(key, "min_percent") == 0) {
			if (!json_is_integer(val) || json_integer_value(val) < 0 ||
			    json_integer_value(val) > 100) {
				buf_printf(err,
				    "partial.%s.min_percent: not a whole number from 0 "
				    "to 100",
				    channel);
				return false;
			}
			p->min_percent = (int)json_integer_value(val);
		} else {
			buf_printf(err,
			    "partial.%s: unknown key \"%s\" (min_value, min_percent)",
			    channel, key);
			return false;
		}
	}
	return true;
}

bool
partial_rules_load(const json_t *partial, struct partial_rules *r, struct buf *err)
{
	const char *channel;
	json_t *v;

	memset(r, 0, sizeof *r);
	r->fallback.kind = PARTIAL_SHIP;
	r->fallback.min_value = r->fallback.min_percent = -1;
	if (!partial)
		return true;
	if (!json_is_object(partial)) {
		buf_adds(err, "partial: must be an object of channel: policy");
		return false;
	}
	r->channels = xcalloc(json_object_size(partial) + 1, sizeof *r->channels);
	r->policy = xcalloc(json_object_size(partial) + 1, sizeof *r->policy);
	json_object_foreach((json_t *)partial, channel, v) {
		struct partial_policy *p =
		    strcmp(channel, "*") == 0 ? &r->fallback : &r->policy[r->nchannels];

		if (!parse_policy(v, channel, p, err))
			return false;
		if (p != &r->fallback)
			r->channels[r->nchannels++] = xstrdup(channel);
	}
	return true;
}

const struct partial_policy *
partial_policy_of(const struct partial_rules *r, const char *channel)
{
	for (size_t i = 0; channel && i < r->nchannels; i++)
		if (strcmp(r->channels[i], channel) == 0)
			return &r->policy[i];
	return &r->fallback;
}

void
partial_rules_free(struct partial_rules *r)
{
	for (size_t i = 0; i < r->nchannels; i++)
		free(r->channels[i]);
	free(r->channels);
	free(r->policy);
	memset(r, 0, sizeof *r);
}
