/* align.c: weight matching. The similarity of A's unit i and B's unit j in
 * hidden layer k is the inner product of everything attached to them: their
 * incoming weight rows (with B's inputs already in A's order), their biases,
 * and their outgoing weight columns (with B's next layer already in A's
 * order). Maximising its sum over one layer's pairs is a linear assignment;
 * the layers depend on each other only through those "already in order"
 * sides, so we sweep over them until nothing improves. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <cblas.h>

#include "overparam/align.h"
#include "overparam/run_loop.h"

int align_create(struct align *al, const struct mlp *m)
{
	memset(al, 0, sizeof *al);
	if (m->n_layers < 1 || m->n_layers > MLP_MAX_LAYERS)
		return -1;
	al->n_layers = m->n_layers;
	size_t units = 0, widest_w = 1;
	int widest = 1;
	for (int l = 0; l <= m->n_layers; l++) {
		al->dims[l] = m->dims[l];
		units += (size_t)m->dims[l];
		widest = m->dims[l] > widest ? m->dims[l] : widest;
		if (l < m->n_layers && (size_t)m->dims[l] * (size_t)m->dims[l + 1] > widest_w)
			widest_w = (size_t)m->dims[l] * (size_t)m->dims[l + 1];
	}
	size_t sq = (size_t)widest * (size_t)widest;
	al->perm_slab = malloc(units * sizeof *al->perm_slab);
	al->trial = malloc((size_t)widest * sizeof *al->trial);
	al->bperm = malloc(widest_w * sizeof *al->bperm);
	al->simf = malloc(sq * sizeof *al->simf);
	al->sim = malloc(sq * sizeof *al->sim);
	if (!al->perm_slab || !al->trial || !al->bperm || !al->simf || !al->sim ||
	    assign_create(&al->lap, widest) != 0) {
		align_destroy(al);
		return -1;
	}
	int *p = al->perm_slab;
	for (int l = 0; l <= m->n_layers; l++) {
		al->perm[l] = p;
		for (int i = 0; i < m->dims[l]; i++)
			p[i] = i;
		p += m->dims[l];
	}
	return 0;
}

void align_destroy(struct align *al)
{
	free(al->perm_slab);
	free(al->trial);
	free(al->bperm);
	free(al->simf);
	free(al->sim);
	assign_destroy(&al->lap);
	memset(al, 0, sizeof *al);
}

/* out[r][c] = W[r][p[c]] */
static void permute_cols(const float *W /* (rows, cols) */, int rows, int cols, const int *p /* (cols) */,
			 float *out /* (rows, cols) */)
{
	for (int r = 0; r < rows; r++) {
		const float *w = W + (size_t)r * (size_t)cols;
		float *o = out + (size_t)r * (size_t)cols;
		for (int c = 0; c < cols; c++)
			o[c] = w[p[c]];
	}
}

/* out[r][:] = W[p[r]][:] */
static void permute_rows(const float *W /* (rows, cols) */, int rows, int cols, const int *p /* (rows) */,
			 float *out /* (rows, cols) */)
{
	for (int r = 0; r < rows; r++)
		memcpy(out + (size_t)r * (size_t)cols, W + (size_t)p[r] * (size_t)cols, (size_t)cols * sizeof *out);
}

/* sim[i][j]: how alike A's unit i and B's unit j of hidden layer k are,
 * given the current order of layers k - 1 and k + 1. */
static void layer_similarity(struct align *al, const struct mlp *a, const struct mlp *b, int k)
{
	int h = al->dims[k], in = al->dims[k - 1], out = al->dims[k + 1];
	const struct mlp_layer *ai = &a->layer[k - 1], *bi = &b->layer[k - 1];
	const struct mlp_layer *ao = &a->layer[k], *bo = &b->layer[k];
	permute_cols(bi->W, h, in, al->perm[k - 1], al->bperm);
	cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, h, h, in, 1.0f, ai->W, in, al->bperm, in, 0.0f, al->simf,
		    h);
	cblas_sger(CblasRowMajor, h, h, 1.0f, ai->b, 1, bi->b, 1, al->simf, h);
	permute_rows(bo->W, out, h, al->perm[k + 1], al->bperm);
	cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, h, h, out, 1.0f, ao->W, h, al->bperm, h, 1.0f, al->simf,
		    h);
	for (size_t i = 0; i < (size_t)h * (size_t)h; i++)
		al->sim[i] = al->simf[i];
}

