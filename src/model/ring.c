#include "model/ring.h"

#include <stdlib.h>
#include <string.h>

struct ring {
	size_t cap;
	size_t len;
	size_t head;    /* slot of the oldest record held */
	uint64_t total;
	struct gc_record rec[]; /* cap slots, in the same allocation */
};

struct ring *ring_new(size_t cap)
{
	struct ring *r;

	if (cap == 0 || cap > (SIZE_MAX - sizeof *r) / sizeof r->rec[0])
		return NULL;
	r = malloc(sizeof *r + cap * sizeof r->rec[0]);
	if (r == NULL)
		return NULL;
	r->cap = cap;
	r->len = 0;
	r->head = 0;
	r->total = 0;
	return r;
}

void ring_free(struct ring *r)
{
	free(r);
}

/* Slot of record i counted from the oldest; i < cap.  A subtraction
 * instead of % keeps the per-record cost down. */
static size_t slot(const struct ring *r, size_t i)
{
	size_t s = r->head + i;

	return s >= r->cap ? s - r->cap : s;
}

void ring_push(struct ring *r, const struct gc_record *rec)
{
	if (r->len < r->cap) {
		r->rec[slot(r, r->len)] = *rec;
		r->len++;
	} else {
		/* Full: the oldest slot becomes the newest. */
		r->rec[r->head] = *rec;
		r->head = slot(r, 1);
	}
	r->total++;
}

size_t ring_len(const struct ring *r)
{
	return r->len;
}

size_t ring_cap(const struct ring *r)
{
	return r->cap;
}

uint64_t ring_total(const struct ring *r)
{
	return r->total;
}

const struct gc_record *ring_get(const struct ring *r, size_t i)
{
	if (i >= r->len)
		return NULL;
	return &r->rec[slot(r, i)];
}

const struct gc_record *ring_last(const struct ring *r)
{
	if (r->len == 0)
		return NULL;
	return &r->rec[slot(r, r->len - 1)];
}

void ring_clear(struct ring *r)
{
	r->len = 0;
	r->head = 0;
}

void ring_copy(struct ring *dst, const struct ring *src)
{
	size_t n = src->len < dst->cap ? src->len : dst->cap;
	size_t first = src->len - n, i, run;

	if (dst == src)
		return;
	/* Copy in at most two blocks: the held records are contiguous in src
	 * except where they wrap past its end. */
	dst->head = 0;
	dst->len = n;
	dst->total = src->total;
	for (i = 0; i < n; i += run) {
		size_t s = slot(src, first + i);

		run = src->cap - s;
		if (run > n - i)
			run = n - i;
		memcpy(&dst->rec[i], &src->rec[s], run * sizeof src->rec[0]);
	}
}
