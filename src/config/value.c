/* value.c: one key's text into its typed value, and the messages that quote
 * a bad value back (echo, ranges, sizes). */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "config/parse.h"

/* Records the first error only: "name[:line]: [section.key: ]message",
 * made safe to print (config_escape): the file name and the values it
 * quotes may hold control or invisible characters. */
void parse_vfail(struct pstate *ps, int line, int key, const char *fmt, va_list ap)
{
	if (ps->failed)
		return;
	ps->failed = true;
	if (!ps->err || ps->errlen == 0)
		return;
	char raw[2 * SCENARIO_ERR_LEN];
	size_t cap = ps->errlen < sizeof raw ? ps->errlen : sizeof raw;
	int n;
	const char *ctx = ps->ctx ? ps->ctx : "";
	if (ps->ctx_line > 0)
		line = ps->ctx_line;
	if (ps->bare)
		n = snprintf(raw, cap, "%s", ctx);
	else if (line > 0)
		n = snprintf(raw, cap, "%s:%d: %s", ps->name, line, ctx);
	else if (line < 0) /* a key given by the -line'th --set */
		n = snprintf(raw, cap, "%s: --set:%d: %s", ps->name, -line, ctx);
	else
		n = snprintf(raw, cap, "%s: %s", ps->name, ctx);
	if (n >= 0 && (size_t)n < cap && key >= 0) {
		int m = snprintf(raw + n, cap - (size_t)n, "%s.%s: ", section_names[keys[key].sec], keys[key].name);
		n = m < 0 ? m : n + m;
	}
	if (n >= 0 && (size_t)n < cap)
		vsnprintf(raw + n, cap - (size_t)n, fmt, ap);
	config_escape(ps->err, ps->errlen, raw);
}

void parse_fail(struct pstate *ps, int line, int key, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	parse_vfail(ps, line, key, fmt, ap);
	va_end(ap);
}

/* A value quoted back in a message: at most ECHO_MAX bytes, cut at a UTF-8
 * character boundary, with "..." when cut. */
const char *parse_echo(char *buf /* (ECHO_MAX + 4) */, const char *v)
{
	size_t n = strlen(v);
	if (n <= ECHO_MAX)
		return v;
	n = ECHO_MAX;
	while (n > 0 && ((unsigned char)v[n] & 0xC0) == 0x80)
		n--;
	snprintf(buf, ECHO_MAX + 4, "%.*s...", (int)n, v);
	return buf;
}

/* A bound for messages: integers without an exponent, others as %g. */
static void format_bound(char *buf, size_t len, double v)
{
	if (v == floor(v) && fabs(v) < 1e15)
		snprintf(buf, len, "%.0f", v);
	else
		snprintf(buf, len, "%g", v);
}

/* "1..4096", "> 0 and <= 100", with ", or max" when a word is allowed. */
static void describe_range(const struct keyspec *k, char *buf, size_t len)
{
	char lo[32], hi[32];
	if (k->type == V_REAL) {
		format_bound(lo, sizeof lo, k->dmin);
		format_bound(hi, sizeof hi, k->dmax);
		if (k->dmin_open)
			snprintf(buf, len, "> %s and <= %s", lo, hi);
		else
			snprintf(buf, len, "%s..%s", lo, hi);
	} else {
		snprintf(buf, len, "%lld..%lld", k->imin, k->imax);
	}
	if (k->word) {
		size_t n = strlen(buf);
		if (strcmp(k->word, "auto") == 0)
			snprintf(buf + n, len - n, ", or auto with optimizer gd");
		else
			snprintf(buf + n, len - n, ", or %s", k->word);
	}
}

static void fail_range(struct pstate *ps, int line, int key, const char *text)
{
	char range[96], eb[ECHO_MAX + 4];
	describe_range(&keys[key], range, sizeof range);
	parse_fail(ps, line, key, "%s is out of range (%s)", parse_echo(eb, text), range);
}

/* ---- numbers ---------------------------------------------------------- */

/* Decimal integer: optional sign, digits only. 1: ok, 0: not an integer,
 * 2: an integer too large for long long. */
int value_scan_int(const char *s, long long *out)
{
	const char *p = s;
	if (*p == '+' || *p == '-')
		p++;
	if (*p < '0' || *p > '9')
		return 0;
	while (*p >= '0' && *p <= '9')
		p++;
	if (*p)
		return 0;
	errno = 0;
	*out = strtoll(s, NULL, 10);
	return errno == ERANGE ? 2 : 1;
}

static bool is_nonfinite_word(const char *s)
{
	if (*s == '+' || *s == '-')
		s++;
	static const char *const words[] = {"nan", "inf", "infinity"};
	for (size_t i = 0; i < sizeof words / sizeof *words; i++) {
		size_t n = strlen(words[i]);
		if (strncasecmp(s, words[i], n) == 0 && (s[n] == '\0' || s[n] == '('))
			return true;
	}
	return false;
}

