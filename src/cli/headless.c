/* headless.c: the run loop the trainer runs (run_loop.h), with no terminal
 * and no pacing; records go into a history (latest values only) and, on
 * request, a CSV file. The result table is the experiment's own report.
 *
 * A step's records are held until the step is over: SIGINT or SIGTERM
 * cancel the run (run_cancel), a step may then return early, and its
 * records are dropped, so the CSV ends with the last whole epoch. */
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli/headless.h"
#include "overparam/experiment.h"
#include "overparam/history.h"
#include "overparam/picture.h"
#include "overparam/run_loop.h"
#include "overparam/store.h"
#include "overparam/workers.h"

/* ---- signals ---- */

static volatile sig_atomic_t signals_seen;
static const char *volatile csv_tmp; /* a second signal removes it */

static void on_signal(int sig)
{
	(void)sig;
	if (signals_seen++ == 0) {
		run_cancel();
		return;
	}
	if (csv_tmp && csv_tmp[0])
		unlink(csv_tmp);
	static const char msg[] = "overparam: interrupted twice: stopped at once, no CSV written\n";
	ssize_t ignored = write(STDERR_FILENO, msg, sizeof msg - 1);
	(void)ignored;
	_exit(HEADLESS_INTERRUPTED);
}

void headless_signals(const struct csv_out *csv)
{
	csv_tmp = csv ? csv->tmp : NULL;
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sa.sa_flags = SA_RESTART;
	sigemptyset(&sa.sa_mask);
	sigaddset(&sa.sa_mask, SIGINT); /* one handler at a time */
	sigaddset(&sa.sa_mask, SIGTERM);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
}

/* ---- records ---- */

struct sink {
	struct history *h;
	const struct run_desc *d;
	const char *name; /* the scenario file as given */
	struct csv_out *csv;
	struct op_record *held; /* (cap) this step's records, n of them */
	size_t n, cap;
};

static void sink_take(struct sink *s, const struct op_record *rec)
{
	history_add(s->h, rec);
	store_add(store_default(), rec); /* its MET_DONE ends the stored run */
	if (!s->csv)
		return;
	const char *label = rec->series < s->d->n_series ? s->d->series_label[rec->series] : "run";
	csv_row(s->csv, s->name, label, metric_name((enum metric)rec->metric), rec->epoch, rec->index, rec->value);
}

/* The held records, now that their step is whole. */
static void sink_commit(struct sink *s)
{
	for (size_t i = 0; i < s->n; i++)
		sink_take(s, &s->held[i]);
	s->n = 0;
}

static void sink_emit(void *ctx, const struct op_record *rec)
{
	struct sink *s = ctx;
	if (s->n == s->cap) {
		size_t cap = s->cap ? 2 * s->cap : 1024;
		struct op_record *held = realloc(s->held, cap * sizeof *held);
		if (!held) { /* no room to hold it: let it through now */
			sink_commit(s);
			sink_take(s, rec);
			return;
		}
		s->held = held;
		s->cap = cap;
	}
	s->held[s->n++] = *rec;
}

int headless_csv_error(const struct csv_out *csv)
{
	fprintf(stderr, "overparam: --csv: %s %s: %s\n", csv->what ? csv->what : "error writing", csv->path,
		csv_reason(csv));
	return 1;
}

/* ---- claims ---- */

void headless_claims(const struct scenario *sc, const struct run_desc *d, const struct history *h, FILE *out)
{
	const struct claim *which[CLAIM_MAX];
	struct claim_eval e[CLAIM_MAX];
	int n = claim_evaluate(sc, d, h, true, which, e);
	for (int i = 0; i < n; i++)
		fprintf(out, "CLAIM %s: %s: %s\n", which[i]->id, e[i].text, claim_verdict_word(e[i].verdict));
}

