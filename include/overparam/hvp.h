/* hvp.h: exact Hessian-vector products of the MSE training loss of an MLP
 * (mlp.h's shape: ReLU hidden layers, a linear output, loss = mean over
 * samples and outputs of (f - y)^2), by Pearlmutter's R-operator
 * (forward-over-reverse): one forward and one backward pass of the R-op
 * per product, no Hessian formed. In double, from the net's float
 * weights, so the sharpness it measures is not float rounding. And the
 * sharpness itself: the top Hessian eigenvalue by Lanczos on these
 * products. */
#ifndef OVERPARAM_HVP_H
#define OVERPARAM_HVP_H

#include <stddef.h>

#include "overparam/mlp.h"
#include "overparam/rng.h"

struct hvp {
	int n_layers;
	int dims[MLP_MAX_LAYERS + 1];
	int n;               /* samples */
	size_t n_params;
	double *w;           /* (n_params) the weights, mlp slab order */
	double *a[MLP_MAX_LAYERS + 1];  /* a[l]: (n, dims[l]) sample-major; a[0] the input, a[L] the output */
	double *d[MLP_MAX_LAYERS + 1];  /* d[l]: dL/dz_l (n, dims[l]), l >= 1 */
	double *ra[MLP_MAX_LAYERS + 1]; /* R{a_l}, as a[l] (ra[0] stays 0) */
	double *rd[MLP_MAX_LAYERS + 1]; /* R{d_l}, as d[l] */
	double *y;           /* (n, out) */
	double *slab;        /* everything above */
	/* Lanczos */
	int steps;           /* most Krylov vectors */
	double *q;           /* (steps + 1, n_params) */
	double *ritz;        /* (n_params) the last top Ritz vector: the next start */
	int warm;            /* ritz holds one */
	double *ones;        /* (n) for the bias sums */
	double *t;           /* (steps, steps) tridiagonal eigenvectors, and scratch */
};

/* For nets of this shape on n samples, Lanczos with up to `steps` vectors.
 * Returns 0, or -1 (bad shape or no memory; h is then empty). */
int hvp_create(struct hvp *h, const int *dims /* (n_layers + 1) */, int n_layers, int n, int steps);
void hvp_destroy(struct hvp *h);
/* Bytes hvp_create allocates (the memory cap's model). */
double hvp_bytes(const int *dims /* (n_layers + 1) */, int n_layers, int n, int steps);

/* The point and data the products are taken at: forward and backward pass
 * in double. Returns the loss there (NaN or Inf if the net diverged). */
double hvp_prepare(struct hvp *h, const float *params /* (n_params) */, const float *X /* (n, dims[0]) */,
		   const float *y /* (n, out) */);
/* hv = H v, H the Hessian of the loss at the prepared point. */
void hvp_apply(struct hvp *h, const double *v /* (n_params) */, double *hv /* (n_params) */);

/* The largest eigenvalue of H at the prepared point by Lanczos (full
 * reorthogonalisation) started from the previous call's top Ritz vector,
 * or from a random vector of r at the first call. NaN if a product is not
 * finite. */
double hvp_top_eigenvalue(struct hvp *h, struct rng *r);

#endif
