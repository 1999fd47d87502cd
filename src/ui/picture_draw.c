/* picture_draw.c: a snapshot (picture_model.h) drawn with cairo for a
 * slide: the title, the panels in a grid, the claims with their verdicts.
 * Colours are Okabe-Ito's, which colour-blind viewers tell apart. Each
 * curve is one stroked path (a slide tool can pick it out whole); legend
 * swatches are filled, not stroked. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "overparam/picture.h"
#include "ui/picture_model.h"
#include "ui/plot.h"

struct rgb {
	double r, g, b;
};

#define OI(r, g, b) {(r) / 255.0, (g) / 255.0, (b) / 255.0}
/* Okabe-Ito, in the order curves take them: blue, vermillion, bluish
 * green, reddish purple, orange, sky blue, then grey and yellow. */
static const struct rgb curve_rgb[8] = {
	OI(0, 114, 178), OI(213, 94, 0), OI(0, 158, 115), OI(204, 121, 167),
	OI(230, 159, 0), OI(86, 180, 233), OI(120, 120, 120), OI(240, 228, 66),
};
static const struct rgb level_rgb[3] = {OI(0, 158, 115), OI(230, 159, 0), OI(213, 94, 0)};

struct ink {
	struct rgb bg, fg, faint, ref;
};

static struct ink ink_for(bool dark)
{
	if (dark)
		return (struct ink){OI(28, 28, 28), OI(235, 235, 235), OI(90, 90, 90), OI(200, 200, 200)};
	return (struct ink){OI(255, 255, 255), OI(20, 20, 20), OI(215, 215, 215), OI(80, 80, 80)};
}

static void set(cairo_t *cr, struct rgb c)
{
	cairo_set_source_rgb(cr, c.r, c.g, c.b);
}

struct box {
	double x, y, w, h;
};

/* ---- text ---- */

static void font(cairo_t *cr, double size, bool bold)
{
	cairo_select_font_face(cr, "DejaVu Sans", CAIRO_FONT_SLANT_NORMAL,
			       bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL);
	cairo_set_font_size(cr, size);
}

static double text_w(cairo_t *cr, const char *s)
{
	cairo_text_extents_t e;
	cairo_text_extents(cr, s, &e);
	return e.x_advance;
}

/* s at (x, y) (baseline), aligned by align (0 left, 0.5 centre, 1 right),
 * cut with an ellipsis to at most maxw wide. */
static void text_at(cairo_t *cr, double x, double y, const char *s, double align, double maxw)
{
	char buf[CLAIM_TEXT_MAX + 8];
	snprintf(buf, sizeof buf, "%s", s);
	size_t n = strlen(buf);
	while (n > 0 && text_w(cr, buf) > maxw) {
		do
			n--;
		while (n > 0 && (buf[n] & 0xC0) == 0x80); /* whole UTF-8 characters */
		snprintf(buf + n, sizeof buf - n, "\u2026");
	}
	cairo_move_to(cr, x - align * text_w(cr, buf), y);
	cairo_show_text(cr, buf);
}

/* An empty plot's note (pic_view.pending), centred in box p. */
static void pending_note(cairo_t *cr, const struct pic_view *v, const struct box *p, const struct ink *k)
{
	if (!v->pending[0])
		return;
	set(cr, k->ref);
	font(cr, 15, false);
	text_at(cr, p->x + p->w / 2, p->y + p->h / 2, v->pending, 0.5, p->w - 20);
}

/* ---- axes ---- */

static double y_of(const struct axis *a, double v, const struct box *p)
{
	double t;
	if (a->log)
		t = v > 0 ? (log10(v) - log10(a->lo)) / (log10(a->hi) - log10(a->lo)) : 0;
	else
		t = (v - a->lo) / (a->hi - a->lo);
	t = t < 0 ? 0 : (t > 1 ? 1 : t);
	return p->y + (1 - t) * p->h;
}

