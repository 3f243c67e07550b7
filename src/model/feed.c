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
	stats_init(&f->stats);
	return f;
}

void feed_free(struct feed *f)
{
	if (!f)
		return;
	free(f->rec);
	free(f->lines);
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
	seen(f, now_ms);
	return starts;
}

static void push_line(struct feed *f, const struct feed_line *l)
{
	if (make_room((void **)&f->lines, &f->lines_alloc, FEED_LINES, sizeof *f->lines,
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
	/* A different feed in the same slot: start from nothing. */
	if (strcmp(dst->name, src->name) || dtot > src->total_records ||
	    dlines > src->total_lines)
		dtot = dlines = 0;
	size_t bytes = copy_ring((void **)&rec, &rec_alloc, src->rec, src->rec_alloc,
	                         sizeof *rec, dtot, src->total_records, src->nrecent);
	bytes += copy_ring((void **)&lines, &lines_alloc, src->lines, src->lines_alloc,
	                   sizeof *lines, dlines, src->total_lines, src->nlines);
	*dst = *src;
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
	       (size_t)f->lines_alloc * sizeof *f->lines;
}

size_t feed_bytes_max(unsigned records_cap, bool keep_lines)
{
	if (!records_cap || records_cap > FEED_RECORDS)
		records_cap = FEED_RECORDS;
	return sizeof(struct feed) + (size_t)records_cap * sizeof(struct gc_record) +
	       (keep_lines ? FEED_LINES * sizeof(struct feed_line) : 0);
}
