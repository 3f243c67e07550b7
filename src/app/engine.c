#include "app/engine.h"

#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <uv.h>

#include "model/model.h"
#include "text/clock.h"
#include "outputs/metrics.h"
#include "outputs/outq.h"
#include "outputs/recout.h"
#include "model/ring.h"
#include "sources/sigwatch.h"
#include "sources/source.h"

/* Queues: records a consumer stalls on are dropped past RECORDS_CAP.  The
 * program's own text is never dropped: above TEXT_HIGH queued bytes the
 * source is paused (the program then waits on its pipe, as it would have
 * on our stdout) and resumed below TEXT_LOW; TEXT_CAP leaves room for what
 * arrives meanwhile, so writing never blocks the loop. */
#define RECORDS_CAP (16u << 20)
#define TEXT_CAP (8u << 20)
#define TEXT_HIGH (1u << 20)
#define TEXT_LOW (256u << 10)
#define RECORD_CAP (4u << 20)
#define BACKPRESSURE_MS 20
#define TEXTBUF (64u << 10)

/* Input quiet this long: let the parsers give out what they hold. */
#define IDLE_MS 500

/* A line held for --record while the other stream is written (bytes). */
#define RECLINE_MAX 65536

struct engine;

struct stream_ctx {
	struct engine *e;
	unsigned stream;
};

struct recline {
	char *buf;
	size_t len;
};

struct engine {
	struct engine_opts o;
	uv_loop_t loop;
	struct src *src;
	int src_closed;
	struct gctrace *parser[2];
	struct stream_ctx sctx[2];
	struct stats stats;
	struct ring *ring;
	struct outq *json, *csv, *text[2], *record;
	struct recline recline[2]; /* --record of a command: a line at a time */
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
	int same_group;        /* the program shares our terminal's group */
	int is_fifo;           /* the input is a fifo: waiting means no writer */

