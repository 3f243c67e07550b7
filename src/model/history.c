#include "model/history.h"

#include <stdlib.h>
#include <string.h>

/* An "@" time above this (about 31 years) is a runtime printing bug (see
 * stats.c), not a time. */
#define AT_MS_MAX 1000000000000LL
/* Records are live while their clock runs no faster than twice the
 * arrival clock, give or take this much (a burst read at start). */
#define PACED_SLACK_MS 5000
/* Stamps of one clock agree within this much (a collector's delay, a
 * stamp cut to the second); beyond, the clock was set. */
#define WALL_SLACK_MS 2000

static const struct tierdef {
	int64_t width_ms;
	unsigned buckets;
} fleet_tiers[] = {
	/* Each zoom's span within a tier's reach: 1m from 2 s (30
	 * columns), 5m from 10 s (30), 15m and 1h from 1 min (15 and 60;
	 * the fleet row's trend too), 6h and 24h from 30 min (12 and 48). */
	{ 2000, 48 }, { 10000, 48 }, { 60000, 80 }, { 1800000, 64 },
}, wide_tiers[] = {
	{ 1000, 3840 }, { 60000, 1536 },  /* 64 min, 25.6 h */
};

void history_init(struct history *h, bool wide)
{
	const struct tierdef *t = wide ? wide_tiers : fleet_tiers;

	memset(h, 0, sizeof *h);
	h->ntiers = wide ? sizeof wide_tiers / sizeof wide_tiers[0]
	                 : sizeof fleet_tiers / sizeof fleet_tiers[0];
	for (unsigned i = 0; i < h->ntiers; i++) {
		h->tier[i].width_ms = t[i].width_ms;
		h->tier[i].nchunks = t[i].buckets / HIST_CHUNK;
	}
}

void history_init_off(struct history *h)
{
	memset(h, 0, sizeof *h);
}

void history_free(struct history *h)
{
	for (unsigned i = 0; i < h->ntiers; i++) {
		struct hist_tier *t = &h->tier[i];
		if (!t->chunk)
			continue;
		for (unsigned c = 0; c < t->nchunks; c++)
			free(t->chunk[c]);
		free(t->chunk);
		t->chunk = NULL;
	}
	h->bytes = 0;
}

static float pos(int64_t v)
{
	return v > 0 ? (float)v : 0.0f;
}

/* What one record adds to a bucket, as a bucket of one. */
static void one(struct hist_bucket *b, const struct gc_record *r, bool run_start,
                int64_t dt_ms)
{
	int64_t p = gcrecord_pause_us(r);

	memset(b, 0, sizeof *b);
	b->count = 1;
	b->procs = r->procs > 0 ? (uint16_t)(r->procs < 65535 ? r->procs : 65535) : 0;
	b->runs = run_start;
	b->forced = r->forced;
	b->pause_sum = p >= 0 ? (float)p : 0;
	b->pause_min = b->pause_max = p >= 0 ? (float)p : -1;
	b->live_min = b->live_max = r->heap_live_mb >= 0 ? (float)r->heap_live_mb : -1;
	b->start_max = r->heap_start_mb >= 0 ? (float)r->heap_start_mb : -1;
	b->end_max = r->heap_end_mb >= 0 ? (float)r->heap_end_mb : -1;
	/* The runtime prints MaxInt64 bytes for GOGC=off: not a goal. */
	b->goal_max = r->heap_goal_mb >= 0 && r->heap_goal_mb < ((int64_t)1 << 40)
	                  ? (float)r->heap_goal_mb : -1;
	/*
	 * n collections bound n-1 intervals: a collection's CPU counts with
	 * the interval it closes (as feed_cpu_pct leaves the first one out).
	 * Idle workers are free, as in the runtime's gc_cpu_fraction.
	 */
	if (dt_ms >= 0 && r->procs > 0) {
		b->cpu_us = pos(r->cpu_sweep_term_us) + pos(r->cpu_assist_us) +
		            pos(r->cpu_background_us) + pos(r->cpu_mark_term_us);
		b->cap_us = (float)dt_ms * 1000.0f * (float)r->procs;
	}
	b->assist_us = pos(r->cpu_assist_us);
	b->background_us = pos(r->cpu_background_us);
	b->idle_us = pos(r->cpu_idle_us);
}

static float fmax_known(float a, float b)
{
	return a > b ? a : b; /* -1 is below every known value */
}

static float fmin_known(float a, float b)
{
	if (a < 0)
		return b;
	if (b < 0)
		return a;
	return a < b ? a : b;
}

static uint8_t sat8(unsigned v)
{
	return v > 255 ? 255 : (uint8_t)v;
}

