/* mlp.c: fully connected ReLU nets in float32. Activations and errors are
 * stored unit-major, (units, n), the transpose of PyTorch's (n, units): row j
 * is unit j over the batch. A unit's bias, its ReLU, its mask and its bias
 * gradient then all run along one contiguous row of n samples, which
 * vectorizes whatever the width (sample-major rows of a width-10 layer left
 * 10 floats to a row); and OpenBLAS 0.3.21 runs the GEMMs of this orientation
 * faster on narrow nets (the 8 GEMMs of a width-10 epoch: ~3 us against
 * ~5 us; the same from width 200 on). Matrix products are cblas_sgemm.
 * Nothing here allocates after mlp_create: this is the per-epoch path of
 * every MLP scenario.
 *
 * A step is built layer by layer from parts (a share of each layer's
 * units), so that two threads can share one step of a big net, each with
 * half of every product; mlp_loss_grad is the same code with one part. */
#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <cblas.h>

#include "overparam/mlp.h"

#define MLP_ALIGN 64
#define MLP_BLOCK 8 /* floats a row pass handles at once; rows are padded to it */

/* Buffer sizes in floats for one shape; false when the shape is invalid. */
struct mlp_sizes {
	size_t params; /* weights and biases */
	size_t acts;   /* every layer's units, mlp_row_stride(batch_cap) columns each (also the errors) */
	size_t out;    /* mlp_forward's sample-major copy of the outputs */
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
	size_t units = 0;

