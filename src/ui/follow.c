/* follow.c: the follower's UI side of --follow (share.h). Every 0.2 s it
 * asks the session file whether the lecturer is paused (the header then
 * says so) and for the lecturer's newest run; a new one (a switch,
 * a knob, a restart) replaces the scenario on screen and restarts the
 * trainer, whose follow_ops then reads that run from its start. */
#include "overparam/share.h"
#include "ui/app.h"

#define FOLLOW_TICK 0.2 /* seconds between looks at the session: a switch shows within 0.5 s */

void follow_tick(struct app *a)
{
	static double next;
	static long long known = -1;
	static struct scenario sc; /* large; the UI thread only */
	double t = app_now();
	if (t < next)
		return;
	next = t + FOLLOW_TICK;
	if (known < 0)
		known = follow_first();
	/* the header says what the lecturer's says (our trainer just waits) */
	a->lecturer_paused = follow_paused() == 1;
	long long id = follow_poll(known, &sc);
	if (id <= known)
		return;
	known = id;
	uint32_t mine = a->hist.generation + 1, theirs = trainer_generation(a->tr) + 1;
	uint32_t gen = (int32_t)(theirs - mine) > 0 ? theirs : mine;
	/* the lecturer's seed, so the header says what the lecturer's says */
	if (!trainer_command(a->tr, (struct op_command){.kind = CMD_RESTART,
							.arg = RESTART_GIVEN_SEED,
							.value = (double)sc.seed}))
		return;
	a->own[a->cur] = sc;
	experiment_describe(&a->own[a->cur], &a->desc[a->cur]);
	history_reset(&a->hist, gen);
	panels_show(a, a->cur);
}
