/* outfile.c: a run's outputs go in place together, atomically, or not at all. */
/* O_TMPFILE and linkat's AT_SYMLINK_FOLLOW are Linux's. */
#define _GNU_SOURCE

#include "outfile.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#define OUT_BUFSIZE (1u << 20)
#define MAX_LINKS 40 /* as the kernel's own limit on a chain of symbolic links */

/*
 * Who a file is: the file itself (device and inode), and for an output the
 * folder entry it takes. A terminal or /dev/null may be shared: nothing is
 * kept there to overwrite.
 */
struct file_id {
	bool exists, shareable;
	dev_t dev;
	ino_t ino;
	dev_t dir_dev;
	ino_t dir_ino;
	char *base; /* the entry's name in its folder; NULL for an input */
};

/* A file of the run: an output (out set) or an input. */
struct claim {
	struct file_id id;
	struct outfile *out;
	char *name; /* for messages: "-O out.ndjson", "inv.csv" */
};

static struct {
	struct claim *v;
	size_t n, cap;
	size_t held; /* descriptors held by output files (not standard output) */
	bool at_exit, on_signal;
} run;

static const int cleanup_signals[] = {
    SIGHUP, SIGINT, SIGQUIT, SIGTERM, SIGPIPE, SIGALRM, SIGXFSZ};

/* ---- signals: a named temporary file never outlives the process ---- */

static void
remove_temps(int sig)
{
	for (size_t i = 0; i < run.n; i++)
		if (run.v[i].out && run.v[i].out->tmp)
			unlink(run.v[i].out->tmp);
	signal(sig, SIG_DFL);
	raise(sig);
}

/* Handle the signals that end a process, except those it was told to ignore (nohup). */
static void
catch_signals(void)
{
	struct sigaction sa, old;

	if (run.on_signal)
		return;
	run.on_signal = true;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = remove_temps;
	sigfillset(&sa.sa_mask);
	for (size_t i = 0; i < sizeof cleanup_signals / sizeof *cleanup_signals; i++)
		if (sigaction(cleanup_signals[i], NULL, &old) == 0 &&
		    old.sa_handler != SIG_IGN)
			sigaction(cleanup_signals[i], &sa, NULL);
}

/* The registry is changed with those signals held, so the handler sees it whole. */
static void
hold_signals(bool hold, sigset_t *saved)
{
	sigset_t set;

	if (!hold) {
		sigprocmask(SIG_SETMASK, saved, NULL);
		return;
	}
	sigemptyset(&set);
	for (size_t i = 0; i < sizeof cleanup_signals / sizeof *cleanup_signals; i++)
		sigaddset(&set, cleanup_signals[i]);
	sigprocmask(SIG_BLOCK, &set, saved);
}

/* ---- names ---- */

/* The folder of path, "." when it names none. */
static char *
dir_of(const char *path)
{
	const char *slash = strrchr(path, '/');

	if (!slash)
		return xstrdup(".");
	if (slash == path)
		return xstrdup("/");
	return xstrndup(path, (size_t)(slash - path));
}

static const char *
base_of(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash ? slash + 1 : path;
}

/*
 * The file a user's path names: a symbolic link stays one, so it is
 * followed to the file it names, which need not exist yet (a dangling link
 * gets its file). NULL with err for a loop.
 */
static char *
follow_links(const char *path, struct buf *err)
{
	char *p = xstrdup(path);
	struct stat st;

	for (int hops = 0; hops < MAX_LINKS; hops++) {
		struct buf next = {0};
		char target[PATH_MAX];
		ssize_t n;

		if (lstat(p, &st) != 0 || !S_ISLNK(st.st_mode) ||
		    (n = readlink(p, target, sizeof target - 1)) < 0)
			return p;
		target[n] = '\0';
		if (target[0] == '/' || !strchr(p, '/')) {
			buf_adds(&next, target);
		} else {
			char *dir = dir_of(p);

			buf_printf(&next, "%s/%s", dir, target);
			free(dir);
		}
		free(p);
		p = next.p;
	}
	buf_printf(err, "%s: %s", path, strerror(ELOOP));
	free(p);
	return NULL;
}

