/* headless.h: run scenarios with no terminal, at full speed, and print the
 * seed-style result tables (and optionally every record as CSV). */
#ifndef OVERPARAM_HEADLESS_H
#define OVERPARAM_HEADLESS_H

#include <stdint.h>
#include <stdio.h>

#include "overparam/csv.h"
#include "overparam/history.h"
#include "overparam/scenario.h"

/* Exit status of a run that SIGINT or SIGTERM stopped. */
#define HEADLESS_INTERRUPTED 130

/* SIGINT and SIGTERM ask the run to stop after the epoch it is in
 * (run_cancel); a second one removes csv's temporary file and exits 130
 * at once. SIGPIPE is ignored: a closed pipe is a write error, said and
 * exit 1. csv may be NULL. */
void headless_signals(const struct csv_out *csv);

/* Runs one scenario to the end with `seed` and prints its table to out;
 * csv (may be NULL) gets its records, every epoch's whole or not at all;
 * plot (may be NULL) names a picture of its panels (.svg, .png or .pdf),
 * on a dark ground when plot_dark (the dark themes).
 * Returns 0; 1 when the CSV or out failed (the reason said on stderr);
 * 2 when the run cannot start; HEADLESS_INTERRUPTED after saying
 * "interrupted at epoch N of SCENARIO" on stderr. */
int headless_run(const struct scenario *sc, uint64_t seed, FILE *out, struct csv_out *csv, const char *plot,
		 bool plot_dark);
/* One line a claim of the finished run in h (claim.h): "CLAIM id:
 * sentence: holds|fails|undecided". */
void headless_claims(const struct scenario *sc, const struct run_desc *d, const struct history *h, FILE *out);
/* Says on stderr why csv failed ("overparam: --csv: error writing PATH:
 * REASON"); returns 1, the exit status. */
int headless_csv_error(const struct csv_out *csv);

#endif
