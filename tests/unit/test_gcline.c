/*
 * Unit tests of the gc line grammar: the straight-line fast path and the
 * token table agree on every corpus line and on many mutations of them,
 * and the cuts of a torn line fall where the runtime's writes do.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "trace/gcline.h"

static int same_state(const struct gcl_state *a, const struct gcl_state *b)
{
	return a->tok == b->tok && memcmp(a->v, b->v, sizeof a->v) == 0;
}

/* Both paths on one line: the same verdict and, if complete, the same values. */
static void check_line(const char *s, size_t n)
{
	struct gcl_state fast, slow;
	struct gcl_cut cuts[GCL_MAX_CUTS];
	int nc;

	gcl_start(&fast);
	gcl_start(&slow);
	int f = gcl_match(&fast, s, n, cuts, &nc) == GCL_COMPLETE;
	int w = gcl_match_slow(&slow, s, n);
	if (f != w || (f && !same_state(&fast, &slow)))
		fail_msg("fast and table paths differ (%d/%d) on: %.*s", f, w, (int)n, s);
}

static void test_fast_path_agrees(void **state)
{
	(void)state;
	const char *files[] = {"go1.5.txt", "go1.6-1.17.txt", "go1.18-1.25.txt",
	                       "stream-go1.18-goal-below-heap.log", "go1.2-1.4.txt"};
	static const char repl[] = "0123456789.+/ ->%@sPxa#(";
	unsigned seed = 1;
	size_t lines = 0;

	for (size_t f = 0; f < sizeof files / sizeof files[0]; f++) {
		char path[512], line[1024];
		snprintf(path, sizeof path, "%s/corpus/%s", TEST_DATA, files[f]);
		FILE *in = fopen(path, "r");
		assert_non_null(in);
		while (fgets(line, sizeof line, in)) {
			size_t n = strcspn(line, "\n");
			line[n] = 0;
			check_line(line, n);
			lines++;
			/* Mutations: one byte replaced, deleted or the line cut. */
			for (int k = 0; k < 200; k++) {
				char m[1024];
				memcpy(m, line, n + 1);
				seed = seed * 1103515245u + 12345u;
				size_t at = (seed >> 8) % n, mn = n;
				switch ((seed >> 20) % 3) {
				case 0:
					m[at] = repl[(seed >> 4) % (sizeof repl - 1)];
					break;
				case 1:
					memmove(m + at, m + at + 1, n - at);
					mn--;
					break;
				default:
					mn = at;
				}
				check_line(m, mn);
			}
		}
		fclose(in);
	}
	assert_true(lines > 300);
}

static void test_cuts_at_write_boundaries(void **state)
{
	(void)state;
	/* "gc 236" then a log line glued on: the cut after 236 is offered,
	 * with the collection number read as printed. */
	const char *s = "gc 2362026/11/28 17:09:00 msg";
	struct gcl_state st;
	struct gcl_cut cuts[GCL_MAX_CUTS];
	int nc, found = 0;

	gcl_start(&st);
	assert_int_equal(gcl_match(&st, s, strlen(s), cuts, &nc), GCL_PARTIAL);
	for (int i = 0; i < nc; i++)
		if (cuts[i].pos == 6) {
			assert_int_equal(cuts[i].st.v[GCL_F_GC], 236);
			found = 1;
		}
	assert_true(found);

	/* A time as the runtime prints it: "0.050", never "0.05". */
	s = "gc 5 @1.000s 2%: 0.0502026/11/28 x";
	gcl_start(&st);
	assert_int_equal(gcl_match(&st, s, strlen(s), cuts, &nc), GCL_PARTIAL);
	for (int i = 0; i < nc; i++)
		if (cuts[i].num_field == GCL_F_C1 && cuts[i].digits)
			assert_true(cuts[i].st.v[GCL_F_C1] == 0 || cuts[i].st.v[GCL_F_C1] == 50);

	/* Lines that read like the rest of a torn gc line. */
	assert_true(gcl_looks_continued(" MB goal, 4 P", 13));
	assert_true(gcl_looks_continued("21 MB stacks, 0 MB globals, 4 P", 31));
	assert_true(gcl_looks_continued(" P", 2));
	assert_false(gcl_looks_continued(" Processing", 11));
	assert_false(gcl_looks_continued("2026/11/28 17:09:00 x", 21));
}

/* Every corpus record shares one factor between its stop-the-world
 * phases' clock and CPU times; one with another runtime's mark
 * termination time in it does not. */
static void test_plausible_stw(void **state)
{
	(void)state;
	const char *files[] = {"go1.5.txt", "go1.6-1.17.txt", "go1.18-1.25.txt",
	                       "stream-go1.18-goal-below-heap.log"};
	size_t whole = 0;

	for (size_t f = 0; f < sizeof files / sizeof files[0]; f++) {
		char path[512], line[1024];
		snprintf(path, sizeof path, "%s/corpus/%s", TEST_DATA, files[f]);
		FILE *in = fopen(path, "r");
		assert_non_null(in);
		while (fgets(line, sizeof line, in)) {
			struct gcl_state st;
			struct gcl_cut cuts[GCL_MAX_CUTS];
			int nc;
			size_t n = strcspn(line, "\n");
			gcl_start(&st);
			if (gcl_match(&st, line, n, cuts, &nc) != GCL_COMPLETE)
				continue;
			whole++;
			if (!gcl_plausible(&st))
				fail_msg("implausible corpus line: %.*s", (int)n, line);
		}
		fclose(in);
	}
	assert_true(whole > 300);

	/* 5.9 = 63 or 64 times 0.093, and 2.2 as many times 0.035, not 0.31. */
	const char *ok = "gc 7 @2.302s 0%: 0.093+284+0.035 ms clock, 5.9+1808/4550/10574+2.2 ms cpu, "
	                 "3140->3181->1794 MB, 3339 MB goal, 49 MB stacks, 0 MB globals, 8 P";
	const char *bad = "gc 7 @2.302s 0%: 0.093+284+0.31 ms clock, 5.9+1808/4550/10574+2.2 ms cpu, "
	                  "3140->3181->1794 MB, 3339 MB goal, 49 MB stacks, 0 MB globals, 8 P";
	struct gcl_state st;
	struct gcl_cut cuts[GCL_MAX_CUTS];
	int nc;
	gcl_start(&st);
	assert_int_equal(gcl_match(&st, ok, strlen(ok), cuts, &nc), GCL_COMPLETE);
	assert_true(gcl_plausible(&st));
	gcl_start(&st);
	assert_int_equal(gcl_match(&st, bad, strlen(bad), cuts, &nc), GCL_COMPLETE);
	assert_false(gcl_plausible(&st));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fast_path_agrees),
		cmocka_unit_test(test_cuts_at_write_boundaries),
		cmocka_unit_test(test_plausible_stw),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