static double assignment_value(const double *sim /* (h, h) */, int h, const int *p /* (h) */)
{
	double s = 0;
	for (int i = 0; i < h; i++)
		s += sim[(size_t)i * (size_t)h + (size_t)p[i]];
	return s;
}

/* sum over layers of <W_A, P W_B P^T> + <b_A, P b_B>, in double */
static double total_objective(const struct align *al, const struct mlp *a, const struct mlp *b)
{
	double s = 0;
	for (int l = 0; l < al->n_layers; l++) {
		int rows = al->dims[l + 1], cols = al->dims[l];
		const int *po = al->perm[l + 1], *pi = al->perm[l];
		for (int i = 0; i < rows; i++) {
			const float *wa = a->layer[l].W + (size_t)i * (size_t)cols;
			const float *wb = b->layer[l].W + (size_t)po[i] * (size_t)cols;
			for (int c = 0; c < cols; c++)
				s += (double)wa[c] * wb[pi[c]];
			s += (double)a->layer[l].b[i] * b->layer[l].b[po[i]];
		}
	}
	return s;
}

int align_match(struct align *al, const struct mlp *a, const struct mlp *b)
{
	for (int k = 1; k < al->n_layers; k++)
		for (int i = 0; i < al->dims[k]; i++)
			al->perm[k][i] = i;
	/* Layer k's problem depends only on its neighbours' permutations: while
	 * neither has changed since k was last solved, solving it again would
	 * give the same optimum, which cannot be a strict gain. So a sweep
	 * skips it (with one hidden layer, the closing sweep is all skips). */
	unsigned changed[MLP_MAX_LAYERS + 1] = {0}, solved[MLP_MAX_LAYERS + 1] = {0}, tick = 0;
	int rounds = 0;
	bool improved = true;
	while (improved && rounds < ALIGN_MAX_ROUNDS) {
		improved = false;
		rounds++;
		/* a layer's similarity and assignment take seconds at width
		 * 4096: give way to a cancel (run_loop.h) between layers */
		for (int k = 1; k < al->n_layers && !run_cancelled(); k++) {
			if (solved[k] && changed[k - 1] < solved[k] && changed[k + 1] < solved[k])
				continue;
			solved[k] = ++tick;
			int h = al->dims[k];
			layer_similarity(al, a, b, k);
			double best = assign_solve(&al->lap, al->sim, h, true, al->trial);
			double now = assignment_value(al->sim, h, al->perm[k]);
			/* Only a strict gain is taken: ties cannot make it cycle, and
			 * each sweep raises the objective, so it ends. */
			if (isfinite(best) && best > now + 1e-12 * (fabs(now) + 1)) {
				memcpy(al->perm[k], al->trial, (size_t)h * sizeof *al->trial);
				changed[k] = ++tick;
				improved = true;
			}
		}
	}
	al->rounds = rounds;
	al->objective = total_objective(al, a, b);
	return rounds;
}

void align_apply(struct align *al, const struct mlp *b, struct mlp *out)
{
	for (int l = 0; l < al->n_layers; l++) {
		int rows = al->dims[l + 1], cols = al->dims[l];
		const int *po = al->perm[l + 1];
		permute_cols(b->layer[l].W, rows, cols, al->perm[l], al->bperm);
		permute_rows(al->bperm, rows, cols, po, out->layer[l].W);
		for (int i = 0; i < rows; i++)
			out->layer[l].b[i] = b->layer[l].b[po[i]];
	}
}
