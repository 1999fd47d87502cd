/* loss_plane.c: the picture of Garipov et al. (2018), Figure 1. First a
 * curved_path run, scenario 8's recipe and code (its records pass through
 * unchanged): nets A and B train, then the bend C of the quadratic Bezier
 * curve between them. Then the training loss on the plane through A, B
 * and C, one map row an epoch, so the class watches it appear:
 *   theta(x, y) = A + x e1 + y e2,  e1 = (B - A) / |B - A|,
 *   e2 = the part of C - A orthogonal to e1, normalised,
 * so A = (0, 0), B = (|B - A|, 0) and C = (<C - A, e1>, <C - A, e2>) in
 * orthonormal coordinates, the map a margin around the three with square
 * cells. The straight segment and the curve lie in the plane (the curve
 * is an affine mix of A, C and B), so both are drawn on it exactly.
 *
 * With train.random_plane = 1 the plane is Li et al.'s (2018) instead:
 * around A, two random directions, each filter-normalised (each unit's
 * incoming weights scaled to the norm of A's, biases left out), x and y
 * in [-1, 1] along them; B, C and the paths are not in it. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cblas.h>

#include "experiments/claims.h"
#include "experiments/curved_path.h"
#include "experiments/loss_plane.h"
#include "experiments/report.h"
#include "overparam/history.h"
#include "overparam/rng.h"

#define MARGIN 0.25 /* of the three points' larger extent, on each side */
enum { STREAM_PLANE = 3000 }; /* the random directions: apart from curved_path's streams */

struct loss_plane {
	struct scenario sc;
	struct experiment *path; /* the curved_path run */
	int epochs;              /* epochs the curved_path run took (its last record's + 1); the map's rows follow */
	int row;                 /* the next map row, -1 before the plane is set */
	bool diverged;           /* a record of the curved_path run said so */
	uint64_t seed;
	float *e1, *e2;          /* (n_params) the plane's directions */
	struct loss_plane_frame fr;
};

/* Passes the curved_path run's records on, noting a divergence. */
struct relay {
	struct emitter *to;
	struct loss_plane *m;
};

static void relay_emit(void *ctx, const struct op_record *rec)
{
	struct relay *r = ctx;
	if (rec->metric == MET_DIVERGED)
		r->m->diverged = true;
	/* the run stops when its bend has trained, not at a fixed epoch */
	if ((int)rec->epoch + 1 > r->m->epochs)
		r->m->epochs = (int)rec->epoch + 1;
	r->to->emit(r->to->ctx, rec);
}

static void plane_destroy(struct experiment *x)
{
	struct loss_plane *m = (struct loss_plane *)x;
	if (!m)
		return;
	if (m->path)
		curved_path_ops.destroy(m->path);
	free(m->e1);
	free(m->e2);
	free(m);
}

static int plane_create(const struct scenario *sc, uint64_t seed, struct experiment **out, char *err, size_t errlen)
{
	struct loss_plane *m = calloc(1, sizeof *m);
	if (!m) {
		snprintf(err, errlen, "%s: out of memory building the loss plane", sc->path);
		return -1;
	}
	m->sc = *sc;
	m->seed = seed;
	m->epochs = 0;
	m->row = -1;
	if (curved_path_ops.create(sc, seed, &m->path, err, errlen) != 0) {
		plane_destroy((struct experiment *)m);
		return -1;
	}
	struct curved_path_points pt;
	curved_path_points(m->path, &pt);
	size_t np = pt.pair->mix.n_params;
	m->e1 = malloc(np * sizeof *m->e1);
	m->e2 = malloc(np * sizeof *m->e2);
	if (!m->e1 || !m->e2) {
		snprintf(err, errlen, "%s: out of memory building the loss plane", sc->path);
		plane_destroy((struct experiment *)m);
		return -1;
	}
	*out = (struct experiment *)m;
	return 0;
}

