/* test_alignment.c: what scenarios 7, 8 and 9 show, and the numerics under
 * them. The assignment solver against brute force over every permutation;
 * weight matching recovers a known shuffle and never changes a network's
 * function; the Bezier step's gradient against finite differences; then the
 * shipped scenarios run headless, asserting the facts the class is shown:
 * matching lowers the barrier, a trained curve has far less loss than the
 * line, and the matched barrier falls with width. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "overparam/align.h"
#include "numerics/assign.h"
#include "overparam/experiment.h"
#include "overparam/history.h"
#include "overparam/netpair.h"
#include "overparam/rng.h"
#include "overparam/run_loop.h"
#include "overparam/scenario.h"

static const uint64_t seeds[] = {42, 1, 2};

/* ---- assignment ---------------------------------------------------------- */

/* The best sum over all n! permutations (Heap's algorithm). */
static double brute_force(const double *c /* (n, n) */, int n, bool maximize)
{
	int p[8], k[8] = {0};
	for (int i = 0; i < n; i++)
		p[i] = i;
	double best = NAN;
	for (int i = 0;;) {
		double s = 0;
		for (int r = 0; r < n; r++)
			s += c[r * n + p[r]];
		if (isnan(best) || (maximize ? s > best : s < best))
			best = s;
		while (i < n && k[i] >= i) {
			k[i] = 0;
			i++;
		}
		if (i >= n)
			break;
		int j = i % 2 ? k[i] : 0;
		int t = p[j];
		p[j] = p[i];
		p[i] = t;
		k[i]++;
		i = 1;
	}
	return best;
}

static void assert_permutation(const int *p /* (n) */, int n)
{
	bool seen[64] = {false};
	for (int i = 0; i < n; i++) {
		assert_in_range(p[i], 0, n - 1);
		assert_false(seen[p[i]]);
		seen[p[i]] = true;
	}
}

static void test_assign_hand_example(void **state)
{
	(void)state;
	/* By hand over the six permutations: rows 0,1,2 to columns 1,0,2
	 * cost 1 + 2 + 2 = 5, the only minimum; taking the smallest entry
	 * first (row 1, column 1) can reach 6 at best. */
	const double c[9] = {
		4, 1, 3, /* */
		2, 0, 5, /* */
		3, 1, 2,
	};
	struct assign a;
	assert_int_equal(assign_create(&a, 3), 0);
	int col[3];
	assert_true(assign_solve(&a, c, 3, false, col) == 5);
	assert_int_equal(col[0], 1);
	assert_int_equal(col[1], 0);
	assert_int_equal(col[2], 2);
	/* Maximising: 4 + 5 + 1 = 10 (rows to columns 0, 2, 1). */
	assert_true(assign_solve(&a, c, 3, true, col) == 10);
	assert_int_equal(col[0], 0);
	assert_int_equal(col[1], 2);
	assert_int_equal(col[2], 1);
	assign_destroy(&a);
}

static void test_assign_matches_brute_force(void **state)
{
	(void)state;
	struct rng r;
	rng_seed(&r, 7, 0);
	struct assign a;
	assert_int_equal(assign_create(&a, 7), 0);
	double c[49];
	int col[7];
	for (int trial = 0; trial < 300; trial++) {
		int n = 1 + trial % 7;
		bool ties = trial % 3 == 0; /* small integers: many equal optima */
		for (int i = 0; i < n * n; i++)
			c[i] = ties ? (double)(rng_next(&r) % 3) : rng_normal(&r) * 10;
		for (int mx = 0; mx < 2; mx++) {
			double got = assign_solve(&a, c, n, mx, col);
			assert_permutation(col, n);
			double sum = 0;
			for (int i = 0; i < n; i++)
				sum += c[i * n + col[i]];
			assert_true(sum == got);
			assert_true(fabs(got - brute_force(c, n, mx)) <= 1e-9 * (1 + fabs(got)));
		}
	}
	assign_destroy(&a);
}

/* The AVX2 scan and the plain one agree to the bit: the same columns, the
 * same sum, the same potentials, at every width modulo 4 (the vector loop's
 * tail), with ties (small integers), with infinities, and maximising. */
