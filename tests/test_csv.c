/* test_csv.c: the one CSV writer (csv.h) and the `e` export on it. What a
 * script reads must parse (RFC 4180 quoting), read back exactly (full
 * precision), name its scenario as given, and hold every (series, metric,
 * epoch, index) once; a file must appear whole or not at all, never over
 * another, never under a cut name; and exports racing in one second, from
 * two processes, must each get a file of their own. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <float.h>
#include <math.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "overparam/csv.h"
#include "overparam/history.h"
#include "overparam/run_loop.h"
#include "overparam/scenario.h"
#include "ui/widgets.h"

static char dir[64]; /* a mkdtemp directory */

static int setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof dir, "/tmp/test_csv.XXXXXX");
	return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	char cmd[sizeof dir + 16];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

/* The file's bytes, NUL-terminated (free them). */
static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	long n = ftell(f);
	rewind(f);
	char *buf = malloc((size_t)n + 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
	buf[n] = 0;
	fclose(f);
	if (len)
		*len = (size_t)n;
	return buf;
}

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

/* Entries of dir whose names start with prefix. */
static int count_entries(const char *prefix)
{
	DIR *d = opendir(dir);
	assert_non_null(d);
	int n = 0;
	for (struct dirent *e; (e = readdir(d));)
		n += strncmp(e->d_name, prefix, strlen(prefix)) == 0;
	closedir(d);
	return n;
}

/* ---- an RFC 4180 reader, to read back what was written ---- */

enum { MAX_FIELDS = 8, MAX_FIELD = 512 };

/* One record from *p into f; returns its field count, 0 at the end, -1 when
 * malformed (a bare quote, an unterminated quoted field, no final LF). */
static int read_record(const char **p, char f[MAX_FIELDS][MAX_FIELD])
{
	const char *s = *p;
	if (!*s)
		return 0;
	int n = 0;
	for (;;) {
		if (n == MAX_FIELDS)
			return -1;
		size_t k = 0;
		if (*s == '"') {
			for (s++;; s++) {
				if (!*s)
					return -1;
				if (*s == '"' && s[1] != '"')
					break;
				if (*s == '"')
					s++;
				if (k + 1 < MAX_FIELD)
					f[n][k++] = *s;
			}
			s++;
		} else {
			for (; *s && *s != ',' && *s != '\n'; s++) {
				if (*s == '"')
					return -1;
				if (k + 1 < MAX_FIELD)
					f[n][k++] = *s;
			}
		}
		f[n++][k] = 0;
		if (*s == ',') {
			s++;
			continue;
		}
		if (*s != '\n')
			return -1;
		*p = s + 1;
		return n;
	}
}

/* Every record of a whole CSV file has 6 fields; returns the rows after
 * the header, or -1. */
static long parse_rows(const char *text)
{
	char f[MAX_FIELDS][MAX_FIELD];
	const char *p = text;
	if (read_record(&p, f) != 6 || strcmp(f[0], "scenario") != 0 || strcmp(f[5], "value") != 0)
		return -1;
	long rows = 0;
	int n;
	while ((n = read_record(&p, f)) == 6)
		rows++;
	return n == 0 ? rows : -1;
}

/* ---- the value column ---- */

static void test_values_at_full_precision(void **state)
{
	(void)state;
	char buf[32];
	csv_format_value(buf, sizeof buf, 0.5);
	assert_string_equal(buf, "0.5");
	csv_format_value(buf, sizeof buf, (double)0.1f); /* a float32: 9 digits */
	assert_string_equal(buf, "0.100000001");
	csv_format_value(buf, sizeof buf, 0.1); /* a double: 17 */
	assert_string_equal(buf, "0.10000000000000001");
	csv_format_value(buf, sizeof buf, 42);
	assert_string_equal(buf, "42");
	csv_format_value(buf, sizeof buf, 9007199254740991.0); /* the largest seed */
	assert_string_equal(buf, "9007199254740991");
	csv_format_value(buf, sizeof buf, 1e300); /* beyond float32: no cast */
	assert_string_equal(buf, "1.0000000000000001e+300");
	csv_format_value(buf, sizeof buf, NAN);
	assert_string_equal(buf, "nan");
	csv_format_value(buf, sizeof buf, -INFINITY);
	assert_string_equal(buf, "-inf");
	/* every value reads back exactly: a double as a double, a float32
	 * as a float32 */
	srand(7);
	for (int i = 0; i < 100000; i++) {
		double v = ldexp((double)rand() / RAND_MAX - 0.5, rand() % 200 - 100);
		if (i % 2)
			v = (double)(float)v;
		csv_format_value(buf, sizeof buf, v);
		double back = i % 2 ? (double)strtof(buf, NULL) : strtod(buf, NULL);
		if (back != v)
			fail_msg("%a written as %s", v, buf);
		if (i % 2)
			assert_true(strlen(buf) <= 16); /* %.9g: 9 digits, sign, point, exponent */
	}
}

