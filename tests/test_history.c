/* test_history.c: the UI's record store. What the screen shows is only as
 * right as this: stale generations must vanish, a new run must start clean,
 * every point must be kept in order, and the latest values must be the last
 * ones sent. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "overparam/history.h"

static struct op_record rec(uint32_t gen, uint32_t epoch, int series, enum metric m, uint32_t index, double value)
{
	struct op_record r = {
		.generation = gen,
		.epoch = epoch,
		.series = (uint16_t)series,
		.metric = (uint16_t)m,
		.index = index,
		.value = value,
	};
	return r;
}

static bool add(struct history *h, struct op_record r)
{
	return history_add(h, &r);
}

static void test_fresh_history_knows_nothing(void **state)
{
	(void)state;
	struct history h;
	history_init(&h, true);
	assert_int_equal(h.scenario, -1);
	assert_int_equal(h.epoch, 0);
	assert_false(h.done);
	for (int s = 0; s < RUN_MAX_SERIES; s++) {
		assert_false(h.diverged[s]);
		for (int m = 0; m < MET_COUNT; m++) {
			assert_true(isnan(h.last[s][m]));
			assert_false(h.seen[s][m]);
			assert_int_equal(h.pts[s][m].n, 0);
		}
	}
	assert_null(history_grid(&h, 0, MET_INTERP_LOSS));
	history_free(&h);
}

static void test_start_sets_scenario_and_seed(void **state)
{
	(void)state;
	struct history h;
	history_init(&h, true);
	assert_true(add(&h, rec(1, 0, 2, MET_START, 0, 42)));
	assert_int_equal(h.generation, 1);
	assert_int_equal(h.scenario, 2);
	assert_int_equal(h.seed, 42);
	history_free(&h);
}

static void test_other_generations_are_dropped(void **state)
{
	(void)state;
	struct history h;
	history_init(&h, true);
	assert_true(add(&h, rec(5, 0, 0, MET_START, 0, 7)));
	assert_true(add(&h, rec(5, 1, 0, MET_TRAIN_LOSS, 0, 0.5)));
	uint64_t changes = h.changes;
	/* older and newer non-start records alike */
	assert_false(add(&h, rec(4, 2, 0, MET_TRAIN_LOSS, 0, 0.1)));
	assert_false(add(&h, rec(6, 2, 0, MET_TRAIN_LOSS, 0, 0.2)));
	assert_false(add(&h, rec(4, 2, 0, MET_EPOCH, 0, 2)));
	/* an older start does not reset */
	assert_false(add(&h, rec(4, 0, 1, MET_START, 0, 9)));
	assert_int_equal(h.changes, changes);
	assert_int_equal(h.scenario, 0);
	assert_int_equal(h.pts[0][MET_TRAIN_LOSS].n, 1);
	assert_float_equal(h.last[0][MET_TRAIN_LOSS], 0.5, 0);
	assert_int_equal(h.epoch, 0);
	history_free(&h);
}

static void test_newer_start_resets_the_run(void **state)
{
	(void)state;
	struct history h;
	history_init(&h, true);
	add(&h, rec(1, 0, 0, MET_START, 0, 42));
	for (uint32_t e = 1; e <= 50; e++) {
		add(&h, rec(1, e, 1, MET_TRAIN_LOSS, 0, 1.0 / e));
		add(&h, rec(1, e, 0, MET_EPOCH, 0, e));
	}
	add(&h, rec(1, 20, 1, MET_CONVERGED, 0, 20));
	add(&h, rec(1, 30, 0, MET_INTERP_LOSS, 3, 0.4));
	add(&h, rec(1, 40, 1, MET_DIVERGED, 0, INFINITY));
	add(&h, rec(1, 50, 0, MET_DONE, 0, 50));
	assert_true(h.done);
	assert_int_equal(h.epoch, 50);

	assert_true(add(&h, rec(2, 0, 3, MET_START, 0, 99)));
	assert_int_equal(h.generation, 2);
	assert_int_equal(h.scenario, 3);
	assert_int_equal(h.seed, 99);
	assert_int_equal(h.epoch, 0);
	assert_false(h.done);
	assert_false(h.diverged[1]);
	assert_false(h.seen[1][MET_CONVERGED]);
	assert_true(isnan(h.last[1][MET_TRAIN_LOSS]));
	assert_int_equal(h.pts[1][MET_TRAIN_LOSS].n, 0);
	const double *g = history_grid(&h, 0, MET_INTERP_LOSS);
	assert_true(g == NULL || isnan(g[3]));
	/* the old run's stragglers no longer count */
	assert_false(add(&h, rec(1, 51, 1, MET_TRAIN_LOSS, 0, 0.01)));
	assert_int_equal(h.pts[1][MET_TRAIN_LOSS].n, 0);
	history_free(&h);
}

