#include "model/histo.h"

#include <math.h>
#include <string.h>

/* Values at or above this have buckets wider than one. */
#define EXACT_LIMIT (2 * HISTO_SUB)

/*
 * Bucket of a non-negative value.  For v >= 128 with its highest bit at e,
 * the bucket is chosen by the HISTO_SUB_BITS bits below that bit: the
 * value shifted right by (e - HISTO_SUB_BITS) lies in [64, 128), and each
 * octave continues where the previous one stopped.
 */
static unsigned bucket_of(int64_t v)
{
	unsigned e, shift;

	if (v < EXACT_LIMIT)
		return (unsigned)v;
	e = 63u - (unsigned)__builtin_clzll((unsigned long long)v);
	shift = e - HISTO_SUB_BITS;
	return (shift * HISTO_SUB) + (unsigned)((uint64_t)v >> shift);
}

/* The middle of a bucket: at most half a bucket width, under 1/128 of the
 * bucket's lowest value, from any value in it. */
static int64_t bucket_middle(unsigned i)
{
	unsigned shift;
	uint64_t lo, width;

	if (i < EXACT_LIMIT)
		return (int64_t)i;
	shift = i / HISTO_SUB - 1;
	lo = (uint64_t)(i % HISTO_SUB + HISTO_SUB) << shift;
	width = (uint64_t)1 << shift;
	return (int64_t)(lo + (width - 1) / 2);
}

void histo_init(struct histo *h)
{
	memset(h, 0, sizeof *h);
	h->min = -1;
	h->max = -1;
}

void histo_add(struct histo *h, int64_t v)
{
	if (v < 0)
		return;
	uint32_t *b = &h->bucket[bucket_of(v)];
	if (*b == UINT32_MAX)
		h->saturated = true;
	else
		(*b)++;
	if (h->count == 0 || v < h->min)
		h->min = v;
	if (h->count == 0 || v > h->max)
		h->max = v;
	h->count++;
	h->sum = v > INT64_MAX - h->sum ? INT64_MAX : h->sum + v;
}

int64_t histo_quantile(const struct histo *h, double q)
{
	double want;
	uint64_t rank, seen = 0;
	int64_t v;
	unsigned i;

	if (h->count == 0)
		return -1;
	/* NaN fails both tests below and is taken as 0. */
	if (!(q > 0))
		return h->min;
	if (q >= 1)
		return h->max;
	if (h->saturated)
		return -1;
	want = ceil(q * (double)h->count);
	rank = want < 1 ? 1 : want >= (double)h->count ? h->count
	                                               : (uint64_t)want;
	for (i = 0; i < HISTO_BUCKETS; i++) {
		seen += h->bucket[i];
		if (seen >= rank)
			break;
	}
	/* The extreme buckets also hold the exact min and max: never answer
	 * outside them. */
	v = bucket_middle(i < HISTO_BUCKETS ? i : HISTO_BUCKETS - 1);
	if (v < h->min)
		v = h->min;
	if (v > h->max)
		v = h->max;
	return v;
}

uint64_t histo_count(const struct histo *h)
{
	return h->count;
}

int64_t histo_min(const struct histo *h)
{
	return h->min;
}

int64_t histo_max(const struct histo *h)
{
	return h->max;
}

int64_t histo_sum(const struct histo *h)
{
	return h->sum;
}

void histo_merge(struct histo *dst, const struct histo *src)
{
	if (src->count == 0)
		return;
	for (unsigned i = 0; i < HISTO_BUCKETS; i++) {
		if (src->bucket[i] > UINT32_MAX - dst->bucket[i]) {
			dst->bucket[i] = UINT32_MAX;
			dst->saturated = true;
		} else {
			dst->bucket[i] += src->bucket[i];
		}
	}
	dst->saturated |= src->saturated;
	if (dst->count == 0 || src->min < dst->min)
		dst->min = src->min;
	if (dst->count == 0 || src->max > dst->max)
		dst->max = src->max;
	dst->count += src->count;
	dst->sum = src->sum > INT64_MAX - dst->sum ? INT64_MAX : dst->sum + src->sum;
}
