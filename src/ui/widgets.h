/* widgets.h: the panels of the live UI and what they share. Widgets know
 * nothing of experiments: each draws a view_spec from the run_desc and the
 * history into a curses window it is given. Only the UI thread calls them. */
#ifndef OVERPARAM_UI_WIDGETS_H
#define OVERPARAM_UI_WIDGETS_H

#include <curses.h>
#include <stdbool.h>
#include <stddef.h>

#include "overparam/experiment.h"
#include "overparam/history.h"
#include "overparam/ui.h"
#include "ui/ghost.h"
#include "ui/plot.h"

/* ---- theme: glyphs and colours, decided once at start ---- */

enum ui_role {
	ROLE_NORMAL,
	ROLE_TITLE,     /* panel titles, the program name */
	ROLE_BORDER,
	ROLE_DIM,       /* axes, tick labels, hints */
	ROLE_TAB,       /* scenario tabs */
	ROLE_TAB_CUR,   /* the current scenario's tab */
	ROLE_RUNNING,
	ROLE_PAUSED,
	ROLE_DONE,
	ROLE_BAD,       /* diverged, failed, errors */
	ROLE_KEY,       /* key names in the footer and help */
	ROLE_LOW,       /* bar status: below the view's bar_levels[0] */
	ROLE_MEDIUM,    /* below bar_levels[1] */
	ROLE_HIGH,      /* above: the barrier */
	ROLE_HLINE,     /* threshold / noise-floor line */
	ROLE_SIGNAL,    /* split bar: signal part */
	ROLE_NOISE,     /* split bar: noise part */
	ROLE_MARK,      /* split bar: closed-form marks */
	ROLE_COUNT
};

#define THEME_SERIES_COLORS 6

struct theme {
	bool utf8;    /* the locale's codeset is UTF-8 */
	bool braille; /* draw curves in braille (UTF-8 and not --ascii) */
	bool color;   /* colours in use (the terminal has them, no NO_COLOR) */
	bool unicode_glyphs; /* box and block glyphs beyond ASCII */
	enum theme_id id;
	bool thick;   /* curves in half blocks (1x2 dots a cell), not braille */
	bool bold;    /* every role and curve in bold (high-contrast, presenter) */
};

/* Call after initscr(): starts colours when wanted and available (NO_COLOR
 * set: mono). thick: block lines (high-contrast has them anyway). */
void theme_init(struct theme *t, bool ascii, enum theme_id id, bool thick);
attr_t theme_attr(const struct theme *t, enum ui_role r);
/* Colour (and, without colours, emphasis) of curve k. */
attr_t theme_curve_attr(const struct theme *t, int k);
/* The glyph that stands for curve k where curves differ by glyph. */
wchar_t theme_curve_glyph(const struct theme *t, int k);
/* A UTF-8 glyph, or its ASCII stand-in when glyphs are ASCII only. */
wchar_t theme_glyph(const struct theme *t, wchar_t unicode, char ascii);

/* ---- drawing helpers (text.c) ---- */

/* Display columns of a UTF-8 string. */
int text_width(const char *s);
/* Writes s at (y, x), at most maxw columns; a cut string ends in an
 * ellipsis. Returns the columns written. */
int text_put(WINDOW *w, int y, int x, const char *s, int maxw, attr_t attr);
void text_put_wch(WINDOW *w, int y, int x, wchar_t c, attr_t attr);
/* s centred in the `width` columns from x, around row y, wrapped to at
 * most three lines, dim: an empty plot's note. */
void text_pending(WINDOW *w, int y, int x, int width, const char *s, const struct theme *t);
/* Clears the window and draws its border with the title in the top edge. */
void panel_frame(WINDOW *w, const char *title, const struct theme *t);

struct text_line {
	int start, len; /* byte span of the source */
	bool par_end;   /* last line of a paragraph */
};
/* Word-wraps s into lines of at most width columns. Paragraphs end at a
 * newline (or the two characters backslash n). Returns the number of lines
 * the whole text needs; fills at most max of them. */
int text_wrap(const char *s, int width, struct text_line *lines /* (max) */, int max);
/* The notes panel; a text longer than the panel ends in an ellipsis. */
void text_draw(WINDOW *w, const char *title, const char *notes, const struct theme *t);
/* The same in attr (the presenter's bold). */
void text_draw_styled(WINDOW *w, const char *title, const char *notes, const struct theme *t, attr_t attr);

/* ---- views (layout.c) ---- */

/* The series view v shows, in order, among the first n_series: the set
 * bits of its series_mask. Returns how many. */
