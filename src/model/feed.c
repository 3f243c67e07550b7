#include "model/feed.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/*
 * Both rings put the k-th item ever added (k from 0) in slot k % alloc.
 * A ring grows (doubling, up to its cap) only while it has never wrapped,
 * that is when it holds items 0..alloc-1 in slots 0..alloc-1, so growing
 * keeps every item in its slot.  Two rings fed the same items therefore
 * agree slot for slot, and a copy only has to bring over the items added
 * since the last one.
 */
#define RING_FIRST 16

static bool grow(void **ring, unsigned *alloc, unsigned cap, size_t size)
{
	unsigned n = *alloc ? *alloc * 2 : RING_FIRST;
	if (n > cap)
		n = cap;
	void *p = realloc(*ring, (size_t)n * size);
	if (!p)
		return false;
	*ring = p;
	*alloc = n;
	return true;
}

/* Room for item number total; false when out of memory (the item is
 * then not kept, but still counted by the caller). */
static bool make_room(void **ring, unsigned *alloc, unsigned cap, size_t size,
                      uint64_t total)
{
	if (total < *alloc || *alloc == cap)
		return true;
	return grow(ring, alloc, cap, size);
}

struct feed *feed_new(const char *name, unsigned records_cap, bool keep_lines)
{
	struct feed *f = calloc(1, sizeof *f);

	if (!f)
		return NULL;
	snprintf(f->name, sizeof f->name, "%s", name ? name : "");
	f->rec_cap = records_cap && records_cap < FEED_RECORDS ? records_cap : FEED_RECORDS;
	f->keep_lines = keep_lines;
	f->lines_cap = FEED_LINES;
	stats_init(&f->stats);
	history_init(&f->hist, true);
	return f;
}

void feed_set_history(struct feed *f, bool keep, bool wide)
{
	history_free(&f->hist);
	if (keep)
		history_init(&f->hist, wide);
	else
		history_init_off(&f->hist);
}

void feed_free(struct feed *f)
{
	if (!f)
		return;
	free(f->rec);
	free(f->lines);
	history_free(&f->hist);
	free(f);
}

static void seen(struct feed *f, uint64_t now_ms)
{
	if (!f->first_ms)
		f->first_ms = now_ms;
	f->last_ms = now_ms;
	f->version++;
}

bool feed_add_record(struct feed *f, const struct gc_record *r, uint64_t now_ms)
{
	bool starts = stats_add(&f->stats, r);

	if (make_room((void **)&f->rec, &f->rec_alloc, f->rec_cap, sizeof *f->rec,
	              f->total_records)) {
		f->rec[f->total_records % f->rec_alloc] = *r;
		if (f->nrecent < f->rec_alloc)
			f->nrecent++;
	}
	f->total_records++;
	history_add(&f->hist, r, starts && f->stats.runs > 1, now_ms);
	seen(f, now_ms);
	return starts;
}

static void push_line(struct feed *f, const struct feed_line *l)
{
	if (make_room((void **)&f->lines, &f->lines_alloc, f->lines_cap, sizeof *f->lines,
	              f->total_lines)) {
		f->lines[f->total_lines % f->lines_alloc] = *l;
		if (f->nlines < f->lines_alloc)
			f->nlines++;
	}
	f->total_lines++;
}

void feed_add_text(struct feed *f, unsigned stream, const char *s, size_t n,
                   uint64_t now_ms)
{
	struct feed_line *pl = &f->partial[stream & 1];

	if (!f->keep_lines || !n)
		return;
	while (n) {
		const char *nl = memchr(s, '\n', n);
		size_t take = nl ? (size_t)(nl - s) : n;
		size_t room = FEED_LINE_MAX - pl->len;
		if (take > room) {
			pl->cut = 1;
			take = room;
		}
		memcpy(pl->text + pl->len, s, take);
		pl->len = (uint16_t)(pl->len + take);
		size_t used = nl ? (size_t)(nl - s) + 1 : n;
		s += used;
		n -= used;
		if (!nl)
			break;
		pl->stream = (uint8_t)(stream & 1);
		push_line(f, pl);
		pl->len = 0;
		pl->cut = 0;
	}
	seen(f, now_ms);
}

const struct gc_record *feed_record(const struct feed *f, unsigned i)
{
	uint64_t k = f->total_records - f->nrecent + i;
	return &f->rec[k % f->rec_alloc];
}

const struct feed_line *feed_line(const struct feed *f, unsigned i)
{
	uint64_t k = f->total_lines - f->nlines + i;
	return &f->lines[k % f->lines_alloc];
}

