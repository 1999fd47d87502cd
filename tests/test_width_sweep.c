/* test_width_sweep.c: the width sweep on a team of threads (workers.h). A
 * run on a team of two must emit the very records of a run on one thread,
 * and both must follow each model trained alone with plain mlp_loss_grad
 * and optim_step; the team's helper exists only while the team does, serves
 * one run after another, and sleeps when no epoch is asked for. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "overparam/data.h"
#include "overparam/experiment.h"
#include "overparam/linalg.h"
#include "overparam/mlp.h"
#include "overparam/optim.h"
#include "overparam/rng.h"
#include "overparam/run_loop.h"
#include "overparam/scenario.h"
#include "overparam/workers.h"

#define MAX_EPOCHS 64

/* A big model (width 160: ~8 M multiply-adds an epoch) whose steps are
 * split between the two threads, and two small ones dealt whole; a test set
 * measured every 7 epochs and at the end; SGD. */
static const char *const split_sgd = "[scenario]\nkind = width_sweep\ntitle = t\nseed = 5\npace = max\n"
				     "[data]\nsamples = 100\ntest_samples = 60\ndim = 12\ntarget = sin_cos\nnoise = 0.1\n"
				     "[model]\ndepth = 2\nwidths = 8, 24, 160\n"
				     "[train]\noptimizer = sgd\nlr = 0.05\nepochs = 40\nthreshold = 0.5\neval_every = 7\n";

/* A split model with Adam, normal init, an odd batch and depth 3. */
static const char *const split_adam = "[scenario]\nkind = width_sweep\ntitle = t\nseed = 9\npace = max\n"
				      "[data]\nsamples = 77\ntest_samples = 35\ndim = 6\ntarget = sin3\nnoise = 0.05\n"
				      "[model]\ndepth = 3\nwidths = 5, 130\ninit = normal\ninit_std = 0.1\n"
				      "[train]\noptimizer = adam\nlr = 0.003\nepochs = 30\nthreshold = 0.1\neval_every = 4\n";

/* Three small models, none worth splitting: whole models are dealt to the
 * two threads. */
static const char *const balanced = "[scenario]\nkind = width_sweep\ntitle = t\nseed = 3\npace = max\n"
				    "[data]\nsamples = 100\ndim = 20\ntarget = sin_cos\nnoise = 0.1\n"
				    "[model]\ndepth = 2\nwidths = 16, 16, 12\n"
				    "[train]\noptimizer = sgd\nlr = 0.01\nepochs = 30\nthreshold = 0.5\n";

struct run {
	uint64_t digest; /* FNV-1a over every record, in order */
	uint32_t records;
	double train[SCENARIO_MAX_WIDTHS][MAX_EPOCHS]; /* MET_TRAIN_LOSS by series and epoch */
	double test[SCENARIO_MAX_WIDTHS][MAX_EPOCHS];  /* MET_TEST_LOSS, NaN where not measured */
	int threads_during;                            /* the process's threads while the run existed */
};

static void run_emit(void *ctx, const struct op_record *rec)
{
	struct run *r = ctx;
	const unsigned char *b = (const unsigned char *)rec;
	for (size_t i = 0; i < sizeof *rec; i++)
		r->digest = (r->digest ^ b[i]) * 1099511628211ull;
	r->records++;
	if (rec->series < SCENARIO_MAX_WIDTHS && rec->epoch < MAX_EPOCHS) {
		if (rec->metric == MET_TRAIN_LOSS)
			r->train[rec->series][rec->epoch] = rec->value;
		if (rec->metric == MET_TEST_LOSS)
			r->test[rec->series][rec->epoch] = rec->value;
	}
}

/* Threads of this process, from /proc (Linux). */
static int thread_count(void)
{
	DIR *d = opendir("/proc/self/task");
	int n = 0;
	assert_non_null(d);
	for (struct dirent *e; (e = readdir(d));)
		if (e->d_name[0] != '.')
			n++;
	closedir(d);
	return n;
}

/* The thread count once it settles at `want`, or what it is after 2 s.
 * pthread_join returns when the kernel clears the thread's id, a moment
 * before its entry leaves /proc/self/task; a leaked thread never leaves. */
static int threads_settle(int want)
{
	struct timespec nap = {0, 1000000};
	int n = thread_count();
	for (int i = 0; i < 2000 && n != want; i++) {
		nanosleep(&nap, NULL);
		n = thread_count();
	}
	return n;
}

static void parse(const char *text, struct scenario *sc)
{
	char err[SCENARIO_ERR_LEN];
	if (scenario_parse(text, strlen(text), "test.ini", sc, err, sizeof err) != 0)
		fail_msg("%s", err);
}