static void test_assign_wide_scan_same_bits(void **state)
{
	(void)state;
	struct assign wide, plain;
	assert_int_equal(assign_create(&wide, 70), 0);
	assert_int_equal(assign_create(&plain, 70), 0);
	if (!wide.wide)
		skip(); /* no AVX2 here: only the plain scan runs */
	plain.wide = false;
	struct rng r;
	rng_seed(&r, 11, 0);
	static double c[70 * 70];
	int col_w[70], col_p[70];
	for (int trial = 0; trial < 120; trial++) {
		int n = 1 + (trial * 7) % 70;
		int kind = trial % 3; /* 0: normal, 1: ties, 2: some infinite */
		for (int i = 0; i < n * n; i++) {
			c[i] = kind == 1 ? (double)(rng_next(&r) % 4) : rng_normal(&r);
			if (kind == 2 && rng_next(&r) % 5 == 0)
				c[i] = INFINITY;
		}
		bool mx = trial % 2;
		double sw = assign_solve(&wide, c, n, mx && kind != 2, col_w);
		double sp = assign_solve(&plain, c, n, mx && kind != 2, col_p);
		assert_memory_equal(&sw, &sp, sizeof sw);
		assert_memory_equal(col_w, col_p, (size_t)n * sizeof *col_w);
		assert_memory_equal(wide.u, plain.u, (size_t)(n + 1) * sizeof *wide.u);
		assert_memory_equal(wide.v, plain.v, (size_t)(n + 1) * sizeof *wide.v);
	}
	assign_destroy(&wide);
	assign_destroy(&plain);
}

static void test_assign_nonfinite_ends(void **state)
{
	(void)state;
	struct assign a;
	assert_int_equal(assign_create(&a, 4), 0);
	double c[16];
	for (int i = 0; i < 16; i++)
		c[i] = NAN;
	int col[4];
	assert_true(isnan(assign_solve(&a, c, 4, true, col)));
	for (int i = 0; i < 4; i++)
		assert_int_equal(col[i], i);
	assert_true(isnan(assign_solve(&a, c, 5, true, col))); /* over capacity */
	assign_destroy(&a);
	assert_int_equal(assign_create(&a, 0), -1);
}

/* ---- weight matching ----------------------------------------------------- */

static void random_net(struct mlp *m, const int *dims /* (layers + 1) */, int layers, uint64_t seed)
{
	assert_int_equal(mlp_create(m, dims, layers, 16), 0);
	struct rng r;
	rng_seed(&r, seed, 0);
	mlp_init_torch_default(m, &r);
}

static void shuffle(struct rng *r, int *p /* (n) */, int n)
{
	for (int i = 0; i < n; i++)
		p[i] = i;
	for (int i = n - 1; i > 0; i--) {
		int j = (int)(rng_next(r) % (uint64_t)(i + 1));
		int t = p[i];
		p[i] = p[j];
		p[j] = t;
	}
}

/* B = A with the hidden units of every layer shuffled; matching must undo
 * the shuffle exactly, whatever the depth. */
static void test_align_undoes_a_shuffle(void **state)
{
	(void)state;
	static const int shapes[][5] = {{3, 8, 1}, {5, 12, 9, 2}, {4, 7, 11, 6, 1}};
	static const int layers[] = {2, 3, 4};
	struct rng r;
	rng_seed(&r, 11, 0);
	for (int s = 0; s < 3; s++) {
		struct mlp a, b, out;
		int L = layers[s];
		random_net(&a, shapes[s], L, 100 + (uint64_t)s);
		random_net(&b, shapes[s], L, 200);
		random_net(&out, shapes[s], L, 300);
		int perm[MLP_MAX_LAYERS + 1][16];
		for (int k = 0; k <= L; k++) {
			if (k == 0 || k == L)
				for (int i = 0; i < shapes[s][k]; i++)
					perm[k][i] = i;
			else
				shuffle(&r, perm[k], shapes[s][k]);
		}
		/* B's unit perm[l+1][i] is A's unit i */
		for (int l = 0; l < L; l++) {
			int rows = shapes[s][l + 1], cols = shapes[s][l];
			for (int i = 0; i < rows; i++) {
				for (int c = 0; c < cols; c++)
					b.layer[l].W[perm[l + 1][i] * cols + perm[l][c]] = a.layer[l].W[i * cols + c];
				b.layer[l].b[perm[l + 1][i]] = a.layer[l].b[i];
			}
		}
		struct align al;
		assert_int_equal(align_create(&al, &a), 0);
		int rounds = align_match(&al, &a, &b);
		assert_in_range(rounds, 1, ALIGN_MAX_ROUNDS);
		for (int k = 1; k < L; k++)
			for (int i = 0; i < shapes[s][k]; i++)
				assert_int_equal(al.perm[k][i], perm[k][i]);
		align_apply(&al, &b, &out);
		assert_memory_equal(out.params, a.params, a.n_params * sizeof(float));
		align_destroy(&al);
		mlp_destroy(&a);
		mlp_destroy(&b);
		mlp_destroy(&out);
	}
}

