/* trainer.h: the background training thread. It owns the running
 * experiment and a team of threads lent to it (workers.h), steps it one
 * epoch at a time at the chosen pace (run_loop.h), obeys commands between
 * epochs, and streams records to the UI. It shares with the
 * UI only the two rings and the atomics read by the trainer_* getters. */
#ifndef OVERPARAM_TRAINER_H
#define OVERPARAM_TRAINER_H

#include <stdbool.h>
#include <stdint.h>

#include "overparam/experiment.h"
#include "overparam/record.h"
#include "overparam/scenario.h"

enum trainer_state {
	TRAINER_RUNNING,
	TRAINER_PAUSED,
	TRAINER_DONE,     /* the run reached its end; sleeps until a command */
	TRAINER_DIVERGED, /* every series went non-finite; sleeps */
	TRAINER_FAILED,   /* create() failed (message in trainer_error) */
};

struct trainer_config {
	const struct scenario *scenarios; /* (n_scenarios), copied at start: knobs change the trainer's own copy */
	int n_scenarios;
	int initial;                      /* scenario to start on */
	uint32_t ring_capacity;           /* records; power of two (0: 1 << 16) */
	bool start_paused;
	double pace_override;             /* < 0: each scenario's pace; 0: max */
	const struct experiment_ops *ops; /* NULL: by scenario kind (tests inject fakes) */
	int workers;                      /* threads the experiments may use, the trainer's
	                                   * own included (0: workers_planned(), workers.h) */
};

struct trainer;

int trainer_start(struct trainer **out, const struct trainer_config *cfg);
/* Sends QUIT (and cancels the run: run_loop.h), joins the thread, frees
 * everything. */
void trainer_stop(struct trainer *t);
/* The same, giving the thread `seconds` to finish (< 0: no limit). false if
 * it did not: nothing is freed, and the caller is to end the process. */
bool trainer_stop_within(struct trainer *t, double seconds);

/* UI side: queue a command and wake the trainer. false if the command ring
 * is full (it holds 256; the UI sends a handful a second). A restart, a
 * switch to a scenario there is, a knob or a quit first cancels the
 * current run (run_loop.h), so a long create() or step() gives way at
 * once; the trainer drops that run unseen (no MET_DONE) and starts the
 * command's. */
bool trainer_command(struct trainer *t, struct op_command cmd);
/* UI side: take up to max records, oldest first. */
uint32_t trainer_drain(struct trainer *t, struct op_record *out /* (max) */, uint32_t max);

/* Snapshots published by the trainer (relaxed atomics: for display). */
enum trainer_state trainer_state(const struct trainer *t);
double trainer_pace(const struct trainer *t);
uint32_t trainer_generation(const struct trainer *t);
/* Records the trainer has pushed in all (for the no-loss tests). */
uint64_t trainer_records_sent(const struct trainer *t);
/* UI side: whether records the trainer sent are still in the ring. Read
 * after trainer_state: a run that ended has sent all it will, so false
 * means the UI holds all of it. */
bool trainer_records_pending(const struct trainer *t);
/* Last create() error, or "" (valid while state is TRAINER_FAILED). */
const char *trainer_error(const struct trainer *t);

#endif
