/* linear.c: linear regression in float64 for the benign-overfitting
 * scenarios. The min-norm interpolant solves the n x n Gram system (cheap
 * when p > n) and falls back to the SVD when that system is singular. */
#include <math.h>
#include <string.h>

#include <cblas.h>

#include "overparam/linalg.h"
#include "overparam/linear.h"
#include "overparam/run_loop.h"

/* Cholesky pivots below this fraction of the Gram matrix's largest diagonal
 * mean X X^T is numerically singular: the factor "succeeds" but the solve
 * would amplify rounding by more than the SVD route does. */
#define GRAM_PIVOT_TOL 1e-10

/* G = X X^T * scale, lower triangle (row-major), which the linalg routines read. */
static void gram_lower(const double *X /* (n, p) */, int n, int p, double scale, double *G /* (n, n) */)
{
	cblas_dsyrk(CblasRowMajor, CblasLower, CblasNoTrans, n, p, scale, X, p, 0.0, G, n);
}

int linear_min_norm(const double *X /* (n, p) row-major */, const double *y /* (n) */, int n, int p,
		    double *theta /* (p) */, double *work /* (n*n + n) */)
{
	if (n <= 0 || p <= 0)
		return -1;
	if (p < n)
		return linalg_lstsq_svd(X, y, n, p, theta) == 0 ? 0 : -1;

	double *G = work;                      /* (n, n) */
	double *alpha = work + (size_t)n * n;  /* (n) */
	double gmax = 0.0, pmin = INFINITY;

	gram_lower(X, n, p, 1.0, G);
	if (run_cancelled()) /* each of these calls can take seconds (run_loop.h) */
		return -1;
	for (int i = 0; i < n; i++)
		gmax = fmax(gmax, G[(size_t)i * n + i]);
	memcpy(alpha, y, (size_t)n * sizeof *alpha);
	int info = linalg_spd_solve(G, alpha, n);
	if (info == 0) {
		/* The factor's diagonal holds the square roots of the pivots. */
		for (int i = 0; i < n; i++) {
			double l = G[(size_t)i * n + i];
			pmin = fmin(pmin, l * l);
		}
	}
	if (info != 0 || !(pmin > GRAM_PIVOT_TOL * gmax))
		return linalg_lstsq_svd(X, y, n, p, theta) == 0 ? 0 : -1;
	cblas_dgemv(CblasRowMajor, CblasTrans, n, p, 1.0, X, p, alpha, 1, 0.0, theta, 1);
	return 0;
}

double linear_gd_step_size(const double *X /* (n, p) */, int n, int p, double *work /* (n*n + n) */)
{
	if (n <= 0 || p <= 0)
		return 0.0;
	double *G = work;                   /* (n, n) */
	double *w = work + (size_t)n * n;   /* (n) eigenvalues, ascending */

	gram_lower(X, n, p, 1.0 / n, G);
	if (run_cancelled() || linalg_sym_eigvals(G, n, w) != 0)
		return 0.0;
	double lmax = w[n - 1];
	if (!(lmax > 0.0))
		return 0.0;
	/* Eigenvalues of a rank-deficient Gram matrix come out as rounding
	 * noise around 0; the smallest one above it sets the contraction. */
	double lmin = lmax;
	for (int i = 0; i < n; i++) {
		if (w[i] > 1e-10 * lmax) {
			lmin = w[i];
			break;
		}
	}
	return 2.0 / (lmax + lmin);
}

/* resid = X theta - y */
static void residual(const double *X /* (n, p) */, const double *y /* (n) */, int n, int p,
		     const double *theta /* (p) */, double *resid /* (n) */)
{
	cblas_dcopy(n, y, 1, resid, 1);
	cblas_dgemv(CblasRowMajor, CblasNoTrans, n, p, 1.0, X, p, theta, 1, -1.0, resid, 1);
}

void linear_gd_step(const double *X /* (n, p) */, const double *y /* (n) */, int n, int p, double lr,
		    double *theta /* (p) */, double *resid /* (n) */)
{
	if (n <= 0 || p <= 0)
		return;
	residual(X, y, n, p, theta, resid);
	cblas_dgemv(CblasRowMajor, CblasTrans, n, p, -lr / n, X, p, resid, 1, 1.0, theta, 1);
}

