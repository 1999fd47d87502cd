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

enum section { SEC_SCENARIO, SEC_DATA, SEC_MODEL, SEC_TRAIN, SEC_KNOBS, SEC_COUNT };

static const char *const section_names[SEC_COUNT] = {"scenario", "data", "model", "train", "knobs"};

enum key {
	K_KIND, K_TITLE, K_SUMMARY, K_NOTES, K_SEED, K_PACE,
	K_SAMPLES, K_TEST_SAMPLES, K_DIM, K_TARGET, K_NOISE, K_SIGNAL_DIM, K_COVARIANCE, K_LAMBDA_TAIL,
	K_DEPTH, K_WIDTHS, K_INIT, K_INIT_STD, K_INIT_SEEDS,
	K_OPTIMIZER, K_LR, K_EPOCHS, K_THRESHOLD, K_TARGET_LOSS, K_EVAL_EVERY, K_ALPHA_POINTS,
	K_FEATURES_FROM, K_FEATURES_TO, K_FEATURES_POINTS, K_RIDGE, K_REPEATS,
	K_TEACHER_WIDTH, K_ROUNDS, K_PRUNE, K_REWIND,
	K_COUNT
};

enum vtype { V_TEXT, V_INT, V_REAL, V_ENUM, V_INT_LIST };

/* Words of the enum keys, in the order of their C enums (optimizer: sgd and
 * adam are enum optim_kind, gd is plain gradient descent for the linear kind). */
static const char *const kind_words[] = {"width_sweep", "mode_connectivity", "benign_overfitting", "double_descent",
					 "lazy_training", "lottery_ticket", "permutation_alignment", "curved_path",
					 "barrier_width", NULL};
static const char *const target_words[] = {"sin_cos", "sin3", "linear", "teacher", NULL};
static const char *const covariance_words[] = {"isotropic", "spiked", "both", NULL};
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
	[K_FEATURES_FROM] = {SEC_MODEL, "features_from", V_REAL, .dmin = 0, .dmax = 1, .dmin_open = true},
	[K_FEATURES_TO] = {SEC_MODEL, "features_to", V_REAL, .dmin = 1, .dmax = 100},
	[K_FEATURES_POINTS] = {SEC_MODEL, "features_points", V_INT, .imin = 3, .imax = SCENARIO_MAX_FEATURE_POINTS},
	[K_RIDGE] = {SEC_TRAIN, "ridge", V_REAL, .dmin = 0, .dmax = 1000000},
	[K_REPEATS] = {SEC_TRAIN, "repeats", V_INT, .imin = 1, .imax = 32},
	[K_TEACHER_WIDTH] = {SEC_DATA, "teacher_width", V_INT, .imin = 1, .imax = 1000},
	[K_ROUNDS] = {SEC_TRAIN, "rounds", V_INT, .imin = 1, .imax = 30},
	[K_PRUNE] = {SEC_TRAIN, "prune", V_REAL, .dmin = 0, .dmax = 0.9, .dmin_open = true},
	[K_REWIND] = {SEC_TRAIN, "rewind", V_INT, .imin = 0, .imax = SCENARIO_MAX_EPOCHS},
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

	const char *const *sets;   /* --set overrides (n_sets) */
	int n_sets;
	const char *ctx;           /* said before the key in messages ("knobs.lr: "), or NULL */
	int ctx_line;              /* > 0: the line every message names (a knob's) */
	bool bare;                 /* messages without file or line (a live knob change) */
	double num[K_COUNT];       /* the numbers given (file or --set), by key */
	bool num_set[K_COUNT];
	int n_knobs;               /* [knobs] lines, kept raw until the file is valid */
	int knob_pend;             /* knob that indented lines continue, -1 = none */
	int knob_line[SCENARIO_MAX_KNOBS];
	char knob_name[SCENARIO_MAX_KNOBS][KNOB_NAME_LEN];
	char knob_raw[SCENARIO_MAX_KNOBS][VALUE_CAP];
};

