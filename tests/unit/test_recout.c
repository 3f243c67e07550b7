/* Unit tests for recout: exact JSON and CSV text for records of every era,
 * nulls, numbers, escaping and buffer limits. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "trace/gcrecord.h"
#include "outputs/recout.h"

/* gc 252 @4316.062s 0%: 0.013+2.9+0.050 ms clock,
 * 0.10+0.23/5.4/12+0.40 ms cpu, 16->17->8 MB, 17 MB goal, 8 P
 * (the example of DESIGN.md) */
static struct gc_record design_example(void)
{
	struct gc_record r;

	gcrecord_clear(&r);
	r.gc = 252;
	r.at_ms = 4316062;
	r.cpu_pct = 0;
	r.clock_sweep_term_us = 13;
	r.clock_mark_us = 2900;
	r.clock_mark_term_us = 50;
	r.cpu_sweep_term_us = 100;
	r.cpu_assist_us = 230;
	r.cpu_background_us = 5400;
	r.cpu_idle_us = 12000;
	r.cpu_mark_term_us = 400;
	r.heap_start_mb = 16;
	r.heap_end_mb = 17;
	r.heap_live_mb = 8;
	r.heap_goal_mb = 17;
	r.procs = 8;
	r.era = GC_ERA_16;
	return r;
}

static const char design_json[] =
	"{\"gc\":252,\"at_s\":4316.062,\"cpu_pct\":0,"
	"\"clock_sweep_term_ms\":0.013,\"clock_mark_ms\":2.9,"
	"\"clock_mark_term_ms\":0.05,"
	"\"cpu_sweep_term_ms\":0.1,\"cpu_assist_ms\":0.23,"
	"\"cpu_background_ms\":5.4,\"cpu_idle_ms\":12,\"cpu_mark_term_ms\":0.4,"
	"\"heap_start_mb\":16,\"heap_end_mb\":17,\"heap_live_mb\":8,"
	"\"heap_goal_mb\":17,\"stacks_mb\":null,\"globals_mb\":null,"
	"\"procs\":8,\"forced\":false,\"source\":null}\n";

/* gc 1 @0.124s 16%: 0.040+242+0.002 ms clock,
 * 0.32+0.11/484/1447+0.020 ms cpu, 1526->1526->1525 MB, 1526 MB goal,
 * 0 MB stacks, 0 MB globals, 8 P (forced) */
static struct gc_record go118_forced(void)
{
	struct gc_record r;

	gcrecord_clear(&r);
	r.gc = 1;
	r.at_ms = 124;
	r.cpu_pct = 16;
	r.clock_sweep_term_us = 40;
	r.clock_mark_us = 242000;
	r.clock_mark_term_us = 2;
	r.cpu_sweep_term_us = 320;
	r.cpu_assist_us = 110;
	r.cpu_background_us = 484000;
	r.cpu_idle_us = 1447000;
	r.cpu_mark_term_us = 20;
	r.heap_start_mb = 1526;
	r.heap_end_mb = 1526;
	r.heap_live_mb = 1525;
	r.heap_goal_mb = 1526;
	r.stacks_mb = 0;
	r.globals_mb = 0;
	r.procs = 8;
	r.forced = true;
	r.era = GC_ERA_118;
	return r;
}

/* gc76(1): 2+1+1390+1 us, 1 -> 3 MB, 16397 (1015746-999349) objects, ... */
static struct gc_record pre15(void)
{
	struct gc_record r;

	gcrecord_clear(&r);
	r.gc = 76;
	r.clock_sweep_term_us = 0;
	r.clock_mark_term_us = 1394;
	r.heap_start_mb = 1;
	r.heap_end_mb = 3;
	r.heap_live_mb = 3;
	r.procs = 1;
	r.era = GC_ERA_PRE15;
	return r;
}

static void expect_json(const struct gc_record *r, const char *want)
{
	char buf[RECOUT_MAX];
	size_t n = recout_json(buf, sizeof buf, r);

	assert_string_equal(buf, want);
	assert_int_equal(n, strlen(want));
}

