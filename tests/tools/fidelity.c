/*
 * fidelity - measures how many gc records the parser reads back from torn
 * streams, family by family, and whether it counts every loss exactly.
 *
 *   fidelity [-c] [-s SEEDS] [-f GROUP] [-n NAME] CORPUS_DIR
 *
 * Each family builds streams from the real gc lines of the corpus (Go 1.5
 * and later, renumbered, "@" made increasing), cut where the runtime's
 * write(2) calls fall, with the program's own writes landing between
 * them, then prefixed line by line as a log collector would.  Every byte
 * is tagged with its writer (runtime record, other runtime line, program,
 * collector), so the truth is known exactly:
 *
 *   expected  records in the stream
 *   exact     records emitted equal to the truth, source included
 *   dropped   the parser's own torn_dropped count
 *   wrong     emitted with the number and time of a real record but
 *             another value (must be 0)
 *   invented  emitted with no such record (must be 0)
 *   loss      expected - exact; "="  when dropped equals it
 *   text      the program's text came out exactly: every line minus the
 *             runtime's bytes (a line that held bytes of a lost record
 *             comes out whole), the collector's prefix kept
 *
 * Families: prefix (whole program lines behind every collector prefix),
 * first (each logger's shape glued on from the first line), frag, self
 * (the runtime's own torn lines), gobuild (the go command's lines with
 * its tools' output between and inside them), two (two runtimes).
 *
 * -c: exit 1 unless wrong = invented = 0, dropped = loss and the text is
 * exact in every family, and the families marked with a target reach it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "trace/gctrace.h"

/* Owners of bytes. */
#define OWN_PROG 0
#define OWN_COLL (-1) /* the collector's prefix */
#define OWN_RTXT (-2) /* a runtime line that is not a gc record */

struct stream {
	char *b;
	int *own;
	size_t n, cap;
};

static void s_add(struct stream *s, const char *p, size_t n, int own)
{
	if (s->n + n + 1 > s->cap) {
		s->cap = (s->n + n + 1) * 2;
		s->b = realloc(s->b, s->cap);
		s->own = realloc(s->own, s->cap * sizeof *s->own);
		if (!s->b || !s->own)
			abort();
	}
	memcpy(s->b + s->n, p, n);
	for (size_t i = 0; i < n; i++)
		s->own[s->n + i] = own;
	s->n += n;
}

static void s_str(struct stream *s, const char *p, int own)
{
	s_add(s, p, strlen(p), own);
}

static void s_free(struct stream *s)
{
	free(s->b);
	free(s->own);
	memset(s, 0, sizeof *s);
}

static unsigned rnd(unsigned *seed)
{
	*seed = *seed * 1103515245u + 12345u;
	return (*seed >> 8) & 0xffffff;
}

/* ---- the corpus --------------------------------------------------- */

#define MAX_LINES 512
static char *corpus[MAX_LINES];
static int ncorpus;
static int era_first[5], era_count[5]; /* runs of one file: one era */

static void load_corpus(const char *dir)
{
	const char *files[] = {"go1.5.txt", "go1.6-1.17.txt", "go1.18-1.25.txt",
	                       "stream-go1.18-goal-below-heap.log"};
	for (int f = 0; f < 4; f++) {
		char path[1024], line[1024];
		snprintf(path, sizeof path, "%s/%s", dir, files[f]);
		FILE *fp = fopen(path, "r");
		if (!fp) {
			perror(path);
			exit(2);
		}
		era_first[f] = ncorpus;
		while (fgets(line, sizeof line, fp) && ncorpus < MAX_LINES) {
			size_t l = strlen(line);
			if (l && line[l - 1] == '\n')
				line[--l] = 0;
			if (strncmp(line, "gc ", 3) == 0)
				corpus[ncorpus++] = strdup(line);
		}
		era_count[f] = ncorpus - era_first[f];
		fclose(fp);
	}
}

/*
 * A real line with its number, "@" and P replaced ("gc N @T.TTTs ...
 * N P"): one process counts up, its time runs forward, its P is fixed.
 */
static void renumber(char *out, size_t cap, const char *line, unsigned gc,
                     unsigned long at_ms, int procs)
{
	const char *p = line + 3;
	if (*p == '#')
		p++;
	while (*p >= '0' && *p <= '9')
		p++;
	const char *at = strstr(p, " @");
	const char *s = at ? strstr(at, "s ") : NULL;
	if (!s) {
		snprintf(out, cap, "gc %u%s", gc, p);
		return;
	}
	char rest[1024];
	snprintf(rest, sizeof rest, "%s", s + 1);
	if (procs > 0) {
		char *pp = strstr(rest, " P");
		char *q = pp;
		while (q > rest && q[-1] >= '0' && q[-1] <= '9')
			q--;
		if (pp && q < pp) {
			char tail[64];
			snprintf(tail, sizeof tail, "%s", pp);
			snprintf(q, sizeof rest - (size_t)(q - rest), "%d%s", procs, tail);
		}
	}
	snprintf(out, cap, "gc %u @%lu.%03lus%s", gc, at_ms / 1000, at_ms % 1000, rest);
}

/* Where the runtime's writes fall in a gc line: between every number and
 * literal, " P" apart from " (forced)", "%" apart from ": ". */
