/*
 * chartwin.h - which recent collections the charts show, column by column,
 * and what those collections add up to.
 *
 * The window is the last N collections (the + and - keys).  When N is not
 * above the chart width each collection has a column, newest on the
 * right.  When it is, each column stands for several neighbouring
 * collections (their count spread evenly, so the chart still fills its
 * width and always covers the whole window); the charts then draw the
 * largest pause of the column, the heap of its last collection and the
 * mean mark CPU, so spikes are never averaged away and the heap is the
 * latest one.  A restart (gc numbering back to a number not above the
 * previous record's, as a new process under go run) gets a column of its
 * own, a marker; columns never mix two runs.  If the markers push the
 * oldest collections out, the window's figures describe what is drawn.
 * Nothing here depends on libuv or ncurses.
 */
#ifndef GCWATCH_CHARTWIN_H
#define GCWATCH_CHARTWIN_H

#include <stdbool.h>
#include <stdint.h>

#include "model/history.h"
#include "model/model.h"

/* A chart is never wider than the records kept. */
#define CHARTWIN_COLS_MAX MODEL_RECORDS

struct chartwin_col {
	int first, last; /* m->recent[first..last]; first < 0: no records */
	bool restart;    /* the marker before a new run; on the time axis:
	                    a run after the first began in the column */
};

struct chartwin {
	int ncols;
	struct chartwin_col col[CHARTWIN_COLS_MAX]; /* left to right */
	unsigned first;   /* oldest record shown (index in m->recent) */
	unsigned n;       /* records shown: m->recent[first .. first+n-1] */
	unsigned want;    /* the window asked for, capped by what is kept */
	unsigned per_col; /* most records in one column (1 when not grouped) */
	unsigned min_per_col; /* fewest, in columns with records */

	/* Over the records shown; GC_NULL / negative when unknown. */
	int64_t pause_last, pause_p50, pause_p90, pause_p99, pause_max; /* us */
	int64_t pause_total;
	double cpu_pct;   /* GC CPU over the window, 0..100+, or -1 */
	bool has_mark;    /* some record carries mark worker times */
	int64_t assist_us, background_us, idle_us;   /* sums */

	/*
	 * The time axis (chartwin_plan_time): columns are stretches of the
	 * feed's history, the right one holding "now"; first and last are
	 * then -1 and agg holds each column's buckets merged (count 0: no
	 * collection, drawn empty).
	 */
	bool time;
	int64_t span_ms;  /* the window's length */
	int64_t right_t;  /* axis time at the right edge ("now") */
	int64_t kright;   /* the right column's number on the axis */
	int64_t width_ms; /* bucket width of the tier shown */
	int64_t start_t;  /* axis time of the oldest collection (history's) */
	uint64_t gcs;     /* collections in the window */
	double cpu_peak;  /* GC CPU % of the busiest column, or -1 */
	struct hist_bucket agg[CHARTWIN_COLS_MAX];
};

/* Plan ncols columns (at most CHARTWIN_COLS_MAX) for the last `size`
 * collections of m, and compute the window's figures. */
void chartwin_plan(struct chartwin *w, const struct feed *fd, unsigned size,
                 int ncols);

/* Columns the time axis uses for span_ms in at most ncols columns: fewer
 * when the finest tier that reaches has buckets wider than a column (a
 * bucket is never split over columns). */
int chartwin_time_cols(const struct feed *fd, int64_t span_ms, int ncols);

/* Plan ncols columns (from chartwin_time_cols) of span_ms of fd's
 * history, ending at "now" (history_now at now_ms): columns are fixed
 * stretches of the axis, so they do not change as time passes, only move
 * left.  The window's figures: pause max and total, mark CPU, GC CPU from
 * the buckets (exact up to float); p50/p90/p99 from the recent records
 * when they hold the window's every collection, otherwise unknown. */
void chartwin_plan_time(struct chartwin *w, const struct feed *fd, int64_t span_ms,
                        int ncols, uint64_t now_ms);

/* The column (0 .. ncols-1) holding axis time t, or -1 when t is left of
 * the window (after chartwin_plan_time). */
int chartwin_time_col(const struct chartwin *w, int64_t t);

#endif