/* Largest |difference| of two nets' outputs on n random inputs. */
static double output_gap(struct mlp *x, struct mlp *y, int d, int n, uint64_t seed)
{
	float X[16 * 16];
	struct rng r;
	rng_seed(&r, seed, 5);
	for (int i = 0; i < n * d; i++)
		X[i] = (float)rng_normal(&r);
	float fx[16 * 4];
	int out = x->dims[x->n_layers];
	memcpy(fx, mlp_forward(x, X, n), sizeof(float) * (size_t)(n * out));
	const float *fy = mlp_forward(y, X, n);
	double gap = 0;
	for (int i = 0; i < n * out; i++)
		gap = fmax(gap, fabs((double)fx[i] - fy[i]));
	return gap;
}

/* Two unrelated nets: matching reorders B's units (the objective rises) and
 * the reordered B computes exactly what B computed. */
static void test_align_keeps_the_function(void **state)
{
	(void)state;
	static const int shapes[][5] = {{6, 16, 1}, {6, 16, 12, 3}, {5, 9, 14, 10, 2}};
	static const int layers[] = {2, 3, 4};
	for (int s = 0; s < 3; s++) {
		struct mlp a, b, out;
		int L = layers[s];
		random_net(&a, shapes[s], L, 1 + (uint64_t)s);
		random_net(&b, shapes[s], L, 50 + (uint64_t)s);
		random_net(&out, shapes[s], L, 99);
		struct align al;
		assert_int_equal(align_create(&al, &a), 0);
		double before = 0; /* <A, B> with no reordering */
		for (size_t i = 0; i < a.n_params; i++)
			before += (double)a.params[i] * b.params[i];
		align_match(&al, &a, &b);
		align_apply(&al, &b, &out);
		double after = 0;
		for (size_t i = 0; i < a.n_params; i++)
			after += (double)a.params[i] * out.params[i];
		assert_true(after > before);
		assert_true(fabs(after - al.objective) <= 1e-4 * (1 + fabs(after)));
		bool moved = false;
		for (int k = 1; k < L; k++)
			for (int i = 0; i < shapes[s][k]; i++)
				moved |= al.perm[k][i] != i;
		assert_true(moved);
		assert_true(output_gap(&b, &out, shapes[s][0], 16, (uint64_t)s) <= 1e-5);
		align_destroy(&al);
		mlp_destroy(&a);
		mlp_destroy(&b);
		mlp_destroy(&out);
	}
}

/* ---- paths --------------------------------------------------------------- */

static void load(const char *path, struct scenario *sc)
{
	char err[SCENARIO_ERR_LEN];
	if (scenario_load(path, sc, err, sizeof err) != 0)
		fail_msg("%s", err);
}

static void test_barrier_by_hand(void **state)
{
	(void)state;
	const double t[5] = {0, 0.25, 0.5, 0.75, 1};
	/* chord from 1 to 3: 1.5, 2, 2.5 in between; excesses 0.5, 2, -0.5 */
	const double loss[5] = {1, 2, 4, 2, 3};
	assert_true(fabs(netpair_barrier(t, loss, 5) - 2) < 1e-12);
	const double below[3] = {1, 0.5, 1};
	assert_true(netpair_barrier(t + 0, below, 3) == 0); /* the ends' own 0 */
	const double nan[3] = {1, NAN, 1};
	assert_true(isnan(netpair_barrier(t, nan, 3)));
}

/* One NaN rule for the whole family: a NaN anywhere on the path, the
 * middle included, leaves it with no barrier height. (mode_connectivity's
 * own copy returned 0 for {0.1, NaN, 0.1}: the finite excess after the NaN
 * overwrote it, and a path that was never measured read as flat.) */
