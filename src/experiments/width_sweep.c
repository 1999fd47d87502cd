/* width_sweep.c: the seed's "optimization ease" demo. Networks of several
 * widths train side by side on one data set, full batch; per epoch each
 * model's training loss, every eval_every epochs its test loss, and the
 * epoch it first drops below the threshold. Each model has its own rng
 * stream, so adding a width never changes another model's run.
 *
 * An epoch is cut into two shares, for the runner's team of threads
 * (workers.h) to run side by side when that pays. The models are
 * independent, but the widest dominates (the seed's width 500: ~154 MFLOP
 * an epoch against ~28 for the other three together), so dealing out whole
 * models cannot balance the load. Instead each big model's step is split:
 * every layer's units in two halves, one a share (mlp.h), the shares
 * meeting after each layer's pass; the small models go whole to one share
 * or the other. How a step is cut depends on the scenario alone, never on
 * the number of threads, so a run is bit for bit the same on one thread or
 * two; tests/test_width_sweep.c compares them.
 *
 * Each model leaves its epoch's results in its own slot; the owner emits
 * them in model order once the epoch is done, so the emitter (the trainer's
 * single-producer ring) is only ever called from the owner's thread. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "experiments/claims.h"
#include "experiments/report.h"
#include "overparam/data.h"
#include "overparam/experiment.h"
#include "overparam/history.h"
#include "overparam/mlp.h"
#include "overparam/optim.h"
#include "overparam/rng.h"
#include "overparam/run_loop.h"
#include "overparam/workers.h"

enum { STREAM_TRAIN = 0, STREAM_TEST = 1, STREAM_MODEL = 100 };

#define SWEEP_SHARES 2          /* an epoch's shares, whatever the threads */
/* Cost model in multiply-adds per epoch (a GEMM call's fixed cost counted
 * as this many), measured on this machine kind, only to balance the shares. */
#define SWEEP_GEMM_COST 2e4
#define SWEEP_SPLIT_MIN 5e5     /* a model cheaper than this goes whole to one share */
#define SWEEP_WORKER_MIN 4e5    /* an epoch cheaper than this: a second thread costs more than it saves */

struct sweep_model {
	struct mlp net;   /* trains on the training set */
	struct mlp eval;  /* the test set through net's weights (unused without a test set) */
	struct optim opt;
	int converged_at; /* -1 until the loss drops below the threshold */
	double start_loss; /* its first training loss, NaN before (report.h's rule) */
	bool diverged;
	/* This epoch's results, left by whichever thread stepped the model. */
	bool active, tested;
	double loss, test_loss;
};

struct width_sweep {
	struct scenario sc;
	int n, n_test, d;
	float *X, *y;         /* (n, d), (n) */
	float *X_test, *y_test; /* (n_test, d), (n_test) */
	double mean_test;       /* held-out MSE of predicting mean(y): the yardstick */
	int n_models;
	struct sweep_model model[SCENARIO_MAX_WIDTHS];
	int epoch;            /* updates applied so far */
	bool test_due;        /* this epoch measures the test loss */

	/* How an epoch is cut (from the scenario alone) and who runs it. */
	bool split[SCENARIO_MAX_WIDTHS];   /* stepped by both shares, a half of every layer each */
	int share_of[SCENARIO_MAX_WIDTHS]; /* the share that steps each other model whole */
	int phases;           /* of a split step: 2 * layers - 1, the shares meet after each */
	bool worth_sharing;   /* enough work, in more than one piece, for a second thread */
	bool split_now;       /* this epoch has split models to step */
	struct workers *team; /* the runner's, when worth sharing; NULL: this thread alone */
};

/* ---- one epoch's work ---- */

/* One whole model: the test loss at the current weights (as the seed
 * measures before its update), the training loss and gradient, the update. */
static void step_model(struct width_sweep *w, int k)
{
	struct sweep_model *m = &w->model[k];
	m->tested = w->test_due;
	if (m->tested)
		m->test_loss = mlp_loss(&m->eval, w->X_test, w->y_test, w->n_test);
	m->loss = mlp_loss_grad(&m->net, w->X, w->y, w->n);
	if (isfinite(m->loss))
		optim_step(&m->opt, m->net.params, m->net.grads);
}

