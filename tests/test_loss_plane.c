/* test_loss_plane.c: the loss plane's coordinates, checked from outside.
 * A short run of scenarios/13-loss-plane.ini (narrow nets, a loose target)
 * maps its plane; the test then builds the plane itself from the three
 * trained points (its own Gram-Schmidt, in double): A, B and the bend must
 * sit where the run marked them on the map, the drawn paths must be the
 * segment and the Bezier curve through those marks, and the loss at map
 * points must be the loss of the net at those plane coordinates, evaluated
 * here on data built here. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "experiments/loss_plane.h"
#include "overparam/experiment.h"
#include "overparam/history.h"
#include "overparam/netpair.h"
#include "overparam/run_loop.h"

#define SCENARIO "scenarios/13-loss-plane.ini"

static void to_history(void *ctx, const struct op_record *rec)
{
	history_add(ctx, rec);
}

struct plane_run {
	struct scenario sc;
	struct history h;
	struct run_loop r;
	struct emitter em;
};

static void plane_run(struct plane_run *p, const char *plane)
{
	const char *sets[] = {"model.widths=24", "train.epochs=300", "train.target_loss=1e-3", plane};
	char err[SCENARIO_ERR_LEN];
	if (scenario_load_sets(SCENARIO, sets, 4, &p->sc, err, sizeof err) != 0)
		fail_msg("%s", err);
	history_init(&p->h, false);
	p->em = (struct emitter){.emit = to_history, .ctx = &p->h, .generation = p->h.generation};
	const struct experiment_ops *ops = experiment_ops_for(p->sc.kind);
	if (run_loop_open(&p->r, ops, &p->sc, p->sc.seed, NULL, &p->em, err, sizeof err) != 0)
		fail_msg("%s", err);
	while (run_loop_step(&p->r))
		;
	run_loop_finish(&p->r);
}

static void plane_free(struct plane_run *p)
{
	run_loop_close(&p->r);
	history_free(&p->h);
}

/* The plane through a, b, c: e1 along b - a, e2 the rest of c - a; the
 * coordinates of b and c. */
static void own_plane(const float *a, const float *b, const float *c, size_t n, double *e1, double *e2,
		      double xy[3][2])
{
	double nb = 0, dc = 0, nc = 0;
	for (size_t i = 0; i < n; i++)
		nb += ((double)b[i] - a[i]) * ((double)b[i] - a[i]);
	nb = sqrt(nb);
	for (size_t i = 0; i < n; i++) {
		e1[i] = ((double)b[i] - a[i]) / nb;
		dc += ((double)c[i] - a[i]) * e1[i];
	}
	for (size_t i = 0; i < n; i++) {
		e2[i] = (double)c[i] - a[i] - dc * e1[i];
		nc += e2[i] * e2[i];
	}
	nc = sqrt(nc);
	for (size_t i = 0; i < n; i++)
		e2[i] /= nc;
	double pts[3][2] = {{0, 0}, {nb, 0}, {dc, nc}};
	memcpy(xy, pts, sizeof pts);
}

/* A run's plane, built here: e1 and e2 (np each, malloc'd), the points. */
static double *run_plane(struct plane_run *p, const float **a, size_t *np, double xy[3][2])
{
	const float *b, *c;
	plane_run(p, "train.random_plane=0");
	loss_plane_points(p->r.x, a, &b, &c);
	*np = (size_t)netpair_params(&p->sc, p->sc.model.widths[0]);
	double *e = malloc(2 * *np * sizeof *e);
	assert_non_null(e);
	own_plane(*a, b, c, *np, e, e + *np, xy);
	return e;
}

static void test_marks_are_a_b_and_the_bend(void **state)
{
	(void)state;
	struct plane_run p;
	const float *a;
	size_t np;
	double xy[3][2], *e = run_plane(&p, &a, &np, xy);
	const double *fr = history_grid(&p.h, LOSS_PLANE_SERIES, MET_PLANE_FRAME);
	const double *mk = history_grid(&p.h, LOSS_PLANE_SERIES, MET_PLANE_MARK);
	assert_non_null(fr);
	assert_non_null(mk);
	assert_true(fr[2] > 0);
	for (int k = 0; k < 3; k++) {
		double col = (xy[k][0] - fr[0]) / fr[2], row = (fr[1] - xy[k][1]) / fr[2];
		if (!(fabs(col - mk[2 * k]) < 1e-6 * LOSS_PLANE_COLS && fabs(row - mk[2 * k + 1]) < 1e-6 * LOSS_PLANE_ROWS))
			fail_msg("mark %d at (%.6f, %.6f), its point at (%.6f, %.6f)", k, mk[2 * k], mk[2 * k + 1], col, row);
		/* inside the map, with a margin */
		assert_true(col > 2 && col < LOSS_PLANE_COLS - 3 && row > 2 && row < LOSS_PLANE_ROWS - 3);
	}
	/* the paths: the segment's middle halfway from A to B, the curve's
	 * middle at A/4 + C/2 + B/4 */
	const double *line = history_grid(&p.h, 2, MET_PLANE_PATH), *curve = history_grid(&p.h, 3, MET_PLANE_PATH);
	int mid = LOSS_PLANE_PATH_POINTS / 2;
	assert_true(fabs(line[2 * mid] - (mk[0] + mk[2]) / 2) < 1e-9);
	assert_true(fabs(curve[2 * mid] - (mk[0] / 4 + mk[4] / 2 + mk[2] / 4)) < 1e-9);
	assert_true(fabs(curve[2 * mid + 1] - (mk[1] / 4 + mk[5] / 2 + mk[3] / 4)) < 1e-9);
	free(e);
	plane_free(&p);
}

