/* Unit tests for stats: every metric and the printed summary, for real
 * gctrace streams (a go run restart), pre-1.5 records, big values, bad
 * timestamps and the empty case. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <math.h>
#include <cmocka.h>

#include "trace/gcrecord.h"
#include "model/stats.h"

#ifndef TEST_DATA
#define TEST_DATA "tests/data"
#endif

/* "0.013" ms -> 13 us, exactly. */
static int64_t ms_to_us(const char *s)
{
	int64_t v = 0;
	int frac = -1;

	for (; *s; s++) {
		if (*s == '.') {
			frac = 0;
			continue;
		}
		v = v * 10 + (*s - '0');
		if (frac >= 0)
			frac++;
	}
	for (frac = frac < 0 ? 0 : frac; frac < 3; frac++)
		v *= 10;
	return v;
}

/*
 * A small parser for Go 1.6+ gc lines, enough to turn the corpus into
 * records here without depending on the real parser.
 */
static bool parse(const char *line, struct gc_record *r)
{
	unsigned long long gc;
	char at[32], c1[16], c2[16], c3[16], u1[16], u2[16], u3[16], u4[16],
	        u5[16];
	long long h0, h1, h2, goal, stacks, globals;
	int pct, procs, n = 0;
	const char *rest;

	gcrecord_clear(r);
	if (sscanf(line,
	           "gc %llu @%31[0-9.]s %d%%: %15[0-9.]+%15[0-9.]+%15[0-9.] ms "
	           "clock, %15[0-9.]+%15[0-9.]/%15[0-9.]/%15[0-9.]+%15[0-9.] "
	           "ms cpu, %lld->%lld->%lld MB, %lld MB goal, %n",
	           &gc, at, &pct, c1, c2, c3, u1, u2, u3, u4, u5, &h0, &h1, &h2,
	           &goal, &n) != 15 ||
	    n == 0)
		return false;
	rest = line + n;
	if (sscanf(rest, "%lld MB stacks, %lld MB globals, %n", &stacks,
	           &globals, &n) == 2) {
		r->stacks_mb = stacks;
		r->globals_mb = globals;
		rest += n;
		r->era = GC_ERA_118;
	} else {
		r->era = GC_ERA_16;
	}
	if (sscanf(rest, "%d P", &procs) != 1)
		return false;
	r->gc = gc;
	/* Seconds to milliseconds is the same scaling as ms to us. */
	r->at_ms = ms_to_us(at);
	r->cpu_pct = pct;
	r->clock_sweep_term_us = ms_to_us(c1);
	r->clock_mark_us = ms_to_us(c2);
	r->clock_mark_term_us = ms_to_us(c3);
	r->cpu_sweep_term_us = ms_to_us(u1);
	r->cpu_assist_us = ms_to_us(u2);
	r->cpu_background_us = ms_to_us(u3);
	r->cpu_idle_us = ms_to_us(u4);
	r->cpu_mark_term_us = ms_to_us(u5);
	r->heap_start_mb = h0;
	r->heap_end_mb = h1;
	r->heap_live_mb = h2;
	r->heap_goal_mb = goal;
	r->procs = procs;
	r->forced = strstr(rest, "(forced)") != NULL;
	return true;
}

static void add_line(struct stats *s, const char *line, bool want_new_run)
{
	struct gc_record r;

	assert_true(parse(line, &r));
	assert_int_equal(stats_add(s, &r), want_new_run);
}

/* The summary as a string (caller frees); checks it is all ASCII. */
static char *summary(const struct stats *s)
{
	char *text = NULL;
	size_t len = 0, i;
	FILE *f = open_memstream(&text, &len);

	assert_non_null(f);
	stats_print(s, f);
	assert_int_equal(fclose(f), 0);
	for (i = 0; i < len; i++)
		assert_true((unsigned char)text[i] < 0x80);
	return text;
}

static void expect_summary(const struct stats *s, const char *want)
{
	char *text = summary(s);

	assert_string_equal(text, want);
	free(text);
}

