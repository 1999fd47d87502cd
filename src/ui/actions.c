/* actions.c: what the keys do. keys.c's table turns a key into an action;
 * here an action becomes a trainer command, a change of what is on screen,
 * or both. */
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "ui/app.h"
#include "ui/keymap.h"

/* A restart, a switch or a knob also cancels the run in progress
 * (trainer_command), so a long step gives way at once. */
static bool send(struct app *a, enum command_kind k, int arg, double value)
{
	struct op_command c = {.kind = (uint32_t)k, .arg = arg, .value = value};
	if (trainer_command(a->tr, c))
		return true;
	status_msg(a, "trainer busy: key dropped", true);
	return false;
}

/* The generation the trainer's next run will have: one past the newest the
 * UI has seen or the trainer has started (its start may still be in the
 * ring). Switch and restart each start exactly one run. */
static uint32_t next_generation(struct app *a)
{
	uint32_t mine = a->hist.generation + 1, theirs = trainer_generation(a->tr) + 1;
	return (int32_t)(theirs - mine) > 0 ? theirs : mine;
}

static void switch_to(struct app *a, int idx)
{
	if (idx < 0 || idx >= a->n || idx == a->cur)
		return;
	/* Read before sending: once the trainer acts, its count moves on. */
	uint32_t gen = next_generation(a);
	/* A kept run comes back as it ended (keep.c); the trainer waits. */
	bool kept = keep_has(a, idx);
	if (!send(a, kept ? CMD_PARK : CMD_SWITCH, idx, kept ? (double)a->kept[idx].hist->seed : 0))
		return;
	a->pace_asked = -1;
	keep_save(a);
	if (kept) {
		keep_restore(a, idx);
	} else {
		/* Records of the old run still in the ring are dropped from here on. */
		history_reset(&a->hist, gen);
		keep_leave(a);
	}
	panels_show(a, idx);
}

static void restart(struct app *a, bool new_seed)
{
	uint32_t gen = next_generation(a);
	if (!send(a, CMD_RESTART, new_seed ? RESTART_NEW_SEED : RESTART_SAME_SEED, 0))
		return;
	ghost_keep(&a->ghosts, &a->hist, a->cur, a->sc[a->cur].path);
	history_reset(&a->hist, gen);
	keep_leave(a);
	panels_reset(a);
}

static const double pace_ladder[] = {1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000};
#define LADDER_N ((int)(sizeof pace_ladder / sizeof pace_ladder[0]))

static void pace_step(struct app *a, int dir)
{
	/* Keys pressed faster than the trainer answers step from what was
	 * asked, not from the pace it still shows. */
	double p = trainer_pace(a->tr);
	if (a->pace_asked >= 0 && p != a->pace_asked)
		p = a->pace_asked;
	double next;
	if (dir > 0) {
		if (p <= 0)
			return; /* already max */
		next = 0;
		for (int i = 0; i < LADDER_N; i++)
			if (pace_ladder[i] > p * (1 + 1e-9)) {
				next = pace_ladder[i];
				break;
			}
	} else {
		if (p <= 0) {
			next = pace_ladder[LADDER_N - 1];
		} else {
			next = p;
			for (int i = LADDER_N - 1; i >= 0; i--)
				if (pace_ladder[i] < p * (1 - 1e-9)) {
					next = pace_ladder[i];
					break;
				}
		}
	}
	if (next != p && send(a, CMD_PACE, 0, next)) {
		a->pace_asked = next;
		a->hdr_dirty = true;
	}
}

static bool has_knobs(struct app *a)
{
	if (a->sc[a->cur].n_knobs > 0)
		return true;
	status_msg(a, "this scenario has no knobs ([knobs] in its file)", false);
	return false;
}

static void knob_select(struct app *a, int dir)
{
	if (!has_knobs(a))
		return;
	const struct scenario *sc = &a->sc[a->cur];
	int k = (a->knob_sel[a->cur] + dir + sc->n_knobs) % sc->n_knobs;
	a->knob_sel[a->cur] = k;
	const struct knob *kb = &sc->knobs[k];
	char lo[40], hi[40], msg[160];
	scenario_knob_format(kb->values[0], lo, sizeof lo);
	scenario_knob_format(kb->values[kb->n_values - 1], hi, sizeof hi);
	snprintf(msg, sizeof msg, "%s: %s, %s .. %s", kb->name, kb->target, lo, hi);
	status_msg(a, msg, false);
}

/* One step of the selected knob. The UI's copy takes the change first: a
 * refused value never reaches the trainer, which applies the same change to
 * its own copy and restarts (same seed). */
