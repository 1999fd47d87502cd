/* yaxis.c: the y axis of a plot in a window, as the line chart and the bar
 * chart both draw it: a vertical line with a tick mark and a label at each
 * round value the axis picks. */
#include <string.h>

#include "ui/widgets.h"

void yaxis_ticks(struct yaxis *y, const struct axis *a, int rows, int max)
{
	/* a tick every other row at most */
	int want = (rows + 1) / 2;
	if (max > YAXIS_MAX_TICKS)
		max = YAXIS_MAX_TICKS;
	want = want < 2 ? 2 : (want > max ? max : want);
	y->n = axis_ticks(a, want, y->tick);
	y->width = 1;
	for (int i = 0; i < y->n; i++) {
		fmt_tick(y->label[i], sizeof y->label[i], y->tick[i], a->log);
		int l = (int)strlen(y->label[i]);
		y->width = l > y->width ? l : y->width;
	}
}

void yaxis_draw(WINDOW *w, const struct yaxis *y, const struct axis *a, int top, int x, int rows, int sy,
		const struct theme *t)
{
	attr_t dim = theme_attr(t, ROLE_DIM);
	wattrset(w, dim);
	mvwvline(w, top, x, ACS_VLINE, rows);
	wattrset(w, A_NORMAL);
	int used = -1;
	for (int i = 0; i < y->n; i++) {
		int r = axis_dot(a, y->tick[i], rows * sy) / sy;
		if (r < 0 || r == used)
			continue;
		used = r;
		int l = (int)strlen(y->label[i]);
		text_put(w, top + r, x - l, y->label[i], l, dim);
		wattrset(w, dim);
		mvwaddch(w, top + r, x, ACS_RTEE);
		wattrset(w, A_NORMAL);
	}
}
