/* experiment.h: the one interface every experiment kind implements. The
 * trainer and the headless runner drive step(); the UI lays its panels out
 * from the run_desc, so a new experiment needs no UI code. */
#ifndef OVERPARAM_EXPERIMENT_H
#define OVERPARAM_EXPERIMENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "overparam/claim.h"
#include "overparam/config.h"
#include "overparam/data.h"
#include "overparam/record.h"
#include "overparam/scenario.h"

#define RUN_MAX_SERIES 8
#define RUN_MAX_VIEWS 6
#define VIEW_MAX_METRICS 8 /* a split bar: 4 norms and its closed form's 2 parts x 2 subspaces */
#define TABLE_MAX_COLS 6
#define RUN_MAX_GRID 101 /* points of a run's grid (alpha, N, width, ...) */
#define RUN_MAX_MAP 8192 /* points of a map metric's 2-D grid (METRIC_MAP) */
#define VIEW_MAX_MARKS 8

/* Where records go: the trainer's ring, or the headless runner's store. */
struct emitter {
	void (*emit)(void *ctx, const struct op_record *rec);
	void *ctx;
	uint32_t generation;
};

static inline void emitter_put(struct emitter *e, uint32_t epoch, int series, enum metric m, uint32_t index,
			       double value)
{
	struct op_record rec = {
		.generation = e->generation,
		.epoch = epoch,
		.series = (uint16_t)series,
		.metric = (uint16_t)m,
		.index = index,
		.value = value,
	};
	e->emit(e->ctx, &rec);
}

enum view_kind {
	VIEW_LINES, /* metric(s) over epochs (or over the grid: x_grid), one curve per (series, metric) */
	VIEW_BARS,  /* the latest value of a grid metric at each grid point */
	VIEW_SPLIT, /* two norms as one split bar, with closed-form marks */
	VIEW_TABLE, /* one row per series, columns below */
	VIEW_TEXT,  /* the scenario's notes */
	VIEW_HEAT,  /* a map metric as a heatmap (log colour scale, colour bar),
	             * labelled marks and paths on top */
};

enum cell_format {
	CELL_LABEL,  /* the series label */
	CELL_PARAMS, /* parameter count with thousands separators */
	CELL_LOSS,   /* latest value, %.3g style, "diverged" when non-finite */
	CELL_EPOCH,  /* an epoch number, "-" when absent */
	CELL_WORD,   /* the latest value as a word (metric_word: "benign"), "-" when none */
};

struct table_col {
	const char *head;
	enum metric metric; /* unused for CELL_LABEL and CELL_PARAMS */
	enum cell_format format;
};

struct view_spec {
	enum view_kind kind;
	const char *title;
	int n_metrics;
	enum metric metrics[VIEW_MAX_METRICS]; /* LINES: curves; BARS: the grid metric;
	                                        * SPLIT: signal, tail, mn signal, mn tail, then
	                                        * optionally the mn parts (split.c) */
	uint32_t series_mask;   /* LINES, TABLE: which series (bit i = series i);
	                         * BARS, SPLIT: the lowest set bit (0: series 0) */
	bool log_y;             /* LINES: start on a log axis */
	bool x_grid;            /* LINES: x is the run's grid (index positions,
	                         * labelled with grid_x), curves are grid metrics */
	double hline;           /* LINES: a horizontal reference line (NaN: none) */
	const char *hline_label;
	bool hline_run;         /* LINES: the line's value is the run's latest hline_metric
	                         * of series 0 (none until it comes), not hline */
	enum metric hline_metric;
	double vline;           /* LINES with x_grid: a vertical marker at this
	                         * grid value (NaN or 0: none), e.g. N = n */
	const char *vline_label;
	int n_cols;
	struct table_col cols[TABLE_MAX_COLS];
	int weight;             /* relative share of the screen (height) */
	/* LINES, HEAT: what the empty plot says until its first value comes,
	 * for a view that waits long (the nets train first): "after ..."
	 * rather than a blank frame. NULL: nothing. */
	const char *pending;
	/* Views the class compares side by side share one y scale: the same
	 * non-zero id on each (LINES, BARS), so a smaller value looks smaller. */
	int scale_group;
	/* The scenario's main chart: the most rows at every size, and the one
	 * the presenter layout shows (none marked: the first chart of the
	 * largest weight). */
	bool headline;
	/* BARS: a bar's status, shown by its colour (or its fill without
	 * colour): low below bar_levels[0], medium below bar_levels[1], else
	 * high. The legend names the three bar_labels[0..2]; with no labels,
	 * no legend. */
	double bar_levels[2];
	const char *bar_labels[3];
	/* HEAT: metrics[0] is the map (METRIC_MAP) of map_cols x map_rows of
	 * the lowest series in series_mask; metrics[1] (a grid metric of that
	 * series) holds mark k's map position (column at 2k, row at 2k + 1,
	 * fractional), drawn labelled mark_labels[k]; metrics[2] holds each
	 * path's points the same way, one path per series in path_mask,
	 * named by its series label. */
	int map_cols, map_rows;
	const char *mark_labels[VIEW_MAX_MARKS];
	uint32_t path_mask;
};

