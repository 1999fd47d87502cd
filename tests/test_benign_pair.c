/* test_benign_pair.c: benign vs harmful side by side (scenario 5). The
 * effective ranks of Bartlett, Long, Lugosi, Tsigler (2020) against values
 * worked out by hand; the pair's two series are exactly the spiked and the
 * isotropic single runs (one teacher, the same draws, the same labels); the
 * facts the class is shown, for seeds 42, 1 and 2; and the lambda_tail knob
 * turning the spiked side harmful. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "overparam/experiment.h"
#include "overparam/history.h"
#include "overparam/linalg.h"
#include "overparam/linear.h"
#include "overparam/run_loop.h"
#include "overparam/scenario.h"

#define PAIR_FILE "scenarios/05-benign-vs-harmful.ini"

static const uint64_t seeds[] = {42, 1, 2};

static void load(const char *path, struct scenario *sc)
{
	char err[SCENARIO_ERR_LEN];
	if (scenario_load(path, sc, err, sizeof err) != 0)
		fail_msg("%s", err);
}

static void emit_to_history(void *ctx, const struct op_record *rec)
{
	history_add(ctx, rec);
}

/* The loop the headless runner and the trainer run (run_loop.h);
 * keep_points keeps every epoch's values for comparing curves. */
static void run_scenario(const struct scenario *sc, uint64_t seed, bool keep_points, struct history *h,
			 struct run_desc *d)
{
	const struct experiment_ops *ops = experiment_ops_for(sc->kind);
	ops->describe(sc, d);
	history_init(h, keep_points);
	struct emitter em = {.emit = emit_to_history, .ctx = h, .generation = 1};
	char err[SCENARIO_ERR_LEN];
	if (experiment_run(ops, sc, seed, NULL, &em, NULL, err, sizeof err) != 0)
		fail_msg("%s", err);
}

static int knob_index(const struct scenario *sc, const char *name)
{
	for (int i = 0; i < sc->n_knobs; i++)
		if (strcmp(sc->knobs[i].name, name) == 0)
			return i;
	fail_msg("no knob %s", name);
	return -1;
}

/* ---- effective ranks ------------------------------------------------------ */

static void ranks_of(const double *lambda, int p, int n, double b, struct eff_ranks *er)
{
	assert_int_equal(linear_effective_ranks(lambda, p, n, b, er), 0);
}

static void test_effective_ranks_hand_values(void **state)
{
	(void)state;
	struct eff_ranks er;
	static double lam[2000];

	/* Scenario 5's spiked side: 10 of variance 1, 490 of 0.01, n = 100.
	 * tr = 14.9 so r_0 = 14.9; r_k = 14.9 - k < 100 for k < 10, and
	 * r_10 = 4.9 / 0.01 = 490 >= 100, so k* = 10 and
	 * R_10 = 4.9^2 / (490 * 0.01^2) = 490. */
	for (int j = 0; j < 500; j++)
		lam[j] = j < 10 ? 1.0 : 0.01;
	ranks_of(lam, 500, 100, 1.0, &er);
	assert_float_equal(er.r0, 14.9, 1e-9);
	assert_int_equal(er.kstar, 10);
	assert_float_equal(er.r_kstar, 490, 1e-7);
	assert_float_equal(er.R_kstar, 490, 1e-7);

	/* Isotropic, p = 500: r_0 = 500 >= 100 at once, k* = 0, R_0 = p. */
	for (int j = 0; j < 500; j++)
		lam[j] = 1.0;
	ranks_of(lam, 500, 100, 1.0, &er);
	assert_float_equal(er.r0, 500, 1e-9);
	assert_int_equal(er.kstar, 0);
	assert_float_equal(er.R_kstar, 500, 1e-9);

	/* p = 50 < n: r_k = 50 - k never reaches 100, so there is no k*. */
	ranks_of(lam, 50, 100, 1.0, &er);
	assert_float_equal(er.r0, 50, 1e-12);
	assert_int_equal(er.kstar, -1);
	assert_true(isnan(er.R_kstar));

	/* (4, 2, 1, 1, 1, 1), n = 4: r_0 = 10/4, r_1 = 6/2 = 3, r_2 = 4/1 = 4
	 * >= 4, so k* = 2, R_2 = 4^2 / 4 = 4. */
	const double steps[] = {4, 2, 1, 1, 1, 1};
	ranks_of(steps, 6, 4, 1.0, &er);
	assert_float_equal(er.r0, 2.5, 1e-12);
	assert_int_equal(er.kstar, 2);
	assert_float_equal(er.r_kstar, 4, 1e-12);
	assert_float_equal(er.R_kstar, 4, 1e-12);

	/* (1, 1/2, 1/4, 1/8): r_0 = 1.875, r_1 = 1.75, r_2 = 1.5, r_3 = 1,
	 * falling, so k* is 0 or nothing. n = 2, b = 1: none reaches 2.
	 * b = 0.5 (b n = 1): k* = 0, R_0 = 1.875^2 / (1 + 1/4 + 1/16 + 1/64)
	 * = 45/17. */
	const double halves[] = {1, 0.5, 0.25, 0.125};
	ranks_of(halves, 4, 2, 1.0, &er);
	assert_float_equal(er.r0, 1.875, 1e-12);
	assert_int_equal(er.kstar, -1);
	ranks_of(halves, 4, 2, 0.5, &er);
	assert_int_equal(er.kstar, 0);
	assert_float_equal(er.R_kstar, 45.0 / 17.0, 1e-12);
	assert_float_equal(er.r_kstar, 1.875, 1e-12);

	/* A long tail of tiny values is summed, not lost: 1 then 1999 of
	 * 1e-9 gives r_0 = 1 + 1.999e-6. */
	lam[0] = 1;
	for (int j = 1; j < 2000; j++)
		lam[j] = 1e-9;
	ranks_of(lam, 2000, 1, 1.0, &er);
	assert_float_equal(er.r0, 1 + 1.999e-6, 1e-15);
}

