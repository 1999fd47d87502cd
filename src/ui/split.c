/* split.c: ||theta|| on the signal coordinates against the tail, as one
 * bar in two parts (lengths proportional to the two norms), with the
 * closed-form min-norm values marked under it once they are known. Several
 * series (e.g. spiked and isotropic side by side) get two rows each, with
 * the marks on the bar, so two fit where one had room. A view with eight
 * metrics adds the closed form's two parts, what fits the teacher and what
 * fits the noise, each's norm on the signal and the tail coordinates, in
 * the rows that said the closed form's norms (its marks on the bar stay):
 * one row more for one series; for several, in place of the numbers of
 * the bar itself, as the layout has no row to spare at the least size.
 * One series on a small screen (fewer rows than split_height) goes tight:
 * the marks on the bar, the numbers now, and the closed form in one line,
 * so the headline chart keeps the most rows. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "ui/widgets.h"

#define SPLIT_ROWS 4       /* bar, marks, the norms now, the min-norm ones */
#define SPLIT_ROWS_EACH 2  /* several series: bar with its marks, the norms now */
#define SPLIT_ROWS_TIGHT 3 /* one series, tight: bar with its marks, now, min-norm */

int split_min_width(void)
{
	return 40;
}

/* The view's series; none set means series 0. */
static int split_series(const struct view_spec *v, int *series /* (RUN_MAX_SERIES) */)
{
	int n = view_list_series(v, RUN_MAX_SERIES, series);
	if (n == 0)
		series[n++] = 0;
	return n;
}

/* Metrics 4..7: the closed form's parts (teacher signal, teacher tail,
 * noise signal, noise tail). */
static bool has_parts(const struct view_spec *v)
{
	return v->n_metrics >= 8;
}

static int rows_per_series(int ns, bool parts)
{
	return ns > 1 ? SPLIT_ROWS_EACH : SPLIT_ROWS + parts;
}

int split_height(const struct view_spec *v)
{
	int series[RUN_MAX_SERIES];
	int ns = split_series(v, series);
	return ns * rows_per_series(ns, has_parts(v)) + 2;
}

int split_height_tight(const struct view_spec *v)
{
	int series[RUN_MAX_SERIES];
	int ns = split_series(v, series);
	return ns > 1 ? split_height(v) : SPLIT_ROWS_TIGHT + 2;
}

static double value_of(const struct history *h, int s, const struct view_spec *v, int i)
{
	if (i >= v->n_metrics || !h->seen[s][v->metrics[i]])
		return NAN;
	return h->last[s][v->metrics[i]];
}

static int scaled(double x, double scale, int width)
{
	if (!isfinite(x) || !(scale > 0))
		return 0;
	long c = lround(x / scale * width);
	return c < 0 ? 0 : (c > width ? width : (int)c);
}

/* "now       signal 0.47  tail 0.97" with the words in the bar's colours. */
static void numbers_row(WINDOW *w, const struct theme *t, int y, int x, int end, const char *what, double sig,
			double noi, attr_t sig_a, attr_t noi_a)
{
	char sv[24], nv[24];
	fmt_short(sv, sizeof sv, sig);
	fmt_short(nv, sizeof nv, noi);
	int start = x;
	x += text_put(w, y, x, what, end - x, theme_attr(t, ROLE_DIM));
	x = start + 10 > x ? start + 10 : x + 1;
	x += text_put(w, y, x, "signal ", end - x, sig_a | A_BOLD);
	x += text_put(w, y, x, sv, end - x, A_NORMAL);
	x += text_put(w, y, x, "  tail ", end - x, noi_a | A_BOLD);
	text_put(w, y, x, nv, end - x, A_NORMAL);
}

/* Several series: under each bar "signal 2.82  tail 1.44", and what the
 * marks on the bar mean when there is room. */
static void compact_rows(WINDOW *w, const struct theme *t, int y, int x, int end, double sig, double noi, bool mn,
			 attr_t sig_a, attr_t noi_a)
{
	char sv[24], nv[24];
	fmt_short(sv, sizeof sv, sig);
	fmt_short(nv, sizeof nv, noi);
	x += text_put(w, y + 1, x, "signal ", end - x, sig_a | A_BOLD);
	x += text_put(w, y + 1, x, sv, end - x, A_NORMAL);
	x += text_put(w, y + 1, x, "  tail ", end - x, noi_a | A_BOLD);
	x += text_put(w, y + 1, x, nv, end - x, A_NORMAL);
	const char *key = "  | min-norm";
	if (mn && x + (int)strlen(key) <= end) {
		x += text_put(w, y + 1, x, "  ", end - x, A_NORMAL);
		text_put_wch(w, y + 1, x, theme_glyph(t, L'\x2503', '|'), theme_attr(t, ROLE_MARK));
		text_put(w, y + 1, x + 1, " min-norm", end - x - 1, theme_attr(t, ROLE_DIM));
	}
}

