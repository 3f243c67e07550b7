/*
 * test_gcmerge - two runtimes' gc lines interleaved token by token in one
 * line, taken apart only where every way to do it agrees; and, through
 * gctrace, the records put back from such lines.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "trace/gcmerge.h"
#include "trace/gcrecord.h"
#include "trace/gctrace.h"

/* Lines from a fidelity stream: A prints with 8 P, B with 2 P. */
#define A20 "gc 20 @10.470s 1%: 0.044+0.39+0.026 ms clock, 2.8+0.072/2.1/0.059+1.6 ms cpu, " \
            "3->4->2 MB, 4 MB goal, 0 MB stacks, 0 MB globals, 8 P"
/* A's gc 20 with B's head "gc 2165 @44.535s 0%: 0.21+" dealt into it. */
#define MIX20 "gc 20 @10.470s 1%: 0.044+0.39+0.026 ms clock, 2.8+0.072/2.1/0.059+1.6 ms cpu, " \
              "3->4->2gc  MB, 42165 @ MB goal, 44.5350s  MB stacks, 00% MB globals, 8:  P0.21+"
#define B2165_TAIL "7.8+0.15 ms clock, 0.84+7.0/6.8/0+0.63 ms cpu, 312->352->142 MB, " \
                   "365 MB goal, 0 MB stacks, 0 MB globals, 2 P"
#define B2165 "gc 2165 @44.535s 0%: 0.21+" B2165_TAIL

static struct gcmerge *m;

static int setup(void **state)
{
	(void)state;
	m = gcmerge_new();
	return m ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	gcmerge_free(m);
	return 0;
}

/* Side k continues a run whose last record was gc with P procs, @ at. */
static void side(struct gcm_side *sd, uint64_t gc, int64_t at, int32_t procs, int ends)
{
	gcl_start(&sd->st);
	sd->run.gc_lo = gc + 1;
	sd->run.gc_hi = gc + 8;
	sd->run.at_min = at;
	sd->run.procs = procs;
	sd->run.era = GC_ERA_118;
	sd->run.globals = GC_NULL;
	sd->ends = ends;
	sd->may_skip = 0;
}

static enum gcm_result split(const char *s, struct gcm_side sd[2], struct gcl_state out[2],
                             uint8_t *owner, int same[2])
{
	return gcmerge_split(m, s, strlen(s), sd, out, owner, same);
}

/* The bytes of s that side k wrote. */
static void bytes_of(const char *s, const uint8_t *owner, int k, char *out)
{
	size_t n = 0;
	for (size_t i = 0; s[i]; i++)
		if (owner[i] == k)
			out[n++] = s[i];
	out[n] = 0;
}

/* The head of one (gc 49), the other's line (gc 1643) after it: the
 * head may take digits of the other's "262" as its goal, so the line
 * alone gives three ways; the head's rest on the next line ("5 MB goal,
 * ...": a number does not go on after another's bytes) leaves one. */
static void test_tail_decides(void **state)
{
	(void)state;
	struct gcm_side sd[2];
	struct gcl_state out[2];
	int same[2];
	const char *s =
		"gc 49 @18.992s 1%: 0.045+0.39+0.034 ms clock, 2.9+0.053/2.5/0.20+2.2 ms cpu, 5->5->2 MB, "
		"gc 1643 @23.497s 0%: 0.93+4.4+0.042 ms clock, 3.7+1.7/3.5/0.031+0.17 ms cpu, "
		"262->312->152 MB, 304 MB goal, 0 MB stacks, 0 MB globals, 2 P";
	const char *tail = "5 MB goal, 0 MB stacks, 0 MB globals, 8 P";

	side(&sd[0], 1642, 23000, 2, 1);
	side(&sd[1], 48, 18000, 8, 0);
	assert_int_not_equal(split(s, sd, out, NULL, same), GCM_UNIQUE);
	assert_int_equal(gcmerge_split_tail(m, s, strlen(s), sd, tail, strlen(tail), out, NULL, same),
	                 GCM_UNIQUE);
	assert_int_equal(out[0].v[GCL_F_GC], 1643);
	assert_int_equal(out[0].v[GCL_F_H0], 262);
	assert_int_equal(out[1].v[GCL_F_GC], 49);
	assert_int_equal(out[1].v[GCL_F_GOAL], 5);
	assert_int_equal(gcl_endable(&out[1]), 1);
}