	if (!shape_ok(dims, n_layers) || batch_cap < 1)
		return false;
	s->params = mlp_count_params(dims, n_layers);
	for (int l = 1; l <= n_layers; l++)
		units += (size_t)dims[l];
	s->acts = (size_t)mlp_row_stride(batch_cap) * units;
	s->out = (size_t)batch_cap * (size_t)dims[n_layers];
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

int mlp_layer_dims(int *dims /* (depth + 2) */, int in, int depth, int width, int out)
{
	dims[0] = in;
	for (int l = 1; l <= depth; l++)
		dims[l] = width;
	dims[depth + 1] = out;
	return depth + 1;
}

size_t mlp_bytes(const int *dims /* (n_layers + 1) */, int n_layers, int batch_cap)
{
	struct mlp_sizes s;

	if (!sizes_for(dims, n_layers, batch_cap, &s))
		return 0;
	return 2 * aligned_bytes(s.params) + 2 * aligned_bytes(s.acts) + aligned_bytes(s.out);
}

double mlp_estimate_params(int in, int depth, int width)
{
	double params = 0;
	int prev = in;
	for (int l = 0; l < depth; l++) {
		params += (double)width * (prev + 1.0);
		prev = width;
	}
	return params + (prev + 1.0);
}

double mlp_estimate_bytes(int in, int depth, int width, double rows, bool adam)
{
	double units = in + 1.0 + (double)depth * width;
	double floats = mlp_estimate_params(in, depth, width) * (adam ? 4 : 2) + 3 * rows * units;
	return floats * sizeof(float);
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

/* rows[l] for l = 1..n_layers: (dims[l], mlp_row_stride(batch_cap)) blocks
 * of one slab; a call with n columns uses the first dims[l] * ld floats. */
static void set_rows(float **rows /* (n_layers + 1) */, const int *dims, int n_layers, int batch_cap, float *slab)
{
	for (int l = 1; l <= n_layers; l++) {
		rows[l] = slab;
		slab += (size_t)mlp_row_stride(batch_cap) * (size_t)dims[l];
	}
}

/* The shape fields every net has, shared or not. */
static void take_shape(struct mlp *m, const int *dims, int n_layers, const struct mlp_sizes *s, int batch_cap)
{
	m->n_layers = n_layers;
	memcpy(m->dims, dims, (size_t)(n_layers + 1) * sizeof *dims);
	m->n_params = s->params;
	m->batch_cap = batch_cap;
}

int mlp_create(struct mlp *m, const int *dims /* (n_layers + 1) */, int n_layers, int batch_cap)
{
	struct mlp_sizes s;

	memset(m, 0, sizeof *m);
	if (!sizes_for(dims, n_layers, batch_cap, &s))
		return -1;
	take_shape(m, dims, n_layers, &s, batch_cap);
	m->params = alloc_floats(s.params);
	m->grads = alloc_floats(s.params);
	m->acts = alloc_floats(s.acts);
	m->delta = alloc_floats(s.acts);
	m->delta2 = alloc_floats(s.out);
	if (!m->params || !m->grads || !m->acts || !m->delta || !m->delta2) {
		mlp_destroy(m);
		return -1;
	}
	set_views(m->layer, dims, n_layers, m->params);
	set_views(m->glayer, dims, n_layers, m->grads);
	set_rows(m->act, dims, n_layers, batch_cap, m->acts);
	set_rows(m->err, dims, n_layers, batch_cap, m->delta);
	return 0;
}

int mlp_create_shared(struct mlp *m, const struct mlp *src, int batch_cap)
{
	struct mlp_sizes s;

	memset(m, 0, sizeof *m);
	if (!src || !src->params || !sizes_for(src->dims, src->n_layers, batch_cap, &s))
		return -1;
	take_shape(m, src->dims, src->n_layers, &s, batch_cap);
	m->shared = true;
	m->params = src->params;
	m->acts = alloc_floats(s.acts);
	m->delta2 = alloc_floats(s.out);
	if (!m->acts || !m->delta2) {
		mlp_destroy(m);
		return -1;
	}
	set_views(m->layer, m->dims, m->n_layers, m->params);
	set_rows(m->act, m->dims, m->n_layers, batch_cap, m->acts);
	return 0;
}

void mlp_destroy(struct mlp *m)
{
	if (!m->shared) {
		free(m->params);
		free(m->grads);
	}
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

/* The row passes walk blocks of MLP_BLOCK with a constant inner trip count:
 * GCC vectorizes those, if-converting the selects, even at -O2, where a loop
 * of unknown length stays scalar and branchy (mispredicted ReLU branches
 * nearly doubled a width-500 epoch). Rows are padded to whole blocks
 * (mlp_row_stride), so the in-place passes run through the padding instead
 * of a scalar tail: a tail of 2 to 4 branchy floats a row cost more than
 * the rest of the row. Padding is never read as data: GEMMs see n columns,
 * sums and the loss stop at n.
 *
 * Like Adam (optim.c), these passes are compiled for AVX2 and AVX-512 too on
 * x86-64 and picked at load time; each call covers a layer's rows, so the
 * indirect call is paid once a layer. Same bits at every width. Not under
 * ThreadSanitizer: the ifunc resolver GCC writes would run, instrumented,
 * before the TSan runtime is up. */
#if defined(__GNUC__) && defined(__x86_64__) && defined(__linux__) && !defined(__clang__) && !defined(__SANITIZE_THREAD__)
#define MLP_WIDE __attribute__((target_clones("avx512f", "avx2", "default")))
#else
#define MLP_WIDE
#endif

int mlp_row_stride(int n)
{
	return (n + MLP_BLOCK - 1) / MLP_BLOCK * MLP_BLOCK;
}

/* max(v, 0) that keeps NaN as NaN (as torch's ReLU does), so a diverged net
 * still reports a non-finite loss. */
static inline float relu(float v)
{
	return v < 0.0f ? 0.0f : v;
}

/* Z = relu(Z + b) (hidden layers) or Z + b (the output layer), whole rows. */
MLP_WIDE
static void bias_rows(float *restrict Z /* (rows, ld) */, const float *restrict b /* (rows) */, int rows, int ld,
		      bool hidden)
{
	for (int j = 0; j < rows; j++) {
		float *restrict z = Z + (size_t)j * (size_t)ld;
		const float bj = b[j];

		if (hidden) {
			for (int i = 0; i < ld; i += MLP_BLOCK)
				for (int k = 0; k < MLP_BLOCK; k++)
					z[i + k] = relu(z[i + k] + bj);
		} else {
			for (int i = 0; i < ld; i += MLP_BLOCK)
				for (int k = 0; k < MLP_BLOCK; k++)
					z[i + k] += bj;
		}
	}
}

/* The sum of a row's first n floats in a fixed order: MLP_BLOCK lane sums
 * over the row's blocks (the last one masked at n: padding is never data),
 * then the lanes pairwise, so the reduction stays in vector registers
 * instead of a chain of scalar adds through memory. */
_Static_assert(MLP_BLOCK == 8, "lanes_sum adds 8 lanes");
static inline float lanes_sum(const float *lane /* (MLP_BLOCK) */)
{
	float a0 = lane[0] + lane[4], a1 = lane[1] + lane[5], a2 = lane[2] + lane[6], a3 = lane[3] + lane[7];
	return (a0 + a2) + (a1 + a3);
}

/* s[j] = the sum of row j's first n floats (lanes_sum's order): the bias
 * gradients of the output layer. */
MLP_WIDE
static void row_sums(const float *restrict E /* (rows, ld) */, int rows, int ld, int n, float *restrict s /* (rows) */)
{
	for (int j = 0; j < rows; j++) {
		const float *restrict e = E + (size_t)j * (size_t)ld;
		float lane[MLP_BLOCK] = {0};

		for (int i = 0; i < ld; i += MLP_BLOCK)
			for (int k = 0; k < MLP_BLOCK; k++)
				lane[k] += i + k < n ? e[i + k] : 0.0f;
		s[j] = lanes_sum(lane);
	}
}

/* Backward through a ReLU, whole rows: the error stays where the unit was
 * on and is 0 where it was off (h <= 0, so the derivative at 0 is 0 as in
 * torch); and s[j] = the sum of row j's first n floats after the mask, in
 * lanes_sum's order (one pass for both). e is read unconditionally: a load
 * only under the mask might trap as far as GCC knows, and would keep the
 * loop scalar. */
MLP_WIDE
static void relu_mask_sum_rows(float *restrict E /* (rows, ld) */, const float *restrict H /* (rows, ld) */,
			       int rows, int ld, int n, float *restrict s /* (rows) */)
{
	for (int j = 0; j < rows; j++) {
		float *restrict e = E + (size_t)j * (size_t)ld;
		const float *restrict h = H + (size_t)j * (size_t)ld;
		float lane[MLP_BLOCK] = {0};

		for (int i = 0; i < ld; i += MLP_BLOCK)
			for (int k = 0; k < MLP_BLOCK; k++) {
				float v = e[i + k];
				v = h[i + k] > 0.0f ? v : 0.0f;
				e[i + k] = v;
				lane[k] += i + k < n ? v : 0.0f;
			}
		s[j] = lanes_sum(lane);
	}
}

/* The output error of a single output: e = (z - y) * scale, y contiguous. */
MLP_WIDE
static void output_error_row(float *restrict e /* (n) */, const float *restrict z /* (n) */,
			     const float *restrict y /* (n) */, float scale, int n)
{
	int i = 0;

	for (; i + MLP_BLOCK <= n; i += MLP_BLOCK)
		for (int k = 0; k < MLP_BLOCK; k++)
			e[i + k] = (z[i + k] - y[i + k]) * scale;
	for (; i < n; i++)
		e[i] = (z[i] - y[i]) * scale;
}

/* mlp_loss_grad's output layer when it has one unit, in one pass: the error
 * e = (z - y) * scale, its sum (the bias gradient, in row_sums' order) and
 * the loss (in mlp_output_loss's order), so the same bits as those. */
MLP_WIDE
static double output_pass(float *restrict e /* (n) */, const float *restrict z /* (n) */,
			  const float *restrict y /* (n) */, float scale, int n, float *restrict gb /* (1) */)
{
	float lane[MLP_BLOCK] = {0};
	double sq[MLP_BLOCK] = {0}, sum = 0.0;
	int i = 0;

	for (; i + MLP_BLOCK <= n; i += MLP_BLOCK)
		for (int k = 0; k < MLP_BLOCK; k++) {
			float r = z[i + k] - y[i + k], d = r * scale;
			e[i + k] = d;
			lane[k] += d;
			sq[k] += (double)r * (double)r;
		}
	if (i < n) {
		for (int k = 0; k < MLP_BLOCK; k++) {
			float d = 0.0f;
			if (i + k < n) {
				d = (z[i + k] - y[i + k]) * scale;
				e[i + k] = d;
			}
			lane[k] += d;
		}
		for (; i < n; i++) {
			float r = z[i] - y[i];
			sq[0] += (double)r * (double)r;
		}
	}
	*gb = lanes_sum(lane);
	for (int k = 0; k < MLP_BLOCK; k++)
		sum += sq[k];
	return sum / (double)n;
}

/* First unit of part `part` of `parts` of a layer with `units` units. */
static int part_start(int units, int part, int parts)
{
	return (int)((long long)units * part / parts);
}

static bool part_ok(const struct mlp *m, int n, int part, int parts)
{
	return n >= 1 && n <= m->batch_cap && parts >= 1 && part >= 0 && part < parts;
}

void mlp_forward_part(struct mlp *m, const float *X /* (n, dims[0]) */, int n, int layer, int part, int parts)
{
	if (!part_ok(m, n, part, parts) || layer < 0 || layer >= m->n_layers)
		return;
	const struct mlp_layer *L = &m->layer[layer];
	const int r0 = part_start(L->out, part, parts), r1 = part_start(L->out, part + 1, parts);
	const int ld = mlp_row_stride(n);
	if (r1 <= r0)
		return;
	const float *W = L->W + (size_t)r0 * (size_t)L->in; /* this part's rows of W, (r1 - r0, in) */
	float *Z = m->act[layer + 1] + (size_t)r0 * (size_t)ld; /* (r1 - r0, ld) */

	if (layer == 0) /* Z = W X^T, X sample-major */
		cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, r1 - r0, n, L->in, 1.0f, W, L->in, X, L->in, 0.0f, Z,
			    ld);
	else /* Z = W A, A the layer below, (in, ld) */
		cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, r1 - r0, n, L->in, 1.0f, W, L->in, m->act[layer],
			    ld, 0.0f, Z, ld);
	bias_rows(Z, L->b + r0, r1 - r0, ld, layer + 1 < m->n_layers);
}

void mlp_backward_part(struct mlp *m, const float *y /* (n, out) */, int n, int layer, int part, int parts)
{
	if (m->shared || !part_ok(m, n, part, parts) || layer < 0 || layer >= m->n_layers)
		return;
	const int units = m->dims[layer + 1], ld = mlp_row_stride(n), last = m->n_layers;
	const int r0 = part_start(units, part, parts), r1 = part_start(units, part + 1, parts);
	if (r1 <= r0)
		return;
	float *E = m->err[layer + 1] + (size_t)r0 * (size_t)ld; /* (r1 - r0, ld) */
	float *gb = m->glayer[layer].b + r0;

	if (layer == last - 1) {
		/* The output layer: dL/dZ = 2 (pred - y) / (n o), as torch's MSE. */
		const int o = m->dims[last];
		const float scale = 2.0f / ((float)n * (float)o);
		for (int j = r0; j < r1; j++) {
			const float *z = m->act[last] + (size_t)j * (size_t)ld;
			float *e = m->err[last] + (size_t)j * (size_t)ld;
			if (o == 1) {
				output_error_row(e, z, y, scale, n);
				continue;
			}
			for (int i = 0; i < n; i++)
				e[i] = (z[i] - y[(size_t)i * (size_t)o + (size_t)j]) * scale;
		}
		row_sums(E, r1 - r0, ld, n, gb);
		return;
	}
	/* A hidden layer: its rows of W'^T err', W' and err' those of the layer
	 * above, then the ReLU mask of its own activations. */
	const struct mlp_layer *U = &m->layer[layer + 1];
	cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, r1 - r0, n, U->out, 1.0f, U->W + r0, U->in,
		    m->err[layer + 2], ld, 0.0f, E, ld);
	relu_mask_sum_rows(E, m->act[layer + 1] + (size_t)r0 * (size_t)ld, r1 - r0, ld, n, gb);
}

