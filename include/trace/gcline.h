/*
 * gcline.h - the grammar of one Go 1.5+ gc line, matchable from any point.
 *
 * The runtime prints a gc line as a sequence of tokens, each one write(2):
 * literals ("gc ", " @", "s ", "+", " ms clock, ", ...) and numbers.  A
 * match can start at any token, so that a line torn by the program's own
 * output can be continued on a later line.  Where a match stops before the
 * end of the line, the caller gets the token boundaries at which the
 * runtime's part may end, with the values parsed up to each: the rest of
 * the line is then the program's text.
 *
 * Numbers are checked against the exact formats the runtime prints
 * (fmtNSAsMS for times, three decimals for "@"), which makes most splits
 * unambiguous.  Used by gctrace.c; knows nothing of streams.
 */
#ifndef GCWATCH_GCLINE_H
#define GCWATCH_GCLINE_H

#include <stddef.h>
#include <stdint.h>

#include "trace/gcrecord.h"

/* Slots for the values met along the way. */
enum gcl_field {
	GCL_F_NONE = 0,
	GCL_F_GC,
	GCL_F_AT,
	GCL_F_PCT,
	GCL_F_C1, GCL_F_C2, GCL_F_C3, GCL_F_C4, GCL_F_C5,
	GCL_F_U1, GCL_F_U2, GCL_F_U3, GCL_F_U4, GCL_F_U5, GCL_F_U6, GCL_F_U7,
	GCL_F_H0, GCL_F_H1, GCL_F_H2, GCL_F_GOAL,
	GCL_F_TMP, /* stacks or P: known only from the literal after it */
	GCL_F_STACKS, GCL_F_GLOBALS, GCL_F_PROCS,
	GCL_F_FORCED,
	GCL_F_ERA15, /* took the five-phase (Go 1.5) branch */
	GCL_F_COUNT
};

/* Where a match stands: the next token to match and the values so far. */
struct gcl_state {
	uint8_t tok;
	int64_t v[GCL_F_COUNT];
};

/* The token a record starts with ("gc "). */
#define GCL_TOK_START 0

/* A place where the runtime's part of a line may end. */
struct gcl_cut {
	struct gcl_state st; /* state after the runtime's part */
	uint32_t pos;        /* offset where the program's text begins */
	uint8_t digits;      /* runtime digits taken from the run at the cut */
	uint8_t run;         /* length of the digit run the cut is in (0: none) */
	uint8_t num_field;   /* field of that run's number (GCL_F_NONE: none) */
};

enum gcl_result {
	GCL_NONE = 0, /* the first token did not match at all */
	GCL_PARTIAL,  /* matched up to some point; see the cuts */
	GCL_COMPLETE, /* matched to the end of the record and of the text */
};

#define GCL_MAX_CUTS 96

/*
 * Match s[0..n) (one line without '\n' or trailing '\r') from state *st.
 * GCL_COMPLETE: *st is the final state.  GCL_PARTIAL: cuts[0..*ncuts) are
 * the candidate ends of the runtime's part (*ncuts may be 0 when no cut is
 * possible).  GCL_NONE: nothing matched.
 */
enum gcl_result gcl_match(struct gcl_state *st, const char *s, size_t n,
                          struct gcl_cut *cuts, int *ncuts);

/* The table-driven match alone, without the fast path for whole lines:
 * true when complete.  For tests, which check that both agree. */
int gcl_match_slow(struct gcl_state *st, const char *s, size_t n);

/*
 * Every place where the runtime's part of s[0..n) may end when it is
 * matched from *st (unchanged) with every number in the runtime's exact
 * format: each token boundary reached (the place before the first token
 * included, pos 0) and each strict prefix of a number, up to where the
 * match stops; a cut whose state is gcl_endable is the end of a record.
 * Unlike gcl_match there is no fast path that skips the cuts of a whole
 * line.  Fills cuts[0..*ncuts) (at most max); returns 0, or -1 when more
 * did not fit (the set is then incomplete: the caller must not rely on it).
 */
int gcl_cuts_strict(const struct gcl_state *st, const char *s, size_t n,
                    struct gcl_cut *cuts, int max, int *ncuts);

/* A fresh state at the start of a record. */
void gcl_start(struct gcl_state *st);

/* True when the state has matched at least "gc N @" (a real runtime line,
 * not a "gc " inside prose). */
int gcl_is_strong(const struct gcl_state *st);

/* Non-zero when every value is known and only the end may still come:
 * 2 when " (forced)" may too, 1 when only the end of line. */
int gcl_endable(const struct gcl_state *st);

/* True when s[0..n) starts like the rest of a torn gc line (" MB, ",
 * " ms cpu, ", "->", ...): such a line is not taken for the program's. */
int gcl_looks_continued(const char *s, size_t n);

/* Convert a complete state into a record (source left empty). */
void gcl_to_record(const struct gcl_state *st, struct gc_record *r);

/* Plausibility of a complete state: heap at start and live heap not above
 * heap at end, utilisation <= 100, the stop-the-world phases' CPU times
 * their clock times times one count of procs.  Used only to choose
 * between splits. */
int gcl_plausible(const struct gcl_state *st);

/* Parse a whole Go <= 1.4 line ("gc76(1): 2+1+1390+1 us, 1 -> 3 MB, ...")
 * starting at s.  Returns 1 and fills *r on success. */
int gcl_parse_pre15(const char *s, size_t n, struct gc_record *r);

#endif
