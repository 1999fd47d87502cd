/* test_team_kinds.c: every kind that takes the runner's team (workers.h)
 * emits the very records on a team of two as on one thread: each shipped
 * scenario of such a kind, shortened, compared record by record (a digest
 * over every byte, in order). Then the pair's parts on their own:
 * netpair_train_to_end against netpair_train called epoch by epoch (nets
 * that stop, one that diverges, the epoch limit), and paths measured on two
 * threads against one. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <glob.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "overparam/experiment.h"
#include "overparam/linalg.h"
#include "overparam/netpair.h"
#include "overparam/run_loop.h"
#include "overparam/scenario.h"
#include "overparam/workers.h"

struct digest {
	uint64_t hash; /* FNV-1a over every record, in order */
	uint32_t records;
};

static void digest_emit(void *ctx, const struct op_record *rec)
{
	struct digest *d = ctx;
	const unsigned char *b = (const unsigned char *)rec;
	for (size_t i = 0; i < sizeof *rec; i++)
		d->hash = (d->hash ^ b[i]) * 1099511628211ull;
	d->records++;
}

static struct digest run_on(const struct scenario *sc, struct workers *team)
{
	char err[SCENARIO_ERR_LEN];
	struct digest d = {.hash = 1469598103934665603ull};
	struct emitter em = {.emit = digest_emit, .ctx = &d, .generation = 1};
	if (experiment_run(experiment_ops_for(sc->kind), sc, sc->seed, team, &em, NULL, err, sizeof err) != 0)
		fail_msg("%s", err);
	return d;
}

/* A shipped scenario cut short enough for ThreadSanitizer, still with
 * every phase of its run: a pair's paths, a lottery round's end and the
 * next round, the sweep's split and whole models. */
static void shorten(struct scenario *sc)
{
	if (sc->train.epochs > 20)
		sc->train.epochs = 20;
	if (sc->kind == KIND_LOTTERY_TICKET) {
		sc->train.epochs = 8;
		sc->train.rounds = 1;
		sc->train.eval_every = 3;
	}
	if (sc->kind == KIND_BARRIER_WIDTH) {
		sc->train.repeats = 3; /* a pair trains while the one before is measured */
		sc->model.n_widths = 2;
	}
	if (sc->kind == KIND_WIDTH_SWEEP)
		sc->train.epochs = 6;
	if (sc->kind == KIND_DOUBLE_DESCENT) { /* N = n among them: the peak's ill-conditioned fit */
		sc->model.features_points = 5;
		sc->train.repeats = 3; /* an odd count: one thread fits one more */
	}
}

static void test_shipped_kinds_same_on_two_threads(void **state)
{
	(void)state;
	glob_t g;
	if (glob("scenarios/*.ini", 0, NULL, &g) != 0)
		fail_msg("no scenarios/*.ini (run from the repository root)");
	struct workers *one = workers_create(1), *two = workers_create(2);
	assert_int_equal(workers_threads(two), 2);
	int checked = 0;
	for (size_t i = 0; i < g.gl_pathc; i++) {
		struct scenario sc;
		char err[SCENARIO_ERR_LEN];
		if (scenario_load(g.gl_pathv[i], &sc, err, sizeof err) != 0)
			fail_msg("%s", err);
		if (!experiment_ops_for(sc.kind)->use_workers)
			continue;
		shorten(&sc);
		struct digest a = run_on(&sc, one), b = run_on(&sc, two), c = run_on(&sc, NULL);
		if (a.records == 0 || a.records != b.records || a.hash != b.hash || a.hash != c.hash)
			fail_msg("%s: %u records on one thread, %u on two (digests %s)", g.gl_pathv[i], a.records,
				 b.records, a.hash == b.hash ? "equal" : "differ");
		checked++;
	}
	workers_destroy(one);
	workers_destroy(two);
	globfree(&g);
	/* the width sweep, mode connectivity, alignment, curved path, barrier
	 * vs width, lottery tickets and double descent */
	assert_true(checked >= 7);
}

/* Barrier vs width on a team runs a width's nets and measurings as tasks,
 * with slots that later pairs take over and the next width's first pair
 * trained ahead: more pairs than slots (5), two, one, and a width that
 * diverges after another width's pair was trained ahead, each the same
 * records as on one thread. */
