/* lazy_training.c: the same regression task learnt by two-layer ReLU nets
 * of growing width in the NTK parameterisation (ntk.h), one width after the
 * other, each by full-batch gradient descent with one learning rate until
 * its training loss is below target_loss. For each width: how far the
 * first-layer weights moved, ||W_T - W_0|| / ||W_0|| (the lazy-training
 * literature's measure; the report adds all weights, W and a), and how far the
 * empirical tangent kernel on the training set moved, ||K_T - K_0||_F /
 * ||K_0||_F. The movement falls like 1/sqrt(width) and the drift faster
 * still: a wide net fits the data while its weights and its kernel barely
 * change (lazy training).
 *
 * One step is one gradient step of the width in training; its point on the
 * two charts is updated every eval_every steps, so the class sees it climb
 * and stop. Series 0 is the measurement; series 1 and 2 are reference
 * lines through the first width's final point: slope -1/2 for the weights
 * (each of the m units moves O(1/sqrt(m))), slope -1 for the kernel, which
 * drifts less than its weights: the units' changes carry the random signs
 * of the output weights and largely cancel in its average over units
 * (Dyer & Gur-Ari 2019; the ReLU kinks add an m^-3/4 part). */
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
#include "overparam/ntk.h"
#include "overparam/rng.h"
#include "overparam/run_loop.h"

enum { STREAM_TRAIN = 0, STREAM_NET = 100 };

struct lazy {
	struct scenario sc;
	int n, d, n_widths;
	double *X, *y;      /* (n, d), (n) */
	struct ntk net;     /* sized for the widest net, reused by each width */
	double *p0;         /* (m (d + 1)) the width's initial parameters */
	double *diff;       /* (m (d + 1)) scratch */
	double *K0, *K;     /* (n, n) kernels at initialisation and now */
	double norm0, w0norm, k0norm; /* ||theta_0||, ||W_0||, ||K_0||_F */
	double start_loss;  /* the width's first training loss, NaN before (report.h's rule) */
	uint64_t seed;
	int k;              /* index of the width in training */
	int t;              /* gradient steps it has taken */
	bool fresh;         /* width k still to be initialised */
	uint32_t epoch;     /* steps over the whole run */
	double move[SCENARIO_MAX_WIDTHS], wmove[SCENARIO_MAX_WIDTHS], drift[SCENARIO_MAX_WIDTHS];
	struct arrays mem;  /* owns X, y, p0, diff, K0 and K */
};

static int max_width(const struct scenario *sc)
{
	int m = 1;
	for (int i = 0; i < sc->model.n_widths; i++)
		m = sc->model.widths[i] > m ? sc->model.widths[i] : m;
	return m;
}

static void lazy_destroy(struct experiment *x)
{
	struct lazy *z = (struct lazy *)x;
	if (!z)
		return;
	ntk_destroy(&z->net);
	arrays_free(&z->mem);
	free(z);
}

/* The project's float32 data sets, widened: the same draws as the other
 * network scenarios with this seed. */
static int load_data(struct lazy *z)
{
	size_t n = (size_t)z->n, nd = n * (size_t)z->d;
	float *Xf = malloc((nd + n) * sizeof *Xf); /* (n, d), then yf */
	if (!Xf)
		return -1;
	float *yf = Xf + nd; /* (n) */
	struct rng r;
	rng_seed(&r, z->seed, STREAM_TRAIN);
	data_gaussian_f32(&r, Xf, z->n, z->d);
	data_target_f32(&r, z->sc.data.target, Xf, z->n, z->d, z->sc.data.noise, yf);
	for (size_t i = 0; i < nd; i++)
		z->X[i] = Xf[i];
	for (size_t i = 0; i < n; i++)
		z->y[i] = yf[i];
	free(Xf);
	return 0;
}

static int lazy_create(const struct scenario *sc, uint64_t seed, struct experiment **out, char *err, size_t errlen)
{
	struct lazy *z = calloc(1, sizeof *z);
	if (!z)
		goto oom;
	z->sc = *sc;
	z->seed = seed;
	z->n = sc->data.samples;
	z->d = sc->data.dim;
	z->n_widths = sc->model.n_widths;
	z->fresh = true;
	size_t n = (size_t)z->n, d = (size_t)z->d, p = (size_t)max_width(sc) * (d + 1);
	z->X = arrays_alloc(&z->mem, n * d, sizeof *z->X);
	z->y = arrays_alloc(&z->mem, n, sizeof *z->y);
	z->p0 = arrays_alloc(&z->mem, p, sizeof *z->p0);
	z->diff = arrays_alloc(&z->mem, p, sizeof *z->diff);
	z->K0 = arrays_alloc(&z->mem, n * n, sizeof *z->K0);
	z->K = arrays_alloc(&z->mem, n * n, sizeof *z->K);
	if (z->mem.failed || ntk_create(&z->net, z->n, z->d, max_width(sc)) != 0 || load_data(z) != 0)
		goto oom;
	*out = (struct experiment *)z;
	return 0;
oom:
	snprintf(err, errlen, "%s: out of memory building the lazy-training nets", sc->path);
	lazy_destroy((struct experiment *)z);
	return -1;
}

