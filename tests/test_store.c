/* test_store.c: the run store's producer API against what SQLite itself
 * reads back (sqlite3 queries, not our reader): a run's records in order,
 * NaN as NULL, how runs end (done, diverged when every series diverged,
 * cancelled by the next begin, interrupted by close), retention. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "overparam/store.h"

static char dir[] = "/tmp/test_store.XXXXXX";
static struct scenario sc;

static struct store *open_mb(const char *name, int keep_runs, double keep_mb)
{
	struct store_settings s;
	store_settings_default(&s);
	snprintf(s.path, sizeof s.path, "%s/%s", dir, name);
	s.keep_runs = keep_runs;
	s.keep_mb = keep_mb;
	struct store *st;
	char err[STORE_ERR_LEN];
	assert_int_equal(store_open(&st, &s, err, sizeof err), 0);
	return st;
}

static struct store *open_at(const char *name, int keep_runs)
{
	return open_mb(name, keep_runs, 512);
}

static sqlite3 *reader(const char *name)
{
	char path[256];
	snprintf(path, sizeof path, "%s/%s", dir, name);
	sqlite3 *db;
	assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	return db;
}

static double one(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *s;
	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &s, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(s), SQLITE_ROW);
	double v = sqlite3_column_type(s, 0) == SQLITE_NULL ? -999 : sqlite3_column_double(s, 0);
	sqlite3_finalize(s);
	return v;
}

static void put(struct store *st, int series, enum metric m, uint32_t epoch, double v)
{
	struct op_record r = {.generation = 1, .epoch = epoch, .series = (uint16_t)series, .metric = (uint16_t)m, .value = v};
	store_add(st, &r);
}

static void records_in_order(void **state)
{
	(void)state;
	struct store *st = open_at("a.db", 0);
	store_begin(st, &sc, 42, "headless");
	for (uint32_t e = 0; e < 10000; e++)
		put(st, (int)(e % 4), MET_TRAIN_LOSS, e, 1.0 / (e + 1));
	put(st, 0, MET_TEST_LOSS, 10000, NAN);
	put(st, 0, MET_DONE, 10000, 10000);
	store_sync(st);
	sqlite3 *db = reader("a.db");
	assert_true(one(db, "SELECT count(*) FROM records WHERE run = 1") == 10002);
	assert_true(one(db, "SELECT value FROM records WHERE run = 1 AND metric = 'train_loss' AND epoch = 9999") ==
		    1.0 / 10000);
	assert_true(one(db, "SELECT value FROM records WHERE metric = 'test_loss'") == -999); /* NaN: NULL */
	/* the view's order is the records' order */
	assert_true(one(db, "SELECT count(*) FROM record a JOIN record b ON b.run = a.run AND b.seq = a.seq + 1"
			    " WHERE b.epoch < a.epoch") == 0);
	assert_true(one(db, "SELECT status = 'done' AND epochs = 10000 AND seed = 42 FROM run WHERE id = 1") == 1);
	sqlite3_close(db);
	store_close(st);
}

static void how_runs_end(void **state)
{
	(void)state;
	struct store *st = open_at("b.db", 0);
	store_begin(st, &sc, 1, "live");
	put(st, 0, MET_TRAIN_LOSS, 0, 1);
	store_begin(st, &sc, 2, "live"); /* a restart */
	for (int s = 0; s < 4; s++)
		put(st, s, MET_DIVERGED, 3, 3);
	put(st, 0, MET_DONE, 3, 3);
	store_begin(st, &sc, 3, "live");
	for (int s = 0; s < 3; s++) /* not all four */
		put(st, s, MET_DIVERGED, 3, 3);
	put(st, 0, MET_DONE, 3, 3);
	store_begin(st, &sc, 4, "live");
	store_close(st); /* a quit */
	sqlite3 *db = reader("b.db");
	sqlite3_stmt *s;
	assert_int_equal(sqlite3_prepare_v2(db, "SELECT group_concat(status, ' ') FROM (SELECT status FROM run ORDER BY id)",
					    -1, &s, NULL),
			 SQLITE_OK);
	assert_int_equal(sqlite3_step(s), SQLITE_ROW);
	assert_string_equal((const char *)sqlite3_column_text(s, 0), "cancelled diverged done interrupted");
	sqlite3_finalize(s);
	sqlite3_close(db);
}

static void retention_keeps_newest(void **state)
{
	(void)state;
	struct store *st = open_at("c.db", 3);
	for (int i = 0; i < 7; i++) {
		store_begin(st, &sc, (uint64_t)i, "headless");
		put(st, 0, MET_TRAIN_LOSS, 0, i);
		put(st, 0, MET_DONE, 1, 1);
	}
	store_sync(st);
	sqlite3 *db = reader("c.db");
	assert_true(one(db, "SELECT count(*) FROM run") == 3);
	assert_true(one(db, "SELECT min(seed) FROM run") == 4);
	assert_true(one(db, "SELECT count(*) FROM record") == 6);
	sqlite3_close(db);
	store_close(st);
}

/* --keep-mb: the oldest runs go until the pages in use fit; the newest
 * stays, with all its records. */
static void retention_by_size(void **state)
{
	(void)state;
	struct store *st = open_mb("d.db", 0, 0.25);
	for (int i = 0; i < 8; i++) {
		store_begin(st, &sc, (uint64_t)i, "headless");
		for (uint32_t e = 0; e < 5000; e++)
			put(st, 0, MET_TRAIN_LOSS, e, 1.0 / (e + 1 + i));
		put(st, 0, MET_DONE, 5000, 5000);
		store_sync(st);
	}
	sqlite3 *db = reader("d.db");
	double runs = one(db, "SELECT count(*) FROM run");
	assert_true(runs >= 1 && runs < 8);
	assert_true(one(db, "SELECT max(seed) FROM run") == 7);
	assert_true(one(db, "SELECT count(*) FROM record WHERE run = (SELECT max(id) FROM run)") == 5001);
	assert_true(one(db, "SELECT (page_count - freelist_count) * page_size FROM pragma_page_count, "
			    "pragma_freelist_count, pragma_page_size") <= 0.25 * 1048576 || runs == 1);
	sqlite3_close(db);
	store_close(st);
}

static int setup(void **state)
{
	(void)state;
	if (!mkdtemp(dir))
		return -1;
	char err[SCENARIO_ERR_LEN];
	return scenario_load("scenarios/01-optimization-ease.ini", &sc, err, sizeof err);
}

static int teardown(void **state)
{
	(void)state;
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(records_in_order),
		cmocka_unit_test(how_runs_end),
		cmocka_unit_test(retention_keeps_newest),
		cmocka_unit_test(retention_by_size),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
