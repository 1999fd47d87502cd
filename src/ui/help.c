/* help.c: the key list, as an overlay window over the panels. The app
 * closes it on any key and redraws what it covered. */
#include <string.h>

#include "overparam/ui_widgets.h"

static WINDOW *help_win;

static const struct {
	const char *key;
	const char *what;
} keys[] = {
	{"Left/Right", "previous / next scenario"},
	{"Tab/S-Tab", "next / previous scenario"},
	{"1-9", "jump to scenario N"},
	{"Space", "pause / resume training"},
	{".", "one epoch (while paused)"},
	{"r", "restart with the same seed"},
	{"R", "restart with a new seed"},
	{"+ / -", "faster / slower pace (up to max)"},
	{"y", "log / linear y axis"},
	{"i", "show / hide the explanation"},
	{"e", "export this run's metrics as CSV"},
	{"Ctrl-L", "redraw the screen"},
	{"?", "this help"},
	{"q, Ctrl-C", "quit"},
};

void help_close(void)
{
	if (help_win) {
		delwin(help_win);
		help_win = NULL;
	}
}

void help_touch(void)
{
	if (help_win) {
		touchwin(help_win);
		wnoutrefresh(help_win);
	}
}

void help_draw(const struct theme *t)
{
	int n = (int)(sizeof keys / sizeof keys[0]);
	int kw = 0, ww = 0;
	for (int i = 0; i < n; i++) {
		int a = text_width(keys[i].key), b = text_width(keys[i].what);
		kw = a > kw ? a : kw;
		ww = b > ww ? b : ww;
	}
	int h = n + 4, w = kw + ww + 7;
	if (h > LINES)
		h = LINES;
	if (w > COLS)
		w = COLS;
	help_close();
	help_win = newwin(h, w, (LINES - h) / 2, (COLS - w) / 2);
	if (!help_win)
		return;
	werase(help_win);
	panel_frame(help_win, "Keys", t);
	for (int i = 0; i < n && 1 + i < h - 2; i++) {
		text_put(help_win, 1 + i, 2, keys[i].key, kw, theme_attr(t, ROLE_KEY));
		text_put(help_win, 1 + i, 2 + kw + 2, keys[i].what, w - kw - 6, A_NORMAL);
	}
	const char *close = "any key closes this";
	int cw = text_width(close);
	if (h >= 4 && cw < w - 4)
		text_put(help_win, h - 2, (w - cw) / 2, close, cw, theme_attr(t, ROLE_DIM));
	wnoutrefresh(help_win);
}
