/* Demultiplexing one input into feeds by collector prefix. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <stdbool.h>

#include "model/demux.h"
#include "trace/gctrace.h"

struct run {
	struct demux d;
	struct model *m;
};

static void on_placed(void *ctx, struct feed *f, const struct gc_record *r, uint64_t now_ms)
{
	(void)ctx;
	if (f)
		feed_add_record(f, r, now_ms);
}

static void on_record(void *ctx, const struct gc_record *r)
{
	struct run *x = ctx;
	demux_record(&x->d, r, 1);
}

static void on_foreign(void *ctx, const char *s, size_t n)
{
	struct run *x = ctx;
	demux_text(&x->d, s, n);
	feed_add_text(demux_line(&x->d, s, n), 0, s, n, 1);
}

static void feed_text(struct run *x, const char *text)
{
	static const struct gctrace_sink sink = {.record = on_record, .foreign = on_foreign};
	struct gctrace *p = gctrace_new(&sink, x);
	gctrace_feed(p, text, strlen(text));
	gctrace_finish(p);
	demux_flush(&x->d);
	gctrace_free(p);
}

#define GC(n, at) "gc " #n " @" at "s 1%: 0.010+1.0+0.010 ms clock, " \
	"0.040+0.10/0.50/1.0+0.040 ms cpu, 4->4->1 MB, 5 MB goal, 4 P\n"

/* kubectl --prefix: 3 pods interleaved, one of them restarted; their
 * program lines go to their feeds, unprefixed ones to the input's. */
static void test_kubectl_pods(void **state)
{
	(void)state;
	struct run x = {.m = model_new(0, 0, true)};
	assert_int_equal(demux_init(&x.d, x.m, on_placed, &x), 0);
	feed_text(&x, "[pod/a-1/app] " GC(1, "0.100")
	              "[pod/b-2/app] " GC(1, "0.200")
	              "[pod/a-1/app] listening\n"
	              "[pod/c-3/app] " GC(7, "9.000")
	              "[pod/a-1/app] " GC(2, "0.300")
	              "[pod/b-2/app] " GC(1, "0.050")
	              "no prefix here\n");
	assert_int_equal(x.m->nfeeds, 4);
	struct feed *own = model_find(x.m, ""), *a = model_find(x.m, "pod/a-1/app"),
	            *b = model_find(x.m, "pod/b-2/app"), *c = model_find(x.m, "pod/c-3/app");
	assert_non_null(a);
	assert_non_null(b);
	assert_non_null(c);
	assert_int_equal(own->stats.count, 0);
	assert_int_equal(a->stats.count, 2);
	assert_int_equal(a->stats.runs, 1);
	assert_int_equal(b->stats.count, 2);
	assert_int_equal(b->stats.runs, 2); /* a restart of the same pod */
	assert_int_equal(c->stats.count, 1);
	assert_int_equal(a->nlines, 1);
	assert_int_equal(own->nlines, 1);
	demux_free(&x.d);
	model_free(x.m);
}

/* A prefix that changes on every record cannot grow memory: feeds past
 * max_feeds are refused and counted. */
static void test_refused(void **state)
{
	(void)state;
	struct run x = {.m = model_new(5, 0, false)};
	assert_int_equal(demux_init(&x.d, x.m, on_placed, &x), 0);
	char buf[256];
	for (int i = 0; i < 100; i++) {
		snprintf(buf, sizeof buf, "Dec  1 10:00:00 host app[%d]: %s", i, GC(1, "0.100"));
		feed_text(&x, buf);
	}
	assert_int_equal(x.m->nfeeds, 5);
	assert_int_equal(x.d.refused, 96);
	assert_int_equal(x.m->feeds_refused, 96);
	demux_free(&x.d);
	model_free(x.m);
}

/* No prefix: one feed, the input's own, as before feeds existed. */
static void test_unprefixed(void **state)
{
	(void)state;
	struct run x = {.m = model_new(0, 0, true)};
	assert_int_equal(demux_init(&x.d, x.m, on_placed, &x), 0);
	feed_text(&x, GC(1, "0.100") "hello\n" GC(2, "0.200"));
	assert_int_equal(x.m->nfeeds, 1);
	assert_int_equal(x.m->feeds[0]->stats.count, 2);
	assert_int_equal(x.m->feeds[0]->nlines, 1);
	demux_free(&x.d);
	model_free(x.m);
}

