/*
 * The time axis's own panes: the GC CPU chart (the share of the P's time
 * the collector took, per column, with collections per second as dots on
 * a scale of their own) and the axis row under the charts (relative
 * ticks, or round times of the wall clock where log prefixes gave it;
 * "now" at the right, the wall clock when known, a baseline where there
 * were collections so that a gap reads as empty, and the restart marks).
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "text/fmt.h"
#include "ui/pane.h"

static int64_t floordiv(int64_t a, int64_t b)
{
	return a >= 0 ? a / b : -((-a + b - 1) / b);
}

/* The axis time column c covers, from the feed's first collection on.
 * The right column counts whole, as it fills: a few collections in its
 * first second are not a rate. */
static int64_t col_len(const struct chartwin *w, int c)
{
	int64_t kleft = w->kright - w->ncols + 1;
	int64_t a = floordiv((kleft + c) * w->span_ms + w->ncols - 1, w->ncols);
	int64_t b = floordiv((kleft + c + 1) * w->span_ms + w->ncols - 1, w->ncols);

	if (a < w->start_t)
		a = w->start_t;
	return b > a ? b - a : 0;
}

static double col_cpu(const struct chartwin *w, int c)
{
	const struct hist_bucket *k = &w->agg[c];

	return k->count && k->cap_us > 0 ? 100.0 * k->cpu_us / k->cap_us : -1;
}

static double col_rate(const struct chartwin *w, int c)
{
	int64_t len = col_len(w, c);

	return w->agg[c].count && len > 0 ? w->agg[c].count * 1000.0 / (double)len : -1;
}

static void cpu_figures(struct grid *g, const struct rect *r, const struct frame *f,
                        double rate)
{
	const struct chartwin *w = f->win;
	const struct stats *st = &f->feed->stats;
	char a[FMT_MAX], b[FMT_MAX];
	double v;
	int n = r->h - 1, y = r->y + 1;

	if (n >= 1) {
		grid_put(g, f->side_x, y, f->gl->bar[8], ROLE_PAUSE);
		grid_text(g, f->side_x + 2, y, 8, "gc cpu", ROLE_DIM);
		fmt_pct(a, w->cpu_pct);
		fmt_pct(b, st->cpu_pct >= 0 ? st->cpu_pct : -1);
		pane_right(g, pane_col1_end(f), f->side_x + 9, y, a, ROLE_VALUE);
		pane_right(g, pane_col2_end(f), pane_col1_end(f) + 1, y, b, ROLE_VALUE);
		y++;
	}
	if (n >= 2) {
		grid_put(g, f->side_x, y, f->gl->start, ROLE_START);
		grid_text(g, f->side_x + 2, y, 8, "gc/s", ROLE_DIM);
		if (rate >= 0)
			snprintf(a, sizeof a, rate < 10 ? "%.2f" : "%.0f", rate);
		else
			snprintf(a, sizeof a, "n/a");
		if (stats_metric(st, "gc.rate", &v) == 0)
			snprintf(b, sizeof b, v < 10 ? "%.2f" : "%.0f", v);
		else
			snprintf(b, sizeof b, "n/a");
		pane_right(g, pane_col1_end(f), f->side_x + 9, y, a, ROLE_VALUE);
		pane_right(g, pane_col2_end(f), pane_col1_end(f) + 1, y, b, ROLE_VALUE);
		y++;
	}
	if (n >= 3) {
		grid_text(g, f->side_x + 2, y, 10, "peak col", ROLE_DIM);
		fmt_pct(a, w->cpu_peak);
		pane_right(g, pane_col1_end(f), f->side_x + 11, y, a, ROLE_VALUE);
	}
}

