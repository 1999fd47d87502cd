/* mlp.h: fully connected ReLU networks in float32. All parameters live in one
 * slab (and all gradients in a second one of the same layout), so zeroing
 * gradients is one memset and interpolating two networks is one axpy. */
#ifndef OVERPARAM_MLP_H
#define OVERPARAM_MLP_H

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
	float *acts;                 /* activations of every layer, (batch_cap, dims[l]) each */
	float *act[MLP_MAX_LAYERS + 1]; /* act[0] unused (input is the caller's), act[l]: (n, dims[l]) */
	float *delta;                /* (batch_cap, max dim) backward scratch */
	float *delta2;               /* (batch_cap, max dim) backward scratch */
};

/* Parameter count of a net with these layer sizes (weights and biases). */
size_t mlp_count_params(const int *dims /* (n_layers + 1) */, int n_layers);
/* Bytes mlp_create would allocate for this shape and batch size. */
size_t mlp_bytes(const int *dims /* (n_layers + 1) */, int n_layers, int batch_cap);

/* Allocates everything the net will ever need; nothing is allocated later.
 * Returns 0, or -1 on bad shape or out of memory (m is then empty). */
int mlp_create(struct mlp *m, const int *dims /* (n_layers + 1) */, int n_layers, int batch_cap);
void mlp_destroy(struct mlp *m);

/* PyTorch nn.Linear default: W and b uniform in +-1/sqrt(fan_in). */
void mlp_init_torch_default(struct mlp *m, struct rng *r);
/* Every parameter (weights and biases) normal(0, std), as nn.init.normal_. */
void mlp_init_normal(struct mlp *m, struct rng *r, double std);

/* Forward pass; returns a pointer to the outputs (n, dims[n_layers]) inside
 * the net's own buffers, valid until the next call. n <= batch_cap. */
const float *mlp_forward(struct mlp *m, const float *X /* (n, dims[0]) */, int n);

/* Mean squared error of the net on (X, y), forward only. Accumulated in
 * double; NaN or Inf when the net has diverged. */
double mlp_loss(struct mlp *m, const float *X /* (n, dims[0]) */, const float *y /* (n, out) */, int n);

/* Forward, MSE and backward: overwrites m->grads with d(loss)/d(params) and
 * returns the loss (as mlp_loss). */
double mlp_loss_grad(struct mlp *m, const float *X /* (n, dims[0]) */, const float *y /* (n, out) */, int n);

#endif
