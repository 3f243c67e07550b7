#include "analysis/whatif.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static const int gogc_values[WHATIF_NGOGC] = { 50, 100, 200, 400 };

/* The runtime's minimum heap at GOGC=100, MB. */
#define MIN_HEAP_MB 4.0
/* Live heaps below this do not tell the GOGC in force. */
#define INFER_MIN_MB 8
/* Half the MB the runtime truncates its figures to. */
#define HALF_MB 0.5
/* An "@" time above this is not believed (stats.c). */
#define AT_MS_MAX 1000000000000LL

int whatif_gogc(int i)
{
	return gogc_values[i];
}

void whatif_init(struct whatif *w)
{
	memset(w, 0, sizeof *w);
}

/* A new run: forget the kept collections (the ring itself need not be
 * cleared: n says what is in it). */
static void whatif_reset(struct whatif *w)
{
	w->head = w->n = 0;
	w->have_prev = false;
	w->last_gc = 0;
	w->prev_end_us = w->prev_live = w->prev_roots = 0;
	w->roots_known = false;
}

/* MB and microseconds into the ring's 32 bits. */
static int32_t mb32(int64_t v)
{
	return v > INT32_MAX ? INT32_MAX : v < -1 ? -1 : (int32_t)v;
}

static uint32_t us32(int64_t v)
{
	return v <= 0 ? 0 : v > UINT32_MAX ? UINT32_MAX : (uint32_t)v;
}

static int64_t nn(int64_t v)
{
	return v > 0 ? v : 0;
}

static int64_t roots_of(const struct gc_record *r)
{
	return nn(r->stacks_mb) + nn(r->globals_mb);
}

void whatif_add(struct whatif *w, const struct gc_record *r)
{
	struct whatif_cycle c;
	int64_t end;

	if (r->at_ms < 0 || r->at_ms > AT_MS_MAX || r->heap_live_mb < 0 ||
	    r->heap_end_mb < 0 || r->heap_goal_mb < 0 || r->procs <= 0)
		return;
	end = r->at_ms * 1000 + nn(r->clock_sweep_term_us) + nn(r->clock_mark_us) +
	      nn(r->clock_mark_term_us);
	/* A new run (or time going back): the steady state starts again. */
	if (w->have_prev && (r->gc <= w->last_gc || end < w->prev_end_us))
		whatif_reset(w);
	c.live = mb32(r->heap_live_mb);
	c.roots = mb32(roots_of(r));
	c.heap_end = mb32(r->heap_end_mb);
	/* Lines without it (none since Go 1.5): the mark had no lead. */
	c.heap_start = r->heap_start_mb >= 0 ? mb32(r->heap_start_mb) : c.heap_end;
	c.goal = mb32(r->heap_goal_mb);
	c.mark_cpu_us = us32(nn(r->cpu_assist_us) + nn(r->cpu_background_us));
	c.stw_cpu_us = us32(nn(r->cpu_sweep_term_us) + nn(r->cpu_mark_term_us));
	c.idle_cpu_us = us32(nn(r->cpu_idle_us));
	c.procs = r->procs > INT32_MAX ? INT32_MAX : (int32_t)r->procs;
	if (w->have_prev) {
		c.interval_us = end - w->prev_end_us;
		c.prev_live = mb32(w->prev_live);
		c.prev_roots = mb32(w->prev_roots);
	} else {
		c.interval_us = -1;
		c.prev_live = c.prev_roots = -1;
	}
	if (r->stacks_mb >= 0)
		w->roots_known = true;
	w->have_prev = true;
	w->last_gc = r->gc;
	w->prev_end_us = end;
	w->prev_live = c.live;
	w->prev_roots = c.roots;
	if (w->n == WHATIF_RING) {
		w->ring[w->head] = c;
		w->head = (w->head + 1) % WHATIF_RING;
	} else {
		w->ring[(w->head + w->n) % WHATIF_RING] = c;
		w->n++;
	}
}

static int cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return (x > y) - (x < y);
}