static void y_axis(cairo_t *cr, const struct axis *a, const struct box *p, const struct ink *k)
{
	double ticks[12];
	int n = axis_ticks(a, 8, ticks);
	font(cr, 13, false);
	for (int i = 0; i < n; i++) {
		double y = y_of(a, ticks[i], p);
		set(cr, k->faint);
		cairo_set_line_width(cr, 1);
		cairo_move_to(cr, p->x, y);
		cairo_line_to(cr, p->x + p->w, y);
		cairo_stroke(cr);
		char buf[32];
		set(cr, k->fg);
		text_at(cr, p->x - 6, y + 4, fmt_tick(buf, sizeof buf, ticks[i], a->log), 1, 70);
	}
}

static double x_of(uint32_t span, double pos, const struct box *p)
{
	return p->x + pos / (span ? span : 1) * p->w;
}

/* Epoch ticks at a nice step, or the grid's values at its positions. */
static void x_axis(cairo_t *cr, const struct picture *pic, const struct pic_view *v, const struct box *p,
		   const struct ink *k)
{
	font(cr, 13, false);
	set(cr, k->fg);
	char buf[32];
	if (v->x_grid) {
		int n = pic->n_grid, every = n > 10 ? (n + 9) / 10 : 1;
		for (int i = 0; i < n; i += every) {
			fmt_axis(buf, sizeof buf, pic->grid_x[i]);
			text_at(cr, x_of(v->span, i, p), p->y + p->h + 18, buf, 0.5, 80);
		}
	} else {
		double step = nice_step(v->span / 6.0);
		for (double e = 0; e <= v->span + 1e-9; e += step) {
			snprintf(buf, sizeof buf, "%.0f", e);
			text_at(cr, x_of(v->span, e, p), p->y + p->h + 18, buf, 0.5, 80);
		}
	}
	text_at(cr, p->x + p->w, p->y + p->h + 36, v->x_grid ? pic->grid_name : "epoch", 1, p->w);
}

/* ---- line chart ---- */

/* Grows a over what view v draws: its curves or bars, its reference line. */
static void cover_view(struct axis *a, const struct pic_view *v)
{
	for (int c = 0; v->kind == VIEW_LINES && c < v->ncurves; c++)
		if (v->curve[c].any)
			axis_cover(a, a->log ? v->curve[c].minpos : v->curve[c].lo_all, v->curve[c].hi_all);
	for (int i = 0; v->kind == VIEW_BARS && i < v->nbars; i++)
		if (isfinite(v->bar[i]))
			axis_cover(a, 0, v->bar[i]);
	if (v->kind == VIEW_LINES && isfinite(v->hline))
		axis_cover(a, v->hline, v->hline);
}

/* View v's y axis, over every view of its scale group (the views the class
 * compares, as on screen: the smaller hump looks smaller). */
static void fit_axis(struct axis *a, const struct picture *pic, const struct pic_view *v)
{
	axis_clear(a, v->kind == VIEW_LINES && v->log_y);
	cover_view(a, v);
	for (int i = 0; v->scale_group && i < pic->nviews; i++)
		if (&pic->view[i] != v && pic->view[i].scale_group == v->scale_group)
			cover_view(a, &pic->view[i]);
	if (!(a->hi > a->lo))
		axis_cover(a, a->log ? 0.1 : 0, 1);
}

/* One curve, one path: each column's min..max, joined column to column;
 * grid curves also get a ring at each point, in the same path. */