static int write_boundaries(const char *s, size_t n, size_t *cuts)
{
	int k = 0;
	for (size_t i = 1; i < n; i++) {
		int a = (s[i - 1] >= '0' && s[i - 1] <= '9') || s[i - 1] == '.';
		int b = (s[i] >= '0' && s[i] <= '9') || s[i] == '.';
		if (a != b || (s[i - 1] == '%' && s[i] == ':') ||
		    (s[i - 1] == 'P' && s[i] == ' '))
			cuts[k++] = i;
	}
	cuts[k++] = n;
	return k;
}

/* ---- the program's lines -------------------------------------------- */

struct shape {
	const char *name, *fmt;
};

/* What Go programs log, as each package prints it by default. */
static const struct shape shapes[] = {
	{"plain", "app: request %u handled in %uus"},
	{"log", "2026/11/28 17:09:%02u request %u handled in %uus"},
	{"log micro", "2026/11/28 17:09:%02u.%06u request %u handled"},
	{"log short", "2026/11/28 17:09:%02u main.go:%u: request %u"},
	{"log prefix", "app: 2026/11/28 17:09:%02u request %u handled in %uus"},
	{"slog text", "time=2026-11-28T17:09:%02u.%03u+00:00 level=INFO msg=handled n=%u"},
	{"slog json", "{\"time\":\"2026-11-28T17:09:%02u.%03u+00:00\",\"level\":\"INFO\",\"msg\":\"handled\",\"n\":%u}"},
	{"zap json", "{\"level\":\"info\",\"ts\":1764349740.%06u,\"caller\":\"app/main.go:%u\",\"msg\":\"handled\",\"n\":%u}"},
	{"zap console", "2026-11-28T17:09:%02u.%03uZ\tINFO\tapp/main.go:%u\thandled"},
	{"logrus text", "time=\"2026-11-28T17:09:%02uZ\" level=info msg=handled n=%u w=%u"},
	{"logrus json", "{\"level\":\"info\",\"msg\":\"handled\",\"n\":%u,\"time\":\"2026-11-28T17:09:%02uZ\"}"},
	{"zerolog", "{\"level\":\"info\",\"n\":%u,\"time\":\"2026-11-28T17:09:%02uZ\",\"message\":\"handled\"}"},
	{"klog", "I1128 17:09:%02u.%06u   %u main.go:42] handled"},
};
#define NSHAPES (sizeof shapes / sizeof shapes[0])

#pragma GCC diagnostic ignored "-Wformat-nonliteral"
static void prog_line(char *out, size_t cap, int shape, unsigned *seed)
{
	unsigned a = rnd(seed) % 60, b = rnd(seed) % 1000000, c = rnd(seed) % 100000;
	if (strstr(shapes[shape].fmt, "%02u.%03u"))
		b %= 1000;
	snprintf(out, cap, shapes[shape].fmt, a, b, c);
}

/* ---- collector prefixes -------------------------------------------- */

struct prefix {
	const char *name, *fmt, *source;
};

static const struct prefix prefixes[] = {
	{"raw", "", ""},
	{"journal short", "Nov 28 17:00:%02u node1 etcd[4242]: ", "etcd[4242]"},
	{"journal short-iso", "2026-11-28T17:00:%02u+0000 node1 etcd[4242]: ", "etcd[4242]"},
	{"journal short-precise", "Nov 28 17:00:%02u.%06u node1 etcd[4242]: ", "etcd[4242]"},
	{"journal short-unix", "1764349200.%06u node1 etcd[4242]: ", "etcd[4242]"},
	{"journal short-monotonic", "[%5u.%06u] node1 etcd[4242]: ", "etcd[4242]"},
	{"journal short-full", "Sat 2026-11-28 17:00:%02u UTC node1 etcd[4242]: ", "etcd[4242]"},
	{"kubectl --timestamps", "2026-11-28T17:00:%02u.%09uZ ", ""},
	{"kubectl --prefix", "[pod/etcd-0/etcd] ", "pod/etcd-0/etcd"},
	{"kubectl --prefix --ts", "[pod/etcd-0/etcd] 2026-11-28T17:00:%02u.%06uZ ", "pod/etcd-0/etcd"},
	{"docker -t", "2026-11-28T17:00:%02u.%09uZ ", ""},
	{"RFC 5424", "<30>1 2026-11-28T17:00:%02u.%06u+00:00 node1 etcd 4242 - - ", "etcd[4242]"},
	{"RFC 3164", "<30>Dec  1 17:00:%02u node1 etcd[4242]: ", "etcd[4242]"},
	{"docker compose", "etcd-1  | ", "etcd-1"},
};
#define NPREFIXES (sizeof prefixes / sizeof prefixes[0])

static void prefix_text(char *out, size_t cap, int px, unsigned *seed)
{
	unsigned a = rnd(seed) % 60, b = rnd(seed) % 1000000;
	snprintf(out, cap, prefixes[px].fmt, a, b);
}

/* Put the collector's prefix before every line of s. */
static void apply_prefix(struct stream *out, const struct stream *s, int px,
                         unsigned *seed)
{
	char pf[128];
	size_t i = 0;

	while (i < s->n) {
		size_t e = i;
		while (e < s->n && s->b[e] != '\n')
			e++;
		prefix_text(pf, sizeof pf, px, seed);
		s_str(out, pf, OWN_COLL);
		size_t end = e < s->n ? e + 1 : e;
		for (size_t k = i; k < end; k++)
			s_add(out, s->b + k, 1, s->own[k]);
		i = end;
	}
}

