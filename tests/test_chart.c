/* test_chart.c: the arithmetic behind the charts, checked against hand
 * computations and brute force: nice steps and axis growth, value-to-row
 * mapping, ticks and their labels, number formats, the per-column min/max
 * summary, braille composition, line joining, word wrap, and the layout of
 * every shipped scenario at the sizes a classroom uses. */
#include <glob.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "overparam/experiment.h"
#include "overparam/scenario.h"
#include "ui/plot.h"
#include "ui/widgets.h"

static void test_nice_step(void **state)
{
	(void)state;
	assert_float_equal(nice_step(1), 1, 1e-12);
	assert_float_equal(nice_step(0.3), 0.5, 1e-12);
	assert_float_equal(nice_step(2.2), 2.5, 1e-12);
	assert_float_equal(nice_step(7), 10, 1e-12);
	assert_float_equal(nice_step(0.013), 0.02, 1e-12);
	assert_float_equal(nice_step(180), 200, 1e-9);
}

static void test_log_axis_grows_to_decades_and_never_shrinks(void **state)
{
	(void)state;
	struct axis a;
	axis_clear(&a, true);
	assert_true(axis_cover(&a, 0.003, 0.7));
	assert_float_equal(a.lo, 1e-3, 1e-15);
	assert_float_equal(a.hi, 1, 1e-12);
	/* inside: no rescale */
	assert_false(axis_cover(&a, 0.01, 0.5));
	assert_false(axis_cover(&a, 1e-3, 1));
	/* a value falls out at the bottom: only that end moves */
	assert_true(axis_cover(&a, 2e-5, 0.1));
	assert_float_equal(a.lo, 1e-5, 1e-18);
	assert_float_equal(a.hi, 1, 1e-12);
	/* exact decades stay put */
	axis_clear(&a, true);
	axis_cover(&a, 1e-3, 1e-1);
	assert_float_equal(a.lo, 1e-3, 1e-15);
	assert_float_equal(a.hi, 1e-1, 1e-14);
}

static void test_log_axis_floor(void **state)
{
	(void)state;
	struct axis a;
	axis_clear(&a, true);
	/* GD's train loss from 10 down to float noise */
	assert_true(axis_cover(&a, 3e-31, 7.0));
	assert_true(a.hi == 10.0);
	assert_true(fabs(log10(a.hi / a.lo) - AXIS_LOG_DECADES) < 1e-9);
	/* a test loss of 0.1 keeps a readable place, the noise on the floor */
	assert_int_equal(axis_dot(&a, 3e-31, 49), 48);
	assert_true(axis_dot(&a, 0.1, 49) < 12);
	/* a value already clamped does not count as a change */
	assert_false(axis_cover(&a, 1e-40, 1.0));
}

static void test_linear_axis_includes_zero(void **state)
{
	(void)state;
	struct axis a;
	axis_clear(&a, false);
	assert_true(axis_cover(&a, 0.1, 0.47));
	assert_float_equal(a.lo, 0, 0);
	assert_float_equal(a.hi, 0.5, 1e-12);
	assert_false(axis_cover(&a, 0.2, 0.5));
	assert_true(axis_cover(&a, 0.2, 0.8));
	assert_float_equal(a.lo, 0, 0);
	assert_true(a.hi >= 0.8);
}

