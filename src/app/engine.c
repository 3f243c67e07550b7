#include "app/engine.h"

#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <uv.h>

#include "analysis/analysis.h"
#include "model/demux.h"
#include "model/model.h"
#include "text/clock.h"
#include "outputs/metrics.h"
#include "outputs/outq.h"
#include "outputs/recsink.h"
#include "sources/sigwatch.h"
#include "sources/source.h"
#include "ui/sanitize.h"

/* Queues: the record outputs are recsink's (bounded, losses counted).  The
 * program's own text is never dropped: above TEXT_HIGH queued bytes the
 * source is paused (the program then waits on its pipe, as it would have
 * on our stdout) and resumed below TEXT_LOW; TEXT_CAP leaves room for what
 * arrives meanwhile, so writing never blocks the loop. */
#define TEXT_CAP (8u << 20)
#define TEXT_HIGH (1u << 20)
#define TEXT_LOW (256u << 10)
#define BACKPRESSURE_MS 20
#define TEXTBUF (64u << 10)

/* Input quiet this long: let the parsers give out what they hold. */
#define IDLE_MS 500

/* The same signal from the same sender again within this, with no other
 * between: one signal sent twice (timeout(1) signals gcwatch, then its
 * process group). */
#define SIGNAL_TWICE_MS 100

/* After q: SIGTERM to the program's group, SIGKILL this much later. */
#define QUIT_GRACE_MS 3000

struct engine;

struct stream_ctx {
	struct engine *e;
	unsigned stream;
};

struct engine {
	struct engine_opts o;
	uv_loop_t loop;
	struct src *src;
	int src_closed;
	struct gctrace *parser[2];
	struct stream_ctx sctx[2];
	struct outq *text[2];
	struct recsinks *outs; /* --json, --csv, -r */
	int outs_closed;
	int outs_can_wait;     /* the input is a regular file: pause, not drop */
	/* Each feed's analysis (MMU, findings, what-if), made at its first
	 * record, for the first ENGINE_ANALYSES feeds (about 220 KB each);
	 * the ingest thread alone touches them while the engine runs. */
	struct {
		const struct feed *feed;
		struct analysis *a;
	} analyses[ENGINE_ANALYSES];
	unsigned nanalyses;
	uint64_t analyses_refused; /* records of feeds beyond them */
	uv_timer_t idle, press;
	int idle_on, paused;
	int text_gone[2];      /* our stdout/stderr reader went away */
	/* The program's text for each stream, gathered during one read and
	 * queued in one go: a lock per read, not per line. */
	char *textbuf[2];
	size_t textlen[2];
	char text_last[2];     /* the last byte of text written to each */
	uint64_t last_data_ms;
	struct sigwatch *sig;
	struct engine_result res;
	char name[256];
	struct sigwatch_info last_sig, last_cont; /* the last passed on */
	int is_fifo;           /* the input is a fifo: waiting means no writer */

	/* Shared with the dashboard's thread, under mu: the live model (the
	 * input's state and its feeds). */
	uv_mutex_t mu;
	struct model *live;
	struct demux demux;    /* which feed a record or line goes to */
	enum src_state state;

	/* The dashboard: told when something changed; asks through cmd. */
	engine_notify_cb notify;
	engine_signal_cb sig_cb;
	void *notify_ctx;
	uv_async_t cmd;
	int cmd_on;
	uv_thread_t thread;
	int threaded;
	int want_signal;      /* under mu: a signal to send the program */
	int want_stop;        /* under mu: stop the input */
	int want_quit;        /* under mu: stop the input, the program first */
};

/* The lock matters only when a dashboard's thread reads the model. */
static void lock(struct engine *e)
{
	if (e->o.dashboard)
		uv_mutex_lock(&e->mu);
}

static void unlock(struct engine *e)
{
	if (e->o.dashboard)
		uv_mutex_unlock(&e->mu);
}

static void changed(struct engine *e)
{
	if (e->notify)
		e->notify(e->notify_ctx);
}

/* ---- the model and the outputs ---------------------------------------- */

/* The analysis of feed f, made on its first record; NULL past the cap
 * (or out of memory). */
