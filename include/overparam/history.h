/* history.h: what the UI (and the headless runner) knows of the current
 * run, built only from records: the points of each line metric (bounded,
 * below), the latest value of every (series, metric), the interpolation
 * grid and the events. */
#ifndef OVERPARAM_HISTORY_H
#define OVERPARAM_HISTORY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "overparam/experiment.h"
#include "overparam/record.h"

/* Bounded history. A curve keeps its latest points exactly: as many as its
 * run plans (history_keep_for: the planned epochs, plus 1/8 and 256 for
 * curves that send a little more), at most HISTORY_KEEP_POINTS. Past that,
 * the older half of its kept points is folded into a summary: the min and
 * max of the finite values in each of at most HISTORY_FOLD_RANGES epoch
 * ranges. The ranges are cut at every column boundary of every chart of
 * 1 .. HISTORY_FOLD_COLS dot columns over the run's planned epochs
 * (history_set_span; plot.h's epoch_col), so every column of such a chart
 * has the same min and max from the summary and the kept points as from
 * all the points: the chart does not change. A curve holds at most
 * 12 bytes a kept point (epoch, and the value as recorded, so that `e`
 * writes what --csv writes) and 8 a range (float min, max); the ranges'
 * starts, 4 bytes each, are shared (history_budget sums it). */
#define HISTORY_KEEP_POINTS 1048576u
#define HISTORY_FOLD_COLS 512u
#define HISTORY_FOLD_RANGES (1u + HISTORY_FOLD_COLS * (HISTORY_FOLD_COLS - 1u) / 2u)

/* A curve's folded points: they all came before its kept points. */
struct point_fold {
	uint64_t folded;       /* how many */
	const uint32_t *start; /* (n) each range's first epoch, ascending from 0
	                        * (the history's, shared); the last range is open */
	float *lo, *hi;        /* (n) min and max of its finite folded values, NaN:
	                        * none; NULL until the curve's first fold */
	uint32_t n;
	uint32_t span;         /* the planned epochs the ranges were cut for */
	float minpos;          /* smallest positive finite folded value, NaN: none */
};

/* A curve's kept points. */
struct point_series {
	uint32_t *epoch; /* (n) in arrival order */
	double *value;   /* (n) as recorded: an export writes them at full precision */
	uint32_t n, cap;
};

struct history {
	uint32_t generation;
	int scenario;           /* from MET_START */
	uint64_t seed;          /* from MET_START */
	uint32_t epoch;         /* epochs done (MET_EPOCH) */
	bool done;              /* MET_DONE seen */
	bool keep_points;       /* false: latest values only (headless) */
	uint32_t keep;          /* points a curve keeps before folding */
	uint32_t keep_hook;     /* OVERPARAM_HISTORY_KEEP (a test hook): keep, whatever the span; 0 none */
	uint32_t span;          /* the run's planned epochs, 0 unknown (history_set_span) */
	uint32_t *cuts;         /* (n_cuts) the fold's range starts, cut for cuts_span */
	uint32_t n_cuts, cuts_span;
	double last[RUN_MAX_SERIES][MET_COUNT];     /* NaN until seen */
	uint32_t last_epoch[RUN_MAX_SERIES][MET_COUNT];
	bool seen[RUN_MAX_SERIES][MET_COUNT];
	bool diverged[RUN_MAX_SERIES];
	/* Grid metrics: (RUN_MAX_GRID) latest values per position, NaN where
	 * none arrived; allocated on first use (see history_grid). */
	double *grid[RUN_MAX_SERIES][MET_COUNT];
	uint32_t grid_epoch[RUN_MAX_SERIES][MET_COUNT]; /* epoch of the latest grid record */
	uint32_t *grid_at[RUN_MAX_SERIES][MET_COUNT];   /* (RUN_MAX_GRID) epoch of each position's value,
	                                                 * with grid: what an export writes */
	struct point_series pts[RUN_MAX_SERIES][MET_COUNT];
	struct point_fold fold[RUN_MAX_SERIES][MET_COUNT];
	uint64_t changes;       /* bumped on every accepted record: redraw hint */
};

void history_init(struct history *h, bool keep_points);
void history_free(struct history *h);
/* Forget the run (keeps the kept points' allocations for reuse). */
void history_reset(struct history *h, uint32_t generation);
/* A finished run kept for later: each curve's arrays shrink to its points. */
void history_trim(struct history *h);
/* The run's planned epochs, the x span its charts map onto columns: the
 * fold cuts its ranges for it, and a curve keeps history_keep_for(planned)
 * points. Set it once a run starts, before its points (the UI does, on
 * MET_START). Unset: HISTORY_KEEP_POINTS, and at the first fold the span is
 * taken as the last epoch seen (memory stays bounded, charts may differ). */
void history_set_span(struct history *h, uint32_t planned);
/* Points a curve keeps exactly in a run of `planned` epochs. */
uint32_t history_keep_for(uint32_t planned);
/* Take one record: a MET_START of a newer generation resets the history;
 * records of any other generation than the current one are dropped.
 * Returns true when the record was accepted. */
bool history_add(struct history *h, const struct op_record *rec);
/* Latest values (RUN_MAX_GRID) of a grid metric of one series, NaN where
 * none arrived, or NULL when the run has sent none of it. */
const double *history_grid(const struct history *h, int series, enum metric m);
/* 0 when no curve has folded; else the epoch from which every curve's
 * points are all kept (the latest first kept epoch of a folded curve). */
uint32_t history_kept_from(const struct history *h);
/* The most a live history of the scenario may hold, in bytes: each curve
 * it can draw (series x curve metrics its kind emits) with
 * history_keep_for(planned) kept points and min(HISTORY_FOLD_RANGES,
 * planned + 1) ranges, plus the shared range starts. Counted in the memory
 * cap; at most 13 MiB a curve, and 0.5 MiB. */
size_t history_budget(const struct scenario *sc);

#endif
