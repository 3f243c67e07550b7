/*
 * spawn.c - the source that runs the watched program.
 *
 * The program gets our environment with gctrace merged into GODEBUG, our
 * standard input, and two pipes for its stdout and stderr, which are read
 * continuously: a Go program whose stderr pipe is full stops at its next
 * collection.  After it exits, the pipes are drained; if a child of it
 * keeps them open, reading stops once they have been quiet for a moment.
 *
 * The program leads a session and process group of its own (setsid), so
 * that the kernel never signals it behind our back (a terminal signals
 * only its foreground group, and gcwatch's group is that one): every
 * signal it gets from gcwatch's side is one that gcwatch passed on, to the
 * whole group, so that wrappers (go run, sh -c, make) behave as without
 * gcwatch.  Not being in the terminal's session, it reads the terminal on
 * its standard input without SIGTTIN.
 */
#include "sources/source_impl.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* After the program exits: stop reading pipes that were quiet this long,
 * or that still carry data this long after the exit (a grandchild). */
#define DRAIN_QUIET_MS 300
#define DRAIN_MAX_MS 3000
/* The timer that drains, watches a stopping group and sends SIGKILL. */
#define TICK_MS 50
/* After SIGKILL: how long a process of the group (in uninterruptible
 * sleep) is waited for before gcwatch gives up on it. */
#define KILLED_WAIT_MS 2000
#define DEFAULT_GRACE_MS 3000

extern char **environ;

struct spawn;

struct pipe_in {
	uv_pipe_t pipe;
	struct spawn *sp;
	unsigned stream;
	int open, reading;
	char buf[SRC_BUF_SIZE];
};

struct spawn {
	struct src base;
	uv_process_t proc;
	struct pipe_in out, err;
	uv_timer_t drain;
	int proc_open, drain_open, exited, paused, stopping, closed_sent;
	int signalled;   /* a signal that ends programs was passed on, or q */
	int lingering;   /* the leader exited, the rest of its group is waited for */
	int group_gone;  /* kill(-pgid) said ESRCH: never signal that id again */
	int ticking;     /* the drain timer runs */
	uint64_t exit_ms, last_data_ms;
	uint64_t kill_at, killed_ms; /* SIGKILL to the group due, and sent */
	unsigned grace_ms;
	char **env;
};

static void maybe_closed(struct spawn *sp)
{
	if (sp->closed_sent || sp->out.open || sp->err.open || sp->proc_open ||
	    sp->drain_open || (!sp->exited && !sp->stopping))
		return;
	sp->closed_sent = 1;
	src_emit_closed(&sp->base);
}

static void on_handle_closed(uv_handle_t *h)
{
	struct spawn *sp = h->data;

	if (h == (uv_handle_t *)&sp->out.pipe)
		sp->out.open = 0;
	else if (h == (uv_handle_t *)&sp->err.pipe)
		sp->err.open = 0;
	else if (h == (uv_handle_t *)&sp->proc)
		sp->proc_open = 0;
	else if (h == (uv_handle_t *)&sp->drain)
		sp->drain_open = 0;
	maybe_closed(sp);
}

static void close_handle(uv_handle_t *h)
{
	if (!uv_is_closing(h))
		uv_close(h, on_handle_closed);
}

static void close_pipe(struct pipe_in *p)
{
	if (p->open)
		close_handle((uv_handle_t *)&p->pipe);
}

/* Once both pipes are closed and the program has exited, the rest goes. */
static void finish_if_done(struct spawn *sp)
{
	if (!sp->exited || sp->out.open || sp->err.open || sp->lingering)
		return;
	if (sp->proc_open)
		close_handle((uv_handle_t *)&sp->proc);
	if (sp->drain_open)
		close_handle((uv_handle_t *)&sp->drain);
}

static void on_alloc(uv_handle_t *h, size_t suggested, uv_buf_t *buf)
{
	/* The pipe is the first member of its pipe_in. */
	struct pipe_in *p = (struct pipe_in *)h;

	(void)suggested;
	*buf = uv_buf_init(p->buf, sizeof p->buf);
}

