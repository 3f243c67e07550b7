/*
 * metrics.h - the gctrace metrics of each source, and their Prometheus
 * text 0.0.4 and OpenMetrics 1.0 renderings (DESIGN.md, "Metrics
 * endpoint").
 *
 * One struct metrics holds per-source state: counters, the pause
 * histogram (fixed buckets from 10 us to 10 s, the same for every source
 * and for the life of the process, so that they aggregate across a
 * fleet) and the last collection's gauges.  It is updated from records,
 * line and drop counts and input states, keyed by a source name; NULL or
 * "" is the unnamed single feed, whose series carry no `source` label.
 *
 * Threads: the update functions and metrics_publish are called from one
 * thread (ingest).  metrics_publish copies the state into an immutable,
 * reference-counted snapshot and swaps it in under a lock held only for
 * the pointer swap; metrics_acquire (any thread) takes a reference to the
 * latest one.  Rendering works on a snapshot alone.  Ingest therefore
 * never waits for a scrape, nor a scrape for ingest.
 *
 * Bounds: at most max_sources sources; records of a source that finds no
 * room are counted (gctrace_overflow_records_total) and not exposed.  A
 * named source silent (no record, count or state change) for longer than
 * the retention is dropped; the unnamed feed stays for the whole run.
 * Values are exact: integer microseconds, milliseconds and MiB printed as
 * decimals without rounding.  Nothing here depends on libuv or HTTP.
 */
#ifndef GCWATCH_METRICS_H
#define GCWATCH_METRICS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "trace/gcrecord.h"

/* Upper bounds of the pause histogram's buckets, microseconds (the +Inf
 * bucket comes after them). */
#define METRICS_BUCKETS 19
extern const int64_t metrics_bucket_us[METRICS_BUCKETS];

#define METRICS_SOURCES_MAX 4096           /* default max_sources */
#define METRICS_RETENTION_MS (15 * 60000)  /* default retention */

enum metrics_format {
	METRICS_TEXT = 0,      /* text/plain; version=0.0.4 */
	METRICS_OPENMETRICS,   /* application/openmetrics-text; version=1.0.0 */
};

/* Kinds of line, for gctrace_lines_total{kind}. */
enum metrics_line_kind { METRICS_LINES_GC, METRICS_LINES_RUNTIME, METRICS_LINES_PROGRAM };

struct metrics;
struct metrics_snap;

/* max_sources 0 or retention_ms 0: the defaults above. NULL when out of
 * memory. */
struct metrics *metrics_new(unsigned max_sources, uint64_t retention_ms);
void metrics_free(struct metrics *m);

/* A collection of source, read at now_ms (Unix time, ms). */
void metrics_record(struct metrics *m, const char *source, const struct gc_record *r,
                    uint64_t now_ms);
/* The source's totals so far (they only grow): lines of each kind and
 * records that could not be read back exactly. */
void metrics_lines(struct metrics *m, const char *source, uint64_t gc, uint64_t runtime,
                   uint64_t program, uint64_t dropped, uint64_t now_ms);
/* The source's input is open (up) or closed.  NULL or "": the input
 * itself, which sets every source's (and new sources start so). */
void metrics_up(struct metrics *m, const char *source, bool up, uint64_t now_ms);

/* Drop sources past their retention and, if anything changed since the
 * last publish (or force), publish a new snapshot.  Returns the version
 * of the latest snapshot (0 before the first). */
uint64_t metrics_publish(struct metrics *m, uint64_t now_ms, bool force);

/* The latest snapshot with a reference taken, or NULL before the first
 * publish.  Any thread. */
struct metrics_snap *metrics_acquire(struct metrics *m);
void metrics_snap_release(struct metrics_snap *s);
uint64_t metrics_snap_version(const struct metrics_snap *s);
unsigned metrics_snap_sources(const struct metrics_snap *s);

/* Render a snapshot.  Returns a malloc'd body (not NUL-terminated) and its
 * length in *len, or NULL when out of memory. */
char *metrics_render(const struct metrics_snap *s, enum metrics_format f, size_t *len);

/* The format an Accept header asks for (content negotiation as
 * client_golang does it: by q, first known type wins; 0.0.4 otherwise). */
enum metrics_format metrics_negotiate(const char *accept);
const char *metrics_content_type(enum metrics_format f);

#endif