static void curve_path(cairo_t *cr, const struct pic_view *v, const struct pic_curve *pc, const struct axis *a,
		       const struct box *p)
{
	bool started = false;
	for (int i = 0; i < PIC_COLS; i++) {
		float lo = pc->lo[i], hi = pc->hi[i];
		if (isnan(lo) || (a->log && !(hi > 0)))
			continue;
		double x = p->x + (i + 0.5) * p->w / PIC_COLS;
		double yl = y_of(a, a->log && !(lo > 0) ? hi : lo, p), yh = y_of(a, hi, p);
		if (!started)
			cairo_move_to(cr, x, yh);
		else
			cairo_line_to(cr, x, yh);
		if (yl != yh)
			cairo_line_to(cr, x, yl);
		started = true;
	}
	if (!v->x_grid || !started)
		return;
	for (int i = 0; i < PIC_COLS; i++) {
		if (isnan(pc->lo[i]) || (a->log && !(pc->hi[i] > 0)))
			continue;
		double x = p->x + (i + 0.5) * p->w / PIC_COLS, y = y_of(a, pc->hi[i], p);
		cairo_new_sub_path(cr);
		cairo_arc(cr, x, y, 4, 0, 2 * M_PI);
	}
}

/* A label on a reference line stays readable over the curves. */
static void backdrop(cairo_t *cr, double x, double y, double w, double h, const struct ink *k)
{
	cairo_set_source_rgba(cr, k->bg.r, k->bg.g, k->bg.b, 0.85);
	cairo_rectangle(cr, x, y, w, h);
	cairo_fill(cr);
}

static void ref_lines(cairo_t *cr, const struct picture *pic, const struct pic_view *v, const struct axis *a,
		      const struct box *p, const struct ink *k)
{
	static const double dash[] = {8, 5};
	char buf[80], val[24];
	cairo_set_line_width(cr, 1.5);
	cairo_set_dash(cr, dash, 2, 0);
	font(cr, 13, false);
	if (isfinite(v->hline)) {
		double y = y_of(a, v->hline, p);
		set(cr, k->ref);
		cairo_move_to(cr, p->x, y);
		cairo_line_to(cr, p->x + p->w, y);
		cairo_stroke(cr);
		snprintf(buf, sizeof buf, "%s %s", v->hline_label, fmt_short(val, sizeof val, v->hline));
		backdrop(cr, p->x + 4, y - 19, text_w(cr, buf) + 6, 17, k);
		set(cr, k->ref);
		text_at(cr, p->x + 6, y - 5, buf, 0, p->w / 2);
	}
	if (v->x_grid && isfinite(v->vline) && v->vline != 0 && pic->n_grid > 1) {
		double pos = NAN;
		for (int i = 0; i + 1 < pic->n_grid; i++) {
			double g0 = pic->grid_x[i], g1 = pic->grid_x[i + 1];
			if ((v->vline >= g0 && v->vline <= g1) || (v->vline <= g0 && v->vline >= g1))
				pos = i + (g1 != g0 ? (v->vline - g0) / (g1 - g0) : 0);
		}
		if (isfinite(pos)) {
			double x = x_of(v->span, pos, p);
			set(cr, k->ref);
			cairo_move_to(cr, x, p->y);
			cairo_line_to(cr, x, p->y + p->h);
			cairo_stroke(cr);
			snprintf(buf, sizeof buf, "%s %s", v->vline_label, fmt_short(val, sizeof val, v->vline));
			backdrop(cr, x + 3, p->y + 1, text_w(cr, buf) + 6, 17, k);
			set(cr, k->ref);
			text_at(cr, x + 5, p->y + 14, buf, 0, p->w / 3);
		}
	}
	cairo_set_dash(cr, NULL, 0, 0);
}

static void legend(cairo_t *cr, const char *const *labels, const struct rgb *colors, int n, const struct box *p,
		   const struct ink *k)
{
	font(cr, 13, false);
	double w = 0;
	for (int i = 0; i < n; i++)
		w = fmax(w, text_w(cr, labels[i]));
	w = fmin(w + 34, p->w / 2);
	double x = p->x + p->w - w - 8, y = p->y + 8;
	cairo_set_source_rgba(cr, k->bg.r, k->bg.g, k->bg.b, 0.85);
	cairo_rectangle(cr, x, y, w, 20.0 * n + 6);
	cairo_fill(cr);
	for (int i = 0; i < n; i++) {
		set(cr, colors[i]);
		cairo_rectangle(cr, x + 6, y + 8 + 20.0 * i, 18, 6);
		cairo_fill(cr);
		set(cr, k->fg);
		text_at(cr, x + 30, y + 17 + 20.0 * i, labels[i], 0, w - 34);
	}
}

