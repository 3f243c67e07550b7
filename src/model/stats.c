#include "model/stats.h"

#include "text/fmt.h"

#include <string.h>

/*
 * An "@" time above this (about 31 years) is not believed.  A real Go
 * 1.6-1.17 trace holds "@18445023415.341s", a negative nanosecond count
 * printed unsigned; counting it would make the rate meaningless.
 */
#define AT_MS_MAX 1000000000000LL

/* Labels are padded to this width so that the values line up. */
#define LABEL "%-13s"

enum metric {
	M_GC_COUNT, M_GC_RATE, M_GC_CPU, M_GC_FORCED, M_GC_RUNS,
	M_PAUSE_P50, M_PAUSE_P90, M_PAUSE_P99, M_PAUSE_MAX, M_PAUSE_MIN,
	M_PAUSE_TOTAL, M_PAUSE_MEAN,
	M_HEAP_LIVE_MIN, M_HEAP_LIVE_MAX, M_HEAP_LIVE_LAST, M_HEAP_GOAL_MAX,
	M_MARK_ASSIST, M_MARK_BACKGROUND, M_MARK_IDLE,
	M_LOST, M_LOST_RECORDS, M_LOST_BYTES,
	M_COUNT
};

static const char *const metric_names[M_COUNT + 1] = {
	[M_GC_COUNT] = "gc.count",
	[M_GC_RATE] = "gc.rate",
	[M_GC_CPU] = "gc.cpu",
	[M_GC_FORCED] = "gc.forced",
	[M_GC_RUNS] = "gc.runs",
	[M_PAUSE_P50] = "pause.p50",
	[M_PAUSE_P90] = "pause.p90",
	[M_PAUSE_P99] = "pause.p99",
	[M_PAUSE_MAX] = "pause.max",
	[M_PAUSE_MIN] = "pause.min",
	[M_PAUSE_TOTAL] = "pause.total",
	[M_PAUSE_MEAN] = "pause.mean",
	[M_HEAP_LIVE_MIN] = "heap.live.min",
	[M_HEAP_LIVE_MAX] = "heap.live.max",
	[M_HEAP_LIVE_LAST] = "heap.live.last",
	[M_HEAP_GOAL_MAX] = "heap.goal.max",
	[M_MARK_ASSIST] = "mark.assist",
	[M_MARK_BACKGROUND] = "mark.background",
	[M_MARK_IDLE] = "mark.idle",
	[M_LOST] = "lost",
	[M_LOST_RECORDS] = "lost.records",
	[M_LOST_BYTES] = "lost.bytes",
	[M_COUNT] = NULL,
};

void stats_init(struct stats *s)
{
	memset(s, 0, sizeof *s);
	s->cpu_pct = GC_NULL;
	s->procs = GC_NULL;
	histo_init(&s->pause);
	s->live_min = GC_NULL;
	s->live_max = GC_NULL;
	s->live_last = GC_NULL;
	s->goal_max = GC_NULL;
}

static int64_t add_sat(int64_t a, int64_t b)
{
	return b > INT64_MAX - a ? INT64_MAX : a + b;
}

/* Move the open stretch of increasing times into the closed totals. */
static void close_stretch(struct stats *s)
{
	if (!s->open)
		return;
	s->span_ms = add_sat(s->span_ms, s->open_last_ms - s->open_first_ms);
	s->span_gcs += s->open_last_gc - s->open_first_gc;
	s->open = false;
}

static void add_time(struct stats *s, const struct gc_record *r)
{
	if (r->at_ms < 0 || r->at_ms > AT_MS_MAX)
		return;
	/* Time going backwards inside a run means a bad timestamp somewhere:
	 * start a new stretch rather than count a negative span. */
	if (s->open && r->at_ms >= s->open_last_ms) {
		s->open_last_ms = r->at_ms;
		s->open_last_gc = r->gc;
		return;
	}
	close_stretch(s);
	s->open = true;
	s->open_first_ms = s->open_last_ms = r->at_ms;
	s->open_first_gc = s->open_last_gc = r->gc;
}

bool stats_add(struct stats *s, const struct gc_record *r)
{
	bool new_run = s->count == 0 || r->gc <= s->last_gc;
	int64_t pause = gcrecord_pause_us(r);

	if (new_run) {
		s->runs++;
		close_stretch(s);
		/* The runtime's percentage is per process. */
		s->cpu_pct = GC_NULL;
	}
	s->count++;
	s->last_gc = r->gc;
	if (r->forced)
		s->forced++;
	add_time(s, r);
	if (r->cpu_pct >= 0)
		s->cpu_pct = r->cpu_pct;
	if (r->procs >= 0)
		s->procs = r->procs;
	if (pause >= 0)
		histo_add(&s->pause, pause);
	if (r->heap_live_mb >= 0) {
		if (s->live_min < 0 || r->heap_live_mb < s->live_min)
			s->live_min = r->heap_live_mb;
		if (r->heap_live_mb > s->live_max)
			s->live_max = r->heap_live_mb;
		s->live_last = r->heap_live_mb;
	}
	/* With the collector off (GOGC=off, debug.SetGCPercent(-1)) the
	 * runtime prints an "infinite" goal (1<<63 bytes): not a goal. */
	if (r->heap_goal_mb > s->goal_max && r->heap_goal_mb < STATS_GOAL_OFF_MB)
		s->goal_max = r->heap_goal_mb;
	if (r->cpu_assist_us >= 0)
		s->assist_us = add_sat(s->assist_us, r->cpu_assist_us);
	if (r->cpu_background_us >= 0)
		s->background_us = add_sat(s->background_us, r->cpu_background_us);
	if (r->cpu_idle_us >= 0)
		s->idle_us = add_sat(s->idle_us, r->cpu_idle_us);
	return new_run;
}

