/* layout.c: where each view of a run_desc goes on the screen. Charts (line
 * and bar) share what the fixed-size panels (table, split bar) and the notes
 * leave, by weight. The fixed panels and the notes sit in a column at the
 * right when the charts keep enough width, else in shelves below them. */
#include <string.h>

#include "ui/widgets.h"

#define CHART_MIN_W 30
#define CHART_MIN_H 6     /* four rows of plot: a curve's shape, not a smear */
#define CHART_SIDE_MIN_W 36 /* charts beside a side column keep at least this */
#define CHART_COMFY_H 10    /* stacked charts lower than this go two a row */
#define TEXT_MIN_W 26
#define TEXT_MIN_H 3
#define SCREEN_MIN_W 50     /* the header's status and the footer's keys need this much */
#define SCREEN_MIN_H 10

int view_list_series(const struct view_spec *v, int n_series, int *series /* (RUN_MAX_SERIES) */)
{
	int n = 0;
	for (int s = 0; s < n_series && s < RUN_MAX_SERIES; s++)
		if ((v->series_mask >> s) & 1u)
			series[n++] = s;
	return n;
}

struct placed {
	int views[RUN_MAX_VIEWS];
	int n;
	bool tight; /* split views at their tight height (a small screen) */
};

static void natural_size(const struct view_spec *v, const struct run_desc *d, bool tight, int *w, int *h)
{
	if (v->kind == VIEW_TABLE) {
		table_size(v, d, w, h);
	} else {
		*w = split_min_width();
		*h = tight ? split_height_tight(v) : split_height(v);
	}
}

/* Rows the notes need at width w (borders included), at least TEXT_MIN_H. */
static int text_rows(const char *notes, int w)
{
	int lines = text_wrap(notes ? notes : "", w - 4, NULL, 0);
	return lines + 2 < TEXT_MIN_H ? TEXT_MIN_H : lines + 2;
}

/* Charts in r: one column while each keeps CHART_COMFY_H rows, else two a
 * row (a lone last one takes the whole row); row heights by weight. */
static int place_charts(const struct run_desc *d, const struct placed *c, struct rect r, struct layout *out)
{
	if (c->n == 0)
		return 0;
	int cols = 1;
	bool heat = false; /* a map wants height as much as width: beside the others */
	for (int i = 0; i < c->n; i++)
		heat = heat || d->views[c->views[i]].kind == VIEW_HEAT;
	if (c->n >= 2 && r.w >= 2 * CHART_MIN_W && (r.h / c->n < CHART_COMFY_H || heat))
		cols = 2;
	int rows = (c->n + cols - 1) / cols;
	if (r.h < rows * CHART_MIN_H || r.w < CHART_MIN_W)
		return -1;
	int weight[RUN_MAX_VIEWS] = {0}, total = 0, top_weight = 1;
	for (int j = 0; j < c->n; j++)
		if (d->views[c->views[j]].weight > top_weight)
			top_weight = d->views[c->views[j]].weight;
	int head = view_headline(d);
	for (int i = 0; i < rows; i++) {
		for (int j = i * cols; j < (i + 1) * cols && j < c->n; j++) {
			int wv = d->views[c->views[j]].weight;
			wv = wv < 1 ? 1 : wv;
			if (c->views[j] == head)
				wv = top_weight + 1; /* the headline's row is the tallest */
			if (wv > weight[i])
				weight[i] = wv;
		}
		total += weight[i];
	}
	/* Every row gets its minimum, the rest goes by weight; what rounding
	 * leaves goes to the tallest row (the headline's). */
	if (total < 1)
		total = 1;
	int spare = r.h - rows * CHART_MIN_H;
	int given = 0, tallest = 0;
	for (int i = 0; i < rows; i++) {
		given += spare * weight[i] / total;
		if (weight[i] > weight[tallest])
			tallest = i;
	}
	int y = r.y;
	for (int i = 0; i < rows; i++) {
		int extra = spare * weight[i] / total + (i == tallest ? spare - given : 0);
		int hgt = CHART_MIN_H + extra;
		int first = i * cols;
		int in_row = c->n - first < cols ? c->n - first : cols;
		int x = r.x;
		for (int j = 0; j < in_row; j++) {
			int wdt = j == in_row - 1 ? r.x + r.w - x : r.w / in_row;
			out->view[c->views[first + j]] = (struct rect){x, y, wdt, hgt};
			x += wdt;
		}
		y += hgt;
	}
	return 0;
}