static void draw_lines(cairo_t *cr, const struct picture *pic, const struct pic_view *v, const struct box *p,
		       const struct ink *k)
{
	struct axis a;
	fit_axis(&a, pic, v);
	y_axis(cr, &a, p, k);
	x_axis(cr, pic, v, p, k);
	const char *labels[PIC_MAX_CURVES] = {0}; /* all set below; the analyzer cannot tell */
	struct rgb colors[PIC_MAX_CURVES];
	char text[PIC_MAX_CURVES][80];
	cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
	bool any = false;
	for (int c = 0; c < v->ncurves; c++) {
		const struct pic_curve *pc = &v->curve[c];
		any |= pc->any;
		colors[c] = curve_rgb[c % 8];
		snprintf(text[c], sizeof text[c], "%s%s", pc->label, pc->diverged ? " (diverged)" : "");
		labels[c] = text[c];
		if (!pc->any)
			continue;
		set(cr, colors[c]);
		cairo_set_line_width(cr, 2.5);
		curve_path(cr, v, pc, &a, p);
		cairo_stroke(cr);
	}
	ref_lines(cr, pic, v, &a, p, k); /* over the curves, as on screen */
	if (!any)
		pending_note(cr, v, p, k);
	legend(cr, labels, colors, v->ncurves, p, k);
}

/* ---- heatmap ---- */

/* Viridis at nine stops (perceptually even, colour-blind safe), read
 * between them linearly; u in [0, 1]. */
static struct rgb viridis(double u)
{
	static const struct rgb stop[9] = {
		OI(68, 1, 84), OI(71, 45, 123), OI(59, 82, 139), OI(44, 114, 142), OI(33, 145, 140),
		OI(39, 173, 129), OI(92, 200, 99), OI(170, 220, 50), OI(253, 231, 37),
	};
	u = u < 0 ? 0 : (u > 1 ? 1 : u) * 8;
	int i = u >= 8 ? 7 : (int)u;
	double f = u - i;
	return (struct rgb){stop[i].r + f * (stop[i + 1].r - stop[i].r), stop[i].g + f * (stop[i + 1].g - stop[i].g),
			    stop[i].b + f * (stop[i + 1].b - stop[i].b)};
}

/* The map on a log colour scale with square cells, its colour bar with
 * ticks, the paths (stroked 2 wide) and the labelled marks on top. */
