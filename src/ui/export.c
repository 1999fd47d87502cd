/* export.c: the `e` key. The current run's metrics as CSV, written by the
 * one CSV writer (csv.h) in the same columns, quoting and precision as
 * `--headless --csv`, so one script reads both (the grid, as there, under
 * each series' label). The file is new every time:
 * overparam-<scenario file name>-<seed>-<YYYYmmdd-HHMMSS>.csv, then -2,
 * -3, ... within the same second, and it appears only when whole.
 *
 * The UI thread copies what the export needs from the history (one memcpy
 * a curve); a thread of its own formats and writes it, so a large export
 * leaves the keys and the charts live while its progress shows. */
#include <math.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "overparam/csv.h"
#include "ui/widgets.h"

/* Rows between two looks at the cancel flag and two progress updates. */
#define EXPORT_CHUNK 4096

/* The rows of one (series, metric): a curve's points, its latest value, or
 * a grid's positions. */
struct piece {
	int series;
	enum metric metric;
	uint32_t n;
	uint32_t *epoch; /* (n) */
	uint32_t *index; /* (n) */
	double *value;   /* (n) */
};

struct export_job {
	pthread_t thread;
	char scenario[PATH_MAX];
	char label[RUN_MAX_SERIES][32];
	int n_series;
	struct piece *piece; /* (n_piece) in the order the rows are written */
	int n_piece;
	uint64_t total;      /* rows */
	atomic_uint_fast64_t done;
	atomic_bool cancel, finished;
	char target[PATH_MAX + 8]; /* dir/name.csv, for messages before it has its final name */
	struct csv_out out;
	uint32_t kept_from;  /* curves keep points from here on (history_kept_from), 0: all */
};

/* ---- the copy, on the UI thread ---- */

static struct piece *add_piece(struct export_job *j, int s, enum metric m, uint32_t n)
{
	struct piece *p = &j->piece[j->n_piece];
	*p = (struct piece){.series = s, .metric = m, .n = n};
	p->epoch = malloc((n ? n : 1) * sizeof *p->epoch);
	p->index = calloc(n ? n : 1, sizeof *p->index);
	p->value = malloc((n ? n : 1) * sizeof *p->value);
	if (!p->epoch || !p->index || !p->value) {
		free(p->epoch);
		free(p->index);
		free(p->value);
		return NULL;
	}
	j->n_piece++;
	j->total += n;
	return p;
}

/* Curves: every point; events and scalars: the latest. */
static int copy_values(struct export_job *j, const struct history *h, int s, enum metric m)
{
	const struct point_series *ps = &h->pts[s][m];
	struct piece *p;
	if (ps->n > 0) {
		if (!(p = add_piece(j, s, m, ps->n)))
			return -1;
		memcpy(p->epoch, ps->epoch, ps->n * sizeof *p->epoch);
		memcpy(p->value, ps->value, ps->n * sizeof *p->value);
	} else if (h->seen[s][m] && !metric_is_grid(m)) {
		if (!(p = add_piece(j, s, m, 1)))
			return -1;
		p->epoch[0] = h->last_epoch[s][m];
		p->value[0] = h->last[s][m];
	}
	return 0;
}

/* Grids: the latest value at each position that has one. */
static int copy_grid(struct export_job *j, const struct run_desc *d, const struct history *h, int s, enum metric m)
{
	const double *grid = history_grid(h, s, m);
	/* a map's positions are its own, not the run's grid's */
	int at = metric_positions(m) == RUN_MAX_GRID ? d->n_grid : (int)metric_positions(m);
	uint32_t n = 0;
	for (int i = 0; grid && i < at; i++)
		n += !isnan(grid[i]);
	if (n == 0)
		return 0;
	struct piece *p = add_piece(j, s, m, n);
	if (!p)
		return -1;
	n = 0;
	for (int i = 0; i < at; i++)
		if (!isnan(grid[i])) {
			p->epoch[n] = h->grid_at[s][m][i];
			p->index[n] = (uint32_t)i;
			p->value[n++] = grid[i];
		}
	return 0;
}

static int copy_history(struct export_job *j, const struct run_desc *d, const struct history *h)
{
	j->piece = calloc((size_t)2 * RUN_MAX_SERIES * MET_COUNT, sizeof *j->piece);
	if (!j->piece)
		return -1;
	for (int s = 0; s < RUN_MAX_SERIES; s++)
		for (int m = 0; m < MET_COUNT; m++)
			if (copy_values(j, h, s, (enum metric)m) != 0)
				return -1;
	for (int s = 0; s < RUN_MAX_SERIES; s++)
		for (int m = 0; m < MET_COUNT; m++)
			if (copy_grid(j, d, h, s, (enum metric)m) != 0)
				return -1;
	j->n_series = d->n_series;
	for (int s = 0; s < RUN_MAX_SERIES; s++)
		snprintf(j->label[s], sizeof j->label[s], "%s", s < d->n_series ? d->series_label[s] : "run");
	return 0;
}

