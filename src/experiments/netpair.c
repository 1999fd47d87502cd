/* netpair.c: two networks on one data set, and the loss along paths between
 * them. Points on a path are built in one scratch net with slab-wide BLAS
 * level-1 calls, so a path point costs one forward pass. */
#include <limits.h>
#include <math.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include <cblas.h>

#include "experiments/report.h"
#include "overparam/data.h"
#include "overparam/history.h"
#include "overparam/netpair.h"
#include "overparam/rng.h"
#include "overparam/run_loop.h"
#include "overparam/workers.h"

enum { STREAM_TRAIN = 0, STREAM_NET = 1000 };

static void grid_points(int n, double *t /* (n) */)
{
	for (int i = 0; i < n; i++)
		t[i] = (double)i / (n - 1);
}

void netpair_grid(struct netpair_grid *g, int points, enum netpair_rounding rounding)
{
	g->n = points;
	grid_points(points, g->t);
	for (int i = 0; i < points; i++) {
		g->w_to[i] = (float)g->t[i];
		g->w_from[i] = rounding == NETPAIR_ROUND_T_FIRST ? 1.0f - g->w_to[i] : (float)(1 - g->t[i]);
	}
}

static int pair_dims(const struct scenario *sc, int width, int *dims /* (depth + 2) */)
{
	return mlp_layer_dims(dims, sc->data.dim, sc->model.depth, width, 1);
}

long netpair_params(const struct scenario *sc, int width)
{
	int dims[MLP_MAX_LAYERS + 1];
	int layers = pair_dims(sc, width, dims);
	return (long)mlp_count_params(dims, layers);
}

/* Fresh weights from stream 1000 + init_seed of seed, a fresh optimiser:
 * the scenario seed and the net's own seed together, so a new seed (R)
 * redraws both nets and the two nets never share a stream. */
static void net_init(const struct scenario *sc, uint64_t seed, uint64_t init_seed, struct netpair_net *c)
{
	struct rng r;
	rng_seed(&r, seed, STREAM_NET + init_seed);
	if (sc->model.init == INIT_NORMAL)
		mlp_init_normal(&c->net, &r, sc->model.init_std);
	else
		mlp_init_torch_default(&c->net, &r);
	optim_reset(&c->opt);
	c->stopped_at = -1;
	c->loss = NAN;
	c->start_loss = NAN;
	c->diverged = false;
}

static int net_create(const struct scenario *sc, int width, uint64_t seed, uint64_t init_seed,
		      struct netpair_net *c, int n)
{
	int dims[MLP_MAX_LAYERS + 1];
	int layers = pair_dims(sc, width, dims);
	if (mlp_create(&c->net, dims, layers, n) != 0)
		return -1;
	if (optim_create(&c->opt, sc->train.optimizer, c->net.n_params, sc->train.lr) != 0)
		return -1;
	net_init(sc, seed, init_seed, c);
	return 0;
}

int netpair_create(struct netpair *p, const struct scenario *sc, int width, uint64_t seed, uint64_t seed_a,
		   uint64_t seed_b)
{
	memset(p, 0, sizeof *p);
	p->n = sc->data.samples;
	p->d = sc->data.dim;
	p->target_loss = sc->train.target_loss;
	p->X = malloc(sizeof(float) * (size_t)p->n * (size_t)p->d);
	p->y = malloc(sizeof(float) * (size_t)p->n);
	if (!p->X || !p->y)
		return -1;
	struct rng r;
	rng_seed(&r, seed, STREAM_TRAIN);
	data_gaussian_f32(&r, p->X, p->n, p->d);
	data_target_f32(&r, sc->data.target, p->X, p->n, p->d, sc->data.noise, p->y);
	if (net_create(sc, width, seed, seed_a, &p->net[0], p->n) != 0 ||
	    net_create(sc, width, seed, seed_b, &p->net[1], p->n) != 0)
		return -1;
	int dims[MLP_MAX_LAYERS + 1];
	int layers = pair_dims(sc, width, dims);
	if (mlp_create(&p->mix2, dims, layers, p->n) != 0)
		return -1;
	return mlp_create(&p->mix, dims, layers, p->n);
}

