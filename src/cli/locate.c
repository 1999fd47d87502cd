/* locate.c: where the scenarios are when no file is given (locate.h). A
 * lecturer may start the program from anywhere: the source tree's binary,
 * an installed one, or a copy of an install moved elsewhere. */
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/locate.h"

#define MAX_PLACES 4

/* The folder the running binary is in, "" when unknown. */
static void exe_folder(const char *argv0, char *out /* (PATH_MAX) */)
{
	char buf[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", buf, sizeof buf - 1);
	out[0] = '\0';
	if (n > 0) {
		buf[n] = '\0';
	} else if (!argv0 || !strchr(argv0, '/') || !realpath(argv0, buf)) {
		return; /* found through PATH: only /proc knows where */
	}
	char *slash = strrchr(buf, '/');
	if (slash) {
		*slash = '\0';
		snprintf(out, PATH_MAX, "%s", buf[0] ? buf : "/");
	}
}

/* Adds dir/ *.ini to g (sorted within the folder). Returns how many. */
static size_t add_folder(const char *dir, glob_t *g, bool append)
{
	char pat[PATH_MAX + 8], real[PATH_MAX];
	size_t before = g->gl_pathc;
	if (dir[0] == '/' && realpath(dir, real)) /* "/usr/bin/../share/...": say /usr/share/... */
		dir = real;
	if (snprintf(pat, sizeof pat, "%s/*.ini", dir) >= (int)sizeof pat)
		return 0;
	if (glob(pat, append ? GLOB_APPEND : 0, NULL, g) != 0)
		return 0;
	return g->gl_pathc - before;
}

int locate_scenarios(const char *argv0, const char *datadir, const struct settings *s, glob_t *g, char *msg,
		     size_t len)
{
	char exe[PATH_MAX], places[MAX_PLACES][PATH_MAX + 32];
	exe_folder(argv0, exe);
	int n = 0;
	snprintf(places[n++], sizeof places[0], "scenarios");
	if (exe[0]) {
		snprintf(places[n++], sizeof places[0], "%s/scenarios", exe);
		snprintf(places[n++], sizeof places[0], "%s/../share/overparam/scenarios", exe);
	}
	snprintf(places[n++], sizeof places[0], "%s/scenarios", datadir);
	bool found = false, used = false;
	memset(g, 0, sizeof *g);
	for (int i = 0; i < n && !found; i++)
		found = add_folder(places[i], g, false) > 0;
	used = found;
	for (int i = 0; i < s->n_dirs; i++)
		used = add_folder(s->dirs[i], g, used) > 0 || used;
	if (used)
		return 0;
	globfree(g);
	int m = snprintf(msg, len, "overparam: no scenario files given, and none found in ./scenarios");
	for (int i = 1; i < n && m > 0 && (size_t)m < len; i++)
		m += snprintf(msg + m, len - (size_t)m, ", %s", places[i]);
	for (int i = 0; i < s->n_dirs && m > 0 && (size_t)m < len; i++)
		m += snprintf(msg + m, len - (size_t)m, ", %s", s->dirs[i]);
	return -1;
}
