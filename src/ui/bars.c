/* bars.c: the loss at each point of the interpolation grid as vertical
 * bars, coloured (or, in monochrome, filled) by status: low, medium or high
 * (the barrier) by the levels the view sets (bar_levels, bar_labels). */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "ui/widgets.h"

#define MAX_TICKS 12

void bars_reset(struct bars *b)
{
	axis_clear(&b->y, false);
	b->shared_top = NAN;
}

static enum ui_role bar_role(const struct view_spec *v, double loss)
{
	if (!isfinite(loss))
		return ROLE_BAD;
	if (loss < v->bar_levels[0])
		return ROLE_LOW;
	if (loss < v->bar_levels[1])
		return ROLE_MEDIUM;
	return ROLE_HIGH;
}

/* Fill of a whole cell: a different texture for each status, with
 * colours too (colour alone fails colour-blind viewers). */
static wchar_t fill_glyph(const struct theme *t, enum ui_role r)
{
	switch (r) {
	case ROLE_LOW: return theme_glyph(t, L'\x2591', '.');
	case ROLE_MEDIUM: return theme_glyph(t, L'\x2592', '+');
	default: return theme_glyph(t, L'\x2588', '#');
	}
}

static void draw_bar(WINDOW *w, const struct theme *t, enum ui_role role, double v, const struct axis *a, int x,
		     int bw, int y_bottom, int plot_h)
{
	attr_t attr = theme_attr(t, role);
	if (!isfinite(v)) {
		for (int i = 0; i < bw; i++)
			text_put_wch(w, y_bottom, x + i, theme_glyph(t, L'\x00d7', 'x'), attr);
		return;
	}
	double f = (v - a->lo) / (a->hi - a->lo);
	f = f < 0 ? 0 : (f > 1 ? 1 : f);
	int eighths = (int)lround(f * plot_h * 8);
	if (eighths == 0 && v > a->lo)
		eighths = 1; /* computed, near zero: a sliver says so */
	/* Eighths on top of the texture, where colour tells the status: an
	 * eighth block has no texture, so without colour (mono, NO_COLOR) a bar
	 * shorter than a cell would not say low, medium or high. There it
	 * takes whole cells. */
	bool fine = t->unicode_glyphs && t->color;
	if (!fine)
		eighths = (eighths + 7) / 8 * 8;
	int full = eighths / 8, part = eighths % 8;
	wchar_t fill = fill_glyph(t, role);
	for (int r = 0; r < full && r < plot_h; r++)
		for (int i = 0; i < bw; i++)
			text_put_wch(w, y_bottom - r, x + i, fill, attr);
	if (part && full < plot_h)
		for (int i = 0; i < bw; i++)
			text_put_wch(w, y_bottom - full, x + i, (wchar_t)(0x2580 + part), attr);
}

static void status_legend(WINDOW *w, const struct theme *t, const struct view_spec *v, int y, int right,
			  int left_limit)
{
	static const enum ui_role roles[3] = {ROLE_LOW, ROLE_MEDIUM, ROLE_HIGH};
	if (!v->bar_labels[0] || !v->bar_labels[1] || !v->bar_labels[2])
		return;
	/* The levels in numbers: "< 0.01", "< 0.1", ">= 0.1 barrier". */
	char lv[3][48], l0[24], l1[24];
	fmt_short(l0, sizeof l0, v->bar_levels[0]);
	fmt_short(l1, sizeof l1, v->bar_levels[1]);
	snprintf(lv[0], sizeof lv[0], "< %s", l0);
	snprintf(lv[1], sizeof lv[1], "< %s", l1);
	snprintf(lv[2], sizeof lv[2], "%s %s %s", t->unicode_glyphs ? "\u2265" : ">=", l1, v->bar_labels[2]);
	const char *text[3] = {lv[0], lv[1], lv[2]};
	int width = 0;
	for (size_t i = 0; i < 3; i++)
		width += 2 + text_width(text[i]) + (i ? 2 : 0);
	int x = right - width - 1;
	if (x <= left_limit)
		return;
	mvwaddch(w, y, x++, ' ');
	for (size_t i = 0; i < 3; i++) {
		if (i) {
			mvwaddstr(w, y, x, "  ");
			x += 2;
		}
		text_put_wch(w, y, x++, fill_glyph(t, roles[i]), theme_attr(t, roles[i]));
		mvwaddch(w, y, x++, ' ');
		x += text_put(w, y, x, text[i], text_width(text[i]), A_NORMAL);
	}
	mvwaddch(w, y, x, ' ');
}

