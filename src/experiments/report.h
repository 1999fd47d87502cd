/* report.h: what the experiment kinds share to present a run: parts of the
 * run_desc their describe() fills (series labels, the table of series, the
 * notes panel) and of the text their report() prints from the run's history
 * (a grid metric's values, the RESULT line); and the one rule that says a
 * model diverged, so no verdict is drawn from it. Private to experiments/. */
#ifndef OVERPARAM_EXPERIMENTS_REPORT_H
#define OVERPARAM_EXPERIMENTS_REPORT_H

#include <stdbool.h>
#include <stdint.h>
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

/* report_decided's mask for every series of the run. */
#define REPORT_ALL_SERIES UINT32_MAX

/* Past this many times its starting loss, a model has diverged. */
#define REPORT_DIVERGE_FACTOR 1e6
/* What an undecided line about a diverged run ends with. */
#define REPORT_LR_HINT "try a smaller train.lr"

/* The one divergence rule, for every model every kind trains: its loss is
 * not finite, or above REPORT_DIVERGE_FACTOR times start_loss, the loss it
 * started from (a start that is not above 0 gives no scale: then only a
 * non-finite loss counts). A diverged model stops training and its kind
 * emits MET_DIVERGED with that loss. */
bool report_diverged(double loss, double start_loss);

/* report_diverged of a model's latest loss, *start_loss its starting loss:
 * NaN until its first loss, which this call keeps there. */
bool report_diverges(double *start_loss, double loss);

/* "RESULT[ series]: undecided: " and the reason, then a newline: the line
 * of a run no verdict can be drawn from. */
void report_undecided(FILE *out, const char *series, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* Whether a verdict may be drawn from the run in h about the series in
 * mask (bit i = series i). It may not when one of them diverged, or when
 * the run did not finish; then this prints report_undecided's line:
 * "diverged at epoch N (label)" for the first to diverge (no label when
 * series names the line), or "the run did
 * not finish (N epochs done)", and returns false. */
bool report_decided(FILE *out, const char *series, const struct run_desc *d, const struct history *h,
		    uint32_t mask);

#endif
