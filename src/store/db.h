/* db.h: what the store's writer (store.c) and its readers (runs.c,
 * replay.c) share: opening the database, its schema, and the rules that
 * hold for every connection. */
#ifndef OVERPARAM_STORE_DB_H
#define OVERPARAM_STORE_DB_H

#include <sqlite3.h>
#include <stdbool.h>
#include <stddef.h>

#include "overparam/record.h"

/* Milliseconds a connection waits for another process's transaction. */
#define DB_BUSY_MS 5000

/* Opens path: for writing (creating the folder, the file and the schema)
 * or read-only (the file must exist). WAL mode, foreign keys off (the
 * writer deletes a run's rows itself). Runs left "running" by a process
 * of this host that is gone are marked interrupted (writer only). Returns
 * 0, or -1 with "overparam: store: PATH: reason" in err. */
int db_open(sqlite3 **out, const char *path, bool write, char *err /* (errlen) */, size_t errlen);

/* One statement with no result rows; false on error (the message is the
 * connection's: sqlite3_errmsg). */
bool db_exec(sqlite3 *db, const char *sql);

/* The connection's error into why, then ROLLBACK (which succeeds, and
 * would leave sqlite3_errmsg saying "not an error"). Returns false. */
bool db_rollback(sqlite3 *db, char *why /* (whylen) */, size_t whylen);

struct scenario;
/* Run id (0: the newest) of db: its scenario into *sc, rebuilt from the
 * stored text, --set overrides and knobs, with its seed (replay.c).
 * Returns the run's id, 0 when there is none, or -1 with why in err. */
long long db_run_scenario(sqlite3 *db, long long id, struct scenario *sc, char *err /* (errlen) */, size_t errlen);

/* A run's records in order, as row_record reads them. */
#define RECORDS_SQL "SELECT series, metric, epoch, idx, value FROM record WHERE run = ? ORDER BY seq"

/* A row of RECORDS_SQL (NULL is the NaN it was). */
struct op_record db_record(sqlite3_stmt *s);

/* The schema version this build writes and reads (PRAGMA user_version). */
#define DB_SCHEMA_VERSION 1

#endif
