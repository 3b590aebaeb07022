/*
 * faultshim.c: make one call on a tool's outputs fail, for the tests
 * (LD_PRELOAD=build/faultshim.so).
 *
 *   OMS_FAULT=op:n     the n-th call of op on an output fails (1 is the first)
 *   OMS_FAULT_LOG=file each call of an op on an output appends a line "op"
 *   OMS_NO_TMPFILE=1   open(O_TMPFILE) fails as on a file system without it,
 *                      so the tools fall back to hidden named files
 *
 * op is write, flush, fsync, link, rename or close. The outputs are the
 * files the tools open with fdopen(fd, "wb") (lib/records/outfile.c): the shim
 * hands back a stream of its own over fd, so that stdio's writes reach it
 * (glibc's own calls to write(2) cannot be interposed). link is the naming
 * of an unnamed file through /proc/self/fd; rename is every rename.
 */
#define _GNU_SOURCE

#include <dlfcn.h>
#include <stdarg.h>
#include <stdint.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MAX_FDS 4096

static bool output_fd[MAX_FDS];

/* Count a call of op; true when it is the one to fail. */
static bool
should_fail(const char *op)
{
	static char fault_op[16];
	static long fault_n = -1, seen[8];
	static const char *const ops[] = {
	    "write", "flush", "fsync", "link", "rename", "close", NULL};
	const char *log = getenv("OMS_FAULT_LOG"), *spec;
	int k = 0;

	if (fault_n < 0) {
		spec = getenv("OMS_FAULT");
		fault_n = 0;
		if (spec && strchr(spec, ':')) {
			snprintf(fault_op, sizeof fault_op, "%.*s",
			    (int)(strchr(spec, ':') - spec), spec);
			fault_n = atol(strchr(spec, ':') + 1);
		}
	}
	while (ops[k] && strcmp(ops[k], op) != 0)
		k++;
	seen[k]++;
	if (log) {
		FILE *f = fopen(log, "a");

		if (f) {
			fprintf(f, "%s\n", op);
			fclose(f);
		}
	}
	return strcmp(fault_op, op) == 0 && seen[k] == fault_n;
}

static ssize_t
cookie_write(void *c, const char *p, size_t n)
{
	int fd = (int)(intptr_t)c;

	if (should_fail("write")) {
		errno = ENOSPC;
		return -1;
	}
	return write(fd, p, n);
}

static int
cookie_close(void *c)
{
	int fd = (int)(intptr_t)c, r;

	if (fd >= 0 && fd < MAX_FDS)
		output_fd[fd] = false;
	r = close(fd);
	if (should_fail("close")) {
		errno = EIO;
		return -1;
	}
	return r;
}

/* Only the shim's streams have no descriptor of their own. */
static bool
is_shim_stream(FILE *f)
{
	return f && fileno(f) == -1;
}

FILE *
fdopen(int fd, const char *mode)
{
	static FILE *(*real)(int, const char *);
	cookie_io_functions_t io = {NULL, cookie_write, NULL, cookie_close};

	if (!real)
		real = (FILE * (*)(int, const char *)) dlsym(RTLD_NEXT, "fdopen");
	if (strcmp(mode, "wb") != 0 || fd < 0 || fd >= MAX_FDS)
		return real(fd, mode);
	output_fd[fd] = true;
	return fopencookie((void *)(intptr_t)fd, "wb", io);
}

int
fflush(FILE *f)
{
	static int (*real)(FILE *);

	if (!real)
		real = (int (*)(FILE *))dlsym(RTLD_NEXT, "fflush");
	if (is_shim_stream(f) && should_fail("flush")) {
		errno = EIO;
		return EOF;
	}
	return real(f);
}

int
fsync(int fd)
{
	static int (*real)(int);

	if (!real)
		real = (int (*)(int))dlsym(RTLD_NEXT, "fsync");
	if (fd >= 0 && fd < MAX_FDS && output_fd[fd] && should_fail("fsync")) {
		errno = EIO;
		return -1;
	}
	return real(fd);
}

int
linkat(int olddir, const char *old, int newdir, const char *new, int flags)
{
	static int (*real)(int, const char *, int, const char *, int);

	if (!real)
		real = (int (*)(int, const char *, int, const char *, int))dlsym(
		    RTLD_NEXT, "linkat");
	if (strncmp(old, "/proc/self/fd/", 14) == 0 && should_fail("link")) {
		errno = ENOSPC;
		return -1;
	}
	return real(olddir, old, newdir, new, flags);
}

int
rename(const char *from, const char *to)
{
	static int (*real)(const char *, const char *);

	if (!real)
		real = (int (*)(const char *, const char *))dlsym(RTLD_NEXT, "rename");
	if (should_fail("rename")) {
		errno = EIO;
		return -1;
	}
	return real(from, to);
}

static int
open_as(const char *name, const char *path, int flags, va_list ap)
{
	int (*real)(const char *, int, ...) =
	    (int (*)(const char *, int, ...))dlsym(RTLD_NEXT, name);
	mode_t mode = 0;

#ifdef O_TMPFILE
	if ((flags & O_TMPFILE) == O_TMPFILE && getenv("OMS_NO_TMPFILE")) {
		errno = EOPNOTSUPP;
		return -1;
	}
	if ((flags & O_CREAT) || (flags & O_TMPFILE) == O_TMPFILE)
		mode = va_arg(ap, mode_t);
#else
	if (flags & O_CREAT)
		mode = va_arg(ap, mode_t);
#endif
	return real(path, flags, mode);
}

int
open(const char *path, int flags, ...)
{
	va_list ap;
	int r;

	va_start(ap, flags);
	r = open_as("open", path, flags, ap);
	va_end(ap);
	return r;
}

int
open64(const char *path, int flags, ...)
{
	va_list ap;
	int r;

	va_start(ap, flags);
	r = open_as("open64", path, flags, ap);
	va_end(ap);
	return r;
}
