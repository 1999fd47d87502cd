/* experiment.c: the registry of experiment kinds, the one table that ties
 * each kind's KIND_ constant (scenario.h) to its descriptor. The parser
 * reads the kinds' words from here, the runners their code. */
#include "overparam/experiment.h"

extern const struct experiment_ops width_sweep_ops;
extern const struct experiment_ops mode_connectivity_ops;
extern const struct experiment_ops benign_overfitting_ops;
extern const struct experiment_ops double_descent_ops;
extern const struct experiment_ops lazy_training_ops;
extern const struct experiment_ops lottery_ticket_ops;
extern const struct experiment_ops permutation_alignment_ops;
extern const struct experiment_ops curved_path_ops;
extern const struct experiment_ops barrier_width_ops;
extern const struct experiment_ops edge_stability_ops;
extern const struct experiment_ops loss_plane_ops;

static const struct experiment_ops *const kinds[KIND_COUNT] = {
	[KIND_WIDTH_SWEEP] = &width_sweep_ops,
	[KIND_MODE_CONNECTIVITY] = &mode_connectivity_ops,
	[KIND_BENIGN_OVERFITTING] = &benign_overfitting_ops,
	[KIND_DOUBLE_DESCENT] = &double_descent_ops,
	[KIND_LAZY_TRAINING] = &lazy_training_ops,
	[KIND_LOTTERY_TICKET] = &lottery_ticket_ops,
	[KIND_PERMUTATION_ALIGNMENT] = &permutation_alignment_ops,
	[KIND_CURVED_PATH] = &curved_path_ops,
	[KIND_BARRIER_WIDTH] = &barrier_width_ops,
	[KIND_EDGE_STABILITY] = &edge_stability_ops,
	[KIND_LOSS_PLANE] = &loss_plane_ops,
};

const struct experiment_ops *experiment_ops_for(enum scenario_kind kind)
{
	if ((unsigned)kind >= KIND_COUNT)
		return NULL;
	return kinds[kind];
}

void experiment_describe(const struct scenario *sc, struct run_desc *d)
{
	experiment_ops_for(sc->kind)->describe(sc, d);
}