static void draw_heat(cairo_t *cr, const struct pic_view *v, const struct box *b, const struct ink *k)
{
	int nc = v->map_cols, nr = v->map_rows;
	double lo = INFINITY, hi = -INFINITY;
	for (int i = 0; v->map && i < nc * nr; i++)
		if (v->map[i] > 0 && isfinite(v->map[i]))
			lo = fmin(lo, log10(v->map[i])), hi = fmax(hi, log10(v->map[i]));
	if (!(nc > 0 && nr > 0))
		return;
	double cell = fmin((b->w - 110) / nc, (b->h - 30) / nr);
	struct box m = {b->x + (b->w - 110 - cell * nc) / 2, b->y, cell * nc, cell * nr};
	if (!(hi >= lo))
		pending_note(cr, v, &m, k);
	for (int r = 0; r < nr; r++)
		for (int c = 0; c < nc; c++) {
			double val = v->map ? v->map[r * nc + c] : NAN;
			if (!(val > 0 && isfinite(val)) || !(hi >= lo))
				continue;
			set(cr, viridis(hi > lo ? (log10(val) - lo) / (hi - lo) : 0.5));
			cairo_rectangle(cr, m.x + c * cell, m.y + r * cell, cell + 0.5, cell + 0.5);
			cairo_fill(cr);
		}
	set(cr, k->fg);
	cairo_set_line_width(cr, 1.2);
	cairo_rectangle(cr, m.x, m.y, m.w, m.h);
	cairo_stroke(cr);
	if (hi >= lo) { /* the colour bar, top = the highest loss */
		double bx = m.x + m.w + 24, steps = 64;
		for (int i = 0; i < steps; i++) {
			set(cr, viridis(1 - i / (steps - 1)));
			cairo_rectangle(cr, bx, m.y + m.h * i / steps, 22, m.h / steps + 0.5);
			cairo_fill(cr);
		}
		font(cr, 13, false);
		set(cr, k->fg);
		for (int t = 0; t <= 4; t++) {
			char buf[24];
			snprintf(buf, sizeof buf, "%.2g", pow(10, hi - (hi - lo) * t / 4));
			text_at(cr, bx + 28, m.y + m.h * t / 4 + 5, buf, 0, 80);
		}
		text_at(cr, bx, m.y + m.h + 20, "loss (log)", 0, 100);
	}
	/* a map position's centre on the picture */
#define MAP_X(col) (m.x + ((col) + 0.5) * cell)
#define MAP_Y(row) (m.y + ((row) + 0.5) * cell)
	/* the straight segment in the ink's own colour, the curve vermillion:
	 * both stand out on viridis, and the legend reads on the ground */
	const struct rgb path_rgb[2] = {k->fg, curve_rgb[1]};
	const char *labels[RUN_MAX_SERIES] = {0};
	struct rgb colors[RUN_MAX_SERIES] = {{0, 0, 0}};
	for (int p = 0; p < v->npaths; p++) {
		const double *pt = v->path[p];
		set(cr, path_rgb[p % 2]);
		cairo_set_line_width(cr, 2);
		for (size_t i = 0; 2 * i + 1 < RUN_MAX_GRID && !isnan(pt[2 * i + 1]); i++)
			(i ? cairo_line_to : cairo_move_to)(cr, MAP_X(pt[2 * i]), MAP_Y(pt[2 * i + 1]));
		cairo_stroke(cr);
		labels[p] = v->path_label[p];
		colors[p] = path_rgb[p % 2];
	}
	font(cr, 16, true);
	for (int i = 0; i < v->nmarks; i++) {
		if (!isfinite(v->mark[i][0]) || !isfinite(v->mark[i][1]))
			continue;
		double x = MAP_X(v->mark[i][0]), y = MAP_Y(v->mark[i][1]);
		set(cr, k->bg);
		cairo_arc(cr, x, y, 6, 0, 2 * M_PI);
		cairo_fill(cr);
		set(cr, k->fg);
		cairo_arc(cr, x, y, 6, 0, 2 * M_PI);
		cairo_stroke(cr);
		backdrop(cr, x + 8, y - 20, text_w(cr, v->mark_label[i]) + 6, 20, k);
		set(cr, k->fg);
		text_at(cr, x + 10, y - 5, v->mark_label[i], 0, 200);
	}
#undef MAP_X
#undef MAP_Y
	if (v->npaths)
		legend(cr, labels, colors, v->npaths, &(struct box){b->x, b->y + b->h - 20.0 * v->npaths - 10, 260, 0}, k);
}

/* ---- bars, split bars, tables ---- */