/* The go command prints a tool's output after "# PKG": that run is PKG's
 * feed, ended; the go command's own collections around it stay its own,
 * and a package built twice (go run's compile and link) is one feed with
 * two runs. */
static void test_go_tool_blocks(void **state)
{
	(void)state;
	struct run x = {.m = model_new(0, 0, true)};
	assert_int_equal(demux_init(&x.d, x.m, on_placed, &x), 0);
	feed_text(&x, GC(1, "0.100") GC(2, "0.200")
	              "# runtime\n" GC(1, "0.010") GC(2, "0.020") GC(3, "0.030")
	              GC(3, "0.300")
	              "# command-line-arguments\n" GC(1, "0.005")
	              "# command-line-arguments\n" GC(1, "0.004") GC(2, "0.008")
	              GC(4, "0.400"));
	assert_int_equal(x.m->nfeeds, 3);
	struct feed *own = model_find(x.m, ""), *rt = model_find(x.m, "runtime"),
	            *cla = model_find(x.m, "command-line-arguments");
	assert_non_null(rt);
	assert_non_null(cla);
	assert_int_equal(own->stats.count, 4);
	assert_int_equal(own->stats.runs, 1);
	assert_false(own->ended);
	assert_int_equal(rt->stats.count, 3);
	assert_int_equal(rt->stats.runs, 1);
	assert_true(rt->ended);
	assert_int_equal(cla->stats.count, 3);
	assert_int_equal(cla->stats.runs, 2);
	demux_free(&x.d);
	model_free(x.m);
}

/* A tool's output is printed whole: a record that skips numbers after
 * its last is not its own (the go command's gc 16 after the runtime
 * compiler's gc 11); "gc " of the go command's, torn off and lost, before
 * "# PKG" still names the tool, and so does a test variant's header. */
static void test_go_tool_blocks_torn(void **state)
{
	(void)state;
	struct run x = {.m = model_new(0, 0, true)};
	assert_int_equal(demux_init(&x.d, x.m, on_placed, &x), 0);
	feed_text(&x, GC(1, "0.100") GC(2, "0.200")
	              "# runtime\n" GC(1, "0.010") GC(2, "0.020") GC(3, "0.030")
	              GC(5, "5.300")
	              "gc # internal/cpu\n" GC(1, "0.005")
	              GC(6, "6.400")
	              "# p [p.test]\n" GC(1, "0.014")
	              GC(7, "7.100"));
	assert_int_equal(x.m->nfeeds, 4);
	assert_non_null(model_find(x.m, "p [p.test]"));
	struct feed *own = model_find(x.m, ""), *rt = model_find(x.m, "runtime"),
	            *cpu = model_find(x.m, "internal/cpu");
	assert_non_null(own);
	assert_non_null(rt);
	assert_non_null(cpu);
	assert_int_equal(own->stats.count, 5);
	assert_int_equal(rt->stats.count, 3);
	assert_int_equal(cpu->stats.count, 1);
	demux_free(&x.d);
	model_free(x.m);
}

/* The go command's own line torn by the output it prints, before any
 * whole block showed that several runtimes print: after its number,
 * inside its times, after its last " P" (the runtime's newline after the
 * block).  Each block is its package's; the go command's records are all
 * put back, in its own feed. */
