/* barrier_width.c: the barrier between two independently trained networks,
 * as trained and after weight matching, at each of the scenario's widths.
 * One step trains `repeats` pairs of one width to the target loss and
 * measures both barriers (their mean is one grid point), so the chart fills
 * in width by width. Pair r uses the init seeds init_seeds + 2r; every
 * width sees the same data. A net that diverges ends the run at its width,
 * both series marked diverged there. */
#include <math.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "experiments/claims.h"
#include "experiments/report.h"
#include "overparam/experiment.h"
#include "overparam/history.h"
#include "overparam/netpair.h"
#include "overparam/run_loop.h"
#include "overparam/workers.h"

enum { SER_PLAIN, SER_ALIGNED, N_SERIES };

struct barrier_width {
	struct scenario sc;
	uint64_t seed;
	/* Two a width, with matching: pair r of a width in slot r % 2, so on a
	 * team pair r + 1 trains while pair r is measured (one slot with one
	 * repeat). */
	struct netpair pair[SCENARIO_MAX_WIDTHS][2];
	int slots;
	int next;                                 /* the width the next step trains */
	bool ahead;                               /* its first pair trained (beside the last measuring) */
	struct netpair_grid alpha;
	struct workers *team;                     /* the runner's, with two threads or more; else NULL */
};

static void barrier_width_destroy(struct experiment *x)
{
	struct barrier_width *m = (struct barrier_width *)x;
	if (!m)
		return;
	for (int k = 0; k < SCENARIO_MAX_WIDTHS; k++)
		for (int s = 0; s < 2; s++)
			netpair_destroy(&m->pair[k][s]);
	free(m);
}

static int barrier_width_create(const struct scenario *sc, uint64_t seed, struct experiment **out, char *err,
				size_t errlen)
{
	struct barrier_width *m = calloc(1, sizeof *m);
	if (!m)
		goto oom;
	m->sc = *sc;
	m->seed = seed;
	m->slots = sc->train.repeats > 1 ? 2 : 1;
	for (int k = 0; k < sc->model.n_widths; k++)
		for (int s = 0; s < m->slots; s++) {
			if (run_cancelled())
				goto fail; /* run_loop_open says why */
			if (netpair_create(&m->pair[k][s], sc, sc->model.widths[k], seed, sc->model.init_seeds[0],
					   sc->model.init_seeds[1]) != 0 ||
			    netpair_create_matching(&m->pair[k][s]) != 0)
				goto oom;
		}
	netpair_grid(&m->alpha, sc->train.alpha_points, NETPAIR_ROUND_EACH);
	*out = (struct experiment *)m;
	return 0;
oom:
	snprintf(err, errlen, "%s: out of memory building the networks", sc->path);
fail:
	barrier_width_destroy((struct experiment *)m);
	return -1;
}

static void barrier_width_use_workers(struct experiment *x, struct workers *wk)
{
	struct barrier_width *m = (struct barrier_width *)x;
	m->team = workers_threads(wk) >= 2 ? wk : NULL;
	for (int k = 0; k < m->sc.model.n_widths; k++)
		for (int s = 0; s < m->slots; s++)
			netpair_use_workers(&m->pair[k][s], m->team);
}

/* Pair r of width k back to its start (init seeds init_seeds + 2r). */
static struct netpair *pair_reset(struct barrier_width *m, int k, int r)
{
	struct netpair *p = &m->pair[k][r % m->slots];
	netpair_reset(p, &m->sc, m->seed, m->sc.model.init_seeds[0] + 2 * (uint64_t)r,
		      m->sc.model.init_seeds[1] + 2 * (uint64_t)r);
	return p;
}

/* One pair measured (both lines and the matching, on one thread) and the
 * next trained: three tasks, the measuring first, then each net of the
 * next pair; a thread of the team that is free takes the next task. So
 * while one thread measures, the other trains a net, and the first done
 * trains the other net. Each task alone on its thread (no team of its own
 * in the job): its numbers are those of one thread. */
struct overlap {
	struct netpair *now;
	const struct netpair_grid *alpha;
	struct netpair_to_end next;
	int tasks;        /* 3, or 1 when the next pair has nothing to train */
	atomic_int taken; /* tasks taken so far */
	double plain, aligned;
};

