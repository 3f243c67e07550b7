/* Unit tests for histo: quantiles against exact sorted quantiles. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <math.h>
#include <cmocka.h>

#include "model/histo.h"

#define N 20000

/* A fixed generator so that every run tests the same data. */
static uint64_t rng_state;

static uint64_t rng_next(void)
{
	uint64_t z = (rng_state += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

/* Uniform in (0, 1). */
static double rng_unit(void)
{
	return ((double)(rng_next() >> 11) + 0.5) / 9007199254740992.0;
}

static double rng_normal(void)
{
	return sqrt(-2 * log(rng_unit())) * cos(6.283185307179586 * rng_unit());
}

static int cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return (x > y) - (x < y);
}

/* Nearest-rank quantile of sorted data, the definition histo promises. */
static int64_t exact_quantile(const int64_t *sorted, size_t n, double q)
{
	double want = ceil(q * (double)n);
	size_t rank = want < 1 ? 1 : want > (double)n ? n : (size_t)want;

	return sorted[rank - 1];
}

static void check_within(int64_t got, int64_t want, double q)
{
	double err;

	if (want == 0) {
		if (got != 0)
			fail_msg("q=%g: got %lld, want 0", q, (long long)got);
		return;
	}
	err = fabs((double)got - (double)want) / (double)want;
	if (err > 0.01)
		fail_msg("q=%g: got %lld, want %lld (error %.4f%%)", q,
		         (long long)got, (long long)want, err * 100);
}

static const double qs[] = { 0,    0.0001, 0.001, 0.01, 0.1,   0.25, 0.5,
	                     0.75, 0.9,    0.95,  0.99, 0.999, 0.9999, 1 };

/* Fill a histogram with data[0..n), then compare every quantile. */
static void check_data(int64_t *data, size_t n)
{
	static struct histo h;
	int64_t sum = 0;
	int overflow = 0;
	size_t i;

	histo_init(&h);
	for (i = 0; i < n; i++) {
		histo_add(&h, data[i]);
		overflow |= __builtin_add_overflow(sum, data[i], &sum);
	}
	qsort(data, n, sizeof *data, cmp_i64);
	assert_int_equal(histo_count(&h), n);
	assert_int_equal(histo_min(&h), data[0]);
	assert_int_equal(histo_max(&h), data[n - 1]);
	assert_int_equal(histo_quantile(&h, 0), data[0]);
	assert_int_equal(histo_quantile(&h, 1), data[n - 1]);
	assert_int_equal(histo_sum(&h), overflow ? INT64_MAX : sum);
	for (i = 0; i < sizeof qs / sizeof qs[0]; i++)
		check_within(histo_quantile(&h, qs[i]),
		             exact_quantile(data, n, qs[i]), qs[i]);
	for (i = 0; i < 200; i++) {
		double q = rng_unit();
		int64_t got = histo_quantile(&h, q);

		check_within(got, exact_quantile(data, n, q), q);
		assert_true(got >= data[0] && got <= data[n - 1]);
	}
}

static int64_t data[N];

static void test_uniform(void **state)
{
	size_t i;

	(void)state;
	rng_state = 1;
	for (i = 0; i < N; i++)
		data[i] = (int64_t)(rng_next() % 1000000);
	check_data(data, N);
	/* Up to the 1e13 the contract asks for. */
	for (i = 0; i < N; i++)
		data[i] = (int64_t)(rng_next() % 10000000000000ull);
	check_data(data, N);
	/* Small values, where every value has its own bucket. */
	for (i = 0; i < N; i++)
		data[i] = (int64_t)(rng_next() % 300);
	check_data(data, N);
}

static void test_lognormal(void **state)
{
	size_t i;

	(void)state;
	rng_state = 2;
	/* Median ~ e^5 us = 150 us, long right tail: like GC pauses. */
	for (i = 0; i < N; i++)
		data[i] = (int64_t)exp(5 + 2 * rng_normal());
	check_data(data, N);
	for (i = 0; i < N; i++)
		data[i] = (int64_t)exp(20 + 3 * rng_normal());
	check_data(data, N);
}

static void test_heavy_tail(void **state)
{
	size_t i;

	(void)state;
	rng_state = 3;
	/* Pareto with alpha 1.1, capped at 1e15. */
	for (i = 0; i < N; i++) {
		double v = 10 * pow(rng_unit(), -1 / 1.1);

		data[i] = v > 1e15 ? (int64_t)1e15 : (int64_t)v;
	}
	check_data(data, N);
	/* Mostly small with a few enormous outliers. */
	for (i = 0; i < N; i++)
		data[i] = rng_next() % 100 == 0 ? (int64_t)(rng_next() >> 2)
		                                : (int64_t)(rng_next() % 50);
	check_data(data, N);
}

static void test_all_equal(void **state)
{
	static const int64_t values[] = { 0, 1, 127, 128, 129, 12345,
		                          9999999999999, INT64_MAX };
	size_t i, k;

	(void)state;
	for (k = 0; k < sizeof values / sizeof values[0]; k++) {
		for (i = 0; i < 1000; i++)
			data[i] = values[k];
		check_data(data, 1000);
	}
}

static void test_zeros(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < N; i++)
		data[i] = 0;
	check_data(data, N);
	/* Mostly zeros, as quantised Windows timings are. */
	rng_state = 4;
	for (i = 0; i < N; i++)
		data[i] = rng_next() % 10 < 8 ? 0 : (int64_t)(rng_next() % 5000);
	check_data(data, N);
}

