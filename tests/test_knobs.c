/* test_knobs.c: live knobs and --set, as a teacher uses them. A [knobs]
 * line gives the values a key steps through (list, linear or geometric
 * range, the file's own value included); every mistake has its exact
 * message (docs/scenario-format.md); scenario_apply_knob changes a scenario
 * exactly as the file or --set would have, and refuses what validation
 * refuses; --set overrides are checked before validation; the trainer
 * applies CMD_KNOB to its own copy and restarts with the same seed. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "overparam/scenario.h"
#include "overparam/trainer.h"

/* Width sweep: [data] line 4, [model] 7, widths 8, [train] 9, epochs 10,
 * [knobs] 11, first knob line 12. */
#define WS(m, t, k)                                                                                               \
	"[scenario]\nkind = width_sweep\ntitle = T\n[data]\nsamples = 10\ndim = 10\n[model]\n" m "[train]\n" t    \
	"[knobs]\n" k
#define M1 "widths = 4\n"
#define T1 "epochs = 5\n"
/* Linear: [data] line 4, samples 5, dim 6, [train] 7, epochs 8, [knobs] 9,
 * first knob line 10. */
#define LIN(d, k)                                                                                                 \
	"[scenario]\nkind = benign_overfitting\ntitle = T\n[data]\nsamples = 10\ndim = 20\n" d "[train]\n"        \
	"epochs = 5\n[knobs]\n" k
/* Mode connectivity with one width: first knob line 15. */
#define MC(k)                                                                                                     \
	"[scenario]\nkind = mode_connectivity\ntitle = T\n[data]\nsamples = 10\ndim = 10\n[model]\n"              \
	"widths = 200\ndepth = 2\ninit = normal\ninit_std = 0.1\n[train]\nepochs = 5\n[knobs]\n" k

static void parse_ok_sets(const char *text, const char *const *sets, int n, struct scenario *sc)
{
	char err[SCENARIO_ERR_LEN] = "";
	if (scenario_parse_sets(text, strlen(text), "t.ini", sets, n, sc, err, sizeof err) != 0)
		fail_msg("unexpected error: %s", err);
}

static void parse_ok(const char *text, struct scenario *sc)
{
	parse_ok_sets(text, NULL, 0, sc);
}

static void parse_err_sets(const char *text, const char *const *sets, int n, const char *expected)
{
	static struct scenario sc;
	char err[SCENARIO_ERR_LEN];
	memset(err, 'X', sizeof err);
	assert_int_equal(scenario_parse_sets(text, strlen(text), "t.ini", sets, n, &sc, err, sizeof err), -1);
	assert_string_equal(err, expected);
}

static void parse_err(const char *text, const char *expected)
{
	parse_err_sets(text, NULL, 0, expected);
}

static void assert_values(const struct knob *k, const double *want, int n, int current)
{
	assert_int_equal(k->n_values, n);
	for (int i = 0; i < n; i++)
		if (k->values[i] != want[i])
			fail_msg("value %d: got %.17g, want %.17g", i, k->values[i], want[i]);
	assert_int_equal(k->current, current);
}

/* ---- [knobs] that parse --------------------------------------------------- */

static void test_list_sorted_with_own_value(void **state)
{
	(void)state;
	struct scenario sc;
	parse_ok(WS(M1, "epochs = 5\nlr = 0.01\n", "lr = train.lr: 0.1, 0.001, 0.01\n"), &sc);
	assert_int_equal(sc.n_knobs, 1);
	assert_string_equal(sc.knobs[0].name, "lr");
	assert_string_equal(sc.knobs[0].target, "train.lr");
	assert_int_equal(sc.knobs[0].line, 13);
	assert_values(&sc.knobs[0], (const double[]){0.001, 0.01, 0.1}, 3, 1);

	/* The file's value, when not listed, is inserted in order. */
	parse_ok(WS(M1, "epochs = 5\nlr = 0.02\n", "lr = train.lr: 0.1, 0.001, 0.01\n"), &sc);
	assert_values(&sc.knobs[0], (const double[]){0.001, 0.01, 0.02, 0.1}, 4, 2);
	/* A default counts as the file's value: depth 2. */
	parse_ok(WS(M1, T1, "depth = model.depth: 3, 1\n"), &sc);
	assert_values(&sc.knobs[0], (const double[]){1, 2, 3}, 3, 1);
}