static void run_models(struct width_sweep *w, int share)
{
	/* wide models take long: give way to a cancel (run_loop.h) between them */
	for (int k = 0; k < w->n_models && !run_cancelled(); k++)
		if (!w->split[k] && w->share_of[k] == share && w->model[k].active)
			step_model(w, k);
}

/* One phase of the split models' step, this share's half of every layer:
 * the forward pass layer by layer (the test set's too when its loss is
 * due), the output layer's error with its forward, then the backward pass
 * of errors layer by layer (mlp.h). The shares meet after every phase:
 * each phase reads the whole of the layer the one before wrote. */
static void split_phase(struct width_sweep *w, int phase, int share)
{
	const int layers = w->sc.model.depth + 1;
	for (int k = 0; k < w->n_models; k++) {
		struct sweep_model *m = &w->model[k];
		if (!w->split[k] || !m->active)
			continue;
		if (phase < layers) {
			if (w->test_due)
				mlp_forward_part(&m->eval, w->X_test, w->n_test, phase, share, SWEEP_SHARES);
			mlp_forward_part(&m->net, w->X, w->n, phase, share, SWEEP_SHARES);
			if (phase == layers - 1)
				mlp_backward_part(&m->net, w->y, w->n, phase, share, SWEEP_SHARES);
		} else {
			mlp_backward_part(&m->net, w->y, w->n, 2 * layers - 2 - phase, share, SWEEP_SHARES);
		}
	}
}

/* After the last meeting (no share reads weights any more): this share's
 * rows of the weight gradients, and the update of its rows. The update runs
 * even if the loss turns out non-finite: the model is then retired, and its
 * weights are never looked at again. */
static void split_update(struct width_sweep *w, int share)
{
	for (int k = 0; k < w->n_models; k++) {
		struct sweep_model *m = &w->model[k];
		if (!w->split[k] || !m->active)
			continue;
		size_t begin[2 * MLP_MAX_LAYERS], end[2 * MLP_MAX_LAYERS];
		mlp_grad_part(&m->net, w->X, w->n, share, SWEEP_SHARES);
		int ranges = mlp_part_params(&m->net, share, SWEEP_SHARES, begin, end);
		for (int i = 0; i < ranges; i++)
			optim_step_range(&m->opt, m->net.params, m->net.grads, begin[i], end[i]);
	}
}

/* Whether this epoch has split models to step (a diverged one is retired). */
static bool split_active(const struct width_sweep *w)
{
	for (int k = 0; k < w->n_models; k++)
		if (w->split[k] && w->model[k].active)
			return true;
	return false;
}

/* One share of one phase of an epoch (workers_fn). Phase 0 also steps the
 * share's whole models; with split models, phases 0 .. w->phases - 1 are
 * their passes and the last their update. */
static void sweep_share(void *ctx, int phase, int share)
{
	struct width_sweep *w = ctx;
	if (phase == 0)
		run_models(w, share);
	if (!w->split_now)
		return;
	if (phase < w->phases)
		split_phase(w, phase, share);
	else
		split_update(w, share);
}

static void run_epoch(struct width_sweep *w)
{
	w->split_now = split_active(w);
	for (int k = 0; k < w->n_models; k++) /* before either share updates */
		if (w->split[k] && w->model[k].active)
			optim_step_begin(&w->model[k].opt);
	workers_run(w->team, sweep_share, w, w->split_now ? w->phases + 1 : 1, SWEEP_SHARES);
	/* The split models' losses, from outputs both shares computed. */
	for (int k = 0; k < w->n_models; k++) {
		struct sweep_model *m = &w->model[k];
		if (!w->split[k] || !m->active)
			continue;
		m->tested = w->test_due;
		if (m->tested)
			m->test_loss = mlp_output_loss(&m->eval, w->y_test, w->n_test);
		m->loss = mlp_output_loss(&m->net, w->y, w->n);
	}
}

/* ---- planning: how to split an epoch ---- */

