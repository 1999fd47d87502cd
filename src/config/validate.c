/* validate.c: the checks that run once the whole file (and every --set, or
 * a knob's new value) is in: required keys, keys that would have no effect,
 * the checks across keys that hold for every kind, the kind's own
 * (experiment_ops.check), and the memory cap. The first failure is the
 * message. The kinds are known only through the registry. */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/parse.h"
#include "overparam/experiment.h"
#include "overparam/history.h"

struct config_check {
	struct pstate *ps;
};

/* What a target needs beyond the kind: keys it reads, and the least dim. */
static const struct {
	uint64_t keys;
	int min_dim;
} target_needs[] = {
	[TARGET_SIN_COS] = {0, 10},
	[TARGET_SIN3] = {0, 3},
	[TARGET_LINEAR] = {0, 1},
	[TARGET_TEACHER] = {KEY_BIT(KEY_SIGNAL_DIM), 1}, /* the teacher reads the first signal_dim inputs */
};

/* The required keys, reported in this order: the first four whatever the
 * kind, epochs and widths for the kinds that read them. */
static const int required[] = {KEY_KIND, KEY_TITLE, KEY_SAMPLES, KEY_DIM, KEY_EPOCHS, KEY_WIDTHS};

/* The line to blame for a key: where it was set, else its section header,
 * else line 1. */
static int line_in(const struct pstate *ps, const int *key_line /* (KEY_COUNT) */, int key)
{
	if (key_line[key])
		return key_line[key];
	if (ps->sec_line[keys[key].sec])
		return ps->sec_line[keys[key].sec];
	return 1;
}

static int line_of(const struct pstate *ps, int key)
{
	return line_in(ps, ps->key_line, key);
}

bool config_fail(struct config_check *c, enum config_key key, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	parse_vfail(c->ps, line_of(c->ps, (int)key), (int)key, fmt, ap);
	va_end(ap);
	return false;
}

bool config_given(const struct config_check *c, enum config_key key)
{
	return c->ps->key_line[key] != 0;
}

bool config_no_check(struct config_check *c, const struct scenario *sc)
{
	(void)c;
	(void)sc;
	return true;
}

/* Keys that act in this scenario, whichever row or setting says so. */
static uint64_t keys_acting(const struct experiment_ops *ops, const struct scenario *sc)
{
	uint64_t reads_target = ops->keys & KEY_BIT(KEY_TARGET);
	uint64_t acting = ops->keys | (reads_target ? target_needs[sc->data.target].keys : 0);
	for (int k = 0; k < KEY_COUNT; k++)
		if (keys[k].flags & KF_ANY_KIND)
			acting |= KEY_BIT(k);
	return acting;
}

static bool check_required(struct pstate *ps, const struct experiment_ops *ops)
{
	for (size_t i = 0; i < sizeof required / sizeof *required; i++) {
		int key = required[i], sec = (int)keys[key].sec;
		if (ps->key_line[key] || !(keys[key].flags & KF_ANY_KIND || ops->keys & KEY_BIT(key)))
			continue;
		if (ps->sec_line[sec])
			parse_fail(ps, ps->sec_line[sec], key, "required key is missing");
		else
			parse_fail(ps, 1, key, "required key is missing (no [%s] section)", section_names[sec]);
		return false;
	}
	return true;
}

/* The defaults the kind chooses; gd's step is chosen by the solver. */
static void kind_defaults(struct pstate *ps, const struct experiment_ops *ops)
{
	struct scenario *sc = ps->sc;
	if (!ps->key_line[KEY_TARGET])
		sc->data.target = ops->target;
	if (!ps->key_line[KEY_OPTIMIZER]) {
		keys_store_int(sc, KEY_OPTIMIZER, 0, ops->optimizer);
		ps->opt_gd = ops->optimizer == OPT_WORD_GD;
	}
	if (!ps->key_line[KEY_LR] && ps->opt_gd) {
		ps->lr_auto = true;
		sc->train.lr = 0;
	}
}

/* A key that would change nothing is an error: a teacher who sets it
 * expects it to change something. */
static bool check_no_effect(struct pstate *ps, const struct experiment_ops *ops)
{
	const struct scenario *sc = ps->sc;
	uint64_t acting = keys_acting(ops, sc);
	for (int k = 0; k < KEY_COUNT; k++)
		if (ps->key_line[k] && !(acting & KEY_BIT(k))) {
			parse_fail(ps, ps->key_line[k], k, "has no effect with kind %s", ops->kind);
			return false;
		}
	for (int k = 0; k < KEY_COUNT; k++) {
		const struct keyspec *ks = &keys[k];
		int on;
		if (!ks->dep_on || !ps->key_line[k])
			continue;
		memcpy(&on, (const char *)sc + keys[ks->dep].at, sizeof on);
		if (!(ks->dep_on & 1u << on)) {
			parse_fail(ps, ps->key_line[k], k, "has no effect with %s %s", keys[ks->dep].name,
				   keys_enum_word(sc, ks->dep));
			return false;
		}
	}
	return true;
}