static void test_ranges(void **state)
{
	(void)state;
	struct scenario sc;
	parse_ok(WS(M1, T1, "depth = model.depth: 1..4 step 1\n"), &sc);
	assert_values(&sc.knobs[0], (const double[]){1, 2, 3, 4}, 4, 1);
	/* Decimal steps land on the decimals, not on 0.30000000000000004. */
	parse_ok(LIN("noise = 0.2\n", "noise = data.noise: 0..0.3 step 0.1\n"), &sc);
	assert_values(&sc.knobs[0], (const double[]){0, 0.1, 0.2, 0.3}, 4, 2);
	/* The high end is kept only when a step lands on it. */
	parse_ok(LIN("noise = 0.2\n", "noise = data.noise: 0..0.35 step 0.1\n"), &sc);
	assert_values(&sc.knobs[0], (const double[]){0, 0.1, 0.2, 0.3}, 4, 2);
	parse_ok(LIN("covariance = spiked\nlambda_tail = 0.01\n", "tail = data.lambda_tail: 0.001..1 x 10\n"), &sc);
	assert_values(&sc.knobs[0], (const double[]){0.001, 0.01, 0.1, 1}, 4, 1);
	/* Integer keys round a geometric range: 20, 30, 45, 67.5 -> 68. */
	parse_ok(LIN("", "p = data.dim: 20..100 x 1.5\n"), &sc);
	assert_values(&sc.knobs[0], (const double[]){20, 30, 45, 68}, 4, 0);
	/* Rounding that repeats a value keeps it once: 1, 1.2 -> 1, 1.44 -> 1, 1.728 -> 2. */
	parse_ok(WS(M1, T1, "depth = model.depth: 1..2 x 1.2\n"), &sc);
	assert_values(&sc.knobs[0], (const double[]){1, 2}, 2, 1);
}

static void test_width_of_one_width_model_and_continuation(void **state)
{
	(void)state;
	struct scenario sc;
	parse_ok(MC("width = model.widths: 50,\n  100\nstd = model.init_std: 0.01..1 x 10\n"), &sc);
	assert_int_equal(sc.n_knobs, 2);
	assert_string_equal(sc.knobs[0].target, "model.widths");
	assert_values(&sc.knobs[0], (const double[]){50, 100, 200}, 3, 2);
	assert_values(&sc.knobs[1], (const double[]){0.01, 0.1, 1}, 3, 1);
	assert_int_equal(sc.knobs[1].line, 17);
}

/* ---- [knobs] mistakes, each with its exact message ------------------------ */

