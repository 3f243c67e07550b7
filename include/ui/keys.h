/*
 * keys.h - the dashboard's keys, in one table.
 *
 * The handler (tui.c), the footer and the help overlay all read this
 * table, so a key is described once.  Nothing here depends on ncurses
 * beyond the key codes the caller passes in.
 */
#ifndef GCWATCH_KEYS_H
#define GCWATCH_KEYS_H

#include <stdbool.h>

enum key_action {
	KEYS_QUIT = 1,
	KEYS_FREEZE,
	KEYS_BIGGER,
	KEYS_SMALLER,
	KEYS_OUTPUT,
	KEYS_HELP,
	KEYS_INTERRUPT,
	KEYS_REDRAW,
	KEYS_CLOSE,
};

struct key_def {
	enum key_action action;
	int codes[4];          /* key codes that do it, 0-terminated */
	const char *label;     /* the key as the footer and help name it, or
	                          NULL for keys that are not shown */
	const char *help_label; /* the key as the help names it */
	const char *footer;    /* its word in the footer, or NULL */
	const char *footer_on; /* the word while its state is on (frozen,
	                          help shown), or NULL */
	const char *help;      /* its line in the help */
	bool window;           /* the footer and help add the window size */
	bool program_only;     /* shown only when a program was started */
};

/* Every key, in the order the footer and the help list them. */
extern const struct key_def keys_table[];
extern const unsigned keys_count;

/* The key that a code does, or NULL. */
const struct key_def *keys_find(int code);

#endif