static void draw_bars(cairo_t *cr, const struct picture *pic, const struct pic_view *v, const struct box *p,
		      const struct ink *k)
{
	struct axis a;
	fit_axis(&a, pic, v);
	y_axis(cr, &a, p, k);
	double slot = p->w / (v->nbars > 0 ? v->nbars : 1);
	char buf[24];
	font(cr, 13, false);
	for (int i = 0; i < v->nbars; i++) {
		double x = p->x + slot * i;
		set(cr, k->fg);
		if (v->nbars <= 12 || i % ((v->nbars + 11) / 12) == 0)
			text_at(cr, x + slot / 2, p->y + p->h + 18, fmt_axis(buf, sizeof buf, pic->grid_x[i]), 0.5, slot * 3);
		if (!isfinite(v->bar[i]))
			continue;
		int level = v->bar[i] < v->bar_levels[0] ? 0 : (v->bar[i] < v->bar_levels[1] ? 1 : 2);
		set(cr, v->bar_labels[0][0] ? level_rgb[level] : curve_rgb[0]);
		double y = y_of(&a, v->bar[i], p);
		cairo_rectangle(cr, x + slot * 0.15, y, slot * 0.7, p->y + p->h - y);
		cairo_fill(cr);
	}
	set(cr, k->fg);
	text_at(cr, p->x + p->w, p->y + p->h + 36, pic->grid_name, 1, p->w);
	if (v->bar_labels[0][0]) {
		const char *labels[3] = {v->bar_labels[0], v->bar_labels[1], v->bar_labels[2]};
		legend(cr, labels, level_rgb, 3, p, k);
	}
}

static void draw_split(cairo_t *cr, const struct pic_view *v, const struct box *p, const struct ink *k)
{
	double scale = 0;
	for (int i = 0; i < v->nsplit; i++) {
		if (isfinite(v->split[i][0] + v->split[i][1]))
			scale = fmax(scale, v->split[i][0] + v->split[i][1]);
		if (isfinite(v->split[i][2] + v->split[i][3]))
			scale = fmax(scale, v->split[i][2] + v->split[i][3]);
	}
	double row = fmin(p->h / (v->nsplit ? v->nsplit : 1), 90), lw = 150, bw = p->w - lw;
	char buf[160], a[24], b[24];
	for (int i = 0; i < v->nsplit; i++) {
		const double *s = v->split[i];
		double y = p->y + row * i + 8;
		font(cr, 14, true);
		set(cr, k->fg);
		text_at(cr, p->x, y + 20, v->split_label[i], 0, lw - 10);
		if (!(scale > 0) || !isfinite(s[0] + s[1]))
			continue;
		set(cr, curve_rgb[0]);
		cairo_rectangle(cr, p->x + lw, y + 4, bw * s[0] / scale, 24);
		cairo_fill(cr);
		set(cr, curve_rgb[4]);
		cairo_rectangle(cr, p->x + lw + bw * s[0] / scale, y + 4, bw * s[1] / scale, 24);
		cairo_fill(cr);
		if (isfinite(s[2] + s[3])) {
			set(cr, k->fg);
			cairo_set_line_width(cr, 3);
			for (int m = 0; m < 2; m++) {
				double x = p->x + lw + bw * (m ? s[2] + s[3] : s[2]) / scale;
				cairo_move_to(cr, x, y);
				cairo_line_to(cr, x, y + 32);
			}
			cairo_stroke(cr);
		}
		font(cr, 13, false);
		set(cr, k->fg);
		snprintf(buf, sizeof buf, "signal coords %s   other coords %s%s", fmt_short(a, sizeof a, s[0]),
			 fmt_short(b, sizeof b, s[1]), isfinite(s[2] + s[3]) ? "   | min-norm split" : "");
		text_at(cr, p->x + lw, y + 48, buf, 0, bw);
	}
}

static void draw_table(cairo_t *cr, const struct pic_view *v, const struct box *p, const struct ink *k)
{
	double colw = p->w / (v->ncols ? v->ncols : 1), rowh = fmin(30, p->h / (v->nrows + 1.5));
	for (int c = 0; c < v->ncols; c++) {
		font(cr, 15, true);
		set(cr, k->fg);
		text_at(cr, p->x + colw * c, p->y + rowh, v->head[c], 0, colw - 8);
		font(cr, 15, false);
		for (int r = 0; r < v->nrows; r++) {
			set(cr, v->cell_bad[r][c] ? level_rgb[2] : k->fg);
			text_at(cr, p->x + colw * c, p->y + rowh * (r + 2), v->cell[r][c], 0, colw - 8);
		}
	}
	set(cr, k->faint);
	cairo_set_line_width(cr, 1);
	cairo_move_to(cr, p->x, p->y + rowh * 1.35);
	cairo_line_to(cr, p->x + p->w, p->y + rowh * 1.35);
	cairo_stroke(cr);
}

