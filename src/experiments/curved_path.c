/* curved_path.c: the two networks of mode_connectivity train to the target;
 * then, with both ends fixed, the bend theta_c of the quadratic Bezier curve
 *   phi(t) = (1-t)^2 A + 2t(1-t) theta_c + t^2 B
 * trains (Garipov et al. 2018): each epoch samples t uniformly in [0, 1] and
 * takes one optimiser step on theta_c with the loss gradient at phi(t),
 * which reaches theta_c scaled by dphi/dtheta_c = 2t(1-t). The bend starts
 * at (A + B)/2, where the curve is the straight line, so the class sees the
 * curve's loss peel away from the line's. Both paths are measured from the
 * epoch the two ends stop. A diverged net ends the run, both paths' series
 * marked diverged; so does a diverged bend, the curve's series marked.
 *
 * Each phase has its own budget of train.epochs steps: the nets train until
 * both reach the target (or the budget runs out), then the bend takes all
 * of its steps, however late the nets stopped. Its learning rate anneals
 * from train.lr to 0 along a cosine over those steps: at a constant rate
 * Adam's steps on a random t keep kicking the curve up now and then, so the
 * last measurement would catch it at a random point of those swings rather
 * than at where it converged. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include <cblas.h>

#include "experiments/claims.h"
#include "experiments/curved_path.h"
#include "experiments/report.h"
#include "overparam/experiment.h"
#include "overparam/history.h"
#include "overparam/netpair.h"
#include "overparam/optim.h"
#include "overparam/rng.h"

enum { SER_A, SER_B, SER_LINE, SER_CURVE, N_SERIES };
#define PATHS ((1u << SER_LINE) | (1u << SER_CURVE))
enum { STREAM_T = 2000 }; /* the t draws: apart from data (0) and nets (1000 + seed) */

struct curved_path {
	struct scenario sc;
	struct netpair p;
	float *bend;      /* (n_params) theta_c */
	float *grad;      /* (n_params) its gradient */
	struct optim opt; /* on theta_c */
	struct rng r;
	int bend_from;    /* epoch the bend began training, -1 before */
	int bend_budget;  /* steps the bend takes: train.epochs */
	int bend_steps;   /* steps taken on theta_c */
	struct netpair_grid t;
};

static void curve_destroy(struct experiment *x)
{
	struct curved_path *m = (struct curved_path *)x;
	if (!m)
		return;
	netpair_destroy(&m->p);
	optim_destroy(&m->opt);
	free(m->bend);
	free(m->grad);
	free(m);
}

static int curve_create(const struct scenario *sc, uint64_t seed, struct experiment **out, char *err, size_t errlen)
{
	struct curved_path *m = calloc(1, sizeof *m);
	if (!m)
		goto oom;
	m->sc = *sc;
	if (netpair_create(&m->p, sc, sc->model.widths[0], seed, sc->model.init_seeds[0], sc->model.init_seeds[1]) != 0)
		goto oom;
	size_t np = m->p.mix.n_params;
	m->bend = malloc(np * sizeof *m->bend);
	m->grad = malloc(np * sizeof *m->grad);
	if (!m->bend || !m->grad || optim_create(&m->opt, sc->train.optimizer, np, sc->train.lr) != 0)
		goto oom;
	rng_seed(&m->r, seed, STREAM_T);
	m->bend_from = -1;
	m->bend_budget = sc->train.epochs;
	netpair_grid(&m->t, sc->train.alpha_points, NETPAIR_ROUND_EACH);
	*out = (struct experiment *)m;
	return 0;
oom:
	snprintf(err, errlen, "%s: out of memory building the two networks and the bend", sc->path);
	curve_destroy((struct experiment *)m);
	return -1;
}

/* theta_c = (A + B) / 2: the Bezier curve through it is the straight line. */
static void bend_midpoint(struct curved_path *m)
{
	int np = (int)m->p.mix.n_params;
	cblas_scopy(np, m->p.net[SER_A].net.params, 1, m->bend, 1);
	cblas_saxpy(np, 1.0f, m->p.net[SER_B].net.params, 1, m->bend, 1);
	cblas_sscal(np, 0.5f, m->bend, 1);
}

/* The bend's learning rate at its step k of n: train.lr annealed to 0
 * along a cosine, so its last steps settle instead of swinging. */
