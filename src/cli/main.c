/* main.c: command line. Loads and validates every scenario first (a bad
 * file exits 2 before the terminal is touched), then runs them headless or
 * hands them to the live UI. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <glob.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <curses.h>
#include <term.h>

#include "cli/args.h"
#include "cli/headless.h"
#include "cli/locate.h"
#include "cli/prefs.h"
#include "cli/study.h"
#include "overparam/config.h"
#include "overparam/csv.h"
#include "overparam/picture.h"
#include "overparam/replay.h"
#include "overparam/scenario.h"
#include "overparam/settings.h"
#include "overparam/share.h"
#include "overparam/store.h"
#include "overparam/ui.h"
#include "overparam/workers.h"

#ifndef OVERPARAM_VERSION
#define OVERPARAM_VERSION "0.1.0"
#endif
#ifndef OVERPARAM_COMMIT /* the Makefile passes git's (or .commit's) */
#define OVERPARAM_COMMIT "unknown"
#endif
#ifndef OVERPARAM_DATADIR
#define OVERPARAM_DATADIR "/usr/local/share/overparam"
#endif
#define FOLLOW_FPS 10  /* a follower's frames a second unless told: curves at 10 look smooth */

#define MAX_SCENARIOS 64
#define MAX_SETS 64
#define SEED_MAX ((1ull << 53) - 1)

