/* heatmap.c: a map metric (METRIC_MAP) drawn as a heatmap, with labelled
 * marks and paths on top and a colour bar with its values (VIEW_HEAT).
 *
 * Three ways to draw, by what the terminal has:
 *  - 256 colours: the upper half block (U+2580) with the top pixel's colour
 *    as foreground and the bottom's as background, two pixels a cell, on a
 *    viridis ramp (perceptual, colour-blind safe) in xterm's 256 colours;
 *  - UTF-8 without them (or without colour): shades, one value a cell;
 *  - ASCII (--ascii, LANG=C): a density ramp, one value a cell.
 * The colour scale is logarithmic over the finite positive values that
 * have arrived, so the map can be drawn while its rows come in; a point
 * not computed yet stays blank. Pixels are square: the map keeps its
 * aspect, centred in the panel. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "ui/widgets.h"

/* viridis at 12 steps, each the nearest xterm colour with lightness kept
 * increasing (CIE L* 21 .. 87) */
static const short ramp[] = {53, 54, 24, 25, 31, 36, 72, 78, 113, 148, 184, 220};
#define LEVELS ((int)(sizeof ramp / sizeof ramp[0]))
static const wchar_t shades[] = {L' ', L'\x2591', L'\x2592', L'\x2593', L'\x2588'};
static const char density[] = " .:-=+*#%@";
/* The colour pairs, past theme.c's: (top, bottom) for each two levels,
 * (top, none), then the marks' and paths' glyphs over each level or none. */
#define PAIR_HEAT0 64
#define PAIR_HEAT_TOP (PAIR_HEAT0 + LEVELS * LEVELS)
#define PAIR_OVER0 (PAIR_HEAT_TOP + LEVELS)
#define OVERLAYS 3 /* mark, path 0, path 1 (more paths reuse these) */
#define PAIR_END (PAIR_OVER0 + OVERLAYS * (LEVELS + 1))
static const short overlay_fg[OVERLAYS] = {231, 196, 231};
#define LABEL_W 7 /* colour bar tick labels: "1.2e-03" */

struct heat_frame {
	int cols, rows;     /* the map's pixels */
	int x0, y0, w, h;   /* cells the map takes */
	int px_h;           /* its pixel rows (2 a cell, or 1) */
	double lo, hi;      /* log10 of the colour scale's ends */
	const double *map;  /* (rows * cols) or NULL */
	bool half;          /* 256-colour half blocks */
};

static bool heat_colors(const struct theme *t)
{
	static int ready = -1;
	if (ready < 0) {
		ready = t->color && t->unicode_glyphs && COLORS >= 256 && COLOR_PAIRS > PAIR_END;
		for (int i = 0; ready && i < LEVELS; i++) {
			for (int j = 0; j < LEVELS; j++)
				init_pair((short)(PAIR_HEAT0 + i * LEVELS + j), ramp[i], ramp[j]);
			init_pair((short)(PAIR_HEAT_TOP + i), ramp[i], -1);
		}
		for (int o = 0; ready && o < OVERLAYS; o++)
			for (int l = 0; l <= LEVELS; l++)
				init_pair((short)(PAIR_OVER0 + o * (LEVELS + 1) + l), overlay_fg[o],
					  l < LEVELS ? ramp[l] : -1);
	}
	return ready == 1;
}

static void put(WINDOW *w, int y, int x, wchar_t ch, attr_t attr, int pair)
{
	cchar_t cc;
	wchar_t s[2] = {ch, 0};
	setcchar(&cc, s, attr, (short)pair, NULL);
	mvwadd_wch(w, y, x, &cc);
}

/* The value at pixel (px, py) of the drawn map: NaN where none came. */
static double pixel(const struct heat_frame *f, int px, int py)
{
	if (!f->map || py >= f->px_h)
		return NAN;
	int c = px * f->cols / f->w, r = py * f->rows / f->px_h;
	return f->map[r * f->cols + c];
}

/* Its level on a ramp of n, -1 when it has none. */
static int level(const struct heat_frame *f, double v, int n)
{
	if (!(v > 0) || !isfinite(v))
		return -1;
	double u = f->hi > f->lo ? (log10(v) - f->lo) / (f->hi - f->lo) : 0.5;
	int l = (int)(u * n);
	return l < 0 ? 0 : l >= n ? n - 1 : l;
}