static void test_knob_target_errors(void **state)
{
	(void)state;
	parse_err(WS(M1, T1, "lr = 0.1\n"), "t.ini:12: knobs.lr: expected 'section.key: values', got '0.1'");
	parse_err(WS(M1, T1, "x = train.foo: 1, 2\n"), "t.ini:12: knobs.x: unknown key 'train.foo'");
	parse_err(WS(M1, T1, "x = foo: 1, 2\n"), "t.ini:12: knobs.x: unknown key 'foo'");
	parse_err(WS(M1, T1, "x = scenario.seed: 1, 2\n"),
		  "t.ini:12: knobs.x: scenario.seed cannot be a knob (knobs turn the numbers of [data], [model] and "
		  "[train])");
	parse_err(WS(M1, T1, "x = data.target: 1, 2\n"),
		  "t.ini:12: knobs.x: data.target cannot be a knob (knobs turn the numbers of [data], [model] and "
		  "[train])");
	/* Keys the kind, or another setting, ignores. */
	parse_err(WS(M1, T1, "tail = data.lambda_tail: 0.1, 1\n"),
		  "t.ini:12: knobs.tail: data.lambda_tail: has no effect with kind width_sweep");
	parse_err(LIN("", "tail = data.lambda_tail: 0.1, 1\n"),
		  "t.ini:10: knobs.tail: data.lambda_tail: has no effect with covariance isotropic");
	parse_err(LIN("", "d = model.depth: 1, 2\n"), "t.ini:10: knobs.d: model.depth: has no effect with kind benign_overfitting");
	parse_err(WS("widths = 4, 8\n", T1, "w = model.widths: 4, 16\n"),
		  "t.ini:12: knobs.w: model.widths has 2 widths; a knob sets the width of a one-width model");
	parse_err(LIN("", "lr = train.lr: 0.1, 0.2\n"),
		  "t.ini:10: knobs.lr: train.lr is auto here; give it a number to turn it with a knob");
	parse_err(WS(M1, T1, "a = train.lr: 0.1, 1\nb = train.lr: 0.2, 1\n"),
		  "t.ini:13: knobs.b: train.lr already has the knob a (line 12)");
}

static void test_knob_value_errors(void **state)
{
	(void)state;
	parse_err(WS(M1, T1, "lr = train.lr:\n"), "t.ini:12: knobs.lr: no values after train.lr:");
	parse_err(WS(M1, T1, "lr = train.lr: 0.1, abc\n"), "t.ini:12: knobs.lr: train.lr: 'abc' is not a number");
	parse_err(WS(M1, T1, "lr = train.lr: 0, 0.1\n"),
		  "t.ini:12: knobs.lr: train.lr: 0 is out of range (> 0 and <= 100, or auto with optimizer gd)");
	parse_err(WS(M1, T1, "lr = train.lr: auto, 0.1\n"), "t.ini:12: knobs.lr: 'auto' cannot be a knob value");
	parse_err(WS(M1, T1, "d = model.depth: 1.5, 2\n"), "t.ini:12: knobs.d: model.depth: '1.5' is not an integer");
	parse_err(WS(M1, T1, "d = model.depth: 1, 9\n"), "t.ini:12: knobs.d: model.depth: 9 is out of range (1..8)");
	parse_err(WS(M1, T1, "lr = train.lr: 0.1,,0.2\n"), "t.ini:12: knobs.lr: item 2 is empty");
	parse_err(WS(M1, T1, "lr = train.lr: 0.1, 0.2, 0.10\n"), "t.ini:12: knobs.lr: 0.1 is listed twice");
	parse_err(WS(M1, T1, "lr = train.lr: 0.01\n"), "t.ini:12: knobs.lr: one value is not a knob: give at least two");
	char many[400] = "e = train.epochs: 1";
	for (int i = 2; i <= 33; i++)
		snprintf(many + strlen(many), sizeof many - strlen(many), ",%d", i);
	char text[800];
	snprintf(text, sizeof text, WS(M1, T1, "%s\n"), many);
	parse_err(text, "t.ini:12: knobs.e: 33 values, at most 32");
}