_Static_assert(K_COUNT <= SCENARIO_MAX_KEYS, "struct scenario's origin.key_line needs room for every key");

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
static const char *echo(char *buf /* (ECHO_MAX + 4) */, const char *v)
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
			fail(ps, line, -1,
			     "unknown section [%.*s] (expected [scenario], [data], [model], [train] or [knobs])",
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

static void knob_append(struct pstate *ps, const char *v);

static int find_key(int sec, const char *name)
{
	for (int k = 0; k < K_COUNT; k++)
		if ((int)keys[k].sec == sec && strcmp(keys[k].name, name) == 0)
			return k;
	return -1;
}

static void fail_unknown_key(struct pstate *ps, int line, int sec, const char *name)
{
	char list[200] = "", eb[ECHO_MAX + 4];
	size_t n = 0;
	for (int k = 0; k < K_COUNT && n < sizeof list; k++)
		if ((int)keys[k].sec == sec)
			n += (size_t)snprintf(list + n, sizeof list - n, "%s%s", n ? ", " : "", keys[k].name);
	fail(ps, line, -1, "%s.%s: unknown key (keys of [%s]: %s)", section_names[sec], echo(eb, name),
	     section_names[sec], list);
}

/* A [knobs] line: kept raw (indented lines may continue it) and read once
 * the rest of the file is valid, since what a knob may turn depends on it. */
static void knob_define(struct pstate *ps, int line, const char *name, const char *value)
{
	char eb[ECHO_MAX + 4];
	size_t len = strlen(name);
	bool ok = len < KNOB_NAME_LEN;
	for (const char *c = name; ok && *c; c++)
		ok = (*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9') || *c == '_' ||
		     *c == '-';
	if (!ok) {
		fail(ps, line, -1, "knobs.%s: a knob name is 1 to %d letters, digits, _ or -", echo(eb, name),
		     KNOB_NAME_LEN - 1);
		return;
	}
	for (int i = 0; i < ps->n_knobs; i++)
		if (strcmp(ps->knob_name[i], name) == 0) {
			fail(ps, line, -1, "knobs.%s: set twice (first at line %d)", name, ps->knob_line[i]);
			return;
		}
	if (ps->n_knobs == SCENARIO_MAX_KNOBS) {
		fail(ps, line, -1, "knobs.%s: more than %d knobs", name, SCENARIO_MAX_KNOBS);
		return;
	}
	int i = ps->n_knobs++;
	memcpy(ps->knob_name[i], name, len + 1);
	ps->knob_line[i] = line;
	ps->knob_raw[i][0] = '\0';
	ps->knob_pend = i;
	knob_append(ps, value);
}

static void knob_append(struct pstate *ps, const char *v)
{
	char *raw = ps->knob_raw[ps->knob_pend];
	size_t have = strlen(raw), n = strlen(v);
	if (have + 1 + n >= VALUE_CAP) {
		fail(ps, ps->knob_line[ps->knob_pend], -1, "knobs.%s: longer than %d bytes", ps->knob_name[ps->knob_pend],
		     VALUE_CAP - 1);
		return;
	}
	if (have)
		raw[have++] = ' ';
	memcpy(raw + have, v, n + 1);
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
		else if (ps->knob_pend >= 0)
			knob_append(ps, value);
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
	ps->knob_pend = -1;
	if (sec == SEC_KNOBS) {
		knob_define(ps, line, name, value);
		return 1;
	}
	int key = find_key(sec, name);
	if (key < 0) {
		fail_unknown_key(ps, line, sec, name);
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
	sc->model.features_from = 0.1;
	sc->model.features_to = 10;
	sc->model.features_points = 31;
	sc->train.ridge = 0;
	sc->train.repeats = 3;
	sc->data.teacher_width = 4;
	sc->train.rounds = 10;
	sc->train.prune = 0.2;
	sc->train.rewind = 0;
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
	static const int required[] = {K_KIND, K_TITLE, K_SAMPLES, K_DIM};
	for (size_t i = 0; i < sizeof required / sizeof *required; i++)
		if (!check_required(ps, required[i]))
			return;
	bool linear = sc->kind == KIND_BENIGN_OVERFITTING;
	/* mode connectivity and the kinds that explain its barrier: two nets
	 * from init_seeds, trained to target_loss, measured along paths */
	bool mc = sc->kind == KIND_MODE_CONNECTIVITY || sc->kind == KIND_PERMUTATION_ALIGNMENT ||
		  sc->kind == KIND_CURVED_PATH || sc->kind == KIND_BARRIER_WIDTH;
	bool dd = sc->kind == KIND_DOUBLE_DESCENT; /* one grid point a step: no epochs */
	bool lazy = sc->kind == KIND_LAZY_TRAINING;
	bool lt = sc->kind == KIND_LOTTERY_TICKET;
	if (!dd && !check_required(ps, K_EPOCHS))
		return;
	if (!linear && !dd && !check_required(ps, K_WIDTHS))
		return;

	/* Defaults that depend on the kind. */
	if (!ps->key_line[K_TARGET])
		sc->data.target = linear || dd ? TARGET_LINEAR : mc ? TARGET_SIN3 : lt ? TARGET_TEACHER : TARGET_SIN_COS;
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
			if (!(linear_only[i] == K_SIGNAL_DIM && sc->data.target == TARGET_TEACHER) && /* its inputs */
			    !check_unused(ps, linear_only[i], why))
				return;
		if (!mc && !check_unused(ps, K_INIT_SEEDS, why))
			return;
	}
	if (dd) {
		/* Closed-form fits of random ReLU features to a linear teacher:
		 * no network, no optimiser, no epochs. */
		static const int not_dd[] = {K_TARGET, K_DEPTH, K_WIDTHS, K_INIT, K_INIT_STD,
					     K_OPTIMIZER, K_LR, K_EPOCHS, K_EVAL_EVERY};
		for (size_t i = 0; i < sizeof not_dd / sizeof *not_dd; i++)
			if (!check_unused(ps, not_dd[i], why))
				return;
	} else {
		static const int dd_only[] = {K_FEATURES_FROM, K_FEATURES_TO, K_FEATURES_POINTS, K_RIDGE, K_REPEATS};
		for (size_t i = 0; i < sizeof dd_only / sizeof *dd_only; i++) {
			if (dd_only[i] == K_REPEATS && sc->kind == KIND_BARRIER_WIDTH)
				continue; /* pairs of nets averaged at each width */
			if (!check_unused(ps, dd_only[i], why))
				return;
		}
	}
	if (lazy) {
		/* One hidden layer in the NTK parameterisation, N(0, 1) weights,
		 * and no test set: what it measures is on the training set. */
		static const int not_lazy[] = {K_DEPTH, K_INIT, K_INIT_STD, K_TEST_SAMPLES};
		for (size_t i = 0; i < sizeof not_lazy / sizeof *not_lazy; i++)
			if (!check_unused(ps, not_lazy[i], why))
				return;
	}
	if (!lt) {
		static const int lt_only[] = {K_ROUNDS, K_PRUNE, K_REWIND};
		for (size_t i = 0; i < sizeof lt_only / sizeof *lt_only; i++)
			if (!check_unused(ps, lt_only[i], why))
				return;
	}
	if (sc->data.target != TARGET_TEACHER) {
		char twhy[64];
		snprintf(twhy, sizeof twhy, "target %s", target_words[sc->data.target]);
		if (!check_unused(ps, K_TEACHER_WIDTH, twhy))
			return;
	}
	/* What the experiments read today: only the width sweep marks a
	 * convergence epoch, only mode connectivity stops early or has an alpha
	 * grid, and it has no test set; the linear kind evaluates every epoch. */
	if (sc->kind != KIND_WIDTH_SWEEP && !check_unused(ps, K_THRESHOLD, why))
		return;
	if (!mc && ((!lazy && !check_unused(ps, K_TARGET_LOSS, why)) || !check_unused(ps, K_ALPHA_POINTS, why)))
		return;
	if (mc && !check_unused(ps, K_TEST_SAMPLES, why))
		return;
	if (linear && !check_unused(ps, K_EVAL_EVERY, why))
		return;
	/* barrier_width measures each pair once, when it is trained */
	if (sc->kind == KIND_BARRIER_WIDTH && !check_unused(ps, K_EVAL_EVERY, why))
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
	if (!linear && !dd && sc->data.target == TARGET_LINEAR) {
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
	if (mc && sc->kind != KIND_BARRIER_WIDTH && sc->model.n_widths != 1) {
		fail(ps, line_of(ps, K_WIDTHS), K_WIDTHS, "kind %s takes exactly one width, got %d",
		     scenario_kind_name(sc->kind), sc->model.n_widths);
		return;
	}
	if (sc->kind == KIND_CURVED_PATH && !(sc->train.target_loss > 0)) {
		fail(ps, line_of(ps, K_TARGET_LOSS), K_TARGET_LOSS,
		     "kind curved_path needs a target loss > 0 (the bend trains once both nets reach it)");
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
	if ((dd || sc->data.covariance == COV_BOTH) && sc->data.test_samples < 1) {
		fail(ps, line_of(ps, K_TEST_SAMPLES), K_TEST_SAMPLES, "%s needs test samples (its curves are test MSE)",
		     dd ? "kind double_descent" : "covariance both");
		return;
	}
	if (dd && !(sc->model.features_from < sc->model.features_to)) {
		int key = ps->key_line[K_FEATURES_TO] ? K_FEATURES_TO : K_FEATURES_FROM;
		fail(ps, line_of(ps, key), key, "the grid needs features_from (%g) < features_to (%g)",
		     sc->model.features_from, sc->model.features_to);
		return;
	}
	if (sc->data.target == TARGET_TEACHER && !lt) {
		fail(ps, line_of(ps, K_TARGET), K_TARGET, "teacher is only for kind lottery_ticket");
		return;
	}
	if (sc->data.target == TARGET_TEACHER && sc->data.signal_dim > sc->data.dim) {
		int key_set = ps->key_line[K_SIGNAL_DIM] ? K_SIGNAL_DIM : K_DIM;
		fail(ps, line_of(ps, key_set), K_SIGNAL_DIM, "%d%s is more than data.dim (%d)", sc->data.signal_dim,
		     ps->key_line[K_SIGNAL_DIM] ? "" : " (the default)", sc->data.dim);
		return;
	}
	if (lazy && sc->train.optimizer == OPTIM_ADAM) {
		fail(ps, line_of(ps, K_OPTIMIZER), K_OPTIMIZER,
		     "kind lazy_training trains with plain gradient descent (sgd), not adam");
		return;
	}
	for (int i = 1; lazy && i < sc->model.n_widths; i++)
		if (sc->model.widths[i] <= sc->model.widths[i - 1]) {
			fail(ps, line_of(ps, K_WIDTHS), K_WIDTHS, "kind lazy_training needs increasing widths (%d after %d)",
			     sc->model.widths[i], sc->model.widths[i - 1]);
			return;
		}
	if (lt && sc->model.n_widths != 1) {
		fail(ps, line_of(ps, K_WIDTHS), K_WIDTHS, "kind lottery_ticket takes exactly one width, got %d",
		     sc->model.n_widths);
		return;
	}
	if (lt && sc->data.test_samples < 1) {
		fail(ps, line_of(ps, K_TEST_SAMPLES), K_TEST_SAMPLES,
		     "kind lottery_ticket needs test samples (its curves are test loss)");
		return;
	}
	if (lt && sc->train.rewind >= sc->train.epochs) {
		int key = ps->key_line[K_REWIND] ? K_REWIND : K_EPOCHS;
		fail(ps, line_of(ps, key), key, "rewind epoch %d is not below train.epochs (%d)", sc->train.rewind,
		     sc->train.epochs);
		return;
	}

	size_t need = scenario_memory(sc);
	if (need > SCENARIO_MEMORY_CAP) {
		int key = K_WIDTHS;
		if (linear) {
			double n = sc->data.samples, nt = sc->data.test_samples, p = sc->data.dim;
			key = nt * p > n * p + n * n ? K_TEST_SAMPLES : K_SAMPLES;
		}
		if (dd)
			key = sc->data.test_samples > sc->data.samples ? K_TEST_SAMPLES : K_SAMPLES;
		char have[32], cap[32];
		format_bytes(have, sizeof have, need, SCENARIO_MEMORY_CAP);
		format_bytes(cap, sizeof cap, SCENARIO_MEMORY_CAP, SCENARIO_MEMORY_CAP);
		fail(ps, line_of(ps, key), key, "needs %s, over the %s cap", have, cap);
	}
}

/* ---- --set overrides ---------------------------------------------------- */

static locale_t enter_c_locale(locale_t *old);
static void leave_c_locale(locale_t c, locale_t old);

/* Each "section.key=value" is stored as if the file had said it last, so it
 * meets the same value checks, and the checks across keys see it. */
static void apply_sets(struct pstate *ps)
{
	const char *file = ps->name;
	char eb[ECHO_MAX + 4];
	for (int i = 0; i < ps->n_sets && !ps->failed; i++) {
		const char *s = ps->sets[i] ? ps->sets[i] : "";
		int pos = i + 1;
		ps->name = "--set";
		struct utf8 u = {0, 0x80, 0xBF};
		bool text_ok = true;
		for (size_t c = 0; s[c] && text_ok; c++) {
			unsigned char b = (unsigned char)s[c];
			if ((b < 0x20 && b != '\t') || b == 0x7F) {
				fail(ps, pos, -1, "control character 0x%02x at column %zu", (unsigned)b, c + 1);
				text_ok = false;
			} else if (!utf8_step(&u, b)) {
				text_ok = false;
			}
		}
		if (text_ok && u.need > 0)
			text_ok = false;
		if (!text_ok) {
			fail(ps, pos, -1, "not valid UTF-8 text");
			break;
		}
		const char *eq = strchr(s, '=');
		const char *dot = eq ? memchr(s, '.', (size_t)(eq - s)) : NULL;
		if (!eq || !dot) {
			fail(ps, pos, -1, "expected section.key=value, got '%s'", echo(eb, s));
			break;
		}
		const char *a = s, *b = dot;
		while (is_blank((unsigned char)*a))
			a++;
		int sec = section_of(a, (size_t)(b - a));
		if (sec < 0 || sec == SEC_KNOBS) {
			fail(ps, pos, -1, "unknown section [%.*s] (expected [scenario], [data], [model] or [train])",
			     (int)(b - a > ECHO_MAX ? ECHO_MAX : b - a), a);
			break;
		}
		char name[64];
		a = dot + 1;
		b = eq;
		while (b > a && is_blank((unsigned char)b[-1]))
			b--;
		snprintf(name, sizeof name, "%.*s", (int)(b - a), a);
		int key = find_key(sec, name);
		if (key < 0) {
			fail_unknown_key(ps, pos, sec, name);
			break;
		}
		const char *v = eq + 1;
		while (is_blank((unsigned char)*v))
			v++;
		size_t n = strlen(v);
		while (n > 0 && is_blank((unsigned char)v[n - 1]))
			n--;
		if (n >= VALUE_CAP) {
			fail(ps, pos, key, "longer than %d bytes", VALUE_CAP - 1);
			break;
		}
		memcpy(ps->pend_val, v, n);
		ps->pend_val[n] = '\0';
		ps->pend_len = n;
		ps->pend_overflow = false;
		ps->pend = key;
		ps->key_line[key] = pos;
		flush_pending(ps);
		ps->key_line[key] = -pos;
	}
	ps->name = file;
}

/* ---- knobs ---------------------------------------------------------------- */

/* The number a knob turns, as stored, default included. false: not known
 * here; a numeric key not listed can still be a knob when the file (or
 * --set) gives it a value. */
static bool key_number(const struct scenario *sc, int key, double *v)
{
	switch (key) {
	case K_SAMPLES: *v = sc->data.samples; return true;
	case K_TEST_SAMPLES: *v = sc->data.test_samples; return true;
	case K_DIM: *v = sc->data.dim; return true;
	case K_NOISE: *v = sc->data.noise; return true;
	case K_SIGNAL_DIM: *v = sc->data.signal_dim; return true;
	case K_LAMBDA_TAIL: *v = sc->data.lambda_tail; return true;
	case K_DEPTH: *v = sc->model.depth; return true;
	case K_WIDTHS: *v = sc->model.widths[0]; return true;
	case K_INIT_STD: *v = sc->model.init_std; return true;
	case K_LR: *v = sc->train.lr; return true;
	case K_EPOCHS: *v = sc->train.epochs; return true;
	case K_THRESHOLD: *v = sc->train.threshold; return true;
	case K_TARGET_LOSS: *v = sc->train.target_loss; return true;
	case K_EVAL_EVERY: *v = sc->train.eval_every; return true;
	case K_ALPHA_POINTS: *v = sc->train.alpha_points; return true;
	case K_FEATURES_FROM: *v = sc->model.features_from; return true;
	case K_FEATURES_TO: *v = sc->model.features_to; return true;
	case K_FEATURES_POINTS: *v = sc->model.features_points; return true;
	case K_RIDGE: *v = sc->train.ridge; return true;
	case K_REPEATS: *v = sc->train.repeats; return true;
	case K_TEACHER_WIDTH: *v = sc->data.teacher_width; return true;
	case K_ROUNDS: *v = sc->train.rounds; return true;
	case K_PRUNE: *v = sc->train.prune; return true;
	case K_REWIND: *v = sc->train.rewind; return true;
	default: return false;
	}
}

/* Stores v into ps->sc through the same path as a value in the file. */
static void store_number(struct pstate *ps, int key, double v)
{
	if (keys[key].type == V_REAL)
		snprintf(ps->pend_val, sizeof ps->pend_val, "%.17g", v);
	else
		snprintf(ps->pend_val, sizeof ps->pend_val, "%.0f", v);
	ps->pend_len = strlen(ps->pend_val);
	ps->pend_overflow = false;
	ps->pend = key;
	flush_pending(ps);
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
		if (!parse_real(ps, line, key, text, v, &word))
			return false;
		if (word) {
			fail(ps, line, -1, "'%s' cannot be a knob value", echo(eb, text));
			return false;
		}
		return true;
	}
	long long iv;
	if (!parse_int(ps, line, key, text, &iv))
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
		fail(ps, line, -1, "'%s' is not LO..HI step S or LO..HI x F", echo(eb, text));
		return -1;
	}
	double lo, hi;
	if (!knob_item(ps, line, key, lo_s, &lo) || !knob_item(ps, line, key, hi_s, &hi))
		return -1;
	if (!(lo < hi)) {
		fail(ps, line, -1, "%s..%s: the low end must be below the high end", lo_s, hi_s);
		return -1;
	}
	double by = is_decimal(by_s) ? strtod(by_s, NULL) : NAN;
	long long iby = 0;
	double count;
	if (geometric) {
		if (!(by > 1) || !isfinite(by)) {
			fail(ps, line, -1, "factor '%s' is not a number > 1", echo(eb, by_s));
			return -1;
		}
		if (!(lo > 0)) {
			fail(ps, line, -1, "x %s needs a low end > 0", by_s);
			return -1;
		}
		count = floor(log(hi / lo) / log(by) + 1e-9) + 1;
	} else {
		bool bad = integer ? scan_int(by_s, &iby) != 1 || iby < 1 : !(by > 0) || !isfinite(by);
		if (bad) {
			fail(ps, line, -1, "step '%s' is not a %s > 0", echo(eb, by_s), integer ? "whole number" : "number");
			return -1;
		}
		count = floor((hi - lo) / by + 1e-9) + 1;
	}
	if (count > KNOB_MAX_VALUES) {
		fail(ps, line, -1, "%.0f values, at most %d", count, KNOB_MAX_VALUES);
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
			fail(ps, line, -1, "item %d is empty", count);
			return -1;
		}
		if (count > KNOB_MAX_VALUES) {
			int total = count;
			for (const char *q = comma; q; q = strchr(q + 1, ','))
				total++;
			fail(ps, line, -1, "%d values, at most %d", total, KNOB_MAX_VALUES);
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
			fail(ps, line, -1, "%s is listed twice", vb);
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
		fail(ps, 0, -1, "out of memory");
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
		validate(ps);
	ps->sc = base;
	ps->ctx = outer;
	ps->opt_gd = opt_gd;
	ps->lr_auto = lr_auto;
	free(tmp);
	return !ps->failed;
}

/* Reads knob i of the (valid) file: its target, its values, and checks the
 * scenario is valid at every one of them, one knob moved at a time. */
static void knob_resolve(struct pstate *ps, int i)
{
	struct scenario *sc = ps->sc;
	struct knob *kb = &sc->knobs[i];
	char eb[ECHO_MAX + 4], ctx[KNOB_NAME_LEN + 80];
	int line = ps->knob_line[i];
	memset(kb, 0, sizeof *kb);
	snprintf(kb->name, sizeof kb->name, "%s", ps->knob_name[i]);
	kb->line = line;
	snprintf(ctx, sizeof ctx, "knobs.%s: ", kb->name);
	ps->ctx = ctx;
	ps->ctx_line = line;

	const char *raw = ps->knob_raw[i];
	const char *colon = strchr(raw, ':');
	if (!colon) {
		fail(ps, line, -1, "expected 'section.key: values', got '%s'", echo(eb, raw));
		return;
	}
	char target[64];
	const char *a = raw, *b = colon;
	while (b > a && is_blank((unsigned char)b[-1]))
		b--;
	snprintf(target, sizeof target, "%.*s", (int)(b - a), a);
	const char *dot = strchr(target, '.');
	int sec = dot ? section_of(target, (size_t)(dot - target)) : -1;
	int key = sec >= 0 ? find_key(sec, dot + 1) : -1;
	if (key < 0) {
		fail(ps, line, -1, "unknown key '%s'", echo(eb, target));
		return;
	}
	snprintf(kb->target, sizeof kb->target, "%s.%s", section_names[keys[key].sec], keys[key].name);
	kb->key = key;
	double cur;
	bool numeric = keys[key].sec != SEC_SCENARIO && (keys[key].type == V_INT || keys[key].type == V_REAL);
	if (!key_number(sc, key, &cur)) {
		if (!numeric) {
			fail(ps, line, -1, "%s cannot be a knob (knobs turn the numbers of [data], [model] and [train])",
			     kb->target);
			return;
		}
		if (!ps->num_set[key]) {
			fail(ps, line, -1, "set %s in the file (or with --set): the knob starts from its value", kb->target);
			return;
		}
		cur = ps->num[key];
	}
	for (int j = 0; j < i; j++)
		if (sc->knobs[j].key == key) {
			fail(ps, line, -1, "%s already has the knob %s (line %d)", kb->target, sc->knobs[j].name,
			     sc->knobs[j].line);
			return;
		}
	/* Set from here on, so a key the kind ignores is refused as it would be
	 * in the file. */
	if (!ps->key_line[key])
		ps->key_line[key] = line;
	if (!knob_try(ps, key, NAN, ctx))
		return;
	if (key == K_WIDTHS && sc->model.n_widths != 1) {
		fail(ps, line, -1, "model.widths has %d widths; a knob sets the width of a one-width model",
		     sc->model.n_widths);
		return;
	}
	if (key == K_LR && ps->lr_auto) {
		fail(ps, line, -1, "train.lr is auto here; give it a number to turn it with a knob");
		return;
	}

	const char *vals = colon + 1;
	while (is_blank((unsigned char)*vals))
		vals++;
	if (!*vals) {
		fail(ps, line, -1, "no values after %s:", kb->target);
		return;
	}
	int n = strstr(vals, "..") ? knob_range(ps, line, key, vals, kb->values)
				   : knob_list(ps, line, key, vals, kb->values);
	if (n < 0)
		return;
	/* The scenario's own value is where the knob starts. */
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
		fail(ps, line, -1, "one value is not a knob: give at least two");
		return;
	}
	for (int j = 0; j < n; j++) {
		if (j == at)
			continue;
		char vb[40], vctx[KNOB_NAME_LEN + 80];
		knob_text(kb->values[j], vb, sizeof vb);
		snprintf(vctx, sizeof vctx, "knobs.%s = %s: ", kb->name, vb);
		if (!knob_try(ps, key, kb->values[j], vctx))
			return;
	}
	sc->n_knobs = i + 1;
}

static void resolve_knobs(struct pstate *ps)
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
	locale_t old, c = enter_c_locale(&old);
	knob_text(v, buf, len);
	leave_c_locale(c, old);
}

int scenario_apply_knob(struct scenario *sc, int knob, double value, char *err, size_t errlen)
{
	if (err && errlen)
		err[0] = '\0';
	if (knob < 0 || knob >= sc->n_knobs) {
		if (err && errlen)
			snprintf(err, errlen, "no knob %d in %s", knob + 1, sc->path);
		return -1;
	}
	const struct knob *kb = &sc->knobs[knob];
	int at = -1;
	for (int j = 0; j < kb->n_values && at < 0; j++)
		if (kb->values[j] == value || same_value(kb->values[j], value))
			at = j;
	locale_t old, c = enter_c_locale(&old);
	char vb[40], ctx[KNOB_NAME_LEN + 80];
	knob_text(value, vb, sizeof vb);
	if (at < 0) {
		if (err && errlen)
			snprintf(err, errlen, "%s = %s refused: not one of its values", kb->name, vb);
		leave_c_locale(c, old);
		return -1;
	}
	struct scenario *tmp = malloc(sizeof *tmp);
	struct pstate *ps = malloc(sizeof *ps);
	if (!tmp || !ps) {
		free(tmp);
		free(ps);
		if (err && errlen)
			snprintf(err, errlen, "%s = %s refused: out of memory", kb->name, vb);
		leave_c_locale(c, old);
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
		validate(ps);
	int rc = ps->failed ? -1 : 0;
	if (rc == 0) {
		tmp->knobs[knob].current = at;
		tmp->origin.opt_gd = ps->opt_gd;
		tmp->origin.lr_auto = ps->lr_auto;
		*sc = *tmp;
	}
	free(ps);
	free(tmp);
	leave_c_locale(c, old);
	return rc;
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
		apply_sets(ps);
	if (!ps->failed)
		validate(ps);
	if (!ps->failed)
		resolve_knobs(ps);
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
	ps->knob_pend = -1;
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
	return scenario_parse_sets(text, len, name, NULL, 0, sc, err, errlen);
}

int scenario_parse_sets(const char *text, size_t len, const char *name, const char *const *sets, int n_sets,
			struct scenario *sc, char *err, size_t errlen)
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
	ps->sets = sets;
	ps->n_sets = sets ? n_sets : 0;
	ps->src.mem = (const unsigned char *)(text ? text : "");
	ps->src.len = text ? len : 0;
	int rc = parse_source(ps);
	leave_c_locale(c, old);
	free(ps);
	return rc;
}

int scenario_load(const char *path, struct scenario *sc, char *err, size_t errlen)
{
	return scenario_load_sets(path, NULL, 0, sc, err, errlen);
}

int scenario_load_sets(const char *path, const char *const *sets, int n_sets, struct scenario *sc, char *err,
		       size_t errlen)
{
	struct pstate *ps = malloc(sizeof *ps);
	if (!ps) {
		if (err && errlen)
			snprintf(err, errlen, "%s: out of memory", path);
		return -1;
	}
	locale_t old, c = enter_c_locale(&old);
	pstate_init(ps, path, sc, err, errlen);
	ps->sets = sets;
	ps->n_sets = sets ? n_sets : 0;
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
	case KIND_PERMUTATION_ALIGNMENT:
	case KIND_CURVED_PATH:
	case KIND_BARRIER_WIDTH: {
		/* Per width: the data, two trained nets and a scratch net with
		 * gradients (netpair.c); then either B permuted plus the
		 * alignment's width^2 similarities (float, double) and permuted
		 * weights, or the bend, its gradient and its Adam moments: at
		 * most four more nets' parameters. */
		bool adam = sc->train.optimizer == OPTIM_ADAM;
		for (int i = 0; i < sc->model.n_widths; i++) {
			double w = sc->model.widths[i];
			bytes += n * (d + 1) * sizeof(float);
			bytes += 2 * mlp_estimate(sc, sc->model.widths[i], n, adam) +
				 mlp_estimate(sc, sc->model.widths[i], n, false);
			bytes += 2 * mlp_estimate(sc, sc->model.widths[i], 1, false) +
				 w * w * (2 * sizeof(float) + sizeof(double));
		}
		break;
	}
	case KIND_BENIGN_OVERFITTING: {
		/* X, X_test (at least one row), Gram matrix and its work vector,
		 * teacher, theta, min-norm theta, a difference, labels, residuals;
		 * covariance both has a second X, X_test, theta and min-norm theta. */
		bytes = (n * d + (nt + 1) * d + n * n + 5 * d + 4 * n + 3 * nt) * sizeof(double);
		if (sc->data.covariance == COV_BOTH)
			bytes += (n * d + (nt + 1) * d + 2 * d) * sizeof(double);
		break;
	}
	case KIND_DOUBLE_DESCENT: {
		/* Per draw: X, X_test, labels, feature weights (N_max, d); shared:
		 * the two feature matrices (n + n_test, N_max), theta, the Gram
		 * system, residuals. N_max = features_to * n (rounded up). */
		double nmax = ceil(sc->model.features_to * n) + 1, r = sc->train.repeats;
		bytes = (r * ((n + nt) * (d + 1) + nmax * d) + (n + nt) * nmax + nmax + d + n * n + 2 * n + nt) *
			sizeof(double);
		break;
	}
	case KIND_LAZY_TRAINING: {
		/* Sized for the widest net and reused by each width: parameters,
		 * gradients, initial values and a difference (m (d + 1) each), two
		 * (n, m) activations, three (n, n) kernels, X and y (and their
		 * float32 draws). */
		double m = 1;
		for (int i = 0; i < sc->model.n_widths; i++)
			m = sc->model.widths[i] > m ? sc->model.widths[i] : m;
		bytes = (4 * m * (d + 1) + 2 * n * m + 3 * n * n + n * (d + 3)) * sizeof(double) +
			n * (d + 1) * sizeof(float);
		break;
	}
	case KIND_LOTTERY_TICKET: {
		/* The ticket and its control, the mask and the rewind point (a
		 * slab each), one layer's weights to sort, the data. */
		double rows = n > nt ? n : nt, w = sc->model.n_widths > 0 ? sc->model.widths[0] : 1;
		double params = w * (d + 1) + (sc->model.depth - 1) * w * (w + 1) + w + 1;
		bytes = (n + nt + 1) * (d + 1) * sizeof(float);
		bytes += 2 * mlp_estimate(sc, (int)w, rows, sc->train.optimizer == OPTIM_ADAM);
		bytes += 2 * params * sizeof(float) + w * (d > w ? d : w) * 8;
		break;
	}
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