static void test_non_finite_never_scales(void **state)
{
	(void)state;
	struct axis a;
	axis_clear(&a, true);
	assert_false(axis_cover(&a, NAN, INFINITY));
	assert_false(axis_cover(&a, -1, 0)); /* nothing positive on a log axis */
	assert_true(axis_cover(&a, 0.02, INFINITY));
	assert_float_equal(a.lo, 1e-2, 1e-15);
	assert_float_equal(a.hi, 1e-1, 1e-14);
	assert_false(axis_cover(&a, NAN, NAN));
	assert_float_equal(a.hi, 1e-1, 1e-14);

	/* through a summary: a diverging curve's Inf and NaN stay out */
	struct point_series ps;
	uint32_t ep[4] = {1, 2, 3, 4};
	double val[4] = {0.5f, INFINITY, NAN, 0.25f};
	ps.epoch = ep;
	ps.value = val;
	ps.n = ps.cap = 4;
	struct colsum cs;
	colsum_init(&cs);
	assert_int_equal(colsum_reset(&cs, 8, 4), 0);
	colsum_update(&cs, &ps);
	double lo, hi, mp;
	assert_true(colsum_extent(&cs, &lo, &hi, &mp));
	assert_float_equal(lo, 0.25, 0);
	assert_float_equal(hi, 0.5, 0);
	colsum_free(&cs);
}

static void test_values_to_rows(void **state)
{
	(void)state;
	struct axis a = {.log = true, .lo = 1e-3, .hi = 1};
	/* 13 dots: a decade every 4 */
	assert_int_equal(axis_dot(&a, 1, 13), 0);
	assert_int_equal(axis_dot(&a, 0.1, 13), 4);
	assert_int_equal(axis_dot(&a, 0.01, 13), 8);
	assert_int_equal(axis_dot(&a, 1e-3, 13), 12);
	assert_int_equal(axis_dot(&a, sqrt(10) * 1e-2, 13), 6);
	/* clamped, and never a row for what cannot be drawn */
	assert_int_equal(axis_dot(&a, 50, 13), 0);
	assert_int_equal(axis_dot(&a, 1e-9, 13), 12);
	assert_int_equal(axis_dot(&a, 0, 13), 12);
	assert_int_equal(axis_dot(&a, NAN, 13), -1);
	assert_int_equal(axis_dot(&a, INFINITY, 13), -1);

	struct axis l = {.log = false, .lo = 0, .hi = 1};
	assert_int_equal(axis_dot(&l, 0.5, 5), 2);
	assert_int_equal(axis_dot(&l, 0.25, 5), 3);
	assert_int_equal(axis_dot(&l, 1, 5), 0);
	assert_int_equal(axis_dot(&l, -3, 5), 4);

	struct axis empty;
	axis_clear(&empty, false);
	assert_int_equal(axis_dot(&empty, 0.5, 5), -1);
}

static void test_log_ticks(void **state)
{
	(void)state;
	struct axis a = {.log = true, .lo = 1e-3, .hi = 1};
	double t[16];
	assert_int_equal(axis_ticks(&a, 8, t), 4);
	assert_float_equal(t[0], 1, 1e-12);
	assert_float_equal(t[1], 0.1, 1e-12);
	assert_float_equal(t[2], 0.01, 1e-12);
	assert_float_equal(t[3], 0.001, 1e-12);
	/* not room for each decade: every second one, on multiples */
	assert_int_equal(axis_ticks(&a, 2, t), 2);
	assert_float_equal(t[0], 1, 1e-12);
	assert_float_equal(t[1], 0.01, 1e-12);
	/* 32 decades on 8 ticks: every 5th, 1e0 .. 1e-30 */
	struct axis wide = {.log = true, .lo = 1e-31, .hi = 10};
	int n = axis_ticks(&wide, 8, t);
	assert_int_equal(n, 7);
	for (int i = 0; i < n; i++) {
		double e = log10(t[i]);
		assert_float_equal(e, -5.0 * i, 1e-9);
	}
}

static void test_linear_ticks(void **state)
{
	(void)state;
	struct axis a = {.log = false, .lo = 0, .hi = 1};
	double t[16];
	assert_int_equal(axis_ticks(&a, 5, t), 5);
	for (int i = 0; i < 5; i++)
		assert_float_equal(t[i], 1 - 0.25 * i, 1e-12);
	/* a coarse step that would leave one tick is made finer */
	struct axis b = {.log = false, .lo = 0, .hi = 0.6};
	assert_int_equal(axis_ticks(&b, 2, t), 2);
	assert_float_equal(t[0], 0.5, 1e-12);
	assert_float_equal(t[1], 0, 0);
}

