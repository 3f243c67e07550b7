#include "analysis/findings.h"
#include "text/fmt.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* Thresholds of the rules (gcwatch(1) lists them). */
#define MIN_CYCLES 10
#define ASSIST_SHARE 0.25
#define STW_OBJECTIVE_US 500
#define STW_SHARE 0.01
#define STW_MIN 3
#define LONG_US 10000
#define SHORT_US 1000
#define LONG_MIN 2
#define TINY_RATE 10.0
#define MIN_HEAP_MB 4.0
#define ROOTS_MIN_MB 4.0
#define ROOTS_SHARE 0.5
#define GROWTH_SPAN_S 5.0
#define GROWTH_R2 0.7
#define GROWTH_SHARE 0.25
#define GROWTH_MIN_MB 4.0
#define PERIOD_LO_MS 119500
#define PERIOD_HI_MS 130000
#define LIMIT_LIVE_MIN_MB 8
#define LIMIT_SHARE 0.75
#define AT_MS_MAX 1000000000000LL

static const struct {
	const char *name;
	bool harmless;
	const char *try_;
} table[FIND_COUNT] = {
	[FIND_ASSIST] = { "assist", false,
		"a higher GOGC (or a memory limit well above the live heap with it) to "
		"give the background workers a head start; allocate less in the hot path" },
	[FIND_MEMORY_LIMIT] = { "memory-limit", false,
		"a higher memory limit (GOMEMLIMIT) or a smaller live heap; a limit "
		"near the live heap makes the GC run back to back, up to the 50% "
		"CPU limiter" },
	[FIND_TINY_HEAP] = { "tiny-heap", false,
		"a GOGC above 100, or GOGC=off with a GOMEMLIMIT, to lift the "
		"minimum; allocate less" },
	[FIND_LONG_STW] = { "long-stw", false,
		"a newer Go (1.14+ preempts tight loops), fewer goroutines; look for "
		"CPU starvation (cpu-contention)" },
	[FIND_BIG_ROOTS] = { "big-roots", false,
		"fewer or shallower goroutines (stacks), smaller pointerful globals: "
		"roots are scanned every cycle and count in the goal" },
	[FIND_LIVE_GROWTH] = { "live-growth", false,
		"two heap profiles (pprof -inuse_space) some time apart to see what "
		"keeps growing; bound caches and queues" },
	[FIND_PERIODIC_FORCED] = { "periodic-forced", true,
		"nothing: the runtime collects an idle program every two minutes "
		"(harmless)" },
	[FIND_CPU_CONTENTION] = { "cpu-contention", false,
		"giving the process CPU: check the host's load and the container's "
		"CPU throttling (cpu.stat nr_throttled); GOMAXPROCS at the CPU quota" },
};

const char *finding_name(enum finding_id id)
{
	return table[id].name;
}

int finding_rank(enum finding_id id)
{
	/* What costs the program most: a spiral toward the CPU limiter,
	 * goroutines slowed by assists, threads starved of CPU, long
	 * pauses; then what only costs collections or memory. */
	static const int rank[FIND_COUNT] = {
		[FIND_MEMORY_LIMIT] = 8, [FIND_ASSIST] = 7, [FIND_CPU_CONTENTION] = 6,
		[FIND_LONG_STW] = 5, [FIND_TINY_HEAP] = 4, [FIND_LIVE_GROWTH] = 3,
		[FIND_BIG_ROOTS] = 2, [FIND_PERIODIC_FORCED] = 0,
	};
	return rank[id];
}

int finding_lookup(const char *name)
{
	for (int i = 0; i < FIND_COUNT; i++)
		if (strcmp(name, table[i].name) == 0)
			return i;
	return -1;
}

void findings_init(struct findings *f, double gogc, double limit_mb)
{
	memset(f, 0, sizeof *f);
	f->prev_end_ms = -1;
	f->prev_live = -1;
	f->gogc_known = gogc;
	f->limit_mb = limit_mb;
}

static int64_t nn(int64_t v)
{
	return v > 0 ? v : 0;
}

static int64_t max64(int64_t a, int64_t b)
{
	return a > b ? a : b;
}

/* GOGC in force: known, or the 90th percentile of the inferred values
 * (a limit only ever lowers the goal); -2 when neither. */
static double gogc_ref(const struct findings *f)
{
	uint64_t want, seen = 0;

	if (f->gogc_known > -2)
		return f->gogc_known;
	if (f->gogc_n < MIN_CYCLES)
		return -2;
	want = (uint64_t)ceil(0.9 * (double)f->gogc_n);
	for (int g = 0; g <= FIND_GOGC_MAX; g++) {
		seen += f->gogc_hist[g];
		if (seen >= want)
			return g;
	}
	return FIND_GOGC_MAX;
}

