/* Unit tests for findings: every real fixture in tests/data/analysis (and
 * two real streams of the corpus) raises exactly the findings listed for
 * it; each finding has a fixture that raises it, and the healthy fixtures
 * raise none.  tests/data/analysis/README.md says how each was made. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "analysis/analysis.h"
#include "model/stats.h"
#include "trace/gctrace.h"

#ifndef TEST_DATA
#define TEST_DATA "tests/data"
#endif

static const struct {
	const char *file;
	const char *expect; /* the findings, space-separated, in table order */
	double gogc;        /* GOGC known from the environment, or -2 */
} fixtures[] = {
	{ "analysis/assist.log", "assist long-stw", -2 },
	{ "analysis/memory-limit.log", "memory-limit live-growth", -2 },
	{ "analysis/memory-limit.log", "memory-limit live-growth", 100 },
	{ "analysis/tiny-heap.log", "tiny-heap", -2 },
	{ "analysis/cpu-contention.log", "long-stw cpu-contention", -2 },
	{ "analysis/big-roots.log", "big-roots", -2 },
	{ "analysis/live-growth.log", "live-growth", -2 },
	{ "analysis/periodic-forced.log", "periodic-forced", -2 },
	/* Healthy: nothing to say. */
	{ "analysis/healthy-gogc100.log", "", -2 },
	{ "analysis/healthy-gogc100.log", "", 100 },
	{ "analysis/healthy-gogc400.log", "", -2 },
	{ "corpus/stream-go-run-two-processes.log", "", -2 },
	/* GOGC=50 from a file: a lower goal, but no limit at work. */
	{ "analysis/gogc50.log", "assist long-stw", -2 },
};

static void findings_of(const char *file, double gogc, char *out, size_t len)
{
	char path[512], line[4096];
	struct stats *s = malloc(sizeof *s);
	struct analysis *a = malloc(sizeof *a);
	struct analysis_opts o = { .gogc = gogc };
	struct finding f[FIND_COUNT];
	FILE *in;
	int n;

	snprintf(path, sizeof path, "%s/%s", TEST_DATA, file);
	in = fopen(path, "r");
	assert_non_null(in);
	stats_init(s);
	analysis_init(a, &o);
	while (fgets(line, sizeof line, in)) {
		struct gc_record r;
		size_t l = strcspn(line, "\n");
		if (gctrace_parse_line(line, l, &r)) {
			stats_add(s, &r);
			analysis_add(a, &r);
		}
	}
	fclose(in);
	n = analysis_findings(a, s, f);
	out[0] = 0;
	for (int i = 0; i < n; i++) {
		assert_true(f[i].evidence[0] != 0);
		assert_true(f[i].try_[0] != 0);
		snprintf(out + strlen(out), len - strlen(out), "%s%s", i ? " " : "", f[i].name);
	}
	free(s);
	analysis_free(a);
	free(a);
}

static void test_fixtures(void **state)
{
	bool raised[FIND_COUNT] = { false };
	char got[256];

	(void)state;
	for (size_t i = 0; i < sizeof fixtures / sizeof fixtures[0]; i++) {
		findings_of(fixtures[i].file, fixtures[i].gogc, got, sizeof got);
		if (strcmp(got, fixtures[i].expect) != 0)
			fail_msg("%s (GOGC %g): got \"%s\", expected \"%s\"", fixtures[i].file,
			         fixtures[i].gogc, got, fixtures[i].expect);
		for (char *t = strtok(got, " "); t; t = strtok(NULL, " "))
			raised[finding_lookup(t)] = true;
	}
	for (int i = 0; i < FIND_COUNT; i++)
		if (!raised[i])
			fail_msg("no fixture raises %s", finding_name((enum finding_id)i));
}

static void test_names(void **state)
{
	(void)state;
	for (int i = 0; i < FIND_COUNT; i++)
		assert_int_equal(finding_lookup(finding_name((enum finding_id)i)), i);
	assert_int_equal(finding_lookup("assists"), -1);
	assert_string_equal(finding_name(FIND_MEMORY_LIMIT), "memory-limit");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fixtures),
		cmocka_unit_test(test_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
