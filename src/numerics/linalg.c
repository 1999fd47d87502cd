/* linalg.c: calling conventions for the few LAPACK routines we use, on top
 * of OpenBLAS. Our matrices are row-major; LAPACK is column-major. A
 * row-major symmetric matrix is its own column-major image, and its
 * row-major lower triangle is the column-major upper one, so the symmetric
 * routines here read only the row-major lower triangle (what cblas_dsyrk
 * with CblasRowMajor, CblasLower fills). */
#include <stdlib.h>
#include <string.h>

#include <cblas.h>

#include "overparam/linalg.h"

/* No lapacke.h is installed: declare the Fortran entry points. The trailing
 * size_t arguments are gfortran's hidden lengths of the character
 * arguments; OpenBLAS's own C versions of dpotrf/dpotrs ignore them. */
void dpotrf_(const char *uplo, const int *n, double *a, const int *lda, int *info, size_t uplo_len);
void dpotrs_(const char *uplo, const int *n, const int *nrhs, const double *a, const int *lda, double *b,
	     const int *ldb, int *info, size_t uplo_len);
void dgelsd_(const int *m, const int *n, const int *nrhs, double *a, const int *lda, double *b, const int *ldb,
	     double *s, const double *rcond, int *rank, double *work, const int *lwork, int *iwork, int *info);
void dsyev_(const char *jobz, const char *uplo, const int *n, double *a, const int *lda, double *w, double *work,
	    const int *lwork, int *info, size_t jobz_len, size_t uplo_len);

int linalg_spd_solve(double *A /* (n, n) row-major */, double *b /* (n) in, x out */, int n)
{
	const int one = 1;
	int info = 0;

	if (n <= 0)
		return 0;
	dpotrf_("U", &n, A, &n, &info, 1);
	if (info != 0)
		return info;
	dpotrs_("U", &n, &one, A, &n, b, &n, &info, 1);
	return info;
}

int linalg_lstsq_svd(const double *X /* (n, p) row-major */, const double *y /* (n) */, int n, int p,
		     double *theta /* (p) */)
{
	const int one = 1;
	const double rcond = -1.0; /* singular values below eps * s_max count as zero */
	int ldb = n > p ? n : p;
	int mn = n < p ? n : p;
	int rank = 0, info = -1, lwork = -1, iwq = 0;
	double wq = 0.0;
	double *A = NULL, *B = NULL, *s = NULL, *work = NULL;
	int *iwork = NULL;

	if (n <= 0 || p <= 0)
		return -1;
	A = malloc((size_t)n * (size_t)p * sizeof *A); /* (n, p) column-major */
	B = calloc((size_t)ldb, sizeof *B);            /* (max(n, p)): y in, theta out */
	s = malloc((size_t)mn * sizeof *s);
	if (!A || !B || !s)
		goto out;
	for (int i = 0; i < n; i++)
		for (int j = 0; j < p; j++)
			A[(size_t)j * (size_t)n + (size_t)i] = X[(size_t)i * (size_t)p + (size_t)j];
	memcpy(B, y, (size_t)n * sizeof *B);

	dgelsd_(&n, &p, &one, A, &n, B, &ldb, s, &rcond, &rank, &wq, &lwork, &iwq, &info);
	if (info != 0)
		goto out;
	lwork = (int)wq;
	work = malloc((size_t)lwork * sizeof *work);
	iwork = malloc((size_t)(iwq > 1 ? iwq : 1) * sizeof *iwork);
	if (!work || !iwork) {
		info = -1;
		goto out;
	}
	dgelsd_(&n, &p, &one, A, &n, B, &ldb, s, &rcond, &rank, work, &lwork, iwork, &info);
	if (info == 0)
		memcpy(theta, B, (size_t)p * sizeof *theta);
out:
	free(A);
	free(B);
	free(s);
	free(work);
	free(iwork);
	return info;
}

int linalg_sym_eigvals(double *A /* (n, n) row-major */, int n, double *w /* (n) */)
{
	int info = 0, lwork = -1;
	double wq = 0.0;

	if (n <= 0)
		return 0;
	dsyev_("N", "U", &n, A, &n, w, &wq, &lwork, &info, 1, 1);
	if (info != 0)
		return info;
	lwork = (int)wq;
	double *work = malloc((size_t)lwork * sizeof *work);
	if (!work)
		return -1;
	dsyev_("N", "U", &n, A, &n, w, work, &lwork, &info, 1, 1);
	free(work);
	return info;
}

double linalg_norm2(const double *x /* (n) */, int n)
{
	return n > 0 ? cblas_dnrm2(n, x, 1) : 0.0;
}

void linalg_set_threads(int threads)
{
	openblas_set_num_threads(threads > 0 ? threads : 1);
}
