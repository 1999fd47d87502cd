/* bench_tty.c: what the live UI costs a terminal and a core. Runs the real
 * binary on a pseudo-terminal of 80x24 (TERM=xterm-256color, LANG=C.UTF-8)
 * on scenario 1 at its default fps and pace, reads everything it writes for
 * T seconds, and reports the bytes per second after the first second (the
 * first full paint is reported apart) and the CPU time of the UI thread
 * (the main thread, /proc/<pid>/task/<pid>/stat) over the same window,
 * and the write() calls a second (/proc/<pid>/io syscw): each one is a
 * packet over SSH when the link is idle. The run store is off (--no-store),
 * so every write counted is the terminal's.
 *
 *   bench_tty [seconds [binary [scenario.ini ...]]]
 *
 * Uses posix_openpt and TIOCSCTTY, so it needs no -lutil. */
#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* The text of a /proc file into buf (len - 1 bytes at most); false when
 * it cannot be read (the process is gone). */
static bool read_proc(const char *path, char *buf, size_t len)
{
	FILE *f = fopen(path, "r");
	if (!f)
		return false;
	size_t n = fread(buf, 1, len - 1, f);
	fclose(f);
	buf[n] = 0;
	return true;
}

/* utime + stime from a stat file, in clock ticks; -1 when it is gone. */
static long stat_ticks(const char *path)
{
	char buf[1024];
	if (!read_proc(path, buf, sizeof buf))
		return -1;
	/* Fields after the command name, which may hold spaces: skip to ')'. */
	char *p = strrchr(buf, ')');
	unsigned long ut = 0, st = 0;
	/* state is field 3; utime and stime are 14 and 15 */
	if (!p || sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu", &ut, &st) != 2)
		return -1;
	return (long)(ut + st);
}

/* One thread's. */
static long thread_ticks(pid_t pid, pid_t tid)
{
	char path[64];
	snprintf(path, sizeof path, "/proc/%d/task/%d/stat", (int)pid, (int)tid);
	return stat_ticks(path);
}

/* The whole process (trainer included), for comparison. */
static long process_ticks(pid_t pid)
{
	char path[64];
	snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
	return stat_ticks(path);
}

/* write() calls the process has made; -1 if unknown. */
static long process_writes(pid_t pid)
{
	char path[64], buf[1024];
	snprintf(path, sizeof path, "/proc/%d/io", (int)pid);
	const char *p = read_proc(path, buf, sizeof buf) ? strstr(buf, "syscw: ") : NULL;
	return p ? strtol(p + 7, NULL, 10) : -1;
}

static pid_t spawn(int *master_out, const char *bin, char **scen, int nscen)
{
	int m = posix_openpt(O_RDWR | O_NOCTTY);
	if (m < 0 || grantpt(m) != 0 || unlockpt(m) != 0)
		return -1;
	const char *slave = ptsname(m);
	if (!slave)
		return -1;
	char slave_path[256];
	snprintf(slave_path, sizeof slave_path, "%s", slave);
	pid_t pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		setsid();
		int s = open(slave_path, O_RDWR);
		if (s < 0)
			_exit(127);
		ioctl(s, TIOCSCTTY, 0);
		struct winsize ws = {.ws_row = 24, .ws_col = 80};
		ioctl(s, TIOCSWINSZ, &ws);
		dup2(s, 0);
		dup2(s, 1);
		dup2(s, 2);
		if (s > 2)
			close(s);
		close(m);
		setenv("TERM", "xterm-256color", 1);
		setenv("LANG", "C.UTF-8", 1);
		unsetenv("LC_ALL");
		unsetenv("NO_COLOR");
		char **argv = calloc((size_t)nscen + 3, sizeof *argv);
		if (!argv)
			_exit(127);
		argv[0] = (char *)bin;
		argv[1] = "--no-store";
		for (int i = 0; i < nscen; i++)
			argv[2 + i] = scen[i];
		execv(bin, argv);
		_exit(127);
	}
	*master_out = m;
	return pid;
}

int main(int argc, char **argv)
{
	double seconds = argc > 1 ? atof(argv[1]) : 10;
	if (!(seconds >= 2))
		seconds = 2;
	const char *bin = argc > 2 ? argv[2] : "./overparam";
	glob_t g = {0};
	char **scen;
	int nscen;
	if (argc > 3) {
		scen = argv + 3;
		nscen = argc - 3;
	} else {
		if (glob("scenarios/*.ini", 0, NULL, &g) != 0) {
			fprintf(stderr, "bench_tty: no scenarios/*.ini here (run from the repository root)\n");
			return 2;
		}
		scen = g.gl_pathv;
		nscen = (int)g.gl_pathc;
	}
	if (access(bin, X_OK) != 0) {
		fprintf(stderr, "bench_tty: %s: %s (run make first)\n", bin, strerror(errno));
		return 2;
	}
	int m;
	pid_t pid = spawn(&m, bin, scen, nscen);
	if (pid < 0) {
		fprintf(stderr, "bench_tty: cannot start %s on a pty: %s\n", bin, strerror(errno));
		return 2;
	}
	long hz = sysconf(_SC_CLK_TCK);
	double t0 = now_s();
	long first_bytes = 0, bytes = 0;
	long ui0 = -1, proc0 = -1, ui1 = -1, proc1 = -1, w0 = -1, w1 = -1;
	bool warm = false;
	char buf[65536];
	for (;;) {
		double t = now_s() - t0;
		if (!warm && t >= 1.0) {
			warm = true;
			ui0 = thread_ticks(pid, pid);
			proc0 = process_ticks(pid);
			w0 = process_writes(pid);
		}
		if (t >= seconds)
			break;
		struct pollfd p = {.fd = m, .events = POLLIN};
		int r = poll(&p, 1, 50);
		if (r > 0) {
			ssize_t n = read(m, buf, sizeof buf);
			if (n <= 0)
				break; /* the program ended */
			if (warm)
				bytes += n;
			else
				first_bytes += n;
		}
	}
	double window = now_s() - t0 - 1.0;
	ui1 = thread_ticks(pid, pid);
	proc1 = process_ticks(pid);
	w1 = process_writes(pid);

	/* Quit as a user would, then make sure. */
	if (write(m, "q", 1) != 1)
		kill(pid, SIGTERM);
	int status = 0;
	for (int i = 0; i < 100; i++) {
		if (waitpid(pid, &status, WNOHANG) == pid)
			break;
		/* keep reading so the program never blocks on a full pty */
		struct pollfd p = {.fd = m, .events = POLLIN};
		if (poll(&p, 1, 20) > 0 && read(m, buf, sizeof buf) <= 0)
			(void)0;
		if (i == 99) {
			kill(pid, SIGKILL);
			waitpid(pid, &status, 0);
		}
	}
	close(m);
	globfree(&g);

	if (ui0 < 0 || ui1 < 0 || window <= 0) {
		fprintf(stderr, "bench_tty: the program ended early (status %d)\n", status);
		return 1;
	}
	printf("tty: %.0f bytes/s written at 80x24 (first second, the full paint: %ld bytes)\n", bytes / window,
	       first_bytes);
	if (w0 >= 0 && w1 >= w0)
		printf("tty: %.1f write() calls a second\n", (double)(w1 - w0) / window);
	printf("ui cpu: %.1f%% of a core (whole process, trainer included: %.0f%%)\n",
	       100.0 * (double)(ui1 - ui0) / (double)hz / window, 100.0 * (double)(proc1 - proc0) / (double)hz / window);
	return 0;
}
