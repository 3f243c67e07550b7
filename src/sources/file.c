/*
 * file.c - a path or standard input as a source (src_open).
 *
 * The reader is chosen by what the descriptor is (STYLE.md 9):
 *
 *   - a regular file (or another seekable or character device) is read
 *     with uv_fs_read in libuv's threadpool, one request at a time into the
 *     source's one buffer.  uv_pipe_open would abort on it (libuv #281).
 *     Followed, it is watched with uv_fs_event (prompt) and uv_fs_poll
 *     (a fallback that also sees a new file at the path), like tail -F;
 *   - a fifo, a pipe or a socket is a uv_pipe_t read with uv_read_start.
 *     A followed fifo whose last writer went away waits for the next one
 *     with a blocking open(2) in the threadpool, so the loop never spins
 *     on the hang-up.
 *
 * Every handle is counted when initialised and uncounted in its close
 * callback; closed() is sent once when the count is zero and no request is
 * in flight.  A timer handle lives as long as the source, so closed()
 * always comes from a callback, never from inside src_stop.
 */
#include "sources/source_impl.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* How often a followed file's path is checked for growth, truncation and
 * rotation when inotify has nothing to say (it misses a new file). */
#define INPUT_POLL_MS 250

/* How often src_stop retries waking the thread blocked opening a fifo. */
#define INPUT_UNBLOCK_MS 10

/* The one threadpool request a source may have in flight. */
enum input_op {
	OP_NONE = 0,
	OP_READ,       /* file: read at offset */
	OP_FSTAT,      /* file at its end: truncated? */
	OP_STAT,       /* file at its end: another file at the path? */
	OP_OPEN,       /* file: open the (new) file at the path */
	OP_FIFO_OPEN,  /* fifo: blocking open, done when a writer comes */
};

struct input {
	struct src base;
	char *path;          /* NULL for standard input */
	const char *watch;   /* the path watched when following */
	int follow;
	int is_file;         /* read with uv_fs_read; otherwise a stream */
	int is_fifo;         /* a named fifo that can be opened again */
	int seekable;        /* a regular file: offsets, truncation, rotation */
	int fd;              /* file: the open file, -1 while there is none */
	int own_fd;          /* fd is ours to close (not standard input) */
	int stdin_flags;     /* standard input's file status flags, restored */
	int64_t offset;      /* file: where the next read starts */
	uint64_t dev, ino;   /* file: what fd is, to notice rotation */

	enum input_op op;
	uv_fs_t req;
	uv_timer_t timer;    /* start, resume, unblocking a fifo open */
	uv_fs_poll_t poll;
	uv_fs_event_t event;
	int poll_on, event_on;
	uv_pipe_t *pipe;     /* stream: the connection being read */

	int paused, stopping, closed_sent;
	int orphan;          /* src_open failed: free at the end, no closed() */
	int started;         /* the start callback ran */
	int rotated;         /* another file is at the path: drain, then switch */
	int need_go;         /* file: a read chain must start when it can */
	int fifo_waiting;    /* fifo: pipe idle, a blocking open in flight */
	size_t held;         /* file: bytes read while paused, not yet sent */
	int handles;         /* initialised handles not yet closed */
	char buf[SRC_BUF_SIZE];
};

static void file_go(struct input *in);
static void on_fs(uv_fs_t *req);

/* ------------------------------------------------------------------ */
/* Closing */

static void try_closed(struct input *in)
{
	if (!in->stopping || in->closed_sent || in->handles || in->op != OP_NONE)
		return;
	if (in->fd >= 0 && in->own_fd)
		close(in->fd);
	in->fd = -1;
	if (in->stdin_flags >= 0)
		(void)fcntl(0, F_SETFL, in->stdin_flags);
	in->closed_sent = 1;
	if (in->orphan) {
		free(in->path);
		free(in);
		return;
	}
	/* The sink may free the source: nothing after this. */
	src_emit_closed(&in->base);
}

static void on_handle_closed(uv_handle_t *h)
{
	struct input *in = h->data;

	in->handles--;
	try_closed(in);
}

