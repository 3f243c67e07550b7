/*
 * The header: what is watched and how it stands on the first row (a bar),
 * the run's figures on the second.
 */
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "text/fmt.h"
#include "ui/pane.h"
#include "ui/sanitize.h"

/* Signal names, so that "killed by SIGKILL" needs no locale (strsignal
 * says "Killed", in the user's language). */
static const char *signame(int sig)
{
	static const struct {
		int sig;
		const char *name;
	} names[] = {
		{ SIGHUP, "SIGHUP" },   { SIGINT, "SIGINT" },
		{ SIGQUIT, "SIGQUIT" }, { SIGILL, "SIGILL" },
		{ SIGTRAP, "SIGTRAP" }, { SIGABRT, "SIGABRT" },
		{ SIGBUS, "SIGBUS" },   { SIGFPE, "SIGFPE" },
		{ SIGKILL, "SIGKILL" }, { SIGUSR1, "SIGUSR1" },
		{ SIGSEGV, "SIGSEGV" }, { SIGUSR2, "SIGUSR2" },
		{ SIGPIPE, "SIGPIPE" }, { SIGALRM, "SIGALRM" },
		{ SIGTERM, "SIGTERM" }, { SIGXCPU, "SIGXCPU" },
		{ SIGXFSZ, "SIGXFSZ" }, { SIGSYS, "SIGSYS" },
	};
	size_t i;

	for (i = 0; i < sizeof names / sizeof names[0]; i++)
		if (names[i].sig == sig)
			return names[i].name;
	return NULL;
}

static enum role state(const struct model *m, char *buf, size_t cap)
{
	if (m->exited || m->input == MODEL_EXITED) {
		const char *name = signame(m->term_signal);

		if (m->term_signal > 0 && name)
			snprintf(buf, cap, "killed by %s", name);
		else if (m->term_signal > 0)
			snprintf(buf, cap, "killed by signal %d", m->term_signal);
		else
			snprintf(buf, cap, "exited %lld", (long long)m->exit_status);
		return m->term_signal > 0 || m->exit_status != 0 ? ROLE_ALERT
		                                                 : ROLE_BAR;
	}
	switch (m->input) {
	case MODEL_STARTING:
		snprintf(buf, cap, "starting");
		break;
	case MODEL_RUNNING:
		snprintf(buf, cap, "running");
		break;
	case MODEL_WAITING:
		snprintf(buf, cap, m->waiting_is_writer ? "waiting for a writer"
		                                        : "waiting for data");
		break;
	case MODEL_EOF:
		snprintf(buf, cap, "EOF");
		break;
	case MODEL_EXITED:
		break;
	}
	return ROLE_BAR;
}

/* With several inputs, a feed's header speaks of its own input: a model
 * that holds only that input's state, name and pid. */
static const struct model *input_view(const struct frame *f, struct model *one)
{
	const struct model *m = f->m;

	if (f->fleet || !f->feed || m->ninputs < 2 || f->feed->input >= m->ninputs)
		return m;
	const struct model_src *in = &m->inputs[f->feed->input];
	*one = *m;
	snprintf(one->name, sizeof one->name, "%s", in->name);
	one->input = in->state;
	one->spawned = in->spawned;
	one->waiting_is_writer = in->waiting_is_writer;
	one->exited = in->exited;
	one->exit_status = in->exit_status;
	one->term_signal = in->term_signal;
	one->pid = in->pid;
	return one;
}

