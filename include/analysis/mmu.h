/*
 * mmu.h - minimum mutator utilisation from gctrace records, streamed.
 *
 * MMU(w) is the least share of the CPU left to the program over any
 * window of length w.  Each record becomes a busy profile on its own
 * timeline (the "@" time is the start of sweep termination):
 *
 *   sweep termination   stop-the-world: all P busy for its wall time
 *   concurrent mark     (assist + background CPU) / (mark wall x P) of
 *                       the P busy, spread evenly over the mark
 *   mark termination    stop-the-world: all P busy
 *
 * Idle mark workers are free: they only run on a P that had nothing to
 * do.  This is the model of aclements/go-gcstats and of `go tool trace`'s
 * MMU with STW, background workers and assists included (no sweep).
 *
 * Exact over the run, streamed, in amortised O(1) per record and window:
 * the busy time in a sliding window is piecewise linear in the window's
 * start x, and its slope only drops where x enters a busier phase (the
 * start of a collection or of mark termination) or where x + w leaves one
 * (the end of sweep termination or of the collection).  So its maximum
 * sits at a window starting on the first kind of boundary, ending on the
 * second, or at the timeline's ends.  Each such window is measured once,
 * as soon as the data under it is known, through cursors that only move
 * forward; only the collections of the last second (the widest window)
 * are kept, in a ring that grows as needed (16 collections at first, at
 * most MMU_RING).  The result is exact unless more than MMU_RING
 * collections fall in one widest window; the windows that could not be
 * measured then are counted in `lost` (and the figure may read too high).
 *
 * A run's timeline starts at 0 when its first record is gc 1 (nothing
 * collected before), else at that record's start; it ends where the last
 * collection ends.  A window longer than the timeline has no value.  A
 * record numbered at or below the previous one, or whose time goes back
 * more than 5 ms into the previous collection,
 * starts a new timeline; the figures over the whole feed are the least of
 * every timeline's.  Precision: the "@" time has 1 ms resolution (a start
 * that overlaps the previous collection's end is moved to that end), and
 * the runtime prints phase times to two significant digits.
 * Nothing here depends on libuv or ncurses.
 */
#ifndef GCWATCH_MMU_H
#define GCWATCH_MMU_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "trace/gcrecord.h"

/* The windows: 10 ms, 50 ms, 100 ms, 1 s. */
#define MMU_WINDOWS 4
/* Collections kept at most: more than a widest window's worth. */
#define MMU_RING 4096

struct mmu_cycle {
	int64_t t0;              /* start, microseconds on the timeline */
	int32_t st, mark, mt;    /* phase wall times, microseconds */
	double frac;             /* share of the P busy during the mark */
	double cum;              /* busy P-share-microseconds before t0 */
	double cum_mt;           /* ... and before mark termination */
};

struct mmu {
	struct mmu_cycle *ring;  /* by serial % cap; NULL until the first */
	uint32_t cap;            /* a power of two, <= MMU_RING */
	uint64_t serial;         /* collections on the current timeline */
	uint64_t first;          /* serial of the oldest kept */
	bool open;               /* a timeline has begun */
	uint64_t last_gc;
	int64_t d0;              /* timeline start, microseconds */
	int64_t horizon;         /* end of the latest collection */
	double busy_end;         /* busy time up to horizon */
	/* Per window: the most busy time in a window measured so far on
	 * any timeline (-1: no window fitted yet); the collection under the start of the
	 * latest window ending on a boundary, and under the end of the
	 * latest starting on one (cursors, which may lag behind the places
	 * asked of them when a bound made the search needless); the next boundary (4 a
	 * collection) whose window starting there waits for data; whether
	 * the window at d0 is done. */
	double worst[MMU_WINDOWS];
	uint64_t end_cur[MMU_WINDOWS], start_cur[MMU_WINDOWS];
	int64_t end_x[MMU_WINDOWS], start_x[MMU_WINDOWS]; /* asked of them */
	uint64_t next_left[MMU_WINDOWS];
	bool d0_done[MMU_WINDOWS];
	uint64_t cycles;         /* records placed */
	uint64_t skipped;        /* records without an "@" time (or no memory) */
	uint64_t lost;           /* windows not measured (ring overflow) */
};

/* The window lengths in microseconds and their names ("10ms" ... "1s"). */
int64_t mmu_window_us(int i);
const char *mmu_window_name(int i);

void mmu_init(struct mmu *m);
/* Free the ring (mmu_init again to reuse). */
void mmu_free(struct mmu *m);

/* Place one record on the timeline. */
void mmu_add(struct mmu *m, const struct gc_record *r);

/*
 * MMU for window i (0..MMU_WINDOWS-1) over the whole feed, as a share
 * 0..1 in *util.  False when no window of that length fits in any
 * timeline (a run shorter than the window, or no timed records).
 */
bool mmu_get(const struct mmu *m, int i, double *util);

/* Bytes the ring holds now. */
size_t mmu_bytes(const struct mmu *m);

/* End of the latest collection on the current timeline, or -1. */
int64_t mmu_horizon(const struct mmu *m);

#endif
