/* keep.c: finished runs kept. When the screen leaves a scenario whose run
 * has ended (done or diverged), its history moves here, trimmed to its
 * points; coming back moves it onto the screen, the trainer is told to wait
 * on that scenario with the run's seed (CMD_PARK), and `r`, R or a knob
 * starts a new run from there. A run that has not ended is not kept: it
 * restarts, as before. Each kept history is at most its scenario's
 * history_budget, which that scenario's memory cap counts. */
#include <stdlib.h>

#include "ui/app.h"

int keep_init(struct app *a)
{
	a->kept = calloc((size_t)a->n, sizeof *a->kept);
	return a->kept ? 0 : -1;
}

void keep_free(struct app *a)
{
	for (int i = 0; a->kept && i < a->n; i++)
		if (a->kept[i].hist) {
			history_free(a->kept[i].hist);
			free(a->kept[i].hist);
		}
	free(a->kept);
	a->kept = NULL;
}

bool keep_has(const struct app *a, int idx)
{
	return a->kept && idx >= 0 && idx < a->n && a->kept[idx].hist;
}

/* Every series diverged: the run ended as "diverged". */
static bool all_diverged(const struct app *a)
{
	int n = app_desc(a)->n_series;
	for (int s = 0; s < n && s < RUN_MAX_SERIES; s++)
		if (!a->hist.diverged[s])
			return false;
	return n > 0;
}

void keep_save(struct app *a)
{
	int cur = a->cur;
	if (!a->kept || !a->hist.done || a->hist.scenario != cur)
		return;
	struct history *h = malloc(sizeof *h);
	if (!h)
		return; /* not kept: it restarts when shown again */
	enum trainer_state st = a->on_kept ? a->on_kept_state : all_diverged(a) ? TRAINER_DIVERGED : TRAINER_DONE;
	if (a->kept[cur].hist) {
		history_free(a->kept[cur].hist);
		free(a->kept[cur].hist);
	}
	*h = a->hist; /* its arrays move with it */
	history_trim(h);
	a->kept[cur].hist = h;
	a->kept[cur].end = st;
	history_init(&a->hist, true);
	a->on_kept = false;
}

void keep_restore(struct app *a, int idx)
{
	history_free(&a->hist);
	a->hist = *a->kept[idx].hist;
	free(a->kept[idx].hist);
	a->kept[idx].hist = NULL;
	a->on_kept = true;
	a->on_kept_state = a->kept[idx].end;
}

void keep_leave(struct app *a)
{
	a->on_kept = false;
}

enum trainer_state keep_state(const struct app *a)
{
	return a->on_kept ? a->on_kept_state : app_state(a);
}
