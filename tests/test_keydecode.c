/* test_keydecode.c: the byte-level key decoder (src/ui/keydecode.c) without
 * a terminal: the sequences PuTTY, rxvt, xterm and the Linux console send
 * for Home, End, F1-F5, PageUp/PageDown and the arrows become one key each;
 * an unknown sequence is one event that names its bytes and no key; a lone
 * ESC is the Escape key only once the wait runs out; the terminal's
 * cursor-position answers are never keys; ncurses' own codes pass through. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <curses.h>
#include <string.h>

#include "ui/keydecode.h"

#define MAX_EVENTS 16

/* Feeds the bytes of s (then, with timeout, the end of the wait) and keeps
 * every event. */
static int run(const char *s, bool timeout, struct keydec_event *ev /* (MAX_EVENTS) */)
{
	struct keydec d = {0};
	int n = 0;
	for (const char *p = s; *p && n < MAX_EVENTS; p++)
		if (keydecode_feed(&d, (unsigned char)*p, &ev[n]) != KEYDEC_MORE)
			n++;
	if (timeout && n < MAX_EVENTS && keydecode_timeout(&d, &ev[n]) != KEYDEC_MORE)
		n++;
	return n;
}

/* s decodes to exactly one key, code, before any timeout. */
static void one_key(const char *s, int code)
{
	struct keydec_event ev[MAX_EVENTS];
	int n = run(s, false, ev);
	assert_int_equal(n, 1);
	assert_int_equal(ev[0].kind, KEYDEC_KEY);
	assert_int_equal(ev[0].code, code);
}

static void test_whole_sequences_are_one_key(void **state)
{
	(void)state;
	one_key("\033[1~", KEY_HOME); /* PuTTY */
	one_key("\033[4~", KEY_END);
	one_key("\033[7~", KEY_HOME); /* rxvt */
	one_key("\033[8~", KEY_END);
	one_key("\033[H", KEY_HOME); /* xterm, both cursor modes */
	one_key("\033[F", KEY_END);
	one_key("\033OH", KEY_HOME);
	one_key("\033OF", KEY_END);
	one_key("\033[5~", KEY_PPAGE);
	one_key("\033[6~", KEY_NPAGE);
	one_key("\033OP", KEY_F(1));
	one_key("\033[[A", KEY_F(1)); /* Linux console */
	one_key("\033[[E", KEY_F(5));
	one_key("\033[A", KEY_UP);
	one_key("\033OD", KEY_LEFT);
	one_key("\033[Z", KEY_BTAB);
	const char *f[] = {"\033[11~", "\033[12~", "\033[13~", "\033[14~", "\033[15~"};
	for (int i = 0; i < 5; i++)
		one_key(f[i], KEY_F(1 + i));
}

/* The bug the decoder fixes: read byte by byte, ESC [ 4 ~ was '[' (pick a
 * knob) then '4' (jump to scenario 4). No digit or bracket may leak. */
static void test_no_byte_leaks_as_a_key(void **state)
{
	(void)state;
	struct keydec_event ev[MAX_EVENTS];
	const char *seqs[] = {"\033[4~", "\033[11~", "\033[1~", "\033[99~", "\033[1;5C", "\033[200~", "\033O2P"};
	for (size_t i = 0; i < sizeof seqs / sizeof seqs[0]; i++) {
		int n = run(seqs[i], true, ev);
		assert_int_equal(n, 1);
		assert_true(ev[0].kind != KEYDEC_KEY || ev[0].code > 0xff);
	}
}

