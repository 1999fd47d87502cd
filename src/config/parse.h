/* parse.h: what the scenario parser's modules share (src/config only).
 *
 *   value.c    one key's text into its typed value; error messages
 *   reader.c   the line reader that feeds libinih, and inih's handler
 *   keys.c     the key table, and reading and writing through it
 *   validate.c the checks across keys and kinds, and the memory cap
 *   knobs.c    --set overrides and [knobs]
 *   scenario.c the entry points (scenario.h)
 *   escape.c   characters a message must write out (controls, invisible)
 *
 * One parse is one struct pstate: the scenario being filled, where the
 * lines come from, and the first error (all later ones are dropped). */
#ifndef OVERPARAM_CONFIG_PARSE_H
#define OVERPARAM_CONFIG_PARSE_H

#include <locale.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "overparam/config.h"
#include "overparam/scenario.h"

#define LINE_CAP 1024     /* our own line buffer; inih's buffer is usually smaller */
#define VALUE_CAP 4096    /* a value with all its continuation lines */
#define FILE_CAP ((size_t)1 << 20) /* bytes of a scenario file: 1 MiB (its lines, not a big file's, in 1 s) */
#define ECHO_MAX 40       /* bytes of a bad value quoted back in a message */
#define SEED_MAX 9007199254740991LL /* 2^53 - 1: a seed travels in records as a double */

enum section { SEC_SCENARIO, SEC_DATA, SEC_MODEL, SEC_TRAIN, SEC_KNOBS, SEC_COUNT };

extern const char *const section_names[SEC_COUNT];

enum vtype {
	V_TEXT,  /* char[], at most maxlen bytes */
	V_INT,   /* int, or uint64_t with u64 */
	V_REAL,  /* double; its word (max, auto) is stored as 0 */
	V_ENUM,  /* an enum: the word's index, or values[index] */
	V_LIST,  /* comma-separated integers: int items and an int count at
	          * count_at, or exactly maxlen uint64_t items (u64) */
};

enum {
	KF_ANY_KIND = 1,   /* read whatever the kind (descriptors list the others) */
	KF_PARAGRAPHS = 2, /* V_TEXT: a literal \n in the value ends a paragraph */
};

#define VALUE_MAX_ITEMS SCENARIO_MAX_WIDTHS /* the longest V_LIST */

/* One row of the key table (keys.c): everything the parser, the defaults,
 * the knobs and the validator know about a key. */
struct keyspec {
	enum section sec;
	const char *name;
	enum vtype type;
	size_t at;                 /* offsetof(struct scenario, the value) */
	double def;                /* default: the number, or the enum word's index */
	const long long *def_items; /* V_LIST default (maxlen items), NULL: none */
	long long imin, imax;      /* V_INT, V_LIST items */
	double dmin, dmax;         /* V_REAL: dmin < v (open) or dmin <= v, v <= dmax */
	bool dmin_open;
	bool u64;                  /* V_INT, V_LIST: uint64_t, not int */
	const char *word;          /* V_REAL: a word accepted instead of a number */
	const char *const *words;  /* V_ENUM (NULL: the registry's kind words) */
	const int *values;         /* V_ENUM: what each word stores, NULL = its index */
	int maxlen;                /* V_TEXT: bytes; V_LIST: items */
	int minitems;              /* V_LIST */
	const char *noun;          /* V_LIST: an item, in messages */
	size_t count_at;           /* V_LIST without u64: offsetof its count */
	unsigned flags;            /* KF_ */
	int dep;                   /* with dep_on: acts only while key dep's */
	unsigned dep_on;           /* enum value is one of these bits */
};

extern const struct keyspec keys[KEY_COUNT];

/* Where lines come from: a buffer in memory or an open file. */
struct source {
	const unsigned char *mem;
	size_t len, pos;
	FILE *fp;
	size_t taken;              /* bytes read so far (at most FILE_CAP) */
};

/* UTF-8 well-formedness, one byte at a time (reader_utf8_step). */
struct utf8 {
	int need;
	unsigned char lo, hi;
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
	int key_line[KEY_COUNT];   /* line where each key was set, 0 = default */
	int pend;                  /* key whose value is being collected, -1 = none */
	char pend_val[VALUE_CAP];
	size_t pend_len;
	bool pend_overflow;        /* a piece did not fit: pend_val holds the pieces before it */
	int pend_commas;           /* commas in the whole value, kept or not */
	bool lr_auto;              /* lr = auto, or lr left to its default under gd */
	bool opt_gd;               /* optimizer = gd */

	const char *const *sets;   /* --set overrides (n_sets) */
	int n_sets;
	struct scenario *before_sets; /* the file's values before any --set (NULL: none); owned */
	int file_line[KEY_COUNT];  /* key_line before any --set */
	const char *ctx;           /* said before the key in messages ("knobs.lr: "), or NULL */
	int ctx_line;              /* > 0: the line every message names (a knob's) */
	bool bare;                 /* messages without file or line (a live knob change) */
	int n_knobs;               /* [knobs] lines, kept raw until the file is valid */
	int knob_pend;             /* knob that indented lines continue, -1 = none */
	int knob_line[SCENARIO_MAX_KNOBS];
	char knob_name[SCENARIO_MAX_KNOBS][KNOB_NAME_LEN];
	char knob_raw[SCENARIO_MAX_KNOBS][VALUE_CAP];
};

