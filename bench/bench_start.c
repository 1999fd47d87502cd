/* bench_start.c: how fast the live UI shows its first frame, and how much
 * memory a run takes at its peak.
 *
 *   bench_start frame RUNS  CMD ARGS...   time from start to the first complete
 *                                         frame, over RUNS starts: median, min, max
 *   bench_start live SECS   CMD ARGS...   the live UI for SECS seconds, then q:
 *                                         its peak RSS
 *   bench_start rss         CMD ARGS...   a command (a headless run) to its end:
 *                                         its peak RSS
 *
 * The UI runs on a pseudo-terminal of 80x24 with TERM=xterm-256color, as a
 * session leader with the terminal as its controlling tty. The first frame
 * is complete when the bytes it wrote show the footer's last item, "q quit":
 * src/ui/app.c paints the header, the footer and then the panels into
 * ncurses windows and sends them with one doupdate(), which writes the
 * screen top to bottom, so the footer line is the last thing on the wire.
 * Escape sequences are skipped when matching (the key is drawn in its own
 * colour). Peak RSS is the child's ru_maxrss from wait4, so no /usr/bin/time
 * is needed. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#define FOOTER_END "q quit"
#define MAX_RUNS 64

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return 1e3 * (double)ts.tv_sec + 1e-6 * (double)ts.tv_nsec;
}

/* The visible text of a terminal byte stream: escape sequences and control
 * characters dropped, fed a chunk at a time. */
struct visible {
	enum { V_TEXT, V_ESC, V_CSI, V_CHARSET } state;
	char tail[64]; /* the last visible characters */
	size_t len;
};

static void visible_feed(struct visible *v, const char *buf, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)buf[i];
		switch (v->state) {
		case V_ESC:
			v->state = c == '[' ? V_CSI : (c == '(' || c == ')') ? V_CHARSET : V_TEXT;
			continue;
		case V_CSI:
			if (c >= 0x40 && c <= 0x7e)
				v->state = V_TEXT;
			continue;
		case V_CHARSET:
			v->state = V_TEXT;
			continue;
		case V_TEXT:
			break;
		}
		if (c == 0x1b) {
			v->state = V_ESC;
			continue;
		}
		if (c < 0x20 || c == 0x7f)
			continue;
		if (v->len == sizeof v->tail) {
			memmove(v->tail, v->tail + 1, sizeof v->tail - 1);
			v->len--;
		}
		v->tail[v->len++] = (char)c;
	}
}

static bool visible_ends_with(const struct visible *v, const char *s)
{
	size_t k = strlen(s);
	for (size_t end = v->len; end >= k; end--) /* "quit" may be followed by padding */
		if (memcmp(v->tail + end - k, s, k) == 0) {
			for (size_t j = end; j < v->len; j++)
				if (v->tail[j] != ' ')
					return false;
			return true;
		}
	return false;
}

/* Starts argv on a new 80x24 pseudo-terminal; returns the child's pid and
 * the master side in *master, or -1. */
static pid_t spawn_pty(char **argv, int *master)
{
	int m = posix_openpt(O_RDWR | O_NOCTTY);
	if (m < 0)
		return -1;
	if (grantpt(m) != 0 || unlockpt(m) != 0) {
		close(m);
		return -1;
	}
	const char *name = ptsname(m);
	if (!name) {
		close(m);
		return -1;
	}
	char slave_name[256];
	snprintf(slave_name, sizeof slave_name, "%s", name);
	struct winsize ws = {.ws_row = 24, .ws_col = 80};
	ioctl(m, TIOCSWINSZ, &ws);
	pid_t pid = fork();
	if (pid < 0) {
		close(m);
		return -1;
	}
	if (pid == 0) {
		close(m);
		setsid();
		int s = open(slave_name, O_RDWR);
		if (s < 0 || ioctl(s, TIOCSCTTY, 0) != 0)
			_exit(126);
		ioctl(s, TIOCSWINSZ, &ws);
		dup2(s, 0);
		dup2(s, 1);
		dup2(s, 2);
		if (s > 2)
			close(s);
		setenv("TERM", "xterm-256color", 1);
		execvp(argv[0], argv);
		_exit(127);
	}
	*master = m;
	return pid;
}

/* Reads what the child writes for up to `ms` (forever if < 0) or until the
 * footer is seen (if `until_footer`); returns when it was seen (ms after
 * t0), or -1. Keeps draining, so the child never blocks on a full pty. */
static double pump(int master, double t0, double ms, bool until_footer, struct visible *v)
{
	char buf[8192];
	for (;;) {
		double left = ms < 0 ? 1000 : t0 + ms - now_ms();
		if (ms >= 0 && left <= 0)
			return -1;
		struct pollfd p = {.fd = master, .events = POLLIN};
		int r = poll(&p, 1, (int)(left + 1));
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			continue;
		ssize_t n = read(master, buf, sizeof buf);
		if (n <= 0)
			return -1; /* the child closed the terminal */
		if (!until_footer)
			continue;
		visible_feed(v, buf, (size_t)n);
		if (visible_ends_with(v, FOOTER_END))
			return now_ms() - t0;
	}
}

