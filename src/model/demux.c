#include "model/demux.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "trace/gcline.h"
#include "trace/logprefix.h"

int demux_init(struct demux *d, struct model *m, demux_deliver_fn deliver, void *ctx)
{
	return demux_init_named(d, m, deliver, ctx, NULL, 0);
}

/* Append s to out (of cap bytes, holding *k), cut to fit. */
static void put(char *out, size_t cap, size_t *k, const char *s)
{
	size_t n = strlen(s);

	if (n > cap - 1 - *k)
		n = cap - 1 - *k;
	memcpy(out + *k, s, n);
	*k += n;
	out[*k] = 0;
}

void demux_name(const struct demux *d, const char *key, char *out, size_t cap)
{
	size_t k = 0;

	if (!cap)
		return;
	out[0] = 0;
	put(out, cap, &k, d->prefix);
	if (d->prefix[0] && key[0])
		put(out, cap, &k, ": ");
	put(out, cap, &k, key);
}

/* The feed of key in this input (demux_name), made when new and told its
 * input; NULL past max_feeds. */
static struct feed *feed_of(struct demux *d, const char *key)
{
	char name[FEED_NAME_MAX];

	demux_name(d, key, name, sizeof name);
	struct feed *f = model_feed(d->m, name);
	if (f)
		f->input = d->input;
	return f;
}

/* The feed of key, if there is one. */
static struct feed *find_of(const struct demux *d, const char *key)
{
	char name[FEED_NAME_MAX];

	demux_name(d, key, name, sizeof name);
	return model_find(d->m, name);
}

int demux_init_named(struct demux *d, struct model *m, demux_deliver_fn deliver, void *ctx,
                     const char *prefix, unsigned input)
{
	memset(d, 0, sizeof *d);
	d->m = m;
	d->deliver = deliver;
	d->ctx = ctx;
	d->input = input;
	snprintf(d->prefix, sizeof d->prefix, "%s", prefix ? prefix : "");
	d->q = malloc(DEMUX_QUEUE * sizeof *d->q);
	d->bound = malloc(DEMUX_TRACKS * sizeof *d->bound);
	d->own = feed_of(d, "");
	return d->own && d->q && d->bound ? 0 : -1;
}

void demux_free(struct demux *d)
{
	free(d->q);
	free(d->bound);
	d->q = NULL;
	d->bound = NULL;
}

unsigned demux_held(const struct demux *d)
{
	return d->qlen;
}

/* ---- delivery, in the input's order ---------------------------------- */

static void send(struct demux *d, struct feed *f, const struct gc_record *r, uint64_t now_ms)
{
	if (!f) {
		d->refused++;
		d->m->feeds_refused++;
	}
	if (!d->deliver)
		return;
	if (r->source[0] || !f || !f->name[0]) {
		d->deliver(d->ctx, f, r, now_ms);
		return;
	}
	/* Named here: the record says which process. */
	struct gc_record c = *r;
	size_t n = strlen(f->name) < sizeof c.source - 1 ? strlen(f->name) : sizeof c.source - 1;
	memcpy(c.source, f->name, n);
	c.source[n] = 0;
	d->deliver(d->ctx, f, &c, now_ms);
}

static void release(struct demux *d)
{
	while (d->qlen && d->q[d->qhead].track < 0) {
		struct demux_held *h = &d->q[d->qhead];
		d->qhead = (d->qhead + 1) % DEMUX_QUEUE;
		d->qlen--;
		send(d, h->f, &h->r, h->now_ms);
	}
}

static void push(struct demux *d, const struct gc_record *r, uint64_t now_ms, int track,
                 struct feed *f)
{
	if (!d->qlen && track < 0) {
		send(d, f, r, now_ms);
		return;
	}
	struct demux_held *h = &d->q[(d->qhead + d->qlen++) % DEMUX_QUEUE];
	h->r = *r;
	h->now_ms = now_ms;
	h->track = track;
	h->f = f;
}

/* ---- processes ----------------------------------------------------------- */

/* The lowest bit of *m, taken off it: for (m = set; m;) i = take(&m). */
static inline int take(uint64_t *m)
{
	int i = __builtin_ctzll(*m);

	*m &= *m - 1;
	return i;
}

