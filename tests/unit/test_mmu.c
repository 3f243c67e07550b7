/* Unit tests for mmu: a hand-worked collection, the streamed result
 * against a brute-force scan of every window start on random timelines,
 * restarts, records without times, and a ring overflow that is counted. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <math.h>
#include <cmocka.h>

#include "analysis/mmu.h"

static struct gc_record rec(uint64_t gc, int64_t at_ms, int64_t st, int64_t mark,
                            int64_t mt, int64_t gc_cpu, int procs)
{
	struct gc_record r;

	gcrecord_clear(&r);
	r.gc = gc;
	r.at_ms = at_ms;
	r.clock_sweep_term_us = st;
	r.clock_mark_us = mark;
	r.clock_mark_term_us = mt;
	r.cpu_assist_us = gc_cpu / 4;
	r.cpu_background_us = gc_cpu - gc_cpu / 4;
	r.cpu_idle_us = 12345; /* idle workers are free */
	r.procs = procs;
	r.era = GC_ERA_118;
	return r;
}

static void test_hand_worked(void **state)
{
	struct mmu *m = malloc(sizeof *m);
	/* 1 ms STW, 8 ms of mark with half of 2 P busy (8 ms CPU), 1 ms STW:
	 * 6 ms of busy time. */
	struct gc_record r = rec(1, 1000, 1000, 8000, 1000, 8000, 2);
	double u;

	(void)state;
	mmu_init(m);
	assert_false(mmu_get(m, 0, &u));
	mmu_add(m, &r);
	assert_true(mmu_get(m, 0, &u));
	assert_true(fabs(u - 0.4) < 1e-9);
	assert_true(mmu_get(m, 1, &u));
	assert_true(fabs(u - (1 - 6.0 / 50)) < 1e-9);
	assert_true(mmu_get(m, 2, &u));
	assert_true(fabs(u - (1 - 6.0 / 100)) < 1e-9);
	/* The timeline starts at 0 (gc 1) and ends at 1.010 s. */
	assert_true(mmu_get(m, 3, &u));
	assert_true(fabs(u - (1 - 6.0 / 1000)) < 1e-9);
	assert_int_equal(mmu_horizon(m), 1010000);
	mmu_free(m);
	free(m);
}

/* An independent reference: busy time in [x, x+w] from the intervals. */
struct seg {
	int64_t a, b;
	double f;
};

static double ref_busy(const struct seg *s, int n, int64_t x, int64_t w)
{
	double busy = 0;

	for (int i = 0; i < n; i++) {
		int64_t lo = s[i].a > x ? s[i].a : x;
		int64_t hi = s[i].b < x + w ? s[i].b : x + w;
		if (hi > lo)
			busy += s[i].f * (double)(hi - lo);
	}
	return busy;
}

static uint64_t rng = 88172645463325252ull;

