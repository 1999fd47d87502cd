/* test_lazy.c: the lazy-training scenario and the two-layer NTK net under
 * it. The net's tangent kernel and gradient against finite differences of
 * its own outputs and loss, its kernel at initialisation against the
 * infinite-width (arc-cosine) closed form, and the facts the class is shown:
 * the relative weight movement falls like 1/sqrt(width) (fitted slope
 * between -0.7 and -0.3), every width reaching the same training loss. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "overparam/experiment.h"
#include "overparam/history.h"
#include "overparam/ntk.h"
#include "overparam/rng.h"
#include "overparam/run_loop.h"
#include "overparam/scenario.h"

static const char *const shipped = "scenarios/10-lazy-training.ini";
static const uint64_t seeds[] = {42, 1, 2};

/* ---- the net against finite differences --------------------------------- */

struct tiny {
	struct ntk t;
	double X[4 * 3]; /* (n, d) */
	double y[4];
	int n, d, m;
};

static void tiny_make(struct tiny *s, uint64_t seed)
{
	s->n = 4;
	s->d = 3;
	s->m = 5;
	assert_int_equal(ntk_create(&s->t, s->n, s->d, 8), 0);
	ntk_set_width(&s->t, s->m);
	assert_int_equal(ntk_n_params(&s->t), (size_t)(5 * 4));
	struct rng r;
	rng_seed(&r, seed, 7);
	ntk_init(&s->t, &r);
	for (int i = 0; i < s->n * s->d; i++)
		s->X[i] = rng_normal(&r);
	for (int i = 0; i < s->n; i++)
		s->y[i] = rng_normal(&r);
}

/* J[i][p] = d f(x_i) / d theta_p by central differences. */
static void jacobian_fd(struct tiny *s, double *J /* (n, P) */)
{
	size_t P = ntk_n_params(&s->t);
	double h = 1e-6, fp[4], fm[4];
	for (size_t p = 0; p < P; p++) {
		double keep = s->t.params[p];
		s->t.params[p] = keep + h;
		memcpy(fp, ntk_forward(&s->t, s->X, s->n), sizeof fp);
		s->t.params[p] = keep - h;
		memcpy(fm, ntk_forward(&s->t, s->X, s->n), sizeof fm);
		s->t.params[p] = keep;
		for (int i = 0; i < s->n; i++)
			J[(size_t)i * P + p] = (fp[i] - fm[i]) / (2 * h);
	}
}

static void test_kernel_is_jacobian_gram(void **state)
{
	(void)state;
	for (uint64_t seed = 1; seed <= 3; seed++) {
		struct tiny s;
		tiny_make(&s, seed);
		size_t P = ntk_n_params(&s.t);
		double J[4 * 20], K[16];
		jacobian_fd(&s, J);
		ntk_kernel(&s.t, s.X, s.n, K);
		for (int i = 0; i < s.n; i++)
			for (int k = 0; k < s.n; k++) {
				double ref = 0;
				for (size_t p = 0; p < P; p++)
					ref += J[(size_t)i * P + p] * J[(size_t)k * P + p];
				assert_true(fabs(K[i * s.n + k] - ref) < 1e-7 * (1 + fabs(ref)));
				assert_true(K[i * s.n + k] == K[k * s.n + i]);
			}
		ntk_destroy(&s.t);
	}
}

static void test_gradient_matches_loss_differences(void **state)
{
	(void)state;
	struct tiny s;
	tiny_make(&s, 11);
	size_t P = ntk_n_params(&s.t);
	double g[20];
	double loss = ntk_loss_grad(&s.t, s.X, s.y, s.n);
	memcpy(g, s.t.grads, P * sizeof(double));
	/* The loss is the mean squared error of the outputs. */
	const double *f = ntk_forward(&s.t, s.X, s.n);
	double mse = 0;
	for (int i = 0; i < s.n; i++)
		mse += (f[i] - s.y[i]) * (f[i] - s.y[i]) / s.n;
	assert_true(fabs(loss - mse) < 1e-12);
	double h = 1e-6;
	for (size_t p = 0; p < P; p++) {
		double keep = s.t.params[p];
		s.t.params[p] = keep + h;
		double lp = ntk_loss_grad(&s.t, s.X, s.y, s.n);
		s.t.params[p] = keep - h;
		double lm = ntk_loss_grad(&s.t, s.X, s.y, s.n);
		s.t.params[p] = keep;
		double fd = (lp - lm) / (2 * h);
		assert_true(fabs(g[p] - fd) < 1e-6 * (1 + fabs(fd)));
	}
	ntk_destroy(&s.t);
}

