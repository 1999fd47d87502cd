/* test_linear.c: the min-norm interpolant against the SVD route and against
 * its defining properties (interpolates; orthogonal to the null space of X,
 * hence shorter than every other interpolant), gradient descent from zero
 * converging to it, least squares when p < n, and hand-computed cases. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "overparam/data.h"
#include "overparam/linalg.h"
#include "overparam/linear.h"
#include "overparam/rng.h"

#define assert_near(got, want, tol)                                                                    \
	do {                                                                                           \
		double g_ = (got), w_ = (want), t_ = (tol);                                            \
		if (!(fabs(g_ - w_) <= t_))                                                            \
			fail_msg("%s = %.12g, want %.12g (tol %.3g)", #got, g_, w_, t_);                \
	} while (0)

struct problem {
	int n, p, k;
	double *X;     /* (n, p) */
	double *y;     /* (n) */
	double *theta; /* (p) */
	double *work;  /* (n*n + n) */
	double *resid; /* (n) */
};

static void problem_make(struct problem *pb, int n, int p, int k, double lambda_tail, uint64_t seed)
{
	struct rng r;
	double *w = malloc((size_t)p * sizeof *w);

	pb->n = n;
	pb->p = p;
	pb->k = k;
	pb->X = malloc((size_t)n * p * sizeof *pb->X);
	pb->y = malloc((size_t)n * sizeof *pb->y);
	pb->theta = calloc((size_t)p, sizeof *pb->theta);
	pb->work = malloc(((size_t)n * n + n) * sizeof *pb->work);
	pb->resid = malloc((size_t)n * sizeof *pb->resid);
	assert_true(w && pb->X && pb->y && pb->theta && pb->work && pb->resid);
	rng_seed(&r, seed, 0);
	data_spiked_f64(&r, pb->X, n, p, k, lambda_tail);
	data_teacher_f64(&r, w, p, k);
	data_linear_labels_f64(&r, pb->X, w, n, p, 0.3, pb->y);
	free(w);
}

static void problem_free(struct problem *pb)
{
	free(pb->X);
	free(pb->y);
	free(pb->theta);
	free(pb->work);
	free(pb->resid);
}

/* max_i |(X theta - y)_i|, by plain loops */
static double max_residual(const struct problem *pb, const double *theta /* (p) */)
{
	double worst = 0.0;

	for (int i = 0; i < pb->n; i++) {
		double s = -pb->y[i];
		for (int j = 0; j < pb->p; j++)
			s += pb->X[(size_t)i * pb->p + j] * theta[j];
		worst = fmax(worst, fabs(s));
	}
	return worst;
}

static double rel_dist(const double *a /* (p) */, const double *b /* (p) */, int p)
{
	double d = 0.0, nb = 0.0;

	for (int j = 0; j < p; j++) {
		d += (a[j] - b[j]) * (a[j] - b[j]);
		nb += b[j] * b[j];
	}
	return sqrt(d / nb);
}

static double dot(const double *a, const double *b, int p)
{
	double s = 0.0;

	for (int j = 0; j < p; j++)
		s += a[j] * b[j];
	return s;
}