/* ---- writes of one process ------------------------------------------ */

/* A process's output as a list of writes, in order. */
struct write {
	size_t off, len; /* in text */
	int own;
	double t;        /* when it was made, microseconds */
};

/*
 * When a process's writes happen: each takes write_us; after any one the
 * process may be descheduled (stall_pm per mille, for up to stall_us);
 * collections come gc_gap_us apart on average.
 */
struct timing {
	double write_us, stall_us, gc_gap_us;
	int stall_pm;
};

struct proc {
	struct stream text;
	struct write *w;
	size_t nw, capw;
	const struct timing *tm;
	double now;
	unsigned tseed;
};

static void p_write(struct proc *p, const char *s, size_t n, int own)
{
	if (p->nw == p->capw) {
		p->capw = p->capw ? p->capw * 2 : 256;
		p->w = realloc(p->w, p->capw * sizeof *p->w);
		if (!p->w)
			abort();
	}
	p->w[p->nw++] = (struct write){p->text.n, n, own, p->now};
	s_add(&p->text, s, n, own);
	if (p->tm) {
		p->now += p->tm->write_us * (0.5 + (rnd(&p->tseed) % 1000) / 1000.0);
		if ((int)(rnd(&p->tseed) % 1000) < p->tm->stall_pm)
			p->now += p->tm->stall_us * ((rnd(&p->tseed) % 1000) / 1000.0);
	}
}

static void p_free(struct proc *p)
{
	s_free(&p->text);
	free(p->w);
}

struct truth {
	struct gc_record *r;
	char **line; /* as printed, for FIDELITY_DUMP */
	size_t n, cap;
};

static void truth_free(struct truth *t)
{
	for (size_t i = 0; i < t->n; i++)
		free(t->line[i]);
	free(t->line);
	free(t->r);
}

static int add_truth(struct truth *t, const char *line, const char *source)
{
	if (t->n == t->cap) {
		t->cap = t->cap ? t->cap * 2 : 256;
		t->r = realloc(t->r, t->cap * sizeof *t->r);
		t->line = realloc(t->line, t->cap * sizeof *t->line);
		if (!t->r || !t->line)
			abort();
	}
	struct gc_record *r = &t->r[t->n];
	t->line[t->n] = strdup(line);
	if (!gctrace_parse_line(line, strlen(line), r)) {
		fprintf(stderr, "fidelity: not a gc line: %s\n", line);
		exit(2);
	}
	snprintf(r->source, sizeof r->source, "%s", source);
	return (int)++t->n; /* owner id: index + 1 */
}

/* How the program's writes land in a record. */
enum tear {
	TEAR_WHOLE,     /* whole lines at any write boundary */
	TEAR_NUMBERS,   /* whole lines right after a number: glued onto it */
	TEAR_FRAGMENTS, /* text without a newline, the rest later */
	TEAR_FRAGTEXTS, /* the same with fragments of several texts, some
	                 * of them the others with digits after ("partial
	                 * write " and "partial write 9") */
};

/* The program's newline-less fragments for TEAR_FRAGTEXTS. */
static const char *const frag_texts[] = {
	"partial write ", "partial write 9", "loading ", "loading 12", "step ",
	"progress: ", "progress: 40",
};
#define NFRAG_TEXTS (sizeof frag_texts / sizeof frag_texts[0])

struct gen {
	int shape;      /* the program's line shape */
	enum tear tear;
	int pct;        /* chance, per write boundary, of a program write */
	int warm;       /* whole program lines before the first record */
	int between;    /* chance of a program line between records */
	int era;        /* corpus file (-1: one chosen at random) */
	int procs;      /* P to print (0: as in the corpus) */
	int nrec;
	unsigned gc0;   /* first collection number */
	unsigned long at0;
};

/* One process: nrec records of the corpus torn by the program's writes. */
static void gen_proc(struct proc *p, struct truth *t, const struct gen *g,
                     const char *source, unsigned *seed)
{
	char pl[512], line[1200];
	unsigned long at = g->at0;
	int pending_frag = 0;
	/* One process prints one era of lines. */
	int f = g->era >= 0 ? g->era : (int)(rnd(seed) % 4);

	for (int i = 0; i < g->warm; i++) {
		prog_line(pl, sizeof pl, g->shape, seed);
		strcat(pl, "\n");
		p_write(p, pl, strlen(pl), OWN_PROG);
	}
	for (int i = 0; i < g->nrec; i++) {
		const char *src = corpus[era_first[f] + rnd(seed) % (unsigned)era_count[f]];
		at += 1 + rnd(seed) % 900;
		renumber(line, sizeof line, src, g->gc0 + (unsigned)i, at, g->procs);
		int own = add_truth(t, line, source);
		size_t cuts[96], len = strlen(line), from = 0;
		int nc = write_boundaries(line, len, cuts);
		for (int k = 0; k < nc; k++) {
			p_write(p, line + from, cuts[k] - from, own);
			from = cuts[k];
			int after_num = line[cuts[k] - 1] >= '0' && line[cuts[k] - 1] <= '9';
			int frags = g->tear == TEAR_FRAGMENTS || g->tear == TEAR_FRAGTEXTS;
			if (k == nc - 1 && !frags)
				break; /* before the newline: looks like its end */
			if ((int)(rnd(seed) % 100) >= g->pct)
				continue;
			if (g->tear == TEAR_NUMBERS && !after_num)
				continue;
			if (frags) {
				if (!pending_frag) {
					const char *ft = g->tear == TEAR_FRAGMENTS
					                     ? "partial write "
					                     : frag_texts[rnd(seed) % NFRAG_TEXTS];
					p_write(p, ft, strlen(ft), OWN_PROG);
					pending_frag = 1;
				} else {
					snprintf(pl, sizeof pl, "finished %u\n", rnd(seed) % 1000);
					p_write(p, pl, strlen(pl), OWN_PROG);
					pending_frag = 0;
				}
				continue;
			}
			prog_line(pl, sizeof pl, g->shape, seed);
			strcat(pl, "\n");
			p_write(p, pl, strlen(pl), OWN_PROG);
		}
		p_write(p, "\n", 1, own);
		if (p->tm)
			p->now += p->tm->gc_gap_us * ((rnd(&p->tseed) % 2000) / 1000.0);
		if ((int)(rnd(seed) % 100) < g->between) {
			prog_line(pl, sizeof pl, g->shape, seed);
			strcat(pl, "\n");
			p_write(p, pl, strlen(pl), OWN_PROG);
		}
	}
	if (pending_frag) {
		snprintf(pl, sizeof pl, "finished %u\n", rnd(seed) % 1000);
		p_write(p, pl, strlen(pl), OWN_PROG);
	}
}