/* Frobenius norm of a (count) array. */
static double norm_of(const double *v, size_t count)
{
	return cblas_dnrm2((int)count, v, 1);
}

static double dist_of(const double *a, const double *b, double *diff, size_t count)
{
	cblas_dcopy((int)count, a, 1, diff, 1);
	cblas_daxpy((int)count, -1.0, b, 1, diff, 1);
	return norm_of(diff, count);
}

/* W is the slab's first m d entries (ntk.h), a the last m. */
static size_t w_count(const struct lazy *z)
{
	return (size_t)z->net.m * (size_t)z->d;
}

static void start_width(struct lazy *z)
{
	int m = z->sc.model.widths[z->k];
	ntk_set_width(&z->net, m);
	struct rng r;
	/* One stream per width: adding a width never changes another's net. */
	rng_seed(&r, z->seed, STREAM_NET + (uint64_t)z->k);
	ntk_init(&z->net, &r);
	size_t p = ntk_n_params(&z->net);
	memcpy(z->p0, z->net.params, p * sizeof(double));
	z->norm0 = norm_of(z->p0, p);
	z->w0norm = norm_of(z->p0, w_count(z));
	ntk_kernel(&z->net, z->X, z->n, z->K0);
	z->k0norm = norm_of(z->K0, (size_t)z->n * (size_t)z->n);
	z->t = 0;
	z->start_loss = NAN;
	z->fresh = false;
}

/* Least-squares slope of log(v) against log(width) over widths [0, count). */
static double loglog_slope(const int *widths, const double *v, int count)
{
	double sx = 0, sy = 0, sxx = 0, sxy = 0;
	int used = 0;
	for (int i = 0; i < count; i++) {
		if (!(v[i] > 0) || !isfinite(v[i]))
			continue;
		double lx = log((double)widths[i]), ly = log(v[i]);
		sx += lx;
		sy += ly;
		sxx += lx * lx;
		sxy += lx * ly;
		used++;
	}
	double den = used * sxx - sx * sx;
	return used >= 2 && den > 0 ? (used * sxy - sx * sy) / den : NAN;
}

/* Movement and kernel drift at the current weights, as this width's point. */
static void measure(struct lazy *z, struct emitter *em)
{
	size_t p = ntk_n_params(&z->net), nn = (size_t)z->n * (size_t)z->n;
	uint32_t k = (uint32_t)z->k;
	ntk_kernel(&z->net, z->X, z->n, z->K);
	if (run_cancelled()) /* the kernel gave up half way */
		return;
	z->move[k] = dist_of(z->net.params, z->p0, z->diff, p) / z->norm0;
	z->wmove[k] = dist_of(z->net.params, z->p0, z->diff, w_count(z)) / z->w0norm;
	z->drift[k] = dist_of(z->K, z->K0, z->K, nn) / z->k0norm;
	emitter_put(em, z->epoch, 0, MET_LAZY_W_MOVEMENT, k, z->wmove[k]);
	emitter_put(em, z->epoch, 0, MET_LAZY_MOVEMENT, k, z->move[k]);
	emitter_put(em, z->epoch, 0, MET_LAZY_DRIFT, k, z->drift[k]);
	emitter_put(em, z->epoch, 0, MET_LAZY_STEPS, k, z->t);
}

/* The width is done: its final point, the reference lines once the first
 * width is in, and the slope so far. */
