/*
 * utf8.h - strict UTF-8 decoding and a conservative column width.
 *
 * The grid holds one column per cell, and a character whose width the
 * terminal sees differently from us shifts everything after it on the
 * line.  So the width here is deliberately cautious: only code points that
 * every terminal draws in exactly one column are "narrow"; wide ones (CJK,
 * emoji), zero-width ones (combining marks, format characters such as
 * bidirectional overrides) and everything not known are told apart so that
 * the caller can replace them with something of a known width.  Nothing
 * here depends on the locale, libuv or ncurses.
 */
#ifndef GCWATCH_UTF8_H
#define GCWATCH_UTF8_H

#include <stddef.h>
#include <stdint.h>

/*
 * Decode the UTF-8 sequence at s (n bytes available).  Returns its length
 * (1-4) with *cp set, or 0 when the bytes there are not the shortest
 * encoding of a Unicode scalar value: a stray continuation byte, C0/C1/F5-FF,
 * an overlong form, a surrogate, a value above U+10FFFF, or a sequence cut
 * short by the end of the buffer or by a byte that does not continue it.
 */
int utf8_decode(const unsigned char *s, size_t n, uint32_t *cp);

enum utf8_class {
	UTF8_NARROW = 1, /* printable, one column everywhere: safe to emit */
	UTF8_WIDE,       /* two columns (East Asian wide/fullwidth, emoji) */
	UTF8_ZERO,       /* no column: combining, format, zero-width, bidi */
	UTF8_CONTROL,    /* C0, DEL, C1 controls */
	UTF8_OTHER,      /* unassigned, private use, or scripts whose shaping
	                    (Arabic, Indic, Thai...) makes widths unreliable */
};

/* What a code point is, for display. */
enum utf8_class utf8_class(uint32_t cp);

#endif
