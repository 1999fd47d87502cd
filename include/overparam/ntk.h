/* ntk.h: a two-layer ReLU network in the NTK parameterisation,
 *     f(x) = (1/sqrt(m)) sum_j a_j relu(w_j . x / sqrt(d)),
 * with every weight standard normal at initialisation, in float64. The
 * 1/sqrt(m) output scale keeps the tangent kernel O(1) at every width, so
 * one learning rate trains every width, and wider nets move their weights
 * less (lazy training). Used by the lazy_training experiment. */
#ifndef OVERPARAM_NTK_H
#define OVERPARAM_NTK_H

#include <stddef.h>

#include "overparam/arrays.h"
#include "overparam/rng.h"

struct ntk {
	int n_cap, d, m_cap;  /* most samples, inputs, most hidden units */
	int m;                /* hidden units in use (ntk_set_width) */
	double *params;       /* (m (d + 1)) slab: W (m, d) row-major, then a (m) */
	double *grads;        /* (m (d + 1)) same layout */
	double *U;            /* (n, m) pre-activations w_j . x_i / sqrt(d) */
	double *S;            /* (n, m) scratch */
	double *f;            /* (n) outputs of the latest forward */
	double *r;            /* (n) residual scratch */
	double *KK;           /* (n_cap, n_cap) scratch for the kernel */
	struct arrays mem;    /* owns every array above */
};

/* Allocates for up to n_cap samples and m_cap hidden units; nothing is
 * allocated later. Returns 0, or -1 (bad shape or out of memory). */
int ntk_create(struct ntk *t, int n_cap, int d, int m_cap);
void ntk_destroy(struct ntk *t);

/* Uses m hidden units (1 <= m <= m_cap); the parameters are then stale. */
void ntk_set_width(struct ntk *t, int m);
size_t ntk_n_params(const struct ntk *t); /* m (d + 1) */

/* Every weight N(0, 1). */
void ntk_init(struct ntk *t, struct rng *r);

/* Outputs f (n), kept in t->f; fills t->U. */
const double *ntk_forward(struct ntk *t, const double *X /* (n, d) */, int n);

/* Mean squared error (1/n) sum (f(x_i) - y_i)^2; t->grads = its gradient. */
double ntk_loss_grad(struct ntk *t, const double *X /* (n, d) */, const double *y /* (n) */, int n);

/* The empirical tangent kernel K = J J^T on X, J the (n, P) Jacobian of the
 * outputs with respect to all parameters. In closed form:
 *     K(x, x') = (1/m) sum_j [ relu(u_j) relu(u'_j)
 *                              + a_j^2 relu'(u_j) relu'(u'_j) x . x' / d ],
 * u_j = w_j . x / sqrt(d). A cancelled run (run_loop.h) leaves K unfinished. */
void ntk_kernel(struct ntk *t, const double *X /* (n, d) */, int n, double *K /* (n, n) row-major */);

#endif
