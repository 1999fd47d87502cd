/* fuzz_scenario.c: the scenario parser and validator under libFuzzer, and
 * everything a scenario file's text reaches before training starts: the
 * run description, the notes' word wrap, the screen layout, and every value
 * of every knob. Input lines that start the input with "--set " are the
 * command line's overrides (section.key=value), the rest is the file.
 *
 * Built two ways:
 *   make fuzz                 clang -fsanitize=fuzzer,address,undefined
 *                             -DFUZZ_LIBFUZZER; libFuzzer supplies main().
 *   build/asan/tests/fuzz_scenario FILE|DIR ...
 *                             the generic tests rule (gcc, ASan+UBSan): our
 *                             main() replays every file through the same
 *                             checks; make test runs it on tests/fuzz-corpus
 *                             and tests/fuzz-regress.
 *
 * Besides "no crash, no sanitizer report", each input must keep the
 * parser's promises: exactly one well-formed message on failure, in-range
 * values and a memory estimate under the cap on success, the same answer
 * twice, and layouts that stay on the screen. A broken promise aborts. */
#include <dirent.h>
#include <locale.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "overparam/experiment.h"
#include "overparam/scenario.h"
#include "ui/widgets.h"

#define FUZZ_NAME "fuzz.ini"
#define FUZZ_MAX_SETS 4
#define SET_PREFIX "--set "

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void broken(const char *what, const char *detail)
{
	fprintf(stderr, "fuzz_scenario: broken promise: %s%s%s\n", what, detail ? ": " : "", detail ? detail : "");
	abort();
}

static void expect(int cond, const char *what, const char *detail)
{
	if (!cond)
		broken(what, detail);
}

/* A C string that fits its array: a missing terminator is a bug. */
static void expect_string(const char *s, size_t cap, const char *what)
{
	expect(memchr(s, '\0', cap) != NULL, what, "not terminated");
}

/* One line, naming the file, or the --set that is wrong by itself. */
static void check_error(const char *err /* (SCENARIO_ERR_LEN) */)
{
	expect_string(err, SCENARIO_ERR_LEN, "error message");
	size_t n = strlen(err);
	expect(n > strlen(FUZZ_NAME ": "), "error message", "empty");
	expect(strncmp(err, FUZZ_NAME ":", strlen(FUZZ_NAME ":")) == 0 || strncmp(err, "--set:", 6) == 0,
	       "error message names neither the file nor a --set", err);
	expect(strchr(err, '\n') == NULL, "error message is more than one line", err);
}

static void check_ranges(const struct scenario *sc)
{
	expect((unsigned)sc->kind < KIND_COUNT, "kind", NULL);
	expect_string(sc->title, sizeof sc->title, "title");
	expect_string(sc->summary, sizeof sc->summary, "summary");
	expect_string(sc->notes, sizeof sc->notes, "notes");
	expect(sc->title[0] != '\0', "title", "empty");
	expect(sc->seed <= (UINT64_C(1) << 53) - 1, "seed", NULL);
	expect(sc->pace == 0 || (sc->pace >= 0.1 && sc->pace <= 100000), "pace", NULL);
	expect(sc->data.samples >= 1 && sc->data.samples <= 100000, "samples", NULL);
	expect(sc->data.test_samples >= 0 && sc->data.test_samples <= 100000, "test_samples", NULL);
	expect(sc->data.dim >= 1 && sc->data.dim <= 10000, "dim", NULL);
	expect(isfinite(sc->data.noise) && sc->data.noise >= 0 && sc->data.noise <= 100, "noise", NULL);
	/* double_descent steps through its grid, not epochs */
	expect(sc->train.epochs >= (sc->kind == KIND_DOUBLE_DESCENT ? 0 : 1) && sc->train.epochs <= SCENARIO_MAX_EPOCHS,
	       "epochs", NULL);
	expect(sc->train.eval_every >= 1, "eval_every", NULL);
	expect(sc->train.alpha_points >= 2 && sc->train.alpha_points <= SCENARIO_MAX_ALPHA, "alpha_points", NULL);
	expect(isfinite(sc->train.lr) && sc->train.lr >= 0 && sc->train.lr <= 100, "lr", NULL);
	expect(sc->data.lambda_tail > 0 && sc->data.lambda_tail <= 1, "lambda_tail", NULL);
	if (sc->kind == KIND_BENIGN_OVERFITTING)
		expect(sc->data.signal_dim >= 1 && sc->data.signal_dim <= sc->data.dim, "signal_dim", NULL);
	expect(sc->model.depth >= 1 && sc->model.depth <= 8, "depth", NULL);
	expect(sc->model.n_widths >= 0 && sc->model.n_widths <= SCENARIO_MAX_WIDTHS, "n_widths", NULL);
	if (sc->kind == KIND_WIDTH_SWEEP || sc->kind == KIND_MODE_CONNECTIVITY)
		expect(sc->model.n_widths >= 1, "n_widths", "a network kind without a width");
	if (sc->kind == KIND_MODE_CONNECTIVITY)
		expect(sc->model.n_widths == 1, "n_widths", "mode connectivity takes one");
	for (int i = 0; i < sc->model.n_widths; i++)
		expect(sc->model.widths[i] >= 1 && sc->model.widths[i] <= 4096, "width", NULL);
	expect(scenario_memory(sc) <= SCENARIO_MEMORY_CAP, "memory over the cap accepted", NULL);
}

