#include "trace/gcmerge.h"

#ifdef GCMERGE_DEBUG
#include <stdio.h>
#endif
#include <stdlib.h>
#include <string.h>

#include "trace/gcrecord.h"

/*
 * A depth-first search over the line: from a place and the two sides'
 * states, the side whose turn it is takes a run of its tokens (every
 * place its match may stop: gcl_cuts_strict), then the other side's turn
 * comes.  Runs alternate, so each way of dealing the bytes out is met
 * once.  A place and the two sides' next tokens decide alone whether the
 * rest of the line can be dealt out (the runs' checks look only at the
 * value being set), so places found dead are remembered and not searched
 * again.  Checks that look at several values (era, plausibility) are made
 * on each way found, not while searching.
 */

#define MEMO_SLOTS 8192
#define CUTS_MAX 160
#define RUNS_MAX 192
/* Matches made in one search: past this the line is refused. */
#define BUDGET 20000

struct gcmerge {
	const char *s;
	size_t n;
	const struct gcm_side *side;
	int budget;
	int found;          /* ways found */
	int ambiguous;      /* no side is the same in every way: stop */
	int same[2];        /* side k is the same in every way so far */
	char text[2][GCM_TEXT_MAX], tmp[GCM_TEXT_MAX];
	/* Side 1's next line, all of it, which must end its record (NULL:
	 * none, gcmerge_split). */
	const char *tail;
	size_t tail_n;
	size_t tlen[2];
	struct gcl_state first[2];
	uint8_t *owner;
	/* The runs of the way being searched. */
	struct {
		uint16_t from, to;
		uint8_t k;
	} runs[RUNS_MAX];
	int nruns;
	/* Dead places, by key, valid while gen matches. */
	uint32_t memo_key[MEMO_SLOTS];
	uint32_t memo_gen[MEMO_SLOTS];
	uint32_t gen;
	/* The cuts of one place.  An array per depth would take megabytes:
	 * a level whose cuts a deeper one overwrote computes them again
	 * (filled_by says which level's they are). */
	struct gcl_cut cuts[CUTS_MAX];
	int filled_by;
};

struct gcmerge *gcmerge_new(void)
{
	return calloc(1, sizeof(struct gcmerge));
}

void gcmerge_free(struct gcmerge *m)
{
	free(m);
}

static uint32_t key_of(size_t i, int k, const struct gcl_state st[2])
{
	return (uint32_t)i << 17 | (uint32_t)k << 16 | (uint32_t)st[0].tok << 8 | st[1].tok;
}

static int memo_dead(const struct gcmerge *m, uint32_t key)
{
	uint32_t h = (key * 2654435761u) >> 19; /* 13 bits: MEMO_SLOTS */

	for (int probe = 0; probe < 8; probe++, h = (h + 1) % MEMO_SLOTS) {
		if (m->memo_gen[h] != m->gen)
			return 0;
		if (m->memo_key[h] == key)
			return 1;
	}
	return 0;
}

static void memo_put(struct gcmerge *m, uint32_t key)
{
	uint32_t h = (key * 2654435761u) >> 19;

	/* Full around it: not remembered, only searched again. */
	for (int probe = 0; probe < 8; probe++, h = (h + 1) % MEMO_SLOTS)
		if (m->memo_gen[h] != m->gen) {
			m->memo_gen[h] = m->gen;
			m->memo_key[h] = key;
			return;
		}
}

/* The values a run may set, each against its own bound. */
static int run_fits(const struct gcm_run *r, const struct gcl_state *st)
{
	const int64_t *v = st->v;

	if (r->gc_lo && v[GCL_F_GC] != GC_NULL &&
	    ((uint64_t)v[GCL_F_GC] < r->gc_lo || (uint64_t)v[GCL_F_GC] > r->gc_hi))
		return 0;
	if (r->at_min != GC_NULL && v[GCL_F_AT] != GC_NULL && v[GCL_F_AT] < r->at_min)
		return 0;
	if (r->procs && v[GCL_F_PROCS] != GC_NULL && v[GCL_F_PROCS] != r->procs)
		return 0;
	if (r->globals != GC_NULL && v[GCL_F_GLOBALS] != GC_NULL && v[GCL_F_GLOBALS] != r->globals)
		return 0;
	return 1;
}

