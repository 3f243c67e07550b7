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
struct input;

struct stream_ctx {
	struct input *in;
	unsigned stream;
};

/* One input: its source, a parser per stream (a torn record is put back
 * only from its own stream's lines) and its demultiplexer. */
struct input {
	struct engine *e;
	unsigned idx;
	char name[256];
	const char *path;      /* a PATH, or NULL for a command */
	struct src *src;
	int closed;
	enum src_state state;
	bool spawned, exited;
	int64_t exit_status;
	int term_signal;
	int is_fifo;           /* waiting means no writer */
	uint64_t last_data_ms;
	struct gctrace *parser[2];
	struct stream_ctx sctx[2];
	struct demux demux;    /* which feed a record or line goes to */
};

struct engine {
	struct engine_opts o;
	uv_loop_t loop;
	struct input *in;
	unsigned nin, nclosed, nspawned;
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
	struct sigwatch *sig;
	struct engine_result res;
	char name[256];
	struct sigwatch_info last_sig, last_cont; /* the last passed on */

	/* Shared with the dashboard's thread, under mu: the live model (the
	 * inputs' states and the feeds). */
	uv_mutex_t mu;
	struct model *live;

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
 * came, with its source named), under the lock.  With several inputs its
 * source in the outputs is its feed's name (the input's, and the
 * process's); past --max-feeds, the name it would have had. */
static void on_placed(void *ctx, struct feed *f, const struct gc_record *r, uint64_t now_ms)
{
	struct input *in = ctx;
	struct engine *e = in->e;
	char name[FEED_NAME_MAX];
	const char *source = NULL;

	if (f) {
		model_add_record(e->live, f, r, now_ms);
		feed_analyse(e, f, r);
	}
	e->live->version++;
	if (e->nin > 1) {
		if (f)
			snprintf(name, sizeof name, "%s", f->name);
		else
			demux_name(&in->demux, r->source, name, sizeof name);
		source = name;
	}
	/* Past --max-feeds the metrics count it too (the same bound). */
	if (e->o.metrics)
		metrics_record(e->o.metrics, source ? source : f ? f->name : r->source, r, now_ms);
	recsinks_record_as(e->outs, r, source);
}

