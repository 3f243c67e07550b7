/*
 * Golden screens of the time axis, with a fake clock: a day of
 * collections built from a real corpus line (a heap that rises and falls
 * over the day, one 50 ms pause among 20 us ones thirty seconds before
 * now, a minute without collections four minutes before now and twenty
 * minutes of them three hours before, a restart seven minutes before now),
 * seen live (wall clock known) at every zoom, and read at once (the
 * trace's own clock).  Properties: the spike fills the pause chart at every
 * zoom, the gaps are empty columns, the restart is marked, the axis
 * labels are those of the zoom.  UPDATE_GOLDEN=1 rewrites the goldens.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "trace/gctrace.h"
#include "ui/grid.h"
#include "model/model.h"
#include "ui/view.h"
#include "ui/chartwin.h"

#ifndef TEST_DATA
#define TEST_DATA "tests/data"
#endif
#define GOLDEN TEST_DATA "/../golden/"

#define START_MS 1000000ULL
#define DAY_MS (24LL * 3600 * 1000)
/* The first collection's wall clock: 2025-12-02 00:00:00 UTC. */
#define WALL0_MS 1764633600000LL

static const char line[] =
	"gc 2 @0.367s 18%: 0.037+111+0.002 ms clock, 0.29+0/223/658+0.018 ms cpu, "
	"1525->1525->1525 MB, 3052 MB goal, 0 MB stacks, 0 MB globals, 8 P";

/* Axis times (ms from the first collection) of what the day holds. */
#define RESTART_T (DAY_MS - 7 * 60000)
#define SPIKE_T (DAY_MS - 30000)
#define GAP1_T (DAY_MS - 4 * 60000)  /* a minute */
#define GAP2_T (DAY_MS - 3 * 3600000) /* twenty minutes */

static bool in_gap(int64_t t)
{
	return (t >= GAP1_T && t < GAP1_T + 60000) ||
	       (t >= GAP2_T && t < GAP2_T + 20 * 60000);
}

/* A day, a collection every 10 s; live: each arrives at its own time
 * (START_MS + t), otherwise all at once. */
static struct model *day(bool live)
{
	struct model *m = model_new(0, FEED_RECORDS, true);
	struct gc_record base;
	uint64_t gc = 1;
	int64_t run0 = 0;

	assert_non_null(m);
	assert_non_null(model_feed(m, ""));
	snprintf(m->name, sizeof m->name, "%s", live ? "./server" : "day.trace");
	m->input = MODEL_RUNNING;
	m->start_ms = START_MS;
	m->wall_offset_ms = live ? WALL0_MS - (int64_t)START_MS : 0;
	assert_true(gctrace_parse_line(line, strlen(line), &base));
	for (int64_t t = 0; t <= DAY_MS; t += 10000) {
		struct gc_record r = base;
		double phase = 2 * M_PI * (double)t / (double)DAY_MS;

		if (in_gap(t))
			continue;
		if (t == RESTART_T) {
			run0 = t - 500; /* the new process's first at @0.5s */
			gc = 1;
		}
		r.gc = gc++;
		r.at_ms = t - run0;
		r.clock_sweep_term_us = 10;
		r.clock_mark_term_us = t == SPIKE_T ? 50000 : 10;
		r.heap_live_mb = (int64_t)(1000 - 800 * cos(phase));
		r.heap_start_mb = r.heap_live_mb * 3 / 2;
		r.heap_end_mb = r.heap_start_mb;
		r.heap_goal_mb = r.heap_live_mb * 2;
		model_add_record(m, m->feeds[0], &r, live ? START_MS + (uint64_t)t : 5);
		m->counts.records++;
	}
	return m;
}

static struct view_opts opts(unsigned zoom, bool ascii)
{
	struct view_opts o = {
		.ascii = ascii, .show_output = true, .window = 60, .zoom = zoom,
		.feed = VIEW_FEED_AUTO, .assist_warn = 0.25,
	};
	return o;
}

static char *text_of(const struct grid *g)
{
	size_t cap = (size_t)g->w * (size_t)g->h * 4 + (size_t)g->h + 1;
	char *buf = malloc(cap);

	assert_non_null(buf);
	assert_true(grid_to_text(g, buf, cap) < cap);
	return buf;
}

static char *row_of(const struct grid *g, int y)
{
	char *buf = malloc((size_t)g->w * 4 + 1);
	size_t n = 0;

	assert_non_null(buf);
	for (int x = 0; x < g->w; x++) {
		const char *ch = grid_at(g, x, y)->ch;
		memcpy(buf + n, ch, strlen(ch));
		n += strlen(ch);
	}
	buf[n] = '\0';
	return buf;
}

