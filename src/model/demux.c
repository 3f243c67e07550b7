#include "model/demux.h"

#include "trace/logprefix.h"

int demux_init(struct demux *d, struct model *m)
{
	d->m = m;
	d->refused = 0;
	d->own = model_feed(m, "");
	return d->own ? 0 : -1;
}

struct feed *demux_record(struct demux *d, const struct gc_record *r)
{
	if (!r->source[0])
		return d->own;
	struct feed *f = model_feed(d->m, r->source);
	if (!f) {
		d->refused++;
		d->m->feeds_refused++;
	}
	return f;
}

struct feed *demux_line(struct demux *d, const char *s, size_t n)
{
	char key[GC_SOURCE_MAX];

	if (d->m->nfeeds < 2)
		return d->own;
	logprefix_source(s, n, key, sizeof key);
	/* Only feeds that records made: a line's prefix never creates one,
	 * so prefixed program text with no collections stays one feed. */
	struct feed *f = key[0] ? model_find(d->m, key) : NULL;
	return f ? f : d->own;
}
