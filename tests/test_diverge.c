/* test_diverge.c: the one divergence rule (report.h) and what follows from
 * it. The rule itself: non-finite, or above 1e6 times the starting loss,
 * at its edges. report_decided: no verdict from a diverged or unfinished
 * run. Every shipped scenario whose kind trains with train.lr, at lr 100:
 * a model is called diverged (with a finite loss for the Adam kinds, which
 * only the 1e6 factor catches), stops training, and the report ends
 * "undecided" instead of a verdict. Benign overfitting with no test set
 * prints no NaN and no benign/harmful verdict. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "experiments/report.h"
#include "overparam/experiment.h"
#include "overparam/history.h"
#include "overparam/run_loop.h"
#include "overparam/scenario.h"

/* ---- the rule ------------------------------------------------------------ */

static void test_rule_non_finite_is_diverged(void **state)
{
	(void)state;
	assert_true(report_diverged(NAN, 1.0));
	assert_true(report_diverged(INFINITY, 1.0));
	assert_true(report_diverged(-INFINITY, 1.0));
	assert_true(report_diverged(NAN, NAN));
	assert_true(report_diverged(INFINITY, 0.0));
}

static void test_rule_factor_of_the_start(void **state)
{
	(void)state;
	assert_true(REPORT_DIVERGE_FACTOR == 1e6);
	double start = 0.5, edge = REPORT_DIVERGE_FACTOR * start;
	assert_false(report_diverged(start, start));
	assert_false(report_diverged(1e-30, start));
	assert_false(report_diverged(1e3 * start, start));
	assert_false(report_diverged(edge, start)); /* "above": the edge itself is not */
	assert_true(report_diverged(nextafter(edge, INFINITY), start));
	assert_true(report_diverged(1e13, start));
	assert_true(report_diverged(3.4e20, start));
	/* a start with no scale: only a non-finite loss counts */
	assert_false(report_diverged(1e300, 0.0));
	assert_false(report_diverged(1e300, -1.0));
	assert_false(report_diverged(1e300, NAN));
}

static void test_rule_keeps_the_first_loss(void **state)
{
	(void)state;
	double start = NAN;
	assert_false(report_diverges(&start, 2.0));
	assert_true(start == 2.0);
	assert_false(report_diverges(&start, 0.1)); /* a later loss never moves it */
	assert_true(start == 2.0);
	assert_false(report_diverges(&start, 2e6));
	assert_true(report_diverges(&start, 2.1e6));
	double none = NAN;
	assert_true(report_diverges(&none, NAN)); /* diverged at the very first loss */
}

/* ---- no verdict from a diverged or unfinished run ------------------------ */

static void put(struct history *h, uint32_t epoch, int series, enum metric m, double v)
{
	struct op_record r = {.generation = 1, .epoch = epoch, .series = (uint16_t)series, .metric = (uint16_t)m,
			      .value = v};
	assert_true(history_add(h, &r));
}

/* report_decided's answer, and what it printed into text (len). */
static bool decided(const struct run_desc *d, const struct history *h, const char *series, uint32_t mask,
		    char *text, size_t len)
{
	char *buf = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&buf, &n);
	assert_non_null(f);
	bool ok = report_decided(f, series, d, h, mask);
	fclose(f);
	snprintf(text, len, "%s", buf);
	free(buf);
	return ok;
}

