/* keys.c: the scenario format's keys: one table of what each key is (its
 * section, type, bounds, default, where struct scenario keeps it, which
 * kinds it acts for), and the functions that read and write through it. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "config/parse.h"
#include "overparam/experiment.h"

const char *const section_names[SEC_COUNT] = {"scenario", "data", "model", "train", "knobs"};

/* Words of the enum keys, in the order of their C enums (kind: the
 * registry's words, keys_word). */
static const char *const target_words[] = {"sin_cos", "sin3", "linear", "teacher", NULL};
static const char *const covariance_words[] = {"isotropic", "spiked", "both", NULL};
static const char *const init_words[] = {"torch_default", "normal", NULL};
static const char *const optimizer_words[] = {"sgd", "adam", "gd", NULL};
static const int optimizer_values[] = {[OPT_WORD_SGD] = OPTIM_SGD, [OPT_WORD_ADAM] = OPTIM_ADAM,
				       [OPT_WORD_GD] = OPTIM_SGD};
static const long long default_init_seeds[] = {1, 2};

/* Enum keys are stored through an int; lists are read into
 * VALUE_MAX_ITEMS items. */
_Static_assert(sizeof(enum scenario_kind) == sizeof(int) && sizeof(enum data_target) == sizeof(int) &&
		       sizeof(enum covariance_kind) == sizeof(int) && sizeof(enum init_kind) == sizeof(int) &&
		       sizeof(enum optim_kind) == sizeof(int),
	       "enum keys are stored as int");
_Static_assert(SCENARIO_MAX_WIDTHS <= VALUE_MAX_ITEMS, "model.widths fits a list");

#define AT(f) offsetof(struct scenario, f)
#define TEXT(f) V_TEXT, AT(f), .maxlen = (int)sizeof(((struct scenario *)0)->f) - 1
#define INT(f, lo, hi) V_INT, AT(f), .imin = (lo), .imax = (hi)
#define REAL(f, lo, hi) V_REAL, AT(f), .dmin = (lo), .dmax = (hi)
#define ENUM(f, w) V_ENUM, AT(f), .words = (w)

/* Every key of the format. Keys with KF_ANY_KIND act whatever the kind; any
 * other acts only for the kinds whose descriptor lists it. */
