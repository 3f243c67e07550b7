/*
 * promhttp.h - the metrics endpoint over HTTP (libevent's evhttp), on a
 * thread of its own.
 *
 * GET or HEAD /metrics serves the latest published snapshot of a struct
 * metrics, rendered in the format the Accept header asks for (each
 * snapshot is rendered at most once per format, however many scrapes);
 * GET / answers with a line pointing to /metrics; other paths 404; other
 * methods 405.  The server never touches the live metric state, only
 * snapshots, so a scrape never waits for ingest and no client, however
 * slow or idle, can hold ingest up.
 *
 * Bounds: PROMHTTP_CONN_MAX connections at once (past that, new ones wait
 * in the kernel's backlog until one closes), request headers of
 * PROMHTTP_HEADERS_MAX bytes (past that evhttp answers 400),
 * PROMHTTP_IO_TIMEOUT_S
 * seconds without progress, and PROMHTTP_CONN_SECONDS seconds for a
 * connection to complete a request (since it opened or since its last
 * completed request): a slow reader or a header dribbler is cut there.
 */
#ifndef GCWATCH_PROMHTTP_H
#define GCWATCH_PROMHTTP_H

#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include "outputs/metrics.h"

#define PROMHTTP_CONN_MAX 64
#define PROMHTTP_HEADERS_MAX 8192
#define PROMHTTP_IO_TIMEOUT_S 5
#define PROMHTTP_CONN_SECONDS 10

/*
 * Parse a --listen value, "[HOST:]PORT": HOST a numeric IPv4 address, an
 * IPv6 address in brackets ("[::1]:9187"), "localhost", or empty; no
 * HOST (":9187" or "9187") is 127.0.0.1.  No name lookup (a static binary
 * needs no NSS).  Returns 0, or -1 with a message in err.
 */
int promhttp_parse_listen(const char *s, struct sockaddr_storage *ss, socklen_t *len,
                          char *err, size_t errlen);

struct promhttp;

/*
 * Listen on addr (a --listen value) and serve m on a new thread.  Returns
 * NULL with a message naming the address in err when the address is
 * malformed or cannot be bound.
 */
struct promhttp *promhttp_start(const char *addr, struct metrics *m, char *err, size_t errlen);

/* The port actually bound (useful with port 0). */
int promhttp_port(const struct promhttp *h);

/*
 * Wait until a scrape of /metrics with snapshot version >= version has
 * been written out completely, or timeout_ms has passed.  Returns 1 when
 * such a scrape happened, 0 on timeout.
 */
int promhttp_wait_served(struct promhttp *h, uint64_t version, uint64_t timeout_ms);

/* Stop serving, close every connection and join the thread. */
void promhttp_stop(struct promhttp *h);

#endif
