/* benign_overfitting.c: overparameterized linear regression (p > n) fitted
 * by gradient descent from zero, which converges to the minimum-norm
 * interpolant. Per iteration: train and test MSE (the test set is fresh
 * data from the SAME teacher), and ||theta|| split between the k signal
 * coordinates and the rest. The closed-form interpolant (LAPACK) is computed
 * up front so the screen can show where GD is heading. Spiked features
 * (many low-variance directions) make the fit benign; isotropic ones do not.
 *
 * covariance = both runs the two side by side as series 0 (spiked) and 1
 * (isotropic) from one teacher and the same draws: the isotropic design is
 * the spiked one with its tail columns not shrunk, and since the teacher is
 * zero on the tail, X w and so the labels (noise included) are the same for
 * both. Only the covariance differs, so any difference on screen is its doing.
 * Each series also carries the effective ranks of its population covariance
 * (Bartlett, Long, Lugosi, Tsigler 2020), the theory's side of the verdict. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

enum { STREAM_TRAIN = 0, STREAM_TEST = 1, STREAM_TEACHER = 2 };

#define MAX_SERIES 2
#define RANK_B 1.0          /* the constant b of k* = min{k : r_k >= b n} */
#define FITTED_FRACTION 0.01 /* "fits the noise" once train MSE < this * sigma^2 */

/* Verdict values (MET_VERDICT); record.c's metric_word names them. */
enum { VERDICT_FITTING, VERDICT_HARMFUL, VERDICT_BENIGN };

struct fit {
	double *X, *X_test;      /* (n, p), (n_test, p) */
	double *theta;           /* (p) GD iterate */
	double *theta_mn;        /* (p) closed-form min-norm interpolant */
	double lr, mn_norm;
	double mn_train, mn_test, mn_signal, mn_noise;
	double parts[4];         /* the min-norm fit's parts, X+ X w* then X+ eps, each on signal and tail coords */
	struct eff_ranks ranks;  /* of the population covariance */
	double start_loss;       /* train MSE at theta = 0, NaN before (report.h's rule) */
	bool diverged;
};

struct benign {
	struct scenario sc;
	int n, n_test, p, k, n_series;
	double *y, *y_test;      /* (n), (n_test): the same for every series */
	double *w;               /* (p) teacher */
	double *diff;            /* (p) scratch */
	double *resid;           /* (max(n, n_test)) scratch */
	struct fit fit[MAX_SERIES];
	int epoch;
	struct arrays mem;       /* owns every array above */
};

static int series_count(const struct scenario *sc)
{
	return sc->data.covariance == COV_BOTH ? 2 : 1;
}

/* Variance of the tail coordinates of series s. */
static double tail_of(const struct scenario *sc, int s)
{
	switch (sc->data.covariance) {
	case COV_SPIKED: return sc->data.lambda_tail;
	case COV_BOTH: return s == 0 ? sc->data.lambda_tail : 1.0;
	default: return 1.0;
	}
}

/* covariance both names its series by role, so at lambda_tail = 1 the two
 * (then identical) curves keep their names. */
static const char *series_name(const struct scenario *sc, int s)
{
	if (sc->data.covariance == COV_BOTH)
		return s == 0 ? "spiked" : "isotropic";
	return sc->data.covariance == COV_SPIKED ? "spiked" : "isotropic";
}

/* Effective ranks of the population covariance of series s: diagonal, k
 * coordinates of variance 1 and p - k of the tail's, so its eigenvalues are
 * those numbers (tail <= 1 keeps them in descending order). */
static int population_ranks(const struct scenario *sc, int s, struct eff_ranks *er)
{
	int p = sc->data.dim, k = sc->data.signal_dim;
	double *lambda = malloc((size_t)p * sizeof *lambda);
	if (!lambda)
		return -1;
	for (int j = 0; j < p; j++)
		lambda[j] = j < k ? 1.0 : tail_of(sc, s);
	int rc = linear_effective_ranks(lambda, p, sc->data.samples, RANK_B, er);
	free(lambda);
	return rc;
}

/* The min-norm fit's two parts, X+ X w* (fits the teacher) and X+ eps (fits
 * the noise), each's norm on the signal and the tail coordinates. Scratch:
 * theta (zero again after: GD starts there), diff and resid. */
