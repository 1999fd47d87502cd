/* app.c: ui_run, the UI thread. Each frame it drains the trainer's records
 * into the history, marks the panels whose data changed, redraws only
 * those (wnoutrefresh, then one doupdate), and waits for a key or the frame
 * tick. Keys become trainer commands. Every way out restores the terminal:
 * q, Ctrl-C, SIGTERM, SIGHUP, a vanished terminal, and exit() (atexit). */
#include <errno.h>
#include <locale.h>
#include <math.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "overparam/trainer.h"
#include "overparam/ui.h"
#include "ui/widgets.h"

#define DRAIN_CHUNK 1024
#define DRAIN_FRAME_MAX (1u << 17) /* records a frame may take; the ring holds the rest */
#define MSG_SECONDS 8.0
#define IO_ERRORS_FATAL 3

static volatile sig_atomic_t got_signal;
static bool curses_on;

static void on_signal(int sig)
{
	got_signal = sig;
}

/* atexit: whatever ends the process, the shell gets its terminal back. */
static void restore_terminal(void)
{
	if (curses_on && !isendwin())
		endwin();
}

struct app {
	const struct scenario *sc; /* = own, read-only where knobs do not matter */
	struct scenario *own;      /* (n) the UI's copy: knobs change it (the trainer keeps another) */
	int *knob_sel;             /* (n) each scenario's selected knob */
	int n;
	struct run_desc *desc; /* (n) */
	struct ui_options opt;
	struct theme theme;
	struct trainer *tr;
	struct history hist;

	int cur;         /* scenario on screen */
	bool flip_log;   /* `y`: every line chart on the other axis kind */
	bool show_text;
	bool help;
	bool too_small;
	int need_w, need_h;

	struct layout lay;
	WINDOW *in;      /* 1x1, never drawn: wgetch on it refreshes nothing */
	WINDOW *hdr, *ftr;
	WINDOW *win[RUN_MAX_VIEWS];
	struct chart chart[RUN_MAX_VIEWS];
	struct bars bars[RUN_MAX_VIEWS];
	bool charts_live;
	bool dirty[RUN_MAX_VIEWS];
	bool hdr_dirty, ftr_dirty, all_dirty;

	enum trainer_state shown_state;
	double shown_pace;
	double pace_asked; /* last CMD_PACE sent, until the trainer shows it (< 0: none) */
	char msg[512];
	bool msg_bad;
	double msg_until;
};

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static const struct run_desc *cur_desc(const struct app *a)
{
	return &a->desc[a->cur];
}

/* ---- views of the current scenario ---- */

static void views_free(struct app *a)
{
	if (!a->charts_live)
		return;
	for (int v = 0; v < RUN_MAX_VIEWS; v++)
		chart_free(&a->chart[v]);
	a->charts_live = false;
}

static bool view_log(const struct app *a, const struct view_spec *v)
{
	return v->log_y != a->flip_log;
}

static void views_init(struct app *a)
{
	views_free(a);
	const struct run_desc *d = cur_desc(a);
	memset(a->chart, 0, sizeof a->chart);
	for (int v = 0; v < d->n_views && v < RUN_MAX_VIEWS; v++) {
		const struct view_spec *vs = &d->views[v];
		int curves = 0;
		for (int s = 0; s < d->n_series; s++)
			curves += (vs->series_mask >> s) & 1u;
		curves *= vs->n_metrics;
		/* Braille cells hold one colour: without colours, several curves
		 * are told apart by glyph instead. */
		bool glyphs = !a->theme.braille || (!a->theme.color && curves > 1);
		if (vs->kind == VIEW_LINES)
			chart_init(&a->chart[v], vs, d, view_log(a, vs), glyphs);
		bars_reset(&a->bars[v]);
	}
	a->charts_live = true;
}

/* A new run began (or the axis kind changed): charts forget their scales. */
static void views_reset(struct app *a)
{
	const struct run_desc *d = cur_desc(a);
	for (int v = 0; v < d->n_views && v < RUN_MAX_VIEWS; v++) {
		chart_reset(&a->chart[v], view_log(a, &d->views[v]));
		bars_reset(&a->bars[v]);
	}
	a->all_dirty = true;
	a->hdr_dirty = true;
}

/* ---- layout and windows ---- */