static void test_decided_only_when_finished_and_sane(void **state)
{
	(void)state;
	struct run_desc d = {.n_series = 3};
	snprintf(d.series_label[0], sizeof d.series_label[0], "net A");
	snprintf(d.series_label[1], sizeof d.series_label[1], "net B");
	snprintf(d.series_label[2], sizeof d.series_label[2], "path");
	struct history h;
	history_init(&h, false);
	struct op_record start = {.generation = 1, .metric = MET_START};
	assert_true(history_add(&h, &start));
	char text[256];

	/* unfinished: no MET_DONE yet */
	put(&h, 12, 0, MET_EPOCH, 12);
	assert_false(decided(&d, &h, NULL, REPORT_ALL_SERIES, text, sizeof text));
	assert_string_equal(text, "RESULT: undecided: the run did not finish (12 epochs done)\n");

	/* finished and sane: nothing printed, a verdict may follow */
	put(&h, 12, 0, MET_DONE, 12);
	assert_true(decided(&d, &h, NULL, REPORT_ALL_SERIES, text, sizeof text));
	assert_string_equal(text, "");

	/* B diverged at 9 with a finite loss, then A at 7 (records need not
	 * come in epoch order across series): the first to diverge is named */
	put(&h, 9, 1, MET_DIVERGED, 4.5e13);
	put(&h, 7, 0, MET_DIVERGED, INFINITY);
	assert_false(decided(&d, &h, NULL, REPORT_ALL_SERIES, text, sizeof text));
	assert_string_equal(text, "RESULT: undecided: diverged at epoch 7 (net A); try a smaller train.lr\n");
	assert_false(decided(&d, &h, NULL, 1u << 1, text, sizeof text));
	assert_string_equal(text, "RESULT: undecided: diverged at epoch 9 (net B); try a smaller train.lr\n");
	/* a line that names its series does not name it again */
	assert_false(decided(&d, &h, "net B", 1u << 1, text, sizeof text));
	assert_string_equal(text, "RESULT net B: undecided: diverged at epoch 9; try a smaller train.lr\n");
	/* a verdict about the healthy series alone is still drawn */
	assert_true(decided(&d, &h, NULL, 1u << 2, text, sizeof text));
	assert_string_equal(text, "");
	history_free(&h);
}

/* ---- every kind at lr 100 ------------------------------------------------- */

static const char *const trained[] = {
	"scenarios/01-optimization-ease.ini",   "scenarios/02-mode-connectivity.ini",
	"scenarios/03-benign-overfitting.ini",  "scenarios/04-harmful-overfitting.ini",
	"scenarios/05-benign-vs-harmful.ini",   "scenarios/07-permutation-alignment.ini",
	"scenarios/08-curved-path.ini",         "scenarios/09-barrier-vs-width.ini",
	"scenarios/10-lazy-training.ini",       "scenarios/11-lottery-tickets.ini",
};

/* What the run's records say, checked as they come. */
struct watch {
	struct history h;
	bool diverged[RUN_MAX_SERIES];
	uint32_t at[RUN_MAX_SERIES];
	int trained_after; /* training losses of a series after it diverged */
	int finite;        /* MET_DIVERGED records whose loss is finite */
};

static void watch_emit(void *ctx, const struct op_record *r)
{
	struct watch *w = ctx;
	history_add(&w->h, r);
	if (r->series >= RUN_MAX_SERIES)
		return;
	if (r->metric == MET_TRAIN_LOSS && w->diverged[r->series] && r->epoch > w->at[r->series])
		w->trained_after++;
	if (r->metric == MET_DIVERGED && !w->diverged[r->series]) {
		w->diverged[r->series] = true;
		w->at[r->series] = r->epoch;
		w->finite += isfinite(r->value) != 0;
	}
}

/* The report of a finished run of sc, in a string to free. */
static char *report_of(const struct scenario *sc, const struct run_desc *d, const struct history *h)
{
	char *buf = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&buf, &n);
	assert_non_null(f);
	experiment_ops_for(sc->kind)->report(sc, d, h, f);
	fclose(f);
	return buf;
}

/* No verdict anywhere: each "RESULT[ series]: " goes on "undecided: ". */
static void every_result_undecided(const char *text)
{
	for (const char *r = strstr(text, "RESULT"); r; r = strstr(r + 1, "RESULT")) {
		const char *colon = strstr(r, ": ");
		assert_non_null(colon);
		assert_memory_equal(colon + 2, "undecided: ", strlen("undecided: "));
	}
}

static void run_at_lr_100(const char *path, struct watch *w, struct run_stats *st, struct scenario *sc,
			  struct run_desc *d)
{
	const char *sets[] = {"train.lr=100"};
	char err[SCENARIO_ERR_LEN];
	if (scenario_load_sets(path, sets, 1, sc, err, sizeof err) != 0)
		fail_msg("%s", err);
	const struct experiment_ops *ops = experiment_ops_for(sc->kind);
	ops->describe(sc, d);
	memset(w, 0, sizeof *w);
	history_init(&w->h, false);
	struct emitter em = {.emit = watch_emit, .ctx = w, .generation = 1};
	if (experiment_run(ops, sc, sc->seed, NULL, &em, st, err, sizeof err) != 0)
		fail_msg("%s", err);
}