/* The writes of a process in order, as one stream. */
static void proc_stream(struct stream *out, const struct proc *p)
{
	for (size_t i = 0; i < p->nw; i++)
		s_add(out, p->text.b + p->w[i].off, p->w[i].len, p->w[i].own);
}

/* Two processes writing one pipe: their writes merged in time order. */
static void interleave(struct stream *out, const struct proc *a, const struct proc *b)
{
	size_t i = 0, j = 0;

	while (i < a->nw || j < b->nw) {
		const struct write *w;
		if (j >= b->nw || (i < a->nw && a->w[i].t <= b->w[j].t))
			w = &a->w[i++], s_add(out, a->text.b + w->off, w->len, w->own);
		else
			w = &b->w[j++], s_add(out, b->text.b + w->off, w->len, w->own);
	}
}

/* ---- runtime self-tears --------------------------------------------- */

/* Go 1.19 inittrace, SCHED with scheddetail=1 and scav lines, each
 * printed in pieces, with a whole gc line or a program line between. */
static const char *const rt_lines[] = {
	"init internal/bytealg @0.008 ms, 0 ms clock, 0 bytes, 0 allocs",
	"init golang.org/x/text/unicode/norm @3.6 ms, 0.011 ms clock, 16 bytes, 1 allocs",
	"scav 0 KiB work (bg), 239576 KiB work (eager), 265352 KiB now, 96% util",
	"scav 12 KiB work, 340 KiB total, 90% util",
	"SCHED 1004ms: gomaxprocs=2 idleprocs=2 threads=5 spinningthreads=0 idlethreads=2 runqueue=0 gcwaiting=0 nmidlelocked=0 stopwait=0 sysmonwait=0",
	"  P0: status=0 schedtick=13 syscalltick=3 m=-1 runqsize=0 gfreecnt=0 timerslen=0",
	"  M2: p=-1 curg=-1 mallocing=0 throwing=0 preemptoff= locks=0 dying=0 spinning=false blocked=true lockedg=-1",
	"  G1: status=4(semacquire) m=-1 lockedm=-1",
};
#define NRT (sizeof rt_lines / sizeof rt_lines[0])

/* A process whose runtime lines are torn by its own gc lines and by the
 * program's whole lines. */
/* Where the runtime's print calls fall in one of its other lines: around
 * each number (a '.' between digits is part of it), not inside words such
 * as a package path. */
static int rt_boundaries(const char *s, size_t n, size_t *cuts)
{
	int k = 0;
#define NUMCH(j) ((s[j] >= '0' && s[j] <= '9') || \
	          (s[j] == '.' && (j) > 0 && (j) + 1 < n && s[(j) - 1] >= '0' && \
	           s[(j) - 1] <= '9' && s[(j) + 1] >= '0' && s[(j) + 1] <= '9'))
	for (size_t i = 1; i < n; i++)
		if (NUMCH(i - 1) != NUMCH(i))
			cuts[k++] = i;
#undef NUMCH
	cuts[k++] = n;
	return k;
}

/* mode 0: gc lines inside every kind; 1: also program lines inside init
 * and scav lines; 2: program lines inside SCHED lines too, after their
 * head; 3: program lines anywhere in them, their heads too. */