/* Bring dst's ring to src's items, copying only those dst lacks. */
static size_t copy_ring(void **dring, unsigned *dalloc, const void *sring,
                        unsigned salloc, size_t size, uint64_t dtotal,
                        uint64_t stotal, unsigned sn)
{
	if (*dalloc != salloc) {
		void *p = realloc(*dring, (size_t)salloc * size);
		if (!p)
			return 0;
		*dring = p;
		*dalloc = salloc;
	}
	uint64_t from = stotal - sn;
	if (dtotal > from && dtotal <= stotal)
		from = dtotal;
	for (uint64_t k = from; k < stotal; k++)
		memcpy((char *)*dring + (k % salloc) * size,
		       (const char *)sring + (k % salloc) * size, size);
	return (size_t)(stotal - from) * size;
}

size_t feed_copy(struct feed *dst, const struct feed *src)
{
	if (dst->version == src->version && !strcmp(dst->name, src->name))
		return 0;
	struct gc_record *rec = dst->rec;
	struct feed_line *lines = dst->lines;
	unsigned rec_alloc = dst->rec_alloc, lines_alloc = dst->lines_alloc;
	uint64_t dtot = dst->total_records, dlines = dst->total_lines;
	struct history hist = dst->hist;
	/* A different feed in the same slot: start from nothing. */
	if (strcmp(dst->name, src->name) || dtot > src->total_records ||
	    dlines > src->total_lines)
		dtot = dlines = 0;
	size_t bytes = copy_ring((void **)&rec, &rec_alloc, src->rec, src->rec_alloc,
	                         sizeof *rec, dtot, src->total_records, src->nrecent);
	bytes += copy_ring((void **)&lines, &lines_alloc, src->lines, src->lines_alloc,
	                   sizeof *lines, dlines, src->total_lines, src->nlines);
	/* The history's chunks that changed only: a frame of a live feed
	 * brings over one chunk a tier. */
	if (strcmp(dst->name, src->name)) {
		history_free(&hist);
		history_init_off(&hist); /* history_copy takes src's tiers */
	}
	bytes += history_copy(&hist, &src->hist);
	*dst = *src;
	dst->hist = hist;
	dst->rec = rec;
	dst->rec_alloc = rec_alloc;
	dst->lines = lines;
	dst->lines_alloc = lines_alloc;
	/* A ring that could not be grown shows nothing rather than junk. */
	if (rec_alloc != src->rec_alloc)
		dst->nrecent = 0;
	if (lines_alloc != src->lines_alloc)
		dst->nlines = 0;
	return bytes + sizeof *dst;
}

size_t feed_bytes(const struct feed *f)
{
	return sizeof *f + (size_t)f->rec_alloc * sizeof *f->rec +
	       (size_t)f->lines_alloc * sizeof *f->lines + history_bytes(&f->hist);
}

size_t feed_bytes_max(unsigned records_cap, bool keep_lines)
{
	if (!records_cap || records_cap > FEED_RECORDS)
		records_cap = FEED_RECORDS;
	return sizeof(struct feed) + (size_t)records_cap * sizeof(struct gc_record) +
	       (keep_lines ? FEED_LINES * sizeof(struct feed_line) : 0) + HIST_WIDE_BYTES;
}

/* An "@" time above this (about 31 years) is a runtime printing bug (see
 * stats.c), not a time. */
#define AT_MS_MAX 1000000000000LL

bool feed_is_restart(const struct feed *f, unsigned i)
{
	return i > 0 && i < f->nrecent && feed_record(f, i)->gc <= feed_record(f, i - 1)->gc;
}

static int64_t add_pos(int64_t sum, int64_t v)
{
	if (v <= 0)
		return sum;
	return v > INT64_MAX - sum ? INT64_MAX : sum + v;
}

double feed_cpu_pct(const struct feed *f, unsigned first, unsigned last)
{
	unsigned i, a = last + 1, b = 0;
	int64_t cpu = 0;

	if (last >= f->nrecent || first > last)
		return -1;
	/* The latest run only. */
	for (i = last; i > first; i--)
		if (feed_is_restart(f, i))
			break;
	first = i;
	for (i = first; i <= last; i++) {
		int64_t at = feed_record(f, i)->at_ms;
		if (at < 0 || at > AT_MS_MAX)
			continue;
		if (a > last)
			a = i;
		b = i;
	}
	if (a > last || b <= a || feed_record(f, b)->at_ms <= feed_record(f, a)->at_ms ||
	    feed_record(f, b)->procs <= 0)
		return -1;
	/*
	 * n collections bound n-1 intervals: the first one's CPU was spent
	 * before the span starts, so it is left out.  Idle mark workers are
	 * left out too, as the runtime's own figure does (gc_cpu_fraction,
	 * runtime/mgc.go): they only use Ps that had nothing else to do.
	 */
	for (i = a + 1; i <= b; i++) {
		const struct gc_record *r = feed_record(f, i);
		cpu = add_pos(cpu, r->cpu_sweep_term_us);
		cpu = add_pos(cpu, r->cpu_assist_us);
		cpu = add_pos(cpu, r->cpu_background_us);
		cpu = add_pos(cpu, r->cpu_mark_term_us);
	}
	return 100.0 * (double)cpu /
	       ((double)(feed_record(f, b)->at_ms - feed_record(f, a)->at_ms) * 1000.0 *
	        feed_record(f, b)->procs);
}

