/* writer.c: the writer thread's side of the store: a batch of begins,
 * records and ends in one transaction, and retention once a run has
 * ended. Any error rolls the whole batch back, so the file only ever holds
 * whole transactions (SQLite's guarantee, with WAL, against kill -9, a full
 * disk and other writers). */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "store/db.h"
#include "store/meta.h"

#ifndef OVERPARAM_VERSION
#define OVERPARAM_VERSION "0.1.0"
#endif

static bool prepare(sqlite3 *db, const char *sql, sqlite3_stmt **st)
{
	return sqlite3_prepare_v3(db, sql, -1, SQLITE_PREPARE_PERSISTENT, st, NULL) == SQLITE_OK;
}

int writer_init(struct writer *w, sqlite3 *db, const struct store_settings *s, char *err, size_t errlen)
{
	memset(w, 0, sizeof *w);
	w->db = db;
	w->set = *s;
	if (prepare(db,
		    "INSERT INTO run(scenario, title, kind, text, sets, knobs, seed, version, mode, started, status,"
		    " planned, pid, host) VALUES(?,?,?,?,?,?,?,?,?,?,'running',?,?,?)",
		    &w->ins_run) &&
	    prepare(db, "INSERT INTO series(run, idx, label) VALUES(?,?,?)", &w->ins_series) &&
	    prepare(db, "INSERT INTO record(run, seq, series, metric, epoch, idx, value) VALUES(?,?,?,?,?,?,?)",
		    &w->ins_rec) &&
	    prepare(db, "UPDATE run SET status=?, ended=?, epochs=?, records=?, headline=? WHERE id=?", &w->end_run) &&
	    prepare(db, "INSERT OR REPLACE INTO session(key, value) VALUES('paused', ?)", &w->set_paused))
		return 0;
	snprintf(err, errlen, "overparam: store: %s: %s", s->path, sqlite3_errmsg(db));
	writer_free(w);
	return -1;
}

void writer_free(struct writer *w)
{
	sqlite3_finalize(w->ins_run);
	sqlite3_finalize(w->ins_series);
	sqlite3_finalize(w->ins_rec);
	sqlite3_finalize(w->end_run);
	sqlite3_finalize(w->set_paused);
	w->ins_run = w->ins_series = w->ins_rec = w->end_run = w->set_paused = NULL;
}

static bool step_reset(sqlite3_stmt *st)
{
	bool ok = sqlite3_step(st) == SQLITE_DONE;
	sqlite3_reset(st);
	return ok;
}

static bool begin_run(struct writer *w, const struct run_meta *m)
{
	char host[256] = "";
	gethostname(host, sizeof host - 1);
	sqlite3_stmt *s = w->ins_run;
	const char *texts[] = {m->scenario, m->title, m->kind, m->text, m->sets, m->knobs};
	for (int i = 0; i < 6; i++)
		sqlite3_bind_text(s, i + 1, texts[i], -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 7, (sqlite3_int64)m->seed);
	sqlite3_bind_text(s, 8, OVERPARAM_VERSION, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 9, m->mode, -1, SQLITE_STATIC);
	sqlite3_bind_double(s, 10, m->started);
	sqlite3_bind_int(s, 11, m->planned);
	sqlite3_bind_int64(s, 12, (sqlite3_int64)getpid());
	sqlite3_bind_text(s, 13, host, -1, SQLITE_TRANSIENT);
	if (!step_reset(s))
		return false;
	w->run = sqlite3_last_insert_rowid(w->db);
	w->seq = 0;
	w->epochs = 0;
	w->headline = m->headline;
	w->n_series = m->n_series;
	for (int i = 0; i < RUN_MAX_SERIES; i++)
		w->last[i] = NAN;
	for (int i = 0; i < m->n_series; i++) {
		snprintf(w->labels[i], sizeof w->labels[i], "%s", m->labels[i]);
		sqlite3_bind_int64(w->ins_series, 1, w->run);
		sqlite3_bind_int(w->ins_series, 2, i);
		sqlite3_bind_text(w->ins_series, 3, m->labels[i], -1, SQLITE_STATIC);
		if (!step_reset(w->ins_series))
			return false;
	}
	return true;
}

static bool add_record(struct writer *w, const struct op_record *r)
{
	if (!w->run)
		return true;
	sqlite3_stmt *s = w->ins_rec;
	sqlite3_bind_int64(s, 1, w->run);
	sqlite3_bind_int64(s, 2, w->seq++);
	sqlite3_bind_int(s, 3, r->series);
	sqlite3_bind_int(s, 4, r->metric);
	sqlite3_bind_int64(s, 5, r->epoch);
	sqlite3_bind_int64(s, 6, r->index);
	sqlite3_bind_double(s, 7, r->value); /* NaN is stored as NULL */
	if (r->metric == MET_EPOCH || r->metric == MET_DONE)
		w->epochs = (uint32_t)r->value;
	if ((int)r->metric == w->headline && r->series < RUN_MAX_SERIES)
		w->last[r->series] = r->value;
	return step_reset(s);
}

