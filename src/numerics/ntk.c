/* ntk.c: the two-layer ReLU net of ntk.h, all products through CBLAS.
 * Gradients, with r_i = 2 (f_i - y_i) / n and u_ij = w_j . x_i / sqrt(d):
 *     dL/da_j = (1/sqrt(m)) sum_i r_i relu(u_ij)
 *     dL/dw_j = (1/sqrt(m d)) sum_i r_i a_j relu'(u_ij) x_i
 * and the tangent kernel is the Gram matrix of the per-sample gradients of
 * f, which the same two factors give in closed form. */
#include <math.h>
#include <string.h>

#include <cblas.h>

#include "overparam/ntk.h"
#include "overparam/run_loop.h"

int ntk_create(struct ntk *t, int n_cap, int d, int m_cap)
{
	memset(t, 0, sizeof *t);
	if (n_cap < 1 || d < 1 || m_cap < 1)
		return -1;
	t->n_cap = n_cap;
	t->d = d;
	t->m_cap = m_cap;
	t->m = m_cap;
	size_t p = (size_t)m_cap * ((size_t)d + 1), nm = (size_t)n_cap * (size_t)m_cap, nn = (size_t)n_cap * (size_t)n_cap;
	t->params = arrays_alloc(&t->mem, p, sizeof *t->params);
	t->grads = arrays_alloc(&t->mem, p, sizeof *t->grads);
	t->U = arrays_alloc(&t->mem, nm, sizeof *t->U);
	t->S = arrays_alloc(&t->mem, nm, sizeof *t->S);
	t->f = arrays_alloc(&t->mem, (size_t)n_cap, sizeof *t->f);
	t->r = arrays_alloc(&t->mem, (size_t)n_cap, sizeof *t->r);
	t->KK = arrays_alloc(&t->mem, nn, sizeof *t->KK);
	if (t->mem.failed) {
		ntk_destroy(t);
		return -1;
	}
	return 0;
}

void ntk_destroy(struct ntk *t)
{
	arrays_free(&t->mem);
	memset(t, 0, sizeof *t);
}

void ntk_set_width(struct ntk *t, int m)
{
	t->m = m < 1 ? 1 : m > t->m_cap ? t->m_cap : m;
}

size_t ntk_n_params(const struct ntk *t)
{
	return (size_t)t->m * ((size_t)t->d + 1);
}

void ntk_init(struct ntk *t, struct rng *r)
{
	size_t p = ntk_n_params(t);
	for (size_t i = 0; i < p; i++)
		t->params[i] = rng_normal(r);
}

/* U = X W^T / sqrt(d), and S = relu(U). */
static void hidden(struct ntk *t, const double *X /* (n, d) */, int n)
{
	int m = t->m, d = t->d;
	cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasTrans, n, m, d, 1.0 / sqrt((double)d), X, d, t->params, d, 0.0,
		    t->U, m);
	size_t nm = (size_t)n * (size_t)m;
	for (size_t i = 0; i < nm; i++)
		t->S[i] = t->U[i] > 0 ? t->U[i] : 0.0;
}

const double *ntk_forward(struct ntk *t, const double *X, int n)
{
	int m = t->m;
	const double *a = t->params + (size_t)m * (size_t)t->d;
	hidden(t, X, n);
	cblas_dgemv(CblasRowMajor, CblasNoTrans, n, m, 1.0 / sqrt((double)m), t->S, m, a, 1, 0.0, t->f, 1);
	return t->f;
}

double ntk_loss_grad(struct ntk *t, const double *X, const double *y, int n)
{
	int m = t->m, d = t->d;
	const double *a = t->params + (size_t)m * (size_t)d;
	double *gW = t->grads, *ga = t->grads + (size_t)m * (size_t)d;
	ntk_forward(t, X, n);
	double loss = 0;
	for (int i = 0; i < n; i++) {
		double e = t->f[i] - y[i];
		loss += e * e;
		t->r[i] = 2.0 * e / n;
	}
	cblas_dgemv(CblasRowMajor, CblasTrans, n, m, 1.0 / sqrt((double)m), t->S, m, t->r, 1, 0.0, ga, 1);
	/* S becomes dL/du: r_i a_j relu'(u_ij). */
	for (int i = 0; i < n; i++) {
		const double *u = t->U + (size_t)i * (size_t)m;
		double *s = t->S + (size_t)i * (size_t)m;
		for (int j = 0; j < m; j++)
			s[j] = u[j] > 0 ? t->r[i] * a[j] : 0.0;
	}
	cblas_dgemm(CblasRowMajor, CblasTrans, CblasNoTrans, m, d, n, 1.0 / sqrt((double)m * d), t->S, m, X, d, 0.0, gW,
		    d);
	return loss / n;
}

/* Upper triangle of A A^T (A: (n, m)) into C (n, n), then mirrored. */
static void gram(const double *A /* (n, m) */, int n, int m, double alpha, double *C /* (n, n) */)
{
	cblas_dsyrk(CblasRowMajor, CblasUpper, CblasNoTrans, n, m, alpha, A, m, 0.0, C, n);
	for (int i = 0; i < n; i++)
		for (int k = 0; k < i; k++)
			C[(size_t)i * (size_t)n + (size_t)k] = C[(size_t)k * (size_t)n + (size_t)i];
}

void ntk_kernel(struct ntk *t, const double *X, int n, double *K)
{
	int m = t->m, d = t->d;
	const double *a = t->params + (size_t)m * (size_t)d;
	hidden(t, X, n);
	/* Each product below can take seconds with many samples: give way
	 * to a cancel (run_loop.h) between them, K then left unfinished. */
	if (run_cancelled())
		return;
	/* The output layer's part: relu features. */
	gram(t->S, n, m, 1.0 / m, K);
	/* The hidden layer's part: (a_j relu'(u_ij)) features, times x . x' / d. */
	for (int i = 0; i < n; i++) {
		const double *u = t->U + (size_t)i * (size_t)m;
		double *s = t->S + (size_t)i * (size_t)m;
		for (int j = 0; j < m; j++)
			s[j] = u[j] > 0 ? a[j] : 0.0;
	}
	gram(t->S, n, m, 1.0 / m, t->KK);
	for (int i = 0; i < n && !run_cancelled(); i++)
		for (int k = 0; k < n; k++) {
			double xx = cblas_ddot(d, X + (size_t)i * (size_t)d, 1, X + (size_t)k * (size_t)d, 1) / d;
			K[(size_t)i * (size_t)n + (size_t)k] += t->KK[(size_t)i * (size_t)n + (size_t)k] * xx;
		}
}
