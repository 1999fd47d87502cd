/* store.c: the run store's producer side (store_begin/add/end, called on
 * the thread that sees the records: the UI's or the headless runner's) and
 * its writer thread. The producer appends to a buffer under a mutex; the
 * writer swaps buffers and commits each batch in one transaction, so the
 * run's thread never waits on the disk. */
#include "overparam/store.h"

#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "store/db.h"
#include "store/meta.h"

#define BATCH_RECORDS 8192      /* a full batch wakes the writer at once */
#define BATCH_WAIT_NS 100000000 /* else it commits every 0.1 s */
#define BUFFER_MAX (1u << 20)   /* entries (32 MiB): a writer this far behind stops the recording */
#define SPARE_MAX ((size_t)4 * BATCH_RECORDS) /* a bigger emptied buffer is given back */

struct buffer {
	struct entry *e; /* (cap) */
	size_t n, cap;
};

struct store {
	struct store_settings set;
	sqlite3 *db;
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t wake, synced;
	struct buffer in;        /* the producer's, under mu */
	bool quit;               /* under mu */
	uint64_t handed, committed; /* batches: asked for by store_sync, written (under mu) */
	atomic_bool off;         /* recording stopped: the producer drops everything */
	bool run_open;           /* producer side: a run is open */
	int n_series;            /* producer side: the open run's series */
	uint32_t diverged;       /* producer side: bit i, series i sent MET_DIVERGED */
	char err[STORE_ERR_LEN];  /* under mu */
	struct writer w;         /* the writer thread's alone */
};

static struct store *default_store;

struct store *store_default(void)
{
	return default_store;
}

void store_set_default(struct store *st)
{
	default_store = st;
}

const char *store_status_word(enum store_status s)
{
	static const char *const words[] = {"running", "done", "diverged", "cancelled", "interrupted"};
	return (unsigned)s < sizeof words / sizeof words[0] ? words[s] : "unknown";
}

void store_settings_default(struct store_settings *s)
{
	memset(s, 0, sizeof *s);
	s->enabled = true;
	s->keep_runs = 200;
	s->keep_mb = 512;
	const char *xdg = getenv("XDG_DATA_HOME");
	const char *home = getenv("HOME");
	if (xdg && xdg[0] == '/')
		snprintf(s->path, sizeof s->path, "%s/overparam/runs.db", xdg);
	else if (home && *home)
		snprintf(s->path, sizeof s->path, "%s/.local/share/overparam/runs.db", home);
	else
		s->enabled = false; /* nowhere to keep it */
}

/* ---- the producer ---- */

static void stop_recording(struct store *st, const char *why)
{
	if (!st->err[0])
		snprintf(st->err, sizeof st->err, "overparam: store: %s: %s; recording stopped", st->set.path, why);
	atomic_store(&st->off, true);
}

/* Appends one entry; false when it was dropped (stopped, or no room). */
static bool put(struct store *st, const struct entry *e)
{
	if (atomic_load_explicit(&st->off, memory_order_relaxed))
		return false;
	pthread_mutex_lock(&st->mu);
	struct buffer *b = &st->in;
	if (b->n == b->cap) {
		size_t cap = b->cap ? 2 * b->cap : 4096;
		struct entry *grown = cap <= BUFFER_MAX ? realloc(b->e, cap * sizeof *grown) : NULL;
		if (!grown) {
			stop_recording(st, "the writer fell behind");
			pthread_mutex_unlock(&st->mu);
			return false;
		}
		b->e = grown;
		b->cap = cap;
	}
	b->e[b->n++] = *e;
	/* the first entry starts the writer's BATCH_WAIT_NS; a full batch or a
	 * run's start or end is written at once */
	if (b->n == 1 || b->n == BATCH_RECORDS || e->kind != E_REC)
		pthread_cond_signal(&st->wake);
	pthread_mutex_unlock(&st->mu);
	return true;
}

void store_begin(struct store *st, const struct scenario *sc, uint64_t seed, const char *mode)
{
	if (!st)
		return;
	if (st->run_open)
		store_end(st, STORE_CANCELLED);
	struct run_meta *m = meta_make(sc, seed, mode);
	struct entry e = {.kind = E_BEGIN, .u.meta = m};
	if (!m) {
		pthread_mutex_lock(&st->mu);
		stop_recording(st, "out of memory");
		pthread_mutex_unlock(&st->mu);
		return;
	}
	int n_series = m->n_series;
	if (!put(st, &e)) {
		meta_free(m);
		return;
	}
	st->run_open = true;
	st->n_series = n_series;
	st->diverged = 0;
}

void store_add(struct store *st, const struct op_record *rec)
{
	if (!st || !st->run_open)
		return;
	struct entry e = {.kind = E_REC, .u.rec = *rec};
	put(st, &e);
	if (rec->metric == MET_DIVERGED && rec->series < 32)
		st->diverged |= UINT32_C(1) << rec->series;
	if (rec->metric == MET_DONE) {
		uint32_t all = st->n_series >= 32 ? UINT32_MAX : (UINT32_C(1) << st->n_series) - 1;
		store_end(st, st->n_series > 0 && (st->diverged & all) == all ? STORE_DIVERGED : STORE_DONE);
	}
}

