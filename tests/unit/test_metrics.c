/* Unit tests for metrics: state, snapshots, both renderings, negotiation. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "outputs/metrics.h"

static struct gc_record rec(uint64_t gc, int64_t sweep_us, int64_t markterm_us)
{
	struct gc_record r;

	gcrecord_clear(&r);
	r.gc = gc;
	r.at_ms = 1000;
	r.procs = 8;
	r.clock_sweep_term_us = sweep_us;
	r.clock_mark_us = 2900;
	r.clock_mark_term_us = markterm_us;
	r.cpu_sweep_term_us = 100;
	r.cpu_assist_us = 230;
	r.cpu_background_us = 5400;
	r.cpu_idle_us = 12000;
	r.cpu_mark_term_us = 400;
	r.heap_start_mb = 16;
	r.heap_end_mb = 17;
	r.heap_live_mb = 8;
	r.heap_goal_mb = 17;
	r.era = GC_ERA_16;
	return r;
}

/* Render the latest snapshot; the caller frees. */
static char *render(struct metrics *m, enum metrics_format f)
{
	struct metrics_snap *s = metrics_acquire(m);
	size_t len;

	assert_non_null(s);
	char *body = metrics_render(s, f, &len);
	assert_non_null(body);
	char *z = malloc(len + 1);
	memcpy(z, body, len);
	z[len] = 0;
	free(body);
	metrics_snap_release(s);
	return z;
}

static void has(const char *body, const char *line)
{
	if (!strstr(body, line))
		fail_msg("missing '%s' in:\n%s", line, body);
}

static void hasnt(const char *body, const char *line)
{
	if (strstr(body, line))
		fail_msg("unexpected '%s' in:\n%s", line, body);
}

static void test_exact_values(void **state)
{
	struct metrics *m = metrics_new(0, 0);
	struct gc_record r = rec(1, 10, 40);

	metrics_record(m, NULL, &r, 1764625200123ull);
	r = rec(2, 11, 0);
	r.stacks_mb = 1;
	metrics_record(m, NULL, &r, 1764625200456ull);
	metrics_lines(m, NULL, 2, 3, 4, 1, 2000);
	metrics_publish(m, 2000, false);
	char *b = render(m, METRICS_TEXT);
	has(b, "gctrace_pause_seconds_sum 0.000061\n");
	has(b, "gctrace_pause_seconds_count 2\n");
	has(b, "gctrace_stw_seconds_total{phase=\"sweep_termination\"} 0.000021\n");
	has(b, "gctrace_stw_seconds_total{phase=\"mark_termination\"} 0.00004\n");
	has(b, "gctrace_mark_seconds_total 0.0058\n");
	has(b, "gctrace_cpu_seconds_total{phase=\"idle\"} 0.024\n");
	has(b, "gctrace_heap_live_bytes 8388608\n");
	has(b, "gctrace_heap_goal_bytes 17825792\n");
	has(b, "gctrace_stacks_bytes 1048576\n");
	hasnt(b, "gctrace_globals_bytes");        /* null in the last record */
	has(b, "gctrace_procs 8\n");
	has(b, "gctrace_last_cycle_timestamp_seconds 1764625200.456\n");
	has(b, "gctrace_runs_total 1\n");
	has(b, "gctrace_dropped_records_total 1\n");
	has(b, "gctrace_lines_total{kind=\"gc\"} 2\n");
	has(b, "gctrace_lines_total{kind=\"program\"} 4\n");
	has(b, "gctrace_source_up 1\n");
	hasnt(b, "source=");
	hasnt(b, "# EOF");
	hasnt(b, "# UNIT");
	free(b);
	metrics_free(m);
}

static void test_restart_counts_runs(void **state)
{
	struct metrics *m = metrics_new(0, 0);

	for (uint64_t gc = 1; gc <= 3; gc++) {
		struct gc_record r = rec(gc, 10, 10);
		metrics_record(m, NULL, &r, 1000);
	}
	struct gc_record r = rec(1, 10, 10);
	metrics_record(m, NULL, &r, 1000);
	metrics_publish(m, 1000, false);
	char *b = render(m, METRICS_TEXT);
	has(b, "gctrace_runs_total 2\n");
	has(b, "gctrace_cycles_total 4\n");
	free(b);
	metrics_free(m);
}

