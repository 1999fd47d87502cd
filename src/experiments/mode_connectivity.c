/* mode_connectivity.c: two networks from different initialisations train on
 * the same data; every eval_every epochs (and at the end) the training loss
 * is measured along the straight line theta(a) = a*theta1 + (1-a)*theta2,
 * so the class sees the barrier form while the two runs converge. */
#include <math.h>
#include <stdio.h>

#include "experiments/claims.h"
#include "experiments/report.h"
#include "overparam/experiment.h"
#include "overparam/history.h"
#include "overparam/netpair.h"

/* Net A is series 0, net B series 1; alpha 0 is B and alpha 1 is A. */
static void connectivity_measure(struct netpair_run *r, uint32_t epoch, struct emitter *em)
{
	double barrier = netpair_line(&r->p, &r->grid, r->p.net[1].net.params, r->p.net[0].net.params);
	netpair_emit_path(&r->p, &r->grid, em, epoch, 0, barrier);
}

static int connectivity_create(const struct scenario *sc, uint64_t seed, struct experiment **out, char *err,
			       size_t errlen)
{
	static const struct netpair_measure how = {
		.rounding = NETPAIR_ROUND_T_FIRST,
		.measure = connectivity_measure,
	};
	return netpair_run_create(sc, seed, &how, out, err, errlen);
}

static void connectivity_describe(const struct scenario *sc, struct run_desc *d)
{
	netpair_describe(sc, d, 2, "alpha");
	d->views[d->n_views++] = (struct view_spec){
		.kind = VIEW_LINES,
		.title = "Training loss of the two nets (MSE)",
		.n_metrics = 1,
		.metrics = {MET_TRAIN_LOSS},
		.series_mask = 3,
		.log_y = true,
		.hline = d->threshold,
		.hline_label = "target",
		.weight = 2,
	};
	/* the bars, and the barrier printed with them */
	d->views[d->n_views++] = netpair_bars_view("Loss along a*A + (1-a)*B", MET_INTERP_LOSS, MET_BARRIER, 1);
	d->views[d->n_views - 1].headline = true; /* the barrier is the point */
	d->views[d->n_views++] = (struct view_spec){
		.kind = VIEW_LINES,
		.title = "Barrier height over training",
		.n_metrics = 1,
		.metrics = {MET_BARRIER},
		.series_mask = 1,
		.log_y = false,
		.hline = NAN,
		.weight = 1,
	};
	struct view_spec table = {.kind = VIEW_TABLE, .title = "Networks", .series_mask = 3, .weight = 1};
	table.cols[table.n_cols++] = (struct table_col){"net", MET_TRAIN_LOSS, CELL_LABEL};
	table.cols[table.n_cols++] = (struct table_col){"params", MET_TRAIN_LOSS, CELL_PARAMS};
	table.cols[table.n_cols++] = (struct table_col){"loss", MET_TRAIN_LOSS, CELL_LOSS};
	table.cols[table.n_cols++] = (struct table_col){"stopped at", MET_CONVERGED, CELL_EPOCH};
	d->views[d->n_views++] = table;
	d->views[d->n_views++] = (struct view_spec){.kind = VIEW_TEXT, .title = "Why", .weight = 1};
}

static const char *loss_word(double loss)
{
	if (!isfinite(loss))
		return "diverged";
	if (loss < NETPAIR_LOW_LOSS)
		return "low loss";
	if (loss < NETPAIR_HIGH_LOSS)
		return "medium loss";
	return "high loss (barrier)";
}