static void expect_csv(const struct gc_record *r, const char *want)
{
	char buf[RECOUT_MAX];
	size_t n = recout_csv(buf, sizeof buf, r);

	assert_string_equal(buf, want);
	assert_int_equal(n, strlen(want));
}

static void test_design_example(void **state)
{
	struct gc_record r = design_example();

	(void)state;
	expect_json(&r, design_json);
	expect_csv(&r, "252,4316.062,0,0.013,2.9,0.05,0.1,0.23,5.4,12,0.4,"
	               "16,17,8,17,,,8,false,\n");
}

static void test_go118_forced(void **state)
{
	struct gc_record r = go118_forced();

	(void)state;
	expect_json(&r,
	            "{\"gc\":1,\"at_s\":0.124,\"cpu_pct\":16,"
	            "\"clock_sweep_term_ms\":0.04,\"clock_mark_ms\":242,"
	            "\"clock_mark_term_ms\":0.002,"
	            "\"cpu_sweep_term_ms\":0.32,\"cpu_assist_ms\":0.11,"
	            "\"cpu_background_ms\":484,\"cpu_idle_ms\":1447,"
	            "\"cpu_mark_term_ms\":0.02,"
	            "\"heap_start_mb\":1526,\"heap_end_mb\":1526,"
	            "\"heap_live_mb\":1525,\"heap_goal_mb\":1526,"
	            "\"stacks_mb\":0,\"globals_mb\":0,"
	            "\"procs\":8,\"forced\":true,\"source\":null}\n");
	expect_csv(&r, "1,0.124,16,0.04,242,0.002,0.32,0.11,484,1447,0.02,"
	               "1526,1526,1525,1526,0,0,8,true,\n");
}

static void test_pre15_nulls(void **state)
{
	struct gc_record r = pre15();

	(void)state;
	expect_json(&r,
	            "{\"gc\":76,\"at_s\":null,\"cpu_pct\":null,"
	            "\"clock_sweep_term_ms\":0,\"clock_mark_ms\":null,"
	            "\"clock_mark_term_ms\":1.394,"
	            "\"cpu_sweep_term_ms\":null,\"cpu_assist_ms\":null,"
	            "\"cpu_background_ms\":null,\"cpu_idle_ms\":null,"
	            "\"cpu_mark_term_ms\":null,"
	            "\"heap_start_mb\":1,\"heap_end_mb\":3,\"heap_live_mb\":3,"
	            "\"heap_goal_mb\":null,\"stacks_mb\":null,"
	            "\"globals_mb\":null,"
	            "\"procs\":1,\"forced\":false,\"source\":null}\n");
	expect_csv(&r, "76,,,0,,1.394,,,,,,1,3,3,,,,1,false,\n");

	/* A record with nothing in it. */
	gcrecord_clear(&r);
	expect_csv(&r, "0,,,,,,,,,,,,,,,,,,false,\n");
}

static void test_numbers(void **state)
{
	static const struct {
		int64_t v;
		const char *text;
	} cases[] = {
		{ 0, "0" },           { 5, "0.005" },       { 50, "0.05" },
		{ 500, "0.5" },       { 1000, "1" },        { 1001, "1.001" },
		{ 1010, "1.01" },     { 1100, "1.1" },      { 9900, "9.9" },
		{ 2192000, "2192" },  { 4316062, "4316.062" },
		{ 18445023415341, "18445023415.341" },
		{ 77536239, "77536.239" },
		{ INT64_MAX, "9223372036854775.807" },
		{ GC_NULL, "" },      { -5, "" },
	};
	struct gc_record r;
	char buf[RECOUT_MAX], want[128];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		gcrecord_clear(&r);
		r.gc = 7;
		r.at_ms = cases[i].v;
		recout_csv(buf, sizeof buf, &r);
		strcpy(want, "7,");
		strcat(want, cases[i].text);
		strcat(want, ",,,,,,,,,,,,,,,,,false,\n");
		assert_string_equal(buf, want);
	}
	/* The integers, largest first. */
	gcrecord_clear(&r);
	r.gc = UINT64_MAX;
	r.cpu_pct = INT32_MAX;
	r.procs = 0;
	r.heap_goal_mb = INT64_MAX;
	recout_csv(buf, sizeof buf, &r);
	assert_string_equal(buf, "18446744073709551615,,2147483647,,,,,,,,,,,,"
	                         "9223372036854775807,,,0,false,\n");
}