static void gen_selftear(struct proc *p, struct truth *t, int nrec, int mode,
                         unsigned *seed)
{
	char line[1200], pl[512];
	unsigned long at = 0;

	for (int i = 0; i < nrec; i++) {
		unsigned li = rnd(seed) % NRT;
		const char *rl = rt_lines[li];
		size_t cuts[96], len = strlen(rl), from = 0;
		int nc = rt_boundaries(rl, len, cuts);
		int where = (int)(rnd(seed) % (unsigned)(nc - 1)); /* not at its end */
		/* (Modes 1 and 2 leave out a program line right after a
		 * line's head, "scav ", "init ", "SCHED 1004", "  M2": nothing
		 * tells it from a program's own line that starts so.  Mode 3
		 * has it.) */
		int head = li < 4 ? where == 0 : where <= 1;
		int prog = rnd(seed) % 3 == 0 &&
		           (mode == 3 || (mode == 2 && !head) || (mode == 1 && li < 4 && !head));
		for (int k = 0; k < nc; k++) {
			p_write(p, rl + from, cuts[k] - from, OWN_RTXT);
			from = cuts[k];
			if (k != where)
				continue;
			if (prog) {
				prog_line(pl, sizeof pl, 0, seed);
				strcat(pl, "\n");
				p_write(p, pl, strlen(pl), OWN_PROG);
				continue;
			}
			const char *src = corpus[era_first[2] + rnd(seed) % (unsigned)era_count[2]];
			at += 1 + rnd(seed) % 900;
			renumber(line, sizeof line, src, (unsigned)t->n + 1, at, 0);
			int own = add_truth(t, line, "");
			p_write(p, line, strlen(line), own);
			p_write(p, "\n", 1, own);
		}
		p_write(p, "\n", 1, OWN_RTXT);
	}
}

/* ---- go build: the go command's lines and its tools' output ---------- */

/*
 * The go command (go build, go run, go test) collects while it prints,
 * one write each, what a compiler or linker wrote: "# PKG\n" and that
 * tool's whole gc lines (a run from gc 1 of a process that has exited;
 * its last line cut short when it exited mid-print, newline added by the
 * go command).  A block can land at any of the go command's own write
 * boundaries.  pct: chance of a block per boundary.
 */
static void tool_block(struct proc *p, struct truth *t, unsigned *blockno, unsigned *seed)
{
	char block[8192], line[1200];
	int nrec = (int)(rnd(seed) % 6), cut = nrec > 0 && rnd(seed) % 5 == 0;
	/* (Each compiler's times its own: two alike records would make
	 * the score count one for the other.) */
	unsigned long at = 1000ul * ++*blockno + rnd(seed) % 10;
	size_t bn;
	int owns[8];

	bn = (size_t)snprintf(block, sizeof block, "# pkg%u\n", rnd(seed) % 1000);
	p_write(p, block, bn, OWN_PROG);
	for (int i = 0; i < nrec; i++) {
		const char *src = corpus[era_first[2] + rnd(seed) % (unsigned)era_count[2]];
		at += 1 + rnd(seed) % 40;
		renumber(line, sizeof line, src, (unsigned)i + 1, at, 2);
		owns[i] = add_truth(t, line, "");
		size_t len = strlen(line);
		if (cut && i == nrec - 1) {
			/* Cut at one of its write boundaries, short of " P". */
			size_t cuts[96];
			int nc = write_boundaries(line, len, cuts);
			len = cuts[rnd(seed) % (unsigned)(nc - 2)];
		}
		p_write(p, line, len, owns[i]);
		p_write(p, "\n", 1, len == strlen(line) ? owns[i] : OWN_PROG);
	}
}

static void gen_gobuild(struct proc *p, struct truth *t, int nrec, int pct, unsigned *seed)
{
	char line[1200];
	unsigned long at = 0;
	unsigned blockno = 0;

	/* (The go command loads packages before it runs a compiler: its
	 * first few records come alone.) */
	for (int i = 0; i < nrec; i++) {
		int tools = i >= 3;
		const char *src = corpus[era_first[2] + rnd(seed) % (unsigned)era_count[2]];
		at += 100 + rnd(seed) % 900;
		renumber(line, sizeof line, src, (unsigned)i + 1, at, 2);
		int own = add_truth(t, line, "");
		size_t cuts[96], len = strlen(line), from = 0;
		int nc = write_boundaries(line, len, cuts);
		for (int k = 0; k < nc; k++) {
			p_write(p, line + from, cuts[k] - from, own);
			from = cuts[k];
			if (tools && k < nc - 1 && (int)(rnd(seed) % 100) < pct)
				tool_block(p, t, &blockno, seed);
		}
		p_write(p, "\n", 1, own);
		if (tools && rnd(seed) % 2)
			tool_block(p, t, &blockno, seed);
	}
}

/* ---- running the parser and scoring ---------------------------------- */

static unsigned cur_seed; /* for FIDELITY_DUMP's messages */

struct got {
	struct gc_record *r;
	size_t n, cap;
	struct stream foreign;
};

static void on_record(void *ctx, const struct gc_record *r)
{
	struct got *g = ctx;
	if (g->n == g->cap) {
		g->cap = g->cap ? g->cap * 2 : 256;
		g->r = realloc(g->r, g->cap * sizeof *g->r);
		if (!g->r)
			abort();
	}
	g->r[g->n++] = *r;
}

static void on_foreign(void *ctx, const char *s, size_t n)
{
	struct got *g = ctx;
	s_add(&g->foreign, s, n, 0);
}

/* FIDELITY_DUMP: a record's values, one line. */
static void dump_rec(const char *what, const struct gc_record *r)
{
	fprintf(stderr, "  %s gc %llu @%lld %d%% %lld+%lld+%lld %lld+%lld/%lld/%lld+%lld %lld->%lld->%lld %lld g %lld s %lld gl %d P f%d e%d [%s]\n",
	        what, (unsigned long long)r->gc, (long long)r->at_ms, r->cpu_pct,
	        (long long)r->clock_sweep_term_us, (long long)r->clock_mark_us,
	        (long long)r->clock_mark_term_us, (long long)r->cpu_sweep_term_us,
	        (long long)r->cpu_assist_us, (long long)r->cpu_background_us,
	        (long long)r->cpu_idle_us, (long long)r->cpu_mark_term_us,
	        (long long)r->heap_start_mb, (long long)r->heap_end_mb,
	        (long long)r->heap_live_mb, (long long)r->heap_goal_mb,
	        (long long)r->stacks_mb, (long long)r->globals_mb, r->procs,
	        r->forced, r->era, r->source);
}