/* The infinite-width kernel of this parameterisation (Cho & Saul's
 * arc-cosine kernels): with c = cos(angle), r = |x||x'|/d,
 *   K = r [ (sqrt(1 - c^2) + (pi - acos c) c) / (2 pi) + c (pi - acos c) / (2 pi) ]. */
static double ntk_limit(const double *x, const double *z, int d)
{
	double xx = 0, zz = 0, xz = 0;
	for (int j = 0; j < d; j++) {
		xx += x[j] * x[j];
		zz += z[j] * z[j];
		xz += x[j] * z[j];
	}
	double c = xz / sqrt(xx * zz);
	c = c > 1 ? 1 : c < -1 ? -1 : c;
	double th = acos(c), r = sqrt(xx * zz) / d;
	return r * ((sqrt(1 - c * c) + (M_PI - th) * c) / (2 * M_PI) + c * (M_PI - th) / (2 * M_PI));
}

static void test_wide_kernel_is_width_independent(void **state)
{
	(void)state;
	enum { N = 4, D = 6, M = 16384 };
	struct ntk t;
	assert_int_equal(ntk_create(&t, N, D, M), 0);
	struct rng r;
	rng_seed(&r, 5, 1);
	double X[N * D], K[N * N];
	for (int i = 0; i < N * D; i++)
		X[i] = rng_normal(&r);
	ntk_init(&t, &r);
	ntk_kernel(&t, X, N, K);
	for (int i = 0; i < N; i++)
		for (int k = 0; k < N; k++) {
			double ref = ntk_limit(X + i * D, X + k * D, D);
			/* Monte Carlo over 16384 units: a few percent of the diagonal. */
			double scale = sqrt(ntk_limit(X + i * D, X + i * D, D) * ntk_limit(X + k * D, X + k * D, D));
			assert_true(fabs(K[i * N + k] - ref) < 0.04 * scale);
		}
	ntk_destroy(&t);
}

/* ---- the scenario -------------------------------------------------------- */

struct run {
	struct history h;
	struct run_desc d;
	uint32_t steps;
};

static void run_emit(void *ctx, const struct op_record *rec)
{
	history_add(&((struct run *)ctx)->h, rec);
}

static void load(const char *path, struct scenario *sc)
{
	char err[SCENARIO_ERR_LEN];
	if (scenario_load(path, sc, err, sizeof err) != 0)
		fail_msg("%s", err);
}

/* The headless runner's and the trainer's loop (run_loop.h). */
static void run_scenario(const struct scenario *sc, uint64_t seed, struct run *r)
{
	const struct experiment_ops *ops = experiment_ops_for(sc->kind);
	memset(r, 0, sizeof *r);
	ops->describe(sc, &r->d);
	history_init(&r->h, false);
	struct emitter em = {.emit = run_emit, .ctx = r, .generation = 1};
	char err[SCENARIO_ERR_LEN];
	struct run_stats st;
	if (experiment_run(ops, sc, seed, NULL, &em, &st, err, sizeof err) != 0)
		fail_msg("%s", err);
	r->steps = st.epochs;
}

/* Least squares in log-log, independent of the experiment's own fit. */
static double fit_slope(const double *x, const double *y, int n)
{
	double mx = 0, my = 0;
	for (int i = 0; i < n; i++) {
		mx += log(x[i]) / n;
		my += log(y[i]) / n;
	}
	double sxy = 0, sxx = 0;
	for (int i = 0; i < n; i++) {
		sxy += (log(x[i]) - mx) * (log(y[i]) - my);
		sxx += (log(x[i]) - mx) * (log(x[i]) - mx);
	}
	return sxy / sxx;
}