static void test_csv_header(void **state)
{
	(void)state;
	assert_string_equal(
	        recout_csv_header(),
	        "gc,at_s,cpu_pct,clock_sweep_term_ms,clock_mark_ms,"
	        "clock_mark_term_ms,cpu_sweep_term_ms,cpu_assist_ms,"
	        "cpu_background_ms,cpu_idle_ms,cpu_mark_term_ms,heap_start_mb,"
	        "heap_end_mb,heap_live_mb,heap_goal_mb,stacks_mb,globals_mb,"
	        "procs,forced,source\n");
}

/* The JSON of the design example with another source. */
static void expect_source_json(const char *source, size_t len,
                               const char *want_value)
{
	struct gc_record r = design_example();
	char want[RECOUT_MAX];
	size_t n = strlen(design_json) - strlen("null}\n");

	memset(r.source, 0, sizeof r.source);
	memcpy(r.source, source, len);
	memcpy(want, design_json, n);
	strcpy(want + n, want_value);
	strcat(want, "}\n");
	expect_json(&r, want);
}

/* The CSV row of the design example with another source. */
static void expect_source_csv(const char *source, size_t len,
                              const char *want_value)
{
	struct gc_record r = design_example();
	char want[RECOUT_MAX];

	memset(r.source, 0, sizeof r.source);
	memcpy(r.source, source, len);
	strcpy(want, "252,4316.062,0,0.013,2.9,0.05,0.1,0.23,5.4,12,0.4,"
	             "16,17,8,17,,,8,false,");
	strcat(want, want_value);
	strcat(want, "\n");
	expect_csv(&r, want);
}

#define SRC(s) (s), (sizeof(s) - 1)

static void test_json_escaping(void **state)
{
	(void)state;
	expect_source_json(SRC("api[1234]"), "\"api[1234]\"");
	expect_source_json(SRC("pod/web-7f9"), "\"pod/web-7f9\"");
	expect_source_json(SRC("a\"b\\c"), "\"a\\\"b\\\\c\"");
	expect_source_json(SRC("\x01\t\n\r\x1f\x7f"),
	                   "\"\\u0001\\u0009\\u000a\\u000d\\u001f\\u007f\"");
	/* Valid UTF-8 of two, three and four bytes passes unchanged. */
	expect_source_json(SRC("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80"),
	                   "\"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80\"");
	expect_source_json(SRC("\xef\xbf\xbf\xf4\x8f\xbf\xbf\xed\x9f\xbf"),
	                   "\"\xef\xbf\xbf\xf4\x8f\xbf\xbf\xed\x9f\xbf\"");
	/* Invalid: stray continuation, 0xff, overlong '/', surrogate, past
	 * U+10FFFF, a sequence cut short, one cut by the end. */
	expect_source_json(SRC("\x80"), "\"\\ufffd\"");
	expect_source_json(SRC("a\xff" "b"), "\"a\\ufffdb\"");
	expect_source_json(SRC("\xc0\xaf"), "\"\\ufffd\\ufffd\"");
	expect_source_json(SRC("\xe0\x80\xaf"), "\"\\ufffd\\ufffd\\ufffd\"");
	expect_source_json(SRC("\xed\xa0\x80"), "\"\\ufffd\\ufffd\\ufffd\"");
	expect_source_json(SRC("\xf4\x90\x80\x80"),
	                   "\"\\ufffd\\ufffd\\ufffd\\ufffd\"");
	expect_source_json(SRC("\xe2\x82x"), "\"\\ufffd\\ufffdx\"");
	expect_source_json(SRC("x\xe2\x82"), "\"x\\ufffd\\ufffd\"");
	/* An empty source is null. */
	expect_source_json(SRC(""), "null");
}

