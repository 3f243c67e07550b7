#include "app/cli.h"

#include "analysis/analysis.h"

#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "outputs/promhttp.h"
#include "ui/sanitize.h"
#include "ui/view.h"

/* A message quoting what was typed (it may hold escape sequences): made
 * safe when err is a terminal. */
__attribute__((format(printf, 2, 3)))
static void say(FILE *err, const char *fmt, ...)
{
	char msg[2048], safe[4096];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	fputs(sanitize_for_fd(fileno(err), msg, safe, sizeof safe), err);
}

/*
 * Every option once: its names, its argument, its line in --help and what
 * it sets.  getopt_long's table and the usage text are made from it.  A
 * setter returns 0, or -1 with a message (without "gcwatch: ") in msg.
 */
struct cli_opt {
	const char *name;
	int short_name;        /* 0: long only */
	int has_arg;           /* no_argument, required_argument, optional_argument */
	const char *arg;       /* the argument's name in --help */
	const char *help;      /* NULL: not in --help (tests only) */
	int (*set)(struct options *o, const char *arg, char *msg, size_t cap);
};

#define MSG(...) (snprintf(msg, cap, __VA_ARGS__), -1)

/* A whole number in [min, max], or -1. */
static int whole(const char *s, long min, long max, long *v)
{
	char *end;

	errno = 0;
	*v = strtol(s, &end, 10);
	return errno || end == s || *end || *v < min || *v > max ? -1 : 0;
}

static int set_json(struct options *o, const char *a, char *msg, size_t cap)
{
	o->json_path = a;
	return 0;
}

static int set_csv(struct options *o, const char *a, char *msg, size_t cap)
{
	o->csv_path = a;
	return 0;
}

static int set_batch(struct options *o, const char *a, char *msg, size_t cap)
{
	o->batch = true;
	return 0;
}

static int set_tui(struct options *o, const char *a, char *msg, size_t cap)
{
	o->tui = true;
	return 0;
}

static int set_follow(struct options *o, const char *a, char *msg, size_t cap)
{
	o->follow = true;
	return 0;
}

static int set_record(struct options *o, const char *a, char *msg, size_t cap)
{
	o->record = a;
	return 0;
}

static int set_replay(struct options *o, const char *a, char *msg, size_t cap)
{
	char *end;

	errno = 0;
	o->replay = a ? strtod(a, &end) : 1.0;
	if (a && (errno || end == a || *end || !(o->replay >= 0) || isinf(o->replay)))
		return MSG("--replay: '%s' is not a speed (a number above 0, or 0: "
		           "as fast as possible)", a);
	/* 0: no pacing at all, the history filled at once. */
	if (o->replay == 0)
		o->replay = INFINITY;
	return 0;
}

static int set_gctrace(struct options *o, const char *a, char *msg, size_t cap)
{
	long v;

	if (whole(a, 1, 1000, &v))
		return MSG("--gctrace: '%s' is not a number from 1 to 1000", a);
	o->gctrace = (int)v;
	return 0;
}

static int set_interval(struct options *o, const char *a, char *msg, size_t cap)
{
	long v;

	if (whole(a, 10, 3600000, &v))
		return MSG("--interval: '%s' is not a number of milliseconds from 10 to 3600000", a);
	o->interval_ms = (unsigned)v;
	return 0;
}

static int set_max_frames(struct options *o, const char *a, char *msg, size_t cap)
{
	long v;

	if (whole(a, 1, 3600000, &v))
		return MSG("--max-frames: '%s' is not a number of frames", a);
	o->max_frames = (unsigned)v;
	return 0;
}

static int set_ascii(struct options *o, const char *a, char *msg, size_t cap)
{
	o->ascii = true;
	return 0;
}

static int set_no_color(struct options *o, const char *a, char *msg, size_t cap)
{
	o->no_color = true;
	return 0;
}

static int set_zoom(struct options *o, const char *a, char *msg, size_t cap)
{
	for (unsigned z = 0; z < VIEW_ZOOMS; z++)
		if (!strcmp(a, view_zoom_label(z))) {
			o->zoom = z + 1;
			return 0;
		}
	if (!strcmp(a, "gc")) {
		o->zoom = VIEW_ZOOMS + 1;
		return 0;
	}
	return MSG("--zoom: '%s' is not one of 1m 5m 15m 1h 6h 24h gc", a);
}