static void test_every_kind_stops_and_is_undecided_at_lr_100(void **state)
{
	(void)state;
	int adam_finite = 0;
	for (size_t i = 0; i < sizeof trained / sizeof *trained; i++) {
		struct watch w;
		struct run_stats st;
		struct scenario sc;
		struct run_desc d;
		run_at_lr_100(trained[i], &w, &st, &sc, &d);
		char *text = report_of(&sc, &d, &w.h);
		const char *result = strstr(text, "RESULT");
		print_message("%s: %u of %d epochs, %d diverged finite\n%s", trained[i], st.epochs, d.planned_epochs,
			      w.finite, result ? result : "(no RESULT)\n");
		int any = 0;
		for (int s = 0; s < RUN_MAX_SERIES; s++)
			any += w.diverged[s];
		assert_true(any > 0);
		assert_int_equal(w.trained_after, 0);
		/* a diverged run ends early, at once for the Adam pairs */
		assert_true(st.epochs < 50 || (int)st.epochs < d.planned_epochs / 10);
		assert_non_null(result);
		assert_non_null(strstr(result, "undecided: diverged at "));
		every_result_undecided(result);
		assert_null(strstr(text, "no round finished"));
		if (sc.train.optimizer == OPTIM_ADAM)
			adam_finite += w.finite > 0;
		free(text);
		history_free(&w.h);
	}
	/* 02, 07, 08 and 09 train with Adam: its losses stay finite (1e13 ..
	 * 1e20) and only the factor of the start calls them diverged */
	assert_true(adam_finite >= 3);
}

/* ---- no test set ----------------------------------------------------------- */

static const char minimal[] = "[scenario]\n"
			      "kind  = benign_overfitting\n"
			      "title = Linear, isotropic\n"
			      "[data]\n"
			      "samples = 100\n"
			      "dim     = 500\n"
			      "[train]\n"
			      "epochs  = 300\n";

static void test_no_test_set_no_nan_no_verdict(void **state)
{
	(void)state;
	const char *noise[] = {"data.noise=0.3", "data.noise=0"};
	for (int k = 0; k < 2; k++) {
		struct scenario sc;
		char err[SCENARIO_ERR_LEN];
		if (scenario_parse_sets(minimal, sizeof minimal - 1, "minimal.ini", &noise[k], 1, &sc, err, sizeof err) != 0)
			fail_msg("%s", err);
		assert_int_equal(sc.data.test_samples, 0);
		struct run_desc d;
		experiment_ops_for(sc.kind)->describe(&sc, &d);
		struct watch w;
		memset(&w, 0, sizeof w);
		history_init(&w.h, false);
		struct emitter em = {.emit = watch_emit, .ctx = &w, .generation = 1};
		if (experiment_run(experiment_ops_for(sc.kind), &sc, sc.seed, NULL, &em, NULL, err, sizeof err) != 0)
			fail_msg("%s", err);
		char *text = report_of(&sc, &d, &w.h);
		print_message("%s", strstr(text, "RESULT"));
		assert_null(strstr(text, "nan"));
		assert_non_null(strstr(text, "no test set (data.test_samples = 0): test error not measured"));
		assert_null(strstr(text, "harmful overfitting"));
		assert_null(strstr(text, "benign overfitting:"));
		if (k == 0)
			assert_non_null(strstr(text, "RESULT: undecided: no test set (data.test_samples = 0)"));
		else
			assert_non_null(strstr(text, "RESULT: no label noise, so nothing to overfit\n"));
		free(text);
		history_free(&w.h);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rule_non_finite_is_diverged),
		cmocka_unit_test(test_rule_factor_of_the_start),
		cmocka_unit_test(test_rule_keeps_the_first_loss),
		cmocka_unit_test(test_decided_only_when_finished_and_sane),
		cmocka_unit_test(test_every_kind_stops_and_is_undecided_at_lr_100),
		cmocka_unit_test(test_no_test_set_no_nan_no_verdict),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
