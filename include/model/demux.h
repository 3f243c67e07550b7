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
 * When gcwatch watches several inputs, each has a demux of its own with
 * the input's name as prefix: its own feed is named after the input, and
 * a prefixed process "INPUT: KEY" (DESIGN.md, "Several sources").
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
	char prefix[FEED_NAME_MAX]; /* the input's name, or "" (one input) */
	unsigned input;      /* the input's number, given to its feeds */
};

/* Start demultiplexing an input into m; its own feed is created now.
 * Returns 0, or -1 when it cannot be (max_feeds reached, no memory). */
int demux_init(struct demux *d, struct model *m);

/* The same for input number input of several, named prefix (NULL or "":
 * as demux_init). */
int demux_init_named(struct demux *d, struct model *m, const char *prefix,
                     unsigned input);

/* The name of the feed that demultiplexing key (a record's source, "" for
 * none) becomes in this input, into out (cut to cap). */
void demux_name(const struct demux *d, const char *key, char *out, size_t cap);

/* The feed a record goes to, or NULL when refused (counted). */
struct feed *demux_record(struct demux *d, const struct gc_record *r);

/* The feed a line of the program's text (as the parser delivered it, log
 * prefix included) goes to. */
struct feed *demux_line(struct demux *d, const char *s, size_t n);

#endif
