/* test_data.c: the seed demos' data sets: target formulas on hand-chosen
 * inputs, label noise of the stated size, spiked covariances, the teacher's
 * support, and linear labels. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <stdlib.h>

#include "overparam/data.h"
#include "overparam/rng.h"

#define assert_near(got, want, tol)                                                                    \
	do {                                                                                           \
		double g_ = (got), w_ = (want), t_ = (tol);                                            \
		if (!(fabs(g_ - w_) <= t_))                                                            \
			fail_msg("%s = %.10g, want %.10g (tol %.3g)", #got, g_, w_, t_);                \
	} while (0)

/* Rows of 12 features; the last two must not matter for either target.
 * Row 0: x0..x4 sum to 1.5, x5..x9 to 2, x0..x2 to 0.5.
 * Row 1: x0..x4 sum to -1, x5..x9 to 0, x0..x2 to -1.25. */
static const float hand_X[2 * 12] = {
	0.5f, 0.25f, -0.25f, 1.0f, 0.0f, 0.5f, 0.5f, 0.0f, 0.0f, 1.0f, 9.0f, -9.0f,
	-1.0f, 0.5f, -0.75f, 0.0f, 0.25f, 3.0f, -1.0f, -2.0f, 0.5f, -0.5f, 7.0f, 7.0f,
};

static void test_targets_by_hand(void **state)
{
	(void)state;
	struct rng r;
	float y[2];

	rng_seed(&r, 1, 0);
	data_target_f32(&r, TARGET_SIN_COS, hand_X, 2, 12, 0.0, y);
	assert_near(y[0], sin(1.5) + 0.5 * cos(2.0), 1e-6);
	assert_near(y[1], sin(-1.0) + 0.5 * cos(0.0), 1e-6);

	data_target_f32(&r, TARGET_SIN3, hand_X, 2, 12, 0.0, y);
	assert_near(y[0], sin(0.5), 1e-6);
	assert_near(y[1], sin(-1.25), 1e-6);
}

/* y - target(X) is N(0, noise^2) over many rows. */
static void test_label_noise(void **state)
{
	(void)state;
	enum { N = 20000, D = 10 };
	float *X = malloc(sizeof(float) * N * D), *y = malloc(sizeof(float) * N), *f = malloc(sizeof(float) * N);
	struct rng r;

	assert_true(X && y && f);
	rng_seed(&r, 3, 0);
	data_gaussian_f32(&r, X, N, D);
	struct rng after_clean;
	rng_seed(&r, 3, 1);
	data_target_f32(&r, TARGET_SIN_COS, X, N, D, 0.0, f);
	after_clean = r;
	rng_seed(&r, 3, 1);
	data_target_f32(&r, TARGET_SIN_COS, X, N, D, 0.3, y);
	/* The noise level does not move the stream: what is drawn next (a test
	 * set, say) is the same with or without label noise. */
	assert_memory_equal(after_clean.s, r.s, sizeof r.s);
	double s = 0.0, s2 = 0.0, xs = 0.0, xs2 = 0.0;
	for (int i = 0; i < N; i++) {
		double e = (double)y[i] - f[i];
		s += e;
		s2 += e * e;
	}
	for (int i = 0; i < N * D; i++) {
		xs += X[i];
		xs2 += (double)X[i] * X[i];
	}
	assert_near(s / N, 0.0, 5.0 * 0.3 / sqrt(N));
	assert_near(s2 / N, 0.09, 5.0 * 0.09 * sqrt(2.0 / N));
	/* the features themselves are standard normal */
	assert_near(xs / (N * D), 0.0, 5.0 / sqrt(N * D));
	assert_near(xs2 / (N * D), 1.0, 5.0 * sqrt(2.0 / (N * D)));
	free(X);
	free(y);
	free(f);
}

/* Coordinate j has variance 1 for j < k and lambda_tail after, mean 0. */
static void test_spiked_variances(void **state)
{
	(void)state;
	enum { N = 20000, P = 16, K = 4 };
	double *X = malloc(sizeof(double) * N * P);
	struct rng r;

	assert_non_null(X);
	for (int c = 0; c < 2; c++) {
		double lambda = c ? 1.0 : 0.01;
		rng_seed(&r, 5, (uint64_t)c);
		data_spiked_f64(&r, X, N, P, K, lambda);
		for (int j = 0; j < P; j++) {
			double s = 0.0, s2 = 0.0, want = j < K ? 1.0 : lambda;
			for (int i = 0; i < N; i++) {
				s += X[(size_t)i * P + j];
				s2 += X[(size_t)i * P + j] * X[(size_t)i * P + j];
			}
			assert_near(s / N, 0.0, 5.0 * sqrt(want / N));
			assert_near(s2 / N, want, 5.0 * want * sqrt(2.0 / N));
		}
	}
	free(X);
}

/* The teacher uses exactly the first k coordinates. */
static void test_teacher_support(void **state)
{
	(void)state;
	double w[50];
	struct rng r;

	rng_seed(&r, 6, 0);
	data_teacher_f64(&r, w, 50, 10);
	for (int j = 0; j < 50; j++) {
		if (j < 10)
			assert_true(w[j] != 0.0 && fabs(w[j]) < 6.0);
		else
			assert_true(w[j] == 0.0);
	}
}

/* y = X w exactly (to rounding) with no noise; with noise, y - X w has the
 * noise's variance. */
static void test_linear_labels(void **state)
{
	(void)state;
	enum { N = 4000, P = 30, K = 5 };
	double *X = malloc(sizeof(double) * N * P), *y = malloc(sizeof(double) * N), w[P];
	struct rng r;

	assert_true(X && y);
	rng_seed(&r, 8, 0);
	data_spiked_f64(&r, X, N, P, P, 1.0);
	data_teacher_f64(&r, w, P, K);
	data_linear_labels_f64(&r, X, w, N, P, 0.0, y);
	for (int i = 0; i < N; i++) {
		double xw = 0.0, mag = 0.0;
		for (int j = 0; j < P; j++) {
			xw += X[(size_t)i * P + j] * w[j];
			mag += fabs(X[(size_t)i * P + j] * w[j]);
		}
		assert_near(y[i], xw, 1e-14 * mag);
	}
	data_linear_labels_f64(&r, X, w, N, P, 0.5, y);
	double s2 = 0.0;
	for (int i = 0; i < N; i++) {
		double xw = 0.0;
		for (int j = 0; j < P; j++)
			xw += X[(size_t)i * P + j] * w[j];
		s2 += (y[i] - xw) * (y[i] - xw);
	}
	assert_near(s2 / N, 0.25, 5.0 * 0.25 * sqrt(2.0 / N));
	free(X);
	free(y);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_targets_by_hand),
		cmocka_unit_test(test_label_noise),
		cmocka_unit_test(test_spiked_variances),
		cmocka_unit_test(test_teacher_support),
		cmocka_unit_test(test_linear_labels),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
