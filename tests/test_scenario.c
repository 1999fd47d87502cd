/* test_scenario.c: scenario files as a teacher writes them. The shipped
 * files load with the values the seed used; every key has its documented
 * default; every kind of mistake gives its exact one-line message (file, line,
 * key) as listed in docs/scenario-format.md; real files that are missing,
 * directories, empty, binary or absurdly long are refused cleanly. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cmocka.h>

#include "overparam/config.h"
#include "overparam/mlp.h"
#include "overparam/scenario.h"

/* The longest line the reader accepts: Debian's inih reads lines into a
 * 200-byte buffer that must also hold CR, LF and NUL. */
#define LINE_LIMIT 197

/* Minimal valid scenarios, one key a line, so line numbers can be counted.
 * WS(s, d, m, t): lines 1-3 are [scenario], kind, title; then s, [data] + d,
 * [model] + m, [train] + t. With the *_OK bodies: [data] is line 4,
 * [model] line 7, widths line 8, [train] line 9, epochs line 10. */
#define D_OK "samples = 10\ndim = 10\n"
#define M_OK "widths = 4\n"
#define T_OK "epochs = 5\n"
#define WS(s, d, m, t) "[scenario]\nkind = width_sweep\ntitle = T\n" s "[data]\n" d "[model]\n" m "[train]\n" t
#define MC(s, d, m, t) "[scenario]\nkind = mode_connectivity\ntitle = T\n" s "[data]\n" d "[model]\n" m "[train]\n" t
/* LIN(s, d, t): no [model]; with D_LIN and T_OK, [data] is line 4, [train]
 * line 7, epochs line 8. */
#define D_LIN "samples = 10\ndim = 20\n"
#define LIN(s, d, t) "[scenario]\nkind = benign_overfitting\ntitle = T\n" s "[data]\n" d "[train]\n" t

static char tmpdir[] = "/tmp/test_scenario.XXXXXX";

static int setup_dir(void **state)
{
	(void)state;
	return mkdtemp(tmpdir) ? 0 : -1;
}

static int teardown_dir(void **state)
{
	(void)state;
	char cmd[64];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
	return system(cmd) == 0 ? 0 : -1;
}

