/* test_optim.c: SGD and Adam steps against the update formulas written out
 * here in double (torch.optim.SGD without momentum, torch.optim.Adam with
 * bias correction and eps outside the square root). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <string.h>

#include "overparam/optim.h"

/* 13 parameters: fewer than the optimizers' vector block (16), so these
 * take the scalar path; the tests at the end cover whole blocks. */
#define N 13

#define assert_rel(got, want, rtol)                                                                    \
	do {                                                                                           \
		double g_ = (got), w_ = (want);                                                        \
		if (!(fabs(g_ - w_) <= (rtol) * fabs(w_)))                                             \
			fail_msg("%s = %.12g, want %.12g (rel tol %.1g)", #got, g_, w_, (double)(rtol));    \
	} while (0)

static const float p0[N] = {1.0f, -2.0f, 0.5f, 3.0f, 0.25f, -0.75f, 1.5f, 2.0f, -1.25f, 0.125f, 4.0f, -3.0f, 0.0f};
/* Gradient 4 is tiny, so Adam's eps (1e-8) is a large part of the
 * denominator there and its placement shows; gradient 12 is 0. */
static const float g1[N] = {0.5f, -1.0f, 2.0f, -0.125f, 1e-8f, 0.75f, -0.25f, 3.0f, 0.0625f, -2.5f, 1.0f, 0.5f, 0.0f};
static const float g2[N] = {-0.25f, -0.5f, 1.5f, 0.375f, 2e-8f, -0.75f, 0.5f, 1.0f, -0.125f, 2.0f, 1.0f, -0.5f, 0.25f};

static void test_sgd_one_step(void **state)
{
	(void)state;
	struct optim o;
	float p[N];

	memcpy(p, p0, sizeof p);
	assert_int_equal(optim_create(&o, OPTIM_SGD, N, 0.1), 0);
	assert_null(o.m);
	assert_null(o.v);
	optim_step(&o, p, g1);
	for (int i = 0; i < N; i++)
		assert_rel(p[i], (double)p0[i] - 0.1 * (double)g1[i], 1e-6);
	optim_destroy(&o);
}

/* Adam by hand: t = 1 then t = 2 from zero moments. */
struct adam_ref {
	double p[N], m[N], v[N];
	int t;
};

static void adam_ref_step(struct adam_ref *a, const float *g, double lr, int bias_correction)
{
	const double b1 = 0.9, b2 = 0.999, eps = 1e-8;

	a->t++;
	double bc1 = bias_correction ? 1.0 - pow(b1, a->t) : 1.0;
	double bc2 = bias_correction ? 1.0 - pow(b2, a->t) : 1.0;
	for (int i = 0; i < N; i++) {
		a->m[i] = b1 * a->m[i] + (1.0 - b1) * g[i];
		a->v[i] = b2 * a->v[i] + (1.0 - b2) * (double)g[i] * g[i];
		double denom = sqrt(a->v[i]) / sqrt(bc2) + eps;
		a->p[i] -= lr / bc1 * a->m[i] / denom;
	}
}

static void adam_ref_init(struct adam_ref *a)
{
	memset(a, 0, sizeof *a);
	for (int i = 0; i < N; i++)
		a->p[i] = p0[i];
}

static void test_adam_two_steps(void **state)
{
	(void)state;
	struct optim o;
	struct adam_ref ref;
	float p[N];

	memcpy(p, p0, sizeof p);
	adam_ref_init(&ref);
	assert_int_equal(optim_create(&o, OPTIM_ADAM, N, 0.01), 0);
	assert_true(o.beta1 == 0.9 && o.beta2 == 0.999 && o.eps == 1e-8);

	optim_step(&o, p, g1);
	adam_ref_step(&ref, g1, 0.01, 1);
	assert_int_equal(o.t, 1);
	for (int i = 0; i < N; i++) {
		assert_rel(p[i], ref.p[i], 1e-6);
		assert_rel(o.m[i], ref.m[i], 1e-6);
		assert_rel(o.v[i], ref.v[i], 1e-6);
	}
	/* Step 1 by hand for the first coordinate: m = 0.05, v = 2.5e-4,
	 * bc1 = 0.1, bc2 = 1e-3, so the update is lr * g / (|g| + eps). */
	assert_rel(p[0], 1.0 - 0.01 * 0.5 / (0.5 + 1e-8), 1e-6);

	optim_step(&o, p, g2);
	adam_ref_step(&ref, g2, 0.01, 1);
	assert_int_equal(o.t, 2);
	for (int i = 0; i < N; i++) {
		assert_rel(p[i], ref.p[i], 1e-6);
		assert_rel(o.m[i], ref.m[i], 1e-6);
		assert_rel(o.v[i], ref.v[i], 1e-6);
	}
	optim_destroy(&o);
}

/* The reference above would catch an Adam without bias correction, or with
 * eps inside the square root: both differ from it by far more than the
 * 1e-6 tolerance at step 1. */
static void test_adam_variants_are_distinguishable(void **state)
{
	(void)state;
	struct adam_ref with, without;

	adam_ref_init(&with);
	adam_ref_init(&without);
	adam_ref_step(&with, g1, 0.01, 1);
	adam_ref_step(&without, g1, 0.01, 0);
	for (int i = 0; i < N; i++)
		if (g1[i] != 0.0f)
			assert_true(fabs(with.p[i] - without.p[i]) > 1e-3 * fabs(with.p[i]));

	/* eps inside the sqrt for the tiny gradient: denom sqrt(v/bc2 + eps). */
	double m = 0.1 * g1[4], v = 0.001 * (double)g1[4] * g1[4];
	double inside = p0[4] - 0.01 / 0.1 * m / sqrt(v / 0.001 + 1e-8);
	assert_true(fabs(inside - with.p[4]) > 1e-3 * fabs(with.p[4]));
}

/* After optim_reset the first step is again the t = 1 step. */
static void test_adam_reset(void **state)
{
	(void)state;
	struct optim o;
	float p[N], q[N];

	memcpy(p, p0, sizeof p);
	memcpy(q, p0, sizeof q);
	assert_int_equal(optim_create(&o, OPTIM_ADAM, N, 0.01), 0);
	optim_step(&o, p, g1);
	optim_step(&o, q, g2); /* moves the moments and t */
	optim_reset(&o);
	assert_int_equal(o.t, 0);
	memcpy(q, p0, sizeof q);
	optim_step(&o, q, g1);
	assert_memory_equal(p, q, sizeof p);
	optim_destroy(&o);
}

/* Whole vector blocks against the same float32 formulas applied one float
 * at a time: bit for bit, whichever vector width the CPU gave the library
 * (no fused multiply-add, no approximate reciprocal or square root). */
#define BIG 1003

static void fill_big(float *p /* (BIG) */, float *g /* (BIG) */, unsigned seed)
{
	uint32_t x = seed;
	for (int i = 0; i < BIG; i++) {
		x = x * 1664525u + 1013904223u;
		p[i] = (float)((int)(x >> 8) % 20001 - 10000) / 5000.0f;
		x = x * 1664525u + 1013904223u;
		g[i] = (float)((int)(x >> 8) % 20001 - 10000) / 7000.0f;
	}
	g[3] = 0.0f;     /* no gradient */
	g[40] = 1e-30f;  /* its square underflows */
	g[41] = 3e18f;   /* its square is near the float range's top */
	g[77] = -1e-20f;
}

static void test_adam_blocks_equal_scalar_formula(void **state)
{
	(void)state;
	static float p[BIG], g[BIG], q[BIG], m[BIG], v[BIG];
	struct optim o;

	fill_big(p, g, 1);
	memcpy(q, p, sizeof q);
	assert_int_equal(optim_create(&o, OPTIM_ADAM, BIG, 0.01), 0);
	for (int t = 1; t <= 3; t++) {
		optim_step(&o, p, g);
		const double bc1 = 1.0 - pow(0.9, t), bc2 = 1.0 - pow(0.999, t);
		const float b1 = 0.9f, c1 = (float)(1.0 - 0.9), b2 = 0.999f, c2 = (float)(1.0 - 0.999);
		const float step = (float)(0.01 / bc1), sb = (float)sqrt(bc2), eps = 1e-8f;
		for (int i = 0; i < BIG; i++) {
			m[i] = b1 * m[i] + c1 * g[i];
			v[i] = b2 * v[i] + c2 * g[i] * g[i];
			q[i] -= step * (m[i] / (sqrtf(v[i]) / sb + eps));
		}
		assert_memory_equal(p, q, sizeof p);
		assert_memory_equal(o.m, m, sizeof m);
		assert_memory_equal(o.v, v, sizeof v);
		for (int i = 0; i < BIG; i++)
			g[i] = -0.5f * g[i] + 0.25f * p[i];
	}
	optim_destroy(&o);
}

static void test_sgd_blocks_equal_scalar_formula(void **state)
{
	(void)state;
	static float p[BIG], g[BIG], q[BIG];
	struct optim o;

	fill_big(p, g, 2);
	memcpy(q, p, sizeof q);
	assert_int_equal(optim_create(&o, OPTIM_SGD, BIG, 0.05), 0);
	optim_step(&o, p, g);
	for (int i = 0; i < BIG; i++)
		q[i] -= 0.05f * g[i];
	assert_memory_equal(p, q, sizeof p);
	optim_destroy(&o);
}

/* A step split into ranges, run in any order after optim_step_begin, is
 * optim_step bit for bit (the width sweep's two threads split it). */
static void test_step_range_matches_step(void **state)
{
	(void)state;
	static float p[BIG], g[BIG], q[BIG];

	for (int kind = 0; kind < 2; kind++) {
		struct optim whole, split;
		enum optim_kind k = kind ? OPTIM_ADAM : OPTIM_SGD;
		fill_big(p, g, 3);
		memcpy(q, p, sizeof q);
		assert_int_equal(optim_create(&whole, k, BIG, 0.02), 0);
		assert_int_equal(optim_create(&split, k, BIG, 0.02), 0);
		for (int t = 1; t <= 2; t++) {
			optim_step(&whole, p, g);
			optim_step_begin(&split);
			assert_int_equal(split.t, t);
			optim_step_range(&split, q, g, 517, BIG + 40); /* clipped to n */
			optim_step_range(&split, q, g, 0, 7);
			optim_step_range(&split, q, g, 7, 517);
			optim_step_range(&split, q, g, 300, 300); /* empty */
			assert_int_equal(split.t, t);
			assert_memory_equal(p, q, sizeof p);
		}
		if (k == OPTIM_ADAM) {
			assert_memory_equal(whole.m, split.m, sizeof p);
			assert_memory_equal(whole.v, split.v, sizeof p);
		}
		optim_destroy(&whole);
		optim_destroy(&split);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sgd_one_step),
		cmocka_unit_test(test_adam_two_steps),
		cmocka_unit_test(test_adam_variants_are_distinguishable),
		cmocka_unit_test(test_adam_reset),
		cmocka_unit_test(test_adam_blocks_equal_scalar_formula),
		cmocka_unit_test(test_sgd_blocks_equal_scalar_formula),
		cmocka_unit_test(test_step_range_matches_step),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
