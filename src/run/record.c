/* record.c: names of metrics, for CSV export and messages. */
#include <stddef.h>

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
	[MET_VERDICT] = "verdict",
	[MET_R0_OVER_N] = "r0_over_n",
	[MET_KSTAR_OVER_N] = "kstar_over_n",
	[MET_N_OVER_RKSTAR] = "n_over_Rkstar",
	[MET_DD_TRAIN] = "dd_train_mse",
	[MET_DD_TEST] = "dd_test_mse",
	[MET_DD_NORM] = "dd_theta_norm",
	[MET_DD_FEATURES] = "dd_features",
	[MET_DD_PEAK] = "dd_peak_test_mse",
	[MET_DD_PEAK_AT] = "dd_peak_at",
	[MET_LAZY_MOVEMENT] = "lazy_weight_movement",
	[MET_LAZY_DRIFT] = "lazy_kernel_drift",
	[MET_LAZY_STEPS] = "lazy_steps",
	[MET_LAZY_END_LOSS] = "lazy_end_loss",
	[MET_LAZY_SLOPE] = "lazy_movement_slope",
	[MET_LAZY_WIDTH] = "lazy_width",
	[MET_LT_TEST] = "lt_test_loss",
	[MET_LT_REMAINING] = "lt_percent_remaining",
	[MET_LT_ROUND] = "lt_round",
	[MET_PAIR_BARRIER] = "pair_barrier",
	[MET_PAIR_REACHED] = "pair_reached_target",
};

bool metric_is_grid(enum metric m)
{
	switch (m) {
	case MET_INTERP_LOSS:
	case MET_DD_TRAIN:
	case MET_DD_TEST:
	case MET_DD_NORM:
	case MET_LAZY_MOVEMENT:
	case MET_LAZY_DRIFT:
	case MET_LAZY_STEPS:
	case MET_LAZY_END_LOSS:
	case MET_LT_TEST:
	case MET_PAIR_BARRIER:
	case MET_PAIR_REACHED:
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

const char *metric_word(enum metric m, double v)
{
	static const char *const verdict[] = {"fitting", "harmful", "benign"};
	const int count = (int)(sizeof verdict / sizeof *verdict);
	if (m != MET_VERDICT || !(v >= 0) || v >= count)
		return NULL;
	return verdict[(int)v];
}
