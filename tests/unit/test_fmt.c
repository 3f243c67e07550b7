/*
 * Unit tests for number formatting: durations in us/ms/s (µs in UTF-8),
 * sizes in MB/GB/TB, rates per second, minute and hour, percentages,
 * elapsed time and counts, at every unit boundary, with rounding that
 * never prints "10.0" or "1000ms".
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "text/fmt.h"

static void test_us(void **state)
{
	static const struct {
		int64_t us;
		const char *ascii, *utf8;
	} cases[] = {
		{ -1, "-", "-" },
		{ 0, "0us", "0\xc2\xb5s" },
		{ 13, "13us", "13\xc2\xb5s" },
		{ 999, "999us", "999\xc2\xb5s" },
		{ 1000, "1ms", "1ms" },
		{ 1100, "1.1ms", "1.1ms" },
		{ 1234, "1.23ms", "1.23ms" },
		{ 9994, "9.99ms", "9.99ms" },
		{ 9996, "10ms", "10ms" },
		{ 99940, "99.9ms", "99.9ms" },
		{ 99960, "100ms", "100ms" },
		{ 999499, "999ms", "999ms" },
		{ 999500, "1s", "1s" },
		{ 2119000, "2.12s", "2.12s" },
		{ 61200000, "61.2s", "61.2s" },
		{ 4316062000, "4316s", "4316s" },
	};
	size_t i;
	char buf[FMT_MAX];

	(void)state;
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		assert_string_equal(fmt_us(buf, cases[i].us, true), cases[i].ascii);
		assert_string_equal(fmt_us(buf, cases[i].us, false), cases[i].utf8);
	}
	/* Never longer than the buffer, whatever the value. */
	assert_true(strlen(fmt_us(buf, INT64_MAX, false)) < FMT_MAX);
}

static void test_mb(void **state)
{
	static const struct {
		int64_t mb;
		const char *want;
	} cases[] = {
		{ -1, "-" },          { 0, "0 MB" },         { 1023, "1023 MB" },
		{ 1024, "1 GB" },     { 1536, "1.5 GB" },    { 6864, "6.7 GB" },
		{ 10240, "10 GB" },   { 1047551, "1023 GB" }, { 1047552, "1 TB" },
		{ 8796093022207LL, "8388608 TB" },
	};
	size_t i;
	char buf[FMT_MAX];

	(void)state;
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++)
		assert_string_equal(fmt_mb(buf, cases[i].mb), cases[i].want);
	assert_true(strlen(fmt_mb(buf, INT64_MAX)) < FMT_MAX);
}

static void test_rate_pct(void **state)
{
	char buf[FMT_MAX];

	(void)state;
	assert_string_equal(fmt_rate(buf, 20.2), "20.2/s");
	assert_string_equal(fmt_rate(buf, 1), "1/s");
	assert_string_equal(fmt_rate(buf, 0.9995), "1/s");
	assert_string_equal(fmt_rate(buf, 0.5), "30/min");
	assert_string_equal(fmt_rate(buf, 1.0 / 120), "30/h");
	assert_string_equal(fmt_rate(buf, 0), "0/s");
	assert_string_equal(fmt_rate(buf, -1), "-");
	assert_string_equal(fmt_pct(buf, 0), "0%");
	assert_string_equal(fmt_pct(buf, 0.4), "0.4%");
	assert_string_equal(fmt_pct(buf, 0.96), "1%");
	assert_string_equal(fmt_pct(buf, 12.4), "12%");
	assert_string_equal(fmt_pct(buf, 100), "100%");
	assert_string_equal(fmt_pct(buf, -1), "-");
}

static void test_elapsed_count(void **state)
{
	char buf[FMT_MAX];

	(void)state;
	assert_string_equal(fmt_elapsed(buf, 0), "0s");
	assert_string_equal(fmt_elapsed(buf, 999), "0s");
	assert_string_equal(fmt_elapsed(buf, 59999), "59s");
	assert_string_equal(fmt_elapsed(buf, 60000), "1m00s");
	assert_string_equal(fmt_elapsed(buf, 3599000), "59m59s");
	assert_string_equal(fmt_elapsed(buf, 3723000), "1h02m03s");
	assert_string_equal(fmt_elapsed(buf, 360000000), "100h00m00s");
	assert_true(strlen(fmt_elapsed(buf, UINT64_MAX)) < FMT_MAX);
	assert_string_equal(fmt_count(buf, 0), "0");
	assert_string_equal(fmt_count(buf, 26471), "26471");
	assert_string_equal(fmt_count(buf, 999999), "999999");
	assert_string_equal(fmt_count(buf, 1234567), "1.23M");
	assert_string_equal(fmt_count(buf, 4500000000ULL), "4.5G");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_us),
		cmocka_unit_test(test_mb),
		cmocka_unit_test(test_rate_pct),
		cmocka_unit_test(test_elapsed_count),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
