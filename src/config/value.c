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

/* Records the first error only: "name[:line]: [section.key: ]message". */
void parse_fail(struct pstate *ps, int line, int key, const char *fmt, ...)
{
	if (ps->failed)
		return;
	ps->failed = true;
	if (!ps->err || ps->errlen == 0)
		return;
	int n;
	const char *ctx = ps->ctx ? ps->ctx : "";
	if (ps->ctx_line > 0)
		line = ps->ctx_line;
	if (ps->bare)
		n = snprintf(ps->err, ps->errlen, "%s", ctx);
	else if (line > 0)
		n = snprintf(ps->err, ps->errlen, "%s:%d: %s", ps->name, line, ctx);
	else if (line < 0) /* a key given by the -line'th --set */
		n = snprintf(ps->err, ps->errlen, "%s: --set:%d: %s", ps->name, -line, ctx);
	else
		n = snprintf(ps->err, ps->errlen, "%s: %s", ps->name, ctx);
	if (n < 0 || (size_t)n >= ps->errlen)
		return;
	if (key >= 0) {
		int m = snprintf(ps->err + n, ps->errlen - (size_t)n, "%s.%s: ", section_names[keys[key].sec],
				 keys[key].name);
		if (m < 0 || (size_t)n + (size_t)m >= ps->errlen)
			return;
		n += m;
	}
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(ps->err + n, ps->errlen - (size_t)n, fmt, ap);
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
bool value_is_decimal(const char *s)
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
	if (!value_is_decimal(text)) {
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
	const char *const *w = keys[key].words;
	for (int i = 0; w[i]; i++)
		if (strcmp(text, w[i]) == 0) {
			*out = i;
			return true;
		}
	char list[160] = "", eb[ECHO_MAX + 4];
	size_t n = 0;
	for (int i = 0; w[i] && n < sizeof list; i++)
		n += (size_t)snprintf(list + n, sizeof list - n, "%s%s", i ? ", " : "", w[i]);
	parse_fail(ps, line, key, "'%s' is not one of %s", parse_echo(eb, text), list);
	return false;
}

/* Comma-separated integers into out (maxlen items). Returns the count, or -1. */
static int parse_int_list(struct pstate *ps, int line, int key, const char *text, long long *out)
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
	if (key == K_WIDTHS && count > k->maxlen) {
		parse_fail(ps, line, key, "%d widths given, at most %d", count, k->maxlen);
		return -1;
	}
	if (key == K_INIT_SEEDS && count != 2) {
		parse_fail(ps, line, key, "%d seed%s given, exactly 2 needed", count, count == 1 ? "" : "s");
		return -1;
	}
	return count;
}

/* ---- one key's value -------------------------------------------------- */

/* notes: a literal \n ends a paragraph; spaces around it are dropped. */
static void unescape_notes(char *s)
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
	struct scenario *sc = ps->sc;
	char *dst = key == K_TITLE ? sc->title : key == K_SUMMARY ? sc->summary : sc->notes;
	if (key == K_NOTES)
		unescape_notes(text);
	if (ps->pend_overflow || strlen(text) > (size_t)keys[key].maxlen) {
		parse_fail(ps, line, key, "longer than %d bytes", keys[key].maxlen);
		return;
	}
	strcpy(dst, text);
}

