/* workers.c: the team. The caller's thread (the trainer's, the headless
 * runner's) is thread 0 and works too; helpers 1 .. threads - 1 wait on a
 * gate each for a job. Within a job the threads meet through one arrival
 * counter and one gate: the last thread to reach a meeting opens it. No
 * lock, allocation or formatting per job; a waiter spins, then yields, then
 * sleeps on a futex, so an idle helper (a paused run, a slow pace) uses no
 * CPU, while a busy one answers within microseconds. */
#include "overparam/workers.h"

#include <limits.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#if defined(__linux__) && !defined(WORKERS_NO_FUTEX)
#include <linux/futex.h>
#include <sys/syscall.h>
#define WORKERS_FUTEX 1
#else
#define WORKERS_FUTEX 0
#endif

#include "overparam/linalg.h"

#if defined(__x86_64__)
#include <pmmintrin.h>
#include <xmmintrin.h>
#define WORKERS_MXCSR 1
#else
#define WORKERS_MXCSR 0
#endif

/* How long a waiter keeps the CPU before it sleeps: long at a meeting in
 * mid-job, where the others are computing their shares and will arrive
 * soon (a sleep and a wake-up cost tens of microseconds, more on a busy
 * machine); short between jobs, which may be far apart (paused, or a slow
 * pace). After WORKERS_SPIN_NS it yields rather than spins: with another
 * process on the other core our two threads share one, and pure spinning
 * made the seed's width sweep 3x slower than one thread there (measured),
 * while yielding keeps the team's gain on a quiet machine and costs nothing
 * on a busy one. */
#define WORKERS_SPIN_NS 20000
#define WORKERS_SPIN_BUSY_NS 2000000
#define WORKERS_SPIN_IDLE_NS 50000

/* A counter some threads post to and others wait on. */
struct gate {
	_Atomic uint32_t seq;      /* posts so far */
	_Atomic uint32_t sleepers; /* waiters past their spin */
#if !WORKERS_FUTEX
	pthread_mutex_t mu;
	pthread_cond_t cv;
#endif
};

/* What every thread of a job needs, copied by each at its start: the
 * caller rewrites it for the next job while a helper may still be leaving
 * this one's last meeting. */
struct job {
	workers_fn *fn;
	void *ctx;
	int phases, shares;
	int used;      /* threads taking part: min(shares, threads) */
	uint32_t base; /* meetings opened before this job */
};

struct helper {
	struct workers *team;
	int index;         /* its thread number, 1 .. threads - 1 */
	pthread_t thread;
	struct gate start; /* caller -> this helper: a job (or quit) is ready */
	uint32_t seen;     /* posts to start consumed (this helper only) */
};

struct workers {
	int threads;   /* the caller's and the helpers that started */
	struct helper helper[WORKERS_MAX - 1];
	struct job job;        /* written by the caller before it posts start */
	_Atomic uint32_t arrived; /* arrivals at this job's meetings so far */
	struct gate meet;      /* opened (posted) by the last arrival at each meeting */
	uint32_t meetings;     /* meetings opened so far (caller only) */
	atomic_bool quit;
};

static int planned_threads = 1; /* written once, by workers_startup */
/* Whether threads flush subnormals: -1 undecided (nothing flushed), 0, 1.
 * Written before any thread starts (main, workers_startup). */
static int planned_flush = -1;

/* ---- the gate ---- */

static int64_t workers_now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static void cpu_relax(void)
{
#if defined(__x86_64__) || defined(__i386__)
	__builtin_ia32_pause();
#endif
}

static bool gate_reached(uint32_t seq, uint32_t target)
{
	return (int32_t)(seq - target) >= 0; /* free-running: wraps */
}

static int gate_init(struct gate *g)
{
	atomic_init(&g->seq, 0);
	atomic_init(&g->sleepers, 0);
#if !WORKERS_FUTEX
	if (pthread_mutex_init(&g->mu, NULL) != 0)
		return -1;
	if (pthread_cond_init(&g->cv, NULL) != 0) {
		pthread_mutex_destroy(&g->mu);
		return -1;
	}
#endif
	return 0;
}

static void gate_destroy(struct gate *g)
{
#if !WORKERS_FUTEX
	pthread_cond_destroy(&g->cv);
	pthread_mutex_destroy(&g->mu);
#else
	(void)g;
#endif
}

/* Sleeps while the counter still reads `seen` (or returns at once if it
 * moved: no lost wake-up). */
