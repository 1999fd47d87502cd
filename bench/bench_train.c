/* bench_train.c: epochs per second of our training loop for each seed
 * configuration, next to the BLAS-bound limit measured in the same process:
 * the time of the same GEMM calls of one epoch (forward and backward), alone.
 * Rounds alternate ours and the limit and keep each one's best, because the
 * machine is shared and noisy; only ratios from one run are meaningful.
 *
 * Then the width sweep's epoch through the run loop (run_loop.h), three ways:
 * one thread; one thread of ours with OpenBLAS on two; a team of two of ours
 * (workers.h) with OpenBLAS on one (what the program does): for width 500
 * alone and for the seed's four models.
 *
 *   bench_train [--threads2 | --sweep]   (--threads2: also the table with
 *   OpenBLAS on 2; --sweep: the width sweep's table alone) */
#include <cblas.h>
#include <math.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "overparam/data.h"
#include "overparam/experiment.h"
#include "overparam/linalg.h"
#include "overparam/linear.h"
#include "overparam/mlp.h"
#include "overparam/optim.h"
#include "overparam/rng.h"
#include "overparam/run_loop.h"
#include "overparam/scenario.h"
#include "overparam/workers.h"

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
	enum data_target target;
	double noise, init_std; /* init_std 0: PyTorch's default init */
	int restart;            /* start again from the initial weights every this many epochs (0: never) */
	int warm;               /* epochs trained before the timing starts */
	bool exact;             /* subnormals kept (--no-ftz); else flushed, as the program runs */
};

/* The GEMMs of one epoch, as mlp.c issues them on a full batch, with the
 * net's own unit-major buffers, so shapes and strides match: forward
 * Z = W A per layer (W X^T for the first); backward err = W^T err for every
 * layer but the first, and gW = err A^T per layer (err X for the first). */
static void gemms_only(struct mlp *m, const float *X /* (n, d) */, int n)
{
	const int ld = mlp_row_stride(n);
	for (int l = 0; l < m->n_layers; l++) {
		const struct mlp_layer *L = &m->layer[l];
		if (l == 0)
			cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, L->out, n, L->in, 1.0f, L->W, L->in, X, L->in,
				    0.0f, m->act[1], ld);
		else
			cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, L->out, n, L->in, 1.0f, L->W, L->in,
				    m->act[l], ld, 0.0f, m->act[l + 1], ld);
	}
	for (int l = m->n_layers - 1; l >= 1; l--) {
		const struct mlp_layer *L = &m->layer[l];
		cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, L->in, n, L->out, 1.0f, L->W, L->in, m->err[l + 1], ld,
			    0.0f, m->err[l], ld);
	}
	for (int l = 0; l < m->n_layers; l++) {
		const struct mlp_layer *L = &m->layer[l];
		if (l == 0)
			cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, L->out, L->in, n, 1.0f, m->err[1], ld, X,
				    L->in, 0.0f, m->glayer[0].W, L->in);
		else
			cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, L->out, L->in, n, 1.0f, m->err[l + 1], ld,
				    m->act[l], ld, 0.0f, m->glayer[l].W, L->in);
	}
}

/* Returns the limit's seconds an epoch. */
static double bench_mlp(const struct config *c, int threads)
{
	linalg_set_threads(threads);
	workers_set_flush(!c->exact);
	workers_thread_fp();
	struct rng r;
	rng_seed(&r, 42, 0);
	float *X = malloc(sizeof(float) * (size_t)c->n * (size_t)c->d), *y = malloc(sizeof(float) * (size_t)c->n);
	data_gaussian_f32(&r, X, c->n, c->d);
	data_target_f32(&r, c->target, X, c->n, c->d, c->noise, y);
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
	if (c->init_std > 0)
		mlp_init_normal(&m, &r, c->init_std);
	else
		mlp_init_torch_default(&m, &r);
	float *init = malloc(sizeof(float) * m.n_params);
	if (!init) {
		fprintf(stderr, "bench: out of memory\n");
		exit(1);
	}
	memcpy(init, m.params, sizeof(float) * m.n_params);
	int since = 0;
	for (int i = 0; i < c->warm; i++) {
		mlp_loss_grad(&m, X, y, c->n);
		optim_step(&o, m.params, m.grads);
	}
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
			if (c->restart && ++since == c->restart) {
				memcpy(m.params, init, sizeof(float) * m.n_params);
				optim_reset(&o);
				since = 0;
			}
		}
		double to = (now() - t0) / reps;
		if (tb < best_blas)
			best_blas = tb;
		if (to < best_ours)
			best_ours = to;
	}
	printf("%-26s %2d %12.0f %14.0f %8.0f%%   %8.1f MFLOP/epoch\n", c->name, threads, 1.0 / best_ours,
	       1.0 / best_blas, 100.0 * best_blas / best_ours, flop / 1e6);
	mlp_destroy(&m);
	optim_destroy(&o);
	free(init);
	free(X);
	free(y);
	return best_blas;
}

