#include "ui/grid.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "text/utf8.h"

/* What stands in for a glyph that cannot be shown in one column. */
#define GRID_BAD "?"

struct grid *grid_new(int w, int h)
{
	struct grid *g;

	if (w < 0 || h < 0)
		return NULL;
	g = calloc(1, sizeof *g);
	if (!g)
		return NULL;
	g->w = w;
	g->h = h;
	/* One extra cell so that a 0 x 0 grid still has a valid pointer. */
	g->cells = calloc((size_t)w * (size_t)h + 1, sizeof *g->cells);
	if (!g->cells) {
		free(g);
		return NULL;
	}
	grid_clear(g);
	return g;
}

void grid_free(struct grid *g)
{
	if (!g)
		return;
	free(g->cells);
	free(g);
}

void grid_clear(struct grid *g)
{
	size_t i, n = (size_t)g->w * (size_t)g->h;

	for (i = 0; i < n; i++) {
		memset(g->cells[i].ch, 0, GRID_GLYPH_MAX);
		g->cells[i].ch[0] = ' ';
		g->cells[i].role = ROLE_NORMAL;
	}
}

/*
 * Store one glyph.  Whatever the caller passes, a cell ends up holding one
 * printable character of one column: the terminal must never see a control
 * byte or a sequence whose width we do not know from this layer.
 */
static void store(struct cell *c, const char *glyph, enum role role)
{
	const unsigned char *s = (const unsigned char *)glyph;
	uint32_t cp;
	int n;

	memset(c->ch, 0, GRID_GLYPH_MAX);
	c->role = (uint8_t)(role < ROLE_COUNT ? role : ROLE_NORMAL);
	if (!glyph || !*glyph) {
		c->ch[0] = ' ';
		return;
	}
	n = utf8_decode(s, strnlen(glyph, GRID_GLYPH_MAX - 1), &cp);
	if (n == 0 || utf8_class(cp) != UTF8_NARROW) {
		memcpy(c->ch, GRID_BAD, sizeof GRID_BAD);
		return;
	}
	memcpy(c->ch, glyph, (size_t)n);
}

void grid_put(struct grid *g, int x, int y, const char *glyph, enum role role)
{
	if (x < 0 || y < 0 || x >= g->w || y >= g->h)
		return;
	store(&g->cells[(size_t)y * (size_t)g->w + (size_t)x], glyph, role);
}

int grid_text(struct grid *g, int x, int y, int maxw, const char *s, enum role role)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t left = strlen(s);
	int used = 0;

	while (left > 0 && used < maxw) {
		char glyph[GRID_GLYPH_MAX] = { 0 };
		uint32_t cp;
		int n = utf8_decode(p, left, &cp);

		/* A byte that does not start a character counts as one bad
		 * column, so that what follows is still placed. */
		if (n == 0)
			n = 1;
		else
			memcpy(glyph, p, (size_t)n);
		grid_put(g, x + used, y, glyph[0] ? glyph : GRID_BAD, role);
		used++;
		p += n;
		left -= (size_t)n;
	}
	return used;
}

int grid_printf(struct grid *g, int x, int y, int maxw, enum role role,
                const char *fmt, ...)
{
	char small[512], *buf = small;
	va_list ap;
	int n, used;

	va_start(ap, fmt);
	n = vsnprintf(small, sizeof small, fmt, ap);
	va_end(ap);
	if (n < 0)
		return 0;
	if ((size_t)n >= sizeof small) {
		buf = malloc((size_t)n + 1);
		if (!buf)
			return grid_text(g, x, y, maxw, small, role);
		va_start(ap, fmt);
		vsnprintf(buf, (size_t)n + 1, fmt, ap);
		va_end(ap);
	}
	used = grid_text(g, x, y, maxw, buf, role);
	if (buf != small)
		free(buf);
	return used;
}

void grid_fill(struct grid *g, int x, int y, int w, int h, const char *glyph,
               enum role role)
{
	int i, j;

	for (j = y < 0 ? 0 : y; j < y + h && j < g->h; j++)
		for (i = x < 0 ? 0 : x; i < x + w && i < g->w; i++)
			grid_put(g, i, j, glyph, role);
}

const struct cell *grid_at(const struct grid *g, int x, int y)
{
	if (x < 0 || y < 0 || x >= g->w || y >= g->h)
		return NULL;
	return &g->cells[(size_t)y * (size_t)g->w + (size_t)x];
}

/*
 * The whole text is measured even when it does not fit (the return value,
 * as with snprintf), but only whole glyphs are copied, so a short buffer
 * never ends in a broken UTF-8 sequence.
 */
size_t grid_to_text(const struct grid *g, char *buf, size_t cap)
{
	size_t len = 0, written = 0;
	bool stop = false;
	int x, y;

	for (y = 0; y < g->h; y++) {
		for (x = 0; x <= g->w; x++) {
			const char *ch = x < g->w ? grid_at(g, x, y)->ch : "\n";
			size_t n = strlen(ch);

			if (n == 0) {
				ch = " ";
				n = 1;
			}
			if (!stop && written + n < cap) {
				memcpy(buf + written, ch, n);
				written += n;
			} else {
				stop = true;
			}
			len += n;
		}
	}
	if (cap > 0)
		buf[written] = '\0';
	return len;
}