/* ---- who a file is, and which files may not be the same ---- */

static void
id_from_stat(struct file_id *id, const struct stat *st)
{
	id->exists = true;
	id->dev = st->st_dev;
	id->ino = st->st_ino;
	id->shareable = S_ISCHR(st->st_mode);
}

static bool
same_file(const struct file_id *a, const struct file_id *b)
{
	if (a->exists && b->exists && a->dev == b->dev && a->ino == b->ino)
		return !a->shareable;
	return a->base && b->base && a->dir_dev == b->dir_dev &&
	    a->dir_ino == b->dir_ino && strcmp(a->base, b->base) == 0;
}

/* Refuse a file that is an output of the run already, or (for an output) one it reads. */
static bool
check_claim(const struct claim *c, struct buf *err)
{
	for (size_t i = 0; i < run.n; i++) {
		const struct claim *o = &run.v[i];

		if ((!c->out && !o->out) || !same_file(&c->id, &o->id))
			continue;
		if (c->out && o->out)
			buf_printf(err, "%s and %s are the same file: name another",
			    o->name, c->name);
		else
			buf_printf(err,
			    "%s is a file the run reads (%s): write the output elsewhere",
			    c->out ? c->name : o->name, c->out ? o->name : c->name);
		return false;
	}
	return true;
}

static void
add_claim(struct claim *c)
{
	sigset_t saved;

	hold_signals(true, &saved);
	run.v = xgrow(run.v, &run.cap, run.n + 1, sizeof *run.v, 8);
	run.v[run.n++] = *c;
	hold_signals(false, &saved);
}

static void
claim_free(struct claim *c)
{
	free(c->id.base);
	free(c->name);
}

bool
of_input(const char *path, struct buf *err)
{
	bool is_stdin = strcmp(path, "-") == 0;
	struct claim c = {0};
	struct stat st;

	if ((is_stdin ? fstat(STDIN_FILENO, &st) : stat(path, &st)) != 0)
		return true; /* opening it says what is wrong */
	id_from_stat(&c.id, &st);
	c.name = xstrdup(is_stdin ? "standard input" : path);
	if (!check_claim(&c, err)) {
		claim_free(&c);
		return false;
	}
	add_claim(&c);
	return true;
}

/* ---- opening ---- */

static void
abort_at_exit(void)
{
	of_abort_all();
}

/* Linux gives a file no name until it is finished, if /proc can name it then. */
static bool
unnamed_files_work(void)
{
#ifdef O_TMPFILE
	return access("/proc/self/fd", X_OK) == 0;
#else
	return false;
#endif
}

/* New files get the mode of any ordinary file the user creates (0666 less umask). */
static void
default_mode(int fd)
{
	mode_t mask = umask(0);

	umask(mask);
	fchmod(fd, 0666 & ~mask);
}

/* A file in dir, with no name if the system allows, else hidden and removed by a signal. */
static bool
make_temp(struct outfile *o, const char *dir, const char *base, struct buf *err)
{
	struct buf t = {0};
	sigset_t saved;

#ifdef O_TMPFILE
	if (unnamed_files_work()) {
		o->fd = open(dir, O_TMPFILE | O_WRONLY | O_CLOEXEC, 0666);
		if (o->fd >= 0)
			return true;
		if (errno != EOPNOTSUPP && errno != EISDIR && errno != EINVAL)
			goto fail;
	}
#endif
	buf_printf(&t, "%s/.%s.XXXXXX", dir, base);
	catch_signals();
	hold_signals(true, &saved);
	o->tmp = t.p;
	if ((o->fd = mkstemp(o->tmp)) < 0) {
		free(o->tmp);
		o->tmp = NULL;
	}
	hold_signals(false, &saved);
	if (o->fd >= 0) {
		default_mode(o->fd);
		return true;
	}
#ifdef O_TMPFILE
fail:
#endif
	buf_printf(
	    err, "%s/%s: cannot create a file beside it: %s", dir, base, strerror(errno));
	return false;
}

