/*
 * gcrecord.h - one garbage collection, as the Go runtime reported it.
 *
 * The record holds exactly what the gctrace line printed, in exact integer
 * units so that nothing is lost to floating point: times in microseconds
 * (the runtime prints milliseconds with at most three decimals), the "@"
 * time in milliseconds (three decimals of seconds), sizes in the MB the
 * runtime printed.  A field the line's Go version does not print holds
 * GC_NULL.  Nothing here depends on libuv or ncurses.
 */
#ifndef GCWATCH_GCRECORD_H
#define GCWATCH_GCRECORD_H

#include <stdbool.h>
#include <stdint.h>

/* Marks a field that the line did not carry (all real values are >= 0). */
#define GC_NULL (-1)

/* Which shape of gc line a record came from (see corpus README). */
enum gc_era {
	GC_ERA_PRE15 = 1, /* gcN(P): a+b+c+d us, H0 -> H1 MB, ...   (Go <= 1.4) */
	GC_ERA_15,        /* five clock phases, seven CPU values     (Go 1.5)  */
	GC_ERA_16,        /* three clock phases                      (1.6-1.17) */
	GC_ERA_118,       /* adds MB stacks, MB globals              (1.18+)   */
};

#define GC_SOURCE_MAX 48

struct gc_record {
	uint64_t gc;           /* collection number as printed */
	int64_t at_ms;         /* "@4316.062s" -> 4316062; GC_NULL before 1.5 */
	int32_t cpu_pct;       /* cumulative GC CPU %, GC_NULL before 1.5 */
	int32_t procs;         /* P */

	/* Wall clock of the phases, microseconds. */
	int64_t clock_sweep_term_us; /* STW */
	int64_t clock_mark_us;       /* concurrent */
	int64_t clock_mark_term_us;  /* STW */

	/* CPU time, microseconds. */
	int64_t cpu_sweep_term_us;
	int64_t cpu_assist_us;
	int64_t cpu_background_us;
	int64_t cpu_idle_us;
	int64_t cpu_mark_term_us;

	/* Sizes, MB as printed (MiB, truncated by the runtime). */
	int64_t heap_start_mb;
	int64_t heap_end_mb;
	int64_t heap_live_mb;
	int64_t heap_goal_mb;
	int64_t stacks_mb;
	int64_t globals_mb;

	bool forced;           /* line ended with " (forced)" */
	uint8_t era;           /* enum gc_era */

	/* Which of the runtimes writing one stream printed it (gctrace.h,
	 * lanes): lane is a slot from 0 to GCTRACE_LANES-1, run numbers
	 * each runtime seen in the stream from 1 (a slot may be reused by a
	 * later run).  Not part of the printed values: gcrecord_equal
	 * ignores them; 0 outside the parser. */
	uint8_t lane;
	uint32_t run;

	/* Where the record came from when a log prefix names it
	 * (journald "ident[pid]", kubectl "[pod/...]"); empty otherwise. */
	char source[GC_SOURCE_MAX];

	/* The wall clock its log prefix's timestamp says (Unix ms; see
	 * logprefix_time), GC_NULL without one.  It anchors the trace's "@"
	 * clock to the wall clock (0, a zeroed record, counts as none too).
	 * Not a field of the JSON record, and gcrecord_equal ignores it (the
	 * fidelity tool's expected records do not know their lines' stamps;
	 * test_logprefix and test_gctrace check it). */
	int64_t wall_ms;
};

/* Fill every field with GC_NULL / false / empty. */
void gcrecord_clear(struct gc_record *r);

/* Stop-the-world pause of the collection: sweep termination + mark
 * termination, in microseconds (GC_NULL if neither is known). */
int64_t gcrecord_pause_us(const struct gc_record *r);

/* Compare every field but lane, run and wall_ms; true when equal.  Used by
 * tests and replay checks. */
bool gcrecord_equal(const struct gc_record *a, const struct gc_record *b);

#endif
