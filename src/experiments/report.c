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

bool report_diverged(double loss, double start_loss)
{
	return !isfinite(loss) || (start_loss > 0 && loss > REPORT_DIVERGE_FACTOR * start_loss);
}

bool report_diverges(double *start_loss, double loss)
{
	if (isnan(*start_loss))
		*start_loss = loss;
	return report_diverged(loss, *start_loss);
}

static void result_v(FILE *out, const char *series, const char *lead, const char *fmt, va_list ap)
	__attribute__((format(printf, 4, 0)));

/* The RESULT line: "RESULT[ series]: ", lead, then fmt. */
static void result_v(FILE *out, const char *series, const char *lead, const char *fmt, va_list ap)
{
	fprintf(out, "RESULT%s%s: %s", series ? " " : "", series ? series : "", lead);
	vfprintf(out, fmt, ap);
	fputc('\n', out);
}

void report_result(FILE *out, const char *series, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	result_v(out, series, "", fmt, ap);
	va_end(ap);
}

void report_undecided(FILE *out, const char *series, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	result_v(out, series, "undecided: ", fmt, ap);
	va_end(ap);
}

bool report_decided(FILE *out, const char *series, const struct run_desc *d, const struct history *h,
		    uint32_t mask)
{
	int first = -1;
	for (int s = 0; s < d->n_series && s < RUN_MAX_SERIES; s++)
		if ((mask >> s & 1u) && h->diverged[s] &&
		    (first < 0 || h->last_epoch[s][MET_DIVERGED] < h->last_epoch[first][MET_DIVERGED]))
			first = s;
	if (first >= 0) {
		/* a RESULT line that names its series needs no label */
		if (series)
			report_undecided(out, series, "diverged at epoch %u; " REPORT_LR_HINT,
					 h->last_epoch[first][MET_DIVERGED]);
		else
			report_undecided(out, NULL, "diverged at epoch %u (%s); " REPORT_LR_HINT,
					 h->last_epoch[first][MET_DIVERGED], d->series_label[first]);
		return false;
	}
	if (!h->done) {
		report_undecided(out, series, "the run did not finish (%u epochs done)", h->epoch);
		return false;
	}
	return true;
}