/* Track i is free again. */
static void unuse(struct demux *d, int i)
{
	d->tracks[i].used = 0;
	d->used &= ~(1ull << i);
	d->undecided &= ~(1ull << i);
	d->blocks &= ~(1ull << i);
}

static int decided(const struct demux_track *t)
{
	return t->used && !t->maybe && t->began == 0;
}

/* A feed for a new unprefixed process: the input's own for the first;
 * then "#N", and the first becomes "#1". */
static struct feed *new_feed(struct demux *d)
{
	char name[16];

	if (d->nunnamed++ == 0)
		return d->own;
	snprintf(name, sizeof name, "#%u", d->nunnamed);
	struct feed *f = find_of(d, name) ? NULL : feed_of(d, name);
	if (f && !strcmp(d->own->name, d->prefix)) {
		demux_name(d, "#1", d->own->name, sizeof d->own->name);
		d->own->version++;
		d->m->version++;
	}
	return f;
}

static void forget_bit(struct demux *d, int i);

/* Track u's run is decided: it goes to feed f.  Its held records too. */
static void settle(struct demux *d, int u, struct feed *f)
{
	struct demux_track *t = &d->tracks[u];

	t->feed = f;
	t->maybe = 0;
	t->began = 0;
	d->undecided &= ~(1ull << u);
	for (unsigned k = 0; k < d->qlen; k++) {
		struct demux_held *h = &d->q[(d->qhead + k) % DEMUX_QUEUE];
		if (h->track == u) {
			h->track = -1;
			h->f = f;
		}
	}
}

/* How far apart two sizes are, as a ratio (unknown: 0). */
static double apart(int64_t a, int64_t b)
{
	if (a < 0 || b < 0)
		return 0;
	return fabs(log((double)(a + 1) / (double)(b + 1)));
}

/* How unlike the beginnings of two runs are (0: alike). */
static double unlike(const struct demux_track *a, const struct demux_track *b)
{
	int n = a->nsig < b->nsig ? a->nsig : b->nsig;
	double sum = 0;

	if (!n)
		return 1e9;
	for (int k = 0; k < n; k++)
		sum += apart(a->sig_at[k], b->sig_at[k]) + apart(a->sig_live[k], b->sig_live[k]) +
		       apart(a->sig_goal[k], b->sig_goal[k]);
	return sum / n;
}

/* The look-ahead of track u ends: a restart of the process that collected
 * last among those it may restart (the same P and era first), or a new
 * process when there is none. */
static void decide(struct demux *d, int u)
{
	struct demux_track *t = &d->tracks[u];
	int best = -1, best_same = 0;
	double best_unlike = 0;

	/* The runs it may restart began before it: theirs first.  (Bits
	 * are only ever cleared meanwhile: each is looked at again.) */
	for (uint64_t m = t->maybe; m;) {
		int i = take(&m);
		if ((t->maybe & (1ull << i)) && !decided(&d->tracks[i]))
			decide(d, i);
	}
	if (decided(t))
		return;
	for (uint64_t m = t->maybe; m;) {
		int i = take(&m);
		const struct demux_track *c = &d->tracks[i];
		int same = c->procs == t->procs && c->era == t->era;
		double un = unlike(t, c);
		if (best < 0 || same > best_same ||
		    (same == best_same && (un < best_unlike - 1e-9 ||
		                           (un < best_unlike + 1e-9 && c->seen > d->tracks[best].seen))))
			best = i, best_same = same, best_unlike = un;
	}
	if (best < 0) {
		settle(d, u, new_feed(d));
		return;
	}
	struct feed *f = d->tracks[best].feed;
	d->restarts++;
	/* That process is gone: its feed goes on with this run.  (It is
	 * kept, retired: if it collects again it was alive after all.) */
	settle(d, u, f);
	d->tracks[best].retired = 1;
	d->tracks[best].feed = NULL;
	forget_bit(d, best);
}

/* Track i no longer stands for a process that others may restart (it
 * collected again, or was restarted, or forgotten). */
