/* csv.c: the one CSV writer (csv.h): whole rows into a buffer, the buffer
 * into a temporary file, the file into place only when it is whole. */
#include "overparam/csv.h"

#include <errno.h>
#include <fcntl.h>
#include <float.h>
#include <math.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

/* The most tries for a free temporary name or a free final name. */
#define CSV_MAX_TRIES 10000
/* ",epoch,index,value\n" at most: two 10-digit numbers, a 31-byte value */
#define ROW_NUMBERS ((size_t)64)

static int fail(struct csv_out *w, const char *what, int err)
{
	if (w->err == 0) {
		w->err = err ? err : EIO;
		w->what = what;
	}
	return -1;
}

/* A name into buf (PATH_MAX), or ENAMETOOLONG: never cut. */
static int name_into(struct csv_out *w, char *buf, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int name_into(struct csv_out *w, char *buf, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(buf, PATH_MAX, fmt, ap);
	va_end(ap);
	if (n < 0 || n >= PATH_MAX) {
		buf[0] = 0;
		return fail(w, "cannot write", ENAMETOOLONG);
	}
	return 0;
}

static void start(struct csv_out *w, enum csv_mode mode)
{
	w->mode = mode;
	w->fd = -1;
	w->own_fd = false;
	w->err = 0;
	w->what = NULL;
	w->rows = 0;
	w->used = 0;
	w->path[0] = w->tmp[0] = 0;
}

/* "/" when dir does not end in one. */
static const char *sep_after(const char *dir)
{
	return dir[0] && dir[strlen(dir) - 1] == '/' ? "" : "/";
}

/* The directory part of path into dir ("." when there is none). */
static int dir_of(struct csv_out *w, const char *path, char *dir /* (PATH_MAX) */)
{
	const char *slash = strrchr(path, '/');
	if (!slash)
		return name_into(w, dir, ".");
	int n = slash == path ? 1 : (int)(slash - path);
	return name_into(w, dir, "%.*s", n, path);
}

/* A fresh temporary file in dir: O_EXCL, so never one another writer (or
 * this one, on another thread) holds. */
static int open_tmp(struct csv_out *w, const char *dir)
{
	static atomic_ulong seq;
	for (int i = 0; i < CSV_MAX_TRIES; i++) {
		unsigned long k = atomic_fetch_add(&seq, 1);
		if (name_into(w, w->tmp, "%s%s.overparam-%ld-%lu.tmp", dir, sep_after(dir), (long)getpid(), k) != 0)
			return -1;
		w->fd = open(w->tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
		if (w->fd >= 0) {
			w->own_fd = true;
			return 0;
		}
		if (errno != EEXIST)
			break;
	}
	int e = errno;
	w->tmp[0] = 0;
	return fail(w, "cannot write", e);
}

static void put_header(struct csv_out *w)
{
	memcpy(w->buf, CSV_HEADER, sizeof CSV_HEADER - 1);
	w->used = sizeof CSV_HEADER - 1;
}

int csv_open_path(struct csv_out *w, const char *path)
{
	start(w, CSV_REPLACE);
	if (strcmp(path, "-") == 0) {
		w->mode = CSV_STREAM;
		w->fd = STDOUT_FILENO;
		snprintf(w->path, sizeof w->path, "standard output");
		put_header(w);
		return 0;
	}
	if (name_into(w, w->path, "%s", path) != 0)
		return -1;
	struct stat st;
	bool exists = stat(path, &st) == 0;
	/* a file made read-only is not replaced behind its back */
	if (exists && S_ISREG(st.st_mode) && access(path, W_OK) != 0)
		return fail(w, "cannot write", errno);
	if (exists && !S_ISREG(st.st_mode)) {
		if (S_ISDIR(st.st_mode))
			return fail(w, "cannot write", EISDIR);
		w->mode = CSV_STREAM;
		w->fd = open(path, O_WRONLY | O_CLOEXEC | O_NOCTTY);
		if (w->fd < 0)
			return fail(w, "cannot write", errno);
		w->own_fd = true;
		put_header(w);
		return 0;
	}
	if (!path[0] || path[strlen(path) - 1] == '/')
		return fail(w, "cannot write", path[0] ? EISDIR : ENOENT);
	char dir[PATH_MAX];
	if (dir_of(w, path, dir) != 0 || open_tmp(w, dir) != 0)
		return -1;
	put_header(w);
	return 0;
}

int csv_open_new(struct csv_out *w, const char *dir, const char *name)
{
	start(w, CSV_UNIQUE);
	bool here = !dir || !*dir; /* the current directory: names without "./" */
	const char *sep = here ? "" : sep_after(dir);
	if (here)
		dir = "";
	/* room for the longest name csv_close may give it */
	if (name_into(w, w->path, "%s%s%s-%d.csv", dir, sep, name, CSV_MAX_TRIES) != 0)
		return -1;
	name_into(w, w->path, "%s%s%s", dir, sep, name);
	if (open_tmp(w, here ? "." : dir) != 0)
		return -1;
	put_header(w);
	return 0;
}

/* ---- rows ---- */

void csv_format_value(char *buf, size_t len, double v)
{
	/* (float)v is undefined outside float's range: test that first. */
	bool is_float = isfinite(v) && fabs(v) <= FLT_MAX && (double)(float)v == v;
	snprintf(buf, len, is_float ? "%.9g" : "%.17g", v);
}

/* A field at p, quoted when it holds a comma, a quote, CR or LF (RFC
 * 4180). Room for 2 * strlen(s) + 2 bytes. Returns the bytes put. */
static size_t put_field(char *p, const char *s)
{
	bool quote = strpbrk(s, ",\"\r\n") != NULL;
	char *q = p;
	if (quote)
		*q++ = '"';
	for (; *s; s++) {
		if (*s == '"')
			*q++ = '"';
		*q++ = *s;
	}
	if (quote)
		*q++ = '"';
	return (size_t)(q - p);
}

void csv_row(struct csv_out *w, const char *scenario, const char *series, const char *metric, uint32_t epoch,
	     uint32_t index, double value)
{
	if (w->err)
		return;
	/* fields at worst doubled and quoted, two commas, then the numbers */
	size_t need = 2 * (strlen(scenario) + strlen(series) + strlen(metric)) + 6 + 2 + ROW_NUMBERS;
	if (need > sizeof w->buf) {
		fail(w, "error writing", ENAMETOOLONG);
		return;
	}
	if (w->used + need > sizeof w->buf && csv_flush(w) != 0)
		return;
	char *p = w->buf + w->used, *p0 = p;
	p += put_field(p, scenario);
	*p++ = ',';
	p += put_field(p, series);
	*p++ = ',';
	p += put_field(p, metric);
	char num[32];
	csv_format_value(num, sizeof num, value);
	p += snprintf(p, ROW_NUMBERS, ",%u,%u,%s\n", epoch, index, num);
	w->used += (size_t)(p - p0);
	w->rows++;
}

int csv_flush(struct csv_out *w)
{
	if (w->err)
		return -1;
	size_t off = 0;
	while (off < w->used) {
		ssize_t n = write(w->fd, w->buf + off, w->used - off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return fail(w, "error writing", n < 0 ? errno : EIO);
		off += (size_t)n;
	}
	w->used = 0;
	return 0;
}

/* ---- the end ---- */

void csv_abort(struct csv_out *w)
{
	if (w->fd >= 0 && w->own_fd)
		close(w->fd);
	w->fd = -1;
	if (w->tmp[0])
		unlink(w->tmp);
	w->tmp[0] = 0;
	if (!w->err)
		fail(w, "not written", ECANCELED);
}

/* The renamed file's directory entry on disk too. Some file systems
 * cannot fsync a directory (EINVAL): nothing to report then. */
static int sync_dir(struct csv_out *w)
{
	char dir[PATH_MAX];
	if (dir_of(w, w->path, dir) != 0)
		return -1;
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	int rc = fsync(fd) != 0 && errno == EIO ? fail(w, "error writing", EIO) : 0;
	close(fd);
	return rc;
}

/* CSV_UNIQUE: the first free NAME.csv, NAME-2.csv, ...: an empty file of
 * that name made with O_EXCL is ours, and the rename replaces only it. */
static int rename_unique(struct csv_out *w)
{
	char base[PATH_MAX], name[PATH_MAX];
	memcpy(base, w->path, sizeof base);
	for (int k = 1; k <= CSV_MAX_TRIES; k++) {
		int rc = k == 1 ? name_into(w, name, "%s.csv", base) : name_into(w, name, "%s-%d.csv", base, k);
		if (rc != 0)
			return -1;
		int fd = open(name, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
		if (fd < 0 && errno == EEXIST)
			continue;
		if (fd < 0)
			return fail(w, "cannot write", errno);
		close(fd);
		if (rename(w->tmp, name) != 0) {
			int e = errno;
			unlink(name);
			return fail(w, "cannot write", e);
		}
		memcpy(w->path, name, sizeof name);
		return 0;
	}
	return fail(w, "cannot write", EEXIST);
}

int csv_close(struct csv_out *w)
{
	csv_flush(w);
	if (w->mode == CSV_STREAM) {
		if (w->own_fd && w->fd >= 0 && close(w->fd) != 0)
			fail(w, "error writing", errno);
		w->fd = -1;
		return w->err ? -1 : 0;
	}
	if (!w->err && fsync(w->fd) != 0)
		fail(w, "error writing", errno);
	if (!w->err && close(w->fd) != 0)
		fail(w, "error writing", errno);
	else if (w->err)
		close(w->fd);
	w->fd = -1;
	if (!w->err) {
		if (w->mode == CSV_UNIQUE)
			rename_unique(w);
		else if (rename(w->tmp, w->path) != 0)
			fail(w, "cannot write", errno);
	}
	if (w->err) {
		csv_abort(w);
		return -1;
	}
	w->tmp[0] = 0;
	return sync_dir(w);
}

const char *csv_reason(const struct csv_out *w)
{
	return strerror(w->err ? w->err : EIO);
}

/* ---- what --csv must leave alone ---- */

bool csv_refuses(const char *path, const char *const *inputs, int n, char *msg, size_t len)
{
	size_t pl = strlen(path);
	if (pl >= 4 && strcasecmp(path + pl - 4, ".ini") == 0) {
		snprintf(msg, len, "%s ends in .ini: will not overwrite a scenario file (a glob after --csv?)", path);
		return true;
	}
	struct stat out, in;
	if (strcmp(path, "-") == 0 || stat(path, &out) != 0)
		return false;
	for (int i = 0; i < n; i++)
		if (stat(inputs[i], &in) == 0 && in.st_dev == out.st_dev && in.st_ino == out.st_ino) {
			snprintf(msg, len, "%s is the scenario file %s: will not overwrite an input", path, inputs[i]);
			return true;
		}
	return false;
}
