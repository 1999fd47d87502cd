/* benign_overfitting.c: overparameterized linear regression (p > n) fitted
 * by gradient descent from zero, which converges to the minimum-norm
 * interpolant. Per iteration: train and test MSE (the test set is fresh
 * data from the SAME teacher), and ||theta|| split between the k signal
 * coordinates and the rest. The closed-form interpolant (LAPACK) is computed
 * up front so the screen can show where GD is heading. Spiked features
 * (many low-variance directions) make the fit benign; isotropic ones do not. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "overparam/data.h"
#include "overparam/experiment.h"
#include "overparam/history.h"
#include "overparam/linalg.h"
#include "overparam/linear.h"
#include "overparam/rng.h"

enum { STREAM_TRAIN = 0, STREAM_TEST = 1, STREAM_TEACHER = 2 };

struct benign {
	struct scenario sc;
	int n, n_test, p, k;
	double *X, *y;           /* (n, p), (n) */
	double *X_test, *y_test; /* (n_test, p), (n_test) */
	double *w;               /* (p) teacher */
	double *theta;           /* (p) GD iterate */
	double *theta_mn;        /* (p) closed-form min-norm interpolant */
	double *diff;            /* (p) scratch */
	double *resid;           /* (max(n, n_test)) scratch */
	double lr;
	double mn_norm;
	double mn_train, mn_test, mn_signal, mn_noise;
	int epoch;
	bool diverged;
};

static void benign_destroy(struct experiment *x)
{
	struct benign *b = (struct benign *)x;
	if (!b)
		return;
	free(b->X);
	free(b->y);
	free(b->X_test);
	free(b->y_test);
	free(b->w);
	free(b->theta);
	free(b->theta_mn);
	free(b->diff);
	free(b->resid);
	free(b);
}