static void windows_free(struct app *a)
{
	for (int v = 0; v < RUN_MAX_VIEWS; v++)
		if (a->win[v]) {
			delwin(a->win[v]);
			a->win[v] = NULL;
		}
	if (a->hdr)
		delwin(a->hdr);
	if (a->ftr)
		delwin(a->ftr);
	a->hdr = a->ftr = NULL;
}

static void relayout(struct app *a)
{
	windows_free(a);
	const struct run_desc *d = cur_desc(a);
	const char *notes = a->sc[a->cur].notes;
	int rc = layout_compute(d, notes, COLS, LINES, a->show_text, &a->lay);
	if (rc != 0 && a->show_text)
		rc = layout_compute(d, notes, COLS, LINES, false, &a->lay); /* notes give way first */
	a->too_small = rc != 0;
	/* Only a new layout erases: this is the one full repaint. */
	werase(stdscr);
	wnoutrefresh(stdscr);
	if (a->too_small) {
		layout_min_size(d, notes, &a->need_w, &a->need_h);
		a->all_dirty = true;
		return;
	}
	a->hdr = newwin(LAYOUT_HEADER_ROWS, COLS, 0, 0);
	a->ftr = newwin(LAYOUT_FOOTER_ROWS, COLS, LINES - LAYOUT_FOOTER_ROWS, 0);
	for (int v = 0; v < d->n_views && v < RUN_MAX_VIEWS; v++) {
		struct rect r = a->lay.view[v];
		if (r.w > 0 && r.h > 0)
			a->win[v] = newwin(r.h, r.w, r.y, r.x);
	}
	a->all_dirty = a->hdr_dirty = a->ftr_dirty = true;
}

static void show_scenario(struct app *a, int idx)
{
	a->cur = idx;
	views_init(a);
	relayout(a);
}

/* ---- records ---- */

static bool view_uses(const struct view_spec *v, const struct op_record *r)
{
	enum metric m = (enum metric)r->metric;
	bool in_mask = r->series < 32 && ((v->series_mask >> r->series) & 1u);
	switch (v->kind) {
	case VIEW_LINES:
		if (!in_mask)
			return false;
		if (m == MET_DIVERGED)
			return true;
		for (int i = 0; i < v->n_metrics; i++)
			if (v->metrics[i] == m)
				return true;
		return false;
	case VIEW_BARS:
		if (m == MET_INTERP_LOSS || m == MET_BARRIER)
			return true;
		/* bars of any other grid metric (and its summary value) */
		for (int i = 0; i < v->n_metrics; i++)
			if (v->metrics[i] == m)
				return true;
		return false;
	case VIEW_SPLIT:
		if (m == MET_DIVERGED)
			return true;
		for (int i = 0; i < v->n_metrics; i++)
			if (v->metrics[i] == m)
				return true;
		return false;
	case VIEW_TABLE:
		if (!in_mask)
			return false;
		if (m == MET_DIVERGED)
			return true;
		for (int i = 0; i < v->n_cols; i++)
			if ((v->cols[i].format == CELL_LOSS || v->cols[i].format == CELL_EPOCH) && v->cols[i].metric == m)
				return true;
		return false;
	case VIEW_TEXT:
		return false;
	}
	return false;
}

static void take_record(struct app *a, const struct op_record *r)
{
	if (!history_add(&a->hist, r))
		return;
	if (r->metric == MET_START) {
		int s = a->hist.scenario;
		if (s >= 0 && s < a->n && s != a->cur)
			show_scenario(a, s); /* the trainer is elsewhere: follow it */
		else
			views_reset(a);
		return;
	}
	if (r->metric == MET_EPOCH || r->metric == MET_DONE) {
		a->hdr_dirty = true;
		return;
	}
	const struct run_desc *d = cur_desc(a);
	for (int v = 0; v < d->n_views && v < RUN_MAX_VIEWS; v++)
		if (view_uses(&d->views[v], r))
			a->dirty[v] = true;
}

static void drain(struct app *a)
{
	static struct op_record buf[DRAIN_CHUNK];
	uint32_t total = 0;
	for (;;) {
		uint32_t n = trainer_drain(a->tr, buf, DRAIN_CHUNK);
		for (uint32_t i = 0; i < n; i++)
			take_record(a, &buf[i]);
		total += n;
		if (n < DRAIN_CHUNK || total >= DRAIN_FRAME_MAX)
			break;
	}
}

/* ---- header and footer ---- */