static void check_min_norm(int n, int p, int k, double lambda_tail, int max_steps)
{
	struct problem pb;
	struct rng r;

	problem_make(&pb, n, p, k, lambda_tail, 42);
	double *svd = malloc((size_t)p * sizeof *svd);
	double *z = malloc((size_t)p * sizeof *z);
	double *zrow = malloc((size_t)p * sizeof *zrow);
	double *Xz = malloc((size_t)n * sizeof *Xz);
	double *gd = calloc((size_t)p, sizeof *gd);
	assert_true(svd && z && zrow && Xz && gd);

	assert_int_equal(linear_min_norm(pb.X, pb.y, n, p, pb.theta, pb.work), 0);
	assert_true(max_residual(&pb, pb.theta) < 1e-8);
	assert_int_equal(linalg_lstsq_svd(pb.X, pb.y, n, p, svd), 0);
	assert_true(rel_dist(pb.theta, svd, p) < 1e-8);

	/* Another interpolant: theta + z with z in the null space of X, made by
	 * removing from a random vector its row-space part (the min-norm
	 * solution of X u = X z, taken from the SVD route). */
	rng_seed(&r, 7, 1);
	for (int j = 0; j < p; j++)
		z[j] = rng_normal(&r);
	for (int i = 0; i < n; i++)
		Xz[i] = dot(pb.X + (size_t)i * p, z, p);
	assert_int_equal(linalg_lstsq_svd(pb.X, Xz, n, p, zrow), 0);
	for (int j = 0; j < p; j++) {
		z[j] -= zrow[j];
		zrow[j] = pb.theta[j] + z[j];
	}
	assert_true(max_residual(&pb, zrow) < 1e-8);
	double nt = dot(pb.theta, pb.theta, p), nz = dot(z, z, p), nboth = dot(zrow, zrow, p);
	assert_true(nz > 1.0);
	assert_true(nboth > nt);
	/* Pythagoras: theta is orthogonal to the whole null space. */
	assert_near(nboth, nt + nz, 1e-9 * nboth);

	/* Gradient descent from zero with the optimal fixed step. */
	double lr = linear_gd_step_size(pb.X, n, p, pb.work);
	assert_true(lr > 0.0);
	int steps = 0;
	while (steps < max_steps && rel_dist(gd, pb.theta, p) >= 1e-6) {
		linear_gd_step(pb.X, pb.y, n, p, lr, gd, pb.resid);
		steps++;
	}
	print_message("n=%d p=%d k=%d lambda_tail=%g: GD reached the min-norm point within 1e-6 in %d steps (lr %.4g)\n",
		      n, p, k, lambda_tail, steps, lr);
	assert_true(rel_dist(gd, pb.theta, p) < 1e-6);
	assert_true(linear_mse(pb.X, pb.y, n, p, gd, pb.resid) < 1e-10);

	free(svd);
	free(z);
	free(zrow);
	free(Xz);
	free(gd);
	problem_free(&pb);
}

static void test_min_norm_isotropic(void **state)
{
	(void)state;
	check_min_norm(40, 120, 10, 1.0, 2000);
}

static void test_min_norm_spiked(void **state)
{
	(void)state;
	check_min_norm(100, 500, 10, 0.01, 5000);
}

/* Duplicate rows make X X^T singular; the SVD fallback still gives the
 * min-norm interpolant of the consistent system. */
static void test_min_norm_rank_deficient(void **state)
{
	(void)state;
	struct problem pb;
	int n = 12, p = 30;

	problem_make(&pb, n, p, p, 1.0, 3);
	memcpy(pb.X + (size_t)11 * p, pb.X, (size_t)p * sizeof *pb.X);
	memcpy(pb.X + (size_t)10 * p, pb.X + (size_t)p, (size_t)p * sizeof *pb.X);
	pb.y[11] = pb.y[0];
	pb.y[10] = pb.y[1];
	double *svd = malloc((size_t)p * sizeof *svd);
	assert_non_null(svd);
	assert_int_equal(linear_min_norm(pb.X, pb.y, n, p, pb.theta, pb.work), 0);
	assert_int_equal(linalg_lstsq_svd(pb.X, pb.y, n, p, svd), 0);
	assert_true(max_residual(&pb, pb.theta) < 1e-8);
	assert_true(rel_dist(pb.theta, svd, p) < 1e-8);
	free(svd);
	problem_free(&pb);
}

/* Rows 0 and 11 differ by 1e-7: X X^T is full rank but its condition
 * number (~1e14) leaves the Cholesky route with a few correct digits, so
 * the pivot check must send it to the SVD, which still interpolates. */
static void test_min_norm_nearly_singular(void **state)
{
	(void)state;
	struct problem pb;
	struct rng r;
	int n = 12, p = 30;

	problem_make(&pb, n, p, p, 1.0, 4);
	rng_seed(&r, 4, 9);
	for (int j = 0; j < p; j++)
		pb.X[(size_t)11 * p + j] = pb.X[j] + 1e-7 * rng_normal(&r);
	pb.y[11] = pb.y[0];
	double *svd = malloc((size_t)p * sizeof *svd);
	assert_non_null(svd);
	assert_int_equal(linear_min_norm(pb.X, pb.y, n, p, pb.theta, pb.work), 0);
	assert_int_equal(linalg_lstsq_svd(pb.X, pb.y, n, p, svd), 0);
	assert_true(max_residual(&pb, svd) < 1e-8);
	assert_true(max_residual(&pb, pb.theta) < 1e-8);
	assert_true(rel_dist(pb.theta, svd, p) < 1e-8);
	free(svd);
	problem_free(&pb);
}

