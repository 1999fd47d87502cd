/* knobs.c: --set overrides, and [knobs]: live parameters a key steps
 * through, each value checked like the file itself. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/parse.h"

/* A [knobs] line: kept raw (indented lines may continue it) and read once
 * the rest of the file is valid, since what a knob may turn depends on it. */
void knobs_define(struct pstate *ps, int line, const char *name, const char *value)
{
	char eb[ECHO_MAX + 4];
	size_t len = strlen(name);
	bool ok = len < KNOB_NAME_LEN;
	for (const char *c = name; ok && *c; c++)
		ok = (*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9') || *c == '_' ||
		     *c == '-';
	if (!ok) {
		parse_fail(ps, line, -1, "knobs.%s: a knob name is 1 to %d letters, digits, _ or -", parse_echo(eb, name),
			   KNOB_NAME_LEN - 1);
		return;
	}
	for (int i = 0; i < ps->n_knobs; i++)
		if (strcmp(ps->knob_name[i], name) == 0) {
			parse_fail(ps, line, -1, "knobs.%s: set twice (first at line %d)", name, ps->knob_line[i]);
			return;
		}
	if (ps->n_knobs == SCENARIO_MAX_KNOBS) {
		parse_fail(ps, line, -1, "knobs.%s: more than %d knobs", name, SCENARIO_MAX_KNOBS);
		return;
	}
	int i = ps->n_knobs++;
	memcpy(ps->knob_name[i], name, len + 1);
	ps->knob_line[i] = line;
	ps->knob_raw[i][0] = '\0';
	ps->knob_pend = i;
	knobs_append(ps, value);
}

void knobs_append(struct pstate *ps, const char *v)
{
	char *raw = ps->knob_raw[ps->knob_pend];
	size_t have = strlen(raw), n = strlen(v);
	if (have + 1 + n >= VALUE_CAP) {
		parse_fail(ps, ps->knob_line[ps->knob_pend], -1, "knobs.%s: longer than %d bytes", ps->knob_name[ps->knob_pend],
			   VALUE_CAP - 1);
		return;
	}
	if (have)
		raw[have++] = ' ';
	memcpy(raw + have, v, n + 1);
}

/* ---- --set overrides ---------------------------------------------------- */


/* The pos'th --set is UTF-8 text without control characters (C0, DEL, C1),
 * as a file's lines are; false after failing. */
static bool set_is_text(struct pstate *ps, int pos, const char *s)
{
	struct utf8 u = {0, 0x80, 0xBF};
	size_t lead_at = 0;
	for (size_t c = 0; s[c]; c++) {
		unsigned char b = (unsigned char)s[c];
		if (u.need == 0)
			lead_at = c;
		if ((b < 0x20 && b != '\t') || b == 0x7F) {
			parse_fail(ps, pos, -1, "control character 0x%02x at column %zu", (unsigned)b, c + 1);
			return false;
		}
		if (!reader_utf8_step(&u, b)) {
			u.need = -1;
			break;
		}
		if (reader_is_c1((unsigned char)s[lead_at], b)) {
			parse_fail(ps, pos, -1, "control character U+%04X at column %zu", (unsigned)b, lead_at + 1);
			return false;
		}
	}
	if (u.need != 0)
		parse_fail(ps, pos, -1, "not valid UTF-8 text");
	return u.need == 0;
}

/* Each "section.key=value" is stored as if the file had said it last, so it
 * meets the same value checks, and the checks across keys see it. */
void knobs_apply_sets(struct pstate *ps)
{
	const char *file = ps->name;
	char eb[ECHO_MAX + 4];
	/* The file's own values, so an over-cap scenario can blame the --set
	 * that raised its memory (validate.c). */
	if (ps->n_sets > 0 && !ps->before_sets && (ps->before_sets = malloc(sizeof *ps->before_sets))) {
		*ps->before_sets = *ps->sc;
		memcpy(ps->file_line, ps->key_line, sizeof ps->file_line);
	}
	for (int i = 0; i < ps->n_sets && !ps->failed; i++) {
		const char *s = ps->sets[i] ? ps->sets[i] : "";
		int pos = i + 1;
		ps->name = "--set";
		if (!set_is_text(ps, pos, s))
			break;
		const char *eq = strchr(s, '=');
		const char *dot = eq ? memchr(s, '.', (size_t)(eq - s)) : NULL;
		if (!eq || !dot) {
			parse_fail(ps, pos, -1, "expected section.key=value, got '%s'", parse_echo(eb, s));
			break;
		}
		const char *a = s, *b = dot;
		while (is_blank((unsigned char)*a))
			a++;
		int sec = reader_section(a, (size_t)(b - a));
		if (sec < 0 || sec == SEC_KNOBS) {
			parse_fail(ps, pos, -1, "unknown section [%.*s] (expected [scenario], [data], [model] or [train])",
				   (int)(b - a > ECHO_MAX ? ECHO_MAX : b - a), a);
			break;
		}
		char name[64];
		a = dot + 1;
		b = eq;
		while (b > a && is_blank((unsigned char)b[-1]))
			b--;
		snprintf(name, sizeof name, "%.*s", (int)(b - a), a);
		int key = keys_find(sec, name);
		if (key < 0) {
			keys_fail_unknown(ps, pos, sec, name);
			break;
		}
		const char *v = eq + 1;
		while (is_blank((unsigned char)*v))
			v++;
		size_t n = strlen(v);
		while (n > 0 && is_blank((unsigned char)v[n - 1]))
			n--;
		value_begin(ps, key, v, n);
		ps->key_line[key] = pos;
		value_flush(ps);
		ps->key_line[key] = -pos;
	}
	ps->name = file;
}

/* ---- knobs ---------------------------------------------------------------- */

/* Stores v into ps->sc through the same path as a value in the file. */
static void store_number(struct pstate *ps, int key, double v)
{
	char text[40];
	snprintf(text, sizeof text, keys[key].type == V_REAL ? "%.17g" : "%.0f", v);
	value_begin(ps, key, text, strlen(text));
	value_flush(ps);
}

/* "%.6g" without an exponent's plus sign and leading zeros: 1e-3, 2e5. */
static void knob_text(double v, char *buf, size_t len)
{
	char tmp[40];
	snprintf(tmp, sizeof tmp, "%.6g", v);
	size_t o = 0;
	for (const char *p = tmp; *p && o + 1 < len; p++) {
		buf[o++] = *p;
		if (*p == 'e') {
			p++;
			if (*p == '-' && o + 1 < len)
				buf[o++] = '-';
			else if (*p != '+')
				p--;
			while (p[1] == '0' && p[2])
				p++;
		}
	}
	buf[o] = '\0';
}

static bool same_value(double a, double b)
{
	return fabs(a - b) <= 1e-9 * fmax(fabs(a), fabs(b));
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

/* A knob value in the file: a number the key accepts (not its word). */
static bool knob_item(struct pstate *ps, int line, int key, const char *text, double *v)
{
	char eb[ECHO_MAX + 4];
	if (keys[key].type == V_REAL) {
		bool word;
		if (!value_real(ps, line, key, text, v, &word))
			return false;
		if (word) {
			parse_fail(ps, line, -1, "'%s' cannot be a knob value", parse_echo(eb, text));
			return false;
		}
		return true;
	}
	long long iv;
	if (!value_int(ps, line, key, text, &iv))
		return false;
	*v = (double)iv;
	return true;
}

/* Rounds a generated value to 12 digits, so 0.1 + 2 * 0.1 is 0.3. */
static double tidy(double v, bool integer)
{
	if (integer)
		return round(v);
	char buf[40];
	snprintf(buf, sizeof buf, "%.12g", v);
	return strtod(buf, NULL);
}

/* "LO..HI step S" or "LO..HI x F". Returns the count, or -1 after failing. */
static int knob_range(struct pstate *ps, int line, int key, const char *text, double *vals /* (KNOB_MAX_VALUES) */)
{
	char eb[ECHO_MAX + 4], lo_s[64] = "", hi_s[64] = "", word[16] = "", by_s[64] = "";
	const char *dots = strstr(text, "..");
	bool integer = keys[key].type != V_REAL;
	int got = 0;
	if ((size_t)(dots - text) < sizeof lo_s) {
		snprintf(lo_s, sizeof lo_s, "%.*s", (int)(dots - text), text);
		char extra[2];
		got = sscanf(dots + 2, " %63s %15s %63s %1s", hi_s, word, by_s, extra);
	}
	size_t lo_n = strlen(lo_s);
	while (got == 3 && lo_n > 0 && is_blank((unsigned char)lo_s[lo_n - 1]))
		lo_s[--lo_n] = '\0';
	bool geometric = got == 3 && strcmp(word, "x") == 0;
	if (got != 3 || lo_n == 0 || (!geometric && strcmp(word, "step") != 0)) {
		parse_fail(ps, line, -1, "'%s' is not LO..HI step S or LO..HI x F", parse_echo(eb, text));
		return -1;
	}
	double lo, hi;
	if (!knob_item(ps, line, key, lo_s, &lo) || !knob_item(ps, line, key, hi_s, &hi))
		return -1;
	if (!(lo < hi)) {
		parse_fail(ps, line, -1, "%s..%s: the low end must be below the high end", lo_s, hi_s);
		return -1;
	}
	double by = config_is_decimal(by_s) ? strtod(by_s, NULL) : NAN;
	long long iby = 0;
	double count;
	if (geometric) {
		if (!(by > 1) || !isfinite(by)) {
			parse_fail(ps, line, -1, "factor '%s' is not a number > 1", parse_echo(eb, by_s));
			return -1;
		}
		if (!(lo > 0)) {
			parse_fail(ps, line, -1, "x %s needs a low end > 0", by_s);
			return -1;
		}
		count = floor(log(hi / lo) / log(by) + 1e-9) + 1;
	} else {
		bool bad = integer ? value_scan_int(by_s, &iby) != 1 || iby < 1 : !(by > 0) || !isfinite(by);
		if (bad) {
			parse_fail(ps, line, -1, "step '%s' is not a %s > 0", parse_echo(eb, by_s), integer ? "whole number" : "number");
			return -1;
		}
		count = floor((hi - lo) / by + 1e-9) + 1;
	}
	if (count > 1e9 || !isfinite(count)) {
		/* A tiny step (1e-320) gives inf, or a count too long to read:
		 * say how many digits it has instead. */
		double digits = geometric ? log10(log(hi / lo)) - log10(log(by)) : log10(hi - lo) - log10(by);
		parse_fail(ps, line, -1, "%s %s is too %s for %s..%s: it would need more than 10^%.0f values, at most %d",
			   geometric ? "factor" : "step", by_s, geometric ? "close to 1" : "small", lo_s, hi_s,
			   floor(digits), KNOB_MAX_VALUES);
		return -1;
	}
	if (count > KNOB_MAX_VALUES) {
		parse_fail(ps, line, -1, "%.0f values, at most %d", count, KNOB_MAX_VALUES);
		return -1;
	}
	int n = 0;
	for (int i = 0; i < (int)count; i++) {
		double v = tidy(geometric ? lo * pow(by, i) : lo + i * by, integer);
		v = fmin(fmax(v, lo), hi);
		if (n == 0 || !same_value(v, vals[n - 1])) /* rounding to integers may repeat one */
			vals[n++] = v;
	}
	return n;
}

/* "v1, v2, ...". Returns the count, or -1 after failing. */
static int knob_list(struct pstate *ps, int line, int key, const char *text, double *vals /* (KNOB_MAX_VALUES) */)
{
	char item[VALUE_CAP];
	int count = 0;
	for (const char *p = text;;) {
		const char *comma = strchr(p, ',');
		size_t n = comma ? (size_t)(comma - p) : strlen(p);
		while (n > 0 && is_blank((unsigned char)*p)) {
			p++;
			n--;
		}
		while (n > 0 && is_blank((unsigned char)p[n - 1]))
			n--;
		count++;
		if (n == 0) {
			parse_fail(ps, line, -1, "item %d is empty", count);
			return -1;
		}
		if (count > KNOB_MAX_VALUES) {
			int total = count;
			for (const char *q = comma; q; q = strchr(q + 1, ','))
				total++;
			parse_fail(ps, line, -1, "%d values, at most %d", total, KNOB_MAX_VALUES);
			return -1;
		}
		memcpy(item, p, n);
		item[n] = '\0';
		if (!knob_item(ps, line, key, item, &vals[count - 1]))
			return -1;
		if (!comma)
			break;
		p = comma + 1;
	}
	qsort(vals, (size_t)count, sizeof *vals, cmp_double);
	for (int i = 1; i < count; i++)
		if (same_value(vals[i], vals[i - 1])) {
			char vb[40];
			knob_text(vals[i], vb, sizeof vb);
			parse_fail(ps, line, -1, "%s is listed twice", vb);
			return -1;
		}
	return count;
}

/* Validates a copy of the scenario with the key set to v (or as it is when
 * v is NaN); messages say `ctx` first. */
static bool knob_try(struct pstate *ps, int key, double v, const char *ctx)
{
	struct scenario *base = ps->sc;
	struct scenario *tmp = malloc(sizeof *tmp);
	if (!tmp) {
		parse_fail(ps, 0, -1, "out of memory");
		return false;
	}
	*tmp = *base;
	bool opt_gd = ps->opt_gd, lr_auto = ps->lr_auto;
	const char *outer = ps->ctx;
	ps->sc = tmp;
	ps->ctx = ctx;
	if (!isnan(v))
		store_number(ps, key, v);
	if (!ps->failed)
		validate_scenario(ps);
	ps->sc = base;
	ps->ctx = outer;
	ps->opt_gd = opt_gd;
	ps->lr_auto = lr_auto;
	free(tmp);
	return !ps->failed;
}

/* The key knob i turns, from "section.key:" of its line, checked as a knob
 * with the scenario as it is; -1 after failing. *cur: its value. */
static int knob_key(struct pstate *ps, int i, const char *raw, const char *colon, double *cur)
{
	struct scenario *sc = ps->sc;
	struct knob *kb = &sc->knobs[i];
	char eb[ECHO_MAX + 4], target[64];
	const char *a = raw, *b = colon;
	while (b > a && is_blank((unsigned char)b[-1]))
		b--;
	snprintf(target, sizeof target, "%.*s", (int)(b - a), a);
	const char *dot = strchr(target, '.');
	int sec = dot ? reader_section(target, (size_t)(dot - target)) : -1;
	int key = sec >= 0 ? keys_find(sec, dot + 1) : -1;
	if (key < 0) {
		parse_fail(ps, kb->line, -1, "unknown key '%s'", parse_echo(eb, target));
		return -1;
	}
	const struct keyspec *ks = &keys[key];
	snprintf(kb->target, sizeof kb->target, "%s.%s", section_names[ks->sec], ks->name);
	kb->key = key;
	if (!keys_number(sc, key, cur)) {
		parse_fail(ps, kb->line, -1, "%s cannot be a knob (knobs turn the numbers of [data], [model] and [train])",
			   kb->target);
		return -1;
	}
	for (int j = 0; j < i; j++)
		if (sc->knobs[j].key == key) {
			parse_fail(ps, kb->line, -1, "%s already has the knob %s (line %d)", kb->target, sc->knobs[j].name,
				   sc->knobs[j].line);
			return -1;
		}
	/* Set from here on, so a key the kind ignores is refused as it would be
	 * in the file. */
	if (!ps->key_line[key])
		ps->key_line[key] = kb->line;
	if (!knob_try(ps, key, NAN, ps->ctx))
		return -1;
	int count = 1;
	if (ks->type == V_LIST)
		memcpy(&count, (const char *)sc + ks->count_at, sizeof count);
	if (count != 1) {
		parse_fail(ps, kb->line, -1, "%s has %d %ss; a knob sets the %s of a one-%s model", kb->target, count,
			   ks->noun, ks->noun, ks->noun);
		return -1;
	}
	if (key == KEY_LR && ps->lr_auto) {
		parse_fail(ps, kb->line, -1, "train.lr is auto here; give it a number to turn it with a knob");
		return -1;
	}
	return key;
}

/* The knob's values from the text after the colon, ascending, with the
 * scenario's own value `cur` among them: where the knob starts. */
static bool knob_values(struct pstate *ps, struct knob *kb, const char *vals, double cur)
{
	while (is_blank((unsigned char)*vals))
		vals++;
	if (!*vals) {
		parse_fail(ps, kb->line, -1, "no values after %s:", kb->target);
		return false;
	}
	int n = strstr(vals, "..") ? knob_range(ps, kb->line, kb->key, vals, kb->values)
				   : knob_list(ps, kb->line, kb->key, vals, kb->values);
	if (n < 0)
		return false;
	int at = -1;
	for (int j = 0; j < n && at < 0; j++)
		if (same_value(kb->values[j], cur)) {
			kb->values[j] = cur;
			at = j;
		}
	if (at < 0) {
		at = 0;
		while (at < n && kb->values[at] < cur)
			at++;
		memmove(&kb->values[at + 1], &kb->values[at], (size_t)(n - at) * sizeof *kb->values);
		kb->values[at] = cur;
		n++;
	}
	kb->n_values = n;
	kb->current = at;
	if (n < 2) {
		parse_fail(ps, kb->line, -1, "one value is not a knob: give at least two");
		return false;
	}
	return true;
}

/* Reads knob i of the (valid) file: its target, its values, and checks the
 * scenario is valid at every one of them, one knob moved at a time. */
static void knob_resolve(struct pstate *ps, int i)
{
	struct scenario *sc = ps->sc;
	struct knob *kb = &sc->knobs[i];
	char eb[ECHO_MAX + 4], ctx[KNOB_NAME_LEN + 80];
	memset(kb, 0, sizeof *kb);
	snprintf(kb->name, sizeof kb->name, "%s", ps->knob_name[i]);
	kb->line = ps->knob_line[i];
	snprintf(ctx, sizeof ctx, "knobs.%s: ", kb->name);
	ps->ctx = ctx;
	ps->ctx_line = kb->line;

	const char *raw = ps->knob_raw[i];
	const char *colon = strchr(raw, ':');
	if (!colon) {
		parse_fail(ps, kb->line, -1, "expected 'section.key: values', got '%s'", parse_echo(eb, raw));
		return;
	}
	double cur;
	int key = knob_key(ps, i, raw, colon, &cur);
	if (key < 0 || !knob_values(ps, kb, colon + 1, cur))
		return;
	for (int j = 0; j < kb->n_values; j++) {
		if (j == kb->current)
			continue;
		char vb[40], vctx[KNOB_NAME_LEN + 80];
		knob_text(kb->values[j], vb, sizeof vb);
		snprintf(vctx, sizeof vctx, "knobs.%s = %s: ", kb->name, vb);
		if (!knob_try(ps, key, kb->values[j], vctx))
			return;
	}
	sc->n_knobs = i + 1;
}

void knobs_resolve_all(struct pstate *ps)
{
	for (int i = 0; i < ps->n_knobs && !ps->failed; i++)
		knob_resolve(ps, i);
	ps->ctx = NULL;
	ps->ctx_line = 0;
	if (ps->failed)
		return;
	struct scenario *sc = ps->sc;
	memcpy(sc->origin.key_line, ps->key_line, sizeof ps->key_line);
	sc->origin.opt_gd = ps->opt_gd;
	sc->origin.lr_auto = ps->lr_auto;
}

void scenario_knob_format(double v, char *buf, size_t len)
{
	if (!buf || len == 0)
		return;
	locale_t old, c = locale_enter_c(&old);
	knob_text(v, buf, len);
	locale_leave_c(c, old);
}

int scenario_apply_knob(struct scenario *sc, int knob, double value, char *err, size_t errlen)
{
	if (err && errlen)
		err[0] = '\0';
	if (knob < 0 || knob >= sc->n_knobs) {
		char raw[sizeof sc->path + 32];
		snprintf(raw, sizeof raw, "no knob %d in %s", knob + 1, sc->path);
		config_escape(err, errlen, raw); /* the path may hold anything */
		return -1;
	}
	const struct knob *kb = &sc->knobs[knob];
	int at = -1;
	for (int j = 0; j < kb->n_values && at < 0; j++)
		if (kb->values[j] == value || same_value(kb->values[j], value))
			at = j;
	locale_t old, c = locale_enter_c(&old);
	char vb[40], ctx[KNOB_NAME_LEN + 80];
	knob_text(value, vb, sizeof vb);
	if (at < 0) {
		if (err && errlen)
			snprintf(err, errlen, "%s = %s refused: not one of its values", kb->name, vb);
		locale_leave_c(c, old);
		return -1;
	}
	struct scenario *tmp = malloc(sizeof *tmp);
	struct pstate *ps = malloc(sizeof *ps);
	if (!tmp || !ps) {
		free(tmp);
		free(ps);
		if (err && errlen)
			snprintf(err, errlen, "%s = %s refused: out of memory", kb->name, vb);
		locale_leave_c(c, old);
		return -1;
	}
	*tmp = *sc;
	memset(ps, 0, sizeof *ps);
	ps->sc = tmp;
	ps->name = sc->path;
	ps->err = err;
	ps->errlen = errlen;
	ps->pend = -1;
	ps->knob_pend = -1;
	ps->bare = true;
	snprintf(ctx, sizeof ctx, "%s = %s refused: ", kb->name, vb);
	ps->ctx = ctx;
	memcpy(ps->key_line, sc->origin.key_line, sizeof ps->key_line);
	ps->opt_gd = sc->origin.opt_gd;
	ps->lr_auto = sc->origin.lr_auto;
	store_number(ps, kb->key, kb->values[at]);
	if (!ps->failed)
		validate_scenario(ps);
	int rc = ps->failed ? -1 : 0;
	if (rc == 0) {
		tmp->knobs[knob].current = at;
		tmp->origin.opt_gd = ps->opt_gd;
		tmp->origin.lr_auto = ps->lr_auto;
		*sc = *tmp;
	}
	free(ps);
	free(tmp);
	locale_leave_c(c, old);
	return rc;
}
