/*
 * recout.h - records as JSON Lines and CSV (DESIGN.md, "Record").
 *
 * Keys or columns in the contract's order: gc, at_s, cpu_pct,
 * clock_sweep_term_ms, clock_mark_ms, clock_mark_term_ms, cpu_sweep_term_ms,
 * cpu_assist_ms, cpu_background_ms, cpu_idle_ms, cpu_mark_term_ms,
 * heap_start_mb, heap_end_mb, heap_live_mb, heap_goal_mb, stacks_mb,
 * globals_mb, procs, forced, source.
 *
 * Numbers are written exactly from the record's integer units, without
 * printf, exponent or trailing zeros: 50 us is 0.05, 2192000 us is 2192,
 * at_ms 4316062 is 4316.062.  A negative field (GC_NULL) is null in JSON
 * and empty in CSV, and so is an empty source.  The output is always valid
 * UTF-8 whatever bytes the source holds: a byte that is not part of a valid
 * UTF-8 sequence becomes U+FFFD.  Nothing here depends on libuv or ncurses.
 */
#ifndef GCWATCH_RECOUT_H
#define GCWATCH_RECOUT_H

#include <stddef.h>

#include "trace/gcrecord.h"

/* Enough for any record in either format, newline and NUL included. */
#define RECOUT_MAX 2048
/* The longest source name given to the _as functions (bytes; longer is
 * cut): a feed's name. */
#define RECOUT_SOURCE_MAX 128

/*
 * One JSON object and its '\n', no spaces, NUL-terminated, into buf.
 * Returns the length without the NUL.  Like snprintf, a buffer smaller
 * than needed gets as much as fits (cap - 1 bytes and a NUL) and the
 * return value is still the full length; cap >= RECOUT_MAX always fits.
 */
size_t recout_json(char *buf, size_t cap, const struct gc_record *r);

/* One CSV row and its '\n' (RFC 4180 quoting for the source, forced as
 * true/false), with the same buffer rules as recout_json. */
size_t recout_csv(char *buf, size_t cap, const struct gc_record *r);

/* The same with source in place of the record's own (NULL: its own): the
 * feed's name when gcwatch watches several inputs. */
size_t recout_json_as(char *buf, size_t cap, const struct gc_record *r, const char *source);
size_t recout_csv_as(char *buf, size_t cap, const struct gc_record *r, const char *source);

/* The CSV header row, with its '\n'. */
const char *recout_csv_header(void);

#endif