/* dst = (p - q) in double, and its norm. */
static double diff(double *dst, const float *p, const float *q, size_t n)
{
	for (size_t i = 0; i < n; i++)
		dst[i] = (double)p[i] - (double)q[i];
	return cblas_dnrm2((int)n, dst, 1);
}

/* A random direction, filter-normalised against the net at a: each
 * unit's incoming weights scaled to the norm of a's, biases zero. */
static void filter_normalised(const struct mlp *net, const float *a, struct rng *r, float *dst /* (n_params) */)
{
	size_t off = 0;
	for (int l = 0; l < net->n_layers; l++) {
		int in = net->dims[l], out = net->dims[l + 1];
		for (int u = 0; u < out; u++, off += (size_t)in) {
			for (int i = 0; i < in; i++)
				dst[off + (size_t)i] = (float)rng_normal(r);
			float dn = cblas_snrm2(in, dst + off, 1), an = cblas_snrm2(in, a + off, 1);
			cblas_sscal(in, dn > 0 ? an / dn : 0.0f, dst + off, 1);
		}
		memset(dst + off, 0, sizeof(float) * (size_t)out);
		off += (size_t)out;
	}
}

/* The Garipov plane's directions and the three points' coordinates, in
 * double; then the map's frame around them. */
static int plane_through(struct loss_plane *m, const struct curved_path_points *pt)
{
	size_t np = pt->pair->mix.n_params;
	double *u = malloc(2 * np * sizeof *u), *w = u ? u + np : NULL;
	if (!u)
		return -1;
	double ab = diff(u, pt->b, pt->a, np);
	cblas_dscal((int)np, ab > 0 ? 1 / ab : 0, u, 1);
	diff(w, pt->bend, pt->a, np);
	double c1 = cblas_ddot((int)np, w, 1, u, 1);
	cblas_daxpy((int)np, -c1, u, 1, w, 1);
	double c2 = cblas_dnrm2((int)np, w, 1);
	if (!(c2 > 1e-6 * ab)) { /* no bend off the line: any direction across it */
		struct rng r;
		rng_seed(&r, m->seed, STREAM_PLANE);
		for (size_t i = 0; i < np; i++)
			w[i] = rng_normal(&r);
		cblas_daxpy((int)np, -cblas_ddot((int)np, w, 1, u, 1), u, 1, w, 1);
		c2 = 0;
	}
	double wn = cblas_dnrm2((int)np, w, 1);
	for (size_t i = 0; i < np; i++) {
		m->e1[i] = (float)u[i];
		m->e2[i] = (float)(w[i] / wn);
	}
	free(u);
	double px[3] = {0, ab, c1}, py[3] = {0, 0, c2};
	loss_plane_frame_fit(&m->fr, px, py, 3);
	return 0;
}

/* Li et al.'s plane: x, y in [-1, 1] (y as far as square cells reach). */
static void plane_random(struct loss_plane *m, const struct curved_path_points *pt)
{
	struct rng r;
	rng_seed(&r, m->seed, STREAM_PLANE);
	filter_normalised(&pt->pair->mix, pt->a, &r, m->e1);
	filter_normalised(&pt->pair->mix, pt->a, &r, m->e2);
	m->fr.step = 2.0 / (LOSS_PLANE_COLS - 1);
	m->fr.x0 = -1;
	m->fr.y0 = m->fr.step * (LOSS_PLANE_ROWS - 1) / 2;
	m->fr.n = 1;
	m->fr.px[0] = m->fr.py[0] = 0;
}

