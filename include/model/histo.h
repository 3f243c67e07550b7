/*
 * histo.h - quantiles of non-negative 64-bit integers in fixed memory.
 *
 * A log-bucketed histogram in the manner of HdrHistogram: values below 128
 * have a bucket each, and every power-of-two range above is cut into 64
 * equal buckets, so a bucket is never wider than 1/64 of its lowest value.
 * A quantile is answered with the middle of its bucket, which is within
 * 0.8% of every value the bucket holds; the whole int64_t range is covered.
 * The buckets live inside the struct (about 15 KB: a count of 32 bits
 * each, so that a thousand feeds' statistics stay small): no allocation,
 * and the memory does not grow with the number of values.  A bucket that
 * would pass 2^32 - 1 values (four billion collections within 1.5% of
 * each other) marks the histogram saturated, and its quantiles are then
 * unknown (-1) rather than wrong.  The exact count, sum, minimum and
 * maximum are kept alongside, saturated or not.  Nothing here depends on libuv
 * or ncurses.
 */
#ifndef GCWATCH_HISTO_H
#define GCWATCH_HISTO_H

#include <stdbool.h>
#include <stdint.h>

/* Values below 2^(HISTO_SUB_BITS + 1) are exact; above, each power of two
 * is split into 2^HISTO_SUB_BITS buckets. */
#define HISTO_SUB_BITS 6
#define HISTO_SUB (1 << HISTO_SUB_BITS)
/* Exact buckets 0..127, then 64 buckets for each of 2^7 .. 2^62. */
#define HISTO_BUCKETS (2 * HISTO_SUB + (63 - (HISTO_SUB_BITS + 1)) * HISTO_SUB)

struct histo {
	uint64_t count;
	int64_t min;
	int64_t max;
	int64_t sum; /* saturates at INT64_MAX rather than wrapping */
	bool saturated;
	uint32_t bucket[HISTO_BUCKETS];
};

/* Empty the histogram. */
void histo_init(struct histo *h);

/* Count one value.  Negative values (such as GC_NULL) are ignored. */
void histo_add(struct histo *h, int64_t v);

/*
 * The q-quantile, q in [0, 1] (clamped), by nearest rank: a value within 1%
 * of the smallest value v such that at least ceil(q * count) values are
 * <= v.  q = 0 gives the exact minimum and q = 1 the exact maximum, and
 * the answer always lies between them.  -1 when the histogram is empty,
 * and for 0 < q < 1 when it is saturated.
 */
int64_t histo_quantile(const struct histo *h, double q);

/* Number of values added. */
uint64_t histo_count(const struct histo *h);

/* Exact smallest and largest value added; -1 when empty. */
int64_t histo_min(const struct histo *h);
int64_t histo_max(const struct histo *h);

/* Exact sum of the values added (0 when empty; INT64_MAX if it overflowed). */
int64_t histo_sum(const struct histo *h);

/* Add src's values to dst (as if each had been added to it). */
void histo_merge(struct histo *dst, const struct histo *src);

#endif
