/* theme.c: colours and glyph sets, chosen once at start-up (as htop's
 * CRT_init does): braille and box glyphs under a UTF-8 locale, ASCII
 * otherwise or with --ascii; colours when the terminal has them, else a
 * monochrome scheme where curves differ by glyph and emphasis. */
#include <langinfo.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ui/widgets.h"

/* Colour pair numbers: 1.. for roles, then the curves. */
#define PAIR_CURVE0 32

static const short curve_colors[THEME_SERIES_COLORS] = {
	COLOR_CYAN, COLOR_YELLOW, COLOR_MAGENTA, COLOR_GREEN, COLOR_BLUE, COLOR_WHITE,
};

struct role_style {
	short fg;   /* -1: the terminal's own */
	attr_t attr;
	attr_t mono; /* attributes without colour */
};

static const struct role_style roles[ROLE_COUNT] = {
	[ROLE_NORMAL] = {-1, A_NORMAL, A_NORMAL},
	[ROLE_TITLE] = {-1, A_BOLD, A_BOLD},
	[ROLE_BORDER] = {COLOR_BLUE, A_NORMAL, A_NORMAL},
	[ROLE_DIM] = {-1, A_DIM, A_NORMAL},
	[ROLE_TAB] = {-1, A_NORMAL, A_NORMAL},
	[ROLE_TAB_CUR] = {COLOR_CYAN, A_BOLD | A_REVERSE, A_REVERSE},
	[ROLE_RUNNING] = {COLOR_GREEN, A_BOLD, A_BOLD},
	[ROLE_PAUSED] = {COLOR_YELLOW, A_BOLD, A_REVERSE},
	[ROLE_DONE] = {COLOR_CYAN, A_BOLD, A_BOLD},
	[ROLE_BAD] = {COLOR_RED, A_BOLD, A_BOLD | A_REVERSE},
	[ROLE_KEY] = {COLOR_CYAN, A_BOLD, A_BOLD},
	[ROLE_LOW] = {COLOR_GREEN, A_NORMAL, A_NORMAL},
	[ROLE_MEDIUM] = {COLOR_YELLOW, A_NORMAL, A_NORMAL},
	[ROLE_HIGH] = {COLOR_RED, A_BOLD, A_BOLD},
	[ROLE_HLINE] = {COLOR_RED, A_NORMAL, A_NORMAL},
	[ROLE_SIGNAL] = {COLOR_GREEN, A_NORMAL, A_BOLD},
	[ROLE_NOISE] = {COLOR_MAGENTA, A_NORMAL, A_NORMAL},
	[ROLE_MARK] = {-1, A_BOLD, A_BOLD},
};

static bool codeset_is_utf8(void)
{
	const char *cs = nl_langinfo(CODESET);
	return cs && (strcasecmp(cs, "UTF-8") == 0 || strcasecmp(cs, "utf8") == 0);
}

void theme_init(struct theme *t, bool ascii, bool no_color)
{
	memset(t, 0, sizeof *t);
	t->utf8 = codeset_is_utf8();
	t->unicode_glyphs = t->utf8 && !ascii;
	t->braille = t->unicode_glyphs;
	const char *nc = getenv("NO_COLOR");
	if (nc && *nc)
		no_color = true;
	t->color = !no_color && has_colors();
	if (!t->color)
		return;
	start_color();
	use_default_colors();
	for (int r = 0; r < ROLE_COUNT; r++)
		init_pair((short)(r + 1), roles[r].fg, -1);
	for (int k = 0; k < THEME_SERIES_COLORS; k++)
		init_pair((short)(PAIR_CURVE0 + k), curve_colors[k], -1);
}

attr_t theme_attr(const struct theme *t, enum ui_role r)
{
	if ((unsigned)r >= ROLE_COUNT)
		r = ROLE_NORMAL;
	if (!t->color)
		return roles[r].mono;
	attr_t a = roles[r].attr;
	if (roles[r].fg >= 0)
		a |= COLOR_PAIR(r + 1);
	return a;
}

attr_t theme_curve_attr(const struct theme *t, int k)
{
	if (k < 0)
		k = 0;
	if (!t->color)
		return k == 0 ? A_BOLD : A_NORMAL;
	/* Past the palette, the cycle repeats in bold so neighbours differ. */
	attr_t a = COLOR_PAIR(PAIR_CURVE0 + k % THEME_SERIES_COLORS);
	if ((k / THEME_SERIES_COLORS) % 2 == 1)
		a |= A_BOLD;
	return a;
}

wchar_t theme_curve_glyph(const struct theme *t, int k)
{
	static const char ascii[] = "*o+x#@%&";
	static const wchar_t uni[] = {L'\x2022', L'o', L'+', L'\x00d7', L'#', L'@', L'%', L'&'};
	if (k < 0)
		k = 0;
	k %= 8;
	return t->unicode_glyphs ? uni[k] : (wchar_t)ascii[k];
}

wchar_t theme_glyph(const struct theme *t, wchar_t unicode, char ascii)
{
	return t->unicode_glyphs ? unicode : (wchar_t)ascii;
}