static void on_record(void *ctx, const struct gc_record *r)
{
	struct input *in = ((struct stream_ctx *)ctx)->in;
	struct engine *e = in->e;

	lock(e);
	demux_record(&in->demux, r, clock_now_ms());
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

static void on_press(uv_timer_t *t);

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

/* Backpressure holds every input: the text of each goes to the same
 * stdout and stderr. */
static void pause_all(struct engine *e)
{
	if (e->paused || e->nclosed == e->nin)
		return;
	e->paused = 1;
	for (unsigned i = 0; i < e->nin; i++)
		if (e->in[i].src && !e->in[i].closed)
			src_pause(e->in[i].src);
	uv_timer_start(&e->press, on_press, BACKPRESSURE_MS, BACKPRESSURE_MS);
}

static void on_press(uv_timer_t *t)
{
	struct engine *e = t->data;

	if (e->paused && text_pending(e) < TEXT_LOW) {
		e->paused = 0;
		for (unsigned i = 0; i < e->nin; i++)
			if (e->in[i].src && !e->in[i].closed)
				src_resume(e->in[i].src);
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
		for (unsigned i = 0; i < e->nin; i++)
			if (e->in[i].src && !e->in[i].closed)
				src_close_stream(e->in[i].src, stream);
		return;
	}
	if (text_pending(e) > TEXT_HIGH)
		pause_all(e);
}

static void on_foreign(void *ctx, const char *s, size_t n)
{
	struct stream_ctx *sc = ctx;
	struct engine *e = sc->in->e;
	unsigned st = sc->stream;

	/* The go command's "# PKG" names the run after it (demux.h). */
	lock(e);
	demux_text(&sc->in->demux, s, n);
	unlock(e);
	if (e->live->keep_lines) {
		uv_mutex_lock(&e->mu);
		feed_add_text(demux_line(&sc->in->demux, s, n), st, s, n, clock_now_ms());
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

/* ---- the inputs ---------------------------------------------------------- */

/* The input's name for the metrics: NULL for the only input (its series
 * carry no source label). */
static const char *metrics_name(const struct input *in)
{
	return in->e->nin > 1 ? in->demux.prefix : NULL;
}

static bool ended(const struct input *in)
{
	return in->closed || in->state == SRC_EOF || in->state == SRC_EXITED;
}

static void on_data(void *ctx, unsigned stream, const char *buf, size_t len)
{
	struct input *in = ctx;
	struct engine *e = in->e;

	if (stream > 1)
		stream = 1;
	in->last_data_ms = uv_now(&e->loop);
	recsinks_bytes(e->outs, stream, buf, len);
	gctrace_feed(in->parser[stream], buf, len);
	text_flush(e, stream);
	if (e->outs_can_wait && text_pending(e) > TEXT_HIGH)
		pause_all(e);
	say_output_news(e);
}

/* Under mu: the run's end time once every input has ended. */
static void note_end(struct engine *e)
{
	for (unsigned i = 0; i < e->nin; i++)
		if (!ended(&e->in[i]))
			return;
	if (!e->live->end_ms)
		e->live->end_ms = clock_now_ms();
}

static void on_state(void *ctx, enum src_state state)
{
	struct input *in = ctx;
	struct engine *e = in->e;

	if (e->o.metrics)
		metrics_up(e->o.metrics, metrics_name(in),
		           state == SRC_RUNNING || state == SRC_WAITING, clock_now_ms());

	uv_mutex_lock(&e->mu);
	in->state = state;
	note_end(e);
	e->live->version++;
	uv_mutex_unlock(&e->mu);
	changed(e);
}

static void on_src_exit(void *ctx, int64_t status, int term_signal)
{
	struct input *in = ctx;
	struct engine *e = in->e;

	uv_mutex_lock(&e->mu);
	in->exited = true;
	in->exit_status = status;
	in->term_signal = term_signal;
	e->live->version++;
	uv_mutex_unlock(&e->mu);
	changed(e);
}

static void input_counts(const struct input *in, struct gctrace_counts *out)
{
	const struct gctrace_counts *a = gctrace_counts(in->parser[0]);
	const struct gctrace_counts *b = gctrace_counts(in->parser[1]);

	out->bytes = a->bytes + b->bytes;
	out->lines = a->lines + b->lines;
	out->records = a->records + b->records;
	out->runtime_lines = a->runtime_lines + b->runtime_lines;
	out->foreign_lines = a->foreign_lines + b->foreign_lines;
	out->torn_recovered = a->torn_recovered + b->torn_recovered;
	out->torn_dropped = a->torn_dropped + b->torn_dropped;
	out->long_pieces = a->long_pieces + b->long_pieces;
}

/* The endpoint's line counts, then a snapshot for its thread when
 * something changed (metrics.h): at most every IDLE_MS / 2. */
static void publish_metrics(struct engine *e, bool force)
{
	uint64_t now = clock_now_ms();

	if (!e->o.metrics)
		return;
	for (unsigned i = 0; i < e->nin; i++) {
		struct gctrace_counts c;
		input_counts(&e->in[i], &c);
		metrics_lines(e->o.metrics, metrics_name(&e->in[i]), c.records, c.runtime_lines,
		              c.foreign_lines, c.torn_dropped, now);
	}
	metrics_publish(e->o.metrics, now, force);
}

static void on_idle(uv_timer_t *t)
{
	struct engine *e = t->data;
	bool flush = false;

	publish_metrics(e, false);

	for (unsigned i = 0; i < e->nin; i++) {
		struct input *in = &e->in[i];
		if (uv_now(&e->loop) - in->last_data_ms >= IDLE_MS) {
			gctrace_idle(in->parser[0]);
			gctrace_idle(in->parser[1]);
			flush = true;
		}
		/* A run held to tell a restart from a new process (demux.h)
		 * is decided in bounded time, quiet input or not. */
		if (demux_held(&in->demux)) {
			lock(e);
			demux_tick(&in->demux, clock_now_ms());
			unlock(e);
			changed(e);
		}
	}
	if (flush) {
		text_flush(e, 0);
		text_flush(e, 1);
	}
	say_output_news(e);
}

/* The engine's own handles (the sources close their own): once every
 * input is done, or when freeing an engine that never ran. */
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
	struct input *in = ctx;
	struct engine *e = in->e;

	if (e->o.metrics)
		metrics_up(e->o.metrics, metrics_name(in), false, clock_now_ms());
	/* What its parsers hold is its last word: given out now, not when
	 * the other inputs end. */
	gctrace_finish(in->parser[0]);
	gctrace_finish(in->parser[1]);
	lock(e);
	demux_flush(&in->demux);
	unlock(e);
	text_flush(e, 0);
	text_flush(e, 1);
	uv_mutex_lock(&e->mu);
	in->closed = 1;
	e->nclosed++;
	if (in->state != SRC_EXITED)
		in->state = SRC_EOF;
	note_end(e);
	e->live->version++;
	uv_mutex_unlock(&e->mu);
	changed(e);
	if (e->nclosed == e->nin)
		close_loop_handles(e);
}

/* Is our process group orphaned (POSIX: no job-control shell can continue
 * it)?  Asked of our parent, which is that shell when there is one. */
static int group_orphaned(void)
{
	pid_t pp = getppid();

	return getsid(pp) != getsid(0) || getpgid(pp) == getpgrp();
}

static bool open_input(const struct input *in)
{
	return in->src && !in->closed;
}

/* Every signal gcwatch gets goes on to each program's process group, once:
 * a program is in a session of its own, so nobody else's signal (a
 * terminal's Ctrl-C or hangup, a kill of our group) reaches it, and only a
 * repeat from the same sender at once is the same signal twice.  The
 * watch of a file or a pipe ends (the summary still comes). */
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
	if (si->signum == SIGTSTP) {
		/* Ctrl-Z: the programs' groups are orphaned, where SIGTSTP does
		 * not stop; SIGSTOP does.  Then gcwatch stops, for the shell;
		 * its SIGCONT (fg, bg) goes on below.  With no shell to
		 * continue us (our group orphaned too: we lead the session, as
		 * under ssh -t or in a tmux pane), the kernel would not stop
		 * us: neither do we. */
		if (e->nspawned && !group_orphaned()) {
			for (unsigned i = 0; i < e->nin; i++)
				if (e->in[i].spawned && open_input(&e->in[i]))
					src_kill(e->in[i].src, SIGSTOP);
			raise(SIGSTOP);
		}
		return;
	}
	for (unsigned i = 0; i < e->nin; i++) {
		struct input *in = &e->in[i];
		if (!open_input(in))
			continue;
		if (in->spawned)
			src_kill(in->src, si->signum);
		else if (si->signum != SIGCONT)
			src_stop(in->src);
	}
}

/* Requests from the dashboard's thread: a signal goes to the programs, a
 * quit ends every input (the programs first: src_terminate). */
static void on_cmd(uv_async_t *a)
{
	struct engine *e = a->data;

	uv_mutex_lock(&e->mu);
	int sig = e->want_signal, stop = e->want_stop, quit = e->want_quit;
	e->want_signal = 0;
	e->want_stop = 0;
	e->want_quit = 0;
	uv_mutex_unlock(&e->mu);
	for (unsigned i = 0; i < e->nin; i++) {
		struct input *in = &e->in[i];
		if (sig && in->spawned && open_input(in))
			src_kill(in->src, sig);
		if (quit && open_input(in))
			src_terminate(in->src);
		if (stop && open_input(in))
			src_stop(in->src);
	}
}

/* ---- names ----------------------------------------------------------------- */

/* s cut in its middle to fit cap - 1 bytes ("head...tail"), never inside
 * a UTF-8 sequence: both ends of a command line tell inputs apart
 * ("ssh n1 ... cat /a" and "ssh n2 ... cat /b"). */
static void cut_middle(char *out, size_t cap, const char *s)
{
	size_t n = strlen(s);

	if (n < cap) {
		memcpy(out, s, n + 1);
		return;
	}
	size_t head = (cap - 4) / 2, tail = cap - 4 - head;
	while (head && ((unsigned char)s[head] & 0xc0) == 0x80)
		head--;
	const char *t = s + n - tail;
	while (*t && ((unsigned char)*t & 0xc0) == 0x80)
		t++;
	snprintf(out, cap, "%.*s...%s", (int)head, s, t);
}

static void name_input(struct engine *e, struct input *in, const struct engine_input *spec)
{
	char full[1024];
	size_t k = 0;

	if (spec && spec->name)
		snprintf(full, sizeof full, "%s", spec->name);
	else if (spec && spec->shell)
		snprintf(full, sizeof full, "%s", spec->shell);
	else if (in->path)
		snprintf(full, sizeof full, "%s", strcmp(in->path, "-") ? in->path : "standard input");
	else {
		full[0] = 0;
		for (char **a = e->o.command; *a && k + 2 < sizeof full; a++) {
			int n = snprintf(full + k, sizeof full - k, "%s%s", a == e->o.command ? "" : " ", *a);
			if (n < 0)
				break;
			k += (size_t)n;
		}
	}
	if (e->nin == 1) {
		snprintf(in->name, sizeof in->name, "%s", full);
		return;
	}
	/* A feed's prefix: short enough to leave room for a demultiplexing
	 * key, and unique (the same path twice is two inputs). */
	cut_middle(in->name, ENGINE_INPUT_NAME_MAX, full);
	for (unsigned n = 2;; n++) {
		unsigned j;
		for (j = 0; j < in->idx && strcmp(e->in[j].name, in->name); j++)
			;
		if (j == in->idx)
			break;
		char base[ENGINE_INPUT_NAME_MAX];
		cut_middle(base, ENGINE_INPUT_NAME_MAX - 8, full);
		snprintf(in->name, sizeof in->name, "%s (%u)", base, n);
	}
}

/* The run's name: the only input's, or all of them joined. */
static void make_name(struct engine *e)
{
	size_t k = 0;

	e->name[0] = 0;
	for (unsigned i = 0; i < e->nin && k + 1 < sizeof e->name; i++) {
		int n = snprintf(e->name + k, sizeof e->name - k, "%s%s", i ? ", " : "", e->in[i].name);
		if (n < 0)
			break;
		k += (size_t)n;
	}
}

/* ---- set up and tear down ----------------------------------------------- */

static int start_input(struct engine *e, struct input *in, const struct engine_input *spec,
                       struct src_error *err)
{
	static const struct src_sink ssink = {on_data, on_state, on_src_exit, on_src_closed};
	const struct engine_opts *o = &e->o;

	if (in->spawned) {
		struct src_spawn_opts so = {
			.gctrace = o->gctrace,
			/* The dashboard reads keys from the terminal: the
			 * program must not read them too.  A -c command never
			 * gets our stdin: several would share it, and ssh would
			 * eat what is piped to us. */
			.stdin_null = (o->dashboard && isatty(STDIN_FILENO)) || spec,
			.grace_ms = QUIT_GRACE_MS,
		};
		char *sh[] = {(char *)"/bin/sh", (char *)"-c", spec ? (char *)spec->shell : NULL, NULL};
		in->src = src_spawn(&e->loop, spec ? sh : o->command, &so, &ssink, in, err);
	} else if (o->replay > 0) {
		in->src = src_replay(&e->loop, in->path, o->replay, &ssink, in, err);
	} else {
		struct stat st;
		int known = strcmp(in->path, "-") ? stat(in->path, &st) == 0
		                                  : fstat(STDIN_FILENO, &st) == 0;
		in->is_fifo = known && S_ISFIFO(st.st_mode);
		in->src = src_open(&e->loop, in->path, o->follow, &ssink, in, err);
	}
	return in->src ? 0 : -1;
}

/* Reading only regular files (or replays of them) can wait for the record
 * outputs: nobody is held up by it, and nothing is dropped then. */
static int can_wait(const struct engine *e)
{
	for (unsigned i = 0; i < e->nin; i++) {
		struct stat st;
		const char *p = e->in[i].path;
		if (!p)
			return 0;
		if (e->o.replay > 0)
			continue;
		if (!(strcmp(p, "-") ? stat(p, &st) == 0 : fstat(STDIN_FILENO, &st) == 0) ||
		    !S_ISREG(st.st_mode))
			return 0;
	}
	return 1;
}

struct engine *engine_new(const struct engine_opts *o, int *status)
{
	static const struct gctrace_sink psink = {.record = on_record, .foreign = on_foreign};
	static const struct engine_input stdin_input = {"-", NULL, NULL};
	struct engine *e = calloc(1, sizeof *e);
	struct src_error err = {"", 1};
	struct recsink_spec specs[3];
	const char *paths[ENGINE_INPUTS_MAX];
	size_t nspecs = 0, npaths = 0;
	char msg[1024];

	*status = 1;
	if (!e) {
		fputs("gcwatch: out of memory\n", stderr);
		return NULL;
	}
	e->o = *o;
	uv_mutex_init(&e->mu);
	uv_loop_init(&e->loop);
	const struct engine_input *specs_in = o->command ? NULL : o->ninputs ? o->inputs : &stdin_input;
	e->nin = o->command ? 1 : o->ninputs ? o->ninputs : 1;
	if (e->nin > ENGINE_INPUTS_MAX)
		e->nin = ENGINE_INPUTS_MAX;
	e->in = calloc(e->nin, sizeof *e->in);
	e->live = model_new(o->max_feeds, o->records_cap, o->dashboard);
	if (!e->in || !e->live || model_inputs(e->live, e->nin) != 0) {
		fputs("gcwatch: out of memory\n", stderr);
		if (!e->in)
			e->nin = 0;
		goto fail;
	}
	e->live->start_ms = clock_now_ms();
	/* To name the time axis's times by the wall clock. */
	struct timespec ts;
	if (clock_gettime(CLOCK_REALTIME, &ts) == 0)
		e->live->wall_offset_ms = (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000 -
		                          (int64_t)e->live->start_ms;
	for (unsigned i = 0; i < e->nin; i++) {
		struct input *in = &e->in[i];
		const struct engine_input *spec = specs_in ? &specs_in[i] : NULL;
		in->e = e;
		in->idx = i;
		in->path = spec && !spec->shell ? (spec->path ? spec->path : "-") : NULL;
		in->spawned = !in->path;
		e->nspawned += in->spawned;
		if (in->path)
			paths[npaths++] = in->path;
		name_input(e, in, spec);
		for (unsigned k = 0; k < 2; k++) {
			in->sctx[k] = (struct stream_ctx){in, k};
			in->parser[k] = gctrace_new(&psink, &in->sctx[k]);
		}
		if (!in->parser[0] || !in->parser[1]) {
			fputs("gcwatch: out of memory\n", stderr);
			goto fail;
		}
		if (demux_init_named(&in->demux, e->live, on_placed, in, e->nin > 1 ? in->name : NULL,
		                     i) != 0) {
			if (e->live->nfeeds == e->live->max_feeds) {
				fprintf(stderr, "gcwatch: %u inputs and --max-feeds %u: each input "
				        "needs a feed\n", e->nin, e->live->max_feeds);
				*status = 2;
			} else {
				fputs("gcwatch: out of memory\n", stderr);
			}
			goto fail;
		}
	}
	make_name(e);
	snprintf(e->live->name, sizeof e->live->name, "%s", e->name);
	for (unsigned i = 0; i < 2; i++)
		e->textbuf[i] = malloc(TEXTBUF);
	if (!e->textbuf[0] || !e->textbuf[1]) {
		fputs("gcwatch: out of memory\n", stderr);
		goto fail;
	}
	/* The record outputs, checked against the inputs and each other
	 * before anything is truncated. */
	if (o->json_path)
		specs[nspecs++] = (struct recsink_spec){RECSINK_JSON, o->json_path};
	if (o->csv_path)
		specs[nspecs++] = (struct recsink_spec){RECSINK_CSV, o->csv_path};
	if (o->record)
		specs[nspecs++] = (struct recsink_spec){RECSINK_RECORDING, o->record};
	e->outs = recsinks_open_many(specs, nspecs, paths, npaths, e->nspawned > 0, msg,
	                             sizeof msg, status);
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
	e->res.spawned = e->nspawned > 0;
	e->outs_can_wait = can_wait(e);

	/* Signals are watched before any command starts: one that came
	 * between would kill us and leave the program behind.  Ctrl-Z and
	 * its SIGCONT too, for programs run in batch (the
	 * dashboard's raw terminal sends no SIGTSTP; ncurses keeps its own). */
	static const int sigs[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGTSTP, SIGCONT};
	e->sig = sigwatch_start(&e->loop, sigs, e->nspawned && !o->dashboard ? 6 : 4,
	                        on_signal, e);
	/* The PATHs first: one that cannot be opened fails the run before
	 * any command has started. */
	for (int pass = 0; pass < 2; pass++)
		for (unsigned i = 0; i < e->nin; i++) {
			struct input *in = &e->in[i];
			if ((pass == 0) == in->spawned)
				continue;
			if (start_input(e, in, specs_in ? &specs_in[i] : NULL, &err) != 0) {
				engine_say(stderr, err.msg);
				*status = err.status;
				goto fail;
			}
		}
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
		stats_set_lost(&e->in[0].demux.own->stats, recs + c.torn_dropped, bytes);
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

/* The status an input gives (DESIGN.md): a command's own (128+N after
 * signal N; 1 if it was never seen to exit), 1 for a read error, else 0;
 * ended: it has (so far, while running). */
static int input_status(const struct input *in, bool *has_ended)
{
	*has_ended = in->spawned ? in->exited : ended(in);
	if (in->spawned)
		return !in->exited ? 1 : in->term_signal > 0 ? 128 + in->term_signal
		                                            : (int)in->exit_status;
	/* Read once the source is closed: it no longer writes it then. */
	return in->closed && in->src && src_read_error(in->src) ? 1 : 0;
}

/* The run's end as it stands: the status of the first input (in order)
 * that ended with one other than 0, and that input's exit when it is a
 * command (else the first command's).  final: the run is over (an input
 * not seen to end counts). */
static const struct input *decide(const struct engine *e, bool final, int *status)
{
	const struct input *first_cmd = NULL;

	*status = 0;
	for (unsigned i = 0; i < e->nin; i++) {
		const struct input *in = &e->in[i];
		bool has_ended;
		int st = input_status(in, &has_ended);
		if (in->spawned && !first_cmd)
			first_cmd = in;
		if (st && (has_ended || final)) {
			*status = st;
			return in->spawned ? in : first_cmd ? first_cmd : in;
		}
	}
	return first_cmd;
}

int engine_run(struct engine *e)
{
	uv_run(&e->loop, UV_RUN_DEFAULT);
	for (unsigned i = 0; i < e->nin; i++) {
		gctrace_finish(e->in[i].parser[0]);
		gctrace_finish(e->in[i].parser[1]);
		lock(e);
		demux_flush(&e->in[i].demux);
		unlock(e);
	}
	changed(e);
	text_flush(e, 0);
	text_flush(e, 1);
	say_output_news(e);

	publish_metrics(e, true);
	close_outputs(e);
	struct engine_result *r = &e->res;
	for (unsigned i = 0; i < e->nin; i++) {
		const struct input *in = &e->in[i];
		int rerr = in->src && !in->spawned ? src_read_error(in->src) : 0;
		if (rerr && !r->error[0])
			/* A read error is not the end of the input. */
			snprintf(r->error, sizeof r->error, "cannot read '%s': %s",
			         strcmp(in->path, "-") ? in->path : "standard input", strerror(rerr));
	}
	const struct input *d = decide(e, true, &r->status);
	r->exited = e->nspawned > 0;
	for (unsigned i = 0; i < e->nin; i++)
		if (e->in[i].spawned && !e->in[i].exited)
			r->exited = false;
	if (d && d->spawned) {
		r->exit_status = d->exit_status;
		r->term_signal = d->term_signal;
	}
	return r->status;
}

unsigned engine_inputs(const struct engine *e)
{
	return e->nin;
}

void engine_input_result(const struct engine *e, unsigned i, struct engine_input_result *out)
{
	const struct input *in = &e->in[i];
	bool has_ended;

	*out = (struct engine_input_result){
		.name = in->name,
		.spawned = in->spawned,
		.exited = in->exited,
		.exit_status = in->exit_status,
		.term_signal = in->term_signal,
		.status = input_status(in, &has_ended),
		.read_error = in->src && !in->spawned ? src_read_error(in->src) : 0,
	};
}

const struct stats *engine_stats(const struct engine *e)
{
	return &e->in[0].demux.own->stats;
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

static enum model_input model_state(enum src_state s)
{
	switch (s) {
	case SRC_RUNNING: return MODEL_RUNNING;
	case SRC_WAITING: return MODEL_WAITING;
	case SRC_EOF: return MODEL_EOF;
	case SRC_EXITED: return MODEL_EXITED;
	default: return MODEL_STARTING;
	}
}

/* Under mu: the inputs into the live model, each and together. */
static void publish_inputs(struct engine *e)
{
	struct model *l = e->live;
	bool all_exited = e->nspawned > 0, any[MODEL_EXITED + 1] = {false};
	bool fifo_waits = false;

	for (unsigned i = 0; i < e->nin; i++) {
		const struct input *in = &e->in[i];
		struct model_src *ms = &l->inputs[i];
		snprintf(ms->name, sizeof ms->name, "%s", in->name);
		ms->state = model_state(in->state);
		ms->spawned = in->spawned;
		ms->waiting_is_writer = in->is_fifo;
		ms->exited = in->exited;
		ms->exit_status = in->exit_status;
		ms->term_signal = in->term_signal;
		ms->pid = in->src ? src_pid(in->src) : 0;
		any[ms->state] = true;
		fifo_waits |= ms->state == MODEL_WAITING && in->is_fifo;
		if (in->spawned && !in->exited)
			all_exited = false;
	}
	l->pid = e->nin == 1 ? l->inputs[0].pid : 0;
	l->spawned = e->nspawned > 0;
	if (e->nin == 1)
		l->input = l->inputs[0].state;
	else
		l->input = any[MODEL_RUNNING] ? MODEL_RUNNING
		           : any[MODEL_WAITING] ? MODEL_WAITING
		           : any[MODEL_STARTING] ? MODEL_STARTING
		           : all_exited ? MODEL_EXITED : MODEL_EOF;
	l->waiting_is_writer = fifo_waits;
	l->exited = all_exited;
	int st;
	const struct input *d = decide(e, false, &st);
	l->exit_status = d && d->spawned ? d->exit_status : 0;
	l->term_signal = d && d->spawned ? d->term_signal : 0;
}

size_t engine_snapshot(struct engine *e, struct model *m, unsigned focus)
{
	uv_mutex_lock(&e->mu);
	publish_inputs(e);
	engine_counts(e, &e->live->counts);
	size_t bytes = model_copy(m, e->live, focus);
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
	int done = e->nclosed == e->nin;
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
	memset(out, 0, sizeof *out);
	for (unsigned i = 0; i < e->nin; i++) {
		struct gctrace_counts c;
		if (!e->in[i].parser[0] || !e->in[i].parser[1])
			continue;
		input_counts(&e->in[i], &c);
		out->bytes += c.bytes;
		out->lines += c.lines;
		out->records += c.records;
		out->runtime_lines += c.runtime_lines;
		out->foreign_lines += c.foreign_lines;
		out->torn_recovered += c.torn_recovered;
		out->torn_dropped += c.torn_dropped;
		out->long_pieces += c.long_pieces;
	}
}

void engine_free(struct engine *e)
{
	if (!e)
		return;
	bool stopping = false;
	for (unsigned i = 0; i < e->nin; i++)
		if (open_input(&e->in[i])) {
			src_stop(e->in[i].src);
			stopping = true;
		}
	if (stopping)
		uv_run(&e->loop, UV_RUN_DEFAULT);
	close_loop_handles(e);
	uv_run(&e->loop, UV_RUN_DEFAULT);
	int rc = uv_loop_close(&e->loop);
	assert(rc == 0 && "a libuv handle was left open");
	(void)rc;
	close_outputs(e);
	recsinks_free(e->outs);
	for (unsigned i = 0; i < e->nin; i++) {
		src_free(e->in[i].src);
		gctrace_free(e->in[i].parser[0]);
		gctrace_free(e->in[i].parser[1]);
		demux_free(&e->in[i].demux);
	}
	free(e->in);
	for (unsigned i = 0; i < 2; i++)
		free(e->textbuf[i]);
	model_free(e->live);
	for (unsigned i = 0; i < e->nanalyses; i++) {
		analysis_free(e->analyses[i].a);
		free(e->analyses[i].a);
	}
	uv_mutex_destroy(&e->mu);
	free(e);
}
