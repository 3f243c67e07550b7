/*
 * demux.h - which feed (Go process) a record or a line of one input
 * belongs to.
 *
 * A collector's prefix names the process (journald and syslog
 * "ident[pid]", kubectl --prefix "pod/name/container", docker compose's
 * service): each name becomes a feed of its own, created with its first
 * record.  A line of the program's own text goes to the feed its prefix
 * names when that feed exists, and to the input's own feed otherwise.
 *
 * Without a prefix, several runtimes may still write one stream ("(a & b)
 * 2>&1 |", go build's compilers, a supervisor's workers).  Each process
 * is followed by its own numbering: a record continues a process when it
 * has the same P and era (and globals), the next collection number (a few
 * may have been lost) and an "@" time no earlier; among several such, the
 * one the input's order allows (records reach the stream in the order
 * they end: "@" plus the phases, plus when the process started, which no
 * process's order may contradict by more than DEMUX_SLACK_US) and whose
 * heap it continues best.  A record that continues none starts
 * a run: either a restart (the number back to 1 after a process stopped
 * collecting: the same feed, a new run) or a new process collecting next
 * to the others (a feed of its own).  Which one is told by looking ahead:
 * the run's records are held until every process it could be the restart
 * of has collected again (then it is a new process) or until the look-
 * ahead ends (DEMUX_LOOKAHEAD records of the input, or DEMUX_HOLD_MS since
 * the run began): then it is the restart of the one whose own run began
 * most alike (the "@" times and heaps of the first collections; a tie:
 * the one that collected last).
 * Records after a held one are held too, so that every record is delivered
 * in the input's order.  Nothing waits: holding is a bounded queue, and
 * demux_tick and demux_flush end the look-ahead when the input is quiet or
 * over.
 *
 * The go command (go build, go run, go test) prints what a compiler or
 * linker wrote once it has exited, after a line "# PKG": the run that
 * follows such a line is that tool's, in a feed named PKG (a package built
 * twice, as go run's compile and link are, is one feed with two runs).
 * Such a run is over when it is printed: nothing else continues it and it
 * is nobody's restart.
 *
 * The first process is the input's own feed, named "" (a record's source
 * stays null); when a second one appears the first is renamed "#1" and
 * the others are "#2", "#3", ... in order of appearance.
 *
 * When gcwatch watches several inputs, each has a demux of its own with
 * the input's name as prefix: its own feed is named after the input, and
 * every other "INPUT: KEY" ("n1: etcd[42]", "n1: #2"; DESIGN.md, "Several
 * sources"); its feeds are told their input's number.
 *
 * Feeds past the model's max_feeds are refused: their records and lines
 * are counted (refused) and delivered with no feed, so a prefix that
 * changes on every line cannot grow memory.  Nothing here depends on
 * libuv or ncurses.
 */
#ifndef GCWATCH_DEMUX_H
#define GCWATCH_DEMUX_H

#include <stddef.h>
#include <stdint.h>

#include "model/model.h"
#include "trace/gcrecord.h"

/* Unprefixed processes followed at once (the least recently seen is
 * forgotten past that: its feed stays, a later record of it starts a run). */
#define DEMUX_TRACKS 64
/* Look-ahead for a run that may be a restart: records of the input, and
 * milliseconds of arrival time. */
#define DEMUX_LOOKAHEAD 64
#define DEMUX_HOLD_MS 2000
/* Records held at most (then the oldest undecided run is decided). */
#define DEMUX_QUEUE 256
/* Collection numbers a continuation may skip (records torn beyond
 * recovery). */
#define DEMUX_GAP 16
/* Records of a run's beginning kept to tell whose restart it is. */
#define DEMUX_SIG 16
/* How far printing may lag behind a collection's end (us). */
#define DEMUX_SLACK_US 10000

/*
 * Where a record goes: f is its feed (NULL when refused), r the record
 * with its source set to the feed's name when the demultiplexer named it
 * ("#2"); restart is true when the record is a restart of f's process.
 */
typedef void (*demux_deliver_fn)(void *ctx, struct feed *f, const struct gc_record *r,
                                 uint64_t now_ms);

