/* ghost.c: earlier runs kept as faint curves (ghost.h). A ghost holds the
 * curve metrics of its run, thinned to GHOST_POINTS points a curve (every
 * other point dropped each time it fills), which is more than a chart has
 * dot columns. */
#include "ui/ghost.h"

#include "overparam/replay.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void ghost_clear(struct ghost *g)
{
	free(g->curve);
	memset(g, 0, sizeof *g);
}

void ghost_free(struct ghost_set *gs)
{
	for (int i = 0; i < gs->n; i++)
		ghost_clear(&gs->g[i]);
	gs->n = 0;
}

struct ghost *ghost_begin(struct ghost_set *gs, int scenario, const char *path, const char *label)
{
	if (gs->n == GHOST_MAX) { /* the oldest goes */
		ghost_clear(&gs->g[0]);
		memmove(&gs->g[0], &gs->g[1], (GHOST_MAX - 1) * sizeof gs->g[0]);
		gs->n--;
		memset(&gs->g[gs->n], 0, sizeof gs->g[0]);
	}
	struct ghost *g = &gs->g[gs->n++];
	g->scenario = scenario;
	snprintf(g->path, sizeof g->path, "%s", path);
	snprintf(g->label, sizeof g->label, "%s", label);
	g->curve = calloc(GHOST_CURVES, sizeof *g->curve);
	if (!g->curve)
		gs->n--;
	return g->curve ? g : NULL;
}

static struct ghost_curve *curve_for(struct ghost *g, int series, enum metric m)
{
	for (int k = 0; k < g->n; k++)
		if (g->curve[k].series == series && g->curve[k].metric == m)
			return &g->curve[k];
	if (g->n == GHOST_CURVES)
		return NULL;
	struct ghost_curve *c = &g->curve[g->n++];
	c->series = series;
	c->metric = m;
	c->stride = 1;
	return c;
}

static void curve_add(struct ghost_curve *c, uint32_t epoch, double v)
{
	if (c->stride == 0)
		c->stride = 1;
	if (c->seen++ % c->stride != 0)
		return;
	if (c->n == GHOST_POINTS) { /* full: every other point goes */
		for (size_t i = 0; i < GHOST_POINTS / 2; i++) {
			c->epoch[i] = c->epoch[2 * i];
			c->value[i] = c->value[2 * i];
		}
		c->n = GHOST_POINTS / 2;
		c->stride *= 2;
	}
	c->epoch[c->n] = epoch;
	c->value[c->n] = v;
	c->n++;
}

void ghost_take(struct ghost *g, const struct op_record *r)
{
	const struct metric_info *mi = metric_info((enum metric)r->metric);
	if (!mi || mi->shape != METRIC_CURVE || r->series >= RUN_MAX_SERIES)
		return;
	struct ghost_curve *c = curve_for(g, r->series, (enum metric)r->metric);
	if (c)
		curve_add(c, r->epoch, r->value);
}

static const char *base(const char *path)
{
	const char *slash = strrchr(path, '/');
	return slash ? slash + 1 : path;
}

/* A stored run is of the scenario whose file has its name. */
bool ghost_shown(const struct ghost_set *gs, const struct ghost *g, int scenario, const char *path)
{
	return !gs->hidden && (g->scenario == scenario || (g->scenario < 0 && strcmp(base(g->path), base(path)) == 0));
}

static void take_stored(void *ctx, const struct op_record *r)
{
	ghost_take(ctx, r);
}

int ghost_compare(struct ghost_set *gs, const struct store_settings *set, long long id,
		  const struct scenario *scenarios, int n, char *err, size_t errlen)
{
	char path[256], knobs[256];
	if (replay_each(set, id, path, knobs, NULL, NULL, err, errlen) != 0)
		return -1;
	bool mine = false;
	for (int i = 0; i < n && !mine; i++)
		mine = strcmp(base(scenarios[i].path), base(path)) == 0;
	if (!mine) {
		snprintf(err, errlen, "overparam: --compare: run %lld is of %s, which is not among the scenarios given", id,
			 base(path));
		return -1;
	}
	char label[48];
	snprintf(label, sizeof label, "run %lld%s%.36s", id, *knobs ? " " : "", knobs);
	struct ghost *g = ghost_begin(gs, -1, path, label);
	if (!g) {
		snprintf(err, errlen, "overparam: --compare: out of memory");
		return -1;
	}
	return replay_each(set, id, path, knobs, take_stored, g, err, errlen);
}

/* "lr 0.01", "lr 0.01, depth 3", "seed 7", or "earlier run": what the
 * last run had that the new one does not. */
static void what_differed(const struct ghost_set *gs, const struct scenario *sc, uint64_t seed, char *buf, size_t len)
{
	size_t used = 0;
	buf[0] = '\0';
	for (int k = 0; k < sc->n_knobs && used < len; k++) {
		double now = sc->knobs[k].values[sc->knobs[k].current];
		if (now == gs->run_knob[k])
			continue;
		char v[32];
		scenario_knob_format(gs->run_knob[k], v, sizeof v);
		used += (size_t)snprintf(buf + used, len - used, "%s%s %s", used ? ", " : "", sc->knobs[k].name, v);
	}
	if (used == 0 && seed != gs->run_seed)
		snprintf(buf, len, "seed %llu", (unsigned long long)gs->run_seed);
	else if (used == 0)
		snprintf(buf, len, "earlier run");
}

void ghost_keep(struct ghost_set *gs, const struct history *h, int scenario, const char *path)
{
	if (h->epoch == 0)
		return;
	struct ghost *g = ghost_begin(gs, scenario, path, "");
	if (!g)
		return;
	g->pending = true;
	for (int s = 0; s < RUN_MAX_SERIES; s++)
		for (int m = 0; m < MET_COUNT; m++) {
			const struct point_series *ps = &h->pts[s][m];
			for (uint32_t i = 0; i < ps->n; i++) {
				struct op_record r = {.epoch = ps->epoch[i], .series = (uint16_t)s, .metric = (uint16_t)m,
						      .value = ps->value[i]};
				ghost_take(g, &r);
			}
		}
}

void ghost_on_start(struct ghost_set *gs, int scenario, const struct scenario *sc, uint64_t seed)
{
	struct ghost *g = gs->n > 0 ? &gs->g[gs->n - 1] : NULL;
	if (g && g->pending) {
		g->pending = false;
		if (gs->run_known && gs->run_scenario == scenario && g->scenario == scenario)
			what_differed(gs, sc, seed, g->label, sizeof g->label);
		else
			snprintf(g->label, sizeof g->label, "earlier run");
	}
	gs->run_known = true;
	gs->run_scenario = scenario;
	gs->run_seed = seed;
	for (int k = 0; k < sc->n_knobs; k++)
		gs->run_knob[k] = sc->knobs[k].values[sc->knobs[k].current];
}
