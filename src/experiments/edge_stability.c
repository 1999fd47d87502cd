/* edge_stability.c: full-batch gradient descent at the edge of stability
 * (Cohen, Kaur, Li, Kolter, Talwalkar 2021). One MLP, one data set, one
 * initialisation, trained by plain GD at three learning rates: lr/4, lr/2
 * and lr (train.lr). On a quadratic, GD with step lr diverges once the
 * curvature passes 2/lr; here the sharpness (the top eigenvalue of the
 * training loss's Hessian) rises while training until it reaches 2/lr, then
 * hovers there, and the loss keeps falling, not monotonically.
 *
 * Every eval_every epochs (and at the last) each net's sharpness is
 * measured by Lanczos on exact Hessian-vector products (hvp.h), warm
 * started from the previous measurement's Ritz vector: EDGE_LANCZOS
 * products a measurement. Besides the curves, each net keeps the figures
 * its claims read (start ratio, the epoch it reached the edge, the band it
 * stayed in since, the loss's fall and its rises), as scalars, so the
 * claims need no kept points (a headless history keeps none). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cblas.h>

#include "experiments/claims.h"
#include "experiments/report.h"
#include "overparam/data.h"
#include "overparam/experiment.h"
#include "overparam/history.h"
#include "overparam/hvp.h"
#include "overparam/mlp.h"
#include "overparam/rng.h"

#define EDGE_NETS 3
#define EDGE_LANCZOS 6      /* Krylov vectors a measurement: warm started, the top one to ~1e-8 */
#define EDGE_REACH 0.9      /* at the edge: sharpness >= 0.9 x 2/lr */
#define EDGE_BAND 0.1       /* stays: within +-10% of 2/lr from then on */
#define EDGE_LOSS_FALL 1e-2 /* falls overall: to 1% of its start or below */
enum { STREAM_DATA = 0, STREAM_NET = 1000, STREAM_LANCZOS = 2000 };

static const double lr_factor[EDGE_NETS] = {0.25, 0.5, 1.0};

struct edge_net {
	struct mlp net;
	struct hvp hv;
	struct rng r;       /* the first Lanczos start */
	double lr;
	double start_loss, prev_loss;
	double start_ratio; /* NaN before the first measurement */
	int reached_at;     /* -1 before the ratio reaches EDGE_REACH */
	double band;        /* largest |ratio - 1| since */
	int ups;            /* epochs the loss rose */
	bool diverged;
};

struct edge_stability {
	struct scenario sc;
	int n, d, epoch;
	float *X, *y; /* (n, d), (n) */
	struct edge_net m[EDGE_NETS];
};

static int edge_dims(const struct scenario *sc, int *dims /* (MLP_MAX_LAYERS + 1) */)
{
	return mlp_layer_dims(dims, sc->data.dim, sc->model.depth, sc->model.widths[0], 1);
}

static void edge_destroy(struct experiment *x)
{
	struct edge_stability *e = (struct edge_stability *)x;
	if (!e)
		return;
	for (int k = 0; k < EDGE_NETS; k++) {
		mlp_destroy(&e->m[k].net);
		hvp_destroy(&e->m[k].hv);
	}
	free(e->X);
	free(e->y);
	free(e);
}

/* Every net from the same initialisation: the learning rate is the one
 * difference between them. */
static void edge_init(struct edge_stability *e, uint64_t seed)
{
	for (int k = 0; k < EDGE_NETS; k++) {
		struct edge_net *m = &e->m[k];
		struct rng r;
		rng_seed(&r, seed, STREAM_NET);
		if (e->sc.model.init == INIT_NORMAL)
			mlp_init_normal(&m->net, &r, e->sc.model.init_std);
		else
			mlp_init_torch_default(&m->net, &r);
		rng_seed(&m->r, seed, STREAM_LANCZOS + (uint64_t)k);
		m->lr = e->sc.train.lr * lr_factor[k];
		m->start_loss = NAN;
		m->start_ratio = NAN;
		m->reached_at = -1;
	}
}

