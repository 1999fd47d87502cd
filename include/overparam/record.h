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
	MET_NORM_NOISE,     /* ||theta|| on the remaining (tail) coordinates; the CSV name says noise, it is the tail */
	MET_MN_TRAIN,       /* closed-form min-norm interpolant: train MSE */
	MET_MN_TEST,        /* closed-form min-norm interpolant: test MSE */
	MET_MN_SIGNAL,      /* closed-form min-norm interpolant: ||theta_signal|| */
	MET_MN_NOISE,       /* closed-form min-norm interpolant: ||theta|| on the tail coordinates */
	MET_MN_DISTANCE,    /* ||theta_gd - theta_mn|| / ||theta_mn|| */
	MET_DIVERGED,       /* event: series diverged at this epoch (src/experiments/report.h: non-finite or 1e6 x its start) */
	MET_EPOCH,          /* trainer: one step finished; value = epochs done */
	MET_DONE,           /* trainer: the run ended; value = epochs done */
	MET_START,          /* trainer: a run began; series = scenario index, value = seed */
	MET_VERDICT,        /* linear: 0 still fitting, 1 harmful (test >= 2 sigma^2), 2 benign */
	MET_R0_OVER_N,      /* r_0(Sigma) / n (Bartlett et al. 2020), from the population covariance */
	MET_KSTAR_OVER_N,   /* k* / n, k* = min{k : r_k(Sigma) >= n} (NaN: no such k) */
	MET_N_OVER_RKSTAR,  /* n / R_k*(Sigma) */
	MET_DD_TRAIN,       /* double descent, grid: train MSE at N = grid_x[index] (mean over repeats) */
	MET_DD_TEST,        /* double descent, grid: test MSE at that N */
	MET_DD_NORM,        /* double descent, grid: ||theta|| of the fit at that N */
	MET_DD_FEATURES,    /* double descent: N of the latest grid point */
	MET_DD_PEAK,        /* double descent: the largest test MSE so far */
	MET_DD_PEAK_AT,     /* double descent: the N where it is */
	MET_LAZY_MOVEMENT,  /* lazy training, grid: ||theta_T - theta_0|| / ||theta_0|| at width grid_x[index],
	                     * all weights (W and a) */
	MET_LAZY_DRIFT,     /* lazy training, grid: ||K_T - K_0||_F / ||K_0||_F, tangent kernel on the train set */
	MET_LAZY_STEPS,     /* lazy training, grid: gradient steps that width has taken */
	MET_LAZY_END_LOSS,  /* lazy training, grid: the training loss that width stopped at */
	MET_LAZY_SLOPE,     /* lazy training: log-log slope of W's movement over the widths done */
	MET_LAZY_WIDTH,     /* lazy training: the width in training */
	MET_LT_TEST,        /* lottery tickets, grid: test loss after round `index` (series 0 ticket, 1 reinit) */
	MET_LT_REMAINING,   /* lottery tickets: % of weights the mask keeps this round */
	MET_LT_ROUND,       /* lottery tickets: the round in training (0 = dense) */
	MET_PAIR_BARRIER,   /* barrier vs width, grid: mean barrier of the trained pairs at width grid_x[index]
	                     * (series 0 as trained, 1 after weight matching) */
	MET_PAIR_REACHED,   /* barrier vs width, grid: fraction of those pairs whose both nets reached the target */
	MET_LAZY_W_MOVEMENT, /* lazy training, grid: ||W_T - W_0|| / ||W_0||, the first layer alone (series 0;
	                      * series 1: the slope -1/2 reference); MET_LAZY_MOVEMENT counts a too */
	MET_MN_TEACHER_SIGNAL, /* benign overfitting: ||(X+ X w*)[signal]||, the min-norm part that fits the teacher */
	MET_MN_TEACHER_TAIL,   /* ... its norm on the tail coordinates */
	MET_MN_NOISEFIT_SIGNAL, /* ||(X+ eps)[signal]||, the min-norm part that fits the label noise */
	MET_MN_NOISEFIT_TAIL,  /* ... its norm on the tail coordinates */
	MET_MEAN_TEST,      /* width sweep: held-out MSE of predicting the training labels' mean, every net's yardstick */
	MET_SHARPNESS,      /* edge of stability: top eigenvalue of the training loss's Hessian */
	MET_EDGE_RATIO,     /* edge of stability: sharpness / (2 / lr), 1 at the edge */
	MET_EDGE_START,     /* edge of stability: the ratio at the first measurement */
	MET_EDGE_REACHED,   /* edge of stability, event: value = first epoch the ratio is >= EDGE_REACH */
	MET_EDGE_BAND,      /* edge of stability: largest |ratio - 1| measured since then */
	MET_LOSS_DROP,      /* latest training loss / the first one */
	MET_LOSS_UPS,       /* epochs on which the training loss went up */
	MET_PLANE_LOSS,     /* loss plane, map: training loss at map point `index` (row * cols + col, row 0 on top) */
	MET_PLANE_MARK,     /* loss plane, grid: map position of mark k, column at index 2k, row at 2k + 1 */
	MET_PLANE_PATH,     /* loss plane, grid: a path's points on the map, as marks (series: the path) */
	MET_PLANE_FRAME,    /* loss plane, grid: plane coordinates of the map: x of column 0, y of row 0, step */
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
	CMD_RESTART,    /* arg: RESTART_SAME_SEED, RESTART_NEW_SEED, or
	                 * RESTART_GIVEN_SEED with the seed in value (a
	                 * follower: the lecturer's) */
	CMD_SWITCH,     /* arg: scenario index */
	CMD_PACE,       /* value: epochs per second, 0 = max */
	CMD_QUIT,
	CMD_KNOB,       /* arg: knob index of the current scenario, value: its new
	                 * value; the trainer applies it to its own copy of the
	                 * scenario (scenario_apply_knob) and restarts, same seed */
	CMD_PARK,       /* arg: scenario index, value: seed; the trainer makes it
	                 * current without a run (the UI shows a kept one): a
	                 * restart or a knob then runs it with that seed */
};