static void knob_turn(struct app *a, int dir)
{
	if (!has_knobs(a))
		return;
	struct scenario *sc = &a->own[a->cur];
	int k = a->knob_sel[a->cur];
	const struct knob *kb = &sc->knobs[k];
	int to = kb->current + dir;
	char msg[SCENARIO_ERR_LEN];
	if (to < 0 || to >= kb->n_values) {
		char v[40];
		scenario_knob_format(kb->values[kb->current], v, sizeof v);
		snprintf(msg, sizeof msg, "%s is at its %s value (%s)", kb->name, dir < 0 ? "lowest" : "highest", v);
		status_msg(a, msg, false);
		return;
	}
	double value = kb->values[to];
	static struct scenario next; /* large; the UI thread only */
	next = *sc;
	if (scenario_apply_knob(&next, k, value, msg, sizeof msg) != 0) {
		status_msg(a, msg, true);
		return;
	}
	uint32_t gen = next_generation(a);
	if (!send(a, CMD_KNOB, k, value))
		return;
	*sc = next;
	experiment_describe(sc, &a->desc[a->cur]);
	ghost_keep(&a->ghosts, &a->hist, a->cur, sc->path);
	history_reset(&a->hist, gen);
	keep_leave(a);
	a->msg[0] = 0;
	panels_show(a, a->cur); /* the run_desc may differ: labels, params, panels */
}

static void touch_all(struct app *a)
{
	touchwin(stdscr);
	wnoutrefresh(stdscr);
	a->all_dirty = true;
}

/* Up to UI_EXPORTS at once, so e pressed twice in a second writes two
 * files; each holds a copy of the history until it is written. */
static void export_run(struct app *a)
{
	actions_export_tick(a); /* one just finished frees its place */
	int k = 0;
	while (k < UI_EXPORTS && a->export[k])
		k++;
	if (k == UI_EXPORTS) {
		status_msg(a, "export busy: 4 exports still writing; press e again when one is done", true);
		return;
	}
	char msg[600];
	a->export[k] = export_start(a->opt.export_dir, &a->sc[a->cur], app_desc(a), &a->hist, msg, sizeof msg);
	status_msg(a, msg, !a->export[k]);
}

/* One picture at a time: it takes a fraction of a second. */
static void picture_run(struct app *a)
{
	actions_export_tick(a);
	if (a->slide) {
		status_msg(a, "picture busy: the last one is still being drawn", true);
		return;
	}
	char msg[600];
	/* the zoomed panel alone, else every panel */
	a->slide = slide_start(a->opt.export_dir, &a->sc[a->cur], app_desc(a), &a->hist, a->zoom,
			       ui_picture_dark(&a->opt), msg, sizeof msg);
	status_msg(a, msg, !a->slide);
}

void actions_export_tick(struct app *a)
{
	bool said_bad = false;
	if (a->slide) {
		char msg[PATH_MAX * 2 + 64];
		bool bad;
		if (slide_poll(a->slide, msg, sizeof msg, &bad)) {
			slide_end(a->slide, 0);
			a->slide = NULL;
			status_msg(a, msg, bad);
			said_bad = bad;
		}
	}
	for (int k = 0; k < UI_EXPORTS; k++) {
		if (!a->export[k])
			continue;
		char msg[600];
		bool bad;
		if (export_poll(a->export[k], msg, sizeof msg, &bad)) {
			export_end(a->export[k], 0);
			a->export[k] = NULL;
			if (bad || !said_bad) { /* a failure is not hidden by a success */
				status_msg(a, msg, bad);
				a->msg_wide = true; /* the whole path, not its first 30 columns */
			}
			said_bad |= bad;
		} else if ((!a->msg[0] || strncmp(a->msg, "exporting", 9) == 0) && strcmp(msg, a->msg) != 0) {
			status_msg(a, msg, false); /* progress, but never over another message */
		}
	}
}

void actions_export_quit(struct app *a)
{
	double until = app_now() + 0.3;
	int lost = 0;
	for (int k = 0; k < UI_EXPORTS; k++) {
		double wait = until - app_now();
		if (a->export[k] && !export_end(a->export[k], wait > 0 ? wait : 0))
			lost++;
		a->export[k] = NULL;
	}
	double wait = until - app_now();
	if (a->slide && !slide_end(a->slide, wait > 0 ? wait : 0))
		fprintf(stderr, "overparam: quit while a picture was being drawn: it was not saved\n");
	a->slide = NULL;
	if (lost)
		fprintf(stderr, "overparam: quit while %s writing: %s not written\n",
			lost > 1 ? "exports were" : "an export was", lost > 1 ? "their files were" : "its file was");
}

static void open_help(struct app *a)
{
	if (a->too_small)
		return;
	a->help = true;
	help_draw_knobs(&a->theme, &a->sc[a->cur]);
	doupdate();
}

/* `i`: the notes panel, the whole text over the panels, none. */
static void notes_cycle(struct app *a)
{
	a->notes = a->notes == NOTES_SHORT ? NOTES_FULL : a->notes == NOTES_FULL ? NOTES_HIDDEN : NOTES_SHORT;
	a->show_text = a->notes != NOTES_HIDDEN;
	a->notes_scroll = 0;
	if (a->notes == NOTES_FULL) {
		notes_open(a);
		doupdate();
		return;
	}
	notes_close();
	panels_relayout(a);
}

