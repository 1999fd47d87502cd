/* test_picture.c: pictures for slides (picture.h). Every shipped scenario,
 * stepped for a while, is drawn as SVG and PNG: the SVG holds one stroked
 * path per curve that has points (counted from the history, not from the
 * picture's own code), the PNG is 1600 x 900 and not blank; writing is
 * whole or nothing, and never over a file when asked not to. */
#include <cairo.h>
#include <errno.h>
#include <glob.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "overparam/experiment.h"
#include "overparam/history.h"
#include "overparam/picture.h"
#include "overparam/scenario.h"

#define STEP_CAP 150

static char dir[] = "/tmp/test_picture.XXXXXX";

static void emit_to_history(void *ctx, const struct op_record *rec)
{
	history_add(ctx, rec);
}

/* Curves a picture must draw: per line view, each (series, metric) with a
 * finite point, as the history holds them. */
static int curves_with_points(const struct run_desc *d, const struct history *h)
{
	int n = 0;
	for (int v = 0; v < d->n_views; v++) {
		const struct view_spec *vs = &d->views[v];
		if (vs->kind != VIEW_LINES)
			continue;
		for (int s = 0; s < d->n_series; s++) {
			if (!(vs->series_mask & (1u << s)))
				continue;
			for (int i = 0; i < vs->n_metrics; i++) {
				enum metric m = vs->metrics[i];
				bool any = false;
				if (vs->x_grid) {
					const double *g = history_grid(h, s, m);
					for (int k = 0; g && k < d->n_grid; k++)
						any |= isfinite(g[k]) && (!vs->log_y || g[k] > 0);
				} else {
					const struct point_series *ps = &h->pts[s][m];
					for (uint32_t k = 0; k < ps->n; k++)
						any |= isfinite(ps->value[k]) && (!vs->log_y || ps->value[k] > 0);
				}
				n += any;
			}
		}
	}
	return n;
}

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	assert_non_null(f);
	fseek(f, 0, SEEK_END);
	long n = ftell(f);
	rewind(f);
	char *buf = malloc((size_t)n + 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
	buf[n] = 0;
	fclose(f);
	return buf;
}

/* Curves are the only paths stroked 2.5 wide (axes, grid lines and
 * reference lines are thinner; legend swatches and bars are filled). */
static int svg_curve_paths(const char *path)
{
	char *svg = slurp(path);
	int n = 0;
	for (char *p = strstr(svg, "<path"); p; p = strstr(p + 5, "<path")) {
		char *end = strchr(p, '>');
		assert_non_null(end);
		char save = *end;
		*end = 0;
		if (strstr(p, "stroke-width:2.5;") || strstr(p, "stroke-width=\"2.5\""))
			n++;
		*end = save;
	}
	free(svg);
	return n;
}

/* The PNG's size, and how much of it is not the white ground. */
static void check_png(const char *path, const char *what)
{
	cairo_surface_t *s = cairo_image_surface_create_from_png(path);
	assert_int_equal(cairo_surface_status(s), CAIRO_STATUS_SUCCESS);
	assert_int_equal(cairo_image_surface_get_width(s), PICTURE_WIDTH);
	assert_int_equal(cairo_image_surface_get_height(s), PICTURE_HEIGHT);
	cairo_surface_flush(s);
	const unsigned char *px = cairo_image_surface_get_data(s);
	int stride = cairo_image_surface_get_stride(s);
	long inked = 0, coloured = 0;
	for (int y = 0; y < PICTURE_HEIGHT; y++)
		for (int x = 0; x < PICTURE_WIDTH; x++) {
			uint32_t v;
			memcpy(&v, px + (size_t)y * (size_t)stride + 4u * (size_t)x, 4);
			int r = (v >> 16) & 255, g = (v >> 8) & 255, b = v & 255;
			inked += r < 200 || g < 200 || b < 200;
			coloured += abs(r - g) > 40 || abs(g - b) > 40;
		}
	cairo_surface_destroy(s);
	/* titles, axes and text ink ~1%; a legend or a curve brings colour */
	if (inked < PICTURE_WIDTH * PICTURE_HEIGHT / 100 || coloured < 100)
		fail_msg("%s: %ld inked and %ld coloured pixels: blank?", what, inked, coloured);
}

