/*
 * keys.h - the dashboard's keys, in one table.
 *
 * The handler (tui.c), the footer and the help overlay all read this
 * table, so a key is described once.  Nothing here depends on ncurses
 * beyond its key codes (KEY_UP ...).
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
	KEYS_UP,
	KEYS_DOWN,
	KEYS_OPEN,
	KEYS_SORT,
	KEYS_TIME,
	KEYS_DIAG,
};

/* Where a key is shown in the footer. */
enum key_where { KEYS_BOTH = 0, KEYS_PANES, KEYS_FLEET };

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
	enum key_where where;  /* the footer shows it with the panes, the
	                          fleet table, or both */
	bool fleet_key;        /* about feeds: shown only when there are
	                          several */
};

/* Every key, in the order the footer and the help list them. */
extern const struct key_def keys_table[];
extern const unsigned keys_count;

/* The key that a code does, or NULL. */
const struct key_def *keys_find(int code);

/* Whether the footer shows k: in the fleet table or the panes, with
 * several feeds or one, with a program started here or not. */
bool keys_shown(const struct key_def *k, bool fleet_view, bool several, bool program);

#endif
