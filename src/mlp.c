/* mlp.c: fully connected ReLU nets in float32. Matrix products are
 * cblas_sgemm; everything else (bias, ReLU, its mask, bias-gradient sums,
 * the MSE and its gradient) is one fused pass over a row-major buffer per
 * layer. Nothing here allocates after mlp_create: this is the per-epoch path
 * of every MLP scenario. */
#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <cblas.h>

#include "overparam/mlp.h"

#define MLP_ALIGN 64

/* Buffer sizes in floats for one shape; false when the shape is invalid. */
struct mlp_sizes {
	size_t params;  /* weights and biases */
	size_t acts;    /* every layer's output, batch_cap rows each */
	size_t delta;   /* one backward buffer: batch_cap rows of the widest layer */
};

static bool shape_ok(const int *dims, int n_layers)
{
	if (!dims || n_layers < 1 || n_layers > MLP_MAX_LAYERS)
		return false;
	for (int l = 0; l <= n_layers; l++)
		if (dims[l] < 1)
			return false;
	return true;
}

static bool sizes_for(const int *dims /* (n_layers + 1) */, int n_layers, int batch_cap, struct mlp_sizes *s)
{
	size_t widest = 0, per_row = 0;

	if (!shape_ok(dims, n_layers) || batch_cap < 1)
		return false;
	s->params = mlp_count_params(dims, n_layers);
	/* Backward never holds a gradient of the input itself (no GEMM for it),
	 * so the widest buffer is the widest of layers 1..n_layers. */
	for (int l = 1; l <= n_layers; l++) {
		per_row += (size_t)dims[l];
		if ((size_t)dims[l] > widest)
			widest = (size_t)dims[l];
	}
	s->acts = (size_t)batch_cap * per_row;
	s->delta = (size_t)batch_cap * widest;
	return true;
}

static size_t aligned_bytes(size_t floats)
{
	size_t b = floats * sizeof(float);

	return (b + MLP_ALIGN - 1) / MLP_ALIGN * MLP_ALIGN;
}

static float *alloc_floats(size_t floats)
{
	size_t b = aligned_bytes(floats);
	float *p = aligned_alloc(MLP_ALIGN, b);

	if (p)
		memset(p, 0, b);
	return p;
}

size_t mlp_count_params(const int *dims /* (n_layers + 1) */, int n_layers)
{
	size_t n = 0;

	for (int l = 0; l < n_layers; l++)
		n += (size_t)dims[l + 1] * ((size_t)dims[l] + 1);
	return n;
}

size_t mlp_bytes(const int *dims /* (n_layers + 1) */, int n_layers, int batch_cap)
{
	struct mlp_sizes s;

	if (!sizes_for(dims, n_layers, batch_cap, &s))
		return 0;
	return 2 * aligned_bytes(s.params) + aligned_bytes(s.acts) + 2 * aligned_bytes(s.delta);
}

/* Points layer views at their W and b inside a slab laid out W0, b0, W1, ... */
static void set_views(struct mlp_layer *views, const int *dims, int n_layers, float *slab)
{
	for (int l = 0; l < n_layers; l++) {
		views[l].in = dims[l];
		views[l].out = dims[l + 1];
		views[l].W = slab;
		slab += (size_t)dims[l + 1] * (size_t)dims[l];
		views[l].b = slab;
		slab += dims[l + 1];
	}
}

int mlp_create(struct mlp *m, const int *dims /* (n_layers + 1) */, int n_layers, int batch_cap)
{
	struct mlp_sizes s;

	memset(m, 0, sizeof *m);
	if (!sizes_for(dims, n_layers, batch_cap, &s))
		return -1;
	m->n_layers = n_layers;
	memcpy(m->dims, dims, (size_t)(n_layers + 1) * sizeof *dims);
	m->n_params = s.params;
	m->batch_cap = batch_cap;
	m->params = alloc_floats(s.params);
	m->grads = alloc_floats(s.params);
	m->acts = alloc_floats(s.acts);
	m->delta = alloc_floats(s.delta);
	m->delta2 = alloc_floats(s.delta);
	if (!m->params || !m->grads || !m->acts || !m->delta || !m->delta2) {
		mlp_destroy(m);
		return -1;
	}
	set_views(m->layer, dims, n_layers, m->params);
	set_views(m->glayer, dims, n_layers, m->grads);
	float *a = m->acts;
	for (int l = 1; l <= n_layers; l++) {
		m->act[l] = a;
		a += (size_t)batch_cap * (size_t)dims[l];
	}
	return 0;
}