/* The loss at map point (row, col), from the plane built here, on the data
 * and net a netpair of the same scenario builds. */
static double direct_loss(struct netpair *q, const float *a, const double *e1, const double *e2, size_t np,
			  const double *fr, int row, int col)
{
	double x = fr[0] + col * fr[2], y = fr[1] - row * fr[2];
	for (size_t i = 0; i < np; i++)
		q->mix.params[i] = (float)(a[i] + x * e1[i] + y * e2[i]);
	return mlp_loss(&q->mix, q->X, q->y, q->n);
}

static void test_map_is_the_loss_there(void **state)
{
	(void)state;
	struct plane_run p;
	const float *a;
	size_t np;
	double xy[3][2], *e = run_plane(&p, &a, &np, xy);
	struct netpair q;
	memset(&q, 0, sizeof q);
	assert_int_equal(netpair_create(&q, &p.sc, p.sc.model.widths[0], p.sc.seed, p.sc.model.init_seeds[0],
					p.sc.model.init_seeds[1]),
			 0);
	const double *fr = history_grid(&p.h, LOSS_PLANE_SERIES, MET_PLANE_FRAME);
	const double *map = history_grid(&p.h, LOSS_PLANE_SERIES, MET_PLANE_LOSS);
	const double *mk = history_grid(&p.h, LOSS_PLANE_SERIES, MET_PLANE_MARK);
	assert_non_null(map);
	int rows[] = {0, LOSS_PLANE_ROWS - 1, 7, 20, (int)lround(mk[1]), (int)lround(mk[5])};
	int cols[] = {0, LOSS_PLANE_COLS - 1, 45, 30, (int)lround(mk[0]), (int)lround(mk[4])};
	for (size_t k = 0; k < sizeof rows / sizeof *rows; k++) {
		double got = map[rows[k] * LOSS_PLANE_COLS + cols[k]];
		double want = direct_loss(&q, a, e, e + np, np, fr, rows[k], cols[k]);
		if (!(fabs(got - want) <= 1e-3 * want))
			fail_msg("map (%d, %d) = %.8g, the loss there %.8g", rows[k], cols[k], got, want);
	}
	/* every point arrived */
	for (int i = 0; i < LOSS_PLANE_ROWS * LOSS_PLANE_COLS; i++)
		assert_true(isfinite(map[i]));
	netpair_destroy(&q);
	free(e);
	plane_free(&p);
}

/* Li et al.'s plane is around A: A alone is marked, at x = y = 0, and the
 * map's centre is the loss of A itself. */
static void test_random_plane_is_around_a(void **state)
{
	(void)state;
	struct plane_run p;
	plane_run(&p, "train.random_plane=1");
	const double *mk = history_grid(&p.h, LOSS_PLANE_SERIES, MET_PLANE_MARK);
	const double *map = history_grid(&p.h, LOSS_PLANE_SERIES, MET_PLANE_LOSS);
	assert_true(fabs(mk[0] - (LOSS_PLANE_COLS - 1) / 2.0) < 1e-9 && fabs(mk[1] - (LOSS_PLANE_ROWS - 1) / 2.0) < 1e-9);
	assert_true(isnan(mk[2]));
	assert_null(history_grid(&p.h, 2, MET_PLANE_PATH));
	double centre = map[(LOSS_PLANE_ROWS / 2) * LOSS_PLANE_COLS + LOSS_PLANE_COLS / 2];
	assert_true(fabs(centre - p.h.last[0][MET_TRAIN_LOSS]) <= 1e-4 * centre);
	plane_free(&p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_marks_are_a_b_and_the_bend),
		cmocka_unit_test(test_map_is_the_loss_there),
		cmocka_unit_test(test_random_plane_is_around_a),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
