/* group.c: views that share one y scale (view_spec.scale_group) and the
 * scenario's headline chart. Pure: no terminal, so tests check it. */
#include <math.h>

#include "ui/widgets.h"

/* The largest finite value of one grid metric of one series, NaN: none. */
static double grid_top(const struct history *h, const struct run_desc *d, int s, enum metric m)
{
	const double *g = history_grid(h, s, m);
	double top = NAN;
	for (int i = 0; g && i < d->n_grid && i < RUN_MAX_GRID; i++)
		if (isfinite(g[i]) && (isnan(top) || g[i] > top))
			top = g[i];
	return top;
}

static double view_top(const struct run_desc *d, int v, const struct history *h, const double *line_top)
{
	const struct view_spec *vs = &d->views[v];
	double top = NAN;
	if (vs->kind == VIEW_BARS) {
		int series[RUN_MAX_SERIES];
		int n = view_list_series(vs, d->n_series, series);
		top = grid_top(h, d, n > 0 ? series[0] : 0, vs->n_metrics > 0 ? vs->metrics[0] : MET_INTERP_LOSS);
	} else if (vs->kind == VIEW_LINES && vs->x_grid) {
		int series[RUN_MAX_SERIES];
		int n = view_list_series(vs, d->n_series, series);
		for (int i = 0; i < n; i++)
			for (int k = 0; k < vs->n_metrics; k++)
				top = fmax(top, grid_top(h, d, series[i], vs->metrics[k])); /* fmax skips a NaN */
	} else if (vs->kind == VIEW_LINES && line_top) {
		top = line_top[v];
	}
	return top;
}

double scale_group_top(const struct run_desc *d, int v, const struct history *h, const double *line_top)
{
	int g = d->views[v].scale_group;
	if (g == 0)
		return NAN;
	double top = NAN;
	for (int u = 0; u < d->n_views && u < RUN_MAX_VIEWS; u++)
		if (d->views[u].scale_group == g) {
			double t = view_top(d, u, h, line_top);
			if (isfinite(t))
				top = isnan(top) || t > top ? t : top;
		}
	return top;
}

static bool is_chart(const struct view_spec *v)
{
	return v->kind == VIEW_LINES || v->kind == VIEW_BARS;
}

int view_headline(const struct run_desc *d)
{
	int best = -1;
	for (int v = 0; v < d->n_views && v < RUN_MAX_VIEWS; v++) {
		const struct view_spec *vs = &d->views[v];
		if (!is_chart(vs))
			continue;
		if (vs->headline)
			return v;
		if (best < 0 || vs->weight > d->views[best].weight)
			best = v;
	}
	return best;
}

bool view_with_headline(const struct run_desc *d, int v)
{
	int h = view_headline(d);
	if (h < 0 || v < 0 || v >= d->n_views)
		return false;
	return v == h || (d->views[h].scale_group != 0 && d->views[v].scale_group == d->views[h].scale_group &&
			  is_chart(&d->views[v]));
}