/* The marks, the paths on the map, and its frame, before its first row. */
static void plane_emit_overlay(const struct loss_plane *m, uint32_t e, struct emitter *em)
{
	const struct loss_plane_frame *f = &m->fr;
	for (int k = 0; k < f->n; k++) {
		emitter_put(em, e, LOSS_PLANE_SERIES, MET_PLANE_MARK, (uint32_t)(2 * k), loss_plane_col(f, f->px[k]));
		emitter_put(em, e, LOSS_PLANE_SERIES, MET_PLANE_MARK, (uint32_t)(2 * k + 1), loss_plane_row(f, f->py[k]));
	}
	emitter_put(em, e, LOSS_PLANE_SERIES, MET_PLANE_FRAME, 0, f->x0);
	emitter_put(em, e, LOSS_PLANE_SERIES, MET_PLANE_FRAME, 1, f->y0);
	emitter_put(em, e, LOSS_PLANE_SERIES, MET_PLANE_FRAME, 2, f->step);
	if (f->n < 3)
		return;
	for (int i = 0; i < LOSS_PLANE_PATH_POINTS; i++) {
		double t = (double)i / (LOSS_PLANE_PATH_POINTS - 1), s = 1 - t;
		double lx = s * f->px[0] + t * f->px[1], ly = s * f->py[0] + t * f->py[1];
		double cx = s * s * f->px[0] + 2 * s * t * f->px[2] + t * t * f->px[1];
		double cy = s * s * f->py[0] + 2 * s * t * f->py[2] + t * t * f->py[1];
		emitter_put(em, e, CURVED_LINE, MET_PLANE_PATH, (uint32_t)(2 * i), loss_plane_col(f, lx));
		emitter_put(em, e, CURVED_LINE, MET_PLANE_PATH, (uint32_t)(2 * i + 1), loss_plane_row(f, ly));
		emitter_put(em, e, CURVED_CURVE, MET_PLANE_PATH, (uint32_t)(2 * i), loss_plane_col(f, cx));
		emitter_put(em, e, CURVED_CURVE, MET_PLANE_PATH, (uint32_t)(2 * i + 1), loss_plane_row(f, cy));
	}
}

double loss_plane_loss_at(struct experiment *x, double px, double py)
{
	struct loss_plane *m = (struct loss_plane *)x;
	struct curved_path_points pt;
	curved_path_points(m->path, &pt);
	struct netpair *p = pt.pair;
	int np = (int)p->mix.n_params;
	cblas_scopy(np, pt.a, 1, p->mix.params, 1);
	cblas_saxpy(np, (float)px, m->e1, 1, p->mix.params, 1);
	cblas_saxpy(np, (float)py, m->e2, 1, p->mix.params, 1);
	return mlp_loss(&p->mix, p->X, p->y, p->n);
}

static bool plane_step(struct experiment *x, struct emitter *em)
{
	struct loss_plane *m = (struct loss_plane *)x;
	if (m->row < 0) {
		struct relay r = {em, m};
		struct emitter via = {relay_emit, &r, em->generation};
		if (curved_path_ops.step(m->path, &via))
			return true;
		if (m->diverged) /* no plane through a diverged net means anything */
			return false;
		struct curved_path_points pt;
		curved_path_points(m->path, &pt);
		if (m->sc.train.random_plane)
			plane_random(m, &pt);
		else if (plane_through(m, &pt) != 0)
			return false; /* no memory: the map stays empty */
		m->row = 0;
		plane_emit_overlay(m, (uint32_t)m->epochs, em);
		return true;
	}
	uint32_t e = (uint32_t)(m->epochs + m->row);
	double y = m->fr.y0 - m->row * m->fr.step;
	for (int c = 0; c < LOSS_PLANE_COLS; c++)
		emitter_put(em, e, LOSS_PLANE_SERIES, MET_PLANE_LOSS, (uint32_t)(m->row * LOSS_PLANE_COLS + c),
			    loss_plane_loss_at(x, m->fr.x0 + c * m->fr.step, y));
	return ++m->row < LOSS_PLANE_ROWS;
}

void loss_plane_points(struct experiment *x, const float **a, const float **b, const float **bend)
{
	struct curved_path_points pt;
	curved_path_points(((struct loss_plane *)x)->path, &pt);
	*a = pt.a;
	*b = pt.b;
	*bend = pt.bend;
}

