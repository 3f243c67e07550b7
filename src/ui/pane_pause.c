/*
 * The pause pane: the stop-the-world pause of each collection (sweep
 * termination + mark termination) as bars, newest on the right, and its
 * percentiles over the window and over the whole run.
 */
#include <stdio.h>

#include "text/fmt.h"
#include "model/histo.h"
#include "ui/pane.h"

enum row { R_LAST, R_P50, R_P90, R_P99, R_MAX, R_TOTAL, R_COUNT };

/*
 * Which figures show when the pane has fewer rows than figures: the
 * latest pause and the worst ones first.  They are drawn in the natural
 * order whatever the priority.
 */
static const enum row priority[R_COUNT] = { R_LAST, R_MAX, R_P99, R_P50,
                                            R_P90, R_TOTAL };

static const char *const label[R_COUNT] = {
	[R_LAST] = "last", [R_P50] = "p50", [R_P90] = "p90",
	[R_P99] = "p99",   [R_MAX] = "max", [R_TOTAL] = "total",
};

/* The largest pause of a column's collections, or -1. */
static int64_t column_pause(const struct feed *fd, const struct chartwin_col *c)
{
	int64_t v = -1;
	int i;

	for (i = c->first; i <= c->last; i++) {
		int64_t p = gcrecord_pause_us(feed_record(fd, i));
		if (p > v)
			v = p;
	}
	return v;
}

/* Column c's largest pause (the time axis keeps every bucket's), or -1. */
static int64_t col_pause(const struct frame *f, int c)
{
	const struct chartwin *w = f->win;

	if (w->time)
		return w->agg[c].count && w->agg[c].pause_max >= 0
		               ? (int64_t)(w->agg[c].pause_max + 0.5f) : -1;
	return w->col[c].first >= 0 ? column_pause(f->feed, &w->col[c]) : -1;
}

/*
 * The run's figures come from stats' histogram (within 1%); while the
 * window still holds every collection of the run they are the window's
 * exact ones, so the two columns do not disagree about the same data.
 */
static void figures(struct grid *g, const struct rect *r, const struct frame *f)
{
	const struct chartwin *w = f->win;
	const struct histo *h = &f->feed->stats.pause;
	bool has_run = histo_count(h) > 0, show[R_COUNT] = { false };
	bool same = has_run && !w->time && w->n == f->feed->stats.count;
	int rows = r->h - 1, i, y;
	bool ascii = f->gl->ascii;

	for (i = 0; i < R_COUNT && i < rows; i++)
		show[priority[i]] = true;
	y = r->y + 1;
	for (i = 0; i < R_COUNT; i++) {
		char a[FMT_MAX] = "", b[FMT_MAX] = "";
		int64_t wv = GC_NULL, rv = GC_NULL;

		if (!show[i])
			continue;
		switch ((enum row)i) {
		case R_LAST:
			wv = w->pause_last;
			break;
		case R_P50:
			wv = w->pause_p50;
			rv = same ? wv : histo_quantile(h, 0.50);
			break;
		case R_P90:
			wv = w->pause_p90;
			rv = same ? wv : histo_quantile(h, 0.90);
			break;
		case R_P99:
			wv = w->pause_p99;
			rv = same ? wv : histo_quantile(h, 0.99);
			break;
		case R_MAX:
			wv = w->pause_max;
			rv = histo_max(h);
			break;
		case R_TOTAL:
			wv = w->pause_total;
			rv = histo_sum(h);
			break;
		case R_COUNT:
			break;
		}
		fmt_us(a, wv, ascii);
		if (has_run && i != R_LAST)
			fmt_us(b, rv, ascii);
		grid_text(g, f->side_x, y, 6, label[i], ROLE_DIM);
		pane_right(g, pane_col1_end(f), f->side_x + 6, y, a, ROLE_VALUE);
		pane_right(g, pane_col2_end(f), pane_col1_end(f) + 1, y, b, ROLE_VALUE);
		y++;
	}
}

static void pause_draw(struct grid *g, const struct rect *r, const struct frame *f)
{
	const struct chartwin *w = f->win;
	int64_t top = 0;
	char sub[64], scale[FMT_MAX];
	int c, rows = r->h - 1, ybot = r->y + r->h - 1;
	double s;

	if (w->time)
		snprintf(sub, sizeof sub, "stop-the-world, largest per column");
	else if (w->per_col > 1 && w->min_per_col < w->per_col)
		snprintf(sub, sizeof sub, "stop-the-world, largest of %u-%u per column",
		         w->min_per_col, w->per_col);
	else if (w->per_col > 1)
		snprintf(sub, sizeof sub, "stop-the-world, largest of %u per column",
		         w->per_col);
	else
		snprintf(sub, sizeof sub, "stop-the-world per collection");
	pane_title(g, r, f, "PAUSE", sub, "window", "run");
	if (rows < 1 || pane_no_records(g, r, f))
		return;

	for (c = 0; c < w->ncols; c++) {
		int64_t v = col_pause(f, c);
		if (v > top)
			top = v;
	}
	/* All-zero pauses (coarse Windows timers) still get a scale. */
	s = pane_nice(top > 0 ? (double)top : 1);
	pane_axis(g, r, f, fmt_us(scale, (int64_t)s, f->gl->ascii));
	for (c = 0; c < w->ncols; c++) {
		int64_t v;
		int i;

		if (w->col[c].restart && !w->time) {
			pane_restart(g, c, r, f);
			continue;
		}
		v = col_pause(f, c);
		for (i = 0; v >= 0 && i < f->col_w; i++)
			pane_bar(g, pane_col_x(f, c) + i, ybot, rows,
			         pane_eighths((double)v, s, rows), f, ROLE_PAUSE);
	}
	figures(g, r, f);
}

const struct pane_ops pane_pause = {
	.name = "pause",
	.help = "stop-the-world pause per collection (sweep + mark termination)",
	.draw = pause_draw,
};