static void draw_one(const struct scenario *sc)
{
	const struct experiment_ops *ops = experiment_ops_for(sc->kind);
	static struct run_desc d;
	ops->describe(sc, &d);
	struct history h;
	history_init(&h, true);
	history_set_span(&h, (uint32_t)d.planned_epochs);
	struct experiment *x = NULL;
	char err[SCENARIO_ERR_LEN];
	if (ops->create(sc, sc->seed, &x, err, sizeof err) != 0)
		fail_msg("%s: %s", sc->path, err);
	struct emitter em = {.emit = emit_to_history, .ctx = &h, .generation = 1};
	emitter_put(&em, 0, 0, MET_START, 0, (double)sc->seed);
	for (int step = 0; step < STEP_CAP && ops->step(x, &em); step++)
		;
	ops->destroy(x);

	struct picture *p = picture_snapshot(sc, &d, &h, -1, false);
	assert_non_null(p);
	char svg[512], png[512];
	snprintf(svg, sizeof svg, "%s/one.svg", dir);
	snprintf(png, sizeof png, "%s/one.png", dir);
	char why[1024];
	if (picture_write(p, svg, PICTURE_SVG, false, NULL, why, sizeof why) != 0 ||
	    picture_write(p, png, PICTURE_PNG, false, NULL, why, sizeof why) != 0)
		fail_msg("%s: %s", sc->path, why);
	picture_free(p);
	int want = curves_with_points(&d, &h), got = svg_curve_paths(svg);
	if (got != want)
		fail_msg("%s: %d curve paths in the SVG, %d curves with points", sc->path, got, want);
	check_png(png, sc->path);
	history_free(&h);
}

static void every_shipped_scenario_draws(void **state)
{
	(void)state;
	glob_t g;
	if (glob("scenarios/*.ini", 0, NULL, &g) != 0)
		fail_msg("no scenarios/*.ini (run from the repository root)");
	static struct scenario sc;
	for (size_t i = 0; i < g.gl_pathc; i++) {
		char err[SCENARIO_ERR_LEN];
		if (scenario_load(g.gl_pathv[i], &sc, err, sizeof err) != 0)
			fail_msg("%s", err);
		draw_one(&sc);
	}
	globfree(&g);
}

/* An empty run (no records yet) still draws: axes, titles, no curves. */
static struct picture *empty_picture(void)
{
	static struct scenario sc;
	char err[SCENARIO_ERR_LEN];
	if (scenario_load("scenarios/01-optimization-ease.ini", &sc, err, sizeof err) != 0)
		fail_msg("%s", err);
	static struct run_desc d;
	experiment_describe(&sc, &d);
	struct history h;
	history_init(&h, true);
	struct picture *p = picture_snapshot(&sc, &d, &h, -1, false);
	history_free(&h);
	assert_non_null(p);
	return p;
}

static void keep_never_replaces(void **state)
{
	(void)state;
	struct picture *p = empty_picture();
	char path[512], final[4096], why[1024];
	snprintf(path, sizeof path, "%s/keep.svg", dir);
	FILE *f = fopen(path, "w");
	fputs("mine", f);
	fclose(f);
	assert_int_equal(picture_write(p, path, PICTURE_SVG, true, final, why, sizeof why), 0);
	char want[600];
	snprintf(want, sizeof want, "%s/keep-2.svg", dir);
	assert_string_equal(final, want);
	char *mine = slurp(path);
	assert_string_equal(mine, "mine");
	free(mine);
	/* without keep, the named file is replaced */
	assert_int_equal(picture_write(p, path, PICTURE_SVG, false, final, why, sizeof why), 0);
	assert_string_equal(final, path);
	char *svg = slurp(path);
	assert_non_null(strstr(svg, "<svg"));
	free(svg);
	picture_free(p);
}

/* A folder that is not there: an error naming it, and no file anywhere. */
static void failure_leaves_nothing(void **state)
{
	(void)state;
	struct picture *p = empty_picture();
	char path[512], why[1024];
	snprintf(path, sizeof path, "%s/missing/x.png", dir);
	assert_int_equal(picture_write(p, path, PICTURE_PNG, false, NULL, why, sizeof why), -1);
	assert_non_null(strstr(why, path));
	assert_non_null(strstr(why, "No such file or directory"));
	picture_free(p);
}

static void formats_by_extension(void **state)
{
	(void)state;
	enum picture_format f;
	assert_true(picture_format_of("a.svg", &f) && f == PICTURE_SVG);
	assert_true(picture_format_of("dir.d/A.PNG", &f) && f == PICTURE_PNG);
	assert_true(picture_format_of("a.pdf", &f) && f == PICTURE_PDF);
	assert_false(picture_format_of("a.jpg", &f));
	assert_false(picture_format_of("svg", &f));
	assert_false(picture_format_of("a.svg/b", &f));
}

static int setup(void **state)
{
	(void)state;
	return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	char cmd[600];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(formats_by_extension),
		cmocka_unit_test(keep_never_replaces),
		cmocka_unit_test(failure_leaves_nothing),
		cmocka_unit_test(every_shipped_scenario_draws),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
