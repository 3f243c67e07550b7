/*
 * tui.h - the dashboard on a terminal: ncurses on /dev/tty, on a libuv loop.
 *
 * The ingest engine runs on a thread of its own; this side wakes up when it
 * says something changed, copies a snapshot at most once per interval, and
 * paints the grid that the view draws.  A slow or frozen terminal (Ctrl-S,
 * a stalled ssh link) blocks only this thread: frames are dropped, data is
 * not.  Keys come from /dev/tty, so standard input may carry the trace.
 */
#ifndef GCWATCH_TUI_H
#define GCWATCH_TUI_H

#include <stdbool.h>
#include <stdint.h>

#include "app/engine.h"

struct tui_opts {
	bool ascii;            /* ASCII charts (also when the locale is not UTF-8) */
	bool color;            /* colours (off for --no-color, NO_COLOR, or none) */
	unsigned interval_ms;  /* least time between two frames */
	double assist_warn;    /* assist share highlighted */
	unsigned zoom;         /* as options.zoom (cli.h) */
	unsigned max_frames;   /* quit after this many frames, the last drawn once the input was read (tests); 0: never */
	uint64_t feed_retention_ms; /* feeds silent longer leave the table */
};

/*
 * Run the dashboard over a started engine until the user quits (q), or,
 * after a signal to gcwatch (passed on to the program), until the input is
 * done; then restore the terminal.  On q a spawned program still running
 * is stopped by the engine (engine_post_quit) and waited for.  After a
 * terminal hangup the dashboard leaves at once and the program, which got
 * SIGHUP, is waited for.  Returns 0, or 1 with a message on stderr when the
 * terminal cannot be used.
 */
int tui_run(struct engine *e, const struct tui_opts *o);

/* True when a dashboard can run here: /dev/tty opens and TERM is set and
 * not "dumb". */
bool tui_possible(void);

#endif