static int64_t min_known(int64_t a, int64_t b)
{
	return a < 0 ? b : b < 0 ? a : a < b ? a : b;
}

void stats_merge(struct stats *all, const struct stats *s)
{
	bool first = all->count == 0;

	all->count += s->count;
	all->runs += s->runs;
	all->forced += s->forced;
	/* Rates, the runtime's cumulative percentage and P are per process:
	 * a pooled value would mean nothing. */
	all->open = false;
	all->span_ms = 0;
	all->span_gcs = 0;
	all->cpu_pct = GC_NULL;
	all->procs = GC_NULL;
	histo_merge(&all->pause, &s->pause);
	all->live_min = min_known(all->live_min, s->live_min);
	if (s->live_max > all->live_max)
		all->live_max = s->live_max;
	/* The fleet's live heap now: every process's latest, added. */
	if (s->live_last >= 0)
		all->live_last = first || all->live_last < 0 ? s->live_last
		                                             : add_sat(all->live_last, s->live_last);
	if (s->goal_max > all->goal_max)
		all->goal_max = s->goal_max;
	all->assist_us = add_sat(all->assist_us, s->assist_us);
	all->background_us = add_sat(all->background_us, s->background_us);
	all->idle_us = add_sat(all->idle_us, s->idle_us);
}

/* Time covered by the stretches, and collections in it; false if none. */
static bool span(const struct stats *s, int64_t *ms, uint64_t *gcs)
{
	*ms = s->span_ms;
	*gcs = s->span_gcs;
	if (s->open) {
		*ms = add_sat(*ms, s->open_last_ms - s->open_first_ms);
		*gcs += s->open_last_gc - s->open_first_gc;
	}
	return *ms > 0;
}

/* Share of one kind of mark worker time in the three, in %. */
static bool mark_share(const struct stats *s, int64_t part, double *value)
{
	double total = (double)s->assist_us + (double)s->background_us +
	               (double)s->idle_us;

	if (!(total > 0))
		return false;
	*value = 100.0 * (double)part / total;
	return true;
}

static bool pause_ms(const struct stats *s, int64_t us, double *value)
{
	/* us < 0: a quantile of a saturated histogram, unknown. */
	if (histo_count(&s->pause) == 0 || us < 0)
		return false;
	*value = (double)us / 1000.0;
	return true;
}

static bool mb(int64_t v, double *value)
{
	if (v < 0)
		return false;
	*value = (double)v;
	return true;
}

static bool metric_value(const struct stats *s, enum metric m, double *value)
{
	const struct histo *h = &s->pause;
	uint64_t n = histo_count(h), gcs;
	int64_t ms;

	switch (m) {
	case M_GC_COUNT:
		*value = (double)s->count;
		return true;
	case M_GC_RUNS:
		*value = (double)s->runs;
		return true;
	case M_GC_FORCED:
		*value = (double)s->forced;
		return true;
	case M_GC_RATE:
		if (!span(s, &ms, &gcs))
			return false;
		*value = (double)gcs * 1000.0 / (double)ms;
		return true;
	case M_GC_CPU:
		if (s->cpu_pct < 0)
			return false;
		*value = s->cpu_pct;
		return true;
	case M_PAUSE_P50:
		return pause_ms(s, histo_quantile(h, 0.50), value);
	case M_PAUSE_P90:
		return pause_ms(s, histo_quantile(h, 0.90), value);
	case M_PAUSE_P99:
		return pause_ms(s, histo_quantile(h, 0.99), value);
	case M_PAUSE_MAX:
		return pause_ms(s, histo_max(h), value);
	case M_PAUSE_MIN:
		return pause_ms(s, histo_min(h), value);
	case M_PAUSE_TOTAL:
		return pause_ms(s, histo_sum(h), value);
	case M_PAUSE_MEAN:
		if (!pause_ms(s, histo_sum(h), value))
			return false;
		*value /= (double)n;
		return true;
	case M_HEAP_LIVE_MIN:
		return mb(s->live_min, value);
	case M_HEAP_LIVE_MAX:
		return mb(s->live_max, value);
	case M_HEAP_LIVE_LAST:
		return mb(s->live_last, value);
	case M_HEAP_GOAL_MAX:
		return mb(s->goal_max, value);
	case M_MARK_ASSIST:
		return mark_share(s, s->assist_us, value);
	case M_MARK_BACKGROUND:
		return mark_share(s, s->background_us, value);
	case M_MARK_IDLE:
		return mark_share(s, s->idle_us, value);
	case M_LOST:
		*value = (double)s->lost_records + (double)s->lost_bytes;
		return true;
	case M_LOST_RECORDS:
		*value = (double)s->lost_records;
		return true;
	case M_LOST_BYTES:
		*value = (double)s->lost_bytes;
		return true;
	case M_COUNT:
		break;
	}
	return false;
}

