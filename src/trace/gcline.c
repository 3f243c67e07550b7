#include "trace/gcline.h"

#include <string.h>

/*
 * The token table.  Each token is one write(2) of the runtime (see
 * gcMarkTermination in runtime/mgc.go): a literal or a number.  A literal
 * may have an alternative tried at the same place when it does not match:
 * that is how the optional parts (" (forced)", the 1.5 phases, the 1.18
 * stacks/globals) branch.
 */
enum kind { K_LIT, K_NUM, K_AT, K_MS, K_END };
enum act { A_NONE, A_TMP_STACKS, A_TMP_PROCS, A_ERA15, A_FORCED };

struct tok {
	uint8_t kind, field, next, alt, act, len;
	const char *lit;
};

enum {
	T_GC, T_HASH, T_NUM, T_ATL, T_AT, T_SL, T_PCT, T_PCTL, T_LEAK, T_COLON,
	T_C1, T_C1P, T_C2, T_C2P, T_C3, T_CLOCK, T_C3P,
	T_C4, T_C4P, T_C5, T_CLOCK15,
	T_V1, T_V1P, T_V2, T_V2P, T_V3, T_V3P, T_V4, T_V4S, T_V5, T_V5S, T_V6,
	T_V6P, T_V7,
	T_U1, T_U1P, T_U2, T_U2S, T_U3, T_U3S, T_U4, T_U4P, T_U5,
	T_CPU, T_H0, T_H0A, T_H1, T_H1A, T_H2, T_MB, T_GOAL, T_GOALL,
	T_X, T_STACKSL, T_GLOB, T_GLOBL, T_PROCS, T_PL, T_PL2, T_FORCED, T_END,
	T_COUNT
};