/* ---- rows, quoting, the scenario named as given ---- */

static void test_rows_quoted_as_rfc4180(void **state)
{
	(void)state;
	char path[PATH_MAX];
	snprintf(path, sizeof path, "%s/q.csv", dir);
	static struct csv_out w;
	assert_int_equal(csv_open_path(&w, path), 0);
	csv_row(&w, "d1/a,b\"c.ini", "width 10", "train_loss", 3, 0, 0.25);
	csv_row(&w, "d2/a,b\"c.ini", "two\nlines", "interp_loss", 4, 7, 0.1);
	csv_row(&w, "plain.ini", "cr\r", "barrier", 5, 0, 1);
	assert_int_equal(w.rows, 3);
	assert_int_equal(csv_close(&w), 0);
	assert_string_equal(w.path, path);
	char *text = slurp(path, NULL);
	assert_non_null(text);
	assert_string_equal(text, CSV_HEADER "\"d1/a,b\"\"c.ini\",width 10,train_loss,3,0,0.25\n"
					     "\"d2/a,b\"\"c.ini\",\"two\nlines\",interp_loss,4,7,0.10000000000000001\n"
					     "plain.ini,\"cr\r\",barrier,5,0,1\n");
	/* and it reads back field for field: two files of one base name differ */
	char f[MAX_FIELDS][MAX_FIELD];
	const char *p = text;
	assert_int_equal(read_record(&p, f), 6);
	assert_int_equal(read_record(&p, f), 6);
	assert_string_equal(f[0], "d1/a,b\"c.ini");
	assert_int_equal(read_record(&p, f), 6);
	assert_string_equal(f[0], "d2/a,b\"c.ini");
	assert_string_equal(f[1], "two\nlines");
	assert_string_equal(f[4], "7");
	free(text);
	assert_int_equal(count_entries(".overparam-"), 0); /* no temporary left */
}

/* ---- whole or nothing ---- */

static void test_replace_is_whole_or_nothing(void **state)
{
	(void)state;
	char path[PATH_MAX];
	snprintf(path, sizeof path, "%s/r.csv", dir);
	write_file(path, "old\n");
	static struct csv_out w;
	assert_int_equal(csv_open_path(&w, path), 0);
	for (int i = 0; i < 10000; i++)
		csv_row(&w, "s.ini", "run", "train_loss", (uint32_t)i, 0, i);
	char *text = slurp(path, NULL);
	assert_string_equal(text, "old\n"); /* not a byte of the new one yet */
	free(text);
	assert_int_equal(count_entries(".overparam-"), 1);
	assert_int_equal(csv_close(&w), 0);
	text = slurp(path, NULL);
	assert_int_equal(parse_rows(text), 10000);
	free(text);
	assert_int_equal(count_entries(".overparam-"), 0);
}

/* A write that fails half-way (the file size limit: EFBIG) leaves the old
 * file as it was and no temporary. In a child: the limit is per process. */
static void test_failed_write_leaves_nothing(void **state)
{
	(void)state;
	char path[PATH_MAX];
	snprintf(path, sizeof path, "%s/full.csv", dir);
	write_file(path, "old\n");
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		signal(SIGXFSZ, SIG_IGN);
		struct rlimit rl = {100000, 100000};
		setrlimit(RLIMIT_FSIZE, &rl);
		static struct csv_out w;
		if (csv_open_path(&w, path) != 0)
			_exit(10);
		for (int i = 0; i < 100000; i++)
			csv_row(&w, "s.ini", "run", "train_loss", (uint32_t)i, 0, i);
		if (csv_close(&w) == 0)
			_exit(11);
		_exit(w.err == EFBIG && strcmp(w.what, "error writing") == 0 ? 0 : 12);
	}
	int st;
	assert_int_equal(waitpid(pid, &st, 0), pid);
	assert_true(WIFEXITED(st));
	assert_int_equal(WEXITSTATUS(st), 0);
	char *text = slurp(path, NULL);
	assert_string_equal(text, "old\n");
	free(text);
	assert_int_equal(count_entries(".overparam-"), 0);
}