static void gccpu_draw(struct grid *g, const struct rect *r, const struct frame *f)
{
	const struct chartwin *w = f->win;
	int rows = r->h - 1, ybot = r->y + r->h - 1, c, i;
	double top = 0, rtop = 0, s, rs;
	char scale[FMT_MAX];
	uint64_t gcs = 0;
	int64_t covered;

	pane_title(g, r, f, "GC CPU", "% of the P's time per column, and gc/s", "window",
	           "run");
	if (rows < 1 || pane_no_records(g, r, f))
		return;
	for (c = 0; c < w->ncols; c++) {
		double p = col_cpu(w, c), q = col_rate(w, c);
		if (p > top)
			top = p;
		if (q > rtop)
			rtop = q;
		gcs += w->agg[c].count;
	}
	s = pane_nice(top > 1 ? top : 1);
	rs = pane_nice(rtop > 0 ? rtop : 1);
	snprintf(scale, sizeof scale, "%g%%", s);
	pane_axis(g, r, f, scale);
	for (c = 0; c < w->ncols; c++) {
		double p = col_cpu(w, c), q = col_rate(w, c);
		int x = pane_col_x(f, c);

		for (i = 0; p >= 0 && i < f->col_w; i++)
			pane_bar(g, x + i, ybot, rows, pane_eighths(p, s, rows), f, ROLE_PAUSE);
		if (q > 0) {
			/* The rate's row, on its own scale: the middle of the
			 * row a value reaches, bottom row for the least. */
			int row = (int)(q / rs * rows + 0.5) - 1;
			if (row < 0)
				row = 0;
			if (row >= rows)
				row = rows - 1;
			/* Over a bar's full cell, a bullet with the bar's colour
			 * behind it (reverse video in monochrome): both show.
			 * Over the cell where a bar ends, the dot: the bar is
			 * then drawn less than a row short. */
			int dx = x + f->col_w - 1;
			bool full = !strcmp(grid_at(g, dx, ybot - row)->ch, f->gl->bar[8]);
			grid_put(g, dx, ybot - row, full ? f->gl->rate_on : f->gl->start,
			         full ? ROLE_RATE_ON : ROLE_START);
		}
	}
	covered = w->right_t - w->start_t;
	if (covered > w->span_ms)
		covered = w->span_ms;
	cpu_figures(g, r, f, covered > 0 ? (double)gcs * 1000.0 / (double)covered : -1);
}

/* "-30s", "-5m", "-1h30m". */
static void rel_label(char *buf, size_t cap, int64_t ms)
{
	int64_t s = ms / 1000;

	if (s % 3600 == 0)
		snprintf(buf, cap, "-%lldh", (long long)(s / 3600));
	else if (s >= 3600 && s % 60 == 0)
		snprintf(buf, cap, "-%lldh%02lldm", (long long)(s / 3600),
		         (long long)(s % 3600 / 60));
	else if (s % 60 == 0)
		snprintf(buf, cap, "-%lldm", (long long)(s / 60));
	else
		snprintf(buf, cap, "-%llds", (long long)s);
}

