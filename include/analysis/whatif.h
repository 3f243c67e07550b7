/*
 * whatif.h - what another GOGC or a memory limit would do, from the trace.
 *
 * Kept per feed over its latest WHATIF_RING collections (the steady state
 * a prediction should start from; a new run starts afresh):
 *
 *   allocation rate     heap at the end of a cycle minus the live heap
 *                       after the previous one, over the time between the
 *                       two ends (what the program allocated meanwhile,
 *                       during the mark included)
 *   mark cost           assist + background CPU per MB of live heap plus
 *                       roots (stacks + globals, Go 1.18+) marked
 *   STW cost            sweep + mark termination CPU per collection
 *   pacer               heap at the end against the goal (how close to
 *                       its goal the pacer lands)
 *   trigger distance    goal minus the heap when the mark began, and the
 *                       heap allocated during the mark (the lead)
 *   idle share          what share of a mark's work (assist + background
 *                       + idle) was not done by idle workers, for the
 *                       marks whose heap reached the goal and for those
 *                       that ended 2 MB or more short of it
 *
 * The model is the Go GC guide's: goal = live + (live + roots) x GOGC/100,
 * at least 4 MB x GOGC/100 (the runtime's minimum heap); a memory limit
 * caps the goal at the limit less the non-heap memory.  Each kept
 * collection is replayed under the new goal, as the runtime's pacer
 * (mgcpacer.go) would run it: the mark starts where it started (the same
 * distance before the goal) but never before 70% of the way from the live
 * heap to the goal (the pacer's lower trigger bound), and the program
 * allocates the same lead during it, but a heap that reaches the goal
 * stops there (the program assists until the mark is done) unless the
 * collection ran past its own goal, by as much.  So the heap ends at the new goal
 * less that distance plus the lead, and the next collection comes when
 * the program has allocated that much again.  The mark's work is the same
 * (the same live heap and roots); what share of it counts as GC CPU
 * depends on whether the heap reaches the goal: a mark that finishes
 * before leaves most of it to idle workers (free: they use CPU the
 * program left), one that reaches the goal makes the program assist
 * (measured: assists of ~10 ms in place of idle work, on a mostly idle
 * program).  The two shares are measured on the trace's own collections,
 * and interpolated over the last 2 MB of headroom.  Under a limit the GC
 * CPU limiter holds the GC to 50% of the CPU, letting the heap grow past
 * the limit instead.
 *
 * What the trace lacks: the non-heap memory a limit counts (runtime
 * metadata, fragmentation, unreleased pages; taken as stacks + globals +
 * WHATIF_NONHEAP_MB + WHATIF_NONHEAP_SHARE of the limit, a measured
 * figure that varies with the program),
 * and the GOGC in force (given when known, else inferred from goal and
 * live).  Nothing here depends on libuv or ncurses.
 */
#ifndef GCWATCH_WHATIF_H
#define GCWATCH_WHATIF_H

#include <stdbool.h>
#include <stdint.h>

#include "trace/gcrecord.h"

#define WHATIF_RING 256
/* The GOGC values a summary predicts for. */
#define WHATIF_NGOGC 4
/* What a memory limit counts besides the heap, beyond stacks and globals:
 * the trace does not say.  Measured with Go 1.19.8 on bench/whatif.sh's
 * workload (runtime metadata, freed pages not yet returned): the goal
 * under GOMEMLIMIT=36, 50 and 60 MiB sat 10.5, 11.5 and 11.5 MB below the
 * limit (two live heaps), about 9 MB plus 5% of the limit.  (An earlier
 * figure, 8 MB, left the limit's goal 1 MB too high: a sixth of its
 * runway on that workload.) */
#ifndef WHATIF_NONHEAP_MB
#define WHATIF_NONHEAP_MB 9.0
#endif
#define WHATIF_NONHEAP_SHARE 0.05
/* The GC CPU limiter's cap, in % of wall time x P. */
#define WHATIF_LIMITER_PCT 50.0
/* The pacer's lowest trigger: this share of the way from the live heap to
 * the goal (Go 1.18+, mgcpacer.go). */
#define WHATIF_TRIGGER_MIN 0.7
/* The share of a mark's work that is GC CPU once the heap reaches its
 * goal, when the trace has too few such marks to measure it: assists
 * then displace most of the idle work. */
#define WHATIF_SHARE_HIT 0.75
/* Marks that must have reached the goal to measure that share. */
#define WHATIF_HIT_MIN 3

/* One kept collection (56 bytes: MB and CPU microseconds fit 32 bits;
 * larger figures are clamped). */
struct whatif_cycle {
	int64_t interval_us;     /* since the previous one's end, or -1 */
	int32_t live, roots, heap_start, heap_end, goal; /* MB */
	int32_t prev_live, prev_roots;       /* MB, or -1 */
	int32_t procs;
	uint32_t mark_cpu_us, stw_cpu_us;    /* assist + background; STW */
	uint32_t idle_cpu_us;
};

struct whatif {
	struct whatif_cycle ring[WHATIF_RING];
	unsigned head, n;        /* oldest at head */
	bool have_prev;
	uint64_t last_gc;
	int64_t prev_end_us, prev_live, prev_roots;
	bool roots_known;        /* Go 1.18+ lines (stacks, globals) */
};

/* The inputs of the model, and what the same collections measured. */
struct whatif_est {
	uint64_t cycles;         /* collections with a previous one */
	double span_s;           /* time they cover */
	double alloc_mb_s;       /* allocation rate */
	double live_mb, roots_mb;
	bool roots_known;
	double mark_us_per_mb;   /* assist + background per MB marked */
	double stw_us;           /* STW CPU per collection */
	double procs;
	double pacer;            /* (end - live) / (goal - live) */
	/* GC CPU (assist + background) over all the mark's work (with
	 * idle): for marks whose heap reached the goal, and for marks that
	 * ended 2 MB or more short of it. */
	double share_hit, share_ok;
	unsigned hits;           /* marks whose heap reached the goal */
	double gogc;             /* inferred GOGC in force (90th percentile of
	                            the collections' with 8 MB live), or -1 */
	double nonheap_mb;       /* non-heap memory a limit is assumed to count,
	                            besides WHATIF_NONHEAP_SHARE of the limit */
	/* Measured over those collections. */
	double gc_cpu_pct;       /* mark + STW CPU / (wall x P), idle excluded */
	double rate;             /* collections per second */
	double peak_mb;          /* p95 of the heap at the end of a cycle */
};

struct whatif_pred {
	double gogc;             /* -1: off */
	double limit_mb;         /* 0: none */
	double goal_mb, peak_mb, rate, gc_cpu_pct;
	bool at_minimum;         /* the 4 MB minimum decides the goal */
	bool at_limit;           /* the limit decides the goal */
	bool limiter;            /* the CPU limiter caps the GC at 50% */
};

/* The GOGC values predicted for: 50, 100, 200, 400. */
int whatif_gogc(int i);

void whatif_init(struct whatif *w);
void whatif_add(struct whatif *w, const struct gc_record *r);

/* The model's inputs from the kept collections; false with fewer than
 * two timed collections or no allocation seen. */
bool whatif_estimate(const struct whatif *w, struct whatif_est *e);

/* Predict for GOGC gogc (-1: off, which needs a limit) and a memory limit
 * in MB (0: none), from e = whatif_estimate(w).  The peak heap replays
 * w's kept collections under the new goal and takes their 95th
 * percentile. */
void whatif_predict(const struct whatif *w, const struct whatif_est *e, double gogc,
                    double limit_mb, struct whatif_pred *p);

#endif