static int edge_create(const struct scenario *sc, uint64_t seed, struct experiment **out, char *err, size_t errlen)
{
	struct edge_stability *e = calloc(1, sizeof *e);
	int dims[MLP_MAX_LAYERS + 1];
	if (!e)
		goto oom;
	e->sc = *sc;
	e->n = sc->data.samples;
	e->d = sc->data.dim;
	e->X = malloc(sizeof(float) * (size_t)e->n * (size_t)e->d);
	e->y = malloc(sizeof(float) * (size_t)e->n);
	if (!e->X || !e->y)
		goto oom;
	int layers = edge_dims(sc, dims);
	for (int k = 0; k < EDGE_NETS; k++)
		if (mlp_create(&e->m[k].net, dims, layers, e->n) != 0 ||
		    hvp_create(&e->m[k].hv, dims, layers, e->n, EDGE_LANCZOS) != 0)
			goto oom;
	struct rng r;
	rng_seed(&r, seed, STREAM_DATA);
	data_gaussian_f32(&r, e->X, e->n, e->d);
	data_target_f32(&r, sc->data.target, e->X, e->n, e->d, sc->data.noise, e->y);
	edge_init(e, seed);
	*out = (struct experiment *)e;
	return 0;
oom:
	snprintf(err, errlen, "%s: out of memory building the three networks", sc->path);
	edge_destroy((struct experiment *)e);
	return -1;
}

/* The sharpness of net k now, and the figures the claims read. */
static void edge_measure(struct edge_stability *e, int k, uint32_t ep, struct emitter *em)
{
	struct edge_net *m = &e->m[k];
	hvp_prepare(&m->hv, m->net.params, e->X, e->y);
	double s = hvp_top_eigenvalue(&m->hv, &m->r), ratio = s * m->lr / 2;
	emitter_put(em, ep, k, MET_SHARPNESS, 0, s);
	emitter_put(em, ep, k, MET_EDGE_RATIO, 0, ratio);
	if (isnan(m->start_ratio)) {
		m->start_ratio = ratio;
		emitter_put(em, ep, k, MET_EDGE_START, 0, ratio);
	}
	if (m->reached_at < 0 && ratio >= EDGE_REACH) {
		m->reached_at = (int)ep;
		emitter_put(em, ep, k, MET_EDGE_REACHED, 0, ep);
	}
	if (m->reached_at >= 0) {
		m->band = fmax(m->band, fabs(ratio - 1));
		emitter_put(em, ep, k, MET_EDGE_BAND, 0, m->band);
	}
	emitter_put(em, ep, k, MET_LOSS_DROP, 0, m->prev_loss / m->start_loss);
	emitter_put(em, ep, k, MET_LOSS_UPS, 0, m->ups);
}

static bool edge_step(struct experiment *x, struct emitter *em)
{
	struct edge_stability *e = (struct edge_stability *)x;
	int total = e->sc.train.epochs;
	if (e->epoch >= total)
		return false;
	uint32_t ep = (uint32_t)e->epoch;
	bool measure = e->epoch % e->sc.train.eval_every == 0 || e->epoch + 1 == total;
	for (int k = 0; k < EDGE_NETS; k++) {
		struct edge_net *m = &e->m[k];
		if (m->diverged)
			continue;
		double loss = mlp_loss_grad(&m->net, e->X, e->y, e->n);
		emitter_put(em, ep, k, MET_TRAIN_LOSS, 0, loss);
		if (report_diverges(&m->start_loss, loss)) {
			m->diverged = true;
			emitter_put(em, ep, k, MET_DIVERGED, 0, loss);
			continue;
		}
		if (e->epoch > 0 && loss > m->prev_loss)
			m->ups++;
		m->prev_loss = loss;
		if (measure)
			edge_measure(e, k, ep, em);
		cblas_saxpy((int)m->net.n_params, (float)-m->lr, m->net.grads, 1, m->net.params, 1);
	}
	e->epoch++;
	return e->epoch < total;
}

static void edge_describe(const struct scenario *sc, struct run_desc *d)
{
	int dims[MLP_MAX_LAYERS + 1];
	memset(d, 0, sizeof *d);
	d->planned_epochs = sc->train.epochs;
	d->n_series = EDGE_NETS;
	long params = (long)mlp_count_params(dims, edge_dims(sc, dims));
	for (int k = 0; k < EDGE_NETS; k++) {
		double lr = sc->train.lr * lr_factor[k];
		report_label(d, k, "lr %g", lr);
		d->series_params[k] = params;
	}
	d->threshold = NAN;
	d->noise_floor = NAN;
	uint32_t all = (1u << EDGE_NETS) - 1;
	d->views[d->n_views++] = (struct view_spec){
		.kind = VIEW_LINES,
		.title = "Sharpness x lr/2 (1 = 2/lr)",
		.n_metrics = 1,
		.metrics = {MET_EDGE_RATIO},
		.series_mask = all,
		.hline = 1.0,
		.hline_label = "2/lr",
		.weight = 3,
	};
	d->views[d->n_views++] = (struct view_spec){
		.kind = VIEW_LINES,
		.title = "Training loss (MSE)",
		.n_metrics = 1,
		.metrics = {MET_TRAIN_LOSS},
		.series_mask = all,
		.log_y = true,
		.hline = NAN,
		.weight = 2,
	};
	const struct table_col cols[] = {
		{.head = "gradient descent", .format = CELL_LABEL},
		{.head = "sharpness", .metric = MET_SHARPNESS, .format = CELL_LOSS},
		{.head = "x lr/2", .metric = MET_EDGE_RATIO, .format = CELL_LOSS},
		{.head = "loss", .metric = MET_TRAIN_LOSS, .format = CELL_LOSS},
	};
	report_table(d, "Nets", all, cols, 4);
	report_notes(d);
}