static void test_tick_labels(void **state)
{
	(void)state;
	char b[32];
	assert_string_equal(fmt_tick(b, sizeof b, 1e-3, true), "1e-3");
	assert_string_equal(fmt_tick(b, sizeof b, 1, true), "1e0");
	assert_string_equal(fmt_tick(b, sizeof b, 100, true), "1e2");
	assert_string_equal(fmt_tick(b, sizeof b, 0.25, false), "0.25");
	assert_string_equal(fmt_tick(b, sizeof b, 0.5, false), "0.5");
	assert_string_equal(fmt_tick(b, sizeof b, 0.1 + 0.2, false), "0.3");
	assert_string_equal(fmt_tick(b, sizeof b, 2000, false), "2000");
	assert_string_equal(fmt_tick(b, sizeof b, 0, false), "0");
	assert_string_equal(fmt_tick(b, sizeof b, -1.5, false), "-1.5");
	assert_string_equal(fmt_tick(b, sizeof b, 1.5e5, false), "1.5e5");
	assert_string_equal(fmt_tick(b, sizeof b, 2e-5, false), "2e-5");
}

static void test_number_formats(void **state)
{
	(void)state;
	char b[32];
	assert_string_equal(fmt_thousands(b, sizeof b, 261501), "261,501");
	assert_string_equal(fmt_thousands(b, sizeof b, 331), "331");
	assert_string_equal(fmt_thousands(b, sizeof b, 1000), "1,000");
	assert_string_equal(fmt_thousands(b, sizeof b, 0), "0");
	assert_string_equal(fmt_thousands(b, sizeof b, -1234567), "-1,234,567");
	assert_string_equal(fmt_loss(b, sizeof b, NAN), "diverged");
	assert_string_equal(fmt_loss(b, sizeof b, INFINITY), "diverged");
	assert_string_equal(fmt_loss(b, sizeof b, -INFINITY), "diverged");
	assert_string_equal(fmt_loss(b, sizeof b, 7.9e-8), "7.9e-8");
	assert_string_equal(fmt_loss(b, sizeof b, 0.41234), "0.412");
	assert_string_equal(fmt_loss(b, sizeof b, 2.5e12), "2.5e12");
	assert_string_equal(fmt_short(b, sizeof b, 1e5), "1e5");
}

static void test_epoch_columns(void **state)
{
	(void)state;
	assert_int_equal(epoch_col(0, 2000, 100), 0);
	assert_int_equal(epoch_col(2000, 2000, 100), 99);
	assert_int_equal(epoch_col(1000, 2000, 100), 50);
	assert_int_equal(epoch_col(5000, 2000, 100), 99); /* past the plan: the last column */
	/* monotone, and with more epochs than columns every column is hit */
	int prev = 0;
	char hit[100] = {0};
	for (uint32_t e = 0; e <= 2000; e++) {
		int c = epoch_col(e, 2000, 100);
		assert_true(c >= prev);
		prev = c;
		hit[c] = 1;
	}
	for (int c = 0; c < 100; c++)
		assert_int_equal(hit[c], 1);
}

/* Brute force over the points folded in so far. */
static void check_colsum(const struct colsum *cs, const uint32_t *ep /* (n) */, const double *val /* (n) */, uint32_t n)
{
	for (int c = 0; c < cs->ncols; c++) {
		float mn = NAN, mx = NAN, mp = NAN;
		for (uint32_t i = 0; i < n; i++) {
			if (!isfinite(val[i]) || epoch_col(ep[i], cs->planned, cs->ncols) != c)
				continue;
			if (isnan(mn) || val[i] < mn)
				mn = val[i];
			if (isnan(mx) || val[i] > mx)
				mx = val[i];
			if (val[i] > 0 && (isnan(mp) || val[i] < mp))
				mp = val[i];
		}
		if (isnan(mn)) {
			assert_true(isnan(cs->min[c]) && isnan(cs->max[c]));
		} else {
			assert_float_equal(cs->min[c], mn, 0);
			assert_float_equal(cs->max[c], mx, 0);
		}
		if (isnan(mp))
			assert_true(isnan(cs->minpos[c]));
		else
			assert_float_equal(cs->minpos[c], mp, 0);
	}
}