/* "a or b": the kinds that read `key` and take word w of it. */
static void kinds_taking(int key, int w, char *buf /* (len) */, size_t len)
{
	const struct experiment_ops *ops;
	size_t n = 0;
	buf[0] = '\0';
	for (int k = 0; (ops = experiment_ops_for((enum scenario_kind)k)) && n < len; k++) {
		unsigned takes = key == KEY_TARGET ? ops->targets : ops->optimizers;
		if (ops->keys & KEY_BIT(key) && takes & 1u << w)
			n += (size_t)snprintf(buf + n, len - n, "%s%s", n ? " or " : "", ops->kind);
	}
}

/* "a or b": the words of `key` in mask. */
static void words_of(int key, unsigned mask, char *buf /* (len) */, size_t len)
{
	size_t n = 0;
	buf[0] = '\0';
	for (int w = 0; keys_word(key, w) && n < len; w++)
		if (mask & 1u << w)
			n += (size_t)snprintf(buf + n, len - n, "%s%s", n ? " or " : "", keys_word(key, w));
}

/* data.target and train.optimizer: a word the kind does not take is named
 * with the one it takes, or with the kinds that take it. */
static bool check_choice(struct pstate *ps, const struct experiment_ops *ops, int key, int w)
{
	unsigned takes = key == KEY_TARGET ? ops->targets : ops->optimizers;
	if (!(ops->keys & KEY_BIT(key)) || takes & 1u << w)
		return true;
	char kinds[160], words[80];
	kinds_taking(key, w, kinds, sizeof kinds);
	words_of(key, takes, words, sizeof words);
	const char *word = keys_word(key, w);
	bool one = (takes & (takes - 1)) == 0;
	if (key == KEY_TARGET && one)
		parse_fail(ps, line_of(ps, key), key, "kind %s takes only target %s", ops->kind, words);
	else if (one)
		parse_fail(ps, line_of(ps, key), key, "kind %s trains with %s, not %s", ops->kind, words, word);
	else if (!kinds[0])
		parse_fail(ps, line_of(ps, key), key, "kind %s does not take %s", ops->kind, word);
	else if (key == KEY_TARGET)
		parse_fail(ps, line_of(ps, key), key, "%s is only for kind %s", word, kinds);
	else
		parse_fail(ps, line_of(ps, key), key, "%s is only for kind %s (use %s)", word, kinds, words);
	return false;
}

/* The checks across keys that hold whatever the kind. */
static bool check_across(struct pstate *ps, const struct experiment_ops *ops)
{
	const struct scenario *sc = ps->sc;
	if (!check_choice(ps, ops, KEY_TARGET, (int)sc->data.target))
		return false;
	/* A kind that reads no target (double descent, a new kind) has none
	 * to need a dimension. */
	int min_dim = ops->keys & KEY_BIT(KEY_TARGET) ? target_needs[sc->data.target].min_dim : 1;
	if (sc->data.dim < min_dim) {
		parse_fail(ps, line_of(ps, KEY_DIM), KEY_DIM, "target %s needs dim >= %d, got %d",
			   keys_enum_word(sc, KEY_TARGET), min_dim, sc->data.dim);
		return false;
	}
	if (keys_acting(ops, sc) & KEY_BIT(KEY_SIGNAL_DIM) && sc->data.signal_dim > sc->data.dim) {
		bool given = ps->key_line[KEY_SIGNAL_DIM] != 0;
		parse_fail(ps, line_of(ps, given ? KEY_SIGNAL_DIM : KEY_DIM), KEY_SIGNAL_DIM,
			   "%d%s is more than data.dim (%d)", sc->data.signal_dim, given ? "" : " (the default)",
			   sc->data.dim);
		return false;
	}
	if (ops->one_width && sc->model.n_widths != 1) {
		parse_fail(ps, line_of(ps, KEY_WIDTHS), KEY_WIDTHS, "kind %s takes exactly one width, got %d", ops->kind,
			   sc->model.n_widths);
		return false;
	}
	int opt = ps->opt_gd ? OPT_WORD_GD : sc->train.optimizer == OPTIM_ADAM ? OPT_WORD_ADAM : OPT_WORD_SGD;
	if (!check_choice(ps, ops, KEY_OPTIMIZER, opt))
		return false;
	if (ps->lr_auto && !ps->opt_gd) {
		parse_fail(ps, line_of(ps, KEY_LR), KEY_LR, "auto is only for optimizer gd");
		return false;
	}
	if (sc->data.covariance == COV_BOTH && sc->data.test_samples < 1) {
		parse_fail(ps, line_of(ps, KEY_TEST_SAMPLES), KEY_TEST_SAMPLES,
			   "covariance both needs test samples (its curves are test MSE)");
		return false;
	}
	return true;
}

