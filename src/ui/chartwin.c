#include "ui/chartwin.h"

#include <stdlib.h>
#include <string.h>

static int cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return (x > y) - (x < y);
}

static int64_t add(int64_t sum, int64_t v)
{
	if (v <= 0)
		return sum;
	return v > INT64_MAX - sum ? INT64_MAX : sum + v;
}

/*
 * Columns from the right: column t (counting from the newest) ends where
 * t+1 columns' worth of records (per = want / data columns) have been
 * taken, so the grouping is even and the whole window fits.  A group
 * closes early at a restart and the marker takes a column; the next
 * group makes up for it.
 */
static void plan(struct chartwin *w, const struct feed *fd)
{
	unsigned base = fd->nrecent - w->want, restarts = 0, i;
	int data, col, t = 0;
	double per;
	long cur, taken = 0;

	for (i = base + 1; i < fd->nrecent; i++)
		restarts += feed_is_restart(fd, i);
	data = w->ncols - (int)restarts;
	if (data < 1)
		data = 1;
	per = w->want > (unsigned)data ? (double)w->want / data : 1.0;

	cur = (long)fd->nrecent - 1;
	for (col = w->ncols - 1; col >= 0 && cur >= (long)base; col--) {
		long target = (long)((t + 1) * per + 1e-9), first = cur;

		if (target <= taken)
			target = taken + 1;
		while (cur - first + 1 < target - taken && first > (long)base &&
		       !feed_is_restart(fd, (unsigned)first))
			first--;
		w->col[col].first = (int)first;
		w->col[col].last = (int)cur;
		if ((unsigned)(cur - first + 1) > w->per_col)
			w->per_col = (unsigned)(cur - first + 1);
		if (w->min_per_col == 0 ||
		    (unsigned)(cur - first + 1) < w->min_per_col)
			w->min_per_col = (unsigned)(cur - first + 1);
		taken += cur - first + 1;
		t++;
		w->first = (unsigned)first;
		if (first > (long)base && feed_is_restart(fd, (unsigned)first) &&
		    col > 0)
			w->col[--col].restart = true;
		cur = first - 1;
	}
	w->n = fd->nrecent - w->first;
}

static void figures(struct chartwin *w, const struct feed *fd)
{
	int64_t pauses[MODEL_RECORDS];
	unsigned i, np = 0;

	for (i = w->first; i < w->first + w->n; i++) {
		const struct gc_record *r = feed_record(fd, i);
		int64_t p = gcrecord_pause_us(r);

		if (p >= 0) {
			pauses[np++] = p;
			w->pause_total = add(w->pause_total, p);
		}
		if (r->cpu_assist_us >= 0 || r->cpu_background_us >= 0 ||
		    r->cpu_idle_us >= 0)
			w->has_mark = true;
		w->assist_us = add(w->assist_us, r->cpu_assist_us);
		w->background_us = add(w->background_us, r->cpu_background_us);
		w->idle_us = add(w->idle_us, r->cpu_idle_us);
	}
	w->pause_last = gcrecord_pause_us(feed_record(fd, fd->nrecent - 1));
	if (np > 0) {
		qsort(pauses, np, sizeof pauses[0], cmp_i64);
		/* Nearest rank, as stats' histogram answers: the smallest
		 * value with at least ceil(q n) values at or below it. */
		w->pause_p50 = pauses[(np + 1) / 2 - 1];
		w->pause_p90 = pauses[(np * 9 + 9) / 10 - 1];
		w->pause_p99 = pauses[(np * 99 + 99) / 100 - 1];
		w->pause_max = pauses[np - 1];
	}
	w->cpu_pct = feed_cpu_pct(fd, w->first, fd->nrecent - 1);
}

void chartwin_plan(struct chartwin *w, const struct feed *fd, unsigned size,
                 int ncols)
{
	int c;

	if (ncols > CHARTWIN_COLS_MAX)
		ncols = CHARTWIN_COLS_MAX;
	if (ncols < 0)
		ncols = 0;
	w->ncols = ncols;
	for (c = 0; c < ncols; c++) {
		w->col[c].first = w->col[c].last = -1;
		w->col[c].restart = false;
	}
	w->first = fd->nrecent;
	w->n = 0;
	w->per_col = w->min_per_col = 0;
	w->want = size < fd->nrecent ? size : fd->nrecent;
	w->pause_last = w->pause_p50 = w->pause_p90 = GC_NULL;
	w->pause_p99 = w->pause_max = GC_NULL;
	w->pause_total = 0;
	w->cpu_pct = -1;
	w->has_mark = false;
	w->assist_us = w->background_us = w->idle_us = 0;
	if (w->want == 0 || ncols == 0)
		return;
	plan(w, fd);
	figures(w, fd);
}
