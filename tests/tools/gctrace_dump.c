/*
 * gctrace_dump - feeds standard input to the parser in chunks of a given
 * size (0: all at once, -N: random sizes up to N with a fixed seed) and
 * prints every event, one per line, for tests and debugging:
 *   R gc at_ms pct c1 c2 c3 u1 u2 u3 u4 u5 h0 h1 h2 goal stacks globals P forced era source
 *   T kind text          (runtime line)
 *   F <escaped bytes>    (foreign text)
 *   C counts...
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "trace/gctrace.h"

static void on_record(void *ctx, const struct gc_record *r)
{
	(void)ctx;
	printf("R %llu %lld %d %lld %lld %lld %lld %lld %lld %lld %lld %lld %lld %lld %lld %lld %lld %d %d %d [%s]\n",
	       (unsigned long long)r->gc, (long long)r->at_ms, r->cpu_pct,
	       (long long)r->clock_sweep_term_us, (long long)r->clock_mark_us,
	       (long long)r->clock_mark_term_us, (long long)r->cpu_sweep_term_us,
	       (long long)r->cpu_assist_us, (long long)r->cpu_background_us,
	       (long long)r->cpu_idle_us, (long long)r->cpu_mark_term_us,
	       (long long)r->heap_start_mb, (long long)r->heap_end_mb,
	       (long long)r->heap_live_mb, (long long)r->heap_goal_mb,
	       (long long)r->stacks_mb, (long long)r->globals_mb, r->procs,
	       r->forced, r->era, r->source);
}

static void escaped(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '\n')
			fputs("\\n", stdout);
		else if (c == '\\')
			fputs("\\\\", stdout);
		else if (c < 32 || c >= 127)
			printf("\\x%02x", c);
		else
			putchar(c);
	}
}

static void on_foreign(void *ctx, const char *s, size_t n)
{
	(void)ctx;
	fputs("F ", stdout);
	escaped(s, n);
	putchar('\n');
}

static void on_runtime(void *ctx, enum gctrace_rt kind, const char *s, size_t n)
{
	(void)ctx;
	printf("T %d ", (int)kind);
	escaped(s, n);
	putchar('\n');
}

int main(int argc, char **argv)
{
	long chunk = argc > 1 ? atol(argv[1]) : 0;
	size_t cap = 1 << 20, len = 0;
	char *buf = malloc(cap);
	size_t got;

	while ((got = fread(buf + len, 1, cap - len, stdin)) > 0) {
		len += got;
		if (len == cap)
			buf = realloc(buf, cap *= 2);
	}
	struct gctrace_sink sink = {on_record, on_foreign, on_runtime};
	struct gctrace *p = gctrace_new(&sink, NULL);
	unsigned seed = 12345;
	for (size_t off = 0; off < len;) {
		size_t k = len - off;
		if (chunk > 0 && (size_t)chunk < k)
			k = (size_t)chunk;
		else if (chunk < 0) {
			seed = seed * 1103515245u + 12345u;
			size_t r = 1 + (seed >> 8) % (size_t)(-chunk);
			if (r < k)
				k = r;
		}
		gctrace_feed(p, buf + off, k);
		off += k;
	}
	gctrace_finish(p);
	const struct gctrace_counts *c = gctrace_counts(p);
	printf("C lines=%llu records=%llu runtime=%llu foreign=%llu torn_recovered=%llu torn_dropped=%llu long=%llu\n",
	       (unsigned long long)c->lines, (unsigned long long)c->records,
	       (unsigned long long)c->runtime_lines, (unsigned long long)c->foreign_lines,
	       (unsigned long long)c->torn_recovered, (unsigned long long)c->torn_dropped,
	       (unsigned long long)c->long_pieces);
	gctrace_free(p);
	free(buf);
	return 0;
}
