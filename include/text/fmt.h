/*
 * fmt.h - numbers for people: durations, sizes, rates, percentages and
 * elapsed time in adaptive units, short enough for a dashboard cell.
 *
 * Each writes into a caller's buffer of FMT_MAX bytes and returns it, so
 * that calls can sit in a printf argument list.  At most three significant
 * digits, trailing zeros trimmed (1.1ms, 20.2/s, 150ms), as the end-of-run
 * summary prints them.  Output is ASCII unless a function says otherwise.
 * Nothing here depends on libuv or ncurses.
 */
#ifndef GCWATCH_FMT_H
#define GCWATCH_FMT_H

#include <stdbool.h>
#include <stdint.h>

#define FMT_MAX 32

/* A duration in microseconds: 0us, 120us, 1.1ms, 61.2s.  With ascii false
 * the microsecond unit is "µs" (UTF-8).  Negative (GC_NULL): "-". */
char *fmt_us(char *buf, int64_t us, bool ascii);

/* A size in MB (MiB) as the runtime prints it: 512 MB, 10.5 GB, 1.2 TB.
 * Negative: "-". */
char *fmt_mb(char *buf, int64_t mb);

/* Events per second: 20.2/s, or per minute or hour when slower (3/min). */
char *fmt_rate(char *buf, double per_s);

/* A percentage, 0..100: 12%, and below 1 with one decimal (0.4%) so a
 * small share does not read as none. */
char *fmt_pct(char *buf, double pct);

/* Elapsed time: 0s, 45s, 5m03s, 1h02m03s (hours keep growing: 100h00m00s). */
char *fmt_elapsed(char *buf, uint64_t ms);

/* A count: exact below a million (26471), then 1.23M, 4.5G. */
char *fmt_count(char *buf, uint64_t n);

#endif