static void test_barrier_width_schedules(void **state)
{
	(void)state;
	FILE *f = fopen("scenarios/09-barrier-vs-width.ini", "r");
	if (!f)
		fail_msg("no scenarios/09-barrier-vs-width.ini (run from the repository root)");
	static char text[1 << 16];
	size_t len = fread(text, 1, sizeof text - 1, f);
	fclose(f);
	const char *variants[][4] = {
		{"train.repeats=5", "model.widths=8,16,32", "train.epochs=30", NULL},
		{"train.repeats=2", "model.widths=8,16", "train.epochs=30", NULL},
		{"train.repeats=1", "model.widths=8,16,32", "train.epochs=30", NULL},
		{"train.repeats=5", "model.widths=8,16,32", "train.epochs=50", "train.lr=5"}, /* diverges at 16 */
	};
	struct workers *one = workers_create(1), *two = workers_create(2);
	for (size_t v = 0; v < sizeof variants / sizeof variants[0]; v++) {
		int n = variants[v][3] ? 4 : 3;
		struct scenario sc;
		char err[SCENARIO_ERR_LEN];
		if (scenario_parse_sets(text, len, "09.ini", variants[v], n, &sc, err, sizeof err) != 0)
			fail_msg("%s", err);
		struct digest a = run_on(&sc, one), b = run_on(&sc, two);
		if (a.records == 0 || a.records != b.records || a.hash != b.hash)
			fail_msg("variant %zu: %u records on one thread, %u on two (digests %s)", v, a.records,
				 b.records, a.hash == b.hash ? "equal" : "differ");
	}
	workers_destroy(one);
	workers_destroy(two);
}

/* ---- the pair's parts ---- */

static const char *const pair_ini = "[scenario]\nkind = mode_connectivity\ntitle = t\nseed = 7\n"
				    "[data]\nsamples = 40\ndim = 6\ntarget = sin3\nnoise = 0\n"
				    "[model]\ndepth = 1\nwidths = 64\ninit = normal\ninit_std = 0.1\ninit_seeds = 1, 2\n"
				    "[train]\noptimizer = adam\nlr = 0.01\nepochs = 400\ntarget_loss = 3e-3\n";

static void parse_pair(struct scenario *sc, const char *const *sets /* (n_sets) */, int n_sets)
{
	char err[SCENARIO_ERR_LEN];
	if (scenario_parse_sets(pair_ini, strlen(pair_ini), "pair.ini", sets, n_sets, sc, err, sizeof err) != 0)
		fail_msg("%s", err);
}

/* The end of a pair trained to its end, as the one-thread loop leaves it. */
struct pair_end {
	int epoch;
	int stopped_at[2];
	bool diverged[2];
	double diverged_loss; /* what netpair_emit_diverged sends */
};

static struct pair_end pair_end_of(const struct netpair *p)
{
	struct pair_end e = {.epoch = p->epoch, .diverged_loss = NAN};
	for (int k = 0; k < 2; k++) {
		e.stopped_at[k] = p->net[k].stopped_at;
		e.diverged[k] = p->net[k].diverged;
	}
	if (netpair_diverged(p))
		e.diverged_loss = p->net[0].diverged ? p->net[0].loss : p->net[1].loss;
	return e;
}

static void check_to_end(const struct scenario *sc, uint64_t seed_a, uint64_t seed_b, int epochs,
			 struct pair_end *out)
{
	struct netpair p;
	assert_int_equal(netpair_create(&p, sc, sc->model.widths[0], sc->seed, seed_a, seed_b), 0);
	while (!netpair_train(&p, NULL, 0) && p.epoch < epochs)
		;
	struct pair_end want = pair_end_of(&p);
	struct workers *team = workers_create(2);
	for (int pass = 0; pass < 2; pass++) { /* one thread, then two */
		netpair_reset(&p, sc, sc->seed, seed_a, seed_b);
		netpair_use_workers(&p, pass ? team : NULL);
		assert_true(netpair_train_to_end(&p, epochs));
		struct pair_end got = pair_end_of(&p);
		assert_int_equal(got.epoch, want.epoch);
		for (int k = 0; k < 2; k++) {
			assert_int_equal(got.stopped_at[k], want.stopped_at[k]);
			assert_int_equal(got.diverged[k], want.diverged[k]);
		}
		assert_true(isnan(want.diverged_loss) ? isnan(got.diverged_loss)
						      : memcmp(&got.diverged_loss, &want.diverged_loss, sizeof(double)) == 0);
	}
	workers_destroy(team);
	netpair_destroy(&p);
	*out = want;
}

