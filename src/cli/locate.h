/* locate.h: the scenario files to run when none is given. */
#ifndef OVERPARAM_CLI_LOCATE_H
#define OVERPARAM_CLI_LOCATE_H

#include <glob.h>
#include <stddef.h>

#include "overparam/settings.h"

/* The shipped scenarios, from the first of these folders that has any
 * *.ini: ./scenarios, the folder the binary is in (a source tree), its
 * ../share/overparam/scenarios (an install moved elsewhere), datadir's
 * scenarios (where `make install` put them); then every *.ini of the
 * config file's [scenarios] dir folders. argv0: the program's argv[0], used
 * when /proc/self/exe cannot be read. Returns 0 with the files in *g, or -1
 * with "overparam: no scenario files given, and none found in A, B, ..."
 * in msg. */
int locate_scenarios(const char *argv0, const char *datadir, const struct settings *s, glob_t *g,
		     char *msg /* (len) */, size_t len);

#endif
