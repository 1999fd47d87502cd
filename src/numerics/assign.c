/* assign.c: linear assignment by shortest augmenting paths.
 *
 * Rows enter one at a time. Each entry grows a Dijkstra tree over the
 * columns on reduced costs c(i, j) - u[i] - v[j], which the potentials keep
 * non-negative on every pair and zero on every matched one, until it reaches
 * a free column; flipping the path then matches one more row. When all rows
 * are in, the potentials certify optimality (complementary slackness). Index
 * 0 is a virtual column that holds the entering row, so the tree has a root. */
#include <math.h>

#if defined(__x86_64__) && defined(__GNUC__)
#define SCAN_WIDE 1
#include <immintrin.h>
#else
#define SCAN_WIDE 0
#endif

#include "numerics/assign.h"
#include "overparam/run_loop.h"

/* One step of the search from column j0 (row i0, potential ui), over the
 * columns 1..n still open: lowers each one's slack through row i0 (which
 * then becomes its way back, prev = j0) and returns the first column of
 * least slack (0 if none is finite), that slack in *delta. Scanning is
 * nearly all of the time, hence the AVX2 twin below, which must agree to
 * the bit: the same sums in the same order, the same first minimum. */
static int scan(struct assign *a, const double *row /* (n) */, double sign, double ui, int j0, int n,
		int j, int j1, double *delta)
{
	double best = *delta;
	for (; j <= n; j++) {
		if (!a->open[j])
			continue;
		double rc = sign * row[j - 1] - ui - a->v[j];
		if (rc < a->slack[j]) {
			a->slack[j] = rc;
			a->prev[j] = j0;
		}
		if (a->slack[j] < best) {
			best = a->slack[j];
			j1 = j;
		}
	}
	*delta = best;
	return j1;
}

#if SCAN_WIDE
__attribute__((target("avx2"))) static int scan_avx2(struct assign *a, const double *row /* (n) */, double sign,
						     double ui, int j0, int n, double *delta)
{
	const __m256d vsign = _mm256_set1_pd(sign), vui = _mm256_set1_pd(ui);
	__m256d best = _mm256_set1_pd(INFINITY);
	__m256i at = _mm256_setzero_si256(), idx = _mm256_setr_epi64x(1, 2, 3, 4);
	const __m256i four = _mm256_set1_epi64x(4);
	int j = 1;
	for (; j + 3 <= n; j += 4) {
		__m256d rc = _mm256_sub_pd(_mm256_sub_pd(_mm256_mul_pd(vsign, _mm256_loadu_pd(row + j - 1)), vui),
					   _mm256_loadu_pd(a->v + j));
		__m256d open = _mm256_castsi256_pd(_mm256_loadu_si256((const __m256i *)(a->open + j)));
		__m256d slack = _mm256_loadu_pd(a->slack + j);
		__m256d lower = _mm256_and_pd(_mm256_cmp_pd(rc, slack, _CMP_LT_OQ), open);
		int bits = _mm256_movemask_pd(lower);
		if (bits) {
			slack = _mm256_blendv_pd(slack, rc, lower);
			_mm256_storeu_pd(a->slack + j, slack);
			for (int b = 0; b < 4; b++)
				if (bits >> b & 1)
					a->prev[j + b] = j0;
		}
		/* per lane, the first of its columns with the least slack */
		__m256d less = _mm256_and_pd(_mm256_cmp_pd(slack, best, _CMP_LT_OQ), open);
		best = _mm256_blendv_pd(best, slack, less);
		at = _mm256_castpd_si256(
			_mm256_blendv_pd(_mm256_castsi256_pd(at), _mm256_castsi256_pd(idx), less));
		idx = _mm256_add_epi64(idx, four);
	}
	/* the lanes' least, the first column among equals; then the tail */
	double lb[4];
	int64_t la[4];
	_mm256_storeu_pd(lb, best);
	_mm256_storeu_si256((__m256i *)la, at);
	double d = INFINITY;
	int j1 = 0;
	for (int l = 0; l < 4; l++)
		if (la[l] != 0 && (lb[l] < d || (lb[l] == d && la[l] < j1))) {
			d = lb[l];
			j1 = (int)la[l];
		}
	*delta = d;
	return scan(a, row, sign, ui, j0, n, j, j1, delta);
}
#endif

