#include "app/run.h"

#include <errno.h>
#include <langinfo.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <errno.h>
#include <unistd.h>

#include "app/engine.h"
#include "model/model.h"
#include "outputs/metrics.h"
#include "outputs/promhttp.h"
#include "outputs/recsink.h"
#include "outputs/sumjson.h"
#include "text/clock.h"
#include "text/wrap.h"
#include "ui/sanitize.h"
#include "ui/tui.h"

/* The feeds the summary and the gates speak of: those with collections,
 * or the input's own feed when none has any. */
static unsigned summary_feeds(const struct model *m, const struct feed **out)
{
	unsigned n = 0;

	for (unsigned i = 0; i < m->nfeeds; i++)
		if (m->feeds[i]->stats.count > 0)
			out[n++] = m->feeds[i];
	if (n == 0 && m->nfeeds)
		out[n++] = m->feeds[0];
	return n;
}

/* A feed's figures, then its analysis (when it has one). */
/* Pool a feed into all: a process known to have exited (demux.h: a tool
 * the go command printed) adds no heap to the pooled "last". */
static void merge_feed(struct stats *all, const struct feed *f)
{
	struct stats s = f->stats;

	if (f->ended)
		s.live_last = GC_NULL;
	stats_merge(all, &s);
}

static void print_feed(struct engine *e, const struct feed *f, FILE *out)
{
	const struct analysis *a = engine_analysis(e, f);

	stats_print(&f->stats, out);
	if (a)
		analysis_print(a, &f->stats, out, wrap_width_of(out));
}

static void print_feeds(struct engine *e, FILE *out)
{
	const struct model *m = engine_model(e);
	const struct feed **fs = calloc(m->nfeeds + 1, sizeof *fs);
	unsigned n = fs ? summary_feeds(m, fs) : 0;
	struct stats all;

	if (n <= 1) {
		/* One feed of several inputs: named all the same. */
		if (n && fs[0]->name[0]) {
			char line[FEED_NAME_MAX + 32], safe[4 * sizeof line];
			snprintf(line, sizeof line, "feed         %s\n", fs[0]->name);
			fputs(sanitize_for_fd(fileno(out), line, safe, sizeof safe), out);
		}
		if (n)
			print_feed(e, fs[0], out);
		free(fs);
		return;
	}
	stats_init(&all);
	for (unsigned i = 0; i < n; i++) {
		/* A feed's name comes from the input's log prefixes. */
		char line[FEED_NAME_MAX + 32], safe[4 * sizeof line];
		snprintf(line, sizeof line, "feed         %s\n",
		         fs[i]->name[0] ? fs[i]->name : "(unprefixed lines)");
		fputs(sanitize_for_fd(fileno(out), line, safe, sizeof safe), out);
		print_feed(e, fs[i], out);
		merge_feed(&all, fs[i]);
	}
	fprintf(out, "feed         all: %u feeds pooled", n);
	if (m->feeds_refused)
		fprintf(out, " (%llu records of further feeds refused: --max-feeds)",
		        (unsigned long long)m->feeds_refused);
	fputc('\n', out);
	stats_print(&all, out);
	free(fs);
}

/* One line of ours on stderr, sanitised when stderr is a terminal (it
 * may name a path or a command). */
static void say_line(const char *line)
{
	char safe[4096];

	fputs(sanitize_for_fd(STDERR_FILENO, line, safe, sizeof safe), stderr);
}

/* What each record output lost, and why: a line each that lost anything. */
static void print_losses(struct engine *e, const char *label)
{
	const struct recsinks *outs = engine_outputs(e);
	char line[2048];

	for (size_t i = 0; i < recsinks_count(outs); i++) {
		struct recsink_report rp;
		recsinks_report(outs, i, &rp);
		if (!rp.lost && !rp.err)
			continue;
		char why[256];
		snprintf(why, sizeof why, "%s%s%s",
		         rp.overflowed ? "the reader did not keep up" : "",
		         rp.overflowed && rp.err ? "; " : "",
		         rp.err == ETIMEDOUT ? "it stalled at the end"
		         : rp.err == ENXIO ? "no reader opened it"
		         : rp.err == EPIPE ? "the reader went away"
		         : rp.err ? strerror(rp.err) : "");
		snprintf(line, sizeof line, "%s%s %s: %llu of %llu %s lost (%s)\n", label,
		         rp.option, rp.path, (unsigned long long)rp.lost,
		         (unsigned long long)rp.given, rp.unit, why);
		say_line(line);
	}
}