static void gate_sleep(struct gate *g, uint32_t seen)
{
#if WORKERS_FUTEX
	syscall(SYS_futex, (void *)&g->seq, FUTEX_WAIT_PRIVATE, seen, NULL, NULL, 0);
#else
	pthread_mutex_lock(&g->mu);
	while (atomic_load_explicit(&g->seq, memory_order_seq_cst) == seen)
		pthread_cond_wait(&g->cv, &g->mu);
	pthread_mutex_unlock(&g->mu);
#endif
}

static void gate_wake(struct gate *g)
{
#if WORKERS_FUTEX
	syscall(SYS_futex, (void *)&g->seq, FUTEX_WAKE_PRIVATE, INT_MAX, NULL, NULL, 0);
#else
	pthread_mutex_lock(&g->mu);
	pthread_cond_broadcast(&g->cv);
	pthread_mutex_unlock(&g->mu);
#endif
}

/* Publishes everything this thread wrote before (release), and wakes the
 * waiters only if one went to sleep. The seq_cst increment here and the
 * one of `sleepers` in gate_wait order against each other: either the
 * waiter sees the new count, or this sees the sleeper. */
static void gate_post(struct gate *g)
{
	atomic_fetch_add_explicit(&g->seq, 1, memory_order_seq_cst);
	if (atomic_load_explicit(&g->sleepers, memory_order_seq_cst) != 0)
		gate_wake(g);
}

/* Returns once the gate has seen `target` posts (acquire). Spins for
 * WORKERS_SPIN_NS, then yields the CPU in a loop until `patience_ns`, then
 * sleeps. Yielding matters on a busy machine: when another process holds
 * the other core, our threads share one, and a waiter that spun would keep
 * its partner from running at all. */
static void gate_wait(struct gate *g, uint32_t target, int64_t patience_ns)
{
	int64_t start = 0;
	for (unsigned i = 1;; i++) {
		if (gate_reached(atomic_load_explicit(&g->seq, memory_order_acquire), target))
			return;
		if ((i & 63) == 0) {
			int64_t t = workers_now_ns();
			if (start == 0)
				start = t;
			else if (t - start > patience_ns)
				break;
			else if (t - start > WORKERS_SPIN_NS)
				sched_yield();
		}
		cpu_relax();
	}
	atomic_fetch_add_explicit(&g->sleepers, 1, memory_order_seq_cst);
	for (;;) {
		uint32_t s = atomic_load_explicit(&g->seq, memory_order_seq_cst);
		if (gate_reached(s, target))
			break;
		gate_sleep(g, s);
	}
	atomic_fetch_sub_explicit(&g->sleepers, 1, memory_order_seq_cst);
}

/* ---- a job ---- */

/* Thread t's arrival at the meeting after phase p. The last to arrive
 * (acq_rel: it has seen every other's writes) opens it; the others wait if
 * they must. After the last phase only the caller waits: a helper goes
 * straight back to waiting for the next job. */
static void meet(struct workers *wk, const struct job *j, int p, bool wait)
{
	uint32_t n = atomic_fetch_add_explicit(&wk->arrived, 1, memory_order_acq_rel) + 1;
	if (n == (uint32_t)j->used * (uint32_t)(p + 1))
		gate_post(&wk->meet);
	else if (wait)
		gate_wait(&wk->meet, j->base + (uint32_t)p + 1, WORKERS_SPIN_BUSY_NS);
}

static void run_shares(struct workers *wk, const struct job *j, int t)
{
	for (int p = 0; p < j->phases; p++) {
		for (int s = t; s < j->shares; s += j->used)
			j->fn(j->ctx, p, s);
		meet(wk, j, p, t == 0 || p + 1 < j->phases);
	}
}

static void *helper_main(void *arg)
{
	struct helper *h = arg;
	struct workers *wk = h->team;
	workers_thread_fp();
	for (;;) {
		gate_wait(&h->start, ++h->seen, WORKERS_SPIN_IDLE_NS);
		if (atomic_load_explicit(&wk->quit, memory_order_acquire))
			break;
		struct job j = wk->job;
		run_shares(wk, &j, h->index);
	}
	return NULL;
}