static int set_assist_warn(struct options *o, const char *a, char *msg, size_t cap)
{
	char *end;

	errno = 0;
	double v = strtod(a, &end);
	if (end != a && *end == '%')
		end++;
	if (errno || end == a || *end || !(v > 0 && v <= 100))
		return MSG("--assist-warn: '%s' is not a percentage above 0 and at most 100", a);
	o->assist_warn = v / 100;
	return 0;
}

static int set_fail_if(struct options *o, const char *a, char *msg, size_t cap)
{
	if (o->ngates == CLI_GATES_MAX)
		return MSG("at most %d --fail-if", CLI_GATES_MAX);
	if (gate_parse(a, &o->gates[o->ngates], msg, cap) != 0)
		return -1;
	o->ngates++;
	return 0;
}

static int set_summary_json(struct options *o, const char *a, char *msg, size_t cap)
{
	o->summary_json = a;
	return 0;
}

static int set_whatif_limit(struct options *o, const char *a, char *msg, size_t cap)
{
	if (!analysis_parse_size(a, 1, &o->whatif_limit_mb))
		return MSG("--what-if-limit: '%s' is not a size (512MB, 2GB; no unit: MB)", a);
	return 0;
}

static int set_summary(struct options *o, const char *a, char *msg, size_t cap)
{
	o->summary = 1;
	return 0;
}

static int set_quiet(struct options *o, const char *a, char *msg, size_t cap)
{
	o->summary = 0;
	return 0;
}

/* The next input, or -1 with a message when there are too many. */
static int add_input(struct options *o, const char *path, const char *shell, char *msg,
                     size_t cap)
{
	if (o->ninputs == CLI_INPUTS_MAX)
		return MSG("at most %d PATHs and -c commands", CLI_INPUTS_MAX);
	if (path && strcmp(path, "-") == 0)
		for (int i = 0; i < o->ninputs; i++)
			if (o->inputs[i].path && strcmp(o->inputs[i].path, "-") == 0)
				return MSG("standard input ('-') given twice");
	o->inputs[o->ninputs++] = (struct cli_input){path, shell, o->name};
	o->npaths += path != NULL;
	o->name = NULL;
	return 0;
}

static int set_shell(struct options *o, const char *a, char *msg, size_t cap)
{
	if (!*a)
		return MSG("-c: the command is empty");
	return add_input(o, NULL, a, msg, cap);
}

static int set_name(struct options *o, const char *a, char *msg, size_t cap)
{
	if (o->name)
		return MSG("-n '%s': the -n before it ('%s') names no PATH or -c", a, o->name);
	if (!*a)
		return MSG("-n: the name is empty");
	o->name = a;
	return 0;
}

static int set_help(struct options *o, const char *a, char *msg, size_t cap)
{
	o->help = true;
	return 0;
}

static int set_version(struct options *o, const char *a, char *msg, size_t cap)
{
	o->version = true;
	return 0;
}

static int set_max_feeds(struct options *o, const char *a, char *msg, size_t cap)
{
	long v;

	if (whole(a, 1, 65536, &v))
		return MSG("--max-feeds: '%s' is not a number from 1 to 65536", a);
	o->max_feeds = (unsigned)v;
	return 0;
}

/* A duration: seconds, or a number with s, m or h. */
static int set_feed_retention(struct options *o, const char *a, char *msg, size_t cap)
{
	char *end;

	errno = 0;
	double v = strtod(a, &end);
	double unit = 1000;
	if (end != a && (*end == 's' || *end == 'm' || *end == 'h') && !end[1])
		unit = *end == 's' ? 1000 : *end == 'm' ? 60000 : 3600000, end++;
	if (errno || end == a || *end || !(v > 0) || v * unit > 1e12)
		return MSG("--feed-retention: '%s' is not a duration (e.g. 90s, 30m, 2h)", a);
	o->feed_retention_ms = (uint64_t)(v * unit);
	return 0;
}

static int set_listen(struct options *o, const char *a, char *msg, size_t cap)
{
	struct sockaddr_storage ss;
	socklen_t sl;

	if (promhttp_parse_listen(a, &ss, &sl, msg, cap) != 0)
		return -1;
	o->listen = a;
	return 0;
}