static void set_msg(struct app *a, const char *text, bool bad)
{
	size_t n = strlen(text);
	if (n >= sizeof a->msg)
		n = sizeof a->msg - 1;
	memcpy(a->msg, text, n);
	a->msg[n] = 0;
	a->msg_bad = bad;
	a->msg_until = now_s() + MSG_SECONDS;
	a->hdr_dirty = true;
}

/* Width of tab i with its title cut to `cut` columns (0: the number only). */
static int tab_width(const struct app *a, int i, int cut)
{
	char num[8];
	int w = snprintf(num, sizeof num, "%d", i + 1);
	int tw = text_width(a->sc[i].title);
	if (cut > 0 && tw > 0)
		w += 1 + (tw < cut ? tw : cut);
	return w;
}

static void draw_tabs(struct app *a, int x, int right)
{
	WINDOW *w = a->hdr;
	int avail = right - x;
	int full = 0;
	for (int i = 0; i < a->n; i++) {
		int tw = text_width(a->sc[i].title);
		full = tw > full ? tw : full;
	}
	/* Cut the other titles first, the current one last. */
	int cut_other = full, cut_cur = full;
	bool arrows = true;
	for (;;) {
		int total = arrows ? 4 : 0;
		for (int i = 0; i < a->n; i++)
			total += tab_width(a, i, i == a->cur ? cut_cur : cut_other) + (i ? 3 : 0);
		if (total <= avail)
			break;
		if (cut_other > 0)
			cut_other = cut_other > 4 ? cut_other - 1 : 0;
		else if (arrows)
			arrows = false;
		else if (cut_cur > 0)
			cut_cur = cut_cur > 4 ? cut_cur - 1 : 0;
		else
			break;
	}
	attr_t dim = theme_attr(&a->theme, ROLE_DIM);
	if (arrows)
		x += text_put(w, 0, x, "< ", 2, dim);
	for (int i = 0; i < a->n && x < right; i++) {
		if (i)
			x += text_put(w, 0, x, " | ", right - x, dim);
		int cut = i == a->cur ? cut_cur : cut_other;
		attr_t at = theme_attr(&a->theme, i == a->cur ? ROLE_TAB_CUR : ROLE_TAB);
		char label[96];
		if (cut > 0)
			snprintf(label, sizeof label, "%d ", i + 1);
		else
			snprintf(label, sizeof label, "%d", i + 1);
		x += text_put(w, 0, x, label, right - x, at);
		if (cut > 0) {
			int tw = text_width(a->sc[i].title);
			x += text_put(w, 0, x, a->sc[i].title, tw < cut ? tw : cut, at);
		}
	}
	if (arrows && x + 2 <= right)
		text_put(w, 0, x, " >", 2, dim);
}

/* "lr 0.01", or "[lr 0.01]" for the selected knob. */
static void knob_label(const struct scenario *sc, int k, bool selected, char *buf, size_t len)
{
	const struct knob *kb = &sc->knobs[k];
	char v[40];
	scenario_knob_format(kb->values[kb->current], v, sizeof v);
	snprintf(buf, len, selected ? "[%s %s]" : "%s %s", kb->name, v);
}

static void pace_text(double pace, char *buf, size_t len)
{
	if (pace <= 0)
		snprintf(buf, len, "max");
	else if (pace >= 1)
		snprintf(buf, len, "%.0f ep/s", pace);
	else
		snprintf(buf, len, "%.1f ep/s", pace);
}

