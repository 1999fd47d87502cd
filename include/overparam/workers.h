/* workers.h: a team of threads that share one experiment's work. The
 * runner builds a team once, sized by the start-up decision
 * (workers_startup), and lends it to every experiment it runs
 * (experiment_ops.use_workers). An experiment with independent models, or
 * independent parts of one, cuts a step into shares; the team runs the
 * shares of a phase on its threads and meets at a barrier before the next
 * phase. Helpers sleep between jobs, so an idle team costs no CPU.
 *
 * How a step is cut is the experiment's choice, from its scenario alone:
 * each share writes its own memory, so the results are bit for bit the same
 * on one thread or many. */
#ifndef OVERPARAM_WORKERS_H
#define OVERPARAM_WORKERS_H

#include <stdbool.h>

#define WORKERS_MAX 8 /* threads in a team, the caller's included */
/* When a job pays for a second thread, in multiply-adds (the width sweep's
 * figures, measured on this machine kind): a GEMM call's fixed cost counted
 * as WORKERS_GEMM_COST of them, and the least a job must hold. */
#define WORKERS_GEMM_COST 2e4
#define WORKERS_JOB_MIN 4e5

struct workers;

/* Called once by the program at start-up, before any thread exists. Puts
 * OpenBLAS on one thread (our matrices are small: its hand-offs cost more
 * than they win, and its threads and a team's would fight over the cores)
 * and decides the team size: OVERPARAM_WORKERS when it is a whole number
 * >= 1 (at most WORKERS_MAX), else 2 on two or more cores, else 1; and
 * whether subnormals are flushed (below), applied to the calling thread.
 * Returns the team size. */
int workers_startup(void);

/* The team size workers_startup decided; 1 if it never ran (a test, a
 * benchmark: they size their teams themselves). */
int workers_planned(void);

/* Subnormal floats. Once thousands of Adam steps have decayed the moments
 * of dead units below FLT_MIN, every vector holding one takes a microcode
 * assist (the seed's mode-connectivity net ran at a third of its speed).
 * Flushed (FTZ and DAZ in MXCSR, x86-64 only; elsewhere a no-op), such
 * values read and write as 0, as TensorFlow's CPU kernels run. The program
 * flushes unless told --no-ftz (workers_set_flush(false) before
 * workers_startup) or OVERPARAM_NO_FTZ=1; without workers_startup (a test,
 * a benchmark) nothing is flushed. The mode is per thread: the decision is
 * applied by workers_startup to its caller (the headless runner), by each
 * helper of a team, and by the trainer thread (workers_thread_fp). OpenBLAS
 * runs on the calling thread (workers_startup puts it on one), so its
 * kernels see the caller's mode. */
void workers_set_flush(bool flush);
bool workers_flushing(void);
/* Applies the decision to the calling thread; returns whether it flushes. */
bool workers_thread_fp(void);

/* A team of `threads` threads: the caller's and threads - 1 helpers,
 * asleep until a job comes. NULL when there is no memory for it; a NULL
 * team is valid everywhere and runs every job on the caller's thread. A
 * helper that cannot be started only makes the team smaller. */
struct workers *workers_create(int threads);
/* Wakes the helpers to quit and joins them. NULL is fine. */
void workers_destroy(struct workers *wk);
/* Threads a job may use, the caller's included (1 for NULL). */
int workers_threads(const struct workers *wk);

/* One share of one phase. */
typedef void workers_fn(void *ctx, int phase, int share);

/* Runs fn(ctx, p, s) for every phase p < phases and share s < shares, and
 * returns when all have run. Every share of phase p has finished (and its
 * writes are visible) before any share of phase p + 1 starts. The caller's
 * thread runs shares too: thread t takes shares t, t + n, t + 2n ... of
 * every phase, with n = min(shares, threads). On one thread (or a NULL
 * team) the shares run in order on the caller's thread. phases = 1: just
 * `shares` independent jobs. One caller thread at a time per team. */
void workers_run(struct workers *wk, workers_fn *fn, void *ctx, int phases, int shares);

/* Deals n items to `shares` shares (at most WORKERS_MAX) by cost, to
 * balance the threads' load: largest first (the lower index on a tie), each
 * to the share with the least so far (the lower share on a tie). Items with
 * skip[i] are left out (share_of[i] = -1); skip may be NULL. */
void workers_deal(const double *cost /* (n) */, const bool *skip /* (n) or NULL */, int n, int shares,
		  int *share_of /* (n) */);

#endif
