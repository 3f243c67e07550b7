/*
 * engine.h - the ingest side of gcwatch, wired together.
 *
 * One libuv loop reads the inputs (a spawned program, or any number of
 * files, fifos, standard input, replays and -c shell commands), tees what
 * it reads to --record, feeds one parser per stream of each input (a torn
 * line is put back within its own stream), demultiplexes each input into
 * feeds (named after the input when there are several, DESIGN.md) and
 * updates the model (statistics and the ring of recent records).  An
 * input that ends stays in the model as ended (with its exit status for a
 * command); the run ends when every input has.  Records go to --json/--csv and, in batch mode, the
 * program's own text to our stdout/stderr, each through an output queue
 * with a thread of its own: reading never waits for a slow consumer.  A
 * record output that fails or falls behind is said at once (stderr, or
 * the dashboard's header) and its losses are counted (lost.* metrics);
 * it never changes the exit status.
 * The signals gcwatch gets (SIGINT, SIGTERM, SIGHUP, SIGQUIT; in batch
 * also Ctrl-Z's SIGTSTP and SIGCONT) reach every spawned program's whole
 * process group exactly once, and end the watch of the other inputs; the
 * shutdown policy (SIGTERM, SIGKILL after a grace period, waiting for the
 * group) is the engine's.
 */
#ifndef GCWATCH_ENGINE_H
#define GCWATCH_ENGINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "trace/gctrace.h"
#include "analysis/analysis.h"
#include "model/stats.h"

/* Feeds that get an analysis (MMU, findings, what-if), first come. */
#define ENGINE_ANALYSES 64
struct metrics;

/* Inputs at most. */
#define ENGINE_INPUTS_MAX 64
/* An input's name as a feed's prefix is cut (in its middle) to this. */
#define ENGINE_INPUT_NAME_MAX 96

/* One input besides COMMAND. */
struct engine_input {
	const char *path;       /* a PATH ("-": standard input), or NULL */
	const char *shell;      /* else a command for /bin/sh -c */
	const char *name;       /* its name, or NULL: the path or the command */
};

struct engine_opts {
	char **command;         /* run this (the only input), or NULL */
	const struct engine_input *inputs; /* else watch these (none: stdin) */
	unsigned ninputs;
	bool follow;            /* -f (PATHs) */
	double replay;          /* --replay speed, 0 for none */
	const char *record;     /* -r FILE, or NULL */
	int gctrace;            /* --gctrace N */
	const char *json_path;  /* --json FILE ("-" = stdout), or NULL */
	const char *csv_path;   /* --csv FILE, or NULL */
	bool passthrough;       /* batch: the program's text to stdout/stderr */
	unsigned records_cap;   /* recent records each feed keeps for the views */
	unsigned max_feeds;     /* feeds at most (0: MODEL_FEEDS_DEFAULT) */
	struct metrics *metrics; /* --listen: updated from ingest, or NULL */
	bool dashboard;         /* keep the program's output lines for a view;
	                           the program gets no terminal stdin */
	bool stdout_taken;      /* stdout carries something else (--summary-json
	                           -): the program's stdout goes to stderr */
	struct analysis_opts analysis; /* what the trace does not say */
};

/* How the input ended, for the summary and the exit status.  With
 * several inputs: spawned when any was a command, exited when every
 * command has, and the exit that of the input that decides the status:
 * the first (in command-line order) that did not end with 0, or else the
 * first command. */
struct engine_result {
	bool spawned;          /* a command was run */
	bool exited;           /* ... and has exited */
	int64_t exit_status;   /* its status, when it exited normally */
	int term_signal;       /* or the signal that killed it (> 0) */
	int status;            /* gcwatch's exit status (DESIGN.md) */
	char error[512];       /* a read error on an input (status 1), or "" */
};

/* One input's end, for the summary (i < engine_inputs()). */
struct engine_input_result {
	const char *name;
	bool spawned, exited;
	int64_t exit_status;
	int term_signal;
	int status;            /* the status it gives (0, 1, its own) */
	int read_error;        /* errno, or 0 */
};
struct engine;
unsigned engine_inputs(const struct engine *e);
void engine_input_result(const struct engine *e, unsigned i, struct engine_input_result *out);

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
/* Called on the ingest thread when gcwatch received a signal (passed on
 * already); from_kernel: the terminal's (a hangup), not a kill(1). */
typedef void (*engine_signal_cb)(void *ctx, int signum, int from_kernel);

/* Run the engine on a thread of its own; returns 0, or -1. */
int engine_start(struct engine *e, engine_notify_cb notify, engine_signal_cb on_sig,
                 void *ctx);
/* Bring a copy of the model up to date (from any thread; m from
 * engine_model_new): rows of the feeds that changed, and feed focus
 * (MODEL_FOCUS_AUTO: the first with collections) whole; returns the bytes
 * copied (model_copy). */
size_t engine_snapshot(struct engine *e, struct model *m, unsigned focus);
/* The diagnosis of feed number index (as in the model), into *d (from any
 * thread, under the lock): d->have false when the feed has no analysis. */
void engine_digest(struct engine *e, unsigned index, struct analysis_digest *d);
/* A model of the engine's settings, for engine_snapshot. */
struct model *engine_model_new(const struct engine *e);
/* True once the input has ended and the source is closed. */
int engine_done(struct engine *e);
/* Ask the ingest thread to signal the program's group, or to stop the
 * input. */
void engine_post_signal(struct engine *e, int signum);
void engine_post_stop(struct engine *e);
/* Ask the ingest thread to end the run: a program still running gets
 * SIGTERM, then SIGKILL after a grace period, and is waited for (see
 * src_terminate); other inputs stop.  engine_done() tells when it is. */
void engine_post_quit(struct engine *e);
/* Wait for the thread (after the input ended). */
void engine_join(struct engine *e);

/* The input's own feed's statistics (the only feed without prefixes; the
 * first input's with several: what the outputs lost is counted there). */
const struct stats *engine_stats(const struct engine *e);
/* The live model: read it only when the engine is not running (after
 * engine_run, or engine_join). */
const struct model *engine_model(const struct engine *e);
/* Feed f's analysis, or NULL (no record yet, or f is past the first
 * ENGINE_ANALYSES feeds); read it when the engine is not running. */
struct feed;
const struct analysis *engine_analysis(const struct engine *e, const struct feed *f);
const struct engine_result *engine_result(const struct engine *e);

/* The parsers' counters added over the streams. */
void engine_counts(const struct engine *e, struct gctrace_counts *out);

/* True when the text last written to stderr did not end its line (the
 * summary then starts on a new one). */
int engine_stderr_mid_line(const struct engine *e);

/* The name of the input for the summary: the command line, or the path
 * (several: their names, joined with ", "). */
const char *engine_name(const struct engine *e);

/* The record outputs (--json, --csv, -r): what each lost, once the run
 * is over (recsink.h); NULL before the engine was made. */
struct recsinks;
const struct recsinks *engine_outputs(const struct engine *e);

/* "gcwatch: MSG" and a newline on f, sanitised when f is a terminal. */
void engine_say(FILE *f, const char *msg);

void engine_free(struct engine *e);

#endif
