/*
 * logprefix.h - the prefixes log collectors put before a program's lines.
 *
 * Recognises, at the start of a line: RFC 3339 timestamps (kubectl logs
 * --timestamps, docker logs -t), syslog timestamps ("Feb 26 12:52:23.767"),
 * journald's "host ident[pid]: ", kubectl --prefix "[pod/name/container] ",
 * docker compose "name  | ", and combinations of these.
 */
#ifndef GCWATCH_LOGPREFIX_H
#define GCWATCH_LOGPREFIX_H

#include <stddef.h>

/* Length of the log prefix at the start of s[0..n), 0 when there is none. */
size_t logprefix_skip(const char *s, size_t n);

/*
 * The name of the source that a prefix gives, if any: "ident[pid]" from
 * journald/syslog, "pod/name/container" from kubectl --prefix, the service
 * from docker compose.  Writes a NUL-terminated string (empty when none)
 * of at most cap-1 bytes into out.
 */
void logprefix_source(const char *s, size_t n, char *out, size_t cap);

#endif
