/*
 * engine.h - the ingest side of gcwatch, wired together.
 *
 * One libuv loop reads the source (a spawned program, a file, a fifo,
 * standard input or a replay), tees what it reads to --record, feeds one
 * parser per stream, and updates the model (statistics and the ring of
 * recent records).  Records go to --json/--csv and, in batch mode, the
 * program's own text to our stdout/stderr, each through an output queue
 * with a thread of its own: reading never waits for a slow consumer.
 * Termination signals reach a spawned program exactly once.
 */
#ifndef GCWATCH_ENGINE_H
#define GCWATCH_ENGINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "trace/gctrace.h"
#include "model/stats.h"

struct metrics;

struct engine_opts {
	char **command;         /* run this, or NULL */
	const char *path;       /* else watch this ("-" or NULL: stdin) */
	bool follow;            /* -f */
	double replay;          /* --replay speed, 0 for none */
	const char *record;     /* -r FILE, or NULL */
	int gctrace;            /* --gctrace N */
	const char *json_path;  /* --json FILE ("-" = stdout), or NULL */
	const char *csv_path;   /* --csv FILE, or NULL */
	bool passthrough;       /* batch: the program's text to stdout/stderr */
	size_t ring_cap;        /* recent records kept for the views */
	struct metrics *metrics; /* --listen: updated from ingest, or NULL */
	bool dashboard;         /* keep the program's output lines for a view;
	                           the program gets no terminal stdin */
};

/* How the input ended, for the summary and the exit status. */
struct engine_result {
	bool spawned;          /* a command was run */
	bool exited;           /* ... and has exited */
	int64_t exit_status;   /* its status, when it exited normally */
	int term_signal;       /* or the signal that killed it (> 0) */
	int status;            /* gcwatch's exit status (DESIGN.md) */
	uint64_t json_dropped; /* bytes of records a stalled consumer missed */
	uint64_t csv_dropped;
	char error[512];       /* a failure after the start, or "" */
};

struct engine;

/*
 * Set up everything and start the source.  On failure returns NULL, with a
 * one-line message naming the thing written to stderr and *status set to
 * the exit status (1, 126, 127).
 */
struct engine *engine_new(const struct engine_opts *o, int *status);

/* Run until the input has ended and everything is written.  Returns the
 * exit status gcwatch should end with. */
int engine_run(struct engine *e);

/* ---- for the dashboard, on another thread ---- */

struct model;

/* Called on the ingest thread when something changed (keep it cheap:
 * uv_async_send). */
typedef void (*engine_notify_cb)(void *ctx);
/* Called on the ingest thread when gcwatch received a signal. */
typedef void (*engine_signal_cb)(void *ctx, int signum);

/* Run the engine on a thread of its own; returns 0, or -1. */
int engine_start(struct engine *e, engine_notify_cb notify, engine_signal_cb on_sig,
                 void *ctx);
/* Copy the model (from any thread). */
void engine_snapshot(struct engine *e, struct model *m);
/* True once the input has ended and the source is closed. */
int engine_done(struct engine *e);
/* Ask the ingest thread to signal the program, or to stop the input. */
void engine_post_signal(struct engine *e, int signum);
void engine_post_stop(struct engine *e);
/* Wait for the thread (after the input ended). */
void engine_join(struct engine *e);

const struct stats *engine_stats(const struct engine *e);
const struct engine_result *engine_result(const struct engine *e);

/* The parsers' counters added over the streams. */
void engine_counts(const struct engine *e, struct gctrace_counts *out);

/* True when the text last written to stderr did not end its line (the
 * summary then starts on a new one). */
int engine_stderr_mid_line(const struct engine *e);

/* The name of the input for the summary: the command line, or the path. */
const char *engine_name(const struct engine *e);

void engine_free(struct engine *e);

#endif
