#include "model/model.h"

#include <stdlib.h>
#include <string.h>

struct model *model_new(unsigned max_feeds, unsigned records_cap, bool keep_lines)
{
	struct model *m = calloc(1, sizeof *m);

	if (!m)
		return NULL;
	m->max_feeds = max_feeds ? max_feeds : MODEL_FEEDS_DEFAULT;
	m->records_cap = records_cap;
	m->keep_lines = keep_lines;
	histo_init(&m->all_pause);
	if (!(m->feeds = calloc(m->max_feeds, sizeof *m->feeds))) {
		free(m);
		return NULL;
	}
	return m;
}

void model_free(struct model *m)
{
	if (!m)
		return;
	for (unsigned i = 0; i < m->nfeeds; i++)
		feed_free(m->feeds[i]);
	free(m->feeds);
	free(m->rows);
	free(m->inputs);
	free(m);
}

int model_inputs(struct model *m, unsigned n)
{
	struct model_src *v = calloc(n ? n : 1, sizeof *v);

	if (!v)
		return -1;
	free(m->inputs);
	m->inputs = v;
	m->ninputs = n;
	return 0;
}

struct feed *model_find(const struct model *m, const char *name)
{
	/* A scan from the newest: streams put a feed's records together, so
	 * the feed wanted is usually among the last.  An index would only
	 * pay at hundreds of interleaved feeds (see bench). */
	for (unsigned i = m->nfeeds; i-- > 0;)
		if (!strcmp(m->feeds[i]->name, name))
			return m->feeds[i];
	return NULL;
}

struct feed *model_feed(struct model *m, const char *name)
{
	struct feed *f = model_find(m, name);

	if (f)
		return f;
	if (m->nfeeds == m->max_feeds)
		return NULL;
	unsigned cap = m->records_cap ? m->records_cap : FEED_RECORDS;
	if (m->nfeeds >= MODEL_WIDE_FEEDS && cap > MODEL_FLEET_RECORDS)
		cap = MODEL_FLEET_RECORDS;
	f = feed_new(name, cap, m->keep_lines);
	if (f && m->nfeeds >= MODEL_WIDE_FEEDS)
		f->lines_cap = MODEL_FLEET_LINES;
	/* The history is for the dashboard (which keeps the lines too). */
	if (f)
		feed_set_history(f, m->keep_lines, m->nfeeds < MODEL_WIDE_FEEDS);
	if (f) {
		m->feeds[m->nfeeds++] = f;
		m->version++;
	}
	return f;
}

void model_add_record(struct model *m, struct feed *f, const struct gc_record *r,
                      uint64_t now_ms)
{
	feed_add_record(f, r, now_ms);
	histo_add(&m->all_pause, gcrecord_pause_us(r));
	m->version++;
}

/* The feed a copy holds whole: the one asked for, or the first with
 * collections, or the first. */
static unsigned focus_of(const struct model *src, unsigned focus)
{
	if (focus < src->nfeeds)
		return focus;
	for (unsigned i = 0; i < src->nfeeds; i++)
		if (src->feeds[i]->stats.count)
			return i;
	return 0;
}

size_t model_copy(struct model *dst, const struct model *src, unsigned focus)
{
	size_t bytes = sizeof *dst;
	struct feed **feeds = dst->feeds;
	struct feed_row *rows = dst->rows;
	struct model_src *inputs = dst->inputs;
	unsigned ninputs = dst->ninputs;
	unsigned max = dst->max_feeds, n = src->nfeeds < max ? src->nfeeds : max;

	if (!rows && !(rows = calloc(max, sizeof *rows)))
		n = 0;
	focus = focus_of(src, focus);
	for (unsigned i = 0; i < n; i++) {
		const struct feed *f = src->feeds[i];
		/* A row only when its feed changed (version, or a new feed in
		 * the slot). */
		if (i >= dst->nfeeds || rows[i].version != f->version ||
		    strcmp(rows[i].name, f->name)) {
			feed_row(f, i, &rows[i]);
			bytes += sizeof rows[i];
		}
		if (i != focus) {
			feed_free(feeds[i]);
			feeds[i] = NULL;
			continue;
		}
		if (feeds[i] && feeds[i]->rec_cap != f->rec_cap) {
			feed_free(feeds[i]);
			feeds[i] = NULL;
		}
		if (!feeds[i])
			feeds[i] = feed_new(f->name, f->rec_cap, src->keep_lines);
		if (feeds[i])
			bytes += feed_copy(feeds[i], f);
	}
	/* The inputs: a few, copied whole. */
	if (ninputs != src->ninputs) {
		free(inputs);
		inputs = src->ninputs ? calloc(src->ninputs, sizeof *inputs) : NULL;
		ninputs = inputs ? src->ninputs : 0;
	}
	if (ninputs) {
		memcpy(inputs, src->inputs, ninputs * sizeof *inputs);
		bytes += ninputs * sizeof *inputs;
	}
	*dst = *src;
	dst->feeds = feeds;
	dst->rows = rows;
	dst->inputs = inputs;
	dst->ninputs = ninputs;
	dst->nfeeds = n;
	dst->max_feeds = max;
	dst->focus = focus;
	return bytes;
}