/* The UI moves to the next generation when a key switches scenarios, before
 * the trainer's start arrives; that start must still be taken. */
static void test_reset_then_matching_start(void **state)
{
	(void)state;
	struct history h;
	history_init(&h, true);
	add(&h, rec(3, 0, 0, MET_START, 0, 1));
	add(&h, rec(3, 1, 0, MET_TRAIN_LOSS, 0, 0.9));
	history_reset(&h, 4);
	assert_int_equal(h.scenario, -1);
	assert_false(add(&h, rec(3, 2, 0, MET_TRAIN_LOSS, 0, 0.8)));
	assert_true(add(&h, rec(4, 0, 1, MET_START, 0, 5)));
	assert_int_equal(h.scenario, 1);
	assert_true(add(&h, rec(4, 1, 0, MET_TRAIN_LOSS, 0, 0.7)));
	/* a second start of the same generation does not wipe the run */
	assert_false(add(&h, rec(4, 0, 1, MET_START, 0, 5)));
	assert_int_equal(h.pts[0][MET_TRAIN_LOSS].n, 1);
	history_free(&h);
}

static void test_generation_wraps(void **state)
{
	(void)state;
	struct history h;
	history_init(&h, true);
	history_reset(&h, UINT32_MAX - 1);
	assert_true(add(&h, rec(UINT32_MAX, 0, 0, MET_START, 0, 1)));
	assert_true(add(&h, rec(0, 0, 1, MET_START, 0, 2)));
	assert_int_equal(h.generation, 0);
	assert_int_equal(h.scenario, 1);
	assert_false(add(&h, rec(UINT32_MAX, 0, 0, MET_START, 0, 1)));
	history_free(&h);
}

static void test_latest_values(void **state)
{
	(void)state;
	struct history h;
	history_init(&h, false);
	add(&h, rec(1, 0, 0, MET_START, 0, 0));
	add(&h, rec(1, 1, 2, MET_TRAIN_LOSS, 0, 0.9));
	add(&h, rec(1, 2, 2, MET_TRAIN_LOSS, 0, 0.4));
	add(&h, rec(1, 2, 2, MET_TEST_LOSS, 0, 1.5));
	add(&h, rec(1, 3, 2, MET_TRAIN_LOSS, 0, 0.3));
	add(&h, rec(1, 3, 0, MET_EPOCH, 0, 3));
	assert_float_equal(h.last[2][MET_TRAIN_LOSS], 0.3, 0);
	assert_int_equal(h.last_epoch[2][MET_TRAIN_LOSS], 3);
	assert_float_equal(h.last[2][MET_TEST_LOSS], 1.5, 0);
	assert_int_equal(h.last_epoch[2][MET_TEST_LOSS], 2);
	assert_true(h.seen[2][MET_TRAIN_LOSS]);
	assert_false(h.seen[1][MET_TRAIN_LOSS]);
	assert_int_equal(h.epoch, 3);
	/* keep_points false: latest values only */
	assert_int_equal(h.pts[2][MET_TRAIN_LOSS].n, 0);
	history_free(&h);
}

static void test_every_point_kept_in_order(void **state)
{
	(void)state;
	struct history h;
	history_init(&h, true);
	add(&h, rec(1, 0, 0, MET_START, 0, 0));
	const uint32_t n = 5000; /* well past the first allocation */
	for (uint32_t e = 1; e <= n; e++) {
		add(&h, rec(1, e, 0, MET_TRAIN_LOSS, 0, 1.0 / e));
		if (e % 20 == 0)
			add(&h, rec(1, e, 0, MET_TEST_LOSS, 0, 2.0 + e));
	}
	const struct point_series *tr = &h.pts[0][MET_TRAIN_LOSS];
	assert_int_equal(tr->n, n);
	for (uint32_t i = 0; i < n; i++) {
		assert_int_equal(tr->epoch[i], i + 1);
		assert_float_equal(tr->value[i], 1.0 / (i + 1), 0);
	}
	const struct point_series *te = &h.pts[0][MET_TEST_LOSS];
	assert_int_equal(te->n, n / 20);
	assert_int_equal(te->epoch[0], 20);
	assert_int_equal(te->epoch[te->n - 1], n);
	/* events are latest-only */
	add(&h, rec(1, 7, 0, MET_CONVERGED, 0, 7));
	assert_int_equal(h.pts[0][MET_CONVERGED].n, 0);
	assert_float_equal(h.last[0][MET_CONVERGED], 7, 0);
	history_free(&h);
}

