/* test_mlp.c: the float32 MLP against an independent double-precision
 * forward written here with plain loops over the same slab layout: losses,
 * outputs, and every gradient entry against central finite differences of
 * that reference. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "overparam/mlp.h"
#include "overparam/rng.h"

#define REF_MAX_WIDTH 64

#define assert_near(got, want, tol)                                                                    \
	do {                                                                                           \
		double g_ = (got), w_ = (want), t_ = (tol);                                            \
		if (!(fabs(g_ - w_) <= t_))                                                            \
			fail_msg("%s = %.10g, want %.10g (tol %.3g)", #got, g_, w_, t_);                \
	} while (0)

/* Reference forward of one sample over a double slab laid out W0 (out, in),
 * b0, W1, b1, ...; ReLU after every layer but the last. */
static void ref_forward_one(const int *dims /* (L + 1) */, int L, const double *theta, const float *x /* (dims[0]) */,
			    double *out /* (dims[L]) */)
{
	double cur[REF_MAX_WIDTH], nxt[REF_MAX_WIDTH];
	const double *w = theta;

	for (int c = 0; c < dims[0]; c++)
		cur[c] = x[c];
	for (int l = 0; l < L; l++) {
		int in = dims[l], o = dims[l + 1];
		const double *b = w + (size_t)o * (size_t)in;

		for (int r = 0; r < o; r++) {
			double s = b[r];
			for (int c = 0; c < in; c++)
				s += w[r * in + c] * cur[c];
			nxt[r] = (l + 1 < L && s < 0.0) ? 0.0 : s;
		}
		memcpy(cur, nxt, (size_t)o * sizeof *cur);
		w = b + o;
	}
	memcpy(out, cur, (size_t)dims[L] * sizeof *out);
}

/* MSE over n * dims[L], in double. */
static double ref_loss(const int *dims, int L, const double *theta, const float *X /* (n, dims[0]) */,
		       const float *y /* (n, dims[L]) */, int n)
{
	double out[REF_MAX_WIDTH], sum = 0.0;
	int o = dims[L];

	for (int i = 0; i < n; i++) {
		ref_forward_one(dims, L, theta, X + (size_t)i * dims[0], out);
		for (int j = 0; j < o; j++) {
			double r = out[j] - y[i * o + j];
			sum += r * r;
		}
	}
	return sum / ((double)n * o);
}

/* Central differences of ref_loss for every parameter. */
static void ref_grad_fd(const int *dims, int L, const float *params /* (np) */, size_t np, const float *X,
			const float *y, int n, double *fd /* (np) */)
{
	const double h = 1e-5;
	double *theta = malloc(np * sizeof *theta);

	assert_non_null(theta);
	for (size_t k = 0; k < np; k++)
		theta[k] = params[k];
	for (size_t k = 0; k < np; k++) {
		double t = theta[k];
		theta[k] = t + h;
		double lp = ref_loss(dims, L, theta, X, y, n);
		theta[k] = t - h;
		double lm = ref_loss(dims, L, theta, X, y, n);
		theta[k] = t;
		fd[k] = (lp - lm) / (2.0 * h);
	}
	free(theta);
}

/* Entries where a float32 gradient and the double finite difference
 * disagree beyond float32 rounding; the first one goes to *first. */
static size_t grad_mismatches(const float *g /* (np) */, const double *fd /* (np) */, size_t np, size_t *first)
{
	size_t bad = 0;

	for (size_t k = 0; k < np; k++) {
		if (!(fabs(g[k] - fd[k]) <= 1e-3 * fabs(fd[k]) + 1e-5)) {
			if (!bad && first)
				*first = k;
			bad++;
		}
	}
	return bad;
}

static void fill_normal(struct rng *r, float *a /* (n) */, size_t n, double scale)
{
	for (size_t i = 0; i < n; i++)
		a[i] = (float)(scale * rng_normal(r));
}

struct fixture {
	struct mlp m;
	float *X; /* (n, dims[0]) */
	float *y; /* (n, dims[L]) */
	int n;
};