/* Both nets stop at the target, at different epochs. */
static void test_to_end_both_stop(void **state)
{
	(void)state;
	struct scenario sc;
	struct pair_end e;
	parse_pair(&sc, NULL, 0);
	check_to_end(&sc, 1, 2, sc.train.epochs, &e);
	assert_true(e.stopped_at[0] >= 0 && e.stopped_at[1] >= 0);
	assert_true(e.stopped_at[0] != e.stopped_at[1]); /* the later one sets the end */
	assert_false(e.diverged[0] || e.diverged[1]);
}

/* The epoch limit ends the pair first. */
static void test_to_end_limit(void **state)
{
	(void)state;
	struct scenario sc;
	struct pair_end e;
	parse_pair(&sc, NULL, 0);
	check_to_end(&sc, 1, 2, 17, &e);
	assert_int_equal(e.epoch, 17);
	assert_true(e.stopped_at[0] < 0 && e.stopped_at[1] < 0);
}

/* A net diverges: the pair ends at that epoch whichever net it is, and the
 * other, which would diverge an epoch or two later, has not yet (SGD at lr
 * 1 and 1.5: seeds 1, 2 and 5, 6 have B diverge first, 3, 4 A). */
static void test_to_end_divergence(void **state)
{
	(void)state;
	static const char *const lr[2][2] = {{"train.optimizer=sgd", "train.lr=1"},
					     {"train.optimizer=sgd", "train.lr=1.5"}};
	bool first[2] = {false, false};
	for (int i = 0; i < 2; i++) {
		struct scenario sc;
		parse_pair(&sc, lr[i], 2);
		for (uint64_t s = 1; s <= 5; s += 2) {
			struct pair_end e;
			check_to_end(&sc, s, s + 1, sc.train.epochs, &e);
			assert_true(e.diverged[0] || e.diverged[1]);
			first[0] |= e.diverged[0] && !e.diverged[1];
			first[1] |= e.diverged[1] && !e.diverged[0];
		}
	}
	assert_true(first[0] && first[1]);
}

/* Paths on two threads: the same bits as on one: the line, the lines as
 * trained and matched (the matching beside the first), and the curve. */
static void test_paths_same_on_two_threads(void **state)
{
	(void)state;
	struct scenario sc;
	parse_pair(&sc, NULL, 0);
	struct netpair p;
	assert_int_equal(netpair_create(&p, &sc, sc.model.widths[0], sc.seed, 1, 2), 0);
	assert_int_equal(netpair_create_matching(&p), 0);
	for (int e = 0; e < 30; e++)
		netpair_train(&p, NULL, 0);
	struct netpair_grid g;
	netpair_grid(&g, 21, NETPAIR_ROUND_EACH);
	const float *a = p.net[0].net.params, *b = p.net[1].net.params;
	double want[3][SCENARIO_MAX_ALPHA], wb[4], got[3][SCENARIO_MAX_ALPHA], gb[4];
	struct workers *team = workers_create(2);
	for (int pass = 0; pass < 2; pass++) {
		double(*out)[SCENARIO_MAX_ALPHA] = pass ? got : want;
		double *bar = pass ? gb : wb;
		netpair_use_workers(&p, pass ? team : NULL);
		bar[0] = netpair_line(&p, &g, b, a);
		memcpy(out[0], p.path, sizeof p.path);
		netpair_lines_matched(&p, &g, &bar[1], &bar[2]);
		memcpy(out[1], p.path, sizeof p.path);
		memcpy(out[2], p.path2, sizeof p.path2);
		assert_memory_equal(out[2], out[0], sizeof p.path); /* the plain line, again */
		bar[3] = netpair_curve(&p, &g, a, p.matched.params, b);
		memcpy(out[2], p.path, sizeof p.path);
	}
	workers_destroy(team);
	assert_memory_equal(got, want, sizeof got);
	assert_memory_equal(gb, wb, sizeof gb);
	netpair_destroy(&p);
}

int main(void)
{
	linalg_set_threads(1); /* as the program runs OpenBLAS (workers_startup) */
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_shipped_kinds_same_on_two_threads),
		cmocka_unit_test(test_barrier_width_schedules),
		cmocka_unit_test(test_to_end_both_stop),
		cmocka_unit_test(test_to_end_limit),
		cmocka_unit_test(test_to_end_divergence),
		cmocka_unit_test(test_paths_same_on_two_threads),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
