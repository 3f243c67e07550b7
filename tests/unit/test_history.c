/* The history module: bucket figures, the tiers agreeing with each other,
 * a spike kept at every width, gaps, restarts laid on one axis (live and
 * read at once), bounded memory, and incremental copies. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "model/history.h"

static struct gc_record rec(uint64_t gc, int64_t at_ms, int64_t pause_us, int64_t live)
{
	struct gc_record r;

	gcrecord_clear(&r);
	r.gc = gc;
	r.at_ms = at_ms;
	r.procs = 4;
	r.clock_sweep_term_us = pause_us / 2;
	r.clock_mark_term_us = pause_us - pause_us / 2;
	r.clock_mark_us = 1000;
	r.cpu_sweep_term_us = 10;
	r.cpu_assist_us = 100;
	r.cpu_background_us = 200;
	r.cpu_idle_us = 50;
	r.cpu_mark_term_us = 40;
	r.heap_start_mb = live + 2;
	r.heap_end_mb = live + 3;
	r.heap_live_mb = live;
	r.heap_goal_mb = live * 2;
	return r;
}

/* One bucket's count, sum, min and max; the GC CPU of the intervals. */
static void test_bucket_math(void **state)
{
	(void)state;
	struct history h;
	history_init(&h, true);
	struct gc_record a = rec(1, 100, 30, 10), b = rec(2, 400, 70, 14),
	                 c = rec(3, 900, 50, 12);
	history_add(&h, &a, false, 0);
	history_add(&h, &b, false, 0);
	history_add(&h, &c, false, 0);
	const struct hist_bucket *k = history_bucket(&h, 0, 0);
	assert_non_null(k);
	assert_int_equal(k->count, 3);
	assert_true(k->pause_sum == 150.0f);
	assert_true(k->pause_min == 30.0f);
	assert_true(k->pause_max == 70.0f);
	assert_true(k->live_min == 10.0f);
	assert_true(k->live_max == 14.0f);
	assert_true(k->goal_max == 28.0f);
	assert_true(k->start_max == 16.0f);
	assert_true(k->end_max == 17.0f);
	assert_int_equal(k->procs, 4);
	assert_int_equal(k->runs, 1);
	/* Two intervals (300 + 500 ms) x 4 P; the first record's CPU is
	 * before the span. */
	assert_true(k->cap_us == 800.0f * 1000 * 4);
	assert_true(k->cpu_us == 2 * 350.0f);
	assert_true(k->assist_us == 300.0f);
	/* The next second is empty, and so is the one before. */
	assert_null(history_bucket(&h, 0, 1));
	assert_null(history_bucket(&h, 0, -1));
	assert_int_equal(history_now(&h, 0), 900);
	history_free(&h);
}

/* Every minute bucket is the merge of its 60 second buckets. */
static void test_rollup(void **state)
{
	(void)state;
	struct history h;
	history_init(&h, true);
	for (uint64_t g = 1; g <= 3000; g++) {
		struct gc_record r = rec(g, (int64_t)g * 137, (int64_t)(g * 7919 % 500),
		                         (int64_t)(g % 97));
		history_add(&h, &r, false, 0);
	}
	for (int64_t m = 0; m < 6; m++) {
		struct hist_bucket sum;
		memset(&sum, 0, sizeof sum);
		for (int64_t s = m * 60; s < m * 60 + 60; s++) {
			const struct hist_bucket *k = history_bucket(&h, 0, s);
			if (k)
				hist_merge(&sum, k);
		}
		const struct hist_bucket *k = history_bucket(&h, 1, m);
		assert_non_null(k);
		assert_int_equal(k->count, sum.count);
		assert_true(k->pause_max == sum.pause_max);
		assert_true(k->pause_min == sum.pause_min);
		assert_true(k->live_max == sum.live_max);
		assert_true(k->live_min == sum.live_min);
		assert_true(k->pause_sum > sum.pause_sum * 0.9999f &&
		            k->pause_sum < sum.pause_sum * 1.0001f);
	}
	history_free(&h);
}

/* One 50 ms pause among 200000 of 20 us, ten seconds before the last
 * (within every tier's reach): the maximum of every tier's bucket
 * holding it. */
static void test_spike(void **state)
{
	(void)state;
	struct history h;
	history_init(&h, false);
	for (uint64_t g = 1; g <= 200000; g++) {
		struct gc_record r = rec(g, (int64_t)g * 10, g == 199000 ? 50000 : 20, 8);
		history_add(&h, &r, false, 0);
	}
	for (unsigned t = 0; t < h.ntiers; t++) {
		int64_t b = 1990000 / h.tier[t].width_ms;
		const struct hist_bucket *k = history_bucket(&h, t, b);
		assert_non_null(k);
		assert_true(k->pause_max == 50000.0f);
		assert_true(k->pause_min == 20.0f);
	}
	history_free(&h);
}