static void test_stream_errors_are_reported(void **state)
{
	(void)state;
	static struct csv_out w;
	assert_int_equal(csv_open_path(&w, "/dev/full"), 0);
	assert_int_equal(w.mode, CSV_STREAM);
	csv_row(&w, "s.ini", "run", "train_loss", 0, 0, 1);
	assert_int_equal(csv_close(&w), -1);
	assert_int_equal(w.err, ENOSPC);
	assert_string_equal(csv_reason(&w), strerror(ENOSPC));
	/* a directory is no CSV */
	assert_int_equal(csv_open_path(&w, dir), -1);
	assert_int_equal(w.err, EISDIR);
}

/* A file made read-only is not replaced behind its back (root may write
 * anything: skipped there). */
static void test_read_only_target_is_refused(void **state)
{
	(void)state;
	if (geteuid() == 0)
		skip();
	char path[PATH_MAX];
	snprintf(path, sizeof path, "%s/ro.csv", dir);
	write_file(path, "keep\n");
	assert_int_equal(chmod(path, 0444), 0);
	static struct csv_out w;
	assert_int_equal(csv_open_path(&w, path), -1);
	assert_int_equal(w.err, EACCES);
	assert_int_equal(count_entries(".overparam-"), 0);
}

/* ---- names ---- */

static void test_new_files_never_overwrite(void **state)
{
	(void)state;
	char taken[PATH_MAX];
	snprintf(taken, sizeof taken, "%s/n.csv", dir);
	write_file(taken, "mine\n");
	static struct csv_out a, b;
	assert_int_equal(csv_open_new(&a, dir, "n"), 0);
	assert_int_equal(csv_open_new(&b, dir, "n"), 0);
	csv_row(&a, "a.ini", "run", "train_loss", 0, 0, 1);
	csv_row(&b, "b.ini", "run", "train_loss", 0, 0, 2);
	assert_int_equal(csv_close(&b), 0);
	assert_int_equal(csv_close(&a), 0);
	char want[PATH_MAX];
	snprintf(want, sizeof want, "%s/n-2.csv", dir);
	assert_string_equal(b.path, want);
	snprintf(want, sizeof want, "%s/n-3.csv", dir);
	assert_string_equal(a.path, want);
	char *text = slurp(taken, NULL);
	assert_string_equal(text, "mine\n");
	free(text);
}

static void test_names_too_long_are_refused_not_cut(void **state)
{
	(void)state;
	static char name[PATH_MAX + 8];
	memset(name, 'x', sizeof name - 1);
	name[sizeof name - 1] = 0;
	static struct csv_out w;
	assert_int_equal(csv_open_new(&w, dir, name), -1);
	assert_int_equal(w.err, ENAMETOOLONG);
	assert_int_equal(csv_open_path(&w, name), -1);
	assert_int_equal(w.err, ENAMETOOLONG);
	/* just under PATH_MAX with the directory: still too long once the
	 * counter and ".csv" may be added */
	size_t room = PATH_MAX - strlen(dir) - 1;
	name[room - 2] = 0;
	assert_int_equal(csv_open_new(&w, dir, name), -1);
	assert_int_equal(w.err, ENAMETOOLONG);
	assert_int_equal(count_entries("x"), 0);
	assert_int_equal(count_entries(".overparam-"), 0);
}