static void add_fit(struct findings *f, const struct gc_record *r)
{
	double t, y = (double)r->heap_live_mb;

	if (f->fit_n == 0)
		f->fit_t0_ms = r->at_ms;
	t = (double)(r->at_ms - f->fit_t0_ms) / 1000.0;
	f->fit_n++;
	f->st += t;
	f->stt += t * t;
	f->sy += y;
	f->sty += t * y;
	f->syy += y * y;
	f->fit_last_t = t;
	if (f->fit_n == 1)
		f->fit_first_live = r->heap_live_mb;
	f->fit_last_live = r->heap_live_mb;
}

static void reset_fit(struct findings *f)
{
	f->fit_n = 0;
	f->st = f->stt = f->sy = f->sty = f->syy = f->fit_last_t = 0;
}

void findings_add(struct findings *f, const struct gc_record *r)
{
	bool timed = r->at_ms >= 0 && r->at_ms <= AT_MS_MAX;
	bool new_run = f->cycles > 0 && r->gc <= f->last_gc;
	int64_t st = r->clock_sweep_term_us, mt = r->clock_mark_term_us;

	if (new_run) {
		reset_fit(f);
		f->prev_end_ms = -1;
		f->prev_live = -1;
	}
	f->cycles++;
	f->last_gc = r->gc;

	if (r->cpu_assist_us >= 0 && r->cpu_background_us >= 0) {
		f->assist_us += r->cpu_assist_us;
		f->background_us += r->cpu_background_us;
		f->mark_cycles++;
		if (r->heap_goal_mb >= 0 && r->heap_end_mb > r->heap_goal_mb)
			f->overrun++;
	}

	/* Before Go 1.5 the whole collection stopped the world: its length
	 * says nothing about the objective of a concurrent collector. */
	if (r->era != GC_ERA_PRE15 && st >= 0 && mt >= 0) {
		int64_t worst = max64(st, mt);
		f->stw_cycles++;
		f->st_max = max64(f->st_max, st);
		f->mt_max = max64(f->mt_max, mt);
		f->pause_max = max64(f->pause_max, st + mt);
		if (st > STW_OBJECTIVE_US)
			f->st_over++;
		if (mt > STW_OBJECTIVE_US)
			f->mt_over++;
		if (worst > STW_OBJECTIVE_US)
			f->stw_over++;
		if (worst >= LONG_US)
			f->stw_long++;
		if (st + mt < SHORT_US)
			f->stw_short++;
	}

	if (r->stacks_mb >= 0 && r->heap_live_mb >= 0) {
		int64_t roots = nn(r->stacks_mb) + nn(r->globals_mb);
		f->roots_cycles++;
		f->roots_sum += roots;
		f->live_sum += r->heap_live_mb;
		f->roots_max = max64(f->roots_max, roots);
	}

	/* The goal from the previous collection's live heap and roots. */
	if (r->heap_goal_mb >= 0 && f->prev_live >= 0) {
		double marked = (double)(f->prev_live + f->prev_roots);
		double g = f->gogc_known > -2 ? f->gogc_known : 100;
		f->goal_cycles++;
		if (g > 0 && (double)r->heap_goal_mb <= MIN_HEAP_MB * g / 100.0 &&
		    (double)f->prev_live + marked * g / 100.0 < MIN_HEAP_MB * g / 100.0)
			f->at_min++;
		if (f->prev_live >= LIMIT_LIVE_MIN_MB && marked > 0 &&
		    r->heap_goal_mb >= f->prev_live) {
			double inf = 100.0 * (double)(r->heap_goal_mb - f->prev_live) / marked;
			int b = inf > FIND_GOGC_MAX ? FIND_GOGC_MAX : (int)(inf + 0.5);
			f->gogc_hist[b]++;
			f->gogc_n++;
		}
	}

	if (timed) {
		if (f->prev_end_ms >= 0) {
			int64_t gap = r->at_ms - f->prev_end_ms;
			if (gap >= PERIOD_LO_MS && gap <= PERIOD_HI_MS && r->heap_goal_mb >= 0 &&
			    r->heap_start_mb >= 0 && r->heap_start_mb < r->heap_goal_mb)
				f->periodic++;
		}
		f->prev_end_ms = r->at_ms + (nn(st) + nn(r->clock_mark_us) + nn(mt)) / 1000;
		if (r->heap_live_mb >= 0)
			add_fit(f, r);
	}
	if (r->heap_live_mb >= 0) {
		f->prev_live = r->heap_live_mb;
		f->prev_roots = nn(r->stacks_mb) + nn(r->globals_mb);
	}
}

