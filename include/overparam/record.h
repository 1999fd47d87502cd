/* record.h: the fixed-size metric record that flows trainer -> UI, and the
 * command that flows UI -> trainer. Both travel through SPSC rings (ring.h). */
#ifndef OVERPARAM_RECORD_H
#define OVERPARAM_RECORD_H

#include <stdbool.h>
#include <stdint.h>

/* What a record measures. Per-series metrics carry the series index; grid
 * metrics (interpolation losses) carry the grid index in `index`. */
enum metric {
	MET_TRAIN_LOSS,     /* training loss (MSE) of one series at one epoch */
	MET_TEST_LOSS,      /* held-out loss (MSE) against noisy test labels */
	MET_CONVERGED,      /* event: value = first epoch with train loss < threshold */
	MET_INTERP_LOSS,    /* loss at alpha grid point `index` (mode connectivity) */
	MET_BARRIER,        /* max over alpha of L(theta_a) - linear mix of end losses */
	MET_NORM_SIGNAL,    /* ||theta|| on the signal coordinates */
	MET_NORM_NOISE,     /* ||theta|| on the remaining coordinates */
	MET_MN_TRAIN,       /* closed-form min-norm interpolant: train MSE */
	MET_MN_TEST,        /* closed-form min-norm interpolant: test MSE */
	MET_MN_SIGNAL,      /* closed-form min-norm interpolant: ||theta_signal|| */
	MET_MN_NOISE,       /* closed-form min-norm interpolant: ||theta_noise|| */
	MET_MN_DISTANCE,    /* ||theta_gd - theta_mn|| / ||theta_mn|| */
	MET_DIVERGED,       /* event: series became non-finite at this epoch */
	MET_EPOCH,          /* trainer: one step finished; value = epochs done */
	MET_DONE,           /* trainer: the run ended; value = epochs done */
	MET_START,          /* trainer: a run began; series = scenario index, value = seed */
	MET_COUNT
};

/* 24 bytes; value may be NaN or +-Inf (a diverged run), never trusted finite. */
struct op_record {
	uint32_t generation; /* run generation; stale ones are dropped by the UI */
	uint32_t epoch;      /* updates applied before the measurement (the seed's
	                      * 0-based epoch index); MET_EPOCH/DONE: epochs done */
	uint16_t series;     /* model index within the experiment */
	uint16_t metric;     /* enum metric */
	uint32_t index;      /* grid index for MET_INTERP_LOSS, else 0 */
	double value;
};

enum command_kind {
	CMD_PAUSE,      /* toggle pause */
	CMD_SET_PAUSED, /* arg: 1 pause, 0 resume */
	CMD_STEP,       /* one epoch while paused */
	CMD_RESTART,    /* arg: 0 same seed, 1 new seed */
	CMD_SWITCH,     /* arg: scenario index */
	CMD_PACE,       /* value: epochs per second, 0 = max */
	CMD_QUIT,
};

struct op_command {
	uint32_t kind; /* enum command_kind */
	int32_t arg;
	double value;
};

const char *metric_name(enum metric m);
/* Grid metrics carry a grid position in `index` and are kept as the latest
 * value per position (history_grid), not as a curve over epochs. */
bool metric_is_grid(enum metric m);

#endif