static void draw_header(struct app *a)
{
	WINDOW *w = a->hdr;
	int cols = getmaxx(w);
	werase(w);
	int x = 1;
	x += text_put(w, 0, x, "overparam", cols - x, theme_attr(&a->theme, ROLE_TITLE));
	draw_tabs(a, x + 2, cols - 1);

	enum trainer_state st = trainer_state(a->tr);
	const char *word = "running";
	enum ui_role role = ROLE_RUNNING;
	switch (st) {
	case TRAINER_RUNNING: break;
	case TRAINER_PAUSED: word = "paused"; role = ROLE_PAUSED; break;
	case TRAINER_DONE: word = "done"; role = ROLE_DONE; break;
	case TRAINER_DIVERGED: word = "diverged"; role = ROLE_BAD; break;
	case TRAINER_FAILED: word = "failed"; role = ROLE_BAD; break;
	}
	const char *help = "? help";
	int help_w = text_width(help);
	char failed[300] = "";
	if (st == TRAINER_FAILED)
		snprintf(failed, sizeof failed, ": %s", trainer_error(a->tr));
	char v[5][160], pace[32];
	pace_text(trainer_pace(a->tr), pace, sizeof pace);
	uint64_t seed = a->hist.scenario >= 0 ? a->hist.seed : a->sc[a->cur].seed;
	int planned = cur_desc(a)->planned_epochs;
	snprintf(v[0], sizeof v[0], "  epoch %u/%d  pace %s  seed %llu", a->hist.epoch, planned, pace,
		 (unsigned long long)seed);
	snprintf(v[1], sizeof v[1], "  epoch %u/%d  pace %s", a->hist.epoch, planned, pace);
	snprintf(v[2], sizeof v[2], "  %u/%d  %s", a->hist.epoch, planned, pace);
	/* The longest status that fits. Give way in this order: the seed,
	 * "? help" (the footer names it too), the knobs not selected (help
	 * comes back if that makes room), the words "epoch" and "pace", the
	 * selected knob. A message on show keeps
	 * room for its first 30 columns; an error message (a refused knob
	 * says why) first tries for all it needs, down to the bare counter. */
	const struct scenario *sc = &a->sc[a->cur];
	int sel = a->knob_sel[a->cur];
	int knobs_w[3] = {0, 0, 0}; /* none, the selected one, all */
	for (int k = 0; k < sc->n_knobs; k++) {
		char kt[64];
		knob_label(sc, k, k == sel, kt, sizeof kt);
		knobs_w[2] += 2 + text_width(kt);
		if (k == sel)
			knobs_w[1] = 2 + text_width(kt);
	}
	bool msg_on = a->msg[0] && now_s() < a->msg_until;
	int msg_w = msg_on ? 2 + text_width(a->msg) : 0;
	int msg_min = msg_on ? 2 + (text_width(a->msg) < 30 ? text_width(a->msg) : 30) : 0;
	snprintf(v[3], sizeof v[3], "  %u/%d", a->hist.epoch, planned);
	snprintf(v[4], sizeof v[4], "  ");
	static const struct {
		int pick, knobs;
		bool help, word;
	} cand[] = {
		{0, 2, true, true},  {1, 2, true, true},  {1, 2, false, true}, {1, 1, true, true},
		{1, 1, false, true}, {2, 1, false, true}, {2, 0, false, true}, /* the last for every message */
		{3, 1, false, true}, {3, 0, false, true}, {3, 0, false, false}, {4, 0, false, false},
	};
	int n_cand = (int)(sizeof cand / sizeof cand[0]), n_plain = 7;
	int head = 1 + text_width(word) + text_width(failed);
	int pick = 2, knobs = 0, right = cols - 1;
	bool show_help = false, show_word = true, fits = false;
	for (int pass = msg_on && a->msg_bad ? 0 : 1; pass < 2 && !fits; pass++) {
		for (int c = 0; c < (pass == 0 ? n_cand : n_plain) && !fits; c++) {
			pick = cand[c].pick;
			knobs = cand[c].knobs;
			show_help = cand[c].help;
			show_word = cand[c].word;
			right = show_help ? cols - 1 - help_w - 1 : cols - 1;
			int need = (show_word ? head : 0) + text_width(v[pick]) + knobs_w[knobs];
			fits = need + (pass == 0 ? msg_w : msg_min) <= right;
		}
	}
	x = 1;
	if (show_word) {
		x += text_put(w, 1, x, word, right - x, theme_attr(&a->theme, role));
		if (failed[0])
			x += text_put(w, 1, x, failed, right - x, theme_attr(&a->theme, ROLE_BAD));
		x += text_put(w, 1, x, v[pick], right - x, A_NORMAL);
	} else {
		x += text_put(w, 1, x, v[pick] + 2, right - x, A_NORMAL); /* the counter where the word was */
	}
	for (int k = 0; k < sc->n_knobs && knobs > 0; k++) {
		if (knobs == 1 && k != sel)
			continue;
		char kt[64];
		knob_label(sc, k, k == sel, kt, sizeof kt);
		x += 2;
		if (x < right)
			x += text_put(w, 1, x, kt, right - x, k == sel ? theme_attr(&a->theme, ROLE_KEY) : A_NORMAL);
	}
	if (msg_on && right - x > 6) {
		x += 2;
		text_put(w, 1, x, a->msg, right - x, theme_attr(&a->theme, a->msg_bad ? ROLE_BAD : ROLE_DONE));
	}
	if (show_help) {
		text_put(w, 1, cols - 1 - help_w, "?", 1, theme_attr(&a->theme, ROLE_KEY));
		text_put(w, 1, cols - help_w, help + 1, help_w - 1, A_NORMAL);
	}
}

