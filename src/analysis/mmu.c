#include "analysis/mmu.h"

#include <stdlib.h>
#include <string.h>

static const int64_t window_us[MMU_WINDOWS] = { 10000, 50000, 100000, 1000000 };
static const char *const window_name[MMU_WINDOWS] = { "10ms", "50ms", "100ms", "1s" };

/* An "@" time above this (about 31 years) is not believed (stats.c). */
#define AT_MS_MAX 1000000000000LL
/* A start this far inside the previous collection is not rounding (the
 * "@" time's millisecond and the phases' two digits): a new timeline. */
#define BACK_US 5000
/* The ring's first size; phase times are clamped to fit an int32_t. */
#define RING_START 16
#define PHASE_MAX 2000000000LL

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
		m->end_cur[i] = m->start_cur[i] = 0;
		m->end_x[i] = m->start_x[i] = INT64_MIN;
		m->next_left[i] = 0;
		m->d0_done[i] = false;
	}
}

void mmu_init(struct mmu *m)
{
	memset(m, 0, sizeof *m);
	reset_timeline(m);
	for (int i = 0; i < MMU_WINDOWS; i++)
		m->worst[i] = -1;
}

void mmu_free(struct mmu *m)
{
	free(m->ring);
	m->ring = NULL;
	m->cap = 0;
}

size_t mmu_bytes(const struct mmu *m)
{
	return (size_t)m->cap * sizeof m->ring[0];
}

static inline const struct mmu_cycle *cyc(const struct mmu *m, uint64_t s)
{
	return &m->ring[s & (m->cap - 1)];
}

static int64_t cyc_end(const struct mmu_cycle *c)
{
	return c->t0 + c->st + c->mark + c->mt;
}

static inline int64_t clamp(int64_t v, int64_t hi)
{
	return v < 0 ? 0 : v > hi ? hi : v;
}

/* Busy time of collection c in its first d microseconds (branch-light:
 * the phases are clamped, not tested). */
static inline double partial(const struct mmu_cycle *c, int64_t d)
{
	int64_t a = clamp(d, c->st), b = clamp(d - c->st, c->mark),
	        e = clamp(d - c->st - c->mark, c->mt);

	return (double)(a + e) + c->frac * (double)b;
}

/* Where a window may start: boundary b (4 a collection: start, mark
 * start, mark end, end; only the even ones are asked) and the busy time up
 * to it. */
static inline int64_t start_point(const struct mmu *m, uint64_t b, double *busy)
{
	const struct mmu_cycle *c = cyc(m, b / 4);

	if (b & 2) {
		*busy = c->cum_mt;
		return c->t0 + c->st + c->mark;
	}
	*busy = c->cum;
	return c->t0;
}

/*
 * Busy time from the timeline's start up to x, into *b, through a cursor:
 * *cur is a kept collection starting at or before every x asked so far
 * (or the timeline's first), and x never goes back, so the cursor only
 * moves forward: amortised O(1).  False when the cursor's collection was
 * evicted and x lies before the kept ones.
 */
static inline bool busy_at(const struct mmu *m, uint64_t *cur, int64_t x, double *b)
{
	const struct mmu_cycle *c;

	if (*cur < m->first) {
		/* Its collection was evicted (ring overflow). */
		*cur = m->first;
		if (x < cyc(m, m->first)->t0)
			return false;
	}
	while (*cur + 1 < m->serial && cyc(m, *cur + 1)->t0 <= x)
		(*cur)++;
	c = cyc(m, *cur);
	*b = c->cum + partial(c, x - c->t0);
	return true;
}

static inline void note_busy(struct mmu *m, int i, double busy)
{
	if (busy > m->worst[i])
		m->worst[i] = busy;
}

/* The window at the timeline's end, still to be measured while the
 * timeline grows (skipped when the whole timeline's busy time cannot beat
 * the worst); false when none fits. */