#define LIT(s) .kind = K_LIT, .lit = (s), .len = sizeof(s) - 1
static const struct tok toks[T_COUNT] = {
	[T_GC] = {LIT("gc "), .next = T_HASH},
	[T_HASH] = {LIT("#"), .next = T_NUM, .alt = T_NUM}, /* 1.5 betas */
	[T_NUM] = {.kind = K_NUM, .field = GCL_F_GC, .next = T_ATL},
	[T_ATL] = {LIT(" @"), .next = T_AT},
	[T_AT] = {.kind = K_AT, .field = GCL_F_AT, .next = T_SL},
	[T_SL] = {LIT("s "), .next = T_PCT},
	[T_PCT] = {.kind = K_NUM, .field = GCL_F_PCT, .next = T_PCTL},
	[T_PCTL] = {LIT("%"), .next = T_LEAK},
	[T_LEAK] = {LIT(" (checking for goroutine leaks)"), .next = T_COLON,
	            .alt = T_COLON},
	[T_COLON] = {LIT(": "), .next = T_C1},
	[T_C1] = {.kind = K_MS, .field = GCL_F_C1, .next = T_C1P},
	[T_C1P] = {LIT("+"), .next = T_C2},
	[T_C2] = {.kind = K_MS, .field = GCL_F_C2, .next = T_C2P},
	[T_C2P] = {LIT("+"), .next = T_C3},
	[T_C3] = {.kind = K_MS, .field = GCL_F_C3, .next = T_CLOCK},
	[T_CLOCK] = {LIT(" ms clock, "), .next = T_U1, .alt = T_C3P},
	/* Go 1.5: five clock phases, seven CPU values. */
	[T_C3P] = {LIT("+"), .next = T_C4, .act = A_ERA15},
	[T_C4] = {.kind = K_MS, .field = GCL_F_C4, .next = T_C4P},
	[T_C4P] = {LIT("+"), .next = T_C5},
	[T_C5] = {.kind = K_MS, .field = GCL_F_C5, .next = T_CLOCK15},
	[T_CLOCK15] = {LIT(" ms clock, "), .next = T_V1},
	[T_V1] = {.kind = K_MS, .field = GCL_F_U1, .next = T_V1P},
	[T_V1P] = {LIT("+"), .next = T_V2},
	[T_V2] = {.kind = K_MS, .field = GCL_F_U6, .next = T_V2P},
	[T_V2P] = {LIT("+"), .next = T_V3},
	[T_V3] = {.kind = K_MS, .field = GCL_F_U7, .next = T_V3P},
	[T_V3P] = {LIT("+"), .next = T_V4},
	[T_V4] = {.kind = K_MS, .field = GCL_F_U2, .next = T_V4S},
	[T_V4S] = {LIT("/"), .next = T_V5},
	[T_V5] = {.kind = K_MS, .field = GCL_F_U3, .next = T_V5S},
	[T_V5S] = {LIT("/"), .next = T_V6},
	[T_V6] = {.kind = K_MS, .field = GCL_F_U4, .next = T_V6P},
	[T_V6P] = {LIT("+"), .next = T_V7},
	[T_V7] = {.kind = K_MS, .field = GCL_F_U5, .next = T_CPU},
	/* Go 1.6 and later. */
	[T_U1] = {.kind = K_MS, .field = GCL_F_U1, .next = T_U1P},
	[T_U1P] = {LIT("+"), .next = T_U2},
	[T_U2] = {.kind = K_MS, .field = GCL_F_U2, .next = T_U2S},
	[T_U2S] = {LIT("/"), .next = T_U3},
	[T_U3] = {.kind = K_MS, .field = GCL_F_U3, .next = T_U3S},
	[T_U3S] = {LIT("/"), .next = T_U4},
	[T_U4] = {.kind = K_MS, .field = GCL_F_U4, .next = T_U4P},
	[T_U4P] = {LIT("+"), .next = T_U5},
	[T_U5] = {.kind = K_MS, .field = GCL_F_U5, .next = T_CPU},
	[T_CPU] = {LIT(" ms cpu, "), .next = T_H0},
	[T_H0] = {.kind = K_NUM, .field = GCL_F_H0, .next = T_H0A},
	[T_H0A] = {LIT("->"), .next = T_H1},
	[T_H1] = {.kind = K_NUM, .field = GCL_F_H1, .next = T_H1A},
	[T_H1A] = {LIT("->"), .next = T_H2},
	[T_H2] = {.kind = K_NUM, .field = GCL_F_H2, .next = T_MB},
	[T_MB] = {LIT(" MB, "), .next = T_GOAL},
	[T_GOAL] = {.kind = K_NUM, .field = GCL_F_GOAL, .next = T_GOALL},
	[T_GOALL] = {LIT(" MB goal, "), .next = T_X},
	/* Stacks (1.18+) or P: told apart by the literal that follows. */
	[T_X] = {.kind = K_NUM, .field = GCL_F_TMP, .next = T_STACKSL},
	[T_STACKSL] = {LIT(" MB stacks, "), .next = T_GLOB, .alt = T_PL2,
	               .act = A_TMP_STACKS},
	[T_GLOB] = {.kind = K_NUM, .field = GCL_F_GLOBALS, .next = T_GLOBL},
	[T_GLOBL] = {LIT(" MB globals, "), .next = T_PROCS},
	[T_PROCS] = {.kind = K_NUM, .field = GCL_F_PROCS, .next = T_PL},
	[T_PL] = {LIT(" P"), .next = T_FORCED},
	[T_PL2] = {LIT(" P"), .next = T_FORCED, .act = A_TMP_PROCS},
	[T_FORCED] = {LIT(" (forced)"), .next = T_END, .alt = T_END,
	              .act = A_FORCED},
	[T_END] = {.kind = K_END},
};

/* Longest numbers we accept: keeps every value inside int64. */
#define MAX_DIGITS 18

static int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static int parse_uint(const char *s, size_t n, int64_t *v)
{
	int64_t x = 0;

	if (n == 0 || n > MAX_DIGITS)
		return 0;
	for (size_t i = 0; i < n; i++) {
		if (!is_digit(s[i]))
			return 0;
		x = x * 10 + (s[i] - '0');
	}
	*v = x;
	return 1;
}

/*
 * A number as the runtime prints it.  strict: exactly the runtime's own
 * formats (used to decide where a torn number ends).  Otherwise a little
 * looser, so a future format change does not turn gc lines into noise.
 */