static void draw_footer(struct app *a)
{
	WINDOW *w = a->ftr;
	int cols = getmaxx(w);
	werase(w);
	enum trainer_state st = trainer_state(a->tr);
	bool paused = st == TRAINER_PAUSED;
	const struct view_spec *first_line = NULL;
	for (int v = 0; v < cur_desc(a)->n_views; v++)
		if (cur_desc(a)->views[v].kind == VIEW_LINES) {
			first_line = &cur_desc(a)->views[v];
			break;
		}
	bool log_now = first_line ? view_log(a, first_line) : true;
	struct {
		const char *key, *what;
		int prio; /* lower goes first when room is short */
	} items[] = {
		{a->theme.unicode_glyphs ? "\u2190/\u2192" : "<-/->", "scenario", 9}, {"space", paused ? "run" : "pause", 10}, {".", "step", 7},
		{"r", "restart", 6},      {"+/-", "pace", 8},                      {"y", log_now ? "linear" : "log", 5},
		{"i", "why", 3},          {"e", "csv", 2},                          {"?", "help", 11},
		{"q", "quit", 12},
	};
	int n = (int)(sizeof items / sizeof items[0]);
	bool keep[16];
	for (int i = 0; i < n; i++)
		keep[i] = true;
	for (int floor_prio = 0;; floor_prio++) {
		int total = 1;
		for (int i = 0; i < n; i++)
			if (keep[i])
				total += text_width(items[i].key) + 1 + text_width(items[i].what) + 2;
		if (total <= cols || floor_prio > 12)
			break;
		for (int i = 0; i < n; i++)
			if (items[i].prio == floor_prio)
				keep[i] = false;
	}
	int x = 1;
	attr_t ka = theme_attr(&a->theme, ROLE_KEY);
	for (int i = 0; i < n && x < cols; i++) {
		if (!keep[i])
			continue;
		x += text_put(w, 0, x, items[i].key, cols - x, ka);
		x += 1;
		x += text_put(w, 0, x, items[i].what, cols - x, A_NORMAL);
		x += 2;
	}
}

/* ---- drawing a frame ---- */

static void draw_too_small(struct app *a)
{
	werase(stdscr);
	char buf[96];
	snprintf(buf, sizeof buf, "Terminal too small: need %dx%d, have %dx%d", a->need_w, a->need_h, COLS, LINES);
	int bw = text_width(buf);
	if (bw > COLS) {
		snprintf(buf, sizeof buf, "need %dx%d, have %dx%d", a->need_w, a->need_h, COLS, LINES);
		bw = text_width(buf);
	}
	int x = bw < COLS ? (COLS - bw) / 2 : 0;
	text_put(stdscr, LINES / 2, x, buf, COLS, theme_attr(&a->theme, ROLE_TITLE));
	wnoutrefresh(stdscr);
}