static int layout_side(const struct run_desc *d, struct rect a, const struct placed *charts,
		       const struct placed *info, int text, int chart_min_w, struct layout *out)
{
	int side_w = 0, side_h = 0;
	for (int i = 0; i < info->n; i++) {
		int w, h;
		natural_size(&d->views[info->views[i]], d, info->tight, &w, &h);
		side_w = w > side_w ? w : side_w;
		side_h += h;
	}
	if (text >= 0 && side_w < TEXT_MIN_W)
		side_w = TEXT_MIN_W;
	if (charts->n == 0 || a.w - side_w < chart_min_w)
		return -1;
	if (side_h + (text >= 0 ? TEXT_MIN_H : 0) > a.h)
		return -1;
	struct rect left = {a.x, a.y, a.w - side_w, a.h};
	if (place_charts(d, charts, left, out) != 0)
		return -1;
	int x = a.x + a.w - side_w, y = a.y;
	for (int i = 0; i < info->n; i++) {
		int w, h;
		natural_size(&d->views[info->views[i]], d, info->tight, &w, &h);
		/* Without notes below, the last panel takes the column's rest. */
		if (i == info->n - 1 && text < 0)
			h = a.y + a.h - y;
		out->view[info->views[i]] = (struct rect){x, y, side_w, h};
		y += h;
	}
	if (text >= 0) {
		out->view[text] = (struct rect){x, y, side_w, a.y + a.h - y};
		out->text_shown = true;
	}
	return 0;
}

struct shelf {
	int items[RUN_MAX_VIEWS];
	int widths[RUN_MAX_VIEWS];
	int n, used, height;
	bool has_text;
};

static int layout_band(const struct run_desc *d, const char *notes, struct rect a, const struct placed *charts,
		       const struct placed *info, int text, struct layout *out)
{
	struct shelf sh[RUN_MAX_VIEWS + 1];
	int ns = 0;
	memset(sh, 0, sizeof sh);
	for (int i = 0; i < info->n; i++) {
		int w, h;
		const struct view_spec *v = &d->views[info->views[i]];
		natural_size(v, d, info->tight, &w, &h);
		if (w > a.w) {
			if (v->kind == VIEW_TABLE && table_min_width(v, d) <= a.w)
				w = a.w; /* drawn with tighter gaps */
			else
				return -1;
		}
		int s = 0;
		while (s < ns && sh[s].used + w > a.w)
			s++;
		if (s == ns)
			ns++;
		sh[s].items[sh[s].n] = info->views[i];
		sh[s].widths[sh[s].n++] = w;
		sh[s].used += w;
		if (h > sh[s].height)
			sh[s].height = h;
	}
	if (text >= 0) {
		/* Beside a panel when the shelf has room, else on its own. */
		int best = -1;
		for (int s = 0; s < ns; s++)
			if (a.w - sh[s].used >= TEXT_MIN_W && (best < 0 || sh[s].used < sh[best].used))
				best = s;
		if (best < 0) {
			best = ns++;
			int cap = a.h / 4 > TEXT_MIN_H ? a.h / 4 : TEXT_MIN_H;
			int need = text_rows(notes, a.w);
			sh[best].height = need < cap ? need : cap;
		} else {
			/* Up to three lines of notes may make the shelf taller. */
			int want = text_rows(notes, a.w - sh[best].used);
			if (want > 5)
				want = 5;
			if (want > sh[best].height)
				sh[best].height = want;
		}
		sh[best].has_text = true;
	}
	int band_h = 0;
	for (int s = 0; s < ns; s++)
		band_h += sh[s].height;
	struct rect top = {a.x, a.y, a.w, a.h - band_h};
	if (charts->n > 0) {
		if (place_charts(d, charts, top, out) != 0)
			return -1;
	} else if (top.h < 0) {
		return -1;
	}
	/* Shelves fill the bottom; with no charts they start at the top and the
	 * last one takes what is left. */
	int y = charts->n > 0 ? a.y + a.h - band_h : a.y;
	for (int s = 0; s < ns; s++) {
		int hgt = sh[s].height;
		if (charts->n == 0 && s == ns - 1)
			hgt = a.y + a.h - y;
		int x = a.x;
		int spare = a.w - sh[s].used;
		for (int i = 0; i < sh[s].n; i++) {
			int w = sh[s].widths[i];
			if (!sh[s].has_text)
				w += i == sh[s].n - 1 ? a.x + a.w - x - w : spare / sh[s].n;
			out->view[sh[s].items[i]] = (struct rect){x, y, w, hgt};
			x += w;
		}
		if (sh[s].has_text) {
			out->view[text] = (struct rect){x, y, a.x + a.w - x, hgt};
			out->text_shown = true;
		}
		y += hgt;
	}
	return 0;
}