static int num_value(const struct tok *t, const char *s, size_t n, int strict,
                     int64_t *v)
{
	size_t dot = 0;

	if (n == 0)
		return 0;
	while (dot < n && s[dot] != '.')
		dot++;
	if (t->kind == K_NUM) {
		if (dot != n || (n > 1 && s[0] == '0'))
			return 0;
		if (!parse_uint(s, n, v))
			return 0;
		if (t->field == GCL_F_GC && *v == 0)
			return 0;
		if (t->field == GCL_F_PCT && *v > 100)
			return 0;
		if (t->field == GCL_F_PROCS && *v > INT32_MAX)
			return 0;
		return 1;
	}
	if (t->kind == K_AT) {
		/* itoaDiv(ms, 3): digits, '.', three digits. */
		int64_t ip, fp;
		if (dot == 0 || n - dot != 4 || (dot > 1 && s[0] == '0'))
			return 0;
		if (!parse_uint(s, dot, &ip) || !parse_uint(s + dot + 1, 3, &fp))
			return 0;
		if (ip > INT64_MAX / 1000 - 1)
			return 0;
		*v = ip * 1000 + fp;
		return 1;
	}
	/* K_MS: microseconds.  fmtNSAsMS prints "0", whole milliseconds
	 * from 10 up, or two significant digits with 1..3 decimals. */
	int64_t ip, fp = 0;
	size_t nd = dot < n ? n - dot - 1 : 0;
	if (dot == 0 || (dot < n && nd == 0) || nd > 3)
		return 0;
	if (dot > 1 && s[0] == '0')
		return 0;
	if (!parse_uint(s, dot, &ip))
		return 0;
	if (nd && !parse_uint(s + dot + 1, nd, &fp))
		return 0;
	if (strict) {
		if (nd == 0 && ip != 0 && ip < 10)
			return 0;
		if (nd == 3 && !(ip == 0 && s[dot + 1] == '0' && fp != 0))
			return 0;
		if (nd == 2 && !(ip == 0 && s[dot + 1] != '0'))
			return 0;
		if (nd == 1 && !(ip >= 1 && ip <= 9))
			return 0;
	}
	if (ip > INT64_MAX / 1000 - 1)
		return 0;
	for (size_t k = nd; k < 3; k++)
		fp *= 10;
	*v = ip * 1000 + fp;
	return 1;
}

/*
 * The greedy, loose reading of a number in one pass: the length of its run
 * in *len, its value in *v; returns whether the run is a valid number.
 * Same answers as num_value(strict = 0) on the whole run, faster: this is
 * the hot path of every gc line.
 */
static inline int scan_number(const struct tok *t, const char *s, size_t n,
                              size_t *len, int64_t *v)
{
	size_t i = 0;
	int64_t ip = 0, fp = 0;

	for (; i < n && is_digit(s[i]); i++)
		if (i < MAX_DIGITS) /* longer is refused below */
			ip = ip * 10 + (s[i] - '0');
	size_t nint = i;
	if (t->kind == K_NUM || i == n || s[i] != '.') {
		*len = i;
		if (t->kind == K_NUM) {
			/* As num_value: no leading zero, gc >= 1, % <= 100. */
			if (nint == 0 || nint > MAX_DIGITS || (nint > 1 && s[0] == '0') ||
			    (t->field == GCL_F_GC && ip == 0) ||
			    (t->field == GCL_F_PCT && ip > 100) ||
			    (t->field == GCL_F_PROCS && ip > INT32_MAX))
				return 0;
			*v = ip;
			return 1;
		}
		/* No decimals: K_MS whole milliseconds; K_AT needs them. */
		if (nint == 0 || nint > MAX_DIGITS || t->kind == K_AT ||
		    (nint > 1 && s[0] == '0') || ip > INT64_MAX / 1000 - 1)
			return 0;
		*v = ip * 1000;
		return 1;
	}
	i++; /* '.' */
	size_t d0 = i;
	while (i < n && (is_digit(s[i]) || s[i] == '.'))
		i++;
	*len = i;
	size_t nd = i - d0;
	if (nint == 0 || nint > MAX_DIGITS || nd == 0 || nd > 3 ||
	    (nint > 1 && s[0] == '0') || (t->kind == K_AT && nd != 3) ||
	    ip > INT64_MAX / 1000 - 1)
		return 0;
	for (size_t k = d0; k < i; k++) {
		if (!is_digit(s[k]))
			return 0;
		fp = fp * 10 + (s[k] - '0');
	}
	for (size_t k = nd; k < 3; k++)
		fp *= 10;
	*v = ip * 1000 + fp;
	return 1;
}

