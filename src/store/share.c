/* share.c: `--share` (the lecturer records its live session into a session
 * file others may read) and `--follow` (read it: share.h says why the
 * store itself is the transport). A follower's trainer runs follow_ops:
 * step() emits the lecturer's next epoch once it is committed, polling the
 * file every FOLLOW_POLL_MS; a new run of the lecturer (a switch, a knob,
 * a restart) is seen by the follower's UI (follow_poll), which restarts
 * its trainer on it. */
#include "overparam/share.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <sched.h>
#ifndef SCHED_IDLE
#include <linux/sched.h> /* SCHED_IDLE: glibc names it under _GNU_SOURCE only */
#endif
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "overparam/run_loop.h"
#include "store/db.h"

#define FOLLOW_POLL_MS 200 /* a class sees the lecturer 0.2 s late at most; 5 looks a second keep 50 followers cheap */
#define SHARE_KEEP_RUNS 20

static struct store *shared;
static char follow_file[512];
static sqlite3 *ui_db; /* the follower's UI thread's connection (follow_poll) */
static sqlite3_stmt *ui_newest, *ui_paused; /* prepared once: asked every FOLLOW_TICK (follow.c) */
static long long opened; /* the run follow_open showed */

struct store *share_store(void)
{
	return shared;
}

void share_set_store(struct store *st)
{
	shared = st;
}

static const char *user_name(void)
{
	const struct passwd *pw = getpwuid(getuid());
	return pw ? pw->pw_name : "unknown";
}

void share_path(const char *name, char *buf, size_t len)
{
	snprintf(buf, len, SHARE_DIR "/%s.db", name ? name : user_name());
}

/* The session file and its -wal and -shm with `mode`, which SQLite gives
 * the files it makes beside it. */
