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
	free(m);
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
	f = feed_new(name, m->records_cap, m->keep_lines);
	if (f) {
		m->feeds[m->nfeeds++] = f;
		m->version++;
	}
	return f;
}

const struct feed *model_first(const struct model *m)
{
	return m->nfeeds ? m->feeds[0] : NULL;
}

size_t model_copy(struct model *dst, const struct model *src)
{
	size_t bytes = 0;
	struct feed **feeds = dst->feeds;
	unsigned nfeeds = dst->nfeeds, max = dst->max_feeds;

	for (unsigned i = 0; i < src->nfeeds && i < max; i++) {
		if (i == nfeeds) {
			feeds[i] = feed_new(src->feeds[i]->name, src->records_cap, src->keep_lines);
			if (!feeds[i])
				break;
			nfeeds++;
		}
		bytes += feed_copy(feeds[i], src->feeds[i]);
	}
	*dst = *src;
	dst->feeds = feeds;
	dst->nfeeds = nfeeds;
	dst->max_feeds = max;
	return bytes + sizeof *dst;
}