static int split_parts(struct benign *b, struct fit *f, double *work /* (n*n + n) */)
{
	int rc = linear_min_norm_parts(f->X, b->w, b->y, b->n, b->p, f->theta, b->diff, b->resid, work);
	linear_norm_split(f->theta, b->p, b->k, &f->parts[0], &f->parts[1]);
	linear_norm_split(b->diff, b->p, b->k, &f->parts[2], &f->parts[3]);
	memset(f->theta, 0, (size_t)b->p * sizeof *f->theta);
	return rc;
}

static void benign_destroy(struct experiment *x)
{
	struct benign *b = (struct benign *)x;
	if (!b)
		return;
	arrays_free(&b->mem);
	free(b);
}

static int benign_create(const struct scenario *sc, uint64_t seed, struct experiment **out, char *err, size_t errlen)
{
	struct benign *b = calloc(1, sizeof *b);
	double *work = NULL;
	if (!b)
		goto oom;
	b->sc = *sc;
	b->n = sc->data.samples;
	b->n_test = sc->data.test_samples;
	b->p = sc->data.dim;
	b->k = sc->data.signal_dim;
	b->n_series = series_count(sc);
	size_t n = (size_t)b->n, nt = (size_t)b->n_test, p = (size_t)b->p;
	b->y = arrays_alloc(&b->mem, n, sizeof *b->y);
	b->y_test = arrays_alloc(&b->mem, nt, sizeof *b->y_test);
	b->w = arrays_alloc(&b->mem, p, sizeof *b->w);
	b->diff = arrays_alloc(&b->mem, p, sizeof *b->diff);
	b->resid = arrays_alloc(&b->mem, n > nt ? n : nt, sizeof *b->resid);
	for (int s = 0; s < b->n_series; s++) {
		struct fit *f = &b->fit[s];
		f->X = arrays_alloc(&b->mem, n * p, sizeof *f->X);
		f->X_test = arrays_alloc(&b->mem, nt * p, sizeof *f->X_test);
		f->theta = arrays_alloc(&b->mem, p, sizeof *f->theta); /* GD starts from zero */
		f->theta_mn = arrays_alloc(&b->mem, p, sizeof *f->theta_mn);
	}
	work = malloc(sizeof(double) * (n * n + n));
	if (b->mem.failed || !work)
		goto oom;

	/* One teacher for train and test (the seed drew a second one for its
	 * test set, so its test error measured nothing). No standardisation:
	 * centring makes X rank n-1 and whitening erases the spiked covariance. */
	struct rng r;
	rng_seed(&r, seed, STREAM_TEACHER);
	data_teacher_f64(&r, b->w, b->p, b->k);
	rng_seed(&r, seed, STREAM_TRAIN);
	data_spiked_f64(&r, b->fit[0].X, b->n, b->p, b->k, tail_of(sc, 0));
	data_linear_labels_f64(&r, b->fit[0].X, b->w, b->n, b->p, sc->data.noise, b->y);
	if (b->n_test > 0) {
		rng_seed(&r, seed, STREAM_TEST);
		data_spiked_f64(&r, b->fit[0].X_test, b->n_test, b->p, b->k, tail_of(sc, 0));
		data_linear_labels_f64(&r, b->fit[0].X_test, b->w, b->n_test, b->p, sc->data.noise, b->y_test);
	}
	if (b->n_series == 2) {
		/* The isotropic twin: the same normal draws (data_spiked_f64
		 * only scales them), the tail not shrunk. */
		rng_seed(&r, seed, STREAM_TRAIN);
		data_spiked_f64(&r, b->fit[1].X, b->n, b->p, b->k, 1.0);
		if (b->n_test > 0) {
			rng_seed(&r, seed, STREAM_TEST);
			data_spiked_f64(&r, b->fit[1].X_test, b->n_test, b->p, b->k, 1.0);
		}
	}

	for (int s = 0; s < b->n_series; s++) {
		struct fit *f = &b->fit[s];
		/* With a big data.dim each solve takes seconds: give way to a
		 * cancel between them (run_loop.h; run_loop_open says why). */
		if (run_cancelled())
			goto fail;
		if (linear_min_norm(f->X, b->y, b->n, b->p, f->theta_mn, work) != 0) {
			snprintf(err, errlen, "%s: LAPACK failed to solve for the min-norm interpolant", sc->path);
			goto fail;
		}
		f->start_loss = NAN;
		f->lr = sc->train.lr > 0 ? sc->train.lr : linear_gd_step_size(f->X, b->n, b->p, work);
		f->mn_norm = linalg_norm2(f->theta_mn, b->p);
		f->mn_train = linear_mse(f->X, b->y, b->n, b->p, f->theta_mn, b->resid);
		f->mn_test = b->n_test > 0 ? linear_mse(f->X_test, b->y_test, b->n_test, b->p, f->theta_mn, b->resid)
					   : NAN;
		linear_norm_split(f->theta_mn, b->p, b->k, &f->mn_signal, &f->mn_noise);
		if (split_parts(b, f, work) != 0) {
			snprintf(err, errlen, "%s: LAPACK failed to split the min-norm interpolant", sc->path);
			goto fail;
		}
		if (population_ranks(sc, s, &f->ranks) != 0)
			goto oom;
	}
	if (run_cancelled()) /* a solve above may have given up half way */
		goto fail;
	free(work);
	*out = (struct experiment *)b;
	return 0;
oom:
	snprintf(err, errlen, "%s: out of memory building the linear problem", sc->path);
fail:
	free(work);
	benign_destroy((struct experiment *)b);
	return -1;
}

