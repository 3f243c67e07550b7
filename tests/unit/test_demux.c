/* Demultiplexing one input into feeds by collector prefix. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "model/demux.h"
#include "trace/gctrace.h"

struct run {
	struct demux d;
	struct model *m;
};

static void on_record(void *ctx, const struct gc_record *r)
{
	struct run *x = ctx;
	struct feed *f = demux_record(&x->d, r);
	if (f)
		feed_add_record(f, r, 1);
}

static void on_foreign(void *ctx, const char *s, size_t n)
{
	struct run *x = ctx;
	feed_add_text(demux_line(&x->d, s, n), 0, s, n, 1);
}

static void feed_text(struct run *x, const char *text)
{
	static const struct gctrace_sink sink = {.record = on_record, .foreign = on_foreign};
	struct gctrace *p = gctrace_new(&sink, x);
	gctrace_feed(p, text, strlen(text));
	gctrace_finish(p);
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
	assert_int_equal(demux_init(&x.d, x.m), 0);
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
	model_free(x.m);
}

/* A prefix that changes on every record cannot grow memory: feeds past
 * max_feeds are refused and counted. */
static void test_refused(void **state)
{
	(void)state;
	struct run x = {.m = model_new(5, 0, false)};
	assert_int_equal(demux_init(&x.d, x.m), 0);
	char buf[256];
	for (int i = 0; i < 100; i++) {
		snprintf(buf, sizeof buf, "Dec  1 10:00:00 host app[%d]: %s", i, GC(1, "0.100"));
		feed_text(&x, buf);
	}
	assert_int_equal(x.m->nfeeds, 5);
	assert_int_equal(x.d.refused, 96);
	assert_int_equal(x.m->feeds_refused, 96);
	model_free(x.m);
}

/* No prefix: one feed, the input's own, as before feeds existed. */
static void test_unprefixed(void **state)
{
	(void)state;
	struct run x = {.m = model_new(0, 0, true)};
	assert_int_equal(demux_init(&x.d, x.m), 0);
	feed_text(&x, GC(1, "0.100") "hello\n" GC(2, "0.200"));
	assert_int_equal(x.m->nfeeds, 1);
	assert_int_equal(x.m->feeds[0]->stats.count, 2);
	assert_int_equal(x.m->feeds[0]->nlines, 1);
	model_free(x.m);
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
	assert_int_equal(demux_init_named(&a.d, m, "n1", 0), 0);
	assert_int_equal(demux_init_named(&b.d, m, "n2", 1), 0);
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
	/* Without a prefix: as demux_init. */
	struct run c = {.m = model_new(0, 0, true)};
	assert_int_equal(demux_init_named(&c.d, c.m, NULL, 0), 0);
	demux_name(&c.d, "etcd[1]", name, sizeof name);
	assert_string_equal(name, "etcd[1]");
	assert_string_equal(c.m->feeds[0]->name, "");
	model_free(c.m);
	model_free(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_kubectl_pods),
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_unprefixed),
		cmocka_unit_test(test_named_inputs),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
