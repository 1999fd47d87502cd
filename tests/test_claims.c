/* test_claims.c: the claims every scenario makes (claim.h), as the Why
 * panel, the CLAIM lines and --study rely on them. Every shipped scenario
 * has claims with sound ids; a run with no records yet claims nothing (not
 * yet), and a finished one with no figures says undecided, never holds or
 * fails, and a figure not there yet reads "-", not nan, inf or a 0 no
 * record gave; the benign kind's claims follow the covariance; and on records
 * built by hand the verdict, the figure and the sentence are the ones
 * computed here from the same numbers: holds, fails once finished (not yet
 * before), undecided once a model diverged. */
#include <glob.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "overparam/claim.h"
#include "overparam/experiment.h"
#include "overparam/history.h"
#include "overparam/scenario.h"

static void load(const char *path, struct scenario *sc, struct run_desc *d)
{
	char err[SCENARIO_ERR_LEN];
	if (scenario_load(path, sc, err, sizeof err) != 0)
		fail_msg("%s", err);
	experiment_describe(sc, d);
}

static void put(struct history *h, uint32_t epoch, int series, enum metric m, uint32_t index, double v)
{
	struct op_record r = {.generation = 1, .epoch = epoch, .series = (uint16_t)series, .metric = (uint16_t)m,
			      .index = index, .value = v};
	history_add(h, &r);
}

static void start(struct history *h)
{
	history_init(h, false);
	put(h, 0, 0, MET_START, 0, 42);
}

/* Scenario `path` with no records yet: only its start. */
static void load_started(const char *path, struct scenario *sc, struct run_desc *d, struct history *h)
{
	load(path, sc, d);
	start(h);
}

/* The evaluation of claim `id` of sc on h; fails the test when sc has none. */
static struct claim_eval eval_one(const struct scenario *sc, const struct run_desc *d, const struct history *h,
				  bool finished, const char *id)
{
	const struct claim *which[CLAIM_MAX];
	struct claim_eval e[CLAIM_MAX];
	int n = claim_evaluate(sc, d, h, finished, which, e);
	for (int i = 0; i < n; i++)
		if (strcmp(which[i]->id, id) == 0)
			return e[i];
	fail_msg("%s has no claim %s", sc->path, id);
	return e[0];
}

static void shipped_scenarios_have_claims(void **state)
{
	(void)state;
	glob_t g;
	if (glob("scenarios/*.ini", 0, NULL, &g) != 0)
		fail_msg("no scenarios/*.ini (run from the repository root)");
	assert_true(g.gl_pathc >= 13); /* every shipped scenario, the landscape ones too */
	for (size_t f = 0; f < g.gl_pathc; f++) {
		struct scenario sc;
		struct run_desc d;
		load(g.gl_pathv[f], &sc, &d);
		assert_true(experiment_ops_for(sc.kind)->n_claims <= CLAIM_MAX);
		struct history h;
		start(&h);
		const struct claim *which[CLAIM_MAX];
		struct claim_eval live[CLAIM_MAX], done[CLAIM_MAX];
		int n = claim_evaluate(&sc, &d, &h, false, which, live);
		assert_int_equal(claim_evaluate(&sc, &d, &h, true, which, done), n);
		if (n < 1)
			fail_msg("%s: no claim", sc.path);
		for (int i = 0; i < n; i++) {
			const char *id = which[i]->id;
			assert_true(strlen(id) > 0 && strspn(id, "abcdefghijklmnopqrstuvwxyz0123456789-") == strlen(id));
			assert_true(which[i]->figure && which[i]->figure[0]);
			assert_null(strchr(which[i]->figure, '|')); /* a cell of docs/claims.md */
			for (int j = 0; j < i; j++)
				assert_string_not_equal(which[j]->id, id);
			if (live[i].verdict != CLAIM_NOT_YET || done[i].verdict != CLAIM_UNDECIDED)
				fail_msg("%s %s: with no records, %s live and %s finished", sc.path, id,
					 claim_verdict_word(live[i].verdict), claim_verdict_word(done[i].verdict));
			assert_true(strlen(live[i].text) > 0);
			if (strstr(live[i].text, "nan") || strstr(live[i].text, "inf"))
				fail_msg("%s %s: a missing figure reads nan or inf: %s", sc.path, id, live[i].text);
		}
		history_free(&h);
	}
	globfree(&g);
}

