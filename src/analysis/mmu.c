#include "analysis/mmu.h"

#include <string.h>

static const int64_t window_us[MMU_WINDOWS] = { 10000, 50000, 100000, 1000000 };
static const char *const window_name[MMU_WINDOWS] = { "10ms", "50ms", "100ms", "1s" };

/* An "@" time above this (about 31 years) is not believed (stats.c). */
#define AT_MS_MAX 1000000000000LL
/* A start this far inside the previous collection is not rounding (the
 * "@" time's millisecond and the phases' two digits): a new timeline. */
#define BACK_US 5000

int64_t mmu_window_us(int i)
{
	return window_us[i];
}

const char *mmu_window_name(int i)
{
	return window_name[i];
}

static void reset_timeline(struct mmu *m)
{
	m->serial = 0;
	m->first = 0;
	m->open = false;
	m->busy_end = 0;
	for (int i = 0; i < MMU_WINDOWS; i++) {
		m->worst[i] = -1;
		m->next_left[i] = 0;
		m->d0_done[i] = false;
	}
}

void mmu_init(struct mmu *m)
{
	memset(m, 0, sizeof *m);
	reset_timeline(m);
	for (int i = 0; i < MMU_WINDOWS; i++)
		m->closed[i] = -1;
}

static const struct mmu_cycle *cyc(const struct mmu *m, uint64_t s)
{
	return &m->ring[s % MMU_RING];
}

static int64_t cyc_end(const struct mmu_cycle *c)
{
	return c->t0 + c->st + c->mark + c->mt;
}

/* Phase boundary b (4 a collection: start, mark start, mark end, end). */
static int64_t boundary(const struct mmu *m, uint64_t b)
{
	const struct mmu_cycle *c = cyc(m, b / 4);

	switch (b % 4) {
	case 0: return c->t0;
	case 1: return c->t0 + c->st;
	case 2: return c->t0 + c->st + c->mark;
	default: return cyc_end(c);
	}
}

/* Busy time of collection c in its first d microseconds. */
static double partial(const struct mmu_cycle *c, int64_t d)
{
	double b = 0;

	if (d <= 0)
		return 0;
	b += (double)(d < c->st ? d : c->st);
	d -= c->st;
	if (d <= 0)
		return b;
	b += c->frac * (double)(d < c->mark ? d : c->mark);
	d -= c->mark;
	if (d <= 0)
		return b;
	return b + (double)(d < c->mt ? d : c->mt);
}

/*
 * Busy time from the timeline's start up to x, into *b.  False when x lies
 * before the kept collections and the data there is gone.
 */
static bool busy_to(const struct mmu *m, int64_t x, double *b)
{
	uint64_t lo = m->first, hi = m->serial;

	if (x >= m->horizon) {
		*b = m->busy_end;
		return true;
	}
	if (lo == hi || x < cyc(m, lo)->t0) {
		*b = 0;
		return m->first == 0;
	}
	/* The last kept collection starting at or before x.  Windows are
	 * measured near the horizon, so gallop back from the newest first
	 * (O(log d) for a collection d from the end), then bisect. */
	for (uint64_t step = 1, top = hi; top - lo > 1; step *= 2) {
		uint64_t probe = top - lo > step ? top - step : lo;
		if (cyc(m, probe)->t0 <= x) {
			lo = probe;
			hi = top;
			break;
		}
		top = hi = probe;
	}
	while (hi - lo > 1) {
		uint64_t mid = lo + (hi - lo) / 2;
		if (cyc(m, mid)->t0 <= x)
			lo = mid;
		else
			hi = mid;
	}
	*b = cyc(m, lo)->cum + partial(cyc(m, lo), x - cyc(m, lo)->t0);
	return true;
}

/* Busy time in [x, x + w] when it lies within [lo, horizon]; false if it
 * does not fit, or its data is gone. */
static bool window_busy(const struct mmu *m, int64_t lo, int64_t x, int64_t w,
                        double *busy)
{
	double a, b;

	if (x < lo || x + w > m->horizon)
		return false;
	if (!busy_to(m, x, &a) || !busy_to(m, x + w, &b))
		return false;
	*busy = b - a;
	return true;
}

/* Measure the window [x, x + w] for window i into worst[i]. */
static void measure(struct mmu *m, int i, int64_t x)
{
	double busy;
	int64_t w = window_us[i];

	if (x < m->d0 || x + w > m->horizon)
		return;
	if (!window_busy(m, m->d0, x, w, &busy)) {
		m->lost++;
		return;
	}
	if (busy > m->worst[i])
		m->worst[i] = busy;
}

/* Utilisation from the most busy time; the window at the timeline's end
 * is still to be measured (it moves while the timeline grows). */
static bool timeline_util(const struct mmu *m, int i, int64_t lo, double worst,
                          double *util)
{
	int64_t w = window_us[i];
	double busy;

	if (window_busy(m, lo, m->horizon - w, w, &busy) && busy > worst)
		worst = busy;
	if (worst < 0)
		return false;
	*util = 1.0 - worst / (double)w;
	if (*util < 0)
		*util = 0;
	return true;
}