/* Plain decimal: [+-] digits [. digits] [e [+-] digits], with digits on at
 * least one side of the point. Rejects hex floats, which strtod would take. */
bool config_is_decimal(const char *s)
{
	const char *p = s;
	int digits = 0;
	if (*p == '+' || *p == '-')
		p++;
	for (; *p >= '0' && *p <= '9'; p++)
		digits++;
	if (*p == '.')
		for (p++; *p >= '0' && *p <= '9'; p++)
			digits++;
	if (digits == 0)
		return false;
	if (*p == 'e' || *p == 'E') {
		p++;
		if (*p == '+' || *p == '-')
			p++;
		if (*p < '0' || *p > '9')
			return false;
		while (*p >= '0' && *p <= '9')
			p++;
	}
	return *p == '\0';
}

bool value_int(struct pstate *ps, int line, int key, const char *text, long long *out)
{
	const struct keyspec *k = &keys[key];
	char eb[ECHO_MAX + 4];
	int r = value_scan_int(text, out);
	if (r == 0) {
		parse_fail(ps, line, key, "'%s' is not an integer", parse_echo(eb, text));
		return false;
	}
	if (r == 2 || *out < k->imin || *out > k->imax) {
		fail_range(ps, line, key, text);
		return false;
	}
	return true;
}

/* *is_word: the key's word (max, auto) was given instead of a number. */
bool value_real(struct pstate *ps, int line, int key, const char *text, double *out, bool *is_word)
{
	const struct keyspec *k = &keys[key];
	char eb[ECHO_MAX + 4];
	*is_word = false;
	if (k->word && strcmp(text, k->word) == 0) {
		*is_word = true;
		return true;
	}
	if (is_nonfinite_word(text)) {
		parse_fail(ps, line, key, "'%s' is not a finite number", parse_echo(eb, text));
		return false;
	}
	if (!config_is_decimal(text)) {
		parse_fail(ps, line, key, "'%s' is not a number", parse_echo(eb, text));
		return false;
	}
	double v = strtod(text, NULL);
	bool low = k->dmin_open ? !(v > k->dmin) : !(v >= k->dmin);
	if (!isfinite(v) || low || v > k->dmax) {
		fail_range(ps, line, key, text);
		return false;
	}
	*out = v;
	return true;
}

static bool parse_enum(struct pstate *ps, int line, int key, const char *text, int *out)
{
	const char *w;
	for (int i = 0; (w = keys_word(key, i)); i++)
		if (strcmp(text, w) == 0) {
			*out = i;
			return true;
		}
	char list[320] = "", eb[ECHO_MAX + 4]; /* every kind's word fits */
	size_t n = 0;
	for (int i = 0; (w = keys_word(key, i)) && n < sizeof list; i++)
		n += (size_t)snprintf(list + n, sizeof list - n, "%s%s", i ? ", " : "", w);
	parse_fail(ps, line, key, "'%s' is not one of %s", parse_echo(eb, text), list);
	return false;
}

/* Comma-separated integers into out (maxlen items). Returns the count, or -1. */
static int list_items(struct pstate *ps, int line, int key, const char *text, long long *out /* (maxlen) */)
{
	const struct keyspec *k = &keys[key];
	char item[VALUE_CAP];
	int count = 0;
	const char *p = text;
	for (;;) {
		const char *comma = strchr(p, ',');
		size_t n = comma ? (size_t)(comma - p) : strlen(p);
		while (n > 0 && (*p == ' ' || *p == '\t')) {
			p++;
			n--;
		}
		while (n > 0 && (p[n - 1] == ' ' || p[n - 1] == '\t'))
			n--;
		count++;
		if (n == 0) {
			parse_fail(ps, line, key, "item %d is empty", count);
			return -1;
		}
		memcpy(item, p, n);
		item[n] = '\0';
		long long v;
		if (!value_int(ps, line, key, item, &v))
			return -1;
		if (count <= k->maxlen)
			out[count - 1] = v;
		if (!comma)
			break;
		p = comma + 1;
	}
	return count;
}

/* A list value: its items, then their count. A value past VALUE_CAP kept
 * only its first pieces: the items complete in them are checked, and the
 * count is the whole value's (ps->pend_commas + 1), never the kept part's. */
static int parse_int_list(struct pstate *ps, int line, int key, char *text, long long *out /* (maxlen) */)
{
	const struct keyspec *k = &keys[key];
	int count;
	if (ps->pend_overflow) {
		char *last = strrchr(text, ','); /* the item after it may go on in what was not kept */
		if (last) {
			*last = '\0';
			if (list_items(ps, line, key, text, out) < 0)
				return -1;
		}
		count = ps->pend_commas + 1;
	} else if ((count = list_items(ps, line, key, text, out)) < 0) {
		return -1;
	}
	if (k->minitems == k->maxlen && count != k->maxlen) {
		parse_fail(ps, line, key, "%d %s%s given, exactly %d needed", count, k->noun, count == 1 ? "" : "s",
			   k->maxlen);
		return -1;
	}
	if (count > k->maxlen) {
		parse_fail(ps, line, key, "%d %ss given, at most %d", count, k->noun, k->maxlen);
		return -1;
	}
	if (ps->pend_overflow) {
		parse_fail(ps, line, key, "longer than %d bytes", VALUE_CAP - 1);
		return -1;
	}
	return count;
}

