/* test_look.c: what the class sees: the headline chart gets the most rows
 * at every size, zoom and presenter layouts, views compared side by side
 * on one scale, and axis numbers that read as written. */
#include <glob.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "overparam/experiment.h"
#include "overparam/history.h"
#include "overparam/scenario.h"
#include "ui/widgets.h"

#define MAX_SHIPPED 16

static int shipped(struct scenario *sc /* (MAX_SHIPPED) */)
{
	glob_t g;
	int n = 0;
	if (glob("scenarios/*.ini", 0, NULL, &g) == 0) {
		for (size_t i = 0; i < g.gl_pathc && n < MAX_SHIPPED; i++) {
			char err[SCENARIO_ERR_LEN];
			assert_int_equal(scenario_load(g.gl_pathv[i], &sc[n++], err, sizeof err), 0);
		}
		globfree(&g);
	}
	return n;
}

static const int sizes[][2] = {{64, 20}, {80, 24}, {120, 36}, {200, 55}};

/* At every size the class uses, no panel is taller than the headline. */
static void test_headline_gets_the_most_rows(void **state)
{
	(void)state;
	static struct scenario sc[MAX_SHIPPED];
	int n = shipped(sc);
	assert_true(n >= 11); /* run from the repository root */
	for (int i = 0; i < n; i++) {
		struct run_desc d;
		experiment_describe(&sc[i], &d);
		int head = view_headline(&d);
		assert_true(head >= 0);
		for (size_t z = 0; z < sizeof sizes / sizeof sizes[0]; z++) {
			struct layout l;
			int w = sizes[z][0], h = sizes[z][1];
			if (layout_compute(&d, sc[i].notes, w, h, true, &l) != 0)
				assert_int_equal(layout_compute(&d, sc[i].notes, w, h, false, &l), 0);
			for (int v = 0; v < d.n_views; v++)
				if (l.view[v].w > 0 && l.view[v].h > l.view[head].h)
					fail_msg("%s at %dx%d: view %d (%d rows) over the headline %d (%d rows)", sc[i].path, w,
						 h, v, l.view[v].h, head, l.view[head].h);
		}
	}
}

static const char *scenario_file(int number)
{
	static char path[64];
	glob_t g;
	char pat[32];
	snprintf(pat, sizeof pat, "scenarios/%02d-*.ini", number);
	assert_int_equal(glob(pat, 0, NULL, &g), 0);
	snprintf(path, sizeof path, "%s", g.gl_pathv[0]);
	globfree(&g);
	return path;
}

static void describe(int number, struct scenario *sc, struct run_desc *d)
{
	char err[SCENARIO_ERR_LEN];
	assert_int_equal(scenario_load(scenario_file(number), sc, err, sizeof err), 0);
	experiment_describe(sc, d);
}

/* `z`: one panel over everything between header and footer. */
static void test_zoom_gives_one_panel_the_screen(void **state)
{
	(void)state;
	static struct scenario sc;
	struct run_desc d;
	describe(1, &sc, &d);
	for (size_t z = 0; z < sizeof sizes / sizeof sizes[0]; z++) {
		int w = sizes[z][0], h = sizes[z][1];
		for (int v = 0; v < d.n_views; v++) {
			struct layout l;
			assert_int_equal(layout_zoom(&d, v, w, h, &l), 0);
			assert_int_equal(l.view[v].w, w);
			assert_true(l.view[v].h * 10 >= h * 8); /* at least 80% of the rows */
			for (int u = 0; u < d.n_views; u++)
				if (u != v)
					assert_int_equal(l.view[u].w, 0);
		}
	}
}

/* The presenter: scenario 7's two humps side by side (one scale group,
 * the headline's), the claims below, nothing else. */
static void test_presenter_shows_headline_and_claims(void **state)
{
	(void)state;
	static struct scenario sc;
	struct run_desc d;
	describe(7, &sc, &d);
	struct layout l;
	assert_int_equal(layout_present(&d, 64, 20, &l), 0);
	assert_true(l.text_shown);
	int shown = 0;
	for (int v = 0; v < d.n_views; v++) {
		if (l.view[v].w == 0)
			continue;
		shown++;
		assert_true(d.views[v].kind == VIEW_BARS || d.views[v].kind == VIEW_TEXT);
		if (d.views[v].kind == VIEW_BARS)
			assert_int_equal(l.view[v].h, l.view[view_headline(&d)].h);
	}
	assert_int_equal(shown, 3);
	/* scenario 1: its loss chart, the claims */
	describe(1, &sc, &d);
	assert_int_equal(layout_present(&d, 64, 20, &l), 0);
	assert_int_equal(d.views[view_headline(&d)].kind, VIEW_LINES);
	assert_true(l.view[view_headline(&d)].h >= 10);
}

static void put_grid(struct history *h, int series, const double *v /* (n) */, int n)
{
	for (int i = 0; i < n; i++) {
		struct op_record r = {.generation = 1, .epoch = 5, .series = (uint16_t)series,
				      .metric = MET_INTERP_LOSS, .index = (uint32_t)i, .value = v[i]};
		assert_true(history_add(h, &r));
	}
}

/* Scenario 7's two bar charts: one top, the larger hump's, for both; the
 * barrier chart, in no group, keeps its own. */
