/* pty_vanish.c: a terminal that vanishes under a running program, as when
 * an SSH link drops. Used by tests/e2e_faults.sh (compiled there with cc).
 *
 *   pty_vanish [--ctty] DRAW_SECONDS TIMEOUT_SECONDS PROGRAM [ARG ...]
 *
 * Runs PROGRAM on a fresh pseudo-terminal (80x24), reads what it draws for
 * DRAW_SECONDS, then closes the master side. Without --ctty the terminal is
 * not the program's controlling terminal, so no SIGHUP comes: the program
 * only sees reads and writes fail, which is what it must notice by itself.
 * With --ctty the kernel also sends SIGHUP, the usual case.
 *
 * Prints one line, "drew B bytes; exited after S s with status X; CPU after
 * close C s", and exits 0 when the program ended within TIMEOUT_SECONDS of
 * the close (it is killed otherwise, and we exit 1). */
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
#include <sys/types.h>
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

/* CPU seconds the process has used so far, from /proc (-1 if gone). */
static double cpu_of(pid_t pid)
{
	char path[64], buf[1024];
	snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
	FILE *f = fopen(path, "r");
	if (!f)
		return -1;
	size_t n = fread(buf, 1, sizeof buf - 1, f);
	fclose(f);
	buf[n] = '\0';
	/* Fields after the command name (which may hold spaces) start at
	 * the last ')'; utime and stime are fields 14 and 15. */
	const char *p = strrchr(buf, ')');
	if (!p)
		return -1;
	unsigned long ut = 0, st = 0;
	if (sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu", &ut, &st) != 2)
		return -1;
	return (double)(ut + st) / (double)sysconf(_SC_CLK_TCK);
}

int main(int argc, char **argv)
{
	bool ctty = false;
	int a = 1;
	if (a < argc && strcmp(argv[a], "--ctty") == 0) {
		ctty = true;
		a++;
	}
	if (argc - a < 3) {
		fprintf(stderr, "usage: %s [--ctty] DRAW_SECONDS TIMEOUT_SECONDS PROGRAM [ARG ...]\n", argv[0]);
		return 2;
	}
	double draw = atof(argv[a]), timeout = atof(argv[a + 1]);
	char **prog = argv + a + 2;

	int master = posix_openpt(O_RDWR | O_NOCTTY);
	if (master < 0 || grantpt(master) != 0 || unlockpt(master) != 0) {
		perror("posix_openpt");
		return 2;
	}
	const char *slave_name = ptsname(master);
	if (!slave_name) {
		perror("ptsname");
		return 2;
	}
	char slave_path[256];
	snprintf(slave_path, sizeof slave_path, "%s", slave_name);

	pid_t pid = fork();
	if (pid < 0) {
		perror("fork");
		return 2;
	}
	if (pid == 0) {
		setsid();
		int fd = open(slave_path, O_RDWR | (ctty ? 0 : O_NOCTTY));
		if (fd < 0)
			_exit(126);
		struct winsize ws = {.ws_row = 24, .ws_col = 80};
		ioctl(fd, TIOCSWINSZ, &ws);
		dup2(fd, STDIN_FILENO);
		dup2(fd, STDOUT_FILENO);
		if (fd > STDERR_FILENO)
			close(fd);
		close(master);
		execvp(prog[0], prog);
		_exit(127);
	}

	/* Read what it draws, so its writes do not block on a full pty. */
	long drawn = 0;
	double t0 = now_s();
	char buf[4096];
	while (now_s() - t0 < draw) {
		struct pollfd p = {.fd = master, .events = POLLIN};
		if (poll(&p, 1, 50) > 0) {
			ssize_t n = read(master, buf, sizeof buf);
			if (n > 0)
				drawn += n;
			else if (n < 0 && errno != EINTR && errno != EAGAIN)
				break;
		}
	}

	double cpu0 = cpu_of(pid);
	close(master); /* the link drops */
	double t_close = now_s();
	int status = 0;
	bool ended = false;
	struct rusage ru;
	while (now_s() - t_close < timeout) {
		pid_t r = wait4(pid, &status, WNOHANG, &ru);
		if (r == pid) {
			ended = true;
			break;
		}
		usleep(20000);
	}
	double took = now_s() - t_close;
	if (!ended) {
		double cpu1 = cpu_of(pid);
		kill(pid, SIGKILL);
		waitpid(pid, &status, 0);
		printf("drew %ld bytes; still running %.2f s after the close, CPU after close %.2f s: killed\n", drawn, took,
		       cpu1 - cpu0);
		return 1;
	}
	double cpu_total = (double)ru.ru_utime.tv_sec + 1e-6 * (double)ru.ru_utime.tv_usec +
			   (double)ru.ru_stime.tv_sec + 1e-6 * (double)ru.ru_stime.tv_usec;
	char how[64];
	if (WIFEXITED(status))
		snprintf(how, sizeof how, "status %d", WEXITSTATUS(status));
	else if (WIFSIGNALED(status))
		snprintf(how, sizeof how, "signal %d", WTERMSIG(status));
	else
		snprintf(how, sizeof how, "wait status %d", status);
	printf("drew %ld bytes; exited after %.2f s with %s; CPU after close %.2f s\n", drawn, took, how,
	       cpu0 >= 0 ? cpu_total - cpu0 : -1.0);
	return 0;
}
