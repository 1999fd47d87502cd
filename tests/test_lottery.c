/* test_lottery.c: iterative magnitude pruning with rewinding. The pruning
 * arithmetic (each round cuts exactly round(20%) of every layer's remaining
 * weights, the smallest in magnitude), the real experiment's round boundary
 * (the ticket rewound to exactly its initial values under the new mask,
 * cut weights staying zero while training, biases never cut), and the fact
 * the class is shown: averaged over three seeds, the winning ticket at
 * ~10% of the weights has a lower test loss than the same mask with fresh
 * random weights. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "overparam/experiment.h"
#include "overparam/history.h"
#include "experiments/lottery.h"
#include "overparam/mlp.h"
#include "overparam/rng.h"
#include "overparam/run_loop.h"
#include "overparam/scenario.h"

static const char *const shipped = "scenarios/11-lottery-tickets.ini";
static const uint64_t seeds[] = {42, 1, 2};
/* Under AddressSanitizer (make test's second pass) the first seed walks
 * every code path; the facts at the others are the plain build's to check. */
#ifdef __SANITIZE_ADDRESS__
#define N_SEEDS ((size_t)1)
#else
#define N_SEEDS (sizeof seeds / sizeof *seeds)
#endif

static void load(const char *path, struct scenario *sc)
{
	char err[SCENARIO_ERR_LEN];
	if (scenario_load(path, sc, err, sizeof err) != 0)
		fail_msg("%s", err);
}

/* ---- pruning arithmetic ------------------------------------------------- */

static void test_prune_count_is_rounded_fraction(void **state)
{
	(void)state;
	assert_int_equal(lottery_prune_count(100, 0.2), 20);
	assert_int_equal(lottery_prune_count(80, 0.2), 16);
	assert_int_equal(lottery_prune_count(64, 0.2), 13); /* 12.8 */
	assert_int_equal(lottery_prune_count(1280, 0.2), 256);
	assert_int_equal(lottery_prune_count(7, 0.2), 1);   /* 1.4 */
	assert_int_equal(lottery_prune_count(8, 0.2), 2);   /* 1.6 */
	assert_int_equal(lottery_prune_count(2, 0.2), 0);   /* 0.4 */
	assert_int_equal(lottery_prune_count(0, 0.2), 0);
	assert_int_equal(lottery_prune_count(10, 0.9), 9);
}

static void test_prune_layer_cuts_the_smallest(void **state)
{
	(void)state;
	enum { N = 1000 };
	static float w[N], mask[N], before[N];
	static struct lottery_item scratch[N];
	struct rng r;
	rng_seed(&r, 3, 0);
	for (int i = 0; i < N; i++) {
		w[i] = (float)rng_normal(&r);
		mask[i] = 1;
	}
	size_t kept = N;
	for (int round = 0; round < 10; round++) {
		memcpy(before, mask, sizeof mask);
		size_t cut = lottery_prune_layer(w, mask, N, 0.2, scratch);
		size_t want = (size_t)floor(0.2 * (double)kept + 0.5);
		assert_int_equal(cut, want);
		size_t now = 0;
		float largest_cut = 0, smallest_kept = INFINITY;
		for (int i = 0; i < N; i++) {
			if (before[i] == 0)
				assert_true(mask[i] == 0); /* a cut weight never comes back */
			if (mask[i] != 0) {
				now++;
				smallest_kept = fminf(smallest_kept, fabsf(w[i]));
			} else if (before[i] != 0) {
				largest_cut = fmaxf(largest_cut, fabsf(w[i]));
			}
		}
		assert_int_equal(now, kept - want);
		assert_true(largest_cut <= smallest_kept);
		kept = now;
	}
	/* ten rounds of 20%: 1000 -> 800 -> 640 -> 512 -> 410 -> 328 -> 262 -> 210 -> 168 -> 134 -> 107 */
	assert_int_equal(kept, 107);
}

static void test_prune_ties_go_by_index(void **state)
{
	(void)state;
	float w[6] = {0.5f, -0.1f, 0.1f, 0.1f, 2.0f, -0.1f};
	float mask[6] = {1, 1, 1, 1, 1, 1};
	struct lottery_item scratch[6];
	/* round(0.5 * 6) = 3 of the four |w| = 0.1: the three lowest indices */
	assert_int_equal(lottery_prune_layer(w, mask, 6, 0.5, scratch), 3);
	float want[6] = {1, 0, 0, 0, 1, 1};
	assert_memory_equal(mask, want, sizeof want);
}

