/*
 * wrap.h - one long line of text for people, folded at a width.
 *
 * Breaks only at spaces; a word longer than the room left stays whole on
 * its own line (never cut).  Continuation lines start with a hanging
 * indent, so the first line's head stands out.  The text is written as
 * given otherwise (callers sanitise).  Nothing here depends on libuv or
 * ncurses.
 */
#ifndef GCWATCH_WRAP_H
#define GCWATCH_WRAP_H

#include <stdio.h>

/* The narrowest width wrap_line folds at: below it, the indent would
 * leave too little room to read. */
#define WRAP_MIN_WIDTH 40

/* Write text and a newline to out, folded at width columns (each byte one
 * column: callers pass ASCII), continuation lines indented by indent
 * spaces.  width <= 0 writes the line unfolded; a width below
 * WRAP_MIN_WIDTH folds at WRAP_MIN_WIDTH. */
void wrap_line(FILE *out, const char *text, int width, int indent);

/* The width a text summary on out folds at: the terminal's columns when
 * out is a terminal, else 80. */
int wrap_width_of(FILE *out);

#endif
