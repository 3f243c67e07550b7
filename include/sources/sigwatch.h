/*
 * sigwatch.h - termination signals delivered on the event loop, with where
 * they came from.
 *
 * A terminal's Ctrl-C (and a hangup) reaches the whole foreground process
 * group, the watched program included; a kill(1) reaches gcwatch alone.
 * Forwarding only the latter gets every signal to the program exactly
 * once.  libuv's uv_signal does not say where a signal came from, so this
 * uses sigaction with SA_SIGINFO and a self-pipe.
 */
#ifndef GCWATCH_SIGWATCH_H
#define GCWATCH_SIGWATCH_H

#include <uv.h>

/* from_kernel: sent by the kernel (the terminal driver), not by a process. */
typedef void (*sigwatch_cb)(void *ctx, int signum, int from_kernel);

struct sigwatch;

/* Catch the n signals on loop (those ignored when gcwatch started, as
 * under nohup, stay ignored); NULL on failure.  One at a time. */
struct sigwatch *sigwatch_start(uv_loop_t *loop, const int *signals, int n,
                                sigwatch_cb cb, void *ctx);

/* Restore the signals' previous handling and close the handle (the memory
 * is freed when it has closed, as the loop runs). */
void sigwatch_stop(struct sigwatch *w);

#endif