/* Cell (cx, cy) of the map from values a (top) and b (bottom). */
static void draw_cell(WINDOW *w, const struct heat_frame *f, const struct theme *t, int y, int x, double a,
		      double b)
{
	if (f->half) {
		int la = level(f, a, LEVELS), lb = level(f, b, LEVELS);
		if (la < 0 && lb < 0)
			put(w, y, x, L' ', A_NORMAL, 0);
		else if (la < 0) /* the lower half alone: the top block's colours swapped */
			put(w, y, x, L'\x2584', A_NORMAL, PAIR_HEAT_TOP + lb);
		else
			put(w, y, x, L'\x2580', A_NORMAL, lb < 0 ? PAIR_HEAT_TOP + la : PAIR_HEAT0 + la * LEVELS + lb);
		return;
	}
	double v = isnan(a) ? b : isnan(b) ? a : sqrt(a * b); /* the mean on the log scale */
	if (t->unicode_glyphs) {
		int l = level(f, v, 4);
		put(w, y, x, l < 0 ? L' ' : shades[l + 1], A_NORMAL, 0);
	} else {
		int n = (int)sizeof density - 1, l = level(f, v, n - 1);
		put(w, y, x, l < 0 ? L' ' : (wchar_t)density[l + 1], A_NORMAL, 0);
	}
}

/* The colour scale's ends: log10 of the smallest and largest finite
 * positive values so far. False when there are none. */
static bool scale_of(struct heat_frame *f)
{
	double lo = INFINITY, hi = -INFINITY;
	for (int i = 0; f->map && i < f->cols * f->rows; i++)
		if (f->map[i] > 0 && isfinite(f->map[i])) {
			lo = fmin(lo, f->map[i]);
			hi = fmax(hi, f->map[i]);
		}
	if (!(lo <= hi))
		return false;
	f->lo = log10(lo);
	f->hi = log10(hi);
	return true;
}

/* The colour bar at column x beside the map, top = hi, with tick values. */
static void draw_bar(WINDOW *w, const struct heat_frame *f, const struct theme *t, int x)
{
	int n = f->h;
	for (int r = 0; r < n; r++) {
		/* pixel rows 2r and 2r + 1 of the bar, top = hi */
		double span = f->hi - f->lo, den = f->half ? 2.0 * n - 1 : (n > 1 ? n - 1 : 1);
		double ua = 1 - (f->half ? 2.0 * r : r) / den, ub = 1 - (f->half ? 2.0 * r + 1 : r) / den;
		double a = pow(10, f->lo + ua * span), b = pow(10, f->lo + ub * span);
		draw_cell(w, f, t, f->y0 + r, x, a, b);
		draw_cell(w, f, t, f->y0 + r, x + 1, a, b);
		/* a tick at the ends and every third row between */
		if (r == 0 || r == n - 1 || (r % 3 == 0 && r < n - 2)) {
			char buf[16];
			double u = n > 1 ? 1 - (double)r / (n - 1) : 1;
			snprintf(buf, sizeof buf, "%.2g", pow(10, f->lo + u * span));
			text_put(w, f->y0 + r, x + 3, buf, LABEL_W, theme_attr(t, ROLE_DIM));
		}
	}
}

/* The cell of map position (col, row), false when off the map. */
static bool cell_of(const struct heat_frame *f, double col, double row, int *cx, int *cy)
{
	if (!(col >= -0.5 && col <= f->cols - 0.5 && row >= -0.5 && row <= f->rows - 0.5))
		return false;
	*cx = f->x0 + (int)((col + 0.5) * f->w / f->cols);
	*cy = f->y0 + (int)((row + 0.5) * f->px_h / f->rows) / (f->half ? 2 : 1);
	if (*cx >= f->x0 + f->w)
		*cx = f->x0 + f->w - 1;
	if (*cy >= f->y0 + f->h)
		*cy = f->y0 + f->h - 1;
	return true;
}

/* A glyph over the map at cell (cx, cy): overlay o's colour over the
 * cell's own (its top pixel's level), bold without colour. */
static void over_put(WINDOW *w, const struct heat_frame *f, int cx, int cy, wchar_t ch, int o)
{
	if (!f->half) {
		put(w, cy, cx, ch, A_BOLD, 0);
		return;
	}
	int l = level(f, pixel(f, cx - f->x0, 2 * (cy - f->y0)), LEVELS);
	put(w, cy, cx, ch, A_BOLD, PAIR_OVER0 + (o % OVERLAYS) * (LEVELS + 1) + (l < 0 ? LEVELS : l));
}