static void draw_frame(struct app *a)
{
	bool any = false;
	if (a->too_small) {
		if (a->all_dirty) {
			draw_too_small(a);
			any = true;
		}
		a->all_dirty = a->hdr_dirty = a->ftr_dirty = false;
		memset(a->dirty, 0, sizeof a->dirty);
		if (any)
			doupdate();
		return;
	}
	enum trainer_state st = trainer_state(a->tr);
	double pace = trainer_pace(a->tr);
	if (st != a->shown_state || pace != a->shown_pace) {
		a->shown_state = st;
		a->shown_pace = pace;
		a->hdr_dirty = a->ftr_dirty = true;
	}
	if (a->msg[0] && now_s() >= a->msg_until) {
		a->msg[0] = 0;
		a->hdr_dirty = true;
	}
	if (a->hdr_dirty || a->all_dirty) {
		draw_header(a);
		wnoutrefresh(a->hdr);
		any = true;
	}
	if (a->ftr_dirty || a->all_dirty) {
		draw_footer(a);
		wnoutrefresh(a->ftr);
		any = true;
	}
	const struct run_desc *d = cur_desc(a);
	const struct scenario *sc = &a->sc[a->cur];
	for (int v = 0; v < d->n_views && v < RUN_MAX_VIEWS; v++) {
		WINDOW *w = a->win[v];
		if (!w || !(a->dirty[v] || a->all_dirty))
			continue;
		const struct view_spec *vs = &d->views[v];
		switch (vs->kind) {
		case VIEW_LINES:
			/* Points that land inside a column's min..max change nothing. */
			if (!chart_update(&a->chart[v], &a->hist) && !a->all_dirty)
				continue;
			chart_draw(w, &a->chart[v], &a->hist, &a->theme);
			break;
		case VIEW_BARS:
			bars_draw(w, &a->bars[v], vs, d, &a->hist, &a->theme);
			break;
		case VIEW_SPLIT:
			split_draw(w, vs, d, &a->hist, &a->theme);
			break;
		case VIEW_TABLE:
			table_draw(w, vs, d, &a->hist, &a->theme);
			break;
		case VIEW_TEXT:
			text_draw(w, vs->title, sc->notes[0] ? sc->notes : sc->summary, &a->theme);
			break;
		}
		wnoutrefresh(w);
		any = true;
	}
	if (a->help && (any || a->all_dirty)) {
		help_touch();
		any = true;
	}
	a->all_dirty = a->hdr_dirty = a->ftr_dirty = false;
	memset(a->dirty, 0, sizeof a->dirty);
	if (any)
		doupdate();
}

/* ---- keys ---- */

static bool send(struct app *a, enum command_kind k, int arg, double value)
{
	struct op_command c = {.kind = (uint32_t)k, .arg = arg, .value = value};
	if (trainer_command(a->tr, c))
		return true;
	set_msg(a, "trainer busy: key dropped", true);
	return false;
}

/* The generation the trainer's next run will have: one past the newest the
 * UI has seen or the trainer has started (its start may still be in the
 * ring). Switch and restart each start exactly one run. */
static uint32_t next_generation(struct app *a)
{
	uint32_t mine = a->hist.generation + 1, theirs = trainer_generation(a->tr) + 1;
	return (int32_t)(theirs - mine) > 0 ? theirs : mine;
}

static void switch_to(struct app *a, int idx)
{
	if (idx < 0 || idx >= a->n || idx == a->cur)
		return;
	/* Read before sending: once the trainer acts, its count moves on. */
	uint32_t gen = next_generation(a);
	if (!send(a, CMD_SWITCH, idx, 0))
		return;
	a->pace_asked = -1;
	/* Records of the old run still in the ring are dropped from here on. */
	history_reset(&a->hist, gen);
	show_scenario(a, idx);
}

static void restart(struct app *a, bool new_seed)
{
	uint32_t gen = next_generation(a);
	if (!send(a, CMD_RESTART, new_seed ? 1 : 0, 0))
		return;
	history_reset(&a->hist, gen);
	views_reset(a);
}

static const double pace_ladder[] = {1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000};
#define LADDER_N ((int)(sizeof pace_ladder / sizeof pace_ladder[0]))

static void pace_step(struct app *a, int dir)
{
	/* Keys pressed faster than the trainer answers step from what was
	 * asked, not from the pace it still shows. */
	double p = trainer_pace(a->tr);
	if (a->pace_asked >= 0 && p != a->pace_asked)
		p = a->pace_asked;
	double next;
	if (dir > 0) {
		if (p <= 0)
			return; /* already max */
		next = 0;
		for (int i = 0; i < LADDER_N; i++)
			if (pace_ladder[i] > p * (1 + 1e-9)) {
				next = pace_ladder[i];
				break;
			}
	} else {
		if (p <= 0) {
			next = pace_ladder[LADDER_N - 1];
		} else {
			next = p;
			for (int i = LADDER_N - 1; i >= 0; i--)
				if (pace_ladder[i] < p * (1 - 1e-9)) {
					next = pace_ladder[i];
					break;
				}
		}
	}
	if (next != p && send(a, CMD_PACE, 0, next)) {
		a->pace_asked = next;
		a->hdr_dirty = true;
	}
}