int netpair_create_matching(struct netpair *p)
{
	/* the matched net's weights are only interpolated, never run: batch 1 */
	if (align_create(&p->al, &p->mix) != 0 || mlp_create(&p->matched, p->mix.dims, p->mix.n_layers, 1) != 0)
		return -1;
	return 0;
}

void netpair_reset(struct netpair *p, const struct scenario *sc, uint64_t seed, uint64_t seed_a, uint64_t seed_b)
{
	net_init(sc, seed, seed_a, &p->net[0]);
	net_init(sc, seed, seed_b, &p->net[1]);
	p->epoch = 0;
}

void netpair_destroy(struct netpair *p)
{
	for (int k = 0; k < 2; k++) {
		mlp_destroy(&p->net[k].net);
		optim_destroy(&p->net[k].opt);
	}
	mlp_destroy(&p->mix);
	mlp_destroy(&p->mix2);
	align_destroy(&p->al);
	mlp_destroy(&p->matched);
	free(p->X);
	free(p->y);
	memset(p, 0, sizeof *p);
}

static bool net_done(const struct netpair_net *c)
{
	return c->stopped_at >= 0 || c->diverged;
}

bool netpair_done(const struct netpair *p)
{
	return net_done(&p->net[0]) && net_done(&p->net[1]);
}

bool netpair_diverged(const struct netpair *p)
{
	return p->net[0].diverged || p->net[1].diverged;
}

void netpair_emit_diverged(const struct netpair *p, struct emitter *em, uint32_t e, uint32_t series_mask)
{
	double loss = p->net[0].diverged ? p->net[0].loss : p->net[1].loss;
	for (int s = 0; s < RUN_MAX_SERIES; s++)
		if (series_mask >> s & 1u)
			emitter_put(em, e, s, MET_DIVERGED, 0, loss);
}

/* ---- sharing the work (workers.h) ---- */

/* Multiply-adds of one forward pass of a net of the pair on the data. */
static double forward_cost(const struct netpair *p)
{
	double cost = 0;
	for (int l = 0; l < p->mix.n_layers; l++)
		cost += (double)p->n * p->mix.dims[l] * p->mix.dims[l + 1] + WORKERS_GEMM_COST;
	return cost;
}

void netpair_use_workers(struct netpair *p, struct workers *wk)
{
	p->team = wk;
}

/* The team when a job of `cost` multiply-adds is worth it, else NULL. */
static struct workers *team_for(const struct netpair *p, double cost)
{
	return cost >= WORKERS_JOB_MIN ? p->team : NULL;
}

/* One epoch of net k, epoch e of the pair: its loss, then it diverges,
 * stops (with the weights whose loss was just measured, so a path's end
 * is the net that met the target) or takes its step. */
static void net_epoch(struct netpair *p, int k, int e)
{
	struct netpair_net *c = &p->net[k];
	c->loss = mlp_loss_grad(&c->net, p->X, p->y, p->n);
	if (report_diverges(&c->start_loss, c->loss))
		c->diverged = true;
	else if (p->target_loss > 0 && c->loss < p->target_loss)
		c->stopped_at = e;
	else
		optim_step(&c->opt, c->net.params, c->net.grads);
}

static void train_share(void *ctx, int phase, int k)
{
	(void)phase;
	struct netpair *p = ctx;
	if (p->ran[k])
		net_epoch(p, k, p->epoch);
}