static void test_colsum_matches_brute_force(void **state)
{
	(void)state;
	enum { N = 3000 };
	static uint32_t ep[N];
	static double val[N];
	srand(7);
	double x = 1;
	for (int i = 0; i < N; i++) {
		ep[i] = (uint32_t)i + 1;
		x *= 0.995 + 0.01 * rand() / (double)RAND_MAX;
		val[i] = (float)(x - 0.3); /* crosses zero: minpos differs from min */
		if (i % 97 == 13)
			val[i] = NAN;
		if (i % 131 == 5)
			val[i] = INFINITY;
	}
	int widths[] = {1, 7, 37, 160, 5000};
	for (size_t w = 0; w < sizeof widths / sizeof widths[0]; w++) {
		struct colsum cs;
		colsum_init(&cs);
		assert_int_equal(colsum_reset(&cs, widths[w], N), 0);
		struct point_series ps = {.epoch = ep, .value = val, .n = 0, .cap = N};
		uint32_t step = 1;
		while (ps.n < N) {
			ps.n = ps.n + step > N ? N : ps.n + step;
			step = step * 3 % 211 + 1; /* uneven arrivals */
			colsum_update(&cs, &ps);
			if (step % 5 == 0 || ps.n == N)
				check_colsum(&cs, ep, val, ps.n);
		}
		/* a new run: the series starts over shorter */
		ps.n = 10;
		assert_true(colsum_update(&cs, &ps));
		check_colsum(&cs, ep, val, 10);
		colsum_free(&cs);
	}
}

static void test_colsum_reports_change(void **state)
{
	(void)state;
	uint32_t ep[3] = {1, 2, 3};
	double val[3] = {0.5f, 0.6f, 0.4f};
	struct point_series ps = {.epoch = ep, .value = val, .n = 1, .cap = 3};
	struct colsum cs;
	colsum_init(&cs);
	colsum_reset(&cs, 1, 3);
	assert_true(colsum_update(&cs, &ps));
	assert_false(colsum_update(&cs, &ps)); /* nothing new */
	ps.n = 2;
	assert_true(colsum_update(&cs, &ps)); /* new max */
	ps.n = 3;
	assert_true(colsum_update(&cs, &ps)); /* new min */
	colsum_free(&cs);
}

static void test_braille_composition(void **state)
{
	(void)state;
	assert_int_equal(braille_bit(0, 0), 0x01);
	assert_int_equal(braille_bit(0, 3), 0x40);
	assert_int_equal(braille_bit(1, 0), 0x08);
	assert_int_equal(braille_bit(1, 3), 0x80);
	assert_int_equal(braille_char(0), 0x2800);
	assert_int_equal(braille_char(0xff), 0x28ff);

	struct canvas c;
	canvas_init(&c);
	assert_int_equal(canvas_resize(&c, 3, 2, true), 0);
	/* a diagonal in cell (0, 0): dots 1, 5, 3, 8 = 0x01 0x10 0x04 0x80 */
	canvas_dot(&c, 0, 0, 2);
	canvas_dot(&c, 1, 1, 2);
	canvas_dot(&c, 0, 2, 2);
	canvas_dot(&c, 1, 3, 3);
	assert_int_equal(c.bits[0], 0x95);
	assert_int_equal(braille_char(c.bits[0]), 0x2895);
	assert_int_equal(c.owner[0], 3); /* the last curve to draw owns it */
	/* cell (x 2, y 1) gets the left column's bottom dot: dot 7 */
	canvas_dot(&c, 4, 7, 1);
	assert_int_equal(c.bits[1 * 3 + 2], 0x40);
	/* out of range is ignored */
	canvas_dot(&c, 6, 0, 1);
	canvas_dot(&c, 0, 8, 1);
	canvas_dot(&c, -1, 0, 1);
	int set = 0;
	for (int i = 0; i < 6; i++)
		set += c.bits[i] != 0;
	assert_int_equal(set, 2);
	/* glyph mode: one dot a cell */
	assert_int_equal(canvas_resize(&c, 3, 2, false), 0);
	canvas_dot(&c, 2, 1, 4);
	assert_int_equal(c.bits[5], 1);
	assert_int_equal(c.owner[5], 4);
	canvas_free(&c);
}