/* An output as messages name it: its option and the path given. */
static char *
name_of(const char *label, const char *path)
{
	struct buf name = {0};

	buf_printf(&name, "%s %s", label, path);
	return name.p;
}

/*
 * Standard output: written as the run goes, so only its flush can fail
 * later. It is an output like the others when it is a file or a pipe.
 */
static bool
open_stdout(struct outfile *o, struct claim *c, const char *path)
{
	/* glibc sizes a buffer it allocates itself by the block size, whatever is asked. */
	static char stdout_buf[OUT_BUFSIZE];
	struct stat st;

	o->f = stdout;
	o->fd = STDOUT_FILENO;
	setvbuf(stdout, stdout_buf, _IOFBF, sizeof stdout_buf);
	if (fstat(STDOUT_FILENO, &st) == 0)
		id_from_stat(&c->id, &st);
	c->name = path ? name_of(o->label, path) : xstrdup("standard output");
	return true;
}

/*
 * Only a regular file (or a new one) is replaced: a device, a FIFO or a
 * terminal (/dev/null, /dev/stderr) is written where it is, never swapped
 * for a file. So is anything under /dev and /proc: /dev/stderr redirected
 * to a file is a link to a regular file, and the link must not be replaced.
 */
static bool
written_in_place(const struct outfile *o, const char *path, const char *target)
{
	struct stat st;

	if (o->flags & OF_OWN_NAME)
		return false;
	return strncmp(path, "/dev/", 5) == 0 || strncmp(path, "/proc/", 6) == 0 ||
	    (stat(target, &st) == 0 && !S_ISREG(st.st_mode));
}

/* Who path's output is; false with err when its folder is not there. */
static bool
identify_output(struct outfile *o, struct claim *c, struct buf *err)
{
	char *dir;
	struct stat st;

	if (o->in_place) {
		if (stat(o->path, &st) == 0)
			id_from_stat(&c->id, &st);
		return true;
	}
	/* A name of the tool's own is the entry, a link not followed. */
	if (((o->flags & OF_OWN_NAME) ? lstat(o->path, &st) : stat(o->path, &st)) == 0)
		id_from_stat(&c->id, &st);
	dir = dir_of(o->path);
	if (stat(dir, &st) != 0) {
		buf_printf(err, "%s: cannot create a file beside it: %s", o->path,
		    strerror(errno));
		free(dir);
		return false;
	}
	c->id.dir_dev = st.st_dev;
	c->id.dir_ino = st.st_ino;
	c->id.base = xstrdup(base_of(o->path));
	free(dir);
	return true;
}

static bool
open_file(struct outfile *o, struct claim *c, const char *path, struct buf *err)
{
	char *dir;

	if (!(o->path =
		    (o->flags & OF_OWN_NAME) ? xstrdup(path) : follow_links(path, err)))
		return false;
	o->in_place = written_in_place(o, path, o->path);
	if (o->in_place) {
		free(o->path);
		o->path = xstrdup(path);
	}
	c->name = name_of(o->label, path);
	if (!identify_output(o, c, err) || !check_claim(c, err))
		return false;
	if (o->in_place) {
		if (!(o->f = fopen(o->path, "wb"))) {
			buf_printf(err, "%s: %s", o->path, strerror(errno));
			return false;
		}
		o->fd = fileno(o->f);
		return true;
	}
	dir = dir_of(o->path);
	if (!make_temp(o, dir, base_of(o->path), err)) {
		free(dir);
		return false;
	}
	free(dir);
	run.held++;
	if (!(o->f = fdopen(o->fd, "wb"))) {
		buf_printf(err, "%s: %s", o->path, strerror(errno));
		return false;
	}
	return true;
}

