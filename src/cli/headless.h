/* headless.h: run scenarios with no terminal, at full speed, and print the
 * seed-style result tables (and optionally every record as CSV). */
#ifndef OVERPARAM_HEADLESS_H
#define OVERPARAM_HEADLESS_H

#include <stdint.h>
#include <stdio.h>

#include "overparam/scenario.h"

/* Runs one scenario to the end with `seed` and prints its table to out;
 * csv (may be NULL) gets "scenario,series,metric,epoch,index,value" rows.
 * Returns 0, or 2 with a message on stderr when the run cannot start. */
int headless_run(const struct scenario *sc, uint64_t seed, FILE *out, FILE *csv);

#endif
