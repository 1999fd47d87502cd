/* hvp.c: Hessian-vector products by Pearlmutter's R-operator, and the top
 * eigenvalue by Lanczos on them (hvp.h). Layer k maps a[k] (n, dims[k]) to
 * z = a[k] W_k^T + b_k, a[k+1] = relu(z) (the output layer: a[L] = z).
 * With d[k] = dL/dz of layer k - 1's output and the direction v = (V_k,
 * c_k), the R-op ("R{.}" = d/dr at w + r v) runs forward
 *   R{z} = a[k] V_k^T + c_k + R{a[k]} W_k^T,   R{a[k+1]} = relu'(z) R{z},
 * then backward (relu'' = 0 almost everywhere)
 *   R{d[L]} = 2/(n o) R{a[L]},
 *   R{d[k]} = relu'(z) (R{d[k+1]} W_k + d[k+1] V_k),
 * and the product's blocks are
 *   (H v)_{W_k} = R{d[k+1]}^T a[k] + d[k+1]^T R{a[k]},  (H v)_{b_k} = sum_n R{d[k+1]}. */
#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <cblas.h>

#include "overparam/hvp.h"

/* LAPACK's symmetric tridiagonal eigensolver (no lapacke.h, as linalg.c). */
void dstev_(const char *jobz, const int *n, double *d, double *e, double *z, const int *ldz, double *work,
	    int *info, size_t jobz_len);

static size_t slab_doubles(const int *dims, int n_layers, int n, int steps, size_t np)
{
	size_t s = np + (size_t)n * (size_t)dims[0] + (size_t)n * (size_t)dims[n_layers] + (size_t)n;
	for (int l = 1; l <= n_layers; l++)
		s += 4 * (size_t)n * (size_t)dims[l];
	return s + (size_t)(steps + 2) * np + (size_t)steps * (size_t)steps + 4 * (size_t)steps;
}

double hvp_bytes(const int *dims /* (n_layers + 1) */, int n_layers, int n, int steps)
{
	double np = (double)mlp_count_params(dims, n_layers);
	return 8.0 * (double)slab_doubles(dims, n_layers, n, steps, (size_t)np);
}

void hvp_destroy(struct hvp *h)
{
	free(h->slab);
	memset(h, 0, sizeof *h);
}

int hvp_create(struct hvp *h, const int *dims /* (n_layers + 1) */, int n_layers, int n, int steps)
{
	memset(h, 0, sizeof *h);
	if (n_layers < 1 || n_layers > MLP_MAX_LAYERS || n < 1 || steps < 1)
		return -1;
	for (int l = 0; l <= n_layers; l++)
		if (dims[l] < 1)
			return -1;
	size_t np = mlp_count_params(dims, n_layers);
	double *s = calloc(slab_doubles(dims, n_layers, n, steps, np), sizeof *s);
	if (!s)
		return -1;
	h->slab = s;
	h->n_layers = n_layers;
	memcpy(h->dims, dims, sizeof(int) * (size_t)(n_layers + 1));
	h->n = n;
	h->n_params = np;
	h->steps = steps;
	h->w = s, s += np;
	h->a[0] = s, s += (size_t)n * (size_t)dims[0];
	for (int l = 1; l <= n_layers; l++) {
		size_t sz = (size_t)n * (size_t)dims[l];
		h->a[l] = s, s += sz;
		h->d[l] = s, s += sz;
		h->ra[l] = s, s += sz;
		h->rd[l] = s, s += sz;
	}
	h->y = s, s += (size_t)n * (size_t)dims[n_layers];
	h->ones = s, s += (size_t)n;
	for (int i = 0; i < n; i++)
		h->ones[i] = 1.0;
	h->q = s, s += (size_t)(steps + 1) * np;
	h->ritz = s, s += np;
	h->t = s;
	return 0;
}

/* Offset of layer k's W in the slab (its b follows W). */
static size_t layer_offset(const struct hvp *h, int k)
{
	size_t off = 0;
	for (int j = 0; j < k; j++)
		off += (size_t)h->dims[j + 1] * (size_t)(h->dims[j] + 1);
	return off;
}

