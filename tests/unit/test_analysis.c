/* Unit tests for analysis: GOGC and size parsing, the mmu.* and finding.*
 * metrics, and the summary lines, over a real fixture. */
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

static void test_parse(void **state)
{
	double mb;

	(void)state;
	assert_true(analysis_parse_gogc(NULL) == 100);
	assert_true(analysis_parse_gogc("") == 100);
	assert_true(analysis_parse_gogc("off") == -1);
	assert_true(analysis_parse_gogc("250") == 250);
	assert_true(analysis_parse_gogc("lots") == -2);
	assert_true(analysis_parse_size("512MiB", 1.0 / 1048576, &mb) && mb == 512);
	assert_true(analysis_parse_size("2GB", 1, &mb) && mb == 2048);
	assert_true(analysis_parse_size("1048576", 1.0 / 1048576, &mb) && mb == 1);
	assert_true(analysis_parse_size("64", 1, &mb) && mb == 64);
	assert_false(analysis_parse_size("64 apples", 1, &mb));
	assert_false(analysis_parse_size("-3MB", 1, &mb));
	assert_false(analysis_parse_size("", 1, &mb));
}

static void load(const char *file, struct stats *s, struct analysis *a)
{
	char path[512], line[4096];
	struct analysis_opts o = { .gogc = -2, .whatif_limit_mb = 30 };
	FILE *in;

	snprintf(path, sizeof path, "%s/%s", TEST_DATA, file);
	assert_non_null(in = fopen(path, "r"));
	stats_init(s);
	analysis_init(a, &o);
	while (fgets(line, sizeof line, in)) {
		struct gc_record r;
		if (gctrace_parse_line(line, strcspn(line, "\n"), &r)) {
			stats_add(s, &r);
			analysis_add(a, &r);
		}
	}
	fclose(in);
}

static void test_metrics_and_summary(void **state)
{
	struct stats *s = malloc(sizeof *s);
	struct analysis *a = malloc(sizeof *a);
	char *buf;
	size_t len;
	FILE *out;
	double v, u;

	(void)state;
	load("analysis/tiny-heap.log", s, a);
	assert_int_equal(analysis_metric(a, s, "mmu.10ms", &v), 0);
	assert_true(mmu_get(&a->mmu, 0, &u));
	assert_true(v == 100 * u && v > 0 && v < 100);
	assert_int_equal(analysis_metric(a, s, "finding.tiny-heap", &v), 0);
	assert_true(v == 1);
	assert_int_equal(analysis_metric(a, s, "finding.assist", &v), 0);
	assert_true(v == 0);
	assert_int_equal(analysis_metric(a, s, "finding.nope", &v), -1);
	assert_int_equal(analysis_metric(a, s, "pause.p99", &v), -1);
	assert_true(analysis_metric_known("mmu.1s"));
	assert_true(analysis_metric_known("finding.periodic-forced"));
	assert_false(analysis_metric_known("mmu.2s"));

	out = open_memstream(&buf, &len);
	analysis_print(a, s, out, 0);
	fclose(out);
	assert_non_null(strstr(buf, "mmu          10ms "));
	assert_non_null(strstr(buf, "\nfinding tiny-heap: the 4 MB minimum goal decided "));
	assert_non_null(strstr(buf, "; try a GOGC above 100"));
	assert_non_null(strstr(buf, "\nwhat-if      from "));
	assert_non_null(strstr(buf, "\n             GOGC           now      50     100     200     400  +limit\n"));
	assert_non_null(strstr(buf, "+limit = GOGC 100, limit 30 MB"));
	free(buf);

	/* At 80 columns the finding folds under the label column; the
	 * what-if table is unchanged. */
	out = open_memstream(&buf, &len);
	analysis_print(a, s, out, 80);
	fclose(out);
	assert_non_null(strstr(buf, "\nfinding tiny-heap: the 4 MB minimum goal decided "));
	assert_non_null(strstr(buf, "\n             39.4 collections/s; try a GOGC above 100,"));
	for (char *l = strstr(buf, "\nfinding ") + 1, *nl; (nl = strchr(l, '\n')) &&
	     strncmp(l, "what-if", 7) != 0; l = nl + 1)
		assert_true(nl - l <= 80);
	free(buf);

	/* The JSON members: a limit row after the four GOGC rows. */
	out = open_memstream(&buf, &len);
	analysis_json(a, s, NULL, out);
	fclose(out);
	assert_non_null(strstr(buf, ",\"mmu\":{\"10ms\":"));
	assert_non_null(strstr(buf, "\"findings\":[{\"name\":\"tiny-heap\""));
	assert_non_null(strstr(buf, "{\"gogc\":400,\"limit_mb\":null"));
	assert_non_null(strstr(buf, ",\"limit_mb\":30,"));
	assert_non_null(strstr(buf, "\"lacks\":[\"nonheap_mb\",\"gogc\"]"));
	free(buf);
	free(s);
	analysis_free(a);
	free(a);
}

static void test_empty(void **state)
{
	struct stats s;
	struct analysis *a = malloc(sizeof *a);
	struct analysis_opts o = { .gogc = 100 };
	double v;
	char *buf;
	size_t len;
	FILE *out;

	(void)state;
	stats_init(&s);
	analysis_init(a, &o);
	assert_int_equal(analysis_metric(a, &s, "mmu.10ms", &v), 1);
	out = open_memstream(&buf, &len);
	analysis_print(a, &s, out, 0);
	fclose(out);
	assert_int_equal(len, 0);
	free(buf);
	analysis_free(a);
	free(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_metrics_and_summary),
		cmocka_unit_test(test_empty),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
