/* main.c: command line. Loads and validates every scenario first (a bad
 * file exits 2 before the terminal is touched), then runs them headless or
 * hands them to the live UI. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <glob.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <curses.h>
#include <term.h>

#include "cli/headless.h"
#include "cli/study.h"
#include "overparam/config.h"
#include "overparam/csv.h"
#include "overparam/scenario.h"
#include "overparam/ui.h"
#include "overparam/workers.h"

#ifndef OVERPARAM_VERSION
#define OVERPARAM_VERSION "0.1.0"
#endif
#ifndef OVERPARAM_DATADIR
#define OVERPARAM_DATADIR "/usr/local/share/overparam"
#endif

#define MAX_SCENARIOS 64
#define MAX_SETS 64
#define SEED_MAX ((1ull << 53) - 1)

static void usage(FILE *f)
{
	fprintf(f,
		"usage: overparam [options] [SCENARIO.ini ...]\n"
		"\n"
		"Live terminal demos of overparameterized learning. With no scenario files,\n"
		"runs those in ./scenarios (or " OVERPARAM_DATADIR "/scenarios).\n"
		"\n"
		"  --headless          run each scenario to the end with no terminal; print its table\n"
		"  --csv FILE          with --headless: write every metric record to FILE (- for stdout)\n"
		"  --seed N            seed for every scenario (0 .. 2^53-1) instead of the file's\n"
		"  --set SEC.KEY=VAL   override a key of every scenario file, e.g. --set train.lr=0.05\n"
		"                      (repeatable; checked as if the file said it)\n"
		"  --study N           run each scenario at seeds 1..N on all cores; print how often\n"
		"                      each of its claims holds (markdown) and write the table as CSV\n"
		"  --study-csv FILE    where --study writes its CSV (default: " STUDY_CSV_DEFAULT ")\n"
		"  --list              list the scenarios and their titles, then exit\n"
		"  --pace N|max        epochs per second on screen for every scenario\n"
		"  --paused            start paused (Space runs, . steps)\n"
		"  --fps N             redraw at most N times a second (1..60, default 20)\n"
		"  --ascii             ASCII charts even where braille would work\n"
		"  --no-color          monochrome (also when NO_COLOR is set)\n"
		"  --export-dir DIR    where the e key writes CSV files (default: the current directory)\n"
		"  -h, --help          this text\n"
		"  -V, --version       the version\n"
		"\n");
	ui_print_keys(f);
}

/* One line on stderr. It may quote an argument, a path or TERM, which can
 * hold escape sequences (--seed $'\e[2J' would clear the screen) or
 * characters that show as nothing: config_escape writes those out. */
