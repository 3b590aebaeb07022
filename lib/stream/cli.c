/* cli.c: shared option values and their checks. */
#include "cli.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "date.h"
#include "jpool.h"

#ifndef OMS_VERSION
#define OMS_VERSION "0.0.0"
#endif

/*
 * A descriptor 0, 1 or 2 the caller closed (oms-allocate ... >&-) would be
 * the next file the tool opens, a spool say, and the records meant for
 * standard output would go into it unseen. Each closed one is taken by
 * /dev/null opened the wrong way round, read-only for the outputs and
 * write-only for the input, so that using it fails as loudly as the closed
 * descriptor would have (status 2), and no file of the tool lands there.
 */
static void
hold_std_fds(void)
{
	for (int fd = 0; fd <= 2; fd++) {
		int got;

		if (fcntl(fd, F_GETFD) != -1 || errno != EBADF)
			continue;
		got = open("/dev/null", fd == 0 ? O_WRONLY : O_RDONLY);
		if (got >= 0 && got != fd) /* an earlier one was closed too */
			close(got);
	}
}

void
cli_init(struct oms_opts *o, const char *name, char **argv)
{
	hold_std_fds();
	jpool_install();
	progname = name;
	argv[0] = (char *)name; /* getopt's own messages start with argv[0] */
	memset(o, 0, sizeof *o);
	o->as_of = date_today();
}

int32_t
cli_as_of(const struct oms_opts *o)
{
	return o->as_of;
}

static bool
format_arg(const char *opt, const char *arg, enum rfmt *fmt)
{
	if (rfmt_parse(arg, fmt))
		return true;
	warnmsg("%s: unknown format \"%s\" (ndjson, csv or tsv)", opt, arg);
	return false;
}

enum cli_result
cli_common(struct oms_opts *o, int c, const char *arg)
{
	enum ts_err e;

	switch (c) {
	case 'h':
		return CLI_WANTS_HELP;
	case 'i':
		return format_arg("--input-format", arg, &o->in_fmt) ? CLI_OK : CLI_BAD;
	case 'o':
		return format_arg("--output-format", arg, &o->out_fmt) ? CLI_OK : CLI_BAD;
	case 'O':
		o->output = arg;
		return CLI_OK;
	case OPT_REJECTS:
		if (strcmp(arg, "-") == 0) {
			warnmsg("--rejects: standard output carries the records; name a "
				"file");
			return CLI_BAD;
		}
		o->rejects = arg;
		return CLI_OK;
	case OPT_STATS:
		o->stats = true;
		return CLI_OK;
	case OPT_STRICT:
		o->strict = true;
		return CLI_OK;
	case OPT_AS_OF:
		if ((e = date_parse(arg, strlen(arg), &o->as_of)) != TS_OK) {
			warnmsg("--as-of: \"%s\" %s", arg,
			    e == TS_SYNTAX ? "is not a date (YYYY-MM-DD)"
					   : ts_strerror(e));
			return CLI_BAD;
		}
		return CLI_OK;
	case OPT_VERSION:
		printf("%s %s\n", progname, OMS_VERSION);
		return CLI_WANTS_VERSION;
	}
	return CLI_NOT_MINE;
}

/*
 * What getopt_long could not take, said as glibc says it, but through
 * warnmsg: getopt's own message (opterr) prints the option as typed,
 * control characters and all. c is what getopt_long returned: ':' for a
 * missing argument, '?' for anything else.
 */