static void test_csv_quoting(void **state)
{
	(void)state;
	expect_source_csv(SRC("api[1234]"), "api[1234]");
	expect_source_csv(SRC("a,b"), "\"a,b\"");
	expect_source_csv(SRC("say \"hi\""), "\"say \"\"hi\"\"\"");
	expect_source_csv(SRC("a\nb"), "\"a\nb\"");
	expect_source_csv(SRC("a\rb"), "\"a\rb\"");
	expect_source_csv(SRC("tab\there"), "tab\there");
	expect_source_csv(SRC("caf\xc3\xa9"), "caf\xc3\xa9");
	expect_source_csv(SRC("a\xff" "b"), "a\xef\xbf\xbd" "b");
	expect_source_csv(SRC(""), "");
}

/* A source that fills its array has no NUL: all 48 bytes are used and
 * nothing past them is read. */
static void test_full_source(void **state)
{
	/* On the heap, so that AddressSanitizer sees a read past its end. */
	struct gc_record *r = malloc(sizeof *r);
	char buf[RECOUT_MAX];
	char want[GC_SOURCE_MAX + 8];

	(void)state;
	assert_non_null(r);
	*r = design_example();
	memset(r->source, 'x', sizeof r->source);
	want[0] = '"';
	memset(want + 1, 'x', GC_SOURCE_MAX);
	strcpy(want + 1 + GC_SOURCE_MAX, "\"}\n");
	recout_json(buf, sizeof buf, r);
	assert_non_null(strchr(buf, '"'));
	assert_string_equal(strstr(buf, "\"source\":") + strlen("\"source\":"),
	                    want);
	recout_csv(buf, sizeof buf, r);
	want[1 + GC_SOURCE_MAX] = '\n';
	want[2 + GC_SOURCE_MAX] = '\0';
	assert_string_equal(strrchr(buf, ',') + 1, want + 1);
	free(r);
}

/* The largest record in either format fits in RECOUT_MAX. */
static void test_worst_case_fits(void **state)
{
	static const char fill[] = { '\x01', '"', '\xff', ',' };
	struct gc_record r;
	char buf[RECOUT_MAX + 64];
	size_t i, n;

	(void)state;
	memset(&r, 0, sizeof r);
	r.gc = UINT64_MAX;
	r.cpu_pct = INT32_MAX;
	r.procs = INT32_MAX;
	r.at_ms = r.clock_sweep_term_us = r.clock_mark_us =
	        r.clock_mark_term_us = r.cpu_sweep_term_us = r.cpu_assist_us =
	                r.cpu_background_us = r.cpu_idle_us =
	                        r.cpu_mark_term_us = INT64_MAX;
	r.heap_start_mb = r.heap_end_mb = r.heap_live_mb = r.heap_goal_mb =
	        r.stacks_mb = r.globals_mb = INT64_MAX;
	r.forced = false;
	for (i = 0; i < sizeof fill; i++) {
		memset(r.source, fill[i], sizeof r.source);
		n = recout_json(buf, sizeof buf, &r);
		assert_true(n + 1 <= RECOUT_MAX);
		assert_int_equal(n, strlen(buf));
		n = recout_csv(buf, sizeof buf, &r);
		assert_true(n + 1 <= RECOUT_MAX);
		assert_int_equal(n, strlen(buf));
	}
}

/* A short buffer gets a NUL-terminated prefix; the full length is returned. */
static void test_short_buffer(void **state)
{
	struct gc_record r = design_example();
	char buf[16];
	char big[RECOUT_MAX];
	size_t full = strlen(design_json);

	(void)state;
	memset(buf, 'Z', sizeof buf);
	assert_int_equal(recout_json(buf, 10, &r), full);
	assert_string_equal(buf, "{\"gc\":252");
	assert_int_equal(buf[10], 'Z');
	assert_int_equal(recout_json(buf, 1, &r), full);
	assert_string_equal(buf, "");
	assert_int_equal(recout_json(NULL, 0, &r), full);
	/* Exactly the length plus the NUL is enough even below RECOUT_MAX. */
	memset(big, 'Z', sizeof big);
	assert_int_equal(recout_json(big, full + 1, &r), full);
	assert_string_equal(big, design_json);
	assert_int_equal(recout_json(big, full, &r), full);
	assert_int_equal(strlen(big), full - 1);
	assert_int_equal(recout_csv(buf, 4, &r), strlen("252,4316.062,0,0.013,"
	                                                "2.9,0.05,0.1,0.23,5.4,"
	                                                "12,0.4,16,17,8,17,,,8,"
	                                                "false,\n"));
	assert_string_equal(buf, "252");
}

