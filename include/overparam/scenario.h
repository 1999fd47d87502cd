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
#define SCENARIO_MEMORY_CAP ((size_t)512 << 20) /* bytes one scenario may allocate */
#define SCENARIO_ERR_LEN 512

enum scenario_kind {
	KIND_WIDTH_SWEEP,
	KIND_MODE_CONNECTIVITY,
	KIND_BENIGN_OVERFITTING,
	KIND_COUNT
};

enum init_kind { INIT_TORCH_DEFAULT, INIT_NORMAL };
enum covariance_kind { COV_ISOTROPIC, COV_SPIKED };

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
	} data;

	struct {
		int depth;            /* hidden layers */
		int n_widths;
		int widths[SCENARIO_MAX_WIDTHS]; /* one model per width */
		enum init_kind init;
		double init_std;      /* INIT_NORMAL */
		uint64_t init_seeds[2]; /* mode connectivity: the two networks' seeds */
	} model;

	struct {
		enum optim_kind optimizer; /* linear scenarios: always gradient descent */
		double lr;            /* 0 with gd = the optimal fixed step */
		int epochs;           /* planned epochs (the most a run takes) */
		double threshold;     /* "converged" when train loss first drops below */
		double target_loss;   /* stop a model once its loss is below (0: never) */
		int eval_every;       /* mode connectivity: interpolation every K epochs */
		int alpha_points;     /* points of the alpha grid, 0 and 1 included */
	} train;
};

/* Fills *sc with the defaults, then the file; validates. Returns 0, or -1
 * with a one-line message "file:line: key: problem" in err. Never exits. */
int scenario_load(const char *path, struct scenario *sc, char *err /* (errlen) */, size_t errlen);

/* The same from text in memory; `name` stands for the file in messages. */
int scenario_parse(const char *text, size_t len, const char *name, struct scenario *sc, char *err, size_t errlen);

/* Bytes the scenario's experiment will allocate (models, optimiser state,
 * activations, data): what the memory cap is checked against. */
size_t scenario_memory(const struct scenario *sc);

const char *scenario_kind_name(enum scenario_kind k);

#endif