/* The sweep's GEMMs on both cores at once, as the limit for two cores
 * assumes they run: each of two threads runs every GEMM of the four
 * widths' epoch (its own nets and data) `epochs` / 2 times. Returns the
 * seconds of the slower, best of 3: `epochs` epochs of the sweep's GEMMs
 * if two cores keep their one-core rate side by side (they may not: a
 * shared FPU, cache or memory bandwidth, a virtual machine's vCPUs). */
struct both {
	const struct config *c; /* (4) the sweep's widths */
	int reps;
	double seconds;
};

static void *both_thread(void *arg)
{
	struct both *b = arg;
	struct mlp m[4];
	struct rng r;
	rng_seed(&r, 42, 0);
	int n = b->c[0].n, d = b->c[0].d;
	float *X = malloc(sizeof(float) * (size_t)n * (size_t)d);
	if (!X)
		return NULL;
	data_gaussian_f32(&r, X, n, d);
	for (int i = 0; i < 4; i++) {
		int dims[MLP_MAX_LAYERS + 1];
		int layers = mlp_layer_dims(dims, d, b->c[i].depth, b->c[i].width, 1);
		if (mlp_create(&m[i], dims, layers, n) != 0)
			exit(1);
		mlp_init_torch_default(&m[i], &r);
	}
	double t0 = now();
	for (int k = 0; k < b->reps; k++)
		for (int i = 0; i < 4; i++)
			gemms_only(&m[i], X, n);
	b->seconds = now() - t0;
	for (int i = 0; i < 4; i++)
		mlp_destroy(&m[i]);
	free(X);
	return NULL;
}

