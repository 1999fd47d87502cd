/* bench_train.c: epochs per second of our training loop for each seed
 * configuration, next to the BLAS-bound limit measured in the same process:
 * the time of the same GEMM calls of one epoch (forward and backward), alone.
 * Rounds alternate ours and the limit and keep each one's best, because the
 * machine is shared and noisy; only ratios from one run are meaningful. */
#include <cblas.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "overparam/data.h"
#include "overparam/linalg.h"
#include "overparam/linear.h"
#include "overparam/mlp.h"
#include "overparam/optim.h"
#include "overparam/rng.h"

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

struct config {
	const char *name;
	int n, d, width, depth;
	enum optim_kind opt;
};

/* The GEMMs of one epoch, as mlp.c issues them: forward Z = A W^T per
 * layer; backward dW = D^T A per layer and dA = D W for every layer but the
 * first. Buffers are the network's own, so the shapes and strides match. */
static void gemms_only(struct mlp *m, const float *X /* (n, d) */, int n)
{
	const float *in = X;
	for (int l = 0; l < m->n_layers; l++) {
		const struct mlp_layer *L = &m->layer[l];
		cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, n, L->out, L->in, 1.0f, in, L->in, L->W, L->in, 0.0f,
			    m->delta, L->out);
		in = m->act[l + 1];
	}
	for (int l = m->n_layers - 1; l >= 0; l--) {
		const struct mlp_layer *L = &m->layer[l];
		const float *a = l == 0 ? X : m->act[l];
		cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, L->out, L->in, n, 1.0f, m->delta2, L->out, a, L->in,
			    0.0f, m->glayer[l].W, L->in);
		if (l > 0)
			cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, n, L->in, L->out, 1.0f, m->delta2, L->out,
				    L->W, L->in, 0.0f, m->delta, L->in);
	}
}

static void bench_mlp(const struct config *c, int threads)
{
	linalg_set_threads(threads);
	struct rng r;
	rng_seed(&r, 42, 0);
	float *X = malloc(sizeof(float) * (size_t)c->n * (size_t)c->d), *y = malloc(sizeof(float) * (size_t)c->n);
	data_gaussian_f32(&r, X, c->n, c->d);
	data_target_f32(&r, c->d >= 10 ? TARGET_SIN_COS : TARGET_SIN3, X, c->n, c->d, 0.1, y);
	int dims[MLP_MAX_LAYERS + 1];
	dims[0] = c->d;
	for (int l = 1; l <= c->depth; l++)
		dims[l] = c->width;
	dims[c->depth + 1] = 1;
	struct mlp m;
	struct optim o;
	if (mlp_create(&m, dims, c->depth + 1, c->n) != 0 || optim_create(&o, c->opt, m.n_params, 0.01) != 0) {
		fprintf(stderr, "bench: out of memory\n");
		exit(1);
	}
	mlp_init_torch_default(&m, &r);
	/* Enough epochs for ~0.2 s a round at the limit's speed. */
	double flop = 0;
	for (int l = 0; l < m.n_layers; l++)
		flop += 2.0 * c->n * dims[l] * dims[l + 1] * (l > 0 ? 3 : 2);
	int reps = (int)(0.2 / (flop / 60e9)) + 1;
	double best_ours = 1e30, best_blas = 1e30;
	for (int round = 0; round < 5; round++) {
		double t0 = now();
		for (int i = 0; i < reps; i++)
			gemms_only(&m, X, c->n);
		double tb = (now() - t0) / reps;
		t0 = now();
		for (int i = 0; i < reps; i++) {
			mlp_loss_grad(&m, X, y, c->n);
			optim_step(&o, m.params, m.grads);
		}
		double to = (now() - t0) / reps;
		if (tb < best_blas)
			best_blas = tb;
		if (to < best_ours)
			best_ours = to;
	}
	printf("%-22s %2d %12.0f %14.0f %8.0f%%   %8.1f MFLOP/epoch\n", c->name, threads, 1.0 / best_ours,
	       1.0 / best_blas, 100.0 * best_blas / best_ours, flop / 1e6);
	mlp_destroy(&m);
	optim_destroy(&o);
	free(X);
	free(y);
}

