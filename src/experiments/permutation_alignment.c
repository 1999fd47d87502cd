/* permutation_alignment.c: two networks train from different seeds as in
 * mode_connectivity; at every evaluation the loss is measured along the
 * straight line between them twice: as trained, and after B's hidden units
 * are reordered to match A's (weight matching, align.h). Reordering units
 * leaves B's function unchanged, so whatever barrier it removes was never a
 * property of the two solutions, only of how their units happened to be
 * numbered. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "overparam/align.h"
#include "overparam/experiment.h"
#include "overparam/history.h"
#include "overparam/netpair.h"

enum { SER_A, SER_B, SER_PLAIN, SER_ALIGNED, N_SERIES };

struct perm_align {
	struct scenario sc;
	struct netpair p;
	struct align al;
	struct mlp aligned; /* B with its units in A's order */
	int n_alpha;
	double alpha[SCENARIO_MAX_ALPHA];
	double loss[SCENARIO_MAX_ALPHA];
};

static void pa_alphas(const struct scenario *sc, double *alpha /* (alpha_points) */)
{
	int k = sc->train.alpha_points;
	for (int i = 0; i < k; i++)
		alpha[i] = (double)i / (k - 1);
}

static void pa_destroy(struct experiment *x)
{
	struct perm_align *m = (struct perm_align *)x;
	if (!m)
		return;
	netpair_destroy(&m->p);
	align_destroy(&m->al);
	mlp_destroy(&m->aligned);
	free(m);
}

static int pa_create(const struct scenario *sc, uint64_t seed, struct experiment **out, char *err, size_t errlen)
{
	struct perm_align *m = calloc(1, sizeof *m);
	if (!m)
		goto oom;
	m->sc = *sc;
	if (netpair_create(&m->p, sc, sc->model.widths[0], seed, sc->model.init_seeds[0], sc->model.init_seeds[1]) !=
		    0 ||
	    align_create(&m->al, &m->p.mix) != 0 ||
	    mlp_create(&m->aligned, m->p.mix.dims, m->p.mix.n_layers, 1) != 0)
		goto oom;
	m->n_alpha = sc->train.alpha_points;
	pa_alphas(sc, m->alpha);
	*out = (struct experiment *)m;
	return 0;
oom:
	snprintf(err, errlen, "%s: out of memory building the two networks", sc->path);
	pa_destroy((struct experiment *)m);
	return -1;
}

/* Loss along a*A + (1-a)*b for every alpha, and its barrier, as `series`. */
static void pa_line(struct perm_align *m, const float *b /* (n_params) */, int series, uint32_t e,
		    struct emitter *em)
{
	const float *a = m->p.net[SER_A].net.params;
	for (int i = 0; i < m->n_alpha; i++) {
		/* alpha weighs A, as in mode_connectivity: alpha 0 is B */
		m->loss[i] = netpair_line_loss(&m->p, b, a, m->alpha[i]);
		emitter_put(em, e, series, MET_INTERP_LOSS, (uint32_t)i, m->loss[i]);
	}
	emitter_put(em, e, series, MET_BARRIER, 0, netpair_barrier(m->alpha, m->loss, m->n_alpha));
}

static bool pa_step(struct experiment *x, struct emitter *em)
{
	struct perm_align *m = (struct perm_align *)x;
	int epoch = m->p.epoch;
	if (epoch >= m->sc.train.epochs)
		return false;
	bool done = netpair_train(&m->p, em, SER_A);
	bool over = done || epoch + 1 >= m->sc.train.epochs;
	if (epoch % m->sc.train.eval_every == 0 || over) {
		uint32_t e = (uint32_t)epoch;
		pa_line(m, m->p.net[SER_B].net.params, SER_PLAIN, e, em);
		/* Matched afresh each time from the identity: the order that
		 * fits the nets of this epoch, not a tracked one. */
		align_match(&m->al, &m->p.net[SER_A].net, &m->p.net[SER_B].net);
		align_apply(&m->al, &m->p.net[SER_B].net, &m->aligned);
		pa_line(m, m->aligned.params, SER_ALIGNED, e, em);
	}
	return !over;
}