static void knob_select(struct app *a, int dir)
{
	const struct scenario *sc = &a->sc[a->cur];
	if (sc->n_knobs == 0) {
		set_msg(a, "this scenario has no knobs ([knobs] in its file)", false);
		return;
	}
	int k = (a->knob_sel[a->cur] + dir + sc->n_knobs) % sc->n_knobs;
	a->knob_sel[a->cur] = k;
	const struct knob *kb = &sc->knobs[k];
	char lo[40], hi[40], msg[160];
	scenario_knob_format(kb->values[0], lo, sizeof lo);
	scenario_knob_format(kb->values[kb->n_values - 1], hi, sizeof hi);
	snprintf(msg, sizeof msg, "%s: %s, %s .. %s", kb->name, kb->target, lo, hi);
	set_msg(a, msg, false);
}

/* One step of the selected knob. The UI's copy takes the change first: a
 * refused value never reaches the trainer, which applies the same change to
 * its own copy and restarts (same seed). */
static void knob_turn(struct app *a, int dir)
{
	struct scenario *sc = &a->own[a->cur];
	if (sc->n_knobs == 0) {
		set_msg(a, "this scenario has no knobs ([knobs] in its file)", false);
		return;
	}
	int k = a->knob_sel[a->cur];
	const struct knob *kb = &sc->knobs[k];
	int to = kb->current + dir;
	char msg[SCENARIO_ERR_LEN];
	if (to < 0 || to >= kb->n_values) {
		char v[40];
		scenario_knob_format(kb->values[kb->current], v, sizeof v);
		snprintf(msg, sizeof msg, "%s is at its %s value (%s)", kb->name, dir < 0 ? "lowest" : "highest", v);
		set_msg(a, msg, false);
		return;
	}
	double value = kb->values[to];
	static struct scenario next; /* large; the UI thread only */
	next = *sc;
	if (scenario_apply_knob(&next, k, value, msg, sizeof msg) != 0) {
		set_msg(a, msg, true);
		return;
	}
	uint32_t gen = next_generation(a);
	if (!send(a, CMD_KNOB, k, value))
		return;
	*sc = next;
	experiment_describe(sc, &a->desc[a->cur]);
	history_reset(&a->hist, gen);
	a->msg[0] = 0;
	show_scenario(a, a->cur); /* the run_desc may differ: labels, params, panels */
}

static void touch_all(struct app *a)
{
	touchwin(stdscr);
	wnoutrefresh(stdscr);
	a->all_dirty = true;
}

/* Returns false when the key asks to quit. */
static bool handle_key(struct app *a, int ch)
{
	if (a->help) {
		/* Any key closes the help and does nothing else. */
		a->help = false;
		help_close();
		touch_all(a);
		if (ch != KEY_RESIZE)
			return true;
	}
	switch (ch) {
	case 'q':
	case 'Q':
	case 3: /* Ctrl-C arriving as a key (raw terminals) */
		return false;
	case KEY_RESIZE:
		relayout(a);
		break;
	case KEY_LEFT:
	case KEY_BTAB:
		switch_to(a, (a->cur + a->n - 1) % a->n);
		break;
	case KEY_RIGHT:
	case '\t':
		switch_to(a, (a->cur + 1) % a->n);
		break;
	case ' ':
		send(a, CMD_PAUSE, 0, 0);
		break;
	case '.':
		send(a, CMD_STEP, 0, 0);
		break;
	case 'r':
		restart(a, false);
		break;
	case 'R':
		restart(a, true);
		break;
	case '+':
	case '=':
		pace_step(a, +1);
		break;
	case '-':
	case '_':
		pace_step(a, -1);
		break;
	case '[':
		knob_select(a, -1);
		break;
	case ']':
		knob_select(a, +1);
		break;
	case '<':
	case ',': /* unshifted '<' ('.' is step, so '>' has no twin) */
		knob_turn(a, -1);
		break;
	case '>':
		knob_turn(a, +1);
		break;
	case 'y':
		a->flip_log = !a->flip_log;
		views_reset(a);
		a->ftr_dirty = true;
		break;
	case 'i':
		a->show_text = !a->show_text;
		relayout(a);
		break;
	case 'e': {
		char msg[600];
		int rc = export_csv(a->opt.export_dir, &a->sc[a->cur], cur_desc(a), &a->hist, msg, sizeof msg);
		set_msg(a, msg, rc != 0);
		break;
	}
	case '?':
		if (!a->too_small) {
			a->help = true;
			help_draw_knobs(&a->theme, &a->sc[a->cur]);
			doupdate();
		}
		break;
	case 12: /* Ctrl-L */
		clearok(curscr, TRUE);
		touch_all(a);
		break;
	default:
		if (ch >= '1' && ch <= '9')
			switch_to(a, ch - '1');
		break;
	}
	return true;
}

