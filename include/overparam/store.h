/* store.h: the run store, an SQLite database of every run, live or
 * headless (docs/store.md: the schema, the sizes, what survives what).
 * The run's thread never waits for it: records are appended to a buffer
 * under a mutex, and a writer thread commits them in batches, one
 * transaction at a time, in WAL mode. Any database error stops the
 * recording (store_error says why); the run goes on. */
#ifndef OVERPARAM_STORE_H
#define OVERPARAM_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "overparam/experiment.h"
#include "overparam/record.h"
#include "overparam/scenario.h"

#define STORE_PATH_LEN 4096
#define STORE_ERR_LEN (STORE_PATH_LEN + 512) /* a message naming the file */

/* What the command line (--store, --no-store) or a system-wide config file
 * sets; store_settings_default fills it first. */
struct store_settings {
	bool enabled;               /* false: nothing is opened or written */
	char path[STORE_PATH_LEN];  /* the database file */
	int keep_runs;              /* retention: the newest N runs (0: no limit) */
	double keep_mb;             /* retention: at most this many MiB of runs (0: no limit) */
};

/* Defaults: enabled, $XDG_DATA_HOME/overparam/runs.db (else
 * ~/.local/share/overparam/runs.db), the newest 200 runs, 512 MiB. */
void store_settings_default(struct store_settings *s);

/* How a run ended. STORE_RUNNING in the database after its process is
 * gone reads as interrupted (kill -9, a power cut). */
enum store_status { STORE_RUNNING, STORE_DONE, STORE_DIVERGED, STORE_CANCELLED, STORE_INTERRUPTED };
const char *store_status_word(enum store_status s);

struct store;

/* Opens (creating the file, its folder and the schema) and starts the
 * writer thread. Returns 0, or -1 with "overparam: store: PATH: reason". */
int store_open(struct store **out, const struct store_settings *s, char *err /* (errlen) */, size_t errlen);
/* Ends an open run as interrupted, commits what is buffered, stops the
 * writer, closes. NULL is fine. */
void store_close(struct store *st);
/* Why recording stopped, or "" while it works. */
const char *store_error(struct store *st);

/* The file text and --set overrides of a scenario, noted once when it is
 * loaded, so the text stored is the text that was read (not the file as it
 * is later). Kept per path; sets is copied. */
void store_note_source(const char *path, const char *const *sets /* (n_sets) */, int n_sets);
/* Frees what store_note_source kept, on the way out. */
void store_forget_sources(void);

/* A run begins: the scenario as it runs (its knobs as set), its seed and
 * "live" or "headless". Ends the previous run, if still open, as
 * cancelled. */
void store_begin(struct store *st, const struct scenario *sc, uint64_t seed, const char *mode);
/* One record of the open run (ignored when none is open). Its MET_DONE
 * ends it: diverged when every series sent MET_DIVERGED, else done. */
void store_add(struct store *st, const struct op_record *rec);
/* The open run ends (ignored when none is open). */
void store_end(struct store *st, enum store_status status);
/* The live session is paused or not (--share: what followers mirror). */
void store_set_paused(struct store *st, bool paused);
/* Blocks until everything handed over so far is committed (tests,
 * replay of the run just made). */
void store_sync(struct store *st);

/* The run store of the live UI and the headless runner: NULL when off. */
struct store *store_default(void);
void store_set_default(struct store *st);

/* ---- reading (src/store/runs.c) ---- */

/* `--runs` (json: `--runs --json`): every stored run, newest first, one a
 * line. Returns the exit status (0, or 1 after saying why). */
int store_list(const struct store_settings *s, bool json, FILE *out);

#endif
