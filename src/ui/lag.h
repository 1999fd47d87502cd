/* lag.h: how far the screen lags behind the program, on a slow link. A
 * cursor-position request (ESC [ 6 n) goes out after a frame, at most once
 * every LAG_PROBE_EVERY; the terminal answers only once it has shown all
 * that came before, so the wait for the answer is the lag. While it lags
 * the frame rate halves (down to 1 a second); once it has caught up it
 * doubles back. A terminal that never answers is never taken to lag. No
 * terminal and no clock here: the caller passes the time (tests/test_lag.c). */
#ifndef OVERPARAM_UI_LAG_H
#define OVERPARAM_UI_LAG_H

#include <stdbool.h>

#define LAG_PROBE_EVERY 1.0 /* seconds between requests, at least */
#define LAG_SLOW 0.5        /* seconds behind: the frame rate halves */
#define LAG_CAUGHT_UP 0.25  /* seconds behind, at most: it doubles back */

struct lag {
	int fps_max, fps;  /* the --fps cap, and the rate now */
	double sent_at;    /* the request out, < 0: none */
	double last_sent;
	double behind;     /* seconds: the last answer's wait, or the wait so far once longer */
	bool answers;      /* the terminal has answered once: a late answer means lag */
	double adjusted_at;
};

void lag_init(struct lag *l, int fps_max);
/* Whether a request may go out now (none out, the last one old enough). */
bool lag_probe_due(const struct lag *l, double now);
void lag_sent(struct lag *l, double now);
/* A cursor-position answer arrived. */
void lag_answer(struct lag *l, double now);
/* No answer yet: once the wait is longer than the last lag, it is the lag. */
void lag_tick(struct lag *l, double now);
bool lag_slow(const struct lag *l);
/* The frame rate for now. */
int lag_fps(const struct lag *l);

#endif
