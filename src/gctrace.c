#include "gctrace.h"

#include <stdlib.h>
#include <string.h>

#include "gcline.h"
#include "logprefix.h"

/*
 * How a torn record is put back together.
 *
 * The runtime writes a gc line token by token; a program line written in
 * one call can land between two tokens.  The stream then shows the first
 * tokens, the program's line glued after them, and the rest of the record
 * at the start of a later line.  While a record is incomplete, its lines
 * are held and a set of hypotheses is kept: each says where the runtime's
 * part of every held line ends.  A line either continues a hypothesis from
 * its start (after a log prefix, if the record had one) or is wholly the
 * program's.  The first hypothesis to reach the end of the record decides;
 * if several do with different values, the record is dropped rather than
 * guessed.
 *
 * Where a program line starts with digits, it can glue onto a runtime
 * number ("gc 2362026/11/28 ..."); the split is chosen by the runtime's
 * exact number formats, by the expected next collection number, and by the
 * shapes of the program's own lines seen whole (how many digits they start
 * with, and the character after those digits).
 */

#define MAX_HELD 512          /* lines held for one torn record */
#define ARENA_SIZE (256 * 1024)
#define MAX_HYP 64
#define MAX_PIECES 48         /* a record has ~45 tokens */
#define MAX_WAIT 256          /* lines a hypothesis may wait for its rest */
#define MAX_WAIT_WEAK 32      /* the same for a bare "gc " that may be prose */
#define KEY_DIGITS 16

struct held {
	uint32_t off;  /* in the arena */
	uint32_t len;  /* without '\n' */
	uint32_t plen; /* length to parse: without a trailing '\r' */
	uint8_t nl;    /* the line had a '\n' (stored after it) */
};

/* The runtime's bytes of one held line: [from, to).  Before from: a log
 * prefix (dropped); from to on: the program's text. */
struct piece {
	uint16_t line;
	uint32_t from, to;
};

struct hyp {
	struct gcl_state st;
	uint16_t npieces;
	uint16_t last; /* last held line that continued it */
	struct piece pieces[MAX_PIECES];
};

struct gctrace {
	struct gctrace_sink sink;
	void *ctx;
	struct gctrace_counts counts;

	/* The line being assembled (partial line), with room for '\n'. */
	char *line;
	size_t linelen;

	/* A torn record in progress. */
	int pending;
	char *arena;
	size_t arena_used;
	struct held held[MAX_HELD];
	int nheld;
	int prefixed; /* the record's first line had a log prefix */
	char source[GC_SOURCE_MAX];
	struct hyp *hyp, *next, *done;
	int nhyp, nnext, ndone;

	/* The collection number expected next, when known. */
	uint64_t last_gc;
	int have_last;

	/* Shapes of the program's whole lines: leading digit count x next
	 * byte, as a bitmap. */
	uint8_t keys[KEY_DIGITS][32];
};

/* ---------------------------------------------------------------- */

static void deliver_foreign(struct gctrace *p, const char *s, size_t len)
{
	p->counts.foreign_lines++;
	if (p->sink.foreign && len)
		p->sink.foreign(p->ctx, s, len);
}

static void key_of(const char *s, size_t n, unsigned *digits, unsigned *c)
{
	size_t i = 0;

	while (i < n && s[i] >= '0' && s[i] <= '9')
		i++;
	*digits = i < KEY_DIGITS ? (unsigned)i : KEY_DIGITS - 1;
	*c = i < n ? (unsigned char)s[i] : 0;
}

static void key_learn(struct gctrace *p, const char *s, size_t n)
{
	unsigned d, c;

	key_of(s, n, &d, &c);
	p->keys[d][c >> 3] |= (uint8_t)(1u << (c & 7));
}

static int key_known(const struct gctrace *p, const char *s, size_t n)
{
	unsigned d, c;

	key_of(s, n, &d, &c);
	return p->keys[d][c >> 3] >> (c & 7) & 1;
}

/* The first "gc" at or after from that may start a runtime line: at the
 * start or after a non-alphanumeric byte, followed by ' ' or a digit. */