static void fixture_make(struct fixture *f, const int *dims, int L, int n, uint64_t seed, int init_normal)
{
	struct rng r;

	assert_int_equal(mlp_create(&f->m, dims, L, n), 0);
	rng_seed(&r, seed, 0);
	if (init_normal)
		mlp_init_normal(&f->m, &r, 0.5);
	else
		mlp_init_torch_default(&f->m, &r);
	f->n = n;
	f->X = malloc((size_t)n * dims[0] * sizeof *f->X);
	f->y = malloc((size_t)n * dims[L] * sizeof *f->y);
	assert_non_null(f->X);
	assert_non_null(f->y);
	fill_normal(&r, f->X, (size_t)n * dims[0], 1.0);
	fill_normal(&r, f->y, (size_t)n * dims[L], 1.0);
}

static void fixture_free(struct fixture *f)
{
	mlp_destroy(&f->m);
	free(f->X);
	free(f->y);
}

/* Gradients of every parameter for several shapes and seeds, with the grad
 * slab first filled with garbage: mlp_loss_grad must overwrite, not add. */
static void test_grad_matches_finite_differences(void **state)
{
	(void)state;
	/* Widths below, at and between multiples of 8 (the kernels' block) so
	 * that every path of the elementwise passes is exercised. */
	static const int shapes[][5] = {
		{5, 7, 6, 2},    /* the main case: two hidden layers, two outputs */
		{3, 8, 1},       /* one hidden layer, scalar output */
		{4, 3},          /* no hidden layer: plain linear regression */
		{2, 5, 4, 3, 1}, /* three hidden layers */
		{6, 13, 9, 1},   /* widths with a remainder after whole blocks */
		{4, 16, 10},     /* two whole blocks; ten outputs */
		{3, 10, 24, 9},
	};
	static const int n_layers[] = {3, 2, 1, 4, 3, 2, 3};

	for (int s = 0; s < 7; s++) {
		for (uint64_t seed = 1; seed <= 3; seed++) {
			struct fixture f;
			size_t first = 0;

			fixture_make(&f, shapes[s], n_layers[s], 9, seed * 17 + (uint64_t)s, (int)(seed & 1));
			size_t np = f.m.n_params;
			double *fd = malloc(np * sizeof *fd);
			assert_non_null(fd);
			for (size_t k = 0; k < np; k++)
				f.m.grads[k] = (k & 1) ? NAN : 1e30f;
			double loss = mlp_loss_grad(&f.m, f.X, f.y, f.n);
			ref_grad_fd(shapes[s], n_layers[s], f.m.params, np, f.X, f.y, f.n, fd);
			size_t bad = grad_mismatches(f.m.grads, fd, np, &first);
			if (bad)
				fail_msg("shape %d seed %d: %zu of %zu gradients off, first #%zu: %.8g vs fd %.8g", s,
					 (int)seed, bad, np, first, f.m.grads[first], fd[first]);
			double *theta = fd; /* done with the differences: reuse for the loss */
			for (size_t k = 0; k < np; k++)
				theta[k] = f.m.params[k];
			double want = ref_loss(shapes[s], n_layers[s], theta, f.X, f.y, f.n);
			assert_near(loss, want, 1e-5 * want);
			free(fd);
			fixture_free(&f);
		}
	}
}

/* The comparison above can fail: one bias gradient with its sign flipped,
 * or one layer's weight gradient scaled by 1.01, is reported. */
static void test_grad_check_is_sensitive(void **state)
{
	(void)state;
	static const int dims[] = {5, 7, 6, 2};
	struct fixture f;

	fixture_make(&f, dims, 3, 9, 99, 0);
	size_t np = f.m.n_params;
	double *fd = malloc(np * sizeof *fd);
	float *g = malloc(np * sizeof *g);
	assert_non_null(fd);
	assert_non_null(g);
	mlp_loss_grad(&f.m, f.X, f.y, f.n);
	ref_grad_fd(dims, 3, f.m.params, np, f.X, f.y, f.n, fd);
	assert_int_equal(grad_mismatches(f.m.grads, fd, np, NULL), 0);

	/* Flip the largest bias gradient of the middle layer. */
	memcpy(g, f.m.grads, np * sizeof *g);
	size_t off = (size_t)(f.m.glayer[1].b - f.m.grads), big = off;
	for (int j = 0; j < f.m.glayer[1].out; j++)
		if (fabsf(g[off + j]) > fabsf(g[big]))
			big = off + j;
	assert_true(fabsf(g[big]) > 1e-3f);
	g[big] = -g[big];
	assert_int_equal(grad_mismatches(g, fd, np, NULL), 1);

	/* Scale the first layer's weight gradient by 1.01. */
	memcpy(g, f.m.grads, np * sizeof *g);
	size_t nw = (size_t)f.m.glayer[0].out * f.m.glayer[0].in;
	for (size_t k = 0; k < nw; k++)
		g[k] *= 1.01f;
	assert_true(grad_mismatches(g, fd, np, NULL) > 0);

	free(fd);
	free(g);
	fixture_free(&f);
}