static void test_openmetrics(void **state)
{
	struct metrics *m = metrics_new(0, 0);
	struct gc_record r = rec(1, 10, 40);

	metrics_record(m, NULL, &r, 1000);
	metrics_publish(m, 1000, false);
	char *b = render(m, METRICS_OPENMETRICS);
	has(b, "# TYPE gctrace_cycles counter\n# HELP gctrace_cycles ");
	has(b, "gctrace_cycles_total 1\n");
	has(b, "# TYPE gctrace_pause_seconds histogram\n# UNIT gctrace_pause_seconds seconds\n");
	has(b, "# TYPE gctrace_cpu_seconds counter\n# UNIT gctrace_cpu_seconds seconds\n");
	has(b, "# UNIT gctrace_heap_live_bytes bytes\n");
	hasnt(b, "# TYPE gctrace_cycles_total");
	size_t n = strlen(b);
	assert_true(n > 6 && strcmp(b + n - 6, "# EOF\n") == 0);
	assert_true(strstr(b, "# EOF") == b + n - 6); /* once, at the end */
	free(b);
	metrics_free(m);
}

static void test_sources_labels_and_escaping(void **state)
{
	struct metrics *m = metrics_new(0, 0);
	struct gc_record r = rec(1, 10, 40);

	metrics_record(m, "b\"q\\x\ny", &r, 1000);
	metrics_record(m, "a[1]", &r, 1000);
	metrics_record(m, "bad\xff", &r, 1000);
	metrics_publish(m, 1000, false);
	struct metrics_snap *s = metrics_acquire(m);
	assert_int_equal(metrics_snap_sources(s), 3);
	metrics_snap_release(s);
	char *b = render(m, METRICS_TEXT);
	has(b, "gctrace_cycles_total{source=\"a[1]\"} 1\n");
	has(b, "gctrace_cycles_total{source=\"b\\\"q\\\\x\\ny\"} 1\n");
	has(b, "gctrace_cycles_total{source=\"bad\xef\xbf\xbd\"} 1\n");
	has(b, "gctrace_pause_seconds_bucket{source=\"a[1]\",le=\"+Inf\"} 1\n");
	has(b, "gctrace_cpu_seconds_total{source=\"a[1]\",phase=\"assist\"} 0.00023\n");
	/* Sorted by name: a family's series of a[1] come before b's. */
	assert_true(strstr(b, "cycles_total{source=\"a[1]\"}") <
	            strstr(b, "cycles_total{source=\"b"));
	free(b);
	metrics_free(m);
}

static void test_retention_and_overflow(void **state)
{
	struct metrics *m = metrics_new(2, 60000);
	struct gc_record r = rec(1, 10, 40);

	metrics_record(m, NULL, &r, 1000);
	metrics_record(m, "x", &r, 1000);
	metrics_record(m, "y", &r, 1000); /* no room */
	metrics_record(m, "y", &r, 1000);
	metrics_publish(m, 1000, false);
	char *b = render(m, METRICS_TEXT);
	has(b, "gctrace_overflow_records_total 2\n");
	hasnt(b, "source=\"y\"");
	free(b);
	/* x silent past the retention: gone; the unnamed feed stays. */
	metrics_publish(m, 1000 + 60001, false);
	b = render(m, METRICS_TEXT);
	hasnt(b, "source=\"x\"");
	has(b, "gctrace_cycles_total 1\n");
	free(b);
	/* Its slot is free again. */
	metrics_record(m, "y", &r, 70000);
	metrics_publish(m, 70000, false);
	b = render(m, METRICS_TEXT);
	has(b, "gctrace_cycles_total{source=\"y\"} 1\n");
	free(b);
	metrics_free(m);
}

