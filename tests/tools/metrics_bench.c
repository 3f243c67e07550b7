/*
 * metrics_bench - the metrics endpoint with N sources, for bench/metrics.sh.
 *
 *   metrics_bench N [UPDATE_MS]
 *
 * Makes N named sources (N = 1: the unnamed feed), serves them on
 * 127.0.0.1 at an ephemeral port that it prints on stdout ("PORT p"),
 * and, as ingest would, gives every source a collection and publishes a
 * snapshot every UPDATE_MS (default 250; 0: never again).  Runs until its
 * standard input closes.
 */
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "outputs/metrics.h"
#include "outputs/promhttp.h"

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static void feed(struct metrics *m, int n, uint64_t gc)
{
	struct gc_record r;
	char name[64];

	gcrecord_clear(&r);
	r.gc = gc;
	r.at_ms = (int64_t)gc * 100;
	r.procs = 8;
	r.clock_sweep_term_us = 20 + (int64_t)(gc % 50);
	r.clock_mark_us = 2900;
	r.clock_mark_term_us = 40;
	r.cpu_sweep_term_us = 100;
	r.cpu_assist_us = 230;
	r.cpu_background_us = 5400;
	r.cpu_idle_us = 12000;
	r.cpu_mark_term_us = 400;
	r.heap_start_mb = 160;
	r.heap_end_mb = 170;
	r.heap_live_mb = 80;
	r.heap_goal_mb = 170;
	r.stacks_mb = 1;
	r.globals_mb = 0;
	for (int i = 0; i < n; i++) {
		snprintf(name, sizeof name, "node%04d: api[%d]", i, 1000 + i);
		metrics_record(m, n == 1 ? NULL : name, &r, now_ms());
		metrics_lines(m, n == 1 ? NULL : name, gc, gc / 10, gc * 3, 0, now_ms());
	}
}

int main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 1;
	int update_ms = argc > 2 ? atoi(argv[2]) : 250;
	char err[256];
	uint64_t gc = 1;

	if (n < 1 || n > METRICS_SOURCES_MAX) {
		fprintf(stderr, "usage: metrics_bench N [UPDATE_MS] (N from 1 to %d)\n",
		        METRICS_SOURCES_MAX);
		return 2;
	}
	struct metrics *m = metrics_new(0, 0);
	feed(m, n, gc++);
	metrics_publish(m, now_ms(), true);
	struct promhttp *h = promhttp_start("127.0.0.1:0", m, err, sizeof err);
	if (!h) {
		fprintf(stderr, "metrics_bench: %s\n", err);
		return 1;
	}
	printf("PORT %d\n", promhttp_port(h));
	fflush(stdout);
	for (;;) {
		struct pollfd p = {.fd = 0, .events = POLLIN};
		int rc = poll(&p, 1, update_ms > 0 ? update_ms : -1);
		if (rc != 0) {
			char c;
			if (read(0, &c, 1) <= 0)
				break;
			continue;
		}
		feed(m, n, gc++);
		metrics_publish(m, now_ms(), false);
	}
	promhttp_stop(h);
	metrics_free(m);
	return 0;
}