/* The kind's estimate with what allocators round up, alignment and LAPACK's
 * workspaces add. A kind without one never fits (test_registry.c catches
 * it first). */
static size_t memory_of(const struct experiment_ops *ops, const struct scenario *sc, enum config_key *blame)
{
	*blame = KEY_WIDTHS;
	if (!ops || !ops->memory)
		return SIZE_MAX;
	double bytes = ops->memory(sc, blame);
	bytes += bytes / 16 + 65536;
	if (bytes >= (double)SIZE_MAX)
		return SIZE_MAX;
	return (size_t)bytes;
}

size_t scenario_memory(const struct scenario *sc)
{
	enum config_key blame;
	return memory_of(experiment_ops_for(sc->kind), sc, &blame);
}

/* What the cap holds: the experiment's estimate and the history's budget. */
static size_t memory_with_history(const struct experiment_ops *ops, const struct scenario *sc,
				  enum config_key *blame)
{
	size_t need = memory_of(ops, sc, blame), hist = history_budget(sc);
	return need > SIZE_MAX - hist ? SIZE_MAX : need + hist;
}

/* tmp with key k as the file had it (the kind's default where the file
 * left it to the kind). */
static void put_back(const struct pstate *ps, struct scenario *tmp, int k)
{
	keys_copy(tmp, ps->before_sets, k);
	const struct experiment_ops *ops = experiment_ops_for(tmp->kind);
	if (!ops || ps->file_line[k])
		return;
	if (k == KEY_TARGET)
		tmp->data.target = ops->target;
	else if (k == KEY_OPTIMIZER)
		keys_store_int(tmp, KEY_OPTIMIZER, 0, ops->optimizer);
}

/* Estimate of tmp: ps->sc with the keys in `back` (KEY_BIT) put back. */
static size_t memory_without(const struct pstate *ps, struct scenario *tmp, uint64_t back)
{
	enum config_key blame;
	*tmp = *ps->sc;
	for (int k = 0; k < KEY_COUNT; k++)
		if (back & KEY_BIT(k))
			put_back(ps, tmp, k);
	return memory_with_history(experiment_ops_for(tmp->kind), tmp, &blame);
}

/* The key of the --set that raised the memory most: the one whose key, put
 * back as the file had it, lowers the estimate most (the first on a tie).
 * -1 when no --set raised it, -2 when the file alone is over the cap. */
static int blame_set(const struct pstate *ps, size_t need)
{
	uint64_t set_keys = 0;
	for (int k = 0; k < KEY_COUNT; k++)
		set_keys |= ps->key_line[k] < 0 ? KEY_BIT(k) : 0;
	struct scenario *tmp = set_keys && ps->before_sets && !ps->ctx ? malloc(sizeof *tmp) : NULL;
	if (!tmp)
		return -1;
	int best = -1;
	if (memory_without(ps, tmp, set_keys) > SCENARIO_MEMORY_CAP)
		best = -2;
	for (int pos = 1; best != -2 && pos <= ps->n_sets; pos++)
		for (int k = 0; k < KEY_COUNT; k++) {
			size_t m = ps->key_line[k] == -pos ? memory_without(ps, tmp, KEY_BIT(k)) : need;
			if (m < need) {
				need = m;
				best = k;
			}
		}
	free(tmp);
	return best;
}

/* Over the cap (the experiment and the live UI's history of its curves,
 * bounded: history.h): the kind names the key to blame, unless a --set
 * raised the memory (that --set is blamed), or the file alone is over the
 * cap (its own line is, even where a --set changed the key). */
static void check_memory(struct pstate *ps, const struct experiment_ops *ops)
{
	enum config_key blame;
	size_t need = memory_with_history(ops, ps->sc, &blame);
	if (need <= SCENARIO_MEMORY_CAP)
		return;
	int by_set = blame_set(ps, need);
	if (by_set >= 0)
		blame = (enum config_key)by_set;
	int line = by_set == -2 ? line_in(ps, ps->file_line, blame) : line_of(ps, blame);
	char have[32], cap[32];
	value_format_bytes(have, sizeof have, need, SCENARIO_MEMORY_CAP);
	value_format_bytes(cap, sizeof cap, SCENARIO_MEMORY_CAP, SCENARIO_MEMORY_CAP);
	parse_fail(ps, line, blame, "needs %s, over the %s cap", have, cap);
}

void validate_scenario(struct pstate *ps)
{
	const struct experiment_ops *ops = experiment_ops_for(ps->sc->kind);
	if (!ops) {
		parse_fail(ps, line_of(ps, KEY_KIND), KEY_KIND, "unknown kind");
		return;
	}
	if (!check_required(ps, ops))
		return;
	kind_defaults(ps, ops);
	if (!check_no_effect(ps, ops) || !check_across(ps, ops))
		return;
	struct config_check c = {ps};
	if (ops->check && !ops->check(&c, ps->sc))
		return;
	check_memory(ps, ops);
}
