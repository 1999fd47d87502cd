/* status.c: the header (the program, the scenario tabs, the run's state,
 * its counters, the knobs and a message) and the footer (the keys, from
 * keys.c's table). Both give way column by column on a narrow screen. */
#include <stdio.h>
#include <string.h>

#include "ui/app.h"
#include "ui/keymap.h"

#define MSG_SECONDS 8.0

void status_msg(struct app *a, const char *text, bool bad)
{
	size_t n = strlen(text);
	if (n >= sizeof a->msg)
		n = sizeof a->msg - 1;
	memcpy(a->msg, text, n);
	a->msg[n] = 0;
	a->msg_bad = bad;
	a->msg_until = app_now() + MSG_SECONDS;
	a->hdr_dirty = true;
}

/* ---- the tabs ---- */

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

/* ---- the status line ---- */

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

#define HELP_HINT "? help"

/* The status line's parts, each in the forms it can shrink to, and the
 * forms chosen for the screen's width. */
struct status_line {
	const char *word;   /* "running", "paused", ... */
	enum ui_role role;
	char failed[300];   /* ": why", when the trainer failed */
	char counter[5][160]; /* the epoch, pace and seed, longest first */
	int knobs_w[3];     /* columns of no knob, the selected one, all */
	bool msg_on;
	int msg_w, msg_min; /* the message's columns, and the least it keeps */
	/* chosen */
	int pick, knobs, right;
	bool show_help, show_word;
};

static void state_word(enum trainer_state st, struct status_line *s)
{
	s->word = "running";
	s->role = ROLE_RUNNING;
	switch (st) {
	case TRAINER_RUNNING: break;
	case TRAINER_PAUSED: s->word = "paused"; s->role = ROLE_PAUSED; break;
	case TRAINER_DONE: s->word = "done"; s->role = ROLE_DONE; break;
	case TRAINER_DIVERGED: s->word = "diverged"; s->role = ROLE_BAD; break;
	case TRAINER_FAILED: s->word = "failed"; s->role = ROLE_BAD; break;
	}
}

static void status_parts(struct app *a, struct status_line *s)
{
	enum trainer_state st = app_state(a);
	state_word(st, s);
	s->failed[0] = 0;
	if (st == TRAINER_FAILED)
		snprintf(s->failed, sizeof s->failed, ": %s", trainer_error(a->tr));
	char pace[32];
	pace_text(trainer_pace(a->tr), pace, sizeof pace);
	uint64_t seed = a->hist.scenario >= 0 ? a->hist.seed : a->sc[a->cur].seed;
	int planned = app_desc(a)->planned_epochs;
	unsigned ep = a->hist.epoch;
	snprintf(s->counter[0], sizeof s->counter[0], "  epoch %u/%d  pace %s  seed %llu", ep, planned, pace,
		 (unsigned long long)seed);
	snprintf(s->counter[1], sizeof s->counter[1], "  epoch %u/%d  pace %s", ep, planned, pace);
	snprintf(s->counter[2], sizeof s->counter[2], "  %u/%d  %s", ep, planned, pace);
	snprintf(s->counter[3], sizeof s->counter[3], "  %u/%d", ep, planned);
	snprintf(s->counter[4], sizeof s->counter[4], "  ");
	const struct scenario *sc = &a->sc[a->cur];
	int sel = a->knob_sel[a->cur];
	memset(s->knobs_w, 0, sizeof s->knobs_w);
	for (int k = 0; k < sc->n_knobs; k++) {
		char kt[64];
		knob_label(sc, k, k == sel, kt, sizeof kt);
		s->knobs_w[2] += 2 + text_width(kt);
		if (k == sel)
			s->knobs_w[1] = 2 + text_width(kt);
	}
	s->msg_on = a->msg[0] && app_now() < a->msg_until;
	int mw = text_width(a->msg);
	s->msg_w = s->msg_on ? 2 + mw : 0;
	s->msg_min = s->msg_on ? 2 + (mw < 30 ? mw : 30) : 0;
}

/* The longest status that fits. Give way in this order: the seed, "? help"
 * (the footer names it too), the knobs not selected (help comes back if
 * that makes room), the words "epoch" and "pace", the selected knob. A
 * message on show keeps room for its first 30 columns; an error message
 * (a refused knob says why) first tries for all it needs, down to the bare
 * counter. */
static void status_fit(struct status_line *s, int cols, bool msg_bad)
{
	static const struct {
		int pick, knobs;
		bool help, word;
	} cand[] = {
		{0, 2, true, true},  {1, 2, true, true},  {1, 2, false, true}, {1, 1, true, true},
		{1, 1, false, true}, {2, 1, false, true}, {2, 0, false, true}, /* the last for every message */
		{3, 1, false, true}, {3, 0, false, true}, {3, 0, false, false}, {4, 0, false, false},
	};
	int n_cand = (int)(sizeof cand / sizeof cand[0]), n_plain = 7;
	int help_w = text_width(HELP_HINT);
	int head = 1 + text_width(s->word) + text_width(s->failed);
	s->pick = 2;
	s->knobs = 0;
	s->right = cols - 1;
	s->show_help = false;
	s->show_word = true;
	bool fits = false;
	for (int pass = s->msg_on && msg_bad ? 0 : 1; pass < 2 && !fits; pass++) {
		for (int c = 0; c < (pass == 0 ? n_cand : n_plain) && !fits; c++) {
			s->pick = cand[c].pick;
			s->knobs = cand[c].knobs;
			s->show_help = cand[c].help;
			s->show_word = cand[c].word;
			s->right = s->show_help ? cols - 1 - help_w - 1 : cols - 1;
			int need = (s->show_word ? head : 0) + text_width(s->counter[s->pick]) + s->knobs_w[s->knobs];
			fits = need + (pass == 0 ? s->msg_w : s->msg_min) <= s->right;
		}
	}
}