/* mlp_loss and mlp_loss_grad return the reference MSE; mlp_forward's
 * outputs match the reference forward, also for n < batch_cap after a full
 * batch (no stale rows or strides from the bigger call). */
static void test_loss_and_forward_match_reference(void **state)
{
	(void)state;
	static const int dims[] = {5, 7, 6, 2};
	struct fixture f;
	double theta[256], out[2];

	fixture_make(&f, dims, 3, 16, 5, 0);
	assert_true(f.m.n_params <= 256);
	for (size_t k = 0; k < f.m.n_params; k++)
		theta[k] = f.m.params[k];

	for (int n = 16; n >= 1; n -= 5) {
		double want = ref_loss(dims, 3, theta, f.X, f.y, n);
		assert_near(mlp_loss(&f.m, f.X, f.y, n), want, 1e-5 * want);
		assert_near(mlp_loss_grad(&f.m, f.X, f.y, n), want, 1e-5 * want);
		const float *pred = mlp_forward(&f.m, f.X, n);
		assert_non_null(pred);
		for (int i = 0; i < n; i++) {
			ref_forward_one(dims, 3, theta, f.X + (size_t)i * 5, out);
			assert_near(pred[2 * i], out[0], 1e-5 * (1.0 + fabs(out[0])));
			assert_near(pred[2 * i + 1], out[1], 1e-5 * (1.0 + fabs(out[1])));
		}
	}
	fixture_free(&f);
}

/* A hidden unit whose pre-activation is exactly 0 passes no gradient
 * (torch's convention: ReLU'(0) = 0), while its neighbours do. Width 4 and
 * width 12 with the unit past the first block of 8. */
static void test_relu_derivative_zero_at_zero(void **state)
{
	(void)state;
	static const int dims[2][3] = {{3, 4, 1}, {3, 12, 1}};
	static const int unit[2] = {2, 10};

	for (int c = 0; c < 2; c++) {
		struct fixture f;
		int u = unit[c], w = dims[c][1];

		fixture_make(&f, dims[c], 2, 6, 7, 1);
		struct mlp_layer *L0 = &f.m.layer[0];
		for (int col = 0; col < L0->in; col++)
			L0->W[u * L0->in + col] = 0.0f; /* z = 0 for every input */
		L0->b[u] = 0.0f;
		f.m.layer[1].W[u] = 1.0f; /* and it feeds the output */
		mlp_loss_grad(&f.m, f.X, f.y, f.n);

		assert_true(f.m.glayer[0].b[u] == 0.0f);
		for (int col = 0; col < L0->in; col++)
			assert_true(f.m.glayer[0].W[u * L0->in + col] == 0.0f);
		float other = 0.0f;
		for (int v = 0; v < w; v++)
			if (v != u)
				other += fabsf(f.m.glayer[0].b[v]);
		assert_true(other > 0.0f);
		fixture_free(&f);
	}
}

/* A net with a NaN weight reports a non-finite loss (ReLU keeps NaN). */
static void test_diverged_net_reports_nonfinite(void **state)
{
	(void)state;
	static const int dims[] = {4, 6, 1};
	struct fixture f;

	fixture_make(&f, dims, 2, 5, 3, 0);
	assert_true(isfinite(mlp_loss(&f.m, f.X, f.y, f.n)));
	f.m.layer[0].W[0] = NAN;
	assert_false(isfinite(mlp_loss(&f.m, f.X, f.y, f.n)));
	assert_false(isfinite(mlp_loss_grad(&f.m, f.X, f.y, f.n)));
	f.m.layer[0].W[0] = 0.0f;
	f.m.layer[1].b[0] = INFINITY;
	assert_false(isfinite(mlp_loss(&f.m, f.X, f.y, f.n)));
	fixture_free(&f);
}

