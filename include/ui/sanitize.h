/*
 * sanitize.h - untrusted bytes (a program's output, a command line, a
 * path) made safe to put on a terminal: a row of one-column cells.
 *
 * Nothing is passed through that could move the cursor, change colours or
 * the title, or take a width the grid does not expect:
 *
 *   printable ASCII, and UTF-8 characters known to be one column wide,
 *                      as themselves (in ASCII mode non-ASCII ones as '?');
 *   tab                spaces up to the next multiple of 8 columns;
 *   other C0 controls  ^@ ^A ... ^_ (so ESC is ^[), DEL as ^?;
 *   C1 controls and zero-width or format characters (combining marks,
 *                      bidirectional overrides, zero-width joiners)
 *                      \u009b, \u202e ...;
 *   wide characters    (CJK, emoji): two cells "??", so the columns after
 *                      them stay where the text expects them;
 *   other characters   (unassigned, private use, shaped scripts) '?';
 *   invalid UTF-8      each byte that does not start a valid character as
 *                      \xNN (stray and overlong forms, surrogates, cut
 *                      sequences).
 *
 * Escape sequences keep their text but every cell of them takes
 * ROLE_ESCAPED, so "ESC [31m" shows as "^[[31m" in that role: CSI up to
 * its final byte, OSC/DCS/APC/PM/SOS strings up to BEL or ESC \, and
 * two- or three-byte escapes.  Replacements are ROLE_ESCAPED too; plain
 * text keeps the caller's role.  A replacement is never split at the
 * width limit: it fits whole or the row is cut before it.
 */
#ifndef GCWATCH_SANITIZE_H
#define GCWATCH_SANITIZE_H

#include <stdbool.h>
#include <stddef.h>

#include "ui/grid.h"

/*
 * Turn len bytes of s into at most maxw cells in out.  ascii: emit only
 * bytes 0x20-0x7e.  Returns the cells written; *cut (if not NULL) is set
 * when some of the input did not fit.
 */
int sanitize_cells(const char *s, size_t len, bool ascii, enum role role,
                   struct cell *out, int maxw, bool *cut);

/* The same, drawn into g from x on row y, at most maxw columns.  Returns
 * the columns used. */
int sanitize_text(struct grid *g, int x, int y, int maxw, const char *s,
                  size_t len, bool ascii, enum role role, bool *cut);

/*
 * Text gcwatch itself prints (messages naming paths, commands, option
 * values) for descriptor fd: when fd is a terminal, each line of s goes
 * through the same rules as the output pane (escapes shown as ^[..., wide
 * characters as they are) and the newlines are kept; otherwise s is copied
 * unchanged (a log file gets the bytes).  ASCII-only without a UTF-8
 * locale.  At most cap-1 bytes and a NUL; returns out.
 */
const char *sanitize_for_fd(int fd, const char *s, char *out, size_t cap);

#endif
