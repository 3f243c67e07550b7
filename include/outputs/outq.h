/*
 * outq.h - an output that never holds up the reader.
 *
 * Bytes are appended to a bounded queue and written to a file descriptor
 * by a thread of the queue's own, with ordinary blocking writes.  The
 * event loop that reads the watched program therefore never waits for a
 * slow terminal, a paused pager or a stalled --json consumer.  When the
 * queue is full the policy decides: OUTQ_DROP loses the new bytes and
 * counts them (records for a consumer that stopped reading), OUTQ_WAIT
 * makes outq_write wait for room (pass-through of the program's own text:
 * the program would have waited too).
 */
#ifndef GCWATCH_OUTQ_H
#define GCWATCH_OUTQ_H

#include <stddef.h>
#include <stdint.h>

enum outq_full {
	OUTQ_DROP,
	OUTQ_WAIT,
};

struct outq;

/* A queue of at most cap bytes writing to fd (not closed by outq unless
 * close_fd).  NULL when out of memory or no thread can be made. */
struct outq *outq_new(int fd, size_t cap, enum outq_full policy, int close_fd);

/* Queue len bytes; whole or not at all.  Returns 0, or -1 when dropped
 * (OUTQ_DROP and full, or the descriptor failed: see outq_error). */
int outq_write(struct outq *q, const void *buf, size_t len);

/* Bytes queued but not yet written. */
size_t outq_pending(struct outq *q);

/* Bytes dropped so far; 0 for OUTQ_WAIT. */
uint64_t outq_dropped(struct outq *q);

/* The errno of the write that failed (EPIPE: the reader went away), or 0.
 * After a failure the rest is discarded. */
int outq_error(struct outq *q);

/* Write out what is queued (waiting for it), stop the thread, free.
 * Returns outq_error's value. */
int outq_close(struct outq *q);

#endif
