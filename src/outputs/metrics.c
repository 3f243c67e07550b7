#include "outputs/metrics.h"

#include <ctype.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "text/utf8.h"

const int64_t metrics_bucket_us[METRICS_BUCKETS] = {
	10, 25, 50, 100, 250, 500,
	1000, 2500, 5000, 10000, 25000, 50000, 100000, 250000, 500000,
	1000000, 2500000, 5000000, 10000000,
};
/* The same bounds as the `le` label: Go's shortest float form, as
 * client_golang writes them. */
static const char *const bucket_le[METRICS_BUCKETS] = {
	"1e-05", "2.5e-05", "5e-05", "0.0001", "0.00025", "0.0005",
	"0.001", "0.0025", "0.005", "0.01", "0.025", "0.05", "0.1", "0.25", "0.5",
	"1", "2.5", "5", "10",
};

#define NAME_MAX_ 128
#define MIB 1048576

enum { STW_SWEEP, STW_MARK, NSTW };
enum { CPU_SWEEP, CPU_ASSIST, CPU_BACKGROUND, CPU_IDLE, CPU_MARK, NCPU };
enum { H_START, H_END, H_LIVE, H_GOAL, H_STACKS, H_GLOBALS, NHEAP };

/* One source's state; copied as is into snapshots. */
struct msrc {
	char name[NAME_MAX_];
	bool used;
	int8_t up;               /* 1 open, 0 closed */
	uint64_t touched_ms;     /* last update, for retention */
	uint64_t cycles, forced, runs, dropped, lines[3];
	uint64_t have_gc, last_gc;
	uint64_t pause_count, pause_sum_us, bucket[METRICS_BUCKETS + 1];
	uint64_t stw_us[NSTW], mark_us, cpu_us[NCPU];
	int64_t heap_mb[NHEAP];  /* GC_NULL: not known */
	int32_t procs;           /* GC_NULL before the first record */
	uint64_t last_cycle_ms;  /* 0 before the first record */
};

struct metrics_snap {
	atomic_uint refs;
	uint64_t version;
	uint64_t overflow;
	unsigned n;
	struct msrc src[];
};

struct metrics {
	struct msrc *src;
	unsigned nsrc, cap, max;
	unsigned last;           /* index of the last source looked up */
	uint64_t retention_ms;
	uint64_t overflow;
	bool input_up;           /* what new sources start with */
	bool dirty;
	uint64_t version;
	pthread_mutex_t mu;      /* guards latest only */
	struct metrics_snap *latest;
};

struct metrics *metrics_new(unsigned max_sources, uint64_t retention_ms)
{
	struct metrics *m = calloc(1, sizeof *m);

	if (!m)
		return NULL;
	m->max = max_sources ? max_sources : METRICS_SOURCES_MAX;
	m->retention_ms = retention_ms ? retention_ms : METRICS_RETENTION_MS;
	m->input_up = true;
	pthread_mutex_init(&m->mu, NULL);
	return m;
}

void metrics_free(struct metrics *m)
{
	if (!m)
		return;
	if (m->latest)
		metrics_snap_release(m->latest);
	pthread_mutex_destroy(&m->mu);
	free(m->src);
	free(m);
}

static void src_init(struct msrc *s, const char *name, uint64_t now_ms, bool up)
{
	memset(s, 0, sizeof *s);
	snprintf(s->name, sizeof s->name, "%s", name);
	s->used = true;
	s->up = up;
	s->touched_ms = now_ms;
	for (int i = 0; i < NHEAP; i++)
		s->heap_mb[i] = GC_NULL;
	s->procs = GC_NULL;
}

/* The source's slot, made if need be; NULL when there is no room. */
static struct msrc *lookup(struct metrics *m, const char *name, uint64_t now_ms)
{
	unsigned free_slot = m->nsrc;