int view_list_series(const struct view_spec *v, int n_series, int *series /* (RUN_MAX_SERIES) */);

/* ---- scale groups and the headline (group.c) ---- */

/* The top of the y scale view v shares with its scale_group: the largest
 * finite value over the group's views (a bar chart's grid, a grid line
 * chart's curves, an epoch line chart's line_top[v], NaN: not known yet).
 * NaN when v has no group or nothing is known. line_top: (n_views) or NULL. */
double scale_group_top(const struct run_desc *d, int v, const struct history *h, const double *line_top);
/* The scenario's headline chart: the view marked headline, else the first
 * chart of the largest weight; -1 when it has no chart. */
int view_headline(const struct run_desc *d);
/* v is the headline chart or shares its scale group (a chart shown with it). */
bool view_with_headline(const struct run_desc *d, int v);

/* ---- a plot's y axis (yaxis.c) ---- */

#define YAXIS_MAX_TICKS 16

struct yaxis {
	int n;
	double tick[YAXIS_MAX_TICKS];     /* (n) top first */
	char label[YAXIS_MAX_TICKS][24];  /* (n) */
	int width;                        /* of the widest label, at least 1 */
};

/* The ticks of axis a on a plot `rows` high: one every other row at most,
 * at least 2, at most max (<= YAXIS_MAX_TICKS), labelled. */
void yaxis_ticks(struct yaxis *y, const struct axis *a, int rows, int max);
/* The axis line in column x over rows top .. top + rows - 1, and each tick
 * as a mark on it with its label right-aligned before it. sy: the plot's
 * dots a row. */
void yaxis_draw(WINDOW *w, const struct yaxis *y, const struct axis *a, int top, int x, int rows, int sy,
		const struct theme *t);

/* ---- line chart (chart.c) ---- */

#define CHART_MAX_CURVES (4 * RUN_MAX_SERIES) /* up to 4 metrics of each series */

struct chart_curve {
	int series;
	enum metric metric;
	char label[48];
	struct colsum cs;
};

struct chart {
	const struct view_spec *view;
	const struct run_desc *desc;
	int ncurves;
	struct chart_curve curve[CHART_MAX_CURVES];
	char legend_prefix[32]; /* shared start of the curve labels, said once */
	struct axis y;
	double hline;           /* the reference line's value this frame (NaN: none) */
	struct canvas cv;
	bool glyphs;            /* one glyph a cell instead of braille */
	uint32_t diverged;      /* curves shown as diverged (bit k = curve k) */
	int plot_w, plot_h;     /* cells of the plot area last drawn */
	/* x_grid views: a curve's grid values as points (x = grid index), and
	 * a digest of each curve's grid to see when it changed */
	struct point_series gpts;
	uint32_t gpts_index[RUN_MAX_GRID];
	double gpts_value[RUN_MAX_GRID];
	uint64_t grid_digest[CHART_MAX_CURVES];
	double shared_top;      /* its scale group's top (NaN: none): the axis covers it */
	/* earlier runs drawn faint under the curves (ghost.h); NULL: none */
	const struct ghost_set *ghosts;
	int ghost_scenario;      /* the scenario on screen, and its file */
	const char *ghost_path;
	struct colsum ghost_cs;  /* scratch: one ghost curve's summary */
};

void chart_init(struct chart *c, const struct view_spec *v, const struct run_desc *d, bool log, bool glyphs);
void chart_free(struct chart *c);
/* A new run, or a new axis kind: forget the summaries and the y range. */
void chart_reset(struct chart *c, bool log);
/* Folds in new points; true when the chart must be redrawn. */
bool chart_update(struct chart *c, const struct history *h);
void chart_draw(WINDOW *w, struct chart *c, const struct history *h, const struct theme *t);
/* The largest finite value the chart's curves hold now, NaN: none. */
double chart_top(const struct chart *c);

/* ---- bar chart of the interpolation grid (bars.c) ---- */

struct bars {
	struct axis y;
	double shared_top; /* its scale group's top (NaN: none): the axis covers it */
};

void bars_reset(struct bars *b);
void bars_draw(WINDOW *w, struct bars *b, const struct view_spec *v, const struct run_desc *d,
	       const struct history *h, const struct theme *t);

/* ---- heatmap of a map metric (heatmap.c) ---- */

void heatmap_draw(WINDOW *w, const struct view_spec *v, const struct run_desc *d, const struct history *h,
		  const struct theme *t);

/* ---- split bar of two norms (split.c) ---- */

int split_min_width(void);
int split_height(const struct view_spec *v);
/* At least this (a small screen): one series drops its marks' row and
 * says the closed form in one line; split_draw picks by its window. */
