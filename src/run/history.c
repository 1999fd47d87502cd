/* history.c: the UI's (and the headless runner's) picture of the current
 * run, built from records alone. Owned by one thread; only this file
 * allocates, so the trainer never does. */
#include "overparam/history.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Curves (record.h's metric table) keep every point; events, scalars and
 * the grid keep only their latest value. */
static bool is_curve_metric(enum metric m)
{
	const struct metric_info *mi = metric_info(m);
	return mi && mi->shape == METRIC_CURVE;
}

static void grid_clear(double *g /* (RUN_MAX_GRID) */)
{
	for (int i = 0; i < RUN_MAX_GRID; i++)
		g[i] = NAN;
}

static void clear_run(struct history *h)
{
	h->epoch = 0;
	h->done = false;
	for (int s = 0; s < RUN_MAX_SERIES; s++) {
		h->diverged[s] = false;
		for (int m = 0; m < MET_COUNT; m++) {
			h->last[s][m] = NAN;
			h->last_epoch[s][m] = 0;
			h->seen[s][m] = false;
			h->pts[s][m].n = 0;
			h->grid_epoch[s][m] = 0;
			if (h->grid[s][m])
				grid_clear(h->grid[s][m]);
		}
	}
}

void history_init(struct history *h, bool keep_points)
{
	memset(h, 0, sizeof *h);
	h->keep_points = keep_points;
	h->scenario = -1;
	clear_run(h);
}

void history_free(struct history *h)
{
	for (int s = 0; s < RUN_MAX_SERIES; s++)
		for (int m = 0; m < MET_COUNT; m++) {
			free(h->pts[s][m].epoch);
			free(h->pts[s][m].value);
			h->pts[s][m] = (struct point_series){0};
			free(h->grid[s][m]);
			h->grid[s][m] = NULL;
			free(h->grid_at[s][m]);
			h->grid_at[s][m] = NULL;
		}
}

void history_reset(struct history *h, uint32_t generation)
{
	h->generation = generation;
	h->scenario = -1;
	h->seed = 0;
	clear_run(h);
	h->changes++;
}

/* Doubling growth; on allocation failure the point is dropped, the latest
 * value is still kept, and the chart shows what it has. */
static void append_point(struct point_series *ps, uint32_t epoch, double value)
{
	if (ps->n == ps->cap) {
		uint32_t cap = ps->cap ? ps->cap * 2 : 256;
		if (cap <= ps->cap)
			return;
		uint32_t *e = realloc(ps->epoch, (size_t)cap * sizeof *e);
		if (!e)
			return;
		ps->epoch = e;
		double *v = realloc(ps->value, (size_t)cap * sizeof *v);
		if (!v)
			return;
		ps->value = v;
		ps->cap = cap;
	}
	ps->epoch[ps->n] = epoch;
	ps->value[ps->n] = value;
	ps->n++;
}

/* Generations are free-running: compare by signed distance so the wrap at
 * UINT32_MAX still orders them. */
static bool newer(uint32_t a, uint32_t b)
{
	return (int32_t)(a - b) > 0;
}

bool history_add(struct history *h, const struct op_record *rec)
{
	enum metric m = (enum metric)rec->metric;
	if ((unsigned)m >= MET_COUNT)
		return false;
	if (m == MET_START) {
		/* A start of the current generation counts once, so a reset
		 * UI (which already moved to the next generation) can take
		 * the start it is waiting for. */
		if (newer(rec->generation, h->generation) || (rec->generation == h->generation && h->scenario < 0)) {
			history_reset(h, rec->generation);
			h->scenario = rec->series;
			h->seed = (uint64_t)rec->value;
			return true;
		}
		return false;
	}
	if (rec->generation != h->generation)
		return false;

	switch (m) {
	case MET_EPOCH:
		h->epoch = rec->epoch;
		break;
	case MET_DONE:
		h->done = true;
		if (rec->epoch > h->epoch)
			h->epoch = rec->epoch;
		break;
	default:
		break;
	}
	if (metric_is_grid(m)) {
		int s = rec->series;
		if (rec->index >= RUN_MAX_GRID || s >= RUN_MAX_SERIES)
			return false;
		if (!h->grid[s][m]) {
			h->grid_at[s][m] = calloc(RUN_MAX_GRID, sizeof(uint32_t));
			h->grid[s][m] = h->grid_at[s][m] ? malloc(RUN_MAX_GRID * sizeof(double)) : NULL;
			if (!h->grid[s][m])
				return false;
			grid_clear(h->grid[s][m]);
		}
		h->grid[s][m][rec->index] = rec->value;
		h->grid_at[s][m][rec->index] = rec->epoch;
		h->grid_epoch[s][m] = rec->epoch;
	}
	if (m != MET_EPOCH && m != MET_DONE) {
		int s = rec->series;
		if (s >= RUN_MAX_SERIES)
			return false;
		h->last[s][m] = rec->value;
		h->last_epoch[s][m] = rec->epoch;
		h->seen[s][m] = true;
		if (m == MET_DIVERGED)
			h->diverged[s] = true;
		if (h->keep_points && is_curve_metric(m))
			append_point(&h->pts[s][m], rec->epoch, rec->value);
	}
	h->changes++;
	return true;
}

const double *history_grid(const struct history *h, int series, enum metric m)
{
	if (series < 0 || series >= RUN_MAX_SERIES || (unsigned)m >= MET_COUNT)
		return NULL;
	return h->grid[series][m];
}
