/* test_settings.c: the config file (include/overparam/settings.h) as a
 * lecturer writes it. Every setting lands where it should, relative paths
 * start at the config file's folder and "~/" at $HOME, comments and blank
 * lines and CRLF are fine; a preset sets its knobs on the scenario it
 * names exactly as turning the knobs would (scenario_apply_knob), and a
 * refused one leaves the scenario as it was. The messages themselves are in
 * tests/e2e_config.sh, through the binary. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "overparam/settings.h"

static struct settings s;

static int parse(const char *text, const char *name, char *err /* (SETTINGS_ERR_LEN) */)
{
	settings_init(&s);
	return settings_parse(text, strlen(text), name, &s, err, SETTINGS_ERR_LEN);
}

static void test_every_setting(void **state)
{
	(void)state;
	char err[SETTINGS_ERR_LEN] = "";
	setenv("HOME", "/home/t", 1);
	const char *text = "; mine\r\n[ui]\r\ntheme = high-contrast\nfps = 60\n  pace = 12.5 ; slow\n"
			   "export_dir = /tmp\n\n[store]\npath = ~/runs.db\nenabled = no\nkeep_runs = 200\nkeep_mb = 1\n"
			   "[scenarios]\ndir = /\ndir = .\n"
			   "[preset \"lecture 3\"]\nscenario = 03-benign-overfitting.ini\nnoise = 1\ntail = 1\n"
			   "# comment\n[preset \"b\"]\nscenario = 01\n";
	int rc = parse(text, "/tmp/config.ini", err);
	assert_string_equal(err, "");
	assert_int_equal(rc, 0);
	assert_string_equal(s.path, "/tmp/config.ini");
	assert_string_equal(s.theme, "high-contrast");
	assert_int_equal(s.fps, 60);
	assert_true(s.pace == 12.5);
	assert_string_equal(s.export_dir, "/tmp");
	assert_string_equal(s.store.path, "/home/t/runs.db");
	assert_int_equal(s.store.enabled, 0);
	assert_int_equal(s.store.keep_runs, 200);
	assert_int_equal(s.store.keep_mb, 1);
	assert_int_equal(s.n_dirs, 2);
	assert_string_equal(s.dirs[0], "/");
	assert_string_equal(s.dirs[1], "/tmp/."); /* relative: from the config's folder */
	assert_int_equal(s.n_presets, 2);
	const struct preset *p = settings_find_preset(&s, "lecture 3");
	assert_non_null(p);
	assert_string_equal(p->scenario, "03-benign-overfitting.ini");
	assert_int_equal(p->n_knobs, 2);
	assert_string_equal(p->knobs[1].name, "tail");
	assert_true(p->knobs[1].value == 1.0);
	assert_int_equal(p->knobs[1].line, 19);
	assert_null(settings_find_preset(&s, "lecture"));
	char names[128];
	settings_preset_names(&s, names, sizeof names);
	assert_string_equal(names, "\"lecture 3\", \"b\"");
}

static void test_nothing_set(void **state)
{
	(void)state;
	char err[SETTINGS_ERR_LEN] = "";
	assert_int_equal(parse("", "c.ini", err), 0);
	assert_string_equal(s.theme, "");
	assert_int_equal(s.fps, 0);
	assert_true(s.pace < 0);
	assert_int_equal(s.store.enabled, -1);
	assert_int_equal(parse("[ui]\npace = max\n", "c.ini", err), 0);
	assert_true(s.pace == 0);
	/* A missing default file is no error; a missing --config FILE is. */
	settings_init(&s);
	assert_int_equal(settings_load("/nonexistent/config.ini", false, &s, err, sizeof err), 0);
	assert_string_equal(s.path, "");
	assert_int_equal(settings_load("/nonexistent/config.ini", true, &s, err, sizeof err), -1);
	assert_string_equal(err, "/nonexistent/config.ini: No such file or directory");
}

static void test_default_path(void **state)
{
	(void)state;
	char buf[256];
	setenv("HOME", "/home/t", 1);
	setenv("XDG_CONFIG_HOME", "/x", 1);
	assert_int_equal(settings_default_path(buf, sizeof buf), 0);
	assert_string_equal(buf, "/x/overparam/config.ini");
	setenv("XDG_CONFIG_HOME", "rel", 1); /* the XDG spec: relative values are ignored */
	assert_int_equal(settings_default_path(buf, sizeof buf), 0);
	assert_string_equal(buf, "/home/t/.config/overparam/config.ini");
	unsetenv("XDG_CONFIG_HOME");
	unsetenv("HOME");
	assert_int_equal(settings_default_path(buf, sizeof buf), -1);
}

static void test_preset_applies_like_knobs(void **state)
{
	(void)state;
	char err[SETTINGS_ERR_LEN] = "", serr[SCENARIO_ERR_LEN];
	static struct scenario sc[2], by_knob;
	assert_int_equal(scenario_load("scenarios/01-optimization-ease.ini", &sc[0], serr, sizeof serr), 0);
	assert_int_equal(scenario_load("scenarios/03-benign-overfitting.ini", &sc[1], serr, sizeof serr), 0);
	by_knob = sc[1];
	assert_int_equal(parse("[preset \"p\"]\nscenario = 03-benign-overfitting\nnoise = 1\ntail = 1\n", "c.ini", err), 0);
	assert_int_equal(settings_apply_preset(&s, &s.presets[0], sc, 2, err, sizeof err), 1);
	/* The same as turning the two knobs by hand. */
	assert_int_equal(scenario_apply_knob(&by_knob, 0, 1.0, serr, sizeof serr), 0);
	assert_int_equal(scenario_apply_knob(&by_knob, 1, 1.0, serr, sizeof serr), 0);
	assert_memory_equal(&sc[1], &by_knob, sizeof by_knob);
	assert_true(sc[1].data.noise == 1.0 && sc[1].data.lambda_tail == 1.0);

	/* A refused value anywhere leaves the scenario as it was. */
	struct scenario before = sc[1];
	assert_int_equal(parse("[preset \"p\"]\nscenario = 03-benign-overfitting.ini\nnoise = 0.3\nnoise2 = 1\n",
			       "c.ini", err),
			 0);
	assert_int_equal(settings_apply_preset(&s, &s.presets[0], sc, 2, err, sizeof err), -1);
	assert_string_equal(err, "c.ini:4: preset \"p\".noise2: scenarios/03-benign-overfitting.ini has no such knob "
				 "(its knobs: noise, tail, p)");
	assert_memory_equal(&sc[1], &before, sizeof before);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_setting),
		cmocka_unit_test(test_nothing_set),
		cmocka_unit_test(test_default_path),
		cmocka_unit_test(test_preset_applies_like_knobs),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
