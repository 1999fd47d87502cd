/* mlp.h: fully connected ReLU networks in float32. All parameters live in one
 * slab (and all gradients in a second one of the same layout), so zeroing
 * gradients is one memset and interpolating two networks is one axpy. */
#ifndef OVERPARAM_MLP_H
#define OVERPARAM_MLP_H

#include <stdbool.h>
#include <stddef.h>

#include "overparam/rng.h"

#define MLP_MAX_LAYERS 16

/* One affine layer as views into a slab, in PyTorch's nn.Linear layout. */
struct mlp_layer {
	int in, out;
	float *W; /* (out, in) row-major */
	float *b; /* (out) */
};

struct mlp {
	int n_layers;                /* affine layers = hidden layers + 1 */
	int dims[MLP_MAX_LAYERS + 1];/* dims[0] = input, dims[n_layers] = output */
	size_t n_params;
	float *params;               /* (n_params) slab: W0, b0, W1, b1, ... */
	float *grads;                /* (n_params) same layout as params */
	struct mlp_layer layer[MLP_MAX_LAYERS];  /* views into params */
	struct mlp_layer glayer[MLP_MAX_LAYERS]; /* views into grads */
	int batch_cap;               /* most rows forward/backward accept */
	float *acts;                 /* activations of every layer, (dims[l], mlp_row_stride(batch_cap)) each */
	float *act[MLP_MAX_LAYERS + 1]; /* act[0] unused (input is the caller's); act[l]: (dims[l], ld),
					 * unit-major: row j is unit j over the batch's n samples,
					 * rows ld = mlp_row_stride(n) apart */
	float *delta;                /* the slab of err[], laid out as acts */
	float *delta2;               /* (batch_cap, dims[n_layers]): mlp_forward's sample-major outputs */
	float *err[MLP_MAX_LAYERS + 1]; /* err[l]: dL/d(pre-activation of layer l), as act[l], l >= 1 */
	bool shared;                 /* params are another net's (mlp_create_shared); no grads */
};

/* Distance between the rows of act[] and err[] for a batch of n: n rounded
 * up to whole vector blocks (the padding is scratch, never data). */
int mlp_row_stride(int n);

/* Parameter count of a net with these layer sizes (weights and biases). */
size_t mlp_count_params(const int *dims /* (n_layers + 1) */, int n_layers);
/* Layer sizes of a net with `depth` hidden layers of `width` units:
 * {in, width, ..., width, out}. Returns the number of affine layers,
 * depth + 1. */
int mlp_layer_dims(int *dims /* (depth + 2) */, int in, int depth, int width, int out);
/* Bytes mlp_create would allocate for this shape and batch size. */
size_t mlp_bytes(const int *dims /* (n_layers + 1) */, int n_layers, int batch_cap);

/* The memory cap's model of a net with `depth` hidden layers of `width`
 * units on `in` inputs and one output (experiment_ops.memory), in doubles
 * so that no shape overflows. Parameters (weights and biases): */
double mlp_estimate_params(int in, int depth, int width);
/* Bytes: parameters and gradients (and Adam's two moments), activations
 * and backward scratch for `rows` rows of every layer, input included (x3),
 * in float32: what the cap counts for mlp_bytes and the optimiser's state. */
double mlp_estimate_bytes(int in, int depth, int width, double rows, bool adam);

/* Allocates everything the net will ever need; nothing is allocated later.
 * Returns 0, or -1 on bad shape or out of memory (m is then empty). */
int mlp_create(struct mlp *m, const int *dims /* (n_layers + 1) */, int n_layers, int batch_cap);
void mlp_destroy(struct mlp *m);

/* PyTorch nn.Linear default: W and b uniform in +-1/sqrt(fan_in). */
void mlp_init_torch_default(struct mlp *m, struct rng *r);
/* Every parameter (weights and biases) normal(0, std), as nn.init.normal_. */
void mlp_init_normal(struct mlp *m, struct rng *r, double std);

/* A net for evaluation only that uses src's parameters (views into src's
 * slab, so it always sees src's current weights) with activations of its
 * own for up to batch_cap rows: it may run forward (a test set) while src
 * runs its own step, as long as the weights do not change meanwhile. grads
 * is NULL; src must outlive it. Returns 0 or -1. */
int mlp_create_shared(struct mlp *m, const struct mlp *src, int batch_cap);

/* Forward pass; returns a pointer to the outputs (n, dims[n_layers]) inside
 * the net's own buffers, valid until the next call. n <= batch_cap. */
const float *mlp_forward(struct mlp *m, const float *X /* (n, dims[0]) */, int n);

/* Mean squared error of the net on (X, y), forward only. Accumulated in
 * double; NaN or Inf when the net has diverged. */
double mlp_loss(struct mlp *m, const float *X /* (n, dims[0]) */, const float *y /* (n, out) */, int n);

/* Forward, MSE and backward: overwrites m->grads with d(loss)/d(params) and
 * returns the loss (as mlp_loss). */
double mlp_loss_grad(struct mlp *m, const float *X /* (n, dims[0]) */, const float *y /* (n, out) */, int n);

/* One mlp_loss_grad cut into parts so that threads can share it (the
 * width sweep's big nets): part p of P takes a contiguous share of each
 * layer's units, i.e. of the rows of every product. mlp_loss_grad is these
 * calls with P = 1. In this order, each step for every part before the
 * next step starts (parts of one step may run at once):
 *   1. mlp_forward_part for layer 0, 1, ..., n_layers - 1: the part's units
 *      of that layer's output, for every sample;
 *   2. mlp_backward_part for layer n_layers - 1, ..., 1, 0: dL/dZ of the
 *      part's units of that layer's output, and their bias gradients
 *      (the output layer's may go with its forward step: it reads only its
 *      own units);
 *   3. mlp_grad_part (any time after the part's own step 2 of layer 0):
 *      the part's rows of every weight gradient; and mlp_output_loss.
 * The gradients are mlp_loss_grad's up to float rounding (bit for bit when
 * OpenBLAS runs a part's products with the kernels it uses for the whole
 * layer; it may not under its small-matrix threshold); a given cut always
 * gives the same bits, whichever thread runs which part. */
void mlp_forward_part(struct mlp *m, const float *X /* (n, dims[0]) */, int n, int layer, int part, int parts);
void mlp_backward_part(struct mlp *m, const float *y /* (n, out) */, int n, int layer, int part, int parts);
void mlp_grad_part(struct mlp *m, const float *X /* (n, dims[0]) */, int n, int part, int parts);
/* MSE of the outputs the last forward left in the net (as mlp_loss). */
double mlp_output_loss(const struct mlp *m, const float *y /* (n, out) */, int n);
/* The [begin, end) ranges of the slab whose gradients part `part` of
 * `parts` writes (a layer's rows of W, then its b); returns how many, at
 * most 2 * n_layers. */
int mlp_part_params(const struct mlp *m, int part, int parts, size_t *begin /* (2 n_layers) */,
		    size_t *end /* (2 n_layers) */);

#endif