void loss_plane_frame_fit(struct loss_plane_frame *f, const double *px /* (n) */, const double *py /* (n) */,
			  int n)
{
	double xl = INFINITY, xh = -INFINITY, yl = INFINITY, yh = -INFINITY;
	f->n = n;
	for (int k = 0; k < n; k++) {
		f->px[k] = px[k];
		f->py[k] = py[k];
		xl = fmin(xl, px[k]), xh = fmax(xh, px[k]);
		yl = fmin(yl, py[k]), yh = fmax(yh, py[k]);
	}
	double side = fmax(xh - xl, yh - yl), w = xh - xl + 2 * MARGIN * side, h = yh - yl + 2 * MARGIN * side;
	f->step = fmax(w / (LOSS_PLANE_COLS - 1), h / (LOSS_PLANE_ROWS - 1));
	if (!(f->step > 0))
		f->step = 1;
	f->x0 = (xl + xh) / 2 - f->step * (LOSS_PLANE_COLS - 1) / 2;
	f->y0 = (yl + yh) / 2 + f->step * (LOSS_PLANE_ROWS - 1) / 2;
}

/* ---- what the run shows ---------------------------------------------------- */

static void plane_describe(const struct scenario *sc, struct run_desc *d)
{
	curved_path_ops.describe(sc, d);
	bool garipov = !sc->train.random_plane;
	d->planned_epochs += LOSS_PLANE_ROWS; /* curved_path's at most, then the map's rows */
	d->n_series = LOSS_PLANE_SERIES + 1;
	report_label(d, LOSS_PLANE_SERIES, "the plane");
	d->series_params[LOSS_PLANE_SERIES] = d->series_params[CURVED_A];
	d->n_views = 0;
	d->views[d->n_views++] = (struct view_spec){
		.kind = VIEW_HEAT,
		.title = garipov ? "Training loss on the plane of A, B and the bend"
				 : "Training loss around A: two random filter-normalised directions",
		.n_metrics = 3,
		.metrics = {MET_PLANE_LOSS, MET_PLANE_MARK, MET_PLANE_PATH},
		.series_mask = 1u << LOSS_PLANE_SERIES,
		.map_cols = LOSS_PLANE_COLS,
		.map_rows = LOSS_PLANE_ROWS,
		.mark_labels = {"A", "B", "bend"},
		.path_mask = garipov ? (1u << CURVED_LINE) | (1u << CURVED_CURVE) : 0,
		.hline = NAN,
		.weight = 3,
		.pending = "mapped once the nets and the bend have trained", /* the random plane too: it waits for them */
	};
	if (!garipov)
		d->views[0].mark_labels[1] = d->views[0].mark_labels[2] = NULL;
	d->views[d->n_views++] = (struct view_spec){
		.kind = VIEW_LINES,
		.title = "Loss along each path",
		.n_metrics = 1,
		.metrics = {MET_INTERP_LOSS},
		.series_mask = (1u << CURVED_LINE) | (1u << CURVED_CURVE),
		.x_grid = true,
		.hline = NAN,
		.weight = 2,
		.pending = "measured once both nets have trained",
	};
	report_notes(d);
}

/* The map's value at fractional position (col, row), bilinear; NaN off it
 * or where a corner has none. */
static double map_at(const double *map, double col, double row)
{
	if (!map || !(col >= 0 && col <= LOSS_PLANE_COLS - 1 && row >= 0 && row <= LOSS_PLANE_ROWS - 1))
		return NAN;
	int c = (int)col, r = (int)row;
	c = c >= LOSS_PLANE_COLS - 1 ? LOSS_PLANE_COLS - 2 : c;
	r = r >= LOSS_PLANE_ROWS - 1 ? LOSS_PLANE_ROWS - 2 : r;
	double u = col - c, v = row - r;
	const double *p = map + (size_t)r * LOSS_PLANE_COLS + (size_t)c;
	return (1 - v) * ((1 - u) * p[0] + u * p[1]) + v * ((1 - u) * p[LOSS_PLANE_COLS] + u * p[LOSS_PLANE_COLS + 1]);
}

