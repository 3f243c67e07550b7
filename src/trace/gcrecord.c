#include "trace/gcrecord.h"

#include <string.h>

void gcrecord_clear(struct gc_record *r)
{
	memset(r, 0, sizeof *r);
	r->at_ms = GC_NULL;
	r->cpu_pct = GC_NULL;
	r->procs = GC_NULL;
	r->clock_sweep_term_us = GC_NULL;
	r->clock_mark_us = GC_NULL;
	r->clock_mark_term_us = GC_NULL;
	r->cpu_sweep_term_us = GC_NULL;
	r->cpu_assist_us = GC_NULL;
	r->cpu_background_us = GC_NULL;
	r->cpu_idle_us = GC_NULL;
	r->cpu_mark_term_us = GC_NULL;
	r->heap_start_mb = GC_NULL;
	r->heap_end_mb = GC_NULL;
	r->heap_live_mb = GC_NULL;
	r->heap_goal_mb = GC_NULL;
	r->stacks_mb = GC_NULL;
	r->globals_mb = GC_NULL;
	r->wall_ms = GC_NULL;
}

int64_t gcrecord_pause_us(const struct gc_record *r)
{
	int64_t a = r->clock_sweep_term_us, b = r->clock_mark_term_us;

	if (a == GC_NULL && b == GC_NULL)
		return GC_NULL;
	return (a == GC_NULL ? 0 : a) + (b == GC_NULL ? 0 : b);
}

bool gcrecord_equal(const struct gc_record *a, const struct gc_record *b)
{
	return a->gc == b->gc && a->at_ms == b->at_ms &&
	       a->cpu_pct == b->cpu_pct && a->procs == b->procs &&
	       a->clock_sweep_term_us == b->clock_sweep_term_us &&
	       a->clock_mark_us == b->clock_mark_us &&
	       a->clock_mark_term_us == b->clock_mark_term_us &&
	       a->cpu_sweep_term_us == b->cpu_sweep_term_us &&
	       a->cpu_assist_us == b->cpu_assist_us &&
	       a->cpu_background_us == b->cpu_background_us &&
	       a->cpu_idle_us == b->cpu_idle_us &&
	       a->cpu_mark_term_us == b->cpu_mark_term_us &&
	       a->heap_start_mb == b->heap_start_mb &&
	       a->heap_end_mb == b->heap_end_mb &&
	       a->heap_live_mb == b->heap_live_mb &&
	       a->heap_goal_mb == b->heap_goal_mb &&
	       a->stacks_mb == b->stacks_mb &&
	       a->globals_mb == b->globals_mb && a->forced == b->forced &&
	       a->era == b->era && strcmp(a->source, b->source) == 0;
}