void mlp_destroy(struct mlp *m)
{
	free(m->params);
	free(m->grads);
	free(m->acts);
	free(m->delta);
	free(m->delta2);
	memset(m, 0, sizeof *m);
}

void mlp_init_torch_default(struct mlp *m, struct rng *r)
{
	for (int l = 0; l < m->n_layers; l++) {
		const struct mlp_layer *L = &m->layer[l];
		double bound = 1.0 / sqrt((double)L->in);
		size_t nw = (size_t)L->out * (size_t)L->in;

		for (size_t i = 0; i < nw; i++)
			L->W[i] = (float)((2.0 * rng_uniform(r) - 1.0) * bound);
		for (int i = 0; i < L->out; i++)
			L->b[i] = (float)((2.0 * rng_uniform(r) - 1.0) * bound);
	}
}

void mlp_init_normal(struct mlp *m, struct rng *r, double std)
{
	for (size_t i = 0; i < m->n_params; i++)
		m->params[i] = (float)(std * rng_normal(r));
}

/* Z = A W^T (no bias yet): the affine part of one layer. */
static void layer_gemm(const struct mlp_layer *L, const float *A /* (n, in) */, int n, float *Z /* (n, out) */)
{
	cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, n, L->out, L->in, 1.0f, A, L->in, L->W, L->in, 0.0f, Z,
		    L->out);
}

/* The elementwise loops walk each row in blocks of MLP_BLOCK with a constant
 * inner trip count: GCC vectorizes those, if-converting the selects, even at
 * -O2, where a loop of unknown length stays scalar and branchy (mispredicted
 * ReLU branches nearly doubled a width-500 epoch). A row whose width is not
 * a multiple of the block ends with one more block shifted back to end at
 * the row's end. So that the shifted block may redo lanes, these passes read
 * the GEMM's output from a scratch buffer and write elsewhere (an in-place
 * overlap would also stall on store forwarding), and column sums of the
 * shifted block go to a side accumulator. */
#define MLP_BLOCK 8

/* max(v, 0) that keeps NaN as NaN (as torch's ReLU does), so a diverged net
 * still reports a non-finite loss. */
static inline float relu(float v)
{
	return v < 0.0f ? 0.0f : v;
}

/* H = relu(S + b): S the layer's GEMM output, H its activation. */
static void bias_relu(float *restrict H /* (n, w) */, const float *restrict S /* (n, w) */,
		      const float *restrict b /* (w) */, int n, int w)
{
	for (int i = 0; i < n; i++) {
		float *restrict h = H + (size_t)i * (size_t)w;
		const float *restrict s = S + (size_t)i * (size_t)w;
		int j = 0;

		for (; j + MLP_BLOCK <= w; j += MLP_BLOCK)
			for (int k = 0; k < MLP_BLOCK; k++)
				h[j + k] = relu(s[j + k] + b[j + k]);
		if (j == w)
			continue;
		if (w < MLP_BLOCK) {
			for (; j < w; j++)
				h[j] = relu(s[j] + b[j]);
			continue;
		}
		const int t = w - MLP_BLOCK;
		for (int k = 0; k < MLP_BLOCK; k++)
			h[t + k] = relu(s[t + k] + b[t + k]);
	}
}

/* Backward through a ReLU: D = S where the unit was on, 0 where it was off
 * (H <= 0, so the derivative at 0 is 0 as in torch), with S = dL/dH from
 * the GEMM; gb = the column sums of D (the bias gradient of the layer that
 * produced H), summed afresh. S is read unconditionally: a load only under
 * the mask might trap as far as GCC knows, and would keep the loop scalar. */
