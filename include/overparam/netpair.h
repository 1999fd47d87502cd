/* netpair.h: two MLPs of one shape trained on one data set from two
 * initialisations, as the mode-connectivity scenario trains them, and the
 * training loss along paths between them: the straight line and a quadratic
 * Bezier curve. Shared by the experiments that explain the barrier
 * (permutation alignment, curved paths, barrier against width). */
#ifndef OVERPARAM_NETPAIR_H
#define OVERPARAM_NETPAIR_H

#include <stdbool.h>
#include <stdint.h>

#include "overparam/experiment.h"
#include "overparam/mlp.h"
#include "overparam/optim.h"
#include "overparam/scenario.h"

struct netpair_net {
	struct mlp net;
	struct optim opt;
	double loss;    /* latest training loss, NaN before any */
	int stopped_at; /* epoch it went below the target loss, -1 while training */
	bool diverged;
};

struct netpair {
	int n, d;
	float *X, *y;              /* (n, d), (n): the training set */
	struct netpair_net net[2]; /* A and B */
	struct mlp mix;            /* a point on a path; its gradients serve the Bezier step */
	double target_loss;        /* a net stops once its loss is below (0: never) */
	int epoch;                 /* epochs netpair_train has run */
};

/* The data (stream 0 of `seed`, as mode_connectivity draws it) and two nets
 * of the scenario's depth and this width, initialised from streams 1000 +
 * seed_a and 1000 + seed_b of `seed`: with the same scenario values they
 * are mode_connectivity's two nets. Returns 0, or -1 (no memory; p must
 * still be destroyed, which frees what was built). */
int netpair_create(struct netpair *p, const struct scenario *sc, int width, uint64_t seed, uint64_t seed_a,
		   uint64_t seed_b);
void netpair_destroy(struct netpair *p);

/* Both nets back to a fresh start from new init seeds (same data, same
 * shape, nothing allocated), epoch 0. */
void netpair_reset(struct netpair *p, const struct scenario *sc, uint64_t seed, uint64_t seed_a, uint64_t seed_b);

/* Bytes the kinds built on pairs (permutation alignment, curved path,
 * barrier vs width) allocate, for their memory hooks. Per width: the data,
 * two trained nets and a scratch net with gradients; then either B
 * permuted plus the alignment's width^2 similarities (float, double) and
 * permuted weights, or the bend, its gradient and its Adam moments: at
 * most four more nets' parameters. */
double netpair_memory(const struct scenario *sc);

/* Parameter count of one net of the scenario's shape at this width. */
long netpair_params(const struct scenario *sc, int width);

/* One epoch (one full-batch step) of each net still training. A net stops
 * with the weights whose loss met the target, or when it diverges. With em,
 * emits MET_TRAIN_LOSS, MET_CONVERGED and MET_DIVERGED of net k as series
 * series0 + k at epoch p->epoch. Returns true once both nets are done. */
bool netpair_train(struct netpair *p, struct emitter *em, int series0);
bool netpair_done(const struct netpair *p);

/* Training loss at (1 - t) * a + t * b. */
double netpair_line_loss(struct netpair *p, const float *a /* (n_params) */, const float *b /* (n_params) */,
			 double t);

/* Training loss at phi(t) = (1-t)^2 a + 2t(1-t) c + t^2 b; phi(t) stays in
 * p->mix.params. With grad, also d(loss)/d(phi) in p->mix.grads. */
double netpair_bezier_loss(struct netpair *p, const float *a /* (n_params) */, const float *c /* (n_params) */,
			   const float *b /* (n_params) */, double t, bool grad);

/* The barrier of a path measured at n points t[0] = 0 < ... < t[n-1] = 1:
 * the largest excess of loss[i] over the straight mix of the two end losses,
 * (1 - t[i]) loss[0] + t[i] loss[n-1]. NaN if any loss is NaN. */
double netpair_barrier(const double *t /* (n) */, const double *loss /* (n) */, int n);

#endif