static double bend_lr(double lr, int k, int n)
{
	return 0.5 * lr * (1 + cos(M_PI * k / n));
}

/* One step on theta_c at a random t. */
static double bend_step(struct curved_path *m)
{
	m->opt.lr = bend_lr(m->sc.train.lr, m->bend_steps, m->bend_budget);
	const float *a = m->p.net[SER_A].net.params, *b = m->p.net[SER_B].net.params;
	double t = rng_uniform(&m->r);
	double loss = netpair_bezier_loss(&m->p, a, m->bend, b, t, true);
	int np = (int)m->p.mix.n_params;
	/* d loss / d theta_c = 2t(1-t) d loss / d phi */
	cblas_scopy(np, m->p.mix.grads, 1, m->grad, 1);
	cblas_sscal(np, (float)(2 * t * (1 - t)), m->grad, 1);
	optim_step(&m->opt, m->bend, m->grad);
	return loss;
}

/* The bend's starting loss, for the divergence rule: the larger of the two
 * nets' first losses, the scale of the problem (its own first loss, at a t
 * drawn near an end, may be as small as the ends' target). */
static double bend_scale(const struct curved_path *m)
{
	return fmax(m->p.net[SER_A].start_loss, m->p.net[SER_B].start_loss);
}

/* Loss along both paths at every t, and each path's barrier. */
static void curve_measure(struct curved_path *m, uint32_t e, struct emitter *em)
{
	const float *a = m->p.net[SER_A].net.params, *b = m->p.net[SER_B].net.params;
	double line = netpair_line(&m->p, &m->t, a, b);
	netpair_emit_path(&m->p, &m->t, em, e, SER_LINE, line);
	double curve = netpair_curve(&m->p, &m->t, a, m->bend, b);
	netpair_emit_path(&m->p, &m->t, em, e, SER_CURVE, curve);
}

static void curve_use_workers(struct experiment *x, struct workers *wk)
{
	netpair_use_workers(&((struct curved_path *)x)->p, wk);
}

static bool curve_step(struct experiment *x, struct emitter *em)
{
	struct curved_path *m = (struct curved_path *)x;
	int total = m->sc.train.epochs; /* the nets' budget; the bend has its own */
	/* the epochs of both phases count on one axis */
	int epoch = m->bend_from < 0 ? m->p.epoch : m->bend_from + m->bend_steps;
	bool over;
	if (m->bend_from < 0) {
		if (epoch >= total)
			return false;
		bool done = netpair_train(&m->p, em, SER_A);
		if (netpair_diverged(&m->p)) {
			netpair_emit_diverged(&m->p, em, (uint32_t)epoch, PATHS);
			return false;
		}
		/* The bend starts at the trained ends' midpoint (and stays there
		 * if the ends never both reach the target: the run ends). */
		over = !done && epoch + 1 >= total;
		if (done || over)
			bend_midpoint(m);
		if (done)
			m->bend_from = epoch + 1;
	} else {
		if (m->bend_steps >= m->bend_budget)
			return false;
		double loss = bend_step(m);
		m->bend_steps++;
		emitter_put(em, (uint32_t)epoch, SER_CURVE, MET_TRAIN_LOSS, 0, loss);
		if (report_diverged(loss, bend_scale(m))) {
			emitter_put(em, (uint32_t)epoch, SER_CURVE, MET_DIVERGED, 0, loss);
			return false;
		}
		over = m->bend_steps >= m->bend_budget;
	}
	/* The paths are measured once the ends are trained (the untrained
	 * nets' line would set the chart's scale), then every eval_every. */
	bool bending = m->bend_from >= 0;
	if ((bending && (epoch % m->sc.train.eval_every == 0 || epoch + 1 == m->bend_from)) || over)
		curve_measure(m, (uint32_t)epoch, em);
	return !over;
}