static void fill_dims(const struct scenario *sc, int width, int *dims /* (depth + 2) */)
{
	dims[0] = sc->data.dim;
	for (int l = 1; l <= sc->model.depth; l++)
		dims[l] = width;
	dims[sc->model.depth + 1] = 1;
}

/* A model's epoch in multiply-adds (forward, backward of errors, weight
 * gradients), each GEMM call's fixed cost included. */
static double model_cost(const struct scenario *sc, int width)
{
	int dims[MLP_MAX_LAYERS + 1];
	int layers = sc->model.depth + 1;
	double cost = 0;
	fill_dims(sc, width, dims);
	for (int l = 0; l < layers; l++) {
		double macs = (double)sc->data.samples * dims[l] * dims[l + 1];
		cost += 2 * (macs + SWEEP_GEMM_COST);
		if (l > 0)
			cost += macs + SWEEP_GEMM_COST;
	}
	return cost;
}

static void plan_epoch(struct width_sweep *w)
{
	double cost[SCENARIO_MAX_WIDTHS], total = 0;
	bool any_split = false;
	for (int k = 0; k < w->n_models; k++) {
		cost[k] = model_cost(&w->sc, w->sc.model.widths[k]);
		total += cost[k];
		w->split[k] = cost[k] >= SWEEP_SPLIT_MIN;
		any_split |= w->split[k];
	}
	/* Big models are split, so the shares do equal halves of them; the
	 * small ones go whole, largest first, to the share with less to do. */
	workers_deal(cost, w->split, w->n_models, SWEEP_SHARES, w->share_of);
	w->phases = 2 * (w->sc.model.depth + 1) - 1;
	w->worth_sharing = total >= SWEEP_WORKER_MIN && (any_split || w->n_models > 1);
}

/* ---- the experiment interface ---- */

static void sweep_destroy(struct experiment *x)
{
	struct width_sweep *w = (struct width_sweep *)x;
	if (!w)
		return;
	for (int k = 0; k < w->n_models; k++) {
		mlp_destroy(&w->model[k].eval);
		mlp_destroy(&w->model[k].net);
		optim_destroy(&w->model[k].opt);
	}
	free(w->X);
	free(w->y);
	free(w->X_test);
	free(w->y_test);
	free(w);
}

/* Held-out MSE of the constant prediction mean(y), y the training labels:
 * what a net must beat to have learnt anything that carries over. */
static double mean_predictor_loss(const float *y /* (n) */, int n, const float *y_test /* (n_test) */, int n_test)
{
	double mean = 0, sse = 0;
	for (int i = 0; i < n; i++)
		mean += y[i];
	mean /= n;
	for (int i = 0; i < n_test; i++)
		sse += (y_test[i] - mean) * (y_test[i] - mean);
	return sse / n_test;
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
		w->mean_test = mean_predictor_loss(w->y, w->n, w->y_test, w->n_test);
	}
	for (int k = 0; k < sc->model.n_widths; k++) {
		struct sweep_model *m = &w->model[k];
		int dims[MLP_MAX_LAYERS + 1];
		fill_dims(sc, sc->model.widths[k], dims);
		if (mlp_create(&m->net, dims, sc->model.depth + 1, w->n) != 0)
			goto oom;
		w->n_models = k + 1;
		if (w->n_test > 0 && mlp_create_shared(&m->eval, &m->net, w->n_test) != 0)
			goto oom;
		if (optim_create(&m->opt, sc->train.optimizer, m->net.n_params, sc->train.lr) != 0)
			goto oom;
		rng_seed(&r, seed, STREAM_MODEL + (uint64_t)k);
		if (sc->model.init == INIT_NORMAL)
			mlp_init_normal(&m->net, &r, sc->model.init_std);
		else
			mlp_init_torch_default(&m->net, &r);
		m->converged_at = -1;
		m->start_loss = NAN;
	}
	plan_epoch(w);
	*out = (struct experiment *)w;
	return 0;
oom:
	snprintf(err, errlen, "%s: out of memory building the width sweep", sc->path);
	sweep_destroy((struct experiment *)w);
	return -1;
}

