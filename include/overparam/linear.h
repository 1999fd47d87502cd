/* linear.h: overparameterized linear regression in float64. The closed-form
 * minimum-norm interpolant, gradient descent from zero (which converges to
 * it when p > n), and the split of ||theta|| between signal and noise. */
#ifndef OVERPARAM_LINEAR_H
#define OVERPARAM_LINEAR_H

/* theta = X^T (X X^T)^{-1} y when p >= n (Cholesky of the n x n Gram
 * matrix), the least-squares solution otherwise; falls back to SVD (dgelsd)
 * when the Gram matrix is singular. `work` needs n*n + n doubles.
 * Returns 0, or -1 when LAPACK fails. */
int linear_min_norm(const double *X /* (n, p) row-major */, const double *y /* (n) */, int n, int p,
		    double *theta /* (p) */, double *work /* (n*n + n) */);

/* Step size for gradient descent on L(theta) = ||X theta - y||^2 / (2n):
 * 2 / (lmax + lmin) with lmax, lmin the extreme nonzero eigenvalues of
 * X X^T / n (the fastest rate that provably contracts). `work`: n*n + n doubles. */
double linear_gd_step_size(const double *X /* (n, p) */, int n, int p, double *work /* (n*n + n) */);

/* One gradient step theta -= lr * X^T (X theta - y) / n. `resid`: scratch. */
void linear_gd_step(const double *X /* (n, p) */, const double *y /* (n) */, int n, int p, double lr,
		    double *theta /* (p) */, double *resid /* (n) */);

/* Mean squared error of X theta against y. `resid`: scratch. */
double linear_mse(const double *X /* (n, p) */, const double *y /* (n) */, int n, int p,
		  const double *theta /* (p) */, double *resid /* (n) */);

/* ||theta[0:k]|| and ||theta[k:p]||. */
void linear_norm_split(const double *theta /* (p) */, int p, int k, double *signal, double *noise);

#endif