struct score {
	unsigned long expected, exact, dropped, wrong, invented, text_bad, runs;
};

/* The program's text as it must come out, given which records came out. */
static void expected_text(struct stream *out, const struct stream *s, const char *ok)
{
	size_t i = 0;

	while (i < s->n) {
		size_t e = i;
		while (e < s->n && s->b[e] != '\n')
			e++;
		size_t end = e < s->n ? e + 1 : e;
		int lost = 0, prog = 0;
		for (size_t k = i; k < end; k++) {
			lost |= s->own[k] > 0 && !ok[s->own[k] - 1];
			prog |= s->own[k] == OWN_PROG;
		}
		/* A line that held bytes of a lost record comes out as it
		 * was, less the bytes of records that were recovered (two
		 * runtimes: the other's whole line inside it). */
		for (size_t k = i; k < end; k++)
			if (lost ? !(s->own[k] > 0 && ok[s->own[k] - 1])
			         : prog && s->own[k] <= OWN_PROG && s->own[k] != OWN_RTXT)
				s_add(out, s->b + k, 1, 0);
		i = end;
	}
}

static void score_run(struct score *sc, const struct stream *s, const struct truth *t,
                      unsigned seed)
{
	static const struct gctrace_sink sink = {on_record, on_foreign, NULL};
	struct got g = {0};
	struct gctrace *p = gctrace_new(&sink, &g);
	char *used = calloc(t->n + 1, 1);
	struct stream want = {0};

	if (!p || !used)
		abort();
	/* Chunks of random size: the result must not depend on them. */
	for (size_t off = 0; off < s->n;) {
		size_t k = 1 + rnd(&seed) % 4096;
		if (k > s->n - off)
			k = s->n - off;
		gctrace_feed(p, s->b + off, k);
		off += k;
	}
	gctrace_finish(p);
	sc->dropped += gctrace_counts(p)->torn_dropped;
	unsigned long run_dropped = gctrace_counts(p)->torn_dropped;
	gctrace_free(p);

	sc->expected += t->n;
	sc->runs++;
	for (size_t i = 0; i < g.n; i++) {
		size_t j, same = t->n;
		for (j = 0; j < t->n; j++) {
			if (used[j])
				continue;
			if (gcrecord_equal(&g.r[i], &t->r[j]))
				break;
			if (t->r[j].gc == g.r[i].gc && t->r[j].at_ms == g.r[i].at_ms)
				same = j;
		}
		if (j < t->n) {
			used[j] = 1;
			sc->exact++;
		} else if (same < t->n) {
			sc->wrong++;
			if (getenv("FIDELITY_DUMP")) {
				fprintf(stderr, "wrong gc %llu @%lld (seed %u)\n",
				        (unsigned long long)g.r[i].gc, (long long)g.r[i].at_ms, cur_seed);
				dump_rec("got", &g.r[i]);
				dump_rec("true", &t->r[same]);
			}
		} else {
			sc->invented++;
			if (getenv("FIDELITY_DUMP")) {
				fprintf(stderr, "invented gc %llu @%lld (seed %u)\n",
				        (unsigned long long)g.r[i].gc, (long long)g.r[i].at_ms, cur_seed);
				dump_rec("got", &g.r[i]);
			}
		}
	}
	/* FIDELITY_RUNS: each stream whose drop count is not its loss;
	 * FIDELITY_RUNS=SEED: also that seed's lost records. */
	if (getenv("FIDELITY_RUNS")) {
		size_t lost = 0;
		for (size_t j = 0; j < t->n; j++)
			lost += !used[j];
		if (lost != run_dropped)
			fprintf(stderr, "seed %u: lost %zu dropped %lu\n", cur_seed, lost, run_dropped);
		if (atoi(getenv("FIDELITY_RUNS")) == (int)cur_seed)
			for (size_t j = 0; j < t->n; j++) {
				if (used[j])
					continue;
				/* Where its bytes are: line numbers of the stream. */
				unsigned long ln = 1, lastln = 0;
				fprintf(stderr, "  lost %s\n    in lines", t->line[j]);
				for (size_t k = 0; k < s->n; k++) {
					if (s->own[k] == (int)j + 1 && ln != lastln)
						fprintf(stderr, " %lu", lastln = ln);
					ln += s->b[k] == '\n';
				}
				fprintf(stderr, "\n");
			}
	}
	expected_text(&want, s, used);
	int bad = want.n != g.foreign.n || (want.n && memcmp(want.b, g.foreign.b, want.n) != 0);
	sc->text_bad += bad;
	if (bad && getenv("FIDELITY_RUNS"))
		fprintf(stderr, "seed %u: text not the program's\n", cur_seed);
	size_t nlost = 0;
	for (size_t j = 0; j < t->n; j++)
		nlost += !used[j];
	if (bad || g.n != t->n || nlost != run_dropped) {
		/* FIDELITY_DUMP=FILE keeps the last stream that lost something,
		 * and FILE.want the text that should have come out. */
		if (getenv("FIDELITY_DUMP")) {
			char wp[1024];
			snprintf(wp, sizeof wp, "%s.want", getenv("FIDELITY_DUMP"));
			FILE *w = fopen(wp, "w");
			if (w) {
				fwrite(want.b, 1, want.n, w);
				fclose(w);
			}
			snprintf(wp, sizeof wp, "%s.got", getenv("FIDELITY_DUMP"));
			if ((w = fopen(wp, "w"))) {
				fwrite(g.foreign.b, 1, g.foreign.n, w);
				fclose(w);
			}
			for (size_t j = 0; j < t->n; j++)
				if (!used[j])
					fprintf(stderr, "lost gc %llu @%lld\n",
					        (unsigned long long)t->r[j].gc, (long long)t->r[j].at_ms);
			snprintf(wp, sizeof wp, "%s.truth", getenv("FIDELITY_DUMP"));
			if ((w = fopen(wp, "w"))) {
				for (size_t j = 0; j < t->n; j++)
					fprintf(w, "%s\n", t->line[j]);
				fclose(w);
			}
			FILE *f = fopen(getenv("FIDELITY_DUMP"), "w");
			if (f) {
				fwrite(s->b, 1, s->n, f);
				fclose(f);
			}
		}
	}
	s_free(&want);
	s_free(&g.foreign);
	free(g.r);
	free(used);
}

