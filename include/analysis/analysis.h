/*
 * analysis.h - one feed's diagnosis: MMU, findings and what-if, together.
 *
 * A feed owns one struct analysis and feeds it every record (next to
 * stats_add).  Memory is bounded: about 17 KB in the struct, and the
 * MMU's ring of the last second's collections (48 bytes each, 16 at
 * first, growing as needed; see analysis_bytes).  The
 * summary's lines, its JSON and the --fail-if metrics mmu.* and finding.*
 * all read the same state.  Nothing here depends on libuv or ncurses.
 */
#ifndef GCWATCH_ANALYSIS_H
#define GCWATCH_ANALYSIS_H

#include <stdbool.h>
#include <stdio.h>

#include "analysis/findings.h"
#include "analysis/mmu.h"
#include "analysis/whatif.h"
#include "model/feed.h"
#include "model/stats.h"

/* What the trace does not say, when gcwatch knows it otherwise. */
struct analysis_opts {
	double gogc;           /* GOGC in force (-1 off), -2 unknown */
	const char *gogc_from; /* where it was learnt ("environment"), or NULL */
	double limit_mb;       /* GOMEMLIMIT in force, 0 none or unknown */
	double whatif_limit_mb; /* --what-if-limit, 0 none */
};

/* The MMU figures over the feed's latest seconds (as far as the feed
 * keeps its records), in the summary's JSON. */
#define ANALYSIS_RECENT_S 60

struct analysis {
	struct analysis_opts o;
	struct mmu mmu;
	struct whatif whatif;
	struct findings findings;
};

void analysis_init(struct analysis *a, const struct analysis_opts *o);
void analysis_add(struct analysis *a, const struct gc_record *r);
/* Free what analysis_init and analysis_add allocated (not a itself). */
void analysis_free(struct analysis *a);
/* Bytes a uses now. */
size_t analysis_bytes(const struct analysis *a);

/*
 * MMU over the records first .. first+n-1 that feed f keeps (the charts'
 * window), computed afresh: util[i] for window i, or -1 when no window of
 * that length fits.  False when none does.
 */
bool analysis_mmu_of(const struct feed *f, unsigned first, unsigned n,
                     double util[MMU_WINDOWS]);
/* The first of f's kept records of its latest run within the last
 * seconds of "@" time (f->nrecent when none is timed). */
unsigned analysis_recent_first(const struct feed *f, int64_t seconds);

/* The findings that hold (out is FIND_COUNT long); returns how many. */
int analysis_findings(const struct analysis *a, const struct stats *s,
                      struct finding *out);

/*
 * The metrics for --fail-if: mmu.10ms mmu.50ms mmu.100ms mmu.1s (in %,
 * over the run) and finding.NAME (1 when the finding holds, else 0).
 * Returns 0 with *value set, 1 when there is no value, -1 for an unknown
 * name.
 */
int analysis_metric(const struct analysis *a, const struct stats *s,
                    const char *name, double *value);
/* True for a known metric name; finding.* names are conditions alone. */
bool analysis_metric_known(const char *name);
bool analysis_metric_is_finding(const char *name);
/* The names, NULL-terminated. */
const char *const *analysis_metric_names(void);

/*
 * What the dashboard shows of a feed's analysis, copied out under the
 * engine's lock (plain data, no pointers into the engine except the
 * findings' static names).
 */
struct analysis_digest {
	bool have;               /* the feed has an analysis */
	uint64_t cycles;         /* records it placed on the MMU timeline */
	double mmu[MMU_WINDOWS]; /* over the run, -1: no window fits */
	int nfind;
	struct finding find[FIND_COUNT]; /* in table order */
	bool have_est;
	struct whatif_est est;
	int npred;               /* GOGC 50..400, then the limit's row */
	struct whatif_pred pred[WHATIF_NGOGC + 1];
	double gogc;             /* in force: given, else inferred; -2 unknown */
	bool gogc_given;
};

/* Fill d from a (NULL: d->have false) and the feed's statistics. */
void analysis_digest(const struct analysis *a, const struct stats *s,
                     struct analysis_digest *d);
/* The same in two steps, so that a copy can do the costly one: the MMU
 * figures (which read the ring a owns), then the rest (findings and
 * what-if, from a's fixed-size members alone: a may be a copy whose ring
 * is gone). */
void analysis_digest_mmu(const struct analysis *a, struct analysis_digest *d);
void analysis_digest_rest(const struct analysis *a, const struct stats *s,
                          struct analysis_digest *d);

/* The summary's lines: mmu, finding NAME: ...; try ..., what-if.  A
 * finding's line (some 250 characters) is folded at width columns with a
 * hanging indent under the label column (width <= 0: one line each). */
void analysis_print(const struct analysis *a, const struct stats *s, FILE *out,
                    int width);

/* The "mmu", "findings", "what_if" and "what_if_inputs" members of a
 * feed's JSON summary block, each preceded by a comma; the MMU's "recent"
 * member is over f's kept records (null when f is NULL). */
void analysis_json(const struct analysis *a, const struct stats *s,
                   const struct feed *f, FILE *out);

/*
 * GOGC as the runtime reads it: a number (>= 0), "off" (-1); NULL or ""
 * is the default 100; anything else -2.
 */
double analysis_parse_gogc(const char *s);
/*
 * A size into MB (MiB): a number with B, KB/KiB, MB/MiB, GB/GiB or TB/TiB
 * (powers of 1024), or without a unit in def_unit_mb MB (1.0/1048576 for
 * bytes, as GOMEMLIMIT).  Returns false when it is not one.
 */
bool analysis_parse_size(const char *s, double def_unit_mb, double *mb);

#endif