/* ---- one run ---- */

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* Steps to the end, or to a cancel or a CSV error. Returns the epochs
 * whose records went out (a cancelled step's are dropped). */
static uint32_t run_steps(struct run_loop *r, struct sink *s, double *seconds)
{
	uint32_t done = 0;
	double t0 = now();
	bool more = true;
	while (more && !run_cancelled() && !(s->csv && s->csv->err)) {
		more = run_loop_step(r);
		if (run_cancelled()) {
			s->n = 0;
			break;
		}
		sink_commit(s);
		done = r->epochs;
	}
	*seconds = now() - t0;
	if (!more && !run_cancelled()) {
		run_loop_finish(r);
		sink_commit(s);
	}
	return done;
}

static int interrupted(const struct scenario *sc, uint32_t epochs, struct csv_out *csv)
{
	if (csv && csv_flush(csv) != 0)
		return headless_csv_error(csv);
	fprintf(stderr, "overparam: interrupted at epoch %u of %s\n", epochs, sc->path);
	return HEADLESS_INTERRUPTED;
}

/* The run's panels as a picture at plot (picture.h). Returns 0, or 1 after
 * saying why on stderr. */
static int write_plot(const char *plot, bool dark, const struct scenario *sc, const struct run_desc *d,
		      const struct history *h)
{
	enum picture_format f;
	char err[PATH_MAX + 128];
	struct picture *p = NULL;
	if (!picture_format_of(plot, &f))
		snprintf(err, sizeof err, "%s: not .svg, .png or .pdf", plot);
	else if (!(p = picture_snapshot(sc, d, h, -1, dark)))
		snprintf(err, sizeof err, "%s: out of memory", plot);
	else if (picture_write(p, plot, f, false, NULL, err, sizeof err) == 0) {
		picture_free(p);
		return 0;
	}
	picture_free(p);
	fprintf(stderr, "overparam: --plot: %s\n", err);
	return 1;
}

int headless_run(const struct scenario *sc, uint64_t seed, FILE *out, struct csv_out *csv, const char *plot,
		 bool plot_dark)
{
	const struct experiment_ops *ops = experiment_ops_for(sc->kind);
	struct run_desc d;
	ops->describe(sc, &d);
	const char *name = strrchr(sc->path, '/') ? strrchr(sc->path, '/') + 1 : sc->path;
	if (run_cancelled())
		return interrupted(sc, 0, csv);

	struct history h;
	history_init(&h, plot != NULL); /* a picture draws the curves */
	if (plot)
		history_set_span(&h, (uint32_t)(d.planned_epochs > 0 ? d.planned_epochs : 0));
	struct sink s = {.h = &h, .d = &d, .name = sc->path, .csv = csv};
	struct emitter em = {.emit = sink_emit, .ctx = &s, .generation = 1};

	char err[SCENARIO_ERR_LEN];
	struct workers *team = ops->use_workers ? workers_create(workers_planned()) : NULL;
	struct run_loop r;
	int rc = run_loop_open(&r, ops, sc, seed, team, &em, err, sizeof err);
	uint32_t epochs = 0;
	double seconds = 0;
	if (rc == 0) {
		store_begin(store_default(), sc, seed, "headless");
		emitter_put(&em, 0, 0, MET_START, 0, (double)seed);
		sink_commit(&s);
		epochs = run_steps(&r, &s, &seconds);
		run_loop_close(&r);
	}
	workers_destroy(team);
	free(s.held);
	store_end(store_default(), STORE_INTERRUPTED); /* no MET_DONE: cut short */
	if (run_cancelled()) {
		rc = interrupted(sc, epochs, csv);
	} else if (rc != 0) {
		fprintf(stderr, "overparam: %s\n", err);
		rc = 2;
	} else if (csv && csv->err) {
		rc = headless_csv_error(csv);
	} else {
		fprintf(out, "== %s (%s, seed %llu) ==\n", name, ops->kind, (unsigned long long)seed);
		ops->report(sc, &d, &h, out);
		headless_claims(sc, &d, &h, out);
		fprintf(out, "ran %u epochs in %.3f s (%.0f epochs/s)\n\n", r.epochs, seconds,
			seconds > 0 ? r.epochs / seconds : 0.0);
		if (plot)
			rc = write_plot(plot, plot_dark, sc, &d, &h);
	}
	history_free(&h);
	return rc;
}
