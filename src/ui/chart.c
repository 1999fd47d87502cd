/* chart.c: the line chart. Curves come from per-column summaries, so a
 * frame costs O(cells) however long the run; the x axis spans the planned
 * epochs from the start and the y axis only grows, so a new epoch changes a
 * few cells and the terminal is sent little. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "ui/widgets.h"

/* A curve's metric in its legend: the metric table's label. */
static const char *metric_short(enum metric m)
{
	const struct metric_info *mi = metric_info(m);
	return mi ? mi->label : metric_name(m);
}

/* The labels' common start up to a space ("width " of "width 10",
 * "width 500"), said once in the legend. */
static void common_prefix(struct chart *c)
{
	c->legend_prefix[0] = 0;
	if (c->ncurves < 2)
		return;
	size_t n = strlen(c->curve[0].label);
	for (int k = 1; k < c->ncurves; k++) {
		size_t i = 0;
		while (i < n && c->curve[k].label[i] == c->curve[0].label[i])
			i++;
		n = i;
	}
	while (n > 0 && c->curve[0].label[n - 1] != ' ')
		n--;
	/* Only a prefix before numbers reads well said once ("width 10 50");
	 * "net A", "net B" stay whole. */
	for (int k = 0; k < c->ncurves; k++) {
		char next = c->curve[k].label[n];
		if (strlen(c->curve[k].label) <= n || next < '0' || next > '9')
			return;
	}
	if (n >= sizeof c->legend_prefix)
		return;
	memcpy(c->legend_prefix, c->curve[0].label, n);
	c->legend_prefix[n] = 0;
}

void chart_init(struct chart *c, const struct view_spec *v, const struct run_desc *d, bool log, bool glyphs)
{
	memset(c, 0, sizeof *c);
	c->view = v;
	c->desc = d;
	c->glyphs = glyphs;
	int series[RUN_MAX_SERIES];
	int nseries = view_list_series(v, d->n_series, series);
	for (int mi = 0; mi < v->n_metrics && mi < VIEW_MAX_METRICS; mi++) {
		for (int i = 0; i < nseries && c->ncurves < CHART_MAX_CURVES; i++) {
			int s = series[i];
			struct chart_curve *cv = &c->curve[c->ncurves++];
			cv->series = s;
			cv->metric = v->metrics[mi];
			if (v->n_metrics == 1)
				snprintf(cv->label, sizeof cv->label, "%s", d->series_label[s]);
			else if (nseries == 1)
				snprintf(cv->label, sizeof cv->label, "%s", metric_short(cv->metric));
			else
				snprintf(cv->label, sizeof cv->label, "%s %s", d->series_label[s], metric_short(cv->metric));
			colsum_init(&cv->cs);
		}
	}
	common_prefix(c);
	c->shared_top = NAN;
	colsum_init(&c->ghost_cs);
	canvas_init(&c->cv);
	axis_clear(&c->y, log);
}

/* The x span the summaries map onto columns: the planned epochs, or the
 * grid's positions 0 .. n_grid - 1. */
static uint32_t chart_span(const struct chart *c)
{
	if (c->view->x_grid)
		return (uint32_t)(c->desc->n_grid > 1 ? c->desc->n_grid - 1 : 1);
	return (uint32_t)(c->desc->planned_epochs > 0 ? c->desc->planned_epochs : 1);
}

/* A grid curve as points (index, value), skipping positions not yet sent. */
static const struct point_series *grid_points(struct chart *c, const struct chart_curve *cv, const struct history *h)
{
	const double *g = history_grid(h, cv->series, cv->metric);
	c->gpts = (struct point_series){.epoch = c->gpts_index, .value = c->gpts_value, .cap = RUN_MAX_GRID};
	for (int i = 0; g && i < c->desc->n_grid && i < RUN_MAX_GRID; i++)
		if (!isnan(g[i])) {
			c->gpts_index[c->gpts.n] = (uint32_t)i;
			c->gpts_value[c->gpts.n] = g[i];
			c->gpts.n++;
		}
	return &c->gpts;
}