static struct analysis *analysis_for(struct engine *e, const struct feed *f, bool make)
{
	for (unsigned i = 0; i < e->nanalyses; i++)
		if (e->analyses[i].feed == f)
			return e->analyses[i].a;
	if (!make || e->nanalyses == ENGINE_ANALYSES)
		return NULL;
	struct analysis *a = malloc(sizeof *a);
	if (!a)
		return NULL;
	analysis_init(a, &e->o.analysis);
	e->analyses[e->nanalyses].feed = f;
	e->analyses[e->nanalyses++].a = a;
	return a;
}

static void feed_analyse(struct engine *e, const struct feed *f, const struct gc_record *r)
{
	struct analysis *a = analysis_for(e, f, true);

	if (a)
		analysis_add(a, r);
	else
		e->analyses_refused++;
}

/* A record the demultiplexer placed (demux.h: maybe a little after it
 * came, with its source named), under the lock. */
static void on_placed(void *ctx, struct feed *f, const struct gc_record *r, uint64_t now_ms)
{
	struct engine *e = ctx;

	if (f) {
		model_add_record(e->live, f, r, now_ms);
		feed_analyse(e, f, r);
	}
	e->live->version++;
	/* Past --max-feeds the metrics count it too (the same bound). */
	if (e->o.metrics)
		metrics_record(e->o.metrics, f ? f->name : r->source, r, now_ms);
	recsinks_record(e->outs, r);
}

static void on_record(void *ctx, const struct gc_record *r)
{
	struct engine *e = ((struct stream_ctx *)ctx)->e;

	lock(e);
	demux_record(&e->demux, r, clock_now_ms());
	unlock(e);
	changed(e);
}

/* An output's problem, said at once whatever -q says: on stderr in batch
 * (in line with the program's text there), in the header on the dashboard
 * (curses owns the terminal). */
static void say_output_news(struct engine *e)
{
	char msg[512], line[1024], safe[2048];

	while (recsinks_news(e->outs, msg, sizeof msg)) {
		if (e->o.dashboard) {
			lock(e);
			if (!e->live->alert[0])
				snprintf(e->live->alert, sizeof e->live->alert, "%s", msg);
			e->live->version++;
			unlock(e);
			changed(e);
			continue;
		}
		snprintf(line, sizeof line, "%sgcwatch: %s\n",
		         e->text_last[1] && e->text_last[1] != '\n' ? "\n" : "", msg);
		sanitize_for_fd(STDERR_FILENO, line, safe, sizeof safe);
		if (e->text[1]) {
			outq_write(e->text[1], safe, strlen(safe));
			e->text_last[1] = '\n';
		} else {
			fputs(safe, stderr);
		}
	}
}

static size_t text_pending(struct engine *e)
{
	size_t n = e->text[0] ? outq_pending(e->text[0]) : 0;

	if (e->text[1] && e->text[1] != e->text[0])
		n += outq_pending(e->text[1]);
	/* Reading a regular file (or a replay of one) can wait for the record
	 * outputs as well, nobody is held up by it: nothing is dropped then. */
	if (e->outs_can_wait)
		n += recsinks_pending(e->outs);
	return n;
}

static void on_press(uv_timer_t *t)
{
	struct engine *e = t->data;

	if (e->paused && text_pending(e) < TEXT_LOW && e->src && !e->src_closed) {
		e->paused = 0;
		src_resume(e->src);
		uv_timer_stop(&e->press);
	}
}

static void text_flush(struct engine *e, unsigned stream)
{
	struct outq *q = e->text[stream];
	size_t n = e->textlen[stream];

	e->textlen[stream] = 0;
	if (!n || !q || e->text_gone[stream])
		return;
	outq_write(q, e->textbuf[stream], n);
	e->text_last[q == e->text[1]] = e->textbuf[stream][n - 1];
	if (outq_error(q) == EPIPE) {
		/* Our reader went away (| head): the program learns it on its
		 * own stream, as it would have without us. */
		e->text_gone[stream] = 1;
		if (e->src && !e->src_closed)
			src_close_stream(e->src, stream);
		return;
	}
	if (!e->paused && text_pending(e) > TEXT_HIGH && e->src && !e->src_closed) {
		e->paused = 1;
		src_pause(e->src);
		uv_timer_start(&e->press, on_press, BACKPRESSURE_MS, BACKPRESSURE_MS);
	}
}

