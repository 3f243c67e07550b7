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
	w->time = false;
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

static int64_t floordiv(int64_t a, int64_t b)
{
	return a >= 0 ? a / b : -((-a + b - 1) / b);
}

int chartwin_time_cols(const struct feed *fd, int64_t span_ms, int ncols)
{
	unsigned t;
	int64_t width;

	if (ncols > CHARTWIN_COLS_MAX)
		ncols = CHARTWIN_COLS_MAX;
	if (ncols < 1 || span_ms <= 0)
		return ncols < 1 ? 0 : ncols;
	/* No history (the stand-in feed before any data): any columns. */
	if (!fd->hist.ntiers)
		return ncols;
	t = history_tier_for(&fd->hist, span_ms, span_ms / ncols);
	width = fd->hist.tier[t].width_ms;
	if (span_ms / width < ncols)
		ncols = (int)(span_ms / width > 0 ? span_ms / width : 1);
	return ncols;
}

/* The axis's column number of time t: columns are span/ncols long, fixed
 * on the axis. */
static int64_t abscol(const struct chartwin *w, int64_t t)
{
	return floordiv(t * w->ncols, w->span_ms);
}

int chartwin_time_col(const struct chartwin *w, int64_t t)
{
	int64_t c = abscol(w, t) - (w->kright - w->ncols + 1);

	return c < 0 || c >= w->ncols ? -1 : (int)c;
}

static double ratio(double a, double b)
{
	return b > 0 ? a / b : -1;
}

void chartwin_plan_time(struct chartwin *w, const struct feed *fd, int64_t span_ms,
                        int ncols, uint64_t now_ms)
{
	const struct history *h = &fd->hist;
	double cpu = 0, cap = 0;

	chartwin_plan(w, fd, 0, ncols);
	w->time = true;
	w->span_ms = span_ms > 0 ? span_ms : 60000;
	w->cpu_peak = -1;
	w->gcs = 0;
	memset(w->agg, 0, sizeof w->agg[0] * (size_t)w->ncols);
	w->right_t = history_now(h, now_ms);
	w->start_t = h->first_t;
	if (w->ncols == 0 || !h->any || !h->ntiers)
		return;
	unsigned tier = history_tier_for(h, w->span_ms, w->span_ms / w->ncols);
	w->width_ms = h->tier[tier].width_ms;
	w->kright = abscol(w, w->right_t);
	/* The window starts at the left column's start. */
	int64_t kleft = w->kright - w->ncols + 1;
	int64_t t0 = floordiv(kleft * w->span_ms + w->ncols - 1, w->ncols);
	for (int64_t b = floordiv(t0, w->width_ms); b <= floordiv(w->right_t, w->width_ms); b++) {
		const struct hist_bucket *k = history_bucket(h, tier, b);
		if (!k)
			continue;
		/* A bucket goes to the column its start is in; one that began
		 * before the window but reaches into it, to the first. */
		int64_t c = abscol(w, b * w->width_ms) - kleft;
		if (c < 0)
			c = 0;
		if (c >= w->ncols)
			c = w->ncols - 1;
		hist_merge(&w->agg[c], k);
	}
	for (int c = 0; c < w->ncols; c++) {
		const struct hist_bucket *k = &w->agg[c];
		int64_t cstart = floordiv((kleft + c) * w->span_ms + w->ncols - 1, w->ncols);
		int64_t cend = floordiv((kleft + c + 1) * w->span_ms + w->ncols - 1, w->ncols);
		if (!k->count)
			continue;
		/* The first run's start is no restart. */
		w->col[c].restart = k->runs > (h->first_t >= cstart && h->first_t < cend);
		w->gcs += k->count;
		if (k->pause_max >= 0) {
			if (k->pause_max > w->pause_max)
				w->pause_max = (int64_t)(k->pause_max + 0.5f);
			w->pause_total += (int64_t)(k->pause_sum + 0.5f);
		}
		if (k->assist_us > 0 || k->background_us > 0 || k->idle_us > 0)
			w->has_mark = true;
		w->assist_us += (int64_t)k->assist_us;
		w->background_us += (int64_t)k->background_us;
		w->idle_us += (int64_t)k->idle_us;
		cpu += k->cpu_us;
		cap += k->cap_us;
		double p = ratio(k->cpu_us, k->cap_us) * 100;
		if (k->cap_us > 0 && p > w->cpu_peak)
			w->cpu_peak = p;
		if ((unsigned)k->count > w->per_col)
			w->per_col = k->count;
	}
	w->cpu_pct = cap > 0 ? cpu / cap * 100 : -1;
	if (fd->nrecent)
		w->pause_last = gcrecord_pause_us(feed_record(fd, fd->nrecent - 1));
	/* Quantiles from the records when the ring holds them all. */
	if (w->gcs > 0 && w->gcs <= fd->nrecent) {
		int64_t *p = malloc(sizeof *p * w->gcs);
		unsigned np = 0;
		if (p) {
			for (unsigned i = fd->nrecent - (unsigned)w->gcs; i < fd->nrecent; i++) {
				int64_t v = gcrecord_pause_us(feed_record(fd, i));
				if (v >= 0)
					p[np++] = v;
			}
			if (np) {
				qsort(p, np, sizeof p[0], cmp_i64);
				w->pause_p50 = p[(np + 1) / 2 - 1];
				w->pause_p90 = p[(np * 9 + 9) / 10 - 1];
				w->pause_p99 = p[(np * 99 + 99) / 100 - 1];
				/* Exact, where the buckets' floats round. */
				w->pause_max = p[np - 1];
			}
			free(p);
		}
	}
	w->n = 0;
}
