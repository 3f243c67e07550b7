/*
 * The heap pane: per collection, the live heap (marked, what survives) as
 * a bar, and the goal and the heap at the start of the collection as
 * marks, all on one scale so that the gap between live and goal reads at a
 * glance.  The figures are those of the latest collection, and the live
 * heap's range over the run.
 */
#include <stdio.h>

#include "text/fmt.h"
#include "ui/pane.h"

/* A goal this large means the collector is off (GOGC=off): not a goal,
 * and never part of the scale. */
static bool goal_off(int64_t goal)
{
	return goal >= STATS_GOAL_OFF_MB;
}

static int64_t column_max(const struct gc_record *r)
{
	int64_t v = r->heap_live_mb;

	if (r->heap_start_mb > v)
		v = r->heap_start_mb;
	if (!goal_off(r->heap_goal_mb) && r->heap_goal_mb > v)
		v = r->heap_goal_mb;
	return v;
}

/*
 * One column: the live heap as a solid bar, the room left up to the goal
 * as a light shade above it (so the gap between live and goal is an area
 * the eye measures at once), and the heap at the start of the collection
 * as a dot when it stands above both, which is when it tells something
 * (the collection started late, or the goal is below the heap).  A goal
 * below the live heap is drawn as a line across the bar.
 */
static void column(struct grid *g, int x, const struct rect *r,
                   const struct frame *f, const struct gc_record *rec, double s)
{
	int rows = r->h - 1, ybot = r->y + r->h - 1, row;
	int live = pane_eighths((double)rec->heap_live_mb, s, rows);
	int top = live > 0 ? (live - 1) / 8 : -1; /* the bar's top row */
	int above = top;                          /* the highest row drawn */

	pane_bar(g, x, ybot, rows, live, f, ROLE_LIVE);
	if (rec->heap_goal_mb >= 0 && !goal_off(rec->heap_goal_mb)) {
		int e = pane_eighths((double)rec->heap_goal_mb, s, rows);
		/* The goal's row: its cell is shaded when at least half of it
		 * is below the goal. */
		int goal = (e + 3) / 8 - 1;

		if (goal > top) {
			for (row = top + 1; row <= goal; row++)
				grid_put(g, x, ybot - row, f->gl->headroom, ROLE_GOAL);
			above = goal;
		} else if (e > 0 && e < live) {
			row = (e - 1) / 8;
			grid_put(g, x, ybot - row, f->gl->level[((e - 1) % 8) * 5 / 8],
			         ROLE_GOAL);
		}
	}
	if (rec->heap_start_mb > 0) {
		int e = pane_eighths((double)rec->heap_start_mb, s, rows);
		row = (e - 1) / 8;
		if (row > above)
			grid_put(g, x, ybot - row, f->gl->start, ROLE_START);
	}
}

static void figures(struct grid *g, const struct rect *r, const struct frame *f)
{
	const struct feed *fd = f->feed;
	const struct gc_record *last = feed_record(fd, fd->nrecent - 1);
	const struct stats *st = &fd->stats;
	struct {
		const char *glyph, *label;
		enum role role;
		char value[FMT_MAX];
	} rows[5] = {
		{ f->gl->bar[8], "live", ROLE_LIVE, "" },
		{ f->gl->headroom, "goal", ROLE_GOAL, "" },
		{ f->gl->start, "start", ROLE_START, "" },
		{ NULL, "run max", ROLE_DIM, "" },
		{ NULL, "run min", ROLE_DIM, "" },
	};
	int i, n = r->h - 1;

	fmt_mb(rows[0].value, last->heap_live_mb);
	if (goal_off(last->heap_goal_mb))
		snprintf(rows[1].value, FMT_MAX, "off");
	else
		fmt_mb(rows[1].value, last->heap_goal_mb);
	fmt_mb(rows[2].value, last->heap_start_mb);
	fmt_mb(rows[3].value, st->live_max);
	fmt_mb(rows[4].value, st->live_min);
	for (i = 0; i < 5 && i < n; i++) {
		int y = r->y + 1 + i;
		if (rows[i].glyph)
			grid_put(g, f->side_x, y, rows[i].glyph, rows[i].role);
		grid_text(g, f->side_x + 2, y, 10, rows[i].label, ROLE_DIM);
		pane_right(g, pane_col2_end(f), f->side_x + 12, y, rows[i].value,
		           ROLE_VALUE);
	}
}

/* On the time axis a column is the most of its buckets: the highest live
 * heap, goal and start, so a peak shows at every zoom. */
static const struct gc_record *col_record(const struct frame *f, int c,
                                          struct gc_record *tmp)
{
	const struct chartwin *w = f->win;
	const struct hist_bucket *k = &w->agg[c];

	if (!w->time)
		return w->col[c].first >= 0 ? feed_record(f->feed, w->col[c].last) : NULL;
	if (!k->count)
		return NULL;
	gcrecord_clear(tmp);
	tmp->heap_live_mb = k->live_max >= 0 ? (int64_t)k->live_max : GC_NULL;
	tmp->heap_goal_mb = k->goal_max >= 0 ? (int64_t)k->goal_max : GC_NULL;
	tmp->heap_start_mb = k->start_max >= 0 ? (int64_t)k->start_max : GC_NULL;
	return tmp;
}

static void heap_draw(struct grid *g, const struct rect *r, const struct frame *f)
{
	struct gc_record tmp;
	const struct chartwin *w = f->win;
	char scale[FMT_MAX];
	int64_t top = 0, s;
	int c;

	pane_title(g, r, f, "HEAP", w->time ? "live and goal, most per column"
	                                    : "live and goal per collection", NULL,
	           "last gc");
	if (r->h < 2 || pane_no_records(g, r, f))
		return;
	for (c = 0; c < w->ncols; c++) {
		const struct gc_record *rec = col_record(f, c, &tmp);
		if (rec) {
			int64_t v = column_max(rec);
			if (v > top)
				top = v;
		}
	}
	s = pane_nice_mb(top);
	pane_axis(g, r, f, fmt_mb(scale, s));
	/* A column of several collections shows the last of them: the heap
	 * is a level, and the latest level is the one that matters. */
	for (c = 0; c < w->ncols; c++) {
		int i;

		const struct gc_record *rec = col_record(f, c, &tmp);

		if (w->col[c].restart && !w->time)
			pane_restart(g, c, r, f);
		else if (rec)
			for (i = 0; i < f->col_w; i++)
				column(g, pane_col_x(f, c) + i, r, f, rec, (double)s);
	}
	figures(g, r, f);
}

const struct pane_ops pane_heap = {
	.name = "heap",
	.help = "live heap (solid), room to the goal (shade), late start (dot)",
	.draw = heap_draw,
};