static uint64_t next(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static void test_against_scan(void **state)
{
	struct mmu *m = malloc(sizeof *m);
	static struct seg s[3 * 64];

	(void)state;
	for (int trial = 0; trial < 6; trial++) {
		int n = 0, cycles = 40;
		int64_t t, end = 5000;
		mmu_init(m);
		for (int c = 0; c < cycles; c++) {
			int64_t st = 20 + (int64_t)(next() % 2000), mark = 500 + (int64_t)(next() % 15000);
			int64_t mt = 20 + (int64_t)(next() % 3000), cpu = (int64_t)(next() % (uint64_t)(2 * mark));
			int64_t t0;
			struct gc_record r;
			/* The next start in ms, up to 1 ms inside the last one (the
			 * "@" time's rounding). */
			t = end / 1000 + (int64_t)(next() % 30);
			r = rec((uint64_t)c + 1, t, st, mark, mt, cpu, 2);
			mmu_add(m, &r);
			t0 = t * 1000 < end ? end : t * 1000;
			s[n++] = (struct seg){ t0, t0 + st, 1 };
			s[n++] = (struct seg){ t0 + st, t0 + st + mark, (double)cpu / (2.0 * (double)mark) };
			s[n++] = (struct seg){ t0 + st + mark, t0 + st + mark + mt, 1 };
			end = t0 + st + mark + mt;
		}
		for (int i = 0; i < 3; i++) {
			int64_t w = mmu_window_us(i);
			double worst = 0, u;
			/* Every start on a 1 us grid from 0 to the end. */
			for (int64_t x = 0; x + w <= end; x++) {
				double b = ref_busy(s, n, x, w);
				if (b > worst)
					worst = b;
			}
			assert_true(mmu_get(m, i, &u));
			assert_true(fabs(u - (1 - worst / (double)w)) < 1e-9);
		}
		assert_int_equal(m->lost, 0);
		mmu_free(m);
	}
	free(m);
}

/* The most busy window of length w over segs, from every window that
 * starts or ends on a segment's edge, or at the timeline's ends. */
static double ref_worst(const struct seg *s, int n, int64_t d0, int64_t end, int64_t w)
{
	double worst = -1;

	for (int k = -1; k < 2 * n; k++) {
		int64_t e = k < 0 ? d0 : k % 2 ? s[k / 2].b : s[k / 2].a;
		int64_t xs[2] = { e, e - w };
		for (int j = 0; j < 2; j++) {
			int64_t x = xs[j];
			double b;
			if (x < d0)
				x = d0;
			if (x + w > end)
				x = end - w;
			if (x < d0)
				continue;
			b = ref_busy(s, n, x, w);
			if (b > worst)
				worst = b;
		}
	}
	return worst;
}

/* Long random timelines: phases of zero length, collections back to back
 * and far apart (the ring grows, then drops what the widest window no
 * longer covers), every window against the reference. */
static void test_against_candidates(void **state)
{
	struct mmu *m = malloc(sizeof *m);
	static struct seg s[3 * 400];

	(void)state;
	for (int trial = 0; trial < 30; trial++) {
		int n = 0, cycles = 400;
		int64_t end = 0;
		mmu_init(m);
		for (int c = 0; c < cycles; c++) {
			uint64_t shape = next();
			int64_t st = shape & 1 ? 0 : (int64_t)(next() % 3000);
			int64_t mark = shape & 2 ? 0 : (int64_t)(next() % (shape & 4 ? 400000 : 20000));
			int64_t mt = shape & 8 ? 0 : (int64_t)(next() % 3000);
			int procs = 1 + (int)(next() % 8);
			int64_t cpu = mark ? (int64_t)(next() % (uint64_t)(procs * mark + 1)) : 0;
			int64_t gap = shape & 16 ? 0 : shape & 32 ? (int64_t)(next() % 1500) : (int64_t)(next() % 40);
			int64_t t = end / 1000 + gap, t0;
			struct gc_record r = rec((uint64_t)c + 1, t, st, mark, mt, cpu, procs);
			mmu_add(m, &r);
			t0 = t * 1000 < end ? end : t * 1000;
			s[n++] = (struct seg){ t0, t0 + st, 1 };
			s[n++] = (struct seg){ t0 + st, t0 + st + mark,
			                       mark ? (double)cpu / ((double)procs * (double)mark) : 0 };
			s[n++] = (struct seg){ t0 + st + mark, t0 + st + mark + mt, 1 };
			end = t0 + st + mark + mt;
		}
		for (int i = 0; i < MMU_WINDOWS; i++) {
			int64_t w = mmu_window_us(i);
			double worst = ref_worst(s, n, 0, end, w), u;
			if (worst < 0) {
				assert_false(mmu_get(m, i, &u));
				continue;
			}
			assert_true(mmu_get(m, i, &u));
			if (fabs(u - (1 - worst / (double)w)) > 1e-9)
				fail_msg("trial %d window %d: %.12f, reference %.12f", trial, i, u,
				         1 - worst / (double)w);
		}
		assert_int_equal(m->lost, 0);
		/* The ring holds about a second's collections, not the run. */
		assert_true(m->cap < (uint32_t)cycles);
		mmu_free(m);
	}
	free(m);
}

static void test_restart_and_untimed(void **state)
{
	struct mmu *m = malloc(sizeof *m);
	struct gc_record a = rec(1, 100, 100, 1000, 100, 0, 4);
	struct gc_record b = rec(2, 200, 100, 1000, 100, 0, 4);
	/* A new process: gc 1 again, whose collection is longer. */
	struct gc_record c = rec(1, 50, 5000, 1000, 0, 0, 4);
	struct gc_record d = rec(7, -1, 100, 1000, 100, 0, 4);
	double u;

	(void)state;
	mmu_init(m);
	mmu_add(m, &a);
	mmu_add(m, &b);
	assert_true(mmu_get(m, 0, &u));
	assert_true(fabs(u - 0.98) < 1e-9);
	mmu_add(m, &c);
	assert_true(mmu_get(m, 0, &u));
	assert_true(fabs(u - 0.5) < 1e-9);
	mmu_add(m, &d);
	assert_int_equal(m->skipped, 1);
	assert_int_equal(m->cycles, 3);
	mmu_free(m);
	free(m);
}

static void test_overflow_counted(void **state)
{
	struct mmu *m = malloc(sizeof *m);
	double u;

	(void)state;
	mmu_init(m);
	/* More collections within one second than the ring holds. */
	for (int c = 0; c < MMU_RING + 500; c++) {
		struct gc_record r = rec((uint64_t)c + 1, 10 + c / 10, 10, 50, 10, 0, 1);
		mmu_add(m, &r);
	}
	for (int c = 0; c < 200; c++) {
		struct gc_record r = rec((uint64_t)(MMU_RING + 501 + c), 2000 + c * 10, 10, 50, 10, 0, 1);
		mmu_add(m, &r);
	}
	assert_true(m->lost > 0);
	assert_true(mmu_get(m, 0, &u));
	assert_true(u >= 0 && u <= 1);
	assert_int_equal(m->cap, MMU_RING);
	mmu_free(m);
	free(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hand_worked),
		cmocka_unit_test(test_against_scan),
		cmocka_unit_test(test_against_candidates),
		cmocka_unit_test(test_restart_and_untimed),
		cmocka_unit_test(test_overflow_counted),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