/* Ten minutes without a collection: the buckets between are empty and
 * cost nothing. */
static void test_gap(void **state)
{
	(void)state;
	struct history h;
	history_init(&h, true);
	struct gc_record a = rec(1, 1000, 10, 1), b = rec(2, 601000, 10, 1);
	history_add(&h, &a, false, 0);
	size_t one = history_bytes(&h);
	history_add(&h, &b, false, 0);
	for (int64_t s = 2; s < 601; s++)
		assert_null(history_bucket(&h, 0, s));
	assert_non_null(history_bucket(&h, 0, 1));
	assert_non_null(history_bucket(&h, 0, 601));
	/* One more chunk in the seconds tier, none in the minutes one. */
	assert_int_equal(history_bytes(&h), one + sizeof(struct hist_chunk));
	/* The collection after the gap carries its interval's CPU. */
	assert_true(history_bucket(&h, 0, 601)->cap_us == 600000.0f * 1000 * 4);
	history_free(&h);
}

/* A restart read at once goes right after the previous run; live, where
 * the arrival clock puts it. */
static void test_restart(void **state)
{
	(void)state;
	struct history h;
	struct gc_record r;

	history_init(&h, true);
	for (uint64_t g = 1; g <= 100; g++) {
		r = rec(g, (int64_t)g * 1000, 10, 1);
		history_add(&h, &r, false, 5); /* all at once */
	}
	assert_false(h.paced);
	r = rec(1, 500, 10, 1);
	history_add(&h, &r, true, 5);
	assert_int_equal(h.last_t, 100000 + 500);
	assert_int_equal(h.runs, 2);
	assert_int_equal(history_bucket(&h, 0, 100)->runs, 1);
	/* Not live: now is the last record, however late. */
	assert_int_equal(history_now(&h, 999999), 100500);
	history_free(&h);

	history_init(&h, true);
	for (uint64_t g = 1; g <= 100; g++) {
		r = rec(g, (int64_t)g * 1000, 10, 1);
		history_add(&h, &r, false, 50000 + g * 1000);
	}
	assert_true(h.paced);
	/* The process died at 100 s; a new one starts and collects 20 s
	 * later, at its own @0.5s. */
	r = rec(1, 500, 10, 1);
	history_add(&h, &r, true, 50000 + 120000);
	assert_int_equal(h.last_t, 120000);
	for (int64_t s = 101; s < 120; s++)
		assert_null(history_bucket(&h, 0, s));
	/* Live: now moves on with the clock, and its time is known. */
	assert_int_equal(history_now(&h, 50000 + 125000), 125000);
	uint64_t mono;
	assert_true(history_mono(&h, 60000, &mono));
	assert_int_equal(mono, 50000 + 60000);
	history_free(&h);
}

/* Log prefixes' stamps anchor the axis to the wall clock, read at once:
 * a restart an hour after the previous run's last record is placed an
 * hour later (not right after it), stamps cut to the second give the
 * largest offset, and a clock set back is taken as it is. */
static void test_wall(void **state)
{
	(void)state;
	struct history h;
	struct gc_record r;
	const int64_t w0 = 1764597600000LL; /* 2025-12-01 14:00:00 UTC */
	int64_t wall;

	history_init(&h, true);
	assert_false(history_wall(&h, 0, &wall));
	for (uint64_t g = 1; g <= 100; g++) {
		r = rec(g, (int64_t)g * 1000 + 300, 10, 1);
		/* @g.3s, stamped g s after w0, cut to the second. */
		r.wall_ms = w0 + (int64_t)g * 1000;
		history_add(&h, &r, false, 5);
	}
	assert_false(h.paced);
	assert_true(history_wall(&h, h.last_t, &wall));
	/* The first offset was w0 + 1000 - 1300; the truncation kept. */
	assert_int_equal(wall, w0 + 100000);
	assert_int_equal(h.wall_off, w0 - 300);
	/* An hour later, a new process at its own @0.5s. */
	r = rec(1, 500, 10, 1);
	r.wall_ms = w0 + 100000 + 3600000;
	history_add(&h, &r, true, 5);
	assert_true(history_wall(&h, h.last_t, &wall));
	assert_int_equal(wall, w0 + 100000 + 3600000);
	assert_int_equal(h.last_t, 100300 + 3600000);
	assert_null(history_bucket(&h, 0, 1000));
	/* The clock set back ten minutes: taken as it is. */
	r = rec(2, 1500, 10, 1);
	r.wall_ms = w0 + 100000 + 3600000 + 1000 - 600000;
	history_add(&h, &r, false, 5);
	assert_true(history_wall(&h, h.last_t, &wall));
	assert_int_equal(wall, r.wall_ms);
	history_free(&h);
}