static void on_foreign(void *ctx, const char *s, size_t n)
{
	struct stream_ctx *sc = ctx;
	struct engine *e = sc->e;
	unsigned st = sc->stream;

	/* The go command's "# PKG" names the run after it (demux.h). */
	lock(e);
	demux_text(&e->demux, s, n);
	unlock(e);
	if (e->live->keep_lines) {
		uv_mutex_lock(&e->mu);
		feed_add_text(demux_line(&e->demux, s, n), st, s, n, clock_now_ms());
		e->live->version++;
		uv_mutex_unlock(&e->mu);
		changed(e);
	}
	if (!e->text[st] || e->text_gone[st])
		return;
	while (n) {
		if (e->textlen[st] == TEXTBUF)
			text_flush(e, st);
		size_t k = TEXTBUF - e->textlen[st] < n ? TEXTBUF - e->textlen[st] : n;
		memcpy(e->textbuf[st] + e->textlen[st], s, k);
		e->textlen[st] += k;
		s += k;
		n -= k;
	}
}

/* ---- the source ---------------------------------------------------------- */

static void on_data(void *ctx, unsigned stream, const char *buf, size_t len)
{
	struct engine *e = ctx;

	if (stream > 1)
		stream = 1;
	e->last_data_ms = uv_now(&e->loop);
	recsinks_bytes(e->outs, stream, buf, len);
	gctrace_feed(e->parser[stream], buf, len);
	text_flush(e, stream);
	if (e->outs_can_wait && !e->paused && text_pending(e) > TEXT_HIGH && e->src &&
	    !e->src_closed) {
		e->paused = 1;
		src_pause(e->src);
		uv_timer_start(&e->press, on_press, BACKPRESSURE_MS, BACKPRESSURE_MS);
	}
	say_output_news(e);
}

static void on_state(void *ctx, enum src_state state)
{
	struct engine *e = ctx;

	if (e->o.metrics)
		metrics_up(e->o.metrics, NULL, state == SRC_RUNNING || state == SRC_WAITING,
		           clock_now_ms());

	uv_mutex_lock(&e->mu);
	e->state = state;
	if ((state == SRC_EOF || state == SRC_EXITED) && !e->live->end_ms)
		e->live->end_ms = clock_now_ms();
	e->live->version++;
	uv_mutex_unlock(&e->mu);
	changed(e);
}

static void on_src_exit(void *ctx, int64_t status, int term_signal)
{
	struct engine *e = ctx;

	uv_mutex_lock(&e->mu);
	e->res.exited = true;
	e->res.exit_status = status;
	e->res.term_signal = term_signal;
	e->live->version++;
	uv_mutex_unlock(&e->mu);
	changed(e);
}

/* The endpoint's line counts, then a snapshot for its thread when
 * something changed (metrics.h): at most every IDLE_MS / 2. */
static void publish_metrics(struct engine *e, bool force)
{
	struct gctrace_counts c;
	uint64_t now = clock_now_ms();

	if (!e->o.metrics)
		return;
	engine_counts(e, &c);
	metrics_lines(e->o.metrics, NULL, c.records, c.runtime_lines, c.foreign_lines,
	              c.torn_dropped, now);
	metrics_publish(e->o.metrics, now, force);
}

static void on_idle(uv_timer_t *t)
{
	struct engine *e = t->data;

	publish_metrics(e, false);

	if (uv_now(&e->loop) - e->last_data_ms >= IDLE_MS) {
		gctrace_idle(e->parser[0]);
		gctrace_idle(e->parser[1]);
	}
	/* A run held to tell a restart from a new process (demux.h) is
	 * decided in bounded time, quiet input or not. */
	if (demux_held(&e->demux)) {
		lock(e);
		demux_tick(&e->demux, clock_now_ms());
		unlock(e);
		changed(e);
	}
	if (uv_now(&e->loop) - e->last_data_ms >= IDLE_MS) {
		text_flush(e, 0);
		text_flush(e, 1);
	}
	say_output_news(e);
}

/* The engine's own handles (the source closes its own): once the input
 * is done, or when freeing an engine that never ran. */
static void close_loop_handles(struct engine *e)
{
	if (e->cmd_on) {
		uv_close((uv_handle_t *)&e->cmd, NULL);
		e->cmd_on = 0;
	}
	if (e->idle_on) {
		uv_close((uv_handle_t *)&e->idle, NULL);
		uv_close((uv_handle_t *)&e->press, NULL);
		e->idle_on = 0;
	}
	sigwatch_stop(e->sig);
	e->sig = NULL;
}

