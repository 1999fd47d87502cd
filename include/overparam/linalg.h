/* linalg.h: thin helpers over CBLAS/LAPACK (OpenBLAS). No hand-written GEMM
 * or solver lives in this project; these only fix the calling conventions. */
#ifndef OVERPARAM_LINALG_H
#define OVERPARAM_LINALG_H

#include <stddef.h>

/* Solve (A) x = b for symmetric positive definite A by Cholesky (dpotrf and
 * dpotrs). A is overwritten by its factor. Returns 0, or the LAPACK info
 * (> 0: not positive definite). */
int linalg_spd_solve(double *A /* (n, n) row-major */, double *b /* (n) in, x out */, int n);

/* Minimum-norm least-squares solution of X theta = y by SVD (dgelsd).
 * Independent of the Cholesky route; used as a reference and as the
 * fallback for rank-deficient X. Returns 0 or the LAPACK info. */
int linalg_lstsq_svd(const double *X /* (n, p) row-major */, const double *y /* (n) */, int n, int p,
		     double *theta /* (p) */);

/* Eigenvalues of a symmetric matrix, ascending (dsyev). A is destroyed. */
int linalg_sym_eigvals(double *A /* (n, n) row-major */, int n, double *w /* (n) */);

/* Euclidean norm of x[0..n). */
double linalg_norm2(const double *x /* (n) */, int n);

/* Limit OpenBLAS to `threads` threads for the calling process. */
void linalg_set_threads(int threads);

#endif
