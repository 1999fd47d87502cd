/* assign.c: linear assignment by shortest augmenting paths.
 *
 * Rows enter one at a time. Each entry grows a Dijkstra tree over the
 * columns on reduced costs c(i, j) - u[i] - v[j], which the potentials keep
 * non-negative on every pair and zero on every matched one, until it reaches
 * a free column; flipping the path then matches one more row. When all rows
 * are in, the potentials certify optimality (complementary slackness). Index
 * 0 is a virtual column that holds the entering row, so the tree has a root. */
#include <math.h>

#include "numerics/assign.h"
#include "overparam/run_loop.h"

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
	a->done = arrays_alloc(&a->mem, k, sizeof *a->done);
	if (a->mem.failed) {
		assign_destroy(a);
		return -1;
	}
	a->cap = cap;
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
			a->done[j] = false;
		}
		int j0 = 0;
		do {
			a->done[j0] = true;
			int i0 = a->row_of[j0];
			const double *row = cost + (size_t)(i0 - 1) * (size_t)n;
			double delta = INFINITY;
			int j1 = 0;
			for (int j = 1; j <= n; j++) {
				if (a->done[j])
					continue;
				double rc = sign * row[j - 1] - a->u[i0] - a->v[j];
				if (rc < a->slack[j]) {
					a->slack[j] = rc;
					a->prev[j] = j0;
				}
				if (a->slack[j] < delta) {
					delta = a->slack[j];
					j1 = j;
				}
			}
			if (j1 == 0) /* only NaN or infinite costs left: no optimum */
				goto give_up;
			/* Shift the potentials by the step to the nearest column:
			 * the tree's edges stay tight, that column becomes reachable. */
			for (int j = 0; j <= n; j++) {
				if (a->done[j]) {
					a->u[a->row_of[j]] += delta;
					a->v[j] -= delta;
				} else {
					a->slack[j] -= delta;
				}
			}
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