static void curve_describe(const struct scenario *sc, struct run_desc *d)
{
	netpair_describe(sc, d, N_SERIES, "t");
	/* the nets' budget, then the bend's: the longest run there can be */
	d->planned_epochs = 2 * sc->train.epochs;
	snprintf(d->series_label[SER_LINE], sizeof d->series_label[SER_LINE], "straight line");
	snprintf(d->series_label[SER_CURVE], sizeof d->series_label[SER_CURVE], "Bezier curve");
	d->series_params[SER_CURVE] = d->series_params[SER_A]; /* the bend is one more net's worth */
	d->views[d->n_views++] = (struct view_spec){
		.kind = VIEW_LINES,
		.title = "Loss along each path",
		.n_metrics = 1,
		.metrics = {MET_INTERP_LOSS},
		.series_mask = (1u << SER_LINE) | (1u << SER_CURVE),
		.x_grid = true,
		.hline = NAN,
		.weight = 3,
		.pending = "measured once both nets have trained",
	};
	d->views[d->n_views++] = (struct view_spec){
		.kind = VIEW_LINES,
		.title = "Barrier of each path",
		.n_metrics = 1,
		.metrics = {MET_BARRIER},
		.series_mask = (1u << SER_LINE) | (1u << SER_CURVE),
		.hline = NAN,
		.weight = 2,
		.pending = "measured once both nets have trained",
	};
	d->views[d->n_views++] = (struct view_spec){
		.kind = VIEW_LINES,
		.title = "Training loss: nets, then the curve at a random t",
		.n_metrics = 1,
		.metrics = {MET_TRAIN_LOSS},
		.series_mask = (1u << SER_A) | (1u << SER_B) | (1u << SER_CURVE),
		.log_y = true,
		.hline = d->threshold,
		.hline_label = "target",
		.weight = 2,
	};
	d->views[d->n_views++] = (struct view_spec){.kind = VIEW_TEXT, .title = "Why", .weight = 1};
}

static double grid_max(const double *g /* (n) */, int n)
{
	double mx = -INFINITY;
	for (int i = 0; g && i < n; i++) {
		if (isnan(g[i]))
			return NAN;
		if (g[i] > mx)
			mx = g[i];
	}
	return g ? mx : NAN;
}

/* Both paths' losses on the grid, their highest points and barriers. */
static void print_paths(const struct run_desc *d, const struct history *h, const double *line, const double *curve,
			FILE *out)
{
	fprintf(out, "%-8s %-16s %s\n", "t", "straight line", "Bezier curve");
	for (int i = 0; i < d->n_grid; i++)
		fprintf(out, "%-8.2f %-16.6g %.6g\n", d->grid_x[i], line ? line[i] : NAN, curve ? curve[i] : NAN);
	double lmax = grid_max(line, d->n_grid), cmax = grid_max(curve, d->n_grid);
	fprintf(out, "\nhighest loss on the path: straight line %.4g, Bezier curve %.4g", lmax, cmax);
	if (isfinite(lmax) && isfinite(cmax) && lmax > 0)
		fprintf(out, " (%.1f%% of the line's)", 100 * cmax / lmax);
	fprintf(out, "\nbarrier: straight line %.4g, Bezier curve %.4g\n", h->last[SER_LINE][MET_BARRIER],
		h->last[SER_CURVE][MET_BARRIER]);
}

static void curve_report(const struct scenario *sc, const struct run_desc *d, const struct history *h, FILE *out)
{
	netpair_report_nets(sc, d, h, out);
	const double *line = history_grid(h, SER_LINE, MET_INTERP_LOSS);
	const double *curve = history_grid(h, SER_CURVE, MET_INTERP_LOSS);
	bool bent = h->seen[SER_CURVE][MET_TRAIN_LOSS];
	char how[80] = "never: the nets did not both stop";
	if (bent) /* its steps: from the epoch after the later net stopped */
		snprintf(how, sizeof how, "%.0f steps after both nets stopped",
			 h->last_epoch[SER_CURVE][MET_TRAIN_LOSS] -
				 fmax(h->last[SER_A][MET_CONVERGED], h->last[SER_B][MET_CONVERGED]));
	fprintf(out, "\nloss along each path at epoch %u (the bend trained %s):\n", h->grid_epoch[SER_CURVE][MET_INTERP_LOSS],
		how);
	if (line || curve)
		print_paths(d, h, line, curve, out);
	else
		fprintf(out, "none: the run ended before a path was measured\n");
	if (!report_decided(out, NULL, d, h, REPORT_ALL_SERIES))
		return;
	double lmax = grid_max(line, d->n_grid), cmax = grid_max(curve, d->n_grid);
	if (!bent)
		fprintf(out, "RESULT: the nets did not both reach the target, so the bend never trained\n");
	else if (isfinite(cmax) && isfinite(lmax) && cmax < 0.2 * lmax)
		fprintf(out, "RESULT: a low-loss curve joins the two solutions the straight line cannot\n");
	else
		fprintf(out, "RESULT: the bend did not find a low-loss curve\n");
}