/* Literal comparison, inlined: the literals are short. */
static int lit_at(const struct tok *t, const char *s, size_t n)
{
	if (n < t->len || s[0] != t->lit[0])
		return 0;
	for (size_t k = 1; k < t->len; k++)
		if (s[k] != t->lit[k])
			return 0;
	return 1;
}

static void apply(struct gcl_state *st, const struct tok *t)
{
	switch (t->act) {
	case A_TMP_STACKS:
		st->v[GCL_F_STACKS] = st->v[GCL_F_TMP];
		break;
	case A_TMP_PROCS:
		st->v[GCL_F_PROCS] = st->v[GCL_F_TMP];
		break;
	case A_ERA15:
		st->v[GCL_F_ERA15] = 1;
		break;
	case A_FORCED:
		st->v[GCL_F_FORCED] = 1;
		break;
	}
}

/* Nothing matched yet: every value unset. */
static int gcl_is_fresh(const struct gcl_state *st)
{
	return st->v[GCL_F_GC] == GC_NULL;
}

void gcl_start(struct gcl_state *st)
{
	st->tok = T_GC;
	for (int i = 0; i < GCL_F_COUNT; i++)
		st->v[i] = GC_NULL;
	st->v[GCL_F_FORCED] = 0;
	st->v[GCL_F_ERA15] = 0;
}

/* The cuts collected by a walk, and how many fit. */
struct cutset {
	struct gcl_cut *c;
	int *n, max, overflow;
};

static void add_cut(struct cutset *cs, const struct gcl_state *st,
                    uint8_t tok, size_t pos, uint8_t digits, uint8_t run,
                    uint8_t field)
{
	if (*cs->n >= cs->max) {
		cs->overflow = 1;
		return;
	}
	struct gcl_cut *c = &cs->c[(*cs->n)++];
	c->st = *st;
	c->st.tok = tok;
	c->pos = (uint32_t)pos;
	c->digits = digits;
	c->run = run;
	c->num_field = field;
}

/*
 * Walk the tokens from *st over s[0..n).  Returns 1 when the record and the
 * text end together.  Otherwise returns 0 with *pos where the match
 * stopped.  With cuts, also collects every place where the runtime's part
 * may end: each token boundary reached, and inside each number, after
 * every prefix that is a number the runtime could have printed (a program
 * line that starts with digits glues onto the number before it).
 * strict: every number in the runtime's exact format, or the walk stops.
 */
static int walk(struct gcl_state *st, const char *s, size_t n, size_t *pos,
                struct cutset *cuts, int strict)
{
	size_t i = 0;
	uint8_t at_tok = st->tok; /* start of the alternatives tried here */
	int after_num = 0;        /* this place is the end of a number */

	for (;;) {
		const struct tok *t = &toks[st->tok];

		if (cuts && st->tok == at_tok && !after_num)
			add_cut(cuts, st, at_tok, i, 0, 0, GCL_F_NONE);
		if (t->kind == K_END) {
			if (i == n)
				return 1;
			break;
		}
		if (t->kind == K_LIT) {
			/* P must fit the record's field: refused, not clamped. */
			if (t->act == A_TMP_PROCS && st->v[GCL_F_TMP] > INT32_MAX)
				break;
			if (lit_at(t, s + i, n - i)) {
				apply(st, t);
				i += t->len;
				st->tok = t->next;
				at_tok = st->tok;
				after_num = 0;
				continue;
			}
			if (t->alt) {
				st->tok = t->alt;
				continue;
			}
			break;
		}
		size_t r;
		int64_t v;
		int ok = scan_number(t, s + i, n - i, &r, &v);
		if (cuts) {
			uint8_t run = r > 255 ? 255 : (uint8_t)r;
			for (size_t k = 1; k <= r && k <= MAX_DIGITS + 4; k++) {
				struct gcl_state c = *st;
				if (!num_value(t, s + i, k, 1, &c.v[t->field]))
					continue;
				c.tok = t->next;
				add_cut(cuts, &c, t->next, i + k, (uint8_t)k, run,
				        t->field);
			}
		}
		if (r == 0 || !ok || (strict && !num_value(t, s + i, r, 1, &v)))
			break;
		st->v[t->field] = v;
		i += r;
		st->tok = t->next;
		at_tok = st->tok;
		after_num = 1;
	}
	st->tok = at_tok;
	*pos = i;
	return 0;
}

