/* mode_connectivity.c: two networks from different initialisations train on
 * the same data; every eval_every epochs (and at the end) the training loss
 * is measured along the straight line theta(a) = a*theta1 + (1-a)*theta2,
 * so the class sees the barrier form while the two runs converge. */
#include <cblas.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "overparam/data.h"
#include "overparam/experiment.h"
#include "overparam/history.h"
#include "overparam/mlp.h"
#include "overparam/optim.h"
#include "overparam/rng.h"

enum { STREAM_TRAIN = 0, STREAM_TEST = 1, STREAM_NET = 1000 };

struct mc_net {
	struct mlp net;
	struct optim opt;
	double loss;     /* latest training loss */
	int stopped_at;  /* epoch it reached target_loss, -1 while training */
	bool diverged;
};

struct mode_conn {
	struct scenario sc;
	int n, d;
	float *X, *y;    /* (n, d), (n) */
	struct mc_net a, b;
	struct mlp mix;  /* scratch net holding theta(alpha) */
	int n_alpha;
	double alpha[SCENARIO_MAX_ALPHA];
	int epoch;       /* updates applied so far (to the nets still training) */
	int last_eval;   /* epoch of the latest interpolation, -1 before any */
};

static void mc_dims(const struct scenario *sc, int *dims /* (depth + 2) */)
{
	dims[0] = sc->data.dim;
	for (int l = 1; l <= sc->model.depth; l++)
		dims[l] = sc->model.widths[0];
	dims[sc->model.depth + 1] = 1;
}

static void mc_alphas(const struct scenario *sc, double *alpha /* (alpha_points) */)
{
	int k = sc->train.alpha_points;
	for (int i = 0; i < k; i++)
		alpha[i] = (double)i / (k - 1);
}

static void mc_destroy(struct experiment *x)
{
	struct mode_conn *m = (struct mode_conn *)x;
	if (!m)
		return;
	mlp_destroy(&m->a.net);
	mlp_destroy(&m->b.net);
	mlp_destroy(&m->mix);
	optim_destroy(&m->a.opt);
	optim_destroy(&m->b.opt);
	free(m->X);
	free(m->y);
	free(m);
}

static int mc_net_create(const struct scenario *sc, uint64_t seed, uint64_t init_seed, struct mc_net *c, int n)
{
	int dims[MLP_MAX_LAYERS + 1];
	mc_dims(sc, dims);
	if (mlp_create(&c->net, dims, sc->model.depth + 1, n) != 0)
		return -1;
	if (optim_create(&c->opt, sc->train.optimizer, c->net.n_params, sc->train.lr) != 0)
		return -1;
	/* The scenario seed and the net's own seed together: a new seed (R)
	 * redraws both nets, and the two nets never share a stream. */
	struct rng r;
	rng_seed(&r, seed, STREAM_NET + init_seed);
	if (sc->model.init == INIT_NORMAL)
		mlp_init_normal(&c->net, &r, sc->model.init_std);
	else
		mlp_init_torch_default(&c->net, &r);
	c->stopped_at = -1;
	c->loss = NAN;
	return 0;
}

static int mc_create(const struct scenario *sc, uint64_t seed, struct experiment **out, char *err, size_t errlen)
{
	struct mode_conn *m = calloc(1, sizeof *m);
	if (!m)
		goto oom;
	m->sc = *sc;
	m->n = sc->data.samples;
	m->d = sc->data.dim;
	m->X = malloc(sizeof(float) * (size_t)m->n * (size_t)m->d);
	m->y = malloc(sizeof(float) * (size_t)m->n);
	if (!m->X || !m->y)
		goto oom;
	struct rng r;
	rng_seed(&r, seed, STREAM_TRAIN);
	data_gaussian_f32(&r, m->X, m->n, m->d);
	data_target_f32(&r, sc->data.target, m->X, m->n, m->d, sc->data.noise, m->y);
	if (mc_net_create(sc, seed, sc->model.init_seeds[0], &m->a, m->n) != 0 ||
	    mc_net_create(sc, seed, sc->model.init_seeds[1], &m->b, m->n) != 0)
		goto oom;
	int dims[MLP_MAX_LAYERS + 1];
	mc_dims(sc, dims);
	if (mlp_create(&m->mix, dims, sc->model.depth + 1, m->n) != 0)
		goto oom;
	m->n_alpha = sc->train.alpha_points;
	mc_alphas(sc, m->alpha);
	m->last_eval = -1;
	*out = (struct experiment *)m;
	return 0;
oom:
	snprintf(err, errlen, "%s: out of memory building the two networks", sc->path);
	mc_destroy((struct experiment *)m);
	return -1;
}

