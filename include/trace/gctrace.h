/*
 * gctrace.h - streaming parser for the Go runtime's GODEBUG=gctrace output.
 *
 * One parser reads one byte stream (a pipe, a file, a fifo).  It is fed
 * chunks of any size; the records and text it delivers do not depend on
 * how the stream was cut into chunks.  It separates three kinds of text:
 *
 *   - gc lines, of every era from Go 1.2 on, anywhere in a line (after a
 *     syslog, journald, RFC 3339 or other prefix), delivered as records;
 *   - other runtime lines (GC forced, scvg, scav, pacer, SCHED, init,
 *     scan), delivered as runtime text;
 *   - everything else, the program's own output ("foreign" text),
 *     delivered byte for byte, a line at a time, newline included.
 *
 * Torn records: the runtime writes a gc line in ~40 write(2) calls and a
 * program's own writes can land between them.  A record split by whole
 * foreign lines is put back together and the foreign lines are delivered
 * whole.  Where the split cannot be undone without guessing a value, the
 * record is dropped and counted (torn_dropped) and the text is delivered as
 * foreign; a record is never emitted with a wrong value.
 *
 * Memory is fixed at creation: no allocation per line.  A line longer than
 * GCTRACE_LINE_MAX bytes is passed on as foreign text in pieces of that size.
 * Nothing here depends on libuv or ncurses.
 */
#ifndef GCWATCH_GCTRACE_H
#define GCWATCH_GCTRACE_H

#include <stddef.h>
#include <stdint.h>

#include "trace/gcrecord.h"

#define GCTRACE_LINE_MAX 65536

/*
 * Lanes: several runtimes may write one stream ("(a & b) 2>&1 |", a
 * supervisor, several processes in a container).  The parser keeps up to
 * GCTRACE_LANES open runs, each expecting its next collection number
 * with a non-decreasing "@" and the same P and era, and uses them to put
 * torn records back.  Every record says which it continued (lane, run in
 * struct gc_record): a record that follows no open run starts a new run,
 * in a free lane or in the one unused longest.  A demultiplexer splits
 * feeds by run; a restart of one process (numbers from 1 again) is a new
 * run too.  Where two runtimes' writes are seen landing in one line, their
 * tokens can mix into what reads as a valid record; then a record is
 * emitted only if it continues an open run exactly (number, P, era, "@")
 * with every time in the runtime's own format, or starts one from a clean
 * line of its own; anything else is dropped and counted.
 */
#define GCTRACE_LANES 16

/* Kinds of runtime line that are not gc records. */
enum gctrace_rt {
	GCTRACE_RT_GC_FORCED = 1, /* "GC forced" */
	GCTRACE_RT_SCVG,          /* scvgN: ..., scvg: ..., forced scvg: ... */
	GCTRACE_RT_SCAV,          /* scav ... (scavtrace) */
	GCTRACE_RT_PACER,         /* pacer: ... (gcpacertrace) */
	GCTRACE_RT_SCHED,         /* SCHED ... (schedtrace) */
	GCTRACE_RT_INIT,          /* init pkg @... ms, ... (inittrace) */
	GCTRACE_RT_SCAN,          /* scan: ... (gctrace=2, Go 1.25+) */
};

/*
 * Callbacks.  Any may be NULL.  Text pointers are valid only during the call.
 * Delivery order follows the stream, except that text around a torn record
 * is held until the record is resolved (a few lines at most).
 */
struct gctrace_sink {
	/* A collection. */
	void (*record)(void *ctx, const struct gc_record *r);
	/* The program's own text: one line including its '\n', or a piece of
	 * an over-long line, or the unterminated tail at the end of input. */
	void (*foreign)(void *ctx, const char *text, size_t len);
	/* A runtime line that is not a gc record, without its '\n'. */
	void (*runtime)(void *ctx, enum gctrace_rt kind, const char *text,
	                size_t len);
};

struct gctrace_counts {
	uint64_t bytes;          /* bytes fed */
	uint64_t lines;          /* lines seen (including unterminated tails) */
	uint64_t records;        /* records delivered */
	uint64_t runtime_lines;  /* other runtime lines delivered */
	uint64_t foreign_lines;  /* foreign lines or pieces delivered */
	uint64_t torn_recovered; /* records put back together across lines */
	uint64_t torn_dropped;   /* torn records that could not be recovered:
	                          * those dropped, those a gap in a runtime's
	                          * numbers shows lost since a tear, and,
	                          * where two runtimes print, each record's
	                          * "gc " that went out as text */
	uint64_t long_pieces;    /* pieces cut from lines over GCTRACE_LINE_MAX */
};

struct gctrace;

/* A new parser delivering to sink (copied) with ctx.  NULL when out of memory. */
struct gctrace *gctrace_new(const struct gctrace_sink *sink, void *ctx);
void gctrace_free(struct gctrace *p);

/* Feed len bytes (any content, including NUL).  Delivers what is complete. */
void gctrace_feed(struct gctrace *p, const char *buf, size_t len);

/* End of input: deliver the unterminated last line and anything held. */
void gctrace_finish(struct gctrace *p);

/* Input went quiet: deliver text held while waiting for the rest of a torn
 * record, and the unterminated partial line unless it may be the start of a
 * runtime line.  For live views; batch runs need not call it. */
void gctrace_idle(struct gctrace *p);

const struct gctrace_counts *gctrace_counts(const struct gctrace *p);

/* The time (Unix seconds) that gives the year of a log prefix's stamp
 * without one (logprefix_time); 0, the default: the clock's at each.
 * For tests. */
void gctrace_set_clock(struct gctrace *p, int64_t now_s);

/*
 * Parse one complete line (no '\n') on its own, without torn-record
 * handling: true and *out filled if it holds a whole gc line.  For tools
 * and tests.
 */
int gctrace_parse_line(const char *line, size_t len, struct gc_record *out);

#endif