static void relu_back(float *restrict D /* (n, w) */, const float *restrict S /* (n, w) */,
		      const float *restrict H /* (n, w) */, int n, int w, float *restrict gb /* (w) */)
{
	const int full = w - w % MLP_BLOCK;           /* lanes the aligned blocks cover */
	const int t = w - MLP_BLOCK;                  /* start of the shifted block */
	const int shifted = w > MLP_BLOCK && full < w;
	float side[MLP_BLOCK] = {0};                  /* column sums of the shifted block */

	memset(gb, 0, (size_t)w * sizeof *gb);
	for (int i = 0; i < n; i++) {
		float *restrict d = D + (size_t)i * (size_t)w;
		const float *restrict s = S + (size_t)i * (size_t)w;
		const float *restrict h = H + (size_t)i * (size_t)w;

		for (int j = 0; j < full; j += MLP_BLOCK) {
			for (int k = 0; k < MLP_BLOCK; k++) {
				float sv = s[j + k], v = h[j + k] > 0.0f ? sv : 0.0f;
				d[j + k] = v;
				gb[j + k] += v;
			}
		}
		if (shifted) {
			for (int k = 0; k < MLP_BLOCK; k++) {
				float sv = s[t + k], v = h[t + k] > 0.0f ? sv : 0.0f;
				d[t + k] = v;
				side[k] += v;
			}
		} else {
			for (int j = full; j < w; j++) {
				float sv = s[j], v = h[j] > 0.0f ? sv : 0.0f;
				d[j] = v;
				gb[j] += v;
			}
		}
	}
	/* Where the shifted block overlaps the aligned ones, both summed the
	 * same values in the same row order: the copy changes no bit there. */
	if (shifted)
		for (int k = 0; k < MLP_BLOCK; k++)
			gb[t + k] = side[k];
}

/* Hidden layers with ReLU (GEMM into the delta scratch, then the fused pass
 * into act), then the output layer's GEMM straight into act; the callers add
 * its bias in their own pass. Returns the output buffer. */
static float *forward_to_output(struct mlp *m, const float *X /* (n, dims[0]) */, int n)
{
	const float *in = X;
	int last = m->n_layers - 1;

	for (int l = 0; l < last; l++) {
		const struct mlp_layer *L = &m->layer[l];

		layer_gemm(L, in, n, m->delta);
		bias_relu(m->act[l + 1], m->delta, L->b, n, L->out);
		in = m->act[l + 1];
	}
	layer_gemm(&m->layer[last], in, n, m->act[last + 1]);
	return m->act[last + 1];
}

const float *mlp_forward(struct mlp *m, const float *X /* (n, dims[0]) */, int n)
{
	if (n < 1 || n > m->batch_cap)
		return NULL;
	const struct mlp_layer *L = &m->layer[m->n_layers - 1];
	float *restrict out = forward_to_output(m, X, n);
	const float *restrict b = L->b;

	for (int i = 0; i < n; i++)
		for (int j = 0; j < L->out; j++)
			out[(size_t)i * (size_t)L->out + (size_t)j] += b[j];
	return out;
}

double mlp_loss(struct mlp *m, const float *X /* (n, dims[0]) */, const float *y /* (n, out) */, int n)
{
	const float *pred = mlp_forward(m, X, n);

	if (!pred)
		return NAN;
	size_t total = (size_t)n * (size_t)m->dims[m->n_layers];
	double sum = 0.0;

	for (size_t i = 0; i < total; i++) {
		double r = (double)pred[i] - (double)y[i];
		sum += r * r;
	}
	return sum / (double)total;
}

/* Output layer, one pass: add the bias in place, accumulate the squared
 * error, write dL/dZ = 2 (pred - y) / (n o) and its column sums (the bias
 * gradient). Squared errors go to MLP_BLOCK double partial sums, so the
 * blocks stay vectorizable and the loss keeps double accumulation. */