	if (!name)
		name = "";
	if (m->last < m->nsrc && m->src[m->last].used &&
	    strncmp(m->src[m->last].name, name, NAME_MAX_ - 1) == 0)
		return &m->src[m->last];
	for (unsigned i = 0; i < m->nsrc; i++) {
		if (!m->src[i].used) {
			if (free_slot == m->nsrc)
				free_slot = i;
		} else if (strncmp(m->src[i].name, name, NAME_MAX_ - 1) == 0) {
			m->last = i;
			return &m->src[i];
		}
	}
	if (free_slot == m->nsrc) {
		if (m->nsrc == m->max)
			return NULL;
		if (m->nsrc == m->cap) {
			unsigned cap = m->cap ? m->cap * 2 : 4;
			if (cap > m->max)
				cap = m->max;
			struct msrc *p = realloc(m->src, cap * sizeof *p);
			if (!p)
				return NULL;
			m->src = p;
			m->cap = cap;
		}
		m->nsrc++;
	}
	src_init(&m->src[free_slot], name, now_ms, m->input_up);
	m->last = free_slot;
	m->dirty = true;
	return &m->src[free_slot];
}

static uint64_t nonneg(int64_t v)
{
	return v > 0 ? (uint64_t)v : 0;
}

void metrics_record(struct metrics *m, const char *source, const struct gc_record *r,
                    uint64_t now_ms)
{
	struct msrc *s = lookup(m, source, now_ms);

	if (!s) {
		m->overflow++;
		m->dirty = true;
		return;
	}
	/* A numbering that does not go up starts a run (as stats does). */
	if (!s->have_gc || r->gc <= s->last_gc)
		s->runs++;
	s->have_gc = 1;
	s->last_gc = r->gc;
	s->cycles++;
	s->forced += r->forced;
	int64_t pause = gcrecord_pause_us(r);
	if (pause >= 0) {
		unsigned b = 0;
		while (b < METRICS_BUCKETS && pause > metrics_bucket_us[b])
			b++;
		s->bucket[b]++;
		s->pause_count++;
		s->pause_sum_us += (uint64_t)pause;
	}
	s->stw_us[STW_SWEEP] += nonneg(r->clock_sweep_term_us);
	s->stw_us[STW_MARK] += nonneg(r->clock_mark_term_us);
	s->mark_us += nonneg(r->clock_mark_us);
	s->cpu_us[CPU_SWEEP] += nonneg(r->cpu_sweep_term_us);
	s->cpu_us[CPU_ASSIST] += nonneg(r->cpu_assist_us);
	s->cpu_us[CPU_BACKGROUND] += nonneg(r->cpu_background_us);
	s->cpu_us[CPU_IDLE] += nonneg(r->cpu_idle_us);
	s->cpu_us[CPU_MARK] += nonneg(r->cpu_mark_term_us);
	s->heap_mb[H_START] = r->heap_start_mb;
	s->heap_mb[H_END] = r->heap_end_mb;
	s->heap_mb[H_LIVE] = r->heap_live_mb;
	s->heap_mb[H_GOAL] = r->heap_goal_mb;
	s->heap_mb[H_STACKS] = r->stacks_mb;
	s->heap_mb[H_GLOBALS] = r->globals_mb;
	s->procs = r->procs;
	s->last_cycle_ms = now_ms;
	s->touched_ms = now_ms;
	m->dirty = true;
}

void metrics_lines(struct metrics *m, const char *source, uint64_t gc, uint64_t runtime,
                   uint64_t program, uint64_t dropped, uint64_t now_ms)
{
	struct msrc *s = lookup(m, source, now_ms);

	if (!s)
		return;
	if (s->lines[METRICS_LINES_GC] == gc && s->lines[METRICS_LINES_RUNTIME] == runtime &&
	    s->lines[METRICS_LINES_PROGRAM] == program && s->dropped == dropped)
		return;
	s->lines[METRICS_LINES_GC] = gc;
	s->lines[METRICS_LINES_RUNTIME] = runtime;
	s->lines[METRICS_LINES_PROGRAM] = program;
	s->dropped = dropped;
	s->touched_ms = now_ms;
	m->dirty = true;
}

void metrics_up(struct metrics *m, const char *source, bool up, uint64_t now_ms)
{
	struct msrc *s = lookup(m, source, now_ms);

	if (!source || !*source) {
		/* The input: every source read from it. */
		m->input_up = up;
		for (unsigned i = 0; i < m->nsrc; i++)
			if (m->src[i].used && m->src[i].up != up) {
				m->src[i].up = up;
				m->src[i].touched_ms = now_ms;
				m->dirty = true;
			}
		return;
	}
	if (!s || s->up == up)
		return;
	s->up = up;
	s->touched_ms = now_ms;
	m->dirty = true;
}

