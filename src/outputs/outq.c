#include "outputs/outq.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <uv.h>

#include "text/clock.h"

/* How often a bounded close repeats the signal that interrupts a blocked
 * write: the thread may not have entered write(2) when the first came. */
#define KICK_MS 10

/* A ring of bytes shared by the writer (producer) and the thread. */
struct outq {
	int fd, close_fd;
	char *path;            /* deferred: the thread opens it */
	enum outq_full policy;
	char *buf;
	size_t cap, head, len; /* data: [head, head+len) modulo cap */
	uint64_t dropped;
	uint64_t submitted;    /* every byte given to outq_write */
	uint64_t written;      /* bytes write(2) took */
	uint64_t lines;        /* newlines among them */
	uint64_t nl_end;       /* bytes written up to the last newline */
	int trim;              /* on a write error, cut the file back to nl_end */
	int err;
	int closing, abandon, done;
	uv_mutex_t mu;
	uv_cond_t has_data, has_room, finished;
	uv_thread_t thread;
};

static void on_kick(int sig)
{
	(void)sig;
}

/* The no-op handler, without SA_RESTART, so that a blocked write(2) or
 * open(2) of the thread returns EINTR when a bounded close gives up. */
static void install_kick(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_kick;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGURG, &sa, NULL);
}

static uv_once_t kick_once = UV_ONCE_INIT;

static uint64_t count_nl(const char *p, size_t n)
{
	uint64_t k = 0;
	const char *end = p + n;

	while ((p = memchr(p, '\n', (size_t)(end - p))) != NULL) {
		k++;
		p++;
	}
	return k;
}

/* The deferred open, on the thread: blocks while a fifo has no reader. */
static void open_path(struct outq *q)
{
	int fd;

	for (;;) {
		fd = open(q->path, O_WRONLY | O_CLOEXEC);
		if (fd >= 0 || errno != EINTR)
			break;
		uv_mutex_lock(&q->mu);
		int give_up = q->abandon;
		uv_mutex_unlock(&q->mu);
		if (give_up)
			break;
	}
	uv_mutex_lock(&q->mu);
	if (fd >= 0) {
		q->fd = fd;
		q->close_fd = 1;
	} else {
		q->err = errno == EINTR ? ENXIO : errno; /* no reader came */
	}
	uv_mutex_unlock(&q->mu);
}

static void writer(void *arg)
{
	struct outq *q = arg;

	if (q->path)
		open_path(q);
	uv_mutex_lock(&q->mu);
	for (;;) {
		while (q->len == 0 && !q->closing)
			uv_cond_wait(&q->has_data, &q->mu);
		if (q->len == 0 && q->closing)
			break;
		if (q->abandon)
			break;
		/* Write the contiguous part without holding the lock. */
		size_t n = q->cap - q->head < q->len ? q->cap - q->head : q->len;
		const char *p = q->buf + q->head;
		int failed = q->err;
		uv_mutex_unlock(&q->mu);
		ssize_t w = failed ? (ssize_t)n : write(q->fd, p, n);
		int e = errno;
		uint64_t nl = !failed && w > 0 ? count_nl(p, (size_t)w) : 0;
		const char *last = nl ? memrchr(p, '\n', (size_t)w) : NULL;
		uv_mutex_lock(&q->mu);
		if (w < 0) {
			if (e == EINTR || e == EAGAIN) {
				if (q->abandon)
					break;
				/* A descriptor someone set non-blocking: wait a bit. */
				uv_mutex_unlock(&q->mu);
				if (e == EAGAIN)
					usleep(1000);
				uv_mutex_lock(&q->mu);
				continue;
			}
			q->err = e;
			/* A file keeps whole lines only: a record is exact or
			 * not there. */
			if (q->trim && q->written != q->nl_end &&
			    ftruncate(q->fd, (off_t)q->nl_end) == 0)
				q->written = q->nl_end;
			w = (ssize_t)n; /* discard it, and the rest as it comes */
		} else if (!failed) {
			if (last)
				q->nl_end = q->written + (uint64_t)(last - p) + 1;
			q->written += (uint64_t)w;
			q->lines += nl;
		}
		q->head = (q->head + (size_t)w) % q->cap;
		q->len -= (size_t)w;
		/* Empty: start again at the front, so that only as much of the
		 * buffer is ever touched (resident) as was ever pending. */
		if (q->len == 0)
			q->head = 0;
		uv_cond_broadcast(&q->has_room);
	}
	if (q->abandon && !q->err)
		q->err = ETIMEDOUT;
	q->done = 1;
	uv_cond_broadcast(&q->finished);
	uv_cond_broadcast(&q->has_room);
	uv_mutex_unlock(&q->mu);
}