static void test_unknown_is_named(void **state)
{
	(void)state;
	struct keydec_event ev[MAX_EVENTS];
	int n = run("\033[99~q", false, ev);
	assert_int_equal(n, 2);
	assert_int_equal(ev[0].kind, KEYDEC_UNKNOWN);
	assert_string_equal(ev[0].name, "ESC [ 9 9 ~");
	/* the key after it is itself */
	assert_int_equal(ev[1].kind, KEYDEC_KEY);
	assert_int_equal(ev[1].code, 'q');
	/* Alt and a key: unknown, not the key */
	n = run("\033x", false, ev);
	assert_int_equal(n, 1);
	assert_int_equal(ev[0].kind, KEYDEC_UNKNOWN);
	assert_string_equal(ev[0].name, "ESC x");
	/* a sequence cut by a control byte, and one that never ends */
	n = run("\033[1\001", false, ev);
	assert_int_equal(n, 1);
	assert_string_equal(ev[0].name, "ESC [ 1 ^A");
	n = run("\033[1111111111111111111111111111", false, ev);
	assert_int_equal(ev[0].kind, KEYDEC_UNKNOWN);
	assert_true(n >= 1);
}

static void test_lone_escape_needs_the_timeout(void **state)
{
	(void)state;
	struct keydec_event ev[MAX_EVENTS];
	assert_int_equal(run("\033", false, ev), 0);
	assert_int_equal(run("\033", true, ev), 1);
	assert_int_equal(ev[0].kind, KEYDEC_KEY);
	assert_int_equal(ev[0].code, 27);
	/* ESC ESC [ 6 ~: Escape, then PageDown */
	assert_int_equal(run("\033\033[6~", false, ev), 2);
	assert_int_equal(ev[0].code, 27);
	assert_int_equal(ev[1].code, KEY_NPAGE);
	/* a sequence cut short by the wait: unknown, named */
	assert_int_equal(run("\033[1", true, ev), 1);
	assert_int_equal(ev[0].kind, KEYDEC_UNKNOWN);
	assert_string_equal(ev[0].name, "ESC [ 1");
	struct keydec d = {0};
	assert_false(keydecode_pending(&d));
	assert_int_equal(keydecode_timeout(&d, &ev[0]), KEYDEC_MORE);
}

/* ESC [ 1 ; 2 R is Shift-F3 in xterm's terminfo: as an answer it must
 * never become a key, whatever the cursor's place. */
static void test_cursor_reports_are_not_keys(void **state)
{
	(void)state;
	struct keydec_event ev[MAX_EVENTS];
	assert_int_equal(run("\033[12;40R", false, ev), 1);
	assert_int_equal(ev[0].kind, KEYDEC_CPR);
	assert_int_equal(ev[0].row, 12);
	assert_int_equal(ev[0].col, 40);
	assert_int_equal(run("\033[1;2R", false, ev), 1);
	assert_int_equal(ev[0].kind, KEYDEC_CPR);
	/* an answer between two keys */
	assert_int_equal(run("j\033[55;200Rk", false, ev), 3);
	assert_int_equal(ev[0].code, 'j');
	assert_int_equal(ev[1].kind, KEYDEC_CPR);
	assert_int_equal(ev[1].row, 55);
	assert_int_equal(ev[2].code, 'k');
}

/* Feeds s with an answer due; each '|' in s is `waits` timeouts in a row
 * (a slow link pausing mid-answer). Keeps every event. */
static int run_split(const char *s, int waits, struct keydec_event *ev /* (MAX_EVENTS) */)
{
	struct keydec d = {0};
	keydecode_expect_answer(&d);
	int n = 0;
	for (const char *p = s; *p && n < MAX_EVENTS; p++) {
		if (*p == '|') {
			for (int w = 0; w < waits && n < MAX_EVENTS; w++)
				if (keydecode_timeout(&d, &ev[n]) != KEYDEC_MORE)
					n++;
		} else if (keydecode_feed(&d, (unsigned char)*p, &ev[n]) != KEYDEC_MORE) {
			n++;
		}
	}
	return n;
}

/* A slow link may cut the answer anywhere, for longer than a key's bytes
 * ever pause: read as keys its tail would switch to scenario 8 and restart
 * (R). With an answer due it stays one answer, however it is cut. */
