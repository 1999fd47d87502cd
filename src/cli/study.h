/* study.h: `overparam --study N`: every scenario headless at seeds 1..N on
 * all cores, and how often each of its claims (claim.h) holds. */
#ifndef OVERPARAM_STUDY_H
#define OVERPARAM_STUDY_H

#include <stdio.h>

#include "overparam/scenario.h"

#define STUDY_MAX_SEEDS 1000
#define STUDY_CSV_DEFAULT "study.csv"

/* Runs each of the n scenarios at seeds 1..seeds, prints the markdown
 * report (a table of hold rates and figures, each claim's sentence at
 * seed 1, each claim's verdict at every seed) to out and writes the table
 * to csv_path. Returns 0; 1 on a write error; 2 when a run cannot start;
 * HEADLESS_INTERRUPTED after SIGINT or SIGTERM. */
int study_run(const struct scenario *sc /* (n) */, int n, int seeds, const char *csv_path, FILE *out);

#endif