static void finish_width(struct lazy *z, double loss, struct emitter *em)
{
	measure(z, em);
	emitter_put(em, z->epoch, 0, MET_LAZY_END_LOSS, (uint32_t)z->k, loss);
	const int *w = z->sc.model.widths;
	if (z->k == 0)
		for (int i = 0; i < z->n_widths; i++) {
			double s = (double)w[0] / w[i];
			emitter_put(em, z->epoch, 1, MET_LAZY_W_MOVEMENT, (uint32_t)i, z->wmove[0] * sqrt(s));
			emitter_put(em, z->epoch, 2, MET_LAZY_DRIFT, (uint32_t)i, z->drift[0] * s);
		}
	if (z->k >= 1)
		emitter_put(em, z->epoch, 0, MET_LAZY_SLOPE, 0, loglog_slope(w, z->wmove, z->k + 1));
	z->k++;
	z->fresh = true;
}

static bool lazy_step(struct experiment *x, struct emitter *em)
{
	struct lazy *z = (struct lazy *)x;
	if (z->k >= z->n_widths)
		return false;
	if (z->fresh) {
		start_width(z);
		if (run_cancelled()) /* its kernel gave up half way (ntk_kernel) */
			return false;
		emitter_put(em, z->epoch, 0, MET_LAZY_WIDTH, 0, z->sc.model.widths[z->k]);
	}
	double loss = ntk_loss_grad(&z->net, z->X, z->y, z->n);
	emitter_put(em, z->epoch, 0, MET_TRAIN_LOSS, 0, loss);
	if (report_diverges(&z->start_loss, loss)) {
		emitter_put(em, z->epoch, 0, MET_DIVERGED, 0, loss);
		z->k = z->n_widths;
		z->epoch++;
		return false;
	}
	bool reached = z->sc.train.target_loss > 0 && loss < z->sc.train.target_loss;
	if (reached || z->t >= z->sc.train.epochs) {
		/* Stop with the weights whose loss was just measured. */
		finish_width(z, loss, em);
	} else {
		cblas_daxpy((int)ntk_n_params(&z->net), -z->sc.train.lr, z->net.grads, 1, z->net.params, 1);
		z->t++;
		if (z->t % z->sc.train.eval_every == 0)
			measure(z, em);
	}
	z->epoch++;
	return z->k < z->n_widths;
}

/* One measurement against width, log-log, as the widths finish. */
static struct view_spec width_chart(const char *title, enum metric m, uint32_t mask)
{
	return (struct view_spec){
		.kind = VIEW_LINES,
		.title = title,
		.n_metrics = 1,
		.metrics = {m},
		.series_mask = mask,
		.log_y = true,
		.x_grid = true,
		.hline = NAN,
		.vline = NAN,
		.weight = 2,
	};
}

static void lazy_describe(const struct scenario *sc, struct run_desc *d)
{
	memset(d, 0, sizeof *d);
	/* Each width: at most `epochs` updates and the step that finds it done. */
	d->planned_epochs = sc->model.n_widths * (sc->train.epochs + 1);
	d->progress = (struct run_progress){"width", sc->model.n_widths, MET_LAZY_WIDTH, true};
	d->n_series = 3;
	report_label(d, 0, "measured");
	report_label(d, 1, "slope -1/2");
	report_label(d, 2, "slope -1");
	d->series_params[0] = (long)max_width(sc) * (sc->data.dim + 1);
	d->n_grid = sc->model.n_widths;
	for (int i = 0; i < d->n_grid; i++)
		d->grid_x[i] = sc->model.widths[i];
	d->grid_name = "m";
	d->threshold = sc->train.target_loss > 0 ? sc->train.target_loss : NAN;
	d->noise_floor = sc->data.noise > 0 ? sc->data.noise * sc->data.noise : NAN;
	/* Each chart: the measurement (series 0) and its reference slope. */
	d->views[d->n_views++] = width_chart("First layer |W-W0|/|W0|", MET_LAZY_W_MOVEMENT, 1u | 1u << 1);
	d->views[d->n_views++] = width_chart("Kernel drift |K-K0|/|K0|", MET_LAZY_DRIFT, 1u | 1u << 2);
	static const struct table_col cols[] = {
		{"width m", MET_LAZY_WIDTH, CELL_EPOCH}, {"step", MET_LAZY_STEPS, CELL_EPOCH},
		{"loss", MET_TRAIN_LOSS, CELL_LOSS},     {"slope", MET_LAZY_SLOPE, CELL_LOSS},
	};
	report_table(d, "Training now", 1, cols, 4);
	report_notes(d);
}

