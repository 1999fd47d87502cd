/* app.c: ui_run, the UI thread. Each frame it drains the trainer's records
 * into the history, redraws the panels whose data changed (panels.c), and
 * waits for a key or the frame tick; keys become actions (actions.c). Every
 * way out restores the terminal: q, Ctrl-C, SIGTERM, SIGHUP, a vanished
 * terminal, and exit() (atexit); SIGQUIT, SIGUSR1, SIGUSR2 and SIGALRM too,
 * before they take their default action. Every way out also ends the
 * process soon, whatever the trainer is doing: QUIT_DEADLINE after the
 * quit, or at once on a second SIGINT or SIGTERM. */
#include <errno.h>
#include <locale.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "overparam/run_loop.h"
#include "overparam/share.h"
#include "ui/app.h"

/* After app.h: terminfo's capability macros (lines, columns, ...) would
 * clash with the widgets' names. */
#include <term.h>

#define IO_ERRORS_FATAL 3
/* Seconds from a quit to the end of the process. The trainer gives up its
 * run within milliseconds (run_cancel); this is for one long library call
 * (a big LAPACK solve) that cannot look at the flag. */
#define QUIT_DEADLINE 0.7

static volatile sig_atomic_t got_signal;
static volatile sig_atomic_t leaving;   /* the loop is over: another signal ends it now */
static volatile sig_atomic_t screen_up; /* the screen is ours: a signal gives it back first */
static bool curses_on;

/* What endwin() would send and the modes it would restore, made ready when
 * the screen opens, so that a signal handler can give the terminal back
 * with write() and tcsetattr() alone (async-signal-safe). */
static char reset_seq[256];
static size_t reset_len;
static struct termios shell_modes;
static int tty_fd = -1;

/* Gives the terminal back from a signal handler: async-signal-safe. */
static void restore_terminal_now(void)
{
	if (!screen_up)
		return;
	screen_up = 0;
	if (write(STDOUT_FILENO, reset_seq, reset_len) < 0) {
		/* the terminal may be gone: nothing more to do */
	}
	if (tty_fd >= 0)
		tcsetattr(tty_fd, TCSANOW, &shell_modes);
}

/* SIGINT, SIGTERM, SIGHUP: the loop ends and the trainer gives up its run.
 * A second one, or one once the loop is over (the program seems to hang
 * after q), ends the process at once. */
static void on_signal(int sig)
{
	if (got_signal || leaving) {
		restore_terminal_now();
		_exit(128 + sig);
	}
	got_signal = sig;
	run_cancel();
}

/* SIGQUIT, SIGUSR1, SIGUSR2, SIGALRM: signals we have no use for, whose
 * default action ends the process without a word to the terminal. Give it
 * back, then let the default action happen: SA_RESETHAND has restored it,
 * and the raised signal is taken when this returns (a core dump for
 * SIGQUIT, where the limits allow one). */
static void on_fatal(int sig)
{
	restore_terminal_now();
	raise(sig);
}

/* tigetstr() gives NULL for an absent capability, (char *)-1 for a name
 * that is not a string one. */
static bool cap_ok(const char *cap)
{
	return cap && (intptr_t)cap != -1;
}

/* Appends a terminfo string to the reset sequence, less its padding
 * ("$<5>", which is for curses' output routine, not the terminal). */
static void reset_add(const char *cap)
{
	if (!cap_ok(cap))
		return;
	for (const char *p = cap; *p && reset_len < sizeof reset_seq - 1; p++) {
		const char *end = p[0] == '$' && p[1] == '<' ? strchr(p, '>') : NULL;
		if (end)
			p = end;
		else
			reset_seq[reset_len++] = *p;
	}
}

/* endwin()'s sequence: attributes off, the cursor to the bottom line and
 * visible, keypad mode off, the main screen back. */
static void reset_prepare(void)
{
	reset_len = 0;
	reset_add(tigetstr("sgr0"));
	const char *cup = tigetstr("cup");
	if (cap_ok(cup))
		reset_add(tiparm(cup, LINES - 1, 0));
	reset_add(tigetstr("cnorm"));
	reset_add(tigetstr("rmkx"));
	reset_add(tigetstr("rmcup"));
}

