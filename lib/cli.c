/* cli.c: shared option values and their checks. */
#include "cli.h"

#include <errno.h>
#include <fcntl.h>
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

int
cli_parse(struct oms_opts *o, const char *name, int argc, char **argv,
    const struct option *longopts,
    enum cli_result (*take)(void *ctx, int c, const char *arg), void (*usage)(FILE *f),
    void *ctx)
{
	int c;

	cli_init(o, name, argv);
	while ((c = getopt_long(argc, argv, CLI_SHORT, longopts, NULL)) != -1) {
		enum cli_result r = cli_common(o, c, optarg);

		if (r == CLI_NOT_MINE)
			r = take(ctx, c, optarg);
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
