/* test_double_descent.c: the double-descent scenario (6) and the ridge
 * solver under it. Ridge against an independent route (least squares on the
 * augmented system [X; sqrt(lambda) I] by SVD); the grid of feature counts;
 * and the curve the class is shown, from full headless runs with seeds 42,
 * 1 and 2: test error peaks within a factor 1.5 of N = n, ends at 10n below
 * its value at n/2, train error is zero from N = n on, a ridge of 0.1 cuts
 * the peak at least fivefold, and more label noise raises it. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "overparam/data.h"
#include "overparam/experiment.h"
#include "overparam/history.h"
#include "overparam/linalg.h"
#include "overparam/linear.h"
#include "overparam/rng.h"
#include "overparam/run_loop.h"
#include "overparam/scenario.h"

#define DD_FILE "scenarios/06-double-descent.ini"

static const uint64_t seeds[] = {42, 1, 2};

static void load(const char *path, struct scenario *sc)
{
	char err[SCENARIO_ERR_LEN];
	if (scenario_load(path, sc, err, sizeof err) != 0)
		fail_msg("%s", err);
}

static void emit_to_history(void *ctx, const struct op_record *rec)
{
	history_add(ctx, rec);
}

/* The loop the headless runner and the trainer run (run_loop.h). */
static void run_scenario(const struct scenario *sc, uint64_t seed, struct history *h, struct run_desc *d)
{
	const struct experiment_ops *ops = experiment_ops_for(sc->kind);
	ops->describe(sc, d);
	history_init(h, false);
	struct emitter em = {.emit = emit_to_history, .ctx = h, .generation = 1};
	char err[SCENARIO_ERR_LEN];
	struct run_stats st;
	if (experiment_run(ops, sc, seed, NULL, &em, &st, err, sizeof err) != 0)
		fail_msg("%s", err);
	assert_int_equal(st.epochs, d->n_grid);
}

static void apply_knob(struct scenario *sc, const char *name, double value)
{
	char err[SCENARIO_ERR_LEN];
	for (int i = 0; i < sc->n_knobs; i++)
		if (strcmp(sc->knobs[i].name, name) == 0) {
			if (scenario_apply_knob(sc, i, value, err, sizeof err) != 0)
				fail_msg("%s", err);
			return;
		}
	fail_msg("no knob %s", name);
}

/* ---- ridge ------------------------------------------------------------------ */

/* min ||X t - y||^2 + lambda ||t||^2 is least squares on [X; sqrt(lambda) I]
 * t = [y; 0], solved here by SVD: a route that shares nothing with the
 * Cholesky one under test. */
static void ridge_by_svd(const double *X /* (n, p) */, const double *y, int n, int p, double lambda,
			 double *theta /* (p) */)
{
	int rows = n + p;
	double *A = calloc((size_t)rows * p, sizeof *A), *b = calloc((size_t)rows, sizeof *b);
	assert_true(A && b);
	memcpy(A, X, (size_t)n * p * sizeof *A);
	memcpy(b, y, (size_t)n * sizeof *b);
	for (int j = 0; j < p; j++)
		A[(size_t)(n + j) * p + j] = sqrt(lambda);
	assert_int_equal(linalg_lstsq_svd(A, b, rows, p, theta), 0);
	free(A);
	free(b);
}

static void check_ridge(int n, int p, double lambda, uint64_t seed)
{
	struct rng r;
	int m = n < p ? n : p;
	double *X = malloc((size_t)n * p * sizeof *X), *y = malloc((size_t)n * sizeof *y);
	double *w = malloc((size_t)p * sizeof *w), *got = malloc((size_t)p * sizeof *got);
	double *want = malloc((size_t)p * sizeof *want), *work = malloc(((size_t)m * m + m) * sizeof *work);
	assert_true(X && y && w && got && want && work);
	rng_seed(&r, seed, 0);
	data_spiked_f64(&r, X, n, p, p, 1.0);
	data_teacher_f64(&r, w, p, p);
	data_linear_labels_f64(&r, X, w, n, p, 0.5, y);
	assert_int_equal(linear_ridge(X, y, n, p, lambda, got, work), 0);
	ridge_by_svd(X, y, n, p, lambda, want);
	double scale = linalg_norm2(want, p);
	for (int j = 0; j < p; j++)
		if (fabs(got[j] - want[j]) > 1e-9 * scale)
			fail_msg("n %d p %d lambda %g: theta[%d] %.12g, want %.12g", n, p, lambda, j, got[j], want[j]);
	free(X);
	free(y);
	free(w);
	free(got);
	free(want);
	free(work);
}

static void test_ridge_matches_augmented_least_squares(void **state)
{
	(void)state;
	check_ridge(30, 80, 0.1, 1);  /* p > n: the dual system */
	check_ridge(80, 30, 0.1, 2);  /* p < n: the primal one */
	check_ridge(40, 40, 1e-3, 3); /* square */
	check_ridge(25, 60, 10, 4);
}

static void test_ridge_refuses_nonpositive_lambda(void **state)
{
	(void)state;
	double X[4] = {1, 0, 0, 1}, y[2] = {1, 2}, theta[2], work[6];
	assert_int_equal(linear_ridge(X, y, 2, 2, 0.0, theta, work), -1);
	assert_int_equal(linear_ridge(X, y, 2, 2, -1.0, theta, work), -1);
	/* X = I: theta = y / (1 + lambda) */
	assert_int_equal(linear_ridge(X, y, 2, 2, 1.0, theta, work), 0);
	assert_float_equal(theta[0], 0.5, 1e-15);
	assert_float_equal(theta[1], 1.0, 1e-15);
}