static void on_pipe_closed(uv_handle_t *h)
{
	struct input *in = h->data;

	free(h);
	in->handles--;
	try_closed(in);
}

static void close_pipe(struct input *in)
{
	if (!in->pipe)
		return;
	uv_read_stop((uv_stream_t *)in->pipe);
	uv_close((uv_handle_t *)in->pipe, on_pipe_closed);
	in->pipe = NULL;
}

/*
 * A fifo open blocked in the threadpool cannot be cancelled: give it the
 * writer it waits for.  Open the path and, in case the fifo was unlinked
 * or replaced meanwhile, the inode we still hold.  The thread may not have
 * entered open(2) yet, so this repeats until the request completes.
 */
static void poke_fifo(struct input *in)
{
	char proc[64];
	int fd;

	fd = open(in->path, O_WRONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd >= 0)
		close(fd);
	if (in->pipe) {
		uv_os_fd_t old;

		if (uv_fileno((uv_handle_t *)in->pipe, &old) == 0) {
			snprintf(proc, sizeof proc, "/proc/self/fd/%d", (int)old);
			fd = open(proc, O_WRONLY | O_NONBLOCK | O_CLOEXEC);
			if (fd >= 0)
				close(fd);
		}
	}
}

static void on_unblock_timer(uv_timer_t *t)
{
	struct input *in = t->data;

	if (in->op == OP_FIFO_OPEN)
		poke_fifo(in);
}

/* Stop reading and close everything; closed() follows. */
static void begin_close(struct input *in)
{
	if (in->stopping)
		return;
	in->stopping = 1;
	if (in->poll_on) {
		uv_close((uv_handle_t *)&in->poll, on_handle_closed);
		in->poll_on = 0;
	}
	if (in->event_on) {
		uv_close((uv_handle_t *)&in->event, on_handle_closed);
		in->event_on = 0;
	}
	if (in->op != OP_NONE)
		uv_cancel((uv_req_t *)&in->req);
	if (in->op == OP_FIFO_OPEN) {
		/* Still running (uv_cancel could not take it back): the
		 * timer pokes until the open returns.  on_fifo_open closes
		 * the timer and the idle pipe, whose inode the pokes use. */
		poke_fifo(in);
		uv_timer_start(&in->timer, on_unblock_timer,
		               INPUT_UNBLOCK_MS, INPUT_UNBLOCK_MS);
		return;
	}
	close_pipe(in);
	uv_close((uv_handle_t *)&in->timer, on_handle_closed);
}

/* The input ended: EOF, then close. */
static void input_end(struct input *in)
{
	if (in->stopping)
		return;
	src_set_state(&in->base, SRC_EOF);
	begin_close(in);
}

/* ------------------------------------------------------------------ */
/* Regular files */

static void file_request(struct input *in, enum input_op op)
{
	uv_buf_t iov;
	int r;

	in->op = op;
	in->req.data = in;
	switch (op) {
	case OP_READ:
		iov = uv_buf_init(in->buf, sizeof in->buf);
		r = uv_fs_read(in->base.loop, &in->req, in->fd, &iov, 1,
		               in->seekable ? in->offset : -1, on_fs);
		break;
	case OP_FSTAT:
		r = uv_fs_fstat(in->base.loop, &in->req, in->fd, on_fs);
		break;
	case OP_STAT:
		r = uv_fs_stat(in->base.loop, &in->req, in->path, on_fs);
		break;
	case OP_OPEN:
		r = uv_fs_open(in->base.loop, &in->req, in->path,
		               O_RDONLY | O_NONBLOCK | O_NOCTTY, 0, on_fs);
		break;
	default:
		r = UV_EINVAL;
		break;
	}
	if (r < 0) {
		/* Only bad arguments fail here: give up on the input. */
		in->op = OP_NONE;
		input_end(in);
	}
}

/* Read on, unless paused: then resuming starts the chain again. */
static void file_read(struct input *in)
{
	if (in->paused) {
		in->need_go = 1;
		return;
	}
	file_request(in, OP_READ);
}

