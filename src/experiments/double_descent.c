/* double_descent.c: the double-descent curve of random-features regression.
 * Inputs x ~ N(0, I_d), labels y = x . w + sigma * noise with a linear
 * teacher w ~ N(0, I_d / d) (signal variance ~1). Features are random ReLU
 * units phi(x) = relu(W x) / sqrt(N), W ~ N(0, 1/d) per entry, and the fit is
 * the min-norm least-squares solution (or ridge with lambda > 0) on N of
 * them. Each step adds one N of a log grid from n/10 to 10n (N = n
 * included) and sends its train and test MSE, the median over independent
 * draws of data and features (near N = n one unlucky draw's test MSE can
 * be a hundred times the others', which a mean would show as the peak's
 * height), so the curve grows live: test
 * MSE rises to a peak where N = n (the fit just manages to interpolate,
 * with a huge norm), then falls again as more features give smoother
 * interpolants. Features are nested: the fit on N uses the first N rows of
 * one W, so neighbouring grid points differ only by the features added. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cblas.h>

#include "experiments/claims.h"
#include "experiments/report.h"
#include "overparam/arrays.h"
#include "overparam/data.h"
#include "overparam/experiment.h"
#include "overparam/history.h"
#include "overparam/linalg.h"
#include "overparam/linear.h"
#include "overparam/rng.h"
#include "overparam/run_loop.h"
#include "overparam/workers.h"

enum { STREAM_TEACHER, STREAM_TRAIN, STREAM_TEST, STREAM_FEATURES, STREAMS_PER_DRAW };

/* A train MSE below this fraction of mean(y^2) is an exact fit up to
 * rounding, sent as 0: on a log axis 1e-28 would stretch the scale over
 * decades of nothing and squash the curve that matters. */
#define ZERO_FIT 1e-9
#define MAX_DRAWS 32 /* train.repeats' upper bound (src/config/keys.c) */

struct draw {
	double *X, *y;           /* (n, d), (n) */
	double *X_test, *y_test; /* (n_test, d), (n_test) */
	double *W;               /* (N_max, d) feature weights */
	double y2;               /* mean(y^2) */
};

/* Test rows whose features are made at once: the test MSE goes a block at
 * a time (1000 rows at N = 1000 would be 8 MB a thread). Each row's
 * residual is the same dot product whatever the block, so the figures are
 * the same bits as with the whole matrix. */
#define TEST_BLOCK 128

/* What one fit writes: a set a thread. */
struct scratch {
	double *phi, *phi_test;  /* (n, N_max), (min(n_test, TEST_BLOCK), N_max) */
	double *theta;           /* (max(N_max, d)) */
	double *work;            /* (n*n + n) */
	double *resid;           /* (max(n, n_test)) */
};

struct dd {
	struct scenario sc;
	int n, n_test, d, n_draws, n_grid, n_max;
	int N[RUN_MAX_GRID];
	struct draw *draws;      /* (n_draws) */
	struct scratch s[2];     /* the second only with a team: its thread's */
	struct workers *team;    /* two threads or more, and s[1] made; else NULL */
	double peak, peak_at;
	int step;
	struct arrays mem;       /* owns every array above */
};

/* The log grid of N from features_from * n to features_to * n, the point
 * nearest n (in log) moved onto n, rounding duplicates dropped. Returns the
 * number of points. */
static int dd_grid(const struct scenario *sc, int *N /* (RUN_MAX_GRID) */)
{
	int n = sc->data.samples, points = sc->model.features_points;
	if (points > RUN_MAX_GRID)
		points = RUN_MAX_GRID;
	double lo = sc->model.features_from * n, hi = sc->model.features_to * n;
	double g[RUN_MAX_GRID];
	int near = 0;
	for (int i = 0; i < points; i++) {
		g[i] = points > 1 ? lo * pow(hi / lo, (double)i / (points - 1)) : lo;
		if (fabs(log(g[i] / n)) < fabs(log(g[near] / n)))
			near = i;
	}
	g[near] = n;
	int count = 0;
	for (int i = 0; i < points; i++) {
		long v = lround(g[i]);
		if (v < 1)
			v = 1;
		if (count == 0 || v > N[count - 1])
			N[count++] = (int)v;
	}
	return count;
}

