/*
 * ring.h - the last N records, in a fixed-capacity ring buffer.
 *
 * Capacity is set at creation and the storage is one allocation; pushing
 * onto a full ring drops the oldest record.  Views read the records from
 * oldest to newest with ring_get.  Not thread-safe: a UI thread should
 * take its own copy (ring_copy) under the lock that guards the writer.
 * Nothing here depends on libuv or ncurses.
 */
#ifndef GCWATCH_RING_H
#define GCWATCH_RING_H

#include <stddef.h>
#include <stdint.h>

#include "trace/gcrecord.h"

struct ring;

/* A ring holding up to cap records (cap >= 1).  NULL when cap is 0 or too
 * large, or when out of memory. */
struct ring *ring_new(size_t cap);
void ring_free(struct ring *r);

/* Append a copy of *rec, dropping the oldest record when full. */
void ring_push(struct ring *r, const struct gc_record *rec);

/* Records held now (<= ring_cap). */
size_t ring_len(const struct ring *r);
size_t ring_cap(const struct ring *r);

/* Records pushed since creation, including those since dropped; not reset
 * by ring_clear.  The record ring_get(r, i) was push number
 * ring_total(r) - ring_len(r) + i (counting from 0). */
uint64_t ring_total(const struct ring *r);

/* Record i, 0 being the oldest held; NULL when i >= ring_len.  The pointer
 * is valid until the next push, clear or free. */
const struct gc_record *ring_get(const struct ring *r, size_t i);

/* The newest record; NULL when empty. */
const struct gc_record *ring_last(const struct ring *r);

/* Forget the records held (ring_total keeps counting). */
void ring_clear(struct ring *r);

/* Make dst hold the newest min(ring_len(src), ring_cap(dst)) records of src,
 * with src's total.  For snapshots; the rings may differ in capacity. */
void ring_copy(struct ring *dst, const struct ring *src);

#endif