static void expect_metric(const struct stats *s, const char *name,
                          double want)
{
	double v = -12345;
	int rc = stats_metric(s, name, &v);

	if (rc != 0)
		fail_msg("%s: no value (%d), want %g", name, rc, want);
	if (fabs(v - want) > 1e-9 * fabs(want) + 1e-12)
		fail_msg("%s: got %.9g, want %.9g", name, v, want);
}

/* Quantiles come from the histogram: within its 1%. */
static void expect_metric_near(const struct stats *s, const char *name,
                               double want)
{
	double v = -12345;

	assert_int_equal(stats_metric(s, name, &v), 0);
	if (fabs(v - want) > 0.01 * want)
		fail_msg("%s: got %.9g, want %.9g +- 1%%", name, v, want);
}

static void expect_no_value(const struct stats *s, const char *name)
{
	double v = -12345;

	assert_int_equal(stats_metric(s, name, &v), 1);
	assert_true(v == -12345);
}

static struct stats st;

static void test_empty(void **state)
{
	const char *const *name;

	(void)state;
	stats_init(&st);
	expect_summary(&st, "gc           0 collections (no gc lines seen)\n");
	expect_metric(&st, "gc.count", 0);
	expect_metric(&st, "gc.runs", 0);
	expect_metric(&st, "gc.forced", 0);
	expect_metric(&st, "lost", 0);
	expect_metric(&st, "lost.records", 0);
	expect_metric(&st, "lost.bytes", 0);
	for (name = stats_metric_names(); *name; name++)
		if (strcmp(*name, "gc.count") != 0 &&
		    strcmp(*name, "gc.runs") != 0 &&
		    strcmp(*name, "gc.forced") != 0 &&
		    strncmp(*name, "lost", 4) != 0)
			expect_no_value(&st, *name);
}

/*
 * A real go run stream: the go command's gc 1..20, a line of its own
 * output, then the program's gc 1..6.  Expected values computed by hand
 * (and with a script) from the file.
 */
static void test_go_run_stream(void **state)
{
	FILE *f = fopen(TEST_DATA "/corpus/stream-go-run-two-processes.log",
	                "r");
	char line[1024];
	int records = 0, starts = 0;
	struct gc_record r;

	(void)state;
	assert_non_null(f);
	stats_init(&st);
	while (fgets(line, sizeof line, f) != NULL) {
		if (!parse(line, &r))
			continue;
		records++;
		if (stats_add(&st, &r)) {
			starts++;
			/* Runs start at the first gc 1 and at the second. */
			assert_int_equal(r.gc, 1);
			assert_int_equal(records, starts == 1 ? 1 : 21);
		}
	}
	fclose(f);
	assert_int_equal(records, 26);
	assert_int_equal(starts, 2);

	expect_metric(&st, "gc.count", 26);
	expect_metric(&st, "gc.runs", 2);
	expect_metric(&st, "gc.forced", 0);
	/* (20 - 1) collections in 0.394 - 0.014 s, then (6 - 1) in
	 * 0.123 - 0.002 s. */
	expect_metric(&st, "gc.rate", 24 / 0.501);
	expect_metric(&st, "gc.cpu", 1);
	expect_metric(&st, "pause.min", 0.012);
	expect_metric(&st, "pause.max", 0.356);
	expect_metric(&st, "pause.total", 1.564);
	expect_metric(&st, "pause.mean", 1.564 / 26);
	expect_metric_near(&st, "pause.p50", 0.034);
	expect_metric_near(&st, "pause.p90", 0.122);
	expect_metric_near(&st, "pause.p99", 0.356);
	expect_metric(&st, "heap.live.min", 0);
	expect_metric(&st, "heap.live.max", 33);
	expect_metric(&st, "heap.live.last", 33);
	expect_metric(&st, "heap.goal.max", 49);
	expect_metric(&st, "mark.assist", 100.0 * 3987 / 59365);
	expect_metric(&st, "mark.background", 100.0 * 31470 / 59365);
	expect_metric(&st, "mark.idle", 100.0 * 23908 / 59365);
	assert_int_equal(st.procs, 8);

	expect_summary(&st,
	               "gc           26 collections in 501ms (47.9/s), 2 runs, "
	               "0 forced, 8 P\n"
	               "gc.cpu       1% (runtime, cumulative)\n"
	               "pause        p50 34us  p90 122us  p99 356us  max 356us  "
	               "total 1.56ms\n"
	               "heap.live    min 0 MB  max 33 MB  last 33 MB\n"
	               "heap.goal    max 49 MB\n"
	               "mark         assist 7%  background 53%  idle 40%\n");
}