static void dd_destroy(struct experiment *x)
{
	struct dd *m = (struct dd *)x;
	if (!m)
		return;
	arrays_free(&m->mem);
	free(m);
}

/* Draw r of the data, the teacher and the features, each its own stream. */
static void dd_fill(struct dd *m, struct draw *dr, uint64_t seed, int r)
{
	struct rng g;
	uint64_t base = (uint64_t)r * STREAMS_PER_DRAW;
	double *w = m->s[0].theta; /* (d) the teacher, only needed for the labels */
	rng_seed(&g, seed, base + STREAM_TEACHER);
	data_teacher_f64(&g, w, m->d, m->d);
	cblas_dscal(m->d, 1.0 / sqrt(m->d), w, 1);
	rng_seed(&g, seed, base + STREAM_TRAIN);
	data_spiked_f64(&g, dr->X, m->n, m->d, m->d, 1.0);
	data_linear_labels_f64(&g, dr->X, w, m->n, m->d, m->sc.data.noise, dr->y);
	rng_seed(&g, seed, base + STREAM_TEST);
	data_spiked_f64(&g, dr->X_test, m->n_test, m->d, m->d, 1.0);
	data_linear_labels_f64(&g, dr->X_test, w, m->n_test, m->d, m->sc.data.noise, dr->y_test);
	/* W ~ N(0, 1/d), so w_j . x ~ N(0, ~1) */
	rng_seed(&g, seed, base + STREAM_FEATURES);
	data_spiked_f64(&g, dr->W, m->n_max, m->d, m->d, 1.0);
	cblas_dscal(m->n_max * m->d, 1.0 / sqrt(m->d), dr->W, 1);
	dr->y2 = cblas_ddot(m->n, dr->y, 1, dr->y, 1) / m->n;
}

static void scratch_alloc(struct dd *m, struct scratch *s)
{
	size_t n = (size_t)m->n, nt = (size_t)m->n_test, d = (size_t)m->d, nm = (size_t)m->n_max;
	s->phi = arrays_alloc(&m->mem, n * nm, sizeof *s->phi);
	s->phi_test = arrays_alloc(&m->mem, (nt < TEST_BLOCK ? nt : TEST_BLOCK) * nm, sizeof *s->phi_test);
	s->theta = arrays_alloc(&m->mem, nm > d ? nm : d, sizeof *s->theta);
	s->work = arrays_alloc(&m->mem, n * n + n, sizeof *s->work);
	s->resid = arrays_alloc(&m->mem, n > nt ? n : nt, sizeof *s->resid);
}

static int dd_create(const struct scenario *sc, uint64_t seed, struct experiment **out, char *err, size_t errlen)
{
	struct dd *m = calloc(1, sizeof *m);
	if (!m)
		goto oom;
	m->sc = *sc;
	m->n = sc->data.samples;
	m->n_test = sc->data.test_samples;
	m->d = sc->data.dim;
	m->n_draws = sc->train.repeats < MAX_DRAWS ? sc->train.repeats : MAX_DRAWS;
	m->n_grid = dd_grid(sc, m->N);
	m->n_max = m->N[m->n_grid - 1];
	m->peak = -INFINITY;
	m->peak_at = NAN;
	size_t n = (size_t)m->n, nt = (size_t)m->n_test, d = (size_t)m->d, nm = (size_t)m->n_max;
	m->draws = arrays_alloc(&m->mem, (size_t)m->n_draws, sizeof *m->draws);
	scratch_alloc(m, &m->s[0]);
	for (int r = 0; !m->mem.failed && r < m->n_draws; r++) {
		if (run_cancelled()) /* up to 32 big draws: give way (run_loop.h) */
			goto fail;
		struct draw *dr = &m->draws[r];
		dr->X = arrays_alloc(&m->mem, n * d, sizeof *dr->X);
		dr->y = arrays_alloc(&m->mem, n, sizeof *dr->y);
		dr->X_test = arrays_alloc(&m->mem, nt * d, sizeof *dr->X_test);
		dr->y_test = arrays_alloc(&m->mem, nt, sizeof *dr->y_test);
		dr->W = arrays_alloc(&m->mem, nm * d, sizeof *dr->W);
		if (!m->mem.failed)
			dd_fill(m, dr, seed, r);
	}
	if (m->mem.failed)
		goto oom;
	*out = (struct experiment *)m;
	return 0;
oom:
	snprintf(err, errlen, "%s: out of memory building the random-features problem", sc->path);
fail: /* cancelled: run_loop_open says so */
	dd_destroy((struct experiment *)m);
	return -1;
}