static bool end_window(const struct mmu *m, int i, double *busy)
{
	int64_t x = m->horizon - window_us[i];
	/* The cursor of the windows ending on a boundary: none asked past
	 * this one (the latest ended at the horizon). */
	uint64_t cur = m->end_cur[i];
	double a;

	*busy = -1;
	if (!m->open || x < m->d0)
		return false;
	if (m->busy_end > m->worst[i] && busy_at(m, &cur, x, &a))
		*busy = m->busy_end - a;
	return true;
}

static void close_timeline(struct mmu *m)
{
	double busy;

	if (!m->open)
		return;
	for (int i = 0; i < MMU_WINDOWS; i++)
		if (end_window(m, i, &busy))
			note_busy(m, i, busy);
	reset_timeline(m);
}

static int64_t phase(int64_t v)
{
	return v <= 0 ? 0 : v > PHASE_MAX ? PHASE_MAX : v;
}

/* The oldest collection any cursor or waiting window still needs. */
static uint64_t needed(const struct mmu *m)
{
	uint64_t n = m->serial;

	for (int i = 0; i < MMU_WINDOWS; i++) {
		if (m->end_cur[i] < n)
			n = m->end_cur[i];
		if (m->start_cur[i] < n)
			n = m->start_cur[i];
		if (m->next_left[i] / 4 < n)
			n = m->next_left[i] / 4;
	}
	return n;
}

/* Move a cursor forward over collections that start at or before x, the
 * latest place asked of it. */
static void catch_up(const struct mmu *m, uint64_t *cur, int64_t x)
{
	if (*cur < m->first)
		return;
	while (*cur + 1 < m->serial && cyc(m, *cur + 1)->t0 <= x)
		(*cur)++;
}

/* Double the ring, keeping every collection at its serial. */
static bool grow(struct mmu *m)
{
	uint32_t cap = m->cap ? m->cap * 2 : RING_START;
	struct mmu_cycle *r;

	if (cap > MMU_RING || !(r = malloc((size_t)cap * sizeof *r)))
		return false;
	for (uint64_t s = m->first; s < m->serial; s++)
		r[s & (cap - 1)] = *cyc(m, s);
	free(m->ring);
	m->ring = r;
	m->cap = cap;
	return true;
}

/* Make room for one more collection: drop what nothing needs, else grow,
 * else evict the oldest and count the windows that can no longer be
 * measured (those that start on its boundaries and still wait for data;
 * a cursor left behind counts its window in busy_at's caller). */
static bool make_room(struct mmu *m)
{
	uint64_t n;

	if (m->serial - m->first < m->cap)
		return true;
	/* Full: move the cursors that skipped their searches up to where
	 * they may be, and look again. */
	for (int i = 0; i < MMU_WINDOWS; i++) {
		catch_up(m, &m->end_cur[i], m->end_x[i]);
		catch_up(m, &m->start_cur[i], m->start_x[i]);
	}
	n = needed(m);
	if (n > m->first)
		m->first = n;
	if (m->serial - m->first < m->cap || grow(m))
		return true;
	if (!m->cap)
		return false;
	m->first++;
	for (int i = 0; i < MMU_WINDOWS; i++)
		if (m->next_left[i] < m->first * 4) {
			m->lost += (m->first * 4 - m->next_left[i] + 1) / 2;
			m->next_left[i] = m->first * 4;
		}
	return true;
}

/*
 * The window of length w[i] that ends at p, a boundary of the newest
 * collection where a busy phase ends, with busy time at_end up to there.
 * Most windows are not the worst: a bound that needs no search (the busy
 * time since the cursor's collection began) skips them, and the cursor
 * only records how far it could go (caught up in make_room).
 */
static inline void measure_end(struct mmu *m, int i, int64_t p, double at_end)
{
	int64_t x = p - window_us[i];
	double at_start;

	if (x < m->d0)
		return;
	m->end_x[i] = x;
	if (m->end_cur[i] >= m->first &&
	    at_end - cyc(m, m->end_cur[i])->cum <= m->worst[i])
		return;
	if (!busy_at(m, &m->end_cur[i], x, &at_start)) {
		m->lost++;
		return;
	}
	note_busy(m, i, at_end - at_start);
}