/* Go <= 1.4: no "@" time, no CPU %, no goal, no mark workers. */
static void test_pre15(void **state)
{
	/* gc1(1): 0+0+0+0 us, 0 -> 0 MB; gc6(5): 0+0+0+1000 us, 0 -> 0 MB;
	 * gc9(5): 0+0+1000+0 us, 0 -> 0 MB; gc76(1): 2+1+1390+1 us,
	 * 1 -> 3 MB */
	static const struct {
		uint64_t gc;
		int64_t pause, h0, h1;
		int32_t procs;
	} lines[] = {
		{ 1, 0, 0, 0, 1 },
		{ 6, 1000, 0, 0, 5 },
		{ 9, 1000, 0, 0, 5 },
		{ 76, 1394, 1, 3, 1 },
	};
	struct gc_record r;
	size_t i;

	(void)state;
	stats_init(&st);
	for (i = 0; i < sizeof lines / sizeof lines[0]; i++) {
		gcrecord_clear(&r);
		r.gc = lines[i].gc;
		r.clock_sweep_term_us = 0;
		r.clock_mark_term_us = lines[i].pause;
		r.heap_start_mb = lines[i].h0;
		r.heap_end_mb = r.heap_live_mb = lines[i].h1;
		r.procs = lines[i].procs;
		r.era = GC_ERA_PRE15;
		assert_int_equal(stats_add(&st, &r), i == 0);
	}
	expect_metric(&st, "gc.count", 4);
	expect_metric(&st, "gc.runs", 1);
	expect_no_value(&st, "gc.rate");
	expect_no_value(&st, "gc.cpu");
	expect_metric(&st, "pause.min", 0);
	expect_metric(&st, "pause.max", 1.394);
	expect_metric(&st, "pause.total", 3.394);
	expect_metric_near(&st, "pause.p50", 1.0);
	expect_metric(&st, "pause.p99", 1.394);
	expect_metric(&st, "heap.live.min", 0);
	expect_metric(&st, "heap.live.last", 3);
	expect_no_value(&st, "heap.goal.max");
	expect_no_value(&st, "mark.assist");
	expect_no_value(&st, "mark.background");
	expect_no_value(&st, "mark.idle");
	expect_summary(&st,
	               "gc           4 collections, 1 run, 0 forced, 1 P\n"
	               "gc.cpu       n/a\n"
	               "pause        p50 1ms  p90 1.39ms  p99 1.39ms  "
	               "max 1.39ms  total 3.39ms\n"
	               "heap.live    min 0 MB  max 3 MB  last 3 MB\n"
	               "heap.goal    n/a\n"
	               "mark         n/a\n");
}

/* Large heaps, a seconds-long pause, a run of hours, a slow rate. */
static void test_big_values(void **state)
{
	(void)state;
	stats_init(&st);
	add_line(&st,
	         "gc 763 @77536.239s 1%: 0.11+2192+0.75 ms clock, "
	         "0.92+9269/4379/3243+6.0 ms cpu, 6370->6390->3298 MB, "
	         "6533 MB goal, 8 P",
	         true);
	add_line(&st,
	         "gc 800 @80000.000s 2%: 1500+100+800 ms clock, "
	         "0.92+0/1.0/0+6.0 ms cpu, 11631->11677->11533 MB, "
	         "11684 MB goal, 0 MB stacks, 0 MB globals, 48 P (forced)",
	         false);
	expect_metric(&st, "gc.count", 2);
	expect_metric(&st, "gc.forced", 1);
	expect_metric(&st, "gc.rate", 37 / 2463.761);
	expect_metric(&st, "gc.cpu", 2);
	expect_metric(&st, "pause.min", 0.86);
	expect_metric(&st, "pause.max", 2300);
	expect_metric(&st, "pause.total", 2300.86);
	expect_metric(&st, "pause.mean", 2300.86 / 2);
	expect_metric_near(&st, "pause.p50", 0.86);
	expect_metric(&st, "heap.live.min", 3298);
	expect_metric(&st, "heap.live.max", 11533);
	expect_metric(&st, "heap.goal.max", 11684);
	expect_metric(&st, "mark.assist", 100.0 * 9269 / 16892);
	expect_summary(&st,
	               "gc           2 collections in 41m04s (54.1/h), 1 run, "
	               "1 forced, 48 P\n"
	               "gc.cpu       2% (runtime, cumulative)\n"
	               "pause        p50 860us  p90 2.3s  p99 2.3s  max 2.3s  "
	               "total 2.3s\n"
	               "heap.live    min 3.22 GB  max 11.3 GB  last 11.3 GB\n"
	               "heap.goal    max 11.4 GB\n"
	               "mark         assist 55%  background 26%  idle 19%\n");
}

