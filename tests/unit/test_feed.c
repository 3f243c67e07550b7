/* The feed module and the model's copy: rings, restarts, and copies that
 * bring over only what changed. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "model/feed.h"
#include "model/model.h"

/* A step (at most 23 records 100 ms apart) touches at most two chunks of
 * each tier. */
#define HIST_CHUNKS_CHANGED(n) ((n) ? 2 * sizeof(struct hist_chunk) : 0)

static struct gc_record rec(uint64_t gc)
{
	struct gc_record r;

	gcrecord_clear(&r);
	r.gc = gc;
	r.at_ms = (int64_t)gc * 100;
	r.clock_sweep_term_us = 10;
	r.clock_mark_term_us = (int64_t)gc;
	r.heap_live_mb = (int64_t)gc % 50;
	r.procs = 4;
	return r;
}

/* The ring keeps the newest cap records, oldest first, across growth and
 * wrapping. */
static void test_ring_order(void **state)
{
	(void)state;
	struct feed *f = feed_new("x", 100, false);
	assert_non_null(f);
	for (uint64_t g = 1; g <= 1000; g++) {
		struct gc_record r = rec(g);
		feed_add_record(f, &r, g);
		unsigned want = g < 100 ? (unsigned)g : 100;
		assert_int_equal(f->nrecent, want);
		assert_int_equal(feed_record(f, 0)->gc, g - want + 1);
		assert_int_equal(feed_record(f, f->nrecent - 1)->gc, g);
	}
	assert_int_equal(f->total_records, 1000);
	assert_int_equal(f->stats.count, 1000);
	assert_true(f->rec_alloc == 100);
	assert_true(feed_bytes(f) <= feed_bytes_max(100, false));
	feed_free(f);
}

static void test_restart_counted(void **state)
{
	(void)state;
	struct feed *f = feed_new("", 0, false);
	struct gc_record a = rec(5), b = rec(6), c = rec(1);
	assert_true(feed_add_record(f, &a, 1));
	assert_false(feed_add_record(f, &b, 2));
	assert_true(feed_add_record(f, &c, 3));
	assert_int_equal(f->stats.runs, 2);
	assert_int_equal(f->first_ms, 1);
	assert_int_equal(f->last_ms, 3);
	feed_free(f);
}

/* Lines in any pieces; a long line is cut and says so; the ring keeps
 * FEED_LINES. */
static void test_lines(void **state)
{
	(void)state;
	struct feed *f = feed_new("", 0, true);
	feed_add_text(f, 1, "hel", 3, 1);
	feed_add_text(f, 1, "lo\nwor", 6, 1);
	assert_int_equal(f->nlines, 1);
	assert_int_equal(feed_line(f, 0)->len, 5);
	assert_memory_equal(feed_line(f, 0)->text, "hello", 5);
	assert_int_equal(feed_line(f, 0)->stream, 1);
	char big[FEED_LINE_MAX * 2];
	memset(big, 'y', sizeof big);
	feed_add_text(f, 1, big, sizeof big, 2);
	feed_add_text(f, 1, "\n", 1, 2);
	assert_int_equal(f->nlines, 2);
	assert_int_equal(feed_line(f, 1)->len, FEED_LINE_MAX);
	assert_true(feed_line(f, 1)->cut);
	assert_memory_equal(feed_line(f, 1)->text, "wor", 3);
	for (int i = 0; i < 3 * FEED_LINES; i++) {
		char l[32];
		int n = snprintf(l, sizeof l, "line %d\n", i);
		feed_add_text(f, 0, l, (size_t)n, 3);
	}
	assert_int_equal(f->nlines, FEED_LINES);
	assert_int_equal(f->total_lines, 2 + 3 * FEED_LINES);
	char want[32];
	snprintf(want, sizeof want, "line %d", 3 * FEED_LINES - 1);
	assert_int_equal(feed_line(f, FEED_LINES - 1)->len, strlen(want));
	assert_memory_equal(feed_line(f, FEED_LINES - 1)->text, want, strlen(want));
	/* Without keep_lines nothing is kept. */
	struct feed *g = feed_new("", 0, false);
	feed_add_text(g, 0, "a\nb\n", 4, 1);
	assert_int_equal(g->nlines, 0);
	feed_free(g);
	feed_free(f);
}