/* Under a bar, "w* 2.83|0.567  noise 0.0851|1.33" (one series, tight:
 * "fits w* ...  fits noise ..."), each part's signal and tail norms in
 * the bar's colours. */
static void compact_parts(WINDOW *w, const struct theme *t, int y, int x, int end, const double *part /* (4) */,
			  bool tight, attr_t sig_a, attr_t noi_a)
{
	static const char *const words[2][2] = {{"w* ", "  noise "}, {"fits w* ", "  fits noise "}};
	const char *const *what = words[tight];
	for (size_t i = 0; i < 2; i++) {
		char sv[24], nv[24];
		fmt_short(sv, sizeof sv, part[2 * i]);
		fmt_short(nv, sizeof nv, part[2 * i + 1]);
		x += text_put(w, y, x, what[i], end - x, theme_attr(t, ROLE_DIM));
		x += text_put(w, y, x, sv, end - x, sig_a | A_BOLD);
		x += text_put(w, y, x, "|", end - x, theme_attr(t, ROLE_DIM));
		x += text_put(w, y, x, nv, end - x, noi_a | A_BOLD);
	}
}

/* One scale for every bar: the largest total, measured or closed-form. */
static double common_scale(const struct history *h, const struct view_spec *v, const int *series /* (ns) */, int ns)
{
	double scale = 0;
	for (int i = 0; i < ns; i++) {
		double sig = value_of(h, series[i], v, 0), noi = value_of(h, series[i], v, 1);
		double msig = value_of(h, series[i], v, 2), mnoi = value_of(h, series[i], v, 3);
		if (isfinite(sig) && isfinite(noi))
			scale = fmax(scale, sig + noi);
		if (isfinite(msig) && isfinite(mnoi))
			scale = fmax(scale, msig + mnoi);
	}
	return scale;
}

/* Where the bars go, how they look, and their common scale. */
struct split_geom {
	int bx, bw, rps, cols;
	bool several; /* several series: the compact rows */
	bool tight;   /* one series in fewer rows than it likes */
	double scale;
	attr_t sig_a, noi_a, mark_a;
	wchar_t sig_g, noi_g, mark_g, on_bar_g;
};