static void test_knob_range_errors(void **state)
{
	(void)state;
	parse_err(WS(M1, T1, "lr = train.lr: 0.1..1 by 2\n"),
		  "t.ini:12: knobs.lr: '0.1..1 by 2' is not LO..HI step S or LO..HI x F");
	parse_err(WS(M1, T1, "lr = train.lr: 0.1..1 x\n"),
		  "t.ini:12: knobs.lr: '0.1..1 x' is not LO..HI step S or LO..HI x F");
	parse_err(WS(M1, T1, "lr = train.lr: 0.1..1 x 2 3\n"),
		  "t.ini:12: knobs.lr: '0.1..1 x 2 3' is not LO..HI step S or LO..HI x F");
	parse_err(WS(M1, T1, "lr = train.lr: 1..0.1 x 10\n"),
		  "t.ini:12: knobs.lr: 1..0.1: the low end must be below the high end");
	parse_err(WS(M1, T1, "lr = train.lr: 0.001..1 x 1\n"), "t.ini:12: knobs.lr: factor '1' is not a number > 1");
	parse_err(WS(M1, T1, "lr = train.lr: 0.001..1 step 0\n"), "t.ini:12: knobs.lr: step '0' is not a number > 0");
	parse_err(WS(M1, T1, "d = model.depth: 1..4 step 0.5\n"),
		  "t.ini:12: knobs.d: step '0.5' is not a whole number > 0");
	parse_err(WS(M1, T1, "n = data.noise: 0..1 x 2\n"), "t.ini:12: knobs.n: x 2 needs a low end > 0");
	parse_err(WS(M1, T1, "n = data.noise: 0..1 step 0.01\n"), "t.ini:12: knobs.n: 101 values, at most 32");
	parse_err(WS(M1, T1, "lr = train.lr: 0..1 step 0.1\n"),
		  "t.ini:12: knobs.lr: train.lr: 0 is out of range (> 0 and <= 100, or auto with optimizer gd)");
}

static void test_knob_name_errors(void **state)
{
	(void)state;
	parse_err(WS(M1, T1, "my knob = train.lr: 0.1, 1\n"),
		  "t.ini:12: knobs.my knob: a knob name is 1 to 15 letters, digits, _ or -");
	parse_err(WS(M1, T1, "a_very_long_knob = train.lr: 0.1, 1\n"),
		  "t.ini:12: knobs.a_very_long_knob: a knob name is 1 to 15 letters, digits, _ or -");
	parse_err(WS(M1, T1, "a = train.lr: 0.1, 1\na = data.noise: 0.1, 1\n"),
		  "t.ini:13: knobs.a: set twice (first at line 12)");
	parse_err(WS(M1, T1,
		     "a = train.lr: 0.1, 1\nb = data.noise: 0.1, 1\nc = model.depth: 1, 2\nd = train.epochs: 5, 6\n"
		     "e = data.samples: 10, 20\nf = train.threshold: 0, 1\ng = data.dim: 10, 12\n"),
		  "t.ini:18: knobs.g: more than 6 knobs");
	/* The section list names [knobs] now. */
	parse_err("[scenario]\n[knob]\n",
		  "t.ini:2: unknown section [knob] (expected [scenario], [data], [model], [train] or [knobs])");
}

/* Every value, with the rest of the file as it is, must be a valid
 * scenario: a knob can never step into an error from the file's state. */
static void test_each_value_validated(void **state)
{
	(void)state;
	parse_err(LIN("", "p = data.dim: 5, 20\n"),
		  "t.ini:10: knobs.p = 5: data.signal_dim: 10 (the default) is more than data.dim (5)");
	parse_err(MC("width = model.widths: 200, 4096\n"),
		  "t.ini:15: knobs.width = 4096: model.widths: needs 822.7 MiB, over the 512 MiB cap");
	parse_err(WS(M1, T1, "d = data.dim: 10, 9\n"), "t.ini:12: knobs.d = 9: data.dim: target sin_cos needs dim >= 10, got 9");
}

/* ---- scenario_apply_knob -------------------------------------------------- */

#define PK LIN("noise = 0.3\n", "p = data.dim: 10, 20, 40\nk = data.signal_dim: 5, 10, 20\nnoise = data.noise: 0, 0.3, 1\n")