static uint64_t grid_digest(const struct history *h, const struct chart_curve *cv, int n)
{
	const double *g = history_grid(h, cv->series, cv->metric);
	uint64_t d = 1469598103934665603ull;
	for (int i = 0; g && i < n && i < RUN_MAX_GRID; i++) {
		uint64_t bits;
		memcpy(&bits, &g[i], sizeof bits);
		d = (d ^ bits) * 1099511628211ull;
	}
	return d;
}

/* Folds a curve's new points into its summary. Grid values can change in
 * place (a later evaluation), so a grid curve is summarised afresh: at most
 * RUN_MAX_GRID points. */
static bool fold_curve(struct chart *c, int k, const struct history *h)
{
	struct chart_curve *cv = &c->curve[k];
	if (!c->view->x_grid)
		return colsum_update_folded(&cv->cs, &h->pts[cv->series][cv->metric], &h->fold[cv->series][cv->metric]);
	uint64_t dg = grid_digest(h, cv, c->desc->n_grid);
	bool changed = dg != c->grid_digest[k];
	c->grid_digest[k] = dg;
	colsum_reset(&cv->cs, cv->cs.ncols, chart_span(c));
	colsum_update(&cv->cs, grid_points(c, cv, h));
	return changed;
}

void chart_free(struct chart *c)
{
	for (int k = 0; k < c->ncurves; k++)
		colsum_free(&c->curve[k].cs);
	colsum_free(&c->ghost_cs);
	canvas_free(&c->cv);
}

void chart_reset(struct chart *c, bool log)
{
	axis_clear(&c->y, log);
	/* Zero plot size: the next draw rebuilds every summary from the
	 * history's points. */
	c->plot_w = c->plot_h = 0;
}

static bool curve_diverged(const struct chart_curve *cv, const struct history *h)
{
	double last = h->last[cv->series][cv->metric];
	return h->diverged[cv->series] || (h->seen[cv->series][cv->metric] && !isfinite(last));
}

static uint32_t diverged_mask(const struct chart *c, const struct history *h)
{
	uint32_t m = 0;
	for (int k = 0; k < c->ncurves && k < 32; k++)
		if (curve_diverged(&c->curve[k], h))
			m |= 1u << k;
	return m;
}

bool chart_update(struct chart *c, const struct history *h)
{
	if (c->plot_w == 0)
		return true;
	/* A curve going non-finite moves no column, but the legend says so. */
	bool changed = diverged_mask(c, h) != c->diverged;
	for (int k = 0; k < c->ncurves; k++)
		changed |= fold_curve(c, k, h);
	return changed;
}

/* Calls fn(c, ghost curve, k, ctx) for each ghost curve shown that is of
 * the chart's curve k. */
static void each_ghost_curve(struct chart *c, void (*fn)(struct chart *, const struct ghost_curve *, int, void *),
			     void *ctx)
{
	const struct ghost_set *gs = c->ghosts;
	for (int i = 0; gs && !c->view->x_grid && i < gs->n; i++) {
		const struct ghost *g = &gs->g[i];
		if (!ghost_shown(gs, g, c->ghost_scenario, c->ghost_path))
			continue;
		for (int j = 0; j < g->n; j++)
			for (int k = 0; k < c->ncurves; k++)
				if (g->curve[j].series == c->curve[k].series && g->curve[j].metric == c->curve[k].metric)
					fn(c, &g->curve[j], k, ctx);
	}
}

static void ghost_cover(struct chart *c, const struct ghost_curve *gc, int k, void *changed)
{
	(void)k;
	for (uint32_t p = 0; p < gc->n; p++) {
		double v = gc->value[p];
		if (isfinite(v) && (!c->y.log || v > 0))
			*(bool *)changed |= axis_cover(&c->y, v, v);
	}
}

/* Grows the y axis over every curve, the ghosts and the reference line; on a log axis
 * a curve at 0 (an exact fit) gets a row of its own, labelled 0, under the
 * decades, rather than the look of the axis' smallest value. */