static void test_go_tool_header_glued(void **state)
{
	(void)state;
	struct run x = {.m = model_new(0, 0, true)};
#define REST4 " @0.400s 1%: 0.010+1.0+0.010 ms clock, " \
	"0.040+0.10/0.50/1.0+0.040 ms cpu, 4->4->1 MB, 5 MB goal, 4 P\n"
	assert_int_equal(demux_init(&x.d, x.m, on_placed, &x), 0);
	feed_text(&x, GC(1, "0.100") GC(2, "0.200") GC(3, "0.300")
	              "gc 4# internal/cpu\n" GC(1, "0.005") GC(2, "0.009") REST4
	              "gc 5 @0.500s 1%: 0.010+1.0# internal/abi\n" GC(1, "0.004")
	              "+0.010 ms clock, 0.040+0.10/0.50/1.0+0.040 ms cpu, 4->4->1 MB, 5 MB goal, 4 P\n"
	              "gc 6 @0.600s 1%: 0.010+1.0+0.010 ms clock, 0.040+0.10/0.50/1.0+0.040 ms cpu, "
	              "4->4->1 MB, 5 MB goal, 4 P# runtime\n" GC(1, "0.010") GC(2, "0.020") "\n"
	              GC(7, "0.700"));
#undef REST4
	struct feed *own = model_find(x.m, ""), *cpu = model_find(x.m, "internal/cpu"),
	            *abi = model_find(x.m, "internal/abi"), *rt = model_find(x.m, "runtime");
	assert_int_equal(x.m->nfeeds, 4);
	assert_non_null(own);
	assert_non_null(cpu);
	assert_non_null(abi);
	assert_non_null(rt);
	assert_int_equal(own->stats.count, 7);
	assert_int_equal(cpu->stats.count, 2);
	assert_int_equal(abi->stats.count, 1);
	assert_int_equal(rt->stats.count, 2);
	demux_free(&x.d);
	model_free(x.m);
}

/* go run: the go command collects, builds (a tool's output after "# PKG"),
 * then runs the program, taken for its restart (the input's own feed);
 * the go command, waiting for it, collects again two minutes on (its
 * forcegc): that record is the go command's, in a feed "go" of its own,
 * a tool's (the fleet table does not open for it), not the program's. */
static void test_go_run_late_record(void **state)
{
	(void)state;
	struct run x = {.m = model_new(0, 0, true)};
	static char text[65536];
	size_t n = 0;

	assert_int_equal(demux_init(&x.d, x.m, on_placed, &x), 0);
	n += (size_t)snprintf(text + n, sizeof text - n, "%s%s%s", GC(1, "0.010"), GC(2, "0.020"),
	                      "# command-line-arguments\n" GC(1, "0.004") GC(2, "0.008"));
	for (int i = 1; i <= 80; i++)
		n += (size_t)snprintf(text + n, sizeof text - n,
		                      "gc %d @%d.%03ds 1%%: 0.010+1.0+0.010 ms clock, "
		                      "0.040+0.10/0.50/1.0+0.040 ms cpu, 4->4->1 MB, 5 MB goal, 4 P\n",
		                      i, i / 10, i % 10 * 100);
	n += (size_t)snprintf(text + n, sizeof text - n, "%s", GC(3, "120.400"));
	feed_text(&x, text);
	struct feed *own = model_find(x.m, ""), *go = model_find(x.m, "go");
	assert_non_null(own);
	assert_non_null(go);
	assert_int_equal(x.m->nfeeds, 3);
	assert_int_equal(own->stats.count, 82);
	assert_int_equal(own->stats.runs, 2);
	assert_int_equal(go->stats.count, 1);
	assert_true(go->tool);
	assert_false(own->tool);
	demux_free(&x.d);
	model_free(x.m);
}

/* ---- unprefixed runtimes interleaved, with known truth ------------------ */

/* Real recordings (gc lines of one process each, Go 1.19, 2 P): see
 * tests/data/demux/README. */
#define MAX_LINES 600
struct trace {
	int n;
	char *line[MAX_LINES];
	struct gc_record r[MAX_LINES];
};

static void trace_load(struct trace *t, const char *name)
{
	char path[512], buf[1024];
	snprintf(path, sizeof path, "%s/demux/%s", TEST_DATA, name);
	FILE *f = fopen(path, "r");
	assert_non_null(f);
	t->n = 0;
	while (t->n < MAX_LINES && fgets(buf, sizeof buf, f)) {
		size_t n = strlen(buf);
		assert_true(n && buf[n - 1] == '\n');
		assert_true(gctrace_parse_line(buf, n - 1, &t->r[t->n]));
		t->line[t->n++] = strdup(buf);
	}
	fclose(f);
	assert_true(t->n > 10);
}