/* ---- one key's value -------------------------------------------------- */

/* notes: a literal \n ends a paragraph; spaces around it are dropped. */
static void unescape_paragraphs(char *s)
{
	char *w = s;
	for (const char *r = s; *r;) {
		if (r[0] == '\\' && r[1] == 'n') {
			while (w > s && w[-1] == ' ')
				w--;
			*w++ = '\n';
			r += 2;
			while (*r == ' ')
				r++;
		} else {
			*w++ = *r++;
		}
	}
	*w = '\0';
}

static void store_text(struct pstate *ps, int key, int line, char *text)
{
	const struct keyspec *k = &keys[key];
	if (k->flags & KF_PARAGRAPHS)
		unescape_paragraphs(text);
	if (ps->pend_overflow || strlen(text) > (size_t)k->maxlen) {
		parse_fail(ps, line, key, "longer than %d bytes", k->maxlen);
		return;
	}
	memcpy((char *)ps->sc + k->at, text, strlen(text) + 1);
}

/* The value as the table says to store it. */
static void store(struct pstate *ps, int key, int line, char *text)
{
	struct scenario *sc = ps->sc;
	const struct keyspec *k = &keys[key];
	long long iv = 0, list[VALUE_MAX_ITEMS] = {0};
	double dv = 0;
	bool word = false;
	int ev = 0, count = 0;
	if (ps->pend_overflow && (k->type == V_INT || k->type == V_REAL || k->type == V_ENUM)) {
		parse_fail(ps, line, key, "longer than %d bytes", VALUE_CAP - 1);
		return;
	}
	switch (k->type) {
	case V_TEXT:
		store_text(ps, key, line, text);
		break;
	case V_INT:
		if (value_int(ps, line, key, text, &iv))
			keys_store_int(sc, key, 0, iv);
		break;
	case V_REAL:
		if (!value_real(ps, line, key, text, &dv, &word))
			break;
		keys_store_real(sc, key, word ? 0 : dv);
		if (key == KEY_LR)
			ps->lr_auto = word;
		break;
	case V_ENUM:
		if (!parse_enum(ps, line, key, text, &ev))
			break;
		keys_store_int(sc, key, 0, ev);
		if (key == KEY_OPTIMIZER)
			ps->opt_gd = ev == OPT_WORD_GD;
		break;
	case V_LIST:
		count = parse_int_list(ps, line, key, text, list);
		for (int i = 0; i < count; i++)
			keys_store_int(sc, key, i, list[i]);
		if (count > 0 && k->count_at)
			memcpy((char *)sc + k->count_at, &count, sizeof count);
		break;
	}
}

void value_begin(struct pstate *ps, int key, const char *v, size_t n)
{
	ps->pend = key;
	ps->pend_len = 0;
	ps->pend_val[0] = '\0';
	ps->pend_overflow = false;
	ps->pend_commas = 0;
	value_append(ps, v, n);
}

void value_append(struct pstate *ps, const char *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		ps->pend_commas += v[i] == ',';
	if (ps->pend_overflow) /* no later, shorter piece: the value is kept whole or as a prefix */
		return;
	size_t space = ps->pend_len > 0 ? 1 : 0;
	if (ps->pend_len + space + n >= VALUE_CAP) {
		ps->pend_overflow = true;
		return;
	}
	if (space)
		ps->pend_val[ps->pend_len++] = ' ';
	memcpy(ps->pend_val + ps->pend_len, v, n);
	ps->pend_len += n;
	ps->pend_val[ps->pend_len] = '\0';
}

void value_flush(struct pstate *ps)
{
	int key = ps->pend;
	if (key < 0 || ps->failed)
		return;
	ps->pend = -1;
	int line = ps->key_line[key];
	char *text = ps->pend_val;
	if (text[0] == '\0' && !ps->pend_overflow)
		parse_fail(ps, line, key, "empty value");
	else
		store(ps, key, line, text);
}

void value_format_bytes(char *buf, size_t len, size_t bytes, size_t cap)
{
	static const char *const units[] = {"bytes", "KiB", "MiB", "GiB", "TiB"};
	double v = (double)bytes;
	int u = 0;
	while (v >= 1024 && u < 4) {
		v /= 1024;
		u++;
	}
	if (u == 0) {
		snprintf(buf, len, "%zu bytes", bytes);
		return;
	}
	/* Never print an amount over the cap as equal to it. */
	int decimals = v == floor(v) ? 0 : 1;
	if (bytes > cap && round(v * 10) / 10 * pow(1024, u) <= (double)cap)
		decimals = 3;
	snprintf(buf, len, "%.*f %s", decimals, v, units[u]);
}