static bool chart_fit_axis(struct chart *c, int sy)
{
	bool changed = false, zero = false;
	each_ghost_curve(c, ghost_cover, &changed);
	for (int k = 0; k < c->ncurves; k++) {
		double lo, hi, mp;
		if (!colsum_extent(&c->curve[k].cs, &lo, &hi, &mp))
			continue;
		changed |= axis_cover(&c->y, c->y.log ? mp : lo, hi);
		zero |= c->y.log && lo <= 0;
	}
	changed |= zero != (c->y.zero_dots > 0);
	c->y.zero_dots = zero ? sy : 0;
	double hl = c->hline;
	if (isfinite(hl))
		changed |= axis_cover(&c->y, hl, hl);
	if (isfinite(c->shared_top))
		changed |= axis_cover(&c->y, c->shared_top, c->shared_top);
	return changed;
}

double chart_top(const struct chart *c)
{
	double top = NAN;
	for (int k = 0; k < c->ncurves; k++) {
		double lo, hi, mp;
		if (colsum_extent(&c->curve[k].cs, &lo, &hi, &mp) && (isnan(top) || hi > top))
			top = hi;
	}
	return top;
}

static void chart_title(const struct chart *c, char *buf, size_t len)
{
	const char *t = c->view->title ? c->view->title : "";
	const char *kind = c->y.log ? "log" : "linear";
	size_t n = strlen(t);
	if (n > 0 && t[n - 1] == ')')
		snprintf(buf, len, "%.*s, %s)", (int)(n - 1), t, kind);
	else
		snprintf(buf, len, "%s (%s)", t, kind);
}

/* Legend: [prefix] then a sample and the label of each curve. */
static int legend_width(const struct chart *c, const struct history *h)
{
	size_t pl = strlen(c->legend_prefix);
	int w = pl ? text_width(c->legend_prefix) : 0;
	for (int k = 0; k < c->ncurves; k++) {
		w += (k > 0 ? (pl ? 1 : 2) : 0) + 2 + text_width(c->curve[k].label + pl);
		if (curve_diverged(&c->curve[k], h))
			w += 9;
	}
	return w;
}

static void legend_draw(WINDOW *w, const struct chart *c, const struct history *h, const struct theme *t, int y,
			int x, int maxx)
{
	size_t pl = strlen(c->legend_prefix);
	if (pl) {
		char pre[32];
		snprintf(pre, sizeof pre, "%s", c->legend_prefix);
		pre[pl - 1] = 0; /* the trailing space */
		x += text_put(w, y, x, pre, maxx - x, A_NORMAL);
		if (x < maxx)
			mvwaddch(w, y, x++, ' ');
	}
	for (int k = 0; k < c->ncurves && x < maxx; k++) {
		if (k > 0) {
			mvwaddch(w, y, x++, ' ');
			if (!pl && x < maxx)
				mvwaddch(w, y, x++, ' ');
		}
		if (x + 2 > maxx)
			break;
		wchar_t sample = c->glyphs ? theme_curve_glyph(t, k) : theme_glyph(t, L'\x2501', '-');
		text_put_wch(w, y, x++, sample, theme_curve_attr(t, k));
		mvwaddch(w, y, x++, ' ');
		x += text_put(w, y, x, c->curve[k].label + pl, maxx - x, theme_curve_attr(t, k));
		if (curve_diverged(&c->curve[k], h) && x + 9 <= maxx)
			x += text_put(w, y, x, " diverged", maxx - x, theme_attr(t, ROLE_BAD));
	}
}

/* Grid labels in the bottom border: the grid's values at its positions,
 * as many as fit apart, the first and the last always. */
