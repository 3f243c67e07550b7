/*
 * demux.h - which feed (Go process) a record or a line of one input
 * belongs to.
 *
 * A collector's prefix names the process (journald and syslog
 * "ident[pid]", kubectl --prefix "pod/name/container", docker compose's
 * service): each name becomes a feed of its own, created with its first
 * record.  A line of the program's own text goes to the feed its prefix
 * names when that feed exists, and to the input's own feed otherwise.
 * Without any prefix everything is the input's own feed (named "").
 *
 * Feeds past the model's max_feeds are refused: their records and lines
 * are counted (refused) and go nowhere, so a prefix that changes on every
 * line cannot grow memory.  Nothing here depends on libuv or ncurses.
 */
#ifndef GCWATCH_DEMUX_H
#define GCWATCH_DEMUX_H

#include <stddef.h>
#include <stdint.h>

#include "model/model.h"
#include "trace/gcrecord.h"

struct demux {
	struct model *m;
	struct feed *own;    /* the input's own feed */
	uint64_t refused;    /* records that found no feed */
};

/* Start demultiplexing an input into m; its own feed is created now.
 * Returns 0, or -1 when it cannot be (max_feeds reached, no memory). */
int demux_init(struct demux *d, struct model *m);

/* The feed a record goes to, or NULL when refused (counted). */
struct feed *demux_record(struct demux *d, const struct gc_record *r);

/* The feed a line of the program's text (as the parser delivered it, log
 * prefix included) goes to. */
struct feed *demux_line(struct demux *d, const char *s, size_t n);

#endif
