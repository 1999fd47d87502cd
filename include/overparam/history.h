/* history.h: what the UI (and the headless runner) knows of the current
 * run, built only from records. Every per-epoch point of each line metric
 * is kept (bounded by the scenario's planned epochs), plus the latest value
 * of every (series, metric), the interpolation grid and the events. */
#ifndef OVERPARAM_HISTORY_H
#define OVERPARAM_HISTORY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "overparam/experiment.h"
#include "overparam/record.h"

struct point_series {
	uint32_t *epoch; /* (n) */
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
	uint64_t changes;       /* bumped on every accepted record: redraw hint */
};

void history_init(struct history *h, bool keep_points);
void history_free(struct history *h);
/* Forget the run (keeps allocations for reuse). */
void history_reset(struct history *h, uint32_t generation);
/* Take one record: a MET_START of a newer generation resets the history;
 * records of any other generation than the current one are dropped.
 * Returns true when the record was accepted. */
bool history_add(struct history *h, const struct op_record *rec);
/* Latest values (RUN_MAX_GRID) of a grid metric of one series, NaN where
 * none arrived, or NULL when the run has sent none of it. */
const double *history_grid(const struct history *h, int series, enum metric m);

#endif