static void grid_labels(WINDOW *w, const struct chart *c, const struct theme *t, int y, int px, int pw)
{
	const struct run_desc *d = c->desc;
	if (d->n_grid <= 0)
		return;
	attr_t a = theme_attr(t, ROLE_DIM);
	uint32_t span = chart_span(c);
	char last[24];
	fmt_axis(last, sizeof last, d->grid_x[d->n_grid - 1]);
	int last_x = px + pw - (int)strlen(last);
	int edge = px - 2; /* rightmost column already used */
	for (int i = 0; i + 1 < d->n_grid; i++) {
		char buf[24];
		fmt_axis(buf, sizeof buf, d->grid_x[i]);
		int bw = (int)strlen(buf);
		int col = px + epoch_col((uint32_t)i, span, pw * c->cv.sx) / c->cv.sx;
		int x = i == 0 ? px : col - bw / 2;
		if (x <= edge + 1 || x + bw >= last_x - 1)
			continue;
		text_put(w, y, x, buf, bw, a);
		edge = x + bw - 1;
	}
	if (last_x > edge + 1)
		text_put(w, y, last_x, last, (int)strlen(last), a);
	/* The axis' name in the corner when it fits whole ("wid..." says nothing). */
	if (d->grid_name && text_width(d->grid_name) <= px - 2)
		text_put(w, y, 1, d->grid_name, px - 2, a);
}

/* Column of a grid value: its fractional position between the two grid
 * points around it (geometric grids interpolate in log), -1 outside. */
static int grid_value_col(const struct chart *c, double v, int ncols)
{
	const struct run_desc *d = c->desc;
	for (int i = 0; i + 1 < d->n_grid; i++) {
		double a = d->grid_x[i], b = d->grid_x[i + 1];
		if (!((v >= a && v <= b) || (v <= a && v >= b)))
			continue;
		double f = a > 0 && b > 0 && v > 0 ? log(v / a) / log(b / a) : (v - a) / (b - a);
		if (!isfinite(f))
			f = 0;
		double pos = (i + f) / (double)chart_span(c);
		return (int)lround(pos * (ncols - 1));
	}
	return -1;
}

/* Epoch labels in the bottom border: 0 at the left, the planned count at the
 * right, round steps between them when they fit. */
static void x_labels(WINDOW *w, const struct chart *c, const struct theme *t, int y, int px, int pw)
{
	if (c->view->x_grid) {
		grid_labels(w, c, t, y, px, pw);
		return;
	}
	uint32_t planned = (uint32_t)(c->desc->planned_epochs > 0 ? c->desc->planned_epochs : 1);
	char last[24];
	snprintf(last, sizeof last, "%u", planned);
	int lw = (int)strlen(last);
	attr_t a = theme_attr(t, ROLE_DIM);
	int room = pw / (lw + 3);
	double step = room > 0 ? nice_step((double)planned / room) : planned;
	if (step < 1)
		step = 1;
	text_put(w, y, px, "0", 1, a);
	int edge = px; /* rightmost column already used */
	int last_x = px + pw - lw;
	for (double e = step; e < planned; e += step) {
		char buf[24];
		snprintf(buf, sizeof buf, "%.0f", e);
		int bw = (int)strlen(buf);
		int col = px + epoch_col((uint32_t)e, planned, pw * c->cv.sx) / c->cv.sx;
		int x = col - bw / 2;
		if (x <= edge + 1 || x + bw >= last_x - 1)
			continue;
		text_put(w, y, x, buf, bw, a);
		edge = x + bw - 1;
	}
	if (last_x > edge + 1)
		text_put(w, y, last_x, last, lw, a);
}

/* Where the plot sits in the window: rows top .. top + rows - 1, columns
 * x .. x + w - 1, sy dots a row. */
struct plot_area {
	int top, rows, x, w, sx, sy;
};

/* Folds new points into the summaries, grows the y axis, picks its ticks
 * and fits the plot beside them; false when no plot fits. */
