/* scenario.c: the entry points: INI scenario files (or text in memory)
 * into a validated struct scenario. See parse.h for the modules behind them.
 *
 * Parsing runs under the "C" locale (uselocale), so a comma-decimal locale
 * set by the UI can neither break "0.01" nor change the messages. */
#include <errno.h>
#include <fcntl.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config/parse.h"

/* The file, then --set, then the checks, then the knobs (which need a
 * valid file to check their values against). */
static int parse_source(struct pstate *ps)
{
	reader_read(ps);
	if (!ps->failed)
		knobs_apply_sets(ps);
	if (!ps->failed)
		validate_scenario(ps);
	if (!ps->failed)
		knobs_resolve_all(ps);
	free(ps->before_sets);
	ps->before_sets = NULL;
	return ps->failed ? -1 : 0;
}

static void pstate_init(struct pstate *ps, const char *name, struct scenario *sc, char *err, size_t errlen)
{
	memset(ps, 0, sizeof *ps);
	ps->sc = sc;
	ps->name = name ? name : "(scenario)";
	ps->err = err;
	ps->errlen = errlen;
	ps->pend = -1;
	ps->knob_pend = -1;
	if (err && errlen)
		err[0] = '\0';
	keys_set_defaults(sc);
	snprintf(sc->path, sizeof sc->path, "%s", ps->name);
}

/* "NAME: out of memory", before there is a parse to record it. */
static void fail_oom(char *err /* (errlen) */, size_t errlen, const char *name)
{
	char raw[SCENARIO_ERR_LEN];
	snprintf(raw, sizeof raw, "%s: out of memory", name);
	config_escape(err, errlen, raw);
}

/* Switches this thread to the "C" locale; leave_c_locale switches back. */
locale_t locale_enter_c(locale_t *old)
{
	locale_t c = newlocale(LC_ALL_MASK, "C", (locale_t)0);
	*old = c ? uselocale(c) : (locale_t)0;
	return c;
}

void locale_leave_c(locale_t c, locale_t old)
{
	if (c) {
		uselocale(old);
		freelocale(c);
	}
}

int scenario_parse(const char *text, size_t len, const char *name, struct scenario *sc, char *err, size_t errlen)
{
	return scenario_parse_sets(text, len, name, NULL, 0, sc, err, errlen);
}

int scenario_parse_sets(const char *text, size_t len, const char *name, const char *const *sets, int n_sets,
			struct scenario *sc, char *err, size_t errlen)
{
	/* Large: the pending value and line buffers. */
	struct pstate *ps = malloc(sizeof *ps);
	if (!ps) {
		if (err && errlen)
			fail_oom(err, errlen, name ? name : "(scenario)");
		return -1;
	}
	locale_t old, c = locale_enter_c(&old);
	pstate_init(ps, name, sc, err, errlen);
	ps->sets = sets;
	ps->n_sets = sets ? n_sets : 0;
	ps->src.mem = (const unsigned char *)(text ? text : "");
	ps->src.len = text ? len : 0;
	int rc = parse_source(ps);
	locale_leave_c(c, old);
	free(ps);
	return rc;
}

int scenario_load(const char *path, struct scenario *sc, char *err, size_t errlen)
{
	return scenario_load_sets(path, NULL, 0, sc, err, errlen);
}

/* "is a pipe or FIFO, not a regular file", or NULL for a regular file. */
static const char *not_regular(mode_t mode)
{
	if (S_ISREG(mode))
		return NULL;
	if (S_ISDIR(mode))
		return "is a directory";
	if (S_ISFIFO(mode))
		return "is a pipe or FIFO, not a regular file";
	if (S_ISCHR(mode))
		return "is a character device, not a regular file";
	if (S_ISBLK(mode))
		return "is a block device, not a regular file";
	if (S_ISSOCK(mode))
		return "is a socket, not a regular file";
	return "is not a regular file";
}

/* Opens a scenario file for reading, or fails. Only a regular file is read:
 * a FIFO with no writer would block, /dev/zero or a pipe from `yes` would
 * never end. stat() first, so nothing is opened that could block; then the
 * open itself does not block (O_NONBLOCK) and fstat() checks what was
 * opened, in case the path changed in between. */
static FILE *open_regular(struct pstate *ps, const char *path)
{
	struct stat st;
	const char *why;
	if (stat(path, &st) != 0) {
		parse_fail(ps, 0, -1, "cannot open: %s", strerror(errno));
		return NULL;
	}
	if ((why = not_regular(st.st_mode))) {
		parse_fail(ps, 0, -1, "%s", why);
		return NULL;
	}
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
	if (fd < 0) {
		parse_fail(ps, 0, -1, "cannot open: %s", strerror(errno));
		return NULL;
	}
	int flags;
	FILE *fp = NULL;
	if (fstat(fd, &st) != 0 || (flags = fcntl(fd, F_GETFL)) < 0 || fcntl(fd, F_SETFL, flags & ~O_NONBLOCK) < 0)
		parse_fail(ps, 0, -1, "cannot read: %s", strerror(errno));
	else if ((why = not_regular(st.st_mode)))
		parse_fail(ps, 0, -1, "%s", why);
	else if (!(fp = fdopen(fd, "rb")))
		parse_fail(ps, 0, -1, "cannot open: %s", strerror(errno));
	if (!fp)
		close(fd);
	return fp;
}

int scenario_load_sets(const char *path, const char *const *sets, int n_sets, struct scenario *sc, char *err,
		       size_t errlen)
{
	struct pstate *ps = malloc(sizeof *ps);
	if (!ps) {
		if (err && errlen)
			fail_oom(err, errlen, path);
		return -1;
	}
	locale_t old, c = locale_enter_c(&old);
	pstate_init(ps, path, sc, err, errlen);
	ps->sets = sets;
	ps->n_sets = sets ? n_sets : 0;
	int rc = -1;
	FILE *fp = open_regular(ps, path);
	if (fp) {
		ps->src.fp = fp;
		rc = parse_source(ps);
		fclose(fp);
	}
	locale_leave_c(c, old);
	free(ps);
	return rc;
}