static int find_row(const struct grid *g, const char *title)
{
	for (int y = 0; y < g->h; y++) {
		char *row = row_of(g, y);
		bool hit = strncmp(row, title, strlen(title)) == 0;
		free(row);
		if (hit)
			return y;
	}
	return -1;
}

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	long n;
	char *buf;

	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = malloc((size_t)n + 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

static void golden(const char *name, const struct grid *g)
{
	char path[512];
	char *got = text_of(g), *want;

	snprintf(path, sizeof path, GOLDEN "%s.txt", name);
	if (getenv("UPDATE_GOLDEN") && *getenv("UPDATE_GOLDEN") == '1') {
		FILE *f = fopen(path, "wb");
		assert_non_null(f);
		fputs(got, f);
		fclose(f);
	}
	want = slurp(path);
	if (!want)
		fail_msg("no golden file %s (run with UPDATE_GOLDEN=1)", path);
	if (strcmp(got, want) != 0) {
		fprintf(stderr, "screen %s differs from %s; got:\n%s", name, path, got);
		fail_msg("golden mismatch: %s", name);
	}
	free(got);
	free(want);
}

/* The axis row's labels, per zoom. */
static const char *const ticks[VIEW_ZOOMS][2] = {
	{ "-10s", "-50s" }, { "-1m", "-4m" },  { "-5m", "-10m" },
	{ "-10m", "-50m" }, { "-1h", "-5h" },  { "-6h", "-18h" },
};

static void test_zooms(void **state)
{
	(void)state;
	struct model *m = day(true);
	uint64_t now = START_MS + (uint64_t)DAY_MS + 2000;

	for (unsigned z = 0; z < VIEW_ZOOMS; z++) {
		struct view_opts o = opts(z, false);
		struct grid *g = grid_new(100, 30);
		char name[64];

		assert_non_null(g);
		view_render(g, m, &o, now);
		snprintf(name, sizeof name, "time-%s-100x30-utf8", view_zoom_label(z));
		golden(name, g);

		/* The spike stands 5/6 of the pause chart's scale (60ms) high,
		 * at every zoom, and is the window's max. */
		int y = find_row(g, "PAUSE");
		assert_true(y >= 0);
		char *top = row_of(g, y + 1), *second = row_of(g, y + 2), *max = row_of(g, y + 4);
		assert_non_null(strstr(top, "60ms"));
		assert_non_null(strstr(second, "█"));
		assert_non_null(strstr(max, "max          50ms"));
		free(top);
		free(second);
		free(max);
		/* The axis: the zoom, its ticks, now and the wall clock. */
		char *axis = row_of(g, find_row(g, "OUTPUT") - 1);
		assert_true(strncmp(axis, view_zoom_label(z), strlen(view_zoom_label(z))) == 0);
		assert_non_null(strstr(axis, "now 00:00:02 UTC"));
		for (int k = 0; k < 2; k++)
			if (!strstr(axis, ticks[z][k]))
				fail_msg("zoom %s: no tick %s in '%s'", view_zoom_label(z),
				         ticks[z][k], axis);
		free(axis);
		grid_free(g);
	}
	model_free(m);
}

/* The gaps are empty columns with collections on either side; the
 * restart's column is marked. */
static void test_gaps_and_restart(void **state)
{
	(void)state;
	struct model *m = day(true);
	uint64_t now = START_MS + (uint64_t)DAY_MS + 2000;
	const struct feed *fd = m->feeds[0];
	struct chartwin *w = malloc(sizeof *w);

	assert_non_null(w);
	for (unsigned z = 1; z < VIEW_ZOOMS; z++) {
		int64_t span = view_zoom_ms(z);
		int n = chartwin_time_cols(fd, span, 68);
		int64_t gaps[2][2] = { { GAP1_T, 60000 }, { GAP2_T, 20 * 60000 } };

		chartwin_plan_time(w, fd, span, n, now);
		for (int i = 0; i < 2; i++) {
			int64_t from = gaps[i][0], len = gaps[i][1];
			int a = chartwin_time_col(w, from - 10000), b = chartwin_time_col(w, from + len);
			if (a < 0)
				continue; /* not in this window */
			/* A column wholly inside the gap is empty. */
			int inside = 0;
			for (int c = a + 1; c < b; c++) {
				int64_t per = span / w->ncols;
				int cs = chartwin_time_col(w, from + len / 2);
				if (len >= 3 * per && c == cs) {
					assert_int_equal(w->agg[c].count, 0);
					inside++;
				}
			}
			assert_true(w->agg[a].count > 0);
			assert_true(w->agg[b].count > 0);
			if (len >= 3 * (span / w->ncols))
				assert_int_equal(inside, 1);
		}
		int rc = chartwin_time_col(w, RESTART_T);
		if (z == 1) {
			assert_int_equal(rc, -1); /* seven minutes ago: out of view */
			continue;
		}
		assert_true(w->col[rc].restart);
		for (int c = 0; c < w->ncols; c++)
			if (c != rc)
				assert_false(w->col[c].restart);
		/* The spike's maximum is exact at every zoom. */
		assert_int_equal(w->pause_max, 50010);
	}
	free(w);
	model_free(m);
}

/* Read at once: the trace's own timeline, its clock at the right; the
 * heap rises and falls over the day. */
static void test_read_at_once(void **state)
{
	(void)state;
	struct model *m = day(false);
	struct view_opts o = opts(5, true);
	struct grid *g = grid_new(80, 24);

	assert_non_null(g);
	/* A minute later: nothing moves, it is not live. */
	view_render(g, m, &o, 60000);
	golden("time-24h-file-80x24-ascii", g);
	char *axis = row_of(g, find_row(g, "OUTPUT") - 1);
	assert_non_null(strstr(axis, "trace @420.5s"));
	free(axis);
	o.per_gc = true;
	view_render(g, m, &o, 60000);
	assert_true(find_row(g, "GC CPU") < 0);
	grid_free(g);
	model_free(m);
}

/* A file read at once whose lines carry kubectl --timestamps (RFC 3339):
 * the axis shows the file's own wall clock, round times as ticks and its
 * date at the right (not today's), not the second it was read in.  Ten
 * minutes of collections from 2025-12-01 14:00:03 UTC, a collection every
 * 5 s, then a restart two minutes after the first run's last record, whose
 * stamps place it on the axis. */
struct fill {
	struct model *m;
};

static void fill_record(void *ctx, const struct gc_record *r)
{
	struct fill *f = ctx;

	model_add_record(f->m, f->m->feeds[0], r, 5);
	f->m->counts.records++;
}

static void test_prefixed_file(void **state)
{
	(void)state;
	struct model *m = model_new(0, FEED_RECORDS, true);
	struct fill fl = { m };
	struct gctrace_sink sink = { .record = fill_record };
	struct gctrace *p = gctrace_new(&sink, &fl);
	struct grid *g = grid_new(100, 30);
	int64_t wall0 = 1764597603LL; /* 2025-12-01 14:00:03 UTC */
	char buf[512];

	assert_non_null(m);
	assert_non_null(p);
	assert_non_null(g);
	assert_non_null(model_feed(m, ""));
	snprintf(m->name, sizeof m->name, "api.log");
	m->input = MODEL_EOF;
	m->start_ms = START_MS;
	/* Read a day later: 2025-12-02. */
	m->wall_offset_ms = (wall0 + 86400) * 1000 - (int64_t)START_MS;
	for (int run = 0; run < 2; run++) {
		int64_t first = run ? 600 + 120 : 0, n = run ? 24 : 120;
		for (int64_t i = 0; i < n; i++) {
			int64_t at_ms = 3000 + i * 5000, wall = wall0 + first + i * 5;
			time_t tt = (time_t)wall;
			struct tm tm;
			char stamp[64];
			gmtime_r(&tt, &tm);
			strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%S", &tm);
			snprintf(buf, sizeof buf,
			         "%s.%03dZ gc %lld @%lld.%03llds 2%%: 0.020+1.5+0.010 ms clock, "
			         "0.16+0.40/2.8/6.0+0.08 ms cpu, %lld->%lld->%lld MB, %lld MB goal, "
			         "0 MB stacks, 0 MB globals, 8 P\n",
			         stamp, (int)(i * 37 % 1000), (long long)(i + 1),
			         (long long)(at_ms / 1000), (long long)(at_ms % 1000),
			         (long long)(40 + i % 20), (long long)(42 + i % 20),
			         (long long)(20 + i % 20), (long long)(80 + 2 * (i % 20)));
			gctrace_feed(p, buf, strlen(buf));
		}
	}
	gctrace_finish(p);
	gctrace_free(p);
	assert_true(m->feeds[0]->hist.walled);

	struct view_opts o = opts(2, false); /* 15m */
	/* Read at once, its 14 minutes: the 15m zoom by itself. */
	o.zoom_auto = true;
	o.zoom = VIEW_ZOOM_DEFAULT;
	assert_int_equal(view_zoom_shown(m, &o), 2);
	view_render(g, m, &o, START_MS + 3600000);
	golden("time-prefix-15m-100x30-utf8", g);
	char *axis = row_of(g, find_row(g, "OUTPUT") - 1);
	/* The last record: 14:12:03 + 23 x 5 s = 14:13:58. */
	assert_non_null(strstr(axis, "now 2025-12-01 14:13:58"));
	assert_non_null(strstr(axis, "14:05"));
	assert_non_null(strstr(axis, "14:10"));
	assert_null(strstr(axis, "-5m"));
	free(axis);
	/* The two minutes between the runs are empty columns. */
	struct chartwin *w = malloc(sizeof *w);
	assert_non_null(w);
	chartwin_plan_time(w, m->feeds[0], view_zoom_ms(2), 90, START_MS + 3600000);
	int a = chartwin_time_col(w, w->right_t - 150000), b = chartwin_time_col(w, w->right_t - 200000);
	assert_true(a > 0 && b > 0);
	for (int c = b; c <= a; c++)
		assert_int_equal(w->agg[c].count, 0);
	free(w);
	grid_free(g);
	model_free(m);
}

/* Auto zoom: a day read at once opens at 24h, 30 s read at once at 1m;
 * live, the default 5m stays; without zoom_auto (--zoom, a key), the
 * zoom asked for. */
static void test_auto_zoom(void **state)
{
	(void)state;
	struct model *at_once = day(false), *live = day(true);
	struct view_opts o = opts(VIEW_ZOOM_DEFAULT, false);
	struct grid *g = grid_new(100, 30);

	assert_non_null(g);
	o.zoom_auto = true;
	assert_int_equal(view_zoom_shown(at_once, &o), VIEW_ZOOMS - 1);
	assert_int_equal(view_zoom_shown(live, &o), VIEW_ZOOM_DEFAULT);
	view_render(g, at_once, &o, 60000);
	char *axis = row_of(g, find_row(g, "OUTPUT") - 1);
	assert_true(strncmp(axis, "24h", 3) == 0);
	free(axis);
	o.zoom_auto = false;
	assert_int_equal(view_zoom_shown(at_once, &o), VIEW_ZOOM_DEFAULT);
	model_free(at_once);
	model_free(live);

	struct model *m = model_new(0, FEED_RECORDS, true);
	struct gc_record r;
	assert_non_null(m);
	assert_non_null(model_feed(m, ""));
	assert_true(gctrace_parse_line(line, strlen(line), &r));
	for (int i = 0; i < 30; i++) {
		r.gc = (uint64_t)i + 1;
		r.at_ms = 1000 * i;
		model_add_record(m, m->feeds[0], &r, 5);
	}
	o.zoom_auto = true;
	assert_int_equal(view_zoom_shown(m, &o), 0);
	/* The same arriving at its own pace: live. */
	model_free(m);
	m = model_new(0, FEED_RECORDS, true);
	assert_non_null(m);
	assert_non_null(model_feed(m, ""));
	for (int i = 0; i < 30; i++) {
		r.gc = (uint64_t)i + 1;
		r.at_ms = 1000 * i;
		model_add_record(m, m->feeds[0], &r, START_MS + 1000 * (uint64_t)i);
	}
	assert_int_equal(view_zoom_shown(m, &o), VIEW_ZOOM_DEFAULT);
	model_free(m);
	grid_free(g);
}

/* Nothing yet, no feed at all, and a feed without collections: the time
 * axis draws without a fault and says there is nothing yet. */
static void test_empty(void **state)
{
	(void)state;
	struct model *m = model_new(0, FEED_RECORDS, true);
	struct view_opts o = opts(1, false);
	struct grid *g = grid_new(80, 24);
	char *t;

	assert_non_null(m);
	assert_non_null(g);
	view_render(g, m, &o, START_MS);
	t = text_of(g);
	assert_non_null(strstr(t, "waiting for the first collection"));
	free(t);
	assert_non_null(model_feed(m, ""));
	view_render(g, m, &o, START_MS);
	t = text_of(g);
	assert_non_null(strstr(t, "waiting for the first collection"));
	free(t);
	grid_free(g);
	model_free(m);
}

int main(void)
{
	setenv("TZ", "UTC", 1);
	tzset();
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_zooms),
		cmocka_unit_test(test_gaps_and_restart),
		cmocka_unit_test(test_read_at_once),
		cmocka_unit_test(test_prefixed_file),
		cmocka_unit_test(test_auto_zoom),
		cmocka_unit_test(test_empty),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