static void free_job(struct export_job *j)
{
	for (int i = 0; i < j->n_piece; i++) {
		free(j->piece[i].epoch);
		free(j->piece[i].index);
		free(j->piece[i].value);
	}
	free(j->piece);
	free(j);
}

/* ---- the writing, on the export's thread ---- */

static void *export_main(void *arg)
{
	struct export_job *j = arg;
	uint64_t done = 0;
	for (int i = 0; i < j->n_piece && !j->out.err; i++) {
		const struct piece *p = &j->piece[i];
		const char *metric = metric_name(p->metric);
		for (uint32_t r = 0; r < p->n; r++) {
			csv_row(&j->out, j->scenario, j->label[p->series], metric, p->epoch[r], p->index[r], p->value[r]);
			if (++done % EXPORT_CHUNK == 0) {
				atomic_store(&j->done, done);
				if (atomic_load(&j->cancel)) {
					csv_abort(&j->out);
					break;
				}
			}
		}
	}
	if (!j->out.err)
		csv_close(&j->out);
	else
		csv_abort(&j->out);
	atomic_store(&j->done, done);
	atomic_store(&j->finished, true);
	return NULL;
}

/* ---- the UI's side ---- */

/* overparam-<scenario file name without .ini>-<seed>-<local time>. A name
 * too long for the file system is refused when it is opened, not cut. */
void export_stem(const struct scenario *sc, uint64_t seed, char *buf /* (len) */, size_t len)
{
	const char *base = strrchr(sc->path, '/');
	base = base ? base + 1 : sc->path;
	size_t n = strlen(base);
	if (n > 4 && strcmp(base + n - 4, ".ini") == 0)
		n -= 4;
	char stamp[32];
	time_t now = time(NULL);
	struct tm tm;
	localtime_r(&now, &tm);
	strftime(stamp, sizeof stamp, "%Y%m%d-%H%M%S", &tm);
	snprintf(buf, len, "overparam-%.*s-%llu-%s", n ? (int)n : 8, n ? base : "scenario", (unsigned long long)seed,
		 stamp);
}

static void failed(const struct export_job *j, char *msg, size_t len)
{
	/* the reason first: the status line may cut what follows */
	snprintf(msg, len, "export failed: %s: %s", csv_reason(&j->out), j->target);
}

struct export_job *export_start(const char *dir, const struct scenario *sc, const struct run_desc *d,
				const struct history *h, char *msg, size_t len)
{
	struct export_job *j = calloc(1, sizeof *j);
	if (!j) {
		snprintf(msg, len, "export failed: out of memory");
		return NULL;
	}
	if (copy_history(j, d, h) != 0) {
		snprintf(msg, len, "export failed: out of memory for a copy of %llu rows",
			 (unsigned long long)j->total);
		free_job(j);
		return NULL;
	}
	snprintf(j->scenario, sizeof j->scenario, "%s", sc->path);
	j->kept_from = history_kept_from(h);
	char name[PATH_MAX];
	export_stem(sc, h->seed, name, sizeof name);
	const char *in = dir && *dir ? dir : "";
	snprintf(j->target, sizeof j->target, "%s%s%s.csv", in, *in && in[strlen(in) - 1] != '/' ? "/" : "", name);
	if (csv_open_new(&j->out, dir, name) != 0) {
		failed(j, msg, len);
		free_job(j);
		return NULL;
	}
	/* Signals stay with the UI thread, where its handlers expect them. */
	sigset_t all, old;
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &old);
	int rc = pthread_create(&j->thread, NULL, export_main, j);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (rc != 0) {
		csv_abort(&j->out);
		snprintf(msg, len, "export failed: %s: cannot start its thread", strerror(rc));
		free_job(j);
		return NULL;
	}
	snprintf(msg, len, "exporting %llu rows", (unsigned long long)j->total);
	return j;
}

bool export_poll(struct export_job *j, char *msg, size_t len, bool *bad)
{
	*bad = false;
	if (!atomic_load(&j->finished)) {
		uint64_t done = atomic_load(&j->done);
		snprintf(msg, len, "exporting: %llu%% of %llu rows",
			 (unsigned long long)(j->total ? 100 * done / j->total : 0), (unsigned long long)j->total);
		return false;
	}
	if (j->out.err) {
		*bad = true;
		failed(j, msg, len);
	} else if (j->kept_from) {
		/* a folded curve (history.h) has only its latest points: say so */
		snprintf(msg, len, "wrote (summarised before epoch %u): %s", j->kept_from, j->out.path);
	} else {
		snprintf(msg, len, "wrote %s", j->out.path);
	}
	return true;
}

bool export_end(struct export_job *j, double wait)
{
	if (!j)
		return true;
	struct timespec tick = {0, 10L * 1000 * 1000};
	for (double t = 0; t < wait && !atomic_load(&j->finished); t += 0.01)
		nanosleep(&tick, NULL);
	bool whole = atomic_load(&j->finished);
	atomic_store(&j->cancel, true);
	pthread_join(j->thread, NULL);
	whole = whole && !j->out.err;
	free_job(j);
	return whole;
}