static double distance_to_mn(struct benign *b, const struct fit *f)
{
	for (int j = 0; j < b->p; j++)
		b->diff[j] = f->theta[j] - f->theta_mn[j];
	return linalg_norm2(b->diff, b->p) / (f->mn_norm > 0 ? f->mn_norm : 1.0);
}

static void emit_closed_form(struct benign *b, int s, uint32_t e, struct emitter *em)
{
	const struct fit *f = &b->fit[s];
	emitter_put(em, e, s, MET_MN_TRAIN, 0, f->mn_train);
	if (b->n_test > 0)
		emitter_put(em, e, s, MET_MN_TEST, 0, f->mn_test);
	emitter_put(em, e, s, MET_MN_SIGNAL, 0, f->mn_signal);
	emitter_put(em, e, s, MET_MN_NOISE, 0, f->mn_noise);
}

/* The min-norm fit's parts, and the theory's numbers, as ratios to read
 * against 1 ("small"). With no k
 * where r_k >= b n (p too small) k* and R_k* do not exist: their ratios are
 * left unsent, so the table shows "-". */
static void emit_ranks(struct benign *b, int s, struct emitter *em)
{
	const struct eff_ranks *er = &b->fit[s].ranks;
	double n = b->n;
	static const enum metric parts[4] = {MET_MN_TEACHER_SIGNAL, MET_MN_TEACHER_TAIL, MET_MN_NOISEFIT_SIGNAL,
					     MET_MN_NOISEFIT_TAIL};
	for (int i = 0; i < 4; i++)
		emitter_put(em, 0, s, parts[i], 0, b->fit[s].parts[i]);
	emitter_put(em, 0, s, MET_R0_OVER_N, 0, er->r0 / n);
	if (er->kstar >= 0) {
		emitter_put(em, 0, s, MET_KSTAR_OVER_N, 0, er->kstar / n);
		emitter_put(em, 0, s, MET_N_OVER_RKSTAR, 0, n / er->R_kstar);
	}
}

/* The seed's criterion (test < 2 sigma^2), judged once the noise is
 * fitted (train MSE below FITTED_FRACTION sigma^2): before that nothing has
 * been overfitted yet. The screen's verdict and the report's RESULT both. */
static int verdict_of(double train, double test, double s2)
{
	if (!(train < FITTED_FRACTION * s2))
		return VERDICT_FITTING;
	return test < 2 * s2 ? VERDICT_BENIGN : VERDICT_HARMFUL;
}

/* Metrics of one series at its current iterate; false once it diverged. */
static bool measure(struct benign *b, int s, uint32_t e, struct emitter *em)
{
	struct fit *f = &b->fit[s];
	double train = linear_mse(f->X, b->y, b->n, b->p, f->theta, b->resid);
	emitter_put(em, e, s, MET_TRAIN_LOSS, 0, train);
	if (report_diverges(&f->start_loss, train)) {
		f->diverged = true;
		emitter_put(em, e, s, MET_DIVERGED, 0, train);
		return false;
	}
	double s2 = b->sc.data.noise * b->sc.data.noise;
	if (b->n_test > 0) {
		double test = linear_mse(f->X_test, b->y_test, b->n_test, b->p, f->theta, b->resid);
		emitter_put(em, e, s, MET_TEST_LOSS, 0, test);
		if (s2 > 0)
			emitter_put(em, e, s, MET_VERDICT, 0, verdict_of(train, test, s2));
	}
	double sig, noi;
	linear_norm_split(f->theta, b->p, b->k, &sig, &noi);
	emitter_put(em, e, s, MET_NORM_SIGNAL, 0, sig);
	emitter_put(em, e, s, MET_NORM_NOISE, 0, noi);
	emitter_put(em, e, s, MET_MN_DISTANCE, 0, distance_to_mn(b, f));
	return true;
}