static void overlap_share(void *ctx, int phase, int share)
{
	(void)phase;
	(void)share;
	struct overlap *o = ctx;
	int t;
	while ((t = atomic_fetch_add_explicit(&o->taken, 1, memory_order_relaxed)) < o->tasks) {
		if (t == 0)
			netpair_lines_matched(o->now, o->alpha, &o->plain, &o->aligned);
		else
			netpair_to_end_net(&o->next, t - 1);
	}
}

/* Pair p's two barriers; with `next` (reset) on a team, next trains
 * meanwhile, else after. */
static void measure_and_train(struct barrier_width *m, struct netpair *p, struct netpair *next, double *plain,
			      double *aligned)
{
	if (!next || !m->team) {
		netpair_lines_matched(p, &m->alpha, plain, aligned);
		if (next && !run_cancelled())
			netpair_train_to_end(next, m->sc.train.epochs);
		return;
	}
	struct overlap o = {.now = p, .alpha = &m->alpha, .tasks = 1};
	if (netpair_to_end_begin(&o.next, next, m->sc.train.epochs))
		o.tasks = 3;
	atomic_init(&o.taken, 0);
	netpair_use_workers(p, NULL);
	netpair_use_workers(next, NULL);
	workers_run(m->team, overlap_share, &o, 1, 2);
	netpair_use_workers(p, m->team);
	netpair_use_workers(next, m->team);
	if (o.tasks == 3)
		netpair_to_end_end(&o.next);
	*plain = o.plain;
	*aligned = o.aligned;
}

static bool barrier_width_step(struct experiment *x, struct emitter *em)
{
	struct barrier_width *m = (struct barrier_width *)x;
	int k = m->next;
	if (k >= m->sc.model.n_widths)
		return false;
	int repeats = m->sc.train.repeats > 0 ? m->sc.train.repeats : 1;
	double plain = 0, aligned = 0, reached = 0;
	uint32_t e = (uint32_t)k;
	/* up to train.epochs epochs a net in this one step, each net of the
	 * first pair on a thread of the team (unless the step before trained
	 * it), each later pair beside the measuring of the one before, and on
	 * a team the next width's first pair beside the last: it gives way to
	 * a cancel (run_loop.h) */
	struct netpair *p = &m->pair[k][0];
	if (!m->ahead) {
		p = pair_reset(m, k, 0);
		netpair_train_to_end(p, m->sc.train.epochs);
	}
	m->ahead = false;
	for (int r = 0; r < repeats; r++) {
		if (run_cancelled())
			return false;
		if (netpair_diverged(p)) {
			netpair_emit_diverged(p, em, e, (1u << SER_PLAIN) | (1u << SER_ALIGNED));
			m->next = m->sc.model.n_widths;
			return false;
		}
		/* the line from B (alpha 0) to A (alpha 1), and from B matched
		 * to A (the matching beside the first line) */
		struct netpair *next = NULL;
		if (r + 1 < repeats)
			next = pair_reset(m, k, r + 1);
		else if (m->team && k + 1 < m->sc.model.n_widths) { /* alone it would gain nothing */
			next = pair_reset(m, k + 1, 0);
			m->ahead = true;
		}
		double b_plain, b_aligned;
		measure_and_train(m, p, next, &b_plain, &b_aligned);
		plain += b_plain;
		aligned += b_aligned;
		if (run_cancelled()) /* the matching gave up: nothing to send */
			return false;
		reached += p->net[0].stopped_at >= 0 && p->net[1].stopped_at >= 0;
		p = next;
	}
	emitter_put(em, e, SER_PLAIN, MET_PAIR_BARRIER, (uint32_t)k, plain / repeats);
	emitter_put(em, e, SER_ALIGNED, MET_PAIR_BARRIER, (uint32_t)k, aligned / repeats);
	/* pairs whose both nets reached the target, as a fraction */
	emitter_put(em, e, SER_PLAIN, MET_PAIR_REACHED, (uint32_t)k, reached / repeats);
	m->next++;
	return m->next < m->sc.model.n_widths;
}

