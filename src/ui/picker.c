/* picker.c: see picker.h. */
#include <ctype.h>
#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ui/picker.h"
#include "ui/widgets.h"

static bool numeric(const struct picker *p)
{
	return p->qlen > 0 && isdigit((unsigned char)p->query[0]);
}

void picker_open(struct picker *p, int cur)
{
	memset(p, 0, sizeof *p);
	p->open = true;
	p->sel = cur;
}

/* Case-insensitive: does title contain the typed text? */
static bool contains(const char *title, const char *q)
{
	size_t lq = strlen(q);
	for (const char *s = title; *s; s++) {
		size_t k = 0;
		while (k < lq && s[k] && tolower((unsigned char)s[k]) == tolower((unsigned char)q[k]))
			k++;
		if (k == lq)
			return true;
	}
	return lq == 0;
}

bool picker_lists(const struct picker *p, const struct scenario *sc, int i)
{
	return numeric(p) || contains(sc[i].title, p->query);
}

/* The next listed scenario from sel in direction dir (sel itself if none). */
static int step_sel(const struct picker *p, const struct scenario *sc, int n, int from, int dir)
{
	for (int i = from + dir; i >= 0 && i < n; i += dir)
		if (picker_lists(p, sc, i))
			return i;
	return from;
}

static enum picker_result choose(struct picker *p, int i, int *jump)
{
	p->open = false;
	*jump = i;
	return PICK_JUMP;
}

/* A digit: the number so far selects its scenario; it is taken at once
 * when no further digit could make another one. */
static enum picker_result digit(struct picker *p, int ch, double now, int n, int *jump)
{
	if (p->qlen > 0 && !numeric(p))
		return PICK_STAY; /* digits inside typed text: not a number */
	if (p->qlen >= 3 || (p->qlen == 0 && ch == '0'))
		return PICK_STAY;
	p->query[p->qlen++] = (char)ch;
	p->query[p->qlen] = 0;
	int v = (int)strtol(p->query, NULL, 10); /* at most 3 digits */
	if (v < 1 || v > n) {
		p->qlen = 0; /* no such scenario: start over */
		p->query[0] = 0;
		return PICK_STAY;
	}
	p->sel = v - 1;
	p->digit_at = now;
	return v * 10 > n ? choose(p, v - 1, jump) : PICK_STAY;
}

static void edit(struct picker *p, int ch, const struct scenario *sc, int n)
{
	if (ch == KEY_BACKSPACE || ch == 127 || ch == 8) {
		if (p->qlen > 0)
			p->query[--p->qlen] = 0;
	} else if (p->qlen < PICKER_QUERY_MAX - 1) {
		p->query[p->qlen++] = (char)ch;
		p->query[p->qlen] = 0;
	}
	if (!picker_lists(p, sc, p->sel)) {
		int first = step_sel(p, sc, n, -1, +1);
		p->sel = first >= 0 ? first : p->sel;
	}
}

enum picker_result picker_key(struct picker *p, int ch, double now, const struct scenario *sc, int n, int *jump)
{
	switch (ch) {
	case 27:
		p->open = false;
		return PICK_CLOSE;
	case '\r':
	case '\n':
	case KEY_ENTER:
		return picker_lists(p, sc, p->sel) ? choose(p, p->sel, jump) : PICK_STAY;
	case KEY_UP:
	case KEY_BTAB:
		p->sel = step_sel(p, sc, n, p->sel, -1);
		return PICK_STAY;
	case KEY_DOWN:
	case '\t':
		p->sel = step_sel(p, sc, n, p->sel, +1);
		return PICK_STAY;
	case KEY_HOME:
	case KEY_PPAGE:
		p->sel = step_sel(p, sc, n, -1, +1) >= 0 ? step_sel(p, sc, n, -1, +1) : p->sel;
		return PICK_STAY;
	case KEY_END:
	case KEY_NPAGE:
		p->sel = step_sel(p, sc, n, n, -1) < n ? step_sel(p, sc, n, n, -1) : p->sel;
		return PICK_STAY;
	default: break;
	}
	if (ch >= '0' && ch <= '9')
		return digit(p, ch, now, n, jump);
	if (ch == KEY_BACKSPACE || ch == 127 || ch == 8 || (ch >= 0x20 && ch < 0x7f))
		edit(p, ch, sc, n);
	return PICK_STAY;
}

double picker_wait(const struct picker *p, double now)
{
	if (!p->open || !numeric(p))
		return -1;
	double left = p->digit_at + PICKER_DIGIT_WAIT - now;
	return left > 0 ? left : 0;
}

enum picker_result picker_tick(struct picker *p, double now, int n, int *jump)
{
	if (picker_wait(p, now) != 0)
		return PICK_STAY;
	int v = (int)strtol(p->query, NULL, 10);
	return v >= 1 && v <= n ? choose(p, v - 1, jump) : PICK_STAY;
}

/* ---- on screen ---- */

static WINDOW *pick_win;

void picker_close(void)
{
	if (pick_win) {
		delwin(pick_win);
		pick_win = NULL;
	}
}

void picker_touch(void)
{
	if (pick_win) {
		touchwin(pick_win);
		wnoutrefresh(pick_win);
	}
}

bool picker_draw(const struct picker *p, const struct theme *t, const struct scenario *sc, int n)
{
	int listed = 0, tw = 0;
	for (int i = 0; i < n; i++)
		if (picker_lists(p, sc, i)) {
			listed++;
			int w = text_width(sc[i].title);
			tw = w > tw ? w : tw;
		}
	const char *hint = "arrows, number or text; Enter; Esc";
	int w = tw + 8, hw = text_width(hint) + 4;
	w = w > hw ? w : hw;
	w = w > 40 ? w : 40;
	w = w < COLS ? w : COLS;
	int rows = listed > 0 ? listed : 1, h = rows + 5;
	h = h < LINES ? h : LINES;
	int body = h - 5 > 0 ? h - 5 : 0;
	int y0 = (LINES - h) / 2, x0 = (COLS - w) / 2;
	bool moved = !pick_win || getmaxy(pick_win) != h || getmaxx(pick_win) != w || getbegy(pick_win) != y0 ||
		     getbegx(pick_win) != x0;
	picker_close();
	pick_win = newwin(h, w, y0, x0);
	if (!pick_win)
		return moved;
	panel_frame(pick_win, "Go to scenario", t);
	char line[160];
	snprintf(line, sizeof line, "> %s_", p->query);
	text_put(pick_win, 1, 2, line, w - 4, theme_attr(t, ROLE_KEY));
	/* The rows that fit, scrolled so that the selected one shows. */
	int before = 0;
	for (int i = 0; i < p->sel && i < n; i++)
		before += picker_lists(p, sc, i);
	int skip = before >= body ? before - body + 1 : 0;
	int y = 2;
	for (int i = 0, k = 0; i < n && y < 2 + body; i++) {
		if (!picker_lists(p, sc, i) || k++ < skip)
			continue;
		snprintf(line, sizeof line, "%2d  %s", i + 1, sc[i].title);
		attr_t at = i == p->sel ? A_REVERSE | A_BOLD : A_NORMAL;
		mvwhline(pick_win, y, 1, ' ' | at, w - 2);
		text_put(pick_win, y++, 2, line, w - 4, at);
	}
	if (listed == 0 && body > 0)
		text_put(pick_win, 2, 2, "no title has that text", w - 4, A_NORMAL);
	if (h >= 5)
		text_put(pick_win, h - 2, 2, hint, w - 4, A_NORMAL);
	wnoutrefresh(pick_win);
	return moved;
}