static int set_linger(struct options *o, const char *a, char *msg, size_t cap)
{
	char *end;

	errno = 0;
	o->linger_s = strtod(a, &end);
	if (errno || end == a || *end || !(o->linger_s >= 0 && o->linger_s <= 86400))
		return MSG("--linger: '%s' is not a number of seconds from 0 to 86400", a);
	return 0;
}

/* Long-only options get codes above any character. */
#define LONG_ONLY 256

static const struct cli_opt opts[] = {
	{ "command", 'c', required_argument, "CMD",
	  "watch what /bin/sh -c CMD prints (stdout and stderr);\n"
	  "repeatable, and goes with PATHs", set_shell },
	{ "name", 'n', required_argument, "NAME",
	  "the name of the next PATH or -c (its feeds' source)", set_name },
	{ "json", 'j', required_argument, "FILE",
	  "also write one JSON object per collection to FILE (- = stdout)", set_json },
	{ "csv", 0, required_argument, "FILE",
	  "the same records as CSV with a header row", set_csv },
	{ "batch", 'b', no_argument, NULL,
	  "no dashboard: pass the program's own output through, runtime\n"
	  "trace lines taken out, and print a summary at the end;\n"
	  "implied when standard output is not a terminal", set_batch },
	{ "tui", 0, no_argument, NULL,
	  "the dashboard on /dev/tty even when output is redirected", set_tui },
	{ "follow", 'f', no_argument, NULL,
	  "a file: keep reading what is appended, across truncation\n"
	  "and rotation; a fifo: wait for the next writer", set_follow },
	{ "record", 'r', required_argument, "FILE",
	  "save every byte read to FILE, for --replay", set_record },
	{ "replay", 0, optional_argument, "SPEED",
	  "read PATH at the pace of its own @ times (x SPEED; 0: at once)", set_replay },
	{ "gctrace", 0, required_argument, "N",
	  "the gctrace value given to COMMAND (default 1)", set_gctrace },
	{ "interval", 'i', required_argument, "MS",
	  "least time between screen updates (default 250)", set_interval },
	{ "ascii", 0, no_argument, NULL,
	  "plain ASCII charts (automatic without a UTF-8 locale)", set_ascii },
	{ "no-color", 0, no_argument, NULL,
	  "no colours (automatic with NO_COLOR or a terminal without)", set_no_color },
	{ "no-colour", 0, no_argument, NULL, NULL, set_no_color },
	{ "zoom", 0, required_argument, "SPAN",
	  "the charts' time axis at start: 1m 5m (default) 15m 1h\n"
	  "6h 24h, or gc: a column a collection (keys + - t)", set_zoom },
	{ "assist-warn", 0, required_argument, "PCT",
	  "highlight mark assist above PCT% of mark CPU (25)", set_assist_warn },
	{ "fail-if", 0, required_argument, "EXPR",
	  "at the end, exit 99 when EXPR holds, e.g.\n"
	  "'pause.p99 > 5ms', 'gc.cpu > 10%', 'mmu.10ms < 50%',\n"
	  "finding.NAME (holds when that finding is raised)", set_fail_if },
	{ "summary-json", 0, required_argument, "FILE",
	  "the summary as JSON to FILE (- = stdout)", set_summary_json },
	{ "what-if-limit", 0, required_argument, "SIZE",
	  "also predict under a memory limit, e.g. 512MB", set_whatif_limit },
	{ "max-feeds", 0, required_argument, "N",
	  "at most N processes (feeds) kept apart (1024); more are counted", set_max_feeds },
	{ "feed-retention", 0, required_argument, "TIME",
	  "a feed silent this long leaves the fleet table (1h)", set_feed_retention },
	{ "listen", 0, required_argument, "[HOST:]PORT",
	  "serve Prometheus metrics at /metrics (HOST 127.0.0.1\n"
	  "unless given; another HOST exposes them)", set_listen },
	{ "linger", 0, required_argument, "SECONDS",
	  "after the input ends, keep serving until one more\n"
	  "scrape has read the final values, at most SECONDS", set_linger },
	{ "summary", 's', no_argument, NULL,
	  "print the end-of-run summary (the default in batch mode)", set_summary },
	{ "quiet", 'q', no_argument, NULL, "do not print the summary", set_quiet },
	{ "max-frames", 0, required_argument, "N", NULL, set_max_frames },
	{ "help", 'h', no_argument, NULL, "this text", set_help },
	{ "version", 'V', no_argument, NULL, "the version", set_version },
};