void mlp_grad_part(struct mlp *m, const float *X /* (n, dims[0]) */, int n, int part, int parts)
{
	if (m->shared || !part_ok(m, n, part, parts))
		return;
	const int ld = mlp_row_stride(n);

	for (int l = 0; l < m->n_layers; l++) {
		const struct mlp_layer *L = &m->layer[l], *G = &m->glayer[l];
		const int r0 = part_start(L->out, part, parts), r1 = part_start(L->out, part + 1, parts);

		if (r1 <= r0)
			continue;
		const float *E = m->err[l + 1] + (size_t)r0 * (size_t)ld; /* (r1 - r0, ld) */
		float *gW = G->W + (size_t)r0 * (size_t)L->in;              /* (r1 - r0, in) */

		if (l == 0) /* gW = E X, X sample-major (n, in) */
			cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, r1 - r0, L->in, n, 1.0f, E, ld, X, L->in,
				    0.0f, gW, L->in);
		else /* gW = E A^T, A = act[l] unit-major (in, ld) */
			cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, r1 - r0, L->in, n, 1.0f, E, ld, m->act[l],
				    ld, 0.0f, gW, L->in);
	}
}

int mlp_part_params(const struct mlp *m, int part, int parts, size_t *begin /* (2 n_layers) */,
		    size_t *end /* (2 n_layers) */)
{
	int k = 0;

	if (parts < 1 || part < 0 || part >= parts)
		return 0;
	for (int l = 0; l < m->n_layers; l++) {
		const struct mlp_layer *L = &m->layer[l];
		const size_t r0 = (size_t)part_start(L->out, part, parts), r1 = (size_t)part_start(L->out, part + 1, parts);
		const size_t w = (size_t)(L->W - m->params), b = (size_t)(L->b - m->params);

		if (r1 <= r0)
			continue;
		begin[k] = w + r0 * (size_t)L->in;
		end[k++] = w + r1 * (size_t)L->in;
		begin[k] = b + r0;
		end[k++] = b + r1;
	}
	return k;
}