/* Path k's points (pairs of col, row, NaN past its end), joined by dots. */
static void draw_path(WINDOW *w, const struct heat_frame *f, const struct theme *t, const double *p, int k)
{
	wchar_t g = theme_curve_glyph(t, k);
	for (size_t i = 0; p && 2 * i + 3 < RUN_MAX_GRID && !isnan(p[2 * i + 3]); i++) {
		double c0 = p[2 * i], r0 = p[2 * i + 1], c1 = p[2 * i + 2], r1 = p[2 * i + 3];
		int steps = (int)(2 * (fabs(c1 - c0) + fabs(r1 - r0))) + 1;
		for (int s = 0; s <= steps; s++) {
			int cx, cy;
			double u = (double)s / steps;
			if (cell_of(f, c0 + u * (c1 - c0), r0 + u * (r1 - r0), &cx, &cy))
				over_put(w, f, cx, cy, g, 1 + k);
		}
	}
}

/* Where the map goes in the panel: as large as fits with square pixels,
 * centred; the colour bar and its labels at the right, a legend row below. */
static bool fit(struct heat_frame *f, int ww, int wh)
{
	int aw = ww - 2 - (3 + LABEL_W) - 1, ah = wh - 3;
	if (aw < 4 || ah < 2 || f->cols < 1 || f->rows < 1)
		return false;
	int ppc = f->half ? 2 : 1; /* pixel rows a cell */
	/* one column a pixel across, two (or one) pixel rows a cell down: a
	 * cell is about twice as tall as wide */
	double s = fmin((double)aw / f->cols, 2.0 * ah / f->rows);
	f->w = (int)(f->cols * s + 0.5);
	f->h = (int)(f->rows * s / 2 + 0.5);
	f->w = f->w < 1 ? 1 : f->w > aw ? aw : f->w;
	f->h = f->h < 1 ? 1 : f->h > ah ? ah : f->h;
	f->px_h = f->h * ppc;
	f->x0 = 1 + (aw - f->w) / 2;
	f->y0 = 1 + (ah - f->h) / 2;
	return true;
}

static void draw_legend(WINDOW *w, const struct heat_frame *f, const struct view_spec *v, const struct run_desc *d,
			const struct theme *t, int y, int ww)
{
	int x = 2, k = 0;
	for (int s = 0; s < d->n_series && s < RUN_MAX_SERIES; s++) {
		if (!((v->path_mask >> s) & 1u))
			continue;
		put(w, y, x, theme_curve_glyph(t, k), A_BOLD, f->half ? PAIR_OVER0 + (1 + k % 2) * (LEVELS + 1) + LEVELS : 0);
		x += 2;
		x += text_put(w, y, x, d->series_label[s], ww - 2 - x, theme_attr(t, ROLE_NORMAL)) + 2;
		k++;
	}
	text_put(w, y, x, "(log colour scale)", ww - 2 - x, theme_attr(t, ROLE_DIM));
}

void heatmap_draw(WINDOW *w, const struct view_spec *v, const struct run_desc *d, const struct history *h,
		  const struct theme *t)
{
	panel_frame(w, v->title, t);
	int ww = getmaxx(w), wh = getmaxy(w), s = 0;
	while (s < RUN_MAX_SERIES - 1 && !((v->series_mask >> s) & 1u))
		s++;
	struct heat_frame f = {.cols = v->map_cols, .rows = v->map_rows};
	f.half = heat_colors(t);
	if (!fit(&f, ww, wh))
		return;
	f.map = history_grid(h, s, v->metrics[0]);
	bool scaled = scale_of(&f);
	for (int cy = 0; cy < f.h; cy++)
		for (int cx = 0; cx < f.w; cx++) {
			int py = f.half ? 2 * cy : cy;
			draw_cell(w, &f, t, f.y0 + cy, f.x0 + cx, scaled ? pixel(&f, cx, py) : NAN,
				  scaled && f.half ? pixel(&f, cx, py + 1) : scaled ? pixel(&f, cx, py) : NAN);
		}
	if (scaled)
		draw_bar(w, &f, t, f.x0 + f.w + 2);
	else if (v->pending)
		text_pending(w, f.y0 + f.h / 2, 1, ww - 2, v->pending, t);
	for (int p = 0, k = 0; v->n_metrics > 2 && p < d->n_series && p < RUN_MAX_SERIES; p++)
		if ((v->path_mask >> p) & 1u)
			draw_path(w, &f, t, history_grid(h, p, v->metrics[2]), k++);
	const double *marks = v->n_metrics > 1 ? history_grid(h, s, v->metrics[1]) : NULL;
	for (size_t k = 0; marks && k < VIEW_MAX_MARKS && v->mark_labels[k]; k++) {
		int cx, cy;
		if (!cell_of(&f, marks[2 * k], marks[2 * k + 1], &cx, &cy))
			continue;
		for (const char *c = v->mark_labels[k]; *c && cx < f.x0 + f.w + 1; c++, cx++)
			over_put(w, &f, cx, cy, (wchar_t)*c, 0);
	}
	draw_legend(w, &f, v, d, t, wh - 2, ww);
}