static void on_src_closed(void *ctx)
{
	struct engine *e = ctx;

	if (e->o.metrics)
		metrics_up(e->o.metrics, NULL, false, clock_now_ms());
	uv_mutex_lock(&e->mu);
	e->src_closed = 1;
	if (!e->live->end_ms)
		e->live->end_ms = clock_now_ms();
	if (e->state != SRC_EXITED)
		e->state = SRC_EOF;
	e->live->version++;
	uv_mutex_unlock(&e->mu);
	changed(e);
	close_loop_handles(e);
}

/* Is our process group orphaned (POSIX: no job-control shell can continue
 * it)?  Asked of our parent, which is that shell when there is one. */
static int group_orphaned(void)
{
	pid_t pp = getppid();

	return getsid(pp) != getsid(0) || getpgid(pp) == getpgrp();
}

/* Every signal gcwatch gets goes on to the program's process group, once:
 * the program is in a session of its own, so nobody else's signal (a
 * terminal's Ctrl-C or hangup, a kill of our group) reaches it, and only a
 * repeat from the same sender at once is the same signal twice. */
static void on_signal(void *ctx, const struct sigwatch_info *si)
{
	struct engine *e = ctx;
	/* A repeat: the sender's signal before this one (SIGCONT aside, which
	 * timeout(1) sends after the others, and which threads may take
	 * first) was the same, just now. */
	struct sigwatch_info *last = si->signum == SIGCONT ? &e->last_cont : &e->last_sig;

	if (si->sender && si->sender == last->sender && si->signum == last->signum &&
	    si->ms - last->ms < SIGNAL_TWICE_MS)
		return;
	*last = *si;
	if (e->sig_cb && si->signum != SIGTSTP && si->signum != SIGCONT)
		e->sig_cb(e->notify_ctx, si->signum, si->from_kernel);
	if (e->o.command) {
		if (!e->src)
			return;
		if (si->signum == SIGTSTP) {
			/* Ctrl-Z: the program's group is orphaned, where SIGTSTP
			 * does not stop; SIGSTOP does.  Then gcwatch stops, for
			 * the shell; its SIGCONT (fg, bg) goes on below.  With
			 * no shell to continue us (our group orphaned too: we
			 * lead the session, as under ssh -t or in a tmux pane),
			 * the kernel would not stop us: neither do we. */
			if (!group_orphaned()) {
				src_kill(e->src, SIGSTOP);
				raise(SIGSTOP);
			}
			return;
		}
		src_kill(e->src, si->signum);
		return;
	}
	/* Watching a file or a pipe: a signal ends the watch; the summary
	 * still comes. */
	if (e->src && !e->src_closed)
		src_stop(e->src);
}

/* Requests from the dashboard's thread. */
static void on_cmd(uv_async_t *a)
{
	struct engine *e = a->data;

	uv_mutex_lock(&e->mu);
	int sig = e->want_signal, stop = e->want_stop, quit = e->want_quit;
	e->want_signal = 0;
	e->want_stop = 0;
	e->want_quit = 0;
	uv_mutex_unlock(&e->mu);
	if (sig && e->src && !e->src_closed)
		src_kill(e->src, sig);
	if (quit && e->src && !e->src_closed)
		src_terminate(e->src);
	if (stop && e->src && !e->src_closed)
		src_stop(e->src);
}

/* ---- set up and tear down ----------------------------------------------- */

static void make_name(struct engine *e)
{
	size_t k = 0;

	if (!e->o.command) {
		snprintf(e->name, sizeof e->name, "%s",
		         e->o.path && strcmp(e->o.path, "-") ? e->o.path : "standard input");
		return;
	}
	for (char **a = e->o.command; *a && k + 2 < sizeof e->name; a++) {
		int n = snprintf(e->name + k, sizeof e->name - k, "%s%s", a == e->o.command ? "" : " ", *a);
		if (n < 0)
			break;
		k += (size_t)n;
	}
}

struct engine *engine_new(const struct engine_opts *o, int *status)
{
	static const struct gctrace_sink psink = {.record = on_record, .foreign = on_foreign};
	static const struct src_sink ssink = {on_data, on_state, on_src_exit, on_src_closed};
	struct engine *e = calloc(1, sizeof *e);
	struct src_error err = {"", 1};
	struct recsink_spec specs[3];
	size_t nspecs = 0;
	char msg[1024];

