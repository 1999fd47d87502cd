/* split.c: ||theta|| on the signal coordinates against the rest, as one bar
 * in two parts (lengths proportional to the two norms), with the
 * closed-form min-norm values marked under it once they are known. Several
 * series (e.g. spiked and isotropic side by side) get two rows each, with
 * the marks on the bar, so two fit where one had room. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "ui/widgets.h"

#define SPLIT_ROWS 4       /* bar, marks, the norms now, the min-norm ones */
#define SPLIT_ROWS_EACH 2  /* several series: bar with its marks, the norms now */

int split_min_width(void)
{
	return 40;
}

static int split_series(const struct view_spec *v, int *series /* (RUN_MAX_SERIES) */)
{
	int n = 0;
	for (int s = 0; s < RUN_MAX_SERIES; s++)
		if ((v->series_mask >> s) & 1u)
			series[n++] = s;
	if (n == 0)
		series[n++] = 0;
	return n;
}

static int rows_per_series(int ns)
{
	return ns > 1 ? SPLIT_ROWS_EACH : SPLIT_ROWS;
}

int split_height(const struct view_spec *v)
{
	int series[RUN_MAX_SERIES];
	int ns = split_series(v, series);
	return ns * rows_per_series(ns) + 2;
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

/* "now       signal 0.47  noise 0.97" with the words in the bar's colours. */
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
	x += text_put(w, y, x, "  noise ", end - x, noi_a | A_BOLD);
	text_put(w, y, x, nv, end - x, A_NORMAL);
}

/* Several series: under each bar "signal 2.82  noise 1.44", and what the
 * marks on the bar mean when there is room. */
static void compact_rows(WINDOW *w, const struct theme *t, int y, int x, int end, double sig, double noi, bool mn,
			 attr_t sig_a, attr_t noi_a)
{
	char sv[24], nv[24];
	fmt_short(sv, sizeof sv, sig);
	fmt_short(nv, sizeof nv, noi);
	x += text_put(w, y + 1, x, "signal ", end - x, sig_a | A_BOLD);
	x += text_put(w, y + 1, x, sv, end - x, A_NORMAL);
	x += text_put(w, y + 1, x, "  noise ", end - x, noi_a | A_BOLD);
	x += text_put(w, y + 1, x, nv, end - x, A_NORMAL);
	const char *key = "  | min-norm";
	if (mn && x + (int)strlen(key) <= end) {
		x += text_put(w, y + 1, x, "  ", end - x, A_NORMAL);
		text_put_wch(w, y + 1, x, theme_glyph(t, L'\x2503', '|'), theme_attr(t, ROLE_MARK));
		text_put(w, y + 1, x + 1, " min-norm", end - x - 1, theme_attr(t, ROLE_DIM));
	}
}

