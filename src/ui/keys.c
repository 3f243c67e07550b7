#include "ui/keys.h"

#include <stddef.h>

#include <curses.h>

const struct key_def keys_table[] = {
	{ .action = KEYS_QUIT, .codes = { 'q', 'Q' }, .label = "q", .help_label = "q",
	  .footer = "quit", .help = "quit (a program started here: SIGTERM, then SIGKILL)" },
	{ .action = KEYS_FREEZE, .codes = { ' ' }, .label = "space", .help_label = "space",
	  .footer = "pause", .footer_on = "resume",
	  .help = "freeze or thaw the display; data keeps being read" },
	{ .action = KEYS_OPEN, .codes = { '\n', '\r', KEY_ENTER }, .label = "enter",
	  .help_label = "enter", .footer = "open",
	  .help = "fleet table: open the selected feed's panes",
	  .where = KEYS_FLEET, .fleet_key = true },
	{ .action = KEYS_CLOSE, .codes = { 27 }, .label = "esc", .help_label = "esc",
	  .footer = "fleet", .help = "back to the fleet table (and close this help)",
	  .where = KEYS_PANES, .fleet_key = true },
	{ .action = KEYS_UP, .codes = { KEY_UP, 'k', 'K' }, .label = "j/k",
	  .help_label = "up dn j k", .footer = "select", .help = "fleet table: select a feed",
	  .where = KEYS_FLEET, .fleet_key = true },
	{ .action = KEYS_DOWN, .codes = { KEY_DOWN, 'j', 'J' }, .where = KEYS_FLEET },
	{ .action = KEYS_SORT, .codes = { 's', 'S' }, .label = "s", .help_label = "s",
	  .footer = "sort", .help = "fleet table: sort by the next column (marked *)",
	  .where = KEYS_FLEET, .fleet_key = true },
	{ .action = KEYS_BIGGER, .codes = { '+', '=' }, .label = "+/-", .help_label = "+ -",
	  .footer = "window", .help = "zoom out or in (1m..24h; t: collections)", .window = true },
	{ .action = KEYS_SMALLER, .codes = { '-', '_' } },
	{ .action = KEYS_OUTPUT, .codes = { 'l', 'L' }, .label = "l", .help_label = "l",
	  .footer = "output", .help = "show or hide the program's output", .where = KEYS_PANES },
	{ .action = KEYS_HELP, .codes = { '?', 'h', 'H' }, .label = "?", .help_label = "? h",
	  .footer = "help", .footer_on = "close help", .help = "show or hide this help" },
	/* Raw mode makes Ctrl-C a key; the program gets SIGINT. */
	{ .action = KEYS_INTERRUPT, .codes = { 3 }, .label = "^C", .help_label = "^C",
	  .footer = "interrupt", .help = "interrupt the program (SIGINT)", .program_only = true },
	/* Last: the footer shows it when the line has room; the findings
	 * line names it too. */
	{ .action = KEYS_DIAG, .codes = { 'd', 'D' }, .label = "d", .help_label = "d",
	  .footer = "diagnosis", .footer_on = "close diagnosis",
	  .help = "diagnosis: findings with evidence, MMU, what-if GOGC/limit",
	  .where = KEYS_PANES },
	/* After it, as room allows: the axis row's zoom label and the help
	 * say what + - do. */
	{ .action = KEYS_TIME, .codes = { 't', 'T' }, .label = "t", .help_label = "t",
	  .footer = "axis", .help = "time axis (blank: no collections), or a column a collection",
	  .where = KEYS_PANES },
	{ .action = KEYS_REDRAW, .codes = { 12 } },
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

bool keys_shown(const struct key_def *k, bool fleet_view, bool several, bool program)
{
	if (!k->label || (k->fleet_key && !several) || (k->program_only && !program))
		return false;
	return k->where == KEYS_BOTH || (k->where == KEYS_FLEET) == fleet_view;
}