/*
 * Independent check that a JSON string literal is valid: no raw control
 * bytes, known escapes only, and UTF-8 decoding to scalar values in their
 * shortest form.  Returns the length of the literal, or 0 if invalid.
 */
static size_t json_string_valid(const unsigned char *s)
{
	size_t i = 1, k;

	if (s[0] != '"')
		return 0;
	for (;;) {
		unsigned c = s[i];

		if (c == '"')
			return i + 1;
		if (c < 0x20)
			return 0;
		if (c == '\\') {
			if (strchr("\"\\/bfnrt", s[i + 1]) != NULL && s[i + 1]) {
				i += 2;
				continue;
			}
			if (s[i + 1] != 'u')
				return 0;
			for (k = 2; k < 6; k++)
				if (strchr("0123456789abcdefABCDEF", s[i + k]) ==
				            NULL ||
				    s[i + k] == 0)
					return 0;
			i += 6;
			continue;
		}
		if (c < 0x80) {
			i++;
			continue;
		} else {
			unsigned need, cp, min;

			if ((c & 0xe0) == 0xc0)
				need = 1, cp = c & 0x1f, min = 0x80;
			else if ((c & 0xf0) == 0xe0)
				need = 2, cp = c & 0x0f, min = 0x800;
			else if ((c & 0xf8) == 0xf0)
				need = 3, cp = c & 0x07, min = 0x10000;
			else
				return 0;
			for (k = 1; k <= need; k++) {
				if ((s[i + k] & 0xc0) != 0x80)
					return 0;
				cp = (cp << 6) | (s[i + k] & 0x3f);
			}
			if (cp < min || cp > 0x10ffff ||
			    (cp >= 0xd800 && cp <= 0xdfff))
				return 0;
			i += need + 1;
		}
	}
}

/* Random bytes in the source always give valid JSON. */
static void test_random_sources(void **state)
{
	uint64_t x = 88172645463325252ull;
	struct gc_record r = design_example();
	char buf[RECOUT_MAX];
	const char *lit;
	size_t round, i, n;

	(void)state;
	for (round = 0; round < 20000; round++) {
		memset(r.source, 0, sizeof r.source);
		n = (size_t)(round % GC_SOURCE_MAX) + 1;
		for (i = 0; i < n; i++) {
			x ^= x << 13;
			x ^= x >> 7;
			x ^= x << 17;
			/* Favour the interesting bytes. */
			r.source[i] = (char)(round & 1 ? x >> 24 : 0x80 + (x >> 58));
			if (r.source[i] == 0)
				r.source[i] = '\xc3';
		}
		recout_json(buf, sizeof buf, &r);
		lit = strstr(buf, "\"source\":") + strlen("\"source\":");
		n = json_string_valid((const unsigned char *)lit);
		if (n == 0)
			fail_msg("invalid JSON string for round %zu: %s", round, lit);
		assert_string_equal(lit + n, "}\n");
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_design_example),
		cmocka_unit_test(test_go118_forced),
		cmocka_unit_test(test_pre15_nulls),
		cmocka_unit_test(test_numbers),
		cmocka_unit_test(test_csv_header),
		cmocka_unit_test(test_json_escaping),
		cmocka_unit_test(test_csv_quoting),
		cmocka_unit_test(test_full_source),
		cmocka_unit_test(test_worst_case_fits),
		cmocka_unit_test(test_short_buffer),
		cmocka_unit_test(test_random_sources),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