enum { RESTART_SAME_SEED, RESTART_NEW_SEED, RESTART_GIVEN_SEED }; /* CMD_RESTART's arg */

struct op_command {
	uint32_t kind; /* enum command_kind */
	int32_t arg;
	double value;
};

/* How a metric's records add up. */
enum metric_shape {
	METRIC_CURVE,  /* one value an epoch: every point is kept for the line charts */
	METRIC_GRID,   /* `index` is a grid position: the latest value per position (history_grid) */
	METRIC_MAP,    /* as GRID over a 2-D grid of up to RUN_MAX_MAP positions: index = row * cols + col */
	METRIC_SCALAR, /* one number the run keeps updating: only the latest counts */
	METRIC_EVENT,  /* something that happened at `epoch` (converged, diverged, the trainer's marks) */
};

/* One row of the metric table (record.c): everything the rest of the
 * program says about a metric. */
struct metric_info {
	const char *name;  /* as in CSV exports and reports: fixed, files depend on it */
	const char *label; /* short, for chart legends ("min-norm test") */
	const char *unit;  /* "" when a plain number */
	enum metric_shape shape;
	const char *const *words; /* (n_words) what values 0 .. n_words-1 stand for; NULL: a number */
	int n_words;
};

/* The table row of m, NULL when m is no metric. */
const struct metric_info *metric_info(enum metric m);
/* Its name, "unknown" when m is no metric. */
const char *metric_name(enum metric m);
/* Grid metrics carry a grid position in `index` and are kept as the latest
 * value per position (history_grid), not as a curve over epochs. */
bool metric_is_grid(enum metric m);
/* Positions a grid (RUN_MAX_GRID) or map (RUN_MAX_MAP) metric has, 0 for
 * any other. */
unsigned metric_positions(enum metric m);
/* Metrics whose values stand for words (MET_VERDICT: 0 "fitting",
 * 1 "harmful", 2 "benign"): the word of value v, NULL when v is none of
 * them or m has no words. */
const char *metric_word(enum metric m, double v);

#endif