static void test_effective_ranks_refuse_bad_input(void **state)
{
	(void)state;
	struct eff_ranks er;
	const double up[] = {1, 2, 3}, neg[] = {1, -1}, zero[] = {0, 0};
	assert_int_equal(linear_effective_ranks(up, 3, 1, 1.0, &er), -1); /* not descending */
	assert_int_equal(linear_effective_ranks(neg, 2, 1, 1.0, &er), -1);
	assert_int_equal(linear_effective_ranks(zero, 2, 1, 1.0, &er), -1);
	assert_int_equal(linear_effective_ranks(up, 0, 1, 1.0, &er), -1);
	assert_int_equal(linear_effective_ranks(neg, 1, 0, 1.0, &er), -1);
	assert_int_equal(linear_effective_ranks(neg, 1, 1, 0.0, &er), -1);
}

static void test_verdict_words(void **state)
{
	(void)state;
	assert_string_equal(metric_word(MET_VERDICT, 0), "fitting");
	assert_string_equal(metric_word(MET_VERDICT, 1), "harmful");
	assert_string_equal(metric_word(MET_VERDICT, 2), "benign");
	assert_null(metric_word(MET_VERDICT, 3));
	assert_null(metric_word(MET_VERDICT, -1));
	assert_null(metric_word(MET_VERDICT, NAN));
	assert_null(metric_word(MET_TEST_LOSS, 1));
}

/* ---- the pair ------------------------------------------------------------- */

static void assert_same_curve(const struct history *a, int sa, const struct history *b, int sb, enum metric m)
{
	const struct point_series *pa = &a->pts[sa][m], *pb = &b->pts[sb][m];
	assert_true(pa->n > 100);
	assert_int_equal(pa->n, pb->n);
	for (uint32_t i = 0; i < pa->n; i++) {
		assert_int_equal(pa->epoch[i], pb->epoch[i]);
		if (memcmp(&pa->value[i], &pb->value[i], sizeof pa->value[i]) != 0)
			fail_msg("%s differs at point %u: %g vs %g", metric_name(m), i, pa->value[i], pb->value[i]);
	}
}

/* Series 0 of the pair is the spiked single run and series 1 the isotropic
 * one, point for point: so both saw the same teacher, the same draws and
 * the same labels, and only the covariance tells them apart. */
static void test_pair_is_the_two_single_runs(void **state)
{
	(void)state;
	struct scenario pair, spiked, iso;
	load(PAIR_FILE, &pair);
	assert_int_equal(pair.data.covariance, COV_BOTH);
	pair.train.epochs = 300;
	spiked = pair;
	spiked.data.covariance = COV_SPIKED;
	iso = pair;
	iso.data.covariance = COV_ISOTROPIC;
	struct history hp, hs, hi;
	struct run_desc dp, ds, di;
	run_scenario(&pair, 7, true, &hp, &dp);
	run_scenario(&spiked, 7, true, &hs, &ds);
	run_scenario(&iso, 7, true, &hi, &di);
	assert_int_equal(dp.n_series, 2);
	assert_string_equal(dp.series_label[0], "spiked");
	assert_string_equal(dp.series_label[1], "isotropic");
	const enum metric curves[] = {MET_TRAIN_LOSS, MET_TEST_LOSS, MET_NORM_SIGNAL, MET_NORM_NOISE};
	for (size_t c = 0; c < sizeof curves / sizeof *curves; c++) {
		assert_same_curve(&hp, 0, &hs, 0, curves[c]);
		assert_same_curve(&hp, 1, &hi, 0, curves[c]);
	}
	/* and they differ from each other: the covariance does matter */
	assert_true(fabs(hp.last[0][MET_TEST_LOSS] - hp.last[1][MET_TEST_LOSS]) > 1.0);
	history_free(&hp);
	history_free(&hs);
	history_free(&hi);
}