static void trace_free(struct trace *t)
{
	for (int i = 0; i < t->n; i++)
		free(t->line[i]);
}

/* When a collection ended in its process's time, us. */
static int64_t end_us(const struct gc_record *r)
{
	return r->at_ms * 1000 + r->clock_sweep_term_us + r->clock_mark_us + r->clock_mark_term_us;
}

/* A process of the mix: its recording played runs times (each a restart
 * after the last ended and gap ms passed), from start ms on. */
struct proc {
	const struct trace *t;
	int64_t start_ms, gap_ms;
	int runs;
};

struct event {
	int64_t wall_us;
	int proc, run, line;
};

static int event_cmp(const void *a, const void *b)
{
	const struct event *x = a, *y = b;
	if (x->wall_us != y->wall_us)
		return x->wall_us < y->wall_us ? -1 : 1;
	return x->proc != y->proc ? x->proc - y->proc : x->line - y->line;
}

#define MAX_EVENTS 8192
#define MAX_PROCS 8

struct mix {
	struct demux d;
	struct model *m;
	struct event ev[MAX_EVENTS];
	const struct proc *procs;
	int nev, next;           /* events, the next to be delivered */
	uint64_t now_ms;
	struct feed *feed_of[MAX_PROCS];
	/* Figures. */
	int misattributed, restarts, flagged, spurious, wrong_value;
};

static void mix_placed(void *ctx, struct feed *f, const struct gc_record *r, uint64_t now_ms)
{
	struct mix *x = ctx;
	assert_true(x->next < x->nev);
	const struct event *e = &x->ev[x->next++];
	const struct gc_record *truth = &x->procs[e->proc].t->r[e->line];
	struct gc_record a = *r;
	a.source[0] = 0;
	if (!gcrecord_equal(&a, truth))
		x->wrong_value++;
	assert_non_null(f);
	if (!x->feed_of[e->proc]) {
		/* A process's first record names its feed; no other process
		 * may have it. */
		for (int p = 0; p < MAX_PROCS; p++)
			if (x->feed_of[p] == f) {
				if (!x->misattributed && getenv("DEMUX_DEBUG"))
					printf("first misattributed: proc %d's first record to %d's %s\n",
					       e->proc, p, f->name);
				x->misattributed++;
			}
		x->feed_of[e->proc] = f;
	} else if (x->feed_of[e->proc] != f) {
		if (!x->misattributed && getenv("DEMUX_DEBUG"))
			printf("first misattributed: event %d proc %d run %d line %d to %s\n", x->next - 1,
			       e->proc, e->run, e->line, f->name);
		x->misattributed++;
	}
	bool new_run = feed_add_record(f, r, now_ms);
	bool truth_restart = e->run > 0 && e->line == 0;
	if (truth_restart) {
		x->restarts++;
		x->flagged += new_run;
	} else if (new_run && f->stats.count > 1) {
		x->spurious++;
	}
}

static void mix_record(void *ctx, const struct gc_record *r)
{
	struct mix *x = ctx;
	demux_record(&x->d, r, x->now_ms);
}

/* Build the stream of procs, feed it whole lines at a time (now: the
 * line's wall time when live, else 0 throughout, as from a file), and
 * check every record's feed against its process. */
