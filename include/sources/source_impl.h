/*
 * source_impl.h - what every kind of source shares (for the sources only).
 *
 * A kind embeds struct src as its first member and fills in its ops; the
 * functions of source.h dispatch through them.
 */
#ifndef GCWATCH_SOURCE_IMPL_H
#define GCWATCH_SOURCE_IMPL_H

#include "sources/source.h"

struct src_ops {
	const char *name;
	void (*stop)(struct src *s);
	void (*pause)(struct src *s);
	void (*resume)(struct src *s);
	int (*kill)(struct src *s, int signum);  /* may be NULL */
	void (*close_stream)(struct src *s, unsigned stream); /* NULL: stop */
	void (*free)(struct src *s);
};

struct src {
	const struct src_ops *ops;
	uv_loop_t *loop;
	struct src_sink sink;
	void *ctx;
	pid_t pid;
	enum src_state state;
	int read_err;   /* errno of a read that failed (the input ended there) */
};

/* Fill the shared part. */
void src_init(struct src *s, const struct src_ops *ops, uv_loop_t *loop,
              const struct src_sink *sink, void *ctx);

/* Report a new state (only when it changed). */
void src_set_state(struct src *s, enum src_state state);

/* Deliver bytes and the other events, checking for NULL callbacks. */
void src_emit_data(struct src *s, unsigned stream, const char *buf, size_t len);
void src_emit_exit(struct src *s, int64_t status, int term_signal);
void src_emit_closed(struct src *s);

/* Fill err: printf-style message, and the exit status. */
void src_fail(struct src_error *err, int status, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* The read buffer size of a source (libuv alloc callbacks hand it out).
 * Large enough that reading a big file costs few trips through libuv's
 * threadpool. */
#define SRC_BUF_SIZE (1024 * 1024)

#endif
