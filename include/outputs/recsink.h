/*
 * recsink.h - the record outputs, one list of alike outputs: --json and
 * --csv (a line per record) and -r (the bytes read, for --replay).
 *
 * Each output writes through its own bounded queue (outq.h), so a full
 * disk, a stalled reader or a fifo without a reader never slows the
 * program being watched: what cannot be written is lost and counted
 * exactly, in records for --json and --csv, in bytes for -r.  The first
 * problem of each output is handed out once (recsinks_news) for the
 * caller to say at once; closing waits a bounded time for slow readers.
 *
 * Opening checks before anything is truncated that no output is the same
 * file (device and inode) as the input or as another output.
 */
#ifndef GCWATCH_RECSINK_H
#define GCWATCH_RECSINK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "trace/gcrecord.h"

enum recsink_kind {
	RECSINK_JSON,       /* --json FILE: JSON Lines */
	RECSINK_CSV,        /* --csv FILE: CSV with a header row */
	RECSINK_RECORDING,  /* -r FILE: the bytes read */
};

struct recsink_spec {
	enum recsink_kind kind;
	const char *path;   /* "-" is standard output */
};

/* How long closing waits for readers that do not keep up (ms). */
#define RECSINKS_CLOSE_MS 3000

struct recsinks;

/*
 * Check and open n outputs.  input is the path read ("-" standard input)
 * or NULL (a command's pipes).  lines: the recording of a command's two
 * streams is written a line at a time (so that a replay sees each stream's
 * lines whole).  A fifo is opened by the output's thread when it has no
 * reader yet.  On failure returns NULL with a one-line message (naming the
 * file) in err and *status 2 (an output is the input or another output) or
 * 1 (cannot open); nothing was truncated then.
 */
struct recsinks *recsinks_open(const struct recsink_spec *specs, size_t n,
                               const char *input, bool lines, char *err,
                               size_t errlen, int *status);

/* The same for several inputs (ninputs paths, "-" standard input). */
struct recsinks *recsinks_open_many(const struct recsink_spec *specs, size_t n,
                                    const char *const *inputs, size_t ninputs, bool lines,
                                    char *err, size_t errlen, int *status);

/* Some output writes to standard output. */
bool recsinks_use_stdout(const struct recsinks *s);
/* Some output is a recording (it wants recsinks_bytes). */
bool recsinks_recording(const struct recsinks *s);

/* A record to every record output. */
void recsinks_record(struct recsinks *s, const struct gc_record *r);
/* The same, source naming the record's feed in place of its own source
 * (NULL: its own; at most RECOUT_SOURCE_MAX bytes are written). */
void recsinks_record_as(struct recsinks *s, const struct gc_record *r, const char *source);
/* Bytes read from stream (0 or 1) to every recording. */
void recsinks_bytes(struct recsinks *s, unsigned stream, const char *buf, size_t len);

/* The most bytes any output holds queued, not yet written (a reader of a
 * regular file may pause on it rather than have records dropped). */
size_t recsinks_pending(const struct recsinks *s);

/* The first problem of an output that was not told yet, as a one-line
 * message without "gcwatch: " or newline: true and msg set, else false. */
bool recsinks_news(struct recsinks *s, char *msg, size_t cap);

/* Write out what is held and close every output, waiting at most
 * timeout_ms for all of them together; what is not written by then is
 * lost.  The counts below stay readable until recsinks_free. */
void recsinks_close(struct recsinks *s, unsigned timeout_ms);

/* What one output lost (after recsinks_close). */
struct recsink_report {
	const char *option;  /* "--json", "--csv", "-r" */
	const char *path;
	const char *unit;    /* "records" or "bytes" */
	uint64_t given;      /* records or bytes given to it */
	uint64_t lost;       /* of which not written */
	int err;             /* errno of the failure, ETIMEDOUT: reader stalled at the end */
	bool overflowed;     /* the reader did not keep up: the queue was full */
};
size_t recsinks_count(const struct recsinks *s);
void recsinks_report(const struct recsinks *s, size_t i, struct recsink_report *out);

/* Totals over the outputs: records lost by --json and --csv, bytes lost
 * by recordings. */
void recsinks_lost(const struct recsinks *s, uint64_t *records, uint64_t *bytes);

void recsinks_free(struct recsinks *s);

#endif
