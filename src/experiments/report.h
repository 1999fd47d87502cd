/* report.h: what the experiment kinds share to present a run: parts of the
 * run_desc their describe() fills (series labels, the table of series, the
 * notes panel) and of the text their report() prints from the run's history
 * (a grid metric's values, the RESULT line). Private to experiments/. */
#ifndef OVERPARAM_EXPERIMENTS_REPORT_H
#define OVERPARAM_EXPERIMENTS_REPORT_H

#include <stdio.h>

#include "overparam/experiment.h"
#include "overparam/history.h"

/* Series s's label, printf-style, cut to fit. */
void report_label(struct run_desc *d, int s, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* Appends a table view: one row per series in mask (bit i = series i), the
 * n columns of cols (at most TABLE_MAX_COLS are kept). */
void report_table(struct run_desc *d, const char *title, uint32_t mask, const struct table_col *cols /* (n) */,
		  int n);

/* Appends the panel of the scenario's notes, which ends every layout. */
void report_notes(struct run_desc *d);

/* The latest values of grid metric m of one series, NaN at the points none
 * arrived for (at all of them when the run sent none), so a report's table
 * reads them without asking whether the metric came at all. */
void report_grid(const struct history *h, int series, enum metric m, double *v /* (RUN_MAX_GRID) */);

/* The line a report ends on: "RESULT: " and the verdict, then a newline.
 * With several verdicts in one run, each names its series: "RESULT
 * spiked: ..."; series is NULL for the run's one verdict. */
void report_result(FILE *out, const char *series, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

#endif
