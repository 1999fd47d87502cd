/* ghost.h: the earlier runs of a scenario kept on its line charts as
 * faint curves ("ghosts"), labelled by what differed from the run on
 * screen ("lr 0.01"): after a restart or a knob change, or a stored run
 * (--compare RUN). At most GHOST_MAX; `o` hides and shows them. */
#ifndef OVERPARAM_UI_GHOST_H
#define OVERPARAM_UI_GHOST_H

#include <stdbool.h>
#include <stdint.h>

#include "overparam/experiment.h"
#include "overparam/history.h"
#include "overparam/scenario.h"
#include "overparam/store.h"

#define GHOST_MAX 3
#define GHOST_POINTS 1024 /* a ghost curve's points, evenly thinned: a chart has fewer dot columns */
#define GHOST_CURVES ((size_t)RUN_MAX_SERIES * 8)
#define GHOST_OWNER(k) (-2 - (k)) /* canvas owner of curve k's ghosts (-1: none) */

struct ghost_curve {
	int series;
	enum metric metric;
	uint32_t n;
	uint64_t seen;                /* points offered */
	uint32_t stride;              /* one in stride kept */
	uint32_t epoch[GHOST_POINTS]; /* (n) */
	double value[GHOST_POINTS];   /* (n) */
};

struct ghost {
	int scenario; /* -1: --compare, shown on any scenario of its kind and file */
	char path[256];
	char label[48];
	bool pending; /* kept, label not known yet */
	int n;
	struct ghost_curve *curve; /* (GHOST_CURVES) n in use */
};

struct ghost_set {
	struct ghost g[GHOST_MAX]; /* oldest first */
	int n;
	bool hidden; /* `o` */
	/* the run on screen, to say what the next one changes */
	bool run_known;
	int run_scenario;
	uint64_t run_seed;
	double run_knob[SCENARIO_MAX_KNOBS];
};

/* A restart or a knob change is about to forget the run on screen: it
 * becomes a ghost (when it drew anything), labelled once the next run
 * starts. */
void ghost_keep(struct ghost_set *gs, const struct history *h, int scenario, const char *path);
/* A run starts (its MET_START): the ghost kept for it gets its label, what
 * the last run had that this one has not. sc: the scenario with the new
 * run's knobs. */
void ghost_on_start(struct ghost_set *gs, int scenario, const struct scenario *sc, uint64_t seed);
/* Adds a ghost of the given points (--compare): take(ctx, ...) is fed
 * every record; finish with ghost_end. */
struct ghost *ghost_begin(struct ghost_set *gs, int scenario, const char *path, const char *label);
void ghost_take(struct ghost *g, const struct op_record *r);
/* The ghosts to draw on scenario `scenario` (path: its file), none when hidden. */
bool ghost_shown(const struct ghost_set *gs, const struct ghost *g, int scenario, const char *path);
void ghost_free(struct ghost_set *gs);
/* --compare RUN: the stored run as a ghost of every scenario of its file,
 * labelled "run N" and its knobs. Returns 0, or -1 with one line in err,
 * also when none of the n scenarios given is of its file (it would never
 * be drawn). */
int ghost_compare(struct ghost_set *gs, const struct store_settings *set, long long id,
		  const struct scenario *scenarios /* (n) */, int n, char *err /* (errlen) */, size_t errlen);

#endif
