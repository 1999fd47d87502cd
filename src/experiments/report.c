/* report.c: see report.h. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>

#include "experiments/report.h"

void report_label(struct run_desc *d, int s, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(d->series_label[s], sizeof d->series_label[s], fmt, ap);
	va_end(ap);
}

void report_table(struct run_desc *d, const char *title, uint32_t mask, const struct table_col *cols /* (n) */,
		  int n)
{
	struct view_spec *v = &d->views[d->n_views++];
	*v = (struct view_spec){.kind = VIEW_TABLE, .title = title, .series_mask = mask, .weight = 1};
	for (int c = 0; c < n && c < TABLE_MAX_COLS; c++)
		v->cols[v->n_cols++] = cols[c];
}

void report_notes(struct run_desc *d)
{
	d->views[d->n_views++] = (struct view_spec){.kind = VIEW_TEXT, .title = "Why", .weight = 1};
}

void report_grid(const struct history *h, int series, enum metric m, double *v /* (RUN_MAX_GRID) */)
{
	const double *g = history_grid(h, series, m);
	for (int i = 0; i < RUN_MAX_GRID; i++)
		v[i] = g ? g[i] : NAN;
}

void report_result(FILE *out, const char *series, const char *fmt, ...)
{
	va_list ap;
	fprintf(out, "RESULT%s%s: ", series ? " " : "", series ? series : "");
	va_start(ap, fmt);
	vfprintf(out, fmt, ap);
	va_end(ap);
	fputc('\n', out);
}