/* Z (n, out) = A (n, in) W^T + 1 b^T (+ Z when keep). */
static void affine(int n, int in, int out, const double *A, const double *W, const double *b, double *Z,
		   bool keep)
{
	if (!keep)
		for (int i = 0; i < n; i++)
			memcpy(Z + (size_t)i * (size_t)out, b, sizeof(double) * (size_t)out);
	cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasTrans, n, out, in, 1.0, A, in, W, in, 1.0, Z, out);
}

/* x *= relu'(z), read off the activations (a > 0 exactly where z > 0). */
static void relu_mask(double *x, const double *act, size_t count)
{
	for (size_t i = 0; i < count; i++)
		if (!(act[i] > 0))
			x[i] = 0.0;
}

double hvp_prepare(struct hvp *h, const float *params /* (n_params) */, const float *X /* (n, dims[0]) */,
		   const float *y /* (n, out) */)
{
	const int n = h->n, L = h->n_layers, o = h->dims[L];
	for (size_t i = 0; i < h->n_params; i++)
		h->w[i] = params[i];
	for (size_t i = 0; i < (size_t)n * (size_t)h->dims[0]; i++)
		h->a[0][i] = X[i];
	for (size_t i = 0; i < (size_t)n * (size_t)o; i++)
		h->y[i] = y[i];
	for (int k = 0; k < L; k++) {
		int in = h->dims[k], out = h->dims[k + 1];
		const double *W = h->w + layer_offset(h, k);
		affine(n, in, out, h->a[k], W, W + (size_t)out * (size_t)in, h->a[k + 1], false);
		if (k + 1 < L)
			for (size_t i = 0; i < (size_t)n * (size_t)out; i++)
				h->a[k + 1][i] = fmax(h->a[k + 1][i], 0.0);
	}
	double sum = 0.0, scale = 2.0 / ((double)n * o);
	for (size_t i = 0; i < (size_t)n * (size_t)o; i++) {
		double r = h->a[L][i] - h->y[i];
		sum += r * r;
		h->d[L][i] = scale * r;
	}
	for (int k = L - 1; k >= 1; k--) {
		int in = h->dims[k], out = h->dims[k + 1];
		const double *W = h->w + layer_offset(h, k);
		cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, n, in, out, 1.0, h->d[k + 1], out, W, in, 0.0,
			    h->d[k], in);
		relu_mask(h->d[k], h->a[k], (size_t)n * (size_t)in);
	}
	return sum / ((double)n * o);
}

/* The R-op's forward pass: R{a[l]} for every layer. */
static void r_forward(struct hvp *h, const double *v /* (n_params) */)
{
	const int n = h->n, L = h->n_layers;
	for (int k = 0; k < L; k++) {
		int in = h->dims[k], out = h->dims[k + 1];
		size_t off = layer_offset(h, k);
		const double *V = v + off;
		affine(n, in, out, h->a[k], V, V + (size_t)out * (size_t)in, h->ra[k + 1], false);
		if (k > 0)
			cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasTrans, n, out, in, 1.0, h->ra[k], in, h->w + off,
				    in, 1.0, h->ra[k + 1], out);
		if (k + 1 < L)
			relu_mask(h->ra[k + 1], h->a[k + 1], (size_t)n * (size_t)out);
	}
}

