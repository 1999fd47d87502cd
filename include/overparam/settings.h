/* settings.h: the user's config file, $XDG_CONFIG_HOME/overparam/config.ini
 * (default ~/.config/overparam/config.ini) or --config FILE, read with
 * libinih and checked like a scenario file: any error is one line
 * "file:line: section.key: problem" (exit 2). Precedence: command line >
 * config file > scenario file; the caller merges (src/cli/main.c).
 *
 *   [ui]        theme, fps, pace, export_dir
 *   [store]     path, enabled, keep_runs, keep_mb
 *   [scenarios] dir (repeatable): more folders of scenario files
 *   [preset "NAME"]  scenario = FILE, then KNOB = VALUE lines
 *
 * A relative path is relative to the config file's folder; "~/" is $HOME. */
#ifndef OVERPARAM_SETTINGS_H
#define OVERPARAM_SETTINGS_H

#include <stdbool.h>
#include <stddef.h>

#include "overparam/scenario.h"

#define SETTINGS_PATH_LEN 1024
#define SETTINGS_MAX_DIRS 8
#define SETTINGS_MAX_PRESETS 32
#define SETTINGS_NAME_LEN 64
#define SETTINGS_ERR_LEN 1536

/* One knob of a preset: its name in the scenario's [knobs], and the value. */
struct preset_knob {
	char name[KNOB_NAME_LEN];
	char text[32];  /* the value as written, for messages */
	double value;
	int line;
};

struct preset {
	char name[SETTINGS_NAME_LEN];
	char scenario[256]; /* a scenario file's name: "03-benign-overfitting.ini" (".ini" optional) */
	int line;           /* of its [preset "NAME"] header */
	int scenario_line;
	int n_knobs;
	struct preset_knob knobs[SCENARIO_MAX_KNOBS];
};

struct settings {
	char path[SETTINGS_PATH_LEN]; /* the file read; "" when there was none */
	char theme[16];               /* dark, light, mono, high-contrast; "" = not set */
	int fps;                      /* 1..60; 0 = not set */
	double pace;                  /* epochs/s, 0 = max; < 0 = not set */
	char export_dir[SETTINGS_PATH_LEN]; /* "" = not set */
	struct {
		char path[SETTINGS_PATH_LEN]; /* the run store's file; "" = not set */
		int enabled;                  /* 1 on, 0 off, -1 not set */
		long keep_runs;               /* keep at most N runs; 0 = not set */
		long keep_mb;                 /* keep at most M MB; 0 = not set */
	} store;
	int n_dirs;
	char dirs[SETTINGS_MAX_DIRS][SETTINGS_PATH_LEN]; /* [scenarios] dir, in file order */
	int n_presets;
	struct preset presets[SETTINGS_MAX_PRESETS];
};

/* Nothing set. */
void settings_init(struct settings *s);

/* $XDG_CONFIG_HOME/overparam/config.ini, else $HOME/.config/...; -1 when
 * neither variable is set (or the path does not fit). */
int settings_default_path(char *buf /* (len) */, size_t len);

/* Reads path into *s (after settings_init). A file that does not exist is
 * no error unless must_exist (--config FILE). Returns 0, or -1 with one
 * line in err: "file:line: section.key: problem". */
int settings_load(const char *path, bool must_exist, struct settings *s, char *err /* (errlen) */, size_t errlen);

/* The same from text in memory; name stands for the file in messages, and
 * its folder is where relative paths start. */
int settings_parse(const char *text, size_t len, const char *name, struct settings *s, char *err /* (errlen) */,
		   size_t errlen);

/* The preset of that name, NULL when there is none. */
const struct preset *settings_find_preset(const struct settings *s, const char *name);

/* "lecture 3", "warm-up" (for messages and completion), at most len bytes. */
void settings_preset_names(const struct settings *s, char *buf /* (len) */, size_t len);

/* Sets the preset's knobs on the scenario it names, among sc[0..n). Returns
 * that scenario's index, or -1 with "file:line: preset \"NAME\".KNOB: ..."
 * in err (leaving sc unchanged when a knob is refused). */
int settings_apply_preset(const struct settings *s, const struct preset *p, struct scenario *sc /* (n) */, int n,
			  char *err /* (errlen) */, size_t errlen);

#endif
