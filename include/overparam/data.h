/* data.h: the synthetic data sets of the seed demos. Every draw comes from
 * the rng stream passed in, so a data set is fixed by (seed, stream). */
#ifndef OVERPARAM_DATA_H
#define OVERPARAM_DATA_H

#include "overparam/rng.h"

enum data_target {
	TARGET_SIN_COS, /* sin(sum x[0:5]) + 0.5 cos(sum x[5:10])   (width sweep) */
	TARGET_SIN3,    /* sin(sum x[0:3])                           (mode connectivity) */
	TARGET_LINEAR,  /* x . w with w nonzero on the first k coordinates (linear scenarios) */
	TARGET_TEACHER, /* a random ReLU net reading the first k coordinates (lottery tickets; its own code) */
};

/* X ~ N(0, I): for the MLP scenarios. */
void data_gaussian_f32(struct rng *r, float *X /* (n, d) row-major */, int n, int d);

/* y = target(X) + noise * N(0, 1). Needs d >= 10 (SIN_COS) or d >= 3 (SIN3). */
void data_target_f32(struct rng *r, enum data_target t, const float *X /* (n, d) */, int n, int d,
		     double noise, float *y /* (n) */);

/* Spiked Gaussian features: coordinate j has variance 1 for j < k and
 * lambda_tail otherwise (lambda_tail = 1 gives isotropic features). */
void data_spiked_f64(struct rng *r, double *X /* (n, p) row-major */, int n, int p, int k, double lambda_tail);

/* Teacher weights: w[j] ~ N(0, 1) for j < k, 0 for j >= k. */
void data_teacher_f64(struct rng *r, double *w /* (p) */, int p, int k);

/* y = X w + noise * N(0, 1). */
void data_linear_labels_f64(struct rng *r, const double *X /* (n, p) */, const double *w /* (p) */, int n, int p,
			    double noise, double *y /* (n) */);

#endif