/* Close and unlink whatever o holds; nothing is replaced. */
static void
drop(struct outfile *o)
{
	sigset_t saved;

	if (o->f == stdout)
		fflush(stdout);
	else if (o->f)
		fclose(o->f);
	else if (o->fd >= 0)
		close(o->fd);
	if (o->fd >= 0 && o->f != stdout && !o->in_place)
		run.held--;
	o->f = NULL;
	o->fd = -1;
	hold_signals(true, &saved);
	if (o->tmp)
		unlink(o->tmp);
	free(o->tmp);
	o->tmp = NULL;
	hold_signals(false, &saved);
}

struct outfile *
of_open(const char *label, const char *path, unsigned flags, struct buf *err)
{
	struct outfile *o = xcalloc(1, sizeof *o);
	struct claim c = {0};
	bool ok;

	o->label = label;
	o->flags = flags;
	o->fd = -1;
	c.out = o;
	if (!run.at_exit) {
		atexit(abort_at_exit);
		run.at_exit = true;
	}
	if (!path || strcmp(path, "-") == 0)
		ok = open_stdout(o, &c, path) && check_claim(&c, err);
	else
		ok = open_file(o, &c, path, err);
	if (!ok) {
		drop(o);
		free(o->path);
		free(o);
		claim_free(&c);
		return NULL;
	}
	add_claim(&c);
	return o;
}

/* ---- finishing ---- */

/* Note o's first failure in err (the run reports one). */
static bool
fail(struct outfile *o, struct buf *err, const char *what)
{
	int e = errno ? errno : EIO;

	o->failed = true;
	if (err->len == 0)
		buf_printf(err, "%s: %s%s", o->path ? o->path : "standard output", what,
		    strerror(e));
	return false;
}

/* The descriptors finished outputs may hold before they are let go: room is left for inputs. */
static size_t
descriptor_budget(void)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) != 0 || rl.rlim_cur == RLIM_INFINITY)
		return 256;
	return (size_t)rl.rlim_cur / 4;
}

/* Give an unnamed file its hidden name beside the target, so it can be closed and renamed. */
static bool
give_name(struct outfile *o, struct buf *err)
{
	static unsigned counter;
	char proc[64], *dir;
	struct buf t = {0};
	sigset_t saved;
	int e = 0;

	if (o->tmp)
		return true;
	snprintf(proc, sizeof proc, "/proc/self/fd/%d", o->fd);
	dir = dir_of(o->path);
	catch_signals();
	for (int tries = 0; tries < 100 && !o->tmp; tries++) {
		buf_reset(&t);
		buf_printf(&t, "%s/.%s.%ld.%u", dir, base_of(o->path), (long)getpid(),
		    counter++);
		hold_signals(true, &saved);
		if (linkat(AT_FDCWD, proc, AT_FDCWD, t.p, AT_SYMLINK_FOLLOW) == 0) {
			o->tmp = t.p;
			t.p = NULL;
		}
		e = errno;
		hold_signals(false, &saved);
		if (!o->tmp && e != EEXIST)
			break;
	}
	free(dir);
	buf_free(&t);
	errno = e;
	return o->tmp || fail(o, err, "cannot name the new file: ");
}

/* Named and closed: what is left is the rename. */
static bool
seal(struct outfile *o, struct buf *err)
{
	bool ok;

	if (!o->f || o->f == stdout || o->in_place)
		return !o->failed;
	if (!give_name(o, err)) {
		drop(o);
		return false;
	}
	ok = fclose(o->f) == 0;
	o->f = NULL;
	o->fd = -1;
	run.held--;
	return ok || fail(o, err, "");
}

