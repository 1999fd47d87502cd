/* record.c: names of metrics, for CSV export and messages. */
#include "overparam/record.h"

static const char *const metric_names[MET_COUNT] = {
	[MET_TRAIN_LOSS] = "train_loss",
	[MET_TEST_LOSS] = "test_loss",
	[MET_CONVERGED] = "converged_epoch",
	[MET_INTERP_LOSS] = "interp_loss",
	[MET_BARRIER] = "barrier",
	[MET_NORM_SIGNAL] = "norm_signal",
	[MET_NORM_NOISE] = "norm_noise",
	[MET_MN_TRAIN] = "minnorm_train",
	[MET_MN_TEST] = "minnorm_test",
	[MET_MN_SIGNAL] = "minnorm_signal",
	[MET_MN_NOISE] = "minnorm_noise",
	[MET_MN_DISTANCE] = "minnorm_distance",
	[MET_DIVERGED] = "diverged",
	[MET_EPOCH] = "epoch",
	[MET_DONE] = "done",
	[MET_START] = "start",
};

bool metric_is_grid(enum metric m)
{
	switch (m) {
	case MET_INTERP_LOSS:
		return true;
	default:
		return false;
	}
}

const char *metric_name(enum metric m)
{
	if ((unsigned)m >= MET_COUNT || !metric_names[m])
		return "unknown";
	return metric_names[m];
}