/* Start a chain: read the file, or open the one at the path. */
static void file_go(struct input *in)
{
	in->need_go = 0;
	if (in->fd >= 0)
		file_read(in);
	else if (in->paused)
		in->need_go = 1;
	else
		file_request(in, OP_OPEN);
}

/* Nothing more to read for now: wait for the watchers, unless one fired
 * while the chain ran. */
static void file_wait(struct input *in)
{
	if (in->need_go && !in->paused) {
		file_go(in);
		return;
	}
	src_set_state(&in->base, SRC_WAITING);
}

static void on_watch_event(struct input *in)
{
	if (in->stopping)
		return;
	/* Bytes held over a pause go out first (on_start): reading on
	 * before that would reorder them. */
	if (in->op != OP_NONE || in->paused || in->held) {
		in->need_go = 1;
		return;
	}
	file_go(in);
}

static void on_fs_poll(uv_fs_poll_t *h, int status, const uv_stat_t *prev,
                       const uv_stat_t *curr)
{
	on_watch_event(h->data);
}

static void on_fs_event(uv_fs_event_t *h, const char *name, int events,
                        int status)
{
	on_watch_event(h->data);
}

/* inotify watches the inode at the path: aim it again after a switch.  A
 * path that is missing now is seen by the poll when it comes back. */
static void watch_event(struct input *in)
{
	if (!in->event_on) {
		if (uv_fs_event_init(in->base.loop, &in->event) != 0)
			return;
		in->event.data = in;
		in->event_on = 1;
		in->handles++;
	} else {
		uv_fs_event_stop(&in->event);
	}
	(void)uv_fs_event_start(&in->event, on_fs_event, in->watch, 0);
}

static void file_start_watching(struct input *in)
{
	if (uv_fs_poll_init(in->base.loop, &in->poll) == 0) {
		in->poll.data = in;
		in->poll_on = 1;
		in->handles++;
		(void)uv_fs_poll_start(&in->poll, on_fs_poll, in->watch,
		                       INPUT_POLL_MS);
	}
	watch_event(in);
}

/* A read returned 0: the end, or for a followed file the end for now. */
static void file_at_end(struct input *in)
{
	if (!in->follow || !in->seekable) {
		input_end(in);
		return;
	}
	if (in->rotated) {
		/* The old file is drained: go on with the new one. */
		in->rotated = 0;
		if (in->own_fd)
			close(in->fd);
		in->fd = -1;
		in->own_fd = 1;
		file_go(in);
		return;
	}
	file_request(in, OP_FSTAT);
}

static void file_opened(struct input *in, int fd)
{
	struct stat st;

	if (fd <= STDERR_FILENO) {
		/* libuv and we treat 0-2 as not ours: keep off them. */
		int nfd = fcntl(fd, F_DUPFD_CLOEXEC, STDERR_FILENO + 1);

		close(fd);
		fd = nfd;
		if (fd < 0) {
			file_wait(in);
			return;
		}
	}
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		/* Something else took the path's place: wait for a file. */
		close(fd);
		file_wait(in);
		return;
	}
	in->fd = fd;
	in->own_fd = 1;
	in->offset = 0;
	in->dev = st.st_dev;
	in->ino = st.st_ino;
	watch_event(in);
	file_read(in);
}

