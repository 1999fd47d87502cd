/* share.h: `--share` and `--follow` (src/store/share.c). The transport is
 * the run store itself: a lecturer's live session is recorded into a
 * session file, /tmp/overparam-share/USER.db, in WAL mode; followers read
 * it. WAL readers never block the writer, so no follower can slow the
 * lecturer, and one that arrives late reads the whole run from the file.
 * Who may follow is the file's mode: the lecturer's user alone by default
 * (0600), its group with `--share group` (0640), everyone with `--share
 * all` (0644). */
#ifndef OVERPARAM_SHARE_H
#define OVERPARAM_SHARE_H

#include <stddef.h>
#include <stdint.h>

#include "overparam/experiment.h"
#include "overparam/store.h"

#define SHARE_DIR "/tmp/overparam-share"

enum share_who { SHARE_USER, SHARE_GROUP, SHARE_ALL };

/* The session file of user `name` (NULL: this process's user). */
void share_path(const char *name, char *buf /* (len) */, size_t len);
/* The lecturer: makes the session file with the mode `who` asks for and
 * opens a store on it (a few runs kept). Returns 0, or -1 with one line
 * in err. */
int share_open(struct store **out, enum share_who who, char *err /* (errlen) */, size_t errlen);

/* The follower: the session of user `name` (NULL: one's own). Checks that
 * it is there and readable (a clear line in err when not: not sharing,
 * or shared with its own user only), and reads the scenario of its current
 * run into *sc. Returns 0, or -1. */
int follow_open(const char *name, struct scenario *sc, char *err /* (errlen) */, size_t errlen);
/* The descriptor that stands in for the kind's in the follower's trainer:
 * create() takes the lecturer's current run, step() emits its next epoch
 * as soon as the lecturer's store has it. */
const struct experiment_ops *follow_ops(const struct scenario *sc);
/* The lecturer's newest run id (polled by the follower's UI; `known` on
 * error) and, when it is newer than `known`, its scenario into *sc. */
long long follow_poll(long long known, struct scenario *sc);
/* The lecturer's session is paused (1), running (0), or not said (-1). */
int follow_paused(void);
void follow_close(void);
/* Puts this process behind every other on the machine's cores (Linux's
 * SCHED_IDLE, else the lowest niceness), so that a class of followers
 * never takes CPU from the lecturer they watch. Before any thread starts:
 * they inherit it. */
void follow_yield_cpu(void);
/* The run follow_open read the scenario of. */
long long follow_first(void);

/* The store a shared session also records into (NULL: none). */
struct store *share_store(void);
void share_set_store(struct store *st);

#endif