static void test_apply_changes_value_and_index(void **state)
{
	(void)state;
	struct scenario sc;
	char err[SCENARIO_ERR_LEN];
	parse_ok(PK, &sc);
	assert_int_equal(scenario_apply_knob(&sc, 0, 40, err, sizeof err), 0);
	assert_string_equal(err, "");
	assert_int_equal(sc.data.dim, 40);
	assert_int_equal(sc.knobs[0].current, 2);
	assert_int_equal(scenario_apply_knob(&sc, 2, 1, err, sizeof err), 0);
	assert_true(sc.data.noise == 1);
	assert_int_equal(sc.knobs[2].current, 2);
	/* Independent reference: the same values given to the parser by --set. */
	struct scenario ref;
	const char *sets[] = {"data.dim=40", "data.noise=1"};
	parse_ok_sets(PK, sets, 2, &ref);
	assert_memory_equal(&sc.data, &ref.data, sizeof sc.data);
	assert_memory_equal(&sc.model, &ref.model, sizeof sc.model);
	assert_memory_equal(&sc.train, &ref.train, sizeof sc.train);
	for (int k = 0; k < 3; k++)
		assert_int_equal(sc.knobs[k].current, ref.knobs[k].current);
}

static void test_apply_refuses_bad_combination(void **state)
{
	(void)state;
	struct scenario sc;
	char err[SCENARIO_ERR_LEN];
	parse_ok(PK, &sc);
	/* k = 20 is fine with p = 20, and p = 10 with k = 10; not both. */
	assert_int_equal(scenario_apply_knob(&sc, 1, 20, err, sizeof err), 0);
	struct scenario before = sc;
	assert_int_equal(scenario_apply_knob(&sc, 0, 10, err, sizeof err), -1);
	assert_string_equal(err, "p = 10 refused: data.signal_dim: 20 is more than data.dim (10)");
	assert_memory_equal(&sc, &before, sizeof sc);
	assert_int_equal(scenario_apply_knob(&sc, 0, 15, err, sizeof err), -1);
	assert_string_equal(err, "p = 15 refused: not one of its values");
	assert_int_equal(scenario_apply_knob(&sc, 3, 1, err, sizeof err), -1);
	assert_string_equal(err, "no knob 4 in t.ini");
	assert_int_equal(scenario_apply_knob(&sc, -1, 1, err, sizeof err), -1);
	assert_memory_equal(&sc, &before, sizeof sc);
	/* Back down, then the refused move is fine. */
	assert_int_equal(scenario_apply_knob(&sc, 1, 10, err, sizeof err), 0);
	assert_int_equal(scenario_apply_knob(&sc, 0, 10, err, sizeof err), 0);
	assert_int_equal(sc.data.dim, 10);
}

static void test_apply_memory_cap(void **state)
{
	(void)state;
	struct scenario sc;
	char err[SCENARIO_ERR_LEN];
	parse_ok(MC("depth = model.depth: 2, 8\nwidth = model.widths: 200, 2048\n"), &sc);
	assert_int_equal(scenario_apply_knob(&sc, 1, 2048, err, sizeof err), 0);
	assert_int_equal(scenario_apply_knob(&sc, 0, 8, err, sizeof err), -1);
	assert_string_equal(err, "depth = 8 refused: model.widths: needs 1.4 GiB, over the 512 MiB cap");
}

static void test_apply_lr_with_gd(void **state)
{
	(void)state;
	struct scenario sc;
	char err[SCENARIO_ERR_LEN];
	const char *text = "[scenario]\nkind = benign_overfitting\ntitle = T\n[data]\nsamples = 10\ndim = 20\n"
			   "[train]\nepochs = 5\noptimizer = gd\nlr = 0.05\n[knobs]\nlr = train.lr: 0.01, 0.1\n";
	parse_ok(text, &sc);
	assert_values(&sc.knobs[0], (const double[]){0.01, 0.05, 0.1}, 3, 1);
	assert_int_equal(scenario_apply_knob(&sc, 0, 0.1, err, sizeof err), 0);
	assert_true(sc.train.lr == 0.1);
	assert_int_equal(scenario_apply_knob(&sc, 0, 0.01, err, sizeof err), 0);
	assert_true(sc.train.lr == 0.01);
}

