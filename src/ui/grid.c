#include "ui/grid.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "text/utf8.h"
#include "ui/glyphs.h"

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
		g->cells[i].width = GRID_NARROW;
	}
}

/* Marks drawn on the character before them: combining diacritics and
 * variation selectors (U+FE0F makes U+2714 the emoji ✔️). */
static const struct {
	uint32_t lo, hi;
} marks[] = {
	{ 0x0300, 0x036F }, { 0x1AB0, 0x1AFF }, { 0x1DC0, 0x1DFF },
	{ 0x20D0, 0x20FF }, { 0xFE00, 0xFE0F }, { 0xFE20, 0xFE2F },
};

bool grid_is_mark(uint32_t cp)
{
	for (size_t i = 0; i < sizeof marks / sizeof marks[0]; i++)
		if (cp >= marks[i].lo && cp <= marks[i].hi)
			return wcwidth((wchar_t)cp) == 0;
	return false;
}

int grid_char_width(uint32_t cp)
{
	switch (utf8_class(cp)) {
	case UTF8_NARROW:
		return 1;
	case UTF8_WIDE:
		/* Wide in our table and for the terminal's library (ncurses
		 * places it by wcwidth): otherwise we cannot know. */
		return wcwidth((wchar_t)cp) == 2 ? 2 : 0;
	default:
		return 0;
	}
}

/*
 * Store one glyph.  Whatever the caller passes, a cell ends up holding one
 * printable character of a known width and the marks on it: the terminal
 * must never see a control byte or a sequence whose width we do not know
 * from this layer.  Returns the columns it takes.
 */
static int store(struct cell *c, const char *glyph, enum role role)
{
	const unsigned char *s = (const unsigned char *)glyph;
	size_t len, k;
	uint32_t cp;
	int n, w;

	memset(c->ch, 0, GRID_GLYPH_MAX);
	c->role = (uint8_t)(role < ROLE_COUNT ? role : ROLE_NORMAL);
	c->width = GRID_NARROW;
	if (!glyph || !*glyph) {
		c->ch[0] = ' ';
		return 1;
	}
	len = strnlen(glyph, GRID_GLYPH_MAX - 1);
	n = utf8_decode(s, len, &cp);
	w = n ? grid_char_width(cp) : 0;
	if (w == 0) {
		memcpy(c->ch, GRID_BAD, sizeof GRID_BAD);
		return 1;
	}
	/* The marks after it, as long as they are marks. */
	for (k = (size_t)n; k < len; k += (size_t)n) {
		n = utf8_decode(s + k, len - k, &cp);
		if (n == 0 || !grid_is_mark(cp))
			break;
	}
	memcpy(c->ch, glyph, k);
	c->width = w == 2 ? GRID_WIDE : GRID_NARROW;
	return w;
}

static struct cell *at(struct grid *g, int x, int y)
{
	return &g->cells[(size_t)y * (size_t)g->w + (size_t)x];
}

/* Cell x is about to change: the other half of a wide character on it
 * becomes a space. */
static void unwide(struct grid *g, int x, int y)
{
	struct cell *c = at(g, x, y), *o = NULL;

	if (c->width == GRID_WIDE_TAIL && x > 0)
		o = at(g, x - 1, y);
	else if (c->width == GRID_WIDE && x + 1 < g->w)
		o = at(g, x + 1, y);
	if (o) {
		memset(o->ch, 0, GRID_GLYPH_MAX);
		o->ch[0] = ' ';
		o->width = GRID_NARROW;
	}
	c->width = GRID_NARROW;
}

int grid_put(struct grid *g, int x, int y, const char *glyph, enum role role)
{
	struct cell c;
	int w;

	if (x < 0 || y < 0 || x >= g->w || y >= g->h)
		return 0;
	w = store(&c, glyph, role);
	if (w == 2 && x + 1 >= g->w)
		w = store(&c, GRID_BAD, role);
	unwide(g, x, y);
	if (w == 2)
		unwide(g, x + 1, y);
	*at(g, x, y) = c;
	if (w == 2) {
		struct cell *t = at(g, x + 1, y);
		memset(t->ch, 0, GRID_GLYPH_MAX);
		t->role = c.role;
		t->width = GRID_WIDE_TAIL;
	}
	return w;
}

int grid_text(struct grid *g, int x, int y, int maxw, const char *s, enum role role)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t left = strlen(s);
	int used = 0;

	while (left > 0 && used < maxw) {
		char glyph[GRID_GLYPH_MAX] = { 0 };
		uint32_t cp;
		int n = utf8_decode(p, left, &cp), w = 1;
		size_t k;

		/* A byte that does not start a character counts as one bad
		 * column, so that what follows is still placed. */
		if (n == 0) {
			n = 1;
		} else {
			w = grid_char_width(cp) == 2 ? 2 : 1;
			if (used + w > maxw)
				break;
			/* The character with the marks on it. */
			for (k = (size_t)n; k < left; k += (size_t)n) {
				uint32_t m;
				n = utf8_decode(p + k, left - k, &m);
				if (n == 0 || !grid_is_mark(m) || k + (size_t)n >= GRID_GLYPH_MAX)
					break;
			}
			n = (int)k;
			memcpy(glyph, p, k);
		}
		grid_put(g, x + used, y, glyph[0] ? glyph : GRID_BAD, role);
		used += w;
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

void grid_box(struct grid *g, int x, int y, int w, int h, const struct glyphs *gl)
{
	int i;

	grid_fill(g, x, y, w, h, " ", ROLE_NORMAL);
	for (i = x + 1; i < x + w - 1; i++) {
		grid_put(g, i, y, gl->box_h, ROLE_DIM);
		grid_put(g, i, y + h - 1, gl->box_h, ROLE_DIM);
	}
	for (i = y + 1; i < y + h - 1; i++) {
		grid_put(g, x, i, gl->box_v, ROLE_DIM);
		grid_put(g, x + w - 1, i, gl->box_v, ROLE_DIM);
	}
	grid_put(g, x, y, gl->box_tl, ROLE_DIM);
	grid_put(g, x + w - 1, y, gl->box_tr, ROLE_DIM);
	grid_put(g, x, y + h - 1, gl->box_bl, ROLE_DIM);
	grid_put(g, x + w - 1, y + h - 1, gl->box_br, ROLE_DIM);
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

			/* The right half of a wide character: drawn by the left. */
			if (x < g->w && grid_at(g, x, y)->width == GRID_WIDE_TAIL)
				continue;
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
