/* help.c: the key list (keys.c's table), as an overlay window over the
 * panels, with the current scenario's knobs. The app closes it on any key
 * and redraws what it covered. */
#include <stdio.h>
#include <string.h>

#include "ui/keymap.h"
#include "ui/widgets.h"

static WINDOW *help_win;

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

#define KNOB_COL_W 30 /* the knobs' column, beside the keys */

/* Knob k as two lines: "lr 0.01  train.lr" and its values, listed when
 * they fit, else as "lo .. hi, N values". */
static void knob_lines(const struct scenario *sc, int k, char *l1 /* (len) */, char *l2 /* (len) */, size_t len)
{
	const struct knob *kb = &sc->knobs[k];
	char v[40], lo[40], hi[40];
	scenario_knob_format(kb->values[kb->current], v, sizeof v);
	snprintf(l1, len, "%s %s  %s", kb->name, v, kb->target);
	size_t used = (size_t)snprintf(l2, len, "  ");
	for (int j = 0; j < kb->n_values && used < len; j++) {
		scenario_knob_format(kb->values[j], v, sizeof v);
		used += (size_t)snprintf(l2 + used, len - used, "%s%s", j ? " " : "", v);
	}
	if (used >= KNOB_COL_W - 2) {
		scenario_knob_format(kb->values[0], lo, sizeof lo);
		scenario_knob_format(kb->values[kb->n_values - 1], hi, sizeof hi);
		snprintf(l2, len, "  %s .. %s, %d values", lo, hi, kb->n_values);
	}
}

void help_draw(const struct theme *t)
{
	help_draw_knobs(t, NULL);
}

void help_draw_knobs(const struct theme *t, const struct scenario *sc)
{
	int n = 0, kw = 0, ww = 0;
	for (int i = 0; i < keymap_count; i++) {
		if (!keymap_table[i].help_key)
			continue;
		int a = text_width(keymap_table[i].help_key), b = text_width(keymap_table[i].help_text);
		kw = a > kw ? a : kw;
		ww = b > ww ? b : ww;
		n++;
	}
	int h = n + 4, w = kw + ww + 7;
	/* Knobs: a heading and two lines each, beside the keys if the screen
	 * is wide enough, else below them if it is tall enough, else left to
	 * the header. */
	int nk = sc ? sc->n_knobs : 0, kh = nk ? 1 + 2 * nk : 0;
	int kx = 0, ky = 0;
	if (nk && w + KNOB_COL_W + 1 <= COLS && kh + 2 <= LINES) {
		kx = w - 1;
		ky = 1;
		w += KNOB_COL_W + 1;
		h = h > kh + 4 ? h : kh + 4;
	} else if (nk && h + kh + 1 <= LINES) {
		kx = 2;
		ky = n + 2;
		h += kh + 1;
	} else {
		nk = 0;
	}
	/* Short of rows: the closing line moves into the bottom border. */
	bool tight = h > LINES && !nk;
	if (tight)
		h = n + 2;
	if (h > LINES)
		h = LINES;
	if (w > COLS)
		w = COLS;
	help_close();
	/* below the header when there is room: its progress and messages stay in sight */
	int top = (LINES - h) / 2;
	if (top < 2 && h + 3 <= LINES)
		top = 2;
	help_win = newwin(h, w, top, (COLS - w) / 2);
	if (!help_win)
		return;
	panel_frame(help_win, "Keys", t);
	for (int i = 0, y = 1; i < keymap_count && y < h - (tight ? 1 : 2); i++) {
		const struct ui_key *k = &keymap_table[i];
		if (!k->help_key)
			continue;
		text_put(help_win, y, 2, k->help_key, kw, theme_attr(t, ROLE_KEY));
		text_put(help_win, y, 2 + kw + 2, k->help_text, ww + 1, A_NORMAL);
		y++;
	}
	if (nk) {
		int cw = w - kx - 2;
		text_put(help_win, ky, kx + 1, "Knobs of this scenario", cw, theme_attr(t, ROLE_TITLE));
		for (int k = 0; k < nk && ky + 2 + 2 * k < h - 1; k++) {
			char l1[400], l2[400];
			knob_lines(sc, k, l1, l2, sizeof l1);
			int y = ky + 1 + 2 * k;
			size_t nl = strlen(sc->knobs[k].name);
			text_put(help_win, y, kx + 1, sc->knobs[k].name, cw, theme_attr(t, ROLE_KEY));
			text_put(help_win, y, kx + 1 + (int)nl, l1 + nl, cw - (int)nl, A_NORMAL);
			text_put(help_win, y + 1, kx + 1, l2, cw, theme_attr(t, ROLE_DIM));
		}
	}
	const char *close = "any key closes this";
	int cw = text_width(close);
	if (h >= 4 && cw < w - 4)
		text_put(help_win, tight ? h - 1 : h - 2, (w - cw) / 2, close, cw, theme_attr(t, ROLE_DIM));
	wnoutrefresh(help_win);
}
