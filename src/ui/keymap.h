/* keymap.h: the live UI's keys, as one table (keymap.c). The key handler, the
 * footer, the help overlay and --help are all read from it, so a key is
 * added, moved or reworded in one place. */
#ifndef OVERPARAM_UI_KEYMAP_H
#define OVERPARAM_UI_KEYMAP_H

#include <stdbool.h>

/* What a key does; `arg` of its binding says which way or which one. */
enum ui_action {
	ACT_QUIT,
	ACT_RESIZE,    /* the terminal changed size (never typed) */
	ACT_SCENARIO,  /* arg: -1 previous, +1 next */
	ACT_JUMP,      /* arg: scenario index, -1 the last */
	ACT_PAUSE,     /* toggle */
	ACT_STEP,      /* one epoch while paused */
	ACT_RESTART,   /* arg: 0 same seed, 1 new seed */
	ACT_PACE,      /* arg: -1 slower, +1 faster */
	ACT_KNOB_PICK, /* arg: -1 previous knob, +1 next */
	ACT_KNOB_TURN, /* arg: -1 down, +1 up */
	ACT_LOG,       /* every line chart on the other axis kind */
	ACT_NOTES,     /* the explanation: short, full (overlay), hidden */
	ACT_ZOOM,      /* one panel full-screen, the next one, none */
	ACT_PRESENT,   /* the presenter layout on / off */
	ACT_GHOSTS,    /* show / hide earlier runs on the line charts */
	ACT_EXPORT,    /* the run's metrics as CSV */
	ACT_PICTURE,   /* the screen's panels as SVG and PNG */
	ACT_HELP,
	ACT_REDRAW,
	ACT_PICK,      /* the scenario picker (picker.h) */
};

#define KEY_CODES_MAX 11 /* "1-9", Home, End */

struct key_binding {
	int code; /* a character or an ncurses KEY_ code; 0 ends the list */
	int arg;
};

struct ui_key {
	struct key_binding bind[KEY_CODES_MAX];
	enum ui_action action;
	/* The help overlay's and --help's line (NULL: not listed). */
	const char *help_key, *help_text;
	/* The footer's item (NULL: not in the footer): the key, and its ASCII
	 * form where the first needs Unicode; what it does, and what it does
	 * while its action is on (paused: "run"; a log axis: "linear"). */
	const char *footer_key, *footer_key_ascii;
	const char *footer_what, *footer_what_on;
	int footer_prio; /* the footer drops the lowest first when short of room */
};

extern const struct ui_key keymap_table[];
extern const int keymap_count;

/* The row a key code belongs to, with its binding's arg; NULL for a code
 * no row has. */
const struct ui_key *keymap_find(int code, int *arg);

#endif