static void test_movement_falls_like_inverse_sqrt_width(void **state)
{
	(void)state;
	struct scenario sc;
	load(shipped, &sc);
	assert_int_equal(sc.kind, KIND_LAZY_TRAINING);
	assert_int_equal(sc.model.n_widths, 7);
	assert_int_equal(sc.model.widths[0], 16);
	assert_int_equal(sc.model.widths[6], 1024);
	for (size_t s = 0; s < sizeof seeds / sizeof *seeds; s++) {
		struct run r;
		run_scenario(&sc, seeds[s], &r);
		const struct history *h = &r.h;
		int n = r.d.n_grid;
		assert_int_equal(n, 7);
		/* the chart's movement: the first layer W alone */
		const double *move = history_grid(h, 0, MET_LAZY_W_MOVEMENT), *drift = history_grid(h, 0, MET_LAZY_DRIFT);
		const double *end = history_grid(h, 0, MET_LAZY_END_LOSS), *steps = history_grid(h, 0, MET_LAZY_STEPS);
		const double *ref = history_grid(h, 1, MET_LAZY_W_MOVEMENT), *kref = history_grid(h, 2, MET_LAZY_DRIFT);
		assert_non_null(move);
		assert_non_null(drift);
		assert_non_null(end);
		assert_non_null(steps);
		assert_non_null(ref);
		assert_non_null(kref);
		double slope = fit_slope(r.d.grid_x, move, n), kslope = fit_slope(r.d.grid_x, drift, n);
		print_message("seed %llu: movement %.3g .. %.3g slope %.3f; kernel drift %.3g .. %.3g slope %.3f; %u steps\n",
			      (unsigned long long)seeds[s], move[0], move[n - 1], slope, drift[0], drift[n - 1], kslope,
			      r.steps);
		/* every width fitted the same data to the same loss, well before the cap */
		for (int i = 0; i < n; i++) {
			assert_true(end[i] < sc.train.target_loss);
			assert_true(steps[i] > 0 && steps[i] < sc.train.epochs);
		}
		/* the claim: relative movement ~ width^-1/2 */
		assert_true(slope > -0.7 && slope < -0.3);
		assert_true(fabs(h->last[0][MET_LAZY_SLOPE] - slope) < 1e-9);
		/* and the kernel freezes at least as fast */
		assert_true(kslope < -0.5);
		/* reference lines through the first point: slopes -1/2 and -1 */
		for (int i = 0; i < n; i++) {
			double q = r.d.grid_x[0] / r.d.grid_x[i];
			assert_true(fabs(ref[i] - move[0] * sqrt(q)) < 1e-12 * move[0]);
			assert_true(fabs(kref[i] - drift[0] * q) < 1e-12 * drift[0]);
		}
		assert_false(h->seen[0][MET_DIVERGED]);
		history_free(&r.h);
	}
}

/* A rerun is bit-identical: the class can restart and see the same run. */
static void test_rerun_is_identical(void **state)
{
	(void)state;
	struct scenario sc;
	load(shipped, &sc);
	sc.model.n_widths = 3; /* 16, 32, 64: enough to compare */
	struct run a, b;
	run_scenario(&sc, 42, &a);
	run_scenario(&sc, 42, &b);
	assert_int_equal(a.steps, b.steps);
	const double *ma = history_grid(&a.h, 0, MET_LAZY_MOVEMENT), *mb = history_grid(&b.h, 0, MET_LAZY_MOVEMENT);
	assert_memory_equal(ma, mb, 3 * sizeof(double));
	history_free(&a.h);
	history_free(&b.h);
}

/* The headless table: one row per width and the verdict. */
static void test_report_lists_every_width(void **state)
{
	(void)state;
	struct scenario sc;
	load(shipped, &sc);
	struct run r;
	run_scenario(&sc, 42, &r);
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	assert_non_null(f);
	experiment_ops_for(sc.kind)->report(&sc, &r.d, &r.h, f);
	fclose(f);
	for (int i = 0; i < sc.model.n_widths; i++) {
		char row[32];
		snprintf(row, sizeof row, "\n%8d ", sc.model.widths[i]);
		assert_non_null(strstr(buf, row));
	}
	assert_non_null(strstr(buf, "RESULT: lazy training"));
	free(buf);
	history_free(&r.h);
}

/* What create allocates stays under the scenario's memory estimate. */
static void test_memory_estimate_covers_the_nets(void **state)
{
	(void)state;
	struct scenario sc;
	load(shipped, &sc);
	double n = sc.data.samples, d = sc.data.dim, m = 1024;
	double real = 8 * (4 * m * (d + 1) + 2 * n * m + 3 * n * n + n * d + 3 * n);
	assert_true((double)scenario_memory(&sc) >= real);
	assert_true((double)scenario_memory(&sc) <= 2 * real + 65536);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_kernel_is_jacobian_gram),
		cmocka_unit_test(test_gradient_matches_loss_differences),
		cmocka_unit_test(test_wide_kernel_is_width_independent),
		cmocka_unit_test(test_movement_falls_like_inverse_sqrt_width),
		cmocka_unit_test(test_rerun_is_identical),
		cmocka_unit_test(test_report_lists_every_width),
		cmocka_unit_test(test_memory_estimate_covers_the_nets),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
