/* history.c: the UI's (and the headless runner's) picture of the current
 * run, built from records alone. Owned by one thread; only this file
 * allocates, so the trainer never does. A curve's memory is bounded: past
 * `keep` points its older half is folded into per-range min/max (see
 * history.h for why the charts do not change). */
#include "overparam/history.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Curves (record.h's metric table) keep every point; events, scalars and
 * the grid keep only their latest value. */
static bool is_curve_metric(enum metric m)
{
	const struct metric_info *mi = metric_info(m);
	return mi && mi->shape == METRIC_CURVE;
}

static void grid_clear(double *g /* (n) */, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		g[i] = NAN;
}

static void fold_free(struct point_fold *f)
{
	free(f->lo);
	free(f->hi);
	*f = (struct point_fold){.minpos = NAN};
}

static void clear_run(struct history *h)
{
	h->epoch = 0;
	h->done = false;
	for (int s = 0; s < RUN_MAX_SERIES; s++) {
		h->diverged[s] = false;
		for (int m = 0; m < MET_COUNT; m++) {
			h->last[s][m] = NAN;
			h->last_epoch[s][m] = 0;
			h->seen[s][m] = false;
			h->pts[s][m].n = 0;
			fold_free(&h->fold[s][m]);
			h->grid_epoch[s][m] = 0;
			if (h->grid[s][m])
				grid_clear(h->grid[s][m], metric_positions((enum metric)m));
		}
	}
}

/* OVERPARAM_HISTORY_KEEP, a test hook: points a curve keeps (2 .. 2^30),
 * whatever the run plans; 0 when unset or not such a number. */
static uint32_t keep_hook(void)
{
	const char *s = getenv("OVERPARAM_HISTORY_KEEP");
	if (!s || !*s)
		return 0;
	char *end;
	unsigned long v = strtoul(s, &end, 10);
	return *end || v < 2 || v > (1ul << 30) ? 0 : (uint32_t)v;
}

void history_init(struct history *h, bool keep_points)
{
	memset(h, 0, sizeof *h);
	h->keep_points = keep_points;
	h->keep_hook = keep_points ? keep_hook() : 0;
	h->keep = h->keep_hook ? h->keep_hook : HISTORY_KEEP_POINTS;
	h->scenario = -1;
	clear_run(h);
}

void history_free(struct history *h)
{
	for (int s = 0; s < RUN_MAX_SERIES; s++)
		for (int m = 0; m < MET_COUNT; m++) {
			free(h->pts[s][m].epoch);
			free(h->pts[s][m].value);
			fold_free(&h->fold[s][m]);
			h->pts[s][m] = (struct point_series){0};
			free(h->grid[s][m]);
			h->grid[s][m] = NULL;
			free(h->grid_at[s][m]);
			h->grid_at[s][m] = NULL;
		}
	free(h->cuts);
	h->cuts = NULL;
	h->n_cuts = h->cuts_span = 0;
}

void history_reset(struct history *h, uint32_t generation)
{
	h->generation = generation;
	h->scenario = -1;
	h->seed = 0;
	clear_run(h);
	h->changes++;
}

uint32_t history_keep_for(uint32_t planned)
{
	uint64_t k = (uint64_t)planned + planned / 8 + 256;
	return k < HISTORY_KEEP_POINTS ? (uint32_t)k : HISTORY_KEEP_POINTS;
}

void history_set_span(struct history *h, uint32_t planned)
{
	h->span = planned;
	h->keep = h->keep_hook ? h->keep_hook : history_keep_for(planned);
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return (x > y) - (x < y);
}

/* The ranges' starts for a span: 0, and where column x of every chart of n
 * <= HISTORY_FOLD_COLS columns begins (epoch_col(e) >= x exactly when
 * e >= (2x - 1) span / (2 (n - 1))), sorted, each once. No range then
 * straddles a column boundary of any of those charts. */
static uint32_t *cut_ranges(uint32_t span, uint32_t *n_out)
{
	uint32_t *c = malloc((size_t)HISTORY_FOLD_RANGES * sizeof *c);
	if (!c)
		return NULL;
	size_t k = 0;
	c[k++] = 0;
	for (uint64_t n = 2; n <= HISTORY_FOLD_COLS; n++) {
		uint64_t d = 2 * (n - 1);
		for (uint64_t x = 1; x < n; x++)
			c[k++] = (uint32_t)(((2 * x - 1) * span + d - 1) / d);
	}
	qsort(c, k, sizeof *c, cmp_u32);
	size_t u = 1;
	for (size_t i = 1; i < k; i++)
		if (c[i] != c[u - 1])
			c[u++] = c[i];
	uint32_t *fit = realloc(c, u * sizeof *c);
	*n_out = (uint32_t)u;
	return fit ? fit : c;
}

