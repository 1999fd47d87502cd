/* prefs.c: the config file for the command line (prefs.h). */
#include <stdio.h>
#include <string.h>


#include "cli/prefs.h"
#include "overparam/config.h"

/* One line on stderr, made safe to print (a path may hold anything). */
static void say(const char *raw)
{
	char out[SETTINGS_ERR_LEN * 2];
	config_escape(out, sizeof out, raw);
	fprintf(stderr, "%s\n", out);
}

int prefs_load(const char *config_path, struct settings *s)
{
	char path[SETTINGS_PATH_LEN], err[SETTINGS_ERR_LEN];
	settings_init(s);
	if (config_path) {
		snprintf(path, sizeof path, "%s", config_path);
	} else if (settings_default_path(path, sizeof path) != 0) {
		return 0; /* no HOME, no XDG_CONFIG_HOME: no config file */
	}
	if (settings_load(path, config_path != NULL, s, err, sizeof err) == 0)
		return 0;
	/* A file that cannot be opened is the option's fault; one that can
	 * is named in its own message ("file:line: key: problem"). */
	FILE *f = config_path ? fopen(config_path, "rb") : NULL;
	if (config_path && !f)
		fprintf(stderr, "overparam: --config: %s\n", err);
	else
		fprintf(stderr, "%s\n", err); /* already made safe */
	if (f)
		fclose(f);
	return 2;
}

void prefs_merge(const struct settings *s, bool headless, struct ui_options *uo)
{
	if (uo->fps == 0)
		uo->fps = s->fps ? s->fps : 20;
	if (uo->pace_override < 0 && s->pace >= 0)
		uo->pace_override = s->pace;
	if (!uo->export_dir && s->export_dir[0] && !headless)
		uo->export_dir = s->export_dir;
	if (s->theme[0] && !uo->theme_given) /* checked when the file was read */
		uo->theme_given = theme_parse_word(s->theme, &uo->theme);
}

void prefs_store(const struct settings *s, unsigned given, struct store_settings *st)
{
	if (!(given & STORE_GIVEN_PATH) && s->store.path[0]) {
		snprintf(st->path, sizeof st->path, "%s", s->store.path);
		if (!(given & STORE_GIVEN_ENABLED))
			st->enabled = true;
	}
	if (!(given & STORE_GIVEN_ENABLED) && s->store.enabled >= 0)
		st->enabled = s->store.enabled == 1;
	if (!(given & STORE_GIVEN_KEEP_RUNS) && s->store.keep_runs > 0)
		st->keep_runs = (int)s->store.keep_runs;
	if (!(given & STORE_GIVEN_KEEP_MB) && s->store.keep_mb > 0)
		st->keep_mb = (double)s->store.keep_mb;
}

int prefs_preset(const struct settings *s, const char *name, struct scenario *sc, int n)
{
	char raw[SETTINGS_ERR_LEN * 2], err[SETTINGS_ERR_LEN];
	if (!name)
		return 0;
	const struct preset *p = settings_find_preset(s, name);
	if (!p) {
		char names[SETTINGS_ERR_LEN];
		settings_preset_names(s, names, sizeof names);
		if (!s->path[0])
			snprintf(raw, sizeof raw, "overparam: --preset %s: no config file to take it from", name);
		else
			snprintf(raw, sizeof raw, "overparam: --preset: no preset \"%s\" in %s (%s%s)", name, s->path,
				 s->n_presets ? "its presets: " : "it has none", names);
		say(raw);
		return -1;
	}
	int at = settings_apply_preset(s, p, sc, n, err, sizeof err);
	if (at < 0)
		fprintf(stderr, "%s\n", err); /* already made safe */
	return at;
}
