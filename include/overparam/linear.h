/* linear.h: overparameterized linear regression in float64. The closed-form
 * minimum-norm interpolant, gradient descent from zero (which converges to
 * it when p > n), and the split of ||theta|| between signal and noise. */
#ifndef OVERPARAM_LINEAR_H
#define OVERPARAM_LINEAR_H

/* theta = X^T (X X^T)^{-1} y when p >= n (Cholesky of the n x n Gram
 * matrix), the least-squares solution otherwise; falls back to SVD (dgelsd)
 * when the Gram matrix is singular. `work` needs n*n + n doubles.
 * Returns 0, or -1 when LAPACK fails or the run is cancelled (run_loop.h). */
int linear_min_norm(const double *X /* (n, p) row-major */, const double *y /* (n) */, int n, int p,
		    double *theta /* (p) */, double *work /* (n*n + n) */);

/* Step size for gradient descent on L(theta) = ||X theta - y||^2 / (2n):
 * 2 / (lmax + lmin) with lmax, lmin the extreme nonzero eigenvalues of
 * X X^T / n (the fastest rate that provably contracts). `work`: n*n + n doubles.
 * 0 when the run is cancelled (run_loop.h). */
double linear_gd_step_size(const double *X /* (n, p) */, int n, int p, double *work /* (n*n + n) */);

/* One gradient step theta -= lr * X^T (X theta - y) / n. `resid`: scratch. */
void linear_gd_step(const double *X /* (n, p) */, const double *y /* (n) */, int n, int p, double lr,
		    double *theta /* (p) */, double *resid /* (n) */);

/* Mean squared error of X theta against y. `resid`: scratch. */
double linear_mse(const double *X /* (n, p) */, const double *y /* (n) */, int n, int p,
		  const double *theta /* (p) */, double *resid /* (n) */);

/* The min-norm fit of labels y = X w + eps split by linearity (theta =
 * X+ y): teacher = X+ (X w), the part that fits the teacher, and noise =
 * X+ (y - X w), the part that fits the label noise; they add up to
 * linear_min_norm's theta. `yy` (n) and `work` (n*n + n): scratch.
 * Returns 0, or -1 as linear_min_norm. */
int linear_min_norm_parts(const double *X /* (n, p) */, const double *w /* (p) */, const double *y /* (n) */, int n,
			  int p, double *teacher /* (p) */, double *noise /* (p) */, double *yy /* (n) */,
			  double *work /* (n*n + n) */);

/* ||theta[0:k]|| and ||theta[k:p]||. */
void linear_norm_split(const double *theta /* (p) */, int p, int k, double *signal, double *noise);

/* Ridge regression: theta minimising ||X theta - y||^2 + lambda ||theta||^2
 * (lambda > 0), as X^T (X X^T + lambda I)^{-1} y when p >= n and
 * (X^T X + lambda I)^{-1} X^T y otherwise: a Cholesky solve of the smaller
 * system. `work` needs m*m + m doubles, m = min(n, p). Returns 0, or -1
 * (bad arguments) or the LAPACK info. */
int linear_ridge(const double *X /* (n, p) row-major */, const double *y /* (n) */, int n, int p, double lambda,
		 double *theta /* (p) */, double *work /* (m*m + m) */);

/* The effective ranks of Bartlett, Long, Lugosi, Tsigler (2020, "Benign
 * overfitting in linear regression") of a covariance with eigenvalues
 * lambda_1 >= lambda_2 >= ...: r_k = (sum_{i>k} lambda_i) / lambda_{k+1},
 * R_k = (sum_{i>k} lambda_i)^2 / sum_{i>k} lambda_i^2. */
struct eff_ranks {
	double r0;      /* tr(Sigma) / ||Sigma|| */
	int kstar;      /* min{k >= 0 : r_k >= b n}; -1 when no k qualifies */
	double r_kstar; /* r_k* (NaN when kstar < 0) */
	double R_kstar; /* R_k* (NaN when kstar < 0) */
};

/* From the eigenvalues in descending order (all >= 0, the first > 0).
 * Returns 0, or -1 when the input is not such a list or n <= 0, b <= 0. */
int linear_effective_ranks(const double *lambda /* (p) descending */, int p, int n, double b, struct eff_ranks *er);

#endif
