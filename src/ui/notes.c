/* notes.c: the explanation in full, as a scrollable overlay over the
 * panels (`i` cycles short, full, hidden), and the presenter layout's
 * claims panel. Both read their text from notes_claims_text / the notes. */
#include <stdio.h>
#include <string.h>

#include "ui/app.h"

#define NOTES_MAX_W 100   /* the overlay's widest: lines a reader can follow */
#define NOTES_MAX_LINES 256

static WINDOW *notes_win;

/* The claims with their live verdicts, one a line ("[holds] the widest
 * net ..."), or NULL when the kind states none. The presenter's claims
 * panel and the full notes both show it. */
static const char *claims_list(const struct app *a, char *buf /* (len) */, size_t len)
{
	return why_claims(a, buf, len) > 0 ? buf : NULL;
}

static const char *scenario_notes(const struct app *a)
{
	const struct scenario *sc = &a->sc[a->cur];
	return sc->notes[0] ? sc->notes : sc->summary;
}

const char *notes_claims_text(const struct app *a, char *buf, size_t len)
{
	const char *claims = claims_list(a, buf, len);
	return claims ? claims : scenario_notes(a);
}

void notes_draw_claims(WINDOW *w, const struct app *a)
{
	static char buf[4096];
	bool have = claims_list(a, buf, sizeof buf) != NULL;
	text_draw_styled(w, have ? "Claims" : "Why", notes_claims_text(a, buf, sizeof buf), &a->theme, A_BOLD);
}

void notes_close(void)
{
	if (notes_win)
		delwin(notes_win);
	notes_win = NULL;
}

void notes_touch(void)
{
	if (!notes_win)
		return;
	touchwin(notes_win);
	wnoutrefresh(notes_win);
}

/* The whole text: the notes, then the claims list when there is one. */
static const char *full_text(const struct app *a)
{
	static char buf[8192], claims[4096];
	const char *c = claims_list(a, claims, sizeof claims);
	snprintf(buf, sizeof buf, "%s%s%s", scenario_notes(a), c ? "\n\nClaims\n" : "", c ? c : "");
	return buf;
}

/* The overlay: the whole text wrapped, from line a->notes_scroll on
 * (clamped here), where the panels are. */
void notes_open(struct app *a)
{
	notes_close();
	int top = LAYOUT_HEADER_ROWS, h = LINES - top - LAYOUT_FOOTER_ROWS;
	int w = COLS > NOTES_MAX_W ? NOTES_MAX_W : COLS;
	if (h < 3 || w < 12)
		return;
	notes_win = newwin(h, w, top, (COLS - w) / 2);
	if (!notes_win)
		return;
	const char *text = full_text(a);
	static struct text_line lines[NOTES_MAX_LINES];
	int n = text_wrap(text, w - 4, lines, NOTES_MAX_LINES);
	if (n > NOTES_MAX_LINES)
		n = NOTES_MAX_LINES;
	int rows = h - 2, last_top = n > rows ? n - rows : 0;
	if (a->notes_scroll > last_top)
		a->notes_scroll = last_top;
	if (a->notes_scroll < 0)
		a->notes_scroll = 0;
	panel_frame(notes_win, "Why, in full", &a->theme);
	for (int i = 0; i < rows && a->notes_scroll + i < n; i++) {
		const struct text_line *l = &lines[a->notes_scroll + i];
		char buf[1024];
		int len = l->len < (int)sizeof buf - 1 ? l->len : (int)sizeof buf - 1;
		memcpy(buf, text + l->start, (size_t)len);
		buf[len] = 0;
		text_put(notes_win, 1 + i, 2, buf, w - 4, A_NORMAL);
	}
	/* Where the reader is, and the keys, in the bottom border. */
	char where[64];
	snprintf(where, sizeof where, " %s%s i hides ", a->notes_scroll > 0 ? "Up " : "",
		 a->notes_scroll < last_top ? "Down more " : "");
	int ww = text_width(where);
	if (ww < w - 2)
		text_put(notes_win, h - 1, w - 2 - ww, where, ww, theme_attr(&a->theme, ROLE_KEY));
	wnoutrefresh(notes_win);
}

bool notes_key(struct app *a, int ch)
{
	int step = ch == KEY_UP ? -1 : ch == KEY_DOWN ? 1 : 0;
	if (step == 0)
		return false;
	a->notes_scroll += step;
	notes_open(a);
	return true;
}