/* A minimal timed record. */
static void add_timed(uint64_t gc, int64_t at_ms, int32_t cpu_pct,
                      bool want_new_run)
{
	struct gc_record r;

	gcrecord_clear(&r);
	r.gc = gc;
	r.at_ms = at_ms;
	r.cpu_pct = cpu_pct;
	r.clock_sweep_term_us = 10;
	r.clock_mark_term_us = 20;
	assert_int_equal(stats_add(&st, &r), want_new_run);
}

static void test_restarts(void **state)
{
	(void)state;
	stats_init(&st);
	add_timed(1, 1000, 5, true);
	add_timed(2, 2000, 5, false);
	add_timed(3, 3000, 6, false);
	expect_metric(&st, "gc.cpu", 6);
	/* Numbering starts again: a new process. */
	add_timed(1, 500, GC_NULL, true);
	/* The runtime percentage belonged to the previous process. */
	expect_no_value(&st, "gc.cpu");
	add_timed(2, 1500, 7, false);
	/* Equal numbers are a restart too. */
	add_timed(2, 100, 7, true);
	add_timed(5, 200, 8, false);
	add_timed(4, 300, 9, true);
	expect_metric(&st, "gc.runs", 4);
	expect_metric(&st, "gc.count", 8);
	expect_metric(&st, "gc.cpu", 9);
	/* (2 + 1 + 3) collections in (2000 + 1000 + 100) ms; the last run has
	 * one record and no span. */
	expect_metric(&st, "gc.rate", 6 / 3.1);
	expect_metric(&st, "pause.max", 0.03);
	expect_metric(&st, "pause.total", 0.24);
	expect_no_value(&st, "heap.live.min");
	expect_summary(&st,
	               "gc           8 collections in 3.1s (1.94/s), 4 runs, "
	               "0 forced\n"
	               "gc.cpu       9% (runtime, cumulative)\n"
	               "pause        p50 30us  p90 30us  p99 30us  max 30us  "
	               "total 240us\n"
	               "heap.live    n/a\n"
	               "heap.goal    n/a\n"
	               "mark         n/a\n");
}