void hvp_apply(struct hvp *h, const double *v /* (n_params) */, double *hv /* (n_params) */)
{
	const int n = h->n, L = h->n_layers, o = h->dims[L];
	r_forward(h, v);
	double scale = 2.0 / ((double)n * o);
	for (size_t i = 0; i < (size_t)n * (size_t)o; i++)
		h->rd[L][i] = scale * h->ra[L][i];
	for (int k = L - 1; k >= 0; k--) {
		int in = h->dims[k], out = h->dims[k + 1];
		size_t off = layer_offset(h, k);
		double *HW = hv + off, *Hb = HW + (size_t)out * (size_t)in;
		/* this layer's block of H v: R{d[k+1]}^T a[k] + d[k+1]^T R{a[k]} */
		cblas_dgemm(CblasRowMajor, CblasTrans, CblasNoTrans, out, in, n, 1.0, h->rd[k + 1], out, h->a[k], in,
			    0.0, HW, in);
		if (k > 0)
			cblas_dgemm(CblasRowMajor, CblasTrans, CblasNoTrans, out, in, n, 1.0, h->d[k + 1], out, h->ra[k],
				    in, 1.0, HW, in);
		cblas_dgemv(CblasRowMajor, CblasTrans, n, out, 1.0, h->rd[k + 1], out, h->ones, 1, 0.0, Hb, 1);
		if (k == 0)
			break;
		/* R{d[k]} = relu'(z) (R{d[k+1]} W_k + d[k+1] V_k) */
		cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, n, in, out, 1.0, h->rd[k + 1], out, h->w + off,
			    in, 0.0, h->rd[k], in);
		cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, n, in, out, 1.0, h->d[k + 1], out, v + off, in,
			    1.0, h->rd[k], in);
		relu_mask(h->rd[k], h->a[k], (size_t)n * (size_t)in);
	}
}

/* The Lanczos start: the last top Ritz vector, else a random direction. */
static void lanczos_start(struct hvp *h, struct rng *r, double *q0 /* (n_params) */)
{
	int np = (int)h->n_params;
	if (h->warm)
		memcpy(q0, h->ritz, sizeof(double) * h->n_params);
	else
		for (int i = 0; i < np; i++)
			q0[i] = rng_normal(r);
	double nrm = cblas_dnrm2(np, q0, 1);
	cblas_dscal(np, nrm > 0 ? 1.0 / nrm : 1.0, q0, 1);
}

/* Krylov vectors q[0..m] with H's tridiagonal projection (alpha on the
 * diagonal, beta off it); returns m, the vectors built, or -1 when a
 * product is not finite. */
static int lanczos_build(struct hvp *h, double *alpha /* (steps) */, double *beta /* (steps) */)
{
	int np = (int)h->n_params, m = h->steps < np ? h->steps : np;
	for (int j = 0; j < m; j++) {
		const double *qj = h->q + (size_t)j * h->n_params;
		double *w = h->q + (size_t)(j + 1) * h->n_params;
		hvp_apply(h, qj, w);
		alpha[j] = cblas_ddot(np, qj, 1, w, 1);
		/* full reorthogonalisation, twice ("twice is enough") */
		for (int pass = 0; pass < 2; pass++)
			for (int i = 0; i <= j; i++) {
				const double *qi = h->q + (size_t)i * h->n_params;
				cblas_daxpy(np, -cblas_ddot(np, qi, 1, w, 1), qi, 1, w, 1);
			}
		beta[j] = cblas_dnrm2(np, w, 1);
		if (!isfinite(alpha[j]) || !isfinite(beta[j]))
			return -1;
		if (beta[j] <= 1e-12 * fmax(1.0, fabs(alpha[j])))
			return j + 1; /* an invariant subspace: exact */
		cblas_dscal(np, 1.0 / beta[j], w, 1);
	}
	return m;
}

double hvp_top_eigenvalue(struct hvp *h, struct rng *r)
{
	int np = (int)h->n_params, s = h->steps;
	double *z = h->t, *alpha = z + (size_t)s * (size_t)s, *beta = alpha + s, *work = beta + s;
	lanczos_start(h, r, h->q);
	int m = lanczos_build(h, alpha, beta);
	if (m < 1)
		return NAN;
	int info = 0;
	dstev_("V", &m, alpha, beta, z, &m, work, &info, 1);
	if (info != 0)
		return NAN;
	/* eigenvalues ascending: the top one is last; its Ritz vector starts
	 * the next call, where the point has moved a little */
	cblas_dgemv(CblasRowMajor, CblasTrans, m, np, 1.0, h->q, np, z + (size_t)(m - 1) * (size_t)m, 1, 0.0,
		    h->ritz, 1);
	h->warm = 1;
	return alpha[m - 1];
}
