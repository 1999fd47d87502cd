/* scenario.h: one classroom scenario, read from an INI file (libinih) and
 * validated. Every key has a default and a range (README "Scenario files");
 * any error is reported as "file:line: section.key: problem". */
#ifndef OVERPARAM_SCENARIO_H
#define OVERPARAM_SCENARIO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "overparam/data.h"
#include "overparam/optim.h"

#define SCENARIO_MAX_WIDTHS 8
#define SCENARIO_MAX_EPOCHS 1000000
#define SCENARIO_MAX_ALPHA 101
#define SCENARIO_MAX_FEATURE_POINTS 101 /* double descent's grid of N (at most RUN_MAX_GRID) */
#define SCENARIO_MEMORY_CAP ((size_t)512 << 20) /* bytes one scenario may allocate */
#define SCENARIO_ERR_LEN 512

/* One per experiment; the registry (src/run/experiment.c) maps each to its
 * descriptor, which holds its word in the .ini and everything about it. */
enum scenario_kind {
	KIND_WIDTH_SWEEP,
	KIND_MODE_CONNECTIVITY,
	KIND_BENIGN_OVERFITTING,
	KIND_DOUBLE_DESCENT,
	KIND_LAZY_TRAINING,
	KIND_LOTTERY_TICKET,
	KIND_PERMUTATION_ALIGNMENT,
	KIND_CURVED_PATH,
	KIND_BARRIER_WIDTH,
	KIND_EDGE_STABILITY,
	KIND_LOSS_PLANE,
	KIND_COUNT
};

#define SCENARIO_MAX_KNOBS 6
#define KNOB_MAX_VALUES 32   /* a knob's own values; the scenario's value may add one */
#define KNOB_NAME_LEN 16
#define SCENARIO_MAX_KEYS 64 /* room for every enum config_key (src/config checks) */

/* One live parameter from [knobs]: `NAME = section.key: values`. The UI
 * steps it through `values`; every change goes through scenario_apply_knob. */
struct knob {
	char name[KNOB_NAME_LEN];   /* as in the file: the header shows it */
	char target[32];            /* "train.lr" */
	int key;                    /* enum config_key (overparam/config.h) */
	int line;                   /* where the knob is defined */
	int n_values;
	double values[KNOB_MAX_VALUES + 1]; /* ascending, the scenario's own value included */
	int current;                /* index of the value in force */
};

enum init_kind { INIT_TORCH_DEFAULT, INIT_NORMAL };
/* COV_BOTH: the spiked and the isotropic problem side by side, from one
 * teacher and the same draws (two series: spiked, then isotropic). */
enum covariance_kind { COV_ISOTROPIC, COV_SPIKED, COV_BOTH };

struct scenario {
	char path[256];          /* file it came from, for messages */
	enum scenario_kind kind;
	char title[64];
	char summary[160];
	char notes[1024];        /* the Why panel; "\n" in the file ends a paragraph */
	uint64_t seed;
	double pace;             /* epochs per second on screen; 0 = max */

	struct {
		int samples;          /* training points n */
		int test_samples;     /* held-out points (0 = none) */
		int dim;              /* input dimension d (linear: p) */
		enum data_target target;
		double noise;         /* label noise std sigma */
		int signal_dim;       /* linear: coordinates the teacher uses (k) */
		enum covariance_kind covariance;
		double lambda_tail;   /* spiked: variance of the non-signal coordinates */
		int teacher_width;    /* target teacher: hidden units of the random ReLU teacher */
	} data;

	struct {
		int depth;            /* hidden layers */
		int n_widths;
		int widths[SCENARIO_MAX_WIDTHS]; /* one model per width */
		enum init_kind init;
		double init_std;      /* INIT_NORMAL */
		uint64_t init_seeds[2]; /* mode connectivity: the two networks' seeds */
		/* double descent: the log grid of feature counts N, as N/n */
		double features_from, features_to;
		int features_points;  /* grid points; the one nearest N = n is n */
	} model;

	struct {
		enum optim_kind optimizer; /* linear scenarios: always gradient descent */
		double lr;            /* 0 with gd = the optimal fixed step */
		int epochs;           /* planned epochs (the most a run takes) */
		double threshold;     /* "converged" when train loss first drops below */
		double target_loss;   /* stop a model once its loss is below (0: never) */
		int eval_every;       /* mode connectivity: interpolation every K epochs */
		int alpha_points;     /* points of the alpha grid, 0 and 1 included */
		double ridge;         /* double descent: lambda (0 = min-norm interpolation) */
		int repeats;          /* double descent: independent draws averaged at each N */
		int rounds;           /* lottery tickets: prune-and-rewind rounds after the dense run */
		double prune;         /* lottery tickets: fraction of each layer's remaining weights cut a round */
		int rewind;           /* lottery tickets: epoch of the dense run survivors rewind to (0 = init) */
		int random_plane;     /* loss plane: 0 through A, B and the bend; 1 two random
		                       * filter-normalised directions around A (Li et al. 2018) */
	} train;

	int n_knobs;
	struct knob knobs[SCENARIO_MAX_KNOBS]; /* [knobs]: live parameters, in file order */
	/* The parser's record of where each key came from (file line, -N for
	 * the Nth --set, 0 = default) and how lr/optimizer were given, so a
	 * knob change is validated exactly as the file was (src/config's own). */
	struct {
		int key_line[SCENARIO_MAX_KEYS];
		bool opt_gd, lr_auto;
	} origin;
};

/* Fills *sc with the defaults, then the file; validates. Returns 0, or -1
 * with a one-line message "file:line: key: problem" in err. Never exits. */
int scenario_load(const char *path, struct scenario *sc, char *err /* (errlen) */, size_t errlen);

/* The same from text in memory; `name` stands for the file in messages. */
int scenario_parse(const char *text, size_t len, const char *name, struct scenario *sc, char *err, size_t errlen);

/* Bytes the scenario's experiment will allocate (models, optimiser state,
 * activations, data): its descriptor's estimate plus the allocator's slack,
 * what the memory cap is checked against. */
size_t scenario_memory(const struct scenario *sc);

const char *scenario_kind_name(enum scenario_kind k);

/* As scenario_load / scenario_parse, with command-line overrides applied
 * after the file and before validation: sets[i] is "section.key=value"
 * (the (i+1)th --set). Errors in an override itself read
 * "--set:N: section.key: problem"; a check the override fails together with
 * the file reads "file: --set:N: section.key: problem". */
int scenario_load_sets(const char *path, const char *const *sets /* (n_sets) */, int n_sets, struct scenario *sc,
		       char *err /* (errlen) */, size_t errlen);
int scenario_parse_sets(const char *text, size_t len, const char *name, const char *const *sets /* (n_sets) */,
			int n_sets, struct scenario *sc, char *err /* (errlen) */, size_t errlen);

/* Sets knob `knob` to `value` (one of its values) and validates the whole
 * scenario again. Returns 0, or -1 with "NAME = VALUE refused: ..." in
 * err, leaving sc unchanged. Pure: the UI and the trainer each apply it to
 * their own copy and agree. */
int scenario_apply_knob(struct scenario *sc, int knob, double value, char *err /* (errlen) */, size_t errlen);

/* A knob value as the header shows it: "0.01", "1e-3", "500". */
void scenario_knob_format(double v, char *buf /* (len) */, size_t len);

#endif