static void on_read(uv_stream_t *st, ssize_t nread, const uv_buf_t *buf)
{
	struct pipe_in *p = (struct pipe_in *)st;
	struct spawn *sp = p->sp;

	if (nread > 0) {
		sp->last_data_ms = uv_now(sp->base.loop);
		src_emit_data(&sp->base, p->stream, buf->base, (size_t)nread);
		return;
	}
	if (nread == 0 || nread == UV_EAGAIN)
		return;
	/* UV_EOF or an error: this stream is done. */
	p->reading = 0;
	close_pipe(p);
	finish_if_done(sp);
}

/* Does any process of the program's group still exist?  (Before the
 * leader is reaped, it does.)  Once the answer is no, the id may be
 * reused: it is never signalled again. */
static int group_alive(struct spawn *sp)
{
	if (sp->group_gone || sp->base.pid <= 0)
		return 0;
	if (kill(-sp->base.pid, 0) == 0 || errno == EPERM)
		return 1;
	sp->group_gone = 1;
	return 0;
}

static int group_kill(struct spawn *sp, int signum)
{
	if (!group_alive(sp))
		return UV_ESRCH;
	if (kill(-sp->base.pid, signum) == 0)
		return 0;
	if (errno == ESRCH)
		sp->group_gone = 1;
	return uv_translate_sys_error(errno);
}

static void on_drain_tick(uv_timer_t *t);

static void tick_start(struct spawn *sp)
{
	if (!sp->ticking && sp->drain_open) {
		uv_timer_start(&sp->drain, on_drain_tick, TICK_MS, TICK_MS);
		sp->ticking = 1;
	}
}

static void on_drain_tick(uv_timer_t *t)
{
	struct spawn *sp = t->data;
	uint64_t now = uv_now(sp->base.loop);

	/* Stopping: what is left of the group when the grace is over. */
	if (sp->kill_at && !sp->killed_ms && now >= sp->kill_at && group_alive(sp)) {
		group_kill(sp, SIGKILL);
		sp->killed_ms = now;
	}
	if (sp->lingering) {
		if (group_alive(sp) && !(sp->killed_ms && now - sp->killed_ms >= KILLED_WAIT_MS))
			return; /* its output is still read meanwhile */
		sp->lingering = 0;
		sp->exit_ms = now; /* the drain below counts from here */
	}
	if (!sp->exited)
		return;
	if (now - sp->last_data_ms >= DRAIN_QUIET_MS || now - sp->exit_ms >= DRAIN_MAX_MS) {
		close_pipe(&sp->out);
		close_pipe(&sp->err);
	}
	finish_if_done(sp);
}

static void on_proc_exit(uv_process_t *proc, int64_t status, int term_signal)
{
	struct spawn *sp = proc->data;

	sp->exited = 1;
	sp->exit_ms = uv_now(sp->base.loop);
	src_emit_exit(&sp->base, status, term_signal);
	src_set_state(&sp->base, SRC_EXITED);
	/* The program is being stopped: the rest of its group (go run's
	 * program, sh -c's children) gets the grace to follow the leader,
	 * then SIGKILL; gcwatch leaves none of it behind.  Otherwise a
	 * grandchild is not waited for (it may be a daemon). */
	if (sp->signalled && group_alive(sp)) {
		sp->lingering = 1;
		if (!sp->kill_at)
			sp->kill_at = sp->exit_ms + sp->grace_ms;
	}
	if (sp->out.open || sp->err.open || sp->lingering)
		tick_start(sp); /* drain what the pipes hold */
	finish_if_done(sp);
}