/* p < n: least squares, so X^T (X theta - y) = 0 while X theta != y. */
static void test_least_squares_when_underparameterized(void **state)
{
	(void)state;
	struct problem pb;
	int n = 60, p = 20;

	problem_make(&pb, n, p, 5, 1.0, 11);
	assert_int_equal(linear_min_norm(pb.X, pb.y, n, p, pb.theta, pb.work), 0);
	assert_true(max_residual(&pb, pb.theta) > 1e-2); /* noisy labels: no interpolation */
	double xty = 0.0, worst = 0.0;
	for (int j = 0; j < p; j++) {
		double g = 0.0, b = 0.0;
		for (int i = 0; i < n; i++) {
			double ri = dot(pb.X + (size_t)i * p, pb.theta, p) - pb.y[i];
			g += pb.X[(size_t)i * p + j] * ri;
			b += pb.X[(size_t)i * p + j] * pb.y[i];
		}
		worst = fmax(worst, fabs(g));
		xty = fmax(xty, fabs(b));
	}
	assert_true(worst < 1e-10 * xty);
	/* GD's step size ignores the n - p zero eigenvalues of X X^T. */
	double lr = linear_gd_step_size(pb.X, n, p, pb.work);
	assert_true(lr > 0.0 && isfinite(lr));
	problem_free(&pb);
}

/* Step sizes of hand-made Gram matrices. */
static void test_gd_step_size_by_hand(void **state)
{
	(void)state;
	double work[3 * 3 + 3];
	/* X X^T / 2 = diag(2, 0.5): 2 / (2 + 0.5) */
	const double A[2 * 3] = {2, 0, 0, 0, 1, 0};
	assert_near(linear_gd_step_size(A, 2, 3, work), 0.8, 1e-12);
	/* X X^T / 3 has eigenvalues 0, 4/3, 4/3; the zero one is skipped:
	 * 2 / (4/3 + 4/3). */
	const double B[3 * 3] = {1, 1, 0, 1, 1, 0, 0, 0, 2};
	assert_near(linear_gd_step_size(B, 3, 3, work), 0.75, 1e-12);
}

/* One step and the MSE on a 2 x 2 problem worked out by hand:
 * X = [[1, 2], [3, 4]], y = [1, 1], theta = [1, -1]:
 * X theta - y = [-2, -2], MSE = 4, X^T r / n = [-4, -6],
 * theta - 0.1 * [-4, -6] = [1.4, -0.4]. */
static void test_gd_step_and_mse_by_hand(void **state)
{
	(void)state;
	const double X[4] = {1, 2, 3, 4}, y[2] = {1, 1};
	double theta[2] = {1, -1}, resid[2];

	assert_near(linear_mse(X, y, 2, 2, theta, resid), 4.0, 1e-14);
	linear_gd_step(X, y, 2, 2, 0.1, theta, resid);
	assert_near(theta[0], 1.4, 1e-14);
	assert_near(theta[1], -0.4, 1e-14);
}

static void test_norm_split(void **state)
{
	(void)state;
	const double t[3] = {3, 4, 12};
	double s, nz;

	linear_norm_split(t, 3, 2, &s, &nz);
	assert_near(s, 5.0, 1e-14);
	assert_near(nz, 12.0, 1e-14);

	struct problem pb;
	problem_make(&pb, 20, 50, 10, 1.0, 5);
	assert_int_equal(linear_min_norm(pb.X, pb.y, 20, 50, pb.theta, pb.work), 0);
	linear_norm_split(pb.theta, 50, 10, &s, &nz);
	double all = linalg_norm2(pb.theta, 50);
	assert_true(s > 0.0 && nz > 0.0);
	assert_near(s * s + nz * nz, all * all, 1e-12 * all * all);
	problem_free(&pb);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_min_norm_isotropic),
		cmocka_unit_test(test_min_norm_spiked),
		cmocka_unit_test(test_min_norm_rank_deficient),
		cmocka_unit_test(test_min_norm_nearly_singular),
		cmocka_unit_test(test_least_squares_when_underparameterized),
		cmocka_unit_test(test_gd_step_size_by_hand),
		cmocka_unit_test(test_gd_step_and_mse_by_hand),
		cmocka_unit_test(test_norm_split),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