static void
option_error(int c, char **argv, const struct option *longopts)
{
	const char *arg = argv[optind - 1];
	int name_len = (int)strcspn(arg, "=");
	bool long_one = strncmp(arg, "--", 2) == 0;
	struct buf which = {0};
	int matches = 0;

	if (c == ':') {
		if (long_one)
			warnmsg("option '%.*s' requires an argument", name_len, arg);
		else
			warnmsg("option requires an argument -- '%c'", optopt);
		return;
	}
	if (optopt != 0 && (optopt >= 0x100 || strchr(CLI_SHORT, optopt)) && long_one) {
		warnmsg("option '%.*s' doesn't allow an argument", name_len, arg);
		return;
	}
	if (optopt != 0 || !long_one) {
		warnmsg("invalid option -- '%c'", optopt);
		return;
	}
	for (const struct option *o = longopts; o->name; o++)
		if (strncmp(o->name, arg + 2, (size_t)name_len - 2) == 0) {
			buf_printf(&which, " '--%s'", o->name);
			matches++;
		}
	if (matches > 1)
		warnmsg("option '%.*s' is ambiguous; possibilities:%s", name_len, arg,
		    which.p);
	else
		warnmsg("unrecognized option '%s'", arg);
	buf_free(&which);
}

/* The shared long options, then the tool's own, numbered from OPT_TOOL. */
static struct option *
long_options(const struct cli_option *own)
{
	static const struct option shared[] = {CLI_LONG};
	size_t nshared = sizeof shared / sizeof shared[0], n = 0;
	struct option *all;

	while (own[n].name)
		n++;
	all = xcalloc(nshared + n + 1, sizeof *all);
	memcpy(all, shared, sizeof shared);
	for (size_t i = 0; i < n; i++)
		all[nshared + i] = (struct option){own[i].name,
		    own[i].kind == CLI_FLAG ? no_argument : required_argument, NULL,
		    OPT_TOOL + (int)i};
	return all;
}

/* Take the tool's own option c (from long_options) into opts. */
static enum cli_result
take_own(const struct cli_option *own, void *opts, int c, const char *arg)
{
	const struct cli_option *op;

	if (c < OPT_TOOL)
		return CLI_NOT_MINE;
	op = &own[c - OPT_TOOL];
	if (op->take)
		return op->take(opts, arg) ? CLI_OK : CLI_BAD;
	if (op->kind == CLI_FLAG)
		*(bool *)((char *)opts + op->field) = true;
	else
		*(const char **)((char *)opts + op->field) = arg;
	return CLI_OK;
}

/* getopt_long over argv: -1 to go on, or the status to exit with. */
static int
parse(struct oms_opts *o, int argc, char **argv, const struct option *longopts,
    const struct cli_option *own, void *opts, void (*usage)(FILE *f))
{
	int c;

	opterr = 0;
	while ((c = getopt_long(argc, argv, ":" CLI_SHORT, longopts, NULL)) != -1) {
		enum cli_result r;

		if (c == '?' || c == ':') {
			option_error(c, argv, longopts);
			usage(stderr);
			return EXIT_USAGE;
		}
		r = cli_common(o, c, optarg);
		if (r == CLI_NOT_MINE)
			r = take_own(own, opts, c, optarg);
		switch (r) {
		case CLI_OK:
			break;
		case CLI_BAD:
			return EXIT_USAGE;
		case CLI_WANTS_HELP:
			usage(stdout);
			return EXIT_OK;
		case CLI_WANTS_VERSION:
			return EXIT_OK;
		case CLI_NOT_MINE:
			usage(stderr);
			return EXIT_USAGE;
		}
	}
	return -1;
}

int
cli_parse(struct oms_opts *o, const char *name, int argc, char **argv,
    const struct cli_option *own, void *opts, void (*usage)(FILE *f))
{
	struct option *longopts = long_options(own);
	int status;

	cli_init(o, name, argv);
	status = parse(o, argc, argv, longopts, own, opts, usage);
	free(longopts);
	return status;
}

bool
cli_ndjson_only(const struct oms_opts *o, const char *holds)
{
	if (o->out_fmt != FMT_CSV && o->out_fmt != FMT_TSV)
		return true;
	warnmsg("-o: the output holds %s, so it is NDJSON; to have some of them as "
		"CSV, pick them and run oms-import -o csv",
	    holds);
	return false;
}