static void top_row(struct grid *g, const struct rect *r, const struct frame *f)
{
	struct model one;
	const struct model *m = input_view(f, &one);
	char st[64], pid[32] = "";
	enum role st_role = state(m, st, sizeof st);
	int end = r->x + r->w, x, right, used;
	bool cut;

	grid_fill(g, r->x, r->y, r->w, 1, " ", ROLE_BAR);
	/* Right to left: the state, and PAUSED before it; they always show. */
	right = pane_right(g, end - 1, r->x, r->y, st, st_role);
	right = end - 1 - right;
	if (f->o->frozen) {
		int w = pane_right(g, right - 2, r->x, r->y, "PAUSED", ROLE_WARN);
		right = right - 2 - w;
	}
	x = r->x + 1;
	x += grid_text(g, x, r->y, right - 1 - x, "gcwatch", ROLE_BAR);
	x += 2;
	if (m->spawned && m->pid > 0)
		snprintf(pid, sizeof pid, "  pid %lld", (long long)m->pid);
	/* One feed of several: its name goes first, the input's gets what
	 * is left (at least a few columns). */
	const char *feed = !f->fleet && f->feed && f->feed->name[0] ? f->feed->name : NULL;
	/* An input's own feed bears the input's name: once is enough. */
	if (feed && !strncmp(feed, m->name, sizeof f->feed->name))
		feed = NULL;
	int feed_w = feed ? 4 + (int)strnlen(feed, sizeof f->feed->name) : 0;
	int name_w = right - 2 - x - (int)strlen(pid) - feed_w;
	if (feed && name_w < 12)
		name_w = 12;
	/* The name came from the command line or the file system: it is
	 * shown through the sanitiser like the program's output. */
	used = sanitize_text(g, x, r->y, name_w, m->name,
	                     strnlen(m->name, sizeof m->name), f->gl->ascii,
	                     ROLE_BAR, &cut);
	if (cut && used > 0)
		grid_put(g, x + used - 1, r->y, f->gl->ellipsis, ROLE_BAR);
	x += used;
	x += grid_text(g, x, r->y, right - 2 - x, pid, ROLE_BAR);
	if (feed && right - 2 - x > 8) {
		x += grid_text(g, x, r->y, right - 2 - x, f->gl->ascii ? "  > " : "  › ",
		               ROLE_BAR);
		used = sanitize_text(g, x, r->y, right - 2 - x, feed,
		                     strnlen(feed, sizeof f->feed->name),
		                     f->gl->ascii, ROLE_BAR, &cut);
		if (cut && used > 0)
			grid_put(g, x + used - 1, r->y, f->gl->ellipsis, ROLE_BAR);
	}
}

/* The fleet's figures: feeds, collections, elapsed. */
static void fleet_row(struct grid *g, const struct rect *r, const struct frame *f)
{
	const struct model *m = f->m;
	char a[FMT_MAX], b[FMT_MAX], line[3 * FMT_MAX + 64];
	uint64_t gcs = 0, elapsed = 0, until = m->end_ms ? m->end_ms : f->now_ms;
	unsigned n = 0;

	for (unsigned i = 0; m->rows && i < m->nfeeds; i++)
		if (m->rows[i].count) {
			gcs += m->rows[i].count;
			n++;
		}
	if (until > m->start_ms)
		elapsed = until - m->start_ms;
	int x = r->x + 1, end = r->x + r->w;
	snprintf(line, sizeof line, "%u", n);
	x += grid_text(g, x, r->y + 1, end - x, line, ROLE_VALUE);
	x += grid_text(g, x, r->y + 1, end - x, " feeds   ", ROLE_DIM);
	x += grid_text(g, x, r->y + 1, end - x, fmt_count(a, gcs), ROLE_VALUE);
	x += grid_text(g, x, r->y + 1, end - x, " gcs   elapsed ", ROLE_DIM);
	x += grid_text(g, x, r->y + 1, end - x, fmt_elapsed(b, elapsed), ROLE_VALUE);
	if (m->feeds_refused) {
		snprintf(line, sizeof line, "   %llu records of feeds past --max-feeds refused",
		         (unsigned long long)m->feeds_refused);
		grid_text(g, x, r->y + 1, end - x, line, ROLE_WARN);
	}
}

/* A header item: a few pieces of text with their roles, dropped whole
 * when the row is too narrow, lowest priority first. */
struct part {
	char text[FMT_MAX + 16];
	enum role role;
};

struct item {
	struct part p[6];
	int np, prio;
	bool on;
};

static void add(struct item *it, enum role role, const char *text)
{
	if (it->np >= (int)(sizeof it->p / sizeof it->p[0]))
		return;
	snprintf(it->p[it->np].text, sizeof it->p[it->np].text, "%s", text);
	it->p[it->np++].role = role;
}

static int item_width(const struct item *it)
{
	int w = 0, i;
	const char *s;

	for (i = 0; i < it->np; i++)
		for (s = it->p[i].text; *s; s++)
			w += ((unsigned char)*s & 0xC0) != 0x80;
	return w;
}