static void connectivity_report(const struct scenario *sc, const struct run_desc *d, const struct history *h, FILE *out)
{
	netpair_report_nets(sc, d, h, out);
	const double *grid = history_grid(h, 0, MET_INTERP_LOSS);
	fprintf(out, "\nlinear interpolation theta(a) = a*A + (1-a)*B, at epoch %u:\n",
		h->grid_epoch[0][MET_INTERP_LOSS]);
	fprintf(out, "%-8s %-16s %s\n", "alpha", "loss", "status");
	for (int i = 0; grid && i < d->n_grid; i++)
		fprintf(out, "%-8.2f %-16.6g %s\n", d->grid_x[i], grid[i], loss_word(grid[i]));
	double barrier = h->last[0][MET_BARRIER];
	fprintf(out, "\nbarrier height %.4g (max over alpha of L(theta(a)) - [a L(A) + (1-a) L(B)])\n", barrier);
	if (!report_decided(out, NULL, d, h, REPORT_ALL_SERIES))
		return;
	if (barrier > NETPAIR_HIGH_LOSS)
		fprintf(out, "RESULT: a loss barrier separates the two solutions on the straight line\n");
	else
		fprintf(out, "RESULT: the two solutions are approximately linearly connected\n");
}

/* The data, two trained nets and a scratch net for theta(alpha) a thread. */
static double connectivity_memory(const struct scenario *sc, enum config_key *blame)
{
	double n = sc->data.samples, nt = sc->data.test_samples, d = sc->data.dim;
	double rows = n > nt ? n : nt, bytes = (n * (d + 1) + nt * (d + 1)) * sizeof(float);
	if (sc->model.n_widths > 0) {
		int w = sc->model.widths[0];
		bytes += 2 * mlp_estimate_bytes(sc->data.dim, sc->model.depth, w, rows, sc->train.optimizer == OPTIM_ADAM);
		bytes += 2 * mlp_estimate_bytes(sc->data.dim, sc->model.depth, w, rows, false);
	}
	*blame = KEY_WIDTHS;
	return bytes;
}

static const enum metric emitted[] = {MET_TRAIN_LOSS, MET_CONVERGED, MET_DIVERGED, MET_INTERP_LOSS, MET_BARRIER};

/* ---- claims: what scenario 2 says, measured on its own records ---- */

static enum claim_verdict claim_both_fit(const struct scenario *sc, const struct run_desc *d, const struct history *h,
					 bool finished, struct claim_eval *e)
{
	bool a = h->seen[0][MET_CONVERGED], b = h->seen[1][MET_CONVERGED];
	double last = fmax(h->last[0][MET_CONVERGED], h->last[1][MET_CONVERGED]);
	bool trained = h->seen[0][MET_TRAIN_LOSS] && h->seen[1][MET_TRAIN_LOSS];
	return claims_judge(e, d, h, finished, trained, a && b, a && b ? last : NAN,
			    "both nets fit the data to loss %g: A %s epoch %.0f, B %s epoch %.0f", sc->train.target_loss,
			    a ? "at" : "not by", a ? h->last[0][MET_CONVERGED] : (double)h->epoch, b ? "at" : "not by",
			    b ? h->last[1][MET_CONVERGED] : (double)h->epoch);
}

static enum claim_verdict claim_line_barrier(const struct scenario *sc, const struct run_desc *d,
					     const struct history *h, bool finished, struct claim_eval *e)
{
	(void)sc;
	return claims_barrier(e, d, h, finished, 0, "the straight line between them");
}

static const struct claim claims[] = {
	{"both-fit", "epoch the later net stops", claim_both_fit, NULL},
	{"line-barrier", "barrier on the straight line", claim_line_barrier, NULL},
};

const struct experiment_ops mode_connectivity_ops = {
	.kind = "mode_connectivity",
	.keys = NETPAIR_KEYS | KEY_BIT(KEY_EVAL_EVERY),
	NETPAIR_CHOICES,
	.one_width = true,
	.check = config_no_check,
	.memory = connectivity_memory,
	.create = connectivity_create,
	.step = netpair_run_step,
	.destroy = netpair_run_destroy,
	.use_workers = netpair_run_use_workers,
	.describe = connectivity_describe,
	.report = connectivity_report,
	EXPERIMENT_METRICS(emitted),
	EXPERIMENT_CLAIMS(claims),
};
