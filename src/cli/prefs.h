/* prefs.h: the config file between the command line and the scenarios:
 * found, read, merged under the command line's options, and its preset
 * applied. Precedence: command line > config file > scenario file. */
#ifndef OVERPARAM_CLI_PREFS_H
#define OVERPARAM_CLI_PREFS_H

#include <stdbool.h>

#include "overparam/scenario.h"
#include "overparam/settings.h"
#include "overparam/store.h"
#include "overparam/ui.h"

/* Reads --config FILE (it must exist), else the default file if there is
 * one, into *s. Returns 0, or 2 after saying why on stderr. */
int prefs_load(const char *config_path, struct settings *s);

/* What the command line left unset in *uo, from *s: fps, pace, export
 * folder and theme. (The store settings stay in *s for the code that uses
 * them.) fps 0 = unset becomes 20. */
void prefs_merge(const struct settings *s, bool headless, struct ui_options *uo);

/* What the command line set of the run store (--store, --no-store,
 * --keep-runs, --keep-mb): the config file's [store] fills the rest. */
enum {
	STORE_GIVEN_PATH = 1u,
	STORE_GIVEN_ENABLED = 2u,
	STORE_GIVEN_KEEP_RUNS = 4u,
	STORE_GIVEN_KEEP_MB = 8u,
};
void prefs_store(const struct settings *s, unsigned given, struct store_settings *st);

/* --preset NAME on the loaded scenarios. Returns the index of the scenario
 * it names (the one to start on), 0 with no preset, -1 after saying why. */
int prefs_preset(const struct settings *s, const char *name, struct scenario *sc /* (n) */, int n);

#endif
