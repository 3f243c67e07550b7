/* Unit tests for whatif: synthetic steady runs that follow the GC guide's
 * model exactly, at one GOGC; the estimate must give back their inputs and
 * the predictions must match synthetic runs at other GOGC values and under
 * a limit; the 4 MB minimum, the CPU limiter and restarts. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <math.h>
#include <cmocka.h>

#include "analysis/whatif.h"

/* live MB, roots MB (stacks), alloc MB/s, mark us per MB, STW us, P */
#define LIVE 40
#define ROOTS 10
#define ALLOC 100.0
#define COST 1000.0
#define STW 1000
#define P 4

/* A steady run at GOGC g: n collections, each with the model's goal, the
 * heap ending at it, and the allocation between at ALLOC. */
static void steady(struct whatif *w, int g, int n, double *rate, double *cpu)
{
	int64_t goal = LIVE + (LIVE + ROOTS) * g / 100;
	double interval_s = (double)(goal - LIVE) / ALLOC;
	double at_s = 1;

	whatif_init(w);
	for (int i = 1; i <= n; i++) {
		struct gc_record r;
		gcrecord_clear(&r);
		r.gc = (uint64_t)i;
		r.at_ms = (int64_t)llround(at_s * 1000);
		r.clock_sweep_term_us = 0;
		r.clock_mark_us = 0;
		r.clock_mark_term_us = 0;
		r.cpu_sweep_term_us = STW / 2;
		r.cpu_mark_term_us = STW / 2;
		r.cpu_assist_us = (int64_t)(COST * (LIVE + ROOTS) / 10);
		r.cpu_background_us = (int64_t)(COST * (LIVE + ROOTS)) - r.cpu_assist_us;
		r.cpu_idle_us = 99999;
		r.heap_start_mb = goal - 5;
		r.heap_end_mb = goal;
		r.heap_live_mb = LIVE;
		r.heap_goal_mb = goal;
		r.stacks_mb = ROOTS;
		r.globals_mb = 0;
		r.procs = P;
		r.era = GC_ERA_118;
		whatif_add(w, &r);
		at_s += interval_s;
	}
	*rate = 1 / interval_s;
	*cpu = 100.0 * (COST * (LIVE + ROOTS) + STW) / interval_s / (P * 1e6);
}

static bool near(double a, double b, double rel)
{
	return fabs(a - b) <= rel * fabs(b) + 1e-9;
}

static void test_estimate_gives_back_inputs(void **state)
{
	struct whatif *w = malloc(sizeof *w);
	struct whatif_est e;
	double rate, cpu;

	(void)state;
	steady(w, 100, 50, &rate, &cpu);
	assert_true(whatif_estimate(w, &e));
	assert_int_equal(e.cycles, 49);
	assert_true(near(e.alloc_mb_s, ALLOC, 1e-3));
	assert_true(near(e.live_mb, LIVE, 1e-9));
	assert_true(near(e.roots_mb, ROOTS, 1e-9));
	assert_true(near(e.mark_us_per_mb, COST, 1e-6));
	assert_true(near(e.stw_us, STW, 1e-9));
	assert_true(near(e.pacer, 1, 1e-9));
	assert_true(near(e.gogc, 100, 1e-9));
	assert_true(near(e.gc_cpu_pct, cpu, 1e-3));
	assert_true(near(e.rate, rate, 1e-3));
	assert_true(near(e.peak_mb, LIVE + LIVE + ROOTS, 1e-9));
	free(w);
}

static void test_predictions_match_other_runs(void **state)
{
	struct whatif *base = malloc(sizeof *base), *other = malloc(sizeof *other);
	struct whatif_est e, m;
	struct whatif_pred p;
	double rate, cpu;
	static const int gogcs[] = { 50, 100, 200, 400 };

	(void)state;
	steady(base, 100, 60, &rate, &cpu);
	assert_true(whatif_estimate(base, &e));
	for (size_t i = 0; i < sizeof gogcs / sizeof gogcs[0]; i++) {
		steady(other, gogcs[i], 60, &rate, &cpu);
		assert_true(whatif_estimate(other, &m));
		whatif_predict(base, &e, gogcs[i], 0, &p);
		/* The model reads a printed (truncated) live heap as half a
		 * MB more; these runs print exact sizes: 0.5 + 0.5 x GOGC/100
		 * MB more runway, within 2%. */
		assert_true(near(p.gc_cpu_pct, m.gc_cpu_pct, 0.02));
		assert_true(near(p.rate, m.rate, 0.02));
		assert_true(near(p.peak_mb, m.peak_mb + 0.5 * gogcs[i] / 100.0, 1e-9));
		assert_true(near(p.goal_mb, LIVE + (LIVE + ROOTS) * gogcs[i] / 100.0, 1e-9));
		assert_false(p.limiter || p.at_limit || p.at_minimum);
	}
	free(base);
	free(other);
}

