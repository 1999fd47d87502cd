/* lag.h: how far the screen lags behind the program, on a slow link. A
 * cursor-position request (ESC [ 6 n) goes out after a frame, at most once
 * every LAG_PROBE_EVERY; the terminal answers only once it has shown all
 * that came before, so the wait for the answer is the lag. While it lags
 * the frame rate halves (down to 1 a second), a request follows every
 * frame, and a frame waits until the one before has been shown: one frame
 * on the line at a time, so the screen is never more than a frame behind
 * however slow the line (frames sent faster than the line carries them
 * would queue up, seconds of them). Once it has caught up the rate doubles
 * back. A terminal that never answers is never taken to lag. No terminal
 * and no clock here: the caller passes the time (tests/test_lag.c). */
#ifndef OVERPARAM_UI_LAG_H
#define OVERPARAM_UI_LAG_H

#include <stdbool.h>

#define LAG_PROBE_EVERY 1.0 /* seconds between requests, at least */
#define LAG_SLOW 0.5        /* seconds behind: the frame rate halves */
#define LAG_CAUGHT_UP 0.25  /* seconds behind, at most: it doubles back */
#define LAG_HOLD_MAX 10.0   /* seconds a frame waits at most for the one before (an answer lost) */

struct lag {
	int fps_max, fps;  /* the --fps cap, and the rate now */
	double sent_at;    /* the request out, < 0: none */
	double last_sent;
	double behind;     /* seconds: the last answer's wait, or the wait so far once longer */
	bool answers;      /* the terminal has answered once: a late answer means lag */
	double adjusted_at;
};

void lag_init(struct lag *l, int fps_max);
/* Whether a request may go out now: none out, and the last one old
 * enough or the link lagging. */
bool lag_probe_due(const struct lag *l, double now);
void lag_sent(struct lag *l, double now);
/* A cursor-position answer arrived. */
void lag_answer(struct lag *l, double now);
/* No answer yet: once the wait is longer than the last lag, it is the lag. */
void lag_tick(struct lag *l, double now);
bool lag_slow(const struct lag *l);
/* Whether the next frame must wait: the link lags and the frame before
 * has not been shown (its request unanswered, for under LAG_HOLD_MAX). */
bool lag_holding(const struct lag *l, double now);
/* The frame rate for now. */
int lag_fps(const struct lag *l);

#endif