/* What the status line counts the run in ("width 3/5", "N 31/31",
 * "round 4/10"), when a step is not an epoch of one training. */
struct run_progress {
	const char *unit; /* NULL: "epoch", out of planned_epochs */
	int total;        /* units in the run */
	enum metric at;   /* where the run is: MET_EPOCH counts the steps done;
	                   * else the latest value of this metric of series 0 */
	bool by_grid;     /* that value is a grid_x value: its position counts */
};

/* What a scenario's run will look like, derived from the scenario alone, so
 * the UI never touches the experiment the trainer owns. */
struct run_desc {
	int planned_epochs;
	struct run_progress progress;
	int n_series;
	char series_label[RUN_MAX_SERIES][32];
	long series_params[RUN_MAX_SERIES];
	int n_grid;          /* points of the run's grid, 0 when it has none */
	double grid_x[RUN_MAX_GRID]; /* their values: alpha, N, width ... */
	const char *grid_name;       /* "alpha", "N", ... for axis labels */
	double threshold;    /* NaN when the scenario has none */
	double noise_floor;  /* sigma^2, NaN when none */
	int n_views;
	struct view_spec views[RUN_MAX_VIEWS];
	/* The run store's headline figure (--runs): the lowest latest value
	 * over the series of this metric, as RUN_HEADLINE(m); 0: the first
	 * line chart's first metric. A kind whose first chart is a profile
	 * (loss along a path, whose latest value is its end point) names the
	 * figure that is its point. */
	int headline;
};

#define RUN_HEADLINE(m) ((int)(m) + 1)

struct experiment; /* each kind's own state */
struct history;
struct workers;

struct experiment_ops {
	const char *kind; /* as in the .ini */
	/* What the scenario format (src/config) needs to know of the kind. */
	uint64_t keys;    /* KEY_BIT()s it reads beyond those every kind reads;
	                   * a file that sets any other is refused */
	enum data_target target;       /* data.target when the file gives none */
	unsigned targets;              /* TARGET_BIT()s it takes, when it reads data.target */
	enum optimizer_word optimizer; /* train.optimizer when the file gives none */
	unsigned optimizers;           /* OPT_WORD_BIT()s it takes, when it reads train.optimizer */
	bool one_width;                /* model.widths must hold exactly one width */
	/* Its own checks across keys, run after the generic ones: returns
	 * false once config_fail has said what is wrong. */
	bool (*check)(struct config_check *c, const struct scenario *sc);
	/* Bytes create() will allocate, as a double (config adds the
	 * allocator's slack and applies SCENARIO_MEMORY_CAP), and the key a
	 * scenario over the cap is blamed on. Every kind has one. */
	double (*memory)(const struct scenario *sc, enum config_key *blame);
	/* Builds everything the run needs (no allocation after this). `seed`
	 * replaces the scenario's seed (restart with a new seed). */
	int (*create)(const struct scenario *sc, uint64_t seed, struct experiment **out, char *err, size_t errlen);
	/* One epoch. Emits that epoch's records; returns false once the run is
	 * over (it then has emitted its final records). */
	bool (*step)(struct experiment *x, struct emitter *em);
	void (*destroy)(struct experiment *x);
	/* Optional, for experiments with independent models: the runner's
	 * team (workers.h), lent right after create() until destroy(). Never
	 * called means one thread; the records must be the same either way. */
	void (*use_workers)(struct experiment *x, struct workers *wk);
	void (*describe)(const struct scenario *sc, struct run_desc *d);
	/* The seed-style result table of a finished run, from its records. */
	void (*report)(const struct scenario *sc, const struct run_desc *d, const struct history *h, FILE *out);
	/* Every metric step() may emit (record.h's table says what each is);
	 * tests/test_metrics.c holds each run to it. Fill with
	 * EXPERIMENT_METRICS(array). */
	const enum metric *metrics; /* (n_metrics) */
	int n_metrics;
	/* What the scenario says about its run (claim.h), in the order the
	 * Why panel and the report list them. Fill with EXPERIMENT_CLAIMS. */
	const struct claim *claims; /* (n_claims) */
	int n_claims;
};

#define EXPERIMENT_METRICS(array) .metrics = (array), .n_metrics = (int)(sizeof(array) / sizeof((array)[0]))
#define EXPERIMENT_CLAIMS(array) .claims = (array), .n_claims = (int)(sizeof(array) / sizeof((array)[0]))

/* The registry (src/run/experiment.c): NULL past the last kind. */
const struct experiment_ops *experiment_ops_for(enum scenario_kind kind);

/* Convenience over experiment_ops_for(sc->kind)->describe. */
void experiment_describe(const struct scenario *sc, struct run_desc *d);

#endif