static void test_inputs_and_ini_files_are_refused(void **state)
{
	(void)state;
	char in[PATH_MAX], other[PATH_MAX], link[PATH_MAX], msg[2 * PATH_MAX + 128];
	snprintf(in, sizeof in, "%s/scenario.conf", dir);
	snprintf(other, sizeof other, "%s/./scenario.conf", dir);
	snprintf(link, sizeof link, "%s/link.csv", dir);
	write_file(in, "");
	assert_int_equal(symlink(in, link), 0);
	const char *inputs[] = {in};
	assert_true(csv_refuses("scenarios/01-optimization-ease.ini", inputs, 1, msg, sizeof msg));
	assert_string_equal(msg, "scenarios/01-optimization-ease.ini ends in .ini: will not overwrite a scenario file (a "
				 "glob after --csv?)");
	assert_true(csv_refuses("X.INI", inputs, 1, msg, sizeof msg));
	assert_true(csv_refuses(other, inputs, 1, msg, sizeof msg)); /* another spelling */
	assert_true(csv_refuses(link, inputs, 1, msg, sizeof msg));  /* through a link */
	assert_false(csv_refuses("-", inputs, 1, msg, sizeof msg));
	snprintf(other, sizeof other, "%s/out.csv", dir);
	assert_false(csv_refuses(other, inputs, 1, msg, sizeof msg));
}

/* ---- the `e` export ---- */

/* A history as the UI would hold it: two curves, a scalar, a grid. */
static void fill_history(struct history *h, uint32_t epochs)
{
	history_init(h, true);
	struct op_record r = {.generation = 1, .metric = MET_START, .value = 42};
	history_add(h, &r);
	history_set_span(h, epochs); /* as the UI does when a run starts */
	for (uint32_t e = 0; e < epochs; e++)
		for (uint16_t s = 0; s < 2; s++) {
			r = (struct op_record){.generation = 1, .epoch = e, .series = s, .metric = MET_TRAIN_LOSS,
					       .value = 1.0 / (e + 1 + s)};
			history_add(h, &r);
		}
	r = (struct op_record){.generation = 1, .epoch = epochs, .metric = MET_BARRIER, .value = 0.1};
	history_add(h, &r);
	for (uint32_t i = 0; i < 5; i++) { /* a grid filled one position an epoch */
		r = (struct op_record){.generation = 1, .epoch = epochs - 5 + i, .metric = MET_INTERP_LOSS, .index = i,
				       .value = i};
		history_add(h, &r);
	}
}

static void describe(struct run_desc *d, struct scenario *sc, const char *path)
{
	memset(d, 0, sizeof *d);
	d->n_series = 2;
	d->n_grid = 5;
	snprintf(d->series_label[0], sizeof d->series_label[0], "net A");
	snprintf(d->series_label[1], sizeof d->series_label[1], "net \"B\", again");
	memset(sc, 0, sizeof *sc);
	snprintf(sc->path, sizeof sc->path, "%s", path);
}

/* What an export is given: the history, the run's description, the
 * scenario (only its path matters). */
struct fix {
	struct history h;
	struct run_desc d;
	struct scenario sc;
};

static void fix_open(struct fix *f, uint32_t epochs, const char *path)
{
	fill_history(&f->h, epochs);
	describe(&f->d, &f->sc, path);
}

/* export_start .. "wrote"; returns 0 or -1. */
static int export_once(const struct scenario *sc, const struct run_desc *d, const struct history *h, char *msg,
		       size_t len)
{
	struct export_job *j = export_start(dir, sc, d, h, msg, len);
	if (!j)
		return -1;
	bool bad;
	struct timespec tick = {0, 1000 * 1000};
	while (!export_poll(j, msg, len, &bad))
		nanosleep(&tick, NULL);
	return export_end(j, 0) && !bad ? 0 : -1;
}

static void test_export_rows_as_headless(void **state)
{
	(void)state;
	static struct fix f;
	fix_open(&f, 100, "some/dir/a,b\"c.ini");
	char msg[PATH_MAX + 64];
	assert_int_equal(export_once(&f.sc, &f.d, &f.h, msg, sizeof msg), 0);
	assert_memory_equal(msg, "wrote ", 6);
	char want[PATH_MAX];
	snprintf(want, sizeof want, "%s/overparam-a,b\"c-42-", dir);
	assert_memory_equal(msg + 6, want, strlen(want));
	char *text = slurp(msg + 6, NULL);
	assert_non_null(text);
	assert_int_equal(parse_rows(text), 2 * 100 + 1 + 5);
	/* the scenario as given, quoted; a float32-exact value at 9 digits,
	 * a double at 17; the grid with its index */
	assert_non_null(strstr(text, "\"some/dir/a,b\"\"c.ini\",net A,train_loss,0,0,1\n"));
	assert_non_null(strstr(text, ",\"net \"\"B\"\", again\",train_loss,1,0,0.33333333333333331\n"));
	assert_non_null(strstr(text, ",net A,barrier,100,0,0.10000000000000001\n"));
	assert_non_null(strstr(text, ",net A,interp_loss,98,3,3\n")); /* the epoch it came at */
	assert_non_null(strstr(text, ",net A,interp_loss,99,4,4\n"));
	free(text);
	history_free(&f.h);
}