	*status = 1;
	if (!e) {
		fputs("gcwatch: out of memory\n", stderr);
		return NULL;
	}
	e->o = *o;
	make_name(e);
	uv_mutex_init(&e->mu);
	uv_loop_init(&e->loop);
	e->live = model_new(o->max_feeds, o->records_cap, o->dashboard);
	if (e->live && demux_init(&e->demux, e->live, on_placed, e) == 0) {
		struct timespec ts;
		e->live->start_ms = clock_now_ms();
		/* To name the time axis's times by the wall clock. */
		if (clock_gettime(CLOCK_REALTIME, &ts) == 0)
			e->live->wall_offset_ms = (int64_t)ts.tv_sec * 1000 +
			                          ts.tv_nsec / 1000000 -
			                          (int64_t)e->live->start_ms;
		snprintf(e->live->name, sizeof e->live->name, "%s", e->name);
	}
	for (unsigned i = 0; i < 2; i++) {
		e->sctx[i] = (struct stream_ctx){e, i};
		e->parser[i] = gctrace_new(&psink, &e->sctx[i]);
		e->textbuf[i] = malloc(TEXTBUF);
	}
	if (!e->demux.own || !e->parser[0] || !e->parser[1] || !e->textbuf[0] || !e->textbuf[1]) {
		fputs("gcwatch: out of memory\n", stderr);
		goto fail;
	}
	/* The record outputs, checked against the input and each other
	 * before anything is truncated. */
	if (o->json_path)
		specs[nspecs++] = (struct recsink_spec){RECSINK_JSON, o->json_path};
	if (o->csv_path)
		specs[nspecs++] = (struct recsink_spec){RECSINK_CSV, o->csv_path};
	if (o->record)
		specs[nspecs++] = (struct recsink_spec){RECSINK_RECORDING, o->record};
	e->outs = recsinks_open(specs, nspecs, o->command ? NULL : o->path ? o->path : "-",
	                        o->command != NULL, msg, sizeof msg, status);
	if (!e->outs) {
		engine_say(stderr, msg);
		goto fail;
	}
	if (o->passthrough) {
		/* The program's stdout to ours, its stderr to ours; all of it to
		 * stderr when stdout carries the records. */
		e->text[1] = outq_new(STDERR_FILENO, TEXT_CAP, OUTQ_WAIT, 0);
		e->text[0] = recsinks_use_stdout(e->outs) || o->stdout_taken
		             ? e->text[1] : outq_new(STDOUT_FILENO, TEXT_CAP, OUTQ_WAIT, 0);
	}

	if (o->command) {
		struct src_spawn_opts so = {
			.gctrace = o->gctrace,
			/* The dashboard reads keys from the terminal: the
			 * program must not read them too. */
			.stdin_null = o->dashboard && isatty(STDIN_FILENO),
			.grace_ms = QUIT_GRACE_MS,
		};
		e->res.spawned = true;
		e->src = src_spawn(&e->loop, o->command, &so, &ssink, e, &err);
	} else if (o->replay > 0) {
		e->outs_can_wait = 1;
		e->src = src_replay(&e->loop, o->path ? o->path : "-", o->replay, &ssink, e, &err);
	} else {
		struct stat st;
		const char *path = o->path ? o->path : "-";
		int known = strcmp(path, "-") ? stat(path, &st) == 0 : fstat(STDIN_FILENO, &st) == 0;
		e->is_fifo = known && S_ISFIFO(st.st_mode);
		e->outs_can_wait = known && S_ISREG(st.st_mode);
		e->src = src_open(&e->loop, path, o->follow, &ssink, e, &err);
	}
	if (!e->src) {
		engine_say(stderr, err.msg);
		*status = err.status;
		goto fail;
	}
	/* Ctrl-Z and its SIGCONT too, for a program run in batch (the
	 * dashboard's raw terminal sends no SIGTSTP; ncurses keeps its own). */
	static const int sigs[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGTSTP, SIGCONT};
	e->sig = sigwatch_start(&e->loop, sigs, o->command && !o->dashboard ? 6 : 4,
	                        on_signal, e);
	uv_async_init(&e->loop, &e->cmd, on_cmd);
	e->cmd.data = e;
	e->cmd_on = 1;
	uv_timer_init(&e->loop, &e->idle);
	uv_timer_init(&e->loop, &e->press);
	e->idle.data = e;
	e->press.data = e;
	e->idle_on = 1;
	uv_timer_start(&e->idle, on_idle, IDLE_MS, IDLE_MS / 2);
	/* The timer alone must not keep the loop running. */
	uv_unref((uv_handle_t *)&e->idle);
	*status = 0;
	return e;
fail:
	engine_free(e);
	return NULL;
}