void hist_merge(struct hist_bucket *dst, const struct hist_bucket *src)
{
	if (!src->count)
		return;
	if (!dst->count) {
		*dst = *src;
		return;
	}
	dst->count += src->count;
	if (src->procs > dst->procs)
		dst->procs = src->procs;
	dst->runs = sat8((unsigned)dst->runs + src->runs);
	dst->forced = sat8((unsigned)dst->forced + src->forced);
	dst->pause_sum += src->pause_sum;
	dst->pause_min = fmin_known(dst->pause_min, src->pause_min);
	dst->pause_max = fmax_known(dst->pause_max, src->pause_max);
	dst->live_min = fmin_known(dst->live_min, src->live_min);
	dst->live_max = fmax_known(dst->live_max, src->live_max);
	dst->start_max = fmax_known(dst->start_max, src->start_max);
	dst->end_max = fmax_known(dst->end_max, src->end_max);
	dst->goal_max = fmax_known(dst->goal_max, src->goal_max);
	dst->cpu_us += src->cpu_us;
	dst->cap_us += src->cap_us;
	dst->assist_us += src->assist_us;
	dst->background_us += src->background_us;
	dst->idle_us += src->idle_us;
}

static int64_t floordiv(int64_t a, int64_t b)
{
	return a >= 0 ? a / b : -((-a + b - 1) / b);
}

/* The chunk that holds bucket b, made (or taken over from an older time)
 * when make; NULL when it is not there or cannot be allocated. */
static struct hist_chunk *chunk_of(struct history *h, struct hist_tier *t, int64_t b,
                                   bool make)
{
	int64_t no = floordiv(b, HIST_CHUNK);
	unsigned slot = (unsigned)(((no % t->nchunks) + t->nchunks) % t->nchunks);
	struct hist_chunk *c;

	if (!t->chunk) {
		if (!make || !(t->chunk = calloc(t->nchunks, sizeof *t->chunk)))
			return NULL;
		h->bytes += t->nchunks * sizeof *t->chunk;
	}
	c = t->chunk[slot];
	if (c && c->no == no)
		return c;
	if (!make)
		return NULL;
	if (!c) {
		if (!(c = malloc(sizeof *c)))
			return NULL;
		t->chunk[slot] = c;
		h->bytes += sizeof *c;
	} else if (c->no > no) {
		return NULL; /* older than what the ring holds now */
	}
	/* A new stretch of time: what the slot held is past the tier's reach. */
	memset(c->b, 0, sizeof c->b);
	c->no = no;
	c->gen++;
	return c;
}

void history_add(struct history *h, const struct gc_record *r, bool restart,
                 uint64_t now_ms)
{
	bool timed = r->at_ms >= 0;
	int64_t t, dt = -1;

	if (r->at_ms > AT_MS_MAX) {
		h->skipped++;
		return;
	}
	if (!h->any) {
		h->run_offset = 0;
		t = timed ? r->at_ms : 0;
		h->first_t = t;
		h->first_arrival = now_ms;
		h->paced = true;
		h->runs = 1;
		restart = true;
	} else if (restart) {
		/*
		 * A new run: its clock starts at 0 again.  Live, its "@0" is
		 * where the arrival clock puts it; otherwise (or if that would
		 * go back) right after the previous run.
		 */
		int64_t live = h->last_t + (int64_t)(now_ms - h->last_arrival);
		int64_t at = timed ? r->at_ms : 0;

		h->run_offset = h->last_t;
		if (h->walled && r->wall_ms > 0) {
			/* Where its stamp puts it (a file read at once too). */
			if (r->wall_ms - h->wall_off - at > h->last_t)
				h->run_offset = r->wall_ms - h->wall_off - at;
		} else if (h->paced && live - at > h->last_t) {
			h->run_offset = live - at;
		}
		t = h->run_offset + at;
		h->runs++;
	} else if (timed) {
		t = h->run_offset + r->at_ms;
		if (t < h->last_t)
			t = h->last_t; /* never back within a run */
		if (h->last_timed)
			dt = t - h->last_t;
	} else if (h->walled && r->wall_ms > 0) {
		/* No "@" (Go 1.4): the stamp's clock, */
		t = r->wall_ms - h->wall_off;
		if (t < h->last_t)
			t = h->last_t;
	} else {
		/* or the arrival clock, when it can be trusted. */
		t = h->last_t + (h->paced ? (int64_t)(now_ms - h->last_arrival) : 0);
	}
	if (r->wall_ms > 0) {
		int64_t off = r->wall_ms - t;
		if (!h->walled || restart || off > h->wall_off + WALL_SLACK_MS ||
		    off < h->wall_off - WALL_SLACK_MS)
			h->wall_off = off;
		else if (off > h->wall_off)
			h->wall_off = off;
		h->walled = true;
	}

	struct hist_bucket add;
	one(&add, r, restart, dt);
	for (unsigned i = 0; i < h->ntiers; i++) {
		struct hist_tier *tr = &h->tier[i];
		int64_t b = floordiv(t, tr->width_ms);
		struct hist_chunk *c = chunk_of(h, tr, b, true);
		if (!c)
			continue;
		hist_merge(&c->b[(b % HIST_CHUNK + HIST_CHUNK) % HIST_CHUNK], &add);
		c->gen++;
	}
	h->any = true;
	h->last_t = t;
	h->last_timed = timed;
	h->last_arrival = now_ms;
	h->paced = t - h->first_t <=
	           2 * (int64_t)(now_ms - h->first_arrival) + PACED_SLACK_MS;
	h->version++;
}

