/* test_picker.c: the scenario picker's logic (src/ui/picker.c) without a
 * terminal: two digits make 11 (1 waits for its second digit, its wait or
 * Enter takes it), a digit no second one could extend jumps at once, typed
 * text keeps the titles that contain it (any case), arrows move among
 * those, Esc closes with no jump. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <curses.h>
#include <stdio.h>

#include "ui/picker.h"

#define N 11
static struct scenario sc[N];

static int setup(void **state)
{
	(void)state;
	const char *titles[N] = {"Optimization ease", "Mode connectivity", "Benign overfitting",
				 "Harmful overfitting", "Benign vs harmful", "Double descent",
				 "Permutation alignment", "Curved path", "Barrier vs width",
				 "Lazy training", "Lottery tickets"};
	for (int i = 0; i < N; i++)
		snprintf(sc[i].title, sizeof sc[i].title, "%s", titles[i]);
	return 0;
}

static enum picker_result key(struct picker *p, int ch, double now, int *jump)
{
	return picker_key(p, ch, now, sc, N, jump);
}

static void typed(struct picker *p, const char *text)
{
	int jump = -1;
	for (const char *c = text; *c; c++)
		assert_int_equal(key(p, *c, 1.0, &jump), PICK_STAY);
}

static void test_two_digits(void **state)
{
	(void)state;
	struct picker p;
	int jump = -1;
	picker_open(&p, 0);
	assert_int_equal(key(&p, '1', 10.0, &jump), PICK_STAY);
	assert_int_equal(p.sel, 0); /* 1 so far: scenario 1 highlighted */
	assert_int_equal(picker_tick(&p, 10.5, N, &jump), PICK_STAY);
	assert_int_equal(key(&p, '1', 10.6, &jump), PICK_JUMP);
	assert_int_equal(jump, 10); /* scenario 11 */
	assert_false(p.open);
	/* 1 alone: taken when its wait runs out */
	picker_open(&p, 4);
	key(&p, '1', 20.0, &jump);
	assert_true(picker_wait(&p, 20.2) > 0.7);
	assert_int_equal(picker_tick(&p, 20.0 + PICKER_DIGIT_WAIT, N, &jump), PICK_JUMP);
	assert_int_equal(jump, 0);
	/* 1 then Enter */
	picker_open(&p, 4);
	key(&p, '1', 30.0, &jump);
	assert_int_equal(key(&p, '\r', 30.1, &jump), PICK_JUMP);
	assert_int_equal(jump, 0);
	/* 7: no 7x scenario, so at once; 12 is no scenario */
	picker_open(&p, 0);
	assert_int_equal(key(&p, '7', 40.0, &jump), PICK_JUMP);
	assert_int_equal(jump, 6);
	picker_open(&p, 0);
	key(&p, '1', 50.0, &jump);
	assert_int_equal(key(&p, '2', 50.1, &jump), PICK_STAY);
	assert_true(p.open);
}

static void test_text(void **state)
{
	(void)state;
	struct picker p;
	int jump = -1;
	picker_open(&p, 0);
	typed(&p, "LOTT");
	assert_int_equal(p.sel, 10);
	assert_false(picker_lists(&p, sc, 0));
	assert_int_equal(key(&p, KEY_ENTER, 1.0, &jump), PICK_JUMP);
	assert_int_equal(jump, 10);
	/* "overfit": 3 and 4; Down moves from the first to the second only */
	picker_open(&p, 0);
	typed(&p, "overfit");
	assert_int_equal(p.sel, 2);
	key(&p, KEY_DOWN, 1.0, &jump);
	assert_int_equal(p.sel, 3);
	key(&p, KEY_DOWN, 1.0, &jump);
	assert_int_equal(p.sel, 3);
	key(&p, KEY_UP, 1.0, &jump);
	assert_int_equal(p.sel, 2);
	/* backspace widens the list again */
	for (int i = 0; i < 7; i++)
		key(&p, KEY_BACKSPACE, 1.0, &jump);
	assert_true(picker_lists(&p, sc, 0));
	/* no match: Enter does nothing */
	picker_open(&p, 0);
	typed(&p, "zzz");
	jump = -1;
	assert_int_equal(key(&p, '\r', 1.0, &jump), PICK_STAY);
	assert_int_equal(jump, -1);
}

static void test_escape_and_arrows(void **state)
{
	(void)state;
	struct picker p;
	int jump = -1;
	picker_open(&p, 3);
	key(&p, KEY_DOWN, 0, &jump);
	key(&p, KEY_DOWN, 0, &jump);
	assert_int_equal(p.sel, 5);
	key(&p, KEY_END, 0, &jump);
	assert_int_equal(p.sel, 10);
	key(&p, KEY_DOWN, 0, &jump);
	assert_int_equal(p.sel, 10);
	key(&p, KEY_HOME, 0, &jump);
	assert_int_equal(p.sel, 0);
	jump = -1;
	assert_int_equal(key(&p, 27, 0, &jump), PICK_CLOSE);
	assert_false(p.open);
	assert_int_equal(jump, -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_two_digits),
		cmocka_unit_test(test_text),
		cmocka_unit_test(test_escape_and_arrows),
	};
	return cmocka_run_group_tests(tests, setup, NULL);
}