/* Asks the UI to quit, drains until it exits (killing it if it will not),
 * and returns its peak RSS in KiB, or -1. */
static long finish(pid_t pid, int master)
{
	if (write(master, "q", 1) != 1)
		kill(pid, SIGTERM);
	struct rusage ru;
	int status;
	double t0 = now_ms();
	for (;;) {
		pid_t w = wait4(pid, &status, WNOHANG, &ru);
		if (w == pid)
			break;
		if (now_ms() - t0 > 3000) {
			kill(pid, SIGKILL);
			wait4(pid, &status, 0, &ru);
			break;
		}
		char buf[4096];
		struct pollfd p = {.fd = master, .events = POLLIN};
		if (poll(&p, 1, 10) > 0 && read(master, buf, sizeof buf) <= 0) {
			struct timespec nap = {0, 5000000};
			nanosleep(&nap, NULL);
		}
	}
	close(master);
	return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? ru.ru_maxrss : -1;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

static int bench_frame(int runs, char **argv)
{
	double t[MAX_RUNS];
	int ok = 0;
	for (int i = 0; i < runs; i++) {
		int master;
		double t0 = now_ms();
		pid_t pid = spawn_pty(argv, &master);
		if (pid < 0) {
			perror("bench_start: spawn");
			return 1;
		}
		struct visible v = {0};
		double ms = pump(master, t0, 10000, true, &v);
		long rss = finish(pid, master);
		if (ms < 0 || rss < 0) {
			fprintf(stderr, "bench_start: run %d: %s\n", i + 1,
				ms < 0 ? "no complete frame within 10 s" : "the UI did not quit cleanly on q");
			continue;
		}
		t[ok++] = ms;
	}
	if (ok == 0)
		return 1;
	qsort(t, (size_t)ok, sizeof *t, cmp_double);
	double median = ok % 2 ? t[ok / 2] : (t[ok / 2 - 1] + t[ok / 2]) / 2;
	printf("first complete frame at 80x24: median %.1f ms (min %.1f, max %.1f, %d runs; target < 50 ms)\n", median,
	       t[0], t[ok - 1], ok);
	return ok == runs ? 0 : 1;
}

static int bench_live(double secs, char **argv)
{
	int master;
	double t0 = now_ms();
	pid_t pid = spawn_pty(argv, &master);
	if (pid < 0) {
		perror("bench_start: spawn");
		return 1;
	}
	struct visible v = {0};
	bool framed = pump(master, t0, 10000, true, &v) >= 0;
	pump(master, now_ms(), 1e3 * secs, false, &v);
	long rss = finish(pid, master);
	if (!framed || rss < 0) {
		fprintf(stderr, "bench_start: the live UI %s\n", framed ? "did not quit cleanly on q" : "drew no frame");
		return 1;
	}
	printf("live UI, %.0f s of scenario 1 at 80x24: peak RSS %.1f MB (target < 30 MB)\n", secs, rss / 1024.0);
	return 0;
}

static int bench_rss(char **argv)
{
	pid_t pid = fork();
	if (pid < 0) {
		perror("bench_start: fork");
		return 1;
	}
	if (pid == 0) {
		int null = open("/dev/null", O_WRONLY);
		if (null >= 0)
			dup2(null, 1);
		execvp(argv[0], argv);
		_exit(127);
	}
	struct rusage ru;
	int status;
	if (wait4(pid, &status, 0, &ru) != pid || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		fprintf(stderr, "bench_start: %s failed\n", argv[0]);
		return 1;
	}
	const char *last = argv[0];
	for (char **a = argv; *a; a++)
		last = *a;
	const char *base = strrchr(last, '/');
	printf("%-34s peak RSS %5.1f MB (target < 30 MB)\n", base ? base + 1 : last, ru.ru_maxrss / 1024.0);
	return 0;
}

static int usage(void)
{
	fprintf(stderr, "usage: bench_start frame RUNS CMD ARGS... | live SECONDS CMD ARGS... | rss CMD ARGS...\n");
	return 2;
}

int main(int argc, char **argv)
{
	signal(SIGPIPE, SIG_IGN);
	if (argc >= 4 && strcmp(argv[1], "frame") == 0) {
		int runs = atoi(argv[2]);
		if (runs < 1 || runs > MAX_RUNS)
			return usage();
		return bench_frame(runs, argv + 3);
	}
	if (argc >= 4 && strcmp(argv[1], "live") == 0) {
		double secs = atof(argv[2]);
		if (!(secs > 0))
			return usage();
		return bench_live(secs, argv + 3);
	}
	if (argc >= 3 && strcmp(argv[1], "rss") == 0)
		return bench_rss(argv + 2);
	return usage();
}