static void forget_bit(struct demux *d, int i)
{
	/* Only an undecided track has maybe bits. */
	for (uint64_t m = d->undecided; m;) {
		int k = take(&m);
		struct demux_track *t = &d->tracks[k];
		if (!t->used || !(t->maybe & (1ull << i)))
			continue;
		t->maybe &= ~(1ull << i);
		if (!t->maybe)
			settle(d, k, new_feed(d));
	}
}


/* When r's collection ended in its process's time, us; GC_NULL. */
static int64_t end_of(const struct gc_record *r)
{
	if (r->at_ms < 0)
		return GC_NULL;
	int64_t e = r->at_ms * 1000;
	if (r->clock_sweep_term_us > 0)
		e += r->clock_sweep_term_us;
	if (r->clock_mark_us > 0)
		e += r->clock_mark_us;
	if (r->clock_mark_term_us > 0)
		e += r->clock_mark_term_us;
	return e;
}

#define NO_BOUND INT64_MAX

/* How far (us, beyond the slack) a record of track q ending at e, coming
 * now, contradicts the order of the records before it: each other
 * process's last record ended no later, so start(p) - start(q) <=
 * e - end(p), while p's records after q's say start(q) - start(p) <=
 * bound[q][p]. */
static int64_t violation(const struct demux *d, int q, int64_t e)
{
	int64_t worst = 0;

	if (e == GC_NULL)
		return 0;
	for (uint64_t m = d->used; m;) {
		int p = take(&m);
		const struct demux_track *t = &d->tracks[p];
		if (p == q || !t->used || t->end == GC_NULL || d->bound[q][p] == NO_BOUND)
			continue;
		int64_t pq = e - t->end;
		if (d->bound[p][q] < pq)
			pq = d->bound[p][q];
		int64_t v = -(pq + d->bound[q][p]) - DEMUX_SLACK_US;
		if (v > worst)
			worst = v;
	}
	return worst;
}

/* Record ending at e went to track q: what it says of the starts. */
static void order_add(struct demux *d, int q, int64_t e, uint64_t now_ms)
{
	if (e == GC_NULL)
		return;
	for (uint64_t m = d->used; m;) {
		int p = take(&m);
		const struct demux_track *t = &d->tracks[p];
		if (p == q || !t->used || t->end == GC_NULL)
			continue;
		if (e - t->end < d->bound[p][q])
			d->bound[p][q] = e - t->end;
	}
	d->tracks[q].end = e;
	d->tracks[q].lag = (int64_t)now_ms * 1000 - e;
}

/* A slot taken by a new run knows nothing of the order yet. */
static void order_reset(struct demux *d, int q)
{
	for (int p = 0; p < DEMUX_TRACKS; p++)
		d->bound[p][q] = d->bound[q][p] = NO_BOUND;
	d->tracks[q].end = GC_NULL;
}

/* The process record r continues, or -1: the same P, era and globals,
 * the next number (or a few further), "@" not earlier; the one whose heap
 * it follows best. */
static int continued(const struct demux *d, const struct gc_record *r, uint64_t now_ms)
{
	int64_t e = end_of(r);
	int best = -1;
	double best_cost = 0;

	for (uint64_t m = d->used; m;) {
		int i = take(&m);
		const struct demux_track *t = &d->tracks[i];
		if (!t->used || r->procs != t->procs || r->era != t->era || r->gc <= t->gc ||
		    r->gc > t->gc + DEMUX_GAP)
			continue;
		if (r->at_ms >= 0 && t->at >= 0 && r->at_ms < t->at)
			continue;
		if (r->globals_mb >= 0 && t->globals >= 0 && r->globals_mb != t->globals)
			continue;
		/* A tool's output is printed whole, in one write: its next
		 * record follows its last without a gap (gc 16 of the go
		 * command after a compiler's gc 11 is the go command's). */
		if (t->block && r->gc != t->gc + 1)
			continue;
		/* Numbers skipped weigh most (a record lost is rare); then
		 * the order (a relay that buffers delays a whole process's
		 * lines, so it is weighed, not a bar); then heaps and time. */
		double cost = 30.0 * (double)(r->gc - t->gc - 1) + apart(r->heap_start_mb, t->goal) +
		              apart(r->heap_live_mb, t->live);
		if (r->cpu_pct >= 0 && t->cpu >= 0)
			cost += 0.1 * fabs((double)(r->cpu_pct - t->cpu));
		/* Its start as the arrival says (read from a file, all at
		 * once: the nearest "@" then). */
		if (e != GC_NULL && t->end != GC_NULL)
			cost += fabs((double)((int64_t)now_ms * 1000 - e - t->lag)) / 20000.0;
		int64_t v = violation(d, i, e);
		if (v > 0)
			cost += 5.0 + (double)v / 10000.0;
		if (best < 0 || cost < best_cost)
			best = i, best_cost = cost;
	}
	return best;
}

