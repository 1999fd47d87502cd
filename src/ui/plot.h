/* plot.h: the pure arithmetic of the charts, with no terminal in it, so
 * tests can check it: y axes (log or linear) and their ticks, number
 * formats, the per-column min/max summary a curve is drawn from, and a dot
 * canvas that composes braille cells (2x4 dots) or one glyph a cell. */
#ifndef OVERPARAM_UI_PLOT_H
#define OVERPARAM_UI_PLOT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <wchar.h>

#include "overparam/history.h"

/* ---- y axis ---- */

struct axis {
	bool log;
	double lo, hi; /* the range shown, in value units; lo >= hi: empty */
	int zero_dots; /* log axis: dots at the bottom kept for values <= 0, the
	                * chart's "0" row (0: none; they then sit on the bottom dot) */
};

void axis_clear(struct axis *a, bool log);
/* Grows the axis to nice bounds (decades on a log axis; 0 and multiples of
 * 1, 2, 2.5 or 5 x 10^k on a linear one) so that [lo, hi] fits. Never
 * shrinks: a curve that falls inside the range costs no rescale. On a log
 * axis lo must be the smallest positive value. Non-finite input, and on a
 * log axis non-positive input, is ignored. A log axis keeps at most
 * AXIS_LOG_DECADES decades; smaller values clamp to its bottom row. Returns
 * true when the range changed. */
bool axis_cover(struct axis *a, double lo, double hi);
/* A log axis spans at most this many decades below its top. */
#define AXIS_LOG_DECADES 12
/* Dot row of v on an axis drawn `ndots` dots high (0 = top), clamped to the
 * range; -1 for a non-finite v or an empty axis. Non-positive values on a
 * log axis sit on the bottom row; with zero_dots, positive values keep
 * above those dots, so a zero is never drawn as the axis' smallest value. */
int axis_dot(const struct axis *a, double v, int ndots);
/* Up to max_ticks tick values, top first; returns how many. */
int axis_ticks(const struct axis *a, int max_ticks, double *ticks /* (max_ticks) */);
/* 1, 2, 2.5 or 5 times a power of ten, the smallest >= x (x > 0). */
double nice_step(double x);

/* ---- number formats (all return buf) ---- */

/* Tick label: "1e-3", "1e0", "1e2" on a log axis; "0", "0.25", "1.5",
 * "2000" on a linear one (trailing zeros trimmed; "2.5e5" style outside
 * 1e-4 .. 1e5). */
char *fmt_tick(char *buf /* (len) */, size_t len, double v, bool log);
/* 261501 -> "261,501". */
char *fmt_thousands(char *buf /* (len) */, size_t len, long v);
/* Latest value of a loss: fmt_short, or "diverged" when non-finite. */
char *fmt_loss(char *buf /* (len) */, size_t len, double v);
/* Compact number for bar labels and norms: "%.3g" without the exponent's
 * leading zero ("7.9e-8"). */
char *fmt_short(char *buf /* (len) */, size_t len, double v);

/* Axis value (a grid's widths, N, alpha): whole numbers whole below a
 * million ("1024", not "1.02e3"), else fmt_short. */
char *fmt_axis(char *buf /* (len) */, size_t len, double v);

/* ---- x axis: epochs 0 .. planned over ncols dot columns ---- */

int epoch_col(uint32_t epoch, uint32_t planned, int ncols);

/* ---- per-column min/max summary of one curve ---- */

/* For each dot column, the min and max of the finite points that fall in
 * it, and the smallest positive one (for a log axis). Updated as points
 * arrive, so drawing costs O(columns) however many epochs there are. A
 * series' folded points (history.h) come from its per-range summary: each
 * range into the column of its first epoch, which is every epoch's column
 * of the range when ncols <= HISTORY_FOLD_COLS and planned is the span the
 * ranges were cut for; their smallest positive value counts in fold_minpos. */
struct colsum {
	int ncols;
	uint32_t planned;
	uint64_t consumed; /* points of the series (folded and kept) already in */
	float *min, *max, *minpos; /* (ncols); NaN where a column has no point */
	float fold_minpos; /* the folded points' smallest positive, NaN: none */
};

void colsum_init(struct colsum *c);
void colsum_free(struct colsum *c);
/* New geometry: forgets everything (returns -1 when out of memory). */
int colsum_reset(struct colsum *c, int ncols, uint32_t planned);
/* Folds in the points ps gained since the last call; a series that got
 * shorter (a new run) starts over. Returns true when any column changed. */
bool colsum_update(struct colsum *c, const struct point_series *ps);
/* The same for a curve whose older points f folded (NULL: none); when f
 * folded points not yet in, it starts over from f and the kept points. */
bool colsum_update_folded(struct colsum *c, const struct point_series *ps, const struct point_fold *f);
/* Smallest, largest and smallest positive finite value over all columns;
 * false when there is none. */
bool colsum_extent(const struct colsum *c, double *lo, double *hi, double *minpos);

/* ---- dot canvas ---- */

/* Bit of dot (dx, dy) in a braille cell, dx 0..1, dy 0..3 (Unicode order:
 * dots 1-2-3 down the left column, 4-5-6 down the right, then 7 and 8). */
unsigned braille_bit(int dx, int dy);
/* U+2800 + the dot bits. */
wchar_t braille_char(unsigned bits);

struct canvas {
	int w, h;        /* cells */
	int sx, sy;      /* dots per cell: 2x4 (braille) or 1x1 (one glyph a cell) */
	uint8_t *bits;   /* (h, w) dot bits of each cell */
	int8_t *owner;   /* (h, w) curve that drew last in the cell, -1 none */
};

void canvas_init(struct canvas *c);
void canvas_free(struct canvas *c);
int canvas_resize(struct canvas *c, int w, int h, bool braille);
/* Any dots a cell: 2x4 (braille), 1x2 (half blocks: bit 1 the upper, 2 the
 * lower half), 1x1 (one glyph). */
int canvas_resize_dots(struct canvas *c, int w, int h, int sx, int sy);
/* The half-block glyph of a 1x2 cell's bits: upper, lower or both halves. */
wchar_t halfblock_char(unsigned bits);
void canvas_clear(struct canvas *c);
/* Sets dot (x, y), x < w*sx, y < h*sy, for curve `owner`; out of range is
 * ignored. */
void canvas_dot(struct canvas *c, int x, int y, int owner);
/* Draws a curve from its column summary: each column as the vertical span
 * of its min..max, extended to meet the previous column, so a steep fall is
 * a connected line. cs->ncols must be c->w * c->sx. */
void canvas_plot(struct canvas *c, const struct colsum *cs, const struct axis *a, int owner);

#endif
