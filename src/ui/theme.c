/* theme.c: colours and glyph sets, chosen once at start-up (as htop's
 * CRT_init does): braille and box glyphs under a UTF-8 locale, ASCII
 * otherwise or with --ascii. Colours from the Okabe-Ito palette (safe for
 * colour-blind viewers) in 256 colours, with 8-colour stand-ins; a light
 * scheme without the yellows and cyans a white background swallows; mono
 * (--theme mono, --no-color, NO_COLOR) where curves differ by glyph and
 * emphasis; high-contrast: bold and block lines for a projector. No text
 * the class must read is dim (SGR 2). */
#include <langinfo.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ui/widgets.h"

/* Colour pair numbers: 1.. for roles, then the curves. */
#define PAIR_CURVE0 32

/* A colour in 256 colours and its 8-colour stand-in; -1: the terminal's own. */
struct color {
	short c256, c8;
};

#define DEFAULT_FG {-1, -1}
/* Okabe-Ito in xterm-256 (nearest cube colours) */
#define OI_ORANGE {214, COLOR_YELLOW}
#define OI_SKY {74, COLOR_CYAN}
#define OI_GREEN {36, COLOR_GREEN}
#define OI_BLUE {25, COLOR_BLUE}
#define OI_VERMILLION {166, COLOR_RED}
#define OI_PURPLE {175, COLOR_MAGENTA}
/* darker kin for a light background */
#define LT_ORANGE {172, COLOR_RED}
#define LT_SKY {31, COLOR_BLUE}
#define LT_GREEN {29, COLOR_GREEN}
#define LT_VERMILLION {160, COLOR_RED}
#define LT_PURPLE {126, COLOR_MAGENTA}

struct palette {
	struct color role[ROLE_COUNT];
	struct color curve[THEME_SERIES_COLORS];
};

static const struct palette dark = {
	.role = {
		[ROLE_NORMAL] = DEFAULT_FG, [ROLE_TITLE] = DEFAULT_FG, [ROLE_BORDER] = {68, COLOR_BLUE},
		[ROLE_DIM] = DEFAULT_FG, [ROLE_TAB] = DEFAULT_FG, [ROLE_TAB_CUR] = OI_SKY,
		[ROLE_RUNNING] = OI_GREEN, [ROLE_PAUSED] = OI_ORANGE, [ROLE_DONE] = OI_SKY,
		[ROLE_BAD] = OI_VERMILLION, [ROLE_KEY] = OI_SKY, [ROLE_LOW] = OI_SKY,
		[ROLE_MEDIUM] = OI_ORANGE, [ROLE_HIGH] = OI_VERMILLION, [ROLE_HLINE] = DEFAULT_FG,
		[ROLE_SIGNAL] = OI_GREEN, [ROLE_NOISE] = OI_PURPLE, [ROLE_MARK] = DEFAULT_FG,
	},
	/* 8 colours: yellow stands for orange, so the yellow curve is blue */
	.curve = {OI_SKY, OI_ORANGE, OI_GREEN, OI_PURPLE, {221, COLOR_BLUE}, OI_VERMILLION},
};

static const struct palette light = {
	.role = {
		[ROLE_NORMAL] = DEFAULT_FG, [ROLE_TITLE] = DEFAULT_FG, [ROLE_BORDER] = OI_BLUE,
		[ROLE_DIM] = DEFAULT_FG, [ROLE_TAB] = DEFAULT_FG, [ROLE_TAB_CUR] = OI_BLUE,
		[ROLE_RUNNING] = LT_GREEN, [ROLE_PAUSED] = LT_ORANGE, [ROLE_DONE] = OI_BLUE,
		[ROLE_BAD] = LT_VERMILLION, [ROLE_KEY] = OI_BLUE, [ROLE_LOW] = LT_SKY,
		[ROLE_MEDIUM] = LT_ORANGE, [ROLE_HIGH] = LT_VERMILLION, [ROLE_HLINE] = DEFAULT_FG,
		[ROLE_SIGNAL] = LT_GREEN, [ROLE_NOISE] = LT_PURPLE, [ROLE_MARK] = DEFAULT_FG,
	},
	/* 8 colours: no yellow, cyan or white; red is taken, so orange is black */
	.curve = {OI_BLUE, LT_VERMILLION, LT_GREEN, LT_PURPLE, {172, COLOR_BLACK}, DEFAULT_FG},
};

/* Emphasis of each role, with colours and without. */
struct role_style {
	attr_t attr, mono;
};