/* ---- setup and the loop ---- */

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
	pthread_sigmask(SIG_BLOCK, &block, &old);
	int rc = trainer_start(&a->tr, &cfg);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	return rc;
}

int ui_run(const struct scenario *scenarios, int n, int initial, const struct ui_options *opt)
{
	if (n <= 0)
		return 1;
	static struct app app;
	struct app *a = &app;
	memset(a, 0, sizeof *a);
	a->own = malloc((size_t)n * sizeof *a->own);
	a->knob_sel = calloc((size_t)n, sizeof *a->knob_sel);
	if (!a->own || !a->knob_sel) {
		free(a->own);
		free(a->knob_sel);
		return 1;
	}
	memcpy(a->own, scenarios, (size_t)n * sizeof *a->own);
	a->sc = a->own;
	a->n = n;
	a->opt = *opt;
	if (a->opt.fps < 1 || a->opt.fps > 60)
		a->opt.fps = 20;
	a->show_text = true;
	a->cur = initial >= 0 && initial < n ? initial : 0;
	a->desc = calloc((size_t)n, sizeof *a->desc);
	if (!a->desc) {
		free(a->own);
		free(a->knob_sel);
		return 1;
	}
	for (int i = 0; i < n; i++)
		experiment_describe(&a->sc[i], &a->desc[i]);
	history_init(&a->hist, true);

	setlocale(LC_ALL, "");
	install_signals();
	if (!initscr()) {
		fprintf(stderr, "overparam: cannot initialise the terminal\n");
		free(a->desc);
		free(a->own);
		free(a->knob_sel);
		return 1;
	}
	curses_on = true;
	atexit(restore_terminal);
	cbreak();
	noecho();
	nonl();
	curs_set(0);
	set_escdelay(25);
	theme_init(&a->theme, opt->ascii, opt->no_color);
	a->in = newwin(1, 1, 0, 0);
	keypad(a->in, TRUE);
	wtimeout(a->in, 1000 / a->opt.fps);
	wnoutrefresh(a->in); /* untouched from now on */

	if (start_trainer(a, a->cur) != 0) {
		endwin();
		curses_on = false;
		fprintf(stderr, "overparam: cannot start the training thread\n");
		history_free(&a->hist);
		free(a->desc);
		free(a->own);
		free(a->knob_sel);
		return 1;
	}
	a->shown_state = trainer_state(a->tr);
	a->shown_pace = trainer_pace(a->tr);
	a->pace_asked = -1;
	show_scenario(a, a->cur);

	int status = 0, io_errors = 0;
	double last_check = now_s();
	for (;;) {
		if (got_signal)
			break;
		drain(a);
		draw_frame(a);
		errno = 0;
		double waited = now_s();
		int ch = wgetch(a->in);
		if (got_signal)
			break;
		if (ch == ERR) {
			/* A timeout is the frame tick; EIO again and again means
			 * the terminal went away. */
			if (errno == EIO || errno == ENXIO || errno == EBADF) {
				if (++io_errors >= IO_ERRORS_FATAL) {
					status = 1;
					break;
				}
			} else {
				io_errors = 0;
			}
			/* A hung-up terminal reads as end of file at once: an ERR
			 * well before the frame tick is checked now, not after a
			 * second of spinning. */
			double t = now_s();
			if (t - last_check >= 1.0 || t - waited < 0.5 / a->opt.fps) {
				last_check = t;
				if (terminal_gone()) {
					status = 1;
					break;
				}
			}
			continue;
		}
		io_errors = 0;
		if (!handle_key(a, ch))
			break;
	}

	help_close();
	windows_free(a);
	if (a->in)
		delwin(a->in);
	/* A terminal with no alternate screen (vt100, linux) keeps the last
	 * frame, and endwin leaves the cursor on its bottom line: clear that
	 * line, so the shell's prompt does not land in the middle of the keys. */
	move(LINES - 1, 0);
	clrtoeol();
	refresh();
	endwin();
	curses_on = false;
	trainer_stop(a->tr);
	views_free(a);
	history_free(&a->hist);
	free(a->desc);
	free(a->own);
	free(a->knob_sel);
	return status;
}