#define NOPTS (sizeof opts / sizeof opts[0])
#define HELP_COL 21

void cli_usage(FILE *out)
{
	fputs("usage: gcwatch [OPTIONS] -- COMMAND [ARG...]   run COMMAND with gctrace on, and watch it\n"
	      "       gcwatch [OPTIONS] PATH...               watch files or fifos (\"-\" is standard input)\n"
	      "       gcwatch [OPTIONS] -c 'SHELL COMMAND'... watch what each command prints (with PATHs too)\n"
	      "       gcwatch [OPTIONS]                       watch standard input when it is not a terminal\n"
	      "\n"
	      "Reads the Go runtime's GODEBUG=gctrace=1 output and shows the garbage\n"
	      "collector's pauses, heap and mark workers.\n"
	      "\n"
	      "options:\n", out);
	for (size_t i = 0; i < NOPTS; i++) {
		const struct cli_opt *p = &opts[i];
		char left[64];
		if (!p->help)
			continue;
		snprintf(left, sizeof left, "  %c%c%s--%s%s%s%s%s",
		         p->short_name ? '-' : ' ', p->short_name ? p->short_name : ' ',
		         p->short_name ? ", " : "  ", p->name,
		         p->has_arg == optional_argument ? "[=" : p->arg ? " " : "",
		         p->arg ? p->arg : "", p->has_arg == optional_argument ? "]" : "", "");
		fputs(left, out);
		int col = (int)strlen(left);
		const char *h = p->help;
		/* The help starts in its column, or two spaces after a long
		 * left side; continuation lines in the column. */
		fprintf(out, "%*s", col <= HELP_COL - 2 ? HELP_COL - col : 2, "");
		for (const char *nl; (nl = strchr(h, '\n')); h = nl + 1)
			fprintf(out, "%.*s\n%*s", (int)(nl - h), h, HELP_COL, "");
		fprintf(out, "%s\n", h);
	}
	fputs("\n"
	      "exit status: with COMMAND, its own (128+N after signal N; 127 not found,\n"
	      "126 cannot run); otherwise 0 when the input was read to its end, 1 when it\n"
	      "could not be read (the message names it); with several inputs, that of the\n"
	      "first (in the order given) that did not end with 0, a -c command's being its\n"
	      "own; 2 for a usage error; 99 when a --fail-if condition holds (and the\n"
	      "status was 0 otherwise).  An output that\n"
	      "fails or falls behind is said and counted, and does not change the status:\n"
	      "add --fail-if 'lost > 0' to make it count.\n",
	      out);
}

/* After the options: COMMAND or PATH, and the combinations that do not
 * go together. */
