/* ui.h: the live terminal UI (ncursesw). The calling (main) thread becomes
 * the UI thread: it alone touches ncurses. It starts the trainer, draws what
 * the trainer streams, sends the keys' commands, and restores the terminal
 * on every way out (q, Ctrl-C, SIGTERM, SIGHUP, a vanished terminal). */
#ifndef OVERPARAM_UI_H
#define OVERPARAM_UI_H

#include <stdbool.h>
#include <stdio.h>

#include "overparam/experiment.h"
#include "overparam/scenario.h"
#include "overparam/store.h"

/* Colour schemes (src/ui/theme.c): dark and light backgrounds, none, and
 * bold colours on black for a projector. */
enum theme_id { THEME_DARK, THEME_LIGHT, THEME_MONO, THEME_HIGH_CONTRAST };

/* "dark", "light", "mono", "high-contrast" into *out; false for any other
 * word (*out unchanged). For --theme and the config file. */
bool theme_parse_word(const char *word, enum theme_id *out);
/* The words theme_parse_word takes, "dark|light|mono|high-contrast". */
const char *theme_words(void);

struct ui_options {
	bool ascii;           /* no braille even under UTF-8 */
	bool no_color;        /* monochrome (also when NO_COLOR is set) */
	int fps;              /* redraw cap, frames per second (default 20) */
	bool start_paused;
	double pace_override; /* < 0: each scenario's own pace */
	const char *export_dir; /* where `e` writes CSV (NULL: current directory) */
	bool present;         /* start in the presenter layout (`p`) */
	enum theme_id theme;  /* --theme; NO_COLOR makes it THEME_MONO */
	bool theme_given;     /* chosen: --theme (then the config's does not apply) or the config's */
	bool thick;           /* block lines instead of braille (--thick) */
	const struct experiment_ops *ops; /* NULL: each scenario's kind; --replay: the stored run's */
	bool replay;          /* --replay: the records are the stored run's, so its seed and knobs stay; r plays it again */
	const struct store_settings *compare_store; /* --compare RUN: a stored run as a ghost, from there */
	long long compare_run;                      /* 0: none */
	bool follow;          /* --follow: the trainer runs follow_ops; the UI restarts it on each new lecturer run */
};

/* Runs until the user quits. Returns the process exit status (0 on a normal
 * quit, 1 when the terminal failed or vanished). */
/* Whether pictures (s, --plot) take a dark ground: when a dark theme
 * (dark, high-contrast) was chosen; by default they are light, for slides
 * and print. */
bool ui_picture_dark(const struct ui_options *opt);

int ui_run(const struct scenario *scenarios /* (n) */, int n, int initial, const struct ui_options *opt);

/* The keys of the live UI, one a line under "Keys in the live UI:", as
 * --help shows them (from the same table as the key handler and the help). */
void ui_print_keys(FILE *f);

#endif