static bool chart_fit(struct chart *c, const struct history *h, int cols, struct plot_area *p, struct yaxis *ya)
{
	int sx = p->sx;
	/* Fold new points with the geometry we have; a guess on the first
	 * draw (the extent does not depend on the column count). */
	int guess_w = c->plot_w > 0 ? c->plot_w : cols - 8;
	for (int k = 0; k < c->ncurves; k++) {
		struct chart_curve *cv = &c->curve[k];
		if (cv->cs.ncols != guess_w * sx || c->plot_w == 0) {
			colsum_reset(&cv->cs, guess_w * sx, chart_span(c));
		}
		fold_curve(c, k, h);
	}
	const struct view_spec *v = c->view;
	c->hline = !v->hline_run ? v->hline : h->seen[0][v->hline_metric] ? h->last[0][v->hline_metric] : NAN;
	chart_fit_axis(c, c->glyphs ? 1 : 4);
	/* the decades' ticks above the 0 row */
	yaxis_ticks(ya, &c->y, p->rows - (c->y.zero_dots > 0), YAXIS_MAX_TICKS);
	p->x = 1 + ya->width + 1;
	p->w = cols - 1 - p->x;
	if (p->w < 2)
		return false;
	if (p->w != c->plot_w || p->rows != c->plot_h || c->cv.sx != sx || c->cv.sy != p->sy) {
		c->plot_w = p->w;
		c->plot_h = p->rows;
		canvas_resize_dots(&c->cv, p->w, p->rows, sx, p->sy);
		for (int k = 0; k < c->ncurves; k++) {
			colsum_reset(&c->curve[k].cs, p->w * sx, chart_span(c));
			fold_curve(c, k, h);
		}
	}
	return true;
}

/* The reference line, over the curves (a curve on it is said in its
 * label); returns its row (-1: none). */
static int draw_hline(WINDOW *w, const struct chart *c, const struct theme *t, const struct plot_area *p)
{
	if (!isfinite(c->hline))
		return -1;
	int hrow = axis_dot(&c->y, c->hline, p->rows * p->sy);
	if (hrow < 0)
		return hrow;
	hrow /= p->sy;
	wchar_t dash = theme_glyph(t, L'\x254c', '-');
	for (int x = 0; x < p->w; x++)
		text_put_wch(w, p->top + hrow, p->x + x, dash, theme_attr(t, ROLE_HLINE));
	return hrow;
}

/* The first curve whose latest value sits on plot row `row`, -1: none. */
static int curve_on_row(const struct chart *c, const struct history *h, const struct plot_area *p, int row)
{
	for (int k = 0; k < c->ncurves; k++) {
		const struct chart_curve *cv = &c->curve[k];
		if (!h->seen[cv->series][cv->metric])
			continue;
		int r = axis_dot(&c->y, h->last[cv->series][cv->metric], p->rows * p->sy);
		if (r >= 0 && r / p->sy == row)
			return k;
	}
	return -1;
}

/* cols x0 .. x0 + n - 1 of plot row `row` hold no curve */
static bool span_free(const struct chart *c, int row, int x0, int n)
{
	for (int x = x0; x < x0 + n; x++)
		if (c->cv.bits[(size_t)row * (size_t)c->cv.w + (size_t)x])
			return false;
	return true;
}

/* The reference line's label, clear of the curves: on its row, else the
 * row above or below it (right end, else left end), else in the top border
 * between the title and the legend (border_x .. border_end), else over its
 * own row. A curve whose latest value sits on the line is named in it:
 * "test MSE = noise sigma^2 0.01" with an approximately-equal sign. */
static void hline_label(WINDOW *w, const struct chart *c, const struct history *h, const struct theme *t,
			const struct plot_area *p, int hrow, int border_x, int border_end)
{
	char buf[128], val[24], on[64] = "";
	fmt_short(val, sizeof val, c->hline);
	int k = curve_on_row(c, h, p, hrow);
	if (k >= 0)
		snprintf(on, sizeof on, "%s %s ", c->curve[k].label, t->unicode_glyphs ? "\u2248" : "~=");
	snprintf(buf, sizeof buf, " %s%s %s ", on, c->view->hline_label ? c->view->hline_label : "", val);
	int bw = text_width(buf);
	attr_t a = theme_attr(t, ROLE_HLINE);
	const int rows[3] = {hrow, hrow - 1, hrow + 1};
	for (int i = 0; i < 3 && bw <= p->w; i++) {
		if (rows[i] < 0 || rows[i] >= p->rows)
			continue;
		int starts[2] = {p->w - bw, 0};
		for (int j = 0; j < 2; j++)
			if (span_free(c, rows[i], starts[j], bw)) {
				text_put(w, p->top + rows[i], p->x + starts[j], buf, bw, a);
				return;
			}
	}
	if (border_end - border_x >= bw)
		text_put(w, 0, border_end - bw, buf, bw, a);
	else
		text_put(w, p->top + hrow, p->x + (p->w > bw ? p->w - bw : 0), buf, p->w, a);
}

