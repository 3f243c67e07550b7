#include "ui/keys.h"

#include <stddef.h>

/* Codes past 255 are ncurses' (KEY_RESIZE); the handler deals with them. */
const struct key_def keys_table[] = {
	{ KEYS_QUIT, { 'q', 'Q' }, "q", "q", "quit", NULL,
	  "quit (a program started here: SIGTERM, then SIGKILL)", false, false },
	{ KEYS_FREEZE, { ' ' }, "space", "space", "pause", "resume",
	  "freeze or thaw the display; data keeps being read", false, false },
	{ KEYS_BIGGER, { '+', '=' }, "+/-", "+ -", "window", NULL,
	  "more or fewer collections in the charts", true, false },
	{ KEYS_SMALLER, { '-', '_' }, NULL, NULL, NULL, NULL, NULL, false, false },
	{ KEYS_OUTPUT, { 'l', 'L' }, "l", "l", "output", NULL,
	  "show or hide the program's output", false, false },
	{ KEYS_HELP, { '?', 'h', 'H' }, "?", "? h", "help", "close help",
	  "show or hide this help", false, false },
	/* Raw mode makes Ctrl-C a key; the program gets SIGINT. */
	{ KEYS_INTERRUPT, { 3 }, "^C", "^C", "interrupt", NULL,
	  "interrupt the program (SIGINT)", false, true },
	{ KEYS_REDRAW, { 12 }, NULL, NULL, NULL, NULL, NULL, false, false },
	{ KEYS_CLOSE, { 27 }, NULL, NULL, NULL, NULL, NULL, false, false },
};

const unsigned keys_count = sizeof keys_table / sizeof keys_table[0];

const struct key_def *keys_find(int code)
{
	for (unsigned i = 0; i < keys_count; i++)
		for (unsigned j = 0; j < 4 && keys_table[i].codes[j]; j++)
			if (keys_table[i].codes[j] == code)
				return &keys_table[i];
	return NULL;
}