static const struct role_style roles[ROLE_COUNT] = {
	[ROLE_NORMAL] = {A_NORMAL, A_NORMAL},
	[ROLE_TITLE] = {A_BOLD, A_BOLD},
	[ROLE_BORDER] = {A_NORMAL, A_NORMAL},
	[ROLE_DIM] = {A_NORMAL, A_NORMAL}, /* axes and labels: read from the back row, never dim */
	[ROLE_TAB] = {A_NORMAL, A_NORMAL},
	[ROLE_TAB_CUR] = {A_BOLD | A_REVERSE, A_REVERSE},
	[ROLE_RUNNING] = {A_BOLD, A_BOLD},
	[ROLE_PAUSED] = {A_BOLD, A_REVERSE},
	[ROLE_DONE] = {A_BOLD, A_BOLD},
	[ROLE_BAD] = {A_BOLD, A_BOLD | A_REVERSE},
	[ROLE_KEY] = {A_BOLD, A_BOLD},
	[ROLE_LOW] = {A_NORMAL, A_NORMAL},
	[ROLE_MEDIUM] = {A_NORMAL, A_NORMAL},
	[ROLE_HIGH] = {A_BOLD, A_BOLD},
	[ROLE_HLINE] = {A_BOLD, A_BOLD},
	[ROLE_SIGNAL] = {A_NORMAL, A_BOLD},
	[ROLE_NOISE] = {A_NORMAL, A_NORMAL},
	[ROLE_MARK] = {A_BOLD, A_BOLD},
};

static const char *const theme_names[] = {
	[THEME_DARK] = "dark", [THEME_LIGHT] = "light", [THEME_MONO] = "mono", [THEME_HIGH_CONTRAST] = "high-contrast",
};

bool theme_parse_word(const char *word, enum theme_id *out)
{
	for (size_t i = 0; word && i < sizeof theme_names / sizeof theme_names[0]; i++)
		if (strcmp(word, theme_names[i]) == 0) {
			*out = (enum theme_id)i;
			return true;
		}
	return false;
}

const char *theme_words(void)
{
	return "dark|light|mono|high-contrast";
}

static bool codeset_is_utf8(void)
{
	const char *cs = nl_langinfo(CODESET);
	return cs && (strcasecmp(cs, "UTF-8") == 0 || strcasecmp(cs, "utf8") == 0);
}

static short pick(const struct color *c)
{
	return COLORS >= 256 ? c->c256 : c->c8;
}

void theme_init(struct theme *t, bool ascii, enum theme_id id, bool thick)
{
	memset(t, 0, sizeof *t);
	t->utf8 = codeset_is_utf8();
	t->unicode_glyphs = t->utf8 && !ascii;
	t->braille = t->unicode_glyphs;
	const char *nc = getenv("NO_COLOR");
	if (nc && *nc)
		id = THEME_MONO;
	t->id = id;
	t->thick = (thick || id == THEME_HIGH_CONTRAST) && t->unicode_glyphs;
	t->bold = id == THEME_HIGH_CONTRAST;
	t->color = id != THEME_MONO && has_colors();
	if (!t->color)
		return;
	start_color();
	use_default_colors();
	const struct palette *p = id == THEME_LIGHT ? &light : &dark;
	for (int r = 0; r < ROLE_COUNT; r++)
		init_pair((short)(r + 1), pick(&p->role[r]), -1);
	for (int k = 0; k < THEME_SERIES_COLORS; k++)
		init_pair((short)(PAIR_CURVE0 + k), pick(&p->curve[k]), -1);
}

attr_t theme_attr(const struct theme *t, enum ui_role r)
{
	if ((unsigned)r >= ROLE_COUNT)
		r = ROLE_NORMAL;
	attr_t bold = t->bold && r != ROLE_BORDER ? A_BOLD : A_NORMAL;
	if (!t->color)
		return roles[r].mono | bold;
	return roles[r].attr | COLOR_PAIR(r + 1) | bold;
}

attr_t theme_curve_attr(const struct theme *t, int k)
{
	if (k < 0)
		k = 0;
	if (!t->color)
		return k == 0 || t->bold ? A_BOLD : A_NORMAL;
	/* Past the palette, the cycle repeats in bold so neighbours differ. */
	attr_t a = COLOR_PAIR(PAIR_CURVE0 + k % THEME_SERIES_COLORS);
	if ((k / THEME_SERIES_COLORS) % 2 == 1 || t->bold)
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

bool ui_picture_dark(const struct ui_options *opt)
{
	return opt->theme_given && !opt->no_color && (opt->theme == THEME_DARK || opt->theme == THEME_HIGH_CONTRAST);
}
