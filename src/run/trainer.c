/* trainer.c: the training thread. It alone touches the experiment; the UI
 * reaches it only through two SPSC rings (records out, commands in) and a few
 * atomics. The mutex/condvar pair exists only so an idle or pacing trainer
 * can sleep and be woken at once by a command. */
#include "overparam/trainer.h"

#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "overparam/ring.h"
#include "overparam/run_loop.h"
#include "overparam/workers.h"

#define TRAINER_DEFAULT_CAPACITY (1u << 16)
#define TRAINER_CMD_CAPACITY 256u
#define PUSH_SPINS 64            /* full ring: retries before napping */
#define PUSH_NAP_NS 60000L       /* full ring: nap between retries */
#define PACE_CATCHUP_NS 100000000 /* further behind than this: rebase, no burst */
#define SEED_MASK ((UINT64_C(1) << 53) - 1) /* seeds travel as doubles */

/* Why the current run is not stepping on its own, paused aside. DROPPED:
 * cancelled (run_loop.h) for a command that is on its way; it is waited for. */
enum run_phase { PHASE_ACTIVE, PHASE_DONE, PHASE_DIVERGED, PHASE_FAILED, PHASE_DROPPED };

struct trainer {
	struct ring records;  /* trainer -> UI, struct op_record */
	struct ring commands; /* UI -> trainer, struct op_command */
	pthread_t thread;
	pthread_mutex_t sleep_mu; /* guards the sleep itself, and finished */
	pthread_cond_t wake;
	pthread_cond_t gone;      /* the thread has finished (trainer_stop_within) */
	bool finished;
	pthread_mutex_t err_mu;   /* guards err */

	/* Shared with the UI. */
	atomic_bool quit; /* seen even while blocked on a full record ring */
	atomic_int state; /* enum trainer_state */
	_Atomic uint64_t pace_bits; /* the pace as a double's bits */
	_Atomic uint32_t generation;
	_Atomic uint64_t sent;
	uint64_t taken; /* records the UI drained: the UI's alone (trainer_drain, trainer_records_pending) */
	/* Commands sent that cancel the run before they arrive (trainer_command);
	 * the trainer counts those it took. A later one than the command being
	 * applied keeps the cancel flag up (trainer_settle_cancel). */
	_Atomic uint64_t cancels_asked;
	uint64_t cancels_taken; /* trainer thread only */
	char err[SCENARIO_ERR_LEN];    /* last create() error, under err_mu */
	char ui_err[SCENARIO_ERR_LEN]; /* trainer_error's copy; UI thread only */

	/* The trainer's own copy (knobs change it; the UI keeps another). */
	struct scenario *scenarios; /* (n_scenarios) */
	int n_scenarios;
	double pace_override;
	const struct experiment_ops *ops_override;
	struct workers *team; /* lent to every experiment this trainer runs */

	/* Trainer thread only (set up before it starts). */
	int cur;
	uint64_t seed;
	uint64_t reseeds;
	struct run_loop run; /* the current run; run.x is NULL when none is open */
	struct emitter em;
	struct run_desc desc;
	uint32_t diverged; /* bit i: series i reported MET_DIVERGED */
	enum run_phase phase;
	bool paused;
	double pace;
	int64_t deadline_ns; /* CLOCK_MONOTONIC time of the next paced step */
};