static int cmp_dbl(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* What a collection allocated: from the previous one's end to its own. */
static double alloc_of(const struct whatif_cycle *c)
{
	return c->heap_end > c->prev_live ? (double)(c->heap_end - c->prev_live) : 0;
}

bool whatif_estimate(const struct whatif *w, struct whatif_est *e)
{
	double interval = 0, alloc = 0, marked = 0;
	double hit_gc = 0, hit_all = 0, ok_gc = 0, ok_all = 0;
	double mark = 0, stw = 0, run_end = 0, run_goal = 0, gc_cpu = 0;
	int64_t ends[WHATIF_RING], lives[WHATIF_RING], rootss[WHATIF_RING];
	double gogcs[WHATIF_RING];
	unsigned n = 0, ng = 0;

	memset(e, 0, sizeof *e);
	e->gogc = -1;
	for (unsigned k = 0; k < w->n; k++) {
		const struct whatif_cycle *c = &w->ring[(w->head + k) % WHATIF_RING];
		if (c->interval_us < 0)
			continue;
		n++;
		interval += (double)c->interval_us;
		alloc += alloc_of(c);
		/* The mark's work, and how much of it idle workers did, by
		 * how close to its goal the heap came. */
		if (c->goal - c->heap_end <= 0) {
			e->hits++;
			hit_gc += (double)c->mark_cpu_us;
			hit_all += (double)c->mark_cpu_us + (double)c->idle_cpu_us;
		} else if (c->goal - c->heap_end >= 2) {
			ok_gc += (double)c->mark_cpu_us;
			ok_all += (double)c->mark_cpu_us + (double)c->idle_cpu_us;
		}
		marked += (double)(c->live + c->roots);
		mark += (double)c->mark_cpu_us;
		stw += (double)c->stw_cpu_us;
		gc_cpu += (double)(c->mark_cpu_us + c->stw_cpu_us) / (double)c->procs;
		ends[n - 1] = c->heap_end;
		lives[n - 1] = c->live;
		rootss[n - 1] = c->roots;
		if (c->goal > c->prev_live) {
			run_end += (double)(c->heap_end - c->prev_live);
			run_goal += (double)(c->goal - c->prev_live);
		}
		/* Small heaps say little: the MB are truncated, and the minimum
		 * heap may be what decided. */
		if (c->prev_live >= INFER_MIN_MB && c->goal >= c->prev_live)
			gogcs[ng++] = 100.0 * (double)(c->goal - c->prev_live) /
			              (double)(c->prev_live + c->prev_roots);
		e->procs = c->procs;
	}
	if (n == 0 || !(interval > 0) || !(alloc > 0))
		return false;
	e->cycles = n;
	e->span_s = interval / 1e6;
	e->alloc_mb_s = alloc / e->span_s;
	/* The steady live heap and roots: medians, so that the ramp at the
	 * start of a run does not pull them down. */
	qsort(lives, n, sizeof lives[0], cmp_i64);
	qsort(rootss, n, sizeof rootss[0], cmp_i64);
	e->live_mb = (double)lives[n / 2];
	e->roots_mb = (double)rootss[n / 2];
	e->roots_known = w->roots_known;
	e->mark_us_per_mb = marked > 0 ? mark / marked : 0;
	e->stw_us = stw / n;
	e->pacer = run_goal > 0 ? run_end / run_goal : 1;
	if (e->pacer < 0.5)
		e->pacer = 0.5;
	if (e->pacer > 1.5)
		e->pacer = 1.5;
	if (ng) {
		/* The 90th percentile: a memory limit only ever lowers the
		 * goal below what GOGC gives. */
		qsort(gogcs, ng, sizeof gogcs[0], cmp_dbl);
		e->gogc = gogcs[(size_t)ceil(0.9 * ng) - 1];
	}
	e->share_ok = ok_all > 0 ? ok_gc / ok_all : -1;
	e->share_hit = e->hits >= WHATIF_HIT_MIN && hit_all > 0 ? hit_gc / hit_all : -1;
	if (e->share_ok < 0)
		e->share_ok = e->share_hit >= 0 ? e->share_hit : 1;
	if (e->share_hit < 0)
		e->share_hit = e->share_ok > WHATIF_SHARE_HIT ? e->share_ok : WHATIF_SHARE_HIT;
	e->nonheap_mb = e->roots_mb + WHATIF_NONHEAP_MB;
	e->gc_cpu_pct = 100.0 * gc_cpu / interval;
	e->rate = n / e->span_s;
	qsort(ends, n, sizeof ends[0], cmp_i64);
	/* p95 by nearest rank. */
	e->peak_mb = (double)ends[(size_t)ceil(0.95 * n) - 1];
	return true;
}

/* The goal the model gives for one previous live heap and roots. */
static double model_goal(double live, double roots, double gogc, double limit_mb,
                         double nonheap_mb, bool *at_min, bool *at_limit)
{
	double goal = gogc >= 0 ? live + (live + roots) * gogc / 100.0 : INFINITY;
	double cap = limit_mb - nonheap_mb - WHATIF_NONHEAP_SHARE * limit_mb;

	*at_min = *at_limit = false;
	if (gogc >= 0 && goal < MIN_HEAP_MB * gogc / 100.0) {
		goal = MIN_HEAP_MB * gogc / 100.0;
		*at_min = true;
	}
	if (limit_mb > 0 && goal > cap) {
		goal = cap;
		*at_limit = true;
		*at_min = false;
	}
	return goal;
}

/* The share of a mark's work that counts as GC CPU, by the headroom its
 * heap kept below the goal (MB): the reached-goal share at 0 and below,
 * the short-of-goal share from 2 MB, a line between. */
static double share_at(const struct whatif_est *e, double headroom)
{
	if (headroom <= 0)
		return e->share_hit;
	if (headroom >= 2)
		return e->share_ok;
	return e->share_hit + (e->share_ok - e->share_hit) * headroom / 2;
}

void whatif_predict(const struct whatif *w, const struct whatif_est *e, double gogc,
                    double limit_mb, struct whatif_pred *p)
{
	double L = e->live_mb, marked = e->live_mb + e->roots_mb;
	double cost_us = e->mark_us_per_mb * marked + e->stw_us;
	double goal, runway, peaks[WHATIF_RING], interval = 0, cpu = 0;
	unsigned n = 0;
	bool dummy1, dummy2;

	memset(p, 0, sizeof *p);
	p->gogc = gogc;
	p->limit_mb = limit_mb;
	goal = model_goal(L, e->roots_mb, gogc, limit_mb, e->nonheap_mb, &p->at_minimum,
	                  &p->at_limit);
	p->goal_mb = goal;
	if (!isfinite(goal)) {
		/* Collector off and no limit: no collections at all. */
		p->peak_mb = INFINITY;
		return;
	}
	runway = e->pacer * (goal - L);
	/* Each kept collection replayed under the new goal (see whatif.h):
	 * where its heap would end, what it would have allocated since the
	 * previous one (so how long until it came, at the same rate), and
	 * what its mark would cost. */
	for (unsigned k = 0; k < w->n && e->alloc_mb_s > 0; k++) {
		const struct whatif_cycle *c = &w->ring[(w->head + k) % WHATIF_RING];
		double pl, g2, dist, lead, end, work;
		if (c->interval_us < 0)
			continue;
		/* The runtime prints MB truncated: the live heap was half a
		 * MB more, on average, than printed (2.5% of an 18 MB heap's
		 * runway at GOGC 100; and a limit's cap is a true size).  The
		 * replay is in true sizes, its peak truncated back as the
		 * runtime would print it; differences of two printed figures
		 * (distance, lead) need no such care. */
		pl = (double)c->prev_live + HALF_MB;
		g2 = model_goal(pl, (double)c->prev_roots, gogc, limit_mb, e->nonheap_mb,
		                &dummy1, &dummy2);
		dist = (double)(c->goal - c->heap_start);
		lead = (double)(c->heap_end - c->heap_start);
		if (dist < 0)
			dist = 0;
		if (lead < 0)
			lead = 0;
		if (dist > (1 - WHATIF_TRIGGER_MIN) * (g2 - pl))
			dist = (1 - WHATIF_TRIGGER_MIN) * (g2 - pl);
		if (dist < 0)
			dist = 0;
		end = g2 - dist + lead;
		/* A heap that reaches its goal mid-mark makes the program
		 * assist until the mark is done: it runs past the goal no
		 * more than this collection's did past its own. */
		if (end > g2 + nn(c->heap_end - c->goal))
			end = g2 + (double)nn(c->heap_end - c->goal);
		/* At least the heap the collection marked: a goal at or below
		 * the live heap means back-to-back collections. */
		if (end < pl + 1)
			end = pl + 1;
		work = (double)c->mark_cpu_us + (double)c->idle_cpu_us;
		interval += (end - pl) / e->alloc_mb_s * 1e6;
		cpu += (work * share_at(e, g2 - end) + (double)c->stw_cpu_us) /
		       (double)c->procs;
		peaks[n++] = end - HALF_MB;
	}
	if (n == 0 || !(interval > 0)) {
		if (runway > 0) {
			p->rate = e->alloc_mb_s / runway;
			p->gc_cpu_pct = 100.0 * p->rate * cost_us / (e->procs * 1e6);
		}
		p->peak_mb = L + (runway > 0 ? runway : 0);
	} else {
		p->rate = n / (interval / 1e6);
		p->gc_cpu_pct = 100.0 * cpu / interval;
		qsort(peaks, n, sizeof peaks[0], cmp_dbl);
		/* p95 by nearest rank, as measured. */
		p->peak_mb = peaks[(size_t)ceil(0.95 * n) - 1];
	}
	/* Under a limit the runtime would collect back to back; the CPU
	 * limiter caps the GC at half the CPU and lets the heap grow past
	 * the goal instead. */
	if (limit_mb > 0 && (goal <= L || p->gc_cpu_pct > WHATIF_LIMITER_PCT)) {
		/* A collection's GC CPU, in microseconds of wall x P. */
		double per = n ? cpu / n : cost_us / e->procs;
		if (per > 0) {
			p->limiter = true;
			p->gc_cpu_pct = WHATIF_LIMITER_PCT;
			p->rate = WHATIF_LIMITER_PCT / 100.0 * 1e6 / per;
			p->peak_mb = L + e->alloc_mb_s / p->rate;
		}
	}
}