static double lambda_tail_of(const struct scenario *sc)
{
	return sc->data.covariance == COV_SPIKED ? sc->data.lambda_tail : 1.0;
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
	size_t n = (size_t)b->n, nt = (size_t)b->n_test, p = (size_t)b->p;
	size_t nr = n > nt ? n : nt;
	b->X = malloc(sizeof(double) * n * p);
	b->y = malloc(sizeof(double) * n);
	b->X_test = malloc(sizeof(double) * (nt ? nt : 1) * p);
	b->y_test = malloc(sizeof(double) * (nt ? nt : 1));
	b->w = malloc(sizeof(double) * p);
	b->theta = calloc(p, sizeof(double));
	b->theta_mn = malloc(sizeof(double) * p);
	b->diff = malloc(sizeof(double) * p);
	b->resid = malloc(sizeof(double) * nr);
	work = malloc(sizeof(double) * (n * n + n));
	if (!b->X || !b->y || !b->X_test || !b->y_test || !b->w || !b->theta || !b->theta_mn || !b->diff ||
	    !b->resid || !work)
		goto oom;

	/* One teacher for train and test (the seed drew a second one for its
	 * test set, so its test error measured nothing). No standardisation:
	 * centring makes X rank n-1 and whitening erases the spiked covariance. */
	struct rng r;
	double lt = lambda_tail_of(sc);
	rng_seed(&r, seed, STREAM_TEACHER);
	data_teacher_f64(&r, b->w, b->p, b->k);
	rng_seed(&r, seed, STREAM_TRAIN);
	data_spiked_f64(&r, b->X, b->n, b->p, b->k, lt);
	data_linear_labels_f64(&r, b->X, b->w, b->n, b->p, sc->data.noise, b->y);
	if (b->n_test > 0) {
		rng_seed(&r, seed, STREAM_TEST);
		data_spiked_f64(&r, b->X_test, b->n_test, b->p, b->k, lt);
		data_linear_labels_f64(&r, b->X_test, b->w, b->n_test, b->p, sc->data.noise, b->y_test);
	}

	if (linear_min_norm(b->X, b->y, b->n, b->p, b->theta_mn, work) != 0) {
		snprintf(err, errlen, "%s: LAPACK failed to solve for the min-norm interpolant", sc->path);
		goto fail;
	}
	b->lr = sc->train.lr > 0 ? sc->train.lr : linear_gd_step_size(b->X, b->n, b->p, work);
	b->mn_norm = linalg_norm2(b->theta_mn, b->p);
	b->mn_train = linear_mse(b->X, b->y, b->n, b->p, b->theta_mn, b->resid);
	b->mn_test = b->n_test > 0 ? linear_mse(b->X_test, b->y_test, b->n_test, b->p, b->theta_mn, b->resid) : NAN;
	linear_norm_split(b->theta_mn, b->p, b->k, &b->mn_signal, &b->mn_noise);
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

static double distance_to_mn(struct benign *b)
{
	for (int j = 0; j < b->p; j++)
		b->diff[j] = b->theta[j] - b->theta_mn[j];
	return linalg_norm2(b->diff, b->p) / (b->mn_norm > 0 ? b->mn_norm : 1.0);
}

static void emit_closed_form(struct benign *b, uint32_t e, struct emitter *em)
{
	emitter_put(em, e, 0, MET_MN_TRAIN, 0, b->mn_train);
	if (b->n_test > 0)
		emitter_put(em, e, 0, MET_MN_TEST, 0, b->mn_test);
	emitter_put(em, e, 0, MET_MN_SIGNAL, 0, b->mn_signal);
	emitter_put(em, e, 0, MET_MN_NOISE, 0, b->mn_noise);
}

/* Metrics at the current iterate (epoch = updates applied), then one step. */
static bool benign_step(struct experiment *x, struct emitter *em)
{
	struct benign *b = (struct benign *)x;
	if (b->epoch >= b->sc.train.epochs || b->diverged)
		return false;
	uint32_t e = (uint32_t)b->epoch;
	if (b->epoch == 0)
		emit_closed_form(b, e, em);
	double train = linear_mse(b->X, b->y, b->n, b->p, b->theta, b->resid);
	emitter_put(em, e, 0, MET_TRAIN_LOSS, 0, train);
	if (!isfinite(train)) {
		b->diverged = true;
		emitter_put(em, e, 0, MET_DIVERGED, 0, train);
		return false;
	}
	if (b->n_test > 0)
		emitter_put(em, e, 0, MET_TEST_LOSS, 0,
			    linear_mse(b->X_test, b->y_test, b->n_test, b->p, b->theta, b->resid));
	double sig, noi;
	linear_norm_split(b->theta, b->p, b->k, &sig, &noi);
	emitter_put(em, e, 0, MET_NORM_SIGNAL, 0, sig);
	emitter_put(em, e, 0, MET_NORM_NOISE, 0, noi);
	emitter_put(em, e, 0, MET_MN_DISTANCE, 0, distance_to_mn(b));
	b->epoch++;
	if (b->epoch >= b->sc.train.epochs) {
		emit_closed_form(b, e, em);
		return false;
	}
	linear_gd_step(b->X, b->y, b->n, b->p, b->lr, b->theta, b->resid);
	return true;
}

static void benign_describe(const struct scenario *sc, struct run_desc *d)
{
	memset(d, 0, sizeof *d);
	d->planned_epochs = sc->train.epochs;
	d->n_series = 1;
	snprintf(d->series_label[0], sizeof d->series_label[0], "GD from zero");
	d->series_params[0] = sc->data.dim;
	d->threshold = NAN;
	d->noise_floor = sc->data.noise * sc->data.noise;
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
	d->views[d->n_views++] = (struct view_spec){
		.kind = VIEW_SPLIT,
		.title = "||theta||: signal vs noise coordinates",
		.n_metrics = 4,
		.metrics = {MET_NORM_SIGNAL, MET_NORM_NOISE, MET_MN_SIGNAL, MET_MN_NOISE},
		.series_mask = 1,
		.weight = 1,
	};
	struct view_spec table = {.kind = VIEW_TABLE, .title = "Fit", .series_mask = 1, .weight = 1};
	table.cols[table.n_cols++] = (struct table_col){"", MET_TRAIN_LOSS, CELL_LABEL};
	table.cols[table.n_cols++] = (struct table_col){"train MSE", MET_TRAIN_LOSS, CELL_LOSS};
	if (sc->data.test_samples > 0) {
		table.cols[table.n_cols++] = (struct table_col){"test MSE", MET_TEST_LOSS, CELL_LOSS};
		table.cols[table.n_cols++] = (struct table_col){"min-norm test", MET_MN_TEST, CELL_LOSS};
	}
	table.cols[table.n_cols++] = (struct table_col){"to min-norm", MET_MN_DISTANCE, CELL_LOSS};
	d->views[d->n_views++] = table;
	d->views[d->n_views++] = (struct view_spec){.kind = VIEW_TEXT, .title = "Why", .weight = 1};
}

static void benign_report(const struct scenario *sc, const struct run_desc *d, const struct history *h, FILE *out)
{
	double s2 = d->noise_floor;
	fprintf(out, "%s\n", sc->title);
	fprintf(out, "training samples n %d, dimension p %d (p/n %.1f), signal coordinates %d, %s features", sc->data.samples,
		sc->data.dim, (double)sc->data.dim / sc->data.samples, sc->data.signal_dim,
		sc->data.covariance == COV_SPIKED ? "spiked" : "isotropic");
	if (sc->data.covariance == COV_SPIKED)
		fprintf(out, " (tail variance %g)", sc->data.lambda_tail);
	fprintf(out, ", label noise sigma %g, test samples %d\n\n", sc->data.noise, sc->data.test_samples);
	fprintf(out, "%-28s %14s %14s\n", "", "GD from zero", "min-norm (LAPACK)");
	fprintf(out, "%-28s %14u %14s\n", "iterations", h->epoch, "-");
	fprintf(out, "%-28s %14.6g %14.6g\n", "train MSE", h->last[0][MET_TRAIN_LOSS], h->last[0][MET_MN_TRAIN]);
	fprintf(out, "%-28s %14.6g %14.6g\n", "test MSE", h->last[0][MET_TEST_LOSS], h->last[0][MET_MN_TEST]);
	fprintf(out, "%-28s %14.6g %14.6g\n", "||theta|| signal coords", h->last[0][MET_NORM_SIGNAL],
		h->last[0][MET_MN_SIGNAL]);
	fprintf(out, "%-28s %14.6g %14.6g\n", "||theta|| other coords", h->last[0][MET_NORM_NOISE],
		h->last[0][MET_MN_NOISE]);
	fprintf(out, "\nnoise floor sigma^2 %.4g; GD iterate is %.3g (relative) from the min-norm interpolant\n", s2,
		h->last[0][MET_MN_DISTANCE]);
	double test = h->last[0][MET_TEST_LOSS];
	if (h->diverged[0])
		fprintf(out, "RESULT: gradient descent diverged (step size too large)\n");
	else if (isfinite(test) && test < 2 * s2)
		fprintf(out, "RESULT: benign overfitting: the noise is fitted, yet test MSE %.3g < 2 sigma^2 = %.3g\n", test,
			2 * s2);
	else
		fprintf(out, "RESULT: harmful overfitting: test MSE %.3g >= 2 sigma^2 = %.3g\n", test, 2 * s2);
}

const struct experiment_ops benign_overfitting_ops = {
	.kind = "benign_overfitting",
	.create = benign_create,
	.step = benign_step,
	.destroy = benign_destroy,
	.describe = benign_describe,
	.report = benign_report,
};
