#include "app/run.h"

#include <langinfo.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/engine.h"
#include "model/model.h"
#include "outputs/metrics.h"
#include "outputs/promhttp.h"
#include "text/clock.h"
#include "ui/tui.h"

static void print_summary(struct engine *e)
{
	const struct engine_result *r = engine_result(e);
	struct gctrace_counts c;

	engine_counts(e, &c);
	if (engine_stderr_mid_line(e))
		fputc('\n', stderr);
	fprintf(stderr, "gcwatch: %s\n", engine_name(e));
	stats_print(engine_stats(e), stderr);
	fprintf(stderr, "input        %llu lines, %llu other runtime lines",
	        (unsigned long long)c.lines, (unsigned long long)c.runtime_lines);
	if (c.torn_recovered || c.torn_dropped)
		fprintf(stderr, "; torn records %llu put back, %llu dropped",
		        (unsigned long long)c.torn_recovered,
		        (unsigned long long)c.torn_dropped);
	fputc('\n', stderr);
	if (r->json_dropped || r->csv_dropped)
		fprintf(stderr, "output       %llu bytes of records dropped: the reader "
		        "did not keep up\n",
		        (unsigned long long)(r->json_dropped + r->csv_dropped));
	if (r->spawned) {
		if (!r->exited)
			fputs("exit         unknown\n", stderr);
		else if (r->term_signal > 0)
			fprintf(stderr, "exit         killed by signal %d (SIG%s), status %d\n",
			        r->term_signal, sigabbrev_np(r->term_signal) ? sigabbrev_np(r->term_signal) : "?",
			        r->status);
		else
			fprintf(stderr, "exit         %d\n", r->status);
	}
	if (r->error[0])
		fprintf(stderr, "gcwatch: %s\n", r->error);
}

/* The --fail-if conditions against the run's summary: those that hold are
 * said on stderr; the status becomes GATE_EXIT when it was 0. */
static int apply_gates(const struct options *o, struct engine *e, int status)
{
	int held = 0;

	for (int i = 0; i < o->ngates; i++) {
		double v;
		bool has;
		if (gate_holds(&o->gates[i], engine_stats(e), &v, &has)) {
			fprintf(stderr, "gcwatch: --fail-if '%s' holds: %s is %g%s\n",
			        o->gates[i].text, o->gates[i].metric, v,
			        gate_unit(&o->gates[i]));
			held = 1;
		}
	}
	return held && status == 0 ? GATE_EXIT : status;
}

static void engine_opts_from(const struct options *o, bool dashboard,
                             struct engine_opts *eo)
{
	*eo = (struct engine_opts){
		.command = o->command,
		.path = o->path,
		.follow = o->follow || dashboard,
		.replay = o->replay,
		.record = o->record,
		.gctrace = o->gctrace,
		.json_path = o->json_path,
		.csv_path = o->csv_path,
		.passthrough = !dashboard,
		.ring_cap = dashboard ? MODEL_RECORDS : 1024,
		.dashboard = dashboard,
	};
}

static int dashboard_loop(const struct options *o, struct engine *e)
{
	const char *codeset = nl_langinfo(CODESET);
	struct tui_opts to = {
		.ascii = o->ascii || !codeset || strcmp(codeset, "UTF-8") != 0,
		.color = !o->no_color && !(getenv("NO_COLOR") && *getenv("NO_COLOR")),
		.interval_ms = o->interval_ms,
		.assist_warn = o->assist_warn,
		.max_frames = o->max_frames,
	};
	int rc = tui_run(e, &to);
	return rc ? rc : engine_result(e)->status;
}

/* --linger: the final values stay up until a scrape has read them, or for
 * at most the time given. */
static void linger(const struct options *o, struct metrics *m, struct promhttp *h)
{
	struct metrics_snap *s = metrics_acquire(m);
	uint64_t v = s ? metrics_snap_version(s) : 0;

	metrics_snap_release(s);
	if (o->linger_s > 0)
		promhttp_wait_served(h, v, (uint64_t)(o->linger_s * 1000));
}

/* The one engine frame: build, run one way or the other, summarise, gate,
 * free. */
static int run_with(const struct options *o, bool dashboard)
{
	struct engine_opts eo;
	struct metrics *m = NULL;
	struct promhttp *h = NULL;
	int status;

	engine_opts_from(o, dashboard, &eo);
	if (o->listen) {
		/* Listening first: a taken port fails before the program starts. */
		char err[256];
		if (!(m = metrics_new(0, 0))) {
			fputs("gcwatch: out of memory\n", stderr);
			return 1;
		}
		if (!(h = promhttp_start(o->listen, m, err, sizeof err))) {
			fprintf(stderr, "gcwatch: %s\n", err);
			metrics_free(m);
			return 1;
		}
		eo.metrics = m;
	}
	/* A reader that goes away must not kill us mid-run: writes fail
	 * with EPIPE and are given up; the program is still watched. */
	signal(SIGPIPE, SIG_IGN);
	struct engine *e = engine_new(&eo, &status);
	if (!e) {
		promhttp_stop(h);
		metrics_free(m);
		return status;
	}
	if (m)
		metrics_publish(m, clock_now_ms(), true);
	status = dashboard ? dashboard_loop(o, e) : engine_run(e);
	if (o->summary != 0)
		print_summary(e);
	status = apply_gates(o, e, status);
	if (!dashboard && engine_result(e)->error[0] && status == 0)
		status = 1;
	if (h)
		linger(o, m, h);
	promhttp_stop(h);
	metrics_free(m);
	engine_free(e);
	return status;
}

int run_batch(const struct options *o)
{
	return run_with(o, false);
}

int run_dashboard(const struct options *o)
{
	return run_with(o, true);
}
