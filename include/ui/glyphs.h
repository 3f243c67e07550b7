/*
 * glyphs.h - the characters the dashboard draws with, chosen once: UTF-8
 * block elements and box drawing, or plain ASCII for terminals and locales
 * without UTF-8.  Every glyph is one column; the ASCII table uses only
 * bytes 0x20-0x7e.
 */
#ifndef GCWATCH_GLYPHS_H
#define GCWATCH_GLYPHS_H

#include <stdbool.h>

struct glyphs {
	bool ascii;
	const char *bar[9];     /* a bar's top cell by eighths filled, 0..8 */
	const char *level[5];   /* a line across a cell, bottom to top (goal) */
	const char *headroom;   /* heap: the room between live and goal */
	const char *start;      /* heap at start of a collection */
	const char *rate_on;    /* a gc/s dot over a GC CPU bar */
	const char *assist, *background, *idle; /* mark workers, told apart
	                                           without colour */
	const char *restart;    /* the column marking a restart */
	const char *rule;       /* pane title rules */
	const char *ellipsis;   /* text cut at the edge */
	const char *sep;        /* between header items */
	const char *box_tl, *box_tr, *box_bl, *box_br, *box_h, *box_v;
};

extern const struct glyphs glyphs_utf8;
extern const struct glyphs glyphs_ascii;

#endif
