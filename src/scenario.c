/* scenario.c: INI scenario files into a validated struct scenario.
 *
 * libinih splits lines into sections, keys and values. It is fed through our
 * own line reader, which counts lines (so every message names one), refuses
 * over-long lines, binary data and invalid UTF-8 before inih sees them, and
 * classifies each line the way inih will, so that a malformed line gets a
 * precise message instead of inih's bare line number. A key's value is kept
 * pending until the next key, section or end of file, because indented lines
 * continue it (inih's multi-line values); only then is it parsed and
 * range-checked. Cross-field checks and the memory cap come last.
 *
 * Parsing runs under the "C" locale (uselocale), so a comma-decimal locale
 * set by the UI can neither break "0.01" nor change the messages. */
#include <errno.h>
#include <fcntl.h>
#include <locale.h>
#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <ini.h>

#include "overparam/scenario.h"

#define LINE_CAP 1024     /* our own line buffer; inih's buffer is usually smaller */
#define VALUE_CAP 4096    /* a value with all its continuation lines */
#define ECHO_MAX 40       /* bytes of a bad value quoted back in a message */
#define SEED_MAX 9007199254740991LL /* 2^53 - 1: a seed travels in records as a double */

enum section { SEC_SCENARIO, SEC_DATA, SEC_MODEL, SEC_TRAIN, SEC_COUNT };

static const char *const section_names[SEC_COUNT] = {"scenario", "data", "model", "train"};

enum key {
	K_KIND, K_TITLE, K_SUMMARY, K_NOTES, K_SEED, K_PACE,
	K_SAMPLES, K_TEST_SAMPLES, K_DIM, K_TARGET, K_NOISE, K_SIGNAL_DIM, K_COVARIANCE, K_LAMBDA_TAIL,
	K_DEPTH, K_WIDTHS, K_INIT, K_INIT_STD, K_INIT_SEEDS,
	K_OPTIMIZER, K_LR, K_EPOCHS, K_THRESHOLD, K_TARGET_LOSS, K_EVAL_EVERY, K_ALPHA_POINTS,
	K_COUNT
};

enum vtype { V_TEXT, V_INT, V_REAL, V_ENUM, V_INT_LIST };

/* Words of the enum keys, in the order of their C enums (optimizer: sgd and
 * adam are enum optim_kind, gd is plain gradient descent for the linear kind). */
static const char *const kind_words[] = {"width_sweep", "mode_connectivity", "benign_overfitting", NULL};
static const char *const target_words[] = {"sin_cos", "sin3", "linear", NULL};
static const char *const covariance_words[] = {"isotropic", "spiked", NULL};
static const char *const init_words[] = {"torch_default", "normal", NULL};
static const char *const optimizer_words[] = {"sgd", "adam", "gd", NULL};
enum { OPT_WORD_SGD, OPT_WORD_ADAM, OPT_WORD_GD };

struct keyspec {
	enum section sec;
	const char *name;
	enum vtype type;
	long long imin, imax;      /* V_INT, V_INT_LIST items */
	double dmin, dmax;         /* V_REAL: dmin < v (open) or dmin <= v, v <= dmax */
	bool dmin_open;
	const char *word;          /* V_REAL: a word accepted instead of a number */
	const char *const *words;  /* V_ENUM */
	int maxlen;                /* V_TEXT: bytes; V_INT_LIST: items */
	int minitems;              /* V_INT_LIST */
};

