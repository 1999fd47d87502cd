/* keymap.c: the key table. Row order is the order the help overlay, --help
 * and the footer list them in. */
#include <curses.h>
#include <stdio.h>
#include <string.h>

#include "overparam/ui.h"
#include "ui/keymap.h"

/* A key that does one thing, with no argument. */
#define ONE(c) {{(c), 0}}

const struct ui_key keymap_table[] = {
	{{{KEY_LEFT, -1}, {KEY_RIGHT, +1}}, ACT_SCENARIO, "Left/Right", "previous / next scenario",
	 "\u2190/\u2192", "<-/->", "scenario", NULL, 9},
	/* The help overlay shows every row with the header still in view at
	 * 80x24, and the knobs beside it: 16 rows, keys within 10 columns,
	 * texts within 32. Hence the paired keys in one row. PageDown and
	 * PageUp are what presentation clickers send. */
	{{{'\t', +1}, {KEY_BTAB, -1}, {KEY_NPAGE, +1}, {KEY_PPAGE, -1}}, ACT_SCENARIO, "Tab/PgDn",
	 "next (S-Tab/PgUp: previous)", NULL, NULL, NULL, NULL, 0},
	{{{'g', 0}, {'\r', 0}, {'\n', 0}, {KEY_ENTER, 0}}, ACT_PICK, "g, Enter", "pick a scenario from a list", "g",
	 NULL, "go to", NULL, 1},
	{{{'1', 0}, {'2', 1}, {'3', 2}, {'4', 3}, {'5', 4}, {'6', 5}, {'7', 6}, {'8', 7}, {'9', 8}, {KEY_HOME, 0},
	  {KEY_END, -1}},
	 ACT_JUMP, "1-9", "jump to N; Home/End: first/last", NULL, NULL, NULL, NULL, 0},
	{ONE(' '), ACT_PAUSE, "Space", "pause / resume training", "space", NULL, "pause", "run", 10},
	{ONE('.'), ACT_STEP, ".", "one epoch (while paused)", ".", NULL, "step", NULL, 7},
	{{{'r', 0}, {'R', 1}}, ACT_RESTART, "r / R", "restart: same seed / new seed", "r", NULL, "restart", NULL, 6},
	{{{'+', +1}, {'=', +1}, {'-', -1}, {'_', -1}}, ACT_PACE, "+ / -", "faster / slower pace (up to max)", "+/-",
	 NULL, "pace", NULL, 8},
	{{{'[', -1}, {']', +1}}, ACT_KNOB_PICK, "[ / ]", "pick a knob (in the header)", NULL, NULL, NULL, NULL, 0},
	/* ',' is '<' unshifted; '.' is step, so '>' has no twin */
	{{{'<', -1}, {',', -1}, {'>', +1}}, ACT_KNOB_TURN, "< / >", "turn it down / up: restarts", NULL, NULL, NULL,
	 NULL, 0},
	{ONE('y'), ACT_LOG, "y / o", "log / linear y axis; earlier runs on / off", "y", NULL, "log", "linear", 5},
	{ONE('o'), ACT_GHOSTS, NULL, NULL, NULL, NULL, NULL, NULL, 0},
	{ONE('i'), ACT_NOTES, "i", "explanation: short, full (Up/Down scroll), hidden", "i", NULL, "why", NULL, 3},
	/* Pairs of keys share a help line (the second row has none), so the
	 * overlay still leaves the status line in view at 80x24. */
	{ONE('z'), ACT_ZOOM, "z / p", "zoom a panel in turn / presenter layout", "z", NULL, "zoom", NULL, 1},
	{ONE('p'), ACT_PRESENT, NULL, NULL, "p", NULL, "present", NULL, 0},
	{ONE('e'), ACT_EXPORT, "e / s", "export as CSV / save a picture (SVG, PNG)", "e", NULL, "csv", NULL, 2},
	{ONE('s'), ACT_PICTURE, NULL, NULL, NULL, NULL, NULL, NULL, 0},
	{ONE(12), ACT_REDRAW, "Ctrl-L", "redraw the screen", NULL, NULL, NULL, NULL, 0},
	{{{'?', 0}, {KEY_F(1), 0}}, ACT_HELP, "?, F1", "this help", "?", NULL, "help", NULL, 11},
	/* 3: Ctrl-C arriving as a key (raw terminals) */
	{{{'q', 0}, {'Q', 0}, {3, 0}}, ACT_QUIT, "q, Ctrl-C", "quit", "q", NULL, "quit", NULL, 12},
	{ONE(KEY_RESIZE), ACT_RESIZE, NULL, NULL, NULL, NULL, NULL, NULL, 0},
};

const int keymap_count = (int)(sizeof keymap_table / sizeof keymap_table[0]);

const struct ui_key *keymap_find(int code, int *arg)
{
	for (int i = 0; i < keymap_count; i++)
		for (int j = 0; j < KEY_CODES_MAX && keymap_table[i].bind[j].code; j++)
			if (keymap_table[i].bind[j].code == code) {
				*arg = keymap_table[i].bind[j].arg;
				return &keymap_table[i];
			}
	return NULL;
}

void ui_print_keys(FILE *f)
{
	int w = 18; /* the options' column above, or wider for a longer key */
	for (int i = 0; i < keymap_count; i++)
		if (keymap_table[i].help_key && (int)strlen(keymap_table[i].help_key) > w)
			w = (int)strlen(keymap_table[i].help_key);
	fprintf(f, "Keys in the live UI:\n");
	for (int i = 0; i < keymap_count; i++)
		if (keymap_table[i].help_key)
			fprintf(f, "  %-*s  %s\n", w, keymap_table[i].help_key, keymap_table[i].help_text);
}