/* Squared errors summed in double over MLP_BLOCK partial sums, so the block
 * stays vectorizable; the residual itself is formed in float, as torch does. */
double mlp_output_loss(const struct mlp *m, const float *y /* (n, out) */, int n)
{
	if (n < 1 || n > m->batch_cap)
		return NAN;
	const int o = m->dims[m->n_layers], ld = mlp_row_stride(n);
	double sq[MLP_BLOCK] = {0}, sum = 0.0;

	for (int j = 0; j < o; j++) {
		const float *restrict z = m->act[m->n_layers] + (size_t)j * (size_t)ld;
		const float *restrict yj = y + j; /* stride o */
		int i = 0;

		if (o == 1) /* contiguous: the same sums, vectorized */
			for (; i + MLP_BLOCK <= n; i += MLP_BLOCK)
				for (int k = 0; k < MLP_BLOCK; k++) {
					float r = z[i + k] - yj[i + k];
					sq[k] += (double)r * (double)r;
				}
		for (; i + MLP_BLOCK <= n; i += MLP_BLOCK)
			for (int k = 0; k < MLP_BLOCK; k++) {
				float r = z[i + k] - yj[(size_t)(i + k) * (size_t)o];
				sq[k] += (double)r * (double)r;
			}
		for (; i < n; i++) {
			float r = z[i] - yj[(size_t)i * (size_t)o];
			sq[0] += (double)r * (double)r;
		}
	}
	for (int k = 0; k < MLP_BLOCK; k++)
		sum += sq[k];
	return sum / ((double)n * (double)o);
}

