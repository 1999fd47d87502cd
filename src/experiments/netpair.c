/* netpair.c: two networks on one data set, and the loss along paths between
 * them. Points on a path are built in one scratch net with slab-wide BLAS
 * level-1 calls, so a path point costs one forward pass. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <cblas.h>

#include "overparam/data.h"
#include "overparam/netpair.h"
#include "overparam/rng.h"

enum { STREAM_TRAIN = 0, STREAM_NET = 1000 };

static int pair_dims(const struct scenario *sc, int width, int *dims /* (depth + 2) */)
{
	dims[0] = sc->data.dim;
	for (int l = 1; l <= sc->model.depth; l++)
		dims[l] = width;
	dims[sc->model.depth + 1] = 1;
	return sc->model.depth + 1;
}

long netpair_params(const struct scenario *sc, int width)
{
	int dims[MLP_MAX_LAYERS + 1];
	int layers = pair_dims(sc, width, dims);
	return (long)mlp_count_params(dims, layers);
}

/* Fresh weights from stream 1000 + init_seed of seed, a fresh optimiser. */
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
		if (!isfinite(c->loss)) {
			c->diverged = true;
			if (em)
				emitter_put(em, e, series0 + k, MET_DIVERGED, 0, c->loss);
			continue;
		}
		if (p->target_loss > 0 && c->loss < p->target_loss) {
			c->stopped_at = p->epoch;
			if (em)
				emitter_put(em, e, series0 + k, MET_CONVERGED, 0, (double)p->epoch);
			continue;
		}
		optim_step(&c->opt, c->net.params, c->net.grads);
	}
	p->epoch++;
	return netpair_done(p);
}

double netpair_line_loss(struct netpair *p, const float *a /* (n_params) */, const float *b /* (n_params) */,
			 double t)
{
	int np = (int)p->mix.n_params;
	cblas_scopy(np, a, 1, p->mix.params, 1);
	cblas_sscal(np, (float)(1 - t), p->mix.params, 1);
	cblas_saxpy(np, (float)t, b, 1, p->mix.params, 1);
	return mlp_loss(&p->mix, p->X, p->y, p->n);
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
			return NAN; /* a diverged path has no barrier */
		if (excess > barrier)
			barrier = excess;
	}
	return barrier;
}

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