/* `z`: the next panel (the notes excepted: `i` shows them in full) alone,
 * after the last one the whole layout again. */
static void zoom_next(struct app *a)
{
	const struct run_desc *d = app_desc(a);
	int v = a->zoom + 1;
	while (v < d->n_views && d->views[v].kind == VIEW_TEXT)
		v++;
	a->zoom = v < d->n_views && v < RUN_MAX_VIEWS ? v : -1;
	a->present = false;
	panels_relayout(a);
	if (a->zoom >= 0) {
		char msg[160];
		snprintf(msg, sizeof msg, "zoom: %s (z: next panel)", d->views[a->zoom].title ? d->views[a->zoom].title : "");
		status_msg(a, msg, false);
	}
}

static void open_picker(struct app *a)
{
	if (a->too_small)
		return;
	picker_open(&a->picker, a->cur);
	picker_draw(&a->picker, &a->theme, a->sc, a->n);
	doupdate();
}

/* After the picker had a key: drawn again, or closed (and maybe a jump). */
void actions_picked(struct app *a, enum picker_result r, int jump)
{
	if (r == PICK_STAY) {
		if (picker_draw(&a->picker, &a->theme, a->sc, a->n)) {
			touch_all(a); /* smaller now: the panels show again around it */
			panels_draw(a);
		}
		doupdate();
		return;
	}
	picker_close();
	touch_all(a);
	if (r == PICK_JUMP)
		switch_to(a, jump);
}

/* Returns false when the action is to quit. */
static bool act(struct app *a, enum ui_action what, int arg)
{
	switch (what) {
	case ACT_QUIT: return false;
	case ACT_RESIZE: panels_relayout(a); break;
	case ACT_SCENARIO: switch_to(a, (a->cur + a->n + arg) % a->n); break;
	case ACT_JUMP: switch_to(a, arg < 0 ? a->n - 1 : arg); break;
	case ACT_PAUSE: send(a, CMD_PAUSE, 0, 0); break;
	case ACT_STEP: send(a, CMD_STEP, 0, 0); break;
	case ACT_RESTART:
		if (a->opt.follow)
			status_msg(a, "following: the lecturer runs it", false);
		else if (a->opt.replay && arg != 0)
			status_msg(a, "a replay keeps its seed", false);
		else
			restart(a, arg != 0);
		break;
	case ACT_PACE: pace_step(a, arg); break;
	case ACT_KNOB_PICK: knob_select(a, arg); break;
	case ACT_KNOB_TURN:
		if (a->opt.follow)
			status_msg(a, "following: the lecturer turns the knobs", false);
		else if (a->opt.replay)
			status_msg(a, "a replay keeps its knobs", false);
		else
			knob_turn(a, arg);
		break;
	case ACT_LOG:
		a->flip_log = !a->flip_log;
		panels_reset(a);
		a->ftr_dirty = true;
		break;
	case ACT_NOTES: notes_cycle(a); break;
	case ACT_ZOOM: zoom_next(a); break;
	case ACT_PRESENT:
		a->present = !a->present;
		a->zoom = -1;
		panels_relayout(a);
		break;
	case ACT_GHOSTS:
		a->ghosts.hidden = !a->ghosts.hidden;
		status_msg(a, a->ghosts.hidden ? "earlier runs hidden (o shows them)" : "earlier runs shown (o hides them)",
			   false);
		a->all_dirty = true;
		break;
	case ACT_EXPORT: export_run(a); break;
	case ACT_PICTURE: picture_run(a); break;
	case ACT_HELP: open_help(a); break;
	case ACT_REDRAW:
		clearok(curscr, TRUE);
		touch_all(a);
		break;
	case ACT_PICK: open_picker(a); break;
	}
	return true;
}

bool actions_key(struct app *a, int ch)
{
	if (a->picker.open && ch != KEY_RESIZE && ch != 3) {
		int jump = a->cur;
		enum picker_result r = picker_key(&a->picker, ch, app_now(), a->sc, a->n, &jump);
		actions_picked(a, r, jump);
		return true;
	}
	if (a->help && ch != KEY_RESIZE) {
		/* Any key closes the help and does nothing else. */
		a->help = false;
		help_close();
		touch_all(a);
		return true;
	}
	if (a->notes == NOTES_FULL && notes_key(a, ch))
		return true;
	int arg = 0;
	const struct ui_key *k = keymap_find(ch, &arg);
	bool go_on = k ? act(a, k->action, arg) : true;
	if (a->picker.open && ch == KEY_RESIZE)
		actions_picked(a, PICK_STAY, 0); /* again, at the new size */
	if (a->help && ch == KEY_RESIZE) {
		/* A resize is no key: the help stays, made again at the new size
		 * (a key pressed just after a resize may reach us before it). The
		 * next frame shows it over the panels, in one update. */
		help_close();
		a->help = !a->too_small;
		if (a->help)
			help_draw_knobs(&a->theme, &a->sc[a->cur]);
	}
	return go_on;
}
