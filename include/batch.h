/*
 * batch.h - gcwatch without a dashboard: a filter and a time-like wrapper.
 *
 * Reads one input to its end through the parser; passes the program's own
 * text through (runtime trace lines taken out), writes records as JSON
 * Lines or CSV as they arrive, and prints the summary at the end.
 */
#ifndef GCWATCH_BATCH_H
#define GCWATCH_BATCH_H

#include "cli.h"

/* Run batch mode for the parsed options; returns the exit status
 * (0, or 1 when an input or output cannot be opened or read, with a
 * message on stderr naming it). */
int batch_run(const struct options *o);

struct engine;
struct engine_opts;

/* The engine's options from the command line's, for batch mode or the
 * dashboard (which always follows and keeps the output for its pane). */
void batch_engine_opts(const struct options *o, bool dashboard,
                       struct engine_opts *eo);

/* The end-of-run summary of an engine's run, on stderr. */
void batch_summary(struct engine *e);

/* Check the --fail-if conditions against the run's summary, report those
 * that hold on stderr, and return the exit status: status unchanged when
 * none holds or when it is already a failure, GATE_EXIT otherwise. */
int batch_gates(const struct options *o, struct engine *e, int status);

#endif
