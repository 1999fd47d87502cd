/* input.c: between wgetch and the actions. Codes go through the key
 * decoder (keydecode.h), so a sequence ncurses' terminfo does not know is
 * one key or nothing, never a string of commands; an unknown one is named
 * in the status line. The terminal's answers to the lag probe (lag.h) are
 * taken here and never reach the keys. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ui/app.h"

#include <term.h> /* after app.h: its capability macros clash with the widgets' names */

#define SEQ_WAIT_MS 50 /* the next byte of a sequence: later than this, it was cut */
#define QUIT_ANSWER_WAIT 0.5 /* seconds the way out waits for an answer on its way */

static const char *probe_seq; /* the terminal's cursor-position request (u7), NULL: none */
static double next_frame;     /* while the rate is down: no frame before this */

void input_init(struct app *a)
{
	memset(&a->kd, 0, sizeof a->kd);
	lag_init(&a->lag, a->opt.fps);
	const char *u7 = tigetstr("u7");
	probe_seq = u7 && (intptr_t)u7 != -1 && *u7 ? u7 : NULL; /* -1: not a string capability */
	/* A terminfo key that reads like an answer (xterm's Shift-F3 is
	 * ESC [ 1 ; 2 R) is left to the decoder, which knows the answers. */
	for (int code = KEY_MIN; code <= KEY_MAX; code++) {
		char *def = keybound(code, 0);
		if (!def)
			continue;
		size_t n = strlen(def);
		if (n >= 4 && def[0] == 27 && def[1] == '[' && def[n - 1] == 'R' && strchr(def, ';'))
			keyok(code, FALSE);
		free(def);
	}
}

static void unknown_key(struct app *a, const char *name)
{
	char msg[KEYDEC_NAME_MAX + 16];
	snprintf(msg, sizeof msg, "unknown key %s", name);
	status_msg(a, msg, false);
}

static bool decoded(struct app *a, enum keydec_kind k, const struct keydec_event *ev)
{
	switch (k) {
	case KEYDEC_MORE: return true;
	case KEYDEC_KEY: return actions_key(a, ev->code);
	case KEYDEC_UNKNOWN: unknown_key(a, ev->name); return true;
	case KEYDEC_CPR:
		lag_answer(&a->lag, app_now());
		a->hdr_dirty = true;
		return true;
	}
	return true;
}

bool input_key(struct app *a, int ch)
{
	struct keydec_event ev;
	return decoded(a, keydecode_feed(&a->kd, ch, &ev), &ev);
}

bool input_timeout(struct app *a)
{
	struct keydec_event ev;
	enum keydec_kind k = keydecode_timeout(&a->kd, &ev);
	if (k != KEYDEC_MORE)
		return decoded(a, k, &ev);
	int jump = a->cur;
	if (a->picker.open && picker_tick(&a->picker, app_now(), a->n, &jump) == PICK_JUMP)
		actions_picked(a, PICK_JUMP, jump);
	return true;
}

/* Below the --fps cap (the link lags), a key does not bring a frame of
 * its own: frames come at the lowered rate, so keys pressed in a burst
 * (Right, Right, Right) cost one redraw on the slow link, not three; and
 * none goes out while the one before is still on its way (lag.h). */
bool input_frame_due(struct app *a)
{
	double now = app_now();
	if (lag_holding(&a->lag, now))
		return false;
	if (lag_fps(&a->lag) >= a->lag.fps_max)
		return true;
	if (now < next_frame)
		return false;
	next_frame = now + 1.0 / lag_fps(&a->lag);
	return true;
}

int input_wait_ms(const struct app *a)
{
	if (keydecode_pending(&a->kd))
		return SEQ_WAIT_MS;
	int ms = 1000 / lag_fps(&a->lag);
	if (lag_fps(&a->lag) < a->lag.fps_max) {
		double left = next_frame - app_now();
		ms = left > 0 && left * 1000 < ms ? (int)(left * 1000) + 1 : ms;
	}
	double left = picker_wait(&a->picker, app_now());
	if (left >= 0 && left * 1000 < ms)
		ms = (int)(left * 1000) + 1;
	return ms;
}

void input_after_frame(struct app *a)
{
	double now = app_now();
	bool was_slow = lag_slow(&a->lag);
	int fps = lag_fps(&a->lag);
	lag_tick(&a->lag, now);
	if (probe_seq && lag_probe_due(&a->lag, now)) {
		size_t n = strlen(probe_seq);
		if (write(STDOUT_FILENO, probe_seq, n) == (ssize_t)n) {
			lag_sent(&a->lag, now);
			keydecode_expect_answer(&a->kd);
		}
	}
	if (lag_slow(&a->lag) != was_slow || lag_fps(&a->lag) != fps)
		a->hdr_dirty = true;
}

void input_quit(struct app *a)
{
	if (a->lag.sent_at < 0 || !a->lag.answers)
		return;
	/* An answer still on its way would land in the shell's input (the
	 * prompt would read ^[[28;99R). It comes once the terminal has shown
	 * what went before it: on a lagging link, about the lag, so wait that
	 * long and more; the shell's prompt could not show sooner anyway. */
	double wait = QUIT_ANSWER_WAIT;
	if (lag_slow(&a->lag))
		wait = fmin(LAG_HOLD_MAX, fmax(wait, 2 * a->lag.behind + QUIT_ANSWER_WAIT));
	double until = app_now() + wait;
	wtimeout(a->in, 50);
	while (a->lag.sent_at >= 0 && app_now() < until) {
		struct keydec_event ev;
		int ch = wgetch(a->in);
		if (ch != ERR && keydecode_feed(&a->kd, ch, &ev) == KEYDEC_CPR)
			lag_answer(&a->lag, app_now());
	}
}