void store_set_paused(struct store *st, bool paused)
{
	if (!st)
		return;
	struct entry e = {.kind = E_PAUSED, .u.paused = paused};
	put(st, &e);
}

void store_end(struct store *st, enum store_status status)
{
	if (!st || !st->run_open)
		return;
	st->run_open = false;
	struct entry e = {.kind = E_END, .u.status = status};
	put(st, &e);
}

const char *store_error(struct store *st)
{
	if (!st)
		return "";
	pthread_mutex_lock(&st->mu);
	static char copy[STORE_ERR_LEN];
	snprintf(copy, sizeof copy, "%s", st->err);
	pthread_mutex_unlock(&st->mu);
	return copy;
}

/* ---- the writer ---- */

static void free_entries(struct entry *e /* (n) */, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (e[i].kind == E_BEGIN)
			meta_free(e[i].u.meta);
}

static void *writer_main(void *arg)
{
	struct store *st = arg;

	struct buffer spare = {0};
	pthread_mutex_lock(&st->mu);
	for (;;) {
		while (!st->quit && st->in.n == 0 && st->committed == st->handed)
			pthread_cond_wait(&st->wake, &st->mu);
		if (st->in.n > 0 && st->in.n < BATCH_RECORDS && !st->quit && st->committed == st->handed) {
			/* a part batch: let it fill for a moment */
			struct timespec ts;
			clock_gettime(CLOCK_REALTIME, &ts);
			ts.tv_nsec += BATCH_WAIT_NS;
			if (ts.tv_nsec >= 1000000000L) {
				ts.tv_sec++;
				ts.tv_nsec -= 1000000000L;
			}
			pthread_cond_timedwait(&st->wake, &st->mu, &ts);
		}
		struct buffer batch = st->in;
		st->in = spare;
		st->in.n = 0;
		uint64_t upto = st->handed;
		bool quit = st->quit;
		pthread_mutex_unlock(&st->mu);

		char why[256] = "";
		if (batch.n > 0 && !atomic_load(&st->off) && writer_commit(&st->w, batch.e, batch.n, why, sizeof why) != 0) {
			pthread_mutex_lock(&st->mu);
			stop_recording(st, why);
			pthread_mutex_unlock(&st->mu);
		}
		free_entries(batch.e, batch.n);
		spare = batch;
		if (spare.cap > SPARE_MAX) { /* a backlog's buffer: memory back */
			free(spare.e);
			spare = (struct buffer){0};
		}

		pthread_mutex_lock(&st->mu);
		if (st->committed < upto)
			st->committed = upto;
		pthread_cond_broadcast(&st->synced);
		if (quit && st->in.n == 0)
			break;
	}
	pthread_mutex_unlock(&st->mu);
	free(spare.e);
	return NULL;
}

void store_sync(struct store *st)
{
	if (!st)
		return;
	pthread_mutex_lock(&st->mu);
	uint64_t want = ++st->handed;
	pthread_cond_signal(&st->wake);
	while (st->committed < want && !st->quit)
		pthread_cond_wait(&st->synced, &st->mu);
	pthread_mutex_unlock(&st->mu);
}

int store_open(struct store **out, const struct store_settings *s, char *err, size_t errlen)
{
	*out = NULL;
	struct store *st = calloc(1, sizeof *st);
	if (!st) {
		snprintf(err, errlen, "overparam: store: out of memory");
		return -1;
	}
	st->set = *s;
	if (db_open(&st->db, s->path, true, err, errlen) != 0) {
		free(st);
		return -1;
	}
	if (writer_init(&st->w, st->db, s, err, errlen) != 0) {
		sqlite3_close(st->db);
		free(st);
		return -1;
	}
	pthread_mutex_init(&st->mu, NULL);
	pthread_cond_init(&st->wake, NULL);
	pthread_cond_init(&st->synced, NULL);
	if (pthread_create(&st->thread, NULL, writer_main, st) != 0) {
		snprintf(err, errlen, "overparam: store: cannot start its writer thread");
		writer_free(&st->w);
		sqlite3_close(st->db);
		free(st);
		return -1;
	}
	*out = st;
	return 0;
}

void store_close(struct store *st)
{
	if (!st)
		return;
	store_end(st, STORE_INTERRUPTED);
	pthread_mutex_lock(&st->mu);
	st->quit = true;
	pthread_cond_signal(&st->wake);
	pthread_mutex_unlock(&st->mu);
	pthread_join(st->thread, NULL);
	free_entries(st->in.e, st->in.n);
	free(st->in.e);
	writer_free(&st->w);
	sqlite3_close(st->db);
	pthread_mutex_destroy(&st->mu);
	pthread_cond_destroy(&st->wake);
	pthread_cond_destroy(&st->synced);
	if (default_store == st)
		default_store = NULL;
	free(st);
}