/* The grid's values under the bars: every k-th one, k the smallest that
 * keeps them a column apart, and the last one always ("1" ends the alpha
 * axis); one that would touch it gives way. */
static void bar_labels(WINDOW *w, const struct run_desc *d, const struct theme *t, int row, int x0, int sw, int bw,
		       int axis_x, int cols)
{
	int n = d->n_grid, lmax = 1;
	char al[RUN_MAX_GRID][16];
	for (int i = 0; i < n; i++) {
		fmt_axis(al[i], sizeof al[i], d->grid_x[i]);
		int l = (int)strlen(al[i]);
		lmax = l > lmax ? l : lmax;
	}
	int k = 1;
	while (k * sw < lmax + 1 && k < n)
		k++;
	int ll = (int)strlen(al[n - 1]);
	int last_x = x0 + (n - 1) * sw + (bw - ll) / 2;
	if (last_x + ll > cols - 1)
		last_x = cols - 1 - ll;
	attr_t a = theme_attr(t, ROLE_DIM);
	for (int i = 0; i < n; i++) {
		int l = (int)strlen(al[i]);
		int lx = i == n - 1 ? last_x : x0 + i * sw + (bw - l) / 2;
		if (i != n - 1 && (i % k != 0 || lx + l >= last_x))
			continue;
		if (lx + l <= cols - 1 && lx > axis_x)
			text_put(w, row, lx, al[i], l, a);
	}
}

static void bars_body(WINDOW *w, struct bars *b, const struct view_spec *v, const struct run_desc *d,
		      const double *grid /* (n_grid) */, const struct theme *t, int rows, int cols);

/* The series a single-series view shows: the lowest bit of its mask. */
static int view_series(const struct view_spec *v)
{
	for (int s = 0; s < RUN_MAX_SERIES; s++)
		if ((v->series_mask >> s) & 1u)
			return s;
	return 0;
}

void bars_draw(WINDOW *w, struct bars *b, const struct view_spec *v, const struct run_desc *d,
	       const struct history *h, const struct theme *t)
{
	int rows = getmaxy(w), cols = getmaxx(w);
	panel_frame(w, v->title, t);
	int title_end = 4 + text_width(v->title ? v->title : "");

	/* The barrier (the view's second metric, when it has one) in the top
	 * border, the status key in the bottom one. */
	int s = view_series(v);
	enum metric bm = v->n_metrics > 1 ? v->metrics[1] : MET_COUNT;
	char barrier[64] = "";
	int barrier_row = 0, barrier_x = 0;
	if (bm != MET_COUNT && h->seen[s][bm]) {
		char val[24];
		fmt_short(val, sizeof val, h->last[s][bm]);
		snprintf(barrier, sizeof barrier, " barrier %s, epoch %u ", val, h->last_epoch[s][bm]);
		barrier_x = cols - 2 - text_width(barrier);
		if (barrier_x < title_end) {
			/* No room in the border: the plot's top row, over the bars. */
			snprintf(barrier, sizeof barrier, " barrier %s", val); /* a gap after the bars */
			barrier_row = 1;
			barrier_x = cols - 2 - text_width(barrier);
		}
	}
	status_legend(w, t, v, rows - 1, cols - 2, 1);
	const double *grid = history_grid(h, s, v->n_metrics > 0 ? v->metrics[0] : MET_INTERP_LOSS);
	bars_body(w, b, v, d, grid, t, rows, cols);
	if (barrier[0] && barrier_x > (barrier_row ? 1 : title_end))
		text_put(w, barrier_row, barrier_x, barrier, cols - 2 - barrier_x,
			 theme_attr(t, bar_role(v, h->last[s][bm])) | A_BOLD);
}