/* The area between the header and the footer, false when the screen is too small. */
static bool layout_area(int w, int h, struct rect *a)
{
	*a = (struct rect){0, LAYOUT_HEADER_ROWS, w, h - LAYOUT_HEADER_ROWS - LAYOUT_FOOTER_ROWS};
	return w >= SCREEN_MIN_W && h >= SCREEN_MIN_H;
}

static long chart_area(const struct layout *l, const struct placed *charts)
{
	long area = 0;
	for (int i = 0; i < charts->n; i++)
		area += (long)l->view[charts->views[i]].w * l->view[charts->views[i]].h;
	return area;
}

/* The headline chart is at least as tall as every other panel. */
static bool headline_tallest(const struct run_desc *d, const struct layout *l)
{
	int head = view_headline(d);
	if (head < 0)
		return true;
	for (int v = 0; v < d->n_views && v < RUN_MAX_VIEWS; v++)
		if (l->view[v].w > 0 && l->view[v].h > l->view[head].h)
			return false;
	return true;
}

/* Of the arrangements that worked, the one where the headline is tallest,
 * then the one that leaves the charts the most cells (the earlier on a tie). */
static int pick_layout(const struct run_desc *d, const struct placed *charts, const struct layout *cand /* (n) */,
		       const bool *ok /* (n) */, int n)
{
	int best = -1;
	for (int i = 0; i < n; i++) {
		if (!ok[i])
			continue;
		if (best < 0) {
			best = i;
			continue;
		}
		bool hi = headline_tallest(d, &cand[i]), hb = headline_tallest(d, &cand[best]);
		if ((hi && !hb) || (hi == hb && chart_area(&cand[i], charts) > chart_area(&cand[best], charts)))
			best = i;
	}
	return best;
}

/* The best arrangement of every view (the notes when show_text; split
 * views at their tight height when tight). */
static int layout_arrange(const struct run_desc *d, const char *notes, int w, int h, bool show_text, bool tight,
			  struct layout *out)
{
	memset(out, 0, sizeof *out);
	if (w < SCREEN_MIN_W || h < SCREEN_MIN_H)
		return -1;
	struct placed charts = {{0}, 0, false}, info = {{0}, 0, tight};
	int text = -1;
	for (int i = 0; i < d->n_views && i < RUN_MAX_VIEWS; i++) {
		switch (d->views[i].kind) {
		case VIEW_LINES:
		case VIEW_BARS:
		case VIEW_HEAT:
			charts.views[charts.n++] = i;
			break;
		case VIEW_TABLE:
		case VIEW_SPLIT:
			info.views[info.n++] = i;
			break;
		case VIEW_TEXT:
			if (text < 0 && show_text)
				text = i;
			break;
		}
	}
	struct rect a;
	layout_area(w, h, &a);
	/* The band (a time axis likes width), a side column, and a side column
	 * with narrower charts (which can keep a small screen's headline the
	 * tallest panel): pick_layout chooses. */
	static struct layout cand[3];
	memset(cand, 0, sizeof cand);
	bool ok[3];
	ok[0] = layout_band(d, notes, a, &charts, &info, text, &cand[0]) == 0;
	ok[1] = layout_side(d, a, &charts, &info, text, CHART_SIDE_MIN_W, &cand[1]) == 0;
	ok[2] = layout_side(d, a, &charts, &info, text, CHART_MIN_W, &cand[2]) == 0;
	int best = pick_layout(d, &charts, cand, ok, 3);
	if (best < 0)
		return -1;
	*out = cand[best];
	return 0;
}