/* A scenario file name too long for an export's file name: refused when
 * the file is named, never cut, nothing left. */
static void test_export_name_too_long_is_refused(void **state)
{
	(void)state;
	static struct fix f;
	char path[300];
	memset(path, 'y', 250);
	snprintf(path + 250, sizeof path - 250, ".ini");
	fix_open(&f, 10, path);
	char msg[PATH_MAX + 64];
	assert_int_equal(export_once(&f.sc, &f.d, &f.h, msg, sizeof msg), -1);
	assert_memory_equal(msg, "export failed: File name too long: ", 35);
	assert_int_equal(count_entries("overparam-yyy"), 0);
	assert_int_equal(count_entries(".overparam-"), 0);
	history_free(&f.h);
}

/* Writing happens on the export's thread: export_start returns at once,
 * progress shows, and the file appears only when whole. */
static void test_large_export_runs_off_the_caller(void **state)
{
	(void)state;
	static struct fix f;
	fix_open(&f, 1500000, "big.ini"); /* 3 M rows */
	char msg[PATH_MAX + 64];
	struct export_job *j = export_start(dir, &f.sc, &f.d, &f.h, msg, sizeof msg);
	assert_non_null(j);
	assert_string_equal(msg, "exporting 3000006 rows");
	bool bad, seen_progress = false;
	struct timespec tick = {0, 5 * 1000 * 1000};
	int polls = 0;
	while (!export_poll(j, msg, sizeof msg, &bad)) {
		assert_memory_equal(msg, "exporting: ", 11);
		assert_non_null(strstr(msg, "% of 3000006 rows"));
		seen_progress = true;
		polls++;
		nanosleep(&tick, NULL);
	}
	assert_true(seen_progress);
	assert_false(bad);
	print_message("3 M rows written while the caller polled %d times\n", polls);
	assert_true(export_end(j, 0));
	char *text = slurp(msg + 6, NULL);
	assert_int_equal(parse_rows(text), 3000006);
	free(text);
	unlink(msg + 6);
	history_free(&f.h);
}

/* Quitting mid-export: the thread stops, nothing is left behind. */
static void test_export_stopped_leaves_nothing(void **state)
{
	(void)state;
	static struct fix f;
	fix_open(&f, 1500000, "stopped.ini");
	char msg[PATH_MAX + 64];
	struct export_job *j = export_start(dir, &f.sc, &f.d, &f.h, msg, sizeof msg);
	assert_non_null(j);
	assert_false(export_end(j, 0));
	assert_int_equal(count_entries("overparam-stopped-"), 0);
	assert_int_equal(count_entries(".overparam-"), 0);
	history_free(&f.h);
}

/* 100 exports from two processes at once, in one directory: 100 files,
 * each whole, none over another. Their names share the second (and so
 * the counter decides). */
