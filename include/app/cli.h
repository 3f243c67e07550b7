/*
 * cli.h - the command line (DESIGN.md), parsed into plain options.
 *
 * Knows nothing of what the options do; main.c wires them up.
 */
#ifndef GCWATCH_CLI_H
#define GCWATCH_CLI_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "app/gate.h"

#define CLI_GATES_MAX 16
/* PATHs and -c commands at most. */
#define CLI_INPUTS_MAX 64

/* One input of the command line: a PATH ("-" standard input) or a -c
 * shell command, and the -n name given before it (or NULL). */
struct cli_input {
	const char *path;
	const char *shell;
	const char *name;
};

struct options {
	const char *json_path;   /* -j, --json FILE ("-" = stdout) */
	const char *csv_path;    /* --csv FILE */
	bool batch;              /* -b, --batch */
	bool tui;                /* --tui */
	int summary;             /* -1 default, 0 -q, 1 -s */
	/* PATHs and -c 'SHELL COMMAND's, in the order given. */
	struct cli_input inputs[CLI_INPUTS_MAX];
	int ninputs;
	int npaths;              /* of which PATHs */
	const char *name;        /* -n NAME not yet taken by an input */
	char **command;          /* COMMAND [ARG...] after "--", or NULL */
	bool follow;             /* -f, --follow */
	const char *record;      /* -r, --record FILE */
	double replay;           /* --replay[=SPEED]: 0 none; INFINITY for
	                            --replay=0 (as fast as possible) */
	int gctrace;             /* --gctrace N (default 1) */
	unsigned interval_ms;    /* -i, --interval MS (default 250) */
	bool ascii, no_color;    /* --ascii, --no-color */
	double assist_warn;      /* --assist-warn PCT, as a share (0.25) */
	unsigned zoom;           /* --zoom: 1 + view_zoom index, VIEW_ZOOMS + 1
	                            per collection, 0 the default */
	unsigned max_frames;     /* --max-frames N (tests): quit after N frames, the last drawn once the input was read */
	unsigned max_feeds;      /* --max-feeds N (default 1024) */
	uint64_t feed_retention_ms; /* --feed-retention DURATION (default 1 h) */
	struct gate gates[CLI_GATES_MAX]; /* --fail-if EXPR, repeatable */
	int ngates;
	const char *summary_json; /* --summary-json FILE ("-" = stdout) */
	double whatif_limit_mb;  /* --what-if-limit SIZE, 0 none */
	const char *listen;      /* --listen [HOST:]PORT, or NULL */
	double linger_s;         /* --linger SECONDS (0: none) */
	bool help, version;
};

/* Exit status for a usage error (DESIGN.md). */
#define CLI_EXIT_USAGE 2

/*
 * Parse argv.  Returns 0 on success; on a usage error writes one message
 * naming the bad argument to err and returns CLI_EXIT_USAGE.
 */
int cli_parse(int argc, char **argv, struct options *o, FILE *err);

/* The usage text. */
void cli_usage(FILE *out);

#endif
