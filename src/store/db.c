/* db.c: opening the run store and its schema (docs/store.md has the same
 * schema with what each column means). */
#include "store/db.h"

#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "overparam/record.h"

/* auto_vacuum must be set before the first table: retention gives the
 * pages of deleted runs back to the file system (incremental_vacuum). */
static const char schema[] =
	"PRAGMA auto_vacuum=INCREMENTAL;"
	"BEGIN IMMEDIATE;"
	"CREATE TABLE IF NOT EXISTS run("
	" id INTEGER PRIMARY KEY,"
	" scenario TEXT NOT NULL, title TEXT NOT NULL, kind TEXT NOT NULL,"
	" text TEXT NOT NULL, sets TEXT NOT NULL, knobs TEXT NOT NULL,"
	" seed INTEGER NOT NULL, version TEXT NOT NULL, mode TEXT NOT NULL,"
	" started REAL NOT NULL, ended REAL, status TEXT NOT NULL,"
	" planned INTEGER NOT NULL, epochs INTEGER NOT NULL DEFAULT 0, records INTEGER NOT NULL DEFAULT 0,"
	" headline TEXT NOT NULL DEFAULT '', pid INTEGER NOT NULL, host TEXT NOT NULL);"
	"CREATE TABLE IF NOT EXISTS series(run INTEGER NOT NULL, idx INTEGER NOT NULL, label TEXT NOT NULL,"
	" PRIMARY KEY(run, idx)) WITHOUT ROWID;"
	"CREATE TABLE IF NOT EXISTS metric(id INTEGER PRIMARY KEY, name TEXT NOT NULL);"
	"CREATE TABLE IF NOT EXISTS session(key TEXT PRIMARY KEY, value);"
	"CREATE TABLE IF NOT EXISTS record(run INTEGER NOT NULL, seq INTEGER NOT NULL,"
	" series INTEGER NOT NULL, metric INTEGER NOT NULL, epoch INTEGER NOT NULL, idx INTEGER NOT NULL, value REAL,"
	" PRIMARY KEY(run, seq)) WITHOUT ROWID;"
	"CREATE VIEW IF NOT EXISTS records AS"
	" SELECT x.run AS run, r.scenario AS scenario, COALESCE(s.label, 'run') AS series,"
	" COALESCE(m.name, 'unknown') AS metric, x.epoch AS epoch, x.idx AS \"index\", x.value AS value"
	" FROM record x JOIN run r ON r.id = x.run"
	" LEFT JOIN series s ON s.run = x.run AND s.idx = x.series"
	" LEFT JOIN metric m ON m.id = x.metric;"
	"PRAGMA user_version=1;"
	"COMMIT;";

bool db_exec(sqlite3 *db, const char *sql)
{
	return sqlite3_exec(db, sql, NULL, NULL, NULL) == SQLITE_OK;
}

/* mkdir -p of path's folder, mode 0700 for the folders it makes (runs may
 * hold what a lecturer has not shown yet). */
static int make_parent(const char *path)
{
	char dir[4096];
	snprintf(dir, sizeof dir, "%s", path);
	char *slash = strrchr(dir, '/');
	if (!slash || slash == dir)
		return 0;
	*slash = '\0';
	for (char *p = dir + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(dir, 0700) != 0 && errno != EEXIST)
			return -1;
		*p = '/';
	}
	return mkdir(dir, 0700) != 0 && errno != EEXIST ? -1 : 0;
}

bool db_rollback(sqlite3 *db, char *why, size_t whylen)
{
	snprintf(why, whylen, "%s", sqlite3_errmsg(db));
	db_exec(db, "ROLLBACK");
	return false;
}

/* The metric table's names, so the view says "train_loss", not 0. */
static bool fill_metrics(sqlite3 *db, char *why, size_t whylen)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(db, "INSERT OR REPLACE INTO metric(id, name) VALUES(?, ?)", -1, &st, NULL) != SQLITE_OK)
		return db_rollback(db, why, whylen);
	bool ok = db_exec(db, "BEGIN IMMEDIATE");
	for (int m = 0; ok && m < MET_COUNT; m++) {
		sqlite3_bind_int(st, 1, m);
		sqlite3_bind_text(st, 2, metric_name((enum metric)m), -1, SQLITE_STATIC);
		ok = sqlite3_step(st) == SQLITE_DONE;
		sqlite3_reset(st);
	}
	sqlite3_finalize(st);
	if (ok && db_exec(db, "COMMIT"))
		return true;
	return db_rollback(db, why, whylen);
}