static long find_gc(const char *s, size_t n, size_t from)
{
	size_t i = from;

	while (i + 3 <= n) {
		const char *g = memchr(s + i, 'g', n - i - 2);
		if (!g)
			return -1;
		i = (size_t)(g - s);
		if (s[i + 1] == 'c' && (s[i + 2] == ' ' || (s[i + 2] >= '0' && s[i + 2] <= '9'))) {
			unsigned char b = i ? (unsigned char)s[i - 1] : ' ';
			int alnum = (b >= '0' && b <= '9') || ((b | 32) >= 'a' && (b | 32) <= 'z');
			if (!alnum)
				return (long)i;
		}
		i++;
	}
	return -1;
}

static int starts(const char *s, size_t n, const char *lit)
{
	size_t l = strlen(lit);
	return n >= l && memcmp(s, lit, l) == 0;
}

static int digit_at(const char *s, size_t n, size_t i)
{
	return i < n && s[i] >= '0' && s[i] <= '9';
}

/* Other runtime lines: GC forced, scvg, scav, pacer, SCHED, init, scan. */
static int runtime_kind_at(const char *s, size_t n)
{
	if (starts(s, n, "GC forced")) {
		for (size_t i = 9; i < n; i++)
			if (s[i] != ' ' && s[i] != '\t')
				return 0;
		return GCTRACE_RT_GC_FORCED;
	}
	if (starts(s, n, "scvg")) {
		size_t i = 4;
		if (i < n && s[i] == '-')
			i++;
		while (digit_at(s, n, i))
			i++;
		return i < n && s[i] == ':' ? GCTRACE_RT_SCVG : 0;
	}
	if (starts(s, n, "forced scvg: "))
		return GCTRACE_RT_SCVG;
	if (starts(s, n, "scav ") && digit_at(s, n, 5))
		return GCTRACE_RT_SCAV;
	if (starts(s, n, "pacer: "))
		return GCTRACE_RT_PACER;
	if (starts(s, n, "SCHED ") && digit_at(s, n, 6))
		return GCTRACE_RT_SCHED;
	if (starts(s, n, "scan: "))
		return GCTRACE_RT_SCAN;
	if (starts(s, n, "init ")) {
		size_t i = 5;
		while (i < n && s[i] != ' ')
			i++;
		if (i + 2 < n && s[i + 1] == '@' && digit_at(s, n, i + 2))
			return GCTRACE_RT_INIT;
	}
	return 0;
}

static int runtime_kind(const char *s, size_t n, size_t *at)
{
	int k = runtime_kind_at(s, n);
	size_t q;

	*at = 0;
	if (!k && (q = logprefix_skip(s, n)) > 0 && (k = runtime_kind_at(s + q, n - q)))
		*at = q;
	return k;
}

/* ---------------------------------------------------------------- */

static void emit(struct gctrace *p, const struct gc_record *r)
{
	p->counts.records++;
	p->last_gc = r->gc;
	p->have_last = 1;
	if (p->sink.record)
		p->sink.record(p->ctx, r);
}

/* A whole gc line, if s[0..n) holds one from a "gc" on. */
static int parse_whole(const char *s, size_t n, size_t k, struct gc_record *r)
{
	if (digit_at(s, n, k + 2))
		return gcl_parse_pre15(s + k, n - k, r);

	struct gcl_state st;
	struct gcl_cut cuts[GCL_MAX_CUTS];
	int nc;
	gcl_start(&st);
	if (gcl_match(&st, s + k, n - k, cuts, &nc) != GCL_COMPLETE)
		return 0;
	gcl_to_record(&st, r);
	return 1;
}

int gctrace_parse_line(const char *line, size_t len, struct gc_record *out)
{
	for (long k = find_gc(line, len, 0); k >= 0; k = find_gc(line, len, (size_t)k + 1))
		if (parse_whole(line, len, (size_t)k, out))
			return 1;
	return 0;
}

/*
 * Of the places where the runtime's part of a line may end, keep those that
 * fit what is known: the collection number expected next, then the shapes
 * of the program's own lines.  Cuts that stay ambiguous are all kept; the
 * record is dropped later if they lead to different values.
 */