static void close_timeline(struct mmu *m)
{
	double u;

	if (!m->open)
		return;
	for (int i = 0; i < MMU_WINDOWS; i++)
		if (timeline_util(m, i, m->d0, m->worst[i], &u) &&
		    (m->closed[i] < 0 || u < m->closed[i]))
			m->closed[i] = u;
	reset_timeline(m);
}

static int64_t nonneg(int64_t v)
{
	return v > 0 ? v : 0;
}

/* Evict the oldest kept collection: windows that start on its phase
 * boundaries and still wait for data can no longer be measured. */
static void evict(struct mmu *m)
{
	uint64_t past = (m->first + 1) * 4;

	for (int i = 0; i < MMU_WINDOWS; i++)
		if (m->next_left[i] < past) {
			m->lost += past - m->next_left[i];
			m->next_left[i] = past;
		}
	m->first++;
}

void mmu_add(struct mmu *m, const struct gc_record *r)
{
	struct mmu_cycle c;
	int64_t t0;

	if (r->at_ms < 0 || r->at_ms > AT_MS_MAX) {
		m->skipped++;
		return;
	}
	t0 = r->at_ms * 1000;
	if (m->open && (r->gc <= m->last_gc || t0 + BACK_US < m->horizon))
		close_timeline(m);
	m->last_gc = r->gc;
	if (!m->open) {
		m->open = true;
		m->d0 = r->gc == 1 ? 0 : t0;
		if (m->d0 > t0)
			m->d0 = t0;
		m->horizon = m->d0;
	}
	/* The "@" time is rounded to the millisecond: a start that falls
	 * inside the previous collection is moved to its end. */
	if (t0 < m->horizon)
		t0 = m->horizon;
	c.t0 = t0;
	c.st = nonneg(r->clock_sweep_term_us);
	c.mark = nonneg(r->clock_mark_us);
	c.mt = nonneg(r->clock_mark_term_us);
	c.frac = 0;
	if (c.mark > 0 && r->procs > 0) {
		double cpu = (double)nonneg(r->cpu_assist_us) +
		             (double)nonneg(r->cpu_background_us);
		c.frac = cpu / ((double)c.mark * (double)r->procs);
		if (c.frac > 1)
			c.frac = 1;
	}
	c.cum = m->busy_end;
	if (m->serial - m->first == MMU_RING)
		evict(m);
	m->ring[m->serial % MMU_RING] = c;
	m->serial++;
	m->cycles++;
	m->horizon = cyc_end(&c);
	m->busy_end = c.cum + partial(&c, m->horizon - c.t0);

	for (int i = 0; i < MMU_WINDOWS; i++) {
		int64_t w = window_us[i];
		if (!m->d0_done[i] && m->d0 + w <= m->horizon) {
			measure(m, i, m->d0);
			m->d0_done[i] = true;
		}
		/* Windows that end on the new boundaries. */
		for (uint64_t b = (m->serial - 1) * 4; b < m->serial * 4; b++)
			measure(m, i, boundary(m, b) - w);
		/* Windows that start on a boundary and are now covered. */
		while (m->next_left[i] < m->serial * 4) {
			int64_t p = boundary(m, m->next_left[i]);
			if (p + w > m->horizon)
				break;
			measure(m, i, p);
			m->next_left[i]++;
		}
	}
}

bool mmu_get(const struct mmu *m, int i, double *util)
{
	double u;
	bool have = m->closed[i] >= 0;

	*util = m->closed[i];
	if (m->open && timeline_util(m, i, m->d0, m->worst[i], &u) &&
	    (!have || u < *util)) {
		*util = u;
		have = true;
	}
	return have;
}

bool mmu_since(const struct mmu *m, int64_t from_us, int i, double *util)
{
	int64_t w = window_us[i], lo = from_us;
	double worst = -1, busy;
	uint64_t s;

	if (!m->open || m->serial == m->first)
		return false;
	if (lo < m->d0)
		lo = m->d0;
	if (m->first > 0 && lo < cyc(m, m->first)->t0)
		lo = cyc(m, m->first)->t0;
	/* Every candidate: the ends of the range, and windows starting or
	 * ending on a phase boundary inside it. */
	if (window_busy(m, lo, lo, w, &busy))
		worst = busy;
	for (s = m->first; s < m->serial; s++) {
		if (cyc_end(cyc(m, s)) < lo)
			continue;
		for (uint64_t b = s * 4; b < s * 4 + 4; b++) {
			int64_t p = boundary(m, b);
			if (window_busy(m, lo, p, w, &busy) && busy > worst)
				worst = busy;
			if (window_busy(m, lo, p - w, w, &busy) && busy > worst)
				worst = busy;
		}
	}
	return timeline_util(m, i, lo, worst, util);
}

int64_t mmu_start_of_last(const struct mmu *m, uint64_t n)
{
	uint64_t kept = m->serial - m->first;

	if (!m->open || kept == 0 || n == 0)
		return -1;
	if (n > kept)
		n = kept;
	return cyc(m, m->serial - n)->t0;
}

int64_t mmu_horizon(const struct mmu *m)
{
	return m->open ? m->horizon : -1;
}