/* One record whole, the other's head dealt into it: both exact. */
static void test_whole_and_head(void **state)
{
	(void)state;
	struct gcm_side sd[2];
	struct gcl_state out[2];
	uint8_t owner[GCM_TEXT_MAX];
	int same[2];
	char a[GCM_TEXT_MAX], b[GCM_TEXT_MAX];
	struct gc_record got, want;

	side(&sd[0], 19, 9602, 8, 1);
	side(&sd[1], 2164, 43000, 2, 0);
	assert_int_equal(split(MIX20, sd, out, owner, same), GCM_UNIQUE);
	assert_true(same[0] && same[1]);
	bytes_of(MIX20, owner, 0, a);
	bytes_of(MIX20, owner, 1, b);
	assert_string_equal(a, A20);
	assert_string_equal(b, "gc 2165 @44.535s 0%: 0.21+");
	gcl_to_record(&out[0], &got);
	assert_true(gctrace_parse_line(A20, strlen(A20), &want));
	assert_true(gcrecord_equal(&got, &want));
	/* The head's values so far, and the token it waits for. */
	assert_int_equal(out[1].v[GCL_F_GC], 2165);
	assert_int_equal(out[1].v[GCL_F_AT], 44535);
	assert_int_equal(out[1].v[GCL_F_C1], 210);
	assert_int_equal(out[1].v[GCL_F_C2], GC_NULL);
	/* Continued with its tail, the head reads as B's record. */
	struct gcl_state st = out[1];
	struct gcl_cut cuts[GCL_MAX_CUTS];
	int nc;
	assert_int_equal(gcl_match(&st, B2165_TAIL, strlen(B2165_TAIL), cuts, &nc), GCL_COMPLETE);
	gcl_to_record(&st, &got);
	assert_true(gctrace_parse_line(B2165, strlen(B2165), &want));
	assert_true(gcrecord_equal(&got, &want));
	/* The same lanes the other way round: the head cannot end the line. */
	side(&sd[0], 2164, 43000, 2, 1);
	side(&sd[1], 19, 9602, 8, 0);
	assert_int_equal(split(MIX20, sd, out, NULL, same), GCM_NONE);
}

/* "1007" + "3" and "100" + "73" (A's live heap, B's CPU %) read the same:
 * refused, never guessed. */
static void test_glued_digits_refused(void **state)
{
	(void)state;
	static const char line[] =
		"gc 40 @18.742s 0%: 0.11+172+0.025 ms clock, 7.3+588/2750/6633+1.6gc  ms cpu, "
		"11611571 @->160574.003->s 10073 MB, %1850:  MB goal, 0.031+300.49 MB stacks, "
		"+0 MB globals, 0.0048 ms clock,  P0.12";
	struct gcm_side sd[2];
	struct gcl_state out[2];
	int same[2];

	side(&sd[0], 39, 18000, 8, 1);
	side(&sd[1], 1160, 73000, 2, 0);
	assert_int_equal(split(line, sd, out, NULL, same), GCM_AMBIGUOUS);
	assert_false(same[0] || same[1]);
}

/* A head that is "gc " alone, its number on the next line: a reading that
 * gives it "62" of the other's "262" is not the only one (it once was:
 * "2->262->112 MB" emitted for 262->262->112). */
static void test_bare_head_not_given_digits(void **state)
{
	(void)state;
	static const char line[] =
		"gc 789 @124.077s 0%: 0.16+1.8+0.004 ms clock, 0.66+1.9/1.7/0+gc 0.019 ms cpu, "
		"262->262->112 MB, 265 MB goal, 0 MB stacks, 0 MB globals, 2 P";
	struct gcm_side sd[2];
	struct gcl_state out[2];
	uint8_t owner[GCM_TEXT_MAX];
	int same[2];
	struct gc_record got;

	side(&sd[0], 788, 124005, 2, 1);
	side(&sd[1], 56, 23098, 8, 0);
	assert_int_equal(split(line, sd, out, NULL, same), GCM_AMBIGUOUS);
	/* Where no number the head may take is in the line, it is "gc ". */
	side(&sd[1], 70, 23098, 8, 0);
	assert_int_equal(split(line, sd, out, owner, same), GCM_UNIQUE);
	gcl_to_record(&out[0], &got);
	assert_int_equal(got.heap_start_mb, 262);
	assert_int_equal(out[1].v[GCL_F_GC], GC_NULL);
}