int stats_metric(const struct stats *s, const char *name, double *value)
{
	int m;

	for (m = 0; m < M_COUNT; m++)
		if (strcmp(name, metric_names[m]) == 0)
			return metric_value(s, (enum metric)m, value) ? 0 : 1;
	return -1;
}

void stats_set_lost(struct stats *s, uint64_t records, uint64_t bytes)
{
	s->lost_records = records;
	s->lost_bytes = bytes;
}

const char *const *stats_metric_names(void)
{
	return metric_names;
}

/* Formatting for the summary: the dashboard's (fmt.h), with "us" for µs
 * so that the summary is plain ASCII. */
static void fmt_dur(char *buf, int64_t us)
{
	fmt_us(buf, us, true);
}

/* The length of the run: like a duration up to 100 s, then 12m05s, 21h32m. */
static void fmt_span(char *buf, int64_t ms)
{
	long long sec = (ms + 500) / 1000;

	if (ms < 99950)
		fmt_dur(buf, ms * 1000);
	else if (sec < 3600)
		snprintf(buf, FMT_MAX, "%lldm%02llds", sec / 60, sec % 60);
	else
		snprintf(buf, FMT_MAX, "%lldh%02lldm", sec / 3600,
		         (sec % 3600) / 60);
}

static void print_gc(const struct stats *s, FILE *out)
{
	char when[FMT_MAX], rate[FMT_MAX];
	int64_t ms;
	uint64_t gcs;

	fprintf(out, LABEL "%llu collection%s", "gc",
	        (unsigned long long)s->count, s->count == 1 ? "" : "s");
	if (span(s, &ms, &gcs)) {
		fmt_span(when, ms);
		fmt_rate(rate, (double)gcs * 1000.0 / (double)ms);
		fprintf(out, " in %s (%s)", when, rate);
	}
	fprintf(out, ", %llu run%s, %llu forced", (unsigned long long)s->runs,
	        s->runs == 1 ? "" : "s", (unsigned long long)s->forced);
	if (s->procs >= 0)
		fprintf(out, ", %d P", (int)s->procs);
	fputc('\n', out);
}

static void print_pause(const struct stats *s, FILE *out)
{
	static const struct {
		const char *name;
		double q;
	} qs[] = { { "p50", 0.50 }, { "p90", 0.90 }, { "p99", 0.99 } };
	const struct histo *h = &s->pause;
	char v[FMT_MAX];
	size_t i;

	fprintf(out, LABEL, "pause");
	if (histo_count(h) == 0) {
		fputs("n/a\n", out);
		return;
	}
	for (i = 0; i < sizeof qs / sizeof qs[0]; i++) {
		fmt_dur(v, histo_quantile(h, qs[i].q));
		fprintf(out, "%s %s  ", qs[i].name, v);
	}
	fmt_dur(v, histo_max(h));
	fprintf(out, "max %s  ", v);
	fmt_dur(v, histo_sum(h));
	fprintf(out, "total %s\n", v);
}

static void print_mark(const struct stats *s, FILE *out)
{
	char a[FMT_MAX], b[FMT_MAX], i[FMT_MAX];
	double va, vb, vi;

	fprintf(out, LABEL, "mark");
	if (!mark_share(s, s->assist_us, &va)) {
		fputs("n/a\n", out);
		return;
	}
	mark_share(s, s->background_us, &vb);
	mark_share(s, s->idle_us, &vi);
	fmt_pct(a, va);
	fmt_pct(b, vb);
	fmt_pct(i, vi);
	fprintf(out, "assist %s  background %s  idle %s\n", a, b, i);
}

void stats_print(const struct stats *s, FILE *out)
{
	char a[FMT_MAX], b[FMT_MAX], c[FMT_MAX];

	if (s->count == 0) {
		fprintf(out, LABEL "0 collections (no gc lines seen)\n", "gc");
		return;
	}
	print_gc(s, out);

	fprintf(out, LABEL, "gc.cpu");
	if (s->cpu_pct >= 0)
		fprintf(out, "%d%% (runtime, cumulative)\n", (int)s->cpu_pct);
	else
		fputs("n/a\n", out);

	print_pause(s, out);

	fprintf(out, LABEL, "heap.live");
	if (s->live_last >= 0) {
		fmt_mb(a, s->live_min);
		fmt_mb(b, s->live_max);
		fmt_mb(c, s->live_last);
		fprintf(out, "min %s  max %s  last %s\n", a, b, c);
	} else {
		fputs("n/a\n", out);
	}

	fprintf(out, LABEL, "heap.goal");
	if (s->goal_max >= 0) {
		fmt_mb(a, s->goal_max);
		fprintf(out, "max %s\n", a);
	} else {
		fputs("n/a\n", out);
	}

	print_mark(s, out);
}