static int choose_cuts(const struct gctrace *p, const char *s, size_t n,
                       size_t base, const struct gcl_cut *cuts, int nc,
                       int *keep)
{
	int kept = 0;

	for (int i = 0; i < nc; i++)
		keep[i] = 1;
	if (nc <= 1)
		return nc;

	/* The collection number: the one after the last, or 1 (a restart). */
	if (cuts[0].num_field == GCL_F_GC && p->have_last) {
		for (uint64_t want = p->last_gc + 1, pass = 0; pass < 2; pass++, want = 1) {
			int any = 0;
			for (int i = 0; i < nc; i++)
				if (cuts[i].digits && (uint64_t)cuts[i].st.v[GCL_F_GC] == want)
					any = 1;
			if (!any)
				continue;
			for (int i = 0; i < nc; i++)
				keep[i] = cuts[i].digits &&
				          (uint64_t)cuts[i].st.v[GCL_F_GC] == want;
			break;
		}
	}

	/* The shape of the program's text that follows each cut. */
	int known = 0;
	for (int i = 0; i < nc; i++)
		if (keep[i] && key_known(p, s + base + cuts[i].pos, n - base - cuts[i].pos))
			known++;
	if (known) {
		for (int i = 0; i < nc; i++)
			if (keep[i] && !key_known(p, s + base + cuts[i].pos,
			                          n - base - cuts[i].pos))
				keep[i] = 0;
	} else {
		/* Nothing seen yet: a program line that starts with a letter
		 * or a bracket after a number almost surely starts there. */
		int best = -1;
		for (int i = 0; i < nc; i++)
			if (keep[i] && (best < 0 || cuts[i].pos > cuts[best].pos))
				best = i;
		size_t at = base + cuts[best].pos;
		unsigned char c = at < n ? (unsigned char)s[at] : 0;
		if (((c | 32) >= 'a' && (c | 32) <= 'z') || c == '[' || c == '{' ||
		    c == '<' || c == '"') {
			for (int i = 0; i < nc; i++)
				keep[i] = i == best;
		}
	}
	for (int i = 0; i < nc; i++)
		kept += keep[i];
	return kept;
}

/* ---------------------------------------------------------------- */

static const char *held_text(const struct gctrace *p, int i)
{
	return p->arena + p->held[i].off;
}

static int hold(struct gctrace *p, const char *s, size_t n, size_t plen, int nl)
{
	if (p->nheld >= MAX_HELD || p->arena_used + n + 1 > ARENA_SIZE)
		return 0;
	struct held *h = &p->held[p->nheld++];
	h->off = (uint32_t)p->arena_used;
	h->len = (uint32_t)n;
	h->plen = (uint32_t)plen;
	h->nl = (uint8_t)nl;
	memcpy(p->arena + p->arena_used, s, n);
	p->arena[p->arena_used + n] = '\n';
	p->arena_used += n + 1;
	return 1;
}

static void pending_clear(struct gctrace *p)
{
	p->pending = 0;
	p->nheld = 0;
	p->arena_used = 0;
	p->nhyp = 0;
	p->source[0] = 0;
}

/* Give up on the record: every held line goes out as it came. */
static void pending_drop(struct gctrace *p)
{
	int real = 0;

	for (int i = 0; i < p->nhyp; i++)
		if (gcl_is_strong(&p->hyp[i].st) || p->hyp[i].npieces > 1)
			real = 1;
	if (real)
		p->counts.torn_dropped++;
	for (int i = 0; i < p->nheld; i++)
		deliver_foreign(p, held_text(p, i), p->held[i].len + p->held[i].nl);
	pending_clear(p);
}

/* The record is whole: emit it and the program's text around it. */
static void pending_resolve(struct gctrace *p, const struct hyp *h)
{
	struct gc_record r;
	int k = 0;

	gcl_to_record(&h->st, &r);
	memcpy(r.source, p->source, sizeof r.source);
	if (h->npieces > 1)
		p->counts.torn_recovered++;
	emit(p, &r);
	for (int i = 0; i < p->nheld; i++) {
		const char *s = held_text(p, i);
		const struct held *l = &p->held[i];
		if (k < h->npieces && h->pieces[k].line == i) {
			const struct piece *pc = &h->pieces[k++];
			/* The last piece ends the record: its newline is the
			 * runtime's.  Elsewhere the newline ends the program's
			 * line glued after the runtime's part. */
			if (k == h->npieces)
				continue;
			deliver_foreign(p, s + pc->to, l->len - pc->to + l->nl);
		} else {
			deliver_foreign(p, s + 0, l->len + l->nl);
		}
	}
	pending_clear(p);
}