/* ---- the grid --------------------------------------------------------------- */

static void test_grid_is_geometric_and_holds_n(void **state)
{
	(void)state;
	struct scenario sc;
	load(DD_FILE, &sc);
	const int points[] = {31, 30, 12};
	for (size_t k = 0; k < sizeof points / sizeof *points; k++) {
		sc.model.features_points = points[k];
		struct run_desc d;
		experiment_describe(&sc, &d);
		int n = sc.data.samples, at_n = 0;
		assert_true(d.n_grid >= points[k] - 2 && d.n_grid <= points[k]);
		assert_float_equal(d.grid_x[0], 0.1 * n, 0.5);
		assert_float_equal(d.grid_x[d.n_grid - 1], 10.0 * n, 0.5);
		for (int i = 0; i < d.n_grid; i++) {
			if (d.grid_x[i] == n)
				at_n++;
			if (i > 0) {
				assert_true(d.grid_x[i] > d.grid_x[i - 1]);
				/* log spacing: each step is about (100)^(1/(points-1)) */
				double step = log(d.grid_x[i] / d.grid_x[i - 1]), want = log(100.0) / (points[k] - 1);
				assert_true(step < 3 * want);
			}
		}
		assert_int_equal(at_n, 1);
		assert_true(d.views[0].x_grid);
		assert_float_equal(d.views[0].vline, n, 0);
	}
}

/* ---- the curve -------------------------------------------------------------- */

/* Grid position of the value nearest v (in log). */
static int nearest(const struct run_desc *d, double v)
{
	int best = 0;
	for (int i = 1; i < d->n_grid; i++)
		if (fabs(log(d->grid_x[i] / v)) < fabs(log(d->grid_x[best] / v)))
			best = i;
	return best;
}

struct curve {
	double peak, peak_at, at_half, at_ten;
};

static struct curve run_curve(const struct scenario *sc, uint64_t seed)
{
	struct history h;
	struct run_desc d;
	run_scenario(sc, seed, &h, &d);
	const double *test = history_grid(&h, 0, MET_DD_TEST), *train = history_grid(&h, 0, MET_DD_TRAIN);
	assert_non_null(test);
	assert_non_null(train);
	double n = sc->data.samples;
	struct curve c = {.peak = -INFINITY};
	for (int i = 0; i < d.n_grid; i++) {
		assert_true(isfinite(test[i]));
		if (test[i] > c.peak) {
			c.peak = test[i];
			c.peak_at = d.grid_x[i];
		}
		/* min-norm least squares: a residual below N = n, an exact fit
		 * from N = n on */
		if (sc->train.ridge == 0)
			assert_true(d.grid_x[i] < n ? train[i] > 1e-3 : train[i] == 0);
	}
	c.at_half = test[nearest(&d, n / 2)];
	c.at_ten = test[nearest(&d, 10 * n)];
	/* what the table shows is what the curve says */
	assert_float_equal(h.last[0][MET_DD_PEAK], c.peak, 0);
	assert_float_equal(h.last[0][MET_DD_PEAK_AT], c.peak_at, 0);
	history_free(&h);
	return c;
}

static void test_double_descent_facts(void **state)
{
	(void)state;
	struct scenario sc;
	load(DD_FILE, &sc);
	double n = sc.data.samples;
	for (size_t s = 0; s < sizeof seeds / sizeof *seeds; s++) {
		struct scenario ridge = sc;
		apply_knob(&ridge, "ridge", 0.1);
		struct curve c = run_curve(&sc, seeds[s]), r = run_curve(&ridge, seeds[s]);
		print_message("seed %llu: peak %.4g at N %.0f, n/2 %.4g, 10n %.4g; ridge 0.1 peak %.4g at %.0f\n",
			      (unsigned long long)seeds[s], c.peak, c.peak_at, c.at_half, c.at_ten, r.peak, r.peak_at);
		assert_true(c.peak_at >= n / 1.5 && c.peak_at <= n * 1.5);
		assert_true(c.at_ten < c.at_half);
		assert_true(r.peak * 5 <= c.peak);
	}
}

/* The noise knob: with label noise 1 the peak is higher than with 0.25. */
static void test_noise_raises_the_peak(void **state)
{
	(void)state;
	struct scenario lo, hi;
	load(DD_FILE, &lo);
	hi = lo;
	apply_knob(&lo, "noise", 0.25);
	apply_knob(&hi, "noise", 1);
	struct curve a = run_curve(&lo, 42), b = run_curve(&hi, 42);
	print_message("peak %.4g at noise 0.25, %.4g at noise 1\n", a.peak, b.peak);
	assert_true(b.peak > 2 * a.peak);
}

/* The n knob moves the grid and the marker with it. */
static void test_n_knob_moves_the_threshold(void **state)
{
	(void)state;
	struct scenario sc;
	load(DD_FILE, &sc);
	apply_knob(&sc, "n", 50);
	assert_int_equal(sc.data.samples, 50);
	struct curve c = run_curve(&sc, 42);
	assert_true(c.peak_at >= 50 / 1.5 && c.peak_at <= 50 * 1.5);
}

int main(void)
{
	linalg_set_threads(1); /* as the program runs them */
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ridge_matches_augmented_least_squares),
		cmocka_unit_test(test_ridge_refuses_nonpositive_lambda),
		cmocka_unit_test(test_grid_is_geometric_and_holds_n),
		cmocka_unit_test(test_double_descent_facts),
		cmocka_unit_test(test_noise_raises_the_peak),
		cmocka_unit_test(test_n_knob_moves_the_threshold),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
