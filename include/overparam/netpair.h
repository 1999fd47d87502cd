/* netpair.h: the one module under the mode-connectivity family (mode
 * connectivity, permutation alignment, curved path, barrier vs width). Two
 * MLPs of one shape trained on one data set from two initialisations; the
 * training loss along paths between them (the straight line and a quadratic
 * Bezier curve) at the points of one grid; the barrier of such a path; B's
 * hidden units matched to A's. Also what the family's runs share on screen
 * and in their reports: the run_desc's start, the bar chart's loss levels
 * and the report header. A contract with the tests, hence in include/. */
#ifndef OVERPARAM_NETPAIR_H
#define OVERPARAM_NETPAIR_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "overparam/align.h"
#include "overparam/config.h"
#include "overparam/experiment.h"
#include "overparam/mlp.h"
#include "overparam/optim.h"
#include "overparam/scenario.h"

/* A path point's loss is low below NETPAIR_LOW_LOSS, medium below
 * NETPAIR_HIGH_LOSS, else high (the barrier): the bars' colours and
 * mode_connectivity's report say so. */
#define NETPAIR_LOW_LOSS 0.01
#define NETPAIR_HIGH_LOSS 0.1

struct netpair_net {
	struct mlp net;
	struct optim opt;
	double loss;    /* latest training loss, NaN before any */
	double start_loss; /* its first training loss, NaN before (the divergence rule's scale) */
	int stopped_at; /* epoch it went below the target loss, -1 while training */
	bool diverged;
};

/* How a point t of the straight line becomes the float weights of its two
 * ends. The two ways differ in the last bit at some t (6 of 21 points at
 * alpha_points = 21), so each experiment keeps the one its CSVs were made
 * with. */
enum netpair_rounding {
	NETPAIR_ROUND_EACH,    /* (float)(1 - t) and (float)t */
	NETPAIR_ROUND_T_FIRST, /* 1.0f - (float)t and (float)t: mode_connectivity */
};

/* Where paths are measured: t[i] = i / (n - 1), both ends included, and
 * the straight line's weights there. */
struct netpair_grid {
	int n;
	double t[SCENARIO_MAX_ALPHA];     /* (n) */
	float w_from[SCENARIO_MAX_ALPHA]; /* (n) 1 - t, the weight of the path's start */
	float w_to[SCENARIO_MAX_ALPHA];   /* (n) t, the weight of its end */
};

struct netpair {
	int n, d;
	float *X, *y;              /* (n, d), (n): the training set */
	struct netpair_net net[2]; /* A and B */
	struct mlp mix;            /* a point on a path; its gradients serve the Bezier step */
	double target_loss;        /* a net stops once its loss is below (0: never) */
	int epoch;                 /* epochs netpair_train has run */
	double path[SCENARIO_MAX_ALPHA]; /* loss at each grid point of the path measured last */
	struct align al;           /* weight matching, after netpair_create_matching */
	struct mlp matched;        /* B with its hidden units in A's order (parameters only) */
	/* Sharing the work (workers.h): nets A and B train on two threads, and
	 * a path's points are dealt to both, each thread with its own scratch
	 * net. Every net and point is computed as on one thread, so the
	 * records are the same bits. */
	struct workers *team;      /* the runner's (netpair_use_workers); NULL: this thread alone */
	struct mlp mix2;           /* the second thread's point on a path */
	bool ran[2];               /* net k trained in the epoch netpair_train ran last */
	double path2[SCENARIO_MAX_ALPHA]; /* a second path, measured beside p->path */
};

/* The grid of `points` (2 .. SCENARIO_MAX_ALPHA) points. */
void netpair_grid(struct netpair_grid *g, int points, enum netpair_rounding rounding);

/* The data (stream 0 of `seed`, as mode_connectivity draws it) and two nets
 * of the scenario's depth and this width, initialised from streams 1000 +
 * seed_a and 1000 + seed_b of `seed`: with the same scenario values they
 * are mode_connectivity's two nets. Returns 0, or -1 (no memory; p must
 * still be destroyed, which frees what was built). */
int netpair_create(struct netpair *p, const struct scenario *sc, int width, uint64_t seed, uint64_t seed_a,
		   uint64_t seed_b);
/* Adds what netpair_match needs. Returns 0 or -1 (no memory). */
int netpair_create_matching(struct netpair *p);
/* Frees everything; a zeroed netpair is fine. */
void netpair_destroy(struct netpair *p);
/* Lends the pair the runner's team (wk may be NULL), for the epochs and
 * paths big enough to pay for a second thread. */
void netpair_use_workers(struct netpair *p, struct workers *wk);