/* A bogus "@" time from a real trace, and time going backwards. */
static void test_bad_timestamps(void **state)
{
	(void)state;
	stats_init(&st);
	add_line(&st,
	         "gc 290 @256.195s 3%: 0.25+100+0.10 ms clock, "
	         "2.0+208/199/0+0.84 ms cpu, 400->410->210 MB, 420 MB goal, 8 P",
	         true);
	add_line(&st,
	         "gc 294 @262.345s 3%: 0.078+108+0.18 ms clock, "
	         "0.63+214/217/13+1.4 ms cpu, 401->411->211 MB, 420 MB goal, 8 P",
	         false);
	add_line(&st,
	         "gc 1 @18445023415.341s 0%: 0.50+0+0 ms clock, "
	         "2.5+0/0/0+0 ms cpu, 4->4->1 MB, 5 MB goal, 8 P",
	         true);
	add_line(&st,
	         "gc 212 @0.924s 0%: 0+0+0 ms clock, 0+0/0/0+0 ms cpu, "
	         "10->10->6 MB, 11 MB goal, 4 P",
	         false);
	add_line(&st,
	         "gc 221 @0.964s 0%: 0+0.18+0 ms clock, 0+0/0.005/0+0 ms cpu, "
	         "8->8->4 MB, 9 MB goal, 4 P",
	         false);
	/* (294 - 290) in 6.15 s, (221 - 212) in 0.04 s. */
	expect_metric(&st, "gc.rate", 13 / 6.19);
	expect_metric(&st, "gc.runs", 2);
	expect_metric(&st, "pause.min", 0);

	/* Within one run, time going back starts a new stretch. */
	stats_init(&st);
	add_timed(1, 1000, 1, true);
	add_timed(2, 3000, 1, false);
	add_timed(3, 500, 1, false);
	add_timed(4, 1500, 1, false);
	add_timed(5, 1500, 1, false);
	expect_metric(&st, "gc.rate", 3 / 3.0);
	expect_metric(&st, "gc.runs", 1);

	/* One record, or all at the same instant: no rate. */
	stats_init(&st);
	add_timed(1, 1000, 1, true);
	expect_no_value(&st, "gc.rate");
	add_timed(2, 1000, 1, false);
	expect_no_value(&st, "gc.rate");
	expect_summary(&st,
	               "gc           2 collections, 1 run, 0 forced\n"
	               "gc.cpu       1% (runtime, cumulative)\n"
	               "pause        p50 30us  p90 30us  p99 30us  max 30us  "
	               "total 60us\n"
	               "heap.live    n/a\n"
	               "heap.goal    n/a\n"
	               "mark         n/a\n");
}

/* Unit boundaries in the summary. */
static void test_units(void **state)
{
	static const struct {
		int64_t pause_us, live_mb, span_ms;
		const char *pause, *live, *span;
	} cases[] = {
		{ 0, 0, 1, "0us", "0 MB", "1ms" },
		{ 999, 1023, 999, "999us", "1023 MB", "999ms" },
		{ 1000, 1024, 1000, "1ms", "1 GB", "1s" },
		{ 9996, 1536, 59000, "10ms", "1.5 GB", "59s" },
		{ 99949, 10239, 99949, "99.9ms", "10 GB", "99.9s" },
		{ 999499, 1047551, 99950, "999ms", "1023 GB", "1m40s" },
		{ 999500, 1047552, 3599499, "1s", "1 TB", "59m59s" },
		{ 61234567, 5000000, 3600000, "61.2s", "4.77 TB", "1h00m" },
		{ 4316062000, 1, 77536239, "4316s", "1 MB", "21h32m" },
	};
	struct gc_record r;
	char *text, want[256];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		stats_init(&st);
		gcrecord_clear(&r);
		r.gc = 1;
		r.at_ms = 0;
		r.clock_mark_term_us = cases[i].pause_us;
		r.heap_live_mb = cases[i].live_mb;
		stats_add(&st, &r);
		r.gc = 2;
		r.at_ms = cases[i].span_ms;
		stats_add(&st, &r);
		text = summary(&st);
		snprintf(want, sizeof want, "pause        p50 %s  ", cases[i].pause);
		if (strstr(text, want) == NULL)
			fail_msg("want '%s' in:\n%s", want, text);
		snprintf(want, sizeof want, "heap.live    min %s  ", cases[i].live);
		if (strstr(text, want) == NULL)
			fail_msg("want '%s' in:\n%s", want, text);
		snprintf(want, sizeof want, "collections in %s (", cases[i].span);
		if (strstr(text, want) == NULL)
			fail_msg("want '%s' in:\n%s", want, text);
		free(text);
	}
}

