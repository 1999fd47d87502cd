/* width_sweep.c: the seed's "optimization ease" demo. Networks of several
 * widths train side by side on one data set, full batch; per epoch each
 * model's training loss, every eval_every epochs its test loss, and the
 * epoch it first drops below the threshold. Each model has its own rng
 * stream, so adding a width never changes another model's run. */
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

enum { STREAM_TRAIN = 0, STREAM_TEST = 1, STREAM_MODEL = 100 };

struct sweep_model {
	struct mlp net;
	struct optim opt;
	int converged_at; /* -1 until the loss drops below the threshold */
	bool diverged;
};

struct width_sweep {
	struct scenario sc;
	int n, n_test, d;
	float *X, *y;         /* (n, d), (n) */
	float *X_test, *y_test; /* (n_test, d), (n_test) */
	int n_models;
	struct sweep_model model[SCENARIO_MAX_WIDTHS];
	int epoch;            /* updates applied so far */
};

static void fill_dims(const struct scenario *sc, int width, int *dims /* (depth + 2) */)
{
	dims[0] = sc->data.dim;
	for (int l = 1; l <= sc->model.depth; l++)
		dims[l] = width;
	dims[sc->model.depth + 1] = 1;
}

static void sweep_destroy(struct experiment *x)
{
	struct width_sweep *w = (struct width_sweep *)x;
	if (!w)
		return;
	for (int k = 0; k < w->n_models; k++) {
		mlp_destroy(&w->model[k].net);
		optim_destroy(&w->model[k].opt);
	}
	free(w->X);
	free(w->y);
	free(w->X_test);
	free(w->y_test);
	free(w);
}

static int sweep_create(const struct scenario *sc, uint64_t seed, struct experiment **out, char *err, size_t errlen)
{
	struct width_sweep *w = calloc(1, sizeof *w);
	if (!w)
		goto oom;
	w->sc = *sc;
	w->n = sc->data.samples;
	w->n_test = sc->data.test_samples;
	w->d = sc->data.dim;
	w->X = malloc(sizeof(float) * (size_t)w->n * (size_t)w->d);
	w->y = malloc(sizeof(float) * (size_t)w->n);
	if (!w->X || !w->y)
		goto oom;
	struct rng r;
	rng_seed(&r, seed, STREAM_TRAIN);
	data_gaussian_f32(&r, w->X, w->n, w->d);
	data_target_f32(&r, sc->data.target, w->X, w->n, w->d, sc->data.noise, w->y);
	if (w->n_test > 0) {
		w->X_test = malloc(sizeof(float) * (size_t)w->n_test * (size_t)w->d);
		w->y_test = malloc(sizeof(float) * (size_t)w->n_test);
		if (!w->X_test || !w->y_test)
			goto oom;
		rng_seed(&r, seed, STREAM_TEST);
		data_gaussian_f32(&r, w->X_test, w->n_test, w->d);
		data_target_f32(&r, sc->data.target, w->X_test, w->n_test, w->d, sc->data.noise, w->y_test);
	}
	int batch = w->n > w->n_test ? w->n : w->n_test;
	for (int k = 0; k < sc->model.n_widths; k++) {
		struct sweep_model *m = &w->model[k];
		int dims[MLP_MAX_LAYERS + 1];
		fill_dims(sc, sc->model.widths[k], dims);
		if (mlp_create(&m->net, dims, sc->model.depth + 1, batch) != 0)
			goto oom;
		w->n_models = k + 1;
		if (optim_create(&m->opt, sc->train.optimizer, m->net.n_params, sc->train.lr) != 0)
			goto oom;
		rng_seed(&r, seed, STREAM_MODEL + (uint64_t)k);
		if (sc->model.init == INIT_NORMAL)
			mlp_init_normal(&m->net, &r, sc->model.init_std);
		else
			mlp_init_torch_default(&m->net, &r);
		m->converged_at = -1;
	}
	*out = (struct experiment *)w;
	return 0;
oom:
	snprintf(err, errlen, "%s: out of memory building the width sweep", sc->path);
	sweep_destroy((struct experiment *)w);
	return -1;
}

/* One full-batch epoch of one model: the loss at the current weights (as the
 * seed's loss.item()), then the update. Test loss is measured at the same
 * weights, before the update. */
static void sweep_step_model(struct width_sweep *w, int k, struct emitter *em)
{
	struct sweep_model *m = &w->model[k];
	uint32_t e = (uint32_t)w->epoch;
	bool last = w->epoch + 1 >= w->sc.train.epochs;
	if (w->n_test > 0 && (w->epoch % w->sc.train.eval_every == 0 || last))
		emitter_put(em, e, k, MET_TEST_LOSS, 0, mlp_loss(&m->net, w->X_test, w->y_test, w->n_test));
	double loss = mlp_loss_grad(&m->net, w->X, w->y, w->n);
	emitter_put(em, e, k, MET_TRAIN_LOSS, 0, loss);
	if (!isfinite(loss)) {
		m->diverged = true;
		emitter_put(em, e, k, MET_DIVERGED, 0, loss);
		return;
	}
	if (m->converged_at < 0 && w->sc.train.threshold > 0 && loss < w->sc.train.threshold) {
		m->converged_at = w->epoch;
		emitter_put(em, e, k, MET_CONVERGED, 0, (double)w->epoch);
	}
	optim_step(&m->opt, m->net.params, m->net.grads);
}

