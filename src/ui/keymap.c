/* keymap.c: the key table. Row order is the order the help overlay, --help
 * and the footer list them in. */
#include <curses.h>
#include <stdio.h>

#include "overparam/ui.h"
#include "ui/keymap.h"

/* A key that does one thing, with no argument. */
#define ONE(c) {{(c), 0}}

const struct ui_key keymap_table[] = {
	{{{KEY_LEFT, -1}, {KEY_RIGHT, +1}}, ACT_SCENARIO, "Left/Right", "previous / next scenario",
	 "\u2190/\u2192", "<-/->", "scenario", NULL, 9},
	{{{'\t', +1}, {KEY_BTAB, -1}}, ACT_SCENARIO, "Tab/S-Tab", "next / previous scenario", NULL, NULL, NULL, NULL, 0},
	{{{'1', 0}, {'2', 1}, {'3', 2}, {'4', 3}, {'5', 4}, {'6', 5}, {'7', 6}, {'8', 7}, {'9', 8}},
	 ACT_JUMP, "1-9", "jump to scenario N", NULL, NULL, NULL, NULL, 0},
	{ONE(' '), ACT_PAUSE, "Space", "pause / resume training", "space", NULL, "pause", "run", 10},
	{ONE('.'), ACT_STEP, ".", "one epoch (while paused)", ".", NULL, "step", NULL, 7},
	{ONE('r'), ACT_RESTART, "r", "restart with the same seed", "r", NULL, "restart", NULL, 6},
	{{{'R', 1}}, ACT_RESTART, "R", "restart with a new seed", NULL, NULL, NULL, NULL, 0},
	{{{'+', +1}, {'=', +1}, {'-', -1}, {'_', -1}}, ACT_PACE, "+ / -", "faster / slower pace (up to max)", "+/-",
	 NULL, "pace", NULL, 8},
	{{{'[', -1}, {']', +1}}, ACT_KNOB_PICK, "[ / ]", "pick a knob (in the header)", NULL, NULL, NULL, NULL, 0},
	/* ',' is '<' unshifted; '.' is step, so '>' has no twin */
	{{{'<', -1}, {',', -1}, {'>', +1}}, ACT_KNOB_TURN, "< / >", "turn it down / up: restarts", NULL, NULL, NULL,
	 NULL, 0},
	{ONE('y'), ACT_LOG, "y", "log / linear y axis", "y", NULL, "log", "linear", 5},
	{ONE('o'), ACT_GHOSTS, "o", "show / hide earlier runs (faint)", NULL, NULL, NULL, NULL, 0},
	{ONE('i'), ACT_NOTES, "i", "show / hide the explanation", "i", NULL, "why", NULL, 3},
	{ONE('e'), ACT_EXPORT, "e", "export this run's metrics as CSV", "e", NULL, "csv", NULL, 2},
	{ONE(12), ACT_REDRAW, "Ctrl-L", "redraw the screen", NULL, NULL, NULL, NULL, 0},
	{ONE('?'), ACT_HELP, "?", "this help", "?", NULL, "help", NULL, 11},
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
	fprintf(f, "Keys in the live UI:\n");
	for (int i = 0; i < keymap_count; i++)
		if (keymap_table[i].help_key)
			fprintf(f, "  %-18s  %s\n", keymap_table[i].help_key, keymap_table[i].help_text);
}
