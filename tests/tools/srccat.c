/*
 * srccat - runs one source on a libuv loop and copies its bytes to
 * standard output, for testing the sources on their own.
 *
 *   srccat [-f] PATH              src_open (PATH "-": standard input)
 *   srccat --replay SPEED PATH    src_replay
 *
 * State changes go to standard error as "state NAME" lines.  SIGINT or
 * SIGTERM stops the source; SIGUSR1 pauses it and SIGUSR2 resumes it
 * (printing "paused" / "resumed").  Exits 0 once closed() came, or with
 * the source's status and its message when it could not start.  At exit
 * the loop is run dry and must close cleanly.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <uv.h>

#include "sources/source.h"

struct cat {
	uv_loop_t *loop;
	struct src *src;
	uv_signal_t sig[4];
	int closed;
};

static const char *state_name(enum src_state s)
{
	switch (s) {
	case SRC_STARTING: return "starting";
	case SRC_RUNNING: return "running";
	case SRC_WAITING: return "waiting";
	case SRC_EOF: return "eof";
	case SRC_EXITED: return "exited";
	}
	return "?";
}

/* Blocking writes are fine in a test tool: the loop has nothing else to do. */
static void write_all(int fd, const char *buf, size_t len)
{
	while (len > 0) {
		ssize_t w = write(fd, buf, len);

		if (w < 0) {
			if (errno == EINTR)
				continue;
			perror("srccat: write");
			exit(1);
		}
		buf += w;
		len -= (size_t)w;
	}
}

static void on_data(void *ctx, unsigned stream, const char *buf, size_t len)
{
	(void)ctx;
	(void)stream;
	write_all(1, buf, len);
}

static void on_state(void *ctx, enum src_state state)
{
	char line[64];
	int n = snprintf(line, sizeof line, "state %s\n", state_name(state));

	(void)ctx;
	write_all(2, line, (size_t)n);
}

static void on_closed(void *ctx)
{
	struct cat *c = ctx;

	c->closed = 1;
	for (size_t i = 0; i < sizeof c->sig / sizeof c->sig[0]; i++)
		uv_close((uv_handle_t *)&c->sig[i], NULL);
}

static void on_signal(uv_signal_t *h, int signum)
{
	struct cat *c = h->data;

	if (c->closed)
		return;
	if (signum == SIGUSR1) {
		write_all(2, "paused\n", 7);
		src_pause(c->src);
	} else if (signum == SIGUSR2) {
		write_all(2, "resumed\n", 8);
		src_resume(c->src);
	} else {
		src_stop(c->src);
	}
}

static int usage(void)
{
	fputs("usage: srccat [-f] PATH\n"
	      "       srccat --replay SPEED PATH\n", stderr);
	return 2;
}

int main(int argc, char **argv)
{
	static const struct src_sink sink = {
		.data = on_data,
		.state = on_state,
		.closed = on_closed,
	};
	static const int signums[4] = { SIGINT, SIGTERM, SIGUSR1, SIGUSR2 };
	struct src_error err = { "", 0 };
	struct cat c = { 0 };
	uv_loop_t loop;
	int follow = 0, replay = 0, status = 0;
	double speed = 0;
	const char *path;
	int i = 1;

	if (i < argc && strcmp(argv[i], "-f") == 0) {
		follow = 1;
		i++;
	} else if (i < argc && strcmp(argv[i], "--replay") == 0) {
		char *end;

		if (i + 1 >= argc)
			return usage();
		speed = strtod(argv[i + 1], &end);
		if (*end || end == argv[i + 1])
			return usage();
		i += 2;
		replay = 1;
	}
	if (i + 1 != argc)
		return usage();
	path = argv[i];
	signal(SIGPIPE, SIG_IGN);

	if (uv_loop_init(&loop) != 0)
		return 1;
	c.loop = &loop;
	if (replay)
		c.src = src_replay(&loop, path, speed, &sink, &c, &err);
	else
		c.src = src_open(&loop, path, follow, &sink, &c, &err);
	if (!c.src) {
		fprintf(stderr, "srccat: %s\n", err.msg);
		status = err.status ? err.status : 1;
	} else {
		for (size_t k = 0; k < 4; k++) {
			uv_signal_init(&loop, &c.sig[k]);
			c.sig[k].data = &c;
			uv_signal_start(&c.sig[k], on_signal, signums[k]);
		}
		uv_run(&loop, UV_RUN_DEFAULT);
		if (!c.closed) {
			fprintf(stderr, "srccat: the loop ended before closed()\n");
			status = 1;
		}
		src_free(c.src);
	}
	/* Whatever is left (a source that failed to start closes its
	 * handles on the loop) must drain, and nothing may stay open. */
	uv_run(&loop, UV_RUN_DEFAULT);
	if (uv_loop_close(&loop) != 0) {
		fprintf(stderr, "srccat: handles left open at exit\n");
		uv_print_all_handles(&loop, stderr);
		abort();
	}
	return status;
}
