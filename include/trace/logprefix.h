/*
 * logprefix.h - the prefixes log collectors put before a program's lines.
 *
 * Recognises, at the start of a line: RFC 3339 timestamps (kubectl logs
 * --timestamps, docker logs -t, journalctl -o short-iso with "+0000" or
 * "+00:00"), syslog timestamps ("Feb 26 12:52:23.767", journalctl -o
 * short and short-precise), journalctl -o short-full ("Tue 2026-12-01
 * 21:25:35 UTC"), short-unix ("1764349200.123456") and short-monotonic
 * ("[ 12345.123456]") before a journald "host ident[pid]: ", RFC 3164
 * ("<30>Dec  1 12:00:00 host ident[pid]: ") and RFC 5424 ("<30>1 TIME HOST
 * APP PROCID MSGID SD "), kubectl --prefix "[pod/name/container] ", docker
 * compose "name  | ", and combinations of these.
 */
#ifndef GCWATCH_LOGPREFIX_H
#define GCWATCH_LOGPREFIX_H

#include <stddef.h>
#include <stdint.h>

/* What a prefix is made of: its parts, in order ("time host ident[pid]: "
 * is a timestamp then a journald name).  A collector puts the same shape
 * before every line, so the rest of a torn record sits after a prefix of
 * the same shape. */
#define LOGPREFIX_PARTS 4
struct logprefix_shape {
	uint8_t part[LOGPREFIX_PARTS];
	uint8_t n;
};

/* Length of the log prefix at the start of s[0..n), 0 when there is none. */
size_t logprefix_skip(const char *s, size_t n);

/* The same, and the prefix's shape in *shape. */
size_t logprefix_shape_of(const char *s, size_t n, struct logprefix_shape *shape);

/* Length of a prefix of exactly that shape at the start of s[0..n), 0 when
 * the line has none ("2026-…Z s app: x" is a timestamp, then text, when
 * the shape is a timestamp alone). */
size_t logprefix_skip_as(const char *s, size_t n, const struct logprefix_shape *shape);

/*
 * The name of the source that a prefix gives, if any: "ident[pid]" from
 * journald/syslog (RFC 5424: "APP[PROCID]"), "pod/name/container" from
 * kubectl --prefix, the service from docker compose.  Writes a
 * NUL-terminated string (empty when none) of at most cap-1 bytes into out.
 */
void logprefix_source(const char *s, size_t n, char *out, size_t cap);

/*
 * The wall clock a prefix's timestamp gives, in Unix milliseconds, or
 * GCWATCH_NO_TIME when the prefix carries none (kubectl --prefix alone,
 * short-monotonic's seconds since boot, RFC 5424's "-").  RFC 3339
 * (kubectl --timestamps, docker -t, short-iso, RFC 5424) with its zone
 * ("Z", "+01:00", "+0100"; none: local time); short-full with "UTC" or an
 * offset (another zone name: local time); short-unix exactly; syslog
 * stamps without a year (short, short-precise, RFC 3164) in local time,
 * in the year of now_s (Unix seconds; 0: the current time), or the one
 * before when that would be more than a day ahead of now_s.  Sub-second
 * digits are kept to the millisecond.
 */
#define GCWATCH_NO_TIME (-1)
int64_t logprefix_time(const char *s, size_t n, int64_t now_s);

/* The same with a cache of the local zone's offset and of the year, for a
 * stream of stamps (mktime and localtime cost microseconds a record): a
 * zeroed struct to start; not for a process that changes its TZ. */
struct logprefix_clock {
	int hour_known;
	int64_t hour_key, hour_off;
	int year;
	int64_t year_key;
};
int64_t logprefix_time_at(const char *s, size_t n, int64_t now_s,
                          struct logprefix_clock *clk);

/* logprefix_source and logprefix_time_at in one reading of the prefix. */
int64_t logprefix_source_time(const char *s, size_t n, char *out, size_t cap,
                              int64_t now_s, struct logprefix_clock *clk);

#endif