static void test_limit_and_limiter(void **state)
{
	struct whatif *w = malloc(sizeof *w);
	struct whatif_est e;
	struct whatif_pred p;
	double rate, cpu, cost = COST * (LIVE + ROOTS) + STW;
	double nonheap = ROOTS + WHATIF_NONHEAP_MB;

	(void)state;
	steady(w, 100, 60, &rate, &cpu);
	assert_true(whatif_estimate(w, &e));
	/* 80 MB: the goal is the limit less the non-heap memory. */
	whatif_predict(w, &e, 100, 80, &p);
	assert_true(p.at_limit);
	assert_false(p.limiter);
	double goal = 80 - nonheap - WHATIF_NONHEAP_SHARE * 80;
	assert_true(near(p.goal_mb, goal, 1e-9));
	/* Against the cap the printed (truncated) live heap counts half a
	 * MB more, and the peak is printed truncated again.  The mark
	 * starts 5 MB before the goal, or at 70% of the runway if later,
	 * and the program allocates 5 MB during it, but the heap stops at
	 * the goal (these collections ended at theirs). */
	double dist = fmin(5, 0.3 * (goal - LIVE - 0.5)), end = fmin(goal - dist + 5, goal);
	assert_true(near(p.rate, ALLOC / (end - LIVE - 0.5), 1e-3));
	assert_true(near(p.gc_cpu_pct, 100.0 * p.rate * cost / (P * 1e6), 1e-6));
	assert_true(near(p.peak_mb, end - 0.5, 1e-9));
	/* 60 MB leaves no room above the live heap: the CPU limiter holds the
	 * GC at 50% and the heap grows past the goal. */
	whatif_predict(w, &e, 100, 60, &p);
	assert_true(p.limiter);
	assert_true(near(p.gc_cpu_pct, WHATIF_LIMITER_PCT, 1e-9));
	assert_true(near(p.rate, 0.5 * P * 1e6 / cost, 1e-6));
	assert_true(near(p.peak_mb, LIVE + ALLOC / p.rate, 1e-6));
	/* GOGC=off with a limit: the limit alone decides. */
	whatif_predict(w, &e, -1, 200, &p);
	assert_true(p.at_limit);
	assert_true(near(p.goal_mb, 200 - nonheap - WHATIF_NONHEAP_SHARE * 200, 1e-9));
	/* GOGC=off and no limit: no collections. */
	whatif_predict(w, &e, -1, 0, &p);
	assert_true(isinf(p.peak_mb));
	assert_true(p.rate == 0);
	free(w);
}

static void test_minimum_heap(void **state)
{
	struct whatif *w = malloc(sizeof *w);
	struct whatif_est e;
	struct whatif_pred p;

	(void)state;
	whatif_init(w);
	for (int i = 1; i <= 30; i++) {
		struct gc_record r;
		gcrecord_clear(&r);
		r.gc = (uint64_t)i;
		r.at_ms = i * 30;
		r.clock_sweep_term_us = r.clock_mark_us = r.clock_mark_term_us = 0;
		r.cpu_sweep_term_us = r.cpu_mark_term_us = 10;
		r.cpu_assist_us = 0;
		r.cpu_background_us = 500;
		r.heap_start_mb = 3;
		r.heap_end_mb = 4;
		r.heap_live_mb = 1;
		r.heap_goal_mb = 4;
		r.stacks_mb = r.globals_mb = 0;
		r.procs = 2;
		whatif_add(w, &r);
	}
	assert_true(whatif_estimate(w, &e));
	whatif_predict(w, &e, 100, 0, &p);
	assert_true(p.at_minimum);
	assert_true(near(p.goal_mb, 4, 1e-9));
	whatif_predict(w, &e, 400, 0, &p);
	assert_true(p.at_minimum);
	assert_true(near(p.goal_mb, 16, 1e-9));
	free(w);
}

static void test_restart_starts_afresh(void **state)
{
	struct whatif *w = malloc(sizeof *w);
	struct whatif_est e;
	double rate, cpu;
	struct gc_record r;

	(void)state;
	steady(w, 100, 20, &rate, &cpu);
	gcrecord_clear(&r);
	r.gc = 1;
	r.at_ms = 5;
	r.heap_end_mb = r.heap_live_mb = r.heap_goal_mb = r.heap_start_mb = 4;
	r.procs = 2;
	whatif_add(w, &r);
	assert_int_equal(w->n, 1);
	assert_false(whatif_estimate(w, &e));
	free(w);
}