/* Unnamed first, then by name: a stable order scrape after scrape. */
static int cmp_src(const void *a, const void *b)
{
	return strcmp(((const struct msrc *)a)->name, ((const struct msrc *)b)->name);
}

uint64_t metrics_publish(struct metrics *m, uint64_t now_ms, bool force)
{
	unsigned n = 0;

	for (unsigned i = 0; i < m->nsrc; i++) {
		struct msrc *s = &m->src[i];
		if (s->used && s->name[0] && now_ms > s->touched_ms &&
		    now_ms - s->touched_ms > m->retention_ms) {
			s->used = false;
			m->dirty = true;
		}
		n += s->used;
	}
	if (!m->dirty && !force && m->latest)
		return m->version;
	struct metrics_snap *snap = malloc(sizeof *snap + (size_t)n * sizeof snap->src[0]);
	if (!snap)
		return m->version; /* the last one stays; the next tick tries again */
	atomic_init(&snap->refs, 1);
	snap->overflow = m->overflow;
	snap->n = 0;
	for (unsigned i = 0; i < m->nsrc; i++)
		if (m->src[i].used)
			snap->src[snap->n++] = m->src[i];
	qsort(snap->src, snap->n, sizeof snap->src[0], cmp_src);
	snap->version = ++m->version;
	m->dirty = false;

	pthread_mutex_lock(&m->mu);
	struct metrics_snap *old = m->latest;
	m->latest = snap;
	pthread_mutex_unlock(&m->mu);
	if (old)
		metrics_snap_release(old);
	return snap->version;
}

struct metrics_snap *metrics_acquire(struct metrics *m)
{
	pthread_mutex_lock(&m->mu);
	struct metrics_snap *s = m->latest;
	if (s)
		atomic_fetch_add(&s->refs, 1);
	pthread_mutex_unlock(&m->mu);
	return s;
}

void metrics_snap_release(struct metrics_snap *s)
{
	if (s && atomic_fetch_sub(&s->refs, 1) == 1)
		free(s);
}

uint64_t metrics_snap_version(const struct metrics_snap *s)
{
	return s->version;
}

unsigned metrics_snap_sources(const struct metrics_snap *s)
{
	return s->n;
}

/* ---- rendering ------------------------------------------------------------ */

struct out {
	char *p;
	size_t len, cap;
	bool oom;
};

static void put(struct out *o, const char *s, size_t n)
{
	if (o->oom)
		return;
	if (o->len + n > o->cap) {
		size_t cap = o->cap ? o->cap : 4096;
		while (cap < o->len + n)
			cap *= 2;
		char *p = realloc(o->p, cap);
		if (!p) {
			o->oom = true;
			return;
		}
		o->p = p;
		o->cap = cap;
	}
	memcpy(o->p + o->len, s, n);
	o->len += n;
}

static void puts_(struct out *o, const char *s)
{
	put(o, s, strlen(s));
}

/* v / 10^digits, exactly, without trailing zeros: 1500 us -> "0.0015". */
static void put_dec(struct out *o, uint64_t v, unsigned digits)
{
	char buf[48];
	uint64_t div = 1;

	for (unsigned i = 0; i < digits; i++)
		div *= 10;
	int n = snprintf(buf, sizeof buf, "%llu", (unsigned long long)(v / div));
	uint64_t frac = v % div;
	if (frac) {
		char f[24];
		snprintf(f, sizeof f, "%0*llu", (int)digits, (unsigned long long)frac);
		size_t k = strlen(f);
		while (k && f[k - 1] == '0')
			f[--k] = 0;
		n += snprintf(buf + n, sizeof buf - (size_t)n, ".%s", f);
	}
	put(o, buf, (size_t)n);
}

/* A label value: \\, \" and \n escaped; bytes that are not UTF-8 become
 * U+FFFD (both formats must be valid UTF-8). */