/* Series s's bar at row y, then its marks and numbers. */
static void draw_series(WINDOW *w, const struct split_geom *g, const struct view_spec *v, const struct history *h,
			int s, int y, const struct theme *t)
{
	int bx = g->bx, bw = g->bw;
	double sig = value_of(h, s, v, 0), noi = value_of(h, s, v, 1);
	double msig = value_of(h, s, v, 2), mnoi = value_of(h, s, v, 3);
	if (!isfinite(sig) || !isfinite(noi)) {
		const char *msg = h->diverged[s] ? "diverged" : "waiting for the first epoch";
		text_put(w, y, bx, msg, bw, theme_attr(t, h->diverged[s] ? ROLE_BAD : ROLE_DIM));
		return;
	}
	int ls = scaled(sig, g->scale, bw), ln = scaled(sig + noi, g->scale, bw) - ls;
	for (int x = 0; x < ls; x++)
		text_put_wch(w, y, bx + x, g->sig_g, g->sig_a);
	for (int x = ls; x < ls + ln; x++)
		text_put_wch(w, y, bx + x, g->noi_g, g->noi_a);
	bool mn = isfinite(msig) && isfinite(mnoi);
	int m1 = scaled(msig, g->scale, bw), m2 = scaled(msig + mnoi, g->scale, bw);
	int x1 = m1 > 0 ? m1 - 1 : 0, x2 = m2 > 0 ? m2 - 1 : 0;
	double part[4];
	bool parts = has_parts(v);
	for (int i = 0; i < 4; i++) {
		part[i] = value_of(h, s, v, 4 + i);
		parts &= isfinite(part[i]);
	}
	if (g->several || g->tight) {
		if (g->tight) /* "now", then the closed form (parts, or its norms) in one line */
			numbers_row(w, t, y + 1, 2, g->cols - 2, "now", sig, noi, g->sig_a, g->noi_a);
		int py = y + 1 + g->tight;
		if (parts) /* from the label column: room */
			compact_parts(w, t, py, 2, g->cols - 2, part, g->tight, g->sig_a, g->noi_a);
		else if (g->several)
			compact_rows(w, t, y, bx, g->cols - 2, sig, noi, mn, g->sig_a, g->noi_a);
		else if (mn)
			numbers_row(w, t, py, 2, g->cols - 2, "min-norm", msig, mnoi, g->sig_a, g->noi_a);
		if (mn) {
			/* The min-norm split and end, on the bar itself. */
			text_put_wch(w, y, bx + x1, g->on_bar_g, g->mark_a);
			text_put_wch(w, y, bx + x2, g->on_bar_g, g->mark_a);
		}
		return;
	}
	if (mn) {
		/* Marks under the bar: where the min-norm split and end are. */
		text_put_wch(w, y + 1, bx + x1, g->mark_g, g->mark_a);
		text_put_wch(w, y + 1, bx + x2, g->mark_g, g->mark_a);
		const char *cap = "min-norm";
		int cw = (int)strlen(cap);
		if (x2 - x1 - 2 >= cw)
			text_put(w, y + 1, bx + x1 + 1 + (x2 - x1 - 1 - cw) / 2, cap, cw, theme_attr(t, ROLE_DIM));
		else if (x1 - 1 >= cw)
			text_put(w, y + 1, bx + x1 - 1 - cw, cap, cw, theme_attr(t, ROLE_DIM));
	}
	/* The numbers, coloured like their parts of the bar: now, and the
	 * closed form the run converges to. */
	numbers_row(w, t, y + 2, 2, g->cols - 2, "now", sig, noi, g->sig_a, g->noi_a);
	/* the min-norm fit's norms, or its two parts: X+ X w* and X+ eps */
	if (parts) {
		numbers_row(w, t, y + 3, 2, g->cols - 2, "fits w*", part[0], part[1], g->sig_a, g->noi_a);
		numbers_row(w, t, y + 4, 2, g->cols - 2, "fits noise", part[2], part[3], g->sig_a, g->noi_a);
	} else if (mn) {
		numbers_row(w, t, y + 3, 2, g->cols - 2, "min-norm", msig, mnoi, g->sig_a, g->noi_a);
	}
}

void split_draw(WINDOW *w, const struct view_spec *v, const struct run_desc *d, const struct history *h,
		const struct theme *t)
{
	int series[RUN_MAX_SERIES];
	int ns = split_series(v, series);
	int rows = getmaxy(w);
	struct split_geom g = {.cols = getmaxx(w),
			       .rps = rows_per_series(ns, has_parts(v)),
			       .several = ns > 1,
			       .tight = ns == 1 && rows < split_height(v),
			       .scale = common_scale(h, v, series, ns)};
	panel_frame(w, v->title, t);
	/* Several series: their labels in a column before the bars. */
	int label_w = 0;
	for (int i = 0; ns > 1 && i < ns; i++) {
		int lw = text_width(d->series_label[series[i]]);
		label_w = lw > label_w ? lw : label_w;
	}
	if (label_w > 14)
		label_w = 14;
	g.bx = 2 + (label_w ? label_w + 1 : 0);
	g.bw = g.cols - 2 - g.bx;
	if (g.bw < 4)
		return;
	g.sig_a = theme_attr(t, ROLE_SIGNAL);
	g.noi_a = theme_attr(t, ROLE_NOISE);
	g.mark_a = theme_attr(t, ROLE_MARK);
	g.sig_g = theme_glyph(t, L'\x2588', '#');
	g.noi_g = t->color ? g.sig_g : theme_glyph(t, L'\x2591', '=');
	g.mark_g = theme_glyph(t, L'\x25b2', '^');
	g.on_bar_g = theme_glyph(t, L'\x2503', '|');
	if (g.tight)
		g.rps = SPLIT_ROWS_TIGHT;
	for (int i = 0; i < ns; i++) {
		int y = 1 + i * g.rps;
		if (y + g.rps - 1 > rows - 2)
			break;
		if (label_w)
			text_put(w, y, 2, d->series_label[series[i]], label_w, theme_curve_attr(t, i));
		draw_series(w, &g, v, h, series[i], y, t);
	}
}
