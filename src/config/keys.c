/* keys.c: the scenario format's keys, their defaults, and the checks that
 * run once the whole file (and every --set) is read. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "config/parse.h"

const char *const section_names[SEC_COUNT] = {"scenario", "data", "model", "train", "knobs"};

/* Words of the enum keys, in the order of their C enums (optimizer: sgd and
 * adam are enum optim_kind, gd is plain gradient descent for the linear kind). */
static const char *const kind_words[] = {"width_sweep", "mode_connectivity", "benign_overfitting", "double_descent",
					 "lazy_training", "lottery_ticket", "permutation_alignment", "curved_path",
					 "barrier_width", NULL};
const char *const target_words[] = {"sin_cos", "sin3", "linear", "teacher", NULL};
static const char *const covariance_words[] = {"isotropic", "spiked", "both", NULL};
static const char *const init_words[] = {"torch_default", "normal", NULL};
static const char *const optimizer_words[] = {"sgd", "adam", "gd", NULL};
const struct keyspec keys[K_COUNT] = {
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


int keys_find(int sec, const char *name)
{
	for (int k = 0; k < K_COUNT; k++)
		if ((int)keys[k].sec == sec && strcmp(keys[k].name, name) == 0)
			return k;
	return -1;
}

void keys_fail_unknown(struct pstate *ps, int line, int sec, const char *name)
{
	char list[200] = "", eb[ECHO_MAX + 4];
	size_t n = 0;
	for (int k = 0; k < K_COUNT && n < sizeof list; k++)
		if ((int)keys[k].sec == sec)
			n += (size_t)snprintf(list + n, sizeof list - n, "%s%s", n ? ", " : "", keys[k].name);
	parse_fail(ps, line, -1, "%s.%s: unknown key (keys of [%s]: %s)", section_names[sec], parse_echo(eb, name),
		   section_names[sec], list);
}

/* ---- defaults and validation ------------------------------------------ */

void keys_set_defaults(struct scenario *sc)
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
		parse_fail(ps, line_of(ps, K_TARGET), K_TARGET, "kind benign_overfitting takes only target linear");
		return;
	}
	if (!linear && !dd && sc->data.target == TARGET_LINEAR) {
		parse_fail(ps, line_of(ps, K_TARGET), K_TARGET, "linear is only for kind benign_overfitting");
		return;
	}
	if (sc->data.target == TARGET_SIN_COS && sc->data.dim < 10) {
		parse_fail(ps, line_of(ps, K_DIM), K_DIM, "target sin_cos needs dim >= 10, got %d", sc->data.dim);
		return;
	}
	if (sc->data.target == TARGET_SIN3 && sc->data.dim < 3) {
		parse_fail(ps, line_of(ps, K_DIM), K_DIM, "target sin3 needs dim >= 3, got %d", sc->data.dim);
		return;
	}
	if (linear && sc->data.signal_dim > sc->data.dim) {
		int key_set = ps->key_line[K_SIGNAL_DIM] ? K_SIGNAL_DIM : K_DIM;
		parse_fail(ps, line_of(ps, key_set), K_SIGNAL_DIM, "%d%s is more than data.dim (%d)", sc->data.signal_dim,
			   ps->key_line[K_SIGNAL_DIM] ? "" : " (the default)", sc->data.dim);
		return;
	}
	if (mc && sc->kind != KIND_BARRIER_WIDTH && sc->model.n_widths != 1) {
		parse_fail(ps, line_of(ps, K_WIDTHS), K_WIDTHS, "kind %s takes exactly one width, got %d",
			   scenario_kind_name(sc->kind), sc->model.n_widths);
		return;
	}
	if (sc->kind == KIND_CURVED_PATH && !(sc->train.target_loss > 0)) {
		parse_fail(ps, line_of(ps, K_TARGET_LOSS), K_TARGET_LOSS,
			   "kind curved_path needs a target loss > 0 (the bend trains once both nets reach it)");
		return;
	}
	if (linear && !ps->opt_gd) {
		parse_fail(ps, line_of(ps, K_OPTIMIZER), K_OPTIMIZER, "kind benign_overfitting trains with gd, not %s",
			   sc->train.optimizer == OPTIM_ADAM ? "adam" : "sgd");
		return;
	}
	if (!linear && ps->opt_gd) {
		parse_fail(ps, line_of(ps, K_OPTIMIZER), K_OPTIMIZER, "gd is only for kind benign_overfitting (use sgd or adam)");
		return;
	}
	if (ps->lr_auto && !ps->opt_gd) {
		parse_fail(ps, line_of(ps, K_LR), K_LR, "auto is only for optimizer gd");
		return;
	}
	if ((dd || sc->data.covariance == COV_BOTH) && sc->data.test_samples < 1) {
		parse_fail(ps, line_of(ps, K_TEST_SAMPLES), K_TEST_SAMPLES, "%s needs test samples (its curves are test MSE)",
			   dd ? "kind double_descent" : "covariance both");
		return;
	}
	if (dd && !(sc->model.features_from < sc->model.features_to)) {
		int key = ps->key_line[K_FEATURES_TO] ? K_FEATURES_TO : K_FEATURES_FROM;
		parse_fail(ps, line_of(ps, key), key, "the grid needs features_from (%g) < features_to (%g)",
			   sc->model.features_from, sc->model.features_to);
		return;
	}
	if (sc->data.target == TARGET_TEACHER && !lt) {
		parse_fail(ps, line_of(ps, K_TARGET), K_TARGET, "teacher is only for kind lottery_ticket");
		return;
	}
	if (sc->data.target == TARGET_TEACHER && sc->data.signal_dim > sc->data.dim) {
		int key_set = ps->key_line[K_SIGNAL_DIM] ? K_SIGNAL_DIM : K_DIM;
		parse_fail(ps, line_of(ps, key_set), K_SIGNAL_DIM, "%d%s is more than data.dim (%d)", sc->data.signal_dim,
			   ps->key_line[K_SIGNAL_DIM] ? "" : " (the default)", sc->data.dim);
		return;
	}
	if (lazy && sc->train.optimizer == OPTIM_ADAM) {
		parse_fail(ps, line_of(ps, K_OPTIMIZER), K_OPTIMIZER,
			   "kind lazy_training trains with plain gradient descent (sgd), not adam");
		return;
	}
	for (int i = 1; lazy && i < sc->model.n_widths; i++)
		if (sc->model.widths[i] <= sc->model.widths[i - 1]) {
			parse_fail(ps, line_of(ps, K_WIDTHS), K_WIDTHS, "kind lazy_training needs increasing widths (%d after %d)",
				   sc->model.widths[i], sc->model.widths[i - 1]);
			return;
		}
	if (lt && sc->model.n_widths != 1) {
		parse_fail(ps, line_of(ps, K_WIDTHS), K_WIDTHS, "kind lottery_ticket takes exactly one width, got %d",
			   sc->model.n_widths);
		return;
	}
	if (lt && sc->data.test_samples < 1) {
		parse_fail(ps, line_of(ps, K_TEST_SAMPLES), K_TEST_SAMPLES,
			   "kind lottery_ticket needs test samples (its curves are test loss)");
		return;
	}
	if (lt && sc->train.rewind >= sc->train.epochs) {
		int key = ps->key_line[K_REWIND] ? K_REWIND : K_EPOCHS;
		parse_fail(ps, line_of(ps, key), key, "rewind epoch %d is not below train.epochs (%d)", sc->train.rewind,
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
	if ((unsigned)k >= KIND_COUNT)
		return "unknown";
	return kind_words[k];
}
