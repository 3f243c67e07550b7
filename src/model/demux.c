#include "model/demux.h"

#include <stdio.h>
#include <string.h>

#include "trace/logprefix.h"

int demux_init(struct demux *d, struct model *m)
{
	return demux_init_named(d, m, NULL, 0);
}

int demux_init_named(struct demux *d, struct model *m, const char *prefix,
                     unsigned input)
{
	d->m = m;
	d->refused = 0;
	d->input = input;
	snprintf(d->prefix, sizeof d->prefix, "%s", prefix ? prefix : "");
	d->own = model_feed(m, d->prefix);
	if (d->own)
		d->own->input = input;
	return d->own ? 0 : -1;
}

void demux_name(const struct demux *d, const char *key, char *out, size_t cap)
{
	if (!d->prefix[0])
		snprintf(out, cap, "%s", key);
	else if (!key[0])
		snprintf(out, cap, "%s", d->prefix);
	else
		snprintf(out, cap, "%s: %s", d->prefix, key);
}

/* The feed of a key, made when new (and told its input). */
static struct feed *feed_of(struct demux *d, const char *key)
{
	char name[FEED_NAME_MAX];

	demux_name(d, key, name, sizeof name);
	struct feed *f = model_feed(d->m, name);
	if (f)
		f->input = d->input;
	return f;
}

struct feed *demux_record(struct demux *d, const struct gc_record *r)
{
	if (!r->source[0])
		return d->own;
	struct feed *f = feed_of(d, r->source);
	if (!f) {
		d->refused++;
		d->m->feeds_refused++;
	}
	return f;
}

struct feed *demux_line(struct demux *d, const char *s, size_t n)
{
	char key[GC_SOURCE_MAX], name[FEED_NAME_MAX];

	if (d->m->nfeeds < 2)
		return d->own;
	logprefix_source(s, n, key, sizeof key);
	if (!key[0])
		return d->own;
	/* Only feeds that records made: a line's prefix never creates one,
	 * so prefixed program text with no collections stays one feed. */
	demux_name(d, key, name, sizeof name);
	struct feed *f = model_find(d->m, name);
	return f ? f : d->own;
}