bool netpair_train(struct netpair *p, struct emitter *em, int series0)
{
	uint32_t e = (uint32_t)p->epoch;
	for (int k = 0; k < 2; k++)
		p->ran[k] = !net_done(&p->net[k]);
	/* both nets at once (each a forward, backward and gradient pass: three
	 * forwards' work), or the one still training alone */
	struct workers *wk = p->ran[0] && p->ran[1] ? team_for(p, 6 * forward_cost(p)) : NULL;
	workers_run(wk, train_share, p, 1, 2);
	for (int k = 0; em && k < 2; k++) {
		const struct netpair_net *c = &p->net[k];
		if (!p->ran[k])
			continue;
		emitter_put(em, e, series0 + k, MET_TRAIN_LOSS, 0, c->loss);
		if (c->diverged)
			emitter_put(em, e, series0 + k, MET_DIVERGED, 0, c->loss);
		else if (c->stopped_at == p->epoch)
			emitter_put(em, e, series0 + k, MET_CONVERGED, 0, (double)p->epoch);
	}
	p->epoch++;
	return netpair_done(p) || netpair_diverged(p);
}

/* Net k trains on alone up to epoch `last` (lowered to a divergence's
 * epoch, so the other stops there too), and leaves the epoch it ended in
 * (done), or INT_MAX. */
void netpair_to_end_net(struct netpair_to_end *j, int k)
{
	struct netpair_net *c = &j->p->net[k];
	int e = j->p->epoch;
	for (; e < j->epochs && e <= atomic_load_explicit(&j->last, memory_order_relaxed) && !net_done(c) &&
	       !run_cancelled();
	     e++)
		net_epoch(j->p, k, e);
	j->end[k] = c->diverged ? e - 1 : c->stopped_at >= 0 ? c->stopped_at : INT_MAX;
	if (!c->diverged)
		return;
	int last = atomic_load_explicit(&j->last, memory_order_relaxed);
	while (j->end[k] < last &&
	       !atomic_compare_exchange_weak_explicit(&j->last, &last, j->end[k], memory_order_relaxed,
						      memory_order_relaxed))
		;
}

static void to_end_share(void *ctx, int phase, int k)
{
	(void)phase;
	netpair_to_end_net(ctx, k);
}

bool netpair_to_end_begin(struct netpair_to_end *j, struct netpair *p, int epochs)
{
	j->p = p;
	j->epochs = epochs;
	j->end[0] = j->end[1] = INT_MAX;
	atomic_init(&j->last, epochs - 1);
	return !(p->epoch >= epochs || netpair_done(p) || netpair_diverged(p));
}

bool netpair_to_end_end(struct netpair_to_end *j)
{
	struct netpair *p = j->p;
	if (run_cancelled())
		return false;
	/* The epoch one thread stepping both would have stopped after: both
	 * done, the first divergence, or the last. A net that ended later
	 * was still training then. */
	int stop = j->epochs - 1, both = j->end[0] > j->end[1] ? j->end[0] : j->end[1];
	stop = both < stop ? both : stop;
	for (int k = 0; k < 2; k++)
		if (p->net[k].diverged && j->end[k] < stop)
			stop = j->end[k];
	for (int k = 0; k < 2; k++)
		if (j->end[k] > stop) {
			p->net[k].diverged = false;
			p->net[k].stopped_at = -1;
		}
	p->epoch = stop + 1;
	return true;
}

bool netpair_train_to_end(struct netpair *p, int epochs)
{
	struct netpair_to_end j;
	if (!netpair_to_end_begin(&j, p, epochs))
		return true;
	double cost = 6 * forward_cost(p) * (epochs - p->epoch);
	workers_run(team_for(p, cost), to_end_share, &j, 1, 2);
	return netpair_to_end_end(&j);
}

const float *netpair_match(struct netpair *p)
{
	align_match(&p->al, &p->net[0].net, &p->net[1].net);
	align_apply(&p->al, &p->net[1].net, &p->matched);
	return p->matched.params;
}

/* Training loss at w_from * from + w_to * to, in scratch net mix, as one
 * copy, one scale and one axpy over the slab. */