/* Runs this host's processes left "running" and that are gone: killed
 * (-9), crashed or cut off. In one write transaction, taken before the
 * read: two instances opening at once would otherwise both read the same
 * orphan, and the second's update from its now stale read would fail at
 * once (SQLITE_BUSY_SNAPSHOT, which no busy wait helps). */
static bool mark_orphans(sqlite3 *db, char *why, size_t whylen)
{
	char host[256] = "";
	gethostname(host, sizeof host - 1);
	sqlite3_stmt *q, *u;
	if (sqlite3_prepare_v2(db, "SELECT id, pid FROM run WHERE status = 'running' AND host = ?", -1, &q, NULL) !=
	    SQLITE_OK)
		return db_rollback(db, why, whylen);
	if (sqlite3_prepare_v2(db, "UPDATE run SET status = 'interrupted' WHERE id = ? AND status = 'running'", -1, &u,
			       NULL) != SQLITE_OK) {
		sqlite3_finalize(q);
		return db_rollback(db, why, whylen);
	}
	sqlite3_bind_text(q, 1, host, -1, SQLITE_STATIC);
	bool ok = db_exec(db, "BEGIN IMMEDIATE");
	int rc = SQLITE_DONE;
	while (ok && (rc = sqlite3_step(q)) == SQLITE_ROW) {
		pid_t pid = (pid_t)sqlite3_column_int64(q, 1);
		if (pid > 0 && (kill(pid, 0) == 0 || errno != ESRCH))
			continue;
		sqlite3_bind_int64(u, 1, sqlite3_column_int64(q, 0));
		ok = sqlite3_step(u) == SQLITE_DONE;
		sqlite3_reset(u);
	}
	ok = ok && rc == SQLITE_DONE;
	sqlite3_finalize(q);
	sqlite3_finalize(u);
	if (ok && db_exec(db, "COMMIT"))
		return true;
	return db_rollback(db, why, whylen);
}

static int fail(sqlite3 *db, const char *path, const char *why, char *err, size_t errlen)
{
	snprintf(err, errlen, "overparam: store: %s: %s", path, why ? why : sqlite3_errmsg(db));
	sqlite3_close(db);
	return -1;
}

int db_open(sqlite3 **out, const char *path, bool write, char *err, size_t errlen)
{
	*out = NULL;
	if (write && make_parent(path) != 0) {
		snprintf(err, errlen, "overparam: store: %s: cannot make its folder: %s", path, strerror(errno));
		return -1;
	}
	sqlite3 *db = NULL;
	int flags = write ? SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE : SQLITE_OPEN_READONLY;
	if (sqlite3_open_v2(path, &db, flags | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
		if (!db)
			return fail(db, path, "out of memory", err, errlen);
		return fail(db, path, write ? NULL : "no run store there (run something first)", err, errlen);
	}
	sqlite3_busy_timeout(db, DB_BUSY_MS);
	sqlite3_extended_result_codes(db, 1);
	if (!write) {
		int version = -1;
		sqlite3_stmt *st;
		if (sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st, NULL) == SQLITE_OK &&
		    sqlite3_step(st) == SQLITE_ROW)
			version = sqlite3_column_int(st, 0);
		sqlite3_finalize(st);
		if (version != DB_SCHEMA_VERSION)
			return fail(db, path, version < 0 ? NULL : "not a run store of this version", err, errlen);
		*out = db;
		return 0;
	}
	/* WAL: readers (--runs, --replay, followers) never block the writer;
	 * synchronous=NORMAL: a crash of the process loses nothing committed,
	 * a power cut at most the last transactions, never the file. */
	if (!db_exec(db, "PRAGMA journal_mode=WAL") || !db_exec(db, "PRAGMA synchronous=NORMAL") ||
	    !db_exec(db, "PRAGMA journal_size_limit=8388608"))
		return fail(db, path, NULL, err, errlen);
	char why[256];
	if (!db_exec(db, schema)) {
		db_rollback(db, why, sizeof why);
		return fail(db, path, why, err, errlen);
	}
	if (!fill_metrics(db, why, sizeof why) || !mark_orphans(db, why, sizeof why))
		return fail(db, path, why, err, errlen);
	*out = db;
	return 0;
}

struct op_record db_record(sqlite3_stmt *s)
{
	return (struct op_record){
		.series = (uint16_t)sqlite3_column_int(s, 0),
		.metric = (uint16_t)sqlite3_column_int(s, 1),
		.epoch = (uint32_t)sqlite3_column_int64(s, 2),
		.index = (uint32_t)sqlite3_column_int64(s, 3),
		.value = sqlite3_column_type(s, 4) == SQLITE_NULL ? NAN : sqlite3_column_double(s, 4),
	};
}
