/*
 * gcmerge.h - two runtimes' gc lines interleaved token by token in one
 * line, taken apart.
 *
 * Two Go processes writing one pipe print each gc line in ~40 write(2)
 * calls (one per token, gcline.h), so their tokens can interleave inside
 * one line: "gc 53 @27.704gc s 219318 @56.918%s : ...".  Given the two
 * runs the line may continue (each expecting its next numbers, an "@" not
 * going back, its P and era), gcmerge_split finds every way to deal the
 * line's bytes out to two token sequences, each valid from its starting
 * state with every number in the runtime's exact format, and answers
 * only when all of them give the same two states.  Digits of one glued
 * onto a number of the other ("9" then "3" reads "93") are tried at every
 * split.  Otherwise the line is refused, never guessed: the caller drops
 * and counts what it held.
 *
 * The work space is fixed at creation; a search that would take longer
 * than a bound is refused too.  Knows nothing of streams; used by
 * gctrace.c.
 */
#ifndef GCWATCH_GCMERGE_H
#define GCWATCH_GCMERGE_H

#include <stddef.h>
#include <stdint.h>

#include "trace/gcline.h"

/* Longest line taken apart (two gc lines are ~300 bytes). */
#define GCM_TEXT_MAX 1024

/* What one side must continue: the run of one runtime. */
struct gcm_run {
	uint64_t gc_lo, gc_hi; /* its collection number: gc_lo..gc_hi */
	int64_t at_min;        /* its "@" (ms) not below this; GC_NULL: any */
	int32_t procs;         /* its P; 0: any */
	uint8_t era;           /* enum gc_era; 0: any */
	/* Its "MB globals": the size of the program's globals, the same in
	 * every record of a process (it changes only when a plugin is
	 * opened).  GC_NULL: any. */
	int64_t globals;
};

struct gcm_side {
	/* Where its part starts: gcl_start() for a record's head, or the
	 * state of a torn record whose rest this line may hold. */
	struct gcl_state st;
	struct gcm_run run;
	/* Its part ends the text: the line's newline is its, so its record
	 * must be whole (gcl_endable) at the end.  Otherwise it must only
	 * have begun: a token at least ("gc " alone is a head). */
	int ends;
	/* It may have no token in the line at all.  (A torn record waiting
	 * for its rest: the line may be the other's alone, and a reading
	 * that gives it some of the other's tokens must not be the only
	 * one tried.) */
	int may_skip;
};

enum gcm_result {
	GCM_NONE = 0,  /* no way to take the line apart so */
	GCM_UNIQUE,    /* one answer: every way gives the same two states */
	GCM_PARTLY,    /* ways that agree on one side only (see same[]) */
	GCM_AMBIGUOUS, /* ways that agree on neither, or too many to search */
};

struct gcmerge;

/* A work space.  NULL when out of memory. */
struct gcmerge *gcmerge_new(void);
void gcmerge_free(struct gcmerge *m);

/*
 * Take s[0..n) (one line, without its newline; n <= GCM_TEXT_MAX) apart
 * into side[0]'s and side[1]'s tokens, each side using at least one
 * token.  Sides whose values would be implausible (gcl_plausible) or of
 * another era than their run's do not count as ways.
 *
 * same[k] is set when every way gives side k the same state and leaves
 * the same bytes, in the same order, to the other side: then side k's
 * record is known exactly, and the other's bytes can go on (held or as
 * text) whatever it was.  GCM_UNIQUE: both; GCM_PARTLY: one.  Then out[k]
 * is side k's state at the end (of the first way found for a side not
 * the same), and owner[i] (n bytes, may be NULL) says which side wrote
 * byte i in that way.  GCM_NONE and GCM_AMBIGUOUS leave same[] 0.
 */
enum gcm_result gcmerge_split(struct gcmerge *m, const char *s, size_t n,
                              const struct gcm_side side[2], struct gcl_state out[2],
                              uint8_t *owner, int same[2]);

/*
 * The same, where the line ends side 0's record and side 1's next line,
 * tail[0..tail_n) (without its newline), is all side 1's and ends its
 * record: ways after which the tail does not end it are no ways, and
 * out[1] is side 1's state at the tail's end.  (Side 1 stealing tokens
 * of side 0's would leave it where its next line does not go on.)
 */
enum gcm_result gcmerge_split_tail(struct gcmerge *m, const char *s, size_t n,
                                   const struct gcm_side side[2], const char *tail,
                                   size_t tail_n, struct gcl_state out[2], uint8_t *owner,
                                   int same[2]);

#endif