/* A copy made step by step equals the live feed, copies nothing when
 * nothing changed, and copies only the new records otherwise. */
static void test_copy_incremental(void **state)
{
	(void)state;
	struct model *live = model_new(8, 64, true), *snap = model_new(8, 64, true);
	struct feed *a = model_feed(live, "a");
	assert_non_null(a);
	uint64_t g = 0;
	for (int step = 0; step < 50; step++) {
		int n = (step * 7) % 23;
		for (int i = 0; i < n; i++) {
			struct gc_record r = rec(++g);
			feed_add_record(a, &r, g);
		}
		feed_add_text(a, 0, "x\n", 2, g);
		live->version++;
		size_t bytes = model_copy(snap, live, MODEL_FOCUS_AUTO);
		assert_int_equal(snap->nfeeds, 1);
		const struct feed *s = snap->feeds[0];
		assert_int_equal(s->nrecent, a->nrecent);
		for (unsigned i = 0; i < a->nrecent; i++)
			assert_int_equal(feed_record(s, i)->gc, feed_record(a, i)->gc);
		assert_int_equal(s->stats.count, a->stats.count);
		assert_int_equal(s->nlines, a->nlines);
		/* Never more than the new records, the history chunk they
		 * fell in (a tier), the feed, its row and the model. */
		assert_true(bytes <= (size_t)(n + 0) * sizeof(struct gc_record) +
		                     2 * HIST_CHUNKS_CHANGED(n) +
		                     sizeof(struct feed_line) + sizeof(struct feed) +
		                     sizeof(struct feed_row) + sizeof(struct model));
		assert_int_equal(snap->rows[0].count, a->stats.count);
		/* Unchanged: only the model's own fields. */
		assert_int_equal(model_copy(snap, live, MODEL_FOCUS_AUTO), sizeof(struct model));
	}
	model_free(live);
	model_free(snap);
}

/* A copy holds the focused feed whole and a row for every feed; moving
 * the focus frees the old one. */
static void test_copy_focus(void **state)
{
	(void)state;
	struct model *live = model_new(8, 0, false), *snap = model_new(8, 0, false);
	model_feed(live, "");
	for (int k = 0; k < 3; k++) {
		char name[8];
		snprintf(name, sizeof name, "p%d", k);
		struct feed *f = model_feed(live, name);
		for (uint64_t g = 1; g <= (uint64_t)(10 * (k + 1)); g++) {
			struct gc_record r = rec(g);
			model_add_record(live, f, &r, g);
		}
	}
	model_copy(snap, live, MODEL_FOCUS_AUTO);
	assert_int_equal(snap->nfeeds, 4);
	assert_int_equal(snap->focus, 1); /* the first with collections */
	assert_null(snap->feeds[0]);
	assert_non_null(snap->feeds[1]);
	assert_null(snap->feeds[2]);
	assert_int_equal(snap->feeds[1]->nrecent, 10);
	for (unsigned i = 1; i < 4; i++) {
		assert_int_equal(snap->rows[i].count, 10 * i);
		assert_int_equal(snap->rows[i].index, i);
		/* Pauses 10 + gc us: the window's max is the newest's. */
		assert_int_equal(snap->rows[i].max, 10 + 10 * (int64_t)i);
	}
	assert_int_equal(histo_count(&snap->all_pause), 60);
	model_copy(snap, live, 3);
	assert_null(snap->feeds[1]);
	assert_non_null(snap->feeds[3]);
	assert_int_equal(snap->feeds[3]->stats.count, 30);
	model_free(live);
	model_free(snap);
}

/* Feeds past max_feeds are refused, never allocated. */
static void test_max_feeds(void **state)
{
	(void)state;
	struct model *m = model_new(3, 0, false);
	assert_non_null(model_feed(m, "a"));
	assert_non_null(model_feed(m, "b"));
	assert_non_null(model_feed(m, "c"));
	assert_null(model_feed(m, "d"));
	assert_ptr_equal(model_feed(m, "b"), m->feeds[1]);
	assert_int_equal(m->nfeeds, 3);
	model_free(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ring_order),
		cmocka_unit_test(test_restart_counted),
		cmocka_unit_test(test_lines),
		cmocka_unit_test(test_copy_incremental),
		cmocka_unit_test(test_copy_focus),
		cmocka_unit_test(test_max_feeds),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
