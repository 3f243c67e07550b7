/*
 * source.h - where the bytes come from, on a libuv loop.
 *
 * A source is one of: a spawned program (its stdout and stderr pipes), a
 * regular file (optionally followed like tail -F), a fifo, standard input,
 * or a recording replayed at the pace of its own timestamps.  Every kind
 * reports through the same callbacks, and nothing here parses: the bytes
 * go to the caller as they arrive, unchanged.
 *
 * Memory is fixed per source (one read buffer); data handed to data() is
 * valid only during the call.  All callbacks run on the loop's thread.
 */
#ifndef GCWATCH_SOURCE_H
#define GCWATCH_SOURCE_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include <uv.h>

/* What a source is doing, for the views ("waiting for a writer", ...). */
enum src_state {
	SRC_STARTING = 0,
	SRC_RUNNING,     /* reading */
	SRC_WAITING,     /* a fifo with no writer, or a followed file at its end */
	SRC_EOF,         /* input ended; nothing more will come */
	SRC_EXITED,      /* the spawned program exited (its pipes may still drain) */
};

/* Streams: a spawned program has two; other sources only SRC_STREAM_OUT. */
#define SRC_STREAM_OUT 0
#define SRC_STREAM_ERR 1

struct src_sink {
	/* Bytes read from stream, in arrival order. */
	void (*data)(void *ctx, unsigned stream, const char *buf, size_t len);
	/* The state changed. */
	void (*state)(void *ctx, enum src_state state);
	/* A spawned program ended: exit status, or the signal that ended it
	 * (term_signal > 0).  Its pipes may still hold data: closed() comes
	 * once they are drained. */
	void (*exit)(void *ctx, int64_t status, int term_signal);
	/* Nothing more will come and every handle of the source is closed;
	 * the source may be freed. */
	void (*closed)(void *ctx);
};

struct src;

/* Why a source could not start: a one-line message naming the thing, and
 * the exit status DESIGN.md gives for it (1; 126 or 127 for a command). */
struct src_error {
	char msg[512];
	int status;
};

struct src_spawn_opts {
	int gctrace;    /* value for gctrace in the child's GODEBUG */
	int same_group; /* keep the program in our process group (see spawn.c) */
	int stdin_null; /* give the program /dev/null as stdin, not ours */
};

/* Run argv[0] (searched in PATH, never through a shell) with the parent's
 * environment, GODEBUG merged with gctrace=N; its stdin is inherited, its
 * stdout and stderr come back as the two streams. */
struct src *src_spawn(uv_loop_t *loop, char *const *argv,
                      const struct src_spawn_opts *opts,
                      const struct src_sink *sink, void *ctx,
                      struct src_error *err);

/* A path: a regular file (read to its end; with follow, keep reading what
 * is appended across truncation and rotation), a fifo (with follow, wait
 * for the next writer when the last one goes), or "-" for standard input
 * (a pipe, a file, or a socket). */
struct src *src_open(uv_loop_t *loop, const char *path, int follow,
                     const struct src_sink *sink, void *ctx,
                     struct src_error *err);

/* A recording, read at the pace of its own "@…s" times, times speed. */
struct src *src_replay(uv_loop_t *loop, const char *path, double speed,
                       const struct src_sink *sink, void *ctx,
                       struct src_error *err);

/* Stop reading: close every handle; closed() follows.  A spawned program
 * is not signalled by this (see src_kill). */
void src_stop(struct src *s);

/* Pause and resume reading (backpressure); data() is not called while
 * paused.  A spawned program then blocks on its own full pipe. */
void src_pause(struct src *s);
void src_resume(struct src *s);

/* Stop reading one stream because nobody wants its bytes any more (our
 * stdout went away): a spawned program then gets EPIPE/SIGPIPE on that
 * stream, as it would have without gcwatch.  Other sources stop. */
void src_close_stream(struct src *s, unsigned stream);

/* A spawned program: send it a signal (no-op once it has exited). */
int src_kill(struct src *s, int signum);

/* A spawned program's pid, 0 for other sources. */
pid_t src_pid(const struct src *s);

/* The errno of a read that failed and so ended the input (EIO from
 * /proc/self/mem, a disk error), or 0 when the input ended cleanly. */
int src_read_error(const struct src *s);

/* Free a source after closed() was called. */
void src_free(struct src *s);

#endif
