/* record.c: the metric table. One row a metric: its CSV name, its label on
 * screen, its unit, how its records add up (history.c keeps them by that)
 * and the words its values stand for. A new metric is one enum value in
 * record.h and one row here. */
#include <stddef.h>

#include "overparam/experiment.h"
#include "overparam/record.h"

static const char *const verdict_words[] = {"fitting", "harmful", "benign"};
#define WORDS(w) (w), (int)(sizeof(w) / sizeof((w)[0]))

static const struct metric_info metrics[MET_COUNT] = {
	/* the MLP experiments: a curve a net */
	[MET_TRAIN_LOSS] = {"train_loss", "train", "MSE", METRIC_CURVE, NULL, 0},
	[MET_TEST_LOSS] = {"test_loss", "test", "MSE", METRIC_CURVE, NULL, 0},
	[MET_CONVERGED] = {"converged_epoch", "converged", "epoch", METRIC_EVENT, NULL, 0},
	/* pairs of nets: the loss along the path between them */
	[MET_INTERP_LOSS] = {"interp_loss", "loss on the path", "MSE", METRIC_GRID, NULL, 0},
	[MET_BARRIER] = {"barrier", "barrier", "MSE", METRIC_CURVE, NULL, 0},
	/* benign overfitting: gradient descent and the closed-form min-norm fit */
	[MET_NORM_SIGNAL] = {"norm_signal", "signal", "", METRIC_CURVE, NULL, 0},
	[MET_NORM_NOISE] = {"norm_noise", "tail", "", METRIC_CURVE, NULL, 0}, /* the tail coordinates (name kept) */
	[MET_MN_TRAIN] = {"minnorm_train", "min-norm train", "MSE", METRIC_CURVE, NULL, 0},
	[MET_MN_TEST] = {"minnorm_test", "min-norm test", "MSE", METRIC_CURVE, NULL, 0},
	[MET_MN_SIGNAL] = {"minnorm_signal", "min-norm signal", "", METRIC_CURVE, NULL, 0},
	[MET_MN_NOISE] = {"minnorm_noise", "min-norm tail", "", METRIC_CURVE, NULL, 0},
	[MET_MN_DISTANCE] = {"minnorm_distance", "to min-norm", "", METRIC_CURVE, NULL, 0},
	/* the trainer's own marks (and an experiment's diverged series) */
	[MET_DIVERGED] = {"diverged", "diverged", "", METRIC_EVENT, NULL, 0},
	[MET_EPOCH] = {"epoch", "epoch", "epochs", METRIC_EVENT, NULL, 0},
	[MET_DONE] = {"done", "done", "epochs", METRIC_EVENT, NULL, 0},
	[MET_START] = {"start", "start", "", METRIC_EVENT, NULL, 0},
	/* benign overfitting: the verdict and the effective ranks */
	[MET_VERDICT] = {"verdict", "verdict", "", METRIC_SCALAR, WORDS(verdict_words)},
	[MET_R0_OVER_N] = {"r0_over_n", "r0/n", "", METRIC_SCALAR, NULL, 0},
	[MET_KSTAR_OVER_N] = {"kstar_over_n", "k*/n", "", METRIC_SCALAR, NULL, 0},
	[MET_N_OVER_RKSTAR] = {"n_over_Rkstar", "n/R_k*", "", METRIC_SCALAR, NULL, 0},
	/* double descent: over the grid of feature counts N */
	[MET_DD_TRAIN] = {"dd_train_mse", "train", "MSE", METRIC_GRID, NULL, 0},
	[MET_DD_TEST] = {"dd_test_mse", "test", "MSE", METRIC_GRID, NULL, 0},
	[MET_DD_NORM] = {"dd_theta_norm", "||theta||", "", METRIC_GRID, NULL, 0},
	[MET_DD_FEATURES] = {"dd_features", "N", "features", METRIC_SCALAR, NULL, 0},
	[MET_DD_PEAK] = {"dd_peak_test_mse", "peak test", "MSE", METRIC_SCALAR, NULL, 0},
	[MET_DD_PEAK_AT] = {"dd_peak_at", "peak at N", "features", METRIC_SCALAR, NULL, 0},
	/* lazy training: over the grid of widths */
	[MET_LAZY_MOVEMENT] = {"lazy_weight_movement", "all-weights movement", "", METRIC_GRID, NULL, 0},
	[MET_LAZY_W_MOVEMENT] = {"lazy_W_movement", "W movement", "", METRIC_GRID, NULL, 0},
	/* benign overfitting: the min-norm fit split by linearity, X+ X w* + X+ eps */
	[MET_MN_TEACHER_SIGNAL] = {"minnorm_teacher_signal", "fits w*: signal", "", METRIC_SCALAR, NULL, 0},
	[MET_MN_TEACHER_TAIL] = {"minnorm_teacher_tail", "fits w*: tail", "", METRIC_SCALAR, NULL, 0},
	[MET_MN_NOISEFIT_SIGNAL] = {"minnorm_noisefit_signal", "fits noise: signal", "", METRIC_SCALAR, NULL, 0},
	[MET_MN_NOISEFIT_TAIL] = {"minnorm_noisefit_tail", "fits noise: tail", "", METRIC_SCALAR, NULL, 0},
	/* the width sweep: the held-out loss a constant prediction gets */
	[MET_MEAN_TEST] = {"mean_predictor_test", "predict the mean", "MSE", METRIC_SCALAR, NULL, 0},
	[MET_LAZY_DRIFT] = {"lazy_kernel_drift", "kernel drift", "", METRIC_GRID, NULL, 0},
	[MET_LAZY_STEPS] = {"lazy_steps", "steps", "steps", METRIC_GRID, NULL, 0},
	[MET_LAZY_END_LOSS] = {"lazy_end_loss", "end loss", "MSE", METRIC_GRID, NULL, 0},
	[MET_LAZY_SLOPE] = {"lazy_movement_slope", "slope", "", METRIC_SCALAR, NULL, 0},
	[MET_LAZY_WIDTH] = {"lazy_width", "width", "units", METRIC_SCALAR, NULL, 0},
	/* lottery tickets: over the pruning rounds */
	[MET_LT_TEST] = {"lt_test_loss", "test", "MSE", METRIC_GRID, NULL, 0},
	[MET_LT_REMAINING] = {"lt_percent_remaining", "weights kept", "%", METRIC_SCALAR, NULL, 0},
	[MET_LT_ROUND] = {"lt_round", "round", "", METRIC_SCALAR, NULL, 0},
	/* barrier vs width: over the grid of widths */
	[MET_PAIR_BARRIER] = {"pair_barrier", "barrier", "MSE", METRIC_GRID, NULL, 0},
	[MET_PAIR_REACHED] = {"pair_reached_target", "reached target", "fraction", METRIC_GRID, NULL, 0},
	/* edge of stability: the sharpness against 2/lr, and how the loss went */
	[MET_SHARPNESS] = {"sharpness", "sharpness", "", METRIC_CURVE, NULL, 0},
	[MET_EDGE_RATIO] = {"sharpness_over_2_div_lr", "sharpness x lr/2", "", METRIC_CURVE, NULL, 0},
	[MET_EDGE_START] = {"edge_start_ratio", "start ratio", "", METRIC_SCALAR, NULL, 0},
	[MET_EDGE_REACHED] = {"edge_reached_epoch", "at the edge", "epoch", METRIC_EVENT, NULL, 0},
	[MET_EDGE_BAND] = {"edge_band", "band", "", METRIC_SCALAR, NULL, 0},
	[MET_LOSS_DROP] = {"loss_drop", "loss / first", "", METRIC_SCALAR, NULL, 0},
	[MET_LOSS_UPS] = {"loss_ups", "loss rose", "epochs", METRIC_SCALAR, NULL, 0},
	/* loss plane: the map, and what is drawn on it */
	[MET_PLANE_LOSS] = {"plane_loss", "loss on the plane", "MSE", METRIC_MAP, NULL, 0},
	[MET_PLANE_MARK] = {"plane_mark", "mark", "map cells", METRIC_GRID, NULL, 0},
	[MET_PLANE_PATH] = {"plane_path", "path", "map cells", METRIC_GRID, NULL, 0},
	[MET_PLANE_FRAME] = {"plane_frame", "frame", "", METRIC_GRID, NULL, 0},
};

const struct metric_info *metric_info(enum metric m)
{
	if ((unsigned)m >= MET_COUNT || !metrics[m].name)
		return NULL;
	return &metrics[m];
}

const char *metric_name(enum metric m)
{
	const struct metric_info *mi = metric_info(m);
	return mi ? mi->name : "unknown";
}

bool metric_is_grid(enum metric m)
{
	const struct metric_info *mi = metric_info(m);
	return mi && (mi->shape == METRIC_GRID || mi->shape == METRIC_MAP);
}

unsigned metric_positions(enum metric m)
{
	const struct metric_info *mi = metric_info(m);
	if (!mi)
		return 0;
	return mi->shape == METRIC_GRID ? RUN_MAX_GRID : mi->shape == METRIC_MAP ? RUN_MAX_MAP : 0;
}

const char *metric_word(enum metric m, double v)
{
	const struct metric_info *mi = metric_info(m);
	if (!mi || !(v >= 0) || v >= mi->n_words)
		return NULL;
	return mi->words[(int)v];
}