static double mix_loss(struct netpair *p, struct mlp *mix, const float *from /* (n_params) */, float w_from,
		       const float *to /* (n_params) */, float w_to)
{
	int np = (int)mix->n_params;
	cblas_scopy(np, from, 1, mix->params, 1);
	cblas_sscal(np, w_from, mix->params, 1);
	cblas_saxpy(np, w_to, to, 1, mix->params, 1);
	return mlp_loss(mix, p->X, p->y, p->n);
}

double netpair_line_loss(struct netpair *p, const float *a /* (n_params) */, const float *b /* (n_params) */,
			 double t)
{
	return mix_loss(p, &p->mix, a, (float)(1 - t), b, (float)t);
}

static double bezier_loss(struct netpair *p, struct mlp *mix, const float *a /* (n_params) */,
			  const float *c /* (n_params) */, const float *b /* (n_params) */, double t, bool grad)
{
	int np = (int)mix->n_params;
	double s = 1 - t;
	cblas_scopy(np, a, 1, mix->params, 1);
	cblas_sscal(np, (float)(s * s), mix->params, 1);
	cblas_saxpy(np, (float)(2 * t * s), c, 1, mix->params, 1);
	cblas_saxpy(np, (float)(t * t), b, 1, mix->params, 1);
	if (grad)
		return mlp_loss_grad(mix, p->X, p->y, p->n);
	return mlp_loss(mix, p->X, p->y, p->n);
}

double netpair_bezier_loss(struct netpair *p, const float *a /* (n_params) */, const float *c /* (n_params) */,
			   const float *b /* (n_params) */, double t, bool grad)
{
	return bezier_loss(p, &p->mix, a, c, b, t, grad);
}

double netpair_barrier(const double *t /* (n) */, const double *loss /* (n) */, int n)
{
	double barrier = -INFINITY;
	for (int i = 0; i < n; i++) {
		double excess = loss[i] - ((1 - t[i]) * loss[0] + t[i] * loss[n - 1]);
		if (isnan(excess))
			return NAN;
		if (excess > barrier)
			barrier = excess;
	}
	return barrier;
}

/* A path job: the points of one path (a line when bend is NULL, else the
 * Bezier curve through it) into `loss`, dealt to the two shares in two
 * halves, each share with its own scratch net; with `prepare`, phase 0 is
 * instead prepare on share 0 beside the whole of `first` on share 1, and
 * the path is phase 1. */
struct path_job {
	struct netpair *p;
	const struct netpair_grid *g;
	const float *from, *bend, *to; /* (n_params) each; bend may be NULL */
	double *loss;                  /* (g->n) */
	void (*prepare)(struct netpair *p);
	const float *first_from;       /* the line measured beside prepare, into p->path2 */
};

static void path_points(struct path_job *j, struct mlp *mix, const float *from, double *loss, int i0, int i1)
{
	const struct netpair_grid *g = j->g;
	for (int i = i0; i < i1; i++)
		loss[i] = j->bend ? bezier_loss(j->p, mix, from, j->bend, j->to, g->t[i], false)
				  : mix_loss(j->p, mix, from, g->w_from[i], j->to, g->w_to[i]);
}

static void path_share(void *ctx, int phase, int share)
{
	struct path_job *j = ctx;
	struct mlp *mix = share == 0 ? &j->p->mix : &j->p->mix2;
	if (j->prepare && phase == 0) {
		if (share == 0)
			j->prepare(j->p);
		else
			path_points(j, mix, j->first_from, j->p->path2, 0, j->g->n);
		return;
	}
	int half = (j->g->n + 1) / 2;
	path_points(j, mix, j->from, j->loss, share == 0 ? 0 : half, share == 0 ? half : j->g->n);
}

/* Runs a path job on the team when its points are worth a second thread. */
static void run_path(struct path_job *j)
{
	double cost = forward_cost(j->p) * j->g->n * (j->prepare ? 2 : 1);
	workers_run(team_for(j->p, cost), path_share, j, j->prepare ? 2 : 1, 2);
}

