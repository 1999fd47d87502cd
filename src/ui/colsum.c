/* colsum.c: per-column min/max summary of a curve. Points are folded in as
 * they arrive, so a frame costs O(new points + columns), never O(epochs);
 * only a resize or a new x range re-reads the series: its summary of folded
 * points (bounded, history.h) and its kept points. */
#include <math.h>
#include <stdlib.h>

#include "ui/plot.h"

void colsum_init(struct colsum *c)
{
	*c = (struct colsum){.fold_minpos = NAN};
}

void colsum_free(struct colsum *c)
{
	free(c->min);
	free(c->max);
	free(c->minpos);
	colsum_init(c);
}

static void colsum_blank(struct colsum *c)
{
	for (int i = 0; i < c->ncols; i++)
		c->min[i] = c->max[i] = c->minpos[i] = NAN;
	c->fold_minpos = NAN;
	c->consumed = 0;
}

/* Widens column x to take [lo, hi]; true when it changed. */
static bool column_take(struct colsum *c, int x, float lo, float hi)
{
	bool changed = false;
	if (isnan(c->min[x]) || lo < c->min[x]) {
		c->min[x] = lo;
		changed = true;
	}
	if (isnan(c->max[x]) || hi > c->max[x]) {
		c->max[x] = hi;
		changed = true;
	}
	return changed;
}

/* A series' summary of its folded points, range by range. */
static void colsum_take_fold(struct colsum *c, const struct point_fold *f)
{
	for (uint32_t r = 0; f && f->lo && r < f->n; r++)
		if (!isnan(f->lo[r]))
			column_take(c, epoch_col(f->start[r], c->planned, c->ncols), f->lo[r], f->hi[r]);
	c->fold_minpos = f ? f->minpos : NAN;
}

int colsum_reset(struct colsum *c, int ncols, uint32_t planned)
{
	if (ncols < 1)
		ncols = 1;
	if (ncols != c->ncols) {
		colsum_free(c);
		c->min = malloc((size_t)ncols * sizeof *c->min);
		c->max = malloc((size_t)ncols * sizeof *c->max);
		c->minpos = malloc((size_t)ncols * sizeof *c->minpos);
		if (!c->min || !c->max || !c->minpos) {
			colsum_free(c);
			return -1;
		}
		c->ncols = ncols;
	}
	c->planned = planned;
	colsum_blank(c);
	return 0;
}

bool colsum_update_folded(struct colsum *c, const struct point_series *ps, const struct point_fold *f)
{
	if (c->ncols < 1 || !c->min)
		return false;
	bool changed = false;
	uint64_t folded = f ? f->folded : 0;
	uint64_t total = folded + ps->n;
	if (total < c->consumed || c->consumed < folded) {
		colsum_blank(c);
		colsum_take_fold(c, f);
		c->consumed = folded;
		changed = true;
	}
	for (uint32_t i = (uint32_t)(c->consumed - folded); i < ps->n; i++) {
		float v = (float)ps->value[i]; /* the chart's resolution */
		if (!isfinite(v))
			continue; /* never part of the scale, never drawn */
		int x = epoch_col(ps->epoch[i], c->planned, c->ncols);
		changed |= column_take(c, x, v, v);
		if (v > 0 && (isnan(c->minpos[x]) || v < c->minpos[x])) {
			c->minpos[x] = v;
			changed = true;
		}
	}
	c->consumed = total;
	return changed;
}

bool colsum_update(struct colsum *c, const struct point_series *ps)
{
	return colsum_update_folded(c, ps, NULL);
}

bool colsum_extent(const struct colsum *c, double *lo, double *hi, double *minpos)
{
	double l = INFINITY, h = -INFINITY, p = INFINITY;
	bool any = false;
	for (int i = 0; i < c->ncols; i++) {
		if (isnan(c->min[i]))
			continue;
		any = true;
		l = fmin(l, c->min[i]);
		h = fmax(h, c->max[i]);
		if (!isnan(c->minpos[i]))
			p = fmin(p, c->minpos[i]);
	}
	*lo = any ? l : NAN;
	*hi = any ? h : NAN;
	if (!isnan(c->fold_minpos))
		p = fmin(p, c->fold_minpos);
	*minpos = isfinite(p) ? p : NAN;
	return any;
}
