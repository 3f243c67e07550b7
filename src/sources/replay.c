/*
 * replay.c - a recording read at the pace of its own "@…s" times
 * (src_replay).
 *
 * The bytes go out unchanged and in order; only when they go out changes.
 * The rule: a gc line that carries a time ("gc N @T.TTTs", at the start of
 * a line or after a space, as behind a log prefix) goes out when its time
 * has come, together with everything after it up to the next timed gc
 * line.  So text before the first gc line goes out at once, and the
 * program's lines between two collections go out with the collection
 * before them, which is when they were written in the recording as near
 * as the recording can tell.
 *
 * Times: the first timed gc line goes out at once; a later one goes out
 * when (its time - the first time) / speed has passed since then.  A time
 * that goes backwards (a new process on the stream numbers and times from
 * zero again) counts from the time before it, so each step waits for the
 * positive differences alone.  Pausing the source stops the clock.
 *
 * Memory is one buffer: a line of up to GCTRACE_LINE_MAX bytes plus one
 * read.  A longer line is passed on in pieces and never counts as timed.
 */
#include "sources/source_impl.h"

/* The longest wait between two gc lines, in trace time. */
#define REPLAY_MAX_GAP_MS (10 * 60 * 1000)

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "trace/gctrace.h"

#define REPLAY_BUF (GCTRACE_LINE_MAX + SRC_BUF_SIZE)

struct replay {
	struct src base;
	int fd;
	int own_fd;
	int64_t offset;      /* where the next read starts */
	double speed;

	uv_fs_t req;
	int reading;         /* req is in flight */
	uv_timer_t timer;    /* start, the next line's time, resume */
	int handles;

	int paused, stopping, closed_sent, eof;
	int orphan;          /* src_replay failed: free at the end */

	/* The recording's clock. */
	int have_first;      /* the first timed line went out */
	int64_t prev_at;     /* time of the last timed line, ms */
	int64_t virt_ms;     /* recording time since the first line, ms */
	uint64_t start;      /* uv_now() when the first line went out */
	uint64_t paused_at;

	/* buf[0, sent) went out; [sent, pos) is due and goes out next;
	 * [pos, len) is not scanned yet.  pos is always a line start, except
	 * inside an over-long line (in_long). */
	size_t sent, pos, len;
	int in_long;
	char buf[REPLAY_BUF];
};

static void replay_advance(struct replay *rp);

/* ------------------------------------------------------------------ */
/* Finding times */

static size_t digits(const char *s, size_t n, size_t i)
{
	size_t j = i;

	while (j < n && s[j] >= '0' && s[j] <= '9')
		j++;
	return j - i;
}

/* "gc N @S.FFFs" at s[k..n): the time in ms, or -1. */
static int64_t time_at(const char *s, size_t n, size_t k)
{
	size_t i = k + 3, d;
	int64_t ms = 0;

	d = digits(s, n, i);
	if (d == 0 || i + d + 2 > n || s[i + d] != ' ' || s[i + d + 1] != '@')
		return -1;
	i += d + 2;
	d = digits(s, n, i);
	if (d == 0 || d > 12 || i + d >= n || s[i + d] != '.')
		return -1;
	for (size_t j = 0; j < d; j++)
		ms = ms * 10 + (s[i + j] - '0');
	i += d + 1;
	d = digits(s, n, i);
	if (d == 0 || i + d >= n || s[i + d] != 's')
		return -1;
	/* The runtime prints three decimals; take them as milliseconds. */
	for (size_t j = 0; j < 3; j++)
		ms = ms * 10 + (j < d ? s[i + j] - '0' : 0);
	return ms;
}

/* The time of a gc line, in ms, or -1 when the line has none.  The line
 * starts with "gc N @", or has it after a space (behind a log prefix). */
static int64_t line_time(const char *s, size_t n)
{
	for (size_t k = 0; k + 3 <= n;) {
		const char *p = memmem(s + k, n - k, "gc ", 3);
		size_t at;

		if (!p)
			break;
		at = (size_t)(p - s);
		if (at == 0 || s[at - 1] == ' ' || s[at - 1] == '\t') {
			int64_t ms = time_at(s, n, at);

			if (ms >= 0)
				return ms;
		}
		k = at + 1;
	}
	return -1;
}

/* ------------------------------------------------------------------ */
/* Closing */

static void try_closed(struct replay *rp)
{
	if (!rp->stopping || rp->closed_sent || rp->handles || rp->reading)
		return;
	if (rp->fd >= 0 && rp->own_fd)
		close(rp->fd);
	rp->fd = -1;
	rp->closed_sent = 1;
	if (rp->orphan) {
		free(rp);
		return;
	}
	/* The sink may free the source: nothing after this. */
	src_emit_closed(&rp->base);
}