int assign_create(struct assign *a, int cap)
{
	*a = (struct assign){0};
	if (cap < 1)
		return -1;
	size_t k = (size_t)cap + 1;
	a->u = arrays_alloc(&a->mem, k, sizeof *a->u);
	a->v = arrays_alloc(&a->mem, k, sizeof *a->v);
	a->slack = arrays_alloc(&a->mem, k, sizeof *a->slack);
	a->row_of = arrays_alloc(&a->mem, k, sizeof *a->row_of);
	a->prev = arrays_alloc(&a->mem, k, sizeof *a->prev);
	a->open = arrays_alloc(&a->mem, k, sizeof *a->open);
	a->tree = arrays_alloc(&a->mem, k, sizeof *a->tree);
	if (a->mem.failed) {
		assign_destroy(a);
		return -1;
	}
	a->cap = cap;
#if SCAN_WIDE
	a->wide = __builtin_cpu_supports("avx2");
#endif
	return 0;
}

void assign_destroy(struct assign *a)
{
	arrays_free(&a->mem);
	*a = (struct assign){0};
}

double assign_solve(struct assign *a, const double *cost /* (n, n) row-major */, int n, bool maximize,
		    int *col_of /* (n) */)
{
	if (n <= 0 || n > a->cap)
		return NAN;
	/* Maximising is minimising the negated costs. */
	double sign = maximize ? -1.0 : 1.0;
	for (int j = 0; j <= n; j++) {
		a->u[j] = 0;
		a->v[j] = 0;
		a->row_of[j] = 0;
	}
	for (int r = 1; r <= n; r++) {
		if (run_cancelled()) /* O(n^3) in all: give way (run_loop.h) */
			goto give_up;
		a->row_of[0] = r;
		for (int j = 0; j <= n; j++) {
			a->slack[j] = INFINITY;
			a->open[j] = -1;
		}
		int j0 = 0, n_tree = 0;
		do {
			a->open[j0] = 0;
			a->tree[n_tree++] = j0;
			int i0 = a->row_of[j0];
			const double *row = cost + (size_t)(i0 - 1) * (size_t)n;
			double delta = INFINITY;
			int j1;
#if SCAN_WIDE
			if (a->wide)
				j1 = scan_avx2(a, row, sign, a->u[i0], j0, n, &delta);
			else
#endif
				j1 = scan(a, row, sign, a->u[i0], j0, n, 1, 0, &delta);
			if (j1 == 0) /* only NaN or infinite costs left: no optimum */
				goto give_up;
			/* Shift the potentials by the step to the nearest column:
			 * the tree's edges stay tight, that column becomes reachable.
			 * (A final column's slack is never read again in this search,
			 * so every slack may take the step.) */
			for (int t = 0; t < n_tree; t++) {
				int j = a->tree[t];
				a->u[a->row_of[j]] += delta;
				a->v[j] -= delta;
			}
			for (int j = 0; j <= n; j++)
				a->slack[j] -= delta;
			j0 = j1;
		} while (a->row_of[j0] != 0);
		/* Flip the path from the free column back to the root. */
		while (j0 != 0) {
			int j1 = a->prev[j0];
			a->row_of[j0] = a->row_of[j1];
			j0 = j1;
		}
	}
	for (int j = 1; j <= n; j++)
		col_of[a->row_of[j] - 1] = j - 1;
	double sum = 0; /* row by row, so a caller's own sum agrees exactly */
	for (int i = 0; i < n; i++)
		sum += cost[(size_t)i * (size_t)n + (size_t)col_of[i]];
	return sum;
give_up:
	for (int i = 0; i < n; i++)
		col_of[i] = i;
	return NAN;
}