/* A file under the scratch directory with these bytes; returns its path. */
static const char *write_file(const char *name, const void *bytes, size_t len)
{
	static char path[256];
	snprintf(path, sizeof path, "%s/%s", tmpdir, name);
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(bytes, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
	return path;
}

static void parse_ok(const char *text, struct scenario *sc)
{
	char err[SCENARIO_ERR_LEN] = "";
	int rc = scenario_parse(text, strlen(text), "t.ini", sc, err, sizeof err);
	if (rc != 0)
		fail_msg("unexpected error: %s", err);
}

/* The message must be exact: the user reads it, and docs list it. */
static void parse_err(const char *text, const char *expected)
{
	struct scenario sc;
	char err[SCENARIO_ERR_LEN];
	memset(err, 'X', sizeof err);
	int rc = scenario_parse(text, strlen(text), "t.ini", &sc, err, sizeof err);
	assert_int_equal(rc, -1);
	assert_string_equal(err, expected);
}

static void load_err(const char *path, const char *problem)
{
	struct scenario sc;
	char err[SCENARIO_ERR_LEN], expected[SCENARIO_ERR_LEN + 300];
	snprintf(expected, sizeof expected, "%s%s", path, problem);
	assert_int_equal(scenario_load(path, &sc, err, sizeof err), -1);
	assert_string_equal(err, expected);
}

/* The shipped files, found next to this source file's directory. */
static void load_shipped(const char *file, struct scenario *sc)
{
	char path[512], err[SCENARIO_ERR_LEN];
	const char *src = __FILE__;
	const char *slash = strrchr(src, '/');
	int dir = slash ? (int)(slash - src) : 0;
	snprintf(path, sizeof path, "%.*s%s../scenarios/%s", dir, src, slash ? "/" : "", file);
	if (scenario_load(path, sc, err, sizeof err) != 0)
		fail_msg("%s", err);
	assert_string_equal(sc->path, path);
}

/* ---- the shipped scenarios ---------------------------------------------- */

static void test_shipped_optimization_ease(void **state)
{
	(void)state;
	struct scenario sc;
	load_shipped("01-optimization-ease.ini", &sc);
	assert_int_equal(sc.kind, KIND_WIDTH_SWEEP);
	assert_string_equal(sc.title, "Optimization ease");
	assert_true(strlen(sc.summary) > 0);
	assert_int_equal(sc.seed, 42);
	assert_true(sc.pace == 200);
	assert_int_equal(sc.data.samples, 100);
	assert_int_equal(sc.data.test_samples, 500);
	assert_int_equal(sc.data.dim, 20);
	assert_int_equal(sc.data.target, TARGET_SIN_COS);
	assert_true(sc.data.noise == 0.1);
	assert_int_equal(sc.model.depth, 2);
	assert_int_equal(sc.model.n_widths, 4);
	assert_int_equal(sc.model.widths[0], 10);
	assert_int_equal(sc.model.widths[1], 50);
	assert_int_equal(sc.model.widths[2], 200);
	assert_int_equal(sc.model.widths[3], 500);
	assert_int_equal(sc.model.init, INIT_TORCH_DEFAULT);
	assert_int_equal(sc.train.optimizer, OPTIM_SGD);
	assert_true(sc.train.lr == 0.01);
	assert_int_equal(sc.train.epochs, 2000);
	assert_true(sc.train.threshold == 0.05);
	assert_true(sc.train.target_loss == 0);
	assert_int_equal(sc.train.eval_every, 20);
	/* The Why panel names the noise floor and the held-out yardstick,
	 * without a number the run did not compute. */
	assert_non_null(strstr(sc.notes, "noise floor sigma^2"));
	assert_non_null(strstr(sc.notes, "predicting the mean"));
	assert_null(strstr(sc.notes, "0.01")); /* the claims quote numbers, live */
}

static void test_shipped_mode_connectivity(void **state)
{
	(void)state;
	struct scenario sc;
	load_shipped("02-mode-connectivity.ini", &sc);
	assert_int_equal(sc.kind, KIND_MODE_CONNECTIVITY);
	assert_string_equal(sc.title, "Mode connectivity");
	assert_true(sc.pace == 30);
	assert_int_equal(sc.data.samples, 50);
	assert_int_equal(sc.data.test_samples, 0);
	assert_int_equal(sc.data.dim, 10);
	assert_int_equal(sc.data.target, TARGET_SIN3);
	assert_true(sc.data.noise == 0);
	assert_int_equal(sc.model.depth, 2);
	assert_int_equal(sc.model.n_widths, 1);
	assert_int_equal(sc.model.widths[0], 200);
	assert_int_equal(sc.model.init, INIT_NORMAL);
	assert_true(sc.model.init_std == 0.1);
	assert_int_equal(sc.model.init_seeds[0], 1);
	assert_int_equal(sc.model.init_seeds[1], 2);
	assert_int_equal(sc.train.optimizer, OPTIM_ADAM);
	assert_true(sc.train.lr == 0.01);
	assert_int_equal(sc.train.epochs, 400);
	assert_true(sc.train.target_loss == 1e-6);
	assert_int_equal(sc.train.eval_every, 5);
	assert_int_equal(sc.train.alpha_points, 21);
}

static void test_shipped_benign_overfitting(void **state)
{
	(void)state;
	struct scenario sc;
	load_shipped("03-benign-overfitting.ini", &sc);
	assert_int_equal(sc.kind, KIND_BENIGN_OVERFITTING);
	assert_string_equal(sc.title, "Benign overfitting");
	assert_true(sc.pace == 100);
	assert_int_equal(sc.data.samples, 100);
	assert_int_equal(sc.data.test_samples, 1000);
	assert_int_equal(sc.data.dim, 500);
	assert_int_equal(sc.data.signal_dim, 10);
	assert_int_equal(sc.data.target, TARGET_LINEAR);
	assert_int_equal(sc.data.covariance, COV_SPIKED);
	assert_true(sc.data.lambda_tail == 0.01);
	assert_true(sc.data.noise == 0.3);
	assert_int_equal(sc.train.optimizer, OPTIM_SGD); /* plain gradient descent */
	assert_true(sc.train.lr == 0);                   /* auto: the optimal fixed step */
	assert_int_equal(sc.train.epochs, 1500);
}

static void test_shipped_harmful_overfitting(void **state)
{
	(void)state;
	struct scenario sc, benign;
	load_shipped("04-harmful-overfitting.ini", &sc);
	load_shipped("03-benign-overfitting.ini", &benign);
	assert_int_equal(sc.kind, KIND_BENIGN_OVERFITTING);
	assert_string_equal(sc.title, "Harmful overfitting");
	assert_int_equal(sc.data.covariance, COV_ISOTROPIC);
	assert_true(sc.data.lambda_tail == 1);
	assert_int_equal(sc.train.epochs, 300);
	assert_true(sc.train.lr == 0);
	/* Otherwise the same experiment as 03, so the two can be compared. */
	assert_int_equal(sc.seed, benign.seed);
	assert_int_equal(sc.data.samples, benign.data.samples);
	assert_int_equal(sc.data.test_samples, benign.data.test_samples);
	assert_int_equal(sc.data.dim, benign.data.dim);
	assert_int_equal(sc.data.signal_dim, benign.data.signal_dim);
	assert_true(sc.data.noise == benign.data.noise);
}

/* Every shipped Why panel: at most five paragraphs, each fits one line of
 * an 80-column screen's panel. */
static void test_shipped_notes_are_short(void **state)
{
	(void)state;
	static const char *const files[] = {"01-optimization-ease.ini", "02-mode-connectivity.ini",
					    "03-benign-overfitting.ini", "04-harmful-overfitting.ini"};
	for (size_t i = 0; i < sizeof files / sizeof *files; i++) {
		struct scenario sc;
		load_shipped(files[i], &sc);
		int paragraphs = 1;
		size_t len = 0;
		for (const char *p = sc.notes; *p; p++) {
			if (*p == '\n') {
				paragraphs++;
				len = 0;
			} else {
				assert_in_range(++len, 1, 78);
			}
		}
		assert_in_range(paragraphs, 1, 5);
	}
}

/* ---- defaults, comments, continuation ----------------------------------- */

static void test_defaults_width_sweep(void **state)
{
	(void)state;
	struct scenario sc;
	parse_ok(WS("", D_OK, M_OK, T_OK), &sc);
	assert_string_equal(sc.path, "t.ini");
	assert_string_equal(sc.title, "T");
	assert_string_equal(sc.summary, "");
	assert_string_equal(sc.notes, "");
	assert_int_equal(sc.seed, 42);
	assert_true(sc.pace == 200);
	assert_int_equal(sc.data.test_samples, 0);
	assert_int_equal(sc.data.target, TARGET_SIN_COS);
	assert_true(sc.data.noise == 0);
	assert_int_equal(sc.data.signal_dim, 10);
	assert_int_equal(sc.data.covariance, COV_ISOTROPIC);
	assert_true(sc.data.lambda_tail == 1);
	assert_int_equal(sc.model.depth, 2);
	assert_int_equal(sc.model.init, INIT_TORCH_DEFAULT);
	assert_true(sc.model.init_std == 0.1);
	assert_int_equal(sc.model.init_seeds[0], 1);
	assert_int_equal(sc.model.init_seeds[1], 2);
	assert_int_equal(sc.train.optimizer, OPTIM_SGD);
	assert_true(sc.train.lr == 0.01);
	assert_true(sc.train.threshold == 0);
	assert_true(sc.train.target_loss == 0);
	assert_int_equal(sc.train.eval_every, 5);
	assert_int_equal(sc.train.alpha_points, 21);
}

static void test_defaults_by_kind(void **state)
{
	(void)state;
	struct scenario sc;
	parse_ok(MC("", D_OK, M_OK, T_OK), &sc);
	assert_int_equal(sc.data.target, TARGET_SIN3);
	assert_int_equal(sc.train.optimizer, OPTIM_ADAM);
	assert_true(sc.train.lr == 0.01);

	parse_ok(LIN("", D_LIN, T_OK), &sc);
	assert_int_equal(sc.data.target, TARGET_LINEAR);
	assert_int_equal(sc.train.optimizer, OPTIM_SGD);
	assert_true(sc.train.lr == 0); /* gd: auto step */
	assert_int_equal(sc.data.signal_dim, 10);
	assert_int_equal(sc.data.covariance, COV_ISOTROPIC);
	assert_int_equal(sc.model.n_widths, 0);

	/* A fixed step for gd, and the words for max pace and auto step. */
	parse_ok(LIN("pace = max\n", D_LIN, T_OK "optimizer = gd\nlr = 0.5\n"), &sc);
	assert_true(sc.pace == 0);
	assert_true(sc.train.lr == 0.5);
	parse_ok(LIN("", D_LIN, T_OK "lr = auto\n"), &sc);
	assert_true(sc.train.lr == 0);
}

/* Limits are inclusive, as documented. */
static void test_bounds_accepted(void **state)
{
	(void)state;
	struct scenario sc;
	parse_ok(WS("", "samples = 10\ndim = 10\ntest_samples = 100000\n", M_OK, T_OK), &sc);
	assert_int_equal(sc.data.test_samples, 100000);
	parse_ok(WS("seed = 9007199254740991\npace = 0.1\n", "samples = 1\ndim = 10\nnoise = 100\n",
		    "depth = 1\nwidths = 1, 2, 3, 4, 5, 6, 7, 4096\ninit = normal\ninit_std = 10\n",
		    "epochs = 1000000\nlr = 100\nthreshold = 1000000\neval_every = 1000000\n"),
		 &sc);
	assert_int_equal(sc.seed, 9007199254740991ULL);
	assert_true(sc.pace == 0.1);
	assert_int_equal(sc.model.n_widths, 8);
	assert_int_equal(sc.model.widths[7], 4096);
	assert_int_equal(sc.train.epochs, SCENARIO_MAX_EPOCHS);
	parse_ok(MC("seed = 0\npace = 100000\n", "samples = 100000\ndim = 3\n", M_OK "init_seeds = 0, 9007199254740991\n",
		    "epochs = 1\nlr = 1e-300\nalpha_points = 101\ntarget_loss = 1000000\n"),
		 &sc);
	assert_int_equal(sc.data.target, TARGET_SIN3);
	assert_int_equal(sc.model.init_seeds[1], 9007199254740991ULL);
	assert_int_equal(sc.train.alpha_points, SCENARIO_MAX_ALPHA);
	parse_ok(LIN("", "samples = 10\ndim = 10000\nsignal_dim = 10000\ncovariance = spiked\nlambda_tail = 1\n",
		     T_OK),
		 &sc);
	assert_int_equal(sc.data.signal_dim, 10000);
	assert_int_equal(sc.data.covariance, COV_SPIKED);
}

static void test_comments_and_whitespace(void **state)
{
	(void)state;
	struct scenario sc;
	const char *text = "\xEF\xBB\xBF; a byte order mark, then a comment\r\n"
			   "# another kind of comment\r\n"
			   "\r\n"
			   "  [scenario]   ; trailing comment after a header\r\n"
			   "kind=width_sweep\r\n"
			   "title\t=\tTabs and CRLF   \r\n"
			   "seed: 7\r\n"
			   "   ; an indented comment is still a comment\r\n"
			   "[data]\n"
			   "samples = 10 ; an inline comment needs a space before ;\n"
			   "dim = 12\n"
			   "\n\n"
			   "[model]\n"
			   "widths = 4 ,8,  16\n"
			   "[train]\n"
			   "lr = 1e-2\n"
			   "epochs = +5"; /* no newline at the end */
	parse_ok(text, &sc);
	assert_string_equal(sc.title, "Tabs and CRLF");
	assert_int_equal(sc.seed, 7);
	assert_int_equal(sc.data.samples, 10);
	assert_int_equal(sc.data.dim, 12);
	assert_int_equal(sc.model.n_widths, 3);
	assert_int_equal(sc.model.widths[2], 16);
	assert_true(sc.train.lr == 0.01);
	assert_int_equal(sc.train.epochs, 5);
}

static void test_continuation_lines(void **state)
{
	(void)state;
	struct scenario sc;
	parse_ok(WS("notes = First paragraph, \n"
		    "        still the first. \\n\n"
		    "    ; a comment line inside the value is skipped\n"
		    "\n"
		    "\tSecond one;it keeps ; this, as continuation lines have no comments.\\n\\nAfter a blank line.\n"
		    "summary = Indented lines continue\n"
		    "   the previous key.\n",
		    D_OK, "widths = 10,\n   20, 30\n", T_OK),
		 &sc);
	assert_string_equal(sc.notes, "First paragraph, still the first.\n"
				      "Second one;it keeps ; this, as continuation lines have no comments.\n\n"
				      "After a blank line.");
	assert_string_equal(sc.summary, "Indented lines continue the previous key.");
	assert_int_equal(sc.model.n_widths, 3);
	assert_int_equal(sc.model.widths[2], 30);
}

/* ---- error classes -------------------------------------------------------- */

static void test_err_unknown_section(void **state)
{
	(void)state;
	parse_err("[scenario]\nkind = width_sweep\n[optimizer]\nlr = 1\n",
		  "t.ini:3: unknown section [optimizer] (expected [scenario], [data], [model], [train] or [knobs])");
	/* Section names are exact: no case folding, no trimming. */
	parse_err("[Data]\n", "t.ini:1: unknown section [Data] (expected [scenario], [data], [model], [train] or [knobs])");
	parse_err("\n[ data ]\n", "t.ini:2: unknown section [ data ] (expected [scenario], [data], [model], [train] or [knobs])");
}

static void test_err_unknown_key(void **state)
{
	(void)state;
	parse_err(WS("", D_OK "smaples = 10\n", M_OK, T_OK),
		  "t.ini:7: data.smaples: unknown key (keys of [data]: samples, test_samples, dim, target, noise, "
		  "signal_dim, covariance, lambda_tail, teacher_width)");
	parse_err(WS("", D_OK, M_OK, T_OK "LR = 0.1\n"),
		  "t.ini:11: train.LR: unknown key (keys of [train]: optimizer, lr, epochs, threshold, target_loss, "
		  "eval_every, alpha_points, ridge, repeats, rounds, prune, rewind, random_plane)");
	/* A key in the wrong section is unknown there. */
	parse_err(WS("", D_OK "widths = 4\n", M_OK, T_OK),
		  "t.ini:7: data.widths: unknown key (keys of [data]: samples, test_samples, dim, target, noise, "
		  "signal_dim, covariance, lambda_tail, teacher_width)");
}

static void test_err_duplicates(void **state)
{
	(void)state;
	parse_err(WS("", D_OK "samples = 20\n", M_OK, T_OK), "t.ini:7: data.samples: set twice (first at line 5)");
	parse_err(WS("", D_OK, M_OK, T_OK "[data]\nnoise = 1\n"), "t.ini:11: section [data] appears twice (first at line 4)");
}

static void test_err_missing_required(void **state)
{
	(void)state;
	parse_err("[scenario]\ntitle = T\n[data]\n" D_OK "[model]\n" M_OK "[train]\n" T_OK,
		  "t.ini:1: scenario.kind: required key is missing");
	parse_err("[data]\n" D_OK "[model]\n" M_OK "[train]\n" T_OK,
		  "t.ini:1: scenario.kind: required key is missing (no [scenario] section)");
	parse_err("[scenario]\nkind = width_sweep\n[data]\n" D_OK "[model]\n" M_OK "[train]\n" T_OK,
		  "t.ini:1: scenario.title: required key is missing");
	parse_err(WS("", "dim = 10\n", M_OK, T_OK), "t.ini:4: data.samples: required key is missing");
	parse_err(WS("", "samples = 10\n", M_OK, T_OK), "t.ini:4: data.dim: required key is missing");
	parse_err(WS("", D_OK, M_OK, ""), "t.ini:9: train.epochs: required key is missing");
	parse_err("[scenario]\nkind = width_sweep\ntitle = T\n[data]\n" D_OK,
		  "t.ini:1: train.epochs: required key is missing (no [train] section)");
	parse_err(WS("", D_OK, "depth = 1\n", T_OK), "t.ini:7: model.widths: required key is missing");
	parse_err(MC("", D_OK, "", T_OK), "t.ini:7: model.widths: required key is missing");
}

static void test_err_malformed_numbers(void **state)
{
	(void)state;
	parse_err(WS("", D_OK "test_samples = 1e\n", M_OK, T_OK), "t.ini:7: data.test_samples: '1e' is not an integer");
	parse_err(WS("", D_OK "noise = 1e\n", M_OK, T_OK), "t.ini:7: data.noise: '1e' is not a number");
	parse_err(WS("", D_OK "noise = 1e+\n", M_OK, T_OK), "t.ini:7: data.noise: '1e+' is not a number");
	parse_err(WS("", D_OK, M_OK, T_OK "lr = 0x\n"), "t.ini:11: train.lr: '0x' is not a number");
	parse_err(WS("", D_OK, M_OK, T_OK "lr = 0x1p-3\n"), "t.ini:11: train.lr: '0x1p-3' is not a number");
	parse_err(WS("", D_OK "test_samples = 0x10\n", M_OK, T_OK), "t.ini:7: data.test_samples: '0x10' is not an integer");
	parse_err(WS("", D_OK "test_samples = 12abc\n", M_OK, T_OK),
		  "t.ini:7: data.test_samples: '12abc' is not an integer");
	parse_err(WS("", D_OK "noise = 12abc\n", M_OK, T_OK), "t.ini:7: data.noise: '12abc' is not a number");
	parse_err(WS("", D_OK "test_samples =\n", M_OK, T_OK), "t.ini:7: data.test_samples: empty value");
	parse_err(WS("", D_OK "noise = ; only a comment\n", M_OK, T_OK), "t.ini:7: data.noise: empty value");
	parse_err(WS("", D_OK "test_samples = 1.5\n", M_OK, T_OK), "t.ini:7: data.test_samples: '1.5' is not an integer");
	parse_err(WS("", D_OK "test_samples = 1e3\n", M_OK, T_OK), "t.ini:7: data.test_samples: '1e3' is not an integer");
	parse_err(WS("", D_OK, M_OK, T_OK "eval_every = 10 20\n"), "t.ini:11: train.eval_every: '10 20' is not an integer");
	/* No space before ';': not a comment, so part of the value. */
	parse_err(WS("", D_OK "noise = 0.1;x\n", M_OK, T_OK), "t.ini:7: data.noise: '0.1;x' is not a number");
	parse_err(WS("", D_OK, "widths = 10,,20\n", T_OK), "t.ini:8: model.widths: item 2 is empty");
	parse_err(WS("", D_OK, "widths = 10, 20,\n", T_OK), "t.ini:8: model.widths: item 3 is empty");
	parse_err(WS("", D_OK, "widths = 10 20\n", T_OK), "t.ini:8: model.widths: '10 20' is not an integer");
	/* A long bad value is quoted only in part. */
	parse_err(WS("", D_OK "test_samples = 1234567890123456789012345678901234567890abcdefghij\n", M_OK, T_OK),
		  "t.ini:7: data.test_samples: '1234567890123456789012345678901234567890...' is not an integer");
}

static void test_err_negative_or_zero(void **state)
{
	(void)state;
	parse_err(WS("", "samples = 0\ndim = 10\n", M_OK, T_OK), "t.ini:5: data.samples: 0 is out of range (1..100000)");
	parse_err(WS("", "samples = -3\ndim = 10\n", M_OK, T_OK), "t.ini:5: data.samples: -3 is out of range (1..100000)");
	parse_err(WS("", "samples = 10\ndim = 0\n", M_OK, T_OK), "t.ini:6: data.dim: 0 is out of range (1..10000)");
	parse_err(WS("", D_OK "test_samples = -1\n", M_OK, T_OK), "t.ini:7: data.test_samples: -1 is out of range (0..100000)");
	parse_err(WS("", D_OK "noise = -0.1\n", M_OK, T_OK), "t.ini:7: data.noise: -0.1 is out of range (0..100)");
	parse_err(WS("", D_OK, "widths = 10, 0\n", T_OK), "t.ini:8: model.widths: 0 is out of range (1..4096)");
	parse_err(WS("", D_OK, M_OK "depth = 0\n", T_OK), "t.ini:9: model.depth: 0 is out of range (1..8)");
	parse_err(WS("", D_OK, M_OK "init = normal\ninit_std = 0\n", T_OK),
		  "t.ini:10: model.init_std: 0 is out of range (> 0 and <= 10)");
	parse_err(WS("", D_OK, M_OK, "epochs = 0\n"), "t.ini:10: train.epochs: 0 is out of range (1..1000000)");
	parse_err(WS("", D_OK, M_OK, T_OK "lr = 0\n"),
		  "t.ini:11: train.lr: 0 is out of range (> 0 and <= 100, or auto with optimizer gd)");
	parse_err(WS("", D_OK, M_OK, T_OK "lr = -0.5\n"),
		  "t.ini:11: train.lr: -0.5 is out of range (> 0 and <= 100, or auto with optimizer gd)");
	parse_err(WS("", D_OK, M_OK, T_OK "lr = 1e-999\n"),
		  "t.ini:11: train.lr: 1e-999 is out of range (> 0 and <= 100, or auto with optimizer gd)");
	parse_err(WS("", D_OK, M_OK, T_OK "threshold = -1\n"), "t.ini:11: train.threshold: -1 is out of range (0..1000000)");
	parse_err(WS("", D_OK, M_OK, T_OK "target_loss = -1e-6\n"),
		  "t.ini:11: train.target_loss: -1e-6 is out of range (0..1000000)");
	parse_err(WS("", D_OK, M_OK, T_OK "eval_every = 0\n"), "t.ini:11: train.eval_every: 0 is out of range (1..1000000)");
	parse_err(MC("", D_OK, M_OK, T_OK "alpha_points = 1\n"), "t.ini:11: train.alpha_points: 1 is out of range (2..101)");
	parse_err(WS("pace = 0\n", D_OK, M_OK, T_OK), "t.ini:4: scenario.pace: 0 is out of range (0.1..100000, or max)");
	parse_err(WS("seed = -1\n", D_OK, M_OK, T_OK), "t.ini:4: scenario.seed: -1 is out of range (0..9007199254740991)");
	parse_err(MC("", D_OK, M_OK "init_seeds = 1, -2\n", T_OK),
		  "t.ini:9: model.init_seeds: -2 is out of range (0..9007199254740991)");
	parse_err(LIN("", D_LIN "covariance = spiked\nlambda_tail = 0\n", T_OK),
		  "t.ini:8: data.lambda_tail: 0 is out of range (> 0 and <= 1)");
	parse_err(LIN("", D_LIN "signal_dim = 0\n", T_OK), "t.ini:7: data.signal_dim: 0 is out of range (1..10000)");
}

static void test_err_not_finite(void **state)
{
	(void)state;
	parse_err(WS("", D_OK, M_OK, T_OK "lr = nan\n"), "t.ini:11: train.lr: 'nan' is not a finite number");
	parse_err(WS("", D_OK, M_OK, T_OK "lr = NaN\n"), "t.ini:11: train.lr: 'NaN' is not a finite number");
	parse_err(WS("", D_OK "noise = inf\n", M_OK, T_OK), "t.ini:7: data.noise: 'inf' is not a finite number");
	parse_err(WS("pace = -Infinity\n", D_OK, M_OK, T_OK), "t.ini:4: scenario.pace: '-Infinity' is not a finite number");
	parse_err(WS("", D_OK, M_OK, T_OK "threshold = +INF\n"), "t.ini:11: train.threshold: '+INF' is not a finite number");
	/* Overflowing to infinity is just too large. */
	parse_err(WS("", D_OK "noise = 1e999\n", M_OK, T_OK), "t.ini:7: data.noise: 1e999 is out of range (0..100)");
	/* Integer keys take digits only. */
	parse_err(WS("seed = nan\n", D_OK, M_OK, T_OK), "t.ini:4: scenario.seed: 'nan' is not an integer");
}

static void test_err_above_maximum(void **state)
{
	(void)state;
	parse_err(WS("", "samples = 100001\ndim = 10\n", M_OK, T_OK),
		  "t.ini:5: data.samples: 100001 is out of range (1..100000)");
	parse_err(WS("", D_OK "test_samples = 100001\n", M_OK, T_OK),
		  "t.ini:7: data.test_samples: 100001 is out of range (0..100000)");
	parse_err(WS("", "samples = 10\ndim = 10001\n", M_OK, T_OK), "t.ini:6: data.dim: 10001 is out of range (1..10000)");
	parse_err(WS("", D_OK "noise = 100.5\n", M_OK, T_OK), "t.ini:7: data.noise: 100.5 is out of range (0..100)");
	parse_err(WS("", D_OK, "widths = 4097\n", T_OK), "t.ini:8: model.widths: 4097 is out of range (1..4096)");
	parse_err(WS("", D_OK, "widths = 1, 2, 3, 4, 5, 6, 7, 8, 9\n", T_OK), "t.ini:8: model.widths: 9 widths given, at most 8");
	parse_err(WS("", D_OK, M_OK "depth = 9\n", T_OK), "t.ini:9: model.depth: 9 is out of range (1..8)");
	parse_err(WS("", D_OK, M_OK "init = normal\ninit_std = 10.01\n", T_OK),
		  "t.ini:10: model.init_std: 10.01 is out of range (> 0 and <= 10)");
	parse_err(WS("", D_OK, M_OK, "epochs = 1000001\n"), "t.ini:10: train.epochs: 1000001 is out of range (1..1000000)");
	parse_err(WS("", D_OK, M_OK, T_OK "lr = 101\n"),
		  "t.ini:11: train.lr: 101 is out of range (> 0 and <= 100, or auto with optimizer gd)");
	parse_err(WS("", D_OK, M_OK, T_OK "eval_every = 1000001\n"),
		  "t.ini:11: train.eval_every: 1000001 is out of range (1..1000000)");
	parse_err(WS("", D_OK, M_OK, T_OK "threshold = 2e6\n"), "t.ini:11: train.threshold: 2e6 is out of range (0..1000000)");
	parse_err(MC("", D_OK, M_OK, T_OK "alpha_points = 102\n"),
		  "t.ini:11: train.alpha_points: 102 is out of range (2..101)");
	parse_err(WS("pace = 100001\n", D_OK, M_OK, T_OK),
		  "t.ini:4: scenario.pace: 100001 is out of range (0.1..100000, or max)");
	/* 2^53: the first seed a double cannot tell from its neighbour. */
	parse_err(WS("seed = 9007199254740992\n", D_OK, M_OK, T_OK),
		  "t.ini:4: scenario.seed: 9007199254740992 is out of range (0..9007199254740991)");
	parse_err(WS("seed = 99999999999999999999\n", D_OK, M_OK, T_OK),
		  "t.ini:4: scenario.seed: 99999999999999999999 is out of range (0..9007199254740991)");
	parse_err(MC("", D_OK, M_OK "init_seeds = 1, 2, 3\n", T_OK), "t.ini:9: model.init_seeds: 3 seeds given, exactly 2 needed");
	parse_err(MC("", D_OK, M_OK "init_seeds = 1\n", T_OK), "t.ini:9: model.init_seeds: 1 seed given, exactly 2 needed");
	parse_err(LIN("", D_LIN "covariance = spiked\nlambda_tail = 1.5\n", T_OK),
		  "t.ini:8: data.lambda_tail: 1.5 is out of range (> 0 and <= 1)");
	parse_err(LIN("", D_LIN "signal_dim = 10001\n", T_OK), "t.ini:7: data.signal_dim: 10001 is out of range (1..10000)");
}

static void test_err_widths_list_of_100(void **state)
{
	(void)state;
	char text[1024];
	int n = snprintf(text, sizeof text, "[scenario]\nkind = width_sweep\ntitle = T\n[data]\n" D_OK "[model]\nwidths = 1");
	for (int i = 2; i <= 100; i++)
		n += snprintf(text + n, sizeof text - (size_t)n, i % 20 == 0 ? ",\n  %d" : ",%d", i);
	snprintf(text + n, sizeof text - (size_t)n, "\n[train]\n" T_OK);
	parse_err(text, "t.ini:8: model.widths: 100 widths given, at most 8");
}

static void test_err_enum_values(void **state)
{
	(void)state;
	parse_err("[scenario]\nkind = foo\n",
		  "t.ini:2: scenario.kind: 'foo' is not one of width_sweep, mode_connectivity, benign_overfitting, double_descent, lazy_training, "
		  "lottery_ticket, permutation_alignment, curved_path, barrier_width, edge_stability, loss_plane");
	parse_err("[scenario]\nkind = Width_Sweep\n",
		  "t.ini:2: scenario.kind: 'Width_Sweep' is not one of width_sweep, mode_connectivity, benign_overfitting, double_descent, lazy_training, "
		  "lottery_ticket, permutation_alignment, curved_path, barrier_width, edge_stability, loss_plane");
	parse_err(WS("", D_OK "target = sine\n", M_OK, T_OK), "t.ini:7: data.target: 'sine' is not one of sin_cos, sin3, linear, teacher");
	parse_err(LIN("", D_LIN "covariance = diagonal\n", T_OK),
		  "t.ini:7: data.covariance: 'diagonal' is not one of isotropic, spiked, both");
	parse_err(WS("", D_OK, M_OK "init = xavier\n", T_OK), "t.ini:9: model.init: 'xavier' is not one of torch_default, normal");
	parse_err(WS("", D_OK, M_OK, T_OK "optimizer = rmsprop\n"),
		  "t.ini:11: train.optimizer: 'rmsprop' is not one of sgd, adam, gd");
	parse_err(WS("pace = fast\n", D_OK, M_OK, T_OK), "t.ini:4: scenario.pace: 'fast' is not a number");
}

static void test_err_memory_cap(void **state)
{
	(void)state;
	/* Hand count, float32: dims 10, 4096 x 8, 1.
	 *   params P = 4096*11 + 7*4096*4097 + 4097          = 117,518,337
	 *   params + grads (SGD)       2P                      = 235,036,674 floats
	 *   activations x3: 3 * 1000 rows * (10 + 8*4096 + 1) =  98,337,000 floats
	 *   data: 1000 * (10 + 1)                              =      11,000 floats
	 *   bytes 4 * 333,384,674 = 1,333,538,696; + 1/16 + 64 KiB = 1,416,950,400
	 *   = 1.32 GiB. */
	parse_err(WS("", "samples = 1000\ndim = 10\n", "depth = 8\nwidths = 4096\n", T_OK),
		  "t.ini:9: model.widths: needs 1.3 GiB, over the 512 MiB cap");
	/* Linear, float64: the 100000^2 Gram matrix alone is 74.5 GiB. */
	parse_err(LIN("", "samples = 100000\ndim = 10\n", T_OK), "t.ini:5: data.samples: needs 79.2 GiB, over the 512 MiB cap");
	parse_err(LIN("", "samples = 10\ndim = 10000\ntest_samples = 100000\n", T_OK),
		  "t.ini:7: data.test_samples: needs 7.9 GiB, over the 512 MiB cap");
}

static void test_err_cross_field(void **state)
{
	(void)state;
	parse_err(LIN("", "samples = 10\ndim = 5\nsignal_dim = 6\n", T_OK),
		  "t.ini:7: data.signal_dim: 6 is more than data.dim (5)");
	parse_err(LIN("", "samples = 10\ndim = 5\n", T_OK), "t.ini:6: data.signal_dim: 10 (the default) is more than data.dim (5)");
	parse_err(WS("", "samples = 10\ndim = 9\n", M_OK, T_OK), "t.ini:6: data.dim: target sin_cos needs dim >= 10, got 9");
	parse_err(MC("", "samples = 10\ndim = 2\n", M_OK, T_OK), "t.ini:6: data.dim: target sin3 needs dim >= 3, got 2");
	parse_err(WS("", "samples = 10\ndim = 2\ntarget = sin3\n", M_OK, T_OK),
		  "t.ini:6: data.dim: target sin3 needs dim >= 3, got 2");
	parse_err(MC("", D_OK, "widths = 200, 300\n", T_OK),
		  "t.ini:8: model.widths: kind mode_connectivity takes exactly one width, got 2");
	parse_err(LIN("", D_LIN, T_OK "optimizer = adam\n"), "t.ini:9: train.optimizer: kind benign_overfitting trains with gd, not adam");
	parse_err(LIN("", D_LIN, T_OK "optimizer = sgd\n"), "t.ini:9: train.optimizer: kind benign_overfitting trains with gd, not sgd");
	parse_err(WS("", D_OK, M_OK, T_OK "optimizer = gd\n"),
		  "t.ini:11: train.optimizer: gd is only for kind benign_overfitting (use sgd or adam)");
	parse_err(MC("", D_OK, M_OK, T_OK "lr = auto\n"), "t.ini:11: train.lr: auto is only for optimizer gd");
	parse_err(WS("", D_OK "target = linear\n", M_OK, T_OK), "t.ini:7: data.target: linear is only for kind benign_overfitting");
	parse_err(LIN("", D_LIN "target = sin3\n", T_OK), "t.ini:7: data.target: kind benign_overfitting takes only target linear");
}

static void test_err_no_effect(void **state)
{
	(void)state;
	parse_err(WS("", D_OK "covariance = spiked\n", M_OK, T_OK), "t.ini:7: data.covariance: has no effect with kind width_sweep");
	parse_err(MC("", D_OK "signal_dim = 3\n", M_OK, T_OK),
		  "t.ini:7: data.signal_dim: has no effect with kind mode_connectivity");
	parse_err(LIN("", D_LIN, T_OK) "[model]\nwidths = 10\n",
		  "t.ini:10: model.widths: has no effect with kind benign_overfitting");
	parse_err(WS("", D_OK, M_OK "init_std = 0.5\n", T_OK), "t.ini:9: model.init_std: has no effect with init torch_default");
	parse_err(WS("", D_OK, M_OK "init_seeds = 3, 4\n", T_OK), "t.ini:9: model.init_seeds: has no effect with kind width_sweep");
	parse_err(WS("", D_OK, M_OK, T_OK "alpha_points = 11\n"), "t.ini:11: train.alpha_points: has no effect with kind width_sweep");
	parse_err(LIN("", D_LIN "lambda_tail = 0.1\n", T_OK), "t.ini:7: data.lambda_tail: has no effect with covariance isotropic");
	parse_err(MC("", D_OK, M_OK, T_OK "threshold = 0.05\n"), "t.ini:11: train.threshold: has no effect with kind mode_connectivity");
	parse_err(LIN("", D_LIN, T_OK "threshold = 0.05\n"), "t.ini:9: train.threshold: has no effect with kind benign_overfitting");
	parse_err(WS("", D_OK, M_OK, T_OK "target_loss = 1e-6\n"), "t.ini:11: train.target_loss: has no effect with kind width_sweep");
	parse_err(MC("", D_OK "test_samples = 100\n", M_OK, T_OK),
		  "t.ini:7: data.test_samples: has no effect with kind mode_connectivity");
	parse_err(LIN("", D_LIN, T_OK "eval_every = 10\n"), "t.ini:9: train.eval_every: has no effect with kind benign_overfitting");
	/* The same keys where they do act. */
	struct scenario sc;
	parse_ok(WS("", D_OK "test_samples = 100\n", M_OK "init = normal\ninit_std = 0.5\n", T_OK "threshold = 0.05\neval_every = 2\n"),
		 &sc);
	parse_ok(MC("", D_OK, M_OK "init_seeds = 3, 4\n", T_OK "target_loss = 1e-6\nalpha_points = 11\neval_every = 2\n"), &sc);
	parse_ok(LIN("", D_LIN "test_samples = 100\nsignal_dim = 3\ncovariance = spiked\nlambda_tail = 0.1\n", T_OK), &sc);
}

static void test_err_malformed_lines(void **state)
{
	(void)state;
	parse_err("[scenario]\nkind = width_sweep\nthis is not a setting\n",
		  "t.ini:3: expected 'key = value', '[section]' or a comment");
	parse_err("[scenario\nkind = width_sweep\n", "t.ini:1: section header has no closing ]");
	parse_err("[scenario ; ]\n", "t.ini:1: section header has no closing ]");
	parse_err("[scenario] kind = width_sweep\n", "t.ini:1: unexpected text after ] in section header");
	parse_err("kind = width_sweep\n[scenario]\n", "t.ini:1: kind: set before any [section]");
	parse_err("[scenario]\n= width_sweep\n", "t.ini:2: key name missing before =");
	/* After a header there is no value to continue: an indented word is
	 * just a malformed line (as inih sees it). */
	parse_err("[scenario]\n  width_sweep\n", "t.ini:2: expected 'key = value', '[section]' or a comment");
	/* A continued number is no longer a number. */
	parse_err(WS("", "samples = 10\n  20\ndim = 10\n", M_OK, T_OK), "t.ini:5: data.samples: '10 20' is not an integer");
}

static void test_err_text_too_long(void **state)
{
	(void)state;
	parse_err("[scenario]\nkind = width_sweep\ntitle = 0123456789012345678901234567890123456789012345678901234567890123\n",
		  "t.ini:3: scenario.title: longer than 63 bytes");
	/* 63 bytes is fine. */
	struct scenario sc;
	parse_ok("[scenario]\nkind = width_sweep\ntitle = 012345678901234567890123456789012345678901234567890123456789012\n"
		 "[data]\n" D_OK "[model]\n" M_OK "[train]\n" T_OK,
		 &sc);
	assert_int_equal(strlen(sc.title), 63);
	/* Notes over several lines: 8 x 150 bytes. */
	char text[4096];
	int n = snprintf(text, sizeof text, "[scenario]\nkind = width_sweep\ntitle = T\nnotes = start\n");
	for (int i = 0; i < 8; i++) {
		n += snprintf(text + n, sizeof text - (size_t)n, "  ");
		for (int j = 0; j < 150; j++)
			text[n++] = (char)('a' + j % 26);
		text[n++] = '\n';
	}
	snprintf(text + n, sizeof text - (size_t)n, "[data]\n" D_OK "[model]\n" M_OK "[train]\n" T_OK);
	parse_err(text, "t.ini:4: scenario.notes: longer than 1023 bytes");
}

/* The first mistake in the file is the one reported. */
static void test_err_first_error_wins(void **state)
{
	(void)state;
	parse_err(WS("", D_OK "noise = x\nbogus line\n", M_OK, T_OK), "t.ini:7: data.noise: 'x' is not a number");
	parse_err(WS("", D_OK "bogus line\nnoise = x\n", M_OK, T_OK),
		  "t.ini:7: expected 'key = value', '[section]' or a comment");
	/* A key error comes before a missing required key. */
	parse_err("[scenario]\nkind = width_sweep\nseed = -1\n", "t.ini:3: scenario.seed: -1 is out of range (0..9007199254740991)");
}

static void test_err_buffer_small(void **state)
{
	(void)state;
	struct scenario sc;
	const char *text = WS("", D_OK, M_OK, T_OK "lr = nan\n");
	char err[12];
	memset(err, 'X', sizeof err);
	assert_int_equal(scenario_parse(text, strlen(text), "t.ini", &sc, err, sizeof err), -1);
	assert_string_equal(err, "t.ini:11: t");
	assert_int_equal(scenario_parse(text, strlen(text), "t.ini", &sc, NULL, 0), -1);
	/* A valid scenario leaves err empty. */
	char ok[SCENARIO_ERR_LEN] = "stale";
	const char *good = WS("", D_OK, M_OK, T_OK);
	assert_int_equal(scenario_parse(good, strlen(good), "t.ini", &sc, ok, sizeof ok), 0);
	assert_string_equal(ok, "");
}

static void test_parse_binary_in_memory(void **state)
{
	(void)state;
	struct scenario sc;
	char err[SCENARIO_ERR_LEN];
	static const char nul[] = "[scenario]\nkind = wid\0th_sweep\n";
	assert_int_equal(scenario_parse(nul, sizeof nul - 1, "t.ini", &sc, err, sizeof err), -1);
	assert_string_equal(err, "t.ini:2: control character 0x00 at column 11 (not a text file?)");
	parse_err("[scenario]\ntitle = caf\xE9\n", "t.ini:2: not valid UTF-8 text at column 12");
	parse_err("[scenario]\ntitle = \xC0\xAF\n", "t.ini:2: not valid UTF-8 text at column 9"); /* overlong '/' */
	parse_err("[scenario]\ntitle = \xED\xA0\x80\n", "t.ini:2: not valid UTF-8 text at column 9"); /* surrogate */
	parse_err("[scenario]\ntitle = a\rb\n", "t.ini:2: control character 0x0d at column 10 (not a text file?)");
	/* Real UTF-8 is text. */
	parse_ok(WS("summary = Über-parametrisiert — ρ ≈ 1\n", D_OK, M_OK, T_OK), &sc);
	assert_string_equal(sc.summary, "Über-parametrisiert — ρ ≈ 1");
}

/* ---- real files ------------------------------------------------------------ */

static void test_load_missing_and_directory(void **state)
{
	(void)state;
	char path[300];
	snprintf(path, sizeof path, "%s/nope.ini", tmpdir);
	load_err(path, ": cannot open: No such file or directory");
	load_err(tmpdir, ": is a directory");
}

static void test_load_empty(void **state)
{
	(void)state;
	static const char blank[] = "\n  \n\t\r\n", comments[] = "; nothing\n# here\n";
	load_err(write_file("empty.ini", "", 0), ": empty file: no [scenario] section");
	load_err(write_file("blank.ini", blank, strlen(blank)), ": empty file: no [scenario] section");
	load_err(write_file("comments.ini", comments, strlen(comments)),
		 ":1: scenario.kind: required key is missing (no [scenario] section)");
}

static void test_load_binary(void **state)
{
	(void)state;
	static const unsigned char elf[] = {0x7F, 'E', 'L', 'F', 2, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 3, 0, 0x3E, 0};
	load_err(write_file("elf.ini", elf, sizeof elf), ":1: control character 0x7f at column 1 (not a text file?)");
	static const unsigned char junk[] = {'[', 'd', 'a', 't', 'a', ']', '\n', 0xFF, 0xFE, 0x00, 0x41};
	load_err(write_file("junk.ini", junk, sizeof junk), ":2: not valid UTF-8 text at column 1");
}

static void test_load_long_lines(void **state)
{
	(void)state;
	size_t big = (size_t)10 << 20;
	char *text = malloc(big + 2);
	assert_non_null(text);
	memset(text, 'a', big);
	text[big] = '\n';
	load_err(write_file("huge.ini", text, big + 1), ":1: line longer than 197 bytes");

	/* The limit is exact: 197 bytes pass (also with CRLF), 198 do not. */
	char line[LINE_LIMIT + 64];
	char doc[2048];
	memset(line, 'x', sizeof line);
	line[0] = ';';
	line[LINE_LIMIT] = '\0';
	int n = snprintf(doc, sizeof doc, WS("", D_OK, M_OK, T_OK) "%s\r\n", line);
	struct scenario sc;
	char err[SCENARIO_ERR_LEN];
	const char *path = write_file("limit.ini", doc, (size_t)n);
	if (scenario_load(path, &sc, err, sizeof err) != 0)
		fail_msg("%s", err);
	line[LINE_LIMIT] = 'x';
	line[LINE_LIMIT + 1] = '\0';
	n = snprintf(doc, sizeof doc, "[scenario]\n\n%s\n", line);
	load_err(write_file("over.ini", doc, (size_t)n), ":3: line longer than 197 bytes");
	free(text);
}

static void test_load_without_final_newline(void **state)
{
	(void)state;
	static const char text[] = WS("notes = one \\n\n  two\n", D_OK, M_OK, "epochs = 77");
	static const char cont[] = WS("", D_OK, M_OK, "epochs = 7\nthreshold = 0.5\n  ");
	struct scenario sc;
	char err[SCENARIO_ERR_LEN];
	const char *path = write_file("nonl.ini", text, sizeof text - 1);
	if (scenario_load(path, &sc, err, sizeof err) != 0)
		fail_msg("%s", err);
	assert_int_equal(sc.train.epochs, 77);
	assert_string_equal(sc.notes, "one\ntwo");
	/* Ends in an indented line of spaces and no newline: nothing to add. */
	path = write_file("nonl2.ini", cont, sizeof cont - 1);
	if (scenario_load(path, &sc, err, sizeof err) != 0)
		fail_msg("%s", err);
	assert_true(sc.train.threshold == 0.5);
}

/* ---- memory estimate --------------------------------------------------------- */

/* The estimate must cover what the experiments really allocate: the nets
 * as mlp.c sizes them (mlp_bytes), Adam's two moments, and the data. */
static void test_memory_covers_allocations(void **state)
{
	(void)state;
	struct scenario sc;
	load_shipped("01-optimization-ease.ini", &sc);
	int rows = sc.data.samples > sc.data.test_samples ? sc.data.samples : sc.data.test_samples;
	double real = 4.0 * ((double)sc.data.samples + sc.data.test_samples) * (sc.data.dim + 1);
	for (int k = 0; k < sc.model.n_widths; k++) {
		int dims[] = {sc.data.dim, sc.model.widths[k], sc.model.widths[k], 1};
		real += (double)mlp_bytes(dims, 3, rows);
	}
	size_t est = scenario_memory(&sc);
	assert_true((double)est >= real);
	assert_true((double)est <= 2 * real + 65536);

	load_shipped("02-mode-connectivity.ini", &sc);
	int dims[] = {10, 200, 200, 1};
	double net = (double)mlp_bytes(dims, 3, sc.data.samples);
	double adam = 2.0 * 4 * 42601; /* the seed's true parameter count, two moments */
	real = 2 * (net + adam) + net + 4.0 * sc.data.samples * 11;
	est = scenario_memory(&sc);
	assert_true((double)est >= real);
	assert_true((double)est <= 2 * real + 65536);

	/* Linear: X, X_test and the n x n Gram matrix in float64 at least. */
	load_shipped("03-benign-overfitting.ini", &sc);
	double n = sc.data.samples, nt = sc.data.test_samples, p = sc.data.dim;
	real = 8 * (n * p + nt * p + n * n + n + nt + 3 * p);
	est = scenario_memory(&sc);
	assert_true((double)est >= real);
	assert_true((double)est <= 2 * real + 65536);
}

static void test_memory_grows_with_size(void **state)
{
	(void)state;
	struct scenario a, b;
	parse_ok(WS("", D_OK, "widths = 100\n", T_OK), &a);
	parse_ok(WS("", D_OK, "widths = 100, 200\n", T_OK), &b);
	assert_true(scenario_memory(&b) > scenario_memory(&a));
	parse_ok(WS("", D_OK, "widths = 100\n", T_OK "optimizer = adam\n"), &b);
	/* Adam keeps two more float32 copies of the 11,301 parameters. */
	assert_true(scenario_memory(&b) >= scenario_memory(&a) + 2 * 4 * 11301);
	/* Mode connectivity: two Adam nets and a scratch net, more than twice
	 * one Adam net (both beyond the fixed 64 KiB slack). */
	struct scenario mc;
	parse_ok(MC("", D_OK, "widths = 100\n", T_OK), &mc);
	assert_true(scenario_memory(&mc) - 65536 > 2 * (scenario_memory(&b) - 65536));
}

/* ---- double descent and the benign/harmful pair ---------------------------- */

/* DD(s, d, m, t): with D_DD, [data] is line 4 (samples 5, dim 6,
 * test_samples 7), [model] line 8, then m, then [train]. */
#define D_DD "samples = 10\ndim = 5\ntest_samples = 20\n"
#define DD(s, d, m, t) "[scenario]\nkind = double_descent\ntitle = T\n" s "[data]\n" d "[model]\n" m "[train]\n" t

static void test_double_descent_keys(void **state)
{
	(void)state;
	struct scenario sc;
	/* no epochs, no widths: the grid is the run */
	parse_ok(DD("", D_DD, "", ""), &sc);
	assert_int_equal(sc.kind, KIND_DOUBLE_DESCENT);
	assert_true(sc.model.features_from == 0.1);
	assert_true(sc.model.features_to == 10);
	assert_int_equal(sc.model.features_points, 31);
	assert_true(sc.train.ridge == 0);
	assert_int_equal(sc.train.repeats, 3);
	parse_ok(DD("", D_DD, "features_from = 0.5\nfeatures_to = 4\nfeatures_points = 9\n", "ridge = 0.01\nrepeats = 5\n"),
		 &sc);
	assert_true(sc.model.features_from == 0.5 && sc.model.features_to == 4);
	assert_int_equal(sc.model.features_points, 9);
	assert_true(sc.train.ridge == 0.01);
	assert_int_equal(sc.train.repeats, 5);
	assert_string_equal(scenario_kind_name(KIND_DOUBLE_DESCENT), "double_descent");

	parse_err(DD("", D_DD, "features_from = 0\n", ""), "t.ini:9: model.features_from: 0 is out of range (> 0 and <= 1)");
	parse_err(DD("", D_DD, "features_to = 0.5\n", ""), "t.ini:9: model.features_to: 0.5 is out of range (1..100)");
	parse_err(DD("", D_DD, "features_points = 2\n", ""), "t.ini:9: model.features_points: 2 is out of range (3..101)");
	parse_err(DD("", D_DD, "features_from = 1\nfeatures_to = 1\n", ""),
		  "t.ini:10: model.features_to: the grid needs features_from (1) < features_to (1)");
	parse_err(DD("", D_DD, "", "ridge = -1\n"), "t.ini:10: train.ridge: -1 is out of range (0..1000000)");
	parse_err(DD("", D_DD, "", "repeats = 0\n"), "t.ini:10: train.repeats: 0 is out of range (1..32)");
	parse_err(DD("", "samples = 10\ndim = 5\n", "", ""),
		  "t.ini:4: data.test_samples: kind double_descent needs test samples (its curves are test MSE)");
	/* what the kind does not use is refused, not ignored */
	parse_err(DD("", D_DD, "", "epochs = 5\n"), "t.ini:10: train.epochs: has no effect with kind double_descent");
	parse_err(DD("", D_DD, "widths = 4\n", ""), "t.ini:9: model.widths: has no effect with kind double_descent");
	parse_err(DD("", D_DD "target = linear\n", "", ""), "t.ini:8: data.target: has no effect with kind double_descent");
	parse_err(DD("", D_DD, "", "lr = 0.1\n"), "t.ini:10: train.lr: has no effect with kind double_descent");
	parse_err(DD("", D_DD "signal_dim = 2\n", "", ""),
		  "t.ini:8: data.signal_dim: has no effect with kind double_descent");
	/* and its keys mean nothing to the other kinds */
	parse_err(WS("", D_OK, M_OK, T_OK "ridge = 0.1\n"), "t.ini:11: train.ridge: has no effect with kind width_sweep");
	parse_err(WS("", D_OK, M_OK "features_to = 5\n", T_OK),
		  "t.ini:9: model.features_to: has no effect with kind width_sweep");
	parse_err(LIN("", D_LIN, T_OK "repeats = 2\n"), "t.ini:9: train.repeats: has no effect with kind benign_overfitting");
	/* the memory cap counts the feature matrices, (n + n_test) x 10n */
	parse_err(DD("", "samples = 100000\ndim = 10\ntest_samples = 10\n", "", ""),
		  "t.ini:5: data.samples: needs 1.7 TiB, over the 512 MiB cap");
}

static void test_covariance_both(void **state)
{
	(void)state;
	struct scenario sc;
	parse_ok(LIN("", D_LIN "test_samples = 5\ncovariance = both\nlambda_tail = 0.1\n", T_OK), &sc);
	assert_int_equal(sc.data.covariance, COV_BOTH);
	assert_true(sc.data.lambda_tail == 0.1);
	parse_err(LIN("", D_LIN "covariance = both\n", T_OK),
		  "t.ini:4: data.test_samples: covariance both needs test samples (its curves are test MSE)");
	/* covariance is the linear kind's alone, both included */
	parse_err(WS("", D_OK "covariance = both\n", M_OK, T_OK),
		  "t.ini:7: data.covariance: has no effect with kind width_sweep");
}

static void test_shipped_benign_vs_harmful_and_double_descent(void **state)
{
	(void)state;
	struct scenario sc;
	load_shipped("05-benign-vs-harmful.ini", &sc);
	assert_int_equal(sc.kind, KIND_BENIGN_OVERFITTING);
	assert_int_equal(sc.data.covariance, COV_BOTH);
	assert_int_equal(sc.data.samples, 100);
	assert_int_equal(sc.data.dim, 500);
	assert_true(sc.data.lambda_tail == 0.01);
	assert_true(sc.data.noise == 0.3);
	assert_true(sc.n_knobs >= 1);
	load_shipped("06-double-descent.ini", &sc);
	assert_int_equal(sc.kind, KIND_DOUBLE_DESCENT);
	assert_int_equal(sc.data.samples, 100);
	assert_true(sc.train.ridge == 0);
	assert_true(sc.n_knobs == 3);
}

/* The estimates cover what the two allocate: the pair holds two designs,
 * double descent per draw its data and feature weights, plus the feature
 * matrices of the largest N. */
static void test_memory_double_descent_and_pair(void **state)
{
	(void)state;
	struct scenario sc;
	load_shipped("05-benign-vs-harmful.ini", &sc);
	double n = sc.data.samples, nt = sc.data.test_samples, p = sc.data.dim;
	double real = 8 * (2 * (n * p + nt * p) + n * n + n + nt + 5 * p);
	size_t est = scenario_memory(&sc);
	assert_true((double)est >= real);
	assert_true((double)est <= 2 * real + 65536);

	load_shipped("06-double-descent.ini", &sc);
	n = sc.data.samples;
	nt = sc.data.test_samples;
	double d = sc.data.dim, nmax = sc.model.features_to * n, r = sc.train.repeats;
	/* two threads' scratch: the train features and a block of 128 test rows' */
	real = 8 * (r * ((n + nt) * (d + 1) + nmax * d) + 2 * ((n + (nt < 128 ? nt : 128)) * nmax + n * n + n));
	est = scenario_memory(&sc);
	assert_true((double)est >= real);
	assert_true((double)est <= 2 * real + 65536);
}

static void test_kind_names(void **state)
{
	(void)state;
	assert_string_equal(scenario_kind_name(KIND_WIDTH_SWEEP), "width_sweep");
	assert_string_equal(scenario_kind_name(KIND_MODE_CONNECTIVITY), "mode_connectivity");
	assert_string_equal(scenario_kind_name(KIND_BENIGN_OVERFITTING), "benign_overfitting");
	assert_string_equal(scenario_kind_name(KIND_COUNT), "unknown");
}

/* ---- the kinds that explain the barrier (scenarios 7, 8, 9) ------------- */

/* As MC, for any kind: [data] line 4, [model] 7, widths 8, [train] 9,
 * epochs 10 with the *_OK bodies. */
#define PATHS(kind, s, d, m, t) "[scenario]\nkind = " kind "\ntitle = T\n" s "[data]\n" d "[model]\n" m "[train]\n" t

static void test_shipped_mode_paths(void **state)
{
	(void)state;
	struct scenario sc;
	load_shipped("07-permutation-alignment.ini", &sc);
	assert_int_equal(sc.kind, KIND_PERMUTATION_ALIGNMENT);
	assert_int_equal(sc.model.depth, 1);
	assert_int_equal(sc.model.n_widths, 1);
	assert_int_equal(sc.model.widths[0], 200);
	assert_int_equal(sc.train.optimizer, OPTIM_ADAM);
	assert_true(sc.train.target_loss == 1e-6);
	assert_int_equal(sc.n_knobs, 2);
	load_shipped("08-curved-path.ini", &sc);
	assert_int_equal(sc.kind, KIND_CURVED_PATH);
	assert_int_equal(sc.model.depth, 2); /* scenario 2's nets */
	assert_int_equal(sc.model.widths[0], 200);
	assert_int_equal(sc.train.epochs, 500);
	load_shipped("09-barrier-vs-width.ini", &sc);
	assert_int_equal(sc.kind, KIND_BARRIER_WIDTH);
	assert_int_equal(sc.model.n_widths, 5);
	assert_int_equal(sc.model.widths[0], 16);
	assert_int_equal(sc.model.widths[4], 256);
	assert_int_equal(sc.train.repeats, 3);
	static const char *const files[] = {"07-permutation-alignment.ini", "08-curved-path.ini",
					    "09-barrier-vs-width.ini"};
	for (size_t i = 0; i < sizeof files / sizeof *files; i++) {
		load_shipped(files[i], &sc);
		int paragraphs = 1;
		size_t len = 0;
		for (const char *p = sc.notes; *p; p++) {
			if (*p == '\n') {
				paragraphs++;
				len = 0;
			} else {
				assert_in_range(++len, 1, 76); /* whole lines at 80x24 */
			}
		}
		assert_in_range(paragraphs, 3, 5);
	}
}

static void test_mode_paths_keys(void **state)
{
	(void)state;
	struct scenario sc;
	/* mode connectivity's defaults: sin3, Adam */
	parse_ok(PATHS("permutation_alignment", "", D_OK, M_OK, T_OK), &sc);
	assert_int_equal(sc.kind, KIND_PERMUTATION_ALIGNMENT);
	assert_int_equal(sc.data.target, TARGET_SIN3);
	assert_int_equal(sc.train.optimizer, OPTIM_ADAM);
	parse_ok(PATHS("curved_path", "", D_OK, M_OK "init_seeds = 3, 4\n", T_OK "target_loss = 1e-4\nalpha_points = 11\n"),
		 &sc);
	assert_int_equal(sc.kind, KIND_CURVED_PATH);
	assert_int_equal(sc.model.init_seeds[1], 4);
	parse_ok(PATHS("barrier_width", "", D_OK, "widths = 8, 16, 32\n", T_OK "repeats = 2\n"), &sc);
	assert_int_equal(sc.kind, KIND_BARRIER_WIDTH);
	assert_int_equal(sc.model.n_widths, 3);
	assert_int_equal(sc.train.repeats, 2);
	assert_true(scenario_memory(&sc) > 0);
	assert_string_equal(scenario_kind_name(KIND_PERMUTATION_ALIGNMENT), "permutation_alignment");
	assert_string_equal(scenario_kind_name(KIND_CURVED_PATH), "curved_path");
	assert_string_equal(scenario_kind_name(KIND_BARRIER_WIDTH), "barrier_width");
}

static void test_err_mode_paths(void **state)
{
	(void)state;
	parse_err(PATHS("permutation_alignment", "", D_OK, "widths = 200, 300\n", T_OK),
		  "t.ini:8: model.widths: kind permutation_alignment takes exactly one width, got 2");
	parse_err(PATHS("curved_path", "", D_OK, "widths = 20, 30\n", T_OK "target_loss = 1e-6\n"),
		  "t.ini:8: model.widths: kind curved_path takes exactly one width, got 2");
	parse_err(PATHS("curved_path", "", D_OK, M_OK, T_OK),
		  "t.ini:9: train.target_loss: kind curved_path needs a target loss > 0 (the bend trains once both nets "
		  "reach it)");
	parse_err(PATHS("barrier_width", "", D_OK, M_OK, T_OK "eval_every = 5\n"),
		  "t.ini:11: train.eval_every: has no effect with kind barrier_width");
	parse_err(PATHS("permutation_alignment", "", D_OK, M_OK, T_OK "repeats = 3\n"),
		  "t.ini:11: train.repeats: has no effect with kind permutation_alignment");
	parse_err(PATHS("curved_path", "", D_OK "test_samples = 10\n", M_OK, T_OK "target_loss = 1e-6\n"),
		  "t.ini:7: data.test_samples: has no effect with kind curved_path");
	parse_err(PATHS("barrier_width", "", D_OK, M_OK, T_OK "threshold = 0.1\n"),
		  "t.ini:11: train.threshold: has no effect with kind barrier_width");
}

/* ---- lazy training and lottery tickets ------------------------------------ */

/* LZ(s, d, m, t) and LT(s, d, m, t): with s empty, [data] is line 4, then
 * d's lines, [model], m's lines, [train], t's lines. */
#define D_LZ "samples = 10\ndim = 5\n"
#define M_LZ "widths = 16, 64\n"
#define T_LZ "epochs = 50\n"
#define LZ(s, d, m, t) "[scenario]\nkind = lazy_training\ntitle = T\n" s "[data]\n" d "[model]\n" m "[train]\n" t
#define D_LT "samples = 10\ndim = 12\ntest_samples = 20\n"
#define M_LT "widths = 16\n"
#define LT(s, d, m, t) "[scenario]\nkind = lottery_ticket\ntitle = T\n" s "[data]\n" d "[model]\n" m "[train]\n" t

static void test_lazy_and_lottery_keys(void **state)
{
	(void)state;
	struct scenario sc;
	/* lazy training: the net kinds' keys it reads, target_loss included */
	parse_ok(LZ("", D_LZ "target = sin3\n", M_LZ, T_LZ "target_loss = 1e-3\nlr = 1\neval_every = 3\n"), &sc);
	assert_int_equal(sc.kind, KIND_LAZY_TRAINING);
	assert_true(sc.train.target_loss == 1e-3);
	assert_int_equal(sc.train.optimizer, OPTIM_SGD);
	assert_int_equal(sc.model.n_widths, 2);
	parse_err(LZ("", D_LZ "target = sin3\n", M_LZ "depth = 1\n", T_LZ),
		  "t.ini:10: model.depth: has no effect with kind lazy_training");
	parse_err(LZ("", D_LZ "target = sin3\n", M_LZ "init = normal\n", T_LZ),
		  "t.ini:10: model.init: has no effect with kind lazy_training");
	parse_err(LZ("", D_LZ "target = sin3\ntest_samples = 5\n", M_LZ, T_LZ),
		  "t.ini:8: data.test_samples: has no effect with kind lazy_training");
	parse_err(LZ("", D_LZ "target = sin3\n", M_LZ, T_LZ "optimizer = adam\n"),
		  "t.ini:12: train.optimizer: kind lazy_training trains with plain gradient descent (sgd), not adam");
	parse_err(LZ("", D_LZ "target = sin3\n", "widths = 16, 64, 64\n", T_LZ),
		  "t.ini:9: model.widths: kind lazy_training needs increasing widths (64 after 64)");
	parse_err(LZ("", D_LZ "target = sin3\n", M_LZ, T_LZ "rounds = 3\n"),
		  "t.ini:12: train.rounds: has no effect with kind lazy_training");
	parse_err(LZ("", D_LZ, M_LZ, T_LZ), "t.ini:6: data.dim: target sin_cos needs dim >= 10, got 5");

	/* lottery tickets: the sparse teacher by default, and its keys */
	parse_ok(LT("", D_LT, M_LT, T_LZ), &sc);
	assert_int_equal(sc.kind, KIND_LOTTERY_TICKET);
	assert_int_equal(sc.data.target, TARGET_TEACHER);
	assert_int_equal(sc.data.teacher_width, 4);
	assert_int_equal(sc.train.rounds, 10);
	assert_true(sc.train.prune == 0.2);
	assert_int_equal(sc.train.rewind, 0);
	parse_ok(LT("", D_LT "signal_dim = 8\nteacher_width = 1000\n", M_LT,
		    T_LZ "rounds = 30\nprune = 0.9\nrewind = 49\n"), &sc);
	assert_int_equal(sc.data.signal_dim, 8);
	assert_int_equal(sc.data.teacher_width, 1000);
	assert_int_equal(sc.train.rounds, 30);
	assert_true(sc.train.prune == 0.9);
	assert_int_equal(sc.train.rewind, 49);
	parse_ok(LT("", D_LT "target = sin3\n", M_LT, T_LZ), &sc);
	assert_int_equal(sc.data.target, TARGET_SIN3);
	parse_err(LT("", D_LT "signal_dim = 13\n", M_LT, T_LZ),
		  "t.ini:8: data.signal_dim: 13 is more than data.dim (12)");
	parse_err(LT("", "samples = 10\ndim = 8\ntest_samples = 20\n", M_LT, T_LZ),
		  "t.ini:6: data.signal_dim: 10 (the default) is more than data.dim (8)");
	parse_err(LT("", D_LT "target = sin3\nteacher_width = 3\n", M_LT, T_LZ),
		  "t.ini:9: data.teacher_width: has no effect with target sin3");
	parse_err(LT("", D_LT "teacher_width = 0\n", M_LT, T_LZ),
		  "t.ini:8: data.teacher_width: 0 is out of range (1..1000)");
	parse_err(LT("", D_LT, M_LT, T_LZ "rounds = 31\n"), "t.ini:12: train.rounds: 31 is out of range (1..30)");
	parse_err(LT("", D_LT, M_LT, T_LZ "prune = 0\n"), "t.ini:12: train.prune: 0 is out of range (> 0 and <= 0.9)");
	parse_err(LT("", D_LT, M_LT, T_LZ "prune = 0.95\n"),
		  "t.ini:12: train.prune: 0.95 is out of range (> 0 and <= 0.9)");
	parse_err(LT("", D_LT, M_LT, T_LZ "rewind = 50\n"),
		  "t.ini:12: train.rewind: rewind epoch 50 is not below train.epochs (50)");
	parse_err(LT("", D_LT, "widths = 16, 32\n", T_LZ),
		  "t.ini:9: model.widths: kind lottery_ticket takes exactly one width, got 2");
	parse_err(LT("", "samples = 10\ndim = 12\n", M_LT, T_LZ),
		  "t.ini:4: data.test_samples: kind lottery_ticket needs test samples (its curves are test loss)");
	parse_err(LT("", D_LT, M_LT, T_LZ "target_loss = 1e-3\n"),
		  "t.ini:12: train.target_loss: has no effect with kind lottery_ticket");
	/* the teacher and the pruning keys belong to the lottery kind */
	parse_err(WS("", D_OK "target = teacher\n", M_OK, T_OK),
		  "t.ini:7: data.target: teacher is only for kind lottery_ticket");
	parse_err(WS("", D_OK, M_OK, T_OK "prune = 0.5\n"), "t.ini:11: train.prune: has no effect with kind width_sweep");
	parse_err(WS("", D_OK "signal_dim = 3\n", M_OK, T_OK),
		  "t.ini:7: data.signal_dim: has no effect with kind width_sweep");
	assert_string_equal(scenario_kind_name(KIND_LAZY_TRAINING), "lazy_training");
	assert_string_equal(scenario_kind_name(KIND_LOTTERY_TICKET), "lottery_ticket");
}

static void test_shipped_lazy_and_lottery(void **state)
{
	(void)state;
	static const char *const files[] = {"10-lazy-training.ini", "11-lottery-tickets.ini"};
	for (size_t i = 0; i < sizeof files / sizeof *files; i++) {
		struct scenario sc;
		load_shipped(files[i], &sc);
		/* the Why panel's rule: at most five paragraphs of 78 bytes */
		int paragraphs = 1;
		size_t len = 0;
		for (const char *p = sc.notes; *p; p++) {
			if (*p == '\n') {
				paragraphs++;
				len = 0;
			} else {
				assert_in_range(++len, 1, 78);
			}
		}
		assert_in_range(paragraphs, 1, 5);
		assert_true(sc.pace > 0);
	}
	struct scenario sc;
	load_shipped("10-lazy-training.ini", &sc);
	assert_int_equal(sc.kind, KIND_LAZY_TRAINING);
	assert_int_equal(sc.model.n_widths, 7);
	assert_int_equal(sc.model.widths[0], 16);
	assert_int_equal(sc.model.widths[6], 1024);
	assert_true(sc.train.target_loss == 1e-3);
	load_shipped("11-lottery-tickets.ini", &sc);
	assert_int_equal(sc.kind, KIND_LOTTERY_TICKET);
	assert_int_equal(sc.data.target, TARGET_TEACHER);
	assert_int_equal(sc.train.rounds, 10);
	assert_true(sc.train.prune == 0.2);
	assert_int_equal(sc.train.rewind, 0);
}

/* ---- input edge cases (issue 13) ----------------------------------------- */

static void parse_err_sets(const char *text, const char *const *sets, int n, const char *expected)
{
	struct scenario sc;
	char err[SCENARIO_ERR_LEN];
	memset(err, 'X', sizeof err);
	assert_int_equal(scenario_parse_sets(text, strlen(text), "t.ini", sets, n, &sc, err, sizeof err), -1);
	assert_string_equal(err, expected);
}

static void on_alarm(int sig)
{
	(void)sig;
	static const char msg[] = "test_scenario: a load blocked for 10 s\n";
	if (write(2, msg, sizeof msg - 1) < 0)
		_exit(3);
	_exit(3);
}

/* Only a regular file is read: a FIFO with no writer must not block the
 * load, a pipe or a device must not be read forever. */
static void test_load_not_regular(void **state)
{
	(void)state;
	signal(SIGALRM, on_alarm);
	alarm(10);
	char path[300];
	snprintf(path, sizeof path, "%s/fifo.ini", tmpdir);
	assert_int_equal(mkfifo(path, 0600), 0);
	load_err(path, ": is a pipe or FIFO, not a regular file");
	load_err("/dev/null", ": is a character device, not a regular file");
	load_err("/dev/zero", ": is a character device, not a regular file");
	int fds[2];
	assert_int_equal(pipe(fds), 0);
	snprintf(path, sizeof path, "/dev/fd/%d", fds[0]);
	load_err(path, ": is a pipe or FIFO, not a regular file");
	close(fds[0]);
	close(fds[1]);
	struct sockaddr_un a = {.sun_family = AF_UNIX};
	snprintf(a.sun_path, sizeof a.sun_path, "%s/sock.ini", tmpdir);
	int fd = socket(AF_UNIX, SOCK_STREAM, 0);
	assert_true(fd >= 0);
	assert_int_equal(bind(fd, (struct sockaddr *)&a, sizeof a), 0);
	load_err(a.sun_path, ": is a socket, not a regular file");
	close(fd);
	/* A symbolic link to a regular file is a regular file. */
	snprintf(path, sizeof path, "%s/link.ini", tmpdir);
	const char *good = write_file("good.ini", WS("", D_OK, M_OK, T_OK), strlen(WS("", D_OK, M_OK, T_OK)));
	assert_int_equal(symlink(good, path), 0);
	struct scenario sc;
	char err[SCENARIO_ERR_LEN];
	if (scenario_load(path, &sc, err, sizeof err) != 0)
		fail_msg("%s", err);
	alarm(0);
	signal(SIGALRM, SIG_DFL);
}

/* A scenario file is at most 1 MiB: exactly 1 MiB of valid lines loads, one
 * byte more does not, whatever the lines are (a 200 MB file of comments took
 * 23 s). A long line is still reported as one. */
static void test_load_size_cap(void **state)
{
	(void)state;
	const size_t cap = (size_t)1 << 20;
	const char *head = WS("", D_OK, M_OK, T_OK);
	char *text = malloc(cap + 2);
	assert_non_null(text);
	size_t h = strlen(head);
	memcpy(text, head, h);
	for (size_t i = h; i < cap + 1; i++)
		text[i] = (i - h) % 64 == 63 ? '\n' : ';';
	text[cap - 1] = '\n';
	struct scenario sc;
	char err[SCENARIO_ERR_LEN];
	const char *path = write_file("mib.ini", text, cap);
	if (scenario_load(path, &sc, err, sizeof err) != 0)
		fail_msg("%s", err);
	text[cap] = '\n';
	load_err(write_file("mib1.ini", text, cap + 1), ": larger than 1 MiB (the limit for a scenario file)");
	assert_int_equal(scenario_parse(text, cap + 1, "t.ini", &sc, err, sizeof err), -1);
	assert_string_equal(err, "t.ini: larger than 1 MiB (the limit for a scenario file)");
	/* Blank lines only: nothing else would ever stop them. */
	memset(text, '\n', cap + 1);
	load_err(write_file("blank1.ini", text, cap + 1), ": larger than 1 MiB (the limit for a scenario file)");
	free(text);
}

/* "WS" with widths continued over n lines of "  ,1" (n + 1 widths). */
static char *many_widths(int n, const char *last)
{
	size_t cap = (size_t)n * 5 + 512;
	char *t = malloc(cap);
	assert_non_null(t);
	int o = snprintf(t, cap, "[scenario]\nkind = width_sweep\ntitle = T\n[data]\n" D_OK "[model]\nwidths = 1\n");
	for (int i = 0; i < n; i++)
		o += snprintf(t + o, cap - (size_t)o, "  ,1\n");
	snprintf(t + o, cap - (size_t)o, "%s[train]\n" T_OK, last);
	return t;
}

/* A value past 4095 bytes is never cut silently: a list gives its true
 * count, a text its own limit, a number or word the buffer's. */
static void test_err_value_true_count(void **state)
{
	(void)state;
	char *t = many_widths(9999, "");
	parse_err(t, "t.ini:8: model.widths: 10000 widths given, at most 8");
	free(t);
	/* A bad item among those kept is reported first, as without the cap. */
	t = many_widths(2000, "");
	memcpy(strstr(t, "  ,1\n  ,1\n") + 3, "x", 1);
	parse_err(t, "t.ini:8: model.widths: 'x' is not an integer");
	free(t);
	/* A long piece does not fit (3991 + 180 bytes); the short one after it
	 * would, but is not kept either: the value is never patched together. */
	char tail[256] = "  ,1";
	for (int i = 1; i < 60; i++)
		strcat(tail, ", 1");
	strcat(tail, "\n  ,1\n");
	t = many_widths(1330, tail);
	parse_err(t, "t.ini:8: model.widths: 1392 widths given, at most 8");
	free(t);
	char text[16384];
	int n = snprintf(text, sizeof text, "[scenario]\nkind = width_sweep\ntitle = T\n[data]\nsamples = 1\n");
	for (int i = 0; i < 60; i++)
		n += snprintf(text + n, sizeof text - (size_t)n, "  %0100d\n", i);
	snprintf(text + n, sizeof text - (size_t)n, "dim = 10\n[model]\n" M_OK "[train]\n" T_OK);
	parse_err(text, "t.ini:5: data.samples: longer than 4095 bytes");
	/* Seeds, and the same through --set. */
	static char big[20000];
	n = snprintf(big, sizeof big, "model.init_seeds=1");
	for (int i = 0; i < 4999; i++)
		n += snprintf(big + n, sizeof big - (size_t)n, ",1");
	const char *sets[] = {big};
	const char *mc = MC("", D_OK, "widths = 4\n", T_OK);
	parse_err_sets(mc, sets, 1, "--set:1: model.init_seeds: 5000 seeds given, exactly 2 needed");
	memcpy(big, "scenario.title=xx", 17);
	parse_err_sets(mc, sets, 1, "--set:1: scenario.title: longer than 63 bytes");
	memcpy(big, "data.samples=1 xx", 17);
	parse_err_sets(mc, sets, 1, "--set:1: data.samples: longer than 4095 bytes");
}

/* Characters that show as nothing are written out and named: the line
 * looks right on screen. */
static void test_err_invisible_chars(void **state)
{
	(void)state;
	parse_err(WS("", "samples = 100\xC2\xA0\ndim = 10\n", M_OK, T_OK),
		  "t.ini:5: data.samples: '100<U+00A0>' is not an integer (U+00A0 is a no-break space)");
	/* A byte-order mark in the middle: two files put together. */
	parse_err("[scenario]\nkind = width_sweep\ntitle = T\n\xEF\xBB\xBF[data]\n",
		  "t.ini:4: expected 'key = value', '[section]' or a comment (column 1 is U+FEFF, a byte-order mark)");
	parse_err("\xEF\xBB\xBF\xEF\xBB\xBF[scenario]\n",
		  "t.ini:1: expected 'key = value', '[section]' or a comment (column 4 is U+FEFF, a byte-order mark)");
	parse_err("[scenario]\nkind = width_sweep\n\xEF\xBB\xBFtitle = T\n",
		  "t.ini:3: scenario.<U+FEFF>title: unknown key (keys of [scenario]: kind, title, summary, notes, seed, "
		  "pace) (U+FEFF is a byte-order mark)");
	parse_err("[scenario]\n[da\xE2\x80\x8Bta]\n", "t.ini:2: unknown section [da<U+200B>ta] (expected [scenario], "
						   "[data], [model], [train] or [knobs]) (U+200B is a zero-width space)");
	parse_err("[data]\xC2\xA0\n",
		  "t.ini:1: unexpected text after ] in section header (column 7 is U+00A0, a no-break space)");
	parse_err("[data\xE2\x80\xAF\n", "t.ini:1: section header has no closing ] (column 6 is U+202F, a narrow "
					  "no-break space)");
	parse_err(WS("", D_OK, M_OK, T_OK "optimizer = \xE2\x80\xAE" "adam\n"),
		  "t.ini:11: train.optimizer: '<U+202E>adam' is not one of sgd, adam, gd (U+202E is a bidirectional "
		  "control)");
	/* A tab is no surprise on a line: no note for it. */
	parse_err("[scenario]\n\tx\n", "t.ini:2: expected 'key = value', '[section]' or a comment");
	/* They are fine where they are text. */
	struct scenario sc;
	parse_ok(WS("summary = a\xC2\xA0" "b\n", D_OK, M_OK, T_OK), &sc);
	assert_string_equal(sc.summary, "a\xC2\xA0" "b");
}

/* C1 controls (U+0080..U+009F) never reach a title: a terminal may act on
 * them (U+009B is CSI). They come from Windows-1252 text decoded as
 * Latin-1. */
static void test_err_c1_controls(void **state)
{
	(void)state;
	parse_err("[scenario]\ntitle = a\xC2\x9B" "2J\n",
		  "t.ini:2: control character U+009B at column 10 (text converted from Windows-1252?)");
	parse_err("; \xC2\x93quoted\xC2\x94\n", "t.ini:1: control character U+0093 at column 3 (text converted from "
						"Windows-1252?)");
	parse_err("[scenario]\ntitle = \xC2\x80\n",
		  "t.ini:2: control character U+0080 at column 9 (text converted from Windows-1252?)");
	struct scenario sc;
	parse_ok(WS("summary = \xC2\xA1\xC2\xBF\n", D_OK, M_OK, T_OK), &sc); /* U+00A1, U+00BF: printable */
	const char *sets[] = {"scenario.title=x\xC2\x85y"};
	parse_err_sets(WS("", D_OK, M_OK, T_OK), sets, 1, "--set:1: control character U+0085 at column 17");
}

/* Whatever a message quotes (a file name, a --set) is safe to print. */
static void test_err_escaped_names(void **state)
{
	(void)state;
	struct scenario sc;
	char err[SCENARIO_ERR_LEN];
	const char *text = "[scenario]\nbogus line\n";
	assert_int_equal(scenario_parse(text, strlen(text), "a\x1B[2J.ini", &sc, err, sizeof err), -1);
	assert_string_equal(err, "a<U+001B>[2J.ini:2: expected 'key = value', '[section]' or a comment (U+001B is a "
				 "control character)");
	assert_int_equal(scenario_parse(text, strlen(text), "caf\xE9.ini", &sc, err, sizeof err), -1);
	assert_string_equal(err, "caf\\xE9.ini:2: expected 'key = value', '[section]' or a comment");
	char path[300];
	snprintf(path, sizeof path, "%s/x\x9B" "2J.ini", tmpdir);
	char expected[400];
	snprintf(expected, sizeof expected, "%s/x\\x9B2J.ini: cannot open: No such file or directory", tmpdir);
	assert_int_equal(scenario_load(path, &sc, err, sizeof err), -1);
	assert_string_equal(err, expected);
	const char *sets[] = {"data.samples=1\xC2\xA0"};
	parse_err_sets(WS("", D_OK, M_OK, T_OK), sets, 1,
		       "--set:1: data.samples: '1<U+00A0>' is not an integer (U+00A0 is a no-break space)");
}

/* config_escape: never half a character or an escape, a note only after
 * the whole text, every kind of character. */
static void test_config_escape(void **state)
{
	(void)state;
	char out[128];
	config_escape(out, sizeof out, "tab\there \x7F \xC2\x9B \xE2\x80\x8B \xF3\xA0\x80\x81 \xFF \xCE\xBB");
	assert_string_equal(out, "tab<U+0009>here <U+007F> <U+009B> <U+200B> <U+E0001> \\xFF \xCE\xBB (U+0009 is a tab)");
	config_escape(out, 12, "ab\xC2\xA0" "cdef");
	assert_string_equal(out, "ab<U+00A0>c");
	config_escape(out, 6, "ab\xC2\xA0" "cdef");
	assert_string_equal(out, "ab");
	config_escape(out, 4, "\xCE\xBB\xCE\xBB");
	assert_string_equal(out, "\xCE\xBB");
	config_escape(out, sizeof out, "\xE2\x82"); /* a sequence cut short */
	assert_string_equal(out, "\\xE2\\x82");
	config_escape(out, sizeof out, "\xED\xA0\x80 \xC0\xAF"); /* surrogate, overlong */
	assert_string_equal(out, "\\xED\\xA0\\x80 \\xC0\\xAF");
}

/* A knob step so small the count of values overflows says so. */
static void test_err_knob_step_too_small(void **state)
{
	(void)state;
	parse_err(WS("", D_OK, M_OK, T_OK "[knobs]\nr = train.lr: 0.001..0.1 step 1e-320\n"),
		  "t.ini:12: knobs.r: step 1e-320 is too small for 0.001..0.1: it would need more than 10^318 values, "
		  "at most 32");
	parse_err(WS("", D_OK, M_OK, T_OK "[knobs]\nr = train.lr: 0.001..0.1 x 1.000000000000001\n"),
		  "t.ini:12: knobs.r: factor 1.000000000000001 is too close to 1 for 0.001..0.1: it would need more "
		  "than 10^15 values, at most 32");
	parse_err(WS("", D_OK, M_OK, T_OK "[knobs]\nr = train.lr: 0.001..0.1 step 0.001\n"),
		  "t.ini:12: knobs.r: 100 values, at most 32");
}

/* Over the cap, the --set that raised the memory is blamed, not the key
 * the kind names. */
static void test_err_memory_blames_set(void **state)
{
	(void)state;
	const char *text = WS("", D_OK, M_OK, T_OK);
	/* Not --set:1, which lowered it: the one that raised it most. */
	const char *three[] = {"model.widths=4", "data.samples=100000", "data.dim=10000"};
	parse_err_sets(text, three, 3, "t.ini: --set:2: data.samples: needs 15.8 GiB, over the 512 MiB cap");
	const char *one[] = {"data.samples=100000"};
	parse_err_sets(WS("", "samples = 10\ndim = 10000\n", M_OK, T_OK), one, 1,
		       "t.ini: --set:1: data.samples: needs 15.8 GiB, over the 512 MiB cap");
	const char *dim[] = {"model.widths=4", "data.dim=1000"};
	parse_err_sets(WS("", "samples = 100000\ndim = 10\n", "widths = 8\n", T_OK), dim, 2,
		       "t.ini: --set:2: data.dim: needs 1.6 GiB, over the 512 MiB cap");
	/* The file alone is over the cap: its own line is blamed, also when a
	 * --set changed the key the kind names. */
	const char *lower[] = {"data.dim=5000"};
	parse_err_sets(WS("", "samples = 100000\ndim = 10000\n", M_OK, T_OK), lower, 1,
		       "t.ini:8: model.widths: needs 7.9 GiB, over the 512 MiB cap");
	const char *down[] = {"model.widths=4"};
	parse_err_sets(WS("", "samples = 100000\ndim = 1000\n", "widths = 8\n", T_OK), down, 1,
		       "t.ini:8: model.widths: needs 1.6 GiB, over the 512 MiB cap");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_shipped_optimization_ease),
		cmocka_unit_test(test_shipped_mode_connectivity),
		cmocka_unit_test(test_shipped_benign_overfitting),
		cmocka_unit_test(test_shipped_harmful_overfitting),
		cmocka_unit_test(test_shipped_notes_are_short),
		cmocka_unit_test(test_defaults_width_sweep),
		cmocka_unit_test(test_defaults_by_kind),
		cmocka_unit_test(test_bounds_accepted),
		cmocka_unit_test(test_comments_and_whitespace),
		cmocka_unit_test(test_continuation_lines),
		cmocka_unit_test(test_err_unknown_section),
		cmocka_unit_test(test_err_unknown_key),
		cmocka_unit_test(test_err_duplicates),
		cmocka_unit_test(test_err_missing_required),
		cmocka_unit_test(test_err_malformed_numbers),
		cmocka_unit_test(test_err_negative_or_zero),
		cmocka_unit_test(test_err_not_finite),
		cmocka_unit_test(test_err_above_maximum),
		cmocka_unit_test(test_err_widths_list_of_100),
		cmocka_unit_test(test_err_enum_values),
		cmocka_unit_test(test_err_memory_cap),
		cmocka_unit_test(test_err_cross_field),
		cmocka_unit_test(test_err_no_effect),
		cmocka_unit_test(test_err_malformed_lines),
		cmocka_unit_test(test_err_text_too_long),
		cmocka_unit_test(test_err_first_error_wins),
		cmocka_unit_test(test_err_buffer_small),
		cmocka_unit_test(test_parse_binary_in_memory),
		cmocka_unit_test(test_load_missing_and_directory),
		cmocka_unit_test(test_load_empty),
		cmocka_unit_test(test_load_binary),
		cmocka_unit_test(test_load_long_lines),
		cmocka_unit_test(test_load_without_final_newline),
		cmocka_unit_test(test_memory_covers_allocations),
		cmocka_unit_test(test_memory_grows_with_size),
		cmocka_unit_test(test_kind_names),
		cmocka_unit_test(test_shipped_mode_paths),
		cmocka_unit_test(test_mode_paths_keys),
		cmocka_unit_test(test_err_mode_paths),
		cmocka_unit_test(test_double_descent_keys),
		cmocka_unit_test(test_covariance_both),
		cmocka_unit_test(test_shipped_benign_vs_harmful_and_double_descent),
		cmocka_unit_test(test_memory_double_descent_and_pair),
		cmocka_unit_test(test_lazy_and_lottery_keys),
		cmocka_unit_test(test_shipped_lazy_and_lottery),
		cmocka_unit_test(test_load_not_regular),
		cmocka_unit_test(test_load_size_cap),
		cmocka_unit_test(test_err_value_true_count),
		cmocka_unit_test(test_err_invisible_chars),
		cmocka_unit_test(test_err_c1_controls),
		cmocka_unit_test(test_err_escaped_names),
		cmocka_unit_test(test_config_escape),
		cmocka_unit_test(test_err_knob_step_too_small),
		cmocka_unit_test(test_err_memory_blames_set),
	};
	return cmocka_run_group_tests(tests, setup_dir, teardown_dir);
}