/*
 * The fast path: a whole Go 1.6+ line from "gc ", in straight-line code.
 * Gives exactly what walk gives when it succeeds; on anything unusual
 * (Go 1.5, a 1.5 beta's "#", a torn line) it gives up and walk decides.
 */
struct cursor {
	const char *p, *end;
	int ok;
};

__attribute__((always_inline)) static inline void want(struct cursor *c, const char *lit, size_t len)
{
	if (c->ok && (size_t)(c->end - c->p) >= len && memcmp(c->p, lit, len) == 0)
		c->p += len;
	else
		c->ok = 0;
}
#define WANT(c, lit) want((c), (lit), sizeof(lit) - 1)

__attribute__((always_inline)) static inline int peek(const struct cursor *c, const char *lit, size_t len)
{
	return c->ok && (size_t)(c->end - c->p) >= len && memcmp(c->p, lit, len) == 0;
}

/* An integer as K_NUM reads it. */
__attribute__((always_inline)) static inline int64_t fnum(struct cursor *c)
{
	const char *b = c->p, *q = b, *stop = c->end - b > MAX_DIGITS ? b + MAX_DIGITS : c->end;
	int64_t x = 0;

	/* Past MAX_DIGITS the number is refused: stop adding up there. */
	while (q < stop && is_digit(*q))
		x = x * 10 + (*q++ - '0');
	if (q == b || (q < c->end && is_digit(*q)) || (q - b > 1 && *b == '0'))
		c->ok = 0;
	c->p = q;
	return x;
}

/* Digits, '.', up to three decimals, as milliseconds or seconds with three
 * decimals: the value times 1000.  at: exactly three decimals. */
__attribute__((always_inline)) static inline int64_t fdec(struct cursor *c, int at)
{
	int64_t x = fnum(c), fp = 0;
	const char *q = c->p;
	int nd = 0;

	if (x > INT64_MAX / 1000 - 1)
		c->ok = 0;
	if (q < c->end && *q == '.') {
		q++;
		while (q < c->end && is_digit(*q) && nd < 4) {
			fp = fp * 10 + (*q++ - '0');
			nd++;
		}
		if (nd == 0 || nd > 3 || (q < c->end && (is_digit(*q) || *q == '.')))
			c->ok = 0;
		c->p = q;
	}
	if (!c->ok || (at && nd != 3))
		return c->ok = 0;
	for (; nd < 3; nd++)
		fp *= 10;
	return x * 1000 + fp;
}