static struct mix *mix_run(const struct proc *procs, int nprocs, bool live)
{
	static const struct gctrace_sink sink = {.record = mix_record};
	struct mix *x = calloc(1, sizeof *x);
	x->procs = procs;
	for (int p = 0; p < nprocs; p++) {
		int64_t start = procs[p].start_ms * 1000;
		for (int k = 0; k < procs[p].runs; k++) {
			const struct trace *t = procs[p].t;
			for (int i = 0; i < t->n; i++) {
				assert_true(x->nev < MAX_EVENTS);
				x->ev[x->nev++] = (struct event){start + end_us(&t->r[i]), p, k, i};
			}
			start += end_us(&t->r[t->n - 1]) + procs[p].gap_ms * 1000;
		}
	}
	qsort(x->ev, (size_t)x->nev, sizeof x->ev[0], event_cmp);
	x->m = model_new(0, 0, false);
	assert_int_equal(demux_init(&x->d, x->m, mix_placed, x), 0);
	struct gctrace *g = gctrace_new(&sink, x);
	for (int i = 0; i < x->nev; i++) {
		const struct event *e = &x->ev[i];
		const char *l = procs[e->proc].t->line[e->line];
		x->now_ms = live ? (uint64_t)(e->wall_us / 1000) + 1000 : 0;
		gctrace_feed(g, l, strlen(l));
	}
	gctrace_finish(g);
	demux_flush(&x->d);
	gctrace_free(g);
	assert_int_equal(x->next, x->nev);
	int truth_restarts = 0;
	for (int p = 0; p < nprocs; p++)
		truth_restarts += procs[p].runs - 1;
	printf("    %d processes, %s: %d records, %u feeds, %d misattributed, %d wrong values, "
	       "%d/%d restarts flagged, %d spurious runs, %llu forced\n",
	       nprocs, live ? "live" : "file", x->nev, x->m->nfeeds, x->misattributed,
	       x->wrong_value, x->flagged, truth_restarts, x->spurious,
	       (unsigned long long)x->d.forced);
	assert_int_equal(x->wrong_value, 0);
	assert_int_equal(x->misattributed, 0);
	assert_int_equal(x->restarts, truth_restarts);
	assert_int_equal(x->flagged, truth_restarts);
	assert_int_equal(x->spurious, 0);
	assert_int_equal(x->m->nfeeds, (unsigned)nprocs);
	return x;
}

static void mix_free(struct mix *x)
{
	demux_free(&x->d);
	model_free(x->m);
	free(x);
}

static struct trace steady, steady2, service, saw, demo;

static int traces_load(void **state)
{
	(void)state;
	trace_load(&steady, "steady.trace");
	trace_load(&steady2, "steady2.trace");
	trace_load(&service, "service.trace");
	trace_load(&saw, "saw.trace");
	trace_load(&demo, "demo.trace");
	return 0;
}

static int traces_free(void **state)
{
	(void)state;
	trace_free(&steady);
	trace_free(&steady2);
	trace_free(&service);
	trace_free(&saw);
	trace_free(&demo);
	return 0;
}

static void mix_both(const struct proc *procs, int n)
{
	mix_free(mix_run(procs, n, true));
	mix_free(mix_run(procs, n, false));
}

/* Two programs on one pipe, each restarted twice. */
static void test_two_runtimes(void **state)
{
	(void)state;
	const struct proc procs[] = {
		{&steady, 0, 400, 3},
		{&service, 150, 900, 3},
	};
	mix_both(procs, 2);
}

/* Two instances of one program (alike heaps), started 40 ms apart. */
static void test_two_alike(void **state)
{
	(void)state;
	const struct proc procs[] = {
		{&steady, 0, 700, 2},
		{&steady2, 40, 300, 3},
	};
	mix_both(procs, 2);
}

/* The same, 5 ms apart, live: the arrival times tell them apart (read
 * from a file at once, 2-4 of 1025 records go astray: see README). */
static void test_two_alike_close(void **state)
{
	(void)state;
	const struct proc procs[] = {
		{&steady, 0, 700, 2},
		{&steady2, 5, 300, 3},
	};
	mix_free(mix_run(procs, 2, true));
}

/* Three: a long service, a steady one restarted, a sawtooth restarted. */
static void test_three_runtimes(void **state)
{
	(void)state;
	const struct proc procs[] = {
		{&demo, 0, 0, 1},
		{&steady, 2000, 1500, 4},
		{&saw, 3000, 2500, 3},
	};
	mix_both(procs, 3);
}

/* A restart alone on the stream (go run: the go command, then the
 * program) stays one feed. */
static void test_restart_alone(void **state)
{
	(void)state;
	const struct proc procs[] = {
		{&service, 0, 100, 3},
	};
	mix_both(procs, 1);
}