/* Metrics at the current iterates (epoch = updates applied), then one step
 * of each series still running. */
static bool benign_step(struct experiment *x, struct emitter *em)
{
	struct benign *b = (struct benign *)x;
	bool running = false;
	for (int s = 0; s < b->n_series; s++)
		running |= !b->fit[s].diverged;
	if (b->epoch >= b->sc.train.epochs || !running)
		return false;
	uint32_t e = (uint32_t)b->epoch;
	if (b->epoch == 0)
		for (int s = 0; s < b->n_series; s++) {
			emit_closed_form(b, s, e, em);
			emit_ranks(b, s, em);
		}
	running = false;
	for (int s = 0; s < b->n_series; s++)
		if (!b->fit[s].diverged)
			running |= measure(b, s, e, em);
	b->epoch++;
	if (b->epoch >= b->sc.train.epochs) {
		for (int s = 0; s < b->n_series; s++)
			emit_closed_form(b, s, e, em);
		return false;
	}
	if (!running)
		return false;
	for (int s = 0; s < b->n_series; s++) {
		struct fit *f = &b->fit[s];
		if (!f->diverged)
			linear_gd_step(f->X, b->y, b->n, b->p, f->lr, f->theta, b->resid);
	}
	return true;
}

/* The split bar of ||theta||: GD's signal and tail coordinates, with the
 * min-norm interpolant's as marks, and where its two parts (fits the
 * teacher, fits the noise) put their norms. */
static struct view_spec norm_split(const char *title, uint32_t mask)
{
	return (struct view_spec){
		.kind = VIEW_SPLIT,
		.title = title,
		.n_metrics = 8,
		.metrics = {MET_NORM_SIGNAL, MET_NORM_NOISE, MET_MN_SIGNAL, MET_MN_NOISE, MET_MN_TEACHER_SIGNAL,
			    MET_MN_TEACHER_TAIL, MET_MN_NOISEFIT_SIGNAL, MET_MN_NOISEFIT_TAIL},
		.series_mask = mask,
		.weight = 1,
	};
}

static void describe_one(const struct scenario *sc, struct run_desc *d)
{
	report_label(d, 0, "GD from zero");
	d->views[d->n_views++] = (struct view_spec){
		.kind = VIEW_LINES,
		.title = "Train and test MSE of gradient descent",
		.n_metrics = sc->data.test_samples > 0 ? 2 : 1,
		.metrics = {MET_TRAIN_LOSS, MET_TEST_LOSS},
		.series_mask = 1,
		.log_y = true,
		.hline = d->noise_floor,
		.hline_label = "noise sigma^2",
		.weight = 3,
	};
	d->views[d->n_views++] = norm_split("||theta||: signal vs tail coordinates", 1);
	struct table_col cols[TABLE_MAX_COLS] = {
		{"", MET_TRAIN_LOSS, CELL_LABEL}, {"train MSE", MET_TRAIN_LOSS, CELL_LOSS},
	};
	int n = 2;
	if (sc->data.test_samples > 0) {
		cols[n++] = (struct table_col){"test MSE", MET_TEST_LOSS, CELL_LOSS};
		cols[n++] = (struct table_col){"min-norm test", MET_MN_TEST, CELL_LOSS};
	}
	cols[n++] = (struct table_col){"to min-norm", MET_MN_DISTANCE, CELL_LOSS};
	report_table(d, "Fit", 1, cols, n);
}

/* Spiked and isotropic side by side: their test MSE against the noise
 * floor, both norm splits, and the verdict next to the theory's ranks. */