void split_draw(WINDOW *w, const struct view_spec *v, const struct run_desc *d, const struct history *h,
		const struct theme *t)
{
	int rows = getmaxy(w), cols = getmaxx(w);
	werase(w);
	panel_frame(w, v->title, t);
	int series[RUN_MAX_SERIES];
	int ns = split_series(v, series);

	/* One scale for every bar: the largest total, measured or closed-form. */
	double scale = 0;
	for (int i = 0; i < ns; i++) {
		double sig = value_of(h, series[i], v, 0), noi = value_of(h, series[i], v, 1);
		double msig = value_of(h, series[i], v, 2), mnoi = value_of(h, series[i], v, 3);
		if (isfinite(sig) && isfinite(noi))
			scale = fmax(scale, sig + noi);
		if (isfinite(msig) && isfinite(mnoi))
			scale = fmax(scale, msig + mnoi);
	}
	int label_w = 0;
	if (ns > 1)
		for (int i = 0; i < ns; i++) {
			int lw = text_width(d->series_label[series[i]]);
			label_w = lw > label_w ? lw : label_w;
		}
	if (label_w > 14)
		label_w = 14;
	int bx = 2 + (label_w ? label_w + 1 : 0);
	int bw = cols - 2 - bx;
	if (bw < 4)
		return;
	attr_t sig_a = theme_attr(t, ROLE_SIGNAL), noi_a = theme_attr(t, ROLE_NOISE), mark_a = theme_attr(t, ROLE_MARK);
	wchar_t sig_g = theme_glyph(t, L'\x2588', '#');
	wchar_t noi_g = t->color ? sig_g : theme_glyph(t, L'\x2591', '=');
	wchar_t mark_g = theme_glyph(t, L'\x25b2', '^');
	wchar_t on_bar_g = theme_glyph(t, L'\x2503', '|');
	int rps = rows_per_series(ns);

	for (int i = 0; i < ns; i++) {
		int s = series[i];
		int y = 1 + i * rps;
		if (y + rps - 1 > rows - 2)
			break;
		if (label_w)
			text_put(w, y, 2, d->series_label[s], label_w, theme_curve_attr(t, i));
		double sig = value_of(h, s, v, 0), noi = value_of(h, s, v, 1);
		double msig = value_of(h, s, v, 2), mnoi = value_of(h, s, v, 3);
		if (!isfinite(sig) || !isfinite(noi)) {
			const char *msg = h->diverged[s] ? "diverged" : "waiting for the first epoch";
			text_put(w, y, bx, msg, bw, theme_attr(t, h->diverged[s] ? ROLE_BAD : ROLE_DIM));
			continue;
		}
		int ls = scaled(sig, scale, bw), ln = scaled(sig + noi, scale, bw) - ls;
		for (int x = 0; x < ls; x++)
			text_put_wch(w, y, bx + x, sig_g, sig_a);
		for (int x = ls; x < ls + ln; x++)
			text_put_wch(w, y, bx + x, noi_g, noi_a);
		bool mn = isfinite(msig) && isfinite(mnoi);
		if (rps == SPLIT_ROWS_EACH) {
			compact_rows(w, t, y, bx, cols - 2, sig, noi, mn, sig_a, noi_a);
			if (mn) {
				/* The min-norm split and end, on the bar itself. */
				int m1 = scaled(msig, scale, bw), m2 = scaled(msig + mnoi, scale, bw);
				text_put_wch(w, y, bx + (m1 > 0 ? m1 - 1 : 0), on_bar_g, mark_a);
				text_put_wch(w, y, bx + (m2 > 0 ? m2 - 1 : 0), on_bar_g, mark_a);
			}
			continue;
		}
		if (mn) {
			/* Marks under the bar: where the min-norm split and end are. */
			int m1 = scaled(msig, scale, bw), m2 = scaled(msig + mnoi, scale, bw);
			int x1 = m1 > 0 ? m1 - 1 : 0, x2 = m2 > 0 ? m2 - 1 : 0;
			text_put_wch(w, y + 1, bx + x1, mark_g, mark_a);
			text_put_wch(w, y + 1, bx + x2, mark_g, mark_a);
			const char *cap = "min-norm";
			int cw = (int)strlen(cap);
			if (x2 - x1 - 2 >= cw)
				text_put(w, y + 1, bx + x1 + 1 + (x2 - x1 - 1 - cw) / 2, cap, cw, theme_attr(t, ROLE_DIM));
			else if (x1 - 1 >= cw)
				text_put(w, y + 1, bx + x1 - 1 - cw, cap, cw, theme_attr(t, ROLE_DIM));
		}
		/* The numbers, coloured like their parts of the bar: now, and
		 * the closed form the run converges to. */
		numbers_row(w, t, y + 2, 2, cols - 2, "now", sig, noi, sig_a, noi_a);
		if (mn)
			numbers_row(w, t, y + 3, 2, cols - 2, "min-norm", msig, mnoi, sig_a, noi_a);
	}
}