/* Write out and close every output: the record outputs wait a bounded
 * time for their readers; their losses go into the statistics (lost.*). */
static void close_outputs(struct engine *e)
{
	if (e->outs && !e->outs_closed) {
		uint64_t recs, bytes;
		struct gctrace_counts c;
		recsinks_close(e->outs, RECSINKS_CLOSE_MS);
		e->outs_closed = 1;
		recsinks_lost(e->outs, &recs, &bytes);
		engine_counts(e, &c);
		lock(e);
		stats_set_lost(&e->demux.own->stats, recs + c.torn_dropped, bytes);
		if (e->o.dashboard && !e->live->alert[0] && (recs || bytes))
			snprintf(e->live->alert, sizeof e->live->alert, "outputs lost %llu records, %llu bytes",
			         (unsigned long long)recs, (unsigned long long)bytes);
		e->live->version++;
		unlock(e);
	}
	if (e->text[0] != e->text[1])
		outq_close(e->text[0]);
	outq_close(e->text[1]);
	e->text[0] = e->text[1] = NULL;
	/* Text lost to a closed stdout (a pager quit) is not an error. */
}

int engine_run(struct engine *e)
{
	uv_run(&e->loop, UV_RUN_DEFAULT);
	gctrace_finish(e->parser[0]);
	gctrace_finish(e->parser[1]);
	lock(e);
	demux_flush(&e->demux);
	unlock(e);
	changed(e);
	text_flush(e, 0);
	text_flush(e, 1);
	say_output_news(e);

	publish_metrics(e, true);
	close_outputs(e);
	struct engine_result *r = &e->res;
	int rerr = e->src ? src_read_error(e->src) : 0;
	if (rerr && !r->spawned) {
		/* A read error is not the end of the input. */
		snprintf(r->error, sizeof r->error, "cannot read '%s': %s",
		         e->o.path && strcmp(e->o.path, "-") ? e->o.path : "standard input",
		         strerror(rerr));
		r->status = 1;
	}
	if (r->spawned)
		r->status = !r->exited ? 1
		            : r->term_signal > 0 ? 128 + r->term_signal
		            : (int)r->exit_status;
	return r->status;
}

const struct stats *engine_stats(const struct engine *e)
{
	return &e->demux.own->stats;
}

const struct model *engine_model(const struct engine *e)
{
	return e->live;
}

const struct analysis *engine_analysis(const struct engine *e, const struct feed *f)
{
	return analysis_for((struct engine *)e, f, false);
}

const struct engine_result *engine_result(const struct engine *e)
{
	return &e->res;
}

size_t engine_snapshot(struct engine *e, struct model *m, unsigned focus)
{
	struct model *l = e->live;

	uv_mutex_lock(&e->mu);
	l->pid = e->src ? src_pid(e->src) : 0;
	l->spawned = e->res.spawned;
	switch (e->state) {
	case SRC_RUNNING: l->input = MODEL_RUNNING; break;
	case SRC_WAITING: l->input = MODEL_WAITING; break;
	case SRC_EOF: l->input = MODEL_EOF; break;
	case SRC_EXITED: l->input = MODEL_EXITED; break;
	default: l->input = MODEL_STARTING;
	}
	l->waiting_is_writer = e->is_fifo;
	l->exited = e->res.exited;
	l->exit_status = e->res.exit_status;
	l->term_signal = e->res.term_signal;
	engine_counts(e, &l->counts);
	size_t bytes = model_copy(m, l, focus);
	uv_mutex_unlock(&e->mu);
	return bytes;
}