int64_t history_now(const struct history *h, uint64_t now_ms)
{
	if (!h->any)
		return 0;
	if (h->paced && now_ms > h->last_arrival)
		return h->last_t + (int64_t)(now_ms - h->last_arrival);
	return h->last_t;
}

bool history_mono(const struct history *h, int64_t t, uint64_t *mono_ms)
{
	if (!h->any || !h->paced)
		return false;
	*mono_ms = (uint64_t)((int64_t)h->last_arrival - (h->last_t - t));
	return true;
}

bool history_at_once(const struct history *h)
{
	return h->any && (!h->paced || 2 * (int64_t)(h->last_arrival - h->first_arrival) <
	                                   h->last_t - h->first_t);
}

bool history_wall(const struct history *h, int64_t t, int64_t *wall_ms)
{
	if (!h->walled)
		return false;
	*wall_ms = t + h->wall_off;
	return true;
}

const struct hist_bucket *history_bucket(const struct history *h, unsigned tier,
                                         int64_t b)
{
	const struct hist_tier *t;
	int64_t no;
	unsigned slot;
	const struct hist_chunk *c;

	if (tier >= h->ntiers)
		return NULL;
	t = &h->tier[tier];
	if (!t->chunk)
		return NULL;
	no = floordiv(b, HIST_CHUNK);
	slot = (unsigned)(((no % t->nchunks) + t->nchunks) % t->nchunks);
	c = t->chunk[slot];
	if (!c || c->no != no)
		return NULL;
	const struct hist_bucket *k = &c->b[(b % HIST_CHUNK + HIST_CHUNK) % HIST_CHUNK];
	return k->count ? k : NULL;
}

int64_t history_span(const struct history *h, unsigned tier)
{
	if (tier >= h->ntiers)
		return 0;
	/* The newest chunk is partly filled: one chunk less is sure. */
	return (int64_t)(h->tier[tier].nchunks - 1) * HIST_CHUNK * h->tier[tier].width_ms;
}

unsigned history_tier_for(const struct history *h, int64_t span_ms, int64_t col_ms)
{
	for (unsigned i = 0; i < h->ntiers; i++)
		if (h->tier[i].width_ms <= col_ms && history_span(h, i) >= span_ms)
			return i;
	for (unsigned i = 0; i < h->ntiers; i++)
		if (history_span(h, i) >= span_ms)
			return i;
	return h->ntiers ? h->ntiers - 1 : 0;
}

size_t history_copy(struct history *dst, const struct history *src)
{
	size_t bytes = 0;
	struct hist_tier keep[HIST_TIERS];
	size_t had = dst->bytes;

	/* Different tiers (a fleet feed in a wide slot): start again. */
	for (unsigned i = 0; i < HIST_TIERS; i++)
		if (dst->tier[i].width_ms != src->tier[i].width_ms ||
		    dst->tier[i].nchunks != src->tier[i].nchunks) {
			history_free(dst);
			had = 0;
			for (unsigned k = 0; k < HIST_TIERS; k++) {
				dst->tier[k] = src->tier[k];
				dst->tier[k].chunk = NULL;
			}
			break;
		}
	for (unsigned i = 0; i < src->ntiers; i++) {
		struct hist_tier *d = &dst->tier[i];
		const struct hist_tier *s = &src->tier[i];
		if (!s->chunk)
			continue;
		if (!d->chunk) {
			if (!(d->chunk = calloc(d->nchunks, sizeof *d->chunk)))
				continue;
			had += d->nchunks * sizeof *d->chunk;
		}
		for (unsigned c = 0; c < s->nchunks; c++) {
			const struct hist_chunk *sc = s->chunk[c];
			struct hist_chunk *dc = d->chunk[c];
			if (!sc || (dc && dc->no == sc->no && dc->gen == sc->gen))
				continue;
			if (!dc) {
				if (!(dc = malloc(sizeof *dc)))
					continue;
				d->chunk[c] = dc;
				had += sizeof *dc;
			}
			*dc = *sc;
			bytes += sizeof *dc;
		}
	}
	for (unsigned i = 0; i < HIST_TIERS; i++)
		keep[i] = dst->tier[i];
	*dst = *src;
	for (unsigned i = 0; i < HIST_TIERS; i++)
		dst->tier[i] = keep[i];
	dst->bytes = had;
	return bytes;
}

size_t history_bytes(const struct history *h)
{
	return h->bytes;
}