static void check_rect(struct rect r, int w, int h)
{
	if (r.w == 0)
		return;
	expect(r.w > 0 && r.h > 0 && r.x >= 0 && r.y >= 0 && r.x + r.w <= w && r.y + r.h <= h, "layout",
	       "a panel leaves the screen");
}

/* What the UI derives from the scenario before the trainer starts. */
static void check_views(const struct scenario *sc)
{
	struct run_desc d;
	experiment_describe(sc, &d);
	/* The x axis: positive (an overflow would not be). */
	expect(d.planned_epochs >= 1, "run_desc", "planned epochs");
	expect(d.n_series >= 1 && d.n_series <= RUN_MAX_SERIES, "run_desc", "series count");
	expect(d.n_views >= 1 && d.n_views <= RUN_MAX_VIEWS, "run_desc", "view count");
	expect(d.n_grid >= 0 && d.n_grid <= RUN_MAX_GRID, "run_desc", "grid points");
	for (int s = 0; s < d.n_series; s++)
		expect_string(d.series_label[s], sizeof d.series_label[s], "series label");

	static const int sizes[][2] = {{50, 10}, {80, 24}, {133, 41}, {400, 100}};
	for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
		int w = sizes[i][0], h = sizes[i][1];
		for (int notes = 0; notes < 2; notes++) {
			struct layout l;
			if (layout_compute(&d, sc->notes, w, h, notes, &l) != 0)
				continue;
			for (int v = 0; v < RUN_MAX_VIEWS; v++)
				check_rect(l.view[v], w, h);
		}
	}
	/* The notes wrapped to every width the panel can have: each line is a
	 * byte span of the text. */
	size_t len = strlen(sc->notes);
	struct text_line lines[64];
	for (int width = 1; width <= 120; width += 17) {
		int n = text_wrap(sc->notes, width, lines, 64);
		expect(n >= 0, "text_wrap", "negative line count");
		for (int i = 0; i < n && i < 64; i++)
			expect(lines[i].start >= 0 && lines[i].len >= 0 && (size_t)lines[i].start + (size_t)lines[i].len <= len,
			       "text_wrap", "a line outside the text");
	}
	expect(text_width(sc->title) >= 0 && text_width(sc->summary) >= 0 && text_width(sc->notes) >= 0, "text_width",
	       NULL);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	/* The UI measures text under the user's UTF-8 locale. */
	if (!setlocale(LC_ALL, "C.UTF-8"))
		setlocale(LC_ALL, "");
	return 0;
}

/* Every value of every knob, and one that is not a value: each either
 * gives a valid scenario with that value current, or is refused in one
 * line and changes nothing. */
