/* claims.h: what the kinds' claims (claim.h) share: one rule from a
 * predicate to a verdict, and the reads of a run's records most claims
 * make. Private to experiments/. */
#ifndef OVERPARAM_EXPERIMENTS_CLAIMS_H
#define OVERPARAM_EXPERIMENTS_CLAIMS_H

#include <stdbool.h>

#include "overparam/claim.h"
#include "overparam/experiment.h"
#include "overparam/history.h"

/* e's sentence from fmt; a NaN figure (none measured yet) reads "-". A
 * claim's figures start as NaN and fold in measurements with fmin/fmax
 * (which skip NaN), so a sentence never quotes a value no run measured. */
void claims_text(struct claim_eval *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Fills e (figure, and the sentence from fmt) and returns its verdict:
 * undecided when a model of the run diverged, or when the figures are not
 * `known` once the run finished; not yet while the run goes on and the
 * predicate `holds` is false (or unknown); holds; else fails. */
enum claim_verdict claims_judge(struct claim_eval *e, const struct run_desc *d, const struct history *h,
				bool finished, bool known, bool holds, double figure, const char *fmt, ...)
	__attribute__((format(printf, 8, 9)));

/* The last grid position (of the first n) where series s has a finite
 * value of metric m, -1 when none. */
int claims_grid_last(const struct history *h, int s, enum metric m, int n);

/* The latest value of a grid metric at position i, NaN when none came. */
double claims_grid_at(const struct history *h, int s, enum metric m, int i);

/* Series s's barrier (MET_BARRIER) is a barrier: over NETPAIR_HIGH_LOSS,
 * the loss the pair kinds call high. `what` begins the sentence: "the
 * straight line between them". */
enum claim_verdict claims_barrier(struct claim_eval *e, const struct run_desc *d, const struct history *h,
				  bool finished, int s, const char *what);

/* a / b when both are finite and b > 0, else NaN. */
double claims_ratio(double a, double b);

#endif