/* The environment with GODEBUG's one entry carrying gctrace=N. */
static char **make_env(int gctrace)
{
	size_t n = 0;
	char **env;
	int done = 0;

	while (environ[n])
		n++;
	env = calloc(n + 2, sizeof *env);
	if (!env)
		return NULL;
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		if (strncmp(environ[i], "GODEBUG=", 8) != 0) {
			env[k++] = environ[i];
			continue;
		}
		/* The runtime reads the first GODEBUG only; later ones go. */
		if (done)
			continue;
		const char *old = environ[i] + 8;
		size_t len = strlen(old) + 40;
		char *e = malloc(len);
		if (!e)
			goto fail;
		snprintf(e, len, "GODEBUG=%s%sgctrace=%d", old, *old ? "," : "", gctrace);
		env[k++] = e;
		done = 1;
	}
	if (!done) {
		char *e = malloc(40);
		if (!e)
			goto fail;
		snprintf(e, 40, "GODEBUG=gctrace=%d", gctrace);
		env[k++] = e;
	}
	env[k] = NULL;
	return env;
fail:
	free(env);
	return NULL;
}

static void free_env(char **env)
{
	if (!env)
		return;
	for (size_t i = 0; env[i]; i++)
		if (strncmp(env[i], "GODEBUG=", 8) == 0)
			free(env[i]); /* ours; the others belong to environ */
	free(env);
}

static void read_start(struct pipe_in *p)
{
	if (p->open && !p->reading && !uv_is_closing((uv_handle_t *)&p->pipe) &&
	    uv_read_start((uv_stream_t *)&p->pipe, on_alloc, on_read) == 0)
		p->reading = 1;
}

static void read_stop(struct pipe_in *p)
{
	if (p->open && p->reading) {
		uv_read_stop((uv_stream_t *)&p->pipe);
		p->reading = 0;
	}
}

static void spawn_stop(struct src *s)
{
	struct spawn *sp = (struct spawn *)s;

	sp->stopping = 1;
	close_pipe(&sp->out);
	close_pipe(&sp->err);
	if (sp->proc_open)
		close_handle((uv_handle_t *)&sp->proc);
	if (sp->drain_open)
		close_handle((uv_handle_t *)&sp->drain);
	maybe_closed(sp);
}

static void spawn_pause(struct src *s)
{
	struct spawn *sp = (struct spawn *)s;

	sp->paused = 1;
	read_stop(&sp->out);
	read_stop(&sp->err);
}

static void spawn_resume(struct src *s)
{
	struct spawn *sp = (struct spawn *)s;

	sp->paused = 0;
	read_start(&sp->out);
	read_start(&sp->err);
}

static void spawn_close_stream(struct src *s, unsigned stream)
{
	struct spawn *sp = (struct spawn *)s;

	close_pipe(stream == SRC_STREAM_OUT ? &sp->out : &sp->err);
	finish_if_done(sp);
}

static int spawn_kill(struct src *s, int signum)
{
	struct spawn *sp = (struct spawn *)s;

	if (signum == SIGTERM || signum == SIGINT || signum == SIGHUP ||
	    signum == SIGQUIT || signum == SIGKILL)
		sp->signalled = 1;
	return group_kill(sp, signum);
}

static void spawn_terminate(struct src *s)
{
	struct spawn *sp = (struct spawn *)s;

	if (sp->stopping)
		return;
	if (!group_alive(sp)) {
		spawn_stop(s);
		return;
	}
	if (!sp->kill_at) {
		group_kill(sp, SIGTERM);
		sp->signalled = 1;
		sp->kill_at = uv_now(sp->base.loop) + sp->grace_ms;
		if (sp->exited)
			sp->lingering = 1;
	}
	tick_start(sp);
}

static void spawn_free(struct src *s)
{
	struct spawn *sp = (struct spawn *)s;

	free_env(sp->env);
	free(sp);
}

static const struct src_ops spawn_ops = {
	.name = "command",
	.stop = spawn_stop,
	.pause = spawn_pause,
	.resume = spawn_resume,
	.kill = spawn_kill,
	.terminate = spawn_terminate,
	.close_stream = spawn_close_stream,
	.free = spawn_free,
};

struct src *src_spawn(uv_loop_t *loop, char *const *argv,
                      const struct src_spawn_opts *opts,
                      const struct src_sink *sink, void *ctx,
                      struct src_error *err)
{
	struct spawn *sp = calloc(1, sizeof *sp);
	uv_process_options_t po;
	uv_stdio_container_t stdio[3];
	int rc;