/* atexit: whatever ends the process, the shell gets its terminal back. */
static void restore_terminal(void)
{
	if (curses_on && !isendwin())
		endwin();
}

double app_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static void install_signals(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	/* No SA_RESTART: a signal cuts the wait for a key short. */
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	sa.sa_handler = on_fatal;
	sa.sa_flags = SA_RESETHAND;
	sigaction(SIGQUIT, &sa, NULL);
	sigaction(SIGUSR1, &sa, NULL);
	sigaction(SIGUSR2, &sa, NULL);
	sigaction(SIGALRM, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
}

/* The terminal is gone when its descriptor no longer is one. */
static bool terminal_gone(void)
{
	struct termios tio;
	return tcgetattr(STDIN_FILENO, &tio) != 0 && (errno == EIO || errno == EBADF || errno == ENOTTY || errno == ENXIO);
}

static int start_trainer(struct app *a, int initial)
{
	struct trainer_config cfg = {
		.scenarios = a->sc,
		.n_scenarios = a->n,
		.initial = initial,
		.start_paused = a->opt.start_paused,
		.pace_override = a->opt.pace_override,
		.ops = a->opt.ops,
	};
	/* The trainer (and the BLAS threads it starts) inherit a mask that
	 * keeps the terminal's signals for this thread, where curses and our
	 * handlers expect them. */
	sigset_t block, old;
	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGHUP);
	sigaddset(&block, SIGWINCH);
	sigaddset(&block, SIGTSTP);
	sigaddset(&block, SIGCONT);
	sigaddset(&block, SIGQUIT);
	sigaddset(&block, SIGUSR1);
	sigaddset(&block, SIGUSR2);
	sigaddset(&block, SIGALRM);
	pthread_sigmask(SIG_BLOCK, &block, &old);
	int rc = trainer_start(&a->tr, &cfg);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	return rc;
}

/* The UI's own copy of the scenarios and their run_descs. */
static int app_open(struct app *a, const struct scenario *scenarios, int n, int initial, const struct ui_options *opt)
{
	memset(a, 0, sizeof *a);
	history_init(&a->hist, true);
	a->own = malloc((size_t)n * sizeof *a->own);
	a->knob_sel = calloc((size_t)n, sizeof *a->knob_sel);
	a->desc = calloc((size_t)n, sizeof *a->desc);
	if (!a->own || !a->knob_sel || !a->desc)
		return -1;
	memcpy(a->own, scenarios, (size_t)n * sizeof *a->own);
	a->sc = a->own;
	a->n = n;
	if (keep_init(a) != 0)
		return -1;
	a->opt = *opt;
	if (a->opt.fps < 1 || a->opt.fps > 60)
		a->opt.fps = 20;
	a->show_text = true;
	a->zoom = -1;
	a->present = opt->present;
	a->cur = initial >= 0 && initial < n ? initial : 0;
	for (int i = 0; i < n; i++)
		experiment_describe(&a->sc[i], &a->desc[i]);
	return 0;
}

static void app_free(struct app *a)
{
	history_free(&a->hist);
	keep_free(a);
	ghost_free(&a->ghosts);
	free(a->desc);
	free(a->own);
	free(a->knob_sel);
}

/* ncurses (6.4 at least) flushes after every cursor move of an update
 * until the screen has once come back from endwin: a frame left as ten to
 * twenty small write()s, each a packet over SSH and a wake-up of the
 * terminal. One round trip through endwin, before anything is drawn, puts
 * it in the state where a whole frame leaves in one write. */
static void batch_output(void)
{
	doupdate();
	endwin();
	doupdate();
}

static bool screen_open(struct app *a, const struct ui_options *opt)
{
	tty_fd = isatty(STDOUT_FILENO) ? STDOUT_FILENO : isatty(STDIN_FILENO) ? STDIN_FILENO : -1;
	if (tty_fd >= 0 && tcgetattr(tty_fd, &shell_modes) != 0)
		tty_fd = -1;
	if (!initscr())
		return false;
	curses_on = true;
	reset_prepare();
	screen_up = 1;
	atexit(restore_terminal);
	cbreak();
	noecho();
	nonl();
	curs_set(0);
	set_escdelay(25);
	theme_init(&a->theme, opt->ascii, opt->no_color ? THEME_MONO : opt->theme, opt->thick);
	a->theme_bold = a->theme.bold;
	a->in = newwin(1, 1, 0, 0);
	keypad(a->in, TRUE);
	input_init(a);
	wtimeout(a->in, 1000 / a->opt.fps);
	wnoutrefresh(a->in); /* untouched from now on */
	batch_output();
	return true;
}

