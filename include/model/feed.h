/*
 * feed.h - one Go process's stream of collections, as the views know it.
 *
 * A feed holds what gcwatch knows of one process: its name (the `source`
 * label: a demultiplexing key such as "etcd[4242]", or "" for the only
 * feed of a single input), its whole-run statistics (runs and restarts
 * included), the most recent records for the charts, and the last lines
 * of its own output for the output pane.  The ingest side adds to it; the
 * dashboard reads a copy (feed_copy), which is skipped when the feed has
 * not changed since the copy was made.
 *
 * Memory is fixed per feed: at most records_cap records and lines_cap
 * (FEED_LINES unless set before the first line) lines, allocated as they
 * first arrive (a feed with three collections
 * and no output holds three records).  See feed_bytes.  Nothing here
 * depends on libuv or ncurses.
 */
#ifndef GCWATCH_FEED_H
#define GCWATCH_FEED_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model/history.h"
#include "model/stats.h"
#include "trace/gcrecord.h"

/* The most recent records a feed keeps for the charts (the widest
 * window of the + key). */
#define FEED_RECORDS 2048
/* Lines of the program's own output kept for the output pane. */
#define FEED_LINES 200
/* Bytes kept of each such line: longer lines are cut (the view cuts
 * further to the pane's width). */
#define FEED_LINE_MAX 400
#define FEED_NAME_MAX 128

struct feed_line {
	uint16_t len;
	uint8_t stream;    /* 0 stdout (or the only stream), 1 stderr */
	uint8_t cut;       /* the line was longer than FEED_LINE_MAX */
	char text[FEED_LINE_MAX]; /* raw bytes: sanitise before drawing */
};

/*
 * A feed in one line, for the fleet table: what the dashboard copies of
 * every feed (the feed it shows is copied whole).  Window figures cover
 * the last FEED_ROW_WINDOW collections.
 */
#define FEED_ROW_WINDOW 60
/* The trend of a row: a point a minute over the 15 minutes up to the
 * feed's latest collection (its history). */
#define FEED_TREND 15

struct feed_row {
	char name[FEED_NAME_MAX];
	unsigned index;            /* in the model's feeds */
	unsigned input;            /* the feed's input (model inputs[]) */
	uint64_t version;          /* the feed's, when the row was made */
	uint64_t count, runs, last_ms;
	double rate, cpu, assist;  /* collections/s (run), GC CPU % (window),
	                              assist % of mark CPU (run); < 0 unknown */
	int64_t p99, max;          /* pause over the window, us; GC_NULL */
	int64_t live, goal;        /* MB of the last collection; GC_NULL */
	int64_t assist_us, mark_us; /* mark CPU: assist, and all three (run) */
	bool ended, tool;          /* the feed's */
	/* Sparklines, oldest first: 0 no collection in that minute, else 1..8
	 * of the row's own range (live heap: its most, min..max of the 15;
	 * GC CPU: 0..its highest). */
	uint8_t trend_live[FEED_TREND], trend_cpu[FEED_TREND];
};

struct feed {
	char name[FEED_NAME_MAX];
	unsigned input;            /* which input it came from (0: the first) */
	uint64_t version;          /* changes whenever anything below does */
	uint64_t first_ms, last_ms; /* arrival of its first and latest data */
	bool ended;                /* its process is known to have exited (a
	                              tool whose output the go command printed) */
	bool tool;                 /* the go command's or its tools': not a
	                              process the user runs (go run, go test) */

	struct stats stats;        /* the whole run */
	uint64_t total_records;
	uint64_t total_lines;

	/* Rings, oldest first through feed_record / feed_line. */
	struct gc_record *rec;
	unsigned rec_cap, rec_alloc, rec_head, nrecent;
	struct feed_line *lines;
	unsigned lines_cap, lines_alloc, lines_head, nlines;
	bool keep_lines;
	struct feed_line partial[2]; /* the line being assembled, per stream */

	/* Every collection on a time axis (history.h): wide tiers from
	 * feed_new; a fleet feed's narrower ones, or none without a
	 * dashboard, are set (feed_set_history) before its first record. */
	struct history hist;
};

/* A new feed keeping at most records_cap (<= FEED_RECORDS, 0 for the
 * default) recent records, and the output's lines when keep_lines.
 * NULL when out of memory. */
struct feed *feed_new(const char *name, unsigned records_cap, bool keep_lines);
void feed_free(struct feed *f);

/* Which history tiers to keep (before any record): none (!keep), the
 * fleet feeds' narrow ones, or the wide ones (feed_new's). */
void feed_set_history(struct feed *f, bool keep, bool wide);

/* Count a record and keep it among the recent ones.  Returns true when it
 * starts a run (see stats_add).  now_ms is the arrival time. */
bool feed_add_record(struct feed *f, const struct gc_record *r, uint64_t now_ms);

/* The program's own text, in any pieces: whole lines go to the ring. */
void feed_add_text(struct feed *f, unsigned stream, const char *s, size_t n,
                   uint64_t now_ms);

/* The i-th most recent record or line, 0 the oldest kept, i < nrecent
 * (nlines). */
const struct gc_record *feed_record(const struct feed *f, unsigned i);
const struct feed_line *feed_line(const struct feed *f, unsigned i);

/*
 * Make dst a copy of src (dst made by feed_new with the same capacity).
 * Does nothing when dst already holds src's version; returns the bytes
 * copied (0 then).  Neither side allocates beyond its caps.
 */
size_t feed_copy(struct feed *dst, const struct feed *src);

/* Bytes a feed uses now, and at most (full rings and history). */
size_t feed_bytes(const struct feed *f);
size_t feed_bytes_max(unsigned records_cap, bool keep_lines);

/* True when record i starts a run (its gc number is not above the
 * previous record's). */
bool feed_is_restart(const struct feed *f, unsigned i);

/* GC CPU of records first..last: the CPU time the collector used (sweep
 * termination, assist and background marking, mark termination; idle
 * workers are free, as in the runtime's own gc_cpu_fraction) over the wall
 * time between the first and the last collection times P, in %; -1 when
 * it cannot be told.  Only the latest run of the range counts, since "@"
 * times restart with the process. */
double feed_cpu_pct(const struct feed *f, unsigned first, unsigned last);

/* The feed's row (index: its place in the model). */
void feed_row(const struct feed *f, unsigned index, struct feed_row *row);

#endif