static void hyp_add(struct gctrace *p, struct hyp *set, int *nset,
                    const struct hyp *from, const struct gcl_state *st,
                    uint16_t line, uint32_t a, uint32_t b)
{
	if (from && from->npieces >= MAX_PIECES)
		return;
	if (*nset >= MAX_HYP) {
		/* Full: replace the one that has waited longest. */
		int worst = 0;
		for (int i = 1; i < *nset; i++)
			if (set[i].last < set[worst].last)
				worst = i;
		if (set[worst].last >= line)
			return;
		set[worst] = set[--(*nset)];
	}
	struct hyp *h = &set[(*nset)++];
	if (from) {
		h->npieces = from->npieces;
		memcpy(h->pieces, from->pieces, from->npieces * sizeof h->pieces[0]);
	} else {
		h->npieces = 0;
	}
	h->st = *st;
	h->last = line;
	h->pieces[h->npieces++] = (struct piece){line, a, b};
}

/* Pick among hypotheses that reached the end of the record. */
static const struct hyp *pick(struct gctrace *p)
{
	int alive[MAX_HYP], n = p->ndone;
	struct gc_record a, b;

	if (n == 1)
		return &p->done[0];
	for (int i = 0; i < n; i++)
		alive[i] = 1;
	/* Prefer plausible values, then the expected number. */
	for (int pass = 0; pass < 2; pass++) {
		int any = 0, ok[MAX_HYP];
		for (int i = 0; i < n; i++) {
			ok[i] = alive[i] &&
			        (pass == 0 ? gcl_plausible(&p->done[i].st)
			                   : p->have_last &&
			                     (uint64_t)p->done[i].st.v[GCL_F_GC] == p->last_gc + 1);
			any |= ok[i];
		}
		if (any)
			memcpy(alive, ok, sizeof alive);
	}
	int first = -1;
	for (int i = 0; i < n; i++) {
		if (!alive[i])
			continue;
		if (first < 0) {
			first = i;
			gcl_to_record(&p->done[i].st, &a);
			continue;
		}
		gcl_to_record(&p->done[i].st, &b);
		if (!gcrecord_equal(&a, &b))
			return NULL;
	}
	return first >= 0 ? &p->done[first] : NULL;
}

/* Try to continue hypothesis h with held line li at offset q. */
static void continue_hyp(struct gctrace *p, const struct hyp *h, int li, size_t q)
{
	const char *s = held_text(p, li);
	size_t n = p->held[li].plen;
	struct gcl_state st = h->st;
	struct gcl_cut cuts[GCL_MAX_CUTS];
	int nc, keep[GCL_MAX_CUTS];

	switch (gcl_match(&st, s + q, n - q, cuts, &nc)) {
	case GCL_COMPLETE:
		hyp_add(p, p->done, &p->ndone, h, &st, (uint16_t)li, (uint32_t)q,
		        (uint32_t)n);
		break;
	case GCL_PARTIAL:
		choose_cuts(p, s, n, q, cuts, nc, keep);
		for (int i = 0; i < nc; i++)
			if (keep[i] && cuts[i].pos > 0)
				hyp_add(p, p->next, &p->nnext, h, &cuts[i].st,
				        (uint16_t)li, (uint32_t)q,
				        (uint32_t)(q + cuts[i].pos));
		break;
	case GCL_NONE:
		break;
	}
}

static void fresh_line(struct gctrace *p, const char *s, size_t n, size_t m, int nl);