	/* Shared with the dashboard's thread, under mu: the model's parts. */
	uv_mutex_t mu;
	uint64_t version;
	enum src_state state;
	uint64_t start_ms, end_ms;
	struct model_line *lines; /* ring of MODEL_LINES */
	unsigned lines_head, nlines;
	uint64_t total_lines;
	struct model_line partial[2]; /* the line being assembled, per stream */

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

/* The program's text, a line at a time, for the output pane (under mu). */
static void add_text_line(struct engine *e, unsigned stream, const char *s, size_t n)
{
	struct model_line *pl = &e->partial[stream];

	while (n) {
		const char *nl = memchr(s, '\n', n);
		size_t take = nl ? (size_t)(nl - s) : n;
		size_t room = MODEL_LINE_MAX - pl->len;
		if (take > room) {
			pl->cut = 1;
			take = room;
		}
		memcpy(pl->text + pl->len, s, take);
		pl->len = (uint16_t)(pl->len + take);
		size_t used = nl ? (size_t)(nl - s) + 1 : n;
		s += used;
		n -= used;
		if (!nl)
			break;
		/* A whole line: into the ring. */
		pl->stream = (uint8_t)stream;
		e->lines[(e->lines_head + e->nlines) % MODEL_LINES] = *pl;
		if (e->nlines < MODEL_LINES)
			e->nlines++;
		else
			e->lines_head = (e->lines_head + 1) % MODEL_LINES;
		e->total_lines++;
		pl->len = 0;
		pl->cut = 0;
	}
}

/* ---- the model and the outputs ---------------------------------------- */

static void on_record(void *ctx, const struct gc_record *r)
{
	struct engine *e = ((struct stream_ctx *)ctx)->e;
	char buf[RECOUT_MAX];

	if (e->o.metrics)
		metrics_record(e->o.metrics, NULL, r, clock_now_ms());
	lock(e);
	stats_add(&e->stats, r);
	ring_push(e->ring, r);
	e->version++;
	unlock(e);
	changed(e);
	if (e->json)
		outq_write(e->json, buf, recout_json(buf, sizeof buf, r));
	if (e->csv)
		outq_write(e->csv, buf, recout_csv(buf, sizeof buf, r));
}

static size_t text_pending(struct engine *e)
{
	size_t n = e->text[0] ? outq_pending(e->text[0]) : 0;

	if (e->text[1] && e->text[1] != e->text[0])
		n += outq_pending(e->text[1]);
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

	if (e->lines) {
		uv_mutex_lock(&e->mu);
		add_text_line(e, st, s, n);
		e->version++;
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

/* --record: bytes unchanged; a command's two streams a line at a time, so
 * that a replay sees each stream's lines as the live parsers did. */
static void record_data(struct engine *e, unsigned stream, const char *buf, size_t len)
{
	struct recline *rl = &e->recline[stream];

	if (!e->o.command) {
		outq_write(e->record, buf, len);
		return;
	}
	while (len) {
		const char *nl = memchr(buf, '\n', len);
		size_t take = nl ? (size_t)(nl - buf) + 1 : len;
		if (rl->len + take > RECLINE_MAX) {
			/* Too long to hold: out in pieces, like the parser. */
			outq_write(e->record, rl->buf, rl->len);
			rl->len = 0;
		}
		if (take > RECLINE_MAX || (nl && !rl->len)) {
			outq_write(e->record, buf, take);
		} else {
			memcpy(rl->buf + rl->len, buf, take);
			rl->len += take;
			if (nl) {
				outq_write(e->record, rl->buf, rl->len);
				rl->len = 0;
			}
		}
		buf += take;
		len -= take;
	}
}

/* ---- the source ---------------------------------------------------------- */

static void on_data(void *ctx, unsigned stream, const char *buf, size_t len)
{
	struct engine *e = ctx;

	if (stream > 1)
		stream = 1;
	e->last_data_ms = uv_now(&e->loop);
	if (e->record)
		record_data(e, stream, buf, len);
	gctrace_feed(e->parser[stream], buf, len);
	text_flush(e, stream);
}

static void on_state(void *ctx, enum src_state state)
{
	struct engine *e = ctx;

	if (e->o.metrics)
		metrics_up(e->o.metrics, NULL, state == SRC_RUNNING || state == SRC_WAITING,
		           clock_now_ms());

	uv_mutex_lock(&e->mu);
	e->state = state;
	if ((state == SRC_EOF || state == SRC_EXITED) && !e->end_ms)
		e->end_ms = clock_now_ms();
	e->version++;
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
	e->version++;
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
		text_flush(e, 0);
		text_flush(e, 1);
	}
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
	if (!e->end_ms)
		e->end_ms = clock_now_ms();
	if (e->state != SRC_EXITED)
		e->state = SRC_EOF;
	e->version++;
	uv_mutex_unlock(&e->mu);
	changed(e);
	close_loop_handles(e);
}

static void on_signal(void *ctx, int signum, int from_kernel)
{
	struct engine *e = ctx;

	if (e->sig_cb)
		e->sig_cb(e->notify_ctx, signum);
	if (e->o.command) {
		/* The terminal already sent it to the whole foreground group,
		 * the program included, when it shares our group; a kill(1)
		 * reached only us. */
		if (!(from_kernel && e->same_group) && e->src)
			src_kill(e->src, signum);
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
	int sig = e->want_signal, stop = e->want_stop;
	e->want_signal = 0;
	e->want_stop = 0;
	uv_mutex_unlock(&e->mu);
	if (sig && e->src && !e->src_closed)
		src_kill(e->src, sig);
	if (stop && e->src && !e->src_closed)
		src_stop(e->src);
}

/* ---- set up and tear down ----------------------------------------------- */

static struct outq *open_output(const char *path, int *to_stdout, int *status)
{
	int fd;

	if (strcmp(path, "-") == 0) {
		*to_stdout = 1;
		return outq_new(STDOUT_FILENO, RECORDS_CAP, OUTQ_DROP, 0);
	}
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0) {
		fprintf(stderr, "gcwatch: cannot write '%s': %s\n", path, strerror(errno));
		*status = 1;
		return NULL;
	}
	return outq_new(fd, RECORDS_CAP, OUTQ_DROP, 1);
}

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
	int to_stdout = 0;

	*status = 1;
	if (!e) {
		fputs("gcwatch: out of memory\n", stderr);
		return NULL;
	}
	e->o = *o;
	make_name(e);
	stats_init(&e->stats);
	uv_mutex_init(&e->mu);
	e->start_ms = clock_now_ms();
	if (o->dashboard && !(e->lines = calloc(MODEL_LINES, sizeof *e->lines))) {
		fputs("gcwatch: out of memory\n", stderr);
		goto fail;
	}
	uv_loop_init(&e->loop);
	e->ring = ring_new(o->ring_cap ? o->ring_cap : 4096);
	for (unsigned i = 0; i < 2; i++) {
		e->sctx[i] = (struct stream_ctx){e, i};
		e->parser[i] = gctrace_new(&psink, &e->sctx[i]);
		e->recline[i].buf = malloc(RECLINE_MAX);
		e->textbuf[i] = malloc(TEXTBUF);
	}
	if (!e->ring || !e->parser[0] || !e->parser[1] || !e->recline[0].buf ||
	    !e->recline[1].buf || !e->textbuf[0] || !e->textbuf[1]) {
		fputs("gcwatch: out of memory\n", stderr);
		goto fail;
	}
	if (o->json_path && !(e->json = open_output(o->json_path, &to_stdout, status)))
		goto fail;
	if (o->csv_path && !(e->csv = open_output(o->csv_path, &to_stdout, status)))
		goto fail;
	if (e->csv)
		outq_write(e->csv, recout_csv_header(), strlen(recout_csv_header()));
	if (o->record) {
		int fd = open(o->record, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
		if (fd < 0) {
			fprintf(stderr, "gcwatch: cannot write '%s': %s\n", o->record, strerror(errno));
			goto fail;
		}
		e->record = outq_new(fd, RECORD_CAP, OUTQ_WAIT, 1);
	}
	if (o->passthrough) {
		/* The program's stdout to ours, its stderr to ours; all of it to
		 * stderr when stdout carries the records. */
		e->text[1] = outq_new(STDERR_FILENO, TEXT_CAP, OUTQ_WAIT, 0);
		e->text[0] = to_stdout ? e->text[1] : outq_new(STDOUT_FILENO, TEXT_CAP, OUTQ_WAIT, 0);
	}

	if (o->command) {
		/* In a terminal's foreground, the program shares it with us. */
		struct src_spawn_opts so = {
			.gctrace = o->gctrace,
			.same_group = !o->dashboard && isatty(STDIN_FILENO) &&
			              tcgetpgrp(STDIN_FILENO) == getpgrp(),
			/* The dashboard reads keys from the terminal: the
			 * program must not read them too. */
			.stdin_null = o->dashboard && isatty(STDIN_FILENO),
		};
		e->same_group = so.same_group;
		e->res.spawned = true;
		e->src = src_spawn(&e->loop, o->command, &so, &ssink, e, &err);
	} else if (o->replay > 0) {
		e->src = src_replay(&e->loop, o->path ? o->path : "-", o->replay, &ssink, e, &err);
	} else {
		struct stat st;
		const char *path = o->path ? o->path : "-";
		e->is_fifo = strcmp(path, "-") ? stat(path, &st) == 0 && S_ISFIFO(st.st_mode)
		                               : fstat(STDIN_FILENO, &st) == 0 && S_ISFIFO(st.st_mode);
		e->src = src_open(&e->loop, path, o->follow, &ssink, e, &err);
	}
	if (!e->src) {
		fprintf(stderr, "gcwatch: %s\n", err.msg);
		*status = err.status;
		goto fail;
	}
	static const int sigs[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT};
	e->sig = sigwatch_start(&e->loop, sigs, 4, on_signal, e);
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

/* Write out and close every queue; the first write error is reported. */
static void close_outputs(struct engine *e)
{
	struct {
		struct outq **q;
		const char *name;
	} qs[] = {
		{&e->json, e->o.json_path}, {&e->csv, e->o.csv_path},
		{&e->record, e->o.record},
	};
	for (size_t i = 0; i < sizeof qs / sizeof qs[0]; i++) {
		if (!*qs[i].q)
			continue;
		uint64_t dropped = outq_dropped(*qs[i].q);
		if (i == 0)
			e->res.json_dropped = dropped;
		if (i == 1)
			e->res.csv_dropped = dropped;
		int err = outq_close(*qs[i].q);
		*qs[i].q = NULL;
		if (err && err != EPIPE && !e->res.error[0])
			snprintf(e->res.error, sizeof e->res.error, "error writing '%s': %s",
			         qs[i].name, strerror(err));
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
	text_flush(e, 0);
	text_flush(e, 1);
	for (unsigned i = 0; i < 2 && e->record; i++)
		if (e->recline[i].len)
			outq_write(e->record, e->recline[i].buf, e->recline[i].len);

	publish_metrics(e, true);
	close_outputs(e);
	struct engine_result *r = &e->res;
	if (r->spawned)
		r->status = !r->exited ? 1
		            : r->term_signal > 0 ? 128 + r->term_signal
		            : (int)r->exit_status;
	return r->status;
}

const struct stats *engine_stats(const struct engine *e)
{
	return &e->stats;
}

const struct engine_result *engine_result(const struct engine *e)
{
	return &e->res;
}

void engine_snapshot(struct engine *e, struct model *m)
{
	uv_mutex_lock(&e->mu);
	m->version = e->version;
	snprintf(m->name, sizeof m->name, "%s", e->name);
	m->spawned = e->res.spawned;
	m->pid = e->src ? src_pid(e->src) : 0;
	switch (e->state) {
	case SRC_RUNNING: m->input = MODEL_RUNNING; break;
	case SRC_WAITING: m->input = MODEL_WAITING; break;
	case SRC_EOF: m->input = MODEL_EOF; break;
	case SRC_EXITED: m->input = MODEL_EXITED; break;
	default: m->input = MODEL_STARTING;
	}
	m->waiting_is_writer = e->is_fifo;
	m->exited = e->res.exited;
	m->exit_status = e->res.exit_status;
	m->term_signal = e->res.term_signal;
	m->start_ms = e->start_ms;
	m->end_ms = e->end_ms;
	m->stats = e->stats;
	size_t n = ring_len(e->ring);
	if (n > MODEL_RECORDS)
		n = MODEL_RECORDS;
	size_t skip = ring_len(e->ring) - n;
	for (size_t i = 0; i < n; i++)
		m->recent[i] = *ring_get(e->ring, skip + i);
	m->nrecent = (unsigned)n;
	m->total_records = ring_total(e->ring);
	engine_counts(e, &m->counts);
	m->nlines = 0;
	for (unsigned i = 0; e->lines && i < e->nlines; i++)
		m->lines[m->nlines++] = e->lines[(e->lines_head + i) % MODEL_LINES];
	m->total_lines = e->total_lines;
	uv_mutex_unlock(&e->mu);
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
	src_free(e->src);
	for (unsigned i = 0; i < 2; i++) {
		gctrace_free(e->parser[i]);
		free(e->recline[i].buf);
		free(e->textbuf[i]);
	}
	ring_free(e->ring);
	free(e->lines);
	uv_mutex_destroy(&e->mu);
	free(e);
}