static double output_pass(float *restrict Z /* (n, o) */, const float *restrict b /* (o) */,
			  const float *restrict y /* (n, o) */, int n, int o, float *restrict D /* (n, o) */,
			  float *restrict gb /* (o) */)
{
	const float scale = 2.0f / ((float)n * (float)o);
	double sq[MLP_BLOCK] = {0};
	float gs[MLP_BLOCK] = {0};
	double sum = 0.0;

	if (o == 1) {
		/* The usual scalar-output net: walk the column flat, since rows of
		 * one element would leave nothing to vectorize. */
		const float b0 = b[0];
		int i = 0;

		for (; i + MLP_BLOCK <= n; i += MLP_BLOCK) {
			for (int k = 0; k < MLP_BLOCK; k++) {
				float p = Z[i + k] + b0;
				float r = p - y[i + k];
				float d = r * scale;

				Z[i + k] = p;
				D[i + k] = d;
				sq[k] += (double)r * (double)r;
				gs[k] += d;
			}
		}
		for (; i < n; i++) {
			float p = Z[i] + b0;
			float r = p - y[i];
			float d = r * scale;

			Z[i] = p;
			D[i] = d;
			sq[0] += (double)r * (double)r;
			gs[0] += d;
		}
		float g = 0.0f;
		for (int k = 0; k < MLP_BLOCK; k++)
			g += gs[k];
		gb[0] = g;
	} else {
		/* Several outputs: row by row; no shifted block here, the bias is
		 * added in place. */
		memset(gb, 0, (size_t)o * sizeof *gb);
		for (int i = 0; i < n; i++) {
			size_t row = (size_t)i * (size_t)o;
			float *restrict z = Z + row, *restrict dd = D + row;
			const float *restrict yy = y + row;
			int j = 0;

			for (; j + MLP_BLOCK <= o; j += MLP_BLOCK) {
				for (int k = 0; k < MLP_BLOCK; k++) {
					float p = z[j + k] + b[j + k];
					float r = p - yy[j + k];
					float d = r * scale;

					z[j + k] = p;
					dd[j + k] = d;
					sq[k] += (double)r * (double)r;
					gb[j + k] += d;
				}
			}
			for (; j < o; j++) {
				float p = z[j] + b[j];
				float r = p - yy[j];
				float d = r * scale;

				z[j] = p;
				dd[j] = d;
				sq[0] += (double)r * (double)r;
				gb[j] += d;
			}
		}
	}
	for (int k = 0; k < MLP_BLOCK; k++)
		sum += sq[k];
	return sum / ((double)n * (double)o);
}

double mlp_loss_grad(struct mlp *m, const float *X /* (n, dims[0]) */, const float *y /* (n, out) */, int n)
{
	if (n < 1 || n > m->batch_cap)
		return NAN;
	const int last = m->n_layers - 1;
	float *Z = forward_to_output(m, X, n);
	float *D = m->delta;   /* dL/dZ of the current layer, (n, out) */
	float *S = m->delta2;  /* dL/dH of the layer below, before the ReLU mask */
	double loss = output_pass(Z, m->layer[last].b, y, n, m->layer[last].out, D, m->glayer[last].b);

	for (int l = last; l >= 0; l--) {
		const struct mlp_layer *L = &m->layer[l];
		const float *in = l > 0 ? m->act[l] : X; /* (n, L->in) */

		/* gW = D^T in: (out, n) x (n, in) */
		cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, L->out, L->in, n, 1.0f, D, L->out, in, L->in,
			    0.0f, m->glayer[l].W, L->in);
		if (l == 0)
			break; /* nobody needs dL/dX */
		/* S = D W: (n, out) x (out, in); D is free once both GEMMs have read it */
		cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, n, L->in, L->out, 1.0f, D, L->out, L->W, L->in,
			    0.0f, S, L->in);
		relu_back(D, S, m->act[l], n, L->in, m->glayer[l - 1].b);
	}
	return loss;
}