/* ---- the families ---------------------------------------------------- */

static unsigned nseeds = 20;
static unsigned first_seed = 1; /* -o: start at this stream (to look at one) */
static int check, failed;
static const char *name_filter; /* -n: only families whose name holds it */

static int skip(const char *name)
{
	return name_filter && !strstr(name, name_filter);
}

static void report(const char *name, const struct score *sc, double target)
{
	unsigned long loss = sc->expected - sc->exact;
	double pct = sc->expected ? 100.0 * (double)sc->exact / (double)sc->expected : 100;
	int ok = sc->wrong == 0 && sc->invented == 0 && sc->dropped == loss &&
	         sc->text_bad == 0 && pct >= target;

	printf("%-34s %8lu %8lu %6.2f%% %7lu %5lu %5lu %6lu %-4s %-5s %s\n", name,
	       sc->expected, sc->exact, pct, sc->dropped, sc->wrong, sc->invented, loss,
	       sc->dropped == loss ? "=" : "NO",
	       sc->text_bad ? "BAD" : "ok", target > 0 ? (pct >= target ? "target ok" : "TARGET MISSED") : "");
	if (!ok)
		failed = 1;
	fflush(stdout);
}

static void run_single(const char *name, const struct gen *g, int px, double target)
{
	if (skip(name))
		return;
	struct score sc = {0};
	for (unsigned seed = first_seed; seed <= nseeds; seed++) {
		unsigned sd = seed * 7919u + (unsigned)px * 31u + (unsigned)g->shape;
		cur_seed = seed;
		struct proc p = {0};
		struct truth t = {0};
		struct stream raw = {0}, s = {0};
		gen_proc(&p, &t, g, prefixes[px].source, &sd);
		proc_stream(&raw, &p);
		apply_prefix(&s, &raw, px, &sd);
		score_run(&sc, &s, &t, sd);
		p_free(&p);
		s_free(&raw);
		s_free(&s);
		truth_free(&t);
	}
	report(name, &sc, target);
}

static void run_interleaved(const char *name, const struct timing *tm, double target)
{
	if (skip(name))
		return;
	struct score sc = {0};
	for (unsigned seed = first_seed; seed <= nseeds; seed++) {
		unsigned sd = seed * 104729u + (unsigned)tm->write_us;
		cur_seed = seed;
		struct proc a = {.tm = tm, .tseed = sd ^ 0x5555}, b = {.tm = tm, .tseed = sd ^ 0xaaaa};
		struct truth t = {0};
		struct stream s = {0};
		struct gen ga = {.shape = 0, .tear = TEAR_WHOLE, .pct = 1, .warm = 2,
		                 .between = 30, .era = 2, .procs = 8, .nrec = 100,
		                 .gc0 = 1, .at0 = 0};
		struct gen gb = ga;
		gb.shape = 1;
		gb.procs = 2;
		gb.era = 3;
		gb.gc0 = 1 + rnd(&sd) % 3000;
		gb.at0 = rnd(&sd) % 100000;
		b.now = rnd(&sd) % 1000;
		gen_proc(&a, &t, &ga, "", &sd);
		gen_proc(&b, &t, &gb, "", &sd);
		interleave(&s, &a, &b);
		score_run(&sc, &s, &t, sd);
		p_free(&a);
		p_free(&b);
		s_free(&s);
		truth_free(&t);
	}
	report(name, &sc, target);
}

static void run_gobuild(const char *name, int pct, double target)
{
	if (skip(name))
		return;
	struct score sc = {0};
	for (unsigned seed = first_seed; seed <= nseeds; seed++) {
		unsigned sd = seed * 7727u + (unsigned)pct;
		cur_seed = seed;
		struct proc p = {0};
		struct truth t = {0};
		struct stream s = {0};
		gen_gobuild(&p, &t, 60, pct, &sd);
		proc_stream(&s, &p);
		score_run(&sc, &s, &t, sd);
		p_free(&p);
		s_free(&s);
		truth_free(&t);
	}
	report(name, &sc, target);
}

