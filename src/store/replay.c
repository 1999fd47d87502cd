/* replay.c: `--replay [RUN]`: a stored run played back through the live UI
 * with no training. The run's scenario is rebuilt from its stored text,
 * --set overrides and knobs; its records are read once; an experiment
 * descriptor like the kind's own, whose step() emits one stored epoch's
 * records, takes the kind's place in the trainer. So pace, pause, step,
 * zoom and export work as in a live run, and at max pace the end is a few
 * milliseconds away. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "overparam/replay.h"
#include "store/db.h"

/* The run's own records (the trainer adds MET_START, MET_EPOCH, MET_DONE
 * again) and where each step's records begin. */
static struct {
	struct op_record *rec; /* (n) */
	size_t n;
	size_t *step_at;       /* (n_steps + 1) first record of each step, then n */
	size_t n_steps;
	struct experiment_ops ops;
} played;

struct experiment {
	size_t step;
};

static int replay_create(const struct scenario *sc, uint64_t seed, struct experiment **out, char *err, size_t errlen)
{
	(void)sc;
	(void)seed;
	*out = calloc(1, sizeof **out);
	if (!*out) {
		snprintf(err, errlen, "replay: out of memory");
		return -1;
	}
	return 0;
}

/* One stored epoch's records; false after the last. */
static bool replay_step(struct experiment *x, struct emitter *em)
{
	if (x->step >= played.n_steps)
		return false;
	for (size_t i = played.step_at[x->step]; i < played.step_at[x->step + 1]; i++)
		em->emit(em->ctx, &played.rec[i]);
	x->step++;
	return x->step < played.n_steps;
}

static void replay_destroy(struct experiment *x)
{
	free(x);
}

static bool is_mark(const struct op_record *r)
{
	return r->metric == MET_START || r->metric == MET_EPOCH || r->metric == MET_DONE;
}


/* Reads the run's records: the experiment's own, cut into steps at the
 * MET_EPOCH marks. */
static int load_records(sqlite3 *db, long long id)
{
	sqlite3_stmt *s;
	if (sqlite3_prepare_v2(db, RECORDS_SQL, -1, &s, NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_int64(s, 1, id);
	size_t cap = 0, steps_cap = 1024;
	played.step_at = malloc(steps_cap * sizeof *played.step_at);
	if (!played.step_at) {
		sqlite3_finalize(s);
		return -1;
	}
	played.step_at[0] = 0;
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct op_record r = db_record(s);
		if (played.n_steps + 2 > steps_cap) {
			steps_cap *= 2;
			size_t *g = realloc(played.step_at, steps_cap * sizeof *g);
			if (!g)
				break;
			played.step_at = g;
		}
		if (r.metric == MET_EPOCH)
			played.step_at[++played.n_steps] = played.n;
		if (is_mark(&r) || r.metric >= MET_COUNT)
			continue;
		if (played.n == cap) {
			cap = cap ? 2 * cap : 4096;
			struct op_record *g = realloc(played.rec, cap * sizeof *g);
			if (!g)
				break;
			played.rec = g;
		}
		played.rec[played.n++] = r;
	}
	sqlite3_finalize(s);
	if (rc != SQLITE_DONE)
		return -1;
	/* records after the last mark (a run cut short mid-epoch) are a last step */
	if (played.n_steps == 0 || played.step_at[played.n_steps] < played.n)
		played.step_at[++played.n_steps] = played.n;
	return 0;
}

/* The knobs as stored ("lr=0.1 depth=2") onto sc. */
static int apply_knobs(struct scenario *sc, const char *knobs, char *err, size_t errlen)
{
	char buf[256];
	snprintf(buf, sizeof buf, "%s", knobs);
	char *save = NULL;
	for (char *tok = strtok_r(buf, " ", &save); tok; tok = strtok_r(NULL, " ", &save)) {
		char *eq = strchr(tok, '=');
		if (!eq)
			continue;
		*eq = '\0';
		double v = strtod(eq + 1, NULL);
		for (int k = 0; k < sc->n_knobs; k++)
			if (strcmp(sc->knobs[k].name, tok) == 0 && scenario_apply_knob(sc, k, v, err, errlen) != 0)
				return -1;
	}
	return 0;
}

/* The stored scenario: its text with its --set overrides, then its knobs. */
static int load_scenario(sqlite3_stmt *s, struct scenario *sc, char *err, size_t errlen)
{
	const char *path = (const char *)sqlite3_column_text(s, 1);
	const char *text = (const char *)sqlite3_column_text(s, 2);
	char *sets = strdup((const char *)sqlite3_column_text(s, 3));
	const char *knobs = (const char *)sqlite3_column_text(s, 4);
	const char *list[64];
	int n = 0;
	char *save = NULL;
	for (char *tok = sets ? strtok_r(sets, "\n", &save) : NULL; tok && n < 64; tok = strtok_r(NULL, "\n", &save))
		list[n++] = tok;
	int rc = scenario_parse_sets(text, strlen(text), path, list, n, sc, err, errlen);
	free(sets);
	if (rc == 0)
		rc = apply_knobs(sc, knobs, err, errlen);
	sc->seed = (uint64_t)sqlite3_column_int64(s, 5);
	return rc;
}

/* "overparam: --replay: WHAT[TAIL]", the database closed. */
static int fail(sqlite3 *db, char *err, size_t errlen, const char *what, const char *tail)
{
	snprintf(err, errlen, "overparam: --replay: %s%s", what, tail);
	sqlite3_close(db);
	return -1;
}

long long db_run_scenario(sqlite3 *db, long long id, struct scenario *sc, char *err, size_t errlen)
{
	sqlite3_stmt *s;
	const char *sql = id > 0 ? "SELECT id, scenario, text, sets, knobs, seed FROM run WHERE id = ?"
				 : "SELECT id, scenario, text, sets, knobs, seed FROM run ORDER BY id DESC LIMIT 1";
	if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) != SQLITE_OK) {
		snprintf(err, errlen, "%s", sqlite3_errmsg(db));
		return -1;
	}
	sqlite3_bind_int64(s, 1, id);
	if (sqlite3_step(s) != SQLITE_ROW) {
		sqlite3_finalize(s);
		return 0;
	}
	id = sqlite3_column_int64(s, 0);
	char why[SCENARIO_ERR_LEN];
	int rc = load_scenario(s, sc, why, sizeof why);
	sqlite3_finalize(s);
	if (rc != 0) {
		snprintf(err, errlen, "the stored scenario no longer reads: %s", why);
		return -1;
	}
	return id;
}