void engine_digest(struct engine *e, unsigned index, struct analysis_digest *d)
{
	/* Under the lock only the MMU figures and a copy; the findings and
	 * the what-if (sorts of the kept collections) are worked out after,
	 * so that ingest does not wait for them. */
	struct analysis *copy = malloc(sizeof *copy);
	struct stats *st = malloc(sizeof *st);
	const struct analysis *a = NULL;

	uv_mutex_lock(&e->mu);
	if (index < e->live->nfeeds) {
		const struct feed *f = e->live->feeds[index];
		a = analysis_for(e, f, false);
		if (a && copy && st) {
			*copy = *a;
			*st = f->stats;
		}
	}
	analysis_digest_mmu(a, d);
	uv_mutex_unlock(&e->mu);
	if (a && copy && st) {
		copy->mmu.ring = NULL; /* not the copy's: never read */
		analysis_digest_rest(copy, st, d);
	} else {
		d->have = false;
	}
	free(copy);
	free(st);
}

struct model *engine_model_new(const struct engine *e)
{
	return model_new(e->live->max_feeds, e->live->records_cap, e->live->keep_lines);
}

static void run_thread(void *arg)
{
	struct engine *e = arg;

	engine_run(e);
	changed(e);
}

int engine_start(struct engine *e, engine_notify_cb notify, engine_signal_cb on_sig,
                 void *ctx)
{
	e->notify = notify;
	e->sig_cb = on_sig;
	e->notify_ctx = ctx;
	if (uv_thread_create(&e->thread, run_thread, e) != 0)
		return -1;
	e->threaded = 1;
	return 0;
}

void engine_join(struct engine *e)
{
	if (e->threaded) {
		uv_thread_join(&e->thread);
		e->threaded = 0;
	}
}

int engine_done(struct engine *e)
{
	uv_mutex_lock(&e->mu);
	int done = e->src_closed;
	uv_mutex_unlock(&e->mu);
	return done;
}

void engine_post_signal(struct engine *e, int signum)
{
	uv_mutex_lock(&e->mu);
	e->want_signal = signum;
	uv_mutex_unlock(&e->mu);
	uv_async_send(&e->cmd);
}

void engine_post_quit(struct engine *e)
{
	uv_mutex_lock(&e->mu);
	e->want_quit = 1;
	uv_mutex_unlock(&e->mu);
	uv_async_send(&e->cmd);
}

void engine_post_stop(struct engine *e)
{
	uv_mutex_lock(&e->mu);
	e->want_stop = 1;
	uv_mutex_unlock(&e->mu);
	uv_async_send(&e->cmd);
}

int engine_stderr_mid_line(const struct engine *e)
{
	return e->text_last[1] != 0 && e->text_last[1] != '\n';
}

const char *engine_name(const struct engine *e)
{
	return e->name;
}

const struct recsinks *engine_outputs(const struct engine *e)
{
	return e->outs;
}

void engine_say(FILE *f, const char *msg)
{
	char line[2048], safe[4096];

	snprintf(line, sizeof line, "gcwatch: %s\n", msg);
	fputs(sanitize_for_fd(fileno(f), line, safe, sizeof safe), f);
}

void engine_counts(const struct engine *e, struct gctrace_counts *out)
{
	const struct gctrace_counts *a = gctrace_counts(e->parser[0]);
	const struct gctrace_counts *b = gctrace_counts(e->parser[1]);

	out->bytes = a->bytes + b->bytes;
	out->lines = a->lines + b->lines;
	out->records = a->records + b->records;
	out->runtime_lines = a->runtime_lines + b->runtime_lines;
	out->foreign_lines = a->foreign_lines + b->foreign_lines;
	out->torn_recovered = a->torn_recovered + b->torn_recovered;
	out->torn_dropped = a->torn_dropped + b->torn_dropped;
	out->long_pieces = a->long_pieces + b->long_pieces;
}

void engine_free(struct engine *e)
{
	if (!e)
		return;
	if (e->src && !e->src_closed) {
		src_stop(e->src);
		uv_run(&e->loop, UV_RUN_DEFAULT);
	}
	close_loop_handles(e);
	uv_run(&e->loop, UV_RUN_DEFAULT);
	int rc = uv_loop_close(&e->loop);
	assert(rc == 0 && "a libuv handle was left open");
	(void)rc;
	close_outputs(e);
	recsinks_free(e->outs);
	src_free(e->src);
	for (unsigned i = 0; i < 2; i++) {
		gctrace_free(e->parser[i]);
		free(e->textbuf[i]);
	}
	demux_free(&e->demux);
	model_free(e->live);
	for (unsigned i = 0; i < e->nanalyses; i++) {
		analysis_free(e->analyses[i].a);
		free(e->analyses[i].a);
	}
	uv_mutex_destroy(&e->mu);
	free(e);
}