/* Parses and stores the pending key's value. */
void value_flush(struct pstate *ps)
{
	int key = ps->pend;
	if (key < 0 || ps->failed)
		return;
	ps->pend = -1;
	int line = ps->key_line[key];
	char *text = ps->pend_val;
	struct scenario *sc = ps->sc;
	const struct keyspec *k = &keys[key];
	if (text[0] == '\0') {
		parse_fail(ps, line, key, "empty value");
		return;
	}
	long long iv = 0, list[SCENARIO_MAX_WIDTHS] = {0};
	double dv = 0;
	bool word = false;
	int ev = 0, count = 0;
	switch (k->type) {
	case V_TEXT:
		store_text(ps, key, line, text);
		return;
	case V_INT:
		if (!value_int(ps, line, key, text, &iv))
			return;
		break;
	case V_REAL:
		if (!value_real(ps, line, key, text, &dv, &word))
			return;
		break;
	case V_ENUM:
		if (!parse_enum(ps, line, key, text, &ev))
			return;
		break;
	case V_INT_LIST:
		count = parse_int_list(ps, line, key, text, list);
		if (count < 0)
			return;
		break;
	}
	if (k->type == V_INT || (k->type == V_REAL && !word)) {
		ps->num[key] = k->type == V_INT ? (double)iv : dv; /* a knob's start, for keys key_number lacks */
		ps->num_set[key] = true;
	}
	switch (key) {
	case K_KIND: sc->kind = (enum scenario_kind)ev; break;
	case K_SEED: sc->seed = (uint64_t)iv; break;
	case K_PACE: sc->pace = word ? 0 : dv; break;
	case K_SAMPLES: sc->data.samples = (int)iv; break;
	case K_TEST_SAMPLES: sc->data.test_samples = (int)iv; break;
	case K_DIM: sc->data.dim = (int)iv; break;
	case K_TARGET:
		sc->data.target = ev == 0 ? TARGET_SIN_COS : ev == 1 ? TARGET_SIN3 : ev == 2 ? TARGET_LINEAR : TARGET_TEACHER;
		break;
	case K_NOISE: sc->data.noise = dv; break;
	case K_SIGNAL_DIM: sc->data.signal_dim = (int)iv; break;
	case K_COVARIANCE: sc->data.covariance = ev == 0 ? COV_ISOTROPIC : ev == 1 ? COV_SPIKED : COV_BOTH; break;
	case K_LAMBDA_TAIL: sc->data.lambda_tail = dv; break;
	case K_DEPTH: sc->model.depth = (int)iv; break;
	case K_WIDTHS:
		sc->model.n_widths = count;
		for (int i = 0; i < count; i++)
			sc->model.widths[i] = (int)list[i];
		break;
	case K_INIT: sc->model.init = ev == 0 ? INIT_TORCH_DEFAULT : INIT_NORMAL; break;
	case K_INIT_STD: sc->model.init_std = dv; break;
	case K_INIT_SEEDS:
		sc->model.init_seeds[0] = (uint64_t)list[0];
		sc->model.init_seeds[1] = (uint64_t)list[1];
		break;
	case K_OPTIMIZER:
		/* Gradient descent on the linear model is full-batch SGD. */
		ps->opt_gd = ev == OPT_WORD_GD;
		sc->train.optimizer = ev == OPT_WORD_ADAM ? OPTIM_ADAM : OPTIM_SGD;
		break;
	case K_LR:
		ps->lr_auto = word;
		sc->train.lr = word ? 0 : dv;
		break;
	case K_EPOCHS: sc->train.epochs = (int)iv; break;
	case K_THRESHOLD: sc->train.threshold = dv; break;
	case K_TARGET_LOSS: sc->train.target_loss = dv; break;
	case K_EVAL_EVERY: sc->train.eval_every = (int)iv; break;
	case K_ALPHA_POINTS: sc->train.alpha_points = (int)iv; break;
	case K_FEATURES_FROM: sc->model.features_from = dv; break;
	case K_FEATURES_TO: sc->model.features_to = dv; break;
	case K_FEATURES_POINTS: sc->model.features_points = (int)iv; break;
	case K_RIDGE: sc->train.ridge = dv; break;
	case K_REPEATS: sc->train.repeats = (int)iv; break;
	case K_TEACHER_WIDTH: sc->data.teacher_width = (int)iv; break;
	case K_ROUNDS: sc->train.rounds = (int)iv; break;
	case K_PRUNE: sc->train.prune = dv; break;
	case K_REWIND: sc->train.rewind = (int)iv; break;
	default: break;
	}
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
