/* test_minnorm_split.c: the min-norm interpolant split by linearity into
 * the part that fits the teacher, X+ X w, and the part that fits the label
 * noise, X+ eps (linear_min_norm_parts), against numpy's pinv in
 * tests/fixtures/minnorm_split.txt (tests/reference/minnorm_split.py), to
 * 1e-8: both parts, their norms on the signal and tail coordinates, and
 * their sum, which is linear_min_norm's theta. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "overparam/linear.h"

#define FIXTURE "tests/fixtures/minnorm_split.txt"
#define TOL 1e-8

/* Array `name` of the fixture, `count` values (free it). The format:
 * '#' lines, then `name count` headers each followed by count values. */
static double *fixture_array(const char *name, size_t count)
{
	FILE *f = fopen(FIXTURE, "r");
	if (!f)
		fail_msg("cannot open %s", FIXTURE);
	char line[256], want[128];
	snprintf(want, sizeof want, "%s %zu\n", name, count);
	double *v = NULL;
	while (!v && fgets(line, sizeof line, f))
		if (strcmp(line, want) == 0) {
			v = malloc(count * sizeof *v);
			for (size_t i = 0; v && i < count; i++)
				if (!fgets(line, sizeof line, f))
					fail_msg("%s: %s ends early", FIXTURE, name);
				else
					v[i] = strtod(line, NULL);
		}
	fclose(f);
	if (!v)
		fail_msg("%s: no array \"%s\" of %zu values", FIXTURE, name, count);
	return v;
}

/* Largest |a - b| over count values, relative to b's largest magnitude. */
static double rel_dev(const double *a, const double *b, size_t count)
{
	double dev = 0, scale = 0;
	for (size_t i = 0; i < count; i++) {
		dev = fmax(dev, fabs(a[i] - b[i]));
		scale = fmax(scale, fabs(b[i]));
	}
	return dev / (scale > 0 ? scale : 1);
}

static void check_design(const char *design)
{
	double *dims = fixture_array("dims", 3);
	int n = (int)dims[0], p = (int)dims[1], k = (int)dims[2];
	char name[64];
	snprintf(name, sizeof name, "%s.X", design);
	double *X = fixture_array(name, (size_t)n * p);
	snprintf(name, sizeof name, "%s.y", design);
	double *y = fixture_array(name, (size_t)n);
	snprintf(name, sizeof name, "%s.teacher", design);
	double *want_t = fixture_array(name, (size_t)p);
	snprintf(name, sizeof name, "%s.noise", design);
	double *want_e = fixture_array(name, (size_t)p);
	snprintf(name, sizeof name, "%s.norms", design);
	double *want_norms = fixture_array(name, 4);
	double *w = fixture_array("w", (size_t)p);
	double *t = malloc(3 * (size_t)p * sizeof *t), *e = t + p, *whole = e + p;
	double *yy = malloc((size_t)n * sizeof *yy), *work = malloc(((size_t)n * n + n) * sizeof *work);
	assert_non_null(t);
	assert_non_null(yy);
	assert_non_null(work);

	assert_int_equal(linear_min_norm_parts(X, w, y, n, p, t, e, yy, work), 0);
	double dt = rel_dev(t, want_t, (size_t)p), de = rel_dev(e, want_e, (size_t)p);
	double norms[4];
	linear_norm_split(t, p, k, &norms[0], &norms[1]);
	linear_norm_split(e, p, k, &norms[2], &norms[3]);
	double dn = rel_dev(norms, want_norms, 4);
	/* the parts add up to the interpolant of y itself */
	assert_int_equal(linear_min_norm(X, y, n, p, whole, work), 0);
	for (int j = 0; j < p; j++)
		t[j] += e[j];
	double ds = rel_dev(t, whole, (size_t)p);
	print_message("%s: teacher part %.1e, noise part %.1e, norms %.1e, sum vs whole %.1e\n", design, dt, de, dn, ds);
	assert_true(dt < TOL && de < TOL && dn < TOL && ds < TOL);
	/* where the noise part lives: the tail, more so the weaker the tail */
	assert_true(norms[3] > norms[2]);

	free(dims);
	free(X);
	free(y);
	free(want_t);
	free(want_e);
	free(want_norms);
	free(w);
	free(t);
	free(yy);
	free(work);
}

static void test_spiked_against_numpy(void **state)
{
	(void)state;
	check_design("spiked");
}

static void test_isotropic_against_numpy(void **state)
{
	(void)state;
	check_design("isotropic");
}

/* Bad shapes are refused, not read out of bounds. */
static void test_bad_shapes(void **state)
{
	(void)state;
	double v[4] = {0}, out[4], work[8];
	assert_int_equal(linear_min_norm_parts(v, v, v, 0, 2, out, out, out, work), -1);
	assert_int_equal(linear_min_norm_parts(v, v, v, 2, 0, out, out, out, work), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_spiked_against_numpy),
		cmocka_unit_test(test_isotropic_against_numpy),
		cmocka_unit_test(test_bad_shapes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