/* Before any record, a figure reads "-": the sentences that once quoted a
 * 0 (a running maximum's start) or inf as if measured, each with the part
 * that must read so now. The widths of 9's sentences are the ones the run
 * will reach, not the first width twice. */
static void no_records_no_figures(void **state)
{
	(void)state;
	static const struct {
		const char *path, *id, *part;
	} want[] = {
		{"scenarios/01-optimization-ease.ini", "test-gap", "stays - to -,"},
		{"scenarios/03-benign-overfitting.ini", "interpolates", "train MSE -, - of sigma^2"},
		{"scenarios/03-benign-overfitting.ini", "min-norm", "interpolant: - apart"},
		{"scenarios/06-double-descent.ini", "interpolates-from-n", "train MSE at most - (under"},
		{"scenarios/09-barrier-vs-width.ini", "falls-with-width", "from width 16 to 256 (- to -;"},
		{"scenarios/09-barrier-vs-width.ini", "levels-off", "from width 128 to 256 the"},
		{"scenarios/12-edge-of-stability.ini", "edge-sharpness-rises", "starts at - of 2/lr"},
		{"scenarios/12-edge-of-stability.ini", "edge-sharpness-stays", "(largest deviation -,"},
		{"scenarios/12-edge-of-stability.ini", "edge-loss-falls", "falls to - of its start"},
	};
	for (size_t k = 0; k < sizeof want / sizeof *want; k++) {
		struct scenario sc;
		struct run_desc d;
		struct history h;
		load_started(want[k].path, &sc, &d, &h);
		struct claim_eval e = eval_one(&sc, &d, &h, false, want[k].id);
		if (!strstr(e.text, want[k].part))
			fail_msg("%s %s: no \"%s\" in: %s", want[k].path, want[k].id, want[k].part, e.text);
		assert_int_equal(e.verdict, CLAIM_NOT_YET);
		history_free(&h);
	}
}

static void benign_claims_follow_the_covariance(void **state)
{
	(void)state;
	static const struct {
		const char *path;
		const char *ids;
	} want[] = {
		{"scenarios/03-benign-overfitting.ini", "interpolates min-norm benign"},
		{"scenarios/04-harmful-overfitting.ini", "interpolates min-norm harmful"},
		{"scenarios/05-benign-vs-harmful.ini", "interpolates min-norm benign harmful spiked-beats-isotropic"},
	};
	for (size_t k = 0; k < sizeof want / sizeof *want; k++) {
		struct scenario sc;
		struct run_desc d;
		struct history h;
		load_started(want[k].path, &sc, &d, &h);
		const struct claim *which[CLAIM_MAX];
		struct claim_eval e[CLAIM_MAX];
		int n = claim_evaluate(&sc, &d, &h, true, which, e);
		char ids[256] = "";
		for (int i = 0; i < n; i++)
			snprintf(ids + strlen(ids), sizeof ids - strlen(ids), "%s%s", i ? " " : "", which[i]->id);
		assert_string_equal(ids, want[k].ids);
		history_free(&h);
	}
}

/* Scenario 11's rounds: ticket and re-initialised test loss at each. */
static void lottery_rounds(struct history *h, const struct run_desc *d, const double *tk, const double *rn)
{
	for (int i = 0; i < d->n_grid; i++) {
		put(h, (uint32_t)(200 * i + 199), 0, MET_LT_TEST, (uint32_t)i, tk[i]);
		put(h, (uint32_t)(200 * i + 199), 1, MET_LT_TEST, (uint32_t)i, rn[i]);
	}
}