/* ---- claims: predicates over the scalars edge_measure emits ------------- */

/* A claim's verdict: UNDECIDED when a net diverged, else whether it holds,
 * NOT_YET until the run finished. */
/* As claims_judge: a diverged net or no measurement at all (known false)
 * gives no verdict once the run is over. */
static enum claim_verdict edge_verdict(const struct history *h, bool known, bool holds, bool finished,
				       struct claim_eval *e)
{
	for (int k = 0; k < EDGE_NETS; k++)
		if (h->diverged[k]) {
			snprintf(e->text, sizeof e->text, "no verdict: the net at lr x %g diverged", lr_factor[k]);
			return e->verdict = CLAIM_UNDECIDED;
		}
	if (!known && !holds)
		return e->verdict = finished ? CLAIM_UNDECIDED : CLAIM_NOT_YET;
	return e->verdict = holds ? CLAIM_HOLDS : finished ? CLAIM_FAILS : CLAIM_NOT_YET;
}

static enum claim_verdict claim_rises(const struct scenario *sc, const struct run_desc *d, const struct history *h,
				      bool finished, struct claim_eval *e)
{
	(void)sc, (void)d;
	int reached = 0, below = 0;
	double lo = NAN, hi = NAN;
	char at[64] = "", range[48] = "-";
	for (int k = 0; k < EDGE_NETS; k++) {
		double s0 = h->last[k][MET_EDGE_START];
		lo = fmin(lo, s0);
		hi = fmax(hi, s0);
		below += s0 < EDGE_REACH;
		if (h->seen[k][MET_EDGE_REACHED]) {
			reached++;
			size_t len = strlen(at);
			snprintf(at + len, sizeof at - len, "%s%.0f", len ? ", " : "", h->last[k][MET_EDGE_REACHED]);
		}
	}
	e->figure = reached;
	if (isfinite(lo))
		snprintf(range, sizeof range, "%.2f-%.2f", lo, hi);
	claims_text(e, "the sharpness starts at %s of 2/lr and rises to 2/lr at %d of %d learning rates (epochs %s)", range,
		    reached, EDGE_NETS, reached ? at : "-");
	return edge_verdict(h, h->seen[0][MET_EDGE_START], below == EDGE_NETS && reached == EDGE_NETS, finished, e);
}

static enum claim_verdict claim_stays(const struct scenario *sc, const struct run_desc *d, const struct history *h,
				      bool finished, struct claim_eval *e)
{
	(void)sc, (void)d;
	int reached = 0;
	double band = NAN;
	for (int k = 0; k < EDGE_NETS; k++)
		if (h->seen[k][MET_EDGE_REACHED]) {
			reached++;
			band = fmax(band, h->last[k][MET_EDGE_BAND]);
		}
	e->figure = reached ? band : NAN;
	char dev[32] = "-";
	if (reached)
		snprintf(dev, sizeof dev, "%.1f%%", 100 * band);
	claims_text(e, "once there, it stays within %.0f%% of 2/lr (largest deviation %s, %d learning rates at the edge)",
		    100 * EDGE_BAND, dev, reached);
	return edge_verdict(h, reached > 0, reached > 0 && band <= EDGE_BAND && (finished || reached == EDGE_NETS), finished,
			    e);
}

static enum claim_verdict claim_falls(const struct scenario *sc, const struct run_desc *d, const struct history *h,
				      bool finished, struct claim_eval *e)
{
	(void)sc, (void)d;
	double worst = NAN;
	int ups = 0;
	bool all = true;
	for (int k = 0; k < EDGE_NETS; k++) {
		all = all && h->seen[k][MET_LOSS_DROP];
		worst = fmax(worst, h->last[k][MET_LOSS_DROP]);
		if (h->seen[k][MET_LOSS_UPS]) /* NaN before its first record */
			ups += (int)h->last[k][MET_LOSS_UPS];
	}
	e->figure = all ? worst : NAN;
	claims_text(e,
		    "the training loss still falls to %.2g of its start or less at every learning rate, though it rose on "
		    "%d epochs on the way",
		    worst, ups);
	return edge_verdict(h, all, all && worst <= EDGE_LOSS_FALL, finished, e);
}