static void test_knob_format(void **state)
{
	(void)state;
	char b[40];
	scenario_knob_format(0.01, b, sizeof b);
	assert_string_equal(b, "0.01");
	scenario_knob_format(0.0001, b, sizeof b);
	assert_string_equal(b, "0.0001");
	scenario_knob_format(0.00001, b, sizeof b);
	assert_string_equal(b, "1e-5");
	scenario_knob_format(500, b, sizeof b);
	assert_string_equal(b, "500");
	scenario_knob_format(2e6, b, sizeof b);
	assert_string_equal(b, "2e6");
	scenario_knob_format(1.5e-10, b, sizeof b);
	assert_string_equal(b, "1.5e-10");
	scenario_knob_format(0, b, sizeof b);
	assert_string_equal(b, "0");
}

/* ---- --set ---------------------------------------------------------------- */

static void test_set_valid(void **state)
{
	(void)state;
	struct scenario sc;
	const char *sets[] = {"train.lr=0.05", " data.noise = 0.2 ", "scenario.title=Live demo", "train.lr=0.07"};
	parse_ok_sets(WS(M1, "epochs = 5\nlr = 0.01\n", "lr = train.lr: 0.01, 0.1\n"), sets, 4, &sc);
	assert_true(sc.data.noise == 0.2);
	assert_string_equal(sc.title, "Live demo");
	/* The last --set of a key wins, and the knob starts there. */
	assert_true(sc.train.lr == 0.07);
	assert_values(&sc.knobs[0], (const double[]){0.01, 0.07, 0.1}, 3, 1);
}

static void test_set_errors(void **state)
{
	(void)state;
	const char *text = WS(M1, T1, "");
	const char *a[] = {"train.lr=0.05", "model.widths=0"};
	parse_err_sets(text, a, 2, "--set:2: model.widths: 0 is out of range (1..4096)");
	const char *b[] = {"scenario.foo=1"};
	parse_err_sets(text, b, 1,
		       "--set:1: scenario.foo: unknown key (keys of [scenario]: kind, title, summary, notes, seed, pace)");
	const char *c[] = {"foo.bar=1"};
	parse_err_sets(text, c, 1, "--set:1: unknown section [foo] (expected [scenario], [data], [model] or [train])");
	const char *d[] = {"knobs.lr=1"};
	parse_err_sets(text, d, 1, "--set:1: unknown section [knobs] (expected [scenario], [data], [model] or [train])");
	const char *e[] = {"train.lr"};
	parse_err_sets(text, e, 1, "--set:1: expected section.key=value, got 'train.lr'");
	const char *f[] = {"lr=0.1"};
	parse_err_sets(text, f, 1, "--set:1: expected section.key=value, got 'lr=0.1'");
	const char *g[] = {"train.lr="};
	parse_err_sets(text, g, 1, "--set:1: train.lr: empty value");
	const char *h[] = {"train.lr=abc"};
	parse_err_sets(text, h, 1, "--set:1: train.lr: 'abc' is not a number");
	const char *i[] = {"scenario.title=a\nb"};
	parse_err_sets(text, i, 1, "--set:1: control character 0x0a at column 17");
	const char *j[] = {"scenario.title=\xff"};
	parse_err_sets(text, j, 1, "--set:1: not valid UTF-8 text");
	/* The file's own mistakes come first. */
	parse_err_sets(WS(M1, "epochs = x\n", ""), h, 1, "t.ini:10: train.epochs: 'x' is not an integer");
}

/* Overrides are in place before validation: they can mend a file, and the
 * checks across keys name them (with the file they were checked against). */