/* The team runs this sweep's epochs only when they are worth sharing. */
static void sweep_use_workers(struct experiment *x, struct workers *wk)
{
	struct width_sweep *w = (struct width_sweep *)x;
	w->team = w->worth_sharing ? wk : NULL;
}

/* The owner's half of an epoch's bookkeeping: records in model order, as
 * one thread stepping the models in turn would emit them. */
static int publish(struct width_sweep *w, struct emitter *em)
{
	uint32_t e = (uint32_t)w->epoch;
	int alive = 0;
	for (int k = 0; k < w->n_models; k++) {
		struct sweep_model *m = &w->model[k];
		if (!m->active)
			continue;
		if (m->tested)
			emitter_put(em, e, k, MET_TEST_LOSS, 0, m->test_loss);
		emitter_put(em, e, k, MET_TRAIN_LOSS, 0, m->loss);
		if (report_diverges(&m->start_loss, m->loss)) {
			m->diverged = true;
			emitter_put(em, e, k, MET_DIVERGED, 0, m->loss);
			continue;
		}
		if (m->converged_at < 0 && w->sc.train.threshold > 0 && m->loss < w->sc.train.threshold) {
			m->converged_at = w->epoch;
			emitter_put(em, e, k, MET_CONVERGED, 0, (double)w->epoch);
		}
		alive++;
	}
	return alive;
}

static bool sweep_step(struct experiment *x, struct emitter *em)
{
	struct width_sweep *w = (struct width_sweep *)x;
	if (w->epoch >= w->sc.train.epochs)
		return false;
	bool last = w->epoch + 1 >= w->sc.train.epochs;
	w->test_due = w->n_test > 0 && (w->epoch % w->sc.train.eval_every == 0 || last);
	for (int k = 0; k < w->n_models; k++)
		w->model[k].active = !w->model[k].diverged;
	run_epoch(w);
	if (run_cancelled()) /* the epoch may be half done: nothing to send */
		return false;
	if (w->epoch == 0 && w->n_test > 0)
		emitter_put(em, 0, 0, MET_MEAN_TEST, 0, w->mean_test);
	int alive = publish(w, em);
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
	if (sc->data.test_samples > 0)
		d->views[d->n_views++] = (struct view_spec){
			.kind = VIEW_LINES,
			.title = "Held-out loss (MSE)",
			.n_metrics = 1,
			.metrics = {MET_TEST_LOSS},
			.series_mask = all,
			.log_y = false, /* 0.6 to 1.3: on a log axis one row; the gap to the line is the point */
			.hline = NAN,
			.hline_run = true,
			.hline_metric = MET_MEAN_TEST,
			.hline_label = "predict the mean",
			.weight = 2,
		};
	struct view_spec table = {
		.kind = VIEW_TABLE,
		.title = "Models",
		.series_mask = all,
		.weight = 1,
	};
	table.cols[table.n_cols++] = (struct table_col){.head = "model", .metric = MET_TRAIN_LOSS, .format = CELL_LABEL};
	table.cols[table.n_cols++] = (struct table_col){.head = "params", .metric = MET_TRAIN_LOSS, .format = CELL_PARAMS};
	table.cols[table.n_cols++] = (struct table_col){.head = "loss", .metric = MET_TRAIN_LOSS, .format = CELL_LOSS};
	if (sc->data.test_samples > 0)
		table.cols[table.n_cols++] = (struct table_col){.head = "test", .metric = MET_TEST_LOSS, .format = CELL_LOSS};
	table.cols[table.n_cols++] = (struct table_col){.head = "< thr at", .metric = MET_CONVERGED, .format = CELL_EPOCH};
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
		/* a diverged model's last loss is NaN, Inf or huge: say so in words */
		char lossv[32] = "diverged";
		if (!h->diverged[k] && isfinite(h->last[k][MET_TRAIN_LOSS]))
			snprintf(lossv, sizeof lossv, "%.6g", h->last[k][MET_TRAIN_LOSS]);
		if (h->diverged[k])
			snprintf(conv, sizeof conv, "diverged");
		fprintf(out, "%-12s %12ld %14s %14s %16s\n", d->series_label[k], d->series_params[k], lossv, testv,
			conv);
	}
	fprintf(out, "\nthreshold %g; models whose final loss is below the noise floor %.4g have fitted label noise\n",
		sc->train.threshold, d->noise_floor);
	if (test && h->seen[0][MET_MEAN_TEST]) {
		double mean = h->last[0][MET_MEAN_TEST];
		int worse = 0;
		for (int k = 0; k < d->n_series; k++)
			worse += !(h->last[k][MET_TEST_LOSS] < mean);
		fprintf(out, "predicting the training labels' mean: test loss %.6g; %d of %d models do no better\n", mean,
			worse, d->n_series);
	}
	/* No verdict line of its own: only a run that cannot be read says so. */
	report_decided(out, NULL, d, h, REPORT_ALL_SERIES);
}