/* The era the state shows so far agrees with the run's. */
static int era_fits(const struct gcm_run *r, const struct gcl_state *st)
{
	const int64_t *v = st->v;

	if (!r->era)
		return 1;
	if (v[GCL_F_ERA15] == 1)
		return r->era == GC_ERA_15;
	if (v[GCL_F_U1] != GC_NULL && r->era == GC_ERA_15)
		return 0;
	if (v[GCL_F_STACKS] != GC_NULL)
		return r->era == GC_ERA_118;
	if (v[GCL_F_PROCS] != GC_NULL)
		return r->era != GC_ERA_118;
	return 1;
}

/* Has the side used a token since its start?  (A head may be "gc " alone,
 * its number still to come: a reading that gives it digits of the line
 * must not be the only one tried.) */
static int begun(const struct gcm_side *sd, const struct gcl_state *st)
{
	return sd->may_skip || st->tok != sd->st.tok;
}

static int same_state(const struct gcl_state *a, const struct gcl_state *b)
{
	return a->tok == b->tok && memcmp(a->v, b->v, sizeof a->v) == 0;
}

/* Side k's bytes of the way being searched, in order, into out. */
static size_t side_text(const struct gcmerge *m, int k, char *out)
{
	size_t n = 0;

	for (int r = 0; r < m->nruns; r++)
		if (m->runs[r].k == k) {
			size_t l = (size_t)(m->runs[r].to - m->runs[r].from);
			memcpy(out + n, m->s + m->runs[r].from, l);
			n += l;
		}
	return n;
}

/* The line is dealt out: check the way and compare it with the first. */
static void found_way(struct gcmerge *m, const struct gcl_state st[2])
{
	for (int k = 0; k < 2; k++)
		if (!era_fits(&m->side[k].run, &st[k]) || !gcl_plausible(&st[k]))
			return;
#ifdef GCMERGE_DEBUG
	fprintf(stderr, "way %d:", m->found);
	for (int r = 0; r < m->nruns; r++)
		fprintf(stderr, " %d[%.*s]", m->runs[r].k, m->runs[r].to - m->runs[r].from, m->s + m->runs[r].from);
	fprintf(stderr, "\n");
#endif
	if (m->found++ == 0) {
		m->first[0] = st[0];
		m->first[1] = st[1];
		m->same[0] = m->same[1] = 1;
		for (int k = 0; k < 2; k++)
			m->tlen[k] = side_text(m, k, m->text[k]);
		if (m->owner)
			for (int r = 0; r < m->nruns; r++)
				memset(m->owner + m->runs[r].from, m->runs[r].k,
				       (size_t)(m->runs[r].to - m->runs[r].from));
		return;
	}
	for (int k = 0; k < 2; k++) {
		if (!m->same[k])
			continue;
		/* Side k's state, and the other's bytes (which go out as they
		 * are, held or as text, when only side k is taken). */
		size_t l = side_text(m, !k, m->tmp);
		if (!same_state(&m->first[k], &st[k]) || l != m->tlen[!k] ||
		    memcmp(m->tmp, m->text[!k], l) != 0)
			m->same[k] = 0;
	}
	if (!m->same[0] && !m->same[1])
		m->ambiguous = 1;
}

static int numch(char c)
{
	return (c >= '0' && c <= '9') || c == '.';
}

/* Does side 1's next line end its record from *st (then the end state in
 * *st)?  The runtime prints each number in one write(2): a number of its
 * at the end of this line does not go on at the start of the next. */
static int tail_ends(const struct gcmerge *m, struct gcl_state *st)
{
	for (int r = m->nruns - 1; r >= 0; r--)
		if (m->runs[r].k == 1) {
			if (numch(m->s[m->runs[r].to - 1]) && m->tail_n && numch(m->tail[0]))
				return 0;
			break;
		}
	return gcl_match_slow(st, m->tail, m->tail_n) && gcl_endable(st);
}

/* Deal out s[i..n) with side k's turn first.  Returns whether some way
 * reached the end (before the checks of found_way). */