static void test_set_before_validation(void **state)
{
	(void)state;
	struct scenario sc;
	const char *dim[] = {"data.dim=12"};
	const char *no_dim = "[scenario]\nkind = width_sweep\ntitle = T\n[data]\nsamples = 10\n[model]\nwidths = 4\n"
			     "[train]\nepochs = 5\n";
	parse_err(no_dim, "t.ini:4: data.dim: required key is missing");
	parse_ok_sets(no_dim, dim, 1, &sc);
	assert_int_equal(sc.data.dim, 12);
	const char *small[] = {"data.dim=5"};
	parse_err_sets(WS(M1, T1, ""), small, 1, "t.ini: --set:1: data.dim: target sin_cos needs dim >= 10, got 5");
	const char *fix[] = {"data.dim=5", "data.target=sin3"};
	parse_ok_sets(WS(M1, T1, ""), fix, 2, &sc);
	assert_int_equal(sc.data.target, TARGET_SIN3);
	const char *tail[] = {"data.lambda_tail=0.5"};
	parse_err_sets(WS(M1, T1, ""), tail, 1, "t.ini: --set:1: data.lambda_tail: has no effect with kind width_sweep");
	const char *sd[] = {"data.noise=0", "data.signal_dim=50"};
	parse_err_sets(LIN("", ""), sd, 2, "t.ini: --set:2: data.signal_dim: 50 is more than data.dim (20)");
	/* A knob's values are checked against the overridden scenario. */
	const char *k[] = {"data.signal_dim=15"};
	parse_err_sets(LIN("", "p = data.dim: 10, 20\n"), k, 1,
		       "t.ini:10: knobs.p = 10: data.signal_dim: 15 is more than data.dim (10)");
}

static void test_set_shipped_file(void **state)
{
	(void)state;
	char path[512], err[SCENARIO_ERR_LEN];
	const char *src = __FILE__, *slash = strrchr(src, '/');
	snprintf(path, sizeof path, "%.*s%s../scenarios/01-optimization-ease.ini", slash ? (int)(slash - src) : 0, src,
		 slash ? "/" : "");
	struct scenario sc;
	const char *sets[] = {"train.lr=0.05"};
	if (scenario_load_sets(path, sets, 1, &sc, err, sizeof err) != 0)
		fail_msg("%s", err);
	assert_true(sc.train.lr == 0.05);
	assert_true(sc.n_knobs >= 1);
	int lr = -1;
	for (int k = 0; k < sc.n_knobs; k++)
		if (strcmp(sc.knobs[k].target, "train.lr") == 0)
			lr = k;
	assert_true(lr >= 0);
	assert_true(sc.knobs[lr].values[sc.knobs[lr].current] == 0.05);
}

/* ---- the trainer applies CMD_KNOB to its own copy ------------------------- */

/* A fake experiment that reports, each step, the noise its scenario had. */
struct experiment {
	double noise;
	int epoch;
};

static int fake_create(const struct scenario *sc, uint64_t seed, struct experiment **out, char *err, size_t errlen)
{
	(void)seed, (void)err, (void)errlen;
	struct experiment *x = calloc(1, sizeof *x);
	if (!x)
		return -1;
	x->noise = sc->data.noise;
	*out = x;
	return 0;
}

static bool fake_step(struct experiment *x, struct emitter *em)
{
	x->epoch++;
	emitter_put(em, (uint32_t)x->epoch, 0, MET_TRAIN_LOSS, 0, x->noise);
	return true;
}

static void fake_destroy(struct experiment *x)
{
	free(x);
}

static void fake_describe(const struct scenario *sc, struct run_desc *d)
{
	memset(d, 0, sizeof *d);
	d->planned_epochs = sc->train.epochs;
	d->n_series = 1;
}

static const struct experiment_ops fake_ops = {
	.kind = "fake", .create = fake_create, .step = fake_step, .destroy = fake_destroy, .describe = fake_describe,
};

/* Waits (up to 5 s) for a record of this metric in a generation newer than
 * `after`; returns it. */