static const enum metric emitted[] = {MET_TRAIN_LOSS, MET_TEST_LOSS, MET_CONVERGED, MET_DIVERGED, MET_MEAN_TEST};

/* The data and one net a width, each sized for the larger of the two sets,
 * with its optimiser's state. */
static double sweep_memory(const struct scenario *sc, enum config_key *blame)
{
	double n = sc->data.samples, nt = sc->data.test_samples, d = sc->data.dim;
	double rows = n > nt ? n : nt, bytes = (n * (d + 1) + nt * (d + 1)) * sizeof(float);
	for (int i = 0; i < sc->model.n_widths; i++)
		bytes += mlp_estimate_bytes(sc->data.dim, sc->model.depth, sc->model.widths[i], rows,
					    sc->train.optimizer == OPTIM_ADAM);
	*blame = KEY_WIDTHS;
	return bytes;
}

/* ---- claims: what scenario 1 says, measured on its own records ---- */

/* The series of the narrowest and the widest net. */
static void sweep_ends(const struct scenario *sc, int *narrow, int *wide)
{
	*narrow = *wide = 0;
	for (int k = 1; k < sc->model.n_widths; k++) {
		if (sc->model.widths[k] < sc->model.widths[*narrow])
			*narrow = k;
		if (sc->model.widths[k] > sc->model.widths[*wide])
			*wide = k;
	}
}

static enum claim_verdict claim_widest_lowest(const struct scenario *sc, const struct run_desc *d,
					      const struct history *h, bool finished, struct claim_eval *e)
{
	int lo, hi;
	sweep_ends(sc, &lo, &hi);
	bool lowest = true, known = true;
	for (int k = 0; k < d->n_series; k++) {
		known &= h->seen[k][MET_TRAIN_LOSS];
		lowest &= k == hi || h->last[hi][MET_TRAIN_LOSS] < h->last[k][MET_TRAIN_LOSS];
	}
	double a = h->last[hi][MET_TRAIN_LOSS], b = h->last[lo][MET_TRAIN_LOSS];
	double r = claims_ratio(b, a);
	return claims_judge(e, d, h, finished, known && d->n_series > 1, lowest, r,
			    "the widest net (%d) ends lowest: train loss %.3g vs %.3g at width %d (%.3gx)",
			    sc->model.widths[hi], a, b, sc->model.widths[lo], r);
}

/* Never converged counts as after every epoch. */
static double conv_epoch(const struct history *h, int k)
{
	return h->seen[k][MET_CONVERGED] ? h->last[k][MET_CONVERGED] : INFINITY;
}