/* Both nets back to a fresh start from new init seeds (same data, same
 * shape, nothing allocated), epoch 0. */
void netpair_reset(struct netpair *p, const struct scenario *sc, uint64_t seed, uint64_t seed_a, uint64_t seed_b);

/* Bytes the kinds built on pairs (permutation alignment, curved path,
 * barrier vs width) allocate, for their memory hooks. Per width: the data,
 * two trained nets and two scratch nets with gradients (one a thread); then either B
 * permuted plus the alignment's width^2 similarities (float, double) and
 * permuted weights, or the bend, its gradient and its Adam moments: at
 * most four more nets' parameters. */
double netpair_memory(const struct scenario *sc);

/* What every pair kind reads and accepts, for its descriptor: two nets of
 * one shape trained on one regression target, by Adam unless told sgd.
 * Each kind adds its own keys (eval_every, repeats) to NETPAIR_KEYS. */
#define NETPAIR_KEYS                                                                                        \
	(KEY_BIT(KEY_TARGET) | KEY_BIT(KEY_DEPTH) | KEY_BIT(KEY_WIDTHS) | KEY_BIT(KEY_INIT) |              \
	 KEY_BIT(KEY_INIT_STD) | KEY_BIT(KEY_INIT_SEEDS) | KEY_BIT(KEY_OPTIMIZER) | KEY_BIT(KEY_LR) |      \
	 KEY_BIT(KEY_EPOCHS) | KEY_BIT(KEY_TARGET_LOSS) | KEY_BIT(KEY_ALPHA_POINTS))
#define NETPAIR_CHOICES                                                                                     \
	.target = TARGET_SIN3, .targets = TARGET_BIT(TARGET_SIN_COS) | TARGET_BIT(TARGET_SIN3),            \
	.optimizer = OPT_WORD_ADAM, .optimizers = OPT_WORD_BIT(OPT_WORD_SGD) | OPT_WORD_BIT(OPT_WORD_ADAM)

/* Parameter count of one net of the scenario's shape at this width. */
long netpair_params(const struct scenario *sc, int width);

/* One epoch (one full-batch step) of each net still training. A net stops
 * with the weights whose loss met the target, or when it diverges
 * (report_diverged in src/experiments/report.h). With em, emits
 * MET_TRAIN_LOSS, MET_CONVERGED and MET_DIVERGED of net k as series
 * series0 + k at epoch p->epoch. Returns true once the pair is over: both
 * nets done, or either diverged (no path to a diverged net means anything,
 * so the other need not go on). */
bool netpair_train(struct netpair *p, struct emitter *em, int series0);
/* netpair_train(p, NULL, 0) until it returns true or p->epoch reaches
 * `epochs`, with the same end state, each net on its own thread: they meet
 * only at the end (a net that went on past the other's divergence is then
 * as it would be, except its weights, which nobody reads). Returns false
 * when cancelled (run_loop.h) part way. */
bool netpair_train_to_end(struct netpair *p, int epochs);

/* netpair_train_to_end in parts, for a caller that schedules the two nets
 * itself: begin (false: nothing to train), then net 0 and net 1 once each,
 * on any threads, at once or one after the other, then end (on one
 * thread, after both), which returns what netpair_train_to_end would. */
struct netpair_to_end {
	struct netpair *p;
	int epochs;
	_Atomic int last;
	int end[2];
};
bool netpair_to_end_begin(struct netpair_to_end *j, struct netpair *p, int epochs);
void netpair_to_end_net(struct netpair_to_end *j, int k);
bool netpair_to_end_end(struct netpair_to_end *j);
bool netpair_done(const struct netpair *p);
/* Whether either net diverged. */
bool netpair_diverged(const struct netpair *p);
/* MET_DIVERGED at epoch e, with the loss of the net that diverged, for each
 * series in series_mask (bit i = series i): the paths of a run whose pair
 * diverged, which end there too. */
void netpair_emit_diverged(const struct netpair *p, struct emitter *em, uint32_t e, uint32_t series_mask);

/* B's hidden units reordered to match A's (weight matching from the
 * identity, align.h): the parameters of a net computing B's function, valid
 * until the next call. Needs netpair_create_matching. */
const float *netpair_match(struct netpair *p);

/* Training loss at (1 - t) * a + t * b, with the weights rounded as
 * NETPAIR_ROUND_EACH. */
double netpair_line_loss(struct netpair *p, const float *a /* (n_params) */, const float *b /* (n_params) */,
			 double t);

/* Training loss at phi(t) = (1-t)^2 a + 2t(1-t) c + t^2 b; phi(t) stays in
 * p->mix.params. With grad, also d(loss)/d(phi) in p->mix.grads. */
