/* netpair.c: two networks on one data set, and the loss along paths between
 * them. Points on a path are built in one scratch net with slab-wide BLAS
 * level-1 calls, so a path point costs one forward pass. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <cblas.h>

#include "experiments/report.h"
#include "overparam/data.h"
#include "overparam/history.h"
#include "overparam/netpair.h"
#include "overparam/rng.h"

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

bool netpair_train(struct netpair *p, struct emitter *em, int series0)
{
	uint32_t e = (uint32_t)p->epoch;
	for (int k = 0; k < 2; k++) {
		struct netpair_net *c = &p->net[k];
		if (net_done(c))
			continue;
		c->loss = mlp_loss_grad(&c->net, p->X, p->y, p->n);
		if (em)
			emitter_put(em, e, series0 + k, MET_TRAIN_LOSS, 0, c->loss);
		if (report_diverges(&c->start_loss, c->loss)) {
			c->diverged = true;
			if (em)
				emitter_put(em, e, series0 + k, MET_DIVERGED, 0, c->loss);
			continue;
		}
		/* Stop with the weights whose loss was just measured, so a
		 * path's end is the net that met the target. */
		if (p->target_loss > 0 && c->loss < p->target_loss) {
			c->stopped_at = p->epoch;
			if (em)
				emitter_put(em, e, series0 + k, MET_CONVERGED, 0, (double)p->epoch);
			continue;
		}
		optim_step(&c->opt, c->net.params, c->net.grads);
	}
	p->epoch++;
	return netpair_done(p) || netpair_diverged(p);
}

const float *netpair_match(struct netpair *p)
{
	align_match(&p->al, &p->net[0].net, &p->net[1].net);
	align_apply(&p->al, &p->net[1].net, &p->matched);
	return p->matched.params;
}

/* Training loss at w_from * from + w_to * to, as one copy, one scale and
 * one axpy over the slab. */
static double mix_loss(struct netpair *p, const float *from /* (n_params) */, float w_from,
		       const float *to /* (n_params) */, float w_to)
{
	int np = (int)p->mix.n_params;
	cblas_scopy(np, from, 1, p->mix.params, 1);
	cblas_sscal(np, w_from, p->mix.params, 1);
	cblas_saxpy(np, w_to, to, 1, p->mix.params, 1);
	return mlp_loss(&p->mix, p->X, p->y, p->n);
}

double netpair_line_loss(struct netpair *p, const float *a /* (n_params) */, const float *b /* (n_params) */,
			 double t)
{
	return mix_loss(p, a, (float)(1 - t), b, (float)t);
}

double netpair_bezier_loss(struct netpair *p, const float *a /* (n_params) */, const float *c /* (n_params) */,
			   const float *b /* (n_params) */, double t, bool grad)
{
	int np = (int)p->mix.n_params;
	double s = 1 - t;
	cblas_scopy(np, a, 1, p->mix.params, 1);
	cblas_sscal(np, (float)(s * s), p->mix.params, 1);
	cblas_saxpy(np, (float)(2 * t * s), c, 1, p->mix.params, 1);
	cblas_saxpy(np, (float)(t * t), b, 1, p->mix.params, 1);
	if (grad)
		return mlp_loss_grad(&p->mix, p->X, p->y, p->n);
	return mlp_loss(&p->mix, p->X, p->y, p->n);
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

double netpair_line(struct netpair *p, const struct netpair_grid *g, const float *from /* (n_params) */,
		    const float *to /* (n_params) */)
{
	for (int i = 0; i < g->n; i++)
		p->path[i] = mix_loss(p, from, g->w_from[i], to, g->w_to[i]);
	return netpair_barrier(g->t, p->path, g->n);
}

double netpair_curve(struct netpair *p, const struct netpair_grid *g, const float *a /* (n_params) */,
		     const float *c /* (n_params) */, const float *b /* (n_params) */)
{
	for (int i = 0; i < g->n; i++)
		p->path[i] = netpair_bezier_loss(p, a, c, b, g->t[i], false);
	return netpair_barrier(g->t, p->path, g->n);
}

void netpair_emit_path(const struct netpair *p, const struct netpair_grid *g, struct emitter *em, uint32_t e,
		       int series, double barrier)
{
	for (int i = 0; i < g->n; i++)
		emitter_put(em, e, series, MET_INTERP_LOSS, (uint32_t)i, p->path[i]);
	emitter_put(em, e, series, MET_BARRIER, 0, barrier);
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

/* Per width: the data, two trained nets and a scratch net with gradients;
 * then either B permuted plus the alignment's width^2 similarities (float,
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
			 mlp_estimate_bytes(sc->data.dim, sc->model.depth, w, n, false);
		bytes += 2 * mlp_estimate_bytes(sc->data.dim, sc->model.depth, w, 1, false) +
			 (double)w * w * (2 * sizeof(float) + sizeof(double));
	}
	return bytes;
}