static void test_barrier_nan_in_the_middle(void **state)
{
	(void)state;
	const double t3[3] = {0, 0.5, 1};
	const double mid[3] = {0.1, NAN, 0.1};
	assert_true(isnan(netpair_barrier(t3, mid, 3)));
	const double t5[5] = {0, 0.25, 0.5, 0.75, 1};
	const double after_peak[5] = {0.1, 5, NAN, 0.2, 0.1};
	const double before_peak[5] = {0.1, NAN, 5, 0.2, 0.1};
	assert_true(isnan(netpair_barrier(t5, after_peak, 5)));
	assert_true(isnan(netpair_barrier(t5, before_peak, 5)));
	const double first[3] = {NAN, 0.1, 0.1}, last[3] = {0.1, 0.1, NAN};
	assert_true(isnan(netpair_barrier(t3, first, 3)));
	assert_true(isnan(netpair_barrier(t3, last, 3)));
	const double flat[3] = {0.1, 0.1, 0.1};
	assert_true(netpair_barrier(t3, flat, 3) == 0);
}

/* One grid: t = i / (n - 1) with exact ends, and the straight line's
 * weights rounded the way each experiment always has. */
static void test_grid_and_its_rounding(void **state)
{
	(void)state;
	struct netpair_grid each, t_first;
	netpair_grid(&each, 21, NETPAIR_ROUND_EACH);
	netpair_grid(&t_first, 21, NETPAIR_ROUND_T_FIRST);
	assert_int_equal(each.n, 21);
	int differ = 0;
	for (int i = 0; i < 21; i++) {
		double t = (double)i / 20;
		assert_true(each.t[i] == t && t_first.t[i] == t);
		assert_true(each.w_to[i] == (float)t && t_first.w_to[i] == (float)t);
		assert_true(each.w_from[i] == (float)(1 - t));
		assert_true(t_first.w_from[i] == 1.0f - (float)t);
		differ += each.w_from[i] != t_first.w_from[i];
	}
	assert_true(each.w_from[0] == 1 && each.w_to[0] == 0 && each.w_from[20] == 0 && each.w_to[20] == 1);
	/* why the grid carries the rounding: at 21 points they disagree */
	assert_true(differ > 0);
}

/* Bezier with the bend at the midpoint is the straight line; its ends are
 * the nets; the bend's gradient 2t(1-t) dL/dphi matches central differences
 * of L(phi(t)) along a random direction of theta_c. */
static void test_paths_and_bend_gradient(void **state)
{
	(void)state;
	struct scenario sc;
	load("scenarios/08-curved-path.ini", &sc);
	struct netpair p;
	assert_int_equal(netpair_create(&p, &sc, 16, 42, 1, 2), 0);
	for (int e = 0; e < 30; e++)
		netpair_train(&p, NULL, 0);
	size_t np = p.mix.n_params;
	const float *a = p.net[0].net.params, *b = p.net[1].net.params;
	float *c = malloc(np * sizeof *c), *v = malloc(np * sizeof *v), *cp = malloc(np * sizeof *cp);
	assert_non_null(c);
	assert_non_null(v);
	assert_non_null(cp);
	for (size_t i = 0; i < np; i++)
		c[i] = 0.5f * (a[i] + b[i]);
	for (int i = 0; i <= 4; i++) {
		double t = i / 4.0;
		double line = netpair_line_loss(&p, a, b, t);
		double curve = netpair_bezier_loss(&p, a, c, b, t, false);
		assert_true(fabs(line - curve) <= 1e-5 * (1 + line));
	}
	assert_true(fabs(netpair_line_loss(&p, a, b, 0) - mlp_loss(&p.net[0].net, p.X, p.y, p.n)) < 1e-9);
	assert_true(fabs(netpair_line_loss(&p, a, b, 1) - mlp_loss(&p.net[1].net, p.X, p.y, p.n)) < 1e-9);

	struct rng r;
	rng_seed(&r, 3, 0);
	for (size_t i = 0; i < np; i++) {
		c[i] += (float)(0.05 * rng_normal(&r)); /* a bend off the line */
		v[i] = (float)rng_normal(&r);
	}
	for (int k = 0; k < 3; k++) {
		double t = 0.2 + 0.3 * k;
		netpair_bezier_loss(&p, a, c, b, t, true);
		double analytic = 0;
		for (size_t i = 0; i < np; i++)
			analytic += 2 * t * (1 - t) * (double)p.mix.grads[i] * v[i];
		/* small enough to cross no ReLU kink, large for float32 */
		double h = 1e-4, fd[2];
		for (int sgn = 0; sgn < 2; sgn++) {
			for (size_t i = 0; i < np; i++)
				cp[i] = c[i] + (float)((sgn ? -h : h) * v[i]);
			fd[sgn] = netpair_bezier_loss(&p, a, cp, b, t, false);
		}
		double numeric = (fd[0] - fd[1]) / (2 * h);
		print_message("t %.1f: analytic %.6g numeric %.6g\n", t, analytic, numeric);
		assert_true(fabs(analytic - numeric) <= 0.02 * fabs(analytic) + 2e-4);
	}
	free(c);
	free(v);
	free(cp);
	netpair_destroy(&p);
}

