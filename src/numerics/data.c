/* data.c: the seed demos' synthetic data. Draws are taken in a fixed order
 * (row by row; one noise draw per label even when noise is 0), so a data set
 * depends only on (seed, stream) and its shape, never on the noise level. */
#include <math.h>

#include <cblas.h>

#include "overparam/data.h"

void data_gaussian_f32(struct rng *r, float *X /* (n, d) row-major */, int n, int d)
{
	size_t total = (size_t)n * (size_t)d;

	for (size_t i = 0; i < total; i++)
		X[i] = (float)rng_normal(r);
}

static double row_sum(const float *x /* (to) */, int from, int to)
{
	double s = 0.0;

	for (int j = from; j < to; j++)
		s += x[j];
	return s;
}

void data_target_f32(struct rng *r, enum data_target t, const float *X /* (n, d) */, int n, int d,
		     double noise, float *y /* (n) */)
{
	for (int i = 0; i < n; i++) {
		const float *x = X + (size_t)i * (size_t)d;
		double f;

		if (t == TARGET_SIN_COS && d >= 10)
			f = sin(row_sum(x, 0, 5)) + 0.5 * cos(row_sum(x, 5, 10));
		else if (t == TARGET_SIN3 && d >= 3)
			f = sin(row_sum(x, 0, 3));
		else
			f = NAN; /* TARGET_LINEAR has no float32 form (its teacher is data_teacher_f64) */
		y[i] = (float)(f + noise * rng_normal(r));
	}
}

void data_spiked_f64(struct rng *r, double *X /* (n, p) row-major */, int n, int p, int k, double lambda_tail)
{
	double tail = sqrt(lambda_tail);

	for (int i = 0; i < n; i++) {
		double *x = X + (size_t)i * (size_t)p;

		for (int j = 0; j < p; j++)
			x[j] = (j < k ? 1.0 : tail) * rng_normal(r);
	}
}

void data_teacher_f64(struct rng *r, double *w /* (p) */, int p, int k)
{
	for (int j = 0; j < p; j++)
		w[j] = j < k ? rng_normal(r) : 0.0;
}

void data_linear_labels_f64(struct rng *r, const double *X /* (n, p) */, const double *w /* (p) */, int n, int p,
			    double noise, double *y /* (n) */)
{
	if (n <= 0)
		return;
	cblas_dgemv(CblasRowMajor, CblasNoTrans, n, p, 1.0, X, p, w, 1, 0.0, y, 1);
	for (int i = 0; i < n; i++)
		y[i] += noise * rng_normal(r);
}