static void lazy_report(const struct scenario *sc, const struct run_desc *d, const struct history *h, FILE *out)
{
	double move[RUN_MAX_GRID], wmove[RUN_MAX_GRID], drift[RUN_MAX_GRID], steps[RUN_MAX_GRID], end[RUN_MAX_GRID];
	report_grid(h, 0, MET_LAZY_MOVEMENT, move);
	report_grid(h, 0, MET_LAZY_W_MOVEMENT, wmove);
	report_grid(h, 0, MET_LAZY_DRIFT, drift);
	report_grid(h, 0, MET_LAZY_STEPS, steps);
	report_grid(h, 0, MET_LAZY_END_LOSS, end);
	fprintf(out, "%s\n", sc->title);
	fprintf(out,
		"two-layer ReLU nets f(x) = a . relu(W x / sqrt(d)) / sqrt(width), N(0, 1) init; training samples %d, "
		"input dim %d\nfull-batch gradient descent, lr %g for every width, until train loss < %g (at most %d "
		"steps)\n\n",
		sc->data.samples, sc->data.dim, sc->train.lr, sc->train.target_loss, sc->train.epochs);
	fprintf(out, "%8s %10s %8s %12s %16s %16s %16s\n", "width", "params", "steps", "final loss", "|W_T-W_0|/|W_0|",
		"all weights", "|K_T-K_0|/|K_0|");
	int w[RUN_MAX_GRID];
	/* the width in training when gradient descent diverged */
	double bad = h->diverged[0] ? h->last[0][MET_LAZY_WIDTH] : NAN;
	for (int i = 0; i < d->n_grid; i++) {
		w[i] = (int)d->grid_x[i];
		if (isnan(end[i])) {
			fprintf(out, "%8d %10ld %8s %12s %16s %16s %16s\n", w[i], (long)w[i] * (sc->data.dim + 1), "-",
				w[i] == bad ? "diverged" : "-", "-", "-", "-");
			continue;
		}
		fprintf(out, "%8d %10ld %8.0f %12.4g %16.4g %16.4g %16.4g\n", w[i], (long)w[i] * (sc->data.dim + 1),
			steps[i], end[i], wmove[i], move[i], drift[i]);
	}
	double sm = loglog_slope(w, wmove, d->n_grid), sk = loglog_slope(w, drift, d->n_grid);
	fprintf(out,
		"(|W_T-W_0|/|W_0|: the first layer alone; all weights: W and a, ||theta_T-theta_0||/||theta_0||)\n"
		"\nlog-log slope against width: first-layer movement %.3f (theory -1/2), all weights %.3f, kernel drift "
		"%.3f (between -3/4 and -1)\n",
		sm, loglog_slope(w, move, d->n_grid), sk);
	if (h->diverged[0]) {
		report_undecided(out, NULL, "diverged at epoch %u (width %.0f); " REPORT_LR_HINT,
				 h->last_epoch[0][MET_DIVERGED], bad);
		return;
	}
	if (!report_decided(out, NULL, d, h, 0))
		return;
	if (sm > -0.7 && sm < -0.3)
		report_result(out, NULL, "lazy training: the wider the net, the less its weights move to fit the same data");
	else
		report_result(out, NULL, "the movement does not fall like 1/sqrt(width) here (slope %.3f)", sm);
}

static const enum metric emitted[] = {
	MET_LAZY_W_MOVEMENT, MET_LAZY_MOVEMENT, MET_LAZY_DRIFT, MET_LAZY_STEPS, MET_LAZY_END_LOSS, MET_LAZY_SLOPE,
	MET_LAZY_WIDTH, MET_TRAIN_LOSS, MET_DIVERGED,
};

/* ---- claims: what scenario 10 says, measured on its own records ---- */

/* Widths and a grid metric's values, and how many widths are done. */
static int width_values(const struct run_desc *d, const struct history *h, enum metric m, int *w /* (RUN_MAX_GRID) */,
			double *v /* (RUN_MAX_GRID) */)
{
	report_grid(h, 0, m, v);
	int done = 0;
	for (int i = 0; i < d->n_grid; i++) {
		w[i] = (int)d->grid_x[i];
		done += isfinite(v[i]);
	}
	return done;
}

static enum claim_verdict claim_movement_slope(const struct scenario *sc, const struct run_desc *d,
					       const struct history *h, bool finished, struct claim_eval *e)
{
	(void)sc;
	int w[RUN_MAX_GRID];
	double v[RUN_MAX_GRID];
	int done = width_values(d, h, MET_LAZY_W_MOVEMENT, w, v);
	double s = loglog_slope(w, v, d->n_grid);
	return claims_judge(e, d, h, finished, done == d->n_grid && isfinite(s), s > -0.7 && s < -0.3, s,
			    "first-layer movement |W-W0|/|W0| falls like width^%.2f over widths %d..%d (theory -1/2; -0.7 to -0.3)", s,
			    w[0], w[d->n_grid - 1]);
}

