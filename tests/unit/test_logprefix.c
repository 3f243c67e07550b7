/* The time a log prefix says (logprefix_time), in every collector style
 * gcwatch recognises, and through the parser into the record (whole and
 * torn lines): the wall clock that anchors the trace's own clock. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "trace/gctrace.h"
#include "trace/logprefix.h"

/* 2026-12-01 17:09:00 UTC, and "now" for the year-less stamps. */
#define T0 1796144940LL
#define NOW 1796187600LL /* 2026-12-02 05:00:00 UTC */

static const char gcl[] =
	"gc 1 @0.017s 1%: 0.009+0.55+0.003 ms clock, 0.036+0.11/0.42/0.21+0.014 ms cpu, "
	"4->4->0 MB, 4 MB goal, 0 MB stacks, 0 MB globals, 4 P";

static int64_t at(const char *prefix, int64_t now_s)
{
	char line[512];

	snprintf(line, sizeof line, "%s%s", prefix, gcl);
	return logprefix_time(line, strlen(line), now_s);
}

static int setup_utc(void **state)
{
	(void)state;
	setenv("TZ", "UTC", 1);
	tzset();
	return 0;
}

/* journalctl -o short, short-precise, short-iso, short-iso-precise,
 * short-full, short-unix; short-monotonic has no wall clock. */
static void test_journald(void **state)
{
	(void)state;
	assert_int_equal(at("Dec 01 17:09:00 node api[42]: ", NOW), T0 * 1000);
	assert_int_equal(at("Dec 01 17:09:00.123456 node api[42]: ", NOW), T0 * 1000 + 123);
	assert_int_equal(at("2026-12-01T17:09:00+0000 node api[42]: ", NOW), T0 * 1000);
	assert_int_equal(at("2026-12-01T18:09:00+0100 node api[42]: ", NOW), T0 * 1000);
	assert_int_equal(at("2026-12-01T17:09:00.987654+00:00 node api[42]: ", NOW),
	                 T0 * 1000 + 987);
	assert_int_equal(at("Tue 2026-12-01 17:09:00 UTC node api[42]: ", NOW), T0 * 1000);
	assert_int_equal(at("Tue 2026-12-01 12:09:00 -0500 node api[42]: ", NOW), T0 * 1000);
	assert_int_equal(at("1796144940.123456 node api[42]: ", NOW), T0 * 1000 + 123);
	assert_int_equal(at("[ 12345.123456] node api[42]: ", NOW), GCWATCH_NO_TIME);
	/* A name alone: no time. */
	assert_int_equal(at("api[42]: ", NOW), GCWATCH_NO_TIME);
	assert_int_equal(at("", NOW), GCWATCH_NO_TIME);
}

/* kubectl logs --timestamps (RFC 3339 with nanoseconds), with --prefix
 * before it; docker logs -t the same. */
static void test_kubectl_docker(void **state)
{
	(void)state;
	assert_int_equal(at("2026-12-01T17:09:00.123456789Z ", NOW), T0 * 1000 + 123);
	assert_int_equal(at("[pod/api-7d9/app] 2026-12-01T17:09:00.5Z ", NOW),
	                 T0 * 1000 + 500);
	assert_int_equal(at("2026-12-01T17:09:00.000000001Z ", NOW), T0 * 1000);
	assert_int_equal(at("[pod/api-7d9/app] ", NOW), GCWATCH_NO_TIME);
	assert_int_equal(at("api_1  | ", NOW), GCWATCH_NO_TIME);
}

/* Syslog: RFC 5424 (an RFC 3339 stamp, or "-"), RFC 3164 (no year, the
 * day space-padded). */
static void test_syslog(void **state)
{
	(void)state;
	assert_int_equal(at("<30>1 2026-12-01T18:09:00.250+01:00 node api 42 - - ", NOW),
	                 T0 * 1000 + 250);
	assert_int_equal(at("<30>1 2026-12-01T17:09:00Z node api 42 ID7 [x@1 a=\"b\"] ", NOW),
	                 T0 * 1000);
	assert_int_equal(at("<30>1 - node api 42 - - ", NOW), GCWATCH_NO_TIME);
	assert_int_equal(at("<30>Dec  1 17:09:00 node api[42]: ", NOW), T0 * 1000);
	assert_int_equal(at("Dec  1 17:09:00 node api[42]: ", NOW), T0 * 1000);
}

/* A stamp without a year takes the current one, or the one before when
 * it would lie more than a day ahead. */