double netpair_line(struct netpair *p, const struct netpair_grid *g, const float *from /* (n_params) */,
		    const float *to /* (n_params) */)
{
	struct path_job j = {.p = p, .g = g, .from = from, .to = to, .loss = p->path};
	run_path(&j);
	return netpair_barrier(g->t, p->path, g->n);
}

static void match(struct netpair *p)
{
	netpair_match(p);
}

void netpair_lines_matched(struct netpair *p, const struct netpair_grid *g, double *plain, double *aligned)
{
	struct path_job j = {.p = p, .g = g, .from = p->matched.params, .to = p->net[0].net.params, .loss = p->path,
			     .prepare = match, .first_from = p->net[1].net.params};
	run_path(&j);
	*plain = netpair_barrier(g->t, p->path2, g->n);
	*aligned = netpair_barrier(g->t, p->path, g->n);
}

double netpair_curve(struct netpair *p, const struct netpair_grid *g, const float *a /* (n_params) */,
		     const float *c /* (n_params) */, const float *b /* (n_params) */)
{
	struct path_job j = {.p = p, .g = g, .from = a, .bend = c, .to = b, .loss = p->path};
	run_path(&j);
	return netpair_barrier(g->t, p->path, g->n);
}

void netpair_emit_losses(const struct netpair_grid *g, const double *loss /* (g->n) */, struct emitter *em,
			 uint32_t e, int series, double barrier)
{
	for (int i = 0; i < g->n; i++)
		emitter_put(em, e, series, MET_INTERP_LOSS, (uint32_t)i, loss[i]);
	emitter_put(em, e, series, MET_BARRIER, 0, barrier);
}

void netpair_emit_path(const struct netpair *p, const struct netpair_grid *g, struct emitter *em, uint32_t e,
		       int series, double barrier)
{
	netpair_emit_losses(g, p->path, em, e, series, barrier);
}

/* ---- a run of one pair, measured as it trains --------------------------- */

void netpair_run_destroy(struct experiment *x)
{
	struct netpair_run *r = (struct netpair_run *)x;
	if (!r)
		return;
	netpair_destroy(&r->p);
	free(r);
}

int netpair_run_create(const struct scenario *sc, uint64_t seed, const struct netpair_measure *how,
		       struct experiment **out, char *err, size_t errlen)
{
	struct netpair_run *r = calloc(1, sizeof *r);
	if (!r)
		goto oom;
	r->sc = *sc;
	r->how = how;
	if (netpair_create(&r->p, sc, sc->model.widths[0], seed, sc->model.init_seeds[0], sc->model.init_seeds[1]) != 0)
		goto oom;
	if (how->matching && netpair_create_matching(&r->p) != 0)
		goto oom;
	netpair_grid(&r->grid, sc->train.alpha_points, how->rounding);
	*out = (struct experiment *)r;
	return 0;
oom:
	snprintf(err, errlen, "%s: out of memory building the two networks", sc->path);
	netpair_run_destroy((struct experiment *)r);
	return -1;
}

void netpair_run_use_workers(struct experiment *x, struct workers *wk)
{
	netpair_use_workers(&((struct netpair_run *)x)->p, wk);
}

bool netpair_run_step(struct experiment *x, struct emitter *em)
{
	struct netpair_run *r = (struct netpair_run *)x;
	int epoch = r->p.epoch;
	if (epoch >= r->sc.train.epochs)
		return false;
	bool done = netpair_train(&r->p, em, 0);
	if (netpair_diverged(&r->p)) {
		netpair_emit_diverged(&r->p, em, (uint32_t)epoch, r->how->paths);
		return false;
	}
	bool over = done || epoch + 1 >= r->sc.train.epochs;
	if (epoch % r->sc.train.eval_every == 0 || over)
		r->how->measure(r, (uint32_t)epoch, em);
	return !over;
}

/* ---- what the family shows ------------------------------------------------ */