static void describe_pair(struct run_desc *d)
{
	d->views[d->n_views++] = (struct view_spec){
		.kind = VIEW_LINES,
		.title = "Test MSE, one teacher: spiked vs isotropic",
		.n_metrics = 1,
		.metrics = {MET_TEST_LOSS},
		.series_mask = 3,
		.log_y = true,
		.hline = d->noise_floor > 0 ? d->noise_floor : NAN,
		.hline_label = "noise sigma^2",
		.weight = 3,
	};
	d->views[d->n_views++] = norm_split("||theta||: signal vs tail coords", 3);
	static const struct table_col cols[] = {
		{"", MET_TEST_LOSS, CELL_LABEL},       {"test MSE", MET_TEST_LOSS, CELL_LOSS},
		{"verdict", MET_VERDICT, CELL_WORD},   {"r0/n", MET_R0_OVER_N, CELL_LOSS},
		{"k*/n", MET_KSTAR_OVER_N, CELL_LOSS}, {"n/Rk*", MET_N_OVER_RKSTAR, CELL_LOSS},
	};
	report_table(d, "Verdict (test < 2 sigma^2) and ranks (b = 1)", 3, cols, 6);
}

static void benign_describe(const struct scenario *sc, struct run_desc *d)
{
	memset(d, 0, sizeof *d);
	d->planned_epochs = sc->train.epochs;
	d->n_series = series_count(sc);
	for (int s = 0; s < d->n_series; s++) {
		report_label(d, s, "%s", series_name(sc, s));
		d->series_params[s] = sc->data.dim;
	}
	d->threshold = NAN;
	d->noise_floor = sc->data.noise * sc->data.noise;
	if (d->n_series == 2)
		describe_pair(d);
	else
		describe_one(sc, d);
	report_notes(d);
}

static void print_row(FILE *out, const char *what, const double *v /* (cols) */, int cols)
{
	fprintf(out, "%-28s", what);
	for (int c = 0; c < cols; c++)
		fprintf(out, " %14.6g", v[c]);
	fprintf(out, "\n");
}

/* The min-norm fit split by linearity: where the part that fits the
 * teacher and the part that fits the noise put their norms, and what the
 * noise part costs on test data, E (x . X+ eps)^2 over the population
 * covariance: its signal norm^2 plus the tail variance times its tail norm^2. */
static void print_parts(const struct scenario *sc, const struct run_desc *d, const struct history *h, FILE *out)
{
	fprintf(out, "\nthe min-norm fit split by linearity, theta = X+ X w* + X+ eps; norms on each subspace:\n");
	fprintf(out, "%-40s %14s %14s %14s\n", "", "signal coords", "tail coords", "test cost");
	for (int s = 0; s < d->n_series; s++) {
		const double *v = h->last[s];
		char what[64];
		snprintf(what, sizeof what, "%s%sX+ X w* (fits the teacher)", d->n_series == 2 ? d->series_label[s] : "",
			 d->n_series == 2 ? ": " : "");
		fprintf(out, "%-40s %14.6g %14.6g %14s\n", what, v[MET_MN_TEACHER_SIGNAL], v[MET_MN_TEACHER_TAIL], "-");
		snprintf(what, sizeof what, "%s%sX+ eps (fits the noise)", d->n_series == 2 ? d->series_label[s] : "",
			 d->n_series == 2 ? ": " : "");
		double ns = v[MET_MN_NOISEFIT_SIGNAL], nt = v[MET_MN_NOISEFIT_TAIL];
		fprintf(out, "%-40s %14.6g %14.6g %14.6g\n", what, ns, nt, ns * ns + tail_of(sc, s) * nt * nt);
	}
}

/* The theory's side of the verdict: the effective ranks of each series'
 * population covariance (b = 1). */
static void print_ranks(const struct scenario *sc, int ns, FILE *out)
{
	fprintf(out, "\neffective ranks of the covariance (Bartlett, Long, Lugosi, Tsigler 2020; b = 1):\n");
	fprintf(out, "%-12s %10s %8s %10s %10s %8s %8s %8s\n", "", "r_0", "k*", "r_k*", "R_k*", "r_0/n", "k*/n",
		"n/R_k*");
	double n = sc->data.samples;
	for (int s = 0; s < ns; s++) {
		struct eff_ranks er;
		if (population_ranks(sc, s, &er) != 0)
			continue;
		if (er.kstar >= 0)
			fprintf(out, "%-12s %10.4g %8d %10.4g %10.4g %8.3g %8.3g %8.3g\n", series_name(sc, s), er.r0,
				er.kstar, er.r_kstar, er.R_kstar, er.r0 / n, er.kstar / n, n / er.R_kstar);
		else
			fprintf(out, "%-12s %10.4g %8s %10s %10s %8.3g %8s %8s\n", series_name(sc, s), er.r0, "none", "-",
				"-", er.r0 / n, "-", "-");
	}
	fprintf(out, "benign needs all three ratios small: r_0/n (bias), k*/n and n/R_k* (variance)\n");
}