static int64_t trainer_now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static uint64_t trainer_splitmix64(uint64_t x)
{
	x += UINT64_C(0x9e3779b97f4a7c15);
	x = (x ^ (x >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
	x = (x ^ (x >> 27)) * UINT64_C(0x94d049bb133111eb);
	return x ^ (x >> 31);
}

static void trainer_publish_state(struct trainer *t)
{
	enum trainer_state s;
	switch (t->phase) {
	case PHASE_DONE: s = TRAINER_DONE; break;
	case PHASE_DIVERGED: s = TRAINER_DIVERGED; break;
	case PHASE_FAILED: s = TRAINER_FAILED; break;
	default: s = t->paused ? TRAINER_PAUSED : TRAINER_RUNNING; break;
	}
	/* release: a reader that sees the state also sees the records and the
	 * sent count that led to it. */
	atomic_store_explicit(&t->state, (int)s, memory_order_release);
}

static void trainer_set_pace(struct trainer *t, double pace)
{
	/* Anything not a positive finite rate means flat out. */
	if (!(pace > 0) || isinf(pace))
		pace = 0;
	t->pace = pace;
	uint64_t bits;
	memcpy(&bits, &pace, sizeof(bits));
	atomic_store_explicit(&t->pace_bits, bits, memory_order_relaxed);
	t->deadline_ns = trainer_now_ns();
}

/* Blocks until the record is in the ring; false if QUIT came first (the
 * record is then given up, so shutdown never waits on a UI that stopped
 * draining). */
static bool trainer_push(struct trainer *t, const struct op_record *rec)
{
	unsigned tries = 0;
	while (!ring_push(&t->records, rec)) {
		if (atomic_load_explicit(&t->quit, memory_order_acquire))
			return false;
		if (++tries < PUSH_SPINS)
			continue;
		struct timespec nap = {0, PUSH_NAP_NS};
		nanosleep(&nap, NULL);
	}
	atomic_fetch_add_explicit(&t->sent, 1, memory_order_release);
	return true;
}

/* The emitter the experiment writes to: stamps the generation and notes
 * divergence before queueing the record. */
static void trainer_emit(void *ctx, const struct op_record *rec)
{
	struct trainer *t = ctx;
	struct op_record r = *rec;
	r.generation = t->em.generation;
	if (r.metric == MET_DIVERGED && r.series < 32)
		t->diverged |= UINT32_C(1) << r.series;
	trainer_push(t, &r);
}

static void trainer_put(struct trainer *t, enum metric m, int series, uint32_t epoch, double value)
{
	struct op_record r = {
		.generation = t->em.generation,
		.epoch = epoch,
		.series = (uint16_t)series,
		.metric = (uint16_t)m,
		.value = value,
	};
	trainer_push(t, &r);
}

static void trainer_fail(struct trainer *t, const char *msg)
{
	pthread_mutex_lock(&t->err_mu);
	snprintf(t->err, sizeof(t->err), "%s", *msg ? msg : "the experiment could not start");
	pthread_mutex_unlock(&t->err_mu);
	t->phase = PHASE_FAILED;
	trainer_publish_state(t);
}

/* Whether command c drops the current run: it starts another one, or ends
 * them all. An out-of-range switch is ignored, so it cancels nothing. */
static bool trainer_cancels(const struct trainer *t, const struct op_command *c)
{
	switch ((enum command_kind)c->kind) {
	case CMD_RESTART:
	case CMD_KNOB:
	case CMD_QUIT: return true;
	case CMD_SWITCH:
	case CMD_PARK: return c->arg >= 0 && c->arg < t->n_scenarios;
	default: return false;
	}
}

/* Before a new run is built: the cancel flag comes down, unless a command
 * later than the one being applied has asked for it. The count is read with
 * a read-modify-write, as trainer_command bumps it: if ours comes later it
 * sees the bump; if it comes first, this clear happens before that
 * command's run_cancel(). So a later command's cancel is never lost, and a
 * run is never cancelled with no command on the way to replace it. */
static void trainer_settle_cancel(struct trainer *t)
{
	run_cancel_clear();
	if (atomic_fetch_add(&t->cancels_asked, 0) != t->cancels_taken)
		run_cancel();
}

/* The run was cancelled: its experiment goes, and nothing more of it is
 * sent (no MET_DONE). The command that cancelled it starts the next. */
static void trainer_drop(struct trainer *t)
{
	run_loop_close(&t->run);
	t->phase = PHASE_DROPPED;
	trainer_publish_state(t);
}

/* (Re)starts scenario idx with seed: the old experiment goes first, then a
 * new generation opens with MET_START, then the new experiment is built. The
 * paused flag is left as the user set it. */
static void trainer_begin(struct trainer *t, int idx, uint64_t seed)
{
	run_loop_close(&t->run);
	const struct scenario *sc = &t->scenarios[idx];
	t->cur = idx;
	t->seed = seed;
	t->diverged = 0;
	t->phase = PHASE_ACTIVE;
	t->em.generation = atomic_load_explicit(&t->generation, memory_order_relaxed) + 1;
	atomic_store_explicit(&t->generation, t->em.generation, memory_order_release);
	trainer_put(t, MET_START, idx, 0, (double)seed);

	const struct experiment_ops *ops = t->ops_override ? t->ops_override : experiment_ops_for(sc->kind);
	if (!ops) {
		char msg[SCENARIO_ERR_LEN];
		snprintf(msg, sizeof(msg), "%s: no experiment for kind %d", sc->path, (int)sc->kind);
		trainer_fail(t, msg);
		return;
	}
	memset(&t->desc, 0, sizeof(t->desc));
	if (ops->describe)
		ops->describe(sc, &t->desc);
	char msg[SCENARIO_ERR_LEN] = "";
	trainer_settle_cancel(t);
	if (run_loop_open(&t->run, ops, sc, seed, t->team, &t->em, msg, sizeof(msg)) != 0) {
		if (run_cancelled())
			trainer_drop(t);
		else
			trainer_fail(t, msg);
		return;
	}
	pthread_mutex_lock(&t->err_mu);
	t->err[0] = '\0';
	pthread_mutex_unlock(&t->err_mu);
	t->deadline_ns = trainer_now_ns();
	trainer_publish_state(t);
}

/* A seed unlike the last one, below 2^53 so MET_START carries it exactly. */
static uint64_t trainer_fresh_seed(struct trainer *t)
{
	uint64_t s;
	do {
		t->reseeds++;
		uint64_t mix = t->reseeds * UINT64_C(0x9e3779b97f4a7c15) ^ (uint64_t)trainer_now_ns();
		s = trainer_splitmix64(t->seed ^ trainer_splitmix64(mix)) & SEED_MASK;
	} while (s == t->seed);
	return s;
}

static void trainer_step(struct trainer *t)
{
	bool more = run_loop_step(&t->run);
	if (run_cancelled()) {
		trainer_drop(t);
		return;
	}
	int n = t->desc.n_series < 32 ? t->desc.n_series : 32;
	uint32_t all = n == 32 ? UINT32_MAX : (UINT32_C(1) << n) - 1;
	bool diverged = n > 0 && (t->diverged & all) == all;
	if (more && !diverged)
		return;
	run_loop_finish(&t->run);
	t->phase = diverged ? PHASE_DIVERGED : PHASE_DONE;
	trainer_publish_state(t);
}

static void trainer_pause(struct trainer *t, bool paused)
{
	if (t->paused && !paused)
		t->deadline_ns = trainer_now_ns(); /* resume on a fresh schedule */
	t->paused = paused;
	trainer_publish_state(t);
}

static double trainer_scenario_pace(const struct trainer *t, int idx)
{
	return t->pace_override >= 0 ? t->pace_override : t->scenarios[idx].pace;
}

static void trainer_apply(struct trainer *t, const struct op_command *c)
{
	if (trainer_cancels(t, c))
		t->cancels_taken++;
	switch ((enum command_kind)c->kind) {
	case CMD_PAUSE:
		trainer_pause(t, !t->paused);
		break;
	case CMD_SET_PAUSED:
		trainer_pause(t, c->arg != 0);
		break;
	case CMD_STEP:
		if (t->paused && t->phase == PHASE_ACTIVE)
			trainer_step(t);
		break;
	case CMD_RESTART:
		trainer_begin(t, t->cur,
			      c->arg == RESTART_GIVEN_SEED ? (uint64_t)c->value & SEED_MASK
			      : c->arg == RESTART_NEW_SEED ? trainer_fresh_seed(t)
							   : t->seed);
		break;
	case CMD_SWITCH:
		if (c->arg < 0 || c->arg >= t->n_scenarios)
			break;
		trainer_set_pace(t, trainer_scenario_pace(t, c->arg));
		trainer_begin(t, c->arg, t->scenarios[c->arg].seed);
		break;
	case CMD_PARK:
		if (c->arg < 0 || c->arg >= t->n_scenarios)
			break;
		trainer_set_pace(t, trainer_scenario_pace(t, c->arg));
		run_loop_close(&t->run);
		trainer_settle_cancel(t); /* no run to cancel now */
		t->cur = c->arg;
		t->seed = (uint64_t)c->value & SEED_MASK;
		t->phase = PHASE_DONE;
		trainer_publish_state(t);
		break;
	case CMD_PACE:
		if (c->value >= 0) /* also refuses NaN */
			trainer_set_pace(t, c->value);
		break;
	case CMD_QUIT:
		atomic_store_explicit(&t->quit, true, memory_order_release);
		break;
	case CMD_KNOB: {
		/* The UI applied the same change to its copy first, so this
		 * cannot be refused; restart even if it were, because the UI
		 * already waits for the next generation. */
		char msg[SCENARIO_ERR_LEN];
		scenario_apply_knob(&t->scenarios[t->cur], c->arg, c->value, msg, sizeof msg);
		trainer_begin(t, t->cur, t->seed);
		break;
	}
	}
}

/* Sleeps until a command or QUIT arrives, or until deadline_ns (< 0: no
 * deadline). The command ring is checked under the mutex that
 * trainer_command signals under, so no wake-up is lost. */
static void trainer_sleep(struct trainer *t, int64_t deadline_ns)
{
	pthread_mutex_lock(&t->sleep_mu);
	while (!atomic_load_explicit(&t->quit, memory_order_acquire) && ring_count(&t->commands) == 0) {
		if (deadline_ns < 0) {
			pthread_cond_wait(&t->wake, &t->sleep_mu);
			continue;
		}
		struct timespec ts = {
			.tv_sec = (time_t)(deadline_ns / 1000000000),
			.tv_nsec = (long)(deadline_ns % 1000000000),
		};
		if (pthread_cond_timedwait(&t->wake, &t->sleep_mu, &ts) == ETIMEDOUT)
			break;
	}
	pthread_mutex_unlock(&t->sleep_mu);
}

static bool trainer_quitting(struct trainer *t)
{
	return atomic_load_explicit(&t->quit, memory_order_acquire);
}

static void *trainer_main(void *arg)
{
	struct trainer *t = arg;
	workers_thread_fp(); /* subnormals as the start-up decided (workers.h) */
	trainer_begin(t, t->cur, t->scenarios[t->cur].seed);
	while (!trainer_quitting(t)) {
		struct op_command c;
		while (!trainer_quitting(t) && ring_pop(&t->commands, &c))
			trainer_apply(t, &c);
		if (trainer_quitting(t))
			break;
		if (t->paused || t->phase != PHASE_ACTIVE) {
			trainer_sleep(t, -1);
			continue;
		}
		if (t->pace > 0) {
			int64_t now = trainer_now_ns();
			if (now < t->deadline_ns) {
				trainer_sleep(t, t->deadline_ns);
				continue;
			}
			/* Absolute deadlines keep the rate exact; after a long
			 * stall (a slow epoch, a suspended VM) rebase instead
			 * of racing to catch up. */
			if (now - t->deadline_ns > PACE_CATCHUP_NS)
				t->deadline_ns = now;
			/* Clamped to [1 ns, 1 h] so a tiny pace cannot
			 * overflow the cast. */
			double period = 1e9 / t->pace;
			period = period < 1 ? 1 : period > 3.6e12 ? 3.6e12 : period;
			t->deadline_ns += (int64_t)period;
		}
		trainer_step(t);
	}
	run_loop_close(&t->run);
	pthread_mutex_lock(&t->sleep_mu);
	t->finished = true;
	pthread_cond_broadcast(&t->gone);
	pthread_mutex_unlock(&t->sleep_mu);
	return NULL;
}

int trainer_start(struct trainer **out, const struct trainer_config *cfg)
{
	*out = NULL;
	if (!cfg || !cfg->scenarios || cfg->n_scenarios < 1 || cfg->initial < 0 || cfg->initial >= cfg->n_scenarios)
		return -1;
	uint32_t cap = cfg->ring_capacity ? cfg->ring_capacity : TRAINER_DEFAULT_CAPACITY;

	struct trainer *t = calloc(1, sizeof(*t));
	if (!t)
		return -1;
	if (ring_init(&t->records, cap, sizeof(struct op_record)) != 0)
		goto fail_t;
	if (ring_init(&t->commands, TRAINER_CMD_CAPACITY, sizeof(struct op_command)) != 0)
		goto fail_records;

	pthread_condattr_t ca;
	if (pthread_condattr_init(&ca) != 0)
		goto fail_commands;
	int rc = pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	if (rc == 0)
		rc = pthread_cond_init(&t->wake, &ca);
	if (rc == 0 && pthread_cond_init(&t->gone, &ca) != 0) {
		pthread_cond_destroy(&t->wake);
		rc = -1;
	}
	pthread_condattr_destroy(&ca);
	if (rc != 0)
		goto fail_commands;
	if (pthread_mutex_init(&t->sleep_mu, NULL) != 0)
		goto fail_cond;
	if (pthread_mutex_init(&t->err_mu, NULL) != 0)
		goto fail_sleep_mu;

	atomic_init(&t->quit, false);
	atomic_init(&t->generation, 0);
	atomic_init(&t->sent, 0);
	t->taken = 0;
	atomic_init(&t->cancels_asked, 0);
	t->scenarios = malloc((size_t)cfg->n_scenarios * sizeof *t->scenarios);
	if (!t->scenarios)
		goto fail_err_mu;
	memcpy(t->scenarios, cfg->scenarios, (size_t)cfg->n_scenarios * sizeof *t->scenarios);
	t->n_scenarios = cfg->n_scenarios;
	t->pace_override = cfg->pace_override >= 0 ? cfg->pace_override : -1;
	t->ops_override = cfg->ops;
	t->team = workers_create(cfg->workers > 0 ? cfg->workers : workers_planned());
	t->cur = cfg->initial;
	t->paused = cfg->start_paused;
	t->em.emit = trainer_emit;
	t->em.ctx = t;
	trainer_set_pace(t, trainer_scenario_pace(t, t->cur));
	atomic_init(&t->state, (int)(t->paused ? TRAINER_PAUSED : TRAINER_RUNNING));

	if (pthread_create(&t->thread, NULL, trainer_main, t) != 0)
		goto fail_scenarios;
	*out = t;
	return 0;

fail_scenarios:
	workers_destroy(t->team);
	free(t->scenarios);
fail_err_mu:
	pthread_mutex_destroy(&t->err_mu);
fail_sleep_mu:
	pthread_mutex_destroy(&t->sleep_mu);
fail_cond:
	pthread_cond_destroy(&t->gone);
	pthread_cond_destroy(&t->wake);
fail_commands:
	ring_destroy(&t->commands);
fail_records:
	ring_destroy(&t->records);
fail_t:
	free(t);
	return -1;
}

static void trainer_wake(struct trainer *t)
{
	pthread_mutex_lock(&t->sleep_mu);
	pthread_cond_signal(&t->wake);
	pthread_mutex_unlock(&t->sleep_mu);
}

/* Waits until the thread has finished or `seconds` have passed; true if
 * it has finished (it may then be joined at once). */
static bool trainer_wait_finished(struct trainer *t, double seconds)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	int64_t end = (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec + (int64_t)(seconds * 1e9);
	ts = (struct timespec){.tv_sec = (time_t)(end / 1000000000), .tv_nsec = (long)(end % 1000000000)};
	pthread_mutex_lock(&t->sleep_mu);
	int rc = 0;
	while (!t->finished && rc != ETIMEDOUT)
		rc = pthread_cond_timedwait(&t->gone, &t->sleep_mu, &ts);
	bool finished = t->finished;
	pthread_mutex_unlock(&t->sleep_mu);
	return finished;
}

bool trainer_stop_within(struct trainer *t, double seconds)
{
	if (!t)
		return true;
	/* The flag, not only the command: the command ring may be full, and a
	 * trainer blocked on a full record ring looks only at the flag. The
	 * cancel flag cuts a long create() or step() short. */
	atomic_store_explicit(&t->quit, true, memory_order_release);
	run_cancel();
	struct op_command quit = {.kind = CMD_QUIT};
	ring_push(&t->commands, &quit);
	trainer_wake(t);
	if (seconds >= 0 && !trainer_wait_finished(t, seconds))
		return false;
	pthread_join(t->thread, NULL);
	/* No run is left to cancel: whatever runs next in this process
	 * starts with the flag down. */
	run_cancel_clear();
	workers_destroy(t->team);
	pthread_mutex_destroy(&t->err_mu);
	pthread_mutex_destroy(&t->sleep_mu);
	pthread_cond_destroy(&t->gone);
	pthread_cond_destroy(&t->wake);
	ring_destroy(&t->commands);
	ring_destroy(&t->records);
	free(t->scenarios);
	free(t);
	return true;
}

void trainer_stop(struct trainer *t)
{
	trainer_stop_within(t, -1);
}

bool trainer_command(struct trainer *t, struct op_command cmd)
{
	bool cancel = trainer_cancels(t, &cmd);
	if (cmd.kind == CMD_QUIT) {
		atomic_store_explicit(&t->quit, true, memory_order_release);
	} else if (cancel && ring_count(&t->commands) >= ring_capacity(&t->commands)) {
		/* A cancelled run waits for its command, so cancel only with room
		 * for it (the UI alone pushes: room seen is room kept). */
		return false;
	}
	if (cancel) {
		/* Counted first, then the flag (trainer_settle_cancel). */
		atomic_fetch_add(&t->cancels_asked, 1);
		run_cancel();
	}
	bool ok = ring_push(&t->commands, &cmd);
	trainer_wake(t);
	return ok;
}

uint32_t trainer_drain(struct trainer *t, struct op_record *out /* (max) */, uint32_t max)
{
	uint32_t n = ring_pop_many(&t->records, out, max);
	t->taken += n;
	return n;
}

bool trainer_records_pending(const struct trainer *t)
{
	return atomic_load_explicit(&t->sent, memory_order_acquire) != t->taken;
}

enum trainer_state trainer_state(const struct trainer *t)
{
	return (enum trainer_state)atomic_load_explicit(&t->state, memory_order_acquire);
}

double trainer_pace(const struct trainer *t)
{
	uint64_t bits = atomic_load_explicit(&t->pace_bits, memory_order_relaxed);
	double pace;
	memcpy(&pace, &bits, sizeof(pace));
	return pace;
}

uint32_t trainer_generation(const struct trainer *t)
{
	return atomic_load_explicit(&t->generation, memory_order_acquire);
}

uint64_t trainer_records_sent(const struct trainer *t)
{
	return atomic_load_explicit(&t->sent, memory_order_acquire);
}

const char *trainer_error(const struct trainer *t)
{
	/* The trainer was allocated non-const; the header's const promises the
	 * caller no visible change, and ui_err is the UI's own scratch copy
	 * (a stable string even if the trainer fails again meanwhile). */
	struct trainer *mt = (struct trainer *)t;
	pthread_mutex_lock(&mt->err_mu);
	memcpy(mt->ui_err, mt->err, sizeof(mt->ui_err));
	pthread_mutex_unlock(&mt->err_mu);
	return mt->ui_err;
}