/* phi = relu(X W[:N]^T / sqrt(N)): relu commutes with the positive scale. */
static void features(const double *X /* (rows, d) */, int rows, int d, const double *W /* (N_max, d) */, int N,
		     double *phi /* (rows, N) */)
{
	cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasTrans, rows, N, d, 1.0 / sqrt(N), X, d, W, d, 0.0, phi, N);
	size_t total = (size_t)rows * (size_t)N;
	for (size_t i = 0; i < total; i++)
		phi[i] = phi[i] > 0 ? phi[i] : 0;
}

/* The test MSE of the fit in s->theta, TEST_BLOCK rows of features at a
 * time: linear_mse's residuals, then one dot over all of them. */
static double test_mse(const struct dd *m, const struct scratch *s, const struct draw *dr, int N)
{
	for (int r0 = 0; r0 < m->n_test; r0 += TEST_BLOCK) {
		int rows = m->n_test - r0 < TEST_BLOCK ? m->n_test - r0 : TEST_BLOCK;
		features(dr->X_test + (size_t)r0 * (size_t)m->d, rows, m->d, dr->W, N, s->phi_test);
		cblas_dcopy(rows, dr->y_test + r0, 1, s->resid + r0, 1);
		cblas_dgemv(CblasRowMajor, CblasNoTrans, rows, N, 1.0, s->phi_test, N, s->theta, 1, -1.0, s->resid + r0,
			    1);
	}
	return cblas_ddot(m->n_test, s->resid, 1, s->resid, 1) / m->n_test;
}

/* Fits draw dr on N features in scratch s; its train MSE, test MSE and
 * ||theta||. */
static void fit_one(const struct dd *m, const struct scratch *s, const struct draw *dr, int N, double *train,
		    double *test, double *norm)
{
	features(dr->X, m->n, m->d, dr->W, N, s->phi);
	double lambda = m->sc.train.ridge;
	int rc = lambda > 0 ? linear_ridge(s->phi, dr->y, m->n, N, lambda, s->theta, s->work)
			    : linear_min_norm(s->phi, dr->y, m->n, N, s->theta, s->work);
	if (rc != 0) {
		*train = *test = *norm = NAN;
		return;
	}
	*train = linear_mse(s->phi, dr->y, m->n, N, s->theta, s->resid);
	if (*train < ZERO_FIT * dr->y2)
		*train = 0;
	*test = m->n_test > 0 ? test_mse(m, s, dr, N) : NAN;
	*norm = linalg_norm2(s->theta, N);
}

/* One grid point's fits, the draws dealt out to the shares (each draw's
 * fit is the same whichever thread does it). */
struct fits {
	const struct dd *m;
	int N, shares;
	double *tr, *te, *no; /* (n_draws) each */
};

static void fits_share(void *ctx, int phase, int share)
{
	(void)phase;
	const struct fits *f = ctx;
	const struct dd *m = f->m;
	for (int r = share; r < m->n_draws; r += f->shares) {
		if (run_cancelled()) /* each fit can take seconds: give way (run_loop.h) */
			return;
		fit_one(m, &m->s[share], &m->draws[r], f->N, &f->tr[r], &f->te[r], &f->no[r]);
	}
}

/* With a team of two or more, a second scratch set for the helper's
 * fits; without the memory for it, one thread does them all. */
static void dd_use_workers(struct experiment *x, struct workers *wk)
{
	struct dd *m = (struct dd *)x;
	m->team = NULL;
	if (workers_threads(wk) < 2 || m->n_draws < 2)
		return;
	if (!m->s[1].phi)
		scratch_alloc(m, &m->s[1]);
	if (!m->mem.failed)
		m->team = wk;
}