static void test_a_cut_answer_is_never_keys(void **state)
{
	(void)state;
	struct keydec_event ev[MAX_EVENTS];
	const char *cuts[] = {"\033|[24;80R", "\033[|24;80R", "\033[24|;80R", "\033[24;|80R", "\033[24;8|0R",
			      "\033[24;80|R", "\033|[24|;|80|R"};
	for (size_t i = 0; i < sizeof cuts / sizeof *cuts; i++) {
		/* 10 timeouts: half a second at the UI's 50 ms */
		assert_int_equal(run_split(cuts[i], 10, ev), 1);
		assert_int_equal(ev[0].kind, KEYDEC_CPR);
	}
	/* cut for longer than the patience: the head is given up (an Escape,
	 * or an unknown sequence, and no command), its tail still no key */
	assert_int_equal(run_split("\033[24|;80Rj", KEYDEC_ANSWER_PATIENCE, ev), 3);
	assert_int_equal(ev[0].kind, KEYDEC_UNKNOWN);
	assert_int_equal(ev[1].kind, KEYDEC_CPR);
	assert_int_equal(ev[2].kind, KEYDEC_KEY);
	assert_int_equal(ev[2].code, 'j');
	assert_int_equal(run_split("\033|[24;80R", KEYDEC_ANSWER_PATIENCE, ev), 2);
	assert_int_equal(ev[0].code, 27);
	assert_int_equal(ev[1].kind, KEYDEC_CPR);
	/* a resize (ncurses' KEY_RESIZE, from SIGWINCH) between an answer's
	 * bytes: seen under valgrind, where "3" then went to scenario 3 */
	{
		struct keydec d = {0};
		keydecode_expect_answer(&d);
		const char *s = "\033[8;30R";
		int kinds[16], k = 0;
		for (const char *p = s; *p; p++) {
			if (p - s == 4)
				kinds[k++] = keydecode_feed(&d, KEY_RESIZE, &ev[0]);
			enum keydec_kind r = keydecode_feed(&d, (unsigned char)*p, &ev[1]);
			if (r != KEYDEC_MORE)
				kinds[k++] = r;
		}
		assert_int_equal(k, 2);
		assert_int_equal(kinds[0], KEYDEC_KEY);
		assert_int_equal(ev[0].code, KEY_RESIZE);
		assert_int_equal(kinds[1], KEYDEC_CPR);
		assert_int_equal(ev[1].row, 8);
		assert_int_equal(ev[1].col, 30);
	}
	/* with no answer due, a key's cut sequence is not kept waiting */
	assert_int_equal(run("\033[24", true, ev), 1);
	assert_int_equal(ev[0].kind, KEYDEC_UNKNOWN);
	/* nor a key sequence that is no answer's start, answer due or not */
	assert_int_equal(run_split("\033[A|", 1, ev), 1);
	assert_int_equal(ev[0].code, KEY_UP);
	assert_int_equal(run_split("\033O|", 1, ev), 1);
	assert_int_equal(ev[0].kind, KEYDEC_UNKNOWN);
}

static void test_ncurses_codes_pass(void **state)
{
	(void)state;
	struct keydec d = {0};
	struct keydec_event ev;
	assert_int_equal(keydecode_feed(&d, KEY_RESIZE, &ev), KEYDEC_KEY);
	assert_int_equal(ev.code, KEY_RESIZE);
	assert_int_equal(keydecode_feed(&d, 27, &ev), KEYDEC_MORE);
	assert_int_equal(keydecode_feed(&d, KEY_LEFT, &ev), KEYDEC_KEY); /* ends the pending ESC */
	assert_int_equal(ev.code, KEY_LEFT);
	assert_false(keydecode_pending(&d));
	assert_int_equal(keydecode_feed(&d, 'g', &ev), KEYDEC_KEY);
	assert_int_equal(ev.code, 'g');
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_whole_sequences_are_one_key),
		cmocka_unit_test(test_no_byte_leaks_as_a_key),
		cmocka_unit_test(test_unknown_is_named),
		cmocka_unit_test(test_lone_escape_needs_the_timeout),
		cmocka_unit_test(test_cursor_reports_are_not_keys),
		cmocka_unit_test(test_a_cut_answer_is_never_keys),
		cmocka_unit_test(test_ncurses_codes_pass),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