int layout_compute(const struct run_desc *d, const char *notes, int w, int h, bool show_text, struct layout *out)
{
	if (layout_arrange(d, notes, w, h, show_text, false, out) != 0)
		return -1;
	/* Where a panel would be taller than the headline, the notes give way
	 * first, then the split views' optional rows. */
	static const bool tries[3][2] = {{false, false}, {true, true}, {false, true}}; /* {text, tight} */
	for (int i = 0; i < 3 && !headline_tallest(d, out); i++) {
		struct layout alt;
		if (layout_arrange(d, notes, w, h, show_text && tries[i][0], tries[i][1], &alt) == 0 &&
		    headline_tallest(d, &alt))
			*out = alt;
	}
	return 0;
}

int layout_zoom(const struct run_desc *d, int v, int w, int h, struct layout *out)
{
	memset(out, 0, sizeof *out);
	struct rect a;
	if (!layout_area(w, h, &a) || v < 0 || v >= d->n_views || v >= RUN_MAX_VIEWS)
		return -1;
	out->view[v] = a;
	out->text_shown = d->views[v].kind == VIEW_TEXT;
	return 0;
}

int layout_present(const struct run_desc *d, int w, int h, struct layout *out)
{
	memset(out, 0, sizeof *out);
	struct rect a;
	if (!layout_area(w, h, &a))
		return -1;
	struct placed charts = {{0}, 0, false};
	int text = -1;
	for (int v = 0; v < d->n_views && v < RUN_MAX_VIEWS; v++) {
		if (view_with_headline(d, v))
			charts.views[charts.n++] = v;
		else if (d->views[v].kind == VIEW_TEXT && text < 0)
			text = v;
	}
	/* The claims below, a quarter of the rows (at least three lines). */
	int claims_h = text < 0 ? 0 : (a.h / 4 > TEXT_MIN_H + 2 ? a.h / 4 : TEXT_MIN_H + 2);
	struct rect top = {a.x, a.y, a.w, a.h - claims_h};
	if (charts.n == 0 || top.h < CHART_MIN_H)
		return -1;
	/* Compared charts side by side, each the full height. */
	int x = top.x;
	for (int i = 0; i < charts.n; i++) {
		int cw = i == charts.n - 1 ? top.x + top.w - x : top.w / charts.n;
		out->view[charts.views[i]] = (struct rect){x, top.y, cw, top.h};
		x += cw;
	}
	if (text >= 0) {
		out->view[text] = (struct rect){a.x, top.y + top.h, a.w, claims_h};
		out->text_shown = true;
	}
	return 0;
}

void layout_min_size(const struct run_desc *d, const char *notes, int *w, int *h)
{
	/* The fewest rows over widths up to 60 columns (two charts side by
	 * side need fewer rows), then the narrowest width that has them. */
	struct layout l;
	int best_w = 0, best_h = 0;
	for (int cw = SCREEN_MIN_W; cw <= 400; cw++) {
		int ch = SCREEN_MIN_H;
		while (ch <= 400 && layout_compute(d, notes, cw, ch, false, &l) != 0)
			ch++;
		if (ch <= 400 && (best_w == 0 || ch < best_h)) {
			best_w = cw;
			best_h = ch;
		}
		if (best_w && cw >= 60)
			break;
	}
	*w = best_w;
	*h = best_h;
}