static int search(struct gcmerge *m, size_t i, int k, struct gcl_state st[2], int depth)
{
	if (m->ambiguous)
		return 1;
	if (i == m->n) {
		for (int j = 0; j < 2; j++) {
			if (!begun(&m->side[j], &st[j]))
				return 0;
			if (m->side[j].ends && !gcl_endable(&st[j]))
				return 0;
		}
		if (m->tail) {
			struct gcl_state end[2] = {st[0], st[1]};
			if (!tail_ends(m, &end[1]))
				return 0;
			found_way(m, end);
			return 1;
		}
		found_way(m, st);
		return 1;
	}
	if (depth >= RUNS_MAX) {
		m->ambiguous = 1; /* not searched to the end: refuse */
		return 1;
	}
	uint32_t key = key_of(i, k, st);
	if (memo_dead(m, key))
		return 0;
	m->filled_by = -1;
	struct gcl_cut *cuts = m->cuts;
	int nc, any = 0;
	for (int c = 0;; c++) {
		if (m->filled_by != depth) {
			/* (The same cuts each time: the search is deterministic.) */
			if (--m->budget < 0 ||
			    gcl_cuts_strict(&st[k], m->s + i, m->n - i, cuts, CUTS_MAX, &nc) < 0) {
				m->ambiguous = 1;
				return 1;
			}
			m->filled_by = depth;
		}
		if (c >= nc || m->ambiguous)
			break;
		if (cuts[c].pos == 0 || !run_fits(&m->side[k].run, &cuts[c].st))
			continue;
		struct gcl_state next[2];
		size_t to = i + cuts[c].pos;
		next[k] = cuts[c].st;
		next[!k] = st[!k];
		m->runs[depth].from = (uint16_t)i;
		m->runs[depth].to = (uint16_t)to;
		m->runs[depth].k = (uint8_t)k;
		m->nruns = depth + 1;
		any |= search(m, to, !k, next, depth + 1);
	}
	if (!any)
		memo_put(m, key);
	return any;
}

static enum gcm_result split(struct gcmerge *m, const char *s, size_t n,
                             const struct gcm_side side[2], struct gcl_state out[2],
                             uint8_t *owner, int same[2]);

enum gcm_result gcmerge_split(struct gcmerge *m, const char *s, size_t n,
                              const struct gcm_side side[2], struct gcl_state out[2],
                              uint8_t *owner, int same[2])
{
	m->tail = NULL;
	m->tail_n = 0;
	return split(m, s, n, side, out, owner, same);
}

enum gcm_result gcmerge_split_tail(struct gcmerge *m, const char *s, size_t n,
                                   const struct gcm_side side[2], const char *tail,
                                   size_t tail_n, struct gcl_state out[2], uint8_t *owner,
                                   int same[2])
{
	m->tail = tail;
	m->tail_n = tail_n;
	return split(m, s, n, side, out, owner, same);
}

static enum gcm_result split(struct gcmerge *m, const char *s, size_t n,
                             const struct gcm_side side[2], struct gcl_state out[2],
                             uint8_t *owner, int same[2])
{
	struct gcl_state st[2];

	same[0] = same[1] = 0;
	if (n == 0 || n > GCM_TEXT_MAX)
		return GCM_NONE;
	m->s = s;
	m->n = n;
	m->side = side;
	m->budget = BUDGET;
	m->found = 0;
	m->ambiguous = 0;
	m->owner = owner;
	m->nruns = 0;
	m->filled_by = -1;
	if (++m->gen == 0) {
		/* Wrapped: stamps from long ago could read as current. */
		memset(m->memo_gen, 0, sizeof m->memo_gen);
		m->gen = 1;
	}
	for (int k = 0; k < 2 && !m->ambiguous; k++) {
		st[0] = side[0].st;
		st[1] = side[1].st;
		search(m, 0, k, st, 0);
	}
	if (m->ambiguous)
		return GCM_AMBIGUOUS;
	if (!m->found)
		return GCM_NONE;
	out[0] = m->first[0];
	out[1] = m->first[1];
	same[0] = m->same[0];
	same[1] = m->same[1];
	return same[0] && same[1] ? GCM_UNIQUE : GCM_PARTLY;
}