static enum claim_verdict claim_kernel_less(const struct scenario *sc, const struct run_desc *d,
					    const struct history *h, bool finished, struct claim_eval *e)
{
	(void)sc;
	int w[RUN_MAX_GRID];
	double mv[RUN_MAX_GRID], dr[RUN_MAX_GRID];
	int done = width_values(d, h, MET_LAZY_W_MOVEMENT, w, mv);
	int drifts = width_values(d, h, MET_LAZY_DRIFT, w, dr);
	done = drifts < done ? drifts : done;
	double sm = loglog_slope(w, mv, d->n_grid), sk = loglog_slope(w, dr, d->n_grid);
	return claims_judge(e, d, h, finished, done == d->n_grid && isfinite(sm) && isfinite(sk), sk < sm, sk,
			    "its tangent kernel falls faster, like width^%.2f (the first layer: width^%.2f)", sk, sm);
}

static enum claim_verdict claim_narrow_moves(const struct scenario *sc, const struct run_desc *d,
					     const struct history *h, bool finished, struct claim_eval *e)
{
	(void)sc;
	double m = claims_grid_at(h, 0, MET_LAZY_W_MOVEMENT, 0);
	return claims_judge(e, d, h, finished, isfinite(m), m > 0.3, 100 * m,
			    "the narrowest (m = %.0f) is not lazy: its first layer moves %.0f%% (over 30%%)", d->grid_x[0],
			    100 * m);
}

static const struct claim claims[] = {
	{"movement-slope", "log-log slope of first-layer movement", claim_movement_slope, NULL},
	{"kernel-moves-less", "log-log slope of kernel drift", claim_kernel_less, NULL},
	{"narrow-not-lazy", "% the narrowest net's first layer moves", claim_narrow_moves, NULL},
};

static bool lazy_check(struct config_check *c, const struct scenario *sc)
{
	if (sc->train.optimizer == OPTIM_ADAM)
		return config_fail(c, KEY_OPTIMIZER, "kind lazy_training trains with plain gradient descent (sgd), not adam");
	for (int i = 1; i < sc->model.n_widths; i++)
		if (sc->model.widths[i] <= sc->model.widths[i - 1])
			return config_fail(c, KEY_WIDTHS, "kind lazy_training needs increasing widths (%d after %d)",
					   sc->model.widths[i], sc->model.widths[i - 1]);
	return true;
}

/* Sized for the widest net and reused by each width: parameters,
 * gradients, initial values and a difference (m (d + 1) each), two (n, m)
 * activations, three (n, n) kernels, X and y (and their float32 draws). */
static double lazy_memory(const struct scenario *sc, enum config_key *blame)
{
	double n = sc->data.samples, d = sc->data.dim, m = 1;
	for (int i = 0; i < sc->model.n_widths; i++)
		m = sc->model.widths[i] > m ? sc->model.widths[i] : m;
	*blame = KEY_WIDTHS;
	return (4 * m * (d + 1) + 2 * n * m + 3 * n * n + n * (d + 3)) * sizeof(double) + n * (d + 1) * sizeof(float);
}

const struct experiment_ops lazy_training_ops = {
	.kind = "lazy_training",
	/* One hidden layer in the NTK parameterisation, N(0, 1) weights, and
	 * no test set: what it measures is on the training set. */
	.keys = KEY_BIT(KEY_TARGET) | KEY_BIT(KEY_WIDTHS) | KEY_BIT(KEY_OPTIMIZER) | KEY_BIT(KEY_LR) |
		KEY_BIT(KEY_EPOCHS) | KEY_BIT(KEY_TARGET_LOSS) | KEY_BIT(KEY_EVAL_EVERY),
	.target = TARGET_SIN_COS,
	.targets = TARGET_BIT(TARGET_SIN_COS) | TARGET_BIT(TARGET_SIN3),
	.optimizer = OPT_WORD_SGD,
	.optimizers = OPT_WORD_BIT(OPT_WORD_SGD) | OPT_WORD_BIT(OPT_WORD_ADAM), /* adam: lazy_check says why not */
	.check = lazy_check,
	.memory = lazy_memory,
	.create = lazy_create,
	.step = lazy_step,
	.destroy = lazy_destroy,
	.describe = lazy_describe,
	.report = lazy_report,
	EXPERIMENT_METRICS(emitted),
	EXPERIMENT_CLAIMS(claims),
};