void workers_run(struct workers *wk, workers_fn *fn, void *ctx, int phases, int shares)
{
	int used = wk && wk->threads < shares ? wk->threads : shares;
	if (!wk || used <= 1) {
		for (int p = 0; p < phases; p++)
			for (int s = 0; s < shares; s++)
				fn(ctx, p, s);
		return;
	}
	if (phases <= 0)
		return;
	wk->job = (struct job){.fn = fn, .ctx = ctx, .phases = phases, .shares = shares, .used = used,
			       .base = wk->meetings};
	atomic_store_explicit(&wk->arrived, 0, memory_order_relaxed); /* published by the posts below */
	for (int t = 1; t < used; t++)
		gate_post(&wk->helper[t - 1].start);
	run_shares(wk, &wk->job, 0);
	wk->meetings += (uint32_t)phases;
}

/* ---- the team ---- */

struct workers *workers_create(int threads)
{
	struct workers *wk = calloc(1, sizeof *wk);
	if (!wk)
		return NULL;
	atomic_init(&wk->arrived, 0);
	atomic_init(&wk->quit, false);
	wk->threads = 1;
	if (gate_init(&wk->meet) != 0) {
		free(wk);
		return NULL;
	}
	int want = threads < 1 ? 1 : threads > WORKERS_MAX ? WORKERS_MAX : threads;
	for (int t = 1; t < want; t++) {
		struct helper *h = &wk->helper[t - 1];
		h->team = wk;
		h->index = t;
		if (gate_init(&h->start) != 0)
			break;
		if (pthread_create(&h->thread, NULL, helper_main, h) != 0) {
			gate_destroy(&h->start);
			break; /* a smaller team gives the same results */
		}
		wk->threads = t + 1;
	}
	return wk;
}

void workers_destroy(struct workers *wk)
{
	if (!wk)
		return;
	atomic_store_explicit(&wk->quit, true, memory_order_release);
	for (int t = 1; t < wk->threads; t++)
		gate_post(&wk->helper[t - 1].start);
	for (int t = 1; t < wk->threads; t++) {
		pthread_join(wk->helper[t - 1].thread, NULL);
		gate_destroy(&wk->helper[t - 1].start);
	}
	gate_destroy(&wk->meet);
	free(wk);
}

int workers_threads(const struct workers *wk)
{
	return wk ? wk->threads : 1;
}

void workers_deal(const double *cost /* (n) */, const bool *skip /* (n) or NULL */, int n, int shares,
		  int *share_of /* (n) */)
{
	double load[WORKERS_MAX] = {0};
	int m = shares < 1 ? 1 : shares;
	if (m > WORKERS_MAX)
		m = WORKERS_MAX;
	for (int i = 0; i < n; i++)
		share_of[i] = -1;
	for (;;) {
		int pick = -1;
		for (int i = 0; i < n; i++)
			if (!(skip && skip[i]) && share_of[i] < 0 && (pick < 0 || cost[i] > cost[pick]))
				pick = i;
		if (pick < 0)
			return;
		int s = 0;
		for (int k = 1; k < m; k++)
			if (load[k] < load[s])
				s = k;
		share_of[pick] = s;
		load[s] += cost[pick];
	}
}

/* ---- the start-up decision ---- */

void workers_set_flush(bool flush)
{
	planned_flush = flush;
}

bool workers_flushing(void)
{
	return planned_flush == 1;
}

bool workers_thread_fp(void)
{
	bool flush = workers_flushing();
#if WORKERS_MXCSR
	_MM_SET_FLUSH_ZERO_MODE(flush ? _MM_FLUSH_ZERO_ON : _MM_FLUSH_ZERO_OFF);
	_MM_SET_DENORMALS_ZERO_MODE(flush ? _MM_DENORMALS_ZERO_ON : _MM_DENORMALS_ZERO_OFF);
	return flush;
#else
	return false;
#endif
}

int workers_startup(void)
{
	linalg_set_threads(1);
	const char *exact = getenv("OVERPARAM_NO_FTZ");
	if (exact && *exact && strcmp(exact, "0") != 0)
		planned_flush = 0;
	else if (planned_flush < 0)
		planned_flush = 1;
	workers_thread_fp();
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	planned_threads = cpus >= 2 ? 2 : 1;
	const char *s = getenv("OVERPARAM_WORKERS");
	if (s && *s) {
		char *end;
		long v = strtol(s, &end, 10);
		if (*end == '\0' && v >= 1)
			planned_threads = v > WORKERS_MAX ? WORKERS_MAX : (int)v;
	}
	return planned_threads;
}

int workers_planned(void)
{
	return planned_threads;
}
