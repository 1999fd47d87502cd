/* run_loop.h: one run of an experiment from create() to destroy(), as the
 * trainer, the headless runner and the tests all run it: the experiment's
 * own records, a MET_EPOCH mark after every step and MET_DONE at the end.
 * Pacing, commands and where the records go stay the caller's. */
#ifndef OVERPARAM_RUN_LOOP_H
#define OVERPARAM_RUN_LOOP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "overparam/experiment.h"
#include "overparam/scenario.h"

struct workers;

struct run_loop {
	const struct experiment_ops *ops;
	struct experiment *x; /* NULL before open, after close, or when create() failed */
	struct emitter *em;
	uint32_t epochs;      /* steps taken */
};

/* create() with `seed`, then lends the experiment the team (wk may be NULL:
 * the caller's thread alone; workers.h). Returns 0, or -1 with create()'s
 * message in err ("PATH: cancelled" when it gave way to run_cancel()). */
int run_loop_open(struct run_loop *r, const struct experiment_ops *ops, const struct scenario *sc, uint64_t seed,
		  struct workers *wk, struct emitter *em, char *err, size_t errlen);
/* One step and its MET_EPOCH mark; false once the experiment has ended the
 * run. */
bool run_loop_step(struct run_loop *r);
/* The MET_DONE mark: the run is over (the experiment ended it, or the
 * caller did). */
void run_loop_finish(struct run_loop *r);
/* destroy(). Fine on a run that never opened (zeroed) or is closed. */
void run_loop_close(struct run_loop *r);

/* What experiment_run measured. */
struct run_stats {
	uint32_t epochs; /* steps taken */
	double seconds;  /* spent stepping (create and destroy not counted) */
};

/* A whole run at full speed: create, MET_START (series 0, value the seed),
 * steps to the end, MET_DONE, destroy. Returns 0, or -1 with create()'s
 * message in err (nothing emitted). st may be NULL. */
int experiment_run(const struct experiment_ops *ops, const struct scenario *sc, uint64_t seed, struct workers *wk,
		   struct emitter *em, struct run_stats *st, char *err, size_t errlen);

/* Cancelling a run from outside its thread: a quit, a restart, a switch or
 * a signal. A create() or step() that can run long checks run_cancelled()
 * in its loops (at least every few milliseconds of work) and returns early;
 * the caller then drops that run. Safe from a signal handler (a lock-free
 * atomic). The runner clears it before it opens the next run. */
void run_cancel(void);
void run_cancel_clear(void);
bool run_cancelled(void);

#endif
