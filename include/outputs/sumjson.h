/*
 * sumjson.h - the end-of-run summary as JSON (--summary-json).
 *
 *   {"feeds":[BLOCK, ...],"all":BLOCK}
 *
 * A block is a function of one feed's state alone (its stats and its
 * analysis), so that several feeds are written by calling sumjson_block
 * for each: {"source":..., "gc":{...}, "pause":{...}, "heap":{...},
 * "mark":{...}, "mmu":{...}, "findings":[...], "what_if":[...],
 * "what_if_inputs":{...}}.  The gc, pause, heap and mark members hold the
 * summary's metrics (stats_metric_names), named by what follows the group
 * ("pause.p99" is "pause":{"p99":...}, "heap.live.max" is
 * "heap":{"live_max":...}), in the metrics' units (ms, MB, %, /s), null
 * when the trace has no value.  gcwatch(1) documents every field.
 */
#ifndef GCWATCH_SUMJSON_H
#define GCWATCH_SUMJSON_H

#include <stdio.h>

#include "analysis/analysis.h"
#include "model/feed.h"
#include "model/stats.h"

/* One feed's block; source NULL writes null; a NULL a (no analysis, as
 * for several feeds pooled) writes null for its four members; f (or
 * NULL) is the feed whose kept records give the MMU's "recent" member. */
void sumjson_block(FILE *out, const char *source, const struct stats *s,
                   const struct analysis *a, const struct feed *f);

#endif