#define GAP 3

static void figures_row(struct grid *g, const struct rect *r, const struct frame *f)
{
	const struct model *m = f->m;
	const struct feed *fd = f->feed;
	const struct stats *s = &fd->stats;
	struct item items[5];
	char a[FMT_MAX], b[FMT_MAX];
	double rate;
	uint64_t elapsed = 0, until;
	int n = 0, i, j, total, x;

	memset(items, 0, sizeof items);

	/* Collections and rate. */
	add(&items[n], ROLE_VALUE, fmt_count(a, s->count));
	add(&items[n], ROLE_DIM, s->count == 1 ? " gc" : " gcs");
	if (stats_metric(s, "gc.rate", &rate) == 0) {
		add(&items[n], ROLE_DIM, " ");
		add(&items[n], ROLE_VALUE, fmt_rate(b, rate));
	}
	items[n++].prio = 5;

	/* The runtime's figure is cumulative since the process started and
	 * flattens over time; the window's is what the collector costs now. */
	add(&items[n], ROLE_DIM, "GC CPU ");
	add(&items[n], ROLE_VALUE, s->cpu_pct >= 0 ? fmt_pct(a, s->cpu_pct) : "-");
	add(&items[n], ROLE_DIM, " runtime, ");
	add(&items[n], ROLE_VALUE, fmt_pct(b, f->win->cpu_pct));
	add(&items[n], ROLE_DIM, " window");
	items[n++].prio = 4;

	if (s->procs >= 0) {
		snprintf(a, sizeof a, "%d", (int)s->procs);
		add(&items[n], ROLE_VALUE, a);
		add(&items[n], ROLE_DIM, " P");
		items[n++].prio = 2;
	}

	until = m->end_ms ? m->end_ms : f->now_ms;
	if (until > m->start_ms)
		elapsed = until - m->start_ms;
	add(&items[n], ROLE_DIM, "elapsed ");
	add(&items[n], ROLE_VALUE, fmt_elapsed(a, elapsed));
	items[n++].prio = 3;

	if (s->runs > 1) {
		add(&items[n], ROLE_VALUE, fmt_count(a, s->runs));
		add(&items[n], ROLE_DIM, " runs");
		items[n++].prio = 1;
	}

	/* Drop the least important items until the rest fit. */
	for (i = 0; i < n; i++)
		items[i].on = true;
	for (;;) {
		int low = -1;

		total = 1;
		for (i = 0; i < n; i++)
			if (items[i].on)
				total += item_width(&items[i]) + GAP;
		if (total - GAP <= r->w)
			break;
		for (i = 0; i < n; i++)
			if (items[i].on && (low < 0 || items[i].prio < items[low].prio))
				low = i;
		if (low < 0)
			break;
		items[low].on = false;
	}

	x = r->x + 1;
	for (i = 0; i < n; i++) {
		if (!items[i].on)
			continue;
		for (j = 0; j < items[i].np; j++)
			x += grid_text(g, x, r->y + 1, r->x + r->w - x,
			               items[i].p[j].text, items[i].p[j].role);
		x += GAP;
	}
}

static void header_draw(struct grid *g, const struct rect *r, const struct frame *f)
{
	if (r->h < 1)
		return;
	top_row(g, r, f);
	if (r->h < 2)
		return;
	if (f->m->alert[0]) {
		/* An output failed: said first (it names a file, so through
		 * the sanitiser), the figures after it as they fit. */
		const char *a = f->m->alert;
		int used = sanitize_text(g, r->x + 1, r->y + 1, r->w - 2, a,
		                         strnlen(a, sizeof f->m->alert), f->gl->ascii,
		                         ROLE_ALERT, NULL);
		struct rect rest = *r;
		rest.x += used + 1;
		rest.w -= used + 1;
		if (rest.w > 0)
			(f->fleet ? fleet_row : figures_row)(g, &rest, f);
		return;
	}
	(f->fleet ? fleet_row : figures_row)(g, r, f);
}

const struct pane_ops pane_header = {
	.name = "header",
	.help = "source and state, collections and rate, GC CPU, P, elapsed",
	.draw = header_draw,
};