static void run_reset(struct run *r)
{
	memset(r, 0, sizeof *r);
	for (int k = 0; k < SCENARIO_MAX_WIDTHS; k++)
		for (int e = 0; e < MAX_EPOCHS; e++)
			r->train[k][e] = r->test[k][e] = NAN;
	r->digest = 1469598103934665603ull;
}

/* The whole run on `team` (NULL: this thread alone), as the runners run it. */
static void run_sweep(const struct scenario *sc, struct workers *team, struct run *r)
{
	char err[SCENARIO_ERR_LEN];
	run_reset(r);
	struct emitter em = {.emit = run_emit, .ctx = r, .generation = 1};
	r->threads_during = thread_count();
	if (experiment_run(experiment_ops_for(KIND_WIDTH_SWEEP), sc, sc->seed, team, &em, NULL, err, sizeof err) != 0)
		fail_msg("%s", err);
}

/* Model k trained alone: the sweep's data and initial weights (its rng
 * streams: 0 training set, 1 test set, 100 + k model k), full batch. */
static void reference(const struct scenario *sc, int k, double *train /* (epochs) */, double *test /* (epochs) */)
{
	int n = sc->data.samples, nt = sc->data.test_samples, d = sc->data.dim;
	float *X = malloc(sizeof(float) * (size_t)n * d), *y = malloc(sizeof(float) * (size_t)n);
	float *Xt = malloc(sizeof(float) * (size_t)(nt + 1) * d), *yt = malloc(sizeof(float) * (size_t)(nt + 1));
	assert_true(X && y && Xt && yt);
	struct rng r;
	rng_seed(&r, sc->seed, 0);
	data_gaussian_f32(&r, X, n, d);
	data_target_f32(&r, sc->data.target, X, n, d, sc->data.noise, y);
	if (nt > 0) {
		rng_seed(&r, sc->seed, 1);
		data_gaussian_f32(&r, Xt, nt, d);
		data_target_f32(&r, sc->data.target, Xt, nt, d, sc->data.noise, yt);
	}
	int dims[MLP_MAX_LAYERS + 1];
	dims[0] = d;
	for (int l = 1; l <= sc->model.depth; l++)
		dims[l] = sc->model.widths[k];
	dims[sc->model.depth + 1] = 1;
	struct mlp m;
	struct optim o;
	assert_int_equal(mlp_create(&m, dims, sc->model.depth + 1, n > nt ? n : nt), 0);
	assert_int_equal(optim_create(&o, sc->train.optimizer, m.n_params, sc->train.lr), 0);
	rng_seed(&r, sc->seed, 100 + (uint64_t)k);
	if (sc->model.init == INIT_NORMAL)
		mlp_init_normal(&m, &r, sc->model.init_std);
	else
		mlp_init_torch_default(&m, &r);
	for (int e = 0; e < sc->train.epochs; e++) {
		test[e] = NAN;
		if (nt > 0 && (e % sc->train.eval_every == 0 || e + 1 == sc->train.epochs))
			test[e] = mlp_loss(&m, Xt, yt, nt);
		train[e] = mlp_loss_grad(&m, X, y, n);
		optim_step(&o, m.params, m.grads);
	}
	mlp_destroy(&m);
	optim_destroy(&o);
	free(X);
	free(y);
	free(Xt);
	free(yt);
}

static void check_scenario(const char *text)
{
	struct scenario sc;
	parse(text, &sc);
	assert_true(sc.train.epochs <= MAX_EPOCHS);
	int before = thread_count();
	struct run *one = calloc(1, sizeof *one), *two = calloc(1, sizeof *two), *again = calloc(1, sizeof *again);
	assert_true(one && two && again);

	struct workers *team = workers_create(1);
	assert_int_equal(workers_threads(team), 1);
	run_sweep(&sc, team, one);
	workers_destroy(team);
	team = workers_create(2);
	assert_int_equal(workers_threads(team), 2);
	run_sweep(&sc, team, two);
	run_sweep(&sc, team, again); /* the same team serves the next run (a restart) */
	workers_destroy(team);
	assert_int_equal(one->threads_during, before);       /* no helper when told so */
	assert_int_equal(two->threads_during, before + 1);   /* one helper otherwise */
	assert_int_equal(again->threads_during, before + 1); /* the same one: a team outlives its runs */
	assert_int_equal(threads_settle(before), before); /* joined by workers_destroy() */

	/* Bit for bit the same records, in the same order. */
	assert_true(one->records >= (uint32_t)(sc.train.epochs * sc.model.n_widths));
	assert_int_equal(one->records, two->records);
	assert_true(one->digest == two->digest);
	assert_int_equal(one->records, again->records);
	assert_true(one->digest == again->digest);

	/* And the losses of each model trained alone: float rounding apart
	 * (the split step sums the same products in the same order; this only
	 * allows for a BLAS whose sub-blocks round differently). */
	double train[MAX_EPOCHS], test[MAX_EPOCHS];
	for (int k = 0; k < sc.model.n_widths; k++) {
		reference(&sc, k, train, test);
		for (int e = 0; e < sc.train.epochs; e++) {
			double got = two->train[k][e], want = train[e];
			if (!(fabs(got - want) <= 1e-5 * fabs(want)))
				fail_msg("model %d epoch %d: train loss %.9g, alone %.9g", k, e, got, want);
			got = two->test[k][e];
			want = test[e];
			if (isnan(want) != isnan(got) || (!isnan(want) && !(fabs(got - want) <= 1e-5 * fabs(want))))
				fail_msg("model %d epoch %d: test loss %.9g, alone %.9g", k, e, got, want);
		}
	}
	free(one);
	free(two);
	free(again);
}