/* "train_loss 0.0123 (width 500)": the lowest latest value of the
 * headline metric over the series, named by its series when several have
 * one (a pair's barrier, kept on its first net's series, is no net's). */
static void headline(const struct writer *w, char *buf, size_t len)
{
	int best = -1, with = 0;
	for (int i = 0; i < w->n_series; i++)
		if (isfinite(w->last[i])) {
			with++;
			if (best < 0 || w->last[i] < w->last[best])
				best = i;
		}
	if (best < 0 || w->headline < 0) {
		snprintf(buf, len, "-");
		return;
	}
	const char *name = metric_name((enum metric)w->headline);
	if (with > 1)
		snprintf(buf, len, "%s %.4g (%s)", name, w->last[best], w->labels[best]);
	else
		snprintf(buf, len, "%s %.4g", name, w->last[best]);
}

static bool end_run(struct writer *w, enum store_status status)
{
	if (!w->run)
		return true;
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	char head[128];
	headline(w, head, sizeof head);
	sqlite3_stmt *s = w->end_run;
	sqlite3_bind_text(s, 1, store_status_word(status), -1, SQLITE_STATIC);
	sqlite3_bind_double(s, 2, (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec);
	sqlite3_bind_int64(s, 3, w->epochs);
	sqlite3_bind_int64(s, 4, w->seq);
	sqlite3_bind_text(s, 5, head, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(s, 6, w->run);
	w->run = 0;
	return step_reset(s);
}

static int64_t query_int(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *s;
	int64_t v = -1;
	if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) == SQLITE_OK && sqlite3_step(s) == SQLITE_ROW)
		v = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	return v;
}

/* Deletes the oldest ended run; false when there is none or it failed. */
static bool drop_oldest(sqlite3 *db)
{
	int64_t id = query_int(db, "SELECT min(id) FROM run WHERE status != 'running'");
	if (id <= 0)
		return false;
	char sql[256];
	snprintf(sql, sizeof sql,
		 "BEGIN IMMEDIATE; DELETE FROM record WHERE run=%lld; DELETE FROM series WHERE run=%lld;"
		 " DELETE FROM run WHERE id=%lld; COMMIT;",
		 (long long)id, (long long)id, (long long)id);
	if (db_exec(db, sql))
		return true;
	db_exec(db, "ROLLBACK");
	return false;
}

/* Keeps the newest keep_runs runs and at most keep_mb MiB of pages in
 * use; the runs still running (this one's or another process's) stay. */
static bool retention(struct writer *w)
{
	bool dropped = false;
	if (w->set.keep_runs > 0)
		while (query_int(w->db, "SELECT count(*) FROM run") > w->set.keep_runs && drop_oldest(w->db))
			dropped = true;
	if (w->set.keep_mb > 0) {
		double cap = w->set.keep_mb * 1048576.0;
		for (;;) {
			int64_t pages = query_int(w->db, "PRAGMA page_count") - query_int(w->db, "PRAGMA freelist_count");
			double used = (double)pages * (double)query_int(w->db, "PRAGMA page_size");
			if (used <= cap || query_int(w->db, "SELECT count(*) FROM run WHERE status != 'running'") <= 1 ||
			    !drop_oldest(w->db))
				break;
			dropped = true;
		}
	}
	return !dropped || db_exec(w->db, "PRAGMA incremental_vacuum");
}

static int rollback(struct writer *w, char *why, size_t whylen)
{
	db_rollback(w->db, why, whylen);
	w->run = 0; /* the rest of a run whose beginning was lost is not written */
	return -1;
}

int writer_commit(struct writer *w, const struct entry *e, size_t n, char *why, size_t whylen)
{
	if (!db_exec(w->db, "BEGIN IMMEDIATE"))
		return rollback(w, why, whylen);
	bool ended = false, ok = true;
	for (size_t i = 0; i < n && ok; i++) {
		switch (e[i].kind) {
		case E_BEGIN: ok = begin_run(w, e[i].u.meta); break;
		case E_REC: ok = add_record(w, &e[i].u.rec); break;
		case E_END:
			ok = end_run(w, e[i].u.status);
			ended = true;
			break;
		case E_PAUSED:
			sqlite3_bind_int(w->set_paused, 1, e[i].u.paused);
			ok = step_reset(w->set_paused);
			break;
		}
	}
	if (!ok || !db_exec(w->db, "COMMIT"))
		return rollback(w, why, whylen);
	if (ended && !retention(w)) {
		snprintf(why, whylen, "retention: %s", sqlite3_errmsg(w->db));
		return -1;
	}
	return 0;
}
