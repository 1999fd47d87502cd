/* assign.h: the linear assignment problem on a dense square matrix: pick one
 * column per row, every column once, so that the summed entries are as small
 * (or as large) as possible. Shortest augmenting paths with dual potentials
 * (the Jonker-Volgenant augmentation; the Hungarian method's bound), O(n^3).
 * Debian ships no C solver for real-valued costs (GLPK's takes integers only),
 * hence our own. */
#ifndef OVERPARAM_ASSIGN_H
#define OVERPARAM_ASSIGN_H

#include <stdbool.h>
#include <stdint.h>

#include "overparam/arrays.h"

/* Workspace for problems up to cap x cap: allocated once, so solving
 * allocates nothing. */
struct assign {
	int cap;
	double *u, *v;   /* (cap + 1) row and column potentials; index 0 is the free row/column */
	double *slack;   /* (cap + 1) shortest reduced distance to each column so far */
	int *row_of;     /* (cap + 1) row matched to each column, 0 = none (rows count from 1) */
	int *prev;       /* (cap + 1) the column before each one on the shortest path tree */
	int64_t *open;   /* (cap + 1) -1 (all bits) for a column still in the search, 0 once its distance is final */
	int *tree;       /* (cap + 1) the final columns, in the order they became so */
	struct arrays mem; /* owns every array above */
	bool wide;       /* scan with AVX2 (set where the CPU has it; the same answers either way) */
};

/* Returns 0, or -1 when cap < 1 or out of memory (a is then empty). */
int assign_create(struct assign *a, int cap);
void assign_destroy(struct assign *a);

/* Solves the n x n problem (n <= cap) on cost (row-major): col_of[i] is the
 * column given to row i; maximize picks the largest sum. Returns that
 * optimal sum, or NaN (with the identity in col_of) when non-finite costs
 * leave no optimum, or when the run is cancelled (run_loop.h). */
double assign_solve(struct assign *a, const double *cost /* (n, n) row-major */, int n, bool maximize,
		    int *col_of /* (n) */);

#endif