static void put_label_value(struct out *o, const char *s)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t n = strlen(s);

	for (size_t i = 0; i < n;) {
		uint32_t cp;
		int k = utf8_decode(u + i, n - i, &cp);
		if (k == 0) {
			put(o, "\xef\xbf\xbd", 3);
			i++;
		} else if (u[i] == '\\') {
			put(o, "\\\\", 2), i++;
		} else if (u[i] == '"') {
			put(o, "\\\"", 2), i++;
		} else if (u[i] == '\n') {
			put(o, "\\n", 2), i++;
		} else {
			put(o, s + i, (size_t)k);
			i += (size_t)k;
		}
	}
}

enum ftype { F_COUNTER, F_GAUGE, F_HISTOGRAM };

/* A value: an integer scaled by 10^-digits. */
struct val {
	uint64_t v;
	unsigned digits;
};

/*
 * One table of the metric families (DESIGN.md): the name (with _total for
 * counters, as text 0.0.4 writes it), type, OpenMetrics unit, help, and an
 * optional label with its values.  get() gives the value of sub-series i
 * of a source, false when the source has none (a gauge before the first
 * collection).
 */
struct family {
	const char *name;
	enum ftype type;
	const char *unit;
	const char *help;
	const char *label;
	const char *const *label_values;
	unsigned nvalues;
	bool (*get)(const struct msrc *s, unsigned i, struct val *v);
};

static bool get_cycles(const struct msrc *s, unsigned i, struct val *v)
{
	*v = (struct val){s->cycles, 0};
	return true;
}
static bool get_forced(const struct msrc *s, unsigned i, struct val *v)
{
	*v = (struct val){s->forced, 0};
	return true;
}
static bool get_stw(const struct msrc *s, unsigned i, struct val *v)
{
	*v = (struct val){s->stw_us[i], 6};
	return true;
}
static bool get_mark(const struct msrc *s, unsigned i, struct val *v)
{
	*v = (struct val){s->mark_us, 6};
	return true;
}
static bool get_cpu(const struct msrc *s, unsigned i, struct val *v)
{
	*v = (struct val){s->cpu_us[i], 6};
	return true;
}
static bool get_heap(const struct msrc *s, unsigned i, struct val *v)
{
	if (s->heap_mb[i] < 0)
		return false;
	*v = (struct val){(uint64_t)s->heap_mb[i] * MIB, 0};
	return true;
}
#define HEAP_GETTER(fn, idx) \
	static bool fn(const struct msrc *s, unsigned i, struct val *v) { return get_heap(s, idx, v); }
HEAP_GETTER(get_heap_start, H_START)
HEAP_GETTER(get_heap_end, H_END)
HEAP_GETTER(get_heap_live, H_LIVE)
HEAP_GETTER(get_heap_goal, H_GOAL)
HEAP_GETTER(get_stacks, H_STACKS)
HEAP_GETTER(get_globals, H_GLOBALS)
static bool get_procs(const struct msrc *s, unsigned i, struct val *v)
{
	if (s->procs < 0)
		return false;
	*v = (struct val){(uint64_t)s->procs, 0};
	return true;
}
static bool get_last(const struct msrc *s, unsigned i, struct val *v)
{
	if (!s->last_cycle_ms)
		return false;
	*v = (struct val){s->last_cycle_ms, 3};
	return true;
}
static bool get_runs(const struct msrc *s, unsigned i, struct val *v)
{
	*v = (struct val){s->runs, 0};
	return true;
}
static bool get_dropped(const struct msrc *s, unsigned i, struct val *v)
{
	*v = (struct val){s->dropped, 0};
	return true;
}
static bool get_lines(const struct msrc *s, unsigned i, struct val *v)
{
	*v = (struct val){s->lines[i], 0};
	return true;
}
static bool get_up(const struct msrc *s, unsigned i, struct val *v)
{
	*v = (struct val){(uint64_t)(s->up > 0), 0};
	return true;
}

static const char *const stw_phases[NSTW] = {"sweep_termination", "mark_termination"};
static const char *const cpu_phases[NCPU] = {"sweep_termination", "assist", "background",
                                             "idle", "mark_termination"};
static const char *const line_kinds[3] = {"gc", "runtime", "program"};

