/* curved_path.h: what a curved_path run lends a kind built on it (the loss
 * plane maps the plane through its three points). Private to experiments/. */
#ifndef OVERPARAM_EXPERIMENTS_CURVED_PATH_H
#define OVERPARAM_EXPERIMENTS_CURVED_PATH_H

#include <stdbool.h>

#include "overparam/experiment.h"
#include "overparam/netpair.h"

extern const struct experiment_ops curved_path_ops;

/* Its series, in the order it emits them. */
enum { CURVED_A, CURVED_B, CURVED_LINE, CURVED_CURVE, CURVED_SERIES };

struct curved_path_points {
	struct netpair *pair;       /* the data, and p->mix as scratch */
	const float *a, *b, *bend;  /* (n_params) each */
	bool bent;                  /* the bend trained (else it is (A + B) / 2) */
};

/* Views into the run x (a curved_path_ops run), valid until it is destroyed. */
void curved_path_points(struct experiment *x, struct curved_path_points *out);

#endif