static void forward_all(struct mlp *m, const float *X /* (n, dims[0]) */, int n)
{
	for (int l = 0; l < m->n_layers; l++)
		mlp_forward_part(m, X, n, l, 0, 1);
}

const float *mlp_forward(struct mlp *m, const float *X /* (n, dims[0]) */, int n)
{
	if (n < 1 || n > m->batch_cap)
		return NULL;
	forward_all(m, X, n);
	const int o = m->dims[m->n_layers], ld = mlp_row_stride(n);
	const float *Z = m->act[m->n_layers]; /* (o, ld) */

	if (o == 1)
		return Z; /* one row: its first n floats are (n, 1) */
	for (int i = 0; i < n; i++)
		for (int j = 0; j < o; j++)
			m->delta2[(size_t)i * (size_t)o + (size_t)j] = Z[(size_t)j * (size_t)ld + (size_t)i];
	return m->delta2;
}

double mlp_loss(struct mlp *m, const float *X /* (n, dims[0]) */, const float *y /* (n, out) */, int n)
{
	if (n < 1 || n > m->batch_cap)
		return NAN;
	forward_all(m, X, n);
	return mlp_output_loss(m, y, n);
}

/* The step as one part: the split functions with parts = 1, so the whole
 * and the split step share their code; a single output's error, bias
 * gradient and loss come from one pass (output_pass, the same bits). */
double mlp_loss_grad(struct mlp *m, const float *X /* (n, dims[0]) */, const float *y /* (n, out) */, int n)
{
	if (m->shared || n < 1 || n > m->batch_cap)
		return NAN;
	const int last = m->n_layers;
	forward_all(m, X, n);
	if (m->dims[last] != 1) {
		for (int l = last - 1; l >= 0; l--)
			mlp_backward_part(m, y, n, l, 0, 1);
		mlp_grad_part(m, X, n, 0, 1);
		return mlp_output_loss(m, y, n);
	}
	double loss = output_pass(m->err[last], m->act[last], y, 2.0f / (float)n, n, m->glayer[last - 1].b);
	for (int l = last - 2; l >= 0; l--)
		mlp_backward_part(m, y, n, l, 0, 1);
	mlp_grad_part(m, X, n, 0, 1);
	return loss;
}