static void mc_train(struct mode_conn *m, struct mc_net *c, int series, struct emitter *em)
{
	if (c->stopped_at >= 0 || c->diverged)
		return;
	uint32_t e = (uint32_t)m->epoch;
	c->loss = mlp_loss_grad(&c->net, m->X, m->y, m->n);
	emitter_put(em, e, series, MET_TRAIN_LOSS, 0, c->loss);
	if (!isfinite(c->loss)) {
		c->diverged = true;
		emitter_put(em, e, series, MET_DIVERGED, 0, c->loss);
		return;
	}
	/* Stop with the weights whose loss we just measured, so the endpoint of
	 * the interpolation is the network that met the target. */
	if (m->sc.train.target_loss > 0 && c->loss < m->sc.train.target_loss) {
		c->stopped_at = m->epoch;
		emitter_put(em, e, series, MET_CONVERGED, 0, (double)m->epoch);
		return;
	}
	optim_step(&c->opt, c->net.params, c->net.grads);
}

/* Loss along the line and the barrier: the largest excess of L(theta(a))
 * over the straight mix a*L(theta1) + (1-a)*L(theta2) of the end losses. */
static void mc_interpolate(struct mode_conn *m, uint32_t e, struct emitter *em)
{
	size_t np = m->mix.n_params;
	double l1 = NAN, l2 = NAN, loss[SCENARIO_MAX_ALPHA];
	for (int i = 0; i < m->n_alpha; i++) {
		float a = (float)m->alpha[i];
		/* theta(a) = a*theta1 + (1-a)*theta2, as one copy and two axpy-like calls */
		cblas_scopy((int)np, m->b.net.params, 1, m->mix.params, 1);
		cblas_sscal((int)np, 1.0f - a, m->mix.params, 1);
		cblas_saxpy((int)np, a, m->a.net.params, 1, m->mix.params, 1);
		loss[i] = mlp_loss(&m->mix, m->X, m->y, m->n);
		emitter_put(em, e, 0, MET_INTERP_LOSS, (uint32_t)i, loss[i]);
	}
	if (m->n_alpha >= 2) { /* always (alpha_points >= 2); says so to the analyzers */
		l2 = loss[0];
		l1 = loss[m->n_alpha - 1];
	}
	double barrier = -INFINITY;
	for (int i = 0; i < m->n_alpha; i++) {
		double a = m->alpha[i];
		double excess = loss[i] - (a * l1 + (1 - a) * l2);
		if (!(excess <= barrier)) /* NaN propagates: a diverged line is no barrier */
			barrier = excess;
	}
	emitter_put(em, e, 0, MET_BARRIER, 0, barrier);
	m->last_eval = (int)e;
}

static bool mc_step(struct experiment *x, struct emitter *em)
{
	struct mode_conn *m = (struct mode_conn *)x;
	if (m->epoch >= m->sc.train.epochs)
		return false;
	mc_train(m, &m->a, 0, em);
	mc_train(m, &m->b, 1, em);
	bool a_done = m->a.stopped_at >= 0 || m->a.diverged;
	bool b_done = m->b.stopped_at >= 0 || m->b.diverged;
	bool over = (a_done && b_done) || m->epoch + 1 >= m->sc.train.epochs;
	if (m->epoch % m->sc.train.eval_every == 0 || over)
		mc_interpolate(m, (uint32_t)m->epoch, em);
	m->epoch++;
	return !over;
}

static void mc_describe(const struct scenario *sc, struct run_desc *d)
{
	memset(d, 0, sizeof *d);
	d->planned_epochs = sc->train.epochs;
	d->n_series = 2;
	int dims[MLP_MAX_LAYERS + 1];
	mc_dims(sc, dims);
	long params = (long)mlp_count_params(dims, sc->model.depth + 1);
	for (int k = 0; k < 2; k++) {
		snprintf(d->series_label[k], sizeof d->series_label[k], "net %c (seed %llu)", 'A' + k,
			 (unsigned long long)sc->model.init_seeds[k]);
		d->series_params[k] = params;
	}
	d->n_grid = sc->train.alpha_points;
	d->grid_name = "alpha";
	mc_alphas(sc, d->grid_x);
	d->threshold = sc->train.target_loss > 0 ? sc->train.target_loss : NAN;
	d->noise_floor = sc->data.noise > 0 ? sc->data.noise * sc->data.noise : NAN;
	d->views[d->n_views++] = (struct view_spec){
		.kind = VIEW_LINES,
		.title = "Training loss of the two nets (MSE)",
		.n_metrics = 1,
		.metrics = {MET_TRAIN_LOSS},
		.series_mask = 3,
		.log_y = true,
		.hline = d->threshold,
		.hline_label = "target",
		.weight = 2,
	};
	d->views[d->n_views++] = (struct view_spec){
		.kind = VIEW_BARS,
		.title = "Loss along a*A + (1-a)*B",
		.n_metrics = 2, /* the bars, and the barrier printed with them */
		.metrics = {MET_INTERP_LOSS, MET_BARRIER},
		.series_mask = 1,
		.weight = 2,
	};
	d->views[d->n_views++] = (struct view_spec){
		.kind = VIEW_LINES,
		.title = "Barrier height over training",
		.n_metrics = 1,
		.metrics = {MET_BARRIER},
		.series_mask = 1,
		.log_y = false,
		.hline = NAN,
		.weight = 1,
	};
	struct view_spec table = {.kind = VIEW_TABLE, .title = "Networks", .series_mask = 3, .weight = 1};
	table.cols[table.n_cols++] = (struct table_col){"net", MET_TRAIN_LOSS, CELL_LABEL};
	table.cols[table.n_cols++] = (struct table_col){"params", MET_TRAIN_LOSS, CELL_PARAMS};
	table.cols[table.n_cols++] = (struct table_col){"loss", MET_TRAIN_LOSS, CELL_LOSS};
	table.cols[table.n_cols++] = (struct table_col){"stopped at", MET_CONVERGED, CELL_EPOCH};
	d->views[d->n_views++] = table;
	d->views[d->n_views++] = (struct view_spec){.kind = VIEW_TEXT, .title = "Why", .weight = 1};
}

