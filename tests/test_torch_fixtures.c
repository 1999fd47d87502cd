/* test_torch_fixtures.c: our numbers against PyTorch's and numpy's on the
 * same starting points. tests/reference/torch_fixtures.py (`make fixtures`)
 * wrote the reference runs to tests/fixtures/: ten full-batch SGD steps of a
 * width-sweep net, ten Adam steps of two mode-connectivity nets and the loss
 * along the line between them, and numpy's minimum-norm interpolant. Here we
 * load the same weights and data, take the same steps with mlp_loss_grad and
 * optim_step, and compare every loss and every final weight. Run from the
 * repository root (as tests/run does): the fixtures are opened by relative
 * path, and torch is not needed. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <cblas.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "overparam/linear.h"
#include "overparam/mlp.h"
#include "overparam/optim.h"
#include "overparam/workers.h"

#define FIXTURE_DIR "tests/fixtures/"
#define FIX_MAX_ARRAYS 64
#define FIX_NAME_MAX 48
#define FIX_MAX_COUNT 1000000
/* Room for a prefix of up to FIX_NAME_MAX plus a "_W15" suffix. */
#define NAME_BUF (FIX_NAME_MAX + 16)

/* float32 results: torch and we round the same math in different orders
 * (other GEMM kernels, other reduction orders), which moves a value by a
 * few float32 ulps per operation, ~1e-7 relative, and ten steps compound
 * that a little (we measured up to ~2e-7 here). 1e-5 leaves a wide margin
 * over that and is still far below what a real formula change produces: a
 * missing Adam bias correction or a flipped update sign moves the losses by
 * 1e-2 and more. (A factor of 2 in the MSE gradient fails the SGD case by
 * 2e-3 but Adam, nearly blind to gradient scale, only just.) The script checks
 * that float32 vs float64 torch differ by < 1e-6 on these cases, so the
 * references are not themselves dominated by rounding. */
#define TOL_F32 1e-5
/* float64 min-norm solve of a well-conditioned 30 x 80 system: Cholesky of
 * the Gram matrix vs numpy's SVD pseudo-inverse agree to ~1e-14. */
#define TOL_F64 1e-9

/* One named array of a fixture file, values as read (exact). */
struct fix_array {
	char name[FIX_NAME_MAX];
	size_t count;
	double *v; /* (count) */
};

struct fixture {
	int n;
	struct fix_array a[FIX_MAX_ARRAYS];
};

/* Everything a test allocates, so teardown frees it even when an assertion
 * has jumped out of the test. */
struct ctx {
	struct fixture fx;
	struct mlp net[2];
	struct mlp mix;
	struct optim opt[2];
	float *X; /* (n, d) */
	float *y; /* (n) */
	double *theta, *work;
};

static void fixture_free(struct fixture *fx)
{
	for (int i = 0; i < fx->n; i++)
		free(fx->a[i].v);
	fx->n = 0;
}