static void on_timer_closed(uv_handle_t *h)
{
	struct replay *rp = h->data;

	rp->handles--;
	try_closed(rp);
}

static void begin_close(struct replay *rp)
{
	if (rp->stopping)
		return;
	rp->stopping = 1;
	if (rp->reading)
		uv_cancel((uv_req_t *)&rp->req);
	uv_close((uv_handle_t *)&rp->timer, on_timer_closed);
}

/* ------------------------------------------------------------------ */
/* Reading and pacing */

static void on_read(uv_fs_t *req)
{
	struct replay *rp = req->data;
	ssize_t r = req->result;

	uv_fs_req_cleanup(req);
	rp->reading = 0;
	if (rp->stopping) {
		try_closed(rp);
		return;
	}
	if (r > 0) {
		rp->len += (size_t)r;
		rp->offset += r;
	} else {
		/* The end, or an error (reported by the caller): what was
		 * read still goes out. */
		if (r < 0)
			rp->base.read_err = (int)-r;
		rp->eof = 1;
	}
	replay_advance(rp);
}

static void read_more(struct replay *rp)
{
	uv_buf_t iov;
	size_t room;
	int r;

	/* Keep the unscanned rest (less than a line) at the front. */
	if (rp->pos > 0) {
		memmove(rp->buf, rp->buf + rp->pos, rp->len - rp->pos);
		rp->len -= rp->pos;
		rp->sent = rp->pos = 0;
	}
	room = sizeof rp->buf - rp->len;
	if (room > SRC_BUF_SIZE)
		room = SRC_BUF_SIZE;
	iov = uv_buf_init(rp->buf + rp->len, (unsigned)room);
	rp->req.data = rp;
	rp->reading = 1;
	r = uv_fs_read(rp->base.loop, &rp->req, rp->fd, &iov, 1, rp->offset,
	               on_read);
	if (r < 0) {
		rp->reading = 0;
		rp->eof = 1;
		replay_advance(rp);
	}
}

/* Send what is due.  False when data() stopped or paused the source. */
static int flush(struct replay *rp)
{
	if (rp->pos > rp->sent) {
		size_t from = rp->sent;

		rp->sent = rp->pos;
		src_emit_data(&rp->base, SRC_STREAM_OUT, rp->buf + from,
		              rp->pos - from);
	}
	return !rp->stopping && !rp->paused;
}

static void on_timer(uv_timer_t *t)
{
	replay_advance(t->data);
}

/*
 * The recording time of a timed line: ms of waiting left before it may go
 * out (<= 0: now).  commit makes it the line that went out last.
 */
static int64_t line_due(struct replay *rp, int64_t at, int commit)
{
	uint64_t now = uv_now(rp->base.loop);
	int64_t virt, step;
	double wait;

	if (!rp->have_first) {
		if (commit) {
			rp->have_first = 1;
			rp->prev_at = at;
			rp->virt_ms = 0;
			rp->start = now;
		}
		return 0;
	}
	step = at - rp->prev_at;
	if (step < 0)
		step = 0; /* a new process: count on from the time before */
	/* The runtime forces a collection at least every two minutes: a
	 * longer gap is a bogus time (the corpus has "@18445023415.341s"), or
	 * a stream joined from two recordings; do not sleep through it. */
	if (step > REPLAY_MAX_GAP_MS)
		step = 0;
	virt = rp->virt_ms + step;
	if (commit) {
		rp->prev_at = at;
		rp->virt_ms = virt;
		return 0;
	}
	wait = (double)rp->start + (double)virt / rp->speed - (double)now;
	if (wait <= 0)
		return 0;
	if (wait > 1e15)
		wait = 1e15; /* a speed so small that it never comes */
	return (int64_t)wait + (wait > (double)(int64_t)wait);
}

