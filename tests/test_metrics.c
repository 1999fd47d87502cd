/* test_metrics.c: the metric table (record.c) and each experiment kind's
 * list of the metrics it emits agree with what the runs really send: every
 * shipped scenario is stepped for a while and each record it emits must be
 * a metric of its kind's list, with a table row whose shape fits it. */
#include <glob.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "overparam/experiment.h"
#include "overparam/record.h"
#include "overparam/scenario.h"

/* Enough steps for every kind to emit each metric it has at least once
 * (the grid kinds finish their first point, lottery its first round). */
#define STEP_CAP 400

static bool in_list(const struct experiment_ops *ops, enum metric m)
{
	for (int i = 0; i < ops->n_metrics; i++)
		if (ops->metrics[i] == m)
			return true;
	return false;
}

static void table_has_every_metric(void **state)
{
	(void)state;
	for (int m = 0; m < MET_COUNT; m++) {
		const struct metric_info *mi = metric_info((enum metric)m);
		if (!mi)
			fail_msg("metric %d has no row in record.c's table", m);
		assert_non_null(mi->label);
		assert_true(mi->label[0] != 0);
		assert_non_null(mi->unit);
		assert_true(mi->shape == METRIC_CURVE || mi->shape == METRIC_GRID || mi->shape == METRIC_MAP || mi->shape == METRIC_SCALAR ||
			    mi->shape == METRIC_EVENT);
		assert_int_equal(mi->words != NULL, mi->n_words > 0);
		assert_string_equal(metric_name((enum metric)m), mi->name);
		assert_int_equal(metric_is_grid((enum metric)m), mi->shape == METRIC_GRID || mi->shape == METRIC_MAP);
		for (int o = 0; o < m; o++)
			if (strcmp(metric_info((enum metric)o)->name, mi->name) == 0)
				fail_msg("metrics %d and %d are both called %s", o, m, mi->name);
	}
	assert_null(metric_info(MET_COUNT));
	assert_string_equal(metric_name(MET_COUNT), "unknown");
}

/* The names are the CSV's: files written by earlier versions use them. */
static void csv_names_are_fixed(void **state)
{
	(void)state;
	assert_string_equal(metric_name(MET_TRAIN_LOSS), "train_loss");
	assert_string_equal(metric_name(MET_N_OVER_RKSTAR), "n_over_Rkstar");
	assert_string_equal(metric_name(MET_PAIR_REACHED), "pair_reached_target");
	assert_string_equal(metric_word(MET_VERDICT, 2), "benign");
	assert_null(metric_word(MET_VERDICT, 3));
}

static void every_kind_lists_its_metrics(void **state)
{
	(void)state;
	for (int k = 0; k < KIND_COUNT; k++) {
		const struct experiment_ops *ops = experiment_ops_for((enum scenario_kind)k);
		assert_non_null(ops);
		if (ops->n_metrics <= 0 || !ops->metrics)
			fail_msg("%s lists no metrics", ops->kind);
		for (int i = 0; i < ops->n_metrics; i++) {
			enum metric m = ops->metrics[i];
			assert_non_null(metric_info(m));
			/* the trainer's marks are no experiment's */
			assert_true(m != MET_EPOCH && m != MET_DONE && m != MET_START);
			for (int j = 0; j < i; j++)
				if (ops->metrics[j] == m)
					fail_msg("%s lists %s twice", ops->kind, metric_name(m));
		}
	}
}

struct check {
	const struct scenario *sc;
	const struct experiment_ops *ops;
	bool seen[MET_COUNT];
};

static void check_emit(void *ctx, const struct op_record *rec)
{
	struct check *c = ctx;
	if (rec->metric >= MET_COUNT)
		fail_msg("%s: metric %u is out of range", c->sc->path, rec->metric);
	enum metric m = (enum metric)rec->metric;
	const struct metric_info *mi = metric_info(m);
	if (!mi)
		fail_msg("%s: metric %d has no table row", c->sc->path, (int)m);
	if (!in_list(c->ops, m))
		fail_msg("%s: %s emits %s, missing from its list", c->sc->path, c->ops->kind, mi->name);
	if (rec->series >= RUN_MAX_SERIES)
		fail_msg("%s: %s for series %u", c->sc->path, mi->name, rec->series);
	if (metric_is_grid((enum metric)rec->metric) ? rec->index >= metric_positions((enum metric)rec->metric)
						      : rec->index != 0)
		fail_msg("%s: %s at index %u does not fit its shape", c->sc->path, mi->name, rec->index);
	c->seen[m] = true;
}

/* A metric a view draws must be one the kind emits. */
static void check_views(const struct check *c, const struct run_desc *d)
{
	for (int v = 0; v < d->n_views; v++) {
		const struct view_spec *vs = &d->views[v];
		for (int i = 0; i < vs->n_metrics; i++)
			if (!in_list(c->ops, vs->metrics[i]))
				fail_msg("%s: view '%s' draws %s, not in %s's list", c->sc->path, vs->title,
					 metric_name(vs->metrics[i]), c->ops->kind);
		for (int i = 0; vs->kind == VIEW_TABLE && i < vs->n_cols; i++) {
			const struct table_col *col = &vs->cols[i];
			if (col->format != CELL_LABEL && col->format != CELL_PARAMS && !in_list(c->ops, col->metric))
				fail_msg("%s: column '%s' shows %s, not in %s's list", c->sc->path, col->head,
					 metric_name(col->metric), c->ops->kind);
		}
	}
}

static void run_one(const struct scenario *sc)
{
	static struct check c;
	memset(&c, 0, sizeof c);
	c.sc = sc;
	c.ops = experiment_ops_for(sc->kind);
	assert_non_null(c.ops);
	static struct run_desc d;
	c.ops->describe(sc, &d);
	check_views(&c, &d);

	struct experiment *x = NULL;
	char err[SCENARIO_ERR_LEN];
	if (c.ops->create(sc, sc->seed, &x, err, sizeof err) != 0)
		fail_msg("%s: %s", sc->path, err);
	struct emitter em = {.emit = check_emit, .ctx = &c, .generation = 1};
	for (int step = 0; step < STEP_CAP && c.ops->step(x, &em); step++)
		;
	c.ops->destroy(x);
	int emitted = 0;
	for (int m = 0; m < MET_COUNT; m++)
		emitted += c.seen[m];
	if (emitted == 0)
		fail_msg("%s emitted nothing", sc->path);
}

static void shipped_scenarios_emit_listed_metrics(void **state)
{
	(void)state;
	glob_t g;
	if (glob("scenarios/*.ini", 0, NULL, &g) != 0)
		fail_msg("no scenarios/*.ini (run from the repository root)");
	static struct scenario sc;
	for (size_t i = 0; i < g.gl_pathc; i++) {
		char err[SCENARIO_ERR_LEN];
		if (scenario_load(g.gl_pathv[i], &sc, err, sizeof err) != 0)
			fail_msg("%s", err);
		run_one(&sc);
	}
	globfree(&g);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(table_has_every_metric),
		cmocka_unit_test(csv_names_are_fixed),
		cmocka_unit_test(every_kind_lists_its_metrics),
		cmocka_unit_test(shipped_scenarios_emit_listed_metrics),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
