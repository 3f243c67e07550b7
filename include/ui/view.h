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
#include "model/model.h"

/* Smallest terminal the dashboard draws in; below, it says so. */
#define VIEW_MIN_W 60
#define VIEW_MIN_H 16

struct view_opts {
	bool ascii;            /* ASCII glyphs only (no UTF-8 locale, --ascii) */
	bool show_output;      /* the output pane (key l) */
	bool help;             /* the help overlay (keys ? h) */
	bool frozen;           /* the display is paused (space): say so */
	unsigned window;       /* collections shown in the charts (keys + -) */
	unsigned feed;         /* index of the feed shown (model->feeds) */
	double assist_warn;    /* assist share that is highlighted (0.25) */
};

/* Draw the whole dashboard for model m into g (every cell is written). */
void view_render(struct grid *g, const struct model *m, const struct view_opts *o,
                 uint64_t now_ms);

/* Window sizes the + and - keys step through. */
unsigned view_window_bigger(unsigned window);
unsigned view_window_smaller(unsigned window);

#endif