static void replay_advance(struct replay *rp)
{
	if (rp->reading || rp->stopping || rp->paused)
		return;
	for (;;) {
		char *line = rp->buf + rp->pos;
		size_t rest = rp->len - rp->pos;
		char *nl = memchr(line, '\n', rest);
		size_t n;
		int64_t at, wait;

		if (!nl && !rp->eof) {
			if (rest >= GCTRACE_LINE_MAX) {
				/* Too long for a gc line: pass it on. */
				rp->pos = rp->len;
				rp->in_long = 1;
			}
			if (!flush(rp))
				return;
			read_more(rp);
			return;
		}
		if (!nl && rest == 0)
			break; /* the end of the recording */
		n = nl ? (size_t)(nl - line) : rest;
		at = rp->in_long ? -1 : line_time(line, n);
		if (at >= 0) {
			wait = line_due(rp, at, 0);
			if (wait > 0) {
				if (!flush(rp))
					return;
				uv_timer_start(&rp->timer, on_timer,
				               (uint64_t)wait, 0);
				return;
			}
			line_due(rp, at, 1);
		}
		rp->in_long = 0;
		rp->pos += nl ? n + 1 : n;
	}
	if (!flush(rp))
		return;
	src_set_state(&rp->base, SRC_EOF);
	begin_close(rp);
}

static void on_start(uv_timer_t *t)
{
	struct replay *rp = t->data;

	src_set_state(&rp->base, SRC_RUNNING);
	replay_advance(rp);
}

/* ------------------------------------------------------------------ */
/* The ops */

static void replay_stop(struct src *s)
{
	begin_close((struct replay *)s);
}

static void replay_pause(struct src *s)
{
	struct replay *rp = (struct replay *)s;

	if (rp->paused || rp->stopping)
		return;
	rp->paused = 1;
	rp->paused_at = uv_now(rp->base.loop);
	uv_timer_stop(&rp->timer);
}

/* The recording's clock stood still while paused.  Going on through the
 * timer keeps data() out of src_resume. */
static void replay_resume(struct src *s)
{
	struct replay *rp = (struct replay *)s;

	if (!rp->paused || rp->stopping)
		return;
	rp->paused = 0;
	if (rp->have_first)
		rp->start += uv_now(rp->base.loop) - rp->paused_at;
	uv_timer_start(&rp->timer,
	               rp->base.state == SRC_STARTING ? on_start : on_timer,
	               0, 0);
}

static void replay_free(struct src *s)
{
	free(s);
}

static const struct src_ops replay_ops = {
	.name = "replay",
	.stop = replay_stop,
	.pause = replay_pause,
	.resume = replay_resume,
	.kill = NULL,
	.free = replay_free,
};

struct src *src_replay(uv_loop_t *loop, const char *path, double speed,
                       const struct src_sink *sink, void *ctx,
                       struct src_error *err)
{
	int is_stdin = !path || strcmp(path, "-") == 0;
	const char *name = is_stdin ? "standard input" : path;
	struct replay *rp;
	struct stat st;
	int fd, r;

	if (!(speed > 0)) {
		src_fail(err, 2, "invalid replay speed %g: it must be above 0",
		         speed);
		return NULL;
	}
	if (is_stdin) {
		fd = 0;
	} else {
		fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
		if (fd < 0) {
			src_fail(err, 1, "cannot open '%s': %s", path,
			         strerror(errno));
			return NULL;
		}
	}
	if (fstat(fd, &st) != 0) {
		src_fail(err, 1, "cannot read '%s': %s", name, strerror(errno));
		goto fail_fd;
	}
	if (S_ISDIR(st.st_mode)) {
		src_fail(err, 1, "cannot read '%s': Is a directory", name);
		goto fail_fd;
	}
	if (!S_ISREG(st.st_mode)) {
		/* Pacing needs the whole recording on disk, not a stream. */
		src_fail(err, 1, "cannot replay '%s': not a regular file", name);
		goto fail_fd;
	}

	rp = calloc(1, sizeof *rp);
	if (!rp) {
		src_fail(err, 1, "cannot replay '%s': out of memory", name);
		goto fail_fd;
	}
	src_init(&rp->base, &replay_ops, loop, sink, ctx);
	rp->fd = fd;
	rp->own_fd = !is_stdin;
	rp->speed = speed;
	if (is_stdin) {
		off_t at = lseek(0, 0, SEEK_CUR);

		rp->offset = at > 0 ? (int64_t)at : 0;
	}
	r = uv_timer_init(loop, &rp->timer);
	if (r < 0) {
		src_fail(err, 1, "cannot replay '%s': %s", name, uv_strerror(r));
		free(rp);
		goto fail_fd;
	}
	rp->timer.data = rp;
	rp->handles = 1;
	/* Start from the loop, so that no callback runs before we return. */
	r = uv_timer_start(&rp->timer, on_start, 0, 0);
	if (r < 0) {
		src_fail(err, 1, "cannot replay '%s': %s", name, uv_strerror(r));
		rp->orphan = 1;
		begin_close(rp);
		return NULL;
	}
	return &rp->base;

fail_fd:
	if (!is_stdin)
		close(fd);
	return NULL;
}