static void track_set(struct demux_track *t, const struct gc_record *r, uint64_t seen)
{
	if (t->nsig < DEMUX_SIG) {
		t->sig_at[t->nsig] = r->at_ms;
		t->sig_live[t->nsig] = r->heap_live_mb;
		t->sig_goal[t->nsig++] = r->heap_goal_mb;
	}
	t->used = 1;
	t->gc = r->gc;
	t->at = r->at_ms;
	t->goal = r->heap_goal_mb;
	t->live = r->heap_live_mb;
	t->globals = r->globals_mb;
	t->procs = r->procs;
	t->cpu = r->cpu_pct;
	t->era = r->era;
	t->seen = seen;
}

/* A slot for a new run: a free one, or the decided one seen longest ago. */
static int slot(struct demux *d)
{
	int old = -1;

	if (~d->used)
		return __builtin_ctzll(~d->used); /* the first free */
	for (int i = 0; i < DEMUX_TRACKS; i++) {
		if (decided(&d->tracks[i]) && (old < 0 || d->tracks[i].seen < d->tracks[old].seen))
			old = i;
	}
	if (old < 0) {
		/* Every slot undecided (64 runs at once): the oldest ends now. */
		old = 0;
		for (int i = 1; i < DEMUX_TRACKS; i++)
			if (d->tracks[i].began < d->tracks[old].began)
				old = i;
		decide(d, old);
		if (!d->tracks[old].used)
			return old;
	}
	unuse(d, old);
	forget_bit(d, old);
	return old;
}

/* End the look-ahead of runs that have had theirs. */
static void expire(struct demux *d, uint64_t now_ms, int all)
{
	/* decide() frees and settles tracks, never takes one: each is
	 * looked at again. */
	for (uint64_t m = d->undecided; m;) {
		int i = take(&m);
		struct demux_track *t = &d->tracks[i];
		if (!t->used || decided(t))
			continue;
		if (all || d->seen - t->began >= DEMUX_LOOKAHEAD ||
		    now_ms >= t->began_ms + DEMUX_HOLD_MS)
			decide(d, i);
	}
}

/* A tool's output printed by the go command is over at the first line or
 * record not its own. */
static void blocks_end(struct demux *d)
{
	for (uint64_t m = d->blocks; m;) {
		int i = take(&m);
		if (d->tracks[i].used && d->tracks[i].block)
			unuse(d, i);
	}
}

static void unprefixed(struct demux *d, const struct gc_record *r, uint64_t now_ms)
{
	int i = continued(d, r, now_ms);

	d->seen++;
	if (i >= 0) {
		/* A process that collects again is alive: no run is its
		 * restart. */
		forget_bit(d, i);
		if (!d->tracks[i].block)
			blocks_end(d);
		if (d->tracks[i].retired) {
			/* A process taken for ended, its run for another's
			 * restart, collects again: it was alive.  Where the go
			 * command prints, that is the go command, waiting for
			 * the program it runs (go run, go test), which is the
			 * input's own feed: its feed is "go", a tool's. */
			struct feed *f = d->go ? feed_of(d, "go") : new_feed(d);
			if (f && d->go)
				f->tool = true;
			d->tracks[i].retired = 0;
			settle(d, i, f);
		}
		track_set(&d->tracks[i], r, d->seen);
	} else {
		blocks_end(d);
		i = slot(d);
		struct demux_track *t = &d->tracks[i];
		/* Any process seen may have ended, this run its restart,
		 * even one whose own run is still being decided. */
		uint64_t maybe = 0;
		for (uint64_t m = d->used & ~(1ull << i); m;) {
			int k = take(&m);
			if (!d->tracks[k].block && !d->tracks[k].retired)
				maybe |= 1ull << k;
		}
		order_reset(d, i);
		t->nsig = 0;
		track_set(t, r, d->seen);
		d->used |= 1ull << i;
		t->feed = NULL;
		t->maybe = maybe;
		t->began = d->seen;
		t->began_ms = now_ms;
		t->block = 0;
		t->retired = 0;
		d->undecided |= 1ull << i;
		d->blocks &= ~(1ull << i);
		if (d->header[0]) {
			/* The tool the go command just named. */
			t->block = 1;
			d->blocks |= 1ull << i;
			t->maybe = 0;
			struct feed *f = feed_of(d, d->header);
			if (f)
				f->ended = f->tool = true;
			d->go = 1;
			settle(d, i, f);
			d->header[0] = 0;
		} else if (!maybe) {
			settle(d, i, new_feed(d));
		}
	}
	order_add(d, i, end_of(r), now_ms);
	struct demux_track *t = &d->tracks[i];
	if (decided(t))
		push(d, r, now_ms, -1, t->feed);
	else
		push(d, r, now_ms, i, NULL);
}

