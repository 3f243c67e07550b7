/*
 * gate.h - --fail-if: conditions on the end-of-run summary, for CI.
 *
 * An expression is "METRIC OP VALUE[UNIT]", e.g. "pause.p99 > 5ms",
 * "gc.cpu > 10%", "heap.live.max > 512MB".  METRIC is one of the summary's
 * figures (stats_metric_names); OP one of > >= < <= == !=; the unit must
 * fit the metric: us, ms, s for times (default ms), KB, MB, GB, TB for
 * sizes (default MB; powers of 1024, as the runtime's MB), % for shares,
 * /s (or /min, /h) for the rate.  The analysis adds mmu.10ms, mmu.50ms,
 * mmu.100ms, mmu.1s (in %: 'mmu.10ms < 50%') and finding.NAME, which is a
 * condition alone ('finding.assist' holds when that finding is raised).
 * Nothing here depends on libuv or ncurses.
 */
#ifndef GCWATCH_GATE_H
#define GCWATCH_GATE_H

#include <stdbool.h>
#include <stddef.h>

#include "analysis/analysis.h"
#include "model/stats.h"

/* The exit status when a condition holds (and the command, if any, exited
 * 0): chosen apart from the usual statuses of tools (1, 2, 124-127,
 * 128+N). */
#define GATE_EXIT 99

struct gate {
	char text[128];   /* the expression as given */
	char metric[32];
	int op;           /* enum in gate.c */
	double value;     /* in the metric's base unit (stats_metric) */
};

/* Parse expr into g.  Returns 0, or -1 with a message saying what was
 * expected written into err. */
int gate_parse(const char *expr, struct gate *g, char *err, size_t errlen);

/*
 * Does the condition hold for one feed's s and a (a may be NULL: then the
 * analysis metrics have no value)?  *actual gets the metric's value (base
 * unit; 1 or 0 for a finding).  A metric without a value (no collections)
 * does not hold.
 */
bool gate_holds(const struct gate *g, const struct stats *s,
                const struct analysis *a, double *actual, bool *has_value);

/* The base unit of the metric's values: "ms", "MB", "%", "/s" or "". */
const char *gate_unit(const struct gate *g);

#endif
