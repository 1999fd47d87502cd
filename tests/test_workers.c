/* test_workers.c: the team of threads (workers.h) on its own, away from
 * any experiment: every share of every phase runs once, on the thread the
 * header promises, after the whole phase before it; the results do not
 * depend on the team's size; a team serves job after job; dealing by cost
 * balances; the start-up decision reads OVERPARAM_WORKERS. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "overparam/workers.h"

#define PHASES 6
#define SHARES 5

/* Each share of phase p reads the whole of phase p - 1 (so a missing
 * barrier shows as a wrong value) and writes only its own cell. */
struct grid {
	uint64_t cell[PHASES][SHARES];
	int runs[PHASES][SHARES];
	pthread_t who[PHASES][SHARES];
};

static void grid_share(void *ctx, int phase, int share)
{
	struct grid *g = ctx;
	uint64_t v = (uint64_t)share + 1;
	if (phase > 0)
		for (int s = 0; s < SHARES; s++)
			v = v * 1099511628211ull ^ g->cell[phase - 1][s];
	g->cell[phase][share] = v;
	g->runs[phase][share]++;
	g->who[phase][share] = pthread_self();
}

static void run_grid(struct workers *wk, struct grid *g)
{
	memset(g, 0, sizeof *g);
	workers_run(wk, grid_share, g, PHASES, SHARES);
}

static void test_every_share_once_after_its_phase(void **state)
{
	(void)state;
	struct grid want, got;
	run_grid(NULL, &want);
	for (int p = 0; p < PHASES; p++)
		for (int s = 0; s < SHARES; s++) {
			assert_int_equal(want.runs[p][s], 1);
			assert_true(pthread_equal(want.who[p][s], pthread_self()));
		}
	for (int threads = 1; threads <= SHARES + 2; threads++) {
		struct workers *wk = workers_create(threads);
		assert_non_null(wk);
		assert_int_equal(workers_threads(wk), threads);
		for (int job = 0; job < 50; job++) { /* one team, job after job */
			run_grid(wk, &got);
			assert_memory_equal(got.cell, want.cell, sizeof want.cell);
			assert_memory_equal(got.runs, want.runs, sizeof want.runs);
		}
		/* thread t takes shares t, t + n, ...; the caller is thread 0 */
		int n = threads < SHARES ? threads : SHARES;
		for (int p = 0; p < PHASES; p++)
			for (int s = 0; s < SHARES; s++) {
				assert_true(pthread_equal(got.who[p][s], got.who[0][s % n]));
				assert_int_equal(pthread_equal(got.who[p][s], pthread_self()) != 0, s % n == 0);
			}
		workers_destroy(wk);
	}
}

/* Jobs of one phase (independent pieces), of one share, and of none. */
static void count_share(void *ctx, int phase, int share)
{
	(void)phase;
	((int *)ctx)[share]++;
}

static void test_small_and_empty_jobs(void **state)
{
	(void)state;
	struct workers *wk = workers_create(3);
	int hits[4] = {0};
	workers_run(wk, count_share, hits, 1, 4);
	workers_run(wk, count_share, hits, 1, 1);
	workers_run(wk, count_share, hits, 3, 2);
	workers_run(wk, count_share, hits, 0, 4);
	workers_run(wk, count_share, hits, 2, 0);
	assert_int_equal(hits[0], 5);
	assert_int_equal(hits[1], 4);
	assert_int_equal(hits[2], 1);
	assert_int_equal(hits[3], 1);
	workers_destroy(wk);
	workers_destroy(NULL);
	assert_int_equal(workers_threads(NULL), 1);
}

static void test_team_size_is_clamped(void **state)
{
	(void)state;
	struct workers *wk = workers_create(0);
	assert_int_equal(workers_threads(wk), 1);
	workers_destroy(wk);
	wk = workers_create(WORKERS_MAX + 5);
	assert_int_equal(workers_threads(wk), WORKERS_MAX);
	workers_destroy(wk);
}

static void test_deal_balances_largest_first(void **state)
{
	(void)state;
	const double cost[6] = {5, 100, 3, 4, 4, 1};
	const bool skip[6] = {false, true, false, false, false, false};
	int share_of[6];
	workers_deal(cost, skip, 6, 2, share_of);
	/* 5 -> 0; 4 (index 3) -> 1; 4 (index 4) -> 1 (4 < 5); 3 -> 0 (5 < 8); 1 -> 0 (8 = 8: lower) */
	const int want[6] = {0, -1, 0, 1, 1, 0};
	assert_memory_equal(share_of, want, sizeof want);
	workers_deal(cost, NULL, 3, 3, share_of);
	assert_int_equal(share_of[1], 0);
	assert_int_equal(share_of[0], 1);
	assert_int_equal(share_of[2], 2);
}

/* Last: workers_startup sets the process's decision once. */
static void test_startup_reads_the_environment(void **state)
{
	(void)state;
	assert_int_equal(workers_planned(), 1); /* before start-up */
	setenv("OVERPARAM_WORKERS", "3", 1);
	assert_int_equal(workers_startup(), 3);
	assert_int_equal(workers_planned(), 3);
	setenv("OVERPARAM_WORKERS", "1", 1);
	assert_int_equal(workers_startup(), 1);
	setenv("OVERPARAM_WORKERS", "999", 1);
	assert_int_equal(workers_startup(), WORKERS_MAX);
	setenv("OVERPARAM_WORKERS", "2x", 1);
	int fallback = workers_startup(); /* not a number: by the cores */
	assert_true(fallback == 1 || fallback == 2);
	unsetenv("OVERPARAM_WORKERS");
	assert_int_equal(workers_startup(), fallback);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_share_once_after_its_phase),
		cmocka_unit_test(test_small_and_empty_jobs),
		cmocka_unit_test(test_team_size_is_clamped),
		cmocka_unit_test(test_deal_balances_largest_first),
		cmocka_unit_test(test_startup_reads_the_environment),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