static void pa_describe(const struct scenario *sc, struct run_desc *d)
{
	memset(d, 0, sizeof *d);
	d->planned_epochs = sc->train.epochs;
	d->n_series = N_SERIES;
	long params = netpair_params(sc, sc->model.widths[0]);
	for (int k = 0; k < 2; k++)
		snprintf(d->series_label[k], sizeof d->series_label[k], "net %c (seed %llu)", 'A' + k,
			 (unsigned long long)sc->model.init_seeds[k]);
	snprintf(d->series_label[SER_PLAIN], sizeof d->series_label[SER_PLAIN], "as trained");
	snprintf(d->series_label[SER_ALIGNED], sizeof d->series_label[SER_ALIGNED], "B aligned to A");
	for (int k = 0; k < N_SERIES; k++)
		d->series_params[k] = params;
	d->n_grid = sc->train.alpha_points;
	d->grid_name = "alpha";
	pa_alphas(sc, d->grid_x);
	d->threshold = sc->train.target_loss > 0 ? sc->train.target_loss : NAN;
	d->noise_floor = sc->data.noise > 0 ? sc->data.noise * sc->data.noise : NAN;
	d->views[d->n_views++] = (struct view_spec){
		.kind = VIEW_BARS,
		.title = "a*A + (1-a)*B, as trained",
		.n_metrics = 2,
		.metrics = {MET_INTERP_LOSS, MET_BARRIER},
		.series_mask = 1u << SER_PLAIN,
		.weight = 2,
	};
	d->views[d->n_views++] = (struct view_spec){
		.kind = VIEW_BARS,
		.title = "after matching B's units to A's",
		.n_metrics = 2,
		.metrics = {MET_INTERP_LOSS, MET_BARRIER},
		.series_mask = 1u << SER_ALIGNED,
		.weight = 2,
	};
	d->views[d->n_views++] = (struct view_spec){
		.kind = VIEW_LINES,
		.title = "Barrier over training",
		.n_metrics = 1,
		.metrics = {MET_BARRIER},
		.series_mask = (1u << SER_PLAIN) | (1u << SER_ALIGNED),
		.log_y = true, /* both barriers readable: ~0.2 and ~0.01 */
		.hline = NAN,
		.weight = 1,
	};
	d->views[d->n_views++] = (struct view_spec){.kind = VIEW_TEXT, .title = "Why", .weight = 1};
}

static void pa_print_line(const struct run_desc *d, const double *plain, const double *aligned, FILE *out)
{
	fprintf(out, "%-8s %-14s %s\n", "alpha", "as trained", "B aligned to A");
	for (int i = 0; i < d->n_grid; i++)
		fprintf(out, "%-8.2f %-14.6g %.6g\n", d->grid_x[i], plain ? plain[i] : NAN, aligned ? aligned[i] : NAN);
}

static void pa_report(const struct scenario *sc, const struct run_desc *d, const struct history *h, FILE *out)
{
	fprintf(out, "%s\n", sc->title);
	fprintf(out, "training samples %d, input dim %d, depth %d, width %d: %ld parameters per net\n", sc->data.samples,
		sc->data.dim, sc->model.depth, sc->model.widths[0], d->series_params[0]);
	for (int k = 0; k < 2; k++) {
		char stop[48] = "did not reach the target";
		if (h->seen[k][MET_CONVERGED])
			snprintf(stop, sizeof stop, "stopped at epoch %.0f", h->last[k][MET_CONVERGED]);
		if (h->diverged[k])
			snprintf(stop, sizeof stop, "diverged");
		fprintf(out, "%s final loss %.3e, %s\n", d->series_label[k], h->last[k][MET_TRAIN_LOSS], stop);
	}
	fprintf(out, "\nloss along theta(a) = a*A + (1-a)*B at epoch %u, before and after weight matching:\n",
		h->grid_epoch[SER_PLAIN][MET_INTERP_LOSS]);
	pa_print_line(d, history_grid(h, SER_PLAIN, MET_INTERP_LOSS), history_grid(h, SER_ALIGNED, MET_INTERP_LOSS),
		      out);
	double plain = h->last[SER_PLAIN][MET_BARRIER], aligned = h->last[SER_ALIGNED][MET_BARRIER];
	fprintf(out, "\nbarrier as trained %.4g, after aligning B's hidden units to A's %.4g", plain, aligned);
	if (isfinite(plain) && isfinite(aligned) && plain > 0)
		fprintf(out, " (%.0f%% of it removed)", 100 * (1 - aligned / plain));
	fprintf(out, "\n");
	if (isfinite(aligned) && aligned < 0.5 * plain)
		fprintf(out, "RESULT: most of the barrier was the numbering of hidden units, not the solutions\n");
	else
		fprintf(out, "RESULT: matching hidden units leaves most of the barrier in place\n");
}

static double pa_memory(const struct scenario *sc, enum config_key *blame)
{
	*blame = KEY_WIDTHS;
	return netpair_memory(sc);
}

const struct experiment_ops permutation_alignment_ops = {
	.kind = "permutation_alignment",
	.keys = KEY_BIT(KEY_TARGET) | KEY_BIT(KEY_DEPTH) | KEY_BIT(KEY_WIDTHS) | KEY_BIT(KEY_INIT) |
		KEY_BIT(KEY_INIT_STD) | KEY_BIT(KEY_INIT_SEEDS) | KEY_BIT(KEY_OPTIMIZER) | KEY_BIT(KEY_LR) |
		KEY_BIT(KEY_EPOCHS) | KEY_BIT(KEY_TARGET_LOSS) | KEY_BIT(KEY_ALPHA_POINTS) | KEY_BIT(KEY_EVAL_EVERY),
	.target = TARGET_SIN3,
	.targets = TARGET_BIT(TARGET_SIN_COS) | TARGET_BIT(TARGET_SIN3),
	.optimizer = OPT_WORD_ADAM,
	.optimizers = OPT_WORD_BIT(OPT_WORD_SGD) | OPT_WORD_BIT(OPT_WORD_ADAM),
	.one_width = true,
	.check = config_no_check,
	.memory = pa_memory,
	.create = pa_create,
	.step = pa_step,
	.destroy = pa_destroy,
	.describe = pa_describe,
	.report = pa_report,
};