/* Two inputs into one model: each its own feeds, named after the input
 * ("n2: pod/a-1/app" for a prefixed process), told their input; the same
 * pod name on two inputs is two feeds, and a line goes to its own input's. */
static void test_named_inputs(void **state)
{
	(void)state;
	struct model *m = model_new(0, 0, true);
	struct run a = {.m = m}, b = {.m = m};
	char name[FEED_NAME_MAX];
	assert_int_equal(demux_init_named(&a.d, m, on_placed, &a, "n1", 0), 0);
	assert_int_equal(demux_init_named(&b.d, m, on_placed, &b, "n2", 1), 0);
	feed_text(&a, GC(1, "0.100") "plain\n");
	feed_text(&b, "[pod/a-1/app] " GC(1, "0.100") "[pod/a-1/app] hi\n" GC(2, "0.200"));
	feed_text(&a, "[pod/a-1/app] " GC(5, "0.500"));
	assert_int_equal(m->nfeeds, 4);
	assert_string_equal(m->feeds[0]->name, "n1");
	assert_string_equal(m->feeds[1]->name, "n2");
	assert_string_equal(m->feeds[2]->name, "n2: pod/a-1/app");
	assert_string_equal(m->feeds[3]->name, "n1: pod/a-1/app");
	assert_int_equal(m->feeds[0]->input, 0);
	assert_int_equal(m->feeds[1]->input, 1);
	assert_int_equal(m->feeds[2]->input, 1);
	assert_int_equal(m->feeds[3]->input, 0);
	assert_int_equal(m->feeds[0]->stats.count, 1);
	assert_int_equal(m->feeds[1]->stats.count, 1);
	assert_int_equal(m->feeds[2]->stats.count, 1);
	assert_int_equal(m->feeds[3]->stats.count, 1);
	assert_int_equal(m->feeds[0]->nlines, 1);
	assert_int_equal(m->feeds[2]->nlines, 1);
	demux_name(&b.d, "pod/a-1/app", name, sizeof name);
	assert_string_equal(name, "n2: pod/a-1/app");
	demux_name(&b.d, "", name, sizeof name);
	assert_string_equal(name, "n2");
	demux_free(&a.d);
	demux_free(&b.d);
	/* Without a prefix: as demux_init. */
	struct run c = {.m = model_new(0, 0, true)};
	assert_int_equal(demux_init_named(&c.d, c.m, on_placed, &c, NULL, 0), 0);
	demux_name(&c.d, "etcd[1]", name, sizeof name);
	assert_string_equal(name, "etcd[1]");
	assert_string_equal(c.m->feeds[0]->name, "");
	demux_free(&c.d);
	model_free(c.m);
	model_free(m);
}

/* Two unprefixed runtimes on one of several inputs: "n1: #1", "n1: #2". */
static void test_named_unprefixed(void **state)
{
	(void)state;
	struct run x = {.m = model_new(0, 0, true)};
	assert_int_equal(demux_init_named(&x.d, x.m, on_placed, &x, "n1", 0), 0);
	feed_text(&x, GC(1, "0.100") GC(2, "0.200") GC(3, "0.300")
	              "# runtime\n" GC(1, "0.010"));
	assert_non_null(model_find(x.m, "n1"));
	assert_non_null(model_find(x.m, "n1: runtime"));
	assert_int_equal(model_find(x.m, "n1: runtime")->input, 0);
	demux_free(&x.d);
	model_free(x.m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_kubectl_pods),
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_unprefixed),
		cmocka_unit_test(test_go_tool_blocks),
		cmocka_unit_test(test_go_tool_blocks_torn),
		cmocka_unit_test(test_go_tool_header_glued),
		cmocka_unit_test(test_go_run_late_record),
		cmocka_unit_test(test_restart_alone),
		cmocka_unit_test(test_two_runtimes),
		cmocka_unit_test(test_two_alike),
		cmocka_unit_test(test_two_alike_close),
		cmocka_unit_test(test_three_runtimes),
		cmocka_unit_test(test_named_inputs),
		cmocka_unit_test(test_named_unprefixed),
	};
	return cmocka_run_group_tests(tests, traces_load, traces_free);
}