/* ---- the shipped scenarios, headless -------------------------------------- */

struct run {
	struct history h;
	struct run_desc d;
};

static void run_emit(void *ctx, const struct op_record *rec)
{
	history_add(&((struct run *)ctx)->h, rec);
}

/* The headless runner's and the trainer's loop (run_loop.h). */
static void run_scenario(const struct scenario *sc, uint64_t seed, struct run *r)
{
	const struct experiment_ops *ops = experiment_ops_for(sc->kind);
	assert_non_null(ops);
	memset(r, 0, sizeof *r);
	ops->describe(sc, &r->d);
	history_init(&r->h, false);
	struct emitter em = {.emit = run_emit, .ctx = r, .generation = 1};
	char err[SCENARIO_ERR_LEN];
	if (experiment_run(ops, sc, seed, NULL, &em, NULL, err, sizeof err) != 0)
		fail_msg("%s", err);
}

static double grid_max(const double *g /* (n) */, int n)
{
	double m = -INFINITY;
	for (int i = 0; i < n; i++)
		m = fmax(m, g[i]);
	return m;
}

/* Scenario 7's own trained nets: B matched to A computes B's function. */
static void test_shipped_alignment_keeps_the_function(void **state)
{
	(void)state;
	struct scenario sc;
	load("scenarios/07-permutation-alignment.ini", &sc);
	struct netpair p;
	assert_int_equal(netpair_create(&p, &sc, sc.model.widths[0], sc.seed, sc.model.init_seeds[0],
					sc.model.init_seeds[1]),
			 0);
	while (!netpair_train(&p, NULL, 0) && p.epoch < sc.train.epochs)
		;
	struct align al;
	struct mlp out;
	assert_int_equal(align_create(&al, &p.mix), 0);
	assert_int_equal(mlp_create(&out, p.mix.dims, p.mix.n_layers, p.n), 0);
	align_match(&al, &p.net[0].net, &p.net[1].net);
	align_apply(&al, &p.net[1].net, &out);
	/* on the training inputs and on fresh ones */
	const float *fb = mlp_forward(&p.net[1].net, p.X, p.n);
	float keep[64];
	memcpy(keep, fb, sizeof(float) * (size_t)p.n);
	const float *fo = mlp_forward(&out, p.X, p.n);
	for (int i = 0; i < p.n; i++)
		assert_true(fabs((double)keep[i] - fo[i]) <= 1e-5);
	assert_true(output_gap(&p.net[1].net, &out, p.d, 16, 9) <= 1e-5);
	assert_true(fabs(mlp_loss(&out, p.X, p.y, p.n) - p.net[1].loss) <= 1e-6);
	align_destroy(&al);
	mlp_destroy(&out);
	netpair_destroy(&p);
}

static void test_shipped_alignment_lowers_the_barrier(void **state)
{
	(void)state;
	struct scenario sc;
	load("scenarios/07-permutation-alignment.ini", &sc);
	for (size_t s = 0; s < sizeof seeds / sizeof *seeds; s++) {
		struct run r;
		run_scenario(&sc, seeds[s], &r);
		const struct history *h = &r.h;
		double plain = h->last[2][MET_BARRIER], aligned = h->last[3][MET_BARRIER];
		print_message("seed %llu: barrier as trained %.4f, aligned %.4f\n", (unsigned long long)seeds[s], plain,
			      aligned);
		/* both nets reached the target: the line's ends are solutions */
		assert_true(h->seen[0][MET_CONVERGED] && h->seen[1][MET_CONVERGED]);
		const double *g = history_grid(h, 3, MET_INTERP_LOSS);
		assert_non_null(g);
		assert_true(g[0] < 1e-5 && g[r.d.n_grid - 1] < 1e-5);
		/* a real barrier as trained, most of it gone after matching */
		assert_true(plain > 0.1);
		assert_true(aligned < plain);
		assert_true(aligned < 0.25 * plain);
		history_free(&r.h);
	}
}

/* Every experiment of the family reports as barrier netpair_barrier of
 * the path it reports: mode connectivity's line included. */
