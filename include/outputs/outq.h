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
 *
 * Every byte handed to outq_write is either written or counted as lost
 * (outq_lost): dropped when full, discarded after a write error, or still
 * queued when a bounded close gave up on a reader that stalled.
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

/* The same, but the thread opens path for writing itself (O_WRONLY, no
 * truncation): a fifo without a reader blocks the thread, not the caller,
 * and what is written meanwhile waits in the queue.  A failed open is the
 * queue's error. */
struct outq *outq_new_deferred(const char *path, size_t cap, enum outq_full policy);

/* fd is a regular file written from offset 0 by this queue alone: when a
 * write fails (a full disk) cut it back to its last whole line. */
void outq_trim_on_error(struct outq *q);

/* Queue len bytes; whole or not at all.  Returns 0, or -1 when dropped
 * (OUTQ_DROP and full, or the descriptor failed: see outq_error). */
int outq_write(struct outq *q, const void *buf, size_t len);

/* Bytes queued but not yet written. */
size_t outq_pending(struct outq *q);

/* Bytes dropped because the queue was full; 0 for OUTQ_WAIT. */
uint64_t outq_dropped(struct outq *q);

/* Bytes given to outq_write that were not written (dropped, discarded
 * after an error, abandoned by a bounded close); exact once closed. */
uint64_t outq_lost(struct outq *q);

/* Newlines among the bytes written so far (whole lines delivered). */
uint64_t outq_lines_written(struct outq *q);

/* The errno of the write (or deferred open) that failed (EPIPE: the reader
 * went away), or 0.  After a failure the rest is discarded. */
int outq_error(struct outq *q);

/* Ask the thread to write out what is queued and stop; returns at once.
 * outq_close (or outq_close_by) then waits for it.  Closing several
 * queues at once: begin each, then close each, so the waits overlap. */
void outq_close_begin(struct outq *q);

/* Write out what is queued (waiting for it), stop the thread, free.
 * Returns outq_error's value. */
int outq_close(struct outq *q);

/*
 * The same, but wait only until deadline_ms (clock_now_ms time): a reader
 * that does not take the rest by then (a stalled pipe, a fifo that never
 * got a reader) loses it, counted in *lost (may be NULL) with everything
 * else lost.  The thread's blocked write or open is interrupted by a
 * signal (SIGURG, handled as a no-op without SA_RESTART).  Returns the
 * error, ETIMEDOUT when the deadline cut the output short.
 */
int outq_close_by(struct outq *q, uint64_t deadline_ms, uint64_t *lost,
                  uint64_t *lines);

#endif