static void on_fs(uv_fs_t *req)
{
	struct input *in = req->data;
	enum input_op op = in->op;
	ssize_t r = req->result;
	uv_stat_t st = req->statbuf;

	uv_fs_req_cleanup(req);
	in->op = OP_NONE;

	if (in->stopping) {
		if (op == OP_OPEN && r >= 0)
			close((int)r);
		try_closed(in);
		return;
	}

	switch (op) {
	case OP_READ:
		if (r > 0) {
			if (in->seekable)
				in->offset += r;
			src_set_state(&in->base, SRC_RUNNING);
			if (in->paused) {
				in->held = (size_t)r;
				in->need_go = 1;
				return;
			}
			src_emit_data(&in->base, SRC_STREAM_OUT, in->buf, (size_t)r);
			/* data() may have stopped or paused us. */
			if (in->stopping)
				try_closed(in);
			else
				file_read(in);
		} else if (r == 0) {
			file_at_end(in);
		} else if (r == UV_EAGAIN || r == UV_EINTR) {
			/* A device with nothing for now: the watchers or
			 * the next resume try again. */
			if (in->follow)
				file_wait(in);
			else
				input_end(in);
		} else {
			/* A read error (EIO) is not the end of the file: the
			 * caller reports it. */
			in->base.read_err = (int)-r;
			input_end(in);
		}
		break;
	case OP_FSTAT:
		if (r < 0) {
			input_end(in);
		} else if ((int64_t)st.st_size < in->offset) {
			/* Truncated: what is there now is new. */
			in->offset = 0;
			file_read(in);
		} else if (in->path) {
			file_request(in, OP_STAT);
		} else {
			file_wait(in);
		}
		break;
	case OP_STAT:
		if (r == 0 && (st.st_ino != in->ino || st.st_dev != in->dev)) {
			/* Rotated: finish the old file, then switch. */
			in->rotated = 1;
			file_read(in);
		} else {
			/* The same file, or no file at the path for now
			 * (the old one is still read as it grows). */
			file_wait(in);
		}
		break;
	case OP_OPEN:
		if (r < 0)
			file_wait(in); /* gone again: wait for it */
		else
			file_opened(in, (int)r);
		break;
	case OP_FIFO_OPEN: /* on_fifo_open */
	case OP_NONE:
		break;
	}
}

/* ------------------------------------------------------------------ */
/* Fifos, pipes and sockets */

static void on_alloc(uv_handle_t *h, size_t suggested, uv_buf_t *buf)
{
	struct input *in = h->data;

	*buf = uv_buf_init(in->buf, sizeof in->buf);
}

static void on_fifo_open(uv_fs_t *req);

/*
 * The last writer of a followed fifo went away.  Reading on would report
 * the hang-up again at once, so stop, and open the fifo again with a
 * blocking open(2) in the threadpool: it returns when a writer comes.
 */
static void fifo_wait_writer(struct input *in)
{
	int r;

	/* The idle pipe stays open until the new one is: the fifo keeps a
	 * reader, so a writer coming meanwhile neither fails nor loses its
	 * first bytes. */
	uv_read_stop((uv_stream_t *)in->pipe);
	in->fifo_waiting = 1;
	src_set_state(&in->base, SRC_WAITING);
	in->op = OP_FIFO_OPEN;
	in->req.data = in;
	r = uv_fs_open(in->base.loop, &in->req, in->path, O_RDONLY | O_NOCTTY,
	               0, on_fifo_open);
	if (r < 0) {
		in->op = OP_NONE;
		input_end(in);
	}
}

static void on_read(uv_stream_t *stream, ssize_t nread, const uv_buf_t *buf)
{
	struct input *in = stream->data;

	if (nread > 0) {
		src_set_state(&in->base, SRC_RUNNING);
		src_emit_data(&in->base, SRC_STREAM_OUT, buf->base, (size_t)nread);
		return;
	}
	if (nread == 0 || nread == UV_EAGAIN || nread == UV_EINTR)
		return; /* nothing this time; not the end */
	if (nread == UV_EOF && in->is_fifo && in->follow && !in->stopping) {
		fifo_wait_writer(in);
		return;
	}
	if (nread != UV_EOF)
		in->base.read_err = (int)-nread;
	input_end(in);
}

static int stream_attach(struct input *in, int fd)
{
	uv_pipe_t *p = malloc(sizeof *p);
	int r;

	if (!p)
		return UV_ENOMEM;
	r = uv_pipe_init(in->base.loop, p, 0);
	if (r < 0) {
		free(p);
		return r;
	}
	p->data = in;
	in->handles++;
	in->pipe = p;
	r = uv_pipe_open(p, fd);
	if (r < 0) {
		/* The handle holds no fd yet: the caller closes it. */
		close_pipe(in);
		return r;
	}
	return 0;
}

static void stream_read_start(struct input *in)
{
	if (!in->pipe || in->paused || in->fifo_waiting || in->stopping)
		return;
	if (uv_read_start((uv_stream_t *)in->pipe, on_alloc, on_read) < 0)
		input_end(in);
}