/* Digits of two writers glued ("9" then "3" reads "93"): told apart when
 * the runs' numbers allow one split only, refused when they allow two. */
#define GLUED "gc gc 93 @1.000s 0%: 0+0+0 ms clock, 0+0/0/0+0 ms cpu, 1->1->1 MB, " \
              "4 MB goal, 0 MB stacks, 0 MB globals, 8 P"
static void test_adjacent_numbers(void **state)
{
	(void)state;
	struct gcm_side sd[2];
	struct gcl_state out[2];
	int same[2];

	side(&sd[0], 8, 0, 8, 1);
	side(&sd[1], 2, 0, 2, 0);
	assert_int_equal(split(GLUED, sd, out, NULL, same), GCM_UNIQUE);
	assert_int_equal(out[0].v[GCL_F_GC], 9);
	assert_int_equal(out[1].v[GCL_F_GC], 3);
	/* The other way round fits too. */
	side(&sd[0], 2, 0, 8, 1);
	side(&sd[1], 8, 0, 2, 0);
	assert_int_equal(split(GLUED, sd, out, NULL, same), GCM_UNIQUE);
	assert_int_equal(out[0].v[GCL_F_GC], 3);
	assert_int_equal(out[1].v[GCL_F_GC], 9);
	/* Runs that allow 9 and 3 to either, or 93: refused. */
	side(&sd[0], 2, 0, 8, 1);
	side(&sd[1], 2, 0, 2, 0);
	sd[0].run.gc_hi = sd[1].run.gc_hi = 100;
	assert_int_equal(split(GLUED, sd, out, NULL, same), GCM_AMBIGUOUS);
}

/* Text that is not two runtimes' tokens: no way. */
static void test_not_two_runtimes(void **state)
{
	(void)state;
	struct gcm_side sd[2];
	struct gcl_state out[2];
	int same[2];

	side(&sd[0], 19, 0, 8, 1);
	side(&sd[1], 2164, 0, 2, 0);
	assert_int_equal(split("gc 20 @10.470s 1%: app: request 9 gc 2165", sd, out, NULL, same),
	                 GCM_NONE);
	/* One runtime's whole line: the other has no token in it. */
	assert_int_equal(split(A20, sd, out, NULL, same), GCM_NONE);
	assert_int_equal(gcmerge_split(m, A20, 0, sd, out, NULL, same), GCM_NONE);
}

/* A record held (A's "... 52->", its rest to come) and B's whole line
 * with "->152 MB": giving A the "52" leaves B a valid "->1 MB" too.  The
 * line may be B's alone, so that reading is not the only one: refused
 * (it once gave B's live heap as 1). */
static void test_held_may_have_no_token(void **state)
{
	(void)state;
	static const char head[] = "gc 40 @18.742s 0%: 0.11+172+0.025 ms clock, "
	                           "7.3+588/2750/6633+1.6 ms cpu, 52->";
	static const char line[] =
		"gc 2673 @38.262s 0%: 0.45+3.9+0.024 ms clock, 1.8+1.4/2.5/0+0.096 ms cpu, "
		"212->242->152 MB, 243 MB goal, 0 MB stacks, 0 MB globals, 2 P";
	struct gcm_side sd[2];
	struct gcl_state out[2], st;
	struct gcl_cut cuts[GCL_MAX_CUTS];
	int nc, same[2], at = -1;

	gcl_start(&st);
	assert_int_equal(gcl_cuts_strict(&st, head, strlen(head), cuts, GCL_MAX_CUTS, &nc), 0);
	for (int i = 0; i < nc; i++)
		if (cuts[i].pos == strlen(head))
			at = i;
	assert_true(at >= 0);
	side(&sd[0], 39, 18000, 8, 0);
	sd[0].st = cuts[at].st;
	side(&sd[1], 2672, 38000, 2, 1);
	/* Made to take a token, A takes "52" and B reads "->1 MB": the only
	 * way then, and a wrong one. */
	assert_int_equal(split(line, sd, out, NULL, same), GCM_UNIQUE);
	assert_int_equal(out[1].v[GCL_F_H2], 1);
	/* Allowed none, the line is B's alone too: refused. */
	sd[0].may_skip = 1;
	assert_int_not_equal(split(line, sd, out, NULL, same), GCM_UNIQUE);
	assert_false(same[1]);
}

/* ---- through the parser -------------------------------------------- */

struct recs {
	struct gc_record r[64];
	size_t n;
};

