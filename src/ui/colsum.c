/* colsum.c: per-column min/max summary of a curve. Points are folded in as
 * they arrive, so a frame costs O(new points + columns), never O(epochs);
 * only a resize or a new x range re-reads the whole series. */
#include <math.h>
#include <stdlib.h>

#include "ui/plot.h"

void colsum_init(struct colsum *c)
{
	*c = (struct colsum){0};
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
	c->consumed = 0;
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

bool colsum_update(struct colsum *c, const struct point_series *ps)
{
	if (c->ncols < 1 || !c->min)
		return false;
	bool changed = false;
	if (ps->n < c->consumed) {
		colsum_blank(c);
		changed = true;
	}
	for (uint32_t i = c->consumed; i < ps->n; i++) {
		float v = (float)ps->value[i]; /* the chart's resolution */
		if (!isfinite(v))
			continue; /* never part of the scale, never drawn */
		int x = epoch_col(ps->epoch[i], c->planned, c->ncols);
		if (isnan(c->min[x]) || v < c->min[x]) {
			c->min[x] = v;
			changed = true;
		}
		if (isnan(c->max[x]) || v > c->max[x]) {
			c->max[x] = v;
			changed = true;
		}
		if (v > 0 && (isnan(c->minpos[x]) || v < c->minpos[x])) {
			c->minpos[x] = v;
			changed = true;
		}
	}
	c->consumed = ps->n;
	return changed;
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
	*minpos = isfinite(p) ? p : NAN;
	return any;
}