/* The highest map value along a path's drawn points. */
static double path_max(const double *map, const double *pts)
{
	double mx = NAN;
	for (size_t i = 0; pts && i < LOSS_PLANE_PATH_POINTS; i++) {
		double v = map_at(map, pts[2 * i], pts[2 * i + 1]);
		if (isnan(v))
			return NAN;
		mx = isnan(mx) || v > mx ? v : mx;
	}
	return mx;
}

/* What the map says: its highest loss along each path, and at A and B. */
struct plane_read {
	bool complete; /* every map point arrived */
	double line, curve, at_a, at_b;
};

static bool plane_read(const struct history *h, struct plane_read *r)
{
	const double *map = history_grid(h, LOSS_PLANE_SERIES, MET_PLANE_LOSS);
	const double *mk = history_grid(h, LOSS_PLANE_SERIES, MET_PLANE_MARK);
	*r = (struct plane_read){.complete = map != NULL};
	for (int i = 0; map && i < LOSS_PLANE_COLS * LOSS_PLANE_ROWS; i++)
		r->complete = r->complete && !isnan(map[i]);
	r->line = path_max(map, history_grid(h, CURVED_LINE, MET_PLANE_PATH));
	r->curve = path_max(map, history_grid(h, CURVED_CURVE, MET_PLANE_PATH));
	r->at_a = mk ? map_at(map, mk[0], mk[1]) : NAN;
	r->at_b = mk ? map_at(map, mk[2], mk[3]) : NAN;
	return r->complete;
}

/* A claim's verdict from the map: UNDECIDED on a diverged run or a plane
 * with no paths, NOT_YET until the map is whole. */
static enum claim_verdict plane_verdict(const struct scenario *sc, const struct history *h, const struct plane_read *r,
					bool holds, bool finished, struct claim_eval *e)
{
	for (int s = 0; s < LOSS_PLANE_SERIES; s++)
		if (h->diverged[s]) {
			snprintf(e->text, sizeof e->text, "no verdict: a net diverged");
			return e->verdict = CLAIM_UNDECIDED;
		}
	if (sc->train.random_plane) {
		snprintf(e->text, sizeof e->text, "no verdict: the random plane holds neither path");
		return e->verdict = CLAIM_UNDECIDED;
	}
	if (!r->complete)
		return e->verdict = finished ? CLAIM_UNDECIDED : CLAIM_NOT_YET;
	return e->verdict = holds ? CLAIM_HOLDS : CLAIM_FAILS;
}

#define VALLEY_RATIO 0.2 /* the curve's highest loss below this share of the line's */
#define RIDGE_RATIO 10.0 /* the line's highest loss this many times A's and B's */

static enum claim_verdict claim_valley(const struct scenario *sc, const struct run_desc *d, const struct history *h,
				       bool finished, struct claim_eval *e)
{
	struct plane_read r;
	plane_read(h, &r);
	double f = r.curve / r.line;
	if (sc->train.random_plane)
		return plane_verdict(sc, h, &r, false, finished, e);
	return claims_judge(e, d, h, finished, r.complete, r.complete && f < VALLEY_RATIO, f,
			    "on the map, the curve's highest loss is %.1f%% of the straight segment's (%.3g vs %.3g)",
			    100 * f, r.curve, r.line);
}

static enum claim_verdict claim_ridge(const struct scenario *sc, const struct run_desc *d, const struct history *h,
				      bool finished, struct claim_eval *e)
{
	struct plane_read r;
	plane_read(h, &r);
	double f = r.line / fmax(r.at_a, r.at_b);
	if (sc->train.random_plane)
		return plane_verdict(sc, h, &r, false, finished, e);
	return claims_judge(e, d, h, finished, r.complete, r.complete && f >= RIDGE_RATIO, f,
			    "the straight segment crosses a ridge %.3g times the map's loss at A and B (%.3g vs %.3g, %.3g)",
			    f, r.line, r.at_a, r.at_b);
}

