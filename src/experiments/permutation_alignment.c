/* permutation_alignment.c: two networks train from different seeds as in
 * mode_connectivity; at every evaluation the loss is measured along the
 * straight line between them twice: as trained, and after B's hidden units
 * are reordered to match A's (weight matching, align.h). Reordering units
 * leaves B's function unchanged, so whatever barrier it removes was never a
 * property of the two solutions, only of how their units happened to be
 * numbered. */
#include <math.h>
#include <stdio.h>

#include "experiments/claims.h"
#include "experiments/report.h"
#include "overparam/experiment.h"
#include "overparam/history.h"
#include "overparam/netpair.h"

enum { SER_A, SER_B, SER_PLAIN, SER_ALIGNED, N_SERIES };

static void alignment_measure(struct netpair_run *r, uint32_t epoch, struct emitter *em)
{
	/* B matched afresh each time from the identity (the order that fits
	 * the nets of this epoch, not a tracked one), beside the line as
	 * trained; the lines from b (alpha 0) to A (alpha 1). */
	double plain, aligned;
	netpair_lines_matched(&r->p, &r->grid, &plain, &aligned);
	netpair_emit_losses(&r->grid, r->p.path2, em, epoch, SER_PLAIN, plain);
	netpair_emit_path(&r->p, &r->grid, em, epoch, SER_ALIGNED, aligned);
}

static int alignment_create(const struct scenario *sc, uint64_t seed, struct experiment **out, char *err,
			    size_t errlen)
{
	static const struct netpair_measure how = {
		.matching = true,
		.paths = (1u << SER_PLAIN) | (1u << SER_ALIGNED),
		.rounding = NETPAIR_ROUND_EACH,
		.measure = alignment_measure,
	};
	return netpair_run_create(sc, seed, &how, out, err, errlen);
}

static void alignment_describe(const struct scenario *sc, struct run_desc *d)
{
	netpair_describe(sc, d, N_SERIES, "alpha");
	snprintf(d->series_label[SER_PLAIN], sizeof d->series_label[SER_PLAIN], "as trained");
	snprintf(d->series_label[SER_ALIGNED], sizeof d->series_label[SER_ALIGNED], "B aligned to A");
	d->series_params[SER_PLAIN] = d->series_params[SER_ALIGNED] = d->series_params[SER_A];
	d->views[d->n_views++] =
		netpair_bars_view("a*A + (1-a)*B, as trained", MET_INTERP_LOSS, MET_BARRIER, 1u << SER_PLAIN);
	d->views[d->n_views++] =
		netpair_bars_view("after matching B's units to A's", MET_INTERP_LOSS, MET_BARRIER, 1u << SER_ALIGNED);
	/* the two humps on one scale: the matched one must look smaller */
	d->views[d->n_views - 2].scale_group = d->views[d->n_views - 1].scale_group = 1;
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

static void print_lines(const struct run_desc *d, const double *plain, const double *aligned, FILE *out)
{
	fprintf(out, "%-8s %-14s %s\n", "alpha", "as trained", "B aligned to A");
	for (int i = 0; i < d->n_grid; i++)
		fprintf(out, "%-8.2f %-14.6g %.6g\n", d->grid_x[i], plain ? plain[i] : NAN, aligned ? aligned[i] : NAN);
}

static void alignment_report(const struct scenario *sc, const struct run_desc *d, const struct history *h, FILE *out)
{
	netpair_report_nets(sc, d, h, out);
	fprintf(out, "\nloss along theta(a) = a*A + (1-a)*B at epoch %u, before and after weight matching:\n",
		h->grid_epoch[SER_PLAIN][MET_INTERP_LOSS]);
	print_lines(d, history_grid(h, SER_PLAIN, MET_INTERP_LOSS), history_grid(h, SER_ALIGNED, MET_INTERP_LOSS), out);
	double plain = h->last[SER_PLAIN][MET_BARRIER], aligned = h->last[SER_ALIGNED][MET_BARRIER];
	fprintf(out, "\nbarrier as trained %.4g, after aligning B's hidden units to A's %.4g", plain, aligned);
	if (isfinite(plain) && isfinite(aligned) && plain > 0)
		fprintf(out, " (%.0f%% of it removed)", 100 * (1 - aligned / plain));
	fprintf(out, "\n");
	if (!report_decided(out, NULL, d, h, REPORT_ALL_SERIES))
		return;
	if (isfinite(aligned) && aligned < 0.5 * plain)
		fprintf(out, "RESULT: most of the barrier was the numbering of hidden units, not the solutions\n");
	else
		fprintf(out, "RESULT: matching hidden units leaves most of the barrier in place\n");
}

static double alignment_memory(const struct scenario *sc, enum config_key *blame)
{
	*blame = KEY_WIDTHS;
	return netpair_memory(sc);
}

static const enum metric emitted[] = {MET_TRAIN_LOSS, MET_CONVERGED, MET_DIVERGED, MET_INTERP_LOSS, MET_BARRIER};

/* ---- claims: what scenario 7 says, measured on its own records ---- */

static enum claim_verdict claim_matching_removes(const struct scenario *sc, const struct run_desc *d,
						 const struct history *h, bool finished, struct claim_eval *e)
{
	(void)sc;
	double plain = h->last[SER_PLAIN][MET_BARRIER], aligned = h->last[SER_ALIGNED][MET_BARRIER];
	double removed = 100 * (1 - claims_ratio(aligned, plain));
	return claims_judge(e, d, h, finished, isfinite(removed), removed > 50, removed,
			    "matching B's units to A's cuts the barrier from %.3g to %.3g (%.0f%% removed, over half)",
			    plain, aligned, removed);
}

static enum claim_verdict claim_trained_barrier(const struct scenario *sc, const struct run_desc *d,
						const struct history *h, bool finished, struct claim_eval *e)
{
	(void)sc;
	return claims_barrier(e, d, h, finished, SER_PLAIN, "as trained, the straight line");
}

static const struct claim claims[] = {
	{"matching-removes-most", "% of the barrier matching removes", claim_matching_removes, NULL},
	{"trained-barrier", "barrier as trained", claim_trained_barrier, NULL},
};

const struct experiment_ops permutation_alignment_ops = {
	.kind = "permutation_alignment",
	.keys = NETPAIR_KEYS | KEY_BIT(KEY_EVAL_EVERY),
	NETPAIR_CHOICES,
	.one_width = true,
	.check = config_no_check,
	.memory = alignment_memory,
	.create = alignment_create,
	.step = netpair_run_step,
	.destroy = netpair_run_destroy,
	.use_workers = netpair_run_use_workers,
	.describe = alignment_describe,
	.report = alignment_report,
	EXPERIMENT_METRICS(emitted),
	EXPERIMENT_CLAIMS(claims),
};