static const struct family families[] = {
	{"gctrace_cycles_total", F_COUNTER, NULL, "Garbage collections seen.",
	 NULL, NULL, 1, get_cycles},
	{"gctrace_forced_cycles_total", F_COUNTER, NULL, "Garbage collections marked (forced).",
	 NULL, NULL, 1, get_forced},
	{"gctrace_pause_seconds", F_HISTOGRAM, "seconds",
	 "Stop-the-world time per collection (sweep termination + mark termination).",
	 NULL, NULL, 1, NULL},
	{"gctrace_stw_seconds_total", F_COUNTER, "seconds",
	 "Wall time of the stop-the-world phases.",
	 "phase", stw_phases, NSTW, get_stw},
	{"gctrace_mark_seconds_total", F_COUNTER, "seconds",
	 "Wall time of concurrent mark.", NULL, NULL, 1, get_mark},
	{"gctrace_cpu_seconds_total", F_COUNTER, "seconds",
	 "CPU time of the collector by phase (assist, background and idle are the mark workers).",
	 "phase", cpu_phases, NCPU, get_cpu},
	{"gctrace_heap_start_bytes", F_GAUGE, "bytes",
	 "Heap size at the start of the last collection.", NULL, NULL, 1, get_heap_start},
	{"gctrace_heap_end_bytes", F_GAUGE, "bytes",
	 "Heap size at the end of the last collection.", NULL, NULL, 1, get_heap_end},
	{"gctrace_heap_live_bytes", F_GAUGE, "bytes",
	 "Heap marked live by the last collection.", NULL, NULL, 1, get_heap_live},
	{"gctrace_heap_goal_bytes", F_GAUGE, "bytes",
	 "Heap goal of the last collection.", NULL, NULL, 1, get_heap_goal},
	{"gctrace_stacks_bytes", F_GAUGE, "bytes",
	 "Scannable stack size at the last collection (Go 1.18+).", NULL, NULL, 1, get_stacks},
	{"gctrace_globals_bytes", F_GAUGE, "bytes",
	 "Scannable globals size at the last collection (Go 1.18+).", NULL, NULL, 1, get_globals},
	{"gctrace_procs", F_GAUGE, NULL, "GOMAXPROCS (P) of the last collection.",
	 NULL, NULL, 1, get_procs},
	{"gctrace_last_cycle_timestamp_seconds", F_GAUGE, "seconds",
	 "Unix time at which the last collection was read.", NULL, NULL, 1, get_last},
	{"gctrace_runs_total", F_COUNTER, NULL, "Runs of the program (1 + restarts).",
	 NULL, NULL, 1, get_runs},
	{"gctrace_dropped_records_total", F_COUNTER, NULL,
	 "Collections whose line could not be read back exactly (not counted elsewhere).",
	 NULL, NULL, 1, get_dropped},
	{"gctrace_lines_total", F_COUNTER, NULL,
	 "Lines read: gc records, other runtime lines, the program's own.",
	 "kind", line_kinds, 3, get_lines},
	{"gctrace_source_up", F_GAUGE, NULL, "1 while the source's input is open.",
	 NULL, NULL, 1, get_up},
};

static const char *type_name(enum ftype t)
{
	return t == F_COUNTER ? "counter" : t == F_GAUGE ? "gauge" : "histogram";
}

/* name{source="..",extra="..",le=".."} : the brace part, empty when no
 * label. */
static void put_labels(struct out *o, const struct msrc *s, const char *k1, const char *v1,
                       const char *k2, const char *v2)
{
	bool any = false;

	if (!s->name[0] && !k1 && !k2)
		return;
	put(o, "{", 1);
	if (s->name[0]) {
		puts_(o, "source=\"");
		put_label_value(o, s->name);
		put(o, "\"", 1);
		any = true;
	}
	const char *ks[2] = {k1, k2}, *vs[2] = {v1, v2};
	for (int i = 0; i < 2; i++) {
		if (!ks[i])
			continue;
		if (any)
			put(o, ",", 1);
		puts_(o, ks[i]);
		puts_(o, "=\"");
		put_label_value(o, vs[i]);
		put(o, "\"", 1);
		any = true;
	}
	put(o, "}", 1);
}

