#include "ui/sanitize.h"

#include <langinfo.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "text/utf8.h"

#define TAB_STOP 8
/* The longest replacement ("\u0085" is 6 cells). */
#define REPL_MAX 8

/* Where we are in an escape sequence; decides the role of what follows. */
enum esc {
	ESC_NONE,
	ESC_START,   /* after ESC */
	ESC_INTER,   /* ESC then intermediate bytes (charset designations) */
	ESC_CSI,     /* ESC [ parameters and intermediates */
	ESC_STRING,  /* OSC, DCS, APC, PM, SOS body, up to BEL or ESC \ */
	ESC_STR_ESC, /* ESC inside a string: \ ends it */
};

struct out {
	struct cell *cells;
	int n, max;
	bool cut;
	int mark_to;   /* the cell a combining mark may join, or -1 */
};

/* Append one run of one-column ASCII glyphs, whole or not at all. */
static bool emit_ascii(struct out *o, const char *text, enum role role)
{
	size_t i, n = strlen(text);

	if (o->cut || (size_t)(o->max - o->n) < n) {
		o->cut = true;
		return false;
	}
	for (i = 0; i < n; i++) {
		struct cell *c = &o->cells[o->n++];
		memset(c->ch, 0, GRID_GLYPH_MAX);
		c->ch[0] = text[i];
		c->role = (uint8_t)role;
		c->width = GRID_NARROW;
	}
	o->mark_to = -1;
	return true;
}

/* A plain printable ASCII character: marks may join it (e + U+0301). */
static bool emit_plain(struct out *o, char ch, enum role role)
{
	char text[2] = { ch, 0 };

	if (!emit_ascii(o, text, role))
		return false;
	o->mark_to = o->n - 1;
	return true;
}

/* Append one character of w (1 or 2) columns as its own UTF-8 bytes; a
 * wide one whole or not at all (cut at the edge, never halved). */
static bool emit_glyph(struct out *o, const unsigned char *s, int n, int w, enum role role)
{
	struct cell *c;

	if (o->cut || o->n + w > o->max) {
		o->cut = true;
		return false;
	}
	c = &o->cells[o->n++];
	memset(c->ch, 0, GRID_GLYPH_MAX);
	memcpy(c->ch, s, (size_t)n);
	c->role = (uint8_t)role;
	c->width = w == 2 ? GRID_WIDE : GRID_NARROW;
	o->mark_to = o->n - 1;
	if (w == 2) {
		c = &o->cells[o->n++];
		memset(c->ch, 0, GRID_GLYPH_MAX);
		c->role = (uint8_t)role;
		c->width = GRID_WIDE_TAIL;
	}
	return true;
}

/* A combining mark or variation selector onto the character before it,
 * when that is plain text of this role with room for it. */
static bool join_mark(struct out *o, const unsigned char *s, int n, enum role role)
{
	struct cell *c;
	size_t have;

	if (o->mark_to < 0 || o->cut)
		return false;
	c = &o->cells[o->mark_to];
	have = strlen(c->ch);
	if (c->role != role || have + (size_t)n >= GRID_GLYPH_MAX)
		return false;
	memcpy(c->ch + have, s, (size_t)n);
	return true;
}

/* ^@ .. ^_ for C0, ^? for DEL. */
static void caret(char *buf, unsigned char b)
{
	buf[0] = '^';
	buf[1] = b == 0x7F ? '?' : (char)(b + 0x40);
	buf[2] = '\0';
}

/* The role of a byte given the escape state, and the state after it. */
static enum role step(enum esc *st, unsigned char b, enum role plain)
{
	switch (*st) {
	case ESC_NONE:
		if (b == 0x1B) {
			*st = ESC_START;
			return ROLE_ESCAPED;
		}
		return plain;
	case ESC_START:
		if (b == '[') {
			*st = ESC_CSI;
		} else if (b == ']' || b == 'P' || b == '_' || b == '^' ||
		           b == 'X') {
			*st = ESC_STRING;
		} else if (b >= 0x20 && b <= 0x2F) {
			*st = ESC_INTER;
		} else if (b >= 0x30 && b <= 0x7E) {
			*st = ESC_NONE; /* a two-byte escape: ESC 7, ESC c, ESC M */
		} else if (b == 0x1B) {
			return ROLE_ESCAPED; /* ESC ESC: start again */
		} else {
			*st = ESC_NONE; /* not an escape after all */
			return plain;
		}
		return ROLE_ESCAPED;
	case ESC_INTER:
		if (b >= 0x20 && b <= 0x2F)
			return ROLE_ESCAPED;
		*st = ESC_NONE;
		if (b >= 0x30 && b <= 0x7E)
			return ROLE_ESCAPED;
		return step(st, b, plain);
	case ESC_CSI:
		if (b >= 0x20 && b <= 0x3F)
			return ROLE_ESCAPED;
		*st = ESC_NONE;
		if (b >= 0x40 && b <= 0x7E)
			return ROLE_ESCAPED;
		/* Broken off (a control, a new ESC, non-ASCII): that byte is
		 * judged on its own. */
		return step(st, b, plain);
	case ESC_STRING:
		if (b == 0x07)
			*st = ESC_NONE;
		else if (b == 0x1B)
			*st = ESC_STR_ESC;
		return ROLE_ESCAPED;
	case ESC_STR_ESC:
		if (b == '\\') {
			*st = ESC_NONE;
			return ROLE_ESCAPED;
		}
		/* ESC then something else ends the string and starts an
		 * escape of its own. */
		*st = ESC_START;
		return step(st, b, plain);
	}
	return plain;
}

