/* cli.h: the options every oms tool shares, parsed one way. */
#ifndef OMS_CLI_H
#define OMS_CLI_H

#include <getopt.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "reader.h"

struct oms_opts {
	enum rfmt in_fmt, out_fmt;
	const char *output; /* -O: written atomically; NULL is standard output */
	const char *rejects; /* --rejects: NDJSON rejects; NULL is standard error */
	bool stats, strict;
	/*
	 * --allow-empty: a tool reading another oms tool's records writes its
	 * outputs even when its input holds no record (see stage_run)
	 */
	bool allow_empty;
	/* --as-of as a day number, today (UTC) by default: read through cli_as_of */
	int32_t as_of;
};

/* Codes of the long-only options; a tool's own are numbered from OPT_TOOL. */
enum {
	OPT_AS_OF = 0x100,
	OPT_REJECTS,
	OPT_STATS,
	OPT_STRICT,
	OPT_VERSION,
	OPT_TOOL = 0x200
};

#define CLI_SHORT "hi:o:O:"

#define CLI_LONG                                                                         \
	{"as-of", required_argument, NULL, OPT_AS_OF}, {"help", no_argument, NULL, 'h'}, \
	    {"input-format", required_argument, NULL, 'i'},                              \
	    {"output", required_argument, NULL, 'O'},                                    \
	    {"output-format", required_argument, NULL, 'o'},                             \
	    {"rejects", required_argument, NULL, OPT_REJECTS},                           \
	    {"stats", no_argument, NULL, OPT_STATS},                                     \
	    {"strict", no_argument, NULL, OPT_STRICT},                                   \
	{                                                                                \
		"version", no_argument, NULL, OPT_VERSION                                \
	}

/*
 * --allow-empty, in the option table of a tool whose input is another oms
 * tool's records (oms-allocate, oms-split, oms-backorder); type is the
 * tool's options, whose member common is its struct oms_opts. oms-import,
 * whose empty channel export is a normal day, has no such option.
 */
#define CLI_ALLOW_EMPTY(type)                                                            \
	{                                                                                \
		"allow-empty", CLI_FLAG, offsetof(type, common.allow_empty), NULL        \
	}

/* Its help line, to go before CLI_OPTIONS_HELP. */
#define CLI_ALLOW_EMPTY_HELP                                                             \
	"      --allow-empty        an input with no record writes empty outputs\n"

/* Help text for the shared options, to follow a tool's own. */
#define CLI_OPTIONS_HELP                                                                 \
	"  -i, --input-format FMT   ndjson, csv or tsv (default: detected)\n"            \
	"  -o, --output-format FMT  ndjson, csv or tsv (default: ndjson)\n"              \
	"  -O, --output FILE        write FILE atomically instead of standard output\n"  \
	"      --rejects FILE       write rejected records to FILE as NDJSON\n"          \
	"      --as-of DATE         today's date for date rules (default: today, UTC)\n" \
	"      --stats              print record counts on standard error\n"             \
	"      --strict             stop at the first rejected record (status 1)\n"      \
	"  -h, --help               print this help and exit\n"                          \
	"      --version            print the version and exit\n"

enum cli_result {
	CLI_OK, /* the option was one of the shared ones and is taken */
	CLI_NOT_MINE, /* the tool must handle it */
	CLI_BAD, /* a bad value: a message was printed; exit 2 */
	CLI_WANTS_HELP, /* -h: the tool prints its help and exits 0 */
	CLI_WANTS_VERSION /* --version: printed; exit 0 */
};

/* Name the program (for messages, getopt's too) and set the shared defaults. */
void cli_init(struct oms_opts *o, const char *name, char **argv);

/* Take option c with argument arg if it is a shared one. */
enum cli_result cli_common(struct oms_opts *o, int c, const char *arg);

/* What a tool's own option takes. */
enum cli_kind {
	CLI_TEXT, /* an argument, kept as given (a file name, mostly) */
	CLI_FLAG, /* no argument: sets a bool */
};

/*
 * One of a tool's own long options, in a table ended by a NULL name: the
 * parser stores it at offset field of the tool's options (a const char *
 * for CLI_TEXT, a bool for CLI_FLAG), or, when take is given, calls take,
 * which checks the argument, stores what it means and says what is wrong
 * (false: exit 2).
 */
struct cli_option {
	const char *name;
	enum cli_kind kind;
	size_t field;
	bool (*take)(void *opts, const char *arg);
};

/*
 * Parse argv with getopt_long: the shared options into o, the tool's own
 * (the table own) into opts. usage prints the tool's usage to f, its whole
 * help when f is stdout. Returns -1 to go on, or the status to exit with
 * (0 after --help and --version).
 */
int cli_parse(struct oms_opts *o, const char *name, int argc, char **argv,
    const struct cli_option *own, void *opts, void (*usage)(FILE *f));

/*
 * Today for the tool's date rules, as a day number: --as-of, else today's
 * date in UTC when the options were parsed. The one way a tool reads it:
 * oms-allocate (ship windows) and oms-backorder (late supply) do;
 * oms-import and oms-split take and check it, and write nothing that
 * depends on it.
 */
int32_t cli_as_of(const struct oms_opts *o);

/*
 * For a tool whose output mixes record types, which one CSV file cannot
 * carry: false, after saying so, when -o asked for CSV or TSV. holds names
 * the types ("orders, shipments and notices").
 */
bool cli_ndjson_only(const struct oms_opts *o, const char *holds);

#endif