static void test_snapshots_immutable(void **state)
{
	struct metrics *m = metrics_new(0, 0);
	struct gc_record r = rec(1, 10, 40);

	assert_null(metrics_acquire(m));
	uint64_t v1 = metrics_publish(m, 1000, true);
	struct metrics_snap *old = metrics_acquire(m);
	metrics_record(m, NULL, &r, 1000);
	/* Nothing published yet: the reader still sees the old one. */
	assert_int_equal(metrics_snap_version(old), v1);
	uint64_t v2 = metrics_publish(m, 1000, false);
	assert_true(v2 > v1);
	/* Unchanged: no new snapshot. */
	assert_int_equal(metrics_publish(m, 1100, false), v2);
	size_t len;
	char *b = metrics_render(old, METRICS_TEXT, &len);
	assert_null(memmem(b, len, "gctrace_cycles_total", 20)); /* not NUL-terminated */
	free(b);
	metrics_snap_release(old);
	struct metrics_snap *cur = metrics_acquire(m);
	assert_int_equal(metrics_snap_version(cur), v2);
	metrics_snap_release(cur);
	metrics_free(m);
}

static void test_negotiate(void **state)
{
	assert_int_equal(metrics_negotiate(NULL), METRICS_TEXT);
	assert_int_equal(metrics_negotiate(""), METRICS_TEXT);
	assert_int_equal(metrics_negotiate("*/*"), METRICS_TEXT);
	assert_int_equal(metrics_negotiate("text/plain"), METRICS_TEXT);
	/* What Prometheus 2.42 sends. */
	assert_int_equal(metrics_negotiate("application/openmetrics-text;version=1.0.0,"
	                                   "application/openmetrics-text;version=0.0.1;q=0.75,"
	                                   "text/plain;version=0.0.4;q=0.5,*/*;q=0.1"),
	                 METRICS_OPENMETRICS);
	assert_int_equal(metrics_negotiate("application/openmetrics-text"), METRICS_OPENMETRICS);
	assert_int_equal(metrics_negotiate("text/plain;version=0.0.4;q=0.9, "
	                                   "application/openmetrics-text; version=1.0.0; q=0.5"),
	                 METRICS_TEXT);
	assert_int_equal(metrics_negotiate("application/openmetrics-text;version=2.0.0,text/plain"),
	                 METRICS_TEXT);
	assert_int_equal(metrics_negotiate("application/openmetrics-text;q=0, text/plain"),
	                 METRICS_TEXT);
	assert_int_equal(metrics_negotiate("Application/OpenMetrics-Text; Version=1.0.0"),
	                 METRICS_OPENMETRICS);
	assert_string_equal(metrics_content_type(METRICS_TEXT),
	                    "text/plain; version=0.0.4; charset=utf-8");
	assert_string_equal(metrics_content_type(METRICS_OPENMETRICS),
	                    "application/openmetrics-text; version=1.0.0; charset=utf-8");
}

static void test_buckets_fixed(void **state)
{
	assert_int_equal(metrics_bucket_us[0], 10);
	assert_int_equal(metrics_bucket_us[METRICS_BUCKETS - 1], 10000000);
	for (int i = 1; i < METRICS_BUCKETS; i++)
		assert_true(metrics_bucket_us[i] > metrics_bucket_us[i - 1]);
	/* A 20 s pause lands in +Inf only. */
	struct metrics *m = metrics_new(0, 0);
	struct gc_record r = rec(1, 20000000, 0);
	metrics_record(m, NULL, &r, 1000);
	metrics_publish(m, 1000, false);
	char *b = render(m, METRICS_TEXT);
	has(b, "gctrace_pause_seconds_bucket{le=\"10\"} 0\n");
	has(b, "gctrace_pause_seconds_bucket{le=\"+Inf\"} 1\n");
	has(b, "gctrace_pause_seconds_sum 20\n");
	free(b);
	metrics_free(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_exact_values),
		cmocka_unit_test(test_restart_counts_runs),
		cmocka_unit_test(test_openmetrics),
		cmocka_unit_test(test_sources_labels_and_escaping),
		cmocka_unit_test(test_retention_and_overflow),
		cmocka_unit_test(test_snapshots_immutable),
		cmocka_unit_test(test_negotiate),
		cmocka_unit_test(test_buckets_fixed),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