	if (!sp || !(sp->env = make_env(opts ? opts->gctrace : 1))) {
		free(sp);
		src_fail(err, 1, "out of memory");
		return NULL;
	}
	src_init(&sp->base, &spawn_ops, loop, sink, ctx);
	struct pipe_in *pipes[2] = {&sp->out, &sp->err};
	for (int i = 0; i < 2; i++) {
		pipes[i]->sp = sp;
		pipes[i]->stream = i == 0 ? SRC_STREAM_OUT : SRC_STREAM_ERR;
		uv_pipe_init(loop, &pipes[i]->pipe, 0);
		pipes[i]->pipe.data = sp;
		pipes[i]->open = 1;
	}
	uv_timer_init(loop, &sp->drain);
	sp->drain.data = sp;
	sp->drain_open = 1;
	sp->grace_ms = opts && opts->grace_ms ? opts->grace_ms : DEFAULT_GRACE_MS;

	/* Real pipes (UV_CREATE_PIPE would give socketpairs, and a program
	 * could not open /dev/stdout or /dev/stderr). */
	uv_file fds[2][2] = {{-1, -1}, {-1, -1}};
	if ((rc = uv_pipe(fds[0], UV_NONBLOCK_PIPE, 0)) != 0 ||
	    (rc = uv_pipe(fds[1], UV_NONBLOCK_PIPE, 0)) != 0 ||
	    (rc = uv_pipe_open(&sp->out.pipe, fds[0][0])) != 0 ||
	    (rc = uv_pipe_open(&sp->err.pipe, fds[1][0])) != 0) {
		src_fail(err, 1, "cannot make pipes: %s", uv_strerror(rc));
		for (int i = 0; i < 2; i++)
			for (int j = 0; j < 2; j++)
				if (fds[i][j] >= 0)
					close(fds[i][j]);
		goto undo;
	}
	memset(&po, 0, sizeof po);
	if (opts && opts->stdin_null) {
		stdio[0].flags = UV_IGNORE; /* libuv opens /dev/null */
	} else {
		stdio[0].flags = UV_INHERIT_FD;
		stdio[0].data.fd = 0;
	}
	stdio[1].flags = UV_INHERIT_FD;
	stdio[1].data.fd = fds[0][1];
	stdio[2].flags = UV_INHERIT_FD;
	stdio[2].data.fd = fds[1][1];
	/* A session and process group of its own (see the top). */
	po.flags |= UV_PROCESS_DETACHED;
	po.file = argv[0];
	po.args = (char **)argv;
	po.env = sp->env;
	po.stdio = stdio;
	po.stdio_count = 3;
	po.exit_cb = on_proc_exit;
	sp->proc.data = sp;
	rc = uv_spawn(loop, &sp->proc, &po);
	/* The write ends are the program's now. */
	close(fds[0][1]);
	close(fds[1][1]);
	if (rc) {
		/* As env(1) and timeout(1): 127 not found, 126 cannot run. */
		int status = rc == UV_ENOENT ? 127 : 126;
		src_fail(err, status, "cannot run '%s': %s", argv[0],
		         rc == UV_ENOENT ? "command not found" : uv_strerror(rc));
		uv_close((uv_handle_t *)&sp->proc, NULL); /* initialised even so */
undo:
		/* The handles were initialised: close them, then free. */
		sp->stopping = 1;
		sp->closed_sent = 1; /* nobody is told: the caller gets NULL */
		uv_close((uv_handle_t *)&sp->out.pipe, NULL);
		uv_close((uv_handle_t *)&sp->err.pipe, NULL);
		uv_close((uv_handle_t *)&sp->drain, NULL);
		uv_run(loop, UV_RUN_NOWAIT);
		free_env(sp->env);
		free(sp);
		return NULL;
	}
	sp->proc_open = 1;
	sp->base.pid = sp->proc.pid;
	sp->last_data_ms = uv_now(loop);
	read_start(&sp->out);
	read_start(&sp->err);
	src_set_state(&sp->base, SRC_RUNNING);
	return &sp->base;
}