static enum claim_verdict claim_wider_sooner(const struct scenario *sc, const struct run_desc *d,
					     const struct history *h, bool finished, struct claim_eval *e)
{
	int lo, hi;
	sweep_ends(sc, &lo, &hi);
	bool ordered = isfinite(conv_epoch(h, hi));
	char list[120] = "";
	size_t used = 0;
	for (int k = 0; k < d->n_series; k++) {
		for (int j = 0; j < d->n_series; j++)
			if (sc->model.widths[j] > sc->model.widths[k] && conv_epoch(h, j) > conv_epoch(h, k))
				ordered = false;
		char at[16] = "never";
		if (isfinite(conv_epoch(h, k)))
			snprintf(at, sizeof at, "%.0f", conv_epoch(h, k));
		if (used < sizeof list)
			used += (size_t)snprintf(list + used, sizeof list - used, "%s%d: %s", k ? ", " : "",
						 sc->model.widths[k], at);
	}
	bool trained = h->seen[hi][MET_TRAIN_LOSS]; /* "never" means something only after training */
	return claims_judge(e, d, h, finished, trained && (finished || isfinite(conv_epoch(h, hi))), ordered,
			    conv_epoch(h, hi),
			    "the wider the net, the sooner it crosses loss %g (epoch by width %s)", sc->train.threshold,
			    list);
}

static enum claim_verdict claim_below_floor(const struct scenario *sc, const struct run_desc *d,
					    const struct history *h, bool finished, struct claim_eval *e)
{
	int lo, hi, below = 0;
	sweep_ends(sc, &lo, &hi);
	bool all = true, known = d->noise_floor > 0;
	for (int k = 0; k < d->n_series; k++) {
		known &= h->seen[k][MET_TRAIN_LOSS];
		bool under = h->last[k][MET_TRAIN_LOSS] < d->noise_floor;
		below += under;
		all &= k == lo || under;
	}
	return claims_judge(e, d, h, finished, known, all, below,
			    "%d of %d widths end below the noise floor %.3g (all but the narrowest must): they fit label noise",
			    below, d->n_series, d->noise_floor);
}

static enum claim_verdict claim_test_gap(const struct scenario *sc, const struct run_desc *d, const struct history *h,
					 bool finished, struct claim_eval *e)
{
	double best = NAN, worst = NAN;
	bool known = sc->data.test_samples > 0 && d->noise_floor > 0;
	for (int k = 0; k < d->n_series; k++) {
		double t = h->last[k][MET_TEST_LOSS];
		known &= h->seen[k][MET_TEST_LOSS];
		best = fmin(best, t);
		worst = fmax(worst, t);
	}
	double r = claims_ratio(best, d->noise_floor);
	return claims_judge(e, d, h, finished, known, r > 10, r,
			    "held-out loss stays %.3g to %.3g, over 10x the noise floor %.3g (%.3gx)", best, worst,
			    d->noise_floor, r);
}

static const struct claim claims[] = {
	{"widest-lowest", "narrowest / widest final train loss", claim_widest_lowest, NULL},
	{"wider-sooner", "epoch the widest crosses the threshold", claim_wider_sooner, NULL},
	{"below-floor", "widths ending below the noise floor", claim_below_floor, NULL},
	{"test-gap", "best held-out loss / noise floor", claim_test_gap, NULL},
};

const struct experiment_ops width_sweep_ops = {
	.kind = "width_sweep",
	.keys = KEY_BIT(KEY_TEST_SAMPLES) | KEY_BIT(KEY_TARGET) | KEY_BIT(KEY_DEPTH) | KEY_BIT(KEY_WIDTHS) |
		KEY_BIT(KEY_INIT) | KEY_BIT(KEY_INIT_STD) | KEY_BIT(KEY_OPTIMIZER) | KEY_BIT(KEY_LR) |
		KEY_BIT(KEY_EPOCHS) | KEY_BIT(KEY_THRESHOLD) | KEY_BIT(KEY_EVAL_EVERY),
	.target = TARGET_SIN_COS,
	.targets = TARGET_BIT(TARGET_SIN_COS) | TARGET_BIT(TARGET_SIN3),
	.optimizer = OPT_WORD_SGD,
	.optimizers = OPT_WORD_BIT(OPT_WORD_SGD) | OPT_WORD_BIT(OPT_WORD_ADAM),
	.check = config_no_check,
	.memory = sweep_memory,
	.create = sweep_create,
	.step = sweep_step,
	.destroy = sweep_destroy,
	.use_workers = sweep_use_workers,
	.describe = sweep_describe,
	.report = sweep_report,
	EXPERIMENT_METRICS(emitted),
	EXPERIMENT_CLAIMS(claims),
};
