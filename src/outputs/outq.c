#include "outputs/outq.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <uv.h>

/* A ring of bytes shared by the writer (producer) and the thread. */
struct outq {
	int fd, close_fd;
	enum outq_full policy;
	char *buf;
	size_t cap, head, len; /* data: [head, head+len) modulo cap */
	uint64_t dropped;
	int err;
	int closing;
	uv_mutex_t mu;
	uv_cond_t has_data, has_room;
	uv_thread_t thread;
};

static void writer(void *arg)
{
	struct outq *q = arg;

	uv_mutex_lock(&q->mu);
	for (;;) {
		while (q->len == 0 && !q->closing)
			uv_cond_wait(&q->has_data, &q->mu);
		if (q->len == 0 && q->closing)
			break;
		/* Write the contiguous part without holding the lock. */
		size_t n = q->cap - q->head < q->len ? q->cap - q->head : q->len;
		const char *p = q->buf + q->head;
		uv_mutex_unlock(&q->mu);
		ssize_t w = q->err ? (ssize_t)n : write(q->fd, p, n);
		int e = errno;
		uv_mutex_lock(&q->mu);
		if (w < 0) {
			if (e == EINTR || e == EAGAIN) {
				/* A descriptor someone set non-blocking: wait a bit. */
				uv_mutex_unlock(&q->mu);
				if (e == EAGAIN)
					usleep(1000);
				uv_mutex_lock(&q->mu);
				continue;
			}
			q->err = e;
			w = (ssize_t)n; /* discard it, and the rest as it comes */
		}
		q->head = (q->head + (size_t)w) % q->cap;
		q->len -= (size_t)w;
		/* Empty: start again at the front, so that only as much of the
		 * buffer is ever touched (resident) as was ever pending. */
		if (q->len == 0)
			q->head = 0;
		uv_cond_broadcast(&q->has_room);
	}
	uv_mutex_unlock(&q->mu);
}

struct outq *outq_new(int fd, size_t cap, enum outq_full policy, int close_fd)
{
	struct outq *q = calloc(1, sizeof *q);

	if (!q)
		return NULL;
	q->buf = malloc(cap);
	if (!q->buf || uv_mutex_init(&q->mu)) {
		free(q->buf);
		free(q);
		return NULL;
	}
	uv_cond_init(&q->has_data);
	uv_cond_init(&q->has_room);
	q->fd = fd;
	q->close_fd = close_fd;
	q->cap = cap;
	q->policy = policy;
	if (uv_thread_create(&q->thread, writer, q)) {
		uv_cond_destroy(&q->has_data);
		uv_cond_destroy(&q->has_room);
		uv_mutex_destroy(&q->mu);
		free(q->buf);
		free(q);
		return NULL;
	}
	return q;
}

int outq_write(struct outq *q, const void *buf, size_t len)
{
	const char *p = buf;
	int rc = 0;

	uv_mutex_lock(&q->mu);
	if (q->err) {
		rc = -1;
	} else if (q->policy == OUTQ_DROP && q->cap - q->len < len) {
		q->dropped += len;
		rc = -1;
	} else {
		while (len) {
			while (q->len == q->cap && !q->err)
				uv_cond_wait(&q->has_room, &q->mu);
			if (q->err) {
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

int outq_error(struct outq *q)
{
	uv_mutex_lock(&q->mu);
	int e = q->err;
	uv_mutex_unlock(&q->mu);
	return e;
}

int outq_close(struct outq *q)
{
	int err;

	if (!q)
		return 0;
	uv_mutex_lock(&q->mu);
	q->closing = 1;
	uv_cond_signal(&q->has_data);
	uv_mutex_unlock(&q->mu);
	uv_thread_join(&q->thread);
	err = q->err;
	if (q->close_fd && close(q->fd) && !err)
		err = errno;
	uv_cond_destroy(&q->has_data);
	uv_cond_destroy(&q->has_room);
	uv_mutex_destroy(&q->mu);
	free(q->buf);
	free(q);
	return err;
}