double linear_mse(const double *X /* (n, p) */, const double *y /* (n) */, int n, int p,
		  const double *theta /* (p) */, double *resid /* (n) */)
{
	if (n <= 0 || p <= 0)
		return NAN;
	residual(X, y, n, p, theta, resid);
	return cblas_ddot(n, resid, 1, resid, 1) / n;
}

int linear_min_norm_parts(const double *X /* (n, p) */, const double *w /* (p) */, const double *y /* (n) */, int n,
			  int p, double *teacher /* (p) */, double *noise /* (p) */, double *yy /* (n) */,
			  double *work /* (n*n + n) */)
{
	if (n <= 0 || p <= 0)
		return -1;
	cblas_dgemv(CblasRowMajor, CblasNoTrans, n, p, 1.0, X, p, w, 1, 0.0, yy, 1); /* X w */
	if (linear_min_norm(X, yy, n, p, teacher, work) != 0)
		return -1;
	cblas_dscal(n, -1.0, yy, 1);
	cblas_daxpy(n, 1.0, y, 1, yy, 1); /* eps = y - X w */
	return linear_min_norm(X, yy, n, p, noise, work);
}

void linear_norm_split(const double *theta /* (p) */, int p, int k, double *signal, double *noise)
{
	if (k < 0)
		k = 0;
	if (k > p)
		k = p;
	*signal = linalg_norm2(theta, k);
	*noise = linalg_norm2(theta + k, p - k);
}

int linear_ridge(const double *X /* (n, p) row-major */, const double *y /* (n) */, int n, int p, double lambda,
		 double *theta /* (p) */, double *work /* (m*m + m) */)
{
	if (n <= 0 || p <= 0 || !(lambda > 0))
		return -1;
	if (p >= n) {
		/* Dual: alpha = (X X^T + lambda I)^{-1} y, theta = X^T alpha. */
		double *G = work;                     /* (n, n) */
		double *alpha = work + (size_t)n * n; /* (n) */
		gram_lower(X, n, p, 1.0, G);
		for (int i = 0; i < n; i++)
			G[(size_t)i * n + i] += lambda;
		memcpy(alpha, y, (size_t)n * sizeof *alpha);
		int info = linalg_spd_solve(G, alpha, n);
		if (info != 0)
			return info;
		cblas_dgemv(CblasRowMajor, CblasTrans, n, p, 1.0, X, p, alpha, 1, 0.0, theta, 1);
		return 0;
	}
	/* Primal: (X^T X + lambda I) theta = X^T y, a p x p system. */
	double *A = work; /* (p, p) */
	cblas_dsyrk(CblasRowMajor, CblasLower, CblasTrans, p, n, 1.0, X, p, 0.0, A, p);
	for (int j = 0; j < p; j++)
		A[(size_t)j * p + j] += lambda;
	cblas_dgemv(CblasRowMajor, CblasTrans, n, p, 1.0, X, p, y, 1, 0.0, theta, 1);
	return linalg_spd_solve(A, theta, p);
}

int linear_effective_ranks(const double *lambda /* (p) descending */, int p, int n, double b, struct eff_ranks *er)
{
	er->r0 = er->r_kstar = er->R_kstar = NAN;
	er->kstar = -1;
	if (p <= 0 || n <= 0 || !(b > 0) || !(lambda[0] > 0))
		return -1;
	/* Summed from the smallest up, so a long tail of tiny values is not
	 * lost against the head. */
	double total = 0.0;
	for (int i = p - 1; i >= 0; i--) {
		if (!(lambda[i] >= 0) || !isfinite(lambda[i]) || (i > 0 && lambda[i] > lambda[i - 1]))
			return -1;
		total += lambda[i];
	}
	er->r0 = total / lambda[0];
	/* tail = sum_{i>k} lambda_i (1-based), i.e. lambda[k..p) here. */
	double tail = total;
	for (int k = 0; k < p && lambda[k] > 0; k++) {
		if (tail / lambda[k] >= b * n) {
			er->kstar = k;
			break;
		}
		tail -= lambda[k];
	}
	if (er->kstar < 0)
		return 0;
	double s1 = 0.0, s2 = 0.0;
	for (int i = p - 1; i >= er->kstar; i--) {
		s1 += lambda[i];
		s2 += lambda[i] * lambda[i];
	}
	er->r_kstar = s1 / lambda[er->kstar];
	er->R_kstar = s1 * s1 / s2;
	return 0;
}