static void check_knobs(const struct scenario *sc)
{
	static struct scenario t;
	char err[SCENARIO_ERR_LEN], text[64];
	expect(sc->n_knobs >= 0 && sc->n_knobs <= SCENARIO_MAX_KNOBS, "knob count", NULL);
	for (int k = 0; k < sc->n_knobs; k++) {
		const struct knob *kb = &sc->knobs[k];
		expect_string(kb->name, sizeof kb->name, "knob name");
		expect(kb->n_values >= 1 && kb->n_values <= KNOB_MAX_VALUES + 1, "knob values", kb->name);
		expect(kb->current >= 0 && kb->current < kb->n_values, "knob current", kb->name);
		for (int v = 0; v <= kb->n_values; v++) {
			double value = v < kb->n_values ? kb->values[v] : kb->values[kb->n_values - 1] * 2 + 1;
			scenario_knob_format(value, text, sizeof text);
			expect_string(text, sizeof text, "knob value text");
			expect(text[0] != '\0', "knob value text", "empty");
			t = *sc;
			int rc = scenario_apply_knob(&t, k, value, err, sizeof err);
			expect(rc == 0 || rc == -1, "apply_knob return value", NULL);
			if (rc != 0) {
				expect_string(err, sizeof err, "knob message");
				expect(err[0] != '\0' && strchr(err, '\n') == NULL, "knob message", err);
				expect(memcmp(&t, sc, sizeof t) == 0, "a refused knob value changed the scenario", err);
				continue;
			}
			expect(v < kb->n_values, "a value not in the knob's list was taken", kb->name);
			expect(t.knobs[k].current == v, "knob current after apply", kb->name);
			check_ranges(&t);
			check_views(&t);
		}
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct scenario a, b;
	char ea[SCENARIO_ERR_LEN], eb[SCENARIO_ERR_LEN];
	/* Leading "--set " lines: the overrides, NUL-terminated copies. */
	static char setbuf[FUZZ_MAX_SETS][256];
	const char *sets[FUZZ_MAX_SETS];
	int n_sets = 0;
	const char *text = (const char *)data;
	size_t len = size, pl = strlen(SET_PREFIX);
	while (n_sets < FUZZ_MAX_SETS && len > pl && memcmp(text, SET_PREFIX, pl) == 0) {
		const char *nl = memchr(text, '\n', len);
		size_t line = nl ? (size_t)(nl - text) : len;
		size_t n = line - pl < sizeof setbuf[0] - 1 ? line - pl : sizeof setbuf[0] - 1;
		memcpy(setbuf[n_sets], text + pl, n);
		setbuf[n_sets][n] = '\0';
		sets[n_sets] = setbuf[n_sets];
		n_sets++;
		text += nl ? line + 1 : line;
		len -= nl ? line + 1 : line;
	}
	int ra = scenario_parse_sets(text, len, FUZZ_NAME, sets, n_sets, &a, ea, sizeof ea);
	int rb = scenario_parse_sets(text, len, FUZZ_NAME, sets, n_sets, &b, eb, sizeof eb);
	expect(ra == 0 || ra == -1, "return value", NULL);
	expect(ra == rb, "same input, different answer", NULL);
	if (ra != 0) {
		check_error(ea);
		expect(strcmp(ea, eb) == 0, "same input, different message", ea);
		return 0;
	}
	expect(memcmp(&a, &b, sizeof a) == 0, "same input, different scenario", NULL);
	check_ranges(&a);
	check_views(&a);
	check_knobs(&a);
	return 0;
}

#ifndef FUZZ_LIBFUZZER
/* Replay: every regular file named, or found one level inside a named
 * directory, through the same checks (an abort ends the run). */
static int replay_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		perror(path);
		return -1;
	}
	size_t cap = 4096, n = 0;
	uint8_t *buf = malloc(cap);
	size_t got;
	while (buf && (got = fread(buf + n, 1, cap - n, f)) > 0) {
		n += got;
		if (n == cap) {
			uint8_t *nb = realloc(buf, cap * 2);
			if (!nb) {
				free(buf);
				buf = NULL;
				break;
			}
			buf = nb;
			cap *= 2;
		}
	}
	int bad = ferror(f) || !buf;
	fclose(f);
	if (bad) {
		fprintf(stderr, "%s: cannot read\n", path);
		free(buf);
		return -1;
	}
	LLVMFuzzerTestOneInput(buf, n);
	free(buf);
	return 0;
}

static int cmp_names(const void *x, const void *y)
{
	return strcmp(*(char *const *)x, *(char *const *)y);
}

static int replay_dir(const char *dir, int *count)
{
	DIR *d = opendir(dir);
	if (!d) {
		perror(dir);
		return -1;
	}
	char **names = NULL;
	size_t n = 0, cap = 0;
	int rc = 0;
	struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 64;
			char **nn = realloc(names, cap * sizeof *nn);
			if (!nn) {
				rc = -1;
				break;
			}
			names = nn;
		}
		names[n] = malloc(strlen(dir) + strlen(e->d_name) + 2);
		if (!names[n]) {
			rc = -1;
			break;
		}
		sprintf(names[n], "%s/%s", dir, e->d_name);
		n++;
	}
	closedir(d);
	if (n)
		qsort(names, n, sizeof *names, cmp_names);
	for (size_t i = 0; i < n; i++) {
		struct stat st;
		if (rc == 0 && stat(names[i], &st) == 0 && S_ISREG(st.st_mode)) {
			if (replay_file(names[i]) != 0)
				rc = -1;
			else
				(*count)++;
		}
		free(names[i]);
	}
	free(names);
	return rc;
}

int main(int argc, char **argv)
{
	LLVMFuzzerInitialize(&argc, &argv);
	if (argc < 2) {
		fprintf(stderr, "usage: %s FILE|DIR ...\n", argv[0]);
		return 2;
	}
	int count = 0, rc = 0;
	for (int i = 1; i < argc; i++) {
		struct stat st;
		if (stat(argv[i], &st) != 0) {
			perror(argv[i]);
			rc = 1;
		} else if (S_ISDIR(st.st_mode)) {
			if (replay_dir(argv[i], &count) != 0)
				rc = 1;
		} else if (replay_file(argv[i]) != 0) {
			rc = 1;
		} else {
			count++;
		}
	}
	printf("fuzz_scenario: %d inputs replayed, %s\n", count, rc ? "errors reading some" : "all kept the promises");
	return rc;
}
#endif
