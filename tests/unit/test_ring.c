/* Unit tests for ring: order, wraparound, capacity 1, totals, copies. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "trace/gcrecord.h"
#include "model/ring.h"

/* A record told apart by its gc number and a few derived fields. */
static struct gc_record rec(uint64_t gc)
{
	struct gc_record r;

	gcrecord_clear(&r);
	r.gc = gc;
	r.at_ms = (int64_t)gc * 10;
	r.heap_live_mb = (int64_t)gc % 7;
	r.era = GC_ERA_118;
	snprintf(r.source, sizeof r.source, "src%llu", (unsigned long long)gc);
	return r;
}

/* The ring holds exactly gc numbers first..last, oldest first. */
static void check_holds(const struct ring *r, uint64_t first, uint64_t last)
{
	size_t i, n = (size_t)(last - first + 1);

	assert_int_equal(ring_len(r), n);
	for (i = 0; i < n; i++) {
		struct gc_record want = rec(first + i);
		const struct gc_record *got = ring_get(r, i);

		assert_non_null(got);
		assert_true(gcrecord_equal(got, &want));
	}
	assert_null(ring_get(r, n));
	assert_ptr_equal(ring_last(r), ring_get(r, n - 1));
}

static void test_new_free(void **state)
{
	struct ring *r;

	(void)state;
	assert_null(ring_new(0));
	assert_null(ring_new(SIZE_MAX));
	assert_null(ring_new(SIZE_MAX / 2));
	r = ring_new(5);
	assert_non_null(r);
	assert_int_equal(ring_cap(r), 5);
	assert_int_equal(ring_len(r), 0);
	assert_int_equal(ring_total(r), 0);
	assert_null(ring_get(r, 0));
	assert_null(ring_last(r));
	ring_free(r);
	ring_free(NULL);
}

static void test_fill_and_wrap(void **state)
{
	struct ring *r = ring_new(4);
	struct gc_record x;
	uint64_t g;

	(void)state;
	assert_non_null(r);
	for (g = 1; g <= 3; g++) {
		x = rec(g);
		ring_push(r, &x);
	}
	check_holds(r, 1, 3);
	x = rec(4);
	ring_push(r, &x);
	check_holds(r, 1, 4);
	/* Every position of the head, several times round. */
	for (g = 5; g <= 40; g++) {
		x = rec(g);
		ring_push(r, &x);
		check_holds(r, g - 3, g);
		assert_int_equal(ring_total(r), g);
		assert_int_equal(ring_last(r)->gc, g);
	}
	ring_free(r);
}

static void test_capacity_one(void **state)
{
	struct ring *r = ring_new(1);
	struct gc_record x;
	uint64_t g;

	(void)state;
	assert_non_null(r);
	for (g = 1; g <= 5; g++) {
		x = rec(g);
		ring_push(r, &x);
		check_holds(r, g, g);
		assert_int_equal(ring_total(r), g);
	}
	ring_clear(r);
	assert_int_equal(ring_len(r), 0);
	assert_null(ring_last(r));
	assert_int_equal(ring_total(r), 5);
	ring_free(r);
}

static void test_clear(void **state)
{
	struct ring *r = ring_new(3);
	struct gc_record x;
	uint64_t g;

	(void)state;
	assert_non_null(r);
	for (g = 1; g <= 5; g++) {
		x = rec(g);
		ring_push(r, &x);
	}
	ring_clear(r);
	assert_int_equal(ring_len(r), 0);
	assert_null(ring_get(r, 0));
	assert_int_equal(ring_total(r), 5);
	/* Filling again after a clear in mid-wrap. */
	for (g = 6; g <= 10; g++) {
		x = rec(g);
		ring_push(r, &x);
	}
	check_holds(r, 8, 10);
	assert_int_equal(ring_total(r), 10);
	ring_free(r);
}

/* The record is copied: changing the caller's copy changes nothing. */
static void test_push_copies(void **state)
{
	struct ring *r = ring_new(2);
	struct gc_record x = rec(1);

	(void)state;
	assert_non_null(r);
	ring_push(r, &x);
	x.gc = 99;
	strcpy(x.source, "changed");
	assert_int_equal(ring_get(r, 0)->gc, 1);
	assert_string_equal(ring_get(r, 0)->source, "src1");
	ring_free(r);
}

static void test_copy(void **state)
{
	struct ring *src = ring_new(5), *big = ring_new(8), *small = ring_new(3);
	struct gc_record x;
	uint64_t g;

	(void)state;
	assert_non_null(src);
	assert_non_null(big);
	assert_non_null(small);
	/* Empty source. */
	ring_copy(big, src);
	assert_int_equal(ring_len(big), 0);
	/* Every wrap position of the source. */
	for (g = 1; g <= 17; g++) {
		uint64_t first = g > 5 ? g - 4 : 1;

		x = rec(g);
		ring_push(src, &x);
		ring_copy(big, src);
		check_holds(big, first, g);
		assert_int_equal(ring_total(big), g);
		ring_copy(small, src);
		check_holds(small, g > 3 ? g - 2 : 1, g);
		assert_int_equal(ring_total(small), g);
		/* A copy keeps working as a ring. */
		x = rec(g + 1);
		ring_push(small, &x);
		check_holds(small, g > 2 ? g - 1 : 1, g + 1);
	}
	ring_copy(src, src);
	check_holds(src, 13, 17);
	ring_free(src);
	ring_free(big);
	ring_free(small);
}

/* A long run stays in its one allocation and keeps the newest. */
static void test_long_run(void **state)
{
	struct ring *r = ring_new(1000);
	struct gc_record x;
	uint64_t g;

	(void)state;
	assert_non_null(r);
	gcrecord_clear(&x);
	for (g = 1; g <= 1000000; g++) {
		x.gc = g;
		ring_push(r, &x);
	}
	assert_int_equal(ring_len(r), 1000);
	assert_int_equal(ring_total(r), 1000000);
	assert_int_equal(ring_get(r, 0)->gc, 999001);
	assert_int_equal(ring_last(r)->gc, 1000000);
	ring_free(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_new_free),
		cmocka_unit_test(test_fill_and_wrap),
		cmocka_unit_test(test_capacity_one),
		cmocka_unit_test(test_clear),
		cmocka_unit_test(test_push_copies),
		cmocka_unit_test(test_copy),
		cmocka_unit_test(test_long_run),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
