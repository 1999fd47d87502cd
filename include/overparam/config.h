/* config.h: the scenario format's keys as experiment descriptors name them
 * (src/config/keys.c holds their table: section, name, type, bounds,
 * default), and the calls a kind's own checks make. */
#ifndef OVERPARAM_CONFIG_H
#define OVERPARAM_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* In the order of keys.c's table, which is the order of each section's key
 * list in messages. */
enum config_key {
	KEY_KIND, KEY_TITLE, KEY_SUMMARY, KEY_NOTES, KEY_SEED, KEY_PACE,
	KEY_SAMPLES, KEY_TEST_SAMPLES, KEY_DIM, KEY_TARGET, KEY_NOISE, KEY_SIGNAL_DIM, KEY_COVARIANCE,
	KEY_LAMBDA_TAIL,
	KEY_DEPTH, KEY_WIDTHS, KEY_INIT, KEY_INIT_STD, KEY_INIT_SEEDS,
	KEY_OPTIMIZER, KEY_LR, KEY_EPOCHS, KEY_THRESHOLD, KEY_TARGET_LOSS, KEY_EVAL_EVERY, KEY_ALPHA_POINTS,
	KEY_FEATURES_FROM, KEY_FEATURES_TO, KEY_FEATURES_POINTS, KEY_RIDGE, KEY_REPEATS,
	KEY_TEACHER_WIDTH, KEY_ROUNDS, KEY_PRUNE, KEY_REWIND, KEY_RANDOM_PLANE,
	KEY_COUNT
};

#define KEY_BIT(k) ((uint64_t)1 << (k))

/* train.optimizer's words. sgd and adam are enum optim_kind; gd is
 * full-batch gradient descent, stored as OPTIM_SGD, with lr = auto. */
enum optimizer_word { OPT_WORD_SGD, OPT_WORD_ADAM, OPT_WORD_GD };

#define OPT_WORD_BIT(w) (1u << (w))
#define TARGET_BIT(t) (1u << (t)) /* enum data_target */

/* A kind's own checks (experiment_ops.check) report through these, so that
 * their messages name the file, the line and the key as every other does. */
struct config_check;
struct scenario;

/* Records "file:line: section.key: message", blaming the line the key was
 * set on (else its section's header, else line 1). Returns false. */
bool config_fail(struct config_check *c, enum config_key key, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Whether the file, a --set or a knob gave the key (not its default). */
bool config_given(const struct config_check *c, enum config_key key);

/* A number as scenario files write it: an optional sign, digits with an
 * optional fraction and exponent. strtod alone would also take leading
 * blanks, hex, "nan" and "inf". The command line uses it too. */
bool config_is_decimal(const char *s);

/* msg made safe to print (a message that quotes a file name, an argument
 * or a value): control characters (C0, DEL, C1) and characters that show as
 * nothing or as a plain space (U+00A0, U+FEFF, U+200B, ...) become <U+XXXX>,
 * bytes that are not UTF-8 \xNN, and a note names the first such character:
 * "'100<U+00A0>' is not an integer (U+00A0 is a no-break space)". Writes at
 * most len bytes with the NUL, never half a character or an escape. */
void config_escape(char *out /* (len) */, size_t len, const char *msg);

/* The check of a kind with none of its own. */
bool config_no_check(struct config_check *c, const struct scenario *sc);

#endif
