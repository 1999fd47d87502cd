/* test_cancel.c: the experiments whose create() or step() can run long give
 * way to a cancel (run_loop.h). With the flag up, such a create() fails and
 * run_loop_open says "PATH: cancelled"; such a step() returns false having
 * sent nothing (a half-done step has nothing true to say). Each case is a
 * shipped scenario, so the checks are the ones a classroom run meets. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "overparam/run_loop.h"

struct counter {
	int records;
};

static void count_emit(void *ctx, const struct op_record *rec)
{
	(void)rec;
	((struct counter *)ctx)->records++;
}

static void load(const char *path, struct scenario *sc)
{
	char err[SCENARIO_ERR_LEN];
	if (scenario_load(path, sc, err, sizeof err) != 0)
		fail_msg("%s", err);
}

/* create() with the flag up: refused, with the one message. */
static void create_gives_way(const char *path)
{
	static struct scenario sc; /* large */
	load(path, &sc);
	struct counter c = {0};
	struct emitter em = {.emit = count_emit, .ctx = &c, .generation = 1};
	struct run_loop r;
	char err[SCENARIO_ERR_LEN] = "", want[SCENARIO_ERR_LEN];
	run_cancel();
	int rc = run_loop_open(&r, experiment_ops_for(sc.kind), &sc, sc.seed, NULL, &em, err, sizeof err);
	run_cancel_clear();
	assert_int_equal(rc, -1);
	assert_null(r.x);
	snprintf(want, sizeof want, "%s: cancelled", path);
	assert_string_equal(err, want);
	assert_int_equal(c.records, 0);
}

/* step() with the flag up: over, nothing sent. The flag down again, the
 * same experiment is still whole enough to destroy. */
static void step_gives_way(const char *path)
{
	static struct scenario sc;
	load(path, &sc);
	struct counter c = {0};
	struct emitter em = {.emit = count_emit, .ctx = &c, .generation = 1};
	const struct experiment_ops *ops = experiment_ops_for(sc.kind);
	struct experiment *x = NULL;
	char err[SCENARIO_ERR_LEN];
	if (ops->create(&sc, sc.seed, &x, err, sizeof err) != 0)
		fail_msg("%s", err);
	run_cancel();
	bool more = ops->step(x, &em);
	run_cancel_clear();
	assert_false(more);
	assert_int_equal(c.records, 0);
	ops->destroy(x);
}

static void test_creates_give_way(void **state)
{
	(void)state;
	create_gives_way("scenarios/03-benign-overfitting.ini");  /* min-norm solves */
	create_gives_way("scenarios/05-benign-vs-harmful.ini");   /* two of them */
	create_gives_way("scenarios/06-double-descent.ini");      /* its draws */
	create_gives_way("scenarios/09-barrier-vs-width.ini");    /* a pair per width */
	create_gives_way("scenarios/11-lottery-tickets.ini");     /* the teacher's labels */
}

static void test_steps_give_way(void **state)
{
	(void)state;
	step_gives_way("scenarios/01-optimization-ease.ini");     /* models of one epoch */
	step_gives_way("scenarios/06-double-descent.ini");        /* draws of one grid point */
	step_gives_way("scenarios/09-barrier-vs-width.ini");      /* training to the target */
	step_gives_way("scenarios/10-lazy-training.ini");         /* the kernel */
}

/* The flag down, nothing changes: a whole run as before, to MET_DONE. */
static void test_flag_down_runs_whole(void **state)
{
	(void)state;
	static struct scenario sc;
	load("scenarios/09-barrier-vs-width.ini", &sc);
	struct counter c = {0};
	struct emitter em = {.emit = count_emit, .ctx = &c, .generation = 1};
	char err[SCENARIO_ERR_LEN];
	struct run_stats st;
	assert_false(run_cancelled());
	assert_int_equal(experiment_run(experiment_ops_for(sc.kind), &sc, sc.seed, NULL, &em, &st, err, sizeof err), 0);
	assert_int_equal(st.epochs, sc.model.n_widths);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_creates_give_way),
		cmocka_unit_test(test_steps_give_way),
		cmocka_unit_test(test_flag_down_runs_whole),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
