/* lag.c: see lag.h. */
#include "ui/lag.h"

void lag_init(struct lag *l, int fps_max)
{
	l->fps_max = l->fps = fps_max > 0 ? fps_max : 1;
	l->sent_at = -1;
	l->last_sent = -1e9;
	l->behind = 0;
	l->answers = false;
	l->adjusted_at = -1e9;
}

bool lag_probe_due(const struct lag *l, double now)
{
	return l->sent_at < 0 && (lag_slow(l) || now - l->last_sent >= LAG_PROBE_EVERY);
}

void lag_sent(struct lag *l, double now)
{
	l->sent_at = now;
	l->last_sent = now;
}

/* At most once a probe period: halve while slow, double back once caught up. */
static void adjust(struct lag *l, double now)
{
	if (now - l->adjusted_at < LAG_PROBE_EVERY)
		return;
	int fps = l->fps;
	if (l->behind >= LAG_SLOW)
		fps = fps / 2 > 1 ? fps / 2 : 1;
	else if (l->behind <= LAG_CAUGHT_UP)
		fps = fps * 2 < l->fps_max ? fps * 2 : l->fps_max;
	if (fps != l->fps) {
		l->fps = fps;
		l->adjusted_at = now;
	}
}

void lag_answer(struct lag *l, double now)
{
	if (l->sent_at < 0)
		return; /* no request out: an answer to someone else's */
	l->behind = now - l->sent_at;
	l->sent_at = -1;
	l->answers = true;
	adjust(l, now);
}

void lag_tick(struct lag *l, double now)
{
	if (l->sent_at < 0 || !l->answers)
		return;
	double wait = now - l->sent_at;
	if (wait > l->behind) {
		l->behind = wait;
		adjust(l, now);
	}
}

bool lag_slow(const struct lag *l)
{
	return l->answers && l->behind >= LAG_SLOW;
}

bool lag_holding(const struct lag *l, double now)
{
	return lag_slow(l) && l->sent_at >= 0 && now - l->sent_at < LAG_HOLD_MAX;
}

int lag_fps(const struct lag *l)
{
	return l->fps;
}