static bool any_fold(const struct history *h)
{
	for (int s = 0; s < RUN_MAX_SERIES; s++)
		for (int m = 0; m < MET_COUNT; m++)
			if (h->fold[s][m].lo)
				return true;
	return false;
}

/* The fold's ranges for the run's span; a curve already folded keeps the
 * ones it was folded into. */
static bool ensure_cuts(struct history *h)
{
	if (h->cuts && (h->cuts_span == h->span || any_fold(h)))
		return true;
	free(h->cuts);
	h->cuts = cut_ranges(h->span, &h->n_cuts);
	h->cuts_span = h->span;
	if (!h->cuts)
		h->n_cuts = 0;
	return h->cuts != NULL;
}

/* A curve's first fold: its ranges, all empty. */
static bool fold_start(const struct history *h, struct point_fold *f)
{
	f->lo = malloc((size_t)h->n_cuts * sizeof *f->lo);
	f->hi = malloc((size_t)h->n_cuts * sizeof *f->hi);
	if (!f->lo || !f->hi) {
		fold_free(f);
		return false;
	}
	f->start = h->cuts;
	f->n = h->n_cuts;
	f->span = h->cuts_span;
	for (uint32_t i = 0; i < f->n; i++)
		f->lo[i] = f->hi[i] = NAN;
	return true;
}

/* The range holding epoch: `hint` when it does (points mostly arrive in
 * order), else by bisection (start[0] is 0, so there is one). */
static uint32_t range_of(const struct point_fold *f, uint32_t epoch, uint32_t hint)
{
	if (f->start[hint] <= epoch && (hint + 1 == f->n || epoch < f->start[hint + 1]))
		return hint;
	uint32_t lo = 0, hi = f->n;
	while (hi - lo > 1) {
		uint32_t mid = lo + (hi - lo) / 2;
		if (f->start[mid] <= epoch)
			lo = mid;
		else
			hi = mid;
	}
	return lo;
}

/* Folds the older half of a curve's kept points into its summary. */
static bool fold_older_half(struct history *h, struct point_series *ps, struct point_fold *f)
{
	if (h->span == 0) /* unknown: bounded memory, charts may differ */
		h->span = ps->epoch[ps->n - 1] ? ps->epoch[ps->n - 1] : 1;
	if (!f->lo && (!ensure_cuts(h) || !fold_start(h, f)))
		return false;
	float *lo = f->lo, *hi = f->hi; /* (f->n) */
	if (!lo || !hi)
		return false;
	uint32_t half = ps->n / 2, r = 0;
	for (uint32_t i = 0; i < half; i++) {
		float v = (float)ps->value[i]; /* the fold keeps the chart's resolution */
		if (!isfinite(v))
			continue; /* as colsum: never drawn */
		r = range_of(f, ps->epoch[i], r);
		if (isnan(lo[r]) || v < lo[r])
			lo[r] = v;
		if (isnan(hi[r]) || v > hi[r])
			hi[r] = v;
		if (v > 0 && (isnan(f->minpos) || v < f->minpos))
			f->minpos = v;
	}
	memmove(ps->epoch, ps->epoch + half, (size_t)(ps->n - half) * sizeof *ps->epoch);
	memmove(ps->value, ps->value + half, (size_t)(ps->n - half) * sizeof *ps->value);
	ps->n -= half;
	f->folded += half;
	return true;
}

/* Doubling growth up to `keep` points, then folding; on allocation failure
 * the point is dropped, the latest value is still kept, and the chart shows
 * what it has. */
static void append_point(struct history *h, int s, enum metric m, uint32_t epoch, double value)
{
	struct point_series *ps = &h->pts[s][m];
	uint32_t keep = h->keep < 2 ? 2 : h->keep;
	while (ps->n >= keep)
		if (!fold_older_half(h, ps, &h->fold[s][m]))
			return;
	if (ps->n == ps->cap) {
		uint32_t cap = ps->cap ? ps->cap * 2 : 256;
		if (cap > keep)
			cap = keep;
		if (cap <= ps->cap)
			return;
		uint32_t *e = realloc(ps->epoch, (size_t)cap * sizeof *e);
		if (!e)
			return;
		ps->epoch = e;
		double *v = realloc(ps->value, (size_t)cap * sizeof *v);
		if (!v)
			return;
		ps->value = v;
		ps->cap = cap;
	}
	ps->epoch[ps->n] = epoch;
	ps->value[ps->n] = value;
	ps->n++;
}

/* Generations are free-running: compare by signed distance so the wrap at
 * UINT32_MAX still orders them. */