int split_height_tight(const struct view_spec *v);
void split_draw(WINDOW *w, const struct view_spec *v, const struct run_desc *d, const struct history *h,
		const struct theme *t);

/* ---- table (table.c) ---- */

/* Natural size, borders included. */
void table_size(const struct view_spec *v, const struct run_desc *d, int *width, int *height);
/* The narrowest it can be drawn without cutting a cell (gaps of one). */
int table_min_width(const struct view_spec *v, const struct run_desc *d);
/* Cell (series s, column c) as the table shows it; *role says how (ROLE_BAD:
 * diverged). Pictures (picture.c) print the same words. */
void table_cell_text(const struct table_col *c, const struct run_desc *d, const struct history *h, int s,
		     char *buf /* (len) */, size_t len, enum ui_role *role);
void table_draw(WINDOW *w, const struct view_spec *v, const struct run_desc *d, const struct history *h,
		const struct theme *t);

/* ---- help overlay (help.c) ---- */

/* Draws the key list centred on the screen in its own window. */
void help_draw(const struct theme *t);
/* The same, with the scenario's knobs (name, value, key, values) beside
 * the keys, or below them, where the screen has room. */
void help_draw_knobs(const struct theme *t, const struct scenario *sc);
void help_close(void);
/* Puts the open overlay back on top after panels under it were redrawn. */
void help_touch(void);

/* ---- s: a picture of the screen (slide.c) ---- */

struct slide_job;
/* Takes the picture of view (-1: every panel) and starts writing it as
 * dir/<export_stem>.svg and .png (never over a file: -2, -3 ...). NULL
 * with the reason in msg. */
struct slide_job *slide_start(const char *dir, const struct scenario *sc, const struct run_desc *d,
			      const struct history *h, int view, bool dark, char *msg /* (len) */, size_t len);
/* False while it draws; then true with "saved ..." or the error (*bad). */
bool slide_poll(struct slide_job *j, char *msg /* (len) */, size_t len, bool *bad);
/* Waits up to wait seconds, then frees it (a job still drawing is left to
 * end with the process). True when both files were written. */
bool slide_end(struct slide_job *j, double wait);

/* ---- CSV export (export.c) ---- */

/* One `e` export: a copy of the run's rows and the thread writing them. */
struct export_job;

/* overparam-<scenario file name without .ini>-<seed>-<local time>: the
 * name (before the extension) of what e and s write. */
void export_stem(const struct scenario *sc, uint64_t seed, char *buf /* (len) */, size_t len);

/* Copies the run's metrics (every kept point, the latest grid and events)
 * and starts writing them as CSV (csv.h) to a new file
 * dir/overparam-<scenario file name>-<seed>-<time>[-N].csv (dir NULL: the
 * current directory). Returns the job with its first progress in msg, or
 * NULL with what went wrong, the reason first ("export failed: ..."). */
struct export_job *export_start(const char *dir, const struct scenario *sc, const struct run_desc *d,
				const struct history *h, char *msg /* (len) */, size_t len);
/* False while it writes (msg: its progress); true when it is over (msg:
 * "wrote PATH", or the error with *bad set): then export_end it. */
bool export_poll(struct export_job *j, char *msg /* (len) */, size_t len, bool *bad);
/* Waits up to `wait` seconds for it to finish, then stops it (its file
 * not written), and frees it. NULL is fine. Returns true when its file
 * was written whole. */
bool export_end(struct export_job *j, double wait);

/* ---- layout (layout.c) ---- */

struct rect {
	int x, y, w, h;
};

struct layout {
	struct rect view[RUN_MAX_VIEWS]; /* w == 0: not shown */
	bool text_shown;
};

#define LAYOUT_HEADER_ROWS 2
#define LAYOUT_FOOTER_ROWS 1

/* Places the views of d on a w x h screen (header and footer rows kept
 * free). notes: the text panel's content (its height depends on it).
 * Returns 0, or -1 when the screen is too small for the panels. */
int layout_compute(const struct run_desc *d, const char *notes, int w, int h, bool show_text, struct layout *out);
/* Zoom: view v alone over the whole area between header and footer. */
int layout_zoom(const struct run_desc *d, int v, int w, int h, struct layout *out);
/* Presenter: the headline chart (beside the charts of its scale group) over
 * the text view, which shows the claims. -1 when too small. */
int layout_present(const struct run_desc *d, int w, int h, struct layout *out);
/* The smallest screen the views need (without the text panel if that is
 * what it takes). */
void layout_min_size(const struct run_desc *d, const char *notes, int *w, int *h);

#endif
