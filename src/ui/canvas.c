/* canvas.c: a grid of cells of dots. Braille gives each cell 2x4 dots; the
 * fallback gives one dot a cell, drawn as the owning curve's glyph. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ui/plot.h"

unsigned braille_bit(int dx, int dy)
{
	/* Unicode numbers the dots 1 2 3 7 down the left column and 4 5 6 8
	 * down the right; bit k is dot k + 1. */
	static const unsigned char left[4] = {0x01, 0x02, 0x04, 0x40};
	static const unsigned char right[4] = {0x08, 0x10, 0x20, 0x80};
	if (dx < 0 || dx > 1 || dy < 0 || dy > 3)
		return 0;
	return dx == 0 ? left[dy] : right[dy];
}

wchar_t braille_char(unsigned bits)
{
	return (wchar_t)(0x2800 + (bits & 0xff));
}

wchar_t halfblock_char(unsigned bits)
{
	static const wchar_t g[4] = {L' ', L'\x2580', L'\x2584', L'\x2588'};
	return g[bits & 3u];
}

void canvas_init(struct canvas *c)
{
	*c = (struct canvas){0};
}

void canvas_free(struct canvas *c)
{
	free(c->bits);
	free(c->owner);
	canvas_init(c);
}

int canvas_resize(struct canvas *c, int w, int h, bool braille)
{
	return braille ? canvas_resize_dots(c, w, h, 2, 4) : canvas_resize_dots(c, w, h, 1, 1);
}

int canvas_resize_dots(struct canvas *c, int w, int h, int sx, int sy)
{
	if (w < 1)
		w = 1;
	if (h < 1)
		h = 1;
	if (w != c->w || h != c->h || !c->bits) {
		free(c->bits);
		free(c->owner);
		c->bits = malloc((size_t)w * (size_t)h);
		c->owner = malloc((size_t)w * (size_t)h);
		if (!c->bits || !c->owner) {
			canvas_free(c);
			return -1;
		}
		c->w = w;
		c->h = h;
	}
	c->sx = sx;
	c->sy = sy;
	canvas_clear(c);
	return 0;
}

void canvas_clear(struct canvas *c)
{
	if (!c->bits)
		return;
	memset(c->bits, 0, (size_t)c->w * (size_t)c->h);
	memset(c->owner, -1, (size_t)c->w * (size_t)c->h);
}

void canvas_dot(struct canvas *c, int x, int y, int owner)
{
	if (!c->bits || x < 0 || y < 0 || x >= c->w * c->sx || y >= c->h * c->sy)
		return;
	size_t cell = (size_t)(y / c->sy) * (size_t)c->w + (size_t)(x / c->sx);
	/* braille: its dot bits; half blocks: 1 the upper, 2 the lower half */
	c->bits[cell] |= c->sx == 2 ? (uint8_t)braille_bit(x % 2, y % 4) : (uint8_t)(1u << (y % c->sy));
	c->owner[cell] = (int8_t)owner;
}

static void canvas_vspan(struct canvas *c, int x, int y0, int y1, int owner)
{
	if (y0 > y1) {
		int t = y0;
		y0 = y1;
		y1 = t;
	}
	for (int y = y0; y <= y1; y++)
		canvas_dot(c, x, y, owner);
}

void canvas_plot(struct canvas *c, const struct colsum *cs, const struct axis *a, int owner)
{
	int ndots = c->h * c->sy;
	int ncols = c->w * c->sx;
	if (cs->ncols < ncols)
		ncols = cs->ncols;
	int px = -1, pt = 0, pb = 0; /* previous drawn column and its span */
	for (int x = 0; x < ncols; x++) {
		if (isnan(cs->min[x]))
			continue;
		int t = axis_dot(a, cs->max[x], ndots);
		int b = axis_dot(a, cs->min[x], ndots);
		if (t < 0 || b < 0)
			continue;
		if (px >= 0) {
			/* Join the previous span's edge nearest to this one to this
			 * span's nearest edge (a shared row when they overlap),
			 * drawing through any empty columns between. */
			int py, cy;
			if (t > pb) {
				py = pb;
				cy = t;
			} else if (b < pt) {
				py = pt;
				cy = b;
			} else {
				py = cy = t > pt ? t : pt;
			}
			int last = py;
			for (int xi = px + 1; xi < x; xi++) {
				int yi = py + (int)lround((double)(cy - py) * (xi - px) / (x - px));
				canvas_vspan(c, xi, last, yi, owner);
				last = yi;
			}
			if (last < t)
				t = last;
			if (last > b)
				b = last;
		}
		canvas_vspan(c, x, t, b, owner);
		px = x;
		pt = t;
		pb = b;
	}
}
