/* lottery.h: the pruning arithmetic of the lottery_ticket experiment
 * (iterative magnitude pruning, Frankle & Carbin 2019), and read access to
 * a running experiment for tests. */
#ifndef OVERPARAM_LOTTERY_H
#define OVERPARAM_LOTTERY_H

#include <stddef.h>
#include <stdint.h>

#include "overparam/mlp.h"

struct experiment;

/* One weight while a layer is pruned: its magnitude and its index. */
struct lottery_item {
	float mag;
	uint32_t idx;
};

/* How many of `kept` weights a round cuts: frac * kept rounded to nearest. */
size_t lottery_prune_count(size_t kept, double frac);

/* Magnitude pruning of one layer: among the weights the mask keeps
 * (mask[i] != 0), the lottery_prune_count(kept, frac) of smallest |w[i]|
 * (ties: lower index first) get mask[i] = 0. Returns how many were cut. */
size_t lottery_prune_layer(const float *w /* (n) */, float *mask /* (n) */, size_t n, double frac,
			   struct lottery_item *scratch /* (n) */);

/* Fraction of the weights (not biases) kept after `round` rounds, as the
 * run computes it layer by layer: what the grid is made of. */
double lottery_fraction_kept(const int *dims /* (n_layers + 1) */, int n_layers, double frac, int round);

/* A lottery_ticket experiment's state, between steps: series 0 is the
 * ticket, 1 the re-initialised control; the mask (n_params, 1 keep, 0 cut,
 * biases always 1) and the weights the ticket rewinds to. */
const struct mlp *lottery_net(const struct experiment *x, int series);
const float *lottery_mask(const struct experiment *x);
const float *lottery_rewind_point(const struct experiment *x);

#endif