static void print_summary(struct engine *e)
{
	const struct engine_result *r = engine_result(e);
	struct gctrace_counts c;

	engine_counts(e, &c);
	if (engine_stderr_mid_line(e))
		fputc('\n', stderr);
	engine_say(stderr, engine_name(e));
	print_feeds(e, stderr);
	fprintf(stderr, "input        %llu lines, %llu other runtime lines",
	        (unsigned long long)c.lines, (unsigned long long)c.runtime_lines);
	if (c.torn_recovered || c.torn_dropped)
		fprintf(stderr, "; torn records %llu put back, %llu dropped",
		        (unsigned long long)c.torn_recovered,
		        (unsigned long long)c.torn_dropped);
	fputc('\n', stderr);
	print_losses(e, "output       ");
	if (engine_inputs(e) > 1) {
		/* Each command's own end, named. */
		for (unsigned i = 0; i < engine_inputs(e); i++) {
			struct engine_input_result ir;
			char line[1024];
			engine_input_result(e, i, &ir);
			if (!ir.spawned)
				continue;
			if (!ir.exited)
				snprintf(line, sizeof line, "exit         %s: unknown\n", ir.name);
			else if (ir.term_signal > 0)
				snprintf(line, sizeof line, "exit         %s: killed by signal %d (SIG%s), status %d\n",
				         ir.name, ir.term_signal,
				         sigabbrev_np(ir.term_signal) ? sigabbrev_np(ir.term_signal) : "?",
				         ir.status);
			else
				snprintf(line, sizeof line, "exit         %s: %d\n", ir.name, ir.status);
			say_line(line);
		}
	} else if (r->spawned) {
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
		engine_say(stderr, r->error);
}

/* The --fail-if conditions against the run's summary: those that hold are
 * said on stderr; the status becomes GATE_EXIT when it was 0. */
static int apply_gates(const struct options *o, struct engine *e, int status)
{
	const struct model *m = engine_model(e);
	const struct feed **fs = calloc(m->nfeeds + 1, sizeof *fs);
	unsigned n = fs ? summary_feeds(m, fs) : 0;
	int held = 0;

	/* A condition holds when it holds for any feed; the message names
	 * the feed when there are several. */
	for (int i = 0; i < o->ngates; i++) {
		/* What the run lost belongs to the input, not to a feed. */
		bool input_wide = strncmp(o->gates[i].metric, "lost", 4) == 0;
		for (unsigned k = 0; k < (input_wide ? 1 : n); k++) {
			double v;
			bool has;
			const struct stats *st = input_wide ? engine_stats(e) : &fs[k]->stats;
			const struct analysis *an = input_wide ? NULL : engine_analysis(e, fs[k]);
			if (!gate_holds(&o->gates[i], st, an, &v, &has))
				continue;
			char msg[512 + FEED_NAME_MAX];
			snprintf(msg, sizeof msg, "--fail-if '%s' holds: %s is %g%s%s%s",
			         o->gates[i].text, o->gates[i].metric, v,
			         gate_unit(&o->gates[i]),
			         !input_wide && (n > 1 || fs[k]->name[0]) ? " in feed " : "",
			         !input_wide && (n > 1 || fs[k]->name[0]) ? fs[k]->name : "");
			engine_say(stderr, msg);
			held = 1;
		}
	}
	free(fs);
	return held && status == 0 ? GATE_EXIT : status;
}

/* What the analysis cannot read from the trace: for a command, the GOGC
 * and GOMEMLIMIT it inherits from our environment. */
static void analysis_opts_from(const struct options *o, struct analysis_opts *ao)
{
	*ao = (struct analysis_opts){ .gogc = -2, .whatif_limit_mb = o->whatif_limit_mb };
	if (!o->command)
		return;
	ao->gogc = analysis_parse_gogc(getenv("GOGC"));
	ao->gogc_from = getenv("GOGC") && *getenv("GOGC") ? "environment"
	                                                 : "the default";
	if (!analysis_parse_size(getenv("GOMEMLIMIT"), 1.0 / 1048576, &ao->limit_mb))
		ao->limit_mb = 0;
}

/* {"feeds":[...],"all":...}: a block per feed of the summary, then the
 * feeds pooled (their analysis too when there is one feed; a fleet has
 * no one timeline, so "all" has none of its own). */
static void write_feeds_json(FILE *f, struct engine *e)
{
	const struct model *m = engine_model(e);
	const struct feed **fs = calloc(m->nfeeds + 1, sizeof *fs);
	unsigned n = fs ? summary_feeds(m, fs) : 0;
	struct stats all;

	stats_init(&all);
	fputs("{\"feeds\":[", f);
	for (unsigned i = 0; i < n; i++) {
		if (i)
			fputc(',', f);
		sumjson_block(f, n > 1 || fs[i]->name[0] ? fs[i]->name : NULL, &fs[i]->stats,
		              engine_analysis(e, fs[i]), fs[i]);
		merge_feed(&all, fs[i]);
	}
	fputs("],\"all\":", f);
	sumjson_block(f, "all", &all, n == 1 ? engine_analysis(e, fs[0]) : NULL,
	              n == 1 ? fs[0] : NULL);
	fputs("}\n", f);
	free(fs);
}

/* --summary-json FILE|-: the summary as one JSON object.  Returns 0, or 1
 * with a message when FILE cannot be written. */
static int write_summary_json(const char *path, struct engine *e)
{
	FILE *f = strcmp(path, "-") == 0 ? stdout : fopen(path, "w");
	int rc = 0;

	if (!f) {
		fprintf(stderr, "gcwatch: --summary-json: cannot write %s: %s\n", path,
		        strerror(errno));
		return 1;
	}
	write_feeds_json(f, e);
	if (fflush(f) != 0 || ferror(f))
		rc = 1;
	if (f != stdout && fclose(f) != 0)
		rc = 1;
	if (rc)
		fprintf(stderr, "gcwatch: --summary-json: writing %s failed\n", path);
	return rc;
}

static void engine_opts_from(const struct options *o, bool dashboard,
                             struct engine_opts *eo, struct engine_input *inputs)
{
	for (int i = 0; i < o->ninputs; i++)
		inputs[i] = (struct engine_input){o->inputs[i].path, o->inputs[i].shell,
		                                  o->inputs[i].name};
	*eo = (struct engine_opts){
		.command = o->command,
		.inputs = inputs,
		.ninputs = (unsigned)o->ninputs,
		.follow = o->follow || dashboard,
		.replay = o->replay,
		.record = o->record,
		.gctrace = o->gctrace,
		.json_path = o->json_path,
		.csv_path = o->csv_path,
		.passthrough = !dashboard,
		.records_cap = dashboard ? MODEL_RECORDS : 16,
		.dashboard = dashboard,
		.max_feeds = o->max_feeds,
	};
	eo->stdout_taken = o->summary_json && strcmp(o->summary_json, "-") == 0;
	analysis_opts_from(o, &eo->analysis);
}

static int dashboard_loop(const struct options *o, struct engine *e)
{
	const char *codeset = nl_langinfo(CODESET);
	struct tui_opts to = {
		.ascii = o->ascii || !codeset || strcmp(codeset, "UTF-8") != 0,
		.color = !o->no_color && !(getenv("NO_COLOR") && *getenv("NO_COLOR")),
		.interval_ms = o->interval_ms,
		.assist_warn = o->assist_warn,
		.zoom = o->zoom,
		.max_frames = o->max_frames,
		.feed_retention_ms = o->feed_retention_ms,
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
	struct engine_input inputs[CLI_INPUTS_MAX];
	struct metrics *m = NULL;
	struct promhttp *h = NULL;
	int status;

	engine_opts_from(o, dashboard, &eo, inputs);
	if (o->listen) {
		/* Listening first: a taken port fails before the program starts. */
		char err[256];
		/* The fleet's bounds: as many sources as feeds, kept as long. */
		if (!(m = metrics_new(o->max_feeds, o->feed_retention_ms))) {
			fputs("gcwatch: out of memory\n", stderr);
			return 1;
		}
		/* A first (empty) snapshot before the port opens: a scrape is
		 * never answered 503 while the engine starts. */
		metrics_publish(m, clock_now_ms(), true);
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
	status = dashboard ? dashboard_loop(o, e) : engine_run(e);
	/* An output that failed or fell behind does not change the status (a
	 * CI job that needs it complete adds --fail-if 'lost > 0'); -q keeps
	 * the summary but not what was lost, nor a read error. */
	if (o->summary != 0) {
		print_summary(e);
	} else {
		print_losses(e, "gcwatch: ");
		if (engine_result(e)->error[0])
			engine_say(stderr, engine_result(e)->error);
	}
	if (o->summary_json && write_summary_json(o->summary_json, e) && status == 0)
		status = 1;
	status = apply_gates(o, e, status);
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