static const char *mc_status(double loss)
{
	if (!isfinite(loss))
		return "diverged";
	if (loss < 0.01)
		return "low loss";
	if (loss < 0.1)
		return "medium loss";
	return "high loss (barrier)";
}

static void mc_report(const struct scenario *sc, const struct run_desc *d, const struct history *h, FILE *out)
{
	fprintf(out, "%s\n", sc->title);
	fprintf(out, "training samples %d, input dim %d, depth %d, width %d: %ld parameters per net\n", sc->data.samples,
		sc->data.dim, sc->model.depth, sc->model.widths[0], d->series_params[0]);
	for (int k = 0; k < 2; k++) {
		char stop[48] = "did not reach the target";
		if (h->seen[k][MET_CONVERGED])
			snprintf(stop, sizeof stop, "stopped at epoch %.0f", h->last[k][MET_CONVERGED]);
		if (h->diverged[k])
			snprintf(stop, sizeof stop, "diverged");
		fprintf(out, "%s final loss %.3e, %s\n", d->series_label[k], h->last[k][MET_TRAIN_LOSS], stop);
	}
	const double *grid = history_grid(h, 0, MET_INTERP_LOSS);
	fprintf(out, "\nlinear interpolation theta(a) = a*A + (1-a)*B, at epoch %u:\n",
		h->grid_epoch[0][MET_INTERP_LOSS]);
	fprintf(out, "%-8s %-16s %s\n", "alpha", "loss", "status");
	for (int i = 0; grid && i < d->n_grid; i++)
		fprintf(out, "%-8.2f %-16.6g %s\n", d->grid_x[i], grid[i], mc_status(grid[i]));
	double barrier = h->last[0][MET_BARRIER];
	fprintf(out, "\nbarrier height %.4g (max over alpha of L(theta(a)) - [a L(A) + (1-a) L(B)])\n", barrier);
	if (barrier > 0.1)
		fprintf(out, "RESULT: a loss barrier separates the two solutions on the straight line\n");
	else
		fprintf(out, "RESULT: the two solutions are approximately linearly connected\n");
}

/* The data, two trained nets and one scratch net for theta(alpha). */
static double mc_memory(const struct scenario *sc, enum config_key *blame)
{
	double n = sc->data.samples, nt = sc->data.test_samples, d = sc->data.dim;
	double rows = n > nt ? n : nt, bytes = (n * (d + 1) + nt * (d + 1)) * sizeof(float);
	if (sc->model.n_widths > 0) {
		int w = sc->model.widths[0];
		bytes += 2 * mlp_estimate_bytes(sc->data.dim, sc->model.depth, w, rows, sc->train.optimizer == OPTIM_ADAM);
		bytes += mlp_estimate_bytes(sc->data.dim, sc->model.depth, w, rows, false);
	}
	*blame = KEY_WIDTHS;
	return bytes;
}

const struct experiment_ops mode_connectivity_ops = {
	.kind = "mode_connectivity",
	.keys = KEY_BIT(KEY_TARGET) | KEY_BIT(KEY_DEPTH) | KEY_BIT(KEY_WIDTHS) | KEY_BIT(KEY_INIT) |
		KEY_BIT(KEY_INIT_STD) | KEY_BIT(KEY_INIT_SEEDS) | KEY_BIT(KEY_OPTIMIZER) | KEY_BIT(KEY_LR) |
		KEY_BIT(KEY_EPOCHS) | KEY_BIT(KEY_TARGET_LOSS) | KEY_BIT(KEY_ALPHA_POINTS) | KEY_BIT(KEY_EVAL_EVERY),
	.target = TARGET_SIN3,
	.targets = TARGET_BIT(TARGET_SIN_COS) | TARGET_BIT(TARGET_SIN3),
	.optimizer = OPT_WORD_ADAM,
	.optimizers = OPT_WORD_BIT(OPT_WORD_SGD) | OPT_WORD_BIT(OPT_WORD_ADAM),
	.one_width = true,
	.check = config_no_check,
	.memory = mc_memory,
	.create = mc_create,
	.step = mc_step,
	.destroy = mc_destroy,
	.describe = mc_describe,
	.report = mc_report,
};
