/* claims.c: see claims.h. */
#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "experiments/claims.h"
#include "overparam/netpair.h"

/* A figure not there yet reads "-", not "nan": the text before any record. */
static void dash_nans(char *s)
{
	char *p = s;
	while ((p = strstr(p, "nan")) != NULL) {
		char *start = p > s && p[-1] == '-' ? p - 1 : p;
		const char *after = p[3] == 'x' ? p + 4 : p + 3; /* "nanx": a ratio */
		bool word = (start == s || !isalpha((unsigned char)start[-1])) && !isalpha((unsigned char)*after);
		if (!word) {
			p += 3;
			continue;
		}
		*start = '-';
		memmove(start + 1, p + 3, strlen(p + 3) + 1); /* keeps the x */
		p = start + 1;
	}
}

static void text_v(struct claim_eval *e, const char *fmt, va_list ap)
{
	vsnprintf(e->text, sizeof e->text, fmt, ap);
	dash_nans(e->text);
}

void claims_text(struct claim_eval *e, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	text_v(e, fmt, ap);
	va_end(ap);
}

enum claim_verdict claims_judge(struct claim_eval *e, const struct run_desc *d, const struct history *h,
				bool finished, bool known, bool holds, double figure, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	text_v(e, fmt, ap);
	va_end(ap);
	e->figure = known ? figure : NAN;
	bool diverged = false;
	for (int s = 0; s < d->n_series && s < RUN_MAX_SERIES; s++)
		diverged |= h->diverged[s];
	if (diverged)
		e->verdict = CLAIM_UNDECIDED;
	else if (!known)
		e->verdict = finished ? CLAIM_UNDECIDED : CLAIM_NOT_YET;
	else if (holds)
		e->verdict = CLAIM_HOLDS;
	else
		e->verdict = finished ? CLAIM_FAILS : CLAIM_NOT_YET;
	return e->verdict;
}

int claims_grid_last(const struct history *h, int s, enum metric m, int n)
{
	const double *g = history_grid(h, s, m);
	int last = -1;
	for (int i = 0; g && i < n && i < RUN_MAX_GRID; i++)
		if (isfinite(g[i]))
			last = i;
	return last;
}

double claims_grid_at(const struct history *h, int s, enum metric m, int i)
{
	const double *g = history_grid(h, s, m);
	return g && i >= 0 && i < RUN_MAX_GRID ? g[i] : NAN;
}

double claims_ratio(double a, double b)
{
	return isfinite(a) && isfinite(b) && b > 0 ? a / b : NAN;
}

enum claim_verdict claims_barrier(struct claim_eval *e, const struct run_desc *d, const struct history *h,
				  bool finished, int s, const char *what)
{
	double b = h->last[s][MET_BARRIER];
	return claims_judge(e, d, h, finished, h->seen[s][MET_BARRIER], b > NETPAIR_HIGH_LOSS, b,
			    "%s has a barrier of %.3g (over %g)", what, b, NETPAIR_HIGH_LOSS);
}