static void axis_draw(struct grid *g, const struct rect *r, const struct frame *f)
{
	static const int64_t steps[] = { 10000, 15000, 30000, 60000, 120000, 300000,
	                                 600000, 900000, 1800000, 3600000, 7200000,
	                                 10800000, 21600000, 43200000 };
	const struct chartwin *w = f->win;
	int y = r->y, c, i, used = f->chart_x + f->chart_w, cells;
	int64_t step = steps[sizeof steps / sizeof steps[0] - 1];
	char buf[FMT_MAX + 16];

	if (!w->time || w->ncols <= 0)
		return;
	cells = w->ncols * f->col_w;
	/* Ticks at least 10 cells apart. */
	for (i = 0; i < (int)(sizeof steps / sizeof steps[0]); i++)
		if ((double)steps[i] * cells / (double)w->span_ms >= 10) {
			step = steps[i];
			break;
		}
	/* The baseline where there were collections; a gap stays blank. */
	for (c = 0; c < w->ncols; c++) {
		int x = pane_col_x(f, c);
		if (!w->agg[c].count)
			continue;
		for (i = 0; i < f->col_w; i++)
			grid_put(g, x + i, y, f->gl->box_h, ROLE_DIM);
	}
	/* "now" at the right, the ticks leftwards while they fit: at round
	 * times of the wall clock where the log prefixes gave it, otherwise
	 * relative to now. */
	used -= pane_right(g, used, f->chart_x, y, "now", ROLE_NORMAL);
	int64_t wall, gmtoff = 0;
	bool walled = history_wall(&f->feed->hist, w->right_t, &wall);
	if (walled) {
		time_t tt = (time_t)floordiv(wall, 1000);
		struct tm tm;
		if (localtime_r(&tt, &tm))
			gmtoff = (int64_t)tm.tm_gmtoff * 1000;
	}
	for (int64_t k = 1;; k++) {
		int64_t tick = w->right_t - k * step;
		if (walled) {
			/* The k-th round local time before the right edge. */
			int64_t local = wall + gmtoff;
			tick = w->right_t - (local - floordiv(local, step) * step) - (k - 1) * step;
			if (tick == w->right_t)
				continue;
		}
		int col = chartwin_time_col(w, tick), len, lx;
		if (col < 0)
			break;
		if (walled) {
			time_t tt = (time_t)floordiv(tick - w->right_t + wall, 1000);
			struct tm tm;
			localtime_r(&tt, &tm);
			strftime(buf, sizeof buf, step < 60000 ? "%H:%M:%S" : "%H:%M", &tm);
		} else {
			rel_label(buf, sizeof buf, k * step);
		}
		len = (int)strlen(buf);
		lx = pane_col_x(f, col) + f->col_w / 2 - len / 2;
		if (lx < f->chart_x || lx + len >= used)
			continue;
		grid_text(g, lx, y, len, buf, ROLE_NORMAL);
		used = lx - 1;
	}
	/* Restarts where no label is. */
	for (c = 0; c < w->ncols; c++) {
		int x = pane_col_x(f, c) + f->col_w - 1;
		if (w->col[c].restart && grid_at(g, x, y)->role != ROLE_NORMAL)
			grid_put(g, x, y, f->gl->restart, ROLE_MARK);
	}
	/* The zoom at the left; the right edge's clock in the figures. */
	snprintf(buf, sizeof buf, "%s", f->window_label);
	grid_text(g, 0, y, f->axis_w - 1, buf, ROLE_KEY);
	uint64_t mono;
	if (walled) {
		/* The prefixes' clock: a file read at once shows its own time;
		 * its date when that is not today's. */
		time_t tt = (time_t)floordiv(wall, 1000), today;
		struct tm tm, tn;
		localtime_r(&tt, &tm);
		today = (time_t)(((int64_t)f->now_ms + f->m->wall_offset_ms) / 1000);
		localtime_r(&today, &tn);
		if (f->m->wall_offset_ms && (tm.tm_year != tn.tm_year || tm.tm_yday != tn.tm_yday))
			strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S", &tm);
		else
			strftime(buf, sizeof buf, "%H:%M:%S %Z", &tm);
	} else if (f->m->wall_offset_ms && history_mono(&f->feed->hist, w->right_t, &mono)) {
		time_t t = (time_t)(((int64_t)mono + f->m->wall_offset_ms) / 1000);
		struct tm tm;
		char clock[24];
		localtime_r(&t, &tm);
		/* Right after the chart's "now". */
		strftime(clock, sizeof clock, "%H:%M:%S %Z", &tm);
		snprintf(buf, sizeof buf, "%s", clock);
	} else if (f->feed->hist.any) {
		/* Read faster than its clock: the latest run's own time. */
		snprintf(buf, sizeof buf, "trace @%.1fs",
		         (double)(w->right_t - f->feed->hist.run_offset) / 1000);
	} else {
		buf[0] = '\0';
	}
	grid_text(g, f->side_x, y, f->side_w, buf, ROLE_DIM);
}

const struct pane_ops pane_gccpu = {
	.name = "gc cpu",
	.help = "GC CPU % per column (idle workers free); dots: collections/s",
	.draw = gccpu_draw,
};

const struct pane_ops pane_timeaxis = {
	.name = "axis",
	.help = NULL, /* the t key's line and the notes say it */
	.draw = axis_draw,
};
