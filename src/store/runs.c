/* runs.c: `overparam --runs` (and `--runs --json`): the stored runs,
 * newest first, read-only (a recording in another process goes on). */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "overparam/store.h"
#include "store/db.h"

#define LIST_SQL                                                                                          \
	"SELECT id, started, scenario, seed, knobs, status, epochs, planned, headline, records, title, kind," \
	" sets, mode, version, ended, pid, host FROM run ORDER BY id DESC"

enum { C_ID, C_STARTED, C_SCENARIO, C_SEED, C_KNOBS, C_STATUS, C_EPOCHS, C_PLANNED, C_HEADLINE, C_RECORDS,
       C_TITLE, C_KIND, C_SETS, C_MODE, C_VERSION, C_ENDED, C_COUNT, C_PID = C_COUNT, C_HOST };

static const char *const json_names[C_COUNT] = {
	"id",     "started", "scenario", "seed",  "knobs", "status", "epochs",  "planned",
	"headline", "records", "title",  "kind",  "sets",  "mode",   "version", "ended",
};

static const char *text(sqlite3_stmt *s, int c)
{
	const unsigned char *t = sqlite3_column_text(s, c);
	return t ? (const char *)t : "";
}

/* A run still "running" whose process on this host is gone was
 * interrupted (kill -9): the next writer marks it so; a reader says so. */
static const char *status(sqlite3_stmt *s)
{
	const char *st = text(s, C_STATUS);
	char host[256] = "";
	gethostname(host, sizeof host - 1);
	pid_t pid = (pid_t)sqlite3_column_int64(s, C_PID);
	if (strcmp(st, "running") == 0 && strcmp(text(s, C_HOST), host) == 0 && kill(pid, 0) != 0 && errno == ESRCH)
		return "interrupted";
	return st;
}

static void when(double t, bool iso, char *buf, size_t len)
{
	time_t tt = (time_t)t;
	struct tm tm;
	localtime_r(&tt, &tm);
	strftime(buf, len, iso ? "%Y-%m-%dT%H:%M:%S%z" : "%Y-%m-%d %H:%M", &tm);
}

static const char *base(const char *path)
{
	const char *slash = strrchr(path, '/');
	return slash ? slash + 1 : path;
}

static void json_string(FILE *out, const char *s)
{
	fputc('"', out);
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p == '"' || *p == '\\')
			fprintf(out, "\\%c", *p);
		else if (*p == '\n')
			fputs("\\n", out);
		else if (*p < 0x20 || *p == 0x7f)
			fprintf(out, "\\u%04x", *p);
		else
			fputc(*p, out);
	}
	fputc('"', out);
}

static void json_row(sqlite3_stmt *s, bool first, FILE *out)
{
	fputs(first ? "[\n  {" : ",\n  {", out);
	for (int c = 0; c < C_COUNT; c++) {
		fprintf(out, "%s\"%s\": ", c ? ", " : "", json_names[c]);
		if (sqlite3_column_type(s, c) == SQLITE_NULL) {
			fputs("null", out);
		} else if (c == C_STARTED || c == C_ENDED) {
			char buf[40];
			when(sqlite3_column_double(s, c), true, buf, sizeof buf);
			json_string(out, buf);
		} else if (c == C_STATUS) {
			json_string(out, status(s));
		} else if (sqlite3_column_type(s, c) == SQLITE_INTEGER) {
			fprintf(out, "%lld", (long long)sqlite3_column_int64(s, c));
		} else {
			json_string(out, text(s, c));
		}
	}
	fputc('}', out);
}

static void text_row(sqlite3_stmt *s, FILE *out)
{
	char at[32], epochs[32];
	when(sqlite3_column_double(s, C_STARTED), false, at, sizeof at);
	snprintf(epochs, sizeof epochs, "%lld/%lld", (long long)sqlite3_column_int64(s, C_EPOCHS),
		 (long long)sqlite3_column_int64(s, C_PLANNED));
	const char *knobs = text(s, C_KNOBS);
	/* --set lines, one a line in the store: what else made this run
	 * differ from the file (two runs of one scenario and seed at the same
	 * knobs are told apart by them) */
	char sets[512];
	snprintf(sets, sizeof sets, "%s", *text(s, C_SETS) ? text(s, C_SETS) : "-");
	for (char *p = sets; *p; p++)
		if (*p == '\n')
			*p = ' ';
	fprintf(out, "%5lld  %-16s  %-28.28s  %6lld  %-28.28s  %-11s  %-11s  %-38s  %s\n",
		(long long)sqlite3_column_int64(s, C_ID), at, base(text(s, C_SCENARIO)),
		(long long)sqlite3_column_int64(s, C_SEED), *knobs ? knobs : "-", status(s), epochs,
		text(s, C_HEADLINE), sets);
}

int store_list(const struct store_settings *set, bool json, FILE *out)
{
	char err[STORE_PATH_LEN + 128];
	sqlite3 *db;
	if (db_open(&db, set->path, false, err, sizeof err) != 0) {
		fprintf(stderr, "%s\n", err);
		return 1;
	}
	sqlite3_stmt *s;
	if (sqlite3_prepare_v2(db, LIST_SQL, -1, &s, NULL) != SQLITE_OK) {
		fprintf(stderr, "overparam: store: %s: %s\n", set->path, sqlite3_errmsg(db));
		sqlite3_close(db);
		return 1;
	}
	if (!json)
		fprintf(out, "%5s  %-16s  %-28s  %6s  %-28s  %-11s  %-11s  %-38s  %s\n", "id", "when", "scenario",
			"seed", "knobs", "status", "epochs", "headline", "--set");
	int rc, rows = 0;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		if (json)
			json_row(s, rows == 0, out);
		else
			text_row(s, out);
		rows++;
	}
	if (json)
		fputs(rows ? "\n]\n" : "[]\n", out);
	int status = 0;
	if (rc != SQLITE_DONE) {
		fprintf(stderr, "overparam: store: %s: %s\n", set->path, sqlite3_errmsg(db));
		status = 1;
	}
	sqlite3_finalize(s);
	sqlite3_close(db);
	return status;
}
