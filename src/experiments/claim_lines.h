/* claim_lines.h: the CLAIM lines of a finished run's report, for the kinds
 * of issue 15 until the shared evaluation (issue 11) prints them itself;
 * then their report()s drop this call. Private to experiments/. */
#ifndef OVERPARAM_EXPERIMENTS_CLAIM_LINES_H
#define OVERPARAM_EXPERIMENTS_CLAIM_LINES_H

#include <stdio.h>

#include "overparam/claim.h"
#include "overparam/experiment.h"
#include "overparam/history.h"

/* "CLAIM <id>: <sentence>: <verdict>" for each of the n claims, evaluated
 * on h (finished when h saw the run end). */
void claim_lines_print(const struct claim *claims /* (n) */, int n, const struct scenario *sc,
		       const struct run_desc *d, const struct history *h, FILE *out);

#endif
