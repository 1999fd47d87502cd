/* settings.c: the user's config file (include/overparam/settings.h).
 *
 * libinih splits the lines; our line reader in front of it counts them (so
 * every message names one), refuses control characters, invalid UTF-8 and
 * over-long lines, and strips leading blanks, so that inih never joins an
 * indented line to the previous value: every line stands alone. Values are
 * checked as they come, the presets' knobs only once the scenario they name
 * is loaded (settings_apply_preset). */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <ini.h>

#include "config/parse.h"
#include "overparam/settings.h"

#define CONFIG_FILE_CAP ((size_t)1 << 20)

enum { SS_NONE = -1, SS_UI, SS_STORE, SS_SCENARIOS, SS_PRESET };

struct sstate {
	struct settings *s;
	const char *name;      /* the file, as messages name it */
	char folder[SETTINGS_PATH_LEN]; /* where relative paths start */
	const char *text;
	size_t len, pos;
	char *err;
	size_t errlen;
	bool failed;
	int lineno;
	int sec;               /* SS_ of the current section */
	struct preset *preset; /* the current [preset "NAME"] */
	int seen[16];          /* line of each [ui]/[store] key given, 0 = none */
	char line[LINE_CAP + 1];
};

static void fail(struct sstate *st, int line, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void fail(struct sstate *st, int line, const char *fmt, ...)
{
	if (st->failed)
		return;
	st->failed = true;
	char raw[SETTINGS_ERR_LEN];
	int at = line > 0 ? snprintf(raw, sizeof raw, "%s:%d: ", st->name, line) : snprintf(raw, sizeof raw, "%s: ", st->name);
	va_list ap;
	va_start(ap, fmt);
	if (at >= 0 && (size_t)at < sizeof raw)
		vsnprintf(raw + at, sizeof raw - (size_t)at, fmt, ap);
	va_end(ap);
	config_escape(st->err, st->errlen, raw); /* a value or a path may hold anything */
}

/* ---- the line reader -------------------------------------------------- */

/* The next line, leading blanks dropped, into st->line. Returns its length,
 * -1 at the end, -2 after failing. */
static int next_line(struct sstate *st, int limit)
{
	if (st->pos >= st->len)
		return -1;
	int line = st->lineno + 1, n = 0, col = 0, seq_col = 0;
	struct utf8 u = {0, 0x80, 0xBF};
	bool lead_blank = true;
	for (; st->pos < st->len && st->text[st->pos] != '\n'; st->pos++) {
		unsigned char c = (unsigned char)st->text[st->pos];
		if (c == '\r' && (st->pos + 1 == st->len || st->text[st->pos + 1] == '\n'))
			continue;
		if ((c < 0x20 && c != '\t') || c == 0x7F) {
			fail(st, line, "control character 0x%02x (not a text file?)", (unsigned)c);
			return -2;
		}
		col++; /* counting the blanks dropped */
		if (u.need == 0)
			seq_col = col;
		if (!reader_utf8_step(&u, c)) {
			fail(st, line, "not valid UTF-8 text at column %d", seq_col);
			return -2;
		}
		if (lead_blank && is_blank(c))
			continue;
		lead_blank = false;
		if (n >= limit) {
			fail(st, line, "line longer than %d bytes", limit);
			return -2;
		}
		st->line[n++] = (char)c;
	}
	if (u.need > 0) {
		fail(st, line, "not valid UTF-8 text at column %d", seq_col);
		return -2;
	}
	st->pos++; /* the newline */
	st->line[n] = '\0';
	return n;
}

static void enter_section(struct sstate *st, int line, const char *section);

/* A line inih would refuse or read otherwise than meant; a section header
 * is taken here, where its line is known (inih tells the handler of a
 * section only with its first key). */
static bool line_ok(struct sstate *st)
{
	const char *t = st->line;
	int line = st->lineno + 1;
	if (*t == '\0' || *t == ';' || *t == '#')
		return true;
	if (*t == '[') {
		const char *end = strchr(t, ']'), *after = end ? end + 1 : NULL;
		while (after && is_blank((unsigned char)*after))
			after++;
		if (!end)
			fail(st, line, "section header has no closing ]");
		else if (*after && *after != ';' && *after != '#')
			fail(st, line, "unexpected text after ] in section header");
		else {
			char name[LINE_CAP + 1];
			snprintf(name, sizeof name, "%.*s", (int)(end - t - 1), t + 1);
			enter_section(st, line, name);
		}
		return !st->failed;
	}
	if (!strpbrk(t, "=:")) {
		fail(st, line, "expected 'key = value', '[section]' or a comment");
		return false;
	}
	if (*t == '=' || *t == ':') {
		fail(st, line, "key name missing before =");
		return false;
	}
	return true;
}

static char *settings_reader(char *str, int num, void *stream)
{
	struct sstate *st = stream;
	int limit = num - 3 < LINE_CAP ? num - 3 : LINE_CAP;
	if (st->failed || limit < 1)
		return NULL;
	int n = next_line(st, limit);
	if (n < 0 || !line_ok(st))
		return NULL;
	st->lineno++;
	memcpy(str, st->line, (size_t)n);
	str[n] = '\n';
	str[n + 1] = '\0';
	return str;
}

/* ---- values ----------------------------------------------------------- */

static bool whole(const char *v, long lo, long hi, long *out)
{
	long long x;
	if (*v == '+' || *v == '-' || value_scan_int(v, &x) != 1 || x < lo || x > hi)
		return false;
	*out = (long)x;
	return true;
}

/* A path: "~/" is $HOME, a relative one starts at the config file's folder. */
static bool take_path(struct sstate *st, int line, const char *key, const char *v, char *out /* (SETTINGS_PATH_LEN) */)
{
	const char *home = getenv("HOME");
	int n;
	if (*v == '\0') {
		fail(st, line, "%s: empty path", key);
		return false;
	}
	if (strncmp(v, "~/", 2) == 0 && home && *home)
		n = snprintf(out, SETTINGS_PATH_LEN, "%s/%s", home, v + 2);
	else if (*v == '/' || !st->folder[0])
		n = snprintf(out, SETTINGS_PATH_LEN, "%s", v);
	else
		n = snprintf(out, SETTINGS_PATH_LEN, "%s/%s", st->folder, v);
	if (n < 0 || n >= SETTINGS_PATH_LEN) {
		fail(st, line, "%s: path longer than %d bytes", key, SETTINGS_PATH_LEN - 1);
		return false;
	}
	return true;
}

/* A path that must name a folder now (a typo is found at start, not later). */
static bool take_dir(struct sstate *st, int line, const char *key, const char *v, char *out /* (SETTINGS_PATH_LEN) */)
{
	struct stat sb;
	if (!take_path(st, line, key, v, out))
		return false;
	if (stat(out, &sb) != 0) {
		fail(st, line, "%s: %s: %s", key, out, strerror(errno));
		return false;
	}
	if (!S_ISDIR(sb.st_mode)) {
		fail(st, line, "%s: %s: not a directory", key, out);
		return false;
	}
	return true;
}

static const char *const themes[] = {"dark", "light", "mono", "high-contrast", NULL};

static bool take_ui(struct sstate *st, int line, const char *key, const char *name, const char *v)
{
	struct settings *s = st->s;
	long x;
	if (strcmp(name, "theme") == 0) {
		for (int i = 0; themes[i]; i++)
			if (strcmp(v, themes[i]) == 0)
				return snprintf(s->theme, sizeof s->theme, "%s", v) > 0;
		fail(st, line, "%s: '%.40s' is not a theme (dark, light, mono or high-contrast)", key, v);
	} else if (strcmp(name, "fps") == 0) {
		if (whole(v, 1, 60, &x)) {
			s->fps = (int)x;
			return true;
		}
		fail(st, line, "%s: '%.40s' is not a whole number in 1..60", key, v);
	} else if (strcmp(name, "pace") == 0) {
		double p = strcmp(v, "max") == 0 ? 0 : -1;
		if (p < 0 && *v != '+' && *v != '-' && config_is_decimal(v)) {
			p = strtod(v, NULL);
			p = p >= 0.1 && p <= 100000 ? p : -1;
		}
		if (p >= 0) {
			s->pace = p;
			return true;
		}
		fail(st, line, "%s: '%.40s' is not 'max' or a number in 0.1..100000", key, v);
	} else {
		return take_dir(st, line, key, v, s->export_dir);
	}
	return false;
}

static bool take_store(struct sstate *st, int line, const char *key, const char *name, const char *v)
{
	struct settings *s = st->s;
	if (strcmp(name, "path") == 0)
		return take_path(st, line, key, v, s->store.path);
	if (strcmp(name, "enabled") == 0) {
		if (strcmp(v, "yes") == 0 || strcmp(v, "no") == 0) {
			s->store.enabled = v[0] == 'y';
			return true;
		}
		fail(st, line, "%s: '%.40s' is not yes or no", key, v);
		return false;
	}
	long *at = strcmp(name, "keep_runs") == 0 ? &s->store.keep_runs : &s->store.keep_mb;
	if (whole(v, 1, 1000000, at))
		return true;
	fail(st, line, "%s: '%.40s' is not a whole number in 1..1000000", key, v);
	return false;
}

/* ---- sections and keys ------------------------------------------------ */

static const char *const section_words[] = {"ui", "store", "scenarios"};
static const char *const section_keys[][5] = {
	{"theme", "fps", "pace", "export_dir", NULL},
	{"path", "enabled", "keep_runs", "keep_mb", NULL},
	{"dir", NULL},
};
static const char *const key_lists[] = {"theme, fps, pace, export_dir", "path, enabled, keep_runs, keep_mb", "dir"};

/* `preset "NAME"`: the name, or NULL when the header is not that shape. */
static const char *preset_name(const char *section, char *buf /* (SETTINGS_NAME_LEN) */)
{
	size_t n = strlen(section);
	if (strncmp(section, "preset \"", 8) != 0 || n < 10 || section[n - 1] != '"' || n - 9 >= SETTINGS_NAME_LEN)
		return NULL;
	memcpy(buf, section + 8, n - 9);
	buf[n - 9] = '\0';
	return strchr(buf, '"') ? NULL : buf;
}

static void begin_preset(struct sstate *st, int line, const char *name)
{
	struct settings *s = st->s;
	for (int i = 0; i < s->n_presets; i++)
		if (strcmp(s->presets[i].name, name) == 0) {
			fail(st, line, "preset \"%s\" appears twice (first at line %d)", name, s->presets[i].line);
			return;
		}
	if (s->n_presets == SETTINGS_MAX_PRESETS) {
		fail(st, line, "more than %d presets", SETTINGS_MAX_PRESETS);
		return;
	}
	st->preset = &s->presets[s->n_presets++];
	snprintf(st->preset->name, sizeof st->preset->name, "%s", name);
	st->preset->line = line;
}

static void enter_section(struct sstate *st, int line, const char *section)
{
	char nb[SETTINGS_NAME_LEN];
	st->sec = SS_NONE;
	st->preset = NULL;
	for (int i = 0; i < 3; i++)
		if (strcmp(section, section_words[i]) == 0)
			st->sec = i;
	if (st->sec != SS_NONE)
		return;
	if (strncmp(section, "preset", 6) != 0) {
		fail(st, line, "unknown section [%.40s] (expected [ui], [store], [scenarios] or [preset \"NAME\"])",
		     section);
		return;
	}
	const char *name = preset_name(section, nb);
	if (!name) {
		fail(st, line, "[%.40s]: a preset's header is [preset \"NAME\"] (a name of 1 to %d bytes, in quotes)",
		     section, SETTINGS_NAME_LEN - 1);
		return;
	}
	st->sec = SS_PRESET;
	begin_preset(st, line, name);
}

static void take_preset_key(struct sstate *st, int line, const char *name, const char *v)
{
	struct preset *p = st->preset;
	if (strcmp(name, "scenario") == 0) {
		if (p->scenario_line) {
			fail(st, line, "preset \"%s\".scenario: set twice (first at line %d)", p->name, p->scenario_line);
		} else if (!*v || strlen(v) >= sizeof p->scenario || strchr(v, '/')) {
			fail(st, line, "preset \"%s\".scenario: '%.40s' is not a scenario file's name (e.g. 03-benign-overfitting.ini)",
			     p->name, v);
		} else {
			snprintf(p->scenario, sizeof p->scenario, "%s", v);
			p->scenario_line = line;
		}
		return;
	}
	for (int i = 0; i < p->n_knobs; i++)
		if (strcmp(p->knobs[i].name, name) == 0) {
			fail(st, line, "preset \"%s\".%s: set twice (first at line %d)", p->name, name, p->knobs[i].line);
			return;
		}
	if (p->n_knobs == SCENARIO_MAX_KNOBS || strlen(name) >= KNOB_NAME_LEN) {
		fail(st, line, "preset \"%s\".%.40s: %s", p->name, name,
		     p->n_knobs == SCENARIO_MAX_KNOBS ? "more knobs than a scenario has (at most 6)" : "no knob has so long a name");
		return;
	}
	if (*v == '+' || !config_is_decimal(v) || strlen(v) >= sizeof p->knobs[0].text) {
		fail(st, line, "preset \"%s\".%s: '%.40s' is not a number", p->name, name, v);
		return;
	}
	struct preset_knob *k = &p->knobs[p->n_knobs++];
	snprintf(k->name, sizeof k->name, "%s", name);
	snprintf(k->text, sizeof k->text, "%s", v);
	k->value = strtod(v, NULL);
	k->line = line;
}

static int settings_handler(void *user, const char *section, const char *name, const char *value)
{
	struct sstate *st = user;
	int line = st->lineno;
	(void)section; /* line_ok took the header */
	if (st->failed)
		return 1;
	if (st->sec == SS_NONE) {
		fail(st, line, "%.40s: set before any [section]", name);
		return 1;
	}
	if (st->sec == SS_PRESET) {
		take_preset_key(st, line, name, value);
		return 1;
	}
	int k = -1;
	for (int i = 0; section_keys[st->sec][i]; i++)
		if (strcmp(name, section_keys[st->sec][i]) == 0)
			k = i;
	char key[80];
	snprintf(key, sizeof key, "%s.%.40s", section_words[st->sec], name);
	if (k < 0) {
		fail(st, line, "%s: unknown key (keys of [%s]: %s)", key, section_words[st->sec], key_lists[st->sec]);
		return 1;
	}
	if (st->sec == SS_SCENARIOS) {
		if (st->s->n_dirs == SETTINGS_MAX_DIRS)
			fail(st, line, "%s: more than %d folders", key, SETTINGS_MAX_DIRS);
		else if (take_dir(st, line, key, value, st->s->dirs[st->s->n_dirs]))
			st->s->n_dirs++;
		return 1;
	}
	int *seen = &st->seen[st->sec * 4 + k];
	if (*seen) {
		fail(st, line, "%s: set twice (first at line %d)", key, *seen);
		return 1;
	}
	*seen = line;
	if (st->sec == SS_UI)
		take_ui(st, line, key, name, value);
	else
		take_store(st, line, key, name, value);
	return 1;
}

/* ---- the entry points ------------------------------------------------- */

void settings_init(struct settings *s)
{
	memset(s, 0, sizeof *s);
	s->pace = -1;
	s->store.enabled = -1;
}

int settings_default_path(char *buf, size_t len)
{
	const char *xdg = getenv("XDG_CONFIG_HOME"), *home = getenv("HOME");
	int n;
	if (xdg && xdg[0] == '/') /* the XDG spec: a relative value is ignored */
		n = snprintf(buf, len, "%s/overparam/config.ini", xdg);
	else if (home && *home)
		n = snprintf(buf, len, "%s/.config/overparam/config.ini", home);
	else
		return -1;
	return n < 0 || (size_t)n >= len ? -1 : 0;
}

int settings_parse(const char *text, size_t len, const char *name, struct settings *s, char *err, size_t errlen)
{
	static struct sstate st; /* one parse at a time: the line buffer is large */
	memset(&st, 0, sizeof st);
	st.s = s;
	st.name = name;
	st.text = text;
	st.len = len;
	st.err = err;
	st.errlen = errlen;
	st.sec = SS_NONE;
	const char *slash = strrchr(name, '/');
	if (slash)
		snprintf(st.folder, sizeof st.folder, "%.*s", (int)(slash - name) + (slash == name), name);
	snprintf(s->path, sizeof s->path, "%s", name);
	locale_t old, c = locale_enter_c(&old);
	int rc = ini_parse_stream(settings_reader, &st, settings_handler, &st);
	locale_leave_c(c, old);
	if (!st.failed && rc == -2)
		fail(&st, 0, "out of memory");
	else if (!st.failed && rc > 0)
		fail(&st, rc, "malformed line");
	for (int i = 0; i < s->n_presets && !st.failed; i++)
		if (!s->presets[i].scenario_line)
			fail(&st, s->presets[i].line, "preset \"%s\": no 'scenario = FILE' line", s->presets[i].name);
	return st.failed ? -1 : 0;
}

int settings_load(const char *path, bool must_exist, struct settings *s, char *err, size_t errlen)
{
	char raw[SETTINGS_ERR_LEN];
	FILE *f = fopen(path, "rb");
	if (!f) {
		if (errno == ENOENT && !must_exist)
			return 0;
		snprintf(raw, sizeof raw, "%s: %s", path, strerror(errno));
		config_escape(err, errlen, raw);
		return -1;
	}
	char *text = malloc(CONFIG_FILE_CAP + 1);
	size_t n = text ? fread(text, 1, CONFIG_FILE_CAP + 1, f) : 0;
	int bad = !text ? ENOMEM : ferror(f) ? errno : 0;
	fclose(f);
	if (bad || n > CONFIG_FILE_CAP) {
		if (bad)
			snprintf(raw, sizeof raw, "%s: cannot read: %s", path, strerror(bad));
		else
			snprintf(raw, sizeof raw, "%s: larger than %zu MiB (the limit for a config file)", path,
				 CONFIG_FILE_CAP >> 20);
		config_escape(err, errlen, raw);
		free(text);
		return -1;
	}
	int rc = settings_parse(text, n, path, s, err, errlen);
	free(text);
	return rc;
}

const struct preset *settings_find_preset(const struct settings *s, const char *name)
{
	for (int i = 0; i < s->n_presets; i++)
		if (strcmp(s->presets[i].name, name) == 0)
			return &s->presets[i];
	return NULL;
}

void settings_preset_names(const struct settings *s, char *buf, size_t len)
{
	size_t used = 0;
	buf[0] = '\0';
	for (int i = 0; i < s->n_presets && used < len; i++) {
		int n = snprintf(buf + used, len - used, "%s\"%s\"", i ? ", " : "", s->presets[i].name);
		if (n < 0)
			break;
		used += (size_t)n;
	}
}

/* The scenario file a preset names: its file name, with or without ".ini". */
static bool names_file(const char *want, const char *path)
{
	const char *base = strrchr(path, '/');
	base = base ? base + 1 : path;
	size_t n = strlen(want);
	return strcmp(base, want) == 0 || (strncmp(base, want, n) == 0 && strcmp(base + n, ".ini") == 0);
}

static int knob_index(const struct scenario *sc, const char *name)
{
	for (int i = 0; i < sc->n_knobs; i++)
		if (strcmp(sc->knobs[i].name, name) == 0)
			return i;
	return -1;
}

int settings_apply_preset(const struct settings *s, const struct preset *p, struct scenario *sc, int n, char *err,
			  size_t errlen)
{
	char raw[SETTINGS_ERR_LEN], why[SCENARIO_ERR_LEN];
	int at = -1;
	for (int i = 0; i < n && at < 0; i++)
		if (names_file(p->scenario, sc[i].path))
			at = i;
	if (at < 0) {
		snprintf(raw, sizeof raw, "%s:%d: preset \"%s\".scenario: %s is not among the scenarios to run", s->path,
			 p->scenario_line, p->name, p->scenario);
		config_escape(err, errlen, raw);
		return -1;
	}
	struct scenario *tmp = malloc(sizeof *tmp);
	if (!tmp) {
		snprintf(err, errlen, "overparam: out of memory");
		return -1;
	}
	*tmp = sc[at];
	int rc = at;
	for (int k = 0; k < p->n_knobs && rc >= 0; k++) {
		const struct preset_knob *pk = &p->knobs[k];
		int i = knob_index(tmp, pk->name);
		if (i < 0) {
			char list[KNOB_NAME_LEN * SCENARIO_MAX_KNOBS + 16] = "";
			for (int j = 0; j < tmp->n_knobs; j++)
				snprintf(list + strlen(list), sizeof list - strlen(list), "%s%s", j ? ", " : "",
					 tmp->knobs[j].name);
			snprintf(raw, sizeof raw, "%s:%d: preset \"%s\".%s: %s has no such knob (its knobs: %s)", s->path,
				 pk->line, p->name, pk->name, tmp->path, tmp->n_knobs ? list : "none");
			rc = -1;
		} else if (scenario_apply_knob(tmp, i, pk->value, why, sizeof why) != 0) {
			int m = snprintf(raw, sizeof raw, "%s:%d: preset \"%s\".%s: %s", s->path, pk->line, p->name,
					 pk->name, why);
			const struct knob *kb = &tmp->knobs[i];
			for (int j = 0; strstr(why, "not one of its values") && j < kb->n_values && m > 0 &&
					(size_t)m < sizeof raw; j++) {
				char vb[32];
				scenario_knob_format(kb->values[j], vb, sizeof vb);
				m += snprintf(raw + m, sizeof raw - (size_t)m, "%s%s%s", j ? ", " : " (", vb,
					      j + 1 == kb->n_values ? ")" : "");
			}
			rc = -1;
		}
	}
	if (rc >= 0)
		sc[at] = *tmp;
	else
		config_escape(err, errlen, raw);
	free(tmp);
	return rc;
}
