/* align.h: permutation alignment of two MLPs of one shape by weight matching
 * (Ainsworth, Hayase, Srinivasa 2022). Hidden units can be reordered without
 * changing a network's function; this finds, for each hidden layer, the
 * reordering of net B's units that best matches net A's, so that the two
 * are compared (and interpolated) unit by unit. */
#ifndef OVERPARAM_ALIGN_H
#define OVERPARAM_ALIGN_H

#include "numerics/assign.h"
#include "overparam/mlp.h"

#define ALIGN_MAX_ROUNDS 50

struct align {
	int n_layers;                /* affine layers of the nets */
	int dims[MLP_MAX_LAYERS + 1];
	/* perm[k], hidden layer k = 1 .. n_layers - 1: aligned unit i is B's
	 * unit perm[k][i], (dims[k]). perm[0] and perm[n_layers] are the
	 * identity (inputs and outputs keep their order). */
	int *perm[MLP_MAX_LAYERS + 1];
	int *perm_slab;              /* the storage of perm[] */
	int *trial;                  /* (widest) a layer's new assignment */
	float *bperm;                /* (widest weight matrix) B's weights, permuted on one side */
	float *simf;                 /* (widest, widest) unit similarities, float */
	double *sim;                 /* (widest, widest) the same in double for the solver */
	struct assign lap;
	int rounds;                  /* sweeps over the layers the last align_match took */
	double objective;            /* sum over layers of <W_A, P W_B P^T> + <b_A, P b_B> after it */
};

/* For nets shaped like m. Returns 0, or -1 (no memory, or m has no layers;
 * al is then empty). */
int align_create(struct align *al, const struct mlp *m);
void align_destroy(struct align *al);

/* Finds the permutations: coordinate ascent over the hidden layers, each
 * step a linear assignment maximising the summed inner products of A's and
 * (permuted) B's incoming weights and bias plus outgoing weights of every
 * unit pair, until a sweep improves nothing (or ALIGN_MAX_ROUNDS sweeps).
 * Starts from the identity. Returns the number of sweeps. A cancelled run
 * (run_loop.h) stops it early, with permutations that mean nothing. */
int align_match(struct align *al, const struct mlp *a, const struct mlp *b);

/* out's parameters = b's with hidden units permuted by al->perm: out
 * computes exactly b's function. out may not share b's slab. Uses al's
 * scratch. */
void align_apply(struct align *al, const struct mlp *b, struct mlp *out);

#endif