static void bars_body(WINDOW *w, struct bars *b, const struct view_spec *v, const struct run_desc *d,
		      const double *grid /* (n_grid) */, const struct theme *t, int rows, int cols)
{
	int n = d->n_grid;
	int plot_top = 1, label_row = rows - 2, plot_h = label_row - plot_top;
	if (n <= 0 || plot_h < 1 || cols < 12)
		return;
	double hi = NAN;
	for (int i = 0; grid && i < n; i++)
		if (isfinite(grid[i]))
			hi = isnan(hi) || grid[i] > hi ? grid[i] : hi;
	if (isnan(hi) || !grid) {
		const char *msg = "no interpolation yet";
		int mw = text_width(msg);
		if (mw < cols - 2)
			text_put(w, plot_top + plot_h / 2, (cols - mw) / 2, msg, mw, theme_attr(t, ROLE_DIM));
		return;
	}
	/* Bars compared with another view are drawn on the group's scale. */
	if (isfinite(b->shared_top) && b->shared_top > hi)
		hi = b->shared_top;
	/* Grow when a bar leaves the range; shrink only when the tallest bar
	 * uses under 40% of it (the random nets of the first epochs reach
	 * far above the barrier that forms later). */
	if (b->y.hi > b->y.lo && hi < 0.4 * b->y.hi)
		axis_clear(&b->y, false);
	axis_cover(&b->y, 0, hi);

	struct yaxis ya;
	yaxis_ticks(&ya, &b->y, plot_h, MAX_TICKS);
	int axis_x = 1 + ya.width, px = axis_x + 1, pw = cols - 2 - px;
	if (pw < 2)
		return;
	attr_t dim = theme_attr(t, ROLE_DIM);
	yaxis_draw(w, &ya, &b->y, plot_top, axis_x, plot_h, 1, t);
	if (d->grid_name && strcmp(d->grid_name, "alpha") == 0)
		text_put_wch(w, label_row, axis_x, theme_glyph(t, L'\x03b1', 'a'), dim);

	int y_bottom = plot_top + plot_h - 1;
	if (n > pw) {
		/* More points than columns: each column shows its worst. */
		for (int x = 0; x < pw; x++) {
			double worst = NAN;
			for (int i = x * n / pw; i < (x + 1) * n / pw; i++)
				if (!isnan(grid[i]) && (isnan(worst) || !(grid[i] <= worst)))
					worst = grid[i];
			if (!isnan(worst))
				draw_bar(w, t, bar_role(v, worst), worst, &b->y, px + x, 1, y_bottom, plot_h);
		}
		return;
	}
	int sw = pw / n;
	int bw = sw > 1 ? sw - 1 : 1;
	int x0 = px + (pw - sw * n) / 2 + (sw - bw) / 2;

	bar_labels(w, d, t, label_row, x0, sw, bw, axis_x, cols);
	for (int i = 0; i < n; i++) {
		int bx = x0 + i * sw;
		double val = grid[i];
		if (!isnan(val))
			draw_bar(w, t, bar_role(v, val), val, &b->y, bx, bw, y_bottom, plot_h);
		/* the value over the bar when it fits */
		if (!isnan(val) && isfinite(val)) {
			char vb[24];
			fmt_short(vb, sizeof vb, val);
			int vw = (int)strlen(vb);
			double f = (val - b->y.lo) / (b->y.hi - b->y.lo);
			int occupied = (int)ceil(f * plot_h - 1e-9);
			if (occupied < 1)
				occupied = 1;
			int top_row = y_bottom - occupied;
			if (vw <= sw - 1 && top_row >= plot_top && top_row <= y_bottom)
				text_put(w, top_row, bx + (bw - vw) / 2, vb, vw, dim);
		}
	}
}
