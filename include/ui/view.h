/*
 * view.h - the dashboard, drawn from a model snapshot into a grid.
 *
 * Panes (DESIGN.md): a header (input, state, collections and rate, GC CPU
 * as the runtime reports it and over the visible window, P, elapsed), the
 * pause per collection as a chart with last/p50/p99/max of the window and
 * of the run, the heap (live, goal and heap at start on one scale), the
 * mark workers (assist, background, idle CPU per collection, told apart by
 * glyph as well as colour, the assist share highlighted above a
 * threshold), the program's own output (sanitised, cut to the width), a
 * footer with the keys, and a help overlay.  Pure: no ncurses, no libuv,
 * no clock of its own (now is given), so tests compare grids as text.
 */
#ifndef GCWATCH_VIEW_H
#define GCWATCH_VIEW_H

#include <stdbool.h>
#include <stdint.h>

#include "ui/grid.h"
#include "analysis/analysis.h"
#include "model/model.h"

/* Smallest terminal the dashboard draws in; below, it says so. */
#define VIEW_MIN_W 60
#define VIEW_MIN_H 16

#define VIEW_FEED_AUTO MODEL_FOCUS_AUTO

/* What the fleet table is sorted by (the s key cycles). */
enum view_sort {
	VIEW_SORT_ORDER = 0, /* first appearance */
	VIEW_SORT_NAME, VIEW_SORT_GCS, VIEW_SORT_RATE, VIEW_SORT_CPU,
	VIEW_SORT_P99, VIEW_SORT_MAX, VIEW_SORT_LIVE, VIEW_SORT_ASSIST,
	VIEW_SORTS
};

struct view_opts {
	bool ascii;            /* ASCII glyphs only (no UTF-8 locale, --ascii) */
	bool show_output;      /* the output pane (key l) */
	bool help;             /* the help overlay (keys ? h) */
	bool diag;             /* the diagnosis overlay (key d) */
	/* The shown feed's diagnosis (engine_digest), or NULL: then neither
	 * the findings line nor the overlay is drawn (golden tests). */
	const struct analysis_digest *digest;
	bool frozen;           /* the display is paused (space): say so */
	unsigned window;       /* collections shown in the charts (keys + -) */
	bool per_gc;           /* the charts' axis is per collection (key t),
	                          not time */
	unsigned zoom;         /* the time axis's span: view_zoom_ms (keys + -) */
	bool zoom_auto;        /* no --zoom and no key yet: a feed read at once
	                          shows its whole span (view_zoom_shown) */
	unsigned feed;         /* index of the feed shown (model->feeds), or
	                          VIEW_FEED_AUTO: the first with collections */
	bool fleet;            /* the fleet table, when there are several feeds */
	bool fleet_chosen;     /* asked for (Esc): shown even when the other
	                          feeds are only tools the go command ran */
	unsigned sel;          /* the fleet table's selected feed (index) */
	int sort;              /* enum view_sort */
	uint64_t retention_ms; /* a feed silent longer is not listed; 0: all */
	double assist_warn;    /* assist share that is highlighted (0.25) */
};

/* Draw the whole dashboard for model m into g (every cell is written). */
void view_render(struct grid *g, const struct model *m, const struct view_opts *o,
                 uint64_t now_ms);

/* Window sizes the + and - keys step through. */
unsigned view_window_bigger(unsigned window);
unsigned view_window_smaller(unsigned window);

/* The time axis's spans (+ and - step through them): 1m 5m 15m 1h 6h 24h. */
#define VIEW_ZOOMS 6
#define VIEW_ZOOM_DEFAULT 1 /* 5m */
int64_t view_zoom_ms(unsigned zoom);
const char *view_zoom_label(unsigned zoom);

/* The zoom drawn: o->zoom, or with o->zoom_auto, for a shown feed whose
 * records came in at once (a file read whole, --replay=0: see
 * history_at_once), the smallest that holds its whole span. */
unsigned view_zoom_shown(const struct model *m, const struct view_opts *o);

/* Feeds the fleet table lists: those with collections, heard from within
 * the retention (now_ms is the model's clock). */
unsigned view_fleet_count(const struct model *m, const struct view_opts *o,
                          uint64_t now_ms);

/* True when view_render draws the fleet table: asked for, and more than
 * one feed to list; by itself only when more than one of them is not a
 * tool the go command ran (`go run` opens on the program). */
bool view_is_fleet(const struct model *m, const struct view_opts *o, uint64_t now_ms);

/* The feed (index) delta rows below the selected one in the table's
 * order, clamped to the first and last. */
unsigned view_fleet_move(const struct model *m, const struct view_opts *o, int delta,
                         uint64_t now_ms);

#endif