static void test_grid_is_the_fraction_kept(void **state)
{
	(void)state;
	struct scenario sc;
	load(shipped, &sc);
	struct run_desc d;
	experiment_describe(&sc, &d);
	assert_int_equal(d.n_grid, sc.train.rounds + 1);
	assert_int_equal(d.n_grid, 11);
	/* 20-64-64-1: layers of 1280, 4096 and 64 weights */
	int dims[] = {20, 64, 64, 1};
	for (int i = 0; i < d.n_grid; i++) {
		long kept = 0;
		for (int l = 0; l < 3; l++) {
			long k = (long)dims[l] * dims[l + 1];
			for (int r = 0; r < i; r++)
				k -= (long)floor(0.2 * (double)k + 0.5);
			kept += k;
		}
		assert_true(fabs(d.grid_x[i] - 100.0 * (double)kept / 5440.0) < 1e-9);
		assert_true(fabs(d.grid_x[i] - 100.0 * pow(0.8, i)) < 0.1); /* 100, 80, 64, ... */
	}
	assert_true(d.grid_x[10] > 10 && d.grid_x[10] < 11);
}

/* ---- the experiment between steps ---------------------------------------- */

static void drop(void *ctx, const struct op_record *rec)
{
	history_add(ctx, rec);
}

/* Layer l's weight range in the slab. */
static void layer_range(const struct mlp *m, int l, size_t *off, size_t *count)
{
	*off = (size_t)(m->layer[l].W - m->params);
	*count = (size_t)m->layer[l].in * (size_t)m->layer[l].out;
}

static void test_rounds_prune_and_rewind(void **state)
{
	(void)state;
	struct scenario sc;
	load(shipped, &sc);
	sc.train.epochs = 12; /* short rounds: the arithmetic, not the result */
	sc.train.rounds = 3;
	const struct experiment_ops *ops = experiment_ops_for(sc.kind);
	struct history h;
	history_init(&h, false);
	struct emitter em = {.emit = drop, .ctx = &h, .generation = 1};
	emitter_put(&em, 0, 0, MET_START, 0, 42);
	char err[SCENARIO_ERR_LEN];
	struct experiment *x = NULL;
	assert_int_equal(ops->create(&sc, 42, &x, err, sizeof err), 0);
	const struct mlp *tk = lottery_net(x, 0), *rn = lottery_net(x, 1);
	size_t np = tk->n_params;
	float *init = malloc(np * sizeof(float)), *prev = malloc(np * sizeof(float));
	assert_non_null(init);
	assert_non_null(prev);
	memcpy(init, tk->params, np * sizeof(float));
	assert_memory_not_equal(init, rn->params, np * sizeof(float)); /* the control is its own draw */
	memcpy(prev, lottery_mask(x), np * sizeof(float));
	for (size_t i = 0; i < np; i++)
		assert_true(prev[i] == 1);

	bool more = true;
	for (int round = 1; round <= sc.train.rounds; round++) {
		for (int e = 0; e < sc.train.epochs; e++) {
			assert_true(more);
			more = ops->step(x, &em);
			/* while training, cut weights of both nets stay exactly zero */
			const float *mask = lottery_mask(x);
			for (size_t i = 0; i < np; i++)
				if (mask[i] == 0)
					assert_true(tk->params[i] == 0 && rn->params[i] == 0);
		}
		/* the step that ended round - 1 pruned and rewound */
		const float *mask = lottery_mask(x), *rw = lottery_rewind_point(x);
		assert_memory_equal(rw, init, np * sizeof(float)); /* rewind 0: the initial values */
		for (int l = 0; l < tk->n_layers; l++) {
			size_t off, count, was = 0, now = 0;
			layer_range(tk, l, &off, &count);
			for (size_t i = off; i < off + count; i++) {
				was += prev[i] != 0;
				now += mask[i] != 0;
				assert_true(!(prev[i] == 0 && mask[i] != 0));
			}
			assert_int_equal(was - now, (size_t)floor(0.2 * (double)was + 0.5));
			/* biases are never cut */
			for (int j = 0; j < tk->layer[l].out; j++)
				assert_true(mask[(size_t)(tk->layer[l].b - tk->params) + (size_t)j] == 1);
		}
		/* the ticket restarts from exactly its initial values, masked */
		for (size_t i = 0; i < np; i++)
			assert_true(tk->params[i] == init[i] * mask[i]);
		assert_true(fabs(h.last[0][MET_LT_REMAINING] - 100.0 * pow(0.8, round - 1)) < 0.1);
		memcpy(prev, mask, np * sizeof(float));
	}
	/* the last round trains, records its point, and the run ends */
	int steps = 0;
	while (more) {
		more = ops->step(x, &em);
		steps++;
	}
	assert_int_equal(steps, sc.train.epochs);
	assert_false(ops->step(x, &em));
	const double *tg = history_grid(&h, 0, MET_LT_TEST), *rg = history_grid(&h, 1, MET_LT_TEST);
	assert_non_null(tg);
	assert_non_null(rg);
	for (int i = 0; i <= sc.train.rounds; i++)
		assert_true(isfinite(tg[i]) && isfinite(rg[i]));
	assert_true(isnan(tg[sc.train.rounds + 1]));
	ops->destroy(x);
	free(init);
	free(prev);
	history_free(&h);
}

