/* test_ftz.c: subnormal floats flushed to zero (workers.h). Once the
 * program has decided to flush, a product below FLT_MIN is 0 on the
 * deciding thread, inside an OpenBLAS call made there, and on every helper
 * of a team; with the exact path (--no-ftz, OVERPARAM_NO_FTZ=1) it is the
 * IEEE subnormal. A value computed at run time, so the compiler cannot
 * fold it. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <cblas.h>
#include <float.h>
#include <stdlib.h>

#include "overparam/linalg.h"
#include "overparam/workers.h"

static volatile float tiny_a = 1e-30f, tiny_b = 1e-10f; /* their product, 1e-40, is subnormal */

static float product(void)
{
	return tiny_a * tiny_b;
}

/* The same product through sgemm (1 x 1 x 1) on the calling thread. */
static float blas_product(void)
{
	float a = tiny_a, b = tiny_b, c = -1.0f;
	cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, 1, 1, 1, 1.0f, &a, 1, &b, 1, 0.0f, &c, 1);
	return c;
}

static bool subnormal(float v)
{
	return v > 0.0f && v < FLT_MIN;
}

struct seen {
	float on[2]; /* the product on thread 0 (the caller) and thread 1 (the helper) */
};

static void product_share(void *ctx, int phase, int share)
{
	(void)phase;
	struct seen *s = ctx;
	s->on[share] = product();
}

/* Before any start-up (a test, a benchmark): nothing is flushed. */
static void test_exact_until_decided(void **state)
{
	(void)state;
	assert_false(workers_flushing());
	assert_false(workers_thread_fp());
	assert_true(subnormal(product()));
	assert_true(subnormal(blas_product()));
}

/* The product on the caller's thread and on a new team's helper. */
static void check_threads(bool caller_flushes, bool helper_flushes)
{
	struct seen s = {{-1.0f, -1.0f}};
	struct workers *wk = workers_create(2);
	assert_int_equal(workers_threads(wk), 2);
	workers_run(wk, product_share, &s, 1, 2);
	workers_destroy(wk);
	bool flushes[2] = {caller_flushes, helper_flushes};
	for (int t = 0; t < 2; t++)
		if (flushes[t])
			assert_true(s.on[t] == 0.0f);
		else
			assert_true(subnormal(s.on[t]));
}

static void check_team(bool flush)
{
	check_threads(flush, flush);
}

#if defined(__x86_64__)
/* OVERPARAM_NO_FTZ=1 keeps the exact path through start-up. */
static void test_env_keeps_exact(void **state)
{
	(void)state;
	setenv("OVERPARAM_NO_FTZ", "1", 1);
	workers_startup();
	unsetenv("OVERPARAM_NO_FTZ");
	assert_false(workers_flushing());
	assert_true(subnormal(product()));
	assert_true(subnormal(blas_product()));
	check_team(false);
}

/* --no-ftz (workers_set_flush(false) before start-up) too. */
static void test_option_keeps_exact(void **state)
{
	(void)state;
	workers_set_flush(false);
	workers_startup();
	assert_false(workers_flushing());
	assert_true(subnormal(product()));
	check_team(false);
}

/* The program's default: start-up flushes on its thread, in OpenBLAS
 * there, and on a team's helper. */
static void test_startup_flushes_everywhere(void **state)
{
	(void)state;
	workers_set_flush(true);
	workers_startup();
	assert_true(workers_flushing());
	assert_true(product() == 0.0f);
	assert_true(blas_product() == 0.0f);
	check_team(true);
	/* and a subnormal input reads as 0 (DAZ): 1e-40 * 1e30 would be 1e-10 */
	volatile float sub = 1e-40f; /* written as a constant: no flushing involved */
	volatile float big = 1e30f;
	assert_true(sub * big == 0.0f);
}

/* A helper applies the decision itself, whatever mode the thread that
 * made the team was in (a new thread inherits its creator's). */
static void test_helper_applies_decision(void **state)
{
	(void)state;
	workers_set_flush(false);
	workers_thread_fp(); /* this thread exact ... */
	workers_set_flush(true); /* ... while the decision is to flush */
	check_threads(false, true);
	workers_set_flush(false);
	workers_thread_fp();
	workers_set_flush(false);
	check_threads(false, false);
}
#endif

int main(void)
{
	linalg_set_threads(1);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_exact_until_decided),
#if defined(__x86_64__)
		cmocka_unit_test(test_env_keeps_exact),
		cmocka_unit_test(test_option_keeps_exact),
		cmocka_unit_test(test_startup_flushes_everywhere),
		cmocka_unit_test(test_helper_applies_decision),
#endif
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