/* Does this line begin something the runtime prints on its own? */
static int starts_runtime_line(const char *s, size_t m)
{
	size_t at;
	struct gc_record r;

	if (runtime_kind(s, m, &at))
		return 1;
	for (long k = find_gc(s, m, 0); k >= 0; k = find_gc(s, m, (size_t)k + 1)) {
		if (digit_at(s, m, (size_t)k + 2)) {
			if (gcl_parse_pre15(s + k, m - (size_t)k, &r))
				return 1;
			continue;
		}
		struct gcl_state st;
		struct gcl_cut cuts[GCL_MAX_CUTS];
		int nc;
		gcl_start(&st);
		enum gcl_result res = gcl_match(&st, s + k, m - (size_t)k, cuts, &nc);
		if (res == GCL_COMPLETE || gcl_is_strong(&st))
			return 1;
		for (int i = 0; i < nc; i++)
			if (gcl_is_strong(&cuts[i].st))
				return 1;
	}
	return 0;
}

static void pending_line(struct gctrace *p, const char *s, size_t n, size_t m, int nl)
{
	/* The runtime prints one line at a time (printlock): a new runtime
	 * line means the held record will never be finished. */
	if (starts_runtime_line(s, m) || !hold(p, s, n, m, nl)) {
		pending_drop(p);
		fresh_line(p, s, n, m, nl);
		return;
	}
	int li = p->nheld - 1;
	size_t q = p->prefixed ? logprefix_skip(s, m) : 0;

	p->nnext = 0;
	p->ndone = 0;
	for (int i = 0; i < p->nhyp; i++) {
		const struct hyp *h = &p->hyp[i];
		continue_hyp(p, h, li, 0);
		if (q)
			continue_hyp(p, h, li, q);
		/* Or the whole line is the program's. */
		int limit = gcl_is_strong(&h->st) || h->npieces > 1 ? MAX_WAIT
		                                                    : MAX_WAIT_WEAK;
		if (li - h->last < limit && p->nnext < MAX_HYP)
			p->next[p->nnext++] = *h;
	}
	if (p->ndone) {
		const struct hyp *h = pick(p);
		if (h)
			pending_resolve(p, h);
		else
			pending_drop(p);
		return;
	}
	struct hyp *t = p->hyp;
	p->hyp = p->next;
	p->next = t;
	p->nhyp = p->nnext;
	if (p->nhyp == 0)
		pending_drop(p);
}

/* A line with no record in progress. */
static void fresh_line(struct gctrace *p, const char *s, size_t n, size_t m, int nl)
{
	struct gc_record r;

	for (long k = find_gc(s, m, 0); k >= 0; k = find_gc(s, m, (size_t)k + 1)) {
		size_t at = (size_t)k;
		if (digit_at(s, m, at + 2)) {
			if (gcl_parse_pre15(s + at, m - at, &r)) {
				logprefix_source(s, at, r.source, sizeof r.source);
				emit(p, &r);
				return;
			}
			continue;
		}
		struct gcl_state st;
		struct gcl_cut cuts[GCL_MAX_CUTS];
		int nc, keep[GCL_MAX_CUTS];
		gcl_start(&st);
		enum gcl_result res = gcl_match(&st, s + at, m - at, cuts, &nc);
		if (res == GCL_COMPLETE) {
			gcl_to_record(&st, &r);
			logprefix_source(s, at, r.source, sizeof r.source);
			emit(p, &r);
			return;
		}
		if (res != GCL_PARTIAL || nc == 0)
			continue;
		/* A record that stops early: torn, or "gc " in prose.  Only
		 * a strong start may sit anywhere; a weak one must begin the
		 * line or follow a log prefix. */
		int strong = 0;
		for (int i = 0; i < nc; i++)
			strong |= gcl_is_strong(&cuts[i].st);
		if (!strong && at != 0 && at != logprefix_skip(s, m))
			continue;
		choose_cuts(p, s, m, at, cuts, nc, keep);
		if (!hold(p, s, n, m, nl))
			break;
		p->pending = 1;
		p->prefixed = at > 0;
		logprefix_source(s, at, p->source, sizeof p->source);
		for (int i = 0; i < nc; i++)
			if (keep[i])
				hyp_add(p, p->hyp, &p->nhyp, NULL, &cuts[i].st, 0,
				        (uint32_t)at, (uint32_t)(at + cuts[i].pos));
		if (p->nhyp == 0)
			pending_drop(p);
		return;
	}

	size_t at;
	int kind = runtime_kind(s, m, &at);
	if (kind) {
		p->counts.runtime_lines++;
		if (p->sink.runtime)
			p->sink.runtime(p->ctx, (enum gctrace_rt)kind, s + at, m - at);
		return;
	}
	key_learn(p, s, m);
	deliver_foreign(p, s, n + (size_t)nl);
}