/* The blocking open of a followed fifo returned: a writer is there. */
static void on_fifo_open(uv_fs_t *req)
{
	struct input *in = req->data;
	ssize_t r = req->result;
	struct stat st;
	int fd;

	uv_fs_req_cleanup(req);
	in->op = OP_NONE;
	if (in->stopping) {
		if (r >= 0)
			close((int)r);
		close_pipe(in);
		uv_close((uv_handle_t *)&in->timer, on_handle_closed);
		try_closed(in);
		return;
	}
	if (r < 0) {
		/* The fifo went away: nothing more can come. */
		input_end(in);
		return;
	}
	fd = (int)r;
	if (fd <= STDERR_FILENO) {
		int nfd = fcntl(fd, F_DUPFD_CLOEXEC, STDERR_FILENO + 1);

		close(fd);
		if (nfd < 0) {
			input_end(in);
			return;
		}
		fd = nfd;
	}
	if (fstat(fd, &st) != 0 || !S_ISFIFO(st.st_mode)) {
		/* Not a fifo any more: a pipe handle would abort on it. */
		close(fd);
		input_end(in);
		return;
	}
	close_pipe(in);
	in->fifo_waiting = 0;
	if (stream_attach(in, fd) < 0) {
		close(fd);
		input_end(in);
		return;
	}
	src_set_state(&in->base, SRC_RUNNING);
	stream_read_start(in);
}

/* ------------------------------------------------------------------ */
/* The ops */

static void on_start(uv_timer_t *t)
{
	struct input *in = t->data;

	if (in->stopping)
		return;
	if (!in->started) {
		in->started = 1;
		if (in->is_file) {
			src_set_state(&in->base, SRC_RUNNING);
			if (in->follow && in->seekable)
				file_start_watching(in);
		} else {
			/* A fifo may have no writer yet: running once bytes
			 * come. */
			src_set_state(&in->base, in->is_fifo ? SRC_WAITING
			                                      : SRC_RUNNING);
		}
	}
	if (in->paused)
		return;
	if (in->is_file) {
		if (in->held) {
			size_t n = in->held;

			in->held = 0;
			src_emit_data(&in->base, SRC_STREAM_OUT, in->buf, n);
			if (in->stopping || in->paused)
				return;
		}
		if (in->need_go && in->op == OP_NONE)
			file_go(in);
	} else {
		stream_read_start(in);
	}
}

static void input_stop(struct src *s)
{
	begin_close((struct input *)s);
}

static void input_pause(struct src *s)
{
	struct input *in = (struct input *)s;

	if (in->paused || in->stopping)
		return;
	in->paused = 1;
	if (in->pipe && !in->fifo_waiting)
		uv_read_stop((uv_stream_t *)in->pipe);
}

/* Resuming goes through the timer so that data() is never called from
 * inside src_resume. */
static void input_resume(struct src *s)
{
	struct input *in = (struct input *)s;

	if (!in->paused || in->stopping)
		return;
	in->paused = 0;
	uv_timer_start(&in->timer, on_start, 0, 0);
}

static void input_free(struct src *s)
{
	struct input *in = (struct input *)s;

	free(in->path);
	free(in);
}

static const struct src_ops input_ops = {
	.name = "input",
	.stop = input_stop,
	.pause = input_pause,
	.resume = input_resume,
	.kill = NULL,
	.free = input_free,
};

/* ------------------------------------------------------------------ */
/* Opening */

/* Open PATH without blocking (a fifo with no writer) and keep off 0-2. */
static int open_path(const char *path)
{
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);

	if (fd >= 0 && fd <= STDERR_FILENO) {
		int nfd = fcntl(fd, F_DUPFD_CLOEXEC, STDERR_FILENO + 1);
		int e = errno;

		close(fd);
		fd = nfd;
		errno = e;
	}
	return fd;
}

struct src *src_open(uv_loop_t *loop, const char *path, int follow,
                     const struct src_sink *sink, void *ctx,
                     struct src_error *err)
{
	int is_stdin = !path || strcmp(path, "-") == 0;
	const char *name = is_stdin ? "standard input" : path;
	struct input *in;
	struct stat st;
	int fd, r;