static void put_histogram(struct out *o, const struct family *f, const struct msrc *s)
{
	uint64_t cum = 0;

	for (unsigned b = 0; b <= METRICS_BUCKETS; b++) {
		cum += s->bucket[b];
		puts_(o, f->name);
		puts_(o, "_bucket");
		put_labels(o, s, "le", b < METRICS_BUCKETS ? bucket_le[b] : "+Inf", NULL, NULL);
		put(o, " ", 1);
		put_dec(o, cum, 0);
		put(o, "\n", 1);
	}
	puts_(o, f->name);
	puts_(o, "_sum");
	put_labels(o, s, NULL, NULL, NULL, NULL);
	put(o, " ", 1);
	put_dec(o, s->pause_sum_us, 6);
	put(o, "\n", 1);
	puts_(o, f->name);
	puts_(o, "_count");
	put_labels(o, s, NULL, NULL, NULL, NULL);
	put(o, " ", 1);
	put_dec(o, s->pause_count, 0);
	put(o, "\n", 1);
}

/* # HELP/# TYPE (and # UNIT) lines.  OpenMetrics names a counter family
 * without its _total. */
static void put_header(struct out *o, const char *name, size_t nlen, enum ftype type,
                       const char *unit, const char *help, enum metrics_format fmt)
{
	if (fmt == METRICS_OPENMETRICS) {
		puts_(o, "# TYPE ");
		put(o, name, nlen);
		put(o, " ", 1);
		puts_(o, type_name(type));
		if (unit) {
			puts_(o, "\n# UNIT ");
			put(o, name, nlen);
			put(o, " ", 1);
			puts_(o, unit);
		}
		puts_(o, "\n# HELP ");
		put(o, name, nlen);
		put(o, " ", 1);
		puts_(o, help);
		put(o, "\n", 1);
		return;
	}
	puts_(o, "# HELP ");
	put(o, name, nlen);
	put(o, " ", 1);
	puts_(o, help);
	puts_(o, "\n# TYPE ");
	put(o, name, nlen);
	put(o, " ", 1);
	puts_(o, type_name(type));
	put(o, "\n", 1);
}

static size_t family_name_len(const char *name, enum ftype type, enum metrics_format fmt)
{
	size_t n = strlen(name);

	if (fmt == METRICS_OPENMETRICS && type == F_COUNTER && n > 6 &&
	    strcmp(name + n - 6, "_total") == 0)
		n -= 6;
	return n;
}

char *metrics_render(const struct metrics_snap *snap, enum metrics_format fmt, size_t *len)
{
	struct out o = {0};

	for (size_t fi = 0; fi < sizeof families / sizeof families[0]; fi++) {
		const struct family *f = &families[fi];
		size_t nlen = family_name_len(f->name, f->type, fmt);
		bool any = false;
		/* A family with no series at all is left out (a gauge before
		 * the first collection). */
		for (unsigned si = 0; si < snap->n && !any; si++) {
			struct val v;
			any = f->type == F_HISTOGRAM || f->get(&snap->src[si], 0, &v);
		}
		if (!any)
			continue;
		put_header(&o, f->name, nlen, f->type, f->unit, f->help, fmt);
		for (unsigned si = 0; si < snap->n; si++) {
			const struct msrc *s = &snap->src[si];
			if (f->type == F_HISTOGRAM) {
				put_histogram(&o, f, s);
				continue;
			}
			for (unsigned i = 0; i < f->nvalues; i++) {
				struct val v;
				if (!f->get(s, i, &v))
					continue;
				puts_(&o, f->name);
				put_labels(&o, s, f->label, f->label ? f->label_values[i] : NULL, NULL,
				           NULL);
				put(&o, " ", 1);
				put_dec(&o, v.v, v.digits);
				put(&o, "\n", 1);
			}
		}
	}
	/* gcwatch's own bound, not a source's: no source label. */
	static const struct msrc none = {.name = ""};
	const char *ov = "gctrace_overflow_records_total";
	put_header(&o, ov, family_name_len(ov, F_COUNTER, fmt), F_COUNTER, NULL,
	           "Collections of sources beyond the limit of sources, not exposed.", fmt);
	puts_(&o, ov);
	put_labels(&o, &none, NULL, NULL, NULL, NULL);
	put(&o, " ", 1);
	put_dec(&o, snap->overflow, 0);
	put(&o, "\n", 1);
	if (fmt == METRICS_OPENMETRICS)
		puts_(&o, "# EOF\n");
	if (o.oom) {
		free(o.p);
		return NULL;
	}
	*len = o.len;
	return o.p;
}