/* The width sweep's shapes, as PyTorch counts them. */
static void test_param_counts(void **state)
{
	(void)state;
	static const int widths[] = {10, 50, 200, 500};
	static const size_t want[] = {331, 3651, 44601, 261501};

	for (int i = 0; i < 4; i++) {
		int dims[] = {20, widths[i], widths[i], 1};
		struct mlp m;

		assert_int_equal(mlp_count_params(dims, 3), want[i]);
		assert_int_equal(mlp_create(&m, dims, 3, 100), 0);
		assert_int_equal(m.n_params, want[i]);
		/* The views tile the slab exactly: last bias ends at n_params. */
		assert_ptr_equal(m.layer[2].b + 1, m.params + want[i]);
		assert_ptr_equal(m.glayer[2].b + 1, m.grads + want[i]);
		/* params and grads; activations and errors of every layer's
		 * units, 100 columns each (rows padded); the sample-major
		 * output copy. */
		size_t floats = 2 * want[i] + 2 * (size_t)mlp_row_stride(100) * (size_t)(2 * widths[i] + 1) + 100;
		size_t bytes = mlp_bytes(dims, 3, 100);
		assert_true(bytes >= floats * sizeof(float) && bytes < floats * sizeof(float) + 5 * 64);
		mlp_destroy(&m);
	}
	/* The mode-connectivity net: the seed prints ~84,200, the truth is 42,601. */
	int mc[] = {10, 200, 200, 1};
	assert_int_equal(mlp_count_params(mc, 3), 42601);
}

static void test_create_rejects_bad_shapes(void **state)
{
	(void)state;
	struct mlp m;
	int zero[] = {3, 0, 1};
	int ok[] = {3, 4, 1};

	assert_int_equal(mlp_create(&m, zero, 2, 4), -1);
	assert_null(m.params);
	assert_int_equal(mlp_create(&m, ok, 0, 4), -1);
	assert_int_equal(mlp_create(&m, ok, MLP_MAX_LAYERS + 1, 4), -1);
	assert_int_equal(mlp_create(&m, ok, 2, 0), -1);
	assert_int_equal(mlp_bytes(zero, 2, 4), 0);
	mlp_destroy(&m); /* harmless on an empty net */
}

struct moments {
	double mean, var, absmax;
};

static struct moments moments_of(const float *a /* (n) */, size_t n)
{
	struct moments m = {0};
	double s = 0.0, s2 = 0.0;

	for (size_t i = 0; i < n; i++) {
		s += a[i];
		m.absmax = fmax(m.absmax, fabs(a[i]));
	}
	m.mean = s / n;
	for (size_t i = 0; i < n; i++)
		s2 += (a[i] - m.mean) * (a[i] - m.mean);
	m.var = s2 / n;
	return m;
}

/* torch default: every W and b of layer l uniform in +-1/sqrt(fan_in):
 * all inside the bound, reaching near it, variance bound^2 / 3. */
static void test_init_torch_default(void **state)
{
	(void)state;
	int dims[] = {20, 200, 200, 1};
	struct mlp m;
	struct rng r;

	assert_int_equal(mlp_create(&m, dims, 3, 1), 0);
	rng_seed(&r, 42, 0);
	mlp_init_torch_default(&m, &r);
	for (int l = 0; l < 3; l++) {
		const struct mlp_layer *L = &m.layer[l];
		double bound = 1.0 / sqrt((double)L->in);
		size_t nw = (size_t)L->out * L->in;
		struct moments w = moments_of(L->W, nw), b = moments_of(L->b, (size_t)L->out);

		assert_true(w.absmax <= (float)bound);
		assert_true(b.absmax <= (float)bound);
		assert_true(b.absmax > 0.0);
		if (nw >= 4000) {
			/* 5 standard errors of the mean and of the variance */
			double v = bound * bound / 3.0;
			assert_near(w.mean, 0.0, 5.0 * sqrt(v / nw));
			assert_near(w.var, v, 5.0 * v * sqrt(0.8 / nw));
			assert_true(w.absmax > 0.99 * bound);
		}
	}
	mlp_destroy(&m);
}

/* normal(0, std) on every parameter, biases included. */
static void test_init_normal(void **state)
{
	(void)state;
	int dims[] = {10, 200, 200, 1};
	struct mlp m;
	struct rng r;

	assert_int_equal(mlp_create(&m, dims, 3, 1), 0);
	rng_seed(&r, 1, 0);
	mlp_init_normal(&m, &r, 0.1);
	struct moments all = moments_of(m.params, m.n_params);
	assert_near(all.mean, 0.0, 5.0 * 0.1 / sqrt((double)m.n_params));
	assert_near(all.var, 0.01, 5.0 * 0.01 * sqrt(2.0 / m.n_params));
	struct moments b = moments_of(m.layer[1].b, 200);
	assert_near(b.var, 0.01, 0.005); /* biases are drawn too, not zeroed */
	mlp_destroy(&m);
}