static int fast_line(struct gcl_state *st, const char *s, size_t n)
{
	struct cursor c = {s, s + n, 1};
	int64_t *v = st->v;

	WANT(&c, "gc ");
	v[GCL_F_GC] = fnum(&c);
	WANT(&c, " @");
	v[GCL_F_AT] = fdec(&c, 1);
	WANT(&c, "s ");
	v[GCL_F_PCT] = fnum(&c);
	WANT(&c, "%");
	if (peek(&c, " (checking for goroutine leaks)", 31))
		c.p += 31;
	WANT(&c, ": ");
	if (!c.ok || v[GCL_F_GC] == 0 || v[GCL_F_PCT] > 100)
		return 0;
	v[GCL_F_C1] = fdec(&c, 0);
	WANT(&c, "+");
	v[GCL_F_C2] = fdec(&c, 0);
	WANT(&c, "+");
	v[GCL_F_C3] = fdec(&c, 0);
	if (peek(&c, "+", 1)) {
		/* Go 1.5: five clock phases, seven CPU values. */
		c.p++;
		v[GCL_F_ERA15] = 1;
		v[GCL_F_C4] = fdec(&c, 0);
		WANT(&c, "+");
		v[GCL_F_C5] = fdec(&c, 0);
		WANT(&c, " ms clock, ");
		v[GCL_F_U1] = fdec(&c, 0);
		WANT(&c, "+");
		v[GCL_F_U6] = fdec(&c, 0);
		WANT(&c, "+");
		v[GCL_F_U7] = fdec(&c, 0);
		WANT(&c, "+");
	} else {
		WANT(&c, " ms clock, ");
		v[GCL_F_U1] = fdec(&c, 0);
		WANT(&c, "+");
	}
	v[GCL_F_U2] = fdec(&c, 0);
	WANT(&c, "/");
	v[GCL_F_U3] = fdec(&c, 0);
	WANT(&c, "/");
	v[GCL_F_U4] = fdec(&c, 0);
	WANT(&c, "+");
	v[GCL_F_U5] = fdec(&c, 0);
	WANT(&c, " ms cpu, ");
	v[GCL_F_H0] = fnum(&c);
	WANT(&c, "->");
	v[GCL_F_H1] = fnum(&c);
	WANT(&c, "->");
	v[GCL_F_H2] = fnum(&c);
	WANT(&c, " MB, ");
	v[GCL_F_GOAL] = fnum(&c);
	WANT(&c, " MB goal, ");
	int64_t x = fnum(&c);
	v[GCL_F_TMP] = x;
	if (peek(&c, " MB stacks, ", 12)) {
		c.p += 12;
		v[GCL_F_STACKS] = x;
		v[GCL_F_GLOBALS] = fnum(&c);
		WANT(&c, " MB globals, ");
		v[GCL_F_PROCS] = fnum(&c);
	} else {
		v[GCL_F_PROCS] = x;
	}
	WANT(&c, " P");
	if (v[GCL_F_PROCS] > INT32_MAX)
		c.ok = 0;
	if (peek(&c, " (forced)", 9)) {
		c.p += 9;
		v[GCL_F_FORCED] = 1;
	}
	if (!c.ok || c.p != c.end)
		return 0;
	st->tok = T_END;
	return 1;
}

enum gcl_result gcl_match(struct gcl_state *st, const char *s, size_t n,
                          struct gcl_cut *cuts, int *ncuts)
{
	struct gcl_state orig;
	size_t pos;

	*ncuts = 0;
	if (st->tok == T_GC && gcl_is_fresh(st)) {
		/* A record from its start: the fast path, and a fresh state
		 * again if it gives up. */
		if (fast_line(st, s, n))
			return GCL_COMPLETE;
		gcl_start(st);
	}
	orig = *st;
	if (walk(st, s, n, &pos, NULL, 0))
		return GCL_COMPLETE;
	/* Rare: walk again, collecting the places where it may be cut. */
	*st = orig;
	struct cutset cs = {cuts, ncuts, GCL_MAX_CUTS, 0};
	walk(st, s, n, &pos, &cs, 0);
	if (pos == 0 && (n == 0 || !is_digit(s[0])))
		return GCL_NONE;
	return GCL_PARTIAL;
}

int gcl_match_slow(struct gcl_state *st, const char *s, size_t n)
{
	size_t pos;

	return walk(st, s, n, &pos, NULL, 0);
}

int gcl_cuts_strict(const struct gcl_state *st, const char *s, size_t n,
                    struct gcl_cut *cuts, int max, int *ncuts)
{
	struct gcl_state w = *st;
	struct cutset cs = {cuts, ncuts, max, 0};
	size_t pos;

	*ncuts = 0;
	walk(&w, s, n, &pos, &cs, 1);
	return cs.overflow ? -1 : 0;
}

int gcl_endable(const struct gcl_state *st)
{
	return st->tok == T_FORCED ? 2 : st->tok == T_END;
}