/* ---- content negotiation ---------------------------------------------------- */

/* One media range of an Accept header: its type, version parameter and q. */
struct range {
	char type[64];
	char version[32];
	double q;
	unsigned pos;
};

static int cmp_range(const void *a, const void *b)
{
	const struct range *x = a, *y = b;

	if (x->q != y->q)
		return x->q < y->q ? 1 : -1;
	return (x->pos > y->pos) - (x->pos < y->pos);
}

static void trim(const char **s, const char **e)
{
	while (*s < *e && isspace((unsigned char)**s))
		(*s)++;
	while (*e > *s && isspace((unsigned char)(*e)[-1]))
		(*e)--;
}

static void copy_lower(char *dst, size_t cap, const char *s, const char *e)
{
	size_t n = (size_t)(e - s) < cap - 1 ? (size_t)(e - s) : cap - 1;

	for (size_t i = 0; i < n; i++)
		dst[i] = (char)tolower((unsigned char)s[i]);
	dst[n] = 0;
}

#define RANGES_MAX 16

enum metrics_format metrics_negotiate(const char *accept)
{
	struct range r[RANGES_MAX];
	unsigned n = 0;

	if (!accept)
		return METRICS_TEXT;
	for (const char *p = accept; *p && n < RANGES_MAX;) {
		const char *end = strchr(p, ',');
		if (!end)
			end = p + strlen(p);
		const char *semi = memchr(p, ';', (size_t)(end - p));
		const char *ts = p, *te = semi ? semi : end;
		trim(&ts, &te);
		struct range *x = &r[n];
		copy_lower(x->type, sizeof x->type, ts, te);
		x->version[0] = 0;
		x->q = 1;
		x->pos = n;
		/* Parameters: version=..., q=... */
		for (const char *q = semi; q && q < end;) {
			const char *pe = memchr(q + 1, ';', (size_t)(end - q - 1));
			if (!pe)
				pe = end;
			const char *ks = q + 1, *eq = memchr(ks, '=', (size_t)(pe - ks));
			if (eq) {
				const char *ke = eq, *vs = eq + 1, *ve = pe;
				trim(&ks, &ke);
				trim(&vs, &ve);
				if (ke - ks == 1 && (*ks == 'q' || *ks == 'Q')) {
					char num[16];
					copy_lower(num, sizeof num, vs, ve);
					x->q = strtod(num, NULL);
				} else if (ke - ks == 7 && strncasecmp(ks, "version", 7) == 0) {
					copy_lower(x->version, sizeof x->version, vs, ve);
				}
			}
			q = pe;
		}
		if (x->type[0] && x->q > 0)
			n++;
		p = *end ? end + 1 : end;
	}
	qsort(r, n, sizeof r[0], cmp_range);
	for (unsigned i = 0; i < n; i++) {
		const char *v = r[i].version;
		if (strcmp(r[i].type, "application/openmetrics-text") == 0 &&
		    (!*v || strcmp(v, "1.0.0") == 0 || strcmp(v, "0.0.1") == 0))
			return METRICS_OPENMETRICS;
		if (strcmp(r[i].type, "text/plain") == 0 && (!*v || strcmp(v, "0.0.4") == 0))
			return METRICS_TEXT;
		if (strcmp(r[i].type, "*/*") == 0 || strcmp(r[i].type, "text/*") == 0)
			return METRICS_TEXT;
	}
	return METRICS_TEXT;
}

const char *metrics_content_type(enum metrics_format f)
{
	return f == METRICS_OPENMETRICS ? "application/openmetrics-text; version=1.0.0; charset=utf-8"
	                                : "text/plain; version=0.0.4; charset=utf-8";
}
