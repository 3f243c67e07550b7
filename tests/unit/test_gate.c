/* Unit tests of --fail-if expressions: parsing, units, errors, holding. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "app/gate.h"
#include "trace/gctrace.h"

static void test_parse_units(void **state)
{
	(void)state;
	struct gate g;
	char err[1024];
	struct {
		const char *expr;
		const char *metric;
		double value;
	} ok[] = {
		{"pause.p99 > 5ms", "pause.p99", 5},
		{"pause.p99>5ms", "pause.p99", 5},
		{" pause.max >= 800us ", "pause.max", 0.8},
		{"pause.total < 1.5s", "pause.total", 1500},
		{"pause.p50 > 2", "pause.p50", 2},
		{"gc.cpu > 10%", "gc.cpu", 10},
		{"heap.live.max > 512MB", "heap.live.max", 512},
		{"heap.goal.max >= 2GB", "heap.goal.max", 2048},
		{"heap.live.last > 1024KB", "heap.live.last", 1},
		{"gc.rate > 20/s", "gc.rate", 20},
		{"gc.rate > 3/min", "gc.rate", 0.05},
		{"gc.count == 0", "gc.count", 0},
		{"mark.assist != 0%", "mark.assist", 0},
	};
	for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
		if (gate_parse(ok[i].expr, &g, err, sizeof err) != 0)
			fail_msg("'%s' refused: %s", ok[i].expr, err);
		assert_string_equal(g.metric, ok[i].metric);
		assert_true(g.value > ok[i].value - 1e-9 && g.value < ok[i].value + 1e-9);
	}
	const char *bad[] = {"", "pause.p99", "pause.p99 >", "pause.p99 > 5MB",
	                     "heap.live.max > 5ms", "gc.cpu > 10s", "paws.p99 > 1",
	                     "pause.p99 ~ 5", "pause.p99 > five", "gc.count > 3ms"};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		err[0] = 0;
		if (gate_parse(bad[i], &g, err, sizeof err) == 0)
			fail_msg("'%s' accepted", bad[i]);
		assert_non_null(strstr(err, "--fail-if"));
		assert_true(strstr(err, "expected") || strstr(err, "unknown"));
	}
}

static void test_holds(void **state)
{
	(void)state;
	struct stats s;
	struct gc_record r;
	struct gate g;
	char err[256];
	double v;
	bool has;

	stats_init(&s);
	assert_int_equal(gate_parse("pause.max > 0ms", &g, err, sizeof err), 0);
	assert_false(gate_holds(&g, &s, NULL, &v, &has)); /* nothing seen: no value */
	assert_false(has);
	const char *line = "gc 1 @0.100s 3%: 0.5+2.0+1.5 ms clock, 1.0+0.5/2.0/1.0+1.0 ms cpu, 600->610->300 MB, 620 MB goal, 4 P";
	assert_int_equal(gctrace_parse_line(line, strlen(line), &r), 1);
	stats_add(&s, &r);
	assert_int_equal(gate_parse("pause.max > 1999us", &g, err, sizeof err), 0);
	assert_true(gate_holds(&g, &s, NULL, &v, &has)); /* 0.5 + 1.5 = 2 ms */
	assert_int_equal(gate_parse("pause.max > 2ms", &g, err, sizeof err), 0);
	assert_false(gate_holds(&g, &s, NULL, &v, &has));
	assert_int_equal(gate_parse("heap.live.max >= 300MB", &g, err, sizeof err), 0);
	assert_true(gate_holds(&g, &s, NULL, &v, &has));
	assert_int_equal(gate_parse("heap.live.max > 0.29GB", &g, err, sizeof err), 0);
	assert_true(gate_holds(&g, &s, NULL, &v, &has));
	assert_int_equal(gate_parse("gc.count == 1", &g, err, sizeof err), 0);
	assert_true(gate_holds(&g, &s, NULL, &v, &has));
	assert_int_equal(gate_parse("mark.assist > 14%", &g, err, sizeof err), 0);
	assert_true(gate_holds(&g, &s, NULL, &v, &has)); /* 0.5 of 3.5 */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_units),
		cmocka_unit_test(test_holds),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
