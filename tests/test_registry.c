/* test_registry.c: the registry of experiment kinds (src/run/experiment.c)
 * as the rest of the program relies on it. Every kind has a complete
 * descriptor: its word, its checks, its memory estimate (without one, the
 * memory cap would have nothing to check), and its run and report code.
 * The words are unique and are what the parser reads; the defaults a kind
 * chooses are values it takes; and a shipped scenario shows each kind off
 * within the memory cap. */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "overparam/experiment.h"
#include "overparam/scenario.h"

/* The kinds, counted from the registry itself (NULL past the last). */
static int kind_count(void)
{
	int n = 0;
	while (experiment_ops_for((enum scenario_kind)n))
		n++;
	return n;
}

static void test_every_kind_is_complete(void **state)
{
	(void)state;
	assert_int_equal(kind_count(), KIND_COUNT);
	assert_null(experiment_ops_for(KIND_COUNT));
	for (int k = 0; k < KIND_COUNT; k++) {
		const struct experiment_ops *ops = experiment_ops_for((enum scenario_kind)k);
		assert_non_null(ops);
		assert_non_null(ops->kind);
		assert_true(ops->kind[0] != '\0');
		if (!ops->check || !ops->memory || !ops->create || !ops->step || !ops->destroy || !ops->describe ||
		    !ops->report)
			fail_msg("kind %s: its descriptor lacks a hook (check, memory, create, step, destroy, describe "
				 "and report are all required)",
				 ops->kind);
	}
}

static void test_words_unique_and_parsed(void **state)
{
	(void)state;
	for (int k = 0; k < KIND_COUNT; k++) {
		const char *word = experiment_ops_for((enum scenario_kind)k)->kind;
		for (int j = 0; j < k; j++)
			if (strcmp(word, experiment_ops_for((enum scenario_kind)j)->kind) == 0)
				fail_msg("kinds %d and %d are both '%s'", j, k, word);
		assert_string_equal(scenario_kind_name((enum scenario_kind)k), word);

		/* The parser takes the word (the file then stops at the next
		 * required key) and stores this kind. */
		char text[128], err[SCENARIO_ERR_LEN];
		struct scenario sc;
		snprintf(text, sizeof text, "[scenario]\nkind = %s\n", word);
		assert_int_equal(scenario_parse(text, strlen(text), "t.ini", &sc, err, sizeof err), -1);
		assert_string_equal(err, "t.ini:1: scenario.title: required key is missing");
		assert_int_equal(sc.kind, k);
	}
	assert_string_equal(scenario_kind_name(KIND_COUNT), "unknown");
}

/* A file that leaves data.target or train.optimizer out gets a value the
 * kind takes. */
static void test_defaults_are_taken(void **state)
{
	(void)state;
	for (int k = 0; k < KIND_COUNT; k++) {
		const struct experiment_ops *ops = experiment_ops_for((enum scenario_kind)k);
		if (ops->keys & KEY_BIT(KEY_TARGET) && !(ops->targets & TARGET_BIT(ops->target)))
			fail_msg("kind %s: its default target is not one it takes", ops->kind);
		if (ops->keys & KEY_BIT(KEY_OPTIMIZER) && !(ops->optimizers & OPT_WORD_BIT(ops->optimizer)))
			fail_msg("kind %s: its default optimizer is not one it takes", ops->kind);
	}
}

/* Every shipped scenario fits the cap, its estimate blames a key, and every
 * kind has at least one. */
static void test_shipped_scenarios_cover_every_kind(void **state)
{
	(void)state;
	char dir[512], path[1024], err[SCENARIO_ERR_LEN];
	const char *src = __FILE__, *slash = strrchr(src, '/');
	int len = slash ? (int)(slash - src) : 0;
	snprintf(dir, sizeof dir, "%.*s%s../scenarios", len, src, slash ? "/" : "");
	DIR *d = opendir(dir);
	assert_non_null(d);
	int shipped[KIND_COUNT] = {0};
	struct dirent *e;
	while ((e = readdir(d))) {
		size_t n = strlen(e->d_name);
		if (n < 5 || strcmp(e->d_name + n - 4, ".ini") != 0)
			continue;
		struct scenario sc;
		snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
		if (scenario_load(path, &sc, err, sizeof err) != 0)
			fail_msg("%s", err);
		const struct experiment_ops *ops = experiment_ops_for(sc.kind);
		enum config_key blame = KEY_COUNT;
		double bytes = ops->memory(&sc, &blame);
		assert_true(bytes > 0);
		assert_true(blame >= 0 && blame < KEY_COUNT);
		assert_true(scenario_memory(&sc) >= (size_t)bytes && scenario_memory(&sc) <= SCENARIO_MEMORY_CAP);
		shipped[sc.kind]++;
	}
	closedir(d);
	for (int k = 0; k < KIND_COUNT; k++)
		if (!shipped[k])
			fail_msg("kind %s has no scenario in scenarios/", scenario_kind_name((enum scenario_kind)k));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_kind_is_complete),
		cmocka_unit_test(test_words_unique_and_parsed),
		cmocka_unit_test(test_defaults_are_taken),
		cmocka_unit_test(test_shipped_scenarios_cover_every_kind),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