static void usage(FILE *f)
{
	fprintf(f,
		"usage: overparam [options] [SCENARIO.ini ...]\n"
		"\n"
		"Live terminal demos of overparameterized learning. With no scenario files,\n"
		"runs the shipped ones: ./scenarios, else those next to the program or in\n"
		OVERPARAM_DATADIR "/scenarios (and the config file's [scenarios] dir).\n"
		"\n"
		"  --headless          run each scenario to the end with no terminal; print its table\n"
		"  --csv FILE          with --headless: write every metric record to FILE (- for stdout)\n"
		"  --plot FILE         with --headless: draw the panels and claims to FILE (.svg, .png\n"
		"                      or .pdf; with several scenarios, FILE gets -<scenario> added)\n"
		"  --seed N            seed for every scenario (0 .. 2^53-1) instead of the file's\n"
		"  --set SEC.KEY=VAL   override a key of every scenario file, e.g. --set train.lr=0.05\n"
		"                      (repeatable; checked as if the file said it)\n"
		"  --study N           run each scenario at seeds 1..N on all cores; print how often\n"
		"                      each of its claims holds (markdown) and write the table as CSV\n"
		"  --study-csv FILE    where --study writes its CSV (default: " STUDY_CSV_DEFAULT ")\n"
		"  --list              list the scenarios and their titles, then exit\n"
		"  --pace N|max        epochs per second on screen for every scenario\n"
		"  --paused            start paused (Space runs, . steps)\n"
		"  --fps N             redraw at most N times a second (1..60, default 20); while the\n"
		"                      terminal lags behind (a slow link) the rate halves, down to 1\n"
		"  --ascii             ASCII charts even where braille would work\n"
		"  --no-color          monochrome (also when NO_COLOR is set)\n"
		"  --theme NAME        dark (default), light, mono or high-contrast (bold, block lines)\n"
		"  --thick             block lines instead of braille, for a projector\n"
		"  --present           start in the presenter layout (p): headline chart and claims\n"
		"  --export-dir DIR    where the e key writes CSV files (default: the current directory)\n"
		"  --config FILE       settings and presets (default: $XDG_CONFIG_HOME/overparam/config.ini)\n"
		"  --preset NAME       set the knobs of the config file's [preset \"NAME\"] and start there\n"
		"  --store FILE        record every run in FILE (default: $XDG_DATA_HOME/overparam/runs.db)\n"
		"  --no-store          record nothing\n"
		"  --keep-runs N       the store keeps the newest N runs (default 200; 0: no limit)\n"
		"  --keep-mb M         and at most M MiB of them (default 512; 0: no limit)\n"
		"  --runs [--json]     list the stored runs, newest first, then exit\n"
		"  --replay [RUN]      play stored run RUN (default: the newest) in the live UI, no training\n"
		"  --compare RUN       draw stored run RUN faintly on the line charts of its scenario\n"
		"  --share [group|all] let others follow this live session (default: your user only)\n"
		"  --follow [USER]     follow USER's shared session (default: yours), read-only\n"
		"  --no-ftz            keep subnormal floats (exact IEEE; slower once Adam's moments decay;\n"
		"                      also OVERPARAM_NO_FTZ=1)\n"
		"  -h, --help          this text\n"
		"  -V, --version       the version and the git commit it was built from\n"
		"\n");
	ui_print_keys(f);
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

struct cli {
	bool headless, list, have_seed;
	const char *csv_path;
	const char *plot_path;
	uint64_t seed;
	int study;              /* --study N: seeds, 0 none */
	const char *study_csv;
	struct ui_options uo;
	const char *sets[MAX_SETS]; /* (n_sets) --set overrides, as given */
	int n_sets;
	const char *config_path, *preset; /* --config, --preset */
	const char *argv0;
	struct settings settings; /* the config file's; main merges what the UI takes */
	struct store_settings store; /* --store, --no-store */
	unsigned store_given;        /* STORE_GIVEN_* bits: what the command line set */
	bool runs, json;             /* --runs, --json */
	bool replay;                 /* --replay [RUN] */
	bool fps_given;              /* --fps */
	bool share, follow;          /* --share, --follow */
	enum share_who share_who;
	const char *follow_name;     /* NULL: one's own */
	long long replay_id;         /* 0: the newest */
};

enum { OPT_HEADLESS = 256, OPT_CSV, OPT_SEED, OPT_LIST, OPT_PACE, OPT_PAUSED, OPT_FPS, OPT_ASCII, OPT_NOCOLOR,
       OPT_EXPORT_DIR, OPT_SET, OPT_PLOT, OPT_CONFIG, OPT_PRESET, OPT_THEME, OPT_PRESENT, OPT_THICK, OPT_STORE,
       OPT_NO_STORE, OPT_RUNS, OPT_JSON, OPT_KEEP_RUNS, OPT_KEEP_MB, OPT_REPLAY, OPT_COMPARE, OPT_SHARE, OPT_FOLLOW,
       OPT_NO_FTZ, OPT_STUDY, OPT_STUDY_CSV };

static const struct option longopts[] = {
	{"headless", no_argument, NULL, OPT_HEADLESS},
	{"csv", required_argument, NULL, OPT_CSV},
	{"plot", required_argument, NULL, OPT_PLOT},
	{"seed", required_argument, NULL, OPT_SEED},
	{"list", no_argument, NULL, OPT_LIST},
	{"pace", required_argument, NULL, OPT_PACE},
	{"paused", no_argument, NULL, OPT_PAUSED},
	{"fps", required_argument, NULL, OPT_FPS},
	{"ascii", no_argument, NULL, OPT_ASCII},
	{"no-color", no_argument, NULL, OPT_NOCOLOR},
	{"theme", required_argument, NULL, OPT_THEME},
	{"present", no_argument, NULL, OPT_PRESENT},
	{"thick", no_argument, NULL, OPT_THICK},
	{"export-dir", required_argument, NULL, OPT_EXPORT_DIR},
	{"set", required_argument, NULL, OPT_SET},
	{"config", required_argument, NULL, OPT_CONFIG},
	{"preset", required_argument, NULL, OPT_PRESET},
	{"store", required_argument, NULL, OPT_STORE},
	{"no-store", no_argument, NULL, OPT_NO_STORE},
	{"runs", no_argument, NULL, OPT_RUNS},
	{"json", no_argument, NULL, OPT_JSON},
	{"keep-runs", required_argument, NULL, OPT_KEEP_RUNS},
	{"keep-mb", required_argument, NULL, OPT_KEEP_MB},
	{"replay", optional_argument, NULL, OPT_REPLAY},
	{"compare", required_argument, NULL, OPT_COMPARE},
	{"share", optional_argument, NULL, OPT_SHARE},
	{"follow", optional_argument, NULL, OPT_FOLLOW},
	{"no-ftz", no_argument, NULL, OPT_NO_FTZ},
	{"study", required_argument, NULL, OPT_STUDY},
	{"study-csv", required_argument, NULL, OPT_STUDY_CSV},
	{"help", no_argument, NULL, 'h'},
	{"version", no_argument, NULL, 'V'},
	{0, 0, 0, 0},
};

/* The run store's options and those that read it (--runs, --replay,
 * --compare, --share, --follow): as take_option. */
static int take_store_option(int c, char **argv, int argc, struct cli *o)
{
	uint64_t v;
	switch (c) {
	case OPT_STORE:
		if (!*optarg || strlen(optarg) >= sizeof o->store.path) {
			args_complain("overparam: --store: '%s' is not a usable file name", optarg);
			return 2;
		}
		snprintf(o->store.path, sizeof o->store.path, "%s", optarg);
		o->store.enabled = true;
		o->store_given |= STORE_GIVEN_PATH | STORE_GIVEN_ENABLED;
		break;
	case OPT_NO_STORE:
		o->store.enabled = false;
		o->store_given |= STORE_GIVEN_ENABLED;
		break;
	case OPT_RUNS: o->runs = true; break;
	case OPT_JSON: o->json = true; break;
	case OPT_SHARE:
		/* "--share group" as two words: the word is not a scenario file */
		if (!optarg && optind < argc && (!strcmp(argv[optind], "group") || !strcmp(argv[optind], "all")))
			optarg = argv[optind++];
		if (optarg && strcmp(optarg, "group") != 0 && strcmp(optarg, "all") != 0) {
			args_complain("overparam: --share: '%s' is not 'group' or 'all'", optarg);
			return 2;
		}
		o->share = true;
		o->share_who = !optarg ? SHARE_USER : !strcmp(optarg, "all") ? SHARE_ALL : SHARE_GROUP;
		break;
	case OPT_FOLLOW:
		o->follow = true;
		o->follow_name = optarg;
		break;
	case OPT_COMPARE:
		if (args_parse_u64(optarg, INT64_MAX, &v) != 0 || v == 0) {
			args_complain("overparam: --compare: '%s' is not a run id (see --runs)", optarg);
			return 2;
		}
		o->uo.compare_run = (long long)v;
		o->uo.compare_store = &o->store;
		break;
	case OPT_REPLAY:
		o->replay = true;
		if (optarg && args_parse_u64(optarg, INT64_MAX, &v) != 0) {
			args_complain("overparam: --replay: '%s' is not a run id (see --runs)", optarg);
			return 2;
		}
		o->replay_id = optarg ? (long long)v : 0;
		break;
	case OPT_KEEP_RUNS:
	case OPT_KEEP_MB:
		if (args_parse_u64(optarg, 1000000, &v) != 0) {
			args_complain("overparam: --%s: '%s' is not a whole number in 0..1000000", c == OPT_KEEP_MB ? "keep-mb" : "keep-runs",
				 optarg);
			return 2;
		}
		if (c == OPT_KEEP_MB)
			o->store.keep_mb = (double)v;
		else
			o->store.keep_runs = (int)v;
		o->store_given |= c == OPT_KEEP_MB ? STORE_GIVEN_KEEP_MB : STORE_GIVEN_KEEP_RUNS;
		break;
	default:
		args_bad_option(longopts, argv, argc, c);
		return 2;
	}
	return -1;
}

/* One option with its argument (optarg) into o. Returns -1 to go on, else
 * the exit status. */
static int take_option(int c, char **argv, int argc, struct cli *o)
{
	uint64_t v;
	switch (c) {
	case OPT_HEADLESS: o->headless = true; break;
	case OPT_CSV: o->csv_path = optarg; break;
	case OPT_PLOT: o->plot_path = optarg; break;
	case OPT_SEED:
		if (args_parse_u64(optarg, SEED_MAX, &o->seed) != 0) {
			args_complain("overparam: --seed: '%s' is not a whole number in 0..%llu", optarg,
				 (unsigned long long)SEED_MAX);
			return 2;
		}
		o->have_seed = true;
		break;
	case OPT_LIST: o->list = true; break;
	case OPT_STUDY:
		if (args_parse_u64(optarg, STUDY_MAX_SEEDS, &v) != 0 || v < 1) {
			args_complain("overparam: --study: '%s' is not a whole number in 1..%d", optarg, STUDY_MAX_SEEDS);
			return 2;
		}
		o->study = (int)v;
		break;
	case OPT_STUDY_CSV: o->study_csv = optarg; break;
	case OPT_PACE:
		if (args_parse_pace(optarg, &o->uo.pace_override) != 0) {
			args_complain("overparam: --pace: '%s' is not 'max' or a number in 0.1..100000", optarg);
			return 2;
		}
		break;
	case OPT_PAUSED: o->uo.start_paused = true; break;
	case OPT_FPS:
		if (args_parse_u64(optarg, 60, &v) != 0 || v < 1) {
			args_complain("overparam: --fps: '%s' is not a whole number in 1..60", optarg);
			return 2;
		}
		o->uo.fps = (int)v;
		o->fps_given = true;
		break;
	case OPT_ASCII: o->uo.ascii = true; break;
	case OPT_NOCOLOR: o->uo.no_color = true; break;
	case OPT_EXPORT_DIR: o->uo.export_dir = optarg; break;
	case OPT_THEME:
		if (!theme_parse_word(optarg, &o->uo.theme)) {
			args_complain("overparam: --theme: '%s' is not one of %s", optarg, theme_words());
			return 2;
		}
		o->uo.theme_given = true;
		break;
	case OPT_PRESENT: o->uo.present = true; break;
	case OPT_THICK: o->uo.thick = true; break;
	case OPT_NO_FTZ: workers_set_flush(false); break;
	case OPT_SET:
		if (o->n_sets == MAX_SETS) {
			fprintf(stderr, "overparam: --set: at most %d overrides\n", MAX_SETS);
			return 2;
		}
		o->sets[o->n_sets++] = optarg;
		break;
	case OPT_CONFIG: o->config_path = optarg; break;
	case OPT_PRESET: o->preset = optarg; break;
	case 'h': usage(stdout); return finish_stdout(0);
	case 'V': printf("overparam %s (commit %s)\n", OVERPARAM_VERSION, OVERPARAM_COMMIT); return finish_stdout(0);
	default: return take_store_option(c, argv, argc, o);
	}
	return -1;
}

/* --plot's folder must be there before a long run, not found missing at
 * its end. Says so and returns true when it is not a folder. */
static bool plot_folder_missing(const char *plot)
{
	const char *slash = strrchr(plot, '/');
	if (!slash)
		return false;
	char dir[PATH_MAX];
	snprintf(dir, sizeof dir, "%.*s", slash == plot ? 1 : (int)(slash - plot), plot);
	struct stat st;
	if (stat(dir, &st) != 0) {
		args_complain("overparam: --plot: %s: %s", dir, strerror(errno));
		return true;
	}
	if (!S_ISDIR(st.st_mode)) {
		args_complain("overparam: --plot: %s: not a directory", dir);
		return true;
	}
	return false;
}

/* The options that only make sense together, and --export-dir's
 * directory, checked now so a typo is not found only when e is pressed.
 * Returns -1 to go on, else the exit status. */
static int check_options(const struct cli *o)
{
	if (o->json && !o->runs) {
		fprintf(stderr, "overparam: --json goes with --runs\n");
		return 2;
	}
	if (o->csv_path && !o->headless) {
		fprintf(stderr, "overparam: --csv needs --headless (in the live UI, press e)\n");
		return 2;
	}
	enum picture_format pf;
	if (o->plot_path && !o->headless) {
		fprintf(stderr, "overparam: --plot needs --headless (in the live UI, press s)\n");
		return 2;
	}
	if (o->plot_path && !picture_format_of(o->plot_path, &pf)) {
		args_complain("overparam: --plot: %s: the name must end in .svg, .png or .pdf", o->plot_path);
		return 2;
	}
	if (o->plot_path && plot_folder_missing(o->plot_path))
		return 2;
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
		args_complain("overparam: --export-dir: %s: %s", dir, strerror(errno));
		return 2;
	}
	if (!S_ISDIR(st.st_mode)) {
		args_complain("overparam: --export-dir: %s: not a directory", dir);
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
		char msg[8192];
		if (locate_scenarios(o->argv0, OVERPARAM_DATADIR, &o->settings, &g, msg, sizeof msg) != 0) {
			args_complain("%s", msg);
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
		store_note_source(sc[i].path, o->sets, o->n_sets);
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
/* --plot's file for scenario sc of n: FILE itself for one; with several,
 * FILE with "-<scenario file name>" before its extension. */
static const char *plot_name(const char *plot, const struct scenario *sc, int n, char *buf /* (len) */, size_t len)
{
	if (!plot || n == 1)
		return plot;
	const char *base = strrchr(sc->path, '/') ? strrchr(sc->path, '/') + 1 : sc->path;
	const char *dot = strrchr(plot, '.');
	size_t stem = dot ? (size_t)(dot - plot) : strlen(plot);
	size_t blen = strlen(base) > 4 && !strcmp(base + strlen(base) - 4, ".ini") ? strlen(base) - 4 : strlen(base);
	snprintf(buf, len, "%.*s-%.*s%s", (int)stem, plot, (int)blen, base, dot ? dot : "");
	return buf;
}

static int run_headless(const struct scenario *sc /* (n) */, int n, const char *csv_path, const char *plot,
			bool plot_dark)
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
		char name[PATH_MAX];
		rc = headless_run(&sc[i], sc[i].seed, out, w, plot_name(plot, &sc[i], n, name, sizeof name), plot_dark);
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
		args_complain("overparam: TERM=%s cannot draw the live charts; set TERM (e.g. xterm-256color) "
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
		args_complain("overparam: TERM=%s: %s; set TERM (e.g. xterm-256color) or use --headless", term,
			 term_err == 0 ? "unknown terminal type (no terminfo entry)" : "cannot read the terminfo database");
		return 2;
	}
	if (!addressable) {
		args_complain("overparam: TERM=%s cannot move the cursor, so it cannot draw the live charts; set TERM "
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

/* The run store, when on: a store that cannot open is said once and the
 * runs go on unrecorded. */
static void open_store(const struct store_settings *s)
{
	struct store *st = NULL;
	static char err[STORE_ERR_LEN];
	if (!s->enabled)
		return;
	if (store_open(&st, s, err, sizeof err) != 0)
		args_complain("%s; not recording (--no-store turns the store off)", err);
	store_set_default(st);
}

/* Commits what is left; a recording that stopped is said on the way out. */
static int close_store(int rc)
{
	struct store *st = store_default();
	store_forget_sources();
	if (!st)
		return rc;
	static char err[STORE_ERR_LEN];
	snprintf(err, sizeof err, "%s", store_error(st));
	store_close(st);
	if (*err)
		args_complain("%s", err);
	return rc;
}

/* Before the live UI: a terminal it can draw on (else the status), and
 * NO_COLOR. */
static int terminal_ready(struct cli *o)
{
	int rc = check_terminal();
	const char *no_color = getenv("NO_COLOR");
	if (no_color && *no_color)
		o->uo.no_color = true;
	return rc;
}

/* --follow [USER]: USER may follow as its own word. Trains nothing and
 * records nothing; the keys that would change the run are refused. */
static int run_follow(struct cli *o, char **rest, int n_rest)
{
	if (n_rest == 1 && !o->follow_name)
		o->follow_name = rest[0];
	else if (n_rest > 0) {
		args_complain("overparam: --follow takes a user name, not scenario files ('%s')", rest[0]);
		return 2;
	}
	if (o->headless || o->share) {
		fprintf(stderr, "overparam: --follow is for the live UI, alone\n");
		return 2;
	}
	static struct scenario sc;
	static char err[STORE_ERR_LEN];
	if (follow_open(o->follow_name, &sc, err, sizeof err) != 0) {
		args_complain("%s", err);
		return 2;
	}
	int rc = terminal_ready(o);
	if (rc != 0)
		return rc;
	o->uo.pace_override = 0; /* as fast as the lecturer's records come */
	if (!o->fps_given && !o->settings.fps)
		o->uo.fps = FOLLOW_FPS;
	/* A class of followers shares the lecturer's machine: the scheduler
	 * gives the lecturer the cores first, and they draw with what is left
	 * (bench/follow.sh measures both). Failing to lower it is harmless. */
	follow_yield_cpu();
	o->uo.ops = follow_ops(&sc);
	o->uo.follow = true;
	rc = ui_run(&sc, 1, 0, &o->uo);
	follow_close();
	return rc;
}

/* --replay [RUN]: RUN may follow as its own word. Nothing is recorded. */
static int run_replay(struct cli *o, char **rest, int n_rest)
{
	uint64_t v = 0;
	if (n_rest == 1 && o->replay_id == 0 && args_parse_u64(rest[0], INT64_MAX, &v) == 0)
		o->replay_id = (long long)v;
	else if (n_rest > 0) {
		args_complain("overparam: --replay takes a run id, not scenario files ('%s')", rest[0]);
		return 2;
	}
	if (o->headless) {
		fprintf(stderr, "overparam: --replay is for the live UI\n");
		return 2;
	}
	static struct scenario sc;
	static char err[STORE_ERR_LEN];
	if (replay_load(&o->store, o->replay_id, &sc, err, sizeof err) != 0) {
		args_complain("%s", err);
		return 2;
	}
	int rc = terminal_ready(o);
	if (rc != 0)
		return rc;
	if (o->uo.pace_override < 0)
		o->uo.pace_override = 0; /* the end at once; --pace N to watch it unfold */
	if (!o->fps_given)
		o->uo.fps = 60; /* and its first frames without waiting out a 50 ms tick */
	o->uo.ops = replay_ops();
	o->uo.replay = true;
	rc = ui_run(&sc, 1, 0, &o->uo);
	replay_free();
	return rc;
}

int main(int argc, char **argv)
{
	static struct cli o = {.uo = {.fps = 0, .pace_override = -1}}; /* fps 0: the config's, else 20 */
	int c;
	check_std_fds();
	store_settings_default(&o.store);
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":hV", longopts, NULL)) != -1) {
		int rc = take_option(c, argv, argc, &o);
		if (rc >= 0)
			return rc;
	}
	int rc = check_options(&o);
	if (rc >= 0)
		return rc;
	o.argv0 = argv[0];
	rc = prefs_load(o.config_path, &o.settings);
	if (rc != 0)
		return rc;
	prefs_merge(&o.settings, o.headless, &o.uo);
	prefs_store(&o.settings, o.store_given, &o.store);
	if (o.runs)
		return finish_stdout(store_list(&o.store, o.json, stdout));
	if (o.replay)
		return run_replay(&o, argv + optind, argc - optind);
	if (o.follow)
		return run_follow(&o, argv + optind, argc - optind);

	static struct scenario scenarios[MAX_SCENARIOS];
	int n = load_scenarios(argv + optind, argc - optind, &o, scenarios);
	if (n < 0)
		return 2;
	rc = check_csv_target(o.csv_path, argv + optind, argc - optind, scenarios, n);
	if (rc >= 0)
		return rc;
	int first = prefs_preset(&o.settings, o.preset, scenarios, n);
	if (first < 0)
		return 2;
	workers_startup(); /* OpenBLAS on one thread; the team size, once */

	if (stdout_closed && (o.list || o.headless || o.study))
		return finish_stdout(0); /* says so before a run whose tables would be lost */
	if (o.list) {
		/* columns aligned past 9 scenarios, and for a long title */
		int nw = snprintf(NULL, 0, "%d", n), tw = 28;
		for (int i = 0; i < n; i++)
			tw = (int)strlen(scenarios[i].title) > tw ? (int)strlen(scenarios[i].title) : tw;
		for (int i = 0; i < n; i++)
			printf("%*d  %-*s %s\n", nw, i + 1, tw, scenarios[i].title, scenarios[i].path);
		return finish_stdout(0);
	}
	if (o.headless) {
		open_store(&o.store);
		rc = run_headless(scenarios, n, o.csv_path, o.plot_path, ui_picture_dark(&o.uo));
		return finish_stdout(close_store(rc));
	}
	if (o.study)
		return finish_stdout(study_run(scenarios, n, o.study, o.study_csv ? o.study_csv : STUDY_CSV_DEFAULT, stdout));
	rc = terminal_ready(&o);
	if (rc != 0)
		return rc;
	const char *no_color = getenv("NO_COLOR");
	if (no_color && *no_color)
		o.uo.no_color = true;
	open_store(&o.store);
	struct store *shared = NULL;
	static char err[STORE_ERR_LEN];
	if (o.share && share_open(&shared, o.share_who, err, sizeof err) != 0) {
		args_complain("%s", err);
		return close_store(2);
	}
	share_set_store(shared);
	rc = ui_run(scenarios, n, first, &o.uo);
	store_close(shared);
	return close_store(rc);
}