static bool newer(uint32_t a, uint32_t b)
{
	return (int32_t)(a - b) > 0;
}

bool history_add(struct history *h, const struct op_record *rec)
{
	enum metric m = (enum metric)rec->metric;
	if ((unsigned)m >= MET_COUNT)
		return false;
	if (m == MET_START) {
		/* A start of the current generation counts once, so a reset
		 * UI (which already moved to the next generation) can take
		 * the start it is waiting for. */
		if (newer(rec->generation, h->generation) || (rec->generation == h->generation && h->scenario < 0)) {
			history_reset(h, rec->generation);
			h->scenario = rec->series;
			h->seed = (uint64_t)rec->value;
			return true;
		}
		return false;
	}
	if (rec->generation != h->generation)
		return false;

	switch (m) {
	case MET_EPOCH:
		h->epoch = rec->epoch;
		break;
	case MET_DONE:
		h->done = true;
		if (rec->epoch > h->epoch)
			h->epoch = rec->epoch;
		break;
	default:
		break;
	}
	if (metric_is_grid(m)) {
		int s = rec->series;
		unsigned n = metric_positions(m);
		if (rec->index >= n || s >= RUN_MAX_SERIES)
			return false;
		if (!h->grid[s][m]) {
			h->grid_at[s][m] = calloc(n, sizeof(uint32_t));
			h->grid[s][m] = h->grid_at[s][m] ? malloc(n * sizeof(double)) : NULL;
			if (!h->grid[s][m])
				return false;
			grid_clear(h->grid[s][m], n);
		}
		h->grid[s][m][rec->index] = rec->value;
		h->grid_at[s][m][rec->index] = rec->epoch;
		h->grid_epoch[s][m] = rec->epoch;
	}
	if (m != MET_EPOCH && m != MET_DONE) {
		int s = rec->series;
		if (s >= RUN_MAX_SERIES)
			return false;
		h->last[s][m] = rec->value;
		h->last_epoch[s][m] = rec->epoch;
		h->seen[s][m] = true;
		if (m == MET_DIVERGED)
			h->diverged[s] = true;
		if (h->keep_points && is_curve_metric(m))
			append_point(h, s, m, rec->epoch, rec->value);
	}
	h->changes++;
	return true;
}

const double *history_grid(const struct history *h, int series, enum metric m)
{
	if (series < 0 || series >= RUN_MAX_SERIES || (unsigned)m >= MET_COUNT)
		return NULL;
	return h->grid[series][m];
}

uint32_t history_kept_from(const struct history *h)
{
	uint32_t from = 0;
	for (int s = 0; s < RUN_MAX_SERIES; s++)
		for (int m = 0; m < MET_COUNT; m++) {
			const struct point_series *ps = &h->pts[s][m];
			if (h->fold[s][m].folded && ps->n && ps->epoch[0] > from)
				from = ps->epoch[0];
		}
	return from;
}

size_t history_budget(const struct scenario *sc)
{
	const struct experiment_ops *ops = experiment_ops_for(sc->kind);
	if (!ops || !ops->describe)
		return 0;
	size_t curves = 0;
	for (int i = 0; i < ops->n_metrics; i++)
		curves += is_curve_metric(ops->metrics[i]);
	if (curves == 0)
		return 0;
	struct run_desc d;
	ops->describe(sc, &d);
	size_t series = d.n_series < 0 ? 0 : d.n_series > RUN_MAX_SERIES ? RUN_MAX_SERIES : (size_t)d.n_series;
	uint32_t planned = d.planned_epochs > 0 ? (uint32_t)d.planned_epochs : 1;
	size_t ranges = planned < HISTORY_FOLD_RANGES ? (size_t)planned + 1 : HISTORY_FOLD_RANGES;
	size_t point = sizeof(uint32_t) + sizeof(double); /* epoch, value */
	size_t curve = (size_t)history_keep_for(planned) * point + ranges * 2 * sizeof(float);
	return series * curves * curve + ranges * 4;
}

void history_trim(struct history *h)
{
	for (int s = 0; s < RUN_MAX_SERIES; s++)
		for (int m = 0; m < MET_COUNT; m++) {
			struct point_series *ps = &h->pts[s][m];
			if (ps->cap <= ps->n || ps->n == 0)
				continue;
			uint32_t *e = realloc(ps->epoch, (size_t)ps->n * sizeof *e);
			if (e)
				ps->epoch = e;
			double *v = realloc(ps->value, (size_t)ps->n * sizeof *v);
			if (v)
				ps->value = v;
			ps->cap = ps->n; /* both hold n now, shrunk or not */
		}
}