const struct keyspec keys[KEY_COUNT] = {
	[KEY_KIND] = {SEC_SCENARIO, "kind", ENUM(kind, NULL), .flags = KF_ANY_KIND},
	[KEY_TITLE] = {SEC_SCENARIO, "title", TEXT(title), .flags = KF_ANY_KIND},
	[KEY_SUMMARY] = {SEC_SCENARIO, "summary", TEXT(summary), .flags = KF_ANY_KIND},
	[KEY_NOTES] = {SEC_SCENARIO, "notes", TEXT(notes), .flags = KF_ANY_KIND | KF_PARAGRAPHS},
	[KEY_SEED] = {SEC_SCENARIO, "seed", INT(seed, 0, SEED_MAX), .u64 = true, .def = 42, .flags = KF_ANY_KIND},
	[KEY_PACE] = {SEC_SCENARIO, "pace", REAL(pace, 0.1, 100000), .word = "max", .def = 200, .flags = KF_ANY_KIND},
	[KEY_SAMPLES] = {SEC_DATA, "samples", INT(data.samples, 1, 100000), .flags = KF_ANY_KIND},
	[KEY_TEST_SAMPLES] = {SEC_DATA, "test_samples", INT(data.test_samples, 0, 100000)},
	[KEY_DIM] = {SEC_DATA, "dim", INT(data.dim, 1, 10000), .flags = KF_ANY_KIND},
	[KEY_TARGET] = {SEC_DATA, "target", ENUM(data.target, target_words)},
	[KEY_NOISE] = {SEC_DATA, "noise", REAL(data.noise, 0, 100), .flags = KF_ANY_KIND},
	[KEY_SIGNAL_DIM] = {SEC_DATA, "signal_dim", INT(data.signal_dim, 1, 10000), .def = 10},
	[KEY_COVARIANCE] = {SEC_DATA, "covariance", ENUM(data.covariance, covariance_words)},
	[KEY_LAMBDA_TAIL] = {SEC_DATA, "lambda_tail", REAL(data.lambda_tail, 0, 1), .dmin_open = true, .def = 1,
			     .dep = KEY_COVARIANCE, .dep_on = 1u << COV_SPIKED | 1u << COV_BOTH},
	[KEY_DEPTH] = {SEC_MODEL, "depth", INT(model.depth, 1, 8), .def = 2},
	[KEY_WIDTHS] = {SEC_MODEL, "widths", V_LIST, AT(model.widths), .imin = 1, .imax = 4096,
			.maxlen = SCENARIO_MAX_WIDTHS, .minitems = 1, .noun = "width", .count_at = AT(model.n_widths)},
	[KEY_INIT] = {SEC_MODEL, "init", ENUM(model.init, init_words)},
	[KEY_INIT_STD] = {SEC_MODEL, "init_std", REAL(model.init_std, 0, 10), .dmin_open = true, .def = 0.1,
			  .dep = KEY_INIT, .dep_on = 1u << INIT_NORMAL},
	[KEY_INIT_SEEDS] = {SEC_MODEL, "init_seeds", V_LIST, AT(model.init_seeds), .imin = 0, .imax = SEED_MAX,
			    .u64 = true, .maxlen = 2, .minitems = 2, .noun = "seed", .def_items = default_init_seeds},
	[KEY_OPTIMIZER] = {SEC_TRAIN, "optimizer", ENUM(train.optimizer, optimizer_words),
			   .values = optimizer_values},
	[KEY_LR] = {SEC_TRAIN, "lr", REAL(train.lr, 0, 100), .dmin_open = true, .word = "auto", .def = 0.01},
	[KEY_EPOCHS] = {SEC_TRAIN, "epochs", INT(train.epochs, 1, SCENARIO_MAX_EPOCHS)},
	[KEY_THRESHOLD] = {SEC_TRAIN, "threshold", REAL(train.threshold, 0, 1000000)},
	[KEY_TARGET_LOSS] = {SEC_TRAIN, "target_loss", REAL(train.target_loss, 0, 1000000)},
	[KEY_EVAL_EVERY] = {SEC_TRAIN, "eval_every", INT(train.eval_every, 1, SCENARIO_MAX_EPOCHS), .def = 5},
	[KEY_ALPHA_POINTS] = {SEC_TRAIN, "alpha_points", INT(train.alpha_points, 2, SCENARIO_MAX_ALPHA), .def = 21},
	[KEY_FEATURES_FROM] = {SEC_MODEL, "features_from", REAL(model.features_from, 0, 1), .dmin_open = true,
			       .def = 0.1},
	[KEY_FEATURES_TO] = {SEC_MODEL, "features_to", REAL(model.features_to, 1, 100), .def = 10},
	[KEY_FEATURES_POINTS] = {SEC_MODEL, "features_points",
				 INT(model.features_points, 3, SCENARIO_MAX_FEATURE_POINTS), .def = 31},
	[KEY_RIDGE] = {SEC_TRAIN, "ridge", REAL(train.ridge, 0, 1000000)},
	[KEY_REPEATS] = {SEC_TRAIN, "repeats", INT(train.repeats, 1, 32), .def = 3},
	[KEY_TEACHER_WIDTH] = {SEC_DATA, "teacher_width", INT(data.teacher_width, 1, 1000), .def = 4,
			       .flags = KF_ANY_KIND, .dep = KEY_TARGET, .dep_on = 1u << TARGET_TEACHER},
	[KEY_ROUNDS] = {SEC_TRAIN, "rounds", INT(train.rounds, 1, 30), .def = 10},
	[KEY_PRUNE] = {SEC_TRAIN, "prune", REAL(train.prune, 0, 0.9), .dmin_open = true, .def = 0.2},
	[KEY_REWIND] = {SEC_TRAIN, "rewind", INT(train.rewind, 0, SCENARIO_MAX_EPOCHS)},
	[KEY_RANDOM_PLANE] = {SEC_TRAIN, "random_plane", INT(train.random_plane, 0, 1)},
};

