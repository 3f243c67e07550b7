/*
 * stats.h - whole-run statistics of the collections, in bounded memory.
 *
 * Fed one record at a time; keeps counts, extremes, sums and a histo of
 * the pauses, so memory does not grow with the length of the run.  Several
 * processes may follow one another on a stream (go run prints the go
 * command's collections, then the program's from gc 1): a record whose gc
 * number is not above the previous record's starts a new run.
 *
 * The summary (stats_print) names each line after the group of its metrics
 * (gc, gc.cpu, pause, heap.live, heap.goal, mark), and stats_metric looks
 * the same numbers up by dotted name for --fail-if.  Nothing here depends
 * on libuv or ncurses.
 */
#ifndef GCWATCH_STATS_H
#define GCWATCH_STATS_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "trace/gcrecord.h"
#include "model/histo.h"

/*
 * Read the fields directly if you like; absent values are GC_NULL.  The
 * time span covers stretches of records whose "@" times increase, within a
 * run; a run's first stretch starts at its first timed record.
 */
struct stats {
	uint64_t count;    /* records */
	uint64_t runs;     /* 0 before the first record */
	uint64_t forced;   /* records marked (forced) */
	uint64_t last_gc;  /* gc number of the latest record */

	/* Closed stretches of increasing "@" times: their total length and
	 * the collections they span (by gc number, so a record lost on the
	 * way does not lower the rate). */
	int64_t span_ms;
	uint64_t span_gcs;
	/* The open stretch; open is false when there is none. */
	bool open;
	uint64_t open_first_gc, open_last_gc;
	int64_t open_first_ms, open_last_ms;

	int32_t cpu_pct;   /* last runtime-reported, in the current run */
	int32_t procs;     /* last reported */

	struct histo pause;       /* stop-the-world pause, microseconds */
	int64_t live_min, live_max, live_last; /* MB */
	int64_t goal_max;                       /* MB */

	/* Mark worker CPU time, microseconds, summed (saturating). */
	int64_t assist_us, background_us, idle_us;

	/* What the run lost, set at its end (stats_set_lost): records missing
	 * from --json/--csv (summed over them) and records the parser had to
	 * drop (torn beyond repair); bytes missing from the -r recording. */
	uint64_t lost_records, lost_bytes;
};

/* A goal this large means the collector was off (the runtime prints
 * MaxInt64 bytes): it does not count as a goal. */
#define STATS_GOAL_OFF_MB ((int64_t)1 << 40)

void stats_init(struct stats *s);

/* The run's losses (see lost_records), known only at its end. */
void stats_set_lost(struct stats *s, uint64_t records, uint64_t bytes);

/*
 * Count one record.  Returns true when it starts a run: the first record
 * and every restart (gc number <= the previous one).  A restart is
 * therefore `stats_add(s, r) && s->runs > 1`.
 */
bool stats_add(struct stats *s, const struct gc_record *r);

/*
 * Look up a metric by dotted name (see stats_metric_names).  Units: times
 * in milliseconds, sizes in MB, percentages 0..100, gc.rate in collections
 * per second, counts as counts.  Returns 0 with *value set; 1 when the
 * metric exists but has no value (no records, or the trace's Go version
 * does not report it; the counts gc.count, gc.runs, gc.forced always have
 * one, and so do lost, lost.records, lost.bytes); -1 for an unknown name.
 */
int stats_metric(const struct stats *s, const char *name, double *value);

/* The metric names, NULL-terminated: gc.count gc.rate gc.cpu gc.forced
 * gc.runs pause.p50 pause.p90 pause.p99 pause.max pause.min pause.total
 * pause.mean heap.live.min heap.live.max heap.live.last heap.goal.max
 * mark.assist mark.background mark.idle lost lost.records lost.bytes
 * (lost is the other two added: not 0 when anything was lost). */
const char *const *stats_metric_names(void);

/*
 * The end-of-run summary, ASCII only, labels aligned:
 *
 *   gc           1234 collections in 61.2s (20.2/s), 1 run, 2 forced, 8 P
 *   gc.cpu       3% (runtime, cumulative)
 *   pause        p50 120us  p90 300us  p99 1.1ms  max 2.3ms  total 150ms
 *   heap.live    min 2 MB  max 512 MB  last 300 MB
 *   heap.goal    max 600 MB
 *   mark         assist 12%  background 70%  idle 18%
 *
 * With no records, the one line "gc           0 collections (no gc lines
 * seen)".  A value the trace does not give is "n/a".
 */
void stats_print(const struct stats *s, FILE *out);

/*
 * Pool one process's statistics into all (from stats_init): counts, the
 * pause distribution, mark time, heap extremes, and as heap.live.last the
 * sum of every process's latest live heap.  Rates, gc.cpu and P stay
 * unknown in the pool: they belong to one process.
 */
void stats_merge(struct stats *all, const struct stats *s);

#endif