double netpair_bezier_loss(struct netpair *p, const float *a /* (n_params) */, const float *c /* (n_params) */,
			   const float *b /* (n_params) */, double t, bool grad);

/* The barrier of a path measured at n points t[0] = 0 < ... < t[n-1] = 1:
 * the largest excess of loss[i] over the straight mix of the two end losses,
 * (1 - t[i]) loss[0] + t[i] loss[n-1]. NaN if any loss is NaN: a path that
 * cannot be measured everywhere has no barrier height. */
double netpair_barrier(const double *t /* (n) */, const double *loss /* (n) */, int n);

/* The loss at every point of g along the straight line from `from` (t = 0)
 * to `to` (t = 1), left in p->path; returns the line's barrier. */
double netpair_line(struct netpair *p, const struct netpair_grid *g, const float *from /* (n_params) */,
		    const float *to /* (n_params) */);
/* The line from B (t = 0) to A (t = 1) as trained, its losses left in
 * p->path2 and its barrier in *plain; then from B matched to A's units
 * (netpair_match, on a team beside the first line), left in p->path (the
 * path measured last), barrier in *aligned. Needs netpair_create_matching. */
void netpair_lines_matched(struct netpair *p, const struct netpair_grid *g, double *plain, double *aligned);
/* The same along the Bezier curve from a through bend c to b. */
double netpair_curve(struct netpair *p, const struct netpair_grid *g, const float *a /* (n_params) */,
		     const float *c /* (n_params) */, const float *b /* (n_params) */);
/* The path measured last: p->path as MET_INTERP_LOSS at each grid index,
 * then its barrier as MET_BARRIER, of `series` at epoch e. */
void netpair_emit_path(const struct netpair *p, const struct netpair_grid *g, struct emitter *em, uint32_t e,
		       int series, double barrier);
/* The same for any losses at g's points (netpair_two_lines' p->path2). */
void netpair_emit_losses(const struct netpair_grid *g, const double *loss /* (g->n) */, struct emitter *em,
			 uint32_t e, int series, double barrier);

/* ---- a run of one pair, measured as it trains --------------------------- */

struct netpair_run;

/* What tells one run of a pair (below) from another. */
struct netpair_measure {
	bool matching; /* build the weight matching (netpair_match) */
	uint32_t paths; /* the series (bit i = series i) of its paths beside nets A and B */
	enum netpair_rounding rounding;
	/* emits the paths at this epoch */
	void (*measure)(struct netpair_run *r, uint32_t epoch, struct emitter *em);
};

/* Mode connectivity and permutation alignment: one pair of the scenario's
 * width (nets A and B, series 0 and 1) trains to the end; its paths are
 * measured every eval_every epochs and at the end. A diverged net ends the
 * run there, its paths' series marked diverged, the last measured paths
 * left as they were. */
struct netpair_run {
	struct scenario sc;
	struct netpair p;
	struct netpair_grid grid;
	const struct netpair_measure *how;
};

/* experiment_ops.create of such a run; the error says "out of memory
 * building the two networks". */
int netpair_run_create(const struct scenario *sc, uint64_t seed, const struct netpair_measure *how,
		       struct experiment **out, char *err, size_t errlen);
void netpair_run_destroy(struct experiment *x);
/* experiment_ops.step of such a run: one epoch of training, then, when
 * due, the measurement. */
bool netpair_run_step(struct experiment *x, struct emitter *em);
/* experiment_ops.use_workers of such a run. */
void netpair_run_use_workers(struct experiment *x, struct workers *wk);

/* ---- what the family shows ------------------------------------------------ */

/* The start of a run_desc for n_series series over the scenario's epochs,
 * the first two the nets A and B (labels with their seeds, parameter
 * counts), with the path grid named grid_name, the target loss and the
 * noise floor. */
void netpair_describe(const struct scenario *sc, struct run_desc *d, int n_series, const char *grid_name);

/* A bar chart of grid metric m of one series, coloured by the loss levels
 * above; with barrier (MET_COUNT: none), that metric printed with it. */
struct view_spec netpair_bars_view(const char *title, enum metric m, enum metric barrier, uint32_t series_mask);

/* The report's first lines: the title, then "training samples .., input
 * dim .., depth .." with no line end (the caller finishes the line). */
void netpair_report_head(const struct scenario *sc, FILE *out);
/* netpair_report_head, the width and parameter count of a net, then a line
 * for each of nets A and B (series 0 and 1): final loss and how it ended. */
void netpair_report_nets(const struct scenario *sc, const struct run_desc *d, const struct history *h, FILE *out);

#endif