static void screen_close(struct app *a)
{
	help_close();
	notes_close();
	picker_close();
	panels_close(a);
	if (a->in)
		delwin(a->in);
	/* A terminal with no alternate screen (vt100, linux) keeps the last
	 * frame, and endwin leaves the cursor on its bottom line: clear that
	 * line, so the shell's prompt does not land in the middle of the keys. */
	move(LINES - 1, 0);
	clrtoeol();
	refresh();
	endwin();
	screen_up = 0;
	curses_on = false;
}

/* Frames and keys until a quit key, a signal or a lost terminal; returns
 * the exit status. */
static int app_loop(struct app *a)
{
	int io_errors = 0;
	double last_check = app_now();
	for (;;) {
		if (got_signal)
			return 0;
		panels_drain(a);
		if (a->opt.follow)
			follow_tick(a);
		if (input_frame_due(a))
			panels_draw(a);
		input_after_frame(a);
		wtimeout(a->in, input_wait_ms(a));
		errno = 0;
		double waited = app_now();
		int ch = wgetch(a->in);
		if (got_signal)
			return 0;
		if (ch != ERR) {
			io_errors = 0;
			if (!input_key(a, ch))
				return 0;
			continue;
		}
		if (!input_timeout(a))
			return 0;
		/* A timeout is the frame tick; EIO again and again means the
		 * terminal went away. */
		if (errno == EIO || errno == ENXIO || errno == EBADF) {
			if (++io_errors >= IO_ERRORS_FATAL)
				return 1;
		} else {
			io_errors = 0;
		}
		/* A hung-up terminal reads as end of file at once: an ERR well
		 * before the frame tick is checked now, not after a second of
		 * spinning. */
		double t = app_now();
		if (t - last_check >= 1.0 || t - waited < 0.5 / a->opt.fps) {
			last_check = t;
			if (terminal_gone())
				return 1;
		}
	}
}

int ui_run(const struct scenario *scenarios, int n, int initial, const struct ui_options *opt)
{
	if (n <= 0)
		return 1;
	static struct app app;
	struct app *a = &app;
	if (app_open(a, scenarios, n, initial, opt) != 0) {
		app_free(a);
		return 1;
	}
	char err[STORE_ERR_LEN];
	if (opt->compare_run > 0 &&
	    ghost_compare(&a->ghosts, opt->compare_store, opt->compare_run, scenarios, n, err, sizeof err) != 0) {
		fprintf(stderr, "%s\n", err);
		app_free(a);
		return 2;
	}
	setlocale(LC_ALL, "");
	install_signals();
	if (!screen_open(a, opt)) {
		fprintf(stderr, "overparam: cannot initialise the terminal\n");
		app_free(a);
		return 1;
	}
	if (start_trainer(a, a->cur) != 0) {
		endwin();
		screen_up = 0;
		curses_on = false;
		fprintf(stderr, "overparam: cannot start the training thread\n");
		app_free(a);
		return 1;
	}
	a->shown_state = trainer_state(a->tr);
	store_set_paused(share_store(), a->shown_state == TRAINER_PAUSED); /* --share: what followers mirror */
	a->shown_pace = trainer_pace(a->tr);
	a->pace_asked = -1;
	panels_show(a, a->cur);

	int status = app_loop(a);
	double quit_at = app_now();
	leaving = 1;
	run_cancel(); /* the trainer gives up its run while the screen closes */
	input_quit(a);
	screen_close(a);
	actions_export_quit(a); /* at most 0.3 s: an export in flight finishes or is removed */
	/* The last resort: a trainer stuck in one long library call does not
	 * keep the shell waiting. The terminal is restored; nothing else of
	 * ours needs an orderly end. */
	double left = QUIT_DEADLINE - (app_now() - quit_at);
	if (!trainer_stop_within(a->tr, left > 0 ? left : 0))
		_exit(status);
	panels_free(a);
	app_free(a);
	return status;
}
