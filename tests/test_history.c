/* test_history.c: the UI's record store. What the screen shows is only as
 * right as this: stale generations must vanish, a new run must start clean,
 * every point must be kept in order, and the latest values must be the last
 * ones sent. Past its budget a curve folds its older points, and every
 * chart column up to HISTORY_FOLD_COLS wide must keep its exact min and max. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "overparam/history.h"
#include "overparam/scenario.h"
#include "ui/plot.h"

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

/* ---- bounded history: folding ---- */

enum { FOLD_P = 20011, FOLD_N = 3 * FOLD_P / 2 };
static uint32_t fold_ep[FOLD_N];
static float fold_val[FOLD_N];

/* A run's curve as it arrives, into fold_ep and fold_val: mostly one point
 * an epoch, some epochs twice (a round boundary), some skipped, some past
 * the planned span, a walk that crosses zero, and non-finite values now
 * and then. */
static void fold_points(void)
{
	srand(11);
	uint32_t e = 0;
	double x = 1;
	for (int i = 0; i < FOLD_N; i++) {
		int r = rand() % 16;
		e += r == 0 ? 0 : r == 1 ? 3 : 1;
		fold_ep[i] = e;
		x = x * (0.99 + 0.02 * rand() / (double)RAND_MAX) + 0.01 * (rand() / (double)RAND_MAX - 0.52);
		fold_val[i] = (float)x;
		if (i % 89 == 7)
			fold_val[i] = NAN;
		if (i % 131 == 5)
			fold_val[i] = -INFINITY;
		if (i % 977 == 3)
			fold_val[i] = 1e6f; /* a lone spike: its column must keep it */
		if (i == 10)
			fold_val[i] = 1e-30f; /* the smallest positive, folded early: a log axis's floor */
	}
}

/* A live history whose run (generation 1) planned `span` epochs, keeping
 * `keep` points a curve (0: what the span gives). */
static void start_run(struct history *h, uint32_t span, uint32_t keep)
{
	history_init(h, true);
	add(h, rec(1, 0, 0, MET_START, 0, 0));
	history_set_span(h, span);
	if (keep)
		h->keep = keep;
}

static void add_fold_points(struct history *h, int from, int to)
{
	for (int i = from; i < to; i++)
		add(h, rec(1, fold_ep[i], 1, MET_TRAIN_LOSS, 0, fold_val[i]));
}

/* Every column of cs against brute force over the first n points: the
 * same min and max exactly. Returns their smallest positive value. */
static float check_columns(const struct colsum *cs, int n)
{
	static float mn[HISTORY_FOLD_COLS], mx[HISTORY_FOLD_COLS];
	int ncols = cs->ncols;
	float minpos = NAN;
	for (int c = 0; c < ncols; c++)
		mn[c] = mx[c] = NAN;
	for (int i = 0; i < n; i++) {
		float v = fold_val[i];
		if (!isfinite(v))
			continue;
		int c = epoch_col(fold_ep[i], FOLD_P, ncols);
		if (isnan(mn[c]) || v < mn[c])
			mn[c] = v;
		if (isnan(mx[c]) || v > mx[c])
			mx[c] = v;
		if (v > 0 && (isnan(minpos) || v < minpos))
			minpos = v;
	}
	for (int c = 0; c < ncols; c++) {
		assert_true(isnan(mn[c]) == isnan(cs->min[c]) && isnan(mx[c]) == isnan(cs->max[c]));
		if (!isnan(mn[c])) {
			assert_true(cs->min[c] == mn[c] && cs->max[c] == mx[c]);
		}
	}
	return minpos;
}

static void test_fold_keeps_every_column_exact(void **state)
{
	(void)state;
	fold_points();
	struct history h;
	start_run(&h, FOLD_P, 64);
	add_fold_points(&h, 0, FOLD_N);
	const struct point_series *ps = &h.pts[1][MET_TRAIN_LOSS];
	const struct point_fold *f = &h.fold[1][MET_TRAIN_LOSS];
	assert_true(f->folded > 0);
	assert_int_equal(f->folded + ps->n, FOLD_N);
	for (int ncols = 1; ncols <= (int)HISTORY_FOLD_COLS; ncols++) {
		struct colsum cs;
		colsum_init(&cs);
		assert_int_equal(colsum_reset(&cs, ncols, FOLD_P), 0);
		colsum_update_folded(&cs, ps, f);
		float mp = check_columns(&cs, FOLD_N);
		double lo, hi, pos;
		assert_true(colsum_extent(&cs, &lo, &hi, &pos));
		assert_true(pos == mp); /* (cmocka's float compare takes NaN for anything) */
		colsum_free(&cs);
	}
	history_free(&h);
}