/* The vertical marker of an x_grid view, over the curves, with its label
 * on the first row where it covers no curve. */
static void draw_vline(WINDOW *w, const struct chart *c, const struct theme *t, const struct plot_area *p)
{
	const struct view_spec *v = c->view;
	if (!v->x_grid || !isfinite(v->vline) || v->vline == 0)
		return;
	int vx = grid_value_col(c, v->vline, p->w);
	if (vx < 0)
		return;
	wchar_t bar = theme_glyph(t, L'\x2506', ':');
	for (int r = 0; r < p->rows; r++)
		text_put_wch(w, p->top + r, p->x + vx, bar, theme_attr(t, ROLE_HLINE));
	char lb[48];
	char val[24];
	fmt_axis(val, sizeof val, v->vline);
	snprintf(lb, sizeof lb, "%s%s%s", v->vline_label ? v->vline_label : "", v->vline_label ? " " : "", val);
	int lw = text_width(lb);
	int lx = vx + 1 + lw <= p->w ? vx + 1 : vx - lw;
	if (lx < 0)
		return;
	int row = 0;
	while (row < p->rows - 1 && !span_free(c, row, lx, lw))
		row++;
	text_put(w, p->top + row, p->x + lx, lb, lw, theme_attr(t, ROLE_HLINE));
}

/* A ghost curve onto the canvas, before the chart's own curves (which
 * then own the cells they share). */
static void ghost_plot(struct chart *c, const struct ghost_curve *gc, int k, void *ncols)
{
	struct point_series ps = {.epoch = (uint32_t *)gc->epoch, .value = (double *)gc->value, .n = gc->n, .cap = gc->n};
	if (colsum_reset(&c->ghost_cs, *(int *)ncols, chart_span(c)) != 0)
		return;
	colsum_update(&c->ghost_cs, &ps);
	canvas_plot(&c->cv, &c->ghost_cs, &c->y, GHOST_OWNER(k));
}

/* Each ghost's label, dim, down the plot's right edge from its top row. */
static void ghost_labels(WINDOW *w, const struct chart *c, const struct theme *t, const struct plot_area *p)
{
	const struct ghost_set *gs = c->ghosts;
	if (!gs || c->view->x_grid)
		return;
	int row = 0;
	for (int i = gs->n - 1; i >= 0 && row < p->rows; i--) {
		const struct ghost *g = &gs->g[i];
		if (!ghost_shown(gs, g, c->ghost_scenario, c->ghost_path))
			continue;
		char lb[64];
		snprintf(lb, sizeof lb, " %s ", g->label);
		int lw = text_width(lb);
		if (lw < p->w)
			text_put(w, p->top + row++, p->x + p->w - lw, lb, lw, theme_attr(t, ROLE_DIM) | A_DIM);
	}
}

static void draw_curves(WINDOW *w, const struct chart *c, const struct theme *t, const struct plot_area *p)
{
	for (int r = 0; r < p->rows; r++) {
		for (int x = 0; x < p->w; x++) {
			size_t cell = (size_t)r * (size_t)p->w + (size_t)x;
			unsigned bits = c->cv.bits[cell];
			if (!bits)
				continue;
			int k = (int)c->cv.owner[cell];
			attr_t faint = 0;
			if (k < -1) { /* a ghost of curve k */
				k = -2 - k;
				faint = A_DIM;
			}
			wchar_t ch = c->glyphs ? theme_curve_glyph(t, k) : p->sy == 2 ? halfblock_char(bits) : braille_char(bits);
			text_put_wch(w, p->top + r, p->x + x, ch, theme_curve_attr(t, k) | faint);
		}
	}
}

