/* experiment.c: the registry of experiment kinds. */
#include "overparam/experiment.h"

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