static void draw_view(cairo_t *cr, const struct picture *pic, const struct pic_view *v, const struct box *b,
		      const struct ink *k)
{
	font(cr, 17, true);
	set(cr, k->fg);
	text_at(cr, b->x + 4, b->y + 20, v->title, 0, b->w - 8);
	struct box p = {b->x + 80, b->y + 34, b->w - 96, b->h - 34 - 46};
	if (v->kind == VIEW_TABLE || v->kind == VIEW_SPLIT || v->kind == VIEW_HEAT)
		p = (struct box){b->x + 8, b->y + 34, b->w - 16, b->h - 40};
	if (p.w < 40 || p.h < 30)
		return;
	switch (v->kind) {
	case VIEW_LINES:
		draw_lines(cr, pic, v, &p, k);
		break;
	case VIEW_BARS:
		draw_bars(cr, pic, v, &p, k);
		break;
	case VIEW_SPLIT:
		draw_split(cr, v, &p, k);
		break;
	case VIEW_TABLE:
		draw_table(cr, v, &p, k);
		break;
	case VIEW_HEAT:
		draw_heat(cr, v, &p, k);
		break;
	case VIEW_TEXT:
		break;
	}
	if (v->kind == VIEW_LINES || v->kind == VIEW_BARS) {
		set(cr, k->fg);
		cairo_set_line_width(cr, 1.2);
		cairo_rectangle(cr, p.x, p.y, p.w, p.h);
		cairo_stroke(cr);
	}
}

/* ---- the slide ---- */

static const struct rgb *verdict_rgb(enum claim_verdict v)
{
	static const struct rgb holds = OI(0, 158, 115), fails = OI(213, 94, 0), other = OI(120, 120, 120);
	return v == CLAIM_HOLDS ? &holds : (v == CLAIM_FAILS ? &fails : &other);
}

static void draw_claims(cairo_t *cr, const struct picture *p, double y, const struct ink *k)
{
	for (int i = 0; i < p->nclaims; i++) {
		double yy = y + 26.0 * i;
		font(cr, 16, true);
		set(cr, *verdict_rgb(p->claim_verdict[i]));
		text_at(cr, 40, yy, claim_verdict_word(p->claim_verdict[i]), 0, 110);
		font(cr, 16, false);
		set(cr, k->fg);
		text_at(cr, 150, yy, p->claim[i], 0, PICTURE_WIDTH - 190);
	}
}

void picture_draw(cairo_t *cr, const struct picture *p)
{
	struct ink k = ink_for(p->dark);
	set(cr, k.bg);
	cairo_paint(cr);
	font(cr, 28, true);
	set(cr, k.fg);
	text_at(cr, 40, 50, p->title, 0, PICTURE_WIDTH - 80);
	font(cr, 16, false);
	text_at(cr, PICTURE_WIDTH - 40, 50, p->subtitle, 1, PICTURE_WIDTH / 2.0);
	double claims_h = p->nclaims ? 26.0 * p->nclaims + 20 : 0;
	double top = 75, bottom = PICTURE_HEIGHT - 20 - claims_h;
	int n = p->nviews, cols = n <= 1 ? 1 : 2, rows = (n + cols - 1) / cols;
	double cw = (PICTURE_WIDTH - 60.0) / cols, rh = (bottom - top) / (rows ? rows : 1);
	for (int i = 0; i < n; i++) {
		/* A last panel alone on its row takes the row's width. */
		bool alone = i == n - 1 && n % cols;
		int row = i / cols, col = i % cols;
		struct box b = {30 + cw * col, top + rh * row, alone ? cw * cols : cw, rh};
		draw_view(cr, p, &p->view[i], &(struct box){b.x + 6, b.y + 6, b.w - 12, b.h - 12}, &k);
	}
	draw_claims(cr, p, bottom + 30, &k);
}
