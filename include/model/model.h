/*
 * model.h - what the views read: the input and its feeds.
 *
 * The ingest side (engine) keeps a live model on its own thread; the
 * dashboard keeps a copy of its own and brings it up to date under the
 * engine's lock at most once a frame (model_copy): a row (struct
 * feed_row) for each feed that changed since, and the one feed it shows
 * whole, bringing over only its new records and lines.  A copy's memory
 * is one feed and the rows, however many feeds there are.  A copy is
 * plain data: views read it and never change the ingest side through it.
 * Nothing here depends on libuv or ncurses.
 */
#ifndef GCWATCH_MODEL_H
#define GCWATCH_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "model/feed.h"
#include "model/histo.h"
#include "trace/gctrace.h"

/* The widest chart window: every record a feed keeps. */
#define MODEL_RECORDS FEED_RECORDS
/* Feeds at most by default (--max-feeds). */
#define MODEL_FEEDS_DEFAULT 1024
/* The first MODEL_WIDE_FEEDS feeds keep records_cap recent records; the
 * others at most MODEL_FLEET_RECORDS, so that a thousand busy feeds fit
 * in 64 MB with their history (the window of the fleet row is 60). */
#define MODEL_WIDE_FEEDS 8
#define MODEL_FLEET_RECORDS 64
#define MODEL_FLEET_LINES 24

/* Where the input stands (as enum src_state, for views without libuv). */
enum model_input {
	MODEL_STARTING = 0,
	MODEL_RUNNING,
	MODEL_WAITING,  /* a fifo with no writer, a followed file at its end */
	MODEL_EOF,      /* input ended */
	MODEL_EXITED,   /* the program exited */
};

/* One input of several (a PATH, a -c command): its own state, for the
 * fleet table and the header of its feeds. */
struct model_src {
	char name[256];
	enum model_input state;
	bool spawned;      /* a -c command (or COMMAND) */
	bool waiting_is_writer;
	bool exited;
	int64_t exit_status;
	int term_signal;
	pid_t pid;
};

struct model {
	uint64_t version;  /* changes whenever the input or a feed does */

	/* The input (with several: all of them, their names joined, the
	 * state the least ended one's, the exit the one that decides the
	 * exit status). */
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
	int64_t wall_offset_ms; /* wall clock (Unix ms) minus the monotonic
	                           one, to name times on the axis; 0 unknown */
	char alert[512];   /* an output's first failure, or "": raw, sanitise */
	struct gctrace_counts counts;
	/* Each input's own, in command-line order (model_inputs). */
	struct model_src *inputs;
	unsigned ninputs;

	/* The feeds, in order of first appearance. */
	struct feed **feeds;
	unsigned nfeeds, max_feeds;
	uint64_t feeds_refused; /* records and lines of feeds past max_feeds */
	unsigned records_cap;   /* each feed's */
	bool keep_lines;
	struct histo all_pause; /* every feed's pauses, pooled */

	/* In a copy (model_copy): a row per feed, and the one feed held whole
	 * (the others are NULL in feeds[]).  NULL / 0 in a live model. */
	struct feed_row *rows;
	unsigned focus;
};

/* What model_copy holds whole when no feed is chosen: the first feed with
 * collections. */
#define MODEL_FOCUS_AUTO 0xffffffffu

/* A model for at most max_feeds feeds (0: MODEL_FEEDS_DEFAULT), each
 * keeping records_cap recent records and, when keep_lines (a dashboard),
 * its output lines and its history (history.h).  NULL when out of
 * memory. */
struct model *model_new(unsigned max_feeds, unsigned records_cap, bool keep_lines);
void model_free(struct model *m);

/* Room for n inputs (inputs[], ninputs = n, zeroed).  Returns 0, or -1
 * when out of memory. */
int model_inputs(struct model *m, unsigned n);

/*
 * The feed named name, added when new.  NULL when max_feeds are already
 * there (counted in feeds_refused by the caller's use) or out of memory.
 */
struct feed *model_feed(struct model *m, const char *name);

/* The feed named name, or NULL. */
struct feed *model_find(const struct model *m, const char *name);

/* Count a record in feed f of m (f from model_feed): the feed, and the
 * pooled pauses. */
void model_add_record(struct model *m, struct feed *f, const struct gc_record *r,
                      uint64_t now_ms);

/*
 * Bring dst (from model_new with the same settings) up to src, a live
 * model: the input as it is, the rows of the feeds that changed, and feed
 * number focus (or MODEL_FOCUS_AUTO) whole.  Returns the bytes copied.
 */
size_t model_copy(struct model *dst, const struct model *src, unsigned focus);

#endif