/*
 * Every bucket edge: a value surrounded by 0 and INT64_MAX is the median of
 * three, so the answer is its bucket's representative, not the exact
 * minimum or maximum.
 */
static void test_bucket_edges(void **state)
{
	struct histo *h = malloc(sizeof *h);
	int64_t v, b;
	int e;

	(void)state;
	assert_non_null(h);
	for (e = 0; e < 63; e++) {
		for (b = -3; b <= 3; b++) {
			v = (int64_t)((uint64_t)1 << e) + b;
			if (v < 0)
				continue;
			histo_init(h);
			histo_add(h, 0);
			histo_add(h, v);
			histo_add(h, INT64_MAX);
			check_within(histo_quantile(h, 0.5), v, 0.5);
		}
	}
	for (v = 0; v < 100000; v++) {
		histo_init(h);
		histo_add(h, 0);
		histo_add(h, v);
		histo_add(h, INT64_MAX);
		check_within(histo_quantile(h, 0.5), v, 0.5);
	}
	free(h);
}

static void test_empty_and_edges(void **state)
{
	static struct histo h;

	(void)state;
	histo_init(&h);
	assert_int_equal(histo_count(&h), 0);
	assert_int_equal(histo_quantile(&h, 0.5), -1);
	assert_int_equal(histo_min(&h), -1);
	assert_int_equal(histo_max(&h), -1);
	assert_int_equal(histo_sum(&h), 0);

	/* Negative values (GC_NULL) are not counted. */
	histo_add(&h, -1);
	histo_add(&h, INT64_MIN);
	assert_int_equal(histo_count(&h), 0);

	histo_add(&h, 10);
	histo_add(&h, 20);
	assert_int_equal(histo_count(&h), 2);
	assert_int_equal(histo_sum(&h), 30);
	/* Out-of-range and NaN q are clamped. */
	assert_int_equal(histo_quantile(&h, -5), 10);
	assert_int_equal(histo_quantile(&h, 7), 20);
	assert_int_equal(histo_quantile(&h, NAN), 10);
	assert_int_equal(histo_quantile(&h, 0.5), 10);
	assert_int_equal(histo_quantile(&h, 0.51), 20);

	/* The sum saturates instead of overflowing. */
	histo_add(&h, INT64_MAX);
	histo_add(&h, INT64_MAX);
	assert_int_equal(histo_sum(&h), INT64_MAX);
	assert_int_equal(histo_max(&h), INT64_MAX);
	assert_int_equal(histo_quantile(&h, 1), INT64_MAX);

	/* Fixed memory: the buckets are in the struct, and not many. */
	assert_true(sizeof(struct histo) < 32 * 1024);
}

/* A bucket full to 2^32 - 1 saturates the histogram: its quantiles are
 * unknown from then on, never a wrong value; min, max, count, sum stay
 * exact; a merge carries it. */
static void test_saturated(void **state)
{
	(void)state;
	struct histo *h = malloc(sizeof *h), *all = malloc(sizeof *all);
	histo_init(h);
	histo_init(all);
	histo_add(h, 500);
	assert_int_equal(histo_quantile(h, 0.5), 500);
	/* The one bucket in use, as after four billion adds. */
	for (unsigned i = 0; i < HISTO_BUCKETS; i++)
		if (h->bucket[i])
			h->bucket[i] = UINT32_MAX - 1;
	histo_add(h, 500);
	assert_false(h->saturated);
	histo_add(h, 500);
	assert_true(h->saturated);
	assert_int_equal(histo_quantile(h, 0.5), -1);
	assert_int_equal(histo_quantile(h, 0.99), -1);
	assert_int_equal(histo_quantile(h, 1), 500);
	assert_int_equal(histo_count(h), 3);
	histo_merge(all, h);
	assert_true(all->saturated);
	assert_int_equal(histo_quantile(all, 0.5), -1);
	free(h);
	free(all);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_uniform),
		cmocka_unit_test(test_lognormal),
		cmocka_unit_test(test_heavy_tail),
		cmocka_unit_test(test_all_equal),
		cmocka_unit_test(test_zeros),
		cmocka_unit_test(test_bucket_edges),
		cmocka_unit_test(test_empty_and_edges),
		cmocka_unit_test(test_saturated),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