static void lottery_verdicts_and_figures(void **state)
{
	(void)state;
	struct scenario sc;
	struct run_desc d;
	load("scenarios/11-lottery-tickets.ini", &sc, &d);
	assert_int_equal(d.n_grid, 11);
	double tk[11], rn[11];
	for (int i = 0; i < 11; i++) {
		tk[i] = 0.08 - 0.005 * i;
		rn[i] = i < 6 ? tk[i] * 1.2 : tk[i] * 2.5; /* behind by 1.5x and more from round 6 */
	}
	struct history h;
	start(&h);
	lottery_rounds(&h, &d, tk, rn);
	struct claim_eval e = eval_one(&sc, &d, &h, true, "ticket-beats-reinit");
	assert_int_equal(e.verdict, CLAIM_HOLDS);
	assert_float_equal(e.figure, rn[10] / tk[10], 1e-12);
	char num[32];
	snprintf(num, sizeof num, "%.3gx", rn[10] / tk[10]);
	assert_non_null(strstr(e.text, num));
	snprintf(num, sizeof num, "%.1f%% kept", d.grid_x[10]);
	assert_non_null(strstr(e.text, num));

	/* 2.5x is not 3x: fails once finished, not yet while running */
	assert_int_equal(eval_one(&sc, &d, &h, true, "reinit-3x-behind").verdict, CLAIM_FAILS);
	assert_int_equal(eval_one(&sc, &d, &h, false, "reinit-3x-behind").verdict, CLAIM_NOT_YET);

	e = eval_one(&sc, &d, &h, true, "reinit-falls-behind");
	assert_int_equal(e.verdict, CLAIM_HOLDS);
	assert_float_equal(e.figure, d.grid_x[6], 1e-12);

	e = eval_one(&sc, &d, &h, true, "ticket-holds");
	assert_int_equal(e.verdict, CLAIM_HOLDS);
	assert_float_equal(e.figure, tk[10] / tk[0], 1e-12);

	/* the re-initialised mask wins at the end: the ticket claim fails */
	put(&h, 2199, 1, MET_LT_TEST, 10, tk[10] / 2);
	assert_int_equal(eval_one(&sc, &d, &h, true, "ticket-beats-reinit").verdict, CLAIM_FAILS);
	assert_int_equal(eval_one(&sc, &d, &h, true, "reinit-falls-behind").verdict, CLAIM_FAILS);

	/* a diverged model: no verdict at all */
	put(&h, 2200, 0, MET_DIVERGED, 0, INFINITY);
	assert_int_equal(eval_one(&sc, &d, &h, true, "ticket-beats-reinit").verdict, CLAIM_UNDECIDED);
	assert_int_equal(eval_one(&sc, &d, &h, true, "ticket-holds").verdict, CLAIM_UNDECIDED);
	history_free(&h);
}

static void barrier_verdicts(void **state)
{
	(void)state;
	struct scenario sc;
	struct run_desc d;
	load("scenarios/02-mode-connectivity.ini", &sc, &d);
	struct history h;
	start(&h);
	put(&h, 5, 0, MET_BARRIER, 0, 0.05);
	struct claim_eval e = eval_one(&sc, &d, &h, false, "line-barrier");
	assert_int_equal(e.verdict, CLAIM_NOT_YET);
	assert_int_equal(eval_one(&sc, &d, &h, true, "line-barrier").verdict, CLAIM_FAILS);
	put(&h, 10, 0, MET_BARRIER, 0, 0.431);
	e = eval_one(&sc, &d, &h, false, "line-barrier");
	assert_int_equal(e.verdict, CLAIM_HOLDS);
	assert_float_equal(e.figure, 0.431, 0);
	assert_non_null(strstr(e.text, "0.431"));
	/* one net stopped, the other did not: fails at the end */
	put(&h, 120, 0, MET_TRAIN_LOSS, 0, 1e-7);
	put(&h, 120, 1, MET_TRAIN_LOSS, 0, 1e-5);
	assert_int_equal(eval_one(&sc, &d, &h, false, "both-fit").verdict, CLAIM_NOT_YET);
	put(&h, 120, 0, MET_CONVERGED, 0, 120);
	e = eval_one(&sc, &d, &h, true, "both-fit");
	assert_int_equal(e.verdict, CLAIM_FAILS);
	put(&h, 130, 1, MET_CONVERGED, 0, 130);
	e = eval_one(&sc, &d, &h, true, "both-fit");
	assert_int_equal(e.verdict, CLAIM_HOLDS);
	assert_float_equal(e.figure, 130, 0);
	history_free(&h);
}

static void verdict_words(void **state)
{
	(void)state;
	assert_string_equal(claim_verdict_word(CLAIM_NOT_YET), "not yet");
	assert_string_equal(claim_verdict_word(CLAIM_HOLDS), "holds");
	assert_string_equal(claim_verdict_word(CLAIM_FAILS), "fails");
	assert_string_equal(claim_verdict_word(CLAIM_UNDECIDED), "undecided");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(shipped_scenarios_have_claims),
		cmocka_unit_test(no_records_no_figures),
		cmocka_unit_test(benign_claims_follow_the_covariance),
		cmocka_unit_test(lottery_verdicts_and_figures),
		cmocka_unit_test(barrier_verdicts),
		cmocka_unit_test(verdict_words),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