int sanitize_cells(const char *s, size_t len, bool ascii, enum role role,
                   struct cell *cells, int maxw, bool *cut)
{
	const unsigned char *p = (const unsigned char *)s;
	struct out o = { .cells = cells, .n = 0, .max = maxw < 0 ? 0 : maxw, .mark_to = -1 };
	enum esc st = ESC_NONE;
	size_t i = 0;

	while (i < len && !o.cut) {
		unsigned char b = p[i];
		enum role r = step(&st, b, role);
		char repl[REPL_MAX + 1];
		uint32_t cp;
		int n;

		if (b < 0x80) {
			if (b == '\t' && r == role) {
				int to = (o.n / TAB_STOP + 1) * TAB_STOP;
				while (o.n < to && emit_ascii(&o, " ", role))
					;
			} else if (b < 0x20 || b == 0x7F) {
				caret(repl, b);
				emit_ascii(&o, repl, ROLE_ESCAPED);
			} else if (r == role) {
				emit_plain(&o, (char)b, r);
			} else {
				repl[0] = (char)b;
				repl[1] = '\0';
				emit_ascii(&o, repl, r);
			}
			if (!o.cut)
				i++;
			continue;
		}

		/* Non-ASCII: an escape sequence is broken off by it (the state
		 * machine saw the lead byte); the character is judged alone. */
		n = utf8_decode(p + i, len - i, &cp);
		if (n == 0) {
			snprintf(repl, sizeof repl, "\\x%02x", b);
			if (emit_ascii(&o, repl, ROLE_ESCAPED))
				i++;
			continue;
		}
		if (r != ROLE_ESCAPED)
			r = role;
		switch (utf8_class(cp)) {
		case UTF8_NARROW:
			if (ascii)
				emit_ascii(&o, "?", ROLE_ESCAPED);
			else
				emit_glyph(&o, p + i, n, 1, r);
			break;
		case UTF8_WIDE:
			/* As the program printed it, when the terminal's
			 * library agrees that it takes two columns. */
			if (!ascii && r == role && grid_char_width(cp) == 2)
				emit_glyph(&o, p + i, n, 2, r);
			else
				emit_ascii(&o, "??", ROLE_ESCAPED);
			break;
		case UTF8_OTHER:
			emit_ascii(&o, "?", ROLE_ESCAPED);
			break;
		case UTF8_ZERO:
			if (!ascii && r == role && grid_is_mark(cp) && join_mark(&o, p + i, n, r))
				break;
			/* Not a mark we can join: shown by its number. */
			__attribute__((fallthrough));
		case UTF8_CONTROL:
			snprintf(repl, sizeof repl, "\\u%04x", (unsigned)cp);
			emit_ascii(&o, repl, ROLE_ESCAPED);
			break;
		}
		if (!o.cut)
			i += (size_t)n;
	}
	if (cut)
		*cut = o.cut || i < len;
	return o.n;
}

int sanitize_text(struct grid *g, int x, int y, int maxw, const char *s,
                  size_t len, bool ascii, enum role role, bool *cut)
{
	struct cell small[256], *cells = small;
	int n, i;

	if (maxw <= 0) {
		if (cut)
			*cut = len > 0;
		return 0;
	}
	if (maxw > (int)(sizeof small / sizeof small[0])) {
		cells = malloc((size_t)maxw * sizeof *cells);
		if (!cells) {
			cells = small;
			maxw = (int)(sizeof small / sizeof small[0]);
		}
	}
	n = sanitize_cells(s, len, ascii, role, cells, maxw, cut);
	for (i = 0; i < n; i++)
		if (cells[i].width != GRID_WIDE_TAIL)
			grid_put(g, x + i, y, cells[i].ch, (enum role)cells[i].role);
	if (cells != small)
		free(cells);
	return n;
}

const char *sanitize_for_fd(int fd, const char *s, char *out, size_t cap)
{
	const char *codeset = nl_langinfo(CODESET);
	bool ascii = !codeset || strcmp(codeset, "UTF-8") != 0;
	struct cell cells[1024];
	size_t k = 0;

	if (cap == 0)
		return out;
	if (!isatty(fd)) {
		snprintf(out, cap, "%s", s);
		return out;
	}
	while (*s) {
		const char *nl = strchr(s, '\n');
		size_t len = nl ? (size_t)(nl - s) : strlen(s);
		int n = sanitize_cells(s, len, ascii, ROLE_NORMAL, cells,
		                       (int)(sizeof cells / sizeof cells[0]), NULL);
		for (int i = 0; i < n; i++) {
			size_t l = strlen(cells[i].ch);
			if (k + l + 1 >= cap)
				break;
			memcpy(out + k, cells[i].ch, l);
			k += l;
		}
		s += len;
		if (nl && k + 2 < cap) {
			out[k++] = '\n';
			s++;
		} else if (nl) {
			s++;
		}
	}
	out[k] = '\0';
	return out;
}
