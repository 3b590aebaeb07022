/* outfile.c: atomic output, so a cron job never leaves half a file behind. */
/* realpath: POSIX, but glibc declares it only for X/Open. */
#define _XOPEN_SOURCE 700

#include "outfile.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define OUT_BUFSIZE (1u << 20)

bool
of_open(struct outfile *o, const char *path, struct buf *err)
{
	const char *slash;
	char *real = NULL;
	struct buf t = {0};
	struct stat st;
	int fd;

	memset(o, 0, sizeof *o);
	if (!path || strcmp(path, "-") == 0) {
		/* glibc sizes a buffer it allocates itself by the block size, whatever is asked. */
		static char stdout_buf[OUT_BUFSIZE];

		o->f = stdout;
		setvbuf(stdout, stdout_buf, _IOFBF, sizeof stdout_buf);
		return true;
	}
	/*
	 * Only a regular file (or a new one) is replaced by rename: a device,
	 * a FIFO or a terminal (/dev/null, /dev/stderr) is written in place,
	 * never swapped for a file. So is anything under /dev and /proc:
	 * /dev/stderr redirected to a file is a link to a regular file, and
	 * the link must not be replaced.
	 */
	if (strncmp(path, "/dev/", 5) == 0 || strncmp(path, "/proc/", 6) == 0 ||
	    (stat(path, &st) == 0 && !S_ISREG(st.st_mode))) {
		if (!(o->f = fopen(path, "wb"))) {
			buf_printf(err, "%s: %s", path, strerror(errno));
			return false;
		}
		o->path = xstrdup(path);
		return true;
	}
	/* A symbolic link stays one: the file it names is replaced. */
	if (lstat(path, &st) == 0 && S_ISLNK(st.st_mode) && (real = realpath(path, NULL)))
		path = real;
	slash = strrchr(path, '/');
	if (slash)
		buf_printf(
		    &t, "%.*s.%s.XXXXXX", (int)(slash - path + 1), path, slash + 1);
	else
		buf_printf(&t, ".%s.XXXXXX", path);
	if ((fd = mkstemp(t.p)) < 0 || !(o->f = fdopen(fd, "wb"))) {
		buf_printf(
		    err, "%s: cannot create a file beside it: %s", path, strerror(errno));
		if (fd >= 0) {
			close(fd);
			unlink(t.p);
		}
		buf_free(&t);
		free(real);
		return false;
	}
	o->tmp = t.p;
	o->path = xstrdup(path);
	free(real);
	return true;
}

/* New files get the mode of any ordinary file the user creates (0666 less umask). */
static void
default_mode(int fd)
{
	mode_t mask = umask(0);

	umask(mask);
	fchmod(fd, 0666 & ~mask);
}

bool
of_commit(struct outfile *o, struct buf *err)
{
	bool ok;

	if (!o->f)
		return true;
	ok = fflush(o->f) == 0 && !ferror(o->f);
	if (o->f == stdout) {
		o->f = NULL;
		if (!ok)
			buf_printf(
			    err, "standard output: %s", strerror(errno ? errno : EIO));
		return ok;
	}
	if (!o->tmp) { /* a device or FIFO, written in place */
		ok = fclose(o->f) == 0 && ok;
		o->f = NULL;
		if (!ok)
			buf_printf(err, "%s: %s", o->path, strerror(errno ? errno : EIO));
		free(o->path);
		o->path = NULL;
		return ok;
	}
	default_mode(fileno(o->f));
	ok = ok && fsync(fileno(o->f)) == 0;
	ok = fclose(o->f) == 0 && ok;
	o->f = NULL;
	if (ok && rename(o->tmp, o->path) != 0)
		ok = false;
	if (!ok) {
		buf_printf(err, "%s: %s", o->path, strerror(errno ? errno : EIO));
		unlink(o->tmp);
	}
	free(o->tmp);
	free(o->path);
	o->tmp = o->path = NULL;
	return ok;
}

void
of_abort(struct outfile *o)
{
	if (o->f && o->f != stdout) {
		fclose(o->f);
		if (o->tmp)
			unlink(o->tmp);
	} else if (o->f) {
		fflush(o->f);
	}
	free(o->tmp);
	free(o->path);
	memset(o, 0, sizeof *o);
}