static struct op_record wait_record(struct trainer *t, enum metric m, uint32_t after)
{
	struct timespec nap = {0, 1000000};
	for (int i = 0; i < 5000; i++) {
		struct op_record r;
		while (trainer_drain(t, &r, 1) == 1)
			if (r.metric == m && (int32_t)(r.generation - after) > 0)
				return r;
		nanosleep(&nap, NULL);
	}
	fail_msg("no %s record after generation %u", metric_name(m), after);
	struct op_record none = {0};
	return none;
}

static void test_trainer_knob_restarts_with_new_value(void **state)
{
	(void)state;
	static struct scenario scs[2];
	const char *seed[] = {"scenario.seed=7"};
	parse_ok_sets(LIN("noise = 0.3\n", "noise = data.noise: 0, 0.3, 1\n"), seed, 1, &scs[0]);
	parse_ok(LIN("noise = 0.3\n", ""), &scs[1]);
	struct trainer_config cfg = {
		.scenarios = scs, .n_scenarios = 2, .start_paused = true, .pace_override = 0, .ops = &fake_ops,
	};
	struct trainer *t;
	assert_int_equal(trainer_start(&t, &cfg), 0);
	struct op_record r = wait_record(t, MET_START, 0);
	uint32_t gen = r.generation;
	assert_true(r.value == 7);
	assert_true(trainer_command(t, (struct op_command){.kind = CMD_STEP}));
	assert_true(wait_record(t, MET_TRAIN_LOSS, gen - 1).value == 0.3);

	/* The knob: a new run (same seed) whose experiment sees noise 1. */
	assert_true(trainer_command(t, (struct op_command){.kind = CMD_KNOB, .arg = 0, .value = 1}));
	r = wait_record(t, MET_START, gen);
	assert_int_equal(r.generation, gen + 1);
	assert_true(r.value == 7);
	assert_true(trainer_command(t, (struct op_command){.kind = CMD_STEP}));
	assert_true(wait_record(t, MET_TRAIN_LOSS, gen).value == 1);
	/* The caller's scenarios are the trainer's no more. */
	assert_true(scs[0].data.noise == 0.3);

	/* Restart and a round trip to the other scenario keep the value. */
	assert_true(trainer_command(t, (struct op_command){.kind = CMD_RESTART, .arg = 0}));
	assert_true(trainer_command(t, (struct op_command){.kind = CMD_SWITCH, .arg = 1}));
	assert_true(trainer_command(t, (struct op_command){.kind = CMD_SWITCH, .arg = 0}));
	r = wait_record(t, MET_START, gen + 3);
	assert_int_equal(r.generation, gen + 4);
	assert_int_equal(r.series, 0);
	assert_true(trainer_command(t, (struct op_command){.kind = CMD_STEP}));
	assert_true(wait_record(t, MET_TRAIN_LOSS, gen + 3).value == 1);
	trainer_stop(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_list_sorted_with_own_value),
		cmocka_unit_test(test_ranges),
		cmocka_unit_test(test_width_of_one_width_model_and_continuation),
		cmocka_unit_test(test_knob_target_errors),
		cmocka_unit_test(test_knob_value_errors),
		cmocka_unit_test(test_knob_range_errors),
		cmocka_unit_test(test_knob_name_errors),
		cmocka_unit_test(test_each_value_validated),
		cmocka_unit_test(test_apply_changes_value_and_index),
		cmocka_unit_test(test_apply_refuses_bad_combination),
		cmocka_unit_test(test_apply_memory_cap),
		cmocka_unit_test(test_apply_lr_with_gd),
		cmocka_unit_test(test_knob_format),
		cmocka_unit_test(test_set_valid),
		cmocka_unit_test(test_set_errors),
		cmocka_unit_test(test_set_before_validation),
		cmocka_unit_test(test_set_shipped_file),
		cmocka_unit_test(test_trainer_knob_restarts_with_new_value),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