int gcl_looks_continued(const char *s, size_t n)
{
	/* Literals no program line is likely to start with, alone or after
	 * a number ("21 MB stacks, ..."). */
	static const uint8_t distinctive[] = {
		T_ATL, T_CLOCK, T_CPU, T_H0A, T_MB, T_GOALL, T_STACKSL, T_GLOBL,
		T_FORCED, T_LEAK,
	};
	size_t i = 0;

	while (i < n && (is_digit(s[i]) || s[i] == '.'))
		i++;
	/* Each of them starts with ' ', '-' or '%'. */
	if (i >= n || (s[i] != ' ' && s[i] != '-' && s[i] != '%'))
		return 0;
	for (size_t k = 0; k < sizeof distinctive; k++) {
		const struct tok *t = &toks[distinctive[k]];
		if (n - i >= t->len && memcmp(s + i, t->lit, t->len) == 0)
			return 1;
	}
	if (i > 0 && n - i >= 3 && memcmp(s + i, "%: ", 3) == 0)
		return 1;
	/* " P" alone, or before " (forced)", ends a record. */
	return n - i >= 2 && s[i] == ' ' && s[i + 1] == 'P' &&
	       (n - i == 2 || (n - i == 11 && memcmp(s + i + 2, " (forced)", 9) == 0));
}

int gcl_is_strong(const struct gcl_state *st)
{
	/* Tokens are numbered in the order they are printed. */
	return st->tok >= T_AT;
}

/* The step of a time as fmtNSAsMS prints it (it truncates), in us. */
static int64_t ms_step(int64_t us)
{
	return us < 100 ? 1 : us < 1000 ? 10 : us < 10000 ? 100 : 1000;
}

/*
 * The runtime prints the CPU time of each stop-the-world phase as its
 * clock time times one count of procs (work.stwprocs, set once per
 * cycle): sweep termination's and mark termination's must share a
 * factor k.  Each printed value stands for [v, v + step); a k for which
 * both pairs' ranges meet must exist.  (Two runtimes' times of the same
 * kind swapped between them mostly break it.)  True while unknown.
 */
static int stw_consistent(const int64_t *v)
{
	int mt = v[GCL_F_ERA15] == 1 ? GCL_F_C5 : GCL_F_C3;
	int64_t c[2] = {v[GCL_F_C1], v[mt]}, u[2] = {v[GCL_F_U1], v[GCL_F_U5]}, k = 1;

	for (int i = 0; i < 2; i++)
		if (c[i] == GC_NULL || u[i] == GC_NULL || c[i] < 0 || u[i] < 0 ||
		    c[i] > INT32_MAX || u[i] > INT32_MAX)
			return 1;
	/* The least k with k * (c + step) > u for both ... */
	for (int i = 0; i < 2; i++) {
		int64_t kk = u[i] / (c[i] + ms_step(c[i])) + 1;
		if (kk > k)
			k = kk;
	}
	/* ... must have k * c < u + step for both (the larger k, the worse). */
	for (int i = 0; i < 2; i++)
		if (k * c[i] >= u[i] + ms_step(u[i]))
			return 0;
	return 1;
}

int gcl_plausible(const struct gcl_state *st)
{
	const int64_t *v = st->v;

	if (!stw_consistent(v))
		return 0;
	if (v[GCL_F_H1] != GC_NULL &&
	    ((v[GCL_F_H0] != GC_NULL && v[GCL_F_H0] > v[GCL_F_H1]) ||
	     (v[GCL_F_H2] != GC_NULL && v[GCL_F_H2] > v[GCL_F_H1])))
		return 0;
	return v[GCL_F_PCT] == GC_NULL || v[GCL_F_PCT] <= 100;
}

static int64_t sum3(int64_t a, int64_t b, int64_t c)
{
	return (a == GC_NULL ? 0 : a) + (b == GC_NULL ? 0 : b) +
	       (c == GC_NULL ? 0 : c);
}

