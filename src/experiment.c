/* experiment.c: the registry of experiment kinds. */
#include "overparam/experiment.h"

static const struct experiment_ops *const kinds[KIND_COUNT] = {
	[KIND_WIDTH_SWEEP] = &width_sweep_ops,
	[KIND_MODE_CONNECTIVITY] = &mode_connectivity_ops,
	[KIND_BENIGN_OVERFITTING] = &benign_overfitting_ops,
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
