/*
 * sigwatch.h - signals delivered on the event loop, with who sent them.
 *
 * libuv's uv_signal does not say where a signal came from; this uses
 * sigaction with SA_SIGINFO and a self-pipe, so that the engine can pass
 * each signal on once: a sender that signals gcwatch and then its process
 * group (timeout(1) does) reaches gcwatch twice in a row, and the two can
 * be told from two signals by their sender and time.
 */
#ifndef GCWATCH_SIGWATCH_H
#define GCWATCH_SIGWATCH_H

#include <stdint.h>
#include <sys/types.h>

#include <uv.h>

struct sigwatch_info {
	int signum;
	int from_kernel; /* sent by the kernel (a terminal: Ctrl-C, a hangup) */
	pid_t sender;    /* the sending process (kill(2)), 0 for the kernel */
	uint64_t ms;     /* CLOCK_MONOTONIC when the handler ran */
};

typedef void (*sigwatch_cb)(void *ctx, const struct sigwatch_info *si);

struct sigwatch;

/* Catch the n signals on loop (those ignored when gcwatch started, as
 * under nohup, stay ignored); NULL on failure.  One at a time. */
struct sigwatch *sigwatch_start(uv_loop_t *loop, const int *signals, int n,
                                sigwatch_cb cb, void *ctx);

/* Restore the signals' previous handling and close the handle (the memory
 * is freed when it has closed, as the loop runs). */
void sigwatch_stop(struct sigwatch *w);

#endif