bool
of_done(struct outfile *o, struct buf *err)
{
	if (o->done)
		return !o->failed;
	o->done = true;
	if (fflush(o->f) != 0 || ferror(o->f))
		return fail(o, err, "");
	if (o->f == stdout)
		return true;
	if (o->in_place) {
		bool ok = fclose(o->f) == 0;

		o->f = NULL;
		o->fd = -1;
		return ok || fail(o, err, "");
	}
	if (fsync(o->fd) != 0)
		return fail(o, err, "");
	return run.held <= descriptor_budget() || seal(o, err);
}

/* ---- going in place ---- */

/* A hard link to the file path names now, to put back if a later rename fails; NULL if none. */
/* What stood at an output's target before it went in place. */
struct old_file {
	bool existed;
	char *link; /* a hard link to it, NULL when none could be made */
};

static struct old_file
keep_old(const char *path)
{
	struct old_file old = {0};
	struct stat st;
	char *dir;
	struct buf t = {0};

	if (lstat(path, &st) != 0)
		return old;
	old.existed = true;
	dir = dir_of(path);
	buf_printf(&t, "%s/.%s.%ld.old", dir, base_of(path), (long)getpid());
	free(dir);
	unlink(t.p);
	if (linkat(AT_FDCWD, path, AT_FDCWD, t.p, 0) == 0)
		old.link = t.p;
	else
		buf_free(&t);
	return old;
}

/* Put back what stood at path; a file that replaced one with no link kept must stay. */
static void
restore_old(const char *path, struct old_file *old)
{
	if (old->link)
		rename(old->link, path);
	else if (!old->existed)
		unlink(path);
	free(old->link);
	old->link = NULL;
}

/*
 * Rename each file over its target. When one rename fails, the ones before
 * it are undone (the old file linked back, or a new one removed), so a run
 * replaces all its files or none.
 */
static bool
put_in_place(struct outfile **v, size_t n, struct buf *err)
{
	struct old_file *old = xcalloc(n + 1, sizeof *old);
	size_t i;
	bool ok = true;

	for (i = 0; i < n; i++) {
		old[i] = keep_old(v[i]->path);
		if (rename(v[i]->tmp, v[i]->path) != 0) {
			ok = fail(v[i], err, "cannot put it in place: ");
			break;
		}
		free(v[i]->tmp);
		v[i]->tmp = NULL;
	}
	/* The failed one's target is as it was; the ones before it are put back. */
	if (!ok)
		while (i-- > 0)
			restore_old(v[i]->path, &old[i]);
	for (i = 0; i < n; i++) {
		if (old[i].link)
			unlink(old[i].link);
		free(old[i].link);
	}
	free(old);
	return ok;
}

static void
release_all(void)
{
	sigset_t saved;

	hold_signals(true, &saved);
	for (size_t i = 0; i < run.n; i++) {
		struct outfile *o = run.v[i].out;

		if (o) {
			drop(o);
			free(o->path);
			free(o);
		}
		claim_free(&run.v[i]);
	}
	free(run.v);
	run.v = NULL;
	run.n = run.cap = 0;
	run.held = 0;
	hold_signals(false, &saved);
}

bool
of_commit_all(bool keep, struct buf *err)
{
	struct outfile **place = xcalloc(run.n + 1, sizeof *place);
	size_t nplace = 0;
	bool written = true, placed;
	sigset_t saved;

	for (size_t i = 0; i < run.n; i++) {
		struct outfile *o = run.v[i].out;

		if (o && (!of_done(o, err) || !seal(o, err)))
			written = false;
	}
	hold_signals(true, &saved);
	for (size_t i = 0; i < run.n; i++) {
		struct outfile *o = run.v[i].out;

		if (!o)
			continue;
		if (!written || !((o->flags & OF_DIAGNOSTIC) || keep))
			drop(o);
		else if (o->tmp)
			place[nplace++] = o;
	}
	placed = put_in_place(place, nplace, err);
	hold_signals(false, &saved);
	free(place);
	release_all();
	return written && placed;
}

void
of_abort_all(void)
{
	release_all();
}