void demux_record(struct demux *d, const struct gc_record *r, uint64_t now_ms)
{
	/* Room first: a full queue ends the oldest look-ahead. */
	while (d->qlen == DEMUX_QUEUE) {
		int u = d->q[d->qhead].track;
		d->forced++;
		decide(d, u);
		release(d);
	}
	if (r->source[0])
		push(d, r, now_ms, -1, feed_of(d, r->source));
	else
		unprefixed(d, r, now_ms);
	expire(d, now_ms, 0);
	release(d);
}

void demux_tick(struct demux *d, uint64_t now_ms)
{
	expire(d, now_ms, 0);
	release(d);
}

void demux_flush(struct demux *d)
{
	expire(d, 0, 1);
	release(d);
}

void demux_text(struct demux *d, const char *s, size_t n)
{
	blocks_end(d);
	d->header[0] = 0;
	/* "# PKG\n": PKG an import path (or "command-line-arguments"),
	 * perhaps with its test variant ("# p [p.test]").  The
	 * go command's own "gc " may come before it, from a record of its
	 * torn there and lost ("gc # internal/syscall/execenv"). */
	const char *head = s;
	while (n >= 3 && !memcmp(s, "gc ", 3))
		s += 3, n -= 3;
	/* Or more of it, up to any place a gc line's piece may end ("gc 4
	 * @0.050s 4%: 0.076+9.9# internal/cpu"): the header is the tail. */
	const char *h = head == s ? NULL : memmem(s, n, "# ", 2);
	if (h) {
		struct gcl_state st;
		struct gcl_cut cuts[GCL_MAX_CUTS];
		int nc = 0;
		gcl_start(&st);
		if (gcl_match(&st, head, (size_t)(h - head), cuts, &nc) == GCL_PARTIAL && nc &&
		    cuts[nc - 1].pos == (size_t)(h - head))
			n -= (size_t)(h - s), s = h;
	}
	/* Its newline may come later, when the go command's record ends with
	 * " P", then the header, then the runtime's "\n" (the parser reads
	 * the first newline as the runtime's). */
	size_t e = n && s[n - 1] == '\n' ? n - 1 : n;
	if (e < 3 || s[0] != '#' || s[1] != ' ' || e - 2 >= sizeof d->header)
		return;
	/* (A test variant: "# p [p.test]".) */
	for (size_t i = 2; i < e; i++)
		if ((unsigned char)s[i] < ' ' || (unsigned char)s[i] >= 0x7f ||
		    (s[i] == ' ' && (i == 2 || s[i + 1] != '[')))
			return;
	memcpy(d->header, s + 2, e - 2);
	d->header[e - 2] = 0;
}

struct feed *demux_line(struct demux *d, const char *s, size_t n)
{
	char key[GC_SOURCE_MAX];

	if (d->m->nfeeds < 2)
		return d->own;
	logprefix_source(s, n, key, sizeof key);
	/* Only feeds that records made: a line's prefix never creates one,
	 * so prefixed program text with no collections stays one feed. */
	struct feed *f = key[0] ? find_of(d, key) : NULL;
	return f ? f : d->own;
}