static int is_blank_or_comment(const char *s)
{
	while (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n')
		s++;
	return *s == '\0' || *s == '#';
}

/* Only trailing whitespace may follow a parsed token. */
static int rest_is_blank(const char *s)
{
	while (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n')
		s++;
	return *s == '\0';
}

/* Parses one fixture file: `name count` headers, each followed by `count`
 * lines of one number (hex floats from float.hex()). Any malformed line, a
 * short array, a duplicate name or a non-finite value is an error, so a
 * damaged fixture fails loudly instead of comparing fewer numbers. */
static int fixture_load(struct fixture *fx, const char *path, char *err, size_t errlen)
{
	FILE *f = fopen(path, "r");
	char *line = NULL;
	size_t cap = 0;
	long lineno = 0;
	struct fix_array *cur = NULL;
	size_t filled = 0;
	int rc = -1;

	memset(fx, 0, sizeof *fx);
	if (!f) {
		snprintf(err, errlen, "%s: %s (run the test from the repository root)", path, strerror(errno));
		return -1;
	}
	while (getline(&line, &cap, f) != -1) {
		lineno++;
		if (is_blank_or_comment(line))
			continue;
		if (cur && filled < cur->count) {
			char *end;
			errno = 0;
			double v = strtod(line, &end);
			if (end == line || !rest_is_blank(end) || errno == ERANGE || !isfinite(v)) {
				snprintf(err, errlen, "%s:%ld: bad value in %s", path, lineno, cur->name);
				goto out;
			}
			cur->v[filled++] = v;
			continue;
		}
		/* Header: a name token, then the count. */
		char name[FIX_NAME_MAX];
		const char *p = line;
		size_t len = 0;
		while (*p == ' ' || *p == '\t')
			p++;
		while (p[len] && !strchr(" \t\r\n", p[len]))
			len++;
		if (len == 0 || len >= sizeof name) {
			snprintf(err, errlen, "%s:%ld: expected `name count`", path, lineno);
			goto out;
		}
		memcpy(name, p, len);
		name[len] = '\0';
		char *end;
		errno = 0;
		long count = strtol(p + len, &end, 10);
		if (end == p + len || !rest_is_blank(end) || errno || count < 1 || count > FIX_MAX_COUNT) {
			snprintf(err, errlen, "%s:%ld: %s: bad count", path, lineno, name);
			goto out;
		}
		for (int i = 0; i < fx->n; i++) {
			if (strcmp(fx->a[i].name, name) == 0) {
				snprintf(err, errlen, "%s:%ld: %s appears twice", path, lineno, name);
				goto out;
			}
		}
		if (fx->n == FIX_MAX_ARRAYS) {
			snprintf(err, errlen, "%s:%ld: more than %d arrays", path, lineno, FIX_MAX_ARRAYS);
			goto out;
		}
		cur = &fx->a[fx->n];
		memcpy(cur->name, name, sizeof name);
		cur->count = (size_t)count;
		cur->v = malloc(sizeof(double) * cur->count);
		if (!cur->v) {
			snprintf(err, errlen, "%s: out of memory", path);
			goto out;
		}
		fx->n++;
		filled = 0;
	}
	if (ferror(f)) {
		snprintf(err, errlen, "%s: read error", path);
		goto out;
	}
	if (cur && filled < cur->count) {
		snprintf(err, errlen, "%s: %s ends after %zu of %zu values", path, cur->name, filled, cur->count);
		goto out;
	}
	if (fx->n == 0) {
		snprintf(err, errlen, "%s: no arrays", path);
		goto out;
	}
	rc = 0;
out:
	free(line);
	fclose(f);
	if (rc != 0)
		fixture_free(fx);
	return rc;
}

static void load_or_fail(struct fixture *fx, const char *file)
{
	char path[256], err[512];

	snprintf(path, sizeof path, FIXTURE_DIR "%s", file);
	if (fixture_load(fx, path, err, sizeof err) != 0)
		fail_msg("%s", err);
}

/* The array `name`, which must hold exactly `count` values. */
static const double *fix_get(const struct fixture *fx, const char *name, size_t count)
{
	for (int i = 0; i < fx->n; i++) {
		if (strcmp(fx->a[i].name, name) == 0) {
			if (fx->a[i].count != count)
				fail_msg("fixture array %s has %zu values, want %zu", name, fx->a[i].count, count);
			return fx->a[i].v;
		}
	}
	fail_msg("fixture array %s is missing", name);
	return NULL;
}

/* A float32 array: every value must be exactly a float, or the file is not
 * what the script wrote. */
static void fix_floats(const struct fixture *fx, const char *name, size_t count, float *dst /* (count) */)
{
	const double *v = fix_get(fx, name, count);

	for (size_t i = 0; i < count; i++) {
		dst[i] = (float)v[i];
		if ((double)dst[i] != v[i])
			fail_msg("fixture %s[%zu] = %a is not a float32 value", name, i, v[i]);
	}
}

/* A small non-negative integer stored as a float. */
static int fix_int(const struct fixture *fx, const char *name, size_t count, size_t i)
{
	double v = fix_get(fx, name, count)[i];

	if (!(v >= 0 && v <= 1e6) || v != floor(v))
		fail_msg("fixture %s[%zu] = %g is not a size", name, i, v);
	return (int)v;
}

/* Element i passes when |got - want| <= tol * max(|want|, rms(want)): a
 * plain relative error for the values that carry the tensor, and an error
 * relative to the tensor's typical size for entries near zero (a weight
 * that happens to be 1e-6 would otherwise demand an absolute agreement that
 * float32 rounding of its larger neighbours cannot give). `got` is either
 * float (gf) or double (gd). Fails at the first offending element. */
static void close_or_fail(const char *what, const float *gf /* (n) or NULL */, const double *gd /* (n) or NULL */,
			  const double *want /* (n) */, size_t n, double tol)
{
	double ss = 0.0;

	for (size_t i = 0; i < n; i++)
		ss += want[i] * want[i];
	double rms = sqrt(ss / (double)n);
	for (size_t i = 0; i < n; i++) {
		double got = gf ? (double)gf[i] : gd[i];
		double scale = fmax(fabs(want[i]), rms);
		if (fabs(got - want[i]) <= tol * scale)
			continue;
		char where[32] = "";
		if (n > 1)
			snprintf(where, sizeof where, "[%zu]", i);
		fail_msg("%s%s = %.9g, reference %.9g: error %.3g of scale %.3g exceeds %.0e", what, where, got, want[i],
			 fabs(got - want[i]) / scale, scale, tol);
	}
}

static void assert_close(const char *what, const double *got /* (n) */, const double *want /* (n) */, size_t n,
			 double tol)
{
	close_or_fail(what, NULL, got, want, n, tol);
}

static void assert_close_f32(const char *what, const float *got /* (n) */, const double *want /* (n) */, size_t n,
			     double tol)
{
	close_or_fail(what, got, NULL, want, n, tol);
}

/* The fixture nets: d -> width -> width -> 1, as the script builds them. */
static void net_dims(const struct fixture *fx, int dims[4], int *n, int *steps)
{
	dims[0] = fix_int(fx, "dims", 4, 0);
	dims[1] = dims[2] = fix_int(fx, "dims", 4, 1);
	dims[3] = 1;
	*n = fix_int(fx, "dims", 4, 2);
	*steps = fix_int(fx, "dims", 4, 3);
	if (dims[0] < 1 || dims[1] < 1 || *n < 1 || *steps < 1)
		fail_msg("fixture dims are empty");
}

/* Copies `prefix`_W0, _b0, ... into the net's slab through its layer views. */
static void load_params(const struct fixture *fx, const char *prefix, struct mlp *m)
{
	char name[NAME_BUF];
	size_t total = 0;

	for (int l = 0; l < m->n_layers; l++) {
		const struct mlp_layer *L = &m->layer[l];
		size_t nw = (size_t)L->out * (size_t)L->in;

		snprintf(name, sizeof name, "%s_W%d", prefix, l);
		fix_floats(fx, name, nw, L->W);
		snprintf(name, sizeof name, "%s_b%d", prefix, l);
		fix_floats(fx, name, (size_t)L->out, L->b);
		total += nw + (size_t)L->out;
	}
	assert_int_equal(total, m->n_params);
}

/* Every tensor of the net against `prefix`_W0, _b0, ... */
static void compare_params(const struct fixture *fx, const char *prefix, const struct mlp *m)
{
	char name[NAME_BUF];

	for (int l = 0; l < m->n_layers; l++) {
		const struct mlp_layer *L = &m->layer[l];
		size_t nw = (size_t)L->out * (size_t)L->in;

		snprintf(name, sizeof name, "%s_W%d", prefix, l);
		assert_close_f32(name, L->W, fix_get(fx, name, nw), nw, TOL_F32);
		snprintf(name, sizeof name, "%s_b%d", prefix, l);
		assert_close_f32(name, L->b, fix_get(fx, name, (size_t)L->out), (size_t)L->out, TOL_F32);
	}
}

/* The reference loop: loss and gradient at the current weights, then one
 * optimizer step; loss k is compared with torch's loss.item() of step k. */
static void train_and_compare(struct ctx *c, int k, const char *net, enum optim_kind kind)
{
	const struct fixture *fx = &c->fx;
	int dims[4], n, steps;
	char name[FIX_NAME_MAX];

	net_dims(fx, dims, &n, &steps);
	c->X = malloc(sizeof(float) * (size_t)n * (size_t)dims[0]);
	c->y = malloc(sizeof(float) * (size_t)n);
	assert_non_null(c->X);
	assert_non_null(c->y);
	fix_floats(fx, "X", (size_t)n * (size_t)dims[0], c->X);
	fix_floats(fx, "y", (size_t)n, c->y);
	assert_int_equal(mlp_create(&c->net[k], dims, 3, n), 0);
	snprintf(name, sizeof name, "%s_init", net);
	load_params(fx, name, &c->net[k]);
	assert_int_equal(optim_create(&c->opt[k], kind, c->net[k].n_params, fix_get(fx, "hyper", 1)[0]), 0);

	double loss[64];
	assert_true(steps <= 64);
	for (int s = 0; s < steps; s++) {
		loss[s] = mlp_loss_grad(&c->net[k], c->X, c->y, n);
		optim_step(&c->opt[k], c->net[k].params, c->net[k].grads);
	}
	/* Each loss relative to itself. */
	snprintf(name, sizeof name, "%s_loss", net);
	const double *want = fix_get(fx, name, (size_t)steps);
	for (int s = 0; s < steps; s++) {
		char what[NAME_BUF + 16];
		snprintf(what, sizeof what, "%s[%d]", name, s);
		assert_close(what, &loss[s], &want[s], 1, TOL_F32);
	}
	snprintf(name, sizeof name, "%s_final", net);
	compare_params(fx, name, &c->net[k]);
}

static int ctx_setup(void **state)
{
	struct ctx *c = calloc(1, sizeof *c);

	workers_set_flush(false); /* exact IEEE */
	workers_thread_fp();

	*state = c;
	return c ? 0 : -1;
}

static int ctx_teardown(void **state)
{
	struct ctx *c = *state;

	fixture_free(&c->fx);
	for (int k = 0; k < 2; k++) {
		mlp_destroy(&c->net[k]);
		optim_destroy(&c->opt[k]);
	}
	mlp_destroy(&c->mix);
	free(c->X);
	free(c->y);
	free(c->theta);
	free(c->work);
	free(c);
	return 0;
}

/* The width-sweep net, PyTorch default init: ten plain SGD steps. */
static void test_sgd_matches_torch(void **state)
{
	struct ctx *c = *state;

	load_or_fail(&c->fx, "sgd_sweep.txt");
	train_and_compare(c, 0, "sweep", OPTIM_SGD);
}

/* The mode-connectivity net, normal(0, 0.1) init: ten Adam steps, where
 * the bias correction and the placement of eps decide every early step. */
static void test_adam_net1_matches_torch(void **state)
{
	struct ctx *c = *state;

	load_or_fail(&c->fx, "adam_mc.txt");
	train_and_compare(c, 0, "net1", OPTIM_ADAM);
}

static void test_adam_net2_matches_torch(void **state)
{
	struct ctx *c = *state;

	load_or_fail(&c->fx, "adam_mc.txt");
	train_and_compare(c, 1, "net2", OPTIM_ADAM);
}

/* Loss along theta(a) = a*theta1 + (1-a)*theta2 between torch's two trained
 * nets, with theta(a) formed exactly as src/experiments/mode_connectivity.c
 * forms it: copy theta2, scale by (1 - a), add a*theta1, a in float. */
static void test_interpolation_matches_torch(void **state)
{
	struct ctx *c = *state;
	const struct fixture *fx = &c->fx;
	int dims[4], n, steps;

	load_or_fail(&c->fx, "adam_mc.txt");
	net_dims(fx, dims, &n, &steps);
	c->X = malloc(sizeof(float) * (size_t)n * (size_t)dims[0]);
	c->y = malloc(sizeof(float) * (size_t)n);
	assert_non_null(c->X);
	assert_non_null(c->y);
	fix_floats(fx, "X", (size_t)n * (size_t)dims[0], c->X);
	fix_floats(fx, "y", (size_t)n, c->y);
	for (int k = 0; k < 2; k++)
		assert_int_equal(mlp_create(&c->net[k], dims, 3, n), 0);
	assert_int_equal(mlp_create(&c->mix, dims, 3, n), 0);
	load_params(fx, "net1_final", &c->net[0]);
	load_params(fx, "net2_final", &c->net[1]);

	enum { K = 21 };
	const double *alpha = fix_get(fx, "alpha", K);
	double loss[K];
	int np = (int)c->mix.n_params;
	for (int i = 0; i < K; i++) {
		/* The scenario's grid, i / (K - 1); the fixture must use the same. */
		assert_true(alpha[i] == (double)i / (K - 1));
		float a = (float)alpha[i];
		cblas_scopy(np, c->net[1].params, 1, c->mix.params, 1);
		cblas_sscal(np, 1.0f - a, c->mix.params, 1);
		cblas_saxpy(np, a, c->net[0].params, 1, c->mix.params, 1);
		loss[i] = mlp_loss(&c->mix, c->X, c->y, n);
	}
	/* Each loss on its own scale: the curve's low ends matter as much as its peak. */
	const double *want = fix_get(fx, "interp", K);
	for (int i = 0; i < K; i++) {
		char what[32];
		snprintf(what, sizeof what, "interp[%d] (alpha %.2f)", i, alpha[i]);
		assert_close(what, &loss[i], &want[i], 1, TOL_F32);
	}
}

/* numpy's pinv(X) @ y (cross-checked by the script against lstsq) against
 * our Cholesky-of-the-Gram-matrix route. */
static void test_min_norm_matches_numpy(void **state)
{
	struct ctx *c = *state;
	const struct fixture *fx = &c->fx;

	load_or_fail(&c->fx, "min_norm.txt");
	int n = fix_int(fx, "dims", 2, 0), p = fix_int(fx, "dims", 2, 1);
	assert_true(n >= 1 && p > n);
	const double *X = fix_get(fx, "X", (size_t)n * (size_t)p);
	const double *y = fix_get(fx, "y", (size_t)n);
	const double *want = fix_get(fx, "theta", (size_t)p);
	c->theta = malloc(sizeof(double) * (size_t)p);
	c->work = malloc(sizeof(double) * (size_t)(n * n + n));
	assert_non_null(c->theta);
	assert_non_null(c->work);
	assert_int_equal(linear_min_norm(X, y, n, p, c->theta, c->work), 0);
	assert_close("theta", c->theta, want, (size_t)p, TOL_F64);
}

/* As the program runs: subnormal floats flushed to zero (workers.h). */
static int ftz_setup(void **state)
{
	int rc = ctx_setup(state);

	workers_set_flush(true);
	workers_thread_fp();
	return rc;
}

#define FTZ_TEST(f) {#f " (subnormals flushed)", f, ftz_setup, ctx_teardown, NULL}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_sgd_matches_torch, ctx_setup, ctx_teardown),
		cmocka_unit_test_setup_teardown(test_adam_net1_matches_torch, ctx_setup, ctx_teardown),
		cmocka_unit_test_setup_teardown(test_adam_net2_matches_torch, ctx_setup, ctx_teardown),
		cmocka_unit_test_setup_teardown(test_interpolation_matches_torch, ctx_setup, ctx_teardown),
		cmocka_unit_test_setup_teardown(test_min_norm_matches_numpy, ctx_setup, ctx_teardown),
		FTZ_TEST(test_sgd_matches_torch),
		FTZ_TEST(test_adam_net1_matches_torch),
		FTZ_TEST(test_adam_net2_matches_torch),
		FTZ_TEST(test_interpolation_matches_torch),
		FTZ_TEST(test_min_norm_matches_numpy),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
