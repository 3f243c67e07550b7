/*
 * termdb.h - terminal descriptions built into gcwatch.
 *
 * A static binary copied to a bare node (a container, a chroot) finds no
 * terminfo database there and could not draw.  The compiled entries of
 * the common terminals (xterm, xterm-256color, screen, screen-256color,
 * tmux, tmux-256color, linux, vt100), taken from the build machine, are
 * built in; when ncurses finds none for TERM, the dashboard writes them to
 * a private temporary directory, points TERMINFO at it for newterm, and
 * removes it (ncurses keeps the entry it read in memory).
 */
#ifndef GCWATCH_TERMDB_H
#define GCWATCH_TERMDB_H

#include <stddef.h>

struct termdb_entry {
	const char *name;
	const unsigned char *data;
	size_t len;
};

/* The built-in entries (generated at build time). */
extern const struct termdb_entry termdb_entries[];
extern const size_t termdb_count;

/* Write every built-in entry into a new directory (mode 0700, under
 * TMPDIR, /tmp, /dev/shm or else the current directory) laid out as a
 * terminfo database; returns its path (to give to termdb_remove), or
 * NULL. */
char *termdb_extract(void);

/* Remove what termdb_extract made, and free the path. */
void termdb_remove(char *dir);

#endif
