/*
 * history_bench - the time axis's memory and frame cost (make bench).
 *
 *   build/tools/history_bench [FEEDS]     (default 1024)
 *
 * Fills FEEDS feeds through the model (model_add_record, as the engine
 * does) with a day of collections each: one a minute for the first 23
 * hours, then one a second for the last 65 minutes, so that every bucket
 * of every tier holds a collection (the most memory a history takes).
 * Prints the history's bytes of a wide and of a fleet feed, the process's
 * RSS before and after, then renders the dashboard of feed 0 from a
 * snapshot (model_copy, as the UI does) at 200x60 for each zoom and, as
 * the baseline in the same run, on the per-collection axis (t), and
 * prints the mean frame time of each and its ratio to the baseline.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "model/model.h"
#include "trace/gctrace.h"
#include "ui/grid.h"
#include "ui/view.h"

static const char line[] =
	"gc 2 @0.367s 18%: 0.037+111+0.002 ms clock, 0.29+0/223/658+0.018 ms cpu, "
	"1525->1525->1525 MB, 3052 MB goal, 0 MB stacks, 0 MB globals, 8 P";

static long rss_kb(void)
{
	FILE *f = fopen("/proc/self/status", "r");
	char buf[256];
	long kb = -1;

	if (!f)
		return -1;
	while (fgets(buf, sizeof buf, f))
		if (sscanf(buf, "VmRSS: %ld kB", &kb) == 1)
			break;
	fclose(f);
	return kb;
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Mean milliseconds of a frame (copy + render), over enough frames to
 * take half a second at least. */
static double frame_ms(struct model *snap, const struct model *live, struct grid *g,
                       const struct view_opts *o, uint64_t now)
{
	int n = 0;
	double t0 = now_s(), t;

	do {
		model_copy(snap, live, 0);
		view_render(g, snap, o, now);
		n++;
		t = now_s();
	} while (t - t0 < 0.5 || n < 5);
	return (t - t0) * 1000 / n;
}

int main(int argc, char **argv)
{
	unsigned feeds = argc > 1 ? (unsigned)atoi(argv[1]) : 1024;
	struct model *m = model_new(feeds, 0, true), *snap = model_new(feeds, 0, true);
	struct gc_record base;
	const int64_t day = 24LL * 3600 * 1000, fine = 65LL * 60 * 1000;
	long rss0 = rss_kb();
	double t0 = now_s();
	uint64_t n = 0;

	if (!m || !snap || !gctrace_parse_line(line, strlen(line), &base))
		return 1;
	for (unsigned i = 0; i < feeds; i++) {
		char name[32];
		snprintf(name, sizeof name, "api-%u", i);
		struct feed *f = model_feed(m, name);
		uint64_t gc = 1;
		if (!f)
			return 1;
		for (int64_t t = 0; t <= day; t += t < day - fine ? 60000 : 1000) {
			struct gc_record r = base;
			r.gc = gc++;
			r.at_ms = t;
			r.heap_live_mb = 100 + (t / 60000) % 900;
			model_add_record(m, f, &r, 1000 + (uint64_t)t);
			n++;
		}
	}
	double fill = now_s() - t0;
	long rss1 = rss_kb();
	size_t wide = history_bytes(&m->feeds[0]->hist);
	size_t fleet = feeds > MODEL_WIDE_FEEDS ? history_bytes(&m->feeds[feeds - 1]->hist) : 0;
	printf("history_bench: %u feeds, %llu collections (a day each) in %.1f s\n", feeds,
	       (unsigned long long)n, fill);
	printf("  history per feed, full: wide %zu bytes (max %zu), fleet %zu bytes (max %zu)\n",
	       wide, (size_t)HIST_WIDE_BYTES, fleet, (size_t)HIST_FLEET_BYTES);
	printf("  model RSS: %ld kB empty, %ld kB with %u full feeds (%.1f KB a feed, "
	       "rings and stats included)\n", rss0, rss1, feeds,
	       (double)(rss1 - rss0) / feeds);

	struct grid *g = grid_new(200, 60);
	struct view_opts o = { .show_output = true, .window = 60, .feed = 0,
	                       .assist_warn = 0.25 };
	uint64_t now = 1000 + (uint64_t)day + 500;
	if (!g)
		return 1;
	o.per_gc = true;
	double base_ms = frame_ms(snap, m, g, &o, now);
	printf("  frame (copy + render of feed 0, 200x60), per collection (baseline): %.3f ms\n",
	       base_ms);
	o.per_gc = false;
	for (unsigned z = 0; z < VIEW_ZOOMS; z++) {
		o.zoom = z;
		double ms = frame_ms(snap, m, g, &o, now);
		printf("  frame at %-3s  %.3f ms  (%.2fx the baseline)\n", view_zoom_label(z), ms,
		       ms / base_ms);
	}
	printf("  RSS with the snapshot: %ld kB\n", rss_kb());
	grid_free(g);
	model_free(snap);
	model_free(m);
	return 0;
}
