/* test_hvp.c: exact Hessian-vector products (src/numerics/hvp.c) against
 * PyTorch's torch.autograd.functional.hvp, and the Lanczos top eigenvalue
 * against numpy's eigvalsh of the full Hessian of a tiny net. The fixtures
 * are tests/fixtures/hvp.txt and hessian_eig.txt, written by
 * tests/reference/hvp_fixtures.py (`make fixtures`); run from the
 * repository root, as tests/run does. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "overparam/hvp.h"
#include "overparam/mlp.h"
#include "overparam/rng.h"

#define FIXTURE_DIR "tests/fixtures/"
/* The products are float64 in both: what is left is summation order. */
#define TOL_HVP 1e-5
#define TOL_EIG 1e-6

/* Array `name` of a fixture file, exactly `count` values (malloc'd), or a
 * failed test. A header is `name count`; the values follow, one a line. */
static double *fix_read(const char *file, const char *name, size_t count)
{
	char path[256], line[256], key[64];
	snprintf(path, sizeof path, FIXTURE_DIR "%s", file);
	FILE *f = fopen(path, "r");
	if (!f)
		fail_msg("%s: cannot open (run from the repository root)", path);
	size_t n = 0, got = 0;
	double *v = NULL;
	while (fgets(line, sizeof line, f)) {
		if (line[0] == '#')
			continue;
		if (!v) {
			if (sscanf(line, "%63s %zu", key, &n) == 2 && strcmp(key, name) == 0)
				v = calloc(count, sizeof *v);
			continue;
		}
		if (got == n)
			break;
		char *end;
		double x = strtod(line, &end);
		if (end == line || got >= count)
			break;
		v[got++] = x;
	}
	fclose(f);
	if (!v || n != count || got != count) {
		free(v);
		fail_msg("%s: %s: want %zu values, found %zu of %zu", path, name, count, got, n);
	}
	return v;
}

struct net_case {
	int dims[MLP_MAX_LAYERS + 1];
	int n_layers, n;
	size_t np;
	float *X, *y, *theta;
};

static float *to_floats(double *v, size_t count)
{
	float *f = malloc(count * sizeof *f);
	assert_non_null(f);
	for (size_t i = 0; i < count; i++) {
		f[i] = (float)v[i];
		if ((double)f[i] != v[i])
			fail_msg("fixture value %zu = %a is not a float32", i, v[i]);
	}
	free(v);
	return f;
}

static void case_load(struct net_case *c, const char *file)
{
	double *dims = fix_read(file, "dims", 4);
	int d = (int)dims[0], width = (int)dims[1], depth = (int)dims[2];
	c->n = (int)dims[3];
	free(dims);
	c->n_layers = mlp_layer_dims(c->dims, d, depth, width, 1);
	c->np = mlp_count_params(c->dims, c->n_layers);
	c->X = to_floats(fix_read(file, "X", (size_t)c->n * (size_t)d), (size_t)c->n * (size_t)d);
	c->y = to_floats(fix_read(file, "y", (size_t)c->n), (size_t)c->n);
	c->theta = to_floats(fix_read(file, "theta", c->np), c->np);
}

static void case_free(struct net_case *c)
{
	free(c->X);
	free(c->y);
	free(c->theta);
}

/* |got - want| <= tol * max(|want|, rms(want)) everywhere (as
 * test_torch_fixtures.c: relative, with the vector's size as the floor). */
static void assert_close(const char *what, const double *got, const double *want, size_t n, double tol)
{
	double ss = 0;
	for (size_t i = 0; i < n; i++)
		ss += want[i] * want[i];
	double rms = sqrt(ss / (double)n);
	for (size_t i = 0; i < n; i++)
		if (!(fabs(got[i] - want[i]) <= tol * fmax(fabs(want[i]), rms)))
			fail_msg("%s[%zu] = %.12g, want %.12g (rms %.3g)", what, i, got[i], want[i], rms);
}

static void test_hvp_matches_torch(void **state)
{
	(void)state;
	struct net_case c;
	struct hvp h;
	case_load(&c, "hvp.txt");
	assert_int_equal(hvp_create(&h, c.dims, c.n_layers, c.n, 4), 0);
	double *loss = fix_read("hvp.txt", "loss", 1);
	double got = hvp_prepare(&h, c.theta, c.X, c.y);
	assert_close("loss", &got, loss, 1, 1e-12);
	free(loss);
	double *hv = malloc(c.np * sizeof *hv);
	for (int k = 0; k < 3; k++) {
		char vn[8], hn[8];
		snprintf(vn, sizeof vn, "v%d", k);
		snprintf(hn, sizeof hn, "hv%d", k);
		double *v = fix_read("hvp.txt", vn, c.np), *want = fix_read("hvp.txt", hn, c.np);
		hvp_apply(&h, v, hv);
		assert_close(hn, hv, want, c.np, TOL_HVP);
		free(v);
		free(want);
	}
	free(hv);
	hvp_destroy(&h);
	case_free(&c);
}

/* Lanczos with fewer vectors than parameters still finds the top one (the
 * gap is wide), warm-started from its own Ritz vector the same again. */
static void test_top_eigenvalue_matches_eigvalsh(void **state)
{
	(void)state;
	struct net_case c;
	struct hvp h;
	struct rng r;
	case_load(&c, "hessian_eig.txt");
	double *ev = fix_read("hessian_eig.txt", "eigvals", c.np);
	double top = ev[c.np - 1];
	assert_true(top > 0);
	assert_int_equal(hvp_create(&h, c.dims, c.n_layers, c.n, 20), 0);
	rng_seed(&r, 1, 0);
	hvp_prepare(&h, c.theta, c.X, c.y);
	for (int call = 0; call < 2; call++) {
		double got = hvp_top_eigenvalue(&h, &r);
		if (!(fabs(got - top) <= TOL_EIG * top))
			fail_msg("call %d: top eigenvalue %.12g, eigvalsh %.12g", call, got, top);
	}
	free(ev);
	hvp_destroy(&h);
	case_free(&c);
}

/* An independent property: u . H v = v . H u for any u, v. */
static void test_hvp_is_symmetric(void **state)
{
	(void)state;
	struct net_case c;
	struct hvp h;
	struct rng r;
	case_load(&c, "hvp.txt");
	assert_int_equal(hvp_create(&h, c.dims, c.n_layers, c.n, 4), 0);
	hvp_prepare(&h, c.theta, c.X, c.y);
	double *u = malloc(4 * c.np * sizeof *u), *v = u + c.np, *hu = v + c.np, *hv = hu + c.np;
	rng_seed(&r, 3, 0);
	for (size_t i = 0; i < 2 * c.np; i++)
		u[i] = rng_normal(&r);
	hvp_apply(&h, u, hu);
	hvp_apply(&h, v, hv);
	double uhv = 0, vhu = 0, scale = 0;
	for (size_t i = 0; i < c.np; i++) {
		uhv += u[i] * hv[i];
		vhu += v[i] * hu[i];
		scale += fabs(u[i] * hv[i]);
	}
	assert_true(fabs(uhv - vhu) <= 1e-12 * scale);
	free(u);
	hvp_destroy(&h);
	case_free(&c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hvp_matches_torch),
		cmocka_unit_test(test_top_eigenvalue_matches_eigvalsh),
		cmocka_unit_test(test_hvp_is_symmetric),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