static double pct(double part, double whole)
{
	return whole > 0 ? 100.0 * part / whole : 0;
}

static bool rule_assist(const struct findings *f, struct finding *out)
{
	double total = (double)f->assist_us + (double)f->background_us;

	if (f->mark_cycles < MIN_CYCLES || !(total > 0) ||
	    (double)f->assist_us < ASSIST_SHARE * total)
		return false;
	char a[FMT_MAX], t[FMT_MAX];
	/* (A day of trace holds hours of mark CPU: units that adapt.) */
	snprintf(out->evidence, sizeof out->evidence,
	         "assists did %.0f%% of the mark work (%s of %s CPU) over "
	         "%llu collections; the heap ended past its goal in %llu (%.0f%%)",
	         pct((double)f->assist_us, total), fmt_us(a, (int64_t)f->assist_us, true),
	         fmt_us(t, (int64_t)total, true), (unsigned long long)f->mark_cycles,
	         (unsigned long long)f->overrun,
	         pct((double)f->overrun, (double)f->mark_cycles));
	return true;
}

static bool rule_memory_limit(const struct findings *f, const struct findings_ctx *c,
                              struct finding *out)
{
	double g = gogc_ref(f), sum_goal = 0, sum_gogc_goal = 0;
	unsigned pinned = 0, n = 0;
	const struct whatif *w = c->recent;

	if (g <= 0 || !w)
		return false;
	for (unsigned k = 0; k < w->n; k++) {
		const struct whatif_cycle *y = &w->ring[(w->head + k) % WHATIF_RING];
		double marked, gg;
		if (y->prev_live < LIMIT_LIVE_MIN_MB)
			continue;
		marked = (double)(y->prev_live + y->prev_roots);
		gg = (double)y->prev_live + marked * g / 100.0;
		n++;
		sum_goal += (double)y->goal;
		sum_gogc_goal += gg;
		if ((double)(y->goal - y->prev_live) < LIMIT_SHARE * (gg - (double)y->prev_live))
			pinned++;
	}
	if (pinned < MIN_CYCLES || 2 * pinned < n)
		return false;
	int k = snprintf(out->evidence, sizeof out->evidence,
	         "the goal averaged %.0f MB where GOGC=%.0f%s gives %.0f MB, in %u of "
	         "the last %u collections",
	         sum_goal / n, g, f->gogc_known > -2 ? "" : " (inferred)",
	         sum_gogc_goal / n, pinned, n);
	if (c->est && k > 0 && (size_t)k < sizeof out->evidence)
		snprintf(out->evidence + k, sizeof out->evidence - (size_t)k,
		         "; live %.0f MB, %.1f collections/s, GC CPU %.1f%% (the "
		         "limiter caps it at 50%%)", c->est->live_mb, c->est->rate,
		         c->est->gc_cpu_pct);
	return true;
}

static bool rule_tiny_heap(const struct findings *f, const struct findings_ctx *c,
                           struct finding *out)
{
	double g = f->gogc_known > -2 ? f->gogc_known : 100;

	if (f->at_min < MIN_CYCLES || 2 * f->at_min < f->goal_cycles ||
	    c->rate < TINY_RATE)
		return false;
	snprintf(out->evidence, sizeof out->evidence,
	         "the %.0f MB minimum goal decided %llu of %llu collections "
	         "(%.0f%%), at %.1f collections/s",
	         MIN_HEAP_MB * g / 100.0, (unsigned long long)f->at_min,
	         (unsigned long long)f->goal_cycles,
	         pct((double)f->at_min, (double)f->goal_cycles), c->rate);
	return true;
}

static bool rule_long_stw(const struct findings *f, struct finding *out)
{
	if (f->stw_over < STW_MIN ||
	    (double)f->stw_over <= STW_SHARE * (double)f->stw_cycles)
		return false;
	snprintf(out->evidence, sizeof out->evidence,
	         "%llu of %llu collections (%.1f%%) had a stop-the-world phase over "
	         "500 us: sweep termination %llu (max %.2f ms), mark termination "
	         "%llu (max %.2f ms); longest pause %.2f ms",
	         (unsigned long long)f->stw_over, (unsigned long long)f->stw_cycles,
	         pct((double)f->stw_over, (double)f->stw_cycles),
	         (unsigned long long)f->st_over, (double)f->st_max / 1000.0,
	         (unsigned long long)f->mt_over, (double)f->mt_max / 1000.0,
	         (double)f->pause_max / 1000.0);
	return true;
}