static const struct keyspec keys[K_COUNT] = {
	[K_KIND] = {SEC_SCENARIO, "kind", V_ENUM, .words = kind_words},
	[K_TITLE] = {SEC_SCENARIO, "title", V_TEXT, .maxlen = (int)sizeof(((struct scenario *)0)->title) - 1},
	[K_SUMMARY] = {SEC_SCENARIO, "summary", V_TEXT, .maxlen = (int)sizeof(((struct scenario *)0)->summary) - 1},
	[K_NOTES] = {SEC_SCENARIO, "notes", V_TEXT, .maxlen = (int)sizeof(((struct scenario *)0)->notes) - 1},
	[K_SEED] = {SEC_SCENARIO, "seed", V_INT, .imin = 0, .imax = SEED_MAX},
	[K_PACE] = {SEC_SCENARIO, "pace", V_REAL, .dmin = 0.1, .dmax = 100000, .word = "max"},
	[K_SAMPLES] = {SEC_DATA, "samples", V_INT, .imin = 1, .imax = 100000},
	[K_TEST_SAMPLES] = {SEC_DATA, "test_samples", V_INT, .imin = 0, .imax = 100000},
	[K_DIM] = {SEC_DATA, "dim", V_INT, .imin = 1, .imax = 10000},
	[K_TARGET] = {SEC_DATA, "target", V_ENUM, .words = target_words},
	[K_NOISE] = {SEC_DATA, "noise", V_REAL, .dmin = 0, .dmax = 100},
	[K_SIGNAL_DIM] = {SEC_DATA, "signal_dim", V_INT, .imin = 1, .imax = 10000},
	[K_COVARIANCE] = {SEC_DATA, "covariance", V_ENUM, .words = covariance_words},
	[K_LAMBDA_TAIL] = {SEC_DATA, "lambda_tail", V_REAL, .dmin = 0, .dmax = 1, .dmin_open = true},
	[K_DEPTH] = {SEC_MODEL, "depth", V_INT, .imin = 1, .imax = 8},
	[K_WIDTHS] = {SEC_MODEL, "widths", V_INT_LIST, .imin = 1, .imax = 4096, .maxlen = SCENARIO_MAX_WIDTHS,
		      .minitems = 1},
	[K_INIT] = {SEC_MODEL, "init", V_ENUM, .words = init_words},
	[K_INIT_STD] = {SEC_MODEL, "init_std", V_REAL, .dmin = 0, .dmax = 10, .dmin_open = true},
	[K_INIT_SEEDS] = {SEC_MODEL, "init_seeds", V_INT_LIST, .imin = 0, .imax = SEED_MAX, .maxlen = 2, .minitems = 2},
	[K_OPTIMIZER] = {SEC_TRAIN, "optimizer", V_ENUM, .words = optimizer_words},
	[K_LR] = {SEC_TRAIN, "lr", V_REAL, .dmin = 0, .dmax = 100, .dmin_open = true, .word = "auto"},
	[K_EPOCHS] = {SEC_TRAIN, "epochs", V_INT, .imin = 1, .imax = SCENARIO_MAX_EPOCHS},
	[K_THRESHOLD] = {SEC_TRAIN, "threshold", V_REAL, .dmin = 0, .dmax = 1000000},
	[K_TARGET_LOSS] = {SEC_TRAIN, "target_loss", V_REAL, .dmin = 0, .dmax = 1000000},
	[K_EVAL_EVERY] = {SEC_TRAIN, "eval_every", V_INT, .imin = 1, .imax = SCENARIO_MAX_EPOCHS},
	[K_ALPHA_POINTS] = {SEC_TRAIN, "alpha_points", V_INT, .imin = 2, .imax = SCENARIO_MAX_ALPHA},
};

/* Where lines come from: a buffer in memory or an open file. */
struct source {
	const unsigned char *mem;
	size_t len, pos;
	FILE *fp;
};

struct pstate {
	struct scenario *sc;
	const char *name;          /* the file, as named in messages */
	struct source src;
	char *err;
	size_t errlen;
	bool failed;               /* an error is recorded: feed inih no more lines */
	int lineno;                /* lines handed to inih so far */
	int nonblank;              /* lines with anything but whitespace */
	bool cont;                 /* the current line continues the pending value */
	bool have_prev_key;        /* inih's "prev_name": indented lines continue it */
	char line[LINE_CAP + 1];
	int sec_line[SEC_COUNT];   /* line of each section header, 0 = absent */
	int key_line[K_COUNT];     /* line where each key was set, 0 = default */
	int pend;                  /* key whose value is being collected, -1 = none */
	char pend_val[VALUE_CAP];
	size_t pend_len;
	bool pend_overflow;
	bool lr_auto;              /* lr = auto, or lr left to its default under gd */
	bool opt_gd;               /* optimizer = gd */
};