static void test_shipped_barriers_follow_the_one_rule(void **state)
{
	(void)state;
	static const struct {
		const char *path;
		int series[2];
	} runs[] = {
		{"scenarios/02-mode-connectivity.ini", {0, -1}},
		{"scenarios/07-permutation-alignment.ini", {2, 3}},
	};
	for (size_t k = 0; k < sizeof runs / sizeof *runs; k++) {
		struct scenario sc;
		load(runs[k].path, &sc);
		struct run r;
		run_scenario(&sc, sc.seed, &r);
		for (int j = 0; j < 2 && runs[k].series[j] >= 0; j++) {
			int s = runs[k].series[j];
			const double *g = history_grid(&r.h, s, MET_INTERP_LOSS);
			assert_non_null(g);
			double barrier = netpair_barrier(r.d.grid_x, g, r.d.n_grid);
			assert_true(isfinite(barrier));
			assert_true(r.h.last[s][MET_BARRIER] == barrier);
		}
		history_free(&r.h);
	}
}

static void test_shipped_curve_beats_the_line(void **state)
{
	(void)state;
	struct scenario sc;
	load("scenarios/08-curved-path.ini", &sc);
	for (size_t s = 0; s < 2; s++) {
		struct run r;
		run_scenario(&sc, seeds[s], &r);
		const struct history *h = &r.h;
		const double *line = history_grid(h, 2, MET_INTERP_LOSS);
		const double *curve = history_grid(h, 3, MET_INTERP_LOSS);
		assert_non_null(line);
		assert_non_null(curve);
		int n = r.d.n_grid;
		double lmax = grid_max(line, n), cmax = grid_max(curve, n);
		print_message("seed %llu: max loss line %.4f, curve %.2e\n", (unsigned long long)seeds[s], lmax, cmax);
		/* the same ends: both nets trained, the bend trained after them */
		assert_true(h->seen[0][MET_CONVERGED] && h->seen[1][MET_CONVERGED]);
		assert_true(h->seen[3][MET_TRAIN_LOSS]);
		assert_true(line[0] == curve[0] && line[n - 1] == curve[n - 1]);
		assert_true(lmax > 0.1);
		assert_true(cmax < 0.2 * lmax);
		history_free(&r.h);
	}
}

static void test_shipped_matched_barrier_falls_with_width(void **state)
{
	(void)state;
	struct scenario sc;
	load("scenarios/09-barrier-vs-width.ini", &sc);
	int last = sc.model.n_widths - 1;
	assert_true(last >= 2);
	for (size_t s = 0; s < sizeof seeds / sizeof *seeds; s++) {
		struct run r;
		run_scenario(&sc, seeds[s], &r);
		const double *plain = history_grid(&r.h, 0, MET_PAIR_BARRIER);
		const double *aligned = history_grid(&r.h, 1, MET_PAIR_BARRIER);
		const double *reached = history_grid(&r.h, 0, MET_PAIR_REACHED);
		assert_non_null(plain);
		assert_non_null(aligned);
		assert_non_null(reached);
		print_message("seed %llu: aligned barrier %.4f at width %d, %.4f at %d; as trained %.3f, %.3f\n",
			      (unsigned long long)seeds[s], aligned[0], sc.model.widths[0], aligned[last],
			      sc.model.widths[last], plain[0], plain[last]);
		for (int k = 0; k <= last; k++) {
			assert_true(reached[k] == 1);
			assert_true(aligned[k] < plain[k]);
		}
		assert_true(aligned[last] < aligned[0]);
		/* and not by a whisker: the chart shows a clear fall */
		assert_true(aligned[last] < 0.5 * aligned[0]);
		history_free(&r.h);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_assign_hand_example),
		cmocka_unit_test(test_assign_matches_brute_force),
		cmocka_unit_test(test_assign_wide_scan_same_bits),
		cmocka_unit_test(test_assign_nonfinite_ends),
		cmocka_unit_test(test_align_undoes_a_shuffle),
		cmocka_unit_test(test_align_keeps_the_function),
		cmocka_unit_test(test_barrier_by_hand),
		cmocka_unit_test(test_barrier_nan_in_the_middle),
		cmocka_unit_test(test_grid_and_its_rounding),
		cmocka_unit_test(test_paths_and_bend_gradient),
		cmocka_unit_test(test_shipped_alignment_keeps_the_function),
		cmocka_unit_test(test_shipped_alignment_lowers_the_barrier),
		cmocka_unit_test(test_shipped_barriers_follow_the_one_rule),
		cmocka_unit_test(test_shipped_curve_beats_the_line),
		cmocka_unit_test(test_shipped_matched_barrier_falls_with_width),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