static bool sweep_step(struct experiment *x, struct emitter *em)
{
	struct width_sweep *w = (struct width_sweep *)x;
	if (w->epoch >= w->sc.train.epochs)
		return false;
	int alive = 0;
	for (int k = 0; k < w->n_models; k++) {
		if (w->model[k].diverged)
			continue;
		sweep_step_model(w, k, em);
		alive += !w->model[k].diverged;
	}
	w->epoch++;
	return alive > 0 && w->epoch < w->sc.train.epochs;
}

static void sweep_describe(const struct scenario *sc, struct run_desc *d)
{
	memset(d, 0, sizeof *d);
	d->planned_epochs = sc->train.epochs;
	d->n_series = sc->model.n_widths;
	for (int k = 0; k < d->n_series; k++) {
		int dims[MLP_MAX_LAYERS + 1];
		fill_dims(sc, sc->model.widths[k], dims);
		snprintf(d->series_label[k], sizeof d->series_label[k], "width %d", sc->model.widths[k]);
		d->series_params[k] = (long)mlp_count_params(dims, sc->model.depth + 1);
	}
	d->threshold = sc->train.threshold > 0 ? sc->train.threshold : NAN;
	d->noise_floor = sc->data.noise * sc->data.noise;
	uint32_t all = (1u << d->n_series) - 1;
	d->views[d->n_views++] = (struct view_spec){
		.kind = VIEW_LINES,
		.title = "Training loss (MSE)",
		.n_metrics = 1,
		.metrics = {MET_TRAIN_LOSS},
		.series_mask = all,
		.log_y = true,
		.hline = d->threshold,
		.hline_label = "threshold",
		.weight = 3,
	};
	struct view_spec table = {
		.kind = VIEW_TABLE,
		.title = "Models",
		.series_mask = all,
		.weight = 1,
	};
	table.cols[table.n_cols++] = (struct table_col){"model", MET_TRAIN_LOSS, CELL_LABEL};
	table.cols[table.n_cols++] = (struct table_col){"params", MET_TRAIN_LOSS, CELL_PARAMS};
	table.cols[table.n_cols++] = (struct table_col){"loss", MET_TRAIN_LOSS, CELL_LOSS};
	if (sc->data.test_samples > 0)
		table.cols[table.n_cols++] = (struct table_col){"test", MET_TEST_LOSS, CELL_LOSS};
	table.cols[table.n_cols++] = (struct table_col){"< thr at", MET_CONVERGED, CELL_EPOCH};
	d->views[d->n_views++] = table;
	d->views[d->n_views++] = (struct view_spec){.kind = VIEW_TEXT, .title = "Why", .weight = 1};
}

static void sweep_report(const struct scenario *sc, const struct run_desc *d, const struct history *h, FILE *out)
{
	fprintf(out, "%s\n", sc->title);
	fprintf(out, "training samples %d, input dim %d, depth %d, %s lr %g, %u epochs, label noise floor %.4g\n\n",
		sc->data.samples, sc->data.dim, sc->model.depth, sc->train.optimizer == OPTIM_ADAM ? "Adam" : "SGD",
		sc->train.lr, h->epoch, d->noise_floor);
	bool test = sc->data.test_samples > 0;
	fprintf(out, "%-12s %12s %14s %14s %16s\n", "model", "params", "final loss", test ? "test loss" : "",
		"loss < thr at");
	for (int k = 0; k < d->n_series; k++) {
		char conv[32] = "not converged";
		if (h->seen[k][MET_CONVERGED])
			snprintf(conv, sizeof conv, "epoch %.0f", h->last[k][MET_CONVERGED]);
		char testv[32] = "";
		if (test)
			snprintf(testv, sizeof testv, "%.6g", h->last[k][MET_TEST_LOSS]);
		if (h->diverged[k])
			snprintf(conv, sizeof conv, "diverged");
		fprintf(out, "%-12s %12ld %14.6g %14s %16s\n", d->series_label[k], d->series_params[k],
			h->last[k][MET_TRAIN_LOSS], testv, conv);
	}
	fprintf(out, "\nthreshold %g; models whose final loss is below the noise floor %.4g have fitted label noise\n",
		sc->train.threshold, d->noise_floor);
}

const struct experiment_ops width_sweep_ops = {
	.kind = "width_sweep",
	.create = sweep_create,
	.step = sweep_step,
	.destroy = sweep_destroy,
	.describe = sweep_describe,
	.report = sweep_report,
};