/* ---- the fact ------------------------------------------------------------ */

static void run_scenario(const struct scenario *sc, uint64_t seed, struct history *h, struct run_desc *d)
{
	const struct experiment_ops *ops = experiment_ops_for(sc->kind);
	ops->describe(sc, d);
	history_init(h, false);
	struct emitter em = {.emit = drop, .ctx = h, .generation = 1};
	char err[SCENARIO_ERR_LEN];
	if (experiment_run(ops, sc, seed, NULL, &em, NULL, err, sizeof err) != 0)
		fail_msg("%s", err);
}

static void test_winning_tickets_beat_reinit(void **state)
{
	(void)state;
	struct scenario sc;
	load(shipped, &sc);
	assert_int_equal(sc.kind, KIND_LOTTERY_TICKET);
	assert_int_equal(sc.data.target, TARGET_TEACHER);
	double ticket = 0, reinit = 0;
	int last = sc.train.rounds;
	for (size_t s = 0; s < N_SEEDS; s++) {
		struct history h;
		struct run_desc d;
		run_scenario(&sc, seeds[s], &h, &d);
		const double *tg = history_grid(&h, 0, MET_LT_TEST), *rg = history_grid(&h, 1, MET_LT_TEST);
		assert_non_null(tg);
		assert_non_null(rg);
		assert_true(d.grid_x[last] > 9 && d.grid_x[last] < 12); /* about 10% of the weights */
		print_message("seed %llu: dense %.4f / %.4f, at %.1f%%: ticket %.4f, reinit %.4f\n",
			      (unsigned long long)seeds[s], tg[0], rg[0], d.grid_x[last], tg[last], rg[last]);
		assert_true(isfinite(tg[last]) && isfinite(rg[last]));
		ticket += tg[last] / 3;
		reinit += rg[last] / 3;
		history_free(&h);
	}
	print_message("mean over 3 seeds at ~10%%: ticket %.4f, reinit %.4f\n", ticket, reinit);
	assert_true(ticket < reinit);
}

/* The headless table: a row per round and the verdict. */
static void test_report_has_every_round(void **state)
{
	(void)state;
	struct scenario sc;
	load(shipped, &sc);
	sc.train.epochs = 20;
	sc.train.rounds = 4;
	struct history h;
	struct run_desc d;
	run_scenario(&sc, 42, &h, &d);
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	assert_non_null(f);
	experiment_ops_for(sc.kind)->report(&sc, &d, &h, f);
	fclose(f);
	for (int i = 0; i <= 4; i++) {
		char row[48];
		snprintf(row, sizeof row, "\n%6d %10.2f ", i, d.grid_x[i]);
		assert_non_null(strstr(buf, row));
	}
	assert_non_null(strstr(buf, "RESULT: "));
	free(buf);
	history_free(&h);
}

static void test_memory_estimate_covers_the_nets(void **state)
{
	(void)state;
	struct scenario sc;
	load(shipped, &sc);
	int dims[] = {20, 64, 64, 1};
	double rows = sc.data.test_samples > sc.data.samples ? sc.data.test_samples : sc.data.samples;
	double np = (double)mlp_count_params(dims, 3);
	double real = 2 * ((double)mlp_bytes(dims, 3, (int)rows) + 0) + 2 * 4 * np + 8.0 * 64 * 64 +
		      4.0 * (sc.data.samples + sc.data.test_samples) * (sc.data.dim + 1);
	assert_true((double)scenario_memory(&sc) >= real);
	assert_true((double)scenario_memory(&sc) <= 2 * real + 65536);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_prune_count_is_rounded_fraction),
		cmocka_unit_test(test_prune_layer_cuts_the_smallest),
		cmocka_unit_test(test_prune_ties_go_by_index),
		cmocka_unit_test(test_grid_is_the_fraction_kept),
		cmocka_unit_test(test_rounds_prune_and_rewind),
		cmocka_unit_test(test_winning_tickets_beat_reinit),
		cmocka_unit_test(test_report_has_every_round),
		cmocka_unit_test(test_memory_estimate_covers_the_nets),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