static void test_split_sgd_same_with_and_without_worker(void **state)
{
	(void)state;
	check_scenario(split_sgd);
}

static void test_split_adam_same_with_and_without_worker(void **state)
{
	(void)state;
	check_scenario(split_adam);
}

static void test_balanced_same_with_and_without_worker(void **state)
{
	(void)state;
	check_scenario(balanced);
}

/* The comparison above can fail: a different seed changes the digest. */
static void test_digest_is_sensitive(void **state)
{
	(void)state;
	struct scenario sc;
	parse(split_sgd, &sc);
	struct run *a = calloc(1, sizeof *a), *b = calloc(1, sizeof *b);
	assert_true(a && b);
	sc.train.epochs = 5;
	struct workers *team = workers_create(2);
	run_sweep(&sc, team, a);
	sc.seed++;
	run_sweep(&sc, team, b);
	workers_destroy(team);
	assert_int_equal(a->records, b->records);
	assert_true(a->digest != b->digest);
	free(a);
	free(b);
}

static double cpu_seconds(void)
{
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	return (double)ru.ru_utime.tv_sec + 1e-6 * (double)ru.ru_utime.tv_usec + (double)ru.ru_stime.tv_sec +
	       1e-6 * (double)ru.ru_stime.tv_usec;
}

/* Between epochs (a paused or slowly paced run) the helper sleeps: the
 * process uses next to no CPU while nobody asks for an epoch. Stepped by
 * hand, to stop mid-run. */
static void test_idle_worker_sleeps(void **state)
{
	(void)state;
	struct scenario sc;
	char err[SCENARIO_ERR_LEN];
	parse(split_sgd, &sc);
	struct run r;
	run_reset(&r);
	struct emitter em = {.emit = run_emit, .ctx = &r, .generation = 1};
	int before = thread_count();
	struct workers *team = workers_create(2);
	assert_int_equal(thread_count(), before + 1);
	struct run_loop loop;
	if (run_loop_open(&loop, experiment_ops_for(KIND_WIDTH_SWEEP), &sc, sc.seed, team, &em, err, sizeof err) != 0)
		fail_msg("%s", err);
	assert_true(run_loop_step(&loop));
	struct timespec nap = {0, 20000000}; /* past the helper's spin */
	nanosleep(&nap, NULL);
	double c0 = cpu_seconds();
	struct timespec idle = {0, 300000000};
	nanosleep(&idle, NULL);
	double used = cpu_seconds() - c0;
	if (used > 0.03)
		fail_msg("%.3f s of CPU in 0.3 s idle: the helper spins", used);
	assert_true(run_loop_step(&loop)); /* and wakes for the next epoch */
	run_loop_close(&loop);
	workers_destroy(team);
	assert_int_equal(threads_settle(before), before);
}

static void *nothing(void *arg)
{
	return arg;
}

int main(void)
{
	linalg_set_threads(1); /* as the program runs OpenBLAS (workers_startup) */
	/* A first thread, so that helper threads a sanitizer starts with it
	 * (TSan's) exist before the counts above are taken. */
	pthread_t t;
	if (pthread_create(&t, NULL, nothing, NULL) == 0)
		pthread_join(t, NULL);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_split_sgd_same_with_and_without_worker),
		cmocka_unit_test(test_split_adam_same_with_and_without_worker),
		cmocka_unit_test(test_balanced_same_with_and_without_worker),
		cmocka_unit_test(test_digest_is_sensitive),
		cmocka_unit_test(test_idle_worker_sleeps),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
