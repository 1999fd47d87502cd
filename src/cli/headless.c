/* headless.c: the run loop the trainer runs (run_loop.h), with no terminal
 * and no pacing; records go into a history (latest values only) and, on
 * request, a CSV file. The result table is the experiment's own report. */
#include <stdio.h>
#include <string.h>

#include "cli/headless.h"
#include "overparam/experiment.h"
#include "overparam/history.h"
#include "overparam/run_loop.h"
#include "overparam/workers.h"

struct sink {
	struct history *h;
	const struct run_desc *d;
	const char *name;
	FILE *csv;
};

static void sink_emit(void *ctx, const struct op_record *rec)
{
	struct sink *s = ctx;
	history_add(s->h, rec);
	if (!s->csv)
		return;
	const char *label = rec->series < s->d->n_series ? s->d->series_label[rec->series] : "run";
	fprintf(s->csv, "%s,%s,%s,%u,%u,%.9g\n", s->name, label, metric_name((enum metric)rec->metric), rec->epoch,
		rec->index, rec->value);
}

int headless_run(const struct scenario *sc, uint64_t seed, FILE *out, FILE *csv)
{
	const struct experiment_ops *ops = experiment_ops_for(sc->kind);
	struct run_desc d;
	ops->describe(sc, &d);
	const char *name = strrchr(sc->path, '/') ? strrchr(sc->path, '/') + 1 : sc->path;

	struct history h;
	history_init(&h, false);
	struct sink s = {.h = &h, .d = &d, .name = name, .csv = csv};
	struct emitter em = {.emit = sink_emit, .ctx = &s, .generation = 1};

	char err[SCENARIO_ERR_LEN];
	struct run_stats st;
	struct workers *team = ops->use_workers ? workers_create(workers_planned()) : NULL;
	int rc = experiment_run(ops, sc, seed, team, &em, &st, err, sizeof err);
	workers_destroy(team);
	if (rc != 0) {
		fprintf(stderr, "overparam: %s\n", err);
		history_free(&h);
		return 2;
	}

	fprintf(out, "== %s (%s, seed %llu) ==\n", name, ops->kind, (unsigned long long)seed);
	ops->report(sc, &d, &h, out);
	fprintf(out, "ran %u epochs in %.3f s (%.0f epochs/s)\n\n", st.epochs, st.seconds,
		st.seconds > 0 ? st.epochs / st.seconds : 0.0);
	history_free(&h);
	return 0;
}
