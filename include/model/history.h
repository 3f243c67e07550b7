/*
 * history.h - a feed's collections on a time axis, hours of them, in
 * bounded memory.
 *
 * Time is the trace's own clock (the "@" seconds since the process
 * started).  Runs of one feed (a restart: the clock starts again at 0) are
 * laid end to end on one axis: a new run starts where its log prefix's
 * wall clock puts it (see wall_off), else where the arrival clock puts it
 * when the records came in live, and right after the previous run when
 * they came faster than their own clock (a file read at once, a fast
 * replay: the trace's timeline, not the second it was read in).
 *
 * The wall clock: a record whose log prefix carried a timestamp
 * (gc_record.wall_ms) anchors the axis to it, live or read at once: axis
 * time t happened at wall clock t + wall_off.  Stamps may be late (a
 * collector's receive time) or cut to the second; within a run the
 * largest offset seen within 2 s of the current one is kept (the
 * truncation's error goes), a jump beyond that (the clock was set) is
 * taken as it is.
 *
 * Each record is added to every tier: fixed-width buckets keeping count,
 * sum, min and max of the figures the charts draw (pause, heap live,
 * start, end, goal, GC CPU used and the wall x P it ran in, mark CPU by
 * worker kind).  Maxima are kept at every width, so a single long pause
 * among millions of short ones shows at every zoom.  A tier is a ring of
 * chunks of HIST_CHUNK buckets, allocated when a record first lands in
 * the time a chunk covers: a gap costs nothing and reads as empty, and a
 * feed with a few collections holds a chunk a tier.
 *
 * Tiers (history_init): a wide feed (one whose charts are shown whole)
 * keeps 1 s buckets for 64 min and 1 min buckets for 25.6 h, at most
 * HIST_WIDE_BYTES (323 KB); a fleet feed (past MODEL_WIDE_FEEDS: a
 * thousand of them must fit in a few MB) 2 s buckets for 96 s, 10 s for
 * 8 min, 1 min for 80 min and 30 min for 32 h (reaching back 64 s,
 * 5 min 20 s, 64 min and 24 h) (each zoom in 30 columns
 * or more: 1m from the 2 s tier, 5m from the 10 s), at most
 * HIST_FLEET_BYTES (14.8 KB); a feed of a few seconds holds a chunk a
 * tier (4 KB).  The reach
 * of a tier is one chunk less than its ring (the newest chunk fills).  Nothing here depends on libuv or
 * ncurses.
 */
#ifndef GCWATCH_HISTORY_H
#define GCWATCH_HISTORY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "trace/gcrecord.h"

#define HIST_CHUNK 16
#define HIST_TIERS 4

/* 60 bytes.  Sizes in MB, times in microseconds, as floats: a bucket is a
 * picture of its time, its exact figures are in stats and the rings. */
struct hist_bucket {
	uint32_t count;     /* collections; 0: empty (the other fields junk) */
	uint16_t procs;     /* most P */
	uint8_t runs;       /* runs that began in it (saturates at 255) */
	uint8_t forced;     /* of the collections, forced (saturates) */
	float pause_sum, pause_min, pause_max;  /* -1 max: none known */
	float live_min, live_max;
	float start_max, end_max, goal_max;     /* -1: none known */
	float cpu_us;       /* GC CPU of the collections that close an interval */
	float cap_us;       /* those intervals' wall time x P */
	float assist_us, background_us, idle_us;
};

struct hist_chunk {
	int64_t no;         /* which chunk of time: bucket / HIST_CHUNK */
	uint32_t gen;       /* changes with each record added */
	struct hist_bucket b[HIST_CHUNK];
};

struct hist_tier {
	int64_t width_ms;
	unsigned nchunks;   /* the ring's length: nchunks * HIST_CHUNK buckets */
	struct hist_chunk **chunk; /* NULL until the first record */
};

struct history {
	unsigned ntiers;
	struct hist_tier tier[HIST_TIERS];

	/* The axis. */
	bool any;
	int64_t last_t;         /* axis time of the latest record, ms */
	int64_t run_offset;     /* axis time of the current run's "@0" */
	int64_t first_t;        /* of the first record */
	uint64_t first_arrival, last_arrival; /* monotonic ms */
	bool last_timed;        /* the latest record had an "@" time */
	bool paced;             /* records arrive at their own clock's pace */
	bool walled;            /* a log prefix's time anchors the axis */
	int64_t wall_off;       /* then: wall clock (Unix ms) minus axis time */
	uint64_t runs;
	uint64_t skipped;       /* records with an impossible "@" time */
	uint64_t version;       /* changes with every record */
	size_t bytes;           /* chunks and chunk tables allocated */
};

/* Most bytes one feed's history can take (chunks and tables, beyond
 * struct history itself, which lives in the feed). */
#define HIST_WIDE_BYTES ((size_t)(3840 + 1536) / HIST_CHUNK * \
                         (sizeof(struct hist_chunk) + sizeof(void *)))
#define HIST_FLEET_BYTES ((size_t)(48 + 48 + 80 + 64) / HIST_CHUNK * \
                          (sizeof(struct hist_chunk) + sizeof(void *)))

/* An empty history with the wide or the fleet tiers; allocates nothing. */
void history_init(struct history *h, bool wide);

/* An empty history that keeps no buckets (no dashboard to draw them):
 * history_add only follows the axis. */
void history_init_off(struct history *h);
void history_free(struct history *h);

/* Add a record that arrived at now_ms (monotonic); restart: it begins a
 * run after the first (stats_add said so). */
void history_add(struct history *h, const struct gc_record *r, bool restart,
                 uint64_t now_ms);

/* The axis time "now" stands for: the latest record's, and when records
 * arrive live, moved on by the time since it arrived (so that silence
 * shows as an empty stretch at the right). */
int64_t history_now(const struct history *h, uint64_t now_ms);

/* The wall clock (Unix ms) at which axis time t happened, from the log
 * prefixes' stamps; false when no record carried one. */
bool history_wall(const struct history *h, int64_t t, int64_t *wall_ms);

/* True when the records came in faster than their own clock (a file read
 * whole, --replay=0): not paced, or their clock ran more than twice the
 * arrival's (a span of a few seconds read in a moment). */
bool history_at_once(const struct history *h);

/* The monotonic time at which axis time t happened, when the records came
 * in live; false when that is not known. */
bool history_mono(const struct history *h, int64_t t, uint64_t *mono_ms);

/* Bucket number b (covering [b*width, (b+1)*width) of the axis) of tier
 * i, or NULL when no collection fell in it or it is no longer kept. */
const struct hist_bucket *history_bucket(const struct history *h, unsigned tier,
                                         int64_t b);

/* Axis time the tier reaches back from its newest bucket. */
int64_t history_span(const struct history *h, unsigned tier);

/* The finest tier that can show span_ms in columns of col_ms (its buckets
 * not wider than col_ms and the span within its reach); failing that the
 * finest that reaches, then the coarsest. */
unsigned history_tier_for(const struct history *h, int64_t span_ms, int64_t col_ms);

/* Add src's collections to dst (an empty dst, count 0, becomes src). */
void hist_merge(struct hist_bucket *dst, const struct hist_bucket *src);

/* Make dst (history_init'ed, or a previous copy of src) a copy of src,
 * copying only the chunks that changed.  Returns the chunks' bytes copied
 * (the struct itself is part of its feed's). */
size_t history_copy(struct history *dst, const struct history *src);

/* Bytes beyond the struct allocated now. */
size_t history_bytes(const struct history *h);

#endif
