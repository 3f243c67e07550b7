#include "trace/gctrace.h"

#include <stdlib.h>
#ifdef GCTRACE_DEBUG
#include <stdio.h>
#endif
#include <string.h>

#include "trace/gcline.h"
#include "trace/gcmerge.h"
#include "trace/logprefix.h"

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

#define MAX_HELD 2048         /* lines held for one torn record */
#define ARENA_SIZE (512 * 1024)
#define MAX_HYP 64
#define MAX_PIECES 48         /* a record has ~45 tokens */
/* Lines a hypothesis may wait for the rest of its record: the runtime's
 * thread can be descheduled between two writes while a busy program logs
 * hundreds of lines (seen: 55 lines between "gc " and the number). */
#define MAX_WAIT 1024
#define MAX_WAIT_WEAK 1024    /* the same for a bare "gc " that may be prose */
#define MAX_WAIT_END 256      /* lines to wait for the newline of a record
                                 whose values are all known */
#define KEY_SLOTS 16384
#define NSKEL_MAX 8
#define PROV_MAX 64
#define GAP_NEAR 16
#define SOUT_MAX 32
#define SOUT_SKIP 8
#define SOLO_LINES 16
#define SOLO_OPEN 16
#define SOLO_AGE 256
#define SOLO_SPAN 4
/* Lines to wait for the rest of a runtime line: a busy program writes
 * tens of lines between two of the runtime's print calls. */
#define RT_WAIT 64
#define RT_HOLD 64            /* lines held while a runtime line's head is a guess */
#define RT_HOLD_BYTES 8192
#define FRAG_SLOTS 8          /* the program's newline-less fragments known */
#define FRAG_MAX 64
#define PAIR_LINES 8          /* lines held in pair mode (pair_begin) */
/* What a fragment was seen followed by: the runtime's digits (a number
 * of a record put back), the program's (its own text). */
#define FRAG_DEPTH 3          /* fragments skipped in one line of a record */

struct held {
	uint32_t off;  /* in the arena */
	uint32_t len;  /* without '\n' */
	uint32_t plen; /* length to parse: without a trailing '\r' */
	uint8_t nl;    /* the line had a '\n' (stored after it) */
	uint8_t rec;   /* HELD_WHOLE, HELD_CUT, or 0 */
};
/* Another runtime's line held among a record's: a whole gc line
 * (held_whole), or one cut short by its process's exit (cut_head). */
#define HELD_WHOLE 1
#define HELD_CUT 2
/* A drop that no gap in any runtime's numbers accounts for (count_drop):
 * the record of a process that has exited. */
#define DROP_OWN UINT64_MAX

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

/* One runtime writing the stream: its last record. */
struct lane {
	uint64_t gc;
	int64_t at;
	int32_t procs;
	uint8_t era;
	uint32_t run;
	uint64_t used; /* emitted count when it was last used */
	uint8_t tentative; /* one record seen, not emitted (lane_pick) */
	uint64_t tears;    /* gctrace.tears when it was last used */
	int64_t globals;   /* its last "MB globals" (GC_NULL: none) */
};

struct gctrace {
	struct gctrace_sink sink;
	void *ctx;
	struct gctrace_counts counts;

	/* The line being assembled (partial line), with room for '\n'. */
	char *line;
	size_t linelen;
	/* A line with the runtime's bytes taken out. */
	char *scratch;

	/* A torn record in progress. */
	int pending;
	char *arena;
	size_t arena_used;
	struct held held[MAX_HELD];
	int nheld;
	int prefixed; /* the record's first line had a log prefix */
	struct logprefix_shape pshape; /* of that prefix */
	char source[GC_SOURCE_MAX];
	int64_t wall_ms; /* its prefix's time (logprefix_time) */
	int64_t now_s;   /* the year-less stamps' reference (0: the clock) */
	struct logprefix_clock clk; /* logprefix_time_at's cache */
	struct hyp *hyp, *next, *done;
	int nhyp, nnext, ndone;

	/* The runtimes writing this stream, each expecting its next number
	 * (see gctrace.h, lanes). */
	struct lane lanes[GCTRACE_LANES];
	int nlanes, cur; /* cur: the lane of the last record */
	uint32_t runs;
	uint64_t emitted;
	/* When the numbers last went back (emitted count, 0: never), and
	 * the time before: see lanes_mixed. */
	uint64_t rev_new, rev_old, last_gc;
	uint64_t torn_at; /* emitted count + 1 at the last torn record */
	int new_run;      /* lane_pick opened a run (a restart goes back too) */
	uint64_t torn_line; /* counts.lines at the last torn record, 0: none */
	uint64_t writers_line; /* the same when two runtimes showed (note_writers) */
	int was_pending;  /* this line ended a record still waiting for its rest */
	/* Emitted count when a run went on after a later one had begun: two
	 * runtimes alive at once (0: never). */
	uint64_t concurrent_at;
	/* How many of the recent lines (about 64) showed two runtimes in one
	 * line, as a moving sum (1024 a line); and the last line that held
	 * runtime text no record was made of. */
	uint32_t wdens;
	uint64_t dirty_line;
	/* The lines of the heads still open (a record's "gc " with no " P"
	 * after it yet), oldest first, and the lines a record ended on that
	 * no other's tokens can be in (solo_note). */
	uint64_t open_line[SOLO_OPEN];
	int nopen;
	uint64_t solo_off;  /* too many open: none solo before this line */
	uint64_t solo_head; /* the line of the last head, if it came with none open */
	uint64_t solo_ok[SOLO_LINES];
	/* The last line that ended with the go command's "# PKG" (0: none). */
	uint64_t go_line;
	/* Before the first record and before two runtimes showed: the
	 * records' "gc " that went out as text, and the drops counted (see
	 * early_settle); early_done once either came. */
	uint32_t early_gc, early_drops;
	int early_done;

	/* Records counted as dropped, by number (0: not known), until a gap
	 * in the numbers of a runtime accounts for them (see count_gap). */
	uint64_t prov[PROV_MAX];
	uint64_t prov_at[PROV_MAX]; /* emitted count when it was dropped */
	int nprov;
	/* Records' "gc N" that went out as text while one runtime printed,
	 * left to the gap in its numbers to count; if two runtimes print by
	 * the time the gap closes (gaps are not counted then), they are
	 * counted from here (see count_gap). */
	uint64_t sout[SOUT_MAX];
	int nsout;
	/* Numbers of records counted as they were dropped whose text is
	 * still to go out: not noted there again. */
	uint64_t sout_skip[SOUT_SKIP];
	int nskip;
	uint64_t tears; /* torn records begun or dropped, ever */
	uint64_t pending_tear; /* tears when the record held now was torn */
	int resolving;         /* emitting the held record, put back */

	/* Shapes of the program's whole lines: how often each was seen
	 * (saturating), by a hash of the shape. */
	uint16_t keys[KEY_SLOTS];
	/* After a record was lost, its remains may still come as lines of
	 * their own: learn no shapes until the next record. */
	int no_learn;

	/* Text the program writes without a newline ("partial write "),
	 * seen where the runtime's newline ended it after a record's end:
	 * inside a later record, the runtime's part goes on after it. */
	struct {
		uint8_t len, seen;
		char s[FRAG_MAX];
	} frags[FRAG_SLOTS];
	int nfrags;

	/* Taking two runtimes' interleaved lines apart (made when first
	 * needed: most streams have one runtime). */
	struct gcmerge *merge;
	uint8_t owner[GCM_TEXT_MAX];
	/* Pair mode (pair_begin): the lines are held (held[]), and the
	 * runtime's bytes of each, up to pair_cut, end to end in pair_buf. */
	int pair;
	/* The last held line ended one record but not in one way only: the
	 * next line, the other's rest, decides (pair_tail). */
	int pair_defer;
	uint16_t pair_cut[PAIR_LINES];
	char pair_buf[GCM_TEXT_MAX];
	size_t pair_len;

	/* A runtime line cut short by a gc line or by the program's text:
	 * its head, waiting for the rest. */
	struct {
		int open, kind, age;
		int elem[NSKEL_MAX]; /* per skeleton: next element, -1 no match */
		int only_nl;         /* the head was whole: only '\n' to come */
		char buf[512];
		size_t len;
		/* A bare head ("scav ", "  M2") and the program's text after
		 * it: a guess, so the lines from it on are held whole until
		 * the head's pieces show a pair ("status=") or its rest comes
		 * (then each goes out without the runtime's part, hpre..hcut)
		 * or something else does (then each as it came). */
		int maybe, nheld;
		uint16_t hoff[RT_HOLD], hlen[RT_HOLD], hpre[RT_HOLD], hcut[RT_HOLD];
		char line[RT_HOLD_BYTES];
		size_t line_used;
	} rt;
};

/* ---------------------------------------------------------------- */

static int two_writers(const struct gctrace *p);

static unsigned key_count(const struct gctrace *p, const char *s, size_t n);
static int known_shape(const char *s, size_t n);
static int starts(const char *s, size_t n, const char *lit);

/*
 * Is the "gc " at s[k] a record's?  The runtime's "gc " follows a
 * newline, another runtime's token or the program's text, and is
 * followed by its number, by the other runtime's tokens (a digit, a
 * literal, another "gc "), by the end of the text (its rest on a later
 * line), or by a program line glued after it (of a shape seen before).
 * "gc " in the program's prose ("running gc cycle") is none of these.
 */
static int record_gc(const struct gctrace *p, const char *s, size_t n, size_t k)
{
	unsigned char b = k ? (unsigned char)s[k - 1] : ' ';
	size_t i = k + 3;

	/* "...bgc " ends a word, but "... 8 Pgc 12 @..." follows a
	 * record's " P". */
	if (b != 'P' && (b | 32) >= 'a' && (b | 32) <= 'z')
		return 0;
	if (i >= n || s[i] == '\n' || s[i] == '\r' || (s[i] >= '0' && s[i] <= '9') ||
	    strchr(" +/-%:@#>", s[i]) || starts(s + i, n - i, "gc ") ||
	    starts(s + i, n - i, "s "))
		return 1;
	size_t e = i;
	while (e < n && s[e] != '\n')
		e++;
	int r = key_count(p, s + i, e - i) > 0 || known_shape(s + i, e - i);
#ifdef GCTRACE_DEBUG
	if (!r) fprintf(stderr, "uncounted gc: [%.*s]\n", (int)(n - k < 60 ? n - k : 60), s + k);
#endif
	return r;
}

static uint64_t digits_at(const char *s, size_t n, size_t *i);

/* v onto a list of at most max, the oldest falling off. */
static void list_push(uint64_t *a, int *n, int max, uint64_t v)
{
	if (*n == max)
		memmove(a, a + 1, (size_t)(max - 1) * sizeof a[0]), (*n)--;
	a[(*n)++] = v;
}

static int prov_has(const struct gctrace *p, uint64_t gc)
{
	for (int i = 0; i < p->nprov; i++)
		if (p->prov[i] == gc)
			return 1;
	return 0;
}

/* Of the numbers lo..hi (exclusive), how many went out as text while
 * one runtime printed; taken off the list. */
static uint64_t sout_take(struct gctrace *p, uint64_t lo, uint64_t hi)
{
	uint64_t k = 0;

	for (int i = 0; i < p->nsout;)
		if (p->sout[i] > lo && p->sout[i] < hi)
			p->sout[i] = p->sout[--p->nsout], k++;
		else
			i++;
	return k;
}

static void sout_remove(struct gctrace *p, uint64_t lo, uint64_t hi)
{
	(void)sout_take(p, lo, hi);
}

/* The number after a record's "gc " gone out as text, one runtime
 * printing: noted for its gap (digits glued on read another number,
 * which no gap holds). */
static void sout_add(struct gctrace *p, const char *s, size_t n)
{
	size_t i = 0;
	uint64_t gc = digits_at(s, n, &i);

	if (!gc || prov_has(p, gc))
		return;
	for (int k = 0; k < p->nskip; k++)
		if (p->sout_skip[k] == gc) {
			p->sout_skip[k] = p->sout_skip[--p->nskip];
			return;
		}
	sout_remove(p, gc - 1, gc + 1);
	list_push(p->sout, &p->nsout, SOUT_MAX, gc);
}

/* A record counted as dropped, with its number (0: not known). */
static void prov_push(struct gctrace *p, uint64_t gc)
{
	if (p->nprov == PROV_MAX) {
		/* The oldest stays counted. */
		memmove(p->prov, p->prov + 1, (PROV_MAX - 1) * sizeof p->prov[0]);
		memmove(p->prov_at, p->prov_at + 1, (PROV_MAX - 1) * sizeof p->prov_at[0]);
		p->nprov--;
	}
	p->prov_at[p->nprov] = p->emitted;
	p->prov[p->nprov++] = gc;
	if (gc)
		sout_remove(p, gc - 1, gc + 1);
}

static void deliver_foreign(struct gctrace *p, const char *s, size_t len)
{
	if (!len)
		return;
	p->counts.foreign_lines++;
	/* Where two runtimes print, a record's "gc " (one write(2), never
	 * split) that goes out as text is a record lost: count those.
	 * Before the first record they are tallied (early_settle); after
	 * it, one runtime printing, noted for their gap (sout_add). */
	int two = two_writers(p);
	for (const char *e = s + len, *g = s; (g = memmem(g, (size_t)(e - g), "gc ", 3)); g += 3) {
		int k = record_gc(p, s, (size_t)(e - s), (size_t)(g - s));
		if (two)
			p->counts.torn_dropped += (uint64_t)k;
		else if (!p->early_done)
			p->early_gc += (uint32_t)k;
		else if (k)
			sout_add(p, g + 3, (size_t)(e - g - 3));
	}
	if (p->sink.foreign)
		p->sink.foreign(p->ctx, s, len);
}

/*
 * The shape of a line's start: how many digits, the byte after them, how
 * many digits again, the byte after those ("2026/11/28 ..." is 4 '/' 2 '/';
 * "INFO ..." is 0 'I' 0 'N').  Enough to tell where a program line that
 * starts with digits begins when it is glued onto a runtime number.
 */
static unsigned key_of(const char *s, size_t n)
{
	size_t i = 0, d1, d2;
	unsigned c1 = 0, c2 = 0;

	while (i < n && s[i] >= '0' && s[i] <= '9')
		i++;
	d1 = i < 15 ? i : 15;
	if (i < n) {
		c1 = (unsigned char)s[i++];
		size_t j = i;
		while (i < n && s[i] >= '0' && s[i] <= '9')
			i++;
		d2 = i - j < 7 ? i - j : 7;
		if (i < n)
			c2 = (unsigned char)s[i];
	} else {
		d2 = 0;
	}
	unsigned k = (unsigned)d1 | c1 << 4 | (unsigned)d2 << 12 | c2 << 15;
	return (k * 2654435761u) >> 18; /* 14 bits: KEY_SLOTS */
}

static void key_learn(struct gctrace *p, const char *s, size_t n)
{
	if (p->no_learn)
		return;
	unsigned k = key_of(s, n);

	if (p->keys[k] < UINT16_MAX)
		p->keys[k]++;
}

/* How often the program's lines looked like s[0..n); a shape seen once
 * may be a stray, so it counts from the second time. */
static unsigned key_count(const struct gctrace *p, const char *s, size_t n)
{
	unsigned c = p->keys[key_of(s, n)];

	return c >= 2 ? c : 0;
}

/*
 * The shapes common Go loggers start a line with, known before any line of
 * the program's was seen whole: the log package (LstdFlags, Lmicroseconds,
 * Lshortfile: "2026/11/28 17:09:00[.123456] "; Ltime alone), RFC 3339 and
 * ISO 8601 times (zap's console encoder, zerolog's ConsoleWriter with a
 * time format, many others: "2026-11-28T17:09:00.123Z\t"), and zerolog's
 * default ConsoleWriter ("5:09PM ").  Shapes that start with a letter or
 * a brace (slog, logrus, zap JSON, zerolog JSON, klog's "I1128 ...") need
 * none: no number can run into them.  The go command's "# PKG", which
 * heads each tool's output it prints (go build, go test, go run), is one
 * too: it tears the go command's own gc lines anywhere ("gc 4 @0.050s
 * 4%: 0.076+9.9# internal/cpu"), and no runtime writes "# ".
 *
 * Pattern letters: D a digit, 1 one or two digits, f an optional fraction
 * (".123456"), Z a zone (Z, +01:00, +0100), M "AM" or "PM", _ a space or
 * a tab; anything else stands for itself.
 */
static const char *const log_shapes[] = {
	"DDDD/DD/DD DD:DD:DDf_",
	"DDDD/DD/DD_",
	"DD:DD:DDf_",
	"DDDD-DD-DDTDD:DD:DDfZ_",
	"DDDD-DD-DD DD:DD:DDf_",
	"1:DDM_",
};

static int dig(char c)
{
	return c >= '0' && c <= '9';
}

static int shape_match(const char *pat, const char *s, size_t n)
{
	size_t i = 0;

	for (; *pat; pat++) {
		switch (*pat) {
		case 'D':
			if (i >= n || !dig(s[i]))
				return 0;
			i++;
			break;
		case '1':
			if (i >= n || !dig(s[i]))
				return 0;
			i++;
			if (i < n && dig(s[i]))
				i++;
			break;
		case 'f':
			if (i + 1 < n && s[i] == '.' && dig(s[i + 1]))
				for (i++; i < n && dig(s[i]); i++)
					;
			break;
		case 'Z':
			if (i < n && s[i] == 'Z') {
				i++;
			} else if (i < n && (s[i] == '+' || s[i] == '-')) {
				i++;
				if (i + 2 > n || !dig(s[i]) || !dig(s[i + 1]))
					return 0;
				i += 2;
				if (i < n && s[i] == ':')
					i++;
				if (i + 2 > n || !dig(s[i]) || !dig(s[i + 1]))
					return 0;
				i += 2;
			} else {
				return 0;
			}
			break;
		case 'M':
			if (i + 2 > n || (s[i] != 'A' && s[i] != 'P') || s[i + 1] != 'M')
				return 0;
			i += 2;
			break;
		case '_':
			if (i >= n || (s[i] != ' ' && s[i] != '\t'))
				return 0;
			i++;
			break;
		default:
			if (i >= n || s[i] != *pat)
				return 0;
			i++;
		}
	}
	return 1;
}