/* One step cut into parts (as the width sweep's two threads run it, layer
 * by layer, parts in any order within a step) gives mlp_loss_grad's loss
 * and gradients: several shapes and part counts, more parts than a layer
 * has units too. Equal up to float rounding only: OpenBLAS may use other
 * kernels for a part's rows than for the whole layer (under its
 * small-matrix threshold); the width sweep therefore splits a step the same
 * way whether or not its worker runs. */
static void run_parts(struct fixture *f, int parts)
{
	const int L = f->m.n_layers, n = f->n;
	for (int l = 0; l < L; l++)
		for (int p = parts - 1; p >= 0; p--) /* last part first */
			mlp_forward_part(&f->m, f->X, n, l, p, parts);
	for (int l = L - 1; l >= 0; l--)
		for (int p = 0; p < parts; p++)
			mlp_backward_part(&f->m, f->y, n, l, p, parts);
	for (int p = parts - 1; p >= 0; p--)
		mlp_grad_part(&f->m, f->X, n, p, parts);
}

static void test_split_step_matches_whole(void **state)
{
	(void)state;
	static const struct {
		int dims[5], layers, n, parts;
	} cases[] = {
		{{20, 500, 500, 1}, 3, 100, 2}, /* the seed sweep's widest net */
		{{10, 200, 200, 1}, 3, 50, 2},
		{{5, 7, 6, 2}, 3, 19, 3},       /* two outputs */
		{{6, 13, 9, 1}, 3, 37, 4},
		{{3, 10, 24, 9}, 3, 9, 12},     /* more parts than some layers have units */
		{{2, 5, 4, 3, 1}, 4, 33, 2},
		{{4, 3}, 1, 10, 2},             /* no hidden layer */
	};
	for (size_t c = 0; c < sizeof cases / sizeof *cases; c++) {
		struct fixture whole, cut;
		const int n = cases[c].n, L = cases[c].layers;
		fixture_make(&whole, cases[c].dims, L, n, 40 + c, (int)(c & 1));
		fixture_make(&cut, cases[c].dims, L, n, 40 + c, (int)(c & 1));
		double want = mlp_loss_grad(&whole.m, whole.X, whole.y, n);

		for (size_t k = 0; k < cut.m.n_params; k++)
			cut.m.grads[k] = NAN; /* every entry must be written */
		run_parts(&cut, cases[c].parts);
		double got = mlp_output_loss(&cut.m, cut.y, n);

		assert_near(got, want, 1e-6 * want);
		double gmax = 0.0, diff = 0.0;
		for (size_t k = 0; k < whole.m.n_params; k++) {
			gmax = fmax(gmax, fabs(whole.m.grads[k]));
			double d = fabs((double)cut.m.grads[k] - whole.m.grads[k]);
			diff = isnan(d) ? INFINITY : fmax(diff, d);
		}
		if (!(diff <= 1e-5 * gmax))
			fail_msg("case %zu: gradients differ by %.3g (largest %.3g)", c, diff, gmax);
		fixture_free(&whole);
		fixture_free(&cut);
	}
}

/* mlp_loss_grad takes a single output's error, bias gradient and loss from
 * one pass; they are the bits the separate steps give (batches with and
 * without a partial last block, and a diverged net). */
static void test_one_pass_output_matches_steps(void **state)
{
	(void)state;
	static const int dims[] = {4, 9, 6, 1};
	static const int ns[] = {37, 16, 3};
	for (int c = 0; c < 3; c++) {
		struct fixture f;
		fixture_make(&f, dims, 3, ns[c], 60 + (uint64_t)c, c & 1);
		if (c == 2)
			f.m.layer[0].W[0] = INFINITY;
		double loss = mlp_loss_grad(&f.m, f.X, f.y, f.n);
		float gb = f.m.glayer[2].b[0];
		double again = mlp_output_loss(&f.m, f.y, f.n);
		assert_memory_equal(&loss, &again, sizeof loss);
		mlp_backward_part(&f.m, f.y, f.n, 2, 0, 1);
		assert_memory_equal(&gb, &f.m.glayer[2].b[0], sizeof gb);
		if (c == 2)
			assert_false(isfinite(loss));
		fixture_free(&f);
	}
}

