/* test_arrays.c: the arrays an object owns (arrays.h): zeroed, never NULL
 * for an empty one, all freed by one call, and a failed allocation leaves
 * the owner failed for good without losing what it already holds. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "overparam/arrays.h"

/* Under ASan a refused allocation returns NULL, as it does without it,
 * instead of ending the test. */
const char *__asan_default_options(void);
const char *__asan_default_options(void)
{
	return "allocator_may_return_null=1";
}

static void test_zeroed_and_separate(void **state)
{
	(void)state;
	struct arrays a = {0};
	double *x = arrays_alloc(&a, 5, sizeof *x);
	int *k = arrays_alloc(&a, 3, sizeof *k);
	assert_non_null(x);
	assert_non_null(k);
	assert_ptr_not_equal((void *)x, (void *)k);
	for (int i = 0; i < 5; i++)
		assert_true(x[i] == 0.0);
	for (int i = 0; i < 3; i++)
		assert_int_equal(k[i], 0);
	assert_false(a.failed);
	assert_int_equal(a.n, 2);
	arrays_free(&a);
	assert_int_equal(a.n, 0);
	assert_null(a.ptr);
}

/* An empty array (no test samples) is a valid one, not a failure. */
static void test_empty_is_not_a_failure(void **state)
{
	(void)state;
	struct arrays a = {0};
	float *y = arrays_alloc(&a, 0, sizeof *y);
	assert_non_null(y);
	assert_false(a.failed);
	arrays_free(&a);
}

/* Past the first eight the list grows; everything is still freed (ASan and
 * valgrind builds see a leak otherwise). */
static void test_many(void **state)
{
	(void)state;
	struct arrays a = {0};
	for (int i = 0; i < 100; i++) {
		char *p = arrays_alloc(&a, (size_t)i + 1, 1);
		assert_non_null(p);
		p[i] = 1;
	}
	assert_int_equal(a.n, 100);
	assert_false(a.failed);
	arrays_free(&a);
}

static void test_failure_sticks(void **state)
{
	(void)state;
	struct arrays a = {0};
	double *x = arrays_alloc(&a, 4, sizeof *x);
	assert_non_null(x);
	/* count * size overflows: calloc refuses it. */
	assert_null(arrays_alloc(&a, SIZE_MAX / 2, 16));
	assert_true(a.failed);
	assert_null(arrays_alloc(&a, 1, 1));
	assert_int_equal(a.n, 1);
	arrays_free(&a);
	assert_false(a.failed);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_zeroed_and_separate),
		cmocka_unit_test(test_empty_is_not_a_failure),
		cmocka_unit_test(test_many),
		cmocka_unit_test(test_failure_sticks),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