/* A summary that folds while the chart reads it, as the live UI does: the
 * columns stay those of every point, and a fold of points the chart has not
 * read yet rebuilds it. */
static void test_fold_while_drawing(void **state)
{
	(void)state;
	fold_points();
	struct history h;
	start_run(&h, FOLD_P, 256);
	struct colsum cs;
	colsum_init(&cs);
	colsum_reset(&cs, 2 * 71, FOLD_P); /* the chart of an 80-column terminal */
	int i = 0, step = 1;
	while (i < FOLD_N) {
		int to = i + step < FOLD_N ? i + step : FOLD_N;
		add_fold_points(&h, i, to);
		i = to;
		step = step * 7 % 997 + 1; /* now and then more than `keep` a frame */
		colsum_update_folded(&cs, &h.pts[1][MET_TRAIN_LOSS], &h.fold[1][MET_TRAIN_LOSS]);
		check_columns(&cs, i);
	}
	colsum_free(&cs);
	history_free(&h);
}

/* The ranges of the longest run a scenario can plan (31 lottery rounds of
 * 10^6 epochs): none straddles a column boundary of any chart up to
 * HISTORY_FOLD_COLS wide, and there are at most HISTORY_FOLD_RANGES. */
static void test_ranges_never_straddle_a_column(void **state)
{
	(void)state;
	const uint32_t span = 31 * SCENARIO_MAX_EPOCHS;
	struct history h;
	start_run(&h, span, 4);
	for (uint32_t e = 0; e < 8; e++)
		add(&h, rec(1, e * (span / 7), 0, MET_TEST_LOSS, 0, e));
	const struct point_fold *f = &h.fold[0][MET_TEST_LOSS];
	assert_non_null(f->lo);
	assert_int_equal(f->span, span);
	assert_true(f->n > 1 && f->n <= HISTORY_FOLD_RANGES);
	assert_int_equal(f->start[0], 0);
	for (uint32_t r = 0; r + 1 < f->n; r++) {
		assert_true(f->start[r] < f->start[r + 1]);
		for (int ncols = 2; ncols <= (int)HISTORY_FOLD_COLS; ncols++)
			if (epoch_col(f->start[r], span, ncols) != epoch_col(f->start[r + 1] - 1, span, ncols))
				fail_msg("range %u [%u, %u) straddles a column of %d", r, f->start[r], f->start[r + 1], ncols);
	}
	/* the open last range: every epoch from its start on is the last column */
	for (int ncols = 2; ncols <= (int)HISTORY_FOLD_COLS; ncols++)
		assert_int_equal(epoch_col(f->start[f->n - 1], span, ncols), ncols - 1);
	history_free(&h);
}

/* Memory stays bounded however long the run, and the latest points are
 * kept exactly, in order. */
static void test_fold_bounds_memory_and_keeps_the_latest(void **state)
{
	(void)state;
	struct history h;
	start_run(&h, 1000000, 1024);
	const uint32_t n = 1000000;
	for (uint32_t e = 1; e <= n; e++)
		add(&h, rec(1, e, 0, MET_TRAIN_LOSS, 0, 1.0 / e));
	const struct point_series *ps = &h.pts[0][MET_TRAIN_LOSS];
	const struct point_fold *f = &h.fold[0][MET_TRAIN_LOSS];
	assert_true(ps->cap <= 1024);
	assert_true(ps->n >= 512 && ps->n <= 1024);
	assert_true(f->n <= HISTORY_FOLD_RANGES);
	assert_int_equal(f->folded + ps->n, n);
	for (uint32_t i = 0; i < ps->n; i++) {
		assert_int_equal(ps->epoch[i], n - ps->n + 1 + i);
		assert_true(ps->value[i] == 1.0 / ps->epoch[i]);
	}
	assert_true(f->minpos == (float)(1.0 / (double)f->folded));
	assert_int_equal(history_kept_from(&h), ps->epoch[0]);
	/* a new run forgets the summary */
	assert_true(add(&h, rec(2, 0, 0, MET_START, 0, 0)));
	assert_int_equal(h.fold[0][MET_TRAIN_LOSS].folded, 0);
	assert_null(h.fold[0][MET_TRAIN_LOSS].lo);
	assert_int_equal(history_kept_from(&h), 0);
	history_free(&h);
}