static void test_year(void **state)
{
	(void)state;
	/* Read seven hours before it (a writer a time zone ahead): kept. */
	assert_int_equal(at("Dec  1 17:09:00 node api[42]: ", 1796119200LL), T0 * 1000);
	/* Read in March: last December. */
	assert_int_equal(at("Dec  1 17:09:00 node api[42]: ", 1772323200LL),
	                 1764608940LL * 1000);
	/* New Year's Eve read just after midnight. */
	assert_int_equal(at("Dec 31 23:59:59 node api[42]: ", 1798761610LL),
	                 1798761599LL * 1000);
	/* 0: the clock's year; a stamp of today is not a year ago. */
	time_t now = time(NULL);
	struct tm tm;
	char stamp[64];
	localtime_r(&now, &tm);
	strftime(stamp, sizeof stamp, "%b %e %H:%M:%S node api[42]: ", &tm);
	assert_int_equal(at(stamp, 0), (int64_t)now * 1000);
}

/* Local time: the stamps without a zone are the reader's local time. */
static void test_local_zone(void **state)
{
	(void)state;
	setenv("TZ", "<+01>-1", 1); /* a fixed UTC+1, no tzdata needed */
	tzset();
	assert_int_equal(at("Dec 01 18:09:00 node api[42]: ", NOW), T0 * 1000);
	assert_int_equal(at("Tue 2026-12-01 18:09:00 CET node api[42]: ", NOW), T0 * 1000);
	/* With a zone, the zone. */
	assert_int_equal(at("2026-12-01T17:09:00Z ", NOW), T0 * 1000);
	setup_utc(state);
}

/* Impossible dates are no time. */
static void test_bad(void **state)
{
	(void)state;
	assert_int_equal(at("2026-13-01T17:09:00Z ", NOW), GCWATCH_NO_TIME);
	assert_int_equal(at("2026-12-01T25:09:00Z ", NOW), GCWATCH_NO_TIME);
}

/* ---- through the parser ---------------------------------------------- */

struct got {
	struct gc_record r[8];
	int n;
};

static void on_record(void *ctx, const struct gc_record *r)
{
	struct got *g = ctx;

	if (g->n < 8)
		g->r[g->n++] = *r;
}

/* A whole line and a line torn by a program's line carry their prefix's
 * time; a line without a prefix carries none. */
static void test_parser(void **state)
{
	(void)state;
	struct got g = { .n = 0 };
	struct gctrace_sink sink = { .record = on_record };
	struct gctrace *p = gctrace_new(&sink, &g);
	const char *in =
		"Dec 01 17:09:00 node api[42]: gc 1 @0.017s 1%: 0.009+0.55+0.003 ms clock, "
		"0.036+0.11/0.42/0.21+0.014 ms cpu, 4->4->0 MB, 4 MB goal, 0 MB stacks, "
		"0 MB globals, 4 P\n"
		"Dec 01 17:09:01 node api[42]: gc 2 @1.000app: torn\n"
		"Dec 01 17:09:02 node api[42]: s 5%: 0.013+2.9+0.050 ms clock, "
		"0.10+0.23/5.4/12+0.40 ms cpu, 16->172026/11/28 17:09:01 x\n"
		"Dec 01 17:09:01 node api[42]: ->8 MB, 17 MB goal, 8 P\n"
		"gc 3 @2.017s 1%: 0.009+0.55+0.003 ms clock, 0.036+0.11/0.42/0.21+0.014 ms cpu, "
		"4->4->0 MB, 4 MB goal, 0 MB stacks, 0 MB globals, 4 P\n";

	assert_non_null(p);
	gctrace_set_clock(p, NOW);
	gctrace_feed(p, in, strlen(in));
	gctrace_finish(p);
	assert_int_equal(g.n, 3);
	assert_int_equal(g.r[0].wall_ms, T0 * 1000);
	assert_string_equal(g.r[0].source, "api[42]");
	assert_int_equal(g.r[1].gc, 2);
	assert_int_equal(g.r[1].wall_ms, (T0 + 1) * 1000);
	assert_int_equal(g.r[2].wall_ms, GC_NULL);
	gctrace_free(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_journald),
		cmocka_unit_test(test_kubectl_docker),
		cmocka_unit_test(test_syslog),
		cmocka_unit_test(test_year),
		cmocka_unit_test(test_local_zone),
		cmocka_unit_test(test_bad),
		cmocka_unit_test(test_parser),
	};
	return cmocka_run_group_tests(tests, setup_utc, NULL);
}
