/*
 * test_gctrace_lanes - two runtimes writing one stream: what the parser
 * emits is exact or not emitted, and what it loses it counts.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "trace/gctrace.h"

struct recs {
	struct gc_record r[512];
	size_t n;
};

static void on_record(void *ctx, const struct gc_record *r)
{
	struct recs *c = ctx;
	if (c->n < sizeof c->r / sizeof c->r[0])
		c->r[c->n++] = *r;
}

static char *slurp(const char *name, size_t *len)
{
	char path[512];
	snprintf(path, sizeof path, "%s/torn/%s", TEST_DATA, name);
	FILE *f = fopen(path, "rb");
	assert_non_null(f);
	fseek(f, 0, SEEK_END);
	long n = ftell(f);
	fseek(f, 0, SEEK_SET);
	char *s = malloc((size_t)n + 1);
	assert_non_null(s);
	assert_int_equal(fread(s, 1, (size_t)n, f), (size_t)n);
	s[n] = 0;
	fclose(f);
	*len = (size_t)n;
	return s;
}

/* Feed s in chunks of random size up to maxchunk; the records in *out. */
static struct gctrace_counts run(struct recs *out, const char *s, size_t n,
                                 size_t maxchunk, unsigned seed)
{
	static const struct gctrace_sink sink = {on_record, NULL, NULL};
	struct gctrace *p = gctrace_new(&sink, out);

	assert_non_null(p);
	out->n = 0;
	for (size_t off = 0; off < n;) {
		seed = seed * 1103515245u + 12345u;
		size_t k = maxchunk ? 1 + (seed >> 8) % maxchunk : n - off;
		if (k > n - off)
			k = n - off;
		gctrace_feed(p, s + off, k);
		off += k;
	}
	gctrace_finish(p);
	struct gctrace_counts c = *gctrace_counts(p);
	gctrace_free(p);
	return c;
}

/* The records of slowed.truth, one whole line each. */
static struct recs truth;

static void load_truth(void)
{
	size_t n;
	char *s = slurp("slowed.truth", &n);
	truth.n = 0;
	for (char *l = s, *e; l < s + n; l = e + 1) {
		e = memchr(l, '\n', (size_t)(s + n - l));
		if (!e)
			e = s + n;
		if (e > l) {
			assert_true(truth.n < sizeof truth.r / sizeof truth.r[0]);
			assert_true(gctrace_parse_line(l, (size_t)(e - l), &truth.r[truth.n]));
			truth.n++;
		}
	}
	free(s);
}

/*
 * Streams where two runtimes' writes interleave token by token (a slowed
 * writer: strace).  Each once gave a record that was wrong or invented:
 * one runtime's head and the other's tail forming a valid line ("gc 53
 * @23.271s 0%: 0.13" + "+6.7+0.17 ms clock, ... 2 P"), numbers of both
 * glued ("235" + "0.31" read as 2350.31 ms, "gc 132" + "31 @11.317s ..."),
 * or a head glued before another's whole line ("gc gc 2012" + "50 @...").
 * Every record emitted must be one of the real ones, whatever the chunks.
 */
static void test_slowed_never_wrong(void **state)
{
	(void)state;
	static const char *const files[] = {"slowed-7.log", "slowed-9.log",
	                                    "slowed-10.log", "slowed-20.log"};
	static struct recs got;

	load_truth();
	for (size_t f = 0; f < sizeof files / sizeof files[0]; f++) {
		size_t n;
		char *s = slurp(files[f], &n);
		for (unsigned seed = 0; seed < 8; seed++) {
			run(&got, s, n, seed ? 1 + seed * 97 : 0, seed);
			for (size_t i = 0; i < got.n; i++) {
				size_t j = 0;
				while (j < truth.n && !gcrecord_equal(&got.r[i], &truth.r[j]))
					j++;
				if (j == truth.n)
					fail_msg("%s (chunks %u): gc %llu @%lld is not a real record",
					         files[f], seed, (unsigned long long)got.r[i].gc,
					         (long long)got.r[i].at_ms);
			}
		}
		free(s);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_slowed_never_wrong),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