struct demux_track {
	struct feed *feed;      /* NULL while its run is undecided */
	uint64_t gc;            /* the last record's */
	int64_t at, goal, live, globals;
	int32_t procs, cpu;
	uint8_t era;
	uint64_t seen;          /* input record number of its last record */
	/* How its run began (the first DEMUX_SIG records): a restart of the
	 * same program begins alike. */
	uint8_t nsig;
	int64_t sig_at[DEMUX_SIG], sig_live[DEMUX_SIG], sig_goal[DEMUX_SIG];
	int64_t end;            /* its "@" plus its phases, us; GC_NULL */
	int64_t lag;            /* its arrival minus end, us: when the
	                           process started, give or take the delay */
	/* An undecided run: when it began, and the tracks it may restart
	 * (bit i: tracks[i]). */
	uint64_t began, began_ms;
	uint64_t maybe;
	int used;
	int block;              /* a tool's output the go command printed */
	int retired;            /* its feed went on with a run taken for its
	                           restart; collecting again, it was alive */
};

struct demux_held {
	struct gc_record r;
	uint64_t now_ms;
	int track;              /* -1: decided (prefixed, refused) */
	struct feed *f;
};

struct demux {
	struct model *m;
	struct feed *own;    /* the input's own feed */
	uint64_t refused;    /* records that found no feed */
	demux_deliver_fn deliver;
	void *ctx;

	struct demux_track tracks[DEMUX_TRACKS];
	/* Bit i: tracks[i] is used; used and undecided (maybe or began
	 * set); used and a block.  The loops over tracks visit only these:
	 * a long input keeps most of the 64 in use, few undecided. */
	uint64_t used, undecided, blocks;
	/* What the input's order says of when the processes started: the
	 * start of tracks[p] minus that of tracks[q] is at most bound[p][q]
	 * us (a record of p printed before one of q ended no later). */
	int64_t (*bound)[DEMUX_TRACKS];
	uint64_t seen;       /* unprefixed records so far */
	unsigned nunnamed;   /* unprefixed feeds made */
	/* The go command's "# PKG" before a tool's output, waiting for the
	 * run it names. */
	char header[FEED_NAME_MAX];
	uint64_t restarts;   /* runs decided to be restarts */
	int go;              /* the go command prints here ("# PKG" seen) */
	uint64_t forced;     /* decisions forced by a full queue */

	struct demux_held *q; /* ring of DEMUX_QUEUE */
	unsigned qhead, qlen;

	char prefix[FEED_NAME_MAX]; /* the input's name, or "" (one input) */
	unsigned input;      /* the input's number, given to its feeds */
};

/* Start demultiplexing an input into m, delivering records to deliver;
 * its own feed is created now.  Returns 0, or -1 when it cannot be
 * (max_feeds reached, no memory). */
int demux_init(struct demux *d, struct model *m, demux_deliver_fn deliver, void *ctx);
void demux_free(struct demux *d);

/* The same for input number input of several, named prefix (NULL or "":
 * as demux_init). */
int demux_init_named(struct demux *d, struct model *m, demux_deliver_fn deliver, void *ctx,
                     const char *prefix, unsigned input);

/* The name of the feed that demultiplexing key (a record's source, "#2",
 * "" for the input's own) becomes in this input, into out (cut to cap). */
void demux_name(const struct demux *d, const char *key, char *out, size_t cap);

/* A record arrived at now_ms: delivered now or, while a run is being
 * decided, later (by a later call, demux_tick or demux_flush). */
void demux_record(struct demux *d, const struct gc_record *r, uint64_t now_ms);

/* Time passed (the input may be quiet): end the look-ahead of runs older
 * than DEMUX_HOLD_MS and deliver what follows. */
void demux_tick(struct demux *d, uint64_t now_ms);

/* The input ended: decide everything held and deliver it. */
void demux_flush(struct demux *d);

/* Records held now. */
unsigned demux_held(const struct demux *d);

/* A line of the program's text, in the input's order with the records
 * (every one, whether or not lines are kept). */
void demux_text(struct demux *d, const char *s, size_t n);

/* The feed a line of the program's text (as the parser delivered it, log
 * prefix included) goes to. */
struct feed *demux_line(struct demux *d, const char *s, size_t n);

#endif