static void test_pair_facts(void **state)
{
	(void)state;
	struct scenario sc;
	load(PAIR_FILE, &sc);
	double s2 = sc.data.noise * sc.data.noise, n = sc.data.samples;
	for (size_t i = 0; i < sizeof seeds / sizeof *seeds; i++) {
		struct history h;
		struct run_desc d;
		run_scenario(&sc, seeds[i], false, &h, &d);
		print_message("seed %llu: spiked train %.3g test %.4g, isotropic train %.3g test %.4g\n",
			      (unsigned long long)seeds[i], h.last[0][MET_TRAIN_LOSS], h.last[0][MET_TEST_LOSS],
			      h.last[1][MET_TRAIN_LOSS], h.last[1][MET_TEST_LOSS]);
		/* both fit every noisy label ... */
		assert_true(h.last[0][MET_TRAIN_LOSS] < 1e-8);
		assert_true(h.last[1][MET_TRAIN_LOSS] < 1e-8);
		/* ... the spiked fit stays near the noise floor, the isotropic
		 * one is far off it */
		assert_true(h.last[0][MET_TEST_LOSS] < 2 * s2);
		assert_true(h.last[1][MET_TEST_LOSS] > 1.0);
		assert_true(h.last[0][MET_VERDICT] == 2);
		assert_true(h.last[1][MET_VERDICT] == 1);
		/* the table's ranks: the hand values above, over n */
		assert_float_equal(h.last[0][MET_R0_OVER_N], 14.9 / n, 1e-12);
		assert_float_equal(h.last[0][MET_KSTAR_OVER_N], 10 / n, 1e-12);
		assert_float_equal(h.last[0][MET_N_OVER_RKSTAR], n / 490, 1e-9);
		assert_float_equal(h.last[1][MET_R0_OVER_N], 500 / n, 1e-12);
		assert_float_equal(h.last[1][MET_KSTAR_OVER_N], 0, 0);
		assert_float_equal(h.last[1][MET_N_OVER_RKSTAR], n / 500, 1e-12);
		history_free(&h);
	}
}

/* Until the noise is fitted there is no verdict to give: "fitting". */
static void test_verdict_waits_for_the_fit(void **state)
{
	(void)state;
	struct scenario sc;
	load(PAIR_FILE, &sc);
	sc.train.epochs = 1;
	struct history h;
	struct run_desc d;
	run_scenario(&sc, 42, false, &h, &d);
	assert_true(h.last[0][MET_VERDICT] == 0);
	assert_true(h.last[1][MET_VERDICT] == 0);
	history_free(&h);
}

/* The tail knob: at 0.1 the weak features are no longer weak enough (r_0/n
 * 0.59) and the spiked fit turns harmful; the isotropic side is unchanged. */
static void test_tail_knob_turns_it_harmful(void **state)
{
	(void)state;
	struct scenario sc;
	load(PAIR_FILE, &sc);
	char err[SCENARIO_ERR_LEN];
	if (scenario_apply_knob(&sc, knob_index(&sc, "tail"), 0.1, err, sizeof err) != 0)
		fail_msg("%s", err);
	assert_float_equal(sc.data.lambda_tail, 0.1, 1e-15);
	double s2 = sc.data.noise * sc.data.noise;
	struct history h;
	struct run_desc d;
	run_scenario(&sc, 42, false, &h, &d);
	print_message("tail 0.1: spiked test %.4g, isotropic %.4g\n", h.last[0][MET_TEST_LOSS], h.last[1][MET_TEST_LOSS]);
	assert_true(h.last[0][MET_TEST_LOSS] >= 2 * s2);
	assert_true(h.last[0][MET_VERDICT] == 1);
	assert_float_equal(h.last[0][MET_R0_OVER_N], 0.59, 1e-12);
	assert_true(h.last[1][MET_TEST_LOSS] > 1.0);
	history_free(&h);
}

int main(void)
{
	linalg_set_threads(1); /* as the program runs them */
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_effective_ranks_hand_values),
		cmocka_unit_test(test_effective_ranks_refuse_bad_input),
		cmocka_unit_test(test_verdict_words),
		cmocka_unit_test(test_pair_is_the_two_single_runs),
		cmocka_unit_test(test_pair_facts),
		cmocka_unit_test(test_verdict_waits_for_the_fit),
		cmocka_unit_test(test_tail_knob_turns_it_harmful),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