static void test_non_finite_values_kept_as_such(void **state)
{
	(void)state;
	struct history h;
	history_init(&h, true);
	add(&h, rec(1, 0, 0, MET_START, 0, 0));
	add(&h, rec(1, 1, 1, MET_TRAIN_LOSS, 0, 3.0));
	add(&h, rec(1, 2, 1, MET_TRAIN_LOSS, 0, INFINITY));
	add(&h, rec(1, 3, 1, MET_TRAIN_LOSS, 0, NAN));
	assert_true(add(&h, rec(1, 2, 1, MET_DIVERGED, 0, INFINITY)));
	assert_true(h.diverged[1]);
	assert_false(h.diverged[0]);
	assert_true(isnan(h.last[1][MET_TRAIN_LOSS]));
	const struct point_series *ps = &h.pts[1][MET_TRAIN_LOSS];
	assert_int_equal(ps->n, 3);
	assert_true(isinf(ps->value[1]));
	assert_true(isnan(ps->value[2]));
	history_free(&h);
}

static void test_grid_and_bounds(void **state)
{
	(void)state;
	struct history h;
	history_init(&h, true);
	add(&h, rec(1, 0, 0, MET_START, 0, 0));
	assert_true(add(&h, rec(1, 10, 0, MET_INTERP_LOSS, 0, 1e-6)));
	assert_true(add(&h, rec(1, 10, 0, MET_INTERP_LOSS, 5, 0.49)));
	assert_true(add(&h, rec(1, 20, 0, MET_INTERP_LOSS, 5, 0.45)));
	const double *g = history_grid(&h, 0, MET_INTERP_LOSS);
	assert_non_null(g);
	assert_float_equal(g[0], 1e-6, 0);
	assert_float_equal(g[5], 0.45, 0);
	assert_int_equal(h.grid_epoch[0][MET_INTERP_LOSS], 20);
	assert_int_equal(h.grid_at[0][MET_INTERP_LOSS][0], 10); /* each position its own epoch */
	assert_int_equal(h.grid_at[0][MET_INTERP_LOSS][5], 20);
	assert_true(isnan(g[1]));
	/* grids are per series: series 1 has none yet, then its own */
	assert_null(history_grid(&h, 1, MET_INTERP_LOSS));
	assert_true(add(&h, rec(1, 20, 1, MET_INTERP_LOSS, 2, 0.3)));
	assert_float_equal(history_grid(&h, 1, MET_INTERP_LOSS)[2], 0.3, 0);
	assert_true(isnan(history_grid(&h, 0, MET_INTERP_LOSS)[2]));
	/* a non-grid metric has no grid */
	assert_null(history_grid(&h, 0, MET_TRAIN_LOSS));
	/* a new run clears the values */
	assert_true(add(&h, rec(2, 0, 0, MET_START, 0, 0)));
	g = history_grid(&h, 0, MET_INTERP_LOSS);
	assert_true(g == NULL || isnan(g[5]));
	add(&h, rec(2, 1, 0, MET_INTERP_LOSS, 5, 0.5));
	/* out of range: grid index, series, metric */
	assert_false(add(&h, rec(2, 20, 0, MET_INTERP_LOSS, RUN_MAX_GRID, 1)));
	assert_false(add(&h, rec(2, 20, RUN_MAX_SERIES, MET_TRAIN_LOSS, 0, 1)));
	assert_false(add(&h, rec(2, 20, 0, (enum metric)MET_COUNT, 0, 1)));
	history_free(&h);
}

static void test_records_before_any_start(void **state)
{
	(void)state;
	/* A runner that emits no start (or the UI before the first one):
	 * records of the current generation are taken. */
	struct history h;
	history_init(&h, true);
	assert_true(add(&h, rec(0, 1, 0, MET_TRAIN_LOSS, 0, 0.25)));
	assert_float_equal(h.last[0][MET_TRAIN_LOSS], 0.25, 0);
	assert_false(add(&h, rec(1, 1, 0, MET_TRAIN_LOSS, 0, 0.25)));
	history_free(&h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fresh_history_knows_nothing),
		cmocka_unit_test(test_start_sets_scenario_and_seed),
		cmocka_unit_test(test_other_generations_are_dropped),
		cmocka_unit_test(test_newer_start_resets_the_run),
		cmocka_unit_test(test_reset_then_matching_start),
		cmocka_unit_test(test_generation_wraps),
		cmocka_unit_test(test_latest_values),
		cmocka_unit_test(test_every_point_kept_in_order),
		cmocka_unit_test(test_non_finite_values_kept_as_such),
		cmocka_unit_test(test_grid_and_bounds),
		cmocka_unit_test(test_records_before_any_start),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