static void complain(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void complain(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	size_t cap = (size_t)n * 8 + 96; /* a byte becomes at most "<U+001B>", and a note */
	char *raw = malloc((size_t)n + 1), *out = malloc(cap);
	if (raw && out) {
		va_start(ap, fmt);
		vsnprintf(raw, (size_t)n + 1, fmt, ap);
		va_end(ap);
		config_escape(out, cap, raw);
		fprintf(stderr, "%s\n", out);
	} else {
		fputs("overparam: out of memory\n", stderr);
	}
	free(raw);
	free(out);
}

/* Started with no standard output (`>&-`): /dev/null stands in for it
 * (check_std_fds), and whatever is written there counts as lost. */
static bool stdout_closed;

/* Standard output written so far reached its file: flushed and closed
 * with no error. Returns rc, or 1 after saying what failed (unless rc is
 * already 1: an error said once is enough). */
static int finish_stdout(int rc)
{
	errno = stdout_closed ? EBADF : 0;
	bool bad = stdout_closed || fflush(stdout) != 0 || ferror(stdout);
	int e = errno;
	if (fclose(stdout) != 0 && !bad) {
		bad = true;
		e = errno;
	}
	if (!bad || rc == 1)
		return rc;
	fprintf(stderr, "overparam: error writing standard output: %s\n", strerror(e ? e : EIO));
	return 1;
}

/* Strict unsigned parse: digits only, no sign, no trailing text. */
static int parse_u64(const char *s, uint64_t max, uint64_t *out)
{
	if (!*s)
		return -1;
	for (const char *c = s; *c; c++)
		if (*c < '0' || *c > '9')
			return -1;
	errno = 0;
	char *end;
	unsigned long long v = strtoull(s, &end, 10);
	if (errno || *end || v > max)
		return -1;
	*out = v;
	return 0;
}

/* Digits with an optional fraction and exponent, as in scenario files,
 * and no sign: a pace or a rate is never negative, and "+5" is a typo. */
static bool is_plain_decimal(const char *s)
{
	return *s != '+' && *s != '-' && config_is_decimal(s);
}

static int parse_pace(const char *s, double *out)
{
	if (strcmp(s, "max") == 0) {
		*out = 0;
		return 0;
	}
	if (!is_plain_decimal(s))
		return -1;
	char *end;
	errno = 0;
	double v = strtod(s, &end);
	if (errno || end == s || *end || !(v >= 0.1 && v <= 100000))
		return -1;
	*out = v;
	return 0;
}

/* An unknown option that is likely a file name ("-dash.ini"): it ends in
 * .ini, or names a path that exists. */
static bool dash_file(const char *arg)
{
	struct stat st;
	size_t n = strlen(arg);
	return (n > 4 && strcmp(arg + n - 4, ".ini") == 0) || stat(arg, &st) == 0;
}

#define DASH_HINT "(use -- before file names that begin with -)"

/* The argument an unknown short option came from: getopt has moved optind
 * past it only when the option was its last letter. */
static const char *short_arg(char *const *argv, int argc)
{
	if (optind < argc && argv[optind][0] == '-') {
		const char *at = strchr(argv[optind] + 1, optopt);
		if (at && at[1])
			return argv[optind];
	}
	return argv[optind - 1];
}

/* getopt_long's ':' (missing argument) and '?' (anything else) as one clear
 * line. optopt is 0 for an unknown or ambiguous long option, a long
 * option's value when it was misused, else the unknown short option's
 * letter: -h and -V take no argument, so they never fail in short form. A
 * file name that begins with '-' gets a hint about "--". */
static void bad_option(const struct option *opts, char *const *argv, int argc, int c)
{
	const struct option *hit = NULL;
	for (const struct option *o = opts; o->name; o++)
		if (optopt != 0 && o->val == optopt)
			hit = o;
	if (c == ':' && hit) {
		complain("overparam: option '--%s' needs an argument (see --help)", hit->name);
	} else if (hit) {
		complain("overparam: option '--%s' takes no argument (see --help)", hit->name);
	} else if (optopt != 0) {
		const char *arg = short_arg(argv, argc);
		if (dash_file(arg))
			complain("overparam: unknown option '-%c' in '%s' " DASH_HINT, optopt, arg);
		else
			complain("overparam: unknown option '-%c' (see --help)", optopt);
	} else {
		const char *arg = argv[optind - 1];
		size_t n = strcspn(arg + 2, "=");
		char names[256] = "";
		size_t used = 0;
		int matches = 0;
		for (const struct option *o = opts; o->name; o++)
			if (strncmp(o->name, arg + 2, n) == 0 && used < sizeof names) {
				used += (size_t)snprintf(names + used, sizeof names - used, "%s--%s", matches ? ", " : "",
							 o->name);
				matches++;
			}
		if (matches > 1 && n > 0)
			complain("overparam: option '%.*s' is ambiguous: %s", (int)n + 2, arg, names);
		else
			complain("overparam: unknown option '%s' %s", arg, dash_file(arg) ? DASH_HINT : "(see --help)");
	}
}

/* Default scenario files: ./scenarios/ *.ini, else the installed ones. */
static int default_scenarios(glob_t *g)
{
	if (glob("scenarios/*.ini", 0, NULL, g) == 0)
		return 0;
	globfree(g);
	if (glob(OVERPARAM_DATADIR "/scenarios/*.ini", 0, NULL, g) == 0)
		return 0;
	globfree(g);
	return -1;
}

struct cli {
	bool headless, list, have_seed;
	const char *csv_path;
	uint64_t seed;
	int study;              /* --study N: seeds, 0 none */
	const char *study_csv;
	struct ui_options uo;
	const char *sets[MAX_SETS]; /* (n_sets) --set overrides, as given */
	int n_sets;
};

enum { OPT_HEADLESS = 256, OPT_CSV, OPT_SEED, OPT_LIST, OPT_PACE, OPT_PAUSED, OPT_FPS, OPT_ASCII, OPT_NOCOLOR,
       OPT_EXPORT_DIR, OPT_SET, OPT_STUDY, OPT_STUDY_CSV };

static const struct option longopts[] = {
	{"headless", no_argument, NULL, OPT_HEADLESS},
	{"csv", required_argument, NULL, OPT_CSV},
	{"seed", required_argument, NULL, OPT_SEED},
	{"list", no_argument, NULL, OPT_LIST},
	{"pace", required_argument, NULL, OPT_PACE},
	{"paused", no_argument, NULL, OPT_PAUSED},
	{"fps", required_argument, NULL, OPT_FPS},
	{"ascii", no_argument, NULL, OPT_ASCII},
	{"no-color", no_argument, NULL, OPT_NOCOLOR},
	{"export-dir", required_argument, NULL, OPT_EXPORT_DIR},
	{"set", required_argument, NULL, OPT_SET},
	{"study", required_argument, NULL, OPT_STUDY},
	{"study-csv", required_argument, NULL, OPT_STUDY_CSV},
	{"help", no_argument, NULL, 'h'},
	{"version", no_argument, NULL, 'V'},
	{0, 0, 0, 0},
};

/* One option with its argument (optarg) into o. Returns -1 to go on, else
 * the exit status. */
static int take_option(int c, char **argv, int argc, struct cli *o)
{
	uint64_t v;
	switch (c) {
	case OPT_HEADLESS: o->headless = true; break;
	case OPT_CSV: o->csv_path = optarg; break;
	case OPT_SEED:
		if (parse_u64(optarg, SEED_MAX, &o->seed) != 0) {
			complain("overparam: --seed: '%s' is not a whole number in 0..%llu", optarg,
				 (unsigned long long)SEED_MAX);
			return 2;
		}
		o->have_seed = true;
		break;
	case OPT_LIST: o->list = true; break;
	case OPT_STUDY:
		if (parse_u64(optarg, STUDY_MAX_SEEDS, &v) != 0 || v < 1) {
			complain("overparam: --study: '%s' is not a whole number in 1..%d", optarg, STUDY_MAX_SEEDS);
			return 2;
		}
		o->study = (int)v;
		break;
	case OPT_STUDY_CSV: o->study_csv = optarg; break;
	case OPT_PACE:
		if (parse_pace(optarg, &o->uo.pace_override) != 0) {
			complain("overparam: --pace: '%s' is not 'max' or a number in 0.1..100000", optarg);
			return 2;
		}
		break;
	case OPT_PAUSED: o->uo.start_paused = true; break;
	case OPT_FPS:
		if (parse_u64(optarg, 60, &v) != 0 || v < 1) {
			complain("overparam: --fps: '%s' is not a whole number in 1..60", optarg);
			return 2;
		}
		o->uo.fps = (int)v;
		break;
	case OPT_ASCII: o->uo.ascii = true; break;
	case OPT_NOCOLOR: o->uo.no_color = true; break;
	case OPT_EXPORT_DIR: o->uo.export_dir = optarg; break;
	case OPT_SET:
		if (o->n_sets == MAX_SETS) {
			fprintf(stderr, "overparam: --set: at most %d overrides\n", MAX_SETS);
			return 2;
		}
		o->sets[o->n_sets++] = optarg;
		break;
	case 'h': usage(stdout); return finish_stdout(0);
	case 'V': printf("overparam %s\n", OVERPARAM_VERSION); return finish_stdout(0);
	default:
		bad_option(longopts, argv, argc, c);
		return 2;
	}
	return -1;
}

/* The options that only make sense together, and --export-dir's
 * directory, checked now so a typo is not found only when e is pressed.
 * Returns -1 to go on, else the exit status. */
static int check_options(const struct cli *o)
{
	if (o->csv_path && !o->headless) {
		fprintf(stderr, "overparam: --csv needs --headless (in the live UI, press e)\n");
		return 2;
	}
	if (o->study_csv && !o->study) {
		fprintf(stderr, "overparam: --study-csv needs --study N\n");
		return 2;
	}
	if (o->study && (o->headless || o->have_seed)) {
		fprintf(stderr, "overparam: --study runs headless at seeds 1..N itself: drop --%s\n",
			o->headless ? "headless" : "seed");
		return 2;
	}
	const char *dir = o->uo.export_dir;
	if (!dir)
		return -1;
	struct stat st;
	if (o->headless) {
		fprintf(stderr, "overparam: --export-dir is for the live UI (with --headless, use --csv FILE)\n");
		return 2;
	}
	if (stat(dir, &st) != 0) {
		complain("overparam: --export-dir: %s: %s", dir, strerror(errno));
		return 2;
	}
	if (!S_ISDIR(st.st_mode)) {
		complain("overparam: --export-dir: %s: not a directory", dir);
		return 2;
	}
	return -1;
}

/* Loads and checks every file given (or the default ones) into sc.
 * Returns how many, or -1 after saying why. */
static int load_scenarios(char **files, int n_files, const struct cli *o, struct scenario *sc /* (MAX_SCENARIOS) */)
{
	glob_t g = {0};
	if (n_files == 0) {
		if (default_scenarios(&g) != 0) {
			fprintf(stderr, "overparam: no scenario files given and none in ./scenarios or %s/scenarios\n",
				OVERPARAM_DATADIR);
			return -1;
		}
		files = g.gl_pathv;
		n_files = (int)g.gl_pathc;
	}
	if (n_files > MAX_SCENARIOS) {
		fprintf(stderr, "overparam: %d scenario files given; at most %d\n", n_files, MAX_SCENARIOS);
		return -1;
	}
	for (int i = 0; i < n_files; i++) {
		char err[SCENARIO_ERR_LEN];
		if (scenario_load_sets(files[i], o->sets, o->n_sets, &sc[i], err, sizeof err) != 0) {
			fprintf(stderr, "%s\n", err);
			globfree(&g);
			return -1;
		}
		if (o->have_seed)
			sc[i].seed = o->seed;
	}
	globfree(&g);
	return n_files;
}

/* --csv must not land on an input: a name ending in .ini (the shell
 * expanded `--csv scenarios/ *.ini`) or any file given to read. Returns -1
 * to go on, else the exit status. */
static int check_csv_target(const char *csv, char **files, int n_files, const struct scenario *sc /* (n) */, int n)
{
	if (!csv)
		return -1;
	const char *inputs[MAX_SCENARIOS];
	for (int i = 0; i < n; i++)
		inputs[i] = n_files > 0 ? files[i] : sc[i].path;
	static char msg[2 * PATH_MAX + 128];
	if (!csv_refuses(csv, inputs, n, msg, sizeof msg))
		return -1;
	fprintf(stderr, "overparam: --csv: %s\n", msg);
	return 2;
}

/* A report that could not be written stops the run: exit 1. */
static int flush_report(FILE *out)
{
	errno = 0;
	if (fflush(out) == 0 && !ferror(out))
		return 0;
	int e = errno ? errno : EIO;
	fprintf(stderr, "overparam: error writing %s: %s\n", out == stdout ? "standard output" : "standard error",
		strerror(e));
	return 1;
}

/* Runs every scenario; with `--csv -` the reports go to stderr and stdout
 * is the CSV alone. The CSV is put in place whole (also after an
 * interrupt, with the epochs done) or, on any error, not at all. */
static int run_headless(const struct scenario *sc /* (n) */, int n, const char *csv_path)
{
	static struct csv_out csv; /* 64 KiB of buffer */
	struct csv_out *w = NULL;
	if (csv_path) {
		w = &csv;
		if (csv_open_path(w, csv_path) != 0) {
			fprintf(stderr, "overparam: --csv: cannot write %s: %s\n", csv_path, csv_reason(w));
			return 2;
		}
	}
	headless_signals(w);
	FILE *out = w && w->fd == STDOUT_FILENO ? stderr : stdout;
	int rc = 0;
	for (int i = 0; i < n && rc == 0; i++) {
		rc = headless_run(&sc[i], sc[i].seed, out, w);
		if ((rc == 0 || rc == HEADLESS_INTERRUPTED) && flush_report(out) != 0)
			rc = 1;
	}
	if (w && (rc == 0 || rc == HEADLESS_INTERRUPTED)) {
		if (csv_close(w) != 0)
			rc = headless_csv_error(w);
	} else if (w) {
		csv_abort(w);
	}
	return rc;
}

/* The live UI needs a terminal that can address the cursor. Returns 0, or
 * 2 after saying what is wrong. */
static int check_terminal(void)
{
	if (!isatty(STDOUT_FILENO) || !isatty(STDIN_FILENO)) {
		fprintf(stderr, "overparam: not a terminal; use --headless to run without one\n");
		return 2;
	}
	const char *term = getenv("TERM");
	if (!term || !*term || strcmp(term, "dumb") == 0) {
		complain("overparam: TERM=%s cannot draw the live charts; set TERM (e.g. xterm-256color) "
			 "or use --headless",
			 term && *term ? term : "(unset)");
		return 2;
	}
	/* initscr() would print its own message and exit(1) on a terminal
	 * type it has no description of; say so ourselves, before touching
	 * the terminal, and refuse types that cannot address the cursor. */
	int term_err = 0;
	bool addressable = false;
	if (setupterm(term, STDOUT_FILENO, &term_err) == OK) {
		addressable = tigetstr("cup") != NULL; /* cup is a string capability: never (char *)-1 */
		del_curterm(cur_term);
	} else if (term_err != 1) { /* 1: a printing terminal, below */
		complain("overparam: TERM=%s: %s; set TERM (e.g. xterm-256color) or use --headless", term,
			 term_err == 0 ? "unknown terminal type (no terminfo entry)" : "cannot read the terminfo database");
		return 2;
	}
	if (!addressable) {
		complain("overparam: TERM=%s cannot move the cursor, so it cannot draw the live charts; set TERM "
			 "(e.g. xterm-256color) or use --headless",
			 term);
		return 2;
	}
	return 0;
}

/* A closed descriptor 0, 1 or 2 (`>&-`) would go to the next file opened
 * (the CSV), and stderr's messages or stdout's tables into it: /dev/null
 * takes its place. A closed stdout is remembered: what needed it fails. */
static void check_std_fds(void)
{
	stdout_closed = fcntl(STDOUT_FILENO, F_GETFD) < 0;
	for (int fd = 0; fd <= 2; fd++)
		if (fcntl(fd, F_GETFD) < 0)
			open("/dev/null", fd == 0 ? O_RDONLY : O_WRONLY); /* the lowest free: fd itself */
}

int main(int argc, char **argv)
{
	static struct cli o = {.uo = {.fps = 20, .pace_override = -1}};
	int c;
	check_std_fds();
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":hV", longopts, NULL)) != -1) {
		int rc = take_option(c, argv, argc, &o);
		if (rc >= 0)
			return rc;
	}
	int rc = check_options(&o);
	if (rc >= 0)
		return rc;

	static struct scenario scenarios[MAX_SCENARIOS];
	int n = load_scenarios(argv + optind, argc - optind, &o, scenarios);
	if (n < 0)
		return 2;
	rc = check_csv_target(o.csv_path, argv + optind, argc - optind, scenarios, n);
	if (rc >= 0)
		return rc;
	workers_startup(); /* OpenBLAS on one thread; the team size, once */

	if (stdout_closed && (o.list || o.headless || o.study))
		return finish_stdout(0); /* says so before a run whose tables would be lost */
	if (o.list) {
		for (int i = 0; i < n; i++)
			printf("%d  %-28s %s\n", i + 1, scenarios[i].title, scenarios[i].path);
		return finish_stdout(0);
	}
	if (o.headless)
		return finish_stdout(run_headless(scenarios, n, o.csv_path));
	if (o.study)
		return finish_stdout(study_run(scenarios, n, o.study, o.study_csv ? o.study_csv : STUDY_CSV_DEFAULT, stdout));
	rc = check_terminal();
	if (rc != 0)
		return rc;
	const char *no_color = getenv("NO_COLOR");
	if (no_color && *no_color)
		o.uo.no_color = true;
	return ui_run(scenarios, n, 0, &o.uo);
}