void netpair_describe(const struct scenario *sc, struct run_desc *d, int n_series, const char *grid_name)
{
	memset(d, 0, sizeof *d);
	d->planned_epochs = sc->train.epochs;
	d->n_series = n_series;
	long params = netpair_params(sc, sc->model.widths[0]);
	for (int k = 0; k < 2; k++) {
		snprintf(d->series_label[k], sizeof d->series_label[k], "net %c (seed %llu)", 'A' + k,
			 (unsigned long long)sc->model.init_seeds[k]);
		d->series_params[k] = params;
	}
	d->n_grid = sc->train.alpha_points;
	d->grid_name = grid_name;
	grid_points(d->n_grid, d->grid_x);
	d->threshold = sc->train.target_loss > 0 ? sc->train.target_loss : NAN;
	d->noise_floor = sc->data.noise > 0 ? sc->data.noise * sc->data.noise : NAN;
	d->headline = RUN_HEADLINE(MET_BARRIER); /* the pairs' point, not a path's end */
}

/* A macro's value as a string literal: the legend says the levels used. */
#define TEXT_OF(x) TEXT_OF_(x)
#define TEXT_OF_(x) #x

struct view_spec netpair_bars_view(const char *title, enum metric m, enum metric barrier, uint32_t series_mask)
{
	struct view_spec v = {
		.kind = VIEW_BARS,
		.title = title,
		.n_metrics = 1,
		.metrics = {m},
		.series_mask = series_mask,
		.weight = 2,
		.bar_levels = {NETPAIR_LOW_LOSS, NETPAIR_HIGH_LOSS},
		.bar_labels = {"<" TEXT_OF(NETPAIR_LOW_LOSS), "<" TEXT_OF(NETPAIR_HIGH_LOSS), "barrier"},
	};
	if (barrier != MET_COUNT)
		v.metrics[v.n_metrics++] = barrier;
	return v;
}

void netpair_report_head(const struct scenario *sc, FILE *out)
{
	fprintf(out, "%s\n", sc->title);
	fprintf(out, "training samples %d, input dim %d, depth %d", sc->data.samples, sc->data.dim, sc->model.depth);
}

void netpair_report_nets(const struct scenario *sc, const struct run_desc *d, const struct history *h, FILE *out)
{
	netpair_report_head(sc, out);
	fprintf(out, ", width %d: %ld parameters per net\n", sc->model.widths[0], d->series_params[0]);
	for (int k = 0; k < 2; k++) {
		char stop[48] = "did not reach the target";
		if (h->seen[k][MET_CONVERGED])
			snprintf(stop, sizeof stop, "stopped at epoch %.0f", h->last[k][MET_CONVERGED]);
		if (h->diverged[k])
			snprintf(stop, sizeof stop, "diverged at epoch %u", h->last_epoch[k][MET_DIVERGED]);
		fprintf(out, "%s final loss %.3e, %s\n", d->series_label[k], h->last[k][MET_TRAIN_LOSS], stop);
	}
}

/* Per width: the data, two trained nets and two scratch nets with gradients
 * (one a thread); then either B permuted plus the alignment's width^2 similarities (float,
 * double) and permuted weights, or the bend, its gradient and its Adam
 * moments: at most four more nets' parameters. */
double netpair_memory(const struct scenario *sc)
{
	double n = sc->data.samples, d = sc->data.dim, bytes = 0;
	bool adam = sc->train.optimizer == OPTIM_ADAM;
	for (int i = 0; i < sc->model.n_widths; i++) {
		int w = sc->model.widths[i];
		bytes += n * (d + 1) * sizeof(float);
		bytes += 2 * mlp_estimate_bytes(sc->data.dim, sc->model.depth, w, n, adam) +
			 2 * mlp_estimate_bytes(sc->data.dim, sc->model.depth, w, n, false);
		bytes += 2 * mlp_estimate_bytes(sc->data.dim, sc->model.depth, w, 1, false) +
			 (double)w * w * (2 * sizeof(float) + sizeof(double));
	}
	return bytes;
}
