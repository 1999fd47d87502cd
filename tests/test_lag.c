/* test_lag.c: the lag detector (src/ui/lag.c) on a fake clock, with the
 * terminal's cursor-position answers delayed as a slow link delays them:
 * requests go out at most once a second and never two at once; a late
 * answer is the lag, and so is a long wait for one; the frame rate halves
 * while it lags (down to 1) and doubles back to the cap once caught up; a
 * terminal that never answers is never taken to lag; a stray answer is
 * ignored; while it lags, a frame waits for the one before to be shown. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "ui/lag.h"

/* A link `delay` seconds behind: each request is answered delay later
 * (an answer on its way keeps its time across calls); ticks every 50 ms
 * for `secs` seconds from *now. */
static double answer_at = -1;

static void run_link(struct lag *l, double *now, double secs, double delay)
{
	double end = *now + secs;
	for (; *now < end; *now += 0.05) {
		if (answer_at >= 0 && *now >= answer_at) {
			lag_answer(l, *now);
			answer_at = -1;
		}
		lag_tick(l, *now);
		if (lag_probe_due(l, *now)) {
			lag_sent(l, *now);
			answer_at = *now + delay;
		}
	}
}

/* A detector capped at 20 fps, no answer on its way, on a fast link for secs. */
static double fresh_link(struct lag *l, double secs)
{
	lag_init(l, 20);
	answer_at = -1;
	double now = 100;
	run_link(l, &now, secs, 0.02);
	return now;
}

static void test_fast_link_keeps_the_rate(void **state)
{
	(void)state;
	struct lag l;
	fresh_link(&l, 10);
	assert_false(lag_slow(&l));
	assert_int_equal(lag_fps(&l), 20);
	assert_true(l.behind < 0.1);
}

static void test_slow_link_drops_then_recovers(void **state)
{
	(void)state;
	struct lag l;
	double now = fresh_link(&l, 3);
	run_link(&l, &now, 20, 2.0); /* the link falls 2 s behind */
	assert_true(lag_slow(&l));
	assert_true(l.behind > 1.9 && l.behind < 2.2);
	assert_int_equal(lag_fps(&l), 1);
	run_link(&l, &now, 12, 0.05); /* caught up */
	assert_false(lag_slow(&l));
	assert_int_equal(lag_fps(&l), 20);
}

/* The wait itself counts: no answer for 3 s on a terminal known to answer
 * is at least 3 s of lag, before any answer says so. */
static void test_missing_answer_is_lag(void **state)
{
	(void)state;
	struct lag l;
	lag_init(&l, 16);
	answer_at = -1;
	double now = 0;
	run_link(&l, &now, 2, 0.01);
	assert_true(lag_probe_due(&l, now + 1));
	lag_sent(&l, now);
	double sent = now;
	assert_false(lag_probe_due(&l, now + 5)); /* one request out at a time */
	for (int i = 1; i <= 60; i++)
		lag_tick(&l, sent + 0.05 * i);
	assert_true(lag_slow(&l));
	assert_true(l.behind >= 2.99);
	assert_true(lag_fps(&l) < 16);
}

static void test_silent_terminal_never_lags(void **state)
{
	(void)state;
	struct lag l;
	lag_init(&l, 20);
	lag_sent(&l, 0);
	for (int i = 1; i < 1000; i++)
		lag_tick(&l, 0.05 * i);
	assert_false(lag_slow(&l));
	assert_int_equal(lag_fps(&l), 20);
	assert_false(lag_probe_due(&l, 1000)); /* no second request to a terminal that never answered */
}

static void test_stray_answer_ignored(void **state)
{
	(void)state;
	struct lag l;
	lag_init(&l, 20);
	lag_answer(&l, 50);
	assert_false(l.answers);
	assert_true(lag_probe_due(&l, 50));
}

/* At most one request a second, whatever the frame rate. */
static void test_probe_rate(void **state)
{
	(void)state;
	struct lag l;
	lag_init(&l, 60);
	int sent = 0;
	for (double now = 0; now < 10; now += 1.0 / 60) {
		if (l.sent_at >= 0 && now - l.sent_at > 0.01)
			lag_answer(&l, now);
		if (lag_probe_due(&l, now)) {
			lag_sent(&l, now);
			sent++;
		}
	}
	assert_true(sent >= 9 && sent <= 10);
}

/* While the link lags, a request follows every frame and the next frame
 * waits for its answer: one frame on the line at a time. An answer lost
 * holds frames back LAG_HOLD_MAX at most; a link that keeps up never. */
static void test_one_frame_on_a_slow_line(void **state)
{
	(void)state;
	struct lag l;
	double now = fresh_link(&l, 3);
	assert_false(lag_holding(&l, now));
	run_link(&l, &now, 5, 2.0); /* 2 s behind */
	assert_true(lag_slow(&l));
	/* settle the request out, then a frame and its request */
	while (l.sent_at >= 0) {
		now += 0.05;
		if (answer_at >= 0 && now >= answer_at) {
			lag_answer(&l, now);
			answer_at = -1;
		}
	}
	assert_false(lag_holding(&l, now));
	assert_true(lag_probe_due(&l, now)); /* at once: no second's spacing while it lags */
	lag_sent(&l, now);
	assert_true(lag_holding(&l, now + 0.1));
	assert_true(lag_holding(&l, now + 1.9));
	lag_answer(&l, now + 2.0);
	assert_false(lag_holding(&l, now + 2.0));
	/* an answer that never comes */
	now += 2.0;
	lag_sent(&l, now);
	assert_true(lag_holding(&l, now + LAG_HOLD_MAX - 0.5));
	assert_false(lag_holding(&l, now + LAG_HOLD_MAX + 0.5));
	/* a fast link never holds a frame */
	struct lag f;
	double t = fresh_link(&f, 5);
	lag_sent(&f, t);
	assert_false(lag_holding(&f, t + 0.01));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fast_link_keeps_the_rate),  cmocka_unit_test(test_slow_link_drops_then_recovers),
		cmocka_unit_test(test_missing_answer_is_lag),     cmocka_unit_test(test_silent_terminal_never_lags),
		cmocka_unit_test(test_stray_answer_ignored),      cmocka_unit_test(test_probe_rate),
		cmocka_unit_test(test_one_frame_on_a_slow_line),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