static int by_value(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

/* The median of v (n >= 1), NaN when one is NaN (a failed fit); sorts v. */
static double median_of(double *v /* (n) */, int n)
{
	for (int i = 0; i < n; i++)
		if (isnan(v[i]))
			return NAN;
	qsort(v, (size_t)n, sizeof *v, by_value);
	return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

/* One grid point: every draw fitted on N features, the medians sent. */
static bool dd_step(struct experiment *x, struct emitter *em)
{
	struct dd *m = (struct dd *)x;
	if (m->step >= m->n_grid)
		return false;
	int i = m->step, N = m->N[i];
	double tr[MAX_DRAWS], te[MAX_DRAWS], no[MAX_DRAWS];
	struct fits f = {.m = m, .N = N, .shares = m->team ? 2 : 1, .tr = tr, .te = te, .no = no};
	workers_run(m->team, fits_share, &f, 1, f.shares);
	if (run_cancelled())
		return false;
	double train = median_of(tr, m->n_draws), test = median_of(te, m->n_draws), norm = median_of(no, m->n_draws);
	uint32_t e = (uint32_t)i;
	emitter_put(em, e, 0, MET_DD_TRAIN, (uint32_t)i, train);
	emitter_put(em, e, 0, MET_DD_TEST, (uint32_t)i, test);
	emitter_put(em, e, 0, MET_DD_NORM, (uint32_t)i, norm);
	emitter_put(em, e, 0, MET_DD_FEATURES, 0, N);
	if (test > m->peak) {
		m->peak = test;
		m->peak_at = N;
	}
	if (isfinite(m->peak)) {
		emitter_put(em, e, 0, MET_DD_PEAK, 0, m->peak);
		emitter_put(em, e, 0, MET_DD_PEAK_AT, 0, m->peak_at);
	}
	m->step++;
	return m->step < m->n_grid;
}

static void dd_describe(const struct scenario *sc, struct run_desc *d)
{
	memset(d, 0, sizeof *d);
	int N[RUN_MAX_GRID];
	d->n_grid = dd_grid(sc, N);
	for (int i = 0; i < d->n_grid; i++)
		d->grid_x[i] = N[i];
	d->grid_name = "N";
	d->planned_epochs = d->n_grid;
	d->progress = (struct run_progress){"N", d->n_grid, MET_EPOCH, false};
	d->n_series = 1;
	if (sc->train.ridge > 0)
		report_label(d, 0, "ridge %g", sc->train.ridge);
	else
		report_label(d, 0, "min-norm");
	d->series_params[0] = N[d->n_grid - 1];
	d->threshold = NAN;
	d->noise_floor = sc->data.noise * sc->data.noise;
	double n = sc->data.samples;
	d->views[d->n_views++] = (struct view_spec){
		.kind = VIEW_LINES,
		.title = "Test and train MSE vs N",
		.n_metrics = 2,
		.metrics = {MET_DD_TEST, MET_DD_TRAIN},
		.series_mask = 1,
		.log_y = true,
		.x_grid = true,
		.hline = d->noise_floor > 0 ? d->noise_floor : NAN,
		.hline_label = "noise sigma^2",
		.vline = n,
		.vline_label = "N = n =",
		.weight = 3,
	};
	d->views[d->n_views++] = (struct view_spec){
		.kind = VIEW_LINES,
		.title = "||theta|| of the fit",
		.n_metrics = 1,
		.metrics = {MET_DD_NORM},
		.series_mask = 1,
		.log_y = true,
		.x_grid = true,
		.hline = NAN,
		.vline = n,
		.vline_label = "N = n =",
		.weight = 2,
	};
	static const struct table_col cols[] = {
		{"", MET_DD_TEST, CELL_LABEL},          {"features", MET_DD_FEATURES, CELL_EPOCH},
		{"train MSE", MET_DD_TRAIN, CELL_LOSS}, {"test MSE", MET_DD_TEST, CELL_LOSS},
		{"peak test", MET_DD_PEAK, CELL_LOSS},  {"peak at N", MET_DD_PEAK_AT, CELL_EPOCH},
	};
	report_table(d, "Sweep", 1, cols, 6);
	report_notes(d);
}

static void dd_report(const struct scenario *sc, const struct run_desc *d, const struct history *h, FILE *out)
{
	int n = sc->data.samples;
	fprintf(out, "%s\n", sc->title);
	fprintf(out, "random ReLU features on inputs of dim %d, linear teacher, n %d training and %d test samples, "
		"label noise sigma %g, %s, median of %d draws\n\n",
		sc->data.dim, n, sc->data.test_samples, sc->data.noise,
		sc->train.ridge > 0 ? "ridge" : "min-norm least squares (ridge 0)", sc->train.repeats);
	if (sc->train.ridge > 0)
		fprintf(out, "ridge lambda %g\n", sc->train.ridge);
	double tr[RUN_MAX_GRID], te[RUN_MAX_GRID], no[RUN_MAX_GRID];
	report_grid(h, 0, MET_DD_TRAIN, tr);
	report_grid(h, 0, MET_DD_TEST, te);
	report_grid(h, 0, MET_DD_NORM, no);
	fprintf(out, "%8s %8s %14s %14s %14s\n", "N", "N/n", "train MSE", "test MSE", "||theta||");
	for (int i = 0; i < d->n_grid; i++) {
		if (isnan(te[i]))
			continue;
		fprintf(out, "%8.0f %8.3g %14.6g %14.6g %14.6g%s\n", d->grid_x[i], d->grid_x[i] / n, tr[i], te[i], no[i],
			d->grid_x[i] == n ? "   <- N = n" : "");
	}
	double peak = h->last[0][MET_DD_PEAK], at = h->last[0][MET_DD_PEAK_AT];
	fprintf(out, "\nnoise floor sigma^2 %.4g\n", d->noise_floor);
	if (isfinite(peak))
		fprintf(out, "peak test MSE %.4g at N = %.0f (N/n = %.3g)\n", peak, at, at / n);
	else
		fprintf(out, "no finite test MSE\n");
	if (!report_decided(out, NULL, d, h, 0))
		return;
	if (isfinite(peak) && at >= n / 1.5 && at <= n * 1.5)
		report_result(out, NULL, "double descent: test error peaks at the interpolation threshold N = n");
	else
		report_result(out, NULL, "no peak at the interpolation threshold (ridge or little noise flattens it)");
}

static const enum metric emitted[] = {
	MET_DD_TRAIN, MET_DD_TEST, MET_DD_NORM, MET_DD_FEATURES,
	MET_DD_PEAK, MET_DD_PEAK_AT,
};

/* ---- claims: what scenario 6 says, measured on its own records ---- */

/* Near the interpolation threshold: within 1.5x of N = n either way. */
static bool near_n(double at, int n)
{
	return at >= n / 1.5 && at <= n * 1.5;
}

/* The grid position of the largest value of m so far, -1 when none. */
static int grid_argmax(const struct run_desc *d, const struct history *h, enum metric m)
{
	int best = -1;
	for (int i = 0; i < d->n_grid; i++) {
		double v = claims_grid_at(h, 0, m, i);
		if (isfinite(v) && (best < 0 || v > claims_grid_at(h, 0, m, best)))
			best = i;
	}
	return best;
}

static enum claim_verdict claim_peak_at_n(const struct scenario *sc, const struct run_desc *d,
					  const struct history *h, bool finished, struct claim_eval *e)
{
	int n = sc->data.samples, k = grid_argmax(d, h, MET_DD_TEST);
	double at = k >= 0 ? d->grid_x[k] : NAN, peak = claims_grid_at(h, 0, MET_DD_TEST, k);
	bool known = k >= 0 && (finished || claims_grid_last(h, 0, MET_DD_TEST, d->n_grid) == d->n_grid - 1);
	return claims_judge(e, d, h, finished, known, near_n(at, n), at / n,
			    "test MSE peaks at N = %.0f (N/n %.3g, within 1.5x of 1): %.3g", at, at / n, peak);
}

static enum claim_verdict claim_interpolates_from_n(const struct scenario *sc, const struct run_desc *d,
						    const struct history *h, bool finished, struct claim_eval *e)
{
	double worst = NAN;
	int seen = 0;
	for (int i = 0; i < d->n_grid; i++) {
		double v = claims_grid_at(h, 0, MET_DD_TRAIN, i);
		if (d->grid_x[i] >= sc->data.samples && isfinite(v)) {
			worst = fmax(worst, v);
			seen++;
		}
	}
	bool known = seen > 0 && claims_grid_last(h, 0, MET_DD_TRAIN, d->n_grid) == d->n_grid - 1;
	return claims_judge(e, d, h, finished, known, worst < 1e-8, worst,
			    "from N = n on the fit interpolates: train MSE at most %.3g (under 1e-8)", worst);
}

static enum claim_verdict claim_second_descent(const struct scenario *sc, const struct run_desc *d,
					       const struct history *h, bool finished, struct claim_eval *e)
{
	(void)sc;
	int k = grid_argmax(d, h, MET_DD_TEST), last = d->n_grid - 1;
	double peak = claims_grid_at(h, 0, MET_DD_TEST, k), end = claims_grid_at(h, 0, MET_DD_TEST, last);
	double r = claims_ratio(peak, end);
	return claims_judge(e, d, h, finished, isfinite(r), r > 2, r,
			    "past the peak test MSE falls again, %.3gx by N = %.0f (%.3g to %.3g; over 2x)", r,
			    d->grid_x[last > 0 ? last : 0], peak, end);
}

static enum claim_verdict claim_norm_peak(const struct scenario *sc, const struct run_desc *d,
					  const struct history *h, bool finished, struct claim_eval *e)
{
	int n = sc->data.samples, k = grid_argmax(d, h, MET_DD_NORM);
	double at = k >= 0 ? d->grid_x[k] : NAN;
	bool known = k >= 0 && claims_grid_last(h, 0, MET_DD_NORM, d->n_grid) == d->n_grid - 1;
	return claims_judge(e, d, h, finished, known, near_n(at, n), at / n,
			    "the fit's norm is largest at N = %.0f (N/n %.3g): %.3g", at, at / n,
			    claims_grid_at(h, 0, MET_DD_NORM, k));
}

static const struct claim claims[] = {
	{"peak-at-n", "N/n of the test MSE peak", claim_peak_at_n, NULL},
	{"interpolates-from-n", "largest train MSE at N >= n", claim_interpolates_from_n, NULL},
	{"second-descent", "peak / test MSE at the largest N", claim_second_descent, NULL},
	{"norm-peak-at-n", "N/n of the largest norm", claim_norm_peak, NULL},
};

static bool dd_check(struct config_check *c, const struct scenario *sc)
{
	if (sc->data.test_samples < 1)
		return config_fail(c, KEY_TEST_SAMPLES, "kind double_descent needs test samples (its curves are test MSE)");
	if (!(sc->model.features_from < sc->model.features_to)) {
		enum config_key key = config_given(c, KEY_FEATURES_TO) ? KEY_FEATURES_TO : KEY_FEATURES_FROM;
		return config_fail(c, key, "the grid needs features_from (%g) < features_to (%g)", sc->model.features_from,
				   sc->model.features_to);
	}
	return true;
}

/* Per draw: X, X_test, labels, feature weights (N_max, d); per thread (two
 * with a team): the train features (n, N_max), a block of test features
 * (TEST_BLOCK, N_max), theta, the Gram system, residuals. N_max =
 * features_to * n (rounded up). */
static double dd_memory(const struct scenario *sc, enum config_key *blame)
{
	double n = sc->data.samples, nt = sc->data.test_samples, d = sc->data.dim;
	double nmax = ceil(sc->model.features_to * n) + 1, r = sc->train.repeats;
	double block = nt < TEST_BLOCK ? nt : TEST_BLOCK;
	*blame = sc->data.test_samples > sc->data.samples ? KEY_TEST_SAMPLES : KEY_SAMPLES;
	return (r * ((n + nt) * (d + 1) + nmax * d) + 2 * ((n + block) * nmax + nmax + d + n * n + 2 * n + nt)) *
	       sizeof(double);
}

const struct experiment_ops double_descent_ops = {
	.kind = "double_descent",
	/* Closed-form fits of random ReLU features to a linear teacher: no
	 * network, no optimiser, no epochs. */
	.keys = KEY_BIT(KEY_TEST_SAMPLES) | KEY_BIT(KEY_FEATURES_FROM) | KEY_BIT(KEY_FEATURES_TO) |
		KEY_BIT(KEY_FEATURES_POINTS) | KEY_BIT(KEY_RIDGE) | KEY_BIT(KEY_REPEATS),
	.target = TARGET_LINEAR,
	.targets = TARGET_BIT(TARGET_LINEAR),
	.optimizer = OPT_WORD_SGD,
	.check = dd_check,
	.memory = dd_memory,
	.create = dd_create,
	.step = dd_step,
	.use_workers = dd_use_workers,
	.destroy = dd_destroy,
	.describe = dd_describe,
	.report = dd_report,
	EXPERIMENT_METRICS(emitted),
	EXPERIMENT_CLAIMS(claims),
};
