/*
 * fuzz_gctrace.c - libFuzzer target for the gctrace stream parser.
 *
 * Each input is parsed three times: fed whole to one parser, in chunks
 * whose sizes a generator seeded from the input picks (from 0 to a few
 * thousand bytes, mostly small) to a second, and one byte at a time to a
 * third.  Everything the sinks receive is folded, in order, into a digest
 * per parser; the three digests must be equal, since what the parser
 * delivers must not depend on how the stream was cut.  Each delivery is
 * checked against the contract of gctrace.h as it arrives, and at the end
 * the delivered text must fit in the input: foreign bytes + runtime bytes
 * + a minimum per record <= input size + 1.
 * Any violation aborts.
 *
 * No global state: every digest lives on the stack of one call.
 *
 *   make fuzz [FUZZ_SECONDS=60]
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "trace/gcrecord.h"
#include "trace/gctrace.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* No record comes from fewer bytes than this ("gc1(1): 0+0+0 ms, 0 -> 0 MB"
 * is 27); a loose floor, so that the size check cannot misfire. */
#define MIN_RECORD_BYTES 16

struct digest {
	uint64_t hash;       /* FNV-1a over every event, in order */
	uint64_t records;
	uint64_t foreign;    /* calls */
	uint64_t runtime;    /* calls */
	uint64_t foreign_bytes;
	uint64_t runtime_bytes;
};

static void fail(const char *what)
{
	fprintf(stderr, "fuzz_gctrace: %s\n", what);
	abort();
}

static void mix(struct digest *d, const void *p, size_t n)
{
	const unsigned char *b = p;

	for (size_t i = 0; i < n; i++) {
		d->hash ^= b[i];
		d->hash *= 0x100000001b3ULL;
	}
}

static void mix64(struct digest *d, uint64_t v)
{
	unsigned char b[8];

	for (int i = 0; i < 8; i++)
		b[i] = (unsigned char)(v >> (8 * i));
	mix(d, b, sizeof b);
}

static void check_field(int64_t v)
{
	if (v < GC_NULL)
		fail("record field below GC_NULL");
}

static void on_record(void *ctx, const struct gc_record *r)
{
	struct digest *d = ctx;
	const int64_t f[] = {
		r->at_ms, r->cpu_pct, r->procs,
		r->clock_sweep_term_us, r->clock_mark_us, r->clock_mark_term_us,
		r->cpu_sweep_term_us, r->cpu_assist_us, r->cpu_background_us,
		r->cpu_idle_us, r->cpu_mark_term_us,
		r->heap_start_mb, r->heap_end_mb, r->heap_live_mb, r->heap_goal_mb,
		r->stacks_mb, r->globals_mb,
	};
	size_t slen = strnlen(r->source, sizeof r->source);

	if (slen == sizeof r->source)
		fail("record source not NUL-terminated");
	if (r->era < GC_ERA_PRE15 || r->era > GC_ERA_118)
		fail("record era out of range");
	d->records++;
	mix64(d, 'R');
	mix64(d, r->gc);
	for (size_t i = 0; i < sizeof f / sizeof f[0]; i++) {
		check_field(f[i]);
		mix64(d, (uint64_t)f[i]);
	}
	mix64(d, r->forced);
	mix64(d, r->era);
	mix(d, r->source, slen);
}

static void on_foreign(void *ctx, const char *text, size_t len)
{
	struct digest *d = ctx;
	const char *nl;

	if (len == 0 || len > GCTRACE_LINE_MAX)
		fail("foreign text empty or longer than GCTRACE_LINE_MAX");
	nl = memchr(text, '\n', len);
	if (nl && nl != text + len - 1)
		fail("foreign text holds a newline before its end");
	d->foreign++;
	d->foreign_bytes += len;
	mix64(d, 'F');
	mix64(d, len);
	mix(d, text, len);
}