static void run_selftear(const char *name, int mode, double target)
{
	if (skip(name))
		return;
	struct score sc = {0};
	for (unsigned seed = first_seed; seed <= nseeds; seed++) {
		unsigned sd = seed * 15485863u;
		struct proc p = {0};
		struct truth t = {0};
		struct stream s = {0};
		gen_selftear(&p, &t, 100, mode, &sd);
		proc_stream(&s, &p);
		score_run(&sc, &s, &t, sd);
		p_free(&p);
		s_free(&s);
		truth_free(&t);
	}
	report(name, &sc, target);
}

int main(int argc, char **argv)
{
	const char *only = NULL;
	int c;

	while ((c = getopt(argc, argv, "cs:o:f:n:")) != -1) {
		switch (c) {
		case 'c': check = 1; break;
		case 's': nseeds = (unsigned)atoi(optarg); break;
		case 'o': first_seed = (unsigned)atoi(optarg); break;
		case 'f': only = optarg; break;
		case 'n': name_filter = optarg; break;
		default:
			fprintf(stderr, "usage: fidelity [-c] [-s SEEDS] [-o FIRST] [-f GROUP] [-n NAME] CORPUS_DIR\n");
			return 2;
		}
	}
	if (optind >= argc) {
		fprintf(stderr, "usage: fidelity [-c] [-s SEEDS] [-o FIRST] [-f GROUP] [-n NAME] CORPUS_DIR\n");
		return 2;
	}
	load_corpus(argv[optind]);
	printf("%-34s %8s %8s %7s %7s %5s %5s %6s %-4s %-5s\n", "family", "expected",
	       "exact", "", "dropped", "wrong", "inv", "loss", "=?", "text");

	/* Whole program lines at any write boundary, behind every prefix;
	 * the program's shape seen twice before the first record. */
	if (!only || strcmp(only, "prefix") == 0)
		for (size_t px = 0; px < NPREFIXES; px++) {
			char name[64];
			struct gen g = {.shape = 0, .tear = TEAR_WHOLE, .pct = 6, .warm = 2,
			                .between = 25, .era = -1, .nrec = 160, .gc0 = 1};
			snprintf(name, sizeof name, "whole lines, %s", prefixes[px].name);
			run_single(name, &g, (int)px, 99.5);
			g.shape = 1; /* and a date-first program */
			snprintf(name, sizeof name, "whole lines+log, %s", prefixes[px].name);
			run_single(name, &g, (int)px, 99.5);
		}
	/* Each known shape, glued onto the runtime's numbers from the first
	 * line on: no whole program line before. */
	if (!only || strcmp(only, "first") == 0)
		for (size_t sh = 0; sh < NSHAPES; sh++) {
			char name[64];
			struct gen g = {.shape = (int)sh, .tear = TEAR_NUMBERS, .pct = 10,
			                .warm = 0, .between = 0, .era = -1, .nrec = 60, .gc0 = 1};
			snprintf(name, sizeof name, "first-line tears, %s", shapes[sh].name);
			run_single(name, &g, 0, 99.5);
			snprintf(name, sizeof name, "first-line tears, %s, journal", shapes[sh].name);
			run_single(name, &g, 1, 99.5);
		}
	if (!only || strcmp(only, "frag") == 0) {
		struct gen g = {.shape = 0, .tear = TEAR_FRAGMENTS, .pct = 3, .warm = 2,
		                .between = 25, .era = -1, .nrec = 160, .gc0 = 1};
		run_single("fragments without newline", &g, 0, 0);
		g.tear = TEAR_FRAGTEXTS;
		run_single("fragments, varied texts", &g, 0, 0);
	}
	if (!only || strcmp(only, "self") == 0) {
		run_selftear("runtime self-tears, gc lines", 0, 99.5);
		run_selftear("runtime self-tears, +init/scav", 1, 99.5);
		run_selftear("runtime self-tears, +SCHED", 2, 99.5);
		run_selftear("runtime self-tears, +heads", 3, 99.5);
	}
	if (!only || strcmp(only, "gobuild") == 0) {
		/* (No target: a fifth of the compilers' last lines are cut
		 * by their exit, lost whatever the parser does.) */
		run_gobuild("go build, tools' output between", 0, 0);
		run_gobuild("go build, tools' output inside", 3, 0);
	}
	if (!only || strcmp(only, "two") == 0) {
		/* Through a plain pipe a write takes about a microsecond and
		 * a process is seldom descheduled in the middle of a line;
		 * under strace each write takes a hundred.  Both processes
		 * collect every millisecond or so (the target's stress), or
		 * every 10 or 100 ms: how the loss falls with the pace. */
		static const struct timing pipe = {1, 1000, 1000, 1};
		static const struct timing pipe10 = {1, 1000, 10000, 1};
		static const struct timing pipe100 = {1, 1000, 100000, 1};
		static const struct timing slow = {100, 5000, 1000, 20};
		run_interleaved("two runtimes, plain pipe", &pipe, 99);
		run_interleaved("two runtimes, pipe, gc per 10 ms", &pipe10, 0);
		run_interleaved("two runtimes, pipe, gc per 100 ms", &pipe100, 0);
		run_interleaved("two runtimes, slowed (strace)", &slow, 0);
	}
	return check && failed ? 1 : 0;
}