const char *keys_word(int key, int i)
{
	if (key == KEY_KIND) {
		const struct experiment_ops *ops = experiment_ops_for((enum scenario_kind)i);
		return ops ? ops->kind : NULL;
	}
	return keys[key].words[i];
}

const char *keys_enum_word(const struct scenario *sc, int key)
{
	int i;
	memcpy(&i, (const char *)sc + keys[key].at, sizeof i);
	const char *w = i >= 0 ? keys_word(key, i) : NULL;
	return w ? w : "unknown";
}

int keys_find(int sec, const char *name)
{
	for (int k = 0; k < KEY_COUNT; k++)
		if ((int)keys[k].sec == sec && strcmp(keys[k].name, name) == 0)
			return k;
	return -1;
}

void keys_fail_unknown(struct pstate *ps, int line, int sec, const char *name)
{
	char list[200] = "", eb[ECHO_MAX + 4];
	size_t n = 0;
	for (int k = 0; k < KEY_COUNT && n < sizeof list; k++)
		if ((int)keys[k].sec == sec)
			n += (size_t)snprintf(list + n, sizeof list - n, "%s%s", n ? ", " : "", keys[k].name);
	parse_fail(ps, line, -1, "%s.%s: unknown key (keys of [%s]: %s)", section_names[sec], parse_echo(eb, name),
		   section_names[sec], list);
}

/* ---- defaults and stored values ------------------------------------------ */

void keys_set_defaults(struct scenario *sc)
{
	memset(sc, 0, sizeof *sc);
	for (int k = 0; k < KEY_COUNT; k++) {
		const struct keyspec *ks = &keys[k];
		if (ks->type == V_LIST && ks->def_items) {
			for (int i = 0; i < ks->maxlen; i++)
				keys_store_int(sc, k, i, ks->def_items[i]);
		} else if (ks->type == V_INT || ks->type == V_ENUM) {
			keys_store_int(sc, k, 0, (long long)ks->def);
		} else if (ks->type == V_REAL) {
			keys_store_real(sc, k, ks->def);
		}
	}
}

void keys_store_int(struct scenario *sc, int key, int item, long long v)
{
	const struct keyspec *ks = &keys[key];
	char *p = (char *)sc + ks->at;
	if (ks->type == V_ENUM && ks->values)
		v = ks->values[v];
	if (ks->u64)
		memcpy(p + (size_t)item * sizeof(uint64_t), &(uint64_t){(uint64_t)v}, sizeof(uint64_t));
	else
		memcpy(p + (size_t)item * sizeof(int), &(int){(int)v}, sizeof(int));
}

void keys_store_real(struct scenario *sc, int key, double v)
{
	memcpy((char *)sc + keys[key].at, &v, sizeof v);
}

/* The bytes struct scenario keeps a key in: the value (a list's items)
 * and a list's count. */
void keys_copy(struct scenario *dst, const struct scenario *src, int key)
{
	const struct keyspec *ks = &keys[key];
	size_t item = ks->u64 ? sizeof(uint64_t) : ks->type == V_REAL ? sizeof(double) : sizeof(int);
	size_t n = ks->type == V_TEXT ? (size_t)ks->maxlen + 1 : ks->type == V_LIST ? (size_t)ks->maxlen * item : item;
	memcpy((char *)dst + ks->at, (const char *)src + ks->at, n);
	if (ks->type == V_LIST && ks->count_at)
		memcpy((char *)dst + ks->count_at, (const char *)src + ks->count_at, sizeof(int));
}

/* Knobs turn the numbers of [data], [model] and [train]; a list of seeds is
 * not a number to turn. */
bool keys_number(const struct scenario *sc, int key, double *v)
{
	const struct keyspec *ks = &keys[key];
	const char *p = (const char *)sc + ks->at;
	if (ks->sec == SEC_SCENARIO || ks->u64 || !(ks->type == V_INT || ks->type == V_REAL || ks->type == V_LIST))
		return false;
	if (ks->type == V_REAL) {
		memcpy(v, p, sizeof *v);
	} else {
		int i;
		memcpy(&i, p, sizeof i);
		*v = i;
	}
	return true;
}

const char *scenario_kind_name(enum scenario_kind k)
{
	const char *w = keys_word(KEY_KIND, (int)k);
	return w ? w : "unknown";
}