/* A RESULT line a series: none from a diverged or unfinished run, and no
 * benign or harmful without a test set to tell them by. */
static void print_verdicts(const struct scenario *sc, const struct run_desc *d, const struct history *h, FILE *out)
{
	double s2 = d->noise_floor;
	bool tested = sc->data.test_samples > 0;
	for (int s = 0; s < d->n_series; s++) {
		const char *who = d->n_series == 2 ? d->series_label[s] : NULL;
		double test = h->last[s][MET_TEST_LOSS], train = h->last[s][MET_TRAIN_LOSS];
		if (!report_decided(out, who, d, h, 1u << s))
			continue;
		if (!(s2 > 0) && !tested)
			report_result(out, who, "no label noise, so nothing to overfit");
		else if (!(s2 > 0))
			report_result(out, who, "no label noise, so nothing to overfit (test MSE %.3g)", test);
		else if (!tested)
			report_undecided(out, who, "no test set (data.test_samples = 0), so benign or harmful cannot be told");
		else if (verdict_of(train, test, s2) == VERDICT_FITTING)
			report_result(out, who, "still fitting: train MSE %.3g is not below %g sigma^2 = %.3g, the noise is "
				      "not fitted yet", train, FITTED_FRACTION, FITTED_FRACTION * s2);
		else if (verdict_of(train, test, s2) == VERDICT_BENIGN)
			report_result(out, who, "benign overfitting: the noise is fitted, yet test MSE %.3g < 2 sigma^2 = %.3g",
				      test, 2 * s2);
		else
			report_result(out, who, "harmful overfitting: test MSE %.3g >= 2 sigma^2 = %.3g", test, 2 * s2);
	}
}

static void benign_report(const struct scenario *sc, const struct run_desc *d, const struct history *h, FILE *out)
{
	double s2 = d->noise_floor;
	int ns = d->n_series;
	fprintf(out, "%s\n", sc->title);
	fprintf(out, "training samples n %d, dimension p %d (p/n %.1f), signal coordinates %d, ", sc->data.samples,
		sc->data.dim, (double)sc->data.dim / sc->data.samples, sc->data.signal_dim);
	if (ns == 2)
		fprintf(out, "spiked (tail variance %g) and isotropic features from one teacher", sc->data.lambda_tail);
	else if (sc->data.covariance == COV_SPIKED)
		fprintf(out, "spiked features (tail variance %g)", sc->data.lambda_tail);
	else
		fprintf(out, "isotropic features");
	fprintf(out, ", label noise sigma %g, test samples %d\n\n", sc->data.noise, sc->data.test_samples);

	/* Columns: GD and the min-norm interpolant of each series. */
	fprintf(out, "%-28s", "");
	for (int s = 0; s < ns; s++) {
		char gd[32], mn[32];
		snprintf(gd, sizeof gd, "%s%s", ns == 2 ? d->series_label[s] : "GD from zero", ns == 2 ? " GD" : "");
		snprintf(mn, sizeof mn, "%s", ns == 2 ? "min-norm" : "min-norm (LAPACK)");
		fprintf(out, " %14s %14s", gd, mn);
	}
	fprintf(out, "\n");
	static const struct {
		const char *what;
		enum metric gd, mn;
	} rows[] = {
		{"train MSE", MET_TRAIN_LOSS, MET_MN_TRAIN},
		{"test MSE", MET_TEST_LOSS, MET_MN_TEST},
		{"||theta|| signal coords", MET_NORM_SIGNAL, MET_MN_SIGNAL},
		{"||theta|| tail coords", MET_NORM_NOISE, MET_MN_NOISE},
	};
	fprintf(out, "%-28s", "iterations");
	for (int s = 0; s < ns; s++)
		fprintf(out, " %14u %14s", h->epoch, "-");
	fprintf(out, "\n");
	for (size_t r = 0; r < sizeof rows / sizeof *rows; r++) {
		if (rows[r].gd == MET_TEST_LOSS && sc->data.test_samples == 0) {
			fprintf(out, "%-28s no test set (data.test_samples = 0): test error not measured\n", rows[r].what);
			continue;
		}
		double v[2 * MAX_SERIES] = {0};
		for (size_t s = 0; s < (size_t)ns; s++) {
			v[2 * s] = h->last[s][rows[r].gd];
			v[2 * s + 1] = h->last[s][rows[r].mn];
		}
		print_row(out, rows[r].what, v, 2 * ns);
	}

	print_parts(sc, d, h, out);
	print_ranks(sc, ns, out);

	fprintf(out, "\nnoise floor sigma^2 %.4g", s2);
	if (ns == 1)
		fprintf(out, "; GD iterate is %.3g (relative) from the min-norm interpolant", h->last[0][MET_MN_DISTANCE]);
	for (int s = 0; ns == 2 && s < ns; s++)
		fprintf(out, "; %s GD is %.3g (relative) from its min-norm", d->series_label[s], h->last[s][MET_MN_DISTANCE]);
	fprintf(out, "\n");
	print_verdicts(sc, d, h, out);
}