static int make_file(const char *path, mode_t mode, char *err, size_t errlen)
{
	if (mkdir(SHARE_DIR, 01777) == 0)
		chmod(SHARE_DIR, 01777); /* past the umask: every user shares here */
	int fd = open(path, O_RDWR | O_CREAT | O_NOFOLLOW, mode);
	if (fd < 0 || fchmod(fd, mode) != 0) {
		snprintf(err, errlen, "overparam: --share: %s: %s", path, strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	close(fd);
	const char *ext[] = {"-wal", "-shm"};
	for (int i = 0; i < 2; i++) {
		char side[STORE_PATH_LEN + 8];
		snprintf(side, sizeof side, "%s%s", path, ext[i]);
		chmod(side, mode); /* absent is fine */
	}
	return 0;
}

int share_open(struct store **out, enum share_who who, char *err, size_t errlen)
{
	struct store_settings s;
	store_settings_default(&s);
	share_path(NULL, s.path, sizeof s.path);
	s.enabled = true;
	s.keep_runs = SHARE_KEEP_RUNS;
	s.keep_mb = 0;
	mode_t mode = who == SHARE_ALL ? 0644 : who == SHARE_GROUP ? 0640 : 0600;
	if (make_file(s.path, mode, err, errlen) != 0)
		return -1;
	return store_open(out, &s, err, errlen);
}

/* ---- the follower ---- */

void follow_yield_cpu(void)
{
	/* every thread there is (a library may have started one), and through
	 * inheritance every thread to come */
	struct sched_param none = {0};
	DIR *d = opendir("/proc/self/task");
	struct dirent *e;
	bool idle = d != NULL;
	while (d && (e = readdir(d)) != NULL)
		if (e->d_name[0] != '.' &&
		    sched_setscheduler((pid_t)strtol(e->d_name, NULL, 10), SCHED_IDLE, &none) != 0)
			idle = false;
	if (d)
		closedir(d);
	if (!idle)
		(void)nice(19);
}

int follow_open(const char *name, struct scenario *sc, char *err, size_t errlen)
{
	const char *who = name ? name : user_name();
	share_path(who, follow_file, sizeof follow_file);
	int fd = open(follow_file, O_RDONLY);
	if (fd < 0) {
		if (errno == EACCES)
			snprintf(err, errlen,
				 "overparam: --follow: %s shares with its own user only (the lecturer can open it with "
				 "--share group or --share all)",
				 who);
		else
			snprintf(err, errlen, "overparam: --follow: %s is not sharing a session (%s: %s)", who,
				 follow_file, strerror(errno));
		return -1;
	}
	close(fd);
	if (db_open(&ui_db, follow_file, false, err, errlen) != 0)
		return -1;
	char why[SCENARIO_ERR_LEN + 64];
	long long id = db_run_scenario(ui_db, 0, sc, why, sizeof why);
	if (id <= 0) {
		snprintf(err, errlen, "overparam: --follow: %s: %s", who, id == 0 ? "nothing shown yet" : why);
		sqlite3_close(ui_db);
		ui_db = NULL;
		return -1;
	}
	if (sqlite3_prepare_v2(ui_db, "SELECT max(id) FROM run", -1, &ui_newest, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(ui_db, "SELECT value FROM session WHERE key = 'paused'", -1, &ui_paused, NULL) != SQLITE_OK) {
		snprintf(err, errlen, "overparam: --follow: %s: %s", who, sqlite3_errmsg(ui_db));
		follow_close();
		return -1;
	}
	opened = id;
	return 0;
}

long long follow_first(void)
{
	return opened;
}

long long follow_poll(long long known, struct scenario *sc)
{
	if (!ui_newest)
		return 0;
	long long id = 0;
	if (sqlite3_step(ui_newest) == SQLITE_ROW)
		id = sqlite3_column_int64(ui_newest, 0);
	sqlite3_reset(ui_newest);
	char err[SCENARIO_ERR_LEN + 64];
	if (id > known && db_run_scenario(ui_db, id, sc, err, sizeof err) != id)
		return known; /* a scenario this build cannot read: stay */
	return id;
}

int follow_paused(void)
{
	if (!ui_paused)
		return -1;
	int paused = sqlite3_step(ui_paused) == SQLITE_ROW ? sqlite3_column_int(ui_paused, 0) : -1;
	sqlite3_reset(ui_paused);
	return paused;
}

void follow_close(void)
{
	sqlite3_finalize(ui_newest);
	sqlite3_finalize(ui_paused);
	ui_newest = ui_paused = NULL;
	sqlite3_close(ui_db);
	ui_db = NULL;
}

/* The follower trainer's view of the lecturer's current run. Records are
 * read in batches: one query per look takes everything committed since,
 * and the steps then hand it out an epoch at a time from memory. (One
 * query per epoch cost a follower 1.6% of a core at max pace, mostly in
 * SQLite's locks: 50 of them took half the lecturer's speed.) */
struct experiment {
	sqlite3 *db;
	sqlite3_stmt *q;
	long long run;
	long long seq;           /* records read from the file so far */
	struct op_record *buf;   /* buf: (cap,) read, not yet handed out from pos */
	size_t pos, len, cap;
};

#define FOLLOW_BATCH 65536 /* rows per look, at most: the rest come next time */

static int follow_create(const struct scenario *sc, uint64_t seed, struct experiment **out, char *err, size_t errlen)
{
	(void)sc;
	(void)seed;
	struct experiment *x = calloc(1, sizeof *x);
	if (!x || db_open(&x->db, follow_file, false, err, errlen) != 0) {
		free(x);
		return -1;
	}
	sqlite3_stmt *s;
	if (sqlite3_prepare_v2(x->db, "SELECT max(id) FROM run", -1, &s, NULL) == SQLITE_OK && sqlite3_step(s) == SQLITE_ROW)
		x->run = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	if (sqlite3_prepare_v2(x->db,
			       "SELECT series, metric, epoch, idx, value FROM record WHERE run = ? AND seq >= ? "
			       "ORDER BY seq LIMIT ?",
			       -1, &x->q, NULL) != SQLITE_OK) {
		snprintf(err, errlen, "%s", sqlite3_errmsg(x->db));
		sqlite3_close(x->db);
		free(x);
		return -1;
	}
	*out = x;
	return 0;
}

static void nap(void)
{
	struct timespec ts = {0, FOLLOW_POLL_MS * 1000000L};
	nanosleep(&ts, NULL);
}

/* Appends what the lecturer committed since our last look; false when
 * there was nothing (or no memory for it). */
static bool follow_read(struct experiment *x)
{
	if (x->pos > 0) { /* keep only what is not handed out yet */
		memmove(x->buf, x->buf + x->pos, (x->len - x->pos) * sizeof *x->buf);
		x->len -= x->pos;
		x->pos = 0;
	}
	if (x->cap - x->len < FOLLOW_BATCH) {
		size_t cap = x->len + FOLLOW_BATCH;
		struct op_record *b = realloc(x->buf, cap * sizeof *b);
		if (!b)
			return false;
		x->buf = b;
		x->cap = cap;
	}
	size_t before = x->len;
	sqlite3_bind_int64(x->q, 1, x->run);
	sqlite3_bind_int64(x->q, 2, x->seq);
	sqlite3_bind_int64(x->q, 3, FOLLOW_BATCH);
	while (x->len < x->cap && sqlite3_step(x->q) == SQLITE_ROW)
		x->buf[x->len++] = db_record(x->q);
	sqlite3_reset(x->q);
	x->seq += (long long)(x->len - before);
	return x->len > before;
}

/* The lecturer's next epoch: its records up to its epoch mark, emitted
 * (not the marks: this trainer makes its own). Waits for it; false when
 * the lecturer's run ended there, or on a cancel (the UI restarts us). */
static bool follow_step(struct experiment *x, struct emitter *em)
{
	size_t scanned = x->pos; /* records before it hold no mark */
	while (!run_cancelled()) {
		size_t mark = scanned;
		while (mark < x->len && x->buf[mark].metric != MET_EPOCH && x->buf[mark].metric != MET_DONE)
			mark++;
		if (mark == x->len) {
			scanned = x->len - x->pos; /* follow_read moves the unread to the front */
			if (!follow_read(x))
				nap();
			continue;
		}
		for (size_t i = x->pos; i < mark; i++)
			if (x->buf[i].metric != MET_START && x->buf[i].metric < MET_COUNT)
				em->emit(em->ctx, &x->buf[i]);
		bool more = x->buf[mark].metric == MET_EPOCH;
		x->pos = mark + 1;
		return more;
	}
	return false;
}

static void follow_destroy(struct experiment *x)
{
	sqlite3_finalize(x->q);
	sqlite3_close(x->db);
	free(x->buf);
	free(x);
}

static struct experiment_ops ops;

const struct experiment_ops *follow_ops(const struct scenario *sc)
{
	/* the kind's own for describe (the trainer's and the UI's agree:
	 * both start from sc); ours to run */
	const struct experiment_ops *kind = experiment_ops_for(sc->kind);
	if (kind)
		ops = *kind;
	ops.create = follow_create;
	ops.step = follow_step;
	ops.destroy = follow_destroy;
	ops.use_workers = NULL;
	return &ops;
}