static const struct claim edge_claims[] = {
	{"edge-sharpness-rises", "learning rates whose sharpness reached 0.9 x 2/lr", claim_rises, NULL},
	{"edge-sharpness-stays", "largest deviation of sharpness x lr/2 from 1 once there", claim_stays, NULL},
	{"edge-loss-falls", "largest final/first training loss", claim_falls, NULL},
};

static void edge_report(const struct scenario *sc, const struct run_desc *d, const struct history *h, FILE *out)
{
	fprintf(out, "%s\ntraining samples %d, input dim %d, depth %d, width %d (%ld parameters), full-batch GD\n\n",
		sc->title, sc->data.samples, sc->data.dim, sc->model.depth, sc->model.widths[0], d->series_params[0]);
	fprintf(out, "%-8s %-8s %-10s %-8s %-10s %-8s %-10s %-10s %s\n", "lr", "2/lr", "sharpness", "x lr/2",
		"edge at", "band", "loss", "loss/first", "loss rose");
	for (int k = 0; k < EDGE_NETS; k++) {
		double lr = sc->train.lr * lr_factor[k];
		char at[16] = "-";
		if (h->seen[k][MET_EDGE_REACHED])
			snprintf(at, sizeof at, "%.0f", h->last[k][MET_EDGE_REACHED]);
		fprintf(out, "%-8g %-8g %-10.4g %-8.3f %-10s %-8.3f %-10.3g %-10.3g %.0f epochs\n", lr, 2 / lr,
			h->last[k][MET_SHARPNESS], h->last[k][MET_EDGE_RATIO], at, h->last[k][MET_EDGE_BAND],
			h->last[k][MET_TRAIN_LOSS], h->last[k][MET_LOSS_DROP], h->last[k][MET_LOSS_UPS]);
	}
	fprintf(out, "\n");
	if (!report_decided(out, NULL, d, h, REPORT_ALL_SERIES))
		return;
	struct claim_eval c[3];
	for (int i = 0; i < 3; i++)
		edge_claims[i].eval(sc, d, h, true, &c[i]);
	if (c[0].verdict == CLAIM_HOLDS && c[1].verdict == CLAIM_HOLDS && c[2].verdict == CLAIM_HOLDS)
		report_result(out, NULL, "the sharpness rises to 2/lr and stays there while the loss falls");
	else
		report_result(out, NULL, "no edge of stability in this run (see the CLAIM lines)");
}

static double edge_memory(const struct scenario *sc, enum config_key *blame)
{
	int dims[MLP_MAX_LAYERS + 1];
	int layers = edge_dims(sc, dims);
	double n = sc->data.samples, d = sc->data.dim;
	*blame = KEY_WIDTHS;
	return n * (d + 1) * sizeof(float) +
	       EDGE_NETS * (mlp_estimate_bytes(sc->data.dim, sc->model.depth, sc->model.widths[0], n, false) +
			    hvp_bytes(dims, layers, sc->data.samples, EDGE_LANCZOS));
}

static const enum metric emitted[] = {MET_TRAIN_LOSS, MET_DIVERGED,     MET_SHARPNESS, MET_EDGE_RATIO, MET_EDGE_START,
				      MET_EDGE_REACHED, MET_EDGE_BAND, MET_LOSS_DROP, MET_LOSS_UPS};

const struct experiment_ops edge_stability_ops = {
	.kind = "edge_stability",
	.keys = KEY_BIT(KEY_TARGET) | KEY_BIT(KEY_DEPTH) | KEY_BIT(KEY_WIDTHS) | KEY_BIT(KEY_INIT) |
		KEY_BIT(KEY_INIT_STD) | KEY_BIT(KEY_LR) | KEY_BIT(KEY_EPOCHS) | KEY_BIT(KEY_EVAL_EVERY),
	.target = TARGET_SIN3,
	.targets = TARGET_BIT(TARGET_SIN_COS) | TARGET_BIT(TARGET_SIN3),
	.optimizer = OPT_WORD_SGD,
	.optimizers = OPT_WORD_BIT(OPT_WORD_SGD),
	.one_width = true,
	.check = config_no_check, /* lr > 0 and no `auto` (that is gd's): the key table's own checks */
	.memory = edge_memory,
	.create = edge_create,
	.step = edge_step,
	.destroy = edge_destroy,
	.describe = edge_describe,
	.report = edge_report,
	EXPERIMENT_METRICS(emitted),
	EXPERIMENT_CLAIMS(edge_claims),
};