void gcl_to_record(const struct gcl_state *st, struct gc_record *r)
{
	const int64_t *v = st->v;

	/* Every field is set below (no gcrecord_clear: this runs per line). */
	r->source[0] = 0;
	r->wall_ms = GC_NULL;
	r->lane = 0;
	r->run = 0;
	r->gc = (uint64_t)v[GCL_F_GC];
	r->at_ms = v[GCL_F_AT];
	r->cpu_pct = (int32_t)v[GCL_F_PCT];
	r->procs = (int32_t)v[GCL_F_PROCS]; /* refused above INT32_MAX */
	r->heap_start_mb = v[GCL_F_H0];
	r->heap_end_mb = v[GCL_F_H1];
	r->heap_live_mb = v[GCL_F_H2];
	r->heap_goal_mb = v[GCL_F_GOAL];
	r->stacks_mb = v[GCL_F_STACKS];
	r->globals_mb = v[GCL_F_GLOBALS];
	r->forced = v[GCL_F_FORCED] == 1;
	r->clock_sweep_term_us = v[GCL_F_C1];
	r->cpu_sweep_term_us = v[GCL_F_U1];
	r->cpu_assist_us = v[GCL_F_U2];
	r->cpu_background_us = v[GCL_F_U3];
	r->cpu_idle_us = v[GCL_F_U4];
	r->cpu_mark_term_us = v[GCL_F_U5];
	if (v[GCL_F_ERA15] == 1) {
		/* Root scan and install-write-barrier fold into the mark
		 * (DESIGN.md); their CPU (U6, U7) into background. */
		r->era = GC_ERA_15;
		r->clock_mark_us = sum3(v[GCL_F_C2], v[GCL_F_C3], v[GCL_F_C4]);
		r->clock_mark_term_us = v[GCL_F_C5];
		r->cpu_background_us = sum3(v[GCL_F_U3], v[GCL_F_U6], v[GCL_F_U7]);
	} else {
		r->era = v[GCL_F_STACKS] != GC_NULL ? GC_ERA_118 : GC_ERA_16;
		r->clock_mark_us = v[GCL_F_C2];
		r->clock_mark_term_us = v[GCL_F_C3];
	}
}

/* Reads an unsigned decimal at s[*i]; advances *i. */
static int read_uint(const char *s, size_t n, size_t *i, int64_t *v)
{
	size_t j = *i;

	while (j < n && is_digit(s[j]))
		j++;
	if (!parse_uint(s + *i, j - *i, v))
		return 0;
	*i = j;
	return 1;
}

static int eat(const char *s, size_t n, size_t *i, const char *lit)
{
	size_t l = strlen(lit);

	if (n - *i < l || memcmp(s + *i, lit, l) != 0)
		return 0;
	*i += l;
	return 1;
}

int gcl_parse_pre15(const char *s, size_t n, struct gc_record *r)
{
	size_t i = 0;
	int64_t gc, procs, t, sum = 0, h0, h1;
	int64_t unit;

	if (!eat(s, n, &i, "gc") || !read_uint(s, n, &i, &gc) || gc == 0 ||
	    !eat(s, n, &i, "(") || !read_uint(s, n, &i, &procs) ||
	    procs > INT32_MAX || !eat(s, n, &i, "): "))
		return 0;
	for (int k = 0; k < 16; k++) {
		if (!read_uint(s, n, &i, &t) || t > INT64_MAX / 4000)
			return 0;
		sum += t;
		if (!eat(s, n, &i, "+"))
			break;
	}
	if (eat(s, n, &i, " us, "))
		unit = 1;
	else if (eat(s, n, &i, " ms, "))
		unit = 1000; /* Go 1.2 */
	else
		return 0;
	if (!read_uint(s, n, &i, &h0) || !eat(s, n, &i, " -> ") ||
	    !read_uint(s, n, &i, &h1) || !eat(s, n, &i, " MB"))
		return 0;
	if (i < n && s[i] != ',' && s[i] != ' ')
		return 0;
	gcrecord_clear(r);
	r->era = GC_ERA_PRE15;
	r->gc = (uint64_t)gc;
	r->procs = (int32_t)procs;
	r->clock_sweep_term_us = 0;
	r->clock_mark_term_us = sum * unit;
	r->heap_start_mb = h0;
	r->heap_end_mb = h1;
	r->heap_live_mb = h1;
	return 1;
}
