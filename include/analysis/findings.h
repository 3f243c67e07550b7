/*
 * findings.h - named diagnoses of a feed's collections, with evidence.
 *
 * Each finding is a rule over the trace (counts and sums kept one record
 * at a time, in fixed memory), the numbers that made it hold, and what to
 * try.  The rules (thresholds in findings.c, documented in gcwatch(1)):
 *
 *   assist           assists do >= 25% of the mark work (assist +
 *                    background CPU), over >= 10 collections
 *   memory-limit     the goal sits below what GOGC gives (< 75% of its
 *                    headroom) in most recent collections: a memory limit
 *                    is deciding it
 *   tiny-heap        the 4 MB x GOGC/100 minimum decides the goal in most
 *                    collections, at >= 10 collections a second
 *   long-stw         > 1% of collections (and >= 3) have a stop-the-world
 *                    phase over 500 us, the runtime team's objective
 *   big-roots        stacks + globals >= 4 MB and >= half the live heap
 *   live-growth      the live heap grows steadily over the run (linear
 *                    fit R^2 >= 0.7 over >= 5 s, >= 25% and >= 4 MB)
 *   periodic-forced  collections two minutes after the previous one with
 *                    the heap below its goal: the runtime's forced GC of
 *                    an idle program (harmless)
 *   cpu-contention   stop-the-world phases of 10 ms and more (>= 2) while
 *                    most are under 1 ms: the threads did not get a CPU
 *
 * Nothing here depends on libuv or ncurses.
 */
#ifndef GCWATCH_FINDINGS_H
#define GCWATCH_FINDINGS_H

#include <stdbool.h>
#include <stdint.h>

#include "trace/gcrecord.h"
#include "analysis/whatif.h"

enum finding_id {
	FIND_ASSIST,
	FIND_MEMORY_LIMIT,
	FIND_TINY_HEAP,
	FIND_LONG_STW,
	FIND_BIG_ROOTS,
	FIND_LIVE_GROWTH,
	FIND_PERIODIC_FORCED,
	FIND_CPU_CONTENTION,
	FIND_COUNT
};

/* Inferred GOGC values are counted in buckets of 1, up to this. */
#define FIND_GOGC_MAX 1000

struct findings {
	uint64_t cycles;
	/* assist */
	int64_t assist_us, background_us;
	uint64_t mark_cycles, overrun;     /* heap at the end above the goal */
	/* long-stw, cpu-contention (Go 1.5+ records) */
	uint64_t stw_cycles, stw_over, st_over, mt_over, stw_long, stw_short;
	int64_t st_max, mt_max, pause_max;
	/* tiny-heap */
	uint64_t goal_cycles, at_min;
	/* big-roots (Go 1.18+) */
	uint64_t roots_cycles;
	int64_t roots_sum, live_sum, roots_max;
	/* live-growth: least squares of live MB over seconds, this run */
	uint64_t fit_n;
	int64_t fit_t0_ms;
	double st, stt, sy, sty, syy, fit_last_t;
	int64_t fit_first_live, fit_last_live;
	/* periodic-forced */
	uint64_t periodic;
	uint64_t last_gc;
	int64_t prev_end_ms;
	int64_t prev_live, prev_roots;
	/* memory-limit: inferred GOGC per collection over the run */
	uint32_t gogc_hist[FIND_GOGC_MAX + 1];
	uint64_t gogc_n;
	double gogc_known;   /* GOGC in force when known (-1: off), -2 not */
	double limit_mb;     /* a known memory limit (GOMEMLIMIT), 0 none */
};

struct finding {
	enum finding_id id;
	const char *name;
	bool harmless;
	char evidence[320];
	char try_[240];
};

/* The names, in table order ("assist", "memory-limit", ...). */
const char *finding_name(enum finding_id id);
/* How much a finding matters, for the one the dashboard names (higher
 * first; harmless ones lowest). */
int finding_rank(enum finding_id id);
/* The id of a name, or -1. */
int finding_lookup(const char *name);

/* gogc: GOGC in force when known (-1 off), else -2; limit_mb: the memory
 * limit in force when known, else 0. */
void findings_init(struct findings *f, double gogc, double limit_mb);
void findings_add(struct findings *f, const struct gc_record *r);

/* What a rule needs besides the records. */
struct findings_ctx {
	double rate;                 /* collections per second, or < 0 */
	const struct whatif_est *est; /* recent estimate, or NULL */
	const struct whatif *recent;  /* the kept recent collections */
};

/* The findings that hold, in table order, into out (FIND_COUNT long);
 * returns how many. */
int findings_eval(const struct findings *f, const struct findings_ctx *ctx,
                  struct finding *out);

#endif