/* One line: s[0..n), followed in memory by '\n' when nl. */
static void process_line(struct gctrace *p, const char *s, size_t n, int nl)
{
	size_t m = n;

	if (m && s[m - 1] == '\r')
		m--;
	p->counts.lines++;
	if (p->pending)
		pending_line(p, s, n, m, nl);
	else
		fresh_line(p, s, n, m, nl);
}

/* A piece cut from an over-long line: never a record. */
static void long_piece(struct gctrace *p, const char *s, size_t n)
{
	if (p->pending)
		pending_drop(p);
	p->counts.long_pieces++;
	deliver_foreign(p, s, n);
}

/* Bytes with no newline: into the partial line, in pieces if too long. */
static void stash(struct gctrace *p, const char *s, size_t n)
{
	while (n) {
		if (p->linelen == GCTRACE_LINE_MAX) {
			long_piece(p, p->line, p->linelen);
			p->linelen = 0;
		}
		size_t k = GCTRACE_LINE_MAX - p->linelen;
		if (k > n)
			k = n;
		memcpy(p->line + p->linelen, s, k);
		p->linelen += k;
		s += k;
		n -= k;
	}
}

void gctrace_feed(struct gctrace *p, const char *buf, size_t len)
{
	p->counts.bytes += len;
	while (len) {
		const char *nlp = memchr(buf, '\n', len);
		if (!nlp) {
			stash(p, buf, len);
			return;
		}
		size_t n = (size_t)(nlp - buf);
		if (p->linelen) {
			stash(p, buf, n);
			p->line[p->linelen] = '\n';
			process_line(p, p->line, p->linelen, 1);
			p->linelen = 0;
		} else {
			/* Straight from the caller's buffer: the common case. */
			const char *s = buf;
			size_t rest = n;
			while (rest > GCTRACE_LINE_MAX) {
				long_piece(p, s, GCTRACE_LINE_MAX);
				s += GCTRACE_LINE_MAX;
				rest -= GCTRACE_LINE_MAX;
			}
			process_line(p, s, rest, 1);
		}
		buf += n + 1;
		len -= n + 1;
	}
}

void gctrace_finish(struct gctrace *p)
{
	if (p->linelen) {
		process_line(p, p->line, p->linelen, 0);
		p->linelen = 0;
	}
	if (p->pending)
		pending_drop(p);
}

void gctrace_idle(struct gctrace *p)
{
	if (p->pending)
		pending_drop(p);
	/* A partial line that may be a runtime line in the making stays;
	 * anything else is the program's prompt or progress text. */
	if (p->linelen && find_gc(p->line, p->linelen, 0) < 0 &&
	    !runtime_kind_at(p->line, p->linelen)) {
		deliver_foreign(p, p->line, p->linelen);
		p->linelen = 0;
	}
}

const struct gctrace_counts *gctrace_counts(const struct gctrace *p)
{
	return &p->counts;
}

struct gctrace *gctrace_new(const struct gctrace_sink *sink, void *ctx)
{
	struct gctrace *p = calloc(1, sizeof *p);

	if (!p)
		return NULL;
	p->line = malloc(GCTRACE_LINE_MAX + 1);
	p->arena = malloc(ARENA_SIZE);
	p->hyp = malloc(MAX_HYP * sizeof *p->hyp);
	p->next = malloc(MAX_HYP * sizeof *p->next);
	p->done = malloc(MAX_HYP * sizeof *p->done);
	if (!p->line || !p->arena || !p->hyp || !p->next || !p->done) {
		gctrace_free(p);
		return NULL;
	}
	if (sink)
		p->sink = *sink;
	p->ctx = ctx;
	return p;
}

void gctrace_free(struct gctrace *p)
{
	if (!p)
		return;
	free(p->line);
	free(p->arena);
	free(p->hyp);
	free(p->next);
	free(p->done);
	free(p);
}
