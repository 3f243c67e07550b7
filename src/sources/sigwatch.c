#include "sources/sigwatch.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define MAX_SIGNALS 8

/* The handler can reach only globals: the write end of the self-pipe. */
static volatile int pipe_wr = -1;

struct sigwatch {
	uv_poll_t poll;
	int rd, wr;
	int signals[MAX_SIGNALS];
	struct sigaction old[MAX_SIGNALS];
	int n;
	sigwatch_cb cb;
	void *ctx;
};

static void handler(int signum, siginfo_t *info, void *uctx)
{
	int saved = errno;
	struct sigwatch_info msg = {.signum = signum};
	struct timespec ts;

	(void)uctx;
	if (info) {
		msg.from_kernel = info->si_code == SI_KERNEL;
		if (info->si_code == SI_USER || info->si_code == SI_QUEUE)
			msg.sender = info->si_pid;
	}
	clock_gettime(CLOCK_MONOTONIC, &ts); /* async-signal-safe */
	msg.ms = (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
	/* One write below PIPE_BUF: whole or not at all. */
	if (pipe_wr >= 0 && write(pipe_wr, &msg, sizeof msg) < 0) {
		/* Full pipe: the loop is far behind; the signal is dropped. */
	}
	errno = saved;
}

static void on_readable(uv_poll_t *p, int status, int events)
{
	struct sigwatch *w = p->data;
	struct sigwatch_info msg[16];
	ssize_t n;

	(void)events;
	if (status < 0)
		return;
	while ((n = read(w->rd, msg, sizeof msg)) > 0)
		for (size_t i = 0; i < (size_t)n / sizeof msg[0]; i++)
			w->cb(w->ctx, &msg[i]);
}

struct sigwatch *sigwatch_start(uv_loop_t *loop, const int *signals, int n,
                                sigwatch_cb cb, void *ctx)
{
	struct sigwatch *w;
	int fds[2];

	if (n > MAX_SIGNALS || pipe_wr >= 0 || !(w = calloc(1, sizeof *w)))
		return NULL;
	if (pipe2(fds, O_CLOEXEC | O_NONBLOCK) != 0) {
		free(w);
		return NULL;
	}
	w->rd = fds[0];
	w->wr = fds[1];
	w->cb = cb;
	w->ctx = ctx;
	w->n = n;
	if (uv_poll_init(loop, &w->poll, w->rd) != 0) {
		close(fds[0]);
		close(fds[1]);
		free(w);
		return NULL;
	}
	w->poll.data = w;
	uv_poll_start(&w->poll, UV_READABLE, on_readable);
	pipe_wr = w->wr;
	for (int i = 0; i < n; i++) {
		struct sigaction sa;
		memset(&sa, 0, sizeof sa);
		sa.sa_sigaction = handler;
		sa.sa_flags = SA_SIGINFO | SA_RESTART;
		sigemptyset(&sa.sa_mask);
		w->signals[i] = signals[i];
		sigaction(signals[i], &sa, &w->old[i]);
		/* Ignored when we started (nohup): stay so. */
		if (w->old[i].sa_handler == SIG_IGN && !(w->old[i].sa_flags & SA_SIGINFO))
			sigaction(signals[i], &w->old[i], NULL);
	}
	return w;
}

static void on_closed(uv_handle_t *h)
{
	struct sigwatch *w = h->data;

	close(w->rd);
	close(w->wr);
	free(w);
}

void sigwatch_stop(struct sigwatch *w)
{
	if (!w)
		return;
	for (int i = 0; i < w->n; i++)
		sigaction(w->signals[i], &w->old[i], NULL);
	pipe_wr = -1;
	uv_close((uv_handle_t *)&w->poll, on_closed);
}
