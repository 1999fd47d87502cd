/* keys.c: the scenario format's keys, their defaults, and the checks that
 * run once the whole file (and every --set) is read. */
#include <math.h>
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

/* Enum keys are stored through an int. */
_Static_assert(SCENARIO_MAX_WIDTHS <= VALUE_MAX_ITEMS && sizeof(enum scenario_kind) == sizeof(int) && sizeof(enum data_target) == sizeof(int) &&
		       sizeof(enum covariance_kind) == sizeof(int) && sizeof(enum init_kind) == sizeof(int) &&
		       sizeof(enum optim_kind) == sizeof(int),
	       "enum keys are stored as int");

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

/* ---- defaults and validation ------------------------------------------ */

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
		parse_fail(ps, ps->sec_line[sec], key, "required key is missing");
	else
		parse_fail(ps, 1, key, "required key is missing (no [%s] section)", section_names[sec]);
	return false;
}

/* A key the kind (or another setting) ignores is an error: a teacher who
 * sets it expects it to change something. */
static bool check_unused(struct pstate *ps, int key, const char *why)
{
	if (!ps->key_line[key])
		return true;
	parse_fail(ps, ps->key_line[key], key, "has no effect with %s", why);
	return false;
}

void keys_validate(struct pstate *ps)
{
	struct scenario *sc = ps->sc;
	static const int required[] = {KEY_KIND, KEY_TITLE, KEY_SAMPLES, KEY_DIM};
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
	if (!dd && !check_required(ps, KEY_EPOCHS))
		return;
	if (!linear && !dd && !check_required(ps, KEY_WIDTHS))
		return;

	/* Defaults that depend on the kind. */
	if (!ps->key_line[KEY_TARGET])
		sc->data.target = linear || dd ? TARGET_LINEAR : mc ? TARGET_SIN3 : lt ? TARGET_TEACHER : TARGET_SIN_COS;
	if (!ps->key_line[KEY_OPTIMIZER]) {
		ps->opt_gd = linear;
		sc->train.optimizer = mc ? OPTIM_ADAM : OPTIM_SGD;
	}
	if (!ps->key_line[KEY_LR] && ps->opt_gd) {
		ps->lr_auto = true;
		sc->train.lr = 0;
	}

	char why[64];
	snprintf(why, sizeof why, "kind %s", scenario_kind_name(sc->kind));
	if (linear) {
		static const int mlp_only[] = {KEY_DEPTH, KEY_WIDTHS, KEY_INIT, KEY_INIT_STD, KEY_INIT_SEEDS};
		for (size_t i = 0; i < sizeof mlp_only / sizeof *mlp_only; i++)
			if (!check_unused(ps, mlp_only[i], why))
				return;
	} else {
		static const int linear_only[] = {KEY_SIGNAL_DIM, KEY_COVARIANCE, KEY_LAMBDA_TAIL};
		for (size_t i = 0; i < sizeof linear_only / sizeof *linear_only; i++)
			if (!(linear_only[i] == KEY_SIGNAL_DIM && sc->data.target == TARGET_TEACHER) && /* its inputs */
			    !check_unused(ps, linear_only[i], why))
				return;
		if (!mc && !check_unused(ps, KEY_INIT_SEEDS, why))
			return;
	}
	if (dd) {
		/* Closed-form fits of random ReLU features to a linear teacher:
		 * no network, no optimiser, no epochs. */
		static const int not_dd[] = {KEY_TARGET, KEY_DEPTH, KEY_WIDTHS, KEY_INIT, KEY_INIT_STD,
					     KEY_OPTIMIZER, KEY_LR, KEY_EPOCHS, KEY_EVAL_EVERY};
		for (size_t i = 0; i < sizeof not_dd / sizeof *not_dd; i++)
			if (!check_unused(ps, not_dd[i], why))
				return;
	} else {
		static const int dd_only[] = {KEY_FEATURES_FROM, KEY_FEATURES_TO, KEY_FEATURES_POINTS, KEY_RIDGE, KEY_REPEATS};
		for (size_t i = 0; i < sizeof dd_only / sizeof *dd_only; i++) {
			if (dd_only[i] == KEY_REPEATS && sc->kind == KIND_BARRIER_WIDTH)
				continue; /* pairs of nets averaged at each width */
			if (!check_unused(ps, dd_only[i], why))
				return;
		}
	}
	if (lazy) {
		/* One hidden layer in the NTK parameterisation, N(0, 1) weights,
		 * and no test set: what it measures is on the training set. */
		static const int not_lazy[] = {KEY_DEPTH, KEY_INIT, KEY_INIT_STD, KEY_TEST_SAMPLES};
		for (size_t i = 0; i < sizeof not_lazy / sizeof *not_lazy; i++)
			if (!check_unused(ps, not_lazy[i], why))
				return;
	}
	if (!lt) {
		static const int lt_only[] = {KEY_ROUNDS, KEY_PRUNE, KEY_REWIND};
		for (size_t i = 0; i < sizeof lt_only / sizeof *lt_only; i++)
			if (!check_unused(ps, lt_only[i], why))
				return;
	}
	if (sc->data.target != TARGET_TEACHER) {
		char twhy[64];
		snprintf(twhy, sizeof twhy, "target %s", keys_enum_word(sc, KEY_TARGET));
		if (!check_unused(ps, KEY_TEACHER_WIDTH, twhy))
			return;
	}
	/* What the experiments read today: only the width sweep marks a
	 * convergence epoch, only mode connectivity stops early or has an alpha
	 * grid, and it has no test set; the linear kind evaluates every epoch. */
	if (sc->kind != KIND_WIDTH_SWEEP && !check_unused(ps, KEY_THRESHOLD, why))
		return;
	if (!mc && ((!lazy && !check_unused(ps, KEY_TARGET_LOSS, why)) || !check_unused(ps, KEY_ALPHA_POINTS, why)))
		return;
	if (mc && !check_unused(ps, KEY_TEST_SAMPLES, why))
		return;
	if (linear && !check_unused(ps, KEY_EVAL_EVERY, why))
		return;
	/* barrier_width measures each pair once, when it is trained */
	if (sc->kind == KIND_BARRIER_WIDTH && !check_unused(ps, KEY_EVAL_EVERY, why))
		return;
	if (sc->model.init == INIT_TORCH_DEFAULT && !check_unused(ps, KEY_INIT_STD, "init torch_default"))
		return;
	if (sc->data.covariance == COV_ISOTROPIC && !check_unused(ps, KEY_LAMBDA_TAIL, "covariance isotropic"))
		return;

	/* Cross-field checks. */
	if (linear && sc->data.target != TARGET_LINEAR) {
		parse_fail(ps, line_of(ps, KEY_TARGET), KEY_TARGET, "kind benign_overfitting takes only target linear");
		return;
	}
	if (!linear && !dd && sc->data.target == TARGET_LINEAR) {
		parse_fail(ps, line_of(ps, KEY_TARGET), KEY_TARGET, "linear is only for kind benign_overfitting");
		return;
	}
	if (sc->data.target == TARGET_SIN_COS && sc->data.dim < 10) {
		parse_fail(ps, line_of(ps, KEY_DIM), KEY_DIM, "target sin_cos needs dim >= 10, got %d", sc->data.dim);
		return;
	}
	if (sc->data.target == TARGET_SIN3 && sc->data.dim < 3) {
		parse_fail(ps, line_of(ps, KEY_DIM), KEY_DIM, "target sin3 needs dim >= 3, got %d", sc->data.dim);
		return;
	}
	if (linear && sc->data.signal_dim > sc->data.dim) {
		int key_set = ps->key_line[KEY_SIGNAL_DIM] ? KEY_SIGNAL_DIM : KEY_DIM;
		parse_fail(ps, line_of(ps, key_set), KEY_SIGNAL_DIM, "%d%s is more than data.dim (%d)", sc->data.signal_dim,
			   ps->key_line[KEY_SIGNAL_DIM] ? "" : " (the default)", sc->data.dim);
		return;
	}
	if (mc && sc->kind != KIND_BARRIER_WIDTH && sc->model.n_widths != 1) {
		parse_fail(ps, line_of(ps, KEY_WIDTHS), KEY_WIDTHS, "kind %s takes exactly one width, got %d",
			   scenario_kind_name(sc->kind), sc->model.n_widths);
		return;
	}
	if (sc->kind == KIND_CURVED_PATH && !(sc->train.target_loss > 0)) {
		parse_fail(ps, line_of(ps, KEY_TARGET_LOSS), KEY_TARGET_LOSS,
			   "kind curved_path needs a target loss > 0 (the bend trains once both nets reach it)");
		return;
	}
	if (linear && !ps->opt_gd) {
		parse_fail(ps, line_of(ps, KEY_OPTIMIZER), KEY_OPTIMIZER, "kind benign_overfitting trains with gd, not %s",
			   sc->train.optimizer == OPTIM_ADAM ? "adam" : "sgd");
		return;
	}
	if (!linear && ps->opt_gd) {
		parse_fail(ps, line_of(ps, KEY_OPTIMIZER), KEY_OPTIMIZER, "gd is only for kind benign_overfitting (use sgd or adam)");
		return;
	}
	if (ps->lr_auto && !ps->opt_gd) {
		parse_fail(ps, line_of(ps, KEY_LR), KEY_LR, "auto is only for optimizer gd");
		return;
	}
	if ((dd || sc->data.covariance == COV_BOTH) && sc->data.test_samples < 1) {
		parse_fail(ps, line_of(ps, KEY_TEST_SAMPLES), KEY_TEST_SAMPLES, "%s needs test samples (its curves are test MSE)",
			   dd ? "kind double_descent" : "covariance both");
		return;
	}
	if (dd && !(sc->model.features_from < sc->model.features_to)) {
		int key = ps->key_line[KEY_FEATURES_TO] ? KEY_FEATURES_TO : KEY_FEATURES_FROM;
		parse_fail(ps, line_of(ps, key), key, "the grid needs features_from (%g) < features_to (%g)",
			   sc->model.features_from, sc->model.features_to);
		return;
	}
	if (sc->data.target == TARGET_TEACHER && !lt) {
		parse_fail(ps, line_of(ps, KEY_TARGET), KEY_TARGET, "teacher is only for kind lottery_ticket");
		return;
	}
	if (sc->data.target == TARGET_TEACHER && sc->data.signal_dim > sc->data.dim) {
		int key_set = ps->key_line[KEY_SIGNAL_DIM] ? KEY_SIGNAL_DIM : KEY_DIM;
		parse_fail(ps, line_of(ps, key_set), KEY_SIGNAL_DIM, "%d%s is more than data.dim (%d)", sc->data.signal_dim,
			   ps->key_line[KEY_SIGNAL_DIM] ? "" : " (the default)", sc->data.dim);
		return;
	}
	if (lazy && sc->train.optimizer == OPTIM_ADAM) {
		parse_fail(ps, line_of(ps, KEY_OPTIMIZER), KEY_OPTIMIZER,
			   "kind lazy_training trains with plain gradient descent (sgd), not adam");
		return;
	}
	for (int i = 1; lazy && i < sc->model.n_widths; i++)
		if (sc->model.widths[i] <= sc->model.widths[i - 1]) {
			parse_fail(ps, line_of(ps, KEY_WIDTHS), KEY_WIDTHS, "kind lazy_training needs increasing widths (%d after %d)",
				   sc->model.widths[i], sc->model.widths[i - 1]);
			return;
		}
	if (lt && sc->model.n_widths != 1) {
		parse_fail(ps, line_of(ps, KEY_WIDTHS), KEY_WIDTHS, "kind lottery_ticket takes exactly one width, got %d",
			   sc->model.n_widths);
		return;
	}
	if (lt && sc->data.test_samples < 1) {
		parse_fail(ps, line_of(ps, KEY_TEST_SAMPLES), KEY_TEST_SAMPLES,
			   "kind lottery_ticket needs test samples (its curves are test loss)");
		return;
	}
	if (lt && sc->train.rewind >= sc->train.epochs) {
		int key = ps->key_line[KEY_REWIND] ? KEY_REWIND : KEY_EPOCHS;
		parse_fail(ps, line_of(ps, key), key, "rewind epoch %d is not below train.epochs (%d)", sc->train.rewind,
			   sc->train.epochs);
		return;
	}

	size_t need = scenario_memory(sc);
	if (need > SCENARIO_MEMORY_CAP) {
		int key = KEY_WIDTHS;
		if (linear) {
			double n = sc->data.samples, nt = sc->data.test_samples, p = sc->data.dim;
			key = nt * p > n * p + n * n ? KEY_TEST_SAMPLES : KEY_SAMPLES;
		}
		if (dd)
			key = sc->data.test_samples > sc->data.samples ? KEY_TEST_SAMPLES : KEY_SAMPLES;
		char have[32], cap[32];
		value_format_bytes(have, sizeof have, need, SCENARIO_MEMORY_CAP);
		value_format_bytes(cap, sizeof cap, SCENARIO_MEMORY_CAP, SCENARIO_MEMORY_CAP);
		parse_fail(ps, line_of(ps, key), key, "needs %s, over the %s cap", have, cap);
	}
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
	const char *w = keys_word(KEY_KIND, (int)k);
	return w ? w : "unknown";
}