/* Rates per second, minute, hour; small mark shares keep a decimal. */
static void test_rates_and_shares(void **state)
{
	static const struct {
		int64_t span_ms;
		const char *rate;
	} cases[] = {
		{ 1000, "(1/s)" },     { 1001, "(59.9/min)" },
		{ 3000, "(20/min)" },  { 60000, "(1/min)" },
		{ 60100, "(59.9/h)" }, { 7200000, "(0.5/h)" },
		{ 10, "(100/s)" },     { 1, "(1000/s)" },
	};
	struct gc_record r;
	char *text;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		stats_init(&st);
		gcrecord_clear(&r);
		r.gc = 1;
		r.at_ms = 0;
		stats_add(&st, &r);
		r.gc = 2;
		r.at_ms = cases[i].span_ms;
		stats_add(&st, &r);
		text = summary(&st);
		if (strstr(text, cases[i].rate) == NULL)
			fail_msg("want '%s' in:\n%s", cases[i].rate, text);
		free(text);
	}

	stats_init(&st);
	gcrecord_clear(&r);
	r.gc = 1;
	r.cpu_assist_us = 4;
	r.cpu_background_us = 996;
	r.cpu_idle_us = 0;
	stats_add(&st, &r);
	text = summary(&st);
	assert_non_null(strstr(text, "mark         assist 0.4%  background 100%  "
	                             "idle 0%\n"));
	free(text);
	expect_metric(&st, "mark.assist", 0.4);
	expect_metric(&st, "mark.idle", 0);
	/* All-zero worker times (quantised Windows timings): no shares. */
	stats_init(&st);
	r.cpu_assist_us = r.cpu_background_us = r.cpu_idle_us = 0;
	stats_add(&st, &r);
	expect_no_value(&st, "mark.assist");
}

static void test_metric_names(void **state)
{
	static const char *const want[] = {
		"gc.count",        "gc.rate",        "gc.cpu",
		"gc.forced",       "gc.runs",        "pause.p50",
		"pause.p90",       "pause.p99",      "pause.max",
		"pause.min",       "pause.total",    "pause.mean",
		"heap.live.min",   "heap.live.max",  "heap.live.last",
		"heap.goal.max",   "mark.assist",    "mark.background",
		"mark.idle",       "lost",           "lost.records",
		"lost.bytes",
	};
	const char *const *names = stats_metric_names();
	double v = 42;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof want / sizeof want[0]; i++) {
		assert_non_null(names[i]);
		assert_string_equal(names[i], want[i]);
	}
	assert_null(names[i]);

	/* Losses are the run's, set at its end; lost adds them up. */
	stats_init(&st);
	stats_set_lost(&st, 3, 4096);
	expect_metric(&st, "lost.records", 3);
	expect_metric(&st, "lost.bytes", 4096);
	expect_metric(&st, "lost", 4099);

	stats_init(&st);
	assert_int_equal(stats_metric(&st, "pause.p95", &v), -1);
	assert_int_equal(stats_metric(&st, "pause", &v), -1);
	assert_int_equal(stats_metric(&st, "", &v), -1);
	assert_int_equal(stats_metric(&st, "GC.COUNT", &v), -1);
	assert_int_equal(stats_metric(&st, "gc.count ", &v), -1);
	assert_true(v == 42);
}

/* Memory does not grow: a million records in the same struct. */
static void test_long_run(void **state)
{
	struct gc_record r;
	uint64_t i;

	(void)state;
	assert_true(sizeof(struct stats) < 40 * 1024);
	stats_init(&st);
	gcrecord_clear(&r);
	for (i = 1; i <= 1000000; i++) {
		r.gc = i;
		r.at_ms = (int64_t)i * 10;
		r.clock_sweep_term_us = (int64_t)(i % 1000);
		r.clock_mark_term_us = 0;
		r.heap_live_mb = (int64_t)(i % 4096);
		stats_add(&st, &r);
	}
	expect_metric(&st, "gc.count", 1000000);
	expect_metric(&st, "gc.rate", 100);
	expect_metric(&st, "pause.max", 0.999);
	expect_metric_near(&st, "pause.p50", 0.499);
	expect_metric_near(&st, "pause.p99", 0.989);
	expect_metric(&st, "heap.live.max", 4095);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_go_run_stream),
		cmocka_unit_test(test_pre15),
		cmocka_unit_test(test_big_values),
		cmocka_unit_test(test_restarts),
		cmocka_unit_test(test_bad_timestamps),
		cmocka_unit_test(test_units),
		cmocka_unit_test(test_rates_and_shares),
		cmocka_unit_test(test_metric_names),
		cmocka_unit_test(test_long_run),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