static const struct claim plane_claims[] = {
	{"plane-curve-valley", "curve's / straight segment's highest loss on the map", claim_valley, NULL},
	{"plane-line-ridge", "straight segment's highest map loss / the larger of A's and B's", claim_ridge, NULL},
};

static void plane_report(const struct scenario *sc, const struct run_desc *d, const struct history *h, FILE *out)
{
	netpair_report_nets(sc, d, h, out);
	const double *fr = history_grid(h, LOSS_PLANE_SERIES, MET_PLANE_FRAME);
	const double *mk = history_grid(h, LOSS_PLANE_SERIES, MET_PLANE_MARK);
	struct plane_read r;
	if (!fr || !plane_read(h, &r)) {
		fprintf(out, "\nthe plane: not mapped (the run ended before)\n");
	} else {
		fprintf(out, "\nthe plane: %s; map %d x %d, x from %.4g to %.4g, y from %.4g to %.4g\n",
			sc->train.random_plane ? "two random filter-normalised directions around A"
					       : "through A, B and the bend, orthonormal",
			LOSS_PLANE_COLS, LOSS_PLANE_ROWS, fr[0], fr[0] + fr[2] * (LOSS_PLANE_COLS - 1),
			fr[1] - fr[2] * (LOSS_PLANE_ROWS - 1), fr[1]);
		for (size_t k = 0; k < 3 && !isnan(mk[2 * k]); k++)
			fprintf(out, "%-5s at (%.4g, %.4g)\n", d->views[0].mark_labels[k], fr[0] + mk[2 * k] * fr[2],
				fr[1] - mk[2 * k + 1] * fr[2]);
		if (!sc->train.random_plane)
			fprintf(out, "highest loss on the map: straight segment %.4g, curve %.4g; at A %.3g, at B %.3g\n",
				r.line, r.curve, r.at_a, r.at_b);
	}
	fprintf(out, "\n");
	if (!report_decided(out, NULL, d, h, REPORT_ALL_SERIES))
		return;
	struct claim_eval c;
	if (sc->train.random_plane)
		report_result(out, NULL, "a random plane around A: one basin, the paths not in it");
	else if (claim_valley(sc, d, h, true, &c) == CLAIM_HOLDS)
		report_result(out, NULL, "the map shows a curved valley where the straight segment crosses a ridge");
	else
		report_result(out, NULL, "the map shows no low curved valley between A and B");
}

static bool plane_check(struct config_check *c, const struct scenario *sc)
{
	if (!(sc->train.target_loss > 0))
		return config_fail(c, KEY_TARGET_LOSS,
				   "kind loss_plane needs a target loss > 0 (the bend trains once both nets reach it)");
	return true;
}

static double plane_memory(const struct scenario *sc, enum config_key *blame)
{
	*blame = KEY_WIDTHS;
	return netpair_memory(sc) + 2 * (double)netpair_params(sc, sc->model.widths[0]) * sizeof(float);
}

static const enum metric emitted[] = {MET_TRAIN_LOSS,  MET_CONVERGED,  MET_DIVERGED,   MET_INTERP_LOSS, MET_BARRIER,
				      MET_PLANE_LOSS, MET_PLANE_MARK, MET_PLANE_PATH, MET_PLANE_FRAME};

const struct experiment_ops loss_plane_ops = {
	.kind = "loss_plane",
	.keys = NETPAIR_KEYS | KEY_BIT(KEY_EVAL_EVERY) | KEY_BIT(KEY_RANDOM_PLANE),
	NETPAIR_CHOICES,
	.one_width = true,
	.check = plane_check,
	.memory = plane_memory,
	.create = plane_create,
	.step = plane_step,
	.destroy = plane_destroy,
	.describe = plane_describe,
	.report = plane_report,
	EXPERIMENT_METRICS(emitted),
	EXPERIMENT_CLAIMS(plane_claims),
};