static void on_runtime(void *ctx, enum gctrace_rt kind, const char *text,
                       size_t len)
{
	struct digest *d = ctx;

	if (kind < GCTRACE_RT_GC_FORCED || kind > GCTRACE_RT_SCAN)
		fail("runtime line of unknown kind");
	if (len > GCTRACE_LINE_MAX || memchr(text, '\n', len))
		fail("runtime text too long or holding a newline");
	d->runtime++;
	d->runtime_bytes += len;
	mix64(d, 'T');
	mix64(d, (uint64_t)kind);
	mix64(d, len);
	mix(d, text, len);
}

static const struct gctrace_sink sink = {
	.record = on_record,
	.foreign = on_foreign,
	.runtime = on_runtime,
};

/* xorshift64*, seeded from the input: the same cuts for the same input. */
static uint64_t next(uint64_t *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 0x2545f4914f6cdd1dULL;
}

static size_t chunk_len(uint64_t *s)
{
	uint64_t r = next(s);

	switch (r & 7) {
	case 0:
		return 0;                       /* an empty feed */
	case 1: case 2: case 3:
		return 1 + (r >> 8) % 4;        /* the runtime's own pieces */
	case 4: case 5:
		return 1 + (r >> 8) % 64;
	case 6:
		return 1 + (r >> 8) % 512;
	default:
		return 1 + (r >> 8) % 8192;
	}
}

/* cut: 0 whole, 1 seeded chunks, 2 one byte at a time */
static void run(const uint8_t *data, size_t size, int cut, struct digest *d)
{
	struct gctrace *p;
	const struct gctrace_counts *c;
	const char *buf = (const char *)data;

	memset(d, 0, sizeof *d);
	d->hash = 0xcbf29ce484222325ULL;
	p = gctrace_new(&sink, d);
	if (!p)
		fail("gctrace_new returned NULL");
	if (cut == 0) {
		gctrace_feed(p, buf, size);
	} else if (cut == 1) {
		uint64_t seed = 0x9e3779b97f4a7c15ULL;
		size_t off = 0;

		for (size_t i = 0; i < size && i < 8; i++)
			seed = (seed ^ data[i]) * 0x100000001b3ULL;
		seed |= 1;
		while (off < size) {
			size_t n = chunk_len(&seed);

			if (n > size - off)
				n = size - off;
			gctrace_feed(p, buf + off, n);
			off += n;
		}
	} else {
		for (size_t off = 0; off < size; off++)
			gctrace_feed(p, buf + off, 1);
	}
	gctrace_finish(p);

	c = gctrace_counts(p);
	if (c->bytes != size)
		fail("counts: bytes differs from the bytes fed");
	if (c->records != d->records)
		fail("counts: records differs from the record callbacks");
	if (c->foreign_lines != d->foreign)
		fail("counts: foreign_lines differs from the foreign callbacks");
	if (c->runtime_lines != d->runtime)
		fail("counts: runtime_lines differs from the runtime callbacks");
	/* (A runtime line that a gc line or the program's text cut short,
	 * and whose rest never came, has no newline of its own.) */
	if (d->foreign_bytes + d->runtime_bytes + d->records * MIN_RECORD_BYTES >
	    (uint64_t)size + 1)
		fail("more text delivered than the input holds");
	mix64(d, c->lines);
	mix64(d, c->torn_recovered);
	mix64(d, c->torn_dropped);
	mix64(d, c->long_pieces);
	gctrace_free(p);
}

static int same(const struct digest *a, const struct digest *b)
{
	return a->hash == b->hash && a->records == b->records &&
	       a->foreign == b->foreign && a->runtime == b->runtime &&
	       a->foreign_bytes == b->foreign_bytes &&
	       a->runtime_bytes == b->runtime_bytes;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct digest whole, chunked, bytes;

	run(data, size, 0, &whole);
	run(data, size, 1, &chunked);
	if (!same(&whole, &chunked))
		fail("chunked feeding delivered something else than one feed");
	/* Byte by byte costs a call per byte: keep it to inputs of fuzzing
	 * size (make fuzz uses -max_len=4096). */
	if (size <= 65536) {
		run(data, size, 2, &bytes);
		if (!same(&whole, &bytes))
			fail("byte-at-a-time feeding delivered something else than one feed");
	}
	return 0;
}