static int cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return (x > y) - (x < y);
}

/* The trend: from the coarsest tier with buckets of a minute or less
 * (a few buckets a point, so that a thousand rows stay cheap). */
static void trend(const struct history *h, struct feed_row *row)
{
	const int64_t point = 60000;
	double live[FEED_TREND], cpu[FEED_TREND], lo = -1, hi = -1, top = 0;
	unsigned tier = 0;

	if (!h->any || !h->ntiers)
		return; /* nothing kept (no dashboard) */
	for (unsigned i = 0; i < h->ntiers; i++)
		if (h->tier[i].width_ms <= point && history_span(h, i) >= FEED_TREND * point)
			tier = i;
	int64_t w = h->tier[tier].width_ms, per = point / w;
	int64_t last = h->last_t / point; /* the minute of the latest */
	for (int p = 0; p < FEED_TREND; p++) {
		struct hist_bucket k;
		memset(&k, 0, sizeof k);
		int64_t b0 = (last - (FEED_TREND - 1) + p) * per;
		for (int64_t b = b0; b < b0 + per; b++) {
			const struct hist_bucket *x = history_bucket(h, tier, b);
			if (x)
				hist_merge(&k, x);
		}
		live[p] = k.count && k.live_max >= 0 ? k.live_max : -1;
		cpu[p] = k.count && k.cap_us > 0 ? k.cpu_us / k.cap_us : -1;
		if (live[p] >= 0) {
			if (lo < 0 || live[p] < lo)
				lo = live[p];
			if (live[p] > hi)
				hi = live[p];
		}
		if (cpu[p] > top)
			top = cpu[p];
	}
	for (int p = 0; p < FEED_TREND; p++) {
		if (live[p] >= 0)
			row->trend_live[p] = (uint8_t)(hi > lo ? 1 + (int)((live[p] - lo) / (hi - lo) * 7 + 0.5)
			                                       : 4);
		if (cpu[p] >= 0)
			row->trend_cpu[p] = (uint8_t)(top > 0 ? 1 + (int)(cpu[p] / top * 7 + 0.5) : 1);
	}
}

void feed_row(const struct feed *f, unsigned index, struct feed_row *row)
{
	const struct stats *s = &f->stats;
	int64_t pauses[FEED_ROW_WINDOW];
	unsigned n = f->nrecent < FEED_ROW_WINDOW ? f->nrecent : FEED_ROW_WINDOW, np = 0;
	double v;

	memset(row, 0, sizeof *row);
	snprintf(row->name, sizeof row->name, "%s", f->name);
	row->index = index;
	row->input = f->input;
	row->version = f->version;
	row->count = s->count;
	row->runs = s->runs;
	row->last_ms = f->last_ms;
	row->ended = f->ended;
	row->tool = f->tool;
	row->rate = stats_metric(s, "gc.rate", &v) == 0 ? v : -1;
	row->assist = stats_metric(s, "mark.assist", &v) == 0 ? v : -1;
	row->live = s->live_last;
	row->assist_us = s->assist_us;
	row->mark_us = s->assist_us + s->background_us + s->idle_us;
	row->goal = f->nrecent ? feed_record(f, f->nrecent - 1)->heap_goal_mb : GC_NULL;
	if (row->goal >= STATS_GOAL_OFF_MB)
		row->goal = GC_NULL;
	row->p99 = row->max = GC_NULL;
	row->cpu = n ? feed_cpu_pct(f, f->nrecent - n, f->nrecent - 1) : -1;
	trend(&f->hist, row);
	for (unsigned i = f->nrecent - n; i < f->nrecent; i++) {
		int64_t p = gcrecord_pause_us(feed_record(f, i));
		if (p >= 0)
			pauses[np++] = p;
	}
	if (np) {
		/* Nearest rank, as the charts and stats' histogram answer. */
		qsort(pauses, np, sizeof pauses[0], cmp_i64);
		row->p99 = pauses[(np * 99 + 99) / 100 - 1];
		row->max = pauses[np - 1];
	}
}
