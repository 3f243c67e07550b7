/*
 * run.h - the two ways gcwatch runs, over one engine frame.
 *
 * Batch: a filter and a time-like wrapper.  Reads the input to its end
 * through the parser, passes the program's own text through (runtime
 * trace lines taken out), writes records as JSON Lines or CSV as they
 * arrive, and prints the summary at the end.
 *
 * Dashboard: the same engine on a thread of its own under the ncurses
 * view; the summary follows on the restored terminal.
 *
 * Both build the engine from the options, apply --fail-if to the summary
 * and free everything, in one place (run.c).
 */
#ifndef GCWATCH_RUN_H
#define GCWATCH_RUN_H

#include "app/cli.h"

/* Run batch mode for the parsed options; returns the exit status
 * (DESIGN.md: the program's, 0, or 1 when an input or output cannot be
 * opened or read, with a message on stderr naming it). */
int run_batch(const struct options *o);

/* Run the dashboard; returns the exit status as run_batch does, or 1 when
 * the terminal cannot be used. */
int run_dashboard(const struct options *o);

#endif