/* A day of collections, 100 a second: memory stays within the bound, and
 * the oldest second is gone while its minute is kept. */
static void test_bounded(void **state)
{
	(void)state;
	struct history h;
	for (int wide = 0; wide < 2; wide++) {
		history_init(&h, wide);
		for (int64_t at = 0; at < 26LL * 3600 * 1000; at += 10) {
			struct gc_record r = rec((uint64_t)at / 10 + 1, at, 20, 8);
			history_add(&h, &r, false, 0);
		}
		assert_true(history_bytes(&h) <= (wide ? HIST_WIDE_BYTES : HIST_FLEET_BYTES));
		assert_int_equal(history_bytes(&h), wide ? HIST_WIDE_BYTES : HIST_FLEET_BYTES);
		assert_null(history_bucket(&h, 0, 0));
		/* Seventy minutes ago: past the finest tier's reach, in the
		 * coarser's. */
		int64_t ago = 26LL * 3600 * 1000 - 70 * 60000;
		unsigned last = h.ntiers - 1;
		assert_non_null(history_bucket(&h, last, ago / h.tier[last].width_ms));
		/* An hour of the finest tier for a wide feed; for a fleet
		 * feed, 1m, 5m and 1h from a tier of 30 columns or more,
		 * 15m and 6h in 15 and 12. */
		if (wide) {
			assert_true(history_span(&h, 0) >= 3600 * 1000);
		} else {
			static const int64_t zoom[] = { 60000, 300000, 900000, 3600000,
			                                21600000, 86400000 };
			for (unsigned z = 0; z < 6; z++) {
				unsigned t = history_tier_for(&h, zoom[z], zoom[z] / 68);
				assert_true(history_span(&h, t) >= zoom[z]);
				assert_true(zoom[z] / h.tier[t].width_ms >=
				            (z == 2 ? 15 : z == 4 ? 12 : 30));
			}
		}
		history_free(&h);
	}
	printf("history: at most %zu bytes per wide feed, %zu per fleet feed "
	       "(+%zu in the feed)\n", (size_t)HIST_WIDE_BYTES, (size_t)HIST_FLEET_BYTES,
	       sizeof(struct history));
}

/* A copy brings over the changed chunks only, and reads the same. */
static void test_copy(void **state)
{
	(void)state;
	struct history src, dst;
	history_init(&src, true);
	history_init(&dst, true);
	for (uint64_t g = 1; g <= 5000; g++) {
		struct gc_record r = rec(g, (int64_t)g * 100, (int64_t)g % 300, 5);
		history_add(&src, &r, false, 0);
	}
	size_t first = history_copy(&dst, &src);
	struct gc_record r = rec(5001, 500100, 99, 5);
	history_add(&src, &r, false, 0);
	size_t again = history_copy(&dst, &src);
	assert_true(again < first);
	/* One chunk a tier changed. */
	assert_int_equal(again, 2 * sizeof(struct hist_chunk));
	for (int64_t s = 0; s <= 500; s++) {
		const struct hist_bucket *a = history_bucket(&src, 0, s), *b = history_bucket(&dst, 0, s);
		assert_true((a == NULL) == (b == NULL));
		if (a)
			assert_memory_equal(a, b, sizeof *a);
	}
	assert_int_equal(history_now(&dst, 0), history_now(&src, 0));
	history_free(&src);
	history_free(&dst);
}

/* Off (batch mode: no dashboard): the axis is followed, nothing kept. */
static void test_off(void **state)
{
	(void)state;
	struct history h;
	history_init_off(&h);
	for (uint64_t g = 1; g <= 1000; g++) {
		struct gc_record r = rec(g, (int64_t)g * 1000, 10, 1);
		history_add(&h, &r, false, 0);
	}
	assert_int_equal(history_bytes(&h), 0);
	assert_null(history_bucket(&h, 0, 5));
	assert_int_equal(history_now(&h, 0), 1000000);
	history_free(&h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bucket_math),
		cmocka_unit_test(test_rollup),
		cmocka_unit_test(test_spike),
		cmocka_unit_test(test_gap),
		cmocka_unit_test(test_restart),
		cmocka_unit_test(test_wall),
		cmocka_unit_test(test_bounded),
		cmocka_unit_test(test_copy),
		cmocka_unit_test(test_off),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