static void fail(struct pstate *ps, int line, int key, const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* Records the first error only: "name[:line]: [section.key: ]message". */
static void fail(struct pstate *ps, int line, int key, const char *fmt, ...)
{
	if (ps->failed)
		return;
	ps->failed = true;
	if (!ps->err || ps->errlen == 0)
		return;
	int n;
	if (line > 0)
		n = snprintf(ps->err, ps->errlen, "%s:%d: ", ps->name, line);
	else
		n = snprintf(ps->err, ps->errlen, "%s: ", ps->name);
	if (n < 0 || (size_t)n >= ps->errlen)
		return;
	if (key >= 0) {
		int m = snprintf(ps->err + n, ps->errlen - (size_t)n, "%s.%s: ", section_names[keys[key].sec],
				 keys[key].name);
		if (m < 0 || (size_t)(n + m) >= ps->errlen)
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
static const char *echo(char *buf /* (ECHO_MAX + 4) */, const char *v)
{
	size_t n = strlen(v);
	if (n <= ECHO_MAX)
		return v;
	n = ECHO_MAX;
	while (n > 0 && ((unsigned char)v[n] & 0xC0) == 0x80)
		n--;
	memcpy(buf, v, n);
	memcpy(buf + n, "...", 4);
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
	fail(ps, line, key, "%s is out of range (%s)", echo(eb, text), range);
}

/* ---- numbers ---------------------------------------------------------- */

/* Decimal integer: optional sign, digits only. 1: ok, 0: not an integer,
 * 2: an integer too large for long long. */
static int scan_int(const char *s, long long *out)
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
static bool is_decimal(const char *s)
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

static bool parse_int(struct pstate *ps, int line, int key, const char *text, long long *out)
{
	const struct keyspec *k = &keys[key];
	char eb[ECHO_MAX + 4];
	int r = scan_int(text, out);
	if (r == 0) {
		fail(ps, line, key, "'%s' is not an integer", echo(eb, text));
		return false;
	}
	if (r == 2 || *out < k->imin || *out > k->imax) {
		fail_range(ps, line, key, text);
		return false;
	}
	return true;
}

/* *is_word: the key's word (max, auto) was given instead of a number. */
static bool parse_real(struct pstate *ps, int line, int key, const char *text, double *out, bool *is_word)
{
	const struct keyspec *k = &keys[key];
	char eb[ECHO_MAX + 4];
	*is_word = false;
	if (k->word && strcmp(text, k->word) == 0) {
		*is_word = true;
		return true;
	}
	if (is_nonfinite_word(text)) {
		fail(ps, line, key, "'%s' is not a finite number", echo(eb, text));
		return false;
	}
	if (!is_decimal(text)) {
		fail(ps, line, key, "'%s' is not a number", echo(eb, text));
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
	fail(ps, line, key, "'%s' is not one of %s", echo(eb, text), list);
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
			fail(ps, line, key, "item %d is empty", count);
			return -1;
		}
		memcpy(item, p, n);
		item[n] = '\0';
		long long v;
		if (!parse_int(ps, line, key, item, &v))
			return -1;
		if (count <= k->maxlen)
			out[count - 1] = v;
		if (!comma)
			break;
		p = comma + 1;
	}
	if (key == K_WIDTHS && count > k->maxlen) {
		fail(ps, line, key, "%d widths given, at most %d", count, k->maxlen);
		return -1;
	}
	if (key == K_INIT_SEEDS && count != 2) {
		fail(ps, line, key, "%d seed%s given, exactly 2 needed", count, count == 1 ? "" : "s");
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
		fail(ps, line, key, "longer than %d bytes", keys[key].maxlen);
		return;
	}
	strcpy(dst, text);
}

/* Parses and stores the pending key's value. */
static void flush_pending(struct pstate *ps)
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
		fail(ps, line, key, "empty value");
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
		if (!parse_int(ps, line, key, text, &iv))
			return;
		break;
	case V_REAL:
		if (!parse_real(ps, line, key, text, &dv, &word))
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
	switch (key) {
	case K_KIND: sc->kind = (enum scenario_kind)ev; break;
	case K_SEED: sc->seed = (uint64_t)iv; break;
	case K_PACE: sc->pace = word ? 0 : dv; break;
	case K_SAMPLES: sc->data.samples = (int)iv; break;
	case K_TEST_SAMPLES: sc->data.test_samples = (int)iv; break;
	case K_DIM: sc->data.dim = (int)iv; break;
	case K_TARGET:
		sc->data.target = ev == 0 ? TARGET_SIN_COS : ev == 1 ? TARGET_SIN3 : TARGET_LINEAR;
		break;
	case K_NOISE: sc->data.noise = dv; break;
	case K_SIGNAL_DIM: sc->data.signal_dim = (int)iv; break;
	case K_COVARIANCE: sc->data.covariance = ev == 0 ? COV_ISOTROPIC : COV_SPIKED; break;
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
	default: break;
	}
}

/* ---- the line reader -------------------------------------------------- */

static int source_getc(struct source *s)
{
	if (s->fp)
		return getc(s->fp);
	return s->pos < s->len ? s->mem[s->pos++] : EOF;
}

static int source_peek(struct source *s)
{
	if (s->fp) {
		int c = getc(s->fp);
		if (c != EOF)
			ungetc(c, s->fp);
		return c;
	}
	return s->pos < s->len ? s->mem[s->pos] : EOF;
}

/* UTF-8 well-formedness, one byte at a time (no overlongs, no surrogates,
 * nothing above U+10FFFF). */
struct utf8 {
	int need;
	unsigned char lo, hi;
};

static bool utf8_step(struct utf8 *u, unsigned char c)
{
	if (u->need > 0) {
		if (c < u->lo || c > u->hi)
			return false;
		u->need--;
		u->lo = 0x80;
		u->hi = 0xBF;
		return true;
	}
	u->lo = 0x80;
	u->hi = 0xBF;
	if (c < 0x80)
		return true;
	if (c >= 0xC2 && c <= 0xDF)
		u->need = 1;
	else if (c == 0xE0)
		u->need = 2, u->lo = 0xA0;
	else if (c == 0xED)
		u->need = 2, u->hi = 0x9F;
	else if (c >= 0xE1 && c <= 0xEF)
		u->need = 2;
	else if (c == 0xF0)
		u->need = 3, u->lo = 0x90;
	else if (c >= 0xF1 && c <= 0xF3)
		u->need = 3;
	else if (c == 0xF4)
		u->need = 3, u->hi = 0x8F;
	else
		return false;
	return true;
}

/* Reads one line (without its newline or a CR before it) into ps->line.
 * Returns its length, -1 at end of input, -2 after recording an error. */
static int read_line(struct pstate *ps, int limit)
{
	struct source *s = &ps->src;
	struct utf8 u = {0, 0x80, 0xBF};
	int n = 0, seq_col = 0, c = source_getc(s);
	int line = ps->lineno + 1;
	if (c == EOF) {
		if (s->fp && ferror(s->fp)) {
			fail(ps, 0, -1, "cannot read: %s", strerror(errno));
			return -2;
		}
		return -1;
	}
	for (; c != EOF && c != '\n'; c = source_getc(s)) {
		if (c == '\r' && (source_peek(s) == '\n' || source_peek(s) == EOF))
			continue;
		if ((c < 0x20 && c != '\t') || c == 0x7F) {
			fail(ps, line, -1, "control character 0x%02x at column %d (not a text file?)", (unsigned)c, n + 1);
			return -2;
		}
		if (u.need == 0)
			seq_col = n + 1; /* a broken sequence is reported where it starts */
		if (!utf8_step(&u, (unsigned char)c)) {
			fail(ps, line, -1, "not valid UTF-8 text at column %d", seq_col);
			return -2;
		}
		if (n >= limit) {
			fail(ps, line, -1, "line longer than %d bytes", limit);
			return -2;
		}
		ps->line[n++] = (char)c;
	}
	if (u.need > 0) {
		fail(ps, line, -1, "not valid UTF-8 text at column %d", seq_col);
		return -2;
	}
	if (c == EOF && s->fp && ferror(s->fp)) {
		fail(ps, 0, -1, "cannot read: %s", strerror(errno));
		return -2;
	}
	ps->line[n] = '\0';
	return n;
}

static bool is_blank(int c)
{
	return c == ' ' || c == '\t';
}

/* As inih's find_chars_or_comment: the first of `chars`, or an inline
 * comment (';' after whitespace), or the end. */
static const char *find_stop(const char *s, const char *chars)
{
	bool was_space = false;
	while (*s && !strchr(chars, *s) && !(was_space && *s == ';')) {
		was_space = is_blank((unsigned char)*s);
		s++;
	}
	return s;
}

static int section_of(const char *name, size_t n)
{
	for (int i = 0; i < SEC_COUNT; i++)
		if (strlen(section_names[i]) == n && memcmp(section_names[i], name, n) == 0)
			return i;
	return -1;
}

/* Sorts the line as inih will: blank or comment, continuation, section
 * header, key line. Returns false after recording an error. */
static bool classify_line(struct pstate *ps)
{
	const char *start = ps->line;
	int line = ps->lineno + 1;
	ps->cont = false;
	if (line == 1 && memcmp(start, "\xEF\xBB\xBF", 3) == 0)
		start += 3; /* inih skips a UTF-8 byte order mark */
	const char *t = start;
	while (is_blank((unsigned char)*t))
		t++;
	if (*t == '\0')
		return true;
	ps->nonblank++;
	if (*t == ';' || *t == '#')
		return true;
	if (t > ps->line && ps->have_prev_key) {
		ps->cont = true;
		return true;
	}
	/* A new key or section ends the pending value: check it first, so
	 * errors come in file order. */
	flush_pending(ps);
	if (ps->failed)
		return false;
	if (*t == '[') {
		const char *end = find_stop(t + 1, "]");
		if (*end != ']') {
			fail(ps, line, -1, "section header has no closing ]");
			return false;
		}
		const char *after = end + 1;
		while (is_blank((unsigned char)*after))
			after++;
		if (*after && *after != ';' && *after != '#') {
			fail(ps, line, -1, "unexpected text after ] in section header");
			return false;
		}
		size_t n = (size_t)(end - (t + 1));
		int sec = section_of(t + 1, n);
		if (sec < 0) {
			fail(ps, line, -1, "unknown section [%.*s] (expected [scenario], [data], [model] or [train])",
			     (int)(n > ECHO_MAX ? ECHO_MAX : n), t + 1);
			return false;
		}
		if (ps->sec_line[sec]) {
			fail(ps, line, -1, "section [%s] appears twice (first at line %d)", section_names[sec],
			     ps->sec_line[sec]);
			return false;
		}
		ps->sec_line[sec] = line;
		ps->have_prev_key = false;
		return true;
	}
	const char *end = find_stop(t, "=:");
	if (*end != '=' && *end != ':') {
		fail(ps, line, -1, "expected 'key = value', '[section]' or a comment");
		return false;
	}
	ps->have_prev_key = true;
	return true;
}

static char *scenario_reader(char *str, int num, void *stream)
{
	struct pstate *ps = stream;
	if (ps->failed)
		return NULL;
	/* inih needs room for CR, LF and NUL after the longest line. */
	int limit = num - 3 < LINE_CAP ? num - 3 : LINE_CAP;
	if (limit < 1)
		return NULL;
	int n = read_line(ps, limit);
	if (n < 0)
		return NULL;
	if (!classify_line(ps))
		return NULL;
	ps->lineno++;
	memcpy(str, ps->line, (size_t)n);
	str[n] = '\n';
	str[n + 1] = '\0';
	return str;
}

static void append_pending(struct pstate *ps, const char *v, bool space)
{
	size_t n = strlen(v);
	size_t need = ps->pend_len + (space ? 1 : 0) + n;
	if (need >= VALUE_CAP) {
		ps->pend_overflow = true;
		return;
	}
	if (space)
		ps->pend_val[ps->pend_len++] = ' ';
	memcpy(ps->pend_val + ps->pend_len, v, n + 1);
	ps->pend_len += n;
}

static int scenario_handler(void *user, const char *section, const char *name, const char *value)
{
	struct pstate *ps = user;
	int line = ps->lineno;
	if (ps->failed)
		return 1;
	if (ps->cont) {
		/* An indented line: one more piece of the pending value. */
		if (ps->pend >= 0)
			append_pending(ps, value, ps->pend_len > 0);
		return 1;
	}
	char eb[ECHO_MAX + 4];
	if (name[0] == '\0') {
		fail(ps, line, -1, "key name missing before =");
		return 1;
	}
	int sec = section_of(section, strlen(section));
	if (sec < 0) {
		fail(ps, line, -1, "%s: set before any [section]", echo(eb, name));
		return 1;
	}
	int key = -1;
	for (int k = 0; k < K_COUNT; k++)
		if ((int)keys[k].sec == sec && strcmp(keys[k].name, name) == 0)
			key = k;
	if (key < 0) {
		char list[200] = "";
		size_t n = 0;
		for (int k = 0; k < K_COUNT && n < sizeof list; k++)
			if ((int)keys[k].sec == sec)
				n += (size_t)snprintf(list + n, sizeof list - n, "%s%s", n ? ", " : "", keys[k].name);
		fail(ps, line, -1, "%s.%s: unknown key (keys of [%s]: %s)", section_names[sec], echo(eb, name),
		     section_names[sec], list);
		return 1;
	}
	if (ps->key_line[key]) {
		fail(ps, line, key, "set twice (first at line %d)", ps->key_line[key]);
		return 1;
	}
	ps->key_line[key] = line;
	ps->pend = key;
	ps->pend_len = 0;
	ps->pend_val[0] = '\0';
	ps->pend_overflow = false;
	append_pending(ps, value, false);
	return 1;
}

/* ---- defaults and validation ------------------------------------------ */

static void set_defaults(struct scenario *sc)
{
	memset(sc, 0, sizeof *sc);
	sc->kind = KIND_WIDTH_SWEEP;
	sc->seed = 42;
	sc->pace = 200;
	sc->data.test_samples = 0;
	sc->data.target = TARGET_SIN_COS;
	sc->data.noise = 0;
	sc->data.signal_dim = 10;
	sc->data.covariance = COV_ISOTROPIC;
	sc->data.lambda_tail = 1;
	sc->model.depth = 2;
	sc->model.init = INIT_TORCH_DEFAULT;
	sc->model.init_std = 0.1;
	sc->model.init_seeds[0] = 1;
	sc->model.init_seeds[1] = 2;
	sc->train.optimizer = OPTIM_SGD;
	sc->train.lr = 0.01;
	sc->train.threshold = 0;
	sc->train.target_loss = 0;
	sc->train.eval_every = 5;
	sc->train.alpha_points = 21;
}

/* The line to blame for a key: where it was set, else its section header,
 * else line 1. */
static int line_of(const struct pstate *ps, int key)
{
	if (ps->key_line[key])
		return ps->key_line[key];
	if (ps->sec_line[keys[key].sec])
		return ps->sec_line[keys[key].sec];
	return 1;
}

static bool check_required(struct pstate *ps, int key)
{
	if (ps->key_line[key])
		return true;
	int sec = (int)keys[key].sec;
	if (ps->sec_line[sec])
		fail(ps, ps->sec_line[sec], key, "required key is missing");
	else
		fail(ps, 1, key, "required key is missing (no [%s] section)", section_names[sec]);
	return false;
}

/* A key the kind (or another setting) ignores is an error: a teacher who
 * sets it expects it to change something. */
static bool check_unused(struct pstate *ps, int key, const char *why)
{
	if (!ps->key_line[key])
		return true;
	fail(ps, ps->key_line[key], key, "has no effect with %s", why);
	return false;
}

static void format_bytes(char *buf, size_t len, size_t bytes, size_t cap)
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

static void validate(struct pstate *ps)
{
	struct scenario *sc = ps->sc;
	static const int required[] = {K_KIND, K_TITLE, K_SAMPLES, K_DIM, K_EPOCHS};
	for (size_t i = 0; i < sizeof required / sizeof *required; i++)
		if (!check_required(ps, required[i]))
			return;
	bool linear = sc->kind == KIND_BENIGN_OVERFITTING;
	bool mc = sc->kind == KIND_MODE_CONNECTIVITY;
	if (!linear && !check_required(ps, K_WIDTHS))
		return;

	/* Defaults that depend on the kind. */
	if (!ps->key_line[K_TARGET])
		sc->data.target = linear ? TARGET_LINEAR : mc ? TARGET_SIN3 : TARGET_SIN_COS;
	if (!ps->key_line[K_OPTIMIZER]) {
		ps->opt_gd = linear;
		sc->train.optimizer = mc ? OPTIM_ADAM : OPTIM_SGD;
	}
	if (!ps->key_line[K_LR] && ps->opt_gd) {
		ps->lr_auto = true;
		sc->train.lr = 0;
	}

	char why[64];
	snprintf(why, sizeof why, "kind %s", scenario_kind_name(sc->kind));
	if (linear) {
		static const int mlp_only[] = {K_DEPTH, K_WIDTHS, K_INIT, K_INIT_STD, K_INIT_SEEDS};
		for (size_t i = 0; i < sizeof mlp_only / sizeof *mlp_only; i++)
			if (!check_unused(ps, mlp_only[i], why))
				return;
	} else {
		static const int linear_only[] = {K_SIGNAL_DIM, K_COVARIANCE, K_LAMBDA_TAIL};
		for (size_t i = 0; i < sizeof linear_only / sizeof *linear_only; i++)
			if (!check_unused(ps, linear_only[i], why))
				return;
		if (!mc && !check_unused(ps, K_INIT_SEEDS, why))
			return;
	}
	/* What the experiments read today: only the width sweep marks a
	 * convergence epoch, only mode connectivity stops early or has an alpha
	 * grid, and it has no test set; the linear kind evaluates every epoch. */
	if (sc->kind != KIND_WIDTH_SWEEP && !check_unused(ps, K_THRESHOLD, why))
		return;
	if (!mc && (!check_unused(ps, K_TARGET_LOSS, why) || !check_unused(ps, K_ALPHA_POINTS, why)))
		return;
	if (mc && !check_unused(ps, K_TEST_SAMPLES, why))
		return;
	if (linear && !check_unused(ps, K_EVAL_EVERY, why))
		return;
	if (sc->model.init == INIT_TORCH_DEFAULT && !check_unused(ps, K_INIT_STD, "init torch_default"))
		return;
	if (sc->data.covariance == COV_ISOTROPIC && !check_unused(ps, K_LAMBDA_TAIL, "covariance isotropic"))
		return;

	/* Cross-field checks. */
	if (linear && sc->data.target != TARGET_LINEAR) {
		fail(ps, line_of(ps, K_TARGET), K_TARGET, "kind benign_overfitting takes only target linear");
		return;
	}
	if (!linear && sc->data.target == TARGET_LINEAR) {
		fail(ps, line_of(ps, K_TARGET), K_TARGET, "linear is only for kind benign_overfitting");
		return;
	}
	if (sc->data.target == TARGET_SIN_COS && sc->data.dim < 10) {
		fail(ps, line_of(ps, K_DIM), K_DIM, "target sin_cos needs dim >= 10, got %d", sc->data.dim);
		return;
	}
	if (sc->data.target == TARGET_SIN3 && sc->data.dim < 3) {
		fail(ps, line_of(ps, K_DIM), K_DIM, "target sin3 needs dim >= 3, got %d", sc->data.dim);
		return;
	}
	if (linear && sc->data.signal_dim > sc->data.dim) {
		int key_set = ps->key_line[K_SIGNAL_DIM] ? K_SIGNAL_DIM : K_DIM;
		fail(ps, line_of(ps, key_set), K_SIGNAL_DIM, "%d%s is more than data.dim (%d)", sc->data.signal_dim,
		     ps->key_line[K_SIGNAL_DIM] ? "" : " (the default)", sc->data.dim);
		return;
	}
	if (mc && sc->model.n_widths != 1) {
		fail(ps, line_of(ps, K_WIDTHS), K_WIDTHS, "kind mode_connectivity takes exactly one width, got %d",
		     sc->model.n_widths);
		return;
	}
	if (linear && !ps->opt_gd) {
		fail(ps, line_of(ps, K_OPTIMIZER), K_OPTIMIZER, "kind benign_overfitting trains with gd, not %s",
		     sc->train.optimizer == OPTIM_ADAM ? "adam" : "sgd");
		return;
	}
	if (!linear && ps->opt_gd) {
		fail(ps, line_of(ps, K_OPTIMIZER), K_OPTIMIZER, "gd is only for kind benign_overfitting (use sgd or adam)");
		return;
	}
	if (ps->lr_auto && !ps->opt_gd) {
		fail(ps, line_of(ps, K_LR), K_LR, "auto is only for optimizer gd");
		return;
	}

	size_t need = scenario_memory(sc);
	if (need > SCENARIO_MEMORY_CAP) {
		int key = K_WIDTHS;
		if (linear) {
			double n = sc->data.samples, nt = sc->data.test_samples, p = sc->data.dim;
			key = nt * p > n * p + n * n ? K_TEST_SAMPLES : K_SAMPLES;
		}
		char have[32], cap[32];
		format_bytes(have, sizeof have, need, SCENARIO_MEMORY_CAP);
		format_bytes(cap, sizeof cap, SCENARIO_MEMORY_CAP, SCENARIO_MEMORY_CAP);
		fail(ps, line_of(ps, key), key, "needs %s, over the %s cap", have, cap);
	}
}

/* ---- entry points ----------------------------------------------------- */

static int parse_source(struct pstate *ps)
{
	int rc = ini_parse_stream(scenario_reader, ps, scenario_handler, ps);
	if (!ps->failed) {
		flush_pending(ps);
		if (!ps->failed && rc == -2)
			fail(ps, 0, -1, "out of memory");
		else if (!ps->failed && rc > 0) /* inih saw what our reader did not */
			fail(ps, rc, -1, "malformed line");
	}
	if (!ps->failed && ps->nonblank == 0)
		fail(ps, 0, -1, "empty file: no [scenario] section");
	if (!ps->failed)
		validate(ps);
	return ps->failed ? -1 : 0;
}

static void pstate_init(struct pstate *ps, const char *name, struct scenario *sc, char *err, size_t errlen)
{
	memset(ps, 0, sizeof *ps);
	ps->sc = sc;
	ps->name = name ? name : "(scenario)";
	ps->err = err;
	ps->errlen = errlen;
	ps->pend = -1;
	if (err && errlen)
		err[0] = '\0';
	set_defaults(sc);
	snprintf(sc->path, sizeof sc->path, "%s", ps->name);
}

/* Switches this thread to the "C" locale; leave_c_locale switches back. */
static locale_t enter_c_locale(locale_t *old)
{
	locale_t c = newlocale(LC_ALL_MASK, "C", (locale_t)0);
	*old = c ? uselocale(c) : (locale_t)0;
	return c;
}

static void leave_c_locale(locale_t c, locale_t old)
{
	if (c) {
		uselocale(old);
		freelocale(c);
	}
}

int scenario_parse(const char *text, size_t len, const char *name, struct scenario *sc, char *err, size_t errlen)
{
	/* Large: the pending value and line buffers. */
	struct pstate *ps = malloc(sizeof *ps);
	if (!ps) {
		if (err && errlen)
			snprintf(err, errlen, "%s: out of memory", name ? name : "(scenario)");
		return -1;
	}
	locale_t old, c = enter_c_locale(&old);
	pstate_init(ps, name, sc, err, errlen);
	ps->src.mem = (const unsigned char *)(text ? text : "");
	ps->src.len = text ? len : 0;
	int rc = parse_source(ps);
	leave_c_locale(c, old);
	free(ps);
	return rc;
}

int scenario_load(const char *path, struct scenario *sc, char *err, size_t errlen)
{
	struct pstate *ps = malloc(sizeof *ps);
	if (!ps) {
		if (err && errlen)
			snprintf(err, errlen, "%s: out of memory", path);
		return -1;
	}
	locale_t old, c = enter_c_locale(&old);
	pstate_init(ps, path, sc, err, errlen);
	int rc = -1;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	struct stat st;
	if (fd < 0) {
		fail(ps, 0, -1, "cannot open: %s", strerror(errno));
	} else if (fstat(fd, &st) != 0) {
		fail(ps, 0, -1, "cannot read: %s", strerror(errno));
		close(fd);
	} else if (S_ISDIR(st.st_mode)) {
		fail(ps, 0, -1, "is a directory");
		close(fd);
	} else {
		FILE *fp = fdopen(fd, "rb");
		if (!fp) {
			fail(ps, 0, -1, "cannot open: %s", strerror(errno));
			close(fd);
		} else {
			ps->src.fp = fp;
			rc = parse_source(ps);
			fclose(fp);
		}
	}
	leave_c_locale(c, old);
	free(ps);
	return rc;
}

/* ---- memory estimate -------------------------------------------------- */

/* One MLP in float32: parameters and gradients (and Adam's two moments),
 * activations and backward scratch for `rows` rows of every layer (input
 * included, x3). Doubles, so huge shapes cannot overflow. */
static double mlp_estimate(const struct scenario *sc, int width, double rows, bool adam)
{
	double params = 0, units = sc->data.dim + 1.0;
	int prev = sc->data.dim;
	for (int l = 0; l < sc->model.depth; l++) {
		params += (double)width * (prev + 1.0);
		prev = width;
		units += width;
	}
	params += prev + 1.0;
	double floats = params * (adam ? 4 : 2) + 3 * rows * units;
	return floats * sizeof(float);
}

size_t scenario_memory(const struct scenario *sc)
{
	double n = sc->data.samples, nt = sc->data.test_samples, d = sc->data.dim;
	double bytes = 0;
	switch (sc->kind) {
	case KIND_WIDTH_SWEEP:
	case KIND_MODE_CONNECTIVITY: {
		double rows = n > nt ? n : nt;
		bool adam = sc->train.optimizer == OPTIM_ADAM;
		bytes = (n * (d + 1) + nt * (d + 1)) * sizeof(float);
		if (sc->kind == KIND_WIDTH_SWEEP) {
			for (int i = 0; i < sc->model.n_widths; i++)
				bytes += mlp_estimate(sc, sc->model.widths[i], rows, adam);
		} else if (sc->model.n_widths > 0) {
			/* Two trained nets and one scratch net for theta(alpha). */
			bytes += 2 * mlp_estimate(sc, sc->model.widths[0], rows, adam);
			bytes += mlp_estimate(sc, sc->model.widths[0], rows, false);
		}
		break;
	}
	case KIND_BENIGN_OVERFITTING:
		/* X, X_test (at least one row), Gram matrix and its work vector,
		 * teacher, theta, min-norm theta, a difference, labels, residuals. */
		bytes = (n * d + (nt + 1) * d + n * n + 5 * d + 4 * n + 3 * nt) * sizeof(double);
		break;
	default:
		return 0;
	}
	/* A little over: allocator rounding, alignment, LAPACK workspaces. */
	bytes += bytes / 16 + 65536;
	if (bytes >= (double)SIZE_MAX)
		return SIZE_MAX;
	return (size_t)bytes;
}

const char *scenario_kind_name(enum scenario_kind k)
{
	if ((unsigned)k >= KIND_COUNT)
		return "unknown";
	return kind_words[k];
}