static struct outq *make(int fd, const char *path, size_t cap, enum outq_full policy,
                         int close_fd)
{
	struct outq *q = calloc(1, sizeof *q);

	if (!q)
		return NULL;
	uv_once(&kick_once, install_kick);
	q->buf = malloc(cap);
	q->path = path ? strdup(path) : NULL;
	if (!q->buf || (path && !q->path) || uv_mutex_init(&q->mu)) {
		free(q->buf);
		free(q->path);
		free(q);
		return NULL;
	}
	uv_cond_init(&q->has_data);
	uv_cond_init(&q->has_room);
	uv_cond_init(&q->finished);
	q->fd = fd;
	q->close_fd = close_fd;
	q->cap = cap;
	q->policy = policy;
	if (uv_thread_create(&q->thread, writer, q)) {
		uv_cond_destroy(&q->has_data);
		uv_cond_destroy(&q->has_room);
		uv_cond_destroy(&q->finished);
		uv_mutex_destroy(&q->mu);
		free(q->buf);
		free(q->path);
		free(q);
		return NULL;
	}
	return q;
}

struct outq *outq_new(int fd, size_t cap, enum outq_full policy, int close_fd)
{
	return make(fd, NULL, cap, policy, close_fd);
}

struct outq *outq_new_deferred(const char *path, size_t cap, enum outq_full policy)
{
	return make(-1, path, cap, policy, 0);
}

void outq_trim_on_error(struct outq *q)
{
	uv_mutex_lock(&q->mu);
	q->trim = 1;
	uv_mutex_unlock(&q->mu);
}

int outq_write(struct outq *q, const void *buf, size_t len)
{
	const char *p = buf;
	int rc = 0;

	uv_mutex_lock(&q->mu);
	q->submitted += len;
	if (q->err || q->done) {
		rc = -1;
	} else if (q->policy == OUTQ_DROP && q->cap - q->len < len) {
		q->dropped += len;
		rc = -1;
	} else {
		while (len) {
			while (q->len == q->cap && !q->err && !q->done)
				uv_cond_wait(&q->has_room, &q->mu);
			if (q->err || q->done) {
				rc = -1;
				break;
			}
			size_t tail = (q->head + q->len) % q->cap;
			size_t room = q->cap - q->len;
			size_t n = q->cap - tail < room ? q->cap - tail : room;
			if (n > len)
				n = len;
			memcpy(q->buf + tail, p, n);
			q->len += n;
			p += n;
			len -= n;
			uv_cond_signal(&q->has_data);
		}
	}
	uv_mutex_unlock(&q->mu);
	return rc;
}

size_t outq_pending(struct outq *q)
{
	uv_mutex_lock(&q->mu);
	size_t n = q->len;
	uv_mutex_unlock(&q->mu);
	return n;
}

uint64_t outq_dropped(struct outq *q)
{
	uv_mutex_lock(&q->mu);
	uint64_t n = q->dropped;
	uv_mutex_unlock(&q->mu);
	return n;
}

uint64_t outq_lost(struct outq *q)
{
	uv_mutex_lock(&q->mu);
	/* While running, what is queued is not lost yet. */
	uint64_t n = q->submitted - q->written - (q->done ? 0 : q->len);
	uv_mutex_unlock(&q->mu);
	return n;
}

uint64_t outq_lines_written(struct outq *q)
{
	uv_mutex_lock(&q->mu);
	uint64_t n = q->lines;
	uv_mutex_unlock(&q->mu);
	return n;
}

int outq_error(struct outq *q)
{
	uv_mutex_lock(&q->mu);
	int e = q->err;
	uv_mutex_unlock(&q->mu);
	return e;
}

void outq_close_begin(struct outq *q)
{
	if (!q)
		return;
	uv_mutex_lock(&q->mu);
	q->closing = 1;
	uv_cond_signal(&q->has_data);
	uv_mutex_unlock(&q->mu);
}

int outq_close_by(struct outq *q, uint64_t deadline_ms, uint64_t *lost, uint64_t *lines)
{
	int err;

	if (!q)
		return 0;
	outq_close_begin(q);
	uv_mutex_lock(&q->mu);
	while (!q->done) {
		uint64_t now = clock_now_ms();
		if (deadline_ms && now >= deadline_ms) {
			/* Given up: interrupt the blocked write or open. */
			q->abandon = 1;
			pthread_kill(q->thread, SIGURG);
			(void)uv_cond_timedwait(&q->finished, &q->mu,
			                        (uint64_t)KICK_MS * 1000000);
		} else if (deadline_ms) {
			(void)uv_cond_timedwait(&q->finished, &q->mu,
			                        (deadline_ms - now) * 1000000);
		} else {
			uv_cond_wait(&q->finished, &q->mu);
		}
	}
	uv_mutex_unlock(&q->mu);
	uv_thread_join(&q->thread);
	err = q->err;
	if (q->close_fd && q->fd >= 0 && close(q->fd) && !err)
		err = errno;
	if (lost)
		*lost = q->submitted - q->written;
	if (lines)
		*lines = q->lines;
	uv_cond_destroy(&q->has_data);
	uv_cond_destroy(&q->has_room);
	uv_cond_destroy(&q->finished);
	uv_mutex_destroy(&q->mu);
	free(q->buf);
	free(q->path);
	free(q);
	return err;
}

int outq_close(struct outq *q)
{
	return outq_close_by(q, 0, NULL, NULL);
}