static const enum metric emitted[] = {
	MET_TRAIN_LOSS, MET_TEST_LOSS, MET_DIVERGED, MET_VERDICT, MET_NORM_SIGNAL, MET_NORM_NOISE,
	MET_MN_TRAIN, MET_MN_TEST, MET_MN_SIGNAL, MET_MN_NOISE, MET_MN_DISTANCE, MET_R0_OVER_N,
	MET_KSTAR_OVER_N, MET_N_OVER_RKSTAR, MET_MN_TEACHER_SIGNAL, MET_MN_TEACHER_TAIL, MET_MN_NOISEFIT_SIGNAL,
	MET_MN_NOISEFIT_TAIL,
};

/* X, X_test (at least one row), Gram matrix and its work vector, teacher,
 * theta, min-norm theta, a difference, labels, residuals; covariance both
 * has a second X, X_test, theta and min-norm theta. Blames whichever set
 * of rows weighs more. */
static double benign_memory(const struct scenario *sc, enum config_key *blame)
{
	double n = sc->data.samples, nt = sc->data.test_samples, p = sc->data.dim;
	double bytes = (n * p + (nt + 1) * p + n * n + 5 * p + 4 * n + 3 * nt) * sizeof(double);
	if (sc->data.covariance == COV_BOTH)
		bytes += (n * p + (nt + 1) * p + 2 * p) * sizeof(double);
	*blame = nt * p > n * p + n * n ? KEY_TEST_SAMPLES : KEY_SAMPLES;
	return bytes;
}

/* ---- claims: what scenarios 3, 4 and 5 say, measured on their records ---- */

/* The series of the spiked (isotropic) problem, -1 when the run has none. */
static int spiked_series(const struct scenario *sc)
{
	return sc->data.covariance == COV_ISOTROPIC ? -1 : 0;
}

static int isotropic_series(const struct scenario *sc)
{
	return sc->data.covariance == COV_SPIKED ? -1 : sc->data.covariance == COV_BOTH ? 1 : 0;
}

static bool has_spiked(const struct scenario *sc)
{
	return spiked_series(sc) >= 0;
}

static bool has_isotropic(const struct scenario *sc)
{
	return isotropic_series(sc) >= 0;
}

static bool has_both(const struct scenario *sc)
{
	return sc->data.covariance == COV_BOTH;
}

/* Fitted "every noisy label": train MSE this small a part of sigma^2. */
#define FITS_NOISE 1e-2

static enum claim_verdict claim_interpolates(const struct scenario *sc, const struct run_desc *d,
					     const struct history *h, bool finished, struct claim_eval *e)
{
	(void)sc;
	double worst = NAN;
	bool known = d->noise_floor > 0;
	for (int s = 0; s < d->n_series; s++) {
		known &= h->seen[s][MET_TRAIN_LOSS];
		worst = fmax(worst, h->last[s][MET_TRAIN_LOSS]);
	}
	double r = claims_ratio(worst, d->noise_floor);
	return claims_judge(e, d, h, finished, known, r < FITS_NOISE, r,
			    "GD fits every noisy label: train MSE %.3g, %.3g of sigma^2 (under %g)", worst, r, FITS_NOISE);
}