static int known_shape(const char *s, size_t n)
{
	if (n > 2 && s[0] == '#' && s[1] == ' ' && s[2] != ' ')
		return 1;
	if (!n || !dig(s[0]))
		return 0;
	for (size_t k = 0; k < sizeof log_shapes / sizeof log_shapes[0]; k++)
		if (shape_match(log_shapes[k], s, n))
			return 1;
	return 0;
}

/* The one place j in [from, to] where a common logger's line may begin
 * (known_shape): a runtime line's number with the program's date glued
 * on ("threads=" then "2026/12/02 ...", or "=2" then it); SIZE_MAX when
 * none or more than one. */
static size_t shape_split(const char *s, size_t n, size_t from, size_t to)
{
	size_t at = SIZE_MAX;

	for (size_t j = from; j <= to && j < n; j++)
		if (known_shape(s + j, n - j)) {
			if (at != SIZE_MAX)
				return SIZE_MAX;
			at = j;
		}
	return at;
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

/* The digits at s[i..n) as a number (0: none), and where they end. */
static uint64_t digits_at(const char *s, size_t n, size_t *i)
{
	uint64_t g = 0;

	while (*i < n && digit_at(s, n, *i) && g < UINT64_MAX / 10)
		g = g * 10 + (uint64_t)(s[(*i)++] - '0');
	return g;
}

/* Other runtime lines: GC forced, scvg, scav, pacer, SCHED, init, scan. */
static int runtime_kind_at(const char *s, size_t n)
{
	/* Cheap first: every kind starts with one of these letters. */
	if (n < 4 || !strchr("GSfips ", s[0]) || s[0] == 0)
		return 0;
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
	if (s[0] == ' ' && n > 6 && s[1] == ' ' && strchr("PMG", s[2]) && digit_at(s, n, 3)) {
		/* scheddetail=1: "  P0: status=1 ...", "  M2: p=-1 ...",
		 * "  G1: status=4(semacquire) ...". */
		size_t i = 3;
		while (digit_at(s, n, i))
			i++;
		if (i + 2 < n && s[i] == ':' && s[i + 1] == ' ' &&
		    (starts(s + i + 2, n - i - 2, "status=") || starts(s + i + 2, n - i - 2, "p=")))
			return GCTRACE_RT_SCHED;
	}
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

/*
 * The runtime prints its other lines with several print calls, so a whole
 * gc line (printed under the print lock) or a line of the program's can
 * land inside one: "init pkg @3.6 ms, 0 ms clock, 0 bytes, 0 allocsgc 1
 * @0.002s ..." (Go 1.19's inittrace).  Where such a line stops short, its
 * skeleton says where the runtime's part ends and what the rest must look
 * like.  Elements: N a number (digits and dots), W a word (no spaces), and
 * literal text, each a print call of the runtime's; '|' separates them.
 */
struct skeleton {
	uint8_t kind;
	const char *el[16];
};

static const struct skeleton skeletons[] = {
	{GCTRACE_RT_INIT, {"init ", "W", " @", "N", " ms, ", "N", " ms clock, ", "N",
	                   " bytes, ", "N", " allocs", NULL}},
	{GCTRACE_RT_SCAV, {"scav ", "N", " KiB work (bg), ", "N", " KiB work (eager), ",
	                   "N", " KiB now, ", "N", "% util", NULL}},
	{GCTRACE_RT_SCAV, {"scav ", "N", " KiB work, ", "N", " KiB total, ", "N",
	                   "% util", NULL}},
	{GCTRACE_RT_SCAV, {"scav ", "N", " ", "N", " KiB work, ", "N", " KiB total, ",
	                   "N", "% util", NULL}},
};
#define NSKEL (sizeof skeletons / sizeof skeletons[0])

/* Match skeleton k from element e over s[0..n): the element reached and,
 * in *pos, where it ends.  Trailing " (forced)" or " [controller reset]"
 * after the last element belong to it. */
static int skel_match(int k, int e, const char *s, size_t n, size_t *pos)
{
	size_t i = 0;
	const char *const *el = skeletons[k].el;

	for (; el[e]; e++) {
		size_t j = i;
		if (strcmp(el[e], "N") == 0) {
			while (j < n && (digit_at(s, n, j) || s[j] == '.'))
				j++;
		} else if (strcmp(el[e], "W") == 0) {
			while (j < n && s[j] != ' ')
				j++;
		} else {
			size_t l = strlen(el[e]);
			if (n - i >= l && memcmp(s + i, el[e], l) == 0)
				j = i + l;
		}
		if (j == i)
			break;
		i = j;
	}
	if (!el[e]) {
		if (starts(s + i, n - i, " (forced)"))
			i += 9;
		else if (starts(s + i, n - i, " [controller reset]"))
			i += 19;
	}
	*pos = i;
	return e;
}

static int skel_len(int k)
{
	int e = 0;
	while (skeletons[k].el[e])
		e++;
	return e;
}

static void rt_deliver(struct gctrace *p, int kind, const char *s, size_t n)
{
	p->counts.runtime_lines++;
	if (p->sink.runtime)
		p->sink.runtime(p->ctx, (enum gctrace_rt)kind, s, n);
}

/* The head of a runtime line of this kind whose rest is still to come. */
static void rt_start(struct gctrace *p, int kind, const char *s, size_t n)
{
	int any = 0, whole = 0;

	for (size_t k = 0; k < NSKEL; k++) {
		size_t pos;
		int e;
		p->rt.elem[k] = -1;
		if (skeletons[k].kind != kind)
			continue;
		e = skel_match((int)k, 0, s, n, &pos);
		if (pos != n)
			continue;
		if (e == skel_len((int)k))
			whole = 1;
		else
			p->rt.elem[k] = e, any = 1;
	}
	if (n > sizeof p->rt.buf || (!any && !whole && kind != GCTRACE_RT_SCHED)) {
		rt_deliver(p, kind, s, n);
		return;
	}
	memcpy(p->rt.buf, s, n);
	p->rt.len = n;
	p->rt.kind = kind;
	p->rt.open = 1;
	p->rt.age = 0;
	p->rt.only_nl = whole;
}

/* The rest of a SCHED line: "name=value" pairs and the run queues; after
 * a head cut inside a value ("lockedg=-"), that value's rest alone. */
static int sched_tail(const char *s, size_t n, char last)
{
	int eq = last == '=' || last == '-' || (last >= '0' && last <= '9');

	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (!(digit_at(s, n, i) || ((c | 32) >= 'a' && (c | 32) <= 'z') ||
		      strchr(" =-_[]():", c)))
			return 0;
		eq |= c == '=' || c == ']';
	}
	return eq;
}

static void deliver_foreign(struct gctrace *p, const char *s, size_t n);
static void deliver_parts(struct gctrace *p, const char *s, size_t a, size_t pre,
                          size_t b, size_t c, size_t d, size_t e);

#define SCHED_NOCUT ((size_t)-1)
static size_t sched_line(const char *s, size_t n, size_t *head);

/* The open SCHED line's bytes so far and s[0..n) read as one line (see
 * sched_line), or SCHED_NOCUT when they do not fit. */
static size_t sched_joined(struct gctrace *p, const char *s, size_t n)
{
	size_t head;

	if (p->rt.len + n > GCTRACE_LINE_MAX)
		return SCHED_NOCUT;
	memcpy(p->scratch, p->rt.buf, p->rt.len);
	memcpy(p->scratch + p->rt.len, s, n);
	return sched_line(p->scratch, p->rt.len + n, &head);
}

static int rt_hold(struct gctrace *p, const char *s, size_t n, size_t pre, size_t cut)
{
	int k = p->rt.nheld;

	if (k == RT_HOLD || p->rt.line_used + n > sizeof p->rt.line)
		return 0;
	memcpy(p->rt.line + p->rt.line_used, s, n);
	p->rt.hoff[k] = (uint16_t)p->rt.line_used;
	p->rt.hlen[k] = (uint16_t)n;
	p->rt.hpre[k] = (uint16_t)pre;
	p->rt.hcut[k] = (uint16_t)cut;
	p->rt.line_used += n;
	p->rt.nheld++;
	return 1;
}

/* The lines held while the head was a guess: without the runtime's parts
 * (the guess held), or as they came. */
static void rt_release(struct gctrace *p, int runtime)
{
	for (int k = 0; k < p->rt.nheld; k++) {
		const char *l = p->rt.line + p->rt.hoff[k];
		if (runtime)
			deliver_parts(p, l, p->rt.hpre[k], p->rt.hpre[k], p->rt.hcut[k],
			              p->rt.hlen[k], 0, 0);
		else
			deliver_foreign(p, l, p->rt.hlen[k]);
	}
	p->rt.nheld = 0;
	p->rt.line_used = 0;
	p->rt.maybe = 0;
}

/* Is s[0..n) the rest of the open runtime line?  Then deliver the whole.
 * sched: for a SCHED line, its bytes so far and s read as one
 * (sched_joined). */
static int rt_continue(struct gctrace *p, const char *s, size_t n, size_t sched)
{
	int ok = 0;

	if (p->rt.only_nl) {
		ok = n == 0;
	} else if (p->rt.kind == GCTRACE_RT_SCHED) {
		/* Its pairs to the end (a piece with the program's text after
		 * it is sched_more's); the loose test where they cannot be
		 * read (a text value) and the head was sure. */
		size_t r = sched;
		ok = n == 0 || r == 0 ||
		     (r == SCHED_NOCUT && !p->rt.maybe &&
		      sched_tail(s, n, p->rt.len ? p->rt.buf[p->rt.len - 1] : 0));
	}
	for (size_t k = 0; !ok && !p->rt.only_nl && k < NSKEL; k++) {
		size_t pos;
		int e = p->rt.elem[k];
		if (e < 0)
			continue;
		if (skel_match((int)k, e, s, n, &pos) == skel_len((int)k) && pos == n)
			ok = 1;
		/* The head may have stopped inside a number or a word. */
		const char *prev = e > 0 ? skeletons[k].el[e - 1] : "";
		if (!ok && (strcmp(prev, "N") == 0 || strcmp(prev, "W") == 0) &&
		    skel_match((int)k, e - 1, s, n, &pos) == skel_len((int)k) && pos == n)
			ok = 1;
	}
	if (!ok)
		return 0;
	if (p->rt.len + n <= GCTRACE_LINE_MAX) {
		memcpy(p->scratch, p->rt.buf, p->rt.len);
		memcpy(p->scratch + p->rt.len, s, n);
		rt_deliver(p, p->rt.kind, p->scratch, p->rt.len + n);
	}
	p->rt.open = 0;
	if (p->rt.maybe)
		rt_release(p, 1);
	return 1;
}

/* The rest never came: the head goes out alone (a guessed one, with the
 * lines held since, as the program's). */
static void rt_flush(struct gctrace *p)
{
	if (p->rt.open && p->rt.maybe)
		rt_release(p, 0);
	else if (p->rt.open)
		rt_deliver(p, p->rt.kind, p->rt.buf, p->rt.len);
	p->rt.open = 0;
	p->rt.maybe = 0;
}

/* The open SCHED line's next piece with the program's text after it
 * (" idleprocs=" then "app: ...": the runtime prints a piece at a time,
 * the program a line between them), from the reading r of the line so
 * far and the next (sched_joined): the piece's length, or 0. */
static size_t sched_more(const struct gctrace *p, size_t r)
{
	if (!p->rt.open || p->rt.only_nl || p->rt.kind != GCTRACE_RT_SCHED ||
	    r == SCHED_NOCUT || r <= p->rt.len || r > sizeof p->rt.buf)
		return 0;
	return r - p->rt.len;
}

/*
 * A line that begins with a bare head of a runtime line, the program's
 * text right after it ("scav app: ...",
 * "  M2app: ...", "SCHED 1004app: ..."): the runtime printed the head,
 * the program its line, then the runtime the rest, on the next line.  The
 * head's length, or 0.  Only a guess ("  Processing" starts so): the
 * next line decides (rt.maybe).
 */
static size_t bare_head(const char *s, size_t n, int *kind)
{
	size_t i = 0;

	if ((starts(s, n, "scav ") || starts(s, n, "init ")) && n > 5 &&
	    (!digit_at(s, n, 5) || known_shape(s + 5, n - 5))) {
		*kind = s[0] == 's' ? GCTRACE_RT_SCAV : GCTRACE_RT_INIT;
		i = 5;
	} else if (starts(s, n, "SCHED ")) {
		i = 6;
	} else if (n > 3 && s[0] == ' ' && s[1] == ' ' && s[2] && strchr("PMG", s[2])) {
		i = 3;
	} else {
		return 0;
	}
	if (i != 5) {
		size_t d = i;
		*kind = GCTRACE_RT_SCHED;
		while (digit_at(s, n, i))
			i++;
		/* (What the runtime prints next: "ms: ..." after SCHED's
		 * number, ": ..." after a P's, M's or G's.) */
		if (i == n || (i > d && starts(s + i, n - i, s[0] == 'S' ? "ms:" : ":")))
			return 0;
		/* The program's date may have run into the number. */
		size_t j = shape_split(s, n, d, i);
		if (j != SIZE_MAX)
			i = j;
	}
	return i < n ? i : 0;
}

static int lower_at(const char *s, size_t n, size_t i)
{
	return i < n && s[i] >= 'a' && s[i] <= 'z';
}

static size_t sched_text(const char *s, size_t n, size_t k);

/* The runtime's wait reasons (waitReasonStrings, Go 1.14 to 1.25) that a
 * G's status shows in scheddetail's lines. */
static const char *const wait_reasons[] = {
	"GC assist marking", "IO wait", "chan receive (nil chan)", "chan send (nil chan)",
	"dumping heap", "garbage collection", "garbage collection scan", "panicwait", "select",
	"select (no cases)", "GC assist wait", "GC sweep wait", "GC scavenge wait", "chan receive",
	"chan send", "finalizer wait", "force gc (idle)", "semacquire", "sleep", "sync.Cond.Wait",
	"sync.Mutex.Lock", "sync.RWMutex.RLock", "sync.RWMutex.Lock", "sync.WaitGroup.Wait",
	"timer goroutine (idle)", "trace reader (blocked)", "wait for GC cycle",
	"GC worker (idle)", "GC worker (active)", "preempted", "debug call",
	"GC mark termination", "stopping the world", "flushing proc caches",
	"trace goroutine status", "trace proc status", "page trace flush", "coroutine",
	"gc trace wait", "synctest", "synctest.Run", "synctest.Wait", "chan receive (synctest)",
	"chan send (synctest)", "select (synctest)", "cleanup wait",
};

/* The length of the longest wait reason s[0..n) starts with, or 0. */
static size_t wait_reason_at(const char *s, size_t n)
{
	size_t best = 0;

	for (size_t i = 0; i < sizeof wait_reasons / sizeof wait_reasons[0]; i++) {
		size_t l = strlen(wait_reasons[i]);
		if (l > best && starts(s, n, wait_reasons[i]))
			best = l;
	}
	return best;
}

/*
 * The name=value pairs of a SCHED line from s[i] (at_value: right after a
 * "=" or a "-"; g: a G's line, whose status has a wait reason).  The
 * runtime prints " name=" and the value in separate calls, so the
 * program's text starts right after a "=" or after a value.  0 when the
 * pairs run to the end; the place where the program's text begins when
 * it can be told (sched_text: not a digit, '-' or space that could be the
 * value's own, unless a logger's date); SCHED_NOCUT when it cannot (text
 * inside a string value).
 */
static size_t sched_walk(const char *s, size_t n, size_t i, int at_value, int g)
{
	while (i < n || at_value) {
		size_t k, name = i + 1;
		if (at_value) {
			/* (Only a number goes on from a "-".) */
			k = i;
			name = SIZE_MAX;
			at_value = 0;
		} else {
			/* " name=" */
			if (s[i] != ' ')
				return SCHED_NOCUT;
			k = i + 1;
			if (k < n && s[k] == '[') {
				/* The run queues of the Ps: " [0 0 1]". */
				for (k++; k < n && s[k] != ']'; k++)
					if (!digit_at(s, n, k) && s[k] != ' ')
						return SCHED_NOCUT;
				if (k >= n)
					return SCHED_NOCUT;
				i = k + 1;
				continue;
			}
			while (lower_at(s, n, k))
				k++;
			if (k == name || k >= n || s[k] != '=')
				return SCHED_NOCUT;
			k++;
		}
		size_t v = k;
		/* A value the runtime gives as text (an M's preemptoff, most
		 * often empty): text after it is the program's unless the M's
		 * next pair follows. */
		if (name != SIZE_MAX && starts(s + name, n - name, "preemptoff=")) {
			if (k < n && s[k] == ' ' && lower_at(s, n, k + 1)) {
				i = k;
				continue;
			}
			return memmem(s + k, n - k, " locks=", 7) ? SCHED_NOCUT : sched_text(s, n, k);
		}
		/* (A negative number is "-", then its digits.) */
		if (k < n && s[k] == '-')
			k++;
		size_t d = k;
		while (digit_at(s, n, k))
			k++;
		/* The program's date run into the number, or after "=". */
		if (k < n && s[k] != ' ' && s[k] != '(') {
			size_t j = shape_split(s, n, d, k);
			if (j != SIZE_MAX && j > 0)
				return j;
		}
		if (k > v && s[k - 1] != '-' && k < n && s[k] == '(' && g) {
			/* A G's status and its wait reason, any text with
			 * parentheses of its own: "4(GC worker (idle))". */
			size_t open = k + 1;
			int depth = 0;
			for (; k < n; k++) {
				depth += s[k] == '(';
				depth -= s[k] == ')';
				if (!depth)
					break;
			}
			/* Not closed: the program's text came after the "(" or
			 * after the reason, a print each. */
			if (k >= n)
				return sched_text(s, n, open + wait_reason_at(s + open, n - open));
			k++;
			if (k == n || s[k] == ' ') {
				i = k;
				continue;
			}
			return SCHED_NOCUT;
		}
		/* No number: true or false, or the program's text (after the
		 * "=", or after a negative number's "-"). */
		if (k == v && (starts(s + v, n - v, "true") || starts(s + v, n - v, "false"))) {
			k = v + (s[v] == 't' ? 4 : 5);
			if (k == n || s[k] == ' ') {
				i = k;
				continue;
			}
			return sched_text(s, n, k);
		}
		if (k == n || (s[k] == ' ' && (lower_at(s, n, k + 1) ||
		                               (k + 1 < n && s[k + 1] == '[')))) {
			i = k;
			continue;
		}
		/* The program's text from k: not what a value could go on with. */
		return sched_text(s, n, k);
	}
	return 0;
}

/* Where the program's text may begin at s[k], the runtime's part of a
 * SCHED line ending just before it (see sched_walk). */
static size_t sched_text(const char *s, size_t n, size_t k)
{
	unsigned char c = k < n ? (unsigned char)s[k] : 0;

	if (k > 0 && k < n && digit_at(s, n, k) && known_shape(s + k, n - k))
		return k;
	if (k == 0 || k >= n || digit_at(s, n, k) || c == '-' || c == ' ' || c == '.' || c < 0x20)
		return SCHED_NOCUT;
	return k;
}

/* The program's text after a head's number s[d..i) (a date may have run
 * into it). */
static size_t sched_head_text(const char *s, size_t n, size_t d, size_t i)
{
	size_t j = shape_split(s, n, d, i);

	/* (A date from d on leaves the head no number: the program's line
	 * alone, "2026/12/02 ..." after a bare "SCHED ".) */
	if (j == d)
		return SCHED_NOCUT;
	return sched_text(s, n, j != SIZE_MAX ? j : i);
}

/* A SCHED line, its head ("SCHED 1004ms:", "  P0:", ending at *head) and
 * its pairs: 0 when whole, where the program's text begins when that can
 * be told (inside the head too: "SCHED 37app: ..."), SCHED_NOCUT when
 * it is no such line or cannot be told. */
static size_t sched_line(const char *s, size_t n, size_t *head)
{
	size_t i, d;

	/* (A cut inside the head is after all of it: sched_cut leaves it
	 * to the guess, bare_head.) */
	*head = n;
	if (starts(s, n, "SCHED ")) {
		d = i = 6;
		while (digit_at(s, n, i))
			i++;
		if (!starts(s + i, n - i, "ms:"))
			return i > d ? sched_head_text(s, n, d, i) : SCHED_NOCUT;
		i += 3;
	} else if (n > 3 && s[0] == ' ' && s[1] == ' ' && s[2] && strchr("PMG", s[2])) {
		d = i = 3;
		while (digit_at(s, n, i))
			i++;
		if (i >= n || s[i] != ':')
			return i > d ? sched_head_text(s, n, d, i) : SCHED_NOCUT;
		i++;
	} else {
		return SCHED_NOCUT;
	}
	*head = i;
	return sched_walk(s, n, i, 0, s[2] == 'G');
}

/*
 * A SCHED line (schedtrace, and scheddetail's "  P0: ...", "  M2: ...",
 * "  G1: ...") with the program's text glued in after its head: "SCHED
 * 1004ms: ... spinningthreads=0app: request 18 handled" (its rest, "
 * idlethreads=2 ...", on the next line).  The place the text begins, or
 * 0 (whole, or not to be told: the line stays the runtime's).
 */
static size_t sched_cut(const char *s, size_t n)
{
	size_t head, k = sched_line(s, n, &head);

	return k == SCHED_NOCUT || k <= head ? 0 : k;
}

/*
 * A runtime line of a kind with a skeleton that stops short with text
 * after the runtime's part: where the runtime's part ends (the longest
 * match), or 0 when the line is whole or no skeleton tells.
 */
static size_t rt_cut(int kind, const char *s, size_t n, int min_e)
{
	size_t best = 0;

	if (kind == GCTRACE_RT_SCHED)
		return sched_cut(s, n);

	for (size_t k = 0; k < NSKEL; k++) {
		size_t pos;
		if (skeletons[k].kind != kind)
			continue;
		int e = skel_match((int)k, 0, s, n, &pos);
		if (e == skel_len((int)k) && pos == n)
			return 0; /* whole */
		if (e >= min_e && pos > best)
			best = pos;
	}
	return best;
}

/* The head of a runtime line that a gc line cut short may be shorter than
 * runtime_kind_at needs ("  G1", "SCHED "): the kinds printed in pieces,
 * told by their first print call. */
static int runtime_head_kind_at(const char *s, size_t n)
{
	int k = runtime_kind_at(s, n);

	if (k)
		return k;
	if (starts(s, n, "init "))
		return GCTRACE_RT_INIT;
	if (starts(s, n, "scav "))
		return GCTRACE_RT_SCAV;
	if (starts(s, n, "SCHED "))
		return GCTRACE_RT_SCHED;
	if (n >= 3 && s[0] == ' ' && s[1] == ' ' && strchr("PMG", s[2]) && s[2]) {
		size_t i = 3;
		while (digit_at(s, n, i))
			i++;
		if (i == n || (s[i] == ':' && (i + 1 == n || s[i + 1] == ' ')))
			return GCTRACE_RT_SCHED;
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

/*
 * Counting losses.  A record dropped is counted at once, and noted with
 * its number when known.  A record emitted after a gap in its runtime's
 * numbers shows how many were lost in between, including those whose
 * pieces were never told apart from the program's text or the other
 * runtime's: the gap is counted, less the dropped ones it accounts for
 * (those numbered inside it first, then those without a number).
 */
static void count_drop(struct gctrace *p, uint64_t gc)
{
	p->tears++;
	if (two_writers(p))
		return; /* counted by its "gc " (deliver_foreign) */
	p->counts.torn_dropped++;
	p->early_drops += !p->early_done;
	if (gc == DROP_OWN)
		return;
	prov_push(p, gc);
}

/* The same for a record not emitted whose text goes out next, its
 * "gc N" reading gc (0: none): read whole (its number may be a
 * chimera's, so no gap is told of it), or its number not one a run
 * expects. */
static void count_drop_text(struct gctrace *p, uint64_t gc)
{
	count_drop(p, 0);
	if (two_writers(p) || !gc)
		return;
	list_push(p->sout_skip, &p->nskip, SOUT_SKIP, gc);
}

static void prov_remove(struct gctrace *p, int i)
{
	p->prov[i] = p->prov[--p->nprov];
	p->prov_at[i] = p->prov_at[p->nprov];
}

/* A dropped record's number that no run comes near, read with another
 * runtime's digits glued on ("gc 3" + "245" read 3245): its own digits
 * come first, so a head of them inside lo..hi is it. */
static int prov_glued(const struct gctrace *p, uint64_t gc, uint64_t lo, uint64_t hi)
{
	if (gc == 0)
		return 0;
	for (int i = 0; i < p->nlanes; i++)
		if (!p->lanes[i].tentative && gc > p->lanes[i].gc && gc - p->lanes[i].gc <= GAP_NEAR)
			return 0;
	for (uint64_t head = gc / 10; head; head /= 10)
		if (head > lo && head < hi)
			return 1;
	return 0;
}

/* Numbers after lo and before hi were lost; lo was emitted as the
 * since-th record.  A drop with no number accounts for one of them only
 * if it came after lo: one dropped before (the stream's first record,
 * say, with no record before it to show a gap) is another loss. */
static void count_gap(struct gctrace *p, uint64_t lo, uint64_t hi, uint64_t since)
{
	uint64_t g = hi - lo - 1, used = 0;

	/* Where two runtimes print, those lost are counted by their "gc "
	 * (deliver_foreign), but for those that went out as text while one
	 * printed: the gap is those. */
	if (two_writers(p)) {
		p->counts.torn_dropped += sout_take(p, lo, hi);
		return;
	}
	sout_remove(p, lo, hi);
#ifdef GCTRACE_DEBUG
	fprintf(stderr, "count_gap %llu..%llu prov:", (unsigned long long)lo, (unsigned long long)hi);
	for (int i = 0; i < p->nprov; i++)
		fprintf(stderr, " %llu", (unsigned long long)p->prov[i]);
	fprintf(stderr, "\n");
#endif
	for (int i = 0; i < p->nprov && used < g;) {
		if ((p->prov[i] > lo && p->prov[i] < hi) || prov_glued(p, p->prov[i], lo, hi))
			prov_remove(p, i), used++;
		else
			i++;
	}
	for (int i = 0; i < p->nprov && used < g;) {
		if (p->prov[i] == 0 && p->prov_at[i] >= since)
			prov_remove(p, i), used++;
		else
			i++;
	}
	p->counts.torn_dropped += g - used;
}

/* The records' "gc " gone out as text before the first record, of which
 * counted are counted already: the rest counted now, once. */
static void early_count(struct gctrace *p, uint64_t counted)
{
	if (!p->early_done && p->early_gc > counted)
		p->counts.torn_dropped += p->early_gc - counted;
	p->early_done = 1;
}

/*
 * The lane a record continues: one of the same P and era whose number it
 * follows (some may have been lost), at the same "@" or later; the one it
 * follows most closely.  -1 when none.  tent: tentative lanes only (1) or
 * real ones only (0).
 */
static int lane_of_kind(const struct gctrace *p, uint64_t gc, int64_t at, int32_t procs,
                        uint8_t era, int tent)
{
	int best = -1;

	for (int i = 0; i < p->nlanes; i++) {
		const struct lane *l = &p->lanes[i];
		if (l->tentative != tent || l->procs != procs || l->era != era ||
		    gc <= l->gc || gc > l->gc + 1000)
			continue;
		if (at != GC_NULL && l->at != GC_NULL && at < l->at)
			continue;
		/* (A tie: the one used last; a restart's numbers meet the
		 * old run's again.) */
		if (best < 0 || l->gc > p->lanes[best].gc ||
		    (l->gc == p->lanes[best].gc && l->used > p->lanes[best].used))
			best = i;
	}
	return best;
}

static int lane_of(const struct gctrace *p, uint64_t gc, int64_t at, int32_t procs,
                   uint8_t era)
{
	return lane_of_kind(p, gc, at, procs, era, 0);
}

/* Is gc the number a lane in use expects next?  (A lane not used for a
 * while may be a process long gone: its number says nothing.) */
#define LANE_RECENT 64
static int lane_expects(const struct gctrace *p, uint64_t gc)
{
	for (int i = 0; i < p->nlanes; i++)
		if (!p->lanes[i].tentative && p->lanes[i].gc + 1 == gc &&
		    p->lanes[i].used + LANE_RECENT > p->emitted)
			return 1;
	return 0;
}

/* Two or more runtimes print lately, and their writes interleave token
 * by token: the numbers went back twice within LANE_RECENT records, each
 * time continuing a run already open (one process only counts up, and a
 * restart opens a run), and records were torn lately. */
static int lanes_mixed(const struct gctrace *p)
{
	return p->rev_old && p->rev_old + LANE_RECENT > p->emitted && p->torn_at &&
	       p->torn_at + LANE_RECENT > p->emitted;
}

/* Several runtimes have been printing lately (see concurrent_at). */
#define CONCURRENT_RECENT 256
static int concurrent(const struct gctrace *p)
{
	return p->concurrent_at && p->emitted - p->concurrent_at < CONCURRENT_RECENT;
}

/* A time as fmtNSAsMS prints it, in microseconds: "0", two significant
 * digits below 10 ms (0.001 .. 9.9), whole milliseconds from 10 on. */
static int ms_exact(int64_t us)
{
	if (us == GC_NULL || us == 0 || (us >= 1 && us < 100))
		return 1;
	if (us < 1000)
		return us % 10 == 0;
	if (us < 10000)
		return us % 100 == 0;
	return us % 1000 == 0;
}

/* Every time of the record in the runtime's exact format.  A number of
 * one runtime's glued onto another's ("235" + "0.31") reads loosely as
 * 2350.31 ms; the runtime never prints that. */
static int record_exact_format(const struct gc_record *r)
{
	return ms_exact(r->clock_sweep_term_us) && ms_exact(r->clock_mark_term_us) &&
	       ms_exact(r->cpu_sweep_term_us) && ms_exact(r->cpu_assist_us) &&
	       ms_exact(r->cpu_idle_us) && ms_exact(r->cpu_mark_term_us) &&
	       (r->era == GC_ERA_15 || (ms_exact(r->clock_mark_us) &&
	                                ms_exact(r->cpu_background_us)));
}

/* A free lane, or the tentative one, or the real one unused longest. */
static int lane_slot(struct gctrace *p)
{
	if (p->nlanes < GCTRACE_LANES)
		return p->nlanes++;
	int i = 0;
	for (int k = 1; k < p->nlanes; k++)
		if (p->lanes[k].tentative > p->lanes[i].tentative ||
		    (p->lanes[k].tentative == p->lanes[i].tentative &&
		     p->lanes[k].used < p->lanes[i].used))
			i = k;
	return i;
}

/* Two runtimes' writes land in one line on more than one line in eight
 * (a writer slowed down, by strace say): nearly every line holds tokens
 * of both. */
#define WDENS_HEAVY 4096
#define DIRTY_NEAR 4
static int writers_heavy(const struct gctrace *p)
{
	return p->wdens > WDENS_HEAVY;
}

/* Two runtimes' writes landed in one line lately (a few hundred lines,
 * note_writers). */
#define TORN_RECENT 256
static int writers_lately(const struct gctrace *p)
{
	return p->writers_line && p->counts.lines - p->writers_line < TORN_RECENT;
}

static int two_writers(const struct gctrace *p)
{
	return lanes_mixed(p) || writers_lately(p);
}

/*
 * The lane a record goes to, or -1 when it must not be emitted.
 *
 * While two runtimes' writes land in one line (note_writers), their
 * tokens interleave: one's head and the other's tail can make a valid line
 * ("gc 53 @23.271s 0%: 0.13" + "+6.7+0.17 ms clock, ... 2 P"), and a
 * number of one glues onto a number of the other ("gc 132" + "31 @...",
 * "235" + "0.31", "10" + "29->9->5 MB") inside what looks like a whole
 * line.  Nothing in the line tells, so then a record is emitted only when
 * all of these hold: it continues a run already open (its next numbers,
 * at most LANE_GAP_MAX on, same P, same era, "@" not going back; put
 * together or glued, no digits glued onto the number expected) or is a
 * new process's first ("gc 1"), or a line on its own with nothing torn
 * just before it; every time is in the runtime's exact format; the heap
 * sizes are in the order the runtime's are (start and live not above
 * end).  Where nearly every line holds both runtimes' tokens, only a line
 * on its own with nothing torn just before it.  A record that starts no
 * run opens a tentative lane instead, not emitted; the next record that
 * follows it closely makes the lane real.
 *
 * Otherwise (one runtime, the program's text torn in) a record that
 * follows no run starts one: a restart, a new process, or GOMAXPROCS
 * changed.  whole: the record was one line on its own, not put together
 * or glued.
 */
#define LANE_GAP_MAX 64

/* Does x read as digits glued onto a number after last and below x: a
 * head or a tail of its digits ("24": "4" after 3)? */
static int glued_number(uint64_t x, uint64_t last)
{
	for (uint64_t d = 10; d <= x; d *= 10) {
		uint64_t head = x / d, tail = x % d;
		if ((head > last && head < x) ||
		    (tail > last && tail < x && tail >= d / 10))
			return 1;
	}
	return 0;
}
/*
 * A whole line on its own that another runtime's tokens cannot have made:
 * a record of one runtime's head and another's tail would carry the
 * tail's P and the head's number, so where no other lane has its P and
 * no other lane's numbers come near its own, and it is the very next
 * numbers of its lane, it is the lane's own.
 */
#define APART_NEXT 4
#define APART_NUMBERS 64
static int lanes_apart(const struct gctrace *p, int i, const struct gc_record *r)
{
	if (r->gc > p->lanes[i].gc + APART_NEXT)
		return 0;
	for (int k = 0; k < p->nlanes; k++) {
		const struct lane *l = &p->lanes[k];
		if (k == i)
			continue;
		if (l->procs == r->procs ||
		    (r->gc + APART_NUMBERS >= l->gc && r->gc <= l->gc + APART_NUMBERS))
			return 0;
	}
	return 1;
}

/*
 * A record that no other runtime's tokens can be inside: its "gc " came
 * when every head before it had had its end, and its end is the first
 * head or end after it.  Another runtime's tokens in it would need that
 * runtime's head before (still open) or after (another head before the
 * end): so it is one runtime's, and read as where one prints.  Heads are
 * every record's "gc "; ends only a number's " P" that ends the line, or
 * is " (forced)", another's token ("gc ", a digit, "+", " ms ") or a
 * program line next: a program's "8 Parts" is none.  An end missed, or
 * a "gc " of prose, keeps a head open (the safe side) until SOLO_AGE
 * lines have passed, when it counts as ended (a process that died in
 * the middle of its line).
 */
static void solo_note(struct gctrace *p, const char *s, size_t m)
{
	uint64_t now = p->counts.lines;

	while (p->nopen && now - p->open_line[0] > SOLO_AGE)
		memmove(p->open_line, p->open_line + 1, --p->nopen * sizeof p->open_line[0]);
	/* (Heads and ends in the order they come, their 'g' and 'P' found
	 * by memchr: this runs on every line.) */
	const char *e = s + m, *g = memchr(s, 'g', m), *q = m ? memchr(s + 1, 'P', m - 1) : NULL;
	while (g || q) {
		size_t k;
		if (g && (!q || g < q)) {
			k = (size_t)(g - s);
			g = g + 1 < e ? memchr(g + 1, 'g', (size_t)(e - g - 1)) : NULL;
			if (!(k + 2 < m && s[k + 1] == 'c' && s[k + 2] == ' ') || !record_gc(p, s, m, k))
				continue;
			if (p->nopen == SOLO_OPEN) {
				p->solo_off = now + SOLO_AGE;
				continue;
			}
			p->solo_head = p->nopen ? 0 : now;
			p->open_line[p->nopen++] = now;
			continue;
		}
		k = (size_t)(q - s) - 1; /* (the ' ' before it) */
		q = q + 1 < e ? memchr(q + 1, 'P', (size_t)(e - q - 1)) : NULL;
		if (!(s[k] == ' ' && k && s[k - 1] >= '0' && s[k - 1] <= '9'))
			continue;
		const char *x = s + k + 2;
		size_t xn = m - k - 2;
		if (!(!xn || starts(x, xn, " (forced)") || starts(x, xn, "gc ") ||
		      (x[0] >= '0' && x[0] <= '9') || strchr("+/%@-", x[0]) ||
		      starts(x, xn, " ms ") || starts(x, xn, " MB") || key_count(p, x, xn) ||
		      known_shape(x, xn)))
			continue;
		if (!p->nopen)
			continue;
		/* (Which head it ends is not known: the newest stays open, the
		 * longest.) */
		memmove(p->open_line, p->open_line + 1, --p->nopen * sizeof p->open_line[0]);
		if (!p->nopen && p->solo_head && now - p->solo_head < SOLO_SPAN &&
		    now >= p->solo_off)
			p->solo_ok[now % SOLO_LINES] = now;
		p->solo_head = 0;
	}
}

/* Did a record end on the line being read that is one runtime's alone? */
static int solo_record(const struct gctrace *p)
{
	return p->solo_ok[p->counts.lines % SOLO_LINES] == p->counts.lines;
}

#define TENTATIVE_GAP_MAX 4
static int lane_pick(struct gctrace *p, const struct gc_record *r, int whole)
{
	const struct lane *c = &p->lanes[p->cur];
	int strict = (lanes_mixed(p) || writers_lately(p)) && !solo_record(p);
	/* The common case first: the next record of the last lane. */
	int i = p->nlanes && !c->tentative && r->gc == c->gc + 1 && r->procs == c->procs &&
	                r->era == c->era &&
	                (r->at_ms == GC_NULL || c->at == GC_NULL || r->at_ms >= c->at)
	            ? p->cur
	            : lane_of(p, r->gc, r->at_ms, r->procs, r->era);

	p->new_run = 0;
#ifdef GCTRACE_DEBUG
	fprintf(stderr, "pick gc %llu P %d whole %d strict %d heavy %d wd %u dirty %llu line %llu pend %d i %d\n", (unsigned long long)r->gc, r->procs, whole, strict, writers_heavy(p), p->wdens, (unsigned long long)p->dirty_line, (unsigned long long)p->counts.lines, p->was_pending, i);
#endif
	if ((!whole || strict) && r->era != GC_ERA_PRE15 && !record_exact_format(r))
		return -1;
	if (strict) {
		if (r->heap_start_mb > r->heap_end_mb || r->heap_live_mb > r->heap_end_mb)
			return -1;
		/* A line on its own with pieces of records just before it:
		 * another runtime's head may have its tail.  Where nearly
		 * every line is both runtimes', only lines on their own. */
		if (writers_heavy(p) &&
		    (!whole || (p->dirty_line && p->counts.lines - p->dirty_line <= DIRTY_NEAR)) &&
		    !(whole && i >= 0 && lanes_apart(p, i, r)))
			return -1;
		/* Put together or glued: not a number that a digit of the
		 * other's glued onto ("gc " + "2" + "4 @1.832s ..." reads
		 * 24 where 4 came next). */
		if (i >= 0 && (r->gc > p->lanes[i].gc + LANE_GAP_MAX ||
		               (!whole && glued_number(r->gc, p->lanes[i].gc))))
			i = -1;
	}
	if (i >= 0)
		return i;
	p->new_run = 1;
	/* (Where two runtimes print, only its very next numbers and from
	 * a line with no pieces of records just before it: the same two
	 * runtimes can make the same chimera again.) */
	if ((i = lane_of_kind(p, r->gc, r->at_ms, r->procs, r->era, 1)) >= 0 &&
	    (!strict || (r->gc <= p->lanes[i].gc + TENTATIVE_GAP_MAX && whole &&
	                 !(p->dirty_line && p->counts.lines - p->dirty_line <= DIRTY_NEAR)))) {
		/* It follows a tentative lane: a runtime after all. */
		p->lanes[i].tentative = 0;
		p->lanes[i].run = ++p->runs;
		return i;
	}
	/* (A line on its own with nothing torn near it may start a run:
	 * a runtime's first record seen.) */
	int clean = whole && !p->was_pending &&
	            !(p->dirty_line && p->counts.lines - p->dirty_line <= DIRTY_NEAR);
	if (r->gc != 1 && strict && !clean) {
		struct lane *l = &p->lanes[i = lane_slot(p)];
		l->gc = r->gc;
		l->at = r->at_ms;
		l->procs = r->procs;
		l->era = r->era;
		l->used = p->emitted;
		l->tentative = 1;
		return -1;
	}
	/* A new runtime, or one that started again: a new run. */
	i = lane_slot(p);
	p->lanes[i].tentative = 0;
	p->lanes[i].run = ++p->runs;
	return i;
}

static void emit(struct gctrace *p, struct gc_record *r, int i)
{
	struct lane *l = &p->lanes[i];
	/* The number before it: its own runtime's where two print and it
	 * continued one; otherwise the nearest below it of its era (one
	 * runtime whose P changed opens a lane for each P). */
	uint64_t prev = 0, most = 1000, tears = l->tears, since = l->used;
	if ((lanes_mixed(p) || writers_lately(p)) && !p->new_run) {
		prev = l->gc;
	} else {
		/* (Near it: another runtime's numbers say nothing of it.) */
		most = GAP_NEAR;
		for (int k = 0; k < p->nlanes; k++)
			if (!p->lanes[k].tentative && p->lanes[k].era == r->era &&
			    p->lanes[k].gc < r->gc && p->lanes[k].gc > prev &&
			    (p->lanes[k].at == GC_NULL || r->at_ms == GC_NULL ||
			     p->lanes[k].at <= r->at_ms))
				prev = p->lanes[k].gc, tears = p->lanes[k].tears,
				since = p->lanes[k].used;
	}
	/* Only where records were torn since: a log with lines left out
	 * (rotated, rate-limited) lost nothing here.  (The record itself,
	 * put back from its pieces, is no loss.) */
	if (p->tears - tears == (p->resolving && p->pending_tear > tears))
		prev = 0;
#ifdef GCTRACE_DEBUG
	if (prev && r->gc > prev + 1 && r->gc - prev <= 1000) fprintf(stderr, "gap %llu..%llu lane %d new %d\n", (unsigned long long)prev, (unsigned long long)r->gc, i, p->new_run);
#endif
	if (prev && r->gc > prev + 1 && r->gc - prev <= most)
		count_gap(p, prev, r->gc, since);
	/* The stream's first record, a few numbers in, after records were
	 * torn: those before it were lost (some never read as records:
	 * "gc " then the program's fragment). */
	if (!p->emitted && p->tears && r->gc > 1 && r->gc - 1 <= GAP_NEAR) {
		uint64_t before = p->counts.torn_dropped;
		count_gap(p, 0, r->gc, 0);
		/* (More records' "gc " went out as text than the gap and the
		 * drops tell: another runtime's first records, also lost.) */
		early_count(p, p->early_drops + (p->counts.torn_dropped - before));
	}
	/* The first, far in or a new run (gc 1), after records were torn:
	 * no gap tells, the records' "gc " that went out as text do. */
	else if (!p->emitted && p->tears && !p->early_done)
		early_count(p, p->early_drops);
	/* A runtime's first record seen, two printing: those just before
	 * it that went out as text while one printed were lost. */
	else if (p->new_run && !prev && two_writers(p))
		count_gap(p, r->gc > GAP_NEAR ? r->gc - GAP_NEAR - 1 : 0, r->gc, 0);
	/* (Of the same P and era as the latest run: a runtime whose P
	 * changed and changed back opens runs of its own.) */
	if (!p->new_run && l->run < p->runs)
		for (int k = 0; k < p->nlanes; k++)
			if (p->lanes[k].run == p->runs && !p->lanes[k].tentative &&
			    p->lanes[k].procs == r->procs && p->lanes[k].era == r->era)
				p->concurrent_at = p->emitted + 1;
	if (p->emitted && r->gc < p->last_gc && !p->new_run) {
		p->rev_old = p->rev_new;
		p->rev_new = p->emitted;
	}
	p->last_gc = r->gc;
	l->gc = r->gc;
	l->at = r->at_ms;
	l->procs = r->procs;
	l->era = r->era;
	l->globals = r->globals_mb;
	l->used = ++p->emitted;
	l->tears = p->tears;
	p->cur = i;
	r->lane = (uint8_t)i;
	r->run = l->run;
	p->counts.records++;
	p->no_learn = 0;
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
 * A line that may be the remains of a runtime line we could not put back
 * together: not a sample of the program's own lines.  Runtime pieces start
 * with numbers chained by '+' and '/' or followed by a runtime literal;
 * a date ("2026/11/28 17:09") is not one.
 */
static int fragment_like(const char *s, size_t m)
{
	static const char *const after[] = {" ms", " MB", "->", "%", "s ", " P", " @"};
	size_t i = 0;
	int nums = 0, plus = 0, dot = 0;

	if (gcl_looks_continued(s, m) || (m >= 2 && s[m - 2] == ' ' && s[m - 1] == 'P'))
		return 1;
	if (i < m && (s[i] == '+' || s[i] == '/')) {
		if (i + 1 < m && s[i + 1] >= '0' && s[i + 1] <= '9')
			return 1; /* "/0.007/75+..." */
		plus = s[i] == '+';
		i++;
	}
	for (;;) {
		size_t j = i;
		while (j < m && ((s[j] >= '0' && s[j] <= '9') || s[j] == '.')) {
			dot |= s[j] == '.';
			j++;
		}
		if (j == i)
			break;
		nums++;
		i = j;
		if (i < m && (s[i] == '+' || s[i] == '/')) {
			plus |= s[i] == '+';
			i++;
			continue;
		}
		break;
	}
	if (nums == 0)
		return i > 0;
	/* Chained numbers with decimals are the runtime's times. */
	if (plus || i >= m || (dot && nums > 1))
		return 1;
	for (size_t k = 0; k < sizeof after / sizeof after[0]; k++)
		if (starts(s + i, m - i, after[k]))
			return 1;
	/* A decimal glued to text ("0.041INFO ..."). */
	return dot && s[i] != ' ';
}

/* Text that only the runtime writes: a line holding it is not wholly the
 * program's (a fragment of the program's may have come before it). */
static int has_runtime_text(const char *s, size_t n)
{
	static const char *const lits[] = {" ms clock, ", " ms cpu, ", " MB goal, ",
	                                   " MB stacks, ", " MB globals, "};
	for (size_t i = 0; i < sizeof lits / sizeof lits[0]; i++)
		if (memmem(s, n, lits[i], strlen(lits[i])))
			return 1;
	/* Phase times chained by '+' or '/': "0.22+0.67", "8.0/0". */
	for (size_t i = 1; i + 1 < n; i++) {
		if (s[i] != '+' && s[i] != '/')
			continue;
		size_t a = i, b = i + 1;
		int dot = 0;
		while (a > 0 && ((s[a - 1] >= '0' && s[a - 1] <= '9') || s[a - 1] == '.'))
			dot |= s[--a] == '.';
		while (b < n && ((s[b] >= '0' && s[b] <= '9') || s[b] == '.'))
			dot |= s[b++] == '.';
		/* Runtime chains stand alone: not "17:09:05.123+00:00". */
		int left = a == 0 || s[a - 1] == ' ' || s[a - 1] == '+' || s[a - 1] == '/';
		int right = b == n || s[b] == ' ' || s[b] == '+' || s[b] == '/';
		if (a < i && b > i + 1 && dot && left && right)
			return 1;
	}
	return 0;
}

/*
 * Newline-less fragments of the program's.  Only text that cannot be
 * part of a gc line and cannot run into the runtime's numbers: it starts
 * with a letter or a bracket, ends with neither a digit nor a '.', and
 * holds no runtime literal.  Then where it starts at a cut, the runtime's
 * part can only go on right after it.
 */
static int frag_ok(const char *s, size_t n)
{
	unsigned char c0 = n ? (unsigned char)s[0] : 0, c1 = n ? (unsigned char)s[n - 1] : 0;

	if (n < 3 || n >= FRAG_MAX)
		return 0;
	if (!(((c0 | 32) >= 'a' && (c0 | 32) <= 'z') || c0 == '[' || c0 == '{' || c0 == '<' ||
	      c0 == '"'))
		return 0;
	if ((c1 >= '0' && c1 <= '9') || c1 == '.')
		return 0;
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x20 || (unsigned char)s[i] > 0x7e)
			return 0;
	if (fragment_like(s, n) || has_runtime_text(s, n) || gcl_looks_continued(s, n) ||
	    memmem(s, n, "gc", 2) || memmem(s, n, " P", 2) || memmem(s, n, "(forced)", 8) ||
	    memmem(s, n, " MB", 3) || memmem(s, n, " ms", 3) || memmem(s, n, "->", 2) ||
	    memchr(s, '%', n) || memchr(s, '@', n))
		return 0;
	return 1;
}

/* w: 2 where the text is surely a fragment (the runtime's newline or the
 * runtime's next piece ended it), 1 where it only reads as one
 * (frag_discover). */
static void frag_learn(struct gctrace *p, const char *s, size_t n, int w)
{
	int i;

	if (!frag_ok(s, n))
		return;
	for (i = 0; i < p->nfrags; i++)
		if (p->frags[i].len == n && memcmp(p->frags[i].s, s, n) == 0)
			break;
	if (i == p->nfrags) {
		if (p->nfrags < FRAG_SLOTS)
			p->nfrags++;
		else /* the one seen least goes */
			for (int j = i = 0; j < FRAG_SLOTS; j++)
				if (p->frags[j].seen < p->frags[i].seen)
					i = j;
		p->frags[i].len = (uint8_t)n;
		p->frags[i].seen = 0;
		memcpy(p->frags[i].s, s, n);
	}
	p->frags[i].seen = (uint8_t)(p->frags[i].seen + w > 255 ? 255 : p->frags[i].seen + w);
}

/* The length of a known fragment s[0..n) starts with (the longest), or 0. */
static size_t frag_at(const struct gctrace *p, const char *s, size_t n)
{
	size_t best = 0;

	for (int i = 0; i < p->nfrags; i++)
		if (p->frags[i].seen >= 2 && p->frags[i].len <= n && p->frags[i].len > best &&
		    memcmp(p->frags[i].s, s, p->frags[i].len) == 0)
			best = p->frags[i].len;
	return best;
}

/*
 * Two runtimes write this stream: a line holds a gc line's own text (or
 * "gc ", or a number) and, right after it, another "gc "; or a literal
 * that a gc line holds once, twice.  One runtime prints "gc " only after
 * the newline of its last line; a program seldom writes "gc " after the
 * runtime's " ms clock, ".  Noted by line (see lane_pick).
 */
static void note_writers(struct gctrace *p, const char *s, size_t m)
{
	static const char *const once[] = {" ms clock, ", " ms cpu, ", " MB goal, "};
	size_t q;

	if (m < 4)
		return;
	q = logprefix_skip(s, m);

	/* The runtime's other lines hold " ms clock, " too (inittrace). */
	if (runtime_head_kind_at(s + q, m - q))
		return;
	for (size_t i = 0; i < sizeof once / sizeof once[0]; i++) {
		size_t l = strlen(once[i]);
		const char *a = memmem(s, m, once[i], l);
		if (a && memmem(a + l, m - (size_t)(a + l - s), once[i], l)) {
			p->writers_line = p->counts.lines;
			return;
		}
	}
	for (const char *g = s + 1; (g = memmem(g, m - (size_t)(g - s), "gc ", 3)); g += 3) {
		size_t k = (size_t)(g - s);
		/* (Or right after a number: "0.090gc +378".) */
		if ((k >= 3 && memcmp(s + k - 3, "gc ", 3) == 0) || digit_at(s, m, k - 1) ||
		    has_runtime_text(s, k)) {
			p->writers_line = p->counts.lines;
			return;
		}
	}
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

	/* The program's text after a cut must look like the program's lines
	 * seen whole, and hold nothing only the runtime writes. */
	int known = 0, best = -1, whole[GCL_MAX_CUTS];
	unsigned cnt[GCL_MAX_CUTS];
	for (int i = 0; i < nc; i++) {
		const char *x = s + base + cuts[i].pos;
		size_t xn = n - base - cuts[i].pos;
		if (best < 0 || cuts[i].pos > cuts[best].pos)
			best = i;
		whole[i] = !fragment_like(x, xn) && !has_runtime_text(x, xn);
		cnt[i] = whole[i] ? key_count(p, x, xn) : 0;
		/* A common logger's shape counts as seen twice: what the
		 * program's own lines showed stays on top. */
		if (whole[i] && !cnt[i] && known_shape(x, xn))
			cnt[i] = 2;
		keep[i] = cnt[i] > 0;
		known += keep[i];
	}
#ifdef GCTRACE_DEBUG
	for (int i = 0; i < nc; i++)
		fprintf(stderr, "    cut %u keep %d whole %d cnt %u x=%.10s\n", cuts[i].pos, keep[i], whole[i], cnt[i], s + base + cuts[i].pos);
#endif
	/* Splits of one number (the same run of digits): a shape seen four
	 * times as often as another wins. */
	for (int i = 0; known > 1 && i < nc; i++)
		for (int j = 0; keep[i] && j < nc; j++)
			if (j != i && keep[j] && cuts[j].pos - cuts[j].digits ==
			                             cuts[i].pos - cuts[i].digits &&
			    cnt[i] * 4 <= cnt[j])
				keep[i] = 0;
	if (!known && best >= 0 && whole[best]) {
		/* Nothing like it seen yet: a program line that starts with a
		 * letter or a bracket right after the runtime's last token
		 * almost surely starts there. */
		size_t at = base + cuts[best].pos;
		unsigned char c = at < n ? (unsigned char)s[at] : 0;
		keep[best] = ((c | 32) >= 'a' && (c | 32) <= 'z') || c == '[' ||
		             c == '{' || c == '<' || c == '"';
	}
	/* The collection number: when a cut left gives the one a runtime
	 * expects next, cuts that give another are dropped; those before the
	 * number stay.  (Not so for 1, a new process: "gc 1" also starts
	 * "gc 182".) */
	int any = 0;
	for (int i = 0; i < nc; i++)
		any |= keep[i] && cuts[i].st.v[GCL_F_GC] != GC_NULL &&
		       lane_expects(p, (uint64_t)cuts[i].st.v[GCL_F_GC]);
	for (int i = 0; any && i < nc; i++)
		keep[i] &= cuts[i].st.v[GCL_F_GC] == GC_NULL ||
		           lane_expects(p, (uint64_t)cuts[i].st.v[GCL_F_GC]);
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
	h->rec = 0;
	memcpy(p->arena + p->arena_used, s, n);
	p->arena[p->arena_used + n] = '\n';
	p->arena_used += n + 1;
	return 1;
}

/* What the log prefix s[0..n) says of a record: its source and time. */
static void prefix_of(struct gctrace *p, const char *s, size_t n, struct gc_record *r)
{
	r->wall_ms = logprefix_source_time(s, n, r->source, sizeof r->source, p->now_s,
	                                   &p->clk);
}

/* The same, for the torn record being put back. */
static void pending_prefix(struct gctrace *p, const char *s, size_t n)
{
	p->wall_ms = logprefix_source_time(s, n, p->source, sizeof p->source, p->now_s,
	                                   &p->clk);
}

void gctrace_set_clock(struct gctrace *p, int64_t now_s)
{
	p->now_s = now_s;
}

static void pending_clear(struct gctrace *p)
{
	p->pending = 0;
	p->nheld = 0;
	p->arena_used = 0;
	p->nhyp = 0;
	p->source[0] = 0;
	p->wall_ms = GC_NULL;
}

static void whole_record(struct gctrace *p, const char *s, size_t at, size_t len,
                         struct gc_record *r);

/* Held line i, another runtime's whole gc line: its record, in order. */
static void held_record(struct gctrace *p, int i)
{
	const char *s = held_text(p, i);
	const struct held *l = &p->held[i];
	size_t at = logprefix_skip(s, l->plen);
	struct gc_record r;

	if (l->rec == HELD_WHOLE && parse_whole(s, l->plen, at, &r)) {
		whole_record(p, s, at, l->len + l->nl, &r);
		return;
	}
	/* (Counted as it goes out: where two runtimes print, by its "gc ".) */
	if (l->rec == HELD_CUT)
		count_drop(p, DROP_OWN);
	deliver_foreign(p, s, l->len + l->nl);
}

static int held_go_header(const struct gctrace *p);

/* Does s[0..n) end with the go command's "# PKG", on its own or glued
 * after the line it tore? */
static int go_header_tail(const char *s, size_t n)
{
	for (const char *h = s; (h = memmem(h, n - (size_t)(h - s), "# ", 2)); h += 2) {
		size_t k = (size_t)(h - s) + 2, e = k;
		while (e < n && (unsigned char)s[e] > ' ' && (unsigned char)s[e] < 0x7f)
			e++;
		/* (A test variant: "# p [p.test]".) */
		if (e + 1 < n && s[e] == ' ' && s[e + 1] == '[' && s[n - 1] == ']')
			e = n;
		if (e == n && e > k)
			return 1;
	}
	return 0;
}

/* The lines of one block the go command prints: "# PKG" and a tool's gc
 * lines (a compiler's, a linker's: a few collections each). */
#define GO_BLOCK_LINES 8
static int go_block_near(const struct gctrace *p)
{
	return p->go_line && p->counts.lines - p->go_line <= GO_BLOCK_LINES;
}

/*
 * Is s[0..m) a record's head and nothing more ("gc ", "gc 3", "gc 3 @8.094s
 * 0%: ... MB goal, "), with its newline?  No runtime ends a line so (its
 * own newline comes after " P"): a process that exited mid-print, the
 * newline added by the go command that printed its output.  Its record is
 * lost.
 */
static int cut_head(const char *s, size_t m)
{
	size_t at = logprefix_skip(s, m);
	struct gcl_state st;
	struct gcl_cut cuts[GCL_MAX_CUTS];
	int nc;

	if (!starts(s + at, m - at, "gc "))
		return 0;
	gcl_start(&st);
	if (gcl_match(&st, s + at, m - at, cuts, &nc) != GCL_PARTIAL)
		return 0;
	for (int i = 0; i < nc; i++)
		if (cuts[i].pos == m - at && !gcl_endable(&cuts[i].st))
			return 1;
	return 0;
}

/*
 * Does the held record's head run on into the next line: "gc " and the
 * program's fragment on the first ("gc 160finished 221", "gc finished
 * 497"), and the runtime's " @" at the start of the next (" @75.308s",
 * or after the number: "160 @72.459s")?  Its record is lost, and counted
 * at the drop: where it was the stream's last, no later record's gap
 * counts it (a gap that does takes the drop for one of its own).  *gc:
 * its number where a run expects it (0: not known); *reads: what the
 * digits after its "gc " read (0: none).
 */
static int head_runs_on(const struct gctrace *p, uint64_t *gc, uint64_t *reads)
{
	if (p->held[0].rec || p->held[1].rec)
		return 0;
	const char *h = held_text(p, 0), *t = held_text(p, 1);
	size_t n = p->held[0].plen, m = p->held[1].plen, at = logprefix_skip(h, n);
	size_t i = at + 3, q = p->prefixed ? logprefix_skip_as(t, m, &p->pshape) : 0, j = q;

	if (!starts(h + at, n - at, "gc "))
		return 0;
	uint64_t g = digits_at(h, n, &i), g2 = digits_at(t, m, &j);
	*reads = g;
	if (!starts(t + j, m - j, " @") ||
	    !(digit_at(t, m, j + 2) || frag_at(p, t + j + 2, m - j - 2)))
		return 0;
	/* (Digits on both lines: the number is cut, its value unknown.) */
	if (g && j > q)
		g = 0;
	else if (!g)
		g = g2;
	*gc = g && lane_expects(p, g) ? g : 0;
	return 1;
}

/* Give up on the record: every held line goes out as it came. */
static void pending_drop(struct gctrace *p)
{
	int real = 0, own = 0;
	int64_t gc = 0;
	uint64_t rest_gc, reads;

	for (int i = 0; i < p->nhyp; i++) {
		if (gcl_is_strong(&p->hyp[i].st) || p->hyp[i].npieces > 1)
			real = 1;
		/* Its number, if every reading agrees. */
		int64_t g = p->hyp[i].st.v[GCL_F_GC];
		gc = g == GC_NULL || (gc && gc != g) ? -1 : gc ? gc : g;
	}
	/* "gc " and, further on, " @": a record start broken by a fragment
	 * of the program's text, not "gc " in prose. */
	if (p->nheld && memmem(held_text(p, 0), p->held[0].plen, " @", 2))
		real = 1;
	/* Its number as its first line says ("gc 39 @..."), when no reading
	 * is left to say it (a gap in another runtime's numbers must not be
	 * taken for it).  "gc 2" cut short is a record where a runtime's run
	 * expects 2 (a compiler that exited mid-print, the go command added
	 * the newline). */
	if (p->nheld) {
		const char *h = held_text(p, 0);
		size_t n = p->held[0].plen, at = logprefix_skip(h, n), i = at + 3;
		int head = starts(h + at, n - at, "gc ");
		uint64_t g = 0;
		if (head && digit_at(h, n, i)) {
			g = digits_at(h, n, &i);
			if (i < n && (h[i] == ' ' || h[i] == '#') && gc <= 0)
				gc = (int64_t)g;
			else if (i == n && lane_expects(p, g))
				real = 1, gc = (int64_t)g;
		}
		/* Where several runtimes print, a line that begins "gc " is a
		 * record's start: cut short by its process's exit ("gc " alone),
		 * or the go command's, torn by the output it printed ("gc # PKG")
		 * and lost. */
		if (head && (concurrent(p) || held_go_header(p)))
			real = 1;
		/* The last line of a block the go command printed, cut short
		 * ("gc " then its newline): no run's, no gap tells of it. */
		if (!real && p->nheld == 1 && go_block_near(p) && cut_head(h, n))
			real = own = 1;
	}
	if (real) {
		p->torn_at = p->emitted + 1;
		p->torn_line = p->counts.lines;
		p->dirty_line = p->counts.lines;
		count_drop(p, own ? DROP_OWN : gc > 0 ? (uint64_t)gc : 0);
		p->no_learn = 1;
	} else if (p->nheld >= 2 && head_runs_on(p, &rest_gc, &reads)) {
		/* Counted only: the held lines are read as they were.  Before
		 * the first record its "gc " is one of those gone out as text
		 * (early_settle), also where the fragment after it hides it. */
		const char *h = held_text(p, 0);
		size_t n = p->held[0].plen, at = logprefix_skip(h, n);
		if (!p->early_done && !two_writers(p) && !record_gc(p, h, n, at))
			p->early_gc++;
		if (rest_gc)
			count_drop(p, rest_gc);
		else
			count_drop_text(p, reads);
	}
	/* (Copied: a held record's emit may not see this one half cleared.) */
	int nheld = p->nheld;
	p->pending = 0;
	for (int i = 0; i < nheld; i++) {
		if (p->held[i].rec)
			held_record(p, i);
		else
			deliver_foreign(p, held_text(p, i), p->held[i].len + p->held[i].nl);
	}
	pending_clear(p);
}

/*
 * Where the runtime's " (forced)" sits in the program's text after a piece
 * that ends with " P" ("4 Ppartial write  (forced)..."): a fragment of the
 * program's came between.  Returns its offset in the line, or 0.
 */
static size_t forced_in(const struct gctrace *p, const struct piece *pc)
{
	const char *s = held_text(p, pc->line);
	const struct held *l = &p->held[pc->line];
	const char *f;

	if (pc->to < 2 || s[pc->to - 2] != ' ' || s[pc->to - 1] != 'P')
		return 0;
	f = memmem(s + pc->to, l->plen - pc->to, " (forced)", 9);
	return f ? (size_t)(f - s) : 0;
}

/*
 * What is left of a line once the runtime's bytes are taken out: s[0..a)
 * (the collector's prefix, s[0..pre), and maybe the program's text), then
 * s[b..c) and s[d..e).  It goes out as one piece, unless it is only the
 * prefix: the collector's prefix goes with the program's text it was put
 * before, and a line that was all the runtime's leaves nothing.
 */
static void deliver_parts(struct gctrace *p, const char *s, size_t a, size_t pre,
                          size_t b, size_t c, size_t d, size_t e)
{
	size_t n = 0;

	if (a <= pre && c <= b && e <= d)
		return;
	memcpy(p->scratch, s, a);
	n = a;
	if (c > b) {
		memcpy(p->scratch + n, s + b, c - b);
		n += c - b;
	}
	if (e > d) {
		memcpy(p->scratch + n, s + d, e - d);
		n += e - d;
	}
	deliver_foreign(p, p->scratch, n);
}

/*
 * The record is whole: emit it and the program's text around it.  The
 * newline of the record's last line is the runtime's; text after the
 * runtime's part on that line (a fragment written without a newline just
 * before it) goes out without one.
 */
static void pending_resolve_in(struct gctrace *p, const struct hyp *h, int lane);

static void pending_resolve(struct gctrace *p, const struct hyp *h)
{
	pending_resolve_in(p, h, -1);
}

/* The same in a lane already chosen (lane >= 0), or in lane_pick's. */
static void pending_resolve_in(struct gctrace *p, const struct hyp *h, int lane)
{
	struct gc_record r;
	int k = 0;

	gcl_to_record(&h->st, &r);
	if (forced_in(p, &h->pieces[h->npieces - 1]))
		r.forced = true;
	memcpy(r.source, p->source, sizeof r.source);
	r.wall_ms = p->wall_ms;
	if (lane >= 0)
		p->new_run = 0;
	else
		lane = lane_pick(p, &r, 0);
	if (lane < 0) {
		pending_drop(p);
		return;
	}
	if (h->npieces > 1) {
		p->counts.torn_recovered++;
		p->torn_at = p->emitted + 1;
		p->torn_line = p->counts.lines;
	}
	p->resolving = 1;
	emit(p, &r, lane);
	p->resolving = 0;
	for (int i = 0; i < p->nheld; i++) {
		const char *s = held_text(p, i);
		const struct held *l = &p->held[i];
		if (k < h->npieces && h->pieces[k].line == i) {
			int k0 = k;
			while (k < h->npieces && h->pieces[k].line == i)
				k++;
			const struct piece *pc = &h->pieces[k0], *pe = &h->pieces[k - 1];
			int last = k == h->npieces;
			size_t f = last ? forced_in(p, pe) : 0;
			/* Elsewhere the newline ends the program's line glued
			 * after the runtime's part. */
			size_t end = last ? l->plen : l->len + l->nl;
			/* What the line holds before the runtime's part: the
			 * collector's prefix, on the first line perhaps text
			 * the program wrote just before. */
			size_t pre = k0 == 0 ? logprefix_skip(s, pc->from) : pc->from;
			/* The program's fragments between the runtime's pieces
			 * of this line, then its text after them. */
			size_t n = pc->from, extra = 0;
			memcpy(p->scratch, s, n);
			for (int j = k0 + 1; j < k; j++) {
				size_t a = h->pieces[j - 1].to, b = h->pieces[j].from;
				frag_learn(p, s + a, b - a, 2);
				memcpy(p->scratch + n, s + a, b - a);
				n += b - a, extra += b - a;
			}
			size_t c = f ? f : end;
			if (last && c > pe->to)
				frag_learn(p, s + pe->to, c - pe->to, 2);
			memcpy(p->scratch + n, s + pe->to, c - pe->to);
			n += c - pe->to, extra += c - pe->to;
			if (f) {
				memcpy(p->scratch + n, s + f + 9, end - f - 9);
				n += end - f - 9, extra += end - f - 9;
			}
			if (pc->from > pre || extra)
				deliver_foreign(p, p->scratch, n);
		} else if (l->rec) {
			held_record(p, i);
		} else {
			/* A whole line of the program's, by a record that came
			 * out whole around it: a sample of its shapes. */
			if (!fragment_like(s, l->plen) && find_gc(s, l->plen, 0) < 0)
				key_learn(p, s, l->plen);
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

/*
 * A known fragment of the program's at a cut of line li (the runtime's
 * part from q): the runtime's part goes on after it, on the same line.
 * Complete readings go to done, partial ones to set.  h: the hypothesis
 * continued (NULL on the record's first line).
 */
static void frag_continue(struct gctrace *p, struct hyp *set, int *nset, const struct hyp *h,
                          int li, const char *s, size_t n, size_t q,
                          const struct gcl_state *cst, size_t cpos, int depth)
{
	size_t at = q + cpos, fl;
	struct hyp t;
	struct gcl_state st = *cst;
	struct gcl_cut cuts[GCL_MAX_CUTS];
	int nc, keep[GCL_MAX_CUTS];

	if (depth >= FRAG_DEPTH || !p->nfrags || !(fl = frag_at(p, s + at, n - at)) ||
	    at + fl >= n)
		return;
	/* Digits right after the fragment may be the program's: it may write
	 * the same text with a number after it ("count: " then "42\n", or
	 * "partial write 9"), glued onto the runtime's number ("3" reads
	 * "93").  Nothing in the stream tells, so the record is not put back
	 * that way. */
	if (digit_at(s, n, at + fl))
		return;
	t.npieces = 0;
	if (h) {
		t.npieces = h->npieces;
		memcpy(t.pieces, h->pieces, h->npieces * sizeof t.pieces[0]);
	}
	if (t.npieces >= MAX_PIECES - 1)
		return;
	t.pieces[t.npieces++] = (struct piece){(uint16_t)li, (uint32_t)q, (uint32_t)at};
	t.st = st;
	t.last = (uint16_t)li;
	size_t off = at + fl;
	switch (gcl_match(&st, s + off, n - off, cuts, &nc)) {
	case GCL_COMPLETE:
		hyp_add(p, p->done, &p->ndone, &t, &st, (uint16_t)li, (uint32_t)off, (uint32_t)n);
		return;
	case GCL_PARTIAL:
		choose_cuts(p, s, n, off, cuts, nc, keep);
		for (int i = 0; i < nc; i++) {
			if (cuts[i].pos == 0)
				continue;
			if (keep[i])
				hyp_add(p, set, nset, &t, &cuts[i].st, (uint16_t)li, (uint32_t)off,
				        (uint32_t)(off + cuts[i].pos));
			frag_continue(p, set, nset, &t, li, s, n, off, &cuts[i].st, cuts[i].pos,
			              depth + 1);
		}
		return;
	case GCL_NONE:
		return;
	}
}

/*
 * Where the runtime's part of a line stops at s[at] (state cst) and text
 * follows that may be a fragment of the program's with the runtime's
 * part going on after it: if exactly one such split reads on (to the end
 * of the record, or at least a few bytes further), note the fragment as
 * seen once.  Nothing is emitted on it: a fragment seen twice this way
 * is used for later records (frag_at).
 */
static void frag_discover(struct gctrace *p, const char *s, size_t n, size_t at,
                          const struct gcl_state *cst)
{
	struct gcl_cut cuts[GCL_MAX_CUTS];
	size_t e = at, found = 0;
	int nfound = 0, nc;

	if (at >= n || !(((unsigned char)s[at] | 32) >= 'a' && ((unsigned char)s[at] | 32) <= 'z'))
		return;
	while (e < n && e - at < FRAG_MAX && !(s[e] >= '0' && s[e] <= '9'))
		e++;
	for (size_t j = at + 3; j <= e && j < n && nfound < 2; j++) {
		if (!frag_ok(s + at, j - at))
			continue;
		struct gcl_state st = *cst;
		enum gcl_result r = gcl_match(&st, s + j, n - j, cuts, &nc);
		size_t far = 0;
		for (int i = 0; r == GCL_PARTIAL && i < nc; i++)
			if (cuts[i].pos > far)
				far = cuts[i].pos;
		if (r == GCL_COMPLETE || far >= 4)
			found = j, nfound++;
	}
	if (nfound == 1)
		frag_learn(p, s + at, found - at, 1);
}

/* A put-together record must fit the numbering: the next numbers of a
 * runtime already seen (some may have been lost), same P, same era; or a
 * new process, or one that started again (numbers and "@" times start
 * again, or the shape of the lines says so).  One process prints one
 * shape of line: a put-together record of another era is a misreading. */
static int fits_sequence(const struct gctrace *p, const struct hyp *h)
{
	uint64_t g = (uint64_t)h->st.v[GCL_F_GC];
	struct gc_record r;

	if (!p->nlanes || g == 1)
		return 1;
	gcl_to_record(&h->st, &r);
#ifdef GCTRACE_DEBUG
	for (int i = 0; i < p->nlanes; i++)
		fprintf(stderr, "  lane %d: gc %llu at %lld P %d era %d used %llu/%llu\n", i,
		        (unsigned long long)p->lanes[i].gc, (long long)p->lanes[i].at,
		        p->lanes[i].procs, p->lanes[i].era, (unsigned long long)p->lanes[i].used,
		        (unsigned long long)p->emitted);
#endif
	if (lane_of(p, g, r.at_ms, r.procs, r.era) >= 0)
		return 1;
	/* Otherwise it is judged against the runtime that printed last, as
	 * for one process; a record of another P is another process's. */
	const struct lane *l = &p->lanes[0];
	for (int i = 1; i < p->nlanes; i++)
		if (p->lanes[i].used > l->used)
			l = &p->lanes[i];
	if (r.procs != l->procs)
		return 1;
	if (g <= l->gc)
		return (r.at_ms != GC_NULL && l->at != GC_NULL && r.at_ms < l->at) ||
		       r.era != l->era || g <= l->gc / 2;
	return g <= l->gc + 1000 && r.era == l->era;
}

/* Pick among hypotheses that reached the end of the record. */
static const struct hyp *pick(struct gctrace *p)
{
	int alive[MAX_HYP], n = p->ndone, any = 0;
	struct gc_record a, b;

	for (int i = 0; i < n; i++)
		any |= alive[i] = fits_sequence(p, &p->done[i]);
	if (!any)
		return NULL;
	/* Prefer plausible values, then the expected number. */
	for (int pass = 0; pass < 2; pass++) {
		int ok[MAX_HYP];
		any = 0;
		for (int i = 0; i < n; i++) {
			ok[i] = alive[i] &&
			        (pass == 0 ? gcl_plausible(&p->done[i].st)
			                   : lane_expects(p, (uint64_t)p->done[i].st.v[GCL_F_GC]));
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

/*
 * Try to continue hypothesis h with held line li at offset q.  Returns
 * whether the line may instead be wholly the program's under h: when it
 * does not continue h at all, or when its start looks like a program line
 * (a log line "2026/11/28 ..." can read like "assist/background/idle").
 */
static int continue_hyp(struct gctrace *p, const struct hyp *h, int li, size_t q)
{
	const char *s = held_text(p, li);
	size_t n = p->held[li].plen;
	struct gcl_state st = h->st;
	struct gcl_cut cuts[GCL_MAX_CUTS];
	int nc, keep[GCL_MAX_CUTS];
	int skip = 1;

	/* A fragment of the program's first, the runtime's part after it. */
	frag_continue(p, p->next, &p->nnext, h, li, s, n, q, &h->st, 0, 0);
	switch (gcl_match(&st, s + q, n - q, cuts, &nc)) {
	case GCL_COMPLETE:
		hyp_add(p, p->done, &p->ndone, h, &st, (uint16_t)li, (uint32_t)q,
		        (uint32_t)n);
		return 0;
	case GCL_PARTIAL:
		choose_cuts(p, s, n, q, cuts, nc, keep);
		skip = 0;
		for (int i = 0, best = -1; i <= nc; i++) {
			if (i == nc) {
				if (best >= 0)
					frag_discover(p, s, n, q + cuts[best].pos, &cuts[best].st);
				break;
			}
			if (best < 0 || cuts[i].pos > cuts[best].pos)
				best = i;
			if (cuts[i].pos > 0)
				frag_continue(p, p->next, &p->nnext, h, li, s, n, q,
				              &cuts[i].st, cuts[i].pos, 0);
			if (!keep[i])
				continue;
			if (cuts[i].pos == 0)
				skip = 1;
			else
				hyp_add(p, p->next, &p->nnext, h, &cuts[i].st,
				        (uint16_t)li, (uint32_t)q,
				        (uint32_t)(q + cuts[i].pos));
		}
		return skip;
	case GCL_NONE:
		frag_discover(p, s, n, q, &h->st);
		break;
	}
	return 1;
}

/*
 * The record lacks only its end, and the line that came is not that end:
 * the runtime's newline was the one on the record's last line, after a
 * fragment of the program's text.  Finish the record that way.  Returns
 * whether it could.
 */
static int pending_finish_early(struct gctrace *p)
{
	int n = 0;
	/* Where two runtimes print, the " (forced)" of a record whose
	 * " P" was followed by a line of the program's can still come, after
	 * the other's lines: it is not known whether it was forced. */
	int endable = lanes_mixed(p) || writers_lately(p) ? 1 : 2;

	for (int i = 0; i < p->nhyp; i++)
		if (gcl_endable(&p->hyp[i].st) && gcl_endable(&p->hyp[i].st) <= endable)
			p->done[n++] = p->hyp[i];
	p->ndone = n;
	if (!n)
		return 0;
	const struct hyp *h = pick(p);
	if (!h)
		return 0;
	pending_resolve(p, h);
	return 1;
}

static void fresh_line(struct gctrace *p, const char *s, size_t n, size_t m, int nl);

/* Does hypothesis h end with the runtime's " (forced)" after a fragment of
 * the program's text ("8 Ppartial write  (forced)")? */
static int forced_tail(const struct gctrace *p, const struct hyp *h)
{
	const struct piece *pc = &h->pieces[h->npieces - 1];
	const struct held *l = &p->held[pc->line];

	return gcl_endable(&h->st) == 2 && pc->line == p->nheld - 1 &&
	       l->plen - pc->to >= 9 &&
	       memcmp(held_text(p, pc->line) + l->plen - 9, " (forced)", 9) == 0;
}

/* Such a record needs nothing more: finish it now.  Returns whether. */
static int pending_forced_tail(struct gctrace *p)
{
	int n = 0;

	for (int i = 0; i < p->nhyp; i++)
		if (forced_tail(p, &p->hyp[i]))
			p->done[n++] = p->hyp[i];
	p->ndone = n;
	const struct hyp *h = n ? pick(p) : NULL;
	if (h)
		pending_resolve(p, h);
	return h != NULL;
}

/* Does this line begin something the runtime prints on its own? */
static int starts_runtime_line(const char *s, size_t m)
{
	size_t at;
	struct gc_record r;

	if (runtime_kind(s, m, &at))
		return 1;
	/* "gc " opening a line: the runtime has begun another record (or
	 * the program wrote "gc "; then the held record is only finished
	 * early, no harm). */
	at = logprefix_skip(s, m);
	if (starts(s, m, "gc ") || (at && starts(s + at, m - at, "gc ")))
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

/*
 * Two runtimes' tokens interleaved in one line ("gc 53 @27.704gc s 219318
 * @56.918%s : ..."): one runtime's record ends there, its newline ending
 * the line, and the other's record goes on on later lines.  Each must
 * continue a run open in a lane: its next numbers (a few may have been
 * lost), "@" not going back, same P and era.  A line is taken apart only
 * where every way to do it (every pair of lanes, every reading of the
 * torn record held, every split of glued digits) gives the same records
 * (gcmerge.h); anything else is left to the rest of the parser, which
 * drops and counts.
 */
#define SPLIT_GAP_MAX 8

/* The lanes a record may continue when two runtimes are taken apart:
 * real ones, used lately, of the eras gcline reads; the SPLIT_LANES
 * used last (each pair is a search). */
#define SPLIT_LANES 4
static int split_lanes(const struct gctrace *p, int *cand)
{
	int n = 0;

	for (int i = 0; i < p->nlanes; i++) {
		if (p->lanes[i].tentative || p->lanes[i].era == GC_ERA_PRE15 ||
		    p->lanes[i].used + LANE_RECENT <= p->emitted)
			continue;
		/* Kept in order, most lately used first. */
		int k = n < SPLIT_LANES ? n++ : SPLIT_LANES;
		while (k > 0 && p->lanes[cand[k - 1]].used < p->lanes[i].used) {
			if (k < SPLIT_LANES)
				cand[k] = cand[k - 1];
			k--;
		}
		if (k < SPLIT_LANES)
			cand[k] = i;
	}
	return n;
}

static void split_run(const struct lane *l, struct gcm_run *r)
{
	r->gc_lo = l->gc + 1;
	r->gc_hi = l->gc + SPLIT_GAP_MAX;
	r->at_min = l->at;
	r->procs = l->procs;
	r->era = l->era;
	r->globals = l->globals;
}

/* Does state st, so far, fit lane l's run? */
static int split_fits(const struct lane *l, const struct gcl_state *st)
{
	const int64_t *v = st->v;

	return v[GCL_F_GC] != GC_NULL && (uint64_t)v[GCL_F_GC] > l->gc &&
	       (uint64_t)v[GCL_F_GC] <= l->gc + SPLIT_GAP_MAX &&
	       (v[GCL_F_AT] == GC_NULL || l->at == GC_NULL || v[GCL_F_AT] >= l->at) &&
	       (v[GCL_F_PROCS] == GC_NULL || v[GCL_F_PROCS] == l->procs);
}

/*
 * The answer of the searches for one line, to compare one with the
 * others: the state of the side that ends (its record), and the other's
 * bytes and state.  The side that ends must be the same in every way of
 * every search; the other may not be (then it is lost, its bytes go out
 * as text).
 */
struct split_ans {
	int found, hyp, lane_end, lane_other, held_ends, other_same;
	struct gcl_state end, other;
	size_t olen;
	char otext[GCM_TEXT_MAX];
};

static int state_eq(const struct gcl_state *a, const struct gcl_state *b)
{
	return a->tok == b->tok && memcmp(a->v, b->v, sizeof a->v) == 0;
}

/* Adds one search's answer (side e ended; sides' lanes la, lb); false
 * when the line must be refused. */
/* The record a split found whole: emit it, put back from pieces. */
static void split_emit(struct gctrace *p, const struct split_ans *a)
{
	struct gc_record r;

	gcl_to_record(&a->end, &r);
	p->new_run = 0;
	p->counts.torn_recovered++;
	p->torn_at = p->emitted + 1;
	p->torn_line = p->counts.lines;
	emit(p, &r, a->lane_end);
}

static int split_add(struct gctrace *p, struct split_ans *a, const char *s, size_t m,
                     enum gcm_result r, const struct gcl_state out[2], const int same[2],
                     int e, int hyp, int held_ends, int la, int lb)
{
	char t[GCM_TEXT_MAX];
	size_t tl = 0;

	if (r == GCM_NONE)
		return 1;
	if (r == GCM_AMBIGUOUS || !same[e])
		return 0;
	for (size_t i = 0; i < m; i++)
		if (p->owner[i] == !e)
			t[tl++] = s[i];
	if (a->found++ == 0) {
		a->end = out[e];
		a->other = out[!e];
		a->other_same = same[!e];
		a->hyp = hyp;
		a->held_ends = held_ends;
		a->lane_end = e ? lb : la;
		a->lane_other = e ? la : lb;
		a->olen = tl;
		memcpy(a->otext, t, tl);
		return 1;
	}
	/* (The lane a record goes to is not a value: the same record in
	 * another lane is still exact.) */
	if (a->held_ends != held_ends || !state_eq(&a->end, &out[e]) || a->olen != tl ||
	    memcmp(a->otext, t, tl) != 0)
		return 0;
	if (!same[!e] || !state_eq(&a->other, &out[!e]))
		a->other_same = 0;
	return 1;
}

/* The bytes of a record that cannot be told: out as text, counted. */
static void split_lose(struct gctrace *p, const char *s, size_t n)
{
	p->torn_at = p->emitted + 1;
	p->torn_line = p->counts.lines;
	p->dirty_line = p->counts.lines;
	count_drop(p, 0); /* (noted for a gap, which must not count it again) */
	deliver_foreign(p, s, n);
}

/* A torn record's head, s[0..len) all the runtime's, state st: held until
 * its rest comes.  (If it cannot be held it goes out as text.) */
static void pending_hold_head(struct gctrace *p, const char *s, size_t len,
                              const struct gcl_state *st)
{
	p->tears++;
	if (!hold(p, s, len, len, 0)) {
		deliver_foreign(p, s, len);
		return;
	}
	p->pending = 1;
	p->pending_tear = p->tears;
	p->prefixed = 0;
	p->source[0] = 0;
	p->wall_ms = GC_NULL;
	p->nhyp = 0;
	hyp_add(p, p->hyp, &p->nhyp, NULL, st, 0, 0, (uint32_t)len);
}

static int two_lanes_open(const struct gctrace *p)
{
	int cand[SPLIT_LANES];

	return split_lanes(p, cand) >= 2;
}

/* With no record held: a line from "gc " holding one record whole and
 * the head of another.  The whole one is emitted, the head held. */
static int try_split(struct gctrace *p, const char *s, size_t m)
{
	int cand[SPLIT_LANES], ncand, gcs = 0;
	struct split_ans ans = {0};

	if (m > GCM_TEXT_MAX || !starts(s, m, "gc "))
		return 0;
	for (const char *g = s; (g = memmem(g, m - (size_t)(g - s), "gc ", 3)); g += 3)
		gcs++;
	if (gcs < 2 || (ncand = split_lanes(p, cand)) < 2)
		return 0;
	if (!p->merge && !(p->merge = gcmerge_new()))
		return 0;
	for (int x = 0; x < ncand; x++)
		for (int y = 0; y < ncand; y++) {
			struct gcm_side sd[2];
			struct gcl_state out[2];
			int same[2];
			if (x == y)
				continue;
			for (int k = 0; k < 2; k++) {
				gcl_start(&sd[k].st);
				split_run(&p->lanes[cand[k ? y : x]], &sd[k].run);
				sd[k].ends = !k;
				sd[k].may_skip = 0;
			}
			enum gcm_result r = gcmerge_split(p->merge, s, m, sd, out, p->owner, same);
#ifdef GCTRACE_DEBUG
			fprintf(stderr, "split %d/%d (gc %llu/%llu) -> %d %d%d: %.*s\n", cand[x], cand[y], (unsigned long long)p->lanes[cand[x]].gc, (unsigned long long)p->lanes[cand[y]].gc, r, same[0], same[1], (int)m, s);
#endif
			if (!split_add(p, &ans, s, m, r, out, same, 0, 0, 0, cand[x], cand[y]))
				return 0;
		}
	if (!ans.found)
		return 0;
	split_emit(p, &ans);
	if (ans.other_same)
		pending_hold_head(p, ans.otext, ans.olen, &ans.other);
	else
		split_lose(p, ans.otext, ans.olen);
	return 1;
}

/*
 * Two heads in one line, the line ended by the program's text ("gc 7
 * @3.790s 0gc %1136:  @0.1362.853+" then a line of the program's): no
 * record ends there, both go on on the next lines, still interleaved.
 * The lines are held (pair mode) and the runtime's bytes of each, up to
 * where the program's text begins, are put end to end, as the runtime
 * wrote them; when a line ends with a record's newline, the bytes so far
 * are taken apart as one (try_split's rules).  The record that ends is
 * emitted; the other's bytes become a held torn record, a piece in each
 * line, the program's text after it, so that what goes out is the same
 * whether it is put back or lost.
 */

static int pair_possible(struct gctrace *p, const char *s, size_t n);

/* Where the program's text begins in s[0..m): the one place after
 * which it reads as a line of the program's seen before or of a common
 * logger, and before which the bytes can be two heads (with the pre
 * bytes of pair_buf before them: pair_buf holds them, then s); 0 when
 * there is none or more than one. */
static size_t pair_prog_cut(struct gctrace *p, const char *s, size_t m, size_t pre)
{
	size_t cut = 0;

	for (size_t j = 1; j < m; j++) {
		const char *x = s + j;
		size_t xn = m - j;
		unsigned char c = (unsigned char)s[j], b = (unsigned char)s[j - 1];
		/* A program line begins after the runtime's last token: a
		 * digit, or a literal's last byte. */
		if (!((b >= '0' && b <= '9') || b == ' ' || b == '+' || b == '/' || b == '>' ||
		      b == '%' || b == '@' || b == 'P' || b == ')' || b == '#'))
			continue;
		if (((c | 32) >= 'a' && (c | 32) <= 'z') && b != ' ' && !(b >= '0' && b <= '9'))
			continue;
		if (fragment_like(x, xn) || has_runtime_text(x, xn) || find_gc(x, xn, 0) >= 0)
			continue;
		if (!key_count(p, x, xn) && !known_shape(x, xn))
			continue;
		/* (A time inside the program's line reads as a line too:
		 * the bytes before it are then no runtime's.) */
		if (!pair_possible(p, p->pair_buf, pre + j))
			continue;
		if (cut)
			return 0;
		cut = j;
	}
	return cut;
}

/* The lanes' runs for sides x, y; side 0 ends when ends. */
static void pair_sides(const struct gctrace *p, struct gcm_side sd[2], int x, int y, int ends)
{
	for (int k = 0; k < 2; k++) {
		gcl_start(&sd[k].st);
		split_run(&p->lanes[k ? y : x], &sd[k].run);
		sd[k].ends = !k && ends;
		sd[k].may_skip = 0;
	}
}

/* Can s[0..n) be two heads of the lanes open (neither ending)? */
static int pair_possible(struct gctrace *p, const char *s, size_t n)
{
	int cand[SPLIT_LANES], ncand = split_lanes(p, cand);

	for (int x = 0; x < ncand; x++)
		for (int y = x + 1; y < ncand; y++) {
			struct gcm_side sd[2];
			struct gcl_state out[2];
			int same[2];
			pair_sides(p, sd, cand[x], cand[y], 0);
			if (gcmerge_split(p->merge, s, n, sd, out, NULL, same) != GCM_NONE)
				return 1;
		}
	return 0;
}

/* Give up: the held lines go out as they came (each record's "gc "
 * counted). */
static void pair_drop(struct gctrace *p)
{
	p->torn_at = p->emitted + 1;
	p->torn_line = p->counts.lines;
	p->dirty_line = p->counts.lines;
	count_drop(p, 0);
	count_drop(p, 0);
	for (int i = 0; i < p->nheld; i++)
		deliver_foreign(p, held_text(p, i), p->held[i].len + p->held[i].nl);
	pending_clear(p);
	p->pair = 0;
	p->pair_defer = 0;
}

/* A line with two heads and the program's text after them: pair mode.
 * Returns whether it was taken so. */
static int pair_begin(struct gctrace *p, const char *s, size_t n, size_t m, int nl)
{
	size_t cut;

	if (m < 3 || !memmem(s + 3, m - 3, "gc ", 3))
		return 0;
	if (!nl || m > GCM_TEXT_MAX || (!p->merge && !(p->merge = gcmerge_new())))
		return 0;
	memcpy(p->pair_buf, s, m);
	if (!(cut = pair_prog_cut(p, s, m, 0)) || !hold(p, s, n, m, nl))
		return 0;
	p->pair = 1;
	p->pair_defer = 0;
	p->pair_cut[0] = (uint16_t)cut;
	p->pair_len = cut;
	/* Two runtimes print: each lost record is counted by its "gc ". */
	p->writers_line = p->counts.lines;
	return 1;
}

static void fresh_line(struct gctrace *p, const char *s, size_t n, size_t m, int nl);
static void pending_line(struct gctrace *p, const char *s, size_t n, size_t m, int nl);
static void pair_line(struct gctrace *p, const char *s, size_t n, size_t m, int nl);

/*
 * The line after a deferred one (pair_defer): when it is all the rest of
 * the record that did not end, and with it every way gives the same two
 * records, both are emitted.  Otherwise all goes on as if the deferred
 * line had not been held.
 */
static void pair_tail(struct gctrace *p, const char *s, size_t n, size_t m, int nl)
{
	int cand[SPLIT_LANES], ncand = split_lanes(p, cand), ok = nl && m && ncand >= 2;
	struct split_ans ans = {0};

	p->pair_defer = 0;
	for (int x = 0; x < ncand && ok; x++)
		for (int y = 0; y < ncand && ok; y++) {
			struct gcm_side sd[2];
			struct gcl_state out[2];
			int same[2];
			if (x == y)
				continue;
			pair_sides(p, sd, cand[x], cand[y], 1);
			enum gcm_result r = gcmerge_split_tail(p->merge, p->pair_buf, p->pair_len, sd,
			                                       s, m, out, p->owner, same);
#ifdef GCTRACE_DEBUG
			fprintf(stderr, "ptail %d/%d -> %d %d%d: %.*s | %.*s\n", cand[x], cand[y], r, same[0], same[1], (int)p->pair_len, p->pair_buf, (int)m, s);
#endif
			if (r != GCM_NONE && r != GCM_UNIQUE)
				ok = 0;
			else if (!split_add(p, &ans, p->pair_buf, p->pair_len, r, out, same, 0, 0, 0,
			                    cand[x], cand[y]))
				ok = 0;
		}
	if (ok && ans.found && ans.other_same) {
		struct gc_record r;
		split_emit(p, &ans);
		gcl_to_record(&ans.other, &r);
		p->counts.torn_recovered++;
		emit(p, &r, ans.lane_other);
		/* The program's text of the held lines (the deferred one and
		 * this one are the runtime's alone). */
		for (int i = 0; i < p->nheld - 1; i++)
			deliver_foreign(p, held_text(p, i) + p->pair_cut[i],
			                p->held[i].len + p->held[i].nl - p->pair_cut[i]);
		pending_clear(p);
		p->pair = 0;
		return;
	}
	/* As before: the held lines but the deferred one dropped, then it
	 * and this one read afresh. */
	char d[GCM_TEXT_MAX + 2];
	const struct held *h = &p->held[p->nheld - 1];
	size_t dn = h->len, dm = h->plen;
	int dnl = h->nl;
	memcpy(d, held_text(p, p->nheld - 1), dn);
	d[dn] = '\n'; /* (as a line is read: its newline after it) */
	p->nheld--;
	pair_drop(p);
	p->counts.lines--; /* (read as its own line again) */
	fresh_line(p, d, dn, dm, dnl);
	p->counts.lines++;
	if (p->pair)
		pair_line(p, s, n, m, nl);
	else if (p->pending)
		pending_line(p, s, n, m, nl);
	else
		fresh_line(p, s, n, m, nl);
}

/* A line in pair mode. */
static void pair_line(struct gctrace *p, const char *s, size_t n, size_t m, int nl)
{
	int cand[SPLIT_LANES], ncand = split_lanes(p, cand);
	struct split_ans ans = {0};
	size_t len = p->pair_len;
	char *buf = p->pair_buf;
	int refused = 0;

	if (p->pair_defer) {
		pair_tail(p, s, n, m, nl);
		return;
	}

	if (ncand < 2 || len + m > GCM_TEXT_MAX || p->nheld >= PAIR_LINES) {
		pair_drop(p);
		fresh_line(p, s, n, m, nl);
		return;
	}
	memcpy(buf + len, s, m);
	/* Ends here: one record's newline ends the line. */
	for (int x = 0; x < ncand && !refused; x++)
		for (int y = 0; y < ncand && !refused; y++) {
			struct gcm_side sd[2];
			struct gcl_state out[2];
			int same[2];
			if (x == y)
				continue;
			pair_sides(p, sd, cand[x], cand[y], 1);
			enum gcm_result r = gcmerge_split(p->merge, buf, len + m, sd, out, p->owner, same);
#ifdef GCTRACE_DEBUG
			fprintf(stderr, "pair %d/%d -> %d %d%d: %.*s\n", cand[x], cand[y], r, same[0], same[1], (int)(len + m), buf);
#endif
			if (!split_add(p, &ans, buf, len + m, r, out, same, 0, 0, 0, cand[x], cand[y]))
				refused = 1;
		}
	/* Not in one way only: the other's rest, on the next line, may say
	 * which (its tokens taken here would leave it where that line does
	 * not go on). */
	if (refused && nl && m && len + m <= GCM_TEXT_MAX && p->nheld < PAIR_LINES &&
	    hold(p, s, n, m, nl)) {
		p->pair_cut[p->nheld - 1] = (uint16_t)m;
		p->pair_len = len + m;
		p->pair_defer = 1;
		return;
	}
	if (refused || (!ans.found && (!nl || m == 0))) {
		pair_drop(p);
		fresh_line(p, s, n, m, nl);
		return;
	}
	if (!ans.found) {
		/* Or the program's text ends this one too. */
		size_t cut = pair_prog_cut(p, s, m, len);
		if (!cut || !hold(p, s, n, m, nl)) {
			pair_drop(p);
			fresh_line(p, s, n, m, nl);
			return;
		}
		p->pair_cut[p->nheld - 1] = (uint16_t)cut;
		p->pair_len = len + cut;
		return;
	}
	/* The one that ends is emitted.  The other's bytes of each line,
	 * then that line's text of the program's, become the held lines of
	 * a torn record (the first way's owners: its bytes as a whole are
	 * the same in every way). */
	split_emit(p, &ans);
	/* Build the new lines in scratch: per line its length, and the
	 * other's bytes in it. */
	size_t off = 0, b = 0, nl_len[PAIR_LINES + 1], y_len[PAIR_LINES + 1];
	int nh = p->nheld;
	char *out = p->scratch;
	for (int i = 0; i <= nh; i++) {
		const char *t = i < nh ? held_text(p, i) : s;
		size_t cut = i < nh ? p->pair_cut[i] : m;
		size_t start = off, yl = 0;
		for (size_t j = 0; j < cut; j++, b++)
			if (p->owner[b] == 1)
				out[off++] = t[j], yl++;
		if (i < nh) {
			size_t tl = p->held[i].len + p->held[i].nl;
			memcpy(out + off, t + cut, tl - cut);
			off += tl - cut;
		}
		nl_len[i] = off - start;
		y_len[i] = yl;
	}
	int had_nl[PAIR_LINES + 1];
	for (int i = 0; i < nh; i++)
		had_nl[i] = p->held[i].nl;
	had_nl[nh] = 0;
	pending_clear(p);
	p->pair = 0;
	if (!ans.other_same) {
		/* The other is not known: lost, its lines out as they are. */
		p->torn_at = p->emitted + 1;
		p->dirty_line = p->counts.lines;
		count_drop(p, 0);
		deliver_foreign(p, out, off);
		return;
	}
	struct hyp h;
	h.npieces = 0;
	h.st = ans.other;
	off = 0;
	for (int i = 0; i <= nh; i++) {
		size_t l = nl_len[i], pl = had_nl[i] ? l - 1 : l;
		if (pl && out[off + pl - 1] == '\r')
			pl--;
		hold(p, out + off, had_nl[i] ? l - 1 : l, pl, had_nl[i]);
		h.pieces[h.npieces++] = (struct piece){(uint16_t)i, 0, (uint32_t)y_len[i]};
		off += l;
	}
	h.last = (uint16_t)nh;
	p->pending = 1;
	p->tears++;
	p->pending_tear = p->tears;
	p->prefixed = 0;
	p->source[0] = 0;
	p->hyp[0] = h;
	p->nhyp = 1;
}

/*
 * With a record held: a line holding its next tokens and the head of
 * another runtime's record ("... 30 MB stacks, gc 19860 @101.803 MB
 * globals, s 80 P"), one of the two ending there.  The one that ends is
 * emitted; the other is held (the held one with a piece more: its bytes
 * of this line, as a line of their own).
 */
static int pending_split(struct gctrace *p, const char *s, size_t m)
{
	int cand[SPLIT_LANES], ncand;
	struct split_ans ans = {0};

	if (m > GCM_TEXT_MAX || !memmem(s, m, "gc ", 3) || (ncand = split_lanes(p, cand)) < 2)
		return 0;
	if (!p->merge && !(p->merge = gcmerge_new()))
		return 0;
	for (int h = 0; h < p->nhyp; h++) {
		const struct hyp *hy = &p->hyp[h];
		if (hy->st.v[GCL_F_GC] == GC_NULL || hy->npieces >= MAX_PIECES - 1)
			continue;
		for (int x = 0; x < ncand; x++) {
			if (!split_fits(&p->lanes[cand[x]], &hy->st))
				continue;
			for (int y = 0; y < ncand; y++) {
				if (x == y)
					continue;
				for (int e = 0; e < 2; e++) {
					struct gcm_side sd[2];
					struct gcl_state out[2];
					int same[2];
					sd[0].st = hy->st;
					split_run(&p->lanes[cand[x]], &sd[0].run);
					gcl_start(&sd[1].st);
					split_run(&p->lanes[cand[y]], &sd[1].run);
					sd[0].ends = !e;
					sd[1].ends = e;
					sd[0].may_skip = 1;
					sd[1].may_skip = 0;
					enum gcm_result r = gcmerge_split(p->merge, s, m, sd, out,
					                                  p->owner, same);
#ifdef GCTRACE_DEBUG
					fprintf(stderr, "psplit h%d %d/%d e%d -> %d %d%d: %.*s\n", h, cand[x], cand[y], e, r, same[0], same[1], (int)m, s);
#endif
					if (!split_add(p, &ans, s, m, r, out, same, e, h, !e, cand[x],
					               cand[y]))
						return 0;
				}
			}
		}
	}
	/* (The other's alone, the held one without a token: not a split,
	 * left to the rest of the parser.) */
	if (!ans.found || state_eq(ans.held_ends ? &ans.end : &ans.other, &p->hyp[ans.hyp].st))
		return 0;
	if (ans.held_ends) {
		/* The held record's bytes of this line, as a line of its own
		 * (nothing of it goes out: it is all the runtime's). */
		struct hyp h = p->hyp[ans.hyp];
		if (!hold(p, s, 0, 0, 0))
			return 0;
		h.pieces[h.npieces++] = (struct piece){(uint16_t)(p->nheld - 1), 0, 0};
		h.st = ans.end;
		h.last = (uint16_t)(p->nheld - 1);
		pending_resolve_in(p, &h, ans.lane_end);
		if (ans.other_same)
			pending_hold_head(p, ans.otext, ans.olen, &ans.other);
		else
			split_lose(p, ans.otext, ans.olen);
		return 1;
	}
	/* The new one ends here: the held one goes on, with its bytes of
	 * this line as a held line of their own. */
	split_emit(p, &ans);
	if (ans.other_same && hold(p, ans.otext, ans.olen, ans.olen, 0)) {
		struct hyp h = p->hyp[ans.hyp];
		h.pieces[h.npieces++] =
			(struct piece){(uint16_t)(p->nheld - 1), 0, (uint32_t)ans.olen};
		h.st = ans.other;
		h.last = (uint16_t)(p->nheld - 1);
		p->hyp[0] = h;
		p->nhyp = 1;
		return 1;
	}
	pending_drop(p);
	split_lose(p, ans.otext, ans.olen);
	return 1;
}

/*
 * With a record held: a whole gc line of another runtime's, from the
 * line's start ("gc 65 @28.868s ... 8 P" while the other's "gc 1967 ...
 * 192->222" waits for its rest).  It is a record of its own; the held
 * one goes on waiting.  Only where every reading of the held record is
 * of another lane than the whole line's.
 */
static int pending_other_whole(struct gctrace *p, const char *s, size_t n, size_t m, int nl)
{
	struct gcl_state st;
	struct gcl_cut cuts[GCL_MAX_CUTS];
	struct gc_record r;
	int nc, cand[SPLIT_LANES], ncand, lr = -1;

	if (!starts(s, m, "gc "))
		return 0;
	gcl_start(&st);
	if (gcl_match(&st, s, m, cuts, &nc) != GCL_COMPLETE)
		return 0;
	gcl_to_record(&st, &r);
	ncand = split_lanes(p, cand);
	for (int x = 0; x < ncand; x++)
		if (split_fits(&p->lanes[cand[x]], &st) && p->lanes[cand[x]].era == r.era) {
			if (lr >= 0)
				return 0;
			lr = cand[x];
		}
	if (lr < 0)
		return 0;
	for (int h = 0; h < p->nhyp; h++) {
		const struct gcl_state *hs = &p->hyp[h].st;
		int other = 0;
		/* (One that lacks only its end is finished early instead.) */
		if (hs->v[GCL_F_GC] == GC_NULL || gcl_endable(hs))
			return 0;
		for (int x = 0; x < ncand; x++) {
			if (!split_fits(&p->lanes[cand[x]], hs))
				continue;
			if (cand[x] == lr)
				return 0;
			other = 1;
		}
		if (!other)
			return 0;
	}
	int lane = lane_pick(p, &r, 1);
	if (lane < 0) {
		/* Not emitted: its text goes out in its place among the held
		 * lines (counted by its "gc "). */
		if (!hold(p, s, n, m, nl))
			return 0;
		count_drop_text(p, r.gc);
		return 1;
	}
	emit(p, &r, lane);
	return 1;
}

/*
 * Is this line, while a record waits for its rest, another runtime's
 * whole gc line?  One runtime prints a line at a time, so its own next
 * line would mean the record waiting is never finished; but where
 * several runtimes print (the go command and the compilers whose output
 * it prints, "# PKG" and their whole lines, between its own writes), the
 * others' lines come between a record's pieces.  Such a line is held, in
 * order, and the record waits on.  Not when it is the next of the record
 * waiting (the same runtime's).
 */
/* Does a held line end with the go command's "# PKG" (the tool output it
 * prints, torn into its own line)?  Then several runtimes print, though
 * no run of theirs has shown it yet: the stream's first block. */
static int held_go_header(const struct gctrace *p)
{
	for (int i = 0; i < p->nheld; i++)
		if (go_header_tail(held_text(p, i), p->held[i].plen))
			return 1;
	return 0;
}

static int held_whole(const struct gctrace *p, const char *s, size_t m)
{
	size_t at = logprefix_skip(s, m);
	struct gc_record r;

	if (!starts(s + at, m - at, "gc ") || !(concurrent(p) || held_go_header(p)) ||
	    !parse_whole(s, m, at, &r))
		return 0;
	/* (The same runtime's next: one more, no earlier.) */
	for (int i = 0; i < p->nhyp; i++) {
		const int64_t *v = p->hyp[i].st.v;
		if (v[GCL_F_GC] != GC_NULL && r.gc == (uint64_t)v[GCL_F_GC] + 1 &&
		    (v[GCL_F_AT] == GC_NULL || r.at_ms == GC_NULL || r.at_ms >= v[GCL_F_AT]))
			return 0;
	}
	return 1;
}

static void pending_line(struct gctrace *p, const char *s, size_t n, size_t m, int nl)
{
	note_writers(p, s, m);
	/* Two runtimes: the held record's tokens and another's in one line,
	 * or another's whole line between the held one's pieces. */
	if (two_writers(p) && two_lanes_open(p) &&
	    (pending_other_whole(p, s, n, m, nl) || pending_split(p, s, m)))
		return;
	/* The runtime prints one line at a time (printlock): a new runtime
	 * line means the held record will never be finished. */
	int expired = 0;
	for (int i = 0; i < p->nhyp; i++)
		if (gcl_endable(&p->hyp[i].st) &&
		    p->nheld - 1 - p->hyp[i].last >= MAX_WAIT_END)
			expired = 1;
	if (!expired && held_whole(p, s, m) && hold(p, s, n, m, nl)) {
		p->held[p->nheld - 1].rec = HELD_WHOLE;
		return;
	}
	/* A tool's line cut by its exit inside the block torn in: lost, but
	 * the record waiting goes on after the block. */
	if (!expired && held_go_header(p) && cut_head(s, m) && hold(p, s, n, m, nl)) {
		p->held[p->nheld - 1].rec = HELD_CUT;
		return;
	}
	if (expired || starts_runtime_line(s, m) || !hold(p, s, n, m, nl)) {
		if (!pending_finish_early(p))
			pending_drop(p);
		p->was_pending = 1;
		fresh_line(p, s, n, m, nl);
		return;
	}
	int li = p->nheld - 1;
	size_t q = p->prefixed ? logprefix_skip_as(s, m, &p->pshape) : 0;
	int runtime_like = gcl_looks_continued(s, m) || has_runtime_text(s, m) ||
	                   (q && gcl_looks_continued(s + q, m - q));

	p->nnext = 0;
	p->ndone = 0;
	for (int i = 0; i < p->nhyp; i++) {
		const struct hyp *h = &p->hyp[i];
		int skip = continue_hyp(p, h, li, 0);
		if (q)
			skip &= continue_hyp(p, h, li, q);
		/* Or the whole line is the program's, unless it looks like
		 * the runtime's own continuation. */
		int limit = gcl_is_strong(&h->st) || h->npieces > 1 ? MAX_WAIT
		                                                    : MAX_WAIT_WEAK;
		if (skip && !runtime_like && li - h->last < limit && p->nnext < MAX_HYP)
			p->next[p->nnext++] = *h;
	}
#ifdef GCTRACE_DEBUG
	fprintf(stderr, "line %d: %d hyps -> %d next, %d done\n", li, p->nhyp, p->nnext, p->ndone);
	for (int i = 0; i < p->nnext; i++)
		fprintf(stderr, "  next tok %d pieces %d gc %lld last %d\n", p->next[i].st.tok,
		        p->next[i].npieces, (long long)p->next[i].st.v[GCL_F_GC], p->next[i].last);
	for (int i = 0; i < p->ndone; i++) {
		fprintf(stderr, "  done pieces %d:", p->done[i].npieces);
		for (int f = 0; f < GCL_F_COUNT; f++)
			fprintf(stderr, " %lld", (long long)p->done[i].st.v[f]);
		for (int k = 0; k < p->done[i].npieces; k++)
			fprintf(stderr, " [%d %u-%u]", p->done[i].pieces[k].line,
			        p->done[i].pieces[k].from, p->done[i].pieces[k].to);
		fprintf(stderr, "\n");
	}
#endif
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
	else
		pending_forced_tail(p);
}

/*
 * A whole gc line at s[at..]: the record, and before it anything the
 * program wrote on the same line just before the runtime began ("loading...
 * gc 7 @..."), with the collector's prefix if there was one, without a
 * newline (the newline was the runtime's).
 */
static void whole_record(struct gctrace *p, const char *s, size_t at, size_t len,
                         struct gc_record *r)
{
	size_t pre = at ? logprefix_skip(s, at) : 0;

	size_t q;
	int kind, lane = lane_pick(p, r, at <= pre);

	if (lane < 0) {
		/* Not told apart from another runtime's pieces: the line
		 * goes out as it came. */
		count_drop_text(p, r->gc);
		deliver_foreign(p, s, len);
		return;
	}
	prefix_of(p, s, at, r);
	emit(p, r, lane);
	if (at <= pre)
		return;
	q = logprefix_skip(s, at);
	if ((kind = runtime_head_kind_at(s + q, at - q))) {
		/* It landed inside one of the runtime's own lines. */
		rt_flush(p);
		rt_start(p, kind, s + q, at - q);
		return;
	}
	deliver_foreign(p, s, at);
}

/* A whole gc line that ends the line, starting at or after from, even
 * glued to the text before it ("0 allocsgc 1 @..."): its offset, or -1. */
static long whole_tail(const char *s, size_t m, size_t from, struct gc_record *r)
{
	for (size_t i = from; i + 3 <= m;) {
		const char *g = memchr(s + i, 'g', m - i - 2);
		if (!g)
			return -1;
		size_t k = (size_t)(g - s);
		if (s[k + 1] == 'c' && s[k + 2] == ' ' && parse_whole(s, m, k, r))
			return (long)k;
		i = k + 1;
	}
	return -1;
}

/*
 * A whole gc line at s[kt..] after text that is not the program's alone:
 * the head of another runtime's torn record (two runtimes on one stream:
 * "gc gc 9 @0.059s ... 2 P", the first "gc " waiting for its rest on the
 * next line), or a runtime line the gc line landed in.  Emits the record
 * and deals with the head.  at: where a torn record's head starts, or -1.
 */
static void tail_record(struct gctrace *p, const char *s, size_t kt, long at,
                        size_t len, struct gc_record *r)
{
	size_t pre = logprefix_skip(s, kt), q = pre;
	int kind = runtime_head_kind_at(s + q, kt - q);
	int lane = lane_pick(p, r, 0);

	if (lane < 0) {
		count_drop_text(p, r->gc);
		deliver_foreign(p, s, len);
		return;
	}
	prefix_of(p, s, kt, r);
	emit(p, r, lane);
	if (at >= 0) {
		/* The head is a record of its own, to be continued: hold the
		 * line without the gc line, and without its newline, which
		 * was the other runtime's. */
		struct gcl_state st;
		struct gcl_cut cuts[GCL_MAX_CUTS];
		int nc, keep[GCL_MAX_CUTS];
		gcl_start(&st);
		if (gcl_match(&st, s + at, kt - (size_t)at, cuts, &nc) == GCL_PARTIAL &&
		    hold(p, s, kt, kt, 0)) {
			choose_cuts(p, s, kt, (size_t)at, cuts, nc, keep);
			p->pending = 1;
			p->tears++;
			p->pending_tear = p->tears;
			p->prefixed = logprefix_shape_of(s, (size_t)at, &p->pshape) > 0;
			pending_prefix(p, s, (size_t)at);
			/* Its runtime's part ends where the other's line begins. */
			for (int i = 0; i < nc; i++)
				if ((size_t)at + cuts[i].pos == kt)
					hyp_add(p, p->hyp, &p->nhyp, NULL, &cuts[i].st, 0,
					        (uint32_t)at, (uint32_t)kt);
			if (p->nhyp == 0)
				pending_drop(p);
			return;
		}
	}
	if (kind) {
		rt_flush(p);
		rt_start(p, kind, s + q, kt - q);
		return;
	}
	if (kt > pre)
		deliver_foreign(p, s, kt);
}

/*
 * A whole record, then the head of another runtime's ("... 8 Pgc " and
 * "1938 @82.791s ..." on the next line): the newline was the first
 * one's, so it is complete (not forced), and the head waits for its rest
 * as a torn record.  at: where the record starts (after the collector's
 * prefix only); st: its state at the end, h: where the head begins.
 * Returns whether it was taken so.
 */
static int record_then_head(struct gctrace *p, const char *s, size_t at,
                            const struct gcl_state *end, size_t h, size_t m)
{
	struct gcl_state st;
	struct gcl_cut cuts[GCL_MAX_CUTS];
	int nc;
	struct gc_record r;

	if (m - h < 3 || memcmp(s + h, "gc ", 3) != 0 || at != logprefix_skip(s, at))
		return 0;
	gcl_start(&st);
	if (gcl_match(&st, s + h, m - h, cuts, &nc) != GCL_PARTIAL)
		return 0;
	int ends = -1;
	for (int i = 0; i < nc; i++)
		if (h + cuts[i].pos == m)
			ends = i;
	if (ends < 0)
		return 0;
	gcl_to_record(end, &r);
	int lane = lane_pick(p, &r, 0);
	if (lane < 0 || !hold(p, s + h, m - h, m - h, 0))
		return 0;
	prefix_of(p, s, at, &r);
	emit(p, &r, lane);
	p->pending = 1;
	p->tears++;
	p->prefixed = logprefix_shape_of(s, at, &p->pshape) > 0;
	pending_prefix(p, s, at);
	for (int i = 0; i < nc; i++)
		if (h + cuts[i].pos == m)
			hyp_add(p, p->hyp, &p->nhyp, NULL, &cuts[i].st, 0, 0,
			        (uint32_t)(m - h));
	return 1;
}

/* A line with no record in progress. */
static void fresh_line(struct gctrace *p, const char *s, size_t n, size_t m, int nl)
{
	struct gc_record r;
	long kt;

	if (p->rt.open) {
		/* (One reading of a SCHED line and this one, for both.) */
		size_t sched = p->rt.kind == GCTRACE_RT_SCHED && !p->rt.only_nl
		                   ? sched_joined(p, s, m)
		                   : SCHED_NOCUT;
		if (rt_continue(p, s, m, sched))
			return;
		size_t more = sched_more(p, sched);
		if (more && (!p->rt.maybe || rt_hold(p, s, n + (size_t)nl, 0, more))) {
			memcpy(p->rt.buf + p->rt.len, s, more);
			p->rt.len += more;
			p->rt.age = 0;
			/* A pair shows the guessed head was the runtime's. */
			if (p->rt.maybe && memchr(p->rt.buf, '=', p->rt.len))
				rt_release(p, 1);
			else if (!p->rt.maybe)
				deliver_parts(p, s, 0, 0, more, n + (size_t)nl, 0, 0);
			return;
		}
		/* While a head is a guess, the program's whole lines are held
		 * after it, in order; anything else ends the guess. */
		if (p->rt.maybe && ++p->rt.age <= RT_WAIT && find_gc(s, m, 0) < 0 &&
		    !runtime_head_kind_at(s, m) && !logprefix_skip(s, m) &&
		    rt_hold(p, s, n + (size_t)nl, 0, 0))
			return;
		if (p->rt.maybe || ++p->rt.age > RT_WAIT)
			rt_flush(p);
	}
	for (long k = find_gc(s, m, 0); k >= 0; k = find_gc(s, m, (size_t)k + 1)) {
		size_t at = (size_t)k;
		if (digit_at(s, m, at + 2)) {
			if (gcl_parse_pre15(s + at, m - at, &r)) {
				whole_record(p, s, at, n + (size_t)nl, &r);
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
			if (at)
				note_writers(p, s, m);
			gcl_to_record(&st, &r);
			whole_record(p, s, at, n + (size_t)nl, &r);
			return;
		}
		note_writers(p, s, m);
		if (res != GCL_PARTIAL || nc == 0)
			continue;
		/* A record that stops early: torn, or "gc " in prose.  Only
		 * a strong start may sit anywhere; a weak one must begin the
		 * line or follow a log prefix. */
		int strong = 0;
		for (int i = 0; i < nc; i++)
			strong |= gcl_is_strong(&cuts[i].st);
		if (!strong && at != 0 && at != logprefix_skip(s, at))
			continue;
		for (int i = 0; i < nc; i++)
			if (gcl_endable(&cuts[i].st) && cuts[i].pos > 0 &&
			    record_then_head(p, s, at, &cuts[i].st, at + cuts[i].pos, m))
				return;
		/* Another runtime's whole line inside this one's? */
		if ((kt = whole_tail(s, m, at + 1, &r)) >= 0) {
			tail_record(p, s, (size_t)kt, (long)at, n + (size_t)nl, &r);
			return;
		}
		if (at == 0 && (try_split(p, s, m) || pair_begin(p, s, n, m, nl)))
			return;
		choose_cuts(p, s, m, at, cuts, nc, keep);
		if (!hold(p, s, n, m, nl))
			break;
		p->pending = 1;
		p->tears++;
		p->pending_tear = p->tears;
		p->prefixed = logprefix_shape_of(s, at, &p->pshape) > 0;
		pending_prefix(p, s, at);
		p->ndone = 0;
		int best = 0;
		for (int i = 1; i < nc; i++)
			if (cuts[i].pos > cuts[best].pos)
				best = i;
		frag_discover(p, s, m, at + cuts[best].pos, &cuts[best].st);
		for (int i = 0; i < nc; i++) {
			if (keep[i] && cuts[i].pos > 0)
				hyp_add(p, p->hyp, &p->nhyp, NULL, &cuts[i].st, 0,
				        (uint32_t)at, (uint32_t)(at + cuts[i].pos));
			if (cuts[i].pos > 0)
				frag_continue(p, p->hyp, &p->nhyp, NULL, 0, s, m, at,
				              &cuts[i].st, cuts[i].pos, 0);
		}
		if (p->ndone) {
			/* Whole but for fragments of the program's. */
			const struct hyp *h = pick(p);
			if (h)
				pending_resolve(p, h);
			else
				pending_drop(p);
			return;
		}
		if (p->nhyp == 0)
			pending_drop(p);
		else
			pending_forced_tail(p);
		return;
	}

	/* A whole gc line glued after other text. */
	if ((kt = whole_tail(s, m, 0, &r)) > 0) {
		tail_record(p, s, (size_t)kt, -1, n + (size_t)nl, &r);
		return;
	}
	size_t at, cut;
	int kind = runtime_kind(s, m, &at), min_e = 2;
	if (!kind) {
		/* Cut before runtime_kind_at can tell ("init pkg @" then the
		 * program's line): its skeleton must say so, three elements
		 * in at least. */
		at = logprefix_skip(s, m);
		kind = runtime_head_kind_at(s + at, m - at);
		if (kind != GCTRACE_RT_INIT && kind != GCTRACE_RT_SCAV)
			kind = 0;
		min_e = 3;
	}
	if (kind && (cut = rt_cut(kind, s + at, m - at, min_e))) {
		/* The program's text glued into a runtime line: the
		 * runtime's part waits for its rest, the program's text goes
		 * out (with the collector's prefix). */
		rt_flush(p);
		rt_start(p, kind, s + at, cut);
		deliver_parts(p, s, at, at, at + cut, n + (size_t)nl, 0, 0);
		return;
	}
	size_t hl;
	int hk = 0;
	if ((!kind || min_e == 3 || kind == GCTRACE_RT_SCHED) &&
	    n + (size_t)nl <= sizeof p->rt.line && (hl = bare_head(s + at, m - at, &hk)) &&
	    find_gc(s, m, 0) < 0) {
		rt_flush(p);
		rt_start(p, hk, s + at, hl);
		if (p->rt.open) {
			p->rt.maybe = 1;
			rt_hold(p, s, n + (size_t)nl, at, at + hl);
			return;
		}
	}
	if (kind && min_e == 2) {
		rt_flush(p);
		rt_deliver(p, kind, s + at, m - at);
		return;
	}
	int frag = fragment_like(s, m);
	if (!frag)
		key_learn(p, s, m);
	/* A record's "gc " glued after another's text ("0.090gc +378"). */
	if (m > 3 && memmem(s + 1, m - 1, "gc ", 3))
		note_writers(p, s, m);
	/* The remains of a record seen in pieces (see lane_pick). */
	if (p->wdens && (frag || has_runtime_text(s, m) || find_gc(s, m, 0) >= 0))
		p->dirty_line = p->counts.lines;
	deliver_foreign(p, s, n + (size_t)nl);
}

/*
 * Two runtimes' first records torn into each other, before either
 * runtime was seen whole and before a line showed two writers: the
 * drops counted one a torn record, but the other's "gc " went out as
 * text ("gc 1 @0.095s 0" and, two lines on, ": gc 0.111168+ @2359...").
 * When two runtimes show, every record's "gc " that went out so far is
 * a record lost: those the drops did not count are counted then.  Once a
 * record came out, gaps in its runtime's numbers count the rest.
 */
static void early_settle(struct gctrace *p)
{
	if (p->early_done)
		return;
	if (p->emitted)
		p->early_done = 1;
	else if (two_writers(p))
		early_count(p, p->early_drops);
}

/* One line: s[0..n), followed in memory by '\n' when nl. */
static void process_line(struct gctrace *p, const char *s, size_t n, int nl)
{
	size_t m = n;

	if (m && s[m - 1] == '\r')
		m--;
	p->counts.lines++;
	p->was_pending = 0;
	solo_note(p, s, m);
	if (go_header_tail(s, m))
		p->go_line = p->counts.lines;
	if (p->pair)
		pair_line(p, s, n, m, nl);
	else if (p->pending)
		pending_line(p, s, n, m, nl);
	else
		fresh_line(p, s, n, m, nl);
	p->wdens -= p->wdens >> 6;
	if (p->writers_line == p->counts.lines)
		p->wdens += 1024;
	early_settle(p);
}

/* A piece cut from an over-long line: never a record. */
static void long_piece(struct gctrace *p, const char *s, size_t n)
{
	if (p->pair)
		pair_drop(p);
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
	if (p->pair)
		pair_drop(p);
	if (p->pending && !pending_finish_early(p))
		pending_drop(p);
	rt_flush(p);
}

void gctrace_idle(struct gctrace *p)
{
	if (p->pair)
		pair_drop(p);
	if (p->pending && !pending_finish_early(p))
		pending_drop(p);
	rt_flush(p);
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
	p->scratch = malloc(GCTRACE_LINE_MAX + 1);
	p->arena = malloc(ARENA_SIZE);
	p->hyp = malloc(MAX_HYP * sizeof *p->hyp);
	p->next = malloc(MAX_HYP * sizeof *p->next);
	p->done = malloc(MAX_HYP * sizeof *p->done);
	if (!p->line || !p->scratch || !p->arena || !p->hyp || !p->next || !p->done) {
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
	free(p->scratch);
	free(p->arena);
	free(p->hyp);
	free(p->next);
	free(p->done);
	gcmerge_free(p->merge);
	free(p);
}