/* Every column between two far-apart points gets a dot: the curve is a
 * line, not a scatter. */
static void test_plot_joins_columns(void **state)
{
	(void)state;
	uint32_t ep[2] = {1, 100};
	double val[2] = {1.0f, 0.0f};
	struct point_series ps = {.epoch = ep, .value = val, .n = 2, .cap = 2};
	struct canvas c;
	canvas_init(&c);
	canvas_resize(&c, 20, 5, true);
	struct colsum cs;
	colsum_init(&cs);
	colsum_reset(&cs, 40, 100);
	colsum_update(&cs, &ps);
	struct axis a = {.log = false, .lo = 0, .hi = 1};
	canvas_plot(&c, &cs, &a, 0);
	int first = epoch_col(1, 100, 40), last = epoch_col(100, 100, 40);
	int prev_top = -1;
	for (int x = first; x <= last; x++) {
		int top = -1;
		for (int y = 0; y < 20 && top < 0; y++)
			if (c.bits[(y / 4) * 20 + x / 2] & braille_bit(x % 2, y % 4))
				top = y;
		assert_true(top >= 0);
		assert_true(top >= prev_top); /* falling line: rows only go down */
		prev_top = top;
	}
	/* the ends sit where the values are */
	assert_true(c.bits[0] & braille_bit(first % 2, 0));
	assert_true(c.bits[4 * 20 + last / 2] & braille_bit(last % 2, 3));
	colsum_free(&cs);
	canvas_free(&c);
}

static void test_word_wrap(void **state)
{
	(void)state;
	const char *s = "hello world foo\nbar\\nbaz  qux";
	struct text_line l[8];
	int n = text_wrap(s, 11, l, 8);
	assert_int_equal(n, 4);
	assert_int_equal(l[0].len, 11);
	assert_memory_equal(s + l[0].start, "hello world", 11);
	assert_memory_equal(s + l[1].start, "foo", 3);
	assert_true(l[1].par_end);
	assert_memory_equal(s + l[2].start, "bar", 3);
	assert_true(l[2].par_end);
	assert_memory_equal(s + l[3].start, "baz  qux", 8);
	/* a word longer than the line is cut, nothing is lost */
	n = text_wrap("abcdefghij", 4, l, 8);
	assert_int_equal(n, 3);
	assert_int_equal(l[0].len + l[1].len + l[2].len, 10);
	/* counting only */
	assert_int_equal(text_wrap("a b c d e f", 3, NULL, 0), 3);
}

static int load_shipped(struct scenario *sc, int max)
{
	glob_t g;
	if (glob("scenarios/*.ini", 0, NULL, &g) != 0)
		return 0;
	int n = 0;
	for (size_t i = 0; i < g.gl_pathc && n < max; i++) {
		char err[SCENARIO_ERR_LEN];
		assert_int_equal(scenario_load(g.gl_pathv[i], &sc[n], err, sizeof err), 0);
		n++;
	}
	globfree(&g);
	return n;
}

static bool overlap(struct rect a, struct rect b)
{
	return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
}

/* Every view inside the screen below the header and above the footer,
 * no two overlapping, charts at least 5 rows; returns the views shown. */