static void barrier_width_describe(const struct scenario *sc, struct run_desc *d)
{
	memset(d, 0, sizeof *d);
	d->planned_epochs = sc->model.n_widths;
	d->progress = (struct run_progress){"width", sc->model.n_widths, MET_EPOCH, false};
	d->n_series = N_SERIES;
	snprintf(d->series_label[SER_PLAIN], sizeof d->series_label[SER_PLAIN], "as trained");
	snprintf(d->series_label[SER_ALIGNED], sizeof d->series_label[SER_ALIGNED], "aligned");
	d->n_grid = sc->model.n_widths;
	d->grid_name = "width";
	for (int k = 0; k < sc->model.n_widths; k++)
		d->grid_x[k] = sc->model.widths[k];
	d->threshold = sc->train.target_loss > 0 ? sc->train.target_loss : NAN;
	d->noise_floor = NAN;
	d->views[d->n_views++] = (struct view_spec){
		.kind = VIEW_LINES,
		.title = "Barrier of trained pairs",
		.n_metrics = 1,
		.metrics = {MET_PAIR_BARRIER},
		.series_mask = (1u << SER_PLAIN) | (1u << SER_ALIGNED),
		.x_grid = true,
		.log_y = true,
		.hline = NAN,
		.weight = 3,
		.scale_group = 1, /* the matched bars on the scale of the barriers as trained */
	};
	d->views[d->n_views++] =
		netpair_bars_view("Barrier after matching", MET_PAIR_BARRIER, MET_COUNT, 1u << SER_ALIGNED);
	d->views[d->n_views - 1].scale_group = 1;
	d->views[d->n_views++] = (struct view_spec){.kind = VIEW_TEXT, .title = "Why", .weight = 1};
}

static void barrier_width_report(const struct scenario *sc, const struct run_desc *d, const struct history *h,
				 FILE *out)
{
	int repeats = sc->train.repeats > 0 ? sc->train.repeats : 1;
	netpair_report_head(sc, out);
	fprintf(out, "; %d pair%s of nets per width, trained to loss < %g\n", repeats, repeats == 1 ? "" : "s",
		sc->train.target_loss);
	const double *plain = history_grid(h, SER_PLAIN, MET_PAIR_BARRIER);
	const double *aligned = history_grid(h, SER_ALIGNED, MET_PAIR_BARRIER);
	const double *reached = history_grid(h, SER_PLAIN, MET_PAIR_REACHED);
	fprintf(out, "\n%-8s %-10s %-12s %-12s %-10s %s\n", "width", "params", "as trained", "aligned", "removed",
		"reached target");
	/* the width a pair diverged at, whose step ended the run */
	int bad = h->diverged[SER_PLAIN] ? (int)h->last_epoch[SER_PLAIN][MET_DIVERGED] : -1;
	for (int k = 0; k < d->n_grid; k++) {
		double p = plain ? plain[k] : NAN, a = aligned ? aligned[k] : NAN;
		char removed[16] = "-", got[16] = "-";
		if (isfinite(p) && isfinite(a) && p > 0)
			snprintf(removed, sizeof removed, "%.0f%%", 100 * (1 - a / p));
		if (reached && isfinite(reached[k]))
			snprintf(got, sizeof got, "%.0f%%", 100 * reached[k]);
		long params = netpair_params(sc, sc->model.widths[k]);
		if (isnan(p) && isnan(a)) /* never measured */
			fprintf(out, "%-8d %-10ld %-12s %-12s %-10s %s\n", sc->model.widths[k], params,
				k == bad ? "diverged" : "-", "-", removed, got);
		else
			fprintf(out, "%-8d %-10ld %-12.4g %-12.4g %-10s %s\n", sc->model.widths[k], params, p, a, removed,
				got);
	}
	fprintf(out, "\n");
	if (bad >= 0 && bad < d->n_grid) {
		report_undecided(out, NULL, "diverged at width %d (a net of one of its pairs); " REPORT_LR_HINT,
				 sc->model.widths[bad]);
		return;
	}
	if (!report_decided(out, NULL, d, h, 0))
		return;
	int last = d->n_grid - 1;
	double first = aligned ? aligned[0] : NAN, end = aligned && last > 0 ? aligned[last] : NAN;
	/* "shrinks" only for a clear fall: one pair's barrier is noisy */
	if (isfinite(first) && isfinite(end) && end < 0.5 * first)
		fprintf(out, "RESULT: after matching units the barrier falls %.1fx from width %d to %d (%.3g to %.3g)\n",
			first / end, sc->model.widths[0], sc->model.widths[last], first, end);
	else
		fprintf(out, "RESULT: after matching units the barrier does not clearly fall with width (%.3g at %d, "
			"%.3g at %d)\n",
			first, sc->model.widths[0], end, sc->model.widths[last > 0 ? last : 0]);
}

/* ---- claims: what scenario 9 says, measured on its own records ---- */