int replay_load(const struct store_settings *set, long long id, struct scenario *sc, char *err, size_t errlen)
{
	sqlite3 *db;
	if (db_open(&db, set->path, false, err, errlen) != 0)
		return -1;
	char why[SCENARIO_ERR_LEN + 64];
	long long got = db_run_scenario(db, id, sc, why, sizeof why);
	if (got == 0)
		return fail(db, err, errlen, id > 0 ? "no such run in the store" : "the store has no runs yet",
			    " (see --runs)");
	if (got < 0)
		return fail(db, err, errlen, why, "");
	if (load_records(db, got) != 0)
		return fail(db, err, errlen, sqlite3_errmsg(db), "");
	sqlite3_close(db);
	char tail[32];
	snprintf(tail, sizeof tail, " (run %lld)", got);
	size_t keep = sizeof sc->title - 1 - strlen(tail);
	if (strlen(sc->title) > keep)
		sc->title[keep] = '\0';
	memcpy(sc->title + strlen(sc->title), tail, strlen(tail) + 1);
	played.ops = *experiment_ops_for(sc->kind);
	played.ops.create = replay_create;
	played.ops.step = replay_step;
	played.ops.destroy = replay_destroy;
	played.ops.use_workers = NULL;
	return 0;
}

const struct experiment_ops *replay_ops(void)
{
	return &played.ops;
}

void replay_free(void)
{
	free(played.rec);
	free(played.step_at);
	memset(&played, 0, sizeof played);
}

int replay_each(const struct store_settings *set, long long id, char *path, char *knobs,
		void (*take)(void *ctx, const struct op_record *rec), void *ctx, char *err, size_t errlen)
{
	sqlite3 *db;
	if (db_open(&db, set->path, false, err, errlen) != 0)
		return -1;
	sqlite3_stmt *s;
	if (sqlite3_prepare_v2(db, "SELECT scenario, knobs FROM run WHERE id = ?", -1, &s, NULL) != SQLITE_OK)
		return fail(db, err, errlen, sqlite3_errmsg(db), "");
	sqlite3_bind_int64(s, 1, id);
	if (sqlite3_step(s) != SQLITE_ROW) {
		sqlite3_finalize(s);
		snprintf(err, errlen, "overparam: --compare: no such run in the store (see --runs)");
		sqlite3_close(db);
		return -1;
	}
	snprintf(path, 256, "%s", (const char *)sqlite3_column_text(s, 0));
	snprintf(knobs, 256, "%s", (const char *)sqlite3_column_text(s, 1));
	sqlite3_finalize(s);
	if (take && sqlite3_prepare_v2(db, RECORDS_SQL, -1, &s, NULL) == SQLITE_OK) {
		sqlite3_bind_int64(s, 1, id);
		while (sqlite3_step(s) == SQLITE_ROW) {
			struct op_record r = db_record(s);
			take(ctx, &r);
		}
		sqlite3_finalize(s);
	}
	sqlite3_close(db);
	return 0;
}