/* mlp_part_params names each parameter exactly once over the parts, and
 * a part's ranges are what that part's backward and gradient steps write. */
static void test_part_params_tile_the_slab(void **state)
{
	(void)state;
	static const int dims[] = {6, 13, 9, 2};
	struct fixture f;
	size_t begin[6], end[6];

	fixture_make(&f, dims, 3, 11, 8, 0);
	float *g = malloc(f.m.n_params * sizeof *g);
	int *seen = calloc(f.m.n_params, sizeof *seen);
	assert_true(g && seen);
	for (int parts = 1; parts <= 4; parts++) {
		run_parts(&f, parts); /* every buffer now holds this step's values */
		memcpy(g, f.m.grads, f.m.n_params * sizeof *g);
		memset(seen, 0, f.m.n_params * sizeof *seen);
		for (int p = 0; p < parts; p++) {
			for (size_t k = 0; k < f.m.n_params; k++)
				f.m.grads[k] = NAN;
			for (int l = f.m.n_layers - 1; l >= 0; l--)
				mlp_backward_part(&f.m, f.y, f.n, l, p, parts);
			mlp_grad_part(&f.m, f.X, f.n, p, parts);
			int r = mlp_part_params(&f.m, p, parts, begin, end);
			assert_true(r >= 0 && r <= 6);
			for (int i = 0; i < r; i++)
				for (size_t k = begin[i]; k < end[i]; k++) {
					seen[k]++;
					assert_true(f.m.grads[k] == g[k]); /* written by this part */
				}
			for (size_t k = 0; k < f.m.n_params; k++)
				if (!seen[k])
					assert_true(isnan(f.m.grads[k])); /* and nothing else yet */
		}
		for (size_t k = 0; k < f.m.n_params; k++)
			assert_int_equal(seen[k], 1);
	}
	free(g);
	free(seen);
	fixture_free(&f);
}

/* A shared net evaluates with the source's current weights from its own
 * activations (a bigger batch than the source's), owns no weights (ASan
 * would report a double free), and has no gradients to compute. */
static void test_shared_net_uses_source_weights(void **state)
{
	(void)state;
	static const int dims[] = {5, 7, 6, 2};
	struct fixture f;
	struct mlp ev;
	double theta[256];

	fixture_make(&f, dims, 3, 16, 21, 0);
	struct mlp small;
	assert_int_equal(mlp_create(&small, dims, 3, 4), 0); /* batch of 4 only */
	memcpy(small.params, f.m.params, f.m.n_params * sizeof(float));
	assert_int_equal(mlp_create_shared(&ev, &small, 16), 0);
	assert_true(ev.params == small.params && ev.grads == NULL);
	assert_true(f.m.n_params <= 256);
	for (size_t k = 0; k < f.m.n_params; k++)
		theta[k] = f.m.params[k];
	double want = ref_loss(dims, 3, theta, f.X, f.y, 16);
	assert_near(mlp_loss(&ev, f.X, f.y, 16), want, 1e-5 * want);
	assert_true(isnan(mlp_loss(&small, f.X, f.y, 16))); /* over the source's batch */
	small.layer[2].b[0] += 1.0f;                           /* the shared net sees it */
	assert_true(fabs(mlp_loss(&ev, f.X, f.y, 16) - want) > 1e-3);
	assert_true(isnan(mlp_loss_grad(&ev, f.X, f.y, 16)));
	mlp_destroy(&ev);
	mlp_destroy(&small);
	fixture_free(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_grad_matches_finite_differences),
		cmocka_unit_test(test_grad_check_is_sensitive),
		cmocka_unit_test(test_loss_and_forward_match_reference),
		cmocka_unit_test(test_relu_derivative_zero_at_zero),
		cmocka_unit_test(test_diverged_net_reports_nonfinite),
		cmocka_unit_test(test_param_counts),
		cmocka_unit_test(test_create_rejects_bad_shapes),
		cmocka_unit_test(test_init_torch_default),
		cmocka_unit_test(test_init_normal),
		cmocka_unit_test(test_split_step_matches_whole),
		cmocka_unit_test(test_one_pass_output_matches_steps),
		cmocka_unit_test(test_part_params_tile_the_slab),
		cmocka_unit_test(test_shared_net_uses_source_weights),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