/* Where the legend goes: in the top border when it fits after the title,
 * else on the first row; one curve needs none. */
struct legend_spot {
	bool shown, in_border;
	int width, title_end;
};

static struct legend_spot legend_spot(const struct chart *c, const struct history *h, const char *title, int cols)
{
	struct legend_spot l = {.shown = c->ncurves > 1, .title_end = 4 + text_width(title)};
	l.width = l.shown ? legend_width(c, h) : 0;
	l.in_border = l.shown && l.title_end + 2 + l.width + 2 <= cols;
	return l;
}

/* The legend where legend_spot put it, or a lone curve's "diverged" in
 * the top border. */
static void legend_put(WINDOW *w, const struct chart *c, const struct history *h, const struct theme *t,
		       const struct legend_spot *l, int top, int cols)
{
	if (l->shown) {
		if (l->in_border)
			legend_draw(w, c, h, t, 0, cols - 2 - l->width, cols - 2);
		else if (top == 2)
			legend_draw(w, c, h, t, 1, 2, cols - 1); /* the gutter is free on this row */
	} else if (c->ncurves == 1 && curve_diverged(&c->curve[0], h)) {
		int x = cols - 2 - 10;
		if (x > l->title_end)
			text_put(w, 0, x, " diverged ", 10, theme_attr(t, ROLE_BAD));
	}
}

void chart_draw(WINDOW *w, struct chart *c, const struct history *h, const struct theme *t)
{
	int rows = getmaxy(w), cols = getmaxx(w);
	c->diverged = diverged_mask(c, h);
	char title[160];
	chart_title(c, title, sizeof title);
	panel_frame(w, title, t);
	if (rows < 4 || cols < 12)
		return;
	struct legend_spot legend = legend_spot(c, h, title, cols);
	int top = legend.shown && !legend.in_border && rows >= 5 ? 2 : 1;
	/* dots a cell: one glyph, half blocks (thick, for a projector), braille */
	bool thick = !c->glyphs && t->unicode_glyphs && (t->thick || t->bold);
	struct plot_area p = {.top = top, .rows = rows - 1 - top, .sx = c->glyphs || thick ? 1 : 2,
			      .sy = c->glyphs ? 1 : thick ? 2 : 4};
	if (p.rows < 1)
		return;
	struct yaxis ya;
	if (!chart_fit(c, h, cols, &p, &ya))
		return;
	canvas_clear(&c->cv);
	int ncols = p.w * c->cv.sx;
	each_ghost_curve(c, ghost_plot, &ncols);
	/* The view's first curve on top where curves share a cell: the
	 * measurement over its reference (a slope line) */
	for (int k = c->ncurves - 1; k >= 0; k--)
		canvas_plot(&c->cv, &c->curve[k].cs, &c->y, k);

	yaxis_draw(w, &ya, &c->y, p.top, p.x - 1, p.rows, p.sy, t);
	draw_curves(w, c, t, &p);
	if (c->y.zero_dots > 0) /* the 0 row's label */
		text_put(w, p.top + p.rows - 1, p.x - 2, "0", 1, theme_attr(t, ROLE_DIM));
	int hrow = draw_hline(w, c, t, &p);
	draw_vline(w, c, t, &p);
	if (hrow >= 0) {
		int border_end = legend.in_border ? cols - 2 - legend.width - 1 : cols - 2;
		hline_label(w, c, h, t, &p, hrow, legend.title_end, border_end);
	}
	ghost_labels(w, c, t, &p);
	if (c->view->pending && isnan(chart_top(c)))
		text_pending(w, p.top + p.rows / 2, p.x, p.w, c->view->pending, t);
	legend_put(w, c, h, t, &legend, top, cols);
	x_labels(w, c, t, rows - 1, p.x, p.w);
}
