/* run_loop.c: create, step, the runner's marks, destroy: the one loop. */
#include "overparam/run_loop.h"

#include <stdatomic.h>
#include <stdio.h>
#include <time.h>

/* A signal handler may set it: it must not take a lock. */
_Static_assert(ATOMIC_BOOL_LOCK_FREE == 2, "run_cancel() is called from signal handlers");
static atomic_bool cancel_asked;

void run_cancel(void)
{
	atomic_store_explicit(&cancel_asked, true, memory_order_release);
}

void run_cancel_clear(void)
{
	atomic_store_explicit(&cancel_asked, false, memory_order_release);
}

bool run_cancelled(void)
{
	return atomic_load_explicit(&cancel_asked, memory_order_acquire);
}

static double run_loop_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

int run_loop_open(struct run_loop *r, const struct experiment_ops *ops, const struct scenario *sc, uint64_t seed,
		  struct workers *wk, struct emitter *em, char *err, size_t errlen)
{
	*r = (struct run_loop){.ops = ops, .em = em};
	if (ops->create(sc, seed, &r->x, err, errlen) != 0) {
		r->x = NULL;
		/* A create() that gave way to a cancel leaves the message to us. */
		if (run_cancelled())
			snprintf(err, errlen, "%s: cancelled", sc->path);
		return -1;
	}
	if (ops->use_workers)
		ops->use_workers(r->x, wk);
	return 0;
}

bool run_loop_step(struct run_loop *r)
{
	bool more = r->ops->step(r->x, r->em);
	r->epochs++;
	emitter_put(r->em, r->epochs, 0, MET_EPOCH, 0, (double)r->epochs);
	return more;
}

void run_loop_finish(struct run_loop *r)
{
	emitter_put(r->em, r->epochs, 0, MET_DONE, 0, (double)r->epochs);
}

void run_loop_close(struct run_loop *r)
{
	if (r->x)
		r->ops->destroy(r->x);
	r->x = NULL;
}

int experiment_run(const struct experiment_ops *ops, const struct scenario *sc, uint64_t seed, struct workers *wk,
		   struct emitter *em, struct run_stats *st, char *err, size_t errlen)
{
	struct run_loop r;
	if (run_loop_open(&r, ops, sc, seed, wk, em, err, errlen) != 0)
		return -1;
	emitter_put(em, 0, 0, MET_START, 0, (double)seed);
	double t0 = run_loop_now();
	while (run_loop_step(&r))
		;
	double dt = run_loop_now() - t0;
	run_loop_finish(&r);
	run_loop_close(&r);
	if (st)
		*st = (struct run_stats){.epochs = r.epochs, .seconds = dt};
	return 0;
}
