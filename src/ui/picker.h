/* picker.h: the scenario picker (`g` or Enter): every scenario with its
 * title; arrows move, a number jumps (two digits: 1 then 1 is 11, taken
 * after PICKER_DIGIT_WAIT or Enter), typed text keeps the titles that
 * contain it, Esc closes. The logic has no terminal (tests/test_picker.c);
 * picker_draw shows it. */
#ifndef OVERPARAM_UI_PICKER_H
#define OVERPARAM_UI_PICKER_H

#include <stdbool.h>

#include "overparam/scenario.h"

#define PICKER_DIGIT_WAIT 1.0 /* seconds a number waits for its next digit */
#define PICKER_QUERY_MAX 32

struct picker {
	bool open;
	int sel;                          /* the highlighted scenario */
	char query[PICKER_QUERY_MAX];     /* typed text, or a number */
	int qlen;
	double digit_at;                  /* when the number's last digit came */
};

enum picker_result {
	PICK_STAY,  /* still open (redraw) */
	PICK_CLOSE, /* closed, nothing chosen */
	PICK_JUMP,  /* closed, *jump chosen */
};

void picker_open(struct picker *p, int cur);
/* One key (ncurses code or character) at time now. */
enum picker_result picker_key(struct picker *p, int ch, double now, const struct scenario *sc /* (n) */, int n,
			      int *jump);
/* A number whose wait ran out by now is taken. */
enum picker_result picker_tick(struct picker *p, double now, int n, int *jump);
/* Seconds until picker_tick has something to do (< 0: nothing waits). */
double picker_wait(const struct picker *p, double now);
/* Whether scenario i is listed under the typed text. */
bool picker_lists(const struct picker *p, const struct scenario *sc, int i);

struct theme;
/* Draws it; true when it is not where it was (what it covered needs a redraw). */
bool picker_draw(const struct picker *p, const struct theme *t, const struct scenario *sc /* (n) */, int n);
void picker_close(void);
void picker_touch(void); /* after the panels redrew under it */

#endif