	if (is_stdin) {
		fd = 0;
		if (fstat(fd, &st) != 0) {
			src_fail(err, 1, "cannot read standard input: %s",
			         strerror(errno));
			return NULL;
		}
		if (isatty(fd)) {
			src_fail(err, 1, "standard input is a terminal");
			return NULL;
		}
	} else {
		fd = open_path(path);
		if (fd < 0) {
			src_fail(err, 1, "cannot open '%s': %s", path,
			         strerror(errno));
			return NULL;
		}
		if (fstat(fd, &st) != 0) {
			src_fail(err, 1, "cannot read '%s': %s", path,
			         strerror(errno));
			close(fd);
			return NULL;
		}
		if (isatty(fd)) {
			src_fail(err, 1, "cannot read '%s': it is a terminal",
			         path);
			close(fd);
			return NULL;
		}
	}
	if (S_ISDIR(st.st_mode)) {
		src_fail(err, 1, "cannot read '%s': Is a directory", name);
		goto fail_fd;
	}
	if (S_ISSOCK(st.st_mode) && uv_guess_handle(fd) == UV_UDP) {
		src_fail(err, 1, "cannot read '%s': a datagram socket", name);
		goto fail_fd;
	}

	in = calloc(1, sizeof *in);
	if (!in || (!is_stdin && !(in->path = strdup(path)))) {
		free(in);
		src_fail(err, 1, "cannot read '%s': out of memory", name);
		goto fail_fd;
	}
	src_init(&in->base, &input_ops, loop, sink, ctx);
	in->follow = follow;
	in->fd = -1;
	in->stdin_flags = -1;
	in->own_fd = !is_stdin;
	in->op = OP_NONE;

	r = uv_timer_init(loop, &in->timer);
	if (r < 0) {
		src_fail(err, 1, "cannot read '%s': %s", name, uv_strerror(r));
		free(in->path);
		free(in);
		goto fail_fd;
	}
	in->timer.data = in;
	in->handles++;

	if (S_ISFIFO(st.st_mode) || S_ISSOCK(st.st_mode)) {
		/* Streams.  libuv makes the fd non-blocking; for standard
		 * input, whose description other processes share, the flags
		 * are put back at the end. */
		if (is_stdin)
			in->stdin_flags = fcntl(0, F_GETFL);
		in->is_fifo = !is_stdin && S_ISFIFO(st.st_mode);
		r = stream_attach(in, fd);
		if (r < 0) {
			src_fail(err, 1, "cannot read '%s': %s", name,
			         uv_strerror(r));
			if (!is_stdin)
				close(fd);
			goto fail_in;
		}
	} else {
		/* Regular files and devices: the threadpool.  Reads block
		 * (a regular file ignores O_NONBLOCK; a device would spin
		 * on EAGAIN). */
		int fl = fcntl(fd, F_GETFL);

		if (!is_stdin && fl >= 0)
			(void)fcntl(fd, F_SETFL, fl & ~O_NONBLOCK);
		in->is_file = 1;
		in->need_go = 1;
		in->fd = fd;
		in->seekable = S_ISREG(st.st_mode);
		in->dev = st.st_dev;
		in->ino = st.st_ino;
		if (is_stdin && in->seekable) {
			/* Start where the shell left standard input. */
			off_t at = lseek(0, 0, SEEK_CUR);

			in->offset = at > 0 ? (int64_t)at : 0;
		}
		in->watch = is_stdin ? "/proc/self/fd/0" : in->path;
	}

	r = uv_timer_start(&in->timer, on_start, 0, 0);
	if (r < 0) {
		src_fail(err, 1, "cannot read '%s': %s", name, uv_strerror(r));
		goto fail_in;
	}
	return &in->base;

fail_in:
	/* Handles were initialised: close them on the loop and let the
	 * close callbacks free the source; the caller never sees it. */
	in->orphan = 1;
	begin_close(in);
	return NULL;

fail_fd:
	if (!is_stdin)
		close(fd);
	return NULL;
}
