/*
 * model.h - what the views read: a snapshot of everything gcwatch knows.
 *
 * The ingest side (engine) keeps a live model on its own thread and the
 * dashboard copies it under a lock, at most once a frame, so drawing never
 * holds up reading.  A snapshot is plain data: views read it, never change
 * the ingest side through it.  Nothing here depends on libuv or ncurses.
 */
#ifndef GCWATCH_MODEL_H
#define GCWATCH_MODEL_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "trace/gcrecord.h"
#include "trace/gctrace.h"
#include "model/stats.h"

/* Recent records kept for the charts (the widest window). */
#define MODEL_RECORDS 2048
/* Lines of the program's own output kept for the output pane. */
#define MODEL_LINES 200
/* Bytes kept of each such line: longer lines are cut (the view cuts
 * further to the pane's width). */
#define MODEL_LINE_MAX 400

/* Where the input stands (as enum src_state, for views without libuv). */
enum model_input {
	MODEL_STARTING = 0,
	MODEL_RUNNING,
	MODEL_WAITING,  /* a fifo with no writer, a followed file at its end */
	MODEL_EOF,      /* input ended */
	MODEL_EXITED,   /* the program exited */
};

struct model_line {
	uint16_t len;
	uint8_t stream;    /* 0 stdout (or the only stream), 1 stderr */
	uint8_t cut;       /* the line was longer than MODEL_LINE_MAX */
	char text[MODEL_LINE_MAX]; /* raw bytes: sanitise before drawing */
};

struct model {
	uint64_t version;  /* changes whenever anything below does */

	/* The input. */
	char name[256];    /* the command line, or the path */
	bool spawned;      /* a command */
	bool waiting_is_writer; /* MODEL_WAITING means no writer (a fifo) */
	pid_t pid;
	enum model_input input;
	bool exited;
	int64_t exit_status;
	int term_signal;
	uint64_t start_ms; /* when watching began (monotonic clock, ms) */
	uint64_t end_ms;   /* when the input ended or the program exited, or 0 */
	char alert[512];   /* an output's first failure, or "": raw, sanitise */

	/* Collections: the whole run, and the most recent ones. */
	struct stats stats;
	struct gc_record recent[MODEL_RECORDS]; /* oldest first */
	unsigned nrecent;
	uint64_t total_records;
	struct gctrace_counts counts;

	/* The program's own output, oldest first. */
	struct model_line lines[MODEL_LINES];
	unsigned nlines;
	uint64_t total_lines;
};


#endif