static void status_put(struct app *a, const struct status_line *s, int cols)
{
	WINDOW *w = a->hdr;
	int x = 1, right = s->right;
	if (s->show_word) {
		x += text_put(w, 1, x, s->word, right - x, theme_attr(&a->theme, s->role));
		if (s->failed[0])
			x += text_put(w, 1, x, s->failed, right - x, theme_attr(&a->theme, ROLE_BAD));
		x += text_put(w, 1, x, s->counter[s->pick], right - x, A_NORMAL);
	} else {
		x += text_put(w, 1, x, s->counter[s->pick] + 2, right - x, A_NORMAL); /* the counter where the word was */
	}
	const struct scenario *sc = &a->sc[a->cur];
	int sel = a->knob_sel[a->cur];
	for (int k = 0; k < sc->n_knobs && s->knobs > 0; k++) {
		if (s->knobs == 1 && k != sel)
			continue;
		char kt[64];
		knob_label(sc, k, k == sel, kt, sizeof kt);
		x += 2;
		if (x < right)
			x += text_put(w, 1, x, kt, right - x, k == sel ? theme_attr(&a->theme, ROLE_KEY) : A_NORMAL);
	}
	if (s->msg_on && right - x > 6) {
		x += 2;
		text_put(w, 1, x, a->msg, right - x, theme_attr(&a->theme, a->msg_bad ? ROLE_BAD : ROLE_DONE));
	}
	if (s->show_help) {
		int help_w = text_width(HELP_HINT);
		text_put(w, 1, cols - 1 - help_w, "?", 1, theme_attr(&a->theme, ROLE_KEY));
		text_put(w, 1, cols - help_w, HELP_HINT + 1, help_w - 1, A_NORMAL);
	}
}

void status_draw_header(struct app *a)
{
	WINDOW *w = a->hdr;
	int cols = getmaxx(w);
	werase(w);
	int x = 1;
	x += text_put(w, 0, x, "overparam", cols - x, theme_attr(&a->theme, ROLE_TITLE));
	draw_tabs(a, x + 2, cols - 1);
	struct status_line s;
	status_parts(a, &s);
	status_fit(&s, cols, a->msg_bad);
	status_put(a, &s, cols);
}

/* ---- the footer ---- */

/* Whether a key's footer label is its "on" form now. */
static bool footer_on(const struct app *a, enum ui_action act)
{
	if (act == ACT_PAUSE)
		return trainer_state(a->tr) == TRAINER_PAUSED;
	if (act != ACT_LOG)
		return false;
	/* the axis kind of the first line chart (log when there is none) */
	const struct run_desc *d = app_desc(a);
	for (int v = 0; v < d->n_views; v++)
		if (d->views[v].kind == VIEW_LINES)
			return panels_log(a, &d->views[v]);
	return true;
}

static const char *footer_key(const struct app *a, const struct ui_key *k)
{
	return a->theme.unicode_glyphs || !k->footer_key_ascii ? k->footer_key : k->footer_key_ascii;
}

static const char *footer_what(const struct app *a, const struct ui_key *k)
{
	return k->footer_what_on && footer_on(a, k->action) ? k->footer_what_on : k->footer_what;
}

/* Columns the footer takes with the items of priority >= floor. */
static int footer_width(const struct app *a, int floor)
{
	int total = 1;
	for (int i = 0; i < keymap_count; i++) {
		const struct ui_key *k = &keymap_table[i];
		if (k->footer_key && k->footer_prio >= floor)
			total += text_width(footer_key(a, k)) + 1 + text_width(footer_what(a, k)) + 2;
	}
	return total;
}

#define FOOTER_PRIO_MAX 12

void status_draw_footer(struct app *a)
{
	WINDOW *w = a->ftr;
	int cols = getmaxx(w);
	werase(w);
	/* Short of room, the items go lowest priority first. */
	int floor = 0;
	while (floor <= FOOTER_PRIO_MAX && footer_width(a, floor) > cols)
		floor++;
	int x = 1;
	attr_t ka = theme_attr(&a->theme, ROLE_KEY);
	for (int i = 0; i < keymap_count && x < cols; i++) {
		const struct ui_key *k = &keymap_table[i];
		if (!k->footer_key || k->footer_prio < floor)
			continue;
		x += text_put(w, 0, x, footer_key(a, k), cols - x, ka);
		x += 1;
		x += text_put(w, 0, x, footer_what(a, k), cols - x, A_NORMAL);
		x += 2;
	}
}