_Static_assert(KEY_COUNT <= SCENARIO_MAX_KEYS, "struct scenario's origin.key_line needs room for every key");

static inline bool is_blank(int c)
{
	return c == ' ' || c == '\t';
}

/* value.c */
/* Records the first error only: "name[:line]: [section.key: ]message". */
void parse_fail(struct pstate *ps, int line, int key, const char *fmt, ...) __attribute__((format(printf, 4, 5)));
void parse_vfail(struct pstate *ps, int line, int key, const char *fmt, va_list ap)
	__attribute__((format(printf, 4, 0)));
/* A value quoted back in a message: at most ECHO_MAX bytes. */
const char *parse_echo(char *buf /* (ECHO_MAX + 4) */, const char *v);
/* 1: a decimal integer, 0: not one, 2: one too large for long long. */
int value_scan_int(const char *s, long long *out);
/* The key's number from text, range-checked, or false after failing
 * (value_real: *is_word when the key's word was given instead). */
bool value_int(struct pstate *ps, int line, int key, const char *text, long long *out);
bool value_real(struct pstate *ps, int line, int key, const char *text, double *out, bool *is_word);
/* Starts the pending value of key with n bytes of v; value_append adds a
 * continuation line's n bytes, joined with a space. */
void value_begin(struct pstate *ps, int key, const char *v, size_t n);
void value_append(struct pstate *ps, const char *v, size_t n);
/* Parses and stores the pending key's value. */
void value_flush(struct pstate *ps);
/* "512 MiB", never printing an amount over `cap` as equal to it. */
void value_format_bytes(char *buf /* (len) */, size_t len, size_t bytes, size_t cap);

/* reader.c */
bool reader_utf8_step(struct utf8 *u, unsigned char c);
/* Whether the byte c after the lead byte `lead` completes a C1 control
 * character (U+0080..U+009F, UTF-8 C2 80..C2 9F). */
static inline bool reader_is_c1(int lead, int c)
{
	return lead == 0xC2 && c >= 0x80 && c <= 0x9F;
}
/* SEC_ of a section name (n bytes), -1 when there is none. */
int reader_section(const char *name, size_t n);
/* Every line of the source through inih into ps->sc. */
void reader_read(struct pstate *ps);

/* keys.c */
/* Word i of an enum key, NULL past the last. */
const char *keys_word(int key, int i);
/* The word an enum key (not the optimizer) holds in sc. */
const char *keys_enum_word(const struct scenario *sc, int key);
/* The key of this name in section sec, -1 when there is none. */
int keys_find(int sec, const char *name);
/* "sec.name: unknown key (keys of [sec]: ...)". */
void keys_fail_unknown(struct pstate *ps, int line, int sec, const char *name);
/* Zeroes sc and stores every key's default. */
void keys_set_defaults(struct scenario *sc);
/* Stores v as the key's value (V_INT, V_ENUM: the word's index) or as item
 * `item` of a V_LIST, as the table says it is kept. */
void keys_store_int(struct scenario *sc, int key, int item, long long v);
void keys_store_real(struct scenario *sc, int key, double v); /* V_REAL */
/* Copies the key's value (a list's items and count) from src to dst. */
void keys_copy(struct scenario *dst, const struct scenario *src, int key);
/* The number a knob on this key turns (a list: its first item); false for
 * a key no knob may turn. */
bool keys_number(const struct scenario *sc, int key, double *v);

/* validate.c: the checks once every value is in (the kind's defaults
 * applied first). */
void validate_scenario(struct pstate *ps);

/* knobs.c */
/* A [knobs] line, and an indented line that continues the last one: kept
 * raw until the file is valid. */
void knobs_define(struct pstate *ps, int line, const char *name, const char *value);
void knobs_append(struct pstate *ps, const char *v);
/* The --set overrides, stored as if the file said them last. */
void knobs_apply_sets(struct pstate *ps);
/* Every knob read and checked against the valid file; then the parser's
 * record goes into sc->origin for scenario_apply_knob. */
void knobs_resolve_all(struct pstate *ps);

/* escape.c */
/* The name of a character a message writes out as <U+XXXX> ("a no-break
 * space"), NULL for one it may show as it is. */
const char *escape_hidden_name(long cp);
/* The character at s (not at its NUL): its length in bytes and its code
 * point in *cp, or -1 (length 1) for a byte that starts no valid UTF-8. */
int escape_decode(const char *s, long *cp);
/* Byte offset in s of the first character past ASCII that
 * escape_hidden_name names (*cp: which one), -1 when there is none. */
int escape_first_hidden(const char *s, long *cp);

/* scenario.c: this thread in the "C" locale, and back. */
locale_t locale_enter_c(locale_t *old);
void locale_leave_c(locale_t c, locale_t old);

#endif