static void bench_linear(void)
{
	linalg_set_threads(1);
	int n = 100, p = 500, k = 10;
	struct rng r;
	rng_seed(&r, 42, 0);
	double *X = malloc(sizeof(double) * (size_t)(n * p)), *y = malloc(sizeof(double) * (size_t)n);
	double *w = malloc(sizeof(double) * (size_t)p), *theta = malloc(sizeof(double) * (size_t)p);
	double *work = malloc(sizeof(double) * (size_t)(n * n + n)), *resid = malloc(sizeof(double) * (size_t)n);
	data_teacher_f64(&r, w, p, k);
	data_spiked_f64(&r, X, n, p, k, 0.01);
	data_linear_labels_f64(&r, X, w, n, p, 0.3, y);
	double best = 1e30;
	for (int round = 0; round < 5; round++) {
		double t0 = now();
		for (int i = 0; i < 200; i++)
			linear_min_norm(X, y, n, p, theta, work);
		double t = (now() - t0) / 200;
		if (t < best)
			best = t;
	}
	printf("%-22s %2d %12.0f %14s %9s   min-norm solve %.0f us (numpy Cholesky route: 220-280 us)\n",
	       "min-norm n100 p500", 1, 1.0 / best, "-", "-", best * 1e6);
	double lr = linear_gd_step_size(X, n, p, work);
	/* GD iteration: the gradient's two GEMVs are the BLAS-bound part. */
	double best_gd = 1e30, best_gemv = 1e30;
	memset(theta, 0, sizeof(double) * (size_t)p);
	for (int round = 0; round < 5; round++) {
		double t0 = now();
		for (int i = 0; i < 2000; i++)
			linear_gd_step(X, y, n, p, lr, theta, resid);
		double t = (now() - t0) / 2000;
		if (t < best_gd)
			best_gd = t;
		t0 = now();
		for (int i = 0; i < 2000; i++) {
			cblas_dgemv(CblasRowMajor, CblasNoTrans, n, p, 1.0, X, p, theta, 1, 0.0, resid, 1);
			cblas_dgemv(CblasRowMajor, CblasTrans, n, p, 1.0, X, p, resid, 1, 1.0, theta, 1);
		}
		t = (now() - t0) / 2000;
		if (t < best_gemv)
			best_gemv = t;
	}
	printf("%-22s %2d %12.0f %14.0f %8.0f%%\n", "GD step n100 p500", 1, 1.0 / best_gd, 1.0 / best_gemv,
	       100.0 * best_gemv / best_gd);
	free(X);
	free(y);
	free(w);
	free(theta);
	free(work);
	free(resid);
}

int main(int argc, char **argv)
{
	const struct config configs[] = {
		{"width 10, SGD", 100, 20, 10, 2, OPTIM_SGD},
		{"width 50, SGD", 100, 20, 50, 2, OPTIM_SGD},
		{"width 200, SGD", 100, 20, 200, 2, OPTIM_SGD},
		{"width 500, SGD", 100, 20, 500, 2, OPTIM_SGD},
		{"mode conn. 200, Adam", 50, 10, 200, 2, OPTIM_ADAM},
	};
	int two = argc > 1 && strcmp(argv[1], "--threads2") == 0;
	printf("%-22s %2s %12s %14s %9s\n", "config", "th", "ours ep/s", "BLAS-bound ep/s", "of limit");
	for (size_t i = 0; i < sizeof configs / sizeof *configs; i++) {
		bench_mlp(&configs[i], 1);
		if (two)
			bench_mlp(&configs[i], 2);
	}
	bench_linear();
	return 0;
}