static int check_operands(int argc, char **argv, struct options *o, FILE *err)
{
	if (o->name) {
		say(err, "gcwatch: -n '%s' names no PATH or -c after it\n", o->name);
		return CLI_EXIT_USAGE;
	}
	if (optind < argc && strcmp(argv[optind - 1], "--") == 0) {
		if (o->ninputs) {
			say(err, "gcwatch: %s ('%s') and a command after '--': "
			        "give one of them\n", o->inputs[0].path ? "a PATH" : "-c",
			    o->inputs[0].path ? o->inputs[0].path : o->inputs[0].shell);
			return CLI_EXIT_USAGE;
		}
		o->command = argv + optind;
	} else if (!o->ninputs && optind > 1 && strcmp(argv[optind - 1], "--") == 0) {
		say(err, "gcwatch: '--' must be followed by a command\n");
		return CLI_EXIT_USAGE;
	}
	if ((o->command || (o->ninputs && !o->npaths)) && (o->follow || o->replay > 0)) {
		say(err, "gcwatch: %s goes with a PATH, not a command\n",
		        o->follow ? "--follow" : "--replay");
		return CLI_EXIT_USAGE;
	}
	if (o->replay > 0) {
		bool recording = o->npaths > 0;
		for (int i = 0; i < o->ninputs; i++)
			if (o->inputs[i].path && strcmp(o->inputs[i].path, "-") == 0)
				recording = false;
		if (!recording) {
			fputs("gcwatch: --replay needs the PATH of a recording\n", err);
			return CLI_EXIT_USAGE;
		}
	}
	if (o->record && o->ninputs > 1) {
		fputs("gcwatch: -r records one input (a replay reads one stream): "
		      "give one PATH or -c\n", err);
		return CLI_EXIT_USAGE;
	}
	if (o->linger_s > 0 && !o->listen) {
		fputs("gcwatch: --linger goes with --listen\n", err);
		return CLI_EXIT_USAGE;
	}
	if (o->json_path && o->csv_path && strcmp(o->json_path, "-") == 0 &&
	    strcmp(o->csv_path, "-") == 0) {
		fputs("gcwatch: --json - and --csv - cannot both use standard output\n", err);
		return CLI_EXIT_USAGE;
	}
	if (o->summary_json && strcmp(o->summary_json, "-") == 0 &&
	    ((o->json_path && strcmp(o->json_path, "-") == 0) ||
	     (o->csv_path && strcmp(o->csv_path, "-") == 0))) {
		fputs("gcwatch: --summary-json - cannot share standard output with the "
		      "records\n", err);
		return CLI_EXIT_USAGE;
	}
	return 0;
}

int cli_parse(int argc, char **argv, struct options *o, FILE *err)
{
	struct option longopts[NOPTS + 1];
	/* '+': stop at the first operand, so COMMAND's own options stay
	 * its own; ':' first: report a missing argument ourselves. */
	char shorts[2 + 3 * NOPTS + 1] = "+:", *sp = shorts + 2;
	int c, index;

	memset(longopts, 0, sizeof longopts);
	for (size_t i = 0; i < NOPTS; i++) {
		longopts[i] = (struct option){ opts[i].name, opts[i].has_arg, NULL,
		                               LONG_ONLY + (int)i };
		if (opts[i].short_name) {
			*sp++ = (char)opts[i].short_name;
			if (opts[i].has_arg != no_argument)
				*sp++ = ':';
			if (opts[i].has_arg == optional_argument)
				*sp++ = ':';
		}
	}
	*sp = 0;

	memset(o, 0, sizeof *o);
	o->summary = -1;
	o->gctrace = 1;
	o->interval_ms = 250;
	o->assist_warn = 0.25;
	o->max_feeds = 1024;
	o->feed_retention_ms = 3600000;
	/* Options after PATH are taken too (as getopt_long's permutation
	 * would), up to "--". */
	opterr = 0;
	optind = 1;
next:
	while ((c = getopt_long(argc, argv, shorts, longopts, &index)) != -1) {
		const struct cli_opt *p = NULL;
		char msg[1024];

		if (c >= LONG_ONLY && c < LONG_ONLY + (int)NOPTS)
			p = &opts[c - LONG_ONLY];
		for (size_t i = 0; !p && c > 0 && c != '?' && c != ':' && i < NOPTS; i++)
			if (opts[i].short_name == c)
				p = &opts[i];
		if (p) {
			if (p->set(o, optarg, msg, sizeof msg) != 0) {
				say(err, "gcwatch: %s\n", msg);
				return CLI_EXIT_USAGE;
			}
			continue;
		}
		if (c == ':') {
			say(err, "gcwatch: option '%s' needs an argument\n", argv[optind - 1]);
			return CLI_EXIT_USAGE;
		}
		if (optopt > 0 && optopt < LONG_ONLY)
			say(err, "gcwatch: unknown option '-%c'\n", optopt);
		else
			say(err, "gcwatch: unknown option '%s'\n", argv[optind - 1]);
		fputs("Try 'gcwatch --help'.\n", err);
		return CLI_EXIT_USAGE;
	}
	if (optind < argc && strcmp(argv[optind - 1], "--") != 0) {
		char msg[256];
		if (add_input(o, argv[optind], NULL, msg, sizeof msg) != 0) {
			say(err, "gcwatch: %s\n", msg);
			return CLI_EXIT_USAGE;
		}
		optind++;
		goto next;
	}
	if (o->help || o->version)
		return 0;
	return check_operands(argc, argv, o, err);
}