/* The windows that start where busy phases start (a collection's start,
 * and mark termination's) and that the data now covers; skipped when all
 * the busy time from their start on cannot beat the worst. */
static inline void measure_starts(struct mmu *m, int i)
{
	int64_t w = window_us[i];
	uint64_t lim = m->serial * 4;

	while (m->next_left[i] < lim) {
		double at_start, at_end;
		int64_t p = start_point(m, m->next_left[i], &at_start);
		if (p + w > m->horizon)
			break;
		m->next_left[i] += 2;
		m->start_x[i] = p + w;
		if (m->busy_end - at_start <= m->worst[i])
			continue;
		if (busy_at(m, &m->start_cur[i], p + w, &at_end))
			note_busy(m, i, at_end - at_start);
		else
			m->lost++;
	}
}

/* The windows starting on boundaries that the data now covers, passed
 * over without a measure (none can beat the worst). */
static inline void skip_starts(struct mmu *m, int i)
{
	int64_t w = window_us[i];
	uint64_t lim = m->serial * 4;
	double at_start;

	while (m->next_left[i] < lim) {
		int64_t p = start_point(m, m->next_left[i], &at_start);
		if (p + w > m->horizon)
			break;
		m->next_left[i] += 2;
		m->start_x[i] = p + w;
	}
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
	if (!make_room(m)) {
		m->skipped++;
		return;
	}
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
	c.st = (int32_t)phase(r->clock_sweep_term_us);
	c.mark = (int32_t)phase(r->clock_mark_us);
	c.mt = (int32_t)phase(r->clock_mark_term_us);
	c.frac = 0;
	if (c.mark > 0 && r->procs > 0) {
		double cpu = (double)(r->cpu_assist_us > 0 ? r->cpu_assist_us : 0) +
		             (double)(r->cpu_background_us > 0 ? r->cpu_background_us : 0);
		c.frac = cpu / ((double)c.mark * (double)r->procs);
		if (c.frac > 1)
			c.frac = 1;
	}
	c.cum = m->busy_end;
	c.cum_mt = c.cum + c.st + c.frac * c.mark;
	m->ring[m->serial & (m->cap - 1)] = c;
	m->serial++;
	m->cycles++;
	m->horizon = cyc_end(&c);
	m->busy_end = c.cum_mt + c.mt;

	for (int i = 0; i < MMU_WINDOWS; i++) {
		int64_t w = window_us[i];
		double busy;
		if (!m->d0_done[i] && m->d0 + w <= m->horizon) {
			/* A window fits: the timeline has a value for w.  The
			 * window at its start (bounded by all its busy time). */
			if (m->worst[i] < 0)
				m->worst[i] = 0;
			if (m->busy_end > m->worst[i] &&
			    busy_at(m, &m->start_cur[i], m->d0 + w, &busy))
				note_busy(m, i, busy);
			m->d0_done[i] = true;
		}
		/* Every window this collection adds (ending on its
		 * boundaries, or starting where the data now covers) lies
		 * after the start of the end cursor's collection: when all
		 * the busy time since cannot beat the worst, none can, and
		 * only the places asked move on. */
		if (m->end_cur[i] >= m->first &&
		    m->busy_end - cyc(m, m->end_cur[i])->cum <= m->worst[i]) {
			if (m->horizon - w >= m->d0)
				m->end_x[i] = m->horizon - w;
			skip_starts(m, i);
			continue;
		}
		/* The windows ending where the newest collection's busy
		 * phases end: sweep termination, and the collection. */
		measure_end(m, i, c.t0 + c.st, c.cum + c.st);
		measure_end(m, i, m->horizon, m->busy_end);
		measure_starts(m, i);
	}
}

bool mmu_get(const struct mmu *m, int i, double *util)
{
	double worst = m->worst[i], busy;

	if (end_window(m, i, &busy) && busy > worst)
		worst = busy;
	if (worst < 0)
		return false;
	*util = 1.0 - worst / (double)window_us[i];
	if (*util < 0)
		*util = 0;
	return true;
}

int64_t mmu_horizon(const struct mmu *m)
{
	return m->open ? m->horizon : -1;
}