/* A curve keeps what its run plans, up to HISTORY_KEEP_POINTS: a run of a
 * million epochs (SCENARIO_MAX_EPOCHS) keeps every point. */
static void test_keep_follows_the_span(void **state)
{
	(void)state;
	struct history h;
	history_init(&h, true);
	assert_int_equal(h.keep, HISTORY_KEEP_POINTS);
	history_set_span(&h, 200);
	assert_int_equal(h.keep, 200 + 25 + 256);
	history_set_span(&h, SCENARIO_MAX_EPOCHS);
	assert_true(h.keep >= SCENARIO_MAX_EPOCHS + 1);
	assert_int_equal(h.keep, HISTORY_KEEP_POINTS);
	history_set_span(&h, 31 * SCENARIO_MAX_EPOCHS);
	assert_int_equal(h.keep, HISTORY_KEEP_POINTS);
	add(&h, rec(1, 0, 0, MET_START, 0, 0));
	for (uint32_t e = 0; e < SCENARIO_MAX_EPOCHS; e++)
		add(&h, rec(1, e, 0, MET_TRAIN_LOSS, 0, 1));
	assert_int_equal(h.pts[0][MET_TRAIN_LOSS].n, SCENARIO_MAX_EPOCHS);
	assert_int_equal(h.fold[0][MET_TRAIN_LOSS].folded, 0);
	history_free(&h);
}

/* The budget: each curve the scenario can draw, with the points it keeps
 * and its ranges, plus the shared range starts; the test hook sets what is
 * kept whatever the span. */
static void test_budget_and_keep_hook(void **state)
{
	(void)state;
	struct scenario sc;
	char err[SCENARIO_ERR_LEN];
	if (scenario_load("scenarios/11-lottery-tickets.ini", &sc, err, sizeof err) != 0)
		fail_msg("%s", err);
	/* two nets, train and test loss, 11 rounds of 200 epochs */
	size_t planned = 11 * 200, keep = planned + planned / 8 + 256;
	assert_int_equal(history_budget(&sc), 4 * (keep * 12 + (planned + 1) * 8) + (planned + 1) * 4);
	sc.train.epochs = SCENARIO_MAX_EPOCHS;
	sc.train.rounds = 30;
	size_t most = 4 * ((size_t)HISTORY_KEEP_POINTS * 12 + (size_t)HISTORY_FOLD_RANGES * 8) + HISTORY_FOLD_RANGES * 4;
	assert_int_equal(history_budget(&sc), most);
	assert_true(most <= (size_t)53 << 20); /* 52.5 MiB, as the README says */
	struct history h;
	setenv("OVERPARAM_HISTORY_KEEP", "100", 1);
	history_init(&h, true);
	assert_int_equal(h.keep, 100);
	history_set_span(&h, 31 * SCENARIO_MAX_EPOCHS);
	assert_int_equal(h.keep, 100);
	history_free(&h);
	history_init(&h, false); /* headless keeps no points: no hook */
	history_set_span(&h, 1000);
	assert_int_equal(h.keep, history_keep_for(1000));
	history_free(&h);
	setenv("OVERPARAM_HISTORY_KEEP", "1", 1);
	history_init(&h, true);
	assert_int_equal(h.keep, HISTORY_KEEP_POINTS);
	history_free(&h);
	unsetenv("OVERPARAM_HISTORY_KEEP");
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
		cmocka_unit_test(test_fold_keeps_every_column_exact),
		cmocka_unit_test(test_fold_while_drawing),
		cmocka_unit_test(test_ranges_never_straddle_a_column),
		cmocka_unit_test(test_fold_bounds_memory_and_keeps_the_latest),
		cmocka_unit_test(test_keep_follows_the_span),
		cmocka_unit_test(test_budget_and_keep_hook),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
