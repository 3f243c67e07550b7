/*
 * pane.h - the parts of the dashboard, and what they share while drawing.
 *
 * A pane is a const table of operations (tmux's window_mode, ncdu's
 * dir_output): a name, one line of help for the overlay, and a draw
 * function that fills its rectangle of the grid from a frame, the
 * snapshot and everything worked out once per render.  view.c lays the
 * panes out and calls them.  Pure: no ncurses, no libuv, no clock.
 */
#ifndef GCWATCH_PANE_H
#define GCWATCH_PANE_H

#include <stdint.h>

#include "ui/glyphs.h"
#include "ui/grid.h"
#include "model/model.h"
#include "ui/view.h"
#include "ui/chartwin.h"

struct rect {
	int x, y, w, h;
};

/*
 * The chart panes put their value axis, the chart columns and a column
 * of figures at the same x, so that one collection is at one x in every
 * chart and the window is the same for all of them.
 */
struct frame {
	const struct model *m;
	const struct feed *feed; /* the feed the panes show */
	bool fleet;              /* the fleet table is shown instead */
	const struct view_opts *o;
	const struct glyphs *gl;
	uint64_t now_ms;
	const struct chartwin *win;
	int axis_w;          /* the value axis labels, from x 0 */
	int chart_x, chart_w;
	int col_w;           /* cells per chart column: wider bars when the
	                        window is much narrower than the chart */
	int side_x, side_w;  /* the figures */
	unsigned window;     /* collections in the charts: the window asked
	                        for, grown to fill the chart's width */
	char window_label[16]; /* the window as the footer and help say it:
	                        collections, or the time axis's span */
};

struct pane_ops {
	const char *name;
	const char *help; /* one line for the help overlay, or NULL */
	void (*draw)(struct grid *g, const struct rect *r, const struct frame *f);
};

extern const struct pane_ops pane_header;
extern const struct pane_ops pane_pause;
extern const struct pane_ops pane_heap;
extern const struct pane_ops pane_mark;
extern const struct pane_ops pane_output;
extern const struct pane_ops pane_footer;
extern const struct pane_ops pane_fleet;
extern const struct pane_ops pane_gccpu;
extern const struct pane_ops pane_timeaxis;
/* The findings line (pane_diag.c), drawn when the view has a digest. */
extern const struct pane_ops pane_diag;
/* The d key's overlay: findings with evidence, MMU, what-if. */
void pane_diag_overlay(struct grid *g, const struct frame *f);

/* ---- helpers the panes share (pane.c) ---- */

/* Width of the figures column beside the charts. */
#define PANE_SIDE_W 24
/* Width of the value axis labels, and the space after them. */
#define PANE_AXIS_W 7

/* The first row of a chart pane: its name, a subtitle, a rule up to the
 * figures, and the figures' column headings (right-aligned at the ends of
 * the two value columns; either may be NULL). */
void pane_title(struct grid *g, const struct rect *r, const struct frame *f,
                const char *name, const char *sub, const char *col1,
                const char *col2);

/* Where the figures' value columns end (exclusive), for right alignment. */
int pane_col1_end(const struct frame *f);
int pane_col2_end(const struct frame *f);

/* Right-align s so that it ends just before x_end on row y, no further
 * left than x_min.  Returns the columns used. */
int pane_right(struct grid *g, int x_end, int x_min, int y, const char *s,
               enum role role);

/* Say why a chart is empty, centred in the chart area of r (below the
 * title row). */
void pane_empty(struct grid *g, const struct rect *r, const struct frame *f,
                const char *msg);

/* The standard empty message when no collection has been seen, if so;
 * true when it drew it. */
bool pane_no_records(struct grid *g, const struct rect *r, const struct frame *f);

/* Value axis: top label beside the first chart row, "0" beside the last. */
void pane_axis(struct grid *g, const struct rect *r, const struct frame *f,
               const char *top);

/* A vertical bar of `eighths` (up to 8 per row) at column x, growing up
 * from row ybot, at most h rows. */
void pane_bar(struct grid *g, int x, int ybot, int h, int eighths,
              const struct frame *f, enum role role);

/* Eighths of h rows that v takes on a scale of 0..scale; anything above
 * zero gets at least one eighth so that it shows. */
int pane_eighths(double v, double scale, int h);

/* The first cell of chart column c (columns are right-aligned). */
int pane_col_x(const struct frame *f, int c);

/* The restart marker: a whole column of the chart area, in the last cell
 * of chart column c, next to the new run. */
void pane_restart(struct grid *g, int c, const struct rect *r, const struct frame *f);

/* A rounded-up scale: the least of 1, 1.5, 2, 2.5, 3, 4, 5, 6, 8 times a
 * power of ten that is >= v (v > 0). */
double pane_nice(double v);

/* The same for sizes in MB, so the label reads well: in MB up to 1 GB,
 * then in GB or TB. */
int64_t pane_nice_mb(int64_t mb);

/* The role for an assist share (0..1): ROLE_WARN above o->assist_warn
 * (0.25 when it is not set), ROLE_ALERT above twice that, otherwise
 * `normal`. */
enum role pane_assist_role(const struct view_opts *o, double share, enum role normal);

#endif