static void on_record(void *ctx, const struct gc_record *r)
{
	struct recs *c = ctx;
	if (c->n < sizeof c->r / sizeof c->r[0])
		c->r[c->n++] = *r;
}

static void on_foreign(void *ctx, const char *s, size_t n)
{
	(void)ctx;
	(void)s;
	(void)n;
	fail_msg("unexpected text: %.*s", (int)n, s);
}

static int has(const struct recs *g, const char *line)
{
	struct gc_record want;
	assert_true(gctrace_parse_line(line, strlen(line), &want));
	for (size_t i = 0; i < g->n; i++)
		if (gcrecord_equal(&g->r[i], &want))
			return 1;
	return 0;
}

#define A18 "gc 18 @9.100s 2%: 0.051+0.45+0.032 ms clock, 3.2+0/5.2/0.62+2.0 ms cpu, " \
            "9->9->5 MB, 9 MB goal, 0 MB stacks, 0 MB globals, 8 P"
#define A19 "gc 19 @9.602s 2%: 0.051+0.45+0.032 ms clock, 3.2+0/5.2/0.62+2.0 ms cpu, " \
            "9->9->5 MB, 9 MB goal, 0 MB stacks, 0 MB globals, 8 P"
#define B2163 "gc 2163 @42.100s 0%: 0.21+2.7+0.72 ms clock, 0.86+0.94/2.0/0+2.9 ms cpu, " \
              "262->302->162 MB, 304 MB goal, 0 MB stacks, 0 MB globals, 2 P"
#define B2164 "gc 2164 @43.000s 0%: 0.21+2.7+0.72 ms clock, 0.86+0.94/2.0/0+2.9 ms cpu, " \
              "262->302->162 MB, 304 MB goal, 0 MB stacks, 0 MB globals, 2 P"

/* Both records of the interleaved line come out, exact, in any chunks. */
static void test_parser_puts_both_back(void **state)
{
	(void)state;
	static const char stream[] = A18 "\n" B2163 "\n" A19 "\n" B2164 "\n" MIX20 "\n"
	                             B2165_TAIL "\n";
	static const struct gctrace_sink sink = {on_record, on_foreign, NULL};

	for (size_t chunk = 1; chunk <= sizeof stream; chunk = chunk * 3 + 1) {
		struct recs got = {.n = 0};
		struct gctrace *p = gctrace_new(&sink, &got);
		assert_non_null(p);
		for (size_t off = 0; off < sizeof stream - 1; off += chunk)
			gctrace_feed(p, stream + off,
			             chunk < sizeof stream - 1 - off ? chunk : sizeof stream - 1 - off);
		gctrace_finish(p);
		assert_int_equal(got.n, 6);
		assert_true(has(&got, A20));
		assert_true(has(&got, B2165));
		assert_int_equal(gctrace_counts(p)->torn_dropped, 0);
		gctrace_free(p);
	}
}

static void on_text(void *ctx, const char *s, size_t n)
{
	(void)ctx;
	(void)s;
	(void)n;
}

/* Where two runtimes print, each record's "gc " that goes out as text is
 * a loss; "gc " in the program's prose is not. */
static void test_prose_gc_not_a_loss(void **state)
{
	(void)state;
	static const char stream[] = A18 "\n" B2163 "\n" A19 "\n" B2164 "\n" MIX20 "\n"
	                             B2165_TAIL "\n" "running gc cycle now\n"
	                             "gc: slow, gc is busy\n";
	static const struct gctrace_sink sink = {on_record, on_text, NULL};
	struct recs got = {.n = 0};
	struct gctrace *p = gctrace_new(&sink, &got);

	assert_non_null(p);
	gctrace_feed(p, stream, sizeof stream - 1);
	gctrace_finish(p);
	assert_int_equal(got.n, 6);
	assert_int_equal(gctrace_counts(p)->torn_dropped, 0);
	gctrace_free(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_whole_and_head),
		cmocka_unit_test(test_glued_digits_refused),
		cmocka_unit_test(test_bare_head_not_given_digits),
		cmocka_unit_test(test_adjacent_numbers),
		cmocka_unit_test(test_not_two_runtimes),
		cmocka_unit_test(test_held_may_have_no_token),
		cmocka_unit_test(test_parser_puts_both_back),
		cmocka_unit_test(test_prose_gc_not_a_loss),
		cmocka_unit_test(test_tail_decides),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