/* A mostly idle program: idle workers do 3/4 of each mark, which starts
 * 10 MB before the goal and ends 8 MB short of it.  A smaller runway
 * pulls the mark's start to 70% of the way (the pacer's floor); a heap
 * that then reaches its goal makes the program assist in place of the
 * idle workers (the default share, none such in the trace). */
static void test_trigger_floor_and_idle_share(void **state)
{
	struct whatif *w = malloc(sizeof *w);
	struct whatif_est e;
	struct whatif_pred p;
	const int64_t goal = LIVE + (LIVE + ROOTS), mark = 20000, idle = 60000;
	const double stw = 1000;

	(void)state;
	whatif_init(w);
	for (int i = 1; i <= 40; i++) {
		struct gc_record r;
		gcrecord_clear(&r);
		r.gc = (uint64_t)i;
		r.at_ms = 1000 + (int64_t)i * 420; /* 42 MB at 100 MB/s */
		r.clock_sweep_term_us = r.clock_mark_us = r.clock_mark_term_us = 0;
		r.cpu_sweep_term_us = r.cpu_mark_term_us = (int64_t)stw / 2;
		r.cpu_assist_us = 0;
		r.cpu_background_us = mark;
		r.cpu_idle_us = idle;
		r.heap_start_mb = goal - 10;
		r.heap_end_mb = goal - 8;
		r.heap_live_mb = LIVE;
		r.heap_goal_mb = goal;
		r.stacks_mb = ROOTS;
		r.globals_mb = 0;
		r.procs = P;
		r.era = GC_ERA_118;
		whatif_add(w, &r);
	}
	assert_true(whatif_estimate(w, &e));
	assert_true(near(e.share_ok, 0.25, 1e-9));
	assert_int_equal(e.hits, 0);
	assert_true(near(e.share_hit, WHATIF_SHARE_HIT, 1e-9));
	assert_true(near(e.alloc_mb_s, 100, 1e-6));
	/* GOGC 100 gives back what was measured (the live heap read as
	 * half a MB more than printed, see above: within 2%). */
	whatif_predict(w, &e, 100, 0, &p);
	assert_true(near(p.gc_cpu_pct, e.gc_cpu_pct, 0.02));
	assert_true(near(p.peak_mb, goal - 8 + 0.5, 1e-9));
	/* GOGC 25: runway 12.625 MB (from 40.5 MB live), the mark starts
	 * 30% of it (3.79 MB) before the goal and ends 1.79 short: the
	 * share is that far of the 2 MB from the reached-goal share to the
	 * short-of-goal one; the peak as printed, half a MB lower. */
	whatif_predict(w, &e, 25, 0, &p);
	double pl = LIVE + 0.5, run = (pl + ROOTS) * 0.25, dist = 0.3 * run;
	double share = WHATIF_SHARE_HIT + (0.25 - WHATIF_SHARE_HIT) * (dist - 2) / 2;
	double end = pl + run - dist + 2, interval_s = (end - pl) / 100;
	assert_true(near(p.peak_mb, end - 0.5, 1e-9));
	assert_true(near(p.rate, 1 / interval_s, 1e-6));
	assert_true(near(p.gc_cpu_pct, 100.0 * ((mark + idle) * share + stw) / P / (interval_s * 1e6),
	                 1e-6));
	/* GOGC 10: the heap reaches the goal (and stops there, as these
	 * collections never passed theirs), the full assist share. */
	whatif_predict(w, &e, 10, 0, &p);
	run = (pl + ROOTS) * 0.1;
	assert_true(pl + run - 0.3 * run + 2 > pl + run);
	end = pl + run;
	assert_true(near(p.peak_mb, end - 0.5, 1e-9));
	interval_s = (end - pl) / 100;
	assert_true(near(p.gc_cpu_pct,
	                 100.0 * ((mark + idle) * WHATIF_SHARE_HIT + stw) / P / (interval_s * 1e6),
	                 1e-6));
	free(w);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_estimate_gives_back_inputs),
		cmocka_unit_test(test_predictions_match_other_runs),
		cmocka_unit_test(test_limit_and_limiter),
		cmocka_unit_test(test_minimum_heap),
		cmocka_unit_test(test_restart_starts_afresh),
		cmocka_unit_test(test_trigger_floor_and_idle_share),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