/* ---- claims: what scenario 8 says, measured on its own records ---- */

/* The highest loss on each path so far; false until the bend has trained. */
static bool path_tops(const struct run_desc *d, const struct history *h, double *line, double *curve)
{
	*line = grid_max(history_grid(h, SER_LINE, MET_INTERP_LOSS), d->n_grid);
	*curve = grid_max(history_grid(h, SER_CURVE, MET_INTERP_LOSS), d->n_grid);
	return h->seen[SER_CURVE][MET_TRAIN_LOSS] && isfinite(*line) && isfinite(*curve);
}

/* The curve's top stays under this: the notes' "the hump sinks". */
#define CURVE_LOW 0.02

static enum claim_verdict claim_curve_low(const struct scenario *sc, const struct run_desc *d, const struct history *h,
					  bool finished, struct claim_eval *e)
{
	(void)sc;
	double line, curve;
	bool known = path_tops(d, h, &line, &curve);
	return claims_judge(e, d, h, finished, known, curve < CURVE_LOW, curve,
			    "the curve's highest loss sinks to %.3g (under %g); the line's is %.3g", curve, CURVE_LOW, line);
}

static enum claim_verdict claim_curve_beats_line(const struct scenario *sc, const struct run_desc *d,
						 const struct history *h, bool finished, struct claim_eval *e)
{
	(void)sc;
	double line, curve;
	bool known = path_tops(d, h, &line, &curve);
	double r = claims_ratio(curve, line);
	return claims_judge(e, d, h, finished, known, r < 0.2, r,
			    "the curve's top is %.3g of the line's (%.3g vs %.3g; under 0.2)", r, curve, line);
}

static enum claim_verdict claim_path_barrier(const struct scenario *sc, const struct run_desc *d,
					     const struct history *h, bool finished, struct claim_eval *e)
{
	(void)sc;
	return claims_barrier(e, d, h, finished, SER_LINE, "the straight line between the nets");
}

static const struct claim claims[] = {
	{"curve-low", "highest loss on the curve", claim_curve_low, NULL},
	{"curve-beats-line", "curve top / line top", claim_curve_beats_line, NULL},
	{"line-barrier", "barrier on the straight line", claim_path_barrier, NULL},
};

static bool curve_check(struct config_check *c, const struct scenario *sc)
{
	if (!(sc->train.target_loss > 0))
		return config_fail(c, KEY_TARGET_LOSS,
				   "kind curved_path needs a target loss > 0 (the bend trains once both nets reach it)");
	return true;
}

static double curve_memory(const struct scenario *sc, enum config_key *blame)
{
	*blame = KEY_WIDTHS;
	return netpair_memory(sc);
}

void curved_path_points(struct experiment *x, struct curved_path_points *out)
{
	struct curved_path *m = (struct curved_path *)x;
	*out = (struct curved_path_points){
		.pair = &m->p,
		.a = m->p.net[SER_A].net.params,
		.b = m->p.net[SER_B].net.params,
		.bend = m->bend,
		.bent = m->bend_from >= 0,
	};
}

static const enum metric emitted[] = {MET_TRAIN_LOSS, MET_CONVERGED, MET_DIVERGED, MET_INTERP_LOSS, MET_BARRIER};

const struct experiment_ops curved_path_ops = {
	.kind = "curved_path",
	.keys = NETPAIR_KEYS | KEY_BIT(KEY_EVAL_EVERY),
	NETPAIR_CHOICES,
	.one_width = true,
	.check = curve_check,
	.memory = curve_memory,
	.create = curve_create,
	.step = curve_step,
	.destroy = curve_destroy,
	.use_workers = curve_use_workers,
	.describe = curve_describe,
	.report = curve_report,
	EXPERIMENT_METRICS(emitted),
	EXPERIMENT_CLAIMS(claims),
};
