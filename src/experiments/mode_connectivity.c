/* mode_connectivity.c: two networks from different initialisations train on
 * the same data; every eval_every epochs (and at the end) the training loss
 * is measured along the straight line theta(a) = a*theta1 + (1-a)*theta2,
 * so the class sees the barrier form while the two runs converge. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "overparam/experiment.h"
#include "overparam/history.h"
#include "overparam/netpair.h"

struct connectivity {
	struct scenario sc;
	struct netpair p; /* net A is series 0, net B series 1 */
	struct netpair_grid alpha;
};

static void connectivity_destroy(struct experiment *x)
{
	struct connectivity *m = (struct connectivity *)x;
	if (!m)
		return;
	netpair_destroy(&m->p);
	free(m);
}

static int connectivity_create(const struct scenario *sc, uint64_t seed, struct experiment **out, char *err,
			       size_t errlen)
{
	struct connectivity *m = calloc(1, sizeof *m);
	if (!m)
		goto oom;
	m->sc = *sc;
	if (netpair_create(&m->p, sc, sc->model.widths[0], seed, sc->model.init_seeds[0], sc->model.init_seeds[1]) != 0)
		goto oom;
	netpair_grid(&m->alpha, sc->train.alpha_points, NETPAIR_ROUND_T_FIRST);
	*out = (struct experiment *)m;
	return 0;
oom:
	snprintf(err, errlen, "%s: out of memory building the two networks", sc->path);
	connectivity_destroy((struct experiment *)m);
	return -1;
}

/* Every eval_every epochs and at the end: the loss along the line and its
 * barrier, alpha 0 at B and alpha 1 at A. */
static bool connectivity_step(struct experiment *x, struct emitter *em)
{
	struct connectivity *m = (struct connectivity *)x;
	int epoch = m->p.epoch;
	if (epoch >= m->sc.train.epochs)
		return false;
	bool done = netpair_train(&m->p, em, 0);
	bool over = done || epoch + 1 >= m->sc.train.epochs;
	if (epoch % m->sc.train.eval_every == 0 || over) {
		double barrier = netpair_line(&m->p, &m->alpha, m->p.net[1].net.params, m->p.net[0].net.params);
		netpair_emit_path(&m->p, &m->alpha, em, (uint32_t)epoch, 0, barrier);
	}
	return !over;
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
	if (barrier > NETPAIR_HIGH_LOSS)
		fprintf(out, "RESULT: a loss barrier separates the two solutions on the straight line\n");
	else
		fprintf(out, "RESULT: the two solutions are approximately linearly connected\n");
}

const struct experiment_ops mode_connectivity_ops = {
	.kind = "mode_connectivity",
	.create = connectivity_create,
	.step = connectivity_step,
	.destroy = connectivity_destroy,
	.describe = connectivity_describe,
	.report = connectivity_report,
};