static double both_cores(const struct config *c /* (4) */, int epochs)
{
	double best = 1e30;
	for (int round = 0; round < 3; round++) {
		struct both b[2] = {{c, epochs / 2, 0}, {c, epochs / 2, 0}};
		pthread_t t;
		if (pthread_create(&t, NULL, both_thread, &b[1]) != 0)
			return NAN;
		both_thread(&b[0]);
		pthread_join(t, NULL);
		double s = b[0].seconds > b[1].seconds ? b[0].seconds : b[1].seconds;
		best = s < best ? s : best;
	}
	return best;
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
	printf("%-26s %2d %12.0f %14s %9s   min-norm solve %.0f us (numpy Cholesky route: 220-280 us)\n",
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
	printf("%-26s %2d %12.0f %14.0f %8.0f%%\n", "GD step n100 p500", 1, 1.0 / best_gd, 1.0 / best_gemv,
	       100.0 * best_gemv / best_gd);
	free(X);
	free(y);
	free(w);
	free(theta);
	free(work);
	free(resid);
}

/* The seed sweep's data, model and optimizer with the given widths. */
static const char *const sweep_ini = "[scenario]\nkind = width_sweep\ntitle = bench\npace = max\n"
				     "[data]\nsamples = 100\ndim = 20\ntarget = sin_cos\nnoise = 0.1\n"
				     "[model]\ndepth = 2\nwidths = %s\n"
				     "[train]\noptimizer = sgd\nlr = 0.01\nepochs = %d\nthreshold = 0.05\n";

static void discard(void *ctx, const struct op_record *rec)
{
	(void)ctx;
	(void)rec;
}

/* Seconds an epoch of the sweep takes on a team of `threads` of ours
 * (workers.h; the team made before, as the runners make it once) and
 * OpenBLAS on `blas` threads. */
static double sweep_epoch(const struct scenario *sc, int threads, int blas)
{
	char err[SCENARIO_ERR_LEN];
	struct emitter em = {.emit = discard};
	struct run_stats st;
	struct workers *team = workers_create(threads);
	linalg_set_threads(blas);
	if (experiment_run(experiment_ops_for(KIND_WIDTH_SWEEP), sc, 42, team, &em, &st, err, sizeof err) != 0) {
		fprintf(stderr, "bench: %s\n", err);
		exit(1);
	}
	workers_destroy(team);
	linalg_set_threads(1);
	return st.seconds / st.epochs;
}

static void bench_sweep(const char *label, const char *widths, int epochs)
{
	char text[1024], err[SCENARIO_ERR_LEN];
	struct scenario sc;
	snprintf(text, sizeof text, sweep_ini, widths, epochs);
	if (scenario_parse(text, strlen(text), "bench", &sc, err, sizeof err) != 0) {
		fprintf(stderr, "bench: %s\n", err);
		exit(1);
	}
	double best[3] = {1e30, 1e30, 1e30};
	for (int round = 0; round < 3; round++) {
		double t[3] = {sweep_epoch(&sc, 1, 1), sweep_epoch(&sc, 1, 2), sweep_epoch(&sc, 2, 1)};
		for (int i = 0; i < 3; i++)
			if (t[i] < best[i])
				best[i] = t[i];
	}
	printf("%-24s %9.0f us %9.0f us (%.2fx) %9.0f us (%.2fx)\n", label, best[0] * 1e6, best[1] * 1e6,
	       best[0] / best[1], best[2] * 1e6, best[0] / best[2]);
}

int main(int argc, char **argv)
{
	/* The width sweep's nets as the seed trains them; the mode-connectivity
	 * net as scenario 2 trains it (normal(0, 0.1) init, sin3, no noise),
	 * from a fresh start every 130 epochs, as its runs stop there (loss
	 * below 1e-6 after 115-135 epochs). The last row trains that net on and
	 * on (timed after 3000 epochs): after some 700 epochs the first moments
	 * of weights whose gradient is exactly 0 (dead ReLU units) decay into
	 * subnormal floats and stay there (0.9 times the smallest ones rounds
	 * back to them), and every vector of Adam holding one takes a microcode
	 * assist. PyTorch's Adam meets the same. The program flushes them to
	 * zero (FTZ/DAZ, workers.h), as every row here does but the last, which
	 * keeps them (--no-ftz). */
	const struct config configs[] = {
		{"width 10, SGD", 100, 20, 10, 2, OPTIM_SGD, TARGET_SIN_COS, 0.1, 0, 0, 0, false},
		{"width 50, SGD", 100, 20, 50, 2, OPTIM_SGD, TARGET_SIN_COS, 0.1, 0, 0, 0, false},
		{"width 200, SGD", 100, 20, 200, 2, OPTIM_SGD, TARGET_SIN_COS, 0.1, 0, 0, 0, false},
		{"width 500, SGD", 100, 20, 500, 2, OPTIM_SGD, TARGET_SIN_COS, 0.1, 0, 0, 0, false},
		{"mode conn. 200, Adam", 50, 10, 200, 2, OPTIM_ADAM, TARGET_SIN3, 0.0, 0.1, 130, 0, false},
		{"  never restarted", 50, 10, 200, 2, OPTIM_ADAM, TARGET_SIN3, 0.0, 0.1, 0, 3000, false},
		{"  never restarted, no FTZ", 50, 10, 200, 2, OPTIM_ADAM, TARGET_SIN3, 0.0, 0.1, 0, 3000, true},
	};
	int two = argc > 1 && strcmp(argv[1], "--threads2") == 0;
	int sweep_only = argc > 1 && strcmp(argv[1], "--sweep") == 0;
	if (!sweep_only) {
		printf("%-26s %2s %12s %14s %9s\n", "config", "th", "ours ep/s", "BLAS-bound ep/s", "of limit");
		double sweep_limit = 0; /* the seed sweep's epoch at the limit: its four widths */
		for (size_t i = 0; i < sizeof configs / sizeof *configs; i++) {
			double limit = bench_mlp(&configs[i], 1);
			if (i < 4)
				sweep_limit += limit;
			if (two)
				bench_mlp(&configs[i], 2);
		}
		/* Two cores: the same GEMMs split over both at the one-core rate. */
		printf("seed sweep limit, 2000 epochs: one core %.2f s, two cores %.2f s\n", 2000 * sweep_limit,
		       1000 * sweep_limit);
		/* what that assumes, measured: both cores running GEMMs at once */
		double both = both_cores(configs, 2000);
		printf("seed sweep GEMMs on both cores at once, 2000 epochs: %.2f s (%.0f%% of the two-core rate)\n",
		       both, 100 * 1000 * sweep_limit / both);
		bench_linear();
	}

	printf("\n## width sweep epoch, best of 3 rounds of 300 epochs: one thread; OpenBLAS on 2;\n"
	       "## our trainer thread + worker, OpenBLAS on 1 (the program's way); (x: speed-up)\n");
	printf("%-24s %12s %19s %19s\n", "models", "1 thread", "OpenBLAS x2", "ours x2");
	bench_sweep("width 500 alone", "500", 300);
	bench_sweep("seed sweep (4 models)", "10, 50, 200, 500", 300);
	return 0;
}
