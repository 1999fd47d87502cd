/* table.c: one row per series, columns as the view lists them. Widths are
 * fixed by the run_desc alone (not by the values), so a changing number
 * never moves the columns. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "ui/widgets.h"

#define LOSS_W 8 /* "diverged", "1.23e-10" */

static int col_width(const struct table_col *c, const struct run_desc *d, const int *series, int n)
{
	int w = text_width(c->head ? c->head : "");
	for (int i = 0; i < n; i++) {
		int cw = 0;
		char buf[48];
		switch (c->format) {
		case CELL_LABEL:
			cw = text_width(d->series_label[series[i]]);
			break;
		case CELL_PARAMS:
			cw = (int)strlen(fmt_thousands(buf, sizeof buf, d->series_params[series[i]]));
			break;
		case CELL_LOSS:
			cw = LOSS_W;
			break;
		case CELL_EPOCH:
			cw = snprintf(buf, sizeof buf, "%d", d->planned_epochs);
			break;
		case CELL_WORD:
			cw = 1; /* "-" */
			for (int k = 0; metric_word(c->metric, k); k++)
				if (text_width(metric_word(c->metric, k)) > cw)
					cw = text_width(metric_word(c->metric, k));
			break;
		}
		w = cw > w ? cw : w;
	}
	return w;
}

void table_size(const struct view_spec *v, const struct run_desc *d, int *width, int *height)
{
	int series[RUN_MAX_SERIES];
	int n = view_list_series(v, d->n_series, series);
	int w = 0;
	for (int c = 0; c < v->n_cols && c < TABLE_MAX_COLS; c++)
		w += col_width(&v->cols[c], d, series, n) + (c ? 2 : 0);
	*width = w + 4;     /* borders and a space of padding each side */
	*height = n + 1 + 2; /* rows, the header, borders */
}

int table_min_width(const struct view_spec *v, const struct run_desc *d)
{
	int series[RUN_MAX_SERIES];
	int n = view_list_series(v, d->n_series, series);
	int w = 0;
	for (int c = 0; c < v->n_cols && c < TABLE_MAX_COLS; c++)
		w += col_width(&v->cols[c], d, series, n) + (c ? 1 : 0);
	return w + 3; /* borders and one space of padding */
}

void table_cell_text(const struct table_col *c, const struct run_desc *d, const struct history *h, int s,
		      char *buf, size_t len, enum ui_role *role)
{
	*role = ROLE_NORMAL;
	switch (c->format) {
	case CELL_LABEL:
		snprintf(buf, len, "%s", d->series_label[s]);
		break;
	case CELL_PARAMS:
		fmt_thousands(buf, len, d->series_params[s]);
		break;
	case CELL_LOSS:
		if (!h->seen[s][c->metric] && !h->diverged[s]) {
			snprintf(buf, len, "-");
		} else if (h->diverged[s] || !isfinite(h->last[s][c->metric])) {
			snprintf(buf, len, "diverged");
			*role = ROLE_BAD;
		} else {
			fmt_loss(buf, len, h->last[s][c->metric]);
		}
		break;
	case CELL_EPOCH:
		if (h->seen[s][c->metric] && isfinite(h->last[s][c->metric]))
			snprintf(buf, len, "%.0f", h->last[s][c->metric]);
		else
			snprintf(buf, len, "-");
		break;
	case CELL_WORD: {
		const char *word = h->seen[s][c->metric] ? metric_word(c->metric, h->last[s][c->metric]) : NULL;
		snprintf(buf, len, "%s", word ? word : "-");
		break;
	}
	}
}

void table_draw(WINDOW *w, const struct view_spec *v, const struct run_desc *d, const struct history *h,
		const struct theme *t)
{
	int rows = getmaxy(w), cols = getmaxx(w);
	panel_frame(w, v->title, t);
	int series[RUN_MAX_SERIES];
	int n = view_list_series(v, d->n_series, series);
	int nc = v->n_cols < TABLE_MAX_COLS ? v->n_cols : TABLE_MAX_COLS;
	if (nc == 0)
		return;
	int width[TABLE_MAX_COLS], total = 0;
	for (int c = 0; c < nc; c++) {
		width[c] = col_width(&v->cols[c], d, series, n);
		total += width[c];
	}
	/* The widest gaps (up to 4) that fit with a space of padding each
	 * side; a tight window drops the left padding before anything is
	 * cut. */
	int x0 = 2, gap = 4;
	while (gap > 1 && total + gap * (nc - 1) > cols - 4)
		gap--;
	if (total + gap * (nc - 1) > cols - 4)
		x0 = 1; /* the last resort: no left padding */
	int x[TABLE_MAX_COLS];
	for (int c = 0, xc = x0; c < nc; c++) {
		x[c] = xc;
		xc += width[c] + gap;
	}
	/* Labels left-aligned, numbers right-aligned, headers like their
	 * column. */
	attr_t head_a = theme_attr(t, ROLE_DIM) | A_BOLD;
	for (int c = 0; c < nc; c++) {
		const char *hd = v->cols[c].head ? v->cols[c].head : "";
		int hw = text_width(hd);
		int hx = v->cols[c].format == CELL_LABEL ? x[c] : x[c] + width[c] - hw;
		if (hx + hw <= cols - 2)
			text_put(w, 1, hx, hd, cols - 2 - hx, head_a);
	}
	for (int i = 0; i < n && 2 + i < rows - 1; i++) {
		int s = series[i];
		for (int c = 0; c < nc; c++) {
			char buf[64];
			enum ui_role role;
			table_cell_text(&v->cols[c], d, h, s, buf, sizeof buf, &role);
			int bw = text_width(buf);
			attr_t a = theme_attr(t, role);
			if (v->cols[c].format == CELL_LABEL)
				a = theme_curve_attr(t, i);
			int cx = v->cols[c].format == CELL_LABEL ? x[c] : x[c] + width[c] - bw;
			if (cx < cols - 2)
				text_put(w, 2 + i, cx, buf, cols - 2 - cx, a);
		}
	}
}