static void test_compared_views_share_one_scale(void **state)
{
	(void)state;
	static struct scenario sc;
	struct run_desc d;
	describe(7, &sc, &d);
	int bars[2], nb = 0;
	for (int v = 0; v < d.n_views; v++)
		if (d.views[v].kind == VIEW_BARS)
			bars[nb++] = v;
	assert_int_equal(nb, 2);
	assert_int_not_equal(d.views[bars[0]].scale_group, 0);
	assert_int_equal(d.views[bars[0]].scale_group, d.views[bars[1]].scale_group);

	struct history h;
	history_init(&h, false);
	history_reset(&h, 1);
	assert_true(isnan(scale_group_top(&d, bars[0], &h, NULL))); /* nothing yet */
	const double plain[5] = {0.001, 0.12, 0.23, 0.11, 0.002};
	const double matched[5] = {0.001, 0.004, 0.007, NAN, 0.001};
	int sp = 0, sa = 0; /* the series each chart shows */
	int series[RUN_MAX_SERIES];
	view_list_series(&d.views[bars[0]], d.n_series, series);
	sp = series[0];
	view_list_series(&d.views[bars[1]], d.n_series, series);
	sa = series[0];
	put_grid(&h, sa, matched, 5);
	assert_true(fabs(scale_group_top(&d, bars[0], &h, NULL) - 0.007) < 1e-12);
	put_grid(&h, sp, plain, 5);
	assert_true(fabs(scale_group_top(&d, bars[0], &h, NULL) - 0.23) < 1e-12);
	assert_true(fabs(scale_group_top(&d, bars[1], &h, NULL) - 0.23) < 1e-12);
	for (int v = 0; v < d.n_views; v++)
		if (d.views[v].scale_group == 0)
			assert_true(isnan(scale_group_top(&d, v, &h, NULL)));
	history_free(&h);
}

/* Scenario 9: the matched bars on the line chart's scale (both barriers). */
static void test_bars_follow_a_grid_line_chart(void **state)
{
	(void)state;
	static struct scenario sc;
	struct run_desc d;
	describe(9, &sc, &d);
	int lines = -1, bars = -1;
	for (int v = 0; v < d.n_views; v++) {
		if (d.views[v].kind == VIEW_LINES)
			lines = v;
		if (d.views[v].kind == VIEW_BARS)
			bars = v;
	}
	assert_true(lines >= 0 && bars >= 0);
	struct history h;
	history_init(&h, false);
	history_reset(&h, 1);
	enum metric m = d.views[bars].metrics[0];
	const double trained[2] = {0.26, 0.24}, matched[2] = {0.05, 0.02};
	for (int i = 0; i < 2; i++)
		for (int s = 0; s < 2; s++) {
			int series[RUN_MAX_SERIES];
			view_list_series(&d.views[lines], d.n_series, series);
			struct op_record r = {.generation = 1, .epoch = (uint32_t)i, .series = (uint16_t)series[s],
					      .metric = m, .index = (uint32_t)i, .value = s == 0 ? trained[i] : matched[i]};
			assert_true(history_add(&h, &r));
		}
	assert_true(fabs(scale_group_top(&d, bars, &h, NULL) - 0.26) < 1e-12);
	history_free(&h);
}

/* Grid values read as written: 1024, not 1.02e3. */
static void test_axis_numbers(void **state)
{
	(void)state;
	static const struct {
		double v;
		const char *want;
	} cases[] = {
		{1024, "1024"}, {16, "16"},     {1, "1"},     {0, "0"},         {-3, "-3"},
		{0.15, "0.15"}, {2.5, "2.5"},   {100000, "100000"}, {999999, "999999"},
		{1e6, "1e6"},   {1e-5, "1e-5"}, {0.333333, "0.333"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char buf[32];
		assert_string_equal(fmt_axis(buf, sizeof buf, cases[i].v), cases[i].want);
	}
}

static void test_theme_words(void **state)
{
	(void)state;
	static const char *const words[] = {"dark", "light", "mono", "high-contrast"};
	static const enum theme_id ids[] = {THEME_DARK, THEME_LIGHT, THEME_MONO, THEME_HIGH_CONTRAST};
	for (int i = 0; i < 4; i++) {
		enum theme_id id = THEME_DARK;
		assert_true(theme_parse_word(words[i], &id));
		assert_int_equal(id, ids[i]);
		assert_non_null(strstr(theme_words(), words[i]));
	}
	enum theme_id id = THEME_LIGHT;
	assert_false(theme_parse_word("Dark", &id));
	assert_false(theme_parse_word("", &id));
	assert_false(theme_parse_word(NULL, &id));
	assert_int_equal(id, THEME_LIGHT);
}

/* Thick lines: two dots a cell, upper and lower half blocks. */
static void test_half_block_canvas(void **state)
{
	(void)state;
	struct canvas c;
	canvas_init(&c);
	assert_int_equal(canvas_resize_dots(&c, 3, 2, 1, 2), 0);
	canvas_dot(&c, 0, 0, 0); /* cell (0,0) upper */
	canvas_dot(&c, 1, 1, 0); /* cell (0,1) lower */
	canvas_dot(&c, 2, 2, 0); /* cell (1,2) upper ... */
	canvas_dot(&c, 2, 3, 1); /* ... and lower */
	canvas_dot(&c, 3, 0, 0); /* outside: ignored */
	assert_int_equal(halfblock_char(c.bits[0]), 0x2580);
	assert_int_equal(halfblock_char(c.bits[1]), 0x2584);
	assert_int_equal(halfblock_char(c.bits[3 + 2]), 0x2588);
	assert_int_equal(c.owner[3 + 2], 1);
	assert_int_equal(c.bits[2], 0);
	canvas_free(&c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_headline_gets_the_most_rows),
		cmocka_unit_test(test_zoom_gives_one_panel_the_screen),
		cmocka_unit_test(test_presenter_shows_headline_and_claims),
		cmocka_unit_test(test_compared_views_share_one_scale),
		cmocka_unit_test(test_bars_follow_a_grid_line_chart),
		cmocka_unit_test(test_axis_numbers),
		cmocka_unit_test(test_theme_words),
		cmocka_unit_test(test_half_block_canvas),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
