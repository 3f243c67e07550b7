/*
 * grid.h - a plain grid of character cells, each with a colour role.
 *
 * The views draw into a grid; one thin layer (tui.c) paints it with
 * ncurses, and the tests compare it as text.  A cell holds one glyph as
 * UTF-8 and a role that the painter maps to colour or, in monochrome, to
 * bold, underline, reverse or nothing.  A glyph is one character known to
 * be one column wide (block elements, box drawing, ASCII, letters), maybe
 * followed by combining marks or a variation selector that the terminal
 * draws on it (e + U+0301, U+2714 U+FE0F); or a wide character (CJK,
 * emoji), which spans its cell and the next: that one is left empty
 * (GRID_WIDE_TAIL) and paints as nothing.  Writing over either half of a
 * wide character blanks the other half.  Nothing here depends on ncurses.
 */
#ifndef GCWATCH_GRID_H
#define GCWATCH_GRID_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* What a cell shows, for the colour scheme; see tui.c for the mapping. */
enum role {
	ROLE_NORMAL = 0,
	ROLE_DIM,        /* secondary text, axes, separators */
	ROLE_TITLE,      /* pane titles */
	ROLE_BAR,        /* the header and footer bars */
	ROLE_KEY,        /* key names in the footer and help */
	ROLE_VALUE,      /* figures that matter */
	ROLE_PAUSE,      /* the pause chart */
	ROLE_LIVE,       /* live heap */
	ROLE_GOAL,       /* heap goal */
	ROLE_START,      /* heap at start of a collection */
	ROLE_ASSIST,     /* mark assist CPU */
	ROLE_BACKGROUND, /* background mark workers */
	ROLE_IDLE,       /* idle mark workers */
	ROLE_WARN,       /* something worth a look (assist share high...) */
	ROLE_ALERT,      /* something wrong (killed, error) */
	ROLE_OK,         /* running fine */
	ROLE_MARK,       /* a restart (new process) marked on a chart */
	ROLE_ESCAPED,    /* control bytes shown visibly in program output */
	ROLE_STDERR,     /* a line the program wrote to stderr */
	ROLE_SELECT,     /* the selected row of a table */
	ROLE_RATE_ON,    /* a gc/s dot drawn over a GC CPU bar: the bar's
	                    colour as background, so both show */
	ROLE_FEED,       /* a feed's own colour: ROLE_FEED + 0 .. ROLE_FEEDS-1 */
	ROLE_COUNT = ROLE_FEED + 6
};

/* Feed colours, chosen by name so a feed keeps its colour. */
#define ROLE_FEEDS 6

/* A character and up to three marks on it (4 + 3 x 4 UTF-8 bytes at most
 * are kept: marks that do not fit are dropped by sanitize) and a NUL. */
#define GRID_GLYPH_MAX 17

enum grid_width {
	GRID_NARROW = 0, /* one column */
	GRID_WIDE,       /* the left half of a two-column character */
	GRID_WIDE_TAIL,  /* the right half: ch is "" */
};

struct cell {
	char ch[GRID_GLYPH_MAX];
	uint8_t role;
	uint8_t width;   /* enum grid_width */
};

struct grid {
	int w, h;
	struct cell *cells; /* h rows of w cells */
};

/* A w x h grid of spaces; NULL when out of memory. */
struct grid *grid_new(int w, int h);
void grid_free(struct grid *g);

/* Every cell a space with ROLE_NORMAL. */
void grid_clear(struct grid *g);

/* One glyph at x, y; outside the grid: nothing.  A wide glyph takes x and
 * x + 1 (at the last column it is '?').  A glyph that is not safe (not
 * one character of a known width and its marks) is '?'.  Returns the
 * columns used (0 outside, 1 or 2). */
int grid_put(struct grid *g, int x, int y, const char *glyph, enum role role);

/* Text from x on row y, at most maxw columns (cut, never wrapped, a wide
 * character that does not fit whole is left out); the text is ASCII or
 * UTF-8.  Returns the columns used. */
int grid_text(struct grid *g, int x, int y, int maxw, const char *s, enum role role);

/* The same, printf-style. */
int grid_printf(struct grid *g, int x, int y, int maxw, enum role role,
                const char *fmt, ...) __attribute__((format(printf, 6, 7)));

/* Fill a rectangle with one glyph. */
void grid_fill(struct grid *g, int x, int y, int w, int h, const char *glyph,
               enum role role);

struct glyphs;

/* An overlay's frame: the rectangle cleared (spaces), its border in
 * gl's box glyphs (role dim). */
void grid_box(struct grid *g, int x, int y, int w, int h, const struct glyphs *gl);

/* The columns a character takes on the terminal: 1, 2 (wide in our table
 * and by wcwidth, which ncurses uses to place it), or 0 when that is not
 * known for sure (the caller replaces it). */
int grid_char_width(uint32_t cp);

/* A mark drawn on the character before it (combining diacritic,
 * variation selector), of no width by wcwidth. */
bool grid_is_mark(uint32_t cp);

const struct cell *grid_at(const struct grid *g, int x, int y);

/* The grid as text: h lines of its glyphs (a wide one once, for its two
 * columns), trailing spaces kept, each ending in '\n'.  Returns the length; writes at most cap-1 bytes and a
 * NUL (cap >= w*h*4+h+1 always suffices). */
size_t grid_to_text(const struct grid *g, char *buf, size_t cap);

#endif