static bool rule_big_roots(const struct findings *f, struct finding *out)
{
	double roots, live;

	if (f->roots_cycles < MIN_CYCLES)
		return false;
	roots = (double)f->roots_sum / (double)f->roots_cycles;
	live = (double)f->live_sum / (double)f->roots_cycles;
	if (roots < ROOTS_MIN_MB || roots < ROOTS_SHARE * live)
		return false;
	snprintf(out->evidence, sizeof out->evidence,
	         "stacks + globals averaged %.0f MB (max %lld MB) against a %.0f MB "
	         "live heap (%.0f%%)", roots, (long long)f->roots_max, live,
	         pct(roots, live));
	return true;
}

static bool rule_live_growth(const struct findings *f, struct finding *out)
{
	double n = (double)f->fit_n, vt, vy, cov, slope, r2, start, grown;

	if (f->fit_n < MIN_CYCLES || f->fit_last_t < GROWTH_SPAN_S)
		return false;
	vt = f->stt - f->st * f->st / n;
	vy = f->syy - f->sy * f->sy / n;
	cov = f->sty - f->st * f->sy / n;
	if (!(vt > 0) || !(vy > 0))
		return false;
	slope = cov / vt;
	r2 = cov * cov / (vt * vy);
	start = (f->sy - slope * f->st) / n;
	grown = slope * f->fit_last_t;
	if (!(slope > 0) || r2 < GROWTH_R2 || grown < GROWTH_MIN_MB ||
	    grown < GROWTH_SHARE * (start > 0 ? start : 0))
		return false;
	char span[FMT_MAX];
	int k = snprintf(out->evidence, sizeof out->evidence,
	         "the live heap grew %.0f MB per hour (%lld MB to %lld MB in %s, "
	         "linear fit R^2 %.2f)", slope * 3600.0,
	         (long long)f->fit_first_live, (long long)f->fit_last_live,
	         fmt_elapsed(span, (uint64_t)(f->fit_last_t * 1000.0)), r2);
	if (f->limit_mb > 0 && k > 0 && (size_t)k < sizeof out->evidence) {
		double now = start + grown, left = (f->limit_mb - now) / slope;
		if (left > 0)
			snprintf(out->evidence + k, sizeof out->evidence - (size_t)k,
			         "; at this pace it reaches the %.0f MB limit in %.1f h",
			         f->limit_mb, left / 3600.0);
		else
			snprintf(out->evidence + k, sizeof out->evidence - (size_t)k,
			         "; it is at the %.0f MB limit", f->limit_mb);
	}
	return true;
}

static bool rule_periodic(const struct findings *f, struct finding *out)
{
	if (f->periodic == 0)
		return false;
	snprintf(out->evidence, sizeof out->evidence,
	         "%llu collection%s came two minutes after the previous one with the "
	         "heap below its goal: the runtime's periodic GC of an idle program",
	         (unsigned long long)f->periodic, f->periodic == 1 ? "" : "s");
	return true;
}

static bool rule_contention(const struct findings *f, struct finding *out)
{
	if (f->stw_long < LONG_MIN || 2 * f->stw_short < f->stw_cycles)
		return false;
	snprintf(out->evidence, sizeof out->evidence,
	         "%llu stop-the-world phases of 10 ms or more (longest pause %.1f ms) "
	         "while %.0f%% of collections paused under 1 ms",
	         (unsigned long long)f->stw_long, (double)f->pause_max / 1000.0,
	         pct((double)f->stw_short, (double)f->stw_cycles));
	return true;
}

int findings_eval(const struct findings *f, const struct findings_ctx *ctx,
                  struct finding *out)
{
	int n = 0;

	for (int i = 0; i < FIND_COUNT; i++) {
		struct finding *o = &out[n];
		bool held = false;
		memset(o, 0, sizeof *o);
		switch ((enum finding_id)i) {
		case FIND_ASSIST: held = rule_assist(f, o); break;
		case FIND_MEMORY_LIMIT: held = rule_memory_limit(f, ctx, o); break;
		case FIND_TINY_HEAP: held = rule_tiny_heap(f, ctx, o); break;
		case FIND_LONG_STW: held = rule_long_stw(f, o); break;
		case FIND_BIG_ROOTS: held = rule_big_roots(f, o); break;
		case FIND_LIVE_GROWTH: held = rule_live_growth(f, o); break;
		case FIND_PERIODIC_FORCED: held = rule_periodic(f, o); break;
		case FIND_CPU_CONTENTION: held = rule_contention(f, o); break;
		case FIND_COUNT: break;
		}
		if (!held)
			continue;
		o->id = (enum finding_id)i;
		o->name = table[i].name;
		o->harmless = table[i].harmless;
		snprintf(o->try_, sizeof o->try_, "%s", table[i].try_);
		n++;
	}
	return n;
}