static int check_layout(const struct run_desc *d, const struct layout *l, int w, int h)
{
	int shown = 0;
	for (int v = 0; v < d->n_views; v++) {
		struct rect r = l->view[v];
		if (r.w == 0)
			continue;
		shown++;
		assert_true(r.x >= 0 && r.x + r.w <= w);
		assert_true(r.y >= LAYOUT_HEADER_ROWS && r.y + r.h <= h - LAYOUT_FOOTER_ROWS);
		if (d->views[v].kind == VIEW_LINES || d->views[v].kind == VIEW_BARS)
			assert_true(r.h >= 5 && r.w >= 30);
		if (d->views[v].kind == VIEW_TABLE) {
			int tw, th;
			table_size(&d->views[v], d, &tw, &th);
			assert_true(r.h >= th);
		}
		for (int u = 0; u < v; u++)
			if (l->view[u].w)
				assert_false(overlap(r, l->view[u]));
	}
	return shown;
}

static void test_layout_of_shipped_scenarios(void **state)
{
	(void)state;
	static struct scenario sc[16];
	int n = load_shipped(sc, 16);
	assert_true(n >= 3); /* run from the repository root */
	for (int i = 0; i < n; i++) {
		struct run_desc d;
		experiment_describe(&sc[i], &d);
		struct layout l;
		/* 80x24: every panel, notes included */
		assert_int_equal(layout_compute(&d, sc[i].notes, 80, 24, true, &l), 0);
		assert_true(l.text_shown);
		assert_int_equal(check_layout(&d, &l, 80, 24), d.n_views);
		/* larger terminals: everything, bigger charts */
		struct layout big;
		assert_int_equal(layout_compute(&d, sc[i].notes, 160, 48, true, &big), 0);
		assert_int_equal(check_layout(&d, &big, 160, 48), d.n_views);
		for (int v = 0; v < d.n_views; v++)
			if (d.views[v].kind == VIEW_LINES)
				assert_true((long)big.view[v].w * big.view[v].h > (long)l.view[v].w * l.view[v].h);
		/* the stated minimum works, one less in either direction does not */
		int mw, mh;
		layout_min_size(&d, sc[i].notes, &mw, &mh);
		assert_true(mw <= 60 && mh <= 20);
		assert_int_equal(layout_compute(&d, sc[i].notes, mw, mh, false, &l), 0);
		check_layout(&d, &l, mw, mh);
		assert_int_equal(layout_compute(&d, sc[i].notes, mw, mh - 1, false, &l), -1);
		assert_int_equal(layout_compute(&d, sc[i].notes, mw - 1, mh, false, &l), -1);
		/* hiding the notes gives their room to the others */
		struct layout no_text;
		assert_int_equal(layout_compute(&d, sc[i].notes, 80, 24, false, &no_text), 0);
		assert_false(no_text.text_shown);
		assert_int_equal(check_layout(&d, &no_text, 80, 24), d.n_views - 1);
	}
	struct run_desc d;
	experiment_describe(&sc[0], &d);
	struct layout l;
	assert_int_equal(layout_compute(&d, sc[0].notes, 30, 8, true, &l), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_nice_step),
		cmocka_unit_test(test_log_axis_grows_to_decades_and_never_shrinks),
		cmocka_unit_test(test_log_axis_floor),
		cmocka_unit_test(test_linear_axis_includes_zero),
		cmocka_unit_test(test_non_finite_never_scales),
		cmocka_unit_test(test_values_to_rows),
		cmocka_unit_test(test_log_ticks),
		cmocka_unit_test(test_linear_ticks),
		cmocka_unit_test(test_tick_labels),
		cmocka_unit_test(test_number_formats),
		cmocka_unit_test(test_epoch_columns),
		cmocka_unit_test(test_colsum_matches_brute_force),
		cmocka_unit_test(test_colsum_reports_change),
		cmocka_unit_test(test_braille_composition),
		cmocka_unit_test(test_plot_joins_columns),
		cmocka_unit_test(test_word_wrap),
		cmocka_unit_test(test_layout_of_shipped_scenarios),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