static enum claim_verdict claim_falls_with_width(const struct scenario *sc, const struct run_desc *d,
						 const struct history *h, bool finished, struct claim_eval *e)
{
	int last = claims_grid_last(h, SER_ALIGNED, MET_PAIR_BARRIER, d->n_grid);
	double first = claims_grid_at(h, SER_ALIGNED, MET_PAIR_BARRIER, 0);
	double end = claims_grid_at(h, SER_ALIGNED, MET_PAIR_BARRIER, last);
	double r = claims_ratio(first, end);
	bool known = last == d->n_grid - 1 && last > 0 && isfinite(r);
	int to = last > 0 ? last : d->n_grid - 1; /* none past the first yet: the widest it will be */
	return claims_judge(e, d, h, finished, known, r > 2, r,
			    "after matching, the barrier falls %.3gx from width %d to %d (%.3g to %.3g; over 2x)", r,
			    sc->model.widths[0], sc->model.widths[to > 0 ? to : 0], first, last > 0 ? end : NAN);
}

static enum claim_verdict claim_trained_flat(const struct scenario *sc, const struct run_desc *d,
					     const struct history *h, bool finished, struct claim_eval *e)
{
	(void)sc;
	double lo = INFINITY, hi = -INFINITY;
	int last = claims_grid_last(h, SER_PLAIN, MET_PAIR_BARRIER, d->n_grid);
	for (int k = 0; k <= last; k++) {
		lo = fmin(lo, claims_grid_at(h, SER_PLAIN, MET_PAIR_BARRIER, k));
		hi = fmax(hi, claims_grid_at(h, SER_PLAIN, MET_PAIR_BARRIER, k));
	}
	if (last < 0) /* no width yet: no range either */
		lo = hi = NAN;
	return claims_judge(e, d, h, finished, last == d->n_grid - 1, lo > NETPAIR_HIGH_LOSS, lo,
			    "as trained, the barrier stays %.3g to %.3g at every width (over %g)", lo, hi,
			    NETPAIR_HIGH_LOSS);
}

static enum claim_verdict claim_levels_off(const struct scenario *sc, const struct run_desc *d,
					   const struct history *h, bool finished, struct claim_eval *e)
{
	int last = claims_grid_last(h, SER_ALIGNED, MET_PAIR_BARRIER, d->n_grid);
	double prev = claims_grid_at(h, SER_ALIGNED, MET_PAIR_BARRIER, last - 1);
	double end = claims_grid_at(h, SER_ALIGNED, MET_PAIR_BARRIER, last);
	double r = claims_ratio(prev, end);
	bool known = last == d->n_grid - 1 && last > 0 && isfinite(r);
	int to = last > 0 ? last : d->n_grid - 1; /* none past the first yet: the two widest it will be */
	if (last < 1)
		prev = end = NAN;
	return claims_judge(e, d, h, finished, known, r < 2, r,
			    "it levels off: from width %d to %d the matched barrier falls only %.3gx (%.3g to %.3g; under 2x)",
			    sc->model.widths[to > 0 ? to - 1 : 0], sc->model.widths[to > 0 ? to : 0], r, prev, end);
}

static const struct claim claims[] = {
	{"falls-with-width", "matched barrier, narrowest / widest", claim_falls_with_width, NULL},
	{"trained-flat", "lowest barrier as trained", claim_trained_flat, NULL},
	{"levels-off", "matched barrier, two widest, ratio", claim_levels_off, NULL},
};

/* Two pairs a width when it trains more than one (slots). */
static double barrier_width_memory(const struct scenario *sc, enum config_key *blame)
{
	*blame = KEY_WIDTHS;
	return (sc->train.repeats > 1 ? 2 : 1) * netpair_memory(sc);
}

static const enum metric emitted[] = {MET_PAIR_BARRIER, MET_PAIR_REACHED, MET_DIVERGED};

const struct experiment_ops barrier_width_ops = {
	.kind = "barrier_width",
	/* Any number of widths; it measures each pair once, when trained (no
	 * eval_every), and averages train.repeats pairs at each width. */
	.keys = NETPAIR_KEYS | KEY_BIT(KEY_REPEATS),
	NETPAIR_CHOICES,
	.check = config_no_check,
	.memory = barrier_width_memory,
	.create = barrier_width_create,
	.step = barrier_width_step,
	.destroy = barrier_width_destroy,
	.use_workers = barrier_width_use_workers,
	.describe = barrier_width_describe,
	.report = barrier_width_report,
	EXPERIMENT_METRICS(emitted),
	EXPERIMENT_CLAIMS(claims),
};