static void test_concurrent_exports_from_two_processes(void **state)
{
	(void)state;
	static struct fix f;
	fix_open(&f, 2000, "race.ini");
	pid_t kids[2];
	for (int k = 0; k < 2; k++) {
		kids[k] = fork();
		assert_true(kids[k] >= 0);
		if (kids[k] == 0) {
			char msg[PATH_MAX + 64];
			for (int i = 0; i < 50; i++)
				if (export_once(&f.sc, &f.d, &f.h, msg, sizeof msg) != 0)
					_exit(1);
			_exit(0);
		}
	}
	for (int k = 0; k < 2; k++) {
		int st;
		assert_int_equal(waitpid(kids[k], &st, 0), kids[k]);
		assert_true(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	}
	assert_int_equal(count_entries("overparam-race-42-"), 100);
	assert_int_equal(count_entries(".overparam-"), 0);
	DIR *dd = opendir(dir);
	assert_non_null(dd);
	int with_counter = 0;
	for (struct dirent *e; (e = readdir(dd));) {
		if (strncmp(e->d_name, "overparam-race-", 15) != 0)
			continue;
		with_counter += strstr(e->d_name, "-2.csv") != NULL;
		char path[PATH_MAX];
		snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
		char *text = slurp(path, NULL);
		assert_int_equal(parse_rows(text), 2 * 2000 + 1 + 5);
		free(text);
	}
	closedir(dd);
	assert_true(with_counter > 0); /* the same second did happen */
	history_free(&f.h);
}

/* ---- every (series, metric, epoch, index) once ---- */

struct seen {
	uint64_t *key; /* (n) */
	size_t n, cap;
};

static void remember(void *ctx, const struct op_record *r)
{
	struct seen *s = ctx;
	if (s->n == s->cap) {
		s->cap = s->cap ? 2 * s->cap : 4096;
		s->key = realloc(s->key, s->cap * sizeof *s->key);
		assert_non_null(s->key);
	}
	s->key[s->n++] = (uint64_t)r->series << 56 | (uint64_t)r->metric << 48 | (uint64_t)r->epoch << 16 | r->index;
}

static int by_key(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return (x > y) - (x < y);
}

/* Lottery tickets used to send the trained net's test loss and the
 * rewound net's for the same epoch at every round boundary. */
static void test_lottery_rows_once(void **state)
{
	(void)state;
	const char *sets[] = {"train.epochs=20", "train.rounds=3", "train.eval_every=5", "model.widths=16"};
	struct scenario sc;
	char err[SCENARIO_ERR_LEN];
	if (scenario_load_sets("scenarios/11-lottery-tickets.ini", sets, 4, &sc, err, sizeof err) != 0)
		fail_msg("%s", err);
	struct seen s = {0};
	struct emitter em = {.emit = remember, .ctx = &s, .generation = 1};
	assert_int_equal(experiment_run(experiment_ops_for(sc.kind), &sc, 42, NULL, &em, NULL, err, sizeof err), 0);
	qsort(s.key, s.n, sizeof *s.key, by_key);
	size_t test_rows = 0;
	for (size_t i = 0; i < s.n; i++) {
		if (i > 0 && s.key[i] == s.key[i - 1])
			fail_msg("series %u metric %s epoch %u index %u twice", (unsigned)(s.key[i] >> 56),
				 metric_name((enum metric)(s.key[i] >> 48 & 0xff)), (unsigned)(s.key[i] >> 16 & 0xffffffff),
				 (unsigned)(s.key[i] & 0xffff));
		test_rows += (s.key[i] >> 48 & 0xff) == MET_TEST_LOSS;
	}
	/* each net: every 5th epoch of 4 rounds of 20, and the last round's end */
	assert_int_equal(test_rows, 2 * (4 * 4 + 1));
	free(s.key);
}

int main(void)
{
	/* The export tests hold millions of points: keep them all (history.h's
	 * test hook), so what is exported is every point recorded. */
	setenv("OVERPARAM_HISTORY_KEEP", "8000000", 1);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_values_at_full_precision),
		cmocka_unit_test(test_rows_quoted_as_rfc4180),
		cmocka_unit_test(test_replace_is_whole_or_nothing),
		cmocka_unit_test(test_failed_write_leaves_nothing),
		cmocka_unit_test(test_stream_errors_are_reported),
		cmocka_unit_test(test_read_only_target_is_refused),
		cmocka_unit_test(test_new_files_never_overwrite),
		cmocka_unit_test(test_names_too_long_are_refused_not_cut),
		cmocka_unit_test(test_inputs_and_ini_files_are_refused),
		cmocka_unit_test(test_export_rows_as_headless),
		cmocka_unit_test(test_export_name_too_long_is_refused),
		cmocka_unit_test(test_large_export_runs_off_the_caller),
		cmocka_unit_test(test_export_stopped_leaves_nothing),
		cmocka_unit_test(test_concurrent_exports_from_two_processes),
		cmocka_unit_test(test_lottery_rows_once),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