static enum claim_verdict claim_min_norm(const struct scenario *sc, const struct run_desc *d, const struct history *h,
					 bool finished, struct claim_eval *e)
{
	(void)sc;
	double worst = NAN;
	bool known = true;
	for (int s = 0; s < d->n_series; s++) {
		known &= h->seen[s][MET_MN_DISTANCE];
		worst = fmax(worst, h->last[s][MET_MN_DISTANCE]);
	}
	return claims_judge(e, d, h, finished, known, worst < 1e-6, worst,
			    "GD from zero ends at the min-norm interpolant: %.3g apart (relative; under 1e-6)", worst);
}

/* A latest value of series s, NaN for no series (s < 0). */
static double series_last(const struct history *h, int s, enum metric m)
{
	return s >= 0 && s < RUN_MAX_SERIES ? h->last[s][m] : NAN;
}

/* Test MSE of series s in units of sigma^2; the verdict of the screen and
 * the report: benign below 2 sigma^2, once the noise is fitted. */
static double test_in_floors(const struct run_desc *d, const struct history *h, int s, bool *known)
{
	*known = s >= 0 && h->seen[s][MET_TEST_LOSS] && d->noise_floor > 0;
	return *known ? claims_ratio(h->last[s][MET_TEST_LOSS], d->noise_floor) : NAN;
}

static enum claim_verdict claim_benign(const struct scenario *sc, const struct run_desc *d, const struct history *h,
				       bool finished, struct claim_eval *e)
{
	int s = spiked_series(sc);
	bool known;
	double r = test_in_floors(d, h, s, &known);
	double fit = claims_ratio(series_last(h, s, MET_TRAIN_LOSS), d->noise_floor);
	return claims_judge(e, d, h, finished, known, r < 2 && fit < FITS_NOISE, r,
			    "spiked: the noise is fitted, yet test MSE is %.3g = %.3g sigma^2 (under 2: benign)",
			    series_last(h, s, MET_TEST_LOSS), r);
}

static enum claim_verdict claim_harmful(const struct scenario *sc, const struct run_desc *d, const struct history *h,
					bool finished, struct claim_eval *e)
{
	int s = isotropic_series(sc);
	bool known;
	double r = test_in_floors(d, h, s, &known);
	return claims_judge(e, d, h, finished, known, r >= 2, r,
			    "isotropic: test MSE is %.3g = %.3g sigma^2 (2 or more: harmful)",
			    series_last(h, s, MET_TEST_LOSS), r);
}

static enum claim_verdict claim_spiked_beats(const struct scenario *sc, const struct run_desc *d,
					     const struct history *h, bool finished, struct claim_eval *e)
{
	double a = series_last(h, spiked_series(sc), MET_TEST_LOSS), b = series_last(h, isotropic_series(sc), MET_TEST_LOSS);
	double r = claims_ratio(b, a);
	return claims_judge(e, d, h, finished, isfinite(r), r > 1, r,
			    "same teacher and draws: test MSE %.3g spiked vs %.3g isotropic (%.3gx)", a, b, r);
}

static const struct claim claims[] = {
	{"interpolates", "train MSE / sigma^2", claim_interpolates, NULL},
	{"min-norm", "relative distance of GD to min-norm", claim_min_norm, NULL},
	{"benign", "spiked test MSE / sigma^2", claim_benign, has_spiked},
	{"harmful", "isotropic test MSE / sigma^2", claim_harmful, has_isotropic},
	{"spiked-beats-isotropic", "isotropic / spiked test MSE", claim_spiked_beats, has_both},
};

const struct experiment_ops benign_overfitting_ops = {
	.kind = "benign_overfitting",
	.keys = KEY_BIT(KEY_TEST_SAMPLES) | KEY_BIT(KEY_TARGET) | KEY_BIT(KEY_SIGNAL_DIM) | KEY_BIT(KEY_COVARIANCE) |
		KEY_BIT(KEY_LAMBDA_TAIL) | KEY_BIT(KEY_OPTIMIZER) | KEY_BIT(KEY_LR) | KEY_BIT(KEY_EPOCHS),
	.target = TARGET_LINEAR,
	.targets = TARGET_BIT(TARGET_LINEAR),
	.optimizer = OPT_WORD_GD,
	.optimizers = OPT_WORD_BIT(OPT_WORD_GD),
	.check = config_no_check,
	.memory = benign_memory,
	.create = benign_create,
	.step = benign_step,
	.destroy = benign_destroy,
	.describe = benign_describe,
	.report = benign_report,
	EXPERIMENT_METRICS(emitted),
	EXPERIMENT_CLAIMS(claims),
};
